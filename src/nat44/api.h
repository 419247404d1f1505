/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44 endpoint-dependent messages (module 0x0b), after VPP's nat44-ed API: enable with
 * the session table size, interface roles, the address pool, static and load-balancing
 * mappings, forwarding, timeouts, and dumps of each (details rebuild the object) and of
 * the sessions. Ports are in host order; addresses in network order.
 */
#ifndef LIG_NAT44_API_H
#define LIG_NAT44_API_H

#include "../vlib/api_msg.h"

#define LIG_NAT44_API_LB_LOCAL(F, A, V)                                                            \
	F(ip4, addr, "the backend's address")                                                      \
	F(u16, port, "the backend's port")                                                         \
	F(u8, probability, "its share of new flows, 1..100 (relative to the others' sum)")

#define LIG_NAT44_API_TYPES(T) T(nat44_lb_local, LIG_NAT44_API_LB_LOCAL, "one LB backend")

#define LIG_NAT44_API_ENABLE(F, A, V)                                                              \
	F(bool, enable, "1 enables NAT44, 0 disables it (and forgets its whole configuration)")    \
	F(u32, sessions, "enable: sessions per thread, 64..4194304; 0: 65536")

#define LIG_NAT44_API_CONFIG(F, A, V)                                                              \
	F(bool, enabled, "NAT44 is enabled")                                                       \
	F(u32, sessions, "sessions per thread")                                                    \
	F(bool, forwarding, "out2in packets matching nothing pass untranslated")                   \
	F(u32, udp_timeout, "seconds")                                                             \
	F(u32, tcp_established_timeout, "seconds")                                                 \
	F(u32, tcp_transitory_timeout, "seconds")                                                  \
	F(u32, icmp_timeout, "seconds")

#define LIG_NAT44_API_IF_ADD_DEL(F, A, V)                                                          \
	F(u32, sw_if_index, "the interface")                                                       \
	F(bool, is_inside, "1 inside (in2out), 0 outside (out2in)")                                \
	F(bool, is_add, "1 sets the role, 0 clears it")

#define LIG_NAT44_API_IF_DETAILS(F, A, V)                                                          \
	F(u32, sw_if_index, "the interface")                                                       \
	F(bool, is_inside, "1 inside, 0 outside")

#define LIG_NAT44_API_ADDR_ADD_DEL(F, A, V)                                                        \
	F(ip4, first, "first address of the range")                                                \
	F(ip4, last, "last address (= first for one), at most 256 together")                       \
	F(bool, is_add, "1 adds to the pool, 0 removes (and frees their sessions)")

#define LIG_NAT44_API_ADDR_DETAILS(F, A, V)                                                        \
	F(ip4, address, "a pool address")                                                          \
	F(u32, tcp_ports, "(state) dynamic TCP ports in use")                                      \
	F(u32, udp_ports, "(state) dynamic UDP ports in use")                                      \
	F(u32, icmp_ids, "(state) dynamic ICMP identifiers in use")

#define LIG_NAT44_API_STATIC(F, A, V)                                                              \
	F(bool, is_add, "1 adds, 0 deletes (and frees its sessions)")                              \
	F(u8, protocol, "6 tcp, 17 udp, 1 icmp (ports: echo identifiers); 0 address only")         \
	F(ip4, local_addr, "the inside address")                                                   \
	F(u16, local_port, "the inside port (0 with address only)")                                \
	F(ip4, external_addr, "the outside address")                                               \
	F(u16, external_port, "the outside port (0 with address only)")

#define LIG_NAT44_API_STATIC_DETAILS(F, A, V)                                                      \
	F(u8, protocol, "6 tcp, 17 udp, 1 icmp; 0 address only")                                   \
	F(ip4, local_addr, "the inside address")                                                   \
	F(u16, local_port, "the inside port")                                                      \
	F(ip4, external_addr, "the outside address")                                               \
	F(u16, external_port, "the outside port")

#define LIG_NAT44_API_LB(F, A, V)                                                                  \
	F(bool, is_add, "1 adds, 0 deletes (locals may be empty; frees its sessions)")             \
	F(u8, protocol, "6 tcp or 17 udp")                                                         \
	F(ip4, external_addr, "the service address")                                               \
	F(u16, external_port, "the service port")                                                  \
	F(u32, affinity, "seconds a client sticks to its backend (0: per connection only)")        \
	V(nat44_lb_local, locals, "add: the backends, 2..16")

#define LIG_NAT44_API_LB_DETAILS(F, A, V)                                                          \
	F(u8, protocol, "6 tcp or 17 udp")                                                         \
	F(ip4, external_addr, "the service address")                                               \
	F(u16, external_port, "the service port")                                                  \
	F(u32, affinity, "seconds (0: off)")                                                       \
	V(nat44_lb_local, locals, "the backends")

#define LIG_NAT44_API_FORWARDING(F, A, V) F(bool, enable, "1 on, 0 off")

#define LIG_NAT44_API_TIMEOUTS(F, A, V)                                                            \
	F(u32, udp, "seconds, 1..86400; 0 keeps it")                                               \
	F(u32, tcp_established, "seconds, 1..86400; 0 keeps it")                                   \
	F(u32, tcp_transitory, "seconds, 1..86400; 0 keeps it")                                    \
	F(u32, icmp, "seconds, 1..86400; 0 keeps it")

#define LIG_NAT44_API_SESSION_DUMP(F, A, V) F(u32, thread_index, "one thread's, or ~0 for all")

#define LIG_NAT44_API_SESSION_DETAILS(F, A, V)                                                     \
	F(u32, thread_index, "(state) the owning thread")                                          \
	F(u32, index, "(state) the session's index in its table")                                  \
	F(u8, protocol, "(state) 6, 17 or 1")                                                      \
	F(u8, flags, "(state) 1 dynamic port, 2 static mapping, 4 hairpin, 8 from outside")        \
	F(u8, tcp_state, "(state) 1 SYN, 2 SYN back, 4 FIN, 8 FIN back, 16 RST, 32 established")   \
	F(ip4, src, "(state) the initiator's source")                                              \
	F(ip4, dst, "(state) the initiator's destination")                                         \
	F(u16, sport, "(state) source port (ICMP: echo identifier)")                               \
	F(u16, dport, "(state) destination port")                                                  \
	F(ip4, t_src, "(state) source after translation")                                          \
	F(ip4, t_dst, "(state) destination after translation")                                     \
	F(u16, t_sport, "(state) translated source port")                                          \
	F(u16, t_dport, "(state) translated destination port")                                     \
	F(u32, idle_ms, "(state) since its last packet")                                           \
	F(u64, packets_forward, "(state) packets from the initiator")                              \
	F(u64, packets_reverse, "(state) packets back")

#define LIG_NAT44_API_STATS_DETAILS(F, A, V)                                                       \
	F(u32, thread_index, "(state) the thread")                                                 \
	F(u32, sessions, "(state) sessions now")                                                   \
	F(u32, max_sessions, "(state) the table's size")                                           \
	F(u64, created, "(state) sessions created")                                                \
	F(u64, expired, "(state) sessions freed by their timeout")                                 \
	F(u64, deleted, "(state) sessions freed by the control plane")                             \
	F(u64, table_full, "(state) new flows refused: table full")

#define LIG_NAT44_API_MSGS(M)                                                                      \
	M(nat44_plugin_enable_disable, 0x0b01, REQUEST, LIG_NAT44_API_ENABLE, LIG_API_NONE,        \
	  "enables NAT44 with a session table per thread, or disables it")                         \
	M(nat44_config_dump, 0x0b02, DUMP, LIG_API_NONE, LIG_NAT44_API_CONFIG,                     \
	  "the global settings (one details)")                                                     \
	M(nat44_interface_add_del_feature, 0x0b03, REQUEST, LIG_NAT44_API_IF_ADD_DEL,              \
	  LIG_API_NONE, "marks an interface inside or outside, or clears it")                      \
	M(nat44_interface_dump, 0x0b04, DUMP, LIG_API_NONE, LIG_NAT44_API_IF_DETAILS,              \
	  "interfaces and their roles")                                                            \
	M(nat44_add_del_address_range, 0x0b05, REQUEST, LIG_NAT44_API_ADDR_ADD_DEL, LIG_API_NONE,  \
	  "adds or removes pool addresses (source NAT)")                                           \
	M(nat44_address_dump, 0x0b06, DUMP, LIG_API_NONE, LIG_NAT44_API_ADDR_DETAILS,              \
	  "the pool, in order")                                                                    \
	M(nat44_add_del_static_mapping, 0x0b07, REQUEST, LIG_NAT44_API_STATIC, LIG_API_NONE,       \
	  "adds or deletes a static mapping (1:1 address, or one protocol's port)")                \
	M(nat44_static_mapping_dump, 0x0b08, DUMP, LIG_API_NONE, LIG_NAT44_API_STATIC_DETAILS,     \
	  "static mappings")                                                                       \
	M(nat44_add_del_lb_static_mapping, 0x0b09, REQUEST, LIG_NAT44_API_LB, LIG_API_NONE,        \
	  "adds or deletes a load-balancing static mapping")                                       \
	M(nat44_lb_static_mapping_dump, 0x0b0a, DUMP, LIG_API_NONE, LIG_NAT44_API_LB_DETAILS,      \
	  "load-balancing static mappings")                                                        \
	M(nat44_forwarding_enable_disable, 0x0b0b, REQUEST, LIG_NAT44_API_FORWARDING,              \
	  LIG_API_NONE, "forwarding of out2in packets that match nothing")                         \
	M(nat44_set_timeouts, 0x0b0c, REQUEST, LIG_NAT44_API_TIMEOUTS, LIG_API_NONE,               \
	  "session timeouts per protocol and TCP state")                                           \
	M(nat44_session_dump, 0x0b0d, DUMP, LIG_NAT44_API_SESSION_DUMP,                            \
	  LIG_NAT44_API_SESSION_DETAILS,                                                           \
	  "live sessions (expired ones not yet reclaimed left out)")                               \
	M(nat44_stats_dump, 0x0b0e, DUMP, LIG_API_NONE, LIG_NAT44_API_STATS_DETAILS,               \
	  "session table counters per thread")

LIG_NAT44_API_TYPES(LIG_API_DECLARE_TYPE)
LIG_NAT44_API_MSGS(LIG_API_DECLARE)

#endif

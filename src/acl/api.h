/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACL messages (module 0x0a), after VPP's acl-plugin API: create or replace an ACL with its
 * rules, delete it, set an interface's ordered input and output lists (or add/remove one
 * ACL), session limits and timeouts, and the dumps of each, with per-rule hit counters
 * and the reflect sessions as state. Handlers in api.c; the CLI (cli.c) calls them.
 */
#ifndef LIG_ACL_API_H
#define LIG_ACL_API_H

#include "../vlib/api_msg.h"

#define LIG_ACL_API_RULE(F, A, V)                                                                  \
	F(u8, action, "0 deny, 1 permit, 2 permit+reflect")                                        \
	F(bool, is_ipv6, "must be 0: IPv6 rules are refused")                                      \
	F(ip4, src, "source prefix address")                                                       \
	F(u8, src_len, "source prefix length, 0..32")                                              \
	F(ip4, dst, "destination prefix address")                                                  \
	F(u8, dst_len, "destination prefix length, 0..32")                                         \
	F(u8, proto, "IP protocol, 0: any (then ports and flags must be any)")                     \
	F(u16, sport_lo, "source port range (ICMP: type range); 0-65535: any")                     \
	F(u16, sport_hi, "")                                                                       \
	F(u16, dport_lo, "destination port range (ICMP: code range); 0-65535: any")                \
	F(u16, dport_hi, "")                                                                       \
	F(u8, tcp_flags_value, "TCP flags that must be set within the mask")                       \
	F(u8, tcp_flags_mask, "TCP flags tested, 0: none (non-zero needs proto 6)")

#define LIG_ACL_API_ADD_REPLACE(F, A, V)                                                           \
	F(u32, acl_index, "the ACL to replace (0..4095), or ~0 to create one at the lowest free")  \
	F(str64, tag, "the client's name for it, up to 63 printable characters; empty: none")      \
	V(acl_rule, rules, "the rules in order, at most 65536; the first that matches decides")

#define LIG_ACL_API_ADD_REPLACE_REPLY(F, A, V) F(u32, acl_index, "the ACL created or replaced")

#define LIG_ACL_API_DEL(F, A, V) F(u32, acl_index, "the ACL; refused while applied to an interface")

#define LIG_ACL_API_DUMP(F, A, V)                                                                  \
	F(bool, one, "1: only acl_index; 0: every ACL")                                            \
	F(u32, acl_index, "the ACL, when one")

#define LIG_ACL_API_DETAILS(F, A, V)                                                               \
	F(u32, acl_index, "the ACL")                                                               \
	F(str64, tag, "its tag")                                                                   \
	V(acl_rule, rules, "its rules in order")

#define LIG_ACL_API_STATS_DUMP(F, A, V)                                                            \
	F(bool, one, "1: only acl_index; 0: every ACL")                                            \
	F(u32, acl_index, "the ACL, when one")

#define LIG_ACL_API_STATS_DETAILS(F, A, V)                                                         \
	F(u32, acl_index, "the ACL")                                                               \
	F(u32, rule_index, "the rule (from 0)")                                                    \
	F(u64, packets, "(state) packets the rule decided, summed over threads")                   \
	F(u64, bytes, "(state) their bytes")

#define LIG_ACL_API_SET_LIST(F, A, V)                                                              \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u8, n_input, "how many of acls are the input list (the rest: output)")                   \
	V(u32, acls, "input then output ACL indices, in order; at most 32 each, none: remove")

#define LIG_ACL_API_IF_ADD_DEL(F, A, V)                                                            \
	F(bool, is_add, "1 appends acl_index to the list, 0 removes it")                           \
	F(bool, is_input, "1 the input list, 0 the output list")                                   \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, acl_index, "the ACL")

#define LIG_ACL_API_IF_DUMP(F, A, V) F(u32, sw_if_index, "one interface, or 0 for all")

#define LIG_ACL_API_IF_DETAILS(F, A, V)                                                            \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u8, n_input, "how many of acls are the input list")                                      \
	V(u32, acls, "input then output ACL indices, in order")

#define LIG_ACL_API_SESSION_CONFIG(F, A, V)                                                        \
	F(u32, max_sessions, "sessions per thread (table size), 1..1048576; a change drops them")  \
	F(u32, max_per_interface, "sessions per interface per thread; 0: only the table's bound")  \
	F(u32, tcp_idle, "seconds an established TCP session lives idle (VPP: 86400)")             \
	F(u32, tcp_transient,                                                                      \
	  "seconds a TCP session lives idle before both SYNs or after FIN/RST")                    \
	F(u32, udp_idle, "seconds a UDP, ICMP or other session lives idle (VPP: 600)")

#define LIG_ACL_API_SESSION_DUMP(F, A, V) F(u32, sw_if_index, "one interface, or 0 for all")

#define LIG_ACL_API_SESSION_DETAILS(F, A, V)                                                       \
	F(u32, thread, "(state) the thread that owns it")                                          \
	F(u32, sw_if_index, "(state) the interface")                                               \
	F(bool, is_input, "(state) created on the input (1) or output (0) list")                   \
	F(ip4, src, "(state) initiator's address")                                                 \
	F(ip4, dst, "(state) responder's address")                                                 \
	F(u16, sport, "(state) initiator's port (ICMP: the query identifier)")                     \
	F(u16, dport, "(state) responder's port (ICMP: the query identifier)")                     \
	F(u8, proto, "(state) IP protocol")                                                        \
	F(u8, tcp_seen, "(state) TCP: 1 SYN, 2 SYN back, 4 FIN, 8 FIN back, 16 RST, 32 ACK back")  \
	F(u64, packets, "(state) packets of both directions its owner saw")                        \
	F(u32, idle_ms, "(state) milliseconds since its last packet")

#define LIG_ACL_API_TYPES(T) T(acl_rule, LIG_ACL_API_RULE, "one ACL rule")

#define LIG_ACL_API_MSGS(M)                                                                        \
	M(acl_add_replace, 0x0a01, REQUEST, LIG_ACL_API_ADD_REPLACE,                               \
	  LIG_ACL_API_ADD_REPLACE_REPLY,                                                           \
	  "creates an ACL or replaces one's rules (its counters start again)")                     \
	M(acl_del, 0x0a02, REQUEST, LIG_ACL_API_DEL, LIG_API_NONE, "deletes an ACL")               \
	M(acl_dump, 0x0a03, DUMP, LIG_ACL_API_DUMP, LIG_ACL_API_DETAILS, "ACLs with their rules")  \
	M(acl_stats_dump, 0x0a04, DUMP, LIG_ACL_API_STATS_DUMP, LIG_ACL_API_STATS_DETAILS,         \
	  "per-rule hit counters")                                                                 \
	M(acl_interface_set_acl_list, 0x0a05, REQUEST, LIG_ACL_API_SET_LIST, LIG_API_NONE,         \
	  "replaces an interface's input and output lists (its sessions are dropped)")             \
	M(acl_interface_add_del, 0x0a06, REQUEST, LIG_ACL_API_IF_ADD_DEL, LIG_API_NONE,            \
	  "appends an ACL to or removes it from an interface's list")                              \
	M(acl_interface_list_dump, 0x0a07, DUMP, LIG_ACL_API_IF_DUMP, LIG_ACL_API_IF_DETAILS,      \
	  "interfaces with ACL lists")                                                             \
	M(acl_session_config, 0x0a08, REQUEST, LIG_ACL_API_SESSION_CONFIG, LIG_API_NONE,           \
	  "session table size, per-interface bound and timeouts")                                  \
	M(acl_session_config_dump, 0x0a09, DUMP, LIG_API_NONE, LIG_ACL_API_SESSION_CONFIG,         \
	  "the session settings")                                                                  \
	M(acl_session_dump, 0x0a0a, DUMP, LIG_ACL_API_SESSION_DUMP, LIG_ACL_API_SESSION_DETAILS,   \
	  "reflect sessions (expired ones are aged first)")

LIG_ACL_API_TYPES(LIG_API_DECLARE_TYPE)
LIG_ACL_API_MSGS(LIG_API_DECLARE)

#endif

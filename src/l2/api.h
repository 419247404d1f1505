/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 messages (module 0x06): bridge domains and their members, cross-connects, the
 * return to L3, static L2 FIB entries, ARP termination, and the dumps of each. The
 * handlers are in api.c; the CLI (cli.c) calls the same handlers.
 */
#ifndef LIG_L2_API_H
#define LIG_L2_API_H

#include "../vlib/api_msg.h"

/* Flag bits of bridge_domain_set_flags, as enum lig_bd_flags (l2.h) and VPP's bd flags. */
#define LIG_L2_API_BD_FLAG_LEARN 1
#define LIG_L2_API_BD_FLAG_FORWARD 2
#define LIG_L2_API_BD_FLAG_UU_FLOOD 4
#define LIG_L2_API_BD_FLAG_FLOOD 8
#define LIG_L2_API_BD_FLAG_ARP_TERM 16
#define LIG_L2_API_BD_FLAGS_ALL 31

#define LIG_L2_API_BD_MEMBER(F, A, V)                                                              \
	F(u32, sw_if_index, "the port")                                                            \
	F(u8, shg, "split-horizon group, 0: none")                                                 \
	F(bool, bvi, "1: the domain's BVI (a loopback)")

#define LIG_L2_API_BD_ADD_DEL(F, A, V)                                                             \
	F(u32, bd_id, "bridge domain id, 1..16777214")                                             \
	F(bool, is_add, "1 creates, 0 deletes (refused while the domain has members)")             \
	F(bool, learn, "create: learn source MACs")                                                \
	F(bool, forward, "create: forward known unicast")                                          \
	F(bool, uu_flood, "create: flood unknown unicast")                                         \
	F(bool, flood, "create: flood broadcast and multicast")                                    \
	F(bool, arp_term, "create: answer ARP requests from the domain's ARP-termination table")   \
	F(u32, mac_age, "create: minutes after which learned MACs age out, 0..255, 0: never")      \
	F(str64, tag,                                                                              \
	  "create: the client's name for it (VPP's bd_tag): up to 63 of printable ASCII but "      \
	  "'\"'; empty: none")

#define LIG_L2_API_BD_ADD_DEL_REPLY(F, A, V)                                                       \
	F(u32, bd_index, "(state) the internal index of the new domain (show bridge-domain Index)")

#define LIG_L2_API_BD_SET_FLAGS(F, A, V)                                                           \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(u32, flags, "the flags to change: 1 learn, 2 forward, 4 uu-flood, 8 flood, 16 arp-term") \
	F(bool, is_set, "1 sets them, 0 clears them")

#define LIG_L2_API_BD_SET_FLAGS_REPLY(F, A, V) F(u32, flags, "the domain's flags after the change")

#define LIG_L2_API_BD_SET_MAC_AGE(F, A, V)                                                         \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(u32, mac_age, "minutes, 0..255, 0: learned MACs never age")

#define LIG_L2_API_BD_DUMP(F, A, V)                                                                \
	F(u32, bd_id, "one bridge domain, or 0 for all")                                           \
	F(u32, sw_if_index, "only the domain this interface is a member of; 0: any")

#define LIG_L2_API_BD_DETAILS(F, A, V)                                                             \
	F(u32, bd_id, "bridge domain id")                                                          \
	F(bool, learn, "learn source MACs")                                                        \
	F(bool, forward, "forward known unicast")                                                  \
	F(bool, uu_flood, "flood unknown unicast")                                                 \
	F(bool, flood, "flood broadcast and multicast")                                            \
	F(bool, arp_term, "answer ARP requests from the ARP-termination table")                    \
	F(u32, mac_age, "minutes, 0: never")                                                       \
	F(u32, bvi_sw_if_index, "the BVI, ~0: none (also flagged among the members)")              \
	F(u32, bd_index, "(state) internal index")                                                 \
	F(u8, seq_num, "(state) sequence number, bumped at each flush of the whole domain")        \
	F(u32, n_arp_entries, "(state) ARP-termination entries (bd_ip_mac_dump lists them)")       \
	F(str64, tag, "its tag (empty: none)")                                                     \
	V(l2_bd_member, members, "the ports, in the domain's port order")

#define LIG_L2_API_SET_BRIDGE(F, A, V)                                                             \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, bd_id, "the bridge domain, created with default flags if missing (as VPP)")         \
	F(bool, bvi, "1: the domain's BVI (a loopback; one per domain)")                           \
	F(u8, shg, "split-horizon group, 0: none")

#define LIG_L2_API_SET_XCONNECT(F, A, V)                                                           \
	F(u32, rx_sw_if_index, "frames received here...")                                          \
	F(u32, tx_sw_if_index, "...are sent out of here (one direction, as VPP)")

#define LIG_L2_API_SET_L3(F, A, V) F(u32, sw_if_index, "the interface")

#define LIG_L2_API_XC_DUMP(F, A, V) F(u32, rx_sw_if_index, "one interface, or 0 for all")

#define LIG_L2_API_XC_DETAILS(F, A, V)                                                             \
	F(u32, rx_sw_if_index, "the cross-connected interface")                                    \
	F(u32, tx_sw_if_index, "where its frames go")

#define LIG_L2_API_FIB_ADD_DEL(F, A, V)                                                            \
	F(mac, mac, "unicast, non-zero")                                                           \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(u32, sw_if_index, "a port of the domain (add; ignored for a filter entry)")              \
	F(bool, is_add, "1 adds or replaces, 0 deletes (static or learned)")                       \
	F(bool, static_mac, "never ages, never overwritten by learning")                           \
	F(bool, bvi_mac, "the destination is the domain's BVI, sw_if_index (implies static)")      \
	F(bool, filter_mac, "frames to this MAC are dropped (implies static)")

#define LIG_L2_API_FIB_DUMP(F, A, V)                                                               \
	F(u32, bd_id, "one bridge domain, or 0 for all")                                           \
	F(u32, sw_if_index, "only entries pointing at this interface; 0: any")                     \
	F(bool, static_only, "1: only static entries (the configuration)")                         \
	F(bool, learned_only, "1: only entries that are not static (learned: state)")

#define LIG_L2_API_FIB_DETAILS(F, A, V)                                                            \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(mac, mac, "the address")                                                                 \
	F(u32, sw_if_index, "the port, ~0 for a filter entry")                                     \
	F(bool, static_mac, "1: configured static entry; 0: learned (see learned)")                \
	F(bool, bvi_mac, "the destination is the BVI")                                             \
	F(bool, filter_mac, "frames to this MAC are dropped")                                      \
	F(bool, learned, "(state) 1: learned from traffic, not configuration (a copy skips it)")   \
	F(u32, bd_index, "(state) internal index of the domain")                                   \
	F(u8, bsn, "(state) the domain's sequence number when the entry was made")                 \
	F(u32, age_minutes,                                                                        \
	  "(state) minutes since last seen; ~0: it does not age (static, or mac-age 0)")

#define LIG_L2_API_FIB_CLEAR_REPLY(F, A, V) F(u32, n_removed, "learned entries removed")

#define LIG_L2_API_FIB_SET_LEARN_LIMIT(F, A, V)                                                    \
	F(u32, learn_limit, "entries that are not static, 1..131072 (default 65536)")

#define LIG_L2_API_FIB_INFO_REPLY(F, A, V)                                                         \
	F(u32, learn_limit, "learning stops at this many entries that are not static")             \
	F(u32, capacity, "(state) table capacity, learned and static together")                    \
	F(u32, n_learned, "(state) entries that are not static")                                   \
	F(u32, n_static, "(state) static entries")                                                 \
	F(u64, n_aged, "(state) entries removed by aging since start")

#define LIG_L2_API_ARP_ADD_DEL(F, A, V)                                                            \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(ip4, ip4, "the IPv4 address ARP requests ask for")                                       \
	F(mac, mac, "the MAC the reply gives (add: unicast, non-zero)")                            \
	F(bool, is_add, "1 adds or replaces, 0 deletes")

#define LIG_L2_API_ARP_DUMP(F, A, V) F(u32, bd_id, "one bridge domain, or 0 for all")

#define LIG_L2_API_ARP_DETAILS(F, A, V)                                                            \
	F(u32, bd_id, "the bridge domain")                                                         \
	F(ip4, ip4, "the address")                                                                 \
	F(mac, mac, "its MAC")

#define LIG_L2_API_TYPES(T) T(l2_bd_member, LIG_L2_API_BD_MEMBER, "a port of a bridge domain")

#define LIG_L2_API_MSGS(M)                                                                         \
	M(bridge_domain_add_del, 0x0601, REQUEST, LIG_L2_API_BD_ADD_DEL,                           \
	  LIG_L2_API_BD_ADD_DEL_REPLY, "creates or deletes a bridge domain")                       \
	M(bridge_domain_set_flags, 0x0602, REQUEST, LIG_L2_API_BD_SET_FLAGS,                       \
	  LIG_L2_API_BD_SET_FLAGS_REPLY, "sets or clears a bridge domain's feature flags")         \
	M(bridge_domain_set_mac_age, 0x0603, REQUEST, LIG_L2_API_BD_SET_MAC_AGE, LIG_API_NONE,     \
	  "changes how long learned MACs of a bridge domain live")                                 \
	M(bridge_domain_dump, 0x0604, DUMP, LIG_L2_API_BD_DUMP, LIG_L2_API_BD_DETAILS,             \
	  "bridge domains with their flags and members, in index order")                           \
	M(sw_interface_set_l2_bridge, 0x0605, REQUEST, LIG_L2_API_SET_BRIDGE, LIG_API_NONE,        \
	  "makes an interface a port (or the BVI) of a bridge domain, leaving its previous mode")  \
	M(sw_interface_set_l2_xconnect, 0x0606, REQUEST, LIG_L2_API_SET_XCONNECT, LIG_API_NONE,    \
	  "cross-connects an interface's received frames to another interface")                    \
	M(sw_interface_set_l3, 0x0607, REQUEST, LIG_L2_API_SET_L3, LIG_API_NONE,                   \
	  "returns an interface to L3, out of its bridge domain or cross-connect")                 \
	M(l2_xconnect_dump, 0x0608, DUMP, LIG_L2_API_XC_DUMP, LIG_L2_API_XC_DETAILS,               \
	  "cross-connected interfaces")                                                            \
	M(l2fib_add_del, 0x0609, REQUEST, LIG_L2_API_FIB_ADD_DEL, LIG_API_NONE,                    \
	  "adds, replaces or deletes an L2 FIB entry")                                             \
	M(l2fib_dump, 0x060a, DUMP, LIG_L2_API_FIB_DUMP, LIG_L2_API_FIB_DETAILS,                   \
	  "L2 FIB entries, by domain index and MAC; static ones are configuration, learned "       \
	  "ones state")                                                                            \
	M(l2fib_clear, 0x060b, REQUEST, LIG_API_NONE, LIG_L2_API_FIB_CLEAR_REPLY,                  \
	  "removes every learned L2 FIB entry; static ones stay")                                  \
	M(l2fib_set_learn_limit, 0x060c, REQUEST, LIG_L2_API_FIB_SET_LEARN_LIMIT, LIG_API_NONE,    \
	  "sets how many entries that are not static the L2 FIB holds")                            \
	M(l2fib_info, 0x060d, REQUEST, LIG_API_NONE, LIG_L2_API_FIB_INFO_REPLY,                    \
	  "the L2 FIB's learn limit and totals")                                                   \
	M(bd_ip_mac_add_del, 0x060e, REQUEST, LIG_L2_API_ARP_ADD_DEL, LIG_API_NONE,                \
	  "adds, replaces or deletes an ARP-termination entry of a bridge domain")                 \
	M(bd_ip_mac_dump, 0x060f, DUMP, LIG_L2_API_ARP_DUMP, LIG_L2_API_ARP_DETAILS,               \
	  "ARP-termination entries, by domain index and address")

LIG_L2_API_TYPES(LIG_API_DECLARE_TYPE)
LIG_L2_API_MSGS(LIG_API_DECLARE)

#endif

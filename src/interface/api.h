/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interface messages (module 0x01): what every interface has, whatever its class.
 * Creation and class parameters belong to each class's module (af_packet, tap, memif,
 * loopback, vxlan); IPv4 addresses and VRF to ip4; L2 modes to l2.
 */
#ifndef LIG_INTERFACE_API_H
#define LIG_INTERFACE_API_H

#include "../vlib/api_msg.h"

#define LIG_INTERFACE_API_SET_FLAGS(F, A, V)                                                       \
	F(u32, sw_if_index, "the interface")                                                       \
	F(bool, admin_up, "1: up, 0: down")

#define LIG_INTERFACE_API_SET_MAC(F, A, V)                                                         \
	F(u32, sw_if_index, "the interface")                                                       \
	F(mac, mac, "the new address (unicast)")

#define LIG_INTERFACE_API_SET_MTU(F, A, V)                                                         \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, mtu, "L3 MTU, 68..65517")

#define LIG_INTERFACE_API_SET_TAG(F, A, V)                                                         \
	F(u32, sw_if_index, "the interface")                                                       \
	F(str64, tag, "the client's name: up to 63 of printable ASCII but '\"'; empty: none")

#define LIG_INTERFACE_API_DUMP(F, A, V)                                                            \
	F(u32, sw_if_index, "one interface, or 0 for all (then name may filter)")                  \
	F(str64, name, "exact name to match; empty: any")

#define LIG_INTERFACE_API_DETAILS(F, A, V)                                                         \
	F(u32, sw_if_index, "index")                                                               \
	F(str64, name, "name")                                                                     \
	F(str16, device_class, "af_packet, tap, loopback, memif, vxlan...")                        \
	F(bool, admin_up, "administrative state")                                                  \
	F(bool, link_up, "(state) carrier / peer connected")                                       \
	F(mac, mac, "Ethernet address")                                                            \
	F(u32, mtu, "L3 MTU")                                                                      \
	F(u8, l2_mode, "(state) 0 l3, 1 bridge port, 2 xconnect (configured by l2 messages)")      \
	F(bool, l2_bvi, "(state) the BVI of its bridge domain (configured by l2 messages)")        \
	F(u64, rx_packets, "(state) counters")                                                     \
	F(u64, rx_bytes, "(state)")                                                                \
	F(u64, tx_packets, "(state)")                                                              \
	F(u64, tx_bytes, "(state)")                                                                \
	F(u64, drops, "(state)")                                                                   \
	F(u64, rx_errors, "(state)")                                                               \
	F(u64, tx_errors, "(state)")                                                               \
	F(str64, tag, "the client's name for it (sw_interface_set_tag); empty: none")

#define LIG_INTERFACE_API_EVENT(F, A, V)                                                           \
	F(u8, event, "0 add, 1 delete, 2 admin, 3 link, 4 mac, 5 mtu")                             \
	F(u32, sw_if_index, "the interface")                                                       \
	F(str64, name, "its name")                                                                 \
	F(bool, admin_up, "state after the change")                                                \
	F(bool, link_up, "")                                                                       \
	F(mac, mac, "")                                                                            \
	F(u32, mtu, "")                                                                            \
	F(str64, tag, "its tag (empty: none)")

#define LIG_INTERFACE_API_SET_RX_PLACEMENT(F, A, V)                                                \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, queue_id, "its rx queue")                                                           \
	F(u32, worker_id, "the worker to poll it, 0-based (ignored with is_main)")                 \
	F(bool, is_main, "1: the main thread, which polls only when there are no workers")

#define LIG_INTERFACE_API_RX_PLACEMENT_DUMP(F, A, V)                                               \
	F(u32, sw_if_index, "one interface, or 0 for all")

#define LIG_INTERFACE_API_RX_PLACEMENT_DETAILS(F, A, V)                                            \
	F(u32, sw_if_index, "the interface")                                                       \
	F(u32, queue_id, "the rx queue")                                                           \
	F(u32, worker_id, "(state) the worker polling it, 0-based; 0xffffffff: main")              \
	F(u8, mode, "(state) 1 polling (its thread wakes every 100 us when idle), 2 interrupt")    \
	F(bool, manual, "(state) placed by sw_interface_set_rx_placement (kept across reconnects)")

#define LIG_INTERFACE_API_MSGS(M)                                                                  \
	M(sw_interface_set_flags, 0x0101, REQUEST, LIG_INTERFACE_API_SET_FLAGS, LIG_API_NONE,      \
	  "sets an interface administratively up or down")                                         \
	M(sw_interface_set_mac, 0x0102, REQUEST, LIG_INTERFACE_API_SET_MAC, LIG_API_NONE,          \
	  "changes an interface's MAC address")                                                    \
	M(sw_interface_set_mtu, 0x0103, REQUEST, LIG_INTERFACE_API_SET_MTU, LIG_API_NONE,          \
	  "changes an interface's L3 MTU")                                                         \
	M(sw_interface_dump, 0x0104, DUMP, LIG_INTERFACE_API_DUMP, LIG_INTERFACE_API_DETAILS,      \
	  "interfaces with their common state and counters")                                       \
	M(interface_event, 0x0105, EVENT, LIG_INTERFACE_API_EVENT, LIG_API_NONE,                   \
	  "an interface was added or deleted, or its admin, link, MAC or MTU changed")             \
	M(sw_interface_set_tag, 0x0106, REQUEST, LIG_INTERFACE_API_SET_TAG, LIG_API_NONE,          \
	  "names an interface with a tag of the client's (vpp-agent: its logical name)")           \
	M(sw_interface_set_rx_placement, 0x0107, REQUEST, LIG_INTERFACE_API_SET_RX_PLACEMENT,      \
	  LIG_API_NONE, "moves one rx queue of an interface to a worker thread")                   \
	M(sw_interface_rx_placement_dump, 0x0108, DUMP, LIG_INTERFACE_API_RX_PLACEMENT_DUMP,       \
	  LIG_INTERFACE_API_RX_PLACEMENT_DETAILS, "which thread polls each rx queue")

LIG_INTERFACE_API_MSGS(LIG_API_DECLARE)

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap messages (module 0x03): tap<id> interfaces whose kernel side ligd creates, optionally
 * in another network namespace with a MAC, an MTU, a Linux bridge, an IPv4 address and a
 * default route (VPP's host-* options). Common settings
 * (admin state, MTU, MAC changes) are interface messages.
 */
#ifndef LIG_TAP_API_H
#define LIG_TAP_API_H

#include "../vlib/api_msg.h"

#define LIG_TAP_API_CREATE(F, A, V)                                                                \
	F(u32, id, "the interface is tap<id>, 0..65535")                                           \
	F(str16, host_if_name, "the kernel side's name; empty: tap<id>")                           \
	F(str64, host_ns, "network namespace (/run/netns/<name>); empty: ligd's own")              \
	F(ip4, host_ip4_addr, "IPv4 address of the kernel side; 0.0.0.0: none")                    \
	F(u8, host_ip4_prefix_len, "its prefix length, 0..32")                                     \
	F(ip4, host_ip4_gw, "default route of the kernel side; 0.0.0.0: none (needs an address)")  \
	F(mac, hw_addr, "ligd's MAC, unicast; 00:00:00:00:00:00: a random local one")              \
	F(mac, host_mac_addr, "the kernel side's MAC, unicast; 00:00:00:00:00:00: the kernel's")   \
	F(u32, host_mtu_size, "the kernel side's MTU, 68..65517; 0: the kernel's default")         \
	F(str16, host_bridge, "a Linux bridge in host_ns to put the kernel side in; empty: none")  \
	F(u32, tap_flags,                                                                          \
	  "LIG_TAP_FLAG_*, VPP's values: 1 gso (TCP super-frames both ways), 2 csum-offload "      \
	  "(always in force); ligd's: 0x10000 no-vhost (the tun fd backend even with "             \
	  "/dev/vhost-net); other bits refused")                                                   \
	F(u32, num_rx_queues,                                                                      \
	  "queue pairs, 1..16 (0 is taken as 1); more than one: IFF_MULTI_QUEUE, one tun fd per "  \
	  "pair, on the tun fd backend")

#define LIG_TAP_API_CREATE_REPLY(F, A, V) F(u32, sw_if_index, "the new tap<id>")

#define LIG_TAP_API_DELETE(F, A, V) F(u32, sw_if_index, "the tap interface")

#define LIG_TAP_API_DUMP(F, A, V) F(u32, sw_if_index, "one tap interface, or 0 for all")

#define LIG_TAP_API_DETAILS(F, A, V)                                                               \
	F(u32, sw_if_index, "the interface (tap<id>)")                                             \
	F(u32, id, "its id")                                                                       \
	F(str16, host_if_name, "the kernel side's name")                                           \
	F(str64, host_ns, "its network namespace; empty: ligd's own")                              \
	F(ip4, host_ip4_addr, "the address ligd gave it; 0.0.0.0: none")                           \
	F(u8, host_ip4_prefix_len, "its prefix length")                                            \
	F(ip4, host_ip4_gw, "the default route ligd gave it; 0.0.0.0: none")                       \
	F(mac, hw_addr, "ligd's MAC")                                                              \
	F(mac, host_mac_addr, "the kernel side's MAC as asked; 00:00:00:00:00:00: the kernel's")   \
	F(u32, host_mtu_size, "the kernel side's MTU as asked; 0: the kernel's default")           \
	F(str16, host_bridge, "the Linux bridge it was put in; empty: none")                       \
	F(u32, tap_flags, "LIG_TAP_FLAG_* in force (csum-offload always)")                         \
	F(u32, num_rx_queues, "queue pairs")

#define LIG_TAP_API_MSGS(M)                                                                        \
	M(tap_create, 0x0301, REQUEST, LIG_TAP_API_CREATE, LIG_TAP_API_CREATE_REPLY,               \
	  "creates tap<id> and its kernel side (admin down, no carrier until up)")                 \
	M(tap_delete, 0x0302, REQUEST, LIG_TAP_API_DELETE, LIG_API_NONE,                           \
	  "deletes a tap interface; its kernel side goes with it")                                 \
	M(tap_dump, 0x0303, DUMP, LIG_TAP_API_DUMP, LIG_TAP_API_DETAILS,                           \
	  "tap interfaces with their kernel side as created")

LIG_TAP_API_MSGS(LIG_API_DECLARE)

#endif

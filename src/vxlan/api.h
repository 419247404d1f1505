/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VXLAN messages (module 0x08): tunnels over IPv4. A tunnel is an interface
 * (vxlan_tunnel<instance>); its admin state, MTU and L2 mode are set through the interface
 * and l2 messages. Head-end replication is a bridge domain with several tunnels as
 * members (l2 messages).
 */
#ifndef LIG_VXLAN_API_H
#define LIG_VXLAN_API_H

#include "../vlib/api_msg.h"

#define LIG_VXLAN_API_ADD_DEL(F, A, V)                                                             \
	F(bool, is_add, "1 creates the tunnel (admin up), 0 deletes the tunnel (src, dst, vni)")   \
	F(ip4, src, "our end: an address of ours in the encap table (unicast)")                    \
	F(ip4, dst, "the peer (unicast, not src)")                                                 \
	F(u32, vni, "VXLAN network identifier, 0..16777215")                                       \
	F(u32, encap_table_id, "the table (VRF) the outer packets are routed in; it must exist")   \
	F(u32, decap_next, "what decapsulated frames go to: 0 l2 (ethernet-input on the tunnel)")  \
	F(u32, instance, "the name's number (vxlan_tunnel<instance>), 0..4095; ~0: lowest free")

#define LIG_VXLAN_API_ADD_DEL_REPLY(F, A, V)                                                       \
	F(u32, sw_if_index, "the tunnel interface (created or deleted)")

#define LIG_VXLAN_API_DUMP(F, A, V) F(u32, sw_if_index, "one tunnel interface, or 0 for all")

#define LIG_VXLAN_API_DETAILS(F, A, V)                                                             \
	F(u32, sw_if_index, "the tunnel interface")                                                \
	F(u32, instance, "its instance (the number in its name)")                                  \
	F(ip4, src, "our end")                                                                     \
	F(ip4, dst, "the peer")                                                                    \
	F(u32, vni, "VXLAN network identifier")                                                    \
	F(u32, encap_table_id, "the table (VRF) the outer packets are routed in")                  \
	F(u32, decap_next, "0 l2")

#define LIG_VXLAN_API_MSGS(M)                                                                      \
	M(vxlan_add_del_tunnel, 0x0801, REQUEST, LIG_VXLAN_API_ADD_DEL,                            \
	  LIG_VXLAN_API_ADD_DEL_REPLY, "creates or deletes a VXLAN tunnel interface")              \
	M(vxlan_tunnel_dump, 0x0802, DUMP, LIG_VXLAN_API_DUMP, LIG_VXLAN_API_DETAILS,              \
	  "VXLAN tunnels, by instance")

LIG_VXLAN_API_MSGS(LIG_API_DECLARE)

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The tables the protobuf JSON codec (pbjson.c) walks: every message of the covered vpp-agent
 * models with every field the .proto files define (field numbers, declaration order, types),
 * and every enum with its names. Fields Ligature does not support are here too: they are
 * decoded, then refused by the model's check_supported with a reason, never ignored.
 * Sources (vpp-agent v3): proto/ligato/vpp/interfaces/interface.proto,
 * proto/ligato/vpp/ipsec/ipsec.proto (CryptoAlg, IntegAlg),
 * proto/ligato/vpp/l2/{bridge_domain,fib,xconnect}.proto,
 * proto/ligato/vpp/l3/{vrf,route,arp}.proto, proto/ligato/linux/interfaces/interface.proto,
 * proto/ligato/linux/namespace/namespace.proto, proto/ligato/linux/l3/{route,arp}.proto,
 * proto/ligato/vpp/acl/acl.proto, proto/ligato/vpp/nat/nat.proto. */
#include <stddef.h>

#include "lig_models_types.h"
#include "schema.h"

/* storage: static for the tables only this file uses, empty for those schema.h exports. */
#define ENUM(storage, var, pname, ...)                                                             \
	static const struct lig_pb_enum_value var##_values[] = {__VA_ARGS__};                      \
	storage const struct lig_pb_enum var = {pname, var##_values, LIG_PB_COUNT(var##_values)}

#define MESSAGE(storage, var, pname, st, flds)                                                     \
	storage const struct lig_pb_message var = {pname, sizeof(st), flds, LIG_PB_COUNT(flds),    \
						   NULL,  0}

#define MESSAGE_ONEOF(var, pname, st, flds, oneof_name, case_field)                                \
	static const struct lig_pb_oneof var##_oneofs[] = {                                        \
	    {oneof_name, offsetof(st, case_field)}};                                               \
	const struct lig_pb_message var = {pname,	 sizeof(st), flds, LIG_PB_COUNT(flds),     \
					   var##_oneofs, 1}

/* ---- VPP interfaces ---- */

ENUM(, lig_pb_enum_vpp_if_type, "ligato.vpp.interfaces.Interface.Type", {"UNDEFINED_TYPE", 0},
     {"SUB_INTERFACE", 1}, {"SOFTWARE_LOOPBACK", 2}, {"DPDK", 3}, {"MEMIF", 4}, {"TAP", 5},
     {"AF_PACKET", 6}, {"VXLAN_TUNNEL", 7}, {"IPSEC_TUNNEL", 8}, {"VMXNET3_INTERFACE", 9},
     {"BOND_INTERFACE", 10}, {"GRE_TUNNEL", 11}, {"GTPU_TUNNEL", 12}, {"IPIP_TUNNEL", 13},
     {"WIREGUARD_TUNNEL", 14}, {"RDMA", 15});
ENUM(, lig_pb_enum_vpp_rx_mode, "ligato.vpp.interfaces.Interface.RxMode.Type", {"UNKNOWN", 0},
     {"POLLING", 1}, {"INTERRUPT", 2}, {"ADAPTIVE", 3}, {"DEFAULT", 4});
ENUM(, lig_pb_enum_vpp_memif_mode, "ligato.vpp.interfaces.MemifLink.MemifMode", {"ETHERNET", 0},
     {"IP", 1}, {"PUNT_INJECT", 2});
ENUM(static, enum_sub_tag_rw, "ligato.vpp.interfaces.SubInterface.TagRewriteOptions",
     {"DISABLED", 0}, {"PUSH1", 1}, {"PUSH2", 2}, {"POP1", 3}, {"POP2", 4}, {"TRANSLATE11", 5},
     {"TRANSLATE12", 6}, {"TRANSLATE21", 7}, {"TRANSLATE22", 8});
ENUM(static, enum_gpe_protocol, "ligato.vpp.interfaces.VxlanLink.Gpe.Protocol", {"UNKNOWN", 0},
     {"IP4", 1}, {"IP6", 2}, {"ETHERNET", 3}, {"NSH", 4});
ENUM(static, enum_ipsec_mode, "ligato.vpp.interfaces.IPSecLink.Mode", {"POINT_TO_POINT", 0},
     {"POINT_TO_MULTIPOINT", 1});
ENUM(static, enum_crypto_alg, "ligato.vpp.ipsec.CryptoAlg", {"NONE_CRYPTO", 0}, {"AES_CBC_128", 1},
     {"AES_CBC_192", 2}, {"AES_CBC_256", 3}, {"AES_CTR_128", 4}, {"AES_CTR_192", 5},
     {"AES_CTR_256", 6}, {"AES_GCM_128", 7}, {"AES_GCM_192", 8}, {"AES_GCM_256", 9},
     {"DES_CBC", 10}, {"DES3_CBC", 11});
ENUM(static, enum_integ_alg, "ligato.vpp.ipsec.IntegAlg", {"NONE_INTEG", 0}, {"MD5_96", 1},
     {"SHA1_96", 2}, {"SHA_256_96", 3}, {"SHA_256_128", 4}, {"SHA_384_192", 5}, {"SHA_512_256", 6});
ENUM(static, enum_bond_mode, "ligato.vpp.interfaces.BondLink.Mode", {"UNKNOWN", 0},
     {"ROUND_ROBIN", 1}, {"ACTIVE_BACKUP", 2}, {"XOR", 3}, {"BROADCAST", 4}, {"LACP", 5});
ENUM(static, enum_bond_lb, "ligato.vpp.interfaces.BondLink.LoadBalance", {"L2", 0}, {"L34", 1},
     {"L23", 2}, {"RR", 3}, {"BC", 4}, {"AB", 5});
ENUM(static, enum_gre_type, "ligato.vpp.interfaces.GreLink.Type", {"UNKNOWN", 0}, {"L3", 1},
     {"TEB", 2}, {"ERSPAN", 3});
ENUM(static, enum_gtpu_next, "ligato.vpp.interfaces.GtpuLink.NextNode", {"DEFAULT", 0}, {"L2", 1},
     {"IP4", 2}, {"IP6", 3});
ENUM(static, enum_ipip_mode, "ligato.vpp.interfaces.IPIPLink.Mode", {"POINT_TO_POINT", 0},
     {"POINT_TO_MULTIPOINT", 1});
ENUM(static, enum_rdma_mode, "ligato.vpp.interfaces.RDMALink.Mode", {"AUTO", 0}, {"IBV", 1},
     {"DV", 2});

#define ST struct lig_vpp_if_ip6nd
static const struct lig_pb_field f_ip6nd[] = {
    LIG_PBF_BOOL(ST, address_autoconfig, 1),
    LIG_PBF_BOOL(ST, install_default_routes, 2),
};
MESSAGE(static, m_ip6nd, "ligato.vpp.interfaces.Interface.IP6ND", ST, f_ip6nd);
#undef ST

#define ST struct lig_vpp_if_unnumbered
static const struct lig_pb_field f_unnumbered[] = {
    LIG_PBF_STR(ST, interface_with_ip, 1),
};
MESSAGE(static, m_unnumbered, "ligato.vpp.interfaces.Interface.Unnumbered", ST, f_unnumbered);
#undef ST

#define ST struct lig_vpp_if_rx_mode
static const struct lig_pb_field f_rx_mode[] = {
    LIG_PBF_U32(ST, queue, 1),
    LIG_PBF_ENUM(ST, mode, 2, lig_pb_enum_vpp_rx_mode),
    LIG_PBF_BOOL(ST, default_mode, 3),
};
MESSAGE(static, m_rx_mode, "ligato.vpp.interfaces.Interface.RxMode", ST, f_rx_mode);
#undef ST

#define ST struct lig_vpp_if_rx_placement
static const struct lig_pb_field f_rx_placement[] = {
    LIG_PBF_U32(ST, queue, 1),
    LIG_PBF_U32(ST, worker, 2),
    LIG_PBF_BOOL(ST, main_thread, 3),
};
MESSAGE(static, m_rx_placement, "ligato.vpp.interfaces.Interface.RxPlacement", ST, f_rx_placement);
#undef ST

#define ST struct lig_vpp_sub_link
static const struct lig_pb_field f_sub[] = {
    LIG_PBF_STR(ST, parent_name, 1),
    LIG_PBF_U32(ST, sub_id, 2),
    LIG_PBF_ENUM(ST, tag_rw_option, 3, enum_sub_tag_rw),
    LIG_PBF_BOOL(ST, push_dot1q, 4),
    LIG_PBF_U32(ST, tag1, 5),
    LIG_PBF_U32(ST, tag2, 6),
};
MESSAGE(static, m_sub, "ligato.vpp.interfaces.SubInterface", ST, f_sub);
#undef ST

#define ST struct lig_vpp_memif_link
static const struct lig_pb_field f_memif[] = {
    LIG_PBF_ENUM(ST, mode, 1, lig_pb_enum_vpp_memif_mode),
    LIG_PBF_BOOL(ST, master, 2),
    LIG_PBF_U32(ST, id, 3),
    LIG_PBF_STR(ST, socket_filename, 4),
    LIG_PBF_STR(ST, secret, 5),
    LIG_PBF_U32(ST, ring_size, 6),
    LIG_PBF_U32(ST, buffer_size, 7),
    LIG_PBF_U32(ST, rx_queues, 8),
    LIG_PBF_U32(ST, tx_queues, 9),
};
MESSAGE(static, m_memif, "ligato.vpp.interfaces.MemifLink", ST, f_memif);
#undef ST

#define ST struct lig_vpp_vxlan_gpe
static const struct lig_pb_field f_gpe[] = {
    LIG_PBF_U32(ST, decap_vrf_id, 1),
    LIG_PBF_ENUM(ST, protocol, 2, enum_gpe_protocol),
};
MESSAGE(static, m_gpe, "ligato.vpp.interfaces.VxlanLink.Gpe", ST, f_gpe);
#undef ST

#define ST struct lig_vpp_vxlan_link
static const struct lig_pb_field f_vxlan[] = {
    LIG_PBF_STR(ST, src_address, 1), LIG_PBF_STR(ST, dst_address, 2), LIG_PBF_U32(ST, vni, 3),
    LIG_PBF_STR(ST, multicast, 4),   LIG_PBF_MSG(ST, gpe, 5, m_gpe),
};
MESSAGE(static, m_vxlan, "ligato.vpp.interfaces.VxlanLink", ST, f_vxlan);
#undef ST

#define ST struct lig_vpp_afpacket_link
static const struct lig_pb_field f_afpacket[] = {
    LIG_PBF_STR(ST, host_if_name, 1),
    LIG_PBF_STR(ST, linux_interface, 2),
};
MESSAGE(static, m_afpacket, "ligato.vpp.interfaces.AfpacketLink", ST, f_afpacket);
#undef ST

#define ST struct lig_vpp_tap_link
static const struct lig_pb_field f_tap[] = {
    LIG_PBF_U32(ST, version, 1),	 LIG_PBF_STR(ST, host_if_name, 2),
    LIG_PBF_STR(ST, to_microservice, 3), LIG_PBF_U32(ST, rx_ring_size, 4),
    LIG_PBF_U32(ST, tx_ring_size, 5),	 LIG_PBF_BOOL(ST, enable_gso, 6),
    LIG_PBF_BOOL(ST, enable_tunnel, 7),
};
MESSAGE(static, m_tap, "ligato.vpp.interfaces.TapLink", ST, f_tap);
#undef ST

#define ST struct lig_vpp_ipsec_link
static const struct lig_pb_field f_ipsec[] = {
    LIG_PBF_ENUM(ST, tunnel_mode, 1, enum_ipsec_mode),
    LIG_PBF_BOOL(ST, esn, 2),
    LIG_PBF_BOOL(ST, anti_replay, 3),
    LIG_PBF_STR(ST, local_ip, 4),
    LIG_PBF_STR(ST, remote_ip, 5),
    LIG_PBF_U32(ST, local_spi, 6),
    LIG_PBF_U32(ST, remote_spi, 7),
    LIG_PBF_ENUM(ST, crypto_alg, 8, enum_crypto_alg),
    LIG_PBF_STR(ST, local_crypto_key, 9),
    LIG_PBF_STR(ST, remote_crypto_key, 10),
    LIG_PBF_ENUM(ST, integ_alg, 11, enum_integ_alg),
    LIG_PBF_STR(ST, local_integ_key, 12),
    LIG_PBF_STR(ST, remote_integ_key, 13),
    LIG_PBF_BOOL(ST, enable_udp_encap, 14),
};
MESSAGE(static, m_ipsec, "ligato.vpp.interfaces.IPSecLink", ST, f_ipsec);
#undef ST

#define ST struct lig_vpp_vmxnet3_link
static const struct lig_pb_field f_vmxnet3[] = {
    LIG_PBF_BOOL(ST, enable_elog, 2),
    LIG_PBF_U32(ST, rxq_size, 3),
    LIG_PBF_U32(ST, txq_size, 4),
};
MESSAGE(static, m_vmxnet3, "ligato.vpp.interfaces.VmxNet3Link", ST, f_vmxnet3);
#undef ST

#define ST struct lig_vpp_bonded_interface
static const struct lig_pb_field f_bonded[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_BOOL(ST, is_passive, 2),
    LIG_PBF_BOOL(ST, is_long_timeout, 3),
};
MESSAGE(static, m_bonded, "ligato.vpp.interfaces.BondLink.BondedInterface", ST, f_bonded);
#undef ST

#define ST struct lig_vpp_bond_link
static const struct lig_pb_field f_bond[] = {
    LIG_PBF_U32(ST, id, 1),
    LIG_PBF_ENUM(ST, mode, 3, enum_bond_mode),
    LIG_PBF_ENUM(ST, lb, 4, enum_bond_lb),
    LIG_PBF_REP_MSG(ST, bonded_interfaces, 12, m_bonded),
};
MESSAGE(static, m_bond, "ligato.vpp.interfaces.BondLink", ST, f_bond);
#undef ST

#define ST struct lig_vpp_gre_link
static const struct lig_pb_field f_gre[] = {
    LIG_PBF_ENUM(ST, tunnel_type, 1, enum_gre_type),
    LIG_PBF_STR(ST, src_addr, 2),
    LIG_PBF_STR(ST, dst_addr, 3),
    LIG_PBF_U32(ST, outer_fib_id, 4),
    LIG_PBF_U32(ST, session_id, 5),
};
MESSAGE(static, m_gre, "ligato.vpp.interfaces.GreLink", ST, f_gre);
#undef ST

/* Declaration order differs from the numbers: remote_teid (7) is declared before
 * encap_vrf_id (5). */
#define ST struct lig_vpp_gtpu_link
static const struct lig_pb_field f_gtpu[] = {
    LIG_PBF_STR(ST, src_addr, 1),
    LIG_PBF_STR(ST, dst_addr, 2),
    LIG_PBF_STR(ST, multicast, 3),
    LIG_PBF_U32(ST, teid, 4),
    LIG_PBF_U32(ST, remote_teid, 7),
    LIG_PBF_U32(ST, encap_vrf_id, 5),
    LIG_PBF_ENUM(ST, decap_next, 6, enum_gtpu_next),
    LIG_PBF_U32(ST, decap_next_node, 8),
};
MESSAGE(static, m_gtpu, "ligato.vpp.interfaces.GtpuLink", ST, f_gtpu);
#undef ST

#define ST struct lig_vpp_ipip_link
static const struct lig_pb_field f_ipip[] = {
    LIG_PBF_ENUM(ST, tunnel_mode, 1, enum_ipip_mode),
    LIG_PBF_STR(ST, src_addr, 2),
    LIG_PBF_STR(ST, dst_addr, 3),
};
MESSAGE(static, m_ipip, "ligato.vpp.interfaces.IPIPLink", ST, f_ipip);
#undef ST

#define ST struct lig_vpp_wireguard_link
static const struct lig_pb_field f_wireguard[] = {
    LIG_PBF_STR(ST, private_key, 2),
    LIG_PBF_U32(ST, port, 3),
    LIG_PBF_STR(ST, src_addr, 4),
};
MESSAGE(static, m_wireguard, "ligato.vpp.interfaces.WireguardLink", ST, f_wireguard);
#undef ST

#define ST struct lig_vpp_rdma_link
static const struct lig_pb_field f_rdma[] = {
    LIG_PBF_STR(ST, host_if_name, 1), LIG_PBF_ENUM(ST, mode, 2, enum_rdma_mode),
    LIG_PBF_U32(ST, rxq_num, 3),      LIG_PBF_U32(ST, rxq_size, 4),
    LIG_PBF_U32(ST, txq_size, 5),
};
MESSAGE(static, m_rdma, "ligato.vpp.interfaces.RDMALink", ST, f_rdma);
#undef ST

/* Declaration order: ip6_nd (14) comes after set_dhcp_client (7), before mtu (8). */
#define ST struct lig_vpp_interface
static const struct lig_pb_field f_vpp_interface[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_ENUM(ST, type, 2, lig_pb_enum_vpp_if_type),
    LIG_PBF_BOOL(ST, enabled, 3),
    LIG_PBF_STR(ST, phys_address, 4),
    LIG_PBF_REP_STR(ST, ip_addresses, 5),
    LIG_PBF_U32(ST, vrf, 6),
    LIG_PBF_BOOL(ST, set_dhcp_client, 7),
    LIG_PBF_MSG(ST, ip6_nd, 14, m_ip6nd),
    LIG_PBF_U32(ST, mtu, 8),
    LIG_PBF_MSG(ST, unnumbered, 9, m_unnumbered),
    LIG_PBF_REP_MSG(ST, rx_modes, 12, m_rx_mode),
    LIG_PBF_REP_MSG(ST, rx_placements, 13, m_rx_placement),
    LIG_PBF_ONEOF_MSG(ST, link, sub, 100, m_sub, 0),
    LIG_PBF_ONEOF_MSG(ST, link, memif, 101, m_memif, 0),
    LIG_PBF_ONEOF_MSG(ST, link, afpacket, 102, m_afpacket, 0),
    LIG_PBF_ONEOF_MSG(ST, link, tap, 103, m_tap, 0),
    LIG_PBF_ONEOF_MSG(ST, link, vxlan, 104, m_vxlan, 0),
    LIG_PBF_ONEOF_MSG(ST, link, ipsec, 105, m_ipsec, 0),
    LIG_PBF_ONEOF_MSG(ST, link, vmx_net3, 106, m_vmxnet3, 0),
    LIG_PBF_ONEOF_MSG(ST, link, bond, 107, m_bond, 0),
    LIG_PBF_ONEOF_MSG(ST, link, gre, 108, m_gre, 0),
    LIG_PBF_ONEOF_MSG(ST, link, gtpu, 109, m_gtpu, 0),
    LIG_PBF_ONEOF_MSG(ST, link, ipip, 110, m_ipip, 0),
    LIG_PBF_ONEOF_MSG(ST, link, wireguard, 111, m_wireguard, 0),
    LIG_PBF_ONEOF_MSG(ST, link, rdma, 112, m_rdma, 0),
};
MESSAGE_ONEOF(lig_pb_vpp_interface, "ligato.vpp.interfaces.Interface", ST, f_vpp_interface, "link",
	      link_case);
#undef ST

/* ---- VPP L2 ---- */

#define ST struct lig_vpp_bd_interface
static const struct lig_pb_field f_bd_interface[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_BOOL(ST, bridged_virtual_interface, 2),
    LIG_PBF_U32(ST, split_horizon_group, 3),
};
MESSAGE(static, m_bd_interface, "ligato.vpp.l2.BridgeDomain.Interface", ST, f_bd_interface);
#undef ST

#define ST struct lig_vpp_bd_arp_entry
static const struct lig_pb_field f_bd_arp[] = {
    LIG_PBF_STR(ST, ip_address, 1),
    LIG_PBF_STR(ST, phys_address, 2),
};
MESSAGE(static, m_bd_arp, "ligato.vpp.l2.BridgeDomain.ArpTerminationEntry", ST, f_bd_arp);
#undef ST

#define ST struct lig_vpp_bridge_domain
static const struct lig_pb_field f_bridge_domain[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_BOOL(ST, flood, 2),
    LIG_PBF_BOOL(ST, unknown_unicast_flood, 3),
    LIG_PBF_BOOL(ST, forward, 4),
    LIG_PBF_BOOL(ST, learn, 5),
    LIG_PBF_BOOL(ST, arp_termination, 6),
    LIG_PBF_U32(ST, mac_age, 7),
    LIG_PBF_REP_MSG(ST, interfaces, 100, m_bd_interface),
    LIG_PBF_REP_MSG(ST, arp_termination_table, 102, m_bd_arp),
};
MESSAGE(, lig_pb_vpp_bridge_domain, "ligato.vpp.l2.BridgeDomain", ST, f_bridge_domain);
#undef ST

ENUM(, lig_pb_enum_vpp_fib_action, "ligato.vpp.l2.FIBEntry.Action", {"FORWARD", 0}, {"DROP", 1});

#define ST struct lig_vpp_l2_fib
static const struct lig_pb_field f_fib[] = {
    LIG_PBF_STR(ST, phys_address, 1),
    LIG_PBF_STR(ST, bridge_domain, 2),
    LIG_PBF_ENUM(ST, action, 3, lig_pb_enum_vpp_fib_action),
    LIG_PBF_STR(ST, outgoing_interface, 4),
    LIG_PBF_BOOL(ST, static_config, 5),
    LIG_PBF_BOOL(ST, bridged_virtual_interface, 6),
};
MESSAGE(, lig_pb_vpp_l2_fib, "ligato.vpp.l2.FIBEntry", ST, f_fib);
#undef ST

#define ST struct lig_vpp_xconnect
static const struct lig_pb_field f_xconnect[] = {
    LIG_PBF_STR(ST, receive_interface, 1),
    LIG_PBF_STR(ST, transmit_interface, 2),
};
MESSAGE(, lig_pb_vpp_xconnect, "ligato.vpp.l2.XConnectPair", ST, f_xconnect);
#undef ST

/* ---- VPP L3 ---- */

ENUM(, lig_pb_enum_vpp_vrf_protocol, "ligato.vpp.l3.VrfTable.Protocol", {"IPV4", 0}, {"IPV6", 1});

#define ST struct lig_vpp_vrf_flow_hash
static const struct lig_pb_field f_flow_hash[] = {
    LIG_PBF_BOOL(ST, use_src_ip, 1),   LIG_PBF_BOOL(ST, use_dst_ip, 2),
    LIG_PBF_BOOL(ST, use_src_port, 3), LIG_PBF_BOOL(ST, use_dst_port, 4),
    LIG_PBF_BOOL(ST, use_protocol, 5), LIG_PBF_BOOL(ST, reverse, 6),
    LIG_PBF_BOOL(ST, symmetric, 7),
};
MESSAGE(static, m_flow_hash, "ligato.vpp.l3.VrfTable.FlowHashSettings", ST, f_flow_hash);
#undef ST

#define ST struct lig_vpp_vrf_table
static const struct lig_pb_field f_vrf_table[] = {
    LIG_PBF_U32(ST, id, 1),
    LIG_PBF_ENUM(ST, protocol, 2, lig_pb_enum_vpp_vrf_protocol),
    LIG_PBF_STR(ST, label, 3),
    LIG_PBF_MSG(ST, flow_hash_settings, 4, m_flow_hash),
};
MESSAGE(, lig_pb_vpp_vrf_table, "ligato.vpp.l3.VrfTable", ST, f_vrf_table);
#undef ST

ENUM(, lig_pb_enum_vpp_route_type, "ligato.vpp.l3.Route.RouteType", {"INTRA_VRF", 0},
     {"INTER_VRF", 1}, {"DROP", 2});

/* Declaration order: type (10) first. */
#define ST struct lig_vpp_route
static const struct lig_pb_field f_route[] = {
    LIG_PBF_ENUM(ST, type, 10, lig_pb_enum_vpp_route_type),
    LIG_PBF_U32(ST, vrf_id, 1),
    LIG_PBF_STR(ST, dst_network, 3),
    LIG_PBF_STR(ST, next_hop_addr, 4),
    LIG_PBF_STR(ST, outgoing_interface, 5),
    LIG_PBF_U32(ST, weight, 6),
    LIG_PBF_U32(ST, preference, 7),
    LIG_PBF_U32(ST, via_vrf_id, 8),
};
MESSAGE(, lig_pb_vpp_route, "ligato.vpp.l3.Route", ST, f_route);
#undef ST

#define ST struct lig_vpp_arp
static const struct lig_pb_field f_vpp_arp[] = {
    LIG_PBF_STR(ST, interface, 1),
    LIG_PBF_STR(ST, ip_address, 2),
    LIG_PBF_STR(ST, phys_address, 3),
    LIG_PBF_SCALAR(ST, static_, "static", 4, LIG_PB_BOOL),
};
MESSAGE(, lig_pb_vpp_arp, "ligato.vpp.l3.ARPEntry", ST, f_vpp_arp);
#undef ST

/* ---- Linux ---- */

ENUM(, lig_pb_enum_linux_if_type, "ligato.linux.interfaces.Interface.Type", {"UNDEFINED", 0},
     {"VETH", 1}, {"TAP_TO_VPP", 2}, {"LOOPBACK", 3}, {"EXISTING", 4}, {"VRF_DEVICE", 5},
     {"DUMMY", 6});
ENUM(, lig_pb_enum_linux_ns_type, "ligato.linux.namespace.NetNamespace.ReferenceType",
     {"UNDEFINED", 0}, {"NSID", 1}, {"PID", 2}, {"FD", 3}, {"MICROSERVICE", 4});
ENUM(, lig_pb_enum_linux_checksum, "ligato.linux.interfaces.VethLink.ChecksumOffloading",
     {"CHKSM_OFFLOAD_DEFAULT", 0}, {"CHKSM_OFFLOAD_ENABLED", 1}, {"CHKSM_OFFLOAD_DISABLED", 2});

#define ST struct lig_linux_namespace
static const struct lig_pb_field f_namespace[] = {
    LIG_PBF_ENUM(ST, type, 1, lig_pb_enum_linux_ns_type),
    LIG_PBF_STR(ST, reference, 2),
};
MESSAGE(static, m_namespace, "ligato.linux.namespace.NetNamespace", ST, f_namespace);
#undef ST

#define ST struct lig_linux_veth_link
static const struct lig_pb_field f_veth[] = {
    LIG_PBF_STR(ST, peer_if_name, 1),
    LIG_PBF_ENUM(ST, rx_checksum_offloading, 2, lig_pb_enum_linux_checksum),
    LIG_PBF_ENUM(ST, tx_checksum_offloading, 3, lig_pb_enum_linux_checksum),
};
MESSAGE(static, m_veth, "ligato.linux.interfaces.VethLink", ST, f_veth);
#undef ST

#define ST struct lig_linux_tap_link
static const struct lig_pb_field f_linux_tap[] = {
    LIG_PBF_STR(ST, vpp_tap_if_name, 1),
};
MESSAGE(static, m_linux_tap, "ligato.linux.interfaces.TapLink", ST, f_linux_tap);
#undef ST

#define ST struct lig_linux_vrf_dev_link
static const struct lig_pb_field f_vrf_dev[] = {
    LIG_PBF_U32(ST, routing_table, 1),
};
MESSAGE(static, m_vrf_dev, "ligato.linux.interfaces.VrfDevLink", ST, f_vrf_dev);
#undef ST

/* Declaration order: the link oneof (20..22) comes before link_only (9) and
 * vrf_master_interface (10). */
#define ST struct lig_linux_interface
static const struct lig_pb_field f_linux_interface[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_ENUM(ST, type, 2, lig_pb_enum_linux_if_type),
    {.name = "namespace",
     .number = 3,
     .type = LIG_PB_MESSAGE,
     .offset = offsetof(ST, namespace_),
     .has_offset = offsetof(ST, has_namespace),
     .message = &m_namespace},
    LIG_PBF_STR(ST, host_if_name, 4),
    LIG_PBF_BOOL(ST, enabled, 5),
    LIG_PBF_REP_STR(ST, ip_addresses, 6),
    LIG_PBF_STR(ST, phys_address, 7),
    LIG_PBF_U32(ST, mtu, 8),
    LIG_PBF_ONEOF_MSG(ST, link, veth, 20, m_veth, 0),
    LIG_PBF_ONEOF_MSG(ST, link, tap, 21, m_linux_tap, 0),
    LIG_PBF_ONEOF_MSG(ST, link, vrf_dev, 22, m_vrf_dev, 0),
    LIG_PBF_BOOL(ST, link_only, 9),
    LIG_PBF_STR(ST, vrf_master_interface, 10),
};
MESSAGE_ONEOF(lig_pb_linux_interface, "ligato.linux.interfaces.Interface", ST, f_linux_interface,
	      "link", link_case);
#undef ST

ENUM(, lig_pb_enum_linux_scope, "ligato.linux.l3.Route.Scope", {"UNDEFINED", 0}, {"GLOBAL", 1},
     {"SITE", 2}, {"LINK", 3}, {"HOST", 4});

#define ST struct lig_linux_route
static const struct lig_pb_field f_linux_route[] = {
    LIG_PBF_STR(ST, outgoing_interface, 1),
    LIG_PBF_ENUM(ST, scope, 2, lig_pb_enum_linux_scope),
    LIG_PBF_STR(ST, dst_network, 3),
    LIG_PBF_STR(ST, gw_addr, 4),
    LIG_PBF_U32(ST, metric, 5),
};
MESSAGE(, lig_pb_linux_route, "ligato.linux.l3.Route", ST, f_linux_route);
#undef ST

#define ST struct lig_linux_arp
static const struct lig_pb_field f_linux_arp[] = {
    LIG_PBF_STR(ST, interface, 1),
    LIG_PBF_STR(ST, ip_address, 2),
    LIG_PBF_STR(ST, hw_address, 3),
};
MESSAGE(, lig_pb_linux_arp, "ligato.linux.l3.ARPEntry", ST, f_linux_arp);
#undef ST

/* ---- VPP ACLs (proto/ligato/vpp/acl/acl.proto) ---- */

ENUM(, lig_pb_enum_vpp_acl_action, "ligato.vpp.acl.ACL.Rule.Action", {"DENY", 0}, {"PERMIT", 1},
     {"REFLECT", 2});

#define ST struct lig_vpp_acl_icmp_range
static const struct lig_pb_field f_acl_icmp_range[] = {
    LIG_PBF_U32(ST, first, 1),
    LIG_PBF_U32(ST, last, 2),
};
MESSAGE(static, m_acl_icmp_range, "ligato.vpp.acl.ACL.Rule.IpRule.Icmp.Range", ST,
	f_acl_icmp_range);
#undef ST

#define ST struct lig_vpp_acl_port_range
static const struct lig_pb_field f_acl_port_range[] = {
    LIG_PBF_U32(ST, lower_port, 1),
    LIG_PBF_U32(ST, upper_port, 2),
};
MESSAGE(static, m_acl_port_range, "ligato.vpp.acl.ACL.Rule.IpRule.PortRange", ST, f_acl_port_range);
#undef ST

#define ST struct lig_vpp_acl_ip
static const struct lig_pb_field f_acl_ip[] = {
    LIG_PBF_STR(ST, destination_network, 1),
    LIG_PBF_STR(ST, source_network, 2),
    LIG_PBF_U32(ST, protocol, 3),
};
MESSAGE(static, m_acl_ip, "ligato.vpp.acl.ACL.Rule.IpRule.Ip", ST, f_acl_ip);
#undef ST

#define ST struct lig_vpp_acl_icmp
static const struct lig_pb_field f_acl_icmp[] = {
    LIG_PBF_BOOL(ST, icmpv6, 1),
    LIG_PBF_MSG(ST, icmp_code_range, 2, m_acl_icmp_range),
    LIG_PBF_MSG(ST, icmp_type_range, 3, m_acl_icmp_range),
};
MESSAGE(static, m_acl_icmp, "ligato.vpp.acl.ACL.Rule.IpRule.Icmp", ST, f_acl_icmp);
#undef ST

#define ST struct lig_vpp_acl_tcp
static const struct lig_pb_field f_acl_tcp[] = {
    LIG_PBF_MSG(ST, destination_port_range, 1, m_acl_port_range),
    LIG_PBF_MSG(ST, source_port_range, 2, m_acl_port_range),
    LIG_PBF_U32(ST, tcp_flags_mask, 3),
    LIG_PBF_U32(ST, tcp_flags_value, 4),
};
MESSAGE(static, m_acl_tcp, "ligato.vpp.acl.ACL.Rule.IpRule.Tcp", ST, f_acl_tcp);
#undef ST

#define ST struct lig_vpp_acl_udp
static const struct lig_pb_field f_acl_udp[] = {
    LIG_PBF_MSG(ST, destination_port_range, 1, m_acl_port_range),
    LIG_PBF_MSG(ST, source_port_range, 2, m_acl_port_range),
};
MESSAGE(static, m_acl_udp, "ligato.vpp.acl.ACL.Rule.IpRule.Udp", ST, f_acl_udp);
#undef ST

#define ST struct lig_vpp_acl_ip_rule
static const struct lig_pb_field f_acl_ip_rule[] = {
    LIG_PBF_MSG(ST, ip, 1, m_acl_ip),
    LIG_PBF_MSG(ST, icmp, 2, m_acl_icmp),
    LIG_PBF_MSG(ST, tcp, 3, m_acl_tcp),
    LIG_PBF_MSG(ST, udp, 4, m_acl_udp),
};
MESSAGE(static, m_acl_ip_rule, "ligato.vpp.acl.ACL.Rule.IpRule", ST, f_acl_ip_rule);
#undef ST

#define ST struct lig_vpp_acl_macip_rule
static const struct lig_pb_field f_acl_macip[] = {
    LIG_PBF_STR(ST, source_address, 1),
    LIG_PBF_U32(ST, source_address_prefix, 2),
    LIG_PBF_STR(ST, source_mac_address, 3),
    LIG_PBF_STR(ST, source_mac_address_mask, 4),
};
MESSAGE(static, m_acl_macip, "ligato.vpp.acl.ACL.Rule.MacIpRule", ST, f_acl_macip);
#undef ST

#define ST struct lig_vpp_acl_rule
static const struct lig_pb_field f_acl_rule[] = {
    LIG_PBF_ENUM(ST, action, 1, lig_pb_enum_vpp_acl_action),
    LIG_PBF_MSG(ST, ip_rule, 2, m_acl_ip_rule),
    LIG_PBF_MSG(ST, macip_rule, 3, m_acl_macip),
};
MESSAGE(static, m_acl_rule, "ligato.vpp.acl.ACL.Rule", ST, f_acl_rule);
#undef ST

#define ST struct lig_vpp_acl_interfaces
static const struct lig_pb_field f_acl_interfaces[] = {
    LIG_PBF_REP_STR(ST, egress, 1),
    LIG_PBF_REP_STR(ST, ingress, 2),
};
MESSAGE(static, m_acl_interfaces, "ligato.vpp.acl.ACL.Interfaces", ST, f_acl_interfaces);
#undef ST

#define ST struct lig_vpp_acl
static const struct lig_pb_field f_acl[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_REP_MSG(ST, rules, 2, m_acl_rule),
    LIG_PBF_MSG(ST, interfaces, 3, m_acl_interfaces),
};
MESSAGE(, lig_pb_vpp_acl, "ligato.vpp.acl.ACL", ST, f_acl);
#undef ST

/* ---- VPP NAT44 (proto/ligato/vpp/nat/nat.proto) ---- */

ENUM(, lig_pb_enum_vpp_dnat44_protocol, "ligato.vpp.nat.DNat44.Protocol", {"TCP", 0}, {"UDP", 1},
     {"ICMP", 2});
ENUM(, lig_pb_enum_vpp_dnat44_twice_nat, "ligato.vpp.nat.DNat44.StaticMapping.TwiceNatMode",
     {"DISABLED", 0}, {"ENABLED", 1}, {"SELF", 2});

#define ST struct lig_vpp_nat44_global_if
static const struct lig_pb_field f_nat_g_if[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_BOOL(ST, is_inside, 2),
    LIG_PBF_BOOL(ST, output_feature, 3),
};
MESSAGE(static, m_nat_g_if, "ligato.vpp.nat.Nat44Global.Interface", ST, f_nat_g_if);
#undef ST

#define ST struct lig_vpp_nat44_global_addr
static const struct lig_pb_field f_nat_g_addr[] = {
    LIG_PBF_STR(ST, address, 1),
    LIG_PBF_U32(ST, vrf_id, 2),
    LIG_PBF_BOOL(ST, twice_nat, 3),
};
MESSAGE(static, m_nat_g_addr, "ligato.vpp.nat.Nat44Global.Address", ST, f_nat_g_addr);
#undef ST

#define ST struct lig_vpp_nat44_reass
static const struct lig_pb_field f_nat_reass[] = {
    LIG_PBF_U32(ST, timeout, 1),
    LIG_PBF_U32(ST, max_reassemblies, 2),
    LIG_PBF_U32(ST, max_fragments, 3),
    LIG_PBF_BOOL(ST, drop_fragments, 4),
};
MESSAGE(static, m_nat_reass, "ligato.vpp.nat.VirtualReassembly", ST, f_nat_reass);
#undef ST

#define ST struct lig_vpp_nat44_global
static const struct lig_pb_field f_nat_global[] = {
    LIG_PBF_BOOL(ST, forwarding, 1),
    LIG_PBF_BOOL(ST, endpoint_independent, 5),
    LIG_PBF_REP_MSG(ST, nat_interfaces, 2, m_nat_g_if),
    LIG_PBF_REP_MSG(ST, address_pool, 3, m_nat_g_addr),
    LIG_PBF_MSG(ST, virtual_reassembly, 4, m_nat_reass),
};
MESSAGE(, lig_pb_vpp_nat44_global, "ligato.vpp.nat.Nat44Global", ST, f_nat_global);
#undef ST

#define ST struct lig_vpp_dnat44_local_ip
static const struct lig_pb_field f_dnat_local[] = {
    LIG_PBF_U32(ST, vrf_id, 1),
    LIG_PBF_STR(ST, local_ip, 2),
    LIG_PBF_U32(ST, local_port, 3),
    LIG_PBF_U32(ST, probability, 4),
};
MESSAGE(static, m_dnat_local, "ligato.vpp.nat.DNat44.StaticMapping.LocalIP", ST, f_dnat_local);
#undef ST

#define ST struct lig_vpp_dnat44_st_mapping
static const struct lig_pb_field f_dnat_st[] = {
    LIG_PBF_STR(ST, external_interface, 1),
    LIG_PBF_STR(ST, external_ip, 2),
    LIG_PBF_U32(ST, external_port, 3),
    LIG_PBF_REP_MSG(ST, local_ips, 4, m_dnat_local),
    LIG_PBF_ENUM(ST, protocol, 5, lig_pb_enum_vpp_dnat44_protocol),
    LIG_PBF_ENUM(ST, twice_nat, 6, lig_pb_enum_vpp_dnat44_twice_nat),
    LIG_PBF_STR(ST, twice_nat_pool_ip, 8),
    LIG_PBF_U32(ST, session_affinity, 7),
};
MESSAGE(static, m_dnat_st, "ligato.vpp.nat.DNat44.StaticMapping", ST, f_dnat_st);
#undef ST

#define ST struct lig_vpp_dnat44_id_mapping
static const struct lig_pb_field f_dnat_id[] = {
    LIG_PBF_U32(ST, vrf_id, 1),
    LIG_PBF_STR(ST, interface, 2),
    LIG_PBF_STR(ST, ip_address, 3),
    LIG_PBF_U32(ST, port, 4),
    LIG_PBF_ENUM(ST, protocol, 5, lig_pb_enum_vpp_dnat44_protocol),
};
MESSAGE(static, m_dnat_id, "ligato.vpp.nat.DNat44.IdentityMapping", ST, f_dnat_id);
#undef ST

#define ST struct lig_vpp_dnat44
static const struct lig_pb_field f_dnat[] = {
    LIG_PBF_STR(ST, label, 1),
    LIG_PBF_REP_MSG(ST, st_mappings, 2, m_dnat_st),
    LIG_PBF_REP_MSG(ST, id_mappings, 3, m_dnat_id),
};
MESSAGE(, lig_pb_vpp_dnat44, "ligato.vpp.nat.DNat44", ST, f_dnat);
#undef ST

#define ST struct lig_vpp_nat44_interface
static const struct lig_pb_field f_nat_if[] = {
    LIG_PBF_STR(ST, name, 1),
    LIG_PBF_BOOL(ST, nat_inside, 2),
    LIG_PBF_BOOL(ST, nat_outside, 3),
    LIG_PBF_BOOL(ST, output_feature, 4),
};
MESSAGE(, lig_pb_vpp_nat44_interface, "ligato.vpp.nat.Nat44Interface", ST, f_nat_if);
#undef ST

#define ST struct lig_vpp_nat44_pool
static const struct lig_pb_field f_nat_pool[] = {
    LIG_PBF_STR(ST, name, 5),	 LIG_PBF_U32(ST, vrf_id, 1),	 LIG_PBF_STR(ST, first_ip, 2),
    LIG_PBF_STR(ST, last_ip, 3), LIG_PBF_BOOL(ST, twice_nat, 4),
};
MESSAGE(, lig_pb_vpp_nat44_pool, "ligato.vpp.nat.Nat44AddressPool", ST, f_nat_pool);
#undef ST

const struct lig_pb_message *const lig_pb_all_messages[] = {
    &m_ip6nd,
    &m_unnumbered,
    &m_rx_mode,
    &m_rx_placement,
    &m_sub,
    &m_memif,
    &m_gpe,
    &m_vxlan,
    &m_afpacket,
    &m_tap,
    &m_ipsec,
    &m_vmxnet3,
    &m_bonded,
    &m_bond,
    &m_gre,
    &m_gtpu,
    &m_ipip,
    &m_wireguard,
    &m_rdma,
    &lig_pb_vpp_interface,
    &m_bd_interface,
    &m_bd_arp,
    &lig_pb_vpp_bridge_domain,
    &lig_pb_vpp_l2_fib,
    &lig_pb_vpp_xconnect,
    &m_flow_hash,
    &lig_pb_vpp_vrf_table,
    &lig_pb_vpp_route,
    &lig_pb_vpp_arp,
    &m_namespace,
    &m_veth,
    &m_linux_tap,
    &m_vrf_dev,
    &lig_pb_linux_interface,
    &lig_pb_linux_route,
    &lig_pb_linux_arp,
    &m_acl_icmp_range,
    &m_acl_port_range,
    &m_acl_ip,
    &m_acl_icmp,
    &m_acl_tcp,
    &m_acl_udp,
    &m_acl_ip_rule,
    &m_acl_macip,
    &m_acl_rule,
    &m_acl_interfaces,
    &lig_pb_vpp_acl,
    &m_nat_g_if,
    &m_nat_g_addr,
    &m_nat_reass,
    &lig_pb_vpp_nat44_global,
    &m_dnat_local,
    &m_dnat_st,
    &m_dnat_id,
    &lig_pb_vpp_dnat44,
    &lig_pb_vpp_nat44_interface,
    &lig_pb_vpp_nat44_pool,
    NULL,
};

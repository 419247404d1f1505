/* SPDX-License-Identifier: Apache-2.0 */
/* The C form of vpp-agent's v3 configuration models (proto/ligato/vpp/interfaces, vpp/l2,
 * vpp/l3, linux/interfaces, linux/l3): one struct per protobuf message, fields named as in
 * the .proto files. lig_models.h decodes their protobuf JSON into these structs and back.
 *
 * Conventions shared by every struct:
 * - A string is NULL or a NUL-terminated heap string the value owns; NULL and "" both mean the
 *   proto3 default (empty). Use lig_model_str() to read one.
 * - A repeated field is a heap array plus its element count (n_<field>); NULL when empty.
 * - An enum field is an int32_t holding the proto number: protobuf JSON accepts numbers the
 *   enum does not name, so the C enum below lists the named ones and validation refuses the
 *   others.
 * - A singular message field outside a oneof has a has_<field> flag (proto3 message presence).
 * - A oneof is a <oneof>_case field holding the field number of the member that is set (0:
 *   none) and a union of the members; only the member named by the case is meaningful.
 * Values are zero-initialized before decoding; all-zero is the proto3 default message. */
#ifndef LIG_MODELS_TYPES_H
#define LIG_MODELS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- VPP interfaces: ligato.vpp.interfaces (interface.proto) ---- */

enum lig_vpp_if_type {
	LIG_VPP_IF_UNDEFINED_TYPE = 0,
	LIG_VPP_IF_SUB_INTERFACE = 1,
	LIG_VPP_IF_SOFTWARE_LOOPBACK = 2,
	LIG_VPP_IF_DPDK = 3,
	LIG_VPP_IF_MEMIF = 4,
	LIG_VPP_IF_TAP = 5,
	LIG_VPP_IF_AF_PACKET = 6,
	LIG_VPP_IF_VXLAN_TUNNEL = 7,
	LIG_VPP_IF_IPSEC_TUNNEL = 8,
	LIG_VPP_IF_VMXNET3_INTERFACE = 9,
	LIG_VPP_IF_BOND_INTERFACE = 10,
	LIG_VPP_IF_GRE_TUNNEL = 11,
	LIG_VPP_IF_GTPU_TUNNEL = 12,
	LIG_VPP_IF_IPIP_TUNNEL = 13,
	LIG_VPP_IF_WIREGUARD_TUNNEL = 14,
	LIG_VPP_IF_RDMA = 15,
};

/* Interface.link: the field number of the member that is set. */
enum lig_vpp_if_link {
	LIG_VPP_IF_LINK_NONE = 0,
	LIG_VPP_IF_LINK_SUB = 100,
	LIG_VPP_IF_LINK_MEMIF = 101,
	LIG_VPP_IF_LINK_AFPACKET = 102,
	LIG_VPP_IF_LINK_TAP = 103,
	LIG_VPP_IF_LINK_VXLAN = 104,
	LIG_VPP_IF_LINK_IPSEC = 105,
	LIG_VPP_IF_LINK_VMX_NET3 = 106,
	LIG_VPP_IF_LINK_BOND = 107,
	LIG_VPP_IF_LINK_GRE = 108,
	LIG_VPP_IF_LINK_GTPU = 109,
	LIG_VPP_IF_LINK_IPIP = 110,
	LIG_VPP_IF_LINK_WIREGUARD = 111,
	LIG_VPP_IF_LINK_RDMA = 112,
};

enum lig_vpp_rx_mode_type {
	LIG_VPP_RX_MODE_UNKNOWN = 0,
	LIG_VPP_RX_MODE_POLLING = 1,
	LIG_VPP_RX_MODE_INTERRUPT = 2,
	LIG_VPP_RX_MODE_ADAPTIVE = 3,
	LIG_VPP_RX_MODE_DEFAULT = 4,
};

enum lig_vpp_memif_mode {
	LIG_VPP_MEMIF_ETHERNET = 0,
	LIG_VPP_MEMIF_IP = 1,
	LIG_VPP_MEMIF_PUNT_INJECT = 2,
};

struct lig_vpp_if_ip6nd { /* Interface.IP6ND */
	bool address_autoconfig;
	bool install_default_routes;
};

struct lig_vpp_if_unnumbered { /* Interface.Unnumbered */
	char *interface_with_ip;
};

struct lig_vpp_if_rx_mode { /* Interface.RxMode */
	uint32_t queue;
	int32_t mode; /* enum lig_vpp_rx_mode_type */
	bool default_mode;
};

struct lig_vpp_if_rx_placement { /* Interface.RxPlacement */
	uint32_t queue;
	uint32_t worker;
	bool main_thread;
};

struct lig_vpp_sub_link { /* SubInterface */
	char *parent_name;
	uint32_t sub_id;
	int32_t tag_rw_option; /* SubInterface.TagRewriteOptions: DISABLED 0 .. TRANSLATE22 8 */
	bool push_dot1q;
	uint32_t tag1;
	uint32_t tag2;
};

struct lig_vpp_memif_link { /* MemifLink */
	int32_t mode;	    /* enum lig_vpp_memif_mode */
	bool master;
	uint32_t id;
	char *socket_filename;
	char *secret;
	uint32_t ring_size;
	uint32_t buffer_size;
	uint32_t rx_queues;
	uint32_t tx_queues;
};

struct lig_vpp_vxlan_gpe { /* VxlanLink.Gpe */
	uint32_t decap_vrf_id;
	int32_t protocol; /* VxlanLink.Gpe.Protocol: UNKNOWN 0, IP4, IP6, ETHERNET, NSH */
};

struct lig_vpp_vxlan_link { /* VxlanLink */
	char *src_address;
	char *dst_address;
	uint32_t vni;
	char *multicast;
	bool has_gpe;
	struct lig_vpp_vxlan_gpe gpe;
};

struct lig_vpp_afpacket_link { /* AfpacketLink */
	char *host_if_name;
	char *linux_interface;
};

struct lig_vpp_tap_link { /* TapLink */
	uint32_t version;
	char *host_if_name;
	char *to_microservice;
	uint32_t rx_ring_size;
	uint32_t tx_ring_size;
	bool enable_gso;
	bool enable_tunnel;
};

struct lig_vpp_ipsec_link {  /* IPSecLink (deprecated in vpp-agent; decoded, never supported) */
	int32_t tunnel_mode; /* IPSecLink.Mode */
	bool esn;
	bool anti_replay;
	char *local_ip;
	char *remote_ip;
	uint32_t local_spi;
	uint32_t remote_spi;
	int32_t crypto_alg; /* ligato.vpp.ipsec.CryptoAlg */
	char *local_crypto_key;
	char *remote_crypto_key;
	int32_t integ_alg; /* ligato.vpp.ipsec.IntegAlg */
	char *local_integ_key;
	char *remote_integ_key;
	bool enable_udp_encap;
};

struct lig_vpp_vmxnet3_link { /* VmxNet3Link */
	bool enable_elog;
	uint32_t rxq_size;
	uint32_t txq_size;
};

struct lig_vpp_bonded_interface { /* BondLink.BondedInterface */
	char *name;
	bool is_passive;
	bool is_long_timeout;
};

struct lig_vpp_bond_link { /* BondLink */
	uint32_t id;
	int32_t mode; /* BondLink.Mode */
	int32_t lb;   /* BondLink.LoadBalance */
	struct lig_vpp_bonded_interface *bonded_interfaces;
	size_t n_bonded_interfaces;
};

struct lig_vpp_gre_link {    /* GreLink */
	int32_t tunnel_type; /* GreLink.Type */
	char *src_addr;
	char *dst_addr;
	uint32_t outer_fib_id;
	uint32_t session_id;
};

struct lig_vpp_gtpu_link { /* GtpuLink */
	char *src_addr;
	char *dst_addr;
	char *multicast;
	uint32_t teid;
	uint32_t remote_teid;
	uint32_t encap_vrf_id;
	int32_t decap_next; /* GtpuLink.NextNode */
	uint32_t decap_next_node;
};

struct lig_vpp_ipip_link {   /* IPIPLink */
	int32_t tunnel_mode; /* IPIPLink.Mode */
	char *src_addr;
	char *dst_addr;
};

struct lig_vpp_wireguard_link { /* WireguardLink */
	char *private_key;
	uint32_t port;
	char *src_addr;
};

struct lig_vpp_rdma_link { /* RDMALink */
	char *host_if_name;
	int32_t mode; /* RDMALink.Mode */
	uint32_t rxq_num;
	uint32_t rxq_size;
	uint32_t txq_size;
};

/* ligato.vpp.interfaces.Interface, key config/vpp/v2/interfaces/<name>. */
struct lig_vpp_interface {
	char *name;
	int32_t type; /* enum lig_vpp_if_type */
	bool enabled;
	char *phys_address;
	char **ip_addresses;
	size_t n_ip_addresses;
	uint32_t vrf;
	bool set_dhcp_client;
	bool has_ip6_nd;
	struct lig_vpp_if_ip6nd ip6_nd;
	uint32_t mtu;
	bool has_unnumbered;
	struct lig_vpp_if_unnumbered unnumbered;
	struct lig_vpp_if_rx_mode *rx_modes;
	size_t n_rx_modes;
	struct lig_vpp_if_rx_placement *rx_placements;
	size_t n_rx_placements;
	uint32_t link_case; /* enum lig_vpp_if_link */
	union {
		struct lig_vpp_sub_link sub;
		struct lig_vpp_memif_link memif;
		struct lig_vpp_afpacket_link afpacket;
		struct lig_vpp_tap_link tap;
		struct lig_vpp_vxlan_link vxlan;
		struct lig_vpp_ipsec_link ipsec;
		struct lig_vpp_vmxnet3_link vmx_net3;
		struct lig_vpp_bond_link bond;
		struct lig_vpp_gre_link gre;
		struct lig_vpp_gtpu_link gtpu;
		struct lig_vpp_ipip_link ipip;
		struct lig_vpp_wireguard_link wireguard;
		struct lig_vpp_rdma_link rdma;
	} link;
};

/* ---- VPP L2: ligato.vpp.l2 (bridge_domain.proto, fib.proto, xconnect.proto) ---- */

struct lig_vpp_bd_interface { /* BridgeDomain.Interface */
	char *name;
	bool bridged_virtual_interface;
	uint32_t split_horizon_group;
};

struct lig_vpp_bd_arp_entry { /* BridgeDomain.ArpTerminationEntry */
	char *ip_address;
	char *phys_address;
};

/* ligato.vpp.l2.BridgeDomain, key config/vpp/l2/v2/bridge-domain/<name>. */
struct lig_vpp_bridge_domain {
	char *name;
	bool flood;
	bool unknown_unicast_flood;
	bool forward;
	bool learn;
	bool arp_termination;
	uint32_t mac_age;
	struct lig_vpp_bd_interface *interfaces;
	size_t n_interfaces;
	struct lig_vpp_bd_arp_entry *arp_termination_table;
	size_t n_arp_termination_table;
};

enum lig_vpp_fib_action {
	LIG_VPP_FIB_FORWARD = 0,
	LIG_VPP_FIB_DROP = 1,
};

/* ligato.vpp.l2.FIBEntry, key config/vpp/l2/v2/fib/<bridge_domain>/mac/<phys_address>. */
struct lig_vpp_l2_fib {
	char *phys_address;
	char *bridge_domain;
	int32_t action; /* enum lig_vpp_fib_action */
	char *outgoing_interface;
	bool static_config;
	bool bridged_virtual_interface;
};

/* ligato.vpp.l2.XConnectPair, key config/vpp/l2/v2/xconnect/<receive_interface>. */
struct lig_vpp_xconnect {
	char *receive_interface;
	char *transmit_interface;
};

/* ---- VPP ACLs: ligato.vpp.acl (acl.proto) ---- */

enum lig_vpp_acl_action {
	LIG_VPP_ACL_DENY = 0,
	LIG_VPP_ACL_PERMIT = 1,
	LIG_VPP_ACL_REFLECT = 2,
};

struct lig_vpp_acl_icmp_range { /* ACL.Rule.IpRule.Icmp.Range */
	uint32_t first;
	uint32_t last;
};

struct lig_vpp_acl_port_range { /* ACL.Rule.IpRule.PortRange */
	uint32_t lower_port;
	uint32_t upper_port;
};

struct lig_vpp_acl_ip { /* ACL.Rule.IpRule.Ip */
	char *destination_network;
	char *source_network;
	uint32_t protocol;
};

struct lig_vpp_acl_icmp { /* ACL.Rule.IpRule.Icmp */
	bool icmpv6;
	bool has_icmp_code_range;
	struct lig_vpp_acl_icmp_range icmp_code_range;
	bool has_icmp_type_range;
	struct lig_vpp_acl_icmp_range icmp_type_range;
};

struct lig_vpp_acl_tcp { /* ACL.Rule.IpRule.Tcp */
	bool has_destination_port_range;
	struct lig_vpp_acl_port_range destination_port_range;
	bool has_source_port_range;
	struct lig_vpp_acl_port_range source_port_range;
	uint32_t tcp_flags_mask;
	uint32_t tcp_flags_value;
};

struct lig_vpp_acl_udp { /* ACL.Rule.IpRule.Udp */
	bool has_destination_port_range;
	struct lig_vpp_acl_port_range destination_port_range;
	bool has_source_port_range;
	struct lig_vpp_acl_port_range source_port_range;
};

struct lig_vpp_acl_ip_rule { /* ACL.Rule.IpRule */
	bool has_ip;
	struct lig_vpp_acl_ip ip;
	bool has_icmp;
	struct lig_vpp_acl_icmp icmp;
	bool has_tcp;
	struct lig_vpp_acl_tcp tcp;
	bool has_udp;
	struct lig_vpp_acl_udp udp;
};

struct lig_vpp_acl_macip_rule { /* ACL.Rule.MacIpRule */
	char *source_address;
	uint32_t source_address_prefix;
	char *source_mac_address;
	char *source_mac_address_mask;
};

struct lig_vpp_acl_rule { /* ACL.Rule */
	int32_t action;	  /* enum lig_vpp_acl_action */
	bool has_ip_rule;
	struct lig_vpp_acl_ip_rule ip_rule;
	bool has_macip_rule;
	struct lig_vpp_acl_macip_rule macip_rule;
};

struct lig_vpp_acl_interfaces { /* ACL.Interfaces */
	char **egress;
	size_t n_egress;
	char **ingress;
	size_t n_ingress;
};

/* ligato.vpp.acl.ACL, key config/vpp/acls/v2/acl/<name>. */
struct lig_vpp_acl {
	char *name;
	struct lig_vpp_acl_rule *rules;
	size_t n_rules;
	bool has_interfaces;
	struct lig_vpp_acl_interfaces interfaces;
};

/* ---- VPP NAT44: ligato.vpp.nat (nat.proto) ---- */

struct lig_vpp_nat44_global_if { /* Nat44Global.Interface (deprecated) */
	char *name;
	bool is_inside;
	bool output_feature;
};

struct lig_vpp_nat44_global_addr { /* Nat44Global.Address (deprecated) */
	char *address;
	uint32_t vrf_id;
	bool twice_nat;
};

struct lig_vpp_nat44_reass { /* VirtualReassembly */
	uint32_t timeout;
	uint32_t max_reassemblies;
	uint32_t max_fragments;
	bool drop_fragments;
};

/* ligato.vpp.nat.Nat44Global, key config/vpp/nat/v2/nat44-global (no name). */
struct lig_vpp_nat44_global {
	bool forwarding;
	bool endpoint_independent;
	struct lig_vpp_nat44_global_if *nat_interfaces;
	size_t n_nat_interfaces;
	struct lig_vpp_nat44_global_addr *address_pool;
	size_t n_address_pool;
	bool has_virtual_reassembly;
	struct lig_vpp_nat44_reass virtual_reassembly;
};

enum lig_vpp_dnat44_protocol {
	LIG_VPP_DNAT44_TCP = 0,
	LIG_VPP_DNAT44_UDP = 1,
	LIG_VPP_DNAT44_ICMP = 2,
};

struct lig_vpp_dnat44_local_ip { /* DNat44.StaticMapping.LocalIP */
	uint32_t vrf_id;
	char *local_ip;
	uint32_t local_port;
	uint32_t probability;
};

struct lig_vpp_dnat44_st_mapping { /* DNat44.StaticMapping */
	char *external_interface;
	char *external_ip;
	uint32_t external_port;
	struct lig_vpp_dnat44_local_ip *local_ips;
	size_t n_local_ips;
	int32_t protocol;  /* enum lig_vpp_dnat44_protocol */
	int32_t twice_nat; /* DISABLED 0, ENABLED 1, SELF 2 */
	uint32_t session_affinity;
	char *twice_nat_pool_ip;
};

struct lig_vpp_dnat44_id_mapping { /* DNat44.IdentityMapping */
	uint32_t vrf_id;
	char *interface;
	char *ip_address;
	uint32_t port;
	int32_t protocol;
};

/* ligato.vpp.nat.DNat44, key config/vpp/nat/v2/dnat44/<label>. */
struct lig_vpp_dnat44 {
	char *label;
	struct lig_vpp_dnat44_st_mapping *st_mappings;
	size_t n_st_mappings;
	struct lig_vpp_dnat44_id_mapping *id_mappings;
	size_t n_id_mappings;
};

/* ligato.vpp.nat.Nat44Interface, key config/vpp/nat/v2/nat44-interface/<name>. */
struct lig_vpp_nat44_interface {
	char *name;
	bool nat_inside;
	bool nat_outside;
	bool output_feature;
};

/* ligato.vpp.nat.Nat44AddressPool, key config/vpp/nat/v2/nat44-pool/<name> (or
 * vrf/<vrf>/address/<first>[-<last>] without a name). */
struct lig_vpp_nat44_pool {
	uint32_t vrf_id;
	char *first_ip;
	char *last_ip;
	bool twice_nat;
	char *name;
};

/* ---- VPP L3: ligato.vpp.l3 (vrf.proto, route.proto, arp.proto) ---- */

enum lig_vpp_vrf_protocol {
	LIG_VPP_VRF_IPV4 = 0,
	LIG_VPP_VRF_IPV6 = 1,
};

struct lig_vpp_vrf_flow_hash { /* VrfTable.FlowHashSettings */
	bool use_src_ip;
	bool use_dst_ip;
	bool use_src_port;
	bool use_dst_port;
	bool use_protocol;
	bool reverse;
	bool symmetric;
};

/* ligato.vpp.l3.VrfTable, key config/vpp/v2/vrf-table/id/<id>/protocol/<protocol>. */
struct lig_vpp_vrf_table {
	uint32_t id;
	int32_t protocol; /* enum lig_vpp_vrf_protocol */
	char *label;
	bool has_flow_hash_settings;
	struct lig_vpp_vrf_flow_hash flow_hash_settings;
};

enum lig_vpp_route_type {
	LIG_VPP_ROUTE_INTRA_VRF = 0,
	LIG_VPP_ROUTE_INTER_VRF = 1,
	LIG_VPP_ROUTE_DROP = 2,
};

/* ligato.vpp.l3.Route, key
 * config/vpp/v2/route/[if/<outgoing_interface>/]vrf/<vrf_id>/dst/<ip>/<len>[/gw/<next_hop_addr>].
 */
struct lig_vpp_route {
	int32_t type; /* enum lig_vpp_route_type */
	uint32_t vrf_id;
	char *dst_network;
	char *next_hop_addr;
	char *outgoing_interface;
	uint32_t weight;
	uint32_t preference;
	uint32_t via_vrf_id;
};

/* ligato.vpp.l3.ARPEntry, key config/vpp/v2/arp/<interface>/<ip_address>. */
struct lig_vpp_arp {
	char *interface;
	char *ip_address;
	char *phys_address;
	bool static_; /* "static" in the model (a C keyword) */
};

/* ---- Linux: ligato.linux.interfaces, ligato.linux.namespace, ligato.linux.l3 ---- */

enum lig_linux_if_type {
	LIG_LINUX_IF_UNDEFINED = 0,
	LIG_LINUX_IF_VETH = 1,
	LIG_LINUX_IF_TAP_TO_VPP = 2,
	LIG_LINUX_IF_LOOPBACK = 3,
	LIG_LINUX_IF_EXISTING = 4,
	LIG_LINUX_IF_VRF_DEVICE = 5,
	LIG_LINUX_IF_DUMMY = 6,
};

enum lig_linux_if_link {
	LIG_LINUX_IF_LINK_NONE = 0,
	LIG_LINUX_IF_LINK_VETH = 20,
	LIG_LINUX_IF_LINK_TAP = 21,
	LIG_LINUX_IF_LINK_VRF_DEV = 22,
};

enum lig_linux_ns_type {
	LIG_LINUX_NS_UNDEFINED = 0,
	LIG_LINUX_NS_NSID = 1,	       /* a named namespace (ip netns) */
	LIG_LINUX_NS_PID = 2,	       /* the namespace of a process */
	LIG_LINUX_NS_FD = 3,	       /* a namespace file */
	LIG_LINUX_NS_MICROSERVICE = 4, /* a docker container's, by microservice label */
};

enum lig_linux_checksum_offload {
	LIG_LINUX_CHKSM_OFFLOAD_DEFAULT = 0,
	LIG_LINUX_CHKSM_OFFLOAD_ENABLED = 1,
	LIG_LINUX_CHKSM_OFFLOAD_DISABLED = 2,
};

struct lig_linux_namespace { /* ligato.linux.namespace.NetNamespace */
	int32_t type;	     /* enum lig_linux_ns_type */
	char *reference;     /* NSID: name; PID: pid; FD: file path; MICROSERVICE: label */
};

struct lig_linux_veth_link { /* VethLink */
	char *peer_if_name;
	int32_t rx_checksum_offloading; /* enum lig_linux_checksum_offload */
	int32_t tx_checksum_offloading;
};

struct lig_linux_tap_link { /* TapLink */
	char *vpp_tap_if_name;
};

struct lig_linux_vrf_dev_link { /* VrfDevLink */
	uint32_t routing_table;
};

/* ligato.linux.interfaces.Interface, key config/linux/interfaces/v2/interface/<name>. */
struct lig_linux_interface {
	char *name;
	int32_t type; /* enum lig_linux_if_type */
	bool has_namespace;
	struct lig_linux_namespace namespace_;
	char *host_if_name;
	bool enabled;
	char **ip_addresses;
	size_t n_ip_addresses;
	char *phys_address;
	uint32_t mtu;
	uint32_t link_case; /* enum lig_linux_if_link */
	union {
		struct lig_linux_veth_link veth;
		struct lig_linux_tap_link tap;
		struct lig_linux_vrf_dev_link vrf_dev;
	} link;
	bool link_only;
	char *vrf_master_interface;
};

enum lig_linux_route_scope {
	LIG_LINUX_SCOPE_UNDEFINED = 0,
	LIG_LINUX_SCOPE_GLOBAL = 1,
	LIG_LINUX_SCOPE_SITE = 2,
	LIG_LINUX_SCOPE_LINK = 3,
	LIG_LINUX_SCOPE_HOST = 4,
};

/* ligato.linux.l3.Route, key config/linux/l3/v2/route/<ip>/<len>/<outgoing_interface>. */
struct lig_linux_route {
	char *outgoing_interface;
	int32_t scope; /* enum lig_linux_route_scope */
	char *dst_network;
	char *gw_addr;
	uint32_t metric;
};

/* ligato.linux.l3.ARPEntry, key config/linux/l3/v2/arp/<interface>/<ip_address>. */
struct lig_linux_arp {
	char *interface;
	char *ip_address;
	char *hw_address;
};

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* vpp.interfaces (ligato.vpp.interfaces.Interface): validation as vpp-agent's interface
 * descriptor validates plus ligd's limits, and what Ligature supports: SOFTWARE_LOOPBACK,
 * MEMIF, TAP, AF_PACKET and VXLAN_TUNNEL interfaces with IPv4 addresses, VRF, MTU, MAC and
 * memif rx modes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "models_impl.h"
#include "schema.h"

/* The link (oneof member) each type needs, and its field name. */
static const struct {
	int32_t type;
	uint32_t link;
	const char *name;
} type_links[] = {
    {LIG_VPP_IF_SUB_INTERFACE, LIG_VPP_IF_LINK_SUB, "sub"},
    {LIG_VPP_IF_MEMIF, LIG_VPP_IF_LINK_MEMIF, "memif"},
    {LIG_VPP_IF_AF_PACKET, LIG_VPP_IF_LINK_AFPACKET, "afpacket"},
    {LIG_VPP_IF_TAP, LIG_VPP_IF_LINK_TAP, "tap"},
    {LIG_VPP_IF_VXLAN_TUNNEL, LIG_VPP_IF_LINK_VXLAN, "vxlan"},
    {LIG_VPP_IF_IPSEC_TUNNEL, LIG_VPP_IF_LINK_IPSEC, "ipsec"},
    {LIG_VPP_IF_VMXNET3_INTERFACE, LIG_VPP_IF_LINK_VMX_NET3, "vmx_net3"},
    {LIG_VPP_IF_BOND_INTERFACE, LIG_VPP_IF_LINK_BOND, "bond"},
    {LIG_VPP_IF_GRE_TUNNEL, LIG_VPP_IF_LINK_GRE, "gre"},
    {LIG_VPP_IF_GTPU_TUNNEL, LIG_VPP_IF_LINK_GTPU, "gtpu"},
    {LIG_VPP_IF_IPIP_TUNNEL, LIG_VPP_IF_LINK_IPIP, "ipip"},
    {LIG_VPP_IF_WIREGUARD_TUNNEL, LIG_VPP_IF_LINK_WIREGUARD, "wireguard"},
    {LIG_VPP_IF_RDMA, LIG_VPP_IF_LINK_RDMA, "rdma"},
};

static const char *
link_name(uint32_t link)
{
	for (size_t i = 0; i < LIG_PB_COUNT(type_links); i++)
		if (type_links[i].link == link)
			return type_links[i].name;
	return "link";
}

static const char *
type_name(int32_t type)
{
	const char *n = lig_pb_enum_name(&lig_pb_enum_vpp_if_type, type);
	return n ? n : "?";
}

static bool
pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int
validate_memif(const struct lig_vpp_memif_link *m, struct lig_model_error *err)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	const char *sock = lig_model_str(m->socket_filename);
	int rv;

	if ((rv = lig_chk_enum(err, "memif.mode", &lig_pb_enum_vpp_memif_mode, m->mode)) < 0)
		return rv;
	if (*sock) {
		size_t n = strlen(sock);
		lig_model_quote(sock, n, LIG_MODEL_QUOTE_CHARS, q, sizeof(q));
		if (sock[0] != '/' && sock[0] != '@')
			return LIG_INVALID(err, "memif.socket_filename",
					   "'%s' is neither an absolute path nor an @abstract name "
					   "(ligd does not resolve relative socket paths)",
					   q);
		if (n < 2 || n > LIG_LIGD_SOCKET_PATH_MAX)
			return LIG_INVALID(err, "memif.socket_filename",
					   "'%s' is %zu characters; a socket path has 2..%d", q, n,
					   LIG_LIGD_SOCKET_PATH_MAX);
	}
	if (m->secret && strlen(m->secret) > LIG_LIGD_MEMIF_SECRET_MAX)
		return LIG_INVALID(err, "memif.secret", "%zu characters; a secret has at most %d",
				   strlen(m->secret), LIG_LIGD_MEMIF_SECRET_MAX);
	if (m->ring_size &&
	    (m->ring_size < 2 || m->ring_size > LIG_LIGD_MEMIF_RING_MAX || !pow2(m->ring_size)))
		return LIG_INVALID(err, "memif.ring_size", "%u is not a power of 2 in 2..%d",
				   m->ring_size, LIG_LIGD_MEMIF_RING_MAX);
	if (m->buffer_size &&
	    (m->buffer_size < LIG_LIGD_MEMIF_BUF_MIN || m->buffer_size > LIG_LIGD_MEMIF_BUF_MAX))
		return LIG_INVALID(err, "memif.buffer_size", "%u is out of range (%d..%d)",
				   m->buffer_size, LIG_LIGD_MEMIF_BUF_MIN, LIG_LIGD_MEMIF_BUF_MAX);
	if (m->rx_queues > LIG_LIGD_MEMIF_QUEUES_MAX)
		return LIG_INVALID(err, "memif.rx_queues", "%u is out of range (1..%d, 0: 1)",
				   m->rx_queues, LIG_LIGD_MEMIF_QUEUES_MAX);
	if (m->tx_queues > LIG_LIGD_MEMIF_QUEUES_MAX)
		return LIG_INVALID(err, "memif.tx_queues", "%u is out of range (1..%d, 0: 1)",
				   m->tx_queues, LIG_LIGD_MEMIF_QUEUES_MAX);
	return 0;
}

static int
validate_tap(const struct lig_vpp_tap_link *t, struct lig_model_error *err)
{
	int rv;

	if (t->version > 2)
		return LIG_INVALID(err, "tap.version", "%u is not a TAP version (1, 2, or 0: 1)",
				   t->version);
	if (t->host_if_name && *t->host_if_name &&
	    (rv = lig_chk_ifname(err, "tap.host_if_name", t->host_if_name)) < 0)
		return rv;
	if ((rv = lig_chk_name(err, "tap.to_microservice", t->to_microservice, false)) < 0)
		return rv;
	if (t->rx_ring_size && !pow2(t->rx_ring_size))
		return LIG_INVALID(err, "tap.rx_ring_size", "%u is not a power of 2",
				   t->rx_ring_size);
	if (t->tx_ring_size && !pow2(t->tx_ring_size))
		return LIG_INVALID(err, "tap.tx_ring_size", "%u is not a power of 2",
				   t->tx_ring_size);
	return 0;
}

static int
validate_afpacket(const struct lig_vpp_afpacket_link *a, struct lig_model_error *err)
{
	const char *host = lig_model_str(a->host_if_name), *lx = lig_model_str(a->linux_interface);
	int rv;

	if (!*host && !*lx)
		return LIG_INVALID(err, "afpacket.host_if_name",
				   "missing: an af_packet interface needs host_if_name or "
				   "linux_interface");
	if (*host && *lx)
		return LIG_INVALID(err, "afpacket.linux_interface",
				   "set host_if_name or linux_interface, not both");
	if (*host && (rv = lig_chk_ifname(err, "afpacket.host_if_name", host)) < 0)
		return rv;
	return lig_chk_name(err, "afpacket.linux_interface", lx, false);
}

static int
validate_vxlan(const struct lig_vpp_vxlan_link *x, struct lig_model_error *err)
{
	char q1[LIG_MODEL_QUOTE_SIZE], q2[LIG_MODEL_QUOTE_SIZE];
	enum lig_addr_kind ks, kd;
	uint8_t s4[4], d4[4];
	int rv;

	if ((rv = lig_chk_ip(err, "vxlan.src_address", x->src_address, LIG_CHK_REQUIRED, &ks, s4,
			     NULL)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "vxlan.dst_address", x->dst_address, LIG_CHK_REQUIRED, &kd, d4,
			     NULL)) < 0)
		return rv;
	if (ks != kd)
		return LIG_INVALID(err, "vxlan.dst_address",
				   "'%s' and src_address '%s' are not of one IP version",
				   LIG_Q(x->dst_address, q1), LIG_Q(x->src_address, q2));
	if (ks == LIG_ADDR_IP4) {
		if ((rv = lig_chk_ip(err, "vxlan.src_address", x->src_address,
				     LIG_CHK_REQUIRED | LIG_CHK_HOST, NULL, NULL, NULL)) < 0)
			return rv;
		bool mcast = d4[0] >= 224 && d4[0] <= 239;
		if (mcast && !*lig_model_str(x->multicast))
			return LIG_INVALID(err, "vxlan.multicast",
					   "missing: a multicast dst_address needs the multicast "
					   "interface");
		if (!mcast &&
		    (rv = lig_chk_ip(err, "vxlan.dst_address", x->dst_address,
				     LIG_CHK_REQUIRED | LIG_CHK_HOST, NULL, NULL, NULL)) < 0)
			return rv;
		if (!memcmp(s4, d4, 4))
			return LIG_INVALID(err, "vxlan.dst_address",
					   "'%s' is also the source address",
					   LIG_Q(x->dst_address, q1));
	}
	if (x->vni > LIG_LIGD_VNI_MAX)
		return LIG_INVALID(err, "vxlan.vni", "%u is out of range (0..%d)", x->vni,
				   LIG_LIGD_VNI_MAX);
	if ((rv = lig_chk_name(err, "vxlan.multicast", x->multicast, false)) < 0)
		return rv;
	if (x->has_gpe) {
		/* as vpp-agent: a protocol, and a decap VRF only for IP payloads */
		if (x->gpe.protocol == 0)
			return LIG_INVALID(err, "vxlan.gpe.protocol", "missing (UNKNOWN)");
		if (x->gpe.protocol != 1 && x->gpe.protocol != 2 && x->gpe.decap_vrf_id)
			return LIG_INVALID(err, "vxlan.gpe.decap_vrf_id",
					   "must be 0 unless the protocol is IP4 or IP6");
	}
	return 0;
}

int
lig_vpp_interface_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_interface *v = value;
	char path[64], q[LIG_MODEL_QUOTE_SIZE];
	int rv;

	if ((rv = lig_chk_name(err, "name", v->name, true)) < 0)
		return rv;
	if ((rv = lig_chk_enum(err, "type", &lig_pb_enum_vpp_if_type, v->type)) < 0)
		return rv;
	if (v->type == LIG_VPP_IF_UNDEFINED_TYPE)
		return LIG_INVALID(err, "type", "missing (an interface needs its type)");

	/* The link must be the type's, and present for types that have one (as vpp-agent). */
	uint32_t want = LIG_VPP_IF_LINK_NONE;
	for (size_t i = 0; i < LIG_PB_COUNT(type_links); i++)
		if (type_links[i].type == v->type)
			want = type_links[i].link;
	if (v->link_case && v->link_case != want) {
		int32_t owner = LIG_VPP_IF_UNDEFINED_TYPE;
		for (size_t i = 0; i < LIG_PB_COUNT(type_links); i++)
			if (type_links[i].link == v->link_case)
				owner = type_links[i].type;
		return LIG_INVALID(err, link_name(v->link_case),
				   "does not match type %s (%s settings belong to %s interfaces)",
				   type_name(v->type), link_name(v->link_case), type_name(owner));
	}
	if (!v->link_case && want)
		return LIG_INVALID(err, link_name(want),
				   "missing: a %s interface needs its %s settings",
				   type_name(v->type), link_name(want));

	if ((rv = lig_chk_mac(err, "phys_address", v->phys_address,
			      LIG_CHK_UNICAST | LIG_CHK_NONZERO)) < 0)
		return rv;
	for (size_t i = 0; i < v->n_ip_addresses; i++) {
		lig_chk_path(path, sizeof(path), "ip_addresses", i, NULL);
		if ((rv = lig_chk_ip(err, path, v->ip_addresses[i],
				     LIG_CHK_REQUIRED | LIG_CHK_PREFIX | LIG_CHK_HOST |
					 LIG_CHK_ALLOC,
				     NULL, NULL, NULL)) < 0)
			return rv;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(v->ip_addresses[i], v->ip_addresses[j]))
				return LIG_INVALID(err, path, "'%s' is listed twice",
						   LIG_Q(v->ip_addresses[i], q));
	}
	if (v->mtu && (v->mtu < LIG_LIGD_MTU_MIN || v->mtu > LIG_LIGD_MTU_MAX))
		return LIG_INVALID(err, "mtu", "%u is out of range (%d..%d, 0: the default)",
				   v->mtu, LIG_LIGD_MTU_MIN, LIG_LIGD_MTU_MAX);
	if (v->has_unnumbered) {
		if ((rv = lig_chk_name(err, "unnumbered.interface_with_ip",
				       v->unnumbered.interface_with_ip, true)) < 0)
			return rv;
		if (v->n_ip_addresses)
			return LIG_INVALID(
			    err, "unnumbered",
			    "an unnumbered interface has no ip_addresses of its own");
	}
	for (size_t i = 0; i < v->n_rx_modes; i++) {
		lig_chk_path(path, sizeof(path), "rx_modes", i, ".mode");
		if ((rv = lig_chk_enum(err, path, &lig_pb_enum_vpp_rx_mode, v->rx_modes[i].mode)) <
		    0)
			return rv;
		if (v->rx_modes[i].mode == LIG_VPP_RX_MODE_UNKNOWN)
			return LIG_INVALID(err, path, "missing (UNKNOWN is no rx mode)");
	}
	for (size_t i = 0; i < v->n_rx_placements; i++)
		for (size_t j = 0; j < i; j++)
			if (v->rx_placements[i].queue == v->rx_placements[j].queue)
				return LIG_INVALID(
				    err,
				    lig_chk_path(path, sizeof(path), "rx_placements", i, ".queue"),
				    "queue %u is placed twice", v->rx_placements[i].queue);

	switch (v->link_case) {
	case LIG_VPP_IF_LINK_MEMIF:
		return validate_memif(&v->link.memif, err);
	case LIG_VPP_IF_LINK_TAP:
		return validate_tap(&v->link.tap, err);
	case LIG_VPP_IF_LINK_AFPACKET:
		return validate_afpacket(&v->link.afpacket, err);
	case LIG_VPP_IF_LINK_VXLAN:
		return validate_vxlan(&v->link.vxlan, err);
	}
	/* Other links belong to types check_supported refuses: not validated further. */
	return 0;
}

/* ligd's rx mode for a model rx mode (DEFAULT: ligd's default, adaptive). */
static int32_t
ligd_rx_mode(int32_t mode)
{
	return mode == LIG_VPP_RX_MODE_DEFAULT ? LIG_VPP_RX_MODE_ADAPTIVE : mode;
}

int
lig_vpp_interface_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_interface *v = value;
	char path[64];
	int rv;

	switch (v->type) {
	case LIG_VPP_IF_SOFTWARE_LOOPBACK:
	case LIG_VPP_IF_MEMIF:
	case LIG_VPP_IF_TAP:
	case LIG_VPP_IF_AF_PACKET:
	case LIG_VPP_IF_VXLAN_TUNNEL:
		break;
	default:
		return LIG_UNSUPPORTED(
		    err, "type",
		    "%s interfaces are not supported (ligd has SOFTWARE_LOOPBACK, "
		    "MEMIF, TAP, AF_PACKET and VXLAN_TUNNEL)",
		    type_name(v->type));
	}
	for (size_t i = 0; i < v->n_ip_addresses; i++)
		if ((rv =
			 lig_sup_ip4(err, lig_chk_path(path, sizeof(path), "ip_addresses", i, NULL),
				     v->ip_addresses[i])) < 0)
			return rv;
	if (v->set_dhcp_client)
		return LIG_UNSUPPORTED(err, "set_dhcp_client", "ligd has no DHCP client");
	if (v->has_ip6_nd)
		return LIG_UNSUPPORTED(err, "ip6_nd",
				       "IPv6 neighbour discovery is not supported "
				       "(Ligature is IPv4 only)");
	if (v->has_unnumbered)
		return LIG_UNSUPPORTED(err, "unnumbered", "ligd has no unnumbered interfaces");
	if (v->n_rx_placements)
		return LIG_UNSUPPORTED(err, "rx_placements",
				       "ligd does not place rx queues on workers");

	/* rx modes: ligd sets one mode for all queues of a memif interface. */
	for (size_t i = 0; i < v->n_rx_modes; i++) {
		const struct lig_vpp_if_rx_mode *r = &v->rx_modes[i];
		lig_chk_path(path, sizeof(path), "rx_modes", i, NULL);
		if (v->type != LIG_VPP_IF_MEMIF) {
			if (r->mode != LIG_VPP_RX_MODE_DEFAULT)
				return LIG_UNSUPPORTED(err, path,
						       "ligd sets the rx mode of memif interfaces "
						       "only (DEFAULT is the one mode a %s has)",
						       type_name(v->type));
			continue;
		}
		bool one_queue = v->link.memif.rx_queues <= 1 && r->queue == 0;
		if (!r->default_mode && !one_queue)
			return LIG_UNSUPPORTED(
			    err, path,
			    "ligd sets one rx mode for all queues of an interface; "
			    "a mode for queue %u alone is not supported (use "
			    "default_mode)",
			    r->queue);
		if (i && ligd_rx_mode(r->mode) != ligd_rx_mode(v->rx_modes[0].mode))
			return LIG_UNSUPPORTED(
			    err, path,
			    "ligd has one rx mode per interface; %s differs from "
			    "rx_modes[0]'s %s",
			    lig_pb_enum_name(&lig_pb_enum_vpp_rx_mode, r->mode),
			    lig_pb_enum_name(&lig_pb_enum_vpp_rx_mode, v->rx_modes[0].mode));
	}

	switch (v->link_case) {
	case LIG_VPP_IF_LINK_MEMIF:
		if (v->link.memif.mode == LIG_VPP_MEMIF_PUNT_INJECT)
			return LIG_UNSUPPORTED(
			    err, "memif.mode",
			    "PUNT_INJECT is not supported (ligd has ETHERNET and "
			    "IP)");
		break;
	case LIG_VPP_IF_LINK_TAP: {
		const struct lig_vpp_tap_link *t = &v->link.tap;
		if (t->to_microservice && *t->to_microservice)
			return LIG_UNSUPPORTED(err, "tap.to_microservice",
					       "microservice (docker container) namespaces are not "
					       "supported");
		if (t->rx_ring_size)
			return LIG_UNSUPPORTED(err, "tap.rx_ring_size",
					       "ligd's taps have no virtio rings to size");
		if (t->tx_ring_size)
			return LIG_UNSUPPORTED(err, "tap.tx_ring_size",
					       "ligd's taps have no virtio rings to size");
		if (t->enable_gso)
			return LIG_UNSUPPORTED(err, "tap.enable_gso", "ligd's taps have no GSO");
		if (t->enable_tunnel)
			return LIG_UNSUPPORTED(err, "tap.enable_tunnel",
					       "ligd's taps are Ethernet taps, not tun (tunnel) "
					       "devices");
		break;
	}
	case LIG_VPP_IF_LINK_VXLAN: {
		const struct lig_vpp_vxlan_link *x = &v->link.vxlan;
		char q[LIG_MODEL_QUOTE_SIZE];
		uint8_t d[4];
		if ((rv = lig_sup_ip4(err, "vxlan.src_address", x->src_address)) < 0 ||
		    (rv = lig_sup_ip4(err, "vxlan.dst_address", x->dst_address)) < 0)
			return rv;
		if (!lig_model_ip4_parse(lig_model_str(x->dst_address), d) && d[0] >= 224 &&
		    d[0] <= 239)
			return LIG_UNSUPPORTED(
			    err, "vxlan.dst_address",
			    "'%s': multicast VXLAN is not supported (ligd's tunnels "
			    "are unicast)",
			    LIG_Q(x->dst_address, q));
		if (x->multicast && *x->multicast)
			return LIG_UNSUPPORTED(err, "vxlan.multicast",
					       "multicast VXLAN is not supported");
		if (x->has_gpe)
			return LIG_UNSUPPORTED(err, "vxlan.gpe", "VXLAN-GPE is not supported");
		break;
	}
	}
	return 0;
}

int
lig_vpp_interface_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_interface *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->name));
}

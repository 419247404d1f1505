/* SPDX-License-Identifier: Apache-2.0 */
/* vpp.vrf-table, vpp.route and vpp.arp (ligato.vpp.l3): validation as vpp-agent's L3
 * descriptors validate plus ligd's limits (docs/api.md, module ip4), and what Ligature
 * supports: IPv4 tables (a label of printable ASCII: ligd's table name) without flow-hash
 * settings; intra-VRF and drop routes with a next hop and/or outgoing interface and an ECMP
 * weight; IPv4 neighbours. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "models_impl.h"
#include "schema.h"

/* ---- VRF tables ---- */

int
lig_vpp_vrf_table_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_vrf_table *v = value;
	int rv;

	if ((rv = lig_chk_enum(err, "protocol", &lig_pb_enum_vpp_vrf_protocol, v->protocol)) < 0)
		return rv;
	/* vpp-agent's limit */
	if (v->label && strlen(v->label) > 63)
		return LIG_INVALID(err, "label", "%zu characters; at most 63", strlen(v->label));
	return 0;
}

int
lig_vpp_vrf_table_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_vrf_table *v = value;

	if (v->protocol == LIG_VPP_VRF_IPV6)
		return LIG_UNSUPPORTED(err, "protocol",
				       "IPV6 tables are not supported (Ligature is IPv4 only)");
	for (const char *c = v->label; c && *c; c++)
		if (*c < 0x20 || *c > 0x7e || *c == '"')
			return LIG_UNSUPPORTED(err, "label",
					       "ligd's table names are printable ASCII but '\"'");
	if (v->has_flow_hash_settings)
		return LIG_UNSUPPORTED(err, "flow_hash_settings",
				       "ligd's ECMP flow hash is not configurable");
	return 0;
}

int
lig_vpp_vrf_table_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_vrf_table *v = value;
	const char *proto = lig_pb_enum_name(&lig_pb_enum_vpp_vrf_protocol, v->protocol);

	/* Go's template prints an enum by its String(): the name, or the number. */
	if (proto)
		return lig_key_printf(buf, size, "id/%u/protocol/%s", v->id, proto);
	return lig_key_printf(buf, size, "id/%u/protocol/%d", v->id, v->protocol);
}

/* ---- routes ---- */

int
lig_vpp_route_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_route *v = value;
	enum lig_addr_kind kd, kg;
	uint8_t gw[4] = {0};
	int rv;

	if ((rv = lig_chk_enum(err, "type", &lig_pb_enum_vpp_route_type, v->type)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "dst_network", v->dst_network,
			     LIG_CHK_REQUIRED | LIG_CHK_PREFIX | LIG_CHK_NETWORK | LIG_CHK_ALLOC,
			     &kd, NULL, NULL)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "next_hop_addr", v->next_hop_addr, LIG_CHK_ALLOC, &kg, gw,
			     NULL)) < 0)
		return rv;
	/* 0.0.0.0 is vpp-agent's "no next hop" as well as the empty string. */
	bool has_gw =
	    kg != LIG_ADDR_NONE && !(kg == LIG_ADDR_IP4 && !(gw[0] | gw[1] | gw[2] | gw[3]));
	if (has_gw && kg == LIG_ADDR_IP4 &&
	    (rv = lig_chk_ip(err, "next_hop_addr", v->next_hop_addr, LIG_CHK_HOST, NULL, NULL,
			     NULL)) < 0)
		return rv;
	if (has_gw && (kd == LIG_ADDR_IP4 || kd == LIG_ADDR_IP6) &&
	    (kg == LIG_ADDR_IP4 || kg == LIG_ADDR_IP6) && kd != kg)
		return LIG_INVALID(err, "next_hop_addr", "not of the IP version of dst_network");
	if ((rv = lig_chk_name(err, "outgoing_interface", v->outgoing_interface, false)) < 0)
		return rv;
	if (v->weight > LIG_LIGD_WEIGHT_MAX)
		return LIG_INVALID(err, "weight", "%u is out of range (1..%d, 0: 1)", v->weight,
				   LIG_LIGD_WEIGHT_MAX);
	bool has_if = *lig_model_str(v->outgoing_interface);
	switch (v->type) {
	case LIG_VPP_ROUTE_INTRA_VRF:
		if (!has_gw && !has_if)
			return LIG_INVALID(err, "next_hop_addr",
					   "missing: an INTRA_VRF route needs a next hop, an "
					   "outgoing_interface or both");
		break;
	case LIG_VPP_ROUTE_DROP:
		if (has_gw)
			return LIG_INVALID(err, "next_hop_addr",
					   "a DROP route has no next hop; leave it out");
		if (has_if)
			return LIG_INVALID(err, "outgoing_interface",
					   "a DROP route has no outgoing interface; leave it out");
		break;
	}
	return 0;
}

int
lig_vpp_route_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_route *v = value;
	int rv;

	if (v->type == LIG_VPP_ROUTE_INTER_VRF)
		return LIG_UNSUPPORTED(
		    err, "type", "INTER_VRF routes (a lookup in another VRF) are not supported");
	if (v->via_vrf_id)
		return LIG_UNSUPPORTED(err, "via_vrf_id",
				       "next-hop lookup in another VRF is not supported");
	if (v->preference)
		return LIG_UNSUPPORTED(err, "preference",
				       "ligd has no path preference (paths share by weight)");
	if ((rv = lig_sup_ip4(err, "dst_network", v->dst_network)) < 0)
		return rv;
	return lig_sup_ip4(err, "next_hop_addr", v->next_hop_addr);
}

int
lig_vpp_route_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_route *v = value;
	const char *iface = lig_model_str(v->outgoing_interface);
	const char *dst = lig_model_str(v->dst_network);
	const char *gw = lig_model_str(v->next_hop_addr);
	char net[LIG_MODEL_KEY_MAX];

	/* if/<iface>/ vrf/<vrf>/ dst/<ipnet>/ (or dst/<alloc ref>/) gw/<gw> */
	if (!lig_ipnet(dst, net, sizeof(net)))
		snprintf(net, sizeof(net), "%s", dst);
	return lig_key_printf(buf, size, "%s%s%svrf/%u/dst/%s/%s%s", *iface ? "if/" : "", iface,
			      *iface ? "/" : "", v->vrf_id, net, *gw ? "gw/" : "", gw);
}

/* ---- ARP ---- */

int
lig_vpp_arp_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_arp *v = value;
	int rv;

	if ((rv = lig_chk_name(err, "interface", v->interface, true)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "ip_address", v->ip_address, LIG_CHK_REQUIRED | LIG_CHK_HOST,
			     NULL, NULL, NULL)) < 0)
		return rv;
	return lig_chk_mac(err, "phys_address", v->phys_address,
			   LIG_CHK_REQUIRED | LIG_CHK_UNICAST | LIG_CHK_NONZERO);
}

int
lig_vpp_arp_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_arp *v = value;
	return lig_sup_ip4(err, "ip_address", v->ip_address);
}

int
lig_vpp_arp_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_arp *v = value;
	return lig_key_printf(buf, size, "%s/%s", lig_model_str(v->interface),
			      lig_model_str(v->ip_address));
}

/* SPDX-License-Identifier: Apache-2.0 */
/* linux.interfaces.interface, linux.l3.route and linux.l3.arp (ligato.linux): validation as
 * vpp-agent's Linux descriptors validate plus what the kernel takes, and what Ligature
 * supports: VETH pairs, TAP_TO_VPP (the kernel side of a ligd tap), LOOPBACK and EXISTING, in
 * the default namespace or a named (NSID, MICROSERVICE: the label as the name), process or file
 * namespace, with IPv4 addresses, MAC, MTU and checksum offloading; IPv4 routes and neighbours. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "models_impl.h"
#include "schema.h"

static const char *
type_name(int32_t type)
{
	const char *n = lig_pb_enum_name(&lig_pb_enum_linux_if_type, type);
	return n ? n : "?";
}

static int
validate_namespace(const struct lig_linux_namespace *ns, struct lig_model_error *err)
{
	char q[LIG_MODEL_QUOTE_SIZE];
	const char *ref = lig_model_str(ns->reference);
	int rv;

	if ((rv = lig_chk_enum(err, "namespace.type", &lig_pb_enum_linux_ns_type, ns->type)) < 0)
		return rv;
	/* as vpp-agent: a namespace given is a namespace named */
	if (ns->type == LIG_LINUX_NS_UNDEFINED)
		return LIG_INVALID(err, "namespace.type", "missing (UNDEFINED names no namespace)");
	if (!*ref)
		return LIG_INVALID(err, "namespace.reference",
				   "missing (a namespace needs its "
				   "reference)");
	switch (ns->type) {
	case LIG_LINUX_NS_NSID: /* /run/netns/<name> */
		if (strchr(ref, '/') || !strcmp(ref, ".") || !strcmp(ref, "..") ||
		    strlen(ref) > 255)
			return LIG_INVALID(err, "namespace.reference",
					   "'%s' is not a namespace name (as ip netns names them)",
					   LIG_Q(ref, q));
		break;
	case LIG_LINUX_NS_PID: {
		unsigned long pid = 0;
		size_t i = 0;
		for (; ref[i] >= '0' && ref[i] <= '9' && i < 10; i++)
			pid = pid * 10 + (unsigned long)(ref[i] - '0');
		if (ref[i] || !pid || pid > 4194304 || ref[0] == '0')
			return LIG_INVALID(err, "namespace.reference", "'%s' is not a process id",
					   LIG_Q(ref, q));
		break;
	}
	case LIG_LINUX_NS_FD:
		if (ref[0] != '/')
			return LIG_INVALID(err, "namespace.reference",
					   "'%s' is not an absolute path to a namespace file",
					   LIG_Q(ref, q));
		break;
	}
	return lig_chk_name(err, "namespace.reference",
			    ns->type == LIG_LINUX_NS_MICROSERVICE ? ref : NULL, false);
}

int
lig_linux_interface_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_interface *v = value;
	char path[64], q[LIG_MODEL_QUOTE_SIZE];
	int rv;

	if ((rv = lig_chk_name(err, "name", v->name, true)) < 0)
		return rv;
	if ((rv = lig_chk_enum(err, "type", &lig_pb_enum_linux_if_type, v->type)) < 0)
		return rv;
	if (v->type == LIG_LINUX_IF_UNDEFINED)
		return LIG_INVALID(err, "type", "missing (an interface needs its type)");

	/* The link must match the type; VETH and TAP_TO_VPP need theirs. */
	uint32_t want = v->type == LIG_LINUX_IF_VETH	     ? LIG_LINUX_IF_LINK_VETH
			: v->type == LIG_LINUX_IF_TAP_TO_VPP ? LIG_LINUX_IF_LINK_TAP
			: v->type == LIG_LINUX_IF_VRF_DEVICE ? LIG_LINUX_IF_LINK_VRF_DEV
							     : LIG_LINUX_IF_LINK_NONE;
	const char *names[] = {[0] = "link", [1] = "veth", [2] = "tap", [3] = "vrf_dev"};
	size_t have_i = v->link_case >= 20 && v->link_case <= 22 ? v->link_case - 19 : 0;
	size_t want_i = want ? want - 19 : 0;
	if (v->link_case && v->link_case != want)
		return LIG_INVALID(err, names[have_i], "does not match type %s",
				   type_name(v->type));
	if (!v->link_case && want)
		return LIG_INVALID(err, names[want_i],
				   "missing: a %s interface needs its %s settings",
				   type_name(v->type), names[want_i]);

	if (v->has_namespace && (rv = validate_namespace(&v->namespace_, err)) < 0)
		return rv;
	/* as vpp-agent: an EXISTING interface is one of the agent's own namespace */
	if (v->type == LIG_LINUX_IF_EXISTING && v->has_namespace)
		return LIG_INVALID(err, "namespace",
				   "an EXISTING interface is in the agent's namespace");
	/* The host name: host_if_name, or the logical name when it is empty. */
	const char *host = *lig_model_str(v->host_if_name) ? v->host_if_name : v->name;
	if (v->type != LIG_LINUX_IF_LOOPBACK &&
	    (rv = lig_chk_ifname(err, *lig_model_str(v->host_if_name) ? "host_if_name" : "name",
				 host)) < 0)
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
	if ((rv = lig_chk_mac(err, "phys_address", v->phys_address,
			      LIG_CHK_UNICAST | LIG_CHK_NONZERO)) < 0)
		return rv;
	if (v->mtu && (v->mtu < 68 || v->mtu > 65535))
		return LIG_INVALID(err, "mtu", "%u is out of range (68..65535, 0: the default)",
				   v->mtu);
	if ((rv = lig_chk_name(err, "vrf_master_interface", v->vrf_master_interface, false)) < 0)
		return rv;

	if (v->link_case == LIG_LINUX_IF_LINK_VETH) {
		const struct lig_linux_veth_link *l = &v->link.veth;
		if ((rv = lig_chk_name(err, "veth.peer_if_name", l->peer_if_name, true)) < 0)
			return rv;
		if (!strcmp(l->peer_if_name, v->name))
			return LIG_INVALID(err, "veth.peer_if_name",
					   "'%s' is this interface; the peer is the other end",
					   LIG_Q(l->peer_if_name, q));
		if ((rv = lig_chk_enum(err, "veth.rx_checksum_offloading",
				       &lig_pb_enum_linux_checksum, l->rx_checksum_offloading)) < 0)
			return rv;
		return lig_chk_enum(err, "veth.tx_checksum_offloading", &lig_pb_enum_linux_checksum,
				    l->tx_checksum_offloading);
	}
	if (v->link_case == LIG_LINUX_IF_LINK_TAP)
		return lig_chk_name(err, "tap.vpp_tap_if_name", v->link.tap.vpp_tap_if_name, true);
	return 0;
}

int
lig_linux_interface_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_interface *v = value;
	char path[64];
	int rv;

	switch (v->type) {
	case LIG_LINUX_IF_VETH:
	case LIG_LINUX_IF_TAP_TO_VPP:
	case LIG_LINUX_IF_LOOPBACK:
	case LIG_LINUX_IF_EXISTING:
		break;
	default:
		return LIG_UNSUPPORTED(err, "type",
				       "%s interfaces are not supported (Ligature has VETH, "
				       "TAP_TO_VPP, LOOPBACK and EXISTING)",
				       type_name(v->type));
	}
	/* MICROSERVICE: lig-agent takes the label as the name of a named namespace (no docker) */
	for (size_t i = 0; i < v->n_ip_addresses; i++)
		if ((rv =
			 lig_sup_ip4(err, lig_chk_path(path, sizeof(path), "ip_addresses", i, NULL),
				     v->ip_addresses[i])) < 0)
			return rv;
	if (v->type == LIG_LINUX_IF_LOOPBACK && *lig_model_str(v->phys_address))
		return LIG_UNSUPPORTED(err, "phys_address", "a loopback has no MAC address to set");
	if (v->link_only)
		return LIG_UNSUPPORTED(
		    err, "link_only",
		    "link-only interfaces (addresses set by someone else) are not "
		    "supported");
	if (*lig_model_str(v->vrf_master_interface))
		return LIG_UNSUPPORTED(err, "vrf_master_interface", "Linux VRFs are not supported");
	return 0;
}

int
lig_linux_interface_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_linux_interface *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->name));
}

/* ---- routes ---- */

int
lig_linux_route_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_route *v = value;
	enum lig_addr_kind kd, kg;
	int rv;

	if ((rv = lig_chk_name(err, "outgoing_interface", v->outgoing_interface, true)) < 0)
		return rv;
	if ((rv = lig_chk_enum(err, "scope", &lig_pb_enum_linux_scope, v->scope)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "dst_network", v->dst_network,
			     LIG_CHK_REQUIRED | LIG_CHK_PREFIX | LIG_CHK_NETWORK | LIG_CHK_ALLOC,
			     &kd, NULL, NULL)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "gw_addr", v->gw_addr, LIG_CHK_HOST | LIG_CHK_ALLOC, &kg, NULL,
			     NULL)) < 0)
		return rv;
	if ((kd == LIG_ADDR_IP4 || kd == LIG_ADDR_IP6) &&
	    (kg == LIG_ADDR_IP4 || kg == LIG_ADDR_IP6) && kd != kg)
		return LIG_INVALID(err, "gw_addr", "not of the IP version of dst_network");
	/* as vpp-agent: a link-scope route has no gateway */
	if (v->scope == LIG_LINUX_SCOPE_LINK && kg != LIG_ADDR_NONE)
		return LIG_INVALID(err, "gw_addr", "a LINK scope route has no gateway");
	return 0;
}

int
lig_linux_route_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_route *v = value;
	int rv;

	if ((rv = lig_sup_ip4(err, "dst_network", v->dst_network)) < 0)
		return rv;
	return lig_sup_ip4(err, "gw_addr", v->gw_addr);
}

int
lig_linux_route_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_linux_route *v = value;
	const char *dst = lig_model_str(v->dst_network);
	char net[LIG_MODEL_KEY_MAX];

	if (!lig_ipnet(dst, net, sizeof(net)))
		snprintf(net, sizeof(net), "%s", dst);
	return lig_key_printf(buf, size, "%s/%s", net, lig_model_str(v->outgoing_interface));
}

/* ---- ARP ---- */

int
lig_linux_arp_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_arp *v = value;
	int rv;

	if ((rv = lig_chk_name(err, "interface", v->interface, true)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "ip_address", v->ip_address,
			     LIG_CHK_REQUIRED | LIG_CHK_HOST | LIG_CHK_ALLOC, NULL, NULL, NULL)) <
	    0)
		return rv;
	return lig_chk_mac(err, "hw_address", v->hw_address, LIG_CHK_REQUIRED);
}

int
lig_linux_arp_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_linux_arp *v = value;
	return lig_sup_ip4(err, "ip_address", v->ip_address);
}

int
lig_linux_arp_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_linux_arp *v = value;
	return lig_key_printf(buf, size, "%s/%s", lig_model_str(v->interface),
			      lig_model_str(v->ip_address));
}

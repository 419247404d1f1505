/* SPDX-License-Identifier: Apache-2.0 */
/* vpp.acls.acl (ligato.vpp.acl.ACL): validation as vpp-agent's ACL descriptor does it (a name,
 * rules with an IP or a MAC-IP part, networks, ranges), what ligd supports (IPv4 IP rules;
 * not MAC-IP rules nor ICMPv6), and the key name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lig_models_types.h"
#include "models_impl.h"
#include "schema.h"

static int
chk_range(struct lig_model_error *err, const char *field, uint32_t lo, uint32_t hi, uint32_t max)
{
	if (lo > max || hi > max)
		return LIG_INVALID(err, field, "out of range (0..%u): %u-%u", max, lo, hi);
	if (hi && lo > hi)
		return LIG_INVALID(err, field, "lower %u above upper %u", lo, hi);
	return 0;
}

int
lig_vpp_acl_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_acl *v = value;
	char f[96];
	int rv;

	if ((rv = lig_chk_name(err, "name", v->name, true)) < 0)
		return rv;
	if (v->name && strchr(v->name, '/'))
		return LIG_INVALID(err, "name", "an ACL name has no '/'");
	if (!v->n_rules)
		return LIG_INVALID(err, "rules", "an ACL needs at least one rule");
	for (size_t i = 0; i < v->n_rules; i++) {
		const struct lig_vpp_acl_rule *r = &v->rules[i];
		if ((rv = lig_chk_enum(err, lig_chk_path(f, sizeof(f), "rules", i, ".action"),
				       &lig_pb_enum_vpp_acl_action, r->action)) < 0)
			return rv;
		if (r->has_ip_rule == r->has_macip_rule)
			return LIG_INVALID(err, lig_chk_path(f, sizeof(f), "rules", i, ""),
					   "a rule has either ip_rule or macip_rule");
		if (!r->has_ip_rule)
			continue;
		const struct lig_vpp_acl_ip_rule *ip = &r->ip_rule;
		if (ip->has_ip) {
			if ((rv = lig_chk_ip(err,
					     lig_chk_path(f, sizeof(f), "rules", i,
							  ".ip_rule.ip.source_network"),
					     ip->ip.source_network, LIG_CHK_PREFIX, NULL, NULL,
					     NULL)) < 0 ||
			    (rv = lig_chk_ip(err,
					     lig_chk_path(f, sizeof(f), "rules", i,
							  ".ip_rule.ip.destination_network"),
					     ip->ip.destination_network, LIG_CHK_PREFIX, NULL, NULL,
					     NULL)) < 0)
				return rv;
			if (ip->ip.protocol > 255)
				return LIG_INVALID(
				    err,
				    lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.ip.protocol"),
				    "%u out of range (0..255)", ip->ip.protocol);
		}
		if (ip->has_tcp + ip->has_udp + ip->has_icmp > 1)
			return LIG_INVALID(err, lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule"),
					   "at most one of tcp, udp and icmp");
		const struct lig_vpp_acl_port_range *pr[4] = {
		    ip->has_tcp && ip->tcp.has_destination_port_range
			? &ip->tcp.destination_port_range
			: NULL,
		    ip->has_tcp && ip->tcp.has_source_port_range ? &ip->tcp.source_port_range
								 : NULL,
		    ip->has_udp && ip->udp.has_destination_port_range
			? &ip->udp.destination_port_range
			: NULL,
		    ip->has_udp && ip->udp.has_source_port_range ? &ip->udp.source_port_range
								 : NULL};
		for (int k = 0; k < 4; k++)
			if (pr[k] &&
			    (rv = chk_range(
				 err, lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule port range"),
				 pr[k]->lower_port, pr[k]->upper_port, 65535)) < 0)
				return rv;
		if (ip->has_tcp && (ip->tcp.tcp_flags_mask > 255 || ip->tcp.tcp_flags_value > 255))
			return LIG_INVALID(err,
					   lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.tcp"),
					   "TCP flags are 0..255");
		if (ip->has_icmp &&
		    ((ip->icmp.has_icmp_type_range &&
		      (rv = chk_range(err, lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.icmp"),
				      ip->icmp.icmp_type_range.first, ip->icmp.icmp_type_range.last,
				      255)) < 0) ||
		     (ip->icmp.has_icmp_code_range &&
		      (rv = chk_range(err, lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.icmp"),
				      ip->icmp.icmp_code_range.first, ip->icmp.icmp_code_range.last,
				      255)) < 0)))
			return rv;
	}
	if (v->has_interfaces) {
		for (size_t i = 0; i < v->interfaces.n_ingress; i++)
			if ((rv = lig_chk_name(
				 err, lig_chk_path(f, sizeof(f), "interfaces.ingress", i, ""),
				 v->interfaces.ingress[i], true)) < 0)
				return rv;
		for (size_t i = 0; i < v->interfaces.n_egress; i++)
			if ((rv = lig_chk_name(
				 err, lig_chk_path(f, sizeof(f), "interfaces.egress", i, ""),
				 v->interfaces.egress[i], true)) < 0)
				return rv;
	}
	return 0;
}

int
lig_vpp_acl_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_acl *v = value;
	char f[96];
	int rv;

	for (size_t i = 0; i < v->n_rules; i++) {
		const struct lig_vpp_acl_rule *r = &v->rules[i];
		if (r->has_macip_rule)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "rules", i, ".macip_rule"),
			    "MAC-IP rules are not supported by ligd");
		if (r->ip_rule.has_ip &&
		    ((r->ip_rule.ip.source_network && *r->ip_rule.ip.source_network &&
		      (rv = lig_sup_ip4(
			   err,
			   lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.ip.source_network"),
			   r->ip_rule.ip.source_network)) < 0) ||
		     (r->ip_rule.ip.destination_network && *r->ip_rule.ip.destination_network &&
		      (rv = lig_sup_ip4(err,
					lig_chk_path(f, sizeof(f), "rules", i,
						     ".ip_rule.ip.destination_network"),
					r->ip_rule.ip.destination_network)) < 0)))
			return rv;
		if (r->ip_rule.has_icmp && r->ip_rule.icmp.icmpv6)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "rules", i, ".ip_rule.icmp"),
			    "ICMPv6 rules are not supported (IPv4 ACLs only)");
	}
	return 0;
}

int
lig_vpp_acl_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_acl *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->name));
}

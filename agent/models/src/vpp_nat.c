/* SPDX-License-Identifier: Apache-2.0 */
/* vpp.nat (ligato.vpp.nat: Nat44Global, DNat44, Nat44Interface, Nat44AddressPool): validation
 * as vpp-agent's NAT descriptors do it (names, IPv4 addresses, ports, probabilities), what
 * ligd's endpoint-dependent NAT44 supports (one VRF, no twice-NAT, no identity mappings, no
 * output feature, no endpoint-independent mode, no virtual reassembly), and the key names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lig_models_types.h"
#include "models_impl.h"
#include "schema.h"

static int
chk_port(struct lig_model_error *err, const char *field, uint32_t port)
{
	if (port > 65535)
		return LIG_INVALID(err, field, "%u out of range (0..65535)", port);
	return 0;
}

/* ---- Nat44Global ---- */

int
lig_vpp_nat44_global_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_global *v = value;
	char f[96];
	int rv;

	for (size_t i = 0; i < v->n_nat_interfaces; i++)
		if ((rv =
			 lig_chk_name(err, lig_chk_path(f, sizeof(f), "nat_interfaces", i, ".name"),
				      v->nat_interfaces[i].name, true)) < 0)
			return rv;
	for (size_t i = 0; i < v->n_address_pool; i++)
		if ((rv = lig_chk_ip(err, lig_chk_path(f, sizeof(f), "address_pool", i, ".address"),
				     v->address_pool[i].address, LIG_CHK_REQUIRED | LIG_CHK_HOST,
				     NULL, NULL, NULL)) < 0)
			return rv;
	return 0;
}

int
lig_vpp_nat44_global_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_global *v = value;
	char f[96];
	int rv;

	if (v->endpoint_independent)
		return LIG_UNSUPPORTED(err, "endpoint_independent",
				       "ligd's NAT44 is endpoint-dependent only");
	if (v->has_virtual_reassembly)
		return LIG_UNSUPPORTED(
		    err, "virtual_reassembly",
		    "ligd's NAT44 does not reassemble fragments (it drops them)");
	for (size_t i = 0; i < v->n_nat_interfaces; i++)
		if (v->nat_interfaces[i].output_feature)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "nat_interfaces", i, ".output_feature"),
			    "ligd's NAT44 has no output feature (inside/outside input features)");
	for (size_t i = 0; i < v->n_address_pool; i++) {
		const struct lig_vpp_nat44_global_addr *a = &v->address_pool[i];
		if ((rv =
			 lig_sup_ip4(err, lig_chk_path(f, sizeof(f), "address_pool", i, ".address"),
				     a->address)) < 0)
			return rv;
		if (a->vrf_id)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "address_pool", i, ".vrf_id"),
			    "ligd's NAT44 has one VRF (0)");
		if (a->twice_nat)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "address_pool", i, ".twice_nat"),
			    "ligd's NAT44 has no twice-NAT");
	}
	return 0;
}

int
lig_vpp_nat44_global_key_name(const void *value, char *buf, size_t size)
{
	(void)value;
	return lig_key_printf(buf, size, "%s", "");
}

/* ---- DNat44 ---- */

int
lig_vpp_dnat44_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_dnat44 *v = value;
	char f[128];
	int rv;

	if ((rv = lig_chk_name(err, "label", v->label, true)) < 0)
		return rv;
	if (v->label && strchr(v->label, '/'))
		return LIG_INVALID(err, "label", "a DNAT label has no '/'");
	for (size_t i = 0; i < v->n_st_mappings; i++) {
		const struct lig_vpp_dnat44_st_mapping *m = &v->st_mappings[i];
		if ((rv = lig_chk_enum(err,
				       lig_chk_path(f, sizeof(f), "st_mappings", i, ".protocol"),
				       &lig_pb_enum_vpp_dnat44_protocol, m->protocol)) < 0 ||
		    (rv = lig_chk_enum(err,
				       lig_chk_path(f, sizeof(f), "st_mappings", i, ".twice_nat"),
				       &lig_pb_enum_vpp_dnat44_twice_nat, m->twice_nat)) < 0 ||
		    (rv = chk_port(err,
				   lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_port"),
				   m->external_port)) < 0)
			return rv;
		if (!m->external_ip || !*m->external_ip) {
			if (!m->external_interface || !*m->external_interface)
				return LIG_INVALID(
				    err,
				    lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_ip"),
				    "a static mapping needs external_ip or external_interface");
		} else if ((rv = lig_chk_ip(
				err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_ip"),
				m->external_ip, LIG_CHK_HOST, NULL, NULL, NULL)) < 0)
			return rv;
		if (m->twice_nat_pool_ip && *m->twice_nat_pool_ip &&
		    (rv = lig_chk_ip(
			 err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".twice_nat_pool_ip"),
			 m->twice_nat_pool_ip, LIG_CHK_HOST, NULL, NULL, NULL)) < 0)
			return rv;
		if (!m->n_local_ips)
			return LIG_INVALID(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".local_ips"),
			    "a static mapping needs at least one local IP");
		for (size_t j = 0; j < m->n_local_ips; j++) {
			const struct lig_vpp_dnat44_local_ip *l = &m->local_ips[j];
			char g[160];
			snprintf(g, sizeof(g), "st_mappings[%zu].local_ips[%zu]", i, j);
			size_t gl = strlen(g);
			snprintf(g + gl, sizeof(g) - gl, ".local_ip");
			if ((rv = lig_chk_ip(err, g, l->local_ip, LIG_CHK_REQUIRED | LIG_CHK_HOST,
					     NULL, NULL, NULL)) < 0)
				return rv;
			snprintf(g + gl, sizeof(g) - gl, ".local_port");
			if ((rv = chk_port(err, g, l->local_port)) < 0)
				return rv;
			snprintf(g + gl, sizeof(g) - gl, ".probability");
			if (m->n_local_ips > 1 && (l->probability < 1 || l->probability > 100))
				return LIG_INVALID(err, g,
						   "%u: a load-balanced backend's probability is "
						   "1..100",
						   l->probability);
		}
		if (m->n_local_ips > 1 && m->protocol == LIG_VPP_DNAT44_ICMP)
			return LIG_INVALID(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".protocol"),
			    "a load-balanced mapping is TCP or UDP");
		if (m->n_local_ips > 1 && !m->external_port)
			return LIG_INVALID(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_port"),
			    "a load-balanced mapping needs a port");
		if (m->n_local_ips == 1 && (!m->external_port) != (!m->local_ips[0].local_port))
			return LIG_INVALID(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_port"),
			    "external_port and local_port are both set or both 0 (address only)");
	}
	for (size_t i = 0; i < v->n_id_mappings; i++) {
		const struct lig_vpp_dnat44_id_mapping *m = &v->id_mappings[i];
		if ((rv = lig_chk_enum(err,
				       lig_chk_path(f, sizeof(f), "id_mappings", i, ".protocol"),
				       &lig_pb_enum_vpp_dnat44_protocol, m->protocol)) < 0 ||
		    (rv = chk_port(err, lig_chk_path(f, sizeof(f), "id_mappings", i, ".port"),
				   m->port)) < 0)
			return rv;
		if (m->ip_address && *m->ip_address &&
		    (rv = lig_chk_ip(err,
				     lig_chk_path(f, sizeof(f), "id_mappings", i, ".ip_address"),
				     m->ip_address, LIG_CHK_HOST, NULL, NULL, NULL)) < 0)
			return rv;
	}
	return 0;
}

int
lig_vpp_dnat44_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_dnat44 *v = value;
	char f[128];
	int rv;

	if (v->n_id_mappings)
		return LIG_UNSUPPORTED(err, "id_mappings", "ligd's NAT44 has no identity mappings");
	for (size_t i = 0; i < v->n_st_mappings; i++) {
		const struct lig_vpp_dnat44_st_mapping *m = &v->st_mappings[i];
		if (m->external_interface && *m->external_interface)
			return LIG_UNSUPPORTED(
			    err,
			    lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_interface"),
			    "ligd's NAT44 maps addresses, not an interface's address");
		if (m->twice_nat)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".twice_nat"),
			    "ligd's NAT44 has no twice-NAT");
		if (m->twice_nat_pool_ip && *m->twice_nat_pool_ip)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".twice_nat_pool_ip"),
			    "ligd's NAT44 has no twice-NAT");
		if ((rv = lig_sup_ip4(err,
				      lig_chk_path(f, sizeof(f), "st_mappings", i, ".external_ip"),
				      m->external_ip)) < 0)
			return rv;
		if (m->n_local_ips > 16)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".local_ips"),
			    "%zu backends; ligd takes at most 16", m->n_local_ips);
		if (m->n_local_ips == 1 && m->session_affinity)
			return LIG_UNSUPPORTED(
			    err, lig_chk_path(f, sizeof(f), "st_mappings", i, ".session_affinity"),
			    "affinity is for load-balanced mappings (2 or more local IPs)");
		for (size_t j = 0; j < m->n_local_ips; j++) {
			char g[160];
			snprintf(g, sizeof(g), "st_mappings[%zu].local_ips[%zu].vrf_id", i, j);
			if (m->local_ips[j].vrf_id)
				return LIG_UNSUPPORTED(err, g, "ligd's NAT44 has one VRF (0)");
			snprintf(g, sizeof(g), "st_mappings[%zu].local_ips[%zu].local_ip", i, j);
			if ((rv = lig_sup_ip4(err, g, m->local_ips[j].local_ip)) < 0)
				return rv;
		}
	}
	return 0;
}

int
lig_vpp_dnat44_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_dnat44 *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->label));
}

/* ---- Nat44Interface ---- */

int
lig_vpp_nat44_interface_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_interface *v = value;
	return lig_chk_name(err, "name", v->name, true);
}

int
lig_vpp_nat44_interface_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_interface *v = value;
	if (v->output_feature)
		return LIG_UNSUPPORTED(
		    err, "output_feature",
		    "ligd's NAT44 has no output feature (inside/outside input features)");
	if (v->nat_inside && v->nat_outside)
		return LIG_UNSUPPORTED(err, "nat_outside",
				       "an interface is NAT44 inside or outside in ligd, not both");
	return 0;
}

int
lig_vpp_nat44_interface_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_nat44_interface *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->name));
}

/* ---- Nat44AddressPool ---- */

int
lig_vpp_nat44_pool_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_pool *v = value;
	uint8_t a[4] = {0}, b[4] = {0};
	int rv;

	if (v->name && *v->name && (rv = lig_chk_name(err, "name", v->name, true)) < 0)
		return rv;
	if ((rv = lig_chk_ip(err, "first_ip", v->first_ip, LIG_CHK_REQUIRED | LIG_CHK_HOST, NULL, a,
			     NULL)) < 0)
		return rv;
	if (v->last_ip && *v->last_ip) {
		if ((rv = lig_chk_ip(err, "last_ip", v->last_ip, LIG_CHK_HOST, NULL, b, NULL)) < 0)
			return rv;
		if (memcmp(a, b, 4) > 0)
			return LIG_INVALID(err, "last_ip", "%s is below first_ip %s", v->last_ip,
					   v->first_ip);
	}
	return 0;
}

int
lig_vpp_nat44_pool_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_nat44_pool *v = value;
	int rv;

	if (v->twice_nat)
		return LIG_UNSUPPORTED(err, "twice_nat", "ligd's NAT44 has no twice-NAT pool");
	if (v->vrf_id)
		return LIG_UNSUPPORTED(err, "vrf_id", "ligd's NAT44 has one VRF (0)");
	if ((rv = lig_sup_ip4(err, "first_ip", v->first_ip)) < 0 ||
	    (v->last_ip && *v->last_ip && (rv = lig_sup_ip4(err, "last_ip", v->last_ip)) < 0))
		return rv;
	return 0;
}

int
lig_vpp_nat44_pool_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_nat44_pool *v = value;
	const char *first = lig_model_str(v->first_ip), *last = lig_model_str(v->last_ip);
	if (v->name && *v->name)
		return lig_key_printf(buf, size, "%s", v->name);
	if (*last && strcmp(first, last))
		return lig_key_printf(buf, size, "vrf/%u/address/%s-%s", v->vrf_id, first, last);
	return lig_key_printf(buf, size, "vrf/%u/address/%s", v->vrf_id, first);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* vpp.l2.bridge-domain, vpp.l2.fib and vpp.l2.xconnect (ligato.vpp.l2): validation as
 * vpp-agent's L2 descriptors validate plus ligd's limits (docs/api.md, module l2). Every field
 * of the three models is supported except IPv6 ARP-termination entries. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "models_impl.h"
#include "schema.h"

/* ---- bridge domains ---- */

int
lig_vpp_bridge_domain_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_bridge_domain *v = value;
	char path[64], q[LIG_MODEL_QUOTE_SIZE];
	size_t bvi = SIZE_MAX;
	int rv;

	if ((rv = lig_chk_name(err, "name", v->name, true)) < 0)
		return rv;
	if (v->mac_age > LIG_LIGD_BD_MAC_AGE_MAX)
		return LIG_INVALID(err, "mac_age", "%u minutes is out of range (0..%d, 0: never)",
				   v->mac_age, LIG_LIGD_BD_MAC_AGE_MAX);
	for (size_t i = 0; i < v->n_interfaces; i++) {
		const struct lig_vpp_bd_interface *m = &v->interfaces[i];
		if ((rv = lig_chk_name(err,
				       lig_chk_path(path, sizeof(path), "interfaces", i, ".name"),
				       m->name, true)) < 0)
			return rv;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(m->name, v->interfaces[j].name))
				return LIG_INVALID(err, path, "'%s' is already interfaces[%zu]",
						   LIG_Q(m->name, q), j);
		if (m->bridged_virtual_interface) {
			if (bvi != SIZE_MAX)
				return LIG_INVALID(
				    err,
				    lig_chk_path(path, sizeof(path), "interfaces", i,
						 ".bridged_virtual_interface"),
				    "a bridge domain has one BVI (interfaces[%zu] is it already)",
				    bvi);
			bvi = i;
		}
		if (m->split_horizon_group > LIG_LIGD_SHG_MAX)
			return LIG_INVALID(err,
					   lig_chk_path(path, sizeof(path), "interfaces", i,
							".split_horizon_group"),
					   "%u is out of range (0..%d, 0: none)",
					   m->split_horizon_group, LIG_LIGD_SHG_MAX);
	}
	for (size_t i = 0; i < v->n_arp_termination_table; i++) {
		const struct lig_vpp_bd_arp_entry *a = &v->arp_termination_table[i];
		lig_chk_path(path, sizeof(path), "arp_termination_table", i, ".ip_address");
		if ((rv = lig_chk_ip(err, path, a->ip_address, LIG_CHK_REQUIRED | LIG_CHK_HOST,
				     NULL, NULL, NULL)) < 0)
			return rv;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(a->ip_address, v->arp_termination_table[j].ip_address))
				return LIG_INVALID(err, path,
						   "'%s' is already arp_termination_table[%zu]",
						   LIG_Q(a->ip_address, q), j);
		lig_chk_path(path, sizeof(path), "arp_termination_table", i, ".phys_address");
		if ((rv = lig_chk_mac(err, path, a->phys_address,
				      LIG_CHK_REQUIRED | LIG_CHK_UNICAST | LIG_CHK_NONZERO)) < 0)
			return rv;
	}
	return 0;
}

int
lig_vpp_bridge_domain_supported(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_bridge_domain *v = value;
	char path[64];
	int rv;

	for (size_t i = 0; i < v->n_arp_termination_table; i++)
		if ((rv = lig_sup_ip4(err,
				      lig_chk_path(path, sizeof(path), "arp_termination_table", i,
						   ".ip_address"),
				      v->arp_termination_table[i].ip_address)) < 0)
			return rv;
	return 0;
}

int
lig_vpp_bridge_domain_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_bridge_domain *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->name));
}

/* ---- L2 FIB ---- */

int
lig_vpp_l2_fib_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_l2_fib *v = value;
	int rv;

	if ((rv = lig_chk_mac(err, "phys_address", v->phys_address,
			      LIG_CHK_REQUIRED | LIG_CHK_UNICAST | LIG_CHK_NONZERO)) < 0)
		return rv;
	if ((rv = lig_chk_name(err, "bridge_domain", v->bridge_domain, true)) < 0)
		return rv;
	if ((rv = lig_chk_enum(err, "action", &lig_pb_enum_vpp_fib_action, v->action)) < 0)
		return rv;
	if (v->action == LIG_VPP_FIB_FORWARD)
		return lig_chk_name(err, "outgoing_interface", v->outgoing_interface, true);
	/* DROP: frames to the MAC are dropped, they go to no interface. */
	if (*lig_model_str(v->outgoing_interface))
		return LIG_INVALID(err, "outgoing_interface",
				   "a DROP entry sends frames nowhere; leave it out");
	if (v->bridged_virtual_interface)
		return LIG_INVALID(err, "bridged_virtual_interface",
				   "a DROP entry cannot be the BVI's MAC");
	return 0;
}

int
lig_vpp_l2_fib_supported(const void *value, struct lig_model_error *err)
{
	(void)value;
	(void)err;
	return 0;
}

int
lig_vpp_l2_fib_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_l2_fib *v = value;
	return lig_key_printf(buf, size, "%s/mac/%s", lig_model_str(v->bridge_domain),
			      lig_model_str(v->phys_address));
}

/* ---- cross-connects ---- */

int
lig_vpp_xconnect_validate(const void *value, struct lig_model_error *err)
{
	const struct lig_vpp_xconnect *v = value;
	int rv;

	if ((rv = lig_chk_name(err, "receive_interface", v->receive_interface, true)) < 0)
		return rv;
	return lig_chk_name(err, "transmit_interface", v->transmit_interface, true);
}

int
lig_vpp_xconnect_supported(const void *value, struct lig_model_error *err)
{
	(void)value;
	(void)err;
	return 0;
}

int
lig_vpp_xconnect_key_name(const void *value, char *buf, size_t size)
{
	const struct lig_vpp_xconnect *v = value;
	return lig_key_printf(buf, size, "%s", lig_model_str(v->receive_interface));
}

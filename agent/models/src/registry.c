/* SPDX-License-Identifier: Apache-2.0 */
/* The model registry: one struct lig_model per covered vpp-agent model, with its name and key
 * prefix as vpp-agent's ModelSpec gives them (class/module/version/type; module dots become
 * slashes) and its function table: the generic protobuf JSON codec over the model's message
 * table, plus the model's own validate, check_supported and key_name. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models_impl.h"
#include "pbjson.h"
#include "schema.h"

int lig_key_name_cleaned(const struct lig_model *m,
			 int (*raw)(const void *value, char *buf, size_t size), const void *value,
			 char *buf, size_t size);

#define CODEC(id, prefix, schema)                                                                  \
	static int prefix##_decode(const char *json, size_t size, void *value,                     \
				   struct lig_model_error *err)                                    \
	{                                                                                          \
		return lig_pb_decode(&schema, json, size, value, err);                             \
	}                                                                                          \
	static char *prefix##_encode(const void *value)                                            \
	{                                                                                          \
		return lig_pb_encode(&schema, value);                                              \
	}                                                                                          \
	static void prefix##_free(void *value)                                                     \
	{                                                                                          \
		lig_pb_free(&schema, value);                                                       \
	}                                                                                          \
	static bool prefix##_equal(const void *a, const void *b)                                   \
	{                                                                                          \
		return lig_pb_equal(&schema, a, b);                                                \
	}                                                                                          \
	static int prefix##_copy(void *dst, const void *src)                                       \
	{                                                                                          \
		return lig_pb_copy(&schema, dst, src);                                             \
	}                                                                                          \
	static int prefix##_key(const void *value, char *buf, size_t size)                         \
	{                                                                                          \
		return lig_key_name_cleaned(lig_model_get(id), prefix##_key_name, value, buf,      \
					    size);                                                 \
	}

CODEC(LIG_MODEL_VPP_INTERFACE, lig_vpp_interface, lig_pb_vpp_interface)
CODEC(LIG_MODEL_VPP_BRIDGE_DOMAIN, lig_vpp_bridge_domain, lig_pb_vpp_bridge_domain)
CODEC(LIG_MODEL_VPP_L2_FIB, lig_vpp_l2_fib, lig_pb_vpp_l2_fib)
CODEC(LIG_MODEL_VPP_XCONNECT, lig_vpp_xconnect, lig_pb_vpp_xconnect)
CODEC(LIG_MODEL_VPP_VRF_TABLE, lig_vpp_vrf_table, lig_pb_vpp_vrf_table)
CODEC(LIG_MODEL_VPP_ROUTE, lig_vpp_route, lig_pb_vpp_route)
CODEC(LIG_MODEL_VPP_ARP, lig_vpp_arp, lig_pb_vpp_arp)
CODEC(LIG_MODEL_LINUX_INTERFACE, lig_linux_interface, lig_pb_linux_interface)
CODEC(LIG_MODEL_LINUX_ROUTE, lig_linux_route, lig_pb_linux_route)
CODEC(LIG_MODEL_LINUX_ARP, lig_linux_arp, lig_pb_linux_arp)
CODEC(LIG_MODEL_VPP_ACL, lig_vpp_acl, lig_pb_vpp_acl)
CODEC(LIG_MODEL_VPP_NAT44_GLOBAL, lig_vpp_nat44_global, lig_pb_vpp_nat44_global)
CODEC(LIG_MODEL_VPP_DNAT44, lig_vpp_dnat44, lig_pb_vpp_dnat44)
CODEC(LIG_MODEL_VPP_NAT44_INTERFACE, lig_vpp_nat44_interface, lig_pb_vpp_nat44_interface)
CODEC(LIG_MODEL_VPP_NAT44_POOL, lig_vpp_nat44_pool, lig_pb_vpp_nat44_pool)

#define MODEL(id_, prefix, st, name_, proto_, key_prefix_, tmpl)                                   \
	[id_] = {                                                                                  \
	    .id = id_,                                                                             \
	    .name = name_,                                                                         \
	    .proto_name = proto_,                                                                  \
	    .key_prefix = key_prefix_,                                                             \
	    .name_template = tmpl,                                                                 \
	    .value_size = sizeof(st),                                                              \
	    .decode = prefix##_decode,                                                             \
	    .encode = prefix##_encode,                                                             \
	    .validate = prefix##_validate,                                                         \
	    .check_supported = prefix##_supported,                                                 \
	    .free = prefix##_free,                                                                 \
	    .equal = prefix##_equal,                                                               \
	    .copy = prefix##_copy,                                                                 \
	    .key_name = prefix##_key,                                                              \
	}

/* Names, prefixes and templates from proto/ligato/{vpp/interfaces,vpp/l2,vpp/l3,
 * linux/interfaces,linux/l3}/models.go. */
static const struct lig_model models[LIG_MODEL_N] = {
    MODEL(LIG_MODEL_VPP_INTERFACE, lig_vpp_interface, struct lig_vpp_interface, "vpp.interfaces",
	  "ligato.vpp.interfaces.Interface", "config/vpp/v2/interfaces/", "{{.Name}}"),
    MODEL(LIG_MODEL_VPP_BRIDGE_DOMAIN, lig_vpp_bridge_domain, struct lig_vpp_bridge_domain,
	  "vpp.l2.bridge-domain", "ligato.vpp.l2.BridgeDomain", "config/vpp/l2/v2/bridge-domain/",
	  "{{.Name}}"),
    MODEL(LIG_MODEL_VPP_L2_FIB, lig_vpp_l2_fib, struct lig_vpp_l2_fib, "vpp.l2.fib",
	  "ligato.vpp.l2.FIBEntry", "config/vpp/l2/v2/fib/",
	  "{{.BridgeDomain}}/mac/{{.PhysAddress}}"),
    MODEL(LIG_MODEL_VPP_XCONNECT, lig_vpp_xconnect, struct lig_vpp_xconnect, "vpp.l2.xconnect",
	  "ligato.vpp.l2.XConnectPair", "config/vpp/l2/v2/xconnect/", "{{.ReceiveInterface}}"),
    MODEL(LIG_MODEL_VPP_VRF_TABLE, lig_vpp_vrf_table, struct lig_vpp_vrf_table, "vpp.vrf-table",
	  "ligato.vpp.l3.VrfTable", "config/vpp/v2/vrf-table/",
	  "id/{{.Id}}/protocol/{{.Protocol}}"),
    MODEL(LIG_MODEL_VPP_ROUTE, lig_vpp_route, struct lig_vpp_route, "vpp.route",
	  "ligato.vpp.l3.Route", "config/vpp/v2/route/",
	  "[if/{{.OutgoingInterface}}/]vrf/{{.VrfId}}/dst/{{ipnet .DstNetwork}}/"
	  "[gw/{{.NextHopAddr}}]"),
    MODEL(LIG_MODEL_VPP_ARP, lig_vpp_arp, struct lig_vpp_arp, "vpp.arp", "ligato.vpp.l3.ARPEntry",
	  "config/vpp/v2/arp/", "{{.Interface}}/{{.IpAddress}}"),
    MODEL(LIG_MODEL_LINUX_INTERFACE, lig_linux_interface, struct lig_linux_interface,
	  "linux.interfaces.interface", "ligato.linux.interfaces.Interface",
	  "config/linux/interfaces/v2/interface/", "{{.Name}}"),
    MODEL(LIG_MODEL_LINUX_ROUTE, lig_linux_route, struct lig_linux_route, "linux.l3.route",
	  "ligato.linux.l3.Route", "config/linux/l3/v2/route/",
	  "{{ipnet .DstNetwork}}/{{.OutgoingInterface}}"),
    MODEL(LIG_MODEL_LINUX_ARP, lig_linux_arp, struct lig_linux_arp, "linux.l3.arp",
	  "ligato.linux.l3.ARPEntry", "config/linux/l3/v2/arp/", "{{.Interface}}/{{.IpAddress}}"),
    MODEL(LIG_MODEL_VPP_ACL, lig_vpp_acl, struct lig_vpp_acl, "vpp.acls.acl", "ligato.vpp.acl.ACL",
	  "config/vpp/acls/v2/acl/", "{{.Name}}"),
    /* A model without name template: its key is the prefix without its slash. */
    MODEL(LIG_MODEL_VPP_NAT44_GLOBAL, lig_vpp_nat44_global, struct lig_vpp_nat44_global,
	  "vpp.nat.nat44-global", "ligato.vpp.nat.Nat44Global", "config/vpp/nat/v2/nat44-global/",
	  ""),
    MODEL(LIG_MODEL_VPP_DNAT44, lig_vpp_dnat44, struct lig_vpp_dnat44, "vpp.nat.dnat44",
	  "ligato.vpp.nat.DNat44", "config/vpp/nat/v2/dnat44/", "{{.Label}}"),
    MODEL(LIG_MODEL_VPP_NAT44_INTERFACE, lig_vpp_nat44_interface, struct lig_vpp_nat44_interface,
	  "vpp.nat.nat44-interface", "ligato.vpp.nat.Nat44Interface",
	  "config/vpp/nat/v2/nat44-interface/", "{{.Name}}"),
    MODEL(LIG_MODEL_VPP_NAT44_POOL, lig_vpp_nat44_pool, struct lig_vpp_nat44_pool,
	  "vpp.nat.nat44-pool", "ligato.vpp.nat.Nat44AddressPool", "config/vpp/nat/v2/nat44-pool/",
	  "{{if .Name}}{{.Name}}{{else}}vrf/{{.VrfId}}/address/{{.FirstIp}}{{if and .LastIp (ne "
	  ".FirstIp .LastIp)}}-{{.LastIp}}{{end}}{{end}}"),
};

const struct lig_model *
lig_model_get(enum lig_model_id id)
{
	return (unsigned)id < LIG_MODEL_N ? &models[id] : NULL;
}

const struct lig_model *
lig_model_by_name(const char *name)
{
	for (size_t i = 0; i < LIG_MODEL_N; i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

const struct lig_model *
lig_model_by_key(const char *short_key)
{
	for (size_t i = 0; i < LIG_MODEL_N; i++)
		if (!strncmp(short_key, models[i].key_prefix, strlen(models[i].key_prefix)))
			return &models[i];
	return NULL;
}

int
lig_model_check(const struct lig_model *m, const void *value, struct lig_model_error *err)
{
	int rv = m->validate(value, err);
	return rv < 0 ? rv : m->check_supported(value, err);
}

void *
lig_model_value_new(const struct lig_model *m)
{
	return calloc(1, m->value_size);
}

void
lig_model_value_delete(const struct lig_model *m, void *value)
{
	if (!value)
		return;
	m->free(value);
	free(value);
}

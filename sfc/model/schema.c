/* SPDX-License-Identifier: Apache-2.0 */
/* The sfc model's field tables (sfc_schema.h) and the decoder that walks them: a document tree
 * (sfc_tree.h) into the structs of sfc_model.h, every unknown field, wrong type, bad enum
 * value and exceeded limit reported with its path and line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_schema.h"
#include "sfc_tree.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OFF(T, f) ((ptrdiff_t)offsetof(T, f))
#define STR(T, f, n)                                                                               \
	{                                                                                          \
		n, SFC_F_STR, OFF(T, f), -1, NULL, NULL, 0                                         \
	}
#define NAME(T, f, n)                                                                              \
	{                                                                                          \
		n, SFC_F_NAME, OFF(T, f), -1, NULL, NULL, 0                                        \
	}
#define IFNAME(T, f, n)                                                                            \
	{                                                                                          \
		n, SFC_F_IFNAME, OFF(T, f), -1, NULL, NULL, 0                                      \
	}
#define U32(T, f, n)                                                                               \
	{                                                                                          \
		n, SFC_F_U32, OFF(T, f), -1, NULL, NULL, 0                                         \
	}
#define U32S(T, f, n)                                                                              \
	{                                                                                          \
		n, SFC_F_U32S, OFF(T, f), -1, NULL, NULL, 0                                        \
	}
#define BOOL(T, f, n)                                                                              \
	{                                                                                          \
		n, SFC_F_BOOL, OFF(T, f), -1, NULL, NULL, 0                                        \
	}
#define ENUM(T, f, n, tab)                                                                         \
	{                                                                                          \
		n, SFC_F_ENUM, OFF(T, f), -1, NULL, tab, (int)N(tab)                               \
	}
#define STRLIST(T, f, n)                                                                           \
	{                                                                                          \
		n, SFC_F_STRLIST, OFF(T, f), OFF(T, n_##f), NULL, NULL, 0                          \
	}
#define OBJ(T, f, n, sub)                                                                          \
	{                                                                                          \
		n, SFC_F_OBJ, OFF(T, f), -1, &sub, NULL, 0                                         \
	}
#define OBJH(T, f, h, n, sub)                                                                      \
	{                                                                                          \
		n, SFC_F_OBJ, OFF(T, f), OFF(T, h), &sub, NULL, 0                                  \
	}
#define FLAT(n, sub)                                                                               \
	{                                                                                          \
		n, SFC_F_FLAT, 0, -1, &sub, NULL, 0                                                \
	}
#define ARR(T, f, nf, n, sub)                                                                      \
	{                                                                                          \
		n, SFC_F_ARR, OFF(T, f), OFF(T, nf), &sub, NULL, 0                                 \
	}
#define STATUS(T, f)                                                                               \
	{                                                                                          \
		"status", SFC_F_STATUS, OFF(T, f), -1, NULL, NULL, 0                               \
	}
#define SCHEMA(var, what, T, tab)                                                                  \
	const struct sfc_schema var = {what, tab, N(tab), sizeof(T), OFF(T, origin), OFF(T, line)}
#define SCHEMA_NOORIGIN(var, what, T, tab)                                                         \
	const struct sfc_schema var = {what, tab, N(tab), sizeof(T), -1, -1}

/* Enum names: index = enum value. */
static const char *const if_types[] = {"",	"ethernet", "loopback", "vxlan_tunnel",
				       "memif", "veth",	    "tap"};
static const char *const admin_states[] = {"", "enabled", "disabled"};
static const char *const rx_modes[] = {"", "polling", "interrupt", "adaptive"};
static const char *const memif_modes[] = {"", "ethernet", "ip", "puntinject"};
static const char *const pod_types[] = {"", "vppcontainer", "nonvppcontainer", "external",
					"vppvswitch"};
static const char *const node_types[] = {"", "host", "external"};
static const char *const conn_types[] = {"", "l2pp", "l2mp", "l3pp", "l3mp"};
static const char *const conn_methods[] = {"", "direct", "vswitch"};
static const char *const mesh_types[] = {"", "mesh", "hub_and_spoke"};
static const char *const overlay_conns[] = {"", "vxlan"};
static const char *const scopes[] = {"", "system", "node", "network_service"};
static const char *const ns_types[] = {"", "pid", "microservice", "named", "file"};
static const char *const oper_states[] = {"unknown", "OperUp", "OperDown"};
static const char *const obj_types[] = {"system-parameters",	   "ipam-pool",
					"network-pod-to-node-map", "network-node",
					"network-node-overlay",	   "network-service"};

#define NAMEFN(fn, T, tab)                                                                         \
	const char *fn(T v)                                                                        \
	{                                                                                          \
		return (unsigned)v < N(tab) ? tab[v] : "?";                                        \
	}
NAMEFN(sfc_if_type_name, enum sfc_if_type, if_types)
NAMEFN(sfc_admin_status_name, enum sfc_admin_status, admin_states)
NAMEFN(sfc_rx_mode_name, enum sfc_rx_mode, rx_modes)
NAMEFN(sfc_memif_mode_name, enum sfc_memif_mode, memif_modes)
NAMEFN(sfc_pod_type_name, enum sfc_pod_type, pod_types)
NAMEFN(sfc_node_type_name, enum sfc_node_type, node_types)
NAMEFN(sfc_conn_type_name, enum sfc_conn_type, conn_types)
NAMEFN(sfc_conn_method_name, enum sfc_conn_method, conn_methods)
NAMEFN(sfc_mesh_type_name, enum sfc_mesh_type, mesh_types)
NAMEFN(sfc_overlay_conn_name, enum sfc_overlay_conn, overlay_conns)
NAMEFN(sfc_ipam_scope_name, enum sfc_ipam_scope, scopes)
NAMEFN(sfc_ns_type_name, enum sfc_ns_type, ns_types)
NAMEFN(sfc_oper_status_name, enum sfc_oper_status, oper_states)
NAMEFN(sfc_obj_type_name, enum sfc_obj_type, obj_types)

int
sfc_obj_type_parse(const char *s)
{
	for (size_t i = 0; s && i < N(obj_types); i++)
		if (!strcmp(s, obj_types[i]))
			return (int)i;
	return -1;
}

/* ---- tables ---- */

static const struct sfc_field meta_fields[] = {
    NAME(struct sfc_meta, name, "name"),
    {"labels", SFC_F_KVMAP, OFF(struct sfc_meta, labels), OFF(struct sfc_meta, n_labels), NULL,
     NULL, 0},
};
SCHEMA_NOORIGIN(meta_schema, "metadata", struct sfc_meta, meta_fields);

static const struct sfc_field route_fields[] = {
    U32(struct sfc_route, vrf_id, "vrf_id"),
    STR(struct sfc_route, description, "description"),
    STR(struct sfc_route, dst_ip_addr, "dst_ip_addr"),
    STR(struct sfc_route, next_hop_addr, "next_hop_addr"),
    STR(struct sfc_route, outgoing_interface, "outgoing_interface"),
    U32(struct sfc_route, weight, "weight"),
    U32(struct sfc_route, preference, "preference"),
};
SCHEMA(route_schema, "route", struct sfc_route, route_fields);

static const struct sfc_field arp_fields[] = {
    STR(struct sfc_arp, ip_address, "ip_address"),
    STR(struct sfc_arp, phys_address, "phys_address"),
    STR(struct sfc_arp, outgoing_interface, "outgoing_interface"),
};
SCHEMA(arp_schema, "ARP entry", struct sfc_arp, arp_fields);

static const struct sfc_field l2fib_fields[] = {
    STR(struct sfc_l2fib, dest_mac_address, "dest_mac_address"),
    STR(struct sfc_l2fib, bd_name, "bd_name"),
    STR(struct sfc_l2fib, outgoing_if, "outgoing_if"),
    STR(struct sfc_l2fib, action, "action"),
    BOOL(struct sfc_l2fib, bvi, "bvi"),
};
SCHEMA(l2fib_schema, "L2 FIB entry", struct sfc_l2fib, l2fib_fields);

static const struct sfc_field bd_parms_fields[] = {
    NAME(struct sfc_bd_parms, name, "name"),
    BOOL(struct sfc_bd_parms, flood, "flood"),
    BOOL(struct sfc_bd_parms, unknown_unicast_flood, "unknown_unicast_flood"),
    BOOL(struct sfc_bd_parms, forward, "forward"),
    BOOL(struct sfc_bd_parms, learn, "learn"),
    BOOL(struct sfc_bd_parms, arp_termination, "arp_termination"),
    U32(struct sfc_bd_parms, mac_age_minutes, "mac_age_minutes"),
};
SCHEMA(bd_parms_schema, "bridge domain parameters", struct sfc_bd_parms, bd_parms_fields);

static const struct sfc_field l2bd_fields[] = {
    NAME(struct sfc_l2bd, name, "name"),
    OBJH(struct sfc_l2bd, bd_parms, has_bd_parms, "bd_parms", bd_parms_schema),
    NAME(struct sfc_l2bd, l2bd_template, "l2bd_template"),
};
SCHEMA(l2bd_schema, "bridge domain", struct sfc_l2bd, l2bd_fields);

static const struct sfc_field ipam_spec_fields[] = {
    ENUM(struct sfc_ipam_pool, scope, "scope", scopes),
    STR(struct sfc_ipam_pool, network, "network"),
    U32(struct sfc_ipam_pool, start_range, "start_range"),
    U32(struct sfc_ipam_pool, end_range, "end_range"),
};
SCHEMA(ipam_spec_schema, "spec", struct sfc_ipam_pool, ipam_spec_fields);
static const struct sfc_field ipam_fields[] = {
    OBJ(struct sfc_ipam_pool, meta, "metadata", meta_schema),
    FLAT("spec", ipam_spec_schema),
    {"status", SFC_F_IGNORE, 0, -1, NULL, NULL, 0},
};
SCHEMA(ipam_schema, "IPAM pool", struct sfc_ipam_pool, ipam_fields);

static const struct sfc_field sys_fields[] = {
    U32(struct sfc_sys_params, mtu, "mtu"),
    STR(struct sfc_sys_params, memif_directory, "memif_directory"),
    U32(struct sfc_sys_params, default_static_route_weight, "default_static_route_weight"),
    U32(struct sfc_sys_params, default_static_route_preference, "default_static_route_preference"),
    ARR(struct sfc_sys_params, l2bd_templates, n_l2bd_templates, "l2bd_templates", bd_parms_schema),
    ENUM(struct sfc_sys_params, rx_mode, "rx_mode", rx_modes),
    U32(struct sfc_sys_params, min_vrf_id, "min_vrf_id"),
};
SCHEMA(sys_schema, "system parameters", struct sfc_sys_params, sys_fields);

static const struct sfc_field p2n_fields[] = {
    NAME(struct sfc_pod_node, pod, "pod"),
    NAME(struct sfc_pod_node, node, "node"),
};
SCHEMA(p2n_schema, "pod to node map entry", struct sfc_pod_node, p2n_fields);

static const struct sfc_field memif_fields[] = {
    ENUM(struct sfc_memif_parms, mode, "mode", memif_modes),
    STR(struct sfc_memif_parms, memif_directory, "memif_directory"),
    STR(struct sfc_memif_parms, secret, "secret"),
    U32S(struct sfc_memif_parms, ring_size, "ring_size"),
    U32S(struct sfc_memif_parms, buffer_size, "buffer_size"),
    U32S(struct sfc_memif_parms, rx_queues, "rx_queues"),
    U32S(struct sfc_memif_parms, tx_queues, "tx_queues"),
};
SCHEMA_NOORIGIN(memif_schema, "memif parameters", struct sfc_memif_parms, memif_fields);

static const struct sfc_field tap_fields[] = {
    STR(struct sfc_tap_parms, namespace_, "namespace"),
    U32S(struct sfc_tap_parms, rx_ring_size, "rx_ring_size"),
    U32S(struct sfc_tap_parms, tx_ring_size, "tx_ring_size"),
};
SCHEMA_NOORIGIN(tap_schema, "tap parameters", struct sfc_tap_parms, tap_fields);

static const struct sfc_field ns_fields[] = {
    ENUM(struct sfc_linux_ns, type, "type", ns_types),	    U32(struct sfc_linux_ns, pid, "pid"),
    STR(struct sfc_linux_ns, microservice, "microservice"), STR(struct sfc_linux_ns, name, "name"),
    STR(struct sfc_linux_ns, filepath, "filepath"),
};
SCHEMA_NOORIGIN(ns_schema, "Linux namespace", struct sfc_linux_ns, ns_fields);

static const struct sfc_field rxp_fields[] = {
    U32(struct sfc_rx_placement, queue, "queue"),
    U32(struct sfc_rx_placement, worker, "worker"),
    BOOL(struct sfc_rx_placement, is_main, "is_main"),
};
SCHEMA_NOORIGIN(rxp_schema, "rx placement", struct sfc_rx_placement, rxp_fields);

static const struct sfc_field fwd_fields[] = {
    ARR(struct sfc_interface, fwd_routes, n_fwd_routes, "l3_vrf_route", route_schema),
    ARR(struct sfc_interface, fwd_arps, n_fwd_arps, "l3_arp", arp_schema),
    ARR(struct sfc_interface, fwd_l2fibs, n_fwd_l2fibs, "l2_fib", l2fib_schema),
};
SCHEMA(fwd_schema, "fwd", struct sfc_interface, fwd_fields);

static const struct sfc_field if_fields[] = {
    IFNAME(struct sfc_interface, name, "name"),
    BOOL(struct sfc_interface, bypass_renderer, "bypass_renderer"),
    ENUM(struct sfc_interface, if_type, "if_type", if_types),
    STR(struct sfc_interface, mac_address, "mac_address"),
    U32(struct sfc_interface, mtu, "mtu"),
    ENUM(struct sfc_interface, rx_mode, "rx_mode", rx_modes),
    STRLIST(struct sfc_interface, ip_addresses, "ip_addresses"),
    STRLIST(struct sfc_interface, ipam_pool_names, "ipam_pool_names"),
    ENUM(struct sfc_interface, admin_status, "admin_status", admin_states),
    OBJH(struct sfc_interface, memif_parms, has_memif_parms, "memif_parms", memif_schema),
    OBJH(struct sfc_interface, tap_parms, has_tap_parms, "tap_parms", tap_schema),
    STRLIST(struct sfc_interface, labels, "labels"),
    STR(struct sfc_interface, parent, "parent"),
    STR(struct sfc_interface, host_port_label, "host_port_label"),
    FLAT("fwd", fwd_schema),
    OBJH(struct sfc_interface, linux_namespace, has_linux_namespace, "linux_namespace", ns_schema),
    OBJH(struct sfc_interface, rx_placement, has_rx_placement, "rx_placement_settings", rxp_schema),
};
SCHEMA(if_schema, "interface", struct sfc_interface, if_fields);

static const struct sfc_field pod_spec_fields[] = {
    ENUM(struct sfc_pod, pod_type, "pod_type", pod_types),
    ARR(struct sfc_pod, interfaces, n_interfaces, "interfaces", if_schema),
    ARR(struct sfc_pod, l2bds, n_l2bds, "l2bds", l2bd_schema),
};
SCHEMA(pod_spec_schema, "spec", struct sfc_pod, pod_spec_fields);
static const struct sfc_field pod_fields[] = {
    OBJ(struct sfc_pod, meta, "metadata", meta_schema),
    FLAT("spec", pod_spec_schema),
};
SCHEMA(pod_schema, "network pod", struct sfc_pod, pod_fields);

static const struct sfc_field conn_fields[] = {
    NAME(struct sfc_connection, name, "name"),
    ENUM(struct sfc_connection, conn_type, "conn_type", conn_types),
    NAME(struct sfc_connection, network_node_overlay_name, "network_node_overlay_name"),
    STRLIST(struct sfc_connection, pod_interfaces, "pod_interfaces"),
    STRLIST(struct sfc_connection, node_interfaces, "node_interfaces"),
    STRLIST(struct sfc_connection, node_interface_labels, "node_interface_labels"),
    NAME(struct sfc_connection, use_node_l2bd, "use_node_l2bd"),
    OBJH(struct sfc_connection, l2bd, has_l2bd, "l2bd", l2bd_schema),
    U32(struct sfc_connection, vrf_id, "vrf_id"),
    ENUM(struct sfc_connection, conn_method, "conn_method", conn_methods),
};
SCHEMA(conn_schema, "connection", struct sfc_connection, conn_fields);

static const struct sfc_field svc_spec_fields[] = {
    ARR(struct sfc_service, pods, n_pods, "network_pods", pod_schema),
    ARR(struct sfc_service, connections, n_connections, "connections", conn_schema),
};
SCHEMA(svc_spec_schema, "spec", struct sfc_service, svc_spec_fields);
static const struct sfc_field svc_fields[] = {
    OBJ(struct sfc_service, meta, "metadata", meta_schema),
    FLAT("spec", svc_spec_schema),
    STATUS(struct sfc_service, status),
};
SCHEMA(svc_schema, "network service", struct sfc_service, svc_fields);

static const struct sfc_field hs_fields[] = {
    NAME(struct sfc_vxlan_parms, hub_node_name, "hub_node_name"),
    U32(struct sfc_vxlan_parms, vni, "vni"),
    NAME(struct sfc_vxlan_parms, loopback_ipam_pool_name, "loopback_ipam_pool_name"),
    BOOL(struct sfc_vxlan_parms, create_loopback_interface, "create_loopback_interface"),
    BOOL(struct sfc_vxlan_parms, create_loopback_static_routes, "create_loopback_static_routes"),
    STR(struct sfc_vxlan_parms, network_node_interface_label, "network_node_interface_label"),
};
SCHEMA_NOORIGIN(hs_schema, "vxlan hub and spoke parameters", struct sfc_vxlan_parms, hs_fields);
static const struct sfc_field mesh_fields[] = {
    U32(struct sfc_vxlan_parms, vni_range_start, "vni_range_start"),
    U32(struct sfc_vxlan_parms, vni_range_end, "vni_range_end"),
    NAME(struct sfc_vxlan_parms, loopback_ipam_pool_name, "loopback_ipam_pool_name"),
    BOOL(struct sfc_vxlan_parms, create_loopback_interface, "create_loopback_interface"),
    BOOL(struct sfc_vxlan_parms, create_loopback_static_routes, "create_loopback_static_routes"),
    STR(struct sfc_vxlan_parms, network_node_interface_label, "network_node_interface_label"),
};
SCHEMA_NOORIGIN(mesh_schema, "vxlan mesh parameters", struct sfc_vxlan_parms, mesh_fields);

static const struct sfc_field nno_spec_fields[] = {
    ENUM(struct sfc_overlay, service_mesh_type, "service_mesh_type", mesh_types),
    ENUM(struct sfc_overlay, connection_type, "connection_type", overlay_conns),
    OBJH(struct sfc_overlay, hub_and_spoke, has_hub_and_spoke, "vxlan_hub_and_spoke_parms",
	 hs_schema),
    OBJH(struct sfc_overlay, mesh, has_mesh, "vxlan_mesh_parms", mesh_schema),
};
SCHEMA(nno_spec_schema, "spec", struct sfc_overlay, nno_spec_fields);
static const struct sfc_field nno_fields[] = {
    OBJ(struct sfc_overlay, meta, "metadata", meta_schema),
    FLAT("spec", nno_spec_schema),
    STATUS(struct sfc_overlay, status),
};
SCHEMA(nno_schema, "network node overlay", struct sfc_overlay, nno_fields);

static const struct sfc_field node_spec_fields[] = {
    NAME(struct sfc_node, k8s_node_name, "k8s_node_name"),
    ENUM(struct sfc_node, node_type, "node_type", node_types),
    ARR(struct sfc_node, interfaces, n_interfaces, "interfaces", if_schema),
    ARR(struct sfc_node, l2bds, n_l2bds, "l2bds", l2bd_schema),
};
SCHEMA(node_spec_schema, "spec", struct sfc_node, node_spec_fields);
static const struct sfc_field node_fields[] = {
    OBJ(struct sfc_node, meta, "metadata", meta_schema),
    FLAT("spec", node_spec_schema),
    STATUS(struct sfc_node, status),
};
SCHEMA(node_schema, "network node", struct sfc_node, node_fields);

static const struct sfc_field doc_fields[] = {
    U32(struct sfc_model, version, "sfc_controller_config_version"),
    STR(struct sfc_model, description, "description"),
    OBJH(struct sfc_model, sys, sys.present, "system_parameters", sys_schema),
    ARR(struct sfc_model, ipam_pools, n_ipam_pools, "ipam_pools", ipam_schema),
    ARR(struct sfc_model, pod_to_node, n_pod_to_node, "network_pod_to_node_map", p2n_schema),
    ARR(struct sfc_model, nodes, n_nodes, "network_nodes", node_schema),
    ARR(struct sfc_model, overlays, n_overlays, "network_node_overlays", nno_schema),
    ARR(struct sfc_model, services, n_services, "network_services", svc_schema),
    {"ram_cache", SFC_F_IGNORE, 0, -1, NULL, NULL, 0},
};
SCHEMA_NOORIGIN(sfc_schema_document, "document", struct sfc_model, doc_fields);

const struct sfc_schema *const sfc_schema_of[SFC_OBJ_N] = {
    [SFC_OBJ_SYSTEM_PARAMETERS] = &sys_schema, [SFC_OBJ_IPAM_POOL] = &ipam_schema,
    [SFC_OBJ_POD_TO_NODE] = &p2n_schema,       [SFC_OBJ_NODE] = &node_schema,
    [SFC_OBJ_OVERLAY] = &nno_schema,	       [SFC_OBJ_SERVICE] = &svc_schema,
};

/* ---- decoding ---- */

#define PATH_MAX_LEN 512

struct dctx {
	struct sfc_errors *err;
	size_t n_err;
};

#define AT(b, off, T) ((T *)((char *)(b) + (off)))

static void __attribute__((format(printf, 4, 5)))
derr(struct dctx *c, const char *path, uint32_t line, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->n_err++;
	if (line)
		sfc_errors_add(c->err, "%s: %s (line %u)", path, what, line);
	else
		sfc_errors_add(c->err, "%s: %s", path, what);
}

static const char *
kind_name(const struct sfc_tnode *t)
{
	switch (t->kind) {
	case SFC_T_MAP:
		return "a mapping";
	case SFC_T_SEQ:
		return "a list";
	case SFC_T_SCALAR:
		return t->quoted ? "a string" : "a scalar";
	default:
		return "null";
	}
}

/* snprintf into a path buffer; a path that does not fit is cut (messages only). */
static void __attribute__((format(printf, 3, 4))) pfmt(char *d, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d, size, fmt, ap);
	va_end(ap);
}

static void decode_map(struct dctx *c, const struct sfc_schema *s, const struct sfc_tnode *t,
		       void *base, const char *path);

/* A string of a field: scalar, at most max bytes; "" -> NULL. */
static int
decode_str(struct dctx *c, const struct sfc_tnode *t, const char *path, size_t max, int name,
	   char **out)
{
	if (t->kind != SFC_T_SCALAR) {
		derr(c, path, t->line, "expected a string, got %s", kind_name(t));
		return -1;
	}
	if (t->len > max) {
		derr(c, path, t->line, "longer than %zu characters", max);
		return -1;
	}
	for (size_t i = 0; i < t->len; i++) {
		unsigned char ch = (unsigned char)t->str[i];
		if (ch < 0x20 && !(!name && (ch == '\n' || ch == '\t'))) {
			derr(c, path, t->line, "contains a control character");
			return -1;
		}
		if (name && ((ch == '/' && name == 1) || ch == ' ' || ch == 0x7f)) {
			derr(c, path, t->line, "'%s': a name must not contain %sblanks", t->str,
			     name == 1 ? "'/' or " : "");
			return -1;
		}
	}
	if (!t->len)
		return 0;
	*out = strdup(t->str);
	if (!*out) {
		derr(c, path, t->line, "out of memory");
		return -1;
	}
	return 0;
}

static void
decode_u32(struct dctx *c, const struct sfc_tnode *t, const char *path, bool str_ok, uint32_t *out)
{
	if (t->kind != SFC_T_SCALAR || (t->quoted && !str_ok)) {
		derr(c, path, t->line, "expected a number, got %s", kind_name(t));
		return;
	}
	unsigned long long v = 0;
	bool ok = t->len > 0 && t->len <= 10;
	for (size_t i = 0; ok && i < t->len; i++) {
		if (t->str[i] < '0' || t->str[i] > '9')
			ok = false;
		else
			v = v * 10 + (unsigned)(t->str[i] - '0');
	}
	if (!ok || v > UINT32_MAX) {
		derr(c, path, t->line, "'%.40s' is not a number from 0 to 4294967295", t->str);
		return;
	}
	*out = (uint32_t)v;
}

static void
decode_field(struct dctx *c, const struct sfc_field *f, const struct sfc_tnode *t, void *base,
	     const char *path)
{
	if (t->kind == SFC_T_NULL && f->kind != SFC_F_FLAT)
		return; /* absent */
	switch (f->kind) {
	case SFC_F_STR:
	case SFC_F_NAME:
	case SFC_F_IFNAME: {
		char **p = AT(base, f->off, char *);
		free(*p);
		*p = NULL;
		decode_str(c, t, path, f->kind == SFC_F_STR ? SFC_STR_MAX : SFC_NAME_MAX,
			   f->kind == SFC_F_NAME     ? 1
			   : f->kind == SFC_F_IFNAME ? 2
						     : 0,
			   p);
		break;
	}
	case SFC_F_U32:
	case SFC_F_U32S:
		decode_u32(c, t, path, f->kind == SFC_F_U32S, AT(base, f->off, uint32_t));
		break;
	case SFC_F_BOOL:
		if (t->kind != SFC_T_SCALAR || t->quoted ||
		    (strcmp(t->str, "true") && strcmp(t->str, "false") && strcmp(t->str, "True") &&
		     strcmp(t->str, "False") && strcmp(t->str, "TRUE") &&
		     strcmp(t->str, "FALSE"))) {
			derr(c, path, t->line, "expected true or false");
			break;
		}
		*AT(base, f->off, bool) = t->str[0] == 't' || t->str[0] == 'T';
		break;
	case SFC_F_ENUM: {
		if (t->kind != SFC_T_SCALAR) {
			derr(c, path, t->line, "expected a string, got %s", kind_name(t));
			break;
		}
		int v = -1;
		for (int i = 1; i < f->n_names; i++)
			if (!strcmp(t->str, f->names[i]))
				v = i;
		if (v < 0 && t->len == 0)
			v = 0;
		if (v < 0) {
			char list[256] = "";
			for (int i = 1; i < f->n_names; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 i > 1 ? "|" : "", f->names[i]);
			derr(c, path, t->line, "'%.64s' is not one of %s", t->str, list);
			break;
		}
		*AT(base, f->off, int) = v;
		break;
	}
	case SFC_F_STRLIST: {
		if (t->kind != SFC_T_SEQ) {
			derr(c, path, t->line, "expected a list of strings, got %s", kind_name(t));
			break;
		}
		if (t->n > SFC_LIST_MAX) {
			derr(c, path, t->line, "more than %d elements", SFC_LIST_MAX);
			break;
		}
		char ***pp = AT(base, f->off, char **);
		size_t *pn = AT(base, f->off2, size_t);
		if (*pp || !t->n)
			break; /* a key given twice cannot happen (refused by the tree) */
		*pp = calloc(t->n, sizeof(char *));
		if (!*pp) {
			derr(c, path, t->line, "out of memory");
			break;
		}
		for (size_t i = 0; i < t->n; i++) {
			char ep[PATH_MAX_LEN];
			pfmt(ep, sizeof(ep), "%s[%zu]", path, i);
			char *s = NULL;
			if (t->kids[i]->kind == SFC_T_NULL) {
				derr(c, ep, t->kids[i]->line, "empty element");
				continue;
			}
			if (decode_str(c, t->kids[i], ep, SFC_STR_MAX, 0, &s) < 0)
				continue;
			if (!s) {
				derr(c, ep, t->kids[i]->line, "empty element");
				continue;
			}
			(*pp)[(*pn)++] = s;
		}
		break;
	}
	case SFC_F_KVMAP: {
		if (t->kind != SFC_T_MAP) {
			derr(c, path, t->line, "expected a mapping of strings, got %s",
			     kind_name(t));
			break;
		}
		if (t->n > SFC_LIST_MAX) {
			derr(c, path, t->line, "more than %d elements", SFC_LIST_MAX);
			break;
		}
		struct sfc_kv **pp = AT(base, f->off, struct sfc_kv *);
		size_t *pn = AT(base, f->off2, size_t);
		if (*pp || !t->n)
			break;
		*pp = calloc(t->n, sizeof(struct sfc_kv));
		if (!*pp) {
			derr(c, path, t->line, "out of memory");
			break;
		}
		for (size_t i = 0; i < t->n; i++) {
			char ep[PATH_MAX_LEN];
			pfmt(ep, sizeof(ep), "%s.%.100s", path, t->keys[i]);
			char *v = NULL;
			if (t->kids[i]->kind != SFC_T_NULL &&
			    decode_str(c, t->kids[i], ep, SFC_STR_MAX, 0, &v) < 0)
				continue;
			char *k = strdup(t->keys[i]);
			if (!k || strlen(k) > SFC_STR_MAX) {
				free(k);
				free(v);
				derr(c, ep, t->kids[i]->line, "key too long or out of memory");
				continue;
			}
			(*pp)[*pn].key = k;
			(*pp)[*pn].value = v;
			(*pn)++;
		}
		break;
	}
	case SFC_F_OBJ:
		if (t->kind != SFC_T_MAP) {
			derr(c, path, t->line, "expected a mapping, got %s", kind_name(t));
			break;
		}
		if (f->off2 >= 0)
			*AT(base, f->off2, bool) = true;
		decode_map(c, f->sub, t, AT(base, f->off, char), path);
		break;
	case SFC_F_FLAT: {
		if (t->kind == SFC_T_NULL)
			break;
		if (t->kind != SFC_T_MAP) {
			derr(c, path, t->line, "expected a mapping, got %s", kind_name(t));
			break;
		}
		/* The wrapper's fields are the struct's own: the path stays the parent's. */
		char pp[PATH_MAX_LEN];
		pfmt(pp, sizeof(pp), "%s", path);
		char *dot = strrchr(pp, '.');
		if (dot)
			*dot = 0;
		struct sfc_schema flat = *f->sub;
		flat.origin_off = flat.line_off = -1;
		decode_map(c, &flat, t, base, pp);
		break;
	}
	case SFC_F_ARR: {
		if (t->kind != SFC_T_SEQ) {
			derr(c, path, t->line, "expected a list, got %s", kind_name(t));
			break;
		}
		if (t->n > SFC_LIST_MAX) {
			derr(c, path, t->line, "more than %d elements", SFC_LIST_MAX);
			break;
		}
		char **pp = AT(base, f->off, char *);
		size_t *pn = AT(base, f->off2, size_t);
		if (*pp || !t->n)
			break;
		*pp = calloc(t->n, f->sub->size);
		if (!*pp) {
			derr(c, path, t->line, "out of memory");
			break;
		}
		for (size_t i = 0; i < t->n; i++) {
			char ep[PATH_MAX_LEN];
			pfmt(ep, sizeof(ep), "%s[%zu]", path, i);
			const struct sfc_tnode *e = t->kids[i];
			if (e->kind != SFC_T_MAP) {
				derr(c, ep, e->line, "expected a mapping, got %s", kind_name(e));
				continue;
			}
			decode_map(c, f->sub, e, *pp + (*pn) * f->sub->size, ep);
			(*pn)++;
		}
		break;
	}
	case SFC_F_STATUS:
	case SFC_F_IGNORE:
		break;
	}
}

static void
decode_map(struct dctx *c, const struct sfc_schema *s, const struct sfc_tnode *t, void *base,
	   const char *path)
{
	if (s->origin_off >= 0) {
		char **o = AT(base, s->origin_off, char *);
		if (!*o)
			*o = strdup(path);
	}
	if (s->line_off >= 0)
		*AT(base, s->line_off, uint32_t) = t->line;
	for (size_t i = 0; i < t->n; i++) {
		const struct sfc_field *f = NULL;
		for (size_t k = 0; k < s->n_fields; k++)
			if (!strcmp(s->fields[k].name, t->keys[i]))
				f = &s->fields[k];
		char fp[PATH_MAX_LEN];
		pfmt(fp, sizeof(fp), "%s%s%.100s", path, *path ? "." : "", t->keys[i]);
		if (!f) {
			derr(c, fp, t->kids[i]->line ? t->kids[i]->line : t->line,
			     "unknown field in %s", s->what);
			continue;
		}
		decode_field(c, f, t->kids[i], base, fp);
	}
}

size_t
sfc_decode_document(const struct sfc_tnode *root, const char *name, struct sfc_model *m,
		    struct sfc_errors *err)
{
	struct dctx c = {.err = err};
	if (root->kind != SFC_T_MAP) {
		derr(&c, name, root->line, "expected a mapping at the top, got %s",
		     kind_name(root));
		return c.n_err;
	}
	decode_map(&c, &sfc_schema_document, root, m, "");
	if (m->version != SFC_YAML_VERSION) {
		const struct sfc_tnode *v = sfc_tnode_get(root, "sfc_controller_config_version");
		if (!v || v->kind == SFC_T_NULL)
			derr(&c, name, 0, "sfc_controller_config_version is missing (expected %d)",
			     SFC_YAML_VERSION);
		else if (m->version)
			derr(&c, "sfc_controller_config_version", v->line,
			     "version %u is not supported (expected %d)", m->version,
			     SFC_YAML_VERSION);
	}
	if (m->sys.present && !m->sys.origin)
		m->sys.origin = strdup("system_parameters");
	return c.n_err;
}

size_t
sfc_decode_object(enum sfc_obj_type t, const struct sfc_tnode *root, const char *path, void *obj,
		  struct sfc_errors *err)
{
	struct dctx c = {.err = err};
	if (root->kind != SFC_T_MAP) {
		derr(&c, path, root->line, "expected a mapping, got %s", kind_name(root));
		return c.n_err;
	}
	decode_map(&c, sfc_schema_of[t], root, obj, path);
	if (t == SFC_OBJ_SYSTEM_PARAMETERS)
		((struct sfc_sys_params *)obj)->present = true;
	return c.n_err;
}

/* ---- freeing ---- */

static void
status_free(struct sfc_status *st)
{
	for (size_t i = 0; i < st->n_msg; i++)
		free(st->msg[i]);
	free(st->msg);
	memset(st, 0, sizeof(*st));
}

void
sfc_schema_free(const struct sfc_schema *s, void *base)
{
	for (size_t k = 0; k < s->n_fields; k++) {
		const struct sfc_field *f = &s->fields[k];
		switch (f->kind) {
		case SFC_F_STR:
		case SFC_F_NAME:
		case SFC_F_IFNAME:
			free(*AT(base, f->off, char *));
			*AT(base, f->off, char *) = NULL;
			break;
		case SFC_F_STRLIST: {
			char **v = *AT(base, f->off, char **);
			size_t n = *AT(base, f->off2, size_t);
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			free(v);
			*AT(base, f->off, char **) = NULL;
			*AT(base, f->off2, size_t) = 0;
			break;
		}
		case SFC_F_KVMAP: {
			struct sfc_kv *v = *AT(base, f->off, struct sfc_kv *);
			size_t n = *AT(base, f->off2, size_t);
			for (size_t i = 0; i < n; i++) {
				free(v[i].key);
				free(v[i].value);
			}
			free(v);
			*AT(base, f->off, struct sfc_kv *) = NULL;
			*AT(base, f->off2, size_t) = 0;
			break;
		}
		case SFC_F_OBJ:
			sfc_schema_free(f->sub, AT(base, f->off, char));
			break;
		case SFC_F_FLAT: {
			struct sfc_schema flat = *f->sub;
			flat.origin_off = flat.line_off = -1;
			sfc_schema_free(&flat, base);
			break;
		}
		case SFC_F_ARR: {
			char *v = *AT(base, f->off, char *);
			size_t n = *AT(base, f->off2, size_t);
			for (size_t i = 0; i < n; i++)
				sfc_schema_free(f->sub, v + i * f->sub->size);
			free(v);
			*AT(base, f->off, char *) = NULL;
			*AT(base, f->off2, size_t) = 0;
			break;
		}
		case SFC_F_STATUS:
			status_free(AT(base, f->off, struct sfc_status));
			break;
		default:
			break;
		}
	}
	if (s->origin_off >= 0) {
		free(*AT(base, s->origin_off, char *));
		*AT(base, s->origin_off, char *) = NULL;
	}
}

void
sfc_free_object(enum sfc_obj_type t, void *obj)
{
	sfc_schema_free(sfc_schema_of[t], obj);
}

void
sfc_model_free(struct sfc_model *m)
{
	if (!m)
		return;
	sfc_schema_free(&sfc_schema_document, m);
	memset(m, 0, sizeof(*m));
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's model: parsing (YAML and JSON), every kind of error with its path (and line), the
 * limits, semantic validation, the YAML dump reading back, single objects as the store and
 * REST hand them in, and ligato/sfc-controller's own example files (from the read-only mirror
 * when it is on this machine: LIG_SFC_MIRROR, default /work/.mirror/ligato+sfc-controller/repo;
 * skipped otherwise, nothing of it is copied here). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sfc_model.h"

#ifndef SFC_TEST_DATA
#define SFC_TEST_DATA "."
#endif

static char *
read_path(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*size = fread(buf, 1, (1 << 20) - 1, f);
	buf[*size] = 0;
	fclose(f);
	return buf;
}

/* Parses text (YAML) and validates; returns all errors joined (static buffer). */
static const char *
errors_of(const char *text, bool validate)
{
	static char msg[16384];
	struct sfc_model m;
	struct sfc_errors e = {0};
	int rc = sfc_model_parse_yaml(text, strlen(text), "t.yaml", &m, &e);
	if (!rc && validate)
		sfc_model_validate(&m, &e);
	sfc_errors_join(&e, msg, sizeof(msg));
	if (!rc)
		sfc_model_free(&m);
	sfc_errors_free(&e);
	return msg;
}

static void
expect_error(const char *text, bool validate, const char *want)
{
	const char *got = errors_of(text, validate);
	if (!strstr(got, want))
		fail_msg("wanted an error containing\n  %s\ngot\n  %s", want, got);
}

static void
test_chain2(void **state)
{
	(void)state;
	size_t size;
	char *text = read_path(SFC_TEST_DATA "/chain2.yaml", &size);
	struct sfc_model m;
	struct sfc_errors e = {0};
	assert_int_equal(sfc_model_parse_yaml(text, size, "chain2.yaml", &m, &e), 0);
	assert_int_equal(sfc_model_validate(&m, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(m.version, 2);
	assert_true(m.sys.present);
	assert_int_equal(m.sys.mtu, 1500);
	assert_string_equal(m.sys.memif_directory, "/run/lig-sfc");
	assert_int_equal(m.sys.n_l2bd_templates, 1);
	assert_true(m.sys.l2bd_templates[0].learn);
	assert_int_equal(m.n_nodes, 2);
	assert_int_equal(m.n_pod_to_node, 5);
	assert_string_equal(sfc_model_pod_node(&m, "vnf3"), "node2");
	assert_null(sfc_model_pod_node(&m, "nope"));
	const struct sfc_node *n2 = sfc_model_find_node(&m, "node2");
	assert_non_null(n2);
	assert_int_equal(n2->node_type, SFC_NODE_HOST);
	assert_string_equal(n2->l2bds[0].l2bd_template, "plain");
	assert_string_equal(n2->origin, "network_nodes[1]");
	const struct sfc_overlay *o = sfc_model_find_overlay(&m, "mesh1");
	assert_non_null(o);
	assert_int_equal(o->service_mesh_type, SFC_MESH_MESH);
	assert_true(o->has_mesh);
	assert_int_equal(o->mesh.vni_range_start, 5000);
	assert_true(o->mesh.create_loopback_static_routes);
	assert_int_equal(m.ipam_pools[0].scope, SFC_SCOPE_SYSTEM);
	assert_int_equal(m.ipam_pools[0].end_range, 20);
	const struct sfc_service *s = sfc_model_find_service(&m, "chain");
	assert_non_null(s);
	assert_int_equal(s->meta.n_labels, 1);
	assert_string_equal(s->meta.labels[0].value, "test");
	assert_int_equal(s->n_pods, 5);
	assert_int_equal(s->n_connections, 4);
	const struct sfc_pod *v1 = sfc_service_find_pod(s, "vnf1");
	assert_int_equal(v1->pod_type, SFC_POD_VPPCONTAINER);
	const struct sfc_interface *p2 = sfc_pod_find_interface(v1, "port2");
	assert_true(p2->has_memif_parms);
	assert_int_equal(p2->memif_parms.ring_size, 1024);   /* a numeric string */
	assert_int_equal(p2->memif_parms.buffer_size, 2048); /* a number */
	assert_string_equal(p2->origin, "network_services[0].network_pods[1].interfaces[1]");
	const struct sfc_pod *pb = sfc_service_find_pod(s, "podB");
	const struct sfc_interface *tap = sfc_pod_find_interface(pb, "eth1");
	assert_int_equal(tap->if_type, SFC_IF_TAP);
	assert_int_equal(tap->tap_parms.rx_ring_size, 256);
	assert_int_equal(tap->n_fwd_arps, 1);
	assert_string_equal(tap->fwd_arps[0].phys_address, "02:00:00:00:00:aa");
	assert_int_equal(tap->n_fwd_routes, 1);
	assert_string_equal(tap->fwd_routes[0].origin,
			    "network_services[0].network_pods[4].interfaces[0].l3_vrf_route[0]");
	const struct sfc_connection *c1 = &s->connections[1];
	assert_string_equal(c1->name, "vnf1-vnf2");
	assert_int_equal(c1->conn_type, SFC_CONN_L2PP);
	assert_int_equal(c1->conn_method, SFC_METHOD_DIRECT);
	assert_string_equal(c1->origin, "network_services[0].connections[1]");
	assert_true(c1->line > 100);
	assert_int_equal(s->connections[3].conn_type, SFC_CONN_L2MP);
	assert_string_equal(s->connections[3].use_node_l2bd, "bd-node2");

	/* The dump reads back into the same model: dump(parse(dump)) == dump. */
	char *y1 = NULL, *y2 = NULL;
	size_t s1, s2;
	assert_int_equal(sfc_model_dump_yaml(&m, false, &y1, &s1), 0);
	struct sfc_model back;
	assert_int_equal(sfc_model_parse_yaml(y1, s1, "dump", &back, &e), 0);
	assert_int_equal(sfc_model_validate(&back, &e), 0);
	assert_int_equal(sfc_model_dump_yaml(&back, false, &y2, &s2), 0);
	assert_string_equal(y1, y2);
	assert_non_null(strstr(y1, "sfc_controller_config_version: 2"));
	/* Statuses when asked. */
	free(y2);
	assert_int_equal(sfc_model_dump_yaml(&m, true, &y2, &s2), 0);
	assert_non_null(strstr(y2, "oper_status"));
	free(y1);
	free(y2);
	sfc_model_free(&back);
	sfc_model_free(&m);
	sfc_model_free(&m); /* idempotent */
	free(text);
}

static void
test_json_document(void **state)
{
	(void)state;
	const char *j =
	    "{\"sfc_controller_config_version\":2,\"network_nodes\":[{\"metadata\":"
	    "{\"name\":\"n1\"},\"spec\":{\"node_type\":\"host\",\"interfaces\":[{"
	    "\"name\":\"GigabitEthernet0/8/0\",\"if_type\":\"ethernet\",\"mtu\":9000}]}}]}";
	struct sfc_model m;
	struct sfc_errors e = {0};
	assert_int_equal(sfc_model_parse_json(j, strlen(j), "j", &m, &e), 0);
	assert_int_equal(m.nodes[0].interfaces[0].mtu, 9000);
	assert_string_equal(m.nodes[0].interfaces[0].name, "GigabitEthernet0/8/0");
	assert_int_equal(sfc_model_validate(&m, &e), 0);
	sfc_model_free(&m);
	/* A JSON string where a number belongs is a type error (JSON has types). */
	const char *bad = "{\"sfc_controller_config_version\":2,\"system_parameters\":{\"mtu\":"
			  "\"1500\"}}";
	assert_int_equal(sfc_model_parse_json(bad, strlen(bad), "j", &m, &e), -EINVAL);
	assert_non_null(strstr(e.msg[0], "system_parameters.mtu: expected a number, got a string"));
	sfc_errors_free(&e);
	assert_int_equal(sfc_model_parse_json("{", 1, "j", &m, &e), -EINVAL);
	assert_non_null(strstr(e.msg[0], "j: line 1:"));
	sfc_errors_free(&e);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	const char *v = "sfc_controller_config_version: 2\n";
	char buf[4096];
	/* unknown fields, with path and line */
	snprintf(buf, sizeof(buf),
		 "%snetwork_services:\n  - metadata: {name: s}\n    spec:\n"
		 "      connections:\n        - conn_type: l2pp\n          colour: red\n",
		 v);
	expect_error(
	    buf, false,
	    "network_services[0].connections[0].colour: unknown field in connection (line 7)");
	snprintf(buf, sizeof(buf), "%sbogus: 1\n", v);
	expect_error(buf, false, "bogus: unknown field in document (line 2)");
	/* type errors */
	snprintf(buf, sizeof(buf), "%snetwork_nodes: {a: 1}\n", v);
	expect_error(buf, false, "network_nodes: expected a list, got a mapping (line 2)");
	snprintf(buf, sizeof(buf), "%snetwork_nodes:\n  - metadata: [x]\n", v);
	expect_error(buf, false, "network_nodes[0].metadata: expected a mapping, got a list");
	snprintf(buf, sizeof(buf), "%ssystem_parameters:\n  mtu: big\n", v);
	expect_error(buf, false, "system_parameters.mtu: 'big' is not a number from 0 to");
	snprintf(buf, sizeof(buf), "%ssystem_parameters:\n  mtu: 4294967296\n", v);
	expect_error(buf, false, "system_parameters.mtu: '4294967296' is not a number");
	snprintf(buf, sizeof(buf), "%ssystem_parameters:\n  mtu: \"1500\"\n", v);
	expect_error(buf, false, "system_parameters.mtu: expected a number, got a string");
	snprintf(buf, sizeof(buf),
		 "%snetwork_node_overlays:\n  - spec:\n      vxlan_mesh_parms:\n"
		 "        create_loopback_interface: yes\n",
		 v);
	expect_error(buf, false,
		     "vxlan_mesh_parms.create_loopback_interface: expected true or false");
	snprintf(buf, sizeof(buf),
		 "%snetwork_nodes:\n  - spec:\n      interfaces:\n"
		 "        - ip_addresses: 10.0.0.1/24\n",
		 v);
	expect_error(buf, false,
		     "interfaces[0].ip_addresses: expected a list of strings, got a scalar");
	/* enum values */
	snprintf(buf, sizeof(buf),
		 "%snetwork_services:\n  - spec:\n      connections:\n"
		 "        - conn_type: l9pp\n",
		 v);
	expect_error(buf, false,
		     "network_services[0].connections[0].conn_type: 'l9pp' is not one of "
		     "l2pp|l2mp|l3pp|l3mp (line 5)");
	/* the version */
	expect_error("network_nodes: []\n", false, "sfc_controller_config_version is missing");
	expect_error("sfc_controller_config_version: 1\n", false, "version 1 is not supported");
	/* names and limits */
	snprintf(buf, sizeof(buf), "%snetwork_nodes:\n  - metadata: {name: a/b}\n", v);
	expect_error(buf, false, "network_nodes[0].metadata.name: 'a/b': a name must not contain");
	char longname[200];
	memset(longname, 'x', 100);
	longname[100] = 0;
	snprintf(buf, sizeof(buf), "%snetwork_nodes:\n  - metadata: {name: %s}\n", v, longname);
	expect_error(buf, false, "metadata.name: longer than 63 characters");
	/* YAML itself */
	expect_error("a: [1, 2\n", false, "t.yaml: line 2:");
	expect_error("a: &x 1\nb: *x\n", false, "anchors and aliases are not supported");
	snprintf(buf, sizeof(buf), "%sdescription: a\ndescription: b\n", v);
	expect_error(buf, false, "duplicate key 'description'");
	expect_error("- 1\n", false, "expected a mapping at the top, got a list");
	expect_error("a: 1\n---\nb: 2\n", false, "more than one YAML document");
	expect_error("a: !!binary aGk=\n", false, "tags other than");
	/* nesting */
	char deep[400] = "a: ";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	expect_error(deep, false, "nested too deep");
	/* an empty document has no version */
	expect_error("", false, "expected a mapping at the top, got null");
	/* a status in the input (a dump fed back) is accepted and ignored */
	snprintf(
	    buf, sizeof(buf),
	    "%snetwork_services:\n  - metadata: {name: s}\n    status: {oper_status: OperUp}\n", v);
	assert_string_equal(errors_of(buf, false), "");
}

static void
test_limits(void **state)
{
	(void)state;
	/* More list elements than allowed: refused before anything is allocated for them. */
	size_t n = SFC_LIST_MAX + 1;
	size_t size = 64 + n * 4;
	char *buf = malloc(size);
	assert_non_null(buf);
	size_t len = (size_t)sprintf(buf, "sfc_controller_config_version: 2\ndescription: [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "%s1", i ? "," : "");
	len += (size_t)sprintf(buf + len, "]\n");
	struct sfc_model m;
	struct sfc_errors e = {0};
	assert_int_equal(sfc_model_parse_yaml(buf, len, "big", &m, &e), -EINVAL);
	sfc_errors_free(&e);
	free(buf);
	/* Errors are capped and counted. */
	char *many = malloc(200 * 20 + 64);
	len = (size_t)sprintf(many, "sfc_controller_config_version: 2\n");
	for (int i = 0; i < 200; i++)
		len += (size_t)sprintf(many + len, "x%d: 1\n", i);
	assert_int_equal(sfc_model_parse_yaml(many, len, "many", &m, &e), -EINVAL);
	assert_int_equal(e.n, SFC_ERRORS_MAX);
	assert_int_equal(e.n_dropped, 200 - SFC_ERRORS_MAX);
	char msg[256];
	sfc_errors_join(&e, msg, sizeof(msg)); /* truncated, NUL-terminated */
	assert_true(strlen(msg) < sizeof(msg));
	sfc_errors_free(&e);
	free(many);
}

/* chain2.yaml with one line replaced (sed-like) must give the error. */
static void
expect_semantic(const char *from, const char *to, const char *want)
{
	size_t size;
	char *text = read_path(SFC_TEST_DATA "/chain2.yaml", &size);
	char *at = strstr(text, from);
	if (!at)
		fail_msg("chain2.yaml has no '%s'", from);
	char *out = malloc(size + strlen(to) + 1);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	expect_error(out, true, want);
	free(out);
	free(text);
}

static void
test_semantic_errors(void **state)
{
	(void)state;
	expect_semantic("[vnf2/port2, vnf3/port1]", "[vnf2/port2, vnf9/port1]",
			"network_services[0].connections[2]: pod interface vnf9/port1 does not "
			"exist (line");
	expect_semantic("[vnf2/port2, vnf3/port1]", "[vnf2/port2, vnf3/port7]",
			"pod interface vnf3/port7 does not exist");
	expect_semantic("[vnf2/port2, vnf3/port1]", "[vnf2/port2]",
			"network_services[0].connections[2]: l2pp needs exactly 2 interfaces");
	expect_semantic("[vnf2/port2, vnf3/port1]", "[vnf2/port2, vnf3port1]",
			"pod interface 'vnf3port1' is not of the form pod/ifname");
	expect_semantic("network_node_overlay_name: mesh1", "network_node_overlay_name: mesh9",
			"network_services[0].connections[2]: network node overlay mesh9 does not "
			"exist");
	expect_semantic("          network_node_overlay_name: mesh1\n", "",
			"its pods are on different nodes (node1, node2): network_node_overlay_name "
			"is needed");
	expect_semantic("use_node_l2bd: bd-node2", "use_node_l2bd: bd-none",
			"use_node_l2bd: node node2 (of pod vnf3) has no l2bd 'bd-none'");
	expect_semantic("          use_node_l2bd: bd-node2\n",
			"          use_node_l2bd: bd-node2\n          l2bd: {name: x, "
			"l2bd_template: plain}\n",
			"use_node_l2bd and l2bd together");
	expect_semantic("          use_node_l2bd: bd-node2\n", "          l2bd: {name: x}\n",
			"l2bd has neither bd_parms nor l2bd_template");
	expect_semantic("          l2bd_template: plain", "          l2bd_template: fancy",
			"network_nodes[1].l2bds[0]: l2bd template 'fancy' does not exist");
	expect_semantic("  - pod: vnf3\n    node: node2\n", "",
			"pod vnf3 is not mapped to a node (network_pod_to_node_map)");
	expect_semantic("  - pod: vnf3\n    node: node2\n", "  - pod: vnf3\n    node: node7\n",
			"network_pod_to_node_map[3]: node node7 does not exist");
	expect_semantic("  - pod: vnf3\n    node: node2\n",
			"  - pod: vnf3\n    node: node2\n  - pod: vnf3\n    node: node1\n",
			"pod vnf3 is mapped twice");
	expect_semantic("            name: vnf2\n", "            name: vnf1\n",
			"pod vnf1 is defined twice");
	expect_semantic("      name: node2\n", "      name: node1\n",
			"network node node1 is defined twice");
	expect_semantic(
	    "pod_type: vppcontainer", "pod_type: vppvswitch",
	    "pod_type 'vppvswitch' is not one of vppcontainer|nonvppcontainer|external");
	expect_semantic("if_type: veth", "if_type: vxlan_tunnel",
			"if_type 'vxlan_tunnel' is not one of memif|ethernet|veth|tap");
	expect_semantic("          if_type: ethernet\n          ip_addresses:\n            - "
			"192.168.50.1/24",
			"          if_type: memif\n          ip_addresses:\n            - "
			"192.168.50.1/24",
			"if_type 'memif' is not one of ethernet|vxlan_tunnel|loopback for a node");
	expect_semantic("- 10.10.0.1/24", "- 10.10.0.1", "is not of the form i.p.v.4/xx");
	expect_semantic("- 10.10.0.1/24", "- 10.10.0.1/33", "is not of the form i.p.v.4/xx");
	expect_semantic("\"02:00:00:00:00:aa\"", "\"02:00:00:00:00\"",
			"l3_arp[0]: phys_address '02:00:00:00:00' is not a MAC address");
	expect_semantic("next_hop_addr: 10.10.0.1", "next_hop_addr: ten",
			"l3_vrf_route[0]: next_hop_addr 'ten' is not an IP address");
	expect_semantic("vni_range_end: 5999", "vni_range_end: 4999",
			"network_node_overlays[0]: vni range 5000-4999 is invalid");
	expect_semantic("vni_range_end: 5999", "vni_range_end: 16777216",
			"vni_range_end 16777216 is above 16777215");
	expect_semantic("loopback_ipam_pool_name: vxlan_loopbacks",
			"loopback_ipam_pool_name: nopool",
			"loopback ipam pool nopool does not exist");
	expect_semantic("service_mesh_type: mesh", "service_mesh_type: hub_and_spoke",
			"hub_and_spoke without vxlan_hub_and_spoke_parms");
	expect_semantic("network: 10.200.0.0/24", "network: 10.200.0.0",
			"ipam_pools[0]: ipam pool vxlan_loopbacks: network '10.200.0.0' is not");
	expect_semantic("end_range: 20", "end_range: 300",
			"range 1-300 does not fit in 10.200.0.0/24");
	expect_semantic("      scope: system\n", "", "scope is missing");
	expect_semantic("      node_type: host\n      interfaces:\n        - name: underlay0\n"
			"          if_type: ethernet\n          ip_addresses:\n            - "
			"192.168.50.2/24",
			"      interfaces:\n        - name: underlay0\n"
			"          if_type: ethernet\n          ip_addresses:\n            - "
			"192.168.50.2/24",
			"node node2: node_type is missing");
	expect_semantic("network_node_interface_label: vxlan", "network_node_interface_label: gre",
			"no node interface has the label 'gre'");
	expect_semantic("ring_size: \"1024\"",
			"ring_size: \"1024\"\n                  "
			"memif_directory: relative",
			"memif_parms.memif_directory 'relative' is not absolute");
	expect_semantic("                tap_parms:",
			"                memif_parms: {mode: ip}\n"
			"                tap_parms:",
			"memif_parms on a tap interface");
	expect_semantic("memif_directory: /run/lig-sfc", "memif_directory: run",
			"system_parameters: memif_directory 'run' is not absolute");
	expect_semantic("  mtu: 1500", "  mtu: 10", "system_parameters: mtu 10 is not from 64");
}

static void
test_two_overlays(void **state)
{
	(void)state;
	const char *t =
	    "sfc_controller_config_version: 2\nnetwork_nodes:\n  - metadata: {name: h}\n"
	    "    spec: {node_type: host}\nnetwork_node_overlays:\n"
	    "  - metadata: {name: a}\n    spec: {service_mesh_type: mesh, "
	    "connection_type: vxlan, vxlan_mesh_parms: {vni_range_start: 10, "
	    "vni_range_end: 20}}\n"
	    "  - metadata: {name: b}\n    spec: {service_mesh_type: mesh, "
	    "connection_type: vxlan, vxlan_mesh_parms: {vni_range_start: 20, "
	    "vni_range_end: 30}}\n"
	    "  - metadata: {name: c}\n    spec: {service_mesh_type: hub_and_spoke, "
	    "connection_type: vxlan, vxlan_hub_and_spoke_parms: {hub_node_name: x, "
	    "vni: 7}}\n";
	expect_error(t, true,
		     "network_node_overlays[1]: vni range 20-30 overlaps overlay a's 10-20");
	expect_error(t, true, "network_node_overlays[2]: hub node 'x' does not exist");
}

/* Names across services (the index of sfc_model_validate) and the per-service batch. */
static void
test_across_services(void **state)
{
	(void)state;
	const char *t =
	    "sfc_controller_config_version: 2\n"
	    "network_pod_to_node_map: [{pod: a, node: n}, {pod: b, node: n}]\n"
	    "network_nodes: [{metadata: {name: n}, spec: {node_type: host}}]\n"
	    "network_services:\n"
	    "  - metadata: {name: s1}\n"
	    "    spec: {network_pods: [{metadata: {name: a}, spec: {pod_type: vppcontainer, "
	    "interfaces: [{name: p, if_type: memif}]}}]}\n"
	    "  - metadata: {name: s2}\n"
	    "    spec: {network_pods: [{metadata: {name: b}, spec: {pod_type: vppcontainer, "
	    "interfaces: [{name: p, if_type: memif}]}}]}\n"
	    "  - metadata: {name: s1}\n"
	    "    spec:\n"
	    "      network_pods: [{metadata: {name: a}, spec: {pod_type: vppcontainer, "
	    "interfaces: [{name: p, if_type: memif}]}}]\n"
	    "      connections: [{conn_type: l2pp, pod_interfaces: [a/p, zz/p]}]\n";
	expect_error(t, true, "network_services[2]: network service s1 is defined twice");
	expect_error(t, true,
		     "network_services[2].network_pods[0]: pod a is already defined in service s1");
	struct sfc_model m;
	struct sfc_errors e = {0};
	assert_int_equal(sfc_model_parse_yaml(t, strlen(t), "t", &m, &e), 0);
	struct sfc_errors per[3] = {{0}};
	assert_int_equal(sfc_model_validate_services(&m, per), 1);
	assert_int_equal(per[0].n, 0);
	assert_int_equal(per[1].n, 0);
	assert_int_equal(per[2].n, 1);
	assert_non_null(strstr(per[2].msg[0], "pod interface zz/p does not exist"));
	/* The same as one service at a time. */
	assert_int_equal(sfc_model_validate_service(&m, &m.services[2], &e), 1);
	assert_string_equal(e.msg[0], per[2].msg[0]);
	sfc_errors_free(&e);
	for (int i = 0; i < 3; i++)
		sfc_errors_free(&per[i]);
	sfc_model_free(&m);
}

static void
test_objects(void **state)
{
	(void)state;
	struct sfc_model m = {0};
	struct sfc_errors e = {0};
	const char *svc = "{\"spec\":{\"network_pods\":[{\"metadata\":{\"name\":\"p\"},\"spec\":{"
			  "\"pod_type\":\"vppcontainer\",\"interfaces\":[{\"name\":\"i\","
			  "\"if_type\":\"memif\"}]}}]}}";
	/* The name comes from the key when the object has none. */
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_SERVICE, "s1", svc, strlen(svc), &e),
			 0);
	assert_int_equal(m.n_services, 1);
	assert_string_equal(m.services[0].meta.name, "s1");
	assert_string_equal(m.services[0].origin, "network-service/s1");
	assert_string_equal(m.services[0].pods[0].interfaces[0].origin,
			    "network-service/s1.network_pods[0].interfaces[0]");
	/* A different name in the object is refused; m unchanged. */
	const char *named = "{\"metadata\":{\"name\":\"other\"}}";
	assert_int_equal(
	    sfc_model_add_json_object(&m, SFC_OBJ_SERVICE, "s2", named, strlen(named), &e),
	    -EINVAL);
	assert_non_null(strstr(e.msg[0], "network-service/s2: the object's name 'other' differs"));
	assert_int_equal(m.n_services, 1);
	sfc_errors_free(&e);
	/* Bad names in keys. */
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_NODE, "a/b", "{}", 2, &e), -EINVAL);
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_NODE, "", "{}", 2, &e), -EINVAL);
	sfc_errors_free(&e);
	/* Unknown fields name the object. */
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_IPAM_POOL, "p", "{\"x\":1}", 7, &e),
			 -EINVAL);
	assert_non_null(strstr(e.msg[0], "ipam-pool/p.x: unknown field in IPAM pool"));
	sfc_errors_free(&e);
	/* System parameters replace. */
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_SYSTEM_PARAMETERS, NULL,
						   "{\"mtu\":9000}", 12, &e),
			 0);
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_SYSTEM_PARAMETERS, NULL,
						   "{\"mtu\":1400}", 12, &e),
			 0);
	assert_int_equal(m.sys.mtu, 1400);
	assert_true(m.sys.present);
	/* A pod-to-node entry is named by its pod. */
	assert_int_equal(
	    sfc_model_add_json_object(&m, SFC_OBJ_POD_TO_NODE, "p", "{\"node\":\"n\"}", 12, &e), 0);
	assert_string_equal(sfc_model_pod_node(&m, "p"), "n");
	/* Objects written back as JSON, read back equal. */
	char *j = NULL;
	size_t js;
	assert_int_equal(sfc_model_object_json(SFC_OBJ_SERVICE, &m.services[0], &j, &js), 0);
	assert_non_null(strstr(j, "\"if_type\":\"memif\""));
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_SERVICE, "s1b", j, js, &e), -EINVAL);
	sfc_errors_free(&e); /* its name is s1 */
	assert_int_equal(sfc_model_add_json_object(&m, SFC_OBJ_SERVICE, "s1", j, js, &e), 0);
	assert_int_equal(m.n_services, 2);
	free(j);
	/* Removal. */
	assert_int_equal(sfc_model_remove_object(&m, SFC_OBJ_SERVICE, "s1"), 0);
	assert_int_equal(m.n_services, 1);
	assert_int_equal(sfc_model_remove_object(&m, SFC_OBJ_SERVICE, "s1"), 0);
	assert_int_equal(sfc_model_remove_object(&m, SFC_OBJ_SERVICE, "s1"), -ENOENT);
	assert_int_equal(sfc_model_remove_object(&m, SFC_OBJ_SYSTEM_PARAMETERS, NULL), 0);
	assert_false(m.sys.present);
	/* Type names. */
	for (int t = 0; t < SFC_OBJ_N; t++)
		assert_int_equal(sfc_obj_type_parse(sfc_obj_type_name((enum sfc_obj_type)t)), t);
	assert_int_equal(sfc_obj_type_parse("network-thing"), -1);
	sfc_model_free(&m);
}

/* ligato/sfc-controller's own v2 files parse and validate cleanly. */
static void
test_upstream_files(void **state)
{
	(void)state;
	const char *mirror = getenv("LIG_SFC_MIRROR");
	if (!mirror)
		mirror = "/work/.mirror/ligato+sfc-controller/repo";
	static const char *const files[] = {"topologies/vxlanmesh/l2pp/vxlanl2pp.yaml",
					    "topologies/vxlanmesh/l2mp/vxlanl2mp.yaml",
					    "yaml/contiv_ligato_demo.yaml"};
	size_t done = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char cmd[1024];
		snprintf(cmd, sizeof(cmd), "git -C '%s' show HEAD:%s 2>/dev/null", mirror,
			 files[i]);
		FILE *p = popen(cmd, "r");
		if (!p)
			continue;
		char *buf = malloc(1 << 20);
		size_t n = fread(buf, 1, (1 << 20) - 1, p);
		int st = pclose(p);
		if (st != 0 || !n) {
			free(buf);
			continue;
		}
		struct sfc_model m;
		struct sfc_errors e = {0};
		int rc = sfc_model_parse_yaml(buf, n, files[i], &m, &e);
		if (!rc)
			sfc_model_validate(&m, &e);
		char msg[4096];
		if (rc || e.n)
			fail_msg("%s: %s", files[i], sfc_errors_join(&e, msg, sizeof(msg)));
		assert_true(m.n_services > 0 && m.n_nodes > 0);
		sfc_model_free(&m);
		free(buf);
		done++;
	}
	if (!done)
		skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chain2),	    cmocka_unit_test(test_json_document),
	    cmocka_unit_test(test_parse_errors),    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_semantic_errors), cmocka_unit_test(test_two_overlays),
	    cmocka_unit_test(test_across_services), cmocka_unit_test(test_objects),
	    cmocka_unit_test(test_upstream_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The renderer (docs/sfc.md "Rendering"): small models built in C, rendered, and the keys and
 * the important fields of their values asserted for every connection type and method,
 * overlay, pod and interface type and IPAM scope; every value is also decoded and checked
 * again with lig-agent's models here (independently of the renderer's own check); failures,
 * conflicts, determinism (twice, after the allocator's JSON round trip, with a new service),
 * hostile allocator state; sfc-controller's own topology files through lig-sfc's parser. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lig_models.h"
#include "model_build.h"
#include "sfc_render.h"

#define K(label, rest) "/vnf-agent/" label "/config/" rest

/* Renders m with a (fresh allocator when a is NULL); every key is checked with lig-agent's
 * key parser and model, and owned by its label. */
static void
render(const struct sfc_model *m, struct sfc_alloc *a, struct sfc_render_out *out)
{
	struct sfc_alloc *own = a ? NULL : sfc_alloc_new();
	assert_int_equal(sfc_render(m, a ? a : own, out), 0);
	for (size_t i = 0; i < out->n_kv; i++) {
		const struct sfc_rkv *kv = &out->kv[i];
		struct lig_model_key key;
		struct lig_model_error err = {0};
		if (i)
			assert_true(strcmp(out->kv[i - 1].key, kv->key) < 0);
		assert_int_equal(lig_model_key_parse(kv->key, &key, &err), 0);
		assert_string_equal(key.label, kv->label);
		void *v = lig_model_value_new(key.model);
		int rc = key.model->decode(kv->value, strlen(kv->value), v, &err);
		if (rc == 0)
			/* lig-agent's TAP descriptor takes tap.to_microservice, its support check
			 * not */
			rc = strstr(kv->value, "\"to_microservice\"")
				 ? key.model->validate(v, &err)
				 : lig_model_check(key.model, v, &err);
		if (rc)
			fail_msg("%s %s: %s", kv->key, kv->value, err.text);
		char built[LIG_MODEL_KEY_MAX];
		assert_true(lig_model_key_build(key.model, v, kv->label, built, sizeof(built)) > 0);
		assert_string_equal(built, kv->key);
		lig_model_value_delete(key.model, v);
		assert_true(kv->n_owners >= 1);
	}
	sfc_alloc_free(own);
}

static const char *
val(const struct sfc_render_out *out, const char *key)
{
	const struct sfc_rkv *kv = sfc_render_find(out, key);
	if (!kv) {
		fprintf(stderr, "missing key %s; have:\n", key);
		for (size_t i = 0; i < out->n_kv; i++)
			fprintf(stderr, "  %s %s\n", out->kv[i].key, out->kv[i].value);
		return NULL;
	}
	return kv->value;
}

/* key exists and its value contains every fragment (NULL ended) */
static void
has(const struct sfc_render_out *out, const char *key, ...)
{
	const char *v = val(out, key);
	assert_non_null(v);
	va_list ap;
	va_start(ap, key);
	for (const char *f; (f = va_arg(ap, const char *));)
		if (!strstr(v, f))
			fail_msg("%s: %s lacks %s", key, v, f);
	va_end(ap);
}

static void
lacks(const struct sfc_render_out *out, const char *key, const char *frag)
{
	const char *v = val(out, key);
	assert_non_null(v);
	if (strstr(v, frag))
		fail_msg("%s: %s has %s", key, v, frag);
}

static size_t
count_label(const struct sfc_render_out *out, const char *label)
{
	size_t n = 0;
	for (size_t i = 0; i < out->n_kv; i++)
		n += !strcmp(out->kv[i].label, label);
	return n;
}

static void
status_up(const struct sfc_render_out *out, enum sfc_obj_type t, const char *name)
{
	const struct sfc_robj_status *s = sfc_render_status(out, t, name);
	assert_non_null(s);
	if (s->oper != SFC_OPER_UP)
		fail_msg("%s down: %s", name, s->n_msg ? s->msg[0] : "?");
}

static const struct sfc_robj_status *
status_down(const struct sfc_render_out *out, enum sfc_obj_type t, const char *name)
{
	const struct sfc_robj_status *s = sfc_render_status(out, t, name);
	assert_non_null(s);
	assert_int_equal(s->oper, SFC_OPER_DOWN);
	assert_true(s->n_msg >= 1);
	assert_int_equal(s->n_keys, 0);
	return s;
}

/* Two nodes with an underlay ethernet each (af_packet on eth0), pods vnf1..vnf2 on n1 and
 * vnf3 on n2. */
static struct sfc_model *
two_nodes(void)
{
	struct sfc_model *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	mb_node(m, "n1");
	mb_node(m, "n2");
	struct sfc_node *n1 = &m->nodes[0], *n2 = &m->nodes[1];
	mb_node_eth(n1, "GigabitEthernet0/8/0", "eth0", "10.100.1.1/24", "vxlan");
	mb_node_eth(n2, "GigabitEthernet0/8/0", "eth0", "10.100.1.2/24", "vxlan");
	mb_p2n(m, "vnf1", "n1");
	mb_p2n(m, "vnf2", "n1");
	mb_p2n(m, "vnf3", "n2");
	mb_p2n(m, "podA", "n1");
	mb_p2n(m, "podB", "n2");
	mb_pool(m, "vxlan_pool", SFC_SCOPE_SYSTEM, "111.111.111.0/24", 1, 10);
	mb_mesh(m, "mesh", 5000, 5009, "vxlan_pool", "vxlan");
	return m;
}

static void
free_model(struct sfc_model *m)
{
	sfc_model_free(m);
	free(m);
}

/* Frees a service's connections (through sfc_model_free of a model holding only them). */
static void
drop_connections(struct sfc_service *s)
{
	struct sfc_model t = {0};
	t.services = calloc(1, sizeof(*t.services));
	assert_non_null(t.services);
	t.services[0].connections = s->connections;
	t.services[0].n_connections = s->n_connections;
	t.n_services = 1;
	sfc_model_free(&t);
	s->connections = NULL;
	s->n_connections = 0;
}

/* ---- nodes ---- */

static void
test_node(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	mb_node_bd(&m->nodes[0], "bd1");
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_NODE, "n1");
	/* ethernet: ligd's af_packet on the Linux interface in host_port_label */
	has(&out, K("n1", "vpp/v2/interfaces/GigabitEthernet0/8/0"), "\"type\":\"AF_PACKET\"",
	    "\"host_if_name\":\"eth0\"", "\"ip_addresses\":[\"10.100.1.1/24\"]",
	    "\"phys_address\":\"02:00:00:00:00:01\"", "\"enabled\":true", "\"mtu\":1500", NULL);
	has(&out, K("n1", "vpp/l2/v2/bridge-domain/L2BD_n1_bd1"), "\"flood\":true",
	    "\"learn\":true", "\"forward\":true", "\"unknown_unicast_flood\":true", NULL);
	assert_int_equal(out.n_kv, 3);
	sfc_render_out_free(&out);

	/* an ethernet name that is not a Linux name, without host_port_label: the node is down */
	free(m->nodes[1].interfaces[0].host_port_label);
	m->nodes[1].interfaces[0].host_port_label = NULL;
	render(m, NULL, &out);
	const struct sfc_robj_status *s = status_down(&out, SFC_OBJ_NODE, "n2");
	assert_non_null(strstr(s->msg[0], "host_port_label"));
	assert_int_equal(count_label(&out, "n2"), 0);
	status_up(&out, SFC_OBJ_NODE, "n1");
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- l2pp ---- */

static struct sfc_service *
chain_svc(struct sfc_model *m, const char *name, enum sfc_if_type t)
{
	struct sfc_service *s = mb_svc(m, name);
	for (int i = 1; i <= 3; i++) {
		char pod[8];
		snprintf(pod, sizeof(pod), "vnf%d", i);
		struct sfc_pod *p = mb_pod(s, pod, SFC_POD_VPPCONTAINER);
		mb_if(p, "port1", t);
		mb_if(p, "port2", t);
	}
	return s;
}

static void
test_l2pp_direct(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, NULL, "vnf1/port2", "vnf2/port1", NULL);
	/* two ports of one pod: cross-connected inside it (sfc-controller's same-vnf case) */
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_DIRECT, NULL, "vnf2/port1", "vnf2/port2", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* the first is the slave, the second the master; the socket is named after the master */
	has(&out, K("vnf1", "vpp/v2/interfaces/port2"), "\"type\":\"MEMIF\"", "\"id\":1",
	    "\"socket_filename\":\"/tmp/memif_vnf2.sock\"", "\"phys_address\":\"02:00:", NULL);
	lacks(&out, K("vnf1", "vpp/v2/interfaces/port2"), "master");
	has(&out, K("vnf2", "vpp/v2/interfaces/port1"), "\"master\":true", "\"id\":1",
	    "\"socket_filename\":\"/tmp/memif_vnf2.sock\"", NULL);
	has(&out, K("vnf2", "vpp/l2/v2/xconnect/port1"), "\"transmit_interface\":\"port2\"", NULL);
	has(&out, K("vnf2", "vpp/l2/v2/xconnect/port2"), "\"transmit_interface\":\"port1\"", NULL);
	/* nothing for it on the vswitch: only the node's own interface */
	assert_int_equal(count_label(&out, "n1"), 1);
	assert_int_equal(sfc_render_status(&out, SFC_OBJ_SERVICE, "s1")->n_keys, 4);
	sfc_render_out_free(&out);
	free_model(m);
}

static void
test_l2pp_vswitch(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	free(m->sys.memif_directory);
	m->sys.memif_directory = mb_str("/run/vpp");
	m->sys.rx_mode = SFC_RX_POLLING;
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_VSWITCH, NULL, "vnf1/port2", "vnf2/port1", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	has(&out, K("vnf1", "vpp/v2/interfaces/port2"),
	    "\"socket_filename\":\"/run/vpp/memif_n1.sock\"",
	    "\"rx_modes\":[{\"mode\":\"POLLING\",\"default_mode\":true}]", NULL);
	has(&out, K("n1", "vpp/v2/interfaces/IF_MEMIF_VSWITCH_vnf1_port2"), "\"master\":true",
	    "\"socket_filename\":\"/run/vpp/memif_n1.sock\"", NULL);
	lacks(&out, K("n1", "vpp/v2/interfaces/IF_MEMIF_VSWITCH_vnf1_port2"), "phys_address");
	has(&out, K("n1", "vpp/l2/v2/xconnect/IF_MEMIF_VSWITCH_vnf1_port2"),
	    "\"transmit_interface\":\"IF_MEMIF_VSWITCH_vnf2_port1\"", NULL);
	has(&out, K("n1", "vpp/l2/v2/xconnect/IF_MEMIF_VSWITCH_vnf2_port1"),
	    "\"transmit_interface\":\"IF_MEMIF_VSWITCH_vnf1_port2\"", NULL);
	/* each pod interface has its own memif id on the vswitch's socket */
	const char *a = val(&out, K("vnf1", "vpp/v2/interfaces/port2"));
	const char *b = val(&out, K("vnf2", "vpp/v2/interfaces/port1"));
	assert_non_null(strstr(a, "\"id\":1,"));
	assert_non_null(strstr(b, "\"id\":2,"));
	sfc_render_out_free(&out);
	free_model(m);
}

static void
test_l2pp_mesh(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, "mesh", "vnf2/port2", "vnf3/port1", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* vnf3 is on n2: each pod into its vswitch, tunnels each way with the first VNI, the
	 * endpoint loopbacks from the pool and the routes between endpoints via the underlay */
	has(&out, K("vnf3", "vpp/v2/interfaces/port1"),
	    "\"socket_filename\":\"/tmp/memif_n2.sock\"", NULL);
	char t1[128], t2[128];
	/* names longer than 63 bytes are cut with a hash: find the tunnels by type */
	const char *tun1 = NULL, *tun2 = NULL;
	for (size_t i = 0; i < out.n_kv; i++) {
		if (!strstr(out.kv[i].value, "VXLAN_TUNNEL"))
			continue;
		if (!strcmp(out.kv[i].label, "n1"))
			tun1 = out.kv[i].value;
		else
			tun2 = out.kv[i].value;
	}
	assert_non_null(tun1);
	assert_non_null(tun2);
	assert_non_null(strstr(tun1, "\"src_address\":\"111.111.111.1\",\"dst_address\":"
				     "\"111.111.111.2\",\"vni\":5000"));
	assert_non_null(strstr(tun2, "\"src_address\":\"111.111.111.2\",\"dst_address\":"
				     "\"111.111.111.1\",\"vni\":5000"));
	assert_true(sscanf(strstr(tun1, "\"name\":\"") + 8, "%127[^\"]", t1) == 1);
	assert_true(sscanf(strstr(tun2, "\"name\":\"") + 8, "%127[^\"]", t2) == 1);
	assert_true(strlen(t1) <= 63);
	assert_non_null(strstr(t1, "IF_VXLAN_L2PP_NET_SRVC_s1_CONN_1_FROM_n1_"));
	has(&out, K("n1", "vpp/v2/interfaces/IF_VXLAN_LOOPBACK_n1"), "SOFTWARE_LOOPBACK",
	    "\"ip_addresses\":[\"111.111.111.1/32\"]", NULL);
	has(&out,
	    K("n1",
	      "vpp/v2/route/if/GigabitEthernet0/8/0/vrf/0/dst/111.111.111.2/32/gw/10.100.1.2"),
	    "\"weight\":5", NULL);
	has(&out,
	    K("n2",
	      "vpp/v2/route/if/GigabitEthernet0/8/0/vrf/0/dst/111.111.111.1/32/gw/10.100.1.1"),
	    NULL);
	char key[256];
	snprintf(key, sizeof(key), K("n1", "vpp/l2/v2/xconnect/%s"), t1);
	has(&out, key, "\"transmit_interface\":\"IF_MEMIF_VSWITCH_vnf2_port2\"", NULL);
	has(&out, K("n1", "vpp/l2/v2/xconnect/IF_MEMIF_VSWITCH_vnf2_port2"), t1, NULL);
	snprintf(key, sizeof(key), K("n2", "vpp/l2/v2/xconnect/%s"), t2);
	has(&out, key, "\"transmit_interface\":\"IF_MEMIF_VSWITCH_vnf3_port1\"", NULL);
	sfc_render_out_free(&out);

	/* without the overlay: down, nothing rendered; hub and spoke: not for l2pp */
	free(s->connections[0].network_node_overlay_name);
	s->connections[0].network_node_overlay_name = NULL;
	render(m, NULL, &out);
	assert_non_null(strstr(status_down(&out, SFC_OBJ_SERVICE, "s1")->msg[0], "overlay"));
	assert_int_equal(count_label(&out, "vnf3"), 0);
	sfc_render_out_free(&out);
	mb_hub(m, "hub", "n1", 77, "vxlan");
	s->connections[0].network_node_overlay_name = mb_str("hub");
	render(m, NULL, &out);
	assert_non_null(strstr(status_down(&out, SFC_OBJ_SERVICE, "s1")->msg[0], "hub_and_spoke"));
	sfc_render_out_free(&out);
	free_model(m);
}

static void
test_l2pp_veth_tap(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = mb_svc(m, "s1");
	struct sfc_pod *a = mb_pod(s, "podA", SFC_POD_NONVPPCONTAINER);
	struct sfc_interface *ia = mb_if(a, "veth0", SFC_IF_VETH);
	mb_strs(&ia->ip_addresses, &ia->n_ip_addresses, "10.0.0.1/24");
	struct sfc_route *r = MB_PUSH(ia->fwd_routes, ia->n_fwd_routes);
	r->dst_ip_addr = mb_str("10.9.0.0/16");
	r->next_hop_addr = mb_str("10.0.0.2");
	struct sfc_arp *ar = MB_PUSH(ia->fwd_arps, ia->n_fwd_arps);
	ar->ip_address = mb_str("10.0.0.2");
	ar->phys_address = mb_str("02:00:00:00:aa:02");
	struct sfc_pod *b = mb_pod(s, "vnf1", SFC_POD_VPPCONTAINER);
	mb_if(b, "tap0", SFC_IF_TAP);
	struct sfc_interface *iv = mb_if(b, "veth1", SFC_IF_VETH);
	mb_strs(&iv->ip_addresses, &iv->n_ip_addresses, "10.0.1.1/24");
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, NULL, "podA/veth0", "vnf1/tap0", NULL);
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, NULL, "vnf1/veth1", "@n1/GigabitEthernet0/8/0",
		NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* veth: the pod end into the pod's namespace (addresses there: a plain namespace), the
	 * vswitch end stays, named by sfc-controller's short host name; af_packet on it */
	has(&out, K("n1", "linux/interfaces/v2/interface/IF_VETH_VNF_podA_veth0"),
	    "\"type\":\"VETH\"", "\"namespace\":{\"type\":\"MICROSERVICE\",\"reference\":\"podA\"}",
	    "\"host_if_name\":\"veth0\"", "\"ip_addresses\":[\"10.0.0.1/24\"]",
	    "\"peer_if_name\":\"IF_VETH_VSWITCH_podA_veth0\"", NULL);
	has(&out, K("n1", "linux/interfaces/v2/interface/IF_VETH_VSWITCH_podA_veth0"),
	    "\"host_if_name\":\"podAveth0\"", "\"peer_if_name\":\"IF_VETH_VNF_podA_veth0\"", NULL);
	lacks(&out, K("n1", "linux/interfaces/v2/interface/IF_VETH_VSWITCH_podA_veth0"),
	      "namespace");
	has(&out, K("n1", "vpp/v2/interfaces/IF_AFPIF_VSWITCH_podA_veth0"),
	    "\"type\":\"AF_PACKET\"", "\"host_if_name\":\"podAveth0\"", NULL);
	/* the plain pod's fwd entries: Linux route and ARP the vswitch agent writes there */
	has(&out, K("n1", "linux/l3/v2/route/10.9.0.0/16/IF_VETH_VNF_podA_veth0"),
	    "\"gw_addr\":\"10.0.0.2\"", NULL);
	has(&out, K("n1", "linux/l3/v2/arp/IF_VETH_VNF_podA_veth0/10.0.0.2"),
	    "\"hw_address\":\"02:00:00:00:aa:02\"", NULL);
	/* tap: VPP tap v2 with its kernel side in the pod's namespace, the Linux side renamed
	 * there; the cross-connect names the tap (sfc-controller left this name empty) */
	has(&out, K("n1", "vpp/v2/interfaces/IF_TAP_VSWITCH_vnf1_tap0"), "\"type\":\"TAP\"",
	    "\"version\":2", "\"to_microservice\":\"vnf1\"", "\"host_if_name\":\"vnf1tap0\"", NULL);
	has(&out, K("n1", "linux/interfaces/v2/interface/IF_TAP_VNF_vnf1_tap0"),
	    "\"type\":\"TAP_TO_VPP\"", "\"vpp_tap_if_name\":\"IF_TAP_VSWITCH_vnf1_tap0\"",
	    "\"host_if_name\":\"tap0\"", NULL);
	has(&out, K("n1", "vpp/l2/v2/xconnect/IF_AFPIF_VSWITCH_podA_veth0"),
	    "\"transmit_interface\":\"IF_TAP_VSWITCH_vnf1_tap0\"", NULL);
	has(&out, K("n1", "vpp/l2/v2/xconnect/IF_TAP_VSWITCH_vnf1_tap0"),
	    "\"transmit_interface\":\"IF_AFPIF_VSWITCH_podA_veth0\"", NULL);
	/* a vppcontainer's veth: no address on the Linux end, ligd's af_packet in the pod has
	 * it; node interface: cross-connected with the ethernet */
	lacks(&out, K("n1", "linux/interfaces/v2/interface/IF_VETH_VNF_vnf1_veth1"),
	      "ip_addresses");
	has(&out, K("vnf1", "vpp/v2/interfaces/veth1"), "\"type\":\"AF_PACKET\"",
	    "\"host_if_name\":\"veth1\"", "\"ip_addresses\":[\"10.0.1.1/24\"]", NULL);
	has(&out, K("n1", "vpp/l2/v2/xconnect/GigabitEthernet0/8/0"),
	    "\"transmit_interface\":\"IF_AFPIF_VSWITCH_vnf1_veth1\"", NULL);
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- l3pp ---- */

static void
test_l3pp(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_strs(&s->pods[1].interfaces[1].ip_addresses, &s->pods[1].interfaces[1].n_ip_addresses,
		"10.5.0.2/24");
	mb_strs(&s->pods[2].interfaces[0].ip_addresses, &s->pods[2].interfaces[0].n_ip_addresses,
		"10.5.0.3/24");
	mb_conn(s, SFC_CONN_L3PP, SFC_METHOD_UNSET, "mesh", "vnf2/port2", "vnf3/port1", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* a VRF allocated from 10 (sfc-controller's first), its table on each node, the vswitch
	 * interfaces in it, a route to each local address and one to the remote one through the
	 * tunnel */
	has(&out, K("n1", "vpp/v2/vrf-table/id/10/protocol/IPV4"), "\"id\":10", NULL);
	has(&out, K("n2", "vpp/v2/vrf-table/id/10/protocol/IPV4"), NULL);
	has(&out, K("n1", "vpp/v2/interfaces/IF_MEMIF_VSWITCH_vnf2_port2"), "\"vrf\":10", NULL);
	has(&out, K("n1", "vpp/v2/route/if/IF_MEMIF_VSWITCH_vnf2_port2/vrf/10/dst/10.5.0.2/32"),
	    "\"vrf_id\":10", "\"dst_network\":\"10.5.0.2/32\"", NULL);
	has(&out, K("n2", "vpp/v2/route/if/IF_MEMIF_VSWITCH_vnf3_port1/vrf/10/dst/10.5.0.3/32"),
	    NULL);
	size_t via_tunnel = 0;
	for (size_t i = 0; i < out.n_kv; i++)
		via_tunnel += strstr(out.kv[i].key, "/dst/10.5.0.3/32") &&
			      !strcmp(out.kv[i].label, "n1") &&
			      strstr(out.kv[i].value, "IF_VXLAN_L2PP");
	assert_int_equal(via_tunnel, 1);
	/* the underlay routes to the endpoints are in the VRF too (as sfc-controller) */
	has(&out,
	    K("n1",
	      "vpp/v2/route/if/GigabitEthernet0/8/0/vrf/10/dst/111.111.111.2/32/gw/10.100.1.2"),
	    NULL);
	sfc_render_out_free(&out);

	/* vrf_id given: used as is */
	s->connections[0].vrf_id = 7;
	render(m, NULL, &out);
	has(&out, K("n1", "vpp/v2/vrf-table/id/7/protocol/IPV4"), NULL);
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- l2mp ---- */

static void
test_l2mp_mesh_node_bd(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	mb_node_bd(&m->nodes[0], "bd1");
	mb_node_bd(&m->nodes[1], "bd1");
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	struct sfc_connection *c = mb_conn(s, SFC_CONN_L2MP, SFC_METHOD_UNSET, "mesh", "vnf1/port1",
					   "vnf2/port1", "vnf3/port1", NULL);
	c->use_node_l2bd = mb_str("bd1");
	struct sfc_service *s2 = chain_svc(m, "s2", SFC_IF_VETH);
	/* s2's pods are other pods: rename them */
	for (size_t i = 0; i < s2->n_pods; i++)
		s2->pods[i].meta.name[0] = 'x';
	mb_p2n(m, "xnf1", "n1");
	mb_p2n(m, "xnf3", "n2");
	struct sfc_connection *c2 =
	    mb_conn(s2, SFC_CONN_L2MP, SFC_METHOD_UNSET, "mesh", "xnf1/port1", "xnf3/port1", NULL);
	c2->use_node_l2bd = mb_str("bd1");
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	status_up(&out, SFC_OBJ_SERVICE, "s2");
	/* the node's bridge gets the members of both services, tunnels in split-horizon group 1;
	 * the key is owned by the node and both services */
	const struct sfc_rkv *bd =
	    sfc_render_find(&out, K("n1", "vpp/l2/v2/bridge-domain/L2BD_n1_bd1"));
	assert_non_null(bd);
	assert_int_equal(bd->n_owners, 3);
	assert_string_equal(bd->owners[0], "network-node/n1");
	assert_non_null(strstr(bd->value, "{\"name\":\"IF_MEMIF_VSWITCH_vnf1_port1\"}"));
	assert_non_null(strstr(bd->value, "{\"name\":\"IF_MEMIF_VSWITCH_vnf2_port1\"}"));
	assert_non_null(strstr(bd->value, "{\"name\":\"IF_AFPIF_VSWITCH_xnf1_port1\"}"));
	assert_non_null(strstr(
	    bd->value, "\"name\":\"IF_VXLAN_MESH_NET_SRVC_s1_CONN_1_FROM_n1_TO_n2_VNI_5000\","
		       "\"split_horizon_group\":1"));
	assert_non_null(
	    strstr(bd->value, "IF_VXLAN_MESH_NET_SRVC_s2_CONN_1_FROM_n1_TO_n2_VNI_5001"));
	has(&out,
	    K("n2", "vpp/v2/interfaces/IF_VXLAN_MESH_NET_SRVC_s1_CONN_1_FROM_n2_TO_n1_VNI_5000"),
	    "\"src_address\":\"111.111.111.2\"", NULL);
	/* the loopback is shared by both services */
	assert_int_equal(
	    sfc_render_find(&out, K("n1", "vpp/v2/interfaces/IF_VXLAN_LOOPBACK_n1"))->n_owners, 2);
	sfc_render_out_free(&out);

	/* a bridge of its own, from a template */
	free(c->use_node_l2bd);
	c->use_node_l2bd = NULL;
	c->has_l2bd = true;
	c->l2bd.name = mb_str("b");
	c->l2bd.l2bd_template = mb_str("t1");
	struct sfc_bd_parms *t = MB_PUSH(m->sys.l2bd_templates, m->sys.n_l2bd_templates);
	t->name = mb_str("t1");
	t->learn = true;
	t->mac_age_minutes = 5;
	render(m, NULL, &out);
	has(&out, K("n2", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"), "\"learn\":true",
	    "\"mac_age\":5", "IF_MEMIF_VSWITCH_vnf3_port1", NULL);
	lacks(&out, K("n2", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"), "flood");
	sfc_render_out_free(&out);
	/* a template that does not exist */
	free(c->l2bd.l2bd_template);
	c->l2bd.l2bd_template = mb_str("nope");
	render(m, NULL, &out);
	assert_non_null(strstr(status_down(&out, SFC_OBJ_SERVICE, "s1")->msg[0], "nope"));
	sfc_render_out_free(&out);
	free_model(m);
}

static void
test_l2mp_same_node_and_pod(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_conn(s, SFC_CONN_L2MP, SFC_METHOD_UNSET, NULL, "vnf1/port1", "vnf2/port1", NULL);
	mb_conn(s, SFC_CONN_L2MP, SFC_METHOD_UNSET, NULL, "vnf3/port1", "vnf3/port2", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	has(&out, K("n1", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"),
	    "\"interfaces\":[{\"name\":\"IF_MEMIF_VSWITCH_vnf1_port1\"},{\"name\":"
	    "\"IF_MEMIF_VSWITCH_vnf2_port1\"}]",
	    NULL);
	/* all ports of one pod: the bridge is in the pod */
	has(&out, K("vnf3", "vpp/l2/v2/bridge-domain/BD_s1_CONN_2"),
	    "\"interfaces\":[{\"name\":\"port1\"},{\"name\":\"port2\"}]", NULL);
	sfc_render_out_free(&out);
	free_model(m);
}

static void
test_l2mp_hub_and_spoke(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_node *hub = mb_node(m, "n3");
	mb_node_eth(hub, "eth", "eth0", "10.100.1.3/24", "vxlan");
	mb_hub(m, "hs", "n3", 99, "vxlan");
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	mb_conn(s, SFC_CONN_L2MP, SFC_METHOD_UNSET, "hs", "vnf1/port1", "vnf3/port1", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* no pool: the endpoints are the labelled ethernet addresses; one tunnel each way per
	 * spoke, the hub bridges the spokes (group 0: spokes reach each other through it) */
	has(&out,
	    K("n3", "vpp/v2/interfaces/IF_VXLAN_NET_SRVC_s1_CONN_1_FROM_HUB_n3_TO_SPOKE_n1_VNI_99"),
	    "\"src_address\":\"10.100.1.3\",\"dst_address\":\"10.100.1.1\",\"vni\":99", NULL);
	has(&out,
	    K("n1", "vpp/v2/interfaces/IF_VXLAN_NET_SRVC_s1_CONN_1_FROM_SPOKE_n1_TO_HUB_n3_VNI_99"),
	    "\"src_address\":\"10.100.1.1\",\"dst_address\":\"10.100.1.3\"", NULL);
	has(&out, K("n3", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"),
	    "IF_VXLAN_NET_SRVC_s1_CONN_1_FROM_HUB_n3_TO_SPOKE_n1_VNI_99",
	    "IF_VXLAN_NET_SRVC_s1_CONN_1_FROM_HUB_n3_TO_SPOKE_n2_VNI_99", NULL);
	lacks(&out, K("n3", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"), "split_horizon");
	has(&out, K("n2", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1"), "IF_MEMIF_VSWITCH_vnf3_port1",
	    "FROM_SPOKE_n2_TO_HUB_n3", NULL);
	/* no loopbacks without a pool */
	assert_null(sfc_render_find(&out, K("n1", "vpp/v2/interfaces/IF_VXLAN_LOOPBACK_n1")));
	sfc_render_out_free(&out);
	/* a second service over the same hub and spoke: its tunnels would have the same
	 * endpoints and VNI, which ligd cannot hold twice: down, saying why */
	struct sfc_service *s2 = chain_svc(m, "s2", SFC_IF_MEMIF);
	for (size_t i = 0; i < s2->n_pods; i++)
		s2->pods[i].meta.name[0] = 'x';
	mb_p2n(m, "xnf1", "n1");
	mb_p2n(m, "xnf3", "n2");
	mb_conn(s2, SFC_CONN_L2MP, SFC_METHOD_UNSET, "hs", "xnf1/port1", "xnf3/port1", NULL);
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	assert_non_null(strstr(status_down(&out, SFC_OBJ_SERVICE, "s2")->msg[0],
			       "hub_and_spoke overlay has one VNI"));
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- l3mp ---- */

static void
test_l3mp(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	for (int i = 0; i < 3; i++) {
		char ip[32];
		snprintf(ip, sizeof(ip), "10.7.0.%d/24", i + 1);
		mb_strs(&s->pods[i].interfaces[0].ip_addresses,
			&s->pods[i].interfaces[0].n_ip_addresses, ip);
	}
	mb_conn(s, SFC_CONN_L3MP, SFC_METHOD_UNSET, NULL, "vnf1/port1", "vnf2/port1", NULL);
	mb_conn(s, SFC_CONN_L3MP, SFC_METHOD_UNSET, "mesh", "vnf1/port1", "vnf3/port1", NULL);
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	/* one node: a VRF, a route and a static ARP entry (the pod's MAC) per address */
	has(&out, K("n1", "vpp/v2/route/if/IF_MEMIF_VSWITCH_vnf2_port1/vrf/10/dst/10.7.0.2/32"),
	    NULL);
	const char *pod = val(&out, K("vnf2", "vpp/v2/interfaces/port1"));
	char mac[32];
	assert_true(sscanf(strstr(pod, "\"phys_address\":\"") + 16, "%17s", mac) == 1);
	has(&out, K("n1", "vpp/v2/arp/IF_MEMIF_VSWITCH_vnf2_port1/10.7.0.2"), mac,
	    "\"static\":true", NULL);
	assert_null(sfc_render_find(&out, K("n1", "vpp/l2/v2/bridge-domain/BD_s1_CONN_1")));
	/* across nodes: VRF 11, routes to remote addresses through the tunnels, a bridge per
	 * node with the tunnels (sfc-controller's rendering) */
	size_t remote = 0;
	for (size_t i = 0; i < out.n_kv; i++)
		remote += !strcmp(out.kv[i].label, "n2") &&
			  strstr(out.kv[i].key, "/vrf/11/dst/10.7.0.1/32") &&
			  strstr(out.kv[i].value, "IF_VXLAN_MESH_NET_SRVC_s1_CONN_2_FROM_n2_TO_n1");
	assert_int_equal(remote, 1);
	has(&out, K("n2", "vpp/l2/v2/bridge-domain/BD_s1_CONN_2"), "IF_MEMIF_VSWITCH_vnf3_port1",
	    NULL);
	has(&out, K("n2", "vpp/v2/arp/IF_MEMIF_VSWITCH_vnf3_port1/10.7.0.3"), NULL);
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- IPAM ---- */

static void
test_ipam_scopes(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	mb_pool(m, "sys", SFC_SCOPE_SYSTEM, "10.10.0.0/24", 0, 0);
	mb_pool(m, "node", SFC_SCOPE_NODE, "10.20.0.0/24", 5, 8);
	mb_pool(m, "svc", SFC_SCOPE_NETWORK_SERVICE, "10.30.0.0/24", 0, 0);
	/* a static address inside the system pool is never handed out */
	struct sfc_service *s0 = chain_svc(m, "s0", SFC_IF_MEMIF);
	mb_strs(&s0->pods[0].interfaces[0].ip_addresses, &s0->pods[0].interfaces[0].n_ip_addresses,
		"10.10.0.1/24");
	s0->n_connections = 0;
	for (int k = 1; k <= 2; k++) {
		char name[8], a[16], b[16], c[16];
		snprintf(name, sizeof(name), "s%d", k);
		struct sfc_service *s = mb_svc(m, name);
		snprintf(a, sizeof(a), "p%da", k);
		snprintf(b, sizeof(b), "p%db", k);
		snprintf(c, sizeof(c), "p%dc", k);
		mb_p2n(m, a, "n1");
		mb_p2n(m, b, "n1");
		mb_p2n(m, c, "n2");
		const char *pods[3] = {a, b, c};
		for (int i = 0; i < 3; i++) {
			struct sfc_interface *ifc =
			    mb_if(mb_pod(s, pods[i], SFC_POD_VPPCONTAINER), "p", SFC_IF_MEMIF);
			mb_strs(&ifc->ipam_pool_names, &ifc->n_ipam_pool_names, "sys");
			mb_strs(&ifc->ipam_pool_names, &ifc->n_ipam_pool_names, "node");
			mb_strs(&ifc->ipam_pool_names, &ifc->n_ipam_pool_names, "svc");
		}
		char ra[20], rb[20], rc[20];
		snprintf(ra, sizeof(ra), "%s/p", a);
		snprintf(rb, sizeof(rb), "%s/p", b);
		snprintf(rc, sizeof(rc), "%s/p", c);
		mb_conn(s, SFC_CONN_L2MP, SFC_METHOD_UNSET, "mesh", ra, rb, rc, NULL);
	}
	struct sfc_render_out out;
	render(m, NULL, &out);
	status_up(&out, SFC_OBJ_SERVICE, "s1");
	status_up(&out, SFC_OBJ_SERVICE, "s2");
	/* system: one sequence for all (2.. as .1 is static); node: per node from 5; service:
	 * per service from 1 */
	has(&out, K("p1a", "vpp/v2/interfaces/p"),
	    "\"ip_addresses\":[\"10.10.0.2/24\",\"10.20.0.5/24\",\"10.30.0.1/24\"]", NULL);
	has(&out, K("p1b", "vpp/v2/interfaces/p"),
	    "\"ip_addresses\":[\"10.10.0.3/24\",\"10.20.0.6/24\",\"10.30.0.2/24\"]", NULL);
	has(&out, K("p1c", "vpp/v2/interfaces/p"),
	    "\"ip_addresses\":[\"10.10.0.4/24\",\"10.20.0.5/24\",\"10.30.0.3/24\"]", NULL);
	has(&out, K("p2a", "vpp/v2/interfaces/p"),
	    "\"ip_addresses\":[\"10.10.0.5/24\",\"10.20.0.7/24\",\"10.30.0.1/24\"]", NULL);
	has(&out, K("p2c", "vpp/v2/interfaces/p"), "\"10.20.0.6/24\"", NULL);
	sfc_render_out_free(&out);
	/* a third service with a pod on n1: the node pool (5..8) is exhausted there */
	struct sfc_service *s3 = mb_svc(m, "s3");
	struct sfc_interface *i3 =
	    mb_if(mb_pod(s3, "p3a", SFC_POD_VPPCONTAINER), "p", SFC_IF_MEMIF);
	mb_strs(&i3->ipam_pool_names, &i3->n_ipam_pool_names, "node");
	mb_if(mb_pod(s3, "p3b", SFC_POD_VPPCONTAINER), "p", SFC_IF_MEMIF);
	mb_p2n(m, "p3a", "n1");
	mb_p2n(m, "p3b", "n1");
	mb_conn(s3, SFC_CONN_L2PP, SFC_METHOD_UNSET, NULL, "p3a/p", "p3b/p", NULL);
	render(m, NULL, &out);
	const struct sfc_robj_status *st = status_down(&out, SFC_OBJ_SERVICE, "s3");
	assert_non_null(strstr(st->msg[0], "no free address"));
	status_up(&out, SFC_OBJ_SERVICE, "s2");
	sfc_render_out_free(&out);
	free_model(m);
}

/* ---- failures, conflicts, determinism ---- */

static void
test_failures(void **state)
{
	(void)state;
	struct sfc_model *m = two_nodes();
	struct sfc_service *good = chain_svc(m, "good", SFC_IF_MEMIF);
	mb_conn(good, SFC_CONN_L2PP, SFC_METHOD_VSWITCH, NULL, "vnf1/port1", "vnf2/port1", NULL);
	struct sfc_service *bad = mb_svc(m, "bad");
	struct sfc_pod *p = mb_pod(bad, "zz", SFC_POD_VPPCONTAINER);
	mb_if(p, "a", SFC_IF_MEMIF);
	mb_p2n(m, "zz", "n1");
	mb_conn(bad, SFC_CONN_L2PP, SFC_METHOD_VSWITCH, NULL, "zz/a", "zz/nope", NULL);
	struct sfc_alloc *a = sfc_alloc_new();
	struct sfc_render_out out;
	render(m, a, &out);
	const struct sfc_robj_status *st = status_down(&out, SFC_OBJ_SERVICE, "bad");
	assert_non_null(strstr(st->msg[0], "connections[0]: pod interface zz/nope does not exist"));
	assert_int_equal(count_label(&out, "zz"), 0);
	status_up(&out, SFC_OBJ_SERVICE, "good");
	/* "bad" sorts first; what it allocated was given back: good's MACs start at the node's */
	size_t n_alloc = sfc_alloc_count(a);
	sfc_render_out_free(&out);
	/* a second service rendering good's interface differently: the later one is down */
	struct sfc_service *dup = mb_svc(m, "zdup");
	struct sfc_pod *dp = mb_pod(dup, "vnf1", SFC_POD_VPPCONTAINER);
	struct sfc_interface *di = mb_if(dp, "port1", SFC_IF_MEMIF);
	di->mtu = 9000;
	mb_if(dp, "port2", SFC_IF_MEMIF);
	mb_if(mb_pod(dup, "vnf2", SFC_POD_VPPCONTAINER), "port1", SFC_IF_MEMIF);
	mb_conn(dup, SFC_CONN_L2PP, SFC_METHOD_DIRECT, NULL, "vnf1/port1", "vnf1/port2", NULL);
	mb_conn(dup, SFC_CONN_L2PP, SFC_METHOD_VSWITCH, NULL, "vnf1/port1", "vnf2/port1", NULL);
	render(m, a, &out);
	st = status_down(&out, SFC_OBJ_SERVICE, "zdup");
	assert_non_null(strstr(st->msg[0], "network-service/good renders it differently"));
	status_up(&out, SFC_OBJ_SERVICE, "good");
	assert_int_equal(sfc_alloc_count(a), n_alloc);
	sfc_render_out_free(&out);
	/* values lig-agent refuses (an IPv6 address, a bad MAC) make the service down with the
	 * agent's reason */
	drop_connections(&m->services[2]); /* zdup now renders nothing and is up */
	good = &m->services[0];		   /* the array moved when services were added */
	mb_strs(&good->pods[0].interfaces[0].ip_addresses,
		&good->pods[0].interfaces[0].n_ip_addresses, "fd00::1/64");
	render(m, a, &out);
	st = status_down(&out, SFC_OBJ_SERVICE, "good");
	assert_non_null(strstr(st->msg[0], "lig-agent refuses it"));
	status_up(&out, SFC_OBJ_SERVICE, "zdup");
	sfc_render_out_free(&out);
	sfc_alloc_free(a);
	free_model(m);
}

static char *
dump(const struct sfc_render_out *out)
{
	char *t;
	assert_int_equal(sfc_render_dump(out, &t, NULL), 0);
	return t;
}

static struct sfc_model *
big_model(void)
{
	struct sfc_model *m = two_nodes();
	mb_pool(m, "sys", SFC_SCOPE_SYSTEM, "10.10.0.0/16", 0, 0);
	struct sfc_service *s = chain_svc(m, "s1", SFC_IF_MEMIF);
	for (size_t i = 0; i < s->n_pods; i++)
		mb_strs(&s->pods[i].interfaces[0].ipam_pool_names,
			&s->pods[i].interfaces[0].n_ipam_pool_names, "sys");
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, NULL, "vnf1/port2", "vnf2/port1", NULL);
	mb_conn(s, SFC_CONN_L2PP, SFC_METHOD_UNSET, "mesh", "vnf2/port2", "vnf3/port1", NULL);
	mb_conn(s, SFC_CONN_L3MP, SFC_METHOD_UNSET, "mesh", "vnf1/port1", "vnf3/port2", NULL);
	return m;
}

static void
test_determinism(void **state)
{
	(void)state;
	struct sfc_model *m = big_model();
	struct sfc_alloc *a = sfc_alloc_new();
	struct sfc_render_out o1, o2, o3, o4;
	render(m, a, &o1);
	status_up(&o1, SFC_OBJ_SERVICE, "s1");
	render(m, a, &o2);
	char *d1 = dump(&o1), *d2 = dump(&o2);
	assert_string_equal(d1, d2);
	/* through the allocator's JSON: a restarted lig-sfc renders the same */
	char *j1, *j2;
	assert_int_equal(sfc_alloc_to_json(a, &j1, NULL), 0);
	struct sfc_alloc *b;
	struct sfc_errors err = {0};
	assert_int_equal(sfc_alloc_from_json(j1, strlen(j1), &b, &err), 0);
	assert_int_equal(sfc_alloc_to_json(b, &j2, NULL), 0);
	assert_string_equal(j1, j2);
	render(m, b, &o3);
	char *d3 = dump(&o3);
	assert_string_equal(d1, d3);
	/* a new service whose name sorts first moves nothing: every key of before is there with
	 * the same value */
	struct sfc_service *s0 = mb_svc(m, "a-first");
	struct sfc_pod *p = mb_pod(s0, "new1", SFC_POD_VPPCONTAINER);
	struct sfc_interface *ni = mb_if(p, "p", SFC_IF_MEMIF);
	mb_strs(&ni->ipam_pool_names, &ni->n_ipam_pool_names, "sys");
	mb_if(mb_pod(s0, "new2", SFC_POD_VPPCONTAINER), "p", SFC_IF_MEMIF);
	mb_p2n(m, "new1", "n2");
	mb_p2n(m, "new2", "n1");
	mb_conn(s0, SFC_CONN_L2PP, SFC_METHOD_UNSET, "mesh", "new1/p", "new2/p", NULL);
	render(m, b, &o4);
	status_up(&o4, SFC_OBJ_SERVICE, "a-first");
	for (size_t i = 0; i < o1.n_kv; i++) {
		const struct sfc_rkv *kv = sfc_render_find(&o4, o1.kv[i].key);
		assert_non_null(kv);
		if (strstr(kv->key, "bridge-domain") == NULL)
			assert_string_equal(kv->value, o1.kv[i].value);
	}
	assert_true(o4.n_kv > o1.n_kv);
	/* document order does not matter: services reversed render the same */
	struct sfc_service tmp = m->services[0];
	m->services[0] = m->services[1];
	m->services[1] = tmp;
	struct sfc_render_out o5;
	render(m, b, &o5);
	char *d4 = dump(&o4), *d5 = dump(&o5);
	assert_string_equal(d4, d5);
	/* deleting the new service removes exactly its keys and releases its allocations */
	tmp = m->services[0];
	m->services[0] = m->services[1];
	m->services[1] = tmp;
	struct sfc_model gone = {0};
	gone.services = calloc(1, sizeof(*gone.services));
	assert_non_null(gone.services);
	gone.services[0] = m->services[1];
	gone.n_services = 1;
	m->n_services = 1;
	sfc_model_free(&gone);
	size_t before = sfc_alloc_count(b);
	struct sfc_render_out o6;
	render(m, b, &o6);
	char *d6 = dump(&o6);
	assert_string_equal(d1, d6);
	assert_true(sfc_alloc_count(b) < before);
	free(d1);
	free(d2);
	free(d3);
	free(d4);
	free(d5);
	free(d6);
	free(j1);
	free(j2);
	sfc_render_out_free(&o1);
	sfc_render_out_free(&o2);
	sfc_render_out_free(&o3);
	sfc_render_out_free(&o4);
	sfc_render_out_free(&o5);
	sfc_render_out_free(&o6);
	sfc_alloc_free(a);
	sfc_alloc_free(b);
	free_model(m);
}

static void
test_alloc_json_hostile(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"version\":2,\"allocations\":[]}",
	    "{\"version\":1}",
	    "{\"version\":1,\"allocations\":{}}",
	    "{\"version\":1,\"allocations\":[1]}",
	    "{\"version\":1,\"next_mac\":-1,\"allocations\":[]}",
	    "{\"version\":1,\"next_mac\":1,\"allocations\":[{\"kind\":\"mac\",\"key\":\"a/b\","
	    "\"owner\":\"x\",\"value\":2}]}",
	    "{\"version\":1,\"next_mac\":2,\"allocations\":[{\"kind\":\"mac\",\"key\":\"a/b\","
	    "\"owner\":\"x\",\"value\":1},{\"kind\":\"mac\",\"key\":\"a/b\",\"owner\":\"x\","
	    "\"value\":2}]}",
	    "{\"version\":1,\"allocations\":[{\"kind\":\"vni\",\"key\":\"o/s/c\",\"owner\":\"x\","
	    "\"value\":5}]}",
	    "{\"version\":1,\"allocations\":[{\"kind\":\"vni\",\"key\":\"o/s/c\",\"scope\":\"o\","
	    "\"owner\":\"x\",\"value\":5},{\"kind\":\"vni\",\"key\":\"o/s/d\",\"scope\":\"o\","
	    "\"owner\":\"x\",\"value\":5}]}",
	    "{\"version\":1,\"allocations\":[{\"kind\":\"what\",\"key\":\"k\",\"owner\":\"x\","
	    "\"value\":5}]}",
	    "{\"version\":1,\"version\":1,\"allocations\":[]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sfc_alloc *a = (struct sfc_alloc *)1;
		struct sfc_errors err = {0};
		assert_int_equal(sfc_alloc_from_json(bad[i], strlen(bad[i]), &a, &err), -EINVAL);
		assert_null(a);
		assert_true(err.n >= 1);
		sfc_errors_free(&err);
	}
	const char *ok = "{\"version\":1,\"next_mac\":3,\"allocations\":[{\"kind\":\"mac\","
			 "\"key\":\"p/i\",\"owner\":\"network-service/s\",\"value\":3}]}";
	struct sfc_alloc *a;
	struct sfc_errors err = {0};
	assert_int_equal(sfc_alloc_from_json(ok, strlen(ok), &a, &err), 0);
	assert_int_equal(sfc_alloc_count(a), 1);
	sfc_alloc_free(a);
}

/* ---- sfc-controller's topology files, through lig-sfc's parser ---- */

static char *
mirror_file(const char *path, size_t *size)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "git -C %s show HEAD:%s 2>/dev/null", SFC_MIRROR, path);
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		if (!r)
			break;
		n += r;
	}
	int st = pclose(f);
	if (st != 0 || !n) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*size = n;
	return buf;
}

static void
test_topologies(void **state)
{
	(void)state;
	static const char *const files[] = {"topologies/vxlanmesh/l2pp/vxlanl2pp.yaml",
					    "topologies/vxlanmesh/l2mp/vxlanl2mp.yaml",
					    "yaml/contiv_ligato_demo.yaml"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t size;
		char *buf = mirror_file(files[i], &size);
		if (!buf) {
			/* outside the project's environment the mirror is absent */
			fprintf(stderr, "SKIP %s: no sfc-controller mirror at %s\n", files[i],
				SFC_MIRROR);
			continue;
		}
		struct sfc_model m = {0};
		struct sfc_errors err = {0};
		int rc = sfc_model_parse_yaml(buf, size, files[i], &m, &err);
		if (rc) {
			char msg[2048];
			fail_msg("%s: %s", files[i], sfc_errors_join(&err, msg, sizeof(msg)));
		}
		/* their ethernet interfaces are VPP names (GigabitEthernet0/8/1): point
		 * host_port_label at a Linux name, the adaptation docs/sfc.md describes */
		for (size_t n = 0; n < m.n_nodes; n++)
			for (size_t j = 0; j < m.nodes[n].n_interfaces; j++)
				if (m.nodes[n].interfaces[j].if_type == SFC_IF_ETHERNET &&
				    !m.nodes[n].interfaces[j].host_port_label)
					m.nodes[n].interfaces[j].host_port_label = mb_str("eth0");
		struct sfc_render_out out;
		render(&m, NULL, &out);
		for (size_t s = 0; s < out.n_status; s++) {
			if (out.status[s].oper != SFC_OPER_UP)
				fail_msg("%s: %s down: %s", files[i], out.status[s].name,
					 out.status[s].msg[0]);
		}
		fprintf(stderr, "%s: %zu keys, %zu objects\n", files[i], out.n_kv, out.n_status);
		for (size_t s = 0; s < out.n_status; s++)
			for (size_t k = 0; k < out.status[s].n_msg; k++)
				fprintf(stderr, "  %s: %s\n", out.status[s].name,
					out.status[s].msg[k]);
		assert_true(out.n_kv >= 10); /* 3 nodes, 3 pods, their vswitch sides... */
		sfc_render_out_free(&out);
		sfc_model_free(&m);
		sfc_errors_free(&err);
		free(buf);
	}
}

/* lig-sfc's own two-node chain file (sfc/tests/data/chain2.yaml) through its parser and
 * validator: the keys the integration test's world relies on. */
static void
test_chain_file(void **state)
{
	(void)state;
	FILE *f = fopen(SFC_TEST_DATA "/chain2.yaml", "r");
	assert_non_null(f);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	struct sfc_model m = {0};
	struct sfc_errors err = {0};
	assert_int_equal(sfc_model_parse_yaml(buf, n, "chain2.yaml", &m, &err), 0);
	assert_int_equal(sfc_model_validate(&m, &err), 0);
	struct sfc_render_out out;
	render(&m, NULL, &out);
	for (size_t s = 0; s < out.n_status; s++)
		assert_int_equal(out.status[s].oper, SFC_OPER_UP);
	/* podA's veth into node1's vswitch, cross-connected with vnf1's memif */
	has(&out, K("node1", "vpp/l2/v2/xconnect/IF_AFPIF_VSWITCH_podA_eth1"),
	    "\"transmit_interface\":\"IF_MEMIF_VSWITCH_vnf1_port1\"", NULL);
	/* vnf1 -> vnf2 direct: vnf2 is the master of memif_vnf2.sock */
	has(&out, K("vnf2", "vpp/v2/interfaces/port1"), "\"master\":true",
	    "\"socket_filename\":\"/run/lig-sfc/memif_vnf2.sock\"", NULL);
	has(&out, K("vnf1", "vpp/v2/interfaces/port2"), "\"ring_size\":1024",
	    "\"buffer_size\":2048", NULL);
	/* the mesh: node1's underlay route to node2's loopback */
	has(&out, K("node1", "vpp/v2/route/if/underlay0/vrf/0/dst/10.200.0.2/32/gw/192.168.50.2"),
	    NULL);
	/* node2's bridge: vnf3's second port and podB's tap (named, not empty) */
	has(&out, K("node2", "vpp/l2/v2/bridge-domain/L2BD_node2_bd-node2"),
	    "{\"name\":\"IF_MEMIF_VSWITCH_vnf3_port2\"},{\"name\":\"IF_TAP_VSWITCH_podB_eth1\"}",
	    NULL);
	has(&out, K("node2", "vpp/v2/interfaces/IF_MEMIF_VSWITCH_vnf3_port2"),
	    "\"rx_modes\":[{\"mode\":\"INTERRUPT\",\"default_mode\":true}]", NULL);
	has(&out, K("node2", "linux/l3/v2/route/10.20.0.0/16/IF_TAP_VNF_podB_eth1"),
	    "\"gw_addr\":\"10.10.0.1\"", NULL);
	/* the tap ring size is a warning, not silence */
	const struct sfc_robj_status *st = sfc_render_status(&out, SFC_OBJ_SERVICE, "chain");
	assert_true(st->n_msg == 2 && strstr(st->msg[1], "rx_ring_size"));
	sfc_render_out_free(&out);
	sfc_model_free(&m);
	sfc_errors_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_node),
	    cmocka_unit_test(test_l2pp_direct),
	    cmocka_unit_test(test_l2pp_vswitch),
	    cmocka_unit_test(test_l2pp_mesh),
	    cmocka_unit_test(test_l2pp_veth_tap),
	    cmocka_unit_test(test_l3pp),
	    cmocka_unit_test(test_l2mp_mesh_node_bd),
	    cmocka_unit_test(test_l2mp_same_node_and_pod),
	    cmocka_unit_test(test_l2mp_hub_and_spoke),
	    cmocka_unit_test(test_l3mp),
	    cmocka_unit_test(test_ipam_scopes),
	    cmocka_unit_test(test_failures),
	    cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_alloc_json_hostile),
	    cmocka_unit_test(test_topologies),
	    cmocka_unit_test(test_chain_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

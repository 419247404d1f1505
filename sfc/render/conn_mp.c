/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: multipoint connections, l2mp and l3mp (sfc-controller's
 * networkservice_l2mp.go, networkservice_l3mp.go, the mp halves of
 * networknodeoverlay_vxlanmesh.go and networknodeoverlay_vxlanhubandspoke.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const struct sfc_overlay *conn_overlay(struct rctx *c, bool required);

/* All interfaces are ports of one pod: a bridge domain inside that pod. */
static int
mp_same_pod(struct rctx *c, struct conn_ends *ce)
{
	if (!str_empty(c->conn->use_node_l2bd))
		return rerr(c,
			    "use_node_l2bd %s: the interfaces are all of pod %s, whose bridge "
			    "cannot be a node's",
			    c->conn->use_node_l2bd, ce->e[0]->parent);
	const struct sfc_bd_parms *parms =
	    bd_parms_of(c, c->conn->has_l2bd ? &c->conn->l2bd : NULL);
	if (!parms)
		return -1;
	char name[LIG_MODEL_NAME_MAX + 1];
	rname(name, sizeof(name), "BD_%s_CONN_%u", c->svc->meta.name, c->conn_no);
	struct pbd *bd = emit_bd(c, ce->e[0]->parent, name, parms);
	if (!bd)
		return -1;
	for (size_t i = 0; i < ce->n; i++)
		if (bd_member(c, bd, ce->e[i]->ifc->name, false, 0) < 0)
			return -1;
	return 0;
}

/* The full mesh of tunnels between the nodes; l3: each node gets a route to every remote
 * address through the tunnel to its node. */
static int
mp_mesh(struct rctx *c, const struct sfc_overlay *ov, struct conn_ends *ce, const char **nodes,
	size_t n_nodes, uint32_t vrf, bool l3, struct node_bds *b)
{
	uint32_t vni;
	if (overlay_vni(c, ov, &vni) < 0)
		return -1;
	for (size_t f = 0; f < n_nodes; f++) {
		for (size_t t = 0; t < n_nodes; t++) {
			if (f == t)
				continue;
			char name[LIG_MODEL_NAME_MAX + 1], fa[16], ta[16];
			rname(name, sizeof(name),
			      "IF_VXLAN_MESH_NET_SRVC_%s_CONN_%u_FROM_%s_TO_%s_VNI_%u",
			      c->svc->meta.name, c->conn_no, nodes[f], nodes[t], vni);
			if (vxlan_address(c, &ov->mesh, nodes[f], fa, sizeof(fa)) < 0 ||
			    vxlan_address(c, &ov->mesh, nodes[t], ta, sizeof(ta)) < 0)
				return -1;
			if (vrf && emit_vrf_table(c, nodes[f], vrf) < 0)
				return -1;
			struct vif v = {.name = name,
					.type = "VXLAN_TUNNEL",
					.enabled = true,
					.vrf = vrf,
					.src = fa,
					.dst = ta,
					.vni = vni};
			if (emit_vpp_if(c, nodes[f], &v) < 0 ||
			    vxlan_loopback_and_routes(c, &ov->mesh, nodes[f], nodes[t], vrf, fa,
						      ta) < 0)
				return -1;
			for (size_t i = 0; l3 && i < ce->n; i++) {
				const char *ip = first_ip(ce->e[i]);
				if (ip && !strcmp(ce->e[i]->node, nodes[t]) &&
				    emit_host_route(c, nodes[f], vrf, ip, name) < 0)
					return -1;
			}
			if (nbd_add(c, b, nodes[f], name, 1) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < n_nodes; i++)
		if (render_l2bd(c, nodes[i], b) < 0)
			return -1;
	return 0;
}

static int
mp(struct rctx *c, bool l3)
{
	struct conn_ends ce;
	struct node_bds b = {0};
	const char **nodes = NULL;
	size_t n_nodes = 0;
	int rc = -1;
	if (collect_ends(c, false, &ce) < 0)
		goto out;
	const struct sfc_overlay *ov = conn_overlay(c, false);
	if (!ov && !str_empty(c->conn->network_node_overlay_name))
		goto out;
	if (!l3) {
		bool same_pod = !ce.static_nodes && !c->conn->n_node_interface_labels;
		for (size_t i = 1; same_pod && i < ce.n; i++)
			same_pod = !strcmp(ce.e[i]->parent, ce.e[0]->parent);
		if (same_pod) {
			rc = mp_same_pod(c, &ce);
			goto out;
		}
	}
	if (ends_nodes(c, &ce, &nodes, &n_nodes) < 0)
		goto out;
	if (n_nodes > 1 && ce.static_nodes) {
		rerr(c, "node interfaces of different nodes cannot be connected");
		goto out;
	}
	if (n_nodes > 1 && !ov) {
		conn_overlay(c, true);
		goto out;
	}
	uint32_t vrf = 0;
	if (l3 && conn_vrf(c, &vrf) < 0)
		goto out;
	for (size_t i = 0; i < ce.n; i++) {
		struct rend *e = ce.e[i];
		char vsw[LIG_MODEL_NAME_MAX + 1];
		if (render_if_pair(c, e, vrf, vsw, sizeof(vsw)) < 0 ||
		    nbd_add(c, &b, e->node, vsw, 0) < 0)
			goto out;
		const char *ip = first_ip(e);
		if (l3 && ip) {
			/* sfc-controller routes to local addresses only when all are on one node
			 * (the inter-node case had the route commented out); both get the ARP */
			if (n_nodes == 1 && emit_host_route(c, e->node, vrf, ip, vsw) < 0)
				goto out;
			if (emit_arp(c, e->node, vsw, ip, e->mac) < 0)
				goto out;
		}
	}
	if (ov && ov->service_mesh_type == SFC_MESH_HUB_AND_SPOKE) {
		rc = render_hub_and_spoke(c, ov, nodes, n_nodes, &b);
		goto out;
	}
	if (n_nodes == 1) {
		/* l3mp on one node: routes and ARPs only, no bridge (as sfc-controller) */
		rc = l3 ? 0 : render_l2bd(c, nodes[0], &b);
		goto out;
	}
	rc = mp_mesh(c, ov, &ce, nodes, n_nodes, vrf, l3, &b);
out:
	free(nodes);
	nbd_free(&b);
	conn_ends_free(&ce);
	return rc;
}

int
render_l2mp(struct rctx *c)
{
	return mp(c, false);
}

int
render_l3mp(struct rctx *c)
{
	return mp(c, true);
}

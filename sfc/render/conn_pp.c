/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: point-to-point connections, l2pp and l3pp (sfc-controller's
 * networkservice_l2pp.go, networkservice_l3pp.go and the l2pp/l3pp halves of
 * networknodeoverlay_vxlanmesh.go). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

int
conn_vrf(struct rctx *c, uint32_t *vrf)
{
	if (c->conn->vrf_id) {
		*vrf = c->conn->vrf_id;
		return 0;
	}
	char key[2 * SFC_NAME_MAX + 24];
	snprintf(key, sizeof(key), "%s/%s", c->svc->meta.name, c->conn_id);
	if (alloc_counter(c->a, AK_VRF, key, c->owner, c->m->sys.min_vrf_id, vrf) < 0)
		return rerr(c, "no VRF id left");
	return 0;
}

static const struct sfc_overlay *
find_overlay(struct rctx *c, const char *name)
{
	for (size_t i = 0; name && i < c->m->n_overlays; i++)
		if (!str_cmp(c->m->overlays[i].meta.name, name))
			return &c->m->overlays[i];
	return NULL;
}

const struct sfc_overlay *
conn_overlay(struct rctx *c, bool required)
{
	const char *name = c->conn->network_node_overlay_name;
	if (str_empty(name)) {
		if (required)
			rerr(c, "the interfaces are on different nodes and no "
				"network_node_overlay_name is given");
		return NULL;
	}
	const struct sfc_overlay *ov = find_overlay(c, name);
	if (!ov)
		rerr(c, "network node overlay %s does not exist", name);
	else if (ov->connection_type != SFC_OVERLAY_CONN_VXLAN)
		rerr(c, "network node overlay %s: connection_type must be vxlan", name);
	else if (ov->service_mesh_type != SFC_MESH_MESH &&
		 ov->service_mesh_type != SFC_MESH_HUB_AND_SPOKE)
		rerr(c, "network node overlay %s: service_mesh_type must be mesh or hub_and_spoke",
		     name);
	else
		return ov;
	return NULL;
}

/* Both ends on one node: a direct memif pair, or both into the vswitch, cross-connected. */
static int
pp_same_node(struct rctx *c, struct rend *e0, struct rend *e1)
{
	if (e0->ifc->if_type == SFC_IF_MEMIF && e1->ifc->if_type == SFC_IF_MEMIF &&
	    c->conn->conn_method != SFC_METHOD_VSWITCH)
		return render_direct_memif_pair(c, e0, e1);
	char v0[LIG_MODEL_NAME_MAX + 1], v1[LIG_MODEL_NAME_MAX + 1];
	if (render_if_pair(c, e0, 0, v0, sizeof(v0)) < 0 ||
	    render_if_pair(c, e1, 0, v1, sizeof(v1)) < 0)
		return -1;
	return emit_xconnect_pair(c, e0->node, v0, v1);
}

/* The tunnel of end i of a point-to-point connection across a mesh. */
static int
pp_tunnel(struct rctx *c, const struct sfc_overlay *ov, struct rend **e, int i, uint32_t vni,
	  uint32_t vrf, char *name, size_t size, char *fa, char *ta)
{
	struct rend *f = e[i], *t = e[i ^ 1];
	rname(name, size, "IF_VXLAN_L2PP_NET_SRVC_%s_CONN_%u_FROM_%s_%s_%s_TO_%s_%s_%s_VNI_%u",
	      c->svc->meta.name, c->conn_no, f->node, f->parent, f->ifc->name, t->node, t->parent,
	      t->ifc->name, vni);
	if (vxlan_address(c, &ov->mesh, f->node, fa, 16) < 0 ||
	    vxlan_address(c, &ov->mesh, t->node, ta, 16) < 0)
		return -1;
	if (vrf && emit_vrf_table(c, f->node, vrf) < 0)
		return -1;
	struct vif v = {.name = name,
			.type = "VXLAN_TUNNEL",
			.enabled = true,
			.vrf = vrf,
			.src = fa,
			.dst = ta,
			.vni = vni};
	if (emit_vpp_if(c, f->node, &v) < 0)
		return -1;
	return vxlan_loopback_and_routes(c, &ov->mesh, f->node, t->node, vrf, fa, ta);
}

static int
pp(struct rctx *c, bool l3)
{
	struct conn_ends ce;
	int rc = -1;
	if (collect_ends(c, true, &ce) < 0)
		goto out;
	struct rend *e0 = ce.e[0], *e1 = ce.e[1];
	if (!strcmp(e0->node, e1->node)) {
		/* sfc-controller's "hack": two ports of one pod cross-connected inside it */
		if (!l3 && !strcmp(e0->parent, e1->parent) && str_cmp(e0->ifc->name, e1->ifc->name))
			rc = emit_xconnect_pair(c, e0->parent, e0->ifc->name, e1->ifc->name);
		else
			rc = pp_same_node(c, e0, e1);
		goto out;
	}
	if (ce.static_nodes) {
		rerr(c, "node interfaces of different nodes (%s, %s) cannot be connected", e0->node,
		     e1->node);
		goto out;
	}
	const struct sfc_overlay *ov = conn_overlay(c, true);
	if (!ov)
		goto out;
	if (ov->service_mesh_type != SFC_MESH_MESH) {
		rerr(c, "network node overlay %s: hub_and_spoke is not supported for %s",
		     ov->meta.name, l3 ? "l3pp" : "l2pp");
		goto out;
	}
	uint32_t vrf = 0, vni;
	if ((l3 && conn_vrf(c, &vrf) < 0) || overlay_vni(c, ov, &vni) < 0)
		goto out;
	char vsw[2][LIG_MODEL_NAME_MAX + 1], tun[2][LIG_MODEL_NAME_MAX + 1];
	for (int i = 0; i < 2; i++) {
		if (render_if_pair(c, ce.e[i], vrf, vsw[i], sizeof(vsw[i])) < 0)
			goto out;
		const char *ip = first_ip(ce.e[i]);
		if (l3 && ip && emit_host_route(c, ce.e[i]->node, vrf, ip, vsw[i]) < 0)
			goto out;
	}
	for (int i = 0; i < 2; i++) {
		char fa[16], ta[16];
		if (pp_tunnel(c, ov, ce.e, i, vni, vrf, tun[i], sizeof(tun[i]), fa, ta) < 0)
			goto out;
		if (l3) {
			/* the other end's address through this end's tunnel */
			const char *ip = first_ip(ce.e[i ^ 1]);
			if (ip && emit_host_route(c, ce.e[i]->node, vrf, ip, tun[i]) < 0)
				goto out;
		} else if (emit_xconnect_pair(c, ce.e[i]->node, vsw[i], tun[i]) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	conn_ends_free(&ce);
	return rc;
}

int
render_l2pp(struct rctx *c)
{
	return pp(c, false);
}

int
render_l3pp(struct rctx *c)
{
	return pp(c, true);
}

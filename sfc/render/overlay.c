/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: node overlays (sfc-controller's networknodeoverlay*.go): VXLAN endpoint
 * addresses (a loopback IPAM pool, else the node's vxlan_tunnel interface, else its labelled
 * ethernet interface), the endpoint loopback and the static routes between endpoints, VNIs
 * from a mesh's range, per-node bridge domains, and hub and spoke. Mesh tunnels are rendered
 * by the connection files (conn_*.c), as sfc-controller does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
vxlan_address(struct rctx *c, const struct sfc_vxlan_parms *p, const char *node, char *buf,
	      size_t size)
{
	const struct sfc_node *n = find_node(c, node);
	uint32_t a;
	if (!n)
		return rerr(c, "overlay: node %s does not exist", node);
	if (str_empty(p->loopback_ipam_pool_name)) {
		for (size_t i = 0; i < n->n_interfaces; i++) {
			const struct sfc_interface *ifc = &n->interfaces[i];
			if (ifc->if_type != SFC_IF_VXLAN)
				continue;
			for (size_t j = 0; j < ifc->n_ip_addresses; j++) {
				if (ip4_parse_any(ifc->ip_addresses[j], &a, NULL) == 0) {
					ip4_fmt(buf, size, a);
					return 0;
				}
			}
		}
		if (!str_empty(p->network_node_interface_label)) {
			const struct sfc_interface *found = NULL;
			size_t k = 0;
			for (size_t i = 0; i < n->n_interfaces; i++)
				if (has_label(&n->interfaces[i], p->network_node_interface_label)) {
					found = &n->interfaces[i];
					k++;
				}
			if (k != 1)
				return rerr(c,
					    "overlay: node %s: exactly one interface must have the "
					    "label %s (%zu do)",
					    node, p->network_node_interface_label, k);
			if (found->if_type != SFC_IF_ETHERNET || found->n_ip_addresses != 1 ||
			    ip4_parse_any(found->ip_addresses[0], &a, NULL) < 0)
				return rerr(c,
					    "overlay: node %s: interface %s with label %s must be "
					    "an ethernet interface with one IPv4 address",
					    node, found->name, p->network_node_interface_label);
			ip4_fmt(buf, size, a);
			return 0;
		}
		return rerr(c,
			    "overlay: no vxlan address for node %s (no loopback_ipam_pool_name, "
			    "no vxlan_tunnel interface with an address, no "
			    "network_node_interface_label)",
			    node);
	}
	const struct sfc_ipam_pool *pool = NULL;
	for (size_t j = 0; j < c->m->n_ipam_pools; j++)
		if (!str_cmp(c->m->ipam_pools[j].meta.name, p->loopback_ipam_pool_name))
			pool = &c->m->ipam_pools[j];
	if (!pool)
		return rerr(c, "overlay: loopback ipam pool %s does not exist",
			    p->loopback_ipam_pool_name);
	/* one endpoint address per node and pool, whatever the pool's scope (sfc-controller
	 * keeps one per node); owned by the node so every service over it shares it */
	char key[2 * SFC_NAME_MAX + 8], owner[SFC_NAME_MAX + 16], ip[40];
	snprintf(key, sizeof(key), "%s/%s", p->loopback_ipam_pool_name, node);
	snprintf(owner, sizeof(owner), "network-node/%s", node);
	if (pool_address(c, pool, node, AK_VXADDR, key, owner, ip, sizeof(ip)) < 0)
		return -1;
	if (ip4_parse_any(ip, &a, NULL) < 0)
		return rerr(c, "overlay: bad address %s", ip);
	ip4_fmt(buf, size, a);
	return 0;
}

int
vxlan_loopback_and_routes(struct rctx *c, const struct sfc_vxlan_parms *p, const char *from,
			  const char *to, uint32_t vrf, const char *from_addr, const char *to_addr)
{
	const struct sfc_node *n1 = find_node(c, from), *n2 = find_node(c, to);
	if (!n1 || !n2)
		return rerr(c, "overlay: node %s or %s does not exist", from, to);
	if (p->create_loopback_interface) {
		char name[LIG_MODEL_NAME_MAX + 1], ip[40];
		char *ips[1] = {ip};
		rname(name, sizeof(name), "IF_VXLAN_LOOPBACK_%s", from);
		snprintf(ip, sizeof(ip), "%s/32", from_addr);
		struct vif v = {.name = name,
				.type = "SOFTWARE_LOOPBACK",
				.enabled = true,
				.ips = ips,
				.n_ips = 1,
				.mtu = sys_mtu(c, 0)};
		if (emit_vpp_if(c, from, &v) < 0)
			return -1;
	}
	if (!p->create_loopback_static_routes)
		return 0;
	const char *lbl = p->network_node_interface_label;
	for (size_t i = 0; i < n1->n_interfaces; i++) {
		const struct sfc_interface *i1 = &n1->interfaces[i];
		if (i1->if_type != SFC_IF_ETHERNET ||
		    !(has_label(i1, lbl) || n1->n_interfaces == 1))
			continue;
		for (size_t j = 0; j < n2->n_interfaces; j++) {
			const struct sfc_interface *i2 = &n2->interfaces[j];
			if (i2->if_type != SFC_IF_ETHERNET ||
			    !(has_label(i2, lbl) || n2->n_interfaces == 1))
				continue;
			if (!i2->n_ip_addresses)
				return rerr(c,
					    "overlay: route from %s to %s: interface %s/%s has no "
					    "address to be the next hop",
					    from, to, to, i2->name);
			char dst[40];
			snprintf(dst, sizeof(dst), "%s/32", to_addr);
			if (emit_route(c, from, vrf, dst, i2->ip_addresses[0], i1->name,
				       sys_route_weight(c)) < 0)
				return -1;
		}
	}
	return 0;
}

int
overlay_vni(struct rctx *c, const struct sfc_overlay *ov, uint32_t *vni)
{
	const struct sfc_vxlan_parms *p = &ov->mesh;
	if (!ov->has_mesh)
		return rerr(c, "overlay %s: no vxlan_mesh_parms", ov->meta.name);
	if (!p->vni_range_start || p->vni_range_start > p->vni_range_end ||
	    p->vni_range_end > 0xffffff)
		return rerr(c, "overlay %s: vni range %u..%u invalid", ov->meta.name,
			    p->vni_range_start, p->vni_range_end);
	char key[3 * SFC_NAME_MAX + 32];
	snprintf(key, sizeof(key), "%s/%s/%s", ov->meta.name, c->svc->meta.name, c->conn_id);
	int rc = alloc_ranged(c->a, AK_VNI, key, ov->meta.name, c->owner, p->vni_range_start,
			      p->vni_range_end, NULL, NULL, vni);
	if (rc == -ENOSPC)
		return rerr(c, "overlay %s: out of vni's (%u..%u)", ov->meta.name,
			    p->vni_range_start, p->vni_range_end);
	if (rc < 0) {
		c->oom = true;
		return -1;
	}
	return 0;
}

int
nbd_add(struct rctx *c, struct node_bds *b, const char *node, const char *ifname, uint32_t shg)
{
	size_t i;
	for (i = 0; i < b->n; i++)
		if (!strcmp(b->node[i], node))
			break;
	if (i == b->n) {
		const char **nn = realloc(b->node, (b->n + 1) * sizeof(*nn));
		if (nn)
			b->node = nn;
		struct pbd_if **ni = realloc(b->ifs, (b->n + 1) * sizeof(*ni));
		if (ni)
			b->ifs = ni;
		size_t *nc = realloc(b->n_ifs, (b->n + 1) * sizeof(*nc));
		if (nc)
			b->n_ifs = nc;
		if (!nn || !ni || !nc) {
			c->oom = true;
			return -1;
		}
		b->node[i] = node;
		b->ifs[i] = NULL;
		b->n_ifs[i] = 0;
		b->n++;
	}
	struct pbd_if *v = realloc(b->ifs[i], (b->n_ifs[i] + 1) * sizeof(*v));
	if (!v) {
		c->oom = true;
		return -1;
	}
	b->ifs[i] = v;
	v[b->n_ifs[i]].name = strdup(ifname);
	v[b->n_ifs[i]].bvi = false;
	v[b->n_ifs[i]].shg = shg;
	if (!v[b->n_ifs[i]].name) {
		c->oom = true;
		return -1;
	}
	b->n_ifs[i]++;
	return 0;
}

void
nbd_free(struct node_bds *b)
{
	for (size_t i = 0; i < b->n; i++) {
		for (size_t j = 0; j < b->n_ifs[i]; j++)
			free(b->ifs[i][j].name);
		free(b->ifs[i]);
	}
	free(b->node);
	free(b->ifs);
	free(b->n_ifs);
	memset(b, 0, sizeof(*b));
}

int
render_l2bd(struct rctx *c, const char *node, const struct node_bds *b)
{
	const struct sfc_connection *conn = c->conn;
	const struct sfc_bd_parms *parms;
	char name[LIG_MODEL_NAME_MAX + 1];
	if (!str_empty(conn->use_node_l2bd)) {
		const struct sfc_node *n = find_node(c, node);
		const struct sfc_l2bd *bd = NULL;
		for (size_t i = 0; n && i < n->n_l2bds; i++)
			if (!str_cmp(n->l2bds[i].name, conn->use_node_l2bd))
				bd = &n->l2bds[i];
		if (!bd)
			return rerr(c, "node %s has no l2bd %s (use_node_l2bd)", node,
				    conn->use_node_l2bd);
		if (!(parms = bd_parms_of(c, bd)))
			return -1;
		rname(name, sizeof(name), "L2BD_%s_%s", node, bd->name);
	} else {
		if (!(parms = bd_parms_of(c, conn->has_l2bd ? &conn->l2bd : NULL)))
			return -1;
		rname(name, sizeof(name), "BD_%s_CONN_%u", c->svc->meta.name, c->conn_no);
	}
	struct pbd *bd = emit_bd(c, node, name, parms);
	if (!bd)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->node[i], node))
			continue;
		for (size_t j = 0; j < b->n_ifs[i]; j++)
			if (bd_member(c, bd, b->ifs[i][j].name, false, b->ifs[i][j].shg) < 0)
				return -1;
	}
	return 0;
}

int
render_hub_and_spoke(struct rctx *c, const struct sfc_overlay *ov, const char **spokes,
		     size_t n_spokes, struct node_bds *b)
{
	const struct sfc_vxlan_parms *p = &ov->hub_and_spoke;
	if (!ov->has_hub_and_spoke)
		return rerr(c, "overlay %s: no vxlan_hub_and_spoke_parms", ov->meta.name);
	const struct sfc_node *hubn = find_node(c, p->hub_node_name);
	if (!hubn)
		return rerr(c, "overlay %s: hub node %s does not exist", ov->meta.name,
			    p->hub_node_name ? p->hub_node_name : "");
	const char *hub = hubn->meta.name;
	if (!p->vni || p->vni > 0xffffff)
		return rerr(c, "overlay %s: vni %u invalid", ov->meta.name, p->vni);
	for (size_t s = 0; s < n_spokes; s++) {
		if (!strcmp(spokes[s], hub))
			return rerr(c, "overlay %s: hub node %s is also a spoke", ov->meta.name,
				    hub);
		for (int i = 0; i < 2; i++) {
			const char *from = i ? spokes[s] : hub, *to = i ? hub : spokes[s];
			char name[LIG_MODEL_NAME_MAX + 1], fa[16], ta[16];
			if (i == 0)
				rname(name, sizeof(name),
				      "IF_VXLAN_NET_SRVC_%s_CONN_%u_FROM_HUB_%s_TO_SPOKE_%s_VNI_%u",
				      c->svc->meta.name, c->conn_no, from, to, p->vni);
			else
				rname(name, sizeof(name),
				      "IF_VXLAN_NET_SRVC_%s_CONN_%u_FROM_SPOKE_%s_TO_HUB_%s_VNI_%u",
				      c->svc->meta.name, c->conn_no, from, to, p->vni);
			if (vxlan_address(c, p, from, fa, sizeof(fa)) < 0 ||
			    vxlan_address(c, p, to, ta, sizeof(ta)) < 0)
				return -1;
			struct vif v = {.name = name,
					.type = "VXLAN_TUNNEL",
					.enabled = true,
					.src = fa,
					.dst = ta,
					.vni = p->vni};
			if (emit_vpp_if(c, from, &v) < 0 || nbd_add(c, b, from, name, 0) < 0 ||
			    vxlan_loopback_and_routes(c, p, from, to, 0, fa, ta) < 0)
				return -1;
		}
	}
	for (size_t s = 0; s < n_spokes; s++)
		if (render_l2bd(c, spokes[s], b) < 0)
			return -1;
	return render_l2bd(c, hub, b);
}

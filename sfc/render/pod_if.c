/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: the ends of a connection and the interfaces each end needs: the pod side (in the
 * pod's agent, or as a Linux interface the vswitch agent moves into the pod's namespace) and
 * the vswitch side (sfc-controller's networkservice_if.go), plus the interface's own
 * forwarding entries (fwd: routes, ARPs). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void
rend_free(struct rend *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_ips; i++)
		free(e->ips[i]);
	free(e->ips);
	free(e);
}

void
conn_ends_free(struct conn_ends *ce)
{
	for (size_t i = 0; i < ce->n; i++)
		rend_free(ce->e[i]);
	free(ce->e);
	memset(ce, 0, sizeof(*ce));
}

const char *
first_ip(const struct rend *e)
{
	return e->n_ips ? e->ips[0] : NULL;
}

static bool
not_static(void *arg, uint32_t v)
{
	const uint32_t *net = ((void **)arg)[1];
	const struct rctx *c = ((void **)arg)[0];
	uint32_t a = *net | v;
	size_t lo = 0, hi = c->n_static_ips;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->static_ips[mid] == a)
			return false;
		if (c->static_ips[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return true;
}

/* An address from pool for end e (or a VXLAN endpoint: kind AK_VXADDR, key given). */
int
pool_address(struct rctx *c, const struct sfc_ipam_pool *pool, const char *entity,
	     enum alloc_kind kind, const char *key, const char *owner, char *buf, size_t size)
{
	uint32_t net;
	uint8_t len;
	const char *pname = pool->meta.name ? pool->meta.name : "";
	if (ip4_parse_any(pool->network, &net, &len) < 0 || !strchr(pool->network, '/') || len > 30)
		return rerr(c, "ipam pool %s: network '%s' is not an IPv4 prefix of length <= 30",
			    pname, pool->network ? pool->network : "");
	uint32_t size_hosts = (uint32_t)((1ull << (32 - len)) - 1);
	uint32_t lo = pool->start_range ? pool->start_range : 1;
	uint32_t hi = pool->end_range ? pool->end_range : size_hosts - 1;
	if (lo > hi || hi > size_hosts)
		return rerr(c, "ipam pool %s: range %u..%u does not fit %s", pname, lo, hi,
			    pool->network);
	net &= ~size_hosts;
	char scope[3 * SFC_NAME_MAX + 32];
	switch (pool->scope) {
	case SFC_SCOPE_NODE:
		snprintf(scope, sizeof(scope), "%s/node/%s", pname, entity);
		break;
	case SFC_SCOPE_NETWORK_SERVICE:
		snprintf(scope, sizeof(scope), "%s/network_service/%s", pname, entity);
		break;
	default:
		snprintf(scope, sizeof(scope), "%s/system", pname);
	}
	char akey[4 * SFC_NAME_MAX + 64];
	snprintf(akey, sizeof(akey), "%s|%s", scope, key);
	void *arg[2] = {c, &net};
	uint32_t v;
	int rc = alloc_ranged(c->a, kind, kind == AK_IP ? akey : key, scope, owner, lo, hi,
			      not_static, arg, &v);
	if (rc == -ENOSPC)
		return rerr(c, "ipam pool %s (%s): no free address for %s", pname, scope, key);
	if (rc < 0) {
		c->oom = true;
		return -1;
	}
	char ip[16];
	ip4_fmt(ip, sizeof(ip), net | v);
	snprintf(buf, size, "%s/%u", ip, len);
	return 0;
}

static int
push_ip(struct rctx *c, struct rend *e, const char *ip)
{
	char **v = realloc(e->ips, (e->n_ips + 1) * sizeof(*v));
	if (!v || !(v[e->n_ips] = strdup(ip))) {
		if (v)
			e->ips = v;
		c->oom = true;
		return -1;
	}
	e->ips = v;
	e->n_ips++;
	return 0;
}

int
end_resolve(struct rctx *c, struct rend *e)
{
	if (e->resolved)
		return 0;
	const struct sfc_interface *ifc = e->ifc;
	char key[2 * SFC_NAME_MAX + 8];
	snprintf(key, sizeof(key), "%s/%s", e->parent, ifc->name ? ifc->name : "");
	if (!str_empty(ifc->mac_address)) {
		snprintf(e->mac, sizeof(e->mac), "%s", ifc->mac_address);
	} else {
		uint32_t id;
		if (alloc_counter(c->a, AK_MAC, key, c->owner, 0, &id) < 0)
			return rerr(c, "%s: no MAC address left", key);
		/* sfc-controller's formatMacAddress: 02:00 then the 32-bit id */
		snprintf(e->mac, sizeof(e->mac), "02:00:%02X:%02X:%02X:%02X", id >> 24,
			 (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff);
	}
	for (size_t i = 0; i < ifc->n_ip_addresses; i++)
		if (push_ip(c, e, ifc->ip_addresses[i]) < 0)
			return -1;
	for (size_t i = 0; i < ifc->n_ipam_pool_names; i++) {
		const char *pn = ifc->ipam_pool_names[i];
		const struct sfc_ipam_pool *pool = NULL;
		for (size_t j = 0; j < c->m->n_ipam_pools; j++)
			if (!str_cmp(c->m->ipam_pools[j].meta.name, pn))
				pool = &c->m->ipam_pools[j];
		if (!pool)
			return rerr(c, "%s: ipam pool %s does not exist", key, pn ? pn : "");
		const char *entity = pool->scope == SFC_SCOPE_NODE ? e->node
				     : c->svc			   ? c->svc->meta.name
								   : e->node;
		char ip[40];
		if (pool_address(c, pool, entity ? entity : "", AK_IP, key, c->owner, ip,
				 sizeof(ip)) < 0 ||
		    push_ip(c, e, ip) < 0)
			return -1;
	}
	e->resolved = true;
	return 0;
}

static const struct sfc_pod *
svc_pod(const struct sfc_service *s, const char *name)
{
	for (size_t i = 0; s && i < s->n_pods; i++)
		if (!str_cmp(s->pods[i].meta.name, name))
			return &s->pods[i];
	return NULL;
}

static const struct sfc_interface *
pod_if(const struct sfc_pod *p, const char *name)
{
	for (size_t i = 0; p && i < p->n_interfaces; i++)
		if (!str_cmp(p->interfaces[i].name, name))
			return &p->interfaces[i];
	return NULL;
}

static const char *
pod_node(const struct rctx *c, const char *pod)
{
	size_t i;
	if (!smap_get(&c->pod2node, pod, &i))
		return NULL;
	return c->m->pod_to_node[i].node;
}

static int
push_end(struct rctx *c, struct conn_ends *ce, const char *parent, const struct sfc_interface *ifc,
	 const struct sfc_pod *pod, const char *node)
{
	struct rend **v = realloc(ce->e, (ce->n + 1) * sizeof(*v));
	if (!v) {
		c->oom = true;
		return -1;
	}
	ce->e = v;
	struct rend *e = calloc(1, sizeof(*e));
	if (!e) {
		c->oom = true;
		return -1;
	}
	e->parent = parent;
	e->ifc = ifc;
	e->pod = pod;
	e->pod_type = pod ? pod->pod_type : SFC_POD_UNSET;
	e->node = node;
	ce->e[ce->n++] = e;
	return 0;
}

/* "a/b" -> a and b (each at most SFC_NAME_MAX). */
static bool
split_ref(const char *ref, char *a, char *b)
{
	const char *s = ref ? strchr(ref, '/') : NULL;
	if (!s || s == ref || !s[1] || (size_t)(s - ref) > SFC_NAME_MAX ||
	    strlen(s + 1) > SFC_NAME_MAX)
		return false;
	memcpy(a, ref, (size_t)(s - ref));
	a[s - ref] = 0;
	strcpy(b, s + 1);
	return true;
}

int
collect_ends(struct rctx *c, bool pp, struct conn_ends *ce)
{
	const struct sfc_connection *conn = c->conn;
	size_t errs = c->n_msg;
	char a[SFC_NAME_MAX + 1], b[SFC_NAME_MAX + 1];
	memset(ce, 0, sizeof(*ce));
	for (size_t i = 0; i < conn->n_pod_interfaces; i++) {
		const char *ref = conn->pod_interfaces[i];
		if (!split_ref(ref, a, b)) {
			rerr(c, "pod interface '%s': not <pod>/<interface>", ref ? ref : "");
			continue;
		}
		const struct sfc_pod *pod = svc_pod(c->svc, a);
		const struct sfc_interface *ifc = pod_if(pod, b);
		if (!ifc) {
			rerr(c, "pod interface %s does not exist", ref);
			continue;
		}
		const char *node = pod_node(c, a);
		if (str_empty(node)) {
			rerr(c,
			     "pod interface %s: pod %s is not mapped to a node in "
			     "network_pod_to_node_map",
			     ref, a);
			continue;
		}
		if (!find_node(c, node)) {
			rerr(c,
			     "pod interface %s: pod %s is mapped to node %s, which does not exist",
			     ref, a, node);
			continue;
		}
		if (push_end(c, ce, pod->meta.name, ifc, pod, find_node(c, node)->meta.name) < 0)
			return -1;
	}
	for (size_t i = 0; i < conn->n_node_interfaces; i++) {
		const char *ref = conn->node_interfaces[i];
		if (!split_ref(ref, a, b)) {
			rerr(c, "node interface '%s': not <node>/<interface>", ref ? ref : "");
			continue;
		}
		const struct sfc_node *n = find_node(c, a);
		const struct sfc_interface *ifc = node_if(n, b);
		if (!ifc) {
			rerr(c, "node interface %s does not exist", ref);
			continue;
		}
		if (push_end(c, ce, n->meta.name, ifc, NULL, n->meta.name) < 0)
			return -1;
		ce->static_nodes = true;
	}
	if (c->n_msg > errs)
		return -1;
	if (pp && ce->n > 2)
		return rerr(c, "too many interfaces for a point-to-point connection (%zu)", ce->n);
	if (conn->n_node_interface_labels) {
		if (pp && (ce->n != 1 || conn->n_node_interface_labels != 1))
			return rerr(c,
				    "a point-to-point connection with node_interface_labels needs "
				    "exactly 1 interface and 1 label");
		if (!ce->n)
			return rerr(c, "no interfaces to connect to the node interface labels");
		for (size_t i = 1; i < ce->n; i++)
			if (strcmp(ce->e[i]->node, ce->e[0]->node))
				return rerr(c,
					    "all interfaces must be on the same node to connect "
					    "to node interface labels (%s, %s)",
					    ce->e[0]->node, ce->e[i]->node);
		const struct sfc_node *n = find_node(c, ce->e[0]->node);
		size_t found = 0;
		for (size_t i = 0; i < n->n_interfaces; i++) {
			const struct sfc_interface *ifc = &n->interfaces[i];
			for (size_t j = 0; j < conn->n_node_interface_labels; j++) {
				if (has_label(ifc, conn->node_interface_labels[j])) {
					found++;
					if (push_end(c, ce, n->meta.name, ifc, NULL, n->meta.name) <
					    0)
						return -1;
					break;
				}
			}
		}
		if (pp && found != 1)
			return rerr(c,
				    "node_interface_labels %s: must match exactly 1 interface of "
				    "node %s (%zu do)",
				    conn->node_interface_labels[0], n->meta.name, found);
		if (!found)
			return rerr(c, "node_interface_labels: no interface of node %s has them",
				    n->meta.name);
	}
	if (pp && ce->n != 2)
		return rerr(c, "a point-to-point connection needs 2 interfaces (%zu)", ce->n);
	if (!ce->n)
		return rerr(c, "a connection needs at least one interface");
	for (size_t i = 0; i < ce->n; i++)
		if (end_resolve(c, ce->e[i]) < 0)
			return -1;
	return 0;
}

static int
str_ptr_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int
ends_nodes(struct rctx *c, const struct conn_ends *ce, const char ***nodes, size_t *n)
{
	const char **v = calloc(ce->n ? ce->n : 1, sizeof(*v));
	if (!v) {
		c->oom = true;
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < ce->n; i++)
		v[k++] = ce->e[i]->node;
	if (k)
		qsort(v, k, sizeof(*v), str_ptr_cmp);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || strcmp(v[u - 1], v[i]))
			v[u++] = v[i];
	*nodes = v;
	*n = u;
	return 0;
}

static void
memif_socket(const struct rctx *c, const struct sfc_interface *ifc, const char *master, char *buf,
	     size_t size)
{
	snprintf(buf, size, "%s/memif_%s.sock", sys_memif_dir(c, ifc), master);
}

/* The pod side of a veth or tap lives in the pod's namespace: the interface's
 * linux_namespace, else the pod's own (lig-agent reads MICROSERVICE <pod> as the named
 * network namespace <pod>). */
static void
pod_ns(const struct rend *e, struct lif *l)
{
	if (e->ifc->has_linux_namespace && e->ifc->linux_namespace.type != SFC_NS_UNSET)
		l->ns = &e->ifc->linux_namespace;
	else
		l->ns_microservice = e->parent;
}

int
render_if_pair(struct rctx *c, struct rend *e, uint32_t vrf, char *vsw, size_t size)
{
	const struct sfc_interface *ifc = e->ifc;
	const char *p = e->parent, *in = ifc->name;
	bool enabled = ifc->admin_status != SFC_ADMIN_DISABLED;
	uint32_t mtu = sys_mtu(c, ifc->mtu);
	char host[32];
	if (end_resolve(c, e) < 0)
		return -1;
	if (vrf && emit_vrf_table(c, e->node, vrf) < 0)
		return -1;
	switch (ifc->if_type) {
	case SFC_IF_MEMIF: {
		uint32_t id;
		char key[2 * SFC_NAME_MAX + 8], sock[1200];
		snprintf(key, sizeof(key), "%s/%s", p, in);
		if (alloc_counter(c->a, AK_MEMIF, key, c->owner, 0, &id) < 0)
			return rerr(c, "%s: no memif id left", key);
		memif_socket(c, ifc, e->node, sock, sizeof(sock));
		struct vif v = {.name = in,
				.type = "MEMIF",
				.enabled = enabled,
				.mac = e->mac,
				.ips = e->ips,
				.n_ips = e->n_ips,
				.mtu = mtu,
				.rx_mode = sys_rx_mode(c, ifc->rx_mode),
				.memif_id = id,
				.socket = sock,
				.memif = ifc->has_memif_parms ? &ifc->memif_parms : NULL};
		if (emit_vpp_if(c, p, &v) < 0)
			return -1;
		rname(vsw, size, "IF_MEMIF_VSWITCH_%s_%s", p, in);
		v.name = vsw;
		v.mac = NULL;
		v.ips = NULL;
		v.n_ips = 0;
		v.master = true;
		v.vrf = vrf;
		if (emit_vpp_if(c, e->node, &v) < 0)
			return -1;
		break;
	}
	case SFC_IF_VETH: {
		char veth1[LIG_MODEL_NAME_MAX + 1], veth2[LIG_MODEL_NAME_MAX + 1];
		rname(veth1, sizeof(veth1), "IF_VETH_VNF_%s_%s", p, in);
		rname(veth2, sizeof(veth2), "IF_VETH_VSWITCH_%s_%s", p, in);
		if (!str_empty(ifc->host_port_label))
			snprintf(host, sizeof(host), "%.31s", ifc->host_port_label);
		else
			base_host_name(host, sizeof(host), p, in);
		bool vpp = e->pod_type == SFC_POD_VPPCONTAINER;
		struct lif l = {.name = veth1,
				.type = "VETH",
				.host_if_name = in,
				.enabled = enabled,
				.mac = e->mac,
				.ips = vpp ? NULL : e->ips,
				.n_ips = vpp ? 0 : e->n_ips,
				.mtu = mtu,
				.peer = veth2};
		pod_ns(e, &l);
		if (emit_linux_if(c, e->node, &l) < 0)
			return -1;
		/* the vswitch end stays in the vswitch agent's namespace (sfc-controller gave it
		 * the pod's linux_namespace too when one was set) */
		struct lif l2 = {.name = veth2,
				 .type = "VETH",
				 .host_if_name = host,
				 .enabled = enabled,
				 .mtu = mtu,
				 .peer = veth1};
		if (emit_linux_if(c, e->node, &l2) < 0)
			return -1;
		if (vpp) {
			if (vrf && emit_vrf_table(c, p, vrf) < 0)
				return -1;
			struct vif v = {.name = in,
					.type = "AF_PACKET",
					.enabled = enabled,
					.mac = e->mac,
					.ips = e->ips,
					.n_ips = e->n_ips,
					.vrf = vrf,
					.mtu = mtu,
					.host_if_name = in};
			if (emit_vpp_if(c, p, &v) < 0)
				return -1;
		}
		rname(vsw, size, "IF_AFPIF_VSWITCH_%s_%s", p, in);
		struct vif v = {.name = vsw,
				.type = "AF_PACKET",
				.enabled = enabled,
				.vrf = vrf,
				.mtu = mtu,
				.host_if_name = host};
		if (emit_vpp_if(c, e->node, &v) < 0)
			return -1;
		break;
	}
	case SFC_IF_TAP: {
		char lin[LIG_MODEL_NAME_MAX + 1];
		rname(lin, sizeof(lin), "IF_TAP_VNF_%s_%s", p, in);
		rname(vsw, size, "IF_TAP_VSWITCH_%s_%s", p, in);
		if (!str_empty(ifc->host_port_label))
			snprintf(host, sizeof(host), "%.31s", ifc->host_port_label);
		else
			base_host_name(host, sizeof(host), p, in);
		const char *ns = ifc->has_tap_parms && !str_empty(ifc->tap_parms.namespace_)
				     ? ifc->tap_parms.namespace_
				     : p;
		if (ifc->has_tap_parms &&
		    (ifc->tap_parms.rx_ring_size || ifc->tap_parms.tx_ring_size))
			rwarn(c,
			      "%s/%s: tap rx_ring_size/tx_ring_size not rendered (ligd's taps "
			      "have no virtio rings)",
			      p, in);
		struct vif v = {.name = vsw,
				.type = "TAP",
				.enabled = enabled,
				.vrf = vrf,
				.mtu = mtu,
				.host_if_name = host,
				.to_microservice = ns};
		if (emit_vpp_if(c, e->node, &v) < 0)
			return -1;
		struct lif l = {.name = lin,
				.type = "TAP_TO_VPP",
				.ns_microservice = ns,
				.host_if_name = in,
				.enabled = enabled,
				.mac = e->mac,
				.ips = e->ips,
				.n_ips = e->n_ips,
				.mtu = mtu,
				.vpp_tap = vsw};
		if (emit_linux_if(c, e->node, &l) < 0)
			return -1;
		break;
	}
	case SFC_IF_ETHERNET:
		/* the node's own interface, rendered with the node */
		snprintf(vsw, size, "%s", in);
		if (e->pod)
			rwarn(c,
			      "%s/%s: an ethernet interface of a pod is taken as the vswitch's "
			      "interface of that name",
			      p, in);
		return 0;
	default:
		return rerr(c, "%s/%s: an interface of type %s cannot be connected", p, in,
			    if_type_name(ifc->if_type));
	}
	return render_forwarding(c, e);
}

int
render_direct_memif_pair(struct rctx *c, struct rend *e0, struct rend *e1)
{
	uint32_t id;
	char key[2 * SFC_NAME_MAX + 8], s0[1200], s1[1200];
	if (end_resolve(c, e0) < 0 || end_resolve(c, e1) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s/%s", e0->parent, e0->ifc->name);
	if (alloc_counter(c->a, AK_MEMIF, key, c->owner, 0, &id) < 0)
		return rerr(c, "%s: no memif id left", key);
	/* the second pod is the master; the socket is named after it */
	memif_socket(c, e0->ifc, e1->parent, s0, sizeof(s0));
	memif_socket(c, e1->ifc, e1->parent, s1, sizeof(s1));
	if (strcmp(s0, s1))
		return rerr(c, "%s/%s and %s/%s: memif_directory differs (%s, %s)", e0->parent,
			    e0->ifc->name, e1->parent, e1->ifc->name, s0, s1);
	for (int i = 0; i < 2; i++) {
		struct rend *e = i ? e1 : e0;
		struct vif v = {.name = e->ifc->name,
				.type = "MEMIF",
				.enabled = e->ifc->admin_status != SFC_ADMIN_DISABLED,
				.mac = e->mac,
				.ips = e->ips,
				.n_ips = e->n_ips,
				.mtu = sys_mtu(c, e->ifc->mtu),
				.rx_mode = sys_rx_mode(c, e->ifc->rx_mode),
				.master = i == 1,
				.memif_id = id,
				.socket = s0,
				.memif = e->ifc->has_memif_parms ? &e->ifc->memif_parms : NULL};
		if (emit_vpp_if(c, e->parent, &v) < 0 || render_forwarding(c, e) < 0)
			return -1;
	}
	return 0;
}

int
render_forwarding(struct rctx *c, struct rend *e)
{
	const struct sfc_interface *ifc = e->ifc;
	bool linux = e->pod_type == SFC_POD_NONVPPCONTAINER &&
		     (ifc->if_type == SFC_IF_VETH || ifc->if_type == SFC_IF_TAP);
	char lin[LIG_MODEL_NAME_MAX + 1];
	if (linux)
		rname(lin, sizeof(lin),
		      ifc->if_type == SFC_IF_VETH ? "IF_VETH_VNF_%s_%s" : "IF_TAP_VNF_%s_%s",
		      e->parent, ifc->name);
	if (ifc->n_fwd_l2fibs)
		rwarn(c,
		      "%s/%s: fwd l2_fib entries are not rendered (sfc-controller does not "
		      "render them either)",
		      e->parent, ifc->name);
	for (size_t i = 0; i < ifc->n_fwd_routes; i++) {
		const struct sfc_route *r = &ifc->fwd_routes[i];
		int rc;
		if (linux) {
			/* a plain namespace has no agent of its own: its routes are Linux routes
			 * the vswitch agent writes into that namespace */
			if (r->vrf_id)
				return rerr(c,
					    "%s/%s: fwd route to %s: vrf_id %u in a "
					    "nonvppcontainer pod (Linux routes go to the main "
					    "table)",
					    e->parent, ifc->name,
					    r->dst_ip_addr ? r->dst_ip_addr : "", r->vrf_id);
			rc = emit_linux_route(c, e->node, r->dst_ip_addr, r->next_hop_addr, lin);
		} else {
			if (r->vrf_id && emit_vrf_table(c, e->parent, r->vrf_id) < 0)
				return -1;
			rc = emit_route(c, e->parent, r->vrf_id, r->dst_ip_addr, r->next_hop_addr,
					ifc->name, r->weight);
		}
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < ifc->n_fwd_arps; i++) {
		const struct sfc_arp *a = &ifc->fwd_arps[i];
		int rc = linux ? emit_linux_arp(c, e->node, lin, a->ip_address, a->phys_address)
			       : emit_arp(c, e->parent, ifc->name, a->ip_address, a->phys_address);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Semantic validation of an sfc model: what ligato/sfc-controller's validate() functions check
 * (networkservice.go, networknode.go, networknodeoverlay.go, ipampool.go), plus the references
 * it only found while rendering (pod interfaces, node interfaces and labels, overlays, IPAM
 * pools, node bridge domains, the pod-to-node map) and uniqueness of names. Every message
 * starts with the origin of the object at fault:
 *   network_services[0].connections[2]: pod interface vnf9/port1 does not exist (line 40) */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_model.h"

#define VNI_MAX 16777215u

/* Name -> position, sorted by name then position (the first of equal names first). */
struct ventry {
	const char *name;
	size_t pos;
};

struct vindex {
	struct ventry *p2n; /* network_pod_to_node_map by pod */
	size_t n_p2n;
	struct ventry *nodes;
	size_t n_nodes;
	struct ventry *svcs;
	size_t n_svcs;
	struct ventry *pods; /* every pod of every service; pos = service index */
	size_t n_pods;
};

struct vctx {
	struct sfc_errors *err;
	size_t n;
	const struct vindex *ix; /* NULL: linear lookups */
};

static int
cmp_ventry(const void *a, const void *b)
{
	const struct ventry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry named name, or NULL. */
static const struct ventry *
vfind(const struct ventry *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name) ? &v[lo] : NULL;
}

static struct ventry *
vsorted(size_t n, const char *(*name_of)(const struct sfc_model *, size_t, size_t *),
	const struct sfc_model *m, size_t *count)
{
	struct ventry *v = calloc(n ? n : 1, sizeof(*v));
	*count = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t pos = i;
		const char *nm = name_of(m, i, &pos);
		if (nm)
			v[(*count)++] = (struct ventry){nm, pos};
	}
	qsort(v, *count, sizeof(*v), cmp_ventry);
	return v;
}

static const char *
p2n_name(const struct sfc_model *m, size_t i, size_t *pos)
{
	(void)pos;
	return m->pod_to_node[i].pod && m->pod_to_node[i].node ? m->pod_to_node[i].pod : NULL;
}

static const char *
node_name(const struct sfc_model *m, size_t i, size_t *pos)
{
	(void)pos;
	return m->nodes[i].meta.name;
}

static const char *
svc_name(const struct sfc_model *m, size_t i, size_t *pos)
{
	(void)pos;
	return m->services[i].meta.name;
}

static void
vindex_free(struct vindex *ix)
{
	free(ix->p2n);
	free(ix->nodes);
	free(ix->svcs);
	free(ix->pods);
	memset(ix, 0, sizeof(*ix));
}

/* 0, or -1 when out of memory (the caller validates with linear lookups then). */
static int
vindex_build(struct vindex *ix, const struct sfc_model *m)
{
	memset(ix, 0, sizeof(*ix));
	ix->p2n = vsorted(m->n_pod_to_node, p2n_name, m, &ix->n_p2n);
	ix->nodes = vsorted(m->n_nodes, node_name, m, &ix->n_nodes);
	ix->svcs = vsorted(m->n_services, svc_name, m, &ix->n_svcs);
	size_t n = 0;
	for (size_t i = 0; i < m->n_services; i++)
		n += m->services[i].n_pods;
	ix->pods = calloc(n ? n : 1, sizeof(*ix->pods));
	if (!ix->p2n || !ix->nodes || !ix->svcs || !ix->pods) {
		vindex_free(ix);
		return -1;
	}
	for (size_t i = 0; i < m->n_services; i++)
		for (size_t k = 0; k < m->services[i].n_pods; k++)
			if (m->services[i].pods[k].meta.name)
				ix->pods[ix->n_pods++] =
				    (struct ventry){m->services[i].pods[k].meta.name, i};
	qsort(ix->pods, ix->n_pods, sizeof(*ix->pods), cmp_ventry);
	return 0;
}

static const char *
v_pod_node(const struct vctx *c, const struct sfc_model *m, const char *pod)
{
	if (!c->ix)
		return sfc_model_pod_node(m, pod);
	const struct ventry *e = pod ? vfind(c->ix->p2n, c->ix->n_p2n, pod) : NULL;
	return e ? m->pod_to_node[e->pos].node : NULL;
}

static const struct sfc_node *
v_find_node(const struct vctx *c, const struct sfc_model *m, const char *name)
{
	if (!c->ix)
		return sfc_model_find_node(m, name);
	const struct ventry *e = name ? vfind(c->ix->nodes, c->ix->n_nodes, name) : NULL;
	return e ? &m->nodes[e->pos] : NULL;
}

static void __attribute__((format(printf, 4, 5)))
verr(struct vctx *c, const char *origin, uint32_t line, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->n++;
	if (line)
		sfc_errors_add(c->err, "%s: %s (line %u)", origin ? origin : "?", what, line);
	else
		sfc_errors_add(c->err, "%s: %s", origin ? origin : "?", what);
}

/* "a.b.c.d/n" or "v6/n"; *plen and the family when given. */
static bool
cidr_ok(const char *s, int *family, unsigned *plen)
{
	if (!s)
		return false;
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || (size_t)(slash - s) >= INET6_ADDRSTRLEN)
		return false;
	char a[INET6_ADDRSTRLEN];
	memcpy(a, s, (size_t)(slash - s));
	a[slash - s] = 0;
	unsigned char buf[16];
	int fam = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, a, buf) != 1)
		return false;
	const char *p = slash + 1;
	if (!*p || strlen(p) > 3)
		return false;
	unsigned v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > (fam == AF_INET ? 32u : 128u))
		return false;
	if (family)
		*family = fam;
	if (plen)
		*plen = v;
	return true;
}

static bool
ip_ok(const char *s)
{
	unsigned char buf[16];
	return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

static bool
mac_ok(const char *s)
{
	if (!s || strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		char ch = s[i];
		if (i % 3 == 2) {
			if (ch != ':')
				return false;
		} else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
			     (ch >= 'A' && ch <= 'F'))) {
			return false;
		}
	}
	return true;
}

/* Splits "a/b" at the first '/' into a (at most SFC_NAME_MAX) and b; false when malformed. */
static bool
split_ref(const char *ref, char *a, size_t a_size, const char **b)
{
	const char *slash = ref ? strchr(ref, '/') : NULL;
	if (!slash || slash == ref || !slash[1] || (size_t)(slash - ref) >= a_size)
		return false;
	memcpy(a, ref, (size_t)(slash - ref));
	a[slash - ref] = 0;
	*b = slash + 1;
	return true;
}

static void
check_l2bd(struct vctx *c, const struct sfc_model *m, const struct sfc_l2bd *bd)
{
	if (bd->l2bd_template && bd->has_bd_parms)
		verr(c, bd->origin, bd->line,
		     "refers to template '%s' and gives bd_parms: only one of them",
		     bd->l2bd_template);
	if (bd->l2bd_template && !sfc_model_find_l2bd_template(m, bd->l2bd_template))
		verr(c, bd->origin, bd->line,
		     "l2bd template '%s' does not exist (system_parameters.l2bd_templates)",
		     bd->l2bd_template);
}

static void
check_interface(struct vctx *c, const struct sfc_model *m, const struct sfc_interface *ifc,
		bool node)
{
	if (!ifc->name)
		verr(c, ifc->origin, ifc->line, "interface has no name");
	if (node) {
		if (ifc->if_type != SFC_IF_ETHERNET && ifc->if_type != SFC_IF_VXLAN &&
		    ifc->if_type != SFC_IF_LOOPBACK)
			verr(c, ifc->origin, ifc->line,
			     "if_type '%s' is not one of ethernet|vxlan_tunnel|loopback for a node "
			     "interface",
			     sfc_if_type_name(ifc->if_type));
	} else if (ifc->if_type != SFC_IF_MEMIF && ifc->if_type != SFC_IF_ETHERNET &&
		   ifc->if_type != SFC_IF_VETH && ifc->if_type != SFC_IF_TAP) {
		verr(c, ifc->origin, ifc->line,
		     "if_type '%s' is not one of memif|ethernet|veth|tap for a pod interface",
		     sfc_if_type_name(ifc->if_type));
	}
	if (ifc->mac_address && !mac_ok(ifc->mac_address))
		verr(c, ifc->origin, ifc->line,
		     "mac_address '%s' is not of the form 02:00:00:00:00:01", ifc->mac_address);
	if (ifc->mtu && (ifc->mtu < 64 || ifc->mtu > 65535))
		verr(c, ifc->origin, ifc->line, "mtu %u is not from 64 to 65535", ifc->mtu);
	for (size_t i = 0; i < ifc->n_ip_addresses; i++)
		if (!cidr_ok(ifc->ip_addresses[i], NULL, NULL))
			verr(c, ifc->origin, ifc->line,
			     "ip_addresses[%zu] '%s' is not of the form i.p.v.4/xx or ip::v6/xx", i,
			     ifc->ip_addresses[i]);
	for (size_t i = 0; i < ifc->n_ipam_pool_names; i++)
		if (!sfc_model_find_ipam_pool(m, ifc->ipam_pool_names[i]))
			verr(c, ifc->origin, ifc->line, "ipam pool '%s' does not exist",
			     ifc->ipam_pool_names[i]);
	if (ifc->has_memif_parms && ifc->if_type != SFC_IF_MEMIF)
		verr(c, ifc->origin, ifc->line, "memif_parms on a %s interface",
		     sfc_if_type_name(ifc->if_type));
	if (ifc->has_tap_parms && ifc->if_type != SFC_IF_TAP)
		verr(c, ifc->origin, ifc->line, "tap_parms on a %s interface",
		     sfc_if_type_name(ifc->if_type));
	if (ifc->has_memif_parms && ifc->memif_parms.memif_directory &&
	    ifc->memif_parms.memif_directory[0] != '/')
		verr(c, ifc->origin, ifc->line, "memif_parms.memif_directory '%s' is not absolute",
		     ifc->memif_parms.memif_directory);
	if (ifc->has_linux_namespace) {
		const struct sfc_linux_ns *ns = &ifc->linux_namespace;
		bool ok = (ns->type == SFC_NS_PID && ns->pid) ||
			  (ns->type == SFC_NS_MICROSERVICE && ns->microservice) ||
			  (ns->type == SFC_NS_NAMED && ns->name) ||
			  (ns->type == SFC_NS_FILE && ns->filepath);
		if (!ok)
			verr(c, ifc->origin, ifc->line,
			     "linux_namespace needs a type and its value (pid, microservice, name "
			     "or "
			     "filepath)");
	}
	for (size_t i = 0; i < ifc->n_fwd_routes; i++) {
		const struct sfc_route *r = &ifc->fwd_routes[i];
		if (!cidr_ok(r->dst_ip_addr, NULL, NULL))
			verr(c, r->origin, r->line, "dst_ip_addr '%s' is not an address/prefix",
			     r->dst_ip_addr ? r->dst_ip_addr : "");
		if (r->next_hop_addr && !ip_ok(r->next_hop_addr))
			verr(c, r->origin, r->line, "next_hop_addr '%s' is not an IP address",
			     r->next_hop_addr);
	}
	for (size_t i = 0; i < ifc->n_fwd_arps; i++) {
		const struct sfc_arp *a = &ifc->fwd_arps[i];
		if (!ip_ok(a->ip_address))
			verr(c, a->origin, a->line, "ip_address '%s' is not an IP address",
			     a->ip_address ? a->ip_address : "");
		if (!mac_ok(a->phys_address))
			verr(c, a->origin, a->line, "phys_address '%s' is not a MAC address",
			     a->phys_address ? a->phys_address : "");
	}
	for (size_t i = 0; i < ifc->n_fwd_l2fibs; i++) {
		const struct sfc_l2fib *f = &ifc->fwd_l2fibs[i];
		if (!mac_ok(f->dest_mac_address))
			verr(c, f->origin, f->line, "dest_mac_address '%s' is not a MAC address",
			     f->dest_mac_address ? f->dest_mac_address : "");
		if (f->action && strcmp(f->action, "forward") && strcmp(f->action, "drop"))
			verr(c, f->origin, f->line, "action '%s' is not one of forward|drop",
			     f->action);
	}
}

static void
check_interfaces_unique(struct vctx *c, const struct sfc_interface *v, size_t n, const char *owner)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (v[i].name && v[k].name && !strcmp(v[i].name, v[k].name))
				verr(c, v[i].origin, v[i].line, "interface %s/%s is defined twice",
				     owner ? owner : "?", v[i].name);
}

/* Does any interface of any node carry label? */
static bool
node_label_exists(const struct sfc_model *m, const char *label)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		for (size_t k = 0; k < m->nodes[i].n_interfaces; k++)
			for (size_t l = 0; l < m->nodes[i].interfaces[k].n_labels; l++)
				if (!strcmp(m->nodes[i].interfaces[k].labels[l], label))
					return true;
	return false;
}

static bool
node_has_l2bd(const struct sfc_node *n, const char *name)
{
	for (size_t i = 0; n && i < n->n_l2bds; i++)
		if (n->l2bds[i].name && !strcmp(n->l2bds[i].name, name))
			return true;
	return false;
}

static void
check_connection(struct vctx *c, const struct sfc_model *m, const struct sfc_service *s,
		 const struct sfc_connection *cn)
{
	size_t n_ep = cn->n_pod_interfaces + cn->n_node_interfaces + cn->n_node_interface_labels;
	switch (cn->conn_type) {
	case SFC_CONN_L2PP:
	case SFC_CONN_L3PP:
		if (n_ep != 2)
			verr(c, cn->origin, cn->line,
			     "%s needs exactly 2 interfaces (pod_interfaces, node_interfaces and "
			     "node_interface_labels together), has %zu",
			     sfc_conn_type_name(cn->conn_type), n_ep);
		if (cn->use_node_l2bd || cn->has_l2bd)
			verr(c, cn->origin, cn->line, "use_node_l2bd and l2bd are for l2mp/l3mp");
		break;
	case SFC_CONN_L2MP:
	case SFC_CONN_L3MP:
		if (!cn->n_pod_interfaces && !cn->n_node_interfaces)
			verr(c, cn->origin, cn->line, "%s needs at least one interface",
			     sfc_conn_type_name(cn->conn_type));
		if (cn->use_node_l2bd && cn->has_l2bd)
			verr(c, cn->origin, cn->line,
			     "use_node_l2bd and l2bd together: refer to a node bridge domain or "
			     "give one, not both");
		if (cn->has_l2bd) {
			check_l2bd(c, m, &cn->l2bd);
			if (!cn->l2bd.l2bd_template && !cn->l2bd.has_bd_parms)
				verr(c, cn->l2bd.origin, cn->l2bd.line,
				     "l2bd has neither bd_parms nor l2bd_template");
		}
		break;
	default:
		verr(c, cn->origin, cn->line, "conn_type is missing (l2pp|l2mp|l3pp|l3mp)");
		break;
	}
	char a[SFC_NAME_MAX + 1];
	const char *b;
	for (size_t i = 0; i < cn->n_pod_interfaces; i++) {
		const char *ref = cn->pod_interfaces[i];
		if (!split_ref(ref, a, sizeof(a), &b)) {
			verr(c, cn->origin, cn->line,
			     "pod interface '%s' is not of the form pod/ifname", ref);
			continue;
		}
		const struct sfc_pod *p = sfc_service_find_pod(s, a);
		if (!p || !sfc_pod_find_interface(p, b)) {
			verr(c, cn->origin, cn->line, "pod interface %s does not exist", ref);
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(cn->pod_interfaces[k], ref))
				verr(c, cn->origin, cn->line, "pod interface %s is listed twice",
				     ref);
		const char *node = v_pod_node(c, m, a);
		if (cn->use_node_l2bd && node && v_find_node(c, m, node) &&
		    !node_has_l2bd(v_find_node(c, m, node), cn->use_node_l2bd))
			verr(c, cn->origin, cn->line,
			     "use_node_l2bd: node %s (of pod %s) has no l2bd '%s'", node, a,
			     cn->use_node_l2bd);
	}
	for (size_t i = 0; i < cn->n_node_interfaces; i++) {
		const char *ref = cn->node_interfaces[i];
		if (!split_ref(ref, a, sizeof(a), &b)) {
			verr(c, cn->origin, cn->line,
			     "node interface '%s' is not of the form node/ifname", ref);
			continue;
		}
		const struct sfc_node *n = v_find_node(c, m, a);
		if (!n || !sfc_node_find_interface(n, b)) {
			verr(c, cn->origin, cn->line, "node interface %s does not exist", ref);
			continue;
		}
		if (cn->use_node_l2bd && !node_has_l2bd(n, cn->use_node_l2bd))
			verr(c, cn->origin, cn->line, "use_node_l2bd: node %s has no l2bd '%s'", a,
			     cn->use_node_l2bd);
	}
	for (size_t i = 0; i < cn->n_node_interface_labels; i++)
		if (!node_label_exists(m, cn->node_interface_labels[i]))
			verr(c, cn->origin, cn->line, "no node interface has the label '%s'",
			     cn->node_interface_labels[i]);
	if (cn->network_node_overlay_name &&
	    !sfc_model_find_overlay(m, cn->network_node_overlay_name))
		verr(c, cn->origin, cn->line, "network node overlay %s does not exist",
		     cn->network_node_overlay_name);
	/* Pods on different nodes are joined only through an overlay. */
	const char *first = NULL;
	for (size_t i = 0; i < cn->n_pod_interfaces; i++) {
		if (!split_ref(cn->pod_interfaces[i], a, sizeof(a), &b))
			continue;
		const char *node = v_pod_node(c, m, a);
		if (!node)
			continue;
		if (!first)
			first = node;
		else if (strcmp(first, node) && !cn->network_node_overlay_name) {
			verr(c, cn->origin, cn->line,
			     "its pods are on different nodes (%s, %s): network_node_overlay_name "
			     "is needed",
			     first, node);
			break;
		}
	}
}

static void
validate_service(struct vctx *c, const struct sfc_model *m, const struct sfc_service *s)
{
	if (!s->meta.name)
		verr(c, s->origin, s->line, "network service has no metadata.name");
	for (size_t i = 0; i < s->n_pods; i++) {
		const struct sfc_pod *p = &s->pods[i];
		if (!p->meta.name) {
			verr(c, p->origin, p->line, "network pod has no metadata.name");
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (s->pods[k].meta.name && !strcmp(s->pods[k].meta.name, p->meta.name))
				verr(c, p->origin, p->line, "pod %s is defined twice",
				     p->meta.name);
		if (p->pod_type != SFC_POD_VPPCONTAINER && p->pod_type != SFC_POD_NONVPPCONTAINER &&
		    p->pod_type != SFC_POD_EXTERNAL)
			verr(c, p->origin, p->line,
			     "pod %s: pod_type '%s' is not one of "
			     "vppcontainer|nonvppcontainer|external",
			     p->meta.name, sfc_pod_type_name(p->pod_type));
		if (!p->n_interfaces)
			verr(c, p->origin, p->line, "pod %s has no interfaces", p->meta.name);
		const char *node = v_pod_node(c, m, p->meta.name);
		if (!node)
			verr(c, p->origin, p->line,
			     "pod %s is not mapped to a node (network_pod_to_node_map)",
			     p->meta.name);
		else if (!v_find_node(c, m, node))
			verr(c, p->origin, p->line,
			     "pod %s is mapped to node %s which does not exist", p->meta.name,
			     node);
		for (size_t k = 0; k < p->n_interfaces; k++)
			check_interface(c, m, &p->interfaces[k], false);
		check_interfaces_unique(c, p->interfaces, p->n_interfaces, p->meta.name);
		for (size_t k = 0; k < p->n_l2bds; k++)
			check_l2bd(c, m, &p->l2bds[k]);
	}
	for (size_t i = 0; i < s->n_connections; i++)
		check_connection(c, m, s, &s->connections[i]);
}

size_t
sfc_model_validate_service(const struct sfc_model *m, const struct sfc_service *s,
			   struct sfc_errors *err)
{
	struct vctx c = {.err = err};
	validate_service(&c, m, s);
	return c.n;
}

size_t
sfc_model_validate_services(const struct sfc_model *m, struct sfc_errors *errs)
{
	struct vindex ix;
	struct vctx c = {0};
	if (vindex_build(&ix, m) == 0)
		c.ix = &ix;
	size_t bad = 0;
	for (size_t i = 0; i < m->n_services; i++) {
		c.err = &errs[i];
		size_t before = c.n;
		validate_service(&c, m, &m->services[i]);
		bad += c.n != before;
	}
	if (c.ix)
		vindex_free(&ix);
	return bad;
}

static void
check_vni(struct vctx *c, const struct sfc_overlay *o, uint32_t v, const char *what)
{
	if (v > VNI_MAX)
		verr(c, o->origin, o->line, "%s %u is above %u", what, v, VNI_MAX);
}

size_t
sfc_model_validate(const struct sfc_model *m, struct sfc_errors *err)
{
	struct vctx c = {.err = err};
	struct vindex ix;
	if (vindex_build(&ix, m) == 0)
		c.ix = &ix;
	const struct sfc_sys_params *sp = &m->sys;
	if (sp->mtu && (sp->mtu < 64 || sp->mtu > 65535))
		verr(&c, sp->origin, sp->line, "mtu %u is not from 64 to 65535", sp->mtu);
	if (sp->memif_directory && sp->memif_directory[0] != '/')
		verr(&c, sp->origin, sp->line, "memif_directory '%s' is not absolute",
		     sp->memif_directory);
	for (size_t i = 0; i < sp->n_l2bd_templates; i++) {
		const struct sfc_bd_parms *t = &sp->l2bd_templates[i];
		if (!t->name)
			verr(&c, t->origin, t->line, "l2bd template has no name");
		for (size_t k = 0; k < i && t->name; k++)
			if (sp->l2bd_templates[k].name &&
			    !strcmp(sp->l2bd_templates[k].name, t->name))
				verr(&c, t->origin, t->line, "l2bd template %s is defined twice",
				     t->name);
	}

	for (size_t i = 0; i < m->n_ipam_pools; i++) {
		const struct sfc_ipam_pool *p = &m->ipam_pools[i];
		if (!p->meta.name) {
			verr(&c, p->origin, p->line, "ipam pool has no metadata.name");
			continue;
		}
		if (sfc_model_find_ipam_pool(m, p->meta.name) != p)
			verr(&c, p->origin, p->line, "ipam pool %s is defined twice", p->meta.name);
		if (!p->scope)
			verr(&c, p->origin, p->line,
			     "ipam pool %s: scope is missing (system|node|network_service)",
			     p->meta.name);
		int fam;
		unsigned plen;
		if (!cidr_ok(p->network, &fam, &plen)) {
			verr(
			    &c, p->origin, p->line,
			    "ipam pool %s: network '%s' is not of the form i.p.v.4/xx or ip::v6/xx",
			    p->meta.name, p->network ? p->network : "");
			continue;
		}
		if (p->start_range && p->end_range && p->start_range > p->end_range)
			verr(&c, p->origin, p->line,
			     "ipam pool %s: start_range %u is above end_range %u", p->meta.name,
			     p->start_range, p->end_range);
		unsigned bits = (fam == AF_INET ? 32 : 128) - plen;
		if (bits < 32) {
			uint64_t size = (uint64_t)1 << bits;
			if (p->end_range >= size || p->start_range >= size)
				verr(
				    &c, p->origin, p->line,
				    "ipam pool %s: range %u-%u does not fit in %s (%llu addresses)",
				    p->meta.name, p->start_range, p->end_range, p->network,
				    (unsigned long long)size);
		}
	}

	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct sfc_node *n = &m->nodes[i];
		if (!n->meta.name) {
			verr(&c, n->origin, n->line, "network node has no metadata.name");
			continue;
		}
		if (v_find_node(&c, m, n->meta.name) != n)
			verr(&c, n->origin, n->line, "network node %s is defined twice",
			     n->meta.name);
		if (!n->node_type)
			verr(&c, n->origin, n->line,
			     "node %s: node_type is missing (host|external)", n->meta.name);
		for (size_t k = 0; k < n->n_interfaces; k++)
			check_interface(&c, m, &n->interfaces[k], true);
		check_interfaces_unique(&c, n->interfaces, n->n_interfaces, n->meta.name);
		for (size_t k = 0; k < n->n_l2bds; k++) {
			const struct sfc_l2bd *bd = &n->l2bds[k];
			if (!bd->name)
				verr(&c, bd->origin, bd->line, "node l2bd has no name");
			for (size_t j = 0; j < k && bd->name; j++)
				if (n->l2bds[j].name && !strcmp(n->l2bds[j].name, bd->name))
					verr(&c, bd->origin, bd->line, "l2bd %s is defined twice",
					     bd->name);
			check_l2bd(&c, m, bd);
		}
	}

	for (size_t i = 0; i < m->n_pod_to_node; i++) {
		const struct sfc_pod_node *pn = &m->pod_to_node[i];
		if (!pn->pod || !pn->node) {
			verr(&c, pn->origin, pn->line, "needs both pod and node");
			continue;
		}
		const struct ventry *first = c.ix ? vfind(c.ix->p2n, c.ix->n_p2n, pn->pod) : NULL;
		if (c.ix ? first && first->pos != i : sfc_model_pod_node(m, pn->pod) != pn->node)
			verr(&c, pn->origin, pn->line, "pod %s is mapped twice", pn->pod);
		if (!v_find_node(&c, m, pn->node))
			verr(&c, pn->origin, pn->line, "node %s does not exist", pn->node);
	}

	for (size_t i = 0; i < m->n_overlays; i++) {
		const struct sfc_overlay *o = &m->overlays[i];
		if (!o->meta.name) {
			verr(&c, o->origin, o->line, "network node overlay has no metadata.name");
			continue;
		}
		if (sfc_model_find_overlay(m, o->meta.name) != o)
			verr(&c, o->origin, o->line, "network node overlay %s is defined twice",
			     o->meta.name);
		if (o->connection_type != SFC_OVERLAY_CONN_VXLAN)
			verr(&c, o->origin, o->line, "connection_type is missing (vxlan)");
		const struct sfc_vxlan_parms *vp = NULL;
		switch (o->service_mesh_type) {
		case SFC_MESH_MESH:
			if (!o->has_mesh) {
				verr(&c, o->origin, o->line, "mesh without vxlan_mesh_parms");
				break;
			}
			vp = &o->mesh;
			if (!vp->vni_range_start || !vp->vni_range_end ||
			    vp->vni_range_start > vp->vni_range_end)
				verr(&c, o->origin, o->line,
				     "vni range %u-%u is invalid (both set, start <= end)",
				     vp->vni_range_start, vp->vni_range_end);
			check_vni(&c, o, vp->vni_range_end, "vni_range_end");
			for (size_t k = 0; k < i; k++) {
				const struct sfc_overlay *q = &m->overlays[k];
				if (q->service_mesh_type == SFC_MESH_MESH && q->has_mesh &&
				    q->meta.name && vp->vni_range_start <= q->mesh.vni_range_end &&
				    q->mesh.vni_range_start <= vp->vni_range_end)
					verr(&c, o->origin, o->line,
					     "vni range %u-%u overlaps overlay %s's %u-%u",
					     vp->vni_range_start, vp->vni_range_end, q->meta.name,
					     q->mesh.vni_range_start, q->mesh.vni_range_end);
			}
			break;
		case SFC_MESH_HUB_AND_SPOKE:
			if (!o->has_hub_and_spoke) {
				verr(&c, o->origin, o->line,
				     "hub_and_spoke without vxlan_hub_and_spoke_parms");
				break;
			}
			vp = &o->hub_and_spoke;
			if (!vp->vni)
				verr(&c, o->origin, o->line, "vni is missing");
			check_vni(&c, o, vp->vni, "vni");
			if (!vp->hub_node_name || !sfc_model_find_node(m, vp->hub_node_name))
				verr(&c, o->origin, o->line, "hub node '%s' does not exist",
				     vp->hub_node_name ? vp->hub_node_name : "");
			break;
		default:
			verr(&c, o->origin, o->line,
			     "service_mesh_type is missing (mesh|hub_and_spoke)");
			break;
		}
		if (vp && vp->loopback_ipam_pool_name &&
		    !sfc_model_find_ipam_pool(m, vp->loopback_ipam_pool_name))
			verr(&c, o->origin, o->line, "loopback ipam pool %s does not exist",
			     vp->loopback_ipam_pool_name);
		if (vp && vp->network_node_interface_label &&
		    !node_label_exists(m, vp->network_node_interface_label))
			verr(&c, o->origin, o->line, "no node interface has the label '%s'",
			     vp->network_node_interface_label);
	}

	for (size_t i = 0; i < m->n_services; i++) {
		const struct sfc_service *s = &m->services[i];
		const struct ventry *first =
		    c.ix && s->meta.name ? vfind(c.ix->svcs, c.ix->n_svcs, s->meta.name) : NULL;
		if (s->meta.name && (c.ix ? first && first->pos != i
					  : sfc_model_find_service(m, s->meta.name) != s))
			verr(&c, s->origin, s->line, "network service %s is defined twice",
			     s->meta.name);
		validate_service(&c, m, s);
		/* A pod is one agent (its label): it belongs to one service. */
		for (size_t p = 0; p < s->n_pods; p++) {
			const char *pn = s->pods[p].meta.name;
			size_t other = i;
			if (pn && c.ix) {
				const struct ventry *e = vfind(c.ix->pods, c.ix->n_pods, pn);
				other = e ? e->pos : i;
			}
			for (size_t k = 0; pn && !c.ix && k < i; k++)
				if (sfc_service_find_pod(&m->services[k], pn)) {
					other = k;
					break;
				}
			if (other < i)
				verr(&c, s->pods[p].origin, s->pods[p].line,
				     "pod %s is already defined in service %s", pn,
				     m->services[other].meta.name ? m->services[other].meta.name
								  : "?");
		}
	}
	if (c.ix)
		vindex_free(&ix);
	return c.n;
}

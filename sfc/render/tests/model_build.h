/* SPDX-License-Identifier: Apache-2.0 */
/* Builds sfc models in C for the renderer's tests and benchmark (everything malloc'ed, freed
 * with sfc_model_free). Out of memory aborts: these are tests. */
#ifndef SFC_MODEL_BUILD_H
#define SFC_MODEL_BUILD_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_model.h"

static inline char *
mb_str(const char *s)
{
	char *p = s ? strdup(s) : NULL;
	if (s && !p)
		abort();
	return p;
}

#define MB_PUSH(arr, n)                                                                            \
	(*(void **)&(arr) = realloc((arr), ((n) + 1) * sizeof(*(arr))), (arr) ? (void)0 : abort(), \
	 memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

static inline void
mb_strs(char ***v, size_t *n, const char *s)
{
	char **p = MB_PUSH(*v, *n);
	*p = mb_str(s);
}

static inline struct sfc_node *
mb_node(struct sfc_model *m, const char *name)
{
	struct sfc_node *n = MB_PUSH(m->nodes, m->n_nodes);
	n->meta.name = mb_str(name);
	n->node_type = SFC_NODE_HOST;
	return n;
}

/* An ethernet interface of a node: its Linux interface in host_port_label. */
static inline struct sfc_interface *
mb_node_eth(struct sfc_node *n, const char *name, const char *linux_if, const char *ip,
	    const char *label)
{
	struct sfc_interface *i = MB_PUSH(n->interfaces, n->n_interfaces);
	i->name = mb_str(name);
	i->if_type = SFC_IF_ETHERNET;
	i->host_port_label = mb_str(linux_if);
	if (ip)
		mb_strs(&i->ip_addresses, &i->n_ip_addresses, ip);
	if (label)
		mb_strs(&i->labels, &i->n_labels, label);
	return i;
}

static inline struct sfc_l2bd *
mb_node_bd(struct sfc_node *n, const char *name)
{
	struct sfc_l2bd *b = MB_PUSH(n->l2bds, n->n_l2bds);
	b->name = mb_str(name);
	return b;
}

static inline void
mb_p2n(struct sfc_model *m, const char *pod, const char *node)
{
	struct sfc_pod_node *p = MB_PUSH(m->pod_to_node, m->n_pod_to_node);
	p->pod = mb_str(pod);
	p->node = mb_str(node);
}

static inline struct sfc_ipam_pool *
mb_pool(struct sfc_model *m, const char *name, enum sfc_ipam_scope scope, const char *net,
	uint32_t start, uint32_t end)
{
	struct sfc_ipam_pool *p = MB_PUSH(m->ipam_pools, m->n_ipam_pools);
	p->meta.name = mb_str(name);
	p->scope = scope;
	p->network = mb_str(net);
	p->start_range = start;
	p->end_range = end;
	return p;
}

static inline struct sfc_overlay *
mb_mesh(struct sfc_model *m, const char *name, uint32_t vni_lo, uint32_t vni_hi, const char *pool,
	const char *label)
{
	struct sfc_overlay *o = MB_PUSH(m->overlays, m->n_overlays);
	o->meta.name = mb_str(name);
	o->service_mesh_type = SFC_MESH_MESH;
	o->connection_type = SFC_OVERLAY_CONN_VXLAN;
	o->has_mesh = true;
	o->mesh.vni_range_start = vni_lo;
	o->mesh.vni_range_end = vni_hi;
	o->mesh.loopback_ipam_pool_name = mb_str(pool);
	o->mesh.create_loopback_interface = pool != NULL;
	o->mesh.create_loopback_static_routes = pool != NULL;
	o->mesh.network_node_interface_label = mb_str(label);
	return o;
}

static inline struct sfc_overlay *
mb_hub(struct sfc_model *m, const char *name, const char *hub, uint32_t vni, const char *label)
{
	struct sfc_overlay *o = MB_PUSH(m->overlays, m->n_overlays);
	o->meta.name = mb_str(name);
	o->service_mesh_type = SFC_MESH_HUB_AND_SPOKE;
	o->connection_type = SFC_OVERLAY_CONN_VXLAN;
	o->has_hub_and_spoke = true;
	o->hub_and_spoke.hub_node_name = mb_str(hub);
	o->hub_and_spoke.vni = vni;
	o->hub_and_spoke.network_node_interface_label = mb_str(label);
	return o;
}

static inline struct sfc_service *
mb_svc(struct sfc_model *m, const char *name)
{
	struct sfc_service *s = MB_PUSH(m->services, m->n_services);
	s->meta.name = mb_str(name);
	return s;
}

static inline struct sfc_pod *
mb_pod(struct sfc_service *s, const char *name, enum sfc_pod_type t)
{
	struct sfc_pod *p = MB_PUSH(s->pods, s->n_pods);
	p->meta.name = mb_str(name);
	p->pod_type = t;
	return p;
}

static inline struct sfc_interface *
mb_if(struct sfc_pod *p, const char *name, enum sfc_if_type t)
{
	struct sfc_interface *i = MB_PUSH(p->interfaces, p->n_interfaces);
	i->name = mb_str(name);
	i->if_type = t;
	return i;
}

/* A connection; refs are "pod/if" (pod interfaces) or "@node/if" (node interfaces), NULL
 * ended. */
static inline struct sfc_connection *
mb_conn(struct sfc_service *s, enum sfc_conn_type t, enum sfc_conn_method meth, const char *overlay,
	...)
{
	struct sfc_connection *c = MB_PUSH(s->connections, s->n_connections);
	c->conn_type = t;
	c->conn_method = meth;
	c->network_node_overlay_name = mb_str(overlay);
	va_list ap;
	va_start(ap, overlay);
	for (const char *r; (r = va_arg(ap, const char *));) {
		if (r[0] == '@')
			mb_strs(&c->node_interfaces, &c->n_node_interfaces, r + 1);
		else
			mb_strs(&c->pod_interfaces, &c->n_pod_interfaces, r);
	}
	va_end(ap);
	return c;
}

#endif

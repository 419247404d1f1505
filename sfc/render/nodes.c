/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: network nodes (the vswitch agent of each node, label = node name): the node's
 * ethernet interfaces and its own bridge domains (sfc-controller's networknode.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
node_cmp_key(const void *k, const void *e)
{
	const struct sfc_node *n = *(const struct sfc_node *const *)e;
	return str_cmp((const char *)k, n->meta.name);
}

const struct sfc_node *
find_node(const struct rctx *c, const char *name)
{
	if (!name)
		return NULL;
	const struct sfc_node *const *p =
	    bsearch(name, c->nodes, c->n_nodes, sizeof(*c->nodes), node_cmp_key);
	return p ? *p : NULL;
}

const struct sfc_interface *
node_if(const struct sfc_node *n, const char *name)
{
	for (size_t i = 0; n && name && i < n->n_interfaces; i++)
		if (!str_cmp(n->interfaces[i].name, name))
			return &n->interfaces[i];
	return NULL;
}

bool
has_label(const struct sfc_interface *i, const char *label)
{
	for (size_t j = 0; label && j < i->n_labels; j++)
		if (!str_cmp(i->labels[j], label))
			return true;
	return false;
}

/* A Linux interface name ligd's af_packet can attach to. */
static bool
linux_ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 15)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

int
render_node(struct rctx *c, const struct sfc_node *n)
{
	const char *label = n->meta.name;
	for (size_t i = 0; i < n->n_interfaces; i++) {
		const struct sfc_interface *ifc = &n->interfaces[i];
		if (ifc->if_type != SFC_IF_ETHERNET || ifc->bypass_renderer)
			continue;
		/* Ligature's vswitch has no physical NICs: a node's ethernet interface is ligd's
		 * af_packet on the Linux interface named by host_port_label, else by its name. */
		const char *host =
		    !str_empty(ifc->host_port_label) ? ifc->host_port_label : ifc->name;
		if (!linux_ifname_ok(host)) {
			rerr(c,
			     "interface %s: an ethernet interface is ligd's af_packet on a Linux "
			     "interface: set host_port_label to its Linux name (1..15 bytes, no "
			     "'/', ':' or spaces), '%s' is not one",
			     ifc->name ? ifc->name : "", host ? host : "");
			continue;
		}
		struct rend e = {.parent = label, .ifc = ifc, .node = label};
		if (end_resolve(c, &e) < 0)
			continue;
		struct vif v = {.name = ifc->name,
				.type = "AF_PACKET",
				.enabled = ifc->admin_status != SFC_ADMIN_DISABLED,
				.mac = e.mac,
				.ips = e.ips,
				.n_ips = e.n_ips,
				.mtu = sys_mtu(c, ifc->mtu),
				.host_if_name = host};
		emit_vpp_if(c, label, &v);
		for (size_t j = 0; j < e.n_ips; j++)
			free(e.ips[j]);
		free(e.ips);
	}
	for (size_t i = 0; i < n->n_l2bds; i++) {
		const struct sfc_l2bd *bd = &n->l2bds[i];
		const struct sfc_bd_parms *parms = bd_parms_of(c, bd);
		if (!parms)
			continue;
		char name[LIG_MODEL_NAME_MAX + 1];
		rname(name, sizeof(name), "L2BD_%s_%s", label, bd->name ? bd->name : "");
		emit_bd(c, label, name, parms);
	}
	return c->n_msg ? -1 : 0;
}

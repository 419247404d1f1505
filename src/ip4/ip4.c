/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IPv4 side of interfaces: addresses (with their connected and local routes) and
 * VRF binding. api.c and the tests call these; the datapath reads lig_ip4_main.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "ip4.h"

struct lig_ip4_main lig_ip4_main;

static inline u32
mask_net(u8 len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

u32
lig_ip4_interface_source(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return 0;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (((c->addrs[i].addr ^ ip_net) & mask_net(c->addrs[i].len)) == 0)
			return c->addrs[i].addr;
	return c->n_addrs ? c->addrs[0].addr : 0;
}

bool
lig_ip4_interface_on_subnet(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return false;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (((c->addrs[i].addr ^ ip_net) & mask_net(c->addrs[i].len)) == 0 &&
		    c->addrs[i].addr != ip_net)
			return true;
	return false;
}

bool
lig_ip4_interface_is_local(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return false;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].addr == ip_net)
			return true;
	return false;
}

u32
lig_ip4_address_owner(u32 fib_index, u32 addr, u32 except)
{
	/* Through the interface table (32 KB of pointers) rather than all of ifs[] (half a
	 * megabyte, most of it never written): this runs under the barrier. */
	for (u32 sw = 0; sw < LIG_IF_MAX; sw++)
		if (sw != except && lig_if_get(sw) && lig_ip4_main.ifs[sw].fib_index == fib_index &&
		    lig_ip4_interface_is_local(sw, addr))
			return sw;
	return LIG_INVALID_INDEX;
}

int
lig_ip4_add_del_interface_address(u32 sw_if_index, u32 addr, u8 len, bool is_add)
{
	struct lig_ip4_if *c;
	u32 i, fi;
	int rv;

	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	if (len > 32 || (is_add && len == 0))
		return -EINVAL;
	c = &lig_ip4_main.ifs[sw_if_index];
	fi = c->fib_index;
	for (i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].addr == addr)
			break;
	if (!is_add) {
		if (i == c->n_addrs || c->addrs[i].len != len)
			return -ENOENT;
		lig_fib_route_add_del(fi, addr, 32, LIG_FIB_SRC_INTERFACE, NULL, 0, false);
		if (len < 32) {
			/* The subnet route stays while another address of this interface is on it.
			 */
			bool shared = false;
			for (u32 k = 0; k < c->n_addrs; k++)
				if (k != i && c->addrs[k].len == len &&
				    ((c->addrs[k].addr ^ addr) & mask_net(len)) == 0)
					shared = true;
			if (!shared)
				lig_fib_route_add_del(fi, addr & mask_net(len), len,
						      LIG_FIB_SRC_INTERFACE, NULL, 0, false);
		}
		c->addrs[i] = c->addrs[--c->n_addrs];
		if (!c->n_addrs)
			lig_fib_main.tables[fi].n_interfaces--;
		return 0;
	}
	if (i < c->n_addrs)
		return -EEXIST;
	if (c->n_addrs == LIG_IP4_IF_MAX_ADDRS)
		return -ENOSPC;
	/* The same address on another interface of the same VRF would make two locals. */
	if (lig_ip4_address_owner(fi, addr, sw_if_index) != LIG_INVALID_INDEX)
		return -EEXIST;
	struct lig_fib_path p = {.type = LIG_FIB_PATH_ATTACHED, .sw_if_index = sw_if_index};
	if (len < 32) {
		/* One interface per connected subnet and VRF: a second would share (and on
		 * delete, take away) the first one's subnet route. */
		struct lig_fib_entry *e = lig_fib_entry_find(fi, addr & mask_net(len), len);
		if (e && e->source == LIG_FIB_SRC_INTERFACE && e->path.sw_if_index != sw_if_index)
			return -EADDRINUSE;
	}
	if (len < 32) {
		rv = lig_fib_route_add_del(fi, addr & mask_net(len), len, LIG_FIB_SRC_INTERFACE, &p,
					   1, true);
		if (rv < 0 && rv != -EEXIST)
			return rv;
	}
	struct lig_fib_path l = {.type = LIG_FIB_PATH_LOCAL, .sw_if_index = sw_if_index};
	rv = lig_fib_route_add_del(fi, addr, 32, LIG_FIB_SRC_INTERFACE, &l, 1, true);
	if (rv < 0) {
		if (len < 32)
			lig_fib_route_add_del(fi, addr & mask_net(len), len, LIG_FIB_SRC_INTERFACE,
					      NULL, 0, false);
		return rv;
	}
	if (!c->n_addrs)
		lig_fib_main.tables[fi].n_interfaces++;
	c->addrs[c->n_addrs].addr = addr;
	c->addrs[c->n_addrs++].len = len;
	return 0;
}

int
lig_ip4_set_interface_table(u32 sw_if_index, u32 table_id)
{
	u32 fi = lig_fib_table_find(table_id);
	struct lig_ip4_if *c;

	if (!lig_if_get(sw_if_index) || fi == LIG_INVALID_INDEX)
		return -ENOENT;
	c = &lig_ip4_main.ifs[sw_if_index];
	if (c->fib_index == fi)
		return 0;
	if (c->n_addrs)
		return -EBUSY;
	c->fib_index = fi;
	return 0;
}

/* Interface deleted: remove its addresses (and so its routes). Its neighbours went first:
 * the arp module depends on ip4, so it hears of the deletion before (their host routes
 * live in the table the interface is bound to). */
void
lig_ip4_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	struct lig_ip4_if *c = &lig_ip4_main.ifs[ifp->sw_if_index];

	if (ev != LIG_IF_EVENT_DELETE)
		return;
	while (c->n_addrs)
		lig_ip4_add_del_interface_address(ifp->sw_if_index, c->addrs[0].addr,
						  c->addrs[0].len, false);
	c->fib_index = 0;
	c->proxy_arp = 0;
	lig_ip4_features.enabled[ifp->sw_if_index] = 0;
}

/* -------- Input features -------- */

struct lig_ip4_features lig_ip4_features;

int
lig_ip4_feature_register(const char *node_name, u32 order)
{
	struct lig_ip4_features *fm = &lig_ip4_features;
	struct lig_node *n = lig_node_by_name(node_name), *in = lig_node_by_name("ip4-input");
	u32 f = fm->n, lookup = lig_ip4_main.lookup_node_index;
	int a;

	if (!n || !in)
		return -ENOENT;
	if (f >= LIG_IP4_MAX_FEATURES)
		return -ENOSPC;
	fm->node_index[f] = n->index;
	fm->order[f] = order;
	/* Arcs from ip4-input and every feature to every feature and to ip4-lookup. */
	for (u32 from = 0; from <= f + 1; from++) {
		u32 fi = from == 0 ? in->index : fm->node_index[from - 1];
		for (u32 to = 0; to <= f; to++) {
			if ((a = lig_node_add_next(fi, fm->node_index[to])) < 0)
				return a;
			fm->arc[from][to] = (u16)a;
		}
		if ((a = lig_node_add_next(fi, lookup)) < 0)
			return a;
		fm->arc[from][LIG_IP4_MAX_FEATURES] = (u16)a;
	}
	fm->n = f + 1;
	return (int)f;
}

int
lig_ip4_feature_enable(u32 sw_if_index, u32 feature, bool enable)
{
	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	if (feature >= lig_ip4_features.n)
		return -EINVAL;
	if (enable)
		lig_ip4_features.enabled[sw_if_index] |= (u8)(1u << feature);
	else
		lig_ip4_features.enabled[sw_if_index] &= (u8) ~(1u << feature);
	return 0;
}

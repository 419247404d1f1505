/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 API handlers (api.h): VRF tables, interface addresses, table binding and proxy
 * ARP, routes (single and bulk), neighbours. Each checks what the request means, calls
 * the control function of fib.c, ip4.c or arp.c and says in its own words what went
 * wrong. The CLI (cli.c) calls the same handlers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "api.h"
#include "ip4.h"

_Static_assert(LIG_IP4_API_PATH_NEXT_HOP == LIG_FIB_PATH_NEXT_HOP &&
		   LIG_IP4_API_PATH_ATTACHED == LIG_FIB_PATH_ATTACHED &&
		   LIG_IP4_API_PATH_DROP == LIG_FIB_PATH_DROP &&
		   LIG_IP4_API_PATH_LOCAL == LIG_FIB_PATH_LOCAL,
	       "API path types are the FIB's");
_Static_assert(sizeof(lig_api_ip4_route_item_t) == 14, "a bulk route item is 14 bytes");
#define LIG_IP4_API_BULK_SLICE 2048

struct ip_buf {
	char s[INET_ADDRSTRLEN];
};

static const char *
ip_str(u32 addr, struct ip_buf *b)
{
	return inet_ntop(AF_INET, &addr, b->s, sizeof(b->s));
}

static inline u32
mask_net(u8 len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

static bool
ip_is_unicast(u32 addr)
{
	u8 first = ((const u8 *)&addr)[0];
	return addr != 0 && first < 224;
}

/* The interface, or NULL with the error set. */
static struct lig_interface *
api_interface(struct lig_api_call *c, u32 sw_if_index, int *rv)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		*rv = lig_api_error(c, -ENOENT, "interface %u does not exist", sw_if_index);
	return ifp;
}

/* -------- tables -------- */

static int
lig_ip4_api_table_add_del(struct lig_api_call *c, const lig_api_ip_table_add_del_t *req,
			  lig_api_ip_table_add_del_reply_t *rep)
{
	u32 id = req->table_id, fi = lig_fib_table_find(id);
	(void)rep;

	if (req->is_add) {
		char name[sizeof(req->name)];
		size_t n = strnlen(req->name, sizeof(req->name));
		if (n == sizeof(req->name))
			return lig_api_error(c, -EINVAL,
					     "table %u: a name has at most %zu characters", id,
					     sizeof(req->name) - 1);
		memcpy(name, req->name, n + 1);
		for (size_t i = 0; i < n; i++)
			if (name[i] < 0x20 || name[i] > 0x7e || name[i] == '"')
				return lig_api_error(
				    c, -EINVAL, "table %u: a name is printable ASCII but '\"'", id);
		if (fi != LIG_INVALID_INDEX) {
			/* idempotent, as VPP; a name given renames it */
			if (n)
				lig_fib_table_set_name(id, name);
			return 0;
		}
		int rv = lig_fib_table_add_del(id, true);
		if (rv == -ENOSPC)
			return lig_api_error(c, rv, "no room for table %u: at most %u tables", id,
					     LIG_FIB_MAX_TABLES);
		if (rv < 0)
			return lig_api_error(c, rv, "cannot create table %u: %s", id,
					     strerror(-rv));
		lig_fib_table_set_name(id, name);
		return 0;
	}
	if (id == 0)
		return lig_api_error(c, -EBUSY,
				     "table 0 is in use: the default table cannot be deleted");
	if (fi == LIG_INVALID_INDEX)
		return lig_api_error(c, -ENOENT, "no table %u", id);
	const struct lig_fib_table *t = &lig_fib_main.tables[fi];
	if (t->n_interfaces) {
		/* Users are interfaces with addresses and tunnels encapsulating in it. */
		u32 n_if = 0;
		for (u32 sw = 0; sw < LIG_IF_MAX; sw++)
			if (lig_if_get(sw) && lig_ip4_main.ifs[sw].fib_index == fi &&
			    lig_ip4_main.ifs[sw].n_addrs)
				n_if++;
		u32 n_other = t->n_interfaces - LIG_MIN(n_if, t->n_interfaces);
		if (n_if && n_other)
			return lig_api_error(c, -EBUSY,
					     "table %u is in use by %u interface%s with addresses "
					     "and %u tunnel%s; remove them first",
					     id, n_if, n_if == 1 ? "" : "s", n_other,
					     n_other == 1 ? "" : "s");
		if (n_if)
			return lig_api_error(c, -EBUSY,
					     "table %u is in use by %u interface%s with addresses; "
					     "delete the addresses first",
					     id, n_if, n_if == 1 ? "" : "s");
		return lig_api_error(c, -EBUSY,
				     "table %u is in use by %u tunnel%s encapsulating in it; "
				     "delete %s first",
				     id, n_other, n_other == 1 ? "" : "s",
				     n_other == 1 ? "it" : "them");
	}
	int rv = lig_fib_table_add_del(id, false);
	if (rv < 0)
		return lig_api_error(c, rv, "cannot delete table %u: %s", id, strerror(-rv));
	return 0;
}
LIG_API_HANDLER_MP_SAFE(ip_table_add_del, lig_ip4_api_table_add_del);

static int
lig_ip4_api_table_dump(struct lig_api_call *c, const lig_api_ip_table_dump_t *req)
{
	(void)req;
	for (u64 i = c->cursor; i < LIG_FIB_MAX_TABLES; i++) {
		const struct lig_fib_table *t = &lig_fib_main.tables[i];
		if (!t->in_use)
			continue;
		lig_api_ip_table_dump_details_t d = {.table_id = t->table_id,
						     .n_routes = t->n_routes};
		snprintf(d.name, sizeof(d.name), "%s", t->name);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_table_dump, lig_ip4_api_table_dump);

/* -------- interfaces -------- */

static int
lig_ip4_api_set_table(struct lig_api_call *c, const lig_api_sw_interface_set_table_t *req,
		      lig_api_sw_interface_set_table_reply_t *rep)
{
	int rv = 0;
	struct lig_interface *ifp = api_interface(c, req->sw_if_index, &rv);
	(void)rep;

	if (!ifp)
		return rv;
	if (lig_fib_table_find(req->table_id) == LIG_INVALID_INDEX)
		return lig_api_error(c, -ENOENT, "no table %u (ip table add %u)", req->table_id,
				     req->table_id);
	rv = lig_ip4_set_interface_table(req->sw_if_index, req->table_id);
	if (rv == -EBUSY)
		return lig_api_error(c, rv, "interface %s has addresses; delete them first",
				     ifp->name);
	if (rv < 0)
		return lig_api_error(c, rv, "interface %s: cannot bind to table %u: %s", ifp->name,
				     req->table_id, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(sw_interface_set_table, lig_ip4_api_set_table);

static int
lig_ip4_api_add_del_address(struct lig_api_call *c,
			    const lig_api_sw_interface_add_del_address_t *req,
			    lig_api_sw_interface_add_del_address_reply_t *rep)
{
	int rv = 0;
	struct lig_interface *ifp = api_interface(c, req->sw_if_index, &rv);
	const struct lig_ip4_if *ic;
	struct ip_buf a;
	(void)rep;

	if (!ifp)
		return rv;
	ic = &lig_ip4_main.ifs[req->sw_if_index];
	ip_str(req->address, &a);
	if (req->len < 1 || req->len > 32)
		return lig_api_error(c, -EINVAL, "prefix length %u out of range (1..32)", req->len);
	if (req->is_add && !ip_is_unicast(req->address))
		return lig_api_error(c, -EINVAL, "%s is not a unicast address", a.s);
	rv = lig_ip4_add_del_interface_address(req->sw_if_index, req->address, req->len,
					       req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -EEXIST: {
		struct lig_interface *o = lig_if_get(
		    lig_ip4_address_owner(ic->fib_index, req->address, ifp->sw_if_index));
		if (o)
			return lig_api_error(
			    c, rv, "address %s is already configured on %s (table %u)", a.s,
			    o->name, lig_fib_main.tables[ic->fib_index].table_id);
		return lig_api_error(c, rv, "address %s is already configured on %s", a.s,
				     ifp->name);
	}
	case -ENOENT:
		return lig_api_error(c, rv,
				     "no such address on the interface: %s/%u is not an "
				     "address of %s",
				     a.s, req->len, ifp->name);
	case -EADDRINUSE: {
		struct ip_buf n;
		const struct lig_fib_entry *e =
		    lig_fib_entry_find(ic->fib_index, req->address & mask_net(req->len), req->len);
		const struct lig_interface *o = e ? lig_if_get(e->path.sw_if_index) : NULL;
		return lig_api_error(c, rv, "subnet %s/%u is configured on another interface (%s)",
				     ip_str(req->address & mask_net(req->len), &n), req->len,
				     o ? o->name : "?");
	}
	case -ENOSPC:
		return lig_api_error(c, rv, "interface %s has %u addresses already (at most %u)",
				     ifp->name, ic->n_addrs, LIG_IP4_IF_MAX_ADDRS);
	default:
		return lig_api_error(c, rv, "interface %s: cannot %s %s/%u: %s", ifp->name,
				     req->is_add ? "add" : "delete", a.s, req->len, strerror(-rv));
	}
}
LIG_API_HANDLER(sw_interface_add_del_address, lig_ip4_api_add_del_address);

static int
lig_ip4_api_set_proxy_arp(struct lig_api_call *c, const lig_api_sw_interface_set_proxy_arp_t *req,
			  lig_api_sw_interface_set_proxy_arp_reply_t *rep)
{
	int rv = 0;
	(void)rep;

	if (!api_interface(c, req->sw_if_index, &rv))
		return rv;
	return lig_arp_proxy_enable_disable(req->sw_if_index, req->enable);
}
LIG_API_HANDLER(sw_interface_set_proxy_arp, lig_ip4_api_set_proxy_arp);

static int
lig_ip4_api_interface_dump(struct lig_api_call *c, const lig_api_ip_interface_dump_t *req)
{
	u32 from = 1, to = LIG_IF_MAX;

	if (req->sw_if_index) {
		int rv = 0;
		if (!api_interface(c, req->sw_if_index, &rv))
			return rv;
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 sw = LIG_MAX(c->cursor, from); sw < to; sw++) {
		const struct lig_ip4_if *ic = &lig_ip4_main.ifs[sw];
		if (!lig_if_get((u32)sw))
			continue;
		lig_api_ip_interface_dump_details_t d = {
		    .sw_if_index = (u32)sw,
		    .table_id = lig_fib_main.tables[ic->fib_index].table_id,
		    .proxy_arp = ic->proxy_arp,
		    .n_addresses = ic->n_addrs};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = sw + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_interface_dump, lig_ip4_api_interface_dump);

/* The cursor is sw_if_index * LIG_IP4_IF_MAX_ADDRS + the address's position. */
static int
lig_ip4_api_address_dump(struct lig_api_call *c, const lig_api_ip_address_dump_t *req)
{
	u64 from = LIG_IP4_IF_MAX_ADDRS, to = (u64)LIG_IF_MAX * LIG_IP4_IF_MAX_ADDRS;

	if (req->sw_if_index) {
		int rv = 0;
		if (!api_interface(c, req->sw_if_index, &rv))
			return rv;
		from = (u64)req->sw_if_index * LIG_IP4_IF_MAX_ADDRS;
		to = from + LIG_IP4_IF_MAX_ADDRS;
	}
	for (u64 k = LIG_MAX(c->cursor, from); k < to; k++) {
		u32 sw = (u32)(k / LIG_IP4_IF_MAX_ADDRS), i = (u32)(k % LIG_IP4_IF_MAX_ADDRS);
		const struct lig_ip4_if *ic = &lig_ip4_main.ifs[sw];
		if (i >= ic->n_addrs || !lig_if_get(sw)) {
			k = (u64)sw * LIG_IP4_IF_MAX_ADDRS + LIG_IP4_IF_MAX_ADDRS - 1;
			continue;
		}
		lig_api_ip_address_dump_details_t d = {
		    .sw_if_index = sw, .address = ic->addrs[i].addr, .len = ic->addrs[i].len};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = k + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_address_dump, lig_ip4_api_address_dump);

/* -------- routes -------- */

static const char *
route_str(u32 addr, u8 len, char *buf, size_t size)
{
	struct ip_buf a;
	snprintf(buf, size, "%s/%u", ip_str(addr & mask_net(len), &a), len);
	return buf;
}

/* Checks one path and fills the FIB's; 0 or -errno with the error naming the route. */
static int
api_path(struct lig_api_call *c, const char *route, u8 type, u8 weight, u32 nh, u32 sw_if_index,
	 struct lig_fib_path *p)
{
	struct ip_buf a;

	memset(p, 0, sizeof(*p));
	p->type = type;
	p->weight = weight;
	p->sw_if_index = LIG_INVALID_INDEX;
	switch (type) {
	case LIG_FIB_PATH_NEXT_HOP:
		if (!ip_is_unicast(nh))
			return lig_api_error(c, -EINVAL, "route %s: next hop %s is not unicast",
					     route, ip_str(nh, &a));
		p->nh = nh;
		if (sw_if_index != LIG_INVALID_INDEX && !lig_if_get(sw_if_index))
			return lig_api_error(c, -ENOENT, "route %s: interface %u does not exist",
					     route, sw_if_index);
		p->sw_if_index = sw_if_index;
		return 0;
	case LIG_FIB_PATH_ATTACHED:
		if (!lig_if_get(sw_if_index))
			return lig_api_error(c, -ENOENT, "route %s: interface %u does not exist",
					     route, sw_if_index);
		p->sw_if_index = sw_if_index;
		return 0;
	case LIG_FIB_PATH_DROP:
	case LIG_FIB_PATH_LOCAL:
		return 0;
	default:
		return lig_api_error(c, -EINVAL, "route %s: unknown path type %u", route, type);
	}
}

/* The error of a failed route add or delete, in words. */
static int
route_error(struct lig_api_call *c, int rv, const char *route, u32 fi, const struct lig_fib_path *p,
	    u32 n, bool is_add)
{
	u32 table_id = lig_fib_main.tables[fi].table_id;

	switch (rv) {
	case -EHOSTUNREACH:
		for (u32 i = 0; i < n; i++) {
			if (p[i].type != LIG_FIB_PATH_NEXT_HOP ||
			    p[i].sw_if_index != LIG_INVALID_INDEX)
				continue;
			u32 lbi = lig_fib_lookup_lb(fi, p[i].nh);
			u8 t = lig_adj_get(lig_fib_lb_get(lbi)->buckets[0])->type;
			if (t != LIG_ADJ_GLEAN && t != LIG_ADJ_NEIGHBOR) {
				struct ip_buf a;
				return lig_api_error(c, rv,
						     "route %s: next hop %s is not on a connected "
						     "subnet nor routed (table %u)",
						     route, ip_str(p[i].nh, &a), table_id);
			}
		}
		return lig_api_error(c, rv,
				     "route %s: next hop is not on a connected subnet nor "
				     "routed (table %u)",
				     route, table_id);
	case -EEXIST:
		return lig_api_error(c, rv,
				     "route %s: prefix is an interface (connected/local) route in "
				     "table %u",
				     route, table_id);
	case -ENOENT:
		if (is_add)
			return lig_api_error(c, rv, "route %s: an interface of a path is gone",
					     route);
		return lig_api_error(c, rv, "route %s: no such route or path in table %u", route,
				     table_id);
	case -EINVAL:
		return lig_api_error(c, rv, "route %s: at most %u paths", route, LIG_FIB_MAX_PATHS);
	default:
		return lig_api_error(c, rv, "route %s in table %u: %s", route, table_id,
				     strerror(-rv));
	}
}

static int
lig_ip4_api_route_add_del(struct lig_api_call *c, const lig_api_ip_route_add_del_t *req,
			  lig_api_ip_route_add_del_reply_t *rep)
{
	struct lig_fib_path paths[LIG_FIB_MAX_PATHS];
	u32 fi = lig_fib_table_find(req->table_id);
	char route[32];
	int rv;
	(void)rep;

	if (req->len > 32)
		return lig_api_error(c, -EINVAL, "prefix length %u out of range (0..32)", req->len);
	route_str(req->address, req->len, route, sizeof(route));
	if (fi == LIG_INVALID_INDEX)
		return lig_api_error(c, -ENOENT, "no table %u (ip table add %u)", req->table_id,
				     req->table_id);
	if (req->is_add && !req->n_paths)
		return lig_api_error(c, -EINVAL,
				     "route %s: expected a path (next hop, interface, "
				     "drop or local)",
				     route);
	if (req->n_paths > LIG_FIB_MAX_PATHS)
		return lig_api_error(c, -EINVAL, "route %s: at most %u paths", route,
				     LIG_FIB_MAX_PATHS);
	for (u32 i = 0; i < req->n_paths; i++) {
		const lig_api_ip4_path_t *p = &req->paths[i];
		rv = api_path(c, route, p->type, p->weight, p->nh, p->sw_if_index, &paths[i]);
		if (rv < 0)
			return rv;
	}
	if (req->is_add && !req->is_multipath)
		rv = lig_fib_route_update(fi, req->address, req->len, LIG_FIB_SRC_API, paths,
					  req->n_paths);
	else
		rv = lig_fib_route_add_del(fi, req->address, req->len, LIG_FIB_SRC_API, paths,
					   req->n_paths, req->is_add);
	if (rv < 0)
		return route_error(c, rv, route, fi, paths, req->n_paths, req->is_add);
	return 0;
}
LIG_API_HANDLER_MP_SAFE(ip_route_add_del, lig_ip4_api_route_add_del);

static int
lig_ip4_api_route_bulk(struct lig_api_call *c, const lig_api_ip_route_add_del_bulk_t *req,
		       lig_api_ip_route_add_del_bulk_reply_t *rep)
{
	u32 fi = lig_fib_table_find(req->table_id);
	char route[32], what[64];
	int rv = 0;

	if (fi == LIG_INVALID_INDEX)
		return lig_api_error(c, -ENOENT, "no table %u (ip table add %u)", req->table_id,
				     req->table_id);
	/* In slices of LIG_IP4_API_BULK_SLICE routes (about a millisecond), so a 1 MiB
	 * request never holds up forwarding or other clients (api_server.h). */
	u32 end = LIG_MIN(req->n_routes, (u32)c->cursor + LIG_IP4_API_BULK_SLICE);
	for (u32 i = (u32)c->cursor; i < end; i++) {
		const lig_api_ip4_route_item_t *r = &req->routes[i];
		struct lig_fib_path p = {.sw_if_index = LIG_INVALID_INDEX};

		if (r->len > 32) {
			rep->n_done = i;
			return lig_api_error(c, -EINVAL,
					     "route %u: prefix length %u out of range "
					     "(0..32)",
					     i, r->len);
		}
		if (req->is_add) {
			/* The common case first, without building the route's name. */
			if (r->type == LIG_FIB_PATH_NEXT_HOP && ip_is_unicast(r->nh) &&
			    (r->sw_if_index == LIG_INVALID_INDEX || lig_if_get(r->sw_if_index))) {
				memset(&p, 0, sizeof(p));
				p.type = LIG_FIB_PATH_NEXT_HOP;
				p.nh = r->nh;
				p.sw_if_index = r->sw_if_index;
			} else {
				route_str(r->address, r->len, route, sizeof(route));
				snprintf(what, sizeof(what), "%u (%s)", i, route);
				rv = api_path(c, what, r->type, 1, r->nh, r->sw_if_index, &p);
				if (rv < 0) {
					rep->n_done = i;
					return rv;
				}
			}
			rv = lig_fib_route_update(fi, r->address, r->len, LIG_FIB_SRC_API, &p, 1);
		} else {
			rv = lig_fib_route_add_del(fi, r->address, r->len, LIG_FIB_SRC_API, NULL, 0,
						   false);
		}
		if (rv < 0) {
			rep->n_done = i;
			route_str(r->address, r->len, route, sizeof(route));
			snprintf(what, sizeof(what), "%u (%s)", i, route);
			return route_error(c, rv, what, fi, &p, req->is_add ? 1 : 0, req->is_add);
		}
	}
	rep->n_done = end;
	if (end < req->n_routes) {
		c->cursor = end;
		return LIG_API_MORE;
	}
	return 0;
}
LIG_API_HANDLER_MP_SAFE(ip_route_add_del_bulk, lig_ip4_api_route_bulk);

static int
lig_ip4_api_route_dump(struct lig_api_call *c, const lig_api_ip_route_dump_t *req)
{
	u32 fi = LIG_INVALID_INDEX;

	if (req->by_table) {
		fi = lig_fib_table_find(req->table_id);
		if (fi == LIG_INVALID_INDEX)
			return lig_api_error(c, -ENOENT, "no table %u", req->table_id);
	}
	if (req->source > LIG_FIB_SRC_INTERFACE)
		return lig_api_error(c, -EINVAL, "unknown route source %u (0..3)", req->source);
	for (u64 ei = c->cursor; ei < lig_fib_main.n_entries_alloc; ei++) {
		struct lig_fib_entry *e = lig_fib_entry_at((u32)ei);
		u8 buf[sizeof(lig_api_ip_route_dump_details_t) +
		       LIG_FIB_MAX_PATHS * sizeof(lig_api_ip4_path_t)];
		lig_api_ip_route_dump_details_t *d = (void *)buf;
		if (!e || (fi != LIG_INVALID_INDEX && e->fib_index != fi) ||
		    (req->source && e->source != req->source))
			continue;
		d->table_id = lig_fib_main.tables[e->fib_index].table_id;
		d->address = e->addr;
		d->len = e->len;
		d->source = e->source;
		d->n_paths = e->n_paths;
		for (u32 i = 0; i < e->n_paths; i++) {
			const struct lig_fib_path *fp = lig_fib_entry_path(e, i);
			lig_api_ip4_path_t *p = &d->paths[i];
			p->type = fp->type == LIG_FIB_PATH_ADJ ? LIG_FIB_PATH_NEXT_HOP : fp->type;
			p->weight = fp->weight;
			p->nh = p->type == LIG_FIB_PATH_NEXT_HOP ? fp->nh : 0;
			p->sw_if_index = fp->flags & LIG_FIB_PATH_F_VIA_TABLE ? LIG_INVALID_INDEX
									      : fp->sw_if_index;
		}
		if (!lig_api_details(c, buf,
				     sizeof(*d) + e->n_paths * sizeof(lig_api_ip4_path_t))) {
			c->cursor = ei + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_route_dump, lig_ip4_api_route_dump);

/* -------- neighbours -------- */

static int
lig_ip4_api_neighbor_add_del(struct lig_api_call *c, const lig_api_ip_neighbor_add_del_t *req,
			     lig_api_ip_neighbor_add_del_reply_t *rep)
{
	int rv = 0;
	struct lig_interface *ifp = api_interface(c, req->sw_if_index, &rv);
	struct ip_buf a;
	(void)rep;

	if (!ifp)
		return rv;
	ip_str(req->address, &a);
	if (req->is_add) {
		if (!ip_is_unicast(req->address))
			return lig_api_error(c, -EINVAL, "neighbour %s is not a unicast address",
					     a.s);
		if ((req->mac[0] & 1) || !memcmp(req->mac, "\0\0\0\0\0\0", 6))
			return lig_api_error(c, -EINVAL,
					     "neighbour %s: %02x:%02x:%02x:%02x:%02x:%02x is not a "
					     "unicast MAC",
					     a.s, req->mac[0], req->mac[1], req->mac[2],
					     req->mac[3], req->mac[4], req->mac[5]);
	}
	rv = lig_arp_neighbor_add_del(req->sw_if_index, req->address, req->is_add ? req->mac : NULL,
				      req->is_static, req->is_add);
	lig_graph_dispatch_pending(); /* packets it released from ip4-glean */
	if (rv == -ENOENT)
		return lig_api_error(c, rv, "no neighbour %s on %s", a.s, ifp->name);
	if (rv == -ENOSPC)
		return lig_api_error(c, rv, "neighbour table full (%u entries)",
				     LIG_ARP_MAX_NEIGHBORS);
	if (rv < 0)
		return lig_api_error(c, rv, "neighbour %s on %s: %s", a.s, ifp->name,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER(ip_neighbor_add_del, lig_ip4_api_neighbor_add_del);

static int
lig_ip4_api_neighbor_dump(struct lig_api_call *c, const lig_api_ip_neighbor_dump_t *req)
{
	u64 now = lig_time_now_ns();

	if (req->sw_if_index && !lig_if_get(req->sw_if_index))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	for (u64 i = c->cursor; i < LIG_ARP_MAX_NEIGHBORS; i++) {
		const struct lig_arp_neighbor *n = lig_arp_neighbor_at((u32)i);
		if (!n || (req->sw_if_index && n->sw_if_index != req->sw_if_index) ||
		    (req->static_only && !n->is_static))
			continue;
		lig_api_ip_neighbor_dump_details_t d = {.sw_if_index = n->sw_if_index,
							.address = n->ip,
							.is_static = n->is_static,
							.age_ns = now - n->updated_ns};
		memcpy(d.mac, n->mac, 6);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_neighbor_dump, lig_ip4_api_neighbor_dump);

static int
lig_ip4_api_neighbor_config(struct lig_api_call *c, const lig_api_ip_neighbor_config_t *req,
			    lig_api_ip_neighbor_config_reply_t *rep)
{
	(void)c;
	(void)rep;
	lig_arp_age_seconds = req->age_seconds;
	return 0;
}
LIG_API_HANDLER(ip_neighbor_config, lig_ip4_api_neighbor_config);

static int
lig_ip4_api_neighbor_config_dump(struct lig_api_call *c,
				 const lig_api_ip_neighbor_config_dump_t *req)
{
	lig_api_ip_neighbor_config_dump_details_t d = {.age_seconds = lig_arp_age_seconds};
	(void)req;

	if (c->cursor == 0 && !lig_api_details(c, &d, sizeof(d))) {
		c->cursor = 1;
		return LIG_API_MORE;
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(ip_neighbor_config_dump, lig_ip4_api_neighbor_config_dump);

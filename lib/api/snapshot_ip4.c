/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot steps of ip4: VRF tables (order 90, before the interfaces of 100 because a
 * VXLAN tunnel names its encap table when it is created), the IPv4 side of interfaces
 * and neighbour aging (400), configured routes and static neighbours (500). Derived
 * state (interface and neighbour routes, learned neighbours) is neither copied nor part
 * of the text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip4/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_ip4_ctx {
	struct lig_snap *s;
	int rv;
};

/* Copies a dump's details (valid during the callback only) into an aligned buffer. */
#define SNAP_COPY(type, var, details, size)                                                        \
	type var;                                                                                  \
	memset(&var, 0, sizeof(var));                                                              \
	memcpy(&var, details, LIG_MIN((size_t)(size), sizeof(var)))

static int
lig_snap_ip4_dump_rv(struct lig_snap *s, struct lig_api_client *c, int rv, int cb_rv)
{
	if (cb_rv)
		return cb_rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(c)) : 0;
}

/* -------- tables (90) -------- */

static bool
lig_snap_table_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_ip4_ctx *x = ctx;
	SNAP_COPY(lig_api_ip_table_dump_details_t, d, details, size);
	lig_api_ip_table_add_del_t req = {.table_id = d.table_id, .is_add = 1};
	lig_api_ip_table_add_del_reply_t rep;

	if (x->rv)
		return false;
	memcpy(req.name, d.name, sizeof(req.name));
	req.name[sizeof(req.name) - 1] = 0;
	if ((d.table_id || d.name[0]) &&
	    (x->rv = LIG_API_CLIENT_CALL(x->s->to, ip_table_add_del, &req, &rep)))
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_table_copy(struct lig_snap *s)
{
	struct lig_snap_ip4_ctx x = {.s = s};
	lig_api_ip_table_dump_t req;
	int rv = LIG_API_CLIENT_DUMP(s->from, ip_table_dump, &req, lig_snap_table_copy_one, &x);

	return lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
}

static bool
lig_snap_json_one(struct lig_snap_ip4_ctx *x, const char *prefix, u16 msg_id, const void *details,
		  u32 size)
{
	if (x->rv)
		return false;
	x->rv = lig_snap_json(x->s, prefix, msg_id, details, size);
	if (x->rv)
		lig_snap_fail(x->s, x->rv, "out of memory");
	return x->rv == 0;
}

static bool
lig_snap_table_text_one(void *ctx, const void *details, u32 size)
{
	return lig_snap_json_one(ctx, "ip_table", LIG_API_ID_ip_table_dump, details, size);
}

static int
lig_snap_table_text(struct lig_snap *s)
{
	struct lig_snap_ip4_ctx x = {.s = s};
	lig_api_ip_table_dump_t req;
	int rv = LIG_API_CLIENT_DUMP(s->from, ip_table_dump, &req, lig_snap_table_text_one, &x);

	return lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
}

LIG_SNAP_STEP("ip4 tables", 90, lig_snap_table_copy, lig_snap_table_text)

/* -------- interfaces and neighbour aging (400) -------- */

/* An interface whose settings differ from a new one's. */
static bool
lig_snap_if_configured(const lig_api_ip_interface_dump_details_t *d)
{
	return d->table_id || d->proxy_arp;
}

/* The target's interface of the same name, or ~0 with the error set. */
static u32
lig_snap_ip4_if_to(struct lig_snap_ip4_ctx *x, u32 sw_if_index)
{
	u32 to = lig_snap_if_to(x->s, sw_if_index);

	if (to == ~0u) {
		const char *name = lig_snap_if_name(x->s, sw_if_index);
		x->rv =
		    lig_snap_fail(x->s, -ENOENT, "interface %s was not created", name ? name : "?");
	}
	return to;
}

static bool
lig_snap_ip4_if_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_ip4_ctx *x = ctx;
	SNAP_COPY(lig_api_ip_interface_dump_details_t, d, details, size);

	if (x->rv)
		return false;
	if (!lig_snap_if_configured(&d))
		return true;
	u32 to = lig_snap_ip4_if_to(x, d.sw_if_index);
	if (to == ~0u)
		return false;
	if (d.table_id) {
		lig_api_sw_interface_set_table_t t = {.sw_if_index = to, .table_id = d.table_id};
		lig_api_sw_interface_set_table_reply_t tr;
		if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_table, &t, &tr)) < 0)
			return lig_snap_fail(x->s, x->rv, "%s", tr.error), false;
	}
	if (d.proxy_arp) {
		lig_api_sw_interface_set_proxy_arp_t p = {.sw_if_index = to, .enable = 1};
		lig_api_sw_interface_set_proxy_arp_reply_t pr;
		if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_proxy_arp, &p, &pr)) <
		    0)
			return lig_snap_fail(x->s, x->rv, "%s", pr.error), false;
	}
	return true;
}

/* After the tables are bound: an address goes into its interface's table. */
static bool
lig_snap_ip4_addr_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_ip4_ctx *x = ctx;
	SNAP_COPY(lig_api_ip_address_dump_details_t, d, details, size);

	if (x->rv)
		return false;
	u32 to = lig_snap_ip4_if_to(x, d.sw_if_index);
	if (to == ~0u)
		return false;
	lig_api_sw_interface_add_del_address_t a = {
	    .sw_if_index = to, .address = d.address, .len = d.len, .is_add = 1};
	lig_api_sw_interface_add_del_address_reply_t ar;
	if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_add_del_address, &a, &ar)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", ar.error);
	return x->rv == 0;
}

static bool
lig_snap_nbr_config_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_ip4_ctx *x = ctx;
	SNAP_COPY(lig_api_ip_neighbor_config_dump_details_t, d, details, size);
	lig_api_ip_neighbor_config_t req = {.age_seconds = d.age_seconds};
	lig_api_ip_neighbor_config_reply_t rep;

	if (x->rv)
		return false;
	if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, ip_neighbor_config, &req, &rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_ip4_if_copy(struct lig_snap *s)
{
	struct lig_snap_ip4_ctx x = {.s = s};
	lig_api_ip_interface_dump_t req = {0};
	lig_api_ip_neighbor_config_dump_t nreq;
	lig_api_ip_address_dump_t areq = {0};
	int rv =
	    LIG_API_CLIENT_DUMP(s->from, ip_interface_dump, &req, lig_snap_ip4_if_copy_one, &x);

	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
	if (rv < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_address_dump, &areq, lig_snap_ip4_addr_copy_one, &x);
	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
	if (rv < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_neighbor_config_dump, &nreq,
				 lig_snap_nbr_config_copy_one, &x);
	return lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
}

static bool
lig_snap_ip4_if_text_one(void *ctx, const void *details, u32 size)
{
	SNAP_COPY(lig_api_ip_interface_dump_details_t, d, details, size);

	if (!lig_snap_if_configured(&d))
		return true;
	return lig_snap_json_one(ctx, "ip_interface", LIG_API_ID_ip_interface_dump, details, size);
}

static bool
lig_snap_ip4_addr_text_one(void *ctx, const void *details, u32 size)
{
	return lig_snap_json_one(ctx, "ip_address", LIG_API_ID_ip_address_dump, details, size);
}

static bool
lig_snap_nbr_config_text_one(void *ctx, const void *details, u32 size)
{
	return lig_snap_json_one(ctx, "ip_neighbor_config", LIG_API_ID_ip_neighbor_config_dump,
				 details, size);
}

static int
lig_snap_ip4_if_text(struct lig_snap *s)
{
	struct lig_snap_ip4_ctx x = {.s = s};
	lig_api_ip_interface_dump_t req = {0};
	lig_api_ip_neighbor_config_dump_t nreq;
	lig_api_ip_address_dump_t areq = {0};
	int rv =
	    LIG_API_CLIENT_DUMP(s->from, ip_interface_dump, &req, lig_snap_ip4_if_text_one, &x);

	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
	if (rv < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_address_dump, &areq, lig_snap_ip4_addr_text_one, &x);
	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
	if (rv < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_neighbor_config_dump, &nreq,
				 lig_snap_nbr_config_text_one, &x);
	return lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
}

LIG_SNAP_STEP("ip4", 400, lig_snap_ip4_if_copy, lig_snap_ip4_if_text)

/* -------- routes and static neighbours (500) -------- */

#define LIG_SNAP_BULK 4096

/* A route that could not be added yet: its next hop resolves through a route not copied
 * yet. Retried once the others are in. */
struct lig_snap_route {
	u32 size;
	u8 body[];
};

struct lig_snap_routes_ctx {
	struct lig_snap *s;
	int rv;
	/* Single-path routes of one table, sent in bulk: req, then its items. */
	u32 table_id;
	u32 n;
	lig_api_ip_route_add_del_bulk_t *req;
	lig_api_ip4_route_item_t *items;
	u8 bulk[sizeof(lig_api_ip_route_add_del_bulk_t) +
		LIG_SNAP_BULK * sizeof(lig_api_ip4_route_item_t)];
	struct lig_snap_route **retry;
	u32 n_retry, cap_retry;
};

static int
lig_snap_retry_add(struct lig_snap_routes_ctx *x, const void *body, u32 size)
{
	struct lig_snap_route *r = malloc(sizeof(*r) + size);

	if (!r)
		return -ENOMEM;
	if (x->n_retry == x->cap_retry) {
		u32 cap = x->cap_retry ? x->cap_retry * 2 : 64;
		struct lig_snap_route **nr = realloc(x->retry, cap * sizeof(*nr));
		if (!nr) {
			free(r);
			return -ENOMEM;
		}
		x->retry = nr;
		x->cap_retry = cap;
	}
	r->size = size;
	memcpy(r->body, body, size);
	x->retry[x->n_retry++] = r;
	return 0;
}

/* One route as a single-route request: the last word on a route that failed in bulk. */
static int
lig_snap_route_one(struct lig_snap_routes_ctx *x, const lig_api_ip_route_add_del_t *req, u32 size,
		   char *err)
{
	lig_api_ip_route_add_del_reply_t rep;
	int rv = lig_api_call(x->s->to, LIG_API_ID_ip_route_add_del, req, size, &rep, sizeof(rep));

	if (rv < 0)
		snprintf(err, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

/* Sends the pending bulk; routes whose next hop is not reachable yet go to the retry
 * list, any other error ends the copy. */
static int
lig_snap_bulk_flush(struct lig_snap_routes_ctx *x)
{
	u32 done = 0;

	while (done < x->n) {
		u32 n = x->n - done;
		lig_api_ip_route_add_del_bulk_reply_t rep;
		x->req->table_id = x->table_id;
		x->req->is_add = 1;
		x->req->n_routes = n;
		if (done)
			memmove(x->items, x->items + done, n * sizeof(x->items[0]));
		done = 0;
		x->n = n;
		int rv = lig_api_call(x->s->to, LIG_API_ID_ip_route_add_del_bulk, x->bulk,
				      (u32)(sizeof(*x->req) + n * sizeof(x->items[0])), &rep,
				      sizeof(rep));
		if (rv == 0)
			break;
		if (rv != -EHOSTUNREACH || rep.n_done >= n)
			return lig_snap_fail(x->s, rv, "%s", rep.error);
		/* Keep the failed route for later, as a single-route request. */
		const lig_api_ip4_route_item_t *it = &x->items[rep.n_done];
		u8 one[sizeof(lig_api_ip_route_add_del_t) + sizeof(lig_api_ip4_path_t)] = {0};
		lig_api_ip_route_add_del_t *r = (void *)one;
		r->table_id = x->table_id;
		r->address = it->address;
		r->len = it->len;
		r->is_add = 1;
		r->n_paths = 1;
		r->paths[0].type = it->type;
		r->paths[0].weight = 1;
		r->paths[0].nh = it->nh;
		r->paths[0].sw_if_index = it->sw_if_index;
		if (lig_snap_retry_add(x, one, sizeof(one)) < 0)
			return lig_snap_fail(x->s, -ENOMEM, "out of memory");
		done = rep.n_done + 1;
	}
	x->n = 0;
	return 0;
}

static bool
lig_snap_route_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_routes_ctx *x = ctx;
	const lig_api_ip_route_dump_details_t *d = details;
	u8 buf[sizeof(lig_api_ip_route_add_del_t) + 16 * sizeof(lig_api_ip4_path_t)];
	lig_api_ip_route_add_del_t *req = (void *)buf;
	u32 n_paths;

	if (x->rv || size < sizeof(*d))
		return false;
	n_paths = LIG_MIN(d->n_paths, 16u);
	/* Interfaces by name: the target's indices may differ. */
	lig_api_ip4_path_t paths[16];
	memcpy(paths, d->paths, n_paths * sizeof(paths[0]));
	for (u32 i = 0; i < n_paths; i++) {
		if (paths[i].sw_if_index == ~0u)
			continue;
		u32 to = lig_snap_if_to(x->s, paths[i].sw_if_index);
		if (to == ~0u) {
			x->rv = lig_snap_fail(x->s, -ENOENT, "route: interface %u was not created",
					      paths[i].sw_if_index);
			return false;
		}
		paths[i].sw_if_index = to;
	}
	if (n_paths == 1 && paths[0].weight <= 1) {
		if (x->n && (x->table_id != d->table_id || x->n == LIG_SNAP_BULK) &&
		    (x->rv = lig_snap_bulk_flush(x)) < 0)
			return false;
		x->table_id = d->table_id;
		lig_api_ip4_route_item_t *it = &x->items[x->n++];
		it->address = d->address;
		it->len = d->len;
		it->type = paths[0].type;
		it->nh = paths[0].nh;
		it->sw_if_index = paths[0].sw_if_index;
		return true;
	}
	memset(buf, 0, sizeof(buf));
	req->table_id = d->table_id;
	req->address = d->address;
	req->len = d->len;
	req->is_add = 1;
	req->n_paths = n_paths;
	memcpy(req->paths, paths, n_paths * sizeof(paths[0]));
	u32 rsize = (u32)(sizeof(*req) + n_paths * sizeof(paths[0]));
	char err[LIG_API_ERROR_SIZE];
	int rv = lig_snap_route_one(x, req, rsize, err);
	if (rv == -EHOSTUNREACH)
		rv = lig_snap_retry_add(x, buf, rsize);
	if (rv < 0)
		x->rv = lig_snap_fail(x->s, rv, "%s", rv == -ENOMEM ? "out of memory" : err);
	return x->rv == 0;
}

/* Routes through other routes: retried while each pass adds at least one. */
static int
lig_snap_route_retry(struct lig_snap_routes_ctx *x)
{
	char err[LIG_API_ERROR_SIZE] = "";
	u32 n = x->n_retry;

	while (n) {
		u32 left = 0;
		for (u32 i = 0; i < n; i++) {
			struct lig_snap_route *r = x->retry[i];
			int rv = lig_snap_route_one(x, (const void *)r->body, r->size, err);
			if (rv == -EHOSTUNREACH) {
				x->retry[left++] = r;
				continue;
			}
			free(r);
			if (rv < 0) {
				for (u32 k = i + 1; k < n; k++)
					x->retry[left++] = x->retry[k];
				x->n_retry = left;
				return lig_snap_fail(x->s, rv, "%s", err);
			}
		}
		if (left == n) {
			x->n_retry = left;
			return lig_snap_fail(x->s, -EHOSTUNREACH, "%s", err);
		}
		n = left;
	}
	x->n_retry = 0;
	return 0;
}

static bool
lig_snap_nbr_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_routes_ctx *x = ctx;
	SNAP_COPY(lig_api_ip_neighbor_dump_details_t, d, details, size);
	lig_api_ip_neighbor_add_del_t req = {.address = d.address, .is_static = 1, .is_add = 1};
	lig_api_ip_neighbor_add_del_reply_t rep;

	if (x->rv)
		return false;
	req.sw_if_index = lig_snap_if_to(x->s, d.sw_if_index);
	memcpy(req.mac, d.mac, 6);
	if (req.sw_if_index == ~0u)
		x->rv = lig_snap_fail(x->s, -ENOENT, "neighbour: interface %u was not created",
				      d.sw_if_index);
	else if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, ip_neighbor_add_del, &req, &rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_routes_copy(struct lig_snap *s)
{
	struct lig_snap_routes_ctx *x = calloc(1, sizeof(*x));
	lig_api_ip_route_dump_t req = {.source = 2 /* api */};
	lig_api_ip_neighbor_dump_t nreq = {.static_only = 1};
	int rv;

	if (!x)
		return lig_snap_fail(s, -ENOMEM, "out of memory");
	x->s = s;
	x->req = (void *)x->bulk;
	x->items = x->req->routes;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_route_dump, &req, lig_snap_route_copy_one, x);
	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x->rv);
	if (rv == 0 && x->n)
		rv = lig_snap_bulk_flush(x);
	if (rv == 0)
		rv = lig_snap_route_retry(x);
	if (rv == 0) {
		rv =
		    LIG_API_CLIENT_DUMP(s->from, ip_neighbor_dump, &nreq, lig_snap_nbr_copy_one, x);
		rv = lig_snap_ip4_dump_rv(s, s->from, rv, x->rv);
	}
	for (u32 i = 0; i < x->n_retry; i++)
		free(x->retry[i]);
	free(x->retry);
	free(x);
	return rv;
}

static bool
lig_snap_route_text_one(void *ctx, const void *details, u32 size)
{
	return lig_snap_json_one(ctx, "ip_route", LIG_API_ID_ip_route_dump, details, size);
}

static bool
lig_snap_nbr_text_one(void *ctx, const void *details, u32 size)
{
	return lig_snap_json_one(ctx, "ip_neighbor", LIG_API_ID_ip_neighbor_dump, details, size);
}

static int
lig_snap_routes_text(struct lig_snap *s)
{
	struct lig_snap_ip4_ctx x = {.s = s};
	lig_api_ip_route_dump_t req = {.source = 2 /* api */};
	lig_api_ip_neighbor_dump_t nreq = {.static_only = 1};
	int rv = LIG_API_CLIENT_DUMP(s->from, ip_route_dump, &req, lig_snap_route_text_one, &x);

	rv = lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
	if (rv < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, ip_neighbor_dump, &nreq, lig_snap_nbr_text_one, &x);
	return lig_snap_ip4_dump_rv(s, s->from, rv, x.rv);
}

LIG_SNAP_STEP("ip4 routes", 500, lig_snap_routes_copy, lig_snap_routes_text)

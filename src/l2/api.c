/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 API handlers (api.h): each checks what the request means (ranges, existence), calls
 * the one control function of l2.h or l2fib.h, and turns a failure into a sentence naming
 * the object. The CLI (cli.c) calls these same handlers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "api.h"
#include "l2.h"
#include "l2fib.h"

_Static_assert(LIG_L2_API_BD_FLAG_LEARN == LIG_BD_F_LEARN &&
		   LIG_L2_API_BD_FLAG_FORWARD == LIG_BD_F_FORWARD &&
		   LIG_L2_API_BD_FLAG_UU_FLOOD == LIG_BD_F_UU_FLOOD &&
		   LIG_L2_API_BD_FLAG_FLOOD == LIG_BD_F_FLOOD &&
		   LIG_L2_API_BD_FLAG_ARP_TERM == LIG_BD_F_ARP_TERM,
	       "API flag bits are the table's");

static const char *
lig_l2_api_if_name(u32 sw_if_index)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp ? ifp->name : "N/A";
}

static int
lig_l2_api_no_if(struct lig_api_call *c, u32 sw_if_index)
{
	return lig_api_error(c, -ENOENT, "interface %u does not exist", sw_if_index);
}

static int
lig_l2_api_no_bd(struct lig_api_call *c, u32 bd_id)
{
	return lig_api_error(c, -ENOENT, "bridge domain %u does not exist", bd_id);
}

static int
lig_l2_api_bd_id_range(struct lig_api_call *c, u32 bd_id)
{
	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return lig_api_error(c, -EINVAL, "bridge domain id %u out of range (1..%u)", bd_id,
				     LIG_BD_ID_MAX);
	return 0;
}

static int
lig_l2_api_mac_age_range(struct lig_api_call *c, u32 bd_id, u32 mac_age)
{
	if (mac_age > 255)
		return lig_api_error(c, -EINVAL,
				     "bridge domain %u: mac-age %u out of range (0..255 minutes)",
				     bd_id, mac_age);
	return 0;
}

static void
lig_l2_api_mac_text(char *buf, size_t size, const u8 mac[6])
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

/* Bridge domains. */

static int
lig_l2_api_bd_add_del(struct lig_api_call *c, const lig_api_bridge_domain_add_del_t *req,
		      lig_api_bridge_domain_add_del_reply_t *rep)
{
	u32 flags = (req->learn ? LIG_BD_F_LEARN : 0) | (req->forward ? LIG_BD_F_FORWARD : 0) |
		    (req->uu_flood ? LIG_BD_F_UU_FLOOD : 0) | (req->flood ? LIG_BD_F_FLOOD : 0) |
		    (req->arp_term ? LIG_BD_F_ARP_TERM : 0);
	int rv = lig_l2_api_bd_id_range(c, req->bd_id);

	if (rv < 0)
		return rv;
	if (!req->is_add) {
		const struct lig_bd *bd = lig_bd_get(lig_bd_find(req->bd_id));
		if (!bd)
			return lig_l2_api_no_bd(c, req->bd_id);
		u32 n_ports = lig_bd_ports_get(bd)->n;
		if (n_ports > 0)
			return lig_api_error(
			    c, -EBUSY,
			    "bridge domain %u still has ports (%u member%s); remove "
			    "them first (set interface l3 <if>)",
			    req->bd_id, n_ports, n_ports == 1 ? "" : "s");
	} else {
		if ((rv = lig_l2_api_mac_age_range(c, req->bd_id, req->mac_age)) < 0)
			return rv;
		size_t n = strnlen(req->tag, sizeof(req->tag));
		if (n == sizeof(req->tag))
			return lig_api_error(c, -EINVAL,
					     "bridge domain %u: a tag has at most %zu characters",
					     req->bd_id, sizeof(req->tag) - 1);
		for (size_t i = 0; i < n; i++)
			if (req->tag[i] < 0x20 || req->tag[i] > 0x7e || req->tag[i] == '"')
				return lig_api_error(
				    c, -EINVAL,
				    "bridge domain %u: a tag is printable ASCII but '\"'",
				    req->bd_id);
		if (lig_bd_find(req->bd_id) != LIG_INVALID_INDEX)
			return lig_api_error(c, -EEXIST, "bridge domain %u already exists",
					     req->bd_id);
	}
	rv = lig_bd_add_del(req->bd_id, flags, req->mac_age, req->is_add);
	if (rv == -ENOSPC)
		return lig_api_error(c, rv, "bridge domain table full (%u domains)",
				     LIG_BD_MAX - 1);
	if (rv < 0)
		return lig_api_error(c, rv, "bridge domain %u: cannot %s: %s", req->bd_id,
				     req->is_add ? "create" : "delete", strerror(-rv));
	if (req->is_add) {
		char tag[sizeof(req->tag)];
		memcpy(tag, req->tag, sizeof(tag));
		tag[sizeof(tag) - 1] = 0;
		lig_bd_set_tag(req->bd_id, tag); /* checked above */
		rep->bd_index = lig_bd_find(req->bd_id);
	}
	return 0;
}
/* Mp-safe: lig_bd_add_del parks the workers only to write the domain's slot (and, to
 * delete, its FIB entries, collected before). */
LIG_API_HANDLER_MP_SAFE(bridge_domain_add_del, lig_l2_api_bd_add_del);

static int
lig_l2_api_bd_set_flags(struct lig_api_call *c, const lig_api_bridge_domain_set_flags_t *req,
			lig_api_bridge_domain_set_flags_reply_t *rep)
{
	const struct lig_bd *bd = lig_bd_get(lig_bd_find(req->bd_id));

	if (!bd)
		return lig_l2_api_no_bd(c, req->bd_id);
	if (req->flags == 0 || (req->flags & ~(u32)LIG_L2_API_BD_FLAGS_ALL))
		return lig_api_error(c, -EINVAL,
				     "bridge domain %u: flags 0x%x: give one or more of 1 learn, "
				     "2 forward, 4 uu-flood, 8 flood, 16 arp-term",
				     req->bd_id, req->flags);
	int rv = lig_bd_set_flags(req->bd_id, req->flags, req->is_set);
	if (rv < 0)
		return lig_api_error(c, rv, "bridge domain %u: cannot change flags: %s", req->bd_id,
				     strerror(-rv));
	rep->flags = bd->flags;
	return 0;
}
LIG_API_HANDLER(bridge_domain_set_flags, lig_l2_api_bd_set_flags);

static int
lig_l2_api_bd_set_mac_age(struct lig_api_call *c, const lig_api_bridge_domain_set_mac_age_t *req,
			  lig_api_bridge_domain_set_mac_age_reply_t *rep)
{
	int rv;

	(void)rep;
	if (lig_bd_find(req->bd_id) == LIG_INVALID_INDEX)
		return lig_l2_api_no_bd(c, req->bd_id);
	if ((rv = lig_l2_api_mac_age_range(c, req->bd_id, req->mac_age)) < 0)
		return rv;
	rv = lig_bd_set_mac_age(req->bd_id, req->mac_age);
	if (rv < 0)
		return lig_api_error(c, rv, "bridge domain %u: cannot set mac-age: %s", req->bd_id,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER(bridge_domain_set_mac_age, lig_l2_api_bd_set_mac_age);

/* Details with room for every member. */
#define LIG_L2_API_BD_DETAILS_SIZE                                                                 \
	(sizeof(lig_api_bridge_domain_dump_details_t) +                                            \
	 LIG_BD_MAX_PORTS * sizeof(lig_api_l2_bd_member_t))

static u32
lig_l2_api_bd_details(u32 bd_index, const struct lig_bd *bd,
		      lig_api_bridge_domain_dump_details_t *d)
{
	memset(d, 0, sizeof(*d));
	d->bd_id = bd->bd_id;
	d->learn = !!(bd->flags & LIG_BD_F_LEARN);
	d->forward = !!(bd->flags & LIG_BD_F_FORWARD);
	d->uu_flood = !!(bd->flags & LIG_BD_F_UU_FLOOD);
	d->flood = !!(bd->flags & LIG_BD_F_FLOOD);
	d->arp_term = !!(bd->flags & LIG_BD_F_ARP_TERM);
	d->mac_age = bd->mac_age;
	d->bvi_sw_if_index = bd->bvi_sw_if_index;
	d->bd_index = bd_index;
	d->seq_num = bd->seq_num;
	d->n_arp_entries = bd->n_arp;
	snprintf(d->tag, sizeof(d->tag), "%s", bd->tag);
	const struct lig_bd_ports *ports = lig_bd_ports_get(bd);
	d->n_members = LIG_MIN(ports->n, (u32)LIG_BD_MAX_PORTS);
	for (u32 i = 0; i < d->n_members; i++) {
		lig_api_l2_bd_member_t m = {.sw_if_index = ports->port[i].sw_if_index,
					    .shg = ports->port[i].shg,
					    .bvi = !!ports->port[i].bvi};
		memcpy(&d->members[i], &m, sizeof(m));
	}
	return (u32)(sizeof(*d) + d->n_members * sizeof(lig_api_l2_bd_member_t));
}

static int
lig_l2_api_bd_dump(struct lig_api_call *c, const lig_api_bridge_domain_dump_t *req)
{
	u8 buf[LIG_L2_API_BD_DETAILS_SIZE];
	lig_api_bridge_domain_dump_details_t *d = (void *)buf;
	const struct lig_interface *ifp = NULL;
	u32 only = LIG_INVALID_INDEX;

	if (req->bd_id && (only = lig_bd_find(req->bd_id)) == LIG_INVALID_INDEX)
		return lig_l2_api_no_bd(c, req->bd_id);
	if (req->sw_if_index && !(ifp = lig_if_get(req->sw_if_index)))
		return lig_l2_api_no_if(c, req->sw_if_index);
	for (u64 i = LIG_MAX(c->cursor, 1); i < LIG_BD_MAX; i++) {
		const struct lig_bd *bd = lig_bd_get((u32)i);
		if (!bd || (only != LIG_INVALID_INDEX && i != only))
			continue;
		if (ifp && (ifp->l2.mode != LIG_IF_MODE_BRIDGE || ifp->l2.bd_index != i))
			continue;
		if (!lig_api_details(c, d, lig_l2_api_bd_details((u32)i, bd, d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(bridge_domain_dump, lig_l2_api_bd_dump);

/* Port modes. */

static int
lig_l2_api_set_bridge(struct lig_api_call *c, const lig_api_sw_interface_set_l2_bridge_t *req,
		      lig_api_sw_interface_set_l2_bridge_reply_t *rep)
{
	const struct lig_interface *ifp = lig_if_get(req->sw_if_index);
	int rv;

	(void)rep;
	if (!ifp)
		return lig_l2_api_no_if(c, req->sw_if_index);
	if ((rv = lig_l2_api_bd_id_range(c, req->bd_id)) < 0)
		return rv;
	if (req->bvi &&
	    (!ifp->class || !ifp->class->name || strcmp(ifp->class->name, "loopback") != 0))
		return lig_api_error(c, -EINVAL, "%s is a %s interface; a BVI must be a loopback",
				     ifp->name,
				     ifp->class && ifp->class->name ? ifp->class->name : "?");
	bool had_bd = lig_bd_find(req->bd_id) != LIG_INVALID_INDEX;
	rv = lig_l2_set_bridge(req->sw_if_index, req->bd_id, req->bvi, req->shg);
	switch (rv) {
	case 0:
		return 0;
	case -EEXIST: {
		const struct lig_bd *bd = lig_bd_get(lig_bd_find(req->bd_id));
		return lig_api_error(c, rv, "bridge domain %u already has BVI %s", req->bd_id,
				     bd ? lig_l2_api_if_name(bd->bvi_sw_if_index) : "?");
	}
	case -ENOSPC:
		if (!had_bd)
			return lig_api_error(c, rv,
					     "bridge domain %u cannot be created: table full (%u "
					     "domains)",
					     req->bd_id, LIG_BD_MAX - 1);
		return lig_api_error(c, rv, "bridge domain %u is full (%u ports)", req->bd_id,
				     LIG_BD_MAX_PORTS);
	default:
		return lig_api_error(c, rv, "%s: cannot bridge into bridge domain %u: %s",
				     ifp->name, req->bd_id, strerror(-rv));
	}
}
/* mp-safe: port modes publish atomically (l2.h). */
LIG_API_HANDLER_MP_SAFE(sw_interface_set_l2_bridge, lig_l2_api_set_bridge);

static int
lig_l2_api_set_xconnect(struct lig_api_call *c, const lig_api_sw_interface_set_l2_xconnect_t *req,
			lig_api_sw_interface_set_l2_xconnect_reply_t *rep)
{
	int rv;

	(void)rep;
	if (!lig_if_get(req->rx_sw_if_index))
		return lig_l2_api_no_if(c, req->rx_sw_if_index);
	if (!lig_if_get(req->tx_sw_if_index))
		return lig_l2_api_no_if(c, req->tx_sw_if_index);
	if (req->rx_sw_if_index == req->tx_sw_if_index)
		return lig_api_error(c, -EINVAL, "cannot cross-connect %s to itself",
				     lig_l2_api_if_name(req->rx_sw_if_index));
	rv = lig_l2_set_xconnect(req->rx_sw_if_index, req->tx_sw_if_index);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot cross-connect to %s: %s",
				     lig_l2_api_if_name(req->rx_sw_if_index),
				     lig_l2_api_if_name(req->tx_sw_if_index), strerror(-rv));
	return 0;
}
/* mp-safe: port modes publish atomically (l2.h). */
LIG_API_HANDLER_MP_SAFE(sw_interface_set_l2_xconnect, lig_l2_api_set_xconnect);

static int
lig_l2_api_set_l3(struct lig_api_call *c, const lig_api_sw_interface_set_l3_t *req,
		  lig_api_sw_interface_set_l3_reply_t *rep)
{
	int rv;

	(void)rep;
	if (!lig_if_get(req->sw_if_index))
		return lig_l2_api_no_if(c, req->sw_if_index);
	rv = lig_l2_set_l3(req->sw_if_index);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot return to L3: %s",
				     lig_l2_api_if_name(req->sw_if_index), strerror(-rv));
	return 0;
}
/* mp-safe: port modes publish atomically (l2.h). */
LIG_API_HANDLER_MP_SAFE(sw_interface_set_l3, lig_l2_api_set_l3);

static int
lig_l2_api_xc_dump(struct lig_api_call *c, const lig_api_l2_xconnect_dump_t *req)
{
	u32 from = 1, to = LIG_IF_MAX;

	if (req->rx_sw_if_index) {
		if (!lig_if_get(req->rx_sw_if_index))
			return lig_l2_api_no_if(c, req->rx_sw_if_index);
		from = req->rx_sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_interface *ifp = lig_if_get((u32)i);
		if (!ifp || ifp->l2.mode != LIG_IF_MODE_XCONNECT)
			continue;
		lig_api_l2_xconnect_dump_details_t d = {.rx_sw_if_index = (u32)i,
							.tx_sw_if_index = ifp->l2.xc_sw_if_index};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(l2_xconnect_dump, lig_l2_api_xc_dump);

/*
 * Hash tables in a stable order. A dump may be cut into slices while the table changes
 * (learning adds, aging and deletes move slots back), so a slot cursor could skip an
 * entry that never changed. Instead each batch takes the smallest order keys at or above
 * the cursor (a bounded max-heap over one scan), emits them in order, and the cursor is
 * the next order key: every entry present for the whole dump is emitted exactly once.
 */
#define LIG_L2_API_BATCH 1024

struct lig_l2_api_row {
	u64 order; /* the sort key: unique per entry */
	u64 key, value;
};

/* Returns the entry's order key, or false to skip it. */
typedef bool(lig_l2_api_order_fn_t)(const void *ctx, u64 key, u64 value, u64 *order);

static void
lig_l2_api_heap_down(struct lig_l2_api_row *h, u32 n, u32 i)
{
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, big = i;
		if (l < n && h[l].order > h[big].order)
			big = l;
		if (r < n && h[r].order > h[big].order)
			big = r;
		if (big == i)
			return;
		struct lig_l2_api_row t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

static void
lig_l2_api_heap_up(struct lig_l2_api_row *h, u32 i)
{
	while (i > 0) {
		u32 p = (i - 1) / 2;
		if (h[p].order >= h[i].order)
			return;
		struct lig_l2_api_row t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* Fills rows with the (up to LIG_L2_API_BATCH) entries of smallest order >= from, sorted;
 * returns how many. */
static u32
lig_l2_api_batch(const struct lig_hash64 *h, u64 from, lig_l2_api_order_fn_t *fn, const void *ctx,
		 struct lig_l2_api_row *rows)
{
	u32 n = 0;

	/* Atomic loads: workers learn into the L2 FIB while main dumps it (l2fib.h). A slot
	 * whose key came before its value reads as LIG_HASH64_EMPTY in the value. */
	for (u32 i = 0; i <= h->mask; i++) {
		u64 key = __atomic_load_n(&h->slots[i].key, __ATOMIC_ACQUIRE), order;
		if (key == LIG_HASH64_EMPTY)
			continue;
		u64 value = __atomic_load_n(&h->slots[i].value, __ATOMIC_ACQUIRE);
		if (!fn(ctx, key, value, &order) || order < from)
			continue;
		if (n < LIG_L2_API_BATCH) {
			rows[n] = (struct lig_l2_api_row){order, key, value};
			lig_l2_api_heap_up(rows, n++);
		} else if (order < rows[0].order) {
			rows[0] = (struct lig_l2_api_row){order, key, value};
			lig_l2_api_heap_down(rows, n, 0);
		}
	}
	/* Heap sort: ascending. */
	for (u32 k = n; k > 1; k--) {
		struct lig_l2_api_row t = rows[0];
		rows[0] = rows[k - 1];
		rows[k - 1] = t;
		lig_l2_api_heap_down(rows, k - 1, 0);
	}
	return n;
}

/* Emits the rows of h in order, resuming at c->cursor; emit returns false to stop. */
typedef bool(lig_l2_api_emit_fn_t)(struct lig_api_call *c, const void *ctx,
				   const struct lig_l2_api_row *row);

static int
lig_l2_api_dump_ordered(struct lig_api_call *c, const struct lig_hash64 *h,
			lig_l2_api_order_fn_t *order, lig_l2_api_emit_fn_t *emit, const void *ctx)
{
	struct lig_l2_api_row *rows = malloc(LIG_L2_API_BATCH * sizeof(*rows));
	int rv = 0;

	if (!rows)
		return lig_api_error(c, -ENOMEM, "out of memory");
	for (;;) {
		u32 n = lig_l2_api_batch(h, c->cursor, order, ctx, rows);
		for (u32 i = 0; i < n; i++) {
			c->cursor = rows[i].order + 1;
			if (!emit(c, ctx, &rows[i])) {
				rv = i + 1 < n || n == LIG_L2_API_BATCH ? LIG_API_MORE : 0;
				goto out;
			}
		}
		if (n < LIG_L2_API_BATCH)
			break;
	}
out:
	free(rows);
	return rv;
}

/* The L2 FIB. */

static int
lig_l2_api_fib_add_del(struct lig_api_call *c, const lig_api_l2fib_add_del_t *req,
		       lig_api_l2fib_add_del_reply_t *rep)
{
	char mac[18];
	u32 flags = 0;
	int rv;

	(void)rep;
	lig_l2_api_mac_text(mac, sizeof(mac), req->mac);
	u32 bd_index = lig_bd_find(req->bd_id);
	const struct lig_bd *bd = lig_bd_get(bd_index);
	if (!bd)
		return lig_l2_api_no_bd(c, req->bd_id);
	if (!req->is_add) {
		rv = lig_l2fib_del(req->mac, req->bd_id);
		if (rv == -ENOENT)
			return lig_api_error(c, rv, "%s not in the L2 FIB of bridge domain %u", mac,
					     req->bd_id);
		if (rv < 0)
			return lig_api_error(c, rv, "%s in bridge domain %u: cannot delete: %s",
					     mac, req->bd_id, strerror(-rv));
		return 0;
	}
	if (lig_mac_is_multicast(req->mac) || lig_mac_is_zero(req->mac))
		return lig_api_error(c, -EINVAL,
				     "a multicast or zero MAC cannot be an L2 FIB entry (%s)", mac);
	if (req->filter_mac && req->bvi_mac)
		return lig_api_error(c, -EINVAL,
				     "%s: an entry is a filter or a BVI entry, not both", mac);
	if (req->static_mac)
		flags |= LIG_L2FIB_F_STATIC;
	if (req->bvi_mac)
		flags |= LIG_L2FIB_F_BVI | LIG_L2FIB_F_STATIC;
	if (req->filter_mac)
		flags |= LIG_L2FIB_F_FILTER | LIG_L2FIB_F_STATIC;
	const struct lig_interface *ifp = lig_if_get(req->sw_if_index);
	if (!req->filter_mac && !ifp)
		return lig_l2_api_no_if(c, req->sw_if_index);
	if (ifp && !req->filter_mac && req->bvi_mac && bd->bvi_sw_if_index != req->sw_if_index)
		return lig_api_error(c, -ENXIO, "%s is not the BVI of bridge domain %u", ifp->name,
				     req->bd_id);
	if (ifp && !req->filter_mac &&
	    (ifp->l2.mode != LIG_IF_MODE_BRIDGE || ifp->l2.bd_index != bd_index))
		return lig_api_error(c, -ENXIO, "%s is not a port of bridge domain %u", ifp->name,
				     req->bd_id);
	rv = lig_l2fib_add(req->mac, req->bd_id, req->sw_if_index, flags);
	if (rv == -ENOSPC)
		return lig_api_error(c, rv, "L2 FIB full (learn limit %u, capacity %u)",
				     lig_l2fib_main.learn_limit, LIG_L2FIB_MAX_ENTRIES);
	if (rv < 0)
		return lig_api_error(c, rv, "%s in bridge domain %u: cannot add: %s", mac,
				     req->bd_id, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(l2fib_add_del, lig_l2_api_fib_add_del);

struct lig_l2_api_fib_filter {
	u32 bd_index; /* LIG_INVALID_INDEX: any */
	u32 sw_if_index;
	bool static_only, learned_only;
};

static bool
lig_l2_api_fib_order(const void *ctx, u64 key, u64 value, u64 *order)
{
	const struct lig_l2_api_fib_filter *f = ctx;
	bool is_static = lig_l2fib_value_flags(value) & LIG_L2FIB_F_STATIC;

	if (value == LIG_HASH64_EMPTY)
		return false; /* claimed by a worker, its value not published yet */
	if (!lig_l2fib_value_live(value))
		return false; /* its port left: gone for everyone, the sweep deletes it */
	if (f->bd_index != LIG_INVALID_INDEX && lig_l2fib_key_bd_index(key) != f->bd_index)
		return false;
	if (f->sw_if_index && lig_l2fib_value_sw_if_index(value) != f->sw_if_index)
		return false;
	if ((f->static_only && !is_static) || (f->learned_only && is_static))
		return false;
	*order = key; /* bd_index << 48 | mac */
	return true;
}

static bool
lig_l2_api_fib_emit(struct lig_api_call *c, const void *ctx, const struct lig_l2_api_row *row)
{
	const struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 bd_index = lig_l2fib_key_bd_index(row->key);
	u32 flags = lig_l2fib_value_flags(row->value);
	const struct lig_bd *bd = lig_bd_get(bd_index);
	lig_api_l2fib_dump_details_t d = {0};

	(void)ctx;
	d.bd_id = bd ? bd->bd_id : 0;
	lig_l2fib_key_mac(row->key, d.mac);
	d.sw_if_index = (flags & LIG_L2FIB_F_FILTER) ? LIG_INVALID_INDEX
						     : lig_l2fib_value_sw_if_index(row->value);
	d.static_mac = !!(flags & LIG_L2FIB_F_STATIC);
	d.bvi_mac = !!(flags & LIG_L2FIB_F_BVI);
	d.filter_mac = !!(flags & LIG_L2FIB_F_FILTER);
	d.learned = !d.static_mac;
	d.bd_index = bd_index;
	d.bsn = lig_l2fib_value_bsn(row->value);
	if (d.static_mac || !bd || !bd->mac_age)
		d.age_minutes = LIG_INVALID_INDEX;
	else
		d.age_minutes =
		    lig_l2fib_age_seconds(fm->now, lig_l2fib_value_timestamp(row->value)) / 60u;
	return lig_api_details(c, &d, sizeof(d));
}

static int
lig_l2_api_fib_dump(struct lig_api_call *c, const lig_api_l2fib_dump_t *req)
{
	struct lig_l2_api_fib_filter f = {.bd_index = LIG_INVALID_INDEX,
					  .sw_if_index = req->sw_if_index,
					  .static_only = req->static_only,
					  .learned_only = req->learned_only};

	if (req->bd_id && (f.bd_index = lig_bd_find(req->bd_id)) == LIG_INVALID_INDEX)
		return lig_l2_api_no_bd(c, req->bd_id);
	if (req->sw_if_index && !lig_if_get(req->sw_if_index))
		return lig_l2_api_no_if(c, req->sw_if_index);
	if (req->static_only && req->learned_only)
		return lig_api_error(c, -EINVAL,
				     "l2fib dump: static_only and learned_only exclude each other");
	return lig_l2_api_dump_ordered(c, &lig_l2fib_main.table, lig_l2_api_fib_order,
				       lig_l2_api_fib_emit, &f);
}
/* Mp-safe: only main removes entries; workers' learning is read atomically. */
LIG_API_DUMP_HANDLER_MP_SAFE(l2fib_dump, lig_l2_api_fib_dump);

static int
lig_l2_api_fib_clear(struct lig_api_call *c, const lig_api_l2fib_clear_t *req,
		     lig_api_l2fib_clear_reply_t *rep)
{
	(void)c;
	(void)req;
	rep->n_removed = lig_l2fib_clear();
	return 0;
}
/* Mp-safe: the entries are collected with the workers running, deleted with them parked. */
LIG_API_HANDLER_MP_SAFE(l2fib_clear, lig_l2_api_fib_clear);

static int
lig_l2_api_fib_set_learn_limit(struct lig_api_call *c, const lig_api_l2fib_set_learn_limit_t *req,
			       lig_api_l2fib_set_learn_limit_reply_t *rep)
{
	(void)rep;
	if (req->learn_limit == 0 || req->learn_limit > LIG_L2FIB_MAX_ENTRIES)
		return lig_api_error(c, -EINVAL, "L2 FIB learn limit %u out of range (1..%u)",
				     req->learn_limit, LIG_L2FIB_MAX_ENTRIES);
	int rv = lig_l2fib_set_learn_limit(req->learn_limit);
	if (rv < 0)
		return lig_api_error(c, rv, "cannot set the L2 FIB learn limit: %s", strerror(-rv));
	return 0;
}
LIG_API_HANDLER(l2fib_set_learn_limit, lig_l2_api_fib_set_learn_limit);

static int
lig_l2_api_fib_info(struct lig_api_call *c, const lig_api_l2fib_info_t *req,
		    lig_api_l2fib_info_reply_t *rep)
{
	const struct lig_l2fib_main *fm = &lig_l2fib_main;

	(void)c;
	(void)req;
	rep->learn_limit = fm->learn_limit;
	rep->capacity = LIG_L2FIB_MAX_ENTRIES;
	rep->n_learned = __atomic_load_n(&fm->n_learned, __ATOMIC_RELAXED);
	rep->n_static = fm->n_static;
	rep->n_aged = fm->n_aged;
	return 0;
}
LIG_API_HANDLER_MP_SAFE(l2fib_info, lig_l2_api_fib_info);

/* ARP termination. */

static int
lig_l2_api_arp_add_del(struct lig_api_call *c, const lig_api_bd_ip_mac_add_del_t *req,
		       lig_api_bd_ip_mac_add_del_reply_t *rep)
{
	struct in_addr a = {.s_addr = req->ip4};
	char ip[INET_ADDRSTRLEN], mac[18];
	int rv;

	(void)rep;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	lig_l2_api_mac_text(mac, sizeof(mac), req->mac);
	if (lig_bd_find(req->bd_id) == LIG_INVALID_INDEX)
		return lig_l2_api_no_bd(c, req->bd_id);
	if (req->is_add && (lig_mac_is_multicast(req->mac) || lig_mac_is_zero(req->mac)))
		return lig_api_error(
		    c, -EINVAL, "a multicast or zero MAC cannot answer ARP (%s for %s)", mac, ip);
	rv = lig_bd_arp_entry_add_del(req->bd_id, req->ip4, req->mac, req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -ENOENT:
		return lig_api_error(c, rv, "no ARP entry for %s in bridge domain %u", ip,
				     req->bd_id);
	case -ENOSPC:
		return lig_api_error(c, rv, "ARP termination table full (%u entries)",
				     LIG_BD_ARP_MAX);
	default:
		return lig_api_error(c, rv, "bridge domain %u: ARP entry %s: %s", req->bd_id, ip,
				     strerror(-rv));
	}
}
LIG_API_HANDLER(bd_ip_mac_add_del, lig_l2_api_arp_add_del);

static bool
lig_l2_api_arp_order(const void *ctx, u64 key, u64 value, u64 *order)
{
	const u32 *bd_index = ctx;

	(void)value;
	if (*bd_index != LIG_INVALID_INDEX && (u32)(key >> 32) != *bd_index)
		return false;
	/* Domain index, then the address in numeric order. */
	*order = (key >> 32) << 32 | ntohl((u32)key);
	return true;
}

static bool
lig_l2_api_arp_emit(struct lig_api_call *c, const void *ctx, const struct lig_l2_api_row *row)
{
	const struct lig_bd *bd = lig_bd_get((u32)(row->key >> 32));
	lig_api_bd_ip_mac_dump_details_t d = {.bd_id = bd ? bd->bd_id : 0, .ip4 = (u32)row->key};

	(void)ctx;
	for (int k = 0; k < 6; k++)
		d.mac[k] = (u8)(row->value >> (40 - 8 * k));
	return lig_api_details(c, &d, sizeof(d));
}

static int
lig_l2_api_arp_dump(struct lig_api_call *c, const lig_api_bd_ip_mac_dump_t *req)
{
	u32 bd_index = LIG_INVALID_INDEX;

	if (req->bd_id && (bd_index = lig_bd_find(req->bd_id)) == LIG_INVALID_INDEX)
		return lig_l2_api_no_bd(c, req->bd_id);
	return lig_l2_api_dump_ordered(c, &lig_bd_main.arp, lig_l2_api_arp_order,
				       lig_l2_api_arp_emit, &bd_index);
}
LIG_API_DUMP_HANDLER_MP_SAFE(bd_ip_mac_dump, lig_l2_api_arp_dump);

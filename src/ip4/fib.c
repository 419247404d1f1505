/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 FIB control plane: VRF tables, route entries with their sources and paths,
 * load-balance objects (shared per adjacency for single-path routes, private for ECMP)
 * and adjacencies (drop, miss, local, glean per interface, neighbour per next hop).
 * The nodes read the results lock-free, on workers too while main adds and deletes routes
 * without the barrier (ip route add/del, ip_route_add_del are mp-safe): the pools grow by
 * copy, a load-balance is filled before a route points to it and never refilled, and a
 * freed slot, group or old array is reused or freed after a grace period (lig_rcu_call).
 * Table changes, ARP and interface events still run under the barrier.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../infra/log.h"
#include "../interface/interface.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "ip4.h"

struct lig_fib_main lig_fib_main;
struct lig_ip4_main_tables lig_ip4_tables;

/* Free lists of the pools, and the adjacency lookups by key. */
static struct {
	u32 adjs_alloc;
	u32 *free_adjs;
	u32 n_free_adjs;
	u32 lbs_alloc;
	u32 *free_lbs;
	u32 n_free_lbs;
	struct lig_hash64 nbr_adjs;   /* sw_if_index << 32 | nh -> adj */
	struct lig_hash64 glean_adjs; /* sw_if_index -> adj */
} fibx;

static inline u32
mask_net(u8 len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

static inline u64
prefix_key(u32 addr, u8 len)
{
	return (u64)len << 32 | addr;
}

/* Grows a lig_hash64 by rehashing when full (control plane only). */
static int
hash_set_grow(struct lig_hash64 *h, u64 key, u64 value)
{
	int rv = lig_hash64_set(h, key, value);
	if (rv != -ENOSPC)
		return rv;
	struct lig_hash64 n;
	struct lig_hash64_slot *s;
	rv = lig_hash64_init(&n, h->max_count ? h->max_count * 2 : 1024);
	if (rv < 0)
		return rv;
	for (u32 c = 0; lig_hash64_next(h, &c, &s);)
		lig_hash64_set(&n, s->key, s->value);
	lig_hash64_free(h);
	*h = n;
	return lig_hash64_set(h, key, value);
}

/* -------- load-balance objects -------- */

static u32
lb_alloc(void)
{
	struct lig_ip4_main_tables *t = &lig_ip4_tables;
	if (!fibx.n_free_lbs) {
		u32 n = fibx.lbs_alloc ? fibx.lbs_alloc * 2 : 256;
		u32 *fl = realloc(fibx.free_lbs, n * sizeof(u32));
		if (fl)
			fibx.free_lbs = fl;
		/* By copy: lig_fib_lb_get loads the array with acquire. */
		if (!fl || lig_rcu_grow((void **)&t->lbs, fibx.lbs_alloc * sizeof(*t->lbs),
					n * sizeof(*t->lbs)) < 0)
			return LIG_INVALID_INDEX;
		for (u32 i = n; i-- > fibx.lbs_alloc;)
			fibx.free_lbs[fibx.n_free_lbs++] = i;
		fibx.lbs_alloc = n;
	}
	u32 i = fibx.free_lbs[--fibx.n_free_lbs];
	memset(&t->lbs[i], 0, sizeof(t->lbs[i]));
	if (i >= t->n_lbs)
		t->n_lbs = i + 1;
	return i;
}

static void
lb_release(void *ctx, u64 i)
{
	(void)ctx;
	fibx.free_lbs[fibx.n_free_lbs++] = (u32)i;
}

/* No route points to lb i any more: reused after a grace period (lb_alloc clears it). */
static void
lb_free(u32 i)
{
	lig_fib_lb_get(i)->refcount = 0;
	lig_rcu_call(lb_release, NULL, i);
}

/* Unequal weights: every path gets at least one of the LIG_FIB_LB_MAX_BUCKETS buckets,
 * the rest go by weight (largest remainder), in contiguous runs. */
static void
lb_fill_weighted(struct lig_fib_lb *lb, const u32 *adjs, const u8 *weights, u32 n)
{
	const u32 nb = LIG_FIB_LB_MAX_BUCKETS;
	u32 count[LIG_FIB_MAX_PATHS], rem[LIG_FIB_MAX_PATHS], total = 0, assigned = 0;

	for (u32 i = 0; i < n; i++)
		total += weights[i];
	for (u32 i = 0; i < n; i++) {
		count[i] = weights[i] * nb / total;
		rem[i] = weights[i] * nb % total;
		if (!count[i]) {
			count[i] = 1;
			rem[i] = 0;
		}
		assigned += count[i];
	}
	while (assigned < nb) {
		u32 best = 0;
		for (u32 i = 1; i < n; i++)
			if (rem[i] > rem[best] ||
			    (rem[i] == rem[best] && weights[i] > weights[best]))
				best = i;
		count[best]++;
		rem[best] = 0;
		assigned++;
	}
	while (assigned > nb) {
		/* The minimum of one bucket took them: the largest shares give them back. */
		u32 best = 0;
		for (u32 i = 1; i < n; i++)
			if (count[i] > count[best])
				best = i;
		count[best]--;
		assigned--;
	}
	lb->n_buckets = (u16)nb;
	lb->mask = (u16)(nb - 1);
	for (u32 i = 0, b = 0; i < n; i++)
		for (u32 k = 0; k < count[i] && b < nb; k++)
			lb->buckets[b++] = adjs[i];
}

/* Spreads the adjacencies over a power-of-two bucket count, as evenly as it divides, or
 * by weight when the weights differ. */
static void
lb_fill(struct lig_fib_lb *lb, const u32 *adjs, const u8 *weights, u32 n)
{
	u32 nb = 1;

	for (u32 i = 1; weights && i < n; i++)
		if (weights[i] != weights[0]) {
			lb_fill_weighted(lb, adjs, weights, n);
			return;
		}
	while (nb < n)
		nb <<= 1;
	/* More buckets than paths keeps the spread fair for 3, 5, 6, 7 paths. */
	if (n > 1 && nb < LIG_FIB_LB_MAX_BUCKETS && nb != n)
		nb = LIG_FIB_LB_MAX_BUCKETS;
	lb->n_buckets = (u16)nb;
	lb->mask = (u16)(nb - 1);
	for (u32 i = 0; i < LIG_FIB_LB_MAX_BUCKETS; i++)
		lb->buckets[i] = adjs[i % n];
}

/* -------- adjacencies -------- */

static u32
adj_alloc(enum lig_adj_type type, u32 sw_if_index)
{
	struct lig_ip4_main_tables *t = &lig_ip4_tables;
	if (!fibx.n_free_adjs) {
		u32 n = fibx.adjs_alloc ? fibx.adjs_alloc * 2 : 256;
		u32 *fl = realloc(fibx.free_adjs, n * sizeof(u32));
		if (fl)
			fibx.free_adjs = fl;
		/* By copy: lig_adj_get loads the array with acquire. */
		if (!fl || lig_rcu_grow((void **)&t->adjs, fibx.adjs_alloc * sizeof(*t->adjs),
					n * sizeof(*t->adjs)) < 0)
			return LIG_INVALID_INDEX;
		for (u32 i = n; i-- > fibx.adjs_alloc;)
			fibx.free_adjs[fibx.n_free_adjs++] = i;
		fibx.adjs_alloc = n;
	}
	u32 i = fibx.free_adjs[--fibx.n_free_adjs];
	struct lig_adj *a = &t->adjs[i];
	memset(a, 0, sizeof(*a));
	a->type = (u8)type;
	a->sw_if_index = sw_if_index;
	a->lb_index = LIG_INVALID_INDEX;
	a->in_use = 1;
	if (i >= t->n_adjs)
		t->n_adjs = i + 1;
	return i;
}

/* The shared single-path load-balance of an adjacency. */
static u32
adj_lb(u32 adj_index)
{
	struct lig_adj *a = lig_adj_get(adj_index);
	if (a->lb_index == LIG_INVALID_INDEX) {
		u32 lb = lb_alloc();
		if (lb == LIG_INVALID_INDEX)
			return lb;
		a = lig_adj_get(adj_index);
		lb_fill(lig_fib_lb_get(lb), &adj_index, NULL, 1);
		a->lb_index = lb;
	}
	return a->lb_index;
}

u32
lig_adj_nbr_find(u32 sw_if_index, u32 nh)
{
	struct lig_hash64_slot *s =
	    fibx.nbr_adjs.slots ? lig_hash64_lookup(&fibx.nbr_adjs, (u64)sw_if_index << 32 | nh)
				: NULL;
	return s ? (u32)s->value : LIG_INVALID_INDEX;
}

void
lig_adj_nbr_update(u32 adj_index, const u8 *mac)
{
	struct lig_adj *a = lig_adj_get(adj_index);
	struct lig_interface *ifp = lig_if_get(a->sw_if_index);

	if (!mac || !ifp) {
		a->complete = 0;
		return;
	}
	memcpy(a->rewrite, mac, 6);
	memcpy(a->rewrite + 6, ifp->mac, 6);
	a->rewrite[12] = 0x08;
	a->rewrite[13] = 0x00;
	a->complete = 1;
}

u32
lig_adj_nbr_add_or_lock(u32 sw_if_index, u32 nh)
{
	u32 ai = lig_adj_nbr_find(sw_if_index, nh);
	if (ai == LIG_INVALID_INDEX) {
		ai = adj_alloc(LIG_ADJ_NEIGHBOR, sw_if_index);
		if (ai == LIG_INVALID_INDEX)
			return ai;
		if (hash_set_grow(&fibx.nbr_adjs, (u64)sw_if_index << 32 | nh, ai) < 0) {
			fibx.free_adjs[fibx.n_free_adjs++] = ai;
			lig_adj_get(ai)->in_use = 0;
			return LIG_INVALID_INDEX;
		}
		lig_adj_get(ai)->nh = nh;
		const u8 *mac = lig_arp_neighbor_mac(sw_if_index, nh);
		if (mac)
			lig_adj_nbr_update(ai, mac);
	}
	lig_adj_get(ai)->refcount++;
	return ai;
}

u32
lig_adj_glean_add_or_lock(u32 sw_if_index)
{
	struct lig_hash64_slot *s = lig_hash64_lookup(&fibx.glean_adjs, sw_if_index);
	u32 ai;
	if (s) {
		ai = (u32)s->value;
	} else {
		ai = adj_alloc(LIG_ADJ_GLEAN, sw_if_index);
		if (ai == LIG_INVALID_INDEX)
			return ai;
		if (hash_set_grow(&fibx.glean_adjs, sw_if_index, ai) < 0) {
			fibx.free_adjs[fibx.n_free_adjs++] = ai;
			lig_adj_get(ai)->in_use = 0;
			return LIG_INVALID_INDEX;
		}
	}
	lig_adj_get(ai)->refcount++;
	return ai;
}

static void
adj_release(void *ctx, u64 i)
{
	(void)ctx;
	fibx.free_adjs[fibx.n_free_adjs++] = (u32)i;
}

void
lig_adj_unlock(u32 adj_index)
{
	struct lig_adj *a = lig_adj_get(adj_index);

	if (adj_index <= LIG_ADJ_INDEX_LOCAL || --a->refcount)
		return;
	if (a->lb_index != LIG_INVALID_INDEX)
		lb_free(a->lb_index);
	if (a->type == LIG_ADJ_NEIGHBOR)
		lig_hash64_del(&fibx.nbr_adjs, (u64)a->sw_if_index << 32 | a->nh);
	else if (a->type == LIG_ADJ_GLEAN)
		lig_hash64_del(&fibx.glean_adjs, a->sw_if_index);
	/* Gone for the control plane now; a worker may still read it until its next loop top
	 * (a buffer it looked up, a pointer into the pool). */
	a->in_use = 0;
	lig_rcu_call(adj_release, NULL, adj_index);
}

/*
 * Interface events. DELETE: its adjacencies drop from now on (routes through it stay until
 * deleted, as VPP's do when the interface goes away). MAC: complete neighbour adjacencies
 * rewrite with the new source address.
 */
static void
lig_fib_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev != LIG_IF_EVENT_DELETE && ev != LIG_IF_EVENT_MAC)
		return;
	for (u32 i = LIG_ADJ_INDEX_LOCAL + 1; i < lig_ip4_tables.n_adjs; i++) {
		struct lig_adj *a = lig_adj_get(i);
		if (!a->in_use || a->sw_if_index != ifp->sw_if_index)
			continue;
		if (ev == LIG_IF_EVENT_MAC) {
			if (a->type == LIG_ADJ_NEIGHBOR && a->complete)
				memcpy(a->rewrite + 6, ifp->mac, 6);
			continue;
		}
		if (a->type == LIG_ADJ_NEIGHBOR || a->type == LIG_ADJ_GLEAN) {
			if (a->type == LIG_ADJ_NEIGHBOR)
				lig_hash64_del(&fibx.nbr_adjs, (u64)a->sw_if_index << 32 | a->nh);
			else
				lig_hash64_del(&fibx.glean_adjs, a->sw_if_index);
			/* Detached: a later interface with this index starts afresh. */
			a->type = LIG_ADJ_DROP;
			a->complete = 0;
			a->sw_if_index = LIG_INVALID_INDEX;
		}
	}
}

/* -------- tables -------- */

/* Zeroes everything but the trie, whose root a worker may be loading with the fib_index
 * of a packet queued across the table's deletion (lig_fib_lookup_lb): the trie is freed
 * and published by lig_fib_mtrie_free and lig_fib_mtrie_init alone. */
static void
table_clear(struct lig_fib_table *t)
{
	t->table_id = 0;
	t->in_use = 0;
	memset(t->name, 0, sizeof(t->name));
	memset(&t->prefixes, 0, sizeof(t->prefixes));
	t->n_routes = 0;
	memset(t->n_by_len, 0, sizeof(t->n_by_len));
	t->n_interfaces = 0;
}

static int
table_create(u32 fib_index, u32 table_id)
{
	struct lig_fib_table *t = &lig_fib_main.tables[fib_index];
	int rv;

	table_clear(t);
	rv = lig_fib_mtrie_init(&t->mtrie, LIG_FIB_LB_INDEX_MISS);
	if (rv < 0)
		return rv;
	rv = lig_hash64_init(&t->prefixes, 1024);
	if (rv < 0) {
		lig_fib_mtrie_free(&t->mtrie);
		return rv;
	}
	t->table_id = table_id;
	t->in_use = 1;
	return 0;
}

static bool
table_taken(u32 fib_index)
{
	return lig_fib_main.tables[fib_index].in_use;
}

/* Creates the adjacency and load-balance pools and table 0, and subscribes to interface
 * events. Returns 0 or -errno. */
static int
lig_fib_init(void)
{
	u32 ai;
	int rv;

	rv = lig_hash64_init(&fibx.nbr_adjs, 1024);
	if (rv == 0)
		rv = lig_hash64_init(&fibx.glean_adjs, 256);
	if (rv < 0)
		return rv;
	/* The fixed adjacencies and their load-balances, at the indices ip4.h names. */
	ai = adj_alloc(LIG_ADJ_DROP, LIG_INVALID_INDEX);
	adj_alloc(LIG_ADJ_MISS, LIG_INVALID_INDEX);
	adj_alloc(LIG_ADJ_LOCAL, LIG_INVALID_INDEX);
	for (ai = 0; ai <= LIG_ADJ_INDEX_LOCAL; ai++) {
		if (adj_lb(ai) != ai)
			return -ENOMEM;
		lig_adj_get(ai)->refcount = 1;
	}
	rv = table_create(0, 0);
	if (rv < 0)
		return rv;
	return lig_if_subscribe("ip4_fib", lig_fib_if_event, NULL);
}

LIG_MODULE(ip4_fib, .init = lig_fib_init, .depends = {"interface"});

u32
lig_fib_table_find(u32 table_id)
{
	for (u32 i = 0; i < LIG_FIB_MAX_TABLES; i++)
		if (lig_fib_main.tables[i].in_use && lig_fib_main.tables[i].table_id == table_id)
			return i;
	return LIG_INVALID_INDEX;
}

static void entry_remove(u32 ei);

/* A deleted table's trie and prefix hash: freed after the barrier, since giving back
 * their megabytes (munmap, with a TLB shootdown on every CPU) takes hundreds of
 * microseconds, and nothing reaches them once the table is cleared. */
struct lig_fib_retired {
	struct lig_fib_mtrie mtrie;
	struct lig_hash64 prefixes;
};

static void
lig_fib_retired_free(void *arg)
{
	struct lig_fib_retired *r = arg;

	lig_fib_mtrie_free(&r->mtrie);
	lig_hash64_free(&r->prefixes);
	free(r);
}

int
lig_fib_table_add_del(u32 table_id, bool is_add)
{
	u32 fi = lig_fib_table_find(table_id);

	if (is_add) {
		/* Next fit, not the lowest free slot: a packet queued with the fib_index of
		 * a table deleted a moment ago must not be routed by the next table made. */
		static u32 cursor = 1;
		if (fi != LIG_INVALID_INDEX)
			return -EEXIST;
		fi = lig_next_fit(&cursor, LIG_FIB_MAX_TABLES, table_taken);
		return fi == LIG_INVALID_INDEX ? -ENOSPC : table_create(fi, table_id);
	}
	if (fi == LIG_INVALID_INDEX)
		return -ENOENT;
	struct lig_fib_table *t = &lig_fib_main.tables[fi];
	if (fi == 0 || t->n_interfaces)
		return -EBUSY;
	/* Collect first: removing while iterating may skip slots. */
	u32 n = 0, *eis = malloc((t->n_routes + 1) * sizeof(u32));
	struct lig_fib_retired *retired = malloc(sizeof(*retired));
	struct lig_hash64_slot *s;
	if (!eis || !retired) {
		free(eis);
		free(retired);
		return -ENOMEM;
	}
	for (u32 c = 0; lig_hash64_next(&t->prefixes, &c, &s);)
		eis[n++] = (u32)s->value;
	/* Interfaces bound to it (without addresses) still lead workers into the trie: it
	 * and the bindings go under the barrier (which also runs the routes' deferred frees). */
	lig_barrier_sync();
	lig_barrier_kind("ip table delete");
	for (u32 i = 0; i < n; i++)
		entry_remove(eis[i]);
	free(eis);
	/* A packet queued before now may still carry fi: it finds no root (a miss). */
	lig_fib_mtrie_move(&t->mtrie, &retired->mtrie);
	retired->prefixes = t->prefixes;
	lig_barrier_after_release(lig_fib_retired_free, retired);
	table_clear(t);
	/* Interfaces bound to it without addresses go back to table 0. */
	for (u32 sw = 0; sw < LIG_ARRAY_LEN(lig_ip4_main.ifs); sw++)
		/* Only existing ones: a deleted interface went back to table 0 already. */
		if (lig_if_get(sw) && lig_ip4_main.ifs[sw].fib_index == fi)
			lig_ip4_main.ifs[sw].fib_index = 0;
	lig_barrier_release();
	return 0;
}

int
lig_fib_table_set_name(u32 table_id, const char *name)
{
	u32 fi = lig_fib_table_find(table_id);
	size_t len = name ? strlen(name) : 0;

	if (fi == LIG_INVALID_INDEX)
		return -ENOENT;
	if (len >= LIG_FIB_TABLE_NAME_SIZE)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (name[i] < 0x20 || name[i] > 0x7e || name[i] == '"')
			return -EINVAL;
	memcpy(lig_fib_main.tables[fi].name, len ? name : "", len + 1);
	return 0;
}

/* -------- entries -------- */

static inline struct lig_fib_entry *
entry_get(u32 ei)
{
	return &lig_fib_main.entries[ei];
}

static u32
entry_alloc(void)
{
	struct lig_fib_main *fm = &lig_fib_main;
	if (!fm->n_free_entries) {
		u32 n = fm->n_entries_alloc ? fm->n_entries_alloc * 2 : 1024;
		struct lig_fib_entry *e = realloc(fm->entries, (size_t)n * sizeof(*e));
		if (!e)
			return LIG_INVALID_INDEX;
		fm->entries = e;
		/* Unused entries read as free (source 0): dumps walk the whole pool. */
		memset(e + fm->n_entries_alloc, 0, (size_t)(n - fm->n_entries_alloc) * sizeof(*e));
		u32 *fl = realloc(fm->free_entries, (size_t)n * sizeof(u32));
		if (!fl)
			return LIG_INVALID_INDEX;
		fm->free_entries = fl;
		for (u32 i = n; i-- > fm->n_entries_alloc;)
			fm->free_entries[fm->n_free_entries++] = i;
		fm->n_entries_alloc = n;
	}
	u32 ei = fm->free_entries[--fm->n_free_entries];
	memset(entry_get(ei), 0, sizeof(struct lig_fib_entry));
	return ei;
}

struct lig_fib_entry *
lig_fib_entry_find(u32 fib_index, u32 addr, u8 len)
{
	struct lig_fib_table *t;
	struct lig_hash64_slot *s;

	if (fib_index >= LIG_FIB_MAX_TABLES || len > 32)
		return NULL;
	t = &lig_fib_main.tables[fib_index];
	if (!t->in_use)
		return NULL;
	s = lig_hash64_lookup(&t->prefixes, prefix_key(addr & mask_net(len), len));
	return s ? entry_get((u32)s->value) : NULL;
}

/* The longest existing prefix strictly shorter than len covering addr: its lb and len,
 * or the table's miss at length 0. */
static void
entry_cover(u32 fib_index, u32 addr, u8 len, u32 *lb, u8 *cover_len)
{
	for (int l = len - 1; l >= 0; l--) {
		struct lig_fib_entry *e = lig_fib_entry_find(fib_index, addr, (u8)l);
		if (e) {
			*lb = e->lb_index;
			*cover_len = (u8)l;
			return;
		}
	}
	*lb = LIG_FIB_LB_INDEX_MISS;
	*cover_len = 0;
}

/* Resolves a path to a locked adjacency; returns 0 or -EHOSTUNREACH / -ENOMEM. */
static int
path_resolve(u32 fib_index, struct lig_fib_path *p)
{
	u32 ai;

	p->flags = 0;
	if (!p->weight)
		p->weight = 1;
	switch (p->type) {
	case LIG_FIB_PATH_DROP:
		p->adj_index = LIG_ADJ_INDEX_DROP;
		return 0;
	case LIG_FIB_PATH_LOCAL:
		p->adj_index = LIG_ADJ_INDEX_LOCAL;
		return 0;
	case LIG_FIB_PATH_ADJ:
		lig_adj_get(p->adj_index)->refcount++;
		return 0;
	case LIG_FIB_PATH_ATTACHED:
		if (!lig_if_get(p->sw_if_index))
			return -ENOENT;
		ai = lig_adj_glean_add_or_lock(p->sw_if_index);
		break;
	default:
		if (p->sw_if_index == LIG_INVALID_INDEX) {
			/* Through the table, once: a connected subnet gives the interface, a
			 * route gives its (first) next hop. Not re-resolved on later changes. */
			u32 lbi = lig_fib_lookup_lb(fib_index, p->nh);
			struct lig_adj *a = lig_adj_get(lig_fib_lb_get(lbi)->buckets[0]);
			if (a->type == LIG_ADJ_GLEAN) {
				u32 sw = a->sw_if_index; /* the call may move the pool */
				ai = lig_adj_nbr_add_or_lock(sw, p->nh);
				if (ai != LIG_INVALID_INDEX)
					p->sw_if_index = sw;
			} else if (a->type == LIG_ADJ_NEIGHBOR) {
				ai = lig_fib_lb_get(lbi)->buckets[0];
				a->refcount++;
				p->sw_if_index = a->sw_if_index;
			} else {
				return -EHOSTUNREACH;
			}
			p->flags |= LIG_FIB_PATH_F_VIA_TABLE;
		} else {
			if (!lig_if_get(p->sw_if_index))
				return -ENOENT;
			ai = lig_adj_nbr_add_or_lock(p->sw_if_index, p->nh);
		}
	}
	if (ai == LIG_INVALID_INDEX)
		return -ENOMEM;
	p->adj_index = ai;
	return 0;
}

static bool
path_equal(const struct lig_fib_path *a, const struct lig_fib_path *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case LIG_FIB_PATH_NEXT_HOP:
		return a->nh == b->nh &&
		       (b->sw_if_index == LIG_INVALID_INDEX || a->sw_if_index == b->sw_if_index);
	case LIG_FIB_PATH_ATTACHED:
		return a->sw_if_index == b->sw_if_index;
	case LIG_FIB_PATH_ADJ:
		return a->adj_index == b->adj_index;
	default:
		return true;
	}
}

/* Recomputes the entry's load-balance and writes it into the trie. */
static int
entry_install(u32 ei)
{
	struct lig_fib_entry *e = entry_get(ei);
	struct lig_fib_table *t = &lig_fib_main.tables[e->fib_index];
	u32 adjs[LIG_FIB_MAX_PATHS], old = e->lb_index, lb;
	u8 weights[LIG_FIB_MAX_PATHS];
	bool old_private = old != LIG_INVALID_INDEX && lig_fib_lb_get(old)->refcount;

	for (u32 i = 0; i < e->n_paths; i++) {
		adjs[i] = lig_fib_entry_path(e, i)->adj_index;
		weights[i] = lig_fib_entry_path(e, i)->weight;
	}
	if (e->n_paths == 1) {
		lb = adj_lb(adjs[0]);
		if (lb == LIG_INVALID_INDEX)
			return -ENOMEM;
	} else {
		/* A new private one, filled before the trie points to it: workers may be
		 * reading the old one, which is never refilled in place. */
		lb = lb_alloc();
		if (lb == LIG_INVALID_INDEX)
			return -ENOMEM;
		lig_fib_lb_get(lb)->refcount = 1;
		lb_fill(lig_fib_lb_get(lb), adjs, weights, e->n_paths);
	}
	e = entry_get(ei);
	e->lb_index = lb;
	if (lb != old) {
		int rv = lig_fib_mtrie_insert(&t->mtrie, ntohl(e->addr), e->len, lb);
		if (rv < 0)
			return rv;
	}
	if (old_private)
		lb_free(old);
	return 0;
}

static void
entry_release_paths(struct lig_fib_entry *e)
{
	for (u32 i = 0; i < e->n_paths; i++)
		lig_adj_unlock(lig_fib_entry_path(e, i)->adj_index);
	free(e->more);
	e->more = NULL;
	e->n_paths = 0;
}

static void
entry_remove(u32 ei)
{
	struct lig_fib_entry *e = entry_get(ei);
	struct lig_fib_table *t = &lig_fib_main.tables[e->fib_index];
	u32 cover_lb;
	u8 cover_len;

	lig_hash64_del(&t->prefixes, prefix_key(e->addr, e->len));
	entry_cover(e->fib_index, e->addr, e->len, &cover_lb, &cover_len);
	lig_fib_mtrie_delete(&t->mtrie, ntohl(e->addr), e->len, cover_lb, cover_len);
	if (e->lb_index != LIG_INVALID_INDEX && lig_fib_lb_get(e->lb_index)->refcount)
		lb_free(e->lb_index); /* a private (multipath) load-balance */
	entry_release_paths(e);
	t->n_routes--;
	t->n_by_len[e->len]--;
	e->source = 0;
	lig_fib_main.free_entries[lig_fib_main.n_free_entries++] = ei;
}

static inline u8
path_weight(const struct lig_fib_path *p)
{
	return p->weight ? p->weight : 1;
}

/* Appends resolved paths to the entry; a path it has already takes the given weight
 * (*reweighted then true). Returns 0 or -errno (nothing appended or changed). */
static int
entry_add_paths(u32 ei, const struct lig_fib_path *paths, u32 n_paths, bool *reweighted)
{
	struct lig_fib_path add[LIG_FIB_MAX_PATHS];
	u32 n_add = 0, reweight[LIG_FIB_MAX_PATHS], n_reweight = 0;
	u8 new_weight[LIG_FIB_MAX_PATHS];
	int rv = 0;

	for (u32 i = 0; i < n_paths; i++) {
		struct lig_fib_entry *e = entry_get(ei);
		bool dup = false;
		for (u32 k = 0; k < e->n_paths && !dup; k++) {
			dup = path_equal(lig_fib_entry_path(e, k), &paths[i]);
			if (dup && lig_fib_entry_path(e, k)->weight != path_weight(&paths[i])) {
				reweight[n_reweight] = k;
				new_weight[n_reweight++] = path_weight(&paths[i]);
			}
		}
		for (u32 k = 0; k < n_add && !dup; k++)
			dup = path_equal(&add[k], &paths[i]);
		if (dup)
			continue;
		if (e->n_paths + n_add >= LIG_FIB_MAX_PATHS) {
			rv = -EINVAL;
			break;
		}
		add[n_add] = paths[i];
		rv = path_resolve(entry_get(ei)->fib_index, &add[n_add]);
		if (rv < 0)
			break;
		n_add++;
	}
	if (rv < 0) {
		for (u32 k = 0; k < n_add; k++)
			lig_adj_unlock(add[k].adj_index);
		return rv;
	}
	struct lig_fib_entry *e = entry_get(ei);
	if (n_add && e->n_paths + n_add > 1) {
		struct lig_fib_path *more =
		    realloc(e->more, (e->n_paths + n_add - 1) * sizeof(struct lig_fib_path));
		if (!more) {
			for (u32 k = 0; k < n_add; k++)
				lig_adj_unlock(add[k].adj_index);
			return -ENOMEM;
		}
		e->more = more;
	}
	for (u32 k = 0; k < n_add; k++)
		*lig_fib_entry_path(e, e->n_paths++) = add[k];
	for (u32 k = 0; k < n_reweight; k++)
		lig_fib_entry_path(e, reweight[k])->weight = new_weight[k];
	if (reweighted)
		*reweighted = n_reweight > 0;
	return 0;
}

static void
entry_del_path(struct lig_fib_entry *e, u32 i)
{
	lig_adj_unlock(lig_fib_entry_path(e, i)->adj_index);
	for (u32 k = i; k + 1 < e->n_paths; k++)
		*lig_fib_entry_path(e, k) = *lig_fib_entry_path(e, k + 1);
	e->n_paths--;
	if (e->n_paths <= 1) {
		free(e->more);
		e->more = NULL;
	}
}

int
lig_fib_route_add_del(u32 fib_index, u32 addr, u8 len, enum lig_fib_source src,
		      const struct lig_fib_path *paths, u32 n_paths, bool is_add)
{
	struct lig_fib_table *t;
	struct lig_hash64_slot *s;
	u32 ei;
	int rv;

	if (fib_index >= LIG_FIB_MAX_TABLES || !lig_fib_main.tables[fib_index].in_use)
		return -ENOENT;
	if (len > 32 || n_paths > LIG_FIB_MAX_PATHS || (is_add && !n_paths))
		return -EINVAL;
	t = &lig_fib_main.tables[fib_index];
	addr &= mask_net(len);
	s = lig_hash64_lookup(&t->prefixes, prefix_key(addr, len));
	ei = s ? (u32)s->value : LIG_INVALID_INDEX;

	if (!is_add) {
		if (ei == LIG_INVALID_INDEX || entry_get(ei)->source != src)
			return -ENOENT;
		struct lig_fib_entry *e = entry_get(ei);
		if (!n_paths || src != LIG_FIB_SRC_API) {
			entry_remove(ei);
			return 0;
		}
		for (u32 i = 0; i < n_paths; i++) {
			u32 k;
			for (k = 0; k < e->n_paths; k++)
				if (path_equal(lig_fib_entry_path(e, k), &paths[i]))
					break;
			if (k == e->n_paths)
				return -ENOENT;
		}
		/* Keep the old private lb alive until the trie no longer points at it. */
		u32 old_lb = e->lb_index, old_n = e->n_paths;
		for (u32 i = 0; i < n_paths; i++)
			for (u32 k = 0; k < e->n_paths; k++)
				if (path_equal(lig_fib_entry_path(e, k), &paths[i])) {
					entry_del_path(e, k);
					break;
				}
		if (!e->n_paths) {
			e->lb_index = old_lb;
			entry_remove(ei);
			return 0;
		}
		if (e->n_paths == 1 && old_n > 1) {
			e->lb_index = LIG_INVALID_INDEX;
			rv = entry_install(ei);
			if (rv == 0) /* else the trie may still point at it: kept */
				lb_free(old_lb);
			return rv;
		}
		return entry_install(ei);
	}

	if (ei != LIG_INVALID_INDEX) {
		struct lig_fib_entry *e = entry_get(ei);
		if (e->source > src)
			return -EEXIST;
		if (e->source < src) {
			/* A stronger source takes the prefix over. */
			u32 old_lb = e->lb_index, old_n = e->n_paths;
			entry_release_paths(e);
			e->source = (u8)src;
			rv = entry_add_paths(ei, paths, n_paths, NULL);
			if (rv < 0) {
				e = entry_get(ei);
				e->lb_index = old_lb;
				entry_remove(ei);
				return rv;
			}
			e = entry_get(ei);
			e->lb_index = LIG_INVALID_INDEX;
			rv = entry_install(ei);
			if (old_n > 1 && rv == 0) /* else the trie may still point at it: kept */
				lb_free(old_lb);
			return rv;
		}
		u32 before = e->n_paths;
		bool reweighted = false;
		rv = entry_add_paths(ei, paths, n_paths, &reweighted);
		if (rv < 0)
			return rv;
		e = entry_get(ei);
		if (e->n_paths == before && (!reweighted || before == 1))
			return 0;
		if (before == 1)
			e->lb_index = LIG_INVALID_INDEX; /* shared lb: allocate a private one */
		return entry_install(ei);
	}

	ei = entry_alloc();
	if (ei == LIG_INVALID_INDEX)
		return -ENOMEM;
	struct lig_fib_entry *e = entry_get(ei);
	e->addr = addr;
	e->len = len;
	e->source = (u8)src;
	e->fib_index = fib_index;
	e->lb_index = LIG_INVALID_INDEX;
	rv = entry_add_paths(ei, paths, n_paths, NULL);
	if (rv == 0)
		rv = hash_set_grow(&t->prefixes, prefix_key(addr, len), ei);
	if (rv < 0) {
		entry_release_paths(entry_get(ei));
		entry_get(ei)->source = 0;
		lig_fib_main.free_entries[lig_fib_main.n_free_entries++] = ei;
		return rv;
	}
	t->n_routes++;
	t->n_by_len[len]++;
	rv = entry_install(ei);
	if (rv < 0)
		entry_remove(ei);
	return rv;
}

/* True when the entry has exactly these paths, in this order, with these weights. */
static bool
entry_paths_same(struct lig_fib_entry *e, const struct lig_fib_path *paths, u32 n_paths)
{
	if (e->n_paths != n_paths)
		return false;
	for (u32 i = 0; i < n_paths; i++)
		if (!path_equal(lig_fib_entry_path(e, i), &paths[i]) ||
		    lig_fib_entry_path(e, i)->weight != path_weight(&paths[i]))
			return false;
	return true;
}

int
lig_fib_route_update(u32 fib_index, u32 addr, u8 len, enum lig_fib_source src,
		     const struct lig_fib_path *paths, u32 n_paths)
{
	struct lig_fib_path add[LIG_FIB_MAX_PATHS], *more = NULL;
	struct lig_hash64_slot *s;
	struct lig_fib_entry *e;
	u32 n_add = 0, ei;
	int rv = 0;

	if (fib_index >= LIG_FIB_MAX_TABLES || !lig_fib_main.tables[fib_index].in_use)
		return -ENOENT;
	if (len > 32 || !n_paths || n_paths > LIG_FIB_MAX_PATHS)
		return -EINVAL;
	addr &= mask_net(len);
	s = lig_hash64_lookup(&lig_fib_main.tables[fib_index].prefixes, prefix_key(addr, len));
	if (!s || entry_get((u32)s->value)->source != src)
		return lig_fib_route_add_del(fib_index, addr, len, src, paths, n_paths, true);
	ei = (u32)s->value;
	e = entry_get(ei);
	if (entry_paths_same(e, paths, n_paths))
		return 0;
	/* The new paths are resolved (and their adjacencies locked) before the old ones are
	 * released, so an adjacency both share lives on and a failure changes nothing. */
	for (u32 i = 0; i < n_paths && rv == 0; i++) {
		bool dup = false;
		for (u32 k = 0; k < n_add && !dup; k++)
			dup = path_equal(&add[k], &paths[i]);
		if (dup)
			continue;
		add[n_add] = paths[i];
		rv = path_resolve(fib_index, &add[n_add]);
		if (rv == 0)
			n_add++;
	}
	if (rv == 0 && n_add > 1 && !(more = malloc((n_add - 1) * sizeof(*more))))
		rv = -ENOMEM;
	if (rv < 0) {
		for (u32 k = 0; k < n_add; k++)
			lig_adj_unlock(add[k].adj_index);
		return rv;
	}
	e = entry_get(ei);
	entry_release_paths(e);
	e->more = more;
	for (u32 k = 0; k < n_add; k++)
		*lig_fib_entry_path(e, e->n_paths++) = add[k];
	/* entry_install reuses a private (multipath) load-balance or frees it. */
	return entry_install(ei);
}

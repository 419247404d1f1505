/* SPDX-License-Identifier: Apache-2.0 */
/* L2 FIB control: static entries, flushes, aging and the coarse clock (see l2fib.h). */
#include <errno.h>
#include <stdlib.h>

#include "../ethernet/ethernet.h"
#include "../infra/log.h"
#include "../vlib/loop.h"
#include "l2.h"
#include "l2fib.h"

struct lig_l2fib_main lig_l2fib_main = {.timer = -1};

int
lig_l2fib_init(void)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	int rv;

	if (fm->initialized)
		return 0;
	rv = lig_hash64_init(&fm->table, LIG_L2FIB_MAX_ENTRIES);
	if (rv < 0)
		return rv;
	fm->learn_limit = LIG_L2FIB_DEFAULT_LEARN_LIMIT;
	fm->n_learned = fm->n_static = 0;
	fm->now = (u32)(lig_time_now_ns() / 1000000000ull);
	fm->last_scan = fm->now;
	fm->initialized = true;
	return 0;
}

/* Counts an entry leaving the table. */
static void
lig_l2fib_account_del(u64 value)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;

	if (lig_l2fib_value_flags(value) & LIG_L2FIB_F_STATIC)
		fm->n_static--;
	else
		fm->n_learned--;
}

int
lig_l2fib_add(const u8 mac[6], u32 bd_id, u32 sw_if_index, u32 flags)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 bd_index = lig_bd_find(bd_id);
	struct lig_bd *bd = lig_bd_get(bd_index);
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	struct lig_hash64_slot *old;
	bool is_static = flags & LIG_L2FIB_F_STATIC;
	int rv;

	if (!bd)
		return -ENOENT;
	if (lig_mac_is_multicast(mac) || lig_mac_is_zero(mac))
		return -EINVAL;
	if (flags & LIG_L2FIB_F_FILTER) {
		sw_if_index = 0xffff;
	} else {
		if (!ifp)
			return -ENOENT;
		if (ifp->mode != LIG_IF_MODE_BRIDGE || ifp->bd_index != bd_index)
			return -ENXIO;
		if ((flags & LIG_L2FIB_F_BVI) && bd->bvi_sw_if_index != sw_if_index)
			return -ENXIO;
	}
	old = lig_l2fib_lookup(bd_index, mac);
	if (!old && !is_static && fm->n_learned >= fm->learn_limit)
		return -ENOSPC;
	u64 value = lig_l2fib_value(sw_if_index, flags, bd->seq_num, fm->now);
	u64 old_value = old ? old->value : 0;
	rv = lig_hash64_set(&fm->table, lig_l2fib_key(bd_index, mac), value);
	if (rv < 0)
		return rv;
	if (old)
		lig_l2fib_account_del(old_value);
	if (is_static)
		fm->n_static++;
	else
		fm->n_learned++;
	return 0;
}

int
lig_l2fib_del(const u8 mac[6], u32 bd_id)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 bd_index = lig_bd_find(bd_id);
	struct lig_hash64_slot *s;

	if (bd_index == LIG_INVALID_INDEX)
		return -ENOENT;
	s = lig_l2fib_lookup(bd_index, mac);
	if (!s)
		return -ENOENT;
	lig_l2fib_account_del(s->value);
	return lig_hash64_del(&fm->table, s->key);
}

enum lig_l2fib_match {
	LIG_L2FIB_MATCH_LEARNED,   /* every learned entry */
	LIG_L2FIB_MATCH_BD,	   /* entries of bd_index */
	LIG_L2FIB_MATCH_INTERFACE, /* entries pointing at sw_if_index (in bd_index if set) */
	LIG_L2FIB_MATCH_AGED,	   /* learned entries older than their domain's MAC age */
};

struct lig_l2fib_filter {
	enum lig_l2fib_match match;
	u32 bd_index;
	u32 sw_if_index;
	bool with_static;
	u32 now;
};

static bool
lig_l2fib_matches(const struct lig_l2fib_filter *f, u64 key, u64 value)
{
	u32 bd_index = lig_l2fib_key_bd_index(key);
	bool is_static = lig_l2fib_value_flags(value) & LIG_L2FIB_F_STATIC;

	if (is_static && !f->with_static)
		return false;
	switch (f->match) {
	case LIG_L2FIB_MATCH_LEARNED:
		return true;
	case LIG_L2FIB_MATCH_BD:
		return bd_index == f->bd_index;
	case LIG_L2FIB_MATCH_INTERFACE:
		return lig_l2fib_value_sw_if_index(value) == f->sw_if_index &&
		       (f->bd_index == LIG_INVALID_INDEX || bd_index == f->bd_index);
	case LIG_L2FIB_MATCH_AGED: {
		struct lig_bd *bd = lig_bd_get(bd_index);
		if (!bd || bd->mac_age == 0)
			return false;
		/* Unsigned difference: correct across a clock wrap too. */
		return f->now - lig_l2fib_value_timestamp(value) >= bd->mac_age * 60u;
	}
	}
	return false;
}

/* Deletes every matching entry; keys are collected first because deleting moves slots. */
static u32
lig_l2fib_delete_matching(const struct lig_l2fib_filter *f)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_hash64_slot *s;
	u32 cursor = 0, n = 0, cap = 256;
	u64 *keys;

	if (!fm->initialized || fm->table.count == 0)
		return 0;
	keys = malloc(cap * sizeof(*keys));
	if (!keys)
		return 0;
	while (lig_hash64_next(&fm->table, &cursor, &s)) {
		if (!lig_l2fib_matches(f, s->key, s->value))
			continue;
		if (n == cap) {
			u64 *k = realloc(keys, 2 * cap * sizeof(*keys));
			if (!k)
				break; /* delete what we collected; the caller may retry */
			keys = k;
			cap *= 2;
		}
		keys[n++] = s->key;
	}
	for (u32 i = 0; i < n; i++) {
		s = lig_hash64_lookup(&fm->table, keys[i]);
		if (s) {
			lig_l2fib_account_del(s->value);
			lig_hash64_del(&fm->table, keys[i]);
		}
	}
	free(keys);
	return n;
}

u32
lig_l2fib_clear(void)
{
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_LEARNED};

	return lig_l2fib_delete_matching(&f);
}

u32
lig_l2fib_flush_bd(u32 bd_index, bool with_static)
{
	struct lig_l2fib_filter f = {
	    .match = LIG_L2FIB_MATCH_BD, .bd_index = bd_index, .with_static = with_static};
	struct lig_bd *bd = lig_bd_get(bd_index);

	if (bd)
		bd->seq_num++;
	return lig_l2fib_delete_matching(&f);
}

u32
lig_l2fib_flush_interface(u32 sw_if_index, u32 bd_index, bool with_static)
{
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_INTERFACE,
				     .bd_index = bd_index,
				     .sw_if_index = sw_if_index,
				     .with_static = with_static};

	return lig_l2fib_delete_matching(&f);
}

void
lig_l2fib_set_now(u32 now)
{
	lig_l2fib_main.now = now;
}

u32
lig_l2fib_age(u32 now)
{
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_AGED, .now = now};
	bool any = false;
	u32 n;

	lig_l2fib_main.last_scan = now;
	for (u32 i = 1; i < LIG_BD_MAX && !any; i++)
		any = lig_bd_main.bds[i].bd_id && lig_bd_main.bds[i].mac_age;
	if (!any)
		return 0;
	n = lig_l2fib_delete_matching(&f);
	lig_l2fib_main.n_aged += n;
	if (n)
		lig_debug("l2fib", "aged out %u entries", n);
	return n;
}

int
lig_l2fib_set_learn_limit(u32 limit)
{
	if (limit == 0 || limit > LIG_L2FIB_MAX_ENTRIES)
		return -EINVAL;
	lig_l2fib_main.learn_limit = limit;
	return 0;
}

static void
lig_l2fib_timer(void *ctx)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 now = (u32)(lig_time_now_ns() / 1000000000ull);

	(void)ctx;
	fm->now = now;
	if (now - fm->last_scan >= LIG_L2FIB_AGE_SCAN_INTERVAL)
		lig_l2fib_age(now);
}

int
lig_l2fib_start_timer(void)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	int id;

	if (fm->timer >= 0)
		return 0;
	id = lig_loop_add_timer(1000000000ull, lig_l2fib_timer, NULL);
	if (id < 0)
		return id;
	fm->timer = id;
	return 0;
}

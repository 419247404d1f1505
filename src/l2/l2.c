/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 control: the tables the l2 nodes read (bridge domains, ports, BVI, ARP termination,
 * the L2 FIB) and the one function per operation that every front end calls (create or
 * delete a domain, set its flags, bridge, xconnect or return a port to L3, add or delete
 * static FIB entries, flush, age). See l2.h and l2fib.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../ethernet/ethernet.h"
#include "../infra/log.h"
#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "l2.h"
#include "l2fib.h"

struct lig_bd_main lig_bd_main;

u32
lig_bd_find(u32 bd_id)
{
	if (bd_id == 0)
		return LIG_INVALID_INDEX;
	for (u32 i = 1; i < LIG_BD_MAX; i++)
		if (lig_bd_main.bds[i].bd_id == bd_id)
			return i;
	return LIG_INVALID_INDEX;
}

/* Removes the ARP-termination entries of one domain. */
static void
lig_bd_arp_flush(u32 bd_index)
{
	struct lig_hash64 *h = &lig_bd_main.arp;
	struct lig_hash64_slot *s;
	u32 cursor = 0;

	/* Deleting shifts later slots back: restart the scan after each delete. Control
	 * plane only, and ARP tables are small. */
	while (lig_bd_main.bds[bd_index].n_arp > 0) {
		bool found = false;
		cursor = 0;
		while (lig_hash64_next(h, &cursor, &s)) {
			if ((u32)(s->key >> 32) == bd_index) {
				lig_hash64_del(h, s->key);
				lig_bd_main.bds[bd_index].n_arp--;
				found = true;
				break;
			}
		}
		if (!found)
			break;
	}
	lig_bd_main.bds[bd_index].n_arp = 0;
}

static int lig_l2fib_collect_bd(u32 bd_index, u64 **keys, u32 *n);
static void lig_l2fib_delete_bd_keys(u32 bd_index, const u64 *keys, u32 n);

static bool
lig_bd_index_taken(u32 bd_index)
{
	return lig_bd_main.bds[bd_index].bd_id != 0;
}

int
lig_bd_add_del(u32 bd_id, u32 flags, u32 mac_age, bool is_add)
{
	struct lig_bd_main *bm = &lig_bd_main;
	u32 bd_index;
	struct lig_bd *bd;

	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return -EINVAL;
	bd_index = lig_bd_find(bd_id);
	if (!is_add) {
		bd = lig_bd_get(bd_index);
		if (!bd)
			return -ENOENT;
		if (bd->ports)
			return -EBUSY;
		/* A domain without ports learns nothing more: its entries are collected
		 * with the workers running, and only deleted with them parked. */
		u64 *keys;
		u32 n;
		/* Out of memory, a domain whose entries stay would hand them to the next
		 * domain of its index: refused instead. */
		if (lig_l2fib_collect_bd(bd_index, &keys, &n) < 0) {
			free(keys);
			return -ENOMEM;
		}
		lig_barrier_sync();
		lig_barrier_kind("bridge domain delete");
		lig_l2fib_delete_bd_keys(bd_index, keys, n);
		lig_bd_arp_flush(bd_index);
		memset(bd, 0, sizeof(*bd));
		bd->bvi_sw_if_index = LIG_INVALID_INDEX;
		bm->n_bds--;
		lig_barrier_release();
		free(keys);
		lig_info("l2", "deleted bridge domain %u (index %u)", bd_id, bd_index);
		return 0;
	}
	if (mac_age > 255)
		return -EINVAL;
	if (bd_index != LIG_INVALID_INDEX)
		return -EEXIST;
	/* Next fit, not the lowest free index: a packet queued with the index of a domain
	 * deleted a moment ago (vlib/graph.h) must not be bridged in the next one made. */
	static u32 cursor = 1;
	bd_index = lig_next_fit(&cursor, LIG_BD_MAX, lig_bd_index_taken);
	if (bd_index == LIG_INVALID_INDEX)
		return -ENOSPC;
	/* A packet queued before an earlier domain of this index went may still read the
	 * slot: it is written with the workers parked (a few stores). */
	lig_barrier_sync();
	lig_barrier_kind("bridge domain create");
	bd = &bm->bds[bd_index];
	memset(bd, 0, sizeof(*bd));
	bd->bd_id = bd_id;
	bd->flags = flags;
	bd->mac_age = mac_age;
	bd->bvi_sw_if_index = LIG_INVALID_INDEX;
	bm->n_bds++;
	lig_barrier_release();
	lig_info("l2", "created bridge domain %u (index %u)", bd_id, bd_index);
	return 0;
}

int
lig_bd_set_tag(u32 bd_id, const char *tag)
{
	struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));
	size_t len = tag ? strlen(tag) : 0;

	if (!bd)
		return -ENOENT;
	if (len >= sizeof(bd->tag))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (tag[i] < 0x20 || tag[i] > 0x7e || tag[i] == '"')
			return -EINVAL;
	memcpy(bd->tag, len ? tag : "", len + 1);
	return 0;
}

int
lig_bd_set_flags(u32 bd_id, u32 flags, bool enable)
{
	struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));

	if (!bd)
		return -ENOENT;
	if (enable)
		bd->flags |= flags;
	else
		bd->flags &= ~flags;
	return 0;
}

int
lig_bd_set_mac_age(u32 bd_id, u32 minutes)
{
	struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));

	if (!bd)
		return -ENOENT;
	if (minutes > 255)
		return -EINVAL;
	bd->mac_age = minutes;
	return 0;
}

int
lig_bd_arp_entry_add_del(u32 bd_id, u32 ip4_net, const u8 mac[6], bool is_add)
{
	u32 bd_index = lig_bd_find(bd_id);
	struct lig_bd *bd = lig_bd_get(bd_index);
	u64 key;
	int rv;

	if (!bd)
		return -ENOENT;
	key = lig_bd_arp_key(bd_index, ip4_net);
	if (!is_add) {
		rv = lig_hash64_del(&lig_bd_main.arp, key);
		if (rv == 0)
			bd->n_arp--;
		return rv;
	}
	if (lig_mac_is_multicast(mac) || lig_mac_is_zero(mac))
		return -EINVAL;
	bool existed = lig_hash64_lookup(&lig_bd_main.arp, key) != NULL;
	rv = lig_hash64_set(&lig_bd_main.arp, key, lig_mac_to_u64(mac));
	if (rv == 0 && !existed)
		bd->n_arp++;
	return rv;
}

/*
 * Publishes bd's port list with sw_if_index removed (remove) or added, or its shg and bvi
 * updated in place: a new array; the old one is freed after a grace period, since l2-flood
 * may be walking it. Returns 0 or -ENOMEM; a removal cannot fail (out of memory it edits
 * the array in place under the barrier).
 */
static int
lig_bd_ports_update(struct lig_bd *bd, u32 sw_if_index, bool remove, u8 shg, bool bvi)
{
	struct lig_bd_ports *old = bd->ports, *p;
	u32 n_old = old ? old->n : 0, n = 0;
	bool found = false;

	p = malloc(sizeof(*p) + (n_old + 1) * sizeof(p->port[0]));
	if (!p && !remove)
		return -ENOMEM;
	if (!p) {
		lig_barrier_sync();
		lig_barrier_kind("l2 port leaving (out of memory)");
		for (u32 i = 0; i < n_old; i++) {
			if (old->port[i].sw_if_index == sw_if_index) {
				old->port[i] = old->port[--old->n];
				break;
			}
		}
		if (old && !old->n) {
			bd->ports = NULL; /* workers parked: nobody walks it */
			free(old);
		}
		lig_barrier_release();
		return 0;
	}
	for (u32 i = 0; i < n_old; i++) {
		struct lig_bd_port port = old->port[i];
		if (port.sw_if_index == sw_if_index) {
			found = true;
			if (remove)
				continue;
			port.shg = shg;
			port.bvi = bvi;
		}
		p->port[n++] = port;
	}
	if (!found && !remove)
		p->port[n++] =
		    (struct lig_bd_port){.sw_if_index = sw_if_index, .shg = shg, .bvi = bvi};
	p->n = n;
	__atomic_store_n(&bd->ports, n ? p : NULL, __ATOMIC_RELEASE);
	if (!n)
		free(p);
	if (old)
		lig_rcu_free(old);
	return 0;
}

/*
 * Takes the interface out of the bridge domain of its old L2 mode `was`, once its new mode
 * is published: the port list, the BVI role, its FIB entries. The entries (learned and
 * static) go stale at once (the sweep deletes them, no table scan). A worker still on the
 * old mode cannot add a live one afterwards: l2-input learns only on a port whose mode,
 * loaded after its sequence number, is still this domain (lig_l2fib_port_left).
 */
static void
lig_l2_leave_bd(const struct lig_interface *ifp, union lig_if_l2 was)
{
	struct lig_bd *bd = lig_bd_get(was.bd_index);

	if (was.mode != LIG_IF_MODE_BRIDGE || !bd)
		return;
	lig_bd_ports_update(bd, ifp->sw_if_index, true, 0, false);
	/* A BVI leaves under the barrier (lig_l2_needs_barrier): l2-flood reads this. */
	if (bd->bvi_sw_if_index == ifp->sw_if_index)
		bd->bvi_sw_if_index = LIG_INVALID_INDEX;
	lig_l2fib_port_left(ifp->sw_if_index);
	lig_info("l2", "%s left bridge domain %u", ifp->name, bd->bd_id);
}

/* L3 mode, as a new interface has it. */
static const union lig_if_l2 lig_l2_mode_l3 = {.mode = LIG_IF_MODE_L3,
					       .bd_index = LIG_INVALID_INDEX};

/*
 * Port mode changes run without the barrier (l2.h), except where a worker reads what they
 * change in place: a domain's BVI (bvi_sw_if_index, its MAC's static FIB entry) and a
 * domain being created. True when changing ifp's mode into (bvi, new_bd) needs it.
 */
static bool
lig_l2_needs_barrier(const struct lig_interface *ifp, bool bvi, bool new_bd)
{
	return bvi || new_bd || (ifp->l2.mode == LIG_IF_MODE_BRIDGE && ifp->l2.bvi);
}

static int
lig_l2_set_bridge_locked(struct lig_interface *ifp, u32 bd_id, bool bvi, u8 shg)
{
	u32 sw_if_index = ifp->sw_if_index;
	u32 bd_index;
	struct lig_bd *bd;
	int rv;

	bd_index = lig_bd_find(bd_id);
	if (bd_index == LIG_INVALID_INDEX) {
		/* As VPP: bridging a port into a missing domain creates it with defaults. */
		rv = lig_bd_add_del(bd_id, LIG_BD_F_DEFAULT, 0, true);
		if (rv < 0)
			return rv;
		bd_index = lig_bd_find(bd_id);
	}
	bd = lig_bd_get(bd_index);
	if (bvi && bd->bvi_sw_if_index != LIG_INVALID_INDEX && bd->bvi_sw_if_index != sw_if_index)
		return -EEXIST;
	union lig_if_l2 was = ifp->l2;
	bool same_bd = was.mode == LIG_IF_MODE_BRIDGE && was.bd_index == bd_index;
	if (!same_bd && lig_bd_ports_get(bd)->n >= LIG_BD_MAX_PORTS)
		return -ENOSPC;
	/* Onto the domain's port list first: out of memory, nothing has changed. */
	rv = lig_bd_ports_update(bd, sw_if_index, false, shg, bvi);
	if (rv < 0)
		return rv;
	lig_if_set_l2(
	    ifp, (union lig_if_l2){
		     .mode = LIG_IF_MODE_BRIDGE, .bvi = bvi, .shg = shg, .bd_index = bd_index});
	if (same_bd) {
		/* Re-bridging into the same domain only changes bvi/shg: keep learned MACs,
		 * but a BVI that stops being one loses its MAC entry. */
		if (was.bvi && !bvi) {
			bd->bvi_sw_if_index = LIG_INVALID_INDEX;
			lig_l2fib_port_left(sw_if_index);
		}
	} else {
		/* Straight from its old domain (or xconnect) into this one, never L3 in
		 * between: published first, so the old domain learns nothing more on it. */
		lig_l2_leave_bd(ifp, was);
	}
	if (bvi) {
		bd->bvi_sw_if_index = sw_if_index;
		/* As VPP: the BVI's own MAC is a static entry pointing at L3. */
		rv = lig_l2fib_add(ifp->mac, bd_id, sw_if_index,
				   LIG_L2FIB_F_STATIC | LIG_L2FIB_F_BVI);
		if (rv < 0)
			lig_warn("l2", "%s: BVI MAC entry not added: %s", ifp->name, strerror(-rv));
	}
	lig_info("l2", "%s bridged into bridge domain %u%s shg %u", ifp->name, bd_id,
		 bvi ? " as BVI" : "", shg);
	return 0;
}

int
lig_l2_set_bridge(u32 sw_if_index, u32 bd_id, bool bvi, u8 shg)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	int rv;

	if (!ifp)
		return -ENOENT;
	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return -EINVAL;
	if (bvi && (!ifp->class || !ifp->class->name || strcmp(ifp->class->name, "loopback") != 0))
		return -EINVAL;
	bool barrier = lig_l2_needs_barrier(ifp, bvi, lig_bd_find(bd_id) == LIG_INVALID_INDEX);
	if (barrier) {
		lig_barrier_sync();
		lig_barrier_kind("l2 bridge: a BVI or a new domain");
	}
	rv = lig_l2_set_bridge_locked(ifp, bd_id, bvi, shg);
	if (barrier)
		lig_barrier_release();
	return rv;
}

/* Puts ifp in L3 or xconnect mode l2 out of whatever mode it is in: no new packet from it
 * enters its old domain, then the domain forgets it. Under the barrier if it was a BVI. */
static void
lig_l2_set_mode(struct lig_interface *ifp, union lig_if_l2 l2)
{
	bool barrier = lig_l2_needs_barrier(ifp, false, false);
	union lig_if_l2 was = ifp->l2;

	if (was.as_u64 == l2.as_u64)
		return;
	if (barrier) {
		lig_barrier_sync();
		lig_barrier_kind("l2 mode: a BVI leaving");
	}
	lig_if_set_l2(ifp, l2);
	lig_l2_leave_bd(ifp, was);
	if (barrier)
		lig_barrier_release();
}

int
lig_l2_set_l3(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return -ENOENT;
	lig_l2_set_mode(ifp, lig_l2_mode_l3);
	return 0;
}

int
lig_l2_set_xconnect(u32 rx_sw_if_index, u32 tx_sw_if_index)
{
	struct lig_interface *rx = lig_if_get(rx_sw_if_index);

	if (!rx || !lig_if_get(tx_sw_if_index))
		return -ENOENT;
	if (rx_sw_if_index == tx_sw_if_index)
		return -EINVAL;
	lig_l2_set_mode(
	    rx, (union lig_if_l2){.mode = LIG_IF_MODE_XCONNECT, .xc_sw_if_index = tx_sw_if_index});
	return 0;
}

/* The L2 FIB (l2fib.h). */

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
		if (ifp->l2.mode != LIG_IF_MODE_BRIDGE || ifp->l2.bd_index != bd_index)
			return -ENXIO;
		if ((flags & LIG_L2FIB_F_BVI) && bd->bvi_sw_if_index != sw_if_index)
			return -ENXIO;
	}
	old = lig_hash64_lookup(&fm->table, lig_l2fib_key(bd_index, mac)); /* stale too */
	if (!old && !is_static && fm->n_learned >= fm->learn_limit)
		return -ENOSPC;
	u64 value = lig_l2fib_value(sw_if_index, flags, bd->seq_num, lig_l2fib_if_seq(sw_if_index),
				    fm->now);
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
	s = lig_hash64_lookup(&fm->table, lig_l2fib_key(bd_index, mac));
	if (!s)
		return -ENOENT;
	bool live = lig_l2fib_value_live(s->value);
	lig_l2fib_account_del(s->value);
	lig_hash64_del(&fm->table, s->key);
	return live ? 0 : -ENOENT; /* a stale entry was already gone for everyone */
}

enum lig_l2fib_match {
	LIG_L2FIB_MATCH_LEARNED,   /* every learned entry */
	LIG_L2FIB_MATCH_BD,	   /* entries of bd_index */
	LIG_L2FIB_MATCH_INTERFACE, /* entries pointing at sw_if_index (in bd_index if set) */
	LIG_L2FIB_MATCH_AGED,	   /* learned entries older than their domain's MAC age */
	LIG_L2FIB_MATCH_SWEEP,	   /* stale entries (static too), and aged ones if f->now */
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

	if (f->match == LIG_L2FIB_MATCH_SWEEP) {
		if (!lig_l2fib_value_live(value))
			return true;
		if (!f->now || is_static)
			return false;
		struct lig_bd *bd = lig_bd_get(bd_index);
		return bd && bd->mac_age &&
		       lig_l2fib_age_seconds(f->now, lig_l2fib_value_timestamp(value)) >=
			   bd->mac_age * 60u;
	}
	if (is_static && !f->with_static)
		return false;
	switch (f->match) {
	case LIG_L2FIB_MATCH_SWEEP:
		return false;
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
		return lig_l2fib_age_seconds(f->now, lig_l2fib_value_timestamp(value)) >=
		       bd->mac_age * 60u;
	}
	}
	return false;
}

/* Collects into *keys (malloc'd, *n of them; NULL when none) the keys of the matching
 * entries, read with atomics: main may collect without the barrier, as it is the only
 * thread that deletes (workers only add and refresh). Returns 0, or -ENOMEM when it
 * could not collect them all (*keys then holds those it did). */
static int
lig_l2fib_collect(const struct lig_l2fib_filter *f, u64 **keys, u32 *n)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	const struct lig_hash64 *h = &fm->table;
	u32 cap = 256;

	*keys = NULL;
	*n = 0;
	if (!fm->initialized || __atomic_load_n(&h->count, __ATOMIC_RELAXED) == 0)
		return 0;
	if (!(*keys = malloc(cap * sizeof(u64))))
		return -ENOMEM;
	for (u32 i = 0; i <= h->mask; i++) {
		u64 k = __atomic_load_n(&h->slots[i].key, __ATOMIC_ACQUIRE);
		if (k == LIG_HASH64_EMPTY)
			continue;
		u64 v = __atomic_load_n(&h->slots[i].value, __ATOMIC_ACQUIRE);
		if (v == LIG_HASH64_EMPTY || !lig_l2fib_matches(f, k, v))
			continue;
		if (*n == cap) {
			u64 *more = realloc(*keys, 2 * cap * sizeof(u64));
			if (!more)
				return -ENOMEM;
			*keys = more;
			cap *= 2;
		}
		(*keys)[(*n)++] = k;
	}
	return 0;
}

/* Deletes the entries of keys that are still in the table and still match f (a worker
 * may have refreshed or moved one since it was collected): under the barrier, as workers
 * learn into the slots that deleting shifts. Returns how many went. */
static u32
lig_l2fib_delete_keys(const struct lig_l2fib_filter *f, const u64 *keys, u32 n)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 deleted = 0;

	for (u32 i = 0; i < n; i++) {
		struct lig_hash64_slot *s = lig_hash64_lookup(&fm->table, keys[i]);
		if (s && lig_l2fib_matches(f, s->key, s->value)) {
			lig_l2fib_account_del(s->value);
			lig_hash64_del(&fm->table, keys[i]);
			deleted++;
		}
	}
	return deleted;
}

/* Domain bd_index's entries, static ones too: collected (0 or -ENOMEM) and deleted. */
static const struct lig_l2fib_filter *
lig_l2fib_bd_filter(u32 bd_index, struct lig_l2fib_filter *f)
{
	*f = (struct lig_l2fib_filter){
	    .match = LIG_L2FIB_MATCH_BD, .bd_index = bd_index, .with_static = true};
	return f;
}

static int
lig_l2fib_collect_bd(u32 bd_index, u64 **keys, u32 *n)
{
	struct lig_l2fib_filter f;

	return lig_l2fib_collect(lig_l2fib_bd_filter(bd_index, &f), keys, n);
}

static void
lig_l2fib_delete_bd_keys(u32 bd_index, const u64 *keys, u32 n)
{
	struct lig_l2fib_filter f;

	lig_l2fib_delete_keys(lig_l2fib_bd_filter(bd_index, &f), keys, n);
}

/* Deletes every matching entry: the keys are collected without the barrier (deleting
 * moves slots, so never while walking), then deleted under it. Out of memory, it deletes
 * what it collected (the caller may retry). */
static u32
lig_l2fib_delete_matching(const struct lig_l2fib_filter *f)
{
	u64 *keys;
	u32 n, deleted;

	(void)lig_l2fib_collect(f, &keys, &n);
	if (!n) {
		free(keys);
		return 0;
	}
	lig_barrier_sync();
	lig_barrier_kind("l2fib delete");
	deleted = lig_l2fib_delete_keys(f, keys, n);
	lig_barrier_release();
	free(keys);
	return deleted;
}

u32
lig_l2fib_clear(void)
{
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_LEARNED};

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
lig_l2fib_port_left(u32 sw_if_index)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	u32 i = sw_if_index & 0xffff;

	fm->n_port_left++;
	if (++fm->if_bumps[i] == 0xff) {
		/* 255 bumps since the sweep's last full pass: one more could bring back a
		 * number stale entries still carry. Flush the slow way instead (deleting
		 * needs the barrier: workers learn into the table). */
		lig_barrier_sync();
		lig_barrier_kind("l2fib port flush");
		lig_l2fib_flush_interface(sw_if_index, LIG_INVALID_INDEX, true);
		lig_barrier_release();
		fm->if_bumps[i] = 0;
		fm->n_port_flush++;
	}
	/* Workers read it while learning and looking up (port changes skip the barrier);
	 * release: a worker that sees the new number sees the port's new mode too. */
	__atomic_store_n(&fm->if_seq[i], (u8)(fm->if_seq[i] + 1), __ATOMIC_RELEASE);
	if (fm->initialized)
		fm->sweep_left = fm->table.mask + 1;
}

/* Keys the sweep collects in one slice: the slice's bound. */
#define LIG_L2FIB_SWEEP_SLICE 8192u
static u64 lig_l2fib_sweep_keys[LIG_L2FIB_SWEEP_SLICE];

/* Deletes what matches f in slots [start, start + n) (n <= the slice bound), again until
 * nothing more matches there: deleting shifts later entries back into the range. */
static u32
lig_l2fib_sweep_range(const struct lig_l2fib_filter *f, u32 start, u32 n)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_hash64 *h = &fm->table;
	u32 total = 0, found;

	do {
		found = 0;
		for (u32 i = start; i < start + n && i <= h->mask; i++) {
			struct lig_hash64_slot *s = &h->slots[i];
			if (s->key != LIG_HASH64_EMPTY && lig_l2fib_matches(f, s->key, s->value))
				lig_l2fib_sweep_keys[found++] = s->key;
		}
		for (u32 k = 0; k < found; k++) {
			struct lig_hash64_slot *s = lig_hash64_lookup(h, lig_l2fib_sweep_keys[k]);
			if (s) {
				if (lig_l2fib_value_live(s->value))
					fm->n_aged++;
				else
					fm->n_swept++;
				lig_l2fib_account_del(s->value);
				lig_hash64_del(h, lig_l2fib_sweep_keys[k]);
				total++;
			}
		}
	} while (found);
	return total;
}

/* True if some slot of [start, start + n) matches f: main, without the barrier (workers
 * may be learning: keys and values are read with atomics). */
static bool
lig_l2fib_sweep_any(const struct lig_l2fib_filter *f, u32 start, u32 n)
{
	const struct lig_hash64 *h = &lig_l2fib_main.table;

	for (u32 i = start; i < start + n && i <= h->mask; i++) {
		u64 k = __atomic_load_n(&h->slots[i].key, __ATOMIC_ACQUIRE);
		if (k == LIG_HASH64_EMPTY)
			continue;
		u64 v = __atomic_load_n(&h->slots[i].value, __ATOMIC_ACQUIRE);
		if (v != LIG_HASH64_EMPTY && lig_l2fib_matches(f, k, v))
			return true;
	}
	return false;
}

u32
lig_l2fib_sweep_step(u32 max_slots)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_SWEEP};
	bool aging = false;
	u32 n, slots;

	if (!fm->initialized)
		return 0;
	for (u32 i = 1; i < LIG_BD_MAX && !aging; i++)
		aging = lig_bd_main.bds[i].bd_id && lig_bd_main.bds[i].mac_age;
	if (!aging && fm->sweep_left == 0)
		return 0;
	if (aging)
		f.now = fm->now ? fm->now : 1;
	slots = fm->table.mask + 1;
	n = max_slots < LIG_L2FIB_SWEEP_SLICE ? max_slots : LIG_L2FIB_SWEEP_SLICE;
	if (fm->sweep_cursor >= slots)
		fm->sweep_cursor = 0;
	if (n > slots - fm->sweep_cursor)
		n = slots - fm->sweep_cursor;
	/* Look first without parking anyone; park the workers only to delete. */
	u32 deleted = 0;
	if (lig_l2fib_sweep_any(&f, fm->sweep_cursor, n)) {
		lig_barrier_sync();
		lig_barrier_kind("l2fib sweep (timer)");
		deleted = lig_l2fib_sweep_range(&f, fm->sweep_cursor, n);
		lig_barrier_release();
	}
	fm->sweep_cursor = (fm->sweep_cursor + n) % slots;
	if (fm->sweep_left) {
		fm->sweep_left = fm->sweep_left > n ? fm->sweep_left - n : 0;
		/* A full pass since the last port left: no stale entry is left anywhere. */
		if (fm->sweep_left == 0)
			memset(fm->if_bumps, 0, sizeof(fm->if_bumps));
	}
	return deleted;
}

u32
lig_l2fib_sweep_all(void)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_l2fib_filter f = {.match = LIG_L2FIB_MATCH_SWEEP};
	u32 n = 0;

	if (!fm->initialized)
		return 0;
	for (u32 i = 0; i <= fm->table.mask; i += LIG_L2FIB_SWEEP_SLICE)
		n += lig_l2fib_sweep_range(&f, i, LIG_L2FIB_SWEEP_SLICE);
	fm->sweep_left = 0;
	memset(fm->if_bumps, 0, sizeof(fm->if_bumps));
	return n;
}

void
lig_l2fib_set_now(u32 now)
{
	__atomic_store_n(&lig_l2fib_main.now, now, __ATOMIC_RELAXED);
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
	/* Runs without the barrier (lig_loop_timer_no_barrier): the clock is one atomic
	 * store workers load; aging and deleting stale entries walk the table a bounded
	 * slice per tick (the full table in 32 ticks), and park the workers only when that
	 * slice has something to delete. */
	__atomic_store_n(&fm->now, now, __ATOMIC_RELAXED);
	(void)lig_l2fib_sweep_step(LIG_L2FIB_SWEEP_SLICE);
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
	lig_loop_timer_no_barrier(id);
	fm->timer = id;
	return 0;
}

/*
 * Interface events. DELETE: out of its domain (no FIB entry may keep pointing at it), and
 * anything cross-connected to it now points nowhere, so those go back to L3. MAC: a BVI's
 * own MAC is a static FIB entry, replaced by the new one.
 */
static void
lig_l2_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev == LIG_IF_EVENT_MAC && ifp->l2.mode == LIG_IF_MODE_BRIDGE && ifp->l2.bvi) {
		const struct lig_bd *bd = lig_bd_get(ifp->l2.bd_index);
		lig_l2fib_flush_interface(ifp->sw_if_index, ifp->l2.bd_index, true);
		int rv = bd ? lig_l2fib_add(ifp->mac, bd->bd_id, ifp->sw_if_index,
					    LIG_L2FIB_F_STATIC | LIG_L2FIB_F_BVI)
			    : -ENOENT;
		if (rv < 0)
			lig_warn("l2", "%s: BVI MAC entry not replaced: %s", ifp->name,
				 strerror(-rv));
		return;
	}
	if (ev != LIG_IF_EVENT_DELETE)
		return;
	/* A bridge port's entries (static ones too: only ports have any) become stale as it
	 * leaves (its sequence number) and the sweep deletes them: no scan of the whole
	 * table under the barrier, which a delete used to pay (~40 us at 128 K slots). */
	lig_l2_set_mode(ifp, lig_l2_mode_l3);
	for (u32 i = 0; i < LIG_IF_MAX; i++) {
		struct lig_interface *o = lig_if_get(i);
		if (o && o->l2.mode == LIG_IF_MODE_XCONNECT &&
		    o->l2.xc_sw_if_index == ifp->sw_if_index)
			lig_l2_set_mode(o, lig_l2_mode_l3);
	}
}

/* Creates the L2 tables (bridge domains, ARP termination, L2 FIB), starts aging and
 * subscribes to interface events. */
static int
lig_l2_module_init(void)
{
	struct lig_bd_main *bm = &lig_bd_main;
	int rv;

	rv = lig_hash64_init(&bm->arp, LIG_BD_ARP_MAX);
	if (rv < 0)
		return rv;
	for (u32 i = 0; i < LIG_BD_MAX; i++)
		bm->bds[i].bvi_sw_if_index = LIG_INVALID_INDEX;
	rv = lig_l2fib_init();
	if (rv == 0)
		rv = lig_l2fib_start_timer();
	if (rv == 0)
		rv = lig_if_subscribe("l2", lig_l2_if_event, NULL);
	return rv;
}

LIG_MODULE(l2, .init = lig_l2_module_init, .depends = {"interface", "ethernet"});

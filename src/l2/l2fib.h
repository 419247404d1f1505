/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The L2 FIB: (bridge domain, MAC) -> port, in one fixed-capacity hash (hash64.h) keyed
 * by bd_index << 48 | mac, so learning from packets never allocates or locks. Each value
 * packs the port, flags, the domain's sequence number and a coarse timestamp in seconds
 * that a once-a-second timer advances: refreshing a known MAC is one compare and, at
 * most once a second, one store. Aging is a periodic scan that takes "now" as an
 * argument, so tests age entries without waiting.
 *
 * Threads: workers learn concurrently, with atomics instead of a lock: a new entry claims
 * its empty slot by compare-and-swap of the key, then publishes the value (a reader that
 * finds the key before its value, still LIG_HASH64_EMPTY, takes it as not there yet); a
 * refresh or move is one atomic store of the value. Entries are only removed by main
 * under the barrier (flush, aging, delete), which also empties the value of a freed slot.
 *
 * Ports leaving (VPP's interface sequence number): each entry carries the sequence number
 * its port had when the entry was written; a port leaving its domain only bumps its
 * number (one store under the barrier, no table scan), which makes every entry pointing
 * at it stale at once: lookups and the dump treat a stale entry as absent, learning
 * overwrites a stale learned entry, and the sweep (a bounded slice of the table per timer
 * tick, the aging walk) deletes stale entries later. Filter entries are never stale.
 */
#ifndef LIG_L2FIB_H
#define LIG_L2FIB_H

#include <arpa/inet.h>
#include <string.h>

#include "../infra/hash64.h"
#include "../infra/lig_common.h"
#include "../interface/interface.h"

/* Table capacity: learned plus static entries. */
#define LIG_L2FIB_MAX_ENTRIES (128u * 1024)
#define LIG_L2FIB_DEFAULT_LEARN_LIMIT (64u * 1024)
/* How often the timer scans for aged entries, in seconds. */
#define LIG_L2FIB_AGE_SCAN_INTERVAL 10

enum lig_l2fib_flags {
	LIG_L2FIB_F_STATIC = 1 << 0, /* never ages, never overwritten by learning */
	LIG_L2FIB_F_BVI = 1 << 1,    /* the destination is the domain's BVI (L3) */
	LIG_L2FIB_F_FILTER = 1 << 2, /* frames to this MAC are dropped */
};

_Static_assert(LIG_IF_MAX <= 0xffff, "sw_if_index fits the 16-bit FIB field");

/* Value layout: bits 0-15 sw_if_index, 16-23 flags, 24-31 BSN, 32-39 the port's sequence
 * number (ISN), 40-63 timestamp (seconds modulo 2^24, about 194 days; ages are taken as
 * differences modulo 2^24). */
#define LIG_L2FIB_TS_MASK 0xffffffu
static inline u64
lig_l2fib_value(u32 sw_if_index, u32 flags, u8 bsn, u8 isn, u32 timestamp)
{
	return (u64)(sw_if_index & 0xffff) | (u64)(flags & 0xff) << 16 | (u64)bsn << 24 |
	       (u64)isn << 32 | (u64)(timestamp & LIG_L2FIB_TS_MASK) << 40;
}

static inline u32
lig_l2fib_value_sw_if_index(u64 v)
{
	return (u32)(v & 0xffff);
}

static inline u32
lig_l2fib_value_flags(u64 v)
{
	return (u32)(v >> 16) & 0xff;
}

static inline u8
lig_l2fib_value_bsn(u64 v)
{
	return (u8)(v >> 24);
}

static inline u8
lig_l2fib_value_isn(u64 v)
{
	return (u8)(v >> 32);
}

static inline u32
lig_l2fib_value_timestamp(u64 v)
{
	return (u32)(v >> 40);
}

/* Seconds since timestamp ts was written, as of now (modulo 2^24). */
static inline u32
lig_l2fib_age_seconds(u32 now, u32 ts)
{
	return (now - ts) & LIG_L2FIB_TS_MASK;
}

static inline u64
lig_l2fib_key(u32 bd_index, const u8 *mac)
{
	u32 hi;
	u16 lo;

	/* Two loads (and byte swaps) instead of six byte loads and shifts. */
	memcpy(&hi, mac, 4);
	memcpy(&lo, mac + 4, 2);
	return (u64)bd_index << 48 | (u64)ntohl(hi) << 16 | ntohs(lo);
}

static inline u32
lig_l2fib_key_bd_index(u64 key)
{
	return (u32)(key >> 48);
}

static inline void
lig_l2fib_key_mac(u64 key, u8 mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (u8)(key >> (40 - 8 * i));
}

struct lig_l2fib_main {
	struct lig_hash64 table;
	u32 now;       /* coarse time in seconds, advanced by the timer (or tests) */
	u32 n_learned; /* non-static entries */
	u32 n_static;
	u32 learn_limit;  /* learning stops at this many non-static entries */
	u32 last_scan;	  /* now at the last aging scan */
	u64 n_aged;	  /* entries removed by aging since start */
	u64 n_swept;	  /* stale entries (their port left) removed by the sweep */
	u32 sweep_cursor; /* next slot the timer's sweep looks at */
	u32 sweep_left;	  /* slots the sweep must still look at to drop every stale entry */
	u64 n_port_left;  /* ports that left (sequence bumps) */
	u64 n_port_flush; /* of those, flushed by a full scan (bumps would wrap) */
	int timer;	  /* the loop timer id, or -1 */
	/* Per port (the value's 16-bit sw_if_index): its sequence number, bumped when it
	 * leaves a domain (lig_l2fib_port_left, without the barrier); entries with another
	 * number are stale. Read with lig_l2fib_if_seq(). */
	u8 if_seq[1u << 16];
	/* Per port: bumps since the sweep last completed a full pass (at 255 a full flush). */
	u8 if_bumps[1u << 16];
	bool initialized;
};

extern struct lig_l2fib_main lig_l2fib_main;

enum lig_l2fib_learn_result {
	LIG_L2FIB_LEARN_HIT,	/* known on this port: timestamp refreshed */
	LIG_L2FIB_LEARN_NEW,	/* a new entry */
	LIG_L2FIB_LEARN_MOVED,	/* known on another port: moved */
	LIG_L2FIB_LEARN_STATIC, /* a static entry: left alone */
	LIG_L2FIB_LEARN_LIMIT,	/* the learn limit (or the table) is full: not learned */
};

/* Port sw_if_index's sequence number (main bumps it while workers read it). */
static inline u8
lig_l2fib_if_seq(u32 sw_if_index)
{
	return __atomic_load_n(&lig_l2fib_main.if_seq[sw_if_index & 0xffff], __ATOMIC_RELAXED);
}

/* True unless the entry's port left its domain since it was written (a filter entry has
 * no port and is never stale). */
static inline bool
lig_l2fib_value_live(u64 v)
{
	return (lig_l2fib_value_flags(v) & LIG_L2FIB_F_FILTER) ||
	       lig_l2fib_value_isn(v) == lig_l2fib_if_seq(lig_l2fib_value_sw_if_index(v));
}

/* Port sw_if_index's sequence number for learning: acquire, so the port's mode loaded
 * after it is at least as new (lig_l2fib_port_left bumps it after publishing the mode). */
static inline u8
lig_l2fib_if_seq_acquire(u32 sw_if_index)
{
	return __atomic_load_n(&lig_l2fib_main.if_seq[sw_if_index & 0xffff], __ATOMIC_ACQUIRE);
}

/*
 * Learns key (lig_l2fib_key) on sw_if_index with the current coarse time, writing the
 * port's sequence number isn (lig_l2fib_if_seq_acquire, loaded before the caller checked
 * that the port is still in the key's domain): the datapath's one FIB write. Never
 * allocates; a refresh stores only when the second changed.
 */
static inline enum lig_l2fib_learn_result
lig_l2fib_learn_key(u64 key, u32 sw_if_index, u8 bsn, u8 isn)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_hash64 *h = &fm->table;
	u32 now = __atomic_load_n(&fm->now, __ATOMIC_RELAXED);
	u32 i = (u32)lig_hash64_mix(key) & h->mask;

	for (;;) {
		struct lig_hash64_slot *s = &h->slots[i];
		u64 k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
		if (lig_likely(k == key)) {
			u64 v = __atomic_load_n(&s->value, __ATOMIC_ACQUIRE);
			if (lig_unlikely(v == LIG_HASH64_EMPTY))
				return LIG_L2FIB_LEARN_HIT; /* another worker is adding it */
			bool live = lig_l2fib_value_live(v);
			/* A stale static entry stays until the sweep (it counts as static). */
			if (lig_unlikely(lig_l2fib_value_flags(v) & LIG_L2FIB_F_STATIC))
				return LIG_L2FIB_LEARN_STATIC;
			if (lig_likely(live && lig_l2fib_value_sw_if_index(v) == sw_if_index)) {
				if (lig_unlikely(lig_l2fib_value_timestamp(v) !=
						 (now & LIG_L2FIB_TS_MASK)))
					__atomic_store_n(&s->value,
							 (v & 0xffffffffffull) |
							     (u64)(now & LIG_L2FIB_TS_MASK) << 40,
							 __ATOMIC_RELAXED);
				return LIG_L2FIB_LEARN_HIT;
			}
			__atomic_store_n(&s->value, lig_l2fib_value(sw_if_index, 0, bsn, isn, now),
					 __ATOMIC_RELEASE);
			/* Over a stale entry (its port left): new as far as anyone can see. */
			return live ? LIG_L2FIB_LEARN_MOVED : LIG_L2FIB_LEARN_NEW;
		}
		if (k == LIG_HASH64_EMPTY) {
			if (__atomic_load_n(&fm->n_learned, __ATOMIC_RELAXED) >= fm->learn_limit ||
			    __atomic_load_n(&h->count, __ATOMIC_RELAXED) >= h->max_count)
				return LIG_L2FIB_LEARN_LIMIT;
			if (__atomic_compare_exchange_n(&s->key, &k, key, false, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE)) {
				__atomic_store_n(&s->value,
						 lig_l2fib_value(sw_if_index, 0, bsn, isn, now),
						 __ATOMIC_RELEASE);
				__atomic_fetch_add(&h->count, 1, __ATOMIC_RELAXED);
				__atomic_fetch_add(&fm->n_learned, 1, __ATOMIC_RELAXED);
				return LIG_L2FIB_LEARN_NEW;
			}
			/* Another worker took the slot: for this key (look again) or another. */
			continue;
		}
		i = (i + 1) & h->mask;
	}
}

/* The datapath's lookup: true with *value if (key) is in the table and live (see the
 * threads note above: a key whose value is not yet published is not there; nor is a
 * stale one). */
static inline bool
lig_l2fib_lookup_value(u64 key, u64 *value)
{
	const struct lig_hash64 *h = &lig_l2fib_main.table;
	u32 i = (u32)lig_hash64_mix(key) & h->mask;

	for (;;) {
		const struct lig_hash64_slot *s = &h->slots[i];
		u64 k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
		if (k == key) {
			*value = __atomic_load_n(&s->value, __ATOMIC_ACQUIRE);
			return *value != LIG_HASH64_EMPTY && lig_l2fib_value_live(*value);
		}
		if (k == LIG_HASH64_EMPTY)
			return false;
		i = (i + 1) & h->mask;
	}
}

/* Learns (bd_index, mac) on sw_if_index, whatever its mode; see lig_l2fib_learn_key. */
static inline enum lig_l2fib_learn_result
lig_l2fib_learn(u32 bd_index, const u8 *mac, u32 sw_if_index, u8 bsn)
{
	return lig_l2fib_learn_key(lig_l2fib_key(bd_index, mac), sw_if_index, bsn,
				   lig_l2fib_if_seq_acquire(sw_if_index));
}

/* Returns the slot of (bd_index, mac), or NULL (also for a stale entry). Main only. */
static inline struct lig_hash64_slot *
lig_l2fib_lookup(u32 bd_index, const u8 *mac)
{
	struct lig_hash64_slot *s =
	    lig_hash64_lookup(&lig_l2fib_main.table, lig_l2fib_key(bd_index, mac));
	return s && lig_l2fib_value_live(s->value) ? s : NULL;
}

/* Creates the table (learn limit at its default); safe to call again. Returns 0 or -ENOMEM. */
int lig_l2fib_init(void);

/*
 * Adds or replaces an entry. flags: LIG_L2FIB_F_*. sw_if_index must be a port of the
 * domain (ignored for a filter entry). Returns 0, -ENOENT (no such domain or
 * interface), -EINVAL (multicast or zero MAC), -ENXIO (interface not in the domain),
 * -ENOSPC (table or learn limit full).
 */
int lig_l2fib_add(const u8 mac[6], u32 bd_id, u32 sw_if_index, u32 flags);
/* Removes one entry, static or learned; returns 0 or -ENOENT. */
int lig_l2fib_del(const u8 mac[6], u32 bd_id);
/* Removes every learned entry, keeps static ones (clear l2fib). Returns how many went. */
u32 lig_l2fib_clear(void);
/* Removes the entries pointing at sw_if_index, in bd_index only unless it is
 * LIG_INVALID_INDEX (all domains); learned only unless with_static. */
u32 lig_l2fib_flush_interface(u32 sw_if_index, u32 bd_index, bool with_static);
/* Sets the coarse clock (the timer does this every second). */
void lig_l2fib_set_now(u32 now);
/* Removes learned entries of domains with a MAC age that have not been seen for that
 * many minutes as of now (seconds, the clock of lig_l2fib_set_now). Returns how many. */
u32 lig_l2fib_age(u32 now);
/* Makes every entry pointing at sw_if_index stale at once (its port left the domain):
 * one store, no barrier needed (every 255th takes it to flush instead); the sweep
 * deletes them later. Main only. */
void lig_l2fib_port_left(u32 sw_if_index);
/* Deletes stale entries in the next slice of at most max_slots slots (and, when some
 * domain has a MAC age, aged ones). Returns how many it deleted. */
u32 lig_l2fib_sweep_step(u32 max_slots);
/* Deletes every stale entry now (a full pass); returns how many. */
u32 lig_l2fib_sweep_all(void);
/* Sets the learn limit; returns 0 or -EINVAL (0 or above LIG_L2FIB_MAX_ENTRIES). */
int lig_l2fib_set_learn_limit(u32 limit);
/* Starts the once-a-second clock and aging timer; returns 0 or -errno. */
int lig_l2fib_start_timer(void);

#endif

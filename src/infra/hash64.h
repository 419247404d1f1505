/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fixed-capacity open-addressing hash table from u64 keys to u64 values, for tables
 * the datapath updates (the L2 FIB learns from packets): it never allocates after
 * creation, so an insert into a full table fails instead of stalling forwarding.
 * Linear probing with backward-shift deletion keeps lookups short without tombstones.
 */
#ifndef LIG_HASH64_H
#define LIG_HASH64_H

#include "lig_common.h"

/* The one key value that cannot be stored: it marks an empty slot. */
#define LIG_HASH64_EMPTY (~0ull)

struct lig_hash64_slot {
	u64 key;
	u64 value;
};

struct lig_hash64 {
	struct lig_hash64_slot *slots;
	u32 mask;      /* capacity - 1; capacity is a power of two */
	u32 count;     /* occupied slots */
	u32 max_count; /* inserts beyond this fail, so probes stay short */
};

/* Sizes the table for max_count entries at a load factor of at most one half. */
int lig_hash64_init(struct lig_hash64 *h, u32 max_count);
void lig_hash64_free(struct lig_hash64 *h);
void lig_hash64_clear(struct lig_hash64 *h);

static inline u64
lig_hash64_mix(u64 k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

/* Returns the slot holding key, or NULL. */
static inline struct lig_hash64_slot *
lig_hash64_lookup(const struct lig_hash64 *h, u64 key)
{
	u32 i = (u32)lig_hash64_mix(key) & h->mask;

	for (;;) {
		struct lig_hash64_slot *s = &h->slots[i];
		if (s->key == key)
			return s;
		if (s->key == LIG_HASH64_EMPTY)
			return NULL;
		i = (i + 1) & h->mask;
	}
}

/* Inserts or updates; returns 0, or -ENOSPC when the table is at max_count, -EINVAL for
 * the reserved key. */
int lig_hash64_set(struct lig_hash64 *h, u64 key, u64 value);
/* Returns 0, or -ENOENT. */
int lig_hash64_del(struct lig_hash64 *h, u64 key);

/* Iterates occupied slots: for (i = 0; lig_hash64_next(h, &i, &slot); ) ... ; deleting
 * the current slot while iterating may skip an entry, so callers collect keys first. */
static inline bool
lig_hash64_next(const struct lig_hash64 *h, u32 *cursor, struct lig_hash64_slot **slot)
{
	for (u32 i = *cursor; i <= h->mask; i++) {
		if (h->slots[i].key != LIG_HASH64_EMPTY) {
			*slot = &h->slots[i];
			*cursor = i + 1;
			return true;
		}
	}
	*cursor = h->mask + 1;
	return false;
}

#endif

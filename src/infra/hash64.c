/* SPDX-License-Identifier: Apache-2.0 */
/* Fixed-capacity u64 hash table; see hash64.h for why it never grows. */
#include <errno.h>
#include <stdlib.h>

#include "hash64.h"

int
lig_hash64_init(struct lig_hash64 *h, u32 max_count)
{
	u32 cap = 16;

	if (max_count == 0 || max_count > (1u << 30))
		return -EINVAL;
	while (cap < 2 * max_count)
		cap <<= 1;
	h->slots = malloc((size_t)cap * sizeof(*h->slots));
	if (!h->slots)
		return -ENOMEM;
	h->mask = cap - 1;
	h->max_count = max_count;
	lig_hash64_clear(h);
	return 0;
}

void
lig_hash64_free(struct lig_hash64 *h)
{
	free(h->slots);
	h->slots = NULL;
	h->count = 0;
}

void
lig_hash64_clear(struct lig_hash64 *h)
{
	memset(h->slots, 0xff, ((size_t)h->mask + 1) * sizeof(*h->slots));
	h->count = 0;
}

int
lig_hash64_set(struct lig_hash64 *h, u64 key, u64 value)
{
	u32 i;

	if (key == LIG_HASH64_EMPTY)
		return -EINVAL;
	i = (u32)lig_hash64_mix(key) & h->mask;
	for (;;) {
		struct lig_hash64_slot *s = &h->slots[i];
		if (s->key == key) {
			s->value = value;
			return 0;
		}
		if (s->key == LIG_HASH64_EMPTY) {
			if (h->count >= h->max_count)
				return -ENOSPC;
			s->key = key;
			s->value = value;
			h->count++;
			return 0;
		}
		i = (i + 1) & h->mask;
	}
}

int
lig_hash64_del(struct lig_hash64 *h, u64 key)
{
	u32 i = (u32)lig_hash64_mix(key) & h->mask;
	u32 j;

	for (;;) {
		if (h->slots[i].key == key)
			break;
		if (h->slots[i].key == LIG_HASH64_EMPTY)
			return -ENOENT;
		i = (i + 1) & h->mask;
	}
	/* Backward shift: pull later members of the probe run into the hole so that
	 * every remaining key stays reachable from its home slot. */
	j = i;
	for (;;) {
		j = (j + 1) & h->mask;
		if (h->slots[j].key == LIG_HASH64_EMPTY)
			break;
		u32 home = (u32)lig_hash64_mix(h->slots[j].key) & h->mask;
		/* Move j into i unless j's home lies cyclically in (i, j]. */
		bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
		if (!stays) {
			h->slots[i] = h->slots[j];
			i = j;
		}
	}
	h->slots[i].key = LIG_HASH64_EMPTY;
	/* A concurrent inserter (l2fib.h) claims a slot before it writes the value: the
	 * freed slot must not show a stale one meanwhile. */
	h->slots[i].value = LIG_HASH64_EMPTY;
	h->count--;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The 16-8-8 multibit trie behind every IPv4 FIB (see ip4.h): control-plane insert and
 * delete; the lookup is inline in ip4.h. Groups live in one array grown by doubling and
 * reused through a free stack, so a million routes cost a few hundred reallocations.
 *
 * Workers look up while main changes the trie (route changes take no barrier): every
 * entry is stored with release (entry_set) after what it points to is complete, a grown
 * group array is a copy published before any entry points into its new part, and the old
 * array and the groups that fold back into leaves are freed after a grace period
 * (lig_rcu_call), when no worker can still be reading them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../vlib/thread.h"
#include "ip4.h"

#define LIG_MTRIE_ROOT_SIZE 65536
#define LIG_MTRIE_GROUP_SIZE 256
/* Levels 0 (root, 16 bits), 1 and 2 (8 bits each). Only entries of levels 0 and 1 may
 * point to a group: the entries of a level-2 group are always leaves. */
#define LIG_MTRIE_N_LEVELS 3

static inline u32
leaf_make(u32 value, u8 len)
{
	return (value & LIG_FIB_LEAF_VALUE_MASK) | (u32)len << 24;
}

static inline u8
leaf_len(u32 e)
{
	return (u8)((e >> 24) & 0x3f);
}

/* Stores an entry workers may be reading: after everything it points to. */
static inline void
entry_set(u32 *p, u32 e)
{
	__atomic_store_n(p, e, __ATOMIC_RELEASE);
}

/* Generations of tries (0: none), main only. */
static u32 lig_mtrie_gen;

int
lig_fib_mtrie_init(struct lig_fib_mtrie *m, u32 default_value)
{
	u32 *root = malloc(LIG_MTRIE_ROOT_SIZE * sizeof(u32));

	if (!root)
		return -ENOMEM;
	for (u32 i = 0; i < LIG_MTRIE_ROOT_SIZE; i++)
		root[i] = leaf_make(default_value, 0);
	m->groups = NULL;
	m->n_groups_alloc = 0;
	m->free_groups = NULL;
	m->n_free_groups = 0;
	m->n_groups_used = 0;
	m->gen = ++lig_mtrie_gen ? lig_mtrie_gen : ++lig_mtrie_gen;
	/* Last, and complete: a worker may look up a fib_index of a table this slot held
	 * before (a packet queued across its deletion). */
	__atomic_store_n(&m->root, root, __ATOMIC_RELEASE);
	return 0;
}

void
lig_fib_mtrie_free(struct lig_fib_mtrie *m)
{
	if (!m)
		return;
	u32 *root = m->root;
	/* Unpublished first; only main, with the workers parked between node calls (table
	 * deletion), frees it, so no lookup holds the arrays any more. */
	__atomic_store_n(&m->root, NULL, __ATOMIC_RELEASE);
	free(root);
	free(m->groups);
	free(m->free_groups);
	m->groups = NULL;
	m->free_groups = NULL;
	m->n_groups_alloc = m->n_free_groups = m->n_groups_used = 0;
	m->gen = 0; /* group releases still waiting for it are dropped */
}

void
lig_fib_mtrie_move(struct lig_fib_mtrie *m, struct lig_fib_mtrie *to)
{
	*to = *m;
	__atomic_store_n(&m->root, NULL, __ATOMIC_RELEASE);
	m->groups = NULL;
	m->free_groups = NULL;
	m->n_groups_alloc = m->n_free_groups = m->n_groups_used = 0;
	m->gen = 0; /* as lig_fib_mtrie_free: waiting group releases are dropped */
	to->gen = 0;
}

u64
lig_fib_mtrie_memory(const struct lig_fib_mtrie *m)
{
	return LIG_MTRIE_ROOT_SIZE * sizeof(u32) +
	       (u64)m->n_groups_alloc * (LIG_MTRIE_GROUP_SIZE * sizeof(u32) + sizeof(u32));
}

/* Returns a group filled with leaf e, or LIG_INVALID_INDEX when out of memory. */
static u32
group_alloc(struct lig_fib_mtrie *m, u32 e)
{
	u32 g;

	if (!m->n_free_groups) {
		u32 n = m->n_groups_alloc ? m->n_groups_alloc * 2 : 64;
		/* A copy, not realloc: workers may be reading the old array until a grace
		 * period has passed. Only the new one is written from here on. */
		const size_t group_bytes = LIG_MTRIE_GROUP_SIZE * sizeof(u32);
		if (lig_rcu_grow((void **)&m->groups, m->n_groups_alloc * group_bytes,
				 n * group_bytes) < 0)
			return LIG_INVALID_INDEX;
		u32 *fg = realloc(m->free_groups, (size_t)n * sizeof(u32));
		if (!fg)
			return LIG_INVALID_INDEX;
		m->free_groups = fg;
		/* Push the new ones so that the lowest index comes out first. */
		for (u32 i = n; i-- > m->n_groups_alloc;)
			m->free_groups[m->n_free_groups++] = i;
		m->n_groups_alloc = n;
	}
	g = m->free_groups[--m->n_free_groups];
	u32 *t = &m->groups[(size_t)g << 8];
	for (u32 i = 0; i < LIG_MTRIE_GROUP_SIZE; i++)
		t[i] = e;
	m->n_groups_used++;
	return g;
}

/* arg: the trie's generation << 32 | group. A trie freed (and maybe created again in the
 * same slot) since the release was queued has another generation: its groups went with
 * it. The grace period can outlast the table: a worker parked with frames queued holds it
 * (vlib/graph.h). */
static void
group_release(void *ctx, u64 arg)
{
	struct lig_fib_mtrie *m = ctx;

	if (m->gen != (u32)(arg >> 32) || !m->free_groups)
		return;
	m->free_groups[m->n_free_groups++] = (u32)arg;
}

/* The group is unreachable from now on; it is reused after a grace period. */
static void
group_free(struct lig_fib_mtrie *m, u32 g)
{
	m->n_groups_used--;
	lig_rcu_call(group_release, m, (u64)m->gen << 32 | g);
}

/* True when entry e, read from a table at level, points to a group one level down. */
static inline bool
entry_is_group(u32 e, u32 level)
{
	return level < LIG_MTRIE_N_LEVELS - 1 && (e & LIG_FIB_LEAF_GROUP);
}

static inline u32 *
group_entries(struct lig_fib_mtrie *m, u32 e)
{
	return &m->groups[(size_t)(e & ~LIG_FIB_LEAF_GROUP) << 8];
}

/* The longest prefix a leaf at each level that has groups below may hold: a longer one
 * lives in a group below, which is where delete looks for it. */
static const u8 level_max_len[LIG_MTRIE_N_LEVELS - 1] = {16, 24};

/* Folds the group *pe (an entry at level) points to back into a leaf when all its
 * entries are one leaf short enough to live at that level. Does nothing if *pe is a leaf. */
static void
group_maybe_collapse(struct lig_fib_mtrie *m, u32 *pe, u32 level)
{
	if (!entry_is_group(*pe, level))
		return;
	u32 g = *pe & ~LIG_FIB_LEAF_GROUP;
	const u32 *t = &m->groups[(size_t)g << 8];
	u32 first = t[0];

	if ((first & LIG_FIB_LEAF_GROUP) || leaf_len(first) > level_max_len[level])
		return;
	for (u32 i = 1; i < LIG_MTRIE_GROUP_SIZE; i++)
		if (t[i] != first)
			return;
	entry_set(pe, first);
	group_free(m, g);
}

/* Sets the leaves of count entries from tbl[start] whose length is at most len, into
 * every group below them. tbl may move when groups grow: callers pass offsets. */
static void
set_range(struct lig_fib_mtrie *m, u32 *tbl, u32 level, u32 start, u32 count, u32 leaf, u8 len)
{
	for (u32 i = start; i < start + count; i++) {
		u32 e = tbl[i];
		if (entry_is_group(e, level)) {
			u32 *g = group_entries(m, e);
			set_range(m, g, level + 1, 0, LIG_MTRIE_GROUP_SIZE, leaf, len);
			group_maybe_collapse(m, &tbl[i], level);
		} else if (leaf_len(e) <= len) {
			entry_set(&tbl[i], leaf);
		}
	}
}

/* Restores cover where the leaves' length is exactly len, into every group below. */
static void
unset_range(struct lig_fib_mtrie *m, u32 *tbl, u32 level, u32 start, u32 count, u8 len, u32 cover)
{
	for (u32 i = start; i < start + count; i++) {
		u32 e = tbl[i];
		if (entry_is_group(e, level)) {
			unset_range(m, group_entries(m, e), level + 1, 0, LIG_MTRIE_GROUP_SIZE, len,
				    cover);
			group_maybe_collapse(m, &tbl[i], level);
		} else if (leaf_len(e) == len) {
			entry_set(&tbl[i], cover);
		}
	}
}

/*
 * Returns the group (as an entry) under tbl[i], creating it from the leaf there. Group
 * allocation may move m->groups, so tbl is given as (base pointer getter) root or group
 * index: parent_group LIG_INVALID_INDEX means the root.
 */
static int
descend(struct lig_fib_mtrie *m, u32 parent_group, u32 i, u32 *group_entry)
{
	u32 *tbl =
	    parent_group == LIG_INVALID_INDEX ? m->root : &m->groups[(size_t)parent_group << 8];
	u32 e = tbl[i];

	if (!(e & LIG_FIB_LEAF_GROUP)) {
		u32 g = group_alloc(m, e);
		if (g == LIG_INVALID_INDEX)
			return -ENOMEM;
		/* groups may have moved */
		tbl = parent_group == LIG_INVALID_INDEX ? m->root
							: &m->groups[(size_t)parent_group << 8];
		e = g | LIG_FIB_LEAF_GROUP;
		entry_set(&tbl[i], e); /* the group is filled: publish it */
	}
	*group_entry = e;
	return 0;
}

int
lig_fib_mtrie_insert(struct lig_fib_mtrie *m, u32 addr, u8 len, u32 value)
{
	u32 leaf = leaf_make(value, len), g1, g2;
	int rv;

	if (len <= 16) {
		set_range(m, m->root, 0, addr >> 16, 1u << (16 - len), leaf, len);
		return 0;
	}
	rv = descend(m, LIG_INVALID_INDEX, addr >> 16, &g1);
	if (rv < 0)
		return rv;
	g1 &= ~LIG_FIB_LEAF_GROUP;
	if (len <= 24) {
		set_range(m, &m->groups[(size_t)g1 << 8], 1, (addr >> 8) & 0xff, 1u << (24 - len),
			  leaf, len);
		group_maybe_collapse(m, &m->root[addr >> 16], 0);
		return 0;
	}
	rv = descend(m, g1, (addr >> 8) & 0xff, &g2);
	if (rv < 0)
		return rv;
	g2 &= ~LIG_FIB_LEAF_GROUP;
	set_range(m, &m->groups[(size_t)g2 << 8], 2, addr & 0xff, 1u << (32 - len), leaf, len);
	group_maybe_collapse(m, &m->groups[((size_t)g1 << 8) | ((addr >> 8) & 0xff)], 1);
	group_maybe_collapse(m, &m->root[addr >> 16], 0);
	return 0;
}

void
lig_fib_mtrie_delete(struct lig_fib_mtrie *m, u32 addr, u8 len, u32 cover_value, u8 cover_len)
{
	u32 cover = leaf_make(cover_value, cover_len);
	u32 *pe1, *pe2;

	if (len <= 16) {
		unset_range(m, m->root, 0, addr >> 16, 1u << (16 - len), len, cover);
		return;
	}
	pe1 = &m->root[addr >> 16];
	if (!(*pe1 & LIG_FIB_LEAF_GROUP))
		return; /* nothing this long below */
	u32 *t1 = group_entries(m, *pe1);
	if (len <= 24) {
		unset_range(m, t1, 1, (addr >> 8) & 0xff, 1u << (24 - len), len, cover);
		group_maybe_collapse(m, pe1, 0);
		return;
	}
	pe2 = &t1[(addr >> 8) & 0xff];
	if (!(*pe2 & LIG_FIB_LEAF_GROUP))
		return;
	unset_range(m, group_entries(m, *pe2), 2, addr & 0xff, 1u << (32 - len), len, cover);
	group_maybe_collapse(m, pe2, 1);
	group_maybe_collapse(m, pe1, 0);
}

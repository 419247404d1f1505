/* SPDX-License-Identifier: Apache-2.0 */
/* Thread handoff (handoff.h): one lock-free single-producer single-consumer ring per
 * ordered pair of threads, drained by the destination at the top of its loop. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "buffer.h"
#include "graph.h"
#include "handoff.h"
#include "str.h"
#include "thread.h"

_Static_assert((LIG_HANDOFF_RING_SIZE & (LIG_HANDOFF_RING_SIZE - 1)) == 0,
	       "handoff ring size is a power of two");

struct lig_handoff_ring {
	/* Producer's line: head and the pair's counters, written by the source only. */
	u32 head;
	struct lig_handoff_stats st;
	/* Consumer's line. */
	_Alignas(LIG_CACHE_LINE) u32 tail;
	_Alignas(LIG_CACHE_LINE)
	    u64 entries[LIG_HANDOFF_RING_SIZE]; /* node_index << 32 | buffer index */
};

_Static_assert(sizeof(struct lig_handoff_stats) + sizeof(u32) <= LIG_CACHE_LINE,
	       "producer fields fit one cache line");

static struct {
	u32 n; /* threads the rings were made for */
	/* rings[from * n + to]; the diagonal is never used (handoff to self is direct). */
	struct lig_handoff_ring *rings;
} lig_ho;

/* Buffers dropped because the destination or node did not exist, by source thread. */
static u64 lig_ho_invalid[LIG_THREAD_MAX];

static inline struct lig_handoff_ring *
lig_handoff_ring(u32 from, u32 to)
{
	return &lig_ho.rings[from * lig_ho.n + to];
}

/* Single writer: a relaxed load and store keep readers on other threads race-free. */
static inline void
lig_handoff_count(u64 *c, u64 n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

int
lig_handoff_init(void)
{
	u32 n = lig_n_threads;

	lig_handoff_free();
	if (n < 2)
		return 0;
	size_t size = (size_t)n * n * sizeof(struct lig_handoff_ring);
	lig_ho.rings = aligned_alloc(LIG_CACHE_LINE, size);
	if (!lig_ho.rings)
		return -ENOMEM;
	memset(lig_ho.rings, 0, size);
	lig_ho.n = n;
	return 0;
}

void
lig_handoff_free(void)
{
	free(lig_ho.rings);
	lig_ho.rings = NULL;
	lig_ho.n = 0;
}

u32
lig_handoff_enqueue(u32 thread, u32 node_index, const u32 *bis, u32 n)
{
	u32 self = lig_thread_index;

	if (n == 0)
		return 0;
	if (lig_unlikely(node_index >= lig_graph.n_nodes || thread >= lig_n_threads ||
			 (thread != self && thread >= lig_ho.n))) {
		lig_handoff_count(&lig_ho_invalid[self], n);
		lig_buffer_free(bis, n);
		return 0;
	}
	if (thread == self) {
		for (u32 i = 0; i < n; i++)
			lig_node_put(node_index, bis[i]);
		return n;
	}
	struct lig_handoff_ring *r = lig_handoff_ring(self, thread);
	u32 head = r->head, tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	u32 room = LIG_HANDOFF_RING_SIZE - (head - tail);
	u32 k = n < room ? n : room;
	u64 hi = (u64)node_index << 32;
	for (u32 i = 0; i < k; i++) {
		/* A trace index names a record in this thread's trace buffer: the trace
		 * ends here rather than writing into another packet's on the destination. */
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		if (lig_unlikely(b->flags & LIG_BUFFER_TRACED))
			b->flags &= ~LIG_BUFFER_TRACED;
		r->entries[(head + i) & (LIG_HANDOFF_RING_SIZE - 1)] = hi | bis[i];
	}
	/* Publish, then look whether the destination sleeps: it marks itself SLEEPING before
	 * it looks at the rings a last time (lig_handoff_pending), so one of the two sees
	 * the other. */
	__atomic_store_n(&r->head, head + k, __ATOMIC_RELEASE);
	lig_handoff_count(&r->st.enqueued, k);
	if (k < n) {
		lig_handoff_count(&r->st.congestion, n - k);
		lig_buffer_free(bis + k, n - k);
	}
	if (k) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (lig_thread_wake_if_sleeping(thread))
			lig_handoff_count(&r->st.wakeups, 1);
	}
	return k;
}

u32
lig_handoff_poll(void)
{
	u32 self = lig_thread_index, total = 0;

	if (self >= lig_ho.n)
		return 0;
	for (u32 from = 0; from < lig_ho.n; from++) {
		if (from == self)
			continue;
		struct lig_handoff_ring *r = lig_handoff_ring(from, self);
		u32 tail = r->tail, head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		if (head == tail)
			continue;
		for (; tail != head; tail++, total++) {
			u64 e = r->entries[tail & (LIG_HANDOFF_RING_SIZE - 1)];
			lig_node_put((u32)(e >> 32), (u32)e);
		}
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	}
	return total;
}

bool
lig_handoff_pending(u32 thread)
{
	if (thread >= lig_ho.n)
		return false;
	for (u32 from = 0; from < lig_ho.n; from++) {
		if (from == thread)
			continue;
		const struct lig_handoff_ring *r = lig_handoff_ring(from, thread);
		if (__atomic_load_n(&r->head, __ATOMIC_SEQ_CST) !=
		    __atomic_load_n(&r->tail, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

void
lig_handoff_stats(u32 from, u32 to, struct lig_handoff_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (u32 f = 0; f < LIG_THREAD_MAX; f++)
		if (from == ~0u || f == from)
			st->invalid += __atomic_load_n(&lig_ho_invalid[f], __ATOMIC_RELAXED);
	for (u32 f = 0; f < lig_ho.n; f++) {
		for (u32 t = 0; t < lig_ho.n; t++) {
			if ((from != ~0u && f != from) || (to != ~0u && t != to))
				continue;
			const struct lig_handoff_stats *s = &lig_handoff_ring(f, t)->st;
			st->enqueued += __atomic_load_n(&s->enqueued, __ATOMIC_RELAXED);
			st->congestion += __atomic_load_n(&s->congestion, __ATOMIC_RELAXED);
			st->wakeups += __atomic_load_n(&s->wakeups, __ATOMIC_RELAXED);
		}
	}
}

void
lig_handoff_show(struct lig_str *s)
{
	struct lig_handoff_stats all;

	lig_handoff_stats(~0u, ~0u, &all);
	if (!all.enqueued && !all.congestion && !all.invalid)
		return;
	lig_str_printf(s, "handoff (from -> to: queued, congestion drops, wakeups):\n");
	for (u32 f = 0; f < lig_ho.n; f++) {
		for (u32 t = 0; t < lig_ho.n; t++) {
			struct lig_handoff_stats st;
			lig_handoff_stats(f, t, &st);
			if (f == t || (!st.enqueued && !st.congestion))
				continue;
			lig_str_printf(s, "  %u -> %u: %llu, %llu, %llu\n", f, t,
				       (unsigned long long)st.enqueued,
				       (unsigned long long)st.congestion,
				       (unsigned long long)st.wakeups);
		}
	}
	if (all.invalid)
		lig_str_printf(s, "  dropped (no such thread or node): %llu\n",
			       (unsigned long long)all.invalid);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Rx queue registry, placement on threads and the per-thread poll vectors (rx_queue.h). */
#include <errno.h>
#include <stdlib.h>

#include "../infra/log.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "interface.h"
#include "rx_queue.h"

struct lig_rxq {
	u32 sw_if_index;
	u16 queue_id;
	u8 polling;
	u8 manual;
	u32 thread;
	u32 node_index;
	void *dev;
	int fd;
	lig_fd_fn_t *on_fd;
	void *fd_ctx;
	struct lig_thread_watch *watch;
};

/* Where the operator put a queue, remembered while it is away. */
struct lig_rxq_pref {
	u32 sw_if_index;
	u16 queue_id;
	u32 thread;
};

static struct {
	struct lig_rxq *q; /* sorted by (sw_if_index, queue_id) */
	u32 n;
	u32 cap;
	struct lig_rxq_pref *prefs;
	u32 n_prefs;
	u32 cap_prefs;
} lig_rxqm;

static int
lig_rxq_find(u32 sw_if_index, u16 queue_id, u32 *pos)
{
	u32 lo = 0, hi = lig_rxqm.n;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;
		const struct lig_rxq *q = &lig_rxqm.q[mid];
		if (q->sw_if_index < sw_if_index ||
		    (q->sw_if_index == sw_if_index && q->queue_id < queue_id))
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < lig_rxqm.n && lig_rxqm.q[lo].sw_if_index == sw_if_index &&
		       lig_rxqm.q[lo].queue_id == queue_id
		   ? 0
		   : -ENOENT;
}

/* Rebuilds node_index's poll vector on every thread (and whether it is polled). */
static void
lig_rxq_rebuild(u32 node_index)
{
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_graph *g = t == lig_thread_index ? &lig_graph : lig_threads[t].graph;
		if (!g || node_index >= g->n_nodes)
			continue;
		struct lig_node *node = &g->nodes[node_index];
		u32 n = 0;
		for (u32 i = 0; i < lig_rxqm.n; i++)
			n += lig_rxqm.q[i].node_index == node_index && lig_rxqm.q[i].thread == t;
		struct lig_node_rxq *v = NULL;
		if (n) {
			v = malloc(n * sizeof(*v));
			if (!v) {
				/* Keep the old vector: stale entries are the lesser evil than a
				 * queue nobody polls. Out of memory here is the end anyway. */
				lig_err("rx-queue", "out of memory rebuilding %s", node->name);
				continue;
			}
		}
		n = 0;
		for (u32 i = 0; i < lig_rxqm.n; i++) {
			const struct lig_rxq *q = &lig_rxqm.q[i];
			if (q->node_index != node_index || q->thread != t)
				continue;
			v[n].dev = q->dev;
			v[n].sw_if_index = q->sw_if_index;
			v[n].queue_id = q->queue_id;
			v[n].pad = 0;
			n++;
		}
		free(node->rxqs);
		node->rxqs = v;
		node->n_rxqs = n;
		node->input_enabled = n > 0;
	}
}

/* The thread for a new queue: the operator's choice if remembered, else the worker with
 * the fewest queues (the lowest on a tie), main without workers. */
static u32
lig_rxq_choose_thread(u32 sw_if_index, u16 queue_id, u8 *manual)
{
	u32 load[LIG_THREAD_MAX] = {0}, best = 1;

	*manual = 0;
	if (!lig_n_workers)
		return 0;
	for (u32 i = 0; i < lig_rxqm.n_prefs; i++) {
		const struct lig_rxq_pref *p = &lig_rxqm.prefs[i];
		if (p->sw_if_index == sw_if_index && p->queue_id == queue_id &&
		    p->thread < lig_n_threads) {
			*manual = 1;
			return p->thread;
		}
	}
	for (u32 i = 0; i < lig_rxqm.n; i++)
		if (lig_rxqm.q[i].thread < LIG_THREAD_MAX)
			load[lig_rxqm.q[i].thread]++;
	for (u32 t = 2; t < lig_n_threads; t++)
		if (load[t] < load[best])
			best = t;
	return best;
}

static int
lig_rxq_watch(struct lig_rxq *q)
{
	if (q->fd < 0)
		return 0;
	q->watch = lig_thread_watch_fd(q->thread, q->fd, q->on_fd, q->fd_ctx);
	return q->watch ? 0 : -errno;
}

int
lig_rxq_add(u32 sw_if_index, u16 queue_id, u32 node_index, void *dev, int fd, lig_fd_fn_t *on_fd,
	    void *fd_ctx, bool polling)
{
	u32 pos;
	int rv;

	if (lig_rxq_find(sw_if_index, queue_id, &pos) == 0)
		return -EEXIST;
	if (lig_rxqm.n == lig_rxqm.cap) {
		u32 cap = lig_rxqm.cap ? 2 * lig_rxqm.cap : 64;
		struct lig_rxq *q = realloc(lig_rxqm.q, cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		lig_rxqm.q = q;
		lig_rxqm.cap = cap;
	}
	struct lig_rxq nq = {
	    .sw_if_index = sw_if_index,
	    .queue_id = queue_id,
	    .polling = polling,
	    .node_index = node_index,
	    .dev = dev,
	    .fd = fd,
	    .on_fd = on_fd,
	    .fd_ctx = fd_ctx,
	};
	nq.thread = lig_rxq_choose_thread(sw_if_index, queue_id, &nq.manual);
	rv = lig_rxq_watch(&nq);
	if (rv < 0)
		return rv;
	memmove(&lig_rxqm.q[pos + 1], &lig_rxqm.q[pos], (lig_rxqm.n - pos) * sizeof(nq));
	lig_rxqm.q[pos] = nq;
	lig_rxqm.n++;
	if (polling)
		lig_thread_polling_update(nq.thread, +1);
	lig_rxq_rebuild(node_index);
	return 0;
}

static void
lig_rxq_remove_at(u32 pos)
{
	struct lig_rxq q = lig_rxqm.q[pos];

	lig_thread_unwatch_fd(q.watch);
	if (q.polling)
		lig_thread_polling_update(q.thread, -1);
	memmove(&lig_rxqm.q[pos], &lig_rxqm.q[pos + 1], (lig_rxqm.n - pos - 1) * sizeof(q));
	lig_rxqm.n--;
	lig_rxq_rebuild(q.node_index);
}

int
lig_rxq_del(u32 sw_if_index, u16 queue_id)
{
	u32 pos;

	if (lig_rxq_find(sw_if_index, queue_id, &pos) < 0)
		return -ENOENT;
	lig_rxq_remove_at(pos);
	return 0;
}

void
lig_rxq_del_interface(u32 sw_if_index)
{
	u32 pos;

	lig_rxq_find(sw_if_index, 0, &pos);
	while (pos < lig_rxqm.n && lig_rxqm.q[pos].sw_if_index == sw_if_index)
		lig_rxq_remove_at(pos);
}

int
lig_rxq_set_polling(u32 sw_if_index, u16 queue_id, bool polling)
{
	u32 pos;

	if (lig_rxq_find(sw_if_index, queue_id, &pos) < 0)
		return -ENOENT;
	struct lig_rxq *q = &lig_rxqm.q[pos];
	if (q->polling != polling) {
		q->polling = polling;
		lig_thread_polling_update(q->thread, polling ? +1 : -1);
	}
	return 0;
}

static int
lig_rxq_remember(u32 sw_if_index, u16 queue_id, u32 thread)
{
	for (u32 i = 0; i < lig_rxqm.n_prefs; i++) {
		struct lig_rxq_pref *p = &lig_rxqm.prefs[i];
		if (p->sw_if_index == sw_if_index && p->queue_id == queue_id) {
			p->thread = thread;
			return 0;
		}
	}
	if (lig_rxqm.n_prefs == lig_rxqm.cap_prefs) {
		u32 cap = lig_rxqm.cap_prefs ? 2 * lig_rxqm.cap_prefs : 16;
		struct lig_rxq_pref *p = realloc(lig_rxqm.prefs, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		lig_rxqm.prefs = p;
		lig_rxqm.cap_prefs = cap;
	}
	lig_rxqm.prefs[lig_rxqm.n_prefs++] = (struct lig_rxq_pref){
	    .sw_if_index = sw_if_index, .queue_id = queue_id, .thread = thread};
	return 0;
}

int
lig_rxq_place(u32 sw_if_index, u16 queue_id, u32 worker)
{
	u32 pos, thread;
	int rv;

	if (lig_rxq_find(sw_if_index, queue_id, &pos) < 0)
		return -ENOENT;
	if (!lig_n_workers)
		thread = 0;
	else if (worker < lig_n_workers)
		thread = worker + 1;
	else
		return -EINVAL;
	if (!lig_n_workers && worker != LIG_INVALID_INDEX)
		return -EINVAL;
	struct lig_rxq *q = &lig_rxqm.q[pos];
	rv = lig_rxq_remember(sw_if_index, queue_id, thread);
	if (rv < 0)
		return rv;
	q->manual = 1;
	if (q->thread == thread)
		return 0;
	struct lig_thread_watch *old = q->watch;
	u32 from = q->thread;
	q->thread = thread;
	rv = lig_rxq_watch(q);
	if (rv < 0) {
		q->thread = from;
		q->watch = old;
		return rv;
	}
	lig_thread_unwatch_fd(old);
	if (q->polling) {
		lig_thread_polling_update(from, -1);
		lig_thread_polling_update(thread, +1);
	}
	lig_rxq_rebuild(q->node_index);
	lig_info("rx-queue", "%s queue %u now on thread %u",
		 lig_if_get(sw_if_index) ? lig_if_get(sw_if_index)->name : "?", queue_id, thread);
	return 0;
}

bool
lig_rxq_next(u32 sw_if_index, u32 *cursor, struct lig_rxq_info *info)
{
	for (u32 i = *cursor; i < lig_rxqm.n; i++) {
		const struct lig_rxq *q = &lig_rxqm.q[i];
		if (sw_if_index != LIG_INVALID_INDEX && q->sw_if_index != sw_if_index)
			continue;
		info->sw_if_index = q->sw_if_index;
		info->queue_id = q->queue_id;
		info->polling = q->polling;
		info->manual = q->manual;
		info->thread = q->thread;
		info->node_index = q->node_index;
		*cursor = i + 1;
		return true;
	}
	*cursor = lig_rxqm.n;
	return false;
}

u32
lig_rxq_thread(u32 sw_if_index, u16 queue_id)
{
	u32 pos;

	return lig_rxq_find(sw_if_index, queue_id, &pos) == 0 ? lig_rxqm.q[pos].thread
							      : LIG_INVALID_INDEX;
}

/* A deleted interface's queues (its driver should have removed them) and remembered
 * places go with it. */
static void
lig_rxq_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev != LIG_IF_EVENT_DELETE)
		return;
	lig_rxq_del_interface(ifp->sw_if_index);
	for (u32 i = 0; i < lig_rxqm.n_prefs;) {
		if (lig_rxqm.prefs[i].sw_if_index == ifp->sw_if_index)
			lig_rxqm.prefs[i] = lig_rxqm.prefs[--lig_rxqm.n_prefs];
		else
			i++;
	}
}

static int
lig_rxq_init(void)
{
	return lig_if_subscribe("rx-queue", lig_rxq_if_event, NULL);
}
LIG_MODULE(rx_queue, .init = lig_rxq_init, .depends = {"interface"});

/* SPDX-License-Identifier: Apache-2.0 */
/* Graph construction, frame pool, dispatch and per-node statistics (see graph.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../infra/log.h"
#include "graph.h"
#include "handoff.h"
#include "thread.h"

_Thread_local struct lig_graph lig_graph;
struct lig_node_registration *lig_node_registrations;

static int
lig_node_cmp_name(const void *a, const void *b)
{
	const struct lig_node_registration *const *ra = a, *const *rb = b;
	return strcmp((*ra)->name, (*rb)->name);
}

struct lig_node *
lig_node_by_name(const char *name)
{
	for (u32 i = 0; i < lig_graph.n_nodes; i++)
		if (strcmp(lig_graph.nodes[i].name, name) == 0)
			return &lig_graph.nodes[i];
	return NULL;
}

/* The graph of thread t (main's before the registry knows it). */
static struct lig_graph *
lig_graph_of(u32 t)
{
	return t == lig_thread_index ? &lig_graph : lig_threads[t].graph;
}

int
lig_node_add_next(u32 from, u32 to)
{
	struct lig_node *n = &lig_graph.nodes[from];
	u32 arc = n->n_next;

	for (u32 i = 0; i < n->n_next; i++)
		if (n->next_node_index[i] == to)
			return (int)i;
	/* Every thread's copy gets the arc at the same index. */
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_graph *g = lig_graph_of(t);
		if (!g || !g->nodes)
			continue;
		struct lig_node *tn = &g->nodes[from];
		u32 *arcs = realloc(tn->next_node_index, (arc + 1) * sizeof(u32));
		if (!arcs)
			return -ENOMEM;
		tn->next_node_index = arcs;
		arcs[arc] = to;
		tn->n_next = arc + 1;
	}
	return (int)arc;
}

static int
lig_frame_pool_grow(u32 n_more)
{
	struct lig_graph *g = &lig_graph;
	u32 n = g->n_frames + n_more;
	struct lig_frame **frames = realloc(g->frames, n * sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	g->frames = frames;
	u32 *free_frames = realloc(g->free_frames, n * sizeof(u32));
	if (!free_frames)
		return -ENOMEM;
	g->free_frames = free_frames;
	for (u32 i = g->n_frames; i < n; i++) {
		/* aligned_alloc wants a size that is a multiple of the alignment. */
		size_t size =
		    (sizeof(struct lig_frame) + LIG_CACHE_LINE - 1) & ~(size_t)(LIG_CACHE_LINE - 1);
		frames[i] = aligned_alloc(LIG_CACHE_LINE, size);
		if (!frames[i])
			return -ENOMEM;
		frames[i]->n_vectors = 0;
		g->free_frames[g->n_free_frames++] = i;
		g->n_frames = i + 1;
	}
	/* Keep the ring larger than the pool: with every frame queued a ring of exactly
	 * n_frames slots would have tail == head, which reads as empty and loses them all.
	 * Relinearise it when it grows. */
	u32 cap = g->queue ? g->queue_mask + 1 : 0;
	if (cap <= g->n_frames) {
		u32 new_cap = cap ? cap : 64;
		while (new_cap <= g->n_frames)
			new_cap *= 2;
		u32 *q = malloc(new_cap * sizeof(u32));
		if (!q)
			return -ENOMEM;
		u32 used = 0;
		for (u32 i = g->queue_head; i != g->queue_tail; i = (i + 1) & g->queue_mask)
			q[used++] = g->queue[i];
		free(g->queue);
		g->queue = q;
		g->queue_head = 0;
		g->queue_tail = used;
		g->queue_mask = new_cap - 1;
	}
	return 0;
}

struct lig_frame *
lig_frame_open(struct lig_node *t)
{
	struct lig_graph *g = &lig_graph;

	if (lig_unlikely(g->n_free_frames == 0) && lig_frame_pool_grow(g->n_frames) < 0) {
		/* Out of memory with every frame in flight: nothing sane is left to do. */
		lig_err("graph", "frame pool exhausted");
		abort();
	}
	u32 fi = g->free_frames[--g->n_free_frames];
	struct lig_frame *f = g->frames[fi];
	f->node_index = t->index;
	f->n_vectors = 0;
	t->pending_frame = fi;
	g->queue[g->queue_tail] = fi;
	g->queue_tail = (g->queue_tail + 1) & g->queue_mask;
	return f;
}

void
lig_enqueue_n(struct lig_node *node, u32 next, const u32 *bis, u32 n)
{
	struct lig_node *t = &lig_graph.nodes[node->next_node_index[next]];

	while (n > 0) {
		struct lig_frame *f = t->pending_frame != LIG_INVALID_INDEX
					  ? lig_graph.frames[t->pending_frame]
					  : lig_frame_open(t);
		u32 room = LIG_FRAME_SIZE - f->n_vectors;
		u32 k = LIG_MIN(room, n);
		memcpy(f->buffers + f->n_vectors, bis, k * sizeof(u32));
		f->n_vectors += k;
		if (f->n_vectors == LIG_FRAME_SIZE)
			t->pending_frame = LIG_INVALID_INDEX;
		bis += k;
		n -= k;
	}
}

void
lig_enqueue_to_next(struct lig_node *node, const u32 *bis, const u16 *nexts, u32 n)
{
	u32 i = 0;

	while (i < n) {
		u32 j = i + 1;
		while (j < n && nexts[j] == nexts[i])
			j++;
		lig_enqueue_n(node, nexts[i], bis + i, j - i);
		i = j;
	}
}

u32
lig_node_dispatch(struct lig_node *node, struct lig_frame *frame)
{
	u64 t0 = lig_rdtsc();
	u32 n = node->function(node, frame);
	u64 dt = lig_rdtsc() - t0;

	/* An input node's empty polls are not work: counting them would bury the
	 * clocks-per-packet figure of a busy node under idle spins. */
	/* Relaxed stores (plain moves on x86): show runtime reads them without the barrier. */
	if (n > 0 || frame) {
		lig_counter_add(&node->calls, 1);
		lig_counter_add(&node->vectors, n);
		lig_counter_add(&node->clocks, dt);
		if (dt > node->max_clocks) {
			__atomic_store_n(&node->max_clocks, dt, __ATOMIC_RELAXED);
			__atomic_store_n(&node->max_vectors_at_max, n, __ATOMIC_RELAXED);
		}
	}
	return n;
}

/* A worker's barrier is raised: stop between node calls (lig_graph.yield_epoch). */
static inline bool
lig_graph_should_yield(struct lig_graph *g)
{
	if (lig_likely(!g->yield_epoch || !(__atomic_load_n(g->yield_epoch, __ATOMIC_RELAXED) & 1)))
		return false;
	g->yielded = true;
	return true;
}

/* Takes the oldest queued frame off the queue and returns its index; it is closed first,
 * so what its node enqueues to itself goes to a new frame. */
static inline u32
lig_graph_frame_dequeue(struct lig_graph *g)
{
	u32 fi = g->queue[g->queue_head];
	struct lig_node *node = &g->nodes[g->frames[fi]->node_index];

	g->queue_head = (g->queue_head + 1) & g->queue_mask;
	if (node->pending_frame == fi)
		node->pending_frame = LIG_INVALID_INDEX;
	return fi;
}

/* A dequeued frame whose buffers were run or handed on goes back to the pool. */
static inline void
lig_graph_frame_recycle(struct lig_graph *g, u32 fi)
{
	g->frames[fi]->n_vectors = 0;
	g->free_frames[g->n_free_frames++] = fi;
}

u32
lig_graph_dispatch_pending(void)
{
	struct lig_graph *g = &lig_graph;
	u32 total = 0;
	/* Frames beget frames; in a forwarding loop (two loopbacks bridged together flood
	 * to each other forever) they never stop. Bound one call to what was queued plus
	 * LIG_GRAPH_DISPATCH_EXTRA frames, so the main loop still polls inputs, runs
	 * timers and serves the CLI (which can undo the loop) and signals. */
	u32 budget = ((g->queue_tail - g->queue_head) & g->queue_mask) + LIG_GRAPH_DISPATCH_EXTRA;

	while (g->queue_head != g->queue_tail && budget-- > 0 && !lig_graph_should_yield(g)) {
		u32 fi = lig_graph_frame_dequeue(g);
		struct lig_frame *f = g->frames[fi];
		if (f->n_vectors)
			total += lig_node_dispatch(&g->nodes[f->node_index], f);
		lig_graph_frame_recycle(g, fi);
	}
	return total;
}

u32
lig_graph_handoff_pending(u32 thread)
{
	struct lig_graph *g = &lig_graph;
	u32 total = 0;

	while (g->queue_head != g->queue_tail) {
		u32 fi = lig_graph_frame_dequeue(g);
		struct lig_frame *f = g->frames[fi];
		if (f->n_vectors)
			total +=
			    lig_handoff_enqueue(thread, f->node_index, f->buffers, f->n_vectors);
		lig_graph_frame_recycle(g, fi);
	}
	return total;
}

u32
lig_graph_run_once(void)
{
	struct lig_graph *g = &lig_graph;
	u32 n = 0;

	for (u32 i = 0; i < g->n_nodes; i++) {
		struct lig_node *node = &g->nodes[i];
		if (node->type == LIG_NODE_INPUT && node->input_enabled) {
			if (lig_unlikely(lig_graph_should_yield(g)))
				break;
			n += lig_node_dispatch(node, NULL);
		}
	}
	n += lig_graph_dispatch_pending();
	lig_counter_add(&g->loops, 1);
	return n;
}

int
lig_graph_init(void)
{
	struct lig_graph *g = &lig_graph;
	struct lig_node_registration *r, **regs;
	u32 n = 0, n_errors = 0;
	int rv = 0;

	for (r = lig_node_registrations; r; r = r->next_registration)
		n++;
	regs = calloc(n ? n : 1, sizeof(*regs));
	g->nodes = calloc(n ? n : 1, sizeof(*g->nodes));
	if (!regs || !g->nodes) {
		free(regs);
		return -ENOMEM;
	}
	n = 0;
	for (r = lig_node_registrations; r; r = r->next_registration)
		regs[n++] = r;
	qsort(regs, n, sizeof(*regs), lig_node_cmp_name);
	g->n_nodes = n;
	for (u32 i = 0; i < n; i++) {
		struct lig_node *node = &g->nodes[i];
		r = regs[i];
		if (i > 0 && strcmp(regs[i - 1]->name, r->name) == 0) {
			lig_err("graph", "node '%s' registered twice", r->name);
			rv = -EEXIST;
		}
		r->index = i;
		node->index = i;
		node->name = r->name;
		node->type = r->type;
		node->function = r->function;
		node->format_trace = r->format_trace;
		node->error_strings = r->error_strings;
		node->n_errors = r->n_errors;
		node->error_base = n_errors;
		node->pending_frame = LIG_INVALID_INDEX;
		node->reg = r;
		n_errors += r->n_errors;
	}
	for (u32 i = 0; i < n && rv == 0; i++) {
		r = regs[i];
		for (u32 k = 0; k < r->n_next_nodes; k++) {
			struct lig_node *t =
			    r->next_nodes[k] ? lig_node_by_name(r->next_nodes[k]) : NULL;
			if (!t) {
				lig_err("graph", "node '%s' arc %u names unknown node '%s'",
					r->name, k, r->next_nodes[k] ? r->next_nodes[k] : "(null)");
				rv = -ENOENT;
				break;
			}
			/* Registered arcs keep their declared indices (they are enum values). */
			u32 *arcs = realloc(g->nodes[i].next_node_index, (k + 1) * sizeof(u32));
			if (!arcs) {
				rv = -ENOMEM;
				break;
			}
			arcs[k] = t->index;
			g->nodes[i].next_node_index = arcs;
			g->nodes[i].n_next = k + 1;
		}
	}
	free(regs);
	if (rv < 0)
		return rv;
	g->error_counters = calloc(n_errors ? n_errors : 1, sizeof(u64));
	g->n_error_counters = n_errors;
	if (!g->error_counters)
		return -ENOMEM;
	struct lig_node *drop = lig_node_by_name("error-drop");
	if (!drop) {
		lig_err("graph", "no error-drop node registered");
		return -ENOENT;
	}
	g->error_drop_node = drop->index;
	if (lig_thread_index == 0)
		lig_threads[0].graph = g;
	/* A power of two, so the pool uses the ring it needs anyway (twice its size). */
	u32 n_frames = 64;
	while (n_frames < 4 * n)
		n_frames *= 2;
	return lig_frame_pool_grow(n_frames);
}

int
lig_graph_thread_init(const struct lig_graph *from)
{
	struct lig_graph *g = &lig_graph;
	u32 n = from->n_nodes;

	memset(g, 0, sizeof(*g));
	g->nodes = calloc(n ? n : 1, sizeof(*g->nodes));
	g->error_counters =
	    calloc(from->n_error_counters ? from->n_error_counters : 1, sizeof(u64));
	if (!g->nodes || !g->error_counters)
		return -ENOMEM;
	g->n_nodes = n;
	g->n_error_counters = from->n_error_counters;
	g->error_drop_node = from->error_drop_node;
	for (u32 i = 0; i < n; i++) {
		const struct lig_node *f = &from->nodes[i];
		struct lig_node *t = &g->nodes[i];
		t->index = f->index;
		t->name = f->name;
		t->type = f->type;
		t->function = f->function;
		t->format_trace = f->format_trace;
		t->error_strings = f->error_strings;
		t->n_errors = f->n_errors;
		t->error_base = f->error_base;
		t->reg = f->reg;
		t->runtime_data = f->runtime_data;
		t->pending_frame = LIG_INVALID_INDEX;
		t->next_node_index = malloc((f->n_next ? f->n_next : 1) * sizeof(u32));
		if (!t->next_node_index)
			return -ENOMEM;
		if (f->n_next) /* a node without arcs has no array to copy */
			memcpy(t->next_node_index, f->next_node_index, f->n_next * sizeof(u32));
		t->n_next = f->n_next;
	}
	u32 n_frames = 64;
	while (n_frames < 4 * n)
		n_frames *= 2;
	return lig_frame_pool_grow(n_frames);
}

void
lig_graph_free(void)
{
	struct lig_graph *g = &lig_graph;

	for (u32 i = 0; i < g->n_nodes; i++) {
		free(g->nodes[i].next_node_index);
		free(g->nodes[i].rxqs);
	}
	for (u32 i = 0; i < g->n_frames; i++)
		free(g->frames[i]);
	free(g->frames);
	free(g->free_frames);
	free(g->queue);
	free(g->nodes);
	free(g->error_counters);
	memset(g, 0, sizeof(*g));
}

/* One runtime table over graphs[0..n) (one thread's, or all summed). */
static void
lig_graph_show_runtime_table(struct lig_str *s, struct lig_graph *const *graphs, u32 n_graphs,
			     bool max)
{
	u64 total_vectors = 0, total_calls = 0, loops = 0;
	u32 n_nodes = graphs[0]->n_nodes;

	for (u32 t = 0; t < n_graphs; t++)
		loops += lig_counter_get(&graphs[t]->loops);
	lig_str_printf(s, "Time loops %llu, tsc %.2f GHz\n", (unsigned long long)loops,
		       lig_tsc_hz() / 1e9);
	if (max)
		lig_str_printf(s, "%-32s %10s %15s %15s %14s\n", "Name", "State", "Max Node Clocks",
			       "Vectors at Max", "Max Clocks/Vec");
	else
		lig_str_printf(s, "%-32s %10s %15s %15s %12s %14s\n", "Name", "State", "Calls",
			       "Vectors", "Clocks", "Vectors/Call");
	for (u32 i = 0; i < n_nodes; i++) {
		/* Only what never changes is copied: workers write the rest as this reads. */
		struct lig_node sum = {.name = graphs[0]->nodes[i].name,
				       .type = graphs[0]->nodes[i].type};
		bool enabled = false;
		for (u32 t = 0; t < n_graphs; t++) {
			const struct lig_node *n = &graphs[t]->nodes[i];
			sum.calls += lig_counter_get(&n->calls);
			sum.vectors += lig_counter_get(&n->vectors);
			sum.clocks += lig_counter_get(&n->clocks);
			enabled |= n->input_enabled;
			u64 mc = lig_counter_get(&n->max_clocks);
			if (mc > sum.max_clocks) {
				sum.max_clocks = mc;
				sum.max_vectors_at_max = lig_counter_get(&n->max_vectors_at_max);
			}
		}
		struct lig_node *n = &sum;
		const char *state =
		    n->type == LIG_NODE_INPUT ? (enabled ? "polling" : "disabled") : "active";
		if (n->calls == 0)
			continue;
		total_vectors += n->vectors;
		total_calls += n->calls;
		if (max) {
			lig_str_printf(s, "%-32s %10s %15llu %15llu %14.2f\n", n->name, state,
				       (unsigned long long)n->max_clocks,
				       (unsigned long long)n->max_vectors_at_max,
				       n->max_vectors_at_max
					   ? (double)n->max_clocks / n->max_vectors_at_max
					   : 0.0);
			continue;
		}
		lig_str_printf(s, "%-32s %10s %15llu %15llu %12.2e %14.2f\n", n->name, state,
			       (unsigned long long)n->calls, (unsigned long long)n->vectors,
			       n->vectors ? (double)n->clocks / (double)n->vectors : 0.0,
			       n->calls ? (double)n->vectors / (double)n->calls : 0.0);
	}
	lig_str_printf(s, "Total: %llu vectors in %llu calls\n", (unsigned long long)total_vectors,
		       (unsigned long long)total_calls);
}

void
lig_graph_show_runtime(struct lig_str *s, bool max)
{
	struct lig_graph *graphs[LIG_THREAD_MAX];
	u32 n = 0;

	for (u32 t = 0; t < lig_n_threads; t++)
		if (lig_graph_of(t))
			graphs[n++] = lig_graph_of(t);
	if (n <= 1) {
		struct lig_graph *g = &lig_graph;
		lig_graph_show_runtime_table(s, &g, 1, max);
		return;
	}
	/* As VPP: one section per thread, then (ours) the sum of them all. */
	for (u32 t = 0; t < n; t++) {
		const struct lig_thread *th = &lig_threads[t];
		char core[12] = "-";
		if (th->cpu >= 0)
			snprintf(core, sizeof(core), "%d", th->cpu);
		lig_str_printf(s, "---------------\nThread %u %s (lcore %s)\n", t, th->name, core);
		lig_graph_show_runtime_table(s, &graphs[t], 1, max);
	}
	lig_str_printf(s, "---------------\nSummed over %u threads\n", n);
	lig_graph_show_runtime_table(s, graphs, n, max);
}

void
lig_graph_clear_runtime(void)
{
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_graph *g = lig_graph_of(t);
		if (!g)
			continue;
		for (u32 i = 0; i < g->n_nodes; i++) {
			struct lig_node *n = &g->nodes[i];
			n->calls = n->vectors = n->clocks = n->max_clocks = n->max_vectors_at_max =
			    0;
		}
		g->loops = 0;
	}
}

u64
lig_graph_error_count(u32 node_index, u32 code)
{
	u64 c = 0;

	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_graph *g = lig_graph_of(t);
		if (g && node_index < g->n_nodes && code < g->nodes[node_index].n_errors)
			c += lig_counter_get(
			    &g->error_counters[g->nodes[node_index].error_base + code]);
	}
	return c;
}

void
lig_graph_show_errors(struct lig_str *s, bool all)
{
	struct lig_graph *g = &lig_graph;

	lig_str_printf(s, "%12s %-32s %s\n", "Count", "Node", "Reason");
	for (u32 i = 0; i < g->n_nodes; i++) {
		struct lig_node *n = &g->nodes[i];
		for (u32 e = 0; e < n->n_errors; e++) {
			u64 c = lig_graph_error_count(i, e);
			if (c || all)
				lig_str_printf(s, "%12llu %-32s %s\n", (unsigned long long)c,
					       n->name, n->error_strings[e]);
		}
	}
}

void
lig_graph_clear_errors(void)
{
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_graph *g = lig_graph_of(t);
		if (g)
			memset(g->error_counters, 0, g->n_error_counters * sizeof(u64));
	}
}

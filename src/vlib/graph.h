/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The packet-processing graph: nodes registered at start-up, each processing a frame
 * (vector) of up to LIG_FRAME_SIZE buffer indices and handing buffers to its next nodes
 * by arc. Producers append to the target node's pending frame; the dispatcher runs
 * pending frames in the order they were opened, so a burst moves through the graph
 * node by node and each node's code and tables stay hot in cache for a whole vector.
 */
#ifndef LIG_GRAPH_H
#define LIG_GRAPH_H

#include "../infra/lig_common.h"
#include "buffer.h"
#include "module.h" /* lig_run_init_functions(), which start-up runs after lig_graph_init() */
#include "str.h"

#define LIG_FRAME_SIZE 256
#define LIG_NODE_MAX_NEXT_NAMES 32

struct lig_frame {
	u32 node_index;
	u32 n_vectors;
	u32 buffers[LIG_FRAME_SIZE];
};

struct lig_node;

/* One rx queue an input node polls on its thread (placed by interface/rx_queue.c). */
struct lig_node_rxq {
	void *dev; /* the driver's context for the queue */
	u32 sw_if_index;
	u16 queue_id;
	u16 pad;
};

/* Processes frame (NULL for an input node); returns the number of packets handled. */
typedef u32(lig_node_fn_t)(struct lig_node *node, struct lig_frame *frame);
/* Formats one trace record this node wrote (see trace.h). */
typedef void(lig_trace_format_fn_t)(struct lig_str *s, const void *record);

enum lig_node_type {
	LIG_NODE_INTERNAL,
	LIG_NODE_INPUT, /* polled by its thread's loop, produces packets */
};

struct lig_node_registration {
	const char *name;
	enum lig_node_type type;
	lig_node_fn_t *function;
	lig_trace_format_fn_t *format_trace;
	u32 n_errors;
	const char *const *error_strings;
	u32 n_next_nodes;
	const char *next_nodes[LIG_NODE_MAX_NEXT_NAMES];
	/* Filled at graph init: the node's index, for code that enqueues to it by index. */
	u32 index;
	struct lig_node_registration *next_registration;
};

/* A node as one thread runs it: every thread has its own copy of every node (frames,
 * statistics, trace budget and rx queues are per thread); the registration is shared. */
struct lig_node {
	/* Fast-path fields first. */
	u32 *next_node_index; /* arc -> node index */
	u32 n_next;
	u32 index;
	u32 error_base; /* first of this node's counters in lig_graph.error_counters */
	u32 n_errors;
	u32 trace_budget;  /* input nodes: packets still to mark for tracing */
	u32 pending_frame; /* frame open for enqueues to this node, or LIG_INVALID_INDEX */
	lig_node_fn_t *function;
	void *runtime_data; /* owned by the node's module */
	u8 input_enabled;   /* input nodes: polled only when something is attached */
	/* Input nodes: the rx queues placed on this thread (rx_queue.c keeps it, under the
	 * barrier); drivers that place queues poll exactly these. */
	struct lig_node_rxq *rxqs;
	u32 n_rxqs;
	/* Statistics for show runtime. */
	u64 calls;
	u64 vectors;
	u64 clocks;
	u64 max_clocks;
	u64 max_vectors_at_max;
	const char *name;
	enum lig_node_type type;
	lig_trace_format_fn_t *format_trace;
	const char *const *error_strings;
	struct lig_node_registration *reg;
};

struct lig_graph {
	struct lig_node *nodes;
	u32 n_nodes;
	/* Frame pool: frames are allocated one by one so their addresses stay stable
	 * while the pool grows (it grows only while warming up, then is reused). */
	struct lig_frame **frames;
	u32 n_frames;
	u32 *free_frames;
	u32 n_free_frames;
	/* Ring of frame indices to dispatch, in the order they were opened; its capacity
	 * is a power of two above n_frames, so it cannot fill up (full would read as empty). */
	u32 *queue;
	u32 queue_head;
	u32 queue_tail;
	u32 queue_mask;
	u64 *error_counters;
	u32 n_error_counters;
	u32 error_drop_node; /* node index of error-drop */
	u64 loops;
	/* A worker's: the barrier's epoch (vlib/thread.c). While it is odd a pass stops
	 * between two node calls and leaves the rest of its frames queued, so the worker
	 * parks within one node call instead of one whole pass (a pass of 1500-byte vectors
	 * takes ~75 us). NULL on main, which raises the barrier itself. */
	const u32 *yield_epoch;
	bool yielded; /* the last pass stopped so: the next one finishes it first */
};

/* The running thread's graph: each thread (vlib/thread.h) has its own, built from
 * main's by lig_graph_thread_init(). */
extern _Thread_local struct lig_graph lig_graph;
extern struct lig_node_registration *lig_node_registrations;

/* Registers a node before main(); the graph is built by lig_graph_init(). */
#define LIG_REGISTER_NODE(x)                                                                       \
	struct lig_node_registration x;                                                            \
	static void LIG_CONSTRUCTOR(200) lig_register_node_##x(void)                               \
	{                                                                                          \
		x.next_registration = lig_node_registrations;                                      \
		lig_node_registrations = &x;                                                       \
	}                                                                                          \
	struct lig_node_registration x

/* Builds nodes from registrations and resolves arcs by name; returns 0 or -ENOENT
 * (an arc names a node that does not exist), logging which. */
int lig_graph_init(void);
void lig_graph_free(void);
/* A worker thread builds its own graph from main's (same nodes, arcs and error layout;
 * its own frames, statistics and counters). 0 or -ENOMEM. */
int lig_graph_thread_init(const struct lig_graph *from);

struct lig_node *lig_node_by_name(const char *name);
/* Adds (or finds) an arc from node `from` to node `to` in every thread's graph (main,
 * under the barrier); returns the arc index or -errno. */
int lig_node_add_next(u32 from, u32 to);

/* Opens a new pending frame for node t and queues it for dispatch. */
struct lig_frame *lig_frame_open(struct lig_node *t);

static inline void
lig_node_put(u32 target, u32 bi)
{
	struct lig_node *t = &lig_graph.nodes[target];
	struct lig_frame *f;

	if (lig_likely(t->pending_frame != LIG_INVALID_INDEX))
		f = lig_graph.frames[t->pending_frame];
	else
		f = lig_frame_open(t);
	f->buffers[f->n_vectors++] = bi;
	if (lig_unlikely(f->n_vectors == LIG_FRAME_SIZE))
		t->pending_frame = LIG_INVALID_INDEX;
}

/* Hands one buffer to the node at arc `next` of `node`. */
static inline void
lig_enqueue(struct lig_node *node, u32 next, u32 bi)
{
	lig_node_put(node->next_node_index[next], bi);
}

/* Hands n buffers to the same arc, copying whole runs into the target frame. */
void lig_enqueue_n(struct lig_node *node, u32 next, const u32 *bis, u32 n);

/* Hands bis[i] to arc nexts[i]; runs of the same arc are copied in one go. */
void lig_enqueue_to_next(struct lig_node *node, const u32 *bis, const u16 *nexts, u32 n);

/* Marks buffer for error-drop with this node's error `code` and enqueues it there. */
static inline void
lig_drop(struct lig_node *node, u32 bi, u32 code)
{
	lig_buffer_get(bi)->error = node->error_base + code;
	lig_node_put(lig_graph.error_drop_node, bi);
}

/* Counts n occurrences of a node error that did not drop a buffer. */
static inline void
lig_node_count_error(struct lig_node *node, u32 code, u64 n)
{
	/* A relaxed store: show errors reads it without the barrier. */
	lig_counter_add(&lig_graph.error_counters[node->error_base + code], n);
}

/* Runs one node (input node: frame NULL), accounting calls, vectors and clocks. */
u32 lig_node_dispatch(struct lig_node *node, struct lig_frame *frame);
/* Frames one lig_graph_dispatch_pending() runs beyond those queued when it starts. */
#define LIG_GRAPH_DISPATCH_EXTRA 256

/* Runs queued frames until none are left, but at most the frames queued at the start
 * plus LIG_GRAPH_DISPATCH_EXTRA (what a forwarding loop keeps producing stays queued
 * for the next call), and on a worker only until the barrier is raised (yield_epoch);
 * returns packets processed. Frames may therefore still be queued when the control plane
 * runs, their buffers' metadata looked up before it: nodes must check what it names
 * (an interface, a bridge domain, a VRF, a feature) and drop packets whose target was
 * deleted meanwhile; what they reach by pointer is freed through lig_rcu_*, which waits
 * for such frames (vlib/thread.h). */
u32 lig_graph_dispatch_pending(void);

/* Hands every frame queued on the running thread, in order, to the same nodes on thread
 * `thread` (lig_handoff_enqueue) instead of running them here; returns the buffers
 * queued there. Main uses it for packets a control-plane change queued under the barrier
 * (ARP requests) once the barrier is released: a worker transmits them without parking
 * anyone, where main may transmit only with the workers parked. */
u32 lig_graph_handoff_pending(u32 thread);

/* True while frames are queued for dispatch. */
static inline bool
lig_graph_has_pending(void)
{
	return lig_graph.queue_head != lig_graph.queue_tail;
}
/* One main-loop pass: poll every enabled input node, then drain the pending frames. */
u32 lig_graph_run_once(void);

/* Per thread and, with workers, summed over all threads. Shows are mp-safe (the counters
 * are read atomically); clears are not (they zero what workers write). */
void lig_graph_show_runtime(struct lig_str *s, bool max);
void lig_graph_clear_runtime(void);
/* Summed over all threads. */
void lig_graph_show_errors(struct lig_str *s, bool all);
void lig_graph_clear_errors(void);
/* Count of node error `code` of node `node_index`, summed over all threads. */
u64 lig_graph_error_count(u32 node_index, u32 code);

#endif

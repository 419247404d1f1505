/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Thread handoff, as VPP's worker handoff (vlib_buffer_enqueue_to_thread): a node on one
 * thread hands buffers to a node on another thread, which runs them there. NAT44 uses it
 * to bring both directions of a session to the thread that owns the session; a debug
 * feature (set interface handoff) hands every packet an interface receives to one worker.
 *
 * Structure: one single-producer single-consumer ring of (buffer index, node index)
 * entries for every ordered pair of threads (source, destination), LIG_HANDOFF_RING_SIZE
 * entries each, allocated when the workers start. A ring has exactly one writer (the
 * source thread) and one reader (the destination), so it needs no lock: the producer
 * publishes entries with a release store of its head, the consumer frees slots with a
 * release store of its tail. A destination drains its rings at the top of each pass of
 * its loop (before it polls its rx queues), putting each buffer into its own pending
 * frame of the named node, so the buffers are then dispatched as that thread's vectors
 * (show runtime counts them on the destination). A destination asleep in epoll is woken
 * through its eventfd, once per burst that finds it asleep.
 *
 * Contract:
 * - Datapath, any thread (main included). The caller gives up every buffer in bis[]:
 *   those that fit are queued, the rest (destination's ring full: congestion) are freed
 *   and counted in the pair's congestion drops (show threads, lig_handoff_stats()).
 * - node_index is a graph node index (lig_node_by_name(...)->index, or a registration's
 *   .index), an internal node; it is run on thread `thread` with each buffer as it was
 *   handed over (current_data, length, metadata: the buffer's feature area travels with
 *   it, nothing else does). A traced packet's trace ends at the handoff: its record
 *   lives in the source thread's trace buffer, and the destination does not continue it.
 * - thread == the running thread, or no workers (thread 0 alone): the buffers go straight
 *   into the node's pending frame on this thread, no ring.
 * - thread >= lig_n_threads (or node_index out of range): every buffer is freed and
 *   counted as dropped (invalid), nothing is queued.
 * - Buffers in a ring when the control plane changes something belong to no thread's
 *   frame yet: like any queued frame, the target node must cope with a packet whose
 *   interface was deleted meanwhile. The barrier does not drain the rings: workers park,
 *   and what is queued is run after the release.
 * - No allocation, lock or system call per packet; at most one eventfd write per call,
 *   when the destination sleeps.
 * Returns the number of buffers queued (n minus those dropped).
 */
#ifndef LIG_HANDOFF_H
#define LIG_HANDOFF_H

#include "../infra/lig_common.h"

/* Entries per (source, destination) ring; a power of two. */
#define LIG_HANDOFF_RING_SIZE 4096

u32 lig_handoff_enqueue(u32 thread, u32 node_index, const u32 *bis, u32 n);

/* The running thread: moves what other threads handed it into its pending frames;
 * returns how many buffers. Called at the top of every pass of a worker's loop (and by
 * main's loop). */
u32 lig_handoff_poll(void);

/* True if some thread has handed buffers to `thread` that it has not taken yet. */
bool lig_handoff_pending(u32 thread);

/* Counters of one (source, destination) pair, each written only by the source. */
struct lig_handoff_stats {
	u64 enqueued;	/* buffers queued */
	u64 congestion; /* buffers dropped: the ring was full */
	u64 invalid;	/* buffers dropped: no such thread or node */
	u64 wakeups;	/* eventfd writes to a sleeping destination */
};

/* Sums a pair's counters into st (source or destination ~0u: all of them). */
void lig_handoff_stats(u32 from, u32 to, struct lig_handoff_stats *st);

/* Called by lig_threads_start() once lig_n_threads is known (before workers run), and
 * by lig_threads_free(); 0 or -ENOMEM. */
int lig_handoff_init(void);
void lig_handoff_free(void);

/* Main, under the barrier: the handoff lines of show threads. */
struct lig_str;
void lig_handoff_show(struct lig_str *s);

#endif

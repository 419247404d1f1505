/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rx queues and their placement on threads (VPP's rx placement). A driver registers each
 * receive queue of each interface with the input node that polls it; the queue is placed
 * on one thread (without workers: main; with workers: the worker with the fewest queues,
 * or where the operator put it), and that thread's copy of the input node finds it in
 * node->rxqs (vlib/graph.h) and polls only those. The queue's fd, if any, wakes that
 * thread when it sleeps. Moving a queue (set interface rx-placement) happens under the
 * barrier, between two vectors. All functions: main thread, under the barrier.
 */
#ifndef LIG_RX_QUEUE_H
#define LIG_RX_QUEUE_H

#include "../infra/lig_common.h"
#include "../vlib/loop.h"

/*
 * Registers queue queue_id of sw_if_index, polled by input node node_index with dev as its
 * context (struct lig_node_rxq.dev). fd (-1: none) wakes the queue's thread; on_fd (NULL:
 * only wake) runs on that thread with fd_ctx when fd fires (memif drains its eventfd).
 * polling: the peer never signals, so the thread wakes every 100 us while idle. Returns 0,
 * -EEXIST (registered already), -ENOMEM, or the watch's -errno.
 */
int lig_rxq_add(u32 sw_if_index, u16 queue_id, u32 node_index, void *dev, int fd,
		lig_fd_fn_t *on_fd, void *fd_ctx, bool polling);
/* Unregisters one queue (0 or -ENOENT), or every queue of an interface. A queue the
 * operator placed keeps its place for when it comes back (a memif peer reconnecting)
 * until the interface is deleted. */
int lig_rxq_del(u32 sw_if_index, u16 queue_id);
void lig_rxq_del_interface(u32 sw_if_index);
/* Changes whether the queue's thread must poll it while idle; 0 or -ENOENT. */
int lig_rxq_set_polling(u32 sw_if_index, u16 queue_id, bool polling);

/* Places the queue on worker `worker` (0-based; with no workers only main, as worker
 * LIG_INVALID_INDEX, is valid). 0, -ENOENT (no such queue) or -EINVAL (no such worker). */
int lig_rxq_place(u32 sw_if_index, u16 queue_id, u32 worker);

struct lig_rxq_info {
	u32 sw_if_index;
	u16 queue_id;
	u8 polling;
	u8 manual;  /* placed by the operator */
	u32 thread; /* 0 main, 1.. worker thread */
	u32 node_index;
};
/* Iterates registered queues by (sw_if_index, queue_id) order from *cursor; false at the
 * end. sw_if_index LIG_INVALID_INDEX: every interface. */
bool lig_rxq_next(u32 sw_if_index, u32 *cursor, struct lig_rxq_info *info);
/* The thread polling the queue, or LIG_INVALID_INDEX. */
u32 lig_rxq_thread(u32 sw_if_index, u16 queue_id);

#endif

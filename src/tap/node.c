/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap datapath: tap-input reads frames from every tap fd into buffer chains and hands
 * them to ethernet-input; tap-tx writes each frame with its virtio-net header. With gso
 * a frame may be a 64 KB TCP super-frame in either direction (one syscall per 64 KB);
 * its virtio-net header is checked (src/gso/vnet_hdr.h) before the buffer carries it.
 *
 * Two backends: vhost-net (the kernel services split virtqueues in ligd's memory, vring.c:
 * no system call per frame, a kick only when the kernel asks for one), or, where the
 * kernel has no /dev/vhost-net, the tun fd itself: one read()/writev() per frame (up to
 * 64 KB with gso).
 */
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../gso/vnet_hdr.h"
#include "../ethernet/ethernet.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "tap.h"

enum {
	LIG_TAP_INPUT_NEXT_ETHERNET_INPUT,
	LIG_TAP_INPUT_N_NEXT,
};

#define foreach_lig_tap_input_error                                                                \
	_(READ, "read() from the tap failed")                                                      \
	_(SHORT, "frame shorter than the virtio-net header")                                       \
	_(TOO_BIG, "frame larger than the rx buffers (truncated)")                                 \
	_(GSO, "GSO frame of a type not taken (UDP, or gso off)")                                  \
	_(BAD_CSUM_OFFSETS, "partial checksum with offsets outside the frame")                     \
	_(BAD_GSO, "bogus GSO request (gso_size, headers or checksum offsets)")                    \
	_(BAD_HDR_LEN, "virtio-net hdr_len beyond the frame")                                      \
	_(BAD_USED, "vhost rx used element no driver posted (id, length, count)")                  \
	_(NO_BUFFERS, "no buffers")

enum {
#define _(sym, str) LIG_TAP_INPUT_ERROR_##sym,
	foreach_lig_tap_input_error
#undef _
	    LIG_TAP_INPUT_N_ERROR,
};

static const char *const lig_tap_input_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_tap_input_error
#undef _
};

#define foreach_lig_tap_tx_error                                                                   \
	_(FULL, "tap queue full (EAGAIN, or no free vhost descriptors)")                           \
	_(WRITE, "writev() to the tap failed")                                                     \
	_(TOO_LONG_CHAIN, "buffer chain too long")                                                 \
	_(NO_DEVICE, "tx interface is not a tap")

enum {
#define _(sym, str) LIG_TAP_TX_ERROR_##sym,
	foreach_lig_tap_tx_error
#undef _
	    LIG_TAP_TX_N_ERROR,
};

static const char *const lig_tap_tx_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_tap_tx_error
#undef _
};

/* Traced frames: the shared record of kernel-facing drivers, without a ring word. */
static void
lig_tap_trace_fill(struct lig_ethernet_io_trace *t, u32 sw_if_index, const struct lig_vnet_hdr *vh,
		   u32 bi, u32 len)
{
	t->sw_if_index = sw_if_index;
	t->len = len;
	t->csum_partial = (vh->flags & LIG_VNET_HDR_F_NEEDS_CSUM) != 0;
	t->csum_start = le16toh(vh->csum_start);
	t->csum_offset = le16toh(vh->csum_offset);
	lig_buffer_copy_out(bi, 0, t->frame, sizeof(t->frame));
}

/* Fresh buffers taken from the pool in bulk. */
#define LIG_TAP_RESERVE 512
/* One per thread, in static storage so that main can give them all back. */
static struct {
	u32 bis[LIG_TAP_RESERVE];
	u32 n;
} lig_tap_reserves[LIG_THREAD_MAX];
#define lig_tap_reserve (lig_tap_reserves[lig_thread_index])

/* More than one worker may transmit on a tap: its tx path (and the vhost tx ring, which
 * rx also reclaims) takes tx_lock then. Main transmits only under the barrier, alone. */
static inline bool
lig_tap_tx_shared(void)
{
	return lig_n_workers > 1;
}

void
lig_tap_release_buffers(void)
{
	/* Only the threads that exist: the other slots were never written, and touching
	 * them would fault their zero pages in, under the barrier. */
	for (u32 t = 0; t < lig_n_threads; t++) {
		if (lig_tap_reserves[t].n == 0)
			continue;
		lig_buffer_free(lig_tap_reserves[t].bis, lig_tap_reserves[t].n);
		lig_tap_reserves[t].n = 0;
	}
}

static const u32 lig_tap_vnet_error[] = {
    [LIG_VNET_RX_GSO] = LIG_TAP_INPUT_ERROR_GSO,
    [LIG_VNET_RX_BAD_CSUM] = LIG_TAP_INPUT_ERROR_BAD_CSUM_OFFSETS,
    [LIG_VNET_RX_BAD_GSO] = LIG_TAP_INPUT_ERROR_BAD_GSO,
    [LIG_VNET_RX_BAD_HDR_LEN] = LIG_TAP_INPUT_ERROR_BAD_HDR_LEN,
};

/* Reads up to budget frames from one queue of a tap into to[]; returns how many. */
static u32
lig_tap_rx_dev(struct lig_node *node, struct lig_tap_queue *tq, u32 *to, u32 budget, u32 *n_errors)
{
	struct lig_tap_dev *dev = tq->dev;
	struct lig_interface *ifp = lig_if_get(dev->sw_if_index);
	struct iovec iov[1 + LIG_TAP_RX_MAX_BUFFERS_GSO];
	struct lig_vnet_hdr vh;
	u32 n_to = 0, max_bufs = dev->rx_max_buffers;
	u32 data_size = lig_buffer_data_size(), max_frame = max_bufs * data_size;
	u64 n_bytes = 0;

	if (lig_unlikely(!ifp))
		return 0;
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	for (u32 i = 0; i < budget; i++) {
		u32 *r = lig_tap_reserve.bis;
		if (lig_unlikely(lig_tap_reserve.n < max_bufs)) {
			lig_tap_reserve.n += lig_buffer_alloc(r + lig_tap_reserve.n,
							      LIG_TAP_RESERVE - lig_tap_reserve.n);
			if (lig_tap_reserve.n < max_bufs) {
				lig_node_count_error(node, LIG_TAP_INPUT_ERROR_NO_BUFFERS, 1);
				break;
			}
		}
		/* The top of the reserve backs the read; only what it filled is taken. */
		for (u32 k = 0; k < max_bufs; k++) {
			iov[1 + k].iov_base = lig_buffer_get(r[lig_tap_reserve.n - 1 - k])->data;
			iov[1 + k].iov_len = data_size;
		}
		ssize_t got = readv(tq->fd, iov, (int)(1 + max_bufs));
		if (got < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				lig_node_count_error(node, LIG_TAP_INPUT_ERROR_READ, 1);
				lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
				(*n_errors)++;
			}
			break;
		}
		lig_counter_add(&tq->rx_reads, 1);
		if (lig_unlikely((size_t)got < sizeof(vh) + 1)) {
			lig_node_count_error(node, LIG_TAP_INPUT_ERROR_SHORT, 1);
			lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
			(*n_errors)++;
			continue;
		}
		u32 len = (u32)got - (u32)sizeof(vh);
		if (lig_unlikely(len >= max_frame)) {
			/* A full read may have been cut short by our iovec. */
			lig_node_count_error(node, LIG_TAP_INPUT_ERROR_TOO_BIG, 1);
			lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
			(*n_errors)++;
			continue;
		}
		u32 n_bufs = lig_buffer_n_for(len);
		u32 head = r[lig_tap_reserve.n - 1];
		struct lig_buffer *b = lig_buffer_get(head), *prev = b;
		b->current_length = (u16)LIG_MIN(len, data_size);
		for (u32 k = 1; k < n_bufs; k++) {
			u32 bi = r[lig_tap_reserve.n - 1 - k];
			struct lig_buffer *c = lig_buffer_get(bi);
			c->current_length = (u16)LIG_MIN(len - k * data_size, data_size);
			prev->flags |= LIG_BUFFER_NEXT_PRESENT;
			prev->next_buffer = bi;
			prev = c;
		}
		if (n_bufs > 1)
			b->total_length_not_including_first_buffer = len - b->current_length;
		int rv = lig_vnet_hdr_to_buffer(&vh, b, len, b->current_length,
						(dev->flags & LIG_TAP_FLAG_GSO) != 0);
		if (lig_unlikely(rv != LIG_VNET_RX_OK)) {
			/* Leave the buffers in the reserve, metadata back to fresh. */
			for (u32 k = 0; k < n_bufs; k++)
				lig_buffer_reset(lig_buffer_get(r[lig_tap_reserve.n - 1 - k]));
			lig_node_count_error(node, lig_tap_vnet_error[rv], 1);
			lig_counter_add(&tq->rx_bad_vnet_hdr, 1);
			lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
			(*n_errors)++;
			continue;
		}
		lig_tap_reserve.n -= n_bufs;
		if (b->flags & LIG_BUFFER_GSO) {
			lig_counter_add(&tq->rx_gso, 1);
			lig_counter_add(&tq->rx_gso_bytes, len);
		}
		b->sw_if_index[LIG_RX] = dev->sw_if_index;
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (lig_unlikely(node->trace_budget) && lig_trace_start(node, b)) {
			struct lig_ethernet_io_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				lig_tap_trace_fill(t, dev->sw_if_index, &vh, head, len);
		}
		n_bytes += len;
		to[n_to++] = head;
	}
	lig_counter_add(&lig_if_counters(ifp)->rx_packets, n_to);
	lig_counter_add(&lig_if_counters(ifp)->rx_bytes, n_bytes);
	return n_to;
}

/* vhost-net: takes up to budget frames the kernel put in the rx queue, refills it and
 * kicks it only when the kernel asked; tx completions are reclaimed here too. */
static u32
lig_tap_rx_vhost(struct lig_node *node, struct lig_tap_queue *tq, u32 *to, u32 budget,
		 u32 *n_errors)
{
	struct lig_tap_dev *dev = tq->dev;
	struct lig_interface *ifp = lig_if_get(dev->sw_if_index);
	struct lig_vhost *v = dev->vhost;
	struct lig_vnet_hdr vh;
	u32 n_to = 0, len;
	u64 n_bytes = 0, bad0 = v->rx.st.bad_used;

	if (lig_unlikely(!ifp))
		return 0;
	if (lig_tap_tx_shared()) {
		lig_spinlock_lock(&dev->tx_lock);
		lig_vring_tx_reclaim(&v->tx);
		lig_spinlock_unlock(&dev->tx_lock);
	} else {
		lig_vring_tx_reclaim(&v->tx);
	}
	while (n_to < budget) {
		u32 bi = lig_vring_rx_next(&v->rx, &vh, &len);
		if (bi == LIG_INVALID_INDEX)
			break;
		struct lig_buffer *b = lig_buffer_get(bi);
		int rv = lig_vnet_hdr_to_buffer(&vh, b, len, b->current_length,
						(dev->flags & LIG_TAP_FLAG_GSO) != 0);
		if (lig_unlikely(rv != LIG_VNET_RX_OK)) {
			lig_buffer_free_one(bi);
			lig_node_count_error(node, lig_tap_vnet_error[rv], 1);
			lig_counter_add(&tq->rx_bad_vnet_hdr, 1);
			lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
			(*n_errors)++;
			continue;
		}
		if (b->flags & LIG_BUFFER_GSO) {
			lig_counter_add(&tq->rx_gso, 1);
			lig_counter_add(&tq->rx_gso_bytes, len);
		}
		b->sw_if_index[LIG_RX] = dev->sw_if_index;
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (lig_unlikely(node->trace_budget) && lig_trace_start(node, b)) {
			struct lig_ethernet_io_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				lig_tap_trace_fill(t, dev->sw_if_index, &vh, bi, len);
		}
		n_bytes += len;
		to[n_to++] = bi;
	}
	if (lig_unlikely(v->rx.st.bad_used != bad0)) {
		lig_node_count_error(node, LIG_TAP_INPUT_ERROR_BAD_USED, v->rx.st.bad_used - bad0);
		*n_errors += (u32)(v->rx.st.bad_used - bad0);
	}
	if (n_to || v->rx.n_free) {
		lig_vring_rx_refill(&v->rx);
		if (lig_vring_publish(&v->rx))
			lig_vhost_kick(v, 0);
	}
	/* Interrupt mode for when the loop sleeps; the loop polls while frames flow. */
	lig_vring_want_interrupt(&v->rx, true);
	lig_counter_add(&lig_if_counters(ifp)->rx_packets, n_to);
	lig_counter_add(&lig_if_counters(ifp)->rx_bytes, n_bytes);
	return n_to;
}

static u32
lig_tap_input_fn(struct lig_node *node, struct lig_frame *frame LIG_UNUSED)
{
	u32 to[LIG_TAP_RX_BUDGET];
	u32 n_total = 0, n_errors = 0;

	/* The rx queues placed on this thread (interface/rx_queue.h). */
	for (u32 i = 0; i < node->n_rxqs; i++) {
		struct lig_tap_queue *tq = node->rxqs[i].dev;
		u32 n = tq->dev->vhost
			    ? lig_tap_rx_vhost(node, tq, to, LIG_TAP_RX_BUDGET, &n_errors)
			    : lig_tap_rx_dev(node, tq, to, LIG_TAP_RX_BUDGET, &n_errors);
		if (n)
			lig_enqueue_n(node, LIG_TAP_INPUT_NEXT_ETHERNET_INPUT, to, n);
		n_total += n;
	}
	return n_total + n_errors;
}

LIG_REGISTER_NODE(lig_tap_input_node) = {
    .name = "tap-input",
    .type = LIG_NODE_INPUT,
    .function = lig_tap_input_fn,
    .format_trace = lig_ethernet_io_format_rx_trace,
    .n_errors = LIG_TAP_INPUT_N_ERROR,
    .error_strings = lig_tap_input_error_strings,
    .n_next_nodes = LIG_TAP_INPUT_N_NEXT,
    .next_nodes = {[LIG_TAP_INPUT_NEXT_ETHERNET_INPUT] = "ethernet-input"},
};

/* A 64 KB super-frame is a chain of 33 buffers; a flood clone adds a head. */
#define LIG_TAP_TX_MAX_SEGS 40

static u32
lig_tap_tx_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u32 done[LIG_FRAME_SIZE], n_done = 0;
	struct iovec iov[1 + LIG_TAP_TX_MAX_SEGS];
	struct lig_vnet_hdr vh;
	u32 last_sw = LIG_INVALID_INDEX;
	struct lig_interface *ifp = NULL;
	struct lig_tap_dev *dev = NULL;
	struct lig_tap_dev *kick[LIG_FRAME_SIZE];
	struct lig_tap_queue *tq = NULL;
	struct lig_spinlock *locked = NULL;
	u32 n_kick = 0;
	bool shared = lig_tap_tx_shared();

	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	for (u32 i = 0; i < n; i++) {
		if (i + 1 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 1]));
		struct lig_buffer *b = lig_buffer_get(from[i]);
		if (b->sw_if_index[LIG_TX] != last_sw) {
			last_sw = b->sw_if_index[LIG_TX];
			ifp = lig_if_get(last_sw);
			dev = ifp && ifp->class == &lig_tap_class ? ifp->dev : NULL;
			/* The tun fd backend writes on this thread's queue (the kernel then
			 * receives on that queue's CPU path); vhost-net on its one ring. */
			tq = dev ? &dev->queues[lig_thread_index % dev->n_queues] : NULL;
			struct lig_spinlock *l =
			    !dev ? NULL : (dev->vhost ? &dev->tx_lock : &tq->tx_lock);
			if (shared && l != locked) {
				/* Held for the run of packets to this device. */
				if (locked)
					lig_spinlock_unlock(locked);
				locked = l;
				if (l)
					lig_spinlock_lock(l);
			}
		}
		if (lig_unlikely(!dev)) {
			lig_drop(node, from[i], LIG_TAP_TX_ERROR_NO_DEVICE);
			continue;
		}
		lig_vnet_hdr_from_buffer(&vh, b);
		if (dev->vhost) {
			if (lig_buffer_is_traced(b)) {
				struct lig_ethernet_io_trace *t =
				    lig_trace_add_record(node, b, sizeof(*t));
				if (t)
					lig_tap_trace_fill(t, last_sw, &vh, from[i],
							   lig_buffer_length_in_chain(b));
			}
			int rv = lig_vring_tx_add(&dev->vhost->tx, from[i], &vh);
			if (rv == -ENOSPC && lig_vring_tx_reclaim(&dev->vhost->tx))
				rv = lig_vring_tx_add(&dev->vhost->tx, from[i], &vh);
			if (lig_unlikely(rv < 0)) {
				lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
				lig_drop(node, from[i],
					 rv == -ENOSPC ? LIG_TAP_TX_ERROR_FULL
						       : LIG_TAP_TX_ERROR_TOO_LONG_CHAIN);
				continue;
			}
			/* The ring owns the buffers until the kernel has sent them. */
			lig_counter_add(&tq->tx_gso, (b->flags & LIG_BUFFER_GSO) != 0);
			if (!dev->tx_pending++)
				kick[n_kick++] = dev;
			continue;
		}
		u32 n_iov = 1;
		struct lig_buffer *c = b;
		for (;;) {
			iov[n_iov].iov_base = lig_buffer_data(c);
			iov[n_iov++].iov_len = c->current_length;
			if (!(c->flags & LIG_BUFFER_NEXT_PRESENT) || n_iov == LIG_ARRAY_LEN(iov))
				break;
			c = lig_buffer_get(c->next_buffer);
		}
		if (lig_unlikely(c->flags & LIG_BUFFER_NEXT_PRESENT)) {
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, from[i], LIG_TAP_TX_ERROR_TOO_LONG_CHAIN);
			continue;
		}
		if (lig_buffer_is_traced(b)) {
			struct lig_ethernet_io_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				lig_tap_trace_fill(t, last_sw, &vh, from[i],
						   lig_buffer_length_in_chain(b));
		}
		/* One syscall per packet: the tun fd's interface (see the top of this file). */
		if (lig_unlikely(writev(tq->fd, iov, (int)n_iov) < 0)) {
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, from[i],
				 errno == EAGAIN ? LIG_TAP_TX_ERROR_FULL : LIG_TAP_TX_ERROR_WRITE);
			continue;
		}
		lig_counter_add(&tq->tx_writes, 1);
		lig_counter_add(&tq->tx_gso, (b->flags & LIG_BUFFER_GSO) != 0);
		done[n_done++] = from[i];
	}
	if (locked)
		lig_spinlock_unlock(locked);
	/* One publish per vhost tap per vector; a kick only if the kernel asked. */
	for (u32 k = 0; k < n_kick; k++) {
		if (shared)
			lig_spinlock_lock(&kick[k]->tx_lock);
		kick[k]->tx_pending = 0;
		if (lig_vring_publish(&kick[k]->vhost->tx))
			lig_vhost_kick(kick[k]->vhost, 1);
		if (shared)
			lig_spinlock_unlock(&kick[k]->tx_lock);
	}
	lig_buffer_free(done, n_done);
	return n;
}

LIG_REGISTER_NODE(lig_tap_tx_node) = {
    .name = "tap-tx",
    .function = lig_tap_tx_fn,
    .format_trace = lig_ethernet_io_format_tx_trace,
    .n_errors = LIG_TAP_TX_N_ERROR,
    .error_strings = lig_tap_tx_error_strings,
};

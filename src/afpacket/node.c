/* SPDX-License-Identifier: Apache-2.0 */
/*
 * af_packet datapath: af-packet-input reads the TPACKET_V2 rx slots of every
 * host-interface into buffer chains and hands them to ethernet-input; af-packet-tx
 * copies frames (gathering chains) into the mmapped tx ring and kicks the kernel with
 * one sendto() per interface per vector. No allocation, lock or syscall per packet:
 * buffers come from a bulk-refilled reserve, the ring is shared memory.
 */
#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../ethernet/ethernet.h"
#include "../infra/log.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "afpacket.h"

enum {
	LIG_AFPACKET_INPUT_NEXT_ETHERNET_INPUT,
	LIG_AFPACKET_INPUT_N_NEXT,
};

#define foreach_lig_afpacket_input_error                                                           \
	_(TRUNCATED, "frame larger than a slot and no whole copy (socket buffer full)")            \
	_(GSO, "GSO frame of a type not taken (UDP, UDP tunnel)")                                  \
	_(BAD_CSUM_OFFSETS, "partial checksum with offsets outside the frame")                     \
	_(BAD_GSO, "bogus GSO request (gso_size, headers or checksum offsets)")                    \
	_(BAD_HDR_LEN, "virtio-net hdr_len beyond the frame")                                      \
	_(CSUM_NO_OFFSETS, "partial checksum without virtio-net header offsets")                   \
	_(BAD_FRAME, "frame header or data outside its ring slot")                                 \
	_(NO_BUFFERS, "no buffers (frame left in the ring)")                                       \
	_(COPY, "whole copy of a frame larger than a slot missing or cut")

enum {
#define _(sym, str) LIG_AFPACKET_INPUT_ERROR_##sym,
	foreach_lig_afpacket_input_error
#undef _
	    LIG_AFPACKET_INPUT_N_ERROR,
};

static const char *const lig_afpacket_input_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_afpacket_input_error
#undef _
};

#define foreach_lig_afpacket_tx_error                                                              \
	_(RING_FULL, "tx ring full")                                                               \
	_(TOO_BIG, "frame larger than a tx ring slot")                                             \
	_(GSO_SEND, "sendmsg() of a GSO super-frame failed")                                       \
	_(NO_DEVICE, "tx interface is not an af_packet interface")                                 \
	_(KICK, "sendto() kick failed (frames stay queued)")

enum {
#define _(sym, str) LIG_AFPACKET_TX_ERROR_##sym,
	foreach_lig_afpacket_tx_error
#undef _
	    LIG_AFPACKET_TX_N_ERROR,
};

static const char *const lig_afpacket_tx_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_afpacket_tx_error
#undef _
};

/* Traced frames: sw_if_index, length, the ring word (rx tp_status, tx slot), the
 * virtio-net header's checksum request and the frame's first bytes. */
static inline void
lig_afpacket_trace_fill(struct lig_ethernet_io_trace *t, u32 sw_if_index, u32 len, u32 ring_word,
			const struct lig_vnet_hdr *vh, const u8 *frame)
{
	t->sw_if_index = sw_if_index;
	t->len = len;
	t->ring_word = ring_word;
	t->has_ring = 1;
	t->csum_partial = (vh->flags & LIG_VNET_HDR_F_NEEDS_CSUM) != 0;
	t->csum_start = le16toh(vh->csum_start);
	t->csum_offset = le16toh(vh->csum_offset);
	memcpy(t->frame, frame, LIG_MIN(len, (u32)sizeof(t->frame)));
}

/* ---- Ring parsing (pure; unit-tested) ---- */

/* The slot layout the kernel writes: tpacket2_hdr, sockaddr_ll, then (PACKET_VNET_HDR)
 * the virtio-net header right before tp_mac. */
#define LIG_AFPACKET_SLL_OFFSET TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
#define LIG_AFPACKET_MIN_MAC                                                                       \
	(LIG_AFPACKET_SLL_OFFSET + sizeof(struct sockaddr_ll) + sizeof(struct lig_vnet_hdr))

int
lig_afpacket_parse_frame(const u8 *slot, u32 slot_size, struct lig_afpacket_pkt *p)
{
	const struct tpacket2_hdr *h = (const void *)slot;
	const struct sockaddr_ll *sll;

	if (slot_size < LIG_AFPACKET_MIN_MAC || h->tp_mac < LIG_AFPACKET_MIN_MAC ||
	    (u64)h->tp_mac + h->tp_snaplen > slot_size)
		return LIG_AFPACKET_PKT_BAD_BOUNDS;
	p->frame = slot + h->tp_mac;
	p->vnet = (const void *)(p->frame - sizeof(struct lig_vnet_hdr));
	p->len = h->tp_snaplen;
	p->status = h->tp_status;
	sll = (const void *)(slot + LIG_AFPACKET_SLL_OFFSET);
	if (sll->sll_pkttype == PACKET_OUTGOING)
		return LIG_AFPACKET_PKT_OUTGOING;
	if (h->tp_snaplen < h->tp_len)
		return LIG_AFPACKET_PKT_TRUNCATED;
	return LIG_AFPACKET_PKT_OK;
}

/* ---- Buffer reserve ---- */

/* Fresh buffers taken from the pool in bulk; a 9000-byte frame needs 5. */
#define LIG_AFPACKET_RESERVE 1024
/* One per thread, in static storage so that main can give them all back. */
static struct {
	u32 bis[LIG_AFPACKET_RESERVE];
	u32 n;
} lig_afpacket_reserves[LIG_THREAD_MAX];
#define lig_afpacket_reserve (lig_afpacket_reserves[lig_thread_index])

/* More than one worker may transmit on a device: its one tx ring takes tx_lock then.
 * Main transmits only under the barrier, alone. */
static inline bool
lig_afpacket_tx_shared(void)
{
	return lig_n_workers > 1;
}

static inline u32
lig_afpacket_reserve_fill(u32 need)
{
	if (lig_afpacket_reserve.n < need)
		lig_afpacket_reserve.n +=
		    lig_buffer_alloc(lig_afpacket_reserve.bis + lig_afpacket_reserve.n,
				     LIG_AFPACKET_RESERVE - lig_afpacket_reserve.n);
	return lig_afpacket_reserve.n;
}

void
lig_afpacket_release_buffers(void)
{
	/* Only the threads that exist: the other slots were never written, and touching
	 * them would fault their zero pages in, under the barrier. */
	for (u32 t = 0; t < lig_n_threads; t++) {
		if (lig_afpacket_reserves[t].n == 0)
			continue;
		lig_buffer_free(lig_afpacket_reserves[t].bis, lig_afpacket_reserves[t].n);
		lig_afpacket_reserves[t].n = 0;
	}
}

/* ---- af-packet-input ---- */

/* Copies one frame into a chain from the reserve (which holds at least n_bufs). */
static inline u32
lig_afpacket_copy_in(const u8 *src, u32 len, u32 n_bufs)
{
	u32 *r = lig_afpacket_reserve.bis;
	u32 head = r[--lig_afpacket_reserve.n];
	struct lig_buffer *b = lig_buffer_get(head), *prev = b;
	u32 data_size = lig_buffer_data_size(), n = LIG_MIN(len, data_size);

	memcpy(b->data, src, n);
	b->current_length = (u16)n;
	if (lig_unlikely(n_bufs > 1)) {
		b->total_length_not_including_first_buffer = len - n;
		for (u32 k = 1; k < n_bufs; k++) {
			u32 bi = r[--lig_afpacket_reserve.n];
			struct lig_buffer *c = lig_buffer_get(bi);
			src += n;
			len -= n;
			n = LIG_MIN(len, data_size);
			memcpy(c->data, src, n);
			c->current_length = (u16)n;
			prev->flags |= LIG_BUFFER_NEXT_PRESENT;
			prev->next_buffer = bi;
			prev = c;
		}
	}
	return head;
}

/* Puts an unused head buffer back into the reserve (its chain, if any, too). */
static inline void
lig_afpacket_unreserve(u32 bi)
{
	for (;;) {
		struct lig_buffer *b = lig_buffer_get(bi);
		u32 next = b->next_buffer;
		bool more = b->flags & LIG_BUFFER_NEXT_PRESENT;
		lig_buffer_reset(b);
		lig_afpacket_reserve.bis[lig_afpacket_reserve.n++] = bi;
		if (!more)
			break;
		bi = next;
	}
}

static inline void
lig_afpacket_rx_error(struct lig_node *node, struct lig_interface *ifp, u32 code)
{
	lig_node_count_error(node, code, 1);
	lig_counter_add(&lig_if_counters(ifp)->rx_errors, 1);
}

static const u32 lig_afpacket_vnet_error[] = {
    [LIG_VNET_RX_GSO] = LIG_AFPACKET_INPUT_ERROR_GSO,
    [LIG_VNET_RX_BAD_CSUM] = LIG_AFPACKET_INPUT_ERROR_BAD_CSUM_OFFSETS,
    [LIG_VNET_RX_BAD_GSO] = LIG_AFPACKET_INPUT_ERROR_BAD_GSO,
    [LIG_VNET_RX_BAD_HDR_LEN] = LIG_AFPACKET_INPUT_ERROR_BAD_HDR_LEN,
};

/*
 * Reads the whole copy of a frame its slot cut (TP_STATUS_COPY) from the socket into a
 * chain from the reserve (which holds LIG_AFPACKET_RX_COPY_MAX_BUFFERS): the virtio-net
 * header into *vh, the frame's length into *len. Returns the head, or LIG_INVALID_INDEX
 * when no copy was queued or it did not fit (the copy is gone either way).
 */
static u32
lig_afpacket_rx_copy(struct lig_afpacket_rxq *rxq, struct lig_vnet_hdr *vh, u32 *len)
{
	struct iovec iov[1 + LIG_AFPACKET_RX_COPY_MAX_BUFFERS];
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = LIG_ARRAY_LEN(iov)};
	u32 *r = lig_afpacket_reserve.bis, n = lig_afpacket_reserve.n;
	u32 data_size = lig_buffer_data_size();

	iov[0].iov_base = vh;
	iov[0].iov_len = sizeof(*vh);
	for (u32 k = 0; k < LIG_AFPACKET_RX_COPY_MAX_BUFFERS; k++) {
		iov[1 + k].iov_base = lig_buffer_get(r[n - 1 - k])->data;
		iov[1 + k].iov_len = data_size;
	}
	/* MSG_TRUNC: the real length, so a frame cut by our iovec is seen and refused. */
	ssize_t got = recvmsg(rxq->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (got < (ssize_t)sizeof(*vh) + 1 ||
	    (size_t)got > sizeof(*vh) + LIG_AFPACKET_RX_COPY_MAX_BUFFERS * (size_t)data_size)
		return LIG_INVALID_INDEX;
	u32 flen = (u32)got - (u32)sizeof(*vh);
	u32 n_bufs = lig_buffer_n_for(flen);
	u32 head = r[n - 1];
	struct lig_buffer *b = lig_buffer_get(head), *prev = b;
	b->current_length = (u16)LIG_MIN(flen, data_size);
	for (u32 k = 1; k < n_bufs; k++) {
		struct lig_buffer *c = lig_buffer_get(r[n - 1 - k]);
		c->current_length = (u16)LIG_MIN(flen - k * data_size, data_size);
		prev->flags |= LIG_BUFFER_NEXT_PRESENT;
		prev->next_buffer = r[n - 1 - k];
		prev = c;
	}
	if (n_bufs > 1)
		b->total_length_not_including_first_buffer = flen - b->current_length;
	lig_afpacket_reserve.n -= n_bufs;
	lig_counter_add(&rxq->rx_copies, 1);
	*len = flen;
	return head;
}

/* Reads up to budget frames of one rx queue into to[]; returns how many it produced and
 * adds ring frames it consumed without producing a buffer to *n_consumed. */
static u32
lig_afpacket_rx_queue(struct lig_node *node, struct lig_afpacket_rxq *rxq, u32 *to, u32 budget,
		      u32 *n_consumed)
{
	struct lig_afpacket_dev *dev = rxq->dev;
	struct lig_interface *ifp = lig_if_get(dev->sw_if_index);
	u32 n_to = 0, n_seen = 0;
	u64 n_bytes = 0;

	if (lig_unlikely(!ifp))
		return 0;
	while (n_seen < budget) {
		u8 *slot = rxq->rx_ring + (size_t)rxq->rx_head * dev->rx_frame_size;
		struct tpacket2_hdr *h = (void *)slot;
		struct lig_afpacket_pkt p;

		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		int rv = lig_afpacket_parse_frame(slot, dev->rx_frame_size, &p);
		/* A slot with TP_STATUS_COPY has the whole frame queued on the socket, in slot
		 * order: every such slot takes its copy off the queue, used or not. */
		bool copy = (h->tp_status & TP_STATUS_COPY) != 0;
		if (lig_unlikely(rv == LIG_AFPACKET_PKT_BAD_BOUNDS)) {
			lig_counter_add(&rxq->rx_bad_frames, 1);
			lig_afpacket_rx_error(node, ifp, LIG_AFPACKET_INPUT_ERROR_BAD_FRAME);
			goto discard;
		}
		if (rv == LIG_AFPACKET_PKT_OUTGOING) {
			/* Normally filtered by PACKET_IGNORE_OUTGOING already. */
			goto discard;
		}
		if (lig_unlikely(rv == LIG_AFPACKET_PKT_TRUNCATED && !copy)) {
			lig_afpacket_rx_error(node, ifp, LIG_AFPACKET_INPUT_ERROR_TRUNCATED);
			goto next;
		}
		u32 n_bufs = copy ? LIG_AFPACKET_RX_COPY_MAX_BUFFERS : lig_buffer_n_for(p.len);
		if (lig_unlikely(lig_afpacket_reserve_fill(n_bufs) < n_bufs)) {
			/* Leave the frame in the ring; the kernel drops behind it. */
			lig_node_count_error(node, LIG_AFPACKET_INPUT_ERROR_NO_BUFFERS, 1);
			break;
		}
		u32 bi;
		const struct lig_vnet_hdr *vnet = p.vnet;
		struct lig_vnet_hdr copy_vh;
		if (lig_unlikely(copy)) {
			bi = lig_afpacket_rx_copy(rxq, &copy_vh, &p.len);
			if (bi == LIG_INVALID_INDEX) {
				lig_afpacket_rx_error(node, ifp, LIG_AFPACKET_INPUT_ERROR_COPY);
				goto next;
			}
			vnet = &copy_vh;
		} else {
			if (lig_afpacket_reserve.n > n_bufs)
				lig_prefetch_store(lig_buffer_get(
				    lig_afpacket_reserve.bis[lig_afpacket_reserve.n - n_bufs - 1]));
			bi = lig_afpacket_copy_in(p.frame, p.len, n_bufs);
		}
		struct lig_buffer *b = lig_buffer_get(bi);
		rv = lig_vnet_hdr_to_buffer(vnet, b, p.len, b->current_length, true);
		if (lig_unlikely(rv != LIG_VNET_RX_OK)) {
			lig_afpacket_unreserve(bi);
			lig_afpacket_rx_error(node, ifp, lig_afpacket_vnet_error[rv]);
			goto next;
		}
		if (b->flags & LIG_BUFFER_GSO) {
			lig_counter_add(&rxq->rx_gso, 1);
			lig_counter_add(&rxq->rx_gso_bytes, p.len);
		}
		if (lig_unlikely((p.status & TP_STATUS_CSUMNOTREADY) &&
				 !(b->flags & LIG_BUFFER_CSUM_PARTIAL))) {
			lig_afpacket_unreserve(bi);
			lig_afpacket_rx_error(node, ifp, LIG_AFPACKET_INPUT_ERROR_CSUM_NO_OFFSETS);
			goto next;
		}
		b->sw_if_index[LIG_RX] = dev->sw_if_index;
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (lig_unlikely(node->trace_budget) && lig_trace_start(node, b)) {
			struct lig_ethernet_io_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				lig_afpacket_trace_fill(t, dev->sw_if_index, p.len, p.status,
							p.vnet, p.frame);
		}
		n_bytes += p.len;
		to[n_to++] = bi;
		goto next;
	discard:
		if (copy)
			recv(rxq->fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC);
	next:
		/* Give the slot back and move on. */
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		/* A relaxed store: show hardware-interfaces reads it beside this thread. */
		u32 rx_next = rxq->rx_head + 1;
		__atomic_store_n(&rxq->rx_head, rx_next == dev->rx_frame_count ? 0 : rx_next,
				 __ATOMIC_RELAXED);
		lig_counter_add(&rxq->rx_frames, 1);
		n_seen++;
		u8 *nslot = rxq->rx_ring + (size_t)rxq->rx_head * dev->rx_frame_size;
		lig_prefetch_load(nslot);
		lig_prefetch_load(nslot + LIG_CACHE_LINE);
	}
	lig_counter_add(&lig_if_counters(ifp)->rx_packets, n_to);
	lig_counter_add(&lig_if_counters(ifp)->rx_bytes, n_bytes);
	*n_consumed += n_seen - n_to;
	return n_to;
}

static void
lig_afpacket_kick(struct lig_node *node, struct lig_afpacket_dev *dev)
{
	lig_counter_add(&dev->tx_kicks, 1);
	dev->tx_queued = 0;
	if (lig_likely(sendto(dev->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)) {
		__atomic_store_n(&dev->tx_kick_pending, 0, __ATOMIC_RELAXED);
		return;
	}
	lig_counter_add(&dev->tx_kick_errors, 1);
	if (node)
		lig_node_count_error(node, LIG_AFPACKET_TX_ERROR_KICK, 1);
	/* Congestion: retry from the input node. Anything else (link down) waits for the
	 * next vector, so a dead link does not cost a syscall per loop. */
	__atomic_store_n(&dev->tx_kick_pending,
			 errno == EAGAIN || errno == ENOBUFS || errno == EINTR, __ATOMIC_RELAXED);
}

static u32
lig_afpacket_input_fn(struct lig_node *node, struct lig_frame *frame LIG_UNUSED)
{
	u32 to[LIG_AFPACKET_RX_BUDGET];
	u32 n_total = 0, n_consumed = 0;

	/* The rx queues placed on this thread (interface/rx_queue.h). */
	for (u32 i = 0; i < node->n_rxqs; i++) {
		struct lig_afpacket_rxq *rxq = node->rxqs[i].dev;
		struct lig_afpacket_dev *dev = rxq->dev;
		u32 n;

		if (lig_unlikely(__atomic_load_n(&dev->tx_kick_pending, __ATOMIC_RELAXED))) {
			if (lig_afpacket_tx_shared())
				lig_spinlock_lock(&dev->tx_lock);
			if (dev->tx_kick_pending)
				lig_afpacket_kick(NULL, dev);
			if (lig_afpacket_tx_shared())
				lig_spinlock_unlock(&dev->tx_lock);
		}
		n = lig_afpacket_rx_queue(node, rxq, to, LIG_AFPACKET_RX_BUDGET, &n_consumed);
		if (n)
			lig_enqueue_n(node, LIG_AFPACKET_INPUT_NEXT_ETHERNET_INPUT, to, n);
		n_total += n;
	}
	/* Frames dropped in the ring count as work: the loop keeps polling. */
	return n_total + n_consumed;
}

LIG_REGISTER_NODE(lig_afpacket_input_node) = {
    .name = "af-packet-input",
    .type = LIG_NODE_INPUT,
    .function = lig_afpacket_input_fn,
    .format_trace = lig_ethernet_io_format_rx_trace,
    .n_errors = LIG_AFPACKET_INPUT_N_ERROR,
    .error_strings = lig_afpacket_input_error_strings,
    .n_next_nodes = LIG_AFPACKET_INPUT_N_NEXT,
    .next_nodes = {[LIG_AFPACKET_INPUT_NEXT_ETHERNET_INPUT] = "ethernet-input"},
};

/* ---- af-packet-tx ---- */

/* Copies packet bi (a chain) into tx slot dst after its virtio-net header. */
static inline void
lig_afpacket_copy_out(u8 *dst, struct lig_buffer *b)
{
	for (;;) {
		memcpy(dst, lig_buffer_data(b), b->current_length);
		dst += b->current_length;
		if (lig_likely(!(b->flags & LIG_BUFFER_NEXT_PRESENT)))
			return;
		b = lig_buffer_get(b->next_buffer);
	}
}

/* Sends GSO packet b (a chain) with its virtio-net header through the device's
 * ringless socket: one syscall per super-frame of up to 64 KB. 0 or -errno. */
static int
lig_afpacket_send_gso(struct lig_afpacket_dev *dev, struct lig_buffer *b)
{
	struct iovec iov[1 + LIG_AFPACKET_GSO_MAX_BUFFERS];
	struct lig_vnet_hdr vh;
	struct msghdr mh = {.msg_iov = iov};
	u32 n = 1;

	lig_vnet_hdr_from_buffer(&vh, b);
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	for (struct lig_buffer *c = b;; c = lig_buffer_get(c->next_buffer)) {
		if (n == LIG_ARRAY_LEN(iov))
			return -E2BIG;
		iov[n].iov_base = lig_buffer_data(c);
		iov[n++].iov_len = c->current_length;
		if (!(c->flags & LIG_BUFFER_NEXT_PRESENT))
			break;
	}
	mh.msg_iovlen = n;
	if (sendmsg(dev->gso_fd, &mh, MSG_DONTWAIT) < 0)
		return -errno;
	lig_counter_add(&dev->tx_gso, 1);
	return 0;
}

static u32
lig_afpacket_tx_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u32 done[LIG_FRAME_SIZE], n_done = 0;
	struct lig_afpacket_dev *kick[LIG_FRAME_SIZE];
	u32 n_kick = 0;
	struct lig_afpacket_dev *dev = NULL, *locked = NULL;
	u32 last_sw = LIG_INVALID_INDEX;
	struct lig_interface *ifp = NULL;
	bool shared = lig_afpacket_tx_shared();

	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		if (b->sw_if_index[LIG_TX] != last_sw) {
			last_sw = b->sw_if_index[LIG_TX];
			ifp = lig_if_get(last_sw);
			dev = ifp && ifp->class == &lig_afpacket_class ? ifp->dev : NULL;
			if (shared && dev != locked) {
				/* Held for the run of packets to this device. */
				if (locked)
					lig_spinlock_unlock(&locked->tx_lock);
				locked = dev;
				if (dev)
					lig_spinlock_lock(&dev->tx_lock);
			}
		}
		if (lig_unlikely(!dev)) {
			lig_drop(node, from[i], LIG_AFPACKET_TX_ERROR_NO_DEVICE);
			continue;
		}
		u32 len = lig_buffer_length_in_chain(b);
		if (lig_unlikely(b->flags & LIG_BUFFER_GSO) && len > LIG_AFPACKET_TX_MAX_FRAME) {
			/* Larger than a ring slot: straight from the chain, after the frames
			 * already in the ring (kicked first, so the order holds). */
			if (dev->tx_queued)
				lig_afpacket_kick(node, dev);
			if (lig_afpacket_send_gso(dev, b) < 0) {
				lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
				lig_drop(node, from[i], LIG_AFPACKET_TX_ERROR_GSO_SEND);
				continue;
			}
			done[n_done++] = from[i];
			continue;
		}
		if (lig_unlikely(len > LIG_AFPACKET_TX_MAX_FRAME)) {
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, from[i], LIG_AFPACKET_TX_ERROR_TOO_BIG);
			continue;
		}
		u8 *slot = dev->tx_ring + (size_t)dev->tx_head * dev->tx_frame_size;
		struct tpacket2_hdr *h = (void *)slot;
		u32 status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		/* With PACKET_LOSS a bad frame is given back as AVAILABLE; WRONG_FORMAT
		 * would only appear without it. */
		if (lig_unlikely(status & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING))) {
			lig_counter_add(&dev->tx_ring_full, 1);
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, from[i], LIG_AFPACKET_TX_ERROR_RING_FULL);
			continue;
		}
		struct lig_vnet_hdr *vh = (void *)(slot + LIG_AFPACKET_TX_DATA_OFFSET);
		lig_vnet_hdr_from_buffer(vh, b);
		lig_afpacket_copy_out((u8 *)(vh + 1), b);
		h->tp_len = len + (u32)sizeof(*vh);
		h->tp_snaplen = h->tp_len;
		if (lig_buffer_is_traced(b)) {
			struct lig_ethernet_io_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				lig_afpacket_trace_fill(t, last_sw, len, dev->tx_head, vh,
							(const u8 *)(vh + 1));
		}
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		u32 tx_next = dev->tx_head + 1;
		__atomic_store_n(&dev->tx_head, tx_next == dev->tx_frame_count ? 0 : tx_next,
				 __ATOMIC_RELAXED);
		if (dev->tx_queued++ == 0)
			kick[n_kick++] = dev;
		done[n_done++] = from[i];
	}
	if (locked)
		lig_spinlock_unlock(&locked->tx_lock);
	/* One kick per interface per vector. */
	for (u32 k = 0; k < n_kick; k++) {
		if (shared)
			lig_spinlock_lock(&kick[k]->tx_lock);
		lig_afpacket_kick(node, kick[k]);
		if (shared)
			lig_spinlock_unlock(&kick[k]->tx_lock);
	}
	lig_buffer_free(done, n_done);
	return n;
}

LIG_REGISTER_NODE(lig_afpacket_tx_node) = {
    .name = "af-packet-tx",
    .function = lig_afpacket_tx_fn,
    .format_trace = lig_ethernet_io_format_tx_trace,
    .n_errors = LIG_AFPACKET_TX_N_ERROR,
    .error_strings = lig_afpacket_tx_error_strings,
};

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif datapath: memif-input copies packets out of every connected interface's rx
 * rings into buffer chains, memif-tx copies buffer chains into the peer's slots. Both
 * read each descriptor the peer wrote once, check it against the negotiated regions
 * before touching memory, and on a bad one stop using that interface and flag it; the
 * control plane then disconnects it. No allocation, lock or syscall per packet: buffers
 * come from a reserve refilled in bulk, and there is at most one eventfd write per burst.
 * Threads: memif-input on each thread polls the rx queues placed there; memif-tx uses the
 * thread's own tx queue, under that queue's lock only when workers outnumber tx queues
 * (memif.h).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "../ethernet/ethernet.h"
#include "../ethernet/ethernet_input.h"
#include "../infra/copy.h"
#include "../infra/log.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "memif.h"
#include "memif_ring.h"

enum {
	LIG_MEMIF_INPUT_NEXT_ETHERNET_INPUT,
	LIG_MEMIF_INPUT_NEXT_DROP,
	LIG_MEMIF_INPUT_NEXT_L2_INPUT, /* ethernet-input's work done here (ethernet_input.h) */
	LIG_MEMIF_INPUT_NEXT_OUTPUT,
	LIG_MEMIF_INPUT_N_NEXT,
};

#define foreach_lig_memif_input_error                                                              \
	_(BAD_DESC, "bad descriptor from peer (peer disconnected)")                                \
	_(BAD_RING, "ring index out of range (peer disconnected)")                                 \
	_(TOO_LONG, "packet longer than 65535 bytes")                                              \
	_(NO_BUFFERS, "no buffers (packets left in the ring)")                                     \
	_(NO_IP4, "ip mode packet but no ip4-input node")                                          \
	_(EMPTY, "zero-length packet")

enum {
#define _(sym, str) LIG_MEMIF_INPUT_ERROR_##sym,
	foreach_lig_memif_input_error
#undef _
	    LIG_MEMIF_INPUT_N_ERROR,
};

static const char *const lig_memif_input_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_memif_input_error
#undef _
};

#define foreach_lig_memif_tx_error                                                                 \
	_(RING_FULL, "peer ring full")                                                             \
	_(NOT_CONNECTED, "interface not connected")                                                \
	_(BAD_DESC, "bad descriptor from peer (peer disconnected)")                                \
	_(NO_DEVICE, "tx interface is not a memif")

enum {
#define _(sym, str) LIG_MEMIF_TX_ERROR_##sym,
	foreach_lig_memif_tx_error
#undef _
	    LIG_MEMIF_TX_N_ERROR,
};

static const char *const lig_memif_tx_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_memif_tx_error
#undef _
};

/* Longest descriptor chain accepted for one packet. */
#define LIG_MEMIF_MAX_CHAIN 256
#define LIG_MEMIF_RX_BURST LIG_FRAME_SIZE
/* Bytes one poll of a ring takes at most (the packet that crosses it still goes), once it
 * has LIG_MEMIF_RX_BURST_MIN packets: 256 jumbo frames are 2.3 MB, more than a core's
 * L2, so memif-tx would read back from L3 what memif-input just wrote. 128 KiB is 88
 * frames of 1500 bytes; small frames are still limited by the packet count alone. The
 * floor of 32 packets (288 KB of 9000-byte frames, a DPDK burst): with the 15 jumbo
 * frames the bytes alone allowed, 9000 B xconnect took 6 % more clocks per packet in
 * both of the host's states (docs/PERFORMANCE.md; the ring index reads per poll were not
 * it: reading them only when the known slots ran out changed nothing). */
#define LIG_MEMIF_RX_BURST_BYTES (128u << 10)
#define LIG_MEMIF_RX_BURST_MIN 32
#define LIG_MEMIF_STASH 1024
#define LIG_MEMIF_ADAPTIVE_IDLE 64

/* Whether a poll that took n_pkts packets of n_bytes in all may take another. */
static inline bool
lig_memif_rx_more(u32 n_pkts, u32 n_bytes)
{
	return n_pkts < LIG_MEMIF_RX_BURST &&
	       (n_bytes < LIG_MEMIF_RX_BURST_BYTES || n_pkts < LIG_MEMIF_RX_BURST_MIN);
}

struct lig_memif_trace {
	u32 sw_if_index;
	u16 queue;
	u16 slot;
	u32 length;
	u32 n_buffers; /* ligd buffers the frame is in (a chain when more than one) */
	u8 frame[64];
};

static void
lig_memif_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_memif_trace *t = record;
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);

	lig_str_printf(s, "%s: queue %u slot %u length %u buffers %u\n    ",
		       ifp ? ifp->name : "(deleted)", t->queue, t->slot, t->length, t->n_buffers);
	lig_format_ethernet_header(s, t->frame, LIG_MIN(t->length, (u32)sizeof(t->frame)));
}

/* Records a traced frame (b, index bi) and the ring slot it came from or went to. */
static void
lig_memif_trace_frame(struct lig_node *node, const struct lig_memif_if *mif, u32 qid, u16 slot,
		      u32 bi, struct lig_buffer *b)
{
	struct lig_memif_trace *t = lig_trace_add_record(node, b, sizeof(*t));

	if (!t)
		return;
	t->sw_if_index = mif->sw_if_index;
	t->queue = (u16)qid;
	t->slot = slot;
	t->length = lig_buffer_length_in_chain(b);
	t->n_buffers = lig_buffer_chain_count(b);
	lig_buffer_copy_out(bi, 0, t->frame, sizeof(t->frame));
}

/* Buffers the input node copies into, refilled in bulk; one reserve per thread, in static
 * storage so that main can give them all back (lig_memif_release_buffers). */
struct lig_memif_stash {
	u32 bi[LIG_MEMIF_STASH];
	u32 n;
};
static struct lig_memif_stash lig_memif_stashes[LIG_THREAD_MAX];

/* This thread's reserve: taken once per poll and passed down, not looked up per packet
 * (a thread-local index, then loads the compiler cannot keep across the buffer stores). */
static inline struct lig_memif_stash *
lig_memif_stash_self(void)
{
	return &lig_memif_stashes[lig_thread_index];
}

void
lig_memif_release_buffers(void)
{
	/* Only the threads that exist: the other slots were never written, and touching
	 * them would fault their zero pages in, under the barrier. */
	for (u32 t = 0; t < lig_n_threads; t++) {
		if (lig_memif_stashes[t].n == 0)
			continue;
		for (u32 i = 0; i < lig_memif_stashes[t].n; i++)
			lig_buffer_reset(lig_buffer_get(lig_memif_stashes[t].bi[i]));
		lig_buffer_free(lig_memif_stashes[t].bi, lig_memif_stashes[t].n);
		lig_memif_stashes[t].n = 0;
	}
}

static u32 lig_memif_ip4_next = LIG_INVALID_INDEX;

static __attribute__((noinline)) bool
lig_memif_stash_refill(struct lig_memif_stash *st, u32 need)
{
	/* Top up to the need plus a poll's bytes of buffers (64 of 2048 bytes, 12 of 10240),
	 * not to the brim: the buffers come from the top of the thread's LIFO cache (freed
	 * last by memif-tx, still in this core's cache), so the buffers in use cycle through
	 * a few hundred KB instead of the whole stash's 2 MB (cachegrind with a 512 KB last
	 * level, 1500 B xconnect: 50 -> 32 write misses per packet; see docs/PERFORMANCE.md,
	 * memif with worker threads). A margin of 64 jumbo buffers was 650 KB more. */
	u32 margin = LIG_MAX(LIG_MEMIF_RX_BURST_BYTES / lig_buffer_data_size(), 8u);
	u32 want = LIG_MIN(LIG_MEMIF_STASH, need + margin) - st->n;
	st->n += lig_buffer_alloc_noinit(st->bi + st->n, want);
	return st->n >= need;
}

/* Whether the reserve holds need buffers, after a refill if it did not (the refill out of
 * line: GCC did not inline the whole, which made every packet a call). */
static inline bool
lig_memif_stash_ensure(struct lig_memif_stash *st, u32 need)
{
	return lig_likely(st->n >= need) || lig_memif_stash_refill(st, need);
}

/* A buffer of the reserve, reset: the stash holds them as their last owner left them
 * (lig_buffer_alloc_noinit), so each header is written once, as it is filled. */
static inline u32
lig_memif_stash_get(struct lig_memif_stash *st)
{
	u32 bi = st->bi[--st->n];
	lig_buffer_reset(lig_buffer_get(bi));
	return bi;
}

static inline bool
lig_memif_failed(const struct lig_memif_if *mif)
{
	return __atomic_load_n(&mif->peer_error_pending, __ATOMIC_RELAXED) != 0;
}

/* A fault count shared by the threads (memif.h). */
static inline void
lig_memif_count(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void
lig_memif_flag_error(struct lig_memif_if *mif, const char *what, int code)
{
	u8 expected = 0;

	/* The first thread to find a fault writes the reason; main reads it under the
	 * barrier, after this thread parked. */
	if (!__atomic_compare_exchange_n(&mif->peer_error_pending, &expected, 1, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	snprintf(mif->pending_reason, sizeof(mif->pending_reason), "%s%s%s", what, code ? ": " : "",
		 code ? lig_memif_desc_error_str(code) : "");
}

/* memcpy for frames: 32 to 128 bytes (minimum-size frames and the like) in two
 * overlapping fixed-size moves, inline, without libc's call and size dispatch: at 64
 * bytes that was 13 % of the bridge's clocks per packet (docs/PERFORMANCE.md). */
static inline void
lig_memif_copy(void *dst, const void *src, u32 len)
{
	u8 *d = dst;
	const u8 *s = src;

	if (len - 32 <= 32) {
		memcpy(d, s, 32);
		memcpy(d + len - 32, s + len - 32, 32);
	} else if (len - 64 <= 64) {
		memcpy(d, s, 64);
		memcpy(d + len - 64, s + len - 64, 64);
	} else {
		lig_copy(d, s, len);
	}
}

/*
 * Copies the first n bytes (n >= LIG_COPY_LARGE_MIN) of a jumbo frame out of a ring slot,
 * its first line last. A peer that rewrites only the headers of frames in its slots
 * (lig-memif-gen -z; a libmemif sender reusing its buffers in place) leaves that line in
 * its own core's cache, the rest of the frame in ours. Read first, it stalled the copy
 * behind the cross-core fetch, which a software prefetch did not start early; read last,
 * the fetch overlaps the rest of the copy and the next frame's. 9000 B xconnect, the CPUs
 * on cores without a shared cache: 1.76 -> 2.03 Mpps (docs/PERFORMANCE.md). At 1500 B it
 * cost 5 %: not used below 4 KiB.
 */
static inline void
lig_memif_copy_head_last(u8 *dst, const u8 *src, u32 n)
{
	lig_copy(dst + 64, src + 64, n - 64);
	memcpy(dst, src, 64);
}

/* Copies a frame's first n bytes out of a slot: jumbo ones with their first line last. */
static inline void
lig_memif_copy_frame_start(u8 *dst, const u8 *src, u32 n)
{
	if (n >= LIG_COPY_LARGE_MIN)
		lig_memif_copy_head_last(dst, src, n);
	else
		lig_memif_copy(dst, src, n);
}

/* Copies one checked descriptor chain into a buffer chain; returns the head. The caller
 * made sure the stash holds enough buffers. */
static u32
lig_memif_copy_in(struct lig_memif_stash *st, const struct lig_memif_conn *c,
		  const struct lig_memif_desc *descs, u32 n_descs, u32 total)
{
	u32 head = lig_memif_stash_get(st);
	struct lig_buffer *first = lig_buffer_get(head), *b = first;
	u32 off = 0, data_size = lig_buffer_data_size();

	/* One slot into one buffer, the common case, without the walk below. */
	if (lig_likely(n_descs == 1 && total <= data_size)) {
		lig_memif_copy_frame_start(
		    first->data, c->regions[descs[0].region].base + descs[0].offset, total);
		first->current_length = (u16)total;
		return head;
	}

	for (u32 i = 0; i < n_descs; i++) {
		const u8 *src = c->regions[descs[i].region].base + descs[i].offset;
		u32 len = descs[i].length;
		while (len) {
			if (off == data_size) {
				u32 nbi = lig_memif_stash_get(st);
				b->flags |= LIG_BUFFER_NEXT_PRESENT;
				b->next_buffer = nbi;
				b = lig_buffer_get(nbi);
				off = 0;
			}
			u32 n = LIG_MIN(len, data_size - off);
			if (b == first && off == 0)
				lig_memif_copy_frame_start(b->data, src, n);
			else
				lig_memif_copy(b->data + off, src, n);
			b->current_length = (u16)(off + n);
			off += n;
			src += n;
			len -= n;
		}
	}
	if (b != first)
		first->total_length_not_including_first_buffer = total - first->current_length;
	return head;
}

/*
 * What one poll of a ring received, sorted as it arrives. Frames of an L2 port go where
 * ethernet-input would send them, checked right after their copy, while header and data
 * are in this core's L1 (ethernet_input.h: one definition of the checks); frames that
 * fail, and everything of other ports (and, while the node traces, the whole poll, so
 * that traces show ethernet-input), go through ethernet-input.
 */
struct lig_memif_rx_batch {
	struct lig_eth_rx rx;
	enum lig_eth_direct kind; /* NONE: to[] goes the mode's usual way */
	u32 n_to, n_eth;
	u32 to[LIG_MEMIF_RX_BURST];
	u32 eth[LIG_MEMIF_RX_BURST]; /* failed the checks: ethernet-input drops and counts */
};

static inline void
lig_memif_rx_batch_init(struct lig_memif_rx_batch *rb, const struct lig_memif_if *mif, bool tracing)
{
	rb->n_to = rb->n_eth = 0;
	rb->kind = LIG_ETH_DIRECT_NONE;
	if (mif->mode == LIG_MEMIF_MODE_ETHERNET && !tracing) {
		lig_eth_rx_load(&rb->rx, mif->sw_if_index);
		rb->kind = lig_eth_direct_kind(&rb->rx);
	}
}

static inline void
lig_memif_rx_batch_add(struct lig_memif_rx_batch *rb, u32 bi, struct lig_buffer *b)
{
	u32 error;

	if (rb->kind == LIG_ETH_DIRECT_NONE) {
		rb->to[rb->n_to++] = bi;
	} else if (lig_likely(lig_eth_frame_check(b, &rb->rx, &error))) {
		lig_eth_direct_set(b, &rb->rx, rb->kind);
		rb->to[rb->n_to++] = bi;
	} else {
		rb->eth[rb->n_eth++] = bi;
	}
}

/* Hands what one poll of a ring received to the next nodes, counting it. */
static void
lig_memif_rx_deliver(struct lig_node *node, struct lig_memif_if *mif, struct lig_memif_rx_batch *rb,
		     u32 n_bytes)
{
	u32 n = rb->n_to;

	if (n + rb->n_eth == 0)
		return;
	struct lig_interface *ifp = lig_if_get(mif->sw_if_index);
	lig_counter_add(&lig_if_counters(ifp)->rx_packets, n + rb->n_eth);
	lig_counter_add(&lig_if_counters(ifp)->rx_bytes, n_bytes);
	if (rb->kind != LIG_ETH_DIRECT_NONE)
		lig_enqueue_n(node,
			      rb->kind == LIG_ETH_DIRECT_L2_INPUT ? LIG_MEMIF_INPUT_NEXT_L2_INPUT
								  : LIG_MEMIF_INPUT_NEXT_OUTPUT,
			      rb->to, n);
	else if (lig_likely(mif->mode == LIG_MEMIF_MODE_ETHERNET))
		lig_enqueue_n(node, LIG_MEMIF_INPUT_NEXT_ETHERNET_INPUT, rb->to, n);
	else if (lig_memif_ip4_next != LIG_INVALID_INDEX) {
		for (u32 i = 0; i < n; i++)
			lig_buffer_get(rb->to[i])->l3_hdr_offset =
			    lig_buffer_get(rb->to[i])->current_data;
		lig_enqueue_n(node, lig_memif_ip4_next, rb->to, n);
	} else {
		for (u32 i = 0; i < n; i++)
			lig_drop(node, rb->to[i], LIG_MEMIF_INPUT_ERROR_NO_IP4);
	}
	if (rb->n_eth)
		lig_enqueue_n(node, LIG_MEMIF_INPUT_NEXT_ETHERNET_INPUT, rb->eth, rb->n_eth);
}

/* Polls one rx ring; returns packets received. */
static u32
lig_memif_rx_ring(struct lig_node *node, struct lig_memif_if *mif, u32 qid)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_memif_queue *q = lig_memif_rx_queue(c, qid);
	struct lig_memif_ring *ring = q->ring;
	struct lig_memif_stash *st = lig_memif_stash_self();
	const u16 mask = q->mask; /* (a local: stores into buffers could alias q) */
	struct lig_memif_desc descs[LIG_MEMIF_MAX_CHAIN];
	struct lig_memif_rx_batch rb;
	u32 n_pkts = 0, n_bytes = 0;
	u16 cur = q->last;
	u16 n_slots = lig_memif_ring_rx_ready(c, q);
	u32 max_len = lig_memif_is_master(c) ? LIG_MEMIF_MAX_BUFFER_SIZE : c->buffer_size;
	bool tracing = node->trace_budget != 0; /* before this poll starts traces */

	if (n_slots == 0) {
		if (mif->rx_mode == LIG_MEMIF_RX_MODE_ADAPTIVE &&
		    ++mif->adaptive_idle[qid] == LIG_MEMIF_ADAPTIVE_IDLE)
			lig_memif_ring_mask_int(ring, false); /* ask for interrupts */
		return 0;
	}
	if (lig_unlikely(n_slots > q->size)) {
		lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_BAD_RING, 1);
		lig_memif_flag_error(mif, "rx ring index beyond ring size", 0);
		return 0;
	}
	if (mif->rx_mode == LIG_MEMIF_RX_MODE_ADAPTIVE) {
		mif->adaptive_idle[qid] = 0;
		lig_memif_ring_mask_int(ring, true); /* busy: we poll */
	}
	lig_memif_rx_batch_init(&rb, mif, tracing);

	while (n_slots && lig_memif_rx_more(n_pkts, n_bytes)) {
		u32 total, used;
		/* The ring and the peer's data a few slots ahead, the next buffer header. */
		lig_prefetch_load((const void *)&ring->desc[(u16)(cur + 16) & mask]);
		if (n_slots > 8)
			lig_memif_ring_prefetch_data(c, q, (u16)(cur + 8), false);
		if (st->n > 1)
			lig_prefetch_store(lig_buffer_get(st->bi[st->n - 2]));
		int rv = lig_memif_chain_check(ring, mask, cur, n_slots, c->regions, c->n_regions,
					       max_len, descs, LIG_MEMIF_MAX_CHAIN, &total, &used);
		if (lig_unlikely(rv == LIG_MEMIF_CHAIN_TOO_LONG || (rv > 0 && total == 0))) {
			lig_node_count_error(node,
					     total ? LIG_MEMIF_INPUT_ERROR_TOO_LONG
						   : LIG_MEMIF_INPUT_ERROR_EMPTY,
					     1);
			if (total)
				lig_memif_count(&mif->counters.rx_too_long, 1);
			cur = (u16)(cur + used);
			n_slots = (u16)(n_slots - used);
			continue;
		}
		if (lig_unlikely(rv < 0)) {
			lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_BAD_DESC, 1);
			lig_memif_count(&mif->counters.bad_desc, 1);
			lig_memif_flag_error(mif, "rx", rv);
			break;
		}
		/* (by the smallest buffer size: a shift, not a division per packet) */
		if (lig_unlikely(
			!lig_memif_stash_ensure(st, total / LIG_BUFFER_MIN_DATA_SIZE + 1))) {
			lig_memif_count(&mif->counters.rx_no_buffer, 1);
			lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_NO_BUFFERS, 1);
			break; /* the packet stays in the ring for the next poll */
		}
		u32 bi = lig_memif_copy_in(st, c, descs, used, total);
		struct lig_buffer *b = lig_buffer_get(bi);
		b->sw_if_index[LIG_RX] = mif->sw_if_index;
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (lig_unlikely(node->trace_budget) && lig_trace_start(node, b))
			lig_memif_trace_frame(node, mif, qid, cur & mask, bi, b);
		lig_memif_rx_batch_add(&rb, bi, b);
		n_pkts++;
		n_bytes += total;
		cur = (u16)(cur + used);
		n_slots = (u16)(n_slots - used);
	}

	/* Give the slots back: the master moves tail, the slave re-posts buffers. */
	if (lig_unlikely(lig_memif_ring_rx_release(c, q, cur) < 0)) {
		lig_memif_flag_error(mif, "rx ring head moved by the master", 0);
		q->last = cur;
	}
	lig_counter_add(&q->packets, n_pkts);
	lig_counter_add(&q->bytes, n_bytes);
	lig_memif_rx_deliver(node, mif, &rb, n_bytes);
	return n_pkts;
}

/*
 * Zero-copy slave rx: the master wrote each packet into buffers of ours posted in the
 * ring's slots (mif->zc_slots[LIG_RX]); they become the packet as they are, and fresh
 * buffers from the reserve take their slots. Only each descriptor's length and flags are
 * read from shared memory (once); which buffer a slot holds is ligd's own record. A length
 * beyond a buffer, a chain that does not end, or an index out of range disconnect the
 * peer; an empty or oversized packet is dropped and its buffers posted again.
 */
static u32
lig_memif_rx_ring_zc(struct lig_node *node, struct lig_memif_if *mif, u32 qid)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_memif_queue *q = lig_memif_rx_queue(c, qid);
	struct lig_memif_ring *ring = q->ring;
	struct lig_memif_stash *st = lig_memif_stash_self();
	u32 *slots = mif->zc_slots[LIG_RX][qid];
	struct lig_memif_rx_batch rb;
	u32 lens[LIG_MEMIF_MAX_CHAIN];
	u32 n_pkts = 0, n_bytes = 0, data_size = lig_buffer_data_size();
	u16 cur = q->last;
	u16 n_slots = lig_memif_ring_rx_ready(c, q);
	bool tracing = node->trace_budget != 0;

	if (n_slots == 0) {
		if (mif->rx_mode == LIG_MEMIF_RX_MODE_ADAPTIVE &&
		    ++mif->adaptive_idle[qid] == LIG_MEMIF_ADAPTIVE_IDLE)
			lig_memif_ring_mask_int(ring, false);
		return 0;
	}
	if (lig_unlikely(n_slots > q->size || !slots)) {
		lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_BAD_RING, 1);
		lig_memif_flag_error(mif, "rx ring index beyond ring size", 0);
		return 0;
	}
	if (mif->rx_mode == LIG_MEMIF_RX_MODE_ADAPTIVE) {
		mif->adaptive_idle[qid] = 0;
		lig_memif_ring_mask_int(ring, true);
	}
	lig_memif_rx_batch_init(&rb, mif, tracing);
	while (n_slots && lig_memif_rx_more(n_pkts, n_bytes)) {
		u32 total = 0;
		/* The header of a buffer a few slots ahead: the master wrote only its data, so
		 * its metadata line is cold (the ring's buffers cycle through the whole ring). */
		lig_prefetch_load((const void *)&ring->desc[(u16)(cur + 4) & q->mask]);
		lig_prefetch_store(lig_buffer_get(slots[(u16)(cur + 4) & q->mask]));
		/* Length and flags only, each read once; region and offset are not read at
		 * all (the buffer is the slot's own, zc_slots). */
		int rv = lig_memif_zc_chain_check(ring, q->mask, cur, n_slots, data_size, lens,
						  LIG_MEMIF_MAX_CHAIN, &total);
		if (lig_unlikely(rv < 0)) {
			lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_BAD_DESC, 1);
			lig_memif_count(&mif->counters.bad_desc, 1);
			lig_memif_flag_error(mif, "zero-copy rx", rv);
			break;
		}
		u32 used = (u32)rv;
		if (lig_unlikely(total == 0 || total > LIG_MEMIF_MAX_PACKET)) {
			/* Dropped: its buffers stay in their slots and are posted again. */
			lig_node_count_error(node,
					     total ? LIG_MEMIF_INPUT_ERROR_TOO_LONG
						   : LIG_MEMIF_INPUT_ERROR_EMPTY,
					     1);
			if (total)
				lig_memif_count(&mif->counters.rx_too_long, 1);
			cur = (u16)(cur + used);
			n_slots = (u16)(n_slots - used);
			continue;
		}
		if (lig_unlikely(!lig_memif_stash_ensure(st, used))) {
			lig_memif_count(&mif->counters.rx_no_buffer, 1);
			lig_node_count_error(node, LIG_MEMIF_INPUT_ERROR_NO_BUFFERS, 1);
			break; /* the packet stays in the ring for the next poll */
		}
		/* The slots' buffers become the packet; fresh ones take their place. */
		u32 head = LIG_INVALID_INDEX;
		struct lig_buffer *prev = NULL, *first = NULL;
		for (u32 k = 0; k < used; k++) {
			u16 sl = (u16)(cur + k) & q->mask;
			u32 bi = slots[sl];
			struct lig_buffer *b = lig_buffer_get(bi);
			slots[sl] = lig_memif_stash_get(st);
			lig_buffer_reset(b); /* nothing the peer wrote into metadata survives */
			b->current_length = (u16)lens[k];
			if (prev) {
				prev->flags |= LIG_BUFFER_NEXT_PRESENT;
				prev->next_buffer = bi;
			} else {
				head = bi;
				first = b;
			}
			prev = b;
		}
		if (used > 1)
			first->total_length_not_including_first_buffer =
			    total - first->current_length;
		first->sw_if_index[LIG_RX] = mif->sw_if_index;
		first->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (lig_unlikely(node->trace_budget) && lig_trace_start(node, first))
			lig_memif_trace_frame(node, mif, qid, cur & q->mask, head, first);
		lig_memif_rx_batch_add(&rb, head, first);
		n_pkts++;
		n_bytes += total;
		cur = (u16)(cur + used);
		n_slots = (u16)(n_slots - used);
	}
	/* Post the slots given back, each with the buffer it now holds, from the head ligd
	 * wrote last (its own record: a head the master rewrote is never read back). */
	u16 hd = mif->zc_rx_head[qid], end = (u16)(cur + q->size);
	for (; hd != end; hd++) {
		u16 sl = hd & q->mask;
		struct lig_memif_desc *d = &ring->desc[sl];
		d->flags = 0;
		d->region = 1;
		d->offset = lig_memif_zc_offset(slots[sl], 0);
		d->length = data_size;
	}
	if (hd != mif->zc_rx_head[qid]) {
		mif->zc_rx_head[qid] = hd;
		lig_memif_store_release(&ring->head, hd);
	}
	q->last = cur;
	lig_counter_add(&q->packets, n_pkts);
	lig_counter_add(&q->bytes, n_bytes);
	lig_memif_rx_deliver(node, mif, &rb, n_bytes);
	return n_pkts;
}

static u32
lig_memif_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	struct lig_memif_if *failed[8];
	u32 n_failed = 0, n = 0;
	(void)frame;

	/* The rx queues placed on this thread (interface/rx_queue.h). */
	for (u32 k = 0; k < node->n_rxqs; k++) {
		struct lig_memif_if *mif = node->rxqs[k].dev;
		if (lig_memif_failed(mif))
			continue;
		n += mif->zero_copy ? lig_memif_rx_ring_zc(node, mif, node->rxqs[k].queue_id)
				    : lig_memif_rx_ring(node, mif, node->rxqs[k].queue_id);
		if (lig_memif_failed(mif) && n_failed < LIG_ARRAY_LEN(failed))
			failed[n_failed++] = mif;
	}
	/* Disconnect after the walk: it edits the rx queues (node->rxqs). */
	for (u32 i = 0; i < n_failed; i++)
		lig_memif_request_disconnect(failed[i]);
	return n;
}

void
lig_memif_rx_int(void *ctx, u32 events)
{
	u64 v;

	(void)events;
	/* Draining is all: the wakeup makes the thread poll memif-input. */
	if (read((int)(intptr_t)ctx, &v, sizeof(v)) < 0) {
		/* spurious */
	}
}

LIG_REGISTER_NODE(lig_memif_input_node) = {
    .name = "memif-input",
    .type = LIG_NODE_INPUT,
    .function = lig_memif_input_fn,
    .format_trace = lig_memif_format_trace,
    .n_errors = LIG_MEMIF_INPUT_N_ERROR,
    .error_strings = lig_memif_input_error_strings,
    .n_next_nodes = LIG_MEMIF_INPUT_N_NEXT,
    .next_nodes =
	{
	    [LIG_MEMIF_INPUT_NEXT_ETHERNET_INPUT] = "ethernet-input",
	    [LIG_MEMIF_INPUT_NEXT_DROP] = "error-drop",
	    [LIG_MEMIF_INPUT_NEXT_L2_INPUT] = "l2-input",
	    [LIG_MEMIF_INPUT_NEXT_OUTPUT] = "interface-output",
	},
};

/* The peer gave a descriptor that fails lig_memif_desc_check: counted, and the
 * interface goes down with the reason. */
static void
lig_memif_tx_bad_desc(struct lig_node *node, struct lig_memif_if *mif, int rv)
{
	lig_memif_count(&mif->counters.bad_desc, 1);
	lig_node_count_error(node, LIG_MEMIF_TX_ERROR_BAD_DESC, 1);
	lig_memif_flag_error(mif, "tx", rv);
}

/* One frame (or one slot's part of it) into a peer's slot: small ones inline, those of
 * LIG_COPY_STREAM_MIN bytes or more with the stores the tx queue's choice picks. */
static inline void
lig_memif_tx_copy(struct lig_copy_burst *copies, struct lig_copy_choice *choice, u8 *dst,
		  const u8 *src, u32 len)
{
	if (len < LIG_COPY_STREAM_MIN)
		lig_memif_copy(dst, src, len);
	else
		lig_copy_burst_large(copies, choice, dst, src, len);
}

/* Copies packets bis[0..n) into tx ring qid of mif; returns how many went out, the rest
 * (from the returned index on) did not fit or the peer misbehaved. */
static u32
lig_memif_tx_ring(struct lig_node *node, struct lig_memif_if *mif, u32 qid, const u32 *bis, u32 n)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_memif_queue *q = lig_memif_tx_queue(c, qid);
	struct lig_memif_ring *ring = q->ring;
	const u16 mask = q->mask; /* (a local: stores into slots could alias q) */
	u16 slot = q->last, n_free = lig_memif_ring_tx_free(c, q);
	u32 done = 0, n_bytes = 0;
	struct lig_copy_burst copies = {.stores = lig_memif_main.tx_stores};

	if (lig_unlikely(n_free > q->size)) {
		lig_memif_flag_error(mif, "tx ring index beyond ring size", 0);
		return 0;
	}

	for (; done < n; done++) {
		struct lig_buffer *b = lig_buffer_get(bis[done]);
		if (done + 2 < n)
			lig_prefetch_load(lig_buffer_get(bis[done + 2]));
		if (done + 1 < n)
			lig_prefetch_load(lig_buffer_data(lig_buffer_get(bis[done + 1])));
		/* The peer's descriptors and slots ahead (one slot per packet assumed), for
		 * writing: both were last written on the peer's core. */
		lig_prefetch_store(&ring->desc[(u16)(slot + 16) & mask]);
		if (done + 8 < n && n_free > 8)
			lig_memif_ring_prefetch_data(c, q, (u16)(slot + 8), true);
		if (lig_buffer_is_traced(b))
			lig_memif_trace_frame(node, mif, qid, slot & mask, bis[done], b);
		if (lig_unlikely(b->flags & LIG_BUFFER_CSUM_PARTIAL) &&
		    !(b->flags & LIG_BUFFER_NEXT_PRESENT))
			lig_buffer_csum_finish(b);
		struct lig_memif_desc d;
		/* One buffer into one slot, the common case, without the chain walk below
		 * (which also takes what this does not: chains, frames over a slot). */
		if (lig_likely(!(b->flags & LIG_BUFFER_NEXT_PRESENT) && n_free)) {
			u32 len = b->current_length;
			int rv = lig_memif_ring_tx_slot(c, q, slot, &d);
			if (lig_unlikely(rv < 0)) {
				lig_memif_tx_bad_desc(node, mif, rv);
				goto out;
			}
			if (lig_likely(len && len <= d.length)) {
				struct lig_memif_desc *rd = &ring->desc[slot & mask];
				lig_memif_tx_copy(&copies, &mif->tx_copy[qid],
						  c->regions[d.region].base + d.offset,
						  lig_buffer_data(b), len);
				rd->length = len;
				rd->flags = 0;
				slot++;
				n_free--;
				n_bytes += len;
				continue;
			}
		}
		u16 start = slot, avail = n_free;
		u32 room = 0, doff = 0, plen = 0;
		u8 *dst = NULL;
		bool fits = true;

		for (;;) {
			const u8 *src = lig_buffer_data(b);
			u32 len = b->current_length;
			while (len) {
				if (room == 0) {
					if (dst) { /* close the full slot, chain on */
						ring->desc[(u16)(slot - 1) & mask].flags =
						    LIG_MEMIF_DESC_FLAG_NEXT;
					}
					if (avail == 0) {
						fits = false;
						break;
					}
					int rv = lig_memif_ring_tx_slot(c, q, slot, &d);
					if (lig_unlikely(rv < 0)) {
						lig_memif_tx_bad_desc(node, mif, rv);
						slot = start;
						goto out;
					}
					dst = c->regions[d.region].base + d.offset;
					room = d.length;
					doff = 0;
					slot++;
					avail--;
				}
				u32 k = LIG_MIN(len, room);
				lig_memif_tx_copy(&copies, &mif->tx_copy[qid], dst + doff, src, k);
				doff += k;
				room -= k;
				src += k;
				len -= k;
				plen += k;
				ring->desc[(u16)(slot - 1) & mask].length = doff;
			}
			if (!fits || !(b->flags & LIG_BUFFER_NEXT_PRESENT))
				break;
			b = lig_buffer_get(b->next_buffer);
		}
		if (!fits) {
			slot = start; /* the partial copy is not published */
			break;
		}
		if (dst)
			ring->desc[(u16)(slot - 1) & mask].flags = 0;
		n_free = avail;
		n_bytes += plen;
	}
out:
	lig_copy_burst_end(&copies, &mif->tx_copy[qid]);
	if (slot != q->last) {
		lig_counter_add(&q->packets, done);
		lig_counter_add(&q->bytes, n_bytes);
	}
	/* One wakeup per burst, and only for a peer that sleeps. */
	lig_memif_ring_tx_publish(c, q, slot);
	return done;
}

/*
 * Zero-copy slave tx: descriptors point into the packets' own buffers (region 1), one per
 * buffer of a chain; the ring holds the packet (mif->zc_slots[LIG_TX], at its last slot)
 * until the master's tail has passed it, then it is freed. Returns how many of bis[0..n)
 * went into the ring (the ring owns them now); the rest did not fit.
 */
static u32
lig_memif_tx_ring_zc(struct lig_node *node, struct lig_memif_if *mif, u32 qid, const u32 *bis,
		     u32 n)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_memif_queue *q = lig_memif_tx_queue(c, qid);
	struct lig_memif_ring *ring = q->ring;
	u32 *slots = mif->zc_slots[LIG_TX][qid];
	u16 tail = lig_memif_load_acquire(&ring->tail), slot = q->last;
	u32 done = 0, n_bytes = 0;

	/* What the master has read since the last call goes back to the pool. */
	if (lig_unlikely(!slots || (u16)(tail - mif->zc_reclaim[qid]) > q->size ||
			 (u16)(slot - tail) > q->size)) {
		lig_memif_flag_error(mif, "tx ring index beyond ring size", 0);
		return 0;
	}
	u32 freed[LIG_FRAME_SIZE], n_freed = 0;
	for (u16 s = mif->zc_reclaim[qid]; s != tail; s++) {
		u32 *p = &slots[s & q->mask];
		if (*p == LIG_INVALID_INDEX)
			continue;
		freed[n_freed++] = *p;
		*p = LIG_INVALID_INDEX;
		if (n_freed == LIG_ARRAY_LEN(freed)) {
			lig_buffer_free(freed, n_freed);
			n_freed = 0;
		}
	}
	lig_buffer_free(freed, n_freed);
	mif->zc_reclaim[qid] = tail;

	u16 n_free = (u16)(q->size - (u16)(slot - tail));
	for (; done < n; done++) {
		struct lig_buffer *b = lig_buffer_get(bis[done]);
		u32 k = lig_buffer_chain_count(b);
		if (k > n_free || k > LIG_MEMIF_MAX_CHAIN)
			break; /* ring full (a chain longer than any ring: dropped by the caller) */
		if (lig_unlikely(b->flags & LIG_BUFFER_CSUM_PARTIAL) &&
		    !(b->flags & LIG_BUFFER_NEXT_PRESENT))
			lig_buffer_csum_finish(b);
		if (lig_buffer_is_traced(b))
			lig_memif_trace_frame(node, mif, qid, slot & q->mask, bis[done], b);
		n_bytes += lig_buffer_length_in_chain(b);
		for (struct lig_buffer *x = b;; x = lig_buffer_get(x->next_buffer)) {
			u16 sl = slot & q->mask;
			struct lig_memif_desc *d = &ring->desc[sl];
			bool next = x->flags & LIG_BUFFER_NEXT_PRESENT;
			d->region = 1;
			d->offset = lig_memif_zc_offset(lig_buffer_index(x), x->current_data);
			d->length = x->current_length;
			d->flags = next ? LIG_MEMIF_DESC_FLAG_NEXT : 0;
			slots[sl] = next ? LIG_INVALID_INDEX : bis[done];
			slot++;
			if (!next)
				break;
		}
		n_free = (u16)(n_free - k);
	}
	if (slot != q->last) {
		lig_counter_add(&q->packets, done);
		lig_counter_add(&q->bytes, n_bytes);
	}
	lig_memif_ring_tx_publish(c, q, slot);
	return done;
}

static u32
lig_memif_tx_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *bis = frame->buffers, n = frame->n_vectors;
	u32 i = 0;

	while (i < n) {
		u32 sw = lig_buffer_get(bis[i])->sw_if_index[LIG_TX];
		u32 j = i + 1;
		while (j < n && lig_buffer_get(bis[j])->sw_if_index[LIG_TX] == sw)
			j++;
		struct lig_interface *ifp = lig_if_get(sw);
		struct lig_memif_if *mif =
		    ifp && ifp->class == &lig_memif_if_class ? ifp->dev : NULL;
		u32 sent = 0, code = LIG_MEMIF_TX_ERROR_NO_DEVICE;

		if (mif && mif->tx_ready && !lig_memif_failed(mif)) {
			/* The thread's own queue: main (under the barrier) 0, worker w
			 * (w - 1) % queues. */
			u32 nq = lig_memif_n_tx_queues(&mif->conn);
			u32 qid = lig_thread_index ? (lig_thread_index - 1) % nq : 0;
			if (mif->tx_shared)
				lig_spinlock_lock(&mif->tx_lock[qid]);
			sent = mif->zero_copy ? lig_memif_tx_ring_zc(node, mif, qid, bis + i, j - i)
					      : lig_memif_tx_ring(node, mif, qid, bis + i, j - i);
			if (mif->tx_shared)
				lig_spinlock_unlock(&mif->tx_lock[qid]);
			if (!mif->zero_copy) /* zero-copy: the ring owns what it took */
				lig_buffer_free(bis + i, sent);
			bool failed = lig_memif_failed(mif);
			code = failed ? LIG_MEMIF_TX_ERROR_BAD_DESC : LIG_MEMIF_TX_ERROR_RING_FULL;
			if (sent < j - i && !failed)
				lig_memif_count(&mif->counters.tx_ring_full, j - i - sent);
			if (failed)
				lig_memif_request_disconnect(mif);
		} else if (mif) {
			code = LIG_MEMIF_TX_ERROR_NOT_CONNECTED;
		}
		if (ifp)
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, j - i - sent);
		for (u32 k = i + sent; k < j; k++)
			lig_drop(node, bis[k], code);
		i = j;
	}
	return n;
}

LIG_REGISTER_NODE(lig_memif_tx_node) = {
    .name = "memif-tx",
    .function = lig_memif_tx_fn,
    .format_trace = lig_memif_format_trace,
    .n_errors = LIG_MEMIF_TX_N_ERROR,
    .error_strings = lig_memif_tx_error_strings,
};

/* Adds the arc to ip4-input when that node exists (mode ip interfaces). */
int
lig_memif_node_init(void)
{
	struct lig_node *ip4 = lig_node_by_name("ip4-input");

	if (ip4) {
		int next = lig_node_add_next(lig_memif_input_node.index, ip4->index);
		if (next >= 0)
			lig_memif_ip4_next = (u32)next;
	}
	return 0;
}

void
lig_memif_apply_rx_mode(struct lig_memif_if *mif)
{
	struct lig_memif_conn *c = &mif->conn;

	for (unsigned i = 0; i < lig_memif_n_rx_queues(c); i++) {
		struct lig_memif_ring *r = lig_memif_rx_queue(c, i)->ring;
		lig_memif_ring_mask_int(r, mif->rx_mode == LIG_MEMIF_RX_MODE_POLLING);
		mif->adaptive_idle[i] = 0;
	}
}

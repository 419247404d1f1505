/* SPDX-License-Identifier: Apache-2.0 */
/*
 * interface-output: the one way out. It checks the tx interface's state and MTU, counts
 * tx, and hands each packet to its device class's tx node. In front of a device that
 * does not take them (ifp->tx_offloads) it cuts GSO packets into segments (src/gso) and
 * finishes partial checksums, so tx nodes only ever see what their device takes. error-drop: where
 * every dropped packet ends, counted by reason (show errors) and against its rx interface.
 */
#include <errno.h>

#include "../ethernet/ethernet.h"
#include "../gso/gso.h"
#include "../vlib/graph.h"
#include "../vlib/trace.h"
#include "interface.h"

#define foreach_lig_if_output_error                                                                \
	_(DOWN, "interface is admin down")                                                         \
	_(NO_INTERFACE, "tx interface does not exist")                                             \
	_(MTU, "frame larger than tx interface MTU")                                               \
	_(GSO_BAD, "GSO packet that cannot be segmented (headers or offsets)")                     \
	_(GSO_TUNNEL, "VXLAN-encapsulated GSO packet not for a local tunnel")                      \
	_(GSO_NO_BUFFERS, "no buffers to segment a GSO packet")                                    \
	_(CSUM_BAD, "partial checksum with offsets outside the packet")

enum {
#define _(sym, str) LIG_IF_OUTPUT_ERROR_##sym,
	foreach_lig_if_output_error
#undef _
	    LIG_IF_OUTPUT_N_ERROR,
};

static const char *const lig_if_output_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_if_output_error
#undef _
};

struct lig_if_output_trace {
	u32 sw_if_index;
	u32 length;
	u8 frame[64];
};

static void
lig_if_output_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_if_output_trace *t = record;
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);

	lig_str_printf(s, "%s length %u\n    ", ifp ? ifp->name : "(deleted)", t->length);
	lig_format_ethernet_header(s, t->frame, LIG_MIN(t->length, (u32)sizeof(t->frame)));
}

/* Largest frame a GSO packet's segments make: headers (up to the end of the TCP header,
 * in the head buffer) plus gso_size. */
static inline u32
lig_if_output_gso_frame(struct lig_buffer *b)
{
	i32 l4 = (i32)b->csum_start - b->current_data;
	u32 doff = 20;

	if (l4 >= 0 && (u32)l4 + 12 < b->current_length)
		doff = (lig_buffer_data(b)[l4 + 12] >> 4) * 4u;
	return (u32)LIG_MAX(l4, 0) + doff + b->gso_size;
}

/* Segments GSO packet bi for ifp (which cannot take it) and queues the segments after
 * what is already collected in to[] (flushed first, so packet order holds). */
static void
lig_if_output_segment(struct lig_node *node, struct lig_interface *ifp, u32 bi, u32 *to, u16 *nexts,
		      u32 *n_ok)
{
	u32 segs[LIG_GSO_MAX_SEGS];
	int n = lig_gso_segment(bi, segs, LIG_ARRAY_LEN(segs));

	if (lig_unlikely(n < 0)) {
		lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
		lig_drop(node, bi,
			 n == -ENOMEM ? LIG_IF_OUTPUT_ERROR_GSO_NO_BUFFERS
				      : LIG_IF_OUTPUT_ERROR_GSO_BAD);
		return;
	}
	lig_enqueue_to_next(node, to, nexts, *n_ok);
	*n_ok = 0;
	for (int k = 0; k < n; k++) {
		struct lig_buffer *s = lig_buffer_get(segs[k]);
		if (!(ifp->tx_offloads & LIG_IF_TX_CSUM))
			lig_buffer_csum_finish(s); /* offsets are the segmenter's own */
		lig_counter_add(&lig_if_counters(ifp)->tx_packets, 1);
		lig_counter_add(&lig_if_counters(ifp)->tx_bytes, lig_buffer_length_in_chain(s));
	}
	lig_enqueue_n(node, ifp->tx_next, segs, (u32)n);
}

/* A run of packets to one interface: what they need of it, loaded once per run (a vector
 * nearly always leaves by one interface), and its tx counts, added once when it ends. A
 * run reads the interface's admin state once: as if its packets had all left at once. */
struct lig_if_output_run {
	struct lig_interface *ifp;
	u32 sw_if_index;
	u32 max_frame; /* MTU plus the Ethernet header and a VLAN tag; 0 when down or gone */
	u16 tx_next;
	u32 packets;
	u64 bytes;
};

static inline void
lig_if_output_run_flush(struct lig_if_output_run *run)
{
	if (run->packets) {
		lig_counter_add(&lig_if_counters(run->ifp)->tx_packets, run->packets);
		lig_counter_add(&lig_if_counters(run->ifp)->tx_bytes, run->bytes);
		run->packets = 0;
		run->bytes = 0;
	}
}

static inline void
lig_if_output_run_start(struct lig_if_output_run *run, u32 sw_if_index)
{
	lig_if_output_run_flush(run);
	run->sw_if_index = sw_if_index;
	run->ifp = lig_if_get(sw_if_index);
	run->max_frame = run->ifp && run->ifp->admin_up ? run->ifp->mtu + 18 : 0;
	run->tx_next = run->ifp ? (u16)run->ifp->tx_next : 0;
}

/* What makes a packet leave the plain way: none of these flags, a frame within the MTU. */
#define LIG_IF_OUTPUT_SLOW_FLAGS                                                                   \
	(LIG_BUFFER_NEXT_PRESENT | LIG_BUFFER_TRACED | LIG_BUFFER_GSO | LIG_BUFFER_CSUM_PARTIAL |  \
	 LIG_BUFFER_GSO_TUNNEL)

/* A packet that is chained, traced, GSO or checksum-partial, or that the interface does
 * not take as it is: returns true if it goes on to the tx node (to[] and nexts[] get it). */
static bool
lig_if_output_slow(struct lig_node *node, struct lig_if_output_run *run, u32 bi, u32 *to,
		   u16 *nexts, u32 *n_ok)
{
	struct lig_buffer *b = lig_buffer_get(bi);
	struct lig_interface *ifp = run->ifp;
	u32 len = lig_buffer_length_in_chain(b);

	if (lig_unlikely(!ifp)) {
		lig_drop(node, bi, LIG_IF_OUTPUT_ERROR_NO_INTERFACE);
		return false;
	}
	if (lig_unlikely(!run->max_frame)) {
		lig_drop(node, bi, LIG_IF_OUTPUT_ERROR_DOWN);
		return false;
	}
	/* A GSO packet's wire frames are its segments. */
	u32 frame_len = lig_unlikely(b->flags & LIG_BUFFER_GSO) ? lig_if_output_gso_frame(b) : len;
	if (lig_unlikely(frame_len > run->max_frame)) {
		lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
		lig_drop(node, bi, LIG_IF_OUTPUT_ERROR_MTU);
		return false;
	}
	if (lig_buffer_is_traced(b)) {
		struct lig_if_output_trace *t = lig_trace_add_record(node, b, sizeof(*t));
		if (t) {
			t->sw_if_index = ifp->sw_if_index;
			t->length = len;
			lig_buffer_copy_out(bi, 0, t->frame, sizeof(t->frame));
		}
	}
	if (lig_unlikely(b->flags & (LIG_BUFFER_GSO | LIG_BUFFER_CSUM_PARTIAL))) {
		/* Only vxlan4-input can open a tunnel super-frame; no device takes one (the
		 * virtio-net header has no words for it). */
		if (lig_unlikely(b->flags & LIG_BUFFER_GSO_TUNNEL)) {
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, bi, LIG_IF_OUTPUT_ERROR_GSO_TUNNEL);
			return false;
		}
		if ((b->flags & LIG_BUFFER_GSO) && !(ifp->tx_offloads & LIG_IF_TX_GSO)) {
			lig_if_output_segment(node, ifp, bi, to, nexts, n_ok);
			return false;
		}
		if ((b->flags & LIG_BUFFER_CSUM_PARTIAL) && !(ifp->tx_offloads & LIG_IF_TX_CSUM) &&
		    lig_buffer_csum_finish(b) < 0) {
			lig_counter_add(&lig_if_counters(ifp)->tx_errors, 1);
			lig_drop(node, bi, LIG_IF_OUTPUT_ERROR_CSUM_BAD);
			return false;
		}
	}
	run->packets++;
	run->bytes += len;
	return true;
}

static u32
lig_if_output_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u32 to[LIG_FRAME_SIZE];
	u16 nexts[LIG_FRAME_SIZE];
	u32 n_ok = 0;
	struct lig_if_output_run run = {.sw_if_index = LIG_INVALID_INDEX};

	for (u32 i = 0; i < n; i++) {
		if (i + 4 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 4]));
		struct lig_buffer *b = lig_buffer_get(from[i]);
		if (b->sw_if_index[LIG_TX] != run.sw_if_index)
			lig_if_output_run_start(&run, b->sw_if_index[LIG_TX]);
		u32 len = b->current_length;
		/* (len - 1: an empty buffer to an interface that is down is not a fast one) */
		if (lig_likely(!(b->flags & LIG_IF_OUTPUT_SLOW_FLAGS) && len - 1 < run.max_frame)) {
			run.packets++;
			run.bytes += len;
		} else if (!lig_if_output_slow(node, &run, from[i], to, nexts, &n_ok)) {
			continue;
		}
		to[n_ok] = from[i];
		nexts[n_ok++] = run.tx_next;
	}
	lig_if_output_run_flush(&run);
	lig_enqueue_to_next(node, to, nexts, n_ok);
	return n;
}

LIG_REGISTER_NODE(lig_if_output_node) = {
    .name = "interface-output",
    .function = lig_if_output_fn,
    .format_trace = lig_if_output_format_trace,
    .n_errors = LIG_IF_OUTPUT_N_ERROR,
    .error_strings = lig_if_output_error_strings,
};

u32
lig_if_output_node_index(void)
{
	return lig_if_output_node.index;
}

struct lig_error_drop_trace {
	u32 error;
};

static void
lig_error_drop_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_error_drop_trace *t = record;

	for (u32 i = 0; i < lig_graph.n_nodes; i++) {
		struct lig_node *n = &lig_graph.nodes[i];
		if (t->error >= n->error_base && t->error < n->error_base + n->n_errors) {
			lig_str_printf(s, "%s: %s", n->name,
				       n->error_strings[t->error - n->error_base]);
			return;
		}
	}
	lig_str_printf(s, "error %u", t->error);
}

static u32
lig_error_drop_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 n = frame->n_vectors;
	u64 *counters = lig_graph.error_counters;

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(frame->buffers[i]);
		struct lig_interface *rx = lig_if_get(b->sw_if_index[LIG_RX]);
		if (lig_likely(b->error < lig_graph.n_error_counters))
			lig_counter_add(&counters[b->error], 1);
		/* As in VPP, a drop counts against the interface the packet came in on. */
		if (rx)
			lig_counter_add(&lig_if_counters(rx)->drops, 1);
		if (lig_buffer_is_traced(b)) {
			struct lig_error_drop_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t)
				t->error = b->error;
		}
	}
	lig_buffer_free(frame->buffers, n);
	return n;
}

LIG_REGISTER_NODE(lig_error_drop_node) = {
    .name = "error-drop",
    .function = lig_error_drop_fn,
    .format_trace = lig_error_drop_format_trace,
};

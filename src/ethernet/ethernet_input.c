/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ethernet-input: every received frame passes here first. It rejects frames no correct
 * sender produces (runts, oversized, multicast or zero source MAC, bad 802.3 length),
 * then picks the path by the rx interface's mode: its xconnect peer, its bridge domain,
 * or the L3 protocol registered for the ethertype. A device-input node may do this for
 * the good frames of a plain L2 port itself (ethernet_input.h); the rest still come here.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "../infra/log.h"
#include "../interface/interface.h"
#include "../vlib/feature.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/trace.h"
#include "ethernet.h"
#include "ethernet_input.h"

static const char *const lig_eth_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_eth_error
#undef _
};

#define LIG_ETH_MAX_L3 8
static struct {
	u16 type_net[LIG_ETH_MAX_L3]; /* ethertype, network order */
	u16 next[LIG_ETH_MAX_L3];
	u32 n;
} lig_eth_l3;

struct lig_eth_trace {
	u32 sw_if_index;
	u32 length;
	u16 next;
	u8 frame[64];
};

static void
lig_eth_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_eth_trace *t = record;
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);

	lig_str_printf(s, "rx %s length %u next %u\n    ", ifp ? ifp->name : "(deleted)", t->length,
		       t->next);
	lig_format_ethernet_header(s, t->frame, LIG_MIN(t->length, (u32)sizeof(t->frame)));
}

/* Classifies one frame; returns the arc, or LIG_ETH_NEXT_DROP with *error set. */
static inline u16
lig_eth_classify(struct lig_buffer *b, const struct lig_eth_rx *rx, u32 *error)
{
	const struct lig_ethernet_header *eh = (const void *)lig_buffer_data(b);

	if (lig_unlikely(!lig_eth_frame_check(b, rx, error)))
		return LIG_ETH_NEXT_DROP;
	if (lig_likely(!(b->flags & LIG_BUFFER_FROM_BRIDGE))) {
		if (rx->l2.mode == LIG_IF_MODE_XCONNECT) {
			if (lig_unlikely(!rx->xc_peer)) {
				*error = LIG_ETH_ERROR_NO_XC_PEER;
				return LIG_ETH_NEXT_DROP;
			}
			lig_eth_direct_set(b, rx, LIG_ETH_DIRECT_OUTPUT);
			return LIG_ETH_NEXT_OUTPUT;
		}
		if (rx->l2.mode == LIG_IF_MODE_BRIDGE) {
			lig_eth_direct_set(b, rx, LIG_ETH_DIRECT_L2_INPUT);
			return rx->l2_next;
		}
	}
	b->l2_hdr_offset = b->current_data;
	b->flags &= ~LIG_BUFFER_FROM_BRIDGE;
	if (!lig_mac_is_multicast(eh->dst) && memcmp(eh->dst, rx->ifp->mac, 6) != 0) {
		*error = LIG_ETH_ERROR_NOT_FOR_US;
		return LIG_ETH_NEXT_DROP;
	}
	for (u32 k = 0; k < lig_eth_l3.n; k++) {
		if (eh->type == lig_eth_l3.type_net[k]) {
			b->l3_hdr_offset = (i16)(b->current_data + LIG_ETHERNET_HEADER_SIZE);
			lig_buffer_advance(b, LIG_ETHERNET_HEADER_SIZE);
			return lig_eth_l3.next[k];
		}
	}
	*error = LIG_ETH_ERROR_UNKNOWN_TYPE;
	return LIG_ETH_NEXT_DROP;
}

static u32
lig_eth_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	struct lig_eth_rx rx = {.sw_if_index = LIG_INVALID_INDEX};

	for (u32 i = 0; i < n; i++) {
		/* Headers four ahead, data two ahead where a fresh frame starts (data[]): its
		 * current_data would be a load that waits for the header. */
		if (i + 4 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 4]));
		if (i + 2 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 2])->data);
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		if (b->sw_if_index[LIG_RX] != rx.sw_if_index)
			lig_eth_rx_load(&rx, b->sw_if_index[LIG_RX]);
		u16 next;
		if (lig_unlikely(!rx.ifp)) {
			/* Deleted while the frame was queued (or a driver bug). */
			error = LIG_ETH_ERROR_NO_INTERFACE;
			next = LIG_ETH_NEXT_DROP;
		} else {
			next = lig_eth_classify(b, &rx, &error);
		}
		if (lig_buffer_is_traced(b)) {
			struct lig_eth_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				/* L3 frames were advanced past the header: show the whole frame. */
				const u8 *l2 = next == LIG_ETH_NEXT_DROP
						   ? lig_buffer_data(b)
						   : lig_buffer_at(b, b->l2_hdr_offset);
				u32 len = (u32)(lig_buffer_data(b) + b->current_length - l2);
				t->sw_if_index = b->sw_if_index[LIG_RX];
				t->length = len;
				t->next = next;
				memcpy(t->frame, l2, LIG_MIN(len, (u32)sizeof(t->frame)));
			}
		}
		if (lig_unlikely(next == LIG_ETH_NEXT_DROP)) {
			b->error = node->error_base + error;
			if (rx.ifp && error != LIG_ETH_ERROR_DOWN &&
			    error != LIG_ETH_ERROR_NOT_FOR_US &&
			    error != LIG_ETH_ERROR_UNKNOWN_TYPE)
				lig_counter_add(&lig_if_counters(rx.ifp)->rx_errors, 1);
		}
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_eth_input_node) = {
    .name = "ethernet-input",
    .function = lig_eth_input_fn,
    .format_trace = lig_eth_format_trace,
    .n_errors = LIG_ETH_N_ERROR,
    .error_strings = lig_eth_error_strings,
    .n_next_nodes = LIG_ETH_N_NEXT,
    .next_nodes =
	{
	    [LIG_ETH_NEXT_DROP] = "error-drop",
	    [LIG_ETH_NEXT_L2_INPUT] = "l2-input",
	    [LIG_ETH_NEXT_OUTPUT] = "interface-output",
	},
};

int
lig_ethernet_register_l3(u16 ethertype, const char *node_name)
{
	struct lig_node *t = lig_node_by_name(node_name);
	int next;

	if (!t)
		return -ENOENT;
	if (lig_eth_l3.n == LIG_ETH_MAX_L3)
		return -ENOSPC;
	next = lig_node_add_next(lig_eth_input_node.index, t->index);
	if (next < 0)
		return next;
	lig_eth_l3.type_net[lig_eth_l3.n] = htons(ethertype);
	lig_eth_l3.next[lig_eth_l3.n++] = (u16)next;
	return 0;
}

/* ethernet-input and the L3 protocol table: L2 and L3 modules register after it. */
LIG_MODULE(ethernet, .depends = {"interface"});

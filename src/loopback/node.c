/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loopback-tx: what interface-output sends on a loopback comes back in on it, through
 * ethernet-input. As a bridge domain's BVI that is the bridge's routed port: L3 transmits
 * on loop0, the frame re-enters ethernet-input on loop0 and, loop0 being a bridge port, is
 * bridged.
 */
#include "../interface/interface.h"
#include "../vlib/buffer.h"
#include "../vlib/graph.h"
#include "loopback.h"

enum {
	LIG_LOOP_NEXT_ETHERNET_INPUT,
	LIG_LOOP_N_NEXT,
};

static u32
lig_loopback_tx_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 n = frame->n_vectors;

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(frame->buffers[i]);
		struct lig_interface *ifp = lig_if_get(b->sw_if_index[LIG_TX]);
		b->sw_if_index[LIG_RX] = b->sw_if_index[LIG_TX];
		b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
		if (ifp) {
			lig_counter_add(&lig_if_counters(ifp)->rx_packets, 1);
			lig_counter_add(&lig_if_counters(ifp)->rx_bytes,
					lig_buffer_length_in_chain(b));
		}
	}
	lig_enqueue_n(node, LIG_LOOP_NEXT_ETHERNET_INPUT, frame->buffers, n);
	return n;
}

LIG_REGISTER_NODE(lig_loopback_tx_node) = {
    .name = "loopback-tx",
    .function = lig_loopback_tx_fn,
    .n_next_nodes = LIG_LOOP_N_NEXT,
    .next_nodes = {[LIG_LOOP_NEXT_ETHERNET_INPUT] = "ethernet-input"},
};

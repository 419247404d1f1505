/* SPDX-License-Identifier: Apache-2.0 */
/*
 * l2-flood: replicates a broadcast, multicast or unknown-unicast frame to every port of
 * its bridge domain except the rx port, ports in the rx port's split-horizon group and
 * ports that are admin down. Copies share the packet's tail (lig_buffer_clone); the BVI
 * gets broadcasts and multicasts only (an unknown unicast cannot be for it: its MAC is
 * a static FIB entry), through ethernet-input to L3.
 */
#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/trace.h"
#include "l2.h"

/* Bytes of private head per copy: room for L2-L4 headers to be rewritten. */
#define LIG_L2_FLOOD_HEAD_SIZE 128

enum {
	LIG_L2_FLOOD_NEXT_DROP,
	LIG_L2_FLOOD_NEXT_OUTPUT,
	LIG_L2_FLOOD_NEXT_BVI,
	LIG_L2_FLOOD_N_NEXT,
};

#define foreach_lig_l2_flood_error                                                                 \
	_(NO_BD, "bridge domain gone")                                                             \
	_(NO_PORTS, "no other port to flood to")                                                   \
	_(NO_BUFFERS, "flood copies not made: out of buffers")                                     \
	_(COPIES, "flood copies sent")

enum {
#define _(sym, str) LIG_L2_FLOOD_ERROR_##sym,
	foreach_lig_l2_flood_error
#undef _
	    LIG_L2_FLOOD_N_ERROR,
};

static const char *const lig_l2_flood_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_l2_flood_error
#undef _
};

struct lig_l2_flood_trace {
	u32 rx_sw_if_index;
	u32 bd_id;
	u32 n_targets;
	u32 n_copies;
	u8 shg;
};

static void
lig_l2_flood_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_l2_flood_trace *t = record;
	struct lig_interface *rx = lig_if_get(t->rx_sw_if_index);

	lig_str_printf(s, "rx %s bd %u shg %u: %u ports, %u copies", rx ? rx->name : "(deleted)",
		       t->bd_id, t->shg, t->n_targets, t->n_copies);
}

/* Lists the ports packet b floods to into targets[]; returns how many. */
static inline u32
lig_l2_flood_targets(const struct lig_bd *bd, const struct lig_buffer *b, bool to_bvi, u32 *targets)
{
	u32 rx = b->sw_if_index[LIG_RX], n = 0;
	u8 shg = b->l2.shg;

	for (u32 k = 0; k < bd->n_ports; k++) {
		const struct lig_bd_port *p = &bd->ports[k];
		if (p->sw_if_index == rx || (shg && p->shg == shg) || (p->bvi && !to_bvi))
			continue;
		const struct lig_interface *ifp = lig_if_get(p->sw_if_index);
		if (lig_unlikely(!ifp || !ifp->admin_up))
			continue;
		targets[n++] = p->sw_if_index;
	}
	return n;
}

static u32
lig_l2_flood_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u32 targets[LIG_BD_MAX_PORTS], clones[LIG_BD_MAX_PORTS];
	u64 n_copies = 0, n_short = 0;

	for (u32 i = 0; i < n; i++) {
		if (i + 1 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 1]));
		u32 bi = from[i];
		struct lig_buffer *b = lig_buffer_get(bi);
		const struct lig_bd *bd = lig_bd_get(b->l2.bd_index);
		const struct lig_ethernet_header *eh = (const void *)lig_buffer_data(b);

		if (lig_unlikely(!bd)) {
			lig_drop(node, bi, LIG_L2_FLOOD_ERROR_NO_BD);
			continue;
		}
		u32 n_targets = lig_l2_flood_targets(bd, b, lig_mac_is_multicast(eh->dst), targets);
		if (lig_buffer_is_traced(b)) {
			struct lig_l2_flood_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				t->rx_sw_if_index = b->sw_if_index[LIG_RX];
				t->bd_id = bd->bd_id;
				t->n_targets = n_targets;
				t->n_copies = n_targets;
				t->shg = b->l2.shg;
			}
		}
		if (n_targets == 0) {
			lig_drop(node, bi, LIG_L2_FLOOD_ERROR_NO_PORTS);
			continue;
		}
		u32 bvi = bd->bvi_sw_if_index;
		u32 got = lig_buffer_clone(bi, clones, n_targets, LIG_L2_FLOOD_HEAD_SIZE);
		n_short += n_targets - got;
		n_copies += got;
		for (u32 k = 0; k < got; k++) {
			struct lig_buffer *c = lig_buffer_get(clones[k]);
			c->flags |= LIG_BUFFER_L2_FLOODED;
			if (lig_unlikely(targets[k] == bvi)) {
				c->sw_if_index[LIG_RX] = bvi;
				c->flags |= LIG_BUFFER_FROM_BRIDGE;
				lig_enqueue(node, LIG_L2_FLOOD_NEXT_BVI, clones[k]);
			} else {
				c->sw_if_index[LIG_TX] = targets[k];
				lig_enqueue(node, LIG_L2_FLOOD_NEXT_OUTPUT, clones[k]);
			}
		}
	}
	if (n_short)
		lig_node_count_error(node, LIG_L2_FLOOD_ERROR_NO_BUFFERS, n_short);
	if (n_copies)
		lig_node_count_error(node, LIG_L2_FLOOD_ERROR_COPIES, n_copies);
	return n;
}

LIG_REGISTER_NODE(lig_l2_flood_node) = {
    .name = "l2-flood",
    .function = lig_l2_flood_fn,
    .format_trace = lig_l2_flood_format_trace,
    .n_errors = LIG_L2_FLOOD_N_ERROR,
    .error_strings = lig_l2_flood_error_strings,
    .n_next_nodes = LIG_L2_FLOOD_N_NEXT,
    .next_nodes =
	{
	    [LIG_L2_FLOOD_NEXT_DROP] = "error-drop",
	    [LIG_L2_FLOOD_NEXT_OUTPUT] = "interface-output",
	    [LIG_L2_FLOOD_NEXT_BVI] = "ethernet-input",
	},
};

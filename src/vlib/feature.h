/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Feature arcs: the smallest form of VPP's vnet feature arcs for the output and L2 paths
 * (IPv4 input features have their own, ip4.h's lig_ip4_feature_*). A few fixed points of the
 * datapath (an arc) may send a packet through per-interface feature nodes before it goes
 * on to the arc's end node. A feature module (acl, nat44, ...) enables its node on an
 * interface with an order number; the nodes run in ascending order, and each hands the
 * packet to the next with lig_feature_next(). The node that owns the arc's start only
 * asks lig_feature_first() (one table load when nothing is enabled), so a new feature
 * folder inserts its node without editing ip4, l2 or ethernet.
 *
 *   arc            keyed by        start node(s)          end node
 *   ip4-output     tx sw_if_index  ip4-rewrite            interface-output
 *   l2-input       rx sw_if_index  ethernet-input         l2-input
 *   l2-output      tx sw_if_index  l2-input, l2-flood     interface-output
 *
 * A feature sees b->current_data at the Ethernet header (on ip4-output the rewritten one,
 * b->l3_hdr_offset unchanged; b->l2 metadata set on the l2 arcs). A feature node must not write the
 * buffer's feature metadata (b->l2, b->ip4). Configuration is changed by main under the barrier;
 * the datapath only reads it.
 */
#ifndef LIG_FEATURE_H
#define LIG_FEATURE_H

#include "../infra/lig_common.h"
#include "graph.h"

enum lig_feature_arc {
	LIG_FEATURE_ARC_IP4_OUTPUT,
	LIG_FEATURE_ARC_L2_INPUT,
	LIG_FEATURE_ARC_L2_OUTPUT,
	LIG_FEATURE_N_ARCS,
};

#define LIG_FEATURE_MAX 4	 /* features enabled on one interface and arc */
#define LIG_FEATURE_MAX_STARTS 2 /* start nodes of one arc */
#define LIG_FEATURE_IF_MAX 4096	 /* = LIG_IF_MAX (vlib does not include interface.h) */

/* One interface's features on one arc. */
struct lig_feature_if {
	u8 n; /* enabled features; 0: the start node goes to its usual next */
	u16 start_next[LIG_FEATURE_MAX_STARTS]; /* arc of start node k to nodes[0] */
	u16 next[LIG_FEATURE_MAX];		/* arc of nodes[i] to nodes[i + 1] or the end */
	i32 order[LIG_FEATURE_MAX];
	u32 nodes[LIG_FEATURE_MAX];
};

extern struct lig_feature_if lig_feature_ifs[LIG_FEATURE_N_ARCS][LIG_FEATURE_IF_MAX];

/* Name of an arc ("ip4-output", ...). */
const char *lig_feature_arc_name(enum lig_feature_arc arc);

/*
 * Main, under the barrier: enables (or disables) node on interface sw_if_index's arc at
 * position order (ascending; two features with one order run in the order enabled).
 * Adds the graph arcs it needs. Returns 0, -EINVAL (arc, interface index or node
 * unknown), -ENOSPC (LIG_FEATURE_MAX already enabled), -ENOMEM. Enabling twice and
 * disabling what is not enabled are no-ops (0).
 */
int lig_feature_enable(enum lig_feature_arc arc, u32 sw_if_index, u32 node_index, i32 order,
		       bool enable);
/* True if node is enabled on the interface's arc. */
bool lig_feature_is_enabled(enum lig_feature_arc arc, u32 sw_if_index, u32 node_index);

/* Start node `start` (its position in the arc's start list: 0, or 1 for l2-flood on
 * l2-output): returns the arc from the start node to the interface's first feature, or
 * `usual` when none is enabled. */
static inline u16
lig_feature_first(enum lig_feature_arc arc, u32 start, u32 sw_if_index, u16 usual)
{
	if (lig_unlikely(sw_if_index >= LIG_FEATURE_IF_MAX))
		return usual;
	const struct lig_feature_if *f = &lig_feature_ifs[arc][sw_if_index];
	return lig_likely(f->n == 0) ? usual : f->start_next[start];
}

/* A feature node: the arc (of `node`) to the next feature or the arc's end node for a
 * packet of interface sw_if_index. Returns LIG_FEATURE_NEXT_NONE when node is not
 * enabled there any more (disabled while the packet was queued): drop it. */
#define LIG_FEATURE_NEXT_NONE 0xffff
static inline u16
lig_feature_next(const struct lig_node *node, enum lig_feature_arc arc, u32 sw_if_index)
{
	if (lig_unlikely(sw_if_index >= LIG_FEATURE_IF_MAX))
		return LIG_FEATURE_NEXT_NONE;
	const struct lig_feature_if *f = &lig_feature_ifs[arc][sw_if_index];
	for (u32 i = 0; i < f->n; i++)
		if (f->nodes[i] == node->index)
			return f->next[i];
	return LIG_FEATURE_NEXT_NONE;
}

#endif

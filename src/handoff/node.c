/* SPDX-License-Identifier: Apache-2.0 */
/* worker-handoff-l2 (worker_handoff.h): on the rx thread they hand
 * the packet to the interface's chosen worker; on that worker they pass it on along the
 * feature arc. */
#include "../vlib/feature.h"
#include "../vlib/graph.h"
#include "../vlib/handoff.h"
#include "../vlib/thread.h"
#include "worker_handoff.h"

#define foreach_lig_wh_error                                                                       \
	_(HANDED_OFF, "packets handed to another worker")                                          \
	_(CONGESTION, "handoff ring full (packet dropped)")                                        \
	_(DISABLED, "feature disabled while the packet was queued")

enum {
#define _(sym, str) LIG_WH_ERROR_##sym,
	foreach_lig_wh_error
#undef _
	    LIG_WH_N_ERROR,
};

static const char *const lig_wh_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_wh_error
#undef _
};

/* Written by main under the barrier (worker_handoff.c): thread per arc and interface. */
extern u8 lig_wh_thread[LIG_FEATURE_IF_MAX];

static inline u32
lig_wh_flush(struct lig_node *node, u32 thread, const u32 *bis, u32 n)
{
	if (!n)
		return 0;
	u32 k = lig_handoff_enqueue(thread, node->index, bis, n);
	lig_node_count_error(node, LIG_WH_ERROR_HANDED_OFF, k);
	if (k < n)
		lig_node_count_error(node, LIG_WH_ERROR_CONGESTION, n - k);
	return n;
}

static inline u32
lig_wh_inline(struct lig_node *node, struct lig_frame *frame, enum lig_feature_arc arc)
{
	u32 *from = frame->buffers, n = frame->n_vectors, self = lig_thread_index;
	u32 local[LIG_FRAME_SIZE], away[LIG_FRAME_SIZE];
	u16 nexts[LIG_FRAME_SIZE];
	u32 n_local = 0, n_away = 0, away_thread = 0;

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 sw = b->sw_if_index[LIG_RX];
		u32 t = sw < LIG_FEATURE_IF_MAX ? lig_wh_thread[sw] : 0;
		if (t && t != self && t < lig_n_threads) {
			/* Runs of one destination go in one call. */
			if (n_away && t != away_thread) {
				lig_wh_flush(node, away_thread, away, n_away);
				n_away = 0;
			}
			away_thread = t;
			away[n_away++] = from[i];
			continue;
		}
		u16 next = lig_feature_next(node, arc, sw);
		if (lig_unlikely(next == LIG_FEATURE_NEXT_NONE)) {
			lig_drop(node, from[i], LIG_WH_ERROR_DISABLED);
			continue;
		}
		local[n_local] = from[i];
		nexts[n_local++] = next;
	}
	lig_wh_flush(node, away_thread, away, n_away);
	if (n_local)
		lig_enqueue_to_next(node, local, nexts, n_local);
	return n;
}

static u32
lig_wh_l2_fn(struct lig_node *node, struct lig_frame *frame)
{
	return lig_wh_inline(node, frame, LIG_FEATURE_ARC_L2_INPUT);
}

LIG_REGISTER_NODE(lig_wh_l2_node) = {
    .name = "worker-handoff-l2",
    .function = lig_wh_l2_fn,
    .n_errors = LIG_WH_N_ERROR,
    .error_strings = lig_wh_error_strings,
};

/* SPDX-License-Identifier: Apache-2.0 */
/* Feature arcs (feature.h): per-interface lists of feature nodes between fixed points of
 * the datapath, changed by main under the barrier. */
#include <errno.h>

#include "feature.h"
#include "thread.h"

struct lig_feature_if lig_feature_ifs[LIG_FEATURE_N_ARCS][LIG_FEATURE_IF_MAX];

static const struct {
	const char *name;
	const char *starts[LIG_FEATURE_MAX_STARTS];
	const char *end;
} lig_feature_arcs[LIG_FEATURE_N_ARCS] = {
    [LIG_FEATURE_ARC_IP4_OUTPUT] = {"ip4-output", {"ip4-rewrite"}, "interface-output"},
    [LIG_FEATURE_ARC_L2_INPUT] = {"l2-input", {"ethernet-input"}, "l2-input"},
    [LIG_FEATURE_ARC_L2_OUTPUT] = {"l2-output", {"l2-input", "l2-flood"}, "interface-output"},
};

const char *
lig_feature_arc_name(enum lig_feature_arc arc)
{
	return (unsigned)arc < LIG_FEATURE_N_ARCS ? lig_feature_arcs[arc].name : "?";
}

bool
lig_feature_is_enabled(enum lig_feature_arc arc, u32 sw_if_index, u32 node_index)
{
	if ((unsigned)arc >= LIG_FEATURE_N_ARCS || sw_if_index >= LIG_FEATURE_IF_MAX)
		return false;
	const struct lig_feature_if *f = &lig_feature_ifs[arc][sw_if_index];
	for (u32 i = 0; i < f->n; i++)
		if (f->nodes[i] == node_index)
			return true;
	return false;
}

/* Adds the graph arcs of list f (nodes in order) into f; 0 or -errno. Nothing of the
 * live configuration changes here, so a failure leaves it as it was. */
static int
lig_feature_wire(enum lig_feature_arc arc, struct lig_feature_if *f)
{
	struct lig_node *end = lig_node_by_name(lig_feature_arcs[arc].end);
	int r;

	if (!end)
		return -EINVAL;
	for (u32 k = 0; k < LIG_FEATURE_MAX_STARTS && f->n; k++) {
		const char *sname = lig_feature_arcs[arc].starts[k];
		if (!sname)
			break;
		struct lig_node *start = lig_node_by_name(sname);
		if (!start)
			return -EINVAL;
		r = lig_node_add_next(start->index, f->nodes[0]);
		if (r < 0)
			return r;
		f->start_next[k] = (u16)r;
	}
	for (u32 i = 0; i < f->n; i++) {
		u32 to = i + 1 < f->n ? f->nodes[i + 1] : end->index;
		r = lig_node_add_next(f->nodes[i], to);
		if (r < 0)
			return r;
		f->next[i] = (u16)r;
	}
	return 0;
}

int
lig_feature_enable(enum lig_feature_arc arc, u32 sw_if_index, u32 node_index, i32 order,
		   bool enable)
{
	if ((unsigned)arc >= LIG_FEATURE_N_ARCS || sw_if_index >= LIG_FEATURE_IF_MAX ||
	    node_index >= lig_graph.n_nodes)
		return -EINVAL;
	struct lig_feature_if *live = &lig_feature_ifs[arc][sw_if_index];
	struct lig_feature_if f = *live;
	u32 pos = f.n;

	for (u32 i = 0; i < f.n; i++)
		if (f.nodes[i] == node_index)
			pos = i;
	if (enable) {
		if (pos < f.n)
			return 0;
		if (f.n == LIG_FEATURE_MAX)
			return -ENOSPC;
		u32 at = f.n;
		while (at > 0 && f.order[at - 1] > order) {
			f.nodes[at] = f.nodes[at - 1];
			f.order[at] = f.order[at - 1];
			at--;
		}
		f.nodes[at] = node_index;
		f.order[at] = order;
		f.n++;
	} else {
		if (pos == f.n)
			return 0;
		for (u32 i = pos; i + 1 < f.n; i++) {
			f.nodes[i] = f.nodes[i + 1];
			f.order[i] = f.order[i + 1];
		}
		f.n--;
	}
	/* New arcs realloc the nodes' arc arrays, which workers read: all under the
	 * barrier (it nests inside the control-plane batch's). */
	lig_barrier_sync();
	int r = lig_feature_wire(arc, &f);
	if (r == 0)
		*live = f;
	lig_barrier_release();
	return r;
}

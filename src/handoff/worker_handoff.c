/* SPDX-License-Identifier: Apache-2.0 */
/* worker-handoff's control (worker_handoff.h): which worker each interface hands to. */
#include <errno.h>

#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "worker_handoff.h"

u8 lig_wh_thread[LIG_FEATURE_IF_MAX];

extern struct lig_node_registration lig_wh_l2_node;

/* Runs first on its arc: later features (ACL, NAT) then run on the chosen worker. */
#define LIG_WH_ORDER (-1000)

u32
lig_worker_handoff_thread(u32 sw_if_index, enum lig_feature_arc arc)
{
	if (arc != LIG_FEATURE_ARC_L2_INPUT || sw_if_index >= LIG_FEATURE_IF_MAX)
		return 0;
	return lig_wh_thread[sw_if_index];
}

int
lig_worker_handoff_enable(u32 sw_if_index, enum lig_feature_arc arc, u32 worker, bool enable)
{
	u32 node = lig_wh_l2_node.index;

	if (arc != LIG_FEATURE_ARC_L2_INPUT || sw_if_index >= LIG_FEATURE_IF_MAX ||
	    !lig_if_get(sw_if_index))
		return -EINVAL;
	if (enable && (!lig_n_workers || worker >= lig_n_workers))
		return -EINVAL;
	lig_barrier_sync();
	int r = lig_feature_enable(arc, sw_if_index, node, LIG_WH_ORDER, enable);
	if (r == 0)
		lig_wh_thread[sw_if_index] = enable ? (u8)(worker + 1) : 0;
	lig_barrier_release();
	return r;
}

/* An interface's hand-off goes with it: an interface made later with its index starts
 * without one. */
static void
lig_wh_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	u32 sw = ifp->sw_if_index;

	if (ev != LIG_IF_EVENT_DELETE || sw >= LIG_FEATURE_IF_MAX || !lig_wh_thread[sw])
		return;
	lig_feature_enable(LIG_FEATURE_ARC_L2_INPUT, sw, lig_wh_l2_node.index, LIG_WH_ORDER, false);
	lig_wh_thread[sw] = 0;
}

static int
lig_wh_init(void)
{
	return lig_if_subscribe("worker_handoff", lig_wh_if_event, NULL);
}

LIG_MODULE(worker_handoff, .init = lig_wh_init, .depends = {"interface"});

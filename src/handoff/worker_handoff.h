/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker-handoff: a feature that hands every packet an interface receives to one worker
 * (VPP's "set interface handoff"), on the l2-input arc (bridged interfaces; ligd has no
 * feature arc at ip4-input or before ethernet-input yet). The packet leaves the arc on its rx
 * thread, goes through the thread handoff ring (vlib/handoff.h) and re-enters the same feature node
 * on the chosen worker, which sends it on along the arc. It shows the handoff working end to end
 * (show runtime: the arc's later nodes run on the chosen worker only) and spreads a one-queue
 * interface's later work onto another core. A debug feature: CLI only, no API message and no
 * running-config line.
 */
#ifndef LIG_WORKER_HANDOFF_H
#define LIG_WORKER_HANDOFF_H

#include "../infra/lig_common.h"
#include "../vlib/feature.h"

/* Main (takes the barrier): hands interface sw_if_index's packets on `arc`
 * (LIG_FEATURE_ARC_L2_INPUT or LIG_FEATURE_ARC_IP4_INPUT) to worker `worker` (0-based),
 * or stops (enable false; worker ignored). 0, or -EINVAL (no workers, no such worker,
 * interface or arc), or what lig_feature_enable returns. */
int lig_worker_handoff_enable(u32 sw_if_index, enum lig_feature_arc arc, u32 worker, bool enable);

/* The thread (1 + worker) packets of sw_if_index on arc are handed to; 0: none. */
u32 lig_worker_handoff_thread(u32 sw_if_index, enum lig_feature_arc arc);

#endif

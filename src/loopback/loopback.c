/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loopback control plane: the loopback device class and the instances loop<n> in use.
 * The datapath (loopback-tx) is node.c, API handlers api.c, the CLI cli.c.
 */
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/module.h"
#include "loopback.h"

static u8 lig_loop_used[LIG_LOOPBACK_MAX];

static const struct lig_if_class lig_loopback_class;

static int
lig_loopback_admin(struct lig_interface *ifp, bool up)
{
	lig_if_set_link(ifp->sw_if_index, up); /* a loopback's link follows its admin state */
	return 0;
}

static void
lig_loopback_destroy(struct lig_interface *ifp)
{
	if (ifp->dev_instance < LIG_LOOPBACK_MAX)
		lig_loop_used[ifp->dev_instance] = 0;
}

static const struct lig_if_class lig_loopback_class = {
    .name = "loopback",
    .tx_node_name = "loopback-tx",
    .admin_up_down = lig_loopback_admin,
    .destroy = lig_loopback_destroy,
};

int
lig_loopback_create(const u8 *mac, u32 instance, u32 *sw_if_index)
{
	char name[32];

	if (instance == LIG_INVALID_INDEX) {
		for (instance = 0; instance < LIG_LOOPBACK_MAX && lig_loop_used[instance];
		     instance++)
			;
	}
	if (instance >= LIG_LOOPBACK_MAX)
		return -ENOSPC;
	if (lig_loop_used[instance])
		return -EEXIST;
	/* As lig_if_set_mac: ethernet-input would drop every frame it sent (bad-src-mac). */
	if (mac && ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])))
		return -EINVAL;
	snprintf(name, sizeof(name), "loop%u", instance);
	struct lig_interface *ifp = lig_if_create(&lig_loopback_class, name, NULL, mac);
	if (!ifp)
		return -errno;
	ifp->dev_instance = instance;
	lig_loop_used[instance] = 1;
	*sw_if_index = ifp->sw_if_index;
	return 0;
}

int
lig_loopback_delete(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp || ifp->class != &lig_loopback_class)
		return -ENOENT;
	return lig_if_delete(sw_if_index);
}

int
lig_loopback_instance(u32 sw_if_index, u32 *instance)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp || ifp->class != &lig_loopback_class)
		return -ENOENT;
	*instance = ifp->dev_instance;
	return 0;
}

LIG_MODULE(loopback, .depends = {"interface", "ethernet"});

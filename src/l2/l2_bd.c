/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bridge-domain and port-mode control: the table the l2 nodes read, and the one
 * function per operation (create/delete a domain, set its flags, bridge, xconnect or
 * return a port to L3) that every front end calls. See l2.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "../ethernet/ethernet.h"
#include "../infra/log.h"
#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "l2.h"
#include "l2fib.h"

struct lig_bd_main lig_bd_main;

u32
lig_bd_find(u32 bd_id)
{
	if (bd_id == 0)
		return LIG_INVALID_INDEX;
	for (u32 i = 1; i < LIG_BD_MAX; i++)
		if (lig_bd_main.bds[i].bd_id == bd_id)
			return i;
	return LIG_INVALID_INDEX;
}

/* Removes the ARP-termination entries of one domain. */
static void
lig_bd_arp_flush(u32 bd_index)
{
	struct lig_hash64 *h = &lig_bd_main.arp;
	struct lig_hash64_slot *s;
	u32 cursor = 0;

	/* Deleting shifts later slots back: restart the scan after each delete. Control
	 * plane only, and ARP tables are small. */
	while (lig_bd_main.bds[bd_index].n_arp > 0) {
		bool found = false;
		cursor = 0;
		while (lig_hash64_next(h, &cursor, &s)) {
			if ((u32)(s->key >> 32) == bd_index) {
				lig_hash64_del(h, s->key);
				lig_bd_main.bds[bd_index].n_arp--;
				found = true;
				break;
			}
		}
		if (!found)
			break;
	}
	lig_bd_main.bds[bd_index].n_arp = 0;
}

int
lig_bd_add_del(u32 bd_id, u32 flags, u32 mac_age, bool is_add)
{
	struct lig_bd_main *bm = &lig_bd_main;
	u32 bd_index;
	struct lig_bd *bd;

	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return -EINVAL;
	bd_index = lig_bd_find(bd_id);
	if (!is_add) {
		bd = lig_bd_get(bd_index);
		if (!bd)
			return -ENOENT;
		if (bd->n_ports > 0)
			return -EBUSY;
		lig_l2fib_flush_bd(bd_index, true);
		lig_bd_arp_flush(bd_index);
		free(bd->ports);
		memset(bd, 0, sizeof(*bd));
		bd->bvi_sw_if_index = LIG_INVALID_INDEX;
		bm->n_bds--;
		lig_info("l2", "deleted bridge domain %u (index %u)", bd_id, bd_index);
		return 0;
	}
	if (mac_age > 255)
		return -EINVAL;
	if (bd_index != LIG_INVALID_INDEX)
		return -EEXIST;
	for (bd_index = 1; bd_index < LIG_BD_MAX; bd_index++)
		if (!bm->bds[bd_index].bd_id)
			break;
	if (bd_index == LIG_BD_MAX)
		return -ENOSPC;
	bd = &bm->bds[bd_index];
	memset(bd, 0, sizeof(*bd));
	bd->bd_id = bd_id;
	bd->flags = flags;
	bd->mac_age = mac_age;
	bd->bvi_sw_if_index = LIG_INVALID_INDEX;
	bm->n_bds++;
	lig_info("l2", "created bridge domain %u (index %u)", bd_id, bd_index);
	return 0;
}

int
lig_bd_set_flags(u32 bd_id, u32 flags, bool enable)
{
	struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));

	if (!bd)
		return -ENOENT;
	if (enable)
		bd->flags |= flags;
	else
		bd->flags &= ~flags;
	return 0;
}

int
lig_bd_set_mac_age(u32 bd_id, u32 minutes)
{
	struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));

	if (!bd)
		return -ENOENT;
	if (minutes > 255)
		return -EINVAL;
	bd->mac_age = minutes;
	return 0;
}

int
lig_bd_arp_entry_add_del(u32 bd_id, u32 ip4_net, const u8 mac[6], bool is_add)
{
	u32 bd_index = lig_bd_find(bd_id);
	struct lig_bd *bd = lig_bd_get(bd_index);
	u64 key;
	int rv;

	if (!bd)
		return -ENOENT;
	key = lig_bd_arp_key(bd_index, ip4_net);
	if (!is_add) {
		rv = lig_hash64_del(&lig_bd_main.arp, key);
		if (rv == 0)
			bd->n_arp--;
		return rv;
	}
	if (lig_mac_is_multicast(mac) || lig_mac_is_zero(mac))
		return -EINVAL;
	bool existed = lig_hash64_lookup(&lig_bd_main.arp, key) != NULL;
	rv = lig_hash64_set(&lig_bd_main.arp, key, lig_mac_to_u64(mac));
	if (rv == 0 && !existed)
		bd->n_arp++;
	return rv;
}

/* Takes the interface out of its bridge domain: port list, BVI role, FIB entries. */
static void
lig_l2_leave_bd(struct lig_interface *ifp)
{
	struct lig_bd *bd = lig_bd_get(ifp->bd_index);

	if (ifp->mode != LIG_IF_MODE_BRIDGE)
		return;
	if (bd) {
		for (u32 i = 0; i < bd->n_ports; i++) {
			if (bd->ports[i].sw_if_index != ifp->sw_if_index)
				continue;
			bd->ports[i] = bd->ports[--bd->n_ports];
			break;
		}
		if (bd->bvi_sw_if_index == ifp->sw_if_index)
			bd->bvi_sw_if_index = LIG_INVALID_INDEX;
		lig_l2fib_flush_interface(ifp->sw_if_index, ifp->bd_index, true);
		lig_info("l2", "%s left bridge domain %u", ifp->name, bd->bd_id);
	}
	ifp->mode = LIG_IF_MODE_L3;
	ifp->bd_index = 0;
	ifp->bvi = 0;
	ifp->shg = 0;
}

/* Leaves whatever L2 mode the interface is in. */
static void
lig_l2_leave_mode(struct lig_interface *ifp)
{
	lig_l2_leave_bd(ifp);
	ifp->mode = LIG_IF_MODE_L3;
	ifp->xc_sw_if_index = LIG_INVALID_INDEX;
}

int
lig_l2_set_bridge(u32 sw_if_index, u32 bd_id, bool bvi, u8 shg)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	u32 bd_index;
	struct lig_bd *bd;
	int rv;

	if (!ifp)
		return -ENOENT;
	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return -EINVAL;
	if (bvi && (!ifp->class || !ifp->class->name || strcmp(ifp->class->name, "loopback") != 0))
		return -EINVAL;
	bd_index = lig_bd_find(bd_id);
	if (bd_index == LIG_INVALID_INDEX) {
		/* As VPP: bridging a port into a missing domain creates it with defaults. */
		rv = lig_bd_add_del(bd_id, LIG_BD_F_DEFAULT, 0, true);
		if (rv < 0)
			return rv;
		bd_index = lig_bd_find(bd_id);
	}
	bd = lig_bd_get(bd_index);
	if (bvi && bd->bvi_sw_if_index != LIG_INVALID_INDEX && bd->bvi_sw_if_index != sw_if_index)
		return -EEXIST;
	bool same_bd = ifp->mode == LIG_IF_MODE_BRIDGE && ifp->bd_index == bd_index;
	if (!same_bd && bd->n_ports >= LIG_BD_MAX_PORTS)
		return -ENOSPC;
	if (!same_bd && bd->n_ports == bd->max_ports) {
		u32 cap = bd->max_ports ? 2 * bd->max_ports : 8;
		struct lig_bd_port *p = realloc(bd->ports, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		bd->ports = p;
		bd->max_ports = cap;
	}
	/* Re-bridging into the same domain only changes bvi/shg: keep learned MACs. */
	if (same_bd) {
		if (ifp->bvi && !bvi) {
			bd->bvi_sw_if_index = LIG_INVALID_INDEX;
			lig_l2fib_flush_interface(sw_if_index, bd_index, true);
		}
	} else {
		lig_l2_leave_mode(ifp);
		bd->ports[bd->n_ports++] = (struct lig_bd_port){.sw_if_index = sw_if_index};
	}
	for (u32 i = 0; i < bd->n_ports; i++) {
		if (bd->ports[i].sw_if_index == sw_if_index) {
			bd->ports[i].shg = shg;
			bd->ports[i].bvi = bvi;
		}
	}
	ifp->bd_index = (u16)bd_index;
	ifp->shg = shg;
	ifp->bvi = bvi;
	ifp->xc_sw_if_index = LIG_INVALID_INDEX;
	ifp->mode = LIG_IF_MODE_BRIDGE;
	if (bvi) {
		bd->bvi_sw_if_index = sw_if_index;
		/* As VPP: the BVI's own MAC is a static entry pointing at L3. */
		rv = lig_l2fib_add(ifp->mac, bd_id, sw_if_index,
				   LIG_L2FIB_F_STATIC | LIG_L2FIB_F_BVI);
		if (rv < 0)
			lig_warn("l2", "%s: BVI MAC entry not added: %s", ifp->name, strerror(-rv));
	}
	lig_info("l2", "%s bridged into bridge domain %u%s shg %u", ifp->name, bd_id,
		 bvi ? " as BVI" : "", shg);
	return 0;
}

int
lig_l2_set_l3(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return -ENOENT;
	lig_l2_leave_mode(ifp);
	return 0;
}

int
lig_l2_set_xconnect(u32 rx_sw_if_index, u32 tx_sw_if_index)
{
	struct lig_interface *rx = lig_if_get(rx_sw_if_index);

	if (!rx || !lig_if_get(tx_sw_if_index))
		return -ENOENT;
	if (rx_sw_if_index == tx_sw_if_index)
		return -EINVAL;
	lig_l2_leave_mode(rx);
	rx->xc_sw_if_index = tx_sw_if_index;
	rx->mode = LIG_IF_MODE_XCONNECT;
	return 0;
}

/*
 * Interface events. DELETE: out of its domain (no FIB entry may keep pointing at it), and
 * anything cross-connected to it now points nowhere, so those go back to L3. MAC: a BVI's
 * own MAC is a static FIB entry, replaced by the new one.
 */
static void
lig_l2_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev == LIG_IF_EVENT_MAC && ifp->mode == LIG_IF_MODE_BRIDGE && ifp->bvi) {
		const struct lig_bd *bd = lig_bd_get(ifp->bd_index);
		lig_l2fib_flush_interface(ifp->sw_if_index, ifp->bd_index, true);
		int rv = bd ? lig_l2fib_add(ifp->mac, bd->bd_id, ifp->sw_if_index,
					    LIG_L2FIB_F_STATIC | LIG_L2FIB_F_BVI)
			    : -ENOENT;
		if (rv < 0)
			lig_warn("l2", "%s: BVI MAC entry not replaced: %s", ifp->name,
				 strerror(-rv));
		return;
	}
	if (ev != LIG_IF_EVENT_DELETE)
		return;
	lig_l2_leave_mode(ifp);
	lig_l2fib_flush_interface(ifp->sw_if_index, LIG_INVALID_INDEX, true);
	for (u32 i = 0; i < LIG_IF_MAX; i++) {
		struct lig_interface *o = lig_if_get(i);
		if (o && o->mode == LIG_IF_MODE_XCONNECT && o->xc_sw_if_index == ifp->sw_if_index)
			lig_l2_leave_mode(o);
	}
}

/* Creates the L2 tables (bridge domains, ARP termination, L2 FIB), starts aging and
 * subscribes to interface events. */
static int
lig_l2_module_init(void)
{
	struct lig_bd_main *bm = &lig_bd_main;
	int rv;

	rv = lig_hash64_init(&bm->arp, LIG_BD_ARP_MAX);
	if (rv < 0)
		return rv;
	for (u32 i = 0; i < LIG_BD_MAX; i++)
		bm->bds[i].bvi_sw_if_index = LIG_INVALID_INDEX;
	rv = lig_l2fib_init();
	if (rv == 0)
		rv = lig_l2fib_start_timer();
	if (rv == 0)
		rv = lig_if_subscribe("l2", lig_l2_if_event, NULL);
	return rv;
}

LIG_MODULE(l2, .init = lig_l2_module_init, .depends = {"interface", "ethernet"});

/* SPDX-License-Identifier: Apache-2.0 */
/* Interface API handlers (api.h) and the interface events sent to API subscribers. */
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "api.h"
#include "interface.h"
#include "rx_queue.h"

static int
lig_if_api_set_flags(struct lig_api_call *c, const lig_api_sw_interface_set_flags_t *req,
		     lig_api_sw_interface_set_flags_reply_t *rep)
{
	(void)rep;
	if (!lig_if_get(req->sw_if_index))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	int rv = lig_if_set_admin(req->sw_if_index, req->admin_up);
	if (rv < 0)
		return lig_api_error(c, rv, "interface %s: cannot set %s: %s",
				     lig_if_get(req->sw_if_index)->name,
				     req->admin_up ? "up" : "down", strerror(-rv));
	return 0;
}
/* Mp-safe: the driver's side (netlink, ioctls) runs first; lig_if_set_admin parks the
 * workers only to apply ligd's state and its events. */
LIG_API_HANDLER_MP_SAFE(sw_interface_set_flags, lig_if_api_set_flags);

static int
lig_if_api_set_mac(struct lig_api_call *c, const lig_api_sw_interface_set_mac_t *req,
		   lig_api_sw_interface_set_mac_reply_t *rep)
{
	(void)rep;
	struct lig_interface *ifp = lig_if_get(req->sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	if (req->mac[0] & 1)
		return lig_api_error(
		    c, -EINVAL, "interface %s: a multicast MAC cannot be its address", ifp->name);
	int rv = lig_if_set_mac(req->sw_if_index, req->mac);
	if (rv < 0)
		return lig_api_error(c, rv, "interface %s: cannot change MAC: %s", ifp->name,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER(sw_interface_set_mac, lig_if_api_set_mac);

static int
lig_if_api_set_mtu(struct lig_api_call *c, const lig_api_sw_interface_set_mtu_t *req,
		   lig_api_sw_interface_set_mtu_reply_t *rep)
{
	(void)rep;
	struct lig_interface *ifp = lig_if_get(req->sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	if (req->mtu < 68 || req->mtu > LIG_IF_MTU_MAX)
		return lig_api_error(c, -EINVAL, "interface %s: MTU %u out of range (68..%u)",
				     ifp->name, req->mtu, LIG_IF_MTU_MAX);
	int rv = lig_if_set_mtu(req->sw_if_index, req->mtu);
	if (rv < 0)
		return lig_api_error(c, rv, "interface %s: cannot set MTU %u: %s", ifp->name,
				     req->mtu, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(sw_interface_set_mtu, lig_if_api_set_mtu);

static int
lig_if_api_set_tag(struct lig_api_call *c, const lig_api_sw_interface_set_tag_t *req,
		   lig_api_sw_interface_set_tag_reply_t *rep)
{
	(void)rep;
	struct lig_interface *ifp = lig_if_get(req->sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	int rv = lig_if_set_tag(req->sw_if_index, req->tag);
	if (rv < 0)
		return lig_api_error(c, rv,
				     "interface %s: a tag is up to %u characters of printable "
				     "ASCII but '\"'",
				     ifp->name, LIG_IF_TAG_SIZE - 1);
	return 0;
}
/* mp-safe: a tag is a client's name, never read by the datapath. */
LIG_API_HANDLER_MP_SAFE(sw_interface_set_tag, lig_if_api_set_tag);

static void
lig_if_api_details(const struct lig_interface *ifp, lig_api_sw_interface_dump_details_t *d)
{
	struct lig_if_counters sum, *k = &sum;

	lig_if_get_counters(ifp, &sum);
	memset(d, 0, sizeof(*d));
	d->sw_if_index = ifp->sw_if_index;
	snprintf(d->name, sizeof(d->name), "%s", ifp->name);
	snprintf(d->device_class, sizeof(d->device_class), "%s", ifp->class->name);
	snprintf(d->tag, sizeof(d->tag), "%s", ifp->tag);
	d->admin_up = ifp->admin_up;
	d->link_up = ifp->link_up;
	memcpy(d->mac, ifp->mac, 6);
	d->mtu = ifp->mtu;
	d->l2_mode = ifp->l2.mode;
	d->l2_bvi = ifp->l2.bvi;
	d->rx_packets = k->rx_packets;
	d->rx_bytes = k->rx_bytes;
	d->tx_packets = k->tx_packets;
	d->tx_bytes = k->tx_bytes;
	d->drops = k->drops;
	d->rx_errors = k->rx_errors;
	d->tx_errors = k->tx_errors;
}

static int
lig_if_api_dump(struct lig_api_call *c, const lig_api_sw_interface_dump_t *req)
{
	u32 from = 0, to = LIG_IF_MAX;

	if (req->sw_if_index) {
		if (!lig_if_get(req->sw_if_index))
			return lig_api_error(c, -ENOENT, "interface %u does not exist",
					     req->sw_if_index);
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_interface *ifp = lig_if_get((u32)i);
		lig_api_sw_interface_dump_details_t d;
		if (!ifp || (req->name[0] && strcmp(req->name, ifp->name) != 0))
			continue;
		lig_if_api_details(ifp, &d);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
/* mp-safe: configuration, and counters read with lig_counter_get. */
LIG_API_DUMP_HANDLER_MP_SAFE(sw_interface_dump, lig_if_api_dump);

static int
lig_if_api_set_rx_placement(struct lig_api_call *c,
			    const lig_api_sw_interface_set_rx_placement_t *req,
			    lig_api_sw_interface_set_rx_placement_reply_t *rep)
{
	(void)rep;
	struct lig_interface *ifp = lig_if_get(req->sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	if (req->queue_id > 0xffff ||
	    lig_rxq_thread(req->sw_if_index, (u16)req->queue_id) == LIG_INVALID_INDEX)
		return lig_api_error(c, -ENOENT, "interface %s has no rx queue %u", ifp->name,
				     req->queue_id);
	if (req->is_main && lig_n_workers)
		return lig_api_error(c, -EINVAL,
				     "%s queue %u: main polls no queue while workers run",
				     ifp->name, req->queue_id);
	if (!req->is_main && req->worker_id >= lig_n_workers)
		return lig_api_error(c, -EINVAL, "%s queue %u: no worker %u (%u workers)",
				     ifp->name, req->queue_id, req->worker_id, lig_n_workers);
	int rv = lig_rxq_place(req->sw_if_index, (u16)req->queue_id,
			       req->is_main ? LIG_INVALID_INDEX : req->worker_id);
	if (rv < 0)
		return lig_api_error(c, rv, "%s queue %u: cannot move it: %s", ifp->name,
				     req->queue_id, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(sw_interface_set_rx_placement, lig_if_api_set_rx_placement);

static int
lig_if_api_rx_placement_dump(struct lig_api_call *c,
			     const lig_api_sw_interface_rx_placement_dump_t *req)
{
	u32 sw = req->sw_if_index ? req->sw_if_index : LIG_INVALID_INDEX, cursor = (u32)c->cursor;
	struct lig_rxq_info q;

	if (req->sw_if_index && !lig_if_get(req->sw_if_index))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	for (u32 at = cursor; lig_rxq_next(sw, &cursor, &q); at = cursor) {
		lig_api_sw_interface_rx_placement_dump_details_t d = {
		    .sw_if_index = q.sw_if_index,
		    .queue_id = q.queue_id,
		    .worker_id = q.thread ? q.thread - 1 : LIG_INVALID_INDEX,
		    .mode = q.polling ? 1 : 2,
		    .manual = q.manual,
		};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = at;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(sw_interface_rx_placement_dump, lig_if_api_rx_placement_dump);

static void
lig_if_api_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx)
{
	(void)ctx;
	if (!lig_api_event_wanted(LIG_API_ID_interface_event))
		return;
	lig_api_interface_event_t e = {.event = (u8)ev,
				       .sw_if_index = ifp->sw_if_index,
				       .admin_up = ifp->admin_up,
				       .link_up = ifp->link_up,
				       .mtu = ifp->mtu};
	snprintf(e.name, sizeof(e.name), "%s", ifp->name);
	snprintf(e.tag, sizeof(e.tag), "%s", ifp->tag);
	memcpy(e.mac, ifp->mac, 6);
	lig_api_event(LIG_API_ID_interface_event, &e, sizeof(e));
}

static int
lig_if_api_init(void)
{
	return lig_if_subscribe("api", lig_if_api_event, NULL);
}
LIG_MODULE(interface_api, .init = lig_if_api_init, .depends = {"interface"});

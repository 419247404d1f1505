/* SPDX-License-Identifier: Apache-2.0 */
/* af_packet API handlers (api.h): the one front end of afpacket.c that the socket, the
 * CLI (cli.c) and the agent all call. */
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "afpacket.h"
#include "api.h"

static bool
lig_afpacket_api_mac_zero(const u8 *m)
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

static int
lig_afpacket_api_create(struct lig_api_call *c, const lig_api_af_packet_create_t *req,
			lig_api_af_packet_create_reply_t *rep)
{
	const char *host_if = req->host_if_name;
	bool have_mac = !lig_afpacket_api_mac_zero(req->hw_addr);
	u32 sw = 0;

	if (!host_if[0])
		return lig_api_error(c, -EINVAL,
				     "host-interface: a Linux interface name is needed");
	if (have_mac && (req->hw_addr[0] & 1))
		return lig_api_error(c, -EINVAL, "host-%s: a multicast MAC cannot be its address",
				     host_if);
	if (req->num_rx_queues > LIG_AFPACKET_MAX_RX_QUEUES)
		return lig_api_error(c, -EINVAL, "host-%s: %u rx queues asked, at most %u", host_if,
				     req->num_rx_queues, LIG_AFPACKET_MAX_RX_QUEUES);
	int rv =
	    lig_afpacket_create(host_if, have_mac ? req->hw_addr : NULL, req->num_rx_queues, &sw);
	if (rv == -ENODEV)
		return lig_api_error(c, rv, "no Linux interface '%s'", host_if);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "host-%s already exists", host_if);
	if (rv < 0)
		return lig_api_error(c, rv, "host-%s: cannot attach to %s: %s", host_if, host_if,
				     strerror(-rv));
	rep->sw_if_index = sw;
	return 0;
}
/* Mp-safe: the sockets and rings are set up first; lig_afpacket_create parks the workers
 * only to add the interface. */
LIG_API_HANDLER_MP_SAFE(af_packet_create, lig_afpacket_api_create);

static int
lig_afpacket_api_delete(struct lig_api_call *c, const lig_api_af_packet_delete_t *req,
			lig_api_af_packet_delete_reply_t *rep)
{
	char host_if[IF_NAMESIZE];
	(void)rep;

	if (req->sw_if_index) {
		const struct lig_afpacket_dev *dev = lig_afpacket_dev_by_sw(req->sw_if_index);
		if (!lig_if_get(req->sw_if_index))
			return lig_api_error(c, -ENOENT, "interface %u does not exist",
					     req->sw_if_index);
		if (!dev)
			return lig_api_error(c, -EINVAL, "%s is not a host-interface",
					     lig_if_get(req->sw_if_index)->name);
		snprintf(host_if, sizeof(host_if), "%s", dev->host_if);
	} else if (req->host_if_name[0]) {
		snprintf(host_if, sizeof(host_if), "%s", req->host_if_name);
	} else {
		return lig_api_error(c, -EINVAL,
				     "host-interface: give its sw_if_index or host_if_name");
	}
	int rv = lig_afpacket_delete(host_if);
	if (rv == -ENOENT)
		return lig_api_error(c, rv, "no host-interface on '%s'", host_if);
	if (rv < 0)
		return lig_api_error(c, rv, "host-%s: cannot delete: %s", host_if, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(af_packet_delete, lig_afpacket_api_delete);

static int
lig_afpacket_api_dump(struct lig_api_call *c, const lig_api_af_packet_dump_t *req)
{
	u32 from = 1, to = LIG_IF_MAX;

	if (req->sw_if_index) {
		if (!lig_if_get(req->sw_if_index))
			return lig_api_error(c, -ENOENT, "interface %u does not exist",
					     req->sw_if_index);
		if (!lig_afpacket_dev_by_sw(req->sw_if_index))
			return lig_api_error(c, -EINVAL, "%s is not a host-interface",
					     lig_if_get(req->sw_if_index)->name);
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_afpacket_dev *dev = lig_afpacket_dev_by_sw((u32)i);
		if (!dev)
			continue;
		lig_api_af_packet_dump_details_t d = {.sw_if_index = (u32)i,
						      .host_if_index = (u32)dev->host_ifindex,
						      .num_rx_queues = dev->n_rx_queues};
		snprintf(d.host_if_name, sizeof(d.host_if_name), "%s", dev->host_if);
		memcpy(d.hw_addr, lig_if_get((u32)i)->mac, 6);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(af_packet_dump, lig_afpacket_api_dump);

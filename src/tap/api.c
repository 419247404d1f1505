/* SPDX-License-Identifier: Apache-2.0 */
/* tap API handlers (api.h): the one front end of tap.c that the socket, the CLI (cli.c)
 * and the agent all call. */
#include <errno.h>
#include <stdio.h>

#include "../ethernet/ethernet.h"
#include "../vlib/api_server.h"
#include "api.h"
#include "tap.h"

static int
lig_tap_api_create(struct lig_api_call *c, const lig_api_tap_create_t *req,
		   lig_api_tap_create_reply_t *rep)
{
	const u8 *m = req->hw_addr, *hm = req->host_mac_addr;
	bool have_mac = !lig_mac_is_zero(m), have_host_mac = !lig_mac_is_zero(hm);
	struct lig_tap_create_args a = {
	    .id = req->id,
	    .host_if_name = req->host_if_name[0] ? req->host_if_name : NULL,
	    .host_ns = req->host_ns[0] ? req->host_ns : NULL,
	    .host_ip4 = req->host_ip4_addr,
	    .host_ip4_len = req->host_ip4_prefix_len,
	    .host_ip4_gw = req->host_ip4_gw,
	    .host_mac = have_host_mac ? hm : NULL,
	    .host_mtu = req->host_mtu_size,
	    .host_bridge = req->host_bridge[0] ? req->host_bridge : NULL,
	    .mac = have_mac ? req->hw_addr : NULL,
	    .flags = req->tap_flags | LIG_TAP_FLAG_CSUM_OFFLOAD,
	    .n_queues = req->num_rx_queues,
	};
	u32 sw = 0;

	if (req->id > 65535)
		return lig_api_error(c, -EINVAL, "tap id %u out of range (0..65535)", req->id);
	if (req->tap_flags &
	    ~(u32)(LIG_TAP_FLAG_GSO | LIG_TAP_FLAG_CSUM_OFFLOAD | LIG_TAP_FLAG_NO_VHOST))
		return lig_api_error(c, -EINVAL,
				     "tap%u: unknown tap_flags 0x%x (1 gso, 2 csum-offload, "
				     "0x10000 no-vhost)",
				     req->id, req->tap_flags);
	if (req->num_rx_queues > LIG_TAP_MAX_QUEUES)
		return lig_api_error(c, -EINVAL, "tap%u: %u queues asked, at most %u", req->id,
				     req->num_rx_queues, LIG_TAP_MAX_QUEUES);
	if (req->host_ip4_prefix_len > 32)
		return lig_api_error(c, -EINVAL, "tap%u: host-ip4-addr prefix length %u is over 32",
				     req->id, req->host_ip4_prefix_len);
	if (req->host_ip4_gw && !req->host_ip4_addr)
		return lig_api_error(c, -EINVAL, "tap%u: host-ip4-gw needs host-ip4-addr", req->id);
	if (a.host_ns &&
	    (strchr(a.host_ns, '/') || strcmp(a.host_ns, ".") == 0 || strcmp(a.host_ns, "..") == 0))
		return lig_api_error(c, -EINVAL, "tap%u: '%s' is not a network namespace name",
				     req->id, a.host_ns);
	if (have_mac && (m[0] & 1))
		return lig_api_error(c, -EINVAL, "tap%u: a multicast MAC cannot be its address",
				     req->id);
	if (have_host_mac && (hm[0] & 1))
		return lig_api_error(c, -EINVAL,
				     "tap%u: a multicast MAC cannot be the host side's address",
				     req->id);
	u32 mtu_max = lig_tap_host_mtu_max(req->tap_flags);
	if (req->host_mtu_size && (req->host_mtu_size < 68 || req->host_mtu_size > mtu_max))
		return lig_api_error(c, -EINVAL, "tap%u: host-mtu-size %u out of range (68..%u%s)",
				     req->id, req->host_mtu_size, mtu_max,
				     (req->tap_flags & LIG_TAP_FLAG_GSO) ? "" : "; more with gso");
	int rv = lig_tap_create(&a, &sw);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "tap%u or its host interface already exists", req->id);
	if (rv == -EBUSY)
		return lig_api_error(c, rv, "tap%u: host interface '%s' is in use", req->id,
				     a.host_if_name ? a.host_if_name : "");
	if (rv == -ENOENT && a.host_ns)
		return lig_api_error(c, rv, "no network namespace '%s'", a.host_ns);
	if (rv == -ENODEV && a.host_bridge)
		return lig_api_error(c, rv, "tap%u: no Linux interface '%s' for host-bridge%s%s",
				     req->id, a.host_bridge, a.host_ns ? " in " : "",
				     a.host_ns ? a.host_ns : "");
	if (rv < 0)
		return lig_api_error(c, rv, "tap%u: cannot create: %s", req->id, strerror(-rv));
	rep->sw_if_index = sw;
	return 0;
}
/* Mp-safe: the tun device and its host side are set up first; lig_tap_create parks the
 * workers only to add the interface. */
LIG_API_HANDLER_MP_SAFE(tap_create, lig_tap_api_create);

/* The tap interface sw_if_index, or an error naming what it is instead. */
static int
lig_tap_api_get(struct lig_api_call *c, u32 sw_if_index, const struct lig_tap_dev **dev)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", sw_if_index);
	*dev = lig_tap_dev_by_sw(sw_if_index);
	if (!*dev)
		return lig_api_error(c, -EINVAL, "%s is not a tap interface", ifp->name);
	return 0;
}

static int
lig_tap_api_delete(struct lig_api_call *c, const lig_api_tap_delete_t *req,
		   lig_api_tap_delete_reply_t *rep)
{
	const struct lig_tap_dev *dev;
	(void)rep;

	int rv = lig_tap_api_get(c, req->sw_if_index, &dev);
	if (rv < 0)
		return rv;
	rv = lig_tap_delete(req->sw_if_index);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot delete: %s",
				     lig_if_get(req->sw_if_index)->name, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(tap_delete, lig_tap_api_delete);

static int
lig_tap_api_dump(struct lig_api_call *c, const lig_api_tap_dump_t *req)
{
	u32 from = 1, to = LIG_IF_MAX;

	if (req->sw_if_index) {
		const struct lig_tap_dev *dev;
		int rv = lig_tap_api_get(c, req->sw_if_index, &dev);
		if (rv < 0)
			return rv;
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_tap_dev *dev = lig_tap_dev_by_sw((u32)i);
		if (!dev)
			continue;
		lig_api_tap_dump_details_t d = {
		    .sw_if_index = (u32)i,
		    .id = dev->id,
		    .host_ip4_addr = dev->host_ip4,
		    .host_ip4_prefix_len = dev->host_ip4 ? dev->host_ip4_len : 0,
		    .host_ip4_gw = dev->host_ip4_gw,
		    .host_mtu_size = dev->host_mtu,
		    .tap_flags = dev->flags,
		    .num_rx_queues = dev->n_queues,
		};
		snprintf(d.host_if_name, sizeof(d.host_if_name), "%s", dev->host_if);
		snprintf(d.host_ns, sizeof(d.host_ns), "%s", dev->host_ns);
		snprintf(d.host_bridge, sizeof(d.host_bridge), "%s", dev->host_bridge);
		memcpy(d.host_mac_addr, dev->host_mac, 6);
		memcpy(d.hw_addr, lig_if_get((u32)i)->mac, 6);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(tap_dump, lig_tap_api_dump);

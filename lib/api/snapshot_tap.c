/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot step 100 for tap: tap interfaces are created on the copy with the same id, MAC
 * and kernel side (name, namespace, address, default route): the copy must run where
 * those names are free (another network namespace, for a kernel side in ligd's own). One
 * that the copy has already (by name) is left as it is. */
#include <errno.h>
#include <string.h>

#include "tap/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_tap_ctx {
	struct lig_snap *s;
	int rv;
};

/* Creates on s->to while s->from's dump is being read: allowed, it is the other
 * connection. */
static bool
lig_snap_tap_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_tap_ctx *x = ctx;
	lig_api_tap_dump_details_t d;
	lig_api_tap_create_t req = {0};
	lig_api_tap_create_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (lig_snap_if_to(x->s, d.sw_if_index) != ~0u)
		return true; /* already there: the interface step makes its settings equal */
	req.id = d.id;
	memcpy(req.host_if_name, d.host_if_name, sizeof(req.host_if_name));
	memcpy(req.host_ns, d.host_ns, sizeof(req.host_ns));
	req.host_ip4_addr = d.host_ip4_addr;
	req.host_ip4_prefix_len = d.host_ip4_prefix_len;
	req.host_ip4_gw = d.host_ip4_gw;
	memcpy(req.hw_addr, d.hw_addr, 6);
	memcpy(req.host_mac_addr, d.host_mac_addr, 6);
	req.host_mtu_size = d.host_mtu_size;
	memcpy(req.host_bridge, d.host_bridge, sizeof(req.host_bridge));
	req.tap_flags = d.tap_flags;
	req.num_rx_queues = d.num_rx_queues;
	x->rv = LIG_API_CLIENT_CALL(x->s->to, tap_create, &req, &rep);
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_tap_copy(struct lig_snap *s)
{
	struct lig_snap_tap_ctx x = {.s = s};
	lig_api_tap_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, tap_dump, &req, lig_snap_tap_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_tap_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_tap_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "tap", LIG_API_ID_tap_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_tap_text(struct lig_snap *s)
{
	struct lig_snap_tap_ctx x = {.s = s};
	lig_api_tap_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, tap_dump, &req, lig_snap_tap_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("tap", 100, lig_snap_tap_copy, lig_snap_tap_text)

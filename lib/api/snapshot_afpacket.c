/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot step 100 for af_packet: host-interfaces are created on the copy with the same
 * Linux interface and MAC (the Linux interface must exist where the copy runs). One that
 * the copy has already (by name) is left as it is. */
#include <errno.h>
#include <string.h>

#include "afpacket/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_afpacket_ctx {
	struct lig_snap *s;
	int rv;
};

/* Creates on s->to while s->from's dump is being read: allowed, it is the other
 * connection. */
static bool
lig_snap_afpacket_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_afpacket_ctx *x = ctx;
	lig_api_af_packet_dump_details_t d;
	lig_api_af_packet_create_t req = {0};
	lig_api_af_packet_create_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (lig_snap_if_to(x->s, d.sw_if_index) != ~0u)
		return true; /* already there: the interface step makes its settings equal */
	memcpy(req.host_if_name, d.host_if_name, sizeof(req.host_if_name));
	memcpy(req.hw_addr, d.hw_addr, 6);
	req.num_rx_queues = d.num_rx_queues;
	x->rv = LIG_API_CLIENT_CALL(x->s->to, af_packet_create, &req, &rep);
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_afpacket_copy(struct lig_snap *s)
{
	struct lig_snap_afpacket_ctx x = {.s = s};
	lig_api_af_packet_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, af_packet_dump, &req, lig_snap_afpacket_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_afpacket_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_afpacket_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "af_packet", LIG_API_ID_af_packet_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_afpacket_text(struct lig_snap *s)
{
	struct lig_snap_afpacket_ctx x = {.s = s};
	lig_api_af_packet_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, af_packet_dump, &req, lig_snap_afpacket_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("af_packet", 100, lig_snap_afpacket_copy, lig_snap_afpacket_text)

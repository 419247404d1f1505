/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot step 100 for loopbacks: created on the copy with the same instance and MAC; one
 * that the copy has already (by name) is left as it is. */
#include <errno.h>
#include <string.h>

#include "loopback/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_loopback_ctx {
	struct lig_snap *s;
	int rv;
};

/* Creates on s->to while s->from's dump is being read: allowed, it is the other
 * connection. */
static bool
lig_snap_loopback_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_loopback_ctx *x = ctx;
	lig_api_loopback_dump_details_t d;
	lig_api_loopback_create_t req = {0};
	lig_api_loopback_create_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (lig_snap_if_to(x->s, d.sw_if_index) != ~0u)
		return true; /* already there: the interface step makes its settings equal */
	memcpy(req.mac, d.mac, 6);
	req.instance_set = 1;
	req.instance = d.instance;
	x->rv = LIG_API_CLIENT_CALL(x->s->to, loopback_create, &req, &rep);
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_loopback_copy(struct lig_snap *s)
{
	struct lig_snap_loopback_ctx x = {.s = s};
	lig_api_loopback_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, loopback_dump, &req, lig_snap_loopback_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_loopback_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_loopback_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "loopback", LIG_API_ID_loopback_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_loopback_text(struct lig_snap *s)
{
	struct lig_snap_loopback_ctx x = {.s = s};
	lig_api_loopback_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, loopback_dump, &req, lig_snap_loopback_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("loopback", 100, lig_snap_loopback_copy, lig_snap_loopback_text)

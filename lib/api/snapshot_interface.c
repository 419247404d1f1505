/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshot step 200: the settings every interface has (MAC, MTU, tag, admin state). The
 * interfaces themselves are created by their classes' steps (100). */
#include <errno.h>
#include <string.h>

#include "interface/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_if_ctx {
	struct lig_snap *s;
	int rv;
};

static bool
lig_snap_if_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_if_ctx *x = ctx;
	lig_api_sw_interface_dump_details_t d;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	u32 to = lig_snap_if_to(x->s, d.sw_if_index);
	if (to == ~0u) {
		x->rv = lig_snap_fail(x->s, -ENOENT, "interface %s was not created", d.name);
		return false;
	}
	x->rv = 0;
	return true;
}

/* Applied in a second pass: the dump callback must not issue calls on the connection it
 * is reading from, but may on the other. */
static bool
lig_snap_if_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_if_ctx *x = ctx;
	lig_api_sw_interface_dump_details_t d;
	lig_api_sw_interface_set_mac_t mac;
	lig_api_sw_interface_set_mac_reply_t mac_rep;
	lig_api_sw_interface_set_mtu_t mtu;
	lig_api_sw_interface_set_mtu_reply_t mtu_rep;
	lig_api_sw_interface_set_flags_t fl;
	lig_api_sw_interface_set_flags_reply_t fl_rep;
	lig_api_sw_interface_set_tag_t tag;
	lig_api_sw_interface_set_tag_reply_t tag_rep;

	if (x->rv || size != sizeof(d) || !lig_snap_if_copy_one(ctx, details, size))
		return false;
	memcpy(&d, details, sizeof(d));
	u32 to = lig_snap_if_to(x->s, d.sw_if_index);
	mac.sw_if_index = to;
	memcpy(mac.mac, d.mac, 6);
	mtu.sw_if_index = to;
	mtu.mtu = d.mtu;
	fl.sw_if_index = to;
	fl.admin_up = d.admin_up;
	tag.sw_if_index = to;
	memcpy(tag.tag, d.tag, sizeof(tag.tag));
	if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_mac, &mac, &mac_rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", mac_rep.error);
	else if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_mtu, &mtu, &mtu_rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", mtu_rep.error);
	else if (tag.tag[0] &&
		 (x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_tag, &tag, &tag_rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", tag_rep.error);
	else if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_flags, &fl, &fl_rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", fl_rep.error);
	return x->rv == 0;
}

static int
lig_snap_if_copy(struct lig_snap *s)
{
	struct lig_snap_if_ctx x = {.s = s};
	lig_api_sw_interface_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, sw_interface_dump, &req, lig_snap_if_apply, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_if_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_if_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "interface", LIG_API_ID_sw_interface_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_if_text(struct lig_snap *s)
{
	struct lig_snap_if_ctx x = {.s = s};
	lig_api_sw_interface_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, sw_interface_dump, &req, lig_snap_if_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("interface", 200, lig_snap_if_copy, lig_snap_if_text)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot step 600 of acl: after interfaces, L2 and L3 exist, the session settings, then
 * every ACL with its index and rules, then the interfaces' input and output lists (by
 * interface name). acl_dump's details and interface lists have the layout of the requests
 * that recreate them (api.h), so they are sent back as they came, the interface mapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acl/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_acl_ctx {
	struct lig_snap *s;
	int rv;
};

static bool
lig_snap_acl_config_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_acl_ctx *x = ctx;
	lig_api_acl_session_config_t req;
	lig_api_acl_session_config_reply_t rep;

	if (x->rv || size != sizeof(req))
		return false;
	memcpy(&req, details, sizeof(req));
	if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, acl_session_config, &req, &rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static bool
lig_snap_acl_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_acl_ctx *x = ctx;
	lig_api_acl_add_replace_reply_t rep;

	_Static_assert(sizeof(lig_api_acl_dump_details_t) == sizeof(lig_api_acl_add_replace_t),
		       "acl details are an add_replace request");
	if (x->rv || size < sizeof(lig_api_acl_add_replace_t))
		return false;
	if ((x->rv = lig_api_call(x->s->to, LIG_API_ID_acl_add_replace, details, size, &rep,
				  sizeof(rep))) < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static bool
lig_snap_acl_if_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_acl_ctx *x = ctx;
	lig_api_acl_interface_set_acl_list_reply_t rep;

	_Static_assert(sizeof(lig_api_acl_interface_list_dump_details_t) ==
			   sizeof(lig_api_acl_interface_set_acl_list_t),
		       "interface list details are a set_acl_list request");
	if (x->rv || size < sizeof(lig_api_acl_interface_set_acl_list_t) || size > 4096)
		return false;
	u8 *req = malloc(size);
	if (!req)
		return (x->rv = lig_snap_fail(x->s, -ENOMEM, "out of memory")), false;
	memcpy(req, details, size);
	lig_api_acl_interface_set_acl_list_t *r = (void *)req;
	u32 to = lig_snap_if_to(x->s, r->sw_if_index);
	if (to == ~0u) {
		x->rv =
		    lig_snap_fail(x->s, -ENOENT, "acl: interface %u has no match", r->sw_if_index);
	} else {
		r->sw_if_index = to;
		if ((x->rv = lig_api_call(x->s->to, LIG_API_ID_acl_interface_set_acl_list, req,
					  size, &rep, sizeof(rep))) < 0)
			lig_snap_fail(x->s, x->rv, "%s", rep.error);
	}
	free(req);
	return x->rv == 0;
}

static int
lig_snap_acl_copy(struct lig_snap *s)
{
	struct lig_snap_acl_ctx x = {.s = s};
	lig_api_acl_dump_t req = {0};
	lig_api_acl_interface_list_dump_t ireq = {0};
	int rv = lig_api_dump(s->from, LIG_API_ID_acl_session_config_dump, NULL, 0,
			      lig_snap_acl_config_one, &x);

	if (!x.rv && rv >= 0)
		rv = LIG_API_CLIENT_DUMP(s->from, acl_dump, &req, lig_snap_acl_one, &x);
	if (!x.rv && rv >= 0)
		rv = LIG_API_CLIENT_DUMP(s->from, acl_interface_list_dump, &ireq,
					 lig_snap_acl_if_one, &x);
	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

struct lig_snap_acl_text_ctx {
	struct lig_snap *s;
	u16 msg_id;
	int rv;
};

static bool
lig_snap_acl_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_acl_text_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "acl", x->msg_id, details, size);
	return x->rv == 0;
}

static int
lig_snap_acl_text(struct lig_snap *s)
{
	static const u16 dumps[] = {LIG_API_ID_acl_session_config_dump, LIG_API_ID_acl_dump,
				    LIG_API_ID_acl_interface_list_dump};
	u8 zero[8] = {0};
	u32 sizes[] = {0, sizeof(lig_api_acl_dump_t), sizeof(lig_api_acl_interface_list_dump_t)};

	for (u32 i = 0; i < 3; i++) {
		struct lig_snap_acl_text_ctx x = {.s = s, .msg_id = dumps[i]};
		int rv = lig_api_dump(s->from, dumps[i], zero, sizes[i], lig_snap_acl_text_one, &x);
		if (x.rv)
			return lig_snap_fail(s, x.rv, "out of memory");
		if (rv < 0)
			return lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from));
	}
	return 0;
}

LIG_SNAP_STEP("acl", 600, lig_snap_acl_copy, lig_snap_acl_text)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot step 100 of vxlan: tunnels are interfaces, created with their instance (so
 * their names, vxlan_tunnel<instance>, match) before interface settings (200) and L2
 * (300) refer to them. Their encap tables exist by then (ip4's step 90).
 */
#include <errno.h>
#include <string.h>

#include "ligapi_snapshot.h"
#include "vxlan/api.h"

struct lig_snap_vxlan_ctx {
	struct lig_snap *s;
	int rv;
};

static bool
lig_snap_vxlan_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_vxlan_ctx *x = ctx;
	lig_api_vxlan_tunnel_dump_details_t d;
	lig_api_vxlan_add_del_tunnel_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_api_vxlan_add_del_tunnel_t req = {.is_add = 1,
					      .src = d.src,
					      .dst = d.dst,
					      .vni = d.vni,
					      .encap_table_id = d.encap_table_id,
					      .decap_next = d.decap_next,
					      .instance = d.instance};
	if ((x->rv = LIG_API_CLIENT_CALL(x->s->to, vxlan_add_del_tunnel, &req, &rep)) < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_vxlan_copy(struct lig_snap *s)
{
	struct lig_snap_vxlan_ctx x = {.s = s};
	lig_api_vxlan_tunnel_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, vxlan_tunnel_dump, &req, lig_snap_vxlan_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_vxlan_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_vxlan_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "vxlan", LIG_API_ID_vxlan_tunnel_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_vxlan_text(struct lig_snap *s)
{
	struct lig_snap_vxlan_ctx x = {.s = s};
	lig_api_vxlan_tunnel_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, vxlan_tunnel_dump, &req, lig_snap_vxlan_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("vxlan", 100, lig_snap_vxlan_copy, lig_snap_vxlan_text)

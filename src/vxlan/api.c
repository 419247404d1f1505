/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VXLAN API handlers (api.h): tunnel create/delete through lig_vxlan_add_del_tunnel()
 * with errors in words, and the tunnel dump. The CLI (cli.c) calls the same handlers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/api_server.h"
#include "api.h"
#include "vxlan.h"

struct ip_buf {
	char s[INET_ADDRSTRLEN];
};

static const char *
ip_str(u32 addr, struct ip_buf *b)
{
	return inet_ntop(AF_INET, &addr, b->s, sizeof(b->s));
}

static bool
ip_is_unicast(u32 addr)
{
	return addr != 0 && ((const u8 *)&addr)[0] < 224;
}

static const char *
tunnel_name(const struct lig_vxlan_tunnel *t)
{
	const struct lig_interface *ifp = lig_if_get(t->sw_if_index);
	return ifp ? ifp->name : "?";
}

static int
lig_vxlan_api_add_del(struct lig_api_call *c, const lig_api_vxlan_add_del_tunnel_t *req,
		      lig_api_vxlan_add_del_tunnel_reply_t *rep)
{
	struct lig_vxlan_tunnel_args a = {.is_add = req->is_add,
					  .src = req->src,
					  .dst = req->dst,
					  .vni = req->vni,
					  .encap_table_id = req->encap_table_id,
					  .decap_next = req->decap_next,
					  .instance = req->instance};
	struct lig_vxlan_main *vm = &lig_vxlan_main;
	struct ip_buf s, d;
	u32 sw = LIG_INVALID_INDEX;
	int rv;

	ip_str(req->src, &s);
	ip_str(req->dst, &d);
	if (req->vni > LIG_VXLAN_VNI_MAX)
		return lig_api_error(c, -EINVAL, "VNI %u out of range (0..%u)", req->vni,
				     LIG_VXLAN_VNI_MAX);
	if (req->src == req->dst || !ip_is_unicast(req->src) || !ip_is_unicast(req->dst))
		return lig_api_error(c, -EINVAL,
				     "src and dst must differ and be unicast (src %s, dst %s)", s.s,
				     d.s);
	if (req->is_add) {
		if (req->decap_next != LIG_VXLAN_DECAP_NEXT_L2)
			return lig_api_error(c, -EINVAL, "unknown decap-next %u (0: l2)",
					     req->decap_next);
		if (req->instance != LIG_INVALID_INDEX && req->instance >= LIG_VXLAN_MAX_TUNNELS)
			return lig_api_error(c, -EINVAL, "instance %u out of range (0..%u)",
					     req->instance, LIG_VXLAN_MAX_TUNNELS - 1);
		if (lig_fib_table_find(req->encap_table_id) == LIG_INVALID_INDEX)
			return lig_api_error(c, -ENOENT, "no table %u (ip table add %u)",
					     req->encap_table_id, req->encap_table_id);
		/* One look-up, not a walk of every instance: this runs under the barrier. */
		const struct lig_vxlan_tunnel *t = lig_vxlan_tunnel_to(req->dst, req->vni);
		if (t)
			return lig_api_error(c, -EEXIST,
					     "tunnel already exists: %s goes to %s with vni %u",
					     tunnel_name(t), d.s, req->vni);
		if (req->instance != LIG_INVALID_INDEX && vm->tunnels[req->instance].in_use)
			return lig_api_error(c, -EEXIST, "instance %u is in use (%s)",
					     req->instance,
					     tunnel_name(&vm->tunnels[req->instance]));
	}
	rv = lig_vxlan_add_del_tunnel(&a, &sw);
	switch (rv) {
	case 0:
		rep->sw_if_index = sw;
		return 0;
	case -ENOENT:
		if (!req->is_add)
			return lig_api_error(c, rv, "no such tunnel: src %s dst %s vni %u", s.s,
					     d.s, req->vni);
		return lig_api_error(c, rv, "no table %u (ip table add %u)", req->encap_table_id,
				     req->encap_table_id);
	case -ENOSPC:
		return lig_api_error(c, rv, "no free tunnel instance (at most %u tunnels)",
				     LIG_VXLAN_MAX_TUNNELS);
	default:
		return lig_api_error(c, rv, "cannot %s tunnel src %s dst %s vni %u: %s",
				     req->is_add ? "create" : "delete", s.s, d.s, req->vni,
				     strerror(-rv));
	}
}
LIG_API_HANDLER(vxlan_add_del_tunnel, lig_vxlan_api_add_del);

static int
lig_vxlan_api_dump(struct lig_api_call *c, const lig_api_vxlan_tunnel_dump_t *req)
{
	u32 from = 0, to = LIG_VXLAN_MAX_TUNNELS;

	if (req->sw_if_index) {
		const struct lig_interface *ifp = lig_if_get(req->sw_if_index);
		if (!ifp)
			return lig_api_error(c, -ENOENT, "interface %u does not exist",
					     req->sw_if_index);
		from = ifp->dev_instance;
		if (from >= LIG_VXLAN_MAX_TUNNELS || !lig_vxlan_main.tunnels[from].in_use ||
		    lig_vxlan_main.tunnels[from].sw_if_index != req->sw_if_index)
			return lig_api_error(c, -ENOENT, "interface %s is not a VXLAN tunnel",
					     ifp->name);
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_vxlan_tunnel *t = &lig_vxlan_main.tunnels[i];
		if (!t->in_use)
			continue;
		lig_api_vxlan_tunnel_dump_details_t d = {
		    .sw_if_index = t->sw_if_index,
		    .instance = t->instance,
		    .src = t->src,
		    .dst = t->dst,
		    .vni = t->vni,
		    .encap_table_id = lig_fib_main.tables[t->encap_fib_index].table_id,
		    .decap_next = LIG_VXLAN_DECAP_NEXT_L2};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(vxlan_tunnel_dump, lig_vxlan_api_dump);

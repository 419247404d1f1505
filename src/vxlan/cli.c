/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VXLAN CLI: create vxlan tunnel (parsed into the API request, handled by api.c),
 * show vxlan tunnel (the tunnel dump) and the running-config section that recreates the
 * tunnels.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
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

static int
cli_create_vxlan_tunnel(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_vxlan_add_del_tunnel_t req = {.is_add = true, .instance = LIG_INVALID_INDEX};
	lig_api_vxlan_add_del_tunnel_reply_t rep;
	bool have_src = false, have_dst = false, have_vni = false;
	u32 v;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "src")) {
			if (!lig_cli_ip4(in, &v))
				return lig_cli_expected(in, out, "<a.b.c.d>");
			req.src = v;
			have_src = true;
		} else if (lig_cli_keyword(in, "dst")) {
			if (!lig_cli_ip4(in, &v))
				return lig_cli_expected(in, out, "<a.b.c.d>");
			req.dst = v;
			have_dst = true;
		} else if (lig_cli_keyword(in, "vni")) {
			if (!lig_cli_u32(in, &v) || v > LIG_VXLAN_VNI_MAX)
				return lig_cli_expected(in, out, "<vni> (0..16777215)");
			req.vni = v;
			have_vni = true;
		} else if (lig_cli_keyword(in, "encap-vrf-id")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<table-id>");
			req.encap_table_id = v;
		} else if (lig_cli_keyword(in, "decap-next")) {
			if (!lig_cli_keyword(in, "l2"))
				return lig_cli_expected(in, out, "l2");
			req.decap_next = LIG_VXLAN_DECAP_NEXT_L2;
		} else if (lig_cli_keyword(in, "instance")) {
			if (!lig_cli_u32(in, &v) || v >= LIG_VXLAN_MAX_TUNNELS)
				return lig_cli_expected(in, out, "<instance> (0..4095)");
			req.instance = v;
		} else if (lig_cli_keyword(in, "del")) {
			req.is_add = false;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_src || !have_dst || !have_vni)
		return lig_cli_error(in, out, "src, dst and vni are required"), -EINVAL;
	rv = LIG_API_CALL(vxlan_add_del_tunnel, &req, &rep);
	if (rv == 0 && req.is_add) {
		const struct lig_interface *ifp = lig_if_get(rep.sw_if_index);
		lig_str_printf(out, "%s\n", ifp ? ifp->name : "?");
	}
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_create_vxlan_tunnel_command) = {
    .path = "create vxlan tunnel",
    .short_help = "create vxlan tunnel src <ip> dst <ip> vni <n> [encap-vrf-id <n>] "
		  "[decap-next l2] [instance <n>] [del]",
    .function = cli_create_vxlan_tunnel,
};

struct show_ctx {
	struct lig_str *out;
	bool any;
};

static bool
show_vxlan_one(void *ctx, const void *details, u32 size)
{
	const lig_api_vxlan_tunnel_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);
	struct ip_buf a, b;

	(void)size;
	lig_str_printf(x->out,
		       "[%u] instance %u src %s dst %s src_port %u dst_port %u vni %u "
		       "fib-idx %u sw-if-idx %u %s decap-next l2\n",
		       d->instance, d->instance, ip_str(d->src, &a), ip_str(d->dst, &b), 0,
		       LIG_VXLAN_UDP_PORT, d->vni, lig_fib_table_find(d->encap_table_id),
		       d->sw_if_index, ifp ? ifp->name : "?");
	x->any = true;
	return true;
}

static int
cli_show_vxlan_tunnel(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_vxlan_tunnel_dump_t req = {0};
	struct show_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];
	int rv;

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_DUMP(vxlan_tunnel_dump, &req, show_vxlan_one, &x, err);
	if (rv == 0 && !x.any)
		lig_str_printf(out, "No vxlan tunnels configured...\n");
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_show_vxlan_tunnel_command) = {
    .path = "show vxlan tunnel",
    .short_help = "show vxlan tunnel",
    .function = cli_show_vxlan_tunnel,
    .mp_safe = true, /* configuration only main writes (vxlan_tunnel_dump is mp-safe) */
};

static bool
rc_vxlan_one(void *ctx, const void *details, u32 size)
{
	const lig_api_vxlan_tunnel_dump_details_t *d = details;
	struct ip_buf a, b;

	(void)size;
	lig_str_printf(ctx, "create vxlan tunnel src %s dst %s vni %u", ip_str(d->src, &a),
		       ip_str(d->dst, &b), d->vni);
	if (d->encap_table_id)
		lig_str_printf(ctx, " encap-vrf-id %u", d->encap_table_id);
	lig_str_printf(ctx, " instance %u\n", d->instance);
	/* A tunnel is created admin up (as VPP's): one that is down says so right away
	 * (the interface section only brings interfaces up). */
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);
	if (ifp && !ifp->admin_up)
		lig_str_printf(ctx, "set interface state %s down\n", ifp->name);
	return true;
}

/* Tunnels are interfaces, created at 100 so that interface settings (200) and L2 (300)
 * find them; their encap tables are created before, at 90 (ip4's running-config). */
static void
lig_vxlan_running_config(struct lig_str *out)
{
	lig_api_vxlan_tunnel_dump_t req = {0};

	LIG_API_DUMP(vxlan_tunnel_dump, &req, rc_vxlan_one, out, NULL);
}
LIG_RUNNING_CONFIG("vxlan", 100, lig_vxlan_running_config)

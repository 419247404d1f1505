/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot step 650 of nat44, after interfaces, addresses and routes (and ACLs at 600):
 * enable with the same session table size, forwarding and timeouts, then interface roles
 * (mapped by name), the pool, static mappings and load-balancing mappings. Sessions are
 * state, not configuration: they are not copied.
 */
#include <errno.h>
#include <string.h>

#include "ligapi_snapshot.h"
#include "nat44/api.h"

struct lig_snap_nat44_ctx {
	struct lig_snap *s;
	u16 msg_id;
	int rv;
};

/* Sends req (size bytes) as msg_id to the copy; 0 or the error (recorded). */
static int
snap_call(struct lig_snap_nat44_ctx *x, u16 msg_id, const void *req, u32 size)
{
	struct lig_api_status rep;

	x->rv = lig_api_call(x->s->to, msg_id, req, size, &rep, sizeof(rep));
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv;
}

static bool
copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_nat44_ctx *x = ctx;

	if (x->rv)
		return false;
	switch (x->msg_id) {
	case LIG_API_ID_nat44_config_dump: {
		lig_api_nat44_config_dump_details_t d;
		if (size != sizeof(d))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad config")), false;
		memcpy(&d, details, sizeof(d));
		if (!d.enabled)
			return true;
		lig_api_nat44_plugin_enable_disable_t e = {.enable = 1, .sessions = d.sessions};
		lig_api_nat44_forwarding_enable_disable_t f = {.enable = d.forwarding};
		lig_api_nat44_set_timeouts_t t = {.udp = d.udp_timeout,
						  .tcp_established = d.tcp_established_timeout,
						  .tcp_transitory = d.tcp_transitory_timeout,
						  .icmp = d.icmp_timeout};
		if (snap_call(x, LIG_API_ID_nat44_plugin_enable_disable, &e, sizeof(e)) == 0 &&
		    snap_call(x, LIG_API_ID_nat44_forwarding_enable_disable, &f, sizeof(f)) == 0)
			snap_call(x, LIG_API_ID_nat44_set_timeouts, &t, sizeof(t));
		break;
	}
	case LIG_API_ID_nat44_interface_dump: {
		lig_api_nat44_interface_dump_details_t d;
		if (size != sizeof(d))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad interface")),
			       false;
		memcpy(&d, details, sizeof(d));
		u32 to = lig_snap_if_to(x->s, d.sw_if_index);
		if (to == ~0u)
			return (x->rv =
				    lig_snap_fail(x->s, -ENOENT, "nat44: interface %u has no match",
						  d.sw_if_index)),
			       false;
		lig_api_nat44_interface_add_del_feature_t r = {
		    .sw_if_index = to, .is_inside = d.is_inside, .is_add = 1};
		snap_call(x, LIG_API_ID_nat44_interface_add_del_feature, &r, sizeof(r));
		break;
	}
	case LIG_API_ID_nat44_address_dump: {
		lig_api_nat44_address_dump_details_t d;
		if (size != sizeof(d))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad address")), false;
		memcpy(&d, details, sizeof(d));
		lig_api_nat44_add_del_address_range_t r = {
		    .first = d.address, .last = d.address, .is_add = 1};
		snap_call(x, LIG_API_ID_nat44_add_del_address_range, &r, sizeof(r));
		break;
	}
	case LIG_API_ID_nat44_static_mapping_dump: {
		lig_api_nat44_static_mapping_dump_details_t d;
		if (size != sizeof(d))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad mapping")), false;
		memcpy(&d, details, sizeof(d));
		lig_api_nat44_add_del_static_mapping_t r = {.is_add = 1,
							    .protocol = d.protocol,
							    .local_addr = d.local_addr,
							    .local_port = d.local_port,
							    .external_addr = d.external_addr,
							    .external_port = d.external_port};
		snap_call(x, LIG_API_ID_nat44_add_del_static_mapping, &r, sizeof(r));
		break;
	}
	case LIG_API_ID_nat44_lb_static_mapping_dump: {
		u8 buf[sizeof(lig_api_nat44_add_del_lb_static_mapping_t) +
		       16 * sizeof(lig_api_nat44_lb_local_t)];
		lig_api_nat44_lb_static_mapping_dump_details_t d;
		lig_api_nat44_add_del_lb_static_mapping_t *r = (void *)buf;
		if (size < sizeof(d))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad LB mapping")),
			       false;
		memcpy(&d, details, sizeof(d));
		if (d.n_locals > 16 || size != sizeof(d) + d.n_locals * sizeof(r->locals[0]))
			return (x->rv = lig_snap_fail(x->s, -EPROTO, "nat44: bad LB mapping")),
			       false;
		r->is_add = 1;
		r->protocol = d.protocol;
		r->external_addr = d.external_addr;
		r->external_port = d.external_port;
		r->affinity = d.affinity;
		r->n_locals = d.n_locals;
		memcpy(r->locals, (const u8 *)details + sizeof(d),
		       d.n_locals * sizeof(r->locals[0]));
		snap_call(x, LIG_API_ID_nat44_add_del_lb_static_mapping, buf,
			  (u32)(sizeof(*r) + d.n_locals * sizeof(r->locals[0])));
		break;
	}
	default:
		break;
	}
	return x->rv == 0;
}

static const u16 nat44_dumps[] = {
    LIG_API_ID_nat44_config_dump, LIG_API_ID_nat44_interface_dump, LIG_API_ID_nat44_address_dump,
    LIG_API_ID_nat44_static_mapping_dump, LIG_API_ID_nat44_lb_static_mapping_dump};

static int
lig_snap_nat44_copy(struct lig_snap *s)
{
	u8 zero[8] = {0};

	for (u32 i = 0; i < sizeof(nat44_dumps) / sizeof(nat44_dumps[0]); i++) {
		struct lig_snap_nat44_ctx x = {.s = s, .msg_id = nat44_dumps[i]};
		int rv = lig_api_dump(s->from, nat44_dumps[i], zero, 0, copy_one, &x);
		if (x.rv)
			return x.rv;
		if (rv < 0)
			return lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from));
	}
	return 0;
}

static bool
text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_nat44_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "nat44", x->msg_id, details, size);
	return x->rv == 0;
}

static int
lig_snap_nat44_text(struct lig_snap *s)
{
	u8 zero[8] = {0};

	for (u32 i = 0; i < sizeof(nat44_dumps) / sizeof(nat44_dumps[0]); i++) {
		struct lig_snap_nat44_ctx x = {.s = s, .msg_id = nat44_dumps[i]};
		int rv = lig_api_dump(s->from, nat44_dumps[i], zero, 0, text_one, &x);
		if (x.rv)
			return lig_snap_fail(s, x.rv, "out of memory");
		if (rv < 0)
			return lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from));
	}
	return 0;
}

LIG_SNAP_STEP("nat44", 650, lig_snap_nat44_copy, lig_snap_nat44_text)

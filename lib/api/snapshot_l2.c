/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot step 300 of L2 (src/l2/api.h): bridge domains with their flags and MAC age,
 * their ARP-termination entries, the L2 FIB learn limit, then bridge ports (BVI, split
 * horizon group), cross-connects and static FIB entries; every interface exists by then
 * (100). Learned FIB entries are state: not copied, not in the text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "l2/api.h"
#include "ligapi_snapshot.h"

struct lig_snap_l2_ctx {
	struct lig_snap *s;
	int rv;
};

/* The interface of s->to for s->from's sw_if_index, or ~0 with the failure recorded. */
static u32
lig_snap_l2_if(struct lig_snap_l2_ctx *x, u32 from_sw_if_index)
{
	u32 to = lig_snap_if_to(x->s, from_sw_if_index);

	if (to == ~0u) {
		const char *name = lig_snap_if_name(x->s, from_sw_if_index);
		if (name)
			x->rv = lig_snap_fail(x->s, -ENOENT, "interface %s was not created", name);
		else
			x->rv = lig_snap_fail(x->s, -ENOENT, "interface %u has no name",
					      from_sw_if_index);
	}
	return to;
}

/* Finishes a copy: the callback's failure, else the dump's own. */
static int
lig_snap_l2_done(struct lig_snap_l2_ctx *x, int dump_rv)
{
	if (x->rv)
		return x->rv;
	if (dump_rv < 0)
		return lig_snap_fail(x->s, dump_rv, "%s", lig_api_last_error(x->s->from));
	return 0;
}

/* A call on s->to: true if it succeeded, else false with ligd's words recorded. */
static bool
lig_snap_l2_ok(struct lig_snap_l2_ctx *x, int rv, const char *error)
{
	if (rv >= 0)
		return true;
	x->rv = lig_snap_fail(x->s, rv, "%s", error);
	return false;
}

/* Bridge domains and what hangs on them only. */

static bool
lig_snap_l2_bd_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_ctx *x = ctx;
	lig_api_bridge_domain_dump_details_t d;
	lig_api_bridge_domain_add_del_reply_t rep;

	if (x->rv || size < sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_api_bridge_domain_add_del_t req = {.bd_id = d.bd_id,
					       .is_add = 1,
					       .learn = d.learn,
					       .forward = d.forward,
					       .uu_flood = d.uu_flood,
					       .flood = d.flood,
					       .arp_term = d.arp_term,
					       .mac_age = d.mac_age};
	memcpy(req.tag, d.tag, sizeof(req.tag));
	req.tag[sizeof(req.tag) - 1] = 0;
	int rv = LIG_API_CLIENT_CALL(x->s->to, bridge_domain_add_del, &req, &rep);
	if (rv == -EEXIST) {
		/* Already there (bridged into before, or not a fresh ligd): make it equal. */
		u32 on = (d.learn ? LIG_L2_API_BD_FLAG_LEARN : 0) |
			 (d.forward ? LIG_L2_API_BD_FLAG_FORWARD : 0) |
			 (d.uu_flood ? LIG_L2_API_BD_FLAG_UU_FLOOD : 0) |
			 (d.flood ? LIG_L2_API_BD_FLAG_FLOOD : 0) |
			 (d.arp_term ? LIG_L2_API_BD_FLAG_ARP_TERM : 0);
		lig_api_bridge_domain_set_flags_t f = {.bd_id = d.bd_id, .is_set = 1};
		lig_api_bridge_domain_set_flags_reply_t frep;
		lig_api_bridge_domain_set_mac_age_t a = {.bd_id = d.bd_id, .mac_age = d.mac_age};
		lig_api_bridge_domain_set_mac_age_reply_t arep;
		rv = 0;
		for (int set = 0; set < 2 && rv == 0; set++) {
			f.is_set = (u8)set;
			f.flags = set ? on : LIG_L2_API_BD_FLAGS_ALL & ~on;
			if (f.flags)
				rv = LIG_API_CLIENT_CALL(x->s->to, bridge_domain_set_flags, &f,
							 &frep);
		}
		if (!lig_snap_l2_ok(x, rv, frep.error))
			return false;
		rv = LIG_API_CLIENT_CALL(x->s->to, bridge_domain_set_mac_age, &a, &arep);
		return lig_snap_l2_ok(x, rv, arep.error);
	}
	return lig_snap_l2_ok(x, rv, rep.error);
}

static bool
lig_snap_l2_arp_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_ctx *x = ctx;
	lig_api_bd_ip_mac_dump_details_t d;
	lig_api_bd_ip_mac_add_del_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_api_bd_ip_mac_add_del_t req = {.bd_id = d.bd_id, .ip4 = d.ip4, .is_add = 1};
	memcpy(req.mac, d.mac, 6);
	int rv = LIG_API_CLIENT_CALL(x->s->to, bd_ip_mac_add_del, &req, &rep);
	return lig_snap_l2_ok(x, rv, rep.error);
}

/* Ports, cross-connects, static FIB entries. */

static bool
lig_snap_l2_members_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_ctx *x = ctx;
	lig_api_bridge_domain_dump_details_t d;
	const u8 *members = (const u8 *)details + sizeof(d);

	if (x->rv || size < sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (size != sizeof(d) + d.n_members * sizeof(lig_api_l2_bd_member_t)) {
		x->rv = lig_snap_fail(x->s, -EPROTO, "bridge domain %u: garbled members", d.bd_id);
		return false;
	}
	for (u32 i = 0; i < d.n_members; i++) {
		lig_api_l2_bd_member_t m;
		lig_api_sw_interface_set_l2_bridge_reply_t rep;
		memcpy(&m, members + i * sizeof(m), sizeof(m));
		lig_api_sw_interface_set_l2_bridge_t req = {.sw_if_index =
								lig_snap_l2_if(x, m.sw_if_index),
							    .bd_id = d.bd_id,
							    .bvi = m.bvi,
							    .shg = m.shg};
		if (x->rv)
			return false;
		int rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_l2_bridge, &req, &rep);
		if (!lig_snap_l2_ok(x, rv, rep.error))
			return false;
	}
	return true;
}

static bool
lig_snap_l2_xc_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_ctx *x = ctx;
	lig_api_l2_xconnect_dump_details_t d;
	lig_api_sw_interface_set_l2_xconnect_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_api_sw_interface_set_l2_xconnect_t req = {
	    .rx_sw_if_index = lig_snap_l2_if(x, d.rx_sw_if_index),
	    .tx_sw_if_index = x->rv ? 0 : lig_snap_l2_if(x, d.tx_sw_if_index)};
	if (x->rv)
		return false;
	int rv = LIG_API_CLIENT_CALL(x->s->to, sw_interface_set_l2_xconnect, &req, &rep);
	return lig_snap_l2_ok(x, rv, rep.error);
}

static bool
lig_snap_l2_fib_apply(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_ctx *x = ctx;
	lig_api_l2fib_dump_details_t d;
	lig_api_l2fib_add_del_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (!d.static_mac)
		return true; /* learned: state */
	lig_api_l2fib_add_del_t req = {.bd_id = d.bd_id,
				       .is_add = 1,
				       .static_mac = d.static_mac,
				       .bvi_mac = d.bvi_mac,
				       .filter_mac = d.filter_mac};
	memcpy(req.mac, d.mac, 6);
	if (!d.filter_mac && (req.sw_if_index = lig_snap_l2_if(x, d.sw_if_index)) == ~0u)
		return false;
	int rv = LIG_API_CLIENT_CALL(x->s->to, l2fib_add_del, &req, &rep);
	return lig_snap_l2_ok(x, rv, rep.error);
}

static int
lig_snap_l2_ports_copy(struct lig_snap *s)
{
	struct lig_snap_l2_ctx x = {.s = s};
	lig_api_bridge_domain_dump_t bd_req = {0};
	lig_api_l2_xconnect_dump_t xc_req = {0};
	lig_api_l2fib_dump_t fib_req = {.static_only = 1};
	int rv;

	rv = LIG_API_CLIENT_DUMP(s->from, bridge_domain_dump, &bd_req, lig_snap_l2_members_apply,
				 &x);
	if ((rv = lig_snap_l2_done(&x, rv)) < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, l2_xconnect_dump, &xc_req, lig_snap_l2_xc_apply, &x);
	if ((rv = lig_snap_l2_done(&x, rv)) < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, l2fib_dump, &fib_req, lig_snap_l2_fib_apply, &x);
	return lig_snap_l2_done(&x, rv);
}

static int
lig_snap_l2_copy(struct lig_snap *s)
{
	struct lig_snap_l2_ctx x = {.s = s};
	lig_api_l2fib_info_t info_req;
	lig_api_l2fib_info_reply_t info;
	lig_api_l2fib_set_learn_limit_reply_t lrep;
	lig_api_bridge_domain_dump_t bd_req = {0};
	lig_api_bd_ip_mac_dump_t arp_req = {0};
	int rv;

	rv = LIG_API_CLIENT_CALL(s->from, l2fib_info, &info_req, &info);
	if (rv < 0)
		return lig_snap_fail(s, rv, "%s", info.error);
	lig_api_l2fib_set_learn_limit_t limit = {.learn_limit = info.learn_limit};
	rv = LIG_API_CLIENT_CALL(s->to, l2fib_set_learn_limit, &limit, &lrep);
	if (rv < 0)
		return lig_snap_fail(s, rv, "%s", lrep.error);
	rv = LIG_API_CLIENT_DUMP(s->from, bridge_domain_dump, &bd_req, lig_snap_l2_bd_apply, &x);
	if ((rv = lig_snap_l2_done(&x, rv)) < 0)
		return rv;
	rv = LIG_API_CLIENT_DUMP(s->from, bd_ip_mac_dump, &arp_req, lig_snap_l2_arp_apply, &x);
	if ((rv = lig_snap_l2_done(&x, rv)) < 0)
		return rv;
	return lig_snap_l2_ports_copy(s);
}

/* Canonical text: one line per object, state left out. */

struct lig_snap_l2_text {
	struct lig_snap *s;
	const char *prefix;
	u16 msg_id;
	int rv;
};

static bool
lig_snap_l2_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_text *t = ctx;

	t->rv = lig_snap_json(t->s, t->prefix, t->msg_id, details, size);
	return t->rv == 0;
}

/* A bridge domain's ports are a set: in the text they go by name, not by the order they
 * joined in (an agent replaying its configuration may add them in another order). The
 * names are loaded before the steps run (lig_snapshot_text). */
static const char *
lig_snap_l2_port_name(struct lig_snap *s, u32 sw_if_index)
{
	const char *n = lig_snap_if_name(s, sw_if_index);
	return n ? n : "";
}

static bool
lig_snap_l2_bd_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_l2_text *t = ctx;
	lig_api_bridge_domain_dump_details_t d;
	lig_api_l2_bd_member_t *m;
	u8 *copy;

	if (size < sizeof(d))
		return lig_snap_l2_text_one(ctx, details, size);
	memcpy(&d, details, sizeof(d));
	if (size != sizeof(d) + d.n_members * sizeof(*m))
		return lig_snap_l2_text_one(ctx, details, size); /* it says what is wrong */
	if (!(copy = malloc(size))) {
		t->rv = -ENOMEM;
		return false;
	}
	memcpy(copy, details, size);
	m = (lig_api_l2_bd_member_t *)(copy + sizeof(d));
	for (u32 i = 1; i < d.n_members; i++) {
		lig_api_l2_bd_member_t x;
		memcpy(&x, &m[i], sizeof(x));
		const char *xn = lig_snap_l2_port_name(t->s, x.sw_if_index);
		u32 j = i;
		for (; j > 0; j--) {
			lig_api_l2_bd_member_t y;
			memcpy(&y, &m[j - 1], sizeof(y));
			if (strcmp(lig_snap_l2_port_name(t->s, y.sw_if_index), xn) <= 0)
				break;
			memcpy(&m[j], &y, sizeof(y));
		}
		memcpy(&m[j], &x, sizeof(x));
	}
	bool more = lig_snap_l2_text_one(ctx, copy, size);
	free(copy);
	return more;
}

static int
lig_snap_l2_text_dump(struct lig_snap *s, const char *prefix, u16 msg_id, const void *req,
		      u32 req_size)
{
	struct lig_snap_l2_text t = {.s = s, .prefix = prefix, .msg_id = msg_id};
	int rv = lig_api_dump(s->from, msg_id, req, req_size,
			      msg_id == LIG_API_ID_bridge_domain_dump ? lig_snap_l2_bd_text_one
								      : lig_snap_l2_text_one,
			      &t);

	if (t.rv)
		return lig_snap_fail(s, t.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static int
lig_snap_l2_text(struct lig_snap *s)
{
	lig_api_bridge_domain_dump_t bd_req = {0};
	lig_api_bd_ip_mac_dump_t arp_req = {0};
	lig_api_l2_xconnect_dump_t xc_req = {0};
	lig_api_l2fib_dump_t fib_req = {.static_only = 1};
	lig_api_l2fib_info_t info_req;
	lig_api_l2fib_info_reply_t info;
	int rv;

	if ((rv = lig_snap_l2_text_dump(s, "bridge_domain", LIG_API_ID_bridge_domain_dump, &bd_req,
					sizeof(bd_req))) < 0 ||
	    (rv = lig_snap_l2_text_dump(s, "bd_ip_mac", LIG_API_ID_bd_ip_mac_dump, &arp_req,
					sizeof(arp_req))) < 0 ||
	    (rv = lig_snap_l2_text_dump(s, "l2_xconnect", LIG_API_ID_l2_xconnect_dump, &xc_req,
					sizeof(xc_req))) < 0 ||
	    (rv = lig_snap_l2_text_dump(s, "l2fib", LIG_API_ID_l2fib_dump, &fib_req,
					sizeof(fib_req))) < 0)
		return rv;
	rv = LIG_API_CLIENT_CALL(s->from, l2fib_info, &info_req, &info);
	if (rv < 0)
		return lig_snap_fail(s, rv, "%s", info.error);
	rv = lig_snap_json(s, "l2fib_info", LIG_API_ID_l2fib_info,
			   (const u8 *)&info + sizeof(struct lig_api_status),
			   (u32)(sizeof(info) - sizeof(struct lig_api_status)));
	return rv < 0 ? lig_snap_fail(s, rv, "out of memory") : 0;
}

LIG_SNAP_STEP("l2", 300, lig_snap_l2_copy, lig_snap_l2_text)

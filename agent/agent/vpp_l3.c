/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: routes (vpp-agent's vpp.route). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "interface/api.h"
#include "ip4/api.h"

/* ---- descriptor: routes (one key per path, vpp-agent's .../dst/<dst>/gw/<gw>) ---- */

static void *
rt_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(lig_model_get(LIG_MODEL_VPP_ROUTE), v, n, me);
}

static void
rt_free(struct lig_vpp_route *r)
{
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_ROUTE), r);
}

static int
rt_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_route *r = rt_decode(value, size, &me);
	if (!r)
		return agent_model_err(err, &me);
	int rc = 0;
	u8 a[4], len;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_ROUTE), r, &me) < 0)
		rc = agent_model_err(err, &me);
	else if (r->type == LIG_VPP_ROUTE_INTER_VRF)
		rc = agent_not_yet(err, "type (INTER_VRF)");
	else if (r->vrf_id)
		rc = agent_not_yet(err, "vrf_id (VRF tables)");
	else if (r->preference)
		rc = agent_not_yet(err, "preference");
	else if (r->weight > 255)
		rc = agent_not_yet(err, "weight (1..255 in ligd)");
	else if (lig_model_ip4_prefix_parse(lig_model_str(r->dst_network), a, &len) < 0)
		rc = agent_not_yet(err, "dst_network (IPv4 only)");
	else if (r->next_hop_addr && *r->next_hop_addr &&
		 lig_model_ip4_parse(r->next_hop_addr, a) < 0)
		rc = agent_not_yet(err, "next_hop_addr (IPv4 only)");
	else if (r->type != LIG_VPP_ROUTE_DROP && !(r->next_hop_addr && *r->next_hop_addr) &&
		 !(r->outgoing_interface && *r->outgoing_interface)) {
		lig_sched_err_field(err, "next_hop_addr");
		lig_sched_err_set(err, "next_hop_addr: a route needs a next hop or an interface");
		rc = -EINVAL;
	}
	rt_free(r);
	return rc;
}

static void
rt_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_route *r = rt_decode(value, size, &me);
	if (!r)
		return;
	if (r->outgoing_interface && *r->outgoing_interface) {
		char k[LIG_MODEL_KEY_MAX * 2];
		agent_if_key(k, sizeof(k), r->outgoing_interface);
		lig_sched_dep_key(deps, "interface", k);
	}
	rt_free(r);
}

static int
rt_add_del(const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_route *r = rt_decode(value, size, &me);
	if (!r)
		return agent_model_err(err, &me);
	/* The request and its one path (a variable array cannot sit inside a struct). */
	u8 buf[sizeof(lig_api_ip_route_add_del_t) + sizeof(lig_api_ip4_path_t)] = {0};
	lig_api_ip_route_add_del_t *h = (void *)buf;
	lig_api_ip4_path_t *p = &h->paths[0];
	u8 a[4], len;
	lig_model_ip4_prefix_parse(lig_model_str(r->dst_network), a, &len);
	h->table_id = r->vrf_id;
	memcpy(&h->address, a, 4);
	h->len = len;
	h->is_add = add;
	h->is_multipath = 1;
	h->n_paths = 1;
	p->weight = (u8)(r->weight ? r->weight : 1);
	p->sw_if_index = ~0u;
	int rc = 0;
	if (r->type == LIG_VPP_ROUTE_DROP)
		p->type = 2;
	else {
		bool nh = r->next_hop_addr && *r->next_hop_addr;
		p->type = nh ? 0 : 1;
		if (nh) {
			lig_model_ip4_parse(r->next_hop_addr, a);
			memcpy(&p->nh, a, 4);
		}
		u32 idx = ~0u;
		if (r->outgoing_interface && *r->outgoing_interface)
			rc = agent_if_index(r->outgoing_interface, &idx, err);
		p->sw_if_index = idx;
	}
	if (rc == 0) {
		lig_api_ip_route_add_del_reply_t rep;
		rc = lig_api_call(A.api, LIG_API_ID_ip_route_add_del, buf, sizeof(buf), &rep,
				  sizeof(rep));
		if (rc)
			rc = agent_api_rc(rc, "ip_route_add_del", rep.error, err);
	}
	if (!add && rc == -ENOENT)
		rc = 0;
	rt_free(r);
	return rc;
}

static int
rt_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return rt_add_del(value, size, true, err);
}

static int
rt_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return rt_add_del(value, size, false, err);
}

static bool
rt_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_route *x = rt_decode(a, as, &me), *y = rt_decode(b, bs, &me);
	bool eq = false;
	if (x && y) {
		u8 a1[4], a2[4], l1, l2, n1[4] = {0}, n2[4] = {0};
		eq = x->type == y->type && x->vrf_id == y->vrf_id &&
		     (x->weight ? x->weight : 1) == (y->weight ? y->weight : 1) &&
		     lig_model_ip4_prefix_parse(lig_model_str(x->dst_network), a1, &l1) == 0 &&
		     lig_model_ip4_prefix_parse(lig_model_str(y->dst_network), a2, &l2) == 0 &&
		     l1 == l2 && memcmp(a1, a2, 4) == 0 &&
		     strcmp(lig_model_str(x->outgoing_interface),
			    lig_model_str(y->outgoing_interface)) == 0;
		if (x->next_hop_addr && *x->next_hop_addr)
			lig_model_ip4_parse(x->next_hop_addr, n1);
		if (y->next_hop_addr && *y->next_hop_addr)
			lig_model_ip4_parse(y->next_hop_addr, n2);
		eq = eq && memcmp(n1, n2, 4) == 0;
	}
	if (x)
		rt_free(x);
	if (y)
		rt_free(y);
	return eq;
}

struct rt_dump {
	lig_api_ip_route_dump_details_t *d[1024];
	size_t n;
};

static bool
rt_dump_cb(void *ctx, const void *d, u32 size)
{
	struct rt_dump *x = ctx;
	if (x->n == 1024 || size < sizeof(lig_api_ip_route_dump_details_t))
		return true;
	void *p = malloc(size);
	if (!p)
		return false;
	memcpy(p, d, size);
	x->d[x->n++] = p;
	return true;
}

/* Retrieve: the routes configured through the API (source 2), one value per path. */
static int
rt_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	if (!A.api)
		return -ENOTCONN;
	struct agent_if_dump ifs = {0};
	struct rt_dump *rts = calloc(1, sizeof(*rts));
	if (!rts)
		return -ENOMEM;
	int rc = agent_dump_interfaces(&ifs);
	if (rc == 0) {
		/* Table 0 only: VRF tables are not implemented yet. */
		lig_api_ip_route_dump_t req = {.by_table = 1, .table_id = 0, .source = 2};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_route_dump, &req, rt_dump_cb, rts);
		if (rc)
			rc = agent_api_rc(rc, "ip_route_dump", NULL, NULL);
	}
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_ROUTE);
	for (size_t k = 0; rc == 0 && k < rts->n; k++) {
		const lig_api_ip_route_dump_details_t *d = rts->d[k];
		if (d->source != 2)
			continue;
		const u8 *a = (const u8 *)&d->address;
		char dst[24];
		snprintf(dst, sizeof(dst), "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3], d->len);
		for (u32 j = 0; j < d->n_paths; j++) {
			const lig_api_ip4_path_t *p = &d->paths[j];
			char nh[20] = "", ifn[80] = "", key[512];
			const u8 *h = (const u8 *)&p->nh;
			if (p->type == 0 && p->nh)
				snprintf(nh, sizeof(nh), "%u.%u.%u.%u", h[0], h[1], h[2], h[3]);
			char inb[80];
			const char *in =
			    p->sw_if_index != ~0u
				? agent_if_name_of(&ifs, p->sw_if_index, inb, sizeof(inb))
				: NULL;
			if (in && p->type != 2)
				snprintf(ifn, sizeof(ifn), "%.*s", 63, in);
			struct lig_vpp_route r = {.type = p->type == 2 ? LIG_VPP_ROUTE_DROP
								       : LIG_VPP_ROUTE_INTRA_VRF,
						  .vrf_id = d->table_id,
						  .dst_network = dst,
						  .next_hop_addr = nh,
						  .outgoing_interface = ifn,
						  .weight = p->weight > 1 ? p->weight : 0};
			char *json = m->encode(&r);
			if (!json)
				continue;
			if (lig_model_key_build(m, &r, A.label, key, sizeof(key)) > 0)
				lig_sched_retrieved_add(out, key, json, strlen(json),
							LIG_SCHED_ORIGIN_UNKNOWN, NULL);
			free(json);
		}
	}
	for (size_t k = 0; k < rts->n; k++)
		free(rts->d[k]);
	free(rts);
	free(ifs.d);
	return rc;
}

int
agent_vpp_l3_register(struct lig_sched *sched)
{
	static const char *const after_if[] = {"vpp-interface", NULL};
	struct lig_sched_descriptor d = {.name = "vpp-route",
					 .key_prefix = A.rt_prefix,
					 .validate = rt_validate,
					 .create = rt_create,
					 .delete = rt_delete,
					 .equivalent = rt_equivalent,
					 .dependencies = rt_deps,
					 .retrieve = rt_retrieve,
					 .retrieve_after = after_if};
	return lig_sched_register(sched, &d);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: ARP entries (vpp-agent's vpp.arp, key config/vpp/v2/arp/<interface>/<ip_address>)
 * through ip_neighbor_add_del; each needs its interface. IPv4 only (the models refuse IPv6).
 * static as asked: a static neighbour is never aged nor replaced by what ARP learns; one that is
 * not static is a neighbour like a learned one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip4/api.h"
#include "vpp_l2l3.h"

static char arp_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(arp, LIG_MODEL_VPP_ARP, struct lig_vpp_arp)

static int
arp_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_arp *a = arp_decode(value, size, &me);
	if (!a)
		return agent_model_err(err, &me);
	int rc = lig_model_check(arp_model(), a, &me) < 0 ? agent_model_err(err, &me) : 0;
	arp_free(a);
	return rc;
}

static void
arp_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_arp *a = arp_decode(value, size, &me);
	if (!a)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	agent_if_key(k, sizeof(k), lig_model_str(a->interface));
	lig_sched_dep_key(deps, "interface", k);
	arp_free(a);
}

static int
arp_add_del(const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_arp *a = arp_decode(value, size, &me);
	if (!a)
		return agent_model_err(err, &me);
	lig_api_ip_neighbor_add_del_t req = {.is_static = a->static_, .is_add = add};
	u32 idx = ~0u;
	lig_api_ip4_t ip = 0;
	int rc = agent_if_index(lig_model_str(a->interface), &idx, err);
	if (rc == -ENOENT && !add) {
		rc = 0; /* the interface is gone, and its neighbours */
		idx = ~0u;
	} else if (rc == 0 && (l23_ip4(a->ip_address, &ip) < 0 ||
			       lig_model_mac_parse(lig_model_str(a->phys_address), req.mac) < 0)) {
		lig_sched_err_set(err, "ip_address or phys_address does not parse");
		rc = -EINVAL;
	}
	req.sw_if_index = idx;
	req.address = ip;
	if (rc == 0 && idx != ~0u) {
		lig_api_ip_neighbor_add_del_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, ip_neighbor_add_del, &req, &rep);
		if (!add && rc == -ENOENT)
			rc = 0;
		else if (rc)
			rc = agent_api_rc(rc, "ip_neighbor_add_del", rep.error, err);
	}
	arp_free(a);
	return rc;
}

static int
arp_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return arp_add_del(value, size, true, err);
}

/* Another MAC or static flag: ligd updates the neighbour in place. */
static int
arp_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	   void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)ov;
	(void)os;
	(void)md;
	return arp_add_del(nv, ns, true, err);
}

static int
arp_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return arp_add_del(value, size, false, err);
}

/* Another interface or address (a value that does not match its key) is another neighbour. */
static bool
arp_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	     void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_arp *o = arp_decode(ov, os, &me), *n = arp_decode(nv, ns, &me);
	lig_api_ip4_t a = 0, b = 0;
	bool r = !o || !n ||
		 strcmp(lig_model_str(o->interface), lig_model_str(n->interface)) != 0 ||
		 l23_ip4(o->ip_address, &a) < 0 || l23_ip4(n->ip_address, &b) < 0 || a != b;
	arp_free(o);
	arp_free(n);
	return r;
}

static bool
arp_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_arp *x = arp_decode(a, as, &me), *y = arp_decode(b, bs, &me);
	lig_api_ip4_t ix = 0, iy = 0;
	u8 mx[6] = {0}, my[6] = {0};
	bool eq = x && y && x->static_ == y->static_ &&
		  strcmp(lig_model_str(x->interface), lig_model_str(y->interface)) == 0 &&
		  l23_ip4(x->ip_address, &ix) == 0 && l23_ip4(y->ip_address, &iy) == 0 &&
		  ix == iy && lig_model_mac_parse(lig_model_str(x->phys_address), mx) == 0 &&
		  lig_model_mac_parse(lig_model_str(y->phys_address), my) == 0 &&
		  memcmp(mx, my, 6) == 0;
	arp_free(x);
	arp_free(y);
	return eq;
}

struct arp_corr {
	char *key;
	struct lig_vpp_arp *want;
};

static void
arp_corr_free(void *p)
{
	struct arp_corr *c = p;
	if (!c)
		return;
	free(c->key);
	arp_free(c->want);
	free(c);
}

/* Retrieve: ligd's static neighbours (learned ones are state), and those that are not static
 * where a desired entry asks for one; each under the key of the desired entry with its interface
 * and address, else under <interface>/<address>. */
static int
arp_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	     struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct l23_map corr = {0};
	bool any_dynamic = false;
	int rc = 0;
	for (size_t c = 0; rc == 0 && c < lig_sched_retrieved_count(correlate); c++) {
		const void *v;
		size_t vs;
		const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, NULL);
		struct lig_model_error me;
		struct lig_vpp_arp *a = arp_decode(v, vs, &me);
		lig_api_ip4_t ip;
		if (!a || !a->interface || l23_ip4(a->ip_address, &ip) < 0) {
			arp_free(a);
			continue;
		}
		char id[LIG_MODEL_NAME_MAX + 32], ipt[16];
		snprintf(id, sizeof(id), "%s/%s", a->interface, l23_ip4_text(ipt, sizeof(ipt), ip));
		struct arp_corr *e = calloc(1, sizeof(*e));
		if (e) {
			e->key = strdup(ck);
			e->want = a;
			any_dynamic |= !a->static_;
		} else
			arp_free(a);
		if (!e || !e->key || l23_map_put(&corr, id, e) < 0) {
			arp_corr_free(e);
			rc = -ENOMEM;
		}
	}
	struct l23_ifnames ifn;
	struct l23_dump nbs = {.min = sizeof(lig_api_ip_neighbor_dump_details_t)};
	if (rc == 0)
		rc = l23_ifnames_init(&ifn);
	else
		memset(&ifn, 0, sizeof(ifn));
	if (rc == 0) {
		lig_api_ip_neighbor_dump_t req = {.static_only = !any_dynamic};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_neighbor_dump, &req, l23_dump_cb, &nbs);
		if (rc)
			rc = agent_api_rc(rc, "ip_neighbor_dump", NULL, NULL);
		else if (nbs.oom)
			rc = -ENOMEM;
	}
	const struct lig_model *m = arp_model();
	for (size_t k = 0; rc == 0 && k < nbs.n; k++) {
		const lig_api_ip_neighbor_dump_details_t *d = nbs.d[k];
		const char *in = l23_ifname(&ifn, d->sw_if_index);
		if (!in)
			continue;
		char id[LIG_MODEL_NAME_MAX + 32], ipt[16], mact[24], key[LIG_MODEL_KEY_MAX * 2];
		l23_ip4_text(ipt, sizeof(ipt), d->address);
		snprintf(id, sizeof(id), "%s/%s", in, ipt);
		void *p = NULL;
		struct arp_corr *c = l23_map_get(&corr, id, &p) ? p : NULL;
		if (!d->is_static && !(c && !c->want->static_))
			continue; /* learned: state */
		agent_fmt_mac(mact, sizeof(mact), d->mac);
		u8 wm[6];
		struct lig_vpp_arp a = {.interface = (char *)in,
					.ip_address = ipt,
					.phys_address = mact,
					.static_ = d->is_static};
		if (c) {
			/* the desired spelling of what is the same */
			a.ip_address = c->want->ip_address;
			if (lig_model_mac_parse(lig_model_str(c->want->phys_address), wm) == 0 &&
			    memcmp(wm, d->mac, 6) == 0)
				a.phys_address = c->want->phys_address;
		}
		char *json = m->encode(&a);
		if (!json)
			continue;
		if (c)
			snprintf(key, sizeof(key), "%s", c->key);
		else if (lig_model_key_build(m, &a, A.label, key, sizeof(key)) < 0)
			key[0] = 0;
		/* one no desired entry is: the agent's when static on one of its (tagged)
		 * interfaces, so resync removes it; else OBTAINED */
		enum lig_sched_origin origin = LIG_SCHED_ORIGIN_UNKNOWN;
		if (!c)
			origin = d->is_static && l23_if_ours(&ifn, d->sw_if_index)
				     ? LIG_SCHED_ORIGIN_NB
				     : LIG_SCHED_ORIGIN_SB;
		if (key[0])
			lig_sched_retrieved_add(out, key, json, strlen(json), origin, NULL);
		free(json);
	}
	l23_dump_free(&nbs);
	l23_ifnames_free(&ifn);
	l23_map_free(&corr, arp_corr_free);
	return rc;
}

int
agent_vpp_arp_register(struct lig_sched *sched)
{
	static const char *const after[] = {"vpp-interface", NULL};
	agent_model_prefix(LIG_MODEL_VPP_ARP, arp_prefix, sizeof(arp_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-arp",
					 .key_prefix = arp_prefix,
					 .validate = arp_validate,
					 .create = arp_create,
					 .update = arp_update,
					 .update_needs_recreate = arp_recreate,
					 .delete = arp_delete,
					 .equivalent = arp_equivalent,
					 .dependencies = arp_deps,
					 .retrieve = arp_retrieve,
					 .retrieve_after = after};
	return lig_sched_register(sched, &d);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: static L2 FIB entries (vpp-agent's vpp.l2.fib, key
 * config/vpp/l2/v2/fib/<bridge_domain>/mac/<phys_address>) through l2fib_add_del. As vpp-agent's
 * descriptor: a FORWARD entry needs its outgoing interface to be a member of the bridge domain
 * (the membership key), a DROP entry needs the bridge domain. Every field is applied:
 * static_config (ligd: never ages, never overwritten by learning), bridged_virtual_interface
 * (the BVI's MAC), action (DROP: a filter entry). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2/api.h"
#include "vpp_l2l3.h"

static char fib_prefix[LIG_MODEL_KEY_MAX], bd_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(fib, LIG_MODEL_VPP_L2_FIB, struct lig_vpp_l2_fib)

/* ligd makes BVI and filter entries static whatever was asked. */
static bool
fib_static(const struct lig_vpp_l2_fib *f)
{
	return f->static_config || f->bridged_virtual_interface || f->action == LIG_VPP_FIB_DROP;
}

static int
fib_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_l2_fib *f = fib_decode(value, size, &me);
	if (!f)
		return agent_model_err(err, &me);
	int rc = lig_model_check(fib_model(), f, &me) < 0 ? agent_model_err(err, &me) : 0;
	fib_free(f);
	return rc;
}

static void
fib_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_l2_fib *f = fib_decode(value, size, &me);
	if (!f)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	if (f->action == LIG_VPP_FIB_FORWARD) {
		l23_bd_if_key(k, sizeof(k), lig_model_str(f->bridge_domain),
			      lig_model_str(f->outgoing_interface));
		lig_sched_dep_key(deps, "bridged-interface", k);
	} else {
		snprintf(k, sizeof(k), "%s%s", bd_prefix, lig_model_str(f->bridge_domain));
		lig_sched_dep_key(deps, "bridge-domain", k);
	}
	fib_free(f);
}

static int
fib_add_del(const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_l2_fib *f = fib_decode(value, size, &me);
	if (!f)
		return agent_model_err(err, &me);
	lig_api_l2fib_add_del_t req = {.is_add = add,
				       .static_mac = f->static_config,
				       .bvi_mac = f->bridged_virtual_interface,
				       .filter_mac = f->action == LIG_VPP_FIB_DROP};
	int rc = lig_model_mac_parse(lig_model_str(f->phys_address), req.mac);
	if (rc)
		lig_sched_err_set(err, "phys_address: not a MAC address");
	u32 bd_id = 0;
	if (rc == 0 && !l23_bd_id_find(lig_model_str(f->bridge_domain), &bd_id)) {
		fib_free(f);
		if (!add)
			return 0; /* gone with its domain */
		lig_sched_err_set(err, "bridge domain %s is not in ligd",
				  lig_model_str(f->bridge_domain));
		return -ENOENT;
	}
	req.bd_id = bd_id;
	u32 idx = 0;
	if (rc == 0 && add && f->action == LIG_VPP_FIB_FORWARD)
		rc = agent_if_index(lig_model_str(f->outgoing_interface), &idx, err);
	req.sw_if_index = idx;
	if (rc == 0) {
		lig_api_l2fib_add_del_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, l2fib_add_del, &req, &rep);
		if (!add && rc == -ENOENT) /* gone with its port or domain */
			rc = 0;
		else if (rc)
			rc = agent_api_rc(rc, "l2fib_add_del", rep.error, err);
	}
	fib_free(f);
	return rc;
}

static int
fib_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return fib_add_del(value, size, true, err);
}

/* Another port, action or flag: ligd replaces the entry. */
static int
fib_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	   void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)ov;
	(void)os;
	(void)md;
	return fib_add_del(nv, ns, true, err);
}

static int
fib_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return fib_add_del(value, size, false, err);
}

/* Another bridge domain or MAC (a value that does not match its key) is another entry. */
static bool
fib_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	     void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_l2_fib *o = fib_decode(ov, os, &me), *n = fib_decode(nv, ns, &me);
	u8 a[6] = {0}, b[6] = {0};
	bool r = !o || !n ||
		 strcmp(lig_model_str(o->bridge_domain), lig_model_str(n->bridge_domain)) != 0 ||
		 lig_model_mac_parse(lig_model_str(o->phys_address), a) < 0 ||
		 lig_model_mac_parse(lig_model_str(n->phys_address), b) < 0 || memcmp(a, b, 6);
	fib_free(o);
	fib_free(n);
	return r;
}

/* As vpp-agent's: MAC in any case; for FORWARD also port, BVI and static (as ligd keeps it). */
static bool
fib_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_l2_fib *x = fib_decode(a, as, &me), *y = fib_decode(b, bs, &me);
	u8 ma[6] = {0}, mb[6] = {0};
	bool eq = x && y && x->action == y->action &&
		  strcmp(lig_model_str(x->bridge_domain), lig_model_str(y->bridge_domain)) == 0 &&
		  lig_model_mac_parse(lig_model_str(x->phys_address), ma) == 0 &&
		  lig_model_mac_parse(lig_model_str(y->phys_address), mb) == 0 &&
		  memcmp(ma, mb, 6) == 0;
	if (eq && x->action == LIG_VPP_FIB_FORWARD)
		eq = strcmp(lig_model_str(x->outgoing_interface),
			    lig_model_str(y->outgoing_interface)) == 0 &&
		     x->bridged_virtual_interface == y->bridged_virtual_interface &&
		     fib_static(x) == fib_static(y);
	fib_free(x);
	fib_free(y);
	return eq;
}

/* "<bd id>/<mac>": the identity of an entry in ligd. */
static void
fib_ident(char *buf, size_t n, u32 bd_id, const u8 mac[6])
{
	char m[24];
	agent_fmt_mac(m, sizeof(m), mac);
	snprintf(buf, n, "%u/%s", bd_id, m);
}

struct fib_corr {
	char *key;
	char *bd;
	char *mac; /* as the desired value writes it */
	bool want_dynamic;
};

static void
fib_corr_free(void *p)
{
	struct fib_corr *c = p;
	if (!c)
		return;
	free(c->key);
	free(c->bd);
	free(c->mac);
	free(c);
}

/* Retrieve: ligd's static entries (learned ones are state, not the agent's), and the entries
 * that are not static where a desired entry asks for one (static_config false); each under the
 * key of the desired entry it matches (bridge domain and MAC), else under the key its value
 * gives (the bridge domain named as the bridge-domain retrieve bound its id: its tag, else
 * ligd-bd-<id>). Origins: see the comment in the loop. */
static int
fib_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
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
		struct lig_vpp_l2_fib *f = fib_decode(v, vs, &me);
		u8 mac[6];
		if (f && f->bridge_domain &&
		    lig_model_mac_parse(lig_model_str(f->phys_address), mac) == 0) {
			struct fib_corr *e = calloc(1, sizeof(*e));
			char id[64];
			u32 bd_id = 0; /* 0: no domain yet, matches nothing */
			l23_bd_id_find(f->bridge_domain, &bd_id);
			fib_ident(id, sizeof(id), bd_id, mac);
			if (e) {
				e->key = strdup(ck);
				e->bd = strdup(f->bridge_domain);
				e->mac = strdup(f->phys_address);
				e->want_dynamic = !fib_static(f);
				any_dynamic |= e->want_dynamic;
			}
			if (!e || !e->key || !e->bd || !e->mac || l23_map_put(&corr, id, e) < 0) {
				fib_corr_free(e);
				rc = -ENOMEM;
			}
		}
		fib_free(f);
	}
	struct l23_ifnames ifn;
	struct l23_dump fibs = {.min = sizeof(lig_api_l2fib_dump_details_t)};
	if (rc == 0)
		rc = l23_ifnames_init(&ifn);
	else
		memset(&ifn, 0, sizeof(ifn));
	if (rc == 0) {
		lig_api_l2fib_dump_t req = {.static_only = !any_dynamic};
		rc = LIG_API_CLIENT_DUMP(A.api, l2fib_dump, &req, l23_dump_cb, &fibs);
		if (rc)
			rc = agent_api_rc(rc, "l2fib_dump", NULL, NULL);
		else if (fibs.oom)
			rc = -ENOMEM;
	}
	const struct lig_model *m = fib_model();
	for (size_t k = 0; rc == 0 && k < fibs.n; k++) {
		const lig_api_l2fib_dump_details_t *d = fibs.d[k];
		char id[64], macbuf[24], bdbuf[LIG_MODEL_NAME_MAX + 32], key[LIG_MODEL_KEY_MAX * 2];
		fib_ident(id, sizeof(id), d->bd_id, d->mac);
		void *p = NULL;
		struct fib_corr *c = l23_map_get(&corr, id, &p) ? p : NULL;
		if (!d->static_mac && !(c && c->want_dynamic))
			continue; /* learned: state */
		struct lig_vpp_l2_fib f = {.static_config = d->static_mac,
					   .bridged_virtual_interface = d->bvi_mac,
					   .action = d->filter_mac ? LIG_VPP_FIB_DROP
								   : LIG_VPP_FIB_FORWARD};
		agent_fmt_mac(macbuf, sizeof(macbuf), d->mac);
		f.phys_address = c ? c->mac : macbuf;
		const char *bn = l23_bd_name_of(d->bd_id);
		if (c)
			f.bridge_domain = c->bd;
		else if (bn)
			f.bridge_domain = (char *)bn;
		else {
			l23_bd_fallback_name(d->bd_id, bdbuf, sizeof(bdbuf));
			f.bridge_domain = bdbuf;
		}
		if (!d->filter_mac) {
			const char *in = l23_ifname(&ifn, d->sw_if_index);
			if (!in)
				continue;
			f.outgoing_interface = (char *)in;
		}
		char *json = m->encode(&f);
		if (!json)
			continue;
		if (c)
			snprintf(key, sizeof(key), "%s", c->key);
		else if (lig_model_key_build(m, &f, A.label, key, sizeof(key)) < 0)
			key[0] = 0;
		/* not desired: the agent's when static on one of its interfaces (a filter: in
		 * one of its bridge domains), else OBTAINED; a BVI's MAC entry is ligd's (bridging
		 * the BVI makes it) */
		bool ours =
		    d->filter_mac ? l23_bd_id_ours(d->bd_id) : l23_if_ours(&ifn, d->sw_if_index);
		enum lig_sched_origin origin = LIG_SCHED_ORIGIN_UNKNOWN;
		if (!c)
			origin = d->static_mac && !d->bvi_mac && ours ? LIG_SCHED_ORIGIN_NB
								      : LIG_SCHED_ORIGIN_SB;
		if (key[0])
			lig_sched_retrieved_add(out, key, json, strlen(json), origin, NULL);
		free(json);
	}
	l23_dump_free(&fibs);
	l23_ifnames_free(&ifn);
	l23_map_free(&corr, fib_corr_free);
	return rc;
}

int
agent_vpp_l2_fib_register(struct lig_sched *sched)
{
	static const char *const after[] = {"vpp-interface", "vpp-bridge-domain", NULL};
	agent_model_prefix(LIG_MODEL_VPP_L2_FIB, fib_prefix, sizeof(fib_prefix));
	agent_model_prefix(LIG_MODEL_VPP_BRIDGE_DOMAIN, bd_prefix, sizeof(bd_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-l2-fib",
					 .key_prefix = fib_prefix,
					 .validate = fib_validate,
					 .create = fib_create,
					 .update = fib_update,
					 .update_needs_recreate = fib_recreate,
					 .delete = fib_delete,
					 .equivalent = fib_equivalent,
					 .dependencies = fib_deps,
					 .retrieve = fib_retrieve,
					 .retrieve_after = after};
	return lig_sched_register(sched, &d);
}

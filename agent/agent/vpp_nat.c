/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: NAT44 (vpp-agent's vpp.nat models) through ligd's NAT44 API (src/nat44/api.h):
 *   nat44-global     nat44_plugin_enable_disable (ligd needs it before anything else),
 *                    forwarding, and the deprecated nat_interfaces / address_pool lists;
 *                    deleting it disables NAT44 (ligd then forgets its whole configuration)
 *   nat44-interface  the interface's inside or outside role; depends on the interface
 *   nat44-pool       an address range of the SNAT pool
 *   dnat44           static mappings (one local IP) and load-balancing ones (several)
 * Everything depends on the global key. ligd's NAT objects carry no tag, so a resync
 * recognises the agent's objects by what the scheduler believes exists (the correlate list):
 * pools, mappings and roles found as a desired value has them are the agent's (NB); other
 * roles and pool ranges are OBTAINED; mappings no desired DNAT claims are left alone. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "agent.h"
#include "nat44/api.h"

static char nat_global_key[LIG_MODEL_KEY_MAX];
static char nat_if_prefix[LIG_MODEL_KEY_MAX];
static char nat_pool_prefix[LIG_MODEL_KEY_MAX];
static char nat_dnat_prefix[LIG_MODEL_KEY_MAX];

#define NAT_LB_MAX 16

AGENT_MODEL_VALUE(natg, LIG_MODEL_VPP_NAT44_GLOBAL, struct lig_vpp_nat44_global)
AGENT_MODEL_VALUE(natif, LIG_MODEL_VPP_NAT44_INTERFACE, struct lig_vpp_nat44_interface)
AGENT_MODEL_VALUE(natpool, LIG_MODEL_VPP_NAT44_POOL, struct lig_vpp_nat44_pool)
AGENT_MODEL_VALUE(dnat, LIG_MODEL_VPP_DNAT44, struct lig_vpp_dnat44)

static u32
ip4(const char *s)
{
	struct in_addr a = {0};
	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return 0;
	return a.s_addr;
}

static u8
dnat_proto(int32_t p)
{
	return p == LIG_VPP_DNAT44_UDP ? 17 : p == LIG_VPP_DNAT44_ICMP ? 1 : 6;
}

/* Every model's check (validate + supported), for the validate callbacks. */
static int
nat_check(const struct lig_model *m, const void *value, size_t size, struct lig_sched_err *err)
{
	struct lig_model_error me = {0};
	void *v = agent_decode(m, value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = lig_model_check(m, v, &me) < 0 ? agent_model_err(err, &me) : 0;
	lig_model_value_delete(m, v);
	return rc;
}

static void
dep_global(struct lig_sched_deps *deps)
{
	lig_sched_dep_key(deps, "nat44-global", nat_global_key);
}

/* ---- ligd calls ---- */

static int
call_if(const char *name, bool inside, bool is_add, struct lig_sched_err *err)
{
	u32 sw = 0;
	int rc = agent_if_index(name, &sw, err);
	if (rc == -ENOENT && !is_add)
		return 0;
	if (rc)
		return rc;
	lig_api_nat44_interface_add_del_feature_t req = {
	    .sw_if_index = sw, .is_inside = inside, .is_add = is_add};
	lig_api_nat44_interface_add_del_feature_reply_t rep = {0};
	rc = LIG_API_CLIENT_CALL(A.api, nat44_interface_add_del_feature, &req, &rep);
	if (rc == -ENODATA && !is_add)
		rc = 0;
	return rc ? agent_api_rc(rc, "nat44_interface_add_del_feature", rep.error, err) : 0;
}

static int
call_pool(u32 first, u32 last, bool is_add, struct lig_sched_err *err)
{
	lig_api_nat44_add_del_address_range_t req = {
	    .first = first, .last = last, .is_add = is_add};
	lig_api_nat44_add_del_address_range_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, nat44_add_del_address_range, &req, &rep);
	if (rc == -ENOENT && !is_add)
		rc = 0;
	return rc ? agent_api_rc(rc, "nat44_add_del_address_range", rep.error, err) : 0;
}

/* One st_mapping: a static mapping (one local IP) or a load-balancing one. */
static int
call_mapping(const struct lig_vpp_dnat44_st_mapping *m, bool is_add, struct lig_sched_err *err)
{
	int rc;
	if (m->n_local_ips == 1) {
		const struct lig_vpp_dnat44_local_ip *l = &m->local_ips[0];
		bool addr_only = !m->external_port && !l->local_port;
		lig_api_nat44_add_del_static_mapping_t req = {
		    .is_add = is_add,
		    .protocol = addr_only ? 0 : dnat_proto(m->protocol),
		    .local_addr = ip4(l->local_ip),
		    .local_port = (u16)l->local_port,
		    .external_addr = ip4(m->external_ip),
		    .external_port = (u16)m->external_port};
		lig_api_nat44_add_del_static_mapping_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, nat44_add_del_static_mapping, &req, &rep);
		if (rc == -ENOENT && !is_add)
			rc = 0;
		return rc ? agent_api_rc(rc, "nat44_add_del_static_mapping", rep.error, err) : 0;
	}
	if (m->n_local_ips > NAT_LB_MAX) {
		lig_sched_err_set(err, "st_mappings: %zu local IPs, at most %u", m->n_local_ips,
				  NAT_LB_MAX);
		return -EINVAL;
	}
	u8 buf[sizeof(lig_api_nat44_add_del_lb_static_mapping_t) +
	       NAT_LB_MAX * sizeof(lig_api_nat44_lb_local_t)];
	memset(buf, 0, sizeof(buf));
	lig_api_nat44_add_del_lb_static_mapping_t *req = (void *)buf;
	lig_api_nat44_add_del_lb_static_mapping_reply_t rep = {0};
	req->is_add = is_add;
	req->protocol = dnat_proto(m->protocol);
	req->external_addr = ip4(m->external_ip);
	req->external_port = (u16)m->external_port;
	req->affinity = m->session_affinity;
	req->n_locals = is_add ? (u32)m->n_local_ips : 0;
	for (u32 i = 0; i < req->n_locals; i++) {
		req->locals[i].addr = ip4(m->local_ips[i].local_ip);
		req->locals[i].port = (u16)m->local_ips[i].local_port;
		req->locals[i].probability = (u8)m->local_ips[i].probability;
	}
	rc = lig_api_call(A.api, LIG_API_ID_nat44_add_del_lb_static_mapping, req,
			  (u32)(sizeof(*req) + req->n_locals * sizeof(req->locals[0])), &rep,
			  sizeof(rep));
	if (rc == -ENOENT && !is_add)
		rc = 0;
	return rc ? agent_api_rc(rc, "nat44_add_del_lb_static_mapping", rep.error, err) : 0;
}

/* ---- nat44-global ---- */

static int
natg_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	return nat_check(natg_model(), value, size, err);
}

static void
natg_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_nat44_global *v = natg_decode(value, size, &me);
	if (!v)
		return;
	char k[LIG_MODEL_KEY_MAX * 2], label[48];
	for (size_t i = 0; i < v->n_nat_interfaces; i++) {
		agent_if_key(k, sizeof(k), lig_model_str(v->nat_interfaces[i].name));
		snprintf(label, sizeof(label), "nat-interface-%zu", i);
		lig_sched_dep_key(deps, label, k);
	}
	natg_free(v);
}

/* The deprecated lists in ligd: added (is_add) or removed. */
static int
natg_lists(const struct lig_vpp_nat44_global *v, bool is_add, struct lig_sched_err *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < v->n_address_pool; i++) {
		u32 a = ip4(v->address_pool[i].address);
		rc = call_pool(a, a, is_add, err);
	}
	for (size_t i = 0; rc == 0 && i < v->n_nat_interfaces; i++)
		rc = call_if(lig_model_str(v->nat_interfaces[i].name),
			     v->nat_interfaces[i].is_inside, is_add, err);
	return rc;
}

static int
natg_forwarding(bool on, struct lig_sched_err *err)
{
	lig_api_nat44_forwarding_enable_disable_t req = {.enable = on};
	lig_api_nat44_forwarding_enable_disable_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, nat44_forwarding_enable_disable, &req, &rep);
	return rc ? agent_api_rc(rc, "nat44_forwarding_enable_disable", rep.error, err) : 0;
}

static int
natg_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_nat44_global *v = natg_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	lig_api_nat44_plugin_enable_disable_t req = {.enable = true, .sessions = 0};
	lig_api_nat44_plugin_enable_disable_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, nat44_plugin_enable_disable, &req, &rep);
	if (rc == -EBUSY) /* already enabled (another size): keep it */
		rc = 0;
	if (rc)
		rc = agent_api_rc(rc, "nat44_plugin_enable_disable", rep.error, err);
	if (rc == 0)
		rc = natg_forwarding(v->forwarding, err);
	if (rc == 0)
		rc = natg_lists(v, true, err);
	natg_free(v);
	return rc;
}

static int
natg_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_nat44_global *o = natg_decode(ov, os, &me), *n = natg_decode(nv, ns, &me);
	int rc = !o || !n ? agent_model_err(err, &me) : 0;
	if (rc == 0)
		rc = natg_forwarding(n->forwarding, err);
	if (rc == 0)
		rc = natg_lists(o, false, err);
	if (rc == 0)
		rc = natg_lists(n, true, err);
	natg_free(o);
	natg_free(n);
	return rc;
}

static int
natg_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	lig_api_nat44_plugin_enable_disable_t req = {.enable = false};
	lig_api_nat44_plugin_enable_disable_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, nat44_plugin_enable_disable, &req, &rep);
	if (rc == -ENOENT)
		rc = 0;
	return rc ? agent_api_rc(rc, "nat44_plugin_enable_disable", rep.error, err) : 0;
}

/* A correlate entry's value for key, or NULL. */
static const void *
correlated(const struct lig_sched_retrieved *correlate, const char *key, size_t *size)
{
	size_t n = lig_sched_retrieved_count(correlate);
	for (size_t i = 0; i < n; i++) {
		const void *v;
		size_t s;
		void *md;
		const char *k = lig_sched_retrieved_key(correlate, i, &v, &s, &md);
		if (k && !strcmp(k, key)) {
			*size = s;
			return v;
		}
	}
	return NULL;
}

static bool
cfg_cb(void *ctx, const void *details, u32 size)
{
	if (size >= sizeof(lig_api_nat44_config_dump_details_t))
		memcpy(ctx, details, sizeof(lig_api_nat44_config_dump_details_t));
	return true;
}

static int
natg_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	      struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	lig_api_nat44_config_dump_details_t cfg = {0};
	int rc = lig_api_dump(A.api, LIG_API_ID_nat44_config_dump, "", 0, cfg_cb, &cfg);
	if (rc)
		return agent_api_rc(rc, "nat44_config_dump", NULL, NULL);
	if (!cfg.enabled)
		return 0;
	size_t size = 0;
	const void *want = correlated(correlate, nat_global_key, &size);
	struct lig_model_error me;
	struct lig_vpp_nat44_global *w = want ? natg_decode(want, size, &me) : NULL;
	if (w && w->forwarding == (bool)cfg.forwarding) {
		/* As desired (the deprecated lists are taken as they are: ligd cannot tell them
		 * from Nat44Interface and pool values) */
		lig_sched_retrieved_add(out, nat_global_key, want, size, LIG_SCHED_ORIGIN_NB, NULL);
	} else {
		struct lig_vpp_nat44_global g = {.forwarding = cfg.forwarding};
		char *json = natg_model()->encode(&g);
		if (!json)
			rc = -ENOMEM;
		else
			lig_sched_retrieved_add(out, nat_global_key, json, strlen(json),
						LIG_SCHED_ORIGIN_UNKNOWN, NULL);
		free(json);
	}
	natg_free(w);
	return rc;
}

/* ---- nat44-interface ---- */

static int
natif_validate(void *ctx, const char *key, const void *value, size_t size,
	       struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	return nat_check(natif_model(), value, size, err);
}

static void
natif_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_nat44_interface *v = natif_decode(value, size, &me);
	if (!v)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	agent_if_key(k, sizeof(k), lig_model_str(v->name));
	lig_sched_dep_key(deps, "interface", k);
	dep_global(deps);
	natif_free(v);
}

static int
natif_apply(const void *value, size_t size, bool is_add, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_nat44_interface *v = natif_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = 0;
	if (v->nat_inside)
		rc = call_if(lig_model_str(v->name), true, is_add, err);
	if (rc == 0 && v->nat_outside)
		rc = call_if(lig_model_str(v->name), false, is_add, err);
	natif_free(v);
	return rc;
}

AGENT_ADD_DEL_CALLBACKS(natif, natif_apply)

struct natif_list {
	lig_api_nat44_interface_dump_details_t *d;
	size_t n, cap;
	bool oom;
};

static bool
natif_cb(void *ctx, const void *details, u32 size)
{
	struct natif_list *l = ctx;
	if (size < sizeof(*l->d))
		return true;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		void *p = realloc(l->d, cap * sizeof(*l->d));
		if (!p)
			return (l->oom = true), false;
		l->d = p;
		l->cap = cap;
	}
	memcpy(&l->d[l->n++], details, sizeof(*l->d));
	return true;
}

static int
natif_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	       struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct natif_list l = {0};
	struct agent_if_dump ifs = {0};
	int rc = lig_api_dump(A.api, LIG_API_ID_nat44_interface_dump, "", 0, natif_cb, &l);
	if (rc)
		rc = agent_api_rc(rc, "nat44_interface_dump", NULL, NULL);
	else if (l.oom)
		rc = -ENOMEM;
	if (rc == 0 && l.n)
		rc = agent_dump_interfaces(&ifs);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		char nb[LIG_MODEL_KEY_MAX], key[LIG_MODEL_KEY_MAX * 2];
		const char *name = agent_if_name_of(&ifs, l.d[i].sw_if_index, nb, sizeof(nb));
		if (!name)
			continue;
		struct lig_vpp_nat44_interface v = {.name = (char *)name,
						    .nat_inside = l.d[i].is_inside,
						    .nat_outside = !l.d[i].is_inside};
		char *json = natif_model()->encode(&v);
		if (!json) {
			rc = -ENOMEM;
			break;
		}
		snprintf(key, sizeof(key), "%s%s", nat_if_prefix, name);
		size_t s;
		const void *want = correlated(correlate, key, &s);
		lig_sched_retrieved_add(out, key, json, strlen(json),
					want ? LIG_SCHED_ORIGIN_NB : LIG_SCHED_ORIGIN_SB, NULL);
		free(json);
	}
	free(l.d);
	free(ifs.d);
	return rc;
}

/* ---- nat44-pool ---- */

static int
natpool_validate(void *ctx, const char *key, const void *value, size_t size,
		 struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	return nat_check(natpool_model(), value, size, err);
}

static void
natpool_deps(void *ctx, const char *key, const void *value, size_t size,
	     struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	dep_global(deps);
}

static void
pool_range(const struct lig_vpp_nat44_pool *v, u32 *first, u32 *last)
{
	*first = ip4(v->first_ip);
	*last = v->last_ip && *v->last_ip ? ip4(v->last_ip) : *first;
}

static int
natpool_apply(const void *value, size_t size, bool is_add, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_nat44_pool *v = natpool_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	u32 a, b;
	pool_range(v, &a, &b);
	natpool_free(v);
	return call_pool(a, b, is_add, err);
}

AGENT_ADD_DEL_CALLBACKS(natpool, natpool_apply)

struct addr_list {
	u32 *a; /* host order */
	bool *claimed;
	size_t n, cap;
	bool oom;
};

static bool
addr_cb(void *ctx, const void *details, u32 size)
{
	struct addr_list *l = ctx;
	const lig_api_nat44_address_dump_details_t *d = details;
	if (size < sizeof(*d))
		return true;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		u32 *p = realloc(l->a, cap * sizeof(*p));
		if (!p)
			return (l->oom = true), false;
		l->a = p;
		l->cap = cap;
	}
	l->a[l->n++] = ntohl(d->address);
	return true;
}

static bool
addr_have(const struct addr_list *l, u32 h, size_t *at)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->a[i] == h) {
			*at = i;
			return true;
		}
	return false;
}

static int
natpool_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
		 struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct addr_list l = {0};
	int rc = lig_api_dump(A.api, LIG_API_ID_nat44_address_dump, "", 0, addr_cb, &l);
	if (rc)
		rc = agent_api_rc(rc, "nat44_address_dump", NULL, NULL);
	else if (l.oom)
		rc = -ENOMEM;
	if (rc == 0 && l.n && !(l.claimed = calloc(l.n, sizeof(bool))))
		rc = -ENOMEM;
	/* The desired pools whose every address is in ligd's pool: the agent's. */
	size_t nc = lig_sched_retrieved_count(correlate);
	for (size_t i = 0; rc == 0 && i < nc; i++) {
		const void *value;
		size_t size, at;
		void *md;
		const char *key = lig_sched_retrieved_key(correlate, i, &value, &size, &md);
		if (!key || strncmp(key, nat_pool_prefix, strlen(nat_pool_prefix)))
			continue;
		struct lig_model_error me;
		struct lig_vpp_nat44_pool *v = natpool_decode(value, size, &me);
		if (!v)
			continue;
		u32 a, b;
		pool_range(v, &a, &b);
		natpool_free(v);
		a = ntohl(a);
		b = ntohl(b);
		bool all = a && b >= a && b - a < 256;
		for (u32 h = a; all && h <= b && h >= a; h++)
			all = addr_have(&l, h, &at) && !l.claimed[at];
		if (!all)
			continue;
		for (u32 h = a; h <= b && h >= a; h++)
			if (addr_have(&l, h, &at))
				l.claimed[at] = true;
		lig_sched_retrieved_add(out, key, value, size, LIG_SCHED_ORIGIN_NB, NULL);
	}
	/* The rest in runs of consecutive addresses: OBTAINED. */
	for (size_t i = 0; rc == 0 && i < l.n;) {
		if (l.claimed[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < l.n && !l.claimed[j + 1] && l.a[j + 1] == l.a[j] + 1)
			j++;
		char f[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN], key[LIG_MODEL_KEY_MAX * 2];
		u32 fa = htonl(l.a[i]), ta = htonl(l.a[j]);
		inet_ntop(AF_INET, &fa, f, sizeof(f));
		inet_ntop(AF_INET, &ta, t, sizeof(t));
		struct lig_vpp_nat44_pool v = {.first_ip = f, .last_ip = i == j ? NULL : t};
		char *json = natpool_model()->encode(&v);
		if (!json ||
		    lig_model_key_build(natpool_model(), &v, A.label, key, sizeof(key)) < 0) {
			free(json);
			rc = -ENOMEM;
			break;
		}
		lig_sched_retrieved_add(out, key, json, strlen(json), LIG_SCHED_ORIGIN_SB, NULL);
		free(json);
		i = j + 1;
	}
	free(l.a);
	free(l.claimed);
	return rc;
}

/* ---- dnat44 ---- */

static int
dnat_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	return nat_check(dnat_model(), value, size, err);
}

static void
dnat_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	dep_global(deps);
}

/* Adds v's mappings; on a failure removes those it added. */
static int
dnat_add(const struct lig_vpp_dnat44 *v, struct lig_sched_err *err)
{
	for (size_t i = 0; i < v->n_st_mappings; i++) {
		int rc = call_mapping(&v->st_mappings[i], true, err);
		if (rc) {
			while (i--)
				call_mapping(&v->st_mappings[i], false, NULL);
			return rc;
		}
	}
	return 0;
}

static int
dnat_del(const struct lig_vpp_dnat44 *v, struct lig_sched_err *err)
{
	for (size_t i = 0; i < v->n_st_mappings; i++) {
		int rc = call_mapping(&v->st_mappings[i], false, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int
dnat_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_dnat44 *v = dnat_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = dnat_add(v, err);
	dnat_free(v);
	return rc;
}

static int
dnat_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_dnat44 *o = dnat_decode(ov, os, &me), *n = dnat_decode(nv, ns, &me);
	int rc = !o || !n ? agent_model_err(err, &me) : dnat_del(o, err);
	if (rc == 0)
		rc = dnat_add(n, err);
	dnat_free(o);
	dnat_free(n);
	return rc;
}

static int
dnat_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_dnat44 *v = dnat_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = dnat_del(v, err);
	dnat_free(v);
	return rc;
}

/* ligd's mappings, each a copy of its details. */
struct map_list {
	void **d;
	u32 *size;
	size_t n, cap;
	bool oom;
};

static bool
map_cb(void *ctx, const void *details, u32 size)
{
	struct map_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		void **p = realloc(l->d, cap * sizeof(*p));
		u32 *s = p ? realloc(l->size, cap * sizeof(*s)) : NULL;
		if (p)
			l->d = p;
		if (!p || !s)
			return (l->oom = true), false;
		l->size = s;
		l->cap = cap;
	}
	if (!(l->d[l->n] = malloc(size ? size : 1)))
		return (l->oom = true), false;
	memcpy(l->d[l->n], details, size);
	l->size[l->n++] = size;
	return true;
}

static void
map_free(struct map_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->d[i]);
	free(l->d);
	free(l->size);
}

/* Is mapping m in ligd as written? */
static bool
map_found(const struct lig_vpp_dnat44_st_mapping *m, const struct map_list *st,
	  const struct map_list *lb)
{
	u32 ext = ip4(m->external_ip);
	if (m->n_local_ips == 1) {
		const struct lig_vpp_dnat44_local_ip *l = &m->local_ips[0];
		bool addr_only = !m->external_port && !l->local_port;
		for (size_t i = 0; i < st->n; i++) {
			const lig_api_nat44_static_mapping_dump_details_t *d = st->d[i];
			if (st->size[i] >= sizeof(*d) &&
			    d->protocol == (addr_only ? 0 : dnat_proto(m->protocol)) &&
			    d->external_addr == ext && d->external_port == m->external_port &&
			    d->local_addr == ip4(l->local_ip) && d->local_port == l->local_port)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < lb->n; i++) {
		const lig_api_nat44_lb_static_mapping_dump_details_t *d = lb->d[i];
		if (lb->size[i] < sizeof(*d) || d->protocol != dnat_proto(m->protocol) ||
		    d->external_addr != ext || d->external_port != m->external_port ||
		    d->affinity != m->session_affinity || d->n_locals != m->n_local_ips ||
		    lb->size[i] < sizeof(*d) + d->n_locals * sizeof(d->locals[0]))
			continue;
		bool all = true;
		for (size_t k = 0; all && k < m->n_local_ips; k++)
			all = d->locals[k].addr == ip4(m->local_ips[k].local_ip) &&
			      d->locals[k].port == m->local_ips[k].local_port &&
			      d->locals[k].probability == m->local_ips[k].probability;
		if (all)
			return true;
	}
	return false;
}

static int
dnat_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	      struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct map_list st = {0}, lb = {0};
	int rc = lig_api_dump(A.api, LIG_API_ID_nat44_static_mapping_dump, "", 0, map_cb, &st);
	if (rc == 0)
		rc = lig_api_dump(A.api, LIG_API_ID_nat44_lb_static_mapping_dump, "", 0, map_cb,
				  &lb);
	if (rc)
		rc = agent_api_rc(rc, "nat44_static_mapping_dump", NULL, NULL);
	else if (st.oom || lb.oom)
		rc = -ENOMEM;
	size_t nc = lig_sched_retrieved_count(correlate);
	for (size_t i = 0; rc == 0 && i < nc; i++) {
		const void *value;
		size_t size;
		void *md;
		const char *key = lig_sched_retrieved_key(correlate, i, &value, &size, &md);
		if (!key || strncmp(key, nat_dnat_prefix, strlen(nat_dnat_prefix)))
			continue;
		struct lig_model_error me;
		struct lig_vpp_dnat44 *v = dnat_decode(value, size, &me);
		if (!v)
			continue;
		bool all = true;
		for (size_t k = 0; all && k < v->n_st_mappings; k++)
			all = map_found(&v->st_mappings[k], &st, &lb);
		dnat_free(v);
		if (all)
			lig_sched_retrieved_add(out, key, value, size, LIG_SCHED_ORIGIN_NB, NULL);
	}
	map_free(&st);
	map_free(&lb);
	return rc;
}

int
agent_vpp_nat_register(struct lig_sched *sched)
{
	static const char *const after_ifs[] = {"vpp-interface", NULL};
	static const char *const after_if[] = {"vpp-interface", "vpp-nat44-global", NULL};
	static const char *const after_global[] = {"vpp-nat44-global", NULL};
	char p[LIG_MODEL_KEY_MAX];
	agent_model_prefix(LIG_MODEL_VPP_NAT44_GLOBAL, p, sizeof(p));
	p[strlen(p) - 1] = 0; /* the global key is its prefix without the slash */
	snprintf(nat_global_key, sizeof(nat_global_key), "%s", p);
	agent_model_prefix(LIG_MODEL_VPP_NAT44_INTERFACE, nat_if_prefix, sizeof(nat_if_prefix));
	agent_model_prefix(LIG_MODEL_VPP_NAT44_POOL, nat_pool_prefix, sizeof(nat_pool_prefix));
	agent_model_prefix(LIG_MODEL_VPP_DNAT44, nat_dnat_prefix, sizeof(nat_dnat_prefix));
	const struct lig_sched_descriptor d[] = {
	    {.name = "vpp-nat44-global",
	     .key_prefix = nat_global_key,
	     .validate = natg_validate,
	     .create = natg_create,
	     .update = natg_update,
	     .delete = natg_delete,
	     .dependencies = natg_deps,
	     .retrieve = natg_retrieve,
	     .retrieve_after = after_ifs},
	    {.name = "vpp-nat44-interface",
	     .key_prefix = nat_if_prefix,
	     .validate = natif_validate,
	     .create = natif_create,
	     .update = natif_update,
	     .delete = natif_delete,
	     .dependencies = natif_deps,
	     .retrieve = natif_retrieve,
	     .retrieve_after = after_if},
	    {.name = "vpp-nat44-pool",
	     .key_prefix = nat_pool_prefix,
	     .validate = natpool_validate,
	     .create = natpool_create,
	     .update = natpool_update,
	     .delete = natpool_delete,
	     .dependencies = natpool_deps,
	     .retrieve = natpool_retrieve,
	     .retrieve_after = after_global},
	    {.name = "vpp-nat44-dnat",
	     .key_prefix = nat_dnat_prefix,
	     .validate = dnat_validate,
	     .create = dnat_create,
	     .update = dnat_update,
	     .delete = dnat_delete,
	     .dependencies = dnat_deps,
	     .retrieve = dnat_retrieve,
	     .retrieve_after = after_global},
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		int rc = lig_sched_register(sched, &d[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: routes (vpp-agent's vpp.route, key
 * config/vpp/v2/route/[if/<interface>/]vrf/<vrf>/dst/<ip>/<len>[/gw/<next hop>]). One key is one
 * path: keys with the same destination and VRF are the paths of one prefix (ECMP, shared by
 * weight), each added to and removed from the route on its own (ip_route_add_del, multipath).
 * A route needs its outgoing interface and, outside table 0, its VRF table.
 *
 * Creates are batched: a create queues its request without waiting (lig_api_send_queued:
 * many requests per write; at most RT_WINDOW in flight) and returns LIG_SCHED_QUEUED; the
 * scheduler's flush reads the replies and reports each route, so a route is CONFIGURED only
 * once ligd confirmed it, and 100 k routes cost one pass over the socket instead of 100 k
 * round trips. Deletes are one call each. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip4/api.h"
#include "vpp_l2l3.h"

#define RT_WINDOW 256 /* requests in flight (their replies fit the socket's buffer) */

static char rt_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(rt, LIG_MODEL_VPP_ROUTE, struct lig_vpp_route)

/* The next hop in network order; false when there is none ("", or 0.0.0.0 as vpp-agent). */
static bool
rt_nh(const struct lig_vpp_route *r, lig_api_ip4_t *nh)
{
	*nh = 0;
	return r->next_hop_addr && *r->next_hop_addr && l23_ip4(r->next_hop_addr, nh) == 0 &&
	       *nh != 0;
}

/* The request for route r with its one path, in buf (sized for it); is_add. The outgoing
 * interface's index is idx (~0: none). */
static void
rt_request(u8 *buf, const struct lig_vpp_route *r, bool add, u32 idx)
{
	lig_api_ip_route_add_del_t *h = (void *)buf;
	lig_api_ip4_path_t *p = &h->paths[0];
	u8 a[4] = {0}, len = 0;
	memset(buf, 0, sizeof(*h) + sizeof(*p));
	lig_model_ip4_prefix_parse(lig_model_str(r->dst_network), a, &len);
	h->table_id = r->vrf_id;
	memcpy(&h->address, a, 4);
	h->len = len;
	h->is_add = add;
	h->is_multipath = 1;
	h->n_paths = 1;
	p->weight = (u8)(r->weight ? r->weight : 1);
	p->sw_if_index = ~0u;
	if (r->type == LIG_VPP_ROUTE_DROP) {
		p->type = LIG_IP4_API_PATH_DROP;
		return;
	}
	lig_api_ip4_t nh;
	p->type = rt_nh(r, &nh) ? LIG_IP4_API_PATH_NEXT_HOP : LIG_IP4_API_PATH_ATTACHED;
	p->nh = nh;
	p->sw_if_index = idx;
}

#define RT_REQ_SIZE (sizeof(lig_api_ip_route_add_del_t) + sizeof(lig_api_ip4_path_t))

/* ---- values decoded once ----
 * validate, dependencies and create each need the route; a transaction of 100 k routes would
 * decode each value three times. validate keeps what it decoded, by the value's text (the
 * text is the key, so a hit is the same value), until the transaction ends (txn_end: the
 * flushes in between are many when routes and their interfaces are created together) or a
 * bound. */

#define RT_CACHE_MAX (256 * 1024)

struct rt_parsed {
	u8 req[RT_REQ_SIZE]; /* the create request; the interface's index filled at create */
	char *iface;	     /* NULL: none */
	u32 vrf;
};

static struct l23_map rt_cache;

static void
rt_parsed_free(void *p)
{
	struct rt_parsed *x = p;
	if (x)
		free(x->iface);
	free(x);
}

static struct rt_parsed *
rt_parse(const struct lig_vpp_route *r)
{
	struct rt_parsed *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	rt_request(x->req, r, true, ~0u);
	x->vrf = r->vrf_id;
	if (r->type != LIG_VPP_ROUTE_DROP && r->outgoing_interface && *r->outgoing_interface &&
	    !(x->iface = strdup(r->outgoing_interface))) {
		free(x);
		return NULL;
	}
	return x;
}

/* The cache's key: the value as a string (NULL when it holds a NUL: not cached). */
static const char *
rt_cache_key(const void *value, size_t size, char *buf, size_t n)
{
	if (size >= n || memchr(value, 0, size))
		return NULL;
	memcpy(buf, value, size);
	buf[size] = 0;
	return buf;
}

static void
rt_cache_put(const void *value, size_t size, const struct lig_vpp_route *r)
{
	char buf[1024];
	const char *k = rt_cache_key(value, size, buf, sizeof(buf));
	if (!k)
		return;
	if (rt_cache.n >= RT_CACHE_MAX)
		l23_map_free(&rt_cache, rt_parsed_free);
	void *old = NULL;
	if (l23_map_get(&rt_cache, k, &old))
		return;
	struct rt_parsed *x = rt_parse(r);
	if (x && l23_map_put(&rt_cache, k, x) < 0)
		rt_parsed_free(x);
}

/* The value decoded: from the cache, or now (the caller frees *own). NULL with *me. */
static const struct rt_parsed *
rt_parsed_of(const void *value, size_t size, struct rt_parsed **own, struct lig_model_error *me)
{
	char buf[1024];
	const char *k = rt_cache_key(value, size, buf, sizeof(buf));
	void *hit = NULL;
	*own = NULL;
	if (k && l23_map_get(&rt_cache, k, &hit) && hit)
		return hit;
	struct lig_vpp_route *r = rt_decode(value, size, me);
	if (!r)
		return NULL;
	*own = rt_parse(r);
	rt_free(r);
	if (!*own)
		snprintf(me->text, sizeof(me->text), "out of memory");
	return *own;
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
	int rc = lig_model_check(rt_model(), r, &me) < 0 ? agent_model_err(err, &me) : 0;
	if (rc == 0)
		rt_cache_put(value, size, r);
	rt_free(r);
	return rc;
}

static void
rt_vrf_key(char *buf, size_t n, u32 vrf)
{
	struct lig_vpp_vrf_table t = {.id = vrf, .protocol = LIG_VPP_VRF_IPV4};
	if (lig_model_key_build(lig_model_get(LIG_MODEL_VPP_VRF_TABLE), &t, A.label, buf, n) < 0)
		buf[0] = 0;
}

static void
rt_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct rt_parsed *own;
	const struct rt_parsed *r = rt_parsed_of(value, size, &own, &me);
	if (!r)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	if (r->iface) {
		agent_if_key(k, sizeof(k), r->iface);
		lig_sched_dep_key(deps, "interface", k);
	}
	if (r->vrf) {
		rt_vrf_key(k, sizeof(k), r->vrf);
		lig_sched_dep_key(deps, "vrf-table", k);
	}
	rt_parsed_free(own);
}

/* ---- the batch of queued creates ---- */

struct rt_queued {
	int64_t context; /* of the request in flight; -1 once its reply is read */
	int rc;
	char *msg;
};

static struct {
	struct rt_queued *v;
	size_t n, cap;
	size_t next_reply;    /* the oldest request whose reply is not read */
	struct l23_map ifidx; /* interface name -> index + 1, for this batch */
} Q;

/* Reads the reply of queued create i. */
static void
rt_read_reply(size_t i)
{
	struct rt_queued *q = &Q.v[i];
	if (q->context < 0)
		return;
	lig_api_ip_route_add_del_reply_t rep = {0};
	int rc = lig_api_recv_reply(A.api, (u32)q->context, &rep, sizeof(rep));
	q->context = -1;
	if (rc == 0)
		return;
	struct lig_sched_err *none = NULL;
	agent_api_rc(rc, "ip_route_add_del", NULL, none); /* a lost connection is noted */
	const char *text = rep.error[0] ? rep.error : lig_api_last_error(A.api);
	size_t n = strlen(text) + 32;
	q->rc = rc;
	if ((q->msg = malloc(n)))
		snprintf(q->msg, n, "ip_route_add_del: %s", text);
}

/* Reads every outstanding reply (before another call on the connection). */
static void
rt_read_replies(void)
{
	for (; Q.next_reply < Q.n; Q.next_reply++)
		rt_read_reply(Q.next_reply);
}

static void
rt_batch_reset(void)
{
	for (size_t i = 0; i < Q.n; i++)
		free(Q.v[i].msg);
	Q.n = Q.next_reply = 0;
	l23_map_free(&Q.ifidx, NULL);
}

static void
rt_txn_end(void *ctx)
{
	(void)ctx;
	l23_map_free(&rt_cache, rt_parsed_free);
}

/* The outgoing interface's index, looked up once per batch. */
static int
rt_if_index(const char *name, u32 *idx, struct lig_sched_err *err)
{
	void *v;
	if (l23_map_get(&Q.ifidx, name, &v)) {
		*idx = (u32)((uintptr_t)v - 1);
		return 0;
	}
	int rc = agent_if_index_known(name, idx);
	if (rc) {
		rt_read_replies(); /* the lookup is a call of its own */
		rc = agent_if_index(name, idx, err);
	}
	if (rc == 0 && l23_map_put(&Q.ifidx, name, (void *)((uintptr_t)*idx + 1)) < 0)
		rc = -ENOMEM;
	return rc;
}

static int
rt_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	if (Q.n == Q.cap) {
		size_t cap = Q.cap ? Q.cap * 2 : 1024;
		struct rt_queued *v = realloc(Q.v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		Q.v = v;
		Q.cap = cap;
	}
	struct lig_model_error me = {0};
	struct rt_parsed *own;
	const struct rt_parsed *r = rt_parsed_of(value, size, &own, &me);
	if (!r)
		return agent_model_err(err, &me);
	u32 idx = ~0u;
	int rc = 0;
	if (r->iface)
		rc = rt_if_index(r->iface, &idx, err);
	u8 buf[RT_REQ_SIZE];
	if (rc == 0) {
		memcpy(buf, r->req, sizeof(buf));
		((lig_api_ip_route_add_del_t *)(void *)buf)->paths[0].sw_if_index = idx;
		int64_t c =
		    lig_api_send_queued(A.api, LIG_API_ID_ip_route_add_del, buf, sizeof(buf));
		if (c < 0)
			rc = agent_api_rc((int)c, "ip_route_add_del", NULL, err);
		else {
			Q.v[Q.n++] = (struct rt_queued){.context = c};
			if (Q.n - Q.next_reply >= RT_WINDOW)
				rt_read_reply(Q.next_reply++);
			rc = LIG_SCHED_QUEUED;
		}
	}
	rt_parsed_free(own);
	return rc;
}

static int
rt_flush(void *ctx, struct lig_sched_flush *f)
{
	(void)ctx;
	rt_read_replies();
	size_t n = lig_sched_flush_count(f);
	for (size_t i = 0; i < n && i < Q.n; i++)
		lig_sched_flush_result(f, i, Q.v[i].rc, Q.v[i].msg ? "%s" : NULL, Q.v[i].msg);
	int rc = n == Q.n ? 0 : -EPROTO; /* cannot be: one entry per queued create */
	rt_batch_reset();
	return rc;
}

static int
rt_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_route *r = rt_decode(value, size, &me);
	if (!r)
		return agent_model_err(err, &me);
	u32 idx = ~0u;
	int rc = 0;
	if (r->type != LIG_VPP_ROUTE_DROP && r->outgoing_interface && *r->outgoing_interface)
		rc = agent_if_index(r->outgoing_interface, &idx, err);
	if (rc == 0) {
		u8 buf[RT_REQ_SIZE];
		rt_request(buf, r, false, idx);
		lig_api_ip_route_add_del_reply_t rep = {0};
		rc = lig_api_call(A.api, LIG_API_ID_ip_route_add_del, buf, sizeof(buf), &rep,
				  sizeof(rep));
		if (rc && rc != -ENOENT)
			rc = agent_api_rc(rc, "ip_route_add_del", rep.error, err);
	}
	rt_free(r);
	/* -ENOENT: the path is gone already (with its interface or table) */
	return rc == -ENOENT ? 0 : rc;
}

/* As vpp-agent's: type, VRF, interface, weight (0 is 1), destination network and next hop as
 * addresses (no next hop = 0.0.0.0). */
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
		u8 a1[4], a2[4], l1, l2;
		lig_api_ip4_t n1, n2;
		rt_nh(x, &n1);
		rt_nh(y, &n2);
		eq = x->type == y->type && x->vrf_id == y->vrf_id &&
		     (x->weight ? x->weight : 1) == (y->weight ? y->weight : 1) &&
		     x->preference == y->preference && x->via_vrf_id == y->via_vrf_id &&
		     lig_model_ip4_prefix_parse(lig_model_str(x->dst_network), a1, &l1) == 0 &&
		     lig_model_ip4_prefix_parse(lig_model_str(y->dst_network), a2, &l2) == 0 &&
		     l1 == l2 && memcmp(a1, a2, 4) == 0 && n1 == n2 &&
		     strcmp(lig_model_str(x->outgoing_interface),
			    lig_model_str(y->outgoing_interface)) == 0;
	}
	rt_free(x);
	rt_free(y);
	return eq;
}

/* "<vrf>|<network>|<type>|<next hop>|<interface>": what makes a path itself (not its weight). */
static void
rt_ident(char *buf, size_t n, const struct lig_vpp_route *r)
{
	u8 a[4] = {0}, len = 0;
	lig_api_ip4_t nh;
	char nht[16];
	lig_model_ip4_prefix_parse(lig_model_str(r->dst_network), a, &len);
	rt_nh(r, &nh);
	snprintf(buf, n, "%u|%u.%u.%u.%u/%u|%d|%s|%s", r->vrf_id, a[0], a[1], a[2], a[3], len,
		 r->type, l23_ip4_text(nht, sizeof(nht), nh), lig_model_str(r->outgoing_interface));
}

struct rt_retrieve {
	const struct lig_sched_retrieved *correlate;
	struct lig_sched_retrieved *out;
	struct l23_ifnames ifn;
	struct l23_map keys; /* the correlated keys (built when first needed) */
	bool keys_built;
	struct l23_map ident; /* path identity -> correlated key (built when first needed) */
	bool ident_built;
	int rc;
};

static void
rt_ident_build(struct rt_retrieve *x)
{
	x->ident_built = true;
	for (size_t c = 0; c < lig_sched_retrieved_count(x->correlate); c++) {
		const void *v;
		size_t vs;
		const char *ck = lig_sched_retrieved_key(x->correlate, c, &v, &vs, NULL);
		struct lig_model_error me;
		struct lig_vpp_route *r = rt_decode(v, vs, &me);
		if (r) {
			char id[LIG_MODEL_KEY_MAX];
			rt_ident(id, sizeof(id), r);
			char *k = strdup(ck);
			if (!k || l23_map_put(&x->ident, id, k) < 0) {
				free(k);
				x->rc = -ENOMEM;
			}
		}
		rt_free(r);
	}
}

/* One path read back: under the key of the desired path it is (by key, else by identity), else
 * under the key its value gives. One no desired path is: the agent's when its outgoing
 * interface (sw_if_index, ~0: none) is (tagged), so resync removes it; else OBTAINED. */
static void
rt_path_found(struct rt_retrieve *x, const struct lig_vpp_route *r, u32 sw_if_index)
{
	enum lig_sched_origin origin = LIG_SCHED_ORIGIN_UNKNOWN;
	const struct lig_model *m = rt_model();
	char key[LIG_MODEL_KEY_MAX * 2];
	if (lig_model_key_build(m, r, A.label, key, sizeof(key)) < 0)
		return;
	if (!x->keys_built) {
		x->keys_built = true;
		for (size_t c = 0; x->rc == 0 && c < lig_sched_retrieved_count(x->correlate); c++)
			x->rc = l23_map_put(
			    &x->keys, lig_sched_retrieved_key(x->correlate, c, NULL, NULL, NULL),
			    NULL);
	}
	if (!l23_map_get(&x->keys, key, NULL)) {
		if (!x->ident_built)
			rt_ident_build(x);
		char id[LIG_MODEL_KEY_MAX];
		void *ck;
		rt_ident(id, sizeof(id), r);
		if (l23_map_get(&x->ident, id, &ck))
			snprintf(key, sizeof(key), "%s", (const char *)ck);
		else
			origin = sw_if_index != ~0u && l23_if_ours(&x->ifn, sw_if_index)
				     ? LIG_SCHED_ORIGIN_NB
				     : LIG_SCHED_ORIGIN_SB;
	}
	char *json = m->encode(r);
	if (json)
		lig_sched_retrieved_add(x->out, key, json, strlen(json), origin, NULL);
	free(json);
}

static bool
rt_details(void *ctx, const void *details, u32 size)
{
	struct rt_retrieve *x = ctx;
	const lig_api_ip_route_dump_details_t *d = details;
	if (size < sizeof(*d) || d->source != 2 || x->rc)
		return x->rc == 0;
	char dst[24];
	l23_ip4_text(dst, sizeof(dst), d->address);
	snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst), "/%u", d->len);
	u32 n_paths = (size - (u32)sizeof(*d)) / (u32)sizeof(d->paths[0]);
	if (d->n_paths < n_paths)
		n_paths = d->n_paths;
	for (u32 j = 0; j < n_paths; j++) {
		lig_api_ip4_path_t p;
		memcpy(&p, &d->paths[j], sizeof(p));
		char nh[16] = "", ifn[LIG_MODEL_NAME_MAX + 1] = "";
		if (p.type == LIG_IP4_API_PATH_LOCAL)
			continue;
		if (p.type == LIG_IP4_API_PATH_NEXT_HOP && p.nh)
			l23_ip4_text(nh, sizeof(nh), p.nh);
		if (p.type != LIG_IP4_API_PATH_DROP && p.sw_if_index != ~0u) {
			const char *in = l23_ifname(&x->ifn, p.sw_if_index);
			if (!in)
				continue; /* an interface the agent cannot name */
			snprintf(ifn, sizeof(ifn), "%s", in);
		}
		struct lig_vpp_route r = {.type = p.type == LIG_IP4_API_PATH_DROP
						      ? LIG_VPP_ROUTE_DROP
						      : LIG_VPP_ROUTE_INTRA_VRF,
					  .vrf_id = d->table_id,
					  .dst_network = dst,
					  .next_hop_addr = nh,
					  .outgoing_interface = ifn,
					  .weight = p.weight > 1 ? p.weight : 0};
		rt_path_found(x, &r, p.type != LIG_IP4_API_PATH_DROP ? p.sw_if_index : ~0u);
	}
	return true;
}

/* Retrieve: the configured (api) routes of every table, one value per path. */
static int
rt_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct rt_retrieve x = {.correlate = correlate, .out = out};
	int rc = l23_ifnames_init(&x.ifn);
	if (rc == 0) {
		lig_api_ip_route_dump_t req = {.by_table = 0, .source = 2};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_route_dump, &req, rt_details, &x);
		if (rc)
			rc = agent_api_rc(rc, "ip_route_dump", NULL, NULL);
		else
			rc = x.rc;
	}
	l23_ifnames_free(&x.ifn);
	l23_map_free(&x.keys, NULL);
	l23_map_free(&x.ident, free);
	return rc;
}

int
agent_vpp_l3_register(struct lig_sched *sched)
{
	static const char *const after[] = {"vpp-interface", "vpp-vrf-table", NULL};
	agent_model_prefix(LIG_MODEL_VPP_ROUTE, rt_prefix, sizeof(rt_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-route",
					 .key_prefix = rt_prefix,
					 .validate = rt_validate,
					 .create = rt_create,
					 .delete = rt_delete,
					 .equivalent = rt_equivalent,
					 .dependencies = rt_deps,
					 .retrieve = rt_retrieve,
					 .retrieve_after = after,
					 .flush = rt_flush,
					 .txn_end = rt_txn_end};
	return lig_sched_register(sched, &d);
}

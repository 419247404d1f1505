/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent Linux side: linux.l3 routes and ARP entries (vpp-agent's plugins/linux/l3plugin),
 * each in the namespace of its interface, through lib/netlink. As in vpp-agent a route waits for
 * its outgoing interface to be up (linux/interface/state/<if>/UP) and to have an address, and a
 * route via a gateway for an address of that interface whose network holds the gateway; an ARP
 * entry waits for its interface to be up with an address. Routes the agent adds are
 * RTPROT_STATIC (lib/netlink's default): retrieve reads those on the agent's links back as the
 * agent's, and leaves the kernel's and anybody else's alone; permanent neighbour entries on the
 * agent's links are read back with their origin left to the scheduler (desired or made before:
 * the agent's; else OBTAINED). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_linux.h"

static char rt_prefix[256], arp_prefix[256];

static const struct lig_model *
rtm(void)
{
	return lig_model_get(LIG_MODEL_LINUX_ROUTE);
}

static const struct lig_model *
arpm(void)
{
	return lig_model_get(LIG_MODEL_LINUX_ARP);
}

/* An IPv4 address of a model ("" or NULL: 0.0.0.0); false when it does not parse. */
static bool
ip4_of(const char *s, struct in_addr *out)
{
	uint8_t a[4] = {0};
	if (s && *s && lig_model_ip4_parse(s, a) < 0)
		return false;
	memcpy(out, a, 4);
	return true;
}

static bool
prefix_of(const char *s, struct in_addr *net, uint8_t *len)
{
	uint8_t a[4];
	if (!s || lig_model_ip4_prefix_parse(s, a, len) < 0)
		return false;
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t mask = *len ? ~0u << (32 - *len) : 0;
	net->s_addr = htonl(v & mask);
	return true;
}

/* The interface's derived keys routes and ARP entries wait for. */
static void
if_deps(struct lig_sched_deps *deps, const char *ifname)
{
	char k[LIG_MODEL_KEY_MAX * 2];
	snprintf(k, sizeof(k), LINUX_IF_STATE_PREFIX "%s/UP", ifname);
	lig_sched_dep_key(deps, "interface-is-up", k);
	snprintf(k, sizeof(k), LINUX_IF_PREFIX "%s" LINUX_IF_ADDR_MID, ifname);
	lig_sched_dep_any(deps, "interface-has-ip-address", k, NULL, NULL);
}

/* The value as it is in the store: a retrieved value takes the key of the desired value it is
 * equivalent to (keys may be written otherwise than vpp-agent builds them). */
static void
key_for(const struct lig_model *m, const void *v, const char *json,
	bool (*equiv)(void *, const char *, const void *, size_t, const void *, size_t),
	const struct lig_sched_retrieved *correlate, char *key, size_t n)
{
	for (size_t k = 0; k < lig_sched_retrieved_count(correlate); k++) {
		const void *cv;
		size_t cs;
		const char *ck = lig_sched_retrieved_key(correlate, k, &cv, &cs, NULL);
		if (ck && equiv(NULL, ck, cv, cs, json, strlen(json))) {
			snprintf(key, n, "%s", ck);
			return;
		}
	}
	if (lig_model_key_build(m, v, A.label, key, n) < 0)
		key[0] = 0;
}

/* ---- routes ---- */

static struct lig_linux_route *
rt_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(rtm(), v, n, me);
}

static void
rt_free(struct lig_linux_route *r)
{
	lig_model_value_delete(rtm(), r);
}

static bool
rt_has_gw(const struct lig_linux_route *r)
{
	struct in_addr gw;
	return ip4_of(r->gw_addr, &gw) && gw.s_addr != 0;
}

/* The scope as applied: UNDEFINED is LINK without a gateway, GLOBAL with one. */
static int32_t
rt_scope(const struct lig_linux_route *r)
{
	if (r->scope)
		return r->scope;
	return rt_has_gw(r) ? LIG_LINUX_SCOPE_GLOBAL : LIG_LINUX_SCOPE_LINK;
}

static int
rt_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_linux_route *r = rt_decode(value, size, &me);
	if (!r)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(rtm(), r, &me) < 0)
		rc = agent_model_err(err, &me);
	rt_free(r);
	return rc;
}

/* gw-reachable: an address key of the interface whose network holds the gateway (passed as
 * the selector's context, the address in host order). */
static bool
gw_selector(void *ctx, const char *key)
{
	const char *mid = strstr(key, LINUX_IF_ADDR_MID);
	struct in_addr net;
	uint8_t len;
	if (!mid || !prefix_of(mid + strlen(LINUX_IF_ADDR_MID), &net, &len))
		return false;
	uint32_t gw = (uint32_t)(uintptr_t)ctx, mask = len ? ~0u << (32 - len) : 0;
	return (gw & mask) == ntohl(net.s_addr);
}

static void
rt_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_linux_route *r = rt_decode(value, size, &me);
	if (!r)
		return;
	if_deps(deps, lig_model_str(r->outgoing_interface));
	struct in_addr gw;
	if (rt_has_gw(r) && ip4_of(r->gw_addr, &gw)) {
		char k[LIG_MODEL_KEY_MAX * 2];
		snprintf(k, sizeof(k), LINUX_IF_PREFIX "%s" LINUX_IF_ADDR_MID,
			 lig_model_str(r->outgoing_interface));
		lig_sched_dep_any(deps, "gw-reachable", k, gw_selector,
				  (void *)(uintptr_t)ntohl(gw.s_addr));
	}
	rt_free(r);
}

static void
rt_nl(const struct lig_linux_route *r, int oif, struct lig_nl_route *out)
{
	memset(out, 0, sizeof(*out));
	prefix_of(r->dst_network, &out->dst, &out->dst_len);
	ip4_of(r->gw_addr, &out->gw);
	out->oif = oif;
	out->metric = r->metric;
	out->scope = (enum lig_nl_scope)r->scope; /* numbered alike; 0: automatic */
}

struct rt_find {
	const struct lig_nl_route *want;
	bool found;
	uint8_t protocol;
};

static int
rt_find_cb(const struct lig_nl_route *r, void *arg)
{
	struct rt_find *f = arg;
	if (r->dst.s_addr == f->want->dst.s_addr && r->dst_len == f->want->dst_len &&
	    r->metric == f->want->metric) {
		f->found = true;
		f->protocol = r->protocol;
	}
	return 0;
}

static int
rt_apply(const void *value, size_t size, bool add, bool replace, struct lig_sched_err *err)
{
	struct lig_model_error me = {0};
	struct lig_linux_route *r = rt_decode(value, size, &me);
	if (!r)
		return agent_model_err(err, &me);
	struct lig_nl *nl;
	int oif, rc = linux_if_locate(lig_model_str(r->outgoing_interface), &nl, &oif, err);
	char e[256];
	struct lig_nl_route nr;
	if (rc == 0) {
		rt_nl(r, oif, &nr);
		if (!add) {
			nr.protocol = RTPROT_STATIC;
			rc = lig_nl_route_del(nl, &nr, e, sizeof(e));
			if (rc == -ESRCH)
				rc = 0;
		} else if (replace)
			rc = lig_nl_route_replace(nl, &nr, e, sizeof(e));
		else if ((rc = lig_nl_route_add(nl, &nr, e, sizeof(e))) == -EEXIST) {
			/* the agent's own from before (replaced), or somebody else's (refused) */
			struct rt_find f = {.want = &nr};
			lig_nl_route_dump(nl, RT_TABLE_MAIN, rt_find_cb, &f, NULL, 0);
			if (f.found && f.protocol == RTPROT_STATIC)
				rc = lig_nl_route_replace(nl, &nr, e, sizeof(e));
			else
				snprintf(
				    e, sizeof(e),
				    "a route to %s with metric %u exists already (protocol %u, "
				    "not this agent's)",
				    lig_model_str(r->dst_network), r->metric, f.protocol);
		}
		if (rc < 0)
			linux_fail(err, rc, "route", e);
	} else if (!add && rc == -ENOENT)
		rc = 0; /* the interface (and its routes) gone */
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
	return rt_apply(value, size, true, false, err);
}

static int
rt_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)ov;
	(void)os;
	(void)md;
	return rt_apply(nv, ns, true, true, err);
}

static int
rt_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return rt_apply(value, size, false, false, err);
}

/* vpp-agent's EquivalentRoutes: interface, destination network and gateway as addresses,
 * scope, metric. */
static bool
rt_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_linux_route *x = rt_decode(a, as, &me), *y = rt_decode(b, bs, &me);
	bool eq = x && y &&
		  strcmp(lig_model_str(x->outgoing_interface),
			 lig_model_str(y->outgoing_interface)) == 0 &&
		  x->metric == y->metric && rt_scope(x) == rt_scope(y);
	if (eq) {
		struct in_addr n1, n2, g1, g2;
		uint8_t l1, l2;
		eq = prefix_of(x->dst_network, &n1, &l1) && prefix_of(y->dst_network, &n2, &l2) &&
		     n1.s_addr == n2.s_addr && l1 == l2 && ip4_of(x->gw_addr, &g1) &&
		     ip4_of(y->gw_addr, &g2) && g1.s_addr == g2.s_addr;
	}
	if (x)
		rt_free(x);
	if (y)
		rt_free(y);
	return eq;
}

static bool
rt_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_linux_route *x = rt_decode(ov, os, &me), *y = rt_decode(nv, ns, &me);
	/* the kernel's replace matches the metric: another metric is another route */
	bool r = !x || !y || x->metric != y->metric;
	if (x)
		rt_free(x);
	if (y)
		rt_free(y);
	return r;
}

/* The scan's link with ifindex in namespace nsid. */
static const struct linux_link *
scan_link(const struct linux_scan *s, int nsid, int ifindex)
{
	for (size_t k = 0; k < s->n; k++)
		if (s->v[k].nsid == nsid && s->v[k].link.ifindex == ifindex)
			return &s->v[k];
	return NULL;
}

static bool
scan_has_ns(const struct linux_scan *s, int nsid)
{
	for (size_t k = 0; k < s->n; k++)
		if (s->v[k].nsid == nsid)
			return true;
	return false;
}

struct rt_collect {
	const struct linux_scan *s;
	int nsid;
	const struct lig_sched_retrieved *correlate;
	struct lig_sched_retrieved *out;
};

static int
rt_collect_cb(const struct lig_nl_route *r, void *arg)
{
	struct rt_collect *c = arg;
	const struct linux_link *l = scan_link(c->s, c->nsid, r->oif);
	if (!l || r->protocol != RTPROT_STATIC || r->nexthops != 1 ||
	    r->scope < LIG_NL_SCOPE_GLOBAL || r->scope > LIG_NL_SCOPE_HOST ||
	    (r->type && r->type != RTN_UNICAST))
		return 0;
	char dst[32], gw[20] = "";
	const uint8_t *d = (const uint8_t *)&r->dst, *g = (const uint8_t *)&r->gw;
	snprintf(dst, sizeof(dst), "%u.%u.%u.%u/%u", d[0], d[1], d[2], d[3], r->dst_len);
	if (r->gw.s_addr)
		snprintf(gw, sizeof(gw), "%u.%u.%u.%u", g[0], g[1], g[2], g[3]);
	struct lig_linux_route v = {.outgoing_interface = (char *)l->name,
				    .scope = (int32_t)r->scope,
				    .dst_network = dst,
				    .gw_addr = gw,
				    .metric = r->metric};
	char *json = rtm()->encode(&v), key[LIG_MODEL_KEY_MAX * 2];
	if (!json)
		return 0;
	key_for(rtm(), &v, json, rt_equivalent, c->correlate, key, sizeof(key));
	if (key[0])
		lig_sched_retrieved_add(c->out, key, json, strlen(json), LIG_SCHED_ORIGIN_NB, NULL);
	free(json);
	return 0;
}

static int
rt_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	struct linux_scan s;
	int rc = linux_scan_links(&s, NULL);
	for (size_t k = 0; k < s.n_ns && rc == 0; k++) {
		if (!s.nl[k] || !scan_has_ns(&s, (int)k))
			continue;
		struct rt_collect c = {.s = &s, .nsid = (int)k, .correlate = correlate, .out = out};
		rc = lig_nl_route_dump(s.nl[k], RT_TABLE_MAIN, rt_collect_cb, &c, NULL, 0);
		if (rc == -EBADMSG)
			rc = 0;
	}
	linux_scan_free(&s);
	return rc;
}

/* ---- ARP entries ---- */

static struct lig_linux_arp *
arp_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(arpm(), v, n, me);
}

static void
arp_free(struct lig_linux_arp *a)
{
	lig_model_value_delete(arpm(), a);
}

static int
arp_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_linux_arp *a = arp_decode(value, size, &me);
	if (!a)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(arpm(), a, &me) < 0)
		rc = agent_model_err(err, &me);
	arp_free(a);
	return rc;
}

static void
arp_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_linux_arp *a = arp_decode(value, size, &me);
	if (!a)
		return;
	if_deps(deps, lig_model_str(a->interface));
	arp_free(a);
}

static int
arp_apply(const void *value, size_t size, bool add, bool replace, struct lig_sched_err *err)
{
	struct lig_model_error me = {0};
	struct lig_linux_arp *a = arp_decode(value, size, &me);
	if (!a)
		return agent_model_err(err, &me);
	struct lig_nl *nl;
	int idx, rc = linux_if_locate(lig_model_str(a->interface), &nl, &idx, err);
	struct in_addr ip;
	uint8_t mac[6] = {0};
	char e[256];
	ip4_of(a->ip_address, &ip);
	lig_model_mac_parse(lig_model_str(a->hw_address), mac);
	if (rc == 0) {
		if (!add) {
			rc = lig_nl_neigh_del(nl, idx, ip, e, sizeof(e));
			if (rc == -ENOENT)
				rc = 0;
		} else if (replace ||
			   (rc = lig_nl_neigh_add(nl, idx, ip, mac, 6, e, sizeof(e))) == -EEXIST)
			rc = lig_nl_neigh_replace(nl, idx, ip, mac, 6, e, sizeof(e));
		if (rc < 0)
			linux_fail(err, rc, "ARP entry", e);
	} else if (!add && rc == -ENOENT)
		rc = 0;
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
	return arp_apply(value, size, true, false, err);
}

static int
arp_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	   void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)ov;
	(void)os;
	(void)md;
	return arp_apply(nv, ns, true, true, err);
}

static int
arp_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return arp_apply(value, size, false, false, err);
}

static bool
arp_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_linux_arp *x = arp_decode(a, as, &me), *y = arp_decode(b, bs, &me);
	struct in_addr i1, i2;
	uint8_t m1[6], m2[6];
	bool eq = x && y && strcmp(lig_model_str(x->interface), lig_model_str(y->interface)) == 0 &&
		  ip4_of(x->ip_address, &i1) && ip4_of(y->ip_address, &i2) &&
		  i1.s_addr == i2.s_addr &&
		  lig_model_mac_parse(lig_model_str(x->hw_address), m1) == 0 &&
		  lig_model_mac_parse(lig_model_str(y->hw_address), m2) == 0 && !memcmp(m1, m2, 6);
	if (x)
		arp_free(x);
	if (y)
		arp_free(y);
	return eq;
}

static int
arp_collect_cb(const struct lig_nl_neigh *n, void *arg)
{
	struct rt_collect *c = arg;
	const struct linux_link *l = scan_link(c->s, c->nsid, n->ifindex);
	if (!l || !(n->state & NUD_PERMANENT) || n->lladdr_len != 6)
		return 0;
	char ip[20], mac[32];
	const uint8_t *d = (const uint8_t *)&n->ip;
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
	agent_fmt_mac(mac, sizeof(mac), n->lladdr);
	struct lig_linux_arp v = {
	    .interface = (char *)l->name, .ip_address = ip, .hw_address = mac};
	char *json = arpm()->encode(&v), key[LIG_MODEL_KEY_MAX * 2];
	if (!json)
		return 0;
	key_for(arpm(), &v, json, arp_equivalent, c->correlate, key, sizeof(key));
	if (key[0])
		lig_sched_retrieved_add(c->out, key, json, strlen(json), LIG_SCHED_ORIGIN_UNKNOWN,
					NULL);
	free(json);
	return 0;
}

static int
arp_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	     struct lig_sched_retrieved *out)
{
	(void)ctx;
	struct linux_scan s;
	int rc = linux_scan_links(&s, NULL);
	for (size_t k = 0; k < s.n_ns && rc == 0; k++) {
		if (!s.nl[k] || !scan_has_ns(&s, (int)k))
			continue;
		struct rt_collect c = {.s = &s, .nsid = (int)k, .correlate = correlate, .out = out};
		rc = lig_nl_neigh_dump(s.nl[k], 0, arp_collect_cb, &c, NULL, 0);
		if (rc == -EBADMSG)
			rc = 0;
	}
	linux_scan_free(&s);
	return rc;
}

static const char *const l3_after[] = {"linux-interface", NULL};

int
agent_linux_l3_register(struct lig_sched *sched)
{
	agent_model_prefix(LIG_MODEL_LINUX_ROUTE, rt_prefix, sizeof(rt_prefix));
	agent_model_prefix(LIG_MODEL_LINUX_ARP, arp_prefix, sizeof(arp_prefix));
	struct lig_sched_descriptor d[] = {
	    {.name = "linux-route",
	     .key_prefix = rt_prefix,
	     .validate = rt_validate,
	     .create = rt_create,
	     .update = rt_update,
	     .update_needs_recreate = rt_recreate,
	     .delete = rt_delete,
	     .equivalent = rt_equivalent,
	     .dependencies = rt_deps,
	     .retrieve = rt_retrieve,
	     .retrieve_after = l3_after},
	    {.name = "linux-arp",
	     .key_prefix = arp_prefix,
	     .validate = arp_validate,
	     .create = arp_create,
	     .update = arp_update,
	     .delete = arp_delete,
	     .equivalent = arp_equivalent,
	     .dependencies = arp_deps,
	     .retrieve = arp_retrieve,
	     .retrieve_after = l3_after},
	};
	return lig_sched_register_all(sched, d, sizeof(d) / sizeof(d[0]));
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent Linux side: linux.interfaces (vpp-agent's plugins/linux/ifplugin), through
 * lib/netlink. Each value is one link in one namespace, marked with an alias as vpp-agent marks
 * its links ("/vnf-agent/<label>/<name>/<peer>" for a veth end, ".../<name>/<vpp-tap>/<host>/<ns>"
 * for the kernel side of a ligd tap, ".../<name>" for a namespace's lo), so retrieve finds the
 * agent's links and leaves every other link alone:
 *   VETH        a pair: each end is a value naming its peer. An end waits (PENDING) for its
 *               namespace and for linux/veth-end/<peer>/<end>, which the agent notifies while
 *               the peer is desired, valid and its namespace exists; the first end created makes
 *               the pair straight in both namespaces, the second configures its end. An end
 *               removed while its peer stays is parked in the agent's namespace under
 *               veth-<fnv32a(name)> (vpp-agent's temporary name) and taken back from there;
 *               otherwise the pair is deleted (so deleting either end deletes the pair).
 *   TAP_TO_VPP  the kernel side of a VPP tap (config/vpp/v2/interfaces/<vpp_tap_if_name>, which it
 *               waits for): found through ligd's tap_dump (its host name and namespace), moved
 *               and renamed into place; deleting it moves it back.
 *   LOOPBACK    lo of the namespace.
 *   EXISTING    a link of the agent's namespace the agent did not make (it waits for
 *               linux/interface/host-name/<host>): only its admin state and addresses are set.
 *
 * The IPv4 addresses are derived values (linux/interface/<name>/address/static/<ip>/<len>),
 * and so is the admin state (linux/interface/state/<name>/UP|DOWN, a property routes wait for).
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_linux.h"
#include "tap/api.h"

static char if_prefix[256]; /* /vnf-agent/<label>/config/linux/interfaces/v2/interface/ */
static struct linux_facts veth_known;

static const struct lig_model *
ifm(void)
{
	return lig_model_get(LIG_MODEL_LINUX_INTERFACE);
}

static struct lig_linux_interface *
if_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(ifm(), v, n, me);
}

static void
if_free(struct lig_linux_interface *i)
{
	lig_model_value_delete(ifm(), i);
}

void
linux_if_key(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s%s", if_prefix, name);
}

/* The desired value of the Linux interface named name (decoded; free with if_free), or NULL. */
static struct lig_linux_interface *
if_desired(const char *name)
{
	char key[LIG_MODEL_KEY_MAX * 2];
	linux_if_key(key, sizeof(key), name);
	struct agent_item *it = agent_item_find(key);
	struct lig_model_error me;
	return it ? if_decode(it->value, it->size, &me) : NULL;
}

/* vpp-agent's getHostIfName: lo for a loopback, else host_if_name or the logical name. */
static const char *
host_of(const struct lig_linux_interface *i)
{
	if (i->type == LIG_LINUX_IF_LOOPBACK)
		return "lo";
	return i->host_if_name && *i->host_if_name ? i->host_if_name : lig_model_str(i->name);
}

/* vpp-agent's getInterfaceMTU: 0 is the default of the type. */
static uint32_t
mtu_of(const struct lig_linux_interface *i)
{
	if (i->mtu)
		return i->mtu;
	return i->type == LIG_LINUX_IF_LOOPBACK ? 65536 : 1500;
}

static bool
csum_on(int32_t v)
{
	return v != LIG_LINUX_CHKSM_OFFLOAD_DISABLED;
}

static void
ns_of(const struct lig_linux_interface *i, struct linux_ns *ns)
{
	if (linux_ns_from_model(&i->namespace_, i->has_namespace, ns) < 0)
		ns->type = LIG_NETNS_REF_CURRENT; /* refused by validate */
}

/* vpp-agent's temporary host name of a veth end: veth-<fnv32a(logical name)>. */
static void
park_name(const char *name, char *out, size_t n)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	snprintf(out, n, "veth-%u", h);
}

static void
veth_alias(char *buf, size_t n, const char *name, const char *peer)
{
	snprintf(buf, n, "%s%s/%s", linux_alias_prefix(), name, peer);
}

/* ---- validation ---- */

static int
if_check(const struct lig_linux_interface *i, struct lig_sched_err *err)
{
	struct lig_model_error me = {0};
	if (lig_model_check(ifm(), i, &me) < 0)
		return agent_model_err(err, &me);
	struct linux_ns ns;
	if (linux_ns_from_model(&i->namespace_, i->has_namespace, &ns) < 0) {
		lig_sched_err_field(err, "namespace.reference");
		lig_sched_err_set(err, "namespace.reference: at most %d bytes",
				  LINUX_NS_REF_MAX - 1);
		return -EINVAL;
	}
	return 0;
}

static int
if_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_linux_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	int rc = if_check(i, err);
	if_free(i);
	return rc;
}

/* ---- dependencies and derived values ---- */

static void
if_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_linux_interface *i = if_decode(value, size, &me);
	if (!i)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	struct linux_ns ns;
	ns_of(i, &ns);
	const char *nsname = linux_ns_watched_name(&ns);
	if (nsname) {
		snprintf(k, sizeof(k), LINUX_NS_PREFIX "%s", nsname);
		lig_sched_dep_key(deps, "namespace", k);
	}
	switch (i->type) {
	case LIG_LINUX_IF_VETH:
		snprintf(k, sizeof(k), LINUX_VETH_END_PREFIX "%s/%s",
			 lig_model_str(i->link.veth.peer_if_name), lig_model_str(i->name));
		lig_sched_dep_key(deps, "veth-peer", k);
		break;
	case LIG_LINUX_IF_TAP_TO_VPP:
		agent_if_key(k, sizeof(k), lig_model_str(i->link.tap.vpp_tap_if_name));
		lig_sched_dep_key(deps, "vpp-tap-interface-exists", k);
		break;
	case LIG_LINUX_IF_EXISTING:
		snprintf(k, sizeof(k), LINUX_HOST_NAME_PREFIX "%s", host_of(i));
		lig_sched_dep_key(deps, "host-interface-exists", k);
		break;
	}
	if_free(i);
}

static void
if_derived(void *ctx, const char *key, const void *value, size_t size,
	   struct lig_sched_derived *out)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_linux_interface *i = if_decode(value, size, &me);
	if (!i)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	const char *st = i->enabled ? "UP" : "DOWN";
	snprintf(k, sizeof(k), LINUX_IF_STATE_PREFIX "%s/%s", lig_model_str(i->name), st);
	lig_sched_derive(out, k, st, strlen(st));
	for (size_t a = 0; a < i->n_ip_addresses; a++) {
		snprintf(k, sizeof(k), LINUX_IF_PREFIX "%s" LINUX_IF_ADDR_MID "%s",
			 lig_model_str(i->name), i->ip_addresses[a]);
		lig_sched_derive(out, k, i->ip_addresses[a], strlen(i->ip_addresses[a]));
	}
	if_free(i);
}

/* ---- applying ---- */

/* The link named name in nl's namespace: 0, -ENODEV, or another error (err set). */
static int
link_get(struct lig_nl *nl, const char *name, struct lig_nl_link *out, struct lig_sched_err *err)
{
	char e[256];
	int rc = lig_nl_link_get(nl, 0, name, out, e, sizeof(e));
	if (rc < 0 && rc != -ENODEV)
		linux_fail(err, rc, name, e);
	return rc;
}

/* Brings link l to what i says, changing only what differs: alias (when given), MTU, MAC,
 * checksum offloading (veth), admin state. An EXISTING interface keeps its MTU and MAC (as in
 * vpp-agent, they are not the agent's): its admin state only. */
static int
if_configure(struct lig_nl *nl, const struct lig_nl_link *l, const struct lig_linux_interface *i,
	     const char *alias, struct lig_sched_err *err)
{
	char e[256];
	int rc = 0;
	const char *host = l->name;
	if (alias && strcmp(l->alias, alias) != 0 &&
	    (rc = lig_nl_link_set_alias(nl, l->ifindex, alias, e, sizeof(e))) < 0)
		return linux_fail(err, rc, host, e);
	if (i->type == LIG_LINUX_IF_EXISTING)
		goto admin; /* the rest is not the agent's (vpp-agent) */
	if (l->mtu != mtu_of(i) &&
	    (rc = lig_nl_link_set_mtu(nl, l->ifindex, mtu_of(i), e, sizeof(e))) < 0)
		return linux_fail(err, rc, "mtu", e);
	uint8_t mac[6];
	if (i->phys_address && *i->phys_address && lig_model_mac_parse(i->phys_address, mac) == 0 &&
	    (l->hwaddr_len != 6 || memcmp(l->hwaddr, mac, 6) != 0) &&
	    (rc = lig_nl_link_set_hwaddr(nl, l->ifindex, mac, 6, e, sizeof(e))) < 0)
		return linux_fail(err, rc, "phys_address", e);
	if (i->type == LIG_LINUX_IF_VETH) {
		const struct lig_linux_veth_link *v = &i->link.veth;
		bool rx = csum_on(v->rx_checksum_offloading),
		     tx = csum_on(v->tx_checksum_offloading);
		struct lig_nl_csum c;
		rc = lig_nl_link_get_csum(nl, l->ifindex, &c, e, sizeof(e));
		if (rc < 0 && (v->rx_checksum_offloading || v->tx_checksum_offloading))
			return linux_fail(err, rc, "checksum offloading", e);
		if (rc == 0 && (c.rx != rx || c.tx != tx) &&
		    (rc = lig_nl_link_set_csum(nl, l->ifindex, c.rx != rx ? rx : -1,
					       c.tx != tx ? tx : -1, e, sizeof(e))) < 0)
			return linux_fail(err, rc, "checksum offloading", e);
		rc = 0;
	}
admin:
	if (l->up != i->enabled &&
	    (rc = lig_nl_link_set_up(nl, l->ifindex, i->enabled, e, sizeof(e))) < 0)
		return linux_fail(err, rc, i->enabled ? "set up" : "set down", e);
	return 0;
}

/* Moves link ifindex of from into to's namespace as name (a rename when they are the same
 * handle). */
static int
link_move(struct lig_nl *from, int ifindex, struct lig_nl *to, const char *name,
	  struct lig_sched_err *err)
{
	char e[256];
	int rc;
	if (from == to) {
		rc = lig_nl_link_set_name(from, ifindex, name, e, sizeof(e));
		if (rc == -EBUSY) { /* older kernels rename only links that are down */
			lig_nl_link_set_up(from, ifindex, false, e, sizeof(e));
			rc = lig_nl_link_set_name(from, ifindex, name, e, sizeof(e));
		}
	} else
		rc = lig_nl_link_set_netns(from, ifindex, lig_nl_netns_fd(to), name, e, sizeof(e));
	return rc < 0 ? linux_fail(err, rc, name, e) : 0;
}

/* Is l (a veth end in nl's namespace) paired with an end in pnl's namespace? */
static bool
peer_in(struct lig_nl *nl, const struct lig_nl_link *l, struct lig_nl *pnl)
{
	if (l->type != LIG_NL_LINK_VETH)
		return false;
	if (l->link_nsid < 0)
		return lig_netns_same(lig_nl_netns_fd(nl), lig_nl_netns_fd(pnl)) == 1;
	int id = lig_nl_nsid_get(nl, lig_nl_netns_fd(pnl), NULL, 0);
	return id >= 0 && id == l->link_nsid;
}

/* The peer of veth end i: its desired value (NULL with err set unless it names i back) and its
 * namespace's handle. */
static struct lig_linux_interface *
veth_peer(const struct lig_linux_interface *i, struct lig_nl **pnl, struct lig_sched_err *err)
{
	const char *peer = lig_model_str(i->link.veth.peer_if_name);
	struct lig_linux_interface *pv = if_desired(peer);
	if (!pv || pv->type != LIG_LINUX_IF_VETH ||
	    strcmp(lig_model_str(pv->link.veth.peer_if_name), i->name) != 0) {
		if (pv)
			if_free(pv);
		lig_sched_err_set(err, "veth peer %s is not desired with peer %s", peer, i->name);
		return NULL;
	}
	struct linux_ns pns;
	ns_of(pv, &pns);
	if (!(*pnl = linux_nl(&pns, err))) {
		if_free(pv);
		return NULL;
	}
	return pv;
}

/* Adds the addresses of value i to link ifindex (the peer's end of a pair made again). */
static void
addrs_add(struct lig_nl *nl, int ifindex, const struct lig_linux_interface *i)
{
	for (size_t k = 0; k < i->n_ip_addresses; k++) {
		uint8_t a[4], len;
		struct in_addr in;
		if (lig_model_ip4_prefix_parse(i->ip_addresses[k], a, &len) < 0)
			continue;
		memcpy(&in, a, 4);
		lig_nl_addr_add(nl, ifindex, in, len, NULL, 0);
	}
}

/*
 * Creates veth end i (its link named host_of(i) in nl's namespace, paired with its peer's in
 * the peer's namespace): adopted when it is there already, taken back when it was parked, else
 * the pair is made with both ends straight in their namespaces. An end whose pair leads
 * anywhere else is stale and goes.
 */
static int
veth_create(const struct lig_linux_interface *i, struct lig_nl *nl, struct lig_sched_err *err)
{
	const char *host = host_of(i), *peer = lig_model_str(i->link.veth.peer_if_name);
	char alias[LIG_NL_ALIAS_MAX], palias[LIG_NL_ALIAS_MAX], e[256], t[LINUX_NS_REF_MAX + 64];
	veth_alias(alias, sizeof(alias), i->name, peer);
	veth_alias(palias, sizeof(palias), peer, i->name);
	struct lig_nl *pnl = NULL, *self = linux_nl_self(err);
	struct lig_linux_interface *pv = self ? veth_peer(i, &pnl, err) : NULL;
	if (!pv)
		return -ENOENT;
	struct lig_nl_link l, p, pl;
	int rc = link_get(nl, host, &l, err);
	if (rc == 0 && (l.type != LIG_NL_LINK_VETH || strcmp(l.alias, alias) != 0)) {
		struct linux_ns ns;
		ns_of(i, &ns);
		lig_sched_err_set(err,
				  "a link named %s exists in %s and is not this agent's veth %s",
				  host, linux_ns_text(&ns, t, sizeof(t)), i->name);
		rc = -EEXIST;
		goto out;
	}
	if (rc == 0 && peer_in(nl, &l, pnl))
		goto configure; /* in place */
	if (rc == 0)
		lig_nl_link_del(nl, l.ifindex, e, sizeof(e)); /* its pair leads elsewhere */
	else if (rc != -ENODEV)
		goto out;
	/* parked by an earlier delete while the peer stayed? */
	char park[IFNAMSIZ];
	park_name(i->name, park, sizeof(park));
	if (link_get(self, park, &p, NULL) == 0 && p.type == LIG_NL_LINK_VETH &&
	    strcmp(p.alias, alias) == 0) {
		if (peer_in(self, &p, pnl)) {
			if ((rc = link_move(self, p.ifindex, nl, host, err)) < 0)
				goto out;
			goto found;
		}
		lig_nl_link_del(self, p.ifindex, e, sizeof(e));
	}
	/* A new pair, each end straight in its namespace. The peer's end, when it is there
	 * without this one, has lost its pair: it is made again with it, configured from its
	 * value (addresses included). */
	rc = link_get(pnl, host_of(pv), &pl, NULL);
	if (rc == 0 && strcmp(pl.alias, palias) == 0)
		lig_nl_link_del(pnl, pl.ifindex, e, sizeof(e));
	if ((rc = lig_nl_veth_add(nl, host, host_of(pv), lig_nl_netns_fd(pnl), e, sizeof(e))) < 0) {
		linux_fail(err, rc, "veth", e);
		goto out;
	}
	if ((rc = link_get(pnl, host_of(pv), &pl, err)) == 0 &&
	    (rc = if_configure(pnl, &pl, pv, palias, err)) == 0)
		addrs_add(pnl, pl.ifindex, pv);
	if (rc < 0)
		goto out;
found:
	if ((rc = link_get(nl, host, &l, err)) == -ENODEV)
		lig_sched_err_set(err, "%s: gone after it was made", host);
	if (rc < 0)
		goto out;
configure:
	rc = if_configure(nl, &l, i, alias, err);
out:
	if_free(pv);
	return rc;
}

/* Deletes a veth end: parked in the agent's namespace while the peer's end lives on in place
 * (its value stays configured), else the pair goes. */
static int
veth_delete(const struct lig_linux_interface *i, struct lig_nl *nl, const struct lig_nl_link *l,
	    struct lig_sched_err *err)
{
	char e[256], pkey[LIG_MODEL_KEY_MAX * 2], palias[LIG_NL_ALIAS_MAX];
	const char *peer = lig_model_str(i->link.veth.peer_if_name);
	linux_if_key(pkey, sizeof(pkey), peer);
	veth_alias(palias, sizeof(palias), peer, i->name);
	struct lig_nl *self = linux_nl_self(err), *pnl = NULL;
	struct lig_linux_interface *pv = NULL;
	struct lig_nl_link p, pl;
	bool park = self && lig_sched_state(A.sched, pkey) == LIG_SCHED_CONFIGURED &&
		    (pv = veth_peer(i, &pnl, NULL)) && link_get(pnl, host_of(pv), &pl, NULL) == 0 &&
		    strcmp(pl.alias, palias) == 0 && peer_in(pnl, &pl, nl);
	int rc;
	if (pv)
		if_free(pv);
	if (park) {
		char name[IFNAMSIZ];
		park_name(i->name, name, sizeof(name));
		if (link_get(self, name, &p, NULL) == 0)
			lig_nl_link_del(self, p.ifindex, e, sizeof(e)); /* a stale one */
		lig_nl_link_set_up(nl, l->ifindex, false, e, sizeof(e));
		return link_move(nl, l->ifindex, self, name, err);
	}
	rc = lig_nl_link_del(nl, l->ifindex, e, sizeof(e));
	return rc < 0 && rc != -ENODEV ? linux_fail(err, rc, l->name, e) : 0;
}

struct tap_find {
	u32 sw_if_index;
	lig_api_tap_dump_details_t d;
	bool found;
};

static bool
tap_find_cb(void *ctx, const void *d, u32 size)
{
	struct tap_find *f = ctx;
	if (size >= sizeof(f->d) &&
	    ((const lig_api_tap_dump_details_t *)d)->sw_if_index == f->sw_if_index) {
		memcpy(&f->d, d, sizeof(f->d));
		f->found = true;
	}
	return true;
}

static int
tap_create(const struct lig_linux_interface *i, struct lig_nl *nl, struct lig_sched_err *err)
{
	const char *host = host_of(i), *vpp = lig_model_str(i->link.tap.vpp_tap_if_name);
	char mine[LIG_NL_ALIAS_MAX], alias[LIG_NL_ALIAS_MAX], e[256], t[LINUX_NS_REF_MAX + 64];
	snprintf(mine, sizeof(mine), "%s%s/%s/", linux_alias_prefix(), i->name, vpp);
	struct lig_nl_link l;
	int rc = link_get(nl, host, &l, err);
	if (rc == 0 && strncmp(l.alias, mine, strlen(mine)) != 0) {
		struct linux_ns ns;
		ns_of(i, &ns);
		lig_sched_err_set(err, "a link named %s exists in %s and is not this agent's %s",
				  host, linux_ns_text(&ns, t, sizeof(t)), i->name);
		return -EEXIST;
	}
	if (rc == -ENODEV) {
		/* the kernel side ligd made: its name and namespace from ligd's tap_dump */
		struct tap_find f = {0};
		if (!agent_api_up(err))
			return -ENOTCONN;
		if ((rc = agent_if_index(vpp, &f.sw_if_index, err)) < 0)
			return rc;
		lig_api_tap_dump_t req = {.sw_if_index = f.sw_if_index};
		rc = LIG_API_CLIENT_DUMP(A.api, tap_dump, &req, tap_find_cb, &f);
		if (rc < 0)
			return agent_api_rc(rc, "tap_dump", NULL, err);
		if (!f.found) {
			lig_sched_err_set(err, "%s is not a tap in ligd", vpp);
			return -ENOENT;
		}
		char h[sizeof(f.d.host_if_name) + 1], hns[sizeof(f.d.host_ns) + 1];
		snprintf(h, sizeof(h), "%.*s", (int)sizeof(f.d.host_if_name), f.d.host_if_name);
		snprintf(hns, sizeof(hns), "%.*s", (int)sizeof(f.d.host_ns), f.d.host_ns);
		struct linux_ns tns = {.type = hns[0] ? LIG_NETNS_REF_NAME : LIG_NETNS_REF_CURRENT};
		snprintf(tns.ref, sizeof(tns.ref), "%s", hns);
		struct lig_nl *tnl = linux_nl(&tns, err);
		if (!tnl)
			return -ENOENT;
		struct lig_nl_link k;
		if ((rc = link_get(tnl, h, &k, err)) == -ENODEV)
			lig_sched_err_set(err, "the kernel side %s of tap %s is not in %s", h, vpp,
					  linux_ns_text(&tns, t, sizeof(t)));
		if (rc < 0)
			return rc;
		snprintf(alias, sizeof(alias), "%s%s/%s/%s/%s", linux_alias_prefix(), i->name, vpp,
			 h, hns);
		if ((rc = lig_nl_link_set_alias(tnl, k.ifindex, alias, e, sizeof(e))) < 0)
			return linux_fail(err, rc, h, e);
		if (strcmp(h, host) != 0 || tnl != nl)
			if ((rc = link_move(tnl, k.ifindex, nl, host, err)) < 0)
				return rc;
		if ((rc = link_get(nl, host, &l, err)) < 0)
			return rc;
	} else if (rc < 0)
		return rc;
	return if_configure(nl, &l, i, NULL, err);
}

/* Gives the kernel side of a tap back to where ligd made it, under its first name. */
static int
tap_delete(struct lig_nl *nl, const struct lig_nl_link *l, struct lig_sched_err *err)
{
	char e[256], a[LIG_NL_ALIAS_MAX];
	snprintf(a, sizeof(a), "%s", l->alias + strlen(linux_alias_prefix()));
	/* <name>/<vpp-tap>/<host>/<ns> */
	char *parts[4] = {0}, *s = a;
	for (int k = 0; k < 4 && s; k++) {
		parts[k] = s;
		s = strchr(s, '/');
		if (s)
			*s++ = 0;
	}
	struct linux_ns tns = {.type = LIG_NETNS_REF_CURRENT};
	if (parts[3] && *parts[3]) {
		tns.type = LIG_NETNS_REF_NAME;
		snprintf(tns.ref, sizeof(tns.ref), "%s", parts[3]);
	}
	struct lig_nl *tnl = linux_nl(&tns, err);
	if (!tnl)
		tnl = linux_nl_self(err);
	if (!tnl)
		return -ENOMEM;
	const char *h = parts[2] && *parts[2] ? parts[2] : l->name;
	lig_nl_link_set_up(nl, l->ifindex, false, e, sizeof(e));
	int rc = strcmp(h, l->name) != 0 || tnl != nl ? link_move(nl, l->ifindex, tnl, h, err) : 0;
	struct lig_nl_link k;
	if (rc == 0 && link_get(tnl, h, &k, err) == 0)
		lig_nl_link_set_alias(tnl, k.ifindex, "", e, sizeof(e));
	return rc;
}

static int
loop_create(const struct lig_linux_interface *i, struct lig_nl *nl, struct lig_sched_err *err)
{
	char alias[LIG_NL_ALIAS_MAX];
	snprintf(alias, sizeof(alias), "%s%s", linux_alias_prefix(), i->name);
	struct lig_nl_link l;
	int rc = link_get(nl, "lo", &l, err);
	if (rc == -ENODEV)
		lig_sched_err_set(err, "no lo in the namespace");
	if (rc < 0)
		return rc;
	if (l.alias[0] && strcmp(l.alias, alias) != 0 && strcmp(l.alias, "unconfigured") != 0) {
		lig_sched_err_set(err, "the loopback is configured already as '%s'", l.alias);
		return -EEXIST;
	}
	return if_configure(nl, &l, i, alias, err);
}

static struct linux_if_md *
md_new(const struct linux_ns *ns, const char *host)
{
	struct linux_if_md *md = calloc(1, sizeof(*md));
	if (md) {
		md->ns = *ns;
		snprintf(md->host, sizeof(md->host), "%s", host);
	}
	return md;
}

static int
if_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_linux_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	struct linux_ns ns;
	ns_of(i, &ns);
	struct lig_nl *nl = linux_nl(&ns, err);
	int rc = nl ? 0 : -ENOENT;
	struct lig_nl_link l;
	if (rc == 0) {
		switch (i->type) {
		case LIG_LINUX_IF_VETH:
			rc = veth_create(i, nl, err);
			break;
		case LIG_LINUX_IF_TAP_TO_VPP:
			rc = tap_create(i, nl, err);
			break;
		case LIG_LINUX_IF_LOOPBACK:
			rc = loop_create(i, nl, err);
			break;
		case LIG_LINUX_IF_EXISTING:
			if ((rc = link_get(nl, host_of(i), &l, err)) == -ENODEV)
				lig_sched_err_set(err, "no link named %s", host_of(i));
			if (rc == 0)
				rc = if_configure(nl, &l, i, NULL, err);
			break;
		default:
			rc = agent_not_yet(err, "type");
		}
	}
	if (rc == 0 && !(*md = md_new(&ns, host_of(i)))) {
		lig_sched_err_set(err, "out of memory");
		rc = -ENOMEM;
	}
	if_free(i);
	return rc;
}

static int
if_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me = {0};
	struct lig_linux_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	struct linux_ns ns;
	ns_of(i, &ns);
	struct lig_sched_err *none = NULL;
	/* a namespace that is gone took its links with it */
	struct lig_nl *nl = linux_nl(&ns, none);
	struct lig_nl_link l;
	int rc = 0;
	if (nl && i->type != LIG_LINUX_IF_EXISTING &&
	    (rc = link_get(nl, host_of(i), &l, err)) == 0 &&
	    strncmp(l.alias, linux_alias_prefix(), strlen(linux_alias_prefix())) == 0) {
		char e[256];
		if (i->type == LIG_LINUX_IF_VETH)
			rc = veth_delete(i, nl, &l, err);
		else if (i->type == LIG_LINUX_IF_TAP_TO_VPP)
			rc = tap_delete(nl, &l, err);
		else if (i->type == LIG_LINUX_IF_LOOPBACK &&
			 (rc = lig_nl_link_set_alias(nl, l.ifindex, "", e, sizeof(e))) < 0)
			linux_fail(err, rc, "lo", e);
	} else if (rc == -ENODEV)
		rc = 0;
	if_free(i);
	return rc;
}

static int
if_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns_,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_linux_interface *o = if_decode(ov, os, &me), *n = if_decode(nv, ns_, &me);
	int rc = 0;
	if (!o || !n)
		rc = agent_model_err(err, &me);
	struct linux_ns ns;
	struct lig_nl *nl = NULL;
	if (rc == 0) {
		ns_of(n, &ns);
		if (!(nl = linux_nl(&ns, err)))
			rc = -ENOENT;
	}
	struct lig_nl_link l;
	if (rc == 0) {
		const char *oh = host_of(o), *nh = host_of(n);
		rc = link_get(nl, oh, &l, err);
		if (rc == -ENODEV && strcmp(oh, nh) != 0)
			rc = link_get(nl, nh, &l, err);
		if (rc == -ENODEV)
			lig_sched_err_set(err, "no link named %s", oh);
		if (rc == 0 && strcmp(l.name, nh) != 0 &&
		    (rc = link_move(nl, l.ifindex, nl, nh, err)) == 0)
			rc = link_get(nl, nh, &l, err);
	}
	if (rc == 0)
		rc = if_configure(nl, &l, n, NULL, err);
	if (rc == 0) {
		struct linux_if_md *m = md_new(&ns, host_of(n));
		if (m)
			*md = m; /* the scheduler frees the one it replaces */
	}
	if (o)
		if_free(o);
	if (n)
		if_free(n);
	return rc;
}

static bool
if_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns_,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_linux_interface *o = if_decode(ov, os, &me), *n = if_decode(nv, ns_, &me);
	bool r = true;
	if (o && n) {
		struct linux_ns a, b;
		ns_of(o, &a);
		ns_of(n, &b);
		r = o->type != n->type || !linux_ns_equal(&a, &b);
		if (!r && o->type == LIG_LINUX_IF_VETH)
			r = strcmp(lig_model_str(o->link.veth.peer_if_name),
				   lig_model_str(n->link.veth.peer_if_name)) != 0;
		if (!r && o->type == LIG_LINUX_IF_TAP_TO_VPP)
			r = strcmp(lig_model_str(o->link.tap.vpp_tap_if_name),
				   lig_model_str(n->link.tap.vpp_tap_if_name)) != 0;
		/* EXISTING: another host name is another link */
		if (!r && o->type == LIG_LINUX_IF_EXISTING)
			r = strcmp(host_of(o), host_of(n)) != 0;
	}
	if (o)
		if_free(o);
	if (n)
		if_free(n);
	return r;
}

/* vpp-agent's EquivalentInterfaces: addresses are derived values; an MTU of 0 is the type's
 * default; a MAC left unset matches any. */
static bool
if_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_linux_interface *x = if_decode(a, as, &me), *y = if_decode(b, bs, &me);
	bool eq = x && y && x->type == y->type && x->enabled == y->enabled &&
		  strcmp(lig_model_str(x->name), lig_model_str(y->name)) == 0 &&
		  strcmp(host_of(x), host_of(y)) == 0;
	if (eq) {
		struct linux_ns p, q;
		ns_of(x, &p);
		ns_of(y, &q);
		eq = linux_ns_equal(&p, &q);
	}
	if (eq && x->type == LIG_LINUX_IF_VETH)
		eq = strcmp(lig_model_str(x->link.veth.peer_if_name),
			    lig_model_str(y->link.veth.peer_if_name)) == 0 &&
		     csum_on(x->link.veth.rx_checksum_offloading) ==
			 csum_on(y->link.veth.rx_checksum_offloading) &&
		     csum_on(x->link.veth.tx_checksum_offloading) ==
			 csum_on(y->link.veth.tx_checksum_offloading);
	if (eq && x->type == LIG_LINUX_IF_TAP_TO_VPP)
		eq = strcmp(lig_model_str(x->link.tap.vpp_tap_if_name),
			    lig_model_str(y->link.tap.vpp_tap_if_name)) == 0;
	if (eq && x->type != LIG_LINUX_IF_EXISTING) {
		eq = mtu_of(x) == mtu_of(y);
		uint8_t m1[6], m2[6];
		if (eq && x->phys_address && *x->phys_address && y->phys_address &&
		    *y->phys_address)
			eq = lig_model_mac_parse(x->phys_address, m1) == 0 &&
			     lig_model_mac_parse(y->phys_address, m2) == 0 &&
			     memcmp(m1, m2, 6) == 0;
	}
	if (x)
		if_free(x);
	if (y)
		if_free(y);
	return eq;
}

/* ---- scanning: the agent's links in the namespaces the desired state names ---- */

static int
scan_ns_add(struct linux_scan *s, const struct linux_ns *ns)
{
	for (size_t k = 0; k < s->n_ns; k++)
		if (linux_ns_equal(&s->ns[k], ns))
			return 0;
	void *p = realloc(s->ns, (s->n_ns + 1) * sizeof(*s->ns));
	void *q = p ? realloc(s->nl, (s->n_ns + 1) * sizeof(*s->nl)) : NULL;
	if (p)
		s->ns = p;
	if (!q)
		return -ENOMEM;
	s->nl = q;
	s->ns[s->n_ns] = *ns;
	s->nl[s->n_ns] = NULL;
	s->n_ns++;
	return 0;
}

static void
scan_ns_of_value(struct linux_scan *s, const void *v, size_t n)
{
	struct lig_model_error me;
	struct lig_linux_interface *i = if_decode(v, n, &me);
	if (!i)
		return;
	struct linux_ns ns;
	if (linux_ns_from_model(&i->namespace_, i->has_namespace, &ns) == 0)
		scan_ns_add(s, &ns);
	if_free(i);
}

static int
scan_push(struct linux_scan *s, const char *name, size_t nsid, const struct lig_nl_link *l)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->v, cap * sizeof(*s->v));
		if (!p)
			return -ENOMEM;
		s->v = p;
		s->cap = cap;
	}
	struct linux_link *e = &s->v[s->n++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->ns = s->ns[nsid];
	e->nsid = (int)nsid;
	e->link = *l;
	return 0;
}

struct scan_ctx {
	struct linux_scan *s;
	size_t nsid;
};

static int
scan_link_cb(const struct lig_nl_link *l, void *arg)
{
	struct scan_ctx *c = arg;
	const char *pre = linux_alias_prefix();
	size_t pl = strlen(pre);
	if (strncmp(l->alias, pre, pl) != 0 || !l->alias[pl])
		return 0;
	char name[LIG_MODEL_NAME_MAX + 1];
	size_t len = strcspn(l->alias + pl, "/");
	if (len == 0 || len >= sizeof(name))
		return 0;
	memcpy(name, l->alias + pl, len);
	name[len] = 0;
	if (c->nsid == 0 && l->type == LIG_NL_LINK_VETH) {
		char park[IFNAMSIZ];
		park_name(name, park, sizeof(park));
		if (strcmp(park, l->name) == 0)
			return 0; /* parked: taken back by the create of its end */
	}
	return scan_push(c->s, name, c->nsid, l);
}

int
linux_scan_links(struct linux_scan *s, const struct lig_sched_retrieved *extra)
{
	memset(s, 0, sizeof(*s));
	struct linux_ns self = {.type = LIG_NETNS_REF_CURRENT};
	scan_ns_add(s, &self);
	size_t pl = strlen(if_prefix);
	for (size_t k = 0; k < A.n_items; k++)
		if (strncmp(A.items[k].key, if_prefix, pl) == 0)
			scan_ns_of_value(s, A.items[k].value, A.items[k].size);
	for (size_t k = 0; extra && k < lig_sched_retrieved_count(extra); k++) {
		const void *v;
		size_t n;
		lig_sched_retrieved_key(extra, k, &v, &n, NULL);
		scan_ns_of_value(s, v, n);
	}
	int rc = 0;
	for (size_t k = 0; k < s->n_ns && rc == 0; k++) {
		struct lig_sched_err *none = NULL;
		s->nl[k] = linux_nl(&s->ns[k], none);
		if (!s->nl[k])
			continue;
		bool dup = false; /* the same namespace under another reference: scanned once */
		for (size_t j = 0; j < k && !dup; j++)
			dup = s->nl[j] && lig_netns_same(lig_nl_netns_fd(s->nl[j]),
							 lig_nl_netns_fd(s->nl[k])) == 1;
		if (dup)
			continue;
		char e[256];
		size_t before = s->n;
		struct scan_ctx c = {.s = s, .nsid = k};
		for (int tries = 0; tries < 5; tries++) {
			s->n = before;
			rc = lig_nl_link_dump(s->nl[k], scan_link_cb, &c, e, sizeof(e));
			if (rc != -EINTR)
				break;
		}
		if (rc == -EBADMSG)
			rc = 0;
	}
	/* EXISTING interfaces: links of the agent's namespace named by the desired state */
	for (size_t k = 0; k < A.n_items && rc == 0 && s->nl[0]; k++) {
		if (strncmp(A.items[k].key, if_prefix, pl) != 0)
			continue;
		struct lig_model_error me;
		struct lig_linux_interface *i = if_decode(A.items[k].value, A.items[k].size, &me);
		struct lig_nl_link l;
		if (i && i->type == LIG_LINUX_IF_EXISTING && !i->has_namespace &&
		    !linux_scan_find(s, i->name) &&
		    lig_nl_link_get(s->nl[0], 0, host_of(i), &l, NULL, 0) == 0)
			rc = scan_push(s, i->name, 0, &l);
		if (i)
			if_free(i);
	}
	return rc;
}

void
linux_scan_free(struct linux_scan *s)
{
	free(s->v);
	free(s->nl);
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

const struct linux_link *
linux_scan_find(const struct linux_scan *s, const char *name)
{
	for (size_t k = 0; k < s->n; k++)
		if (strcmp(s->v[k].name, name) == 0)
			return &s->v[k];
	return NULL;
}

int
linux_if_locate(const char *name, struct lig_nl **nl, int *ifindex, struct lig_sched_err *err)
{
	char key[LIG_MODEL_KEY_MAX * 2], e[256];
	linux_if_key(key, sizeof(key), name);
	const struct linux_if_md *md = lig_sched_metadata(A.sched, key);
	if (!md) {
		lig_sched_err_set(err, "Linux interface %s is not configured", name);
		return -ENOENT;
	}
	if (!(*nl = linux_nl(&md->ns, err)))
		return -ENOENT;
	int rc = lig_nl_link_index(*nl, md->host, e, sizeof(e));
	if (rc < 0)
		return linux_fail(err, rc == -ENODEV ? -ENOENT : rc, md->host, e);
	*ifindex = rc;
	return 0;
}

/* ---- retrieve ---- */

struct addr_collect {
	char **v;
	size_t n, cap;
	const struct lig_linux_interface *want; /* host-scope addresses count only when wanted */
};

static int
addr_cb(const struct lig_nl_addr *a, void *arg)
{
	struct addr_collect *c = arg;
	char s[32];
	const uint8_t *b = (const uint8_t *)&a->local;
	snprintf(s, sizeof(s), "%u.%u.%u.%u/%u", b[0], b[1], b[2], b[3], a->prefixlen);
	if (a->scope == RT_SCOPE_HOST || a->scope == RT_SCOPE_LINK) {
		bool wanted = false;
		for (size_t k = 0; c->want && k < c->want->n_ip_addresses && !wanted; k++)
			wanted = strcmp(c->want->ip_addresses[k], s) == 0;
		if (!wanted)
			return 0;
	}
	return linux_strv_add(&c->v, &c->n, &c->cap, "%s", s);
}

/* The model namespace a retrieved link gets: the desired one when it leads there. */
static void
model_ns(const struct linux_ns *ns, const struct lig_linux_interface *want,
	 struct lig_linux_interface *v)
{
	struct linux_ns w;
	if (want && linux_ns_from_model(&want->namespace_, want->has_namespace, &w) == 0 &&
	    linux_ns_equal(&w, ns)) {
		v->has_namespace = want->has_namespace;
		v->namespace_ = want->namespace_;
		return;
	}
	if (ns->type == LIG_NETNS_REF_CURRENT)
		return;
	v->has_namespace = true;
	v->namespace_.type = ns->type == LIG_NETNS_REF_NAME  ? LIG_LINUX_NS_NSID
			     : ns->type == LIG_NETNS_REF_PID ? LIG_LINUX_NS_PID
							     : LIG_LINUX_NS_FD;
	v->namespace_.reference = (char *)ns->ref;
}

static int
if_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	struct linux_scan s;
	int rc = linux_scan_links(&s, correlate);
	const char *pre = linux_alias_prefix();
	for (size_t k = 0; k < s.n && rc == 0; k++) {
		const struct linux_link *e = &s.v[k];
		struct lig_nl *nl = s.nl[e->nsid];
		struct lig_linux_interface *want = if_desired(e->name);
		struct lig_linux_interface v = {.name = (char *)e->name,
						.enabled = e->link.up,
						.host_if_name = (char *)e->link.name,
						.mtu = e->link.mtu};
		/* an EXISTING interface's link is found by its host name, not by our alias */
		bool ours = strncmp(e->link.alias, pre, strlen(pre)) == 0;
		char mac[32] = "", *alias = strdup(ours ? e->link.alias + strlen(pre) : "");
		if (!alias) {
			rc = -ENOMEM;
			break;
		}
		/* <name>[/<peer or vpp tap>[/...]] */
		char *second = strchr(alias, '/');
		if (second) {
			*second++ = 0;
			second[strcspn(second, "/")] = 0;
		}
		if (e->link.hwaddr_len == 6)
			agent_fmt_mac(mac, sizeof(mac), e->link.hwaddr);
		v.phys_address = mac;
		if (!ours) {
			v.type = LIG_LINUX_IF_EXISTING;
		} else if (e->link.type == LIG_NL_LINK_VETH && second) {
			v.type = LIG_LINUX_IF_VETH;
			v.link_case = LIG_LINUX_IF_LINK_VETH;
			v.link.veth.peer_if_name = second;
			struct lig_nl_csum c;
			if (lig_nl_link_get_csum(nl, e->link.ifindex, &c, NULL, 0) == 0) {
				if (!c.rx)
					v.link.veth.rx_checksum_offloading =
					    LIG_LINUX_CHKSM_OFFLOAD_DISABLED;
				if (!c.tx)
					v.link.veth.tx_checksum_offloading =
					    LIG_LINUX_CHKSM_OFFLOAD_DISABLED;
			}
		} else if ((e->link.type == LIG_NL_LINK_TAP || e->link.type == LIG_NL_LINK_TUN) &&
			   second) {
			v.type = LIG_LINUX_IF_TAP_TO_VPP;
			v.link_case = LIG_LINUX_IF_LINK_TAP;
			v.link.tap.vpp_tap_if_name = second;
		} else if (e->link.type == LIG_NL_LINK_LOOPBACK) {
			v.type = LIG_LINUX_IF_LOOPBACK;
			v.host_if_name = NULL;
			v.phys_address = NULL;
		} else {
			free(alias);
			if (want)
				if_free(want);
			continue; /* marked, but of no type the agent makes */
		}
		model_ns(&e->ns, want, &v);
		struct addr_collect ac = {.want = want};
		for (int tries = 0; tries < 5; tries++) {
			linux_strv_free(ac.v, ac.n);
			ac.v = NULL;
			ac.n = ac.cap = 0;
			if (lig_nl_addr_dump(nl, e->link.ifindex, addr_cb, &ac, NULL, 0) != -EINTR)
				break;
		}
		v.ip_addresses = ac.v;
		v.n_ip_addresses = ac.n;
		char *json = ifm()->encode(&v);
		char key[LIG_MODEL_KEY_MAX * 2];
		linux_if_key(key, sizeof(key), e->name);
		if (json)
			lig_sched_retrieved_add(out, key, json, strlen(json), LIG_SCHED_ORIGIN_NB,
						md_new(&e->ns, e->link.name));
		free(json);
		linux_strv_free(ac.v, ac.n);
		free(alias);
		if (want)
			if_free(want);
	}
	linux_scan_free(&s);
	return rc;
}

/* ---- veth ends: what a peer waits for ---- */

/* linux/veth-end/<end>/<peer> of every desired, valid veth end whose namespace exists. */
static void
veth_ends(char ***keys, size_t *n)
{
	size_t cap = 0, pl = strlen(if_prefix);
	*keys = NULL;
	*n = 0;
	for (size_t k = 0; k < A.n_items; k++) {
		if (strncmp(A.items[k].key, if_prefix, pl) != 0)
			continue;
		struct lig_model_error me;
		struct lig_linux_interface *i = if_decode(A.items[k].value, A.items[k].size, &me);
		if (!i)
			continue;
		struct lig_sched_err *none = NULL;
		struct linux_ns ns;
		if (i->type == LIG_LINUX_IF_VETH && if_check(i, none) == 0 &&
		    strcmp(A.items[k].key + pl, lig_model_str(i->name)) == 0) {
			ns_of(i, &ns);
			const char *w = linux_ns_watched_name(&ns);
			if (!w || linux_ns_present(w))
				linux_strv_add(keys, n, &cap, LINUX_VETH_END_PREFIX "%s/%s",
					       i->name, lig_model_str(i->link.veth.peer_if_name));
		}
		if_free(i);
	}
}

void
linux_facts_sync(void)
{
	char **keys;
	size_t n;
	veth_ends(&keys, &n);
	linux_facts_apply(&veth_known, keys, n, LINUX_VETH_END_PREFIX);
	linux_strv_free(keys, n);
}

static int
veth_end_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
		  struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	char **keys;
	size_t n;
	veth_ends(&keys, &n);
	for (size_t k = 0; k < n; k++) {
		const char *v = keys[k] + strlen(LINUX_VETH_END_PREFIX);
		lig_sched_retrieved_add(out, keys[k], v, strlen(v), LIG_SCHED_ORIGIN_SB, NULL);
		linux_facts_note(&veth_known, keys[k]);
	}
	linux_strv_free(keys, n);
	return 0;
}

/* ---- descriptor: addresses (derived) ---- */

/* Splits linux/interface/<name>/address/static/<ip>/<len>. */
static bool
addr_key_parse(const char *key, char *name, size_t n, const char **ip)
{
	size_t pl = strlen(LINUX_IF_PREFIX);
	if (strncmp(key, LINUX_IF_PREFIX, pl) != 0)
		return false;
	const char *s = key + pl, *mid = strstr(s, LINUX_IF_ADDR_MID);
	if (!mid || mid == s || (size_t)(mid - s) >= n)
		return false;
	memcpy(name, s, (size_t)(mid - s));
	name[mid - s] = 0;
	*ip = mid + strlen(LINUX_IF_ADDR_MID);
	return true;
}

static bool
addr_selector(void *ctx, const char *key)
{
	(void)ctx;
	char name[LIG_MODEL_KEY_MAX];
	const char *ip;
	return addr_key_parse(key, name, sizeof(name), &ip);
}

static int
addr_add_del(const char *key, bool add, struct lig_sched_err *err)
{
	char name[LIG_MODEL_KEY_MAX], e[256];
	const char *ip;
	uint8_t a[4], len;
	if (!addr_key_parse(key, name, sizeof(name), &ip) ||
	    lig_model_ip4_prefix_parse(ip, a, &len) < 0) {
		lig_sched_err_set(err, "bad address key %s", key);
		return -EINVAL;
	}
	struct lig_nl *nl;
	int idx;
	int rc = linux_if_locate(name, &nl, &idx, err);
	if (rc < 0)
		return !add && rc == -ENOENT ? 0 : rc;
	struct in_addr in;
	memcpy(&in, a, 4);
	if (add) {
		rc = lig_nl_addr_add(nl, idx, in, len, e, sizeof(e));
		if (rc == -EEXIST)
			rc = 0;
	} else {
		rc = lig_nl_addr_del(nl, idx, in, len, e, sizeof(e));
		if (rc == -EADDRNOTAVAIL || rc == -ENODEV)
			rc = 0;
	}
	return rc < 0 ? linux_fail(err, rc, ip, e) : 0;
}

static int
addr_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	(void)md;
	return addr_add_del(key, true, err);
}

static int
addr_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	(void)md;
	return addr_add_del(key, false, err);
}

/* ---- registration and the desired-state hook ---- */

static bool started;

void
agent_linux_desired_changed(const char *key)
{
	if (!key && !started) {
		started = true;
		agent_linux_start(); /* namespaces and links as they are, then the veth ends */
		return;
	}
	if (!key || strncmp(key, if_prefix, strlen(if_prefix)) == 0)
		linux_facts_sync();
}

static void
md_free(void *ctx, void *md)
{
	(void)ctx;
	free(md);
}

static const char *const if_after[] = {"linux-namespace", "linux-host-interface", NULL};

int
agent_linux_interface_register(struct lig_sched *sched)
{
	agent_model_prefix(LIG_MODEL_LINUX_INTERFACE, if_prefix, sizeof(if_prefix));
	struct lig_sched_descriptor d[] = {
	    {.name = "linux-interface",
	     .key_prefix = if_prefix,
	     .validate = if_validate,
	     .create = if_create,
	     .update = if_update,
	     .update_needs_recreate = if_recreate,
	     .delete = if_delete,
	     .equivalent = if_equivalent,
	     .dependencies = if_deps,
	     .derived_values = if_derived,
	     .retrieve = if_retrieve,
	     .retrieve_after = if_after,
	     .free_metadata = md_free},
	    {.name = "linux-interface-address",
	     .key_prefix = LINUX_IF_PREFIX,
	     .key_selector = addr_selector,
	     .create = addr_create,
	     .delete = addr_delete},
	    {.name = "linux-veth-end",
	     .key_prefix = LINUX_VETH_END_PREFIX,
	     .retrieve = veth_end_retrieve},
	};
	return lig_sched_register_all(sched, d, sizeof(d) / sizeof(d[0]));
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: VPP interfaces (vpp-agent's vpp.interfaces) and their IPv4 addresses (derived values).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "afpacket/api.h"
#include "interface/api.h"
#include "ip4/api.h"
#include "loopback/api.h"

#define IF_ADDR_PREFIX "vpp/interface/"
#define IF_ADDR_MID "/address/static/"

struct if_find {
	const char *name;
	u32 sw_if_index;
	bool found;
};

static bool
if_find_cb(void *ctx, const void *d, u32 size)
{
	(void)size;
	struct if_find *f = ctx;
	const lig_api_sw_interface_dump_details_t *det = d;
	if (strncmp(det->name, f->name, sizeof(det->name)) == 0) {
		f->sw_if_index = det->sw_if_index;
		f->found = true;
	}
	return true;
}

/* The name ligd gives the interface *i describes: loop<N>, host-<host_if_name>. */
static void
ligd_name_of(const struct lig_vpp_interface *i, char *out, size_t n)
{
	if (i->type == LIG_VPP_IF_AF_PACKET && i->link_case == LIG_VPP_IF_LINK_AFPACKET)
		snprintf(out, n, "host-%s", lig_model_str(i->link.afpacket.host_if_name));
	else
		snprintf(out, n, "%s", lig_model_str(i->name));
}

static void *if_decode(const void *v, size_t n, struct lig_model_error *me);
static void if_free(struct lig_vpp_interface *i);

/* The ligd name of the desired interface with vpp-agent name logical (itself when unknown). */
static void
ligd_name(const char *logical, char *out, size_t n)
{
	char key[512];
	snprintf(key, sizeof(key), "%s%s", A.if_prefix, logical);
	snprintf(out, n, "%s", logical);
	for (size_t k = 0; k < A.n_items; k++) {
		if (strcmp(A.items[k].key, key) != 0)
			continue;
		struct lig_model_error me;
		struct lig_vpp_interface *i = if_decode(A.items[k].value, A.items[k].size, &me);
		if (i) {
			ligd_name_of(i, out, n);
			if_free(i);
		}
	}
}

/* The vpp-agent name of ligd's interface ligd (a desired af_packet's name, else itself). */
static const char *
logical_name(const char *ligd, char *buf, size_t n)
{
	snprintf(buf, n, "%s", ligd);
	if (strncmp(ligd, "host-", 5) != 0)
		return buf;
	size_t pl = strlen(A.if_prefix);
	for (size_t k = 0; k < A.n_items; k++) {
		if (strncmp(A.items[k].key, A.if_prefix, pl) != 0)
			continue;
		struct lig_model_error me;
		struct lig_vpp_interface *i = if_decode(A.items[k].value, A.items[k].size, &me);
		if (!i)
			continue;
		char ln[128];
		ligd_name_of(i, ln, sizeof(ln));
		if (strcmp(ln, ligd) == 0 && i->name)
			snprintf(buf, n, "%s", i->name);
		if_free(i);
	}
	return buf;
}

/* sw_if_index of the ligd interface named name: 0, -ENOENT or a transport error. */
int
agent_if_index_raw(const char *name, u32 *sw_if_index, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	lig_api_sw_interface_dump_t req = {0};
	snprintf(req.name, sizeof(req.name), "%s", name);
	struct if_find f = {.name = name};
	int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, if_find_cb, &f);
	if (rc < 0)
		return agent_api_rc(rc, "sw_interface_dump", NULL, err);
	if (!f.found) {
		lig_sched_err_set(err, "interface %s not found in ligd", name);
		return -ENOENT;
	}
	*sw_if_index = f.sw_if_index;
	return 0;
}

/* The same for the vpp-agent interface name logical. */
int
agent_if_index(const char *logical, u32 *sw_if_index, struct lig_sched_err *err)
{
	char n[128];
	ligd_name(logical, n, sizeof(n));
	return agent_if_index_raw(n, sw_if_index, err);
}

/* The loopback instance of a vpp-agent interface name: loop<N>, N 0..1023; -1 otherwise. */
static int
loop_instance(const char *name)
{
	if (!name || strncmp(name, "loop", 4) != 0 || !name[4])
		return -1;
	char *end;
	long n = strtol(name + 4, &end, 10);
	if (*end || n < 0 || n > 1023 || (name[4] == '0' && name[5]))
		return -1;
	return (int)n;
}

void
agent_if_key(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s%s", A.if_prefix, name);
}

/* ---- descriptor: VPP interfaces (loopbacks so far) ---- */

static void *
if_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(lig_model_get(LIG_MODEL_VPP_INTERFACE), v, n, me);
}

static void
if_free(struct lig_vpp_interface *i)
{
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_INTERFACE), i);
}

static int
if_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_INTERFACE), i, &me) < 0)
		rc = agent_model_err(err, &me);
	else if (i->type == LIG_VPP_IF_AF_PACKET) {
		if (i->link_case != LIG_VPP_IF_LINK_AFPACKET ||
		    !(i->link.afpacket.host_if_name && *i->link.afpacket.host_if_name))
			rc = agent_not_yet(err,
					   "afpacket.linux_interface (host_if_name only so far)");
		else if (strlen(i->link.afpacket.host_if_name) > 15) {
			lig_sched_err_field(err, "afpacket.host_if_name");
			lig_sched_err_set(err, "afpacket.host_if_name: at most 15 characters");
			rc = -EINVAL;
		}
	} else if (i->type != LIG_VPP_IF_SOFTWARE_LOOPBACK)
		rc = agent_not_yet(err, "type (only SOFTWARE_LOOPBACK and AF_PACKET so far)");
	else if (loop_instance(i->name) < 0) {
		lig_sched_err_field(err, "name");
		lig_sched_err_set(err,
				  "name: a loopback is named loop<instance> (0..1023) in ligd");
		rc = -EINVAL;
	} else if (i->vrf)
		rc = agent_not_yet(err, "vrf");
	else if (i->set_dhcp_client)
		rc = agent_not_yet(err, "set_dhcp_client");
	else if (i->has_ip6_nd)
		rc = agent_not_yet(err, "ip6_nd");
	else if (i->has_unnumbered)
		rc = agent_not_yet(err, "unnumbered");
	else if (i->n_rx_modes || i->n_rx_placements)
		rc = agent_not_yet(err, "rx_modes");
	for (size_t k = 0; rc == 0 && k < i->n_ip_addresses; k++) {
		u8 a[4], len;
		if (lig_model_ip4_prefix_parse(i->ip_addresses[k], a, &len) < 0 || len == 0)
			rc = agent_not_yet(err, "ip_addresses (IPv4 <addr>/<1..32> only)");
	}
	if_free(i);
	return rc;
}

static int
if_apply(const struct lig_vpp_interface *old, const struct lig_vpp_interface *nw, u32 idx,
	 struct lig_sched_err *err)
{
	int rc;
	if (nw->phys_address && *nw->phys_address &&
	    (!old || !old->phys_address || strcmp(old->phys_address, nw->phys_address))) {
		lig_api_sw_interface_set_mac_t req = {.sw_if_index = idx};
		lig_model_mac_parse(nw->phys_address, req.mac);
		lig_api_sw_interface_set_mac_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_mac, &req, &rep);
		if (rc)
			return agent_api_rc(rc, "sw_interface_set_mac", rep.error, err);
	}
	if (nw->mtu && (!old || old->mtu != nw->mtu)) {
		lig_api_sw_interface_set_mtu_t req = {.sw_if_index = idx, .mtu = nw->mtu};
		lig_api_sw_interface_set_mtu_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_mtu, &req, &rep);
		if (rc)
			return agent_api_rc(rc, "sw_interface_set_mtu", rep.error, err);
	}
	if (!old || old->enabled != nw->enabled) {
		lig_api_sw_interface_set_flags_t req = {.sw_if_index = idx,
							.admin_up = nw->enabled};
		lig_api_sw_interface_set_flags_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_flags, &req, &rep);
		if (rc)
			return agent_api_rc(rc, "sw_interface_set_flags", rep.error, err);
	}
	return 0;
}

static int
if_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	int rc;
	u32 idx = 0;
	if (i->type == LIG_VPP_IF_AF_PACKET) {
		lig_api_af_packet_create_t req = {0};
		snprintf(req.host_if_name, sizeof(req.host_if_name), "%s",
			 i->link.afpacket.host_if_name);
		if (i->phys_address && *i->phys_address)
			lig_model_mac_parse(i->phys_address, req.hw_addr);
		lig_api_af_packet_create_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, af_packet_create, &req, &rep);
		if (rc)
			rc = agent_api_rc(rc, "af_packet_create", rep.error, err);
		idx = rep.sw_if_index;
	} else {
		lig_api_loopback_create_t req = {.instance_set = 1,
						 .instance = (u32)loop_instance(i->name)};
		if (i->phys_address && *i->phys_address)
			lig_model_mac_parse(i->phys_address, req.mac);
		lig_api_loopback_create_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, loopback_create, &req, &rep);
		if (rc)
			rc = agent_api_rc(rc, "loopback_create", rep.error, err);
		idx = rep.sw_if_index;
	}
	if (rc == 0) {
		struct lig_vpp_interface none = {.name = i->name, .phys_address = i->phys_address};
		rc = if_apply(&none, i, idx, err);
	}
	if_free(i);
	return rc;
}

static int
if_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *o = if_decode(ov, os, &me), *n = if_decode(nv, ns, &me);
	int rc;
	u32 idx;
	if (!o || !n)
		rc = agent_model_err(err, &me);
	else {
		char ln[128];
		ligd_name_of(n, ln, sizeof(ln));
		if ((rc = agent_if_index_raw(ln, &idx, err)) == 0)
			rc = if_apply(o, n, idx, err);
	}
	if (o)
		if_free(o);
	if (n)
		if_free(n);
	return rc;
}

static bool
if_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_interface *o = if_decode(ov, os, &me), *n = if_decode(nv, ns, &me);
	char lo[128] = "", ln[128] = "";
	if (o && n) {
		ligd_name_of(o, lo, sizeof(lo));
		ligd_name_of(n, ln, sizeof(ln));
	}
	bool r = !o || !n || o->type != n->type ||
		 strcmp(lig_model_str(o->name), lig_model_str(n->name)) || strcmp(lo, ln);
	if (o)
		if_free(o);
	if (n)
		if_free(n);
	return r;
}

static int
if_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	u32 idx;
	char ln[128];
	ligd_name_of(i, ln, sizeof(ln));
	int rc = agent_if_index_raw(ln, &idx, err);
	if (rc == -ENOENT)
		rc = 0; /* already gone */
	else if (rc == 0 && i->type == LIG_VPP_IF_AF_PACKET) {
		lig_api_af_packet_delete_t req = {.sw_if_index = idx};
		lig_api_af_packet_delete_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, af_packet_delete, &req, &rep);
		if (rc)
			rc = agent_api_rc(rc, "af_packet_delete", rep.error, err);
	} else if (rc == 0) {
		lig_api_loopback_delete_t req = {.sw_if_index = idx};
		lig_api_loopback_delete_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, loopback_delete, &req, &rep);
		if (rc)
			rc = agent_api_rc(rc, "loopback_delete", rep.error, err);
	}
	if_free(i);
	return rc;
}

/* Same configuration as far as this descriptor applies it: addresses are derived values; a MAC
 * or MTU left unset matches whatever ligd has. */
static bool
if_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_interface *x = if_decode(a, as, &me), *y = if_decode(b, bs, &me);
	bool eq = x && y && x->type == y->type && x->enabled == y->enabled &&
		  strcmp(lig_model_str(x->name), lig_model_str(y->name)) == 0 &&
		  (!x->mtu || !y->mtu || x->mtu == y->mtu);
	if (eq) {
		char lx[128], ly[128];
		ligd_name_of(x, lx, sizeof(lx));
		ligd_name_of(y, ly, sizeof(ly));
		eq = strcmp(lx, ly) == 0;
	}
	if (eq && x->phys_address && *x->phys_address && y->phys_address && *y->phys_address) {
		u8 m1[6], m2[6];
		eq = lig_model_mac_parse(x->phys_address, m1) == 0 &&
		     lig_model_mac_parse(y->phys_address, m2) == 0 && memcmp(m1, m2, 6) == 0;
	}
	if (x)
		if_free(x);
	if (y)
		if_free(y);
	return eq;
}

static void
if_derived(void *ctx, const char *key, const void *value, size_t size,
	   struct lig_sched_derived *out)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return;
	for (size_t k = 0; k < i->n_ip_addresses; k++) {
		char dk[LIG_MODEL_KEY_MAX * 2];
		snprintf(dk, sizeof(dk), IF_ADDR_PREFIX "%s" IF_ADDR_MID "%s", i->name,
			 i->ip_addresses[k]);
		lig_sched_derive(out, dk, i->ip_addresses[k], strlen(i->ip_addresses[k]));
	}
	if_free(i);
}

/* Retrieve: ligd's loopbacks (with their addresses); other interfaces are OBTAINED. */

static bool
if_dump_cb(void *ctx, const void *d, u32 size)
{
	struct agent_if_dump *x = ctx;
	if (size < sizeof(*x->d))
		return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		void *p = realloc(x->d, cap * sizeof(*x->d));
		if (!p)
			return false;
		x->d = p;
		x->cap = cap;
	}
	memcpy(&x->d[x->n++], d, sizeof(*x->d));
	return true;
}

struct addr_dump {
	lig_api_ip_address_dump_details_t *d;
	size_t n, cap;
};

static bool
addr_dump_cb(void *ctx, const void *d, u32 size)
{
	struct addr_dump *x = ctx;
	if (size < sizeof(*x->d))
		return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		void *p = realloc(x->d, cap * sizeof(*x->d));
		if (!p)
			return false;
		x->d = p;
		x->cap = cap;
	}
	memcpy(&x->d[x->n++], d, sizeof(*x->d));
	return true;
}

int
agent_dump_interfaces(struct agent_if_dump *ifs)
{
	lig_api_sw_interface_dump_t req = {0};
	int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, if_dump_cb, ifs);
	return rc ? agent_api_rc(rc, "sw_interface_dump", NULL, NULL) : 0;
}

/* The vpp-agent name of ligd's interface idx, in buf (NULL when unknown). */
const char *
agent_if_name_of(const struct agent_if_dump *ifs, u32 idx, char *buf, size_t n)
{
	for (size_t k = 0; k < ifs->n; k++)
		if (ifs->d[k].sw_if_index == idx) {
			char ln[sizeof(ifs->d[k].name) + 1];
			snprintf(ln, sizeof(ln), "%.*s", (int)sizeof(ifs->d[k].name),
				 ifs->d[k].name);
			return logical_name(ln, buf, n);
		}
	return NULL;
}

static int
if_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	if (!A.api)
		return -ENOTCONN;
	struct agent_if_dump ifs = {0};
	struct addr_dump addrs = {0};
	int rc = agent_dump_interfaces(&ifs);
	if (rc == 0) {
		lig_api_ip_address_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_address_dump, &req, addr_dump_cb, &addrs);
		if (rc)
			rc = agent_api_rc(rc, "ip_address_dump", NULL, NULL);
	}
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_INTERFACE);
	for (size_t k = 0; rc == 0 && k < ifs.n; k++) {
		const lig_api_sw_interface_dump_details_t *d = &ifs.d[k];
		char name[sizeof(d->name) + 1], mac[32], key[512];
		snprintf(name, sizeof(name), "%.*s", (int)sizeof(d->name), d->name);
		bool loop = strncmp(d->device_class, "loopback", sizeof(d->device_class)) == 0 &&
			    loop_instance(name) >= 0;
		char logical[128];
		bool afp = strncmp(d->device_class, "af_packet", sizeof(d->device_class)) == 0 &&
			   strcmp(logical_name(name, logical, sizeof(logical)), name) != 0;
		agent_fmt_mac(mac, sizeof(mac), d->mac);
		struct lig_vpp_interface i = {.name = afp ? logical : name,
					      .type = loop ? LIG_VPP_IF_SOFTWARE_LOOPBACK
							   : LIG_VPP_IF_UNDEFINED_TYPE,
					      .enabled = d->admin_up,
					      .phys_address = mac,
					      .mtu = d->mtu};
		if (afp) {
			i.type = LIG_VPP_IF_AF_PACKET;
			i.link_case = LIG_VPP_IF_LINK_AFPACKET;
			i.link.afpacket.host_if_name = name + 5;
		}
		char *ips[64], bufs[64][24];
		for (size_t j = 0; j < addrs.n && i.n_ip_addresses < 64; j++) {
			if (addrs.d[j].sw_if_index != d->sw_if_index)
				continue;
			u8 *a = (u8 *)&addrs.d[j].address;
			snprintf(bufs[i.n_ip_addresses], sizeof(bufs[0]), "%u.%u.%u.%u/%u", a[0],
				 a[1], a[2], a[3], addrs.d[j].len);
			ips[i.n_ip_addresses] = bufs[i.n_ip_addresses];
			i.n_ip_addresses++;
		}
		i.ip_addresses = ips;
		char *json = m->encode(&i);
		if (!json)
			continue;
		agent_if_key(key, sizeof(key), i.name);
		lig_sched_retrieved_add(
		    out, key, json, strlen(json),
		    loop || afp ? LIG_SCHED_ORIGIN_UNKNOWN : LIG_SCHED_ORIGIN_SB, NULL);
		free(json);
	}
	free(ifs.d);
	free(addrs.d);
	return rc;
}

/* ---- descriptor: interface addresses (derived from interfaces) ---- */

/* Splits vpp/interface/<name>/address/static/<ip>/<len>. */
static bool
addr_key_parse(const char *key, char *name, size_t n)
{
	if (strncmp(key, IF_ADDR_PREFIX, strlen(IF_ADDR_PREFIX)) != 0)
		return false;
	const char *s = key + strlen(IF_ADDR_PREFIX), *mid = strstr(s, IF_ADDR_MID);
	if (!mid || (size_t)(mid - s) >= n)
		return false;
	memcpy(name, s, (size_t)(mid - s));
	name[mid - s] = 0;
	return true;
}

static bool
addr_selector(void *ctx, const char *key)
{
	(void)ctx;
	return strstr(key, IF_ADDR_MID) != NULL;
}

static void
addr_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)value;
	(void)size;
	char name[LIG_MODEL_KEY_MAX], k[LIG_MODEL_KEY_MAX * 2];
	if (!addr_key_parse(key, name, sizeof(name)))
		return;
	agent_if_key(k, sizeof(k), name);
	lig_sched_dep_key(deps, "interface", k);
}

static int
addr_add_del(const char *key, const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	char name[LIG_MODEL_KEY_MAX], ip[64];
	if (!addr_key_parse(key, name, sizeof(name)) || size >= sizeof(ip)) {
		lig_sched_err_set(err, "bad address key %s", key);
		return -EINVAL;
	}
	memcpy(ip, value, size);
	ip[size] = 0;
	u8 a[4], len;
	if (lig_model_ip4_prefix_parse(ip, a, &len) < 0) {
		lig_sched_err_set(err, "%s: not an IPv4 prefix", ip);
		return -EINVAL;
	}
	u32 idx;
	int rc = agent_if_index(name, &idx, err);
	if (rc)
		return (!add && rc == -ENOENT) ? 0 : rc;
	lig_api_sw_interface_add_del_address_t req = {
	    .sw_if_index = idx, .len = len, .is_add = add};
	memcpy(&req.address, a, 4);
	lig_api_sw_interface_add_del_address_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_add_del_address, &req, &rep);
	return rc ? agent_api_rc(rc, "sw_interface_add_del_address", rep.error, err) : 0;
}

static int
addr_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	return addr_add_del(key, value, size, true, err);
}

static int
addr_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	return addr_add_del(key, value, size, false, err);
}

int
agent_vpp_interface_register(struct lig_sched *sched)
{
	struct lig_sched_descriptor d[] = {
	    {.name = "vpp-interface",
	     .key_prefix = A.if_prefix,
	     .validate = if_validate,
	     .create = if_create,
	     .update = if_update,
	     .update_needs_recreate = if_recreate,
	     .delete = if_delete,
	     .equivalent = if_equivalent,
	     .derived_values = if_derived,
	     .retrieve = if_retrieve},
	    {.name = "vpp-interface-address",
	     .key_prefix = IF_ADDR_PREFIX,
	     .key_selector = addr_selector,
	     .create = addr_create,
	     .delete = addr_delete,
	     .dependencies = addr_deps},
	};
	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		int rc = lig_sched_register(sched, &d[k]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: vpp-agent's role for ligd. Watches /vnf-agent/<label>/config/ in the KV store
 * (etcd with --etcd-config, else the embedded store in --state-dir), decodes each value with
 * agent/models and applies the desired state to ligd through the scheduler (agent/scheduler),
 * whose descriptors call libligapi. One scheduler transaction per watch batch; the initial list
 * and every (re)connection to ligd is a full resync. REST: /scheduler/status,
 * /scheduler/txn-history, /liveness, /readiness. See docs/agent.md ("lig-agent"). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>

#include <cninfra/http.h>
#include <cninfra/kv.h>
#include <cninfra/loop.h>
#include <jansson.h>

#include "afpacket/api.h"
#include "interface/api.h"
#include "ip4/api.h"
#include "l2/api.h"
#include "ligagent/scheduler.h"
#include "lig_models.h"
#include "ligapi.h"
#include "loopback/api.h"

#define IF_ADDR_PREFIX "vpp/interface/"
#define IF_ADDR_MID "/address/static/"
#define BD_IF_PREFIX "vpp/bd/"
#define BD_IF_MID "/interface/"

struct nb_item {
	char *key;
	char *value;
	size_t size;
};

struct agent {
	struct cninfra_loop *loop;
	struct cninfra_kv *kv;
	struct cninfra_datasync *ds;
	struct cninfra_http *http;
	struct lig_sched *sched;
	struct lig_api_client *api;
	struct cninfra_watch *api_watch;
	struct cninfra_timer *connect_timer;
	struct cninfra_timer *retry_timer;
	struct cninfra_timer *batch_timer;
	const char *ligd_socket;
	char label[LIG_MODEL_LABEL_MAX + 1];
	char prefix[256];    /* /vnf-agent/<label>/config/ */
	char if_prefix[256]; /* ...config/vpp/v2/interfaces/ */
	char bd_prefix[256]; /* ...config/vpp/l2/v2/bridge-domain/ */
	char rt_prefix[256]; /* ...config/vpp/v2/route/ */
	/* The desired state as in the store (canonical JSON where it decodes). */
	struct nb_item *items;
	size_t n_items, cap_items;
	bool synced;		     /* the initial list arrived */
	bool need_resync;	     /* a full resync is due (ligd (re)connected) */
	bool lost_api;		     /* a call saw the connection go */
	struct lig_sched_txn *batch; /* changes of the current watch batch */
};

static struct agent A;

static void
logf_(const char *fmt, ...)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld lig-agent: ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- values ---- */

/* Decodes a northbound value of model m; NULL with *err filled when it does not decode. */
static void *
decode(const struct lig_model *m, const void *v, size_t n, struct lig_model_error *err)
{
	void *val = lig_model_value_new(m);
	if (!val) {
		snprintf(err->text, sizeof(err->text), "out of memory");
		return NULL;
	}
	if (m->decode(v, n, val, err) < 0) {
		lig_model_value_delete(m, val);
		return NULL;
	}
	return val;
}

/* Canonical JSON of a northbound value (so equal configurations are equal bytes), or a copy. */
static char *
canonical(const char *key, const char *v, size_t n, size_t *out_n)
{
	struct lig_model_key k;
	struct lig_model_error err;
	char *out = NULL;
	if (lig_model_key_parse(key, &k, &err) == 0) {
		void *val = decode(k.model, v, n, &err);
		if (val) {
			out = k.model->encode(val);
			lig_model_value_delete(k.model, val);
		}
	}
	if (out) {
		*out_n = strlen(out);
		return out;
	}
	out = malloc(n + 1);
	if (out) {
		memcpy(out, v, n);
		out[n] = 0;
		*out_n = n;
	}
	return out;
}

static bool
api_up(struct lig_sched_err *err)
{
	if (A.api)
		return true;
	lig_sched_err_set(err, "ligd is not connected");
	return false;
}

/* Checks a call's result; a transport error marks the connection lost. */
static int
api_rc(int rc, const char *what, const char *text, struct lig_sched_err *err)
{
	if (rc == 0)
		return 0;
	if (rc == -EPIPE || rc == -ECONNRESET || rc == -ENOTCONN || rc == -ETIMEDOUT)
		A.lost_api = true;
	if (err)
		lig_sched_err_set(err, "%s: %s", what,
				  text && *text ? text : lig_api_last_error(A.api));
	return rc;
}

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
static int
if_index_raw(const char *name, u32 *sw_if_index, struct lig_sched_err *err)
{
	if (!api_up(err))
		return -ENOTCONN;
	lig_api_sw_interface_dump_t req = {0};
	snprintf(req.name, sizeof(req.name), "%s", name);
	struct if_find f = {.name = name};
	int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, if_find_cb, &f);
	if (rc < 0)
		return api_rc(rc, "sw_interface_dump", NULL, err);
	if (!f.found) {
		lig_sched_err_set(err, "interface %s not found in ligd", name);
		return -ENOENT;
	}
	*sw_if_index = f.sw_if_index;
	return 0;
}

/* The same for the vpp-agent interface name logical. */
static int
if_index(const char *logical, u32 *sw_if_index, struct lig_sched_err *err)
{
	char n[128];
	ligd_name(logical, n, sizeof(n));
	return if_index_raw(n, sw_if_index, err);
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

/* Bridge domains are named in vpp-agent, numbered in ligd: the id is a hash of the name. */
static u32
bd_id_of(const char *name)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % 16777214u + 1;
}

static void
fmt_mac(char *buf, size_t n, const u8 *mac)
{
	snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

static void
if_key(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s%s", A.if_prefix, name);
}

static int
model_err(struct lig_sched_err *err, const struct lig_model_error *me)
{
	if (me->field[0])
		lig_sched_err_field(err, me->field);
	lig_sched_err_set(err, "%s", me->text);
	return -EINVAL;
}

static int
not_yet(struct lig_sched_err *err, const char *field)
{
	lig_sched_err_field(err, field);
	lig_sched_err_set(err, "%s: not implemented by lig-agent yet", field);
	return -EOPNOTSUPP;
}

/* ---- descriptor: VPP interfaces (loopbacks so far) ---- */

static void *
if_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return decode(lig_model_get(LIG_MODEL_VPP_INTERFACE), v, n, me);
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
		return model_err(err, &me);
	int rc = 0;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_INTERFACE), i, &me) < 0)
		rc = model_err(err, &me);
	else if (i->type == LIG_VPP_IF_AF_PACKET) {
		if (i->link_case != LIG_VPP_IF_LINK_AFPACKET ||
		    !(i->link.afpacket.host_if_name && *i->link.afpacket.host_if_name))
			rc = not_yet(err, "afpacket.linux_interface (host_if_name only so far)");
		else if (strlen(i->link.afpacket.host_if_name) > 15) {
			lig_sched_err_field(err, "afpacket.host_if_name");
			lig_sched_err_set(err, "afpacket.host_if_name: at most 15 characters");
			rc = -EINVAL;
		}
	} else if (i->type != LIG_VPP_IF_SOFTWARE_LOOPBACK)
		rc = not_yet(err, "type (only SOFTWARE_LOOPBACK and AF_PACKET so far)");
	else if (loop_instance(i->name) < 0) {
		lig_sched_err_field(err, "name");
		lig_sched_err_set(err,
				  "name: a loopback is named loop<instance> (0..1023) in ligd");
		rc = -EINVAL;
	} else if (i->vrf)
		rc = not_yet(err, "vrf");
	else if (i->set_dhcp_client)
		rc = not_yet(err, "set_dhcp_client");
	else if (i->has_ip6_nd)
		rc = not_yet(err, "ip6_nd");
	else if (i->has_unnumbered)
		rc = not_yet(err, "unnumbered");
	else if (i->n_rx_modes || i->n_rx_placements)
		rc = not_yet(err, "rx_modes");
	for (size_t k = 0; rc == 0 && k < i->n_ip_addresses; k++) {
		u8 a[4], len;
		if (lig_model_ip4_prefix_parse(i->ip_addresses[k], a, &len) < 0 || len == 0)
			rc = not_yet(err, "ip_addresses (IPv4 <addr>/<1..32> only)");
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
			return api_rc(rc, "sw_interface_set_mac", rep.error, err);
	}
	if (nw->mtu && (!old || old->mtu != nw->mtu)) {
		lig_api_sw_interface_set_mtu_t req = {.sw_if_index = idx, .mtu = nw->mtu};
		lig_api_sw_interface_set_mtu_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_mtu, &req, &rep);
		if (rc)
			return api_rc(rc, "sw_interface_set_mtu", rep.error, err);
	}
	if (!old || old->enabled != nw->enabled) {
		lig_api_sw_interface_set_flags_t req = {.sw_if_index = idx,
							.admin_up = nw->enabled};
		lig_api_sw_interface_set_flags_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_flags, &req, &rep);
		if (rc)
			return api_rc(rc, "sw_interface_set_flags", rep.error, err);
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
	if (!api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return model_err(err, &me);
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
			rc = api_rc(rc, "af_packet_create", rep.error, err);
		idx = rep.sw_if_index;
	} else {
		lig_api_loopback_create_t req = {.instance_set = 1,
						 .instance = (u32)loop_instance(i->name)};
		if (i->phys_address && *i->phys_address)
			lig_model_mac_parse(i->phys_address, req.mac);
		lig_api_loopback_create_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, loopback_create, &req, &rep);
		if (rc)
			rc = api_rc(rc, "loopback_create", rep.error, err);
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
		rc = model_err(err, &me);
	else {
		char ln[128];
		ligd_name_of(n, ln, sizeof(ln));
		if ((rc = if_index_raw(ln, &idx, err)) == 0)
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
		return model_err(err, &me);
	u32 idx;
	char ln[128];
	ligd_name_of(i, ln, sizeof(ln));
	int rc = if_index_raw(ln, &idx, err);
	if (rc == -ENOENT)
		rc = 0; /* already gone */
	else if (rc == 0 && i->type == LIG_VPP_IF_AF_PACKET) {
		lig_api_af_packet_delete_t req = {.sw_if_index = idx};
		lig_api_af_packet_delete_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, af_packet_delete, &req, &rep);
		if (rc)
			rc = api_rc(rc, "af_packet_delete", rep.error, err);
	} else if (rc == 0) {
		lig_api_loopback_delete_t req = {.sw_if_index = idx};
		lig_api_loopback_delete_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, loopback_delete, &req, &rep);
		if (rc)
			rc = api_rc(rc, "loopback_delete", rep.error, err);
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
struct if_dump {
	lig_api_sw_interface_dump_details_t *d;
	size_t n, cap;
};

static bool
if_dump_cb(void *ctx, const void *d, u32 size)
{
	struct if_dump *x = ctx;
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

static int
dump_interfaces(struct if_dump *ifs)
{
	lig_api_sw_interface_dump_t req = {0};
	int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, if_dump_cb, ifs);
	return rc ? api_rc(rc, "sw_interface_dump", NULL, NULL) : 0;
}

/* The vpp-agent name of ligd's interface idx, in buf (NULL when unknown). */
static const char *
if_name_of(const struct if_dump *ifs, u32 idx, char *buf, size_t n)
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
	struct if_dump ifs = {0};
	struct addr_dump addrs = {0};
	int rc = dump_interfaces(&ifs);
	if (rc == 0) {
		lig_api_ip_address_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_address_dump, &req, addr_dump_cb, &addrs);
		if (rc)
			rc = api_rc(rc, "ip_address_dump", NULL, NULL);
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
		fmt_mac(mac, sizeof(mac), d->mac);
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
		if_key(key, sizeof(key), i.name);
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
	if_key(k, sizeof(k), name);
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
	int rc = if_index(name, &idx, err);
	if (rc)
		return (!add && rc == -ENOENT) ? 0 : rc;
	lig_api_sw_interface_add_del_address_t req = {
	    .sw_if_index = idx, .len = len, .is_add = add};
	memcpy(&req.address, a, 4);
	lig_api_sw_interface_add_del_address_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_add_del_address, &req, &rep);
	return rc ? api_rc(rc, "sw_interface_add_del_address", rep.error, err) : 0;
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

/* ---- descriptor: bridge domains ---- */

static void *
bd_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return decode(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), v, n, me);
}

static void
bd_free(struct lig_vpp_bridge_domain *b)
{
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), b);
}

static int
bd_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return model_err(err, &me);
	int rc = 0;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), b, &me) < 0)
		rc = model_err(err, &me);
	else if (b->n_arp_termination_table)
		rc = not_yet(err, "arp_termination_table");
	bd_free(b);
	return rc;
}

static u32
bd_flags(const struct lig_vpp_bridge_domain *b)
{
	return (b->learn ? 1u : 0) | (b->forward ? 2u : 0) | (b->unknown_unicast_flood ? 4u : 0) |
	       (b->flood ? 8u : 0) | (b->arp_termination ? 16u : 0);
}

static int
bd_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return model_err(err, &me);
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id_of(b->name),
					       .is_add = 1,
					       .learn = b->learn,
					       .forward = b->forward,
					       .uu_flood = b->unknown_unicast_flood,
					       .flood = b->flood,
					       .arp_term = b->arp_termination,
					       .mac_age = b->mac_age};
	lig_api_bridge_domain_add_del_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
	bd_free(b);
	return rc ? api_rc(rc, "bridge_domain_add_del", rep.error, err) : 0;
}

static int
bd_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *o = bd_decode(ov, os, &me), *n = bd_decode(nv, ns, &me);
	int rc = 0;
	if (!o || !n)
		rc = model_err(err, &me);
	else {
		u32 id = bd_id_of(n->name), of = bd_flags(o), nf = bd_flags(n);
		for (int set = 0; rc == 0 && set < 2; set++) {
			u32 f = set ? (nf & ~of) : (of & ~nf);
			if (!f)
				continue;
			lig_api_bridge_domain_set_flags_t req = {
			    .bd_id = id, .flags = f, .is_set = (u8)set};
			lig_api_bridge_domain_set_flags_reply_t rep;
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_flags, &req, &rep);
			if (rc)
				rc = api_rc(rc, "bridge_domain_set_flags", rep.error, err);
		}
		if (rc == 0 && o->mac_age != n->mac_age) {
			lig_api_bridge_domain_set_mac_age_t req = {.bd_id = id,
								   .mac_age = n->mac_age};
			lig_api_bridge_domain_set_mac_age_reply_t rep;
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_mac_age, &req, &rep);
			if (rc)
				rc = api_rc(rc, "bridge_domain_set_mac_age", rep.error, err);
		}
	}
	if (o)
		bd_free(o);
	if (n)
		bd_free(n);
	return rc;
}

static bool
bd_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *o = bd_decode(ov, os, &me), *n = bd_decode(nv, ns, &me);
	bool r = !o || !n || strcmp(lig_model_str(o->name), lig_model_str(n->name));
	if (o)
		bd_free(o);
	if (n)
		bd_free(n);
	return r;
}

static int
bd_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return model_err(err, &me);
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id_of(b->name), .is_add = 0};
	lig_api_bridge_domain_add_del_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
	bd_free(b);
	if (rc == -ENOENT)
		return 0;
	return rc ? api_rc(rc, "bridge_domain_add_del", rep.error, err) : 0;
}

/* Settings only: the members are derived values. */
static bool
bd_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *x = bd_decode(a, as, &me), *y = bd_decode(b, bs, &me);
	bool eq = x && y && strcmp(lig_model_str(x->name), lig_model_str(y->name)) == 0 &&
		  bd_flags(x) == bd_flags(y) && x->mac_age == y->mac_age;
	if (x)
		bd_free(x);
	if (y)
		bd_free(y);
	return eq;
}

static void
bd_derived(void *ctx, const char *key, const void *value, size_t size,
	   struct lig_sched_derived *out)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return;
	for (size_t k = 0; k < b->n_interfaces; k++) {
		char dk[LIG_MODEL_KEY_MAX * 2], v[64];
		snprintf(dk, sizeof(dk), BD_IF_PREFIX "%s" BD_IF_MID "%s", b->name,
			 lig_model_str(b->interfaces[k].name));
		int n = snprintf(v, sizeof(v), "bvi=%d shg=%u",
				 b->interfaces[k].bridged_virtual_interface ? 1 : 0,
				 b->interfaces[k].split_horizon_group);
		lig_sched_derive(out, dk, v, (size_t)n);
	}
	bd_free(b);
}

struct bd_dump {
	lig_api_bridge_domain_dump_details_t *d[256];
	size_t n;
};

static bool
bd_dump_cb(void *ctx, const void *d, u32 size)
{
	struct bd_dump *x = ctx;
	if (x->n == 256 || size < sizeof(lig_api_bridge_domain_dump_details_t))
		return true;
	void *p = malloc(size);
	if (!p)
		return false;
	memcpy(p, d, size);
	x->d[x->n++] = p;
	return true;
}

static int
bd_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct if_dump ifs = {0};
	struct bd_dump bds = {0};
	int rc = dump_interfaces(&ifs);
	if (rc == 0) {
		lig_api_bridge_domain_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, bridge_domain_dump, &req, bd_dump_cb, &bds);
		if (rc)
			rc = api_rc(rc, "bridge_domain_dump", NULL, NULL);
	}
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN);
	for (size_t k = 0; rc == 0 && k < bds.n; k++) {
		const lig_api_bridge_domain_dump_details_t *d = bds.d[k];
		/* The name: a desired bridge domain whose id this is, else bd<id> (OBTAINED). */
		char name[LIG_MODEL_NAME_MAX + 1];
		snprintf(name, sizeof(name), "bd%u", d->bd_id);
		enum lig_sched_origin origin = LIG_SCHED_ORIGIN_SB;
		for (size_t c = 0; c < lig_sched_retrieved_count(correlate); c++) {
			const void *v;
			size_t vs;
			void *md;
			const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, &md);
			if (strncmp(ck, A.bd_prefix, strlen(A.bd_prefix)) != 0)
				continue;
			struct lig_model_error me;
			struct lig_vpp_bridge_domain *b = bd_decode(v, vs, &me);
			if (b && bd_id_of(b->name) == d->bd_id) {
				snprintf(name, sizeof(name), "%s", b->name);
				origin = LIG_SCHED_ORIGIN_UNKNOWN;
			}
			if (b)
				bd_free(b);
		}
		struct lig_vpp_bd_interface mem[64];
		char names[64][80];
		size_t nm = 0;
		for (u32 j = 0; j < d->n_members && nm < 64; j++) {
			const char *in = if_name_of(&ifs, d->members[j].sw_if_index, names[nm],
						    sizeof(names[nm]));
			if (!in)
				continue;
			mem[nm++] = (struct lig_vpp_bd_interface){
			    .name = (char *)in,
			    .bridged_virtual_interface = d->members[j].bvi,
			    .split_horizon_group = d->members[j].shg};
		}
		struct lig_vpp_bridge_domain b = {.name = name,
						  .learn = d->learn,
						  .forward = d->forward,
						  .unknown_unicast_flood = d->uu_flood,
						  .flood = d->flood,
						  .arp_termination = d->arp_term,
						  .mac_age = d->mac_age,
						  .interfaces = mem,
						  .n_interfaces = nm};
		char *json = m->encode(&b), key[512];
		if (!json)
			continue;
		snprintf(key, sizeof(key), "%s%s", A.bd_prefix, name);
		lig_sched_retrieved_add(out, key, json, strlen(json), origin, NULL);
		free(json);
	}
	for (size_t k = 0; k < bds.n; k++)
		free(bds.d[k]);
	free(ifs.d);
	return rc;
}

/* ---- descriptor: bridge-domain membership (derived from bridge domains) ---- */

static bool
bdif_key_parse(const char *key, char *bd, char *iface, size_t n)
{
	if (strncmp(key, BD_IF_PREFIX, strlen(BD_IF_PREFIX)) != 0)
		return false;
	const char *s = key + strlen(BD_IF_PREFIX), *mid = strstr(s, BD_IF_MID);
	if (!mid || (size_t)(mid - s) >= n || strlen(mid + strlen(BD_IF_MID)) >= n)
		return false;
	memcpy(bd, s, (size_t)(mid - s));
	bd[mid - s] = 0;
	strcpy(iface, mid + strlen(BD_IF_MID));
	return true;
}

static void
bdif_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)value;
	(void)size;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX], k[LIG_MODEL_KEY_MAX * 2];
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)))
		return;
	if_key(k, sizeof(k), iface);
	lig_sched_dep_key(deps, "interface", k);
}

static int
bdif_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX], v[64];
	int bvi = 0;
	unsigned shg = 0;
	snprintf(v, sizeof(v), "%.*s", (int)(size < 63 ? size : 63), (const char *)value);
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)) ||
	    sscanf(v, "bvi=%d shg=%u", &bvi, &shg) != 2) {
		lig_sched_err_set(err, "bad membership %s", key);
		return -EINVAL;
	}
	u32 idx;
	int rc = if_index(iface, &idx, err);
	if (rc)
		return rc;
	lig_api_sw_interface_set_l2_bridge_t req = {
	    .sw_if_index = idx, .bd_id = bd_id_of(bd), .bvi = (u8)(bvi != 0), .shg = (u8)shg};
	lig_api_sw_interface_set_l2_bridge_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l2_bridge, &req, &rep);
	return rc ? api_rc(rc, "sw_interface_set_l2_bridge", rep.error, err) : 0;
}

static int
bdif_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	(void)value;
	(void)size;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX];
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)))
		return 0;
	u32 idx;
	int rc = if_index(iface, &idx, err);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	lig_api_sw_interface_set_l3_t req = {.sw_if_index = idx};
	lig_api_sw_interface_set_l3_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l3, &req, &rep);
	return rc ? api_rc(rc, "sw_interface_set_l3", rep.error, err) : 0;
}

/* ---- descriptor: routes (one key per path, vpp-agent's .../dst/<dst>/gw/<gw>) ---- */

static void *
rt_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return decode(lig_model_get(LIG_MODEL_VPP_ROUTE), v, n, me);
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
		return model_err(err, &me);
	int rc = 0;
	u8 a[4], len;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_ROUTE), r, &me) < 0)
		rc = model_err(err, &me);
	else if (r->type == LIG_VPP_ROUTE_INTER_VRF)
		rc = not_yet(err, "type (INTER_VRF)");
	else if (r->vrf_id)
		rc = not_yet(err, "vrf_id (VRF tables)");
	else if (r->preference)
		rc = not_yet(err, "preference");
	else if (r->weight > 255)
		rc = not_yet(err, "weight (1..255 in ligd)");
	else if (lig_model_ip4_prefix_parse(lig_model_str(r->dst_network), a, &len) < 0)
		rc = not_yet(err, "dst_network (IPv4 only)");
	else if (r->next_hop_addr && *r->next_hop_addr &&
		 lig_model_ip4_parse(r->next_hop_addr, a) < 0)
		rc = not_yet(err, "next_hop_addr (IPv4 only)");
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
		if_key(k, sizeof(k), r->outgoing_interface);
		lig_sched_dep_key(deps, "interface", k);
	}
	rt_free(r);
}

static int
rt_add_del(const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	if (!api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_route *r = rt_decode(value, size, &me);
	if (!r)
		return model_err(err, &me);
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
			rc = if_index(r->outgoing_interface, &idx, err);
		p->sw_if_index = idx;
	}
	if (rc == 0) {
		lig_api_ip_route_add_del_reply_t rep;
		rc = lig_api_call(A.api, LIG_API_ID_ip_route_add_del, buf, sizeof(buf), &rep,
				  sizeof(rep));
		if (rc)
			rc = api_rc(rc, "ip_route_add_del", rep.error, err);
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
	struct if_dump ifs = {0};
	struct rt_dump *rts = calloc(1, sizeof(*rts));
	if (!rts)
		return -ENOMEM;
	int rc = dump_interfaces(&ifs);
	if (rc == 0) {
		/* Table 0 only: VRF tables are not implemented yet. */
		lig_api_ip_route_dump_t req = {.by_table = 1, .table_id = 0, .source = 2};
		rc = LIG_API_CLIENT_DUMP(A.api, ip_route_dump, &req, rt_dump_cb, rts);
		if (rc)
			rc = api_rc(rc, "ip_route_dump", NULL, NULL);
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
			const char *in = p->sw_if_index != ~0u
					     ? if_name_of(&ifs, p->sw_if_index, inb, sizeof(inb))
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

/* ---- descriptor: every other configuration key (INVALID with the reason) ---- */

static int
other_validate(void *ctx, const char *key, const void *value, size_t size,
	       struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	struct lig_model_key k;
	struct lig_model_error me = {0};
	if (lig_model_key_parse(key, &k, &me) < 0) {
		lig_sched_err_set(err, "%s", me.text);
		return -EOPNOTSUPP;
	}
	lig_sched_err_set(err, "model %s: not implemented by lig-agent yet", k.model->name);
	return -EOPNOTSUPP;
}

/* ---- the scheduler ---- */

static void api_lost(void);

static void
retry_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	lig_sched_run_retries(A.sched);
	if (A.lost_api)
		api_lost();
}

static void
retry_timer(void *ctx, int64_t delay_ns)
{
	(void)ctx;
	if (delay_ns < 0)
		cninfra_timer_set(A.retry_timer, 0, 0);
	else
		cninfra_timer_set(A.retry_timer, (uint64_t)delay_ns / 1000000 + 1, 0);
}

static void
on_txn(void *ctx, const struct lig_sched_txn_record *r)
{
	(void)ctx;
	if (r->n_ops)
		lig_sched_txn_print(r, stderr);
}

static int
register_descriptors(void)
{
	static const char *const after_if[] = {"vpp-interface", NULL};
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
	    {.name = "vpp-bridge-domain",
	     .key_prefix = A.bd_prefix,
	     .validate = bd_validate,
	     .create = bd_create,
	     .update = bd_update,
	     .update_needs_recreate = bd_recreate,
	     .delete = bd_delete,
	     .equivalent = bd_equivalent,
	     .derived_values = bd_derived,
	     .retrieve = bd_retrieve,
	     .retrieve_after = after_if},
	    {.name = "vpp-bd-interface",
	     .key_prefix = BD_IF_PREFIX,
	     .create = bdif_create,
	     .delete = bdif_delete,
	     .dependencies = bdif_deps},
	    {.name = "vpp-route",
	     .key_prefix = A.rt_prefix,
	     .validate = rt_validate,
	     .create = rt_create,
	     .delete = rt_delete,
	     .equivalent = rt_equivalent,
	     .dependencies = rt_deps,
	     .retrieve = rt_retrieve,
	     .retrieve_after = after_if},
	    {.name = "unsupported", .key_prefix = A.prefix, .validate = other_validate},
	};
	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		int rc = lig_sched_register(A.sched, &d[k]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- northbound: the store ---- */

static struct nb_item *
item_find(const char *key)
{
	for (size_t k = 0; k < A.n_items; k++)
		if (strcmp(A.items[k].key, key) == 0)
			return &A.items[k];
	return NULL;
}

static void
items_clear(void)
{
	for (size_t k = 0; k < A.n_items; k++) {
		free(A.items[k].key);
		free(A.items[k].value);
	}
	A.n_items = 0;
}

static int
item_set(const char *key, const char *v, size_t n)
{
	size_t cs;
	char *c = canonical(key, v, n, &cs);
	if (!c)
		return -ENOMEM;
	struct nb_item *it = item_find(key);
	if (!it) {
		if (A.n_items == A.cap_items) {
			size_t cap = A.cap_items ? A.cap_items * 2 : 32;
			void *p = realloc(A.items, cap * sizeof(*A.items));
			if (!p) {
				free(c);
				return -ENOMEM;
			}
			A.items = p;
			A.cap_items = cap;
		}
		it = &A.items[A.n_items++];
		it->key = strdup(key);
		if (!it->key) {
			A.n_items--;
			free(c);
			return -ENOMEM;
		}
	} else
		free(it->value);
	it->value = c;
	it->size = cs;
	return 0;
}

static void
item_del(const char *key)
{
	struct nb_item *it = item_find(key);
	if (!it)
		return;
	free(it->key);
	free(it->value);
	*it = A.items[--A.n_items];
}

/* Full resync: the whole desired state against what ligd has. */
static void
full_resync(const char *why)
{
	struct lig_sched_txn *t = lig_sched_txn_new(A.sched);
	if (!t)
		return;
	for (size_t k = 0; k < A.n_items; k++)
		lig_sched_txn_set(t, A.items[k].key, A.items[k].value, A.items[k].size);
	lig_sched_txn_describe(t, why);
	A.need_resync = false;
	uint64_t seq = 0;
	lig_sched_txn_resync(t, A.api != NULL, &seq);
	logf_("resync (%s): %zu values, transaction %llu", why, A.n_items, (unsigned long long)seq);
}

static void
after_txn(void)
{
	if (A.lost_api)
		api_lost();
}

static void
batch_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	if (!A.batch)
		return;
	struct lig_sched_txn *txn = A.batch;
	A.batch = NULL;
	if (A.need_resync) {
		lig_sched_txn_free(txn);
		full_resync("ligd connected");
	} else
		lig_sched_txn_commit(txn, NULL);
	after_txn();
}

static void
on_datasync(const struct cninfra_datasync_event *ev, void *arg)
{
	(void)arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		items_clear();
		for (size_t k = 0; k < ev->list->count; k++) {
			const struct cninfra_kv_pair *p = &ev->list->pairs[k];
			item_set(p->key, p->value, p->value_size);
		}
		A.synced = true;
		lig_sched_txn_free(A.batch);
		A.batch = NULL;
		full_resync("store (re)listed");
		after_txn();
		return;
	}
	if (!A.synced)
		return;
	if (!A.batch) {
		A.batch = lig_sched_txn_new(A.sched);
		if (!A.batch)
			return;
		lig_sched_txn_describe(A.batch, "store watch");
		cninfra_timer_set(A.batch_timer, 0, 0);
		cninfra_timer_set(A.batch_timer, 1, 0);
	}
	const struct cninfra_kv_event *e = ev->ev;
	if (e->type == CNINFRA_KV_PUT) {
		item_set(e->kv->key, e->kv->value, e->kv->value_size);
		struct nb_item *it = item_find(e->kv->key);
		if (it)
			lig_sched_txn_set(A.batch, it->key, it->value, it->size);
	} else if (e->type == CNINFRA_KV_DELETE) {
		item_del(e->kv->key);
		lig_sched_txn_delete(A.batch, e->kv->key);
	}
}

/* ---- southbound: ligd ---- */

static void
api_lost(void)
{
	A.lost_api = false;
	if (!A.api)
		return;
	logf_("ligd went away; reconnecting");
	cninfra_loop_unwatch(A.api_watch);
	A.api_watch = NULL;
	lig_api_disconnect(A.api);
	A.api = NULL;
	cninfra_timer_set(A.connect_timer, 200, 200);
}

static void
api_fd(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)fd;
	(void)arg;
	if ((events & (EPOLLHUP | EPOLLERR)) || lig_api_poll_events(A.api, 0) < 0)
		api_lost();
}

static void
connect_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)arg;
	if (A.api)
		return;
	char err[256];
	A.api = lig_api_connect_timeout(A.ligd_socket, 5000, err, sizeof(err));
	if (!A.api) {
		static char last[256];
		if (strcmp(last, err) != 0)
			logf_("waiting for ligd at %s: %s", A.ligd_socket, err);
		snprintf(last, sizeof(last), "%s", err);
		return;
	}
	cninfra_timer_set(t, 0, 0);
	A.api_watch = cninfra_loop_watch_fd(A.loop, lig_api_fd(A.api), EPOLLIN, api_fd, NULL);
	logf_("connected to ligd at %s", A.ligd_socket);
	if (A.synced) {
		lig_sched_txn_free(A.batch);
		A.batch = NULL;
		full_resync("ligd connected");
		after_txn();
	}
}

/* ---- REST ---- */

static int
status_one(void *ctx, const struct lig_sched_value_view *v)
{
	json_t *arr = ctx;
	struct lig_sched_status *st = lig_sched_status_get(A.sched, v->key);
	json_t *o = json_object();
	json_object_set_new(o, "key", json_string(v->key));
	json_object_set_new(o, "state", json_string(lig_sched_state_name(v->state)));
	if (v->descriptor)
		json_object_set_new(o, "descriptor", json_string(v->descriptor));
	if (v->derived && v->base_key)
		json_object_set_new(o, "derived_from", json_string(v->base_key));
	if (v->error)
		json_object_set_new(o, "error", json_string(v->error));
	if (st) {
		json_t *d = json_array();
		for (size_t k = 0; k < st->n_details; k++)
			json_array_append_new(d, json_string(st->details[k]));
		json_object_set_new(o, "details", d);
		json_object_set_new(o, "last_op", json_string(lig_sched_op_name(st->last_op)));
		lig_sched_status_free(st);
	}
	json_array_append_new(arr, o);
	return 0;
}

static void
h_status(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *arr = json_array();
	lig_sched_foreach(A.sched, status_one, arr);
	cninfra_http_reply_json(resp, 200, arr);
	json_decref(arr);
}

static int
hist_one(void *ctx, const struct lig_sched_txn_record *r)
{
	json_t *arr = ctx, *o = json_object(), *ops = json_array();
	json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
	json_object_set_new(o, "trigger", json_string(lig_sched_trigger_name(r->trigger)));
	if (r->description)
		json_object_set_new(o, "description", json_string(r->description));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
	for (size_t k = 0; k < r->n_ops; k++) {
		const struct lig_sched_op_record *op = &r->ops[k];
		json_t *j = json_object();
		json_object_set_new(j, "key", json_string(op->key));
		json_object_set_new(j, "op", json_string(lig_sched_op_name(op->op)));
		json_object_set_new(j, "noop", json_boolean(op->flags & LIG_SCHED_OPF_NOOP));
		json_object_set_new(j, "new_state",
				    json_string(lig_sched_state_name(op->new_state)));
		if (op->error)
			json_object_set_new(j, "error", json_string(op->error));
		json_array_append_new(ops, j);
	}
	json_object_set_new(o, "ops", ops);
	json_array_append_new(arr, o);
	return 0;
}

static void
h_history(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *arr = json_array();
	lig_sched_history_foreach(A.sched, 0, 0, hist_one, arr);
	cninfra_http_reply_json(resp, 200, arr);
	json_decref(arr);
}

/* vpp-agent's POST /scheduler/downstream-resync: read ligd back, repair what drifted. */
static void
h_dresync(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (!A.api || !A.synced) {
		cninfra_http_reply_error(resp, 503,
					 A.api ? "store not listed yet" : "ligd not connected");
		return;
	}
	uint64_t seq = 0;
	int rc = lig_sched_downstream_resync(A.sched, &seq);
	after_txn();
	if (rc < 0) {
		cninfra_http_reply_error(resp, 500, strerror(-rc));
		return;
	}
	json_t *o = json_pack("{s:I}", "seq", (json_int_t)seq);
	cninfra_http_reply_json(resp, 200, o);
	json_decref(o);
}

static void
h_live(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	cninfra_http_reply_text(resp, 200, "ok\n");
}

static void
h_ready(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (A.api && A.synced)
		cninfra_http_reply_text(resp, 200, "ok\n");
	else
		cninfra_http_reply_text(resp, 503,
					A.api ? "store not listed yet\n" : "ligd not connected\n");
}

/* ---- start-up ---- */

/* vpp-agent's etcd.conf: the endpoints ("endpoints:" followed by "- host:port" lines, or an
 * inline [a, b] list). Other settings are not read yet. */
static int
read_etcd_config(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	char line[512];
	bool in_list = false;
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		s[strcspn(s, "\r\n#")] = 0;
		if (strncmp(s, "endpoints:", 10) == 0) {
			char *r = s + 10;
			in_list = true;
			if (strchr(r, '[')) {
				in_list = false;
				for (char *tok = strtok(strchr(r, '[') + 1, ",]"); tok;
				     tok = strtok(NULL, ",]")) {
					while (*tok == ' ' || *tok == '"' || *tok == '\'')
						tok++;
					tok[strcspn(tok, " \"'")] = 0;
					if (!*tok)
						continue;
					size_t l = strlen(out);
					snprintf(out + l, n - l, "%s%s%s", l ? "," : "",
						 strstr(tok, "://") ? "" : "http://", tok);
				}
			}
			continue;
		}
		if (in_list && s[0] == '-') {
			char *tok = s + 1;
			while (*tok == ' ' || *tok == '"' || *tok == '\'')
				tok++;
			tok[strcspn(tok, " \"'")] = 0;
			size_t l = strlen(out);
			snprintf(out + l, n - l, "%s%s%s", l ? "," : "",
				 strstr(tok, "://") ? "" : "http://", tok);
		} else if (*s)
			in_list = false;
	}
	fclose(f);
	return out[0] ? 0 : -EINVAL;
}

static void
on_signal(struct cninfra_loop *loop, int signo, void *arg)
{
	(void)arg;
	logf_("signal %d: stopping", signo);
	cninfra_loop_quit(loop);
}

static void
usage(void)
{
	fprintf(stderr, "usage: MICROSERVICE_LABEL=<label> lig-agent [--etcd-config FILE] "
			"[--state-dir DIR] [--ligd-socket PATH] [--http-port N]\n");
}

int
main(int argc, char **argv)
{
	const char *etcd_config = NULL, *state_dir = "/var/lib/ligature/agent";
	A.ligd_socket = "/run/ligature/api.sock";
	long http_port = 9191;
	static const struct option opts[] = {{"etcd-config", required_argument, 0, 'e'},
					     {"state-dir", required_argument, 0, 'd'},
					     {"ligd-socket", required_argument, 0, 's'},
					     {"http-port", required_argument, 0, 'p'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "e:d:s:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			etcd_config = optarg;
			break;
		case 'd':
			state_dir = optarg;
			break;
		case 's':
			A.ligd_socket = optarg;
			break;
		case 'p':
			http_port = strtol(optarg, NULL, 10);
			if (http_port < 0 || http_port > 65535) {
				usage();
				return 2;
			}
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	const char *label = getenv("MICROSERVICE_LABEL");
	if (!label || !*label)
		label = LIG_MODEL_DEFAULT_LABEL;
	if (strlen(label) > LIG_MODEL_LABEL_MAX || strchr(label, '/')) {
		fprintf(stderr, "lig-agent: bad MICROSERVICE_LABEL %s\n", label);
		return 2;
	}
	snprintf(A.label, sizeof(A.label), "%s", label);
	snprintf(A.prefix, sizeof(A.prefix), LIG_MODEL_KEY_ROOT "%s/config/", A.label);
	snprintf(A.if_prefix, sizeof(A.if_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_INTERFACE)->key_prefix + strlen("config/"));
	snprintf(A.bd_prefix, sizeof(A.bd_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN)->key_prefix + strlen("config/"));

	snprintf(A.rt_prefix, sizeof(A.rt_prefix), "%s%s", A.prefix,
		 lig_model_get(LIG_MODEL_VPP_ROUTE)->key_prefix + strlen("config/"));
	char endpoint[1024];
	if (etcd_config) {
		int rc = read_etcd_config(etcd_config, endpoint, sizeof(endpoint));
		if (rc < 0) {
			fprintf(stderr, "lig-agent: %s: no endpoints (%s)\n", etcd_config,
				strerror(-rc));
			return 1;
		}
	} else {
		mkdir(state_dir, 0700);
		snprintf(endpoint, sizeof(endpoint), "%s", state_dir);
	}

	int ret = 1;
	A.loop = cninfra_loop_new();
	if (!A.loop)
		return 1;
	cninfra_loop_signal(A.loop, SIGTERM, on_signal, NULL);
	cninfra_loop_signal(A.loop, SIGINT, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct lig_sched_config scfg = {.retry_timer = retry_timer, .on_txn = on_txn};
	A.sched = lig_sched_new(&scfg);
	A.retry_timer = cninfra_loop_timer(A.loop, 0, 0, retry_fire, NULL);
	A.batch_timer = cninfra_loop_timer(A.loop, 0, 0, batch_fire, NULL);
	A.connect_timer = cninfra_loop_timer(A.loop, 0, 500, connect_fire, NULL);
	if (!A.sched || !A.retry_timer || !A.batch_timer || !A.connect_timer ||
	    register_descriptors() < 0) {
		fprintf(stderr, "lig-agent: start-up failed: %s\n", strerror(errno));
		goto out;
	}
	cninfra_timer_set(A.retry_timer, 0, 0);
	cninfra_timer_set(A.batch_timer, 0, 0);
	struct cninfra_kv_opts kopts = {.endpoint = endpoint};
	A.kv = cninfra_kv_open(A.loop, &kopts);
	if (!A.kv) {
		fprintf(stderr, "lig-agent: store %s: %s\n", endpoint, strerror(errno));
		goto out;
	}
	A.http = cninfra_http_new(A.loop, "127.0.0.1", (uint16_t)http_port);
	if (!A.http) {
		fprintf(stderr, "lig-agent: http port %ld: %s\n", http_port, strerror(errno));
		goto out;
	}
	cninfra_http_handle(A.http, "GET", "/scheduler/status", h_status, NULL);
	cninfra_http_handle(A.http, "GET", "/scheduler/txn-history", h_history, NULL);
	cninfra_http_handle(A.http, "POST", "/scheduler/downstream-resync", h_dresync, NULL);
	cninfra_http_handle(A.http, "GET", "/liveness", h_live, NULL);
	cninfra_http_handle(A.http, "GET", "/readiness", h_ready, NULL);
	A.ds = cninfra_datasync_new(A.kv, A.prefix, 1000, on_datasync, NULL);
	if (!A.ds) {
		fprintf(stderr, "lig-agent: watch %s: %s\n", A.prefix, strerror(errno));
		goto out;
	}
	logf_("label %s, store %s (%s), ligd %s, http 127.0.0.1:%u", A.label, endpoint,
	      cninfra_kv_backend(A.kv), A.ligd_socket, cninfra_http_port(A.http));
	ret = cninfra_loop_run(A.loop) < 0;
	logf_("stopped");
out:
	cninfra_datasync_free(A.ds);
	cninfra_http_free(A.http);
	cninfra_kv_close(A.kv);
	lig_sched_txn_free(A.batch);
	if (A.api_watch)
		cninfra_loop_unwatch(A.api_watch);
	if (A.api)
		lig_api_disconnect(A.api);
	cninfra_timer_free(A.retry_timer);
	cninfra_timer_free(A.batch_timer);
	cninfra_timer_free(A.connect_timer);
	lig_sched_free(A.sched);
	items_clear();
	free(A.items);
	cninfra_loop_free(A.loop);
	return ret;
}

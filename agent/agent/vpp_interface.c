/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: VPP interfaces (vpp-agent's vpp.interfaces: SOFTWARE_LOOPBACK, MEMIF, TAP v2,
 * AF_PACKET, VXLAN_TUNNEL) and the values derived from them: each IPv4 address, and the
 * interface's VRF binding. As vpp-agent does, every interface the agent creates carries its
 * logical name as ligd's interface tag, so ligd may call it anything (loop3, memif1/7, tap0...)
 * and retrieve finds it again by the tag; an interface without a tag of ours is OBTAINED. The
 * name -> sw_if_index map the other descriptors use is the scheduler metadata of the interface
 * values (set at create, refreshed by retrieve), so no lookup dumps ligd. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afpacket/api.h"
#include "agent.h"
#include "interface/api.h"
#include "ip4/api.h"
#include "loopback/api.h"
#include "memif/api.h"
#include "tap/api.h"
#include "vxlan/api.h"

/* Derived keys (vpp-agent's templates):
 *   vpp/interface/<name>/address/static/<ip>/<len>   an IPv4 address; value "<ip>/<len>", or
 *                                                     "<ip>/<len> vrf <vrf>" outside table 0
 *   vpp/interface/<name>/vrf/<vrf>/ip-version/v4       the interface bound to table <vrf>
 * An address depends on the binding to its VRF: ligd binds only an interface without
 * addresses, so a VRF change (a new address value, a new binding key) takes the addresses off,
 * rebinds, and puts them back, whichever order the scheduler runs the derived values in. */
#define IF_DERIVED_PREFIX "vpp/interface/"
#define IF_ADDR_MID "/address/static/"
#define IF_VRF_MID "/vrf/"
#define IF_VRF_SUFFIX "/ip-version/v4"
/* vpp-agent's key of "a link with this name exists in the agent's namespace", which the Linux
 * side notifies (agent_linux.h): what an AF_PACKET with host_if_name waits for */
#define LINUX_HOST_KEY "linux/interface/host-name/"
/* ... and "the named network namespace /run/netns/<name> exists": what a TAP into it waits for */
#define LINUX_NS_KEY "linux/namespace/"

/* ligd's defaults for what the memif model leaves 0 (vpp-agent's are the same). */
#define MEMIF_DEFAULT_RING 1024
#define MEMIF_DEFAULT_BUFFER 2048
/* ligd's memif rx modes (memif_set_rx_mode) */
#define LIGD_RX_POLLING 0
#define LIGD_RX_INTERRUPT 1
#define LIGD_RX_ADAPTIVE 2
#define LIGD_MEMIF_SOCKETS 256 /* socket ids 0..255; 0 is ligd's default socket */
#define LIGD_TAP_IDS 65536
#define LIGD_TAP_FLAG_GSO 1 /* tap_create's tap_flags (VPP's value) */

/* What the scheduler keeps beside an interface value (lig_sched_metadata). */
struct if_meta {
	u32 sw_if_index;
	u32 memif_socket_id; /* MEMIF: the ligd socket it is on */
	u32 table_id;	     /* the IPv4 table ligd has it in (the VRF bindings keep it) */
};

static void *if_decode(const void *v, size_t n, struct lig_model_error *me);
static void if_free(struct lig_vpp_interface *i);

/* ---- tags: the logical name as ligd keeps it (escaped by agent_tag_encode) ---- */

/* The logical name of a ligd interface: its tag's, else its ligd name. */
static void
if_logical_name(const lig_api_sw_interface_dump_details_t *d, char *buf, size_t n)
{
	if (d->tag[0])
		agent_tag_decode(d->tag, sizeof(d->tag), buf, n);
	else
		snprintf(buf, n, "%.*s", (int)sizeof(d->name), d->name);
}

/* ---- the ligd names the agent's interfaces had ----
 * ligd numbers what the agent creates (loop<instance>, vxlan_tunnel<instance>, tap<id>, memif
 * socket ids); the agent remembers each logical name's number (from create and retrieve) and
 * asks for it again when it creates the interface anew, so a restarted ligd gets the same names
 * back (its API dump equals the one before) whatever order the resync creates them in. A name
 * never seen gets ligd's automatic number. Kept for the agent's life, at most MEM_MAX names. */

#define MEM_MAX 262144
#define MEM_SOCKET (-1) /* kind of a memif socket: name = its filename, number = socket id */

struct mem_entry {
	char *name;
	int32_t kind; /* LIG_VPP_IF_* or MEM_SOCKET */
	u32 number;
};

static struct {
	struct mem_entry *v; /* open addressing, linear probing */
	size_t n, cap;
} mem;

static size_t
mem_hash(const char *name, int32_t kind)
{
	uint64_t h = 14695981039346656037ull ^ (uint32_t)kind;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

static struct mem_entry *
mem_slot(const char *name, int32_t kind)
{
	if (!mem.cap)
		return NULL;
	for (size_t i = mem_hash(name, kind) & (mem.cap - 1);; i = (i + 1) & (mem.cap - 1)) {
		struct mem_entry *e = &mem.v[i];
		if (!e->name || (e->kind == kind && strcmp(e->name, name) == 0))
			return e;
	}
}

static void
mem_put(const char *name, int32_t kind, u32 number)
{
	if ((mem.n + 1) * 2 > mem.cap) {
		if (mem.n >= MEM_MAX)
			return;
		size_t cap = mem.cap ? mem.cap * 2 : 64;
		struct mem_entry *v = calloc(cap, sizeof(*v)), *old = mem.v;
		if (!v)
			return;
		size_t ocap = mem.cap;
		mem.v = v;
		mem.cap = cap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].name)
				*mem_slot(old[i].name, old[i].kind) = old[i];
		free(old);
	}
	struct mem_entry *e = mem_slot(name, kind);
	if (!e->name) {
		if (!(e->name = strdup(name)))
			return;
		e->kind = kind;
		mem.n++;
	}
	e->number = number;
}

static bool
mem_get(const char *name, int32_t kind, u32 *number)
{
	const struct mem_entry *e = mem_slot(name, kind);
	if (!e || !e->name)
		return false;
	*number = e->number;
	return true;
}

/* The number in a ligd name: loop7 -> 7 (prefix "loop"). */
static bool
name_number(const char *name, const char *prefix, u32 *number)
{
	size_t pl = strlen(prefix);
	if (strncmp(name, prefix, pl) != 0 || name[pl] < '0' || name[pl] > '9')
		return false;
	char *end;
	unsigned long v = strtoul(name + pl, &end, 10);
	if (*end || v > UINT32_MAX)
		return false;
	*number = (u32)v;
	return true;
}

/* ---- dumps into arrays ---- */

struct vec {
	void *d;
	size_t n, cap, size; /* size: bytes of one element */
};

static bool
vec_cb(void *ctx, const void *d, u32 size)
{
	struct vec *v = ctx;
	if (size < v->size)
		return true;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->d, cap * v->size);
		if (!p)
			return false;
		v->d = p;
		v->cap = cap;
	}
	memcpy((char *)v->d + v->n * v->size, d, v->size);
	v->n++;
	return true;
}

/* Runs dump `name` (request req) into the struct vec *v; 0 or the call's error (logged in
 * err when not NULL). */
#define VDUMP(name, req, v, err)                                                                   \
	((v)->size = sizeof(lig_api_##name##_details_t),                                           \
	 agent_api_rc(LIG_API_CLIENT_DUMP(A.api, name, (req), vec_cb, (v)), #name, NULL, (err)))
#define VAT(v, type, i) ((const type *)((const char *)(v)->d + (i) * (v)->size))

/* ---- names and indexes for the other descriptors ---- */

void
agent_if_key(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s%s", A.if_prefix, name);
}

/* sw_if_index of the ligd interface named name: 0, -ENOENT or a transport error. */
int
agent_if_index_raw(const char *name, u32 *sw_if_index, struct lig_sched_err *err)
{
	if (!agent_api_up(err))
		return -ENOTCONN;
	lig_api_sw_interface_dump_t req = {0};
	snprintf(req.name, sizeof(req.name), "%s", name);
	struct vec v = {0};
	int rc = VDUMP(sw_interface_dump, &req, &v, err);
	if (rc == 0 && v.n == 0) {
		lig_sched_err_set(err, "interface %s not found in ligd", name);
		rc = -ENOENT;
	}
	if (rc == 0)
		*sw_if_index = VAT(&v, lig_api_sw_interface_dump_details_t, 0)->sw_if_index;
	free(v.d);
	return rc;
}

/* sw_if_index of the vpp-agent interface named logical: from the scheduler metadata of its
 * value (set at create, refreshed by retrieve); an interface the scheduler has no metadata for
 * is looked up in ligd by tag, then by ligd name. */
int
agent_if_index_known(const char *logical, u32 *sw_if_index)
{
	char key[LIG_MODEL_KEY_MAX * 2];
	agent_if_key(key, sizeof(key), logical);
	const struct if_meta *md = lig_sched_metadata(A.sched, key);
	if (!md)
		return -ENOENT;
	*sw_if_index = md->sw_if_index;
	return 0;
}

int
agent_if_index(const char *logical, u32 *sw_if_index, struct lig_sched_err *err)
{
	if (agent_if_index_known(logical, sw_if_index) == 0)
		return 0;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct agent_if_dump ifs = {0};
	int rc = agent_dump_interfaces(&ifs);
	if (rc) {
		lig_sched_err_set(err, "sw_interface_dump: %s", lig_api_last_error(A.api));
		return rc;
	}
	rc = -ENOENT;
	for (int pass = 0; pass < 2 && rc; pass++)
		for (size_t k = 0; k < ifs.n && rc; k++) {
			const lig_api_sw_interface_dump_details_t *d = &ifs.d[k];
			char n[LIG_MODEL_KEY_MAX];
			if (pass == 0 && d->tag[0])
				agent_tag_decode(d->tag, sizeof(d->tag), n, sizeof(n));
			else if (pass == 1 && !d->tag[0])
				snprintf(n, sizeof(n), "%.*s", (int)sizeof(d->name), d->name);
			else
				continue;
			if (strcmp(n, logical) == 0) {
				*sw_if_index = d->sw_if_index;
				rc = 0;
			}
		}
	free(ifs.d);
	if (rc)
		lig_sched_err_set(err, "interface %s not found in ligd", logical);
	return rc;
}

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

int
agent_dump_interfaces(struct agent_if_dump *ifs)
{
	lig_api_sw_interface_dump_t req = {0};
	int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, if_dump_cb, ifs);
	return rc ? agent_api_rc(rc, "sw_interface_dump", NULL, NULL) : 0;
}

/* The details of idx in ifs: ligd dumps in sw_if_index order, so a binary search (with a scan
 * for a dump that is not sorted). */
static const lig_api_sw_interface_dump_details_t *
if_dump_find(const struct agent_if_dump *ifs, u32 idx)
{
	size_t lo = 0, hi = ifs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ifs->d[mid].sw_if_index == idx)
			return &ifs->d[mid];
		if (ifs->d[mid].sw_if_index < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = 0; k < ifs->n; k++)
		if (ifs->d[k].sw_if_index == idx)
			return &ifs->d[k];
	return NULL;
}

/* The vpp-agent name of ligd's interface idx (its tag, else its ligd name), in buf. */
const char *
agent_if_name_of(const struct agent_if_dump *ifs, u32 idx, char *buf, size_t n)
{
	const lig_api_sw_interface_dump_details_t *d = if_dump_find(ifs, idx);
	if (!d)
		return NULL;
	if_logical_name(d, buf, n);
	return buf;
}

/* ---- what a value means in ligd terms (defaults resolved) ---- */

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

/* vpp-agent's host name of a TAP without host_if_name: tap-<FNV-1a 32 of the logical name>. */
static void
tap_host_name(const struct lig_vpp_interface *i, char *buf, size_t n)
{
	const char *h = lig_model_str(i->link.tap.host_if_name);
	if (*h) {
		snprintf(buf, n, "%s", h);
		return;
	}
	uint32_t x = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)lig_model_str(i->name); *p; p++)
		x = (x ^ *p) * 16777619u;
	snprintf(buf, n, "tap-%u", x);
}

/* The Linux interface an AF_PACKET attaches to: host_if_name, or the host name of the Linux
 * interface value linux_interface names (its host_if_name, else its name, as vpp-agent's Linux
 * plugin names it). 0, or -ENOENT/-EINVAL with err set (err may be NULL). */
static int
afp_host_name(const struct lig_vpp_interface *i, char *buf, size_t n, struct lig_sched_err *err)
{
	const struct lig_vpp_afpacket_link *a = &i->link.afpacket;
	if (a->host_if_name && *a->host_if_name) {
		snprintf(buf, n, "%s", a->host_if_name);
		return 0;
	}
	char key[LIG_MODEL_KEY_MAX * 2];
	agent_model_prefix(LIG_MODEL_LINUX_INTERFACE, key, sizeof(key));
	snprintf(key + strlen(key), sizeof(key) - strlen(key), "%s",
		 lig_model_str(a->linux_interface));
	const struct agent_item *it = agent_item_find(key);
	const struct lig_model *m = lig_model_get(LIG_MODEL_LINUX_INTERFACE);
	struct lig_model_error me;
	struct lig_linux_interface *l = it ? agent_decode(m, it->value, it->size, &me) : NULL;
	int rc = 0;
	if (!l) {
		lig_sched_err_set(err, "afpacket.linux_interface: no Linux interface %s",
				  lig_model_str(a->linux_interface));
		rc = -ENOENT;
	} else if (l->has_namespace && l->namespace_.type != LIG_LINUX_NS_UNDEFINED) {
		lig_sched_err_set(
		    err,
		    "afpacket.linux_interface: Linux interface %s is in another network "
		    "namespace; an af_packet attaches in ligd's",
		    lig_model_str(a->linux_interface));
		rc = -EINVAL;
	} else {
		snprintf(buf, n, "%s",
			 *lig_model_str(l->host_if_name) ? l->host_if_name
							 : lig_model_str(l->name));
	}
	if (l)
		lig_model_value_delete(m, l);
	return rc;
}

static u32
memif_ring(const struct lig_vpp_memif_link *m)
{
	return m->ring_size ? m->ring_size : MEMIF_DEFAULT_RING;
}

static u32
memif_buffer(const struct lig_vpp_memif_link *m)
{
	return m->buffer_size ? m->buffer_size : MEMIF_DEFAULT_BUFFER;
}

static u32
memif_queues(u32 q)
{
	return q ? q : 1;
}

/* ligd's rx mode of a memif value: rx_modes agree (validation), none or DEFAULT = adaptive. */
static u8
ligd_rx_mode(const struct lig_vpp_interface *i)
{
	if (!i->n_rx_modes)
		return LIGD_RX_ADAPTIVE;
	switch (i->rx_modes[0].mode) {
	case LIG_VPP_RX_MODE_POLLING:
		return LIGD_RX_POLLING;
	case LIG_VPP_RX_MODE_INTERRUPT:
		return LIGD_RX_INTERRUPT;
	default:
		return LIGD_RX_ADAPTIVE;
	}
}

static bool
str_eq(const char *a, const char *b)
{
	return strcmp(lig_model_str(a), lig_model_str(b)) == 0;
}

/* Same link (what ligd creates the interface with), defaults resolved. */
static bool
if_same_link(const struct lig_vpp_interface *x, const struct lig_vpp_interface *y)
{
	if (x->type != y->type || x->link_case != y->link_case)
		return false;
	char hx[64], hy[64];
	switch (x->type) {
	case LIG_VPP_IF_MEMIF: {
		const struct lig_vpp_memif_link *a = &x->link.memif, *b = &y->link.memif;
		return a->mode == b->mode && a->master == b->master && a->id == b->id &&
		       str_eq(a->socket_filename, b->socket_filename) &&
		       str_eq(a->secret, b->secret) && memif_ring(a) == memif_ring(b) &&
		       memif_buffer(a) == memif_buffer(b) &&
		       memif_queues(a->rx_queues) == memif_queues(b->rx_queues) &&
		       memif_queues(a->tx_queues) == memif_queues(b->tx_queues);
	}
	case LIG_VPP_IF_TAP:
		tap_host_name(x, hx, sizeof(hx));
		tap_host_name(y, hy, sizeof(hy));
		return strcmp(hx, hy) == 0 &&
		       str_eq(x->link.tap.to_microservice, y->link.tap.to_microservice) &&
		       x->link.tap.enable_gso == y->link.tap.enable_gso;
	case LIG_VPP_IF_VXLAN_TUNNEL:
		/* the VRF is the encapsulation table, given at creation */
		return str_eq(x->link.vxlan.src_address, y->link.vxlan.src_address) &&
		       str_eq(x->link.vxlan.dst_address, y->link.vxlan.dst_address) &&
		       x->link.vxlan.vni == y->link.vxlan.vni && x->vrf == y->vrf;
	case LIG_VPP_IF_AF_PACKET:
		if (afp_host_name(x, hx, sizeof(hx), NULL) < 0 ||
		    afp_host_name(y, hy, sizeof(hy), NULL) < 0)
			return str_eq(x->link.afpacket.host_if_name,
				      y->link.afpacket.host_if_name) &&
			       str_eq(x->link.afpacket.linux_interface,
				      y->link.afpacket.linux_interface);
		return strcmp(hx, hy) == 0;
	default:
		return true;
	}
}

/* Same MAC, or one of them unset (ligd's random MAC is as good as any). */
static bool
same_mac(const char *a, const char *b)
{
	u8 m1[6], m2[6];
	if (!a || !*a || !b || !*b)
		return true;
	return lig_model_mac_parse(a, m1) == 0 && lig_model_mac_parse(b, m2) == 0 &&
	       memcmp(m1, m2, 6) == 0;
}

/* ---- descriptor: VPP interfaces ---- */

static int
if_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_INTERFACE);
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	int rc = 0;
	char tag[sizeof(lig_api_str64_t)];
	/* tap.to_microservice is the agent's to map (a named network namespace) and ligd's taps
	 * have GSO (tap_flags): the models' support check, which refuses both, does not see
	 * them */
	bool tap = i->link_case == LIG_VPP_IF_LINK_TAP;
	char *ms = tap ? i->link.tap.to_microservice : NULL;
	bool gso = tap && i->link.tap.enable_gso;
	if (m->validate(i, &me) < 0)
		rc = agent_model_err(err, &me);
	if (rc == 0 && tap) {
		i->link.tap.to_microservice = NULL;
		i->link.tap.enable_gso = false;
	}
	if (rc == 0 && m->check_supported(i, &me) < 0) {
		if (me.field[0])
			lig_sched_err_field(err, me.field);
		lig_sched_err_set(err, "%s", me.text);
		rc = -EOPNOTSUPP;
	}
	if (tap) {
		i->link.tap.to_microservice = ms;
		i->link.tap.enable_gso = gso;
	}
	if (rc == 0 && agent_tag_encode(i->name, tag, sizeof(tag)) < 0) {
		lig_sched_err_field(err, "name");
		lig_sched_err_set(err,
				  "name: too long for ligd's interface tag (%d characters, bytes "
				  "outside printable ASCII and '\"' or '%%' counting 3)",
				  (int)sizeof(lig_api_str64_t) - 1);
		rc = -EINVAL;
	}
	if (rc == 0 && i->type == LIG_VPP_IF_TAP && i->link.tap.version != 2) {
		lig_sched_err_field(err, "tap.version");
		lig_sched_err_set(err,
				  "tap.version: %u; ligd's taps are vpp-agent's TAP version 2 "
				  "(version 1, the default, is deprecated in vpp-agent too)",
				  i->link.tap.version);
		rc = -EOPNOTSUPP;
	}
	if (rc == 0 && ms && *ms &&
	    (strchr(ms, '/') || strlen(ms) >= sizeof(((lig_api_tap_create_t *)0)->host_ns))) {
		lig_sched_err_field(err, "tap.to_microservice");
		lig_sched_err_set(err,
				  "tap.to_microservice: '%s' is not a network namespace name "
				  "(/run/netns/<name>: no '/', at most 63 characters)",
				  ms);
		rc = -EINVAL;
	}
	for (size_t k = 0; rc == 0 && k < i->n_ip_addresses; k++) {
		u8 a[4], len;
		if (lig_model_ip4_prefix_parse(i->ip_addresses[k], a, &len) < 0 || len == 0) {
			lig_sched_err_field(err, "ip_addresses");
			lig_sched_err_set(err, "ip_addresses: %s is not <IPv4>/<1..32>",
					  i->ip_addresses[k]);
			rc = -EINVAL;
		}
	}
	if_free(i);
	return rc;
}

static void
vrf_table_key(char *buf, size_t n, u32 vrf)
{
	agent_model_prefix(LIG_MODEL_VPP_VRF_TABLE, buf, n);
	snprintf(buf + strlen(buf), n - strlen(buf), "id/%u/protocol/IPV4", vrf);
}

static void
if_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return;
	char k[LIG_MODEL_KEY_MAX * 2];
	if (i->type == LIG_VPP_IF_AF_PACKET && i->link_case == LIG_VPP_IF_LINK_AFPACKET &&
	    *lig_model_str(i->link.afpacket.linux_interface)) {
		/* as vpp-agent: the Linux interface value it attaches to */
		agent_model_prefix(LIG_MODEL_LINUX_INTERFACE, k, sizeof(k));
		snprintf(k + strlen(k), sizeof(k) - strlen(k), "%s",
			 i->link.afpacket.linux_interface);
		lig_sched_dep_key(deps, "linux-interface", k);
	} else if (i->type == LIG_VPP_IF_AF_PACKET && i->link_case == LIG_VPP_IF_LINK_AFPACKET &&
		   *lig_model_str(i->link.afpacket.host_if_name)) {
		/* as vpp-agent: the Linux link itself, in the agent's namespace */
		snprintf(k, sizeof(k), LINUX_HOST_KEY "%s", i->link.afpacket.host_if_name);
		lig_sched_dep_key(deps, "host-interface", k);
	}
	if (i->type == LIG_VPP_IF_TAP && i->link_case == LIG_VPP_IF_LINK_TAP &&
	    *lig_model_str(i->link.tap.to_microservice)) {
		/* as vpp-agent waits for the microservice: the namespace ligd puts it into */
		snprintf(k, sizeof(k), LINUX_NS_KEY "%s", i->link.tap.to_microservice);
		lig_sched_dep_key(deps, "namespace", k);
	}
	if (i->type == LIG_VPP_IF_VXLAN_TUNNEL && i->vrf) {
		/* the encapsulation table must exist when the tunnel is created */
		vrf_table_key(k, sizeof(k), i->vrf);
		lig_sched_dep_key(deps, "vrf-table", k);
	}
	if_free(i);
}

/* Derived: one value per address, each waiting for the VRF binding, and the binding (when the
 * interface has a VRF or IPv4 addresses: vpp-agent derives it from the addresses). */
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
	char dk[LIG_MODEL_KEY_MAX * 2], v[96];
	for (size_t k = 0; k < i->n_ip_addresses; k++) {
		snprintf(dk, sizeof(dk), IF_DERIVED_PREFIX "%s" IF_ADDR_MID "%s", i->name,
			 i->ip_addresses[k]);
		int n = i->vrf ? snprintf(v, sizeof(v), "%s vrf %u", i->ip_addresses[k], i->vrf)
			       : snprintf(v, sizeof(v), "%s", i->ip_addresses[k]);
		lig_sched_derive(out, dk, v, (size_t)n < sizeof(v) ? (size_t)n : sizeof(v) - 1);
	}
	if (i->vrf || i->n_ip_addresses) {
		snprintf(dk, sizeof(dk), IF_DERIVED_PREFIX "%s" IF_VRF_MID "%u" IF_VRF_SUFFIX,
			 i->name, i->vrf);
		lig_sched_derive(out, dk, "", 0);
	}
	if_free(i);
}

static int
call_set_flags(u32 idx, bool up, struct lig_sched_err *err)
{
	lig_api_sw_interface_set_flags_t req = {.sw_if_index = idx, .admin_up = up};
	lig_api_sw_interface_set_flags_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_flags, &req, &rep);
	return rc ? agent_api_rc(rc, "sw_interface_set_flags", rep.error, err) : 0;
}

/* What can change in place: MAC (not an af_packet's: re-created), MTU, memif rx mode, admin
 * state. old NULL: just created (with its MAC when the create call takes one). */
static int
if_apply(const struct lig_vpp_interface *old, const struct lig_vpp_interface *nw, u32 idx,
	 bool mac_given, struct lig_sched_err *err)
{
	int rc;
	bool mac_new = nw->phys_address && *nw->phys_address &&
		       (old ? !old->phys_address || !*old->phys_address ||
				  !same_mac(old->phys_address, nw->phys_address)
			    : !mac_given);
	if (mac_new && nw->type != LIG_VPP_IF_AF_PACKET) {
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
	if (nw->type == LIG_VPP_IF_MEMIF &&
	    ligd_rx_mode(nw) != (old ? ligd_rx_mode(old) : LIGD_RX_ADAPTIVE)) {
		lig_api_memif_set_rx_mode_t req = {.sw_if_index = idx, .rx_mode = ligd_rx_mode(nw)};
		lig_api_memif_set_rx_mode_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, memif_set_rx_mode, &req, &rep);
		if (rc)
			return agent_api_rc(rc, "memif_set_rx_mode", rep.error, err);
	}
	/* a VXLAN tunnel is created up, every other interface down */
	bool was_up = old ? old->enabled : nw->type == LIG_VPP_IF_VXLAN_TUNNEL;
	if (was_up != nw->enabled && (rc = call_set_flags(idx, nw->enabled, err)) != 0)
		return rc;
	return 0;
}

/* ---- memif sockets: one ligd socket id per distinct filename ---- */

/* The ligd socket of filename ("": the default socket 0): an existing socket with that
 * filename, else a new one on the lowest free id. */
static int
memif_socket_get(const char *filename, u32 *id, struct lig_sched_err *err)
{
	*id = 0;
	if (!filename || !*filename)
		return 0;
	struct vec v = {0};
	lig_api_memif_socket_dump_t req;
	int rc = VDUMP(memif_socket_dump, &req, &v, err);
	bool used[LIGD_MEMIF_SOCKETS] = {false};
	for (size_t k = 0; rc == 0 && k < v.n; k++) {
		const lig_api_memif_socket_dump_details_t *s =
		    VAT(&v, lig_api_memif_socket_dump_details_t, k);
		if (s->socket_id < LIGD_MEMIF_SOCKETS)
			used[s->socket_id] = true;
		if (strncmp(s->filename, filename, sizeof(s->filename)) == 0) {
			*id = s->socket_id;
			free(v.d);
			return 0;
		}
	}
	free(v.d);
	if (rc)
		return rc;
	u32 free_id = 1;
	if (!mem_get(filename, MEM_SOCKET, &free_id) || !free_id || free_id >= LIGD_MEMIF_SOCKETS ||
	    used[free_id])
		free_id = 1;
	while (free_id < LIGD_MEMIF_SOCKETS && used[free_id])
		free_id++;
	if (free_id == LIGD_MEMIF_SOCKETS) {
		lig_sched_err_set(err,
				  "memif.socket_filename %s: ligd has no free memif socket id "
				  "(1..255 in use)",
				  filename);
		return -ENOSPC;
	}
	lig_api_memif_socket_create_t c = {.socket_id = free_id};
	snprintf(c.filename, sizeof(c.filename), "%s", filename);
	lig_api_memif_socket_create_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, memif_socket_create, &c, &rep);
	if (rc)
		return agent_api_rc(rc, "memif_socket_create", rep.error, err);
	*id = free_id;
	mem_put(filename, MEM_SOCKET, free_id);
	return 0;
}

/* Deletes socket id when no interface uses it any more (never the default socket 0). */
static void
memif_socket_put(u32 id)
{
	if (!id || !A.api)
		return;
	struct vec v = {0};
	lig_api_memif_socket_dump_t req;
	int rc = VDUMP(memif_socket_dump, &req, &v, NULL);
	bool unused = false;
	for (size_t k = 0; rc == 0 && k < v.n; k++) {
		const lig_api_memif_socket_dump_details_t *s =
		    VAT(&v, lig_api_memif_socket_dump_details_t, k);
		if (s->socket_id == id)
			unused = s->n_masters == 0 && s->n_slaves == 0;
	}
	free(v.d);
	if (!unused)
		return;
	lig_api_memif_socket_delete_t d = {.socket_id = id};
	lig_api_memif_socket_delete_reply_t rep;
	if (LIG_API_CLIENT_CALL(A.api, memif_socket_delete, &d, &rep) < 0)
		agent_log("memif socket %u: %s", id, rep.error);
}

/* The tap id the interface named name had if ligd does not use it, else the lowest free one. */
static int
tap_free_id(const char *name, u32 *id, struct lig_sched_err *err)
{
	struct vec v = {0};
	lig_api_tap_dump_t req = {0};
	int rc = VDUMP(tap_dump, &req, &v, err);
	if (rc) {
		free(v.d);
		return rc;
	}
	u8 *used = calloc(LIGD_TAP_IDS / 8, 1);
	if (!used) {
		free(v.d);
		return -ENOMEM;
	}
	for (size_t k = 0; k < v.n; k++) {
		u32 t = VAT(&v, lig_api_tap_dump_details_t, k)->id;
		if (t < LIGD_TAP_IDS)
			used[t / 8] |= (u8)(1u << (t % 8));
	}
	free(v.d);
	u32 t = 0;
	if (!mem_get(name, LIG_VPP_IF_TAP, &t) || t >= LIGD_TAP_IDS ||
	    (used[t / 8] & (1u << (t % 8))))
		t = 0;
	while (t < LIGD_TAP_IDS && (used[t / 8] & (1u << (t % 8))))
		t++;
	free(used);
	if (t == LIGD_TAP_IDS) {
		lig_sched_err_set(err, "ligd has no free tap id");
		return -ENOSPC;
	}
	*id = t;
	return 0;
}

/* Deletes ligd's interface idx of the type of *i (and its memif socket when no longer used). */
static int
ligd_delete(const struct lig_vpp_interface *i, u32 idx, u32 memif_socket, struct lig_sched_err *err)
{
	int rc = 0;
	switch (i->type) {
	case LIG_VPP_IF_SOFTWARE_LOOPBACK: {
		lig_api_loopback_delete_t req = {.sw_if_index = idx};
		lig_api_loopback_delete_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, loopback_delete, &req, &rep)) != 0)
			rc = agent_api_rc(rc, "loopback_delete", rep.error, err);
		break;
	}
	case LIG_VPP_IF_AF_PACKET: {
		lig_api_af_packet_delete_t req = {.sw_if_index = idx};
		lig_api_af_packet_delete_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, af_packet_delete, &req, &rep)) != 0)
			rc = agent_api_rc(rc, "af_packet_delete", rep.error, err);
		break;
	}
	case LIG_VPP_IF_MEMIF: {
		lig_api_memif_delete_t req = {.sw_if_index = idx};
		lig_api_memif_delete_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, memif_delete, &req, &rep)) != 0)
			rc = agent_api_rc(rc, "memif_delete", rep.error, err);
		else
			memif_socket_put(memif_socket);
		break;
	}
	case LIG_VPP_IF_TAP: {
		lig_api_tap_delete_t req = {.sw_if_index = idx};
		lig_api_tap_delete_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, tap_delete, &req, &rep)) != 0)
			rc = agent_api_rc(rc, "tap_delete", rep.error, err);
		break;
	}
	case LIG_VPP_IF_VXLAN_TUNNEL: {
		const struct lig_vpp_vxlan_link *x = &i->link.vxlan;
		lig_api_vxlan_add_del_tunnel_t req = {
		    .is_add = 0, .vni = x->vni, .encap_table_id = i->vrf, .instance = ~0u};
		lig_model_ip4_parse(lig_model_str(x->src_address), (u8 *)&req.src);
		lig_model_ip4_parse(lig_model_str(x->dst_address), (u8 *)&req.dst);
		lig_api_vxlan_add_del_tunnel_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, vxlan_add_del_tunnel, &req, &rep)) != 0)
			rc = agent_api_rc(rc, "vxlan_add_del_tunnel (delete)", rep.error, err);
		break;
	}
	default:
		lig_sched_err_set(err, "type %d: not an interface type lig-agent creates", i->type);
		rc = -EOPNOTSUPP;
	}
	return rc;
}

/* Remembers the number ligd gave the new interface idx (its name's, or the tunnel's instance). */
static void
learn_number(const struct lig_vpp_interface *i, u32 idx)
{
	struct vec v = {0};
	u32 n;
	if (i->type == LIG_VPP_IF_SOFTWARE_LOOPBACK) {
		lig_api_sw_interface_dump_t req = {.sw_if_index = idx};
		if (VDUMP(sw_interface_dump, &req, &v, NULL) == 0 && v.n) {
			const lig_api_sw_interface_dump_details_t *d =
			    VAT(&v, lig_api_sw_interface_dump_details_t, 0);
			char name[sizeof(d->name) + 1];
			snprintf(name, sizeof(name), "%.*s", (int)sizeof(d->name), d->name);
			if (name_number(name, "loop", &n))
				mem_put(i->name, i->type, n);
		}
	} else if (i->type == LIG_VPP_IF_VXLAN_TUNNEL) {
		lig_api_vxlan_tunnel_dump_t req = {.sw_if_index = idx};
		if (VDUMP(vxlan_tunnel_dump, &req, &v, NULL) == 0 && v.n)
			mem_put(i->name, i->type,
				VAT(&v, lig_api_vxlan_tunnel_dump_details_t, 0)->instance);
	}
	free(v.d);
}

/* Creates the interface in ligd; its index in *idx; *mac_given: the create call set the MAC. */
static int
ligd_create(const struct lig_vpp_interface *i, u32 *idx, u32 *memif_socket, bool *mac_given,
	    struct lig_sched_err *err)
{
	int rc;
	u8 mac[6] = {0};
	*mac_given =
	    i->phys_address && *i->phys_address && lig_model_mac_parse(i->phys_address, mac) == 0;
	*memif_socket = 0;
	switch (i->type) {
	case LIG_VPP_IF_SOFTWARE_LOOPBACK: {
		/* loop<the instance it had>, else ligd's lowest free one (learnt for next time);
		 * the tag holds the logical name */
		lig_api_loopback_create_t req = {0};
		u32 inst;
		bool known = mem_get(i->name, i->type, &inst);
		req.instance_set = known;
		req.instance = known ? inst : 0;
		memcpy(req.mac, mac, 6);
		lig_api_loopback_create_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, loopback_create, &req, &rep);
		if (rc == -EEXIST && known) { /* taken meanwhile: a new one */
			known = false;
			req.instance_set = 0;
			req.instance = 0;
			rc = LIG_API_CLIENT_CALL(A.api, loopback_create, &req, &rep);
		}
		if (rc)
			return agent_api_rc(rc, "loopback_create", rep.error, err);
		*idx = rep.sw_if_index;
		if (!known)
			learn_number(i, *idx);
		return 0;
	}
	case LIG_VPP_IF_AF_PACKET: {
		lig_api_af_packet_create_t req = {0};
		char host[64];
		if ((rc = afp_host_name(i, host, sizeof(host), err)) != 0)
			return rc;
		if (strlen(host) >= sizeof(req.host_if_name)) {
			lig_sched_err_set(err, "afpacket: Linux interface name %s is too long",
					  host);
			return -EINVAL;
		}
		memcpy(req.host_if_name, host, strlen(host) + 1);
		memcpy(req.hw_addr, mac, 6);
		lig_api_af_packet_create_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, af_packet_create, &req, &rep)) != 0)
			return agent_api_rc(rc, "af_packet_create", rep.error, err);
		*idx = rep.sw_if_index;
		return 0;
	}
	case LIG_VPP_IF_MEMIF: {
		const struct lig_vpp_memif_link *m = &i->link.memif;
		lig_api_memif_create_t req = {.id = m->id,
					      .role = m->master ? 0 : 1,
					      .mode = m->mode == LIG_VPP_MEMIF_IP ? 1 : 0,
					      .rx_queues = (u8)memif_queues(m->rx_queues),
					      .tx_queues = (u8)memif_queues(m->tx_queues),
					      .ring_size = memif_ring(m),
					      .buffer_size = memif_buffer(m)};
		memcpy(req.hw_addr, mac, 6);
		snprintf(req.secret, sizeof(req.secret), "%s", lig_model_str(m->secret));
		u32 sock;
		if ((rc = memif_socket_get(m->socket_filename, &sock, err)) != 0)
			return rc;
		req.socket_id = sock;
		lig_api_memif_create_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, memif_create, &req, &rep)) != 0) {
			rc = agent_api_rc(rc, "memif_create", rep.error, err);
			memif_socket_put(sock);
			return rc;
		}
		*idx = rep.sw_if_index;
		*memif_socket = sock;
		return 0;
	}
	case LIG_VPP_IF_TAP: {
		const struct lig_vpp_tap_link *t = &i->link.tap;
		lig_api_tap_create_t req = {0};
		tap_host_name(i, req.host_if_name, sizeof(req.host_if_name));
		snprintf(req.host_ns, sizeof(req.host_ns), "%s", lig_model_str(t->to_microservice));
		req.tap_flags = t->enable_gso ? LIGD_TAP_FLAG_GSO : 0;
		memcpy(req.hw_addr, mac, 6);
		u32 id;
		if ((rc = tap_free_id(i->name, &id, err)) != 0)
			return rc;
		req.id = id;
		lig_api_tap_create_reply_t rep;
		if ((rc = LIG_API_CLIENT_CALL(A.api, tap_create, &req, &rep)) != 0)
			return agent_api_rc(rc, "tap_create", rep.error, err);
		*idx = rep.sw_if_index;
		mem_put(i->name, i->type, id);
		return 0;
	}
	case LIG_VPP_IF_VXLAN_TUNNEL: {
		const struct lig_vpp_vxlan_link *x = &i->link.vxlan;
		u32 inst;
		bool known = mem_get(i->name, i->type, &inst);
		lig_api_vxlan_add_del_tunnel_t req = {.is_add = 1,
						      .vni = x->vni,
						      .encap_table_id = i->vrf,
						      .instance = known ? inst : ~0u};
		lig_model_ip4_parse(lig_model_str(x->src_address), (u8 *)&req.src);
		lig_model_ip4_parse(lig_model_str(x->dst_address), (u8 *)&req.dst);
		lig_api_vxlan_add_del_tunnel_reply_t rep;
		rc = LIG_API_CLIENT_CALL(A.api, vxlan_add_del_tunnel, &req, &rep);
		if (rc == -EEXIST && known && strstr(rep.error, "instance")) {
			known = false;
			req.instance = ~0u;
			rc = LIG_API_CLIENT_CALL(A.api, vxlan_add_del_tunnel, &req, &rep);
		}
		if (rc)
			return agent_api_rc(rc, "vxlan_add_del_tunnel", rep.error, err);
		*idx = rep.sw_if_index;
		*mac_given = false;
		if (!known)
			learn_number(i, *idx);
		return 0;
	}
	default:
		lig_sched_err_set(err, "type %d: not an interface type lig-agent creates", i->type);
		return -EOPNOTSUPP;
	}
}

static int
set_tag(u32 idx, const char *name, struct lig_sched_err *err)
{
	lig_api_sw_interface_set_tag_t req = {.sw_if_index = idx};
	if (agent_tag_encode(name, req.tag, sizeof(req.tag)) < 0) {
		lig_sched_err_set(err, "name %s: too long for ligd's interface tag", name);
		return -ENAMETOOLONG;
	}
	lig_api_sw_interface_set_tag_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_tag, &req, &rep);
	return rc ? agent_api_rc(rc, "sw_interface_set_tag", rep.error, err) : 0;
}

static int
if_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	u32 idx = 0, sock = 0;
	bool mac_given;
	int rc = ligd_create(i, &idx, &sock, &mac_given, err);
	if (rc == 0 && (rc = set_tag(idx, i->name, err)) == 0)
		rc = if_apply(NULL, i, idx, mac_given, err);
	if (rc == 0) {
		struct if_meta *m = malloc(sizeof(*m));
		if (!m)
			rc = -ENOMEM;
		else {
			*m = (struct if_meta){.sw_if_index = idx, .memif_socket_id = sock};
			/* ligd creates every interface in table 0 */
			*md = m;
		}
	}
	if (rc && idx && A.api && !A.lost_api) {
		/* half made: take it away, so a retry starts clean */
		ligd_delete(i, idx, sock, NULL);
	}
	if_free(i);
	return rc;
}

static int
if_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *o = if_decode(ov, os, &me), *n = if_decode(nv, ns, &me);
	const struct if_meta *m = *md;
	int rc;
	u32 idx = 0;
	if (!o || !n)
		rc = agent_model_err(err, &me);
	else if (m)
		rc = if_apply(o, n, m->sw_if_index, false, err);
	else if ((rc = agent_if_index(n->name, &idx, err)) == 0)
		rc = if_apply(o, n, idx, false, err);
	(void)key;
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
	bool r = !o || !n || !str_eq(o->name, n->name) || !if_same_link(o, n) ||
		 /* an af_packet's MAC is given at creation (as vpp-agent) */
		 (o->type == LIG_VPP_IF_AF_PACKET && !str_eq(o->phys_address, n->phys_address) &&
		  !same_mac(o->phys_address, n->phys_address));
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
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_interface *i = if_decode(value, size, &me);
	if (!i)
		return agent_model_err(err, &me);
	const struct if_meta *m = md;
	u32 idx = m ? m->sw_if_index : 0;
	int rc = m ? 0 : agent_if_index(i->name, &idx, err);
	if (rc == -ENOENT)
		rc = 0; /* already gone */
	else if (rc == 0) {
		rc = ligd_delete(i, idx, m ? m->memif_socket_id : 0, err);
		if (rc == -ENOENT)
			rc = 0;
	}
	if_free(i);
	return rc;
}

/* Same configuration as far as ligd holds it: addresses and (but for VXLAN) the VRF are derived
 * values; a MAC or MTU left unset matches whatever ligd has. */
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
		  str_eq(x->name, y->name) && (!x->mtu || !y->mtu || x->mtu == y->mtu) &&
		  same_mac(x->phys_address, y->phys_address) && if_same_link(x, y) &&
		  (x->type != LIG_VPP_IF_MEMIF || ligd_rx_mode(x) == ligd_rx_mode(y));
	if (x)
		if_free(x);
	if (y)
		if_free(y);
	return eq;
}

/* ---- retrieve: ligd's interfaces back as values ---- */

struct if_state {
	struct agent_if_dump ifs;
	struct vec addrs, tables, sockets, memifs, taps, vxlans, afps;
};

static void
if_state_free(struct if_state *s)
{
	free(s->ifs.d);
	free(s->addrs.d);
	free(s->tables.d);
	free(s->sockets.d);
	free(s->memifs.d);
	free(s->taps.d);
	free(s->vxlans.d);
	free(s->afps.d);
}

static int
if_state_read(struct if_state *s)
{
	int rc = agent_dump_interfaces(&s->ifs);
	lig_api_ip_address_dump_t ar = {0};
	lig_api_ip_interface_dump_t tr = {0};
	lig_api_memif_socket_dump_t sr;
	lig_api_memif_dump_t mr = {0};
	lig_api_tap_dump_t pr = {0};
	lig_api_vxlan_tunnel_dump_t vr = {0};
	lig_api_af_packet_dump_t fr = {0};
	if (rc == 0)
		rc = VDUMP(ip_address_dump, &ar, &s->addrs, NULL);
	if (rc == 0)
		rc = VDUMP(ip_interface_dump, &tr, &s->tables, NULL);
	if (rc == 0)
		rc = VDUMP(memif_socket_dump, &sr, &s->sockets, NULL);
	if (rc == 0)
		rc = VDUMP(memif_dump, &mr, &s->memifs, NULL);
	if (rc == 0)
		rc = VDUMP(tap_dump, &pr, &s->taps, NULL);
	if (rc == 0)
		rc = VDUMP(vxlan_tunnel_dump, &vr, &s->vxlans, NULL);
	if (rc == 0)
		rc = VDUMP(af_packet_dump, &fr, &s->afps, NULL);
	return rc;
}

/* The element of v (details starting with u32 sw_if_index) for idx, or NULL. */
static const void *
vec_find(const struct vec *v, u32 idx)
{
	for (size_t k = 0; k < v->n; k++) {
		const void *e = (const char *)v->d + k * v->size;
		u32 sw;
		memcpy(&sw, e, sizeof(sw));
		if (sw == idx)
			return e;
	}
	return NULL;
}

/* The desired value correlate holds for key, decoded (NULL: none). */
static struct lig_vpp_interface *
correlated(const struct lig_sched_retrieved *correlate, const char *key)
{
	for (size_t c = 0; c < lig_sched_retrieved_count(correlate); c++) {
		const void *v;
		size_t vs;
		const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, NULL);
		if (ck && strcmp(ck, key) == 0) {
			struct lig_model_error me;
			return if_decode(v, vs, &me);
		}
	}
	return NULL;
}

/* One ligd interface (details d) as a vpp-agent value: JSON (malloc'd) and its metadata. ours:
 * the agent's (tagged): its ligd number is remembered. */
static char *
if_value(const struct if_state *s, const lig_api_sw_interface_dump_details_t *d, const char *name,
	 const struct lig_vpp_interface *want, bool ours, struct if_meta *md)
{
	char mac[32], ligd_name[sizeof(d->name) + 1];
	snprintf(ligd_name, sizeof(ligd_name), "%.*s", (int)sizeof(d->name), d->name);
	agent_fmt_mac(mac, sizeof(mac), d->mac);
	struct lig_vpp_interface i = {
	    .name = (char *)name, .enabled = d->admin_up, .phys_address = mac, .mtu = d->mtu};
	const char *cls = d->device_class;
	size_t cn = sizeof(d->device_class);
	char secret[2] = "?", sock[sizeof(((lig_api_memif_socket_dump_details_t *)0)->filename)];
	char host[72], ns[72], src[20], dst[20];
	struct lig_vpp_if_rx_mode rxm = {0};
	const lig_api_ip_interface_dump_details_t *t = vec_find(&s->tables, d->sw_if_index);
	i.vrf = t ? t->table_id : 0;
	*md = (struct if_meta){.sw_if_index = d->sw_if_index, .table_id = i.vrf};
	u32 num;
	if (strncmp(cls, "loopback", cn) == 0) {
		i.type = LIG_VPP_IF_SOFTWARE_LOOPBACK;
		if (ours && name_number(ligd_name, "loop", &num))
			mem_put(name, i.type, num);
	} else if (strncmp(cls, "memif", cn) == 0) {
		const lig_api_memif_dump_details_t *m = vec_find(&s->memifs, d->sw_if_index);
		i.type = LIG_VPP_IF_MEMIF;
		i.link_case = LIG_VPP_IF_LINK_MEMIF;
		if (m) {
			struct lig_vpp_memif_link *l = &i.link.memif;
			md->memif_socket_id = m->socket_id;
			l->id = m->id;
			l->master = m->role == 0;
			l->mode = m->mode == 1 ? LIG_VPP_MEMIF_IP : LIG_VPP_MEMIF_ETHERNET;
			l->ring_size = m->ring_size;
			l->buffer_size = m->buffer_size;
			l->rx_queues = m->rx_queues;
			l->tx_queues = m->tx_queues;
			/* ligd never shows a secret: the desired one when ligd has one, else a
			 * placeholder that matches nothing */
			const struct lig_vpp_memif_link *w =
			    want && want->type == LIG_VPP_IF_MEMIF ? &want->link.memif : NULL;
			if (m->secret_set)
				l->secret = w && w->secret && *w->secret ? w->secret : secret;
			/* the default socket 0 is "" unless the desired value names its file */
			sock[0] = 0;
			for (size_t k = 0; k < s->sockets.n; k++) {
				const lig_api_memif_socket_dump_details_t *so =
				    VAT(&s->sockets, lig_api_memif_socket_dump_details_t, k);
				if (so->socket_id == m->socket_id)
					snprintf(sock, sizeof(sock), "%.*s",
						 (int)sizeof(so->filename), so->filename);
			}
			if (m->socket_id == 0 && !(w && str_eq(w->socket_filename, sock)))
				sock[0] = 0;
			l->socket_filename = sock;
			if (m->rx_mode != LIGD_RX_ADAPTIVE) {
				rxm.mode = m->rx_mode == LIGD_RX_POLLING
					       ? LIG_VPP_RX_MODE_POLLING
					       : LIG_VPP_RX_MODE_INTERRUPT;
				rxm.default_mode = true;
				i.rx_modes = &rxm;
				i.n_rx_modes = 1;
			}
		}
	} else if (strncmp(cls, "tap", cn) == 0) {
		const lig_api_tap_dump_details_t *p = vec_find(&s->taps, d->sw_if_index);
		i.type = LIG_VPP_IF_TAP;
		i.link_case = LIG_VPP_IF_LINK_TAP;
		i.link.tap.version = 2;
		if (p && ours)
			mem_put(name, i.type, p->id);
		if (p) {
			snprintf(host, sizeof(host), "%.*s", (int)sizeof(p->host_if_name),
				 p->host_if_name);
			snprintf(ns, sizeof(ns), "%.*s", (int)sizeof(p->host_ns), p->host_ns);
			i.link.tap.host_if_name = host;
			i.link.tap.to_microservice = ns;
			i.link.tap.enable_gso = (p->tap_flags & LIGD_TAP_FLAG_GSO) != 0;
			/* vpp-agent's generated name reads back as "" */
			char gen[64];
			struct lig_vpp_interface g = {.name = (char *)name};
			tap_host_name(&g, gen, sizeof(gen));
			if (strcmp(gen, host) == 0 &&
			    !(want && want->type == LIG_VPP_IF_TAP &&
			      *lig_model_str(want->link.tap.host_if_name)))
				host[0] = 0;
		}
	} else if (strncmp(cls, "vxlan", cn) == 0) {
		const lig_api_vxlan_tunnel_dump_details_t *x = vec_find(&s->vxlans, d->sw_if_index);
		i.type = LIG_VPP_IF_VXLAN_TUNNEL;
		i.link_case = LIG_VPP_IF_LINK_VXLAN;
		if (x) {
			const u8 *a = (const u8 *)&x->src, *b = (const u8 *)&x->dst;
			snprintf(src, sizeof(src), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			snprintf(dst, sizeof(dst), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
			i.link.vxlan.src_address = src;
			i.link.vxlan.dst_address = dst;
			i.link.vxlan.vni = x->vni;
			i.vrf = x->encap_table_id;
			if (ours)
				mem_put(name, i.type, x->instance);
		}
	} else if (strncmp(cls, "af_packet", cn) == 0) {
		const lig_api_af_packet_dump_details_t *f = vec_find(&s->afps, d->sw_if_index);
		i.type = LIG_VPP_IF_AF_PACKET;
		i.link_case = LIG_VPP_IF_LINK_AFPACKET;
		if (f)
			snprintf(host, sizeof(host), "%.*s", (int)sizeof(f->host_if_name),
				 f->host_if_name);
		else
			snprintf(host, sizeof(host), "%s",
				 strncmp(ligd_name, "host-", 5) == 0 ? ligd_name + 5 : ligd_name);
		i.link.afpacket.host_if_name = host;
		/* a desired linux_interface reference that leads to this host interface */
		char wh[64];
		if (want && want->type == LIG_VPP_IF_AF_PACKET &&
		    *lig_model_str(want->link.afpacket.linux_interface) &&
		    afp_host_name(want, wh, sizeof(wh), NULL) == 0 && strcmp(wh, host) == 0) {
			i.link.afpacket.host_if_name = NULL;
			i.link.afpacket.linux_interface = want->link.afpacket.linux_interface;
		}
	}
	char *ips[64], bufs[64][24];
	for (size_t j = 0; j < s->addrs.n && i.n_ip_addresses < 64; j++) {
		const lig_api_ip_address_dump_details_t *ad =
		    VAT(&s->addrs, lig_api_ip_address_dump_details_t, j);
		if (ad->sw_if_index != d->sw_if_index)
			continue;
		const u8 *a = (const u8 *)&ad->address;
		snprintf(bufs[i.n_ip_addresses], sizeof(bufs[0]), "%u.%u.%u.%u/%u", a[0], a[1],
			 a[2], a[3], ad->len);
		ips[i.n_ip_addresses] = bufs[i.n_ip_addresses];
		i.n_ip_addresses++;
	}
	i.ip_addresses = ips;
	return lig_model_get(LIG_MODEL_VPP_INTERFACE)->encode(&i);
}

static int
if_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct if_state s = {0};
	int rc = if_state_read(&s);
	/* the logical names of the tagged interfaces, to leave an untagged one whose ligd name
	 * is also a logical name (or a desired one) unreported */
	char(*names)[LIG_MODEL_KEY_MAX] = rc == 0 ? calloc(s.ifs.n + 1, sizeof(*names)) : NULL;
	if (rc == 0 && !names)
		rc = -ENOMEM;
	for (size_t k = 0; rc == 0 && k < s.ifs.n; k++)
		if (s.ifs.d[k].tag[0])
			if_logical_name(&s.ifs.d[k], names[k], sizeof(names[k]));
	for (size_t k = 0; rc == 0 && k < s.sockets.n; k++) {
		const lig_api_memif_socket_dump_details_t *so =
		    VAT(&s.sockets, lig_api_memif_socket_dump_details_t, k);
		char f[sizeof(so->filename) + 1];
		snprintf(f, sizeof(f), "%.*s", (int)sizeof(so->filename), so->filename);
		if (so->socket_id)
			mem_put(f, MEM_SOCKET, so->socket_id);
	}
	for (size_t k = 0; rc == 0 && k < s.ifs.n; k++) {
		const lig_api_sw_interface_dump_details_t *d = &s.ifs.d[k];
		char name[LIG_MODEL_KEY_MAX], key[LIG_MODEL_KEY_MAX * 2];
		bool ours = d->tag[0] != 0;
		if_logical_name(d, name, sizeof(name));
		bool dup = false;
		for (size_t j = 0; j < s.ifs.n && !dup; j++)
			dup = j != k && names[j][0] && strcmp(names[j], name) == 0 &&
			      (!ours || j < k);
		agent_if_key(key, sizeof(key), name);
		struct lig_vpp_interface *want = correlated(correlate, key);
		if (!ours && (dup || want)) {
			/* an untagged interface named like one of ours: not ours, and not
			 * reportable under that name */
			if (want)
				if_free(want);
			continue;
		}
		if (dup) {
			/* a second interface with the tag of the first (a half-made create):
			 * reported under its ligd name, as the agent's, so resync removes it */
			snprintf(name, sizeof(name), "%.*s", (int)sizeof(d->name), d->name);
			agent_if_key(key, sizeof(key), name);
			if (want)
				if_free(want);
			want = NULL;
		}
		struct if_meta tmp;
		char *json = if_value(&s, d, name, want, ours && !dup, &tmp);
		if (want)
			if_free(want);
		struct if_meta *md = json ? malloc(sizeof(*md)) : NULL;
		if (!md) {
			free(json);
			rc = -ENOMEM;
			break;
		}
		*md = tmp;
		lig_sched_retrieved_add(out, key, json, strlen(json),
					ours ? LIG_SCHED_ORIGIN_NB : LIG_SCHED_ORIGIN_SB, md);
		free(json);
	}
	free(names);
	if_state_free(&s);
	return rc;
}

/* ---- descriptor: the VRF binding of an interface (derived) ---- */

/* Splits vpp/interface/<name>/vrf/<vrf>/ip-version/v4. */
static bool
vrf_key_parse(const char *key, char *name, size_t n, u32 *vrf)
{
	size_t pl = strlen(IF_DERIVED_PREFIX), sl = strlen(IF_VRF_SUFFIX), kl = strlen(key);
	if (strncmp(key, IF_DERIVED_PREFIX, pl) != 0 || kl < pl + sl ||
	    strcmp(key + kl - sl, IF_VRF_SUFFIX) != 0)
		return false;
	/* the VRF id: the digits before the suffix, after the last "/vrf/" */
	const char *end = key + kl - sl, *p = end;
	while (p > key && p[-1] >= '0' && p[-1] <= '9')
		p--;
	size_t ml = strlen(IF_VRF_MID);
	if (p == end || end - p > 10 || (size_t)(p - key) < pl + ml ||
	    strncmp(p - ml, IF_VRF_MID, ml) != 0)
		return false;
	unsigned long long v = strtoull(p, NULL, 10);
	if (v > UINT32_MAX)
		return false;
	size_t nl = (size_t)(p - ml - (key + pl));
	if (nl == 0 || nl >= n)
		return false;
	memcpy(name, key + pl, nl);
	name[nl] = 0;
	*vrf = (u32)v;
	return true;
}

static bool
vrf_selector(void *ctx, const char *key)
{
	(void)ctx;
	char name[LIG_MODEL_KEY_MAX];
	u32 vrf;
	return vrf_key_parse(key, name, sizeof(name), &vrf);
}

static void
vrf_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)value;
	(void)size;
	char name[LIG_MODEL_KEY_MAX], k[LIG_MODEL_KEY_MAX * 2];
	u32 vrf;
	if (!vrf_key_parse(key, name, sizeof(name), &vrf) || !vrf)
		return;
	vrf_table_key(k, sizeof(k), vrf);
	lig_sched_dep_key(deps, "vrf-table", k);
}

/* Binds the interface to the key's table (bind) or, if it is bound to it, back to table 0. The
 * interface's metadata knows its table: no call when it is already right (an interface starts
 * in table 0; a binding replaced by another one may be removed after the new one is made). */
static int
vrf_set(const char *key, bool bind, struct lig_sched_err *err)
{
	char name[LIG_MODEL_KEY_MAX], ik[LIG_MODEL_KEY_MAX * 2];
	u32 vrf;
	if (!vrf_key_parse(key, name, sizeof(name), &vrf)) {
		lig_sched_err_set(err, "bad VRF key %s", key);
		return -EINVAL;
	}
	agent_if_key(ik, sizeof(ik), name);
	struct if_meta *md = lig_sched_metadata(A.sched, ik);
	if (!md)
		return bind ? (lig_sched_err_set(err, "interface %s not found", name), -ENOENT) : 0;
	u32 to = bind ? vrf : 0;
	if (md->table_id == to || (!bind && md->table_id != vrf))
		return 0;
	if (!agent_api_up(err))
		return -ENOTCONN;
	lig_api_sw_interface_set_table_t req = {.sw_if_index = md->sw_if_index, .table_id = to};
	lig_api_sw_interface_set_table_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_table, &req, &rep);
	if (rc)
		return agent_api_rc(rc, "sw_interface_set_table", rep.error, err);
	md->table_id = to;
	return 0;
}

static int
vrf_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	(void)md;
	return vrf_set(key, true, err);
}

static int
vrf_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)value;
	(void)size;
	(void)md;
	return vrf_set(key, false, err);
}

/* ---- descriptor: interface addresses (derived) ---- */

/* Splits vpp/interface/<name>/address/static/<ip>/<len>. */
static bool
addr_key_parse(const char *key, char *name, size_t n)
{
	if (strncmp(key, IF_DERIVED_PREFIX, strlen(IF_DERIVED_PREFIX)) != 0)
		return false;
	const char *s = key + strlen(IF_DERIVED_PREFIX), *mid = strstr(s, IF_ADDR_MID);
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

/* The VRF in an address value ("<ip>/<len>[ vrf <n>]"). */
static u32
addr_vrf(const void *value, size_t size)
{
	char v[96];
	if (size >= sizeof(v))
		return 0;
	memcpy(v, value, size);
	v[size] = 0;
	const char *p = strstr(v, " vrf ");
	return p ? (u32)strtoul(p + 5, NULL, 10) : 0;
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
	/* as vpp-agent: the interface is in its VRF first */
	snprintf(k, sizeof(k), IF_DERIVED_PREFIX "%s" IF_VRF_MID "%u" IF_VRF_SUFFIX, name,
		 addr_vrf(value, size));
	lig_sched_dep_key(deps, "interface-in-vrf", k);
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
	char *sp = strchr(ip, ' ');
	if (sp)
		*sp = 0;
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

static void
meta_free(void *ctx, void *md)
{
	(void)ctx;
	free(md);
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
	     .dependencies = if_deps,
	     .derived_values = if_derived,
	     .retrieve = if_retrieve,
	     .free_metadata = meta_free},
	    {.name = "vpp-interface-vrf",
	     .key_prefix = IF_DERIVED_PREFIX,
	     .key_selector = vrf_selector,
	     .create = vrf_create,
	     .delete = vrf_delete,
	     .dependencies = vrf_deps},
	    {.name = "vpp-interface-address",
	     .key_prefix = IF_DERIVED_PREFIX,
	     .key_selector = addr_selector,
	     .create = addr_create,
	     .delete = addr_delete,
	     .dependencies = addr_deps},
	};
	return lig_sched_register_all(sched, d, sizeof(d) / sizeof(d[0]));
}

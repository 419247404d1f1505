/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent status publishing: ligd's interface state written back to the store as vpp-agent's
 * ifplugin does (its InterfaceState, proto/ligato/vpp/interfaces/state.proto, under
 * /vnf-agent/<label>/vpp/status/v2/interface/<name>). Link, admin, MAC and MTU changes come from
 * ligd's interface events and are written promptly, at most once per interface per
 * ST_MIN_GAP_MS; counters come from a sw_interface_dump every --status-interval seconds. Only
 * values that differ from the last ones written are written, in one store transaction per flush;
 * keys of interfaces that are gone are deleted. The same events are the agent's drift signal: an
 * interface it configured that is deleted or changed behind its back starts a downstream resync.
 * See docs/agent.md ("Status publishing"). Everything runs on the loop thread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include <jansson.h>

#define ST_MIN_GAP_MS 100	  /* one write per interface per this */
#define ST_TXN_OPS 100		  /* etcd refuses more than 128 operations per txn by default */
#define ST_FLUSH_TXNS 2		  /* per flush (the loop goes on between flushes) */
#define ST_DRIFT_DEBOUNCE_MS 200  /* quiet time after an event before the drift check */
#define ST_DRIFT_MIN_GAP_MS 1000  /* between two drift resyncs, doubled while they fail */
#define ST_DRIFT_MAX_GAP_MS 30000 /* ... up to this */
#define ST_STORE_BACKOFF_MS 2000  /* after a failed write, doubled up to ST_STORE_MAX_MS */
#define ST_STORE_MAX_MS 30000
#define ST_SLOW_MS 100 /* a flush slower than this is logged */
#define ST_NAME_SIZE 128

/* vpp-agent's counters, in ligd's sw_interface_dump order. */
enum { ST_IN_PKTS, ST_IN_BYTES, ST_OUT_PKTS, ST_OUT_BYTES, ST_DROPS, ST_IN_ERR, ST_OUT_ERR, ST_N };
static const char *const st_ctr_names[ST_N] = {"inPackets",	 "inBytes",	"outPackets",
					       "outBytes",	 "dropPackets", "inErrorPackets",
					       "outErrorPackets"};

/* One interface as published: by the agent's name for it (the key). */
struct st_if {
	char name[ST_NAME_SIZE]; /* vpp-agent's name: the key's last part */
	char internal[65];	 /* ligd's name */
	char device_class[17];	 /* ligd's class: loopback, af_packet, ... */
	u32 sw_if_index;
	bool present;	/* in ligd now; when not, its key is deleted */
	bool need_name; /* added by an event: the name is looked up before writing */
	bool seen;	/* refresh: found in this dump */
	bool admin_up, link_up;
	u8 mac[6];
	u32 mtu;
	u64 ctr[ST_N];
	int64_t last_change; /* Unix seconds of the last admin/oper change we saw */
	char *published;     /* the value last written under the key (NULL: none) */
	bool dirty;	     /* may differ from published */
	uint64_t last_write_ms;
};

static struct {
	bool enabled;	      /* DISABLE_STATUS_PUBLISHING / --status-interval 0 turn it off */
	bool counters;	      /* DISABLE_INTERFACE_STATS turns the counter poll off */
	uint64_t interval_ms; /* counter poll */
	struct cninfra_timer *poll_timer, *flush_timer, *drift_timer;
	uint64_t flush_at; /* when flush_timer fires (0: not armed) */
	struct st_if **ifs;
	size_t n, cap;
	bool refreshed; /* the dump after the (re)connection ran: writes may go */
	bool listed;	/* the store's status keys were read (once per run) */
	uint64_t store_backoff, store_retry_at;
	uint64_t drift_gap, drift_next;
	/* for the log at exit and the docs' measurements */
	uint64_t n_puts, n_dels, n_txns, n_fail, max_txn_ms, sum_txn_ms, n_events, n_drift;
} S = {.enabled = true, .counters = true, .interval_ms = 5000};

static char st_prefix[256]; /* /vnf-agent/<label>/vpp/status/v2/interface/ */

/* ---- the table ---- */

static struct st_if *
st_find_name(const char *name)
{
	for (size_t k = 0; k < S.n; k++)
		if (strcmp(S.ifs[k]->name, name) == 0)
			return S.ifs[k];
	return NULL;
}

static struct st_if *
st_find_index(u32 sw_if_index)
{
	for (size_t k = 0; k < S.n; k++)
		if (S.ifs[k]->present && S.ifs[k]->sw_if_index == sw_if_index)
			return S.ifs[k];
	return NULL;
}

static struct st_if *
st_add(const char *name)
{
	if (S.n == S.cap) {
		size_t cap = S.cap ? S.cap * 2 : 32;
		void *p = realloc(S.ifs, cap * sizeof(*S.ifs));
		if (!p)
			return NULL;
		S.ifs = p;
		S.cap = cap;
	}
	struct st_if *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	snprintf(e->name, sizeof(e->name), "%s", name);
	S.ifs[S.n++] = e;
	return e;
}

static void
st_remove(size_t k)
{
	free(S.ifs[k]->published);
	free(S.ifs[k]);
	S.ifs[k] = S.ifs[--S.n];
}

/* Forgets interfaces that are gone and have no key (left) to delete. */
static void
st_gc(void)
{
	for (size_t k = 0; k < S.n;)
		if (!S.ifs[k]->present && (!S.ifs[k]->published || !S.enabled))
			st_remove(k);
		else
			k++;
}

/* ---- timers ---- */

static void
st_arm(struct cninfra_timer *t, uint64_t delay_ms)
{
	cninfra_timer_set(t, 0, 0);
	cninfra_timer_set(t, delay_ms ? delay_ms : 1, 0);
}

/* Arms the flush for when the first dirty interface may be written. */
static void
st_schedule_flush(void)
{
	if (!S.enabled || !A.api || !S.refreshed)
		return; /* the refresh (poll_fire) flushes when it has run */
	uint64_t now = cninfra_now_ms(), at = 0;
	for (size_t k = 0; k < S.n; k++) {
		const struct st_if *e = S.ifs[k];
		if (!e->dirty && e->present)
			continue;
		uint64_t t = e->last_write_ms + ST_MIN_GAP_MS;
		if (t < now + 1)
			t = now + 1;
		if (!at || t < at)
			at = t;
	}
	if (at && at < S.store_retry_at)
		at = S.store_retry_at;
	if (!at || (S.flush_at && S.flush_at <= at))
		return;
	S.flush_at = at;
	st_arm(S.flush_timer, at - now);
}

static void
st_drift_soon(void)
{
	st_arm(S.drift_timer, ST_DRIFT_DEBOUNCE_MS);
}

/* ---- the value: vpp-agent's InterfaceState in protojson ---- */

static const char *
st_type_name(const char *device_class)
{
	static const struct {
		const char *cls, *type;
	} map[] = {{"loopback", "SOFTWARE_LOOPBACK"},
		   {"af_packet", "AF_PACKET"},
		   {"tap", "TAP"},
		   {"memif", "MEMIF"},
		   {"vxlan", "VXLAN_TUNNEL"}};
	for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
		if (strcmp(device_class, map[k].cls) == 0)
			return map[k].type;
	return NULL; /* UNDEFINED_TYPE: the default, left out */
}

static const char *
st_oper(const struct st_if *e)
{
	/* As IF-MIB's ifOperStatus: an interface that is administratively down is not up. */
	return e->admin_up && e->link_up ? "UP" : "DOWN";
}

static json_t *
st_u64(u64 v)
{
	char b[24];
	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	return json_string(b);
}

/* protojson of the state (JSON names, declaration order, defaults left out, 64-bit integers as
 * strings); malloc'd or NULL. */
static char *
st_render(const struct st_if *e)
{
	json_t *o = json_object(), *st = json_object();
	char mac[32];
	if (!o || !st) {
		json_decref(o);
		json_decref(st);
		return NULL;
	}
	json_object_set_new(o, "name", json_string(e->name));
	if (e->internal[0])
		json_object_set_new(o, "internalName", json_string(e->internal));
	const char *type = st_type_name(e->device_class);
	if (type)
		json_object_set_new(o, "type", json_string(type));
	if (e->sw_if_index)
		json_object_set_new(o, "ifIndex", json_integer(e->sw_if_index));
	json_object_set_new(o, "adminStatus", json_string(e->admin_up ? "UP" : "DOWN"));
	json_object_set_new(o, "operStatus", json_string(st_oper(e)));
	if (e->last_change) {
		char b[24];
		snprintf(b, sizeof(b), "%lld", (long long)e->last_change);
		json_object_set_new(o, "lastChange", json_string(b));
	}
	agent_fmt_mac(mac, sizeof(mac), e->mac);
	json_object_set_new(o, "physAddress", json_string(mac));
	if (e->mtu)
		json_object_set_new(o, "mtu", json_integer(e->mtu));
	for (int k = 0; k < ST_N; k++)
		if (e->ctr[k])
			json_object_set_new(st, st_ctr_names[k], st_u64(e->ctr[k]));
	json_object_set_new(o, "statistics", st);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* A value found in the store at start: its last change is kept when the status it reports is
 * still the interface's, so a restarted agent writes nothing for an unchanged interface. */
static void
st_adopt(struct st_if *e, const char *value, size_t size)
{
	free(e->published);
	e->published = strndup(value, size);
	json_t *o = json_loadb(value, size, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return;
	}
	const char *adm = json_string_value(json_object_get(o, "adminStatus"));
	const char *op = json_string_value(json_object_get(o, "operStatus"));
	const char *lc = json_string_value(json_object_get(o, "lastChange"));
	if (e->present && !e->last_change && adm && op && lc &&
	    strcmp(adm, e->admin_up ? "UP" : "DOWN") == 0 && strcmp(op, st_oper(e)) == 0) {
		char *end;
		long long v = strtoll(lc, &end, 10);
		if (!*end && v > 0)
			e->last_change = v;
	}
	json_decref(o);
}

/* ---- ligd: the dump ---- */

static void
st_take_details(struct st_if *e, const lig_api_sw_interface_dump_details_t *d)
{
	bool was_up = e->admin_up, was_link = e->link_up, was = e->present && !e->need_name;
	snprintf(e->internal, sizeof(e->internal), "%.*s", (int)sizeof(d->name), d->name);
	snprintf(e->device_class, sizeof(e->device_class), "%.*s", (int)sizeof(d->device_class),
		 d->device_class);
	e->sw_if_index = d->sw_if_index;
	e->admin_up = d->admin_up;
	e->link_up = d->link_up;
	memcpy(e->mac, d->mac, 6);
	e->mtu = d->mtu;
	if (S.counters) {
		const u64 c[ST_N] = {d->rx_packets, d->rx_bytes,  d->tx_packets, d->tx_bytes,
				     d->drops,	    d->rx_errors, d->tx_errors};
		memcpy(e->ctr, c, sizeof(c));
	}
	if (was && (was_up != e->admin_up || was_link != e->link_up))
		e->last_change = (int64_t)time(NULL);
	e->present = true;
	e->need_name = false;
	e->seen = true;
	e->dirty = true;
}

/* Every interface of ligd, matched by the agent's name: new ones are added, renamed ones move to
 * their new key, the ones gone are marked for deletion. 0 or the dump's error. */
static int
st_refresh(void)
{
	struct agent_if_dump ifs = {0};
	int rc = agent_dump_interfaces(&ifs);
	if (rc < 0) {
		free(ifs.d);
		return rc;
	}
	for (size_t k = 0; k < S.n; k++)
		S.ifs[k]->seen = false;
	for (size_t k = 0; k < ifs.n; k++) {
		char name[ST_NAME_SIZE];
		if (!agent_if_name_of(&ifs, ifs.d[k].sw_if_index, name, sizeof(name)) || !name[0])
			continue;
		struct st_if *e = st_find_name(name);
		if (e && e->seen)
			continue; /* two ligd interfaces with one name: the first wins */
		if (!e && !(e = st_add(name)))
			break;
		st_take_details(e, &ifs.d[k]);
	}
	for (size_t k = 0; k < S.n; k++)
		if (!S.ifs[k]->seen)
			S.ifs[k]->present = false;
	free(ifs.d);
	S.refreshed = true;
	return 0;
}

/* A dump of one interface. */
static bool
st_one_cb(void *ctx, const void *d, u32 size)
{
	struct agent_if_dump *x = ctx;
	if (size < sizeof(*x->d) || x->n)
		return true;
	x->d = malloc(sizeof(*x->d));
	if (!x->d)
		return false;
	memcpy(x->d, d, sizeof(*x->d));
	x->n = 1;
	return true;
}

/* Names of interfaces events added (a dump of each, so the name is the one the agent's other
 * parts use: agent_if_name_of). Events arrive during each dump and may change the table: the
 * indexes to name are copied first and each entry is looked up again after its dump. */
static int
st_name_new(void)
{
	u32 idx[8];
	size_t want = 0, n = 0;
	for (size_t k = 0; k < S.n; k++)
		if (S.ifs[k]->present && S.ifs[k]->need_name && want++ < 8)
			idx[n++] = S.ifs[k]->sw_if_index;
	if (!want)
		return 0;
	if (want > 8)
		return st_refresh();
	for (size_t j = 0; j < n; j++) {
		struct agent_if_dump one = {0};
		lig_api_sw_interface_dump_t req = {.sw_if_index = idx[j]};
		int rc = LIG_API_CLIENT_DUMP(A.api, sw_interface_dump, &req, st_one_cb, &one);
		if (rc && rc != -ENOENT) {
			free(one.d);
			return agent_api_rc(rc, "sw_interface_dump", NULL, NULL);
		}
		struct st_if *e = st_find_index(idx[j]);
		char name[ST_NAME_SIZE];
		if (e && e->need_name && (one.n != 1 || one.d[0].sw_if_index != idx[j]))
			e->present = false; /* gone again */
		else if (e && e->need_name) {
			if (!agent_if_name_of(&one, idx[j], name, sizeof(name)) || !name[0])
				snprintf(name, sizeof(name), "%s", e->internal);
			struct st_if *other = st_find_name(name);
			if (other && other != e) {
				/* The key exists (deleted and added again, or found in the store):
				 * the details move there; this one goes. */
				e->present = false;
				e->sw_if_index = ~0u;
				st_take_details(other, &one.d[0]);
			} else {
				snprintf(e->name, sizeof(e->name), "%s", name);
				st_take_details(e, &one.d[0]);
			}
		}
		free(one.d);
	}
	st_gc(); /* entries moved above */
	return 0;
}

/* ---- the store ---- */

/* The status keys a previous run left: adopted as published, deleted when their interface is
 * gone. vpp-agent's error subtree (<prefix>error/) is not ours. */
static int
st_list_store(void)
{
	struct cninfra_kv_list l = {0};
	int rc = cninfra_kv_list(A.kv, st_prefix, &l);
	if (rc < 0)
		return rc;
	size_t pl = strlen(st_prefix);
	for (size_t k = 0; k < l.count; k++) {
		const char *name = l.pairs[k].key + pl;
		if (!*name || strncmp(name, "error/", 6) == 0 || strlen(name) >= ST_NAME_SIZE)
			continue;
		struct st_if *e = st_find_name(name);
		if (!e && !(e = st_add(name)))
			break;
		st_adopt(e, l.pairs[k].value, l.pairs[k].value_size);
	}
	cninfra_kv_list_release(&l);
	S.listed = true;
	return 0;
}

struct st_pending {
	struct st_if *e;
	char *value; /* NULL: deleted */
};

/* Commits one transaction of puts and deletes; on success records what was written. */
static int
st_commit(struct cninfra_kv_txn *txn, struct st_pending *p, size_t n)
{
	uint64_t t0 = cninfra_now_ms();
	int rc = cninfra_kv_txn_commit(A.kv, txn, NULL);
	uint64_t dt = cninfra_now_ms() - t0, now = t0 + dt;
	S.n_txns++;
	S.sum_txn_ms += dt;
	if (dt > S.max_txn_ms)
		S.max_txn_ms = dt;
	if (dt > ST_SLOW_MS)
		agent_log("status: writing %zu keys took %llu ms", n, (unsigned long long)dt);
	for (size_t k = 0; k < n; k++) {
		struct st_if *e = p[k].e;
		if (rc < 0) {
			free(p[k].value);
			continue;
		}
		e->last_write_ms = now;
		if (p[k].value) {
			free(e->published);
			e->published = p[k].value;
			e->dirty = false;
			S.n_puts++;
		} else {
			free(e->published);
			e->published = NULL;
			S.n_dels++;
		}
	}
	if (rc < 0) {
		S.n_fail++;
		S.store_backoff = S.store_backoff ? S.store_backoff * 2 : ST_STORE_BACKOFF_MS;
		if (S.store_backoff > ST_STORE_MAX_MS)
			S.store_backoff = ST_STORE_MAX_MS;
		S.store_retry_at = now + S.store_backoff;
		agent_log("status: store write failed (%s); next try in %llu ms", strerror(-rc),
			  (unsigned long long)S.store_backoff);
	} else {
		S.store_backoff = 0;
		S.store_retry_at = 0;
	}
	return rc;
}

/* Writes what is due: changed values of interfaces whose last write is ST_MIN_GAP_MS old, and
 * deletions, ST_TXN_OPS to a transaction, at most ST_FLUSH_TXNS transactions (what is left is
 * still due: the next flush is armed for the next loop turn). */
static void
st_flush(void)
{
	uint64_t now = cninfra_now_ms();
	if (!S.enabled || !A.api || !S.refreshed || now < S.store_retry_at)
		return;
	if (!S.listed && st_list_store() < 0) {
		S.store_backoff = S.store_backoff ? S.store_backoff * 2 : ST_STORE_BACKOFF_MS;
		if (S.store_backoff > ST_STORE_MAX_MS)
			S.store_backoff = ST_STORE_MAX_MS;
		S.store_retry_at = now + S.store_backoff;
		return;
	}
	if (st_name_new() < 0)
		return; /* ligd went away: agent_after_txn() handles it */
	struct st_pending p[ST_TXN_OPS];
	size_t n = 0;
	struct cninfra_kv_txn *txn = NULL;
	int rc = 0, txns = 0;
	for (size_t k = 0; k < S.n && rc == 0 && txns < ST_FLUSH_TXNS; k++) {
		struct st_if *e = S.ifs[k];
		if ((e->present && !e->dirty) || e->need_name ||
		    now < e->last_write_ms + ST_MIN_GAP_MS)
			continue;
		if (!e->present && !e->published)
			continue;
		char key[LIG_MODEL_KEY_MAX + ST_NAME_SIZE], *v = NULL;
		if (lig_model_vpp_if_status_key(A.label, e->name, key, sizeof(key)) < 0) {
			e->dirty = false;
			continue;
		}
		if (e->present) {
			v = st_render(e);
			if (!v) {
				e->dirty = false; /* out of memory: the next poll tries again */
				continue;
			}
			if (e->published && strcmp(v, e->published) == 0) {
				free(v);
				e->dirty = false;
				continue;
			}
		}
		if (!txn && !(txn = cninfra_kv_txn_new())) {
			free(v);
			break;
		}
		if ((v ? cninfra_kv_txn_put(txn, key, v, strlen(v))
		       : cninfra_kv_txn_delete(txn, key, 0)) < 0) {
			/* refused by the store client: not again until it changes */
			free(v);
			e->dirty = false;
			if (!e->present) {
				free(e->published);
				e->published = NULL;
			}
			continue;
		}
		p[n++] = (struct st_pending){e, v};
		if (n == ST_TXN_OPS) {
			txns++;
			rc = st_commit(txn, p, n);
			cninfra_kv_txn_free(txn);
			txn = NULL;
			n = 0;
		}
	}
	if (txn && n)
		st_commit(txn, p, n);
	cninfra_kv_txn_free(txn);
	st_gc();
}

static void
flush_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	S.flush_at = 0;
	st_flush();
	agent_after_txn();
	st_schedule_flush();
}

/* The counter poll; the first after a (re)connection is the full refresh. */
static void
poll_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)arg;
	if (!A.api)
		return;
	if (!A.synced) {
		st_arm(t, 200); /* names need the desired state: wait for the store's list */
		return;
	}
	bool first = !S.refreshed;
	if (st_refresh() == 0) {
		S.flush_at = 0;
		cninfra_timer_set(S.flush_timer, 0, 0);
		st_flush();
		st_gc();
	}
	agent_after_txn();
	st_schedule_flush();
	if (!A.api)
		return;
	if (!S.refreshed)
		st_arm(t, 1000); /* the dump failed without losing ligd: again */
	else if (first && S.enabled && S.counters)
		cninfra_timer_set(t, S.interval_ms, S.interval_ms);
}

/* ---- drift: the agent's interfaces changed behind its back ---- */

/* The first CONFIGURED interface whose ligd state differs from its desired value, in why. The
 * interfaces are matched by the agent's name for them (agent_if_name_of: the tag). */
static bool
st_drifted(char *why, size_t n)
{
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_INTERFACE);
	size_t pl = strlen(A.if_prefix);
	bool drift = false;
	for (size_t k = 0; k < A.n_items && !drift; k++) {
		const struct agent_item *it = &A.items[k];
		if (strncmp(it->key, A.if_prefix, pl) != 0 ||
		    lig_sched_state(A.sched, it->key) != LIG_SCHED_CONFIGURED)
			continue;
		struct lig_model_error me;
		struct lig_vpp_interface *i = agent_decode(m, it->value, it->size, &me);
		if (!i)
			continue;
		u8 mac[6];
		const struct st_if *e = st_find_name(lig_model_str(i->name));
		drift = true;
		if (!e || !e->present)
			snprintf(why, n, "%s deleted", lig_model_str(i->name));
		else if (e->admin_up != i->enabled)
			snprintf(why, n, "%s admin %s", lig_model_str(i->name),
				 e->admin_up ? "up" : "down");
		else if (i->mtu && e->mtu != i->mtu)
			snprintf(why, n, "%s mtu %u", lig_model_str(i->name), e->mtu);
		else if (i->phys_address && *i->phys_address &&
			 lig_model_mac_parse(i->phys_address, mac) == 0 && memcmp(mac, e->mac, 6))
			snprintf(why, n, "%s MAC changed", lig_model_str(i->name));
		else
			drift = false;
		lig_model_value_delete(m, i);
	}
	return drift;
}

static void
drift_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)arg;
	if (!A.api || !A.synced || !S.refreshed)
		return;
	if (A.batch) {
		st_arm(t, ST_DRIFT_DEBOUNCE_MS); /* a northbound change is about to commit */
		return;
	}
	char why[256];
	if (st_name_new() < 0) {
		agent_after_txn(); /* ligd went away */
		return;
	}
	if (!st_drifted(why, sizeof(why))) {
		S.drift_gap = 0;
		return;
	}
	uint64_t now = cninfra_now_ms();
	if (now < S.drift_next) {
		st_arm(t, S.drift_next - now);
		return;
	}
	S.drift_gap = S.drift_gap ? S.drift_gap * 2 : ST_DRIFT_MIN_GAP_MS;
	if (S.drift_gap > ST_DRIFT_MAX_GAP_MS)
		S.drift_gap = ST_DRIFT_MAX_GAP_MS;
	S.drift_next = now + S.drift_gap;
	S.n_drift++;
	uint64_t seq = 0;
	agent_log("drift: %s behind the agent's back; downstream resync", why);
	lig_sched_downstream_resync(A.sched, &seq);
	agent_after_txn();
}

/* ---- ligd's events ---- */

static void
st_on_event(void *ctx, u16 msg_id, const void *body, u32 size)
{
	(void)ctx;
	lig_api_interface_event_t ev;
	if (msg_id != LIG_API_ID_interface_event || size < sizeof(ev))
		return;
	memcpy(&ev, body, sizeof(ev));
	S.n_events++;
	if (ev.sw_if_index == 0 || ev.sw_if_index == ~0u)
		return; /* index 0 is no interface (it means "all" to a dump) */
	char internal[65];
	snprintf(internal, sizeof(internal), "%.*s", (int)sizeof(ev.name), ev.name);
	struct st_if *e = st_find_index(ev.sw_if_index);
	if (e && strcmp(e->internal, internal) != 0) {
		e->present = false; /* the index was reused: the old one is gone */
		e = NULL;
	}
	if (ev.event == 1) { /* delete */
		if (e)
			e->present = false;
	} else {
		if (!e) {
			/* named (the key) when the flush looks it up */
			char tmp[ST_NAME_SIZE];
			snprintf(tmp, sizeof(tmp), "\x01new %u", ev.sw_if_index);
			if (!(e = st_add(tmp)))
				return;
			snprintf(e->internal, sizeof(e->internal), "%s", internal);
			e->sw_if_index = ev.sw_if_index;
			e->present = e->need_name = true;
		}
		if (ev.event == 0 || e->admin_up != ev.admin_up || e->link_up != ev.link_up)
			e->last_change = (int64_t)time(NULL);
		e->admin_up = ev.admin_up;
		e->link_up = ev.link_up;
		memcpy(e->mac, ev.mac, 6);
		e->mtu = ev.mtu;
		e->dirty = true;
	}
	st_gc();
	st_schedule_flush();
	if (A.synced)
		st_drift_soon();
}

/* ---- the agent's hooks ---- */

int
agent_status_set_interval(const char *arg)
{
	char *end;
	double s = strtod(arg, &end);
	if (end == arg || *end || !(s >= 0) || s > 86400)
		return -EINVAL;
	S.interval_ms = (uint64_t)(s * 1000 + 0.5);
	S.enabled = S.interval_ms > 0;
	return 0;
}

int
agent_status_init(void)
{
	const char *iv = getenv("LIG_AGENT_STATUS_INTERVAL");
	if (iv && *iv && agent_status_set_interval(iv) < 0)
		agent_log("status: LIG_AGENT_STATUS_INTERVAL=%s is not a number of seconds", iv);
	if (getenv("DISABLE_STATUS_PUBLISHING") && *getenv("DISABLE_STATUS_PUBLISHING"))
		S.enabled = false; /* vpp-agent's switches */
	if (getenv("DISABLE_INTERFACE_STATS") && *getenv("DISABLE_INTERFACE_STATS"))
		S.counters = false;
	snprintf(st_prefix, sizeof(st_prefix), LIG_MODEL_KEY_ROOT "%s/%s", A.label,
		 LIG_MODEL_VPP_IF_STATUS_PREFIX);
	S.poll_timer = cninfra_loop_timer(A.loop, 0, 0, poll_fire, NULL);
	S.flush_timer = cninfra_loop_timer(A.loop, 0, 0, flush_fire, NULL);
	S.drift_timer = cninfra_loop_timer(A.loop, 0, 0, drift_fire, NULL);
	if (!S.poll_timer || !S.flush_timer || !S.drift_timer)
		return -ENOMEM;
	cninfra_timer_set(S.poll_timer, 0, 0);
	cninfra_timer_set(S.flush_timer, 0, 0);
	cninfra_timer_set(S.drift_timer, 0, 0);
	if (S.enabled)
		agent_log("status: publishing interface state under %s (counters %s)", st_prefix,
			  S.counters ? "polled" : "off");
	return 0;
}

/* ligd connected: subscribe to its interface events, then a full refresh. Events also drive the
 * drift check, so they are wanted even when nothing is published. */
void
agent_status_connected(void)
{
	lig_api_set_event_cb(A.api, st_on_event, NULL);
	int rc = lig_api_want_events(A.api, LIG_API_ID_interface_event, true);
	if (rc < 0) {
		agent_api_rc(rc, "want_events interface_event", NULL, NULL);
		agent_log("status: no interface events from ligd (%s)", lig_api_last_error(A.api));
		return;
	}
	S.refreshed = false;
	S.flush_at = 0;
	cninfra_timer_set(S.flush_timer, 0, 0);
	st_arm(S.poll_timer, 1); /* the refresh also serves the drift check */
}

/* ligd went away: nothing is written until it is back (then a full refresh). */
void
agent_status_disconnected(void)
{
	/* Indexes die with ligd: the refresh matches the interfaces again by name. */
	for (size_t k = 0; k < S.n; k++)
		S.ifs[k]->sw_if_index = ~0u;
	S.refreshed = false;
	S.flush_at = 0;
	cninfra_timer_set(S.poll_timer, 0, 0);
	cninfra_timer_set(S.flush_timer, 0, 0);
	cninfra_timer_set(S.drift_timer, 0, 0);
}

/* After calls to ligd: events read with a reply wait in the client's buffer, where epoll does
 * not see them. */
void
agent_status_after_calls(void)
{
	if (A.api && !A.lost_api && lig_api_poll_events(A.api, 0) < 0)
		A.lost_api = true;
}

void
agent_status_free(void)
{
	if (S.n_txns || S.n_events)
		agent_log("status: %llu events, %llu puts, %llu deletes in %llu transactions (%llu "
			  "failed), %llu ms max, %llu ms total; %llu drift resyncs",
			  (unsigned long long)S.n_events, (unsigned long long)S.n_puts,
			  (unsigned long long)S.n_dels, (unsigned long long)S.n_txns,
			  (unsigned long long)S.n_fail, (unsigned long long)S.max_txn_ms,
			  (unsigned long long)S.sum_txn_ms, (unsigned long long)S.n_drift);
	cninfra_timer_free(S.poll_timer);
	cninfra_timer_free(S.flush_timer);
	cninfra_timer_free(S.drift_timer);
	S.poll_timer = S.flush_timer = S.drift_timer = NULL;
	while (S.n)
		st_remove(S.n - 1);
	free(S.ifs);
	S.ifs = NULL;
	S.cap = 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent northbound: one desired-state map (A.items, with a hash index) that every source
 * feeds: the store (etcd or embedded, through datasync), the --config-file file (source_file.c)
 * and REST (rest_config.c). Each key keeps every source's value; the desired value is the one of
 * the highest source (REST > store > file). A change of a desired value joins the batch of the
 * current loop turn, committed as one scheduler transaction; the store's initial list (and every
 * relist) and each ligd (re)connection is a full resync of the whole map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "etcd_conf.h"

/* ---- the map ---- */

/* Open addressing over A.items: slot holds index + 1, 0 is empty. */
static uint32_t *idx;
static size_t idx_cap; /* a power of two, at least twice A.n_items */

static uint64_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

static int
idx_grow(void)
{
	size_t cap = idx_cap ? idx_cap * 2 : 64;
	uint32_t *n = calloc(cap, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (size_t k = 0; k < A.n_items; k++) {
		size_t i = hash_key(A.items[k].key) & (cap - 1);
		while (n[i])
			i = (i + 1) & (cap - 1);
		n[i] = (uint32_t)k + 1;
	}
	free(idx);
	idx = n;
	idx_cap = cap;
	return 0;
}

/* The slot of key, or of the empty place where it would go. */
static size_t
idx_slot(const char *key)
{
	size_t i = hash_key(key) & (idx_cap - 1);
	while (idx[i] && strcmp(A.items[idx[i] - 1].key, key) != 0)
		i = (i + 1) & (idx_cap - 1);
	return i;
}

/* Empties slot i, moving later entries of the probe run back (no tombstones). */
static void
idx_remove_slot(size_t i)
{
	size_t mask = idx_cap - 1, j = i;
	idx[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!idx[j])
			return;
		size_t home = hash_key(A.items[idx[j] - 1].key) & mask;
		/* Can the entry at j move to the hole at i? Only if its home is not in (i, j]. */
		bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!between) {
			idx[i] = idx[j];
			idx[j] = 0;
			i = j;
		}
	}
}

struct agent_item *
agent_item_find(const char *key)
{
	if (!idx_cap)
		return NULL;
	size_t i = idx_slot(key);
	return idx[i] ? &A.items[idx[i] - 1] : NULL;
}

static void
item_release(struct agent_item *it)
{
	free(it->key);
	for (int s = 0; s < AGENT_SRC_N; s++)
		free(it->src_value[s]);
	memset(it, 0, sizeof(*it));
}

void
agent_items_clear(void)
{
	for (size_t k = 0; k < A.n_items; k++)
		item_release(&A.items[k]);
	A.n_items = 0;
	free(idx);
	idx = NULL;
	idx_cap = 0;
}

static struct agent_item *
item_add(const char *key)
{
	if ((A.n_items + 1) * 2 > idx_cap && idx_grow() < 0)
		return NULL;
	if (A.n_items == A.cap_items) {
		size_t cap = A.cap_items ? A.cap_items * 2 : 64;
		void *p = realloc(A.items, cap * sizeof(*A.items));
		if (!p)
			return NULL;
		A.items = p;
		A.cap_items = cap;
	}
	struct agent_item *it = &A.items[A.n_items];
	memset(it, 0, sizeof(*it));
	it->key = strdup(key);
	if (!it->key)
		return NULL;
	idx[idx_slot(key)] = (uint32_t)A.n_items + 1;
	A.n_items++;
	return it;
}

/* Removes it (no source has it any more); the last item takes its place. */
static void
item_remove(struct agent_item *it)
{
	size_t k = (size_t)(it - A.items), last = A.n_items - 1;
	idx_remove_slot(idx_slot(it->key));
	item_release(it);
	if (k != last) {
		size_t s = idx_slot(A.items[last].key);
		A.items[k] = A.items[last];
		idx[s] = (uint32_t)k + 1;
	}
	A.n_items--;
}

const char *
agent_source_name(enum agent_source src)
{
	static const char *const names[AGENT_SRC_N] = {"file", "store", "rest"};
	return (unsigned)src < AGENT_SRC_N ? names[src] : "?";
}

/* ---- batches ---- */

static bool commit_posted; /* commit_posted_fire is queued on the loop */

static void
commit_posted_fire(void *arg)
{
	(void)arg;
	commit_posted = false;
	if (A.sched) /* NULL: the agent is stopping (cninfra_loop_free runs what is posted) */
		agent_commit_now(NULL);
}

/* The transaction of this loop turn's changes (created on first use). It is committed once the
 * loop has handled what is ready now (a callback posted to the loop runs after them), not after
 * a timer: a 1 ms timer was most of a single change's latency. The timer stays as the fallback
 * when the post cannot be queued. */
static struct lig_sched_txn *
batch(void)
{
	if (!A.batch) {
		A.batch = lig_sched_txn_new(A.sched);
		if (!A.batch)
			return NULL;
		lig_sched_txn_describe(A.batch, "northbound change");
		if (!commit_posted && cninfra_loop_post(A.loop, commit_posted_fire, NULL) == 0)
			commit_posted = true;
		if (!commit_posted) {
			cninfra_timer_set(A.batch_timer, 0, 0);
			cninfra_timer_set(A.batch_timer, 1, 0);
		}
	}
	return A.batch;
}

/* Source src's value of key becomes v (n bytes) or, v NULL, goes. The desired value is then
 * the highest source's; when its bytes change the change joins the batch, and a key no source
 * has any more is deleted. */
int
agent_source_set(enum agent_source src, const char *key, const char *v, size_t n)
{
	struct agent_item *it = agent_item_find(key);
	char *c = NULL;
	size_t cs = 0;
	if (v && !(c = agent_canonical(key, v, n, &cs)))
		return -ENOMEM;
	if (!it) {
		if (!c)
			return 0;
		if (!(it = item_add(key))) {
			free(c);
			return -ENOMEM;
		}
	}
	if (c)
		it->stale &= (uint8_t) ~(1u << src);
	char *prev = it->src_value[src];
	if (!c && !prev)
		return 0;
	if (c && prev && it->src_size[src] == cs && !memcmp(prev, c, cs)) {
		free(c);
		return 0;
	}
	/* The previous desired bytes (perhaps prev) stay alive until compared. */
	const char *old = it->value;
	size_t old_size = it->size;
	it->src_value[src] = c;
	it->src_size[src] = cs;
	int top = -1;
	for (int s = AGENT_SRC_N - 1; s >= 0 && top < 0; s--)
		if (it->src_value[s])
			top = s;
	if (top < 0) {
		char *gone = strdup(it->key);
		item_remove(it);
		if (A.synced && gone)
			agent_plugins_desired_changed(gone);
		if (A.synced && gone && batch())
			lig_sched_txn_delete(A.batch, gone);
		free(gone);
		free(prev);
		return gone ? 0 : -ENOMEM;
	}
	it->src = (enum agent_source)top;
	it->value = it->src_value[top];
	it->size = it->src_size[top];
	bool same = old && old_size == it->size && !memcmp(old, it->value, it->size);
	if (A.synced && !same)
		agent_plugins_desired_changed(it->key);
	if (A.synced && !same && batch())
		lig_sched_txn_set(A.batch, it->key, it->value, it->size);
	free(prev);
	return 0;
}

void
agent_source_reload_begin(enum agent_source src)
{
	for (size_t k = 0; k < A.n_items; k++)
		if (A.items[k].src_value[src])
			A.items[k].stale |= (uint8_t)(1u << src);
}

void
agent_source_reload_end(enum agent_source src)
{
	/* Removing swaps the last item in: walk backwards so nothing is skipped. */
	for (size_t k = A.n_items; k-- > 0;) {
		if (k >= A.n_items)
			continue;
		struct agent_item *it = &A.items[k];
		if (it->stale & (1u << src)) {
			it->stale &= (uint8_t) ~(1u << src);
			char *key = strdup(it->key);
			if (key)
				agent_source_set(src, key, NULL, 0);
			free(key);
		}
	}
}

/* Full resync: the whole desired state against what ligd has. */
void
agent_full_resync(const char *why)
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
	agent_log("resync (%s): %zu values, transaction %llu", why, A.n_items,
		  (unsigned long long)seq);
}

void
agent_after_txn(void)
{
	agent_status_after_calls();
	if (A.lost_api)
		agent_api_lost();
}

void
agent_batch_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	agent_commit_now(NULL);
}

int
agent_commit_now(uint64_t *seq)
{
	cninfra_timer_set(A.batch_timer, 0, 0);
	if (!A.batch)
		return A.synced ? 0 : -EAGAIN;
	struct lig_sched_txn *txn = A.batch;
	A.batch = NULL;
	int rc = 0;
	if (A.need_resync) {
		lig_sched_txn_free(txn);
		agent_full_resync("ligd connected");
		rc = -EAGAIN;
	} else {
		rc = lig_sched_txn_commit(txn, seq);
	}
	agent_after_txn();
	return rc;
}

/* ---- the store ---- */

static unsigned store_retry_ms; /* datasync's listing retry (etcd.conf reconnect-interval) */

void
agent_on_datasync(const struct cninfra_datasync_event *ev, void *arg)
{
	(void)arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		/* Not synced while the map is rebuilt: the full resync below covers every change.
		 */
		A.synced = false;
		lig_sched_txn_free(A.batch);
		A.batch = NULL;
		agent_source_reload_begin(AGENT_SRC_STORE);
		for (size_t k = 0; k < ev->list->count; k++) {
			const struct cninfra_kv_pair *p = &ev->list->pairs[k];
			agent_source_set(AGENT_SRC_STORE, p->key, p->value, p->value_size);
		}
		agent_source_reload_end(AGENT_SRC_STORE);
		A.synced = true;
		agent_plugins_desired_changed(NULL);
		agent_full_resync("store (re)listed");
		agent_after_txn();
		return;
	}
	if (!A.synced)
		return;
	const struct cninfra_kv_event *e = ev->ev;
	if (e->type == CNINFRA_KV_PUT)
		agent_source_set(AGENT_SRC_STORE, e->kv->key, e->kv->value, e->kv->value_size);
	else if (e->type == CNINFRA_KV_DELETE)
		agent_source_set(AGENT_SRC_STORE, e->kv->key, NULL, 0);
}

int
agent_key_full(const char *key, char *buf, size_t n, char *err, size_t err_n)
{
	size_t rl = strlen(LIG_MODEL_KEY_ROOT);
	if (!strncmp(key, "config/", 7)) {
		if ((size_t)snprintf(buf, n, LIG_MODEL_KEY_ROOT "%s/%s", A.label, key) >= n)
			goto too_long;
		return 0;
	}
	if (!strncmp(key, LIG_MODEL_KEY_ROOT, rl)) {
		if (strncmp(key, A.prefix, strlen(A.prefix)) != 0) {
			snprintf(err, err_n,
				 "%.200s: not under %s (another microservice label, or not a "
				 "configuration key)",
				 key, A.prefix);
			return -EINVAL;
		}
		if ((size_t)snprintf(buf, n, "%s", key) >= n)
			goto too_long;
		return 0;
	}
	snprintf(err, err_n, "%.200s: a key is config/... or %s<label>/config/...", key,
		 LIG_MODEL_KEY_ROOT);
	return -EINVAL;
too_long:
	snprintf(err, err_n, "%.100s...: key too long", key);
	return -EINVAL;
}

int
agent_store_open(const char *etcd_config, const char *state_dir)
{
	struct agent_etcd_conf ec;
	char endpoint[1024];
	A.kv = agent_etcd_store_open(A.loop, "lig-agent", etcd_config, state_dir, agent_log, &ec,
				     endpoint, sizeof(endpoint));
	if (!A.kv) {
		agent_etcd_conf_free(&ec);
		return -1;
	}
	store_retry_ms = etcd_config ? ec.reconnect_interval_ms : 1000;
	agent_log("store %s (%s)%s%s", endpoint, cninfra_kv_backend(A.kv), ec.tls ? ", TLS" : "",
		  ec.tls && ec.cert_file ? " with a client certificate" : "");
	int ret = 0;
	if (etcd_config && !ec.allow_delayed_start) {
		/* vpp-agent does not start without its etcd unless allow-delayed-start is set. One
		 * key is read (the prefix itself, normally absent: -ENOENT means etcd answered),
		 * not the whole configuration, which datasync lists next anyway. */
		struct cninfra_kv_pair *p = NULL;
		int rc = cninfra_kv_get(A.kv, A.prefix, &p);
		cninfra_kv_pair_free(p);
		if (rc == -ENOENT)
			rc = 0;
		if (rc < 0) {
			fprintf(stderr,
				"lig-agent: %s: etcd unreachable at %s: %s%s%s (the kv log lines "
				"above say why; allow-delayed-start: true waits for it instead)\n",
				etcd_config, endpoint, strerror(-rc),
				ec.tls ? "; TLS is on: check ca-file, cert-file and key-file" : "",
				ec.tls && !ec.cert_file
				    ? " (no client certificate is given: members started with "
				      "--client-cert-auth refuse the connection)"
				    : "");
			ret = -1;
		}
	}
	agent_etcd_conf_free(&ec);
	return ret;
}

int
agent_store_watch(void)
{
	A.ds = cninfra_datasync_new(A.kv, A.prefix, store_retry_ms ? store_retry_ms : 1000,
				    agent_on_datasync, NULL);
	if (!A.ds) {
		fprintf(stderr, "lig-agent: watch %s: %s\n", A.prefix, strerror(errno));
		return -1;
	}
	return 0;
}

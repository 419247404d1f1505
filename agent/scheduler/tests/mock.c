// SPDX-License-Identifier: Apache-2.0
// The in-memory device and the mock descriptors of the scheduler tests (see mock.h).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

void
dev_init(struct device *d, size_t buckets)
{
	memset(d, 0, sizeof(*d));
	d->n_buckets = buckets ? buckets : 64;
	d->buckets = calloc(d->n_buckets, sizeof(*d->buckets));
}

static void
entry_free(struct dev_entry *e)
{
	free(e->key);
	free(e->value);
	free(e);
}

void
dev_free(struct device *d)
{
	for (size_t i = 0; i < d->n_buckets; i++) {
		while (d->buckets[i]) {
			struct dev_entry *e = d->buckets[i];
			d->buckets[i] = e->next;
			entry_free(e);
		}
	}
	free(d->buckets);
	dev_log_clear(d);
	free(d->log);
	for (size_t i = 0; i < d->n_queue; i++) {
		free(d->queue[i].key);
		free(d->queue[i].value);
	}
	free(d->queue);
	memset(d, 0, sizeof(*d));
}

struct dev_entry *
dev_find(struct device *d, const char *key)
{
	for (struct dev_entry *e = d->buckets[hash_str(key) % d->n_buckets]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

const char *
dev_get(struct device *d, const char *key)
{
	struct dev_entry *e = dev_find(d, key);
	return e ? e->value : NULL;
}

static struct dev_entry *
dev_insert(struct device *d, const char *key, const char *value, size_t size, bool obtained)
{
	struct dev_entry *e = calloc(1, sizeof(*e));
	e->key = strdup(key);
	e->value = strndup(value, size);
	e->obtained = obtained;
	size_t b = hash_str(key) % d->n_buckets;
	e->next = d->buckets[b];
	d->buckets[b] = e;
	d->n++;
	return e;
}

/* Calls fn for every device key named by a dep: or base: token of value. */
static void
value_refs(const char *value, size_t size, void (*fn)(void *ctx, const char *key), void *ctx)
{
	char *v = strndup(value, size), *save = NULL;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *k = NULL;
		if (strncmp(tok, "dep:", 4) == 0)
			k = tok + 4;
		else if (strncmp(tok, "base:", 5) == 0)
			k = tok + 5;
		if (k && (strncmp(k, "t/", 2) == 0 || strncmp(k, "d/", 2) == 0 ||
			  strncmp(k, "n/", 2) == 0))
			fn(ctx, k);
	}
	free(v);
}

struct refctx {
	struct device *d;
	int delta;
	const char *missing;
	char buf[128];
};

static void
ref_check(void *ctx, const char *key)
{
	struct refctx *r = ctx;
	if (!r->missing && !dev_find(r->d, key)) {
		snprintf(r->buf, sizeof(r->buf), "%s", key);
		r->missing = r->buf;
	}
}

static void
ref_adjust(void *ctx, const char *key)
{
	struct refctx *r = ctx;
	struct dev_entry *e = dev_find(r->d, key);
	if (e)
		e->refs += r->delta;
}

void
dev_put(struct device *d, const char *key, const char *value, bool obtained)
{
	dev_del(d, key);
	dev_insert(d, key, value, strlen(value), obtained);
	struct refctx r = {.d = d, .delta = 1};
	value_refs(value, strlen(value), ref_adjust, &r);
}

void
dev_del(struct device *d, const char *key)
{
	struct dev_entry **pp = &d->buckets[hash_str(key) % d->n_buckets];
	for (; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->key, key) == 0) {
			struct dev_entry *e = *pp;
			*pp = e->next;
			struct refctx r = {.d = d, .delta = -1};
			value_refs(e->value, strlen(e->value), ref_adjust, &r);
			entry_free(e);
			d->n--;
			return;
		}
	}
}

void
dev_fail(struct device *d, const char *key, int op, int count, int error)
{
	size_t max = sizeof(d->fails) / sizeof(d->fails[0]);
	if (d->n_fails == max) { /* drop spent ones */
		size_t w = 0;
		for (size_t i = 0; i < d->n_fails; i++)
			if (d->fails[i].count)
				d->fails[w++] = d->fails[i];
		d->n_fails = w;
		if (w == max)
			return;
	}
	struct dev_fail *f = &d->fails[d->n_fails++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->op = op;
	f->count = count;
	f->error = error;
}

void
dev_log_clear(struct device *d)
{
	for (size_t i = 0; i < d->n_log; i++)
		free(d->log[i]);
	d->n_log = 0;
}

static void
dev_log(struct device *d, const char *op, const char *key)
{
	if (!d->log_on)
		return;
	if (d->n_log == d->cap_log) {
		d->cap_log = d->cap_log ? d->cap_log * 2 : 64;
		d->log = realloc(d->log, d->cap_log * sizeof(*d->log));
	}
	char *line;
	if (asprintf(&line, "%s %s", op, key) >= 0)
		d->log[d->n_log++] = line;
}

int
dev_log_index(struct device *d, const char *op, const char *key)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s %s", op, key);
	for (size_t i = 0; i < d->n_log; i++)
		if (strcmp(d->log[i], buf) == 0)
			return (int)i;
	return -1;
}

static const char *
op_word(int op)
{
	return op == LIG_SCHED_OP_CREATE   ? "create"
	       : op == LIG_SCHED_OP_UPDATE ? "update"
					   : "delete";
}

/* Injected failures; returns 0 or the error to fail with. */
static int
dev_injected(struct device *d, const char *key, int op, struct lig_sched_err *err)
{
	d->calls++;
	if (d->clock)
		*d->clock += d->op_cost_ns;
	if (d->fail_all) {
		d->failures++;
		lig_sched_err_set(err, "device down (%s %s)", op_word(op), key);
		return d->fail_all;
	}
	for (size_t i = 0; i < d->n_fails; i++) {
		struct dev_fail *f = &d->fails[i];
		if (f->count && (!f->op || f->op == op) && strcmp(f->key, key) == 0) {
			f->count--;
			d->failures++;
			lig_sched_err_set(err, "injected failure: %s %s", op_word(op), key);
			return f->error;
		}
	}
	return 0;
}

static int
violation(struct device *d, struct lig_sched_err *err, int rc, const char *fmt, const char *a,
	  const char *b)
{
	d->violations++;
	snprintf(d->last_violation, sizeof(d->last_violation), fmt, a, b);
	lig_sched_err_set(err, "%s", d->last_violation);
	return rc;
}

/* ---- descriptor callbacks ---- */

static int
m_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	char *v = strndup(value, size), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "bad") == 0) {
			lig_sched_err_set(err, "%s: payload is bad", key);
			lig_sched_err_field(err, "payload");
			rc = -EINVAL;
		}
	}
	free(v);
	return rc;
}

/* A create in the device, with its checks (err may be NULL). */
static int
dev_create(struct device *d, const char *key, const void *value, size_t size,
	   struct lig_sched_err *err)
{
	int rc = dev_injected(d, key, LIG_SCHED_OP_CREATE, err);
	if (rc)
		return rc;
	if (dev_find(d, key))
		return violation(d, err, -EEXIST, "create %s: already exists%s", key, "");
	struct refctx r = {.d = d};
	value_refs(value, size, ref_check, &r);
	if (r.missing)
		return violation(d, err, -EPROTO, "create %s: dependency %s missing in the device",
				 key, r.missing);
	dev_insert(d, key, value, size, false);
	r.delta = 1;
	value_refs(value, size, ref_adjust, &r);
	d->creates++;
	dev_log(d, "create", key);
	return 0;
}

static int
m_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	 struct lig_sched_err *err)
{
	struct device *d = ctx;
	int rc = 0;
	if (d->queue_creates) {
		if (d->n_queue == d->cap_queue) {
			d->cap_queue = d->cap_queue ? d->cap_queue * 2 : 16;
			d->queue = realloc(d->queue, d->cap_queue * sizeof(*d->queue));
		}
		d->queue[d->n_queue++] = (struct dev_queued){
		    .key = strdup(key), .value = strndup(value, size), .size = size};
		rc = LIG_SCHED_QUEUED;
	} else {
		rc = dev_create(d, key, value, size, err);
		if (rc)
			return rc;
	}
	int *m = malloc(sizeof(*m));
	*m = ++d->metadata_counter;
	*md = m;
	return rc;
}

/* The n/ descriptor never queues (it has no flush). */
static int
m_create_now(void *ctx, const char *key, const void *value, size_t size, void **md,
	     struct lig_sched_err *err)
{
	struct device *d = ctx;
	int rc = dev_create(d, key, value, size, err);
	if (rc)
		return rc;
	int *m = malloc(sizeof(*m));
	*m = ++d->metadata_counter;
	*md = m;
	return 0;
}

/* Applies the queued creates in order, as the device would have applied them one by one. */
static int
m_flush(void *ctx, struct lig_sched_flush *f)
{
	struct device *d = ctx;
	if (lig_sched_flush_count(f) != d->n_queue)
		abort(); /* the scheduler and the descriptor disagree on what is queued */
	if (d->n_queue) {
		d->flushes++;
		if (d->n_queue > d->max_queued)
			d->max_queued = d->n_queue;
	}
	for (size_t i = 0; i < d->n_queue; i++) {
		struct dev_queued *q = &d->queue[i];
		int rc = dev_create(d, q->key, q->value, q->size, NULL);
		lig_sched_flush_result(f, i, rc, rc ? "flushed create of %s failed" : NULL, q->key);
		free(q->key);
		free(q->value);
	}
	d->n_queue = 0;
	return 0;
}

static int
m_update(void *ctx, const char *key, const void *old_value, size_t old_size, const void *new_value,
	 size_t new_size, void **md, struct lig_sched_err *err)
{
	(void)old_value;
	(void)old_size;
	(void)md;
	struct device *d = ctx;
	int rc = dev_injected(d, key, LIG_SCHED_OP_UPDATE, err);
	if (rc)
		return rc;
	struct dev_entry *e = dev_find(d, key);
	if (!e)
		return violation(d, err, -ENOENT, "update %s: not in the device%s", key, "");
	struct refctx r = {.d = d};
	value_refs(new_value, new_size, ref_check, &r);
	if (r.missing)
		return violation(d, err, -EPROTO, "update %s: dependency %s missing in the device",
				 key, r.missing);
	r.delta = 1;
	value_refs(new_value, new_size, ref_adjust, &r);
	r.delta = -1;
	value_refs(e->value, strlen(e->value), ref_adjust, &r);
	free(e->value);
	e->value = strndup(new_value, new_size);
	d->updates++;
	dev_log(d, "update", key);
	return 0;
}

static int
m_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	 struct lig_sched_err *err)
{
	(void)value;
	(void)size;
	struct device *d = ctx;
	if (!md && strncmp(key, "d/", 2) != 0)
		return violation(d, err, -EINVAL, "delete %s: no metadata%s", key, "");
	int rc = dev_injected(d, key, LIG_SCHED_OP_DELETE, err);
	if (rc)
		return rc;
	struct dev_entry *e = dev_find(d, key);
	if (!e)
		return violation(d, err, -ENOENT, "delete %s: not in the device%s", key, "");
	if (e->refs > 0)
		return violation(d, err, -EBUSY, "delete %s: still needed by others%s", key, "");
	dev_del(d, key);
	d->deletes++;
	dev_log(d, "delete", key);
	return 0;
}

static bool
m_recreate(void *ctx, const char *key, const void *old_value, size_t old_size,
	   const void *new_value, size_t new_size, void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	return old_size && new_size && ((const char *)old_value)[0] != ((const char *)new_value)[0];
}

static void
m_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	char *v = strndup(value, size), *save = NULL;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "dep:", 4) == 0)
			lig_sched_dep_key(deps, NULL, tok + 4);
		else if (strncmp(tok, "any:", 4) == 0)
			lig_sched_dep_any(deps, NULL, tok + 4, NULL, NULL);
	}
	free(v);
}

static void
m_derived(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_derived *out)
{
	(void)ctx;
	char *v = strndup(value, size), *save = NULL;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "der:", 4) != 0)
			continue;
		char *eq = strchr(tok + 4, '=');
		if (!eq)
			continue;
		*eq = 0;
		char text[512];
		char *plus = strchr(eq + 1, '+');
		if (plus)
			*plus = 0;
		int len = snprintf(text, sizeof(text), "%s base:%s", eq + 1, key);
		while (plus) {
			char *dep = plus + 1;
			plus = strchr(dep, '+');
			if (plus)
				*plus = 0;
			len += snprintf(text + len, sizeof(text) - (size_t)len, " dep:%s", dep);
		}
		lig_sched_derive(out, tok + 4, text, (size_t)len);
	}
	free(v);
}

/* What the device knows of derived values: each d/ entry names its base (base: token). */
struct der_ref {
	char *base;
	char *token; /* "der:<key>=<payload>[+<dep>...]" rebuilt from the entry */
};

static int
cmp_der(const void *a, const void *b)
{
	return strcmp(((const struct der_ref *)a)->base, ((const struct der_ref *)b)->base);
}

static size_t
collect_derived(struct device *d, struct der_ref **out)
{
	size_t n = 0, cap = 0;
	struct der_ref *v = NULL;
	for (size_t b = 0; b < d->n_buckets; b++) {
		for (struct dev_entry *e = d->buckets[b]; e; e = e->next) {
			if (strncmp(e->key, "d/", 2) != 0)
				continue;
			char *val = strdup(e->value), *save = NULL, *base = NULL;
			char tok[512];
			size_t len = (size_t)snprintf(tok, sizeof(tok), "der:%s=", e->key);
			bool first = true;
			for (char *t = strtok_r(val, " ", &save); t;
			     t = strtok_r(NULL, " ", &save)) {
				if (strncmp(t, "base:", 5) == 0)
					base = t + 5;
				else if (strncmp(t, "dep:", 4) == 0)
					len += (size_t)snprintf(tok + len, sizeof(tok) - len, "+%s",
								t + 4);
				else if (first)
					len +=
					    (size_t)snprintf(tok + len, sizeof(tok) - len, "%s", t);
				first = false;
			}
			if (base) {
				if (n == cap) {
					cap = cap ? cap * 2 : 16;
					v = realloc(v, cap * sizeof(*v));
				}
				v[n].base = strdup(base);
				v[n].token = strdup(tok);
				n++;
			}
			free(val);
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_der);
	*out = v;
	return n;
}

/* The retrieved value of a base: its own attributes, and der: tokens for the derived values the
 * device really has (as a bridge domain read back lists the members it has). */
static char *
retrieved_text(const char *key, const char *value, struct der_ref *refs, size_t n_refs)
{
	char stripped[1024];
	mock_strip_derived(value, strlen(value), stripped, sizeof(stripped));
	size_t cap = strlen(stripped) + 1;
	size_t lo = 0, hi = n_refs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(refs[mid].base, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t first = lo;
	for (size_t i = first; i < n_refs && strcmp(refs[i].base, key) == 0; i++)
		cap += strlen(refs[i].token) + 1;
	char *out = malloc(cap);
	strcpy(out, stripped);
	for (size_t i = first; i < n_refs && strcmp(refs[i].base, key) == 0; i++) {
		strcat(out, " ");
		strcat(out, refs[i].token);
	}
	return out;
}

static int
m_retrieve_prefix(struct device *d, const char *prefix, const struct lig_sched_retrieved *corr,
		  struct lig_sched_retrieved *out)
{
	(void)corr;
	if (d->retrieve_fails)
		return -EIO;
	struct der_ref *refs = NULL;
	size_t n_refs = collect_derived(d, &refs);
	for (size_t b = 0; b < d->n_buckets; b++) {
		for (struct dev_entry *e = d->buckets[b]; e; e = e->next) {
			if (strncmp(e->key, prefix, strlen(prefix)) != 0)
				continue;
			char *text = retrieved_text(e->key, e->value, refs, n_refs);
			int *m = malloc(sizeof(*m));
			*m = 1000 + ++d->metadata_counter;
			enum lig_sched_origin o = e->obtained	      ? LIG_SCHED_ORIGIN_SB
						  : d->unknown_origin ? LIG_SCHED_ORIGIN_UNKNOWN
								      : LIG_SCHED_ORIGIN_NB;
			lig_sched_retrieved_add(out, e->key, text, strlen(text), o, m);
			free(text);
		}
	}
	for (size_t i = 0; i < n_refs; i++) {
		free(refs[i].base);
		free(refs[i].token);
	}
	free(refs);
	return 0;
}

static int
m_retrieve_t(void *ctx, const struct lig_sched_retrieved *corr, struct lig_sched_retrieved *out)
{
	return m_retrieve_prefix(ctx, "t/", corr, out);
}

/* The text without der:d/ tokens: derived values in the device are values of their own, so (as
 * vpp-agent's bridge domain compares without its interfaces) the base's equivalence ignores them;
 * der:p/ tokens (properties) are attributes of the base. */
void
mock_strip_derived(const char *value, size_t size, char *out, size_t out_size)
{
	char *v = strndup(value, size), *save = NULL;
	size_t len = 0;
	out[0] = 0;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "der:d/", 6) == 0)
			continue;
		len += (size_t)snprintf(out + len, out_size - len, "%s%s", len ? " " : "", tok);
		if (len >= out_size)
			break;
	}
	free(v);
}

static bool
m_equivalent(void *ctx, const char *key, const void *a, size_t a_size, const void *b, size_t b_size)
{
	(void)ctx;
	(void)key;
	char sa[1024], sb[1024];
	mock_strip_derived(a, a_size, sa, sizeof(sa));
	mock_strip_derived(b, b_size, sb, sizeof(sb));
	return strcmp(sa, sb) == 0;
}

static bool
m_retriable(void *ctx, const char *key, int error)
{
	(void)ctx;
	(void)key;
	return error != -EPERM && error != -EPROTO;
}

static void
m_free_md(void *ctx, void *md)
{
	(void)ctx;
	free(md);
}

void
mock_register(struct lig_sched *s, struct device *d)
{
	static const char *const after_nothing[] = {NULL};
	struct lig_sched_descriptor t = {
	    .name = "test",
	    .key_prefix = "t/",
	    .ctx = d,
	    .validate = m_validate,
	    .create = m_create,
	    .update = m_update,
	    .update_needs_recreate = m_recreate,
	    .delete = m_delete,
	    .equivalent = m_equivalent,
	    .dependencies = m_deps,
	    .derived_values = m_derived,
	    .retrieve = m_retrieve_t,
	    .retrieve_after = after_nothing,
	    .is_retriable = m_retriable,
	    .free_metadata = m_free_md,
	};
	struct lig_sched_descriptor dd = {
	    .name = "derived",
	    .key_prefix = "d/",
	    .ctx = d,
	    .validate = m_validate,
	    .create = m_create,
	    .update = m_update,
	    .delete = m_delete,
	    .dependencies = m_deps,
	    .is_retriable = m_retriable,
	    .free_metadata = m_free_md,
	};
	struct lig_sched_descriptor n = {
	    .name = "noretrieve",
	    .key_prefix = "n/",
	    .ctx = d,
	    .create = m_create_now,
	    .update = m_update,
	    .delete = m_delete,
	    .dependencies = m_deps,
	    .free_metadata = m_free_md,
	};
	if (d->queue_creates) {
		t.flush = m_flush;
		dd.flush = m_flush;
	}
	if (lig_sched_register(s, &t) || lig_sched_register(s, &dd) || lig_sched_register(s, &n))
		abort();
}

int
mock_parse_deps(const char *value, size_t size, char deps[][128], int max)
{
	char *v = strndup(value, size), *save = NULL;
	int n = 0;
	for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (strncmp(tok, "dep:", 4) == 0 && n < max)
			snprintf(deps[n++], 128, "%s", tok + 4);
	free(v);
	return n;
}

/* ---- fake environment ---- */

static uint64_t
fake_now(void *ctx)
{
	return ((struct fake_env *)ctx)->now;
}

static void
fake_timer(void *ctx, int64_t delay)
{
	struct fake_env *env = ctx;
	env->timer_delay = delay;
	env->timer_calls++;
}

void
fake_config(struct lig_sched_config *cfg, struct fake_env *env)
{
	memset(cfg, 0, sizeof(*cfg));
	env->now = 1000000000000ull;
	env->timer_delay = -1;
	cfg->mono_ns = fake_now;
	cfg->wall_ns = fake_now;
	cfg->clock_ctx = env;
	cfg->retry_timer = fake_timer;
	cfg->retry_timer_ctx = env;
}

int
fake_run_retries(struct lig_sched *s, struct fake_env *env, int max_rounds)
{
	int rounds = 0;
	while (env->timer_delay >= 0 && rounds < max_rounds) {
		env->now += (uint64_t)env->timer_delay;
		env->timer_delay = -1;
		lig_sched_run_retries(s);
		rounds++;
	}
	return rounds;
}

/* ---- helpers ---- */

int
put(struct lig_sched *s, const char *key, const char *value, uint64_t *seq)
{
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	lig_sched_txn_set(t, key, value, strlen(value));
	return lig_sched_txn_commit(t, seq);
}

int
del(struct lig_sched *s, const char *key, uint64_t *seq)
{
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	lig_sched_txn_delete(t, key);
	return lig_sched_txn_commit(t, seq);
}

const struct lig_sched_txn_record *
last_record(struct lig_sched *s)
{
	return lig_sched_history_get(s, lig_sched_next_seq(s) - 1);
}

size_t
real_ops(const struct lig_sched_txn_record *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_ops; i++)
		if (!(r->ops[i].flags & LIG_SCHED_OPF_NOOP))
			n++;
	return n;
}

const struct lig_sched_op_record *
find_op(const struct lig_sched_txn_record *r, const char *key)
{
	for (size_t i = 0; i < r->n_ops; i++)
		if (strcmp(r->ops[i].key, key) == 0)
			return &r->ops[i];
	return NULL;
}

// SPDX-License-Identifier: Apache-2.0
// The scheduler's core: the node table, values, dependency edges, and the execution of a
// transaction (reconcile each value: create, update, re-create or delete it, or leave it PENDING
// or INVALID; removals run dependents and derived values first; creations queue the values that
// were waiting for them). No recursion over the graph: removals use an explicit post-order stack
// and creations a work stack, so chains of any length fit.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched_internal.h"

#define DEFAULT_RETRY_PERIOD_NS 1000000000ull
#define DEFAULT_RETRY_MAX_DELAY_NS 60000000000ull
#define DEFAULT_RETRY_MAX_ATTEMPTS 3
#define DEFAULT_VALUE_TEXT_MAX 1024

static const char *const state_names[LIG_SCHED_N_STATES] = {
    [LIG_SCHED_NONEXISTENT] = "NONEXISTENT",
    [LIG_SCHED_MISSING] = "MISSING",
    [LIG_SCHED_UNIMPLEMENTED] = "UNIMPLEMENTED",
    [LIG_SCHED_REMOVED] = "REMOVED",
    [LIG_SCHED_CONFIGURED] = "CONFIGURED",
    [LIG_SCHED_OBTAINED] = "OBTAINED",
    [LIG_SCHED_DISCOVERED] = "DISCOVERED",
    [LIG_SCHED_PENDING] = "PENDING",
    [LIG_SCHED_INVALID] = "INVALID",
    [LIG_SCHED_FAILED] = "FAILED",
    [LIG_SCHED_RETRYING] = "RETRYING",
};

static const char *const op_names[LIG_SCHED_N_OPS] = {
    [LIG_SCHED_OP_NONE] = "NONE",	  [LIG_SCHED_OP_CREATE] = "CREATE",
    [LIG_SCHED_OP_UPDATE] = "UPDATE",	  [LIG_SCHED_OP_DELETE] = "DELETE",
    [LIG_SCHED_OP_RECREATE] = "RECREATE",
};

static const char *const trigger_names[LIG_SCHED_N_TRIGGERS] = {
    [LIG_SCHED_TRIGGER_NB] = "northbound",
    [LIG_SCHED_TRIGGER_RETRY] = "retry",
    [LIG_SCHED_TRIGGER_RESYNC] = "resync",
    [LIG_SCHED_TRIGGER_UPSTREAM_RESYNC] = "upstream-resync",
    [LIG_SCHED_TRIGGER_DOWNSTREAM_RESYNC] = "downstream-resync",
    [LIG_SCHED_TRIGGER_NOTIFICATION] = "notification",
};

const char *
lig_sched_state_name(enum lig_sched_state state)
{
	return (unsigned)state < LIG_SCHED_N_STATES ? state_names[state] : "?";
}

const char *
lig_sched_op_name(enum lig_sched_op op)
{
	return (unsigned)op < LIG_SCHED_N_OPS ? op_names[op] : "?";
}

const char *
lig_sched_trigger_name(enum lig_sched_trigger trigger)
{
	return (unsigned)trigger < LIG_SCHED_N_TRIGGERS ? trigger_names[trigger] : "?";
}

/* ---- clocks ---- */

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t
sched_mono(struct lig_sched *s)
{
	if (s->cfg.mono_ns)
		return s->cfg.mono_ns(s->cfg.clock_ctx);
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t
sched_wall(struct lig_sched *s)
{
	if (s->cfg.wall_ns)
		return s->cfg.wall_ns(s->cfg.clock_ctx);
	return clock_ns(CLOCK_REALTIME);
}

/* ---- small helpers ---- */

int
nodevec_push(struct nodevec *v, struct node *n)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct node **nv = realloc(v->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = n;
	return 0;
}

static uint64_t
hash_key(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 29;
	return h ? h : 1;
}

/* ---- descriptors ---- */

bool
key_matches(const struct sdesc *d, const char *key)
{
	if (strncmp(key, d->d.key_prefix, d->prefix_len) != 0)
		return false;
	return !d->d.key_selector || d->d.key_selector(d->d.ctx, key);
}

struct sdesc *
desc_for_key(struct lig_sched *s, const char *key)
{
	struct sdesc *best = NULL;
	for (size_t i = 0; i < s->n_descs; i++) {
		struct sdesc *d = s->descs[i];
		if ((!best || d->prefix_len > best->prefix_len) && key_matches(d, key))
			best = d;
	}
	return best;
}

int
lig_sched_register_all(struct lig_sched *s, const struct lig_sched_descriptor *d, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int rc = lig_sched_register(s, &d[k]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
lig_sched_register(struct lig_sched *s, const struct lig_sched_descriptor *d)
{
	if (!s || !d || !d->name || !*d->name || !d->key_prefix)
		return -EINVAL;
	if (!!d->dup != !!d->free_value || (d->dup && !d->equivalent))
		return -EINVAL;
	if (s->next_seq != 1 || s->n_nodes)
		return -EBUSY;
	for (size_t i = 0; i < s->n_descs; i++)
		if (strcmp(s->descs[i]->d.name, d->name) == 0)
			return -EEXIST;
	struct sdesc *sd = calloc(1, sizeof(*sd));
	struct sdesc **nv = realloc(s->descs, (s->n_descs + 1) * sizeof(*nv));
	if (!sd || !nv) {
		free(sd);
		if (nv)
			s->descs = nv;
		return -ENOMEM;
	}
	s->descs = nv;
	sd->d = *d;
	sd->prefix_len = strlen(d->key_prefix);
	sd->idx = (unsigned)s->n_descs;
	s->descs[s->n_descs++] = sd;
	return 0;
}

/* ---- values ---- */

struct sval *
sval_new(struct lig_sched *s, const struct sdesc *d, const void *value, size_t size)
{
	(void)s;
	struct sval *v;
	if (d && d->d.dup) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return NULL;
		v->data = d->d.dup(d->d.ctx, value, size);
		if (!v->data) {
			free(v);
			return NULL;
		}
		v->dup = true;
	} else {
		v = malloc(sizeof(*v) + size + 1);
		if (!v)
			return NULL;
		memset(v, 0, sizeof(*v));
		if (size)
			memcpy(v->bytes, value, size);
		v->bytes[size] = 0; /* text values read as strings by descriptors */
		v->data = v->bytes;
	}
	v->ref = 1;
	v->size = size;
	v->desc = d;
	return v;
}

struct sval *
sval_get(struct sval *v)
{
	if (v)
		v->ref++;
	return v;
}

void
sval_put(struct sval *v)
{
	if (!v || --v->ref)
		return;
	if (v->dup)
		v->desc->d.free_value(v->desc->d.ctx, v->data);
	free(v);
}

bool
sval_equiv(const struct node *n, const struct sval *a, const struct sval *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	if (n->desc && n->desc->d.equivalent)
		return n->desc->d.equivalent(n->desc->d.ctx, n->key, a->data, a->size, b->data,
					     b->size);
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* ---- node table ---- */

static int
table_grow(struct lig_sched *s)
{
	size_t n = s->n_slots ? s->n_slots * 2 : 1024;
	struct node **slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_slots; i++) {
		struct node *nd = s->slots[i];
		if (!nd)
			continue;
		size_t j = nd->hash & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = nd;
	}
	free(s->slots);
	s->slots = slots;
	s->n_slots = n;
	return 0;
}

struct node *
node_lookup(struct lig_sched *s, const char *key)
{
	if (!s->n_slots)
		return NULL;
	size_t len = strlen(key);
	uint64_t h = hash_key(key, len);
	for (size_t j = h & (s->n_slots - 1);; j = (j + 1) & (s->n_slots - 1)) {
		struct node *nd = s->slots[j];
		if (!nd)
			return NULL;
		if (nd->hash == h && nd->key_len == len && memcmp(nd->key, key, len) == 0)
			return nd;
	}
}

/* Finds or adds the node of key (NULL on allocation failure). */
struct node *
node_get(struct lig_sched *s, const char *key)
{
	struct node *nd = node_lookup(s, key);
	if (nd)
		return nd;
	if ((s->n_nodes + 1) * 10 > s->n_slots * 7 && table_grow(s) < 0)
		return NULL;
	size_t len = strlen(key);
	nd = calloc(1, sizeof(*nd) + len + 1);
	if (!nd)
		return NULL;
	memcpy(nd->key, key, len + 1);
	nd->key_len = len;
	nd->hash = hash_key(key, len);
	nd->desc = desc_for_key(s, key);
	nd->state = LIG_SCHED_NONEXISTENT;
	size_t j = nd->hash & (s->n_slots - 1);
	while (s->slots[j])
		j = (j + 1) & (s->n_slots - 1);
	s->slots[j] = nd;
	s->n_nodes++;
	return nd;
}

/* Removes a node from the table (backward-shift deletion keeps probe chains intact). */
static void
table_remove(struct lig_sched *s, struct node *nd)
{
	size_t mask = s->n_slots - 1;
	size_t i = nd->hash & mask;
	while (s->slots[i] != nd)
		i = (i + 1) & mask;
	size_t j = i;
	for (;;) {
		s->slots[i] = NULL;
		for (;;) {
			j = (j + 1) & mask;
			if (!s->slots[j])
				goto done;
			size_t k = s->slots[j]->hash & mask;
			/* move slots[j] to i unless its home k lies cyclically in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		s->slots[i] = s->slots[j];
		i = j;
	}
done:
	s->n_nodes--;
}

void
set_metadata(struct node *n, void *md)
{
	if (n->metadata && n->metadata != md && n->desc && n->desc->d.free_metadata)
		n->desc->d.free_metadata(n->desc->d.ctx, n->metadata);
	n->metadata = md;
}

static void retry_unlink(struct lig_sched *s, struct node *n);
static void deps_unlink(struct lig_sched *s, struct node *n);
static void hdeps_sync(struct lig_sched *s, struct node *n);

static void deparr_unlink(struct lig_sched *s, struct dep **arr, uint32_t *count);

static void
node_free(struct lig_sched *s, struct node *n)
{
	deps_unlink(s, n);
	deparr_unlink(s, &n->hdeps, &n->n_hdeps);
	retry_unlink(s, n);
	sval_put(n->want);
	sval_put(n->have);
	set_metadata(n, NULL);
	free(n->children);
	free(n->error);
	for (uint32_t i = 0; i < n->n_fields; i++)
		free(n->fields[i]);
	free(n->fields);
	free(n->cycle);
	free(n);
}

void
gc_queue(struct lig_sched *s, struct node *n)
{
	if (n->gc_queued)
		return;
	if (nodevec_push(&s->gc, n) == 0)
		n->gc_queued = true;
}

static bool
node_collectable(const struct node *n)
{
	return !n->want && !n->have && !n->dependents && !n->n_children && !n->base &&
	       !n->in_retry && !n->cascading && n->state != LIG_SCHED_OBTAINED;
}

static void
gc_run(struct lig_sched *s)
{
	for (size_t i = 0; i < s->gc.n; i++) {
		struct node *n = s->gc.v[i];
		n->gc_queued = false;
		if (n->in_cycle_list)
			continue; /* dropped from the cycle list first (see cycles_check) */
		if (node_collectable(n)) {
			table_remove(s, n);
			node_free(s, n);
		}
	}
	s->gc.n = 0;
}

/* ---- derived value membership ---- */

void
children_add(struct node *base, struct node *c)
{
	if (base->n_children == base->cap_children) {
		uint32_t cap = base->cap_children ? base->cap_children * 2 : 4;
		struct node **v = realloc(base->children, cap * sizeof(*v));
		if (!v)
			return; /* the child stays unlinked: treated as a standalone derived value
				 */
		base->children = v;
		base->cap_children = cap;
	}
	base->children[base->n_children++] = c;
	c->base = base;
}

void
children_del(struct node *base, struct node *c)
{
	for (uint32_t i = 0; i < base->n_children; i++) {
		if (base->children[i] == c) {
			base->children[i] = base->children[--base->n_children];
			break;
		}
	}
	c->base = NULL;
}

/* ---- dependencies ---- */

bool
dep_satisfied(const struct dep *d)
{
	if (d->key) /* a value never satisfies its own dependency */
		return d->target && d->target->available && d->target != d->owner;
	return d->count > 0;
}

static bool
node_ready(const struct node *n)
{
	/* a derived value exists only while its base does (the base may be MISSING after a
	 * refresh until the resync creates it again) */
	if (n->derived && (!n->base || !n->base->available))
		return false;
	for (uint32_t i = 0; i < n->n_deps; i++)
		if (!dep_satisfied(&n->deps[i]))
			return false;
	return true;
}

static bool
anyof_matches(const struct dep *d, const struct node *n)
{
	return n != d->owner && (!d->sel || d->sel(d->sel_ctx, n->key));
}

static void
deparr_unlink(struct lig_sched *s, struct dep **arr, uint32_t *count)
{
	for (uint32_t i = 0; i < *count; i++) {
		struct dep *d = &(*arr)[i];
		if (d->key && d->target) {
			struct node *t = d->target;
			if (d->prev)
				d->prev->next = d->next;
			else
				t->dependents = d->next;
			if (d->next)
				d->next->prev = d->prev;
			t->n_dependents--;
			gc_queue(s, t);
		} else if (d->group) {
			if (d->prev)
				d->prev->next = d->next;
			else
				d->group->head = d->next;
			if (d->next)
				d->next->prev = d->prev;
			d->group->n--;
		}
		free(d->label);
		free(d->key);
		free(d->prefix);
	}
	free(*arr);
	*arr = NULL;
	*count = 0;
}

static void
deps_unlink(struct lig_sched *s, struct node *n)
{
	deparr_unlink(s, &n->deps, &n->n_deps);
}

static struct anyof_group *
group_get(struct lig_sched *s, const char *prefix)
{
	for (struct anyof_group *g = s->groups; g; g = g->next)
		if (strcmp(g->prefix, prefix) == 0)
			return g;
	struct anyof_group *g = calloc(1, sizeof(*g));
	if (!g || !(g->prefix = strdup(prefix))) {
		free(g);
		return NULL;
	}
	g->len = strlen(prefix);
	g->next = s->groups;
	s->groups = g;
	return g;
}

static void
deps_spec_free(struct lig_sched_deps *ds)
{
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->v[i].label);
		free(ds->v[i].key);
		free(ds->v[i].prefix);
	}
	free(ds->v);
}

/* Links the dependencies of value v as edges owned by n: stale edges are those of the value in
 * the device when it differs from the desired one (key dependencies only), so that a removal
 * still finds every value the device has that needs the removed one. */
static int
deparr_link(struct lig_sched *s, struct node *n, const struct sval *v, bool stale, struct dep **arr,
	    uint32_t *count)
{
	if (!v || !n->desc || !n->desc->d.dependencies)
		return 0;
	struct lig_sched_deps ds = {0};
	n->desc->d.dependencies(n->desc->d.ctx, n->key, v->data, v->size, &ds);
	if (ds.oom || !ds.n) {
		deps_spec_free(&ds);
		return ds.oom ? -ENOMEM : 0;
	}
	*arr = calloc(ds.n, sizeof(**arr));
	if (!*arr) {
		deps_spec_free(&ds);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ds.n; i++) {
		struct dep_spec *sp = &ds.v[i];
		if (stale && !sp->key)
			continue;
		struct dep *d = &(*arr)[*count];
		d->owner = n;
		d->stale = stale;
		d->label = sp->label;
		d->key = sp->key;
		d->prefix = sp->prefix;
		d->sel = sp->sel;
		d->sel_ctx = sp->sel_ctx;
		sp->label = sp->key = sp->prefix = NULL;
		if (d->key) {
			struct node *t = node_get(s, d->key);
			if (!t)
				goto oom;
			d->target = t;
			d->next = t->dependents;
			if (t->dependents)
				t->dependents->prev = d;
			t->dependents = d;
			t->n_dependents++;
		} else {
			struct anyof_group *g = group_get(s, d->prefix);
			if (!g)
				goto oom;
			d->group = g;
			d->next = g->head;
			if (g->head)
				g->head->prev = d;
			g->head = d;
			g->n++;
			/* initial count: the keys under the prefix that exist now */
			for (size_t j = 0; j < s->n_slots; j++) {
				struct node *c = s->slots[j];
				if (c && c->available && strncmp(c->key, g->prefix, g->len) == 0 &&
				    anyof_matches(d, c))
					d->count++;
			}
		}
		(*count)++;
	}
	deps_spec_free(&ds);
	return 0;
oom:
	free((*arr)[*count].label);
	free((*arr)[*count].key);
	free((*arr)[*count].prefix);
	deps_spec_free(&ds);
	return -ENOMEM;
}

/* Recomputes the dependencies of n from its desired value and links them. */
static int
deps_link(struct lig_sched *s, struct node *n)
{
	deps_unlink(s, n);
	return deparr_link(s, n, n->want, false, &n->deps, &n->n_deps);
}

/* The stale edges follow the applied value whenever it is not the desired one. */
static void
hdeps_sync(struct lig_sched *s, struct node *n)
{
	deparr_unlink(s, &n->hdeps, &n->n_hdeps);
	if (n->have && n->have != n->want && n->state != LIG_SCHED_OBTAINED)
		deparr_link(s, n, n->have, true, &n->hdeps, &n->n_hdeps);
}

void
set_have(struct lig_sched *s, struct node *n, struct sval *v)
{
	if (n->have != v) {
		sval_put(n->have);
		n->have = v;
	} else {
		sval_put(v);
	}
	hdeps_sync(s, n);
}

void
lig_sched_dep_key(struct lig_sched_deps *ds, const char *label, const char *key)
{
	if (!ds || !key || !*key)
		return;
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 4;
		struct dep_spec *v = realloc(ds->v, cap * sizeof(*v));
		if (!v) {
			ds->oom = true;
			return;
		}
		ds->v = v;
		ds->cap = cap;
	}
	struct dep_spec *sp = &ds->v[ds->n];
	memset(sp, 0, sizeof(*sp));
	sp->label = strdup(label ? label : key);
	sp->key = strdup(key);
	if (!sp->label || !sp->key) {
		free(sp->label);
		free(sp->key);
		ds->oom = true;
		return;
	}
	ds->n++;
}

void
lig_sched_dep_any(struct lig_sched_deps *ds, const char *label, const char *prefix,
		  bool (*selector)(void *ctx, const char *key), void *selector_ctx)
{
	if (!ds || !prefix)
		return;
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 4;
		struct dep_spec *v = realloc(ds->v, cap * sizeof(*v));
		if (!v) {
			ds->oom = true;
			return;
		}
		ds->v = v;
		ds->cap = cap;
	}
	struct dep_spec *sp = &ds->v[ds->n];
	memset(sp, 0, sizeof(*sp));
	if (label)
		sp->label = strdup(label);
	else if (asprintf(&sp->label, "any of %s*", prefix) < 0)
		sp->label = NULL;
	sp->prefix = strdup(prefix);
	if (!sp->label || !sp->prefix) {
		free(sp->label);
		free(sp->prefix);
		ds->oom = true;
		return;
	}
	sp->sel = selector;
	sp->sel_ctx = selector_ctx;
	ds->n++;
}

/* Availability: the value exists and satisfies the dependencies of others. Becoming available
 * queues the values waiting for it (unless refreshing: resync reconciles everything anyway). */
void
set_available(struct exec *x, struct lig_sched *s, struct node *n, bool on)
{
	if (n->available == on)
		return;
	n->available = on;
	size_t start = x ? x->work.n : 0;
	if (on && x && !x->refreshing)
		for (struct dep *d = n->dependents; d; d = d->next)
			nodevec_push(&x->work, d->owner);
	for (struct anyof_group *g = s->groups; g; g = g->next) {
		if (strncmp(n->key, g->prefix, g->len) != 0)
			continue;
		for (struct dep *d = g->head; d; d = d->next) {
			if (!anyof_matches(d, n))
				continue;
			if (on) {
				if (d->count++ == 0 && x && !x->refreshing)
					nodevec_push(&x->work, d->owner);
			} else if (d->count) {
				d->count--;
			}
		}
	}
	/* pop order = list order */
	if (x)
		for (size_t i = start, j = x->work.n; i + 1 < j; i++, j--) {
			struct node *t = x->work.v[i];
			x->work.v[i] = x->work.v[j - 1];
			x->work.v[j - 1] = t;
		}
}

/* ---- retries ---- */

static void
retry_unlink(struct lig_sched *s, struct node *n)
{
	if (!n->in_retry)
		return;
	if (n->rprev)
		n->rprev->rnext = n->rnext;
	else
		s->retry_head = n->rnext;
	if (n->rnext)
		n->rnext->rprev = n->rprev;
	n->rprev = n->rnext = NULL;
	n->in_retry = false;
	n->retry_due = 0;
	gc_queue(s, n);
}

static void
retry_link(struct lig_sched *s, struct node *n)
{
	if (n->in_retry)
		return;
	n->rnext = s->retry_head;
	n->rprev = NULL;
	if (s->retry_head)
		s->retry_head->rprev = n;
	s->retry_head = n;
	n->in_retry = true;
}

void
set_state(struct lig_sched *s, struct node *n, enum lig_sched_state st)
{
	if (st != LIG_SCHED_RETRYING) {
		retry_unlink(s, n);
		if (st != LIG_SCHED_FAILED)
			n->retry_attempt = 0;
	}
	n->state = (uint8_t)st;
}

static void
rearm_timer(struct lig_sched *s)
{
	if (!s->cfg.retry_timer)
		return;
	uint64_t due = UINT64_MAX;
	for (struct node *n = s->retry_head; n; n = n->rnext)
		if (n->retry_due < due)
			due = n->retry_due;
	if (due == UINT64_MAX) {
		if (s->timer_armed)
			s->cfg.retry_timer(s->cfg.retry_timer_ctx, -1);
		s->timer_armed = false;
		return;
	}
	if (s->timer_armed && s->timer_due == due)
		return;
	uint64_t now = sched_mono(s);
	s->timer_armed = true;
	s->timer_due = due;
	s->cfg.retry_timer(s->cfg.retry_timer_ctx, due > now ? (int64_t)(due - now) : 0);
}

/* ---- recording ---- */

static const char *
render(struct lig_sched *s, struct exec *x, const struct node *n, const struct sval *v)
{
	if (!v)
		return NULL;
	int len = sched_render(s, n->desc, n->key, v->data, v->size, x->scratch, x->scratch_size);
	if (len < 0)
		len = 0;
	if ((size_t)len >= x->scratch_size)
		len = (int)x->scratch_size - 1;
	return rec_strdup(x->rec, x->scratch, (size_t)len);
}

static void
touch(struct exec *x, struct node *n)
{
	if (n->touch_seq != x->seq) {
		n->touch_seq = x->seq;
		nodevec_push(&x->touched, n);
	}
}

/* Records one operation on n: prev_state/prev value as given, new state/value from the node. */
static void
record_op(struct lig_sched *s, struct exec *x, struct node *n, enum lig_sched_op op, unsigned flags,
	  enum lig_sched_state prev_state, const char *prev_text, const struct sval *new_value,
	  const char *error, uint64_t duration)
{
	size_t idx;
	struct lig_sched_op_record *r = rec_op(x->rec, &idx);
	touch(x, n);
	n->last_op = (uint8_t)op;
	if (!r)
		return;
	if (n->derived)
		flags |= LIG_SCHED_OPF_DERIVED;
	if (n->derived && !n->desc)
		flags |= LIG_SCHED_OPF_PROPERTY;
	if (x->trigger == LIG_SCHED_TRIGGER_RETRY)
		flags |= LIG_SCHED_OPF_RETRY;
	/* a value first found PENDING and then created in the same transaction: one operation */
	if (n->op_seq == x->seq && !(flags & LIG_SCHED_OPF_NOOP)) {
		struct lig_sched_op_record *p = &x->rec->ops[n->op_idx];
		if ((p->flags & LIG_SCHED_OPF_NOOP) && p->op == LIG_SCHED_OP_CREATE &&
		    p->new_state == LIG_SCHED_PENDING && !x->rec->dropped[n->op_idx]) {
			x->rec->dropped[n->op_idx] = 1;
			prev_state = p->prev_state;
			if (!prev_text)
				prev_text = p->prev_value;
		}
	}
	n->op_seq = x->seq;
	n->op_idx = idx;
	r->key = rec_strdup(x->rec, n->key, n->key_len);
	r->op = op;
	r->flags = flags;
	r->prev_state = prev_state;
	r->new_state = n->state;
	r->prev_value = prev_text;
	r->new_value = render(s, x, n, new_value);
	r->error = error ? rec_strdup(x->rec, error, strlen(error)) : NULL;
	r->duration_ns = duration;
	if (error)
		x->rec->pub.errors++;
}

static void
node_set_error(struct node *n, const char *msg)
{
	free(n->error);
	n->error = msg ? strdup(msg) : NULL;
}

static void
err_init(struct lig_sched_err *e)
{
	e->set = false;
	e->msg[0] = 0;
	e->fields = NULL;
	e->n_fields = 0;
	e->oom = false;
}

static void
err_done(struct lig_sched_err *e)
{
	for (uint32_t i = 0; i < e->n_fields; i++)
		free(e->fields[i]);
	free(e->fields);
}

/* The message of a failed callback: its own, or the code's. */
static const char *
err_text(struct lig_sched_err *e, int rc)
{
	if (!e->set || !e->msg[0])
		snprintf(e->msg, sizeof(e->msg), "%s", strerror(rc < 0 ? -rc : rc));
	return e->msg;
}

void
lig_sched_err_set(struct lig_sched_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->set = true;
}

void
lig_sched_err_field(struct lig_sched_err *err, const char *field)
{
	if (!err || !field)
		return;
	char **v = realloc(err->fields, (err->n_fields + 1) * sizeof(*v));
	if (!v) {
		err->oom = true;
		return;
	}
	err->fields = v;
	if ((v[err->n_fields] = strdup(field)))
		err->n_fields++;
}

/* Marks a failed operation: RETRYING when the error is retriable and attempts remain. */
static void
mark_failed(struct lig_sched *s, struct exec *x, struct node *n, int rc, const char *msg)
{
	node_set_error(n, msg);
	n->fail_seq = x->seq;
	bool retriable = !n->desc || !n->desc->d.is_retriable ||
			 n->desc->d.is_retriable(n->desc->d.ctx, n->key, rc);
	uint32_t attempt = n->retry_now ? n->retry_attempt + 1 : 1;
	unsigned max = s->cfg.retry_max_attempts;
	if (!retriable || !s->cfg.retry_timer || attempt > max) {
		set_state(s, n, LIG_SCHED_FAILED);
		n->retry_attempt = 0;
		return;
	}
	uint64_t delay = s->cfg.retry_period_ns;
	if (!s->cfg.retry_no_backoff)
		for (uint32_t i = 1; i < attempt && delay < s->cfg.retry_max_delay_ns; i++)
			delay *= 2;
	if (delay > s->cfg.retry_max_delay_ns)
		delay = s->cfg.retry_max_delay_ns;
	if (!n->retry_now)
		n->retry_for_seq = x->seq;
	n->retry_attempt = attempt;
	n->state = LIG_SCHED_RETRYING;
	n->retry_due = sched_mono(s) + delay;
	retry_link(s, n);
}

static bool
may_call(const struct node *n)
{
	return n->desc != NULL;
}

/* ---- batching: creates queued by descriptors ---- */

static void finish_apply(struct lig_sched *s, struct exec *x, struct node *n, enum lig_sched_op op,
			 int rc, struct lig_sched_err *e, void *md, enum lig_sched_state prev_state,
			 const char *prev_text, uint64_t dur);

void
lig_sched_flush_result(struct lig_sched_flush *f, size_t i, int rc, const char *fmt, ...)
{
	if (!f || i >= f->n)
		return;
	struct qop *q = &f->q[i];
	free(q->msg);
	q->msg = NULL;
	q->rc = rc > 0 ? -EIO : rc;
	if (fmt && rc) {
		char buf[512];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		q->msg = strdup(buf);
	}
	f->set[i] = true;
}

size_t
lig_sched_flush_count(const struct lig_sched_flush *f)
{
	return f ? f->n : 0;
}

/* Has the descriptor of the queued creates complete them: their outcomes become known (they
 * are finished by settle). Nothing to do when nothing waits for a flush. */
static void
device_flush(struct lig_sched *s, struct exec *x)
{
	size_t first = x->qflushed, n = x->qn - first;
	if (!n)
		return;
	const struct sdesc *d = x->qdesc;
	bool *set = calloc(n, sizeof(*set));
	struct lig_sched_flush f = {.q = x->q + first, .n = set ? n : 0, .set = set};
	uint64_t t0 = sched_mono(s);
	int rc = d->d.flush(d->d.ctx, &f);
	uint64_t share = (sched_mono(s) - t0) / n;
	for (size_t i = 0; i < n; i++) {
		struct qop *q = &x->q[first + i];
		q->dur += share;
		if (set && set[i])
			continue;
		q->rc = rc < 0 ? rc : set ? -EIO : -ENOMEM;
		free(q->msg);
		q->msg = strdup(set ? "the descriptor's flush did not report this create"
				    : "out of memory");
	}
	free(set);
	x->qflushed = x->qn;
	x->qdesc = NULL;
}

/* Makes every queued create final: flushed, then finished one by one in the order queued (as
 * if each create had returned its outcome then). Re-entrant: finishing one may queue, flush
 * and finish others. */
static void
settle(struct lig_sched *s, struct exec *x)
{
	for (;;) {
		if (x->qnext < x->qflushed) {
			struct qop q = x->q[x->qnext++];
			struct node *n = q.node;
			n->queued = false;
			struct lig_sched_err e;
			err_init(&e);
			if (q.msg) {
				lig_sched_err_set(&e, "%s", q.msg);
				free(q.msg);
			}
			if (q.rc && q.md && n->desc->d.free_metadata) {
				n->desc->d.free_metadata(n->desc->d.ctx, q.md);
				q.md = NULL;
			}
			finish_apply(s, x, n, (enum lig_sched_op)q.op, q.rc, &e, q.md,
				     (enum lig_sched_state)q.prev_state, q.prev_text, q.dur);
			continue;
		}
		if (x->qflushed < x->qn) {
			device_flush(s, x);
			continue;
		}
		break;
	}
	x->qn = x->qflushed = x->qnext = 0;
}

/* ---- removal ---- */

static int
reason_rank(enum remove_reason r)
{
	return r == RR_BASE_GONE ? 3 : r == RR_DELETE ? 2 : r == RR_DEP_LOST ? 0 : 1;
}

/* Schedules n for removal before whatever is being removed now. A node already waiting on the
 * stack (not started) moves on top, so it goes first; its earlier frame goes stale. */
static int
rpush(struct exec *x, struct node *n, enum remove_reason reason)
{
	if (n->rentered)
		return 0; /* being removed: an ancestor of this removal */
	if (n->cascading && reason_rank(n->rreason) > reason_rank(reason))
		reason = n->rreason;
	if (x->rn == x->rcap) {
		size_t cap = x->rcap ? x->rcap * 2 : 64;
		struct rframe *v = realloc(x->rstack, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		x->rstack = v;
		x->rcap = cap;
	}
	n->rgen++;
	x->rstack[x->rn++] =
	    (struct rframe){.node = n, .reason = (uint8_t)reason, .phase = 0, .gen = n->rgen};
	n->cascading = true;
	n->rreason = (uint8_t)reason;
	return 0;
}

/* Calls the descriptor's delete for n. Returns 0 or the error (message in e). */
static int
call_delete(struct lig_sched *s, struct node *n, struct lig_sched_err *e, uint64_t *dur)
{
	(void)s;
	*dur = 0;
	if (!n->have || !may_call(n) || !n->desc->d.delete || n->state == LIG_SCHED_OBTAINED)
		return 0;
	if (s->x)
		device_flush(s, s->x);
	uint64_t t0 = sched_mono(s);
	int rc =
	    n->desc->d.delete(n->desc->d.ctx, n->key, n->have->data, n->have->size, n->metadata, e);
	*dur = sched_mono(s) - t0;
	return rc;
}

/* The second half of a removal: the device op and the new state. Returns the delete error. */
static int
finish_remove(struct lig_sched *s, struct exec *x, struct node *n, enum remove_reason reason,
	      int *rc_out, char *errbuf, size_t errsize)
{
	enum lig_sched_state prev_state = n->state;
	const char *prev_text = render(s, x, n, n->have);
	bool had = n->have != NULL;
	struct lig_sched_err e;
	err_init(&e);
	uint64_t dur;
	if (reason == RR_BASE_GONE && n->want) {
		/* no longer derived: only its removal is left (retried on failure) */
		sval_put(n->want);
		n->want = NULL;
		deps_unlink(s, n);
		hdeps_sync(s, n);
	}
	int rc = call_delete(s, n, &e, &dur);
	n->cascading = false;
	n->rentered = false;
	if (rc) {
		const char *msg = err_text(&e, rc);
		if (errbuf)
			snprintf(errbuf, errsize, "%s", msg);
		if (rc_out)
			*rc_out = rc;
		mark_failed(s, x, n, rc, msg);
		if (reason != RR_RECREATE)
			record_op(s, x, n, LIG_SCHED_OP_DELETE,
				  reason == RR_DEP_LOST ? LIG_SCHED_OPF_DEPENDENCY : 0, prev_state,
				  prev_text, NULL, msg, dur);
		err_done(&e);
		return rc;
	}
	err_done(&e);
	set_have(s, n, NULL);
	set_metadata(n, NULL);
	n->fail_seq = 0; /* a failure of this transaction was about what is gone now */
	unsigned flags =
	    had && n->desc && prev_state != LIG_SCHED_OBTAINED ? 0 : LIG_SCHED_OPF_NOOP;
	/* derived values removed with it: gone unless their delete failed */
	if (!n->derived) {
		for (uint32_t i = 0; i < n->n_children;) {
			struct node *c = n->children[i];
			if (!c->have) {
				c->base = NULL;
				n->children[i] = n->children[--n->n_children];
				gc_queue(s, c);
			} else {
				i++;
			}
		}
	}
	switch (reason) {
	case RR_RECREATE:
		return 0;
	case RR_DELETE:
	case RR_BASE_GONE:
		if (n->state != LIG_SCHED_OBTAINED)
			n->nb = n->nb && n->want;
		set_state(s, n, LIG_SCHED_REMOVED);
		node_set_error(n, NULL);
		record_op(s, x, n, LIG_SCHED_OP_DELETE, flags, prev_state, prev_text, NULL, NULL,
			  dur);
		set_state(s, n, LIG_SCHED_NONEXISTENT);
		if (n->derived && !n->want) {
			/* a derived value gone for good (its base went, or a failed delete of it
			 * was retried) */
			if (n->base) {
				gc_queue(s, n->base);
				children_del(n->base, n);
			}
			n->derived = false;
		}
		gc_queue(s, n);
		break;
	case RR_DEP_LOST:
	case RR_PENDING:
		set_state(s, n, LIG_SCHED_PENDING);
		node_set_error(n, NULL);
		/* removed for what the device had (a stale value or a failed delete): the desired
		 * value may be ready, so it is looked at again */
		nodevec_push(&x->work, n);
		record_op(s, x, n, LIG_SCHED_OP_DELETE,
			  flags | (reason == RR_DEP_LOST ? LIG_SCHED_OPF_DEPENDENCY : 0),
			  prev_state, prev_text, NULL, NULL, dur);
		break;
	case RR_INVALID:
		set_state(s, n, LIG_SCHED_INVALID);
		record_op(s, x, n, LIG_SCHED_OP_DELETE, flags, prev_state, prev_text, NULL,
			  n->error, dur);
		break;
	}
	return 0;
}

/* Removes root (and first everything that needs it: derived values, dependents that are no
 * longer satisfied), in post-order. For RR_RECREATE, returns the root's delete error. */
static int
remove_value(struct lig_sched *s, struct exec *x, struct node *root, enum remove_reason reason,
	     char *errbuf, size_t errsize)
{
	int root_rc = 0;
	size_t base = x->rn;
	/* queued creates first: what is removed may be what they need */
	if (x->qn && !base)
		settle(s, x);
	if (rpush(x, root, reason) < 0)
		return -ENOMEM;
	while (x->rn > base) {
		struct rframe *f = &x->rstack[x->rn - 1];
		struct node *n = f->node;
		if (f->gen != n->rgen) {
			x->rn--; /* moved up and done already */
			continue;
		}
		if (f->phase == 1) {
			enum remove_reason r = f->reason;
			x->rn--;
			finish_remove(s, x, n, r, n == root ? &root_rc : NULL,
				      n == root ? errbuf : NULL, errsize);
			continue;
		}
		f->phase = 1;
		n->rentered = true;
		set_available(x, s, n, false);
		size_t start = x->rn;
		if (!n->derived)
			for (uint32_t i = 0; i < n->n_children; i++)
				rpush(x, n->children[i], RR_BASE_GONE);
		for (struct dep *d = n->dependents; d; d = d->next) {
			struct node *o = d->owner;
			if (o->rentered || o->state == LIG_SCHED_OBTAINED || o == n)
				continue;
			if (d->stale) {
				/* the device has it with a value that needs n */
				if (o->have)
					rpush(x, o, o->want ? RR_DEP_LOST : RR_DELETE);
			} else if (o->have && o->have != o->want) {
				/* the device has another value: its stale edges decide */
			} else if (o->available && !node_ready(o))
				rpush(x, o, RR_DEP_LOST);
			else if (!o->available && o->have)
				/* an earlier delete of it failed: it goes first, again */
				rpush(x, o, o->want ? RR_DEP_LOST : RR_DELETE);
		}
		for (struct anyof_group *g = s->groups; g; g = g->next) {
			if (strncmp(n->key, g->prefix, g->len) != 0)
				continue;
			for (struct dep *d = g->head; d; d = d->next) {
				struct node *o = d->owner;
				if (!d->count && o->available && !o->rentered && !node_ready(o))
					rpush(x, o, RR_DEP_LOST);
			}
		}
		/* process in list order */
		for (size_t i = start, j = x->rn; i + 1 < j; i++, j--) {
			struct rframe t = x->rstack[i];
			x->rstack[i] = x->rstack[j - 1];
			x->rstack[j - 1] = t;
		}
	}
	return root_rc;
}

/* ---- creation, update ---- */

static void sync_derived(struct lig_sched *s, struct exec *x, struct node *base);
static void sync_child(struct lig_sched *s, struct exec *x, struct node *c);
static void reconcile(struct lig_sched *s, struct exec *x, struct node *n);

/* After a successful create/update: the value is what the device has. */
static void
applied(struct lig_sched *s, struct exec *x, struct node *n)
{
	node_set_error(n, NULL);
	n->nb = true;
	set_state(s, n, LIG_SCHED_CONFIGURED);
	set_have(s, n, sval_get(n->want));
	set_available(x, s, n, true);
}

/* What follows a descriptor's create or update: FAILED (or RETRYING) with its reason, or
 * CONFIGURED with its metadata and derived values; recorded either way. */
static void
finish_apply(struct lig_sched *s, struct exec *x, struct node *n, enum lig_sched_op op, int rc,
	     struct lig_sched_err *e, void *md, enum lig_sched_state prev_state,
	     const char *prev_text, uint64_t dur)
{
	if (rc) {
		const char *msg = err_text(e, rc);
		mark_failed(s, x, n, rc, msg);
		record_op(s, x, n, op, 0, prev_state, prev_text, n->want, msg, dur);
		err_done(e);
		return;
	}
	err_done(e);
	set_metadata(n, md);
	applied(s, x, n);
	record_op(s, x, n, op, 0, prev_state, prev_text, n->want, NULL, dur);
	if (!n->derived)
		sync_derived(s, x, n);
}

static void
do_create(struct lig_sched *s, struct exec *x, struct node *n, enum lig_sched_op op,
	  enum lig_sched_state prev_state, const char *prev_text, uint64_t pre_dur)
{
	struct lig_sched_err e;
	err_init(&e);
	void *md = NULL;
	int rc = 0;
	uint64_t dur = pre_dur;
	if (may_call(n) && n->desc->d.create) {
		/* another descriptor's queued creates are completed first */
		if (x->qflushed < x->qn && x->qdesc != n->desc)
			device_flush(s, x);
		if (n->desc->d.flush && x->qn == x->qcap) {
			size_t cap = x->qcap ? x->qcap * 2 : 256;
			struct qop *q = realloc(x->q, cap * sizeof(*q));
			if (q) {
				x->q = q;
				x->qcap = cap;
			}
		}
		if (n->desc->d.flush && x->qn == x->qcap) {
			lig_sched_err_set(&e, "out of memory");
			rc = -ENOMEM;
		} else {
			uint64_t t0 = sched_mono(s);
			rc = n->desc->d.create(n->desc->d.ctx, n->key, n->want->data, n->want->size,
					       &md, &e);
			dur += sched_mono(s) - t0;
		}
		if (rc == LIG_SCHED_QUEUED && n->desc->d.flush) {
			err_done(&e);
			x->q[x->qn++] = (struct qop){.node = n,
						     .md = md,
						     .prev_text = prev_text,
						     .dur = dur,
						     .op = (uint8_t)op,
						     .prev_state = (uint8_t)prev_state};
			x->qdesc = n->desc;
			n->queued = true;
			return;
		}
		if (rc == LIG_SCHED_QUEUED) {
			lig_sched_err_set(&e, "create queued the operation, but the descriptor "
					      "has no flush");
			rc = -EINVAL;
		}
	}
	finish_apply(s, x, n, op, rc, &e, md, prev_state, prev_text, dur);
}

static void
do_update(struct lig_sched *s, struct exec *x, struct node *n)
{
	enum lig_sched_state prev_state = n->state;
	const char *prev_text = render(s, x, n, n->have);
	struct lig_sched_err e;
	err_init(&e);
	void *md = n->metadata;
	device_flush(s, x);
	uint64_t t0 = sched_mono(s);
	int rc = n->desc->d.update(n->desc->d.ctx, n->key, n->have->data, n->have->size,
				   n->want->data, n->want->size, &md, &e);
	uint64_t dur = sched_mono(s) - t0;
	finish_apply(s, x, n, LIG_SCHED_OP_UPDATE, rc, &e, md, prev_state, prev_text, dur);
}

static void
do_recreate(struct lig_sched *s, struct exec *x, struct node *n)
{
	enum lig_sched_state prev_state = n->state;
	const char *prev_text = render(s, x, n, n->have);
	char errbuf[512];
	uint64_t t0 = sched_mono(s);
	int rc = remove_value(s, x, n, RR_RECREATE, errbuf, sizeof(errbuf));
	uint64_t dur = sched_mono(s) - t0;
	if (rc) {
		/* finish_remove marked it failed; the value stays (unavailable) in the device */
		record_op(s, x, n, LIG_SCHED_OP_RECREATE, 0, prev_state, prev_text, n->want, errbuf,
			  dur);
		return;
	}
	if (!node_ready(n)) {
		/* removing it took away something it needs (a cycle through an any-of) */
		set_state(s, n, LIG_SCHED_PENDING);
		node_set_error(n, NULL);
		record_op(s, x, n, LIG_SCHED_OP_RECREATE, 0, prev_state, prev_text, n->want, NULL,
			  dur);
		return;
	}
	do_create(s, x, n, LIG_SCHED_OP_RECREATE, prev_state, prev_text, dur);
}

static bool
needs_recreate(const struct node *n)
{
	const struct lig_sched_descriptor *d = &n->desc->d;
	if (!d->update)
		return true;
	if (!d->update_needs_recreate)
		return false;
	return d->update_needs_recreate(d->ctx, n->key, n->have->data, n->have->size, n->want->data,
					n->want->size, n->metadata);
}

/* A state change without a descriptor call (pending, invalid, unimplemented, ...). */
static void
noop_op(struct lig_sched *s, struct exec *x, struct node *n, enum lig_sched_op op,
	enum lig_sched_state st, const char *error)
{
	enum lig_sched_state prev = n->state;
	if (prev == st && n->op_seq == x->seq)
		return;
	bool changed = prev != st || (error && (!n->error || strcmp(error, n->error) != 0));
	set_state(s, n, st);
	if (st != LIG_SCHED_INVALID)
		node_set_error(n, error);
	if (changed)
		record_op(s, x, n, op, LIG_SCHED_OPF_NOOP, prev, NULL, n->want, error, 0);
}

/* True when n's dependencies lead back to n through existing values: applying its new value
 * would make a dependency cycle out of values that exist. */
static bool
closes_cycle(struct lig_sched *s, struct node *n)
{
	if (!n->n_deps)
		return false;
	uint64_t gen = ++s->dfs_gen;
	struct nodevec *st = &s->dfs;
	st->n = 0;
	for (uint32_t i = 0; i < n->n_deps; i++)
		if (n->deps[i].key && n->deps[i].target)
			nodevec_push(st, n->deps[i].target);
	while (st->n) {
		struct node *t = st->v[--st->n];
		if (t == n)
			return true;
		if (t->dfs_gen == gen || !t->available)
			continue;
		t->dfs_gen = gen;
		if (t->derived && t->base) /* a derived value needs its base */
			nodevec_push(st, t->base);
		for (uint32_t i = 0; i < t->n_deps; i++)
			if (t->deps[i].key && t->deps[i].target)
				nodevec_push(st, t->deps[i].target);
		for (uint32_t i = 0; i < t->n_hdeps; i++) /* what its applied value needs */
			if (t->hdeps[i].target)
				nodevec_push(st, t->hdeps[i].target);
	}
	return false;
}

/* Brings one value to what is desired of it, as far as its dependencies allow. */
static void
reconcile(struct lig_sched *s, struct exec *x, struct node *n)
{
	/* queued: its outcome comes with the flush (its desired value cannot have changed
	 * meanwhile: set_want settles first) */
	if (n->cascading || n->queued)
		return;
	if (!n->want) {
		if (n->state == LIG_SCHED_OBTAINED || (!n->nb && !n->have))
			return;
		if (n->have) {
			remove_value(s, x, n, RR_DELETE, NULL, 0);
		} else if (n->state != LIG_SCHED_NONEXISTENT) {
			enum lig_sched_state prev = n->state;
			set_state(s, n, LIG_SCHED_REMOVED);
			node_set_error(n, NULL);
			record_op(s, x, n, LIG_SCHED_OP_DELETE, LIG_SCHED_OPF_NOOP, prev, NULL,
				  NULL, NULL, 0);
			set_state(s, n, LIG_SCHED_NONEXISTENT);
			n->nb = false;
			gc_queue(s, n);
		}
		return;
	}
	if (!n->derived && !n->desc) {
		noop_op(s, x, n, LIG_SCHED_OP_CREATE, LIG_SCHED_UNIMPLEMENTED, NULL);
		return;
	}
	if (n->fail_seq == x->seq)
		return;
	if (n->invalid) {
		if (n->have) {
			remove_value(s, x, n, RR_INVALID, NULL, 0);
		} else if (n->state != LIG_SCHED_INVALID) {
			enum lig_sched_state prev = n->state;
			set_state(s, n, LIG_SCHED_INVALID);
			record_op(s, x, n, LIG_SCHED_OP_CREATE, LIG_SCHED_OPF_NOOP, prev, NULL,
				  n->want, n->error, 0);
		}
		return;
	}
	if (!node_ready(n)) {
		if (n->have && n->state != LIG_SCHED_OBTAINED)
			remove_value(s, x, n, RR_PENDING, NULL, 0);
		else
			noop_op(s, x, n, LIG_SCHED_OP_CREATE, LIG_SCHED_PENDING, NULL);
		return;
	}
	if (!n->have) {
		do_create(s, x, n, LIG_SCHED_OP_CREATE, n->state, NULL, 0);
		return;
	}
	if (closes_cycle(s, n)) {
		/* values created one by one when the others did not need them yet: the new value
		 * would close a cycle, so it waits (the cycle check at the end reports it) */
		remove_value(s, x, n, RR_PENDING, NULL, 0);
		return;
	}
	bool same = sval_equiv(n, n->have, n->want);
	if (!n->available) {
		/* a delete that failed left it in the device */
		if (same) {
			applied(s, x, n);
			if (!n->derived)
				sync_derived(s, x, n);
		} else {
			do_recreate(s, x, n);
		}
		return;
	}
	if (same) {
		enum lig_sched_state prev = n->state;
		n->nb = true;
		set_have(s, n, sval_get(n->want));
		if (prev != LIG_SCHED_CONFIGURED) {
			set_state(s, n, LIG_SCHED_CONFIGURED);
			node_set_error(n, NULL);
			/* found in the device as wanted: in sync, nothing to record */
			if (prev != LIG_SCHED_DISCOVERED && prev != LIG_SCHED_OBTAINED)
				record_op(s, x, n, LIG_SCHED_OP_UPDATE, LIG_SCHED_OPF_NOOP, prev,
					  NULL, n->want, NULL, 0);
		}
		if (!n->derived)
			sync_derived(s, x, n);
		return;
	}
	if (!n->desc) { /* property: nothing in the device */
		enum lig_sched_state prev = n->state;
		const char *prev_text = render(s, x, n, n->have);
		applied(s, x, n);
		record_op(s, x, n, LIG_SCHED_OP_UPDATE, 0, prev, prev_text, n->want, NULL, 0);
		return;
	}
	if (needs_recreate(n))
		do_recreate(s, x, n);
	else
		do_update(s, x, n);
}

/* Sets the desired value of n (NULL: none), validates it and relinks its dependencies. */
static int
set_want(struct lig_sched *s, struct node *n, struct sval *v)
{
	if (n->queued && s->x)
		settle(s, s->x);
	if (n->want != v) {
		sval_put(n->want);
		n->want = sval_get(v);
	}
	n->invalid = false;
	for (uint32_t i = 0; i < n->n_fields; i++)
		free(n->fields[i]);
	free(n->fields);
	n->fields = NULL;
	n->n_fields = 0;
	if (v && n->desc && n->desc->d.validate) {
		struct lig_sched_err e;
		err_init(&e);
		int rc = n->desc->d.validate(n->desc->d.ctx, n->key, v->data, v->size, &e);
		if (rc) {
			n->invalid = true;
			node_set_error(n, err_text(&e, rc));
			n->fields = e.fields;
			n->n_fields = e.n_fields;
			e.fields = NULL;
			e.n_fields = 0;
		}
		err_done(&e);
	}
	if (n->invalid)
		deps_unlink(s, n);
	int rc = n->invalid ? 0 : deps_link(s, n);
	hdeps_sync(s, n);
	return rc;
}

void
derived_list_free(struct lig_sched_derived *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->v[i].key);
		sval_put(dl->v[i].val);
	}
	free(dl->v);
	dl->v = NULL;
	dl->n = dl->cap = 0;
}

void
lig_sched_derive(struct lig_sched_derived *out, const char *key, const void *value, size_t size)
{
	if (!out || !key || !*key)
		return;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		struct kvv *v = realloc(out->v, cap * sizeof(*v));
		if (!v) {
			out->oom = true;
			return;
		}
		out->v = v;
		out->cap = cap;
	}
	struct kvv *kv = &out->v[out->n];
	memset(kv, 0, sizeof(*kv));
	kv->key = strdup(key);
	kv->val = sval_new(out->s, desc_for_key(out->s, key), value, size);
	if (!kv->key || !kv->val) {
		free(kv->key);
		sval_put(kv->val);
		out->oom = true;
		return;
	}
	out->n++;
}

/* Brings the derived values of base in line with its desired value: obsolete ones removed,
 * new ones created (each when its own dependencies allow), changed ones updated. */
static void
sync_derived(struct lig_sched *s, struct exec *x, struct node *base)
{
	struct lig_sched_derived dl = {.s = s};
	if (base->want && base->desc && base->desc->d.derived_values)
		base->desc->d.derived_values(base->desc->d.ctx, base->key, base->want->data,
					     base->want->size, &dl);
	uint64_t mark = ++s->dfs_gen; /* children derived by this call */
	struct nodevec todo = {0};
	for (size_t i = 0; i < dl.n; i++) {
		struct node *c = node_get(s, dl.v[i].key);
		if (!c || c == base)
			continue;
		if (c->base != base) {
			/* the key is northbound's or another value's derived value: skipped */
			if (c->derived || c->want || c->have || c->base)
				continue;
			c->derived = true;
			c->nb = true;
			children_add(base, c);
			if (c->base != base)
				continue;
		}
		if (c->sync_gen == mark)
			continue; /* derived twice: the first wins */
		c->sync_gen = mark;
		if (!sval_equiv(c, c->want, dl.v[i].val))
			set_want(s, c, dl.v[i].val);
		nodevec_push(&todo, c);
	}
	for (uint32_t i = 0; i < base->n_children; i++) {
		struct node *c = base->children[i];
		/* not derived any more (or found by refresh and never wanted) */
		if (c->sync_gen != mark && !c->cascading) {
			if (c->want)
				set_want(s, c, NULL); /* keeps stale edges of what the device has */
			nodevec_push(&todo, c);
		}
	}
	derived_list_free(&dl);
	/* obsolete ones first, then the new and changed ones */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < todo.n; i++) {
			struct node *c = todo.v[i];
			if (!c->want != !pass)
				sync_child(s, x, c);
		}
	free(todo.v);
}

static void
sync_child(struct lig_sched *s, struct exec *x, struct node *c)
{
	if (c->want) {
		reconcile(s, x, c);
	} else if (!c->derived || !c->base) {
		/* removed already, as a dependent of a sibling */
	} else if (c->have) {
		remove_value(s, x, c, RR_BASE_GONE, NULL, 0);
	} else {
		/* pending derived value no longer derived: dropped */
		enum lig_sched_state prev = c->state;
		set_state(s, c, LIG_SCHED_REMOVED);
		record_op(s, x, c, LIG_SCHED_OP_DELETE, LIG_SCHED_OPF_NOOP, prev, NULL, NULL, NULL,
			  0);
		set_state(s, c, LIG_SCHED_NONEXISTENT);
		children_del(c->base, c);
		c->derived = false;
		gc_queue(s, c);
	}
}

static void
drain(struct lig_sched *s, struct exec *x)
{
	while (x->work.n) {
		struct node *n = x->work.v[--x->work.n];
		if (n->want && !n->available)
			reconcile(s, x, n);
	}
}

/* ---- transactions ---- */

struct tentry {
	char *key;
	struct sval *val; /* NULL: delete */
	size_t order;
	struct node *node;
	int cat;
};

struct lig_sched_txn {
	struct lig_sched *s;
	struct tentry *e;
	size_t n, cap;
	char *description;
	bool oom;
};

struct lig_sched_txn *
lig_sched_txn_new(struct lig_sched *s)
{
	if (!s) {
		errno = EINVAL;
		return NULL;
	}
	struct lig_sched_txn *t = calloc(1, sizeof(*t));
	if (t)
		t->s = s;
	return t;
}

static int
txn_add(struct lig_sched_txn *t, const char *key, const void *value, size_t size, bool del)
{
	if (!t || !key || !*key)
		return -EINVAL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct tentry *v = realloc(t->e, cap * sizeof(*v));
		if (!v) {
			t->oom = true;
			return -ENOMEM;
		}
		t->e = v;
		t->cap = cap;
	}
	struct tentry *e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	e->key = strdup(key);
	if (!e->key) {
		t->oom = true;
		return -ENOMEM;
	}
	if (!del) {
		e->val = sval_new(t->s, desc_for_key(t->s, key), value, size);
		if (!e->val) {
			free(e->key);
			t->oom = true;
			return -ENOMEM;
		}
	}
	e->order = t->n++;
	return 0;
}

int
lig_sched_txn_set(struct lig_sched_txn *txn, const char *key, const void *value, size_t size)
{
	if (size && !value)
		return -EINVAL;
	return txn_add(txn, key, value, size, false);
}

int
lig_sched_txn_delete(struct lig_sched_txn *txn, const char *key)
{
	return txn_add(txn, key, NULL, 0, true);
}

int
lig_sched_txn_describe(struct lig_sched_txn *txn, const char *description)
{
	if (!txn || !description)
		return -EINVAL;
	char *d = strdup(description);
	if (!d)
		return -ENOMEM;
	free(txn->description);
	txn->description = d;
	return 0;
}

void
lig_sched_txn_free(struct lig_sched_txn *txn)
{
	if (!txn)
		return;
	for (size_t i = 0; i < txn->n; i++) {
		free(txn->e[i].key);
		sval_put(txn->e[i].val);
	}
	free(txn->e);
	free(txn->description);
	free(txn);
}

static int
cmp_key_order(const void *a, const void *b)
{
	const struct tentry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts by key and keeps the last entry of each key. */
static void
txn_dedupe(struct lig_sched_txn *t)
{
	if (t->n > 1)
		qsort(t->e, t->n, sizeof(*t->e), cmp_key_order);
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (i + 1 < t->n && strcmp(t->e[i].key, t->e[i + 1].key) == 0) {
			free(t->e[i].key);
			sval_put(t->e[i].val);
			continue;
		}
		t->e[w++] = t->e[i];
	}
	t->n = w;
}

/* vpp-agent's order: deletes, re-creates, creates, updates (each by key). */
enum { CAT_DELETE, CAT_RECREATE, CAT_CREATE, CAT_UPDATE };

static int
node_category(const struct node *n)
{
	if (!n->want)
		return CAT_DELETE;
	if (!n->have || !n->available)
		return CAT_CREATE;
	if (n->desc && !n->invalid && !sval_equiv(n, n->have, n->want) && needs_recreate(n))
		return CAT_RECREATE;
	return CAT_UPDATE;
}

struct catnode {
	struct node *n;
	int cat;
	size_t order;
};

static int
cmp_cat(const void *a, const void *b)
{
	const struct catnode *x = a, *y = b;
	if (x->cat != y->cat)
		return x->cat - y->cat;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Reconciles nodes (already in key order) in vpp-agent's operation order. */
void
exec_reconcile_all(struct lig_sched *s, struct exec *x, struct node **nodes, size_t n)
{
	struct catnode *cv = malloc((n ? n : 1) * sizeof(*cv));
	if (!cv) {
		for (size_t i = 0; i < n; i++) {
			reconcile(s, x, nodes[i]);
			drain(s, x);
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		cv[i] = (struct catnode){.n = nodes[i], .cat = node_category(nodes[i]), .order = i};
	qsort(cv, n, sizeof(*cv), cmp_cat);
	for (size_t i = 0; i < n; i++) {
		reconcile(s, x, cv[i].n);
		drain(s, x);
	}
	free(cv);
}

int
exec_begin(struct lig_sched *s, struct exec *x, enum lig_sched_trigger trigger)
{
	memset(x, 0, sizeof(*x));
	x->rec = rec_new();
	x->scratch_size = s->cfg.value_text_max + 1;
	x->scratch = malloc(x->scratch_size);
	if (!x->rec || !x->scratch) {
		rec_free(x->rec);
		free(x->scratch);
		return -ENOMEM;
	}
	x->seq = s->next_seq++;
	x->trigger = trigger;
	x->rec->pub.seq = x->seq;
	x->rec->pub.trigger = trigger;
	x->rec->pub.start_ns = sched_wall(s);
	s->busy = true;
	s->x = x;
	return 0;
}

/* ---- dependency cycles ---- */

struct tj {
	struct nodevec stack;
	struct nodevec path; /* DFS stack of nodes */
	uint32_t *edge;	     /* next edge index per path entry */
	size_t edge_cap;
	uint32_t index;
	uint64_t seq;
};

static struct node *
cycle_edge(struct node *n, uint32_t i)
{
	struct dep *d = &n->deps[i];
	if (!d->key || !d->target)
		return NULL;
	struct node *t = d->target;
	if (t->available || !t->want || t->state != LIG_SCHED_PENDING)
		return NULL;
	return t;
}

static void
cycle_mark(struct lig_sched *s, struct exec *x, struct node **members, size_t n)
{
	/* the text follows the dependency edges from the first member */
	size_t cap = 64;
	for (size_t i = 0; i < n; i++)
		cap += members[i]->key_len + 4;
	char *text = malloc(cap + members[0]->key_len);
	if (!text)
		return;
	size_t len = (size_t)snprintf(text, cap, "dependency cycle: ");
	struct node *cur = members[0];
	for (size_t steps = 0; steps <= n; steps++) {
		len += (size_t)snprintf(text + len, cap + members[0]->key_len - len, "%s%s",
					steps ? " -> " : "", cur->key);
		if (steps && cur == members[0])
			break;
		struct node *next = NULL;
		for (uint32_t i = 0; i < cur->n_deps && !next; i++) {
			struct node *t = cycle_edge(cur, i);
			if (t && t->tj_seq == x->seq && t->tj_index && t->tj_low == cur->tj_low)
				next = t;
		}
		if (!next)
			break;
		cur = next;
	}
	for (size_t i = 0; i < n; i++) {
		struct node *m = members[i];
		free(m->cycle);
		m->cycle = strdup(text);
		node_set_error(m, text);
		if (!m->in_cycle_list && nodevec_push(&s->cycles, m) == 0)
			m->in_cycle_list = true;
		if (m->op_seq == x->seq && !x->rec->ops[m->op_idx].error) {
			x->rec->ops[m->op_idx].error = rec_strdup(x->rec, text, strlen(text));
			x->rec->pub.errors++;
		}
	}
	free(text);
}

/* Tarjan's strongly connected components from n, iteratively, over edges from a pending value
 * to a pending dependency. Components of several values (or a self-dependency) are cycles. */
static void
tarjan(struct lig_sched *s, struct exec *x, struct tj *t, struct node *root)
{
	struct nodevec *path = &t->path;
	path->n = 0;
	if (nodevec_push(path, root) < 0)
		return;
	root->tj_seq = x->seq;
	root->tj_index = root->tj_low = ++t->index;
	nodevec_push(&t->stack, root);
	root->tj_on_stack = true;
	if (t->edge_cap < 64) {
		uint32_t *e = realloc(t->edge, 64 * sizeof(*e));
		if (!e)
			return;
		t->edge = e;
		t->edge_cap = 64;
	}
	t->edge[0] = 0;
	while (path->n) {
		struct node *n = path->v[path->n - 1];
		uint32_t *ei = &t->edge[path->n - 1];
		if (*ei < n->n_deps) {
			struct node *w = cycle_edge(n, (*ei)++);
			if (!w)
				continue;
			if (w->tj_seq != x->seq) {
				w->tj_seq = x->seq;
				w->tj_index = w->tj_low = ++t->index;
				w->tj_on_stack = true;
				nodevec_push(&t->stack, w);
				if (path->n == t->edge_cap) {
					uint32_t *e =
					    realloc(t->edge, 2 * t->edge_cap * sizeof(*e));
					if (!e)
						return;
					t->edge = e;
					t->edge_cap *= 2;
				}
				t->edge[path->n] = 0;
				nodevec_push(path, w);
			} else if (w->tj_on_stack && w->tj_index < n->tj_low) {
				n->tj_low = w->tj_index;
			}
			continue;
		}
		path->n--;
		if (path->n) {
			struct node *p = path->v[path->n - 1];
			if (n->tj_low < p->tj_low)
				p->tj_low = n->tj_low;
		}
		if (n->tj_low != n->tj_index)
			continue;
		/* n roots a component: pop it */
		size_t end = t->stack.n, begin = end;
		while (begin > 0) {
			struct node *m = t->stack.v[--begin];
			m->tj_on_stack = false;
			m->tj_low = n->tj_index; /* members share the root's number */
			if (m == n)
				break;
		}
		size_t count = end - begin;
		bool self = false;
		if (count == 1)
			for (uint32_t i = 0; i < n->n_deps; i++)
				if (n->deps[i].key && n->deps[i].target == n)
					self = true;
		if (count > 1 || self)
			cycle_mark(s, x, &t->stack.v[begin], count);
		t->stack.n = begin;
	}
}

static void
cycles_check(struct lig_sched *s, struct exec *x)
{
	struct nodevec cand = {0};
	for (size_t i = 0; i < s->cycles.n; i++) {
		struct node *n = s->cycles.v[i];
		n->in_cycle_list = false;
		if (n->cycle) {
			if (n->error && strcmp(n->error, n->cycle) == 0)
				node_set_error(n, NULL);
			free(n->cycle);
			n->cycle = NULL;
		}
		nodevec_push(&cand, n);
		gc_queue(s, n);
	}
	s->cycles.n = 0;
	for (size_t i = 0; i < x->touched.n; i++)
		nodevec_push(&cand, x->touched.v[i]);
	struct tj t = {0};
	for (size_t i = 0; i < cand.n; i++) {
		struct node *n = cand.v[i];
		if (n->state == LIG_SCHED_PENDING && n->want && n->tj_seq != x->seq)
			tarjan(s, x, &t, n);
	}
	free(t.stack.v);
	free(t.path.v);
	free(t.edge);
	free(cand.v);
}

void
exec_end(struct lig_sched *s, struct exec *x)
{
	/* queued creates are finished before the transaction ends; finishing them may make
	 * others ready (and queue more) */
	do {
		drain(s, x);
		settle(s, x);
	} while (x->work.n);
	cycles_check(s, x);
	for (size_t i = 0; i < s->n_descs; i++)
		if (s->descs[i]->d.txn_end)
			s->descs[i]->d.txn_end(s->descs[i]->d.ctx);
	struct rec *r = x->rec;
	/* drop operations merged into later ones */
	size_t w = 0;
	for (size_t i = 0; i < r->n_ops; i++)
		if (!r->dropped[i])
			r->ops[w++] = r->ops[i];
	r->n_ops = w;
	r->pub.n_ops = w;
	r->pub.ops = r->ops;
	r->pub.end_ns = sched_wall(s);
	for (size_t i = 0; i < x->touched.n; i++)
		x->touched.v[i]->retry_now = false;
	s->x = NULL;
	gc_run(s);
	rearm_timer(s);
	history_push(s, r);
	/* still busy: the callback reads the record, it does not start transactions */
	if (s->cfg.on_txn)
		s->cfg.on_txn(s->cfg.on_txn_ctx, &r->pub);
	s->busy = false;
	free(x->work.v);
	free(x->touched.v);
	free(x->rstack);
	free(x->scratch);
	free(x->q);
}

int
lig_sched_txn_commit(struct lig_sched_txn *txn, uint64_t *seq)
{
	if (!txn)
		return -EINVAL;
	struct lig_sched *s = txn->s;
	if (s->busy) {
		lig_sched_txn_free(txn);
		return -EBUSY;
	}
	if (txn->oom) {
		lig_sched_txn_free(txn);
		return -ENOMEM;
	}
	struct exec x;
	if (exec_begin(s, &x, LIG_SCHED_TRIGGER_NB) < 0) {
		lig_sched_txn_free(txn);
		return -ENOMEM;
	}
	txn_dedupe(txn);
	x.rec->pub.n_values = txn->n;
	if (txn->description)
		x.rec->pub.description =
		    rec_strdup(x.rec, txn->description, strlen(txn->description));
	struct node **nodes = malloc((txn->n ? txn->n : 1) * sizeof(*nodes));
	size_t nn = 0;
	int rc = nodes ? 0 : -ENOMEM;
	for (size_t i = 0; i < txn->n && !rc; i++) {
		struct tentry *e = &txn->e[i];
		struct node *n = node_get(s, e->key);
		if (!n) {
			rc = -ENOMEM;
			break;
		}
		if (n->derived) {
			/* northbound cannot set a derived value */
			char msg[256];
			snprintf(msg, sizeof(msg),
				 "%s is derived from %s; northbound cannot set it", n->key,
				 n->base ? n->base->key : "another value");
			record_op(s, &x, n, e->val ? LIG_SCHED_OP_CREATE : LIG_SCHED_OP_DELETE,
				  LIG_SCHED_OPF_NOOP, n->state, NULL, e->val, msg, 0);
			continue;
		}
		retry_unlink(s, n);
		n->retry_attempt = 0;
		n->last_update_seq = x.seq;
		if (e->val)
			n->nb = true;
		if (set_want(s, n, e->val) < 0)
			rc = -ENOMEM;
		touch(&x, n);
		nodes[nn++] = n;
	}
	if (!rc)
		exec_reconcile_all(s, &x, nodes, nn);
	free(nodes);
	lig_sched_txn_free(txn);
	if (seq)
		*seq = x.seq;
	exec_end(s, &x);
	return rc;
}

/* ---- resync ---- */

static int
resync(struct lig_sched *s, struct lig_sched_txn *txn, enum lig_sched_trigger trigger,
       uint64_t *seq)
{
	if (s->busy) {
		lig_sched_txn_free(txn);
		return -EBUSY;
	}
	if (txn && txn->oom) {
		lig_sched_txn_free(txn);
		return -ENOMEM;
	}
	struct exec x;
	if (exec_begin(s, &x, trigger) < 0) {
		lig_sched_txn_free(txn);
		return -ENOMEM;
	}
	int rc = 0;
	struct nodevec list = {0};
	if (txn) {
		/* the desired set, marked so that refresh can tell agent-made values */
		txn_dedupe(txn);
		x.rec->pub.n_values = txn->n;
		if (txn->description)
			x.rec->pub.description =
			    rec_strdup(x.rec, txn->description, strlen(txn->description));
		for (size_t i = 0; i < txn->n && !rc; i++) {
			struct tentry *e = &txn->e[i];
			if (!e->val)
				continue;
			struct node *n = node_get(s, e->key);
			if (!n) {
				rc = -ENOMEM;
				break;
			}
			gc_queue(s, n);
			if (n->derived)
				continue;
			n->mark_seq = x.seq;
			if (!sval_equiv(n, n->want, e->val) || n->invalid || !n->nb) {
				n->last_update_seq = x.seq;
				retry_unlink(s, n);
				n->retry_attempt = 0;
			}
			n->nb = true;
			if (set_want(s, n, e->val) < 0)
				rc = -ENOMEM;
		}
	}
	if (trigger != LIG_SCHED_TRIGGER_UPSTREAM_RESYNC && !rc) {
		rc = sched_refresh(s, &x, !s->resynced && trigger == LIG_SCHED_TRIGGER_RESYNC);
		s->resynced = true;
	}
	/* collect: the desired values and everything agent-made that is no longer desired */
	for (size_t j = 0; j < s->n_slots && !rc; j++) {
		struct node *n = s->slots[j];
		if (!n || n->derived)
			continue;
		if (n->want || (n->nb && (n->have || n->state != LIG_SCHED_NONEXISTENT)) ||
		    n->state == LIG_SCHED_DISCOVERED)
			nodevec_push(&list, n);
	}
	/* (set_want may add nodes: not while walking the table) */
	for (size_t i = 0; i < list.n && txn && !rc; i++) {
		struct node *n = list.v[i];
		if (n->mark_seq != x.seq && n->want) {
			set_want(s, n, NULL);
			n->last_update_seq = x.seq;
		}
	}
	if (!rc) {
		/* key order, as a northbound transaction */
		struct tentry *tmp = malloc((list.n ? list.n : 1) * sizeof(*tmp));
		if (tmp) {
			for (size_t i = 0; i < list.n; i++)
				tmp[i] = (struct tentry){
				    .key = list.v[i]->key, .order = i, .node = list.v[i]};
			qsort(tmp, list.n, sizeof(*tmp), cmp_key_order);
			for (size_t i = 0; i < list.n; i++)
				list.v[i] = tmp[i].node;
			free(tmp);
		}
		for (size_t i = 0; i < list.n; i++)
			touch(&x, list.v[i]);
		exec_reconcile_all(s, &x, list.v, list.n);
	}
	free(list.v);
	lig_sched_txn_free(txn);
	if (seq)
		*seq = x.seq;
	exec_end(s, &x);
	return rc;
}

int
lig_sched_txn_resync(struct lig_sched_txn *txn, bool full, uint64_t *seq)
{
	if (!txn)
		return -EINVAL;
	return resync(txn->s, txn,
		      full ? LIG_SCHED_TRIGGER_RESYNC : LIG_SCHED_TRIGGER_UPSTREAM_RESYNC, seq);
}

int
lig_sched_downstream_resync(struct lig_sched *s, uint64_t *seq)
{
	if (!s)
		return -EINVAL;
	return resync(s, NULL, LIG_SCHED_TRIGGER_DOWNSTREAM_RESYNC, seq);
}

/* ---- retries ---- */

struct rnode {
	struct node *n;
	uint64_t for_seq;
	uint32_t attempt;
};

static int
cmp_rnode(const void *a, const void *b)
{
	const struct rnode *x = a, *y = b;
	if (x->for_seq != y->for_seq)
		return x->for_seq < y->for_seq ? -1 : 1;
	if (x->attempt != y->attempt)
		return x->attempt < y->attempt ? -1 : 1;
	return strcmp(x->n->key, y->n->key);
}

int
lig_sched_run_retries(struct lig_sched *s)
{
	if (!s)
		return -EINVAL;
	if (s->busy)
		return -EBUSY;
	s->timer_armed = false;
	uint64_t now = sched_mono(s);
	size_t due = 0;
	for (struct node *n = s->retry_head; n; n = n->rnext)
		if (n->retry_due <= now)
			due++;
	if (!due) {
		rearm_timer(s);
		return 0;
	}
	struct rnode *rv = malloc(due * sizeof(*rv));
	if (!rv)
		return -ENOMEM;
	size_t k = 0;
	for (struct node *n = s->retry_head; n; n = n->rnext)
		if (n->retry_due <= now)
			rv[k++] = (struct rnode){n, n->retry_for_seq, n->retry_attempt};
	qsort(rv, due, sizeof(*rv), cmp_rnode);
	int txns = 0;
	struct node **nodes = malloc(due * sizeof(*nodes));
	if (!nodes) {
		free(rv);
		return -ENOMEM;
	}
	for (size_t i = 0; i < due;) {
		size_t j = i;
		while (j < due && rv[j].for_seq == rv[i].for_seq && rv[j].attempt == rv[i].attempt)
			j++;
		struct exec x;
		if (exec_begin(s, &x, LIG_SCHED_TRIGGER_RETRY) < 0)
			break;
		x.rec->pub.retry_for_seq = rv[i].for_seq;
		x.rec->pub.retry_attempt = rv[i].attempt;
		size_t nn = 0;
		for (size_t m = i; m < j; m++) {
			struct node *n = rv[m].n;
			/* the node may have been dealt with by an earlier group */
			if (!n->in_retry || n->retry_for_seq != rv[m].for_seq)
				continue;
			uint32_t attempt = n->retry_attempt;
			retry_unlink(s, n);
			n->retry_attempt = attempt;
			n->retry_now = true;
			touch(&x, n);
			nodes[nn++] = n;
		}
		x.rec->pub.n_values = nn;
		exec_reconcile_all(s, &x, nodes, nn);
		exec_end(s, &x);
		txns++;
		i = j;
	}
	free(nodes);
	free(rv);
	return txns;
}

/* ---- lifecycle ---- */

struct lig_sched *
lig_sched_new(const struct lig_sched_config *cfg)
{
	struct lig_sched *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (cfg)
		s->cfg = *cfg;
	if (!s->cfg.retry_period_ns)
		s->cfg.retry_period_ns = DEFAULT_RETRY_PERIOD_NS;
	if (!s->cfg.retry_max_delay_ns)
		s->cfg.retry_max_delay_ns = DEFAULT_RETRY_MAX_DELAY_NS;
	if (!s->cfg.retry_max_attempts)
		s->cfg.retry_max_attempts = DEFAULT_RETRY_MAX_ATTEMPTS;
	if (!s->cfg.value_text_max)
		s->cfg.value_text_max = DEFAULT_VALUE_TEXT_MAX;
	s->next_seq = 1;
	if (history_init(s) < 0 || table_grow(s) < 0) {
		history_free(s);
		free(s->slots);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

void
lig_sched_free(struct lig_sched *s)
{
	if (!s)
		return;
	for (size_t j = 0; j < s->n_slots; j++) {
		struct node *n = s->slots[j];
		if (!n)
			continue;
		/* edges point into other nodes: unlink lists without touching them */
		for (uint32_t i = 0; i < n->n_deps; i++) {
			free(n->deps[i].label);
			free(n->deps[i].key);
			free(n->deps[i].prefix);
		}
		free(n->deps);
		n->deps = NULL;
		n->n_deps = 0;
		for (uint32_t i = 0; i < n->n_hdeps; i++) {
			free(n->hdeps[i].label);
			free(n->hdeps[i].key);
			free(n->hdeps[i].prefix);
		}
		free(n->hdeps);
		n->hdeps = NULL;
		n->n_hdeps = 0;
	}
	for (size_t j = 0; j < s->n_slots; j++) {
		struct node *n = s->slots[j];
		if (!n)
			continue;
		n->in_retry = false;
		node_free(s, n);
	}
	free(s->slots);
	while (s->groups) {
		struct anyof_group *g = s->groups;
		s->groups = g->next;
		free(g->prefix);
		free(g);
	}
	for (size_t i = 0; i < s->n_descs; i++)
		free(s->descs[i]);
	free(s->descs);
	free(s->gc.v);
	free(s->cycles.v);
	free(s->dfs.v);
	history_free(s);
	free(s);
}

uint64_t
lig_sched_next_seq(const struct lig_sched *s)
{
	return s->next_seq;
}

/* ---- notifications from the device ---- */

int
lig_sched_notify(struct lig_sched *s, const char *key, const void *value, size_t size,
		 void *metadata, uint64_t *seq)
{
	struct sdesc *d = s && key && *key && !(size && !value) ? desc_for_key(s, key) : NULL;
	if (!s || !key || !*key || (size && !value)) {
		if (d && metadata && d->d.free_metadata)
			d->d.free_metadata(d->d.ctx, metadata);
		return -EINVAL;
	}
	if (s->busy) {
		if (d && metadata && d->d.free_metadata)
			d->d.free_metadata(d->d.ctx, metadata);
		return -EBUSY;
	}
	struct exec x;
	if (exec_begin(s, &x, LIG_SCHED_TRIGGER_NOTIFICATION) < 0)
		return -ENOMEM;
	x.rec->pub.n_values = 1;
	int rc = 0;
	struct node *n = node_get(s, key);
	if (!n) {
		rc = -ENOMEM;
	} else if (n->want || n->nb || n->derived) {
		/* the agent's (or derived from one): the desired state rules it */
		gc_queue(s, n);
	} else if (value) {
		struct sval *v = sval_new(s, n->desc, value, size);
		if (!v) {
			rc = -ENOMEM;
		} else {
			enum lig_sched_state prev = n->state;
			const char *prev_text = render(s, &x, n, n->have);
			enum lig_sched_op op = n->have ? LIG_SCHED_OP_UPDATE : LIG_SCHED_OP_CREATE;
			set_metadata(n, metadata);
			metadata = NULL;
			n->state = LIG_SCHED_OBTAINED;
			set_have(s, n, v);
			record_op(s, &x, n, op, LIG_SCHED_OPF_NOOP, prev, prev_text, v, NULL, 0);
			/* its derived values, as refresh finds them */
			struct lig_sched_derived dl = {.s = s};
			if (n->desc && n->desc->d.derived_values)
				n->desc->d.derived_values(n->desc->d.ctx, n->key, v->data, v->size,
							  &dl);
			uint64_t mark = ++s->dfs_gen;
			for (size_t i = 0; i < dl.n; i++) {
				struct node *c = node_get(s, dl.v[i].key);
				if (!c || c == n)
					continue;
				if (c->base != n) {
					if (c->derived || c->want || c->have || c->base)
						continue;
					c->derived = true;
					children_add(n, c);
					if (c->base != n)
						continue;
				}
				c->sync_gen = mark;
				enum lig_sched_state cprev = c->state;
				c->state = LIG_SCHED_OBTAINED;
				set_have(s, c, sval_get(dl.v[i].val));
				if (cprev != LIG_SCHED_OBTAINED)
					record_op(s, &x, c, LIG_SCHED_OP_CREATE, LIG_SCHED_OPF_NOOP,
						  cprev, NULL, c->have, NULL, 0);
			}
			derived_list_free(&dl);
			/* derived values it no longer has */
			for (uint32_t i = 0; i < n->n_children;) {
				struct node *c = n->children[i];
				if (c->sync_gen == mark) {
					i++;
					continue;
				}
				uint32_t before = n->n_children;
				remove_value(s, &x, c, RR_BASE_GONE, NULL, 0);
				if (n->n_children == before)
					i++;
			}
			set_available(&x, s, n, true);
			for (uint32_t i = 0; i < n->n_children; i++)
				set_available(&x, s, n->children[i], true);
		}
	} else if (n->have) {
		/* gone from the device: what needs it goes first (no delete call for it) */
		remove_value(s, &x, n, RR_DELETE, NULL, 0);
	}
	if (metadata && d && d->d.free_metadata)
		d->d.free_metadata(d->d.ctx, metadata);
	if (seq)
		*seq = x.seq;
	exec_end(s, &x);
	return rc;
}

// SPDX-License-Identifier: Apache-2.0
// The KV front end: argument checks, the one API over both backends, watch-event delivery on the
// shared loop (refcounted so a cancelled watch never sees a late batch) and the datasync layer.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cninfra/loop.h"
#include "kv_internal.h"

bool
kv_has_prefix(const char *key, const char *prefix)
{
	return !strncmp(key, prefix, strlen(prefix));
}

static int
check_key(const char *key, bool allow_empty)
{
	if (!key)
		return -EINVAL;
	size_t n = strlen(key);
	if ((!n && !allow_empty) || n > CNINFRA_KV_MAX_KEY)
		return -EINVAL;
	return 0;
}

int
kv_pair_set(struct cninfra_kv_pair *p, const char *key, size_t key_size, const char *value,
	    size_t value_size)
{
	p->key = malloc(key_size + 1);
	p->value = malloc(value_size + 1);
	if (!p->key || !p->value) {
		free(p->key);
		free(p->value);
		p->key = p->value = NULL;
		return -ENOMEM;
	}
	memcpy(p->key, key, key_size);
	p->key[key_size] = 0;
	if (value_size)
		memcpy(p->value, value, value_size);
	p->value[value_size] = 0;
	p->value_size = value_size;
	return 0;
}

struct cninfra_kv_pair *
kv_list_push(struct cninfra_kv_list *l, size_t *cap)
{
	if (l->count == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct cninfra_kv_pair *np = realloc(l->pairs, nc * sizeof(*np));
		if (!np)
			return NULL;
		l->pairs = np;
		*cap = nc;
	}
	struct cninfra_kv_pair *p = &l->pairs[l->count++];
	memset(p, 0, sizeof(*p));
	return p;
}

struct cninfra_kv *
cninfra_kv_open(struct cninfra_loop *loop, const struct cninfra_kv_opts *opts)
{
	if (!opts || !opts->endpoint || !*opts->endpoint) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_kv *kv = calloc(1, sizeof(*kv));
	if (!kv)
		return NULL;
	kv->loop = loop;
	kv->opts = *opts;
	kv->opts.endpoint = NULL;
	if (!kv->opts.timeout_ms)
		kv->opts.timeout_ms = 3000;
	if (!kv->opts.compact_min_size)
		kv->opts.compact_min_size = 1024 * 1024;
	kv->log = cninfra_log_get("kv");
	const char *ep = opts->endpoint;
	int rc;
	if (!strncmp(ep, "http://", 7) || !strncmp(ep, "https://", 8) ||
	    !strncmp(ep, "etcd://", 7)) {
		kv->opts.endpoint = strdup(ep);
		rc = kv->opts.endpoint ? kv_etcd_open(kv) : -ENOMEM;
	} else {
		if (!strncmp(ep, "file://", 7))
			ep += 7;
		kv->opts.endpoint = strdup(ep);
		rc = kv->opts.endpoint ? kv_local_open(kv, ep) : -ENOMEM;
	}
	if (rc) {
		free((char *)kv->opts.endpoint);
		free(kv);
		errno = -rc;
		return NULL;
	}
	return kv;
}

void
cninfra_kv_close(struct cninfra_kv *kv)
{
	if (!kv)
		return;
	while (kv->watches)
		cninfra_kv_unwatch(kv->watches);
	kv->ops->close(kv);
	free((char *)kv->opts.endpoint);
	free(kv);
}

const char *
cninfra_kv_backend(const struct cninfra_kv *kv)
{
	return kv ? kv->ops->name : "";
}

void
cninfra_kv_pair_free(struct cninfra_kv_pair *p)
{
	if (!p)
		return;
	free(p->key);
	free(p->value);
	free(p);
}

void
cninfra_kv_list_release(struct cninfra_kv_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		free(l->pairs[i].key);
		free(l->pairs[i].value);
	}
	free(l->pairs);
	memset(l, 0, sizeof(*l));
}

int
cninfra_kv_get(struct cninfra_kv *kv, const char *key, struct cninfra_kv_pair **out)
{
	if (!kv || !out || check_key(key, false))
		return -EINVAL;
	*out = NULL;
	struct cninfra_kv_list l = {0};
	int rc = kv->ops->range(kv, key, false, &l);
	if (rc)
		return rc;
	if (l.count == 0) {
		cninfra_kv_list_release(&l);
		return -ENOENT;
	}
	struct cninfra_kv_pair *p = malloc(sizeof(*p));
	if (!p) {
		cninfra_kv_list_release(&l);
		return -ENOMEM;
	}
	/* Steal the first pair from the list. */
	*p = l.pairs[0];
	l.pairs[0].key = l.pairs[0].value = NULL;
	cninfra_kv_list_release(&l);
	*out = p;
	return 0;
}

int
cninfra_kv_list(struct cninfra_kv *kv, const char *prefix, struct cninfra_kv_list *out)
{
	if (!kv || !out || check_key(prefix, true))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	int rc = kv->ops->range(kv, prefix, true, out);
	if (rc)
		cninfra_kv_list_release(out);
	return rc;
}

struct cninfra_kv_txn *
cninfra_kv_txn_new(void)
{
	return calloc(1, sizeof(struct cninfra_kv_txn));
}

void
cninfra_kv_txn_free(struct cninfra_kv_txn *txn)
{
	if (!txn)
		return;
	for (size_t i = 0; i < txn->count; i++) {
		free(txn->ops[i].key);
		free(txn->ops[i].value);
	}
	free(txn->ops);
	free(txn);
}

static int
txn_push(struct cninfra_kv_txn *txn, enum kv_op_type type, const char *key, const void *value,
	 size_t size)
{
	if (txn->count >= 1024)
		return -E2BIG;
	if (txn->count == txn->cap) {
		size_t nc = txn->cap ? txn->cap * 2 : 4;
		struct kv_op *n = realloc(txn->ops, nc * sizeof(*n));
		if (!n)
			return -ENOMEM;
		txn->ops = n;
		txn->cap = nc;
	}
	struct kv_op *op = &txn->ops[txn->count];
	memset(op, 0, sizeof(*op));
	op->type = type;
	op->key = strdup(key);
	if (type == KV_OP_PUT) {
		op->value = malloc(size + 1);
		if (op->value) {
			if (size)
				memcpy(op->value, value, size);
			op->value[size] = 0;
		}
		op->value_size = size;
	}
	if (!op->key || (type == KV_OP_PUT && !op->value)) {
		free(op->key);
		free(op->value);
		return -ENOMEM;
	}
	txn->count++;
	return 0;
}

int
cninfra_kv_txn_put(struct cninfra_kv_txn *txn, const char *key, const void *value, size_t size)
{
	if (!txn || check_key(key, false) || (!value && size) || size > CNINFRA_KV_MAX_VALUE)
		return -EINVAL;
	return txn_push(txn, KV_OP_PUT, key, value, size);
}

int
cninfra_kv_txn_delete(struct cninfra_kv_txn *txn, const char *key, unsigned flags)
{
	bool prefix = flags & CNINFRA_KV_PREFIX;
	if (!txn || check_key(key, prefix) || (flags & ~CNINFRA_KV_PREFIX))
		return -EINVAL;
	return txn_push(txn, prefix ? KV_OP_DEL_PREFIX : KV_OP_DEL, key, NULL, 0);
}

int
cninfra_kv_txn_commit(struct cninfra_kv *kv, struct cninfra_kv_txn *txn, int64_t *rev)
{
	if (!kv || !txn)
		return -EINVAL;
	int64_t r = 0;
	size_t deleted = 0;
	int rc = txn->count ? kv->ops->txn(kv, txn, &r, &deleted) : 0;
	if (!rc && rev)
		*rev = r;
	return rc;
}

int
cninfra_kv_put(struct cninfra_kv *kv, const char *key, const void *value, size_t size, int64_t *rev)
{
	struct cninfra_kv_op_one {
		struct cninfra_kv_txn txn;
		struct kv_op op;
	} one;
	if (!kv || check_key(key, false) || (!value && size) || size > CNINFRA_KV_MAX_VALUE)
		return -EINVAL;
	/* A one-op transaction on the stack: nothing to allocate. */
	one.op = (struct kv_op){
	    .type = KV_OP_PUT, .key = (char *)key, .value = (char *)value, .value_size = size};
	if (!value)
		one.op.value = (char *)"";
	one.txn = (struct cninfra_kv_txn){.ops = &one.op, .count = 1, .cap = 1};
	int64_t r = 0;
	size_t deleted = 0;
	int rc = kv->ops->txn(kv, &one.txn, &r, &deleted);
	if (!rc && rev)
		*rev = r;
	return rc;
}

int
cninfra_kv_delete(struct cninfra_kv *kv, const char *key, unsigned flags, size_t *deleted)
{
	bool prefix = flags & CNINFRA_KV_PREFIX;
	if (!kv || check_key(key, prefix) || (flags & ~CNINFRA_KV_PREFIX))
		return -EINVAL;
	struct kv_op op = {.type = prefix ? KV_OP_DEL_PREFIX : KV_OP_DEL, .key = (char *)key};
	struct cninfra_kv_txn txn = {.ops = &op, .count = 1, .cap = 1};
	int64_t r = 0;
	size_t n = 0;
	int rc = kv->ops->txn(kv, &txn, &r, &n);
	if (!rc && deleted)
		*deleted = n;
	return rc;
}

/* Watches */

void
kv_watch_unref(struct cninfra_kv_watch *w)
{
	if (atomic_fetch_sub(&w->refs, 1) == 1) {
		free(w->prefix);
		free(w);
	}
}

struct kv_batch *
kv_batch_new(struct cninfra_kv_watch *w)
{
	struct kv_batch *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->w = w;
	atomic_fetch_add(&w->refs, 1);
	return b;
}

int
kv_batch_add(struct kv_batch *b, enum cninfra_kv_event_type type, const char *key,
	     const char *value, size_t value_size, int64_t create_rev, int64_t mod_rev,
	     int64_t version)
{
	if (b->count == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 4;
		struct cninfra_kv_pair *np = realloc(b->pairs, nc * sizeof(*np));
		if (!np)
			return -ENOMEM;
		b->pairs = np;
		enum cninfra_kv_event_type *nt = realloc(b->types, nc * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		b->types = nt;
		b->cap = nc;
	}
	struct cninfra_kv_pair *p = &b->pairs[b->count];
	memset(p, 0, sizeof(*p));
	if (kv_pair_set(p, key ? key : "", key ? strlen(key) : 0, value ? value : "",
			value ? value_size : 0))
		return -ENOMEM;
	p->create_revision = create_rev;
	p->mod_revision = mod_rev;
	p->version = version;
	b->types[b->count++] = type;
	return 0;
}

void
kv_batch_free(struct kv_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->count; i++) {
		free(b->pairs[i].key);
		free(b->pairs[i].value);
	}
	free(b->pairs);
	free(b->types);
	kv_watch_unref(b->w);
	free(b);
}

static void
batch_deliver(void *arg)
{
	struct kv_batch *b = arg;
	for (size_t i = 0; i < b->count && !atomic_load(&b->w->cancelled); i++) {
		struct cninfra_kv_event ev = {
		    .type = b->types[i], .kv = &b->pairs[i], .revision = b->pairs[i].mod_revision};
		b->w->cb(&ev, b->w->arg);
	}
	kv_batch_free(b);
}

void
kv_batch_post(struct kv_batch *b)
{
	if (!b->count || cninfra_loop_post(b->w->kv->loop, batch_deliver, b) < 0)
		kv_batch_free(b);
}

struct cninfra_kv_watch *
cninfra_kv_watch(struct cninfra_kv *kv, const char *prefix, int64_t from_rev,
		 cninfra_kv_watch_cb cb, void *arg)
{
	if (!kv || !kv->loop || !cb || check_key(prefix, true) || from_rev < 0) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_kv_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->kv = kv;
	w->prefix = strdup(prefix);
	w->from_rev = from_rev;
	w->cb = cb;
	w->arg = arg;
	atomic_init(&w->refs, 1);
	atomic_init(&w->cancelled, false);
	int rc = w->prefix ? kv->ops->watch_start(w) : -ENOMEM;
	if (rc) {
		free(w->prefix);
		free(w);
		errno = -rc;
		return NULL;
	}
	w->next = kv->watches;
	kv->watches = w;
	return w;
}

void
cninfra_kv_unwatch(struct cninfra_kv_watch *w)
{
	if (!w)
		return;
	atomic_store(&w->cancelled, true);
	w->kv->ops->watch_stop(w);
	for (struct cninfra_kv_watch **pp = &w->kv->watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	kv_watch_unref(w);
}

/* Datasync: list, deliver as RESYNC, then watch from the listed revision + 1. */

struct cninfra_datasync {
	struct cninfra_kv *kv;
	char *prefix;
	unsigned retry_ms;
	cninfra_datasync_cb cb;
	void *arg;
	struct cninfra_kv_watch *w;
	struct cninfra_timer *t;
};

static void ds_on_change(const struct cninfra_kv_event *ev, void *arg);

static void
ds_resync(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	struct cninfra_datasync *ds = arg;
	(void)loop;
	(void)t;
	cninfra_kv_unwatch(ds->w);
	ds->w = NULL;
	struct cninfra_kv_list l = {0};
	int rc = cninfra_kv_list(ds->kv, ds->prefix, &l);
	if (rc == 0) {
		ds->w = cninfra_kv_watch(ds->kv, ds->prefix, l.revision + 1, ds_on_change, ds);
		if (!ds->w)
			rc = -errno;
	}
	if (rc) {
		cninfra_warn(ds->kv->log, "datasync: listing failed, will retry",
			     "prefix=\"%s\" err=\"%s\" retry_ms=%u", ds->prefix, strerror(-rc),
			     ds->retry_ms);
		cninfra_timer_set(ds->t, ds->retry_ms, 0);
		cninfra_kv_list_release(&l); /* safe on a list that failed: it is zeroed */
		return;
	}
	struct cninfra_datasync_event e = {.kind = CNINFRA_SYNC_RESYNC, .list = &l};
	ds->cb(&e, ds->arg);
	cninfra_kv_list_release(&l);
}

static void
ds_on_change(const struct cninfra_kv_event *ev, void *arg)
{
	struct cninfra_datasync *ds = arg;
	if (ev->type == CNINFRA_KV_LOST) {
		/* Changes were lost: start over with a fresh snapshot on the next turn. */
		cninfra_timer_set(ds->t, 1, 0);
		return;
	}
	struct cninfra_datasync_event e = {.kind = CNINFRA_SYNC_CHANGE, .ev = ev};
	ds->cb(&e, ds->arg);
}

struct cninfra_datasync *
cninfra_datasync_new(struct cninfra_kv *kv, const char *prefix, unsigned retry_ms,
		     cninfra_datasync_cb cb, void *arg)
{
	if (!kv || !kv->loop || !cb || check_key(prefix, true)) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_datasync *ds = calloc(1, sizeof(*ds));
	if (!ds)
		return NULL;
	ds->kv = kv;
	ds->retry_ms = retry_ms ? retry_ms : 1000;
	ds->cb = cb;
	ds->arg = arg;
	ds->prefix = strdup(prefix);
	if (ds->prefix)
		ds->t = cninfra_loop_timer(kv->loop, 0, 0, ds_resync, ds);
	if (!ds->t) {
		int e = errno;
		free(ds->prefix);
		free(ds);
		errno = e;
		return NULL;
	}
	return ds;
}

void
cninfra_datasync_free(struct cninfra_datasync *ds)
{
	if (!ds)
		return;
	cninfra_kv_unwatch(ds->w);
	cninfra_timer_free(ds->t);
	free(ds->prefix);
	free(ds);
}

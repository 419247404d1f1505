/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's diff writer (sfc_writer.h): sorted current and desired sets merged key by key into
 * puts and deletes, committed as store transactions. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_writer.h"

struct cur {
	char *key;
	char *value; /* NULL: indexed, but the key is not in the store */
	size_t size;
	char *owners; /* index value; NULL for own (status) keys */
};

struct sfc_writer {
	struct cninfra_kv *kv;
	size_t max_ops;
	struct cur *cur; /* sorted by key */
	size_t n_cur;
	bool stale; /* an apply failed: re-read before the next */
};

static bool
own_key(const char *key)
{
	return !strncmp(key, SFC_STATUS_PREFIX, strlen(SFC_STATUS_PREFIX));
}

static void
cur_free(struct cur *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].key);
		free(c[i].value);
		free(c[i].owners);
	}
	free(c);
}

static int
cmp_cur(const void *a, const void *b)
{
	return strcmp(((const struct cur *)a)->key, ((const struct cur *)b)->key);
}

static int
cmp_wkv(const void *a, const void *b)
{
	return strcmp((*(const struct sfc_wkv *const *)a)->key,
		      (*(const struct sfc_wkv *const *)b)->key);
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static const struct cninfra_kv_pair *
list_find(const struct cninfra_kv_list *l, const char *key)
{
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(l->pairs[mid].key, key);
		if (!c)
			return &l->pairs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Reads the store's state of everything lig-sfc manages into w->cur. */
static int
load(struct sfc_writer *w, struct sfc_errors *err)
{
	struct cninfra_kv_list own = {0}, agents = {0};
	int rc = cninfra_kv_list(w->kv, SFC_STATUS_PREFIX, &own);
	if (rc < 0) {
		sfc_errors_add(err, "store: listing %s: %s", SFC_STATUS_PREFIX, strerror(-rc));
		return rc;
	}
	size_t plen = strlen(SFC_INDEX_PREFIX);
	struct cur *cur = calloc(own.count ? own.count : 1, sizeof(*cur));
	size_t n = 0;
	if (!cur) {
		rc = -ENOMEM;
		goto out;
	}
	/* The indexed keys live anywhere; they are read with one list of their common prefix
	 * (in practice /vnf-agent/), or one get each when they have none. */
	char *common = NULL;
	for (size_t i = 0; i < own.count; i++) {
		const char *k = own.pairs[i].key;
		if (strncmp(k, SFC_INDEX_PREFIX, plen) || k[plen] != '/')
			continue;
		const char *ak = k + plen;
		if (!common) {
			common = strdup(ak);
			if (!common) {
				rc = -ENOMEM;
				goto out;
			}
		} else {
			size_t j = 0;
			while (common[j] && common[j] == ak[j])
				j++;
			common[j] = 0;
		}
	}
	if (common) {
		rc = cninfra_kv_list(w->kv, common, &agents);
		free(common);
		if (rc < 0) {
			sfc_errors_add(err, "store: listing the rendered keys: %s", strerror(-rc));
			goto out;
		}
	}
	for (size_t i = 0; i < own.count; i++) {
		const struct cninfra_kv_pair *p = &own.pairs[i];
		struct cur *c = &cur[n];
		if (!strncmp(p->key, SFC_INDEX_PREFIX, plen) && p->key[plen] == '/') {
			const struct cninfra_kv_pair *a = list_find(&agents, p->key + plen);
			c->key = strdup(p->key + plen);
			c->owners = dupn(p->value, p->value_size);
			if (a) {
				c->value = dupn(a->value, a->value_size);
				c->size = a->value_size;
			}
			if (!c->key || !c->owners || (a && !c->value)) {
				n++;
				rc = -ENOMEM;
				goto out;
			}
		} else {
			c->key = strdup(p->key);
			c->value = dupn(p->value, p->value_size);
			c->size = p->value_size;
			if (!c->key || !c->value) {
				n++;
				rc = -ENOMEM;
				goto out;
			}
		}
		n++;
	}
	qsort(cur, n, sizeof(*cur), cmp_cur);
	cur_free(w->cur, w->n_cur);
	w->cur = cur;
	w->n_cur = n;
	cur = NULL;
	w->stale = false;
out:
	if (cur)
		cur_free(cur, n);
	cninfra_kv_list_release(&own);
	cninfra_kv_list_release(&agents);
	if (rc == -ENOMEM)
		sfc_errors_add(err, "store: out of memory reading the state");
	return rc;
}

struct sfc_writer *
sfc_writer_open(struct cninfra_kv *kv, size_t max_ops, int *rc, struct sfc_errors *err)
{
	struct sfc_writer *w = calloc(1, sizeof(*w));
	if (!w) {
		*rc = -ENOMEM;
		return NULL;
	}
	w->kv = kv;
	w->max_ops = max_ops;
	*rc = load(w, err);
	if (*rc < 0) {
		sfc_writer_free(w);
		return NULL;
	}
	return w;
}

void
sfc_writer_free(struct sfc_writer *w)
{
	if (!w)
		return;
	cur_free(w->cur, w->n_cur);
	free(w);
}

bool
sfc_writer_observe(struct sfc_writer *w, const char *key, const char *value, size_t size)
{
	if (!w || w->stale)
		return false;
	size_t lo = 0, hi = w->n_cur;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(w->cur[mid].key, key);
		if (!c) {
			const struct cur *o = &w->cur[mid];
			bool same =
			    value ? o->value && o->size == size && !memcmp(o->value, value, size)
				  : !o->value;
			if (!same)
				w->stale = true;
			return !same;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void
sfc_writer_invalidate(struct sfc_writer *w)
{
	if (w)
		w->stale = true;
}

size_t
sfc_writer_count(const struct sfc_writer *w)
{
	size_t n = 0;
	for (size_t i = 0; w && i < w->n_cur; i++)
		n += w->cur[i].value != NULL;
	return n;
}

/* Transactions of at most max_ops operations. */
struct batch {
	struct sfc_writer *w;
	struct cninfra_kv_txn *txn;
	size_t n;
	size_t bytes; /* keys and values in txn */
	struct sfc_wstats *st;
	int rc;
};

static int
batch_flush(struct batch *b)
{
	if (b->rc || !b->n)
		return b->rc;
	int64_t rev = 0;
	b->rc = cninfra_kv_txn_commit(b->w->kv, b->txn, &rev);
	cninfra_kv_txn_free(b->txn);
	b->txn = NULL;
	b->n = 0;
	b->bytes = 0;
	if (!b->rc) {
		b->st->txns++;
		b->st->rev = rev;
	}
	return b->rc;
}

static int
batch_op(struct batch *b, const char *key, const char *value, size_t size, bool del)
{
	if (b->rc)
		return b->rc;
	size_t max =
	    b->w->max_ops && b->w->max_ops < SFC_TXN_OPS_MAX ? b->w->max_ops : SFC_TXN_OPS_MAX;
	size_t bytes = strlen(key) + size;
	if (b->n && (b->n >= max || b->bytes + bytes > SFC_TXN_BYTES_MAX) && batch_flush(b))
		return b->rc;
	if (!b->txn && !(b->txn = cninfra_kv_txn_new()))
		return b->rc = -ENOMEM;
	int rc = del ? cninfra_kv_txn_delete(b->txn, key, 0)
		     : cninfra_kv_txn_put(b->txn, key, value, size);
	if (rc)
		return b->rc = rc;
	b->n++;
	b->bytes += bytes;
	b->st->ops++;
	return 0;
}

static int
index_op(struct batch *b, const char *key, const char *owners, bool del)
{
	char ik[CNINFRA_KV_MAX_KEY + 1];
	int n = snprintf(ik, sizeof(ik), "%s%s", SFC_INDEX_PREFIX, key);
	if (n < 0 || (size_t)n >= sizeof(ik))
		return b->rc = -EINVAL;
	return batch_op(b, ik, owners ? owners : "", owners ? strlen(owners) : 0, del);
}

static bool
same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int
sfc_writer_apply(struct sfc_writer *w, const struct sfc_wkv *desired, size_t n,
		 struct sfc_wstats *st)
{
	memset(st, 0, sizeof(*st));
	if (w->stale) {
		struct sfc_errors e = {0};
		int rc = load(w, &e);
		sfc_errors_free(&e);
		if (rc < 0)
			return rc;
	}
	const struct sfc_wkv **d = calloc(n ? n : 1, sizeof(*d));
	struct cur *next = calloc(n ? n : 1, sizeof(*next));
	size_t n_next = 0;
	int rc = 0;
	if (!d || !next) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = &desired[i];
	qsort(d, n, sizeof(*d), cmp_wkv);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(d[i - 1]->key, d[i]->key)) {
			rc = -EINVAL; /* the caller's bug: one key twice */
			goto out;
		}
	struct batch b = {.w = w, .st = st};
	size_t i = 0, k = 0;
	while (i < n || k < w->n_cur) {
		int c = i >= n ? 1 : k >= w->n_cur ? -1 : strcmp(d[i]->key, w->cur[k].key);
		if (c < 0 || (c == 0)) {
			const struct sfc_wkv *x = d[i];
			const struct cur *o = c == 0 ? &w->cur[k] : NULL;
			bool own = own_key(x->key);
			if (!o || !o->value || o->size != x->size ||
			    memcmp(o->value, x->value, x->size)) {
				batch_op(&b, x->key, x->value, x->size, false);
				st->puts++;
			}
			if (!own && (!o || !same_str(o->owners, x->owners) || !o->owners))
				index_op(&b, x->key, x->owners ? x->owners : "", false);
			struct cur *nc = &next[n_next++];
			nc->key = strdup(x->key);
			nc->value = dupn(x->value, x->size);
			nc->size = x->size;
			nc->owners = own ? NULL : strdup(x->owners ? x->owners : "");
			if (!nc->key || !nc->value || (!own && !nc->owners))
				b.rc = -ENOMEM;
			i++;
			if (c == 0)
				k++;
		} else {
			const struct cur *o = &w->cur[k];
			if (o->value) {
				batch_op(&b, o->key, NULL, 0, true);
				st->deletes++;
			}
			if (!own_key(o->key))
				index_op(&b, o->key, NULL, true);
			k++;
		}
		if (b.rc)
			break;
	}
	rc = batch_flush(&b);
	cninfra_kv_txn_free(b.txn);
	if (rc) {
		w->stale = true;
		goto out;
	}
	cur_free(w->cur, w->n_cur);
	w->cur = next;
	w->n_cur = n_next;
	next = NULL;
out:
	if (next)
		cur_free(next, n_next);
	free(d);
	return rc;
}

int
sfc_writer_clean(struct sfc_writer *w, struct sfc_wstats *st)
{
	memset(st, 0, sizeof(*st));
	struct batch b = {.w = w, .st = st};
	for (size_t k = 0; k < w->n_cur; k++) {
		const struct cur *o = &w->cur[k];
		if (own_key(o->key))
			continue;
		if (o->value) {
			batch_op(&b, o->key, NULL, 0, true);
			st->deletes++;
		}
		if (b.rc)
			break;
	}
	/* Then the status prefix as a whole (the index with it), in its own transaction. */
	int rc = batch_flush(&b);
	cninfra_kv_txn_free(b.txn);
	b.txn = NULL;
	if (!rc) {
		b.txn = cninfra_kv_txn_new();
		if (!b.txn || cninfra_kv_txn_delete(b.txn, SFC_STATUS_PREFIX, CNINFRA_KV_PREFIX)) {
			rc = -ENOMEM;
		} else {
			b.n = 1;
			st->ops++;
			rc = batch_flush(&b);
		}
		cninfra_kv_txn_free(b.txn);
	}
	if (rc) {
		w->stale = true;
		return rc;
	}
	cur_free(w->cur, w->n_cur);
	w->cur = NULL;
	w->n_cur = 0;
	return 0;
}

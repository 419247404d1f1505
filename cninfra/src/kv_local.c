// SPDX-License-Identifier: Apache-2.0
// The embedded KV backend: no server, durable on disk, on LMDB. One LMDB environment per store
// directory holds three databases: "kv" (live keys and their revisions), "log" (every change,
// keyed by revision, trimmed to the newest `history` revisions) and "meta" (the store revision,
// the trimmed-up-to revision, the log's size). A transaction is one LMDB write transaction:
// its keys, its change-log events, the trimming of old revisions and the new state commit
// together, and the call returns once LMDB's commit is synced. Old data directories holding a
// kv.log (the former append-only format) are migrated on open. Record formats: kv_codec.h.
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "cninfra/loop.h"
#include "kv_codec.h"
#include "kv_internal.h"
#include "kv_oldlog.h"

#define MIGRATED_NAME "kv.log.migrated"
#define STATE_KEY "state"
#define MIGRATED_KEY "migrated"
#define TXN_MAX_SIZE (64u * 1024 * 1024) /* keys and values of one transaction */
#define DEFAULT_MAX_SIZE ((size_t)1 << 30)
#define DEFAULT_HISTORY 10000u
#define DEFAULT_HISTORY_SIZE ((size_t)64 * 1024 * 1024)
/* Room a commit needs beyond its keys and values twice (record and change log): tree pages. */
#define SLACK_SIZE (64u * 4096)

struct local {
	char *dir;
	int dirfd; /* holds the flock: one process per store */
	MDB_env *env;
	MDB_dbi kv_db, log_db, meta_db;
	struct kv_state st; /* as of the last commit */
	size_t history, history_size, max_size;
	struct lwatch *watches;
};

struct lwatch {
	struct cninfra_kv_watch *w;
	int64_t min_rev; /* a watch from a future revision skips the changes before it */
	struct lwatch *next;
};

/* The changes of one transaction, in the order applied: what goes into the change log and to the
 * watches. Keys and values are borrowed from the caller's txn, except keys removed by a prefix
 * delete, which are copied out of LMDB (owned). */
struct tev {
	struct kv_ev ev;
	void *owned;
};

struct tevs {
	struct tev *v;
	size_t n, cap;
};

static int
mdb_err(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return 0;
	case MDB_NOTFOUND:
		return -ENOENT;
	case MDB_MAP_FULL:
	case EDQUOT:
		return -ENOSPC;
	case MDB_TXN_FULL:
	case MDB_BAD_VALSIZE:
		return -E2BIG;
	case MDB_READERS_FULL:
		return -EAGAIN;
	default:
		/* LMDB's own codes are negative (corrupt, panic, bad file, ...): an I/O error to
		 * us. Positive ones are errno values. */
		return rc > 0 ? -rc : -EIO;
	}
}

/* A failed write transaction. LMDB reports the short write of a filesystem that fills up in the
 * middle of a commit as EIO; when the filesystem has less room left than the transaction needed,
 * that EIO was a full disk. Nothing of the transaction is visible either way: LMDB's previous
 * commit stays the newest. */
static int
write_err(struct cninfra_kv *kv, int rc, size_t need)
{
	struct local *l = kv->priv;
	int e = mdb_err(rc);
	struct statvfs sv;
	if (rc == EIO && fstatvfs(l->dirfd, &sv) == 0 &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize < need)
		e = -ENOSPC;
	cninfra_error(kv->log, "embedded store write failed", "dir=\"%s\" err=\"%s\" lmdb=\"%s\"",
		      l->dir, strerror(-e), mdb_strerror(rc));
	return e;
}

static int
tevs_push(struct tevs *t, const struct kv_ev *ev, void *owned)
{
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 8;
		struct tev *nv = realloc(t->v, nc * sizeof(*nv));
		if (!nv) {
			free(owned);
			return -ENOMEM;
		}
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n].ev = *ev;
	t->v[t->n].owned = owned;
	t->n++;
	return 0;
}

static void
tevs_release(struct tevs *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].owned);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Looks key up in txn t, whose records may carry revisions up to bound. Returns 0 with *rec
 * (pointing into LMDB's pages, valid until t writes) and its LMDB key in lkey and lsize; -ENOENT
 * with the LMDB key a new record of key goes under; -EIO for a corrupt record; or another -errno.
 */
static int
find_key(struct local *l, MDB_txn *t, const char *key, size_t klen, int64_t bound,
	 struct kv_rec *rec, uint8_t lkey[KV_LKEY_MAX], size_t *lsize)
{
	MDB_val k, d;
	int rc;
	*lsize = kv_lkey(key, klen, 0, lkey);
	k = (MDB_val){*lsize, lkey};
	if (klen <= KV_SHORT_KEY) {
		rc = mdb_get(t, l->kv_db, &k, &d);
		if (rc)
			return mdb_err(rc);
		return kv_rec_decode(lkey, *lsize, d.mv_data, d.mv_size, bound, rec);
	}
	/* A long key: among the LMDB keys of its first KV_SHORT_KEY bytes, the one whose record
	 * holds the whole key; if none, a new sequence number after the largest. */
	MDB_cursor *c;
	rc = mdb_cursor_open(t, l->kv_db, &c);
	if (rc)
		return mdb_err(rc);
	uint64_t next_seq = 0;
	int ret = -ENOENT;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); !rc;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		if (k.mv_size != KV_LKEY_MAX || memcmp(k.mv_data, lkey, KV_SHORT_KEY))
			break;
		struct kv_rec r;
		if (kv_rec_decode(k.mv_data, k.mv_size, d.mv_data, d.mv_size, bound, &r)) {
			ret = -EIO;
			break;
		}
		if (r.key_size == klen && !memcmp(r.key, key, klen)) {
			*rec = r;
			memcpy(lkey, k.mv_data, KV_LKEY_MAX);
			ret = 0;
			break;
		}
		next_seq = (uint64_t)kv_lkey_seq(k.mv_data) + 1;
	}
	if (ret == -ENOENT && rc && rc != MDB_NOTFOUND)
		ret = mdb_err(rc);
	mdb_cursor_close(c);
	if (ret == -ENOENT) {
		if (next_seq > UINT32_MAX)
			return -E2BIG; /* 2^32 long keys sharing their first 400 bytes */
		kv_lkey(key, klen, (uint32_t)next_seq, lkey);
	}
	return ret;
}

typedef int (*scan_cb)(const MDB_val *lkey, const struct kv_rec *r, void *arg);

/* Calls cb for every record whose key starts with prefix, in LMDB order; stops at the first
 * non-zero return and returns it. */
static int
scan_prefix(struct local *l, MDB_txn *t, const char *prefix, int64_t bound, scan_cb cb, void *arg)
{
	size_t plen = strlen(prefix), head = plen < KV_SHORT_KEY ? plen : KV_SHORT_KEY;
	MDB_cursor *c;
	int rc = mdb_cursor_open(t, l->kv_db, &c);
	if (rc)
		return mdb_err(rc);
	MDB_val k = {head, (void *)prefix}, d;
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &d, head ? MDB_SET_RANGE : MDB_FIRST); !rc;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		if (k.mv_size < head || memcmp(k.mv_data, prefix, head))
			break;
		struct kv_rec r;
		if (kv_rec_decode(k.mv_data, k.mv_size, d.mv_data, d.mv_size, bound, &r)) {
			ret = -EIO;
			break;
		}
		if (r.key_size >= plen && !memcmp(r.key, prefix, plen)) {
			ret = cb(&k, &r, arg);
			if (ret)
				break;
		}
	}
	if (!ret && rc && rc != MDB_NOTFOUND)
		ret = mdb_err(rc);
	mdb_cursor_close(c);
	return ret;
}

/* Range */

struct range_ctx {
	struct cninfra_kv_list *out;
	size_t cap;
	int unsorted; /* a long key was seen: LMDB's order is not key order among those */
};

static int
range_push(const MDB_val *lkey, const struct kv_rec *r, void *arg)
{
	struct range_ctx *rc = arg;
	struct cninfra_kv_pair *p = kv_list_push(rc->out, &rc->cap);
	if (!p)
		return -ENOMEM;
	if (kv_pair_set(p, r->key, r->key_size, r->value, r->value_size)) {
		rc->out->count--;
		return -ENOMEM;
	}
	p->create_revision = r->create_rev;
	p->mod_revision = r->mod_rev;
	p->version = r->version;
	if (lkey->mv_size == KV_LKEY_MAX)
		rc->unsorted = 1;
	return 0;
}

static int
pair_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cninfra_kv_pair *)a)->key,
		      ((const struct cninfra_kv_pair *)b)->key);
}

static int
local_range(struct cninfra_kv *kv, const char *key, bool prefix, struct cninfra_kv_list *out)
{
	struct local *l = kv->priv;
	MDB_txn *t;
	int rc = mdb_txn_begin(l->env, NULL, MDB_RDONLY, &t);
	if (rc)
		return mdb_err(rc);
	struct range_ctx ctx = {.out = out};
	out->revision = l->st.rev;
	if (prefix) {
		rc = scan_prefix(l, t, key, l->st.rev, range_push, &ctx);
	} else {
		uint8_t lkey[KV_LKEY_MAX];
		size_t lsize;
		struct kv_rec r;
		rc = find_key(l, t, key, strlen(key), l->st.rev, &r, lkey, &lsize);
		if (!rc)
			rc = range_push(&(MDB_val){lsize, lkey}, &r, &ctx);
		else if (rc == -ENOENT)
			rc = 0;
	}
	mdb_txn_abort(t);
	if (rc == -EIO)
		cninfra_error(kv->log, "embedded store: corrupt record", "dir=\"%s\" key=\"%s\"",
			      l->dir, key);
	if (!rc && ctx.unsorted && out->count > 1)
		qsort(out->pairs, out->count, sizeof(*out->pairs), pair_cmp);
	return rc;
}

/* Transactions */

struct del_ctx {
	struct tevs *evs;
	size_t first; /* the events this prefix delete added start here */
};

/* Records a key a prefix delete removes: its LMDB key (after its 16-bit big-endian size) and its
 * whole key, NUL-terminated, in one owned block (the event borrows the key from it). */
static int
del_collect(const MDB_val *lkey, const struct kv_rec *r, void *arg)
{
	struct del_ctx *dc = arg;
	uint8_t *blk = malloc(2 + lkey->mv_size + r->key_size + 1);
	if (!blk)
		return -ENOMEM;
	blk[0] = (uint8_t)(lkey->mv_size >> 8);
	blk[1] = (uint8_t)lkey->mv_size;
	memcpy(blk + 2, lkey->mv_data, lkey->mv_size);
	char *key = (char *)blk + 2 + lkey->mv_size;
	memcpy(key, r->key, r->key_size);
	key[r->key_size] = 0;
	struct kv_ev ev = {.type = KV_EV_DEL, .r = {.key = key, .key_size = r->key_size}};
	return tevs_push(dc->evs, &ev, blk);
}

static int
apply_op(struct local *l, MDB_txn *t, const struct kv_op *op, int64_t nrev, struct tevs *evs,
	 size_t *deleted)
{
	size_t klen = strlen(op->key);
	uint8_t lkey[KV_LKEY_MAX];
	size_t lsize;
	struct kv_rec old;
	int rc;
	if (op->type == KV_OP_PUT) {
		rc = find_key(l, t, op->key, klen, nrev, &old, lkey, &lsize);
		if (rc && rc != -ENOENT)
			return rc;
		int64_t create = nrev, version = 1;
		if (!rc) {
			/* Version counts the revisions that modified the key since its creation:
			 * a second put in the same transaction is the same modification. */
			create = old.create_rev;
			version = old.mod_rev == nrev ? old.version : old.version + 1;
			if (version > KV_REV_MAX)
				return -EOVERFLOW;
		}
		MDB_val k = {lsize, lkey}, d = {kv_rec_size(klen, op->value_size), NULL};
		rc = mdb_put(t, l->kv_db, &k, &d, MDB_RESERVE);
		if (rc)
			return mdb_err(rc);
		kv_rec_encode(d.mv_data, op->key, klen, op->value, op->value_size, create, nrev,
			      version);
		struct kv_ev ev = {.type = KV_EV_PUT,
				   .r = {.key = op->key,
					 .key_size = klen,
					 .value = op->value,
					 .value_size = op->value_size,
					 .create_rev = create,
					 .mod_rev = nrev,
					 .version = version}};
		return tevs_push(evs, &ev, NULL);
	}
	if (op->type == KV_OP_DEL) {
		rc = find_key(l, t, op->key, klen, nrev, &old, lkey, &lsize);
		if (rc)
			return rc == -ENOENT ? 0 : rc;
		rc = mdb_del(t, l->kv_db, &(MDB_val){lsize, lkey}, NULL);
		if (rc)
			return mdb_err(rc);
		(*deleted)++;
		struct kv_ev ev = {.type = KV_EV_DEL, .r = {.key = op->key, .key_size = klen}};
		return tevs_push(evs, &ev, NULL);
	}
	/* Prefix: collect first, then delete (no cursor walks a tree it is changing). */
	struct del_ctx dc = {.evs = evs, .first = evs->n};
	rc = scan_prefix(l, t, op->key, nrev, del_collect, &dc);
	for (size_t i = dc.first; !rc && i < evs->n; i++) {
		const uint8_t *blk = evs->v[i].owned;
		MDB_val k = {(size_t)blk[0] << 8 | blk[1], (void *)(blk + 2)};
		rc = mdb_err(mdb_del(t, l->kv_db, &k, NULL));
		if (!rc)
			(*deleted)++;
	}
	return rc;
}

/* Appends the transaction's events to the change log under revision nrev. */
static int
log_append(struct local *l, MDB_txn *t, int64_t nrev, struct tevs *evs, struct kv_state *st)
{
	for (size_t i = 0; i < evs->n; i++) {
		struct kv_ev *ev = &evs->v[i].ev;
		uint8_t lk[KV_LOGKEY_SIZE];
		ev->index = (uint32_t)i;
		kv_logkey(nrev, ev->index, lk);
		MDB_val k = {sizeof(lk), lk}, d = {kv_ev_size(ev), NULL};
		/* MDB_APPEND: a log that already holds a later key is corrupt, and says so. */
		int rc = mdb_put(t, l->log_db, &k, &d, MDB_RESERVE | MDB_APPEND);
		if (rc)
			return mdb_err(rc);
		kv_ev_encode(d.mv_data, ev);
		st->log_size += sizeof(lk) + d.mv_size;
	}
	return 0;
}

/* Trims the change log to the newest l->history revisions and l->history_size bytes (never the
 * revision nrev being written), whole revisions at a time, oldest first. */
static int
log_trim(struct local *l, MDB_txn *t, int64_t nrev, struct kv_state *st)
{
	int64_t cutoff = nrev - (int64_t)l->history;
	MDB_cursor *c;
	int rc = mdb_cursor_open(t, l->log_db, &c);
	if (rc)
		return mdb_err(rc);
	for (;;) {
		MDB_val k, d;
		rc = mdb_cursor_get(c, &k, &d, MDB_FIRST);
		if (rc)
			break;
		int64_t r = kv_logkey_rev(k.mv_data, k.mv_size);
		if (r < 1 || r > nrev) {
			rc = MDB_CORRUPTED;
			break;
		}
		if (!(r <= cutoff || r <= st->compact_rev ||
		      (st->log_size > l->history_size && r < nrev)))
			break;
		uint64_t sz = k.mv_size + d.mv_size;
		st->log_size = st->log_size > sz ? st->log_size - sz : 0;
		rc = mdb_cursor_del(c, 0);
		if (rc)
			break;
		if (r > st->compact_rev)
			st->compact_rev = r;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : mdb_err(rc);
}

static int
put_state(struct local *l, MDB_txn *t, const struct kv_state *st)
{
	uint8_t buf[KV_STATE_SIZE];
	kv_state_encode(buf, st);
	MDB_val k = {sizeof(STATE_KEY) - 1, STATE_KEY}, d = {sizeof(buf), buf};
	return mdb_err(mdb_put(t, l->meta_db, &k, &d, 0));
}

/* Hands a committed transaction's events to every watch whose prefix they match: one batch per
 * watch, posted to the loop after the commit. */
static void
notify(struct cninfra_kv *kv, const struct tevs *evs, int64_t rev)
{
	struct local *l = kv->priv;
	for (struct lwatch *lw = l->watches; lw; lw = lw->next) {
		if (rev < lw->min_rev)
			continue;
		struct kv_batch *b = NULL;
		for (size_t i = 0; i < evs->n; i++) {
			const struct kv_ev *ev = &evs->v[i].ev;
			/* Event keys here are the caller's or our copies: NUL-terminated. */
			if (!kv_has_prefix(ev->r.key, lw->w->prefix))
				continue;
			if (!b && !(b = kv_batch_new(lw->w)))
				break;
			if (ev->type == KV_EV_PUT)
				kv_batch_add(b, CNINFRA_KV_PUT, ev->r.key, ev->r.value,
					     ev->r.value_size, ev->r.create_rev, rev,
					     ev->r.version);
			else
				kv_batch_add(b, CNINFRA_KV_DELETE, ev->r.key, NULL, 0, 0, rev, 0);
		}
		if (b)
			kv_batch_post(b);
	}
}

static int
local_txn(struct cninfra_kv *kv, const struct cninfra_kv_txn *txn, int64_t *rev, size_t *deleted)
{
	struct local *l = kv->priv;
	size_t payload = 0;
	for (size_t i = 0; i < txn->count; i++)
		payload += strlen(txn->ops[i].key) + txn->ops[i].value_size;
	*deleted = 0;
	if (payload > TXN_MAX_SIZE)
		return -E2BIG;
	struct tevs evs = {0};
	struct kv_state st = l->st;
	int64_t nrev = st.rev + 1;
	size_t ndel = 0;
	MDB_txn *t = NULL;
	int rc = mdb_err(mdb_txn_begin(l->env, NULL, 0, &t));
	for (size_t i = 0; !rc && i < txn->count; i++)
		rc = apply_op(l, t, &txn->ops[i], nrev, &evs, &ndel);
	if (!rc && !evs.n) {
		/* Nothing changed (deletes of absent keys): no new revision. */
		*rev = st.rev;
		goto out;
	}
	if (!rc && st.rev >= KV_REV_MAX)
		rc = -EOVERFLOW;
	if (!rc)
		rc = log_append(l, t, nrev, &evs, &st);
	if (!rc)
		rc = log_trim(l, t, nrev, &st);
	st.rev = nrev;
	if (!rc)
		rc = put_state(l, t, &st);
	if (rc)
		goto out;
	/* Durable before we return: mdb_txn_commit() syncs the data, then the meta page. */
	rc = mdb_txn_commit(t);
	t = NULL;
	if (rc) {
		rc = write_err(kv, rc, 2 * payload + SLACK_SIZE);
		goto out;
	}
	l->st = st;
	*rev = nrev;
	*deleted = ndel;
	notify(kv, &evs, nrev);
out:
	if (t)
		mdb_txn_abort(t);
	if (rc == -EIO)
		cninfra_error(kv->log, "embedded store: corrupt record or I/O error", "dir=\"%s\"",
			      l->dir);
	else if (rc == -ENOSPC && t)
		cninfra_error(kv->log, "embedded store full", "dir=\"%s\" max_size=%zu", l->dir,
			      l->max_size);
	tevs_release(&evs);
	return rc;
}

/* Watches */

/* Queues the changes at from_rev and later that the watch's prefix matches, in one batch. */
static int
replay_history(struct cninfra_kv *kv, struct cninfra_kv_watch *w, int64_t from_rev)
{
	struct local *l = kv->priv;
	MDB_txn *t;
	int rc = mdb_txn_begin(l->env, NULL, MDB_RDONLY, &t);
	if (rc)
		return mdb_err(rc);
	MDB_cursor *c;
	rc = mdb_cursor_open(t, l->log_db, &c);
	if (rc) {
		mdb_txn_abort(t);
		return mdb_err(rc);
	}
	struct kv_batch *b = kv_batch_new(w);
	uint8_t lk[KV_LOGKEY_SIZE];
	kv_logkey(from_rev, 0, lk);
	MDB_val k = {sizeof(lk), lk}, d;
	size_t plen = strlen(w->prefix);
	int ret = b ? 0 : -ENOMEM;
	int64_t last = from_rev - 1;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); !rc && !ret;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		struct kv_ev ev;
		if (kv_ev_decode(k.mv_data, k.mv_size, d.mv_data, d.mv_size, l->st.rev, &ev)) {
			ret = -EIO;
			break;
		}
		/* Revisions follow each other without a gap, from from_rev on. */
		if (ev.r.mod_rev != last && ev.r.mod_rev != last + 1) {
			ret = -EIO;
			break;
		}
		last = ev.r.mod_rev;
		if (ev.r.key_size < plen || memcmp(ev.r.key, w->prefix, plen))
			continue;
		char key[CNINFRA_KV_MAX_KEY + 1];
		memcpy(key, ev.r.key, ev.r.key_size);
		key[ev.r.key_size] = 0;
		if (ev.type == KV_EV_PUT)
			ret = kv_batch_add(b, CNINFRA_KV_PUT, key, ev.r.value, ev.r.value_size,
					   ev.r.create_rev, ev.r.mod_rev, ev.r.version);
		else
			ret = kv_batch_add(b, CNINFRA_KV_DELETE, key, NULL, 0, 0, ev.r.mod_rev, 0);
	}
	if (!ret && rc != MDB_NOTFOUND)
		ret = mdb_err(rc);
	if (!ret && last != l->st.rev)
		ret = -EIO; /* the log must reach the store's revision */
	mdb_cursor_close(c);
	mdb_txn_abort(t);
	if (ret) {
		if (ret == -EIO)
			cninfra_error(kv->log, "embedded store: corrupt change log",
				      "dir=\"%s\" from_rev=%lld", l->dir, (long long)from_rev);
		kv_batch_free(b);
		return ret;
	}
	kv_batch_post(b);
	return 0;
}

static int
local_watch_start(struct cninfra_kv_watch *w)
{
	struct local *l = w->kv->priv;
	/* Like etcd after a compaction: revisions the trimmed log no longer holds are gone. */
	if (w->from_rev && w->from_rev <= l->st.compact_rev)
		return -ERANGE;
	struct lwatch *lw = calloc(1, sizeof(*lw));
	if (!lw)
		return -ENOMEM;
	lw->w = w;
	lw->min_rev = w->from_rev;
	if (w->from_rev && w->from_rev <= l->st.rev) {
		/* The past first; the batches of later commits are posted after it. */
		int rc = replay_history(w->kv, w, w->from_rev);
		if (rc) {
			free(lw);
			return rc;
		}
	}
	w->priv = lw;
	lw->next = l->watches;
	l->watches = lw;
	return 0;
}

static void
local_watch_stop(struct cninfra_kv_watch *w)
{
	struct local *l = w->kv->priv;
	for (struct lwatch **pp = &l->watches; *pp; pp = &(*pp)->next) {
		if ((*pp)->w == w) {
			struct lwatch *lw = *pp;
			*pp = lw->next;
			free(lw);
			w->priv = NULL;
			return;
		}
	}
}

static void
local_close(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	while (l->watches) {
		struct lwatch *lw = l->watches;
		l->watches = lw->next;
		free(lw);
	}
	if (l->env)
		mdb_env_close(l->env);
	if (l->dirfd >= 0)
		close(l->dirfd); /* releases the flock */
	free(l->dir);
	free(l);
}

static const struct kv_ops local_ops = {
    .name = "embedded",
    .range = local_range,
    .txn = local_txn,
    .watch_start = local_watch_start,
    .watch_stop = local_watch_stop,
    .close = local_close,
};

/* Opening and migration */

static int
read_file(int dirfd, const char *name, uint8_t **out, size_t *size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	int rc = 0;
	uint8_t *buf = NULL;
	size_t got = 0;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			goto out;
		}
		got += (size_t)n;
	}
out:
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*size = got;
	return 0;
}

/* Writes what the old log replays to into t: every live key with its revisions, the store
 * revision, and the log's size and CRC (to recognise it should the rename after the commit not
 * happen). The change log starts empty: revisions up to the migrated one are trimmed. */
static int
migrate(struct cninfra_kv *kv, MDB_txn *t, struct kv_state *st)
{
	struct local *l = kv->priv;
	uint8_t *buf;
	size_t size;
	int rc = read_file(l->dirfd, KV_OLDLOG_NAME, &buf, &size);
	if (rc)
		return rc;
	struct kv_oldlog ol;
	rc = kv_oldlog_replay(buf, size, &ol);
	uint32_t crc = kv_crc32(buf, size);
	free(buf);
	if (rc)
		goto out;
	if (ol.why)
		cninfra_warn(kv->log,
			     "embedded store: kv.log has a torn or corrupt tail, not migrated",
			     "dir=\"%s\" offset=%zu dropped_bytes=%zu reason=\"%s\"", l->dir,
			     ol.valid_size, size - ol.valid_size, ol.why);
	uint32_t seq = 0;
	for (size_t i = 0; !rc && i < ol.n; i++) {
		const struct cninfra_kv_pair *e = &ol.e[i];
		size_t klen = strlen(e->key);
		/* Sorted by key: long keys sharing their first bytes are neighbours. */
		if (klen > KV_SHORT_KEY && i && strlen(ol.e[i - 1].key) > KV_SHORT_KEY &&
		    !memcmp(e->key, ol.e[i - 1].key, KV_SHORT_KEY))
			seq++;
		else
			seq = 0;
		uint8_t lkey[KV_LKEY_MAX];
		MDB_val k = {kv_lkey(e->key, klen, seq, lkey), lkey};
		MDB_val d = {kv_rec_size(klen, e->value_size), NULL};
		rc = mdb_err(mdb_put(t, l->kv_db, &k, &d, MDB_RESERVE | MDB_NOOVERWRITE));
		if (rc)
			break;
		kv_rec_encode(d.mv_data, e->key, klen, e->value, e->value_size, e->create_revision,
			      e->mod_revision, e->version);
		/* The replay bounds what it accepts; the store reads back only what checks out. */
		struct kv_rec r;
		if (kv_rec_decode(lkey, k.mv_size, d.mv_data, d.mv_size, ol.rev, &r))
			rc = -EIO;
	}
	if (rc)
		goto out;
	st->rev = ol.rev;
	st->compact_rev = ol.rev;
	uint8_t m[KV_MIGRATED_SIZE];
	kv_migrated_encode(m, size, crc);
	MDB_val k = {sizeof(MIGRATED_KEY) - 1, MIGRATED_KEY}, d = {sizeof(m), m};
	rc = mdb_err(mdb_put(t, l->meta_db, &k, &d, 0));
	if (!rc)
		cninfra_info(kv->log, "embedded store: migrating kv.log into LMDB",
			     "dir=\"%s\" keys=%zu revision=%lld log_size=%zu", l->dir, ol.n,
			     (long long)ol.rev, size);
out:
	kv_oldlog_release(&ol);
	return rc;
}

/* A store that has state and a kv.log beside it: fine if that log is the one it was migrated
 * from (a crash came between the migration's commit and the rename), refused otherwise. */
static int
check_migrated(struct cninfra_kv *kv, MDB_txn *t)
{
	struct local *l = kv->priv;
	MDB_val k = {sizeof(MIGRATED_KEY) - 1, MIGRATED_KEY}, d;
	uint64_t want_size = 0;
	uint32_t want_crc = 0;
	int rc = mdb_get(t, l->meta_db, &k, &d);
	if (!rc && kv_migrated_decode(d.mv_data, d.mv_size, &want_size, &want_crc) == 0) {
		uint8_t *buf;
		size_t size;
		rc = read_file(l->dirfd, KV_OLDLOG_NAME, &buf, &size);
		if (rc)
			return rc;
		uint32_t crc = kv_crc32(buf, size);
		free(buf);
		if (size == want_size && crc == want_crc)
			return 0;
	}
	cninfra_error(kv->log,
		      "embedded store: kv.log beside an LMDB store that was not migrated from it; "
		      "move kv.log or data.mdb away",
		      "dir=\"%s\"", l->dir);
	return -EEXIST;
}

static int
load_state(struct cninfra_kv *kv, MDB_txn *t, bool *found)
{
	struct local *l = kv->priv;
	MDB_val k = {sizeof(STATE_KEY) - 1, STATE_KEY}, d;
	int rc = mdb_get(t, l->meta_db, &k, &d);
	*found = rc == 0;
	if (rc == MDB_NOTFOUND) {
		/* Never committed: then it holds nothing else either. */
		MDB_stat a, b;
		if (mdb_stat(t, l->kv_db, &a) || mdb_stat(t, l->log_db, &b) || a.ms_entries ||
		    b.ms_entries) {
			cninfra_error(kv->log, "embedded store corrupt: records but no state",
				      "dir=\"%s\"", l->dir);
			return -EIO;
		}
		l->st = (struct kv_state){.format = KV_FORMAT};
		return 0;
	}
	if (rc)
		return mdb_err(rc);
	rc = kv_state_decode(d.mv_data, d.mv_size, &l->st);
	if (rc == -EPROTONOSUPPORT) {
		cninfra_error(kv->log, "embedded store written by a newer version", "dir=\"%s\"",
			      l->dir);
		return rc;
	}
	/* The newest change-log entry must sit between the trimmed and the store revision. */
	MDB_cursor *c;
	if (!rc && !(rc = mdb_err(mdb_cursor_open(t, l->log_db, &c)))) {
		int g = mdb_cursor_get(c, &k, &d, MDB_LAST);
		if (!g) {
			int64_t r = kv_logkey_rev(k.mv_data, k.mv_size);
			if (r != l->st.rev || r <= l->st.compact_rev)
				rc = -EIO;
			g = mdb_cursor_get(c, &k, &d, MDB_FIRST);
			r = g ? -1 : kv_logkey_rev(k.mv_data, k.mv_size);
			if (r <= l->st.compact_rev)
				rc = -EIO;
		} else if (g != MDB_NOTFOUND) {
			rc = mdb_err(g);
		}
		mdb_cursor_close(c);
	}
	if (rc == -EIO)
		cninfra_error(kv->log, "embedded store corrupt: bad state or change log",
			      "dir=\"%s\"", l->dir);
	return rc;
}

static int
env_open(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	int rc = mdb_env_create(&l->env);
	if (rc) {
		l->env = NULL;
		return mdb_err(rc);
	}
	rc = mdb_env_set_maxdbs(l->env, 3);
	if (!rc)
		rc = mdb_env_set_mapsize(l->env, l->max_size);
	/* MDB_NOTLS: calls may come from different threads in turn. No MDB_NOSYNC or
	 * MDB_NOMETASYNC: a commit returns once synced. */
	if (!rc)
		rc = mdb_env_open(l->env, l->dir, MDB_NOTLS, 0600);
	if (rc) {
		cninfra_error(kv->log, "embedded store: cannot open LMDB environment",
			      "dir=\"%s\" err=\"%s\"", l->dir, mdb_strerror(rc));
		mdb_env_close(l->env);
		l->env = NULL;
		return rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ? -EIO : mdb_err(rc);
	}
	if (mdb_env_get_maxkeysize(l->env) < (int)KV_LKEY_MAX)
		return -ENOTSUP;
	return 0;
}

static int
setup(struct cninfra_kv *kv)
{
	struct local *l = kv->priv;
	struct stat sb;
	bool have_log = fstatat(l->dirfd, KV_OLDLOG_NAME, &sb, 0) == 0 && S_ISREG(sb.st_mode);
	bool found = false;
	MDB_txn *t;
	int rc = mdb_txn_begin(l->env, NULL, 0, &t);
	if (rc)
		return mdb_err(rc);
	rc = mdb_dbi_open(t, "kv", MDB_CREATE, &l->kv_db);
	if (!rc)
		rc = mdb_dbi_open(t, "log", MDB_CREATE, &l->log_db);
	if (!rc)
		rc = mdb_dbi_open(t, "meta", MDB_CREATE, &l->meta_db);
	rc = mdb_err(rc);
	if (!rc)
		rc = load_state(kv, t, &found);
	if (!rc && found && have_log)
		rc = check_migrated(kv, t);
	if (!rc && !found) {
		struct kv_state st = l->st;
		if (have_log)
			rc = migrate(kv, t, &st);
		if (!rc)
			rc = put_state(l, t, &st);
		if (!rc)
			l->st = st;
	}
	if (rc) {
		mdb_txn_abort(t);
		return rc;
	}
	rc = mdb_txn_commit(t); /* also keeps the database handles */
	if (rc)
		return write_err(kv, rc, SLACK_SIZE);
	/* The directory entries of data.mdb (and a rename below) must be durable too. */
	fsync(l->dirfd);
	if (have_log) {
		if (renameat(l->dirfd, KV_OLDLOG_NAME, l->dirfd, MIGRATED_NAME) < 0)
			return -errno;
		unlinkat(l->dirfd, KV_OLDLOG_TMP, 0);
		fsync(l->dirfd);
		cninfra_info(kv->log, "embedded store: migrated, old log kept as kv.log.migrated",
			     "dir=\"%s\" revision=%lld", l->dir, (long long)l->st.rev);
	}
	return 0;
}

int
kv_local_open(struct cninfra_kv *kv, const char *dir)
{
	struct local *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->dirfd = -1;
	kv->priv = l;
	kv->ops = &local_ops;
	l->max_size = kv->opts.max_size ? kv->opts.max_size : DEFAULT_MAX_SIZE;
	l->history = kv->opts.history ? kv->opts.history : DEFAULT_HISTORY;
	l->history_size = kv->opts.history_size ? kv->opts.history_size : DEFAULT_HISTORY_SIZE;
	if (l->history > KV_REV_MAX)
		l->history = KV_REV_MAX;
	int rc;
	l->dir = strdup(dir);
	if (!l->dir) {
		rc = -ENOMEM;
		goto fail;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		goto fail;
	}
	l->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dirfd < 0) {
		rc = -errno;
		goto fail;
	}
	/* One process per store: watches see only this process's writes. The lock is on the
	 * directory, not on LMDB's files (closing any descriptor of those would drop LMDB's own
	 * locks). */
	if (flock(l->dirfd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (rc == -EBUSY)
			cninfra_error(kv->log, "embedded store in use by another process or handle",
				      "dir=\"%s\"", dir);
		goto fail;
	}
	rc = env_open(kv);
	if (!rc)
		rc = setup(kv);
	if (rc)
		goto fail;
	MDB_stat ms = {0};
	MDB_txn *t;
	if (!mdb_txn_begin(l->env, NULL, MDB_RDONLY, &t)) {
		mdb_stat(t, l->kv_db, &ms);
		mdb_txn_abort(t);
	}
	cninfra_info(kv->log, "embedded store open",
		     "dir=\"%s\" keys=%zu revision=%lld history_from=%lld", dir, ms.ms_entries,
		     (long long)l->st.rev, (long long)l->st.compact_rev + 1);
	return 0;
fail:
	local_close(kv);
	kv->priv = NULL;
	return rc;
}

// SPDX-License-Identifier: Apache-2.0
// Unit tests of the embedded KV backend (LMDB) through the public API: CRUD, prefixes,
// transactions, watches (live, resumed from a past revision, refused once trimmed), datasync,
// durability across reopen, the change log's bounds (revisions, bytes, disk), long keys, a full
// map, corrupt records refused rather than trusted, and the migration of old kv.log directories
// (whole, torn, randomly damaged, interrupted before the rename, refused beside another store).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../src/kv_codec.h"
#include "cninfra/kv.h"
#include "cninfra/log.h"
#include "cninfra/loop.h"
#include "oldlog.h"
#include "testutil.h"

static char *dir;
static struct cninfra_loop *loop;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("kvl");
	loop = cninfra_loop_new();
	return dir && loop ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	cninfra_loop_free(loop);
	tu_rmrf(dir);
	free(dir);
	return 0;
}

static struct cninfra_kv *
open_with(const struct cninfra_kv_opts *opts)
{
	struct cninfra_kv_opts o = *opts;
	o.endpoint = dir;
	struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
	if (!kv)
		fail_msg("open %s: %s", dir, strerror(errno));
	return kv;
}

static struct cninfra_kv *
open_kv(void)
{
	return open_with(&(struct cninfra_kv_opts){0});
}

static void
check_value(struct cninfra_kv *kv, const char *key, const char *val)
{
	struct cninfra_kv_pair *p = NULL;
	int rc = cninfra_kv_get(kv, key, &p);
	if (rc)
		fail_msg("get %s: %d", key, rc);
	assert_int_equal(p->value_size, strlen(val));
	assert_memory_equal(p->value, val, strlen(val));
	cninfra_kv_pair_free(p);
}

static void
check_revs(struct cninfra_kv *kv, const char *key, int64_t create, int64_t mod, int64_t version)
{
	struct cninfra_kv_pair *p = NULL;
	assert_int_equal(cninfra_kv_get(kv, key, &p), 0);
	assert_int_equal(p->create_revision, create);
	assert_int_equal(p->mod_revision, mod);
	assert_int_equal(p->version, version);
	cninfra_kv_pair_free(p);
}

static int64_t
store_rev(struct cninfra_kv *kv)
{
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	int64_t r = l.revision;
	cninfra_kv_list_release(&l);
	return r;
}

static bool
exists(const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static off_t
file_size(const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
test_crud(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv();
	assert_string_equal(cninfra_kv_backend(kv), "embedded");
	int64_t rev = 0;
	assert_int_equal(cninfra_kv_put(kv, "/a/1", "one", 3, &rev), 0);
	assert_int_equal(rev, 1);
	assert_int_equal(cninfra_kv_put(kv, "/a/2", "two", 3, &rev), 0);
	assert_int_equal(cninfra_kv_put(kv, "/b/1", "bee", 3, &rev), 0);
	assert_int_equal(cninfra_kv_put(kv, "/a/1", "uno", 3, &rev), 0);
	assert_int_equal(rev, 4);
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/a/1", &p), 0);
	assert_string_equal(p->value, "uno");
	assert_int_equal(p->create_revision, 1);
	assert_int_equal(p->mod_revision, 4);
	assert_int_equal(p->version, 2);
	cninfra_kv_pair_free(p);
	assert_int_equal(cninfra_kv_get(kv, "/nope", &p), -ENOENT);
	assert_null(p);

	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/a/", &l), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.pairs[0].key, "/a/1");
	assert_string_equal(l.pairs[1].key, "/a/2");
	assert_int_equal(l.revision, 4);
	cninfra_kv_list_release(&l);
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	assert_int_equal(l.count, 3);
	cninfra_kv_list_release(&l);

	struct cninfra_kv_txn *t = cninfra_kv_txn_new();
	assert_int_equal(cninfra_kv_txn_put(t, "/c/1", "x", 1), 0);
	assert_int_equal(cninfra_kv_txn_put(t, "/c/2", "", 0), 0);
	assert_int_equal(cninfra_kv_txn_delete(t, "/a/", CNINFRA_KV_PREFIX), 0);
	assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0);
	assert_int_equal(rev, 5); /* one transaction, one revision */
	cninfra_kv_txn_free(t);
	assert_int_equal(cninfra_kv_list(kv, "/a/", &l), 0);
	assert_int_equal(l.count, 0);
	cninfra_kv_list_release(&l);
	check_value(kv, "/c/2", "");

	/* A key put twice in one transaction: one modification (etcd's version counts
	 * revisions). */
	t = cninfra_kv_txn_new();
	assert_int_equal(cninfra_kv_txn_put(t, "/c/1", "y", 1), 0);
	assert_int_equal(cninfra_kv_txn_put(t, "/c/1", "z", 1), 0);
	assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0);
	cninfra_kv_txn_free(t);
	assert_int_equal(rev, 6);
	check_value(kv, "/c/1", "z");
	check_revs(kv, "/c/1", 5, 6, 2);

	size_t n = 9;
	assert_int_equal(cninfra_kv_delete(kv, "/b/1", 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cninfra_kv_delete(kv, "/b/1", 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_rev(kv), 7); /* deleting nothing makes no revision */

	/* Hostile arguments */
	char big[CNINFRA_KV_MAX_KEY + 2];
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(cninfra_kv_put(kv, big, "v", 1, NULL), -EINVAL);
	assert_int_equal(cninfra_kv_put(kv, "", "v", 1, NULL), -EINVAL);
	assert_int_equal(cninfra_kv_put(kv, "/k", NULL, 5, NULL), -EINVAL);
	assert_int_equal(cninfra_kv_delete(kv, "", 0, NULL), -EINVAL);

	/* One writer per directory. */
	struct cninfra_kv_opts o = {.endpoint = dir};
	assert_null(cninfra_kv_open(NULL, &o));
	assert_int_equal(errno, EBUSY);
	cninfra_kv_close(kv);

	/* Everything survives a reopen, revisions included. */
	kv = open_kv();
	check_value(kv, "/c/1", "z");
	check_revs(kv, "/c/1", 5, 6, 2);
	assert_int_equal(cninfra_kv_get(kv, "/a/1", &p), -ENOENT);
	assert_int_equal(cninfra_kv_put(kv, "/d", "d", 1, &rev), 0);
	assert_int_equal(rev, 8);
	cninfra_kv_close(kv);
	assert_true(exists("data.mdb"));
	assert_false(exists("kv.log"));
}

struct seen {
	char log[4096];
	int n;
	bool full; /* also create revision and version of puts */
};

static void
on_event(const struct cninfra_kv_event *ev, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->log);
	if (ev->type == CNINFRA_KV_PUT && s->full)
		snprintf(s->log + n, sizeof(s->log) - n, "%sput %s=%s@%lldc%lldv%lld", n ? "," : "",
			 ev->kv->key, ev->kv->value, (long long)ev->revision,
			 (long long)ev->kv->create_revision, (long long)ev->kv->version);
	else
		snprintf(s->log + n, sizeof(s->log) - n, "%s%s %s=%s@%lld", n ? "," : "",
			 ev->type == CNINFRA_KV_PUT ? "put" : "del", ev->kv->key, ev->kv->value,
			 (long long)ev->revision);
	s->n++;
}

static void
spin(int *counter, int want)
{
	for (int i = 0; i < 100 && *counter < want; i++)
		cninfra_loop_run_once(loop, 10);
}

/* Runs the loop until nothing more arrives for a moment. */
static void
drain(void)
{
	for (int i = 0; i < 5; i++)
		cninfra_loop_run_once(loop, 5);
}

static void
test_watch(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv();
	struct seen s = {0}, past = {0};
	cninfra_kv_put(kv, "/w/old", "o", 1, NULL);
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/w/", 0, on_event, &s);
	assert_non_null(w);
	cninfra_kv_put(kv, "/w/a", "1", 1, NULL);
	cninfra_kv_put(kv, "/x/a", "ignored", 7, NULL);
	cninfra_kv_delete(kv, "/w/old", 0, NULL);
	spin(&s.n, 2);
	assert_string_equal(s.log, "put /w/a=1@2,del /w/old=@4");
	/* A watch from the past replays the change log first. */
	struct cninfra_kv_watch *w2 = cninfra_kv_watch(kv, "/w/", 1, on_event, &past);
	assert_non_null(w2);
	spin(&past.n, 3);
	assert_string_equal(past.log, "put /w/old=o@1,put /w/a=1@2,del /w/old=@4");
	cninfra_kv_unwatch(w2);
	/* After unwatch, nothing is delivered, even what was already posted. */
	cninfra_kv_put(kv, "/w/b", "2", 1, NULL);
	cninfra_kv_unwatch(w);
	spin(&s.n, 3);
	assert_int_equal(s.n, 2);
	/* Bad from_rev */
	assert_null(cninfra_kv_watch(kv, "/w/", -1, on_event, &s));
	assert_int_equal(errno, EINVAL);
	cninfra_kv_close(kv);
}

/* A watch resumed from a past revision sees exactly what a watch running since then saw, then
 * the live changes, without a gap or a duplicate; also after a reopen. */
static void
test_watch_resume(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv();
	struct seen live = {.full = true}, r2 = {.full = true}, rx = {.full = true},
		    fut = {.full = true}, all = {.full = true};
	struct cninfra_kv_watch *wl = cninfra_kv_watch(kv, "", 0, on_event, &live);
	assert_non_null(wl);
	cninfra_kv_put(kv, "/r/a", "1", 1, NULL); /* 1 */
	cninfra_kv_put(kv, "/r/b", "2", 1, NULL); /* 2 */
	cninfra_kv_put(kv, "/x", "x", 1, NULL);	  /* 3 */
	cninfra_kv_delete(kv, "/r/a", 0, NULL);	  /* 4 */
	struct cninfra_kv_txn *t = cninfra_kv_txn_new();
	cninfra_kv_txn_put(t, "/r/c", "3", 1);
	cninfra_kv_txn_put(t, "/r/b", "22", 2);
	cninfra_kv_txn_delete(t, "/r/b", CNINFRA_KV_PREFIX);
	int64_t rev;
	assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0); /* 5 */
	cninfra_kv_txn_free(t);
	assert_int_equal(rev, 5);

	struct cninfra_kv_watch *w2 = cninfra_kv_watch(kv, "/r/", 2, on_event, &r2);
	struct cninfra_kv_watch *wx = cninfra_kv_watch(kv, "/x", 5, on_event, &rx);
	struct cninfra_kv_watch *wf = cninfra_kv_watch(kv, "", 9, on_event, &fut);
	assert_non_null(w2);
	assert_non_null(wx);
	assert_non_null(wf);
	cninfra_kv_put(kv, "/r/d", "4", 1, NULL); /* 6 */
	cninfra_kv_put(kv, "/x", "y", 1, NULL);	  /* 7 */
	cninfra_kv_put(kv, "/r/e", "5", 1, NULL); /* 8 */
	cninfra_kv_put(kv, "/r/f", "6", 1, NULL); /* 9 */
	spin(&r2.n, 8);
	drain();
	assert_string_equal(r2.log, "put /r/b=2@2c2v1,del /r/a=@4,put /r/c=3@5c5v1,"
				    "put /r/b=22@5c2v2,del /r/b=@5,put /r/d=4@6c6v1,"
				    "put /r/e=5@8c8v1,put /r/f=6@9c9v1");
	/* /x's change at 3 is before from_rev 5: only the live one. */
	assert_string_equal(rx.log, "put /x=y@7c3v2");
	/* A watch from a future revision skips what comes before it. */
	assert_string_equal(fut.log, "put /r/f=6@9c9v1");
	cninfra_kv_unwatch(w2);
	cninfra_kv_unwatch(wx);
	cninfra_kv_unwatch(wf);

	/* Replayed from revision 1 equals what the live watch saw. */
	struct cninfra_kv_watch *wa = cninfra_kv_watch(kv, "", 1, on_event, &all);
	assert_non_null(wa);
	spin(&all.n, live.n);
	drain();
	assert_int_equal(live.n, 11);
	assert_string_equal(all.log, live.log);
	cninfra_kv_unwatch(wa);
	cninfra_kv_unwatch(wl);
	cninfra_kv_close(kv);

	/* The change log is durable: after a reopen the same replay. */
	kv = open_kv();
	memset(&all, 0, sizeof(all));
	all.full = true;
	wa = cninfra_kv_watch(kv, "", 1, on_event, &all);
	assert_non_null(wa);
	spin(&all.n, live.n);
	drain();
	assert_string_equal(all.log, live.log);
	/* and from the newest revision: just that one */
	struct seen last = {.full = true};
	struct cninfra_kv_watch *wn = cninfra_kv_watch(kv, "", 9, on_event, &last);
	spin(&last.n, 1);
	drain();
	assert_string_equal(last.log, "put /r/f=6@9c9v1");
	cninfra_kv_unwatch(wn);
	cninfra_kv_unwatch(wa);
	cninfra_kv_close(kv);
}

/* Old revisions are trimmed as new ones commit: by count, then by bytes; a watch from a trimmed
 * revision is refused with ERANGE, like etcd's compacted revisions. */
static void
test_history_trim(void **state)
{
	(void)state;
	struct cninfra_kv_opts o = {.history = 5};
	struct cninfra_kv *kv = open_with(&o);
	char key[16], val[16];
	for (int i = 1; i <= 20; i++) {
		snprintf(key, sizeof(key), "/h/k%d", i % 3);
		snprintf(val, sizeof(val), "v%d", i);
		assert_int_equal(cninfra_kv_put(kv, key, val, strlen(val), NULL), 0);
	}
	struct seen s = {0};
	assert_null(cninfra_kv_watch(kv, "/h/", 15, on_event, &s));
	assert_int_equal(errno, ERANGE);
	assert_null(cninfra_kv_watch(kv, "/h/", 1, on_event, &s));
	assert_int_equal(errno, ERANGE);
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/h/", 16, on_event, &s);
	assert_non_null(w);
	spin(&s.n, 5);
	drain();
	assert_string_equal(s.log, "put /h/k1=v16@16,put /h/k2=v17@17,put /h/k0=v18@18,"
				   "put /h/k1=v19@19,put /h/k2=v20@20");
	cninfra_kv_unwatch(w);
	/* Values, versions and creation revisions are not history: they stay. */
	check_revs(kv, "/h/k1", 1, 19, 7);
	cninfra_kv_close(kv);

	kv = open_with(&o);
	assert_null(cninfra_kv_watch(kv, "/h/", 15, on_event, &s));
	assert_int_equal(errno, ERANGE);
	w = cninfra_kv_watch(kv, "/h/", 16, on_event, &s);
	assert_non_null(w);
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);

	/* A smaller bound applies from the next commit on. */
	o.history = 3;
	kv = open_with(&o);
	assert_int_equal(cninfra_kv_put(kv, "/h/k0", "v21", 3, NULL), 0);
	assert_null(cninfra_kv_watch(kv, "/h/", 18, on_event, &s));
	assert_int_equal(errno, ERANGE);
	memset(&s, 0, sizeof(s));
	w = cninfra_kv_watch(kv, "/h/", 19, on_event, &s);
	assert_non_null(w);
	spin(&s.n, 3);
	drain();
	assert_string_equal(s.log, "put /h/k1=v19@19,put /h/k2=v20@20,put /h/k0=v21@21");
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);

	/* The byte bound: the newest revision is always kept, older ones go. */
	o.history = 1000;
	o.history_size = 1;
	kv = open_with(&o);
	assert_int_equal(cninfra_kv_put(kv, "/h/k1", "v22", 3, NULL), 0);
	assert_null(cninfra_kv_watch(kv, "/h/", 21, on_event, &s));
	assert_int_equal(errno, ERANGE);
	memset(&s, 0, sizeof(s));
	w = cninfra_kv_watch(kv, "/h/", 22, on_event, &s);
	assert_non_null(w);
	spin(&s.n, 1);
	assert_string_equal(s.log, "put /h/k1=v22@22");
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);
}

/* Trimming keeps the disk bounded: a hot key overwritten thousands of times does not grow the
 * file past what the kept history needs. */
static void
test_history_bounds_disk(void **state)
{
	(void)state;
	struct cninfra_kv_opts o = {.history = 16};
	struct cninfra_kv *kv = open_with(&o);
	char val[512];
	memset(val, 'h', sizeof(val));
	off_t at300 = 0;
	for (int i = 0; i < 1500; i++) {
		snprintf(val, 16, "%015d", i);
		val[15] = 'h';
		assert_int_equal(cninfra_kv_put(kv, "/hot", val, sizeof(val), NULL), 0);
		if (i == 299)
			at300 = file_size("data.mdb");
	}
	off_t at1500 = file_size("data.mdb");
	/* 1500 revisions of 512 bytes would be 750 KiB of change log; 16 are kept. */
	if (at1500 > at300 + 8 * 4096 || at1500 > 192 * 1024)
		fail_msg("data.mdb grew: %lld bytes after 300 puts, %lld after 1500",
			 (long long)at300, (long long)at1500);
	check_revs(kv, "/hot", 1, 1500, 1500);
	cninfra_kv_close(kv);
}

static void
on_sync(const struct cninfra_datasync_event *ev, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->log);
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		n += (size_t)snprintf(s->log + n, sizeof(s->log) - n, "%sresync[", n ? "," : "");
		for (size_t i = 0; i < ev->list->count; i++)
			n += (size_t)snprintf(s->log + n, sizeof(s->log) - n, "%s%s", i ? " " : "",
					      ev->list->pairs[i].key);
		snprintf(s->log + n, sizeof(s->log) - n, "]");
		s->n++;
	} else {
		on_event(ev->ev, arg);
	}
}

static void
test_datasync(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv();
	struct seen s = {0};
	cninfra_kv_put(kv, "/s/a", "1", 1, NULL);
	cninfra_kv_put(kv, "/s/b", "2", 1, NULL);
	struct cninfra_datasync *ds = cninfra_datasync_new(kv, "/s/", 0, on_sync, &s);
	assert_non_null(ds);
	spin(&s.n, 1);
	cninfra_kv_put(kv, "/s/c", "3", 1, NULL);
	spin(&s.n, 2);
	assert_string_equal(s.log, "resync[/s/a /s/b],put /s/c=3@3");
	cninfra_datasync_free(ds);
	cninfra_kv_close(kv);
}

/* Keys longer than an LMDB key (400+ bytes) that share long prefixes: stored whole, found,
 * listed in key order, deleted by prefix, watched. */
static void
test_long_keys(void **state)
{
	(void)state;
	static char k[6][CNINFRA_KV_MAX_KEY + 1];
	const size_t lens[6] = {399, 400, 401, 402, 1000, CNINFRA_KV_MAX_KEY};
	/* Insert in an order that differs from key order. */
	const int order[6] = {5, 2, 0, 4, 1, 3};
	for (int i = 0; i < 6; i++) {
		memset(k[i], 'L', lens[i]);
		k[i][0] = '/';
		k[i][lens[i]] = 0;
	}
	k[3][401] = 'A'; /* k[2] is a prefix of k[3]; k[3] sorts before k[4] */
	struct cninfra_kv *kv = open_kv();
	struct seen s = {0};
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, k[2], 0, on_event, &s);
	assert_non_null(w);
	for (int j = 0; j < 6; j++) {
		int i = order[j];
		char v[8];
		snprintf(v, sizeof(v), "v%d", i);
		assert_int_equal(cninfra_kv_put(kv, k[i], v, strlen(v), NULL), 0);
	}
	for (int i = 0; i < 6; i++) {
		char v[8];
		snprintf(v, sizeof(v), "v%d", i);
		check_value(kv, k[i], v);
	}
	/* A long key's overwrite finds its record. */
	assert_int_equal(cninfra_kv_put(kv, k[4], "w4", 2, NULL), 0);
	check_revs(kv, k[4], 4, 7, 2);
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/", &l), 0);
	assert_int_equal(l.count, 6);
	for (size_t i = 1; i < l.count; i++)
		assert_true(strcmp(l.pairs[i - 1].key, l.pairs[i].key) < 0);
	cninfra_kv_list_release(&l);
	/* A prefix longer than 400 bytes: the keys with 401 'L's and more. */
	assert_int_equal(cninfra_kv_list(kv, k[2], &l), 0);
	assert_int_equal(l.count, 4);
	cninfra_kv_list_release(&l);
	char pre[1001];
	memcpy(pre, k[4], 1000);
	pre[1000] = 0;
	assert_int_equal(cninfra_kv_list(kv, pre, &l), 0);
	assert_int_equal(l.count, 2); /* k[4] and k[5] */
	cninfra_kv_list_release(&l);
	size_t n = 0;
	assert_int_equal(cninfra_kv_delete(kv, pre, CNINFRA_KV_PREFIX, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cninfra_kv_delete(kv, k[3], 0, &n), 0);
	assert_int_equal(n, 1);
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, k[3], &p), -ENOENT);
	check_value(kv, k[2], "v2");
	/* Re-created after the delete: a new record under a free sequence number. */
	assert_int_equal(cninfra_kv_put(kv, k[5], "again", 5, NULL), 0);
	/* Under k[2]'s prefix: puts of k[5] k[2] k[4] k[3], k[4] again, deletes of k[4] k[5] and
	 * k[3], k[5] again. */
	spin(&s.n, 9);
	drain();
	assert_int_equal(s.n, 9);
	cninfra_kv_close(kv);
	kv = open_kv();
	check_value(kv, k[5], "again");
	check_value(kv, k[2], "v2");
	assert_int_equal(cninfra_kv_get(kv, k[4], &p), -ENOENT);
	assert_int_equal(cninfra_kv_list(kv, "/", &l), 0);
	assert_int_equal(l.count, 4);
	cninfra_kv_list_release(&l);
	cninfra_kv_close(kv);
	(void)w; /* cancelled by the first close */
}

/* The store's size limit: a put that does not fit fails with -ENOSPC and leaves the store as
 * acknowledged; deleting makes room again. */
static void
test_map_full(void **state)
{
	(void)state;
	struct cninfra_kv_opts o = {.max_size = 256 * 1024, .history = 4};
	struct cninfra_kv *kv = open_with(&o);
	static char big[8000];
	int acked = 0, rc = 0;
	for (int i = 0; i < 100; i++) {
		char key[32];
		snprintf(key, sizeof(key), "/full/%03d", i);
		memset(big, 'a' + i % 26, sizeof(big));
		rc = cninfra_kv_put(kv, key, big, sizeof(big), NULL);
		if (rc)
			break;
		acked++;
	}
	assert_int_equal(rc, -ENOSPC);
	assert_true(acked > 5);
	assert_int_equal(store_rev(kv), acked);
	cninfra_kv_close(kv);
	kv = open_with(&o);
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/full/", &l), 0);
	assert_int_equal(l.count, (size_t)acked);
	assert_int_equal(l.revision, acked);
	for (size_t i = 0; i < l.count; i++) {
		assert_int_equal(l.pairs[i].value_size, sizeof(big));
		assert_int_equal(l.pairs[i].value[0], 'a' + (int)i % 26);
		assert_int_equal(l.pairs[i].value[sizeof(big) - 1], 'a' + (int)i % 26);
	}
	cninfra_kv_list_release(&l);
	size_t n = 0;
	assert_int_equal(cninfra_kv_delete(kv, "/full/00", CNINFRA_KV_PREFIX, &n), 0);
	assert_int_equal(n, 10);
	for (int i = 0; i < 4; i++) /* let the trimmed history free its pages */
		assert_int_equal(cninfra_kv_put(kv, "/small", "s", 1, NULL), 0);
	assert_int_equal(cninfra_kv_put(kv, "/full/again", big, sizeof(big), NULL), 0);
	cninfra_kv_close(kv);
}

/* Records from disk are checked, never trusted: a bad state, a record whose revision is past the
 * store's, a garbled change-log entry. */
static void
lmdb_edit(void (*edit)(MDB_txn *t, MDB_dbi kvdb, MDB_dbi logdb, MDB_dbi meta))
{
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi a, b, c;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 3), 0);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &t), 0);
	assert_int_equal(mdb_dbi_open(t, "kv", 0, &a), 0);
	assert_int_equal(mdb_dbi_open(t, "log", 0, &b), 0);
	assert_int_equal(mdb_dbi_open(t, "meta", 0, &c), 0);
	edit(t, a, b, c);
	assert_int_equal(mdb_txn_commit(t), 0);
	mdb_env_close(env);
}

static void
put_raw(MDB_txn *t, MDB_dbi db, const void *k, size_t ks, const void *v, size_t vs)
{
	MDB_val key = {ks, (void *)k}, val = {vs, (void *)v};
	assert_int_equal(mdb_put(t, db, &key, &val, 0), 0);
}

static void
edit_future_mod(MDB_txn *t, MDB_dbi kvdb, MDB_dbi logdb, MDB_dbi meta)
{
	(void)logdb;
	(void)meta;
	uint8_t rec[KV_REC_HDR + 1];
	kv_rec_encode(rec, "/c/b", 4, "X", 1, 1, 1000, 1);
	put_raw(t, kvdb, "/c/b", 4, rec, sizeof(rec));
}

static void
edit_garbled_event(MDB_txn *t, MDB_dbi kvdb, MDB_dbi logdb, MDB_dbi meta)
{
	(void)kvdb;
	(void)meta;
	uint8_t lk[KV_LOGKEY_SIZE];
	kv_logkey(1, 0, lk);
	put_raw(t, logdb, lk, sizeof(lk), "P\xff\xff", 3);
}

static void
edit_log_past_rev(MDB_txn *t, MDB_dbi kvdb, MDB_dbi logdb, MDB_dbi meta)
{
	(void)kvdb;
	(void)meta;
	uint8_t lk[KV_LOGKEY_SIZE], ev[KV_EV_HDR + 2];
	struct kv_ev e = {.type = KV_EV_DEL, .r = {.key = "/z", .key_size = 2}};
	kv_logkey(99, 0, lk);
	kv_ev_encode(ev, &e);
	put_raw(t, logdb, lk, sizeof(lk), ev, kv_ev_size(&e));
}

static struct kv_state edit_state_value;

static void
edit_state(MDB_txn *t, MDB_dbi kvdb, MDB_dbi logdb, MDB_dbi meta)
{
	(void)kvdb;
	(void)logdb;
	uint8_t buf[KV_STATE_SIZE];
	kv_state_encode(buf, &edit_state_value);
	put_raw(t, meta, "state", 5, buf, sizeof(buf));
}

static void
test_corrupt_records(void **state)
{
	(void)state;
	/* The errors these log are expected. */
	struct cninfra_kv *kv = open_kv();
	assert_int_equal(cninfra_kv_put(kv, "/c/a", "a", 1, NULL), 0);
	assert_int_equal(cninfra_kv_put(kv, "/c/b", "b", 1, NULL), 0);
	cninfra_kv_close(kv);

	lmdb_edit(edit_future_mod);
	kv = open_kv();
	check_value(kv, "/c/a", "a");
	struct cninfra_kv_pair *p;
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_get(kv, "/c/b", &p), -EIO);
	assert_int_equal(cninfra_kv_list(kv, "/c/", &l), -EIO);
	assert_int_equal(cninfra_kv_put(kv, "/c/b", "B", 1, NULL), -EIO);
	int64_t rev = 0;
	assert_int_equal(cninfra_kv_put(kv, "/c/z", "z", 1, &rev), 0);
	assert_int_equal(rev, 3);
	cninfra_kv_close(kv);

	lmdb_edit(edit_garbled_event);
	kv = open_kv();
	struct seen s = {0};
	assert_null(cninfra_kv_watch(kv, "/c/", 1, on_event, &s));
	assert_int_equal(errno, EIO);
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/c/", 2, on_event, &s);
	assert_non_null(w);
	spin(&s.n, 2);
	assert_string_equal(s.log, "put /c/b=b@2,put /c/z=z@3");
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);

	struct cninfra_kv_opts o = {.endpoint = dir};
	lmdb_edit(edit_log_past_rev);
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EIO);

	edit_state_value = (struct kv_state){.format = KV_FORMAT, .rev = INT64_MAX};
	lmdb_edit(edit_state);
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EIO);
	edit_state_value = (struct kv_state){.format = KV_FORMAT, .rev = 3, .compact_rev = 4};
	lmdb_edit(edit_state);
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EIO);
	edit_state_value = (struct kv_state){.format = KV_FORMAT + 1, .rev = 3};
	lmdb_edit(edit_state);
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EPROTONOSUPPORT);
}

/* Migration of a data directory of the former format. */

static void
build_old_log(struct oldlog *log)
{
	/* A compacted log: revision 10 with three live keys, then transactions 11 .. 13. */
	static char longkey[600];
	memset(longkey, 'q', sizeof(longkey) - 1);
	longkey[0] = '/';
	ol_rev(log, 10);
	ol_entry(log, 10, 2, 7, 4, "/m/a", "alpha");
	ol_entry(log, 10, 9, 9, 1, "/m/b", "beta");
	ol_entry(log, 10, 3, 10, 2, longkey, "long");
	ol_put(log, 11, "/m/c", "gamma");
	ol_put(log, 12, "/m/a", "alpha2");
	int types[2] = {OL_DEL_PREFIX, OL_PUT};
	const char *keys[2] = {"/m/b", "/n/x"}, *vals[2] = {"", "x"};
	ol_txn(log, 13, 2, types, keys, vals);
}

static void
check_migrated_state(struct cninfra_kv *kv)
{
	check_value(kv, "/m/a", "alpha2");
	check_revs(kv, "/m/a", 2, 12, 5);
	check_value(kv, "/m/c", "gamma");
	check_revs(kv, "/m/c", 11, 11, 1);
	check_value(kv, "/n/x", "x");
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/m/b", &p), -ENOENT);
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/", &l), 0);
	assert_int_equal(l.count, 4);
	assert_string_equal(l.pairs[3].key + 590, "qqqqqqqqq");
	assert_string_equal(l.pairs[3].value, "long");
	assert_int_equal(l.pairs[3].create_revision, 3);
	assert_int_equal(l.pairs[3].version, 2);
	cninfra_kv_list_release(&l);
}

static void
test_migrate(void **state)
{
	(void)state;
	struct oldlog log = {0};
	build_old_log(&log);
	assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
	assert_int_equal(ol_write_file(dir, "kv.log.tmp", "junk", 4), 0);
	struct cninfra_kv *kv = open_kv();
	/* kv.log is renamed aside, byte for byte; the unfinished compaction file is gone. */
	assert_false(exists("kv.log"));
	assert_false(exists("kv.log.tmp"));
	char path[512];
	snprintf(path, sizeof(path), "%s/kv.log.migrated", dir);
	char *kept = tu_read_file(path);
	assert_non_null(kept);
	assert_memory_equal(kept, log.p, log.len);
	free(kept);
	check_migrated_state(kv);
	assert_int_equal(store_rev(kv), 13);
	/* No history came along: the migrated revisions are trimmed. */
	struct seen s = {0};
	assert_null(cninfra_kv_watch(kv, "/", 13, on_event, &s));
	assert_int_equal(errno, ERANGE);
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/", 14, on_event, &s);
	assert_non_null(w);
	int64_t rev;
	assert_int_equal(cninfra_kv_put(kv, "/m/a", "alpha3", 6, &rev), 0);
	assert_int_equal(rev, 14);
	check_revs(kv, "/m/a", 2, 14, 6);
	spin(&s.n, 1);
	assert_string_equal(s.log, "put /m/a=alpha3@14");
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);

	/* Killed between the migration's commit and the rename: kv.log is still there. The store
	 * knows it (size and CRC), finishes the rename and migrates nothing twice. */
	assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
	kv = open_kv();
	assert_false(exists("kv.log"));
	check_value(kv, "/m/a", "alpha3");
	assert_int_equal(store_rev(kv), 14);
	cninfra_kv_close(kv);

	/* Any other kv.log beside an LMDB store is refused, and left alone. */
	ol_put(&log, 14, "/other", "o");
	assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
	struct cninfra_kv_opts o = {.endpoint = dir};
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EEXIST);
	assert_int_equal(file_size("kv.log"), (off_t)log.len);
	free(log.p);
}

static void
test_migrate_torn_tail(void **state)
{
	(void)state;
	struct oldlog log = {0};
	ol_put(&log, 1, "/t/1", "one");
	ol_put(&log, 2, "/t/2", "two");
	size_t good = log.len;
	/* A torn write: a valid-looking header promising more bytes than exist. */
	const unsigned char torn[] = {0x4c, 0x4b, 0x56, 0x31, 0x40, 0, 0, 0, 1, 2, 3, 4, 1, 9};
	ol_bytes(&log, torn, sizeof(torn));
	assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
	struct cninfra_kv *kv = open_kv();
	check_value(kv, "/t/1", "one");
	check_value(kv, "/t/2", "two");
	int64_t rev;
	assert_int_equal(cninfra_kv_put(kv, "/t/3", "three", 5, &rev), 0);
	assert_int_equal(rev, 3);
	cninfra_kv_close(kv);
	assert_int_equal(file_size("kv.log.migrated"), (off_t)log.len); /* kept whole */

	/* A flipped bit in the last record: its CRC fails, it is not migrated, the rest is. */
	tu_rmrf(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	log.len = good;
	log.p[good - 1] ^= 0x10;
	assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
	kv = open_kv();
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/t/2", &p), -ENOENT);
	check_value(kv, "/t/1", "one");
	assert_int_equal(store_rev(kv), 1);
	cninfra_kv_close(kv);

	/* Garbage only: the store opens empty rather than failing. */
	tu_rmrf(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(ol_write_file(dir, "kv.log", "garbage!", 8), 0);
	kv = open_kv();
	assert_int_equal(store_rev(kv), 0);
	assert_int_equal(cninfra_kv_put(kv, "/g", "g", 1, &rev), 0);
	assert_int_equal(rev, 1);
	cninfra_kv_close(kv);
	free(log.p);
}

/* The log that lost an acknowledged put before replay was fixed (a record that passes its CRC but
 * is malformed further in): migrated, only its valid first record counts, and the next put is
 * durable. */
static void
test_migrate_repro(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/cninfra/tests/fuzz/corpus/kvlog/acknowledged-put-lost.log",
		 CNINFRA_SOURCE_DIR);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char buf[1024];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 0);
	assert_int_equal(ol_write_file(dir, "kv.log", buf, n), 0);
	struct cninfra_kv *kv = open_kv();
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	assert_int_equal(l.revision, 1);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.pairs[0].key, "/k/0");
	cninfra_kv_list_release(&l);
	int64_t rev;
	assert_int_equal(cninfra_kv_put(kv, "/k/new", "n", 1, &rev), 0);
	assert_int_equal(rev, 2);
	cninfra_kv_close(kv);
	kv = open_kv();
	check_value(kv, "/k/new", "n");
	check_value(kv, "/k/0", "value-0");
	cninfra_kv_close(kv);
}

/* Random damage to a valid old log (truncation, flipped bytes, overwritten runs): the migrated
 * store must always open, hold only values that were really written, and accept writes. */
static void
test_migrate_random_corruption(void **state)
{
	(void)state;
	struct oldlog log = {0};
	char key[16], val[16];
	uint64_t rev = 0;
	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "/r/k%d", i % 10);
		snprintf(val, sizeof(val), "v%d", i);
		ol_put(&log, ++rev, key, val);
		if (i % 7 == 6)
			ol_del(&log, ++rev, key, 0);
	}
	int64_t final_rev = (int64_t)rev;
	assert_int_equal(final_rev, 45);
	cninfra_log_set_level(NULL, CNINFRA_LOG_ERROR); /* torn-tail warnings are expected */
	unsigned seed = (unsigned)getpid();
	srand(seed);
	for (int iter = 0; iter < 100; iter++) {
		static unsigned char buf[8192];
		size_t n = log.len, size = log.len;
		assert_true(size < sizeof(buf));
		memcpy(buf, log.p, size);
		size_t at = (size_t)rand() % size;
		switch (rand() % 3) {
		case 0:
			n = at;
			break;
		case 1:
			buf[at] ^= (unsigned char)(1 + rand() % 255);
			break;
		default:
			for (size_t k = at; k < size && k < at + 1 + (size_t)(rand() % 32); k++)
				buf[k] = (unsigned char)rand();
		}
		tu_rmrf(dir);
		assert_int_equal(mkdir(dir, 0700), 0);
		assert_int_equal(ol_write_file(dir, "kv.log", buf, n), 0);
		struct cninfra_kv *kv = open_kv();
		struct cninfra_kv_list l;
		assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
		if (l.revision > final_rev)
			fail_msg("seed %u iter %d: revision %lld", seed, iter,
				 (long long)l.revision);
		for (size_t i = 0; i < l.count; i++) {
			int k = -1, v = -1;
			if (sscanf(l.pairs[i].key, "/r/k%d", &k) != 1 ||
			    sscanf(l.pairs[i].value, "v%d", &v) != 1 || v % 10 != k || v >= 40)
				fail_msg("seed %u iter %d: bogus pair %s=%s", seed, iter,
					 l.pairs[i].key, l.pairs[i].value);
		}
		cninfra_kv_list_release(&l);
		int64_t r;
		assert_int_equal(cninfra_kv_put(kv, "/after", "x", 1, &r), 0);
		cninfra_kv_close(kv);
		kv = open_kv();
		check_value(kv, "/after", "x");
		assert_int_equal(store_rev(kv), r);
		cninfra_kv_close(kv);
	}
	cninfra_log_set_level(NULL, CNINFRA_LOG_INFO);
	free(log.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_crud, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_resume, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_trim, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_bounds_disk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_datasync, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_torn_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_repro, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_random_corruption, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

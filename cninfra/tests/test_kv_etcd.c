// SPDX-License-Identifier: Apache-2.0
// Integration tests of the etcd backend against a real etcd started per test on 127.0.0.1 (free
// ports, temp data dir): CRUD, prefixes, transactions, watch, a kill -9 and restart of etcd in the
// middle of a watch that must lose no change, datasync, and hostile replies from a fake server.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cninfra.h"
#include "testutil.h"

static char *dir;
static pid_t etcd = -1;
static uint16_t port, peer_port;
static char endpoint[64];
static struct cninfra_loop *loop;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("etcd");
	port = peer_port = 0;
	etcd = tu_etcd_start(dir, &port, &peer_port);
	snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%u", port);
	loop = cninfra_loop_new();
	return etcd > 0 && loop ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_kill(etcd, SIGKILL);
	etcd = -1;
	cninfra_loop_free(loop);
	loop = NULL;
	tu_rmrf(dir);
	free(dir);
	return 0;
}

static struct cninfra_kv *
open_etcd(void)
{
	struct cninfra_kv_opts o = {.endpoint = endpoint, .timeout_ms = 2000};
	struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
	assert_non_null(kv);
	assert_string_equal(cninfra_kv_backend(kv), "etcd");
	return kv;
}

static void
test_crud(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_etcd();
	int64_t r1, r2, rev;
	assert_int_equal(cninfra_kv_put(kv, "/ligature/t/a", "one", 3, &r1), 0);
	assert_int_equal(cninfra_kv_put(kv, "/ligature/t/b", "t\0o", 3, &r2), 0);
	assert_true(r2 == r1 + 1);
	assert_int_equal(cninfra_kv_put(kv, "/ligature/u", "x", 1, NULL), 0);
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/ligature/t/b", &p), 0);
	assert_int_equal(p->value_size, 3);
	assert_memory_equal(p->value, "t\0o", 3); /* binary-safe values */
	assert_int_equal(p->mod_revision, r2);
	assert_int_equal(p->version, 1);
	cninfra_kv_pair_free(p);
	assert_int_equal(cninfra_kv_get(kv, "/ligature/none", &p), -ENOENT);

	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/ligature/t/", &l), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.pairs[0].key, "/ligature/t/a");
	assert_string_equal(l.pairs[1].key, "/ligature/t/b");
	assert_true(l.revision >= r2 + 1);
	cninfra_kv_list_release(&l);
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	assert_int_equal(l.count, 3);
	cninfra_kv_list_release(&l);

	struct cninfra_kv_txn *t = cninfra_kv_txn_new();
	cninfra_kv_txn_put(t, "/ligature/v/1", "1", 1);
	cninfra_kv_txn_put(t, "/ligature/v/2", "2", 1);
	cninfra_kv_txn_delete(t, "/ligature/t/", CNINFRA_KV_PREFIX);
	assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0);
	cninfra_kv_txn_free(t);
	assert_int_equal(cninfra_kv_get(kv, "/ligature/v/1", &p), 0);
	assert_int_equal(p->mod_revision, rev);
	cninfra_kv_pair_free(p);
	assert_int_equal(cninfra_kv_get(kv, "/ligature/v/2", &p), 0);
	assert_int_equal(p->mod_revision, rev); /* one transaction, one revision */
	cninfra_kv_pair_free(p);
	assert_int_equal(cninfra_kv_list(kv, "/ligature/t/", &l), 0);
	assert_int_equal(l.count, 0);
	cninfra_kv_list_release(&l);
	size_t n;
	assert_int_equal(cninfra_kv_delete(kv, "/ligature/", CNINFRA_KV_PREFIX, &n), 0);
	assert_int_equal(n, 3);
	cninfra_kv_close(kv);
}

/* A prefix larger than a page (4096 keys) is listed whole and sorted, with the store's revision
 * when the listing began; keys beside the prefix are not in it; "" lists everything. */
static void
test_list_pages(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_etcd();
	enum { N = 4096 * 2 + 5 };
	char key[64], val[32];
	int64_t rev = 0;
	for (int i = 0; i < N;) {
		struct cninfra_kv_txn *t = cninfra_kv_txn_new();
		for (int j = 0; j < 100 && i < N; j++, i++) {
			snprintf(key, sizeof(key), "/ligature/p/%06d", i);
			snprintf(val, sizeof(val), "v%d", i);
			assert_int_equal(cninfra_kv_txn_put(t, key, val, strlen(val)), 0);
		}
		assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0);
		cninfra_kv_txn_free(t);
	}
	assert_int_equal(cninfra_kv_put(kv, "/ligature/q", "x", 1, NULL), 0);
	assert_int_equal(cninfra_kv_put(kv, "/ligature/o", "x", 1, NULL), 0);
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/ligature/p/", &l), 0);
	assert_int_equal(l.count, N);
	assert_int_equal(l.revision, rev + 2);
	for (size_t i = 0; i < l.count; i++) {
		snprintf(key, sizeof(key), "/ligature/p/%06zu", i);
		snprintf(val, sizeof(val), "v%zu", i);
		assert_string_equal(l.pairs[i].key, key);
		assert_int_equal(l.pairs[i].value_size, strlen(val));
		assert_memory_equal(l.pairs[i].value, val, strlen(val));
	}
	cninfra_kv_list_release(&l);
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	assert_int_equal(l.count, N + 2);
	assert_string_equal(l.pairs[0].key, "/ligature/o");
	assert_string_equal(l.pairs[N + 1].key, "/ligature/q");
	cninfra_kv_list_release(&l);
	size_t n;
	assert_int_equal(cninfra_kv_delete(kv, "/ligature/", CNINFRA_KV_PREFIX, &n), 0);
	assert_int_equal(n, N + 2);
	cninfra_kv_close(kv);
}

struct seen {
	char keys[64][32];
	int64_t revs[64];
	int types[64];
	int n;
	int lost;
};

static void
on_event(const struct cninfra_kv_event *ev, void *arg)
{
	struct seen *s = arg;
	if (ev->type == CNINFRA_KV_LOST) {
		s->lost++;
		return;
	}
	if (s->n < 64) {
		snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", ev->kv->key);
		s->revs[s->n] = ev->revision;
		s->types[s->n] = ev->type;
	}
	s->n++;
}

static void
spin(int *counter, int want, int ms)
{
	uint64_t end = cninfra_now_ms() + (uint64_t)ms;
	while (*counter < want && cninfra_now_ms() < end)
		cninfra_loop_run_once(loop, 20);
}

/* Every event of a multi-key transaction is delivered (they share one revision). */
static void
test_watch_txn(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_etcd();
	struct seen s = {0};
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/t/", 0, on_event, &s);
	assert_non_null(w);
	for (int i = 0; i < 50 && s.n == 0; i++) {
		cninfra_kv_put(kv, "/t/0", "warmup", 6, NULL);
		spin(&s.n, 1, 100);
	}
	assert_true(s.n >= 1);
	int base = s.n;
	struct cninfra_kv_txn *t = cninfra_kv_txn_new();
	assert_int_equal(cninfra_kv_txn_put(t, "/t/a", "1", 1), 0);
	assert_int_equal(cninfra_kv_txn_put(t, "/t/b", "2", 1), 0);
	assert_int_equal(cninfra_kv_txn_delete(t, "/t/0", 0), 0);
	int64_t rev = 0;
	assert_int_equal(cninfra_kv_txn_commit(kv, t, &rev), 0);
	cninfra_kv_txn_free(t);
	spin(&s.n, base + 3, 3000);
	assert_int_equal(s.n, base + 3);
	assert_string_equal(s.keys[base], "/t/a");
	assert_string_equal(s.keys[base + 1], "/t/b");
	assert_string_equal(s.keys[base + 2], "/t/0");
	assert_int_equal(s.types[base + 2], CNINFRA_KV_DELETE);
	for (int i = base; i < base + 3; i++)
		assert_int_equal(s.revs[i], rev);
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);
}

static void
test_watch_survives_restart(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_etcd();
	struct seen s = {0};
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/w/", 0, on_event, &s);
	assert_non_null(w);
	/* The watch is created asynchronously; keep writing until its first event arrives. */
	for (int i = 0; i < 50 && s.n == 0; i++) {
		cninfra_kv_put(kv, "/w/0", "warmup", 6, NULL);
		spin(&s.n, 1, 100);
	}
	assert_true(s.n >= 1);
	int base = s.n;
	assert_int_equal(cninfra_kv_put(kv, "/w/1", "a", 1, NULL), 0);
	spin(&s.n, base + 1, 3000);
	assert_int_equal(s.n, base + 1);

	/* kill -9 etcd. While the watch cannot reach it, changes happen: etcd comes back on
	 * another client port (same data) where only a second client writes, and is killed again.
	 * Then it returns on the watch's port: the watch must resume at its last revision + 1 and
	 * get every change it missed, once, in order. */
	tu_kill(etcd, SIGKILL);
	uint16_t alt_port = 0;
	etcd = tu_etcd_start(dir, &alt_port, &peer_port);
	assert_true(etcd > 0);
	char alt_ep[64];
	snprintf(alt_ep, sizeof(alt_ep), "http://127.0.0.1:%u", alt_port);
	struct cninfra_kv_opts ao = {.endpoint = alt_ep, .timeout_ms = 2000};
	struct cninfra_kv *other = cninfra_kv_open(NULL, &ao);
	assert_non_null(other);
	for (int i = 2; i <= 6; i++) {
		char k[16];
		snprintf(k, sizeof(k), "/w/%d", i);
		assert_int_equal(cninfra_kv_put(other, k, "b", 1, NULL), 0);
	}
	assert_int_equal(cninfra_kv_delete(other, "/w/1", 0, NULL), 0);
	cninfra_kv_close(other);
	spin(&s.n, base + 2, 300);
	assert_int_equal(s.n, base + 1); /* the watch really was cut off */
	tu_kill(etcd, SIGKILL);
	etcd = tu_etcd_start(dir, &port, &peer_port);
	assert_true(etcd > 0);
	spin(&s.n, base + 7, 10000);
	assert_int_equal(s.n, base + 7);
	for (int i = 1; i <= 5; i++) {
		char k[16];
		snprintf(k, sizeof(k), "/w/%d", i + 1);
		assert_string_equal(s.keys[base + i], k);
		assert_int_equal(s.types[base + i], CNINFRA_KV_PUT);
		assert_true(s.revs[base + i] == s.revs[base + i - 1] + 1); /* no gap, no dup */
	}
	assert_string_equal(s.keys[base + 6], "/w/1");
	assert_int_equal(s.types[base + 6], CNINFRA_KV_DELETE);
	assert_int_equal(s.lost, 0);
	/* Live changes flow again, and nothing is replayed twice. */
	assert_int_equal(cninfra_kv_put(kv, "/w/7", "c", 1, NULL), 0);
	spin(&s.n, base + 8, 5000);
	assert_int_equal(s.n, base + 8);
	assert_string_equal(s.keys[base + 7], "/w/7");
	assert_true(s.revs[base + 7] == s.revs[base + 6] + 1);
	spin(&s.n, base + 9, 300);
	assert_int_equal(s.n, base + 8);
	cninfra_kv_unwatch(w);
	cninfra_kv_close(kv);
}

struct sync_seen {
	int resyncs;
	size_t listed;
	int changes;
	char last[64];
};

static void
on_sync(const struct cninfra_datasync_event *ev, void *arg)
{
	struct sync_seen *s = arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		s->resyncs++;
		s->listed = ev->list->count;
	} else {
		s->changes++;
		snprintf(s->last, sizeof(s->last), "%s=%s", ev->ev->kv->key, ev->ev->kv->value);
	}
}

static void
test_datasync(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_etcd();
	cninfra_kv_put(kv, "/ds/a", "1", 1, NULL);
	cninfra_kv_put(kv, "/ds/b", "2", 1, NULL);
	struct sync_seen s = {0};
	struct cninfra_datasync *ds = cninfra_datasync_new(kv, "/ds/", 100, on_sync, &s);
	spin(&s.resyncs, 1, 3000);
	assert_int_equal(s.resyncs, 1);
	assert_int_equal(s.listed, 2);
	cninfra_kv_put(kv, "/ds/c", "3", 1, NULL);
	spin(&s.changes, 1, 3000);
	assert_string_equal(s.last, "/ds/c=3");
	cninfra_datasync_free(ds);
	cninfra_kv_close(kv);
}

static void
test_unreachable(void **state)
{
	(void)state;
	char ep[64];
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%u", tu_free_port());
	struct cninfra_kv_opts o = {.endpoint = ep, .timeout_ms = 500};
	struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
	assert_non_null(kv);
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/x", &p), -ECONNREFUSED);
	assert_int_equal(cninfra_kv_put(kv, "/x", "1", 1, NULL), -ECONNREFUSED);
	cninfra_kv_close(kv);
	o.endpoint = "http://"; /* no host */
	assert_null(cninfra_kv_open(loop, &o));
	o.endpoint = "etcd://127.0.0.1:1,ftp://x";
	assert_null(cninfra_kv_open(loop, &o));
	/* https endpoints; a client certificate needs its key. */
	o.endpoint = "https://127.0.0.1:1,https://127.0.0.1:2";
	o.cert_file = "/nonexistent/client.pem";
	assert_null(cninfra_kv_open(loop, &o));
	assert_int_equal(errno, EINVAL);
	o.key_file = "/nonexistent/client.key";
	o.dial_timeout_ms = 200;
	kv = cninfra_kv_open(loop, &o);
	assert_non_null(kv);
	assert_int_equal(cninfra_kv_put(kv, "/x", "1", 1, NULL), -ECONNREFUSED);
	cninfra_kv_close(kv);
}

/* A fake etcd that answers garbage, on its own loop thread. */
static const char *fake_reply;
static unsigned fake_status;

static void
fake_handler(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	cninfra_http_reply_text(resp, fake_status, fake_reply);
}

static volatile int fake_stop;

static void *
fake_thread(void *arg)
{
	struct cninfra_loop *l = arg;
	while (!fake_stop)
		cninfra_loop_run_once(l, 50);
	return NULL;
}

static void
test_hostile_replies(void **state)
{
	(void)state;
	struct cninfra_loop *fl = cninfra_loop_new();
	struct cninfra_http *h = cninfra_http_new(fl, NULL, 0);
	assert_non_null(h);
	cninfra_http_handle(h, NULL, "/v3/*", fake_handler, NULL);
	char ep[64];
	snprintf(ep, sizeof(ep), "http://127.0.0.1:%u", cninfra_http_port(h));
	fake_stop = 0;
	pthread_t th;
	pthread_create(&th, NULL, fake_thread, fl);
	struct cninfra_kv_opts o = {.endpoint = ep, .timeout_ms = 2000};
	struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
	struct cninfra_kv_list l;
	static const struct {
		unsigned status;
		const char *body;
		int want;
	} cases[] = {
	    {200, "not json", -EPROTO},
	    {200, "[1,2]", -EPROTO},
	    {200, "{\"header\":{\"revision\":\"x\"}}", -EPROTO},
	    {200, "{\"header\":{\"revision\":\"5\"},\"kvs\":7}", -EPROTO},
	    {200, "{\"header\":{\"revision\":\"5\"},\"kvs\":[{\"key\":\"!!!\"}]}", -EPROTO},
	    /* a key with a NUL byte ("a\0b") cannot be a C string: skipped, the rest listed */
	    {200,
	     "{\"header\":{\"revision\":\"5\"},\"kvs\":[{\"key\":\"YQBi\",\"mod_revision\":\"3\"},"
	     "{\"key\":\"YQ==\",\"value\":\"Yg==\",\"mod_revision\":\"4\"}]}",
	     0},
	    {200, "{\"header\":{\"revision\":\"5\"},\"kvs\":[{\"key\":\"YQ==\",\"value\":5}]}",
	     -EPROTO},
	    {400, "{\"error\":\"bad\",\"code\":3,\"message\":\"bad\"}", -EINVAL},
	    {503, "{\"error\":\"down\",\"code\":14}", -EIO},
	    /* pages: a server that says "more" and repeats its page, or sends an empty one,
	     * would be listed forever */
	    {200,
	     "{\"header\":{\"revision\":\"5\"},\"more\":true,\"kvs\":[{\"key\":\"YQ==\","
	     "\"value\":\"Yg==\",\"mod_revision\":\"4\"}]}",
	     -EPROTO},
	    {200, "{\"header\":{\"revision\":\"5\"},\"more\":true,\"kvs\":[]}", -EPROTO},
	    {200, "{\"header\":{\"revision\":\"5\"},\"more\":true}", -EPROTO},
	    {200,
	     "{\"header\":{\"revision\":\"5\"},\"kvs\":[{\"key\":\"YQ==\",\"value\":\"Yg==\","
	     "\"mod_revision\":\"4\"}]}",
	     0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_status = cases[i].status;
		fake_reply = cases[i].body;
		int rc = cninfra_kv_list(kv, "a", &l);
		if (rc != cases[i].want)
			fprintf(stderr, "case %zu: got %d want %d\n", i, rc, cases[i].want);
		assert_int_equal(rc, cases[i].want);
		if (!rc) {
			assert_int_equal(l.count, 1);
			assert_string_equal(l.pairs[0].key, "a");
			assert_string_equal(l.pairs[0].value, "b");
		}
		cninfra_kv_list_release(&l);
	}
	cninfra_kv_close(kv);
	fake_stop = 1;
	pthread_join(th, NULL);
	cninfra_http_free(h);
	cninfra_loop_free(fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_crud, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_txn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_survives_restart, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_datasync, setup, teardown),
	    cmocka_unit_test(test_unreachable),
	    cmocka_unit_test(test_hostile_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

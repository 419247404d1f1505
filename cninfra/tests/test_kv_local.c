// SPDX-License-Identifier: Apache-2.0
// Unit tests of the embedded KV backend through the public API: CRUD, prefixes, transactions,
// watches and datasync on the loop, durability across reopen, torn/corrupt tails, compaction.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cninfra/kv.h"
#include "cninfra/loop.h"
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
open_kv(size_t compact)
{
	struct cninfra_kv_opts o = {.endpoint = dir, .compact_min_size = compact};
	struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
	assert_non_null(kv);
	return kv;
}

static void
check_value(struct cninfra_kv *kv, const char *key, const char *val)
{
	struct cninfra_kv_pair *p = NULL;
	int rc = cninfra_kv_get(kv, key, &p);
	if (rc)
		fprintf(stderr, "get %s: %d\n", key, rc);
	assert_int_equal(rc, 0);
	assert_int_equal(p->value_size, strlen(val));
	assert_memory_equal(p->value, val, strlen(val));
	cninfra_kv_pair_free(p);
}

static void
test_crud(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv(0);
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

	size_t n = 9;
	assert_int_equal(cninfra_kv_delete(kv, "/b/1", 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cninfra_kv_delete(kv, "/b/1", 0, &n), 0);
	assert_int_equal(n, 0);

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
	kv = open_kv(0);
	check_value(kv, "/c/1", "x");
	assert_int_equal(cninfra_kv_get(kv, "/a/1", &p), -ENOENT);
	assert_int_equal(cninfra_kv_put(kv, "/d", "d", 1, &rev), 0);
	assert_int_equal(rev, 7);
	cninfra_kv_close(kv);
}

struct seen {
	char log[1024];
	int n;
};

static void
on_event(const struct cninfra_kv_event *ev, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->log);
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

static void
test_watch(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv(0);
	struct seen s = {0};
	cninfra_kv_put(kv, "/w/old", "o", 1, NULL);
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "/w/", 0, on_event, &s);
	assert_non_null(w);
	cninfra_kv_put(kv, "/w/a", "1", 1, NULL);
	cninfra_kv_put(kv, "/x/a", "ignored", 7, NULL);
	cninfra_kv_delete(kv, "/w/old", 0, NULL);
	spin(&s.n, 2);
	assert_string_equal(s.log, "put /w/a=1@2,del /w/old=@4");
	/* A watch cannot start in the past: there is no history. */
	assert_null(cninfra_kv_watch(kv, "/w/", 1, on_event, &s));
	assert_int_equal(errno, ERANGE);
	/* After unwatch, nothing is delivered, even what was already posted. */
	cninfra_kv_put(kv, "/w/b", "2", 1, NULL);
	cninfra_kv_unwatch(w);
	spin(&s.n, 3);
	assert_int_equal(s.n, 2);
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
	struct cninfra_kv *kv = open_kv(0);
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

static off_t
log_size(void)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof(path), "%s/kv.log", dir);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
append_bytes(const void *buf, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/kv.log", dir);
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
}

static void
test_torn_tail(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv(0);
	cninfra_kv_put(kv, "/t/1", "one", 3, NULL);
	cninfra_kv_put(kv, "/t/2", "two", 3, NULL);
	cninfra_kv_close(kv);
	off_t good = log_size();

	/* A torn write: a valid-looking header promising more bytes than exist. */
	const unsigned char torn[] = {0x4c, 0x4b, 0x56, 0x31, 0x40, 0, 0, 0, 1, 2, 3, 4, 1, 9};
	append_bytes(torn, sizeof(torn));
	kv = open_kv(0);
	assert_int_equal(log_size(), good);
	check_value(kv, "/t/1", "one");
	check_value(kv, "/t/2", "two");
	int64_t rev;
	assert_int_equal(cninfra_kv_put(kv, "/t/3", "three", 5, &rev), 0);
	assert_int_equal(rev, 3);
	cninfra_kv_close(kv);

	/* A flipped bit in the last record: its CRC fails, it is dropped, the rest is intact. */
	char path[512];
	snprintf(path, sizeof(path), "%s/kv.log", dir);
	off_t size = log_size();
	int fd = open(path, O_RDWR);
	char c;
	assert_int_equal(pread(fd, &c, 1, size - 1), 1);
	c ^= 0x10;
	assert_int_equal(pwrite(fd, &c, 1, size - 1), 1);
	close(fd);
	kv = open_kv(0);
	assert_int_equal(log_size(), good);
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/t/3", &p), -ENOENT);
	check_value(kv, "/t/2", "two");
	cninfra_kv_close(kv);

	/* Garbage only: the store opens empty rather than failing. */
	append_bytes("garbage!", 8);
	kv = open_kv(0);
	check_value(kv, "/t/1", "one");
	cninfra_kv_close(kv);
}

static void
test_compaction(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv(2048);
	char val[64];
	int64_t rev = 0;
	for (int i = 0; i < 300; i++) {
		snprintf(val, sizeof(val), "value-%d", i);
		assert_int_equal(cninfra_kv_put(kv, "/hot", val, strlen(val), &rev), 0);
		if (i % 50 == 0)
			cninfra_kv_put(kv, "/cold/x", "c", 1, NULL);
	}
	cninfra_kv_delete(kv, "/cold/x", 0, NULL);
	assert_true(log_size() < 8192); /* 300 records would be ~12 KiB without compaction */
	cninfra_kv_close(kv);
	kv = open_kv(2048);
	check_value(kv, "/hot", "value-299");
	struct cninfra_kv_pair *p;
	assert_int_equal(cninfra_kv_get(kv, "/hot", &p), 0);
	assert_int_equal(p->version, 300);
	assert_int_equal(p->create_revision, 1);
	cninfra_kv_pair_free(p);
	assert_int_equal(cninfra_kv_get(kv, "/cold/x", &p), -ENOENT);
	assert_int_equal(cninfra_kv_put(kv, "/next", "n", 1, &rev), 0);
	assert_int_equal(rev, 300 + 6 + 1 + 1);
	cninfra_kv_close(kv);
}

/* Random damage to a valid log (truncation, flipped bytes, overwritten runs): the store must
 * always open, hold only values that were really written, and accept writes again. */
static void
test_random_corruption(void **state)
{
	(void)state;
	struct cninfra_kv *kv = open_kv(0);
	char key[16], val[16];
	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "/r/k%d", i % 10);
		snprintf(val, sizeof(val), "v%d", i);
		assert_int_equal(cninfra_kv_put(kv, key, val, strlen(val), NULL), 0);
		if (i % 7 == 6)
			cninfra_kv_delete(kv, key, 0, NULL);
	}
	struct cninfra_kv_list all;
	assert_int_equal(cninfra_kv_list(kv, "", &all), 0);
	int64_t final_rev = all.revision; /* 40 puts + 5 deletes */
	cninfra_kv_list_release(&all);
	assert_int_equal(final_rev, 45);
	cninfra_kv_close(kv);
	char path[512];
	snprintf(path, sizeof(path), "%s/kv.log", dir);
	FILE *f = fopen(path, "rb");
	unsigned char orig[8192];
	size_t size = fread(orig, 1, sizeof(orig), f);
	fclose(f);
	assert_true(size > 100 && size < sizeof(orig));
	unsigned seed = (unsigned)getpid();
	srand(seed);
	for (int iter = 0; iter < 200; iter++) {
		unsigned char buf[8192];
		size_t n = size;
		memcpy(buf, orig, size);
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
		f = fopen(path, "wb");
		assert_int_equal(fwrite(buf, 1, n, f), n);
		fclose(f);
		kv = open_kv(0);
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
		int64_t rev;
		assert_int_equal(cninfra_kv_put(kv, "/after", "x", 1, &rev), 0);
		cninfra_kv_close(kv);
		kv = open_kv(0);
		check_value(kv, "/after", "x");
		cninfra_kv_close(kv);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_crud, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_datasync, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_corruption, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

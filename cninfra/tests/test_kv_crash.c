// SPDX-License-Identifier: Apache-2.0
// Crash tests of the embedded KV store (LMDB).
// - kill9_loses_nothing: a forked writer reports each put the moment it returns and is killed with
//   SIGKILL right after; reopening must find every reported put, intact, and the change log must
//   end at the store's revision.
// - storm: a writer runs a deterministic storm of puts, deletes, prefix deletes and multi-op
//   transactions (with old revisions trimmed from the change log in every commit) and is killed at
//   a random moment, often mid-write; the reopened store must equal a model of every acknowledged
//   operation (plus, at most, the one in flight), revision included: nothing acknowledged lost,
//   nothing else. Its change log must hold exactly the model's events of the kept revisions, and
//   refuse the trimmed ones with ERANGE.
// - kill9_migration: a process migrating an old kv.log is killed at a random moment; the next
//   open finishes or redoes the migration and holds exactly what the log held.
// - full_disk: on a tiny tmpfs a put fails with -ENOSPC and the store stays exactly as
//   acknowledged.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cninfra/kv.h"
#include "cninfra/log.h"
#include "cninfra/loop.h"
#include "oldlog.h"
#include "testutil.h"

#define ROUNDS 6

static char *dir;
static pid_t writer = -1;
static struct cninfra_loop *loop;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("crash");
	loop = cninfra_loop_new();
	return dir && loop ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	cninfra_loop_free(loop);
	loop = NULL;
	tu_kill(writer, SIGKILL);
	writer = -1;
	umount2(dir, MNT_DETACH); /* the full-disk test's tmpfs, if it failed before unmounting */
	tu_rmrf(dir);
	free(dir);
	return 0;
}

static const char value_pad[] =
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    "xxxxxxxxxxxxxxxxxx";

static void
value_for(int i, char *buf, size_t size)
{
	/* Varying sizes so records straddle different offsets. */
	snprintf(buf, size, "value-%d-%.*s", i, i % 97,
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxx");
}

/* Child: put keys from `from` on, writing each index to fd once its put returned. */
static void
run_writer(int from, int fd)
{
	/* A small change log: every commit trims old revisions (by bytes, then by count). */
	struct cninfra_kv_opts o = {.endpoint = dir, .history = 32, .history_size = 4096};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		_exit(2);
	for (int i = from;; i++) {
		char key[32], val[160];
		snprintf(key, sizeof(key), "/crash/%06d", i);
		value_for(i, val, sizeof(val));
		if (cninfra_kv_put(kv, key, val, strlen(val), NULL))
			_exit(3);
		/* Overwrite an old key too, so old pages and revisions have garbage to drop. */
		if (i > 10)
			cninfra_kv_put(kv, "/crash/hot", val, strlen(val), NULL);
		if (write(fd, &i, sizeof(i)) != sizeof(i))
			_exit(4);
	}
}

/* Collects watch events as text: "@rev:" before each revision's first, then one token per
 * event ("p<key>=<value>;" or "d<key>;"). */
struct evtext {
	char *buf;
	size_t len, cap;
	int64_t last_rev;
	int n;
};

static void
evtext_add(struct evtext *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->buf = realloc(t->buf, t->cap);
		assert_non_null(t->buf);
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static void
on_event(const struct cninfra_kv_event *ev, void *arg)
{
	struct evtext *t = arg;
	if (ev->revision != t->last_rev)
		evtext_add(t, "@%lld:", (long long)ev->revision);
	t->last_rev = ev->revision;
	if (ev->type == CNINFRA_KV_PUT)
		evtext_add(t, "p%s=%s;", ev->kv->key, ev->kv->value);
	else
		evtext_add(t, "d%s;", ev->kv->key);
	t->n++;
}

/* Watches everything from from_rev and returns the events as text, or NULL with errno. */
static char *
watch_text(struct cninfra_kv *kv, int64_t from_rev, int64_t to_rev)
{
	struct evtext t = {0};
	struct cninfra_kv_watch *w = cninfra_kv_watch(kv, "", from_rev, on_event, &t);
	if (!w)
		return NULL;
	for (int i = 0; i < 200 && t.last_rev < to_rev; i++)
		cninfra_loop_run_once(loop, 10);
	cninfra_loop_run_once(loop, 1);
	cninfra_kv_unwatch(w);
	if (!t.buf)
		t.buf = strdup("");
	return t.buf;
}

/* The change log ends at the store's revision, with the newest value of a key changed then. */
static void
check_newest_event(struct cninfra_kv *kv)
{
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
	int64_t rev = l.revision;
	char *text = watch_text(kv, rev, rev);
	assert_non_null(text);
	bool found = false;
	for (size_t i = 0; i < l.count; i++) {
		if (l.pairs[i].mod_revision != rev)
			continue;
		struct evtext want = {0};
		evtext_add(&want, "@%lld:p%s=%s;", (long long)rev, l.pairs[i].key,
			   l.pairs[i].value);
		assert_string_equal(text, want.buf);
		free(want.buf);
		found = true;
	}
	assert_true(found);
	free(text);
	cninfra_kv_list_release(&l);
}

static void
test_kill9_loses_nothing(void **state)
{
	(void)state;
	int next = 0;
	srand((unsigned)getpid());
	for (int round = 0; round < ROUNDS; round++) {
		int p[2];
		assert_int_equal(pipe(p), 0);
		int kill_after = 5 + rand() % 60;
		writer = fork();
		assert_true(writer >= 0);
		if (writer == 0) {
			close(p[0]);
			run_writer(next, p[1]);
		}
		close(p[1]);
		int last = -1, got = 0, idx;
		while (got < kill_after && read(p[0], &idx, sizeof(idx)) == sizeof(idx)) {
			last = idx;
			got++;
		}
		/* Right after a put was reported as returned. */
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
		writer = -1;
		/* Puts the writer reported before it died but we had not read yet were acknowledged
		 * too: the pipe holds them until EOF. */
		while (read(p[0], &idx, sizeof(idx)) == sizeof(idx))
			last = idx;
		close(p[0]);
		assert_true(last >= next);

		struct cninfra_kv_opts o = {.endpoint = dir};
		struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
		assert_non_null(kv);
		check_newest_event(kv);
		struct cninfra_kv_list l;
		assert_int_equal(cninfra_kv_list(kv, "/crash/0", &l), 0);
		/* Every reported put is there; at most one more (in flight when killed). */
		assert_true(l.count >= (size_t)last + 1);
		assert_true(l.count <= (size_t)last + 2);
		for (size_t i = 0; i < l.count; i++) {
			char key[32], val[160];
			snprintf(key, sizeof(key), "/crash/%06zu", i);
			value_for((int)i, val, sizeof(val));
			assert_string_equal(l.pairs[i].key, key);
			assert_int_equal(l.pairs[i].value_size, strlen(val));
			assert_memory_equal(l.pairs[i].value, val, strlen(val));
		}
		next = (int)l.count;
		cninfra_kv_list_release(&l);
		cninfra_kv_close(kv);
	}
	assert_true(next > ROUNDS * 5);
}

/* The storm: operation i is a pure function of i, so the parent can model what the child did. */
#define STORM_KEYS 64
#define STORM_ROUNDS 12

#define STORM_HISTORY 16 /* revisions the storm writer's change log keeps */

struct storm_model {
	char *val[STORM_KEYS];
	int64_t rev;
	/* The events of revision r, at r % STORM_HISTORY, as the change log replays them. */
	struct evtext events[STORM_HISTORY];
};

static uint32_t
storm_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

enum { S_PUT, S_DEL, S_DEL_PREFIX };
struct storm_op {
	int type, key; /* S_DEL_PREFIX: key is the decade (keys key*10 .. key*10+9) */
	char val[200];
};

/* Operation i: 1 to 4 storm_ops, committed as one transaction when more than one. */
static int
storm_ops(int i, struct storm_op *ops)
{
	uint32_t s = (uint32_t)i * 2654435761u + 1;
	int n = storm_rand(&s) % 4 == 0 ? 1 + (int)(storm_rand(&s) % 4) : 1;
	for (int k = 0; k < n; k++) {
		uint32_t r = storm_rand(&s) % 100;
		ops[k].key = (int)(storm_rand(&s) % STORM_KEYS);
		ops[k].type = r < 65 ? S_PUT : r < 97 ? S_DEL : S_DEL_PREFIX;
		if (ops[k].type == S_DEL_PREFIX)
			ops[k].key %= STORM_KEYS / 10;
		snprintf(ops[k].val, sizeof(ops[k].val), "v%d.%d-%.*s", i, k,
			 (int)(storm_rand(&s) % 150), value_pad);
	}
	return n;
}

static void
storm_key(int key, char *buf, size_t size)
{
	snprintf(buf, size, "/storm/%02d", key);
}

/* Applies operation i to the model as the store would: the revision moves only on a change, and
 * the change log gets one event per key changed, in the order applied (a prefix delete in key
 * order). */
static void
storm_model_apply(struct storm_model *m, int i)
{
	struct storm_op ops[4];
	struct evtext ev = {0};
	int n = storm_ops(i, ops), changed = 0;
	for (int k = 0; k < n; k++) {
		int from = ops[k].type == S_DEL_PREFIX ? ops[k].key * 10 : ops[k].key;
		int to = ops[k].type == S_DEL_PREFIX ? from + 10 : from + 1;
		for (int j = from; j < to && j < STORM_KEYS; j++) {
			char key[32];
			storm_key(j, key, sizeof(key));
			if (ops[k].type == S_PUT) {
				free(m->val[j]);
				m->val[j] = strdup(ops[k].val);
				evtext_add(&ev, "p%s=%s;", key, ops[k].val);
				changed = 1;
			} else if (m->val[j]) {
				free(m->val[j]);
				m->val[j] = NULL;
				evtext_add(&ev, "d%s;", key);
				changed = 1;
			}
		}
	}
	if (!changed) {
		free(ev.buf);
		return;
	}
	m->rev++;
	struct evtext *slot = &m->events[m->rev % STORM_HISTORY];
	free(slot->buf);
	*slot = ev;
}

static void
storm_model_free(struct storm_model *m)
{
	for (int j = 0; j < STORM_KEYS; j++)
		free(m->val[j]);
	for (int j = 0; j < STORM_HISTORY; j++)
		free(m->events[j].buf);
	memset(m, 0, sizeof(*m));
}

static void
storm_model_copy(struct storm_model *dst, const struct storm_model *src)
{
	storm_model_free(dst);
	for (int j = 0; j < STORM_KEYS; j++)
		dst->val[j] = src->val[j] ? strdup(src->val[j]) : NULL;
	for (int j = 0; j < STORM_HISTORY; j++) {
		dst->events[j] = src->events[j];
		dst->events[j].buf = src->events[j].buf ? strdup(src->events[j].buf) : NULL;
	}
	dst->rev = src->rev;
}

static bool
storm_model_equals(const struct storm_model *m, const struct cninfra_kv_list *l)
{
	size_t li = 0;
	if (l->revision != m->rev)
		return false;
	for (int j = 0; j < STORM_KEYS; j++) {
		if (!m->val[j])
			continue;
		char key[32];
		storm_key(j, key, sizeof(key));
		if (li >= l->count || strcmp(l->pairs[li].key, key) ||
		    l->pairs[li].value_size != strlen(m->val[j]) ||
		    memcmp(l->pairs[li].value, m->val[j], strlen(m->val[j])))
			return false;
		li++;
	}
	return li == l->count;
}

/* The change log after the crash: the newest STORM_HISTORY revisions, each with exactly the
 * model's events; the one before them trimmed. */
static void
storm_check_history(struct cninfra_kv *kv, const struct storm_model *m)
{
	if (m->rev == 0)
		return;
	int64_t from = m->rev >= STORM_HISTORY ? m->rev - STORM_HISTORY + 1 : 1;
	struct evtext want = {0};
	for (int64_t r = from; r <= m->rev; r++)
		evtext_add(&want, "@%lld:%s", (long long)r, m->events[r % STORM_HISTORY].buf);
	char *got = watch_text(kv, from, m->rev);
	assert_non_null(got);
	assert_string_equal(got, want.buf);
	free(got);
	free(want.buf);
	if (from > 1) {
		assert_null(watch_text(kv, from - 1, m->rev));
		assert_int_equal(errno, ERANGE);
	}
}

static void
run_storm_writer(int from, int fd)
{
	/* Every commit trims the revision that falls out of the newest STORM_HISTORY. */
	struct cninfra_kv_opts o = {.endpoint = dir, .history = STORM_HISTORY};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		_exit(2);
	for (int i = from;; i++) {
		struct storm_op ops[4];
		int n = storm_ops(i, ops);
		struct cninfra_kv_txn *txn = cninfra_kv_txn_new();
		if (!txn)
			_exit(3);
		for (int k = 0; k < n; k++) {
			char key[32];
			int rc;
			storm_key(ops[k].key, key, sizeof(key));
			if (ops[k].type == S_PUT) {
				rc = cninfra_kv_txn_put(txn, key, ops[k].val, strlen(ops[k].val));
			} else if (ops[k].type == S_DEL) {
				rc = cninfra_kv_txn_delete(txn, key, 0);
			} else {
				/* "/storm/3" is the decade /storm/30 .. /storm/39 */
				snprintf(key, sizeof(key), "/storm/%d", ops[k].key);
				rc = cninfra_kv_txn_delete(txn, key, CNINFRA_KV_PREFIX);
			}
			if (rc)
				_exit(4);
		}
		if (cninfra_kv_txn_commit(kv, txn, NULL))
			_exit(5);
		cninfra_kv_txn_free(txn);
		if (write(fd, &i, sizeof(i)) != sizeof(i))
			_exit(6);
	}
}

static void
test_storm(void **state)
{
	(void)state;
	struct storm_model acked = {0}, inflight = {0};
	int next = 0;
	srand((unsigned)getpid());
	for (int round = 0; round < STORM_ROUNDS; round++) {
		int p[2];
		assert_int_equal(pipe(p), 0);
		writer = fork();
		assert_true(writer >= 0);
		if (writer == 0) {
			close(p[0]);
			run_storm_writer(next, p[1]);
		}
		close(p[1]);
		/* Let it run 100 us .. 60 ms, then kill it wherever it is. */
		usleep(100 + (useconds_t)(rand() % 60000));
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
		writer = -1;
		int idx, last = next - 1;
		while (read(p[0], &idx, sizeof(idx)) == sizeof(idx)) {
			assert_int_equal(idx, last + 1);
			storm_model_apply(&acked, idx);
			last = idx;
		}
		close(p[0]);
		storm_model_copy(&inflight, &acked);
		storm_model_apply(&inflight, last + 1);

		struct cninfra_kv_opts o = {.endpoint = dir, .history = STORM_HISTORY};
		struct cninfra_kv *kv = cninfra_kv_open(loop, &o);
		assert_non_null(kv);
		struct cninfra_kv_list l;
		assert_int_equal(cninfra_kv_list(kv, "/storm/", &l), 0);
		if (storm_model_equals(&acked, &l)) {
			next = last + 1;
		} else {
			/* The operation in flight may have reached the disk before the kill. */
			assert_true(storm_model_equals(&inflight, &l));
			storm_model_copy(&acked, &inflight);
			next = last + 2;
		}
		cninfra_kv_list_release(&l);
		storm_check_history(kv, &acked);
		cninfra_kv_close(kv);
	}
	storm_model_free(&acked);
	storm_model_free(&inflight);
	assert_true(next > STORM_ROUNDS);
}

/* Migration under kill -9: a process opening a directory with an old kv.log is killed at a
 * random moment. Killed before LMDB's commit, nothing was migrated and the next open does it all;
 * after it, the next open recognises the log it came from and only finishes the rename. Either way
 * the store then holds exactly what the log held, and the log is kept aside byte for byte. */
#define MIG_KEYS 3000
#define MIG_ROUNDS 10

static void
mig_value(int i, char *buf, size_t size)
{
	snprintf(buf, size, "m%d-%.*s", i, 20 + i % 100, value_pad);
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_kill9_migration(void **state)
{
	(void)state;
	struct oldlog log = {0};
	char key[32], val[160];
	for (int i = 0; i < MIG_KEYS; i++) {
		snprintf(key, sizeof(key), "/mig/%05d", i);
		mig_value(i, val, sizeof(val));
		ol_put(&log, (uint64_t)i + 1, key, val);
	}
	ol_del(&log, MIG_KEYS + 1, "/mig/00", 1); /* /mig/00000 .. /mig/00999 */
	srand((unsigned)getpid());
	cninfra_log_set_level(NULL, CNINFRA_LOG_WARN);
	double took = 0;
	int finished = 0;
	for (int round = 0; round < MIG_ROUNDS; round++) {
		tu_rmrf(dir);
		assert_int_equal(mkdir(dir, 0700), 0);
		assert_int_equal(ol_write_file(dir, "kv.log", log.p, log.len), 0);
		double t0 = now_ms();
		writer = fork();
		assert_true(writer >= 0);
		if (writer == 0) {
			struct cninfra_kv_opts o = {.endpoint = dir};
			_exit(cninfra_kv_open(NULL, &o) ? 0 : 1);
		}
		int status = 0;
		if (round == 0) {
			/* The first round runs to the end: how long a migration takes here. */
			waitpid(writer, &status, 0);
			took = now_ms() - t0;
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		} else {
			/* Then a kill anywhere in 0 .. 1.5 times that. */
			usleep((useconds_t)((double)(rand() % 1000) / 1000 * took * 1500));
			kill(writer, SIGKILL);
			waitpid(writer, &status, 0);
		}
		writer = -1;
		finished += WIFEXITED(status) && WEXITSTATUS(status) == 0;

		struct cninfra_kv_opts o = {.endpoint = dir};
		struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
		assert_non_null(kv);
		struct cninfra_kv_list l;
		assert_int_equal(cninfra_kv_list(kv, "", &l), 0);
		assert_int_equal(l.revision, MIG_KEYS + 1);
		assert_int_equal(l.count, MIG_KEYS - 1000);
		for (size_t j = 0; j < l.count; j++) {
			int i = (int)j + 1000;
			snprintf(key, sizeof(key), "/mig/%05d", i);
			mig_value(i, val, sizeof(val));
			assert_string_equal(l.pairs[j].key, key);
			assert_string_equal(l.pairs[j].value, val);
			assert_int_equal(l.pairs[j].mod_revision, i + 1);
		}
		cninfra_kv_list_release(&l);
		cninfra_kv_close(kv);
		char path[512];
		snprintf(path, sizeof(path), "%s/kv.log", dir);
		assert_int_equal(access(path, F_OK), -1);
		snprintf(path, sizeof(path), "%s/kv.log.migrated", dir);
		char *kept = tu_read_file(path);
		assert_non_null(kept);
		assert_memory_equal(kept, log.p, log.len);
		free(kept);
	}
	cninfra_log_set_level(NULL, CNINFRA_LOG_INFO);
	print_message("migration of %zu bytes took %.1f ms; %d of %d rounds finished before the "
		      "kill\n",
		      log.len, took, finished, MIG_ROUNDS);
	free(log.p);
}

/* A full disk: the put that does not fit fails with -ENOSPC; memory and disk keep exactly the
 * acknowledged writes, and the store works again once there is room. */
static void
test_full_disk(void **state)
{
	(void)state;
	if (mount("lig-kv-full", dir, "tmpfs", 0, "size=512k,mode=0700") < 0) {
		if (geteuid() != 0)
			skip();
		fail_msg("mount tmpfs: %s", strerror(errno));
	}
	char sub[512];
	snprintf(sub, sizeof(sub), "%s/kv", dir);
	/* The filesystem fills long before the store's own limit (max_size, 1 GiB). */
	struct cninfra_kv_opts o = {.endpoint = sub};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	assert_non_null(kv);
	static char big[6000];
	memset(big, 'b', sizeof(big));
	int acked = 0, rc = 0;
	for (int i = 0; i < 1000; i++) {
		char key[32];
		snprintf(key, sizeof(key), "/full/%04d", i);
		big[0] = (char)('a' + i % 26);
		rc = cninfra_kv_put(kv, key, big, sizeof(big), NULL);
		if (rc)
			break;
		acked++;
	}
	print_message("%d puts acknowledged before %s\n", acked, strerror(-rc));
	assert_int_equal(rc, -ENOSPC);
	assert_true(acked > 5);
	struct cninfra_kv_list l;
	assert_int_equal(cninfra_kv_list(kv, "/full/", &l), 0);
	assert_int_equal(l.count, (size_t)acked);
	cninfra_kv_list_release(&l);
	cninfra_kv_close(kv);

	kv = cninfra_kv_open(loop, &o);
	assert_non_null(kv);
	check_newest_event(kv);
	assert_int_equal(cninfra_kv_list(kv, "/full/", &l), 0);
	assert_int_equal(l.count, (size_t)acked);
	assert_int_equal(l.revision, acked);
	for (size_t i = 0; i < l.count; i++) {
		assert_int_equal(l.pairs[i].value_size, sizeof(big));
		assert_int_equal(l.pairs[i].value[0], (char)('a' + i % 26));
	}
	cninfra_kv_list_release(&l);
	/* Room again: a small write fits into what the failed one gave back. */
	assert_int_equal(cninfra_kv_put(kv, "/full/small", "s", 1, NULL), 0);
	cninfra_kv_close(kv);
	assert_int_equal(umount(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_kill9_loses_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_storm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kill9_migration, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

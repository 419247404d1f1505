// SPDX-License-Identifier: Apache-2.0
// Crash test of the embedded KV store: a forked writer reports each put the moment it returns and
// is killed with SIGKILL right after; reopening must find every reported put, intact, in several
// rounds (with compaction running) so kills land at many different points of the write path.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cninfra/kv.h"
#include "testutil.h"

#define ROUNDS 6

static char *dir;
static pid_t writer = -1;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("crash");
	return dir ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_kill(writer, SIGKILL);
	writer = -1;
	tu_rmrf(dir);
	free(dir);
	return 0;
}

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
	struct cninfra_kv_opts o = {.endpoint = dir, .compact_min_size = 8192};
	struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
	if (!kv)
		_exit(2);
	for (int i = from;; i++) {
		char key[32], val[160];
		snprintf(key, sizeof(key), "/crash/%06d", i);
		value_for(i, val, sizeof(val));
		if (cninfra_kv_put(kv, key, val, strlen(val), NULL))
			_exit(3);
		/* Overwrite an old key too, so compaction has garbage to drop. */
		if (i > 10)
			cninfra_kv_put(kv, "/crash/hot", val, strlen(val), NULL);
		if (write(fd, &i, sizeof(i)) != sizeof(i))
			_exit(4);
	}
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
		close(p[0]);
		assert_true(last >= next);

		struct cninfra_kv_opts o = {.endpoint = dir};
		struct cninfra_kv *kv = cninfra_kv_open(NULL, &o);
		assert_non_null(kv);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_kill9_loses_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: Apache-2.0
// Unit tests of the shared event loop: timers, fd watches, signals via signalfd, and work posted
// from another thread.
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
#include <sys/epoll.h>
#include <unistd.h>

#include "cninfra/loop.h"

static int fired;

static void
on_timer(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	if (++fired == 3)
		cninfra_loop_quit(loop);
}

static void
test_periodic_timer(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	assert_non_null(loop);
	fired = 0;
	uint64_t t0 = cninfra_now_ms();
	struct cninfra_timer *t = cninfra_loop_timer(loop, 10, 10, on_timer, NULL);
	assert_non_null(t);
	assert_int_equal(cninfra_loop_run(loop), 0);
	assert_int_equal(fired, 3);
	assert_true(cninfra_now_ms() - t0 >= 25);
	cninfra_timer_free(t);
	cninfra_loop_free(loop);
}

static void
self_free(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	*(int *)arg += 1;
	cninfra_timer_free(t); /* freeing from inside its own callback is allowed */
}

static void
test_timer_free_in_callback(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	int n = 0;
	assert_non_null(cninfra_loop_timer(loop, 0, 5, self_free, &n));
	for (int i = 0; i < 5; i++)
		cninfra_loop_run_once(loop, 20);
	assert_int_equal(n, 1);
	cninfra_loop_free(loop);
}

static void
on_readable(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	char c;
	(void)loop;
	assert_true(events & EPOLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	*(char *)arg = c;
}

static void
test_fd_watch(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	int p[2];
	char got = 0;
	assert_int_equal(pipe(p), 0);
	struct cninfra_watch *w = cninfra_loop_watch_fd(loop, p[0], EPOLLIN, on_readable, &got);
	assert_non_null(w);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_true(cninfra_loop_run_once(loop, 1000) >= 1);
	assert_int_equal(got, 'x');
	cninfra_loop_unwatch(w);
	assert_int_equal(write(p[1], "y", 1), 1);
	assert_int_equal(cninfra_loop_run_once(loop, 20), 0);
	close(p[0]);
	close(p[1]);
	cninfra_loop_free(loop);
}

static void
on_sig(struct cninfra_loop *loop, int signo, void *arg)
{
	*(int *)arg = signo;
	cninfra_loop_quit(loop);
}

static void
test_signal(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	int got = 0;
	assert_int_equal(cninfra_loop_signal(loop, SIGUSR1, on_sig, &got), 0);
	kill(getpid(), SIGUSR1); /* blocked, so it waits in the signalfd */
	assert_int_equal(cninfra_loop_run(loop), 0);
	assert_int_equal(got, SIGUSR1);
	assert_int_equal(cninfra_loop_signal(loop, 0, on_sig, &got), -EINVAL);
	cninfra_loop_free(loop);
}

struct post_ctx {
	struct cninfra_loop *loop;
	int count;
};

static void
posted(void *arg)
{
	struct post_ctx *c = arg;
	if (++c->count == 100)
		cninfra_loop_quit(c->loop);
}

static void *
poster(void *arg)
{
	struct post_ctx *c = arg;
	for (int i = 0; i < 100; i++)
		cninfra_loop_post(c->loop, posted, c);
	return NULL;
}

static void
test_post_from_thread(void **state)
{
	(void)state;
	struct post_ctx c = {.loop = cninfra_loop_new()};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, poster, &c), 0);
	assert_int_equal(cninfra_loop_run(c.loop), 0);
	pthread_join(th, NULL);
	assert_int_equal(c.count, 100);
	cninfra_loop_free(c.loop);
}

/* cninfra_file_watch: not called at start, blind to other names in the directory, one call
 * per settled burst (write a temporary, rename it over), deletes seen, bad paths refused. */
static void
fw_count(void *arg)
{
	(*(int *)arg)++;
}

static void
run_for(struct cninfra_loop *loop, uint64_t ms)
{
	uint64_t end = cninfra_now_ms() + ms;
	for (uint64_t now; (now = cninfra_now_ms()) < end;)
		cninfra_loop_run_once(loop, (int)(end - now));
}

static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_file_watch(void **state)
{
	(void)state;
	char dir[] = "/tmp/cninfra_fw.XXXXXX", path[128], tmp[128], other[128], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/conf.yaml", dir);
	snprintf(tmp, sizeof(tmp), "%s/conf.yaml.tmp", dir);
	snprintf(other, sizeof(other), "%s/other.txt", dir);
	struct cninfra_loop *loop = cninfra_loop_new();
	int calls = 0;
	struct cninfra_file_watch *fw =
	    cninfra_file_watch(loop, path, 20, fw_count, &calls, err, sizeof(err));
	assert_non_null(fw);
	run_for(loop, 60);
	assert_int_equal(calls, 0);
	put_file(other, "x");
	run_for(loop, 80);
	assert_int_equal(calls, 0);
	put_file(tmp, "a: 1\n");
	assert_int_equal(rename(tmp, path), 0);
	run_for(loop, 150);
	assert_int_equal(calls, 1);
	assert_int_equal(unlink(path), 0);
	run_for(loop, 150);
	assert_int_equal(calls, 2);
	cninfra_file_watch_free(fw);

	snprintf(tmp, sizeof(tmp), "%s/", dir);
	assert_null(cninfra_file_watch(loop, tmp, 20, fw_count, &calls, err, sizeof(err)));
	assert_string_equal(err, "not a file name");
	snprintf(tmp, sizeof(tmp), "%s/missing/conf.yaml", dir);
	assert_null(cninfra_file_watch(loop, tmp, 20, fw_count, &calls, err, sizeof(err)));
	assert_non_null(strstr(err, "watching "));
	assert_non_null(strstr(err, "/missing: "));
	cninfra_loop_free(loop);
	unlink(other);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_periodic_timer),   cmocka_unit_test(test_timer_free_in_callback),
	    cmocka_unit_test(test_fd_watch),	     cmocka_unit_test(test_signal),
	    cmocka_unit_test(test_post_from_thread), cmocka_unit_test(test_file_watch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

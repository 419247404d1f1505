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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_periodic_timer),   cmocka_unit_test(test_timer_free_in_callback),
	    cmocka_unit_test(test_fd_watch),	     cmocka_unit_test(test_signal),
	    cmocka_unit_test(test_post_from_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

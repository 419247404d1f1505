// SPDX-License-Identifier: Apache-2.0
// The shared event loop: one epoll set for fd watches, timerfd timers, one signalfd and an eventfd
// that wakes the loop for work posted from other threads (etcd watch threads).
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "cninfra/loop.h"

#define MAX_EVENTS 64

struct cninfra_watch {
	struct cninfra_loop *loop;
	int fd;
	cninfra_fd_cb cb;
	void *arg;
	bool dead;
	struct cninfra_watch *next; /* all watches, for cleanup */
};

struct cninfra_timer {
	struct cninfra_watch *w;
	cninfra_timer_cb cb;
	void *arg;
};

struct post_item {
	cninfra_post_cb fn;
	void *arg;
	struct post_item *next;
};

struct cninfra_loop {
	int epfd;
	int sigfd;
	sigset_t sigmask;
	struct {
		cninfra_signal_cb cb;
		void *arg;
	} sig[_NSIG];
	struct cninfra_watch *sigw;
	int postfd;
	struct cninfra_watch *postw;
	pthread_mutex_t post_lock;
	struct post_item *post_head, **post_tail;
	struct cninfra_watch *watches;
	int dead_count;
	volatile int quit;
};

uint64_t
cninfra_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
post_ready(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	uint64_t n;
	(void)events;
	(void)arg;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&loop->post_lock);
	struct post_item *list = loop->post_head;
	loop->post_head = NULL;
	loop->post_tail = &loop->post_head;
	pthread_mutex_unlock(&loop->post_lock);
	while (list) {
		struct post_item *it = list;
		list = it->next;
		it->fn(it->arg);
		free(it);
	}
}

static void
signal_ready(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;
	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int signo = (int)si.ssi_signo;
		if (signo > 0 && signo < _NSIG && loop->sig[signo].cb)
			loop->sig[signo].cb(loop, signo, loop->sig[signo].arg);
	}
}

struct cninfra_loop *
cninfra_loop_new(void)
{
	struct cninfra_loop *loop = calloc(1, sizeof(*loop));
	if (!loop)
		return NULL;
	loop->sigfd = -1;
	loop->postfd = -1;
	loop->post_tail = &loop->post_head;
	pthread_mutex_init(&loop->post_lock, NULL);
	sigemptyset(&loop->sigmask);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto fail;
	loop->postfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->postfd < 0)
		goto fail;
	loop->postw = cninfra_loop_watch_fd(loop, loop->postfd, EPOLLIN, post_ready, NULL);
	if (!loop->postw)
		goto fail;
	return loop;
fail:;
	int e = errno;
	cninfra_loop_free(loop);
	errno = e;
	return NULL;
}

static void
reap_dead(struct cninfra_loop *loop)
{
	if (!loop->dead_count)
		return;
	struct cninfra_watch **pp = &loop->watches;
	while (*pp) {
		struct cninfra_watch *w = *pp;
		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
	loop->dead_count = 0;
}

void
cninfra_loop_free(struct cninfra_loop *loop)
{
	if (!loop)
		return;
	/* Work posted but never run (watch batches) runs now, so it can release what it holds. */
	while (loop->post_head) {
		struct post_item *list = loop->post_head;
		loop->post_head = NULL;
		loop->post_tail = &loop->post_head;
		while (list) {
			struct post_item *it = list;
			list = it->next;
			it->fn(it->arg);
			free(it);
		}
	}
	while (loop->watches) {
		struct cninfra_watch *w = loop->watches;
		loop->watches = w->next;
		free(w);
	}
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	if (loop->postfd >= 0)
		close(loop->postfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	pthread_mutex_destroy(&loop->post_lock);
	free(loop);
}

struct cninfra_watch *
cninfra_loop_watch_fd(struct cninfra_loop *loop, int fd, uint32_t events, cninfra_fd_cb cb,
		      void *arg)
{
	if (!loop || fd < 0 || !cb) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->loop = loop;
	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	struct epoll_event ev = {.events = events, .data.ptr = w};
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	w->next = loop->watches;
	loop->watches = w;
	return w;
}

int
cninfra_loop_watch_mod(struct cninfra_watch *w, uint32_t events)
{
	if (!w || w->dead)
		return -EINVAL;
	struct epoll_event ev = {.events = events, .data.ptr = w};
	if (epoll_ctl(w->loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

void
cninfra_loop_unwatch(struct cninfra_watch *w)
{
	if (!w || w->dead)
		return;
	epoll_ctl(w->loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	/* Freed at the end of the turn: an event for it may still sit in the current batch. */
	w->dead = true;
	w->loop->dead_count++;
}

static void
timer_ready(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	struct cninfra_timer *t = arg;
	uint64_t n;
	(void)events;
	if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	t->cb(loop, t, t->arg);
}

static struct timespec
ms_ts(uint64_t ms)
{
	return (struct timespec){.tv_sec = (time_t)(ms / 1000),
				 .tv_nsec = (long)(ms % 1000) * 1000000};
}

int
cninfra_timer_set(struct cninfra_timer *t, uint64_t first_ms, uint64_t interval_ms)
{
	if (!t)
		return -EINVAL;
	struct itimerspec its = {.it_value = ms_ts(first_ms), .it_interval = ms_ts(interval_ms)};
	/* A zero it_value disarms: "fire now" is one nanosecond from now. */
	if (first_ms == 0 && interval_ms != 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(t->w->fd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

struct cninfra_timer *
cninfra_loop_timer(struct cninfra_loop *loop, uint64_t first_ms, uint64_t interval_ms,
		   cninfra_timer_cb cb, void *arg)
{
	if (!loop || !cb) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cb = cb;
	t->arg = arg;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		goto fail;
	t->w = cninfra_loop_watch_fd(loop, fd, EPOLLIN, timer_ready, t);
	if (!t->w) {
		int e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	struct itimerspec its = {.it_value = ms_ts(first_ms), .it_interval = ms_ts(interval_ms)};
	if (first_ms == 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		int e = errno;
		cninfra_timer_free(t);
		errno = e;
		return NULL;
	}
	return t;
fail:;
	int e = errno;
	free(t);
	errno = e;
	return NULL;
}

void
cninfra_timer_free(struct cninfra_timer *t)
{
	if (!t)
		return;
	int fd = t->w->fd;
	cninfra_loop_unwatch(t->w);
	close(fd);
	free(t);
}

int
cninfra_loop_signal(struct cninfra_loop *loop, int signo, cninfra_signal_cb cb, void *arg)
{
	if (!loop || signo <= 0 || signo >= _NSIG || !cb)
		return -EINVAL;
	sigaddset(&loop->sigmask, signo);
	if (pthread_sigmask(SIG_BLOCK, &loop->sigmask, NULL) != 0)
		return -EINVAL;
	int fd = signalfd(loop->sigfd, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (loop->sigfd < 0) {
		loop->sigfd = fd;
		loop->sigw = cninfra_loop_watch_fd(loop, fd, EPOLLIN, signal_ready, NULL);
		if (!loop->sigw)
			return -errno;
	}
	loop->sig[signo].cb = cb;
	loop->sig[signo].arg = arg;
	return 0;
}

int
cninfra_loop_post(struct cninfra_loop *loop, cninfra_post_cb fn, void *arg)
{
	if (!loop || !fn)
		return -EINVAL;
	struct post_item *it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->fn = fn;
	it->arg = arg;
	pthread_mutex_lock(&loop->post_lock);
	*loop->post_tail = it;
	loop->post_tail = &it->next;
	pthread_mutex_unlock(&loop->post_lock);
	uint64_t one = 1;
	if (write(loop->postfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

int
cninfra_loop_run_once(struct cninfra_loop *loop, int timeout_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int n = epoll_wait(loop->epfd, evs, MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct cninfra_watch *w = evs[i].data.ptr;
		if (!w->dead)
			w->cb(loop, w->fd, evs[i].events, w->arg);
	}
	reap_dead(loop);
	return n;
}

int
cninfra_loop_run(struct cninfra_loop *loop)
{
	loop->quit = 0;
	while (!loop->quit) {
		int rc = cninfra_loop_run_once(loop, -1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
quit_cb(void *arg)
{
	struct cninfra_loop *loop = arg;
	loop->quit = 1;
}

void
cninfra_loop_quit(struct cninfra_loop *loop)
{
	/* Posting wakes a loop blocked in epoll_wait from any thread. */
	if (cninfra_loop_post(loop, quit_cb, loop) < 0)
		loop->quit = 1;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The main loop: adaptive polling with an epoll sleep when idle (see loop.h). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../infra/log.h"
#include "graph.h"
#include "handoff.h"
#include "loop.h"
#include "thread.h"

#define LIG_LOOP_MAX_TIMERS 64
#define LIG_LOOP_MAX_POST_POLL 8

struct lig_fd_watch {
	int fd;
	lig_fd_fn_t *fn;
	void *ctx;
	bool dead;	 /* unwatched while its event batch was running */
	bool no_barrier; /* its callback takes the barrier itself (lig_loop_watch_no_barrier) */
	struct lig_fd_watch *next_dead; /* freed when the batch is done */
};

struct lig_timer {
	u64 period_ns;
	u64 deadline_ns;
	lig_timer_fn_t *fn;
	void *ctx;
	bool used;
	bool no_barrier; /* its callback takes the barrier itself (lig_loop_timer_no_barrier) */
};

static struct {
	int epfd;
	int sigfd;
	struct lig_fd_watch *sig_watch;
	struct lig_timer timers[LIG_LOOP_MAX_TIMERS];
	volatile bool stop;
	/* While callbacks of one epoll batch run, a callback may unwatch another fd of the
	 * same batch (a CLI command deleting an interface, memif tearing down a peer):
	 * such watches are only marked dead and freed once the batch is done. */
	u32 poll_depth;
	struct lig_fd_watch *dead;
	lig_loop_hook_fn_t *post_poll[LIG_LOOP_MAX_POST_POLL];
	u32 n_post_poll;
} lig_loop = {.epfd = -1, .sigfd = -1};

/* About 100 us of empty polls at typical loop costs: long enough to ride out gaps
 * inside a burst, short enough that idle costs nothing. */
u32 lig_loop_idle_spins = 2000;
u32 lig_loop_idle_yield;

static void
lig_loop_on_signal(void *ctx, u32 events)
{
	struct signalfd_siginfo si;

	(void)ctx;
	(void)events;
	while (read(lig_loop.sigfd, &si, sizeof(si)) == sizeof(si)) {
		lig_notice("ligd", "signal %u received, shutting down", si.ssi_signo);
		lig_loop.stop = true;
	}
}

int
lig_loop_init(void)
{
	sigset_t mask;

	lig_loop.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lig_loop.epfd < 0)
		return -errno;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	lig_loop.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (lig_loop.sigfd < 0)
		return -errno;
	lig_loop.sig_watch = lig_loop_watch_fd(lig_loop.sigfd, EPOLLIN, lig_loop_on_signal, NULL);
	if (!lig_loop.sig_watch)
		return -errno;
	lig_loop.stop = false;
	return 0;
}

void
lig_loop_free(void)
{
	lig_loop_unwatch_fd(lig_loop.sig_watch);
	lig_loop.sig_watch = NULL;
	if (lig_loop.sigfd >= 0)
		close(lig_loop.sigfd);
	if (lig_loop.epfd >= 0)
		close(lig_loop.epfd);
	lig_loop.sigfd = lig_loop.epfd = -1;
	memset(lig_loop.timers, 0, sizeof(lig_loop.timers));
}

struct lig_fd_watch *
lig_loop_watch_fd(int fd, u32 events, lig_fd_fn_t *fn, void *ctx)
{
	struct lig_fd_watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = {.events = events};

	if (!w)
		return NULL;
	w->fd = fd;
	w->fn = fn;
	w->ctx = ctx;
	ev.data.ptr = w;
	if (epoll_ctl(lig_loop.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	return w;
}

void
lig_loop_unwatch_fd(struct lig_fd_watch *w)
{
	if (!w || w->dead)
		return;
	epoll_ctl(lig_loop.epfd, EPOLL_CTL_DEL, w->fd, NULL);
	if (lig_loop.poll_depth) {
		w->dead = true;
		w->fn = NULL;
		w->ctx = NULL;
		w->next_dead = lig_loop.dead;
		lig_loop.dead = w;
		return;
	}
	free(w);
}

void
lig_loop_watch_no_barrier(struct lig_fd_watch *w)
{
	if (w)
		w->no_barrier = true;
}

int
lig_loop_watch_fd_events(struct lig_fd_watch *w, u32 events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (!w || w->dead)
		return -EINVAL;
	return epoll_ctl(lig_loop.epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0 ? -errno : 0;
}

int
lig_loop_add_timer(u64 period_ns, lig_timer_fn_t *fn, void *ctx)
{
	if (period_ns == 0 || !fn)
		return -EINVAL;
	for (int i = 0; i < LIG_LOOP_MAX_TIMERS; i++) {
		struct lig_timer *t = &lig_loop.timers[i];
		if (t->used)
			continue;
		t->used = true;
		t->no_barrier = false;
		t->period_ns = period_ns;
		t->deadline_ns = lig_time_now_ns() + period_ns;
		t->fn = fn;
		t->ctx = ctx;
		return i;
	}
	return -ENOSPC;
}

void
lig_loop_del_timer(int id)
{
	if (id >= 0 && id < LIG_LOOP_MAX_TIMERS)
		lig_loop.timers[id].used = false;
}

void
lig_loop_timer_no_barrier(int id)
{
	if (id >= 0 && id < LIG_LOOP_MAX_TIMERS && lig_loop.timers[id].used)
		lig_loop.timers[id].no_barrier = true;
}

/* Runs due timers (only those marked no_barrier unless all); returns ms until the next
 * one (-1 when there is none). */
static int
lig_loop_run_timers_of(bool all)
{
	u64 now = lig_time_now_ns(), next = ~0ull;

	for (int i = 0; i < LIG_LOOP_MAX_TIMERS; i++) {
		struct lig_timer *t = &lig_loop.timers[i];
		if (!t->used)
			continue;
		if (t->deadline_ns <= now && (all || t->no_barrier)) {
			t->deadline_ns = now + t->period_ns;
			t->fn(t->ctx);
		}
		if (t->used && t->deadline_ns < next)
			next = t->deadline_ns;
	}
	if (next == ~0ull)
		return -1;
	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

static int
lig_loop_run_timers(void)
{
	return lig_loop_run_timers_of(true);
}

/* True if a timer that needs the barrier is due (main's loop takes it for that one). */
static bool
lig_loop_timers_due(void)
{
	u64 now = lig_time_now_ns();

	for (int i = 0; i < LIG_LOOP_MAX_TIMERS; i++)
		if (lig_loop.timers[i].used && !lig_loop.timers[i].no_barrier &&
		    lig_loop.timers[i].deadline_ns <= now)
			return true;
	return false;
}

/* Ms until the next timer (-1 when there is none), without running any. */
static int
lig_loop_next_timer_ms(void)
{
	u64 now = lig_time_now_ns(), next = ~0ull;

	for (int i = 0; i < LIG_LOOP_MAX_TIMERS; i++)
		if (lig_loop.timers[i].used && lig_loop.timers[i].deadline_ns < next)
			next = lig_loop.timers[i].deadline_ns;
	if (next == ~0ull)
		return -1;
	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

int
lig_loop_add_post_poll(lig_loop_hook_fn_t *fn)
{
	if (lig_loop.n_post_poll == LIG_LOOP_MAX_POST_POLL)
		return -ENOSPC;
	lig_loop.post_poll[lig_loop.n_post_poll++] = fn;
	return 0;
}

/* Runs the callbacks of one epoll batch. */
static void
lig_loop_run_callbacks(const struct epoll_event *evs, int n)
{
	lig_loop.poll_depth++;
	for (int i = 0; i < n; i++) {
		struct lig_fd_watch *w = evs[i].data.ptr;
		/* An rx fd only wakes us: the input nodes poll on the next pass. A dead
		 * watch (unwatched by an earlier callback of this batch) has fn NULL. */
		if (w->fn)
			w->fn(w->ctx, evs[i].events);
	}
	if (--lig_loop.poll_depth == 0) {
		while (lig_loop.dead) {
			struct lig_fd_watch *w = lig_loop.dead;
			lig_loop.dead = w->next_dead;
			free(w);
		}
	}
}

static void
lig_loop_run_post_poll(void)
{
	for (u32 i = 0; i < lig_loop.n_post_poll; i++)
		lig_loop.post_poll[i]();
}

/* Runs the callbacks of one epoll batch, then the post-poll hooks. */
static void
lig_loop_dispatch(const struct epoll_event *evs, int n)
{
	lig_loop_run_callbacks(evs, n);
	lig_loop_run_post_poll();
}

static void
lig_loop_poll_fds(int timeout_ms)
{
	struct epoll_event evs[32];
	int n = epoll_wait(lig_loop.epfd, evs, 32, timeout_ms);

	lig_loop_dispatch(evs, n);
}

void
lig_loop_run_once(int timeout_ms)
{
	lig_graph_run_once();
	lig_loop_run_timers();
	lig_loop_poll_fds(timeout_ms);
}

/*
 * Main's loop when workers run the graph: sleep in epoll until a control-plane fd or a
 * timer wants main, then take the barrier only if something of this pass may change
 * what workers read: an fd callback that does not take the barrier itself (the CLI
 * takes it per command, in lig_cli_execute, the API per batch of a client's messages,
 * both skipping it for mp-safe ones), a due timer, the
 * workers' requests, or packets main itself sends (ARP requests, released glean
 * packets, what workers handed to main). A pass that only accepts a CLI client, reads a
 * partial request or closes one parks nobody; nor does a timer marked no_barrier (run
 * then without it) unless its callback takes the barrier itself. Post-poll hooks (main's
 * own deferred frees) need no barrier; they run under one when the pass took it anyway.
 */
static int
lig_loop_run_with_workers(void)
{
	int timeout = 0;

	while (!lig_loop.stop) {
		struct epoll_event evs[32];
		/* Deferred frees wait for the workers' next loop top, microseconds away:
		 * look again within a millisecond rather than at the next timer. */
		if (lig_rcu_poll() && (timeout < 0 || timeout > 1))
			timeout = 1;
		int n = epoll_wait(lig_loop.epfd, evs, 32, timeout);
		const char *kind = NULL;
		for (int i = 0; i < n && !kind; i++) {
			const struct lig_fd_watch *w = evs[i].data.ptr;
			if (w->fn && !w->no_barrier)
				kind = "fd events";
		}
		if (!kind && lig_loop_timers_due())
			kind = "timers";
		if (!kind && lig_thread_rpcs_pending())
			kind = "worker requests";
		if (!kind && (lig_graph_has_pending() || lig_handoff_pending(0)))
			kind = "main's packets";
		u64 e0 = lig_barrier_epoch();
		if (kind) {
			lig_barrier_sync();
			lig_barrier_kind(kind);
		}
		lig_loop_run_callbacks(evs, n);
		if (!kind) {
			/* Timers that take the barrier themselves, only when they must. */
			lig_loop_run_timers_of(false);
			/* The post-poll hooks touch main's own state only (memif frees the fd
			 * watches its callbacks tore down): no barrier for them. A callback that
			 * took its own barrier (a CLI command) may have left work that needs
			 * one: packets for main to send, workers' requests, a timer now due. */
			bool more = lig_barrier_epoch() != e0 &&
				    (lig_loop_timers_due() || lig_thread_rpcs_pending() ||
				     lig_graph_has_pending() || lig_handoff_pending(0));
			if (!more) {
				lig_loop_run_post_poll();
				timeout = lig_loop_next_timer_ms();
				continue;
			}
			lig_barrier_sync();
			lig_barrier_kind("after a command");
		}
		lig_loop_run_post_poll();
		timeout = lig_loop_run_timers();
		lig_thread_run_rpcs();
		lig_handoff_poll();
		for (u32 i = 0; i < 4 && lig_graph_has_pending(); i++)
			lig_graph_run_once();
		if (lig_graph_has_pending() || lig_handoff_pending(0))
			timeout = 0;
		lig_barrier_release();
	}
	return 0;
}

int
lig_loop_run(void)
{
	u32 idle = 0;
	u64 iter = 0;

	if (lig_n_workers)
		return lig_loop_run_with_workers();
	while (!lig_loop.stop) {
		u32 n = lig_graph_run_once();
		/* Never sleep with frames still queued (see lig_graph_dispatch_pending). */
		idle = n || lig_graph_has_pending() ? 0 : idle + 1;
		/* Control-plane work (timers, CLI, API) is checked every 256 busy passes:
		 * cheap enough to keep them responsive under full load. While spinning idle
		 * it is checked every 16 passes, so a request arriving then (an API client's
		 * next call) is not left waiting for the spin to end. */
		if (idle > lig_loop_idle_spins) {
			int timeout = lig_loop_run_timers();
			lig_loop_poll_fds(timeout);
			idle = 0;
		} else if ((++iter & (idle ? 15 : 255)) == 0) {
			lig_loop_run_timers();
			lig_loop_poll_fds(0);
		} else if (lig_loop_idle_yields(idle)) {
			sched_yield(); /* as a worker does (thread.c, lig_worker_yield) */
		}
	}
	return 0;
}

void
lig_loop_stop(void)
{
	lig_loop.stop = true;
}

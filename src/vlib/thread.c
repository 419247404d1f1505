/* SPDX-License-Identifier: Apache-2.0 */
/* Worker threads, the barrier, requests to main and per-thread fd watches (see thread.h). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../infra/log.h"
#include "buffer.h"
#include "cli.h"
#include "graph.h"
#include "handoff.h"
#include "thread.h"
#include "trace.h"

_Thread_local u32 lig_thread_index;
u32 lig_n_threads = 1;
u32 lig_n_workers;
struct lig_thread lig_threads[LIG_THREAD_MAX];
struct lig_barrier_stats lig_barrier_stats;

#define LIG_RPC_RING_SIZE 1024
/* Busy-wait this many pauses (tens of microseconds) before giving the core away: a worker
 * parks for the length of a control-plane change, usually a few microseconds, but on a
 * machine with fewer cores than threads a spinning worker would take the core main
 * needs to finish the change. */
#define LIG_BARRIER_SPINS 2000
#define LIG_THREAD_POLL_NS 100000

struct lig_rpc_msg {
	lig_rpc_fn_t *fn;
	u8 arg[LIG_RPC_ARG_SIZE];
};

/* One per worker, worker to main: the worker moves head, main moves tail. */
struct lig_thread_rpc_ring {
	u32 head;
	u32 tail;
	struct lig_rpc_msg msgs[LIG_RPC_RING_SIZE];
};

struct lig_thread_watch {
	u32 thread;
	int fd;
	lig_fd_fn_t *fn;
	void *ctx;
	struct lig_fd_watch *loop_watch; /* thread 0: the main loop's watch */
};

static struct {
	/* Odd while main holds the barrier (atomic): workers park while they see it odd, and
	 * a worker that slept through a change of it drops the events of that sleep (they
	 * may name watches main freed meanwhile). */
	u32 epoch;	   /* a futex word too: parked workers wait on it */
	u32 futex_waiters; /* parked workers asleep on the futex (atomic) */
	u32 main_waiting;  /* main asleep on a worker's state, waiting for it to park */
	u32 depth;	   /* main's nesting */
	u64 raised_ns;
	u64 parked_ns;	       /* when main saw the last worker parked */
	u64 workers_parked_ns; /* when the last worker parked, by its clock */
	u32 stop;	       /* atomic */
	int main_wake_fd;
	struct lig_fd_watch *main_wake_watch;
} lig_tm = {.main_wake_fd = -1};

/* ---- Deferred reclamation (RCU) state: see lig_rcu_call ---- */

struct lig_rcu_item {
	lig_rcu_fn_t *fn;
	void *ctx;
	u64 arg;
};

/* Main only. items[0, n_grace) wait for the grace period that started at grace_ns with the
 * workers' sequence numbers in snap; the rest came after its start and wait for the next. */
static struct {
	struct lig_rcu_item *items;
	u32 n, cap;
	u32 n_grace; /* 0: no grace period running */
	/* Calls are running: a barrier one of them takes must not run the queue again (the
	 * items being run are still in it). */
	bool running;
	u64 grace_ns;
	u64 snap[LIG_THREAD_MAX];
} lig_rcu;

static void lig_rcu_run_all(void);
static bool lig_rcu_workers_offline(void);

/* ---- Configuration ---- */

static int
lig_thread_parse_u32(const char *s, u32 *v)
{
	char *end;
	unsigned long x;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || x > 0xffffffffu)
		return -EINVAL;
	*v = (u32)x;
	return 0;
}

/* "1-3,5" into cores[]; returns 0 or -EINVAL. */
static int
lig_thread_parse_corelist(const char *value, struct lig_thread_config *c)
{
	char buf[256], *save = NULL;

	if (strlen(value) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", value);
	c->n_cores = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		u32 a, b;
		if (dash)
			*dash = 0;
		if (lig_thread_parse_u32(tok, &a) < 0 ||
		    (dash ? lig_thread_parse_u32(dash + 1, &b) : (b = a, 0)) < 0 || b < a ||
		    b >= CPU_SETSIZE)
			return -EINVAL;
		for (u32 k = a; k <= b; k++) {
			if (c->n_cores == LIG_THREAD_MAX - 1)
				return -EINVAL;
			c->cores[c->n_cores++] = (u16)k;
		}
	}
	return c->n_cores ? 0 : -EINVAL;
}

int
lig_thread_config_apply(struct lig_thread_config *c, const char *key, const char *value, char *msg,
			size_t msg_size)
{
	u32 v;

	if (strcmp(key, "main-core") == 0) {
		if (lig_thread_parse_u32(value, &v) == 0 && v < CPU_SETSIZE) {
			c->main_core = (i32)v;
			return 0;
		}
		snprintf(msg, msg_size, "main-core must be a core number");
		return -EINVAL;
	}
	if (strcmp(key, "corelist-workers") == 0) {
		if (lig_thread_parse_corelist(value, c) == 0)
			return 0;
		snprintf(msg, msg_size,
			 "corelist-workers must be a list like 1-2,4 (at most %u cores)",
			 LIG_THREAD_MAX - 1);
		return -EINVAL;
	}
	if (strcmp(key, "workers") == 0) {
		if (lig_thread_parse_u32(value, &v) == 0 && v < LIG_THREAD_MAX) {
			c->n_workers = v;
			return 0;
		}
		snprintf(msg, msg_size, "workers must be 0..%u", LIG_THREAD_MAX - 1);
		return -EINVAL;
	}
	snprintf(msg, msg_size, "unknown key '%.60s' in section 'cpu'", key);
	return -EINVAL;
}

int
lig_thread_config_check(struct lig_thread_config *c, char *msg, size_t msg_size)
{
	if (c->n_cores && c->n_workers && c->n_workers != c->n_cores) {
		snprintf(msg, msg_size, "workers %u but corelist-workers names %u cores",
			 c->n_workers, c->n_cores);
		return -EINVAL;
	}
	if (c->n_cores)
		c->n_workers = c->n_cores;
	return 0;
}

/* ---- Barrier ---- */

/* Pauses by kind of change: the last LIG_BARRIER_SAMPLES of each, for min/median/max. */
#define LIG_BARRIER_KINDS 64
#define LIG_BARRIER_SAMPLES 512
struct lig_barrier_kind_stats {
	char name[40];
	u64 n;
	u32 pause_us[LIG_BARRIER_SAMPLES]; /* raise to release */
	u32 stop_us[LIG_BARRIER_SAMPLES];  /* the last worker parked to release */
};
static struct lig_barrier_kind_stats lig_barrier_kinds[LIG_BARRIER_KINDS];
static const char *lig_barrier_cur_kind;

void
lig_barrier_kind(const char *kind)
{
	/* The outermost barrier's name: what a script or a batch nests keeps it. */
	if (lig_n_workers && lig_tm.depth == 1)
		lig_barrier_cur_kind = kind;
}

static void
lig_barrier_kind_add(const char *kind, u64 pause_ns, u64 stop_ns)
{
	struct lig_barrier_kind_stats *k = NULL;

	if (!kind)
		kind = "other";
	for (u32 i = 0; i < LIG_BARRIER_KINDS; i++) {
		struct lig_barrier_kind_stats *c = &lig_barrier_kinds[i];
		if (!c->name[0] || strncmp(c->name, kind, sizeof(c->name) - 1) == 0) {
			k = c;
			break;
		}
	}
	if (!k) {
		/* Full: the last one collects the rest, under a name that says so. */
		k = &lig_barrier_kinds[LIG_BARRIER_KINDS - 1];
		snprintf(k->name, sizeof(k->name), "(more kinds)");
	}
	if (!k->name[0])
		snprintf(k->name, sizeof(k->name), "%s", kind);
	u32 slot = (u32)(k->n++ % LIG_BARRIER_SAMPLES);
	k->pause_us[slot] = (u32)LIG_MIN(pause_ns / 1000, (u64)0xffffffffu);
	k->stop_us[slot] = (u32)LIG_MIN(stop_ns / 1000, (u64)0xffffffffu);
}

u64
lig_barrier_epoch(void)
{
	return __atomic_load_n(&lig_tm.epoch, __ATOMIC_RELAXED);
}

static inline u32
lig_tm_epoch(void)
{
	return __atomic_load_n(&lig_tm.epoch, __ATOMIC_SEQ_CST);
}

void
lig_barrier_sync(void)
{
	if (!lig_n_workers || lig_tm.depth++)
		return;
	u64 t0 = lig_time_now_ns();
	__atomic_add_fetch(&lig_tm.epoch, 1, __ATOMIC_SEQ_CST);
	for (u32 i = 1; i < lig_n_threads; i++) {
		u32 *state = &lig_threads[i].state;
		for (u32 spin = 0; __atomic_load_n(state, __ATOMIC_SEQ_CST) == LIG_THREAD_RUNNING;
		     spin++) {
			if (spin < LIG_BARRIER_SPINS) {
				lig_cpu_relax();
				continue;
			}
			/* The worker may be waiting for this very core: sleep on its state
			 * (it wakes main when it leaves RUNNING and sees main_waiting). */
			__atomic_store_n(&lig_tm.main_waiting, 1, __ATOMIC_SEQ_CST);
			struct timespec ts = {.tv_sec = 0, .tv_nsec = 1000000};
			syscall(SYS_futex, state, FUTEX_WAIT_PRIVATE, LIG_THREAD_RUNNING, &ts, NULL,
				0);
			__atomic_store_n(&lig_tm.main_waiting, 0, __ATOMIC_SEQ_CST);
		}
	}
	lig_tm.parked_ns = lig_time_now_ns();
	lig_tm.raised_ns = t0;
	/* When the workers themselves parked: the part of the wait that was theirs (finishing
	 * a pass), not main's own (being scheduled again after it slept on a futex). */
	u64 last = t0;
	for (u32 i = 1; i < lig_n_threads; i++) {
		const struct lig_thread *t = &lig_threads[i];
		/* Atomic: a worker still PARKED from the previous barrier (not yet woken)
		 * counts as parked and may be writing it as it parks again. */
		u64 at = __atomic_load_n(&t->parked_at_ns, __ATOMIC_RELAXED);
		if (__atomic_load_n(&t->state, __ATOMIC_SEQ_CST) == LIG_THREAD_PARKED && at > last)
			last = at;
	}
	lig_tm.workers_parked_ns = last;
	/* Every worker is parked: a grace period for whatever is waiting, unless one parked
	 * with frames still queued (they may hold what is waiting). */
	if (lig_rcu.n && lig_rcu_workers_offline())
		lig_rcu_run_all();
}

/* lig_barrier_after_release's queue: main only. */
static struct {
	lig_rpc_fn_t *fn;
	void *arg;
} lig_barrier_after[LIG_BARRIER_AFTER_MAX];
static u32 lig_barrier_n_after;

/* The calls queued under the barrier just released (they may take it again). */
static void
lig_barrier_run_after(void)
{
	u32 n = lig_barrier_n_after;

	lig_barrier_n_after = 0;
	for (u32 i = 0; i < n; i++)
		lig_barrier_after[i].fn(lig_barrier_after[i].arg);
}

void
lig_barrier_release(void)
{
	struct lig_barrier_stats *st = &lig_barrier_stats;

	if (!lig_n_workers || --lig_tm.depth)
		return;
	u64 now = lig_time_now_ns(), pause = now - lig_tm.raised_ns;
	u64 wait = lig_tm.parked_ns - lig_tm.raised_ns, work = now - lig_tm.parked_ns;
	u64 park = lig_tm.workers_parked_ns - lig_tm.raised_ns;
	st->total_park_ns += park;
	if (park > st->max_park_ns)
		st->max_park_ns = park;
	st->total_wait_ns += wait;
	st->total_work_ns += work;
	if (wait > st->max_wait_ns)
		st->max_wait_ns = wait;
	if (work > st->max_work_ns)
		st->max_work_ns = work;
	st->n_syncs++;
	st->last_pause_ns = pause;
	st->total_pause_ns += pause;
	if (pause > st->max_pause_ns)
		st->max_pause_ns = pause;
	st->n_over_100us += pause > 100000;
	lig_barrier_kind_add(lig_barrier_cur_kind, pause, work);
	lig_barrier_cur_kind = NULL;
	__atomic_add_fetch(&lig_tm.epoch, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&lig_tm.futex_waiters, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &lig_tm.epoch, FUTEX_WAKE_PRIVATE, LIG_THREAD_MAX, NULL, NULL,
			0);
	if (lig_barrier_n_after)
		lig_barrier_run_after();
}

void
lig_barrier_after_release(lig_rpc_fn_t *fn, void *arg)
{
	if (!lig_n_workers || !lig_tm.depth || lig_barrier_n_after == LIG_BARRIER_AFTER_MAX) {
		fn(arg);
		return;
	}
	lig_barrier_after[lig_barrier_n_after].fn = fn;
	lig_barrier_after[lig_barrier_n_after++].arg = arg;
}

bool
lig_barrier_held(void)
{
	return !lig_n_workers || (lig_thread_index == 0 && lig_tm.depth > 0);
}

/* A worker leaves RUNNING (parked, asleep, gone): main may be waiting for just that. */
static void
lig_worker_set_state(struct lig_thread *t, u32 state)
{
	__atomic_store_n(&t->state, state, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&lig_tm.main_waiting, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &t->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* A worker at its vector boundary that saw the barrier raised (epoch e, odd): spins a
 * little, then sleeps on the epoch (a futex) until main releases it. */
static void
lig_worker_park(struct lig_thread *t, u32 e)
{
	__atomic_store_n(&t->parked_at_ns, lig_time_now_ns(), __ATOMIC_RELAXED);
	lig_worker_set_state(t, LIG_THREAD_PARKED);
	for (u32 spin = 0; lig_tm_epoch() == e; spin++) {
		if (spin < LIG_BARRIER_SPINS) {
			lig_cpu_relax();
			continue;
		}
		/* Registered before the check in the kernel: main's release either sees
		 * the waiter and wakes it, or changed the epoch before FUTEX_WAIT compares. */
		__atomic_add_fetch(&lig_tm.futex_waiters, 1, __ATOMIC_SEQ_CST);
		struct timespec ts = {.tv_sec = 0, .tv_nsec = 10000000};
		syscall(SYS_futex, &lig_tm.epoch, FUTEX_WAIT_PRIVATE, e, &ts, NULL, 0);
		__atomic_sub_fetch(&lig_tm.futex_waiters, 1, __ATOMIC_SEQ_CST);
	}
	/* Running again; the loop top looks at the epoch once more before touching anything
	 * (main may have raised it again and taken the old PARKED for an answer). */
	__atomic_store_n(&t->state, LIG_THREAD_RUNNING, __ATOMIC_SEQ_CST);
}

void
lig_thread_main_yield(void)
{
	if (!lig_n_workers) {
		lig_graph_run_once();
		return;
	}
	u32 depth = lig_tm.depth;
	if (depth) {
		/* What main queued (a ping request) goes out first, while workers are parked. */
		while (lig_graph_has_pending())
			lig_graph_dispatch_pending();
		lig_tm.depth = 1;
		lig_barrier_release();
	}
	usleep(20);
	lig_barrier_sync();
	lig_thread_run_rpcs();
	while (lig_graph_has_pending())
		lig_graph_dispatch_pending();
	if (depth)
		lig_tm.depth = depth;
	else
		lig_barrier_release();
}

/* ---- Requests to main ---- */

int
lig_thread_rpc_main(lig_rpc_fn_t *fn, const void *arg, u32 size)
{
	if (size > LIG_RPC_ARG_SIZE)
		return -EINVAL;
	if (lig_thread_index == 0) {
		u8 copy[LIG_RPC_ARG_SIZE];
		memcpy(copy, arg, size);
		fn(copy);
		return 0;
	}
	struct lig_thread *t = &lig_threads[lig_thread_index];
	struct lig_thread_rpc_ring *r = t->rpc;
	u32 h = r->head, tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	if (h - tail >= LIG_RPC_RING_SIZE) {
		__atomic_add_fetch(&t->rpc_dropped, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	struct lig_rpc_msg *m = &r->msgs[h & (LIG_RPC_RING_SIZE - 1)];
	m->fn = fn;
	memcpy(m->arg, arg, size);
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
	/* Requests are rare (an ARP entry, a peer to drop): wake main every time rather
	 * than reason about a wakeup racing with main's drain. */
	u64 one = 1;
	if (write(lig_tm.main_wake_fd, &one, sizeof(one)) < 0) {
		/* a full counter: main has wakeups pending anyway */
	}
	return 0;
}

u32
lig_thread_run_rpcs(void)
{
	u32 n = 0;

	for (u32 i = 1; i < lig_n_threads; i++) {
		struct lig_thread_rpc_ring *r = lig_threads[i].rpc;
		if (!r)
			continue;
		u32 tail = r->tail, head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		for (; tail != head; tail++, n++) {
			struct lig_rpc_msg *m = &r->msgs[tail & (LIG_RPC_RING_SIZE - 1)];
			m->fn(m->arg);
		}
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	}
	return n;
}

bool
lig_thread_rpcs_pending(void)
{
	for (u32 i = 1; i < lig_n_threads; i++) {
		const struct lig_thread_rpc_ring *r = lig_threads[i].rpc;
		if (r && __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) != r->tail)
			return true;
	}
	return false;
}

static void
lig_thread_on_main_wake(void *ctx, u32 events)
{
	u64 v;

	(void)ctx;
	(void)events;
	if (read(lig_tm.main_wake_fd, &v, sizeof(v)) < 0) {
		/* nothing pending: another pass drained it */
	}
}

bool
lig_thread_wake_if_sleeping(u32 thread)
{
	u64 one = 1;
	int fd;

	if (thread == 0) {
		/* Main does not say when it sleeps: it is woken every time. */
		fd = lig_tm.main_wake_fd;
	} else {
		if (__atomic_load_n(&lig_threads[thread].state, __ATOMIC_SEQ_CST) !=
		    LIG_THREAD_SLEEPING)
			return false;
		fd = lig_threads[thread].wake_fd;
	}
	if (fd < 0 || write(fd, &one, sizeof(one)) < 0) {
		/* a full counter: it has wakeups pending anyway */
	}
	return true;
}

/* ---- Per-thread fd watches ---- */

struct lig_thread_watch *
lig_thread_watch_fd(u32 thread, int fd, lig_fd_fn_t *fn, void *ctx)
{
	struct lig_thread_watch *w;

	if (thread >= lig_n_threads) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->thread = thread;
	w->fd = fd;
	w->fn = fn;
	w->ctx = ctx;
	if (thread == 0) {
		w->loop_watch = lig_loop_watch_fd(fd, EPOLLIN, fn, ctx);
		if (!w->loop_watch) {
			int e = errno;
			free(w);
			errno = e;
			return NULL;
		}
		return w;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};
	if (epoll_ctl(lig_threads[thread].epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	return w;
}

void
lig_thread_unwatch_fd(struct lig_thread_watch *w)
{
	if (!w)
		return;
	if (w->thread == 0)
		lig_loop_unwatch_fd(w->loop_watch);
	else
		epoll_ctl(lig_threads[w->thread].epfd, EPOLL_CTL_DEL, w->fd, NULL);
	/* A worker that slept through this barrier drops its events (see lig_tm.epoch). */
	free(w);
}

static void
lig_thread_on_poll_timer(void *ctx, u32 events)
{
	struct lig_thread *t = ctx;
	u64 v;

	(void)events;
	if (t->poll_watch && read(t->poll_watch->fd, &v, sizeof(v)) < 0) {
		/* not expired yet */
	}
}

void
lig_thread_polling_update(u32 thread, int delta)
{
	struct lig_thread *t = &lig_threads[thread];

	if (thread >= lig_n_threads)
		return;
	t->n_polling = (u32)((int)t->n_polling + delta);
	if (t->n_polling && !t->poll_watch) {
		/* The peer never signals, so an idle thread still looks at the rings: a 100 us
		 * timerfd bounds the added latency. */
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		struct itimerspec its = {.it_interval = {0, LIG_THREAD_POLL_NS},
					 .it_value = {0, LIG_THREAD_POLL_NS}};
		if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0) {
			if (fd >= 0)
				close(fd);
			return;
		}
		t->poll_watch = lig_thread_watch_fd(thread, fd, lig_thread_on_poll_timer, t);
		if (!t->poll_watch)
			close(fd);
	} else if (!t->n_polling && t->poll_watch) {
		int fd = t->poll_watch->fd;
		lig_thread_unwatch_fd(t->poll_watch);
		t->poll_watch = NULL;
		close(fd);
	}
}

/* ---- Deferred reclamation (RCU) ---- */

struct lig_rcu_stats lig_rcu_stats;

/* Worker, at the top of its loop (and waking from epoll): in a pass again. Odd from even
 * (online), odd + 2 from odd (a quiescent point: the last pass's references are gone).
 * Frames still queued (the dispatch budget ran out) carry adjacency indices looked up in
 * an earlier pass: no quiescent point until they are dispatched. */
static inline void
lig_rcu_thread_online(struct lig_thread *t)
{
	u64 s = __atomic_load_n(&t->rcu_seq, __ATOMIC_RELAXED);
	if ((s & 1) && lig_graph_has_pending())
		return;
	__atomic_store_n(&t->rcu_seq, s + 1 + (s & 1), __ATOMIC_RELEASE);
	/* This pass's loads come after the store: a grace period that saw the old number
	 * waits for the new one, and one whose snapshot is older than the store has its
	 * unpublishing visible to the loads (main fences between the two as well). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Worker, before it parks, sleeps or exits: holds nothing until it is online again,
 * unless frames are still queued (a worker parks with them; it never sleeps with them). */
static inline void
lig_rcu_thread_offline(struct lig_thread *t, bool exiting)
{
	u64 s = __atomic_load_n(&t->rcu_seq, __ATOMIC_RELAXED);
	if ((s & 1) && (exiting || !lig_graph_has_pending()))
		__atomic_store_n(&t->rcu_seq, s + 1, __ATOMIC_RELEASE);
}

/* Main: every worker offline (parked or asleep with nothing queued, or gone). */
static bool
lig_rcu_workers_offline(void)
{
	for (u32 i = 1; i < lig_n_threads; i++)
		if (__atomic_load_n(&lig_threads[i].rcu_seq, __ATOMIC_ACQUIRE) & 1)
			return false;
	return true;
}

static void
lig_rcu_run(u32 n)
{
	lig_rcu.running = true;
	for (u32 i = 0; i < n; i++)
		lig_rcu.items[i].fn(lig_rcu.items[i].ctx, lig_rcu.items[i].arg);
	lig_rcu.running = false;
}

void
lig_rcu_call(lig_rcu_fn_t *fn, void *ctx, u64 arg)
{
	lig_rcu_stats.n_calls++;
	if (!lig_n_workers || (lig_tm.depth && lig_rcu_workers_offline())) {
		lig_rcu_stats.n_now++;
		fn(ctx, arg);
		return;
	}
	if (lig_rcu.n == lig_rcu.cap) {
		u32 cap = lig_rcu.cap ? lig_rcu.cap * 2 : 256;
		struct lig_rcu_item *items = realloc(lig_rcu.items, cap * sizeof(*items));
		if (!items) {
			/* No room to wait: the object is never freed nor reused (a leak is
			 * safe; running fn now may not be, the caller may not have
			 * unpublished it yet). */
			lig_rcu_stats.n_leaked++;
			return;
		}
		lig_rcu.items = items;
		lig_rcu.cap = cap;
	}
	lig_rcu.items[lig_rcu.n++] = (struct lig_rcu_item){.fn = fn, .ctx = ctx, .arg = arg};
}

static void
lig_rcu_free_fn(void *ctx, u64 arg)
{
	(void)arg;
	free(ctx);
}

void
lig_rcu_free(void *p)
{
	if (p)
		lig_rcu_call(lig_rcu_free_fn, p, 0);
}

int
lig_rcu_grow(void **array, size_t used, size_t size)
{
	void *p = malloc(size), *old = *array;

	if (!p)
		return -ENOMEM;
	if (old)
		memcpy(p, old, used);
	__atomic_store_n(array, p, __ATOMIC_RELEASE);
	lig_rcu_free(old);
	return 0;
}

/* Runs every waiting call: only with every worker parked (barrier held) or gone. */
static void
lig_rcu_run_all(void)
{
	u32 n = lig_rcu.n;

	if (lig_rcu.running || !n)
		return;
	lig_rcu.n_grace = 0;
	lig_rcu_stats.n_graces++;
	lig_rcu_run(n);
	/* The calls may have queued more (at the end): keep them. */
	memmove(lig_rcu.items, lig_rcu.items + n, (lig_rcu.n - n) * sizeof(*lig_rcu.items));
	lig_rcu.n -= n;
}

bool
lig_rcu_poll(void)
{
	while (lig_rcu.n) {
		if (!lig_rcu.n_grace) {
			/* Whatever was unpublished before now is invisible to loads after
			 * the workers' next online store (see lig_rcu_thread_online). */
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			for (u32 i = 1; i < lig_n_threads; i++)
				lig_rcu.snap[i] =
				    __atomic_load_n(&lig_threads[i].rcu_seq, __ATOMIC_ACQUIRE);
			lig_rcu.n_grace = lig_rcu.n;
			lig_rcu.grace_ns = lig_time_now_ns();
		}
		for (u32 i = 1; i < lig_n_threads; i++) {
			/* Offline at the snapshot, or moved since: past every old reference. */
			u64 s = lig_rcu.snap[i];
			if ((s & 1) &&
			    __atomic_load_n(&lig_threads[i].rcu_seq, __ATOMIC_ACQUIRE) == s)
				return true;
		}
		u64 took = lig_time_now_ns() - lig_rcu.grace_ns;
		if (took > lig_rcu_stats.max_grace_ns)
			lig_rcu_stats.max_grace_ns = took;
		lig_rcu_stats.n_graces++;
		u32 n = lig_rcu.n_grace;
		lig_rcu.n_grace = 0;
		lig_rcu_run(n);
		/* The calls may have queued more (at the end): keep the order. */
		memmove(lig_rcu.items, lig_rcu.items + n, (lig_rcu.n - n) * sizeof(*lig_rcu.items));
		lig_rcu.n -= n;
	}
	return false;
}

/* ---- Workers ---- */

/* Blocks in the worker's epoll until an rx queue, its poll timer or main wakes it. */
static void
lig_worker_sleep(struct lig_thread *t)
{
	struct epoll_event evs[32];

	lig_counter_add(&t->sleeps,
			1); /* before SLEEPING (main may read it from then on): attempts */
	lig_worker_set_state(t, LIG_THREAD_SLEEPING);
	u32 e0 = lig_tm_epoch();
	/* SLEEPING is visible before the rings are looked at: a thread handing buffers to
	 * this one either sees SLEEPING and wakes it, or its entries are seen here. */
	if ((e0 & 1) || __atomic_load_n(&lig_tm.stop, __ATOMIC_SEQ_CST) ||
	    lig_handoff_pending(t->index)) {
		__atomic_store_n(&t->state, LIG_THREAD_RUNNING, __ATOMIC_SEQ_CST);
		return;
	}
	lig_rcu_thread_offline(t, false);
	int n = epoll_wait(t->epfd, evs, LIG_ARRAY_LEN(evs), -1);
	__atomic_store_n(&t->state, LIG_THREAD_RUNNING, __ATOMIC_SEQ_CST);
	lig_rcu_thread_online(t);
	if (lig_tm_epoch() != e0)
		return; /* level-triggered: whatever is still ready fires again */
	for (int i = 0; i < n; i++) {
		struct lig_thread_watch *w = evs[i].data.ptr;
		if (w && w->fn)
			w->fn(w->ctx, evs[i].events);
	}
}

/* The calling thread's involuntary context switches so far. */
static u64
lig_thread_nivcsw(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? (u64)ru.ru_nivcsw : 0;
}

/*
 * An idle worker offers its CPU to whatever else is runnable there (poll-idle-yield). Alone
 * on its CPU the yield comes straight back (~1.2 us with the two getrusage calls,
 * bench/cpu_yield; off the packet path: only after poll-idle-yield empty loops). Beside a
 * busy thread about one yield in three hands that thread the CPU until its next tick
 * (4 ms at HZ=250): it gets nearly all the CPU the worker does not need, and a packet
 * arriving meanwhile waits up to that long (tests/integration/test_worker_yield.sh).
 * Counted (show threads) only when the yield really switched.
 */
static void
lig_worker_yield(struct lig_thread *t)
{
	u64 before = lig_thread_nivcsw();

	sched_yield();
	if (lig_thread_nivcsw() != before)
		lig_counter_add(&t->yields, 1);
}

static void
lig_worker_on_wake(void *ctx, u32 events)
{
	struct lig_thread *t = ctx;
	u64 v;

	(void)events;
	if (read(t->wake_fd, &v, sizeof(v)) < 0) {
		/* drained already */
	}
}

static int
lig_thread_pin(pthread_t tid, i32 cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(tid, sizeof(set), &set);
}

static void *
lig_worker_main(void *arg)
{
	struct lig_thread *t = arg;
	u32 idle = 0;
	int rv;

	lig_thread_index = t->index;
	t->lwp = gettid();
	rv = lig_graph_thread_init(lig_threads[0].graph);
	if (rv == 0)
		rv = lig_buffer_cache_enable();
	t->graph = &lig_graph;
	lig_graph.yield_epoch = &lig_tm.epoch;
	t->trace = &lig_trace_main;
	t->bcache = &lig_buffer_cache;
	/* Main waits for this (1 ready, -1 failed) before it starts the next worker. */
	__atomic_store_n(&t->started, rv == 0 ? 1 : -1, __ATOMIC_SEQ_CST);
	if (rv < 0) {
		lig_worker_set_state(t, LIG_THREAD_EXITED);
		return NULL;
	}
	u64 parks = 0;
	for (;;) {
		u32 e = lig_tm_epoch();
		if (e & 1) {
			lig_rcu_thread_offline(t, false);
			lig_worker_park(t, e);
			parks++;
			continue;
		}
		/* A quiescent point: nothing read in the last pass is held any more. */
		lig_rcu_thread_online(t);
		/* Relaxed stores: show threads reads them without the barrier. */
		__atomic_store_n(&t->parks, parks, __ATOMIC_RELAXED);
		if (__atomic_load_n(&lig_tm.stop, __ATOMIC_RELAXED))
			break;
		u32 n;
		if (lig_unlikely(lig_graph.yielded)) {
			/* Parked in mid-pass: the frames of that pass go out before new ones
			 * come in (no frame is allocated for a pass and a half). */
			lig_graph.yielded = false;
			n = lig_graph_dispatch_pending();
		} else {
			n = lig_handoff_poll();
			n += lig_graph_run_once();
		}
		lig_counter_add(&t->loops, 1);
		idle = n || lig_graph_has_pending() ? 0 : idle + 1;
		if (idle > lig_loop_idle_spins) {
			lig_worker_sleep(t);
			idle = 0;
		} else if (lig_loop_idle_yields(idle)) {
			lig_worker_yield(t);
		}
	}
	lig_rcu_thread_offline(t, true);
	/* Its graph and trace live in this thread's storage: free them before it goes. */
	lig_graph_free();
	free(lig_trace_main.packets);
	lig_trace_main.packets = NULL;
	lig_worker_set_state(t, LIG_THREAD_EXITED);
	return NULL;
}

static int
lig_worker_start(u32 index, i32 cpu)
{
	struct lig_thread *t = &lig_threads[index];
	struct lig_thread_watch *wake;
	int rv;

	t->index = index;
	t->cpu = cpu;
	t->state = LIG_THREAD_RUNNING;
	t->started = 0;
	snprintf(t->name, sizeof(t->name), "ligd_wk_%u", index - 1);
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	t->rpc = calloc(1, sizeof(*t->rpc));
	if (t->epfd < 0 || t->wake_fd < 0 || !t->rpc)
		return -ENOMEM;
	wake = lig_thread_watch_fd(index, t->wake_fd, lig_worker_on_wake, t);
	if (!wake)
		return -errno;
	t->wake_watch = wake;
	/* From now on main allocates and frees under the pool's lock too (buffer.h). */
	lig_buffer_pool.main_locks = 1;
	rv = -pthread_create(&t->tid, NULL, lig_worker_main, t);
	if (rv < 0)
		return rv;
	while (__atomic_load_n(&t->started, __ATOMIC_SEQ_CST) == 0)
		usleep(100);
	if (t->started < 0) {
		pthread_join(t->tid, NULL);
		return -ENOMEM;
	}
	pthread_setname_np(t->tid, t->name);
	rv = lig_thread_pin(t->tid, cpu);
	if (rv < 0)
		lig_warn("thread", "%s: cannot pin to core %d: %s", t->name, cpu, strerror(-rv));
	return 0;
}

int
lig_threads_start(const struct lig_thread_config *c)
{
	struct lig_thread *m = &lig_threads[0];
	int rv;

	m->index = 0;
	m->cpu = c->main_core;
	m->lwp = getpid();
	m->tid = pthread_self();
	m->graph = &lig_graph;
	m->trace = &lig_trace_main;
	m->bcache = &lig_buffer_cache;
	m->epfd = m->wake_fd = -1;
	snprintf(m->name, sizeof(m->name), "ligd_main");
	rv = lig_thread_pin(m->tid, c->main_core);
	if (rv < 0) {
		lig_err("thread", "cannot pin main to core %d: %s", c->main_core, strerror(-rv));
		return rv;
	}
	if (!c->n_workers)
		return 0;
	lig_tm.main_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (lig_tm.main_wake_fd < 0)
		return -errno;
	lig_tm.main_wake_watch =
	    lig_loop_watch_fd(lig_tm.main_wake_fd, EPOLLIN, lig_thread_on_main_wake, NULL);
	if (!lig_tm.main_wake_watch)
		return -errno;
	/* lig_tsc_hz() measures once, lazily: not in two threads at a time. */
	(void)lig_tsc_hz();
	lig_n_workers = c->n_workers;
	lig_n_threads = 1 + c->n_workers;
	rv = lig_handoff_init();
	if (rv < 0)
		return rv;
	for (u32 i = 1; i <= c->n_workers; i++) {
		rv = lig_worker_start(i, c->n_cores ? (i32)c->cores[i - 1] : -1);
		if (rv < 0) {
			lig_err("thread", "cannot start worker %u: %s", i - 1, strerror(-rv));
			lig_n_workers = i - 1;
			lig_n_threads = i;
			lig_threads_stop();
			return rv;
		}
	}
	lig_notice("thread", "%u workers started", c->n_workers);
	return 0;
}

void
lig_threads_stop(void)
{
	u64 one = 1;

	if (!lig_n_workers)
		return;
	__atomic_store_n(&lig_tm.stop, 1, __ATOMIC_SEQ_CST);
	for (u32 i = 1; i < lig_n_threads; i++) {
		struct lig_thread *t = &lig_threads[i];
		if (write(t->wake_fd, &one, sizeof(one)) < 0) {
			/* it wakes anyway: the counter is full */
		}
		pthread_join(t->tid, NULL);
	}
	/* From here on main is the only thread: the barrier and requests are no-ops, and
	 * what the workers left queued runs now. Their buffer caches went with them (the
	 * pool is freed at exit anyway). */
	lig_thread_run_rpcs();
	lig_rcu_run_all();
	free(lig_rcu.items);
	lig_rcu.items = NULL;
	lig_rcu.cap = 0;
	for (u32 i = 1; i < lig_n_threads; i++) {
		struct lig_thread *t = &lig_threads[i];
		t->graph = NULL;
		t->trace = NULL;
		t->bcache = NULL;
	}
	lig_n_workers = 0;
	lig_tm.depth = 0;
}

void
lig_threads_free(void)
{
	for (u32 i = 1; i < lig_n_threads; i++) {
		struct lig_thread *t = &lig_threads[i];
		lig_thread_unwatch_fd(t->wake_watch);
		if (t->poll_watch) {
			int fd = t->poll_watch->fd;
			lig_thread_unwatch_fd(t->poll_watch);
			close(fd);
		}
		free(t->rpc);
		if (t->epfd >= 0)
			close(t->epfd);
		if (t->wake_fd >= 0)
			close(t->wake_fd);
		memset(t, 0, sizeof(*t));
	}
	lig_n_threads = 1;
	lig_handoff_free();
	lig_loop_unwatch_fd(lig_tm.main_wake_watch);
	lig_tm.main_wake_watch = NULL;
	if (lig_tm.main_wake_fd >= 0)
		close(lig_tm.main_wake_fd);
	lig_tm.main_wake_fd = -1;
}

/* ---- show threads ---- */

static const char *
lig_thread_state_name(u32 state)
{
	static const char *const names[] = {"running", "parked", "sleeping", "exited"};
	return state < LIG_ARRAY_LEN(names) ? names[state] : "?";
}

static int
lig_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	return x < y ? -1 : x > y;
}

/* min / median / max of v[0..n) into out (v is sorted in place). */
static void
lig_barrier_mmm(u32 *v, u32 n, u32 out[3])
{
	qsort(v, n, sizeof(*v), lig_u32_cmp);
	out[0] = v[0];
	out[1] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	out[2] = v[n - 1];
}

static void
lig_barrier_show_kinds(struct lig_str *s)
{
	static u32 tmp[LIG_BARRIER_SAMPLES];
	bool any = false;

	for (u32 i = 0; i < LIG_BARRIER_KINDS; i++) {
		struct lig_barrier_kind_stats *k = &lig_barrier_kinds[i];
		if (!k->name[0])
			continue;
		if (!any)
			lig_str_printf(s,
				       "  by kind of change (last %u of each; us, min/median/max): "
				       "pause = raise to release, stop = workers parked to "
				       "release\n",
				       LIG_BARRIER_SAMPLES);
		any = true;
		u32 m = (u32)LIG_MIN(k->n, (u64)LIG_BARRIER_SAMPLES), p[3], w[3];
		memcpy(tmp, k->pause_us, m * sizeof(u32));
		lig_barrier_mmm(tmp, m, p);
		memcpy(tmp, k->stop_us, m * sizeof(u32));
		lig_barrier_mmm(tmp, m, w);
		lig_str_printf(s, "    %-32s %8llu  pause %u/%u/%u  stop %u/%u/%u\n", k->name,
			       (unsigned long long)k->n, p[0], p[1], p[2], w[0], w[1], w[2]);
	}
}

void
lig_thread_show(struct lig_str *s)
{
	struct lig_barrier_stats *st = &lig_barrier_stats;
	u32 n = lig_n_threads;

	lig_str_printf(s, "%-4s %-12s %-8s %-8s %-6s %-9s %14s %10s %8s %8s\n", "ID", "Name",
		       "Type", "LWP", "lcore", "State", "Loops", "Sleeps", "Parks", "Yields");
	for (u32 i = 0; i < n; i++) {
		struct lig_thread *t = &lig_threads[i];
		char core[12] = "-";
		if (t->cpu >= 0)
			snprintf(core, sizeof(core), "%d", t->cpu);
		if (i == 0) {
			lig_str_printf(s, "%-4u %-12s %-8s %-8d %-6s %-9s %14s %10s %8s %8s\n", 0,
				       t->name[0] ? t->name : "ligd_main", "main", (int)getpid(),
				       core, "running", "-", "-", "-", "-");
			continue;
		}
		lig_str_printf(s, "%-4u %-12s %-8s %-8d %-6s %-9s %14llu %10llu %8llu %8llu\n", i,
			       t->name, "workers", (int)t->lwp, core,
			       lig_thread_state_name(__atomic_load_n(&t->state, __ATOMIC_RELAXED)),
			       (unsigned long long)lig_counter_get(&t->loops),
			       (unsigned long long)lig_counter_get(&t->sleeps),
			       (unsigned long long)lig_counter_get(&t->parks),
			       (unsigned long long)lig_counter_get(&t->yields));
	}
	if (!lig_n_workers) {
		lig_str_printf(s, "barrier: none (no workers: main runs the graph)\n");
		return;
	}
	double ns = st->n_syncs ? (double)st->n_syncs : 1.0;
	lig_str_printf(s,
		       "barrier: %llu syncs, pause last %.1f us, max %.1f us, mean %.1f us, "
		       "over 100 us %llu\n"
		       "  workers parked after: mean %.1f us, max %.1f us (their clock); main "
		       "saw them parked after: mean %.1f us, max %.1f us; work with them parked: "
		       "mean %.1f us, max %.1f us\n",
		       (unsigned long long)st->n_syncs, st->last_pause_ns / 1e3,
		       st->max_pause_ns / 1e3, (double)st->total_pause_ns / ns / 1e3,
		       (unsigned long long)st->n_over_100us, (double)st->total_park_ns / ns / 1e3,
		       st->max_park_ns / 1e3, (double)st->total_wait_ns / ns / 1e3,
		       st->max_wait_ns / 1e3, (double)st->total_work_ns / ns / 1e3,
		       st->max_work_ns / 1e3);
	lig_barrier_show_kinds(s);
	const struct lig_rcu_stats *r = &lig_rcu_stats;
	lig_str_printf(s,
		       "rcu (changes without the barrier): %llu deferred frees, %llu at once, "
		       "%llu grace periods, longest %.1f us, %u waiting%s\n",
		       (unsigned long long)(r->n_calls - r->n_now), (unsigned long long)r->n_now,
		       (unsigned long long)r->n_graces, r->max_grace_ns / 1e3, lig_rcu.n,
		       r->n_leaked ? " (some never freed: out of memory)" : "");
	u64 dropped = 0;
	for (u32 i = 1; i < n; i++)
		dropped += __atomic_load_n(&lig_threads[i].rpc_dropped, __ATOMIC_RELAXED);
	if (dropped)
		lig_str_printf(s, "requests to main dropped (queue full): %llu\n",
			       (unsigned long long)dropped);
}

static int
lig_cli_show_threads(struct lig_cli_input *in, struct lig_str *out)
{
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_thread_show(out);
	lig_handoff_show(out);
	return 0;
}

LIG_CLI_COMMAND(lig_show_threads_command) = {
    .path = "show threads",
    .short_help = "show threads: main and workers, the barrier's pauses by kind, and the RCU's "
		  "deferred frees and grace periods",
    .function = lig_cli_show_threads,
    .mp_safe = true, /* main's statistics; the workers' counters are read atomically */
};

static int
lig_cli_clear_barrier(struct lig_cli_input *in, struct lig_str *out)
{
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	memset(&lig_barrier_stats, 0, sizeof(lig_barrier_stats));
	memset(lig_barrier_kinds, 0, sizeof(lig_barrier_kinds));
	memset(&lig_rcu_stats, 0, sizeof(lig_rcu_stats));
	return 0;
}

LIG_CLI_COMMAND(lig_clear_barrier_command) = {
    .path = "clear threads",
    .short_help = "clear threads: zero the barrier's pause statistics",
    .function = lig_cli_clear_barrier,
    .mp_safe = true, /* the statistics are main's own */
};

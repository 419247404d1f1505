/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd's threads, as VPP's. Thread 0 (main) runs the CLI, the API, timers and every
 * control-plane change; without workers (no cpu { } stanza) it also runs the whole graph,
 * exactly as ligd did before threads existed. With workers (cpu { workers N }), each
 * worker runs its own copy of the graph (frames, node statistics, error counters, buffer
 * cache and trace are per thread) over the rx queues placed on it, and main only
 * dispatches what the control plane itself sends (ping, ARP, glean releases).
 *
 * Control-plane changes are made under a barrier: main raises it, every worker parks at
 * its next vector boundary (the top of its loop, after a whole pass of polling and
 * dispatch) or is asleep in epoll, main changes the tables, and releases it. Workers only
 * read the control-plane tables, so nothing they read is ever half-written or freed under
 * them. Route changes skip the barrier (CLI commands and API messages marked mp-safe):
 * the FIB publishes atomically and frees through lig_rcu_call, after a grace period.
 * What workers write themselves is per thread (counters, frames, caches) or atomic (the
 * L2 FIB's learning); what only main may do (ARP learning, a memif peer's disconnect) a
 * worker asks of main through lig_thread_rpc_main().
 */
#ifndef LIG_THREAD_H
#define LIG_THREAD_H

#include <pthread.h>
#include <sys/types.h>

#include "../infra/lig_common.h"
#include "../infra/lock.h"
#include "loop.h"
#include "str.h"

#define LIG_THREAD_MAX 32

/* The running thread: 0 main, 1..lig_n_workers the workers. */
extern _Thread_local u32 lig_thread_index;
/* 1 + workers; set once before the workers start. */
extern u32 lig_n_threads;
extern u32 lig_n_workers;

/* From the cpu { } startup stanza. */
struct lig_thread_config {
	i32 main_core; /* -1: not pinned */
	u32 n_workers;
	u32 n_cores; /* corelist-workers: worker i runs on cores[i] */
	u16 cores[LIG_THREAD_MAX];
};

/* Applies one "key value" line of the cpu stanza: main-core N, corelist-workers A-B,C,
 * workers N. Returns 0, or -EINVAL with a message in msg. */
int lig_thread_config_apply(struct lig_thread_config *c, const char *key, const char *value,
			    char *msg, size_t msg_size);
/* Checks the stanza as a whole (workers agrees with corelist-workers, at most
 * LIG_THREAD_MAX - 1 workers); 0 or -EINVAL with msg. */
int lig_thread_config_check(struct lig_thread_config *c, char *msg, size_t msg_size);

/* Pins main and starts the workers, each with a copy of the graph (call after the modules'
 * init functions, before any interface exists). 0 or -errno. Without workers it only pins
 * main. */
int lig_threads_start(const struct lig_thread_config *c);
/* Stops and joins the workers (at exit, before interfaces are deleted): main is alone
 * from then on. */
void lig_threads_stop(void);
/* Frees what the workers left (their epoll sets, request rings), after the interfaces
 * (whose rx queues they watched) are gone. */
void lig_threads_free(void);

typedef void(lig_rpc_fn_t)(void *arg);

/* ---- Barrier ---- */

/* Main thread: returns once every worker is parked at a vector boundary or asleep, so
 * the control plane may change anything workers read. Nests (a count). No-op without
 * workers. */
void lig_barrier_sync(void);
void lig_barrier_release(void);
/* Main, while holding the barrier: names the kind of change this pause is for (a CLI
 * command's path, an API message, "timers"...); show threads reports pauses per kind.
 * Only the outermost barrier is named (a sync nested in a script or an API batch keeps
 * the outer name); the last name given to it counts; kind must outlive it. */
void lig_barrier_kind(const char *kind);
/* Main, holding the barrier: fn(arg) runs on main just after the outermost release, while
 * the workers run again (at once without workers). For what a change made unreachable
 * under the barrier (memory, mappings, fds the workers can no longer reach) and is slow to
 * free: the workers need not wait for it. Runs at once, still under the barrier, when
 * LIG_BARRIER_AFTER_MAX calls are already queued. */
#define LIG_BARRIER_AFTER_MAX 64
void lig_barrier_after_release(lig_rpc_fn_t *fn, void *arg);
/* Changes each time the barrier is raised or released (main: did anything take it?). */
u64 lig_barrier_epoch(void);
/* True on main while the barrier is held, and always without workers. */
bool lig_barrier_held(void);

/* Every pause is raise to release; it splits into waiting for the workers to park (one
 * pass of their loop, or longer when the scheduler has preempted one) and main's work
 * with them parked. */
struct lig_barrier_stats {
	u64 n_syncs;
	u64 last_pause_ns;
	u64 max_pause_ns;
	u64 total_pause_ns;
	u64 n_over_100us; /* pauses longer than 100 us */
	u64 max_wait_ns;  /* raise to main seeing the last worker parked */
	u64 total_wait_ns;
	u64 max_park_ns; /* raise to the last worker parking, by the worker's clock */
	u64 total_park_ns;
	u64 max_work_ns; /* the last worker parked to release */
	u64 total_work_ns;
};
extern struct lig_barrier_stats lig_barrier_stats;

/* Main thread, inside a long control-plane operation (ping waiting for its reply):
 * without workers, one pass of the graph; with workers, dispatches main's pending
 * frames, lets the workers run for a moment (releasing the barrier completely), takes it
 * back and runs the workers' requests. */
void lig_thread_main_yield(void);

/* ---- Deferred reclamation (RCU, quiescent-state based) ---- */

/*
 * Some tables workers read are changed without the barrier (the FIB: trie, load-balances,
 * adjacencies; see ip4.h): main publishes with atomic release stores what workers load
 * with acquire, and what a worker may still be reading (an old copy of a grown array, a
 * freed pool slot) is handed to lig_rcu_call. fn(ctx, arg) runs on main once every worker
 * has been through the top of its loop (or asleep, or parked) since: the end of a grace
 * period, after which no worker holds a reference from before. A worker's references live
 * within one pass of its loop, or longer while frames it queued wait to be dispatched.
 * Main only. With no workers, or with the barrier held and every worker offline (parked
 * with no frames queued), fn runs at once.
 */
typedef void(lig_rcu_fn_t)(void *ctx, u64 arg);
void lig_rcu_call(lig_rcu_fn_t *fn, void *ctx, u64 arg);
/* lig_rcu_call of free(p). */
void lig_rcu_free(void *p);
/* Grows *array to size bytes by copy (its first used bytes), publishes the copy with a
 * release store (readers load *array with acquire) and frees the old one after a grace
 * period: workers may go on reading it meanwhile, main writes only the copy from now on.
 * Returns 0 or -ENOMEM (*array unchanged). */
int lig_rcu_grow(void **array, size_t used, size_t size);
/* Main's loop: runs the calls whose grace period has passed; starts the next one. Returns
 * true while calls are still waiting (main should look again soon). */
bool lig_rcu_poll(void);

struct lig_rcu_stats {
	u64 n_calls;	  /* deferred, in total */
	u64 n_now;	  /* run at once (barrier held, no workers) */
	u64 n_leaked;	  /* out of memory for the queue: never run (never freed, never reused) */
	u64 n_graces;	  /* grace periods completed */
	u64 max_grace_ns; /* longest wait from a grace period's start to its end */
};
extern struct lig_rcu_stats lig_rcu_stats;

/* ---- Requests to main ---- */

#define LIG_RPC_ARG_SIZE 48

/* Has main run fn(copy of arg) under the barrier. On main (and so always without workers)
 * fn runs right away. From a worker it is queued; returns 0, or -ENOSPC when that
 * worker's queue is full (the request is dropped and counted), -EINVAL (size). */
int lig_thread_rpc_main(lig_rpc_fn_t *fn, const void *arg, u32 size);
/* Main: true if a worker has queued a request main has not run yet. */
bool lig_thread_rpcs_pending(void);
/* Main, under the barrier: runs every queued request; returns how many. */
u32 lig_thread_run_rpcs(void);

/* Datapath, any thread: wakes `thread` if it is asleep in epoll (main: always, it does
 * not say when it sleeps) by writing its eventfd; true if it wrote. Call after a seq_cst
 * fence that follows publishing what the thread should find (see handoff.c). */
bool lig_thread_wake_if_sleeping(u32 thread);

/* ---- File descriptors watched by a given thread ---- */

struct lig_thread_watch;
/* Main thread, under the barrier: watches fd (EPOLLIN) on thread's epoll (thread 0: the
 * main loop's). fn runs on that thread when fd fires; NULL only wakes the thread. Returns
 * the watch or NULL with errno. */
struct lig_thread_watch *lig_thread_watch_fd(u32 thread, int fd, lig_fd_fn_t *fn, void *ctx);
/* Main, under the barrier; accepts NULL; does not close fd. */
void lig_thread_unwatch_fd(struct lig_thread_watch *w);
/* Main, under the barrier: a thread with polling rx queues (whose peer never signals)
 * wakes every 100 us while idle instead of sleeping. delta +1 or -1. */
void lig_thread_polling_update(u32 thread, int delta);

/* ---- Registry ---- */

enum lig_thread_state {
	LIG_THREAD_RUNNING,
	LIG_THREAD_PARKED,
	LIG_THREAD_SLEEPING,
	LIG_THREAD_EXITED,
};

struct lig_graph;
struct lig_trace_main;
struct lig_buffer_cache;
struct lig_thread_rpc_ring;

struct lig_thread {
	/* Written by the thread itself. */
	u32 state; /* enum lig_thread_state, atomic */
	u64 loops;
	u64 sleeps;	  /* times it blocked in epoll */
	u64 yields;	  /* idle yields that let another thread have its CPU */
	u64 parks;	  /* barriers it parked for */
	u64 parked_at_ns; /* when it last parked (written before PARKED) */
	u64 rcu_seq;	  /* atomic: odd inside a pass of its loop (or with frames queued),
			   * even asleep or parked; it moves at every loop top with nothing
			   * queued (lig_rcu_call's grace periods) */
	i32 started;	  /* 1 once running, -1 if it could not start (atomic) */
	/* Set up by main before the thread runs. */
	u32 index;
	i32 cpu; /* -1: not pinned */
	pid_t lwp;
	pthread_t tid;
	char name[16];
	int epfd;    /* workers: the epoll set it sleeps in */
	int wake_fd; /* workers: eventfd main writes to wake it (stop) */
	struct lig_thread_watch *wake_watch;
	struct lig_thread_watch *poll_watch; /* timerfd while it has polling queues */
	u32 n_polling;
	/* What the thread's own TLS holds, for main to read under the barrier. */
	struct lig_graph *graph;
	struct lig_trace_main *trace;
	struct lig_buffer_cache *bcache;
	struct lig_thread_rpc_ring *rpc;
	u64 rpc_dropped;
};

extern struct lig_thread lig_threads[LIG_THREAD_MAX];

/* show threads. */
void lig_thread_show(struct lig_str *s);

#endif

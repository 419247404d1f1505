/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd's main loop: poll input nodes while packets flow, and when everything has been
 * idle for a short while, block in epoll on the interfaces' file descriptors, the CLI
 * socket, signals and timers, so an idle ligd uses no CPU and wakes within microseconds.
 * With worker threads (thread.h) the workers poll and main only runs the control plane.
 */
#ifndef LIG_LOOP_H
#define LIG_LOOP_H

#include "../infra/lig_common.h"

/* Called with the epoll events that fired. */
typedef void(lig_fd_fn_t)(void *ctx, u32 events);
typedef void(lig_timer_fn_t)(void *ctx);

struct lig_fd_watch;

/* Creates the epoll set and signal handling; returns 0 or -errno. */
int lig_loop_init(void);
void lig_loop_free(void);

/* Watches fd for events (EPOLLIN...). A watch with fn NULL only wakes the loop so input
 * nodes poll (interface rx fds). Returns the watch or NULL with errno. */
struct lig_fd_watch *lig_loop_watch_fd(int fd, u32 events, lig_fd_fn_t *fn, void *ctx);
/* Stops watching; accepts NULL. Does not close the fd. Safe to call from any fd or timer
 * callback, also for a watch whose event is pending in the same epoll batch. */
void lig_loop_unwatch_fd(struct lig_fd_watch *w);
/* With workers, main's loop takes the barrier for a pass whose fd callbacks may change
 * what workers read. A watch marked here promises its callback takes the barrier
 * itself around such changes (the CLI server: per command), so a pass with only its
 * events parks nobody. */
void lig_loop_watch_no_barrier(struct lig_fd_watch *w);
/* Replaces the events a watch waits for (e.g. EPOLLOUT while a reply is queued);
 * returns 0 or -errno. */
int lig_loop_watch_fd_events(struct lig_fd_watch *w, u32 events);

/* Calls fn every period_ns, first after one period; returns a timer id >= 0 or -errno. */
int lig_loop_add_timer(u64 period_ns, lig_timer_fn_t *fn, void *ctx);
void lig_loop_del_timer(int id);
/* With worker threads, timer id runs without the barrier (main's loop takes it for the
 * others): its callback must take it itself (lig_barrier_sync/release) around anything
 * workers read, and read what workers write with atomics. */
void lig_loop_timer_no_barrier(int id);

/* Called on main after every batch of fd callbacks (memif frees the watches its
 * callbacks tore down), with workers not necessarily under the barrier: a hook may touch
 * main's own state only. Returns 0 or -ENOSPC. */
typedef void(lig_loop_hook_fn_t)(void);
int lig_loop_add_post_poll(lig_loop_hook_fn_t *fn);

/* Runs until lig_loop_stop() or SIGTERM/SIGINT; returns 0. With workers (thread.h) main
 * only sleeps in epoll and does the control plane under the barrier. */
int lig_loop_run(void);
void lig_loop_stop(void);
/* Runs one iteration without blocking (tests). */
void lig_loop_run_once(int timeout_ms);

/* Idle loops before blocking; 0 blocks at the first idle iteration (tests, low-CPU). */
extern u32 lig_loop_idle_spins;
/* Idle loops after which a worker (or main, without workers) offers its CPU to other threads
 * (sched_yield) on every further idle loop until it blocks; 0 (the default): never. For workers
 * that share their CPU with other busy threads (pods, a traffic generator): see thread.c. */
extern u32 lig_loop_idle_yield;

/* Whether a forwarding thread idle for `idle` loops offers its CPU on this one. */
static inline bool
lig_loop_idle_yields(u32 idle)
{
	return lig_loop_idle_yield && idle > lig_loop_idle_yield;
}

#endif

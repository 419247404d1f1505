/* SPDX-License-Identifier: Apache-2.0 */
/* The one event loop a cninfra agent and all its plugins share: epoll fd watches, timerfd
 * timers, signalfd signals, and a thread-safe post queue for work handed in from helper threads. */
#ifndef CNINFRA_LOOP_H
#define CNINFRA_LOOP_H

#include <stddef.h>
#include <stdint.h>

struct cninfra_loop;
struct cninfra_watch;
struct cninfra_timer;

/* events is a mask of EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP as returned by epoll. */
typedef void (*cninfra_fd_cb)(struct cninfra_loop *loop, int fd, uint32_t events, void *arg);
typedef void (*cninfra_timer_cb)(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg);
typedef void (*cninfra_signal_cb)(struct cninfra_loop *loop, int signo, void *arg);
typedef void (*cninfra_post_cb)(void *arg);

/* Returns a new loop or NULL with errno set. */
struct cninfra_loop *cninfra_loop_new(void);
/* Accepts NULL. Posted work that never ran is run once (so it can free what it carries; close
 * the KV store and other users first). Watches and timers still registered are freed (their fds
 * are not closed: the caller owns them). */
void cninfra_loop_free(struct cninfra_loop *loop);

/* Watches fd (owned by the caller) for events (EPOLLIN, EPOLLOUT, ...). Returns a handle or NULL
 * with errno set. */
struct cninfra_watch *cninfra_loop_watch_fd(struct cninfra_loop *loop, int fd, uint32_t events,
					    cninfra_fd_cb cb, void *arg);
/* Changes the event mask of a watch. Returns 0 or -errno. */
int cninfra_loop_watch_mod(struct cninfra_watch *w, uint32_t events);
/* Stops watching and frees the handle; safe from inside its own callback. Accepts NULL. */
void cninfra_loop_unwatch(struct cninfra_watch *w);

/* A timer firing first after first_ms, then every interval_ms (0: one shot). first_ms 0 fires on
 * the next loop turn. Returns a handle or NULL with errno set. */
struct cninfra_timer *cninfra_loop_timer(struct cninfra_loop *loop, uint64_t first_ms,
					 uint64_t interval_ms, cninfra_timer_cb cb, void *arg);
/* Re-arms a timer (0/0 disarms). Returns 0 or -errno. */
int cninfra_timer_set(struct cninfra_timer *t, uint64_t first_ms, uint64_t interval_ms);
/* Cancels and frees; safe from inside its own callback. Accepts NULL. */
void cninfra_timer_free(struct cninfra_timer *t);

/* A file watched for changes (file_watch.c): inotify on its directory, so atomic replaces
 * (write a temporary, rename it over), deletes, re-creates and ConfigMap symlink swaps ("..data")
 * are seen. After an event naming the file (or a ".." step, or a queue overflow) cb(arg) runs
 * once settle_ms later, each further event pushing it back: editors write in steps. cb is not
 * called at start, and may be called without a change (compare contents). Returns a handle, or
 * NULL with err holding "not a file name" or "watching DIR: reason". */
struct cninfra_file_watch;
struct cninfra_file_watch *cninfra_file_watch(struct cninfra_loop *loop, const char *path,
					      unsigned settle_ms, void (*cb)(void *arg), void *arg,
					      char *err, size_t err_size);
/* Stops watching and frees; accepts NULL. Call before cninfra_loop_free. */
void cninfra_file_watch_free(struct cninfra_file_watch *fw);

/* Delivers signo through the loop (blocked for the calling thread and handled via signalfd).
 * Call before starting threads so they inherit the blocked mask. One callback per signal.
 * Returns 0 or -errno. */
int cninfra_loop_signal(struct cninfra_loop *loop, int signo, cninfra_signal_cb cb, void *arg);

/* Runs fn(arg) on the loop thread at its next turn. Safe from any thread. Returns 0 or -errno. */
int cninfra_loop_post(struct cninfra_loop *loop, cninfra_post_cb fn, void *arg);

/* Runs until cninfra_loop_quit(). Returns 0 or -errno on an epoll failure. */
int cninfra_loop_run(struct cninfra_loop *loop);
/* Runs one turn, waiting at most timeout_ms (-1: forever). Returns the number of callbacks run
 * or -errno. */
int cninfra_loop_run_once(struct cninfra_loop *loop, int timeout_ms);
/* Makes cninfra_loop_run() return after the current turn. Safe from any thread. */
void cninfra_loop_quit(struct cninfra_loop *loop);

/* Monotonic clock in milliseconds. */
uint64_t cninfra_now_ms(void);

#endif

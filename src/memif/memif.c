/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif control plane in ligd: sockets and their listeners, interface create/delete,
 * connection events (to the state listener: the API's memif_event), slave reconnects,
 * handshake timeouts, rx modes. The handshake itself is memif_conn.c; the datapath is
 * node.c; API handlers are api.c and the CLI (show memif among it) cli.c.
 *
 * fd watches: every fd ligd watches for memif is owned by a struct lig_memif_watch. A
 * teardown only marks it dead (its callback then just drains); the watch is removed and
 * the fd closed later, outside epoll dispatch (lig_memif_reap), because a callback must
 * not free another watch that may be in the same epoll batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../infra/log.h"
#include "../vlib/cli_server.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "../interface/rx_queue.h"
#include "memif.h"

struct lig_memif_main lig_memif_main = {.timer = -1, .retry_fd = -1, .inotify_fd = -1};

enum lig_memif_watch_kind {
	LIG_MEMIF_WATCH_LISTEN,
	LIG_MEMIF_WATCH_PENDING, /* accepted, HELLO sent, waiting for INIT */
	LIG_MEMIF_WATCH_CTL,	 /* control socket of an interface */
};

struct lig_memif_watch {
	int fd; /* owned */
	u8 kind;
	u8 dead;
	u64 since_ns;
	struct lig_fd_watch *w;
	struct lig_memif_if *mif;      /* CTL */
	struct lig_memif_socket *sock; /* LISTEN, PENDING */
	struct lig_memif_watch *next_dead;
};

static struct lig_memif_watch *lig_memif_dead;
static struct lig_memif_watch *lig_memif_ctl_watch[LIG_MEMIF_MAX_IFS];

#define LIG_MEMIF_LOG "memif"

static const char *const lig_memif_rx_mode_names[] = {"polling", "interrupt", "adaptive"};
static const char *const lig_memif_mode_names[] = {"ethernet", "ip", "punt-inject"};
static const char *const lig_memif_state_names[] = {"down", "connecting", "connected"};
/* Indexed by enum lig_copy_stores. */
static const char *const lig_memif_tx_stores_names[] = {"auto", "cached", "streaming"};
static lig_memif_state_fn_t *lig_memif_state_listener;

const char *
lig_memif_tx_stores_name(u32 tx_stores)
{
	return tx_stores < LIG_ARRAY_LEN(lig_memif_tx_stores_names)
		   ? lig_memif_tx_stores_names[tx_stores]
		   : "?";
}

int
lig_memif_config_apply(const char *key, const char *value, char *msg, size_t msg_size)
{
	if (strcmp(key, "tx-stores") == 0) {
		for (u8 i = 0; i < LIG_ARRAY_LEN(lig_memif_tx_stores_names); i++) {
			if (strcmp(value, lig_memif_tx_stores_names[i]) == 0) {
				lig_memif_main.tx_stores = i;
				return 0;
			}
		}
		snprintf(msg, msg_size, "tx-stores must be auto|cached|streaming");
		return -EINVAL;
	}
	snprintf(msg, msg_size, "unknown key '%.60s' in section 'memif'", key);
	return -EINVAL;
}

const char *
lig_memif_rx_mode_name(u32 rx_mode)
{
	return rx_mode < LIG_ARRAY_LEN(lig_memif_rx_mode_names) ? lig_memif_rx_mode_names[rx_mode]
								: "?";
}

const char *
lig_memif_mode_name(u32 mode)
{
	return mode < LIG_ARRAY_LEN(lig_memif_mode_names) ? lig_memif_mode_names[mode] : "?";
}

const char *
lig_memif_state_name(u32 state)
{
	return state < LIG_ARRAY_LEN(lig_memif_state_names) ? lig_memif_state_names[state] : "?";
}

void
lig_memif_set_state_listener(lig_memif_state_fn_t *fn)
{
	lig_memif_state_listener = fn;
}

static void lig_memif_on_fd(void *ctx, u32 events);

static struct lig_memif_watch *
lig_memif_watch_new(int fd, u8 kind)
{
	struct lig_memif_watch *mw = calloc(1, sizeof(*mw));

	if (!mw)
		return NULL;
	mw->fd = fd;
	mw->kind = kind;
	mw->since_ns = lig_time_now_ns();
	mw->w = lig_loop_watch_fd(fd, EPOLLIN, lig_memif_on_fd, mw);
	if (!mw->w) {
		free(mw);
		return NULL;
	}
	/* Handshakes touch nothing workers read: only publishing a connected interface and
	 * withdrawing it take the barrier (lig_memif_publish, lig_memif_unpublish). */
	lig_loop_watch_no_barrier(mw->w);
	return mw;
}

/* Marks a watch dead; lig_memif_reap() removes it and closes its fd. */
static void
lig_memif_watch_kill(struct lig_memif_watch *mw)
{
	if (!mw || mw->dead)
		return;
	mw->dead = 1;
	mw->mif = NULL;
	mw->sock = NULL;
	mw->next_dead = lig_memif_dead;
	lig_memif_dead = mw;
}

static void
lig_memif_reap(void)
{
	while (lig_memif_dead) {
		struct lig_memif_watch *mw = lig_memif_dead;
		lig_memif_dead = mw->next_dead;
		lig_loop_unwatch_fd(mw->w);
		close(mw->fd);
		free(mw);
	}
}

/* ---- deleted interfaces' connections ---- */

/* A deleted interface's connection, unmapped and closed after the command that deleted it
 * released the barrier: unmapping a slave's regions (its ring buffers, megabytes) took
 * ~0.1 ms of the command's pause, and the workers need not wait for it: they stopped
 * using the rings under the barrier (lig_memif_unpublish). */
struct lig_memif_dead_conn {
	struct lig_memif_dead_conn *next;
	struct lig_memif_conn conn;
};
static struct lig_memif_dead_conn *lig_memif_dead_conns;

static void
lig_memif_dead_conns_free(void *arg)
{
	(void)arg;
	while (lig_memif_dead_conns) {
		struct lig_memif_dead_conn *d = lig_memif_dead_conns;
		lig_memif_dead_conns = d->next;
		lig_memif_conn_disconnect(&d->conn, NULL, false);
		free(d);
	}
}

/* Takes over the resources of mif's connection, to tell the peer and unmap and close
 * everything once the barrier is released (lig_barrier_after_release); mif's conn is left
 * DOWN. False (nothing taken) when there is nothing to defer. */
static bool
lig_memif_conn_defer(struct lig_memif_if *mif, const char *reason)
{
	struct lig_memif_conn *c = &mif->conn;

	/* Without workers (or once they stopped, at exit) nobody waits: at once. */
	if (!lig_n_workers || c->state == LIG_MEMIF_STATE_DOWN)
		return false;
	struct lig_memif_dead_conn *d = malloc(sizeof(*d));
	if (!d)
		return false;
	/* A zero-copy master writes into ligd's buffers until it hears of it: told before
	 * lig_memif_zc_stop frees them. Any other peer hears at the teardown. */
	if (c->fd >= 0 && mif->zero_copy) {
		lig_memif_send_disconnect(c->fd, reason);
		close(c->fd);
		c->fd = -1;
	}
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
	d->conn = *c;
	bool first = !lig_memif_dead_conns;
	d->next = lig_memif_dead_conns;
	lig_memif_dead_conns = d;
	struct lig_memif_conn_config cfg = c->cfg;
	lig_memif_conn_init(c, &cfg);
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
	if (first)
		lig_barrier_after_release(lig_memif_dead_conns_free, NULL);
	return true;
}

/* ---- slaves waiting for their master ---- */

/* Arms the retry timerfd for `when` (CLOCK_MONOTONIC ns) unless it fires earlier already. */
static void
lig_memif_retry_arm(u64 when)
{
	struct lig_memif_main *mm = &lig_memif_main;
	struct itimerspec its = {0};

	if (mm->retry_fd < 0 || (mm->retry_armed_ns && mm->retry_armed_ns <= when))
		return;
	if (when == 0)
		when = 1;
	its.it_value.tv_sec = (time_t)(when / 1000000000ull);
	its.it_value.tv_nsec = (long)(when % 1000000000ull);
	if (timerfd_settime(mm->retry_fd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		mm->retry_armed_ns = when;
}

/* Watches the directory of a socket path for the socket file's creation (one inotify watch
 * per directory: inotify gives the same descriptor to every path of one directory). A
 * directory that does not exist yet is not watched: the backoff retries, and the next failed
 * attempt tries to watch again. */
static void
lig_memif_watch_dir(struct lig_memif_socket *s)
{
	struct lig_memif_main *mm = &lig_memif_main;
	char dir[sizeof(s->path)];

	if (s->dir_wd > 0 || mm->inotify_fd < 0 || s->path[0] != '/')
		return;
	snprintf(dir, sizeof(dir), "%s", s->path);
	char *sl = strrchr(dir, '/');
	if (sl == dir)
		sl[1] = 0;
	else
		*sl = 0;
	int wd = inotify_add_watch(mm->inotify_fd, dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
	if (wd > 0)
		s->dir_wd = wd;
}

static void
lig_memif_unwatch_dir(struct lig_memif_socket *s)
{
	struct lig_memif_main *mm = &lig_memif_main;
	int wd = s->dir_wd;

	if (wd <= 0)
		return;
	s->dir_wd = 0;
	for (u32 i = 0; i < LIG_MEMIF_MAX_SOCKETS; i++)
		if (mm->sockets[i].used && mm->sockets[i].dir_wd == wd)
			return; /* another socket in the same directory */
	inotify_rm_watch(mm->inotify_fd, wd);
}

static void lig_memif_slave_try(struct lig_memif_if *mif);

/* Tries every slave that is down and due (or every one on socket `sock` when not NULL, due
 * or not), then arms the timerfd for the earliest next attempt. */
static void
lig_memif_slaves_retry(u64 now, const struct lig_memif_socket *sock)
{
	struct lig_memif_main *mm = &lig_memif_main;
	u64 next = 0;

	for (u32 i = 0; i < LIG_MEMIF_MAX_IFS; i++) {
		struct lig_memif_if *mif = mm->ifs[i];
		if (!mif || mif->conn.cfg.role != LIG_MEMIF_ROLE_SLAVE ||
		    mif->conn.state != LIG_MEMIF_STATE_DOWN)
			continue;
		if (sock ? mif->socket_id == sock->id : mif->next_connect_ns <= now) {
			if (sock) {
				mif->reconnect_backoff_ns = 0;
				mm->inotify_wakeups++;
			}
			lig_memif_slave_try(mif);
		}
		if (mif->conn.state == LIG_MEMIF_STATE_DOWN &&
		    (!next || mif->next_connect_ns < next))
			next = mif->next_connect_ns;
	}
	if (next)
		lig_memif_retry_arm(next);
}

static void
lig_memif_on_retry(void *ctx, u32 events)
{
	struct lig_memif_main *mm = &lig_memif_main;
	u64 n;
	(void)ctx;
	(void)events;

	if (read(mm->retry_fd, &n, sizeof(n)) < 0 && errno == EAGAIN)
		return;
	mm->retry_armed_ns = 0;
	lig_memif_slaves_retry(lig_time_now_ns(), NULL);
}

/* A file appeared in a watched directory: the slaves of the socket of that name try now. */
static void
lig_memif_on_inotify(void *ctx, u32 events)
{
	struct lig_memif_main *mm = &lig_memif_main;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	(void)ctx;
	(void)events;

	while ((n = read(mm->inotify_fd, buf, sizeof(buf))) > 0) {
		size_t off = 0;
		while (off + sizeof(struct inotify_event) <= (size_t)n) {
			const struct inotify_event *ev = (const void *)(buf + off);
			if (ev->len > (size_t)n - off - sizeof(*ev))
				break;
			off += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events lost: every waiting slave tries. */
				for (u32 i = 0; i < LIG_MEMIF_MAX_IFS; i++)
					if (mm->ifs[i])
						mm->ifs[i]->next_connect_ns = 0;
				lig_memif_slaves_retry(lig_time_now_ns(), NULL);
				continue;
			}
			for (u32 i = 0; i < LIG_MEMIF_MAX_SOCKETS; i++) {
				struct lig_memif_socket *s = &mm->sockets[i];
				if (!s->used || s->dir_wd != ev->wd)
					continue;
				if (ev->mask & IN_IGNORED) { /* the directory went away */
					s->dir_wd = 0;
					continue;
				}
				const char *base = strrchr(s->path, '/');
				if (ev->len && strnlen(ev->name, ev->len) < ev->len && base &&
				    strcmp(base + 1, ev->name) == 0)
					lig_memif_slaves_retry(lig_time_now_ns(), s);
			}
		}
	}
}

/* ---- sockets ---- */

struct lig_memif_socket *
lig_memif_socket_get(u32 id)
{
	struct lig_memif_main *mm = &lig_memif_main;

	if (id >= LIG_MEMIF_MAX_SOCKETS)
		return NULL;
	if (id == 0 && !mm->sockets[0].used) {
		/* The default socket lives beside the CLI socket of this ligd instance. */
		struct lig_memif_socket *s = &mm->sockets[0];
		if (lig_runtime_path("memif.sock", s->path, sizeof(s->path)) < 0)
			return NULL;
		s->used = 1;
		s->listen_fd = -1;
	}
	return mm->sockets[id].used ? &mm->sockets[id] : NULL;
}

int
lig_memif_socket_create(u32 id, const char *path)
{
	struct lig_memif_main *mm = &lig_memif_main;

	if (id == 0 || id >= LIG_MEMIF_MAX_SOCKETS || !path || !path[0])
		return -EINVAL;
	if (strlen(path) >= sizeof(mm->sockets[0].path))
		return -ENAMETOOLONG;
	if (path[0] != '/' && path[0] != '@')
		return -EINVAL;
	if (mm->sockets[id].used)
		return -EEXIST;
	for (u32 i = 0; i < LIG_MEMIF_MAX_SOCKETS; i++)
		if (mm->sockets[i].used && strcmp(mm->sockets[i].path, path) == 0)
			return -EEXIST;
	struct lig_memif_socket *s = &mm->sockets[id];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->used = 1;
	s->listen_fd = -1;
	snprintf(s->path, sizeof(s->path), "%s", path);
	return 0;
}

static int
lig_memif_socket_listen(struct lig_memif_socket *s)
{
	int fd, rv;

	if (s->listen_fd >= 0)
		return 0;
	rv = lig_memif_listen(s->path, &fd);
	if (rv < 0) {
		lig_err(LIG_MEMIF_LOG, "cannot listen on %s: %s", s->path, strerror(-rv));
		return rv;
	}
	struct lig_memif_watch *mw = lig_memif_watch_new(fd, LIG_MEMIF_WATCH_LISTEN);
	if (!mw) {
		rv = -errno;
		close(fd);
		if (s->path[0] == '/')
			unlink(s->path);
		return rv;
	}
	mw->sock = s;
	s->listen_fd = fd;
	s->listen_watch = mw;
	lig_notice(LIG_MEMIF_LOG, "listening on %s", s->path);
	return 0;
}

static void
lig_memif_socket_unlisten(struct lig_memif_socket *s)
{
	if (s->listen_fd < 0)
		return;
	lig_memif_watch_kill(s->listen_watch);
	for (u32 i = 0; i < LIG_MEMIF_MAX_PENDING; i++) {
		if (s->pending[i].watch) {
			lig_memif_watch_kill(s->pending[i].watch);
			s->pending[i].watch = NULL;
		}
	}
	if (s->path[0] == '/')
		unlink(s->path);
	s->listen_fd = -1;
	s->listen_watch = NULL;
}

int
lig_memif_socket_delete(u32 id)
{
	struct lig_memif_socket *s = id ? lig_memif_socket_get(id) : NULL;

	if (id == 0)
		return -EINVAL;
	if (!s)
		return -ENOENT;
	if (s->n_masters || s->n_slaves)
		return -EBUSY;
	/* Its last master's deletion may have left the listener to after the barrier. */
	lig_memif_socket_unlisten(s);
	lig_memif_unwatch_dir(s);
	s->used = 0;
	return 0;
}

/* ---- interfaces ---- */

struct lig_memif_if *
lig_memif_if_by_sw(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp && ifp->class == &lig_memif_if_class ? ifp->dev : NULL;
}

static struct lig_memif_if *
lig_memif_find(u32 socket_id, u32 id)
{
	for (u32 i = 0; i < LIG_MEMIF_MAX_IFS; i++) {
		struct lig_memif_if *mif = lig_memif_main.ifs[i];
		if (mif && mif->socket_id == socket_id && mif->id == id)
			return mif;
	}
	return NULL;
}

static void
lig_memif_active_add(struct lig_memif_if *mif)
{
	struct lig_memif_main *mm = &lig_memif_main;

	if (mif->in_active)
		return;
	mm->active[mm->n_active++] = mif;
	mif->in_active = 1;
}

static void
lig_memif_active_del(struct lig_memif_if *mif)
{
	struct lig_memif_main *mm = &lig_memif_main;

	if (!mif->in_active)
		return;
	for (u32 i = 0; i < mm->n_active; i++) {
		if (mm->active[i] == mif) {
			mm->active[i] = mm->active[--mm->n_active];
			break;
		}
	}
	mif->in_active = 0;
}

/* Names the pause unless the barrier is already held for a larger change (a CLI command
 * deleting the interface, a worker's request). */
static void
lig_memif_barrier_sync(const char *kind)
{
	bool nested = lig_n_workers && lig_barrier_held();

	lig_barrier_sync();
	if (!nested)
		lig_barrier_kind(kind);
}

/* Dups of the rx eventfds for the threads that will poll the rings (before the barrier:
 * nothing to wait for). */
static void
lig_memif_dup_rx_fds(struct lig_memif_if *mif)
{
	struct lig_memif_conn *c = &mif->conn;

	for (unsigned q = 0; q < lig_memif_n_rx_queues(c); q++) {
		int fd = lig_memif_rx_queue(c, q)->int_fd;
		mif->rx_fd[q] = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	}
}

/* The workers start using a connected interface (its rings mapped, its rx eventfds
 * dup'ed into rx_fd[]): the only part of a connection that parks them. */
static void
lig_memif_publish(struct lig_memif_if *mif)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_interface *ifp = lig_if_get(mif->sw_if_index);

	lig_memif_barrier_sync("memif connect");
	/* Tx queues: a worker's own when there are enough, shared under a lock otherwise. */
	mif->tx_shared = lig_n_workers > lig_memif_n_tx_queues(c);
	/* Each rx queue goes to one thread (spread over the workers), which polls it and
	 * sleeps on (a dup of) its eventfd. */
	for (unsigned q = 0; q < lig_memif_n_rx_queues(c); q++) {
		int dfd = mif->rx_fd[q];
		/* Without an eventfd the ring is still polled while its thread is busy. */
		int rv = lig_rxq_add(mif->sw_if_index, (u16)q, lig_memif_input_node.index, mif, dfd,
				     dfd >= 0 ? lig_memif_rx_int : NULL, (void *)(intptr_t)dfd,
				     mif->rx_mode == LIG_MEMIF_RX_MODE_POLLING);
		if (rv < 0) {
			lig_err(LIG_MEMIF_LOG, "%s: rx queue %u not polled: %s",
				ifp ? ifp->name : "memif", q, strerror(-rv));
			if (dfd >= 0)
				close(dfd);
			mif->rx_fd[q] = -1;
		}
	}
	lig_memif_active_add(mif);
	mif->tx_ready = 1;
	lig_if_set_link(mif->sw_if_index, true);
	lig_barrier_release();
}

/* The workers stop using the interface's rings (barrier held only for this): tx refused,
 * rx queues taken off their threads, link down. Once it returns the rings may be unmapped
 * and their buffers freed without the barrier. Returns whether it was published. */
static bool
lig_memif_unpublish(struct lig_memif_if *mif)
{
	if (!mif->in_active)
		return false;
	lig_memif_barrier_sync("memif disconnect");
	mif->tx_ready = 0;
	lig_rxq_del_interface(mif->sw_if_index);
	lig_memif_active_del(mif);
	lig_if_set_link(mif->sw_if_index, false);
	lig_barrier_release();
	/* Their threads no longer watch the dups of the rx eventfds. */
	for (u32 q = 0; q < LIG_MEMIF_MAX_QUEUES; q++) {
		if (mif->rx_fd[q] >= 0)
			close(mif->rx_fd[q]);
		mif->rx_fd[q] = -1;
	}
	return true;
}

/* Releases everything ligd holds for the connection once the conn is down; was_active:
 * it had been published (lig_memif_unpublish before the conn went down). */
static void
lig_memif_if_release(struct lig_memif_if *mif, bool was_active)
{
	was_active |= lig_memif_unpublish(mif);
	lig_memif_watch_kill(lig_memif_ctl_watch[mif->index]);
	lig_memif_ctl_watch[mif->index] = NULL;
	lig_memif_zc_stop(mif);
	__atomic_store_n(&mif->peer_error_pending, 0, __ATOMIC_RELAXED);
	if (was_active)
		mif->counters.disconnects++;
	if (was_active && lig_memif_state_listener)
		lig_memif_state_listener(mif, false);
}

static void
lig_memif_log_down(struct lig_memif_if *mif, bool was_connected)
{
	struct lig_interface *ifp = lig_if_get(mif->sw_if_index);
	const char *name = ifp ? ifp->name : "memif";

	if (mif->conn.peer_fault) {
		mif->counters.peer_errors++;
		lig_err(LIG_MEMIF_LOG, "%s: peer '%s' disconnected: %s", name, mif->conn.peer_name,
			mif->conn.reason);
	} else if (was_connected) {
		lig_notice(LIG_MEMIF_LOG, "%s: disconnected: %s", name, mif->conn.reason);
	} else {
		lig_info(LIG_MEMIF_LOG, "%s: handshake ended: %s", name, mif->conn.reason);
	}
}

/* ---- zero-copy ---- */

/* Buffers the connected zero-copy interfaces' rings may hold together (memif.h). */
static u32 lig_memif_zc_reserved;

int
lig_memif_zc_start(struct lig_memif_if *mif)
{
	struct lig_memif_conn *c = &mif->conn;
	u32 need = 0;

	for (unsigned q = 0; q < lig_memif_n_rx_queues(c); q++)
		need += lig_memif_rx_queue(c, q)->size;
	for (unsigned q = 0; q < lig_memif_n_tx_queues(c); q++)
		need += lig_memif_tx_queue(c, q)->size;
	/* What every ring can hold at once (rx: each slot's posted buffer; tx: a packet per
	 * slot until the master gives the slot back) stays under a share of the pool, so a
	 * master that keeps them cannot drain it for everyone else. */
	if (lig_memif_zc_reserved + need > lig_buffer_pool.n_buffers / LIG_MEMIF_ZC_POOL_SHARE)
		return -ENOSPC;
	lig_memif_zc_reserved += need;
	mif->zc_reserved = need;
	for (unsigned dir = 0; dir < 2; dir++) {
		unsigned nq = dir == LIG_RX ? lig_memif_n_rx_queues(c) : lig_memif_n_tx_queues(c);
		for (unsigned qid = 0; qid < nq; qid++) {
			struct lig_memif_queue *q =
			    dir == LIG_RX ? lig_memif_rx_queue(c, qid) : lig_memif_tx_queue(c, qid);
			u32 *slots = malloc(q->size * sizeof(u32));
			if (!slots)
				return -ENOMEM;
			for (u32 s = 0; s < q->size; s++)
				slots[s] = LIG_INVALID_INDEX;
			mif->zc_slots[dir][qid] = slots;
			mif->zc_n_slots[dir][qid] = q->size;
			if (dir == LIG_TX) {
				mif->zc_reclaim[qid] = 0;
				continue;
			}
			/* Every rx slot gets a buffer of ours for the master to fill. */
			u32 got = lig_buffer_alloc(slots, q->size);
			if (got != q->size) {
				lig_buffer_free(slots, got);
				for (u32 s = 0; s < got; s++)
					slots[s] = LIG_INVALID_INDEX;
				return -ENOBUFS;
			}
			for (u32 s = 0; s < q->size; s++) {
				struct lig_memif_desc *d = &q->ring->desc[s];
				d->flags = 0;
				d->region = 1;
				d->offset = lig_memif_zc_offset(slots[s], 0);
				d->length = lig_buffer_data_size();
			}
			mif->zc_rx_head[qid] = q->size;
			lig_memif_store_release(&q->ring->head, q->size);
		}
	}
	return 0;
}

void
lig_memif_zc_stop(struct lig_memif_if *mif)
{
	/* Main, once the workers no longer use the rings (lig_memif_unpublish). Every buffer a
	 * ring held goes back once: the record is
	 * ligd's own (zc_slots), never the descriptors. The master may still have them
	 * mapped: a peer trusted with zero-copy is trusted not to write into them after it
	 * disconnected (docs/memif.md). */
	for (unsigned dir = 0; dir < 2; dir++) {
		for (unsigned qid = 0; qid < LIG_MEMIF_MAX_QUEUES; qid++) {
			u32 *slots = mif->zc_slots[dir][qid];
			if (!slots)
				continue;
			for (u32 s = 0; s < mif->zc_n_slots[dir][qid]; s++)
				if (slots[s] != LIG_INVALID_INDEX)
					lig_buffer_free_one(slots[s]);
			free(slots);
			mif->zc_slots[dir][qid] = NULL;
			mif->zc_n_slots[dir][qid] = 0;
		}
	}
	lig_memif_zc_reserved -= mif->zc_reserved;
	mif->zc_reserved = 0;
}

/* A slave went down (disconnected, refused, dropped): its next attempt. */
static void
lig_memif_slave_down(struct lig_memif_if *mif, bool was_connected)
{
	u64 now = lig_time_now_ns();

	if (mif->conn.cfg.role != LIG_MEMIF_ROLE_SLAVE)
		return;
	/* A connection that lasted: try again at once, the backoff starts over. One refused or
	 * dropped during its handshake: the backoff goes on. */
	if (was_connected && now - mif->handshake_start_ns >= 2 * LIG_MEMIF_RECONNECT_NS) {
		mif->reconnect_backoff_ns = 0;
		mif->next_connect_ns = now;
	}
	lig_memif_retry_arm(mif->next_connect_ns);
}

void
lig_memif_if_disconnect(struct lig_memif_if *mif, const char *reason, bool peer_fault)
{
	bool was_connected = mif->conn.state == LIG_MEMIF_STATE_CONNECTED;

	if (mif->conn.state == LIG_MEMIF_STATE_DOWN && !mif->in_active)
		return;
	bool was_active = lig_memif_unpublish(mif);
	/* The reason may live in mif->pending_reason: the conn copies it first, after the
	 * unpublishing barrier (the worker that wrote it has parked since). */
	lig_memif_conn_disconnect(&mif->conn, reason, peer_fault);
	lig_memif_log_down(mif, was_connected);
	lig_memif_if_release(mif, was_active);
	lig_memif_slave_down(mif, was_connected);
}

static void
lig_memif_on_connected(struct lig_memif_if *mif)
{
	struct lig_memif_conn *c = &mif->conn;
	struct lig_interface *ifp = lig_if_get(mif->sw_if_index);

	/* Everything the workers do not see yet is done before the barrier. */
	if (mif->zero_copy) {
		int rv = lig_memif_zc_start(mif);
		if (rv < 0) {
			lig_memif_if_disconnect(
			    mif,
			    rv == -ENOSPC ? "zero-copy: its rings would hold more than the "
					    "share of the buffer pool zero-copy may take"
					  : "zero-copy: no buffers to post",
			    false);
			return;
		}
	}
	lig_memif_apply_rx_mode(mif);
	lig_memif_dup_rx_fds(mif);
	memset(mif->tx_copy, 0, sizeof(mif->tx_copy)); /* cached stores first, as any peer's */
	lig_memif_publish(mif);
	mif->counters.connects++;
	mif->conn.reason[0] = 0;
	lig_notice(LIG_MEMIF_LOG,
		   "%s: connected to peer '%s' (%s), %u s2m and %u m2s rings of %u slots",
		   ifp ? ifp->name : "memif", c->peer_name, c->peer_if_name, c->n_s2m, c->n_m2s,
		   c->s2m[0].size);
	if (lig_memif_state_listener)
		lig_memif_state_listener(mif, true);
}

/* Something to read on the control socket (not a spurious wakeup)? */
static bool
lig_memif_ctl_readable(int fd)
{
	u8 b;

	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0 ||
	       (errno != EAGAIN && errno != EWOULDBLOCK);
}

static void
lig_memif_on_ctl(struct lig_memif_if *mif)
{
	bool was_connected = mif->conn.state == LIG_MEMIF_STATE_CONNECTED;
	bool was_active = false;

	/* Every message on a connected socket ends the connection (the peer's DISCONNECT,
	 * anything else is a protocol error), and the conn unmaps the rings as it handles
	 * it: the workers stop using them first. */
	if (mif->in_active) {
		if (!lig_memif_ctl_readable(mif->conn.fd))
			return;
		was_active = lig_memif_unpublish(mif);
	}
	int ev = lig_memif_conn_handle(&mif->conn);

	if (ev == LIG_MEMIF_EV_CONNECTED) {
		lig_memif_on_connected(mif);
	} else if (ev == LIG_MEMIF_EV_DISCONNECTED) {
		lig_memif_log_down(mif, was_connected);
		lig_memif_if_release(mif, was_active);
		lig_memif_slave_down(mif, was_connected);
	} else if (was_active) {
		/* Still connected after all (nothing the conn acted on): back in service. */
		lig_memif_dup_rx_fds(mif);
		lig_memif_publish(mif);
	}
}

/* Starts watching conn.fd (a dup, so the conn can close its copy whenever). */
static int
lig_memif_watch_ctl(struct lig_memif_if *mif)
{
	int dfd = fcntl(mif->conn.fd, F_DUPFD_CLOEXEC, 0);

	if (dfd < 0)
		return -errno;
	struct lig_memif_watch *mw = lig_memif_watch_new(dfd, LIG_MEMIF_WATCH_CTL);
	if (!mw) {
		int e = errno;
		close(dfd);
		return -e;
	}
	mw->mif = mif;
	lig_memif_ctl_watch[mif->index] = mw;
	mif->handshake_start_ns = lig_time_now_ns();
	return 0;
}

static void
lig_memif_slave_try(struct lig_memif_if *mif)
{
	struct lig_memif_socket *s = lig_memif_socket_get(mif->socket_id);

	u64 now = lig_time_now_ns();
	/* The next attempt, should this one fail or its handshake be refused (a socket that
	 * exists before the master's interface of our id does): after 1, 2, 4, 8, 16, 16 ...
	 * ms for the first second, then doubling up to LIG_MEMIF_RECONNECT_NS; reset by a
	 * connection that lasted (lig_memif_if_disconnect) and by the socket file's creation
	 * (inotify). */
	u64 b = mif->reconnect_backoff_ns ? 2 * mif->reconnect_backoff_ns
					  : LIG_MEMIF_RECONNECT_FIRST_NS;

	if (!mif->reconnect_backoff_ns)
		mif->wait_start_ns = now;
	if (b > LIG_MEMIF_RECONNECT_FAST_NS &&
	    now - mif->wait_start_ns < LIG_MEMIF_RECONNECT_FAST_FOR_NS)
		b = LIG_MEMIF_RECONNECT_FAST_NS; /* the first second: every 16 ms */
	mif->reconnect_backoff_ns = b < LIG_MEMIF_RECONNECT_NS ? b : LIG_MEMIF_RECONNECT_NS;
	mif->next_connect_ns = now + mif->reconnect_backoff_ns;
	mif->last_connect_attempt_ns = now;
	if (!s || lig_memif_conn_slave_connect(&mif->conn, s->path) < 0) {
		if (s)
			lig_memif_watch_dir(s);
		lig_memif_retry_arm(mif->next_connect_ns);
		return;
	}
	if (lig_memif_watch_ctl(mif) < 0) {
		lig_memif_conn_disconnect(&mif->conn, "cannot watch the control socket", false);
		return;
	}
}

/* Master: the first message of an accepted connection must be INIT for one of our ids. */
static void
lig_memif_on_pending(struct lig_memif_watch *mw)
{
	struct lig_memif_socket *s = mw->sock;
	struct lig_memif_msg m;
	char err[128];
	int rfd, rv = lig_memif_recv(mw->fd, &m, &rfd, err, sizeof(err));
	struct lig_memif_if *mif = NULL;
	const char *why = NULL;

	if (rv == -EAGAIN)
		return;
	if (rv == 0 && m.type != LIG_MEMIF_MSG_INIT) {
		if (rfd >= 0)
			close(rfd);
		snprintf(err, sizeof(err), "expected init, got %s", lig_memif_msg_type_str(m.type));
		rv = -EBADMSG;
	}
	if (rv == 0) {
		mif = lig_memif_find(s->id, m.init.id);
		if (!mif || mif->conn.cfg.role != LIG_MEMIF_ROLE_MASTER)
			why = "no such interface id";
		else if (mif->conn.state != LIG_MEMIF_STATE_DOWN)
			why = "interface already connected";
	}
	if (rv < 0 || why) {
		char name[LIG_MEMIF_NAME_SIZE + 1] = "";
		if (rv == 0)
			lig_memif_wire_string(name, m.init.name, sizeof(m.init.name));
		if (rv != -ECONNRESET)
			lig_memif_send_disconnect(mw->fd, why ? why : err);
		lig_warn(LIG_MEMIF_LOG, "%s: refused a peer%s%s%s: %s", s->path,
			 name[0] ? " '" : "", name, name[0] ? "'" : "",
			 why		     ? why
			 : rv == -ECONNRESET ? "closed before init"
					     : err);
		goto drop;
	}
	/* The interface's conn gets its own copy of the socket. */
	int cfd = fcntl(mw->fd, F_DUPFD_CLOEXEC, 0);
	if (cfd < 0)
		goto drop;
	rv = lig_memif_conn_master_accept(&mif->conn, cfd, &m);
	if (rv < 0) {
		close(cfd);
		mif->counters.peer_errors += mif->conn.peer_fault;
		lig_err(LIG_MEMIF_LOG, "%s: refused peer: %s", lig_if_get(mif->sw_if_index)->name,
			mif->conn.reason);
		goto drop;
	}
	/* The pending watch becomes the interface's control watch. */
	for (u32 i = 0; i < LIG_MEMIF_MAX_PENDING; i++)
		if (s->pending[i].watch == mw)
			s->pending[i].watch = NULL;
	mw->kind = LIG_MEMIF_WATCH_CTL;
	mw->sock = NULL;
	mw->mif = mif;
	lig_memif_ctl_watch[mif->index] = mw;
	mif->handshake_start_ns = lig_time_now_ns();
	/* Messages that arrived with INIT are handled now (level-triggered epoll would too). */
	lig_memif_on_ctl(mif);
	return;
drop:
	for (u32 i = 0; i < LIG_MEMIF_MAX_PENDING; i++)
		if (s->pending[i].watch == mw)
			s->pending[i].watch = NULL;
	lig_memif_watch_kill(mw);
}

static void
lig_memif_on_accept(struct lig_memif_watch *lw)
{
	struct lig_memif_socket *s = lw->sock;
	int fd;

	if (lig_memif_accept(lw->fd, "ligd", &fd) < 0)
		return;
	for (u32 i = 0; i < LIG_MEMIF_MAX_PENDING; i++) {
		if (s->pending[i].watch)
			continue;
		struct lig_memif_watch *mw = lig_memif_watch_new(fd, LIG_MEMIF_WATCH_PENDING);
		if (!mw)
			break;
		mw->sock = s;
		s->pending[i].watch = mw;
		return;
	}
	lig_warn(LIG_MEMIF_LOG, "%s: too many connections in handshake, refused one", s->path);
	lig_memif_send_disconnect(fd, "too many pending connections");
	close(fd);
}

static void
lig_memif_on_fd(void *ctx, u32 events)
{
	struct lig_memif_watch *mw = ctx;
	(void)events;

	if (mw->dead) {
		/* Drain so level-triggered epoll does not spin until the reap. */
		u8 buf[LIG_MEMIF_MSG_SIZE];
		if (mw->kind == LIG_MEMIF_WATCH_LISTEN) {
			int fd = accept4(mw->fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				close(fd);
		} else if (read(mw->fd, buf, sizeof(buf)) <= 0) {
			shutdown(mw->fd, SHUT_RDWR);
		}
		return;
	}
	switch (mw->kind) {
	case LIG_MEMIF_WATCH_LISTEN:
		lig_memif_on_accept(mw);
		break;
	case LIG_MEMIF_WATCH_PENDING:
		lig_memif_on_pending(mw);
		break;
	case LIG_MEMIF_WATCH_CTL:
		lig_memif_on_ctl(mw->mif);
		break;
	}
}

/* Every 100 ms: reap dead watches, reconnect slaves, time out stuck handshakes, and drop
 * a peer the datapath flagged whose request to main was lost (a full queue). */
static void
lig_memif_timer(void *ctx)
{
	u64 now = lig_time_now_ns();
	(void)ctx;

	lig_memif_reap();
	for (u32 i = 0; i < LIG_MEMIF_MAX_IFS; i++) {
		struct lig_memif_if *mif = lig_memif_main.ifs[i];
		if (!mif)
			continue;
		if (__atomic_load_n(&mif->peer_error_pending, __ATOMIC_RELAXED))
			lig_memif_if_disconnect(mif, mif->pending_reason, true);
		else if (mif->conn.state == LIG_MEMIF_STATE_HANDSHAKE &&
			 now - mif->handshake_start_ns > LIG_MEMIF_HANDSHAKE_TIMEOUT_NS)
			lig_memif_if_disconnect(mif, "handshake timed out", true);
		else if (mif->conn.cfg.role == LIG_MEMIF_ROLE_SLAVE &&
			 mif->conn.state == LIG_MEMIF_STATE_DOWN && now >= mif->next_connect_ns)
			lig_memif_slave_try(mif); /* the retry timerfd's fallback */
	}
	for (u32 s = 0; s < LIG_MEMIF_MAX_SOCKETS; s++) {
		struct lig_memif_socket *sock = &lig_memif_main.sockets[s];
		if (!sock->used)
			continue;
		for (u32 i = 0; i < LIG_MEMIF_MAX_PENDING; i++) {
			struct lig_memif_watch *mw = sock->pending[i].watch;
			if (mw && now - mw->since_ns > LIG_MEMIF_HANDSHAKE_TIMEOUT_NS) {
				lig_warn(LIG_MEMIF_LOG, "%s: peer sent no init in time, dropped",
					 sock->path);
				sock->pending[i].watch = NULL;
				lig_memif_watch_kill(mw);
			}
		}
	}
}

void
lig_memif_reap_pending(void)
{
	if (lig_memif_dead)
		lig_memif_reap();
}

static void
lig_memif_rpc_disconnect(void *arg)
{
	u32 sw_if_index;
	memcpy(&sw_if_index, arg, sizeof(sw_if_index));
	struct lig_memif_if *mif = lig_memif_if_by_sw(sw_if_index);

	if (mif && mif->peer_error_pending)
		lig_memif_if_disconnect(mif, mif->pending_reason, true);
}

void
lig_memif_request_disconnect(struct lig_memif_if *mif)
{
	u32 sw_if_index = mif->sw_if_index;

	/* Lost (a full queue): the timer finds the flag within 100 ms. */
	lig_thread_rpc_main(lig_memif_rpc_disconnect, &sw_if_index, sizeof(sw_if_index));
}

static int
lig_memif_init(void)
{
	int t = lig_loop_add_timer(100ull * 1000000ull, lig_memif_timer, NULL);

	if (t < 0)
		return t;
	lig_memif_main.timer = t;
	/* Its work (reaping watches, retrying slaves, timing out handshakes) parks nobody;
	 * a disconnect takes the barrier itself. */
	lig_loop_timer_no_barrier(t);
	/* Without these two fds the 100 ms timer retries slaves alone. */
	struct lig_memif_main *mm = &lig_memif_main;
	mm->retry_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (mm->retry_fd >= 0 &&
	    !(mm->retry_w = lig_loop_watch_fd(mm->retry_fd, EPOLLIN, lig_memif_on_retry, NULL))) {
		close(mm->retry_fd);
		mm->retry_fd = -1;
	}
	if (mm->retry_w)
		lig_loop_watch_no_barrier(mm->retry_w);
	mm->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (mm->inotify_fd >= 0 && !(mm->inotify_w = lig_loop_watch_fd(
					 mm->inotify_fd, EPOLLIN, lig_memif_on_inotify, NULL))) {
		close(mm->inotify_fd);
		mm->inotify_fd = -1;
	}
	if (mm->inotify_w)
		lig_loop_watch_no_barrier(mm->inotify_w);
	if (mm->retry_fd < 0 || mm->inotify_fd < 0)
		lig_warn(LIG_MEMIF_LOG, "no %s: slaves retry every 100 ms",
			 mm->retry_fd < 0 ? "retry timerfd" : "inotify");
	t = lig_loop_add_post_poll(lig_memif_reap_pending);
	if (t < 0)
		return t;
	return lig_memif_node_init();
}
LIG_MODULE(memif, .init = lig_memif_init, .depends = {"interface", "ethernet"});

void
lig_memif_create_args_default(struct lig_memif_create_args *a)
{
	memset(a, 0, sizeof(*a));
	a->role = LIG_MEMIF_ROLE_MASTER;
	a->mode = LIG_MEMIF_MODE_ETHERNET;
	a->rx_queues = 1;
	a->tx_queues = 1;
	a->log2_ring_size = LIG_MEMIF_DEFAULT_LOG2_RING;
	a->buffer_size = LIG_MEMIF_DEFAULT_BUFFER_SIZE;
}

static void
lig_memif_slave_first_try(void *arg)
{
	struct lig_memif_if *mif = lig_memif_if_by_sw((u32)(uintptr_t)arg);

	if (mif && mif->conn.cfg.role == LIG_MEMIF_ROLE_SLAVE &&
	    mif->conn.state == LIG_MEMIF_STATE_DOWN && !mif->reconnect_backoff_ns)
		lig_memif_slave_try(mif);
}

int
lig_memif_create_if(const struct lig_memif_create_args *a, u32 *sw_if_index)
{
	struct lig_memif_main *mm = &lig_memif_main;
	struct lig_memif_socket *s = lig_memif_socket_get(a->socket_id);
	struct lig_memif_conn_config cfg = {0};
	char name[LIG_IF_NAME_SIZE];
	u32 slot;
	int rv;

	if (!s)
		return a->socket_id < LIG_MEMIF_MAX_SOCKETS ? -ENOENT : -EINVAL;
	if (a->role > LIG_MEMIF_ROLE_SLAVE || a->mode > LIG_MEMIF_MODE_IP || a->rx_queues == 0 ||
	    a->rx_queues > LIG_MEMIF_MAX_QUEUES || a->tx_queues == 0 ||
	    a->tx_queues > LIG_MEMIF_MAX_QUEUES || a->log2_ring_size == 0 ||
	    a->log2_ring_size > LIG_MEMIF_MAX_LOG2_RING ||
	    a->buffer_size < LIG_MEMIF_MIN_BUFFER_SIZE ||
	    a->buffer_size > LIG_MEMIF_MAX_BUFFER_SIZE || (a->have_hw_addr && (a->hw_addr[0] & 1)))
		return -EINVAL;
	/* One socket serves one role in this process: a master listens on it, a slave
	 * connects to another process's listener. */
	if ((a->role == LIG_MEMIF_ROLE_MASTER && s->n_slaves) ||
	    (a->role == LIG_MEMIF_ROLE_SLAVE && s->n_masters))
		return -EINVAL;
	if (lig_memif_find(a->socket_id, a->id))
		return -EEXIST;
	for (slot = 0; slot < LIG_MEMIF_MAX_IFS && mm->ifs[slot]; slot++)
		;
	if (slot == LIG_MEMIF_MAX_IFS)
		return -ENOSPC;
	if (a->zero_copy && (a->role != LIG_MEMIF_ROLE_SLAVE || a->mode != LIG_MEMIF_MODE_ETHERNET))
		return -EINVAL;
	/* Region offsets are u32: the whole pool must fit one 4 GiB region. */
	if (a->zero_copy && (lig_buffer_pool.fd < 0 || lig_buffer_pool.size > 0xffffffffull))
		return -EOPNOTSUPP;
	if (a->role == LIG_MEMIF_ROLE_MASTER) {
		rv = lig_memif_socket_listen(s);
		if (rv < 0)
			return rv;
	}

	struct lig_memif_if *mif = calloc(1, sizeof(*mif));
	if (!mif) {
		rv = -ENOMEM;
		goto fail;
	}
	snprintf(name, sizeof(name), "memif%u/%u", a->socket_id, a->id);
	cfg.role = a->role;
	cfg.mode = a->mode;
	cfg.id = a->id;
	snprintf(cfg.secret, sizeof(cfg.secret), "%s", a->secret);
	snprintf(cfg.name, sizeof(cfg.name), "ligd");
	snprintf(cfg.if_name, sizeof(cfg.if_name), "%.32s", name);
	/* As slave we transmit on s2m and receive on m2s. */
	cfg.n_s2m = a->role == LIG_MEMIF_ROLE_SLAVE ? a->tx_queues : a->rx_queues;
	cfg.n_m2s = a->role == LIG_MEMIF_ROLE_SLAVE ? a->rx_queues : a->tx_queues;
	cfg.log2_ring_size = a->log2_ring_size;
	cfg.buffer_size = a->buffer_size;
	if (a->zero_copy) {
		/* The master fills ligd's buffers: their data area is a ring slot. */
		cfg.buffer_size = lig_buffer_data_size();
		cfg.zero_copy = 1;
		cfg.zc_fd = lig_buffer_pool.fd;
		cfg.zc_base = lig_buffer_pool.base;
		cfg.zc_size = lig_buffer_pool.size;
	}
	lig_memif_conn_init(&mif->conn, &cfg);
	mif->id = a->id;
	mif->socket_id = a->socket_id;
	mif->mode = a->mode;
	mif->rx_mode = LIG_MEMIF_RX_MODE_ADAPTIVE;
	mif->index = slot;
	mif->cfg_rx_queues = a->rx_queues;
	mif->cfg_tx_queues = a->tx_queues;
	mif->zero_copy = a->zero_copy;
	for (u32 q = 0; q < LIG_MEMIF_MAX_QUEUES; q++)
		mif->rx_fd[q] = -1;
	memcpy(mif->hw_addr, a->hw_addr, 6);

	/* Everything above is main's alone (the listener, the connection's state): the
	 * workers stop only while the interface itself is added (mp-safe callers). */
	lig_barrier_sync();
	lig_barrier_kind("create interface memif");
	struct lig_interface *ifp =
	    lig_if_create(&lig_memif_if_class, name, mif, a->have_hw_addr ? a->hw_addr : NULL);
	if (!ifp) {
		rv = -errno;
		lig_barrier_release();
		free(mif);
		goto fail;
	}
	mif->sw_if_index = ifp->sw_if_index;
	ifp->dev_instance = slot;
	mm->ifs[slot] = mif;
	if (a->role == LIG_MEMIF_ROLE_MASTER)
		s->n_masters++;
	else
		s->n_slaves++;
	/* A slave connects right after the command's barrier: connect() wakes the master's
	 * process, which the workers need not wait for. */
	if (a->role == LIG_MEMIF_ROLE_SLAVE)
		lig_barrier_after_release(lig_memif_slave_first_try,
					  (void *)(uintptr_t)ifp->sw_if_index);
	*sw_if_index = ifp->sw_if_index;
	lig_barrier_release();
	return 0;
fail:
	if (a->role == LIG_MEMIF_ROLE_MASTER && s->n_masters == 0)
		lig_memif_socket_unlisten(s);
	return rv;
}

/* The listener of a socket whose last master went, closed just after the barrier
 * (workers never touch it) unless a master came back meanwhile. */
static void
lig_memif_socket_unlisten_idle(void *arg)
{
	struct lig_memif_socket *s = lig_memif_socket_get((u32)(uintptr_t)arg);

	if (s && s->n_masters == 0)
		lig_memif_socket_unlisten(s);
}

static bool
lig_memif_any_if(void)
{
	for (u32 i = 0; i < LIG_MEMIF_MAX_IFS; i++)
		if (lig_memif_main.ifs[i])
			return true;
	return false;
}

/* After the barrier of the last deletion, unless a create came in the same batch: the
 * workers' buffer reserves (freeing them touches every header, ~0.1 ms of misses on
 * another core's lines). */
static void
lig_memif_release_if_unused(void *arg LIG_UNUSED)
{
	if (!lig_memif_any_if())
		lig_memif_release_buffers();
}

/* Interface class destroy: runs from lig_if_delete(). */
static void
lig_memif_destroy(struct lig_interface *ifp)
{
	struct lig_memif_if *mif = ifp->dev;
	struct lig_memif_socket *s = lig_memif_socket_get(mif->socket_id);

	bool was_connected = mif->conn.state == LIG_MEMIF_STATE_CONNECTED;
	bool was_active = lig_memif_unpublish(mif);
	if (lig_memif_conn_defer(mif, "interface deleted"))
		lig_memif_log_down(mif, was_connected);
	else
		lig_memif_if_disconnect(mif, "interface deleted", false);
	lig_memif_if_release(mif, was_active);
	lig_memif_main.ifs[mif->index] = NULL;
	if (s) {
		if (mif->conn.cfg.role == LIG_MEMIF_ROLE_MASTER) {
			if (--s->n_masters == 0)
				lig_barrier_after_release(lig_memif_socket_unlisten_idle,
							  (void *)(uintptr_t)mif->socket_id);
		} else {
			s->n_slaves--;
		}
	}
	free(mif);
	if (!lig_memif_any_if())
		lig_barrier_after_release(lig_memif_release_if_unused, NULL);
}

int
lig_memif_delete_if(u32 sw_if_index)
{
	if (!lig_memif_if_by_sw(sw_if_index))
		return -ENOENT;
	return lig_if_delete(sw_if_index);
}

int
lig_memif_set_rx_mode(u32 sw_if_index, enum lig_memif_rx_mode mode)
{
	struct lig_memif_if *mif = lig_memif_if_by_sw(sw_if_index);

	if (!mif)
		return -ENOENT;
	if (mode > LIG_MEMIF_RX_MODE_ADAPTIVE)
		return -EINVAL;
	mif->rx_mode = (u8)mode;
	if (mif->in_active) {
		lig_memif_apply_rx_mode(mif);
		for (unsigned q = 0; q < lig_memif_n_rx_queues(&mif->conn); q++)
			lig_rxq_set_polling(mif->sw_if_index, (u16)q,
					    mode == LIG_MEMIF_RX_MODE_POLLING);
	}
	return 0;
}

static void
lig_memif_format_hw(struct lig_str *s, const struct lig_interface *ifp)
{
	const struct lig_memif_if *mif = ifp->dev;

	lig_str_printf(s, "  memif %s id %u socket-id %u %s\n",
		       mif->conn.cfg.role == LIG_MEMIF_ROLE_MASTER ? "master" : "slave", mif->id,
		       mif->socket_id, lig_memif_state_name(mif->conn.state));
}

const struct lig_if_class lig_memif_if_class = {
    .name = "memif",
    .tx_node_name = "memif-tx",
    .format_hw = lig_memif_format_hw,
    .destroy = lig_memif_destroy,
};

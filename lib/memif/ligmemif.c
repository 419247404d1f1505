/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libligmemif (see include/ligmemif.h): one memif endpoint on top of the protocol core
 * and handshake that ligd uses too (src/memif/memif_proto.c, memif_conn.c), an epoll set
 * for its fds, and rx/tx bursts, copying or in place, with the same descriptor checks as
 * ligd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "include/ligmemif.h"
#include "memif/memif_conn.h"
#include "memif/memif_ring.h"

#define LIGMEMIF_API __attribute__((visibility("default")))
#define LIGMEMIF_RETRY_NS 500000000ull
#define LIGMEMIF_HANDSHAKE_NS 3000000000ull
#define LIGMEMIF_MAX_CHAIN 256

/* epoll tags */
enum {
	TAG_LISTEN = 1,
	TAG_PENDING,
	TAG_CTL,
	TAG_RX_INT, /* + queue << 8 */
};

struct ligmemif {
	struct lig_memif_conn conn;
	char path[108];
	int rx_mode;
	int epfd;
	int listen_fd;
	int pending_fd;
	uint64_t pending_since;
	uint64_t next_retry;
	uint64_t handshake_since;
	ligmemif_event_fn *fn;
	void *ctx;
	struct ligmemif_stats stats;
	char reason[160];
	/* In place: slots lent to the application past each queue's q->last (rx: by
	 * ligmemif_rx_peek, until ligmemif_rx_release; tx: by ligmemif_tx_alloc, until
	 * ligmemif_tx_commit). Zero on every new connection. */
	uint16_t rx_lent[LIG_MEMIF_MAX_QUEUES];
	uint16_t tx_lent[LIG_MEMIF_MAX_QUEUES];
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
ep_add(struct ligmemif *m, int fd, uint32_t tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = tag};

	epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void
ep_del(struct ligmemif *m, int fd)
{
	if (fd >= 0)
		epoll_ctl(m->epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* The conn is down (it closed its fds, which leaves epoll by itself). */
static void
on_down(struct ligmemif *m, bool was_connected)
{
	snprintf(m->reason, sizeof(m->reason), "%s", m->conn.reason);
	if (m->conn.peer_fault)
		m->stats.peer_errors++;
	if (was_connected) {
		m->stats.disconnects++;
		if (m->fn)
			m->fn(m, LIGMEMIF_EVENT_DISCONNECTED, m->ctx);
	}
	m->next_retry = now_ns() + LIGMEMIF_RETRY_NS;
}

static void
drop_peer(struct ligmemif *m, const char *reason, bool fault)
{
	bool was = m->conn.state == LIG_MEMIF_STATE_CONNECTED;

	if (m->conn.state == LIG_MEMIF_STATE_DOWN)
		return;
	for (unsigned q = 0; q < lig_memif_n_rx_queues(&m->conn); q++)
		ep_del(m, lig_memif_rx_queue(&m->conn, q)->int_fd);
	ep_del(m, m->conn.fd);
	lig_memif_conn_disconnect(&m->conn, reason, fault);
	on_down(m, was);
}

static void
on_connected(struct ligmemif *m)
{
	struct lig_memif_conn *c = &m->conn;

	for (unsigned q = 0; q < lig_memif_n_rx_queues(c); q++) {
		struct lig_memif_queue *rq = lig_memif_rx_queue(c, q);
		if (m->rx_mode == LIGMEMIF_RX_POLLING) {
			rq->ring->flags |= LIG_MEMIF_RING_FLAG_MASK_INT;
		} else {
			rq->ring->flags &= (uint16_t)~LIG_MEMIF_RING_FLAG_MASK_INT;
			if (rq->int_fd >= 0)
				ep_add(m, rq->int_fd, TAG_RX_INT | q << 8);
		}
	}
	memset(m->rx_lent, 0, sizeof(m->rx_lent));
	memset(m->tx_lent, 0, sizeof(m->tx_lent));
	m->reason[0] = 0;
	m->stats.connects++;
	if (m->fn)
		m->fn(m, LIGMEMIF_EVENT_CONNECTED, m->ctx);
}

static void
handle_ctl(struct ligmemif *m)
{
	bool was = m->conn.state == LIG_MEMIF_STATE_CONNECTED;
	int ev = lig_memif_conn_handle(&m->conn);

	if (ev == LIG_MEMIF_EV_CONNECTED)
		on_connected(m);
	else if (ev == LIG_MEMIF_EV_DISCONNECTED)
		on_down(m, was);
}

static void
slave_try(struct ligmemif *m)
{
	m->next_retry = now_ns() + LIGMEMIF_RETRY_NS;
	if (lig_memif_conn_slave_connect(&m->conn, m->path) < 0) {
		snprintf(m->reason, sizeof(m->reason), "%s", m->conn.reason);
		return;
	}
	m->handshake_since = now_ns();
	ep_add(m, m->conn.fd, TAG_CTL);
}

static void
close_pending(struct ligmemif *m)
{
	if (m->pending_fd >= 0) {
		ep_del(m, m->pending_fd);
		close(m->pending_fd);
	}
	m->pending_fd = -1;
}

static void
handle_accept(struct ligmemif *m)
{
	int fd;
	const char *app = m->conn.cfg.name;

	if (lig_memif_accept(m->listen_fd, app, &fd) < 0)
		return;
	if (m->pending_fd >= 0 || m->conn.state != LIG_MEMIF_STATE_DOWN) {
		lig_memif_send_disconnect(fd, "interface busy");
		close(fd);
		return;
	}
	m->pending_fd = fd;
	m->pending_since = now_ns();
	ep_add(m, fd, TAG_PENDING);
}

static void
handle_pending(struct ligmemif *m)
{
	struct lig_memif_msg msg;
	char err[128];
	int rfd, rv = lig_memif_recv(m->pending_fd, &msg, &rfd, err, sizeof(err));

	if (rv == -EAGAIN)
		return;
	if (rv == 0 && msg.type != LIG_MEMIF_MSG_INIT) {
		if (rfd >= 0)
			close(rfd);
		snprintf(err, sizeof(err), "expected init");
		rv = -EBADMSG;
	}
	if (rv == 0 && msg.init.id != m->conn.cfg.id) {
		snprintf(err, sizeof(err), "no such interface id");
		rv = -ENOENT;
	}
	if (rv < 0) {
		if (rv != -ECONNRESET)
			lig_memif_send_disconnect(m->pending_fd, err);
		snprintf(m->reason, sizeof(m->reason), "refused a peer: %s", err);
		close_pending(m);
		return;
	}
	int fd = m->pending_fd;
	ep_del(m, fd);
	m->pending_fd = -1;
	if (lig_memif_conn_master_accept(&m->conn, fd, &msg) < 0) {
		snprintf(m->reason, sizeof(m->reason), "%s", m->conn.reason);
		m->stats.peer_errors += m->conn.peer_fault;
		close(fd);
		return;
	}
	m->handshake_since = now_ns();
	ep_add(m, fd, TAG_CTL);
	handle_ctl(m);
}

LIGMEMIF_API struct ligmemif *
ligmemif_create(const struct ligmemif_config *cfg, ligmemif_event_fn *fn, void *ctx)
{
	struct lig_memif_conn_config cc = {0};
	struct ligmemif *m;
	unsigned ring = cfg && cfg->ring_size ? cfg->ring_size : 1024;
	uint32_t bsize = cfg && cfg->buffer_size ? cfg->buffer_size : LIG_MEMIF_DEFAULT_BUFFER_SIZE;
	unsigned rxq = cfg && cfg->rx_queues ? cfg->rx_queues : 1;
	unsigned txq = cfg && cfg->tx_queues ? cfg->tx_queues : 1;

	if (!cfg || !cfg->socket_path || strlen(cfg->socket_path) >= sizeof(m->path) ||
	    (cfg->role != LIGMEMIF_ROLE_MASTER && cfg->role != LIGMEMIF_ROLE_SLAVE) ||
	    (cfg->mode != LIGMEMIF_MODE_ETHERNET && cfg->mode != LIGMEMIF_MODE_IP) ||
	    (ring & (ring - 1)) || ring < 2 || ring > (1u << LIG_MEMIF_MAX_LOG2_RING) ||
	    bsize < LIG_MEMIF_MIN_BUFFER_SIZE || bsize > LIG_MEMIF_MAX_BUFFER_SIZE ||
	    rxq > LIG_MEMIF_MAX_QUEUES || txq > LIG_MEMIF_MAX_QUEUES ||
	    (cfg->secret && strlen(cfg->secret) > LIG_MEMIF_SECRET_SIZE)) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	cc.role = cfg->role == LIGMEMIF_ROLE_MASTER ? LIG_MEMIF_ROLE_MASTER : LIG_MEMIF_ROLE_SLAVE;
	cc.mode = (uint8_t)cfg->mode;
	cc.id = cfg->id;
	snprintf(cc.secret, sizeof(cc.secret), "%s", cfg->secret ? cfg->secret : "");
	snprintf(cc.name, sizeof(cc.name), "%.32s", cfg->app_name ? cfg->app_name : "ligmemif");
	if (cfg->if_name)
		snprintf(cc.if_name, sizeof(cc.if_name), "%.32s", cfg->if_name);
	else
		snprintf(cc.if_name, sizeof(cc.if_name), "ligmemif%u", cfg->id);
	cc.n_s2m = (uint8_t)(cc.role == LIG_MEMIF_ROLE_SLAVE ? txq : rxq);
	cc.n_m2s = (uint8_t)(cc.role == LIG_MEMIF_ROLE_SLAVE ? rxq : txq);
	cc.log2_ring_size = (uint8_t)__builtin_ctz(ring);
	cc.buffer_size = bsize;
	lig_memif_conn_init(&m->conn, &cc);
	snprintf(m->path, sizeof(m->path), "%s", cfg->socket_path);
	m->rx_mode = cfg->rx_mode;
	m->fn = fn;
	m->ctx = ctx;
	m->listen_fd = m->pending_fd = -1;
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0)
		goto fail;
	if (cc.role == LIG_MEMIF_ROLE_MASTER) {
		int rv = lig_memif_listen(m->path, &m->listen_fd);
		if (rv < 0) {
			errno = -rv;
			goto fail;
		}
		ep_add(m, m->listen_fd, TAG_LISTEN);
	} else {
		slave_try(m);
	}
	return m;
fail:;
	int e = errno;
	if (m->epfd >= 0)
		close(m->epfd);
	free(m);
	errno = e;
	return NULL;
}

LIGMEMIF_API void
ligmemif_destroy(struct ligmemif *m)
{
	if (!m)
		return;
	drop_peer(m, "interface deleted", false);
	close_pending(m);
	if (m->listen_fd >= 0) {
		close(m->listen_fd);
		if (m->path[0] == '/')
			unlink(m->path);
	}
	close(m->epfd);
	free(m);
}

LIGMEMIF_API int
ligmemif_fd(const struct ligmemif *m)
{
	return m->epfd;
}

LIGMEMIF_API int
ligmemif_poll(struct ligmemif *m, int timeout_ms)
{
	struct epoll_event evs[16];
	uint64_t now = now_ns();
	int n_int = 0;

	/* Timers: slave reconnect, stuck handshakes, silent pending peers. */
	if (m->conn.state == LIG_MEMIF_STATE_HANDSHAKE &&
	    now - m->handshake_since > LIGMEMIF_HANDSHAKE_NS)
		drop_peer(m, "handshake timed out", true);
	if (m->pending_fd >= 0 && now - m->pending_since > LIGMEMIF_HANDSHAKE_NS)
		close_pending(m);
	if (m->conn.cfg.role == LIG_MEMIF_ROLE_SLAVE && m->conn.state == LIG_MEMIF_STATE_DOWN) {
		if (now >= m->next_retry)
			slave_try(m);
		if (m->conn.state == LIG_MEMIF_STATE_DOWN) {
			int left = (int)((m->next_retry - now) / 1000000) + 1;
			if (timeout_ms < 0 || timeout_ms > left)
				timeout_ms = left;
		}
	}
	if (m->conn.state == LIG_MEMIF_STATE_HANDSHAKE && (timeout_ms < 0 || timeout_ms > 100))
		timeout_ms = 100;

	int n = epoll_wait(m->epfd, evs, 16, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		uint32_t tag = evs[i].data.u32;
		switch (tag & 0xff) {
		case TAG_LISTEN:
			handle_accept(m);
			break;
		case TAG_PENDING:
			if (m->pending_fd >= 0)
				handle_pending(m);
			break;
		case TAG_CTL:
			if (m->conn.fd >= 0)
				handle_ctl(m);
			break;
		case TAG_RX_INT: {
			unsigned q = tag >> 8;
			uint64_t v;
			if (m->conn.state == LIG_MEMIF_STATE_CONNECTED &&
			    q < lig_memif_n_rx_queues(&m->conn) &&
			    read(lig_memif_rx_queue(&m->conn, q)->int_fd, &v, sizeof(v)) ==
				sizeof(v))
				n_int++;
			break;
		}
		}
	}
	return n_int;
}

LIGMEMIF_API bool
ligmemif_is_connected(const struct ligmemif *m)
{
	return m->conn.state == LIG_MEMIF_STATE_CONNECTED;
}

LIGMEMIF_API const char *
ligmemif_disconnect_reason(const struct ligmemif *m)
{
	return m->reason;
}

LIGMEMIF_API const char *
ligmemif_peer_name(const struct ligmemif *m)
{
	return m->conn.peer_name;
}

LIGMEMIF_API const char *
ligmemif_peer_if_name(const struct ligmemif *m)
{
	return m->conn.peer_if_name;
}

LIGMEMIF_API unsigned
ligmemif_rx_queues(const struct ligmemif *m)
{
	return ligmemif_is_connected(m) ? lig_memif_n_rx_queues(&m->conn) : 0;
}

LIGMEMIF_API unsigned
ligmemif_tx_queues(const struct ligmemif *m)
{
	return ligmemif_is_connected(m) ? lig_memif_n_tx_queues(&m->conn) : 0;
}

LIGMEMIF_API void
ligmemif_get_stats(const struct ligmemif *m, struct ligmemif_stats *s)
{
	*s = m->stats;
}

/* The rx or tx queue qid of a connected endpoint; NULL with *err = -ENOTCONN or
 * -EINVAL. */
static struct lig_memif_queue *
queue_of(struct ligmemif *m, uint16_t qid, bool rx, int *err)
{
	struct lig_memif_conn *c = &m->conn;

	if (c->state != LIG_MEMIF_STATE_CONNECTED) {
		*err = -ENOTCONN;
		return NULL;
	}
	if (qid >= (rx ? lig_memif_n_rx_queues(c) : lig_memif_n_tx_queues(c))) {
		*err = -EINVAL;
		return NULL;
	}
	return rx ? lig_memif_rx_queue(c, qid) : lig_memif_tx_queue(c, qid);
}

/* rx: slots ready on q, or -1 after dropping a peer whose index is more than a ring ahead
 * (or behind the `lent` slots already handed out). */
static int
rx_ready(struct ligmemif *m, struct lig_memif_queue *q, uint16_t lent)
{
	uint16_t ready = lig_memif_ring_rx_ready(&m->conn, q);

	if (ready > q->size || ready < lent) {
		drop_peer(m,
			  ready > q->size ? "rx ring index beyond ring size"
					  : "rx ring index moved back",
			  true);
		return -1;
	}
	return ready - lent;
}

/* rx: the frame at slot cur (n_slots ready from there), its descriptors checked into
 * descs, *total bytes over *used slots. Returns 1, 0 for a frame too long (skip *used
 * slots; counted as dropped), or -1 after dropping a peer that broke the ring. */
static int
rx_frame(struct ligmemif *m, struct lig_memif_queue *q, uint16_t cur, uint16_t n_slots,
	 struct lig_memif_desc *descs, uint32_t *total, uint32_t *used)
{
	struct lig_memif_conn *c = &m->conn;
	uint32_t max_len = lig_memif_is_master(c) ? LIG_MEMIF_MAX_BUFFER_SIZE : c->buffer_size;
	char why[96];
	int rv = lig_memif_chain_check(q->ring, q->mask, cur, n_slots, c->regions, c->n_regions,
				       max_len, descs, LIGMEMIF_MAX_CHAIN, total, used);

	if (rv == LIG_MEMIF_CHAIN_TOO_LONG) {
		m->stats.rx_dropped++;
		return 0;
	}
	if (rv < 0) {
		snprintf(why, sizeof(why), "rx: %s", lig_memif_desc_error_str(rv));
		drop_peer(m, why, true);
		return -1;
	}
	return 1;
}

/* rx: gives the slots before cur back to the peer; 0, or -1 after dropping a master
 * that moved head. */
static int
rx_release(struct ligmemif *m, struct lig_memif_queue *q, uint16_t cur)
{
	if (lig_memif_ring_rx_release(&m->conn, q, cur) < 0) {
		drop_peer(m, "rx ring head moved by the master", true);
		return -1;
	}
	return 0;
}

/* tx: slots free on q from q->last on, or -1 after dropping a peer whose index says
 * more than a ring. */
static int
tx_free(struct ligmemif *m, struct lig_memif_queue *q)
{
	uint16_t n_free = lig_memif_ring_tx_free(&m->conn, q);

	if (n_free > q->size) {
		drop_peer(m, "tx ring index beyond ring size", true);
		return -1;
	}
	return n_free;
}

/* tx: the buffer behind free slot `slot` into *d (lig_memif_ring_tx_slot); 0, or -1
 * after dropping a slave that posted a bad descriptor. */
static int
tx_slot(struct ligmemif *m, struct lig_memif_queue *q, uint16_t slot, struct lig_memif_desc *d)
{
	char why[96];
	int rv = lig_memif_ring_tx_slot(&m->conn, q, slot, d);

	if (rv < 0) {
		snprintf(why, sizeof(why), "tx: %s", lig_memif_desc_error_str(rv));
		drop_peer(m, why, true);
		return -1;
	}
	return 0;
}

LIGMEMIF_API int
ligmemif_rx_burst(struct ligmemif *m, uint16_t qid, struct ligmemif_pkt *pkts, uint16_t n)
{
	struct lig_memif_conn *c = &m->conn;
	struct lig_memif_desc descs[LIGMEMIF_MAX_CHAIN];
	int err, got = 0;
	struct lig_memif_queue *q = queue_of(m, qid, true, &err);

	if (!q)
		return err;
	if (m->rx_lent[qid])
		return -EBUSY;
	int ready = rx_ready(m, q, 0);
	if (ready < 0)
		return -ENOTCONN;
	uint16_t cur = q->last, n_slots = (uint16_t)ready;
	while (n_slots && got < n) {
		uint32_t total, used;
		int rv = rx_frame(m, q, cur, n_slots, descs, &total, &used);
		if (rv < 0)
			return got ? got : -ENOTCONN;
		if (rv > 0 && total > pkts[got].size) {
			m->stats.rx_dropped++;
		} else if (rv > 0) {
			uint8_t *dst = pkts[got].data;
			for (uint32_t i = 0; i < used; i++) {
				memcpy(dst, c->regions[descs[i].region].base + descs[i].offset,
				       descs[i].length);
				dst += descs[i].length;
			}
			pkts[got].len = total;
			m->stats.rx_bytes += total;
			got++;
		}
		cur = (uint16_t)(cur + used);
		n_slots = (uint16_t)(n_slots - used);
	}
	if (rx_release(m, q, cur) < 0)
		return got ? got : -ENOTCONN;
	m->stats.rx_packets += (uint64_t)got;
	return got;
}

LIGMEMIF_API int
ligmemif_tx_burst(struct ligmemif *m, uint16_t qid, const struct ligmemif_pkt *pkts, uint16_t n)
{
	struct lig_memif_conn *c = &m->conn;
	int err, done = 0;
	struct lig_memif_queue *q = queue_of(m, qid, false, &err);

	if (!q)
		return err;
	m->tx_lent[qid] = 0;
	int free_slots = tx_free(m, q);
	if (free_slots < 0)
		return -ENOTCONN;
	struct lig_memif_ring *ring = q->ring;
	uint16_t slot = q->last, n_free = (uint16_t)free_slots;
	for (; done < n; done++) {
		const uint8_t *src = pkts[done].data;
		uint32_t left = pkts[done].len;
		uint16_t start = slot, avail = n_free;
		bool fits = true;

		if (left > LIG_MEMIF_MAX_PACKET)
			break;
		do {
			struct lig_memif_desc d;
			uint16_t s = slot & q->mask;
			if (avail == 0) {
				fits = false;
				break;
			}
			if (tx_slot(m, q, slot, &d) < 0)
				return done; /* nothing of this packet was published */
			uint32_t k = left < d.length ? left : d.length;
			memcpy(c->regions[d.region].base + d.offset, src, k);
			src += k;
			left -= k;
			ring->desc[s].length = k;
			ring->desc[s].flags = left ? LIG_MEMIF_DESC_FLAG_NEXT : 0;
			slot++;
			avail--;
		} while (left);
		if (!fits) {
			slot = start;
			break;
		}
		n_free = avail;
		m->stats.tx_bytes += pkts[done].len;
	}
	lig_memif_ring_tx_publish(c, q, slot);
	m->stats.tx_packets += (uint64_t)done;
	return done;
}

LIGMEMIF_API int
ligmemif_rx_peek(struct ligmemif *m, uint16_t qid, struct ligmemif_buf *bufs, uint16_t n)
{
	struct lig_memif_conn *c = &m->conn;
	struct lig_memif_desc descs[LIGMEMIF_MAX_CHAIN];
	int err, filled = 0, frames = 0;
	struct lig_memif_queue *q = queue_of(m, qid, true, &err);

	if (!q)
		return err;
	uint16_t lent = m->rx_lent[qid];
	int ready = rx_ready(m, q, lent);
	if (ready < 0)
		return -ENOTCONN;
	uint16_t cur = (uint16_t)(q->last + lent), n_slots = (uint16_t)ready;
	while (n_slots && n) {
		uint32_t total, used;
		int rv = rx_frame(m, q, cur, n_slots, descs, &total, &used);
		if (rv < 0)
			return -ENOTCONN;
		if (rv > 0 && used > (uint32_t)(n - filled)) {
			if (filled)
				break;	       /* for the next call */
			m->stats.rx_dropped++; /* never fits: skipped, freed on release */
		} else if (rv > 0) {
			for (uint32_t i = 0; i < used; i++)
				bufs[filled++] = (struct ligmemif_buf){
				    .data = c->regions[descs[i].region].base + descs[i].offset,
				    .len = descs[i].length,
				    .size = descs[i].length,
				    .flags = i + 1 < used ? LIGMEMIF_BUF_NEXT : 0};
			m->stats.rx_bytes += total;
			frames++;
		}
		cur = (uint16_t)(cur + used);
		n_slots = (uint16_t)(n_slots - used);
	}
	m->rx_lent[qid] = (uint16_t)(cur - q->last);
	m->stats.rx_packets += (uint64_t)frames;
	return filled;
}

LIGMEMIF_API int
ligmemif_rx_release(struct ligmemif *m, uint16_t qid)
{
	int err;
	struct lig_memif_queue *q = queue_of(m, qid, true, &err);

	if (!q)
		return err;
	uint16_t cur = (uint16_t)(q->last + m->rx_lent[qid]);
	m->rx_lent[qid] = 0;
	return rx_release(m, q, cur) < 0 ? -ENOTCONN : 0;
}

LIGMEMIF_API int
ligmemif_tx_alloc(struct ligmemif *m, uint16_t qid, struct ligmemif_buf *bufs, uint16_t n)
{
	struct lig_memif_conn *c = &m->conn;
	int err, got = 0;
	struct lig_memif_queue *q = queue_of(m, qid, false, &err);

	if (!q)
		return err;
	int n_free = tx_free(m, q);
	if (n_free < 0)
		return -ENOTCONN;
	uint16_t lent = m->tx_lent[qid];
	for (uint16_t slot = (uint16_t)(q->last + lent); got < n && lent + got < n_free; slot++) {
		struct lig_memif_desc d;
		if (tx_slot(m, q, slot, &d) < 0)
			return -ENOTCONN;
		bufs[got++] = (struct ligmemif_buf){.data = c->regions[d.region].base + d.offset,
						    .size = d.length};
	}
	m->tx_lent[qid] = (uint16_t)(lent + got);
	return got;
}

LIGMEMIF_API int
ligmemif_tx_commit(struct ligmemif *m, uint16_t qid, const struct ligmemif_buf *bufs, uint16_t n)
{
	int err;
	struct lig_memif_queue *q = queue_of(m, qid, false, &err);

	if (!q)
		return err;
	if (n > m->tx_lent[qid] || (n && (bufs[n - 1].flags & LIGMEMIF_BUF_NEXT)))
		return -EINVAL;
	uint32_t frame_len = 0;
	for (uint16_t i = 0; i < n; i++) {
		if (bufs[i].len > bufs[i].size || bufs[i].len > LIG_MEMIF_MAX_BUFFER_SIZE ||
		    frame_len + bufs[i].len > LIG_MEMIF_MAX_PACKET)
			return -EINVAL;
		frame_len = (bufs[i].flags & LIGMEMIF_BUF_NEXT) ? frame_len + bufs[i].len : 0;
	}
	int frames = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct lig_memif_desc *d = &q->ring->desc[(q->last + i) & q->mask];
		bool more = bufs[i].flags & LIGMEMIF_BUF_NEXT;
		frame_len += bufs[i].len;
		d->length = bufs[i].len;
		d->flags = more ? LIG_MEMIF_DESC_FLAG_NEXT : 0;
		if (!more) {
			m->stats.tx_bytes += frame_len;
			frame_len = 0;
			frames++;
		}
	}
	m->tx_lent[qid] = 0;
	lig_memif_ring_tx_publish(&m->conn, q, (uint16_t)(q->last + n));
	m->stats.tx_packets += (uint64_t)frames;
	return frames;
}

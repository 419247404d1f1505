/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One memif connection's control plane, shared by ligd and libligmemif: the unix-socket
 * handshake for either role, the slave's memfd region and rings, the master's checked
 * mapping of the slave's regions, and teardown. It never logs: every failure leaves a
 * one-line reason in conn->reason for the caller to log, count and show. It owns no
 * event loop either: the caller watches conn->fd and calls lig_memif_conn_handle().
 */
#ifndef LIG_MEMIF_CONN_H
#define LIG_MEMIF_CONN_H

#include "memif_proto.h"

enum lig_memif_role {
	LIG_MEMIF_ROLE_MASTER = 0,
	LIG_MEMIF_ROLE_SLAVE = 1,
};

enum lig_memif_state {
	LIG_MEMIF_STATE_DOWN = 0,
	LIG_MEMIF_STATE_HANDSHAKE,
	LIG_MEMIF_STATE_CONNECTED,
};

enum lig_memif_event {
	LIG_MEMIF_EV_NONE = 0,
	LIG_MEMIF_EV_CONNECTED,
	LIG_MEMIF_EV_DISCONNECTED, /* torn down; reason and peer_fault say why */
};

struct lig_memif_conn_config {
	uint8_t role; /* enum lig_memif_role */
	uint8_t mode; /* enum lig_memif_mode */
	uint32_t id;
	char secret[LIG_MEMIF_SECRET_SIZE + 1];
	char name[LIG_MEMIF_NAME_SIZE + 1];    /* application name, sent in HELLO/INIT */
	char if_name[LIG_MEMIF_NAME_SIZE + 1]; /* sent in CONNECT/CONNECTED */
	/* Slave: what it asks for (the master's HELLO may lower it). Master: unused, the
	 * slave decides. */
	uint8_t n_s2m;
	uint8_t n_m2s;
	uint8_t log2_ring_size;
	uint32_t buffer_size;
	/* Slave, zero-copy: besides region 0 (the rings, and no buffers), region 1 is the
	 * caller's own memory (zc_fd: a sealed memfd of zc_size bytes mapped at zc_base, its
	 * packet buffers). The caller posts the rx slots itself once connected (descriptors
	 * into region 1) and transmits its buffers in place. The conn sends a dup of zc_fd
	 * and never unmaps zc_base. */
	uint8_t zero_copy;
	int zc_fd;
	uint8_t *zc_base;
	uint64_t zc_size;
};

struct lig_memif_queue {
	struct lig_memif_ring *ring;
	uint16_t size;
	uint16_t mask;
	uint16_t last; /* datapath: next slot this side consumes or produces */
	uint8_t log2;
	uint8_t present; /* master: seen in ADD_RING */
	int int_fd;	 /* eventfd: the producer writes, the consumer drains */
	uint16_t region; /* where the ring lives (ADD_RING) */
	uint32_t offset;
	uint32_t buf_offset; /* slave: region-0 offset of slot 0's buffer */
	/* Datapath statistics. */
	uint64_t packets;
	uint64_t bytes;
	uint64_t interrupts; /* eventfd writes (tx) or wakeups (rx) */
};

struct lig_memif_conn {
	struct lig_memif_conn_config cfg;
	int fd; /* control socket, -1 when down */
	uint8_t state;
	uint8_t peer_fault; /* the last disconnect was the peer's doing (bad message...) */
	uint16_t tx_step;   /* slave: handshake messages sent after INIT */
	uint16_t n_regions;
	uint8_t n_s2m;
	uint8_t n_m2s;
	uint32_t buffer_size; /* slave: ours; master: 0 (slave buffers, bounded by regions) */
	struct lig_memif_region_map regions[LIG_MEMIF_MAX_REGIONS];
	int region_fds[LIG_MEMIF_MAX_REGIONS];
	struct lig_memif_queue s2m[LIG_MEMIF_MAX_QUEUES];
	struct lig_memif_queue m2s[LIG_MEMIF_MAX_QUEUES];
	char peer_name[LIG_MEMIF_NAME_SIZE + 1];
	char peer_if_name[LIG_MEMIF_NAME_SIZE + 1];
	char reason[160]; /* why the last disconnect (or failed handshake) happened */
};

/* Resets conn to DOWN with this configuration (nothing to free yet). */
void lig_memif_conn_init(struct lig_memif_conn *conn, const struct lig_memif_conn_config *cfg);

/* Slave: connects to the master's socket (path, or "@name" for an abstract socket) and
 * waits for HELLO. Returns 0 or -errno (reason set); on error conn stays DOWN. */
int lig_memif_conn_slave_connect(struct lig_memif_conn *conn, const char *path);

/* Master: takes over fd (accepted, HELLO sent, INIT received as *init) once it checked
 * the INIT against its configuration (mode, secret); ACKs it. On error it sends
 * DISCONNECT, sets reason and returns -errno; the caller keeps and closes fd. */
int lig_memif_conn_master_accept(struct lig_memif_conn *conn, int fd,
				 const struct lig_memif_msg *init);

/* Reads and handles every pending control message. Returns enum lig_memif_event. */
int lig_memif_conn_handle(struct lig_memif_conn *conn);

/* Tears the connection down: sends DISCONNECT with reason (if the socket is open),
 * unmaps regions, closes every fd, state DOWN. reason NULL keeps conn->reason. */
void lig_memif_conn_disconnect(struct lig_memif_conn *conn, const char *reason, bool peer_fault);

/* Listener side (one socket serves every master interface with that path). */
/* Creates a SOCK_SEQPACKET listener at path (mode 0660 via umask, parent directory
 * created 0750); a stale socket file is replaced, a live one is -EADDRINUSE. */
int lig_memif_listen(const char *path, int *fd);
/* Accepts one slave and sends it HELLO; returns 0 with *fd or -errno. */
int lig_memif_accept(int listen_fd, const char *app_name, int *fd);
/* Receives one message: 0 with *m (and *rx_fd or -1), -EAGAIN, -ECONNRESET on EOF,
 * or -EBADMSG with err set (any received fd is closed). */
int lig_memif_recv(int fd, struct lig_memif_msg *m, int *rx_fd, char *err, size_t err_size);
/* Sends one message with an optional fd (-1 for none); returns 0 or -errno. */
int lig_memif_send(int fd, const struct lig_memif_msg *m, int pass_fd);
/* Sends DISCONNECT with reason (best effort). */
void lig_memif_send_disconnect(int fd, const char *reason);

/* Rings as each role sees them. */
static inline struct lig_memif_queue *
lig_memif_rx_queue(struct lig_memif_conn *c, unsigned q)
{
	return c->cfg.role == LIG_MEMIF_ROLE_MASTER ? &c->s2m[q] : &c->m2s[q];
}

static inline struct lig_memif_queue *
lig_memif_tx_queue(struct lig_memif_conn *c, unsigned q)
{
	return c->cfg.role == LIG_MEMIF_ROLE_MASTER ? &c->m2s[q] : &c->s2m[q];
}

static inline unsigned
lig_memif_n_rx_queues(const struct lig_memif_conn *c)
{
	return c->cfg.role == LIG_MEMIF_ROLE_MASTER ? c->n_s2m : c->n_m2s;
}

static inline unsigned
lig_memif_n_tx_queues(const struct lig_memif_conn *c)
{
	return c->cfg.role == LIG_MEMIF_ROLE_MASTER ? c->n_m2s : c->n_s2m;
}

/* Index access with the barriers the ring discipline needs. */
static inline uint16_t
lig_memif_load_acquire(const volatile uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
lig_memif_store_release(volatile uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libligmemif: speak memif (protocol v2, wire-compatible with libmemif, DPDK net_memif
 * and ligd) from any C program, as master or slave. One struct ligmemif is one memif
 * interface. The library owns no thread: the application calls ligmemif_poll() (or
 * watches ligmemif_fd() in its own epoll/poll loop and then calls ligmemif_poll(m, 0)),
 * and moves packet bursts with ligmemif_rx_burst()/ligmemif_tx_burst(), which copy
 * between the caller's buffers and the shared memory, or in place (no copy, as libmemif's
 * own bursts) with ligmemif_rx_peek()/ligmemif_rx_release() and
 * ligmemif_tx_alloc()/ligmemif_tx_commit(). Every value the peer writes is
 * checked before use; a misbehaving peer is disconnected (LIGMEMIF_EVENT_DISCONNECTED
 * with ligmemif_disconnect_reason()), never trusted. Not thread-safe: use one struct
 * ligmemif from one thread at a time.
 */
#ifndef LIGMEMIF_H
#define LIGMEMIF_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIGMEMIF_ROLE_MASTER 0
#define LIGMEMIF_ROLE_SLAVE 1

#define LIGMEMIF_MODE_ETHERNET 0
#define LIGMEMIF_MODE_IP 1

#define LIGMEMIF_RX_INTERRUPT 0 /* the peer signals an eventfd; ligmemif_poll() sleeps */
#define LIGMEMIF_RX_POLLING 1	/* the peer does not signal; the application busy-polls */

struct ligmemif_config {
	const char *socket_path; /* required; "@name" is an abstract socket */
	int role;		 /* LIGMEMIF_ROLE_* */
	uint32_t id;		 /* interface id on that socket */
	const char *secret;	 /* up to 24 characters; NULL: none */
	const char *app_name;	 /* sent to the peer; NULL: "ligmemif" */
	const char *if_name;	 /* sent to the peer; NULL: "ligmemif<id>" */
	int mode;		 /* LIGMEMIF_MODE_*; both sides must agree */
	uint8_t rx_queues;	 /* 0: 1; a slave asks, a master accepts what the slave asks */
	uint8_t tx_queues;	 /* 0: 1 */
	uint16_t ring_size;	 /* slave: slots per ring, power of two; 0: 1024 */
	uint32_t buffer_size;	 /* slave: bytes per slot; 0: 2048 */
	int rx_mode;		 /* LIGMEMIF_RX_* */
};

enum ligmemif_event {
	LIGMEMIF_EVENT_CONNECTED = 1,
	LIGMEMIF_EVENT_DISCONNECTED = 2,
};

struct ligmemif;

/* Called from ligmemif_poll() when the connection comes up or goes down. */
typedef void ligmemif_event_fn(struct ligmemif *m, enum ligmemif_event event, void *ctx);

/* Creates the endpoint: a master listens on socket_path (socket file mode 0660), a slave
 * connects (and reconnects every 500 ms while down). Returns NULL with errno on error
 * (EINVAL bad config, EADDRINUSE another process listens on the path). */
struct ligmemif *ligmemif_create(const struct ligmemif_config *cfg, ligmemif_event_fn *fn,
				 void *ctx);

/* Disconnects the peer (telling it why), unmaps memory, closes every fd, removes a
 * master's socket file and frees m. Accepts NULL. */
void ligmemif_destroy(struct ligmemif *m);

/* An fd (epoll) that becomes readable when ligmemif_poll() has work: control messages,
 * a peer connecting, or rx interrupts. The library keeps ownership. */
int ligmemif_fd(const struct ligmemif *m);

/* Handles control events and waits up to timeout_ms (0: don't wait, -1: forever, but a
 * disconnected slave still wakes to reconnect) for something to do. Returns the number
 * of rx interrupts seen (> 0: rx rings may hold packets), 0, or -errno. */
int ligmemif_poll(struct ligmemif *m, int timeout_ms);

bool ligmemif_is_connected(const struct ligmemif *m);
/* Why the last connection ended or failed ("" if none); the library keeps ownership. */
const char *ligmemif_disconnect_reason(const struct ligmemif *m);
/* Application and interface names the peer announced. */
const char *ligmemif_peer_name(const struct ligmemif *m);
const char *ligmemif_peer_if_name(const struct ligmemif *m);
/* Queues in use on the current connection (0 when down). */
unsigned ligmemif_rx_queues(const struct ligmemif *m);
unsigned ligmemif_tx_queues(const struct ligmemif *m);

/* One packet in the caller's memory. rx: data and size (capacity) are the caller's,
 * the library sets len. tx: data and len are the caller's. */
struct ligmemif_pkt {
	void *data;
	uint32_t len;
	uint32_t size;
};

/* Copies up to n packets from rx queue qid into pkts[] (a packet longer than its
 * pkts[i].size is dropped and counted); returns how many, or -ENOTCONN / -EINVAL. */
int ligmemif_rx_burst(struct ligmemif *m, uint16_t qid, struct ligmemif_pkt *pkts, uint16_t n);

/* Copies up to n packets into tx queue qid (chaining descriptors for packets larger than
 * one peer buffer) and signals the peer once if it wants interrupts; returns how many
 * fitted (the rest: the ring is full, retry later), or -ENOTCONN / -EINVAL. */
int ligmemif_tx_burst(struct ligmemif *m, uint16_t qid, const struct ligmemif_pkt *pkts,
		      uint16_t n);

/*
 * In place: one ring slot's buffer in the shared memory, lent to the application. A frame
 * larger than one slot spans several, each but the last with LIGMEMIF_BUF_NEXT.
 * The peer maps the same memory and, if it misbehaves, can write it at any time: the
 * library checked where data points (always inside the mapped regions, size bytes), not
 * what it holds, so copy what you parse before you trust it. A disconnect unmaps the
 * memory: the buffers are valid only until a call reports -ENOTCONN or
 * ligmemif_poll() runs, and until they are released or committed.
 */
#define LIGMEMIF_BUF_NEXT 1u

struct ligmemif_buf {
	void *data;
	uint32_t len;	/* rx: bytes in this slot; tx: bytes the application wrote at data */
	uint32_t size;	/* room at data (rx: len) */
	uint32_t flags; /* LIGMEMIF_BUF_NEXT */
};

/* Lends the slots of up to n whole frames' worth of buffers of rx queue qid (a frame
 * never straddles two calls; one over 65535 bytes, or of more slots than n, is skipped
 * and counted as dropped when it would come first). Repeated calls go on after the
 * slots already lent. Returns the number of bufs filled, 0, or -ENOTCONN / -EINVAL. */
int ligmemif_rx_peek(struct ligmemif *m, uint16_t qid, struct ligmemif_buf *bufs, uint16_t n);

/* Gives every slot lent by ligmemif_rx_peek() on qid back to the peer; 0 or -ENOTCONN /
 * -EINVAL. Until then, ligmemif_rx_burst() on qid returns -EBUSY. */
int ligmemif_rx_release(struct ligmemif *m, uint16_t qid);

/* Lends up to n free slots of tx queue qid to fill: data and size set, len 0, flags 0.
 * Repeated calls go on after the slots already lent. Returns how many (0: the ring is
 * full), or -ENOTCONN / -EINVAL. */
int ligmemif_tx_alloc(struct ligmemif *m, uint16_t qid, struct ligmemif_buf *bufs, uint16_t n);

/* Sends the first n slots lent by ligmemif_tx_alloc() on qid, in the order lent, with the
 * len and LIGMEMIF_BUF_NEXT the application set in bufs[0..n-1] (each len <= size; the
 * last one without NEXT); slots lent after them are taken back. Signals the peer once if
 * it wants interrupts. Returns the number of frames sent, or -EINVAL (nothing sent: more
 * than lent, a len over its size, a frame left open) / -ENOTCONN. ligmemif_tx_burst()
 * on qid takes back whatever is lent and not committed. */
int ligmemif_tx_commit(struct ligmemif *m, uint16_t qid, const struct ligmemif_buf *bufs,
		       uint16_t n);

struct ligmemif_stats {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t rx_dropped; /* longer than the caller's buffer, or over 65535 bytes */
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t connects;
	uint64_t disconnects;
	uint64_t peer_errors; /* disconnects caused by the peer breaking the protocol */
};

void ligmemif_get_stats(const struct ligmemif *m, struct ligmemif_stats *s);

#ifdef __cplusplus
}
#endif

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd's memif driver: memif sockets (one listener per path for master interfaces),
 * memif interfaces memif<socket-id>/<id> of either role, and the operations every
 * front end calls. Control in memif.c (the functions below; they depend on neither API
 * nor CLI), datapath (memif-input, memif-tx) in node.c, API handlers in api.c (messages
 * in api.h), CLI in cli.c (a front end of the handlers); the wire protocol and handshake
 * are memif_proto.c/memif_conn.c, shared with libligmemif.
 */
#ifndef LIG_MEMIF_H
#define LIG_MEMIF_H

#include "../infra/copy.h"
#include "../infra/lig_common.h"
#include "../infra/lock.h"
#include "../interface/interface.h"
#include "../vlib/buffer.h"
#include "memif_conn.h"

#define LIG_MEMIF_MAX_SOCKETS 256
#define LIG_MEMIF_MAX_IFS 1024
#define LIG_MEMIF_MAX_PENDING 16
/* A handshake that has not completed in this time is dropped (a stuck or hostile peer
 * must not hold an interface). */
#define LIG_MEMIF_HANDSHAKE_TIMEOUT_NS (3ull * 1000000000ull)
/* A slave whose master's socket is not there (or not listening yet, or whose master refuses
 * it: its interface not created yet) retries after 1 ms, doubling to 16 ms for its first
 * second of waiting, then doubling up to LIG_MEMIF_RECONNECT_NS; and when the socket's
 * directory can be watched (inotify), it tries again the moment a file of that name appears
 * there. */
#define LIG_MEMIF_RECONNECT_NS (500ull * 1000000ull)
#define LIG_MEMIF_RECONNECT_FIRST_NS (1000000ull)
#define LIG_MEMIF_RECONNECT_FAST_NS (16ull * 1000000ull)
#define LIG_MEMIF_RECONNECT_FAST_FOR_NS (1000ull * 1000000ull)

enum lig_memif_rx_mode {
	LIG_MEMIF_RX_MODE_POLLING,   /* peer never signals; its thread polls (wakes every 100 us
				      * when idle) */
	LIG_MEMIF_RX_MODE_INTERRUPT, /* peer signals every burst */
	LIG_MEMIF_RX_MODE_ADAPTIVE,  /* signals only while ligd's ring is idle */
};

struct lig_memif_watch; /* memif.c: an fd ligd watches for memif */

struct lig_memif_pending {
	struct lig_memif_watch *watch; /* accepted, waiting for INIT */
};

struct lig_memif_socket {
	u32 id;
	u8 used;
	char path[108];
	int listen_fd; /* -1 unless a master interface uses it */
	struct lig_memif_watch *listen_watch;
	u32 n_masters;
	u32 n_slaves;
	struct lig_memif_pending pending[LIG_MEMIF_MAX_PENDING];
	int dir_wd; /* inotify watch of the path's directory, 0 when none */
};

/* Why a peer was disconnected, counted per interface. */
struct lig_memif_if_counters {
	u64 connects;
	u64 disconnects;
	u64 peer_errors;  /* bad control message, secret, region, ring or descriptor */
	u64 bad_desc;	  /* of which: a bad descriptor in the datapath */
	u64 tx_ring_full; /* packets dropped because the peer's ring had no room */
	u64 rx_no_buffer; /* slots left for later because the buffer pool ran dry */
	u64 rx_too_long;  /* packets over LIG_MEMIF_MAX_PACKET dropped */
};

/*
 * Threads: each rx queue is polled by the one thread it is placed on (interface/rx_queue.h),
 * so an rx ring, its adaptive state and its statistics have one writer. Each thread
 * transmits on tx queue (worker index % tx queues), main (under the barrier) on queue 0; a
 * tx queue that more than one worker uses (more workers than tx queues) is taken with its
 * tx_lock. The counters below are shared by all threads and added to atomically (they
 * count faults, not packets). peer_error_pending is claimed atomically by the first
 * thread to find a fault, which also writes pending_reason and asks main to disconnect.
 */
struct lig_memif_if {
	/* Datapath fields first. */
	struct lig_memif_conn conn;
	u32 sw_if_index;
	u8 rx_mode;
	u8 mode;	       /* enum lig_memif_mode */
	u8 peer_error_pending; /* datapath found a bad value: control plane disconnects */
	u8 in_active;
	/* Published to the workers (set and cleared under the barrier): memif-tx uses the
	 * rings only while it is set, whatever the handshake is doing. */
	u8 tx_ready;
	u8 tx_shared; /* more workers than tx queues: tx queues are taken with tx_lock */
	/* Zero-copy slave (slave only): ligd's buffer pool is the peer's region 1. Each ring
	 * slot's buffer index: rx, the buffer posted for the master to fill; tx, the packet
	 * whose last buffer is in that slot (freed once the master has read it), or
	 * LIG_INVALID_INDEX. The descriptors in shared memory are written by ligd and never
	 * trusted back: only lengths and flags are read from them. */
	u8 zero_copy;
	u32 *zc_slots[2][LIG_MEMIF_MAX_QUEUES]; /* [LIG_RX] by rx queue, [LIG_TX] by tx queue */
	u16 zc_n_slots[2][LIG_MEMIF_MAX_QUEUES];
	u16 zc_reclaim[LIG_MEMIF_MAX_QUEUES]; /* tx: the next slot to give back */
	u16 zc_rx_head[LIG_MEMIF_MAX_QUEUES]; /* rx: the head ligd last wrote (never read back) */
	u32 zc_reserved;		      /* buffers its rings can hold (lig_memif_zc_start) */
	u32 adaptive_idle[LIG_MEMIF_MAX_QUEUES];
	struct lig_spinlock tx_lock[LIG_MEMIF_MAX_QUEUES];
	/* By tx queue: cached or streaming stores into the peer's slots (infra/copy.h),
	 * written by the queue's thread, reset at connect. */
	struct lig_copy_choice tx_copy[LIG_MEMIF_MAX_QUEUES];
	struct lig_memif_if_counters counters;
	/* Control plane. */
	u32 id;
	u32 socket_id;
	u32 index;			 /* in lig_memif_main.ifs */
	int rx_fd[LIG_MEMIF_MAX_QUEUES]; /* dups of the rx eventfds its thread watches */
	u64 handshake_start_ns;
	u64 last_connect_attempt_ns;
	u64 next_connect_ns;	  /* slave, down: the next attempt */
	u64 reconnect_backoff_ns; /* slave: 0 when not waiting, else the last wait */
	u64 wait_start_ns;	  /* slave: the first attempt of this wait */
	char pending_reason[160];
	u8 hw_addr[6];
	/* Configured (the handshake may lower them). */
	u8 cfg_rx_queues;
	u8 cfg_tx_queues;
};

struct lig_memif_main {
	struct lig_memif_socket sockets[LIG_MEMIF_MAX_SOCKETS];
	struct lig_memif_if *ifs[LIG_MEMIF_MAX_IFS];
	/* Connected interfaces, dense (memif-input polls the rx queues placed on its
	 * thread: interface/rx_queue.h). */
	struct lig_memif_if *active[LIG_MEMIF_MAX_IFS];
	u32 n_active;
	int timer;
	/* Slaves waiting for their master: a one-shot timerfd armed for the earliest retry,
	 * and one inotify fd with a watch per directory of a missing socket. */
	int retry_fd;
	struct lig_fd_watch *retry_w;
	u64 retry_armed_ns; /* 0: not armed */
	int inotify_fd;
	struct lig_fd_watch *inotify_w;
	u64 inotify_wakeups; /* slaves tried because their socket appeared */
	/* How memif-tx copies frames of LIG_COPY_STREAM_MIN bytes or more into the peer's
	 * slots: enum lig_copy_stores (infra/copy.h), startup memif { tx-stores }. */
	u8 tx_stores;
};

extern struct lig_memif_main lig_memif_main;

struct lig_memif_create_args {
	u32 id;
	u32 socket_id;
	u8 role;      /* enum lig_memif_role */
	u8 mode;      /* enum lig_memif_mode */
	u8 rx_queues; /* 1..LIG_MEMIF_MAX_QUEUES */
	u8 tx_queues;
	u8 log2_ring_size; /* 1..LIG_MEMIF_MAX_LOG2_RING */
	u32 buffer_size;
	bool have_hw_addr;
	u8 hw_addr[6];
	char secret[LIG_MEMIF_SECRET_SIZE + 1];
	/* Slave only: export ligd's buffer pool as a region so the master copies straight
	 * into and out of ligd's buffers (one copy less). The peer can then read and write
	 * every packet buffer of ligd: only for a peer trusted as much as ligd itself. */
	bool zero_copy;
};

/* Fills a with the defaults (id 0, socket 0, master, ethernet, 1 queue each way,
 * 1024 slots of 2048 bytes). */
void lig_memif_create_args_default(struct lig_memif_create_args *a);

/* Sockets: id 0 is the default <runtime dir>/memif.sock and always exists. Returns 0 or
 * -EEXIST (id or path taken), -EINVAL (bad id or path), -ENAMETOOLONG, -ENOENT (delete of
 * a socket that does not exist), -EBUSY (delete of a socket in use). */
int lig_memif_socket_create(u32 id, const char *path);
int lig_memif_socket_delete(u32 id);
/* The socket with this id, or NULL (socket 0 is set up on first use). */
struct lig_memif_socket *lig_memif_socket_get(u32 id);

/* Creates memif<socket-id>/<id>; returns 0 with *sw_if_index or -errno (EEXIST: id
 * taken on that socket, ENOENT: no such socket, EINVAL: bad argument or role mix on one
 * socket, or zero-copy asked of a master or in ip mode; EADDRINUSE: another process listens
 * on the socket path; EOPNOTSUPP: zero-copy without a shareable buffer pool). Main; takes
 * the barrier itself, only to add the interface (its listener is set up before). */
int lig_memif_create_if(const struct lig_memif_create_args *a, u32 *sw_if_index);
/* Deletes a memif interface (disconnecting its peer); -ENOENT if it is not one. */
int lig_memif_delete_if(u32 sw_if_index);
/* Changes how memif-input learns of packets on the interface (the connection stays up).
 * 0, -ENOENT (not a memif interface) or -EINVAL (no such mode). */
int lig_memif_set_rx_mode(u32 sw_if_index, enum lig_memif_rx_mode mode);
/* The memif interface sw_if_index, or NULL if it is no memif interface. */
struct lig_memif_if *lig_memif_if_by_sw(u32 sw_if_index);

/* One "key value" line of the startup file's memif section (before any interface
 * exists): 0, or -EINVAL with msg. Keys: tx-stores auto|cached|streaming. */
int lig_memif_config_apply(const char *key, const char *value, char *msg, size_t msg_size);

/* Names for show and logs ("?" for a value out of range). */
const char *lig_memif_rx_mode_name(u32 rx_mode);     /* polling, interrupt, adaptive */
const char *lig_memif_mode_name(u32 mode);	     /* ethernet, ip, punt-inject */
const char *lig_memif_state_name(u32 state);	     /* down, connecting, connected */
const char *lig_memif_tx_stores_name(u32 tx_stores); /* auto, cached, streaming */

/*
 * Connection changes, told to one listener (the API module, which sends memif_event):
 * connected true once a peer completed the handshake; false when a connection that was
 * up went down, mif->conn.reason saying why and mif->conn.peer_fault whose fault it was.
 * A handshake that fails before connecting is not reported (it is counted and logged).
 * Called on ligd's thread from the control plane, never from a node; when the interface
 * is being deleted its table entry is already gone (lig_if_get() is NULL). The listener
 * must not create or delete memif interfaces. NULL: no listener.
 */
typedef void(lig_memif_state_fn_t)(const struct lig_memif_if *mif, bool connected);
void lig_memif_set_state_listener(lig_memif_state_fn_t *fn);

/* Called by the control plane (never inside a node) to drop a peer. */
void lig_memif_if_disconnect(struct lig_memif_if *mif, const char *reason, bool peer_fault);
/* Datapath, any thread, once it stopped using mif: has main disconnect an interface whose
 * peer_error_pending it set (right away on main; a worker asks main). */
void lig_memif_request_disconnect(struct lig_memif_if *mif);

/* Datapath (node.c): adds memif-input's arc to ip4-input (mode ip); called by the memif
 * module's init. Returns 0. */
int lig_memif_node_init(void);
/* Datapath (node.c): applies the rx mode's MASK_INT flags on a connected interface. */
void lig_memif_apply_rx_mode(struct lig_memif_if *mif);
/* Frees watches torn down since the last call; main's loop calls it after every batch of
 * fd callbacks. */
void lig_memif_reap_pending(void);
/* Zero-copy (memif.c): posts a buffer in every rx slot of a connected zero-copy
 * interface (main, at connect; 0, -ENOMEM, -ENOBUFS, or -ENOSPC when its rings could
 * hold more than 1/LIG_MEMIF_ZC_POOL_SHARE of the buffer pool together with the other
 * zero-copy interfaces' rings), and gives back every buffer its rings hold (at
 * disconnect). */
#define LIG_MEMIF_ZC_POOL_SHARE 2
int lig_memif_zc_start(struct lig_memif_if *mif);
void lig_memif_zc_stop(struct lig_memif_if *mif);
/* The region-1 offset of byte `offset` (relative to data[], as current_data) of buffer bi. */
static inline u32
lig_memif_zc_offset(u32 bi, i32 offset)
{
	return (u32)((u64)bi * lig_buffer_pool.stride + offsetof(struct lig_buffer, data) +
		     (i64)offset);
}
/* Datapath (node.c): gives every thread's rx buffer reserve back to the pool. Main, with
 * no memif interface left: a worker touches its reserve only to poll one. */
void lig_memif_release_buffers(void);
/* Datapath (node.c): the drain of an rx eventfd, on the thread polling its queue; ctx is
 * the fd. */
void lig_memif_rx_int(void *ctx, u32 events);
/* The memif-input node's registration, to enable polling. */
extern struct lig_node_registration lig_memif_input_node;
extern const struct lig_if_class lig_memif_if_class;

#endif

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

#include "../infra/lig_common.h"
#include "../infra/lock.h"
#include "../interface/interface.h"
#include "memif_conn.h"

#define LIG_MEMIF_MAX_SOCKETS 256
#define LIG_MEMIF_MAX_IFS 1024
#define LIG_MEMIF_MAX_PENDING 16
/* A handshake that has not completed in this time is dropped (a stuck or hostile peer
 * must not hold an interface). */
#define LIG_MEMIF_HANDSHAKE_TIMEOUT_NS (3ull * 1000000000ull)
#define LIG_MEMIF_RECONNECT_NS (500ull * 1000000ull)

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
	u8 tx_shared; /* more workers than tx queues: tx queues are taken with tx_lock */
	u32 adaptive_idle[LIG_MEMIF_MAX_QUEUES];
	struct lig_spinlock tx_lock[LIG_MEMIF_MAX_QUEUES];
	struct lig_memif_if_counters counters;
	/* Control plane. */
	u32 id;
	u32 socket_id;
	u32 index;			 /* in lig_memif_main.ifs */
	int rx_fd[LIG_MEMIF_MAX_QUEUES]; /* dups of the rx eventfds its thread watches */
	u64 handshake_start_ns;
	u64 last_connect_attempt_ns;
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
 * socket, EADDRINUSE: another process listens on the socket path). */
int lig_memif_create_if(const struct lig_memif_create_args *a, u32 *sw_if_index);
/* Deletes a memif interface (disconnecting its peer); -ENOENT if it is not one. */
int lig_memif_delete_if(u32 sw_if_index);
/* Changes how memif-input learns of packets on the interface (the connection stays up).
 * 0, -ENOENT (not a memif interface) or -EINVAL (no such mode). */
int lig_memif_set_rx_mode(u32 sw_if_index, enum lig_memif_rx_mode mode);
/* The memif interface sw_if_index, or NULL if it is no memif interface. */
struct lig_memif_if *lig_memif_if_by_sw(u32 sw_if_index);

/* Names for show and logs ("?" for a value out of range). */
const char *lig_memif_rx_mode_name(u32 rx_mode); /* polling, interrupt, adaptive */
const char *lig_memif_mode_name(u32 mode);	 /* ethernet, ip, punt-inject */
const char *lig_memif_state_name(u32 state);	 /* down, connecting, connected */

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
/* Datapath (node.c): gives every thread's rx buffer reserve back to the pool (main, under
 * the barrier; the last memif interface went). */
void lig_memif_release_buffers(void);
/* Datapath (node.c): the drain of an rx eventfd, on the thread polling its queue; ctx is
 * the fd. */
void lig_memif_rx_int(void *ctx, u32 events);
/* The memif-input node's registration, to enable polling. */
extern struct lig_node_registration lig_memif_input_node;
extern const struct lig_if_class lig_memif_if_class;

#endif

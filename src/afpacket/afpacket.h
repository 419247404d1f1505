/* SPDX-License-Identifier: Apache-2.0 */
/*
 * af_packet host interfaces (host-<linux-if>): a Linux netdev, typically the root-side
 * end of a veth, attached to ligd through one AF_PACKET socket with TPACKET_V2 rx and
 * tx rings mapped into ligd's memory (one more socket with its own rx ring per extra rx
 * queue, all in one PACKET_FANOUT group; and a ringless socket for GSO super-frames
 * larger than a tx slot). Control (afpacket.c: create, delete,
 * admin state, link polling, show hardware), datapath (node.c: af-packet-input,
 * af-packet-tx), API handlers (api.c, messages in api.h) and CLI (cli.c, a front end of the
 * handlers) all work on struct lig_afpacket_dev; the control functions below depend on
 * neither API nor CLI.
 */
#ifndef LIG_AFPACKET_H
#define LIG_AFPACKET_H

#include <linux/if_packet.h>
#include <net/if.h>

#include "../infra/lig_common.h"
#include "../infra/lock.h"
#include "../interface/interface.h"
#include "../gso/vnet_hdr.h"

/*
 * Ring geometry, TPACKET_V2 both ways (the version is per socket). rx: 4096 slots of
 * 2 KB, each handed over as soon as the kernel has written it (per-frame status, and
 * the socket signals epoll per frame), so a lone packet wakes an idle ligd within
 * microseconds; TPACKET_V3 would hold it until its block retires (1 ms asked, a jiffy
 * or 4 ms given). A frame larger than a slot (a GSO super-frame, a jumbo frame) arrives
 * cut, with TP_STATUS_COPY: PACKET_COPY_THRESH makes the kernel queue the whole frame
 * on the socket too, and af-packet-input reads it from there with recvmsg() into a
 * buffer chain (one syscall per frame of up to 64 KB). 8 MB of kernel memory in 64 KB
 * blocks. tx: fixed 10 KB slots, enough for a 9000-byte MTU frame plus its header, four
 * slots per 40 KB block; a GSO super-frame larger than a slot is sent from its chain.
 */
#define LIG_AFPACKET_RX_FRAME_SIZE 2048
#define LIG_AFPACKET_RX_FRAMES_PER_BLOCK 32
#define LIG_AFPACKET_RX_FRAME_COUNT 4096
/* Socket buffer for the whole copies of frames the slots cut (about 100 super-frames). */
#define LIG_AFPACKET_RX_COPY_RCVBUF (8u << 20)
/* Buffers a whole copy may fill: a 64 KB super-frame and its headers. */
#define LIG_AFPACKET_RX_COPY_MAX_BUFFERS 33
#define LIG_AFPACKET_TX_FRAME_SIZE 10240
#define LIG_AFPACKET_TX_FRAMES_PER_BLOCK 4
#define LIG_AFPACKET_TX_FRAME_COUNT 512
/* Where a tx frame's bytes start in its slot: after the aligned tpacket2_hdr (the
 * kernel reads them at tp_hdrlen - sizeof(struct sockaddr_ll) without TX_HAS_OFF). */
#define LIG_AFPACKET_TX_DATA_OFFSET TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
/* Largest frame the tx ring carries (without the virtio-net header). */
#define LIG_AFPACKET_TX_MAX_FRAME                                                                  \
	(LIG_AFPACKET_TX_FRAME_SIZE - LIG_AFPACKET_TX_DATA_OFFSET - sizeof(struct lig_vnet_hdr))
#define LIG_AFPACKET_RX_BUDGET 256
/* A GSO super-frame larger than a tx slot is sent from its chain (33 buffers for 64 KB,
 * one more for a flood clone's head) with sendmsg() on a second, ringless socket. */
#define LIG_AFPACKET_GSO_MAX_BUFFERS 40

/* Most rx queues (fanout members) one host-interface takes. */
#define LIG_AFPACKET_MAX_RX_QUEUES 16

/*
 * One rx queue: a TPACKET_V2 rx ring on its own AF_PACKET socket. With more than one, the
 * sockets are members of one PACKET_FANOUT group (hash of the flow, so a flow stays on one
 * queue); queue 0's socket also carries the interface's tx ring. Each queue is polled by
 * the one thread it is placed on, which alone writes its fields.
 */
struct lig_afpacket_rxq {
	int fd; /* queue 0: the device's fd */
	u16 queue_id;
	struct lig_afpacket_dev *dev;
	u8 *rx_ring;   /* rx_frame_count slots of rx_frame_size */
	u8 *ring_base; /* queues > 0: their own mapping (queue 0's is the device's) */
	size_t ring_size;
	u32 rx_head; /* next slot to read */
	/* Datapath statistics for show hardware-interfaces. */
	u64 rx_frames; /* slots read (including the ones dropped) */
	u64 rx_bad_frames;
	u64 rx_copies; /* frames larger than a slot, read whole from the socket */
	u64 rx_gso;    /* super-frames received, and bytes in them */
	u64 rx_gso_bytes;
	/* Kernel ring statistics (PACKET_STATISTICS reads and resets: we accumulate). */
	u64 kernel_packets;
	u64 kernel_drops;
} LIG_ALIGNED(LIG_CACHE_LINE);

struct lig_afpacket_dev {
	/* Datapath fields first. */
	int fd; /* queue 0's socket: its rx ring and the tx ring */
	u32 sw_if_index;
	u8 *tx_ring; /* tx_frame_count slots of tx_frame_size */
	u32 rx_frame_size;
	u32 rx_frame_count;
	u8 tx_kick_pending; /* a sendto() failed: frames still wait in the ring */
	/* Threads: each rx ring is polled by the thread its rx queue is placed on; the one tx
	 * ring (and the kick) is shared, under tx_lock when more than one worker runs. */
	struct lig_spinlock tx_lock;
	u8 pad[3];
	u32 tx_frame_size;
	u32 tx_frame_count;
	u32 tx_head;		       /* next slot to fill */
	u32 tx_queued;		       /* frames marked SEND_REQUEST in the current vector */
	struct lig_afpacket_rxq *rxqs; /* n_rx_queues */
	u32 n_rx_queues;
	int fanout_id; /* the PACKET_FANOUT group (-1: one queue, none) */
	/* Control-plane state. */
	u8 *ring_base; /* queue 0's rx ring, then the tx ring */
	size_t ring_size;
	int host_ifindex;
	char host_if[IF_NAMESIZE];
	/* Datapath statistics for show hardware-interfaces (rx ones are per queue). */
	u64 tx_kicks;
	u64 tx_kick_errors;
	u64 tx_ring_full;
	u64 tx_gso; /* super-frames sent whole (gso_fd) */
	int gso_fd; /* ringless socket on the same interface for super-frames */
};

/* Result of parsing one rx slot. */
enum lig_afpacket_pkt_result {
	LIG_AFPACKET_PKT_OK = 0,
	LIG_AFPACKET_PKT_BAD_BOUNDS, /* header or data outside the slot */
	LIG_AFPACKET_PKT_TRUNCATED,  /* tp_snaplen < tp_len: the ring cut the frame */
	LIG_AFPACKET_PKT_OUTGOING,   /* our own or the host's transmit, looped back */
};

struct lig_afpacket_pkt {
	const u8 *frame;		 /* Ethernet header */
	const struct lig_vnet_hdr *vnet; /* right before frame */
	u32 len;			 /* bytes at frame (tp_snaplen) */
	u32 status;			 /* tp_status (TP_STATUS_CSUMNOTREADY...) */
};

/*
 * Parses the TPACKET_V2 rx slot of slot_size bytes the kernel handed over, checking every
 * kernel-provided offset and length against the slot. Fills p. Returns an
 * enum lig_afpacket_pkt_result.
 */
int lig_afpacket_parse_frame(const u8 *slot, u32 slot_size, struct lig_afpacket_pkt *p);

/* Creates host-<host_if> on Linux interface host_if with mac (NULL: a random locally
 * administered one) and n_rx_queues rx queues (0 means 1; more than one: a PACKET_FANOUT
 * group hashing flows over them). Returns 0 and *sw_if_index, or -errno: -ENODEV no such
 * Linux interface, -EEXIST already attached, -ENAMETOOLONG, -EINVAL more than
 * LIG_AFPACKET_MAX_RX_QUEUES, or the socket/ring error. */
int lig_afpacket_create(const char *host_if, const u8 *mac, u32 n_rx_queues, u32 *sw_if_index);
/* Deletes host-<host_if>: closes its socket and unmaps its rings. 0 or -ENOENT. */
int lig_afpacket_delete(const char *host_if);
/* The device of host-interface sw_if_index; NULL if that is no host-interface. */
struct lig_afpacket_dev *lig_afpacket_dev_by_sw(u32 sw_if_index);

/* The devices the input node polls (control plane keeps the list compact). */
extern struct lig_afpacket_dev **lig_afpacket_devs;
extern u32 lig_afpacket_n_devs;
extern const struct lig_if_class lig_afpacket_class;

/* Returns the rx buffers af-packet-input keeps in reserve (every thread's) to the pool.
 * Main, with no device left: a worker touches its reserve only to poll a device. */
void lig_afpacket_release_buffers(void);
/* af-packet-input polls the rx queues placed on its thread (interface/rx_queue.h). */
extern struct lig_node_registration lig_afpacket_input_node;

#endif

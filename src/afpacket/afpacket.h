/* SPDX-License-Identifier: Apache-2.0 */
/*
 * af_packet host interfaces (host-<linux-if>): a Linux netdev, typically the root-side
 * end of a veth, attached to ligd through one AF_PACKET socket with a TPACKET_V3 rx
 * ring and a tx ring mapped into ligd's memory. Control (afpacket.c: create, delete,
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
#include "../interface/interface.h"
#include "../gso/vnet_hdr.h"

/*
 * Ring geometry. rx: TPACKET_V3 blocks the kernel fills with variable-size frames and
 * retires after 1 ms even when not full, so a single ping is not held back. A 128 KB
 * block takes any frame up to the 64 KB IP limit, so even a GSO super-frame arrives
 * whole (and is then dropped with a counter, see node.c). tx: fixed 10 KB slots, enough
 * for a 9000-byte MTU frame plus its header, four slots per 40 KB block.
 */
#define LIG_AFPACKET_RX_BLOCK_SIZE (128u << 10)
#define LIG_AFPACKET_RX_BLOCK_COUNT 32
#define LIG_AFPACKET_RX_FRAME_HINT 2048 /* V3 rx: only used for tp_frame_nr */
#define LIG_AFPACKET_RX_RETIRE_MS 1
#define LIG_AFPACKET_TX_FRAME_SIZE 10240
#define LIG_AFPACKET_TX_FRAMES_PER_BLOCK 4
#define LIG_AFPACKET_TX_FRAME_COUNT 512
/* Where a tx frame's bytes start in its slot: after the aligned tpacket3_hdr (the
 * kernel reads them at tp_hdrlen - sizeof(struct sockaddr_ll) without TX_HAS_OFF). */
#define LIG_AFPACKET_TX_DATA_OFFSET TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
/* Largest frame the tx ring carries (without the virtio-net header). */
#define LIG_AFPACKET_TX_MAX_FRAME                                                                  \
	(LIG_AFPACKET_TX_FRAME_SIZE - LIG_AFPACKET_TX_DATA_OFFSET - sizeof(struct lig_vnet_hdr))
#define LIG_AFPACKET_RX_BUDGET 256
/* A GSO super-frame larger than a tx slot is sent from its chain (33 buffers for 64 KB,
 * one more for a flood clone's head) with sendmsg() on a second, ringless socket. */
#define LIG_AFPACKET_GSO_MAX_BUFFERS 40

struct lig_afpacket_dev {
	/* Datapath fields first. */
	int fd;
	u32 sw_if_index;
	u8 *rx_ring; /* rx_block_count blocks of rx_block_size */
	u8 *tx_ring; /* tx_frame_count slots of tx_frame_size */
	u32 rx_block_size;
	u32 rx_block_count;
	u32 rx_block;	    /* next block to read */
	u32 rx_pkts_left;   /* packets not yet read in rx_block (valid when rx_in_block) */
	u32 rx_offset;	    /* offset of the next packet in rx_block */
	u32 rx_valid_len;   /* checked blk_len of rx_block */
	u8 rx_in_block;	    /* rx_block is owned by ligd and partly read */
	u8 tx_kick_pending; /* a sendto() failed: frames still wait in the ring */
	u16 pad;
	u32 tx_frame_size;
	u32 tx_frame_count;
	u32 tx_head;   /* next slot to fill */
	u32 tx_queued; /* frames marked SEND_REQUEST in the current vector */
	/* Control-plane state. */
	u8 *ring_base;
	size_t ring_size;
	struct lig_fd_watch *watch;
	int host_ifindex;
	char host_if[IF_NAMESIZE];
	/* Datapath statistics for show hardware-interfaces. */
	u64 rx_blocks;
	u64 rx_bad_blocks;
	u64 tx_kicks;
	u64 tx_kick_errors;
	u64 tx_ring_full;
	u64 rx_gso; /* super-frames received, and bytes in them */
	u64 rx_gso_bytes;
	u64 tx_gso; /* super-frames sent whole (gso_fd) */
	int gso_fd; /* ringless socket on the same interface for super-frames */
	/* Kernel ring statistics (PACKET_STATISTICS reads and resets: we accumulate). */
	u64 kernel_packets;
	u64 kernel_drops;
	u64 kernel_freeze_q;
};

/* Result of parsing one frame of an rx block. */
enum lig_afpacket_pkt_result {
	LIG_AFPACKET_PKT_OK = 0,
	LIG_AFPACKET_PKT_BAD_BOUNDS, /* header or data outside the block: stop the block */
	LIG_AFPACKET_PKT_TRUNCATED,  /* tp_snaplen < tp_len: the ring cut the frame */
	LIG_AFPACKET_PKT_OUTGOING,   /* our own or the host's transmit, looped back */
};

struct lig_afpacket_pkt {
	const u8 *frame;		 /* Ethernet header */
	const struct lig_vnet_hdr *vnet; /* right before frame */
	u32 len;			 /* bytes at frame (tp_snaplen) */
	u32 status;			 /* tp_status (TP_STATUS_CSUMNOTREADY...) */
	u32 next_offset;		 /* the next frame's offset in the block, 0: none */
};

/*
 * Parses the frame at offset in a TPACKET_V3 block of block_len valid bytes, checking
 * every kernel-provided offset and length against the block. Fills p (p->next_offset
 * also for TRUNCATED and OUTGOING so the caller can skip). Returns an
 * enum lig_afpacket_pkt_result.
 */
int lig_afpacket_parse_pkt(const u8 *block, u32 block_len, u32 offset, struct lig_afpacket_pkt *p);

/* Validates a retired block's header: returns the number of frames and the offset of
 * the first one and the valid length, or -EINVAL for a header no kernel writes. */
int lig_afpacket_parse_block(const u8 *block, u32 block_size, u32 *n_pkts, u32 *first_offset,
			     u32 *valid_len);

/* Creates host-<host_if> on Linux interface host_if with mac (NULL: a random locally
 * administered one). Returns 0 and *sw_if_index, or -errno: -ENODEV no such Linux
 * interface, -EEXIST already attached, -ENAMETOOLONG, or the socket/ring error. */
int lig_afpacket_create(const char *host_if, const u8 *mac, u32 *sw_if_index);
/* Deletes host-<host_if>: closes its socket and unmaps its rings. 0 or -ENOENT. */
int lig_afpacket_delete(const char *host_if);
/* The device of host-interface sw_if_index; NULL if that is no host-interface. */
struct lig_afpacket_dev *lig_afpacket_dev_by_sw(u32 sw_if_index);

/* The devices the input node polls (control plane keeps the list compact). */
extern struct lig_afpacket_dev **lig_afpacket_devs;
extern u32 lig_afpacket_n_devs;
extern const struct lig_if_class lig_afpacket_class;

/* Makes af-packet-input polled iff some interface exists (node.c). */
void lig_afpacket_input_enable(bool enable);
/* Returns the rx buffers af-packet-input keeps in reserve to the pool (node.c). */
void lig_afpacket_release_buffers(void);

#endif

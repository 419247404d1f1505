/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap interfaces (tap<n>): ligd opens /dev/net/tun and owns the kernel tap device, whose
 * host side it can place in another network namespace with an address and a default
 * route, so a namespace or container gets a link into ligd with one command. Control
 * in tap.c (the functions below; they depend on neither API nor CLI), datapath
 * (tap-input, tap-tx) in node.c, API handlers in api.c (messages in api.h), CLI in cli.c
 * (a front end of the handlers). The carrier the kernel side sees follows ligd's admin
 * state, and so does link_up. Frames move through vhost-net (vhost.c, vring.c) where the
 * kernel has /dev/vhost-net, otherwise through read/writev on the tun fd.
 */
#ifndef LIG_TAP_H
#define LIG_TAP_H

#include <net/if.h>

#include "../infra/lig_common.h"
#include "../infra/lock.h"
#include "../interface/interface.h"
#include "vhost.h"

#define LIG_TAP_RX_BUDGET 256
#define LIG_TAP_NETNS_NAME_SIZE 64
/* Largest frame tap-input reads: 9000-byte MTU plus Ethernet and VLAN headers fits;
 * with gso, a 64 KB super-frame and its headers. */
#define LIG_TAP_RX_MAX_BUFFERS 5
#define LIG_TAP_RX_MAX_BUFFERS_GSO 33

/* tap_flags (api.h), VPP's TAP_API_FLAG_* values. */
enum lig_tap_flags {
	/* TCP super-frames in both directions: the kernel side gets TSO4/TSO6 and hands
	 * ligd up to 64 KB frames; ligd hands it GSO frames (segments otherwise). */
	LIG_TAP_FLAG_GSO = 1,
	/* Partial checksums in both directions (NEEDS_CSUM): always in force. */
	LIG_TAP_FLAG_CSUM_OFFLOAD = 2,
	/* ligd's own: the tun fd backend even where /dev/vhost-net exists. */
	LIG_TAP_FLAG_NO_VHOST = 1 << 16,
};

/* The largest host-mtu-size a tap with these flags takes: ligd's interface gets the same
 * MTU, so a full frame (MTU + 18) must fit what one read of tap-input takes. */
static inline u32
lig_tap_host_mtu_max(u32 flags)
{
	u32 frame =
	    ((flags & LIG_TAP_FLAG_GSO) ? LIG_TAP_RX_MAX_BUFFERS_GSO : LIG_TAP_RX_MAX_BUFFERS) *
	    lig_buffer_data_size();
	return LIG_MIN((u32)LIG_IF_MTU_MAX, frame - 19);
}

/* Most queue pairs (IFF_MULTI_QUEUE fds) one tap takes. */
#define LIG_TAP_MAX_QUEUES 16

/*
 * One queue pair of the tun fd backend: its own fd on the multi-queue tap (the kernel
 * spreads the flows it sends ligd over the fds by their hash). rx: polled by the one
 * thread the rx queue is placed on, which alone writes the rx fields. tx: thread t
 * writes on queue t % n_queues, under tx_lock when more than one worker runs (two
 * threads may share a queue when workers outnumber queues).
 */
struct lig_tap_queue {
	int fd; /* queue 0: the device's fd */
	u16 queue_id;
	struct lig_spinlock tx_lock;
	struct lig_tap_dev *dev;
	u64 rx_reads;
	u64 rx_gso; /* super-frames received, and bytes in them */
	u64 rx_gso_bytes;
	u64 rx_bad_vnet_hdr; /* frames dropped for their virtio-net header */
	u64 tx_writes;
	u64 tx_gso; /* super-frames handed to the kernel whole */
} LIG_ALIGNED(LIG_CACHE_LINE);

struct lig_tap_dev {
	int fd; /* queue 0's fd (the one vhost-net uses) */
	u32 sw_if_index;
	u32 id;
	/* Threads: rx is polled by the thread its rx queue is placed on; tx (and the vhost
	 * tx ring's reclaim) takes tx_lock when more than one worker runs. */
	struct lig_spinlock tx_lock;
	char host_if[IF_NAMESIZE];
	char host_ns[LIG_TAP_NETNS_NAME_SIZE]; /* "" = ligd's own namespace */
	u32 host_ip4;			       /* network order, 0 = none */
	u8 host_ip4_len;
	u32 host_ip4_gw;	       /* network order, 0 = none */
	u8 host_mac[6];		       /* as asked; 0: the kernel's own */
	u32 host_mtu;		       /* as asked; 0: the kernel's default */
	char host_bridge[IF_NAMESIZE]; /* "" = none */
	u32 flags;		       /* LIG_TAP_FLAG_* in force */
	u32 rx_max_buffers;	       /* buffers one read may fill */
	struct lig_vhost *vhost;       /* the vhost-net backend; NULL: the tun fd's read/writev */
	char no_vhost_why[48];	       /* why not vhost-net, for show hardware-interfaces */
	struct lig_tap_queue *queues;  /* n_queues queue pairs (statistics live there) */
	u32 n_queues;
	u32 tx_pending; /* vhost: frames queued in the current vector, not published */
};

/* What create takes; every pointer is borrowed for the duration of the call. */
struct lig_tap_create_args {
	u32 id;			  /* the interface is tap<id> */
	const char *host_if_name; /* NULL: tap<id> */
	const char *host_ns;	  /* NULL: ligd's namespace; else /run/netns/<host_ns> */
	u32 host_ip4;		  /* network order; 0 = no address */
	u8 host_ip4_len;
	u32 host_ip4_gw;	 /* network order; 0 = no default route */
	const u8 *host_mac;	 /* the host side's MAC (unicast); NULL: the kernel's choice */
	u32 host_mtu;		 /* the host side's MTU, 68..65535; 0: the kernel's default */
	const char *host_bridge; /* a Linux bridge of host_ns to enslave the host side to */
	const u8 *mac;		 /* ligd's MAC; NULL = random locally administered */
	u32 flags;		 /* LIG_TAP_FLAG_* */
	u32 n_queues;		 /* queue pairs, 1..LIG_TAP_MAX_QUEUES (0: 1); more than one: the
				  * tun fd backend with IFF_MULTI_QUEUE */
};

/* Creates tap<id>; returns 0 and *sw_if_index or -errno (-EEXIST id taken or host name
 * busy, -ENOENT no such netns, -ENODEV no such host_bridge, -EINVAL bad arguments (more
 * than LIG_TAP_MAX_QUEUES queues too), or the kernel's error). */
int lig_tap_create(const struct lig_tap_create_args *a, u32 *sw_if_index);
/* Deletes a tap interface; its kernel device goes away with the fd. 0 or -ENOENT. */
int lig_tap_delete(u32 sw_if_index);
/* The device of tap interface sw_if_index; NULL if that is no tap interface. */
struct lig_tap_dev *lig_tap_dev_by_sw(u32 sw_if_index);

extern struct lig_tap_dev **lig_tap_devs;
extern u32 lig_tap_n_devs;
extern const struct lig_if_class lig_tap_class;

/* node.c: gives every thread's rx buffer reserve back to the pool. Main, with no tap
 * left: a worker touches its reserve only to poll one. */
void lig_tap_release_buffers(void);
/* tap-input polls the rx queues placed on its thread (interface/rx_queue.h). */
extern struct lig_node_registration lig_tap_input_node;

#endif

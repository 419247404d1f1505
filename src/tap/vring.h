/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Split virtqueues as a virtio driver keeps them (virtio 1.x, section 2.7), for a tap
 * serviced by the kernel's vhost-net (vhost.c): ligd is the driver, the kernel the
 * device. Descriptors point straight at ligd's buffers (the buffer pool is vhost's
 * memory table, mapped one to one), so frames are never copied by ligd.
 *
 * rx: one descriptor per buffer, the 12-byte virtio-net header (VIRTIO_NET_F_MRG_RXBUF)
 *     written by the device into the headroom just before data[]; a frame may spread
 *     over num_buffers used elements.
 * tx: one descriptor chain per packet: the header in the head buffer's headroom, then
 *     each buffer of the chain.
 * Notifications: the driver kicks only when the device asks for it (VIRTIO_RING_F_EVENT_IDX
 * avail_event, or the used ring's NO_NOTIFY flag) and asks for interrupts on rx only
 * when it is about to sleep.
 *
 * The device's side of the rings (used elements, avail_event) is read as hostile:
 * every id, length and count is checked; a bad element is counted and skipped.
 * Pure functions over memory: unit-tested against an emulated device in
 * tests/unit/test_vring.c. ligd's one thread owns every ring.
 */
#ifndef LIG_TAP_VRING_H
#define LIG_TAP_VRING_H

#include "../gso/vnet_hdr.h"

/* virtio_net_hdr_mrg_rxbuf: the v1 header with the number of rx buffers a frame took. */
struct lig_vnet_hdr_v1 {
	struct lig_vnet_hdr hdr;
	u16 num_buffers;
} __attribute__((packed));
_Static_assert(sizeof(struct lig_vnet_hdr_v1) == 12, "virtio_net_hdr_v1 is 12 bytes");
#define LIG_VRING_HDR_SIZE 12

struct lig_vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

#define LIG_VRING_DESC_F_NEXT 1
#define LIG_VRING_DESC_F_WRITE 2
#define LIG_VRING_USED_F_NO_NOTIFY 1
#define LIG_VRING_AVAIL_F_NO_INTERRUPT 1
/* Largest frame a vhost tap takes or gives: a 64 KB super-frame and its headers. */
#define LIG_VRING_MAX_BUFFERS 33
/* A tx chain may also have a flood clone's private head. */
#define LIG_VRING_TX_MAX_BUFFERS 40

struct lig_vring_used_elem {
	u32 id;
	u32 len;
};

struct lig_vring_stats {
	u64 kicks;	 /* eventfd writes to the device */
	u64 kicks_saved; /* publishes the device did not ask to hear about */
	u64 bad_used;	 /* used elements with an id, length or count no driver posted */
	u64 full;	 /* packets that found no free descriptors */
	u64 no_buffers;	 /* rx refills the pool could not serve */
	u64 frames;	 /* frames completed (rx) or sent (tx) */
	u64 interrupts;	 /* call eventfd wake-ups (counted by the caller) */
};

struct lig_vring {
	struct lig_vring_desc *desc;
	u16 *avail; /* flags, idx, ring[size], used_event */
	u8 *used;   /* flags, idx, ring[size] of (id, len), avail_event */
	u16 size;   /* a power of two */
	u16 mask;
	u16 avail_idx;	   /* ours: next avail slot (published) */
	u16 last_used_idx; /* ours: next used element to read */
	u16 kicked_idx;	   /* avail idx at the last publish */
	u16 n_free;	   /* free descriptors */
	u16 free_head;	   /* first free descriptor (chained through next) */
	u8 event_idx;	   /* VIRTIO_RING_F_EVENT_IDX negotiated */
	u8 is_rx;
	u32 *bufs;   /* per descriptor: the buffer it holds (rx) or the chain it heads (tx) */
	u16 *n_desc; /* tx: descriptors of the chain headed here */
	struct lig_vring_stats st;
};

/* Bytes of the three parts for size descriptors, each part aligned as vhost needs. */
size_t lig_vring_mem_size(u16 size);
/* Lays out a ring of size (a power of two, <= 32768) in mem (lig_vring_mem_size bytes,
 * zeroed, page aligned) and allocates its bookkeeping. 0 or -ENOMEM / -EINVAL. */
int lig_vring_init(struct lig_vring *vr, void *mem, u16 size, bool is_rx, bool event_idx);
/* Frees the buffers the ring still holds and the bookkeeping; the memory stays the
 * caller's. Only once the device has stopped using the ring. Accepts a zeroed ring. */
void lig_vring_free(struct lig_vring *vr);

/* Addresses of the parts, for VHOST_SET_VRING_ADDR. */
static inline void *
lig_vring_used_ptr(const struct lig_vring *vr)
{
	return vr->used;
}

/*
 * Publishes what was added since the last publish (avail idx, release order) and says
 * whether the device asked to be kicked about it (avail_event / NO_NOTIFY). The caller
 * writes the kick eventfd when it returns true.
 */
bool lig_vring_publish(struct lig_vring *vr);

/* rx: posts fresh buffers from the pool into every free descriptor. Returns how many. */
u32 lig_vring_rx_refill(struct lig_vring *vr);
/*
 * rx: takes the next complete frame the device wrote: a chain of its buffers, the
 * virtio-net header copied to *hdr, the frame's length to *len. Returns the head, or
 * LIG_INVALID_INDEX when no complete frame is there. A malformed one (bad id, length,
 * num_buffers) is counted in st.bad_used, its buffers freed, and the next one tried.
 */
u32 lig_vring_rx_next(struct lig_vring *vr, struct lig_vnet_hdr *hdr, u32 *len);

/*
 * tx: queues packet bi (a chain whose head has 12 bytes of headroom free) with header
 * hdr. Returns 0, or -ENOSPC (not enough free descriptors: the caller keeps bi) or
 * -EINVAL (chain longer than LIG_VRING_TX_MAX_BUFFERS, or no headroom).
 */
int lig_vring_tx_add(struct lig_vring *vr, u32 bi, const struct lig_vnet_hdr *hdr);
/* tx: frees the chains the device has sent; returns how many. */
u32 lig_vring_tx_reclaim(struct lig_vring *vr);

/* Asks the device for an interrupt (call eventfd) at its next used element (rx, before
 * sleeping), or tells it not to bother (while polling). */
void lig_vring_want_interrupt(struct lig_vring *vr, bool want);
/* Device's used index (acquire): has it used anything we have not read? */
bool lig_vring_has_used(const struct lig_vring *vr);

#endif

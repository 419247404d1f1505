/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio-net header that af_packet (PACKET_VNET_HDR) and tap (IFF_VNET_HDR) put in
 * front of every frame: how ligd learns that a frame from the local stack carries a
 * partial L4 checksum (NEEDS_CSUM), and how it hands such a frame back to the kernel.
 * Pure functions, shared by src/afpacket and src/tap, unit-tested in test_afpacket.c.
 */
#ifndef LIG_VNET_HDR_H
#define LIG_VNET_HDR_H

#include <endian.h>

#include "../vlib/buffer.h"

/* Layout of struct virtio_net_hdr (linux/virtio_net.h); fields are little-endian for
 * af_packet and for tap without TUNSETVNETBE. */
struct lig_vnet_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
} __attribute__((packed));

_Static_assert(sizeof(struct lig_vnet_hdr) == 10, "virtio_net_hdr is 10 bytes");

#define LIG_VNET_HDR_F_NEEDS_CSUM 1
#define LIG_VNET_HDR_F_DATA_VALID 2
#define LIG_VNET_HDR_GSO_NONE 0

enum lig_vnet_rx_result {
	LIG_VNET_RX_OK = 0,
	LIG_VNET_RX_GSO,      /* a GSO super-frame: ligd does not segment */
	LIG_VNET_RX_BAD_CSUM, /* NEEDS_CSUM with offsets outside the frame */
};

/*
 * Applies the header of a received frame of frame_len bytes that starts at
 * b->current_data: a NEEDS_CSUM frame becomes LIG_BUFFER_CSUM_PARTIAL with csum_start
 * relative to data[]. Returns an enum lig_vnet_rx_result; the buffer is unchanged
 * unless the result is LIG_VNET_RX_OK.
 */
static inline int
lig_vnet_hdr_to_buffer(const struct lig_vnet_hdr *h, struct lig_buffer *b, u32 frame_len)
{
	if (lig_unlikely(h->gso_type != LIG_VNET_HDR_GSO_NONE))
		return LIG_VNET_RX_GSO;
	if (h->flags & LIG_VNET_HDR_F_NEEDS_CSUM) {
		u32 start = le16toh(h->csum_start), off = le16toh(h->csum_offset);
		if (lig_unlikely(start + off + 2 > frame_len || off > 0xfff0))
			return LIG_VNET_RX_BAD_CSUM;
		b->flags |= LIG_BUFFER_CSUM_PARTIAL;
		b->csum_start = (u16)(b->current_data + (i32)start);
		b->csum_offset = (u16)off;
	}
	return LIG_VNET_RX_OK;
}

/* Fills the header for transmitting packet b (head of its chain) to the kernel: a
 * CSUM_PARTIAL packet goes out as NEEDS_CSUM so the receiving stack or device finishes
 * the checksum; anything else as a plain frame. */
static inline void
lig_vnet_hdr_from_buffer(struct lig_vnet_hdr *h, const struct lig_buffer *b)
{
	memset(h, 0, sizeof(*h));
	if (b->flags & LIG_BUFFER_CSUM_PARTIAL) {
		i32 start = (i32)b->csum_start - b->current_data;
		if (lig_likely(start >= 0)) {
			h->flags = LIG_VNET_HDR_F_NEEDS_CSUM;
			h->csum_start = htole16((u16)start);
			h->csum_offset = htole16(b->csum_offset);
			h->hdr_len = htole16((u16)(start + b->csum_offset + 2));
		}
	}
}

#endif

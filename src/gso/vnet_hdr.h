/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio-net header that af_packet (PACKET_VNET_HDR) and tap (IFF_VNET_HDR) put in
 * front of every frame: how ligd learns that a frame from the local stack carries a
 * partial L4 checksum (NEEDS_CSUM) or is a TCP super-frame to be segmented (GSO), and
 * how it hands such a frame back to the kernel. The header comes from a peer (a pod's
 * kernel, a raw socket in it): every field is checked before the buffer believes it.
 * Pure functions, shared by src/afpacket and src/tap, unit-tested in test_afpacket.c and
 * test_gso.c, fuzzed by tests/fuzz/fuzz_gso.c.
 */
#ifndef LIG_VNET_HDR_H
#define LIG_VNET_HDR_H

#include <endian.h>

#include "gso.h"

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
#define LIG_VNET_HDR_GSO_TCPV4 1
#define LIG_VNET_HDR_GSO_UDP 3
#define LIG_VNET_HDR_GSO_TCPV6 4
#define LIG_VNET_HDR_GSO_ECN 0x80

enum lig_vnet_rx_result {
	LIG_VNET_RX_OK = 0,
	LIG_VNET_RX_GSO,	 /* a GSO type ligd does not take here (UDP, or GSO is off) */
	LIG_VNET_RX_BAD_CSUM,	 /* NEEDS_CSUM with offsets outside the frame */
	LIG_VNET_RX_BAD_GSO,	 /* TCP GSO that does not hold: gso_size, headers, offsets */
	LIG_VNET_RX_BAD_HDR_LEN, /* hdr_len beyond the frame */
};

/*
 * Applies the header of a received frame of frame_len bytes that starts at
 * b->current_data, head_len of them in the head buffer: a NEEDS_CSUM frame becomes
 * LIG_BUFFER_CSUM_PARTIAL with csum_start relative to data[]; with gso_ok, a TCPv4/v6
 * GSO frame becomes LIG_BUFFER_GSO_TCP4/6 after lig_gso_mark()'s checks. Returns an
 * enum lig_vnet_rx_result; the buffer is unchanged unless the result is LIG_VNET_RX_OK.
 */
static inline int
lig_vnet_hdr_to_buffer(const struct lig_vnet_hdr *h, struct lig_buffer *b, u32 frame_len,
		       u32 head_len, bool gso_ok)
{
	u32 gso_type = h->gso_type & (u8)~LIG_VNET_HDR_GSO_ECN;

	if (lig_unlikely(le16toh(h->hdr_len) > frame_len))
		return LIG_VNET_RX_BAD_HDR_LEN;
	if (lig_unlikely(gso_type != LIG_VNET_HDR_GSO_NONE)) {
		if (!gso_ok ||
		    (gso_type != LIG_VNET_HDR_GSO_TCPV4 && gso_type != LIG_VNET_HDR_GSO_TCPV6))
			return LIG_VNET_RX_GSO;
		/* TCP GSO always asks for the checksum at the TCP header; lig_gso_mark()
		 * finds that header itself and requires csum_start to be it. */
		if (!(h->flags & LIG_VNET_HDR_F_NEEDS_CSUM))
			return LIG_VNET_RX_BAD_GSO;
		u32 start = le16toh(h->csum_start), off = le16toh(h->csum_offset);
		if (start + off + 2 > head_len)
			return LIG_VNET_RX_BAD_CSUM;
		if (lig_gso_mark(b, frame_len, head_len, gso_type == LIG_VNET_HDR_GSO_TCPV6,
				 le16toh(h->gso_size)) < 0)
			return LIG_VNET_RX_BAD_GSO;
		if (b->csum_start != (u16)(b->current_data + (i32)start) || b->csum_offset != off) {
			b->flags &= ~(LIG_BUFFER_GSO | LIG_BUFFER_CSUM_PARTIAL);
			return LIG_VNET_RX_BAD_GSO;
		}
		return LIG_VNET_RX_OK;
	}
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
 * the checksum, a GSO packet (when the egress takes GSO: the caller segments otherwise)
 * as TCPV4/TCPV6 with its gso_size; anything else as a plain frame. */
static inline void
lig_vnet_hdr_from_buffer(struct lig_vnet_hdr *h, const struct lig_buffer *b)
{
	memset(h, 0, sizeof(*h));
	if (b->flags & LIG_BUFFER_CSUM_PARTIAL) {
		i32 start = (i32)b->csum_start - b->current_data;
		if (lig_likely(start >= 0)) {
			u32 hdr_len = (u32)start + b->csum_offset + 2;
			h->flags = LIG_VNET_HDR_F_NEEDS_CSUM;
			h->csum_start = htole16((u16)start);
			h->csum_offset = htole16(b->csum_offset);
			if (b->flags & LIG_BUFFER_GSO) {
				/* The TCP header's data offset, in the head buffer (checked at rx).
				 */
				u32 doff =
				    (u32)start + 12 < b->current_length
					? (lig_buffer_data((struct lig_buffer *)b)[start + 12] >>
					   4) *
					      4u
					: 20;
				hdr_len = (u32)start + doff;
				h->gso_type = (b->flags & LIG_BUFFER_GSO_TCP6)
						  ? LIG_VNET_HDR_GSO_TCPV6
						  : LIG_VNET_HDR_GSO_TCPV4;
				h->gso_size = htole16(b->gso_size);
			}
			h->hdr_len = htole16((u16)hdr_len);
		}
	}
}

#endif

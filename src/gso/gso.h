/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generic segmentation offload in software. A TCP super-frame (LIG_BUFFER_GSO, up to
 * 64 KB, from a tap or af_packet peer that handed it over with a virtio-net header)
 * travels through the graph whole, as a buffer chain; interface-output cuts it into
 * segments of gso_size payload bytes only in front of an egress that cannot take it
 * (memif, VXLAN before encapsulation, loopback), as VPP's gso node does. Segments leave
 * with a partial checksum (the pseudo-header sum in the TCP checksum field), which the
 * next step finishes or hands to an egress that takes checksum offload.
 *
 * Everything here reads frames a peer wrote: every offset is checked against the bytes
 * present. Pure functions (no graph state), unit-tested in tests/unit/test_gso.c and
 * fuzzed by tests/fuzz/fuzz_gso.c.
 */
#ifndef LIG_GSO_H
#define LIG_GSO_H

#include "../vlib/buffer.h"

/* Ethernet (two VLAN tags at most), IPv4 with options or IPv6, TCP with options. */
#define LIG_GSO_MAX_HDR_SIZE (14 + 8 + 60 + 60)
/* A super-frame is refused when it would cut into more segments than this (a bogus
 * gso_size of 1 must not turn one frame into 64 K buffers). */
#define LIG_GSO_MAX_SEGS 256
/* Smallest gso_size taken (Linux's TCP never goes below 48 bytes of MSS payload). */
#define LIG_GSO_MIN_SIZE 48

/* Where the headers of a TCP frame are, relative to the frame's first byte. */
struct lig_gso_hdrs {
	u16 l3_offset; /* IPv4 or IPv6 header */
	u16 l4_offset; /* TCP header */
	u16 hdr_size;  /* bytes up to the end of the TCP header (options included) */
	u8 is_ip6;
	u32 ip_end; /* where the IP length says the packet ends (<= frame_len) */
};

/*
 * Parses Ethernet (up to two 802.1Q/802.1ad tags), then IPv4 (not a fragment) or IPv6
 * (TCP as the next header, no extension headers), then the TCP header, all within the
 * first len bytes of frame (what is contiguous), with the IP length within frame_len
 * (the whole packet). Returns 0 and fills h, or -EINVAL for anything else (the caller
 * counts and drops).
 */
int lig_gso_parse(const u8 *frame, u32 len, u32 frame_len, struct lig_gso_hdrs *h);

/* The same for a TCP packet inside VXLAN (outer Ethernet, IPv4/IPv6, UDP to port 4789
 * covering the packet, VXLAN header with the VNI flag): h describes the inner headers,
 * with offsets from the outer frame's first byte. */
int lig_gso_parse_vxlan(const u8 *frame, u32 len, u32 frame_len, struct lig_gso_hdrs *h);

/*
 * Validates the GSO request of a received frame (frame_len bytes from b->current_data,
 * the first head_len of them in the head buffer): TCP over IPv4 (is_ip6 false) or IPv6,
 * headers in the head buffer, the checksum request at the TCP checksum field, a
 * gso_size of at least LIG_GSO_MIN_SIZE that cuts the payload into at most
 * LIG_GSO_MAX_SEGS segments. The TCP packet may be inside VXLAN (a kernel peer's UDP
 * tunnel GSO, which its virtio-net header calls TCPV4/V6): then LIG_BUFFER_GSO_TUNNEL
 * too. On success marks b (LIG_BUFFER_GSO_TCP4/6, gso_size, CSUM_PARTIAL at the TCP
 * checksum) and returns 0; otherwise -EINVAL, b unchanged.
 */
int lig_gso_mark(struct lig_buffer *b, u32 frame_len, u32 head_len, bool is_ip6, u32 gso_size);

/*
 * Cuts GSO packet bi into its segments: each a fresh buffer (a chain when a segment is
 * larger than one buffer) with the headers copied and fixed up (IPv4 total length, id
 * and header checksum, IPv6 payload length, TCP sequence number, FIN and PSH on the last
 * segment only, CWR on the first only) and CSUM_PARTIAL at the TCP checksum holding the
 * pseudo-header sum. rx/tx interfaces, error and trace flag come from bi; data starts at
 * data[0] (full headroom for an encapsulation). Up to max_out indices go to out[].
 *
 * Returns the number of segments and frees bi, or a negative errno leaving bi to the
 * caller: -EINVAL (not a valid GSO packet: flags, headers or checksum offsets, or still
 * inside its VXLAN tunnel), -E2BIG
 * (more than max_out segments), -ENOMEM (the pool ran out; nothing is leaked).
 */
int lig_gso_segment(u32 bi, u32 *out, u32 max_out);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* TCP segmentation in software and the checks a GSO request must pass (see gso.h). */
#include <arpa/inet.h>
#include <errno.h>

#include "../ip4/ip4.h"
#include "gso.h"

#define LIG_ETH_P_IP4 0x0800
#define LIG_ETH_P_IP6 0x86dd
#define LIG_ETH_P_8021Q 0x8100
#define LIG_ETH_P_8021AD 0x88a8
#define LIG_IP_PROTO_TCP 6
#define LIG_IP_PROTO_UDP 17
#define LIG_VXLAN_PORT 4789
#define LIG_TCP_CSUM_OFFSET 16
#define LIG_TCP_FIN 0x01
#define LIG_TCP_PSH 0x08
#define LIG_TCP_CWR 0x80

static inline u16
lig_gso_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline void
lig_gso_put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* Parses Ethernet and the IPv4/IPv6 header up to the L4 header of protocol proto;
 * returns its offset, or 0 if the frame is not that (see lig_gso_parse()). */
static u32
lig_gso_parse_ip(const u8 *frame, u32 len, u32 frame_len, u8 proto, struct lig_gso_hdrs *h)
{
	u32 off = 12;
	u16 type;

	if (len < 14)
		return 0;
	type = lig_gso_get16(frame + off);
	for (u32 tags = 0; type == LIG_ETH_P_8021Q || type == LIG_ETH_P_8021AD; tags++) {
		if (tags == 2 || off + 6 > len)
			return 0;
		off += 4;
		type = lig_gso_get16(frame + off);
	}
	off += 2;
	h->l3_offset = (u16)off;
	if (type == LIG_ETH_P_IP4) {
		if (off + 20 > len)
			return 0;
		const u8 *ip = frame + off;
		u32 ihl = (ip[0] & 0xf) * 4u, total = lig_gso_get16(ip + 2);
		/* Not a fragment: no MF flag, offset 0. */
		if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != proto ||
		    (lig_gso_get16(ip + 6) & 0x3fff) != 0 || total < ihl + 8 ||
		    off + total > frame_len)
			return 0;
		h->ip_end = off + total;
		h->is_ip6 = 0;
		return off + ihl;
	}
	if (type == LIG_ETH_P_IP6) {
		if (off + 40 > len)
			return 0;
		const u8 *ip = frame + off;
		if ((ip[0] >> 4) != 6 || ip[6] != proto ||
		    off + 40 + (u32)lig_gso_get16(ip + 4) > frame_len)
			return 0;
		h->ip_end = off + 40 + lig_gso_get16(ip + 4);
		h->is_ip6 = 1;
		return off + 40;
	}
	return 0;
}

int
lig_gso_parse(const u8 *frame, u32 len, u32 frame_len, struct lig_gso_hdrs *h)
{
	u32 l4 = lig_gso_parse_ip(frame, len, frame_len, LIG_IP_PROTO_TCP, h);

	if (!l4 || l4 + 20 > len || l4 + 20 > h->ip_end)
		return -EINVAL;
	u32 doff = (frame[l4 + 12] >> 4) * 4u;
	if (doff < 20 || l4 + doff > len || l4 + doff > h->ip_end)
		return -EINVAL;
	h->l4_offset = (u16)l4;
	h->hdr_size = (u16)(l4 + doff);
	return 0;
}

int
lig_gso_parse_vxlan(const u8 *frame, u32 len, u32 frame_len, struct lig_gso_hdrs *h)
{
	struct lig_gso_hdrs outer;
	u32 udp = lig_gso_parse_ip(frame, len, frame_len, LIG_IP_PROTO_UDP, &outer);

	/* UDP to the VXLAN port whose length covers the packet, a VNI flag, then the
	 * inner frame, which must hold a TCP packet that ends where the outer does. */
	if (!udp || udp + 16 > len || lig_gso_get16(frame + udp + 2) != LIG_VXLAN_PORT ||
	    udp + lig_gso_get16(frame + udp + 4) != outer.ip_end || !(frame[udp + 8] & 0x08))
		return -EINVAL;
	u32 inner = udp + 16;
	if (lig_gso_parse(frame + inner, len - inner, frame_len - inner, h) < 0 ||
	    h->ip_end != outer.ip_end - inner)
		return -EINVAL;
	h->l3_offset = (u16)(h->l3_offset + inner);
	h->l4_offset = (u16)(h->l4_offset + inner);
	h->hdr_size = (u16)(h->hdr_size + inner);
	h->ip_end = outer.ip_end;
	return 0;
}

int
lig_gso_mark(struct lig_buffer *b, u32 frame_len, u32 head_len, bool is_ip6, u32 gso_size)
{
	struct lig_gso_hdrs h;

	if (head_len > frame_len || head_len > b->current_length)
		return -EINVAL;
	/* The IP length covers the frame exactly: every byte is some segment's payload.
	 * A kernel VXLAN peer's tunnel GSO says TCPV4/V6 of the inner packet. */
	u32 tunnel = 0;
	if (lig_gso_parse(lig_buffer_data(b), head_len, frame_len, &h) < 0) {
		if (lig_gso_parse_vxlan(lig_buffer_data(b), head_len, frame_len, &h) < 0)
			return -EINVAL;
		tunnel = LIG_BUFFER_GSO_TUNNEL;
	}
	if (h.is_ip6 != is_ip6 || h.ip_end != frame_len)
		return -EINVAL;
	if (gso_size < LIG_GSO_MIN_SIZE || gso_size > 0xffff)
		return -EINVAL;
	u32 payload = frame_len - h.hdr_size;
	if ((payload + gso_size - 1) / gso_size > LIG_GSO_MAX_SEGS)
		return -EINVAL;
	b->flags |=
	    LIG_BUFFER_CSUM_PARTIAL | tunnel | (is_ip6 ? LIG_BUFFER_GSO_TCP6 : LIG_BUFFER_GSO_TCP4);
	b->gso_size = (u16)gso_size;
	b->csum_start = (u16)(b->current_data + h.l4_offset);
	b->csum_offset = LIG_TCP_CSUM_OFFSET;
	return 0;
}

/* Reads a chain sequentially. */
struct lig_gso_reader {
	struct lig_buffer *b;
	u32 off; /* within b's current bytes */
};

static void
lig_gso_read(struct lig_gso_reader *r, u8 *dst, u32 n)
{
	while (n) {
		if (r->off >= r->b->current_length) {
			/* The caller asks only for bytes the chain's length promises; a chain
			 * shorter than its head says (a driver bug) reads as zeros. */
			if (!(r->b->flags & LIG_BUFFER_NEXT_PRESENT)) {
				memset(dst, 0, n);
				return;
			}
			r->b = lig_buffer_get(r->b->next_buffer);
			r->off = 0;
			continue;
		}
		u32 k = LIG_MIN(n, (u32)r->b->current_length - r->off);
		memcpy(dst, lig_buffer_data(r->b) + r->off, k);
		dst += k;
		r->off += k;
		n -= k;
	}
}

/* Fixes up the copied headers of segment i (payload bytes at seq offset). */
static void
lig_gso_fix_headers(u8 *f, const struct lig_gso_hdrs *h, u32 seg_len, u32 i, bool last, u32 seq0,
		    u16 id0, u32 seq_off)
{
	u8 *ip = f + h->l3_offset, *tcp = f + h->l4_offset;
	u32 l4_len = seg_len - h->l4_offset;
	u64 sum;

	lig_gso_put16(tcp + 16, 0);
	if (!h->is_ip6) {
		u32 ihl = (ip[0] & 0xf) * 4u;
		lig_gso_put16(ip + 2, (u16)(seg_len - h->l3_offset));
		lig_gso_put16(ip + 4, (u16)(id0 + i));
		lig_gso_put16(ip + 10, 0);
		lig_gso_put16(ip + 10, lig_ip4_csum_fold(lig_ip4_csum_add(0, ip, ihl)));
		sum = lig_ip4_csum_add(0, ip + 12, 8);
	} else {
		lig_gso_put16(ip + 4, (u16)(seg_len - h->l3_offset - 40));
		sum = lig_ip4_csum_add(0, ip + 8, 32);
	}
	u32 seq = htonl(seq0 + seq_off);
	memcpy(tcp + 4, &seq, 4);
	if (!last)
		tcp[13] &= (u8) ~(LIG_TCP_FIN | LIG_TCP_PSH);
	if (i > 0)
		tcp[13] &= (u8)~LIG_TCP_CWR;
	/* The pseudo-header sum, not inverted: CHECKSUM_PARTIAL's convention, which
	 * lig_buffer_csum_finish() and a kernel receiving NEEDS_CSUM complete. */
	sum += LIG_IP_PROTO_TCP + l4_len;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	lig_gso_put16(tcp + 16, (u16)sum);
}

int
lig_gso_segment(u32 bi, u32 *out, u32 max_out)
{
	struct lig_buffer *b = lig_buffer_get(bi);
	struct lig_gso_hdrs h;
	u8 hdr[LIG_GSO_MAX_HDR_SIZE];
	u32 len = lig_buffer_length_in_chain(b), mss = b->gso_size, n_out = 0;

	if (!(b->flags & LIG_BUFFER_GSO) || !(b->flags & LIG_BUFFER_CSUM_PARTIAL) ||
	    (b->flags & LIG_BUFFER_GSO_TUNNEL) || mss < LIG_GSO_MIN_SIZE)
		return -EINVAL;
	if (lig_gso_parse(lig_buffer_data(b), b->current_length, len, &h) < 0 ||
	    h.is_ip6 != !!(b->flags & LIG_BUFFER_GSO_TCP6) || h.hdr_size > sizeof(hdr) ||
	    (i32)b->csum_start != b->current_data + h.l4_offset ||
	    b->csum_offset != LIG_TCP_CSUM_OFFSET)
		return -EINVAL;
	u32 payload = len - h.hdr_size;
	u32 n_segs = payload ? (payload + mss - 1) / mss : 1;
	if (n_segs > max_out || n_segs > LIG_GSO_MAX_SEGS)
		return -E2BIG;
	memcpy(hdr, lig_buffer_data(b), h.hdr_size);
	u32 seq0;
	memcpy(&seq0, hdr + h.l4_offset + 4, 4);
	seq0 = ntohl(seq0);
	u16 id0 = h.is_ip6 ? 0 : lig_gso_get16(hdr + h.l3_offset + 4);
	struct lig_gso_reader r = {.b = b, .off = h.hdr_size};

	for (u32 i = 0; i < n_segs; i++) {
		u32 seg_payload = LIG_MIN(mss, payload - i * mss);
		u32 seg_len = h.hdr_size + seg_payload;
		u32 bis[33]; /* 142 bytes of headers + 65535 of payload at most */
		u32 nb = lig_buffer_n_for(seg_len);
		u32 got = lig_buffer_alloc(bis, nb);

		if (got != nb) {
			lig_buffer_free(bis, got);
			lig_buffer_free(out, n_out);
			return -ENOMEM;
		}
		struct lig_buffer *s = lig_buffer_get(bis[0]);
		/* Headers, then payload, filling each buffer of the segment in turn. */
		u32 left = seg_len, copied_hdr = 0;
		for (u32 k = 0; k < nb; k++) {
			struct lig_buffer *c = lig_buffer_get(bis[k]);
			u32 room = LIG_MIN(left, lig_buffer_data_size()), at = 0;
			if (copied_hdr < h.hdr_size) {
				/* hdr_size <= LIG_GSO_MAX_HDR_SIZE fits the first buffer. */
				memcpy(c->data, hdr, h.hdr_size);
				copied_hdr = h.hdr_size;
				at = h.hdr_size;
			}
			lig_gso_read(&r, c->data + at, room - at);
			c->current_length = (u16)room;
			left -= room;
			if (k + 1 < nb) {
				c->flags |= LIG_BUFFER_NEXT_PRESENT;
				c->next_buffer = bis[k + 1];
			}
		}
		s->total_length_not_including_first_buffer = seg_len - s->current_length;
		lig_gso_fix_headers(s->data, &h, seg_len, i, i + 1 == n_segs, seq0, id0, i * mss);
		s->flags |= LIG_BUFFER_CSUM_PARTIAL;
		if (i == 0 && (b->flags & LIG_BUFFER_TRACED)) {
			/* The trace follows the first segment. */
			s->flags |= LIG_BUFFER_TRACED;
			s->trace_index = b->trace_index;
		}
		s->csum_start = h.l4_offset;
		s->csum_offset = LIG_TCP_CSUM_OFFSET;
		s->l2_hdr_offset = 0;
		s->l3_hdr_offset = (i16)h.l3_offset;
		s->sw_if_index[LIG_RX] = b->sw_if_index[LIG_RX];
		s->sw_if_index[LIG_TX] = b->sw_if_index[LIG_TX];
		s->error = b->error;
		out[n_out++] = bis[0];
	}
	lig_buffer_free_one(bi);
	return (int)n_out;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of src/gso: virtio-net GSO headers taken or refused (bogus gso_size,
 * checksum offsets away from the TCP header, hdr_len beyond the frame, UDP), and TCP
 * segmentation of IPv4 and IPv6 super-frames checked field by field: lengths, ids,
 * sequence numbers, flags, the IPv4 header checksum and the finished TCP checksum
 * (verified from scratch), the payload bytes, and no buffer leaked, also when the pool
 * runs dry halfway.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "gso/gso.h"
#include "gso/vnet_hdr.h"

#define POOL 2048

static int
setup(void **state)
{
	(void)state;
	return lig_buffer_pool_init(POOL);
}

static int
teardown(void **state)
{
	(void)state;
	lig_buffer_pool_free();
	return 0;
}

static u64
sum16(u64 sum, const u8 *p, u32 len)
{
	for (u32 i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	return sum;
}

static u16
fold(u64 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)sum;
}

/* Builds Ethernet + IPv4 or IPv6 + TCP (12 bytes of options) + payload into frame;
 * returns the frame length. The TCP checksum field holds junk: GSO ignores it. */
static u32
build_tcp(u8 *frame, bool ip6, u32 payload, u8 tcp_flags)
{
	u32 l3 = 14, l4 = ip6 ? 14 + 40 : 14 + 20, hdr = l4 + 32;
	memset(frame, 0, hdr);
	memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (!ip6) {
		frame[12] = 0x08;
		frame[l3] = 0x45;
		u16 tot = htons((u16)(20 + 32 + payload));
		memcpy(frame + l3 + 2, &tot, 2);
		frame[l3 + 4] = 0x12;
		frame[l3 + 5] = 0x34;
		frame[l3 + 6] = 0x40; /* DF */
		frame[l3 + 8] = 64;
		frame[l3 + 9] = 6;
		memcpy(frame + l3 + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	} else {
		frame[12] = 0x86;
		frame[13] = 0xdd;
		frame[l3] = 0x60;
		u16 plen = htons((u16)(32 + payload));
		memcpy(frame + l3 + 4, &plen, 2);
		frame[l3 + 6] = 6;
		frame[l3 + 7] = 64;
		frame[l3 + 8] = 0xfd;
		frame[l3 + 23] = 1;
		frame[l3 + 24] = 0xfd;
		frame[l3 + 39] = 2;
	}
	u8 *tcp = frame + l4;
	tcp[0] = 0x13;
	tcp[1] = 0x89;
	tcp[2] = 0xc0;
	tcp[3] = 0x01;
	u32 seq = htonl(0xfffff000u); /* wraps inside the super-frame */
	memcpy(tcp + 4, &seq, 4);
	tcp[12] = 8 << 4;
	tcp[13] = tcp_flags;
	tcp[14] = 0xff;
	tcp[16] = 0xde;
	tcp[17] = 0xad;
	for (u32 i = 0; i < payload; i++)
		frame[hdr + i] = (u8)(i * 7 + (i >> 8));
	return hdr + payload;
}

/* Receives frame as a driver would: a chain, then the virtio-net header applied. */
static int
receive(const u8 *frame, u32 len, const struct lig_vnet_hdr *vh, u32 *bi)
{
	*bi = lig_buffer_from_bytes(frame, len);
	assert_int_not_equal(*bi, LIG_INVALID_INDEX);
	struct lig_buffer *b = lig_buffer_get(*bi);
	return lig_vnet_hdr_to_buffer(vh, b, len, b->current_length, true);
}

static struct lig_vnet_hdr
gso_hdr(bool ip6, u16 mss)
{
	u32 l4 = ip6 ? 54 : 34;
	struct lig_vnet_hdr h = {.flags = LIG_VNET_HDR_F_NEEDS_CSUM,
				 .gso_type = ip6 ? LIG_VNET_HDR_GSO_TCPV6 : LIG_VNET_HDR_GSO_TCPV4,
				 .hdr_len = htole16((u16)(l4 + 32)),
				 .gso_size = htole16(mss),
				 .csum_start = htole16((u16)l4),
				 .csum_offset = htole16(16)};
	return h;
}

static void
check_segments(bool ip6, u32 payload, u16 mss)
{
	static u8 frame[70000], seg[70000];
	u32 len = build_tcp(frame, ip6, payload, 0x19 /* FIN PSH ACK */ | 0x80 /* CWR */);
	u32 l4 = ip6 ? 54 : 34, hdr = l4 + 32, n_free0 = lig_buffer_pool.n_free, bi;
	struct lig_vnet_hdr vh = gso_hdr(ip6, mss);
	u32 out[LIG_GSO_MAX_SEGS];

	assert_int_equal(receive(frame, len, &vh, &bi), LIG_VNET_RX_OK);
	struct lig_buffer *b = lig_buffer_get(bi);
	assert_true(b->flags & (ip6 ? LIG_BUFFER_GSO_TCP6 : LIG_BUFFER_GSO_TCP4));
	assert_int_equal(b->gso_size, mss);
	b->sw_if_index[LIG_TX] = 7;

	/* What a GSO-capable egress is told. */
	struct lig_vnet_hdr tx;
	lig_vnet_hdr_from_buffer(&tx, b);
	assert_int_equal(tx.gso_type, vh.gso_type);
	assert_int_equal(le16toh(tx.gso_size), mss);
	assert_int_equal(le16toh(tx.hdr_len), hdr);
	assert_int_equal(le16toh(tx.csum_start), l4);

	int n = lig_gso_segment(bi, out, LIG_ARRAY_LEN(out));
	u32 want = (payload + mss - 1) / mss;
	assert_int_equal(n, (int)want);
	for (int i = 0; i < n; i++) {
		struct lig_buffer *s = lig_buffer_get(out[i]);
		u32 seg_payload = LIG_MIN((u32)mss, payload - (u32)i * mss);
		u32 slen = lig_buffer_length_in_chain(s);
		assert_int_equal(slen, hdr + seg_payload);
		assert_int_equal(s->sw_if_index[LIG_TX], 7);
		assert_false(s->flags & LIG_BUFFER_GSO);
		assert_true(s->flags & LIG_BUFFER_CSUM_PARTIAL);
		assert_int_equal(lig_buffer_csum_finish(s), 0);
		assert_int_equal(lig_buffer_copy_out(out[i], 0, seg, slen), slen);
		const u8 *ip = seg + 14, *tcp = seg + l4;
		u64 pseudo;
		if (!ip6) {
			assert_int_equal(ip[2] << 8 | ip[3], slen - 14);
			assert_int_equal(ip[4] << 8 | ip[5], (0x1234 + i) & 0xffff);
			assert_int_equal(fold(sum16(0, ip, 20)), 0xffff);
			pseudo = sum16(0, ip + 12, 8);
		} else {
			assert_int_equal(ip[4] << 8 | ip[5], slen - 54);
			pseudo = sum16(0, ip + 8, 32);
		}
		pseudo += 6 + (slen - l4);
		assert_int_equal(fold(sum16(pseudo, tcp, slen - l4)), 0xffff);
		u32 seq;
		memcpy(&seq, tcp + 4, 4);
		assert_int_equal(ntohl(seq), 0xfffff000u + (u32)i * mss);
		bool last = i + 1 == n;
		assert_int_equal(tcp[13] & 0x09, last ? 0x09 : 0);
		assert_int_equal(tcp[13] & 0x80, i == 0 ? 0x80 : 0);
		assert_true(tcp[13] & 0x10);
		assert_int_equal(tcp[12], 8 << 4);
		assert_memory_equal(seg + hdr, frame + hdr + (u32)i * mss, seg_payload);
	}
	lig_buffer_free(out, (u32)n);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

static void
test_segment_ip4(void **state)
{
	(void)state;
	check_segments(false, 10000, 1448);
	check_segments(false, 65000, 1448); /* a full super-frame: 45 segments */
	check_segments(false, 1448, 1448);  /* exactly one */
	check_segments(false, 20000, 8948); /* jumbo segments: chains of 5 */
}

static void
test_segment_ip6(void **state)
{
	(void)state;
	check_segments(true, 10000, 1428);
	check_segments(true, 64000, 1428);
}

static void
test_rx_refusals(void **state)
{
	(void)state;
	static u8 frame[70000];
	u32 len = build_tcp(frame, false, 5000, 0x10), bi, n_free0 = lig_buffer_pool.n_free;
	struct lig_vnet_hdr h;

	/* gso_size 1: 5000 segments; 0; below the minimum. */
	h = gso_hdr(false, 1);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	assert_false(lig_buffer_get(bi)->flags & (LIG_BUFFER_GSO | LIG_BUFFER_CSUM_PARTIAL));
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 0);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 47);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	/* csum_start past the end; at the IP header; csum_offset not TCP's. */
	h = gso_hdr(false, 1448);
	h.csum_start = htole16(60000);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_CSUM);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 1448);
	h.csum_start = htole16(14);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 1448);
	h.csum_offset = htole16(6);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	/* hdr_len beyond the frame. */
	h = gso_hdr(false, 1448);
	h.hdr_len = htole16((u16)(len + 1));
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_HDR_LEN);
	lig_buffer_free_one(bi);
	/* No checksum request; TCPV6 on an IPv4 frame; UDP GSO; GSO without gso_ok. */
	h = gso_hdr(false, 1448);
	h.flags = 0;
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 1448);
	h.gso_type = LIG_VNET_HDR_GSO_TCPV6;
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 1448);
	h.gso_type = LIG_VNET_HDR_GSO_UDP;
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_GSO);
	lig_buffer_free_one(bi);
	h = gso_hdr(false, 1448);
	bi = lig_buffer_from_bytes(frame, len);
	assert_int_equal(lig_vnet_hdr_to_buffer(&h, lig_buffer_get(bi), len, 2048, false),
			 LIG_VNET_RX_GSO);
	lig_buffer_free_one(bi);
	/* Not TCP: the IPv4 protocol says UDP. */
	frame[14 + 9] = 17;
	h = gso_hdr(false, 1448);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	frame[14 + 9] = 6;
	/* The IPv4 total length beyond the frame. */
	frame[14 + 2] = 0xff;
	frame[14 + 3] = 0xff;
	h = gso_hdr(false, 1448);
	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

static void
test_segment_refusals(void **state)
{
	(void)state;
	static u8 frame[70000];
	u32 len = build_tcp(frame, false, 30000, 0x10), bi, out[LIG_GSO_MAX_SEGS];
	u32 n_free0 = lig_buffer_pool.n_free;
	struct lig_vnet_hdr h = gso_hdr(false, 1000);

	assert_int_equal(receive(frame, len, &h, &bi), LIG_VNET_RX_OK);
	/* Room for fewer segments than it makes: refused, the packet left to the caller. */
	assert_int_equal(lig_gso_segment(bi, out, 10), -E2BIG);
	/* Headers changed behind its back: the checksum offset no longer TCP's. */
	lig_buffer_get(bi)->csum_start--;
	assert_int_equal(lig_gso_segment(bi, out, LIG_ARRAY_LEN(out)), -EINVAL);
	lig_buffer_get(bi)->csum_start++;
	/* The pool runs dry halfway: nothing leaks, the packet is intact. */
	u32 hold[POOL], n_hold = lig_buffer_alloc(hold, lig_buffer_pool.n_free - 12);
	assert_int_equal(lig_gso_segment(bi, out, LIG_ARRAY_LEN(out)), -ENOMEM);
	lig_buffer_free(hold, n_hold);
	assert_int_equal(lig_gso_segment(bi, out, LIG_ARRAY_LEN(out)), 30);
	lig_buffer_free(out, 30);
	/* A plain packet is not segmented. */
	bi = lig_buffer_from_bytes(frame, 100);
	assert_int_equal(lig_gso_segment(bi, out, LIG_ARRAY_LEN(out)), -EINVAL);
	lig_buffer_free_one(bi);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

/* A kernel VXLAN peer's UDP tunnel GSO: the header says TCPV4, the TCP packet is inside
 * VXLAN. Taken as a tunnel super-frame, not segmentable until decapsulated, then cut as
 * the inner packet. */
static void
test_tunnel(void **state)
{
	(void)state;
	static u8 inner[70000], frame[70100], seg[4000];
	u32 ilen = build_tcp(inner, false, 20000, 0x10), n_free0 = lig_buffer_pool.n_free, bi;
	u32 out[LIG_GSO_MAX_SEGS], olen = 50 + ilen;

	memcpy(frame, inner, 12);
	frame[12] = 0x08;
	u8 *ip = frame + 14, *udp = ip + 20;
	memset(ip, 0, 36);
	ip[0] = 0x45;
	ip[2] = (u8)((olen - 14) >> 8);
	ip[3] = (u8)(olen - 14);
	ip[8] = 64;
	ip[9] = 17;
	udp[0] = 0xc0;
	udp[2] = 0x12;
	udp[3] = 0xb5; /* 4789 */
	udp[4] = (u8)((olen - 34) >> 8);
	udp[5] = (u8)(olen - 34);
	udp[8] = 0x08;
	udp[14] = 9;
	memcpy(frame + 50, inner, ilen);
	struct lig_vnet_hdr h = gso_hdr(false, 1398);
	h.csum_start = htole16(84);
	h.hdr_len = htole16(116);
	assert_int_equal(receive(frame, olen, &h, &bi), LIG_VNET_RX_OK);
	struct lig_buffer *b = lig_buffer_get(bi);
	assert_true(b->flags & LIG_BUFFER_GSO_TUNNEL);
	assert_true(b->flags & LIG_BUFFER_GSO_TCP4);
	assert_int_equal(lig_gso_segment(bi, out, LIG_ARRAY_LEN(out)), -EINVAL);
	/* What vxlan4-input does. */
	lig_buffer_advance(b, 50);
	b->flags &= ~LIG_BUFFER_GSO_TUNNEL;
	int n = lig_gso_segment(bi, out, LIG_ARRAY_LEN(out));
	assert_int_equal(n, (20000 + 1397) / 1398);
	u32 slen = lig_buffer_length_in_chain(lig_buffer_get(out[1]));
	assert_int_equal(slen, 66 + 1398);
	assert_int_equal(lig_buffer_csum_finish(lig_buffer_get(out[1])), 0);
	lig_buffer_copy_out(out[1], 0, seg, slen);
	assert_memory_equal(seg + 66, inner + 66 + 1398, 1398);
	lig_buffer_free(out, (u32)n);
	/* A UDP port other than VXLAN's is no tunnel. */
	udp[3] = 0xb6;
	assert_int_equal(receive(frame, olen, &h, &bi), LIG_VNET_RX_BAD_GSO);
	lig_buffer_free_one(bi);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

static void
test_parse(void **state)
{
	(void)state;
	u8 frame[200];
	struct lig_gso_hdrs h;
	u32 len = build_tcp(frame, false, 10, 0x10);

	assert_int_equal(lig_gso_parse(frame, len, len, &h), 0);
	assert_int_equal(h.l3_offset, 14);
	assert_int_equal(h.l4_offset, 34);
	assert_int_equal(h.hdr_size, 66);
	/* Every truncation of the headers is refused. */
	for (u32 k = 0; k < 66; k++)
		assert_int_equal(lig_gso_parse(frame, k, k, &h), -EINVAL);
	/* A VLAN tag moves everything by four. */
	u8 tagged[204];
	memcpy(tagged, frame, 12);
	tagged[12] = 0x81;
	tagged[13] = 0;
	tagged[14] = 0;
	tagged[15] = 5;
	memcpy(tagged + 16, frame + 12, len - 12);
	assert_int_equal(lig_gso_parse(tagged, len + 4, len + 4, &h), 0);
	assert_int_equal(h.l4_offset, 38);
	/* A fragment, and a TCP data offset below 5 words. */
	frame[14 + 7] = 1;
	assert_int_equal(lig_gso_parse(frame, len, len, &h), -EINVAL);
	frame[14 + 7] = 0;
	frame[34 + 12] = 4 << 4;
	assert_int_equal(lig_gso_parse(frame, len, len, &h), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_segment_ip4),
	    cmocka_unit_test(test_segment_ip6),
	    cmocka_unit_test(test_rx_refusals),
	    cmocka_unit_test(test_segment_refusals),
	    cmocka_unit_test(test_tunnel),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

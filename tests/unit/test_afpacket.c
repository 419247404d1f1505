/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the af_packet and tap datapath pieces that need no kernel: virtio-net
 * header to/from buffer checksum marking, TPACKET_V2 slot parsing with hostile offsets, and
 * af-packet-input / af-packet-tx run against rings in plain memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <unistd.h>

#include "afpacket/afpacket.h"
#include "interface/rx_queue.h"
#include "gso/vnet_hdr.h"
#include "vlib/graph.h"

#define MAC_OFF 96 /* tp_mac the test frames use: >= header + sockaddr_ll + vnet hdr */

static int
setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(4096) < 0 || lig_graph_init() < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	lig_graph_free();
	lig_buffer_pool_free();
	return 0;
}

/* ---- virtio-net header ---- */

static void
test_vnet_rx_plain(void **state)
{
	(void)state;
	struct lig_vnet_hdr h = {0};
	u32 bi;
	assert_int_equal(lig_buffer_alloc(&bi, 1), 1);
	struct lig_buffer *b = lig_buffer_get(bi);
	assert_int_equal(lig_vnet_hdr_to_buffer(&h, b, 100, 100, false), LIG_VNET_RX_OK);
	assert_false(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	/* DATA_VALID alone is not a partial checksum. */
	h.flags = LIG_VNET_HDR_F_DATA_VALID;
	assert_int_equal(lig_vnet_hdr_to_buffer(&h, b, 100, 100, false), LIG_VNET_RX_OK);
	assert_false(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	lig_buffer_free(&bi, 1);
}

static void
test_vnet_rx_needs_csum(void **state)
{
	(void)state;
	struct lig_vnet_hdr h = {.flags = LIG_VNET_HDR_F_NEEDS_CSUM,
				 .csum_start = htole16(34),
				 .csum_offset = htole16(16)};
	u32 bi;
	assert_int_equal(lig_buffer_alloc(&bi, 1), 1);
	struct lig_buffer *b = lig_buffer_get(bi);
	b->current_data = 0;
	assert_int_equal(lig_vnet_hdr_to_buffer(&h, b, 100, 100, false), LIG_VNET_RX_OK);
	assert_true(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	assert_int_equal(b->csum_start, 34);
	assert_int_equal(b->csum_offset, 16);
	lig_buffer_free(&bi, 1);
}

static void
test_vnet_rx_rejects(void **state)
{
	(void)state;
	struct lig_vnet_hdr gso = {.gso_type = 1 /* TCPV4 */, .gso_size = htole16(1448)};
	struct lig_vnet_hdr bad = {.flags = LIG_VNET_HDR_F_NEEDS_CSUM,
				   .csum_start = htole16(90),
				   .csum_offset = htole16(16)};
	u32 bi;
	assert_int_equal(lig_buffer_alloc(&bi, 1), 1);
	struct lig_buffer *b = lig_buffer_get(bi);
	assert_int_equal(lig_vnet_hdr_to_buffer(&gso, b, 9000, 9000, false), LIG_VNET_RX_GSO);
	/* Checksum field would lie past the end of a 100-byte frame. */
	assert_int_equal(lig_vnet_hdr_to_buffer(&bad, b, 100, 100, false), LIG_VNET_RX_BAD_CSUM);
	assert_false(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	bad.csum_start = htole16(0xffff);
	bad.csum_offset = htole16(0xffff);
	assert_int_equal(lig_vnet_hdr_to_buffer(&bad, b, 100, 100, false), LIG_VNET_RX_BAD_CSUM);
	lig_buffer_free(&bi, 1);
}

static void
test_vnet_tx(void **state)
{
	(void)state;
	struct lig_vnet_hdr h;
	u32 bi;
	assert_int_equal(lig_buffer_alloc(&bi, 1), 1);
	struct lig_buffer *b = lig_buffer_get(bi);
	b->current_length = 100;
	lig_vnet_hdr_from_buffer(&h, b);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.gso_type, 0);
	/* A packet whose start moved (e.g. a header pushed): offsets are frame-relative. */
	b->flags |= LIG_BUFFER_CSUM_PARTIAL;
	b->current_data = -4;
	b->csum_start = 30; /* relative to data[]: 34 bytes into the frame */
	b->csum_offset = 6;
	lig_vnet_hdr_from_buffer(&h, b);
	assert_int_equal(h.flags, LIG_VNET_HDR_F_NEEDS_CSUM);
	assert_int_equal(le16toh(h.csum_start), 34);
	assert_int_equal(le16toh(h.csum_offset), 6);
	assert_int_equal(le16toh(h.hdr_len), 42);
	b->current_data = 0;
	lig_buffer_free(&bi, 1);
}

/* ---- Ring parsing ---- */

/* Writes a TPACKET_V2 slot: header + sockaddr_ll + vnet header + data, handed to user. */
static void
put_slot(u8 *slot, u32 len, u32 snaplen, u8 pkttype, const struct lig_vnet_hdr *vh, u8 fill)
{
	struct tpacket2_hdr *h = (void *)slot;
	struct sockaddr_ll *sll = (void *)(slot + TPACKET_ALIGN(sizeof(*h)));

	memset(h, 0, sizeof(*h));
	h->tp_mac = MAC_OFF;
	h->tp_net = MAC_OFF + 14;
	h->tp_len = len;
	h->tp_snaplen = snaplen;
	h->tp_status = TP_STATUS_USER |
		       (vh && (vh->flags & LIG_VNET_HDR_F_NEEDS_CSUM) ? TP_STATUS_CSUMNOTREADY : 0);
	memset(sll, 0, sizeof(*sll));
	sll->sll_pkttype = pkttype;
	struct lig_vnet_hdr zero = {0};
	memcpy(slot + MAC_OFF - sizeof(zero), vh ? vh : &zero, sizeof(zero));
	u8 *frame = slot + MAC_OFF;
	for (u32 i = 0; i < snaplen; i++)
		frame[i] = (u8)(fill + i);
	/* A plausible Ethernet header: unicast dst, unicast non-zero src, IPv4. */
	if (snaplen >= 14)
		memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
}

static void
test_parse_frame(void **state)
{
	(void)state;
	static u8 slot[8192];
	struct lig_afpacket_pkt p;

	put_slot(slot, 60, 60, PACKET_HOST, NULL, 0);
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p), LIG_AFPACKET_PKT_OK);
	assert_ptr_equal(p.frame, slot + MAC_OFF);
	assert_ptr_equal((const u8 *)p.vnet, slot + MAC_OFF - 10);
	assert_int_equal(p.len, 60);
	put_slot(slot, 200, 100, PACKET_OTHERHOST, NULL, 0);
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p),
			 LIG_AFPACKET_PKT_TRUNCATED);
	put_slot(slot, 60, 60, PACKET_OUTGOING, NULL, 0);
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p),
			 LIG_AFPACKET_PKT_OUTGOING);

	put_slot(slot, 60, 60, PACKET_HOST, NULL, 0);
	struct tpacket2_hdr *h = (void *)slot;
	/* Data running past the slot. */
	assert_int_equal(lig_afpacket_parse_frame(slot, MAC_OFF + 59, &p),
			 LIG_AFPACKET_PKT_BAD_BOUNDS);
	/* A slot too small for the headers. */
	assert_int_equal(lig_afpacket_parse_frame(slot, 16, &p), LIG_AFPACKET_PKT_BAD_BOUNDS);
	/* tp_mac pointing into the frame header (no room for sockaddr_ll + vnet hdr). */
	h->tp_mac = 20;
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p),
			 LIG_AFPACKET_PKT_BAD_BOUNDS);
	h->tp_mac = MAC_OFF;
	/* Huge snaplen: u32 overflow must not wrap into the slot. */
	h->tp_snaplen = 0xffffff00u;
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p),
			 LIG_AFPACKET_PKT_BAD_BOUNDS);
	h->tp_snaplen = 60;
	h->tp_mac = 0xfff0;
	assert_int_equal(lig_afpacket_parse_frame(slot, sizeof(slot), &p),
			 LIG_AFPACKET_PKT_BAD_BOUNDS);
}

/* ---- Nodes against rings in memory ---- */

#define RX_SLOT 16384
#define RX_SLOTS 512

static struct lig_afpacket_dev *
fake_dev(u32 *sw_if_index)
{
	static struct lig_afpacket_dev *list[4];
	struct lig_afpacket_dev *dev = calloc(1, sizeof(*dev));
	assert_non_null(dev);
	dev->fd = -1;
	dev->gso_fd = -1;
	dev->rx_frame_size = RX_SLOT;
	dev->rx_frame_count = RX_SLOTS;
	dev->rxqs = aligned_alloc(LIG_CACHE_LINE, sizeof(*dev->rxqs));
	assert_non_null(dev->rxqs);
	memset(dev->rxqs, 0, sizeof(*dev->rxqs));
	dev->n_rx_queues = 1;
	dev->rxqs[0].fd = -1;
	dev->rxqs[0].dev = dev;
	dev->rxqs[0].rx_ring = aligned_alloc(4096, (size_t)RX_SLOTS * RX_SLOT);
	dev->tx_frame_size = LIG_AFPACKET_TX_FRAME_SIZE;
	dev->tx_frame_count = 4;
	dev->tx_ring = aligned_alloc(4096, 4 * LIG_AFPACKET_TX_FRAME_SIZE);
	memset(dev->rxqs[0].rx_ring, 0, (size_t)RX_SLOTS * RX_SLOT);
	memset(dev->tx_ring, 0, 4 * LIG_AFPACKET_TX_FRAME_SIZE);
	snprintf(dev->host_if, sizeof(dev->host_if), "fake0");
	struct lig_interface *ifp = lig_if_create(&lig_afpacket_class, "host-fake0", dev, NULL);
	assert_non_null(ifp);
	dev->sw_if_index = ifp->sw_if_index;
	*sw_if_index = ifp->sw_if_index;
	lig_afpacket_devs = list;
	lig_afpacket_devs[0] = dev;
	lig_afpacket_n_devs = 1;
	/* af-packet-input polls the rx queues placed on its thread. */
	assert_int_equal(lig_rxq_add(dev->sw_if_index, 0, lig_afpacket_input_node.index,
				     &dev->rxqs[0], -1, NULL, NULL, false),
			 0);
	return dev;
}

static void
free_fake_dev(struct lig_afpacket_dev *dev, u32 sw_if_index)
{
	u8 *rx = dev->rxqs[0].rx_ring, *tx = dev->tx_ring;
	assert_int_equal(lig_if_delete(sw_if_index), 0); /* destroy frees dev */
	assert_int_equal(lig_afpacket_n_devs, 0);
	free(rx);
	free(tx);
}

static u64
node_error(const char *node_name, u32 code)
{
	struct lig_node *n = lig_node_by_name(node_name);
	return lig_graph.error_counters[n->error_base + code];
}

static u32
slot_status(struct lig_afpacket_dev *dev, u32 i)
{
	return ((struct tpacket2_hdr *)(dev->rxqs[0].rx_ring + (size_t)i * dev->rx_frame_size))
	    ->tp_status;
}

static void
test_input_node(void **state)
{
	(void)state;
	u32 sw;
	struct lig_afpacket_dev *dev = fake_dev(&sw);
	u8 *ring = dev->rxqs[0].rx_ring;
	struct lig_vnet_hdr csum = {.flags = LIG_VNET_HDR_F_NEEDS_CSUM,
				    .csum_start = htole16(34),
				    .csum_offset = htole16(16)};
	struct lig_vnet_hdr gso = {.gso_type = 1, .gso_size = htole16(1448)};
	u32 n_free0 = lig_buffer_pool.n_free;

	put_slot(ring, 60, 60, PACKET_HOST, NULL, 0);
	put_slot(ring + RX_SLOT, 5000, 5000, PACKET_HOST, &csum, 7);
	put_slot(ring + 2 * RX_SLOT, 9000, 100, PACKET_HOST, NULL, 0); /* truncated */
	put_slot(ring + 3 * RX_SLOT, 60, 60, PACKET_OUTGOING, NULL, 0);
	put_slot(ring + 4 * RX_SLOT, 3000, 3000, PACKET_HOST, &gso, 0);

	struct lig_node *in = lig_node_by_name("af-packet-input");
	struct lig_node *eth = lig_node_by_name("ethernet-input");
	/* The GSO frame has no checksum request: a bogus GSO request (error 3). */
	u64 trunc0 = node_error("af-packet-input", 0), gso0 = node_error("af-packet-input", 3);
	u32 n = in->function(in, NULL);
	assert_int_equal(n, 5); /* 2 produced + 3 consumed in the ring */
	assert_int_not_equal(eth->pending_frame, LIG_INVALID_INDEX);
	struct lig_frame *f = lig_graph.frames[eth->pending_frame];
	assert_int_equal(f->n_vectors, 2);

	struct lig_buffer *b0 = lig_buffer_get(f->buffers[0]);
	assert_int_equal(b0->current_length, 60);
	assert_int_equal(b0->sw_if_index[LIG_RX], sw);
	assert_false(b0->flags & (LIG_BUFFER_NEXT_PRESENT | LIG_BUFFER_CSUM_PARTIAL));

	/* 5000 bytes: a chain of 2048 + 2048 + 904 with the partial checksum marked. */
	struct lig_buffer *b1 = lig_buffer_get(f->buffers[1]);
	assert_int_equal(lig_buffer_length_in_chain(b1), 5000);
	assert_int_equal(b1->current_length, 2048);
	assert_true(b1->flags & LIG_BUFFER_NEXT_PRESENT);
	assert_true(b1->flags & LIG_BUFFER_CSUM_PARTIAL);
	assert_int_equal(b1->csum_start, 34);
	assert_int_equal(b1->csum_offset, 16);
	u8 copy[5000];
	assert_int_equal(lig_buffer_copy_out(f->buffers[1], 0, copy, sizeof(copy)), 5000);
	assert_memory_equal(copy, ring + RX_SLOT + MAC_OFF, 5000);

	assert_int_equal(node_error("af-packet-input", 0) - trunc0, 1);
	assert_int_equal(node_error("af-packet-input", 3) - gso0, 1);
	assert_int_equal(lig_if_counters(lig_if_get(sw))->rx_packets, 2);
	assert_int_equal(lig_if_counters(lig_if_get(sw))->rx_bytes, 5060);
	assert_int_equal(lig_if_counters(lig_if_get(sw))->rx_errors, 2);
	/* Every slot handed back, the next (still the kernel's) is next. */
	for (u32 i = 0; i < 5; i++)
		assert_int_equal(slot_status(dev, i), TP_STATUS_KERNEL);
	assert_int_equal(dev->rxqs[0].rx_head, 5);
	assert_int_equal(in->function(in, NULL), 0);

	/* Let the frames run to error-drop (the interface is admin down). */
	lig_graph_dispatch_pending();
	free_fake_dev(dev, sw);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

static void
test_input_budget(void **state)
{
	(void)state;
	u32 sw;
	struct lig_afpacket_dev *dev = fake_dev(&sw);

	/* 300 small frames: 256 on the first call, 44 on the second. */
	for (u32 i = 0; i < 300; i++)
		put_slot(dev->rxqs[0].rx_ring + (size_t)i * RX_SLOT, 40, 40, PACKET_HOST, NULL,
			 (u8)i);
	struct lig_node *in = lig_node_by_name("af-packet-input");
	assert_int_equal(in->function(in, NULL), 256);
	assert_int_equal(slot_status(dev, 255), TP_STATUS_KERNEL);
	assert_true(slot_status(dev, 256) & TP_STATUS_USER);
	assert_int_equal(in->function(in, NULL), 44);
	assert_int_equal(slot_status(dev, 299), TP_STATUS_KERNEL);
	lig_graph_dispatch_pending();
	assert_int_equal(lig_if_counters(lig_if_get(sw))->rx_packets, 300);
	free_fake_dev(dev, sw);
}

static void
test_input_bad_frame(void **state)
{
	(void)state;
	u32 sw;
	struct lig_afpacket_dev *dev = fake_dev(&sw);

	/* Data beyond the slot: counted, the slot handed back, the next one read. */
	put_slot(dev->rxqs[0].rx_ring, 60, 60, PACKET_HOST, NULL, 0);
	((struct tpacket2_hdr *)dev->rxqs[0].rx_ring)->tp_snaplen = RX_SLOT;
	put_slot(dev->rxqs[0].rx_ring + RX_SLOT, 60, 60, PACKET_HOST, NULL, 0);
	struct lig_node *in = lig_node_by_name("af-packet-input");
	assert_int_equal(in->function(in, NULL), 2);
	assert_int_equal(dev->rxqs[0].rx_bad_frames, 1);
	assert_int_equal(slot_status(dev, 0), TP_STATUS_KERNEL);
	assert_int_equal(dev->rxqs[0].rx_head, 2);
	lig_graph_dispatch_pending();
	assert_int_equal(lig_if_counters(lig_if_get(sw))->rx_packets, 1);
	free_fake_dev(dev, sw);
}

/* A frame larger than its slot: the slot is cut and says TP_STATUS_COPY, the whole frame
 * waits on the socket (here a datagram socketpair standing in for the packet socket). */
static void
test_input_copy(void **state)
{
	(void)state;
	u32 sw, n_free0 = lig_buffer_pool.n_free;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	struct lig_afpacket_dev *dev = fake_dev(&sw);
	dev->fd = sv[0];
	dev->rxqs[0].fd = sv[0];
	static u8 dgram[10 + 9000];
	struct lig_vnet_hdr vh = {.flags = LIG_VNET_HDR_F_NEEDS_CSUM,
				  .csum_start = htole16(34),
				  .csum_offset = htole16(16)};
	memcpy(dgram, &vh, 10);
	for (u32 i = 0; i < 9000; i++)
		dgram[10 + i] = (u8)(i * 3);
	memcpy(dgram + 10, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	assert_int_equal(send(sv[1], dgram, sizeof(dgram), 0), (ssize_t)sizeof(dgram));
	/* Slot 0: cut, with its copy queued; slot 1: cut with TP_STATUS_COPY but no copy
	 * left (counted); slot 2: a small frame read from the ring. */
	put_slot(dev->rxqs[0].rx_ring, 9000, 1900, PACKET_HOST, &vh, 0);
	((struct tpacket2_hdr *)dev->rxqs[0].rx_ring)->tp_status |= TP_STATUS_COPY;
	put_slot(dev->rxqs[0].rx_ring + RX_SLOT, 9000, 1900, PACKET_HOST, NULL, 0);
	((struct tpacket2_hdr *)(dev->rxqs[0].rx_ring + RX_SLOT))->tp_status |= TP_STATUS_COPY;
	put_slot(dev->rxqs[0].rx_ring + 2 * RX_SLOT, 60, 60, PACKET_HOST, NULL, 0);
	u64 copy0 = node_error("af-packet-input", 8);
	struct lig_node *in = lig_node_by_name("af-packet-input");
	assert_int_equal(in->function(in, NULL), 3);
	struct lig_frame *f = lig_graph.frames[lig_node_by_name("ethernet-input")->pending_frame];
	assert_int_equal(f->n_vectors, 2);
	struct lig_buffer *b = lig_buffer_get(f->buffers[0]);
	assert_int_equal(lig_buffer_length_in_chain(b), 9000);
	assert_true(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	static u8 got[9000];
	assert_int_equal(lig_buffer_copy_out(f->buffers[0], 0, got, sizeof(got)), 9000);
	assert_memory_equal(got, dgram + 10, 9000);
	assert_int_equal(dev->rxqs[0].rx_copies, 1);
	assert_int_equal(node_error("af-packet-input", 8) - copy0, 1);
	assert_int_equal(dev->rxqs[0].rx_head, 3);
	lig_graph_dispatch_pending();
	dev->fd = -1;
	free_fake_dev(dev, sw);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
}

static void
test_tx_node(void **state)
{
	(void)state;
	u32 sw;
	struct lig_afpacket_dev *dev = fake_dev(&sw);
	u8 pkt[3000];
	struct lig_frame f = {0};

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 7);
	/* A chained, partially checksummed packet, and a plain one. */
	u32 b0 = lig_buffer_from_bytes(pkt, sizeof(pkt));
	u32 b1 = lig_buffer_from_bytes(pkt, 60);
	assert_int_not_equal(b0, LIG_INVALID_INDEX);
	struct lig_buffer *b = lig_buffer_get(b0);
	b->flags |= LIG_BUFFER_CSUM_PARTIAL;
	b->csum_start = 34;
	b->csum_offset = 6;
	b->sw_if_index[LIG_TX] = sw;
	lig_buffer_get(b1)->sw_if_index[LIG_TX] = sw;
	f.buffers[0] = b0;
	f.buffers[1] = b1;
	f.n_vectors = 2;
	/* Slot 3 still owned by the kernel: the third packet finds the ring full. */
	u32 b2 = lig_buffer_from_bytes(pkt, 60);
	lig_buffer_get(b2)->sw_if_index[LIG_TX] = sw;
	f.buffers[2] = b2;
	f.n_vectors = 3;
	((struct tpacket2_hdr *)(dev->tx_ring + 2 * dev->tx_frame_size))->tp_status =
	    TP_STATUS_SENDING;
	u32 n_free0 = lig_buffer_pool.n_free;

	struct lig_node *tx = lig_node_by_name("af-packet-tx");
	assert_int_equal(tx->function(tx, &f), 3);

	struct tpacket2_hdr *h0 = (void *)dev->tx_ring;
	assert_int_equal(h0->tp_status, TP_STATUS_SEND_REQUEST);
	assert_int_equal(h0->tp_len, 3000 + 10);
	const struct lig_vnet_hdr *vh = (const void *)(dev->tx_ring + LIG_AFPACKET_TX_DATA_OFFSET);
	assert_int_equal(vh->flags, LIG_VNET_HDR_F_NEEDS_CSUM);
	assert_int_equal(le16toh(vh->csum_start), 34);
	assert_int_equal(le16toh(vh->csum_offset), 6);
	assert_memory_equal(vh + 1, pkt, sizeof(pkt));

	struct tpacket2_hdr *h1 = (void *)(dev->tx_ring + dev->tx_frame_size);
	assert_int_equal(h1->tp_status, TP_STATUS_SEND_REQUEST);
	assert_int_equal(h1->tp_len, 70);
	vh = (const void *)((u8 *)h1 + LIG_AFPACKET_TX_DATA_OFFSET);
	assert_int_equal(vh->flags, 0);

	assert_int_equal(dev->tx_head, 2);
	assert_int_equal(dev->tx_ring_full, 1);
	assert_int_equal(dev->tx_kicks, 1); /* one kick for the vector (fails: fd -1) */
	assert_int_equal(lig_if_counters(lig_if_get(sw))->tx_errors, 1);
	/* The two sent packets (2 + 1 buffers) were freed after the copy. */
	assert_int_equal(lig_buffer_pool.n_free, n_free0 + 3);
	lig_graph_dispatch_pending(); /* the ring-full drop */
	assert_int_equal(lig_buffer_pool.n_free, n_free0 + 4);
	free_fake_dev(dev, sw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vnet_rx_plain),   cmocka_unit_test(test_vnet_rx_needs_csum),
	    cmocka_unit_test(test_vnet_rx_rejects), cmocka_unit_test(test_vnet_tx),
	    cmocka_unit_test(test_parse_frame),	    cmocka_unit_test(test_input_node),
	    cmocka_unit_test(test_input_budget),    cmocka_unit_test(test_input_bad_frame),
	    cmocka_unit_test(test_input_copy),	    cmocka_unit_test(test_tx_node),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

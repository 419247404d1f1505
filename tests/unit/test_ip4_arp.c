/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the neighbour table and glean in a real graph: static entries survive
 * aging and learning, dynamic ones age out and take their host route with them, a
 * packet to an unresolved neighbour is held (not lost) and leaves with the right MAC
 * once the neighbour resolves, ARP requests for our address are answered in place.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ethernet/ethernet.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "loopback/loopback.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static u32 sw;
static const u8 our_mac[6] = {0x02, 0, 0, 0, 0, 1};

static u32
ip(const char *s)
{
	u32 a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static int
setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(4096) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		return -1;
	if (lig_loopback_create(our_mac, LIG_INVALID_INDEX, &sw) < 0 ||
	    lig_if_set_admin(sw, true) < 0 ||
	    lig_ip4_add_del_interface_address(sw, ip("10.5.0.1"), 24, true) < 0)
		return -1;
	return 0;
}

static u64
error_count(const char *node_name, const char *reason)
{
	struct lig_node *n = lig_node_by_name(node_name);
	for (u32 i = 0; n && i < n->n_errors; i++)
		if (strcmp(n->error_strings[i], reason) == 0)
			return lig_graph.error_counters[n->error_base + i];
	return 0;
}

static void
test_static_and_aging(void **state)
{
	u8 m1[6] = {0x02, 0, 0, 0, 0, 0x11}, m2[6] = {0x02, 0, 0, 0, 0, 0x12};
	u8 mc[6] = {0x01, 0, 0x5e, 0, 0, 1};
	(void)state;

	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.11"), m1, true, true), 0);
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.12"), m2, false, true), 0);
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.13"), mc, false, true), -EINVAL);
	assert_non_null(lig_fib_entry_find(0, ip("10.5.0.11"), 32));
	assert_non_null(lig_fib_entry_find(0, ip("10.5.0.12"), 32));
	/* Far in the future: the dynamic one ages out with its host route, the static stays. */
	u64 later = lig_time_now_ns() + 3600ull * 1000000000ull;
	assert_int_equal(lig_arp_age(later, 300ull * 1000000000ull), 1);
	assert_non_null(lig_fib_entry_find(0, ip("10.5.0.11"), 32));
	assert_null(lig_fib_entry_find(0, ip("10.5.0.12"), 32));
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.12"), NULL, false, false),
			 -ENOENT);
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.11"), NULL, false, false), 0);
	assert_null(lig_fib_entry_find(0, ip("10.5.0.11"), 32));
}

/* Aging walks only the neighbours in use: with holes left by deletions and partly refilled,
 * every dynamic one ages out (its host route with it), no static one does. */
static void
test_aging_walk(void **state)
{
	u8 m[6] = {0x02, 0, 0, 0, 0x77, 0};
	u32 n_dyn = 0;
	(void)state;

	for (u32 i = 0; i < 200; i++, n_dyn++) {
		m[5] = (u8)i;
		assert_int_equal(
		    lig_arp_neighbor_add_del(sw, htonl(0x0a070000 + i), m, false, true), 0);
	}
	for (u32 i = 0; i < 200; i += 3, n_dyn--)
		assert_int_equal(
		    lig_arp_neighbor_add_del(sw, htonl(0x0a070000 + i), NULL, false, false), 0);
	for (u32 i = 0; i < 30; i++) {
		m[4] = 0x78;
		m[5] = (u8)i;
		assert_int_equal(lig_arp_neighbor_add_del(sw, htonl(0x0a080000 + i), m, true, true),
				 0);
	}
	for (u32 i = 0; i < 50; i++, n_dyn++) {
		m[4] = 0x79;
		m[5] = (u8)i;
		assert_int_equal(
		    lig_arp_neighbor_add_del(sw, htonl(0x0a090000 + i), m, false, true), 0);
	}
	u64 later = lig_time_now_ns() + 3600ull * 1000000000ull, age = 300ull * 1000000000ull;
	assert_int_equal(lig_arp_age(later, age), n_dyn);
	assert_int_equal(lig_arp_age(later, age), 0);
	assert_null(lig_arp_neighbor_mac(sw, htonl(0x0a070001)));
	assert_null(lig_fib_entry_find(0, htonl(0x0a090031), 32));
	for (u32 i = 0; i < 30; i++) {
		assert_non_null(lig_arp_neighbor_mac(sw, htonl(0x0a080000 + i)));
		assert_int_equal(
		    lig_arp_neighbor_add_del(sw, htonl(0x0a080000 + i), NULL, false, false), 0);
	}
}

/* An IPv4/UDP packet from 10.5.0.1 to dst, as ip4-lookup receives it. */
static u32
make_packet(u32 dst)
{
	u8 p[48] = {0x45, 0, 0, 48, 0, 1, 0, 0, 64, 17, 0, 0};
	struct lig_ip4_header *h = (void *)p;
	h->src = ip("10.5.0.1");
	h->dst = dst;
	h->checksum = htons(lig_ip4_header_csum(h, 5));
	u32 bi = lig_buffer_from_bytes(p, sizeof(p));
	struct lig_buffer *b = lig_buffer_get(bi);
	b->current_data = 64; /* room for the Ethernet header */
	memmove(lig_buffer_data(b), b->data, sizeof(p));
	b->sw_if_index[LIG_RX] = sw;
	b->ip4.fib_index = 0;
	b->ip4.flags = LIG_IP4_BUF_LOCAL_ORIGIN;
	return bi;
}

static void
test_glean_holds_then_sends(void **state)
{
	u8 m[6] = {0x02, 0, 0, 0, 0, 0x21};
	(void)state;
	u32 free0 = lig_buffer_pool.n_free;
	u64 held0 = error_count("ip4-glean", "packets held for ARP resolution");
	u64 req0 = error_count("ip4-glean", "ARP requests sent");
	u64 tx0 = lig_if_counters(lig_if_get(sw))->tx_packets;

	for (int i = 0; i < 3; i++)
		lig_node_put(lig_ip4_main.lookup_node_index, make_packet(ip("10.5.0.21")));
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("ip4-glean", "packets held for ARP resolution") - held0, 3);
	assert_int_equal(error_count("ip4-glean", "ARP requests sent") - req0, 1);
	/* One ARP request left (and looped back into arp-input, which dropped it). */
	assert_int_equal(lig_if_counters(lig_if_get(sw))->tx_packets - tx0, 1);
	assert_int_equal(lig_buffer_pool.n_free, free0 - 3);

	/* Resolution releases the three packets to the neighbour, with its MAC. */
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.21"), m, false, true), 0);
	lig_graph_dispatch_pending();
	assert_int_equal(lig_if_counters(lig_if_get(sw))->tx_packets - tx0, 4);
	assert_int_equal(lig_buffer_pool.n_free, free0);
	const struct lig_adj *a =
	    lig_adj_get(lig_fib_lb_pick(lig_fib_lookup_lb(0, ip("10.5.0.21")), 0));
	assert_int_equal(a->type, LIG_ADJ_NEIGHBOR);
	assert_true(a->complete);
	assert_memory_equal(a->rewrite, m, 6);
	assert_memory_equal(a->rewrite + 6, our_mac, 6);
}

static void
test_arp_request_answered(void **state)
{
	(void)state;
	u8 f[60] = {0};
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x31", 6);
	f[12] = 0x08;
	f[13] = 0x06;
	struct lig_arp_header *arp = (void *)(f + 14);
	arp->htype = htons(LIG_ARP_HTYPE_ETHERNET);
	arp->ptype = htons(LIG_ETHERTYPE_IP4);
	arp->hlen = 6;
	arp->plen = 4;
	arp->op = htons(LIG_ARP_OP_REQUEST);
	memcpy(arp->sha, f + 6, 6);
	u32 spa = ip("10.5.0.31"), tpa = ip("10.5.0.1");
	memcpy(arp->spa, &spa, 4);
	memcpy(arp->tpa, &tpa, 4);
	u64 replies0 = error_count("arp-input", "ARP replies sent");
	u32 bi = lig_buffer_from_bytes(f, sizeof(f));
	lig_buffer_get(bi)->sw_if_index[LIG_RX] = sw;
	lig_node_put(lig_node_by_name("ethernet-input")->index, bi);
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("arp-input", "ARP replies sent") - replies0, 1);
	/* The requester was learned. */
	assert_non_null(lig_fib_entry_find(0, ip("10.5.0.31"), 32));
}

/* A neighbour learned while an API /32 shadowed it has no host route once that route
 * goes: glean must restore it and send the packet, not bounce it back to lookup. */
static void
test_shadowed_neighbor(void **state)
{
	u8 m[6] = {0x02, 0, 0, 0, 0, 0x51};
	(void)state;
	struct lig_fib_path p = {.type = LIG_FIB_PATH_DROP, .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("10.5.0.51"), 32, LIG_FIB_SRC_API, &p, 1, true), 0);
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.51"), m, false, true), 0);
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("10.5.0.51"), 32, LIG_FIB_SRC_API, NULL, 0, false), 0);
	u64 tx0 = lig_if_counters(lig_if_get(sw))->tx_packets;
	u32 free0 = lig_buffer_pool.n_free;
	lig_node_put(lig_ip4_main.lookup_node_index, make_packet(ip("10.5.0.51")));
	lig_graph_dispatch_pending();
	assert_int_equal(lig_if_counters(lig_if_get(sw))->tx_packets - tx0, 1);
	assert_int_equal(lig_buffer_pool.n_free, free0);
	assert_non_null(lig_fib_entry_find(0, ip("10.5.0.51"), 32));
}

/* Deleting an interface in a VRF removes its addresses, neighbours and their routes, so
 * the table can then be deleted. */
static void
test_interface_delete(void **state)
{
	u8 m[6] = {0x02, 0, 0, 0, 0, 0x41}, mac[6] = {0x02, 0, 0, 0, 0, 0x40};
	u32 sw2;
	(void)state;

	assert_int_equal(lig_fib_table_add_del(9, true), 0);
	u32 fi = lig_fib_table_find(9);
	assert_int_equal(lig_loopback_create(mac, LIG_INVALID_INDEX, &sw2), 0);
	assert_int_equal(lig_ip4_set_interface_table(sw2, 9), 0);
	assert_int_equal(lig_ip4_add_del_interface_address(sw2, ip("10.6.0.1"), 24, true), 0);
	assert_int_equal(lig_ip4_set_interface_table(sw2, 0), -EBUSY);
	assert_int_equal(lig_arp_neighbor_add_del(sw2, ip("10.6.0.2"), m, false, true), 0);
	struct lig_fib_path p = {
	    .type = LIG_FIB_PATH_NEXT_HOP, .nh = ip("10.6.0.2"), .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(lig_fib_route_add_del(fi, ip("60.0.0.0"), 8, LIG_FIB_SRC_API, &p, 1, true),
			 0);
	assert_int_equal(lig_fib_main.tables[fi].n_routes, 4);
	assert_int_equal(lig_fib_table_add_del(9, false), -EBUSY);
	assert_int_equal(lig_loopback_delete(sw2), 0);
	/* The API route stays (as VPP's), now dropping; everything of the interface is gone. */
	assert_int_equal(lig_fib_main.tables[fi].n_routes, 1);
	assert_int_equal(
	    lig_adj_get(lig_fib_lb_pick(lig_fib_lookup_lb(fi, ip("60.1.1.1")), 0))->type,
	    LIG_ADJ_DROP);
	assert_int_equal(lig_fib_table_add_del(9, false), 0);
}

/* A MAC change reaches the rewrites of the interface's complete neighbour adjacencies. */
static void
test_mac_change(void **state)
{
	u8 m[6] = {0x02, 0, 0, 0, 0, 0x61}, new_mac[6] = {0x02, 0, 0, 0, 0, 0x62};
	(void)state;

	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.61"), m, false, true), 0);
	const struct lig_adj *a = lig_adj_get(lig_adj_nbr_find(sw, ip("10.5.0.61")));
	assert_true(a->complete);
	assert_memory_equal(a->rewrite + 6, our_mac, 6);
	assert_int_equal(lig_if_set_mac(sw, new_mac), 0);
	assert_memory_equal(a->rewrite, m, 6);
	assert_memory_equal(a->rewrite + 6, new_mac, 6);
	assert_int_equal(lig_if_set_mac(sw, our_mac), 0);
	assert_memory_equal(a->rewrite + 6, our_mac, 6);
	assert_int_equal(lig_arp_neighbor_add_del(sw, ip("10.5.0.61"), NULL, false, false), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_and_aging),
	    cmocka_unit_test(test_aging_walk),
	    cmocka_unit_test(test_glean_holds_then_sends),
	    cmocka_unit_test(test_arp_request_answered),
	    cmocka_unit_test(test_shadowed_neighbor),
	    cmocka_unit_test(test_interface_delete),
	    cmocka_unit_test(test_mac_change),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the IPv4 FIB: the 16-8-8 trie against a naive longest-prefix-match
 * model with a million prefixes (insert, sampled lookups, delete), the route API with
 * connected/local routes, next hops, ECMP, VRF isolation and sources, and checksums.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <cmocka.h>

#include "infra/hash64.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "loopback/loopback.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static u64 rng_state = 0x1234567;

static u32
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state >> 11);
}

static inline u32
mask_host(u8 len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* A route table shape like the Internet's: mostly /24, some shorter, a few longer. */
static void
random_prefix(u32 *addr, u8 *len)
{
	u32 r = rnd() % 100;
	u8 l = r < 3 ? 8 + rnd() % 8 : r < 12 ? 16 + rnd() % 8 : r < 88 ? 24 : 25 + rnd() % 8;
	u32 a;
	do
		a = rnd();
	while ((a >> 24) == 10 || (a >> 24) == 0);
	*len = l;
	*addr = a & mask_host(l);
}

/* Naive LPM: probe every length from 32 down in a hash of (len, addr) -> value. */
static bool
model_lpm(const struct lig_hash64 *h, u32 addr, u8 max_len, u32 *value, u8 *len)
{
	for (int l = max_len; l >= 0; l--) {
		struct lig_hash64_slot *s =
		    lig_hash64_lookup(h, (u64)l << 32 | (addr & mask_host((u8)l)));
		if (s) {
			*value = (u32)s->value;
			*len = (u8)l;
			return true;
		}
	}
	return false;
}

static double
now_s(void)
{
	return (double)lig_time_now_ns() / 1e9;
}

static void
test_checksums(void **state)
{
	(void)state;
	u8 hdr[20] = {0x45, 0, 0, 84, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
	struct lig_ip4_header *ip = (void *)hdr;
	u16 ref = lig_ip4_csum_fold(lig_ip4_csum_add(0, hdr, 20));
	assert_int_equal(lig_ip4_header_csum(ip, 5), ref);
	ip->checksum = htons(ref);
	assert_int_equal(lig_ip4_header_csum(ip, 5), 0);
	/* The TTL decrement trick of ip4-rewrite gives the recomputed checksum. */
	for (int ttl = 255; ttl > 1; ttl--) {
		ip->ttl = (u8)ttl;
		ip->checksum = 0;
		ip->checksum = htons(lig_ip4_header_csum(ip, 5));
		ip->ttl--;
		u32 c = ip->checksum;
		c += htons(0x0100);
		ip->checksum = (u16)(c + (c >= 0xffff));
		assert_int_equal(lig_ip4_header_csum(ip, 5), 0);
	}
}

static void
test_mtrie_basic(void **state)
{
	struct lig_fib_mtrie m;
	(void)state;

	assert_int_equal(lig_fib_mtrie_init(&m, 7), 0);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x01020304), 7);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a000000, 8, 1), 0);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a010000, 16, 2), 0);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a010200, 24, 3), 0);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a010203, 32, 4), 0);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a010280, 25, 5), 0);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a090909), 1);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010909), 2);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010201), 3);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010203), 4);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a0102ff), 5);
	/* A shorter prefix inserted later does not hide the longer ones. */
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x00000000, 0, 9), 0);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0a000000, 12, 6), 0);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010203), 4);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a020000), 6);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0b000000), 9);
	lig_fib_mtrie_delete(&m, 0x0a010200, 24, 2, 16);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010201), 2);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010203), 4);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a0102ff), 5);
	lig_fib_mtrie_delete(&m, 0x0a010203, 32, 2, 16);
	lig_fib_mtrie_delete(&m, 0x0a010280, 25, 2, 16);
	lig_fib_mtrie_delete(&m, 0x0a010000, 16, 6, 12);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0a010203), 6);
	/* Everything below the /16 folded back: no groups left under 10.1/16's root entry. */
	assert_int_equal(m.n_groups_used, 0);
	/* A /16 fully covered by /24s of one value must still let one /24 go. */
	for (u32 i = 0; i < 256; i++)
		assert_int_equal(lig_fib_mtrie_insert(&m, 0x0b000000 | i << 8, 24, 3), 0);
	for (u32 i = 0; i < 256; i++)
		assert_int_equal(lig_fib_mtrie_insert(&m, 0x0b000000 | i << 8 | 7, 32, 4), 0);
	for (u32 i = 0; i < 256; i++)
		lig_fib_mtrie_delete(&m, 0x0b000000 | i << 8 | 7, 32, 3, 24);
	lig_fib_mtrie_delete(&m, 0x0b002a00, 24, 9, 0);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0b002a01), 9);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0b002b01), 3);
	assert_int_equal(lig_fib_mtrie_insert(&m, 0x0b000000, 20, 5), 0);
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0b002a01), 9); /* outside the /20 */
	assert_int_equal(lig_fib_mtrie_lookup(&m, 0x0b000f01), 3); /* its /24 is longer */
	lig_fib_mtrie_free(&m);
}

#define N_MILLION 1000000
#define N_SAMPLES 200000

static void
check_sample(const struct lig_fib_mtrie *m, const struct lig_hash64 *model, const u32 *addrs,
	     const u8 *lens, u32 n, u32 dflt)
{
	u32 bad = 0;
	for (u32 i = 0; i < N_SAMPLES; i++) {
		/* Half inside known prefixes, half anywhere. */
		u32 a = rnd();
		if (!(i & 1)) {
			u32 k = rnd() % n;
			a = addrs[k] | (rnd() & ~mask_host(lens[k]));
		}
		u32 v = dflt, got = lig_fib_mtrie_lookup(m, a);
		u8 l;
		model_lpm(model, a, 32, &v, &l);
		if (got != v && bad++ < 5)
			print_message("mismatch at %08x: trie %u model %u\n", a, got, v);
	}
	assert_int_equal(bad, 0);
}

static void
test_mtrie_million(void **state)
{
	struct lig_fib_mtrie m;
	struct lig_hash64 model;
	u32 *addrs = malloc(N_MILLION * sizeof(u32));
	u8 *lens = malloc(N_MILLION);
	double t0, t1;
	(void)state;

	assert_non_null(addrs);
	assert_non_null(lens);
	assert_int_equal(lig_fib_mtrie_init(&m, 0xffff), 0);
	assert_int_equal(lig_hash64_init(&model, 2 * N_MILLION), 0);
	for (u32 i = 0; i < N_MILLION; i++)
		random_prefix(&addrs[i], &lens[i]);
	t0 = now_s();
	for (u32 i = 0; i < N_MILLION; i++)
		assert_int_equal(lig_fib_mtrie_insert(&m, addrs[i], lens[i], i), 0);
	t1 = now_s();
	print_message("trie: %u inserts in %.3f s (%.0f/s), %u groups, %llu MB\n", N_MILLION,
		      t1 - t0, N_MILLION / (t1 - t0), m.n_groups_used,
		      (unsigned long long)(lig_fib_mtrie_memory(&m) >> 20));
	for (u32 i = 0; i < N_MILLION; i++)
		lig_hash64_set(&model, (u64)lens[i] << 32 | addrs[i], i);
	check_sample(&m, &model, addrs, lens, N_MILLION, 0xffff);

	/* Delete every other prefix, restoring what covers it. */
	t0 = now_s();
	for (u32 i = 0; i < N_MILLION; i += 2) {
		u64 key = (u64)lens[i] << 32 | addrs[i];
		struct lig_hash64_slot *s = lig_hash64_lookup(&model, key);
		if (!s)
			continue; /* a duplicate already deleted */
		lig_hash64_del(&model, key);
		u32 cv = 0xffff;
		u8 cl = 0;
		if (lens[i])
			model_lpm(&model, addrs[i], (u8)(lens[i] - 1), &cv, &cl);
		lig_fib_mtrie_delete(&m, addrs[i], lens[i], cv, cl);
	}
	t1 = now_s();
	print_message("trie: %u deletes in %.3f s\n", N_MILLION / 2, t1 - t0);
	check_sample(&m, &model, addrs, lens, N_MILLION, 0xffff);

	for (u32 i = 1; i < N_MILLION; i += 2) {
		u64 key = (u64)lens[i] << 32 | addrs[i];
		if (!lig_hash64_lookup(&model, key))
			continue;
		lig_hash64_del(&model, key);
		u32 cv = 0xffff;
		u8 cl = 0;
		model_lpm(&model, addrs[i], (u8)(lens[i] - 1), &cv, &cl);
		lig_fib_mtrie_delete(&m, addrs[i], lens[i], cv, cl);
	}
	assert_int_equal(model.count, 0);
	for (u32 i = 0; i < 10000; i++)
		assert_int_equal(lig_fib_mtrie_lookup(&m, rnd()), 0xffff);
	assert_int_equal(m.n_groups_used, 0);
	lig_fib_mtrie_free(&m);
	lig_hash64_free(&model);
	free(addrs);
	free(lens);
}

static u32 loop_sw;

static int
setup(void **state)
{
	u8 mac[6] = {0x02, 0, 0, 0, 0, 1};
	(void)state;
	if (lig_buffer_pool_init(4096) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		return -1;
	if (lig_loopback_create(mac, LIG_INVALID_INDEX, &loop_sw) < 0)
		return -1;
	return 0;
}

static u32
lookup_adj(u32 fib_index, const char *ip, u32 hash)
{
	u32 a;
	inet_pton(AF_INET, ip, &a);
	return lig_fib_lb_pick(lig_fib_lookup_lb(fib_index, a), hash);
}

static u32
ip(const char *s)
{
	u32 a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static void
test_routes_api(void **state)
{
	(void)state;
	struct lig_fib_path p = {.type = LIG_FIB_PATH_NEXT_HOP, .sw_if_index = LIG_INVALID_INDEX};

	assert_int_equal(lig_ip4_add_del_interface_address(loop_sw, ip("10.0.0.1"), 24, true), 0);
	assert_int_equal(lig_ip4_add_del_interface_address(loop_sw, ip("10.0.0.1"), 24, true),
			 -EEXIST);
	assert_int_equal(lig_ip4_add_del_interface_address(loop_sw, ip("10.9.0.1"), 16, true), 0);
	{
		u8 mac2[6] = {0x02, 0, 0, 0, 0, 9};
		u32 sw2;
		assert_int_equal(lig_loopback_create(mac2, LIG_INVALID_INDEX, &sw2), 0);
		assert_int_equal(lig_ip4_add_del_interface_address(sw2, ip("10.0.0.9"), 24, true),
				 -EADDRINUSE);
		assert_int_equal(lig_ip4_add_del_interface_address(sw2, ip("10.0.0.1"), 32, true),
				 -EEXIST);
		/* A second address of the same subnet on the same interface is fine. */
		assert_int_equal(
		    lig_ip4_add_del_interface_address(loop_sw, ip("10.0.0.5"), 24, true), 0);
		assert_int_equal(
		    lig_ip4_add_del_interface_address(loop_sw, ip("10.0.0.5"), 24, false), 0);
		assert_int_equal(lig_adj_get(lookup_adj(0, "10.0.0.77", 0))->type, LIG_ADJ_GLEAN);
	}
	assert_int_equal(lig_adj_get(lookup_adj(0, "10.0.0.1", 0))->type, LIG_ADJ_LOCAL);
	assert_int_equal(lig_adj_get(lookup_adj(0, "10.0.0.77", 0))->type, LIG_ADJ_GLEAN);
	assert_int_equal(lig_adj_get(lookup_adj(0, "10.9.3.4", 0))->type, LIG_ADJ_GLEAN);
	assert_int_equal(lig_adj_get(lookup_adj(0, "11.0.0.1", 0))->type, LIG_ADJ_MISS);

	/* Next hop resolved through the connected subnet. */
	p.nh = ip("10.0.0.2");
	assert_int_equal(lig_fib_route_add_del(0, ip("20.0.0.0"), 8, LIG_FIB_SRC_API, &p, 1, true),
			 0);
	struct lig_adj *a = lig_adj_get(lookup_adj(0, "20.1.2.3", 0));
	assert_int_equal(a->type, LIG_ADJ_NEIGHBOR);
	assert_int_equal(a->nh, ip("10.0.0.2"));
	assert_int_equal(a->sw_if_index, loop_sw);
	/* Unreachable next hop. */
	p.nh = ip("99.0.0.1");
	assert_int_equal(lig_fib_route_add_del(0, ip("21.0.0.0"), 8, LIG_FIB_SRC_API, &p, 1, true),
			 -EHOSTUNREACH);
	/* API may not take over an interface route. */
	p.nh = ip("10.0.0.3");
	assert_int_equal(lig_fib_route_add_del(0, ip("10.0.0.0"), 24, LIG_FIB_SRC_API, &p, 1, true),
			 -EEXIST);

	/* ECMP: four next hops spread flows over four adjacencies. */
	struct lig_fib_path ps[4];
	for (int i = 0; i < 4; i++) {
		char s[32];
		snprintf(s, sizeof(s), "10.0.0.%d", 10 + i);
		ps[i] = (struct lig_fib_path){
		    .type = LIG_FIB_PATH_NEXT_HOP, .nh = ip(s), .sw_if_index = loop_sw};
	}
	assert_int_equal(lig_fib_route_add_del(0, ip("30.0.0.0"), 16, LIG_FIB_SRC_API, ps, 4, true),
			 0);
	u32 hits[4] = {0};
	for (u32 h = 0; h < 4000; h++) {
		const struct lig_adj *x = lig_adj_get(lookup_adj(0, "30.0.1.1", h * 2654435761u));
		hits[(ntohl(x->nh) & 0xff) - 10]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(hits[i] == 1000);
	/* Remove one path: three remain, none lost. */
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("30.0.0.0"), 16, LIG_FIB_SRC_API, &ps[1], 1, false), 0);
	memset(hits, 0, sizeof(hits));
	for (u32 h = 0; h < 1600; h++) {
		const struct lig_adj *x = lig_adj_get(lookup_adj(0, "30.0.1.1", h));
		hits[(ntohl(x->nh) & 0xff) - 10]++;
	}
	assert_int_equal(hits[1], 0);
	assert_true(hits[0] > 400 && hits[2] > 400 && hits[3] > 400);
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("30.0.0.0"), 16, LIG_FIB_SRC_API, NULL, 0, false), 0);
	assert_int_equal(lig_adj_get(lookup_adj(0, "30.0.1.1", 0))->type, LIG_ADJ_MISS);

	/* VRF isolation: the same prefix in table 7 goes elsewhere. */
	assert_int_equal(lig_fib_table_add_del(7, true), 0);
	u32 fi7 = lig_fib_table_find(7);
	assert_int_not_equal(fi7, LIG_INVALID_INDEX);
	struct lig_fib_path d = {.type = LIG_FIB_PATH_DROP, .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(
	    lig_fib_route_add_del(fi7, ip("20.0.0.0"), 8, LIG_FIB_SRC_API, &d, 1, true), 0);
	assert_int_equal(lig_adj_get(lookup_adj(fi7, "20.1.2.3", 0))->type, LIG_ADJ_DROP);
	assert_int_equal(lig_adj_get(lookup_adj(0, "20.1.2.3", 0))->type, LIG_ADJ_NEIGHBOR);
	assert_int_equal(lig_adj_get(lookup_adj(fi7, "10.0.0.1", 0))->type, LIG_ADJ_MISS);
	assert_int_equal(lig_fib_table_add_del(7, false), 0);

	/* Neighbour resolution completes the adjacency and adds a host route. */
	u8 mac[6] = {0x02, 0, 0, 0, 0, 2};
	assert_int_equal(lig_arp_neighbor_add_del(loop_sw, ip("10.0.0.2"), mac, true, true), 0);
	a = lig_adj_get(lookup_adj(0, "20.1.2.3", 0));
	assert_true(a->complete);
	assert_memory_equal(a->rewrite, mac, 6);
	assert_int_equal(lig_adj_get(lookup_adj(0, "10.0.0.2", 0))->type, LIG_ADJ_NEIGHBOR);
	assert_int_equal(lig_arp_neighbor_add_del(loop_sw, ip("10.0.0.2"), NULL, false, false), 0);
	assert_false(lig_adj_get(lookup_adj(0, "20.1.2.3", 0))->complete);
	assert_int_equal(lig_adj_get(lookup_adj(0, "10.0.0.2", 0))->type, LIG_ADJ_GLEAN);
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("20.0.0.0"), 8, LIG_FIB_SRC_API, NULL, 0, false), 0);
}

static u32
lbs_in_use(void)
{
	u32 n = 0;
	for (u32 i = 0; i < lig_ip4_tables.n_lbs; i++)
		n += lig_fib_lb_get(i)->n_buckets != 0;
	return n;
}

static u32
adjs_in_use(void)
{
	u32 n = 0;
	for (u32 i = 0; i < lig_ip4_tables.n_adjs; i++)
		n += lig_adj_get(i)->in_use;
	return n;
}

/* Weighted ECMP (1:3 over 16 buckets: 4 and 12), and lig_fib_route_update replacing the
 * path set (single <-> multi) without leaking load-balances or adjacencies. */
static void
test_routes_weights_and_update(void **state)
{
	(void)state;
	struct lig_fib_path ps[2] = {
	    {.type = LIG_FIB_PATH_NEXT_HOP,
	     .weight = 1,
	     .nh = ip("10.0.0.20"),
	     .sw_if_index = loop_sw},
	    {.type = LIG_FIB_PATH_NEXT_HOP,
	     .weight = 3,
	     .nh = ip("10.0.0.21"),
	     .sw_if_index = loop_sw},
	};
	u32 hits[2] = {0}, lbs_before = lbs_in_use(), adjs_before = adjs_in_use();

	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, ps, 2), 0);
	for (u32 h = 0; h < 16; h++)
		hits[(ntohl(lig_adj_get(lookup_adj(0, "31.0.1.1", h))->nh) & 0xff) - 20]++;
	assert_int_equal(hits[0], 4);
	assert_int_equal(hits[1], 12);
	struct lig_fib_entry *e = lig_fib_entry_find(0, ip("31.0.0.0"), 16);
	assert_non_null(e);
	assert_int_equal(lig_fib_entry_path(e, 1)->weight, 3);
	/* The same again changes nothing; equal weights spread evenly again. */
	u32 lb = e->lb_index;
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, ps, 2), 0);
	assert_int_equal(lig_fib_entry_find(0, ip("31.0.0.0"), 16)->lb_index, lb);
	ps[1].weight = 1;
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, ps, 2), 0);
	memset(hits, 0, sizeof(hits));
	for (u32 h = 0; h < 16; h++)
		hits[(ntohl(lig_adj_get(lookup_adj(0, "31.0.1.1", h))->nh) & 0xff) - 20]++;
	assert_int_equal(hits[0], 8);
	assert_int_equal(hits[1], 8);
	/* Replace by one path, then by a drop, then by two again: the trie follows. */
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, &ps[1], 1),
			 0);
	assert_int_equal(lig_fib_entry_find(0, ip("31.0.0.0"), 16)->n_paths, 1);
	assert_int_equal(ntohl(lig_adj_get(lookup_adj(0, "31.0.1.1", 5))->nh) & 0xff, 21);
	struct lig_fib_path d = {.type = LIG_FIB_PATH_DROP, .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, &d, 1), 0);
	assert_int_equal(lig_adj_get(lookup_adj(0, "31.0.1.1", 5))->type, LIG_ADJ_DROP);
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, ps, 2), 0);
	assert_int_equal(lig_fib_entry_find(0, ip("31.0.0.0"), 16)->n_paths, 2);
	/* A failing replacement leaves the route as it was. */
	struct lig_fib_path far = {
	    .type = LIG_FIB_PATH_NEXT_HOP, .nh = ip("99.0.0.1"), .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(lig_fib_route_update(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, &far, 1),
			 -EHOSTUNREACH);
	assert_int_equal(lig_fib_entry_find(0, ip("31.0.0.0"), 16)->n_paths, 2);
	/* A path given through the table is marked so; one given with its interface is not. */
	struct lig_fib_path via = {
	    .type = LIG_FIB_PATH_NEXT_HOP, .nh = ip("10.0.0.22"), .sw_if_index = LIG_INVALID_INDEX};
	assert_int_equal(lig_fib_route_update(0, ip("32.0.0.0"), 16, LIG_FIB_SRC_API, &via, 1), 0);
	e = lig_fib_entry_find(0, ip("32.0.0.0"), 16);
	assert_true(e->path.flags & LIG_FIB_PATH_F_VIA_TABLE);
	assert_int_equal(e->path.sw_if_index, loop_sw);
	assert_int_equal(e->path.weight, 1);
	assert_false(lig_fib_entry_find(0, ip("31.0.0.0"), 16)->path.flags &
		     LIG_FIB_PATH_F_VIA_TABLE);
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("32.0.0.0"), 16, LIG_FIB_SRC_API, NULL, 0, false), 0);
	assert_int_equal(
	    lig_fib_route_add_del(0, ip("31.0.0.0"), 16, LIG_FIB_SRC_API, NULL, 0, false), 0);
	/* Nothing leaked: the load-balances and adjacencies in use are those before. */
	assert_int_equal(lbs_in_use(), lbs_before);
	assert_int_equal(adjs_in_use(), adjs_before);
}

/* A million routes through the full API: rate, sampled correctness, then all deleted. */
/* The entry pool grows by realloc; its never-used tail must read as free, or a dump (which
 * walks the pool by index) returns garbage routes. glibc's M_PERTURB fills new memory with
 * a non-zero byte, so the tail is garbage unless the pool clears it (found by fuzz_api). */
static void
test_pool_growth_reads_free(void **state)
{
	(void)state;
	struct lig_fib_path p = {.type = LIG_FIB_PATH_DROP, .sw_if_index = LIG_INVALID_INDEX};
	u32 before = 0, after = 0, added = 0;

	for (u32 ei = 0; ei < lig_fib_main.n_entries_alloc; ei++)
		before += lig_fib_entry_at(ei) != NULL;
	mallopt(M_PERTURB, 0xa5);
	for (u32 i = 0; i < 3000; i++, added++)
		assert_int_equal(lig_fib_route_add_del(0, htonl(0x2d000000u | (i << 8)), 24,
						       LIG_FIB_SRC_API, &p, 1, true),
				 0);
	mallopt(M_PERTURB, 0);
	for (u32 ei = 0; ei < lig_fib_main.n_entries_alloc; ei++) {
		const struct lig_fib_entry *e = lig_fib_entry_at(ei);
		if (!e)
			continue;
		assert_true(e->fib_index < LIG_FIB_MAX_TABLES && e->len <= 32);
		after++;
	}
	assert_int_equal(after, before + added);
	for (u32 i = 0; i < 3000; i++)
		assert_int_equal(lig_fib_route_add_del(0, htonl(0x2d000000u | (i << 8)), 24,
						       LIG_FIB_SRC_API, NULL, 0, false),
				 0);
}

static void
test_routes_million(void **state)
{
	u32 *addrs = malloc(N_MILLION * sizeof(u32));
	u8 *lens = malloc(N_MILLION);
	struct lig_hash64 model;
	struct lig_fib_path ps[8];
	double t0, t1;
	u32 base_routes = lig_fib_main.tables[0].n_routes, n_added = 0;
	(void)state;

	assert_int_equal(lig_hash64_init(&model, 2 * N_MILLION), 0);
	for (int i = 0; i < 8; i++)
		ps[i] = (struct lig_fib_path){.type = LIG_FIB_PATH_NEXT_HOP,
					      .nh = htonl(0x0a000064 + i),
					      .sw_if_index = loop_sw};
	for (u32 i = 0; i < N_MILLION; i++)
		random_prefix(&addrs[i], &lens[i]);
	t0 = now_s();
	for (u32 i = 0; i < N_MILLION; i++) {
		int rv = lig_fib_route_add_del(0, htonl(addrs[i]), lens[i], LIG_FIB_SRC_API,
					       &ps[i & 7], 1, true);
		assert_int_equal(rv, 0);
	}
	t1 = now_s();
	for (u32 i = 0; i < N_MILLION; i++) {
		u64 key = (u64)lens[i] << 32 | addrs[i];
		if (!lig_hash64_lookup(&model, key)) {
			lig_hash64_set(&model, key, i & 7);
			n_added++;
		}
	}
	print_message("api: %u route adds in %.3f s (%.0f routes/s), %u distinct\n", N_MILLION,
		      t1 - t0, N_MILLION / (t1 - t0), n_added);
	assert_int_equal(lig_fib_main.tables[0].n_routes, base_routes + n_added);
	u32 bad = 0;
	for (u32 i = 0; i < N_SAMPLES; i++) {
		u32 k = rnd() % N_MILLION, a = addrs[k] | (rnd() & ~mask_host(lens[k])), v = 0;
		u8 l;
		assert_true(model_lpm(&model, a, 32, &v, &l));
		const struct lig_adj *x =
		    lig_adj_get(lig_fib_lb_pick(lig_fib_lookup_lb(0, htonl(a)), 0));
		if (x->type != LIG_ADJ_NEIGHBOR || ntohl(x->nh) != 0x0a000064 + v)
			bad++;
	}
	assert_int_equal(bad, 0);
	/* Lookup cost with a million routes: random destinations inside routed prefixes,
	 * a vector of 256 at a time as ip4-lookup sees them. */
	{
		static u32 dsts[256];
		u64 sum = 0, c0, c1;
		for (u32 i = 0; i < 256; i++) {
			u32 k = rnd() % N_MILLION;
			dsts[i] = htonl(addrs[k] | (rnd() & ~mask_host(lens[k])));
		}
		c0 = lig_rdtsc();
		for (u32 r = 0; r < 40000; r++) {
			for (u32 i = 0; i < 256; i++)
				sum += lig_fib_lb_pick(lig_fib_lookup_lb(0, dsts[i] ^ (r << 8)), r);
		}
		c1 = lig_rdtsc();
		print_message("api: lookup+lb pick with 1M routes: %.1f clocks each (%llu)\n",
			      (double)(c1 - c0) / (40000.0 * 256), (unsigned long long)(sum & 1));
	}
	t0 = now_s();
	for (u32 i = 0; i < N_MILLION; i++) {
		int rv = lig_fib_route_add_del(0, htonl(addrs[i]), lens[i], LIG_FIB_SRC_API, NULL,
					       0, false);
		assert_true(rv == 0 || rv == -ENOENT);
	}
	t1 = now_s();
	print_message("api: deletes in %.3f s\n", t1 - t0);
	assert_int_equal(lig_fib_main.tables[0].n_routes, base_routes);
	for (u32 i = 0; i < 10000; i++) {
		u32 a = rnd();
		if ((a >> 24) == 10)
			continue;
		assert_int_equal(lig_fib_lookup_lb(0, htonl(a)), LIG_FIB_LB_INDEX_MISS);
	}
	lig_hash64_free(&model);
	free(addrs);
	free(lens);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checksums),
	    cmocka_unit_test(test_mtrie_basic),
	    cmocka_unit_test(test_mtrie_million),
	    cmocka_unit_test(test_routes_api),
	    cmocka_unit_test(test_routes_weights_and_update),
	    cmocka_unit_test(test_pool_growth_reads_free),
	    cmocka_unit_test(test_routes_million),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process benchmark of the IPv4 and VXLAN nodes with full vectors (bench/ip4_forward.sh
 * runs it; not part of ligd): builds ligd's real graph, configures it through the CLI,
 * injects vectors of 256 frames into ethernet-input and reports each node's clocks per
 * packet, as VPP's show runtime would under load, with no kernel or af_packet cost.
 *   fwd-1     IPv4 forwarding, 1 route            (ethernet-input .. ip4-rewrite)
 *   fwd-1m    IPv4 forwarding, 1M /24 routes, random destinations
 *   encap     bridge -> VXLAN tunnel -> routed underlay
 *   decap     underlay -> ip4-local -> vxlan4-input -> bridge
 * Frames leave on loopbacks whose echo is dropped (not for us), so the pool is reused.
 * Built by bench/CMakeLists.txt into <build>/bin, linked with ligd_objs.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interface/interface.h"
#include "ip4/ip4.h"

#include "inproc_bench.h"

#define VEC 256
#define N_DST 65536

static u8 frames[N_DST][128];
static u32 frame_len;

static u16
csum(const u8 *p, u32 n)
{
	return lig_ip4_csum_fold(lig_ip4_csum_add(0, p, n));
}

/* Ethernet(dst, src) + IPv4/UDP 64 bytes from src_ip to dst_ip; returns the length. */
static u32
build(u8 *f, const u8 *dmac, const u8 *smac, u32 src_ip, u32 dst_ip)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	struct lig_ip4_header *ip = (void *)(f + 14);
	memset(ip, 0, 46);
	ip->ver_ihl = 0x45;
	ip->length = htons(46);
	ip->ttl = 64;
	ip->proto = 17;
	ip->src = src_ip;
	ip->dst = dst_ip;
	ip->checksum = htons(csum((u8 *)ip, 20));
	u8 *udp = (u8 *)(ip + 1);
	udp[0] = 0x04;
	udp[3] = 9;
	udp[5] = 26;
	return 60;
}

static u32 rx_sw;

static void
reset_stats(void)
{
	lig_graph_clear_runtime();
	lig_graph_clear_errors();
}

/* Injects n_vec vectors; prints per-node clocks/packet and the pipeline rate. */
static void
run(const char *label, u32 n_vec)
{
	u32 eth = lig_node_by_name("ethernet-input")->index, bis[VEC], k = 0;
	u64 c0, c1;

	reset_stats();
	c0 = lig_rdtsc();
	for (u32 v = 0; v < n_vec; v++) {
		u32 n = lig_buffer_alloc(bis, VEC);
		for (u32 i = 0; i < n; i++) {
			struct lig_buffer *b = lig_buffer_get(bis[i]);
			memcpy(b->data, frames[k++ & (N_DST - 1)], frame_len);
			b->current_length = (u16)frame_len;
			b->sw_if_index[LIG_RX] = rx_sw;
			lig_node_put(eth, bis[i]);
		}
		lig_graph_dispatch_pending();
	}
	c1 = lig_rdtsc();
	double pkts = (double)n_vec * VEC;
	printf("%-7s %6.2f Mpps in-process (incl. frame copy, drop), %.0f clocks/packet;", label,
	       pkts / ((double)(c1 - c0) / lig_tsc_hz()) / 1e6, (double)(c1 - c0) / pkts);
	double own = 0;
	for (u32 i = 0; i < lig_graph.n_nodes; i++) {
		struct lig_node *n = &lig_graph.nodes[i];
		if (!n->vectors)
			continue;
		double cpp = (double)n->clocks / (double)n->vectors;
		if (!strncmp(n->name, "ip4-", 4) || !strncmp(n->name, "vxlan4-", 7))
			own += cpp;
		printf(" %s=%.1f", n->name, cpp);
	}
	printf("; ip4/vxlan nodes %.1f clocks/packet\n", own);
}

int
main(int argc, char **argv)
{
	u32 n_vec = argc > 1 ? (u32)atoi(argv[1]) : 4000;
	static const u8 m0[6] = {0x02, 0, 0, 0, 0, 0x10}, nbr[6] = {0x02, 0, 0, 0, 0, 0x20};
	static const u8 m1[6] = {0x02, 0, 0, 0, 0, 0x11}, inner[6] = {0x02, 0, 0, 0, 0, 0x30};
	u32 src, nh;

	if (bench_init() < 0)
		return 1;
	inet_pton(AF_INET, "10.0.0.2", &nh);
	inet_pton(AF_INET, "10.0.0.9", &src);
	bench_cli("loopback create mac 02:00:00:00:00:10");
	bench_cli("set interface state loop0 up");
	bench_cli("set interface ip address loop0 10.0.0.1/24");
	bench_cli("set ip neighbor loop0 10.0.0.2 02:00:00:00:00:20 static");
	bench_cli("ip route add 32.0.0.0/4 via 10.0.0.2");
	rx_sw = lig_if_by_name("loop0")->sw_if_index;

	srand(1);
	for (u32 k = 0; k < N_DST; k++)
		frame_len =
		    build(frames[k], m0, nbr, src, htonl(0x20000000u | (rand() & 0x0fffffff)));
	run("fwd-1", n_vec);

	u64 t0 = lig_time_now_ns();
	for (u32 i = 0; i < (1u << 20); i++) {
		struct lig_fib_path p = {
		    .type = LIG_FIB_PATH_NEXT_HOP, .nh = nh, .sw_if_index = LIG_INVALID_INDEX};
		if (lig_fib_route_add_del(0, htonl(0x20000000u | i << 8), 24, LIG_FIB_SRC_API, &p,
					  1, true) < 0)
			return 1;
	}
	u64 t1 = lig_time_now_ns();
	printf("fib     1M /24 routes inserted in %.2f s: %.0f routes/s (lig_fib_route_add_del)\n",
	       (double)(t1 - t0) / 1e9, 1048576.0 / ((double)(t1 - t0) / 1e9));
	run("fwd-1m", n_vec);

	/* VXLAN: loop1 is a bridge port; the tunnel's far end is 10.0.0.2 on loop0. */
	bench_cli("loopback create mac 02:00:00:00:00:11");
	bench_cli("set interface state loop1 up");
	bench_cli("create bridge-domain 9 learn 0 forward 1 uu-flood 0 flood 0 arp-term 0");
	bench_cli("set interface l2 bridge loop1 9");
	bench_cli("create vxlan tunnel src 10.0.0.1 dst 10.0.0.2 vni 9");
	bench_cli("set interface l2 bridge vxlan_tunnel0 9");
	bench_cli("l2fib add 02:00:00:00:00:30 9 vxlan_tunnel0 static");
	bench_cli("l2fib add 02:00:00:00:00:11 9 loop1 static");
	rx_sw = lig_if_by_name("loop1")->sw_if_index;
	for (u32 k = 0; k < N_DST; k++)
		frame_len =
		    build(frames[k], inner, m1, src, htonl(0x20000000u | (rand() & 0xffff)));
	run("encap", n_vec);

	/* Decap: outer 10.0.0.2 -> 10.0.0.1 vni 9 on loop0, inner to loop1's MAC. */
	rx_sw = lig_if_by_name("loop0")->sw_if_index;
	for (u32 k = 0; k < N_DST; k++) {
		u8 *f = frames[k];
		u32 o_src = nh, o_dst;
		inet_pton(AF_INET, "10.0.0.1", &o_dst);
		memcpy(f, m0, 6);
		memcpy(f + 6, nbr, 6);
		f[12] = 0x08;
		f[13] = 0x00;
		struct lig_ip4_header *ip = (void *)(f + 14);
		memset(ip, 0, 36);
		ip->ver_ihl = 0x45;
		ip->length = htons(36 + 60);
		ip->ttl = 64;
		ip->proto = 17;
		ip->src = o_src;
		ip->dst = o_dst;
		ip->checksum = htons(csum((u8 *)ip, 20));
		u8 *udp = (u8 *)(ip + 1);
		udp[0] = 0xc0;
		udp[1] = (u8)k;
		udp[2] = 0x12;
		udp[3] = 0xb5;
		udp[5] = 16 + 60;
		u8 *vx = udp + 8;
		vx[0] = 0x08;
		vx[6] = 9;
		build(vx + 8, m1, inner, src, htonl(0x20000000u | k));
		frame_len = 14 + 36 + 60;
	}
	run("decap", n_vec);
	return 0;
}

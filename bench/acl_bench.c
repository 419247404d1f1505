/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process benchmark of the ACL nodes with full vectors (bench/acl_bench.sh runs it; not
 * part of ligd): ligd's real graph, IPv4 forwarding from loop0 to a neighbour behind loop1,
 * 64-byte TCP frames over 4096 flows; the input list of loop0 is, per case:
 *   none      no ACL (the forwarding path alone)
 *   acl10     10 rules; the packets match the last one (permit any)
 *   acl1000   1 000 rules of Kubernetes-policy shapes; the packets match the last one
 *   reflect   permit+reflect with deny-all output: every packet hits an existing session
 * The cases run interleaved (A,B,C,D,A,B,...) for the given rounds; each line gives the
 * ACL node's clocks/packet (show runtime's figure), the whole path's clocks/packet and the
 * in-process rate, then min/median/max per case.
 * Built by bench/CMakeLists.txt into <build>/bin, linked with ligd_objs.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "interface/interface.h"
#include "ip4/ip4.h"

#include "inproc_bench.h"

#define VEC 256
#define N_FLOWS 4096

static u8 frames[N_FLOWS][64];
static u32 rx_sw, tx_sw;

static void
build(u8 *f, u32 k)
{
	u8 *tcp = bench_ip4_frame64(f, 6, 0x0a000000u | (100u + (k & 63)), /* 10.0.0.100.. */
				    0x20000000u | (k * 2654435761u >> 8)); /* 32.x.y.z */
	tcp[0] = (u8)((20000 + k) >> 8);
	tcp[1] = (u8)(20000 + k);
	tcp[2] = 0x1f; /* dport 8080 */
	tcp[3] = 0x90;
	tcp[12] = 0x50;
	tcp[13] = 0x10; /* ACK */
}

/* An ACL of n rules in Kubernetes-policy shapes (pod /32 or namespace /24 sources,
 * service /32 destinations, single ports and ranges, TCP and UDP) that the benchmark's
 * packets never match, then a last rule that matches them all. */
static void
make_acl(u32 index, u32 n, u8 last_action)
{
	struct lig_acl_rule *r = calloc(n, sizeof(*r));
	char msg[200];

	for (u32 i = 0; i + 1 < n; i++) {
		r[i].action = i % 7 == 0 ? LIG_ACL_DENY : LIG_ACL_PERMIT;
		r[i].proto = i % 5 == 0 ? 17 : 6;
		r[i].src = htonl(0x0b000000u | (i << 8) | (i % 3 == 0 ? 0 : 7));
		r[i].src_len = i % 3 == 0 ? 24 : 32;
		r[i].dst = htonl(0x0c000000u | i);
		r[i].dst_len = 32;
		r[i].sport_hi = 0xffff;
		r[i].dport_lo = (u16)(80 + i % 100);
		r[i].dport_hi = (u16)(i % 4 == 0 ? r[i].dport_lo + 10 : r[i].dport_lo);
	}
	r[n - 1].action = last_action;
	r[n - 1].sport_hi = r[n - 1].dport_hi = 0xffff;
	if (lig_acl_add_replace(&index, r, n, NULL, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "acl %u: %s\n", index, msg);
		exit(1);
	}
	free(r);
}

static struct bench_result
run(u32 n_vec, const char *acl_node)
{
	u32 eth = lig_node_by_name("ethernet-input")->index, bis[VEC], k = 0;
	struct lig_node *an = acl_node ? lig_node_by_name(acl_node) : NULL;
	u64 clocks = 0;

	lig_graph_clear_runtime();
	for (u32 v = 0; v < n_vec; v++) {
		u32 n = lig_buffer_alloc(bis, VEC);
		for (u32 i = 0; i < n; i++) {
			struct lig_buffer *b = lig_buffer_get(bis[i]);
			memcpy(b->data, frames[k++ & (N_FLOWS - 1)], 64);
			b->current_length = 60;
			b->sw_if_index[LIG_RX] = rx_sw;
			lig_node_put(eth, bis[i]);
		}
		clocks += bench_dispatch();
	}
	double pkts = (double)n_vec * VEC;
	if (an && an->vectors < pkts * 0.99) {
		fprintf(stderr, "%s saw %llu of %.0f packets\n", acl_node,
			(unsigned long long)an->vectors, pkts);
		exit(1);
	}
	return bench_result(clocks, pkts, an);
}

int
main(int argc, char **argv)
{
	u32 n_vec = argc > 1 ? (u32)atoi(argv[1]) : 2000;
	u32 rounds = argc > 2 ? (u32)atoi(argv[2]) : 5;
	static const char *const names[] = {"none", "acl10", "acl1000", "reflect"};
	struct bench_result r[4][BENCH_MAX_ROUNDS];

	if (rounds > BENCH_MAX_ROUNDS)
		rounds = BENCH_MAX_ROUNDS;
	if (bench_init() < 0)
		return 1;
	bench_cli("loopback create mac 02:00:00:00:00:10");
	bench_cli("loopback create mac 02:00:00:00:00:11");
	bench_cli("set interface state loop0 up");
	bench_cli("set interface state loop1 up");
	bench_cli("set interface ip address loop0 10.0.0.1/24");
	bench_cli("set interface ip address loop1 10.1.0.1/24");
	bench_cli("set ip neighbor loop1 10.1.0.2 02:00:00:00:00:20 static");
	bench_cli("ip route add 32.0.0.0/8 via 10.1.0.2");
	bench_cli("set acl-plugin session table max-entries %u", 2 * N_FLOWS);
	rx_sw = lig_if_by_name("loop0")->sw_if_index;
	tx_sw = lig_if_by_name("loop1")->sw_if_index;
	for (u32 k = 0; k < N_FLOWS; k++)
		build(frames[k], k);
	make_acl(10, 10, LIG_ACL_PERMIT);
	make_acl(1000, 1000, LIG_ACL_PERMIT);
	make_acl(2, 1, LIG_ACL_PERMIT_REFLECT);
	make_acl(3, 1, LIG_ACL_DENY);
	u32 deny = 3, reflect = 2;
	struct lig_acl_classifier *c10 = lig_acl_get(10)->cls, *c1k = lig_acl_get(1000)->cls;
	printf("shapes (hash probes at most): acl10 %u, acl1000 %u\n",
	       lig_acl_classifier_n_shapes(c10), lig_acl_classifier_n_shapes(c1k));

	for (u32 round = 0; round < rounds; round++) {
		for (u32 c = 0; c < 4; c++) {
			u32 acl = c == 1 ? 10 : c == 2 ? 1000 : reflect;
			const char *node = c ? "acl-plugin-in-ip4-fa" : NULL;
			if (c && lig_acl_if_set(rx_sw, LIG_ACL_INPUT, &acl, 1) < 0)
				return 1;
			if (c == 3) {
				if (lig_acl_if_set(tx_sw, LIG_ACL_OUTPUT, &deny, 1) < 0)
					return 1;
				run(N_FLOWS / VEC, node); /* creates the sessions */
			}
			r[c][round] = run(n_vec, node);
			printf("round %u %-8s acl node %6.1f clocks/pkt, path %6.1f clocks/pkt, "
			       "%5.2f Mpps\n",
			       round + 1, names[c], r[c][round].node_cpp, r[c][round].path_cpp,
			       r[c][round].mpps);
			lig_acl_if_set(rx_sw, LIG_ACL_INPUT, NULL, 0);
			lig_acl_if_set(tx_sw, LIG_ACL_OUTPUT, NULL, 0);
		}
	}
	printf("summary over %u interleaved rounds of %u vectors of %u (min/median/max):\n", rounds,
	       n_vec, VEC);
	for (u32 c = 0; c < 4; c++)
		bench_print_summary(names[c], 8, "acl node", r[c], rounds);
	return 0;
}

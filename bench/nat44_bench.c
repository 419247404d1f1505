/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process benchmark of NAT44 with full vectors (bench/nat44_bench.sh runs it; not part
 * of ligd): ligd's real graph, IPv4 forwarding from loop0 (NAT44 inside) to a neighbour
 * behind loop1 (outside), 64-byte frames. The session table holds 1 300 000 sessions, and
 * 1 000 000 UDP flows are made established first (16 pool addresses: 1 032 176 UDP ports).
 * Cases, run interleaved (A,B,C,A,B,C,...) for the given rounds:
 *   none   the same forwarding path without NAT44 (loop0 is not inside): the peer
 *   est    UDP packets of the 1 000 000 established flows, in scattered order: a session
 *          hit per packet with a million sessions in the table
 *   new    a TCP SYN of a new flow per packet: lookup miss, port allocation, session
 *          creation (each round 25 600 new flows; the table never fills)
 * Each line gives the NAT node's clocks/packet (show runtime's figure), the whole path's
 * clocks/packet and the in-process rate, then min/median/max per case.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interface/interface.h"
#include "ip4/ip4.h"
#include "nat44/nat44.h"

#include "inproc_bench.h"

#define VEC 256
#define N_EST 1000000u
#define NEW_VECTORS 100

static u32 rx_sw;

/* Flow k: 10.0.(k >> 16 & 0xff).(k >> 8 & 0xff) port 1024 + (k & 0xff) -> 32.x.y.z:53
 * (udp), or a TCP SYN. */
static void
build(u8 *f, u32 k, bool tcp)
{
	u8 *l4 = bench_ip4_frame64(f, tcp ? 6 : 17, 0x0a000000u | ((k >> 8) & 0xffff),
				   0x20000000u | ((k * 2654435761u) >> 8));
	u16 sport = (u16)(1024 + (k & 0xff));
	l4[0] = (u8)(sport >> 8);
	l4[1] = (u8)sport;
	l4[2] = 0;
	l4[3] = tcp ? 80 : 53;
	if (tcp) {
		l4[12] = 0x50;
		l4[13] = 0x02; /* SYN */
	} else {
		l4[5] = 26; /* UDP length, no checksum */
	}
}

/* Runs n_vec vectors of flows first, first + step, ... (mod wrap); times the dispatch. */
static struct bench_result
run(u32 n_vec, u32 first, u32 step, u32 wrap, bool tcp, const char *node_name)
{
	u32 eth = lig_node_by_name("ethernet-input")->index, bis[VEC], k = first;
	struct lig_node *nn = node_name ? lig_node_by_name(node_name) : NULL;
	u64 clocks = 0;

	lig_graph_clear_runtime();
	for (u32 v = 0; v < n_vec; v++) {
		u32 n = lig_buffer_alloc(bis, VEC);
		for (u32 i = 0; i < n; i++) {
			struct lig_buffer *b = lig_buffer_get(bis[i]);
			build(b->data, k, tcp);
			k = wrap ? (k + step) % wrap : k + step;
			b->current_data = 0;
			b->current_length = 60;
			b->sw_if_index[LIG_RX] = rx_sw;
			lig_node_put(eth, bis[i]);
		}
		clocks += bench_dispatch();
	}
	return bench_result(clocks, (double)n_vec * VEC, nn);
}

static u64
drops(void)
{
	struct lig_node *n = lig_node_by_name("nat44-ed-in2out");
	u64 d = 0;
	for (u32 e = 0; e < n->n_errors; e++)
		if (e != n->n_errors - 1) /* the last reason (hairpin) is not a drop */
			d += lig_graph_error_count(n->index, e);
	return d;
}

int
main(int argc, char **argv)
{
	u32 n_vec = argc > 1 ? (u32)atoi(argv[1]) : 2000;
	u32 rounds = argc > 2 ? (u32)atoi(argv[2]) : 5;
	static const char *const names[] = {"none", "est", "new"};
	struct bench_result r[3][BENCH_MAX_ROUNDS];
	u32 next_new = 0;

	if (rounds > BENCH_MAX_ROUNDS)
		rounds = BENCH_MAX_ROUNDS;
	if (bench_init() < 0)
		return 1;
	bench_cli("loopback create mac 02:00:00:00:00:10");
	bench_cli("loopback create mac 02:00:00:00:00:11");
	bench_cli("set interface state loop0 up");
	bench_cli("set interface state loop1 up");
	bench_cli("set interface ip address loop0 10.0.0.1/8");
	bench_cli("set interface ip address loop1 100.64.0.1/16");
	bench_cli("set ip neighbor loop1 100.64.0.2 02:00:00:00:00:20 static");
	bench_cli("ip route add 32.0.0.0/8 via 100.64.0.2");
	bench_cli("nat44 plugin enable sessions 1300000");
	bench_cli("set interface nat44 out loop1");
	bench_cli("nat44 add address 100.64.1.1 - 100.64.1.16");
	rx_sw = lig_if_by_name("loop0")->sw_if_index;

	/* The million established flows (their first packets create the sessions). */
	bench_cli("set interface nat44 in loop0");
	run(N_EST / VEC + 1, 0, 1, N_EST, false, NULL);
	printf("sessions after the fill: %u (drops %llu)\n", lig_nat44_main.threads[0].n_sessions,
	       (unsigned long long)drops());
	if (lig_nat44_main.threads[0].n_sessions < N_EST) {
		fprintf(stderr, "fill made only %u sessions\n",
			lig_nat44_main.threads[0].n_sessions);
		return 1;
	}
	for (u32 round = 0; round < rounds; round++) {
		for (u32 c = 0; c < 3; c++) {
			u64 d0 = drops();
			if (c == 0)
				bench_cli("set interface nat44 in loop0 del");
			if (c == 0)
				r[c][round] = run(n_vec, 0, 7919, N_EST, false, NULL);
			else if (c == 1)
				r[c][round] = run(n_vec, round * 104729u % N_EST, 7919, N_EST,
						  false, "nat44-ed-in2out");
			else {
				r[c][round] = run(NEW_VECTORS, 0x1000000u + next_new, 1, 0, true,
						  "nat44-ed-in2out");
				next_new += NEW_VECTORS * VEC;
			}
			if (c == 0)
				bench_cli("set interface nat44 in loop0");
			if (drops() != d0) {
				fprintf(stderr, "%s: NAT44 dropped %llu packets\n", names[c],
					(unsigned long long)(drops() - d0));
				return 1;
			}
			printf("round %u %-5s nat node %6.1f clocks/pkt, path %6.1f clocks/pkt, "
			       "%5.2f Mpps, sessions %u\n",
			       round + 1, names[c], r[c][round].node_cpp, r[c][round].path_cpp,
			       r[c][round].mpps, lig_nat44_main.threads[0].n_sessions);
		}
	}
	printf("summary over %u interleaved rounds (none/est: %u vectors of %u; new: %u "
	       "vectors) (min/median/max):\n",
	       rounds, n_vec, VEC, NEW_VECTORS);
	for (u32 c = 0; c < 3; c++)
		bench_print_summary(names[c], 5, "nat node", r[c], rounds);
	return 0;
}

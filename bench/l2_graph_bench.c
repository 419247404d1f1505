/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process benchmark of the L2 nodes with full vectors (not part of ligd or make test):
 * ligd's real graph, configured through the CLI, vectors of 256 64-byte frames injected
 * into ethernet-input from loop0, each node's clocks per packet as show runtime counts
 * them. No ring, no peer core: what the memif benchmarks cannot resolve on a host whose
 * cross-core latency changes by 5x (docs/PERFORMANCE.md), the cost of ethernet-input,
 * l2-input and interface-output themselves, is steady here.
 *   xc        loop0 xconnected to memif1/0
 *   bd-1      bridge domain with learning: one flow, its destination a static entry
 *   bd-256    the same, 256 sources (learned) to 256 destinations (static), mixed
 * Frames leave on memif1/0, a master with no peer: memif-tx drops them (not connected),
 * so the pool is reused. Rounds of the three paths are interleaved; each line gives min /
 * median / max over the rounds. Two builds compare by running their benches in turn
 * (bench/l2_nodes.sh).
 * Usage: l2_graph_bench [rounds (9)] [vectors per round (2000)] [path: xc, bd-1 or bd-256 alone]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interface/interface.h"

#include "inproc_bench.h"

#define VEC 256
#define N_FLOWS 256
#define N_PATHS 3

static u8 frames[N_FLOWS][64];
static u32 n_frames;
static u32 rx_sw;

/* 64-byte frame from 02:00:00:01:00:<s> to 02:00:00:02:00:<d>, IPv4 ethertype. */
static void
frame_build(u8 *f, u32 s, u32 d)
{
	memset(f, 0, 64);
	u8 dst[6] = {0x02, 0, 0, 0x02, (u8)(d >> 8), (u8)d}, src[6] = {0x02, 0, 0, 0x01, 0, (u8)s};
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[14] = 0x45;
}

static const char *const nodes[] = {"ethernet-input", "l2-input", "interface-output"};

/* One round of n_vec vectors: each node's clocks/packet into cpp[], their sum returned. */
static double
round_run(u32 n_vec, double cpp[])
{
	u32 eth = lig_node_by_name("ethernet-input")->index, bis[VEC], k = 0;
	double sum = 0;

	lig_graph_clear_runtime();
	for (u32 v = 0; v < n_vec; v++) {
		u32 n = lig_buffer_alloc(bis, VEC);
		for (u32 i = 0; i < n; i++) {
			struct lig_buffer *b = lig_buffer_get(bis[i]);
			memcpy(b->data, frames[k++ % n_frames], 64);
			b->current_length = 64;
			b->sw_if_index[LIG_RX] = rx_sw;
			lig_node_put(eth, bis[i]);
		}
		lig_graph_dispatch_pending();
	}
	for (u32 i = 0; i < LIG_ARRAY_LEN(nodes); i++) {
		const struct lig_node *node = lig_node_by_name(nodes[i]);
		cpp[i] = node->vectors ? (double)node->clocks / (double)node->vectors : 0;
		sum += cpp[i];
	}
	return sum;
}

static void
print_mmm(const char *label, double *v, u32 n)
{
	qsort(v, n, sizeof(double), bench_cmp_double);
	printf(" %s %.1f/%.1f/%.1f", label, v[0], v[n / 2], v[n - 1]);
}

/* Puts the graph in path p's configuration (each path undoes nothing: they stack). */
static void
path_setup(u32 p)
{
	if (p == 0) {
		bench_cli("set interface l2 bridge loop0 1");
		bench_cli("set interface l2 xconnect loop0 memif1/0");
		n_frames = 1;
		frame_build(frames[0], 0, 0);
		return;
	}
	bench_cli("set interface l2 bridge loop0 1");
	n_frames = p == 1 ? 1 : N_FLOWS;
	for (u32 i = 0; i < n_frames; i++)
		frame_build(frames[i], i, (i * 37) % n_frames);
}

int
main(int argc, char **argv)
{
	static const char *const labels[N_PATHS] = {"xc", "bd-1", "bd-256"};
	u32 rounds = argc > 1 ? (u32)atoi(argv[1]) : 9,
	    n_vec = argc > 2 ? (u32)atoi(argv[2]) : 2000;
	u32 only = N_PATHS; /* all */
	for (u32 p = 0; argc > 3 && p < N_PATHS; p++)
		if (strcmp(argv[3], labels[p]) == 0)
			only = p;
	if (argc > 3 && only == N_PATHS) {
		fprintf(stderr, "unknown path %s (xc, bd-1, bd-256)\n", argv[3]);
		return 1;
	}
	static double cpp[N_PATHS][LIG_ARRAY_LEN(nodes)][BENCH_MAX_ROUNDS];
	static double sum[N_PATHS][BENCH_MAX_ROUNDS];

	if (rounds < 1 || rounds > BENCH_MAX_ROUNDS || n_vec < 1 || bench_init() < 0)
		return 1;
	bench_cli("loopback create mac 02:00:00:00:00:10");
	bench_cli("set interface state loop0 up");
	/* Its own socket, not ligd's default one a running ligd may be listening on. */
	char sock[64];
	snprintf(sock, sizeof(sock), "/tmp/l2_graph_bench.%d.sock", (int)getpid());
	bench_cli("create memif socket id 1 filename %s", sock);
	bench_cli("create interface memif id 0 socket-id 1 master");
	bench_cli("set interface state memif1/0 up");
	bench_cli("create bridge-domain 1 learn 1 forward 1 uu-flood 1 flood 1");
	bench_cli("set interface l2 bridge memif1/0 1");
	for (u32 d = 0; d < N_FLOWS; d++)
		bench_cli("l2fib add 02:00:00:02:%02x:%02x 1 memif1/0 static", d >> 8, d & 0xff);
	rx_sw = lig_if_by_name("loop0")->sw_if_index;
	for (u32 r = 0; r < rounds; r++)
		for (u32 p = 0; p < N_PATHS; p++) {
			double v[LIG_ARRAY_LEN(nodes)];
			if (only != N_PATHS && p != only)
				continue;
			path_setup(p);
			round_run(n_vec / 10, v); /* warm the tables and caches */
			sum[p][r] = round_run(n_vec, v);
			for (u32 i = 0; i < LIG_ARRAY_LEN(nodes); i++)
				cpp[p][i][r] = v[i];
		}
	printf("clocks/packet, min/median/max over %u rounds of %u vectors of %u frames (64 B)\n",
	       rounds, n_vec, VEC);
	for (u32 p = 0; p < N_PATHS; p++) {
		if (only != N_PATHS && p != only)
			continue;
		printf("%-7s", labels[p]);
		for (u32 i = 0; i < LIG_ARRAY_LEN(nodes); i++)
			if (p > 0 || i != 1)
				print_mmm(nodes[i], cpp[p][i], rounds);
		print_mmm("sum", sum[p], rounds);
		printf("\n");
	}
	unlink(sock);
	return 0;
}

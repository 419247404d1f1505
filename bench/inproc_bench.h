/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the in-process benchmarks share (acl_bench, nat44_bench; ip4_graph_bench the first
 * two): ligd's graph brought up inside the benchmark, CLI lines that must succeed, a vector
 * dispatch timed in TSC clocks, one round's figures (a node's clocks/packet as show runtime counts
 * them, the whole path's clocks/packet, the in-process rate) and the min/median/max line over
 * interleaved rounds. Header-only: each benchmark is one file linked with ligd_objs.
 */
#ifndef LIG_BENCH_INPROC_H
#define LIG_BENCH_INPROC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

#define BENCH_MAX_ROUNDS 64

/* The buffer pool, the graph, the loop and every init function, as ligd starts them. */
static inline int
bench_init(void)
{
	return lig_buffer_pool_init(16384) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
		       lig_run_init_functions() < 0
		   ? -1
		   : 0;
}

/* Runs one CLI line; a refused line ends the benchmark with its message. */
static inline void __attribute__((format(printf, 1, 2))) bench_cli(const char *fmt, ...)
{
	static struct lig_str out;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	lig_str_reset(&out);
	if (lig_cli_execute(line, &out) < 0) {
		fprintf(stderr, "'%s': %s", line, lig_str_cstr(&out));
		exit(1);
	}
}

/* Dispatches what is pending; returns the TSC clocks it took. */
static inline u64
bench_dispatch(void)
{
	u64 c0 = lig_rdtsc();
	lig_graph_dispatch_pending();
	return lig_rdtsc() - c0;
}

struct bench_result {
	double node_cpp, path_cpp, mpps;
};

/* A round's figures: pkts packets dispatched in clocks; node (NULL: none) since the last
 * lig_graph_clear_runtime(). */
static inline struct bench_result
bench_result(u64 clocks, double pkts, const struct lig_node *node)
{
	struct bench_result res = {0};
	res.path_cpp = (double)clocks / pkts;
	res.mpps = pkts / ((double)clocks / lig_tsc_hz()) / 1e6;
	if (node && node->vectors)
		res.node_cpp = (double)node->clocks / (double)node->vectors;
	return res;
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* "<name> <node_label> min/median/max clocks/pkt  path min/median/max clocks/pkt
 * min/median/max Mpps" over rounds results; name padded to width. */
static inline void
bench_print_summary(const char *name, int width, const char *node_label,
		    const struct bench_result *r, u32 rounds)
{
	double a[BENCH_MAX_ROUNDS], p[BENCH_MAX_ROUNDS], m[BENCH_MAX_ROUNDS];
	if (!rounds || rounds > BENCH_MAX_ROUNDS)
		return;
	for (u32 i = 0; i < rounds; i++) {
		a[i] = r[i].node_cpp;
		p[i] = r[i].path_cpp;
		m[i] = r[i].mpps;
	}
	qsort(a, rounds, sizeof(double), bench_cmp_double);
	qsort(p, rounds, sizeof(double), bench_cmp_double);
	qsort(m, rounds, sizeof(double), bench_cmp_double);
	printf("%-*s %s %.1f/%.1f/%.1f clocks/pkt  path %.1f/%.1f/%.1f clocks/pkt  "
	       "%.2f/%.2f/%.2f Mpps\n",
	       width, name, node_label, a[0], a[rounds / 2], a[rounds - 1], p[0], p[rounds / 2],
	       p[rounds - 1], m[0], m[rounds / 2], m[rounds - 1]);
}

#endif

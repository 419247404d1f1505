/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the in-process benchmarks share (acl_bench, nat44_bench; ip4_graph_bench the first
 * two): ligd's graph brought up inside the benchmark, CLI lines that must succeed, a vector
 * dispatch timed in TSC clocks, a 64-byte IPv4 frame, one round's figures (a node's clocks/packet
 * as show runtime counts them, the whole path's clocks/packet, the in-process rate) and the
 * min/median/max line over interleaved rounds. Header-only: each benchmark is one file linked with
 * ligd_objs.
 */
#ifndef LIG_BENCH_INPROC_H
#define LIG_BENCH_INPROC_H

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip4/ip4.h"
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

/* A 64-byte frame (zeroed) from 02:00:00:00:00:21 to the first loopback's MAC 02:00:00:00:00:10:
 * IPv4, 46 bytes, TTL 64, proto, src and dst (host order), header checksum set. Returns its
 * L4 header for the caller to fill. */
static inline u8 *
bench_ip4_frame64(u8 *f, u8 proto, u32 src, u32 dst)
{
	static const u8 m0[6] = {0x02, 0, 0, 0, 0, 0x10}, peer[6] = {0x02, 0, 0, 0, 0, 0x21};
	memset(f, 0, 64);
	memcpy(f, m0, 6);
	memcpy(f + 6, peer, 6);
	f[12] = 0x08;
	struct lig_ip4_header *ip = (void *)(f + 14);
	ip->ver_ihl = 0x45;
	ip->length = htons(46);
	ip->ttl = 64;
	ip->proto = proto;
	ip->src = htonl(src);
	ip->dst = htonl(dst);
	ip->checksum = htons(lig_ip4_csum_fold(lig_ip4_csum_add(0, (u8 *)ip, 20)));
	return (u8 *)(ip + 1);
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

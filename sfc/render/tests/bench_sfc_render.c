/* SPDX-License-Identifier: Apache-2.0 */
/* Render-time benchmark (bench/sfc_render.sh, docs/PERFORMANCE.md "lig-sfc"): a model of N
 * services over 2 nodes (default 1 000), each a 3-pod chain: memif direct between pods 1 and
 * 2 on node 1, memif through the vswitches and a VXLAN mesh (loopback pool) to pod 3 on node
 * 2, and an l3mp of pods 1 and 3 with system-pool addresses. Interleaved rounds of
 *   A  a first render (empty allocator: every MAC, memif id, VNI, VRF and address allocated)
 *   B  a re-render with A's allocator (what lig-sfc does on every change)
 *   C  the allocator saved to JSON and loaded back (what a restart adds)
 * with min/median/max of each. The model is built in memory, not timed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_build.h"
#include "sfc_render.h"

static double
clk(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clk(CLOCK_MONOTONIC);
}

static double
cpu(void)
{
	return clk(CLOCK_PROCESS_CPUTIME_ID);
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	printf("%-34s min %8.1f ms  median %8.1f ms  max %8.1f ms\n", what, v[0] * 1e3,
	       v[n / 2] * 1e3, v[n - 1] * 1e3);
}

static struct sfc_model *
build(int n)
{
	struct sfc_model *m = calloc(1, sizeof(*m));
	mb_node(m, "node1");
	mb_node(m, "node2");
	mb_node_eth(&m->nodes[0], "underlay0", "underlay0", "192.168.50.1/24", "vxlan");
	mb_node_eth(&m->nodes[1], "underlay0", "underlay0", "192.168.50.2/24", "vxlan");
	mb_pool(m, "vxlan_loopbacks", SFC_SCOPE_SYSTEM, "10.200.0.0/24", 1, 20);
	mb_pool(m, "addrs", SFC_SCOPE_SYSTEM, "10.0.0.0/16", 0, 0);
	mb_mesh(m, "mesh1", 5000, 5000 + 2 * (uint32_t)n, "vxlan_loopbacks", "vxlan");
	for (int i = 0; i < n; i++) {
		char s[32], p[3][32], r[6][48];
		snprintf(s, sizeof(s), "svc%04d", i);
		struct sfc_service *sv = mb_svc(m, s);
		for (int k = 0; k < 3; k++) {
			snprintf(p[k], sizeof(p[k]), "s%04dp%d", i, k + 1);
			struct sfc_pod *pod = mb_pod(sv, p[k], SFC_POD_VPPCONTAINER);
			mb_if(pod, "port1", SFC_IF_MEMIF);
			mb_if(pod, "port2", SFC_IF_MEMIF);
			struct sfc_interface *l3 = mb_if(pod, "l3", SFC_IF_MEMIF);
			mb_strs(&l3->ipam_pool_names, &l3->n_ipam_pool_names, "addrs");
			mb_p2n(m, p[k], k < 2 ? "node1" : "node2");
		}
		snprintf(r[0], sizeof(r[0]), "%s/port2", p[0]);
		snprintf(r[1], sizeof(r[1]), "%s/port1", p[1]);
		snprintf(r[2], sizeof(r[2]), "%s/port2", p[1]);
		snprintf(r[3], sizeof(r[3]), "%s/port1", p[2]);
		snprintf(r[4], sizeof(r[4]), "%s/l3", p[0]);
		snprintf(r[5], sizeof(r[5]), "%s/l3", p[2]);
		mb_conn(sv, SFC_CONN_L2PP, SFC_METHOD_DIRECT, NULL, r[0], r[1], NULL);
		mb_conn(sv, SFC_CONN_L2PP, SFC_METHOD_UNSET, "mesh1", r[2], r[3], NULL);
		mb_conn(sv, SFC_CONN_L3MP, SFC_METHOD_UNSET, "mesh1", r[4], r[5], NULL);
	}
	return m;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	if (n < 1 || n > 10000 || rounds < 1 || rounds > 100) {
		fprintf(stderr, "usage: %s [services 1..10000] [rounds 1..100]\n", argv[0]);
		return 2;
	}
	struct sfc_model *m = build(n);
	double *a = calloc((size_t)rounds, sizeof(double)),
	       *b = calloc((size_t)rounds, sizeof(double)),
	       *c = calloc((size_t)rounds, sizeof(double));
	double *ac = calloc((size_t)rounds, sizeof(double)),
	       *bc = calloc((size_t)rounds, sizeof(double)),
	       *cc = calloc((size_t)rounds, sizeof(double));
	size_t keys = 0, down = 0, allocs = 0, json = 0;
	for (int r = 0; r < rounds; r++) {
		struct sfc_alloc *al = sfc_alloc_new();
		struct sfc_render_out o1, o2;
		double t0 = now(), u0 = cpu();
		if (sfc_render(m, al, &o1))
			return 1;
		double t1 = now(), u1 = cpu();
		if (sfc_render(m, al, &o2))
			return 1;
		double t2 = now(), u2 = cpu();
		char *j;
		size_t js;
		struct sfc_alloc *back;
		struct sfc_errors e = {0};
		if (sfc_alloc_to_json(al, &j, &js) || sfc_alloc_from_json(j, js, &back, &e))
			return 1;
		double t3 = now(), u3 = cpu();
		a[r] = t1 - t0;
		b[r] = t2 - t1;
		c[r] = t3 - t2;
		ac[r] = u1 - u0;
		bc[r] = u2 - u1;
		cc[r] = u3 - u2;
		/* both renders must agree and every service must be up: else the figure is not
		 * of the work it claims */
		if (o1.n_kv != o2.n_kv)
			return 1;
		keys = o1.n_kv;
		down = 0;
		for (size_t i = 0; i < o1.n_status; i++)
			down += o1.status[i].oper != SFC_OPER_UP;
		allocs = sfc_alloc_count(al);
		json = js;
		free(j);
		sfc_alloc_free(back);
		sfc_alloc_free(al);
		sfc_render_out_free(&o1);
		sfc_render_out_free(&o2);
	}
	printf("%d services, %zu keys, %zu allocations (%zu bytes of JSON), %zu objects down, "
	       "%d rounds\n",
	       n, keys, allocs, json, down, rounds);
	report("A first render, wall", a, rounds);
	report("B re-render, wall", b, rounds);
	report("C allocator JSON round trip, wall", c, rounds);
	report("A first render, CPU", ac, rounds);
	report("B re-render, CPU", bc, rounds);
	report("C allocator JSON round trip, CPU", cc, rounds);
	free(ac);
	free(bc);
	free(cc);
	free(a);
	free(b);
	free(c);
	sfc_model_free(m);
	free(m);
	return down ? 1 : 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_pingpong: how far apart two CPUs are, by the round trip of one cache line between
 * them (a flag written on one and answered on the other).
 *
 *   cpu_pingpong [cpu-a] [cpu-b] [round-trips]      (defaults 0 1 200000)
 * Prints the mean round trip in ns. On this VM the two vCPUs' round trip is either ~60 ns
 * (the host runs them on cores that share a cache) or ~340 ns (cores that do not), and
 * it switches while a benchmark runs. Every line a memif ring shares between a forwarder
 * and its generator crosses that distance, so a memif benchmark records it with each run
 * and compares runs made at the same distance only.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) atomic_uint pingpong_flag;
static unsigned pingpong_trips = 200000;

static void *
pingpong_answer(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < pingpong_trips; i++) {
		while (atomic_load_explicit(&pingpong_flag, memory_order_acquire) != 1)
			;
		atomic_store_explicit(&pingpong_flag, 0, memory_order_release);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	int cpu_a = argc > 1 ? atoi(argv[1]) : 0, cpu_b = argc > 2 ? atoi(argv[2]) : 1;
	struct timespec t0, t1;
	cpu_set_t set_a, set_b;
	pthread_attr_t attr;
	pthread_t peer;

	if (argc > 3)
		pingpong_trips = (unsigned)strtoul(argv[3], NULL, 0);
	CPU_ZERO(&set_a);
	CPU_SET(cpu_a, &set_a);
	CPU_ZERO(&set_b);
	CPU_SET(cpu_b, &set_b);
	if (pingpong_trips == 0 || sched_setaffinity(0, sizeof(set_a), &set_a) != 0) {
		fprintf(stderr, "usage: cpu_pingpong [cpu-a] [cpu-b] [round-trips > 0]\n");
		return 2;
	}
	/* The peer starts on its CPU or not at all (it would never answer elsewhere). */
	pthread_attr_init(&attr);
	if (pthread_attr_setaffinity_np(&attr, sizeof(set_b), &set_b) != 0 ||
	    pthread_create(&peer, &attr, pingpong_answer, NULL) != 0) {
		fprintf(stderr, "cpu_pingpong: cannot run on CPU %d\n", cpu_b);
		return 1;
	}
	pthread_attr_destroy(&attr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < pingpong_trips; i++) {
		atomic_store_explicit(&pingpong_flag, 1, memory_order_release);
		while (atomic_load_explicit(&pingpong_flag, memory_order_acquire) != 0)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(peer, NULL);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("%.0f\n", ns / pingpong_trips);
	return 0;
}

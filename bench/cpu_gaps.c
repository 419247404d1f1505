/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How long the host takes a CPU away from a thread that never yields it: a busy loop
 * pinned to one CPU reads the clock back to back and records every gap between two reads
 * (the kernel's ticks and interrupts, other tasks, the hypervisor). A ligd worker parks
 * for the barrier only when it runs, so no barrier pause can be shorter than the longest
 * gap of its CPU (docs/PERFORMANCE.md). Not part of make test.
 * Usage: cpu_gaps <cpu> [seconds (10)]
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int
main(int argc, char **argv)
{
	static const uint64_t limits_us[] = {10, 50, 100, 200, 500, 1000, 5000};
	enum { N = sizeof(limits_us) / sizeof(limits_us[0]) };
	uint64_t over[N] = {0}, max = 0, lost = 0;
	cpu_set_t set;

	if (argc < 2) {
		fprintf(stderr, "usage: cpu_gaps <cpu> [seconds]\n");
		return 2;
	}
	int cpu = atoi(argv[1]);
	double secs = argc > 2 ? atof(argv[2]) : 10;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (secs <= 0 || sched_setaffinity(0, sizeof(set), &set) < 0) {
		perror("cpu_gaps");
		return 1;
	}
	uint64_t last = now_ns(), end = last + (uint64_t)(secs * 1e9);
	for (;;) {
		uint64_t t = now_ns(), gap = t - last;
		last = t;
		if (t > end)
			break;
		if (gap > max)
			max = gap;
		if (gap <= limits_us[0] * 1000)
			continue;
		lost += gap;
		for (int i = 0; i < N && gap > limits_us[i] * 1000; i++)
			over[i]++;
	}
	printf("cpu %d, %.0f s: longest gap %.1f us; gaps over", cpu, secs, (double)max / 1e3);
	for (int i = 0; i < N; i++)
		printf(" %llu us: %llu%s", (unsigned long long)limits_us[i],
		       (unsigned long long)over[i], i + 1 < N ? "," : "");
	printf("; %.2f %% of the time in gaps over 10 us\n", (double)lost / (secs * 1e7));
	return 0;
}

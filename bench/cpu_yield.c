/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_yield: what sched_yield() costs a thread and how often it hands the CPU away, the
 * two figures behind ligd's poll-idle-yield (docs/PERFORMANCE.md, "An idle worker's CPU").
 *
 *   cpu_yield [cpu] [yields]                   (defaults 1 100000)
 * Pins itself to <cpu>, yields <yields> times and prints the mean time per yield, then
 * yields as often again counting, as ligd's workers do, the yields followed by an
 * involuntary context switch (another thread ran). Run it alone on the CPU, then beside a
 * busy loop on the same CPU (taskset -c 1 sh -c 'while :; do :; done' &; there each
 * switch gives the loop the CPU for milliseconds: use a few thousand yields).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static long
cpu_yield_nivcsw(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

static double
cpu_yield_ns(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e9 + (double)(b->tv_nsec - a->tv_nsec);
}

int
main(int argc, char **argv)
{
	int cpu = argc > 1 ? atoi(argv[1]) : 1;
	long n = argc > 2 ? atol(argv[2]) : 100000, switched = 0;
	struct timespec t0, t1;
	cpu_set_t set;

	if (n < 1)
		return 2;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		perror("sched_setaffinity");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++)
		sched_yield();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double plain = cpu_yield_ns(&t0, &t1) / (double)n;
	for (long i = 0; i < n; i++) {
		long before = cpu_yield_nivcsw();
		sched_yield();
		switched += cpu_yield_nivcsw() != before;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("%ld yields on CPU %d: %.0f ns each; then %ld counted as ligd counts them "
	       "(getrusage before and after): %.0f ns each, %ld switched to another thread\n",
	       n, cpu, plain, n, cpu_yield_ns(&t1, &t0) / (double)n, switched);
	return 0;
}

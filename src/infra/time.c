/* SPDX-License-Identifier: Apache-2.0 */
/* Clocks: monotonic nanoseconds for the control plane, TSC rate for per-node cycle counts. */
#include <time.h>

#include "lig_common.h"

u64
lig_time_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

double
lig_tsc_hz(void)
{
	static double hz;

	if (hz == 0) {
		struct timespec pause = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
		u64 t0 = lig_time_now_ns(), c0 = lig_rdtsc();
		nanosleep(&pause, NULL);
		u64 t1 = lig_time_now_ns(), c1 = lig_rdtsc();
		hz = (double)(c1 - c0) * 1e9 / (double)(t1 - t0);
	}
	return hz;
}

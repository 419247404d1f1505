/* SPDX-License-Identifier: Apache-2.0 */
/* agent_vlog_line (log_line.h). */
#include <stdio.h>
#include <time.h>

#include "log_line.h"

void
agent_vlog_line(const char *prog, const char *fmt, va_list ap)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %s: ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000, prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Leveled logging to stderr with a monotonic timestamp. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include "log.h"

enum lig_log_level lig_log_level = LIG_LOG_NOTICE;

static const char *const lig_log_names[] = {"err", "warn", "notice", "info", "debug"};

void
lig_log(enum lig_log_level level, const char *module, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	struct timespec ts;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "%lld.%06ld %s %s: %s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000,
		lig_log_level_name(level), module, msg);
}

int
lig_log_level_parse(const char *name, enum lig_log_level *level)
{
	for (size_t i = 0; i < LIG_ARRAY_LEN(lig_log_names); i++) {
		if (strcasecmp(name, lig_log_names[i]) == 0) {
			*level = (enum lig_log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *
lig_log_level_name(enum lig_log_level level)
{
	if ((size_t)level < LIG_ARRAY_LEN(lig_log_names))
		return lig_log_names[level];
	return "?";
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Leveled logging to stderr; the level is set at start-up and by the CLI. */
#ifndef LIG_LOG_H
#define LIG_LOG_H

#include "lig_common.h"

enum lig_log_level {
	LIG_LOG_ERR,
	LIG_LOG_WARN,
	LIG_LOG_NOTICE,
	LIG_LOG_INFO,
	LIG_LOG_DEBUG,
};

extern enum lig_log_level lig_log_level;

void lig_log(enum lig_log_level level, const char *module, const char *fmt, ...) LIG_PRINTF(3, 4);
/* Parses "err", "warn", "notice", "info" or "debug"; returns -EINVAL for anything else. */
int lig_log_level_parse(const char *name, enum lig_log_level *level);
const char *lig_log_level_name(enum lig_log_level level);

#define LIG_LOG(level, module, ...)                                                                \
	do {                                                                                       \
		if ((level) <= lig_log_level)                                                      \
			lig_log((level), (module), __VA_ARGS__);                                   \
	} while (0)
#define lig_err(m, ...) LIG_LOG(LIG_LOG_ERR, m, __VA_ARGS__)
#define lig_warn(m, ...) LIG_LOG(LIG_LOG_WARN, m, __VA_ARGS__)
#define lig_notice(m, ...) LIG_LOG(LIG_LOG_NOTICE, m, __VA_ARGS__)
#define lig_info(m, ...) LIG_LOG(LIG_LOG_INFO, m, __VA_ARGS__)
#define lig_debug(m, ...) LIG_LOG(LIG_LOG_DEBUG, m, __VA_ARGS__)

#endif

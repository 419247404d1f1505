/* SPDX-License-Identifier: Apache-2.0 */
/* Structured, leveled logging: one named logger per component, lines of key=value pairs, levels
 * changeable at run time (the agent exposes them over HTTP at /log). */
#ifndef CNINFRA_LOG_H
#define CNINFRA_LOG_H

#include <stdarg.h>

enum cninfra_log_level {
	CNINFRA_LOG_DEBUG,
	CNINFRA_LOG_INFO,
	CNINFRA_LOG_WARN,
	CNINFRA_LOG_ERROR,
	CNINFRA_LOG_N_LEVELS,
};

struct cninfra_logger;

/* Returns the logger named name (created at the default level on first use; lives until exit).
 * Names are at most 63 bytes of [A-Za-z0-9_.-]; others return NULL with errno EINVAL. */
struct cninfra_logger *cninfra_log_get(const char *name);
const char *cninfra_log_name(const struct cninfra_logger *lg);

/* Sets the level of one logger, or of all existing and future ones when name is NULL.
 * Returns 0, -ENOENT for an unknown logger. */
int cninfra_log_set_level(const char *name, enum cninfra_log_level level);
enum cninfra_log_level cninfra_log_level(const struct cninfra_logger *lg);
/* Parses "debug", "info", "warn"/"warning", "error". Returns the level or -EINVAL. */
int cninfra_log_level_parse(const char *s);
const char *cninfra_log_level_name(enum cninfra_log_level level);

/* Where lines go (default 2 = stderr). The caller keeps ownership of fd. */
void cninfra_log_set_fd(int fd);

/* Calls fn for every logger (under the registry lock: do not log from fn). */
void cninfra_log_foreach(void (*fn)(const struct cninfra_logger *lg, void *arg), void *arg);

/* Writes "ts=... level=... comp=<name> msg="<msg>" <kv...>" where kvfmt is a printf format for
 * the trailing key=value pairs (may be NULL). Values with spaces should be quoted by the caller
 * with %s inside "..." ; msg is quoted and escaped here. */
void cninfra_logf(struct cninfra_logger *lg, enum cninfra_log_level level, const char *msg,
		  const char *kvfmt, ...) __attribute__((format(printf, 4, 5)));
void cninfra_vlogf(struct cninfra_logger *lg, enum cninfra_log_level level, const char *msg,
		   const char *kvfmt, va_list ap);

#define cninfra_debug(lg, msg, ...) cninfra_logf(lg, CNINFRA_LOG_DEBUG, msg, __VA_ARGS__)
#define cninfra_info(lg, msg, ...) cninfra_logf(lg, CNINFRA_LOG_INFO, msg, __VA_ARGS__)
#define cninfra_warn(lg, msg, ...) cninfra_logf(lg, CNINFRA_LOG_WARN, msg, __VA_ARGS__)
#define cninfra_error(lg, msg, ...) cninfra_logf(lg, CNINFRA_LOG_ERROR, msg, __VA_ARGS__)

#endif

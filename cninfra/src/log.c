// SPDX-License-Identifier: Apache-2.0
// Structured logging: a process-wide registry of named loggers, each with its own level, writing
// one "key=value" line per call with a single write() so lines from threads never interleave.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cninfra/log.h"

#define NAME_MAX_LEN 63
#define LINE_MAX_LEN 4096

struct cninfra_logger {
	char name[NAME_MAX_LEN + 1];
	volatile int level;
	struct cninfra_logger *next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cninfra_logger *loggers;
static int default_level = CNINFRA_LOG_INFO;
static int log_fd = 2;

static const char *const level_names[CNINFRA_LOG_N_LEVELS] = {"debug", "info", "warn", "error"};

const char *
cninfra_log_level_name(enum cninfra_log_level level)
{
	if ((unsigned)level >= CNINFRA_LOG_N_LEVELS)
		return "unknown";
	return level_names[level];
}

int
cninfra_log_level_parse(const char *s)
{
	if (!s)
		return -EINVAL;
	for (int i = 0; i < CNINFRA_LOG_N_LEVELS; i++)
		if (!strcasecmp(s, level_names[i]))
			return i;
	if (!strcasecmp(s, "warning"))
		return CNINFRA_LOG_WARN;
	return -EINVAL;
}

static int
valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

struct cninfra_logger *
cninfra_log_get(const char *name)
{
	if (!name || !valid_name(name)) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&reg_lock);
	struct cninfra_logger *lg;
	for (lg = loggers; lg; lg = lg->next)
		if (!strcmp(lg->name, name))
			goto out;
	lg = calloc(1, sizeof(*lg));
	if (lg) {
		snprintf(lg->name, sizeof(lg->name), "%s", name);
		lg->level = default_level;
		lg->next = loggers;
		loggers = lg;
	}
out:
	pthread_mutex_unlock(&reg_lock);
	return lg;
}

const char *
cninfra_log_name(const struct cninfra_logger *lg)
{
	return lg ? lg->name : "";
}

int
cninfra_log_set_level(const char *name, enum cninfra_log_level level)
{
	if ((unsigned)level >= CNINFRA_LOG_N_LEVELS)
		return -EINVAL;
	int rc = name ? -ENOENT : 0;
	pthread_mutex_lock(&reg_lock);
	if (!name)
		default_level = level;
	for (struct cninfra_logger *lg = loggers; lg; lg = lg->next) {
		if (!name || !strcmp(lg->name, name)) {
			lg->level = level;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	return rc;
}

enum cninfra_log_level
cninfra_log_level(const struct cninfra_logger *lg)
{
	return lg ? (enum cninfra_log_level)lg->level : (enum cninfra_log_level)default_level;
}

void
cninfra_log_set_fd(int fd)
{
	log_fd = fd;
}

void
cninfra_log_foreach(void (*fn)(const struct cninfra_logger *lg, void *arg), void *arg)
{
	pthread_mutex_lock(&reg_lock);
	for (struct cninfra_logger *lg = loggers; lg; lg = lg->next)
		fn(lg, arg);
	pthread_mutex_unlock(&reg_lock);
}

void
cninfra_vlogf(struct cninfra_logger *lg, enum cninfra_log_level level, const char *msg,
	      const char *kvfmt, va_list ap)
{
	if ((int)level < (lg ? lg->level : default_level))
		return;
	char line[LINE_MAX_LEN];
	size_t off = 0;
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(
	    line, sizeof(line), "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s comp=%s msg=\"",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, cninfra_log_level_name(level), lg ? lg->name : "-");
	off = (size_t)n;
	/* The message is quoted: escape what would break a key=value parser. */
	for (const char *p = msg ? msg : ""; *p && off + 4 < sizeof(line); p++) {
		if (*p == '"' || *p == '\\') {
			line[off++] = '\\';
			line[off++] = *p;
		} else if (*p == '\n') {
			line[off++] = '\\';
			line[off++] = 'n';
		} else {
			line[off++] = *p;
		}
	}
	line[off++] = '"';
	if (kvfmt && *kvfmt && off + 2 < sizeof(line)) {
		line[off++] = ' ';
		n = vsnprintf(line + off, sizeof(line) - off - 1, kvfmt, ap);
		if (n > 0)
			off +=
			    (size_t)n < sizeof(line) - off - 1 ? (size_t)n : sizeof(line) - off - 2;
		else
			off--; /* nothing printed: drop the separator */
	}
	/* Embedded newlines from values would split the line. */
	for (size_t i = 0; i < off; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[off++] = '\n';
	ssize_t w = write(log_fd, line, off);
	(void)w;
}

void
cninfra_logf(struct cninfra_logger *lg, enum cninfra_log_level level, const char *msg,
	     const char *kvfmt, ...)
{
	va_list ap;
	va_start(ap, kvfmt);
	cninfra_vlogf(lg, level, msg, kvfmt, ap);
	va_end(ap);
}

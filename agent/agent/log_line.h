/* SPDX-License-Identifier: Apache-2.0 */
/* The log line lig-agent (agent_log) and lig-sfc (sfc_log) write to stderr (log_line.c, linked
 * as part of ligagent_conf): "HH:MM:SS.mmm PROG: message" in UTC, one line each. */
#ifndef LIGAGENT_LOG_LINE_H
#define LIGAGENT_LOG_LINE_H

#include <stdarg.h>

void agent_vlog_line(const char *prog, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* CLI commands of the engine itself: runtime statistics, errors, trace, buffers, logging. */
#include <errno.h>
#include <stdio.h>

#include "../infra/log.h"
#include "buffer.h"
#include "cli.h"
#include "graph.h"
#include "trace.h"

#ifndef LIG_VERSION
#define LIG_VERSION "0.1.0"
#endif

static int
lig_cli_no_args(struct lig_cli_input *in, struct lig_str *out)
{
	return lig_cli_end(in) ? 0 : lig_cli_unknown_input(in, out);
}

static int
lig_cli_show_version(struct lig_cli_input *in, struct lig_str *out)
{
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_str_printf(out, "ligd %s, built %s %s\n", LIG_VERSION, __DATE__, __TIME__);
	return rv;
}

LIG_CLI_COMMAND(lig_show_version_command) = {
    .path = "show version",
    .short_help = "show version",
    .function = lig_cli_show_version,
    .mp_safe = true, /* constants; what readiness probes poll */
};

static int
lig_cli_show_runtime(struct lig_cli_input *in, struct lig_str *out)
{
	bool max = lig_cli_keyword(in, "max");
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_graph_show_runtime(out, max);
	return rv;
}

LIG_CLI_COMMAND(lig_show_runtime_command) = {
    .path = "show runtime",
    .short_help = "show runtime [max]: per-node calls, vectors, clocks per packet",
    .function = lig_cli_show_runtime,
    .mp_safe = true, /* counters read atomically (graph.h) */
};

static int
lig_cli_clear_runtime(struct lig_cli_input *in, struct lig_str *out)
{
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_graph_clear_runtime();
	return rv;
}

LIG_CLI_COMMAND(lig_clear_runtime_command) = {
    .path = "clear runtime",
    .short_help = "clear runtime",
    .function = lig_cli_clear_runtime,
};

static int
lig_cli_show_errors(struct lig_cli_input *in, struct lig_str *out)
{
	bool all = lig_cli_keyword(in, "all");
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_graph_show_errors(out, all);
	return rv;
}

LIG_CLI_COMMAND(lig_show_errors_command) = {
    .path = "show errors",
    .short_help = "show errors [all]: per-node error counters",
    .function = lig_cli_show_errors,
    .mp_safe = true, /* counters read atomically (graph.h) */
};

static int
lig_cli_clear_errors(struct lig_cli_input *in, struct lig_str *out)
{
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_graph_clear_errors();
	return rv;
}

LIG_CLI_COMMAND(lig_clear_errors_command) = {
    .path = "clear errors",
    .short_help = "clear errors",
    .function = lig_cli_clear_errors,
};

static int
lig_cli_trace_add(struct lig_cli_input *in, struct lig_str *out)
{
	const char *node = lig_cli_word(in);
	u32 count;

	if (!node)
		return lig_cli_expected(in, out, "<input-node>");
	if (!lig_cli_u32(in, &count) || count == 0)
		return lig_cli_expected(in, out, "<count> (1..1024)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	struct lig_str err = {0};
	int rv = lig_trace_enable(node, count, &err);
	if (rv < 0)
		lig_str_printf(out, "%s\n", lig_str_cstr(&err));
	lig_str_free(&err);
	return rv;
}

LIG_CLI_COMMAND(lig_trace_add_command) = {
    .path = "trace add",
    .short_help = "trace add <input-node> <count>",
    .function = lig_cli_trace_add,
};

static int
lig_cli_show_trace(struct lig_cli_input *in, struct lig_str *out)
{
	u32 max = LIG_TRACE_MAX_PACKETS;

	if (lig_cli_keyword(in, "max") && !lig_cli_u32(in, &max))
		return lig_cli_expected(in, out, "<count>");
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_trace_show(out, max);
	return rv;
}

LIG_CLI_COMMAND(lig_show_trace_command) = {
    .path = "show trace",
    .short_help = "show trace [max <n>]",
    .function = lig_cli_show_trace,
};

static int
lig_cli_clear_trace(struct lig_cli_input *in, struct lig_str *out)
{
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_trace_clear();
	return rv;
}

LIG_CLI_COMMAND(lig_clear_trace_command) = {
    .path = "clear trace",
    .short_help = "clear trace",
    .function = lig_cli_clear_trace,
};

static int
lig_cli_show_buffers(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;
	int rv = lig_cli_no_args(in, out);

	if (rv == 0)
		lig_str_printf(out,
			       "%-10s %10s %10s %10s %14s\n%-10s %10u %10u %10u %14llu\n"
			       "buffer size %u bytes (%u data, %u headroom)\n",
			       "Pool", "Total", "Free", "Used", "Alloc-fail", "default",
			       p->n_buffers, lig_buffer_n_free(),
			       p->n_buffers - lig_buffer_n_free(),
			       (unsigned long long)lig_buffer_alloc_failures(), p->stride,
			       p->data_size, LIG_BUFFER_PRE_DATA_SIZE);
	return rv;
}

LIG_CLI_COMMAND(lig_show_buffers_command) = {
    .path = "show buffers",
    .short_help = "show buffers",
    .function = lig_cli_show_buffers,
};

static int
lig_cli_set_logging(struct lig_cli_input *in, struct lig_str *out)
{
	enum lig_log_level level;
	const char *w = lig_cli_peek(in);

	if (!w || lig_log_level_parse(w, &level) < 0)
		return lig_cli_expected(in, out, "err|warn|notice|info|debug");
	in->pos++;
	int rv = lig_cli_no_args(in, out);
	if (rv == 0)
		lig_log_level = level;
	return rv;
}

LIG_CLI_COMMAND(lig_set_logging_command) = {
    .path = "set logging level",
    .short_help = "set logging level err|warn|notice|info|debug",
    .function = lig_cli_set_logging,
};

/* exec inside an exec'd file is fine; a file that execs itself is not (each level
 * holds a line and a parsed input: it would overflow the stack and kill ligd). */
#define LIG_CLI_EXEC_MAX_DEPTH 8
static u32 lig_cli_exec_depth;

/* Runs a file of commands; stops at the first failure so a script never half-applies
 * silently past an error. */
int
lig_cli_exec_file(const char *path, struct lig_str *out)
{
	char line[LIG_CLI_MAX_LINE];
	u32 lineno = 0;
	int rv = 0;
	FILE *f;

	if (lig_cli_exec_depth >= LIG_CLI_EXEC_MAX_DEPTH) {
		lig_str_printf(out, "exec: %s: files nested deeper than %u\n", path,
			       LIG_CLI_EXEC_MAX_DEPTH);
		return -ELOOP;
	}
	f = fopen(path, "r");
	if (!f) {
		rv = -errno;
		lig_str_printf(out, "exec: cannot open %s: %s\n", path, strerror(-rv));
		return rv;
	}
	lig_cli_exec_depth++;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		/* A line fgets could not hold would run its tail as a command of its own. */
		if (!strchr(line, '\n') && !feof(f)) {
			lig_str_printf(out, "exec: %s:%u: line longer than %d bytes\n", path,
				       lineno, LIG_CLI_MAX_LINE - 2);
			rv = -EINVAL;
			break;
		}
		line[strcspn(line, "\r\n")] = 0;
		rv = lig_cli_execute(line, out);
		if (rv < 0) {
			lig_str_printf(out, "exec: %s:%u: command failed\n", path, lineno);
			break;
		}
	}
	lig_cli_exec_depth--;
	fclose(f);
	return rv;
}

static int
lig_cli_exec(struct lig_cli_input *in, struct lig_str *out)
{
	const char *path = lig_cli_word(in);

	if (!path)
		return lig_cli_expected(in, out, "<file>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_exec_file(path, out);
}

LIG_CLI_COMMAND(lig_exec_command) = {
    .path = "exec",
    .short_help = "exec <file>: run a file of commands inside ligd",
    .function = lig_cli_exec,
    .mp_safe = true, /* each command takes the barrier it needs, as in VPP */
};

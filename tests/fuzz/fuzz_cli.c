/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the CLI: word splitting, command matching and every handler's argument parsing,
 * with ligd's real command set. Commands that would reach outside the process (attach
 * host interfaces, create taps or memif sockets, run files, send pings) are skipped, and
 * the process moves into a fresh network namespace first in case one slips through.
 */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "infra/log.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static const char *const fuzz_cli_denied[] = {
	"exec", "ping", "create host", "create tap", "create memif", "create interface memif",
	"create int", "delete memif", "delete interface memif", "create vxlan", "set logging",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)unshare(CLONE_NEWNET);
	lig_log_level = LIG_LOG_ERR;
	if (lig_buffer_pool_init(2048) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[LIG_CLI_MAX_LINE + 64];
	struct lig_str out = {0};

	if (size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = 0;
	const char *p = line + strspn(line, " \t\"");
	for (size_t i = 0; i < LIG_ARRAY_LEN(fuzz_cli_denied); i++)
		if (strncmp(p, fuzz_cli_denied[i], strlen(fuzz_cli_denied[i])) == 0)
			return 0;
	/* Abbreviations reach the same handlers: only full known-safe verbs pass. */
	static const char *const allowed[] = {"show ", "clear ", "help", "trace ", "set ",
					      "create bridge-domain ", "l2fib ", "loopback ",
					      "create loopback ", "ip ", "delete "};
	bool ok = false;
	for (size_t i = 0; i < LIG_ARRAY_LEN(allowed); i++)
		if (strncmp(p, allowed[i], strlen(allowed[i])) == 0)
			ok = true;
	if (!ok || strstr(p, "host-if") || strstr(p, "tap"))
		return 0;
	lig_cli_execute(line, &out);
	lig_str_free(&out);
	/* Let whatever the command configured run once over an empty graph. */
	lig_graph_run_once();
	return 0;
}

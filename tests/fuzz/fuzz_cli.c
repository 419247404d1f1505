/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the CLI: word splitting, command matching and every handler's argument parsing,
 * with ligd's real command set. Commands that would reach outside the process (attach
 * host interfaces, create taps or memif sockets, run files, send pings) are skipped, and
 * the process moves into a fresh network namespace first in case one slips through.
 * An input may hold several lines (a sequence of commands); afterwards a few frames
 * go into ethernet-input on every interface and the graph runs.
 */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "infra/log.h"
#include "interface/interface.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static const char *const fuzz_cli_denied[] = {
    "exec",	    "ping",	    "create host",
    "create tap",   "create memif", "create interface memif",
    "create int",   "delete memif", "delete interface memif",
    "create vxlan", "set logging",
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

/* Whether the fuzzer may run this line (see the comment at the top). */
static bool
fuzz_cli_allowed(const char *line)
{
	const char *p = line + strspn(line, " \t\"");
	for (size_t i = 0; i < LIG_ARRAY_LEN(fuzz_cli_denied); i++)
		if (strncmp(p, fuzz_cli_denied[i], strlen(fuzz_cli_denied[i])) == 0)
			return false;
	/* Abbreviations reach the same handlers: only full known-safe verbs pass. */
	static const char *const allowed[] = {"show ",	"clear ",    "help",
					      "trace ", "set ",	     "create bridge-domain ",
					      "l2fib ", "loopback ", "create loopback ",
					      "ip ",	"delete "};
	bool ok = false;
	for (size_t i = 0; i < LIG_ARRAY_LEN(allowed); i++)
		if (strncmp(p, allowed[i], strlen(allowed[i])) == 0)
			ok = true;
	return ok && !strstr(p, "host-if") && !strstr(p, "tap");
}

/* Puts a broadcast ARP-like frame and one addressed to the interface's own MAC into
 * ethernet-input on every existing interface, so that what the commands configured
 * (modes, bridge domains, BVIs, admin state, deletions) meets packets. */
static void
fuzz_cli_inject(void)
{
	struct lig_node *eth = lig_node_by_name("ethernet-input");
	u8 f[64] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
		    0x00, 0x00, 0x00, 0x00, 0x09, 0x08, 0x06};

	for (u32 sw = 1; sw < 16; sw++) {
		struct lig_interface *ifp = lig_if_get(sw);
		if (!ifp)
			continue;
		for (int k = 0; k < 2; k++) {
			if (k == 1)
				memcpy(f, ifp->mac, 6);
			u32 bi = lig_buffer_from_bytes(f, sizeof(f));
			if (bi == LIG_INVALID_INDEX)
				return;
			lig_buffer_get(bi)->sw_if_index[LIG_RX] = sw;
			lig_node_put(eth->index, bi);
		}
	}
}

/* The input is up to 8 command lines (separated by newlines), run in order: the
 * fuzzer composes sequences such as create, configure, delete, show. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[LIG_CLI_MAX_LINE + 64];
	struct lig_str out = {0};

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = 0;
	char *line = buf;
	for (int n = 0; line && n < 8; n++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (fuzz_cli_allowed(line)) {
			lig_str_reset(&out);
			lig_cli_execute(line, &out);
		}
		line = nl ? nl + 1 : NULL;
	}
	lig_str_free(&out);
	/* Let whatever the commands configured meet a few packets. */
	fuzz_cli_inject();
	lig_graph_run_once();
	return 0;
}

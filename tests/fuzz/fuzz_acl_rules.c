/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the ACL rule parsers: selector byte 0 (even) gives the rest as the
 * arguments of `set acl-plugin acl` (VPP's comma-separated rule syntax, through the CLI
 * and its API handler); odd gives the rest as the body of an acl_add_replace API request
 * (validated by the API layer, then by the handler). Then show acl-plugin acl (and, for one
 * input in four, show running-config) renders whatever was accepted, and every ACL is
 * deleted again. Nothing may crash, read out of bounds or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/api.h"
#include "fuzz.h"
#include "infra/log.h"
#include "vlib/api_server.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	lig_log_level = LIG_LOG_ERR;
	if (lig_buffer_pool_init(1024) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lig_str out = {0};

	if (size < 1 || size > 8192)
		return 0;
	if (!(data[0] & 1)) {
		char line[LIG_CLI_MAX_LINE];
		size_t n = LIG_MIN(size - 1, sizeof(line) - 32);
		memcpy(line, "set acl-plugin acl ", 19);
		memcpy(line + 19, data + 1, n);
		line[19 + n] = 0;
		/* One line: a newline or NUL ends it, as the CLI socket would. */
		line[19 + strcspn(line + 19, "\n")] = 0;
		lig_cli_execute(line, &out);
	} else {
		lig_api_acl_add_replace_reply_t rep;
		lig_api_call_local(LIG_API_ID_acl_add_replace, data + 1, (u32)(size - 1), &rep,
				   sizeof(rep));
	}
	lig_str_reset(&out);
	lig_cli_execute("show acl-plugin acl", &out);
	/* The whole running-config is slow (every module's dumps): one input in four. */
	if ((data[0] & 6) == 6) {
		lig_str_reset(&out);
		lig_cli_execute("show running-config", &out);
	}
	for (u32 i = 0; i < LIG_ACL_MAX; i++)
		if (lig_acl_get(i) && lig_acl_del(i) < 0)
			abort(); /* nothing is applied here */
	lig_str_free(&out);
	return 0;
}

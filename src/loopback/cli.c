/* SPDX-License-Identifier: Apache-2.0 */
/* loopback CLI: parses the loopback commands into API requests and calls the same handlers
 * as the API socket (api.c); show running-config renders the loopback dump. */
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "api.h"
#include "loopback.h"

static int
lig_loopback_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_loopback_create_t req = {0};
	lig_api_loopback_create_reply_t rep;
	u32 instance = 0;
	u8 mac[6];

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "mac")) {
			if (!lig_cli_mac(in, mac))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
			/* Zero asks the API for a random MAC; typed, it is a mistake. */
			if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
				return lig_cli_error(in, out,
						     "00:00:00:00:00:00 is no MAC address");
			memcpy(req.mac, mac, 6);
		} else if (lig_cli_keyword(in, "instance")) {
			if (!lig_cli_u32(in, &instance) || instance >= LIG_LOOPBACK_MAX)
				return lig_cli_expected(in, out, "<instance> (0..1023)");
			req.instance_set = 1;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	req.instance = instance;
	int rv = LIG_API_CALL(loopback_create, &req, &rep);
	if (rv < 0)
		return lig_cli_api_result(in, out, rv, rep.error);
	lig_str_printf(out, "%s\n", lig_if_get(rep.sw_if_index)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_loopback_create_command) = {
    .path = "loopback create-interface",
    .short_help = "loopback create-interface [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

/* VPP accepts both spellings; so do we. */
LIG_CLI_COMMAND(lig_loopback_create_short_command) = {
    .path = "loopback create",
    .short_help = "loopback create [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

LIG_CLI_COMMAND(lig_create_loopback_command) = {
    .path = "create loopback interface",
    .short_help = "create loopback interface [mac <mac>] [instance <n>]",
    .function = lig_loopback_cli_create,
};

static int
lig_loopback_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_loopback_delete_t req = {0};
	lig_api_loopback_delete_reply_t rep;
	u32 sw;

	if (!lig_cli_keyword(in, "intfc"))
		return lig_cli_expected(in, out, "intfc <interface>");
	int rv = lig_cli_expect_interface(in, out, &sw);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.sw_if_index = sw;
	rv = LIG_API_CALL(loopback_delete, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_loopback_delete_command) = {
    .path = "loopback delete-interface",
    .short_help = "loopback delete-interface intfc <interface>",
    .function = lig_loopback_cli_delete,
};

static bool
lig_loopback_running_config_one(void *ctx, const void *details, u32 size)
{
	const lig_api_loopback_dump_details_t *d = details;
	const u8 *m = d->mac;

	if (size != sizeof(*d))
		return false;
	lig_str_printf(ctx,
		       "loopback create-interface mac %02x:%02x:%02x:%02x:%02x:%02x instance %u\n",
		       m[0], m[1], m[2], m[3], m[4], m[5], d->instance);
	return true;
}

static void
lig_loopback_running_config(struct lig_str *out)
{
	lig_api_loopback_dump_t req = {0};

	LIG_API_DUMP(loopback_dump, &req, lig_loopback_running_config_one, out, NULL);
}
LIG_RUNNING_CONFIG("loopback", 100, lig_loopback_running_config);

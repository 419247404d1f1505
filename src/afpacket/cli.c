/* SPDX-License-Identifier: Apache-2.0 */
/* af_packet CLI: parses create/delete host-interface and calls the control functions
 * in afpacket.c, which a binary API or the agent call the same way. */
#include <errno.h>

#include "../vlib/cli.h"
#include "afpacket.h"

static int
lig_afpacket_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	const char *host_if = NULL;
	u8 mac[6];
	bool have_mac = false;
	u32 sw;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "name")) {
			host_if = lig_cli_word(in);
			if (!host_if)
				return lig_cli_expected(in, out, "<linux-interface>");
		} else if (lig_cli_keyword(in, "hw-addr")) {
			if (!lig_cli_mac(in, mac))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
			have_mac = true;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!host_if)
		return lig_cli_error(in, out, "missing name <linux-interface>");
	rv = lig_afpacket_create(host_if, have_mac ? mac : NULL, &sw);
	if (rv == -ENODEV)
		return lig_cli_error(in, out, "no Linux interface '%s'", host_if), rv;
	if (rv == -EEXIST)
		return lig_cli_error(in, out, "host-%s already exists", host_if), rv;
	if (rv < 0)
		return lig_cli_error(in, out, "%s: %s", host_if, strerror(-rv)), rv;
	lig_str_printf(out, "%s\n", lig_if_get(sw)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_afpacket_create_command) = {
    .path = "create host-interface",
    .short_help = "create host-interface name <linux-if> [hw-addr <mac>]",
    .function = lig_afpacket_cli_create,
};

static int
lig_afpacket_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	const char *host_if = NULL;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "name")) {
			host_if = lig_cli_word(in);
			if (!host_if)
				return lig_cli_expected(in, out, "<linux-interface>");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!host_if)
		return lig_cli_error(in, out, "missing name <linux-interface>");
	rv = lig_afpacket_delete(host_if);
	if (rv == -ENOENT)
		return lig_cli_error(in, out, "no host-interface on '%s'", host_if), rv;
	if (rv < 0)
		return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
	return 0;
}

LIG_CLI_COMMAND(lig_afpacket_delete_command) = {
    .path = "delete host-interface",
    .short_help = "delete host-interface name <linux-if>",
    .function = lig_afpacket_cli_delete,
};

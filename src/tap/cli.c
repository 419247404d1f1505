/* SPDX-License-Identifier: Apache-2.0 */
/* tap CLI: parses create tap / delete tap and calls lig_tap_create / lig_tap_delete,
 * the functions a binary API or the agent call the same way. */
#include <errno.h>

#include "../vlib/cli.h"
#include "tap.h"

static int
lig_tap_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_tap_create_args a = {0};
	bool have_id = false;
	u8 mac[6];
	u32 sw;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "id")) {
			if (!lig_cli_u32(in, &a.id) || a.id > 65535)
				return lig_cli_expected(in, out, "<id> (0..65535)");
			have_id = true;
		} else if (lig_cli_keyword(in, "host-if-name")) {
			if (!(a.host_if_name = lig_cli_word(in)))
				return lig_cli_expected(in, out, "<linux-interface-name>");
			if (strlen(a.host_if_name) >= IF_NAMESIZE)
				return lig_cli_error(in, out, "host-if-name longer than %u",
						     IF_NAMESIZE - 1);
		} else if (lig_cli_keyword(in, "host-ns")) {
			if (!(a.host_ns = lig_cli_word(in)))
				return lig_cli_expected(in, out, "<netns>");
		} else if (lig_cli_keyword(in, "host-ip4-addr")) {
			if (!lig_cli_ip4_prefix(in, &a.host_ip4, &a.host_ip4_len))
				return lig_cli_expected(in, out, "<a.b.c.d/len>");
		} else if (lig_cli_keyword(in, "host-ip4-gw")) {
			if (!lig_cli_ip4(in, &a.host_ip4_gw))
				return lig_cli_expected(in, out, "<a.b.c.d>");
		} else if (lig_cli_keyword(in, "hw-addr")) {
			if (!lig_cli_mac(in, mac))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
			a.mac = mac;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_id)
		return lig_cli_error(in, out, "missing id <n>");
	if (a.host_ip4_gw && !a.host_ip4)
		return lig_cli_error(in, out, "host-ip4-gw needs host-ip4-addr");
	rv = lig_tap_create(&a, &sw);
	if (rv == -EEXIST)
		return lig_cli_error(in, out, "tap%u or its host interface already exists", a.id),
		       rv;
	if (rv == -ENOENT && a.host_ns)
		return lig_cli_error(in, out, "no network namespace '%s'", a.host_ns), rv;
	if (rv < 0)
		return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
	lig_str_printf(out, "%s\n", lig_if_get(sw)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_tap_create_command) = {
    .path = "create tap",
    .short_help = "create tap id <n> [host-if-name <name>] [host-ns <netns>] "
		  "[host-ip4-addr <a/len>] [host-ip4-gw <a>] [hw-addr <mac>]",
    .function = lig_tap_cli_create,
};

static int
lig_tap_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_tap_delete(sw);
	if (rv == -ENOENT)
		return lig_cli_error(in, out, "%s is not a tap interface", lig_if_get(sw)->name),
		       rv;
	if (rv < 0)
		return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
	return 0;
}

LIG_CLI_COMMAND(lig_tap_delete_command) = {
    .path = "delete tap",
    .short_help = "delete tap <interface>",
    .function = lig_tap_cli_delete,
};

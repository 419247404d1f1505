/* SPDX-License-Identifier: Apache-2.0 */
/* af_packet CLI: parses create/delete host-interface into API requests and calls the same
 * handlers as the API socket (api.c); show running-config renders the af_packet dump. */
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "afpacket.h"
#include "api.h"

/* Parses "name <linux-if>" (after the keyword) into a str16. */
static int
lig_afpacket_cli_host_if(struct lig_cli_input *in, struct lig_str *out, char *host_if, size_t size)
{
	const char *w = lig_cli_word(in);

	if (!w)
		return lig_cli_expected(in, out, "<linux-interface>");
	if (strlen(w) >= size)
		return lig_cli_error(in, out,
				     "'%s': a Linux interface name has at most %zu characters", w,
				     size - 1);
	snprintf(host_if, size, "%s", w);
	return 0;
}

static int
lig_afpacket_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_af_packet_create_t req = {0};
	lig_api_af_packet_create_reply_t rep;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "name")) {
			rv = lig_afpacket_cli_host_if(in, out, req.host_if_name,
						      sizeof(req.host_if_name));
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "hw-addr")) {
			if (!lig_cli_mac(in, req.hw_addr))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
		} else if (lig_cli_keyword(in, "num-rx-queues")) {
			u32 n;
			if (!lig_cli_u32(in, &n) || n < 1 || n > LIG_AFPACKET_MAX_RX_QUEUES)
				return lig_cli_expected(in, out, "<rx queues> (1..16)");
			req.num_rx_queues = n;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!req.host_if_name[0])
		return lig_cli_error(in, out, "missing name <linux-interface>");
	rv = LIG_API_CALL(af_packet_create, &req, &rep);
	if (rv < 0)
		return lig_cli_api_result(in, out, rv, rep.error);
	lig_str_printf(out, "%s\n", lig_if_get(rep.sw_if_index)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_afpacket_create_command) = {
    .path = "create host-interface",
    .short_help = "create host-interface name <linux-if> [hw-addr <mac>] [num-rx-queues <n>]",
    .function = lig_afpacket_cli_create,
    .mp_safe = true, /* af_packet_create is */
};

static int
lig_afpacket_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_af_packet_delete_t req = {0};
	lig_api_af_packet_delete_reply_t rep;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "name")) {
			rv = lig_afpacket_cli_host_if(in, out, req.host_if_name,
						      sizeof(req.host_if_name));
			if (rv < 0)
				return rv;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!req.host_if_name[0])
		return lig_cli_error(in, out, "missing name <linux-interface>");
	rv = LIG_API_CALL(af_packet_delete, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_afpacket_delete_command) = {
    .path = "delete host-interface",
    .short_help = "delete host-interface name <linux-if>",
    .function = lig_afpacket_cli_delete,
};

static bool
lig_afpacket_running_config_one(void *ctx, const void *details, u32 size)
{
	const lig_api_af_packet_dump_details_t *d = details;
	const u8 *m = d->hw_addr;

	if (size != sizeof(*d))
		return false;
	lig_str_printf(ctx, "create host-interface name %s hw-addr %02x:%02x:%02x:%02x:%02x:%02x",
		       d->host_if_name, m[0], m[1], m[2], m[3], m[4], m[5]);
	if (d->num_rx_queues > 1)
		lig_str_printf(ctx, " num-rx-queues %u", d->num_rx_queues);
	lig_str_printf(ctx, "\n");
	return true;
}

static void
lig_afpacket_running_config(struct lig_str *out)
{
	lig_api_af_packet_dump_t req = {0};

	LIG_API_DUMP(af_packet_dump, &req, lig_afpacket_running_config_one, out, NULL);
}
LIG_RUNNING_CONFIG("af_packet", 100, lig_afpacket_running_config);

/* SPDX-License-Identifier: Apache-2.0 */
/* tap CLI: parses create tap / delete tap into API requests and calls the same handlers as
 * the API socket (api.c); show running-config renders the tap dump. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "../ethernet/ethernet.h"
#include "../vlib/cli.h"
#include "api.h"
#include "tap.h"

/* Copies the next word into a string field of size bytes; what names it in errors. */
static int
lig_tap_cli_string(struct lig_cli_input *in, struct lig_str *out, const char *expected,
		   const char *what, char *dst, size_t size)
{
	const char *w = lig_cli_word(in);

	if (!w)
		return lig_cli_expected(in, out, expected);
	if (strlen(w) >= size)
		return lig_cli_error(in, out, "%s longer than %zu", what, size - 1);
	snprintf(dst, size, "%s", w);
	return 0;
}

static int
lig_tap_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_tap_create_t req = {0};
	lig_api_tap_create_reply_t rep;
	bool have_id = false;
	u32 id = 0, addr = 0, gw = 0;
	u8 len = 0;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "id")) {
			if (!lig_cli_u32(in, &id) || id > 65535)
				return lig_cli_expected(in, out, "<id> (0..65535)");
			have_id = true;
		} else if (lig_cli_keyword(in, "host-if-name")) {
			rv = lig_tap_cli_string(in, out, "<linux-interface-name>", "host-if-name",
						req.host_if_name, sizeof(req.host_if_name));
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "host-ns")) {
			rv = lig_tap_cli_string(in, out, "<netns>", "host-ns", req.host_ns,
						sizeof(req.host_ns));
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "host-ip4-addr")) {
			if (!lig_cli_ip4_prefix(in, &addr, &len))
				return lig_cli_expected(in, out, "<a.b.c.d/len>");
		} else if (lig_cli_keyword(in, "host-mac-addr")) {
			if (!lig_cli_mac(in, req.host_mac_addr))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
		} else if (lig_cli_keyword(in, "host-mtu-size")) {
			u32 mtu;
			if (!lig_cli_u32(in, &mtu) || mtu < 68 || mtu > LIG_IF_MTU_MAX)
				return lig_cli_expected(in, out, "<mtu> (68..65517)");
			req.host_mtu_size = mtu;
		} else if (lig_cli_keyword(in, "host-bridge")) {
			rv = lig_tap_cli_string(in, out, "<bridge-name>", "host-bridge",
						req.host_bridge, sizeof(req.host_bridge));
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "host-ip4-gw")) {
			if (!lig_cli_ip4(in, &gw))
				return lig_cli_expected(in, out, "<a.b.c.d>");
		} else if (lig_cli_keyword(in, "gso")) {
			req.tap_flags |= LIG_TAP_FLAG_GSO;
		} else if (lig_cli_keyword(in, "csum-offload")) {
			req.tap_flags |= LIG_TAP_FLAG_CSUM_OFFLOAD;
		} else if (lig_cli_keyword(in, "num-rx-queues")) {
			u32 n;
			if (!lig_cli_u32(in, &n) || n < 1 || n > LIG_TAP_MAX_QUEUES)
				return lig_cli_expected(in, out, "<queue pairs> (1..16)");
			req.num_rx_queues = n;
		} else if (lig_cli_keyword(in, "no-vhost")) {
			req.tap_flags |= LIG_TAP_FLAG_NO_VHOST;
		} else if (lig_cli_keyword(in, "hw-addr")) {
			if (!lig_cli_mac(in, req.hw_addr))
				return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_id)
		return lig_cli_error(in, out, "missing id <n>");
	req.id = id;
	req.host_ip4_addr = addr;
	req.host_ip4_prefix_len = len;
	req.host_ip4_gw = gw;
	rv = LIG_API_CALL(tap_create, &req, &rep);
	if (rv < 0)
		return lig_cli_api_result(in, out, rv, rep.error);
	lig_str_printf(out, "%s\n", lig_if_get(rep.sw_if_index)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_tap_create_command) = {
    .path = "create tap",
    .short_help =
	"create tap id <n> [host-if-name <name>] [host-ns <netns>] [host-bridge <bridge-name>] "
	"[host-mac-addr <mac>] [host-mtu-size <n>] [host-ip4-addr <a/len>] [host-ip4-gw <a>] "
	"[hw-addr <mac>] [gso] [csum-offload] [no-vhost] [num-rx-queues <n>]",
    .function = lig_tap_cli_create,
    .mp_safe = true, /* tap_create is */
};

static int
lig_tap_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_tap_delete_t req = {0};
	lig_api_tap_delete_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(tap_delete, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_tap_delete_command) = {
    .path = "delete tap",
    .short_help = "delete tap <interface>",
    .function = lig_tap_cli_delete,
};

static bool
lig_tap_running_config_one(void *ctx, const void *details, u32 size)
{
	const lig_api_tap_dump_details_t *d = details;
	struct lig_str *out = ctx;
	char def_name[IF_NAMESIZE], a[INET_ADDRSTRLEN];
	const u8 *m = d->hw_addr;

	if (size != sizeof(*d))
		return false;
	lig_str_printf(out, "create tap id %u", d->id);
	snprintf(def_name, sizeof(def_name), "tap%u", d->id);
	if (strcmp(d->host_if_name, def_name) != 0)
		lig_str_printf(out, " host-if-name %s", d->host_if_name);
	if (d->host_ns[0])
		lig_str_printf(out, " host-ns %s", d->host_ns);
	if (d->host_bridge[0])
		lig_str_printf(out, " host-bridge %s", d->host_bridge);
	if (!lig_mac_is_zero(d->host_mac_addr)) {
		const u8 *h = d->host_mac_addr;
		lig_str_printf(out, " host-mac-addr %02x:%02x:%02x:%02x:%02x:%02x", h[0], h[1],
			       h[2], h[3], h[4], h[5]);
	}
	if (d->host_mtu_size)
		lig_str_printf(out, " host-mtu-size %u", d->host_mtu_size);
	if (d->host_ip4_addr)
		lig_str_printf(out, " host-ip4-addr %s/%u",
			       inet_ntop(AF_INET, &d->host_ip4_addr, a, sizeof(a)),
			       d->host_ip4_prefix_len);
	if (d->host_ip4_gw)
		lig_str_printf(out, " host-ip4-gw %s",
			       inet_ntop(AF_INET, &d->host_ip4_gw, a, sizeof(a)));
	lig_str_printf(out, " hw-addr %02x:%02x:%02x:%02x:%02x:%02x%s%s", m[0], m[1], m[2], m[3],
		       m[4], m[5], (d->tap_flags & LIG_TAP_FLAG_GSO) ? " gso" : "",
		       (d->tap_flags & LIG_TAP_FLAG_NO_VHOST) ? " no-vhost" : "");
	if (d->num_rx_queues > 1)
		lig_str_printf(out, " num-rx-queues %u", d->num_rx_queues);
	lig_str_printf(out, "\n");
	return true;
}

static void
lig_tap_running_config(struct lig_str *out)
{
	lig_api_tap_dump_t req = {0};

	LIG_API_DUMP(tap_dump, &req, lig_tap_running_config_one, out, NULL);
}
LIG_RUNNING_CONFIG("tap", 100, lig_tap_running_config);

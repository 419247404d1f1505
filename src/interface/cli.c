/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interface CLI: parsing interface names, the commands every interface has (state, MAC,
 * MTU, tag) as front ends of the API handlers (api.c), `show interface` rendered from the
 * sw_interface_dump details, and the running-config section of interface settings.
 */
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "../vlib/trace.h"
#include "api.h"
#include "interface.h"

bool
lig_cli_interface(struct lig_cli_input *in, u32 *sw_if_index)
{
	const char *w = lig_cli_peek(in);
	struct lig_interface *ifp = w ? lig_if_by_name(w) : NULL;

	if (!ifp)
		return false;
	*sw_if_index = ifp->sw_if_index;
	in->pos++;
	return true;
}

int
lig_cli_expect_interface(struct lig_cli_input *in, struct lig_str *out, u32 *sw_if_index)
{
	const char *w = lig_cli_peek(in);

	if (lig_cli_interface(in, sw_if_index))
		return 0;
	*sw_if_index = LIG_INVALID_INDEX;
	if (w)
		return lig_cli_error(in, out, "unknown interface '%s'", w);
	return lig_cli_error(in, out, "expected <interface> at end of line");
}

static int
lig_if_cli_set_state(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_flags_t req = {0};
	lig_api_sw_interface_set_flags_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	if (lig_cli_keyword(in, "up"))
		req.admin_up = 1;
	else if (!lig_cli_keyword(in, "down"))
		return lig_cli_expected(in, out, "up or down");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_flags, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_if_set_state_command) = {
    .path = "set interface state",
    .short_help = "set interface state <interface> up|down",
    .function = lig_if_cli_set_state,
    .mp_safe = true, /* sw_interface_set_flags is */
};

static int
lig_if_cli_set_mac(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_mac_t req = {0};
	lig_api_sw_interface_set_mac_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	if (!lig_cli_mac(in, req.mac))
		return lig_cli_expected(in, out, "<mac> (xx:xx:xx:xx:xx:xx)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_mac, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_if_set_mac_command) = {
    .path = "set interface mac address",
    .short_help = "set interface mac address <interface> <mac>",
    .function = lig_if_cli_set_mac,
};

static int
lig_if_cli_set_mtu(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_mtu_t req = {0};
	lig_api_sw_interface_set_mtu_reply_t rep;
	u32 sw, mtu;

	lig_cli_keyword(in, "packet");
	if (!lig_cli_u32(in, &mtu))
		return lig_cli_expected(in, out, "<mtu>");
	int rv = lig_cli_expect_interface(in, out, &sw);
	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	req.mtu = mtu;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_mtu, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_if_set_mtu_command) = {
    .path = "set interface mtu",
    .short_help = "set interface mtu [packet] <n> <interface>",
    .function = lig_if_cli_set_mtu,
};

static int
lig_if_cli_set_tag(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_tag_t req = {0};
	lig_api_sw_interface_set_tag_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	const char *tag = lig_cli_word(in);
	if (tag && strlen(tag) >= sizeof(req.tag))
		return lig_cli_error(in, out, "a tag has at most %zu characters",
				     sizeof(req.tag) - 1);
	if (tag)
		snprintf(req.tag, sizeof(req.tag), "%s", tag);
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_tag, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_if_set_tag_command) = {
    .path = "set interface tag",
    .short_help = "set interface tag <interface> [<tag> | \"<tag with spaces>\"]: none clears it",
    .function = lig_if_cli_set_tag,
    .mp_safe = true, /* a tag is never read by the datapath */
};

static const char *
lig_if_mode_name(const lig_api_sw_interface_dump_details_t *d)
{
	switch (d->l2_mode) {
	case LIG_IF_MODE_BRIDGE:
		return d->l2_bvi ? "l2 bridge (bvi)" : "l2 bridge";
	case LIG_IF_MODE_XCONNECT:
		return "l2 xconnect";
	default:
		return "l3";
	}
}

static bool
lig_if_show_one(void *ctx, const void *details, u32 size)
{
	const lig_api_sw_interface_dump_details_t *d = details;
	struct lig_str *s = ctx;
	const struct {
		const char *name;
		u64 value;
	} rows[] = {
	    {"rx packets", d->rx_packets}, {"rx bytes", d->rx_bytes}, {"tx packets", d->tx_packets},
	    {"tx bytes", d->tx_bytes},	   {"drops", d->drops},	      {"rx-error", d->rx_errors},
	    {"tx-error", d->tx_errors},
	};
	bool first = true;

	if (size != sizeof(*d))
		return false;
	for (u32 i = 0; i < LIG_ARRAY_LEN(rows); i++) {
		if (rows[i].value == 0 && !(first && i == LIG_ARRAY_LEN(rows) - 1))
			continue;
		if (first)
			lig_str_printf(s, "%-24s %5u %5s %5s %6u  %-18s %-14s %llu\n", d->name,
				       d->sw_if_index, d->admin_up ? "up" : "down",
				       d->link_up ? "up" : "down", d->mtu, lig_if_mode_name(d),
				       rows[i].name, (unsigned long long)rows[i].value);
		else
			lig_str_printf(s, "%-24s %5s %5s %5s %6s  %-18s %-14s %llu\n", "", "", "",
				       "", "", "", rows[i].name, (unsigned long long)rows[i].value);
		first = false;
	}
	return true;
}

static int
lig_if_cli_show(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_dump_t req = {0};
	char err[LIG_API_ERROR_SIZE];

	if (!lig_cli_end(in)) {
		u32 sw;
		int rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			return rv;
		if (!lig_cli_end(in))
			return lig_cli_unknown_input(in, out);
		req.sw_if_index = sw;
	}
	lig_str_printf(out, "%-24s %5s %5s %5s %6s  %-18s %-14s %s\n", "Name", "Idx", "State",
		       "Link", "MTU", "Mode", "Counter", "Count");
	if (req.sw_if_index == 0)
		lig_str_printf(out, "%-24s %5u %5s %5s %6u  %-18s\n", "local0", 0, "down", "down",
			       0, "-");
	int rv = LIG_API_DUMP(sw_interface_dump, &req, lig_if_show_one, out, err);
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_if_show_command) = {
    .path = "show interface",
    .short_help = "show interface [<interface>]",
    .function = lig_if_cli_show,
    .mp_safe = true, /* the interface dump is mp-safe */
};

static int
lig_if_cli_show_hw(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw = LIG_INVALID_INDEX;

	if (!lig_cli_end(in)) {
		int rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			return rv;
	}
	lig_str_printf(out, "%-24s %5s %5s  %s\n", "Name", "Idx", "Link", "Hardware");
	for (u32 i = 1; i < LIG_IF_MAX; i++) {
		struct lig_interface *ifp = lig_interfaces[i];
		if (!ifp || (sw != LIG_INVALID_INDEX && sw != i))
			continue;
		lig_str_printf(out, "%-24s %5u %5s  %s\n", ifp->name, i,
			       ifp->link_up ? "up" : "down", ifp->class->name);
		lig_str_printf(out, "  Ethernet address ");
		lig_format_mac(out, ifp->mac);
		lig_str_printf(out, "\n  MTU %u, max frame %u\n", ifp->mtu, ifp->mtu + 18);
		if (ifp->tag[0])
			lig_str_printf(out, "  Tag %s\n", ifp->tag);
		if (ifp->class->format_hw)
			ifp->class->format_hw(out, ifp);
	}
	return 0;
}

LIG_CLI_COMMAND(lig_if_show_hw_command) = {
    .path = "show hardware-interfaces",
    .short_help = "show hardware-interfaces [<interface>]",
    .function = lig_if_cli_show_hw,
    /* The table and the drivers' settings are main's; the drivers' counters and ring
     * positions are read atomically (lig_counter_get) as the workers write them. */
    .mp_safe = true,
};

static int
lig_if_cli_clear(struct lig_cli_input *in, struct lig_str *out)
{
	(void)in;
	(void)out;
	lig_if_clear_counters();
	return 0;
}

LIG_CLI_COMMAND(lig_if_clear_command) = {
    .path = "clear interfaces",
    .short_help = "clear interfaces: zero every interface counter",
    .function = lig_if_cli_clear,
};

/* rx placement (rx_queue.h), as VPP's: set interface rx-placement, show interface
 * rx-placement. */
static int
lig_if_cli_set_rx_placement(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_rx_placement_t req = {0};
	lig_api_sw_interface_set_rx_placement_reply_t rep;
	u32 sw, v;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "queue")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<queue-id>");
			req.queue_id = v;
		} else if (lig_cli_keyword(in, "worker")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<worker-index>");
			req.worker_id = v;
			req.is_main = 0;
		} else if (lig_cli_keyword(in, "main")) {
			req.is_main = 1;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	rv = LIG_API_CALL(sw_interface_set_rx_placement, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_if_set_rx_placement_command) = {
    .path = "set interface rx-placement",
    .short_help = "set interface rx-placement <interface> [queue <n>] worker <n> | main",
    .function = lig_if_cli_set_rx_placement,
};

struct lig_if_rxp_show {
	struct lig_str *out;
	u32 thread; /* the section being printed */
};

static bool
lig_if_rxp_show_one(void *ctx, const void *details, u32 size)
{
	const lig_api_sw_interface_rx_placement_dump_details_t *d = details;
	struct lig_if_rxp_show *x = ctx;
	struct lig_interface *ifp = lig_if_get(d->sw_if_index);
	u32 thread = d->worker_id == LIG_INVALID_INDEX ? 0 : d->worker_id + 1;

	if (size != sizeof(*d) || thread != x->thread)
		return size == sizeof(*d);
	lig_str_printf(x->out, "  %s queue %u (%s)%s\n", ifp ? ifp->name : "?", d->queue_id,
		       d->mode == 1 ? "polling" : "interrupt", d->manual ? " placed" : "");
	return true;
}

static int
lig_if_cli_show_rx_placement(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_rx_placement_dump_t req = {0};
	struct lig_if_rxp_show x = {.out = out};
	char err[LIG_API_ERROR_SIZE];
	int rv = 0;

	if (!lig_cli_end(in)) {
		u32 sw;
		rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			return rv;
		req.sw_if_index = sw;
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	/* One section per thread that polls (main only without workers). */
	for (x.thread = lig_n_workers ? 1 : 0; rv >= 0 && x.thread < lig_n_threads; x.thread++) {
		lig_str_printf(out, "Thread %u (%s):\n", x.thread,
			       lig_threads[x.thread].name[0] ? lig_threads[x.thread].name
							     : "ligd_main");
		rv = LIG_API_DUMP(sw_interface_rx_placement_dump, &req, lig_if_rxp_show_one, &x,
				  err);
	}
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_if_show_rx_placement_command) = {
    .path = "show interface rx-placement",
    .short_help = "show interface rx-placement [<interface>]: which thread polls each rx queue",
    .function = lig_if_cli_show_rx_placement,
    .mp_safe = true, /* the placement dump is mp-safe */
};

/* running-config, section 200: what every interface has; created by their classes (100). */
static bool
lig_if_running_one(void *ctx, const void *details, u32 size)
{
	const lig_api_sw_interface_dump_details_t *d = details;
	struct lig_str *s = ctx;

	if (size != sizeof(*d))
		return false;
	lig_str_printf(s, "set interface mac address %s ", d->name);
	lig_format_mac(s, d->mac);
	lig_str_printf(s, "\nset interface mtu %u %s\n", d->mtu, d->name);
	if (d->tag[0] && strpbrk(d->tag, " #"))
		lig_str_printf(s, "set interface tag %s \"%s\"\n", d->name, d->tag);
	else if (d->tag[0])
		lig_str_printf(s, "set interface tag %s %s\n", d->name, d->tag);
	return true;
}

static bool
lig_if_running_state(void *ctx, const void *details, u32 size)
{
	const lig_api_sw_interface_dump_details_t *d = details;

	if (size == sizeof(*d) && d->admin_up)
		lig_str_printf(ctx, "set interface state %s up\n", d->name);
	return size == sizeof(*d);
}

static void
lig_if_running_config(struct lig_str *out)
{
	lig_api_sw_interface_dump_t req = {0};

	LIG_API_DUMP(sw_interface_dump, &req, lig_if_running_one, out, NULL);
}
LIG_RUNNING_CONFIG("interface", 200, lig_if_running_config)

/* Admin state last of all (900): an interface comes up once everything on it is set. */
static void
lig_if_running_config_state(struct lig_str *out)
{
	lig_api_sw_interface_dump_t req = {0};

	LIG_API_DUMP(sw_interface_dump, &req, lig_if_running_state, out, NULL);
}
LIG_RUNNING_CONFIG("interface-state", 900, lig_if_running_config_state)

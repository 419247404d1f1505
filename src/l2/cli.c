/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 CLI, as VPP's: bridge domains, port modes, the L2 FIB and the ARP-termination
 * table. A configuration command parses its words into the request of an API message
 * and calls that message's handler (api.c), the one the API socket calls; its error is
 * the handler's sentence. show commands and show running-config render the same dumps
 * the API returns. Parsing and formatting only: no L2 table is read here (interface
 * names are looked up for display).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "../interface/api.h"
#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "../vlib/trace.h"
#include "api.h"
#include "l2.h"
#include "l2fib.h"

/* A failed call: the handler's sentence after the command's name. Like every other L2
 * CLI error it returns -EINVAL (the reason is in the text). */
static int
lig_l2_cli_result(struct lig_cli_input *in, struct lig_str *out, int rv, const char *error)
{
	if (rv >= 0)
		return 0;
	lig_cli_api_result(in, out, rv, error);
	return -EINVAL;
}

/*
 * The parsers below store into request fields, which are packed (unaligned): they take
 * the field's address as void * and copy.
 */
static bool
lig_l2_cli_u32(struct lig_cli_input *in, void *dst)
{
	u32 v;

	if (!lig_cli_u32(in, &v))
		return false;
	memcpy(dst, &v, sizeof(v));
	return true;
}

static int
lig_l2_cli_interface(struct lig_cli_input *in, struct lig_str *out, void *dst)
{
	u32 v;
	int rv = lig_cli_expect_interface(in, out, &v);

	if (rv == 0)
		memcpy(dst, &v, sizeof(v));
	return rv;
}

/* Parses a bridge-domain id (1..LIG_BD_ID_MAX). */
static int
lig_l2_cli_bd_id(struct lig_cli_input *in, struct lig_str *out, void *dst)
{
	const char *w = lig_cli_peek(in);
	u32 bd_id;

	if (!lig_cli_u32(in, &bd_id))
		return lig_cli_expected(in, out, "<bd-id>");
	if (bd_id == 0 || bd_id > LIG_BD_ID_MAX)
		return lig_cli_error(in, out, "bridge domain id '%s' out of range (1..%u)", w,
				     LIG_BD_ID_MAX);
	memcpy(dst, &bd_id, sizeof(bd_id));
	return 0;
}

static const char *
lig_l2_if_name(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp ? ifp->name : "N/A";
}

static void
lig_l2_cli_mac_text(char *buf, size_t size, const u8 mac[6])
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

/*
 * Bridge domains as the dump gives them (each details copied whole, members included),
 * sorted by bd_id for display.
 */
struct lig_l2_cli_bds {
	u32 n;
	lig_api_bridge_domain_dump_details_t *d[LIG_BD_MAX];
	bool oom;
};

static bool
lig_l2_cli_bds_cb(void *ctx, const void *details, u32 size)
{
	struct lig_l2_cli_bds *b = ctx;
	lig_api_bridge_domain_dump_details_t *d;

	const lig_api_bridge_domain_dump_details_t *src = details;
	if (size < sizeof(*d) || size != sizeof(*d) + src->n_members * sizeof(src->members[0]))
		return false;
	if (b->n == LIG_BD_MAX || !(d = malloc(size))) {
		b->oom = true;
		return false;
	}
	memcpy(d, details, size);
	b->d[b->n++] = d;
	return true;
}

static int
lig_l2_cli_cmp_bd_id(const void *a, const void *b)
{
	u32 x = (*(lig_api_bridge_domain_dump_details_t *const *)a)->bd_id;
	u32 y = (*(lig_api_bridge_domain_dump_details_t *const *)b)->bd_id;

	return x < y ? -1 : x > y;
}

static void
lig_l2_cli_bds_free(struct lig_l2_cli_bds *b)
{
	for (u32 i = 0; b && i < b->n; i++)
		free(b->d[i]);
	free(b);
}

/* Dumps the bridge domains (bd_id 0: all) sorted by bd_id; NULL with err on failure. */
static struct lig_l2_cli_bds *
lig_l2_cli_bds_get(u32 bd_id, int *rv, char *err)
{
	struct lig_l2_cli_bds *b = calloc(1, sizeof(*b));
	lig_api_bridge_domain_dump_t req = {.bd_id = bd_id};

	if (!b) {
		snprintf(err, LIG_API_ERROR_SIZE, "out of memory");
		*rv = -ENOMEM;
		return NULL;
	}
	*rv = LIG_API_DUMP(bridge_domain_dump, &req, lig_l2_cli_bds_cb, b, err);
	if (*rv == 0 && b->oom) {
		snprintf(err, LIG_API_ERROR_SIZE, "out of memory");
		*rv = -ENOMEM;
	}
	if (*rv < 0) {
		lig_l2_cli_bds_free(b);
		return NULL;
	}
	qsort(b->d, b->n, sizeof(b->d[0]), lig_l2_cli_cmp_bd_id);
	return b;
}

/* create bridge-domain <id> [learn 0|1] [forward 0|1] [uu-flood 0|1] [flood 0|1]
 * [arp-term 0|1] [mac-age <minutes>] [bd-tag <tag>] [del] (VPP's syntax) */
static int
lig_l2_cli_create_bd(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_bridge_domain_add_del_t req = {
	    .is_add = 1, .learn = 1, .forward = 1, .uu_flood = 1, .flood = 1};
	lig_api_bridge_domain_add_del_reply_t rep;
	const struct {
		const char *keyword;
		u8 *value;
	} opts[] = {
	    {"learn", &req.learn}, {"forward", &req.forward},	{"uu-flood", &req.uu_flood},
	    {"flood", &req.flood}, {"arp-term", &req.arp_term},
	};
	int rv = lig_l2_cli_bd_id(in, out, &req.bd_id);

	if (rv < 0)
		return rv;
	while (!lig_cli_end(in)) {
		bool matched = false;
		for (u32 k = 0; k < LIG_ARRAY_LEN(opts) && !matched; k++) {
			bool on;
			if (!lig_cli_keyword(in, opts[k].keyword))
				continue;
			if (!lig_cli_bool(in, &on))
				return lig_cli_expected(in, out, "0 or 1");
			*opts[k].value = on;
			matched = true;
		}
		if (matched)
			continue;
		if (lig_cli_keyword(in, "mac-age")) {
			if (!lig_l2_cli_u32(in, &req.mac_age) || req.mac_age > 255)
				return lig_cli_expected(in, out, "<minutes> (0..255)");
		} else if (lig_cli_keyword(in, "bd-tag")) {
			const char *tag = lig_cli_word(in);
			if (!tag)
				return lig_cli_expected(in, out, "<tag>");
			if (strlen(tag) >= sizeof(req.tag))
				return lig_cli_error(in, out, "a tag has at most %zu characters",
						     sizeof(req.tag) - 1);
			snprintf(req.tag, sizeof(req.tag), "%s", tag);
		} else if (lig_cli_keyword(in, "del")) {
			req.is_add = 0;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	rv = LIG_API_CALL(bridge_domain_add_del, &req, &rep);
	if (rv < 0)
		return lig_l2_cli_result(in, out, rv, rep.error);
	if (req.is_add)
		lig_str_printf(out, "bridge-domain %u\n", req.bd_id);
	return 0;
}

LIG_CLI_COMMAND(lig_l2_create_bd_command) = {
    .path = "create bridge-domain",
    .short_help = "create bridge-domain <id> [learn 0|1] [forward 0|1] [uu-flood 0|1] "
		  "[flood 0|1] [arp-term 0|1] [mac-age <minutes>] [bd-tag <tag> | bd-tag "
		  "\"<tag with spaces>\"] [del]",
    .function = lig_l2_cli_create_bd,
    .mp_safe = true, /* bridge_domain_add_del is */
};

/* set bridge-domain <feature> <id> [disable], one command per feature as VPP. */
static int
lig_l2_cli_set_bd_flag(struct lig_cli_input *in, struct lig_str *out, u32 flag)
{
	lig_api_bridge_domain_set_flags_t req = {.flags = flag, .is_set = 1};
	lig_api_bridge_domain_set_flags_reply_t rep;
	int rv = lig_l2_cli_bd_id(in, out, &req.bd_id);

	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "disable"))
		req.is_set = 0;
	else if (lig_cli_keyword(in, "enable"))
		req.is_set = 1;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(bridge_domain_set_flags, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

#define LIG_L2_BD_FLAG_COMMAND(sym, word, flag)                                                    \
	static int lig_l2_cli_set_bd_##sym(struct lig_cli_input *in, struct lig_str *out)          \
	{                                                                                          \
		return lig_l2_cli_set_bd_flag(in, out, flag);                                      \
	}                                                                                          \
	LIG_CLI_COMMAND(lig_l2_set_bd_##sym##_command) = {                                         \
	    .path = "set bridge-domain " word,                                                     \
	    .short_help = "set bridge-domain " word " <bd-id> [disable]",                          \
	    .function = lig_l2_cli_set_bd_##sym,                                                   \
	};

LIG_L2_BD_FLAG_COMMAND(learn, "learn", LIG_L2_API_BD_FLAG_LEARN)
LIG_L2_BD_FLAG_COMMAND(forward, "forward", LIG_L2_API_BD_FLAG_FORWARD)
LIG_L2_BD_FLAG_COMMAND(uu_flood, "uu-flood", LIG_L2_API_BD_FLAG_UU_FLOOD)
LIG_L2_BD_FLAG_COMMAND(flood, "flood", LIG_L2_API_BD_FLAG_FLOOD)
LIG_L2_BD_FLAG_COMMAND(arp_term, "arp-term", LIG_L2_API_BD_FLAG_ARP_TERM)
/* VPP spells it "set bridge-domain arp term". */
LIG_L2_BD_FLAG_COMMAND(arp_term_vpp, "arp term", LIG_L2_API_BD_FLAG_ARP_TERM)

/* set bridge-domain mac-age <bd-id> <minutes> */
static int
lig_l2_cli_set_bd_mac_age(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_bridge_domain_set_mac_age_t req;
	lig_api_bridge_domain_set_mac_age_reply_t rep;
	int rv = lig_l2_cli_bd_id(in, out, &req.bd_id);

	if (rv < 0)
		return rv;
	if (!lig_l2_cli_u32(in, &req.mac_age) || req.mac_age > 255)
		return lig_cli_expected(in, out, "<minutes> (0..255, 0 disables aging)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(bridge_domain_set_mac_age, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_bd_mac_age_command) = {
    .path = "set bridge-domain mac-age",
    .short_help = "set bridge-domain mac-age <bd-id> <minutes>",
    .function = lig_l2_cli_set_bd_mac_age,
};

/* set bridge-domain arp entry <bd-id> <ip4> <mac> [del] */
static int
lig_l2_cli_set_bd_arp_entry(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_bd_ip_mac_add_del_t req = {.is_add = 1};
	lig_api_bd_ip_mac_add_del_reply_t rep;
	int rv = lig_l2_cli_bd_id(in, out, &req.bd_id);

	if (rv < 0)
		return rv;
	u32 ip4;
	if (!lig_cli_ip4(in, &ip4))
		return lig_cli_expected(in, out, "<ip4-address>");
	req.ip4 = ip4;
	if (!lig_cli_mac(in, req.mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	if (lig_cli_keyword(in, "del"))
		req.is_add = 0;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(bd_ip_mac_add_del, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_bd_arp_entry_command) = {
    .path = "set bridge-domain arp entry",
    .short_help = "set bridge-domain arp entry <bd-id> <ip4> <mac> [del]",
    .function = lig_l2_cli_set_bd_arp_entry,
};

/* set interface l2 bridge <if> <bd-id> [bvi] [shg <n>] */
static int
lig_l2_cli_set_bridge(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_l2_bridge_t req = {0};
	lig_api_sw_interface_set_l2_bridge_reply_t rep;
	u32 shg = 0;
	int rv = lig_l2_cli_interface(in, out, &req.sw_if_index);

	if (rv < 0)
		return rv;
	rv = lig_l2_cli_bd_id(in, out, &req.bd_id);
	if (rv < 0)
		return rv;
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "bvi")) {
			req.bvi = 1;
		} else if (lig_cli_keyword(in, "shg")) {
			if (!lig_cli_u32(in, &shg) || shg > 255)
				return lig_cli_expected(in, out, "<split-horizon-group> (0..255)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	req.shg = (u8)shg;
	rv = LIG_API_CALL(sw_interface_set_l2_bridge, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_bridge_command) = {
    .path = "set interface l2 bridge",
    .short_help = "set interface l2 bridge <interface> <bd-id> [bvi] [shg <n>]",
    .function = lig_l2_cli_set_bridge,
    .mp_safe = true, /* port modes publish atomically (l2.h) */
};

/* set interface l2 xconnect <rx-if> <tx-if> */
static int
lig_l2_cli_set_xconnect(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_l2_xconnect_t req;
	lig_api_sw_interface_set_l2_xconnect_reply_t rep;
	int rv = lig_l2_cli_interface(in, out, &req.rx_sw_if_index);

	if (rv < 0)
		return rv;
	rv = lig_l2_cli_interface(in, out, &req.tx_sw_if_index);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_l2_xconnect, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_xconnect_command) = {
    .path = "set interface l2 xconnect",
    .short_help = "set interface l2 xconnect <rx-interface> <tx-interface>",
    .function = lig_l2_cli_set_xconnect,
    .mp_safe = true, /* port modes publish atomically (l2.h) */
};

/* set interface l3 <if> */
static int
lig_l2_cli_set_l3(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_l3_t req;
	lig_api_sw_interface_set_l3_reply_t rep;
	int rv = lig_l2_cli_interface(in, out, &req.sw_if_index);

	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(sw_interface_set_l3, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_l3_command) = {
    .path = "set interface l3",
    .short_help = "set interface l3 <interface>",
    .function = lig_l2_cli_set_l3,
    .mp_safe = true, /* port modes publish atomically (l2.h) */
};

/* show mode: each interface's L2 mode, from the bridge-domain, xconnect and interface
 * dumps. */
struct lig_l2_cli_mode {
	u32 bd_id; /* 0: not a bridge port */
	u32 xc_tx;
	u8 shg, bvi;
};

struct lig_l2_cli_mode_ctx {
	struct lig_l2_cli_mode *m; /* LIG_IF_MAX */
	struct lig_str *out;
};

static bool
lig_l2_cli_mode_bd_cb(void *ctx, const void *details, u32 size)
{
	struct lig_l2_cli_mode_ctx *x = ctx;
	const lig_api_bridge_domain_dump_details_t *d = details;

	if (size < sizeof(*d) || size < sizeof(*d) + d->n_members * sizeof(d->members[0]))
		return false;
	for (u32 i = 0; i < d->n_members; i++) {
		lig_api_l2_bd_member_t mb;
		memcpy(&mb, &d->members[i], sizeof(mb));
		if (mb.sw_if_index >= LIG_IF_MAX)
			continue;
		x->m[mb.sw_if_index].bd_id = d->bd_id;
		x->m[mb.sw_if_index].shg = mb.shg;
		x->m[mb.sw_if_index].bvi = mb.bvi;
	}
	return true;
}

static bool
lig_l2_cli_mode_xc_cb(void *ctx, const void *details, u32 size)
{
	struct lig_l2_cli_mode_ctx *x = ctx;
	lig_api_l2_xconnect_dump_details_t d;

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (d.rx_sw_if_index < LIG_IF_MAX)
		x->m[d.rx_sw_if_index].xc_tx = d.tx_sw_if_index;
	return true;
}

static bool
lig_l2_cli_mode_if_cb(void *ctx, const void *details, u32 size)
{
	struct lig_l2_cli_mode_ctx *x = ctx;
	lig_api_sw_interface_dump_details_t d;

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	const struct lig_l2_cli_mode *m = d.sw_if_index < LIG_IF_MAX ? &x->m[d.sw_if_index] : NULL;
	if (m && d.l2_mode == LIG_IF_MODE_BRIDGE)
		lig_str_printf(x->out, "l2 bridge %s bd_id %u%s shg %u\n", d.name, m->bd_id,
			       m->bvi ? " bvi" : "", m->shg);
	else if (m && d.l2_mode == LIG_IF_MODE_XCONNECT)
		lig_str_printf(x->out, "l2 xconnect %s %s\n", d.name, lig_l2_if_name(m->xc_tx));
	else
		lig_str_printf(x->out, "l3 %s\n", d.name);
	return true;
}

/* show mode [<if>] */
static int
lig_l2_cli_show_mode(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_dump_t if_req = {0};
	lig_api_bridge_domain_dump_t bd_req = {0};
	lig_api_l2_xconnect_dump_t xc_req = {0};
	struct lig_l2_cli_mode_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];
	int rv;

	if (!lig_cli_end(in)) {
		rv = lig_l2_cli_interface(in, out, &if_req.sw_if_index);
		if (rv < 0)
			return rv;
		if (!lig_cli_end(in))
			return lig_cli_unknown_input(in, out);
	}
	x.m = calloc(LIG_IF_MAX, sizeof(*x.m));
	if (!x.m)
		return lig_cli_error(in, out, "out of memory");
	rv = LIG_API_DUMP(bridge_domain_dump, &bd_req, lig_l2_cli_mode_bd_cb, &x, err);
	if (rv == 0)
		rv = LIG_API_DUMP(l2_xconnect_dump, &xc_req, lig_l2_cli_mode_xc_cb, &x, err);
	if (rv == 0)
		rv = LIG_API_DUMP(sw_interface_dump, &if_req, lig_l2_cli_mode_if_cb, &x, err);
	free(x.m);
	return lig_l2_cli_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_l2_show_mode_command) = {
    .path = "show mode",
    .short_help = "show mode [<interface>]",
    .function = lig_l2_cli_show_mode,
    .mp_safe = true, /* the bridge-domain, xconnect and interface dumps are */
};

/* l2fib add <mac> <bd-id> <if> [static] [bvi] | l2fib add <mac> <bd-id> filter */
static int
lig_l2_cli_l2fib_add(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_l2fib_add_del_t req = {.is_add = 1};
	lig_api_l2fib_add_del_reply_t rep;
	int rv;

	if (!lig_cli_mac(in, req.mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	rv = lig_l2_cli_bd_id(in, out, &req.bd_id);
	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "filter")) {
		req.filter_mac = 1;
	} else {
		rv = lig_l2_cli_interface(in, out, &req.sw_if_index);
		if (rv < 0)
			return rv;
		while (!lig_cli_end(in)) {
			if (lig_cli_keyword(in, "static"))
				req.static_mac = 1;
			else if (lig_cli_keyword(in, "bvi"))
				req.bvi_mac = 1;
			else
				return lig_cli_unknown_input(in, out);
		}
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(l2fib_add_del, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_l2fib_add_command) = {
    .path = "l2fib add",
    .short_help = "l2fib add <mac> <bd-id> <interface> [static] [bvi] | l2fib add <mac> "
		  "<bd-id> filter",
    .function = lig_l2_cli_l2fib_add,
};

/* l2fib del <mac> <bd-id> */
static int
lig_l2_cli_l2fib_del(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_l2fib_add_del_t req = {0};
	lig_api_l2fib_add_del_reply_t rep;
	int rv;

	if (!lig_cli_mac(in, req.mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	rv = lig_l2_cli_bd_id(in, out, &req.bd_id);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = LIG_API_CALL(l2fib_add_del, &req, &rep);
	return lig_l2_cli_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_l2_l2fib_del_command) = {
    .path = "l2fib del",
    .short_help = "l2fib del <mac> <bd-id>",
    .function = lig_l2_cli_l2fib_del,
};

/* clear l2fib: learned entries go, static ones stay. */
static int
lig_l2_cli_clear_l2fib(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_l2fib_clear_t req;
	lig_api_l2fib_clear_reply_t rep;

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_l2_cli_result(in, out, LIG_API_CALL(l2fib_clear, &req, &rep), rep.error);
}

LIG_CLI_COMMAND(lig_l2_clear_l2fib_command) = {
    .path = "clear l2fib",
    .short_help = "clear l2fib: remove learned MAC entries (static ones stay)",
    .function = lig_l2_cli_clear_l2fib,
    .mp_safe = true, /* l2fib_clear is */
};

struct lig_l2_cli_fib_ctx {
	struct lig_str *out;
	u32 n;
	u32 *per_bd; /* LIG_BD_MAX counts by domain index */
};

/* One row of show l2fib; the dump comes sorted by domain index and MAC. */
static bool
lig_l2_cli_fib_row(void *ctx, const void *details, u32 size)
{
	struct lig_l2_cli_fib_ctx *x = ctx;
	struct lig_str *out = x->out;
	lig_api_l2fib_dump_details_t d;
	char age[16], bsn[16];

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (x->n++ == 0)
		lig_str_printf(out, "%18s %7s %7s %8s %9s %7s %7s %5s %22s\n", "Mac-Address",
			       "BD-Idx", "If-Idx", "BSN-ISN", "Age(min)", "static", "filter", "bvi",
			       "Interface-Name");
	if (d.bd_index < LIG_BD_MAX)
		x->per_bd[d.bd_index]++;
	if (d.age_minutes == LIG_INVALID_INDEX)
		snprintf(age, sizeof(age), "no");
	else
		snprintf(age, sizeof(age), "%u", d.age_minutes);
	snprintf(bsn, sizeof(bsn), "%u/%u", d.bsn, 0);
	lig_str_printf(out, " ");
	lig_format_mac(out, d.mac);
	if (d.filter_mac)
		lig_str_printf(out, " %7u %7s %8s %9s %7s %7s %5s %22s\n", d.bd_index, "-", bsn,
			       age, "*", "*", "-", "N/A");
	else
		lig_str_printf(out, " %7u %7u %8s %9s %7s %7s %5s %22s\n", d.bd_index,
			       d.sw_if_index, bsn, age, d.static_mac ? "*" : "-", "-",
			       d.bvi_mac ? "*" : "-", lig_l2_if_name(d.sw_if_index));
	return true;
}

/* show l2fib [verbose] [bd <bd-id>]: the table sorted by domain and MAC, then the count;
 * verbose adds per-domain totals, the learn limit and aging statistics. */
static int
lig_l2_cli_show_l2fib(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_l2fib_dump_t req = {0};
	struct lig_l2_cli_fib_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];
	bool verbose = false;
	int rv;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "verbose") || lig_cli_keyword(in, "all")) {
			verbose = true;
		} else if (lig_cli_keyword(in, "bd") || lig_cli_keyword(in, "bd_id")) {
			rv = lig_l2_cli_bd_id(in, out, &req.bd_id);
			if (rv < 0)
				return rv;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	x.per_bd = calloc(LIG_BD_MAX, sizeof(*x.per_bd));
	if (!x.per_bd)
		return lig_cli_error(in, out, "out of memory");
	/* Rendered into a scratch string: an error leaves no partial table behind. */
	struct lig_str table = {0};
	x.out = &table;
	rv = LIG_API_DUMP(l2fib_dump, &req, lig_l2_cli_fib_row, &x, err);
	if (rv < 0) {
		lig_str_free(&table);
		free(x.per_bd);
		return lig_l2_cli_result(in, out, rv, err);
	}
	lig_str_printf(out, "%s%u l2fib entries\n", lig_str_cstr(&table), x.n);
	lig_str_free(&table);
	if (verbose) {
		lig_api_l2fib_info_t info_req;
		lig_api_l2fib_info_reply_t info;
		struct lig_l2_cli_bds *b = NULL;

		rv = LIG_API_CALL(l2fib_info, &info_req, &info);
		if (rv < 0)
			memcpy(err, info.error, sizeof(err));
		else
			b = lig_l2_cli_bds_get(req.bd_id, &rv, err);
		if (rv < 0) {
			free(x.per_bd);
			return lig_l2_cli_result(in, out, rv, err);
		}
		lig_str_printf(out,
			       "learned %u, static %u, learn limit %u, capacity %u, aged %llu\n",
			       info.n_learned, info.n_static, info.learn_limit, info.capacity,
			       (unsigned long long)info.n_aged);
		/* By domain index, as the FIB is keyed. */
		for (u32 idx = 1; idx < LIG_BD_MAX; idx++)
			for (u32 i = 0; i < b->n; i++)
				if (b->d[i]->bd_index == idx)
					lig_str_printf(out,
						       "bridge domain %u (index %u): %u entries\n",
						       b->d[i]->bd_id, idx, x.per_bd[idx]);
		lig_l2_cli_bds_free(b);
	}
	free(x.per_bd);
	return 0;
}

LIG_CLI_COMMAND(lig_l2_show_l2fib_command) = {
    .path = "show l2fib",
    .short_help = "show l2fib [verbose] [bd <bd-id>]",
    .function = lig_l2_cli_show_l2fib,
    .mp_safe = true, /* the L2 FIB dump reads workers' learning atomically */
};

/* set l2 learn-limit <n> */
static int
lig_l2_cli_set_learn_limit(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_l2fib_set_learn_limit_t req;
	lig_api_l2fib_set_learn_limit_reply_t rep;

	if (!lig_l2_cli_u32(in, &req.learn_limit) || req.learn_limit == 0 ||
	    req.learn_limit > LIG_L2FIB_MAX_ENTRIES)
		return lig_cli_expected(in, out, "<entries> (1..131072)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_l2_cli_result(in, out, LIG_API_CALL(l2fib_set_learn_limit, &req, &rep),
				 rep.error);
}

LIG_CLI_COMMAND(lig_l2_set_learn_limit_command) = {
    .path = "set l2 learn-limit",
    .short_help = "set l2 learn-limit <entries>",
    .function = lig_l2_cli_set_learn_limit,
};

static void
lig_l2_show_bd_row(struct lig_str *out, const lig_api_bridge_domain_dump_details_t *d)
{
	char age[16];

	if (d->mac_age)
		snprintf(age, sizeof(age), "%u", d->mac_age);
	else
		snprintf(age, sizeof(age), "off");
	lig_str_printf(out, "%7u %7u %5u %9s %9s %9s %9s %9s %9s %9s %14s\n", d->bd_id, d->bd_index,
		       d->seq_num, age, d->learn ? "on" : "off", d->forward ? "on" : "off",
		       d->uu_flood ? "flood" : "drop", d->flood ? "on" : "off",
		       d->arp_term ? "on" : "off", "off", lig_l2_if_name(d->bvi_sw_if_index));
	if (d->tag[0])
		lig_str_printf(out, "%7s BD-Tag: %s\n", "", d->tag);
}

static bool
lig_l2_cli_arp_row(void *ctx, const void *details, u32 size)
{
	struct lig_str *out = ctx;
	lig_api_bd_ip_mac_dump_details_t d;
	struct in_addr a;
	char ip[INET_ADDRSTRLEN];

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	a.s_addr = d.ip4;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	lig_str_printf(out, "%20s => ", ip);
	lig_format_mac(out, d.mac);
	lig_str_printf(out, "\n");
	return true;
}

static int
lig_l2_show_bd_detail(struct lig_str *out, const lig_api_bridge_domain_dump_details_t *d, char *err)
{
	lig_api_bd_ip_mac_dump_t req = {.bd_id = d->bd_id};

	lig_str_printf(out, "\n%24s %7s %5s %5s %8s\n", "Interface", "If-idx", "SHG", "BVI",
		       "State");
	for (u32 i = 0; i < d->n_members; i++) {
		lig_api_l2_bd_member_t m;
		memcpy(&m, &d->members[i], sizeof(m));
		struct lig_interface *ifp = lig_if_get(m.sw_if_index);
		lig_str_printf(out, "%24s %7u %5u %5s %8s\n", lig_l2_if_name(m.sw_if_index),
			       m.sw_if_index, m.shg, m.bvi ? "*" : "-",
			       ifp && ifp->admin_up ? "up" : "down");
	}
	if (d->n_arp_entries == 0)
		return 0;
	lig_str_printf(out, "\n  IP4 to MAC table for ARP Termination\n");
	return LIG_API_DUMP(bd_ip_mac_dump, &req, lig_l2_cli_arp_row, out, err);
}

/* show bridge-domain [<bd-id> [detail]] */
static int
lig_l2_cli_show_bd(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_l2_cli_bds *b;
	char err[LIG_API_ERROR_SIZE];
	u32 bd_id = 0;
	bool detail = false;
	int rv;

	if (!lig_cli_end(in)) {
		rv = lig_l2_cli_bd_id(in, out, &bd_id);
		if (rv < 0)
			return rv;
		if (lig_cli_keyword(in, "detail"))
			detail = true;
		if (!lig_cli_end(in))
			return lig_cli_unknown_input(in, out);
	}
	b = lig_l2_cli_bds_get(bd_id, &rv, err);
	if (!b)
		return lig_l2_cli_result(in, out, rv, err);
	if (b->n == 0) {
		lig_str_printf(out, "no bridge domains\n");
		lig_l2_cli_bds_free(b);
		return 0;
	}
	lig_str_printf(out, "%7s %7s %5s %9s %9s %9s %9s %9s %9s %9s %14s\n", "BD-ID", "Index",
		       "BSN", "Age(min)", "Learning", "U-Forwrd", "UU-Flood", "Flooding",
		       "ARP-Term", "arp-ufwd", "BVI-Intf");
	for (u32 i = 0; i < b->n; i++)
		lig_l2_show_bd_row(out, b->d[i]);
	rv = detail ? lig_l2_show_bd_detail(out, b->d[0], err) : 0;
	lig_l2_cli_bds_free(b);
	return lig_l2_cli_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_l2_show_bd_command) = {
    .path = "show bridge-domain",
    .short_help = "show bridge-domain [<bd-id> [detail]]",
    .function = lig_l2_cli_show_bd,
    .mp_safe = true, /* the bridge-domain and ARP termination dumps are */
};

/*
 * show running-config, section "l2" (300): bridge domains with the options that differ
 * from create's defaults, their ARP-termination entries, the learn limit, then bridge
 * ports, cross-connects and static FIB entries. Every interface exists by then (100).
 */
static void
lig_l2_running_config_bds(struct lig_str *out, const lig_api_bridge_domain_dump_details_t *d)
{
	lig_str_printf(out, "create bridge-domain %u", d->bd_id);
	if (!d->learn)
		lig_str_printf(out, " learn 0");
	if (!d->forward)
		lig_str_printf(out, " forward 0");
	if (!d->uu_flood)
		lig_str_printf(out, " uu-flood 0");
	if (!d->flood)
		lig_str_printf(out, " flood 0");
	if (d->arp_term)
		lig_str_printf(out, " arp-term 1");
	if (d->mac_age)
		lig_str_printf(out, " mac-age %u", d->mac_age);
	if (d->tag[0] && strpbrk(d->tag, " #"))
		lig_str_printf(out, " bd-tag \"%s\"", d->tag);
	else if (d->tag[0])
		lig_str_printf(out, " bd-tag %s", d->tag);
	lig_str_printf(out, "\n");
}

static bool
lig_l2_running_config_arp(void *ctx, const void *details, u32 size)
{
	struct lig_str *out = ctx;
	lig_api_bd_ip_mac_dump_details_t d;
	struct in_addr a;
	char ip[INET_ADDRSTRLEN], mac[18];

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	a.s_addr = d.ip4;
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	lig_l2_cli_mac_text(mac, sizeof(mac), d.mac);
	lig_str_printf(out, "set bridge-domain arp entry %u %s %s\n", d.bd_id, ip, mac);
	return true;
}

static bool
lig_l2_running_config_xc(void *ctx, const void *details, u32 size)
{
	struct lig_str *out = ctx;
	lig_api_l2_xconnect_dump_details_t d;

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_str_printf(out, "set interface l2 xconnect %s %s\n", lig_l2_if_name(d.rx_sw_if_index),
		       lig_l2_if_name(d.tx_sw_if_index));
	return true;
}

/* Static entries; the BVI's own MAC is left out, since bridging the BVI makes it. */
static bool
lig_l2_running_config_fib(void *ctx, const void *details, u32 size)
{
	struct lig_str *out = ctx;
	lig_api_l2fib_dump_details_t d;
	char mac[18];

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	lig_l2_cli_mac_text(mac, sizeof(mac), d.mac);
	if (d.filter_mac) {
		lig_str_printf(out, "l2fib add %s %u filter\n", mac, d.bd_id);
		return true;
	}
	const struct lig_interface *ifp = lig_if_get(d.sw_if_index);
	if (d.bvi_mac && ifp && memcmp(ifp->mac, d.mac, 6) == 0)
		return true;
	lig_str_printf(out, "l2fib add %s %u %s static%s\n", mac, d.bd_id,
		       lig_l2_if_name(d.sw_if_index), d.bvi_mac ? " bvi" : "");
	return true;
}

static void
lig_l2_running_config_ports(struct lig_str *out)
{
	lig_api_l2_xconnect_dump_t xc_req = {0};
	lig_api_l2fib_dump_t fib_req = {.static_only = 1};
	char err[LIG_API_ERROR_SIZE];
	int rv;
	struct lig_l2_cli_bds *b = lig_l2_cli_bds_get(0, &rv, err);

	for (u32 i = 0; b && i < b->n; i++) {
		const lig_api_bridge_domain_dump_details_t *d = b->d[i];
		for (u32 k = 0; k < d->n_members; k++) {
			lig_api_l2_bd_member_t m;
			memcpy(&m, &d->members[k], sizeof(m));
			lig_str_printf(out, "set interface l2 bridge %s %u%s",
				       lig_l2_if_name(m.sw_if_index), d->bd_id,
				       m.bvi ? " bvi" : "");
			if (m.shg)
				lig_str_printf(out, " shg %u", m.shg);
			lig_str_printf(out, "\n");
		}
	}
	lig_l2_cli_bds_free(b);
	LIG_API_DUMP(l2_xconnect_dump, &xc_req, lig_l2_running_config_xc, out, err);
	LIG_API_DUMP(l2fib_dump, &fib_req, lig_l2_running_config_fib, out, err);
}

static void
lig_l2_running_config(struct lig_str *out)
{
	lig_api_bd_ip_mac_dump_t arp_req = {0};
	lig_api_l2fib_info_t info_req;
	lig_api_l2fib_info_reply_t info;
	char err[LIG_API_ERROR_SIZE];
	int rv;
	struct lig_l2_cli_bds *b = lig_l2_cli_bds_get(0, &rv, err);

	for (u32 i = 0; b && i < b->n; i++)
		lig_l2_running_config_bds(out, b->d[i]);
	lig_l2_cli_bds_free(b);
	LIG_API_DUMP(bd_ip_mac_dump, &arp_req, lig_l2_running_config_arp, out, err);
	if (LIG_API_CALL(l2fib_info, &info_req, &info) == 0 &&
	    info.learn_limit != LIG_L2FIB_DEFAULT_LEARN_LIMIT)
		lig_str_printf(out, "set l2 learn-limit %u\n", info.learn_limit);
	lig_l2_running_config_ports(out);
}
LIG_RUNNING_CONFIG("l2", 300, lig_l2_running_config)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 CLI, as VPP's: bridge domains, port modes, the L2 FIB and the ARP-termination
 * table. Each handler parses the whole line, calls the one control function of l2.h or
 * l2fib.h, and turns its -errno into a one-line error naming the command.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "../vlib/trace.h"
#include "l2.h"
#include "l2fib.h"

/* Parses a bridge-domain id (1..LIG_BD_ID_MAX). */
static int
lig_l2_cli_bd_id(struct lig_cli_input *in, struct lig_str *out, u32 *bd_id)
{
	const char *w = lig_cli_peek(in);

	if (!lig_cli_u32(in, bd_id))
		return lig_cli_expected(in, out, "<bd-id>");
	if (*bd_id == 0 || *bd_id > LIG_BD_ID_MAX)
		return lig_cli_error(in, out, "bridge domain id '%s' out of range (1..%u)", w,
				     LIG_BD_ID_MAX);
	return 0;
}

/* Parses a bridge-domain id that must exist. */
static int
lig_l2_cli_existing_bd(struct lig_cli_input *in, struct lig_str *out, u32 *bd_id)
{
	int rv = lig_l2_cli_bd_id(in, out, bd_id);

	if (rv < 0)
		return rv;
	if (lig_bd_find(*bd_id) == LIG_INVALID_INDEX)
		return lig_cli_error(in, out, "bridge domain %u does not exist", *bd_id);
	return 0;
}

static const char *
lig_l2_if_name(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp ? ifp->name : "N/A";
}

/* create bridge-domain <id> [learn 0|1] [forward 0|1] [uu-flood 0|1] [flood 0|1]
 * [arp-term 0|1] [mac-age <minutes>] [del] */
static int
lig_l2_cli_create_bd(struct lig_cli_input *in, struct lig_str *out)
{
	static const struct {
		const char *keyword;
		u32 flag;
	} opts[] = {
	    {"learn", LIG_BD_F_LEARN},	     {"forward", LIG_BD_F_FORWARD},
	    {"uu-flood", LIG_BD_F_UU_FLOOD}, {"flood", LIG_BD_F_FLOOD},
	    {"arp-term", LIG_BD_F_ARP_TERM},
	};
	u32 bd_id, flags = LIG_BD_F_DEFAULT, mac_age = 0;
	bool del = false;
	int rv = lig_l2_cli_bd_id(in, out, &bd_id);

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
			flags = on ? flags | opts[k].flag : flags & ~opts[k].flag;
			matched = true;
		}
		if (matched)
			continue;
		if (lig_cli_keyword(in, "mac-age")) {
			if (!lig_cli_u32(in, &mac_age) || mac_age > 255)
				return lig_cli_expected(in, out, "<minutes> (0..255)");
		} else if (lig_cli_keyword(in, "del")) {
			del = true;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	rv = lig_bd_add_del(bd_id, flags, mac_age, !del);
	switch (rv) {
	case 0:
		if (!del)
			lig_str_printf(out, "bridge-domain %u\n", bd_id);
		return 0;
	case -EEXIST:
		return lig_cli_error(in, out, "bridge domain %u already exists", bd_id);
	case -ENOENT:
		return lig_cli_error(in, out, "bridge domain %u does not exist", bd_id);
	case -EBUSY:
		return lig_cli_error(in, out,
				     "bridge domain %u still has ports; move them out first "
				     "(set interface l3 <if>)",
				     bd_id);
	case -ENOSPC:
		return lig_cli_error(in, out, "bridge domain table full (%u domains)",
				     LIG_BD_MAX - 1);
	default:
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	}
}

LIG_CLI_COMMAND(lig_l2_create_bd_command) = {
    .path = "create bridge-domain",
    .short_help = "create bridge-domain <id> [learn 0|1] [forward 0|1] [uu-flood 0|1] "
		  "[flood 0|1] [arp-term 0|1] [mac-age <minutes>] [del]",
    .function = lig_l2_cli_create_bd,
};

/* set bridge-domain <feature> <id> [disable], one command per feature as VPP. */
static int
lig_l2_cli_set_bd_flag(struct lig_cli_input *in, struct lig_str *out, u32 flag)
{
	u32 bd_id;
	bool enable = true;
	int rv = lig_l2_cli_existing_bd(in, out, &bd_id);

	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "disable"))
		enable = false;
	else if (lig_cli_keyword(in, "enable"))
		enable = true;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_bd_set_flags(bd_id, flag, enable);
	if (rv < 0)
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	return 0;
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

LIG_L2_BD_FLAG_COMMAND(learn, "learn", LIG_BD_F_LEARN)
LIG_L2_BD_FLAG_COMMAND(forward, "forward", LIG_BD_F_FORWARD)
LIG_L2_BD_FLAG_COMMAND(uu_flood, "uu-flood", LIG_BD_F_UU_FLOOD)
LIG_L2_BD_FLAG_COMMAND(flood, "flood", LIG_BD_F_FLOOD)
LIG_L2_BD_FLAG_COMMAND(arp_term, "arp-term", LIG_BD_F_ARP_TERM)
/* VPP spells it "set bridge-domain arp term". */
LIG_L2_BD_FLAG_COMMAND(arp_term_vpp, "arp term", LIG_BD_F_ARP_TERM)

/* set bridge-domain mac-age <bd-id> <minutes> */
static int
lig_l2_cli_set_bd_mac_age(struct lig_cli_input *in, struct lig_str *out)
{
	u32 bd_id, minutes;
	int rv = lig_l2_cli_existing_bd(in, out, &bd_id);

	if (rv < 0)
		return rv;
	if (!lig_cli_u32(in, &minutes) || minutes > 255)
		return lig_cli_expected(in, out, "<minutes> (0..255, 0 disables aging)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_bd_set_mac_age(bd_id, minutes);
	if (rv < 0)
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	return 0;
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
	u32 bd_id, ip4;
	u8 mac[6];
	bool del = false;
	int rv = lig_l2_cli_existing_bd(in, out, &bd_id);

	if (rv < 0)
		return rv;
	if (!lig_cli_ip4(in, &ip4))
		return lig_cli_expected(in, out, "<ip4-address>");
	if (!lig_cli_mac(in, mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	if (lig_cli_keyword(in, "del"))
		del = true;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_bd_arp_entry_add_del(bd_id, ip4, mac, !del);
	switch (rv) {
	case 0:
		return 0;
	case -ENOENT:
		return lig_cli_error(in, out, "no ARP entry for %s in bridge domain %u",
				     in->words[in->pos - (del ? 3 : 2)], bd_id);
	case -EINVAL:
		return lig_cli_error(in, out, "a multicast or zero MAC cannot answer ARP");
	case -ENOSPC:
		return lig_cli_error(in, out, "ARP termination table full (%u entries)",
				     LIG_BD_ARP_MAX);
	default:
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	}
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
	u32 sw, bd_id, shg = 0;
	bool bvi = false;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	rv = lig_l2_cli_bd_id(in, out, &bd_id);
	if (rv < 0)
		return rv;
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "bvi")) {
			bvi = true;
		} else if (lig_cli_keyword(in, "shg")) {
			if (!lig_cli_u32(in, &shg) || shg > 255)
				return lig_cli_expected(in, out, "<split-horizon-group> (0..255)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	struct lig_interface *ifp = lig_if_get(sw);
	rv = lig_l2_set_bridge(sw, bd_id, bvi, (u8)shg);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_cli_error(in, out, "%s is a %s interface; a BVI must be a loopback",
				     ifp->name, ifp->class ? ifp->class->name : "?");
	case -EEXIST: {
		struct lig_bd *bd = lig_bd_get(lig_bd_find(bd_id));
		return lig_cli_error(in, out, "bridge domain %u already has BVI %s", bd_id,
				     bd ? lig_l2_if_name(bd->bvi_sw_if_index) : "?");
	}
	case -ENOSPC:
		return lig_cli_error(in, out,
				     "bridge domain %u is full (%u ports) or no domain left", bd_id,
				     LIG_BD_MAX_PORTS);
	default:
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	}
}

LIG_CLI_COMMAND(lig_l2_set_bridge_command) = {
    .path = "set interface l2 bridge",
    .short_help = "set interface l2 bridge <interface> <bd-id> [bvi] [shg <n>]",
    .function = lig_l2_cli_set_bridge,
};

/* set interface l2 xconnect <rx-if> <tx-if> */
static int
lig_l2_cli_set_xconnect(struct lig_cli_input *in, struct lig_str *out)
{
	u32 rx, tx;
	int rv = lig_cli_expect_interface(in, out, &rx);

	if (rv < 0)
		return rv;
	rv = lig_cli_expect_interface(in, out, &tx);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_l2_set_xconnect(rx, tx);
	if (rv == -EINVAL)
		return lig_cli_error(in, out, "cannot cross-connect %s to itself",
				     lig_l2_if_name(rx));
	if (rv < 0)
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	return 0;
}

LIG_CLI_COMMAND(lig_l2_set_xconnect_command) = {
    .path = "set interface l2 xconnect",
    .short_help = "set interface l2 xconnect <rx-interface> <tx-interface>",
    .function = lig_l2_cli_set_xconnect,
};

/* set interface l3 <if> */
static int
lig_l2_cli_set_l3(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_l2_set_l3(sw);
	if (rv < 0)
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	return 0;
}

LIG_CLI_COMMAND(lig_l2_set_l3_command) = {
    .path = "set interface l3",
    .short_help = "set interface l3 <interface>",
    .function = lig_l2_cli_set_l3,
};

/* show mode [<if>] */
static int
lig_l2_cli_show_mode(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw = LIG_INVALID_INDEX;

	if (!lig_cli_end(in)) {
		int rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			return rv;
		if (!lig_cli_end(in))
			return lig_cli_unknown_input(in, out);
	}
	for (u32 i = 1; i < LIG_IF_MAX; i++) {
		struct lig_interface *ifp = lig_interfaces[i];
		if (!ifp || (sw != LIG_INVALID_INDEX && sw != i))
			continue;
		if (ifp->mode == LIG_IF_MODE_BRIDGE) {
			struct lig_bd *bd = lig_bd_get(ifp->bd_index);
			lig_str_printf(out, "l2 bridge %s bd_id %u%s shg %u\n", ifp->name,
				       bd ? bd->bd_id : 0, ifp->bvi ? " bvi" : "", ifp->shg);
		} else if (ifp->mode == LIG_IF_MODE_XCONNECT) {
			lig_str_printf(out, "l2 xconnect %s %s\n", ifp->name,
				       lig_l2_if_name(ifp->xc_sw_if_index));
		} else {
			lig_str_printf(out, "l3 %s\n", ifp->name);
		}
	}
	return 0;
}

LIG_CLI_COMMAND(lig_l2_show_mode_command) = {
    .path = "show mode",
    .short_help = "show mode [<interface>]",
    .function = lig_l2_cli_show_mode,
};

/* l2fib add <mac> <bd-id> <if> [static] [bvi] | l2fib add <mac> <bd-id> filter */
static int
lig_l2_cli_l2fib_add(struct lig_cli_input *in, struct lig_str *out)
{
	u8 mac[6];
	u32 bd_id, sw = 0, flags = 0;
	int rv;

	if (!lig_cli_mac(in, mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	rv = lig_l2_cli_existing_bd(in, out, &bd_id);
	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "filter")) {
		flags = LIG_L2FIB_F_FILTER | LIG_L2FIB_F_STATIC;
	} else {
		rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			return rv;
		while (!lig_cli_end(in)) {
			if (lig_cli_keyword(in, "static"))
				flags |= LIG_L2FIB_F_STATIC;
			else if (lig_cli_keyword(in, "bvi"))
				flags |= LIG_L2FIB_F_BVI | LIG_L2FIB_F_STATIC;
			else
				return lig_cli_unknown_input(in, out);
		}
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_l2fib_add(mac, bd_id, sw, flags);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_cli_error(in, out, "a multicast or zero MAC cannot be an L2 FIB entry");
	case -ENXIO:
		if (flags & LIG_L2FIB_F_BVI)
			return lig_cli_error(in, out, "%s is not the BVI of bridge domain %u",
					     lig_l2_if_name(sw), bd_id);
		return lig_cli_error(in, out, "%s is not a port of bridge domain %u",
				     lig_l2_if_name(sw), bd_id);
	case -ENOSPC:
		return lig_cli_error(in, out, "L2 FIB full (learn limit %u, capacity %u)",
				     lig_l2fib_main.learn_limit, LIG_L2FIB_MAX_ENTRIES);
	default:
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	}
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
	u8 mac[6];
	u32 bd_id;
	int rv;

	if (!lig_cli_mac(in, mac))
		return lig_cli_expected(in, out, "<mac-address> (xx:xx:xx:xx:xx:xx)");
	rv = lig_l2_cli_existing_bd(in, out, &bd_id);
	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_l2fib_del(mac, bd_id);
	if (rv == -ENOENT)
		return lig_cli_error(in, out, "%s not in the L2 FIB of bridge domain %u",
				     in->words[in->pos - 2], bd_id);
	if (rv < 0)
		return lig_cli_error(in, out, "failed: %s", strerror(-rv));
	return 0;
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
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_l2fib_clear();
	return 0;
}

LIG_CLI_COMMAND(lig_l2_clear_l2fib_command) = {
    .path = "clear l2fib",
    .short_help = "clear l2fib: remove learned MAC entries (static ones stay)",
    .function = lig_l2_cli_clear_l2fib,
};

static int
lig_l2_cli_cmp_key(const void *a, const void *b)
{
	const struct lig_hash64_slot *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* show l2fib [verbose] [bd <bd-id>]: the table sorted by domain and MAC, then the count;
 * verbose adds per-domain totals, the learn limit and aging statistics. */
static int
lig_l2_cli_show_l2fib(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_l2fib_main *fm = &lig_l2fib_main;
	struct lig_hash64_slot *s, *rows;
	u32 cursor = 0, n = 0, bd_filter = LIG_INVALID_INDEX;
	bool verbose = false;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "verbose") || lig_cli_keyword(in, "all")) {
			verbose = true;
		} else if (lig_cli_keyword(in, "bd") || lig_cli_keyword(in, "bd_id")) {
			u32 bd_id;
			int rv = lig_l2_cli_existing_bd(in, out, &bd_id);
			if (rv < 0)
				return rv;
			bd_filter = lig_bd_find(bd_id);
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	rows = calloc(fm->table.count ? fm->table.count : 1, sizeof(*rows));
	if (!rows)
		return lig_cli_error(in, out, "out of memory");
	while (lig_hash64_next(&fm->table, &cursor, &s) && n < fm->table.count)
		if (bd_filter == LIG_INVALID_INDEX || lig_l2fib_key_bd_index(s->key) == bd_filter)
			rows[n++] = *s;
	qsort(rows, n, sizeof(*rows), lig_l2_cli_cmp_key);
	if (n)
		lig_str_printf(out, "%18s %7s %7s %8s %9s %7s %7s %5s %22s\n", "Mac-Address",
			       "BD-Idx", "If-Idx", "BSN-ISN", "Age(min)", "static", "filter", "bvi",
			       "Interface-Name");
	for (u32 i = 0; i < n; i++) {
		u64 v = rows[i].value;
		u32 bd_index = lig_l2fib_key_bd_index(rows[i].key);
		u32 flags = lig_l2fib_value_flags(v);
		u32 sw = lig_l2fib_value_sw_if_index(v);
		struct lig_bd *bd = lig_bd_get(bd_index);
		char age[16], bsn[16];
		u8 mac[6];

		lig_l2fib_key_mac(rows[i].key, mac);
		if ((flags & LIG_L2FIB_F_STATIC) || !bd || !bd->mac_age)
			snprintf(age, sizeof(age), "no");
		else
			snprintf(age, sizeof(age), "%u",
				 (fm->now - lig_l2fib_value_timestamp(v)) / 60u);
		snprintf(bsn, sizeof(bsn), "%u/%u", lig_l2fib_value_bsn(v), 0);
		lig_str_printf(out, " ");
		lig_format_mac(out, mac);
		if (flags & LIG_L2FIB_F_FILTER)
			lig_str_printf(out, " %7u %7s %8s %9s %7s %7s %5s %22s\n", bd_index, "-",
				       bsn, age, "*", "*", "-", "N/A");
		else
			lig_str_printf(out, " %7u %7u %8s %9s %7s %7s %5s %22s\n", bd_index, sw,
				       bsn, age, (flags & LIG_L2FIB_F_STATIC) ? "*" : "-", "-",
				       (flags & LIG_L2FIB_F_BVI) ? "*" : "-", lig_l2_if_name(sw));
	}
	lig_str_printf(out, "%u l2fib entries\n", n);
	if (verbose) {
		lig_str_printf(out,
			       "learned %u, static %u, learn limit %u, capacity %u, aged %llu\n",
			       fm->n_learned, fm->n_static, fm->learn_limit, LIG_L2FIB_MAX_ENTRIES,
			       (unsigned long long)fm->n_aged);
		for (u32 b = 1; b < LIG_BD_MAX; b++) {
			struct lig_bd *bd = lig_bd_get(b);
			u32 count = 0;
			if (!bd || (bd_filter != LIG_INVALID_INDEX && bd_filter != b))
				continue;
			for (u32 i = 0; i < n; i++)
				count += lig_l2fib_key_bd_index(rows[i].key) == b;
			lig_str_printf(out, "bridge domain %u (index %u): %u entries\n", bd->bd_id,
				       b, count);
		}
	}
	free(rows);
	return 0;
}

LIG_CLI_COMMAND(lig_l2_show_l2fib_command) = {
    .path = "show l2fib",
    .short_help = "show l2fib [verbose] [bd <bd-id>]",
    .function = lig_l2_cli_show_l2fib,
};

/* set l2 learn-limit <n> */
static int
lig_l2_cli_set_learn_limit(struct lig_cli_input *in, struct lig_str *out)
{
	u32 limit;

	if (!lig_cli_u32(in, &limit) || limit == 0 || limit > LIG_L2FIB_MAX_ENTRIES)
		return lig_cli_expected(in, out, "<entries> (1..131072)");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_l2fib_set_learn_limit(limit);
}

LIG_CLI_COMMAND(lig_l2_set_learn_limit_command) = {
    .path = "set l2 learn-limit",
    .short_help = "set l2 learn-limit <entries>",
    .function = lig_l2_cli_set_learn_limit,
};

static void
lig_l2_show_bd_row(struct lig_str *out, u32 bd_index, const struct lig_bd *bd)
{
	char age[16];

	if (bd->mac_age)
		snprintf(age, sizeof(age), "%u", bd->mac_age);
	else
		snprintf(age, sizeof(age), "off");
	lig_str_printf(out, "%7u %7u %5u %9s %9s %9s %9s %9s %9s %9s %14s\n", bd->bd_id, bd_index,
		       bd->seq_num, age, (bd->flags & LIG_BD_F_LEARN) ? "on" : "off",
		       (bd->flags & LIG_BD_F_FORWARD) ? "on" : "off",
		       (bd->flags & LIG_BD_F_UU_FLOOD) ? "flood" : "drop",
		       (bd->flags & LIG_BD_F_FLOOD) ? "on" : "off",
		       (bd->flags & LIG_BD_F_ARP_TERM) ? "on" : "off", "off",
		       lig_l2_if_name(bd->bvi_sw_if_index));
}

static int
lig_l2_cli_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void
lig_l2_show_bd_detail(struct lig_str *out, u32 bd_index, const struct lig_bd *bd)
{
	struct lig_hash64_slot *s;
	u32 cursor = 0;

	lig_str_printf(out, "\n%24s %7s %5s %5s %8s\n", "Interface", "If-idx", "SHG", "BVI",
		       "State");
	for (u32 i = 0; i < bd->n_ports; i++) {
		const struct lig_bd_port *p = &bd->ports[i];
		struct lig_interface *ifp = lig_if_get(p->sw_if_index);
		lig_str_printf(out, "%24s %7u %5u %5s %8s\n", lig_l2_if_name(p->sw_if_index),
			       p->sw_if_index, p->shg, p->bvi ? "*" : "-",
			       ifp && ifp->admin_up ? "up" : "down");
	}
	if (bd->n_arp == 0)
		return;
	lig_str_printf(out, "\n  IP4 to MAC table for ARP Termination\n");
	while (lig_hash64_next(&lig_bd_main.arp, &cursor, &s)) {
		if ((u32)(s->key >> 32) != bd_index)
			continue;
		struct in_addr a = {.s_addr = (u32)s->key};
		char ip[INET_ADDRSTRLEN];
		u8 mac[6];
		for (int k = 0; k < 6; k++)
			mac[k] = (u8)(s->value >> (40 - 8 * k));
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		lig_str_printf(out, "%20s => ", ip);
		lig_format_mac(out, mac);
		lig_str_printf(out, "\n");
	}
}

/* show bridge-domain [<bd-id> [detail]] */
static int
lig_l2_cli_show_bd(struct lig_cli_input *in, struct lig_str *out)
{
	u32 bd_id = 0, ids[LIG_BD_MAX], n = 0;
	bool detail = false;

	if (!lig_cli_end(in)) {
		int rv = lig_l2_cli_existing_bd(in, out, &bd_id);
		if (rv < 0)
			return rv;
		if (lig_cli_keyword(in, "detail"))
			detail = true;
		if (!lig_cli_end(in))
			return lig_cli_unknown_input(in, out);
	}
	for (u32 b = 1; b < LIG_BD_MAX; b++)
		if (lig_bd_main.bds[b].bd_id && (!bd_id || lig_bd_main.bds[b].bd_id == bd_id))
			ids[n++] = lig_bd_main.bds[b].bd_id;
	if (n == 0) {
		lig_str_printf(out, "no bridge domains\n");
		return 0;
	}
	qsort(ids, n, sizeof(*ids), lig_l2_cli_cmp_u32);
	lig_str_printf(out, "%7s %7s %5s %9s %9s %9s %9s %9s %9s %9s %14s\n", "BD-ID", "Index",
		       "BSN", "Age(min)", "Learning", "U-Forwrd", "UU-Flood", "Flooding",
		       "ARP-Term", "arp-ufwd", "BVI-Intf");
	for (u32 i = 0; i < n; i++) {
		u32 bd_index = lig_bd_find(ids[i]);
		lig_l2_show_bd_row(out, bd_index, lig_bd_get(bd_index));
	}
	if (detail) {
		u32 bd_index = lig_bd_find(bd_id);
		lig_l2_show_bd_detail(out, bd_index, lig_bd_get(bd_index));
	}
	return 0;
}

LIG_CLI_COMMAND(lig_l2_show_bd_command) = {
    .path = "show bridge-domain",
    .short_help = "show bridge-domain [<bd-id> [detail]]",
    .function = lig_l2_cli_show_bd,
};

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IPv4 CLI: ip table, set interface ip table/address, set interface proxy-arp,
 * ip route, set ip neighbor[-config], show ip fib/interface/neighbors, ping, and the
 * running-config sections of tables, addresses, routes and neighbours. Configuration
 * commands parse their words into an API request and call its handler (api.c); show
 * commands print the same dumps the API streams, except show ip fib, which shows the
 * forwarding objects (load-balances, adjacencies) behind the routes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "../vlib/loop.h"
#include "api.h"
#include "ip4.h"

struct ip_buf {
	char s[INET_ADDRSTRLEN];
};

static const char *
ip_str(u32 addr, struct ip_buf *b)
{
	return inet_ntop(AF_INET, &addr, b->s, sizeof(b->s));
}

static const char *
if_name(u32 sw_if_index)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);
	return ifp ? ifp->name : "(deleted)";
}

/* -------- tables -------- */

static int
cli_ip_table(struct lig_cli_input *in, struct lig_str *out, bool is_add)
{
	lig_api_ip_table_add_del_t req = {.is_add = is_add};
	lig_api_ip_table_add_del_reply_t rep;
	u32 id;

	if (!lig_cli_u32(in, &id))
		return lig_cli_expected(in, out, "<table-id>");
	if (is_add && lig_cli_keyword(in, "name")) {
		const char *name = lig_cli_word(in);
		if (!name)
			return lig_cli_expected(in, out, "<name>");
		if (strlen(name) >= sizeof(req.name))
			return lig_cli_error(in, out, "a table name has at most %zu characters",
					     sizeof(req.name) - 1);
		snprintf(req.name, sizeof(req.name), "%s", name);
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.table_id = id;
	return lig_cli_api_result(in, out, LIG_API_CALL(ip_table_add_del, &req, &rep), rep.error);
}

static int
cli_ip_table_add(struct lig_cli_input *in, struct lig_str *out)
{
	return cli_ip_table(in, out, true);
}

static int
cli_ip_table_del(struct lig_cli_input *in, struct lig_str *out)
{
	return cli_ip_table(in, out, false);
}

LIG_CLI_COMMAND(lig_ip_table_add_command) = {
    .path = "ip table add",
    .short_help = "ip table add <table-id> [name <name> | name \"<name with spaces>\"]",
    .function = cli_ip_table_add,
    .mp_safe = true, /* a new table is unreachable until an interface is bound to it */
};

LIG_CLI_COMMAND(lig_ip_table_del_command) = {
    .path = "ip table del",
    .short_help = "ip table del <table-id>",
    .function = cli_ip_table_del,
    .mp_safe = true, /* the deletion takes the barrier itself */
};

/* -------- interfaces -------- */

static int
cli_set_if_table(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_table_t req;
	lig_api_sw_interface_set_table_reply_t rep;
	u32 sw, id;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_u32(in, &id))
		return lig_cli_expected(in, out, "<table-id>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.sw_if_index = sw;
	req.table_id = id;
	return lig_cli_api_result(in, out, LIG_API_CALL(sw_interface_set_table, &req, &rep),
				  rep.error);
}

LIG_CLI_COMMAND(lig_set_if_table_command) = {
    .path = "set interface ip table",
    .short_help = "set interface ip table <interface> <table-id>",
    .function = cli_set_if_table,
};

static int
cli_set_if_address(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_add_del_address_t req = {.is_add = true};
	lig_api_sw_interface_add_del_address_reply_t rep;
	u32 sw, addr;
	u8 len;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_ip4_prefix(in, &addr, &len))
		return lig_cli_expected(in, out, "<a.b.c.d/len>");
	req.sw_if_index = sw;
	req.address = addr;
	req.len = len;
	if (lig_cli_keyword(in, "del"))
		req.is_add = false;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, LIG_API_CALL(sw_interface_add_del_address, &req, &rep),
				  rep.error);
}

LIG_CLI_COMMAND(lig_set_if_address_command) = {
    .path = "set interface ip address",
    .short_help = "set interface ip address <interface> <a.b.c.d/len> [del]",
    .function = cli_set_if_address,
};

static int
cli_set_proxy_arp(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_sw_interface_set_proxy_arp_t req = {.enable = true};
	lig_api_sw_interface_set_proxy_arp_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	req.sw_if_index = sw;
	if (lig_cli_keyword(in, "disable"))
		req.enable = false;
	else
		lig_cli_keyword(in, "enable");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, LIG_API_CALL(sw_interface_set_proxy_arp, &req, &rep),
				  rep.error);
}

LIG_CLI_COMMAND(lig_set_proxy_arp_command) = {
    .path = "set interface proxy-arp",
    .short_help = "set interface proxy-arp <interface> [enable|disable]",
    .function = cli_set_proxy_arp,
};

/* Prints each address of an ip_address_dump after ctx's prefix. */
struct address_lines {
	struct lig_str *out;
	const char *prefix;
};

static bool
address_line(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_address_dump_details_t *d = details;
	const struct address_lines *x = ctx;
	struct ip_buf a;

	(void)size;
	lig_str_printf(x->out, "%s%s/%u\n", x->prefix, ip_str(d->address, &a), d->len);
	return true;
}

static void
address_lines(struct lig_str *out, u32 sw_if_index, const char *prefix)
{
	lig_api_ip_address_dump_t req = {.sw_if_index = sw_if_index};
	struct address_lines x = {.out = out, .prefix = prefix};

	LIG_API_DUMP(ip_address_dump, &req, address_line, &x, NULL);
}

static bool
show_ip_interface_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_interface_dump_details_t *d = details;
	struct lig_str *out = ctx;

	(void)size;
	if (!d->n_addresses)
		return true;
	lig_str_printf(out, "%s (table %u)\n", if_name(d->sw_if_index), d->table_id);
	address_lines(out, d->sw_if_index, "  ");
	return true;
}

static int
cli_show_ip_interface(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_ip_interface_dump_t req = {0};
	char err[LIG_API_ERROR_SIZE];

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(
	    in, out, LIG_API_DUMP(ip_interface_dump, &req, show_ip_interface_one, out, err), err);
}

LIG_CLI_COMMAND(lig_show_ip_interface_command) = {
    .path = "show ip interface",
    .short_help = "show ip interface: IPv4 addresses and tables",
    .function = cli_show_ip_interface,
    .mp_safe = true, /* reads what only main writes */
};

/* -------- routes -------- */

/* ip route add|del <prefix/len> [table <n>] (via <nh> [<if>] | via <if> | via drop | drop
 *   | via local | local) [weight <n>]... */
static int
cli_ip_route(struct lig_cli_input *in, struct lig_str *out, bool is_add)
{
	u8 buf[sizeof(lig_api_ip_route_add_del_t) + LIG_FIB_MAX_PATHS * sizeof(lig_api_ip4_path_t)];
	lig_api_ip_route_add_del_t *req = (void *)buf;
	lig_api_ip_route_add_del_reply_t rep;
	u32 n = 0, addr, table_id;
	u8 len;

	memset(buf, 0, sizeof(buf));
	req->is_add = is_add;
	req->is_multipath = true; /* ip route add appends paths, as it always has */
	if (!lig_cli_ip4_prefix(in, &addr, &len))
		return lig_cli_expected(in, out, "<a.b.c.d/len>");
	req->address = addr;
	req->len = len;
	while (!lig_cli_end(in)) {
		lig_api_ip4_path_t p = {.weight = 1, .sw_if_index = LIG_INVALID_INDEX};
		u32 nh, sw, w;
		if (lig_cli_keyword(in, "table")) {
			if (!lig_cli_u32(in, &table_id))
				return lig_cli_expected(in, out, "<table-id>");
			req->table_id = table_id;
			continue;
		}
		if (lig_cli_keyword(in, "weight")) {
			if (!n)
				return lig_cli_error(in, out, "weight follows a path");
			if (!lig_cli_u32(in, &w) || w < 1 || w > 255)
				return lig_cli_expected(in, out, "<weight> (1..255)");
			req->paths[n - 1].weight = (u8)w;
			continue;
		}
		if (lig_cli_keyword(in, "via")) {
			if (n == LIG_FIB_MAX_PATHS)
				return lig_cli_error(in, out, "at most %u paths",
						     LIG_FIB_MAX_PATHS);
			if (lig_cli_ip4(in, &nh)) {
				p.type = LIG_IP4_API_PATH_NEXT_HOP;
				p.nh = nh;
				if (lig_cli_interface(in, &sw))
					p.sw_if_index = sw;
			} else if (lig_cli_interface(in, &sw)) {
				p.type = LIG_IP4_API_PATH_ATTACHED;
				p.sw_if_index = sw;
			} else if (lig_cli_keyword(in, "drop")) {
				p.type = LIG_IP4_API_PATH_DROP;
			} else if (lig_cli_keyword(in, "local")) {
				p.type = LIG_IP4_API_PATH_LOCAL;
			} else {
				return lig_cli_expected(in, out, "<next-hop> or <interface>");
			}
		} else if (lig_cli_keyword(in, "drop")) {
			if (n == LIG_FIB_MAX_PATHS)
				return lig_cli_error(in, out, "at most %u paths",
						     LIG_FIB_MAX_PATHS);
			p.type = LIG_IP4_API_PATH_DROP;
		} else if (lig_cli_keyword(in, "local")) {
			if (n == LIG_FIB_MAX_PATHS)
				return lig_cli_error(in, out, "at most %u paths",
						     LIG_FIB_MAX_PATHS);
			p.type = LIG_IP4_API_PATH_LOCAL;
		} else {
			return lig_cli_unknown_input(in, out);
		}
		req->paths[n++] = p;
	}
	if (is_add && !n)
		return lig_cli_error(in, out, "expected via <next-hop>|<interface> or drop");
	req->n_paths = n;
	int rv = lig_api_call_local(LIG_API_ID_ip_route_add_del, buf,
				    (u32)(sizeof(*req) + n * sizeof(lig_api_ip4_path_t)), &rep,
				    sizeof(rep));
	return lig_cli_api_result(in, out, rv, rep.error);
}

static int
cli_ip_route_add(struct lig_cli_input *in, struct lig_str *out)
{
	return cli_ip_route(in, out, true);
}

static int
cli_ip_route_del(struct lig_cli_input *in, struct lig_str *out)
{
	return cli_ip_route(in, out, false);
}

LIG_CLI_COMMAND(lig_ip_route_add_command) = {
    .path = "ip route add",
    .short_help = "ip route add <prefix/len> [table <n>] via <nh> [<if>] | via <if> | drop "
		  "| local [weight <n>] [via ...]",
    .function = cli_ip_route_add,
    .mp_safe = true, /* the FIB publishes atomically and frees after a grace period */
};

LIG_CLI_COMMAND(lig_ip_route_del_command) = {
    .path = "ip route del",
    .short_help = "ip route del <prefix/len> [table <n>] [via <nh> [<if>] ...]",
    .function = cli_ip_route_del,
    .mp_safe = true,
};

static inline struct lig_fib_entry *
fib_entry(u32 ei)
{
	return &lig_fib_main.entries[ei];
}

static const char *const adj_type_names[] = {
    [LIG_ADJ_DROP] = "drop",   [LIG_ADJ_MISS] = "unreachable",	[LIG_ADJ_LOCAL] = "local",
    [LIG_ADJ_GLEAN] = "glean", [LIG_ADJ_NEIGHBOR] = "neighbor",
};

static void
fib_format_adj(struct lig_str *s, u32 adj_index)
{
	const struct lig_adj *a = lig_adj_get(adj_index);
	struct lig_interface *ifp = lig_if_get(a->sw_if_index);
	char ip[INET_ADDRSTRLEN];

	lig_str_printf(s, "[@%u] %s", adj_index, adj_type_names[a->type]);
	if (a->type == LIG_ADJ_NEIGHBOR) {
		inet_ntop(AF_INET, &a->nh, ip, sizeof(ip));
		lig_str_printf(s, " via %s %s", ip, ifp ? ifp->name : "(deleted)");
		if (a->complete)
			lig_str_printf(s, " %02x:%02x:%02x:%02x:%02x:%02x", a->rewrite[0],
				       a->rewrite[1], a->rewrite[2], a->rewrite[3], a->rewrite[4],
				       a->rewrite[5]);
		else
			lig_str_printf(s, " (incomplete)");
	} else if (a->type == LIG_ADJ_GLEAN) {
		lig_str_printf(s, " %s", ifp ? ifp->name : "(deleted)");
	}
}

static const char *const source_names[] = {
    [LIG_FIB_SRC_ADJ] = "adjacency",
    [LIG_FIB_SRC_API] = "api",
    [LIG_FIB_SRC_INTERFACE] = "interface",
};

static void
show_entry(struct lig_str *s, struct lig_fib_entry *e)
{
	char ip[INET_ADDRSTRLEN];
	const struct lig_fib_lb *lb = lig_fib_lb_get(e->lb_index);

	inet_ntop(AF_INET, &e->addr, ip, sizeof(ip));
	lig_str_printf(s, "%s/%u\n  src:%s, %u path%s, load-balance [@%u] buckets:%u\n", ip, e->len,
		       source_names[e->source], e->n_paths, e->n_paths == 1 ? "" : "s", e->lb_index,
		       lb->n_buckets);
	for (u32 i = 0; i < e->n_paths; i++) {
		lig_str_printf(s, "    ");
		fib_format_adj(s, lig_fib_entry_path(e, i)->adj_index);
		if (e->n_paths > 1 && lig_fib_entry_path(e, i)->weight != 1)
			lig_str_printf(s, " weight %u", lig_fib_entry_path(e, i)->weight);
		lig_str_printf(s, "\n");
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct lig_fib_entry *x = fib_entry(*(const u32 *)a), *y = fib_entry(*(const u32 *)b);
	u32 ax = ntohl(x->addr), ay = ntohl(y->addr);
	if (ax != ay)
		return ax < ay ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static void
fib_show(struct lig_str *s, u32 fib_index, u32 addr, u8 len, bool longest_match)
{
	struct lig_fib_table *t = &lig_fib_main.tables[fib_index];
	struct lig_hash64_slot *sl;

	lig_str_printf(s, "ipv4-VRF:%u, fib_index:%u, routes:%u%s%s\n", t->table_id, fib_index,
		       t->n_routes, t->name[0] ? ", name:" : "", t->name);
	if (len <= 32) {
		struct lig_fib_entry *e = NULL;
		if (!longest_match) {
			e = lig_fib_entry_find(fib_index, addr, len);
			if (e) {
				show_entry(s, e);
				return;
			}
			lig_str_printf(s, "no exact route; longest match:\n");
		}
		/* The longest match of a prefix is that of its first address, no longer than it. */
		for (int l = len; l >= 0 && !e; l--)
			e = lig_fib_entry_find(fib_index, addr, (u8)l);
		if (e)
			show_entry(s, e);
		else
			lig_str_printf(s, "0.0.0.0/0 (no route)\n  [@%u] unreachable\n",
				       LIG_ADJ_INDEX_MISS);
		return;
	}
	u32 n = 0, *eis = malloc((t->n_routes + 1) * sizeof(u32));
	if (!eis)
		return;
	for (u32 c = 0; lig_hash64_next(&t->prefixes, &c, &sl);)
		eis[n++] = (u32)sl->value;
	qsort(eis, n, sizeof(u32), cmp_entry);
	/* A million routes would make a reply no one reads: show the first 10000. */
	for (u32 i = 0; i < n && i < 10000; i++)
		show_entry(s, fib_entry(eis[i]));
	if (n > 10000)
		lig_str_printf(s, "... %u more (use show ip fib summary)\n", n - 10000);
	free(eis);
}

static void
fib_show_summary(struct lig_str *s, u32 fib_index)
{
	struct lig_fib_table *t = &lig_fib_main.tables[fib_index];

	lig_str_printf(s, "ipv4-VRF:%u, fib_index:%u, routes:%u, trie groups:%u, memory:%llu KB\n",
		       t->table_id, fib_index, t->n_routes, t->mtrie.n_groups_used,
		       (unsigned long long)(lig_fib_mtrie_memory(&t->mtrie) >> 10));
	lig_str_printf(s, "    Prefix length         Count\n");
	for (int l = 32; l >= 0; l--)
		if (t->n_by_len[l])
			lig_str_printf(s, "    %13d  %12u\n", l, t->n_by_len[l]);
	lig_str_printf(s, "    %13s  %12u\n", "total", t->n_routes);
}

static int
cli_show_ip_fib(struct lig_cli_input *in, struct lig_str *out)
{
	u32 table_id = 0, addr = 0, fi;
	u8 len = 33;
	bool have_table = false, summary = false, lpm = false;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "table")) {
			if (!lig_cli_u32(in, &table_id))
				return lig_cli_expected(in, out, "<table-id>");
			have_table = true;
		} else if (lig_cli_keyword(in, "summary")) {
			summary = true;
		} else if (lig_cli_ip4_prefix(in, &addr, &len)) {
			lpm = false;
		} else if (lig_cli_ip4(in, &addr)) {
			len = 32;
			lpm = true;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (have_table) {
		fi = lig_fib_table_find(table_id);
		if (fi == LIG_INVALID_INDEX)
			return lig_cli_error(in, out, "no table %u", table_id), -ENOENT;
	}
	for (u32 i = 0; i < LIG_FIB_MAX_TABLES; i++) {
		if (!lig_fib_main.tables[i].in_use)
			continue;
		if (have_table && lig_fib_main.tables[i].table_id != table_id)
			continue;
		if (summary)
			fib_show_summary(out, i);
		else
			fib_show(out, i, addr, len, lpm);
	}
	return 0;
}

LIG_CLI_COMMAND(lig_show_ip_fib_command) = {
    .path = "show ip fib",
    .short_help = "show ip fib [table <n>] [<a.b.c.d>|<prefix/len>] [summary]",
    .function = cli_show_ip_fib,
    .mp_safe = true, /* routes, load-balances, adjacencies: only main writes them */
};

/* -------- neighbours -------- */

static int
cli_set_ip_neighbor(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_ip_neighbor_add_del_t req = {.is_add = true};
	lig_api_ip_neighbor_add_del_reply_t rep;
	u32 sw, ip;
	u8 mac[6] = {0};
	int rv;

	if (lig_cli_keyword(in, "del"))
		req.is_add = false;
	rv = lig_cli_expect_interface(in, out, &sw);
	if (rv < 0)
		return rv;
	if (!lig_cli_ip4(in, &ip))
		return lig_cli_expected(in, out, "<a.b.c.d>");
	/* VPP's syntax names the MAC to delete too; it is optional here. */
	if (!lig_cli_mac(in, mac) && req.is_add)
		return lig_cli_expected(in, out, "<mac>");
	req.sw_if_index = sw;
	req.address = ip;
	memcpy(req.mac, mac, 6);
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "static"))
			req.is_static = true;
		else if (lig_cli_keyword(in, "del"))
			req.is_add = false;
		else
			return lig_cli_unknown_input(in, out);
	}
	return lig_cli_api_result(in, out, LIG_API_CALL(ip_neighbor_add_del, &req, &rep),
				  rep.error);
}

LIG_CLI_COMMAND(lig_set_ip_neighbor_command) = {
    .path = "set ip neighbor",
    .short_help = "set ip neighbor [del] <interface> <a.b.c.d> <mac> [static] (the mac is "
		  "optional with del)",
    .function = cli_set_ip_neighbor,
};

static int
cli_set_neighbor_config(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_ip_neighbor_config_t req;
	lig_api_ip_neighbor_config_reply_t rep;
	u32 age;

	if (!lig_cli_keyword(in, "age") || !lig_cli_u32(in, &age))
		return lig_cli_expected(in, out, "age <seconds>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.age_seconds = age;
	return lig_cli_api_result(in, out, LIG_API_CALL(ip_neighbor_config, &req, &rep), rep.error);
}

LIG_CLI_COMMAND(lig_set_neighbor_config_command) = {
    .path = "set ip neighbor-config",
    .short_help = "set ip neighbor-config age <seconds> (0: never)",
    .function = cli_set_neighbor_config,
};

static bool
show_ip_neighbor_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_neighbor_dump_details_t *n = details;
	struct lig_str *out = ctx;
	struct ip_buf a;

	(void)size;
	lig_str_printf(out, "%10.4f %-16s %-6s %02x:%02x:%02x:%02x:%02x:%02x  %s\n",
		       (double)n->age_ns / 1e9, ip_str(n->address, &a), n->is_static ? "S" : "D",
		       n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
		       if_name(n->sw_if_index));
	return true;
}

static int
cli_show_ip_neighbors(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_ip_neighbor_dump_t req = {0};
	char err[LIG_API_ERROR_SIZE];

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_str_printf(out, "%10s %-16s %-6s %-18s %s\n", "Age", "IP", "Flags", "Ethernet",
		       "Interface");
	return lig_cli_api_result(
	    in, out, LIG_API_DUMP(ip_neighbor_dump, &req, show_ip_neighbor_one, out, err), err);
}

LIG_CLI_COMMAND(lig_show_ip_neighbors_command) = {
    .path = "show ip neighbors",
    .short_help = "show ip neighbors",
    .function = cli_show_ip_neighbors,
    .mp_safe = true, /* the neighbour table is main's (workers ask main to learn) */
};

/* -------- ping -------- */

static int
cli_ping(struct lig_cli_input *in, struct lig_str *out)
{
	u32 dst, table_id = 0, src_sw = LIG_INVALID_INDEX, repeat = 5, fi, ttl = 64;
	u32 interval_ms = 1000, sent = 0, received = 0;
	int rv;

	if (!lig_cli_ip4(in, &dst))
		return lig_cli_expected(in, out, "<a.b.c.d>");
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "table")) {
			if (!lig_cli_u32(in, &table_id))
				return lig_cli_expected(in, out, "<table-id>");
		} else if (lig_cli_keyword(in, "source")) {
			rv = lig_cli_expect_interface(in, out, &src_sw);
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "repeat")) {
			if (!lig_cli_u32(in, &repeat) || repeat == 0 || repeat > 1000)
				return lig_cli_expected(in, out, "<count> (1..1000)");
		} else if (lig_cli_keyword(in, "interval")) {
			/* milliseconds here (VPP takes seconds): short waits keep tests quick */
			if (!lig_cli_u32(in, &interval_ms) || interval_ms < 10 ||
			    interval_ms > 10000)
				return lig_cli_expected(in, out, "<milliseconds> (10..10000)");
		} else if (lig_cli_keyword(in, "ttl")) {
			if (!lig_cli_u32(in, &ttl) || ttl == 0 || ttl > 255)
				return lig_cli_expected(in, out, "<ttl> (1..255)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	fi = lig_fib_table_find(table_id);
	if (fi == LIG_INVALID_INDEX)
		return lig_cli_error(in, out, "no table %u", table_id), -ENOENT;
	u32 src = lig_ip4_ping_source(fi, dst, src_sw);
	if (!src)
		return lig_cli_error(in, out,
				     "no source address (no route or no interface address)"),
		       -EHOSTUNREACH;
	u16 id = (u16)(lig_time_now_ns() >> 10);
	/* Requests answered in their own interval (a reply or an ICMP error); other echo
	 * replies (late) are counted at the end. */
	bool answered[LIG_IP4_PING_MAX_SEQ] = {false};
	lig_ip4_ping_begin(id, dst);
	for (u32 seq = 1; seq <= repeat; seq++) {
		u64 deadline = lig_time_now_ns() + (u64)interval_ms * 1000000ull;
		struct lig_ip4_ping_result r;
		rv = lig_ip4_ping_one(fi, src, dst, (u16)seq, (u8)ttl, deadline, &r);
		if (rv < 0) {
			lig_ip4_ping_end();
			return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
		}
		sent++;
		if (!r.got_reply)
			continue;
		answered[seq] = true;
		struct ip_buf from;
		ip_str(r.src, &from);
		if (r.type == LIG_ICMP4_ECHO_REPLY) {
			received++;
			lig_str_printf(out, "%u bytes from %s: icmp_seq=%u ttl=%u time=%.4f ms\n",
				       r.length, from.s, seq, r.ttl, (double)r.rtt_ns / 1e6);
		} else {
			lig_str_printf(out, "From %s: icmp_seq=%u %s\n", from.s, seq,
				       r.type == LIG_ICMP4_TIME_EXCEEDED
					   ? "Time to live exceeded"
					   : "Destination unreachable");
		}
		/* Pace like ping: the rest of the interval, still forwarding. */
		if (seq < repeat)
			lig_ip4_run_until(deadline);
	}
	/* Replies still out get up to a second more, as ping(8) lingers for them. */
	u64 linger = lig_time_now_ns() + 1000000000ull;
	for (u32 seq = 1; seq <= repeat; seq++)
		while (!answered[seq] && !lig_ip4_ping_seen((u16)seq) && lig_time_now_ns() < linger)
			lig_thread_main_yield();
	lig_ip4_ping_end();
	for (u32 seq = 1; seq <= repeat; seq++)
		if (!answered[seq] && lig_ip4_ping_seen((u16)seq)) {
			struct ip_buf to;
			received++;
			lig_str_printf(out,
				       "reply from %s: icmp_seq=%u after its interval (late)\n",
				       ip_str(dst, &to), seq);
		}
	lig_str_printf(out, "\nStatistics: %u sent, %u received, %u%% packet loss\n", sent,
		       received, sent ? (sent - received) * 100 / sent : 0);
	return 0;
}

LIG_CLI_COMMAND(lig_ping_command) = {
    .path = "ping",
    .short_help = "ping <a.b.c.d> [table <n>] [source <if>] [repeat <n>] [interval <ms>] "
		  "[ttl <n>]",
    .function = cli_ping,
};

/* -------- show running-config -------- */

static bool
rc_table_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_table_dump_details_t *d = details;

	(void)size;
	if (d->name[0] && strpbrk(d->name, " #"))
		lig_str_printf(ctx, "ip table add %u name \"%s\"\n", d->table_id, d->name);
	else if (d->name[0])
		lig_str_printf(ctx, "ip table add %u name %s\n", d->table_id, d->name);
	else if (d->table_id)
		lig_str_printf(ctx, "ip table add %u\n", d->table_id);
	return true;
}

/* Tables first (order 90), before the interfaces of order 100: a VXLAN tunnel names the
 * table it encapsulates in when it is created. */
static void
lig_ip4_rc_tables(struct lig_str *out)
{
	lig_api_ip_table_dump_t req;

	LIG_API_DUMP(ip_table_dump, &req, rc_table_one, out, NULL);
}
LIG_RUNNING_CONFIG("ip4 tables", 90, lig_ip4_rc_tables)

static bool
rc_interface_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_interface_dump_details_t *d = details;
	const char *name = if_name(d->sw_if_index);
	char prefix[LIG_IF_NAME_SIZE + 32];

	(void)size;
	if (d->table_id)
		lig_str_printf(ctx, "set interface ip table %s %u\n", name, d->table_id);
	snprintf(prefix, sizeof(prefix), "set interface ip address %s ", name);
	address_lines(ctx, d->sw_if_index, prefix);
	if (d->proxy_arp)
		lig_str_printf(ctx, "set interface proxy-arp %s enable\n", name);
	return true;
}

static bool
rc_neighbor_config_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_neighbor_config_dump_details_t *d = details;

	(void)size;
	if (d->age_seconds != LIG_ARP_AGE_DEFAULT)
		lig_str_printf(ctx, "set ip neighbor-config age %u\n", d->age_seconds);
	return true;
}

static void
lig_ip4_rc_interfaces(struct lig_str *out)
{
	lig_api_ip_interface_dump_t req = {0};
	lig_api_ip_neighbor_config_dump_t nreq;

	LIG_API_DUMP(ip_interface_dump, &req, rc_interface_one, out, NULL);
	LIG_API_DUMP(ip_neighbor_config_dump, &nreq, rc_neighbor_config_one, out, NULL);
}
LIG_RUNNING_CONFIG("ip4", 400, lig_ip4_rc_interfaces)

/* True when a path's next hop is found through another configured route rather than a
 * connected subnet: such routes are rendered after the others, so the route they
 * resolve through exists when the script replays them. */
static bool
rc_path_recursive(u32 table_id, const lig_api_ip4_path_t *p)
{
	u32 fi = lig_fib_table_find(table_id);

	if (p->type != LIG_IP4_API_PATH_NEXT_HOP || p->sw_if_index != LIG_INVALID_INDEX ||
	    fi == LIG_INVALID_INDEX)
		return false;
	for (int l = 32; l >= 0; l--) {
		const struct lig_fib_entry *e = lig_fib_entry_find(fi, p->nh, (u8)l);
		if (e && e->source != LIG_FIB_SRC_ADJ)
			return e->source != LIG_FIB_SRC_INTERFACE;
	}
	return false;
}

struct rc_routes {
	struct lig_str *out;
	bool recursive; /* this pass renders the routes that resolve through others */
};

static bool
rc_route_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_route_dump_details_t *d = details;
	struct rc_routes *x = ctx;
	bool recursive = false;
	struct ip_buf a;

	(void)size;
	for (u32 i = 0; i < d->n_paths; i++)
		recursive |= rc_path_recursive(d->table_id, &d->paths[i]);
	if (recursive != x->recursive)
		return true;
	lig_str_printf(x->out, "ip route add %s/%u", ip_str(d->address, &a), d->len);
	if (d->table_id)
		lig_str_printf(x->out, " table %u", d->table_id);
	for (u32 i = 0; i < d->n_paths; i++) {
		const lig_api_ip4_path_t *p = &d->paths[i];
		switch (p->type) {
		case LIG_IP4_API_PATH_NEXT_HOP:
			lig_str_printf(x->out, " via %s", ip_str(p->nh, &a));
			if (p->sw_if_index != LIG_INVALID_INDEX)
				lig_str_printf(x->out, " %s", if_name(p->sw_if_index));
			break;
		case LIG_IP4_API_PATH_ATTACHED:
			lig_str_printf(x->out, " via %s", if_name(p->sw_if_index));
			break;
		case LIG_IP4_API_PATH_DROP:
			lig_str_printf(x->out, " drop");
			break;
		default:
			lig_str_printf(x->out, " local");
			break;
		}
		if (p->weight > 1)
			lig_str_printf(x->out, " weight %u", p->weight);
	}
	lig_str_printf(x->out, "\n");
	return true;
}

static bool
rc_neighbor_one(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_neighbor_dump_details_t *n = details;
	struct ip_buf a;

	(void)size;
	lig_str_printf(ctx, "set ip neighbor %s %s %02x:%02x:%02x:%02x:%02x:%02x static\n",
		       if_name(n->sw_if_index), ip_str(n->address, &a), n->mac[0], n->mac[1],
		       n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
	return true;
}

static void
lig_ip4_rc_routes(struct lig_str *out)
{
	lig_api_ip_route_dump_t req = {.source = LIG_FIB_SRC_API};
	lig_api_ip_neighbor_dump_t nreq = {.static_only = true};
	struct rc_routes x = {.out = out};

	LIG_API_DUMP(ip_route_dump, &req, rc_route_one, &x, NULL);
	x.recursive = true;
	LIG_API_DUMP(ip_route_dump, &req, rc_route_one, &x, NULL);
	LIG_API_DUMP(ip_neighbor_dump, &nreq, rc_neighbor_one, out, NULL);
}
LIG_RUNNING_CONFIG("ip4 routes", 500, lig_ip4_rc_routes)

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 interface configuration (addresses, VRF binding) and the CLI of routing: ip table,
 * set interface ip address/table, ip route, show ip fib. Handlers only parse, call the
 * control function and format; the control functions are what the API will call too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "ip4.h"

struct lig_ip4_main lig_ip4_main;

static inline u32
mask_net(u8 len)
{
	return len ? htonl(~0u << (32 - len)) : 0;
}

u32
lig_ip4_interface_source(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return 0;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (((c->addrs[i].addr ^ ip_net) & mask_net(c->addrs[i].len)) == 0)
			return c->addrs[i].addr;
	return c->n_addrs ? c->addrs[0].addr : 0;
}

bool
lig_ip4_interface_on_subnet(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return false;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (((c->addrs[i].addr ^ ip_net) & mask_net(c->addrs[i].len)) == 0 &&
		    c->addrs[i].addr != ip_net)
			return true;
	return false;
}

bool
lig_ip4_interface_is_local(u32 sw_if_index, u32 ip_net)
{
	const struct lig_ip4_if *c;

	if (sw_if_index >= LIG_IF_MAX)
		return false;
	c = &lig_ip4_main.ifs[sw_if_index];
	for (u32 i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].addr == ip_net)
			return true;
	return false;
}

int
lig_ip4_add_del_interface_address(u32 sw_if_index, u32 addr, u8 len, bool is_add)
{
	struct lig_ip4_if *c;
	u32 i, fi;
	int rv;

	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	if (len > 32 || (is_add && len == 0))
		return -EINVAL;
	c = &lig_ip4_main.ifs[sw_if_index];
	fi = c->fib_index;
	for (i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].addr == addr)
			break;
	if (!is_add) {
		if (i == c->n_addrs || c->addrs[i].len != len)
			return -ENOENT;
		lig_fib_route_add_del(fi, addr, 32, LIG_FIB_SRC_INTERFACE, NULL, 0, false);
		if (len < 32) {
			/* The subnet route stays while another address of this interface is on it.
			 */
			bool shared = false;
			for (u32 k = 0; k < c->n_addrs; k++)
				if (k != i && c->addrs[k].len == len &&
				    ((c->addrs[k].addr ^ addr) & mask_net(len)) == 0)
					shared = true;
			if (!shared)
				lig_fib_route_add_del(fi, addr & mask_net(len), len,
						      LIG_FIB_SRC_INTERFACE, NULL, 0, false);
		}
		c->addrs[i] = c->addrs[--c->n_addrs];
		if (!c->n_addrs)
			lig_fib_main.tables[fi].n_interfaces--;
		return 0;
	}
	if (i < c->n_addrs)
		return -EEXIST;
	if (c->n_addrs == LIG_IP4_IF_MAX_ADDRS)
		return -ENOSPC;
	/* The same address on another interface of the same VRF would make two locals. */
	for (u32 sw = 0; sw < LIG_IF_MAX; sw++)
		if (sw != sw_if_index && lig_ip4_main.ifs[sw].fib_index == fi &&
		    lig_ip4_interface_is_local(sw, addr))
			return -EEXIST;
	struct lig_fib_path p = {.type = LIG_FIB_PATH_ATTACHED, .sw_if_index = sw_if_index};
	if (len < 32) {
		/* One interface per connected subnet and VRF: a second would share (and on
		 * delete, take away) the first one's subnet route. */
		struct lig_fib_entry *e = lig_fib_entry_find(fi, addr & mask_net(len), len);
		if (e && e->source == LIG_FIB_SRC_INTERFACE && e->path.sw_if_index != sw_if_index)
			return -EADDRINUSE;
	}
	if (len < 32) {
		rv = lig_fib_route_add_del(fi, addr & mask_net(len), len, LIG_FIB_SRC_INTERFACE, &p,
					   1, true);
		if (rv < 0 && rv != -EEXIST)
			return rv;
	}
	struct lig_fib_path l = {.type = LIG_FIB_PATH_LOCAL, .sw_if_index = sw_if_index};
	rv = lig_fib_route_add_del(fi, addr, 32, LIG_FIB_SRC_INTERFACE, &l, 1, true);
	if (rv < 0) {
		if (len < 32)
			lig_fib_route_add_del(fi, addr & mask_net(len), len, LIG_FIB_SRC_INTERFACE,
					      NULL, 0, false);
		return rv;
	}
	if (!c->n_addrs)
		lig_fib_main.tables[fi].n_interfaces++;
	c->addrs[c->n_addrs].addr = addr;
	c->addrs[c->n_addrs++].len = len;
	return 0;
}

int
lig_ip4_set_interface_table(u32 sw_if_index, u32 table_id)
{
	u32 fi = lig_fib_table_find(table_id);
	struct lig_ip4_if *c;

	if (!lig_if_get(sw_if_index) || fi == LIG_INVALID_INDEX)
		return -ENOENT;
	c = &lig_ip4_main.ifs[sw_if_index];
	if (c->fib_index == fi)
		return 0;
	if (c->n_addrs)
		return -EBUSY;
	c->fib_index = fi;
	return 0;
}

/* Interface deleted: remove its addresses (and so its routes). Its neighbours went first:
 * the arp module depends on ip4, so it hears of the deletion before (their host routes
 * live in the table the interface is bound to). */
void
lig_ip4_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	struct lig_ip4_if *c = &lig_ip4_main.ifs[ifp->sw_if_index];

	if (ev != LIG_IF_EVENT_DELETE)
		return;
	while (c->n_addrs)
		lig_ip4_add_del_interface_address(ifp->sw_if_index, c->addrs[0].addr,
						  c->addrs[0].len, false);
	c->fib_index = 0;
	c->proxy_arp = 0;
}

/* -------- CLI -------- */

static int
cli_result(struct lig_cli_input *in, struct lig_str *out, int rv)
{
	if (rv < 0)
		lig_cli_error(in, out, "%s", strerror(-rv));
	return rv;
}

static int
cli_ip_table(struct lig_cli_input *in, struct lig_str *out, bool is_add)
{
	u32 id;

	if (!lig_cli_u32(in, &id))
		return lig_cli_expected(in, out, "<table-id>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	int rv = lig_fib_table_add_del(id, is_add);
	if (rv == -EBUSY)
		return lig_cli_error(in, out, "table %u is in use (or is table 0)", id), rv;
	if (rv == -EEXIST && is_add)
		return 0; /* idempotent, as VPP */
	return cli_result(in, out, rv);
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
    .short_help = "ip table add <table-id>",
    .function = cli_ip_table_add,
};

LIG_CLI_COMMAND(lig_ip_table_del_command) = {
    .path = "ip table del",
    .short_help = "ip table del <table-id>",
    .function = cli_ip_table_del,
};

static int
cli_set_if_table(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw, id;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_u32(in, &id))
		return lig_cli_expected(in, out, "<table-id>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_ip4_set_interface_table(sw, id);
	if (rv == -ENOENT)
		return lig_cli_error(in, out, "no table %u (ip table add %u)", id, id), rv;
	if (rv == -EBUSY)
		return lig_cli_error(in, out, "interface has addresses; delete them first"), rv;
	return cli_result(in, out, rv);
}

LIG_CLI_COMMAND(lig_set_if_table_command) = {
    .path = "set interface ip table",
    .short_help = "set interface ip table <interface> <table-id>",
    .function = cli_set_if_table,
};

static int
cli_set_if_address(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw, addr;
	u8 len;
	bool del = false;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_ip4_prefix(in, &addr, &len))
		return lig_cli_expected(in, out, "<a.b.c.d/len>");
	if (lig_cli_keyword(in, "del"))
		del = true;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_ip4_add_del_interface_address(sw, addr, len, !del);
	if (rv == -EEXIST)
		return lig_cli_error(in, out, "address already configured"), rv;
	if (rv == -ENOENT)
		return lig_cli_error(in, out, "no such address on the interface"), rv;
	if (rv == -EADDRINUSE)
		return lig_cli_error(in, out, "subnet is configured on another interface"), rv;
	return cli_result(in, out, rv);
}

LIG_CLI_COMMAND(lig_set_if_address_command) = {
    .path = "set interface ip address",
    .short_help = "set interface ip address <interface> <a.b.c.d/len> [del]",
    .function = cli_set_if_address,
};

/* ip route add|del <prefix/len> [table <n>] (via <nh> [<if>] | via <if> | drop)... */
static int
cli_ip_route(struct lig_cli_input *in, struct lig_str *out, bool is_add)
{
	struct lig_fib_path paths[LIG_FIB_MAX_PATHS];
	u32 n = 0, addr, table_id = 0, fi;
	u8 len;
	int rv;

	if (!lig_cli_ip4_prefix(in, &addr, &len))
		return lig_cli_expected(in, out, "<a.b.c.d/len>");
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "table")) {
			if (!lig_cli_u32(in, &table_id))
				return lig_cli_expected(in, out, "<table-id>");
		} else if (lig_cli_keyword(in, "via")) {
			struct lig_fib_path p = {.sw_if_index = LIG_INVALID_INDEX};
			u32 nh, sw;
			if (n == LIG_FIB_MAX_PATHS)
				return lig_cli_error(in, out, "at most %u paths",
						     LIG_FIB_MAX_PATHS);
			if (lig_cli_ip4(in, &nh)) {
				p.type = LIG_FIB_PATH_NEXT_HOP;
				p.nh = nh;
				if (lig_cli_interface(in, &sw))
					p.sw_if_index = sw;
			} else if (lig_cli_interface(in, &sw)) {
				p.type = LIG_FIB_PATH_ATTACHED;
				p.sw_if_index = sw;
			} else if (lig_cli_keyword(in, "drop")) {
				p.type = LIG_FIB_PATH_DROP;
			} else {
				return lig_cli_expected(in, out, "<next-hop> or <interface>");
			}
			paths[n++] = p;
		} else if (lig_cli_keyword(in, "drop")) {
			if (n == LIG_FIB_MAX_PATHS)
				return lig_cli_error(in, out, "at most %u paths",
						     LIG_FIB_MAX_PATHS);
			paths[n++] = (struct lig_fib_path){.type = LIG_FIB_PATH_DROP,
							   .sw_if_index = LIG_INVALID_INDEX};
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (is_add && !n)
		return lig_cli_error(in, out, "expected via <next-hop>|<interface> or drop");
	fi = lig_fib_table_find(table_id);
	if (fi == LIG_INVALID_INDEX)
		return lig_cli_error(in, out, "no table %u (ip table add %u)", table_id, table_id),
		       -ENOENT;
	rv = lig_fib_route_add_del(fi, addr, len, LIG_FIB_SRC_API, paths, n, is_add);
	if (rv == -EHOSTUNREACH)
		return lig_cli_error(in, out, "next hop is not on a connected subnet nor routed"),
		       rv;
	if (rv == -EEXIST)
		return lig_cli_error(in, out, "prefix is an interface (connected/local) route"), rv;
	if (rv == -ENOENT && !is_add)
		return lig_cli_error(in, out, "no such route or path"), rv;
	return cli_result(in, out, rv);
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
		  "[via ...]",
    .function = cli_ip_route_add,
};

LIG_CLI_COMMAND(lig_ip_route_del_command) = {
    .path = "ip route del",
    .short_help = "ip route del <prefix/len> [table <n>] [via <nh> [<if>] ...]",
    .function = cli_ip_route_del,
};

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
			lig_fib_show_summary(out, i);
		else
			lig_fib_show(out, i, addr, len, lpm);
	}
	return 0;
}

LIG_CLI_COMMAND(lig_show_ip_fib_command) = {
    .path = "show ip fib",
    .short_help = "show ip fib [table <n>] [<a.b.c.d>|<prefix/len>] [summary]",
    .function = cli_show_ip_fib,
};

static int
cli_show_ip_interface(struct lig_cli_input *in, struct lig_str *out)
{
	char ip[INET_ADDRSTRLEN];

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	for (u32 sw = 0; sw < LIG_IF_MAX; sw++) {
		struct lig_interface *ifp = lig_if_get(sw);
		const struct lig_ip4_if *c = &lig_ip4_main.ifs[sw];
		if (!ifp || !c->n_addrs)
			continue;
		lig_str_printf(out, "%s (table %u)\n", ifp->name,
			       lig_fib_main.tables[c->fib_index].table_id);
		for (u32 i = 0; i < c->n_addrs; i++) {
			inet_ntop(AF_INET, &c->addrs[i].addr, ip, sizeof(ip));
			lig_str_printf(out, "  %s/%u\n", ip, c->addrs[i].len);
		}
	}
	return 0;
}

LIG_CLI_COMMAND(lig_show_ip_interface_command) = {
    .path = "show ip interface",
    .short_help = "show ip interface: IPv4 addresses and tables",
    .function = cli_show_ip_interface,
};

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The NAT44 CLI in VPP's syntax: commands parse their words into the API request and call
 * the handlers in api.c (LIG_API_CALL); show commands render the dumps; the running-config
 * section recreates the configuration from the same dumps.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "api.h"
#include "nat44.h"

struct ip_buf {
	char s[INET_ADDRSTRLEN];
};

static const char *
ip_str(u32 addr, struct ip_buf *b)
{
	return inet_ntop(AF_INET, &addr, b->s, sizeof(b->s));
}

static const char *
proto_name(u8 proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 1 ? "icmp" : "any";
}

static bool
parse_proto(struct lig_cli_input *in, u8 *proto)
{
	if (lig_cli_keyword(in, "tcp"))
		*proto = 6;
	else if (lig_cli_keyword(in, "udp"))
		*proto = 17;
	else if (lig_cli_keyword(in, "icmp"))
		*proto = 1;
	else
		return false;
	return true;
}

/* A port word (1..65535) if the next word is a number. */
static bool
parse_port(struct lig_cli_input *in, u16 *port)
{
	const char *w = lig_cli_peek(in);
	u32 v;

	if (!w || w[0] < '0' || w[0] > '9' || strchr(w, '.'))
		return false;
	if (!lig_cli_u32(in, &v) || v == 0 || v > 65535)
		return false;
	*port = (u16)v;
	return true;
}

/* "a.b.c.d:port" */
static bool
parse_addr_port(struct lig_cli_input *in, u32 *addr, u16 *port)
{
	const char *w = lig_cli_peek(in);
	char buf[32], *colon, *end;
	unsigned long v;

	if (!w || strlen(w) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", w);
	colon = strchr(buf, ':');
	if (!colon)
		return false;
	*colon = 0;
	if (inet_pton(AF_INET, buf, addr) != 1)
		return false;
	v = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == 0 || v == 0 || v > 65535)
		return false;
	*port = (u16)v;
	lig_cli_word(in);
	return true;
}

static int
cli_plugin(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_nat44_plugin_enable_disable_t req = {0};
	lig_api_nat44_plugin_enable_disable_reply_t rep;
	u32 v;

	if (lig_cli_keyword(in, "enable")) {
		req.enable = true;
		while (!lig_cli_end(in)) {
			if (lig_cli_keyword(in, "sessions")) {
				if (!lig_cli_u32(in, &v))
					return lig_cli_expected(in, out, "<n>");
				req.sessions = v;
			} else {
				return lig_cli_unknown_input(in, out);
			}
		}
	} else if (!lig_cli_keyword(in, "disable")) {
		return lig_cli_expected(in, out, "enable | disable");
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	int rv = LIG_API_CALL(nat44_plugin_enable_disable, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat44_plugin_command) = {
    .path = "nat44 plugin",
    .short_help = "nat44 plugin enable [sessions <n>] | nat44 plugin disable",
    .function = cli_plugin,
    .mp_safe = true, /* nat44_plugin_enable_disable is */
};

static int
cli_set_interface(struct lig_cli_input *in, struct lig_str *out)
{
	u32 ins[16], outs[16], n_in = 0, n_out = 0;
	bool is_del = false;
	int rv = 0;

	while (!lig_cli_end(in)) {
		bool inside = lig_cli_keyword(in, "in");
		if (inside || lig_cli_keyword(in, "out")) {
			const char *w = lig_cli_word(in);
			const struct lig_interface *ifp = w ? lig_if_by_name(w) : NULL;
			if (!w)
				return lig_cli_expected(in, out, "<interface>");
			if (!ifp)
				return lig_cli_error(in, out, "unknown interface '%s'", w);
			if ((inside ? n_in : n_out) >= 16)
				return lig_cli_error(in, out, "at most 16 interfaces per command");
			if (inside)
				ins[n_in++] = ifp->sw_if_index;
			else
				outs[n_out++] = ifp->sw_if_index;
		} else if (lig_cli_keyword(in, "del")) {
			is_del = true;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!n_in && !n_out)
		return lig_cli_error(in, out, "in <interface> or out <interface> is required");
	for (u32 i = 0; i < n_in + n_out && rv == 0; i++) {
		lig_api_nat44_interface_add_del_feature_t req = {
		    .sw_if_index = i < n_in ? ins[i] : outs[i - n_in],
		    .is_inside = i < n_in,
		    .is_add = !is_del};
		lig_api_nat44_interface_add_del_feature_reply_t rep;
		rv = LIG_API_CALL(nat44_interface_add_del_feature, &req, &rep);
		if (rv)
			return lig_cli_api_result(in, out, rv, rep.error);
	}
	return 0;
}

LIG_CLI_COMMAND(lig_nat44_set_interface_command) = {
    .path = "set interface nat44",
    .short_help = "set interface nat44 in <intfc> out <intfc> [del]",
    .function = cli_set_interface,
};

static int
cli_add_address(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_nat44_add_del_address_range_t req = {.is_add = true};
	lig_api_nat44_add_del_address_range_reply_t rep;
	const char *w = lig_cli_peek(in);
	char buf[40], *dash;

	if (!w || strlen(w) >= sizeof(buf))
		return lig_cli_expected(in, out, "<a.b.c.d>[ - <a.b.c.d>]");
	snprintf(buf, sizeof(buf), "%s", w);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (inet_pton(AF_INET, buf, &req.first) != 1 ||
	    (dash && inet_pton(AF_INET, dash + 1, &req.last) != 1))
		return lig_cli_expected(in, out, "<a.b.c.d>[ - <a.b.c.d>]");
	lig_cli_word(in);
	if (!dash)
		req.last = req.first;
	if (!dash && lig_cli_keyword(in, "-")) {
		u32 v;
		if (!lig_cli_ip4(in, &v))
			return lig_cli_expected(in, out, "<a.b.c.d>");
		req.last = v;
	}
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "del"))
			req.is_add = false;
		else
			return lig_cli_unknown_input(in, out);
	}
	int rv = LIG_API_CALL(nat44_add_del_address_range, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat44_add_address_command) = {
    .path = "nat44 add address",
    .short_help = "nat44 add address <ip4-range-start> [- <ip4-range-end>] [del]",
    .function = cli_add_address,
};

static int
cli_add_static(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_nat44_add_del_static_mapping_t req = {.is_add = true};
	lig_api_nat44_add_del_static_mapping_reply_t rep;
	bool have_l = false, have_e = false;
	u32 v;

	u8 proto = 0;
	u16 port;
	parse_proto(in, &proto);
	req.protocol = proto;
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "local")) {
			if (!lig_cli_ip4(in, &v))
				return lig_cli_expected(in, out, "<a.b.c.d>");
			req.local_addr = v;
			if (parse_port(in, &port))
				req.local_port = port;
			have_l = true;
		} else if (lig_cli_keyword(in, "external")) {
			if (!lig_cli_ip4(in, &v))
				return lig_cli_expected(in, out, "<a.b.c.d>");
			req.external_addr = v;
			if (parse_port(in, &port))
				req.external_port = port;
			have_e = true;
		} else if (lig_cli_keyword(in, "del")) {
			req.is_add = false;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_l || !have_e)
		return lig_cli_error(in, out, "local <addr> and external <addr> are required");
	if (req.protocol && (!req.local_port || !req.external_port))
		return lig_cli_error(in, out, "%s needs local and external ports",
				     proto_name(req.protocol));
	if (!req.protocol && (req.local_port || req.external_port))
		return lig_cli_error(in, out, "ports need a protocol (tcp, udp or icmp)");
	int rv = LIG_API_CALL(nat44_add_del_static_mapping, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat44_add_static_command) = {
    .path = "nat44 add static mapping",
    .short_help = "nat44 add static mapping [tcp|udp|icmp] local <addr> [<port|icmp-echo-id>] "
		  "external <addr> [<port|icmp-echo-id>] [del]",
    .function = cli_add_static,
};

static int
cli_add_lb(struct lig_cli_input *in, struct lig_str *out)
{
	u8 buf[sizeof(lig_api_nat44_add_del_lb_static_mapping_t) +
	       LIG_NAT44_LB_MAX_LOCALS * sizeof(lig_api_nat44_lb_local_t)];
	lig_api_nat44_add_del_lb_static_mapping_t *req = (void *)buf;
	lig_api_nat44_add_del_lb_static_mapping_reply_t rep;
	bool have_e = false;
	u32 v;

	memset(buf, 0, sizeof(buf));
	req->is_add = true;
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "protocol")) {
			u8 proto;
			if (!parse_proto(in, &proto))
				return lig_cli_expected(in, out, "tcp | udp");
			req->protocol = proto;
		} else if (lig_cli_keyword(in, "external")) {
			u32 a;
			u16 p;
			if (!parse_addr_port(in, &a, &p))
				return lig_cli_expected(in, out, "<addr>:<port>");
			req->external_addr = a;
			req->external_port = p;
			have_e = true;
		} else if (lig_cli_keyword(in, "local")) {
			lig_api_nat44_lb_local_t *l;
			if (req->n_locals >= LIG_NAT44_LB_MAX_LOCALS)
				return lig_cli_error(in, out, "at most %u backends",
						     LIG_NAT44_LB_MAX_LOCALS);
			l = &req->locals[req->n_locals];
			u32 a;
			u16 p;
			if (!parse_addr_port(in, &a, &p))
				return lig_cli_expected(in, out, "<addr>:<port>");
			l->addr = a;
			l->port = p;
			if (lig_cli_keyword(in, "vrf") && !lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<table-id>");
			if (!lig_cli_keyword(in, "probability") || !lig_cli_u32(in, &v) || !v ||
			    v > 100)
				return lig_cli_expected(in, out, "probability <1..100>");
			l->probability = (u8)v;
			req->n_locals++;
		} else if (lig_cli_keyword(in, "affinity")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<seconds>");
			req->affinity = v;
		} else if (lig_cli_keyword(in, "del")) {
			req->is_add = false;
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_e || !req->protocol)
		return lig_cli_error(in, out, "protocol and external <addr>:<port> are required");
	int rv = lig_api_call_local(LIG_API_ID_nat44_add_del_lb_static_mapping, req,
				    sizeof(*req) + req->n_locals * sizeof(req->locals[0]), &rep,
				    sizeof(rep));
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat44_add_lb_command) = {
    .path = "nat44 add load-balancing static mapping",
    .short_help = "nat44 add load-balancing static mapping protocol tcp|udp external "
		  "<addr>:<port> local <addr>:<port> probability <n> [local ...] "
		  "[affinity <sec>] [del]",
    .function = cli_add_lb,
};

static int
cli_forwarding(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_nat44_forwarding_enable_disable_t req = {0};
	lig_api_nat44_forwarding_enable_disable_reply_t rep;

	if (lig_cli_keyword(in, "enable"))
		req.enable = true;
	else if (!lig_cli_keyword(in, "disable"))
		return lig_cli_expected(in, out, "enable | disable");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	int rv = LIG_API_CALL(nat44_forwarding_enable_disable, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat44_forwarding_command) = {
    .path = "nat44 forwarding",
    .short_help = "nat44 forwarding enable|disable",
    .function = cli_forwarding,
};

static int
cli_timeouts(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_nat44_set_timeouts_t req = {0};
	lig_api_nat44_set_timeouts_reply_t rep;
	u32 v;

	u32 val[4] = {0};
	while (!lig_cli_end(in)) {
		u32 *f = NULL;
		if (lig_cli_keyword(in, "udp"))
			f = &val[0];
		else if (lig_cli_keyword(in, "tcp-established"))
			f = &val[1];
		else if (lig_cli_keyword(in, "tcp-transitory"))
			f = &val[2];
		else if (lig_cli_keyword(in, "icmp"))
			f = &val[3];
		else if (lig_cli_keyword(in, "reset")) {
			val[0] = LIG_NAT44_TIMEOUT_UDP;
			val[1] = LIG_NAT44_TIMEOUT_TCP_ESTABLISHED;
			val[2] = LIG_NAT44_TIMEOUT_TCP_TRANSITORY;
			val[3] = LIG_NAT44_TIMEOUT_ICMP;
			continue;
		} else
			return lig_cli_unknown_input(in, out);
		if (!lig_cli_u32(in, &v) || !v || v > 86400)
			return lig_cli_expected(in, out, "<seconds> (1..86400)");
		*f = v;
	}
	req.udp = val[0];
	req.tcp_established = val[1];
	req.tcp_transitory = val[2];
	req.icmp = val[3];
	int rv = LIG_API_CALL(nat44_set_timeouts, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_nat_timeout_command) = {
    .path = "set nat timeout",
    .short_help = "set nat timeout [udp <sec>] [tcp-established <sec>] [tcp-transitory <sec>] "
		  "[icmp <sec>] [reset]",
    .function = cli_timeouts,
};

/* ---- show ---- */

/* show nat44 sessions prints this many at most (a table may hold millions); the API's
 * nat44_session_dump streams them all. */
#define SHOW_SESSIONS_MAX 1000

struct show_ctx {
	struct lig_str *out;
	u32 n;
	u32 thread;
	bool truncated;
};

static bool
show_config_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_config_dump_details_t *d = details;
	struct show_ctx *x = ctx;

	lig_str_printf(x->out,
		       "NAT44 %s, %u sessions per thread, forwarding %s\n"
		       "timeouts: udp %u tcp-established %u tcp-transitory %u icmp %u\n",
		       d->enabled ? "enabled" : "disabled", d->sessions,
		       d->forwarding ? "enabled" : "disabled", d->udp_timeout,
		       d->tcp_established_timeout, d->tcp_transitory_timeout, d->icmp_timeout);
	return true;
}

static bool
show_stats_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_stats_dump_details_t *d = details;
	struct show_ctx *x = ctx;

	lig_str_printf(x->out,
		       "thread %u: %u of %u sessions, created %llu expired %llu deleted %llu "
		       "refused (table full) %llu\n",
		       d->thread_index, d->sessions, d->max_sessions,
		       (unsigned long long)d->created, (unsigned long long)d->expired,
		       (unsigned long long)d->deleted, (unsigned long long)d->table_full);
	return true;
}

static const char *
tcp_state_name(u8 st)
{
	if (st & LIG_NAT44_TCP_RST)
		return "reset";
	if (st & (LIG_NAT44_TCP_FIN_F | LIG_NAT44_TCP_FIN_R))
		return "closing";
	if (st & LIG_NAT44_TCP_ESTABLISHED)
		return "established";
	return "opening";
}

static bool
show_session_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_session_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	struct ip_buf a, b, c, e;

	if (x->n >= SHOW_SESSIONS_MAX) {
		x->truncated = true;
		return false;
	}
	if (x->n == 0 || d->thread_index != x->thread)
		lig_str_printf(x->out, "-------- thread %u --------\n", d->thread_index);
	x->thread = d->thread_index;
	x->n++;
	lig_str_printf(x->out, "  %s %s:%u -> %s:%u => %s:%u -> %s:%u", proto_name(d->protocol),
		       ip_str(d->src, &a), d->sport, ip_str(d->dst, &b), d->dport,
		       ip_str(d->t_src, &c), d->t_sport, ip_str(d->t_dst, &e), d->t_dport);
	if (d->protocol == 6)
		lig_str_printf(x->out, " %s", tcp_state_name(d->tcp_state));
	lig_str_printf(x->out, " idle %u.%03us packets %llu/%llu%s%s%s\n", d->idle_ms / 1000,
		       d->idle_ms % 1000, (unsigned long long)d->packets_forward,
		       (unsigned long long)d->packets_reverse, d->flags & 1 ? " dynamic" : "",
		       d->flags & 2 ? " static" : "", d->flags & 4 ? " hairpin" : "");
	return true;
}

static bool
show_address_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_address_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	struct ip_buf a;

	lig_str_printf(x->out,
		       "%s\n  tcp ports in use: %u\n  udp ports in use: %u\n"
		       "  icmp ids in use: %u\n",
		       ip_str(d->address, &a), d->tcp_ports, d->udp_ports, d->icmp_ids);
	x->n++;
	return true;
}

static bool
show_static_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_static_mapping_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	struct ip_buf a, b;

	if (d->protocol)
		lig_str_printf(x->out, " %s local %s:%u external %s:%u\n", proto_name(d->protocol),
			       ip_str(d->local_addr, &a), d->local_port,
			       ip_str(d->external_addr, &b), d->external_port);
	else
		lig_str_printf(x->out, " local %s external %s\n", ip_str(d->local_addr, &a),
			       ip_str(d->external_addr, &b));
	x->n++;
	return true;
}

static bool
show_lb_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_lb_static_mapping_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	struct ip_buf a;

	lig_str_printf(x->out, " %s external %s:%u", proto_name(d->protocol),
		       ip_str(d->external_addr, &a), d->external_port);
	if (d->affinity)
		lig_str_printf(x->out, " affinity %u", d->affinity);
	lig_str_printf(x->out, "\n");
	for (u32 i = 0; i < d->n_locals; i++)
		lig_str_printf(x->out, "  local %s:%u probability %u\n",
			       ip_str(d->locals[i].addr, &a), d->locals[i].port,
			       d->locals[i].probability);
	x->n++;
	return true;
}

static bool
show_if_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_interface_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);

	lig_str_printf(x->out, " %s %s\n", ifp ? ifp->name : "?", d->is_inside ? "in" : "out");
	return true;
}

static int
cli_show_nat44(struct lig_cli_input *in, struct lig_str *out)
{
	struct show_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE] = "";
	int rv = 0;

	if (lig_cli_keyword(in, "sessions")) {
		lig_api_nat44_session_dump_t req = {.thread_index = LIG_INVALID_INDEX};
		lig_api_nat44_stats_dump_t sreq;
		lig_str_printf(out, "NAT44 ED sessions:\n");
		rv = LIG_API_DUMP(nat44_stats_dump, &sreq, show_stats_one, &x, err);
		if (rv == 0)
			rv = LIG_API_DUMP(nat44_session_dump, &req, show_session_one, &x, err);
		if (rv == 0 && x.truncated)
			lig_str_printf(
			    out,
			    "(the first %u shown; the thread lines above count them all, "
			    "the API's nat44_session_dump lists them all)\n",
			    SHOW_SESSIONS_MAX);
		else if (rv == 0)
			lig_str_printf(out, "total sessions: %u\n", x.n);
	} else if (lig_cli_keyword(in, "static")) {
		if (!lig_cli_keyword(in, "mappings"))
			return lig_cli_expected(in, out, "mappings");
		lig_api_nat44_static_mapping_dump_t req;
		lig_api_nat44_lb_static_mapping_dump_t lreq;
		lig_str_printf(out, "NAT44 static mappings:\n");
		rv = LIG_API_DUMP(nat44_static_mapping_dump, &req, show_static_one, &x, err);
		if (rv == 0)
			rv =
			    LIG_API_DUMP(nat44_lb_static_mapping_dump, &lreq, show_lb_one, &x, err);
	} else if (lig_cli_keyword(in, "addresses")) {
		lig_api_nat44_address_dump_t req;
		lig_str_printf(out, "NAT44 pool addresses:\n");
		rv = LIG_API_DUMP(nat44_address_dump, &req, show_address_one, &x, err);
	} else if (lig_cli_keyword(in, "interfaces")) {
		lig_api_nat44_interface_dump_t req;
		lig_str_printf(out, "NAT44 interfaces:\n");
		rv = LIG_API_DUMP(nat44_interface_dump, &req, show_if_one, &x, err);
	} else if (lig_cli_keyword(in, "summary")) {
		lig_api_nat44_config_dump_t req;
		lig_api_nat44_stats_dump_t sreq;
		rv = LIG_API_DUMP(nat44_config_dump, &req, show_config_one, &x, err);
		if (rv == 0)
			rv = LIG_API_DUMP(nat44_stats_dump, &sreq, show_stats_one, &x, err);
	} else {
		return lig_cli_expected(
		    in, out, "sessions | static mappings | addresses | interfaces | summary");
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_show_nat44_command) = {
    .path = "show nat44",
    .short_help = "show nat44 sessions | static mappings | addresses | interfaces | summary",
    .function = cli_show_nat44,
};

/* ---- running-config ---- */

static bool
rc_config_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_config_dump_details_t *d = details;
	struct lig_str *out = ctx;

	if (!d->enabled)
		return true;
	lig_str_printf(out, "nat44 plugin enable sessions %u\n", d->sessions);
	if (d->forwarding)
		lig_str_printf(out, "nat44 forwarding enable\n");
	if (d->udp_timeout != LIG_NAT44_TIMEOUT_UDP ||
	    d->tcp_established_timeout != LIG_NAT44_TIMEOUT_TCP_ESTABLISHED ||
	    d->tcp_transitory_timeout != LIG_NAT44_TIMEOUT_TCP_TRANSITORY ||
	    d->icmp_timeout != LIG_NAT44_TIMEOUT_ICMP)
		lig_str_printf(
		    out, "set nat timeout udp %u tcp-established %u tcp-transitory %u icmp %u\n",
		    d->udp_timeout, d->tcp_established_timeout, d->tcp_transitory_timeout,
		    d->icmp_timeout);
	return true;
}

static bool
rc_if_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_interface_dump_details_t *d = details;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);

	if (ifp)
		lig_str_printf(ctx, "set interface nat44 %s %s\n", d->is_inside ? "in" : "out",
			       ifp->name);
	return true;
}

static bool
rc_address_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_address_dump_details_t *d = details;
	struct ip_buf a;

	lig_str_printf(ctx, "nat44 add address %s\n", ip_str(d->address, &a));
	return true;
}

static bool
rc_static_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_static_mapping_dump_details_t *d = details;
	struct ip_buf a, b;

	if (d->protocol)
		lig_str_printf(ctx, "nat44 add static mapping %s local %s %u external %s %u\n",
			       proto_name(d->protocol), ip_str(d->local_addr, &a), d->local_port,
			       ip_str(d->external_addr, &b), d->external_port);
	else
		lig_str_printf(ctx, "nat44 add static mapping local %s external %s\n",
			       ip_str(d->local_addr, &a), ip_str(d->external_addr, &b));
	return true;
}

static bool
rc_lb_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_nat44_lb_static_mapping_dump_details_t *d = details;
	struct ip_buf a;

	lig_str_printf(ctx, "nat44 add load-balancing static mapping protocol %s external %s:%u",
		       proto_name(d->protocol), ip_str(d->external_addr, &a), d->external_port);
	for (u32 i = 0; i < d->n_locals; i++)
		lig_str_printf(ctx, " local %s:%u probability %u", ip_str(d->locals[i].addr, &a),
			       d->locals[i].port, d->locals[i].probability);
	if (d->affinity)
		lig_str_printf(ctx, " affinity %u", d->affinity);
	lig_str_printf(ctx, "\n");
	return true;
}

/* After interfaces, addresses and routes (600: what depends on all of them). */
static void
lig_nat44_running_config(struct lig_str *out)
{
	lig_api_nat44_config_dump_t c;
	lig_api_nat44_interface_dump_t i;
	lig_api_nat44_address_dump_t a;
	lig_api_nat44_static_mapping_dump_t s;
	lig_api_nat44_lb_static_mapping_dump_t l;

	if (!lig_nat44_main.enabled)
		return;
	LIG_API_DUMP(nat44_config_dump, &c, rc_config_one, out, NULL);
	LIG_API_DUMP(nat44_interface_dump, &i, rc_if_one, out, NULL);
	LIG_API_DUMP(nat44_address_dump, &a, rc_address_one, out, NULL);
	LIG_API_DUMP(nat44_static_mapping_dump, &s, rc_static_one, out, NULL);
	LIG_API_DUMP(nat44_lb_static_mapping_dump, &l, rc_lb_one, out, NULL);
}
LIG_RUNNING_CONFIG("nat44", 650, lig_nat44_running_config)

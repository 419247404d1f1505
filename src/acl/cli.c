/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ACL CLI in VPP's acl-plugin syntax: set acl-plugin acl (rules separated by commas),
 * delete acl-plugin acl, set acl-plugin interface, set acl-plugin session, show
 * acl-plugin acl|interface|sessions, and the running-config section. Commands parse
 * into API requests and call the handlers of api.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "acl.h"
#include "api.h"

#define ACL_CLI_MAX_TOKENS 1024
#define ACL_CLI_MAX_RULES 256

struct ip_buf {
	char s[INET_ADDRSTRLEN];
};

static const char *
ip_str(u32 addr, struct ip_buf *b)
{
	return inet_ntop(AF_INET, &addr, b->s, sizeof(b->s));
}

struct acl_tokens {
	char buf[LIG_CLI_MAX_LINE + ACL_CLI_MAX_TOKENS];
	const char *tok[ACL_CLI_MAX_TOKENS];
	u32 n, pos;
};

/* The rest of the line as tokens, commas split out as "," tokens. */
static int
acl_tokenize(struct lig_cli_input *in, struct acl_tokens *t)
{
	size_t used = 0;

	t->n = t->pos = 0;
	for (const char *w; (w = lig_cli_word(in));) {
		for (const char *p = w; *p;) {
			size_t len = *p == ',' ? 1 : strcspn(p, ",");
			if (t->n == ACL_CLI_MAX_TOKENS || used + len + 1 > sizeof(t->buf))
				return -E2BIG;
			memcpy(t->buf + used, p, len);
			t->buf[used + len] = 0;
			t->tok[t->n++] = t->buf + used;
			used += len + 1;
			p += len;
		}
	}
	return 0;
}

static const char *
tok_peek(const struct acl_tokens *t)
{
	return t->pos < t->n ? t->tok[t->pos] : NULL;
}

static bool
tok_is(struct acl_tokens *t, const char *w)
{
	if (t->pos < t->n && !strcmp(t->tok[t->pos], w)) {
		t->pos++;
		return true;
	}
	return false;
}

/* <a.b.c.d>/<len> or any. */
static bool
parse_prefix(const char *s, u32 *addr, u8 *len)
{
	char a[INET_ADDRSTRLEN];
	u32 l = 32;

	if (!s)
		return false;
	if (!strcmp(s, "any")) {
		*addr = 0;
		*len = 0;
		return true;
	}
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(a))
		return false;
	memcpy(a, s, n);
	a[n] = 0;
	if (lig_parse_ip4(a, addr) < 0)
		return false;
	if (slash && (lig_parse_u32(slash + 1, &l) < 0 || l > 32))
		return false;
	*len = (u8)l;
	return true;
}

/* A[-B], each 0..max. */
static bool
parse_range(const char *s, u16 *lo, u16 *hi, u32 max)
{
	char a[16];
	u32 x, y;

	if (!s || strlen(s) >= sizeof(a))
		return false;
	snprintf(a, sizeof(a), "%s", s);
	char *dash = strchr(a, '-');
	if (dash)
		*dash = 0;
	if (lig_parse_u32(a, &x) < 0 || x > max)
		return false;
	y = x;
	if (dash && (lig_parse_u32(dash + 1, &y) < 0 || y > max || y < x))
		return false;
	*lo = (u16)x;
	*hi = (u16)y;
	return true;
}

static bool
parse_u8(const char *s, u8 *v)
{
	u32 x;
	if (!s || lig_parse_u32(s, &x) < 0 || x > 255)
		return false;
	*v = (u8)x;
	return true;
}

/* One rule up to "," or the end; 0 or -EINVAL with the reason written. */
static int
parse_rule(struct lig_cli_input *in, struct lig_str *out, struct acl_tokens *t,
	   lig_api_acl_rule_t *r, char *tag, size_t tag_size)
{
	bool sport = false, dport = false;

	memset(r, 0, sizeof(*r));
	r->sport_hi = r->dport_hi = 0xffff;
	if (tok_is(t, "permit+reflect"))
		r->action = LIG_ACL_PERMIT_REFLECT;
	else if (tok_is(t, "permit"))
		r->action = LIG_ACL_PERMIT;
	else if (tok_is(t, "deny"))
		r->action = LIG_ACL_DENY;
	else
		return lig_cli_error(in, out, "expected permit|permit+reflect|deny, got '%s'",
				     tok_peek(t) ? tok_peek(t) : "");
	while (t->pos < t->n && strcmp(tok_peek(t), ",") != 0) {
		const char *w = t->tok[t->pos++], *v = tok_peek(t);
		bool ok = true;
		u32 addr = 0;
		u8 len = 0;
		u16 lo = 0, hi = 0;
		if (!strcmp(w, "ipv4")) {
			continue;
		} else if (!strcmp(w, "ipv6")) {
			return lig_cli_error(in, out, "IPv6 rules are not supported (IPv4 only)");
		} else if (!strcmp(w, "src")) {
			if (v && strchr(v, ':'))
				return lig_cli_error(in, out, "IPv6 rules are not supported");
			if ((ok = parse_prefix(v, &addr, &len))) {
				r->src = addr;
				r->src_len = len;
			}
		} else if (!strcmp(w, "dst")) {
			if (v && strchr(v, ':'))
				return lig_cli_error(in, out, "IPv6 rules are not supported");
			if ((ok = parse_prefix(v, &addr, &len))) {
				r->dst = addr;
				r->dst_len = len;
			}
		} else if (!strcmp(w, "proto")) {
			ok = parse_u8(v, &r->proto);
		} else if (!strcmp(w, "sport")) {
			if ((ok = parse_range(v, &lo, &hi, 65535))) {
				r->sport_lo = lo;
				r->sport_hi = hi;
			}
			sport = true;
		} else if (!strcmp(w, "dport")) {
			if ((ok = parse_range(v, &lo, &hi, 65535))) {
				r->dport_lo = lo;
				r->dport_hi = hi;
			}
			dport = true;
		} else if (!strcmp(w, "tcpflags")) {
			ok = parse_u8(v, &r->tcp_flags_value);
			if (ok) {
				t->pos++;
				ok = tok_is(t, "mask") && parse_u8(tok_peek(t), &r->tcp_flags_mask);
				v = tok_peek(t);
			}
		} else if (!strcmp(w, "tag")) {
			if (!v || strlen(v) >= tag_size)
				return lig_cli_error(in, out, "tag: expected up to %zu characters",
						     tag_size - 1);
			snprintf(tag, tag_size, "%s", v);
		} else {
			return lig_cli_error(in, out, "unknown rule word '%s'", w);
		}
		if (!ok || !v || !strcmp(v, ","))
			return lig_cli_error(in, out, "%s: bad or missing value%s%s%s", w,
					     v ? " '" : "", v ? v : "", v ? "'" : "");
		t->pos++;
	}
	(void)sport;
	(void)dport;
	return 0;
}

static int
cli_set_acl(struct lig_cli_input *in, struct lig_str *out)
{
	struct acl_tokens *t = malloc(sizeof(*t));
	size_t size =
	    sizeof(lig_api_acl_add_replace_t) + ACL_CLI_MAX_RULES * sizeof(lig_api_acl_rule_t);
	lig_api_acl_add_replace_t *req = calloc(1, size);
	lig_api_acl_add_replace_reply_t rep = {0};
	int rv = -ENOMEM;

	if (!t || !req) {
		lig_cli_error(in, out, "out of memory");
		goto done;
	}
	req->acl_index = LIG_INVALID_INDEX;
	if ((rv = acl_tokenize(in, t)) < 0) {
		lig_cli_error(in, out, "line too long");
		goto done;
	}
	if (tok_is(t, "index")) {
		u32 v;
		if (!tok_peek(t) || lig_parse_u32(tok_peek(t), &v) < 0 || v >= LIG_ACL_MAX) {
			rv = lig_cli_error(in, out, "index: expected 0..%u", LIG_ACL_MAX - 1);
			goto done;
		}
		req->acl_index = v;
		t->pos++;
	}
	for (;;) {
		if (req->n_rules == ACL_CLI_MAX_RULES) {
			rv = lig_cli_error(in, out,
					   "at most %u rules on one line (the API takes %u)",
					   ACL_CLI_MAX_RULES, LIG_ACL_MAX_RULES);
			goto done;
		}
		rv = parse_rule(in, out, t, &req->rules[req->n_rules], req->tag, sizeof(req->tag));
		if (rv < 0)
			goto done;
		req->n_rules++;
		if (!tok_is(t, ","))
			break;
	}
	rv = lig_api_call_local(LIG_API_ID_acl_add_replace, req,
				(u32)(sizeof(*req) + req->n_rules * sizeof(lig_api_acl_rule_t)),
				&rep, sizeof(rep));
	if (rv == 0)
		lig_str_printf(out, "ACL index:%u\n", rep.acl_index);
	rv = lig_cli_api_result(in, out, rv, rep.error);
done:
	free(t);
	free(req);
	return rv;
}

LIG_CLI_COMMAND(lig_set_acl_command) = {
    .path = "set acl-plugin acl",
    .short_help = "set acl-plugin acl [index <n>] <permit|permit+reflect|deny> src <prefix> "
		  "dst <prefix> [proto <n>] [sport <a>[-<b>]] [dport <a>[-<b>]] "
		  "[tcpflags <v> mask <m>], ... [tag <tag>]",
    .function = cli_set_acl,
    .mp_safe = true, /* the ACL is built aside and swapped in under a barrier of its own */
};

static int
cli_delete_acl(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_del_t req;
	lig_api_acl_del_reply_t rep;
	u32 v;

	if (!lig_cli_keyword(in, "index") || !lig_cli_u32(in, &v))
		return lig_cli_expected(in, out, "index <n>");
	req.acl_index = v;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, LIG_API_CALL(acl_del, &req, &rep), rep.error);
}

LIG_CLI_COMMAND(lig_delete_acl_command) = {
    .path = "delete acl-plugin acl",
    .short_help = "delete acl-plugin acl index <n>",
    .function = cli_delete_acl,
    .mp_safe = true, /* takes the barrier itself */
};

static int
cli_set_acl_interface(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_interface_add_del_t req = {.is_add = true};
	lig_api_acl_interface_add_del_reply_t rep;
	u32 v;
	int rv = lig_cli_expect_interface(in, out, &v);

	if (rv < 0)
		return rv;
	req.sw_if_index = v;
	if (lig_cli_keyword(in, "input"))
		req.is_input = true;
	else if (!lig_cli_keyword(in, "output"))
		return lig_cli_expected(in, out, "input|output");
	if (!lig_cli_keyword(in, "acl") || !lig_cli_u32(in, &v))
		return lig_cli_expected(in, out, "acl <n>");
	req.acl_index = v;
	if (lig_cli_keyword(in, "del"))
		req.is_add = false;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, LIG_API_CALL(acl_interface_add_del, &req, &rep),
				  rep.error);
}

LIG_CLI_COMMAND(lig_set_acl_interface_command) = {
    .path = "set acl-plugin interface",
    .short_help = "set acl-plugin interface <interface> <input|output> acl <n> [del]",
    .function = cli_set_acl_interface,
    .mp_safe = true, /* the session tables are built aside; the barrier only to apply the list */
};

/* Current session settings, to change one of them. */
static bool
session_config_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	memcpy(ctx, details, sizeof(lig_api_acl_session_config_t));
	return true;
}

static int
cli_set_acl_session(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_session_config_t req = {0};
	lig_api_acl_session_config_reply_t rep;
	u32 v;

	LIG_API_DUMP(acl_session_config_dump, NULL, session_config_one, &req, NULL);
	if (lig_cli_keyword(in, "timeout")) {
		int field = 0;
		if (lig_cli_keyword(in, "udp")) {
			if (lig_cli_keyword(in, "idle"))
				field = 1;
		} else if (lig_cli_keyword(in, "tcp")) {
			if (lig_cli_keyword(in, "idle"))
				field = 2;
			else if (lig_cli_keyword(in, "transient"))
				field = 3;
		}
		if (!field)
			return lig_cli_expected(in, out, "udp idle|tcp idle|tcp transient");
		if (!lig_cli_u32(in, &v))
			return lig_cli_expected(in, out, "<seconds>");
		if (field == 1)
			req.udp_idle = v;
		else if (field == 2)
			req.tcp_idle = v;
		else
			req.tcp_transient = v;
	} else if (lig_cli_keyword(in, "table")) {
		if (lig_cli_keyword(in, "max-entries")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<n>");
			req.max_sessions = v;
		} else if (lig_cli_keyword(in, "per-interface")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<n>");
			req.max_per_interface = v;
		} else {
			return lig_cli_expected(in, out, "max-entries|per-interface");
		}
	} else {
		return lig_cli_expected(in, out, "timeout|table");
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	return lig_cli_api_result(in, out, LIG_API_CALL(acl_session_config, &req, &rep), rep.error);
}

LIG_CLI_COMMAND(lig_set_acl_session_command) = {
    .path = "set acl-plugin session",
    .short_help = "set acl-plugin session timeout <udp idle|tcp idle|tcp transient> <s> | "
		  "table max-entries <n> | table per-interface <n>",
    .function = cli_set_acl_session,
    .mp_safe = true, /* new session tables are built aside; the barrier only to swap them */
};

/* -------- show -------- */

static void
format_rule(struct lig_str *s, const lig_api_acl_rule_t *r)
{
	static const char *const actions[] = {"deny", "permit", "permit+reflect"};
	struct ip_buf a, b;

	lig_str_printf(s, "ipv4 %s src %s/%u dst %s/%u proto %u sport %u-%u dport %u-%u",
		       actions[r->action <= 2 ? r->action : 0], ip_str(r->src, &a), r->src_len,
		       ip_str(r->dst, &b), r->dst_len, r->proto, r->sport_lo, r->sport_hi,
		       r->dport_lo, r->dport_hi);
	if (r->tcp_flags_mask)
		lig_str_printf(s, " tcpflags %u mask %u", r->tcp_flags_value, r->tcp_flags_mask);
}

static void
format_applied(struct lig_str *s, u32 acl, u32 dir)
{
	lig_str_printf(s, "  applied %s on sw_if_index:", dir == 0 ? "inbound" : "outbound");
	for (u32 sw = 0; sw < LIG_ACL_IF_MAX; sw++) {
		const struct lig_acl_if *li = &lig_acl_main.ifs[sw];
		for (u32 i = 0; i < li->n[dir]; i++)
			if (li->acls[dir][i] == acl)
				lig_str_printf(s, " %u", sw);
	}
	lig_str_printf(s, "\n");
}

struct show_ctx {
	struct lig_str *out;
	bool any;
};

static bool
show_acl_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_acl_dump_details_t *d = details;
	struct show_ctx *x = ctx;

	x->any = true;
	lig_str_printf(x->out, "acl-index %u count %u tag {%s}\n", d->acl_index, d->n_rules,
		       d->tag);
	for (u32 i = 0; i < d->n_rules; i++) {
		struct lig_acl_counter c;
		lig_acl_rule_counter(d->acl_index, i, &c);
		lig_str_printf(x->out, "          %u: ", i);
		format_rule(x->out, &d->rules[i]);
		lig_str_printf(x->out, " hits %llu bytes %llu\n", (unsigned long long)c.packets,
			       (unsigned long long)c.bytes);
	}
	format_applied(x->out, d->acl_index, 0);
	format_applied(x->out, d->acl_index, 1);
	return true;
}

static int
cli_show_acl(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_dump_t req = {0};
	struct show_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];

	u32 v;

	if (lig_cli_keyword(in, "index")) {
		if (!lig_cli_u32(in, &v))
			return lig_cli_expected(in, out, "<n>");
		req.acl_index = v;
		req.one = true;
	}
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	int rv = LIG_API_DUMP(acl_dump, &req, show_acl_one, &x, err);
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_show_acl_command) = {
    .path = "show acl-plugin acl",
    .short_help = "show acl-plugin acl [index <n>]",
    .function = cli_show_acl,
    .mp_safe = true, /* rules are main's; hit counters are read atomically */
};

static bool
show_if_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_acl_interface_list_dump_details_t *d = details;
	struct show_ctx *x = ctx;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);

	x->any = true;
	lig_str_printf(x->out, "sw_if_index %u (%s):\n", d->sw_if_index, ifp ? ifp->name : "?");
	lig_str_printf(x->out, "  input acl(s):");
	for (u32 i = 0; i < d->n_input; i++)
		lig_str_printf(x->out, "%s%u", i ? ", " : " ", d->acls[i]);
	lig_str_printf(x->out, "\n  output acl(s):");
	for (u32 i = d->n_input; i < d->n_acls; i++)
		lig_str_printf(x->out, "%s%u", i > d->n_input ? ", " : " ", d->acls[i]);
	lig_str_printf(x->out, "\n");
	return true;
}

static int
cli_show_acl_interface(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_interface_list_dump_t req = {0};
	struct show_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];

	u32 v = 0;

	if (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "sw_if_index")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<n>");
		} else {
			int rv = lig_cli_expect_interface(in, out, &v);
			if (rv < 0)
				return rv;
		}
	}
	req.sw_if_index = v;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	int rv = LIG_API_DUMP(acl_interface_list_dump, &req, show_if_one, &x, err);
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_show_acl_interface_command) = {
    .path = "show acl-plugin interface",
    .short_help = "show acl-plugin interface [<interface> | sw_if_index <n>]",
    .function = cli_show_acl_interface,
    .mp_safe = true, /* interface lists are main's */
};

struct show_sessions_ctx {
	struct lig_str *out;
	u32 n;
};

static bool
show_session_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_acl_session_dump_details_t *d = details;
	struct show_sessions_ctx *x = ctx;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);
	struct ip_buf a, b;

	x->n++;
	lig_str_printf(x->out,
		       "  thread %u %s %s %s:%u -> %s:%u proto %u tcp-seen 0x%02x packets %llu "
		       "idle %u ms\n",
		       d->thread, ifp ? ifp->name : "?", d->is_input ? "input" : "output",
		       ip_str(d->src, &a), d->sport, ip_str(d->dst, &b), d->dport, d->proto,
		       d->tcp_seen, (unsigned long long)d->packets, d->idle_ms);
	return true;
}

static int
cli_show_acl_sessions(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_acl_session_dump_t req = {0};
	struct show_sessions_ctx x = {.out = out};
	char err[LIG_API_ERROR_SIZE];
	const struct lig_acl_main *am = &lig_acl_main;

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_str_printf(out,
		       "Sessions per thread: %u, per interface: %u; timeouts: tcp idle %u s, tcp "
		       "transient %u s, udp idle %u s\n",
		       am->sessions_per_thread, am->sessions_per_if, am->timeouts.tcp_idle,
		       am->timeouts.tcp_transient, am->timeouts.udp_idle);
	int rv = LIG_API_DUMP(acl_session_dump, &req, show_session_one, &x, err);
	for (u32 t = 0; t < LIG_THREAD_MAX; t++) {
		const struct lig_acl_session_table *st = am->tables[t];
		if (st)
			lig_str_printf(out,
				       "thread %u: %u sessions in use; created %llu expired %llu "
				       "table-full %llu interface-full %llu\n",
				       t, st->n_used, (unsigned long long)st->created,
				       (unsigned long long)st->expired,
				       (unsigned long long)st->full,
				       (unsigned long long)st->if_full);
	}
	lig_str_printf(out, "Total sessions: %u\n", x.n);
	return lig_cli_api_result(in, out, rv, err);
}

LIG_CLI_COMMAND(lig_show_acl_sessions_command) = {
    .path = "show acl-plugin sessions",
    .short_help = "show acl-plugin sessions",
    .function = cli_show_acl_sessions,
};

static int
cli_clear_acl_counters(struct lig_cli_input *in, struct lig_str *out)
{
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_acl_clear_counters();
	return 0;
}

LIG_CLI_COMMAND(lig_clear_acl_counters_command) = {
    .path = "clear acl-plugin counters",
    .short_help = "clear acl-plugin counters",
    .function = cli_clear_acl_counters,
};

/* -------- running-config (600: after interfaces, L2 and L3) -------- */

static bool
rc_acl_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_acl_dump_details_t *d = details;
	struct lig_str *out = ctx;

	lig_str_printf(out, "set acl-plugin acl index %u", d->acl_index);
	for (u32 i = 0; i < d->n_rules; i++) {
		lig_str_printf(out, i ? ", " : " ");
		const lig_api_acl_rule_t *r = &d->rules[i];
		struct ip_buf a, b;
		lig_str_printf(out, "%s src %s/%u dst %s/%u",
			       r->action == 2	? "permit+reflect"
			       : r->action == 1 ? "permit"
						: "deny",
			       ip_str(r->src, &a), r->src_len, ip_str(r->dst, &b), r->dst_len);
		if (r->proto)
			lig_str_printf(out, " proto %u", r->proto);
		if (r->sport_lo != 0 || r->sport_hi != 0xffff)
			lig_str_printf(out, " sport %u-%u", r->sport_lo, r->sport_hi);
		if (r->dport_lo != 0 || r->dport_hi != 0xffff)
			lig_str_printf(out, " dport %u-%u", r->dport_lo, r->dport_hi);
		if (r->tcp_flags_mask)
			lig_str_printf(out, " tcpflags %u mask %u", r->tcp_flags_value,
				       r->tcp_flags_mask);
	}
	if (d->tag[0])
		lig_str_printf(out, " tag %s", d->tag);
	lig_str_printf(out, "\n");
	return true;
}

static bool
rc_if_one(void *ctx, const void *details, u32 size LIG_UNUSED)
{
	const lig_api_acl_interface_list_dump_details_t *d = details;
	const struct lig_interface *ifp = lig_if_get(d->sw_if_index);

	for (u32 i = 0; ifp && i < d->n_acls; i++)
		lig_str_printf(ctx, "set acl-plugin interface %s %s acl %u\n", ifp->name,
			       i < d->n_input ? "input" : "output", d->acls[i]);
	return true;
}

static void
lig_acl_running_config(struct lig_str *out)
{
	lig_api_acl_dump_t req = {0};
	lig_api_acl_interface_list_dump_t ireq = {0};
	lig_api_acl_session_config_t sc = {0};
	const struct lig_acl_timeouts def = {
	    .tcp_idle = 86400, .tcp_transient = 120, .udp_idle = 600};

	LIG_API_DUMP(acl_session_config_dump, NULL, session_config_one, &sc, NULL);
	if (sc.max_sessions != LIG_ACL_SESSIONS_DEFAULT)
		lig_str_printf(out, "set acl-plugin session table max-entries %u\n",
			       sc.max_sessions);
	if (sc.max_per_interface)
		lig_str_printf(out, "set acl-plugin session table per-interface %u\n",
			       sc.max_per_interface);
	if (sc.tcp_idle != def.tcp_idle)
		lig_str_printf(out, "set acl-plugin session timeout tcp idle %u\n", sc.tcp_idle);
	if (sc.tcp_transient != def.tcp_transient)
		lig_str_printf(out, "set acl-plugin session timeout tcp transient %u\n",
			       sc.tcp_transient);
	if (sc.udp_idle != def.udp_idle)
		lig_str_printf(out, "set acl-plugin session timeout udp idle %u\n", sc.udp_idle);
	LIG_API_DUMP(acl_dump, &req, rc_acl_one, out, NULL);
	LIG_API_DUMP(acl_interface_list_dump, &ireq, rc_if_one, out, NULL);
}
LIG_RUNNING_CONFIG("acl", 600, lig_acl_running_config)

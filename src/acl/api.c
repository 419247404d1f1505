/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACL API handlers (api.h): each validates, calls the one control function in acl.c and
 * explains a failure naming the ACL, rule or interface. The CLI (cli.c) calls the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
#include "acl.h"
#include "api.h"

static const char *
if_name(u32 sw)
{
	const struct lig_interface *ifp = lig_if_get(sw);
	return ifp ? ifp->name : "?";
}

/* API rule -> internal rule; 0 or -EINVAL with why. */
static int
rule_from_api(const lig_api_acl_rule_t *a, struct lig_acl_rule *r, char *why, size_t size)
{
	if (a->is_ipv6)
		return snprintf(why, size, "IPv6 rules are not supported (IPv4 only)"), -EINVAL;
	memset(r, 0, sizeof(*r));
	r->action = a->action;
	r->src = a->src;
	r->src_len = a->src_len;
	r->dst = a->dst;
	r->dst_len = a->dst_len;
	r->proto = a->proto;
	r->sport_lo = a->sport_lo;
	r->sport_hi = a->sport_hi;
	r->dport_lo = a->dport_lo;
	r->dport_hi = a->dport_hi;
	r->tcp_flags_value = a->tcp_flags_value;
	r->tcp_flags_mask = a->tcp_flags_mask;
	return lig_acl_rule_check(r, why, size);
}

static void
rule_to_api(const struct lig_acl_rule *r, lig_api_acl_rule_t *a)
{
	memset(a, 0, sizeof(*a));
	a->action = r->action;
	a->src = r->src;
	a->src_len = r->src_len;
	a->dst = r->dst;
	a->dst_len = r->dst_len;
	a->proto = r->proto;
	a->sport_lo = r->sport_lo;
	a->sport_hi = r->sport_hi;
	a->dport_lo = r->dport_lo;
	a->dport_hi = r->dport_hi;
	a->tcp_flags_value = r->tcp_flags_value;
	a->tcp_flags_mask = r->tcp_flags_mask;
}

static int
lig_acl_api_add_replace(struct lig_api_call *c, const lig_api_acl_add_replace_t *req,
			lig_api_acl_add_replace_reply_t *rep)
{
	struct lig_acl_rule *rules;
	char why[160], msg[200];
	u32 idx = req->acl_index;
	int rv;

	for (const char *p = req->tag; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"')
			return lig_api_error(c, -EINVAL,
					     "ACL tag: printable ASCII but '\"' only (byte 0x%02x)",
					     (u8)*p);
	if (idx != LIG_INVALID_INDEX && idx >= LIG_ACL_MAX)
		return lig_api_error(c, -EINVAL, "ACL index %u out of range (0..%u, ~0: new)", idx,
				     LIG_ACL_MAX - 1);
	if (req->n_rules > LIG_ACL_MAX_RULES)
		return lig_api_error(c, -EINVAL, "ACL %d: %u rules, at most %u", (int)idx,
				     req->n_rules, LIG_ACL_MAX_RULES);
	rules = malloc((req->n_rules ? req->n_rules : 1) * sizeof(*rules));
	if (!rules)
		return lig_api_error(c, -ENOMEM, "out of memory for %u rules", req->n_rules);
	for (u32 i = 0; i < req->n_rules; i++) {
		if ((rv = rule_from_api(&req->rules[i], &rules[i], why, sizeof(why))) < 0) {
			free(rules);
			if (idx == LIG_INVALID_INDEX)
				return lig_api_error(c, rv, "new ACL: rule %u: %s", i, why);
			return lig_api_error(c, rv, "ACL %u: rule %u: %s", idx, i, why);
		}
	}
	rv = lig_acl_add_replace(&idx, rules, req->n_rules, req->tag, msg, sizeof(msg));
	free(rules);
	if (rv < 0)
		return lig_api_error(c, rv, "ACL %d: %s", (int)idx, msg);
	rep->acl_index = idx;
	return 0;
}
LIG_API_HANDLER_MP_SAFE(acl_add_replace, lig_acl_api_add_replace);

static int
lig_acl_api_del(struct lig_api_call *c, const lig_api_acl_del_t *req,
		lig_api_acl_del_reply_t *rep LIG_UNUSED)
{
	int rv = lig_acl_del(req->acl_index);
	if (rv == -ENOENT)
		return lig_api_error(c, rv, "ACL %u does not exist", req->acl_index);
	if (rv == -EBUSY)
		return lig_api_error(c, rv,
				     "ACL %u is applied to %u interface list(s); remove it first",
				     req->acl_index, lig_acl_get(req->acl_index)->n_applied);
	if (rv < 0)
		return lig_api_error(c, rv, "ACL %u: cannot delete: %s", req->acl_index,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER_MP_SAFE(acl_del, lig_acl_api_del);

static int
lig_acl_api_dump(struct lig_api_call *c, const lig_api_acl_dump_t *req)
{
	u32 from = 0, to = LIG_ACL_MAX;

	if (req->one) {
		if (!lig_acl_get(req->acl_index))
			return lig_api_error(c, -ENOENT, "ACL %u does not exist", req->acl_index);
		from = req->acl_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_acl *a = lig_acl_get((u32)i);
		if (!a)
			continue;
		u32 size = (u32)(sizeof(lig_api_acl_dump_details_t) +
				 a->n_rules * sizeof(lig_api_acl_rule_t));
		lig_api_acl_dump_details_t *d = calloc(1, size);
		if (!d)
			return lig_api_error(c, -ENOMEM, "out of memory for ACL %u", (u32)i);
		d->acl_index = (u32)i;
		snprintf(d->tag, sizeof(d->tag), "%s", a->tag);
		d->n_rules = a->n_rules;
		for (u32 r = 0; r < a->n_rules; r++)
			rule_to_api(&a->rules[r], &d->rules[r]);
		bool ok = lig_api_details(c, d, size);
		free(d);
		if (!ok) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(acl_dump, lig_acl_api_dump);

static int
lig_acl_api_stats_dump(struct lig_api_call *c, const lig_api_acl_stats_dump_t *req)
{
	u64 from = 0, to = (u64)LIG_ACL_MAX << 32;

	if (req->one) {
		if (!lig_acl_get(req->acl_index))
			return lig_api_error(c, -ENOENT, "ACL %u does not exist", req->acl_index);
		from = (u64)req->acl_index << 32;
		to = (u64)(req->acl_index + 1) << 32;
	}
	/* The cursor is (acl << 32 | rule). */
	for (u64 cur = LIG_MAX(c->cursor, from); cur < to;) {
		u32 ai = (u32)(cur >> 32), ri = (u32)cur;
		const struct lig_acl *a = lig_acl_get(ai);
		if (!a || ri >= a->n_rules) {
			cur = (u64)(ai + 1) << 32;
			continue;
		}
		struct lig_acl_counter sum;
		lig_acl_rule_counter(ai, ri, &sum);
		lig_api_acl_stats_dump_details_t d = {
		    .acl_index = ai, .rule_index = ri, .packets = sum.packets, .bytes = sum.bytes};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = cur + 1;
			return LIG_API_MORE;
		}
		cur++;
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(acl_stats_dump, lig_acl_api_stats_dump);

static int
acl_if_error(struct lig_api_call *c, int rv, u32 sw, const char *dir, const u32 *acls, u32 n)
{
	if (rv == -ENOENT && !lig_if_get(sw))
		return lig_api_error(c, rv, "interface %u does not exist", sw);
	for (u32 i = 0; rv == -ENOENT && i < n; i++)
		if (!lig_acl_get(acls[i]))
			return lig_api_error(c, rv, "%s %s list: ACL %u does not exist",
					     if_name(sw), dir, acls[i]);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "%s %s list: an ACL is in it already", if_name(sw),
				     dir);
	if (rv == -ENOSPC || rv == -EINVAL)
		return lig_api_error(c, rv, "%s %s list: at most %u ACLs", if_name(sw), dir,
				     LIG_ACL_MAX_PER_IF);
	return lig_api_error(c, rv, "%s %s list: %s", if_name(sw), dir, strerror(-rv));
}

static int
lig_acl_api_set_list(struct lig_api_call *c, const lig_api_acl_interface_set_acl_list_t *req,
		     lig_api_acl_interface_set_acl_list_reply_t *rep LIG_UNUSED)
{
	u32 sw = req->sw_if_index, n_in = req->n_input, n = req->n_acls;
	u32 acls[2 * LIG_ACL_MAX_PER_IF];
	int rv;

	if (!lig_if_get(sw))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", sw);
	if (n_in > n || n_in > LIG_ACL_MAX_PER_IF || n - n_in > LIG_ACL_MAX_PER_IF)
		return lig_api_error(c, -EINVAL,
				     "%s: n_input %u of %u ACLs: at most %u per direction",
				     if_name(sw), n_in, n, LIG_ACL_MAX_PER_IF);
	/* Both lists are checked before either changes. */
	for (u32 i = 0; i < n; i++)
		acls[i] = req->acls[i];
	for (u32 i = 0; i < n; i++) {
		if (!lig_acl_get(req->acls[i]))
			return lig_api_error(c, -ENOENT, "%s: ACL %u does not exist", if_name(sw),
					     req->acls[i]);
		u32 lo = i < n_in ? 0 : n_in;
		for (u32 j = lo; j < i; j++)
			if (req->acls[j] == req->acls[i])
				return lig_api_error(c, -EEXIST, "%s: ACL %u twice in the %s list",
						     if_name(sw), req->acls[i],
						     i < n_in ? "input" : "output");
	}
	if ((rv = lig_acl_if_set(sw, LIG_ACL_INPUT, acls, n_in)) < 0)
		return acl_if_error(c, rv, sw, "input", acls, n_in);
	if ((rv = lig_acl_if_set(sw, LIG_ACL_OUTPUT, acls + n_in, n - n_in)) < 0)
		return acl_if_error(c, rv, sw, "output", acls + n_in, n - n_in);
	return 0;
}
LIG_API_HANDLER_MP_SAFE(acl_interface_set_acl_list, lig_acl_api_set_list);

static int
lig_acl_api_if_add_del(struct lig_api_call *c, const lig_api_acl_interface_add_del_t *req,
		       lig_api_acl_interface_add_del_reply_t *rep LIG_UNUSED)
{
	const char *dir = req->is_input ? "input" : "output";
	u32 sw = req->sw_if_index;

	if (!lig_if_get(sw))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", sw);
	if (req->is_add && !lig_acl_get(req->acl_index))
		return lig_api_error(c, -ENOENT, "ACL %u does not exist", req->acl_index);
	int rv = lig_acl_if_add_del(sw, req->is_input ? LIG_ACL_INPUT : LIG_ACL_OUTPUT,
				    req->acl_index, req->is_add);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "%s %s list has ACL %u already", if_name(sw), dir,
				     req->acl_index);
	if (rv == -ENOENT && !req->is_add)
		return lig_api_error(c, rv, "%s %s list has no ACL %u", if_name(sw), dir,
				     req->acl_index);
	if (rv < 0) {
		u32 acl = req->acl_index;
		return acl_if_error(c, rv, sw, dir, &acl, 1);
	}
	return 0;
}
LIG_API_HANDLER_MP_SAFE(acl_interface_add_del, lig_acl_api_if_add_del);

static int
lig_acl_api_if_dump(struct lig_api_call *c, const lig_api_acl_interface_list_dump_t *req)
{
	u32 from = 1, to = LIG_ACL_IF_MAX;

	if (req->sw_if_index) {
		if (!lig_if_get(req->sw_if_index))
			return lig_api_error(c, -ENOENT, "interface %u does not exist",
					     req->sw_if_index);
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_acl_if *li = &lig_acl_main.ifs[i];
		if (!lig_if_get((u32)i) || (!li->n[0] && !li->n[1] && !req->sw_if_index))
			continue;
		u8 buf[sizeof(lig_api_acl_interface_list_dump_details_t) +
		       2 * LIG_ACL_MAX_PER_IF * sizeof(u32)];
		lig_api_acl_interface_list_dump_details_t *d = (void *)buf;
		d->sw_if_index = (u32)i;
		d->n_input = li->n[0];
		d->n_acls = li->n[0] + li->n[1];
		for (u32 k = 0; k < li->n[0]; k++)
			d->acls[k] = li->acls[0][k];
		for (u32 k = 0; k < li->n[1]; k++)
			d->acls[li->n[0] + k] = li->acls[1][k];
		if (!lig_api_details(c, d, (u32)(sizeof(*d) + d->n_acls * sizeof(u32)))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(acl_interface_list_dump, lig_acl_api_if_dump);

static int
lig_acl_api_session_config(struct lig_api_call *c, const lig_api_acl_session_config_t *req,
			   lig_api_acl_session_config_reply_t *rep LIG_UNUSED)
{
	struct lig_acl_timeouts t = {.tcp_idle = req->tcp_idle,
				     .tcp_transient = req->tcp_transient,
				     .udp_idle = req->udp_idle};

	if (!req->max_sessions || req->max_sessions > LIG_ACL_SESSIONS_MAX)
		return lig_api_error(c, -EINVAL,
				     "ACL sessions: max_sessions %u out of range (1..%u)",
				     req->max_sessions, LIG_ACL_SESSIONS_MAX);
	if (!t.tcp_idle || !t.tcp_transient || !t.udp_idle || t.tcp_idle > 86400 * 7 ||
	    t.tcp_transient > 86400 * 7 || t.udp_idle > 86400 * 7)
		return lig_api_error(c, -EINVAL,
				     "ACL sessions: timeouts are 1..604800 s (tcp idle %u, tcp "
				     "transient %u, udp idle %u)",
				     t.tcp_idle, t.tcp_transient, t.udp_idle);
	int rv = lig_acl_session_config(req->max_sessions, req->max_per_interface, &t);
	if (rv < 0)
		return lig_api_error(c, rv, "ACL sessions: cannot make tables of %u: %s",
				     req->max_sessions, strerror(-rv));
	return 0;
}
LIG_API_HANDLER_MP_SAFE(acl_session_config, lig_acl_api_session_config);

static int
lig_acl_api_session_config_dump(struct lig_api_call *c,
				const lig_api_acl_session_config_dump_t *req LIG_UNUSED)
{
	const struct lig_acl_main *am = &lig_acl_main;
	lig_api_acl_session_config_dump_details_t d = {
	    .max_sessions = am->sessions_per_thread,
	    .max_per_interface = am->sessions_per_if,
	    .tcp_idle = am->timeouts.tcp_idle,
	    .tcp_transient = am->timeouts.tcp_transient,
	    .udp_idle = am->timeouts.udp_idle,
	};
	if (c->cursor)
		return 0;
	if (!lig_api_details(c, &d, sizeof(d))) {
		c->cursor = 1;
		return LIG_API_MORE;
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(acl_session_config_dump, lig_acl_api_session_config_dump);

static int
lig_acl_api_session_dump(struct lig_api_call *c, const lig_api_acl_session_dump_t *req)
{
	const struct lig_acl_main *am = &lig_acl_main;
	u64 now = lig_rdtsc();
	double hz = lig_tsc_hz();

	if (req->sw_if_index && !lig_if_get(req->sw_if_index))
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	if (c->cursor == 0)
		lig_acl_sessions_expire_all();
	/* The cursor is (thread << 32 | session). */
	for (u64 cur = c->cursor; (cur >> 32) < LIG_THREAD_MAX;) {
		u32 t = (u32)(cur >> 32), si = (u32)cur;
		const struct lig_acl_session_table *st = am->tables[t];
		if (!st || si >= st->n_sessions) {
			cur = (u64)(t + 1) << 32;
			continue;
		}
		const struct lig_acl_session *s = &st->sessions[si];
		cur++;
		if (!s->in_use || (req->sw_if_index && s->sw_if_index != req->sw_if_index))
			continue;
		lig_api_acl_session_dump_details_t d = {
		    .thread = t,
		    .sw_if_index = s->sw_if_index,
		    .is_input = (s->key.dir & 1) == LIG_ACL_INPUT,
		    .src = s->key.src,
		    .dst = s->key.dst,
		    .sport = s->key.sport,
		    .dport = s->key.dport,
		    .proto = s->key.proto,
		    .tcp_seen = s->tcp_seen,
		    .packets = s->packets,
		    .idle_ms = now > lig_acl_session_last(s)
				   ? (u32)((now - lig_acl_session_last(s)) / hz * 1e3)
				   : 0,
		};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = cur;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER(acl_session_dump, lig_acl_api_session_dump);

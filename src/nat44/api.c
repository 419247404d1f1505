/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44 API handlers (api.h): each validates, calls the one control function in nat44.c
 * and explains a failure naming the object; dumps rebuild the objects. The CLI (cli.c)
 * calls the same handlers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/api_server.h"
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

static int
not_enabled(struct lig_api_call *c)
{
	return lig_api_error(c, -ENXIO, "NAT44 is not enabled (nat44 plugin enable)");
}

static int
api_enable(struct lig_api_call *c, const lig_api_nat44_plugin_enable_disable_t *req,
	   lig_api_nat44_plugin_enable_disable_reply_t *rep LIG_UNUSED)
{
	int rv;

	if (!req->enable) {
		rv = lig_nat44_disable();
		return rv == -ENOENT ? lig_api_error(c, rv, "NAT44 is not enabled") : rv;
	}
	rv = lig_nat44_enable(req->sessions);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_api_error(c, rv, "sessions %u out of range (%u..%u)", req->sessions,
				     LIG_NAT44_SESSIONS_MIN, LIG_NAT44_SESSIONS_MAX);
	case -EBUSY:
		return lig_api_error(
		    c, rv, "NAT44 is enabled with %u sessions per thread; disable it first",
		    lig_nat44_main.max_sessions);
	default:
		return lig_api_error(c, rv, "cannot enable NAT44 with %u sessions per thread: %s",
				     req->sessions, strerror(-rv));
	}
}
/* Builds and frees the session tables without the barrier (nat44.h). */
LIG_API_HANDLER_MP_SAFE(nat44_plugin_enable_disable, api_enable);

static int
api_config_dump(struct lig_api_call *c, const lig_api_nat44_config_dump_t *req LIG_UNUSED)
{
	const struct lig_nat44_main *nm = &lig_nat44_main;
	lig_api_nat44_config_dump_details_t d = {
	    .enabled = nm->enabled,
	    .sessions = nm->max_sessions,
	    .forwarding = nm->forwarding,
	    .udp_timeout = nm->timeout_s[LIG_NAT44_TC_UDP],
	    .tcp_established_timeout = nm->timeout_s[LIG_NAT44_TC_TCP_EST],
	    .tcp_transitory_timeout = nm->timeout_s[LIG_NAT44_TC_TCP_TRANS],
	    .icmp_timeout = nm->timeout_s[LIG_NAT44_TC_ICMP],
	};

	lig_api_details(c, &d, sizeof(d));
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(nat44_config_dump, api_config_dump);

static int
api_if_add_del(struct lig_api_call *c, const lig_api_nat44_interface_add_del_feature_t *req,
	       lig_api_nat44_interface_add_del_feature_reply_t *rep LIG_UNUSED)
{
	const struct lig_interface *ifp = lig_if_get(req->sw_if_index);
	const char *role = req->is_inside ? "inside" : "outside";
	int rv;

	if (!lig_nat44_main.enabled)
		return not_enabled(c);
	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", req->sw_if_index);
	rv = lig_nat44_interface_set(req->sw_if_index, req->is_inside, req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -EEXIST:
		return lig_api_error(c, rv, "interface %s is already NAT44 %s", ifp->name,
				     req->is_inside ? "outside" : "inside");
	case -ENODATA:
		return lig_api_error(c, rv, "interface %s is not NAT44 %s", ifp->name, role);
	default:
		return lig_api_error(c, rv, "cannot set interface %s NAT44 %s: %s", ifp->name, role,
				     strerror(-rv));
	}
}
LIG_API_HANDLER(nat44_interface_add_del_feature, api_if_add_del);

static int
api_if_dump(struct lig_api_call *c, const lig_api_nat44_interface_dump_t *req LIG_UNUSED)
{
	for (u64 i = c->cursor; i < LIG_IF_MAX; i++) {
		u8 f = lig_nat44_main.if_flags[i];
		if (!f)
			continue;
		lig_api_nat44_interface_dump_details_t d = {
		    .sw_if_index = (u32)i, .is_inside = (f & LIG_NAT44_IF_INSIDE) != 0};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(nat44_interface_dump, api_if_dump);

static int
api_addr_add_del(struct lig_api_call *c, const lig_api_nat44_add_del_address_range_t *req,
		 lig_api_nat44_add_del_address_range_reply_t *rep LIG_UNUSED)
{
	struct ip_buf a, b;
	int rv;

	if (!lig_nat44_main.enabled)
		return not_enabled(c);
	ip_str(req->first, &a);
	ip_str(req->last, &b);
	rv = lig_nat44_address_add_del(req->first, req->last, req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_api_error(c, rv,
				     "bad address range %s - %s (first <= last, not 0.0.0.0, at "
				     "most %u addresses)",
				     a.s, b.s, LIG_NAT44_MAX_ADDRESSES);
	case -EEXIST:
		return lig_api_error(c, rv, "an address of %s - %s is already in the NAT44 pool",
				     a.s, b.s);
	case -ENOENT:
		return lig_api_error(c, rv, "an address of %s - %s is not in the NAT44 pool", a.s,
				     b.s);
	case -ENOSPC:
		return lig_api_error(c, rv, "the NAT44 pool holds at most %u addresses",
				     LIG_NAT44_MAX_ADDRESSES);
	default:
		return lig_api_error(c, rv, "cannot change NAT44 pool %s - %s: %s", a.s, b.s,
				     strerror(-rv));
	}
}
LIG_API_HANDLER(nat44_add_del_address_range, api_addr_add_del);

static u32
bitmap_count(const u64 *bm)
{
	u32 n = 0;
	if (!bm)
		return 0;
	for (u32 i = 0; i < 65536 / 64; i++)
		n += (u32)__builtin_popcountll(bm[i]);
	return n;
}

static int
api_addr_dump(struct lig_api_call *c, const lig_api_nat44_address_dump_t *req LIG_UNUSED)
{
	const struct lig_nat44_main *nm = &lig_nat44_main;

	for (u64 i = c->cursor; i < nm->n_addresses; i++) {
		const struct lig_nat44_address *ad = &nm->addresses[i];
		lig_api_nat44_address_dump_details_t d = {
		    .address = ad->addr,
		    .tcp_ports = bitmap_count(ad->busy[LIG_NAT44_PROTO_TCP]),
		    .udp_ports = bitmap_count(ad->busy[LIG_NAT44_PROTO_UDP]),
		    .icmp_ids = bitmap_count(ad->busy[LIG_NAT44_PROTO_ICMP])};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER(nat44_address_dump, api_addr_dump);

static int
api_static(struct lig_api_call *c, const lig_api_nat44_add_del_static_mapping_t *req,
	   lig_api_nat44_add_del_static_mapping_reply_t *rep LIG_UNUSED)
{
	struct ip_buf l, e;
	int rv;

	if (!lig_nat44_main.enabled)
		return not_enabled(c);
	ip_str(req->local_addr, &l);
	ip_str(req->external_addr, &e);
	rv = lig_nat44_static_add_del(req->protocol, req->local_addr, req->local_port,
				      req->external_addr, req->external_port, req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_api_error(
		    c, rv,
		    "bad static mapping %s %s:%u -> %s:%u (protocol 0, 1, 6 or 17; "
		    "ports with a protocol, none without; addresses not 0)",
		    proto_name(req->protocol), l.s, req->local_port, e.s, req->external_port);
	case -EEXIST:
		return lig_api_error(
		    c, rv,
		    "static mapping %s local %s:%u external %s:%u: one of its ends "
		    "is already mapped",
		    proto_name(req->protocol), l.s, req->local_port, e.s, req->external_port);
	case -ENOENT:
		return lig_api_error(c, rv, "no static mapping %s local %s:%u external %s:%u",
				     proto_name(req->protocol), l.s, req->local_port, e.s,
				     req->external_port);
	case -ENOSPC:
		return lig_api_error(c, rv, "at most %u static mappings", LIG_NAT44_MAX_STATIC);
	default:
		return lig_api_error(c, rv, "cannot change static mapping %s -> %s: %s", l.s, e.s,
				     strerror(-rv));
	}
}
LIG_API_HANDLER(nat44_add_del_static_mapping, api_static);

static int
api_static_dump(struct lig_api_call *c, const lig_api_nat44_static_mapping_dump_t *req LIG_UNUSED)
{
	for (u64 i = c->cursor; i < LIG_NAT44_MAX_STATIC; i++) {
		const struct lig_nat44_static *m = &lig_nat44_main.statics[i];
		if (!m->in_use || m->is_lb)
			continue;
		lig_api_nat44_static_mapping_dump_details_t d = {.protocol = m->proto,
								 .local_addr = m->local_addr,
								 .local_port = m->local_port,
								 .external_addr = m->ext_addr,
								 .external_port = m->ext_port};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(nat44_static_mapping_dump, api_static_dump);

static int
api_lb(struct lig_api_call *c, const lig_api_nat44_add_del_lb_static_mapping_t *req,
       lig_api_nat44_add_del_lb_static_mapping_reply_t *rep LIG_UNUSED)
{
	struct lig_nat44_lb_local locals[LIG_NAT44_LB_MAX_LOCALS];
	struct ip_buf e, l;
	int rv;

	if (!lig_nat44_main.enabled)
		return not_enabled(c);
	ip_str(req->external_addr, &e);
	if (req->is_add && (req->n_locals < 2 || req->n_locals > LIG_NAT44_LB_MAX_LOCALS))
		return lig_api_error(
		    c, -EINVAL, "load-balancing mapping %s:%u needs 2..%u backends, got %u", e.s,
		    req->external_port, LIG_NAT44_LB_MAX_LOCALS, req->n_locals);
	for (u32 i = 0; req->is_add && i < req->n_locals; i++) {
		const lig_api_nat44_lb_local_t *x = &req->locals[i];
		if (!x->addr || !x->port || !x->probability || x->probability > 100)
			return lig_api_error(c, -EINVAL,
					     "load-balancing mapping %s:%u: backend %u (%s:%u "
					     "probability %u) needs an address, a port and a "
					     "probability 1..100",
					     e.s, req->external_port, i, ip_str(x->addr, &l),
					     x->port, x->probability);
		locals[i] = (struct lig_nat44_lb_local){
		    .addr = x->addr, .port = x->port, .probability = x->probability};
	}
	rv = lig_nat44_lb_add_del(req->protocol, req->external_addr, req->external_port, locals,
				  req->is_add ? req->n_locals : 0, req->affinity, req->is_add);
	switch (rv) {
	case 0:
		return 0;
	case -EINVAL:
		return lig_api_error(c, rv,
				     "bad load-balancing mapping %s %s:%u (protocol tcp or udp, a "
				     "port, affinity at most 86400)",
				     proto_name(req->protocol), e.s, req->external_port);
	case -EEXIST:
		return lig_api_error(c, rv, "%s %s:%u is already mapped", proto_name(req->protocol),
				     e.s, req->external_port);
	case -ENOENT:
		return lig_api_error(c, rv, "no load-balancing mapping %s %s:%u",
				     proto_name(req->protocol), e.s, req->external_port);
	case -ENOSPC:
		return lig_api_error(c, rv, "at most %u static mappings", LIG_NAT44_MAX_STATIC);
	default:
		return lig_api_error(c, rv, "cannot change load-balancing mapping %s:%u: %s", e.s,
				     req->external_port, strerror(-rv));
	}
}
LIG_API_HANDLER(nat44_add_del_lb_static_mapping, api_lb);

static int
api_lb_dump(struct lig_api_call *c, const lig_api_nat44_lb_static_mapping_dump_t *req LIG_UNUSED)
{
	u8 buf[sizeof(lig_api_nat44_lb_static_mapping_dump_details_t) +
	       LIG_NAT44_LB_MAX_LOCALS * sizeof(lig_api_nat44_lb_local_t)];
	lig_api_nat44_lb_static_mapping_dump_details_t *d = (void *)buf;

	for (u64 i = c->cursor; i < LIG_NAT44_MAX_STATIC; i++) {
		const struct lig_nat44_static *m = &lig_nat44_main.statics[i];
		if (!m->in_use || !m->is_lb)
			continue;
		d->protocol = m->proto;
		d->external_addr = m->ext_addr;
		d->external_port = m->ext_port;
		d->affinity = m->affinity;
		d->n_locals = m->n_locals;
		for (u32 k = 0; k < m->n_locals; k++) {
			d->locals[k].addr = m->locals[k].addr;
			d->locals[k].port = m->locals[k].port;
			d->locals[k].probability = m->locals[k].probability;
		}
		if (!lig_api_details(c, buf,
				     sizeof(*d) + m->n_locals * sizeof(lig_api_nat44_lb_local_t))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(nat44_lb_static_mapping_dump, api_lb_dump);

static int
api_forwarding(struct lig_api_call *c, const lig_api_nat44_forwarding_enable_disable_t *req,
	       lig_api_nat44_forwarding_enable_disable_reply_t *rep LIG_UNUSED)
{
	if (!lig_nat44_main.enabled)
		return not_enabled(c);
	return lig_nat44_forwarding_set(req->enable);
}
LIG_API_HANDLER(nat44_forwarding_enable_disable, api_forwarding);

static int
api_timeouts(struct lig_api_call *c, const lig_api_nat44_set_timeouts_t *req,
	     lig_api_nat44_set_timeouts_reply_t *rep LIG_UNUSED)
{
	int rv =
	    lig_nat44_timeouts_set(req->udp, req->tcp_established, req->tcp_transitory, req->icmp);
	if (rv < 0)
		return lig_api_error(c, rv,
				     "NAT44 timeouts are 1..86400 seconds (udp %u tcp-established "
				     "%u tcp-transitory %u icmp %u)",
				     req->udp, req->tcp_established, req->tcp_transitory,
				     req->icmp);
	return 0;
}
LIG_API_HANDLER(nat44_set_timeouts, api_timeouts);

static int
api_session_dump(struct lig_api_call *c, const lig_api_nat44_session_dump_t *req)
{
	const struct lig_nat44_main *nm = &lig_nat44_main;
	u64 now = lig_time_now_ns();

	if (req->thread_index != LIG_INVALID_INDEX && req->thread_index >= nm->n_threads &&
	    nm->enabled)
		return lig_api_error(c, -ENOENT, "no thread %u (%u threads)", req->thread_index,
				     nm->n_threads);
	/* cursor: thread << 32 | next session index */
	for (u64 ti = c->cursor >> 32; ti < nm->n_threads; ti++) {
		const struct lig_nat44_thread *t = &nm->threads[ti];
		if (req->thread_index != LIG_INVALID_INDEX && ti != req->thread_index)
			continue;
		u64 start = ti == c->cursor >> 32 ? (c->cursor & 0xffffffffu) : 0;
		for (u64 si = start; si < t->max; si++) {
			const struct lig_nat44_session *s = &t->sessions[si];
			if (s->tc >= LIG_NAT44_N_TC || lig_nat44_session_expired(s, now))
				continue;
			u64 idle = now > s->last_ns ? (now - s->last_ns) / 1000000 : 0;
			lig_api_nat44_session_dump_details_t d = {
			    .thread_index = (u32)ti,
			    .index = (u32)si,
			    .protocol = s->proto,
			    .flags = s->flags,
			    .tcp_state = s->tcp_state,
			    .src = s->f_src,
			    .dst = s->f_dst,
			    .sport = s->f_sport,
			    .dport = s->f_dport,
			    .t_src = s->t_src,
			    .t_dst = s->t_dst,
			    .t_sport = s->t_sport,
			    .t_dport = s->t_dport,
			    .idle_ms = idle > 0xffffffffu ? 0xffffffffu : (u32)idle,
			    .packets_forward = s->packets_f,
			    .packets_reverse = s->packets_r};
			if (!lig_api_details(c, &d, sizeof(d))) {
				c->cursor = ti << 32 | (si + 1);
				return LIG_API_MORE;
			}
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER(nat44_session_dump, api_session_dump);

static int
api_stats_dump(struct lig_api_call *c, const lig_api_nat44_stats_dump_t *req LIG_UNUSED)
{
	const struct lig_nat44_main *nm = &lig_nat44_main;

	for (u64 ti = c->cursor; ti < nm->n_threads; ti++) {
		const struct lig_nat44_thread *t = &nm->threads[ti];
		lig_api_nat44_stats_dump_details_t d = {.thread_index = (u32)ti,
							.sessions = t->n_sessions,
							.max_sessions = t->max,
							.created = t->stats.created,
							.expired = t->stats.expired,
							.deleted = t->stats.deleted,
							.table_full = t->stats.table_full};
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = ti + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER(nat44_stats_dump, api_stats_dump);

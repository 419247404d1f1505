/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: ACLs (vpp-agent's vpp.acls.acl, key config/vpp/acls/v2/acl/<name>): the rules become
 * one ligd ACL (acl_add_replace, tagged with the name), applied to the input list of every
 * interface in interfaces.ingress and the output list of every one in interfaces.egress
 * (appended, as vpp-agent does). Depends on those interfaces. The ACL's index is the key's
 * metadata; a resync finds the agent's ACLs by their tag. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "acl/api.h"
#include "agent.h"

static char acl_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(acl, LIG_MODEL_VPP_ACL, struct lig_vpp_acl)

#define ACL_TAG_PREFIX "agent:"
#define ACL_MAX_RULES 4096

/* "a.b.c.d/len" (empty: any) into addr/len; -EINVAL with err. */
static int
acl_net(const char *s, const char *field, u32 *addr, u8 *len, struct lig_sched_err *err)
{
	char a[INET_ADDRSTRLEN + 4];
	*addr = 0;
	*len = 0;
	if (!s || !*s)
		return 0;
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(a) || !slash)
		goto bad;
	memcpy(a, s, n);
	a[n] = 0;
	char *end;
	unsigned long l = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, a, addr) != 1 || *end || l > 32)
		goto bad;
	*len = (u8)l;
	return 0;
bad:
	lig_sched_err_field(err, field);
	lig_sched_err_set(err, "%s: not an IPv4 prefix: %s", field, s);
	return -EINVAL;
}

/* The model's rules as ligd's (out: n_rules entries); 0 or -EINVAL/-EOPNOTSUPP with err. */
static int
acl_rules(const struct lig_vpp_acl *v, lig_api_acl_rule_t *out, struct lig_sched_err *err)
{
	char f[96];
	int rc;

	if (v->n_rules > ACL_MAX_RULES) {
		lig_sched_err_set(err, "rules: %zu, at most %u", v->n_rules, ACL_MAX_RULES);
		return -EINVAL;
	}
	for (size_t i = 0; i < v->n_rules; i++) {
		const struct lig_vpp_acl_rule *r = &v->rules[i];
		const struct lig_vpp_acl_ip_rule *ip = &r->ip_rule;
		lig_api_acl_rule_t *o = &out[i];
		memset(o, 0, sizeof(*o));
		o->action = r->action == LIG_VPP_ACL_REFLECT  ? 2
			    : r->action == LIG_VPP_ACL_PERMIT ? 1
							      : 0;
		o->sport_hi = o->dport_hi = 0xffff;
		u32 addr;
		u8 len;
		snprintf(f, sizeof(f), "rules[%zu].ip_rule.ip.source_network", i);
		if ((rc = acl_net(ip->has_ip ? ip->ip.source_network : NULL, f, &addr, &len, err)) <
		    0)
			return rc;
		o->src = addr;
		o->src_len = len;
		snprintf(f, sizeof(f), "rules[%zu].ip_rule.ip.destination_network", i);
		if ((rc = acl_net(ip->has_ip ? ip->ip.destination_network : NULL, f, &addr, &len,
				  err)) < 0)
			return rc;
		o->dst = addr;
		o->dst_len = len;
		o->proto = ip->has_ip ? (u8)ip->ip.protocol : 0;
		const struct lig_vpp_acl_port_range *sp = NULL, *dp = NULL;
		if (ip->has_tcp) {
			o->proto = 6;
			sp = ip->tcp.has_source_port_range ? &ip->tcp.source_port_range : NULL;
			dp = ip->tcp.has_destination_port_range ? &ip->tcp.destination_port_range
								: NULL;
			o->tcp_flags_mask = (u8)ip->tcp.tcp_flags_mask;
			o->tcp_flags_value = (u8)ip->tcp.tcp_flags_value;
		} else if (ip->has_udp) {
			o->proto = 17;
			sp = ip->udp.has_source_port_range ? &ip->udp.source_port_range : NULL;
			dp = ip->udp.has_destination_port_range ? &ip->udp.destination_port_range
								: NULL;
		} else if (ip->has_icmp) {
			o->proto = 1;
			if (ip->icmp.has_icmp_type_range) {
				o->sport_lo = (u16)ip->icmp.icmp_type_range.first;
				o->sport_hi = (u16)ip->icmp.icmp_type_range.last;
			}
			if (ip->icmp.has_icmp_code_range) {
				o->dport_lo = (u16)ip->icmp.icmp_code_range.first;
				o->dport_hi = (u16)ip->icmp.icmp_code_range.last;
			}
		}
		/* A range given is taken as written (VPP's); one left out is any. */
		if (sp) {
			o->sport_lo = (u16)sp->lower_port;
			o->sport_hi = (u16)sp->upper_port;
		}
		if (dp) {
			o->dport_lo = (u16)dp->lower_port;
			o->dport_hi = (u16)dp->upper_port;
		}
		if (o->sport_lo > o->sport_hi || o->dport_lo > o->dport_hi) {
			snprintf(f, sizeof(f), "rules[%zu].ip_rule", i);
			lig_sched_err_field(err, f);
			lig_sched_err_set(err, "%s: a range's lower bound is above its upper", f);
			return -EINVAL;
		}
	}
	return 0;
}

static int
acl_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_acl *v = acl_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(acl_model(), v, &me) < 0) {
		rc = agent_model_err(err, &me);
	} else {
		lig_api_acl_rule_t *r = calloc(v->n_rules ? v->n_rules : 1, sizeof(*r));
		rc = r ? acl_rules(v, r, err) : -ENOMEM;
		free(r);
	}
	acl_free(v);
	return rc;
}

static void
acl_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_acl *v = acl_decode(value, size, &me);
	if (!v)
		return;
	char k[LIG_MODEL_KEY_MAX * 2], label[32];
	for (size_t i = 0; i < v->interfaces.n_ingress; i++) {
		agent_if_key(k, sizeof(k), lig_model_str(v->interfaces.ingress[i]));
		snprintf(label, sizeof(label), "ingress-%zu", i);
		lig_sched_dep_key(deps, label, k);
	}
	for (size_t i = 0; i < v->interfaces.n_egress; i++) {
		agent_if_key(k, sizeof(k), lig_model_str(v->interfaces.egress[i]));
		snprintf(label, sizeof(label), "egress-%zu", i);
		lig_sched_dep_key(deps, label, k);
	}
	acl_free(v);
}

/* acl_add_replace of v's rules at index (~0: new); *out the index. */
static int
acl_push(const struct lig_vpp_acl *v, u32 index, u32 *out, struct lig_sched_err *err)
{
	size_t n = v->n_rules,
	       size = sizeof(lig_api_acl_add_replace_t) + n * sizeof(lig_api_acl_rule_t);
	lig_api_acl_add_replace_t *req = calloc(1, size);
	lig_api_acl_add_replace_reply_t rep = {0};
	char tag[LIG_MODEL_KEY_MAX];
	int rc;

	if (!req)
		return -ENOMEM;
	req->acl_index = index;
	if (agent_tag_encode(lig_model_str(v->name), tag, sizeof(tag)) < 0 ||
	    strlen(ACL_TAG_PREFIX) + strlen(tag) >= sizeof(req->tag)) {
		free(req);
		lig_sched_err_field(err, "name");
		lig_sched_err_set(err, "name: too long for ligd's ACL tag (%zu bytes)",
				  sizeof(req->tag) - 1 - strlen(ACL_TAG_PREFIX));
		return -EINVAL;
	}
	/* Lengths checked above; memcpy keeps gcc -O0 from seeing a truncation. */
	memcpy(req->tag, ACL_TAG_PREFIX, strlen(ACL_TAG_PREFIX));
	memcpy(req->tag + strlen(ACL_TAG_PREFIX), tag, strlen(tag) + 1);
	req->n_rules = (u32)n;
	if ((rc = acl_rules(v, req->rules, err)) == 0) {
		rc = lig_api_call(A.api, LIG_API_ID_acl_add_replace, req, (u32)size, &rep,
				  sizeof(rep));
		if (rc)
			rc = agent_api_rc(rc, "acl_add_replace", rep.error, err);
		else
			*out = rep.acl_index;
	}
	free(req);
	return rc;
}

/* Adds (removes) acl to (from) the input or output list of the named interfaces; removal
 * ignores interfaces and lists that are gone. */
static int
acl_apply(char **names, size_t n, bool is_input, u32 acl, bool is_add, struct lig_sched_err *err)
{
	for (size_t i = 0; i < n; i++) {
		u32 sw = 0;
		int rc = agent_if_index(names[i], &sw, err);
		if (rc == -ENOENT && !is_add)
			continue;
		if (rc)
			return rc;
		lig_api_acl_interface_add_del_t req = {
		    .is_add = is_add, .is_input = is_input, .sw_if_index = sw, .acl_index = acl};
		lig_api_acl_interface_add_del_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, acl_interface_add_del, &req, &rep);
		if (rc == -EEXIST && is_add)
			rc = 0;
		if (rc == -ENOENT && !is_add)
			rc = 0;
		if (rc)
			return agent_api_rc(rc, "acl_interface_add_del", rep.error, err);
	}
	return 0;
}

static bool
in_list(char **names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(lig_model_str(names[i]), lig_model_str(s)))
			return true;
	return false;
}

static int
acl_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_acl *v = acl_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	u32 idx = 0;
	int rc = acl_push(v, LIG_INVALID_INDEX, &idx, err);
	if (rc == 0) {
		*md = (void *)(uintptr_t)(idx + 1);
		rc =
		    acl_apply(v->interfaces.ingress, v->interfaces.n_ingress, true, idx, true, err);
		if (rc == 0)
			rc = acl_apply(v->interfaces.egress, v->interfaces.n_egress, false, idx,
				       true, err);
	}
	acl_free(v);
	return rc;
}

static int
acl_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	   void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_acl *o = acl_decode(ov, os, &me), *n = acl_decode(nv, ns, &me);
	int rc = 0;
	u32 idx = (u32)((uintptr_t)*md - 1);
	if (!o || !n || !*md)
		rc = !o || !n ? agent_model_err(err, &me) : -EINVAL;
	if (rc == 0)
		rc = acl_push(n, idx, &idx, err);
	/* Interfaces no longer named lose the ACL, new ones get it. */
	for (size_t i = 0; rc == 0 && i < o->interfaces.n_ingress; i++)
		if (!in_list(n->interfaces.ingress, n->interfaces.n_ingress,
			     o->interfaces.ingress[i]))
			rc = acl_apply(&o->interfaces.ingress[i], 1, true, idx, false, err);
	for (size_t i = 0; rc == 0 && i < o->interfaces.n_egress; i++)
		if (!in_list(n->interfaces.egress, n->interfaces.n_egress, o->interfaces.egress[i]))
			rc = acl_apply(&o->interfaces.egress[i], 1, false, idx, false, err);
	if (rc == 0)
		rc =
		    acl_apply(n->interfaces.ingress, n->interfaces.n_ingress, true, idx, true, err);
	if (rc == 0)
		rc = acl_apply(n->interfaces.egress, n->interfaces.n_egress, false, idx, true, err);
	acl_free(o);
	acl_free(n);
	return rc;
}

static bool
acl_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_acl *x = acl_decode(a, as, &me), *y = acl_decode(b, bs, &me);
	bool eq = x && y && acl_model()->equal(x, y);
	if (x && y && !eq && x->n_rules == y->n_rules &&
	    x->interfaces.n_ingress == y->interfaces.n_ingress &&
	    x->interfaces.n_egress == y->interfaces.n_egress) {
		/* Equal as ligd sees them: the same rules, the same interfaces. */
		lig_api_acl_rule_t *rx = calloc(x->n_rules + 1, sizeof(*rx)),
				   *ry = calloc(y->n_rules + 1, sizeof(*ry));
		eq = rx && ry && acl_rules(x, rx, NULL) == 0 && acl_rules(y, ry, NULL) == 0 &&
		     memcmp(rx, ry, x->n_rules * sizeof(*rx)) == 0;
		for (size_t i = 0; eq && i < x->interfaces.n_ingress; i++)
			eq = in_list(y->interfaces.ingress, y->interfaces.n_ingress,
				     x->interfaces.ingress[i]);
		for (size_t i = 0; eq && i < x->interfaces.n_egress; i++)
			eq = in_list(y->interfaces.egress, y->interfaces.n_egress,
				     x->interfaces.egress[i]);
		free(rx);
		free(ry);
	}
	acl_free(x);
	acl_free(y);
	return eq;
}

static int
acl_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	if (!agent_api_up(err))
		return -ENOTCONN;
	if (!md)
		return 0;
	u32 idx = (u32)((uintptr_t)md - 1);
	struct lig_model_error me = {0};
	struct lig_vpp_acl *v = acl_decode(value, size, &me);
	if (!v)
		return agent_model_err(err, &me);
	int rc = acl_apply(v->interfaces.ingress, v->interfaces.n_ingress, true, idx, false, err);
	if (rc == 0)
		rc =
		    acl_apply(v->interfaces.egress, v->interfaces.n_egress, false, idx, false, err);
	acl_free(v);
	if (rc == 0) {
		lig_api_acl_del_t req = {.acl_index = idx};
		lig_api_acl_del_reply_t rep = {0};
		rc = LIG_API_CLIENT_CALL(A.api, acl_del, &req, &rep);
		if (rc == -ENOENT)
			rc = 0;
		if (rc)
			rc = agent_api_rc(rc, "acl_del", rep.error, err);
	}
	return rc;
}

/* ---- retrieve: the agent's ACLs in ligd (tagged), with the interfaces they are on ---- */

struct acl_found {
	u32 index;
	char name[LIG_MODEL_KEY_MAX];
	lig_api_acl_rule_t *rules;
	u32 n_rules;
};

struct acl_found_list {
	struct acl_found *a;
	size_t n, cap;
	bool oom;
};

static bool
acl_found_cb(void *ctx, const void *details, u32 size)
{
	struct acl_found_list *l = ctx;
	const lig_api_acl_dump_details_t *d = details;
	if (size < sizeof(*d) || strncmp(d->tag, ACL_TAG_PREFIX, strlen(ACL_TAG_PREFIX)) != 0)
		return true;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct acl_found *a = realloc(l->a, cap * sizeof(*a));
		if (!a)
			return (l->oom = true), false;
		l->a = a;
		l->cap = cap;
	}
	struct acl_found *f = &l->a[l->n];
	memset(f, 0, sizeof(*f));
	f->index = d->acl_index;
	agent_tag_decode(d->tag + strlen(ACL_TAG_PREFIX), sizeof(d->tag) - strlen(ACL_TAG_PREFIX),
			 f->name, sizeof(f->name));
	u32 n = (u32)LIG_MIN(d->n_rules, (size - sizeof(*d)) / sizeof(lig_api_acl_rule_t));
	f->rules = malloc((n ? n : 1) * sizeof(*f->rules));
	if (!f->rules)
		return (l->oom = true), false;
	memcpy(f->rules, d->rules, n * sizeof(*f->rules));
	f->n_rules = n;
	l->n++;
	return true;
}

struct acl_if_list {
	lig_api_acl_interface_list_dump_details_t **d;
	size_t n, cap;
	bool oom;
};

static bool
acl_if_cb(void *ctx, const void *details, u32 size)
{
	struct acl_if_list *l = ctx;
	if (size < sizeof(lig_api_acl_interface_list_dump_details_t))
		return true;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		void *p = realloc(l->d, cap * sizeof(*l->d));
		if (!p)
			return (l->oom = true), false;
		l->d = p;
		l->cap = cap;
	}
	if (!(l->d[l->n] = malloc(size)))
		return (l->oom = true), false;
	memcpy(l->d[l->n++], details, size);
	return true;
}

/* The model value of a ligd ACL and the interfaces whose lists name it. */
static char *
acl_value(const struct acl_found *f, const struct acl_if_list *ifl, const struct agent_if_dump *ifs)
{
	struct lig_vpp_acl v = {.name = (char *)f->name, .has_interfaces = true};
	struct lig_vpp_acl_rule *rules = calloc(f->n_rules + 1, sizeof(*rules));
	char(*nets)[2][24] = calloc(f->n_rules + 1, sizeof(*nets));
	char **in = calloc(ifl->n + 1, sizeof(char *)), **out = calloc(ifl->n + 1, sizeof(char *));
	char *json = NULL;

	if (!rules || !nets || !in || !out)
		goto done;
	for (u32 i = 0; i < f->n_rules; i++) {
		const lig_api_acl_rule_t *r = &f->rules[i];
		struct lig_vpp_acl_rule *m = &rules[i];
		char a[INET_ADDRSTRLEN];
		m->action = r->action == 2   ? LIG_VPP_ACL_REFLECT
			    : r->action == 1 ? LIG_VPP_ACL_PERMIT
					     : LIG_VPP_ACL_DENY;
		m->has_ip_rule = true;
		m->ip_rule.has_ip = true;
		inet_ntop(AF_INET, &r->src, a, sizeof(a));
		snprintf(nets[i][0], sizeof(nets[i][0]), "%s/%u", a, r->src_len);
		inet_ntop(AF_INET, &r->dst, a, sizeof(a));
		snprintf(nets[i][1], sizeof(nets[i][1]), "%s/%u", a, r->dst_len);
		m->ip_rule.ip.source_network = nets[i][0];
		m->ip_rule.ip.destination_network = nets[i][1];
		struct lig_vpp_acl_port_range sp = {r->sport_lo, r->sport_hi},
					      dp = {r->dport_lo, r->dport_hi};
		if (r->proto == 6) {
			m->ip_rule.has_tcp = true;
			m->ip_rule.tcp.has_source_port_range =
			    m->ip_rule.tcp.has_destination_port_range = true;
			m->ip_rule.tcp.source_port_range = sp;
			m->ip_rule.tcp.destination_port_range = dp;
			m->ip_rule.tcp.tcp_flags_mask = r->tcp_flags_mask;
			m->ip_rule.tcp.tcp_flags_value = r->tcp_flags_value;
		} else if (r->proto == 17) {
			m->ip_rule.has_udp = true;
			m->ip_rule.udp.has_source_port_range =
			    m->ip_rule.udp.has_destination_port_range = true;
			m->ip_rule.udp.source_port_range = sp;
			m->ip_rule.udp.destination_port_range = dp;
		} else if (r->proto == 1) {
			m->ip_rule.has_icmp = true;
			m->ip_rule.icmp.has_icmp_type_range = m->ip_rule.icmp.has_icmp_code_range =
			    true;
			m->ip_rule.icmp.icmp_type_range =
			    (struct lig_vpp_acl_icmp_range){r->sport_lo, r->sport_hi};
			m->ip_rule.icmp.icmp_code_range =
			    (struct lig_vpp_acl_icmp_range){r->dport_lo, r->dport_hi};
		} else {
			m->ip_rule.ip.protocol = r->proto;
		}
	}
	v.rules = rules;
	v.n_rules = f->n_rules;
	char name_buf[LIG_MODEL_KEY_MAX];
	for (size_t k = 0; k < ifl->n; k++) {
		const lig_api_acl_interface_list_dump_details_t *d = ifl->d[k];
		for (u32 i = 0; i < d->n_acls; i++) {
			if (d->acls[i] != f->index)
				continue;
			const char *n =
			    agent_if_name_of(ifs, d->sw_if_index, name_buf, sizeof(name_buf));
			char *s = n ? strdup(n) : NULL;
			if (!s)
				continue;
			if (i < d->n_input)
				in[v.interfaces.n_ingress++] = s;
			else
				out[v.interfaces.n_egress++] = s;
		}
	}
	v.interfaces.ingress = in;
	v.interfaces.egress = out;
	json = acl_model()->encode(&v);
	for (size_t k = 0; k < v.interfaces.n_ingress; k++)
		free(in[k]);
	for (size_t k = 0; k < v.interfaces.n_egress; k++)
		free(out[k]);
done:
	free(rules);
	free(nets);
	free(in);
	free(out);
	return json;
}

static int
acl_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	     struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	if (!A.api)
		return -ENOTCONN;
	struct acl_found_list found = {0};
	struct acl_if_list ifl = {0};
	struct agent_if_dump ifs = {0};
	lig_api_acl_dump_t req = {0};
	lig_api_acl_interface_list_dump_t ireq = {0};
	int rc = LIG_API_CLIENT_DUMP(A.api, acl_dump, &req, acl_found_cb, &found);
	if (rc == 0)
		rc = LIG_API_CLIENT_DUMP(A.api, acl_interface_list_dump, &ireq, acl_if_cb, &ifl);
	if (rc)
		rc = agent_api_rc(rc, "acl_dump", NULL, NULL);
	else if (found.oom || ifl.oom)
		rc = -ENOMEM;
	if (rc == 0 && found.n)
		rc = agent_dump_interfaces(&ifs);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		char *json = acl_value(&found.a[i], &ifl, &ifs), key[LIG_MODEL_KEY_MAX * 2];
		if (!json) {
			rc = -ENOMEM;
			break;
		}
		snprintf(key, sizeof(key), "%s%s", acl_prefix, found.a[i].name);
		lig_sched_retrieved_add(out, key, json, strlen(json), LIG_SCHED_ORIGIN_NB,
					(void *)(uintptr_t)(found.a[i].index + 1));
		free(json);
	}
	for (size_t i = 0; i < found.n; i++)
		free(found.a[i].rules);
	free(found.a);
	for (size_t i = 0; i < ifl.n; i++)
		free(ifl.d[i]);
	free(ifl.d);
	free(ifs.d);
	return rc;
}

int
agent_vpp_acl_register(struct lig_sched *sched)
{
	static const char *const after[] = {"vpp-interface", NULL};
	agent_model_prefix(LIG_MODEL_VPP_ACL, acl_prefix, sizeof(acl_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-acl",
					 .key_prefix = acl_prefix,
					 .validate = acl_validate,
					 .create = acl_create,
					 .update = acl_update,
					 .delete = acl_delete,
					 .equivalent = acl_equivalent,
					 .dependencies = acl_deps,
					 .retrieve = acl_retrieve,
					 .retrieve_after = after};
	return lig_sched_register(sched, &d);
}

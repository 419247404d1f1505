/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACL control plane and classifier (acl.h): the ACL table, interface lists (which enable
 * the datapath nodes on the feature arcs), the tuple-merge classifier built aside and
 * swapped in under the barrier, and the per-thread session tables.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../infra/log.h"
#include "../interface/interface.h"
#include "../vlib/module.h"
#include "acl.h"

struct lig_acl_main lig_acl_main = {
    .timeouts = {.tcp_idle = 86400, .tcp_transient = 120, .udp_idle = 600},
    .sessions_per_thread = LIG_ACL_SESSIONS_DEFAULT,
};

/* Set by node.c: enables or disables the datapath nodes of an interface's direction. */
int lig_acl_feature_set(u32 sw_if_index, enum lig_acl_dir dir, bool enable);

static inline u32
prefix_mask(u8 len)
{
	return len == 0 ? 0 : htonl(~0u << (32 - len));
}

/* -------- Rules -------- */

int
lig_acl_rule_check(struct lig_acl_rule *r, char *msg, size_t msg_size)
{
	if (r->action > LIG_ACL_PERMIT_REFLECT)
		return snprintf(msg, msg_size, "action %u unknown (0 deny, 1 permit, 2 reflect)",
				r->action),
		       -EINVAL;
	if (r->src_len > 32 || r->dst_len > 32)
		return snprintf(msg, msg_size, "prefix length above 32"), -EINVAL;
	if (r->sport_lo > r->sport_hi || r->dport_lo > r->dport_hi)
		return snprintf(msg, msg_size, "port range %u-%u / %u-%u: low above high",
				r->sport_lo, r->sport_hi, r->dport_lo, r->dport_hi),
		       -EINVAL;
	bool ports =
	    r->sport_lo != 0 || r->sport_hi != 0xffff || r->dport_lo != 0 || r->dport_hi != 0xffff;
	if (ports && r->proto != 6 && r->proto != 17 && r->proto != 1)
		return snprintf(msg, msg_size,
				"ports need proto 6 (tcp), 17 (udp) or 1 (icmp type/code), not %u",
				r->proto),
		       -EINVAL;
	bool sany = r->sport_lo == 0 && r->sport_hi == 0xffff,
	     dany = r->dport_lo == 0 && r->dport_hi == 0xffff;
	if (r->proto == 1 && ((!sany && r->sport_hi > 255) || (!dany && r->dport_hi > 255)))
		return snprintf(msg, msg_size, "icmp type and code are 0..255"), -EINVAL;
	if (r->tcp_flags_mask && r->proto != 6)
		return snprintf(msg, msg_size, "tcpflags need proto 6 (tcp), not %u", r->proto),
		       -EINVAL;
	if (r->tcp_flags_value & ~r->tcp_flags_mask)
		return snprintf(msg, msg_size, "tcpflags value 0x%x has bits outside mask 0x%x",
				r->tcp_flags_value, r->tcp_flags_mask),
		       -EINVAL;
	r->src &= prefix_mask(r->src_len);
	r->dst &= prefix_mask(r->dst_len);
	return 0;
}

static inline bool
rule_match(const struct lig_acl_rule *r, const struct lig_acl_5tuple *t)
{
	if ((t->src & prefix_mask(r->src_len)) != r->src ||
	    (t->dst & prefix_mask(r->dst_len)) != r->dst)
		return false;
	if (r->proto == 0)
		return true;
	if (t->proto != r->proto)
		return false;
	/* A non-first fragment has no L4 header: it matches on addresses and protocol
	 * (VPP's l4_match_nonfirst_fragment, on by default). */
	if (!t->l4_valid)
		return true;
	return t->sport >= r->sport_lo && t->sport <= r->sport_hi && t->dport >= r->dport_lo &&
	       t->dport <= r->dport_hi && (t->tcp_flags & r->tcp_flags_mask) == r->tcp_flags_value;
}

u32
lig_acl_match_linear(const struct lig_acl_rule *rules, u32 n, const struct lig_acl_5tuple *t)
{
	for (u32 i = 0; i < n; i++)
		if (rule_match(&rules[i], t))
			return i;
	return LIG_INVALID_INDEX;
}

/* -------- Classifier: hash-based tuple merge -------- */

/* A rule shape: which bits of the 5-tuple a group's hash key keeps. */
struct acl_shape {
	u8 src_len, dst_len;
	u8 proto; /* 0xff: exact, 0: any */
	u8 tcp_flags_mask;
	u16 sport_mask, dport_mask; /* 0xffff: exact port, 0: range checked in full */
	u32 min_rule;		    /* first rule of the group (shapes are in this order) */
};

struct acl_entry {
	u64 key[2]; /* masked tuple + shape; key[1] == ~0: empty */
	u32 start;  /* in rule_list */
	u32 count;
};

struct lig_acl_classifier {
	u32 n_shapes;
	struct acl_shape *shapes;
	u32 mask; /* entries - 1 */
	struct acl_entry *entries;
	u32 *rule_list;
};

#define ACL_SHAPES_SOFT_MAX 8

static inline void
acl_key(const struct acl_shape *s, u32 shape_id, const struct lig_acl_5tuple *t, u64 key[2])
{
	u32 src = t->src & prefix_mask(s->src_len), dst = t->dst & prefix_mask(s->dst_len);
	key[0] = (u64)src << 32 | dst;
	key[1] = (u64)(t->sport & s->sport_mask) << 48 | (u64)(t->dport & s->dport_mask) << 32 |
		 (u64)(t->proto & s->proto) << 24 | (u64)(t->tcp_flags & s->tcp_flags_mask) << 16 |
		 shape_id;
}

static inline u32
acl_hash(const u64 key[2])
{
	u64 h = key[0] * 0x9e3779b97f4a7c15ull ^ (key[1] + 0x632be59bd9b4e019ull);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (u32)h;
}

static void
rule_shape(const struct lig_acl_rule *r, struct acl_shape *s)
{
	memset(s, 0, sizeof(*s));
	s->src_len = r->src_len;
	s->dst_len = r->dst_len;
	s->proto = r->proto ? 0xff : 0;
	s->tcp_flags_mask = r->tcp_flags_mask;
	s->sport_mask = r->proto && r->sport_lo == r->sport_hi ? 0xffff : 0;
	s->dport_mask = r->proto && r->dport_lo == r->dport_hi ? 0xffff : 0;
}

/* True if shape a keeps no bit that shape r does not (a rule of shape r can be found
 * through a's table and checked in full). */
static bool
shape_covers(const struct acl_shape *a, const struct acl_shape *r)
{
	return a->src_len <= r->src_len && a->dst_len <= r->dst_len &&
	       (a->proto & ~r->proto) == 0 && (a->tcp_flags_mask & ~r->tcp_flags_mask) == 0 &&
	       (a->sport_mask & ~r->sport_mask) == 0 && (a->dport_mask & ~r->dport_mask) == 0;
}

struct acl_build_item {
	u64 key[2];
	u32 rule;
};

static int
acl_build_item_cmp(const void *pa, const void *pb)
{
	const struct acl_build_item *a = pa, *b = pb;
	if (a->key[0] != b->key[0])
		return a->key[0] < b->key[0] ? -1 : 1;
	if (a->key[1] != b->key[1])
		return a->key[1] < b->key[1] ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

void
lig_acl_classifier_free(struct lig_acl_classifier *c)
{
	if (!c)
		return;
	free(c->shapes);
	free(c->entries);
	free(c->rule_list);
	free(c);
}

struct lig_acl_classifier *
lig_acl_classifier_build(const struct lig_acl_rule *rules, u32 n)
{
	struct lig_acl_classifier *c = calloc(1, sizeof(*c));
	struct acl_build_item *items = calloc(n ? n : 1, sizeof(*items));
	u32 n_entries = 0, size = 16;

	if (!c || !items)
		goto fail;
	c->shapes = calloc(n ? n : 1, sizeof(*c->shapes));
	c->rule_list = calloc(n ? n : 1, sizeof(u32));
	if (!c->shapes || !c->rule_list)
		goto fail;
	for (u32 i = 0; i < n; i++) {
		struct acl_shape s;
		u32 k, best = LIG_INVALID_INDEX, best_bits = 0;
		rule_shape(&rules[i], &s);
		for (k = 0; k < c->n_shapes; k++) {
			const struct acl_shape *o = &c->shapes[k];
			if (o->src_len == s.src_len && o->dst_len == s.dst_len &&
			    o->proto == s.proto && o->tcp_flags_mask == s.tcp_flags_mask &&
			    o->sport_mask == s.sport_mask && o->dport_mask == s.dport_mask)
				break;
			/* Tuple merge: past a few shapes, a rule joins a less specific
			 * shape that keeps most of its address bits. */
			u32 bits = (u32)o->src_len + o->dst_len;
			if (c->n_shapes >= ACL_SHAPES_SOFT_MAX && shape_covers(o, &s) &&
			    (u32)s.src_len + s.dst_len - bits <= 16 &&
			    (best == LIG_INVALID_INDEX || bits > best_bits)) {
				best = k;
				best_bits = bits;
			}
		}
		if (k == c->n_shapes && best != LIG_INVALID_INDEX)
			k = best;
		if (k == c->n_shapes) {
			s.min_rule = i;
			c->shapes[c->n_shapes++] = s;
		}
		/* The rule's own values under the group's mask. */
		struct lig_acl_5tuple t = {.src = rules[i].src,
					   .dst = rules[i].dst,
					   .sport = rules[i].sport_lo,
					   .dport = rules[i].dport_lo,
					   .proto = rules[i].proto,
					   .tcp_flags = rules[i].tcp_flags_value};
		acl_key(&c->shapes[k], k, &t, items[i].key);
		items[i].rule = i;
	}
	qsort(items, n, sizeof(*items), acl_build_item_cmp);
	for (u32 i = 0; i < n; i++)
		if (i == 0 || items[i].key[0] != items[i - 1].key[0] ||
		    items[i].key[1] != items[i - 1].key[1])
			n_entries++;
	while (size < 2 * n_entries)
		size <<= 1;
	c->entries = malloc(size * sizeof(*c->entries));
	if (!c->entries)
		goto fail;
	for (u32 i = 0; i < size; i++)
		c->entries[i].key[1] = ~0ull;
	c->mask = size - 1;
	for (u32 i = 0; i < n;) {
		u32 j = i;
		while (j < n && items[j].key[0] == items[i].key[0] &&
		       items[j].key[1] == items[i].key[1]) {
			c->rule_list[j] = items[j].rule;
			j++;
		}
		u32 h = acl_hash(items[i].key) & c->mask;
		while (c->entries[h].key[1] != ~0ull)
			h = (h + 1) & c->mask;
		c->entries[h].key[0] = items[i].key[0];
		c->entries[h].key[1] = items[i].key[1];
		c->entries[h].start = i;
		c->entries[h].count = j - i;
		i = j;
	}
	free(items);
	return c;
fail:
	free(items);
	lig_acl_classifier_free(c);
	errno = ENOMEM;
	return NULL;
}

u32
lig_acl_classifier_n_shapes(const struct lig_acl_classifier *c)
{
	return c ? c->n_shapes : 0;
}

u32
lig_acl_classify(const struct lig_acl_classifier *c, const struct lig_acl_rule *rules,
		 const struct lig_acl_5tuple *t)
{
	u32 best = LIG_INVALID_INDEX;

	if (!c)
		return best;
	/* Non-first fragments ignore ports and flags, which the keys hold: the rare case
	 * takes the rules in order. */
	if (lig_unlikely(!t->l4_valid)) {
		u32 n = 0;
		for (u32 k = 0; k <= c->mask; k++)
			n += c->entries[k].key[1] != ~0ull ? c->entries[k].count : 0;
		return lig_acl_match_linear(rules, n, t);
	}
	for (u32 s = 0; s < c->n_shapes; s++) {
		const struct acl_shape *sh = &c->shapes[s];
		u64 key[2];
		if (sh->min_rule >= best)
			break;
		acl_key(sh, s, t, key);
		u32 h = acl_hash(key) & c->mask;
		for (;;) {
			const struct acl_entry *e = &c->entries[h];
			if (e->key[1] == ~0ull)
				break;
			if (e->key[0] == key[0] && e->key[1] == key[1]) {
				for (u32 i = 0; i < e->count; i++) {
					u32 r = c->rule_list[e->start + i];
					if (r >= best)
						break;
					if (rule_match(&rules[r], t)) {
						best = r;
						break;
					}
				}
				break;
			}
			h = (h + 1) & c->mask;
		}
	}
	return best;
}

/* -------- Packet parsing -------- */

int
lig_acl_parse_ip4(const u8 *ip, u32 avail, struct lig_acl_5tuple *t)
{
	if (avail < 20 || (ip[0] >> 4) != 4)
		return LIG_ACL_PARSE_BAD_IP;
	u32 ihl = (ip[0] & 0xf) * 4u, total = (u32)ip[2] << 8 | ip[3];
	if (ihl < 20 || ihl > avail || total < ihl)
		return LIG_ACL_PARSE_BAD_IP;
	/* What the packet really holds: its total length, or what the buffer has. */
	u32 len = LIG_MIN(total, avail);
	u16 frag = (u16)(ip[6] << 8 | ip[7]);
	memset(t, 0, sizeof(*t));
	memcpy(&t->src, ip + 12, 4);
	memcpy(&t->dst, ip + 16, 4);
	t->proto = ip[9];
	if (frag & 0x1fff)
		return LIG_ACL_PARSE_OK; /* non-first fragment: l4_valid 0 */
	const u8 *l4 = ip + ihl;
	u32 l4_len = len - ihl;
	t->l4_valid = 1;
	switch (t->proto) {
	case 6:
		if (l4_len < 14)
			return LIG_ACL_PARSE_SHORT_L4;
		t->sport = (u16)(l4[0] << 8 | l4[1]);
		t->dport = (u16)(l4[2] << 8 | l4[3]);
		t->tcp_flags = l4[13];
		break;
	case 17:
		if (l4_len < 4)
			return LIG_ACL_PARSE_SHORT_L4;
		t->sport = (u16)(l4[0] << 8 | l4[1]);
		t->dport = (u16)(l4[2] << 8 | l4[3]);
		break;
	case 1:
		if (l4_len < 2)
			return LIG_ACL_PARSE_SHORT_L4;
		t->sport = l4[0]; /* type */
		t->dport = l4[1]; /* code */
		/* Queries and their replies carry an identifier (RFC 792). */
		if (l4_len >= 8 && (l4[0] == 8 || l4[0] == 13 || l4[0] == 15 || l4[0] == 17 ||
				    lig_acl_icmp_is_reply(l4[0])))
			t->icmp_id = (u16)(l4[4] << 8 | l4[5]);
		break;
	default:
		break;
	}
	return LIG_ACL_PARSE_OK;
}

int
lig_acl_parse_icmp_error(const u8 *ip, u32 avail, const struct lig_acl_5tuple *outer,
			 struct lig_acl_5tuple *inner)
{
	if (outer->proto != 1 || !outer->l4_valid ||
	    (outer->sport != 3 && outer->sport != 11 && outer->sport != 12))
		return -1;
	u32 ihl = (ip[0] & 0xf) * 4u, total = (u32)ip[2] << 8 | ip[3];
	u32 len = LIG_MIN(total, avail);
	if (len < ihl + 8 + 20)
		return -1;
	const u8 *q = ip + ihl + 8; /* the quoted IPv4 header */
	u32 qlen = len - ihl - 8, qihl = (q[0] & 0xf) * 4u;
	if ((q[0] >> 4) != 4 || qihl < 20 || qlen < qihl + 8)
		return -1;
	const u8 *l4 = q + qihl;
	memset(inner, 0, sizeof(*inner));
	memcpy(&inner->src, q + 12, 4);
	memcpy(&inner->dst, q + 16, 4);
	inner->proto = q[9];
	inner->l4_valid = 1;
	if (inner->proto == 6 || inner->proto == 17) {
		inner->sport = (u16)(l4[0] << 8 | l4[1]);
		inner->dport = (u16)(l4[2] << 8 | l4[3]);
	} else if (inner->proto == 1) {
		inner->sport = l4[0];
		inner->dport = l4[1];
		inner->icmp_id = (u16)(l4[4] << 8 | l4[5]);
	}
	return 0;
}

/* -------- ACLs -------- */

const struct lig_acl *
lig_acl_get(u32 index)
{
	return index < LIG_ACL_MAX && lig_acl_main.acls[index].in_use ? &lig_acl_main.acls[index]
								      : NULL;
}

static void
acl_free_parts(struct lig_acl_rule *rules, struct lig_acl_classifier *cls,
	       struct lig_acl_counter **counters)
{
	free(rules);
	lig_acl_classifier_free(cls);
	for (u32 t = 0; t < LIG_THREAD_MAX; t++)
		free(counters[t]);
}

int
lig_acl_add_replace(u32 *index, const struct lig_acl_rule *rules, u32 n, const char *tag, char *msg,
		    size_t msg_size)
{
	struct lig_acl_main *am = &lig_acl_main;
	struct lig_acl_counter *counters[LIG_THREAD_MAX] = {0};
	struct lig_acl_rule *copy;
	struct lig_acl_classifier *cls;
	u32 idx = *index;
	int rv;

	if (n > LIG_ACL_MAX_RULES)
		return snprintf(msg, msg_size, "%u rules: at most %u", n, LIG_ACL_MAX_RULES),
		       -EINVAL;
	if (idx == LIG_INVALID_INDEX) {
		for (idx = 0; idx < LIG_ACL_MAX && am->acls[idx].in_use; idx++)
			;
		if (idx == LIG_ACL_MAX)
			return snprintf(msg, msg_size, "no free ACL index (at most %u ACLs)",
					LIG_ACL_MAX),
			       -ENOSPC;
	} else if (idx >= LIG_ACL_MAX) {
		return snprintf(msg, msg_size, "ACL index %u out of range (0..%u)", idx,
				LIG_ACL_MAX - 1),
		       -EINVAL;
	}
	copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy)
		return snprintf(msg, msg_size, "out of memory"), -ENOMEM;
	memcpy(copy, rules, n * sizeof(*copy));
	for (u32 i = 0; i < n; i++) {
		char why[128];
		if ((rv = lig_acl_rule_check(&copy[i], why, sizeof(why))) < 0) {
			free(copy);
			return snprintf(msg, msg_size, "rule %u: %s", i, why), rv;
		}
	}
	cls = lig_acl_classifier_build(copy, n);
	rv = cls ? 0 : -ENOMEM;
	for (u32 t = 0; rv == 0 && t < LIG_THREAD_MAX && t < LIG_MAX(lig_n_threads, 1u); t++)
		if (!(counters[t] = calloc(n ? n : 1, sizeof(struct lig_acl_counter))))
			rv = -ENOMEM;
	if (rv < 0) {
		acl_free_parts(copy, cls, counters);
		return snprintf(msg, msg_size, "out of memory"), rv;
	}
	/* Swap under the barrier; the old parts are freed once workers stand still. */
	lig_barrier_sync();
	lig_barrier_kind("acl add/replace");
	struct lig_acl *a = &am->acls[idx];
	struct lig_acl old = *a;
	a->rules = copy;
	a->n_rules = n;
	a->cls = cls;
	memcpy(a->counters, counters, sizeof(counters));
	snprintf(a->tag, sizeof(a->tag), "%s", tag ? tag : "");
	a->in_use = true;
	lig_barrier_release();
	if (old.in_use)
		acl_free_parts(old.rules, old.cls, old.counters);
	*index = idx;
	return 0;
}

int
lig_acl_del(u32 index)
{
	struct lig_acl *a = index < LIG_ACL_MAX ? &lig_acl_main.acls[index] : NULL;

	if (!a || !a->in_use)
		return -ENOENT;
	if (a->n_applied)
		return -EBUSY;
	lig_barrier_sync();
	lig_barrier_kind("acl delete");
	struct lig_acl old = *a;
	memset(a, 0, sizeof(*a));
	lig_barrier_release();
	acl_free_parts(old.rules, old.cls, old.counters);
	return 0;
}

void
lig_acl_rule_counter(u32 index, u32 rule, struct lig_acl_counter *sum)
{
	const struct lig_acl *a = lig_acl_get(index);

	memset(sum, 0, sizeof(*sum));
	if (!a || rule >= a->n_rules)
		return;
	for (u32 t = 0; t < LIG_THREAD_MAX; t++) {
		if (!a->counters[t])
			continue;
		sum->packets += lig_counter_get(&a->counters[t][rule].packets);
		sum->bytes += lig_counter_get(&a->counters[t][rule].bytes);
	}
}

void
lig_acl_clear_counters(void)
{
	lig_barrier_sync();
	for (u32 i = 0; i < LIG_ACL_MAX; i++) {
		struct lig_acl *a = &lig_acl_main.acls[i];
		for (u32 t = 0; a->in_use && t < LIG_THREAD_MAX; t++)
			if (a->counters[t])
				memset(a->counters[t], 0, a->n_rules * sizeof(*a->counters[t]));
	}
	lig_barrier_release();
}

/* -------- Interfaces -------- */

static int acl_tables_ensure(void);

int
lig_acl_if_set(u32 sw_if_index, enum lig_acl_dir dir, const u32 *acls, u32 n)
{
	struct lig_acl_main *am = &lig_acl_main;

	if (!lig_if_get(sw_if_index) || sw_if_index >= LIG_ACL_IF_MAX)
		return -ENOENT;
	if (dir > LIG_ACL_OUTPUT || n > LIG_ACL_MAX_PER_IF)
		return -EINVAL;
	for (u32 i = 0; i < n; i++) {
		if (!lig_acl_get(acls[i]))
			return -ENOENT;
		for (u32 j = 0; j < i; j++)
			if (acls[j] == acls[i])
				return -EEXIST;
	}
	int rv = n ? acl_tables_ensure() : 0;
	if (rv < 0)
		return rv;
	lig_barrier_sync();
	lig_barrier_kind("acl interface list");
	struct lig_acl_if *li = &am->ifs[sw_if_index];
	bool was = li->n[dir] != 0;
	if (n && !was && (rv = lig_acl_feature_set(sw_if_index, dir, true)) < 0)
		goto done;
	for (u32 i = 0; i < li->n[dir]; i++)
		am->acls[li->acls[dir][i]].n_applied--;
	for (u32 i = 0; i < n; i++) {
		li->acls[dir][i] = (u16)acls[i];
		am->acls[acls[i]].n_applied++;
	}
	li->n[dir] = (u8)n;
	if (!n && was)
		lig_acl_feature_set(sw_if_index, dir, false);
	/* The policy changed: sessions it let in are judged again (as VPP's policy epoch). */
	lig_acl_sessions_flush(sw_if_index);
done:
	lig_barrier_release();
	return rv;
}

int
lig_acl_if_add_del(u32 sw_if_index, enum lig_acl_dir dir, u32 acl, bool is_add)
{
	u32 list[LIG_ACL_MAX_PER_IF], n = 0, found = 0;

	if (!lig_if_get(sw_if_index) || sw_if_index >= LIG_ACL_IF_MAX)
		return -ENOENT;
	if (dir > LIG_ACL_OUTPUT)
		return -EINVAL;
	const struct lig_acl_if *li = &lig_acl_main.ifs[sw_if_index];
	for (u32 i = 0; i < li->n[dir]; i++) {
		if (li->acls[dir][i] == acl) {
			found = 1;
			if (!is_add)
				continue;
		}
		list[n++] = li->acls[dir][i];
	}
	if (is_add) {
		if (found)
			return -EEXIST;
		if (n == LIG_ACL_MAX_PER_IF)
			return -ENOSPC;
		list[n++] = acl;
	} else if (!found) {
		return -ENOENT;
	}
	return lig_acl_if_set(sw_if_index, dir, list, n);
}

static void
acl_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev != LIG_IF_EVENT_DELETE || ifp->sw_if_index >= LIG_ACL_IF_MAX)
		return;
	for (u32 d = 0; d < 2; d++)
		if (lig_acl_main.ifs[ifp->sw_if_index].n[d])
			lig_acl_if_set(ifp->sw_if_index, d, NULL, 0);
}

/* -------- Sessions -------- */

static void
acl_timeouts_tsc(void)
{
	struct lig_acl_main *am = &lig_acl_main;
	double hz = lig_tsc_hz();
	am->timeout_tsc[0] = (u64)(am->timeouts.tcp_transient * hz);
	am->timeout_tsc[1] = (u64)(am->timeouts.tcp_idle * hz);
	am->timeout_tsc[2] = (u64)(am->timeouts.udp_idle * hz);
}

static void
acl_table_free(struct lig_acl_session_table *st)
{
	if (!st)
		return;
	free(st->sessions);
	free(st->slots);
	free(st->if_count);
	free(st);
}

static struct lig_acl_session_table *
acl_table_new(u32 n)
{
	struct lig_acl_session_table *st = calloc(1, sizeof(*st));
	u32 slots = 16;

	while (slots < 4 * n)
		slots <<= 1;
	if (!st)
		return NULL;
	st->sessions = calloc(n, sizeof(*st->sessions));
	st->slots = calloc(slots, sizeof(*st->slots));
	st->if_count = calloc(LIG_ACL_IF_MAX, sizeof(u32));
	if (!st->sessions || !st->slots || !st->if_count) {
		acl_table_free(st);
		return NULL;
	}
	st->n_sessions = n;
	st->slot_mask = slots - 1;
	for (u32 i = 0; i < n; i++)
		st->sessions[i].next_free = i + 1 < n ? i + 1 : LIG_INVALID_INDEX;
	st->free_head = 0;
	return st;
}

/* Main: every thread has its table (allocated when the first list is applied). */
static int
acl_tables_ensure(void)
{
	struct lig_acl_main *am = &lig_acl_main;
	u32 nt = LIG_MAX(lig_n_threads, 1u);

	struct lig_acl_session_table *fresh[LIG_THREAD_MAX] = {0};
	bool any = false;

	if (!am->timeout_tsc[0])
		acl_timeouts_tsc();
	/* Built without the barrier (megabytes for the default size), published in one. */
	for (u32 t = 0; t < nt && t < LIG_THREAD_MAX; t++) {
		if (am->tables[t])
			continue;
		if (!(fresh[t] = acl_table_new(am->sessions_per_thread))) {
			for (u32 k = 0; k < t; k++)
				acl_table_free(fresh[k]);
			return -ENOMEM;
		}
		any = true;
	}
	if (!any)
		return 0;
	lig_barrier_sync();
	lig_barrier_kind("acl session tables");
	for (u32 t = 0; t < nt && t < LIG_THREAD_MAX; t++)
		if (fresh[t])
			am->tables[t] = fresh[t];
	lig_barrier_release();
	return 0;
}

struct lig_acl_session_table *
lig_acl_session_table_get(u32 thread)
{
	if (thread >= LIG_THREAD_MAX)
		return NULL;
	if (!lig_acl_main.tables[thread] && lig_thread_index == 0)
		acl_tables_ensure();
	return lig_acl_main.tables[thread];
}

int
lig_acl_session_config(u32 per_thread, u32 per_if, const struct lig_acl_timeouts *t)
{
	struct lig_acl_main *am = &lig_acl_main;

	if (per_thread == 0 || per_thread > LIG_ACL_SESSIONS_MAX || !t || !t->tcp_idle ||
	    !t->tcp_transient || !t->udp_idle)
		return -EINVAL;
	struct lig_acl_session_table *fresh[LIG_THREAD_MAX] = {0};
	bool resize = per_thread != am->sessions_per_thread;
	for (u32 i = 0; resize && i < LIG_THREAD_MAX; i++) {
		if (!am->tables[i])
			continue;
		if (!(fresh[i] = acl_table_new(per_thread))) {
			for (u32 j = 0; j < i; j++)
				acl_table_free(fresh[j]);
			return -ENOMEM;
		}
	}
	lig_barrier_sync();
	lig_barrier_kind("acl session config");
	am->timeouts = *t;
	am->sessions_per_if = per_if;
	am->sessions_per_thread = per_thread;
	acl_timeouts_tsc();
	for (u32 i = 0; resize && i < LIG_THREAD_MAX; i++) {
		struct lig_acl_session_table *old = am->tables[i];
		am->tables[i] = fresh[i];
		fresh[i] = old;
	}
	lig_barrier_release();
	for (u32 i = 0; resize && i < LIG_THREAD_MAX; i++)
		acl_table_free(fresh[i]);
	return 0;
}

static inline u32
skey_hash(const u64 k[2])
{
	return acl_hash(k);
}

/* Writes a slot (owner thread only) so readers on other threads never use a torn one. */
static inline void
slot_write(struct lig_acl_sslot *sl, const u64 key[2], u32 value)
{
	u32 seq = __atomic_load_n(&sl->seq, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&sl->key[0], key[0], __ATOMIC_RELAXED);
	__atomic_store_n(&sl->key[1], key[1], __ATOMIC_RELAXED);
	__atomic_store_n(&sl->value, value, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Reads a consistent slot; false if it changed under us too often (treated as a miss). */
static inline bool
slot_read(const struct lig_acl_sslot *sl, u64 key[2], u32 *value)
{
	for (int tries = 0; tries < 4; tries++) {
		u32 s1 = __atomic_load_n(&sl->seq, __ATOMIC_ACQUIRE);
		if (s1 & 1)
			continue;
		key[0] = __atomic_load_n(&sl->key[0], __ATOMIC_RELAXED);
		key[1] = __atomic_load_n(&sl->key[1], __ATOMIC_RELAXED);
		*value = __atomic_load_n(&sl->value, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&sl->seq, __ATOMIC_RELAXED) == s1)
			return true;
	}
	return false;
}

static inline void
skey_words(const struct lig_acl_skey *k, u64 w[2])
{
	memcpy(w, k, sizeof(*k));
}

/* Slot of key in st, or LIG_INVALID_INDEX; *value the session index + 1. */
static u32
table_lookup(const struct lig_acl_session_table *st, const u64 w[2], u32 *value)
{
	u32 h = skey_hash(w) & st->slot_mask;
	for (u32 probes = 0; probes <= st->slot_mask; probes++) {
		u64 k[2];
		u32 v;
		if (!slot_read(&st->slots[h], k, &v))
			return LIG_INVALID_INDEX;
		if (v == 0)
			return LIG_INVALID_INDEX;
		if (k[0] == w[0] && k[1] == w[1]) {
			*value = v;
			return h;
		}
		h = (h + 1) & st->slot_mask;
	}
	return LIG_INVALID_INDEX;
}

static void
table_insert(struct lig_acl_session_table *st, const u64 w[2], u32 value)
{
	u32 h = skey_hash(w) & st->slot_mask;
	while (st->slots[h].value != 0)
		h = (h + 1) & st->slot_mask;
	slot_write(&st->slots[h], w, value);
}

/* Linear probing's deletion by backward shift: no tombstones, so a full sweep never
 * needs a rehash. */
static void
table_remove(struct lig_acl_session_table *st, u32 h)
{
	const u64 zero[2] = {0, 0};
	u32 i = h;
	for (;;) {
		u32 j = (i + 1) & st->slot_mask;
		for (;; j = (j + 1) & st->slot_mask) {
			const struct lig_acl_sslot *s = &st->slots[j];
			if (s->value == 0) {
				slot_write(&st->slots[i], zero, 0);
				return;
			}
			u32 home = skey_hash(s->key) & st->slot_mask;
			/* Movable into i unless its home lies cyclically in (i, j]. */
			bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
			if (!stays)
				break;
		}
		u64 k[2] = {st->slots[j].key[0], st->slots[j].key[1]};
		slot_write(&st->slots[i], k, st->slots[j].value);
		i = j;
	}
}

struct lig_acl_session_table *
lig_acl_session_find(const struct lig_acl_skey *k, u32 *index, bool *reverse)
{
	struct lig_acl_main *am = &lig_acl_main;
	u32 self = lig_thread_index, nt = LIG_MAX(lig_n_threads, 1u);
	u64 w[2];

	skey_words(k, w);
	for (u32 n = 0; n < nt && n < LIG_THREAD_MAX; n++) {
		u32 t = n == 0 ? self : (n <= self ? n - 1 : n);
		struct lig_acl_session_table *st = am->tables[t];
		u32 v;
		if (!st || table_lookup(st, w, &v) == LIG_INVALID_INDEX)
			continue;
		*index = v - 1;
		/* The forward key is stored in the session itself. */
		if (t == self) {
			*reverse = memcmp(&st->sessions[v - 1].key, k, sizeof(*k)) != 0;
		} else {
			/* Another thread's session: its fields are the owner's; only the key
			 * decides (forward keys carry the direction it was created in). */
			*reverse = true;
		}
		return st;
	}
	return NULL;
}

void
lig_acl_session_delete(struct lig_acl_session_table *st, u32 si)
{
	struct lig_acl_session *s = &st->sessions[si];
	struct lig_acl_skey rk;
	u64 w[2];
	u32 v, h;

	if (!s->in_use)
		return;
	skey_words(&s->key, w);
	if ((h = table_lookup(st, w, &v)) != LIG_INVALID_INDEX)
		table_remove(st, h);
	lig_acl_skey_reverse(&s->key, &rk);
	skey_words(&rk, w);
	if ((h = table_lookup(st, w, &v)) != LIG_INVALID_INDEX)
		table_remove(st, h);
	/* Other threads read the counts (lig_acl_sessions_maybe): atomic stores. */
	if (s->sw_if_index < LIG_ACL_IF_MAX && st->if_count[s->sw_if_index])
		__atomic_store_n(&st->if_count[s->sw_if_index], st->if_count[s->sw_if_index] - 1,
				 __ATOMIC_RELAXED);
	s->in_use = 0;
	s->next_free = st->free_head;
	st->free_head = si;
	st->n_used--;
}

bool
lig_acl_session_expired(const struct lig_acl_session *s, u64 now)
{
	return lig_acl_session_expired_proto(s, s->key.proto, now);
}

bool
lig_acl_session_expired_proto(const struct lig_acl_session *s, u8 proto, u64 now)
{
	const struct lig_acl_main *am = &lig_acl_main;
	u64 timeout;

	if (proto == 6) {
		u8 seen = lig_acl_session_tcp_seen(s);
		bool established =
		    (seen & (LIG_ACL_SEEN_SYN_FWD | LIG_ACL_SEEN_SYN_REV)) ==
			(LIG_ACL_SEEN_SYN_FWD | LIG_ACL_SEEN_SYN_REV) &&
		    !(seen & (LIG_ACL_SEEN_FIN_FWD | LIG_ACL_SEEN_FIN_REV | LIG_ACL_SEEN_RST));
		timeout = am->timeout_tsc[established ? 1 : 0];
	} else {
		timeout = am->timeout_tsc[2];
	}
	u64 last = lig_acl_session_last(s);
	return now > last && now - last > timeout;
}

void
lig_acl_session_update(struct lig_acl_session *s, const struct lig_acl_5tuple *t, bool reverse,
		       u64 now)
{
	lig_acl_session_touch(s, now);
	s->packets++;
	lig_acl_session_seen(s, lig_acl_tcp_seen_bits(t, reverse));
}

int
lig_acl_session_create(struct lig_acl_session_table *st, const struct lig_acl_skey *fwd,
		       u32 sw_if_index, u64 now, u32 *index)
{
	struct lig_acl_main *am = &lig_acl_main;

	if (st->free_head == LIG_INVALID_INDEX)
		lig_acl_session_age(st, now, 256);
	if (st->free_head == LIG_INVALID_INDEX) {
		st->full++;
		return -ENOSPC;
	}
	if (sw_if_index >= LIG_ACL_IF_MAX ||
	    (am->sessions_per_if && st->if_count[sw_if_index] >= am->sessions_per_if)) {
		st->if_full++;
		return -EDQUOT;
	}
	u32 si = st->free_head;
	struct lig_acl_session *s = &st->sessions[si];
	st->free_head = s->next_free;
	/* Field by field: another thread may still touch last_active of the session that had
	 * this slot (a memset would race with it). */
	s->key = *fwd;
	s->sw_if_index = sw_if_index;
	lig_acl_session_touch(s, now);
	s->packets = 0;
	__atomic_store_n(&s->tcp_seen, 0, __ATOMIC_RELAXED);
	s->in_use = 1;
	s->next_free = LIG_INVALID_INDEX;
	u64 w[2];
	skey_words(fwd, w);
	table_insert(st, w, si + 1);
	struct lig_acl_skey rk;
	lig_acl_skey_reverse(fwd, &rk);
	skey_words(&rk, w);
	table_insert(st, w, si + 1);
	__atomic_store_n(&st->if_count[sw_if_index], st->if_count[sw_if_index] + 1,
			 __ATOMIC_RELAXED);
	st->n_used++;
	st->created++;
	*index = si;
	return 0;
}

u32
lig_acl_session_age(struct lig_acl_session_table *st, u64 now, u32 n)
{
	u32 expired = 0;

	if (!st->n_used)
		return 0;
	for (u32 k = 0; k < n && k < st->n_sessions; k++) {
		u32 si = st->age_cursor;
		st->age_cursor = si + 1 < st->n_sessions ? si + 1 : 0;
		struct lig_acl_session *s = &st->sessions[si];
		if (s->in_use && lig_acl_session_expired(s, now)) {
			lig_acl_session_delete(st, si);
			expired++;
		}
	}
	st->expired += expired;
	return expired;
}

void
lig_acl_sessions_expire_all(void)
{
	u64 now = lig_rdtsc();
	lig_barrier_sync();
	for (u32 t = 0; t < LIG_THREAD_MAX; t++)
		if (lig_acl_main.tables[t])
			lig_acl_session_age(lig_acl_main.tables[t], now,
					    lig_acl_main.tables[t]->n_sessions);
	lig_barrier_release();
}

void
lig_acl_sessions_flush(u32 sw_if_index)
{
	lig_barrier_sync();
	for (u32 t = 0; t < LIG_THREAD_MAX; t++) {
		struct lig_acl_session_table *st = lig_acl_main.tables[t];
		/* Most list changes are on interfaces without sessions: no sweep (it would hold
		 * the barrier for a walk of the whole table). */
		if (st && sw_if_index < LIG_ACL_IF_MAX && !st->if_count[sw_if_index])
			continue;
		for (u32 i = 0; st && i < st->n_sessions && st->n_used; i++)
			if (st->sessions[i].in_use && (sw_if_index == LIG_INVALID_INDEX ||
						       st->sessions[i].sw_if_index == sw_if_index))
				lig_acl_session_delete(st, i);
	}
	lig_barrier_release();
}

/* -------- Module -------- */

int lig_acl_node_init(void);

static int
lig_acl_module_init(void)
{
	acl_timeouts_tsc();
	int rv = lig_acl_node_init();
	if (rv < 0)
		return rv;
	return lig_if_subscribe("acl", acl_if_event, NULL);
}

LIG_MODULE(acl, .init = lig_acl_module_init, .depends = {"interface", "ip4", "l2"});

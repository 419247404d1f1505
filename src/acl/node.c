/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACL datapath (acl.h): four nodes with VPP's names, one per place a list applies:
 * acl-plugin-in-ip4-fa (ip4.h's input features, between ip4-input and ip4-lookup),
 * acl-plugin-out-ip4-fa (feature arc ip4-output, after ip4-rewrite), acl-plugin-in-ip4-l2
 * and acl-plugin-out-ip4-l2 (arcs l2-input and l2-output: bridge-domain ports). Each looks
 * the packet up in the reflect sessions, then classifies it through the interface's list,
 * counts the rule's hit on its own thread and passes, creates a session or drops.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/feature.h"
#include "../vlib/graph.h"
#include "../vlib/trace.h"
#include "acl.h"

#define foreach_acl_error                                                                          \
	_(PERMIT, "permitted by a rule")                                                           \
	_(DENY, "denied by a rule")                                                                \
	_(DEFAULT_DENY, "no rule matched (default deny)")                                          \
	_(SESSION_HIT, "passed by a reflect session")                                              \
	_(SESSION_ICMP, "ICMP errors about a session's packets passed")                            \
	_(SESSION_NEW, "reflect sessions created")                                                 \
	_(SESSION_FULL, "session table full (new flow dropped)")                                   \
	_(SESSION_IF_FULL, "interface session limit reached (new flow dropped)")                   \
	_(BAD_IP4, "malformed IPv4 header (dropped)")                                              \
	_(SHORT_L4, "L4 header cut short, or a tiny first fragment (dropped)")                     \
	_(FRAGMENT, "non-first fragments (matched on addresses and protocol)")                     \
	_(NON_IP, "non-IP frames passed (L2)")                                                     \
	_(IP6, "IPv6 frames denied (IPv4 rules only: default deny)")                               \
	_(NO_FEATURE, "ACL removed from the interface while queued (dropped)")

enum {
#define _(sym, str) LIG_ACL_ERROR_##sym,
	foreach_acl_error
#undef _
	    LIG_ACL_N_ERROR,
};

static const char *const lig_acl_error_strings[] = {
#define _(sym, str) str,
    foreach_acl_error
#undef _
};

enum {
	LIG_ACL_NEXT_DROP,
	LIG_ACL_N_NEXT,
};

struct lig_acl_trace {
	u32 sw_if_index;
	u32 acl_index; /* ~0: none matched or a session */
	u32 rule_index;
	u8 dir;
	u8 action; /* 0 deny, 1 permit, 2 reflect, 3 session hit, 4 drop (error) */
	u8 proto;
	u8 pad;
	u32 src, dst;
	u16 sport, dport;
};

static void
lig_acl_format_trace(struct lig_str *s, const void *record)
{
	static const char *const actions[] = {"deny", "permit", "permit+reflect", "session",
					      "drop"};
	const struct lig_acl_trace *t = record;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->src, a, sizeof(a));
	inet_ntop(AF_INET, &t->dst, b, sizeof(b));
	lig_str_printf(s, "acl: sw_if_index %u %s %s:%u -> %s:%u proto %u: %s", t->sw_if_index,
		       t->dir ? "output" : "input", a, t->sport, b, t->dport, t->proto,
		       actions[t->action < 5 ? t->action : 4]);
	if (t->acl_index != LIG_INVALID_INDEX)
		lig_str_printf(s, " (acl %u rule %u)", t->acl_index, t->rule_index);
}

static i32 lig_acl_ip4_feature = -1;

/* The arc towards what follows this node on the interface, or LIG_FEATURE_NEXT_NONE. */
static inline u16
acl_next(const struct lig_node *node, u32 sw, bool is_output, bool is_l2)
{
	if (!is_l2 && !is_output) {
		if (lig_unlikely(sw >= LIG_IF_MAX || lig_acl_ip4_feature < 0 ||
				 !(lig_ip4_features.enabled[sw] & (1u << lig_acl_ip4_feature))))
			return LIG_FEATURE_NEXT_NONE;
		return lig_ip4_feature_next((u32)lig_acl_ip4_feature, sw);
	}
	return lig_feature_next(
	    node,
	    is_l2 ? (is_output ? LIG_FEATURE_ARC_L2_OUTPUT : LIG_FEATURE_ARC_L2_INPUT)
		  : LIG_FEATURE_ARC_IP4_OUTPUT,
	    sw);
}

/* One packet: returns the error code (LIG_ACL_N_ERROR: pass). */
static inline u32
acl_one(struct lig_buffer *b, u32 sw, bool is_output, bool is_l2, u64 now, u32 *counts,
	struct lig_acl_trace *tr)
{
	struct lig_acl_main *am = &lig_acl_main;
	const u8 *ip = lig_buffer_data(b);
	u32 avail = b->current_length;
	u8 dir = is_output ? LIG_ACL_OUTPUT : LIG_ACL_INPUT;
	struct lig_acl_5tuple t;

	if (is_l2 || is_output) {
		if (lig_unlikely(avail < LIG_ETHERNET_HEADER_SIZE))
			return LIG_ACL_ERROR_BAD_IP4;
		u16 type = (u16)(ip[12] << 8 | ip[13]);
		if (lig_unlikely(type != 0x0800)) {
			if (type == 0x86dd)
				return LIG_ACL_ERROR_IP6;
			counts[LIG_ACL_ERROR_NON_IP]++;
			return LIG_ACL_N_ERROR;
		}
		ip += LIG_ETHERNET_HEADER_SIZE;
		avail -= LIG_ETHERNET_HEADER_SIZE;
	}
	int pr = lig_acl_parse_ip4(ip, avail, &t);
	if (lig_unlikely(pr < 0))
		return pr == LIG_ACL_PARSE_BAD_IP ? LIG_ACL_ERROR_BAD_IP4 : LIG_ACL_ERROR_SHORT_L4;
	if (lig_unlikely(!t.l4_valid))
		counts[LIG_ACL_ERROR_FRAGMENT]++;
	if (tr) {
		tr->src = t.src;
		tr->dst = t.dst;
		tr->sport = t.sport;
		tr->dport = t.dport;
		tr->proto = t.proto;
	}

	struct lig_acl_session_table *own = am->tables[lig_thread_index];
	if (t.l4_valid && own && lig_acl_sessions_maybe(sw)) {
		struct lig_acl_skey k;
		u32 si;
		bool reverse;
		lig_acl_skey_make(&k, &t, sw, dir);
		struct lig_acl_session_table *st = lig_acl_session_find(&k, &si, &reverse);
		if (st == own) {
			struct lig_acl_session *s = &own->sessions[si];
			if (lig_unlikely(lig_acl_session_expired(s, now))) {
				lig_acl_session_delete(own, si); /* then judged as new */
			} else {
				lig_acl_session_update(s, &t, reverse, now);
				counts[LIG_ACL_ERROR_SESSION_HIT]++;
				if (tr)
					tr->action = 3;
				return LIG_ACL_N_ERROR;
			}
		} else if (st && !lig_acl_session_expired_proto(&st->sessions[si], k.proto, now)) {
			/* (An expired one is left to its owner, who may not have swept it yet
			 * because it receives nothing: refreshing it would revive a timed-out
			 * session; the packet is judged as new instead.)
			 * Another worker's session: keep it alive (its owner ages it) and record
			 * the packet's TCP flags (with the rx queues of a flow's two interfaces
			 * on different workers, its replies are only ever seen here: without
			 * their SYN it would never be established and age out as transient).
			 * Should the owner have reused the slot since the lookup (a window of a few
			 * instructions), the newcomer gets the refresh and the flags: at worst a
			 * stale FIN makes it age as transient. */
			lig_acl_session_touch(&st->sessions[si], now);
			lig_acl_session_seen(&st->sessions[si], lig_acl_tcp_seen_bits(&t, reverse));
			counts[LIG_ACL_ERROR_SESSION_HIT]++;
			if (tr)
				tr->action = 3;
			return LIG_ACL_N_ERROR;
		}
		/* An ICMP error about a session's packet (it crossed this interface the other
		 * way): it belongs to the session, as the kernel's conntrack RELATED. */
		struct lig_acl_5tuple in;
		if (lig_unlikely(t.proto == 1) &&
		    lig_acl_parse_icmp_error(ip, avail, &t, &in) == 0) {
			lig_acl_skey_make(&k, &in, sw, (u8)!dir);
			if (lig_acl_session_find(&k, &si, &reverse)) {
				counts[LIG_ACL_ERROR_SESSION_ICMP]++;
				if (tr)
					tr->action = 3;
				return LIG_ACL_N_ERROR;
			}
		}
	}

	const struct lig_acl_if *li = &am->ifs[sw];
	/* No list in this direction (the node outlived it): nothing to check, as VPP. */
	if (lig_unlikely(li->n[dir] == 0))
		return LIG_ACL_N_ERROR;
	for (u32 i = 0; i < li->n[dir]; i++) {
		u32 ai = li->acls[dir][i];
		struct lig_acl *a = &am->acls[ai];
		u32 r = lig_acl_classify(a->cls, a->rules, &t);
		if (r == LIG_INVALID_INDEX)
			continue;
		struct lig_acl_counter *c = a->counters[lig_thread_index];
		if (lig_likely(c != NULL)) {
			lig_counter_add(&c[r].packets, 1);
			lig_counter_add(&c[r].bytes, lig_buffer_length_in_chain(b));
		}
		u8 action = a->rules[r].action;
		if (tr) {
			tr->acl_index = ai;
			tr->rule_index = r;
			tr->action = action;
		}
		if (action == LIG_ACL_DENY)
			return LIG_ACL_ERROR_DENY;
		if (action == LIG_ACL_PERMIT_REFLECT && t.l4_valid) {
			struct lig_acl_skey k;
			if (!own)
				return LIG_ACL_ERROR_SESSION_FULL;
			lig_acl_skey_make(&k, &t, sw, dir);
			u32 si;
			int rv = lig_acl_session_create(own, &k, sw, now, &si);
			if (rv == -ENOSPC)
				return LIG_ACL_ERROR_SESSION_FULL;
			if (rv == -EDQUOT)
				return LIG_ACL_ERROR_SESSION_IF_FULL;
			lig_acl_session_update(&own->sessions[si], &t, false, now);
			counts[LIG_ACL_ERROR_SESSION_NEW]++;
		}
		counts[LIG_ACL_ERROR_PERMIT]++;
		return LIG_ACL_N_ERROR;
	}
	if (tr)
		tr->action = 0;
	return LIG_ACL_ERROR_DEFAULT_DENY;
}

static inline u32
acl_node_inline(struct lig_node *node, struct lig_frame *frame, bool is_output, bool is_l2)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	u32 counts[LIG_ACL_N_ERROR] = {0};
	u64 now = lig_rdtsc();
	struct lig_acl_session_table *own = lig_acl_main.tables[lig_thread_index];

	/* Aging as many sessions as the frame has packets (at most 32) keeps the table fresh
	 * without a timer, at about one session check per packet. */
	if (own && own->n_used)
		lig_acl_session_age(own, now, LIG_MIN(n, 32u));
	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 sw = b->sw_if_index[is_output ? LIG_TX : LIG_RX];
		struct lig_acl_trace tr, *t = NULL;
		u32 error;
		u16 next = acl_next(node, sw, is_output, is_l2);

		if (lig_unlikely(lig_buffer_is_traced(b))) {
			memset(&tr, 0, sizeof(tr));
			tr.sw_if_index = sw;
			tr.dir = is_output;
			tr.acl_index = LIG_INVALID_INDEX;
			t = &tr;
		}
		if (lig_unlikely(next == LIG_FEATURE_NEXT_NONE || sw >= LIG_ACL_IF_MAX))
			error = LIG_ACL_ERROR_NO_FEATURE;
		else
			error = acl_one(b, sw, is_output, is_l2, now, counts, t);
		if (error != LIG_ACL_N_ERROR) {
			b->error = node->error_base + error;
			next = LIG_ACL_NEXT_DROP;
			if (t && error != LIG_ACL_ERROR_DENY && error != LIG_ACL_ERROR_DEFAULT_DENY)
				tr.action = 4;
		}
		if (lig_unlikely(t != NULL)) {
			struct lig_acl_trace *rec = lig_trace_add_record(node, b, sizeof(*rec));
			if (rec)
				*rec = tr;
		}
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	for (u32 e = 0; e < LIG_ACL_N_ERROR; e++)
		if (counts[e])
			lig_node_count_error(node, e, counts[e]);
	return n;
}

#define ACL_NODE(cname, vname, out, l2)                                                            \
	static u32 cname##_fn(struct lig_node *node, struct lig_frame *frame)                      \
	{                                                                                          \
		return acl_node_inline(node, frame, out, l2);                                      \
	}                                                                                          \
	LIG_REGISTER_NODE(cname) = {                                                               \
	    .name = vname,                                                                         \
	    .function = cname##_fn,                                                                \
	    .format_trace = lig_acl_format_trace,                                                  \
	    .n_errors = LIG_ACL_N_ERROR,                                                           \
	    .error_strings = lig_acl_error_strings,                                                \
	    .n_next_nodes = LIG_ACL_N_NEXT,                                                        \
	    .next_nodes = {[LIG_ACL_NEXT_DROP] = "error-drop"},                                    \
	};

ACL_NODE(lig_acl_in_ip4_node, "acl-plugin-in-ip4-fa", false, false)
ACL_NODE(lig_acl_out_ip4_node, "acl-plugin-out-ip4-fa", true, false)
ACL_NODE(lig_acl_in_l2_node, "acl-plugin-in-ip4-l2", false, true)
ACL_NODE(lig_acl_out_l2_node, "acl-plugin-out-ip4-l2", true, true)

/* ACLs run before NAT44 (order 200) on IPv4 input, as VPP's acl-plugin-in-ip4-fa. */
#define LIG_ACL_FEATURE_ORDER 100

int
lig_acl_feature_set(u32 sw_if_index, enum lig_acl_dir dir, bool enable)
{
	int rv;

	if (dir == LIG_ACL_INPUT) {
		if (lig_acl_ip4_feature < 0)
			return -ENOENT;
		if ((rv = lig_ip4_feature_enable(sw_if_index, (u32)lig_acl_ip4_feature, enable)) <
		    0)
			return rv;
		return lig_feature_enable(LIG_FEATURE_ARC_L2_INPUT, sw_if_index,
					  lig_acl_in_l2_node.index, LIG_ACL_FEATURE_ORDER, enable);
	}
	if ((rv = lig_feature_enable(LIG_FEATURE_ARC_IP4_OUTPUT, sw_if_index,
				     lig_acl_out_ip4_node.index, LIG_ACL_FEATURE_ORDER, enable)) <
	    0)
		return rv;
	return lig_feature_enable(LIG_FEATURE_ARC_L2_OUTPUT, sw_if_index, lig_acl_out_l2_node.index,
				  LIG_ACL_FEATURE_ORDER, enable);
}

int lig_acl_node_init(void);
int
lig_acl_node_init(void)
{
	int f = lig_ip4_feature_register("acl-plugin-in-ip4-fa", LIG_ACL_FEATURE_ORDER);
	if (f < 0)
		return f;
	lig_acl_ip4_feature = f;
	return 0;
}

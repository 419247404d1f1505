/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACLs as VPP's acl-plugin: numbered lists of IPv4 rules (permit, permit+reflect, deny on
 * src/dst prefix, protocol, port ranges and TCP flags), applied per interface as ordered
 * input and output lists. The first rule that matches in the first ACL of the list that
 * has one decides; a packet that matches nothing on an interface with a list is denied.
 * permit+reflect creates a session so the flow's packets (and its replies in the other
 * direction, which meet the interface's other list) pass without classification.
 *
 * Classification is hash-based tuple merge (as VPP's): rules are grouped by their shape
 * (prefix lengths, whether protocol, ports and TCP flags are exact), each group is one
 * hash probe of the packet's masked 5-tuple, and a probe's hit is a short list of rules
 * in ACL order that are then checked in full (port ranges). The cost is one probe per
 * distinct shape, not one test per rule. Tables are built aside by main and swapped in
 * under the barrier; the datapath only reads them.
 *
 * Sessions live in one fixed-size table per thread (no allocation on the fast path), each
 * reachable by its forward and its reverse key; aged by idle time (TCP by state: transient
 * until both sides saw SYN, and after FIN/RST; established otherwise) by the thread that
 * owns them, and bounded per interface. A thread looks up other threads' tables too (a
 * reply may arrive on another worker), reading their slots under a per-slot sequence
 * count.
 *
 * Every control function runs on main (under the barrier where workers run) and returns 0
 * or -errno.
 */
#ifndef LIG_ACL_H
#define LIG_ACL_H

#include "../infra/lig_common.h"
#include "../vlib/thread.h"

#define LIG_ACL_MAX 4096	       /* ACL indices 0..4095 */
#define LIG_ACL_MAX_RULES 65536	       /* rules in one ACL */
#define LIG_ACL_MAX_PER_IF 32	       /* ACLs in one interface's input (output) list */
#define LIG_ACL_TAG_SIZE 64	       /* tag, NUL included */
#define LIG_ACL_IF_MAX 4096	       /* = LIG_IF_MAX */
#define LIG_ACL_SESSIONS_DEFAULT 65536 /* sessions per thread */
#define LIG_ACL_SESSIONS_MAX (1u << 22)

enum lig_acl_action {
	LIG_ACL_DENY = 0,
	LIG_ACL_PERMIT = 1,
	LIG_ACL_PERMIT_REFLECT = 2,
};

enum lig_acl_dir {
	LIG_ACL_INPUT = 0,
	LIG_ACL_OUTPUT = 1,
};

/* One rule, addresses in network order, ports in host order. proto 0 is any protocol
 * (ports and flags then must be any). For ICMP, sport is the type range and dport the
 * code range (as VPP). tcp_flags_mask non-zero requires proto 6. */
struct lig_acl_rule {
	u8 action; /* enum lig_acl_action */
	u8 proto;
	u8 src_len;
	u8 dst_len;
	u32 src; /* masked to src_len */
	u32 dst;
	u16 sport_lo, sport_hi;
	u16 dport_lo, dport_hi;
	u8 tcp_flags_value;
	u8 tcp_flags_mask;
};

/* The packet fields rules match, as the datapath extracts them. */
struct lig_acl_5tuple {
	u32 src, dst; /* network order */
	u16 sport, dport;
	u8 proto;
	u8 tcp_flags;
	u8 l4_valid; /* 0: non-first fragment: ports and flags unknown */
	u16 icmp_id; /* ICMP echo (and other query) identifier, host order; 0 otherwise */
};

/* Per rule, per thread: what the datapath counted. */
struct lig_acl_counter {
	u64 packets;
	u64 bytes;
};

struct lig_acl_classifier; /* acl.c */

struct lig_acl {
	bool in_use;
	char tag[LIG_ACL_TAG_SIZE];
	u32 n_rules;
	struct lig_acl_rule *rules;
	struct lig_acl_classifier *cls;
	/* counters[thread][rule], written by each thread's datapath. */
	struct lig_acl_counter *counters[LIG_THREAD_MAX];
	u32 n_applied; /* interface lists that name this ACL */
};

struct lig_acl_if {
	u8 n[2]; /* [enum lig_acl_dir] */
	u16 acls[2][LIG_ACL_MAX_PER_IF];
};

/* Session key: the interface, the direction it was seen in and the 5-tuple; a session has
 * a forward key and a reverse key (the reply's tuple, other direction). */
struct lig_acl_skey {
	u32 src, dst;
	u16 sport, dport;
	u16 sw_if_index_lo; /* low 16 bits; the high bits are < LIG_ACL_IF_MAX anyway */
	u8 proto;
	u8 dir;
};
_Static_assert(sizeof(struct lig_acl_skey) == 16, "a session key is two words");

enum lig_acl_tcp_seen {
	LIG_ACL_SEEN_SYN_FWD = 1 << 0,
	LIG_ACL_SEEN_SYN_REV = 1 << 1,
	LIG_ACL_SEEN_FIN_FWD = 1 << 2,
	LIG_ACL_SEEN_FIN_REV = 1 << 3,
	LIG_ACL_SEEN_RST = 1 << 4,
	LIG_ACL_SEEN_ACK_REV = 1 << 5,
};

struct lig_acl_session {
	struct lig_acl_skey key; /* forward key */
	u64 last_active;	 /* TSC; lig_acl_session_last/touch only */
	u64 packets;
	u32 sw_if_index;
	u32 next_free; /* free list; LIG_INVALID_INDEX: in use */
	u8 tcp_seen;
	u8 in_use;
};

/* One hash slot: a sequence count (odd while the owner writes it), the key, and the
 * session index + 1 (0: empty). */
struct lig_acl_sslot {
	u32 seq;
	u32 value;
	u64 key[2];
};

struct lig_acl_session_table {
	u32 n_sessions; /* capacity */
	u32 n_used;
	u32 free_head;
	u32 slot_mask;
	struct lig_acl_session *sessions;
	struct lig_acl_sslot *slots; /* 2 * capacity rounded up to a power of two */
	u32 *if_count;		     /* sessions per interface [LIG_ACL_IF_MAX] */
	u32 age_cursor;
	/* Counted by the owner thread. */
	u64 created, expired, full, if_full;
};

struct lig_acl_timeouts {
	u32 tcp_idle;	   /* established, seconds (VPP default 86400) */
	u32 tcp_transient; /* before both SYNs, after FIN or RST (120) */
	u32 udp_idle;	   /* UDP, ICMP and other protocols (600) */
};

struct lig_acl_main {
	struct lig_acl acls[LIG_ACL_MAX];
	struct lig_acl_if ifs[LIG_ACL_IF_MAX];
	struct lig_acl_session_table *tables[LIG_THREAD_MAX];
	struct lig_acl_timeouts timeouts;
	u32 sessions_per_thread;
	u32 sessions_per_if; /* per interface per thread; 0: no bound but the table */
	u64 timeout_tsc[3];  /* transient, established, udp: in TSC ticks */
};

extern struct lig_acl_main lig_acl_main;

/* ---- ACLs ---- */

/* Checks one rule (proto 0 with ports or flags, prefix lengths, ranges, flags without
 * TCP); 0 or -EINVAL with the reason in msg. Masks src/dst to their prefix. */
int lig_acl_rule_check(struct lig_acl_rule *r, char *msg, size_t msg_size);
/* Creates (index LIG_INVALID_INDEX: lowest free, written to *index) or replaces ACL
 * *index with n rules (copied) and tag (may be NULL). The classifier is built before
 * anything live changes; counters of a replaced ACL start again at zero. -EINVAL (a rule,
 * index out of range, too many rules; msg says which), -ENOSPC, -ENOMEM. */
int lig_acl_add_replace(u32 *index, const struct lig_acl_rule *rules, u32 n, const char *tag,
			char *msg, size_t msg_size);
/* -ENOENT, -EBUSY (applied to an interface). */
int lig_acl_del(u32 index);
const struct lig_acl *lig_acl_get(u32 index);
/* Rule counters summed over threads. */
void lig_acl_rule_counter(u32 index, u32 rule, struct lig_acl_counter *sum);
void lig_acl_clear_counters(void);

/* ---- Interfaces ---- */

/* Replaces an interface's list for one direction (acls in order, n <= LIG_ACL_MAX_PER_IF,
 * each existing, no duplicates); -ENOENT (interface or ACL), -EINVAL, -EEXIST. */
int lig_acl_if_set(u32 sw_if_index, enum lig_acl_dir dir, const u32 *acls, u32 n);
/* Appends acl to (or removes it from) the list. -ENOENT, -EEXIST (already there), -ENOSPC. */
int lig_acl_if_add_del(u32 sw_if_index, enum lig_acl_dir dir, u32 acl, bool is_add);

/* ---- Classification (datapath; also used by tests and the fuzzer) ---- */

/* Builds the classifier of rules; NULL with errno. Freed with lig_acl_classifier_free. */
struct lig_acl_classifier *lig_acl_classifier_build(const struct lig_acl_rule *rules, u32 n);
void lig_acl_classifier_free(struct lig_acl_classifier *c);
/* Index of the first rule of the ACL that matches t, or LIG_INVALID_INDEX. */
u32 lig_acl_classify(const struct lig_acl_classifier *c, const struct lig_acl_rule *rules,
		     const struct lig_acl_5tuple *t);
/* The same by scanning the rules one by one (the reference for tests). */
u32 lig_acl_match_linear(const struct lig_acl_rule *rules, u32 n, const struct lig_acl_5tuple *t);
/* Distinct rule shapes (hash probes per packet at most). */
u32 lig_acl_classifier_n_shapes(const struct lig_acl_classifier *c);

/*
 * Extracts the 5-tuple of the IPv4 packet at ip (avail bytes readable). Returns 0, or a
 * negative LIG_ACL_PARSE_* reason (the caller counts and drops): the IPv4 header is
 * short or malformed, or a first fragment's L4 header is cut (RFC 1858 tiny fragments).
 */
enum {
	LIG_ACL_PARSE_OK = 0,
	LIG_ACL_PARSE_BAD_IP = -1,
	LIG_ACL_PARSE_SHORT_L4 = -2,
};
int lig_acl_parse_ip4(const u8 *ip, u32 avail, struct lig_acl_5tuple *t);
/* For an ICMP error (destination unreachable, time exceeded, parameter problem) at ip
 * (avail bytes, already parsed into outer): the 5-tuple of the packet it quotes (its IPv4
 * header and the first 8 bytes of its L4 header: ports, or an ICMP query's identifier).
 * Returns 0, or -1 when it is no such error or the quote is cut. */
int lig_acl_parse_icmp_error(const u8 *ip, u32 avail, const struct lig_acl_5tuple *outer,
			     struct lig_acl_5tuple *inner);

/* ---- Sessions ---- */

/* Session limits and timeouts; tables are rebuilt (sessions dropped) when the size
 * changes. -EINVAL (0 timeouts, size 0 or above LIG_ACL_SESSIONS_MAX), -ENOMEM. */
int lig_acl_session_config(u32 per_thread, u32 per_if, const struct lig_acl_timeouts *t);
/* Main, under the barrier: ages every table now (show and tests). */
void lig_acl_sessions_expire_all(void);
/* Main, under the barrier: drops every session of an interface (its lists changed or
 * it was deleted), or all sessions with LIG_INVALID_INDEX. */
void lig_acl_sessions_flush(u32 sw_if_index);
/* The running thread's table (created at module init, or lazily in unit tests). */
struct lig_acl_session_table *lig_acl_session_table_get(u32 thread);

/* The session-table primitives the node uses, exposed for unit tests: find by key in
 * every thread's table (own first); returns the session's table and index, or NULL. */
struct lig_acl_session_table *lig_acl_session_find(const struct lig_acl_skey *k, u32 *index,
						   bool *reverse);
/* Creates a session on the running thread's table (its index in *index); -ENOSPC (table
 * full), -EDQUOT (the interface's bound). */
int lig_acl_session_create(struct lig_acl_session_table *st, const struct lig_acl_skey *fwd,
			   u32 sw_if_index, u64 now, u32 *index);
/* Removes a session of the running thread's table (both keys). */
void lig_acl_session_delete(struct lig_acl_session_table *st, u32 index);
/* Ages up to n sessions of the running thread's table from its cursor; returns expired. */
u32 lig_acl_session_age(struct lig_acl_session_table *st, u64 now, u32 n);
/* A session's last activity: the owner and other threads that see its flow write it (a
 * reply handled on another worker keeps the session alive), so always atomically. */
static inline u64
lig_acl_session_last(const struct lig_acl_session *s)
{
	return __atomic_load_n(&s->last_active, __ATOMIC_RELAXED);
}

static inline void
lig_acl_session_touch(struct lig_acl_session *s, u64 now)
{
	__atomic_store_n(&s->last_active, now, __ATOMIC_RELAXED);
}

/* The TCP state bits a packet adds to its session (reverse: the reply direction). */
static inline u8
lig_acl_tcp_seen_bits(const struct lig_acl_5tuple *t, bool reverse)
{
	u8 f = t->tcp_flags, bits = 0;

	if (t->proto != 6 || !t->l4_valid)
		return 0;
	if (f & 0x02)
		bits |= reverse ? LIG_ACL_SEEN_SYN_REV : LIG_ACL_SEEN_SYN_FWD;
	if (f & 0x01)
		bits |= reverse ? LIG_ACL_SEEN_FIN_REV : LIG_ACL_SEEN_FIN_FWD;
	if (f & 0x04)
		bits |= LIG_ACL_SEEN_RST;
	if ((f & 0x10) && reverse)
		bits |= LIG_ACL_SEEN_ACK_REV;
	return bits;
}

/* A session's TCP state: written by the owner and by other workers that see the flow
 * (a reply handled on another worker must make the session established, or an idle
 * connection would age out as transient), so always atomically. The plain load first
 * keeps the common case (nothing new) free of a locked instruction. */
static inline u8
lig_acl_session_tcp_seen(const struct lig_acl_session *s)
{
	return __atomic_load_n(&s->tcp_seen, __ATOMIC_RELAXED);
}

static inline void
lig_acl_session_seen(struct lig_acl_session *s, u8 bits)
{
	if (bits & (u8)~lig_acl_session_tcp_seen(s))
		__atomic_fetch_or(&s->tcp_seen, bits, __ATOMIC_RELAXED);
}

/* Whether a session is expired at now. */
bool lig_acl_session_expired(const struct lig_acl_session *s, u64 now);
/* The same for another thread's session, with the protocol taken from the key that found
 * it: reads only the fields other threads write atomically (the owner may be rewriting
 * the key of a reused slot). */
bool lig_acl_session_expired_proto(const struct lig_acl_session *s, u8 proto, u64 now);
/* Updates a session's TCP state from a packet's flags (reverse: the reply direction). */
void lig_acl_session_update(struct lig_acl_session *s, const struct lig_acl_5tuple *t, bool reverse,
			    u64 now);

/* In a key's dir: the packet is an ICMP reply (echo, timestamp, info, address mask). */
#define LIG_ACL_SKEY_ICMP_REPLY 4

static inline bool
lig_acl_icmp_is_reply(u16 type)
{
	return type == 0 || type == 14 || type == 16 || type == 18;
}

/* Whether any thread has a session on the interface: the datapath skips the session
 * lookup (a cache miss in a large table) where no reflect rule made one. */
static inline bool
lig_acl_sessions_maybe(u32 sw_if_index)
{
	u32 nt = lig_n_threads ? lig_n_threads : 1;
	for (u32 t = 0; t < nt && t < LIG_THREAD_MAX; t++) {
		const struct lig_acl_session_table *st = lig_acl_main.tables[t];
		if (st && __atomic_load_n(&st->if_count[sw_if_index], __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/* Key of the tuple seen on an interface in a direction. ICMP queries are keyed by their
 * identifier (both ports) and whether they are a reply, so that only the reply to a
 * session's request passes the other way, not a new request from the other side. */
static inline void
lig_acl_skey_make(struct lig_acl_skey *k, const struct lig_acl_5tuple *t, u32 sw_if_index, u8 dir)
{
	memset(k, 0, sizeof(*k));
	k->src = t->src;
	k->dst = t->dst;
	k->sport = t->sport;
	k->dport = t->dport;
	k->proto = t->proto;
	k->sw_if_index_lo = (u16)sw_if_index;
	k->dir = dir;
	if (t->proto == 1) {
		k->sport = k->dport = t->icmp_id;
		if (lig_acl_icmp_is_reply(t->sport))
			k->dir |= LIG_ACL_SKEY_ICMP_REPLY;
	}
}

/* The key of a session's replies: addresses and ports swapped, the other direction (for
 * ICMP: a reply). */
static inline void
lig_acl_skey_reverse(const struct lig_acl_skey *fwd, struct lig_acl_skey *rk)
{
	*rk = *fwd;
	rk->src = fwd->dst;
	rk->dst = fwd->src;
	rk->sport = fwd->dport;
	rk->dport = fwd->sport;
	rk->dir = (u8)((fwd->dir & 1) ^ 1);
	if (fwd->proto == 1)
		rk->dir |= LIG_ACL_SKEY_ICMP_REPLY;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44 control plane and session tables (nat44.h): enable/disable, the pool, static and
 * load-balancing mappings, interface roles, timeouts (the functions every front end
 * calls), and the per-thread session tables the nodes use: open addressing with
 * backward-shift deletion over preallocated slots, a free stack and one LRU list per
 * timeout class, so nothing is allocated per packet and the table never grows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "nat44.h"

struct lig_nat44_main lig_nat44_main;

_Static_assert(sizeof(((struct lig_nat44_address *)0)->used) / sizeof(u32[LIG_NAT44_N_PROTO]) ==
		   LIG_THREAD_MAX,
	       "a row of port counts per thread");

#define SLOT_EMPTY LIG_INVALID_INDEX
#define BITMAP_WORDS (65536 / 64)

/* ---------------- sessions ---------------- */

u32
lig_nat44_hash(u32 src, u32 dst, u16 sport, u16 dport, u8 proto)
{
	u64 a = (u64)src << 32 | dst, b = (u64)sport << 32 | (u64)dport << 16 | proto;
	return (u32)lig_hash64_mix(a ^ lig_hash64_mix(b + 0x9e3779b97f4a7c15ull));
}

static inline bool
session_matches(const struct lig_nat44_session *s, bool reverse, u32 src, u32 dst, u16 sport,
		u16 dport, u8 proto)
{
	if (s->proto != proto)
		return false;
	if (!reverse)
		return s->f_src == src && s->f_dst == dst && s->f_sport == sport &&
		       s->f_dport == dport;
	return s->t_dst == src && s->t_src == dst && s->t_dport == sport && s->t_sport == dport;
}

u32
lig_nat44_session_lookup(struct lig_nat44_thread *t, u32 src, u32 dst, u16 sport, u16 dport,
			 u8 proto, bool *reverse)
{
	u32 h = lig_nat44_hash(src, dst, sport, dport, proto), i = h & t->mask;

	for (;;) {
		const struct lig_nat44_slot *sl = &t->slots[i];
		if (sl->value == SLOT_EMPTY)
			return LIG_INVALID_INDEX;
		if (sl->hash == h) {
			u32 si = sl->value >> 1;
			bool rev = sl->value & 1;
			if (session_matches(&t->sessions[si], rev, src, dst, sport, dport, proto)) {
				*reverse = rev;
				return si;
			}
		}
		i = (i + 1) & t->mask;
	}
}

static void
slot_insert(struct lig_nat44_thread *t, u32 h, u32 value)
{
	u32 i = h & t->mask;

	while (t->slots[i].value != SLOT_EMPTY)
		i = (i + 1) & t->mask;
	t->slots[i].hash = h;
	t->slots[i].value = value;
}

/* Removes the slot holding value (hash h), shifting the probe chain back. */
static void
slot_remove(struct lig_nat44_thread *t, u32 h, u32 value)
{
	u32 i = h & t->mask, j;

	while (t->slots[i].value != value) {
		if (t->slots[i].value == SLOT_EMPTY)
			return; /* not there: nothing to do */
		i = (i + 1) & t->mask;
	}
	j = i;
	for (;;) {
		j = (j + 1) & t->mask;
		if (t->slots[j].value == SLOT_EMPTY)
			break;
		u32 k = t->slots[j].hash & t->mask;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		bool stay = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stay) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].value = SLOT_EMPTY;
}

static inline u32
session_fhash(const struct lig_nat44_session *s)
{
	return lig_nat44_hash(s->f_src, s->f_dst, s->f_sport, s->f_dport, s->proto);
}

static inline u32
session_rhash(const struct lig_nat44_session *s)
{
	return lig_nat44_hash(s->t_dst, s->t_src, s->t_dport, s->t_sport, s->proto);
}

static void
lru_unlink(struct lig_nat44_thread *t, u32 si)
{
	struct lig_nat44_session *s = &t->sessions[si];

	if (s->lru_prev != LIG_INVALID_INDEX)
		t->sessions[s->lru_prev].lru_next = s->lru_next;
	else
		t->lru_head[s->tc] = s->lru_next;
	if (s->lru_next != LIG_INVALID_INDEX)
		t->sessions[s->lru_next].lru_prev = s->lru_prev;
	else
		t->lru_tail[s->tc] = s->lru_prev;
}

static void
lru_append(struct lig_nat44_thread *t, u32 si, u8 tc)
{
	struct lig_nat44_session *s = &t->sessions[si];

	s->tc = tc;
	s->lru_next = LIG_INVALID_INDEX;
	s->lru_prev = t->lru_tail[tc];
	if (s->lru_prev != LIG_INVALID_INDEX)
		t->sessions[s->lru_prev].lru_next = si;
	else
		t->lru_head[tc] = si;
	t->lru_tail[tc] = si;
}

/* A session moves to its list's tail at most once a second (a move touches its two
 * neighbours: cache misses with a million sessions); the list is then ordered by the time
 * of the last move, which lig_nat44_expire() takes into account. */
#define LRU_MOVE_NS 1000000000ull

void
lig_nat44_session_touch(struct lig_nat44_thread *t, u32 si, u8 tc, u64 now_ns)
{
	struct lig_nat44_session *s = &t->sessions[si];

	s->last_ns = now_ns;
	if (s->tc == tc && now_ns - s->lru_ns < LRU_MOVE_NS)
		return;
	s->lru_ns = now_ns;
	if (t->lru_tail[s->tc] == si && s->tc == tc)
		return;
	lru_unlink(t, si);
	lru_append(t, si, tc);
}

bool
lig_nat44_session_expired(const struct lig_nat44_session *s, u64 now_ns)
{
	return s->tc < LIG_NAT44_N_TC && now_ns - s->last_ns > lig_nat44_main.timeout_ns[s->tc] &&
	       now_ns > s->last_ns;
}

void
lig_nat44_session_free(struct lig_nat44_thread *t, u32 si)
{
	struct lig_nat44_session *s = &t->sessions[si];

	if (s->tc >= LIG_NAT44_N_TC)
		return;
	slot_remove(t, session_fhash(s), si << 1);
	slot_remove(t, session_rhash(s), si << 1 | 1);
	lru_unlink(t, si);
	if (s->flags & LIG_NAT44_S_DYNAMIC_PORT) {
		lig_nat44_port_free(s->addr_index, lig_nat44_proto_slot(s->proto), s->t_sport);
		t->n_by_addr[s->addr_index]--;
	}
	if (s->flags & LIG_NAT44_S_STATIC)
		t->n_by_static[s->static_index]--;
	s->tc = 0xff;
	t->free[t->n_free++] = si;
	t->n_sessions--;
}

u32
lig_nat44_expire(struct lig_nat44_thread *t, u64 now_ns, u32 max)
{
	u32 n = 0;

	for (u32 c = 0; c < LIG_NAT44_N_TC; c++) {
		for (u32 moved = 0; n < max && t->lru_head[c] != LIG_INVALID_INDEX;) {
			u32 si = t->lru_head[c];
			struct lig_nat44_session *s = &t->sessions[si];
			if (!lig_nat44_session_expired(s, now_ns)) {
				/* Used since it was last moved: to the tail, look at the next. */
				if (s->last_ns == s->lru_ns || t->lru_tail[c] == si ||
				    moved++ >= max)
					break;
				s->lru_ns = s->last_ns;
				lru_unlink(t, si);
				lru_append(t, si, (u8)c);
				continue;
			}
			lig_nat44_session_free(t, si);
			t->stats.expired++;
			n++;
		}
	}
	return n;
}

u32
lig_nat44_session_create(struct lig_nat44_thread *t, const struct lig_nat44_session *proto_s,
			 u64 now_ns, int *err)
{
	bool rev;
	u32 si;

	if (!t->n_free)
		lig_nat44_expire(t, now_ns, 4);
	if (!t->n_free) {
		t->stats.table_full++;
		*err = -ENOSPC;
		return LIG_INVALID_INDEX;
	}
	/* A key held by an expired session, or by a TCP session that is not established
	 * (closed, or a SYN never answered), is taken over: a client reusing its source
	 * port for another service behind the same backend gives the same reply tuple as
	 * its earlier connection, which sits in the transitory timeout (as conntrack
	 * reopens a tuple in TIME_WAIT on a new SYN). */
	for (int k = 0; k < 2; k++) {
		u32 old = k == 0 ? lig_nat44_session_lookup(t, proto_s->f_src, proto_s->f_dst,
							    proto_s->f_sport, proto_s->f_dport,
							    proto_s->proto, &rev)
				 : lig_nat44_session_lookup(t, proto_s->t_dst, proto_s->t_src,
							    proto_s->t_dport, proto_s->t_sport,
							    proto_s->proto, &rev);
		if (old == LIG_INVALID_INDEX)
			continue;
		const struct lig_nat44_session *o = &t->sessions[old];
		if (!lig_nat44_session_expired(o, now_ns) && o->tc != LIG_NAT44_TC_TCP_TRANS) {
			*err = -EEXIST;
			return LIG_INVALID_INDEX;
		}
		lig_nat44_session_free(t, old);
		t->stats.expired++;
	}
	if (!t->n_free) {
		t->stats.table_full++;
		*err = -ENOSPC;
		return LIG_INVALID_INDEX;
	}
	si = t->free[--t->n_free];
	struct lig_nat44_session *s = &t->sessions[si];
	*s = *proto_s;
	s->packets_f = s->packets_r = 0;
	s->last_ns = s->lru_ns = now_ns;
	slot_insert(t, session_fhash(s), si << 1);
	slot_insert(t, session_rhash(s), si << 1 | 1);
	lru_append(t, si, proto_s->tc);
	if (s->flags & LIG_NAT44_S_DYNAMIC_PORT)
		t->n_by_addr[s->addr_index]++;
	if (s->flags & LIG_NAT44_S_STATIC)
		t->n_by_static[s->static_index]++;
	t->n_sessions++;
	t->stats.created++;
	return si;
}

/* ---------------- ports ---------------- */

/* The threads that get a share of the dynamic ports. With workers, main never runs the
 * NAT44 nodes (it only sends what the control plane makes, which no input feature sees,
 * and nat44_owner picks workers only): a share of its own would never be used (a third
 * of every pool address's ports with two workers, half with one). */
static inline u32
port_ranges(u32 n_threads)
{
	return n_threads > 1 ? n_threads - 1 : 1;
}

u16
lig_nat44_port_alloc(struct lig_nat44_thread *t, u32 ai, int ps, u16 want)
{
	struct lig_nat44_address *ad = &lig_nat44_main.addresses[ai];
	u64 *bm = ad->busy[ps];
	u32 lo = t->port_lo, hi = t->port_hi, n = hi - lo, p;
	u32 *used = &ad->used[t - lig_nat44_main.threads][ps];

	if (*used >= n)
		return 0; /* exhausted: no scan */
	if (want >= lo && want < hi && !(bm[want >> 6] & (1ull << (want & 63)))) {
		bm[want >> 6] |= 1ull << (want & 63);
		(*used)++;
		return want;
	}
	/* Scan from the thread's cursor, a word at a time. */
	p = t->port_next[ps];
	if (p < lo || p >= hi)
		p = lo;
	for (u32 done = 0; done < n + 64;) {
		u64 w = bm[p >> 6] | ((1ull << (p & 63)) - 1); /* bits below p count as busy */
		if (~w) {
			u32 port = (p & ~63u) + (u32)__builtin_ctzll(~w);
			if (port >= lo && port < hi) {
				bm[port >> 6] |= 1ull << (port & 63);
				(*used)++;
				t->port_next[ps] = (u16)(port + 1 < hi ? port + 1 : lo);
				return (u16)port;
			}
		}
		done += 64 - (p & 63);
		p = (p & ~63u) + 64;
		if (p >= hi)
			p = lo;
	}
	return 0;
}

void
lig_nat44_port_free(u32 ai, int ps, u16 port)
{
	struct lig_nat44_main *nm = &lig_nat44_main;

	if (ai >= LIG_NAT44_MAX_ADDRESSES || ps < 0 || !nm->addresses[ai].busy[ps] ||
	    port < LIG_NAT44_PORT_MIN || !nm->port_words)
		return;
	u64 *w = &nm->addresses[ai].busy[ps][port >> 6], bit = 1ull << (port & 63);
	if (!(*w & bit))
		return;
	*w &= ~bit;
	/* The thread whose range holds the port (the last one takes the remainder; with
	 * workers, main has none: the ranges start at thread 1). */
	u32 ti = (nm->n_threads - port_ranges(nm->n_threads)) +
		 (port - LIG_NAT44_PORT_MIN) / (nm->port_words * 64);
	if (ti >= nm->n_threads)
		ti = nm->n_threads - 1;
	nm->addresses[ai].used[ti][ps]--;
}

/* ---------------- load balancing ---------------- */

static inline u64
rng_next(struct lig_nat44_thread *t)
{
	u64 x = t->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return t->rng = x;
}

u32
lig_nat44_lb_pick(struct lig_nat44_thread *t, u32 si, u32 client, u64 now_ns)
{
	const struct lig_nat44_static *m = &lig_nat44_main.statics[si];
	struct lig_nat44_affinity *a = NULL;
	u32 r, acc = 0, pick = m->n_locals - 1;

	if (m->affinity) {
		a = &t->affinity[lig_nat44_hash(client, si, 0, 0, 0) &
				 (LIG_NAT44_AFFINITY_SLOTS - 1)];
		if (a->in_use && a->client == client && a->static_index == si &&
		    a->expires_ns > now_ns && a->local < m->n_locals)
			return a->local;
	}
	r = (u32)(rng_next(t) % (m->prob_total ? m->prob_total : 1));
	for (u32 i = 0; i < m->n_locals; i++) {
		acc += m->locals[i].probability;
		if (r < acc) {
			pick = i;
			break;
		}
	}
	if (a) {
		a->client = client;
		a->static_index = (u16)si;
		a->local = (u8)pick;
		a->in_use = 1;
		a->expires_ns = now_ns + (u64)m->affinity * 1000000000ull;
	}
	return pick;
}

/* ---------------- tables ---------------- */

struct lig_nat44_thread *
lig_nat44_thread_get(void)
{
	struct lig_nat44_main *nm = &lig_nat44_main;

	if (!nm->threads || lig_thread_index >= nm->n_threads)
		return NULL;
	return &nm->threads[lig_thread_index];
}

static void
thread_free(struct lig_nat44_thread *t)
{
	free(t->sessions);
	free(t->free);
	free(t->slots);
	free(t->affinity);
	free(t->n_by_addr);
	free(t->n_by_static);
	memset(t, 0, sizeof(*t));
}

static int
thread_alloc(struct lig_nat44_thread *t, u32 max, u32 index, u32 n_threads)
{
	u32 cap = 1;

	while (cap < 4 * max)
		cap <<= 1;
	memset(t, 0, sizeof(*t));
	t->sessions = calloc(max, sizeof(*t->sessions));
	t->free = malloc(max * sizeof(u32));
	t->slots = malloc(cap * sizeof(*t->slots));
	t->affinity = calloc(LIG_NAT44_AFFINITY_SLOTS, sizeof(*t->affinity));
	t->n_by_addr = calloc(LIG_NAT44_MAX_ADDRESSES, sizeof(u32));
	t->n_by_static = calloc(LIG_NAT44_MAX_STATIC, sizeof(u32));
	if (!t->sessions || !t->free || !t->slots || !t->affinity || !t->n_by_addr ||
	    !t->n_by_static) {
		thread_free(t);
		return -ENOMEM;
	}
	t->max = max;
	t->mask = cap - 1;
	for (u32 i = 0; i < cap; i++)
		t->slots[i].value = SLOT_EMPTY;
	for (u32 i = 0; i < max; i++) {
		t->free[i] = max - 1 - i;
		t->sessions[i].tc = 0xff;
	}
	t->n_free = max;
	for (u32 c = 0; c < LIG_NAT44_N_TC; c++)
		t->lru_head[c] = t->lru_tail[c] = LIG_INVALID_INDEX;
	/* Dynamic ports split into whole bitmap words per thread that runs the NAT44 nodes
	 * (port_ranges: main has none with workers, see lig_nat44_enable). */
	u32 first = n_threads - port_ranges(n_threads), r = index - first;
	if (index < first) {
		t->port_lo = t->port_hi = LIG_NAT44_PORT_MIN; /* an empty range */
	} else {
		u32 words = (65536 - LIG_NAT44_PORT_MIN) / 64 / port_ranges(n_threads);
		t->port_lo = (u16)(LIG_NAT44_PORT_MIN + r * words * 64);
		u32 hi = index + 1 == n_threads ? 65536 : t->port_lo + words * 64;
		t->port_hi = (u16)(hi == 65536 ? 65535 : hi); /* port 65535 left unused */
	}
	t->rng =
	    0x2545f4914f6cdd1dull ^ ((u64)(index + 1) * 0x9e3779b97f4a7c15ull) ^ lig_time_now_ns();
	if (!t->rng)
		t->rng = 1;
	return 0;
}

static bool
nat_ready(void)
{
	return lig_nat44_main.enabled;
}

int
lig_nat44_enable(u32 max_sessions)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u32 n = lig_n_threads ? lig_n_threads : 1;
	struct lig_nat44_thread *threads;
	int rv;

	if (!max_sessions)
		max_sessions = LIG_NAT44_SESSIONS_DEFAULT;
	if (max_sessions < LIG_NAT44_SESSIONS_MIN || max_sessions > LIG_NAT44_SESSIONS_MAX)
		return -EINVAL;
	if (nm->enabled)
		return nm->max_sessions == max_sessions ? 0 : -EBUSY;
	if (nm->feature_in2out < 0 || nm->feature_out2in < 0)
		return -ENOENT;
	/* Tens of megabytes written for the first time (milliseconds of page faults):
	 * without the barrier. Workers reach these tables only through an interface's
	 * NAT44 feature, and no interface can have one before the tables are published. */
	threads = calloc(n, sizeof(*threads));
	if (!threads)
		return -ENOMEM;
	for (u32 i = 0; i < n; i++) {
		rv = thread_alloc(&threads[i], max_sessions, i, n);
		if (rv < 0) {
			while (i--)
				thread_free(&threads[i]);
			free(threads);
			return rv;
		}
	}
	lig_barrier_sync();
	lig_barrier_kind("nat44 plugin enable");
	nm->threads = threads;
	nm->n_threads = n;
	nm->port_words = (65536 - LIG_NAT44_PORT_MIN) / 64 / port_ranges(n);
	nm->max_sessions = max_sessions;
	nm->enabled = true;
	lig_barrier_release();
	return 0;
}

/* What a disabled NAT44 leaves, freed after the barrier (lig_barrier_after_release): the
 * session tables and the mappings' hashes, swapped for empty ones made before it. */
struct lig_nat44_retired {
	struct lig_nat44_thread *threads;
	u32 n_threads;
	struct lig_hash64 by_external, by_local;
};

static void
lig_nat44_retired_free(void *arg)
{
	struct lig_nat44_retired *r = arg;

	for (u32 i = 0; i < r->n_threads; i++)
		thread_free(&r->threads[i]);
	free(r->threads);
	lig_hash64_free(&r->by_external);
	lig_hash64_free(&r->by_local);
	free(r);
}

static void
lig_nat44_hash_swap(struct lig_hash64 *a, struct lig_hash64 *b)
{
	struct lig_hash64 t = *a;

	*a = *b;
	*b = t;
}

/* Frees the sessions that match; each thread's walk stops once its count of them
 * (n_by_addr or n_by_static, which lig_nat44_session_free lowers) is zero. */
static void
free_sessions_if(bool (*match)(const struct lig_nat44_session *s, u32 arg), u32 arg, bool by_static)
{
	struct lig_nat44_main *nm = &lig_nat44_main;

	for (u32 ti = 0; ti < nm->n_threads; ti++) {
		struct lig_nat44_thread *t = &nm->threads[ti];
		const u32 *left = by_static ? &t->n_by_static[arg] : &t->n_by_addr[arg];
		for (u32 si = 0; si < t->max && *left; si++) {
			const struct lig_nat44_session *s = &t->sessions[si];
			if (s->tc < LIG_NAT44_N_TC && match(s, arg)) {
				lig_nat44_session_free(t, si);
				t->stats.deleted++;
			}
		}
	}
}

int
lig_nat44_disable(void)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	struct lig_nat44_retired *r;

	if (!nm->enabled)
		return -ENOENT;
	/* Made before the barrier: the empty hashes that replace the mappings' (clearing
	 * those would write 256 KB with the workers parked). */
	r = calloc(1, sizeof(*r));
	if (!r || lig_hash64_init(&r->by_external, LIG_NAT44_MAX_STATIC) < 0 ||
	    lig_hash64_init(&r->by_local, LIG_NAT44_MAX_STATIC) < 0) {
		if (r) {
			lig_hash64_free(&r->by_external);
			free(r);
		}
		return -ENOMEM;
	}
	lig_barrier_sync();
	lig_barrier_kind("nat44 plugin disable");
	for (u32 i = 0; i < LIG_IF_MAX; i++) {
		if (!nm->if_flags[i])
			continue;
		lig_ip4_feature_enable(i, (u32)nm->feature_in2out, false);
		lig_ip4_feature_enable(i, (u32)nm->feature_out2in, false);
		nm->if_flags[i] = 0;
	}
	/* No worker holds a table across the barrier (a node call loads them afresh and
	 * finds none: it passes packets on); freeing megabytes takes a while: after it. */
	r->threads = nm->threads;
	r->n_threads = nm->n_threads;
	lig_nat44_hash_swap(&nm->by_external, &r->by_external);
	lig_nat44_hash_swap(&nm->by_local, &r->by_local);
	nm->threads = NULL;
	nm->n_threads = 0;
	for (u32 i = 0; i < nm->n_addresses; i++) {
		for (u32 p = 0; p < LIG_NAT44_N_PROTO; p++)
			free(nm->addresses[i].busy[p]);
		memset(&nm->addresses[i], 0, sizeof(nm->addresses[i]));
	}
	nm->n_addresses = 0;
	/* Deleted mappings are zeroed already: only the ones in use, which are the lowest
	 * slots (static_free_slot); the rest of the 640 KB is never touched. */
	for (u32 i = 0; nm->n_statics && i < LIG_NAT44_MAX_STATIC; i++) {
		if (nm->statics[i].in_use) {
			memset(&nm->statics[i], 0, sizeof(nm->statics[i]));
			nm->n_statics--;
		}
	}
	nm->enabled = false;
	nm->forwarding = false;
	nm->max_sessions = 0;
	lig_barrier_after_release(lig_nat44_retired_free, r);
	lig_barrier_release();
	return 0;
}

int
lig_nat44_interface_set(u32 sw_if_index, bool inside, bool is_add)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u8 role = inside ? LIG_NAT44_IF_INSIDE : LIG_NAT44_IF_OUTSIDE;
	int feature = inside ? nm->feature_in2out : nm->feature_out2in;
	int rv;

	if (!nat_ready())
		return -ENXIO;
	if (sw_if_index >= LIG_IF_MAX || !lig_if_get(sw_if_index))
		return -ENOENT;
	if (is_add) {
		if (nm->if_flags[sw_if_index] & ~role)
			return -EEXIST;
		rv = lig_ip4_feature_enable(sw_if_index, (u32)feature, true);
		if (rv == 0)
			nm->if_flags[sw_if_index] |= role;
		return rv;
	}
	if (!(nm->if_flags[sw_if_index] & role))
		return -ENODATA;
	rv = lig_ip4_feature_enable(sw_if_index, (u32)feature, false);
	nm->if_flags[sw_if_index] &= (u8)~role;
	return rv;
}

static int
address_find(u32 addr)
{
	for (u32 i = 0; i < lig_nat44_main.n_addresses; i++)
		if (lig_nat44_main.addresses[i].addr == addr)
			return (int)i;
	return -1;
}

static bool
match_addr_index(const struct lig_nat44_session *s, u32 ai)
{
	return (s->flags & LIG_NAT44_S_DYNAMIC_PORT) && s->addr_index == ai;
}

int
lig_nat44_address_add_del(u32 first, u32 last, bool is_add)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u32 a = lig_bswap32(first), b = lig_bswap32(last);

	if (!nat_ready())
		return -ENXIO;
	if (a > b || !first || b - a >= LIG_NAT44_MAX_ADDRESSES)
		return -EINVAL;
	for (u64 x = a; x <= b; x++) {
		int i = address_find(lig_bswap32((u32)x));
		if (is_add && i >= 0)
			return -EEXIST;
		if (!is_add && i < 0)
			return -ENOENT;
	}
	if (is_add) {
		if (nm->n_addresses + (b - a + 1) > LIG_NAT44_MAX_ADDRESSES)
			return -ENOSPC;
		for (u64 x = a; x <= b; x++) {
			struct lig_nat44_address *ad = &nm->addresses[nm->n_addresses];
			for (u32 p = 0; p < LIG_NAT44_N_PROTO; p++) {
				ad->busy[p] = calloc(BITMAP_WORDS, sizeof(u64));
				if (!ad->busy[p]) {
					while (p--)
						free(ad->busy[p]);
					memset(ad, 0, sizeof(*ad));
					return -ENOMEM;
				}
			}
			ad->addr = lig_bswap32((u32)x);
			nm->n_addresses++;
		}
		return 0;
	}
	/* Delete one at a time; the last address moves into the hole, so its sessions'
	 * addr_index moves too. */
	for (u64 x = a; x <= b; x++) {
		u32 i = (u32)address_find(lig_bswap32((u32)x)), last_i = nm->n_addresses - 1;
		free_sessions_if(match_addr_index, i, false);
		for (u32 p = 0; p < LIG_NAT44_N_PROTO; p++)
			free(nm->addresses[i].busy[p]);
		if (i != last_i) {
			nm->addresses[i] = nm->addresses[last_i];
			for (u32 ti = 0; ti < nm->n_threads; ti++) {
				struct lig_nat44_thread *t = &nm->threads[ti];
				u32 left = t->n_by_addr[last_i];
				for (u32 si = 0; si < t->max && left; si++) {
					struct lig_nat44_session *s = &t->sessions[si];
					if (s->tc < LIG_NAT44_N_TC && match_addr_index(s, last_i)) {
						s->addr_index = (u16)i;
						left--;
					}
				}
				t->n_by_addr[i] = t->n_by_addr[last_i];
				t->n_by_addr[last_i] = 0;
			}
		}
		memset(&nm->addresses[last_i], 0, sizeof(nm->addresses[last_i]));
		nm->n_addresses--;
	}
	return 0;
}

static bool
match_static(const struct lig_nat44_session *s, u32 si)
{
	return (s->flags & LIG_NAT44_S_STATIC) && s->static_index == si;
}

static int
static_free_slot(void)
{
	for (u32 i = 0; i < LIG_NAT44_MAX_STATIC; i++)
		if (!lig_nat44_main.statics[i].in_use)
			return (int)i;
	return -1;
}

static void
static_remove(u32 si)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	struct lig_nat44_static *m = &nm->statics[si];

	free_sessions_if(match_static, si, true);
	lig_hash64_del(&nm->by_external, lig_nat44_static_key(m->ext_addr, m->ext_port, m->proto));
	if (!m->is_lb)
		lig_hash64_del(&nm->by_local,
			       lig_nat44_static_key(m->local_addr, m->local_port, m->proto));
	memset(m, 0, sizeof(*m));
	nm->n_statics--;
}

int
lig_nat44_static_add_del(u8 proto, u32 local_addr, u16 local_port, u32 ext_addr, u16 ext_port,
			 bool is_add)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u64 ek = lig_nat44_static_key(ext_addr, ext_port, proto);
	u64 lk = lig_nat44_static_key(local_addr, local_port, proto);
	struct lig_hash64_slot *e;
	int i, rv;

	if (!nat_ready())
		return -ENXIO;
	if (!local_addr || !ext_addr || (proto && lig_nat44_proto_slot(proto) < 0) ||
	    (!proto && (local_port || ext_port)) || (proto && (!local_port || !ext_port)))
		return -EINVAL;
	e = lig_hash64_lookup(&nm->by_external, ek);
	if (!is_add) {
		if (!e || nm->statics[e->value].is_lb ||
		    nm->statics[e->value].local_addr != local_addr ||
		    nm->statics[e->value].local_port != local_port)
			return -ENOENT;
		static_remove((u32)e->value);
		return 0;
	}
	if (e || lig_hash64_lookup(&nm->by_local, lk))
		return -EEXIST;
	if ((i = static_free_slot()) < 0)
		return -ENOSPC;
	struct lig_nat44_static *m = &nm->statics[i];
	memset(m, 0, sizeof(*m));
	m->proto = proto;
	m->local_addr = local_addr;
	m->local_port = local_port;
	m->ext_addr = ext_addr;
	m->ext_port = ext_port;
	if ((rv = lig_hash64_set(&nm->by_external, ek, (u64)i)) < 0)
		return rv;
	if ((rv = lig_hash64_set(&nm->by_local, lk, (u64)i)) < 0) {
		lig_hash64_del(&nm->by_external, ek);
		return rv;
	}
	m->in_use = 1;
	nm->n_statics++;
	return 0;
}

int
lig_nat44_lb_add_del(u8 proto, u32 ext_addr, u16 ext_port, const struct lig_nat44_lb_local *locals,
		     u32 n, u32 affinity, bool is_add)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u64 ek = lig_nat44_static_key(ext_addr, ext_port, proto);
	struct lig_hash64_slot *e;
	u32 total = 0;
	int i, rv;

	if (!nat_ready())
		return -ENXIO;
	if ((proto != 6 && proto != 17) || !ext_addr || !ext_port)
		return -EINVAL;
	e = lig_hash64_lookup(&nm->by_external, ek);
	if (!is_add) {
		if (!e || !nm->statics[e->value].is_lb)
			return -ENOENT;
		static_remove((u32)e->value);
		return 0;
	}
	if (n < 2 || n > LIG_NAT44_LB_MAX_LOCALS || affinity > 86400)
		return -EINVAL;
	for (u32 k = 0; k < n; k++) {
		if (!locals[k].addr || !locals[k].port || !locals[k].probability ||
		    locals[k].probability > 100)
			return -EINVAL;
		total += locals[k].probability;
	}
	if (e)
		return -EEXIST;
	if ((i = static_free_slot()) < 0)
		return -ENOSPC;
	struct lig_nat44_static *m = &nm->statics[i];
	memset(m, 0, sizeof(*m));
	m->proto = proto;
	m->is_lb = 1;
	m->ext_addr = ext_addr;
	m->ext_port = ext_port;
	m->affinity = affinity;
	m->n_locals = (u8)n;
	m->prob_total = total;
	memcpy(m->locals, locals, n * sizeof(*locals));
	if ((rv = lig_hash64_set(&nm->by_external, ek, (u64)i)) < 0)
		return rv;
	m->in_use = 1;
	nm->n_statics++;
	return 0;
}

int
lig_nat44_forwarding_set(bool enable)
{
	if (!nat_ready())
		return -ENXIO;
	lig_nat44_main.forwarding = enable;
	return 0;
}

int
lig_nat44_timeouts_set(u32 udp, u32 tcp_established, u32 tcp_transitory, u32 icmp)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	u32 v[LIG_NAT44_N_TC] = {[LIG_NAT44_TC_TCP_TRANS] = tcp_transitory,
				 [LIG_NAT44_TC_TCP_EST] = tcp_established,
				 [LIG_NAT44_TC_UDP] = udp,
				 [LIG_NAT44_TC_ICMP] = icmp};

	for (u32 c = 0; c < LIG_NAT44_N_TC; c++)
		if (v[c] > 86400)
			return -EINVAL;
	for (u32 c = 0; c < LIG_NAT44_N_TC; c++) {
		if (!v[c])
			continue;
		nm->timeout_s[c] = v[c];
		nm->timeout_ns[c] = (u64)v[c] * 1000000000ull;
	}
	return 0;
}

/* An interface goes: it loses its role (its sessions stay until they expire, as VPP's). */
static void
nat44_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev == LIG_IF_EVENT_DELETE && ifp->sw_if_index < LIG_IF_MAX)
		lig_nat44_main.if_flags[ifp->sw_if_index] = 0;
}

static int
lig_nat44_init(void)
{
	struct lig_nat44_main *nm = &lig_nat44_main;
	int rv;

	nm->feature_in2out = lig_ip4_feature_register("nat44-ed-in2out", 200);
	nm->feature_out2in = lig_ip4_feature_register("nat44-ed-out2in", 200);
	if (nm->feature_in2out < 0)
		return nm->feature_in2out;
	if (nm->feature_out2in < 0)
		return nm->feature_out2in;
	lig_nat44_timeouts_set(LIG_NAT44_TIMEOUT_UDP, LIG_NAT44_TIMEOUT_TCP_ESTABLISHED,
			       LIG_NAT44_TIMEOUT_TCP_TRANSITORY, LIG_NAT44_TIMEOUT_ICMP);
	if ((rv = lig_hash64_init(&nm->by_external, LIG_NAT44_MAX_STATIC)) < 0)
		return rv;
	if ((rv = lig_hash64_init(&nm->by_local, LIG_NAT44_MAX_STATIC)) < 0)
		return rv;
	return lig_if_subscribe("nat44", nat44_if_event, NULL);
}

LIG_MODULE(nat44, .init = lig_nat44_init, .depends = {"interface", "ip4_fib", "ip4"});

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the ACL classifier and sessions (src/acl): the tuple-merge classifier
 * agrees with a rule-by-rule scan on random rule sets and packets (many shapes, so the
 * merging path runs), first match wins, fragments and truncated headers, rule checks,
 * the session table (both keys, ICMP request/reply, per-interface bound, a full table,
 * aging by TCP state, deletion keeping the other entries findable). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "acl/acl.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static int
group_setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(1024) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		return -1;
	return 0;
}

static u32 rng = 12345;
static u32
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
random_rule(struct lig_acl_rule *r)
{
	static const u8 lens[] = {0, 8, 16, 24, 32, 28, 12};
	static const u8 protos[] = {0, 6, 17, 1, 6, 17};
	memset(r, 0, sizeof(*r));
	r->action = (u8)(rnd() % 3);
	r->src_len = lens[rnd() % LIG_ARRAY_LEN(lens)];
	r->dst_len = lens[rnd() % LIG_ARRAY_LEN(lens)];
	/* Addresses from a small space so that packets hit them. */
	r->src = htonl(0x0a000000 | (rnd() & 0x3) << 8 | (rnd() & 0x3));
	r->dst = htonl(0x0a000000 | (rnd() & 0x3) << 8 | (rnd() & 0x3));
	r->proto = protos[rnd() % LIG_ARRAY_LEN(protos)];
	r->sport_hi = r->dport_hi = 0xffff;
	if (r->proto == 6 || r->proto == 17) {
		u32 k = rnd() % 3;
		if (k == 1)
			r->dport_lo = r->dport_hi = (u16)(80 + rnd() % 4);
		else if (k == 2) {
			r->dport_lo = (u16)(80 + rnd() % 4);
			r->dport_hi = (u16)(r->dport_lo + rnd() % 3);
		}
		if (rnd() % 4 == 0)
			r->sport_lo = r->sport_hi = (u16)(1000 + rnd() % 3);
	}
	if (r->proto == 6 && rnd() % 4 == 0) {
		r->tcp_flags_mask = 0x12;
		r->tcp_flags_value = (u8)(rnd() % 2 ? 0x02 : 0x12);
	}
	char why[128] = "";
	int rv = lig_acl_rule_check(r, why, sizeof(why));
	if (rv)
		print_message("rule: %s\n", why);
	assert_int_equal(rv, 0);
}

static void
random_tuple(struct lig_acl_5tuple *t)
{
	static const u8 protos[] = {6, 17, 1, 47};
	memset(t, 0, sizeof(*t));
	t->src = htonl(0x0a000000 | (rnd() & 0x3) << 8 | (rnd() & 0x3));
	t->dst = htonl(0x0a000000 | (rnd() & 0x3) << 8 | (rnd() & 0x3));
	t->proto = protos[rnd() % LIG_ARRAY_LEN(protos)];
	t->sport = (u16)(1000 + rnd() % 4);
	t->dport = (u16)(79 + rnd() % 7);
	t->tcp_flags = (u8)(rnd() % 2 ? 0x02 : 0x12);
	t->l4_valid = rnd() % 16 != 0;
}

/* The classifier gives the same first match as the linear scan. */
static void
test_classify_matches_linear(void **state)
{
	(void)state;
	static const u32 sizes[] = {1, 3, 10, 50, 300, 1000};
	struct lig_acl_rule *rules = calloc(1000, sizeof(*rules));
	u32 mismatches = 0, matched = 0;

	for (u32 s = 0; s < LIG_ARRAY_LEN(sizes); s++) {
		u32 n = sizes[s];
		for (u32 i = 0; i < n; i++)
			random_rule(&rules[i]);
		struct lig_acl_classifier *c = lig_acl_classifier_build(rules, n);
		assert_non_null(c);
		for (u32 k = 0; k < 20000; k++) {
			struct lig_acl_5tuple t;
			random_tuple(&t);
			u32 a = lig_acl_classify(c, rules, &t),
			    b = lig_acl_match_linear(rules, n, &t);
			mismatches += a != b;
			matched += b != LIG_INVALID_INDEX;
		}
		/* Shapes are bounded by merging even though rule shapes vary a lot. */
		if (n >= 300)
			assert_true(lig_acl_classifier_n_shapes(c) < 64);
		lig_acl_classifier_free(c);
	}
	free(rules);
	assert_int_equal(mismatches, 0);
	assert_true(matched > 10000); /* the test exercised matches, not only misses */
}

static void
test_first_match_wins(void **state)
{
	(void)state;
	struct lig_acl_rule r[3] = {0};
	char why[128];
	for (int i = 0; i < 3; i++)
		r[i].sport_hi = r[i].dport_hi = 0xffff;
	/* 0: deny tcp dport 22 to 10.0.0.0/8; 1: permit 10.1.0.0/16 any; 2: deny all */
	r[0].action = LIG_ACL_DENY;
	r[0].dst = htonl(0x0a000000);
	r[0].dst_len = 8;
	r[0].proto = 6;
	r[0].dport_lo = r[0].dport_hi = 22;
	r[1].action = LIG_ACL_PERMIT;
	r[1].dst = htonl(0x0a010000);
	r[1].dst_len = 16;
	r[2].action = LIG_ACL_DENY;
	for (int i = 0; i < 3; i++)
		assert_int_equal(lig_acl_rule_check(&r[i], why, sizeof(why)), 0);
	struct lig_acl_classifier *c = lig_acl_classifier_build(r, 3);
	struct lig_acl_5tuple t = {.src = htonl(0xc0a80001),
				   .dst = htonl(0x0a010203),
				   .proto = 6,
				   .sport = 5555,
				   .dport = 22,
				   .l4_valid = 1};
	assert_int_equal(lig_acl_classify(c, r, &t), 0);
	t.dport = 23;
	assert_int_equal(lig_acl_classify(c, r, &t), 1);
	t.dst = htonl(0x0b000001);
	assert_int_equal(lig_acl_classify(c, r, &t), 2);
	/* A non-first fragment to port "22" has no ports: rule 0 (tcp) matches on protocol. */
	t.dst = htonl(0x0a010203);
	t.l4_valid = 0;
	t.dport = 0;
	assert_int_equal(lig_acl_classify(c, r, &t), 0);
	lig_acl_classifier_free(c);
	/* An empty ACL matches nothing. */
	c = lig_acl_classifier_build(r, 0);
	assert_int_equal(lig_acl_classify(c, r, &t), LIG_INVALID_INDEX);
	lig_acl_classifier_free(c);
}

static void
test_rule_check(void **state)
{
	(void)state;
	struct lig_acl_rule r = {.sport_hi = 0xffff, .dport_hi = 0xffff};
	char why[128];

	r.src = htonl(0x0a0101ff);
	r.src_len = 24;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), 0);
	assert_int_equal(r.src, htonl(0x0a010100)); /* masked to the prefix */
	r.src_len = 33;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL);
	r.src_len = 8;
	r.dport_lo = 80;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL); /* ports, proto 0 */
	r.proto = 6;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), 0);
	r.dport_lo = 90;
	r.dport_hi = 80;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL);
	r.dport_hi = 0xffff;
	r.proto = 17;
	r.tcp_flags_mask = 2;
	r.tcp_flags_value = 2;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL);
	r.proto = 6;
	r.tcp_flags_value = 4; /* outside the mask */
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL);
	r.action = 3;
	r.tcp_flags_value = 2;
	assert_int_equal(lig_acl_rule_check(&r, why, sizeof(why)), -EINVAL);
}

static void
test_parse(void **state)
{
	(void)state;
	u8 p[60] = {0x45, 0,	0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10,	 0,    0, 1, 10, 0, 0, 2,
		    0x13, 0x88, 0, 80, 0, 0, 0,	   0, 0,  0, 0, 0, 0x50, 0x12, 0, 0, 0,	 0, 0, 0};
	struct lig_acl_5tuple t;

	assert_int_equal(lig_acl_parse_ip4(p, 40, &t), 0);
	assert_int_equal(t.sport, 5000);
	assert_int_equal(t.dport, 80);
	assert_int_equal(t.tcp_flags, 0x12);
	assert_int_equal(t.l4_valid, 1);
	/* The TCP header cut: refused (tiny first fragment). */
	p[3] = 30;
	assert_int_equal(lig_acl_parse_ip4(p, 40, &t), LIG_ACL_PARSE_SHORT_L4);
	assert_int_equal(lig_acl_parse_ip4(p, 30, &t), LIG_ACL_PARSE_SHORT_L4);
	/* A non-first fragment: no L4. */
	p[3] = 28;
	p[6] = 0;
	p[7] = 3;
	assert_int_equal(lig_acl_parse_ip4(p, 28, &t), 0);
	assert_int_equal(t.l4_valid, 0);
	/* Bad headers. */
	assert_int_equal(lig_acl_parse_ip4(p, 19, &t), LIG_ACL_PARSE_BAD_IP);
	p[0] = 0x4f;
	assert_int_equal(lig_acl_parse_ip4(p, 40, &t), LIG_ACL_PARSE_BAD_IP);
	p[0] = 0x65;
	assert_int_equal(lig_acl_parse_ip4(p, 40, &t), LIG_ACL_PARSE_BAD_IP);
	p[0] = 0x45;
	p[3] = 10; /* total length below the header */
	assert_int_equal(lig_acl_parse_ip4(p, 40, &t), LIG_ACL_PARSE_BAD_IP);
	/* ICMP echo: type, code and identifier. */
	u8 icmp[28] = {0x45, 0, 0,  28, 0, 0, 0, 0, 64, 1, 0,	 0,    10, 0,
		       0,    1, 10, 0,	0, 2, 8, 0, 0,	0, 0x12, 0x34, 0,  1};
	assert_int_equal(lig_acl_parse_ip4(icmp, 28, &t), 0);
	assert_int_equal(t.sport, 8);
	assert_int_equal(t.icmp_id, 0x1234);

	/* A time exceeded quoting that echo request: its tuple comes out; cut, it does not. */
	u8 err[56] = {0x45, 0, 0,  56, 0, 0, 0,	 0, 64, 1, 0, 0, 10, 0,
		      0,    9, 10, 0,  0, 1, 11, 0, 0,	0, 0, 0, 0,  0};
	memcpy(err + 28, icmp, 28);
	struct lig_acl_5tuple outer, inner;
	assert_int_equal(lig_acl_parse_ip4(err, 56, &outer), 0);
	assert_int_equal(lig_acl_parse_icmp_error(err, 56, &outer, &inner), 0);
	assert_int_equal(inner.proto, 1);
	assert_int_equal(inner.icmp_id, 0x1234);
	assert_int_equal(inner.src, htonl(0x0a000001));
	assert_int_equal(lig_acl_parse_icmp_error(err, 50, &outer, &inner), -1);
	assert_int_equal(lig_acl_parse_icmp_error(icmp, 28, &t, &inner), -1); /* not an error */
}

static struct lig_acl_5tuple
tuple(u32 src, u32 dst, u8 proto, u16 sport, u16 dport, u8 flags)
{
	struct lig_acl_5tuple t = {.src = htonl(src),
				   .dst = htonl(dst),
				   .proto = proto,
				   .sport = sport,
				   .dport = dport,
				   .tcp_flags = flags,
				   .l4_valid = 1};
	return t;
}

static struct lig_acl_5tuple
reversed(const struct lig_acl_5tuple *t, u8 flags)
{
	struct lig_acl_5tuple r = *t;
	r.src = t->dst;
	r.dst = t->src;
	r.sport = t->dport;
	r.dport = t->sport;
	r.tcp_flags = flags;
	return r;
}

static void
test_sessions(void **state)
{
	(void)state;
	struct lig_acl_timeouts to = {.tcp_idle = 100, .tcp_transient = 2, .udp_idle = 5};
	assert_int_equal(lig_acl_session_config(64, 0, &to), 0);
	struct lig_acl_session_table *st = lig_acl_session_table_get(0);
	assert_non_null(st);
	double hz = lig_tsc_hz();
	u64 now = 1000000;
	struct lig_acl_skey k, rk;
	u32 si, found;
	bool rev;

	/* A TCP session from 10.0.0.1:1000 to 10.0.0.2:80 seen on input of interface 3. */
	struct lig_acl_5tuple t = tuple(0x0a000001, 0x0a000002, 6, 1000, 80, 0x02);
	lig_acl_skey_make(&k, &t, 3, LIG_ACL_INPUT);
	assert_int_equal(lig_acl_session_create(st, &k, 3, now, &si), 0);
	lig_acl_session_update(&st->sessions[si], &t, false, now);
	/* The same direction finds it forward, the reply on output finds it reversed. */
	assert_ptr_equal(lig_acl_session_find(&k, &found, &rev), st);
	assert_int_equal(found, si);
	assert_false(rev);
	struct lig_acl_5tuple r = reversed(&t, 0x12);
	lig_acl_skey_make(&rk, &r, 3, LIG_ACL_OUTPUT);
	assert_ptr_equal(lig_acl_session_find(&rk, &found, &rev), st);
	assert_true(rev);
	/* A new connection from the server to the client's port (SYN) on output is not the
	 * reply of anything on input: the reverse tuple but seen on input. */
	lig_acl_skey_make(&rk, &r, 3, LIG_ACL_INPUT);
	assert_null(lig_acl_session_find(&rk, &found, &rev));
	/* Another interface does not see it. */
	lig_acl_skey_make(&rk, &r, 4, LIG_ACL_OUTPUT);
	assert_null(lig_acl_session_find(&rk, &found, &rev));

	/* Transient until both SYNs: expires after 2 s idle, not after 1. */
	assert_false(lig_acl_session_expired(&st->sessions[si], now + (u64)(1 * hz)));
	assert_true(lig_acl_session_expired(&st->sessions[si], now + (u64)(3 * hz)));
	lig_acl_session_update(&st->sessions[si], &r, true, now); /* SYN-ACK back */
	assert_false(lig_acl_session_expired(&st->sessions[si], now + (u64)(50 * hz)));
	assert_true(lig_acl_session_expired(&st->sessions[si], now + (u64)(101 * hz)));
	struct lig_acl_5tuple fin = t;
	fin.tcp_flags = 0x11;
	lig_acl_session_update(&st->sessions[si], &fin, false, now);
	assert_true(lig_acl_session_expired(&st->sessions[si], now + (u64)(3 * hz)));

	/* ICMP: the reply to a request passes, a request from the other side does not. */
	struct lig_acl_5tuple ping = tuple(0x0a000001, 0x0a000003, 1, 8, 0, 0);
	ping.icmp_id = 77;
	lig_acl_skey_make(&k, &ping, 3, LIG_ACL_INPUT);
	u32 si2;
	assert_int_equal(lig_acl_session_create(st, &k, 3, now, &si2), 0);
	struct lig_acl_5tuple pong = reversed(&ping, 0);
	pong.sport = 0; /* echo reply */
	pong.dport = 0;
	lig_acl_skey_make(&rk, &pong, 3, LIG_ACL_OUTPUT);
	assert_non_null(lig_acl_session_find(&rk, &found, &rev));
	assert_int_equal(found, si2);
	struct lig_acl_5tuple other = reversed(&ping, 0);
	other.sport = 8; /* a request from 10.0.0.3 */
	lig_acl_skey_make(&rk, &other, 3, LIG_ACL_OUTPUT);
	assert_null(lig_acl_session_find(&rk, &found, &rev));

	/* Fill the table: 62 more fit, then -ENOSPC; deletions keep the rest findable. */
	u32 made = 2;
	for (u32 i = 0; i < 100; i++) {
		struct lig_acl_5tuple u = tuple(0x0a000100 + i, 0x0a000002, 17, 2000, 53, 0);
		lig_acl_skey_make(&k, &u, 5, LIG_ACL_INPUT);
		int rv = lig_acl_session_create(st, &k, 5, now, &si);
		if (rv == 0)
			made++;
		else
			assert_int_equal(rv, -ENOSPC);
	}
	assert_int_equal(made, 64);
	assert_int_equal(st->n_used, 64);
	for (u32 i = 0; i < 62; i += 2) {
		struct lig_acl_5tuple u = tuple(0x0a000100 + i, 0x0a000002, 17, 2000, 53, 0);
		lig_acl_skey_make(&k, &u, 5, LIG_ACL_INPUT);
		assert_non_null(lig_acl_session_find(&k, &found, &rev));
		lig_acl_session_delete(st, found);
	}
	for (u32 i = 0; i < 62; i++) {
		struct lig_acl_5tuple u = tuple(0x0a000100 + i, 0x0a000002, 17, 2000, 53, 0);
		lig_acl_skey_make(&k, &u, 5, LIG_ACL_INPUT);
		bool there = lig_acl_session_find(&k, &found, &rev) != NULL;
		assert_int_equal(there, i % 2 == 1);
		struct lig_acl_5tuple v = reversed(&u, 0);
		lig_acl_skey_make(&rk, &v, 5, LIG_ACL_OUTPUT);
		there = lig_acl_session_find(&rk, &found, &rev) != NULL;
		assert_int_equal(there, i % 2 == 1);
	}
	/* Aging: UDP after 5 s idle; a full sweep empties all but the TCP one (idle 100). */
	lig_acl_session_update(&st->sessions[si2], &ping, false, now);
	assert_int_equal(lig_acl_session_age(st, now + (u64)(10 * hz), st->n_sessions), 33);
	assert_int_equal(st->n_used, 0);

	/* The per-interface bound. */
	assert_int_equal(lig_acl_session_config(64, 2, &to), 0);
	st = lig_acl_session_table_get(0);
	for (u32 i = 0; i < 3; i++) {
		struct lig_acl_5tuple u = tuple(0x0a000200 + i, 0x0a000002, 17, 2000, 53, 0);
		lig_acl_skey_make(&k, &u, 6, LIG_ACL_INPUT);
		assert_int_equal(lig_acl_session_create(st, &k, 6, now, &si), i < 2 ? 0 : -EDQUOT);
	}
	assert_int_equal(st->if_full, 1);
	lig_acl_sessions_flush(6);
	assert_int_equal(st->n_used, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify_matches_linear),
	    cmocka_unit_test(test_first_match_wins),
	    cmocka_unit_test(test_rule_check),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_sessions),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}

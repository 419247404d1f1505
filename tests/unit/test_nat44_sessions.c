/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44's session table and pools alone (src/nat44/nat44.c): both keys of a session found,
 * deletion with colliding probe chains (backward shift keeps every other key findable),
 * a full table refuses, idle sessions expire by class (and a touched one does not), dynamic
 * ports kept when free, allocated within the thread's range, exhausted and freed again, and
 * the load-balancing pick follows the probabilities (and affinity sticks).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "interface/interface.h"
#include "nat44/nat44.h"
#include "vlib/graph.h"
#include "vlib/loop.h"
#include "vlib/module.h"

#define SEC 1000000000ull

static struct lig_nat44_thread *t;

static int
setup(void **state)
{
	(void)state;
	if (lig_graph_init() < 0 || lig_loop_init() < 0 || lig_run_init_functions() < 0)
		return -1;
	if (lig_nat44_enable(64) < 0)
		return -1;
	t = &lig_nat44_main.threads[0];
	return 0;
}

static struct lig_nat44_session
mk(u32 i)
{
	struct lig_nat44_session s = {
	    .f_src = 0x0a000001u + (i << 8),
	    .f_dst = 0x08080808u,
	    .f_sport = (u16)(1000 + i),
	    .f_dport = 53,
	    .t_src = 0x01010101u,
	    .t_dst = 0x08080808u,
	    .t_sport = (u16)(20000 + i),
	    .t_dport = 53,
	    .proto = 17,
	    .tc = LIG_NAT44_TC_UDP,
	};
	return s;
}

static void
test_keys_and_deletion(void **state)
{
	u32 si[64];
	bool rev;
	int err;
	(void)state;

	for (u32 i = 0; i < 64; i++) {
		struct lig_nat44_session s = mk(i);
		si[i] = lig_nat44_session_create(t, &s, 1 * SEC, &err);
		assert_int_not_equal(si[i], LIG_INVALID_INDEX);
	}
	assert_int_equal(t->n_sessions, 64);
	/* Full: refused and counted. */
	struct lig_nat44_session x = mk(100);
	assert_int_equal(lig_nat44_session_create(t, &x, 1 * SEC, &err), LIG_INVALID_INDEX);
	assert_int_equal(err, -ENOSPC);
	assert_int_equal(t->stats.table_full, 1);
	/* A key taken: refused. */
	for (u32 i = 0; i < 64; i += 2)
		lig_nat44_session_free(t, si[i]);
	struct lig_nat44_session dup = mk(1);
	assert_int_equal(lig_nat44_session_create(t, &dup, 1 * SEC, &err), LIG_INVALID_INDEX);
	assert_int_equal(err, -EEXIST);
	/* Every remaining session by both keys; the freed ones by neither. */
	for (u32 i = 0; i < 64; i++) {
		struct lig_nat44_session s = mk(i);
		u32 a =
		    lig_nat44_session_lookup(t, s.f_src, s.f_dst, s.f_sport, s.f_dport, 17, &rev);
		u32 b =
		    lig_nat44_session_lookup(t, s.t_dst, s.t_src, s.t_dport, s.t_sport, 17, &rev);
		if (i % 2) {
			assert_int_equal(a, si[i]);
			assert_int_equal(b, si[i]);
			assert_true(rev);
		} else {
			assert_int_equal(a, LIG_INVALID_INDEX);
			assert_int_equal(b, LIG_INVALID_INDEX);
		}
	}
	for (u32 i = 1; i < 64; i += 2)
		lig_nat44_session_free(t, si[i]);
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(t->n_free, t->max);
	for (u32 i = 0; i <= t->mask; i++)
		assert_int_equal(t->slots[i].value, LIG_INVALID_INDEX);
}

static void
test_expiry(void **state)
{
	int err;
	(void)state;

	lig_nat44_timeouts_set(10, 100, 5, 3);
	struct lig_nat44_session u = mk(1), i = mk(2), k = mk(3);
	i.proto = 1;
	i.tc = LIG_NAT44_TC_ICMP;
	u32 su = lig_nat44_session_create(t, &u, 100 * SEC, &err);
	u32 si = lig_nat44_session_create(t, &i, 100 * SEC, &err);
	u32 sk = lig_nat44_session_create(t, &k, 100 * SEC, &err);
	assert_int_not_equal(su, LIG_INVALID_INDEX);
	assert_int_not_equal(si, LIG_INVALID_INDEX);
	assert_int_not_equal(sk, LIG_INVALID_INDEX);
	/* At 104 s ICMP (3 s) is gone; UDP (10 s) stays. */
	assert_int_equal(lig_nat44_expire(t, 104 * SEC, 100), 1);
	assert_int_equal(t->n_sessions, 2);
	/* k used at 108 s: at 112 s u (idle 12 s) goes, k (idle 4 s) stays. */
	lig_nat44_session_touch(t, sk, LIG_NAT44_TC_UDP, 108 * SEC);
	assert_int_equal(lig_nat44_expire(t, 112 * SEC, 100), 1);
	assert_int_equal(t->n_sessions, 1);
	assert_int_equal(lig_nat44_expire(t, 119 * SEC, 100), 1);
	assert_int_equal(t->n_sessions, 0);
	lig_nat44_timeouts_set(LIG_NAT44_TIMEOUT_UDP, LIG_NAT44_TIMEOUT_TCP_ESTABLISHED,
			       LIG_NAT44_TIMEOUT_TCP_TRANSITORY, LIG_NAT44_TIMEOUT_ICMP);
}

static void
test_ports(void **state)
{
	(void)state;
	assert_int_equal(lig_nat44_address_add_del(0x01010101u, 0x01010101u, true), 0);
	/* The wanted port when free, then the next free ones; every one in range. */
	assert_int_equal(lig_nat44_port_alloc(t, 0, LIG_NAT44_PROTO_UDP, 5000), 5000);
	u16 p = lig_nat44_port_alloc(t, 0, LIG_NAT44_PROTO_UDP, 5000);
	assert_true(p != 5000 && p >= t->port_lo && p < t->port_hi);
	/* Exhaustion: every port of the range once, then 0; a freed one comes back. */
	u32 n = 2;
	while (lig_nat44_port_alloc(t, 0, LIG_NAT44_PROTO_UDP, 0))
		n++;
	assert_int_equal(n, (u32)(t->port_hi - t->port_lo));
	lig_nat44_port_free(0, LIG_NAT44_PROTO_UDP, 7777);
	assert_int_equal(lig_nat44_port_alloc(t, 0, LIG_NAT44_PROTO_UDP, 0), 7777);
	/* Other protocols have their own ports. */
	assert_int_equal(lig_nat44_port_alloc(t, 0, LIG_NAT44_PROTO_TCP, 5000), 5000);
	assert_int_equal(lig_nat44_address_add_del(0x01010101u, 0x01010101u, false), 0);
}

static void
test_lb_pick(void **state)
{
	struct lig_nat44_lb_local l[2] = {{.addr = 0x0a000002u, .port = 80, .probability = 80},
					  {.addr = 0x0a000003u, .port = 80, .probability = 20}};
	u32 count[2] = {0};
	(void)state;

	assert_int_equal(lig_nat44_lb_add_del(6, 0x0a600010u, 80, l, 2, 0, true), 0);
	struct lig_hash64_slot *m = lig_hash64_lookup(&lig_nat44_main.by_external,
						      lig_nat44_static_key(0x0a600010u, 80, 6));
	assert_non_null(m);
	for (u32 i = 0; i < 10000; i++)
		count[lig_nat44_lb_pick(t, (u32)m->value, i, SEC)]++;
	/* Binomial(10000, 0.8): mean 8000, sd 40; 5 sd either way. */
	assert_in_range(count[0], 7800, 8200);
	/* With affinity, one client keeps its backend. */
	assert_int_equal(lig_nat44_lb_add_del(6, 0x0a600010u, 80, NULL, 0, 0, false), 0);
	assert_int_equal(lig_nat44_lb_add_del(6, 0x0a600010u, 80, l, 2, 30, true), 0);
	m = lig_hash64_lookup(&lig_nat44_main.by_external,
			      lig_nat44_static_key(0x0a600010u, 80, 6));
	u32 first = lig_nat44_lb_pick(t, (u32)m->value, 42, SEC);
	for (u32 i = 0; i < 100; i++)
		assert_int_equal(lig_nat44_lb_pick(t, (u32)m->value, 42, SEC + i), first);
	assert_int_equal(lig_nat44_lb_add_del(6, 0x0a600010u, 80, NULL, 0, 0, false), 0);
}

/* A client reusing its source port towards another service behind the same backend: the
 * new DNAT session's reply key equals the old one's. A closed or half-open TCP session
 * (transitory) gives the key up; an established one keeps it. */
static void
test_reply_key_takeover(void **state)
{
	int err;
	(void)state;

	struct lig_nat44_session a = {
	    .f_src = 0xc0a85d02u, /* client:40000 -> service:80 */
	    .f_dst = 0x0a64000au,
	    .f_sport = 40000,
	    .f_dport = 80,
	    .t_src = 0xc0a85d02u, /* client:40000 -> backend:8080 */
	    .t_dst = 0x0a5c010bu,
	    .t_sport = 40000,
	    .t_dport = 8080,
	    .proto = 6,
	    .tc = LIG_NAT44_TC_TCP_EST,
	};
	struct lig_nat44_session b = a;
	b.f_dport = 81; /* the same client port to the service's other port, same backend */

	u32 sa = lig_nat44_session_create(t, &a, 1 * SEC, &err);
	assert_int_not_equal(sa, LIG_INVALID_INDEX);
	/* Established: the reply key stays taken. */
	assert_int_equal(lig_nat44_session_create(t, &b, 2 * SEC, &err), LIG_INVALID_INDEX);
	assert_int_equal(err, -EEXIST);
	/* Closed (transitory): the new session takes the key over. */
	lig_nat44_session_touch(t, sa, LIG_NAT44_TC_TCP_TRANS, 3 * SEC);
	u32 sb = lig_nat44_session_create(t, &b, 4 * SEC, &err);
	assert_int_not_equal(sb, LIG_INVALID_INDEX);
	assert_int_equal(t->n_sessions, 1);
	bool rev;
	assert_int_equal(
	    lig_nat44_session_lookup(t, b.t_dst, b.t_src, b.t_dport, b.t_sport, 6, &rev), sb);
	assert_true(rev);
	assert_int_equal(
	    lig_nat44_session_lookup(t, a.f_src, a.f_dst, a.f_sport, a.f_dport, 6, &rev),
	    LIG_INVALID_INDEX);
	lig_nat44_session_free(t, sb);
	assert_int_equal(t->n_sessions, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_and_deletion),
	    cmocka_unit_test(test_reply_key_takeover),
	    cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_lb_pick),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A worker may park for the barrier between two node calls with frames still queued
 * (vlib/graph.h): their buffers carry indices looked up before the control plane changed
 * things. The tables those indices name must stay safe to read and must not hand the
 * packets to whatever is created next. A worker in that state is faked here (parked,
 * its RCU sequence odd: online, frames queued), as the real one would be.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "handoff/worker_handoff.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "l2/l2.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"
#include "vlib/thread.h"
#include "vlib/trace.h"

static u32
ip(const char *s)
{
	u32 a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static int
setup_once(void **state)
{
	(void)state;
	return lig_buffer_pool_init(4096) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
		       lig_run_init_functions() < 0
		   ? -1
		   : 0;
}

/* One worker, parked in mid-pass: not quiescent, so deferred frees wait for it. */
static int
setup(void **state)
{
	(void)state;
	lig_n_workers = 1;
	lig_n_threads = 2;
	lig_threads[1].state = LIG_THREAD_PARKED;
	lig_threads[1].rcu_seq = 1;
	return 0;
}

/* It finishes its frames and goes offline: what waited for it runs. */
static int
teardown(void **state)
{
	(void)state;
	lig_threads[1].rcu_seq = 2;
	lig_rcu_poll();
	lig_n_workers = 0;
	lig_n_threads = 1;
	return 0;
}

/* A route's trie group is released after a grace period; its table is deleted (and a
 * table made in its slot) before the worker lets the grace period end. */
static void
test_group_release_outlives_its_table(void **state)
{
	struct lig_fib_path drop = {.type = LIG_FIB_PATH_DROP};

	(void)state;
	assert_int_equal(lig_fib_table_add_del(5, true), 0);
	u32 fi = lig_fib_table_find(5);
	assert_int_equal(
	    lig_fib_route_add_del(fi, ip("10.1.2.0"), 24, LIG_FIB_SRC_API, &drop, 1, true), 0);
	assert_int_equal(
	    lig_fib_route_add_del(fi, ip("10.1.2.0"), 24, LIG_FIB_SRC_API, NULL, 0, false), 0);
	assert_int_equal(lig_fib_table_add_del(5, false), 0);
	assert_int_equal(lig_fib_table_add_del(6, true), 0);
	u32 fi6 = lig_fib_table_find(6);
	/* The worker goes offline: the release runs, and must not touch table 6's trie. */
	lig_threads[1].rcu_seq = 2;
	lig_rcu_poll();
	assert_int_equal(lig_fib_main.tables[fi6].mtrie.n_free_groups, 0);
	assert_int_equal(
	    lig_fib_route_add_del(fi6, ip("10.9.9.0"), 24, LIG_FIB_SRC_API, &drop, 1, true), 0);
	assert_int_not_equal(lig_fib_lookup_lb(fi6, ip("10.9.9.1")), LIG_FIB_LB_INDEX_MISS);
	assert_int_equal(lig_fib_table_add_del(6, false), 0);
}

/* ip4-lookup of a packet whose VRF went while it was queued: a miss, not a crash, and not
 * a lookup in the next VRF made. */
static void
test_lookup_in_deleted_table(void **state)
{
	struct lig_fib_path drop = {.type = LIG_FIB_PATH_DROP};

	(void)state;
	assert_int_equal(lig_fib_table_add_del(7, true), 0);
	u32 fi = lig_fib_table_find(7);
	assert_int_equal(lig_fib_table_add_del(7, false), 0);
	assert_int_equal(lig_fib_lookup_lb(fi, ip("192.0.2.1")), LIG_FIB_LB_INDEX_MISS);
	assert_int_equal(lig_fib_table_add_del(8, true), 0);
	u32 fi8 = lig_fib_table_find(8);
	assert_int_not_equal(fi8, fi);
	assert_int_equal(
	    lig_fib_route_add_del(fi8, ip("192.0.2.0"), 24, LIG_FIB_SRC_API, &drop, 1, true), 0);
	assert_int_equal(lig_fib_lookup_lb(fi, ip("192.0.2.1")), LIG_FIB_LB_INDEX_MISS);
	assert_int_equal(lig_fib_table_add_del(8, false), 0);
}

/* A bridge domain deleted while packets of it were queued: the next domain made does not
 * take its index (l2-input would bridge them there). */
static void
test_bridge_domain_index_not_reused_at_once(void **state)
{
	(void)state;
	assert_int_equal(lig_bd_add_del(100, LIG_BD_F_DEFAULT, 0, true), 0);
	u32 old = lig_bd_find(100);
	assert_int_equal(lig_bd_add_del(100, 0, 0, false), 0);
	assert_int_equal(lig_bd_add_del(200, LIG_BD_F_DEFAULT, 0, true), 0);
	assert_int_not_equal(lig_bd_find(200), old);
	assert_null(lig_bd_get(old));
	assert_int_equal(lig_bd_add_del(200, 0, 0, false), 0);
}

/* A traced packet still queued across clear trace adds nothing to the next trace. */
static void
test_trace_cleared_while_queued(void **state)
{
	struct lig_node *input = lig_node_by_name("memif-input");
	u32 stale, fresh;

	(void)state;
	assert_non_null(input);
	assert_int_equal(lig_trace_enable("memif-input", 10, NULL), 0);
	assert_int_equal(lig_buffer_alloc(&stale, 1), 1);
	assert_true(lig_trace_start(input, lig_buffer_get(stale)));
	assert_non_null(lig_trace_add_record(input, lig_buffer_get(stale), 8));
	lig_trace_clear();
	assert_int_equal(lig_trace_enable("memif-input", 10, NULL), 0);
	assert_int_equal(lig_buffer_alloc(&fresh, 1), 1);
	assert_true(lig_trace_start(input, lig_buffer_get(fresh)));
	/* Both name packet 0 of the thread's trace; only the new one may add to it. */
	assert_null(lig_trace_add_record(input, lig_buffer_get(stale), 8));
	assert_non_null(lig_trace_add_record(input, lig_buffer_get(fresh), 8));
	assert_int_equal(lig_trace_main.packets[0].n_records, 1);
	lig_trace_clear();
	lig_buffer_free(&stale, 1);
	lig_buffer_free(&fresh, 1);
}

/* A deleted interface's worker hand-off goes with it: the next interface made with its
 * index (and packets still queued for it) are not handed off. */
static void
test_handoff_goes_with_its_interface(void **state)
{
	static struct lig_str out;

	(void)state;
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("loopback create", &out), 0);
	u32 sw = lig_if_by_name("loop0")->sw_if_index;
	assert_int_equal(lig_worker_handoff_enable(sw, LIG_FEATURE_ARC_L2_INPUT, 0, true), 0);
	assert_int_equal(lig_worker_handoff_thread(sw, LIG_FEATURE_ARC_L2_INPUT), 1);
	assert_int_equal(lig_if_delete(sw), 0);
	assert_int_equal(lig_worker_handoff_thread(sw, LIG_FEATURE_ARC_L2_INPUT), 0);
	assert_int_equal(lig_feature_ifs[LIG_FEATURE_ARC_L2_INPUT][sw].n, 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_group_release_outlives_its_table),	    T(test_lookup_in_deleted_table),
	    T(test_bridge_domain_index_not_reused_at_once), T(test_trace_cleared_while_queued),
	    T(test_handoff_goes_with_its_interface),
	};
#undef T
	return cmocka_run_group_tests(tests, setup_once, NULL);
}

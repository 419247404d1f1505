/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of thread handoff (vlib/handoff.h) with two real workers: main to a worker,
 * worker to worker (a relay node), a sleeping destination woken, congestion while the
 * destination is parked, invalid destinations, and every buffer back at the end. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>
#include <cmocka.h>

#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/handoff.h"
#include "vlib/loop.h"
#include "vlib/str.h"
#include "vlib/thread.h"

#define N_BUFFERS 16384

/* Packets the sink saw, by the thread it ran on; packets whose payload was wrong. */
static u64 sink_seen[LIG_THREAD_MAX];
static u64 sink_bad;
/* Where the relay hands its packets on to. */
static u32 relay_to = 2;

static u32
test_sink_fn(struct lig_node *node, struct lig_frame *frame)
{
	(void)node;
	for (u32 i = 0; i < frame->n_vectors; i++) {
		struct lig_buffer *b = lig_buffer_get(frame->buffers[i]);
		if (b->current_length != 60 || lig_buffer_data(b)[0] != 0xab)
			__atomic_add_fetch(&sink_bad, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&sink_seen[lig_thread_index], frame->n_vectors, __ATOMIC_RELAXED);
	lig_buffer_free(frame->buffers, frame->n_vectors);
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_sink_node) = {
    .name = "test-handoff-sink",
    .function = test_sink_fn,
};

static u64 relay_seen[LIG_THREAD_MAX];

static u32
test_relay_fn(struct lig_node *node, struct lig_frame *frame)
{
	(void)node;
	__atomic_add_fetch(&relay_seen[lig_thread_index], frame->n_vectors, __ATOMIC_RELAXED);
	lig_handoff_enqueue(relay_to, test_sink_node.index, frame->buffers, frame->n_vectors);
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_relay_node) = {
    .name = "test-handoff-relay",
    .function = test_relay_fn,
};

static u64
seen(u64 *counts, u32 thread)
{
	return __atomic_load_n(&counts[thread], __ATOMIC_RELAXED);
}

/* Allocates n 60-byte packets marked 0xab. Main allocates from the pool itself, under
 * the barrier (as in ligd, where main's datapath work runs under it). */
static u32
make_packets(u32 *bis, u32 n)
{
	lig_barrier_sync();
	u32 got = lig_buffer_alloc(bis, n);
	lig_barrier_release();
	for (u32 i = 0; i < got; i++) {
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		b->current_length = 60;
		lig_buffer_data(b)[0] = 0xab;
	}
	return got;
}

/* Waits (at most 2 s) until counts[thread] reaches want. */
static void
wait_for(u64 *counts, u32 thread, u64 want)
{
	for (u32 i = 0; i < 2000 && seen(counts, thread) < want; i++)
		usleep(1000);
	assert_int_equal(seen(counts, thread), want);
}

static u32
free_buffers(void)
{
	lig_barrier_sync();
	u32 n = lig_buffer_n_free();
	lig_barrier_release();
	return n;
}

/* Before the workers start: handoff to oneself goes straight into the node's frame. */
static void
test_no_workers_direct(void **state)
{
	u32 bis[10];
	struct lig_handoff_stats st;
	(void)state;

	assert_int_equal(make_packets(bis, 10), 10);
	assert_int_equal(lig_handoff_enqueue(0, test_sink_node.index, bis, 10), 10);
	assert_true(lig_graph_has_pending());
	lig_graph_run_once();
	assert_int_equal(seen(sink_seen, 0), 10);
	/* No such thread: freed and counted, nothing queued. */
	assert_int_equal(make_packets(bis, 3), 3);
	assert_int_equal(lig_handoff_enqueue(1, test_sink_node.index, bis, 3), 0);
	assert_false(lig_graph_has_pending());
	lig_handoff_stats(~0u, ~0u, &st);
	assert_int_equal(st.invalid, 3);
	assert_int_equal(lig_buffer_n_free(), N_BUFFERS);
	sink_seen[0] = 0;
}

static void
start_workers(void)
{
	struct lig_thread_config c = {.main_core = -1, .n_workers = 2};
	assert_int_equal(lig_threads_start(&c), 0);
	assert_int_equal(lig_n_threads, 3);
}

/* Main hands bursts to worker 1, which may be asleep: all arrive there, intact. */
static void
test_main_to_worker(void **state)
{
	u32 bis[256];
	struct lig_handoff_stats st;
	(void)state;

	start_workers();
	/* Let the workers go to sleep in epoll so the wakeup path is taken. */
	usleep(200000);
	u64 total = 0;
	for (u32 round = 0; round < 20; round++) {
		u32 n = make_packets(bis, 200);
		assert_int_equal(n, 200);
		assert_int_equal(lig_handoff_enqueue(1, test_sink_node.index, bis, n), n);
		total += n;
		if (round % 5 == 0)
			usleep(50000); /* asleep again */
	}
	wait_for(sink_seen, 1, total);
	assert_int_equal(seen(sink_seen, 2), 0);
	assert_int_equal(sink_bad, 0);
	lig_handoff_stats(0, 1, &st);
	assert_int_equal(st.enqueued, total);
	assert_int_equal(st.congestion, 0);
	assert_true(st.wakeups >= 1);
	assert_int_equal(free_buffers(), N_BUFFERS);
}

/* Worker 1 runs the relay, which hands on to worker 2's sink: worker to worker. */
static void
test_worker_to_worker(void **state)
{
	u32 bis[256];
	struct lig_handoff_stats st;
	(void)state;

	u64 before = seen(sink_seen, 2);
	for (u32 round = 0; round < 10; round++) {
		assert_int_equal(make_packets(bis, 100), 100);
		assert_int_equal(lig_handoff_enqueue(1, test_relay_node.index, bis, 100), 100);
	}
	wait_for(relay_seen, 1, 1000);
	wait_for(sink_seen, 2, before + 1000);
	assert_int_equal(sink_bad, 0);
	lig_handoff_stats(1, 2, &st);
	assert_int_equal(st.enqueued, 1000);
	assert_int_equal(free_buffers(), N_BUFFERS);
}

/* What main queued on its own graph (two nodes, as a control-plane change queues its
 * packets under the barrier) handed to worker 1 after the release: it runs there, node
 * by node (the relay's on to worker 2), and nothing stays queued on main. */
static void
test_main_frames_to_worker(void **state)
{
	u32 bis[300];
	(void)state;

	relay_to = 2;
	u64 s0 = seen(sink_seen, 0), s1 = seen(sink_seen, 1), s2 = seen(sink_seen, 2);
	u64 r1 = seen(relay_seen, 1);
	assert_int_equal(make_packets(bis, 300), 300);
	lig_barrier_sync();
	for (u32 i = 0; i < 260; i++) /* more than a frame: two frames of the sink */
		lig_node_put(test_sink_node.index, bis[i]);
	for (u32 i = 260; i < 300; i++)
		lig_node_put(test_relay_node.index, bis[i]);
	lig_barrier_release();
	assert_true(lig_graph_has_pending());
	assert_int_equal(lig_graph_handoff_pending(1), 300);
	assert_false(lig_graph_has_pending());
	wait_for(sink_seen, 1, s1 + 260);
	wait_for(relay_seen, 1, r1 + 40);
	wait_for(sink_seen, 2, s2 + 40);
	assert_int_equal(seen(sink_seen, 0), s0);
	assert_int_equal(sink_bad, 0);
	assert_int_equal(free_buffers(), N_BUFFERS);
}

/* With worker 1 parked nothing drains its ring: what does not fit is dropped and
 * counted, and what fit runs after the release. */
static void
test_congestion(void **state)
{
	u32 bis[512];
	struct lig_handoff_stats st0, st;
	(void)state;

	u64 before = seen(sink_seen, 1);
	lig_handoff_stats(0, 1, &st0);
	lig_barrier_sync();
	u32 queued = 0, sent = 0;
	while (sent < LIG_HANDOFF_RING_SIZE + 1000) {
		u32 n = make_packets(bis, 500);
		assert_int_equal(n, 500);
		queued += lig_handoff_enqueue(1, test_sink_node.index, bis, n);
		sent += n;
	}
	assert_int_equal(queued, LIG_HANDOFF_RING_SIZE);
	assert_true(lig_handoff_pending(1));
	assert_int_equal(seen(sink_seen, 1), before); /* parked: nothing ran */
	lig_barrier_release();
	wait_for(sink_seen, 1, before + LIG_HANDOFF_RING_SIZE);
	lig_handoff_stats(0, 1, &st);
	assert_int_equal(st.enqueued - st0.enqueued, LIG_HANDOFF_RING_SIZE);
	assert_int_equal(st.congestion - st0.congestion, sent - LIG_HANDOFF_RING_SIZE);
	assert_false(lig_handoff_pending(1));
	assert_int_equal(free_buffers(), N_BUFFERS);

	struct lig_str s = {0};
	lig_barrier_sync();
	lig_handoff_show(&s);
	lig_barrier_release();
	assert_non_null(s.buf);
	assert_non_null(strstr(s.buf, "0 -> 1:"));
	lig_str_free(&s);
}

/* A destination or node that does not exist: every buffer freed, counted. */
static void
test_invalid(void **state)
{
	u32 bis[8];
	struct lig_handoff_stats st0, st;
	(void)state;

	lig_handoff_stats(~0u, ~0u, &st0);
	assert_int_equal(make_packets(bis, 8), 8);
	assert_int_equal(lig_handoff_enqueue(LIG_THREAD_MAX + 5, test_sink_node.index, bis, 8), 0);
	assert_int_equal(make_packets(bis, 8), 8);
	assert_int_equal(lig_handoff_enqueue(1, 0xfffffff0u, bis, 8), 0);
	assert_int_equal(lig_handoff_enqueue(1, test_sink_node.index, bis, 0), 0);
	lig_handoff_stats(~0u, ~0u, &st);
	assert_int_equal(st.invalid - st0.invalid, 16);
	assert_int_equal(free_buffers(), N_BUFFERS);
}

static int
setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(N_BUFFERS) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	lig_threads_stop();
	lig_threads_free();
	lig_graph_free();
	lig_loop_free();
	lig_buffer_pool_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_workers_direct), cmocka_unit_test(test_main_to_worker),
	    cmocka_unit_test(test_worker_to_worker),  cmocka_unit_test(test_main_frames_to_worker),
	    cmocka_unit_test(test_congestion),	      cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

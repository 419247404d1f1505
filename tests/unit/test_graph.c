/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the graph: frame splitting at 256, coalescing, dispatch order, stats. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "interface/interface.h"
#include "loopback/loopback.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/trace.h"

static struct {
	u32 node;
	u32 n;
} call_log[64];
static u32 n_calls;
static u32 to_produce;

static void
log_call(struct lig_node *node, u32 n)
{
	if (n_calls < LIG_ARRAY_LEN(call_log)) {
		call_log[n_calls].node = node->index;
		call_log[n_calls++].n = n;
	}
}

enum { SRC_NEXT_A, SRC_N_NEXT };

static u32
test_src_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 bis[1024];
	u32 n = lig_buffer_alloc(bis, to_produce);
	(void)frame;
	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		b->current_length = 60;
		lig_trace_start(node, b);
	}
	lig_enqueue_n(node, SRC_NEXT_A, bis, n);
	to_produce = 0;
	return n;
}

LIG_REGISTER_NODE(test_src_node) = {
    .name = "test-src",
    .type = LIG_NODE_INPUT,
    .function = test_src_fn,
    .n_next_nodes = SRC_N_NEXT,
    .next_nodes = {[SRC_NEXT_A] = "test-a"},
};

enum { A_NEXT_B, A_NEXT_SINK, A_N_NEXT };

static void
test_a_format(struct lig_str *s, const void *r)
{
	lig_str_printf(s, "seen by a: %u", *(const u32 *)r);
}

/* The calls logged since reset() were these (node, vectors) pairs, in this order. */
static void
assert_calls(const u32 (*want)[2], u32 n)
{
	assert_int_equal(n_calls, n);
	for (u32 i = 0; i < n_calls; i++) {
		assert_int_equal(call_log[i].node, want[i][0]);
		assert_int_equal(call_log[i].n, want[i][1]);
	}
}

/* A worker's barrier epoch, as lig_graph.yield_epoch points at it; test-a raises it
 * (makes it odd) when raise_in_a is set, as main would while the node runs. */
static u32 fake_epoch;
static bool raise_in_a;

static u32
test_a_fn(struct lig_node *node, struct lig_frame *frame)
{
	u16 nexts[LIG_FRAME_SIZE];
	log_call(node, frame->n_vectors);
	if (raise_in_a)
		fake_epoch |= 1;
	for (u32 i = 0; i < frame->n_vectors; i++) {
		struct lig_buffer *b = lig_buffer_get(frame->buffers[i]);
		u32 *t =
		    lig_buffer_is_traced(b) ? lig_trace_add_record(node, b, sizeof(u32)) : NULL;
		if (t)
			*t = i;
		nexts[i] = i & 1 ? A_NEXT_SINK : A_NEXT_B;
	}
	lig_enqueue_to_next(node, frame->buffers, nexts, frame->n_vectors);
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_a_node) = {
    .name = "test-a",
    .function = test_a_fn,
    .format_trace = test_a_format,
    .n_next_nodes = A_N_NEXT,
    .next_nodes = {[A_NEXT_B] = "test-b", [A_NEXT_SINK] = "test-sink"},
};

enum { B_NEXT_SINK, B_N_NEXT };
enum { B_ERROR_ODD, B_N_ERROR };
static const char *const test_b_errors[] = {"odd packet dropped"};
static u32 b_drop_every;

static u32
test_b_fn(struct lig_node *node, struct lig_frame *frame)
{
	log_call(node, frame->n_vectors);
	for (u32 i = 0; i < frame->n_vectors; i++) {
		if (b_drop_every && i % b_drop_every == 0)
			lig_drop(node, frame->buffers[i], B_ERROR_ODD);
		else
			lig_enqueue(node, B_NEXT_SINK, frame->buffers[i]);
	}
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_b_node) = {
    .name = "test-b",
    .function = test_b_fn,
    .n_errors = B_N_ERROR,
    .error_strings = test_b_errors,
    .n_next_nodes = B_N_NEXT,
    .next_nodes = {[B_NEXT_SINK] = "test-sink"},
};

static u32 sunk;

static u32
test_sink_fn(struct lig_node *node, struct lig_frame *frame)
{
	log_call(node, frame->n_vectors);
	sunk += frame->n_vectors;
	lig_buffer_free(frame->buffers, frame->n_vectors);
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_sink_node) = {
    .name = "test-sink",
    .function = test_sink_fn,
};

/* Counts what it receives and frees nothing (tests put the same buffer many times). */
static u64 counted;

static u32
test_count_fn(struct lig_node *node, struct lig_frame *frame)
{
	(void)node;
	counted += frame->n_vectors;
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_count_node) = {
    .name = "test-count",
    .function = test_count_fn,
};

/* Sends everything back to itself while storm is set: a forwarding loop. */
static bool storm;
static u64 storm_calls;
enum { LOOP_NEXT_SELF, LOOP_N_NEXT };

static u32
test_loop_fn(struct lig_node *node, struct lig_frame *frame)
{
	storm_calls++;
	if (storm)
		lig_enqueue_n(node, LOOP_NEXT_SELF, frame->buffers, frame->n_vectors);
	else
		lig_buffer_free(frame->buffers, frame->n_vectors);
	return frame->n_vectors;
}

LIG_REGISTER_NODE(test_loop_node) = {
    .name = "test-loop",
    .function = test_loop_fn,
    .n_next_nodes = LOOP_N_NEXT,
    .next_nodes = {[LOOP_NEXT_SELF] = "test-loop"},
};

static int
setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(4096) < 0 || lig_graph_init() < 0)
		return -1;
	lig_node_by_name("test-src")->input_enabled = 1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	lig_graph_free();
	lig_buffer_pool_free();
	return 0;
}

static void
reset(void)
{
	n_calls = 0;
	sunk = 0;
	b_drop_every = 0;
	lig_graph_clear_runtime();
	lig_graph_clear_errors();
}

/*
 * 300 packets: test-a gets a full frame and a 44-packet one; the halves it sends on
 * coalesce into one frame each for test-b and test-sink; test-b's 150 fill test-sink's
 * open frame to 256 and spill 44 into a new one, dispatched in the order opened.
 */
static void
test_dispatch_order_and_coalescing(void **state)
{
	u32 a = test_a_node.index, b = test_b_node.index, s = test_sink_node.index;
	(void)state;

	reset();
	to_produce = 300;
	assert_int_equal(lig_graph_run_once(), 300 + 300 + 150 + 300);
	const u32 want[][2] = {{a, 256}, {a, 44}, {b, 150}, {s, 256}, {s, 44}};
	assert_calls(want, LIG_ARRAY_LEN(want));
	assert_int_equal(sunk, 300);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
	/* Runtime statistics match what ran. */
	struct lig_node *na = &lig_graph.nodes[a];
	assert_int_equal(na->calls, 2);
	assert_int_equal(na->vectors, 300);
	assert_true(na->clocks > 0);
	assert_int_equal(lig_graph.nodes[s].calls, 2);
	/* Nothing is left queued. */
	assert_int_equal(lig_graph_dispatch_pending(), 0);
	assert_int_equal(lig_graph.n_free_frames, lig_graph.n_frames);
}

static void
test_idle_poll_not_counted(void **state)
{
	(void)state;
	reset();
	to_produce = 0;
	assert_int_equal(lig_graph_run_once(), 0);
	assert_int_equal(lig_node_by_name("test-src")->calls, 0);
	assert_int_equal(n_calls, 0);
}

static void
test_drop_counts_error(void **state)
{
	(void)state;
	reset();
	b_drop_every = 3;
	to_produce = 60;
	lig_graph_run_once();
	/* test-b got 30 packets (even indices of a's frame); every third dropped. */
	struct lig_node *nb = lig_node_by_name("test-b");
	assert_int_equal(lig_graph.error_counters[nb->error_base + B_ERROR_ODD], 10);
	assert_int_equal(sunk, 50);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
	struct lig_str s = {0};
	lig_graph_show_errors(&s, false);
	assert_non_null(strstr(lig_str_cstr(&s), "odd packet dropped"));
	lig_str_free(&s);
}

static void
test_many_bursts_reuse_frames(void **state)
{
	(void)state;
	reset();
	u32 frames_before = lig_graph.n_frames;
	for (int i = 0; i < 1000; i++) {
		to_produce = 1000;
		lig_graph_run_once();
	}
	assert_int_equal(sunk, 1000 * 1000);
	/* Steady state reuses frames: the pool stopped growing after warm-up. */
	assert_true(lig_graph.n_frames <= frames_before + 16);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
}

static void
test_trace(void **state)
{
	struct lig_str out = {0}, err = {0};
	(void)state;

	reset();
	lig_trace_clear();
	assert_int_equal(lig_trace_enable("test-a", 2, &err), -EINVAL); /* not an input node */
	assert_int_equal(lig_trace_enable("no-such-node", 2, &err), -ENOENT);
	assert_int_equal(lig_trace_enable("test-src", 2, &err), 0);
	to_produce = 10;
	lig_graph_run_once();
	lig_trace_show(&out, 100);
	const char *t = lig_str_cstr(&out);
	assert_non_null(strstr(t, "Packet 1"));
	assert_non_null(strstr(t, "Packet 2"));
	assert_null(strstr(t, "Packet 3"));
	assert_non_null(strstr(t, "seen by a: 1"));
	lig_str_free(&out);
	lig_str_free(&err);
	lig_trace_clear();
}

static void
test_add_next(void **state)
{
	(void)state;
	u32 src = lig_node_by_name("test-sink")->index;
	u32 dst = lig_node_by_name("test-b")->index;
	int k = lig_node_add_next(src, dst);
	assert_true(k >= 0);
	assert_int_equal(lig_node_add_next(src, dst), k);
}

/* Every frame of the pool queued at once, then more: the dispatch ring must neither
 * wrap onto itself (full reading as empty lost every queued frame) nor drop frames
 * when it grows with frames queued. */
static void
test_all_frames_queued(void **state)
{
	u32 bi = 0;
	(void)state;

	reset();
	assert_int_equal(lig_buffer_alloc(&bi, 1), 1);
	counted = 0;
	u32 n_frames = lig_graph.n_frames;
	assert_true(lig_graph.queue_mask + 1 > n_frames);
	u64 total = (u64)n_frames * LIG_FRAME_SIZE;
	for (u64 i = 0; i < total; i++)
		lig_node_put(test_count_node.index, bi);
	assert_int_equal(lig_graph.n_free_frames, 0);
	assert_int_equal((lig_graph.queue_tail - lig_graph.queue_head) & lig_graph.queue_mask,
			 n_frames);
	/* One more opens a frame beyond the pool: it grows with every frame queued. */
	for (u32 i = 0; i < 10; i++)
		lig_node_put(test_count_node.index, bi);
	assert_true(lig_graph.n_frames > n_frames);
	assert_true(lig_graph.queue_mask + 1 > lig_graph.n_frames);
	lig_graph_dispatch_pending();
	assert_int_equal(counted, total + 10);
	assert_int_equal(lig_graph.n_free_frames, lig_graph.n_frames);
	lig_buffer_free_one(bi);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
}

static u64
error_count(const char *node_name, const char *reason)
{
	struct lig_node *n = lig_node_by_name(node_name);
	assert_non_null(n);
	for (u32 e = 0; e < n->n_errors; e++)
		if (strcmp(n->error_strings[e], reason) == 0)
			return lig_graph.error_counters[n->error_base + e];
	fail_msg("%s has no error '%s'", node_name, reason);
	return 0;
}

/* A frame to or from mac 02:00:00:00:00:01 of len bytes (a chain if it is long). */
static u32
frame_for(const u8 *dst, u32 len)
{
	static u8 f[4000];
	memset(f, 0, sizeof(f));
	memcpy(f, dst, 6);
	memcpy(f + 6, (u8[]){0x02, 0, 0, 0, 0, 0x01}, 6);
	f[12] = 0x88, f[13] = 0xb5; /* local experimental ethertype: no L3 for it */
	u32 bi = lig_buffer_from_bytes(f, len);
	assert_int_not_equal(bi, LIG_INVALID_INDEX);
	return bi;
}

/* Loopback: interface-output checks admin state and MTU, loopback-tx turns the frame
 * around into ethernet-input on the same interface. */
static void
test_loopback_output(void **state)
{
	u32 sw;
	(void)state;

	reset();
	assert_int_equal(lig_loopback_create(NULL, 7, &sw), 0);
	struct lig_interface *ifp = lig_if_get(sw);
	u32 out = lig_if_output_node_index();
	u32 bi = frame_for(ifp->mac, 60);
	lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
	lig_node_put(out, bi);
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("interface-output", "interface is admin down"), 1);

	assert_int_equal(lig_if_set_admin(sw, true), 0);
	assert_true(ifp->link_up);
	bi = frame_for(ifp->mac, 60);
	lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
	lig_node_put(out, bi);
	bi = frame_for(ifp->mac, 1500 + 18 + 1); /* one byte over: a two-buffer chain */
	lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
	lig_node_put(out, bi);
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("interface-output", "frame larger than tx interface MTU"), 1);
	assert_int_equal(lig_if_counters(ifp)->tx_errors, 1);
	assert_int_equal(lig_if_counters(ifp)->tx_packets, 1);
	assert_int_equal(lig_if_counters(ifp)->rx_packets, 1);
	/* Back in on loop7, addressed to it, but no L3 protocol in this test binary. */
	assert_int_equal(error_count("ethernet-input", "no L3 protocol for ethertype"), 1);
	/* Drops count against the rx interface: only the frame that came in on loop7. */
	assert_int_equal(lig_if_counters(ifp)->drops, 1);
	/* Single buffers (interface-output's plain path): a frame of MTU + 18 bytes leaves,
	 * one byte more does not; an empty buffer to an interface that is down is dropped. */
	assert_int_equal(lig_if_set_mtu(sw, 1000), 0);
	for (u32 len = 1018; len <= 1019; len++) {
		bi = frame_for(ifp->mac, len);
		assert_false(lig_buffer_get(bi)->flags & LIG_BUFFER_NEXT_PRESENT);
		lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
		lig_node_put(out, bi);
	}
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("interface-output", "frame larger than tx interface MTU"), 2);
	assert_int_equal(lig_if_counters(ifp)->tx_packets, 2);
	assert_int_equal(lig_if_counters(ifp)->tx_bytes, 60 + 1018);
	assert_int_equal(lig_if_set_admin(sw, false), 0);
	bi = frame_for(ifp->mac, 60);
	lig_buffer_get(bi)->current_length = 0;
	lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
	lig_node_put(out, bi);
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("interface-output", "interface is admin down"), 2);
	assert_int_equal(lig_if_counters(ifp)->tx_packets, 2);
	/* Source MACs ethernet-input would drop are refused. */
	static const u8 zero[6], mcast[6] = {0x01, 0, 0x5e, 0, 0, 1};
	assert_int_equal(lig_if_set_mac(sw, zero), -EINVAL);
	assert_int_equal(lig_if_set_mac(sw, mcast), -EINVAL);
	u32 sw2;
	assert_int_equal(lig_loopback_create(zero, LIG_INVALID_INDEX, &sw2), -EINVAL);
	assert_int_equal(lig_loopback_create(mcast, LIG_INVALID_INDEX, &sw2), -EINVAL);
	assert_int_equal(lig_if_delete(sw), 0);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
}

/* An interface deleted while its packets wait in pending frames: every core node
 * drops them by a named reason, nothing touches the freed interface (ASan), no leak. */
static void
test_interface_deleted_in_flight(void **state)
{
	u32 sw;
	(void)state;

	reset();
	assert_int_equal(lig_loopback_create(NULL, LIG_INVALID_INDEX, &sw), 0);
	assert_int_equal(lig_if_set_admin(sw, true), 0);
	const u8 *mac = lig_if_get(sw)->mac;
	struct lig_node *eth = lig_node_by_name("ethernet-input");
	struct lig_node *lo_tx = lig_node_by_name("loopback-tx");
	for (int i = 0; i < 3; i++) {
		u32 bi = frame_for(mac, 60);
		lig_buffer_get(bi)->sw_if_index[LIG_RX] = sw;
		lig_node_put(eth->index, bi);
		bi = frame_for(mac, 60);
		lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
		lig_node_put(lig_if_output_node_index(), bi);
		bi = frame_for(mac, 60);
		lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
		lig_node_put(lo_tx->index, bi);
		bi = frame_for(mac, 60);
		lig_buffer_get(bi)->sw_if_index[LIG_RX] = sw;
		lig_drop(eth, bi, 0);
	}
	assert_int_equal(lig_if_delete(sw), 0);
	lig_graph_dispatch_pending();
	/* ethernet-input: its own 3 and the 3 loopback-tx turned around. */
	assert_int_equal(error_count("ethernet-input", "rx interface does not exist"), 6);
	assert_int_equal(error_count("interface-output", "tx interface does not exist"), 3);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
	assert_int_equal(lig_graph.n_free_frames, lig_graph.n_frames);
}

/* Deleting an interface and creating another before the queued frames run: the new
 * interface gets a fresh index, so the old packets are dropped, not sent on it. */
static void
test_interface_index_not_reused_at_once(void **state)
{
	u32 sw, sw2;
	(void)state;

	reset();
	assert_int_equal(lig_loopback_create(NULL, LIG_INVALID_INDEX, &sw), 0);
	assert_int_equal(lig_if_set_admin(sw, true), 0);
	u32 bi = frame_for(lig_if_get(sw)->mac, 60);
	lig_buffer_get(bi)->sw_if_index[LIG_TX] = sw;
	lig_node_put(lig_if_output_node_index(), bi);
	assert_int_equal(lig_if_delete(sw), 0);
	assert_int_equal(lig_loopback_create(NULL, LIG_INVALID_INDEX, &sw2), 0);
	assert_int_equal(lig_if_set_admin(sw2, true), 0);
	assert_int_not_equal(sw2, sw);
	lig_graph_dispatch_pending();
	assert_int_equal(error_count("interface-output", "tx interface does not exist"), 1);
	assert_int_equal(lig_if_counters(lig_if_get(sw2))->tx_packets, 0);
	assert_int_equal(lig_if_delete(sw2), 0);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
}

/* A forwarding loop inside the graph must not keep one dispatch call (and with it the
 * main loop, the CLI that could undo it, timers and signals) busy forever. */
static void
test_forwarding_loop_bounded(void **state)
{
	u32 bis[3];
	(void)state;

	reset();
	storm = true;
	storm_calls = 0;
	assert_int_equal(lig_buffer_alloc(bis, 3), 3);
	for (u32 i = 0; i < 3; i++)
		lig_node_put(test_loop_node.index, bis[i]);
	assert_true(lig_graph_run_once() > 0);
	assert_true(lig_graph_has_pending());
	assert_true(storm_calls <= 1 + LIG_GRAPH_DISPATCH_EXTRA);
	u64 calls = storm_calls;
	lig_graph_run_once();
	assert_true(storm_calls - calls <= 1 + LIG_GRAPH_DISPATCH_EXTRA);
	/* The loop is undone (as the CLI would): what is queued drains. */
	storm = false;
	lig_graph_run_once();
	assert_false(lig_graph_has_pending());
	assert_int_equal(lig_buffer_pool.n_free, 4096);
	assert_int_equal(lig_graph.n_free_frames, lig_graph.n_frames);
}

/* A worker whose barrier is raised while a node runs stops after that node call, leaves
 * the rest of the pass queued, and finishes it, in order, once released. */
static void
test_pass_stops_for_the_barrier(void **state)
{
	u32 a = test_a_node.index, b = test_b_node.index, s = test_sink_node.index;
	(void)state;

	reset();
	fake_epoch = 0;
	lig_graph.yield_epoch = &fake_epoch;
	raise_in_a = true;
	to_produce = 300;
	assert_int_equal(lig_graph_run_once(), 300 + 256);
	assert_int_equal(n_calls, 1);
	assert_true(lig_graph.yielded);
	assert_true(lig_graph_has_pending());
	/* Still raised: nothing more runs, not even the input nodes. */
	to_produce = 10;
	assert_int_equal(lig_graph_run_once(), 0);
	assert_int_equal(n_calls, 1);
	/* Released: the rest of the pass, in the order it was queued. */
	raise_in_a = false;
	fake_epoch++;
	lig_graph.yielded = false;
	assert_int_equal(lig_graph_dispatch_pending(), 44 + 150 + 300);
	const u32 want[][2] = {{a, 256}, {a, 44}, {b, 150}, {s, 256}, {s, 44}};
	assert_calls(want, LIG_ARRAY_LEN(want));
	assert_int_equal(sunk, 300);
	lig_graph.yield_epoch = NULL;
	/* The input held back meanwhile comes in with the next pass. */
	assert_int_equal(lig_graph_run_once(), 10 + 10 + 5 + 10);
	assert_int_equal(lig_buffer_pool.n_free, 4096);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dispatch_order_and_coalescing),
	    cmocka_unit_test(test_idle_poll_not_counted),
	    cmocka_unit_test(test_drop_counts_error),
	    cmocka_unit_test(test_many_bursts_reuse_frames),
	    cmocka_unit_test(test_trace),
	    cmocka_unit_test(test_add_next),
	    cmocka_unit_test(test_loopback_output),
	    cmocka_unit_test(test_interface_deleted_in_flight),
	    cmocka_unit_test(test_interface_index_not_reused_at_once),
	    cmocka_unit_test(test_forwarding_loop_bounded),
	    cmocka_unit_test(test_all_frames_queued),
	    cmocka_unit_test(test_pass_stops_for_the_barrier),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

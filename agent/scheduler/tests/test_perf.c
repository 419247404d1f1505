// SPDX-License-Identifier: Apache-2.0
// Scale: 100 k values (1 k interfaces, 99 k routes each needing one) in one transaction, in
// dependency order and with every dependent sorting before its dependency (all PENDING first),
// the removal of the 1 k interfaces (99 k dependents go first), a restart's resync of 100 k
// values (zero operations), and single-value latency. Prints the times; fails when scheduling is
// far off linear (limits generous enough for a loaded machine and sanitizers).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mock.h"

#define N_IF 1000
#define N_ROUTES 99000

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCHED_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(SCHED_ASAN)
#define LIMIT_S 20.0
#else
#define LIMIT_S 2.0
#endif

/* CPU time of this process: the limits hold on a machine busy with other builds; the wall time
 * is printed too. */
static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct lig_sched_txn *
build(struct lig_sched *s, const char *if_prefix, const char *route_prefix)
{
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	char key[64], val[128];
	for (int i = 0; i < N_IF; i++) {
		snprintf(key, sizeof(key), "%s%d", if_prefix, i);
		snprintf(val, sizeof(val), "I%d", i);
		assert_int_equal(lig_sched_txn_set(t, key, val, strlen(val)), 0);
	}
	for (int j = 0; j < N_ROUTES; j++) {
		snprintf(key, sizeof(key), "%s%d", route_prefix, j);
		int len = snprintf(val, sizeof(val), "R10.%d.%d.0/24 dep:%s%d", j / 256, j % 256,
				   if_prefix, j % N_IF);
		assert_int_equal(lig_sched_txn_set(t, key, val, (size_t)len), 0);
	}
	return t;
}

static struct lig_sched *
new_sched(struct device *dev)
{
	struct lig_sched_config cfg = {.history_max_bytes = 256u << 20};
	struct lig_sched *s = lig_sched_new(&cfg);
	assert_non_null(s);
	mock_register(s, dev);
	return s;
}

static void
check_all(struct lig_sched *s, struct device *dev, size_t want)
{
	size_t counts[LIG_SCHED_N_STATES];
	lig_sched_count_states(s, counts);
	assert_int_equal(counts[LIG_SCHED_CONFIGURED], want);
	assert_int_equal(dev->n, want);
	assert_int_equal(dev->violations, 0);
}

static void
test_100k_in_dependency_order(void **state)
{
	(void)state;
	struct device dev;
	dev_init(&dev, 1 << 18);
	struct lig_sched *s = new_sched(&dev);
	struct lig_sched_txn *t = build(s, "t/if/", "t/route/");
	double t0 = now_s(), w0 = wall_s();
	uint64_t seq;
	assert_int_equal(lig_sched_txn_commit(t, &seq), 0);
	double dt = now_s() - t0, dw = wall_s() - w0;
	check_all(s, &dev, N_IF + N_ROUTES);
	const struct lig_sched_txn_record *r = lig_sched_history_get(s, seq);
	assert_int_equal(r->n_ops, N_IF + N_ROUTES);
	print_message("100k values, dependencies first: %.3f s CPU, %.3f s wall (%.2f us per "
		      "value; mock device included)\n",
		      dt, dw, dt * 1e6 / (N_IF + N_ROUTES));
	assert_true(dt < LIMIT_S);

	/* removal of every interface: each route goes first, then its interface */
	t = lig_sched_txn_new(s);
	char key[64];
	for (int i = 0; i < N_IF; i++) {
		snprintf(key, sizeof(key), "t/if/%d", i);
		lig_sched_txn_delete(t, key);
	}
	t0 = now_s();
	assert_int_equal(lig_sched_txn_commit(t, &seq), 0);
	dt = now_s() - t0;
	assert_int_equal(dev.n, 0);
	assert_int_equal(dev.violations, 0);
	size_t counts[LIG_SCHED_N_STATES];
	lig_sched_count_states(s, counts);
	assert_int_equal(counts[LIG_SCHED_PENDING], N_ROUTES);
	print_message("1k interfaces removed with 99k dependents: %.3f s\n", dt);
	assert_true(dt < LIMIT_S);

	/* they come back: 99k pending routes follow */
	t = lig_sched_txn_new(s);
	for (int i = 0; i < N_IF; i++) {
		char val[16];
		snprintf(key, sizeof(key), "t/if/%d", i);
		snprintf(val, sizeof(val), "I%d", i);
		lig_sched_txn_set(t, key, val, strlen(val));
	}
	t0 = now_s();
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	dt = now_s() - t0;
	check_all(s, &dev, N_IF + N_ROUTES);
	print_message("1k interfaces back, 99k pending routes applied: %.3f s\n", dt);
	assert_true(dt < LIMIT_S);

	/* restart: a new scheduler resyncs 100k values that are all right: zero operations */
	lig_sched_free(s);
	s = new_sched(&dev);
	size_t calls = dev.calls;
	t = build(s, "t/if/", "t/route/");
	t0 = now_s();
	assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
	dt = now_s() - t0;
	assert_int_equal(dev.calls, calls);
	assert_int_equal(lig_sched_history_get(s, seq)->n_ops, 0);
	check_all(s, &dev, N_IF + N_ROUTES);
	print_message("restart resync of 100k values (retrieve included), 0 operations: %.3f s\n",
		      dt);
	assert_true(dt < LIMIT_S);

	/* one value at a time: put-to-CONFIGURED latency */
	enum { N = 2000 };
	static double lat[N];
	for (int i = 0; i < N; i++) {
		char val[64];
		snprintf(key, sizeof(key), "t/single/%d", i);
		int len = snprintf(val, sizeof(val), "S dep:t/if/%d", i % N_IF);
		t = lig_sched_txn_new(s);
		lig_sched_txn_set(t, key, val, (size_t)len);
		t0 = now_s();
		lig_sched_txn_commit(t, NULL);
		lat[i] = now_s() - t0;
		assert_int_equal(lig_sched_state(s, key), LIG_SCHED_CONFIGURED);
	}
	for (int i = 1; i < N; i++) /* insertion sort: small N */
		for (int j = i; j > 0 && lat[j - 1] > lat[j]; j--) {
			double x = lat[j];
			lat[j] = lat[j - 1];
			lat[j - 1] = x;
		}
	print_message("single value put-to-CONFIGURED with 100k values held: median %.1f us, "
		      "p99 %.1f us\n",
		      lat[N / 2] * 1e6, lat[N * 99 / 100] * 1e6);
	assert_true(lat[N / 2] < LIMIT_S / 1000);
	lig_sched_free(s);
	dev_free(&dev);
}

static void
test_100k_dependents_first(void **state)
{
	(void)state;
	struct device dev;
	dev_init(&dev, 1 << 18);
	struct lig_sched *s = new_sched(&dev);
	/* "t/a/..." routes sort before "t/z/..." interfaces: every route is PENDING first */
	struct lig_sched_txn *t = build(s, "t/z/", "t/a/");
	double t0 = now_s();
	uint64_t seq;
	assert_int_equal(lig_sched_txn_commit(t, &seq), 0);
	double dt = now_s() - t0;
	check_all(s, &dev, N_IF + N_ROUTES);
	/* the transient PENDING of each route is folded into its CREATE */
	assert_int_equal(lig_sched_history_get(s, seq)->n_ops, N_IF + N_ROUTES);
	print_message("100k values, dependents first: %.3f s\n", dt);
	assert_true(dt < LIMIT_S);
	lig_sched_free(s);
	dev_free(&dev);
}

/* The scheduler alone: a descriptor that does nothing in a device, values of 8 bytes (an
 * interface's number, or a route's prefix and the interface it needs). */
struct zval {
	uint32_t kind; /* 0 interface, 1 route */
	uint32_t arg;  /* route: the interface */
};

static void
z_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	(void)size;
	const struct zval *v = value;
	if (v->kind == 1) {
		char k[32];
		snprintf(k, sizeof(k), "z/if/%u", v->arg);
		lig_sched_dep_key(deps, "interface", k);
	}
}

static int
z_op(void *ctx, const char *key, const void *value, size_t size, void **md,
     struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	(void)md;
	(void)err;
	return 0;
}

static int
z_del(void *ctx, const char *key, const void *value, size_t size, void *md,
      struct lig_sched_err *err)
{
	(void)md;
	return z_op(ctx, key, value, size, NULL, err);
}

static int
z_format(void *ctx, const char *key, const void *value, size_t size, char *buf, size_t buf_size)
{
	(void)ctx;
	(void)key;
	(void)size;
	const struct zval *v = value;
	return snprintf(buf, buf_size, "{kind: %u, arg: %u}", v->kind, v->arg);
}

static void
test_100k_scheduler_alone(void **state)
{
	(void)state;
	struct lig_sched_config cfg = {.history_max_bytes = 256u << 20};
	struct lig_sched *s = lig_sched_new(&cfg);
	struct lig_sched_descriptor d = {.name = "z",
					 .key_prefix = "z/",
					 .create = z_op,
					 .delete = z_del,
					 .dependencies = z_deps,
					 .format = z_format};
	assert_int_equal(lig_sched_register(s, &d), 0);
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	char key[64];
	for (uint32_t i = 0; i < N_IF; i++) {
		struct zval v = {0, i};
		snprintf(key, sizeof(key), "z/if/%u", i);
		lig_sched_txn_set(t, key, &v, sizeof(v));
	}
	for (uint32_t j = 0; j < N_ROUTES; j++) {
		struct zval v = {1, j % N_IF};
		snprintf(key, sizeof(key), "z/route/10.%u.%u.0/24", j / 256, j % 256);
		lig_sched_txn_set(t, key, &v, sizeof(v));
	}
	double t0 = now_s(), w0 = wall_s();
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	double dt = now_s() - t0, dw = wall_s() - w0;
	size_t counts[LIG_SCHED_N_STATES];
	lig_sched_count_states(s, counts);
	assert_int_equal(counts[LIG_SCHED_CONFIGURED], N_IF + N_ROUTES);
	print_message("scheduler alone, 100k values in one transaction: %.3f s CPU, %.3f s wall "
		      "(%.2f us per value)\n",
		      dt, dw, dt * 1e6 / (N_IF + N_ROUTES));
	assert_true(dt < LIMIT_S);
	lig_sched_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_100k_in_dependency_order),
	    cmocka_unit_test(test_100k_dependents_first),
	    cmocka_unit_test(test_100k_scheduler_alone),
	};
	return cmocka_run_group_tests_name("agent_scheduler_perf", tests, NULL, NULL);
}

// SPDX-License-Identifier: Apache-2.0
// Batching: descriptors whose create queues the operation (LIG_SCHED_QUEUED) and completes it in
// flush. A queued value is CONFIGURED only once its flush confirmed it; what needs it waits for
// that; another descriptor's operation, an update, a removal and the end of the transaction
// flush first; a failed flushed create is retried like any failed create; a create that queues
// without a flush fails.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mock.h"

struct fx {
	struct device dev;
	struct fake_env env;
	struct lig_sched_config cfg;
	struct lig_sched *s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	dev_init(&f->dev, 257);
	f->dev.log_on = true;
	f->dev.queue_creates = true;
	fake_config(&f->cfg, &f->env);
	f->s = lig_sched_new(&f->cfg);
	assert_non_null(f->s);
	mock_register(f->s, &f->dev);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	lig_sched_free(f->s);
	assert_int_equal(f->dev.violations, 0);
	dev_free(&f->dev);
	free(f);
	return 0;
}

static void
tset(struct lig_sched_txn *t, const char *key, const char *value)
{
	assert_int_equal(lig_sched_txn_set(t, key, value, strlen(value)), 0);
}

#define ST(key) lig_sched_state(f->s, key)

/* Several creates of one transaction: one flush; CONFIGURED after it, each recorded once. */
static void
test_one_flush_per_batch(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "t/b", "B");
	tset(t, "t/c", "C");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(f->dev.flushes, 1);
	assert_int_equal(f->dev.max_queued, 3);
	assert_int_equal(f->dev.creates, 3);
	assert_int_equal(ST("t/a"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/b"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/c"), LIG_SCHED_CONFIGURED);
	const struct lig_sched_txn_record *r = last_record(f->s);
	assert_int_equal(real_ops(r), 3);
	for (size_t i = 0; i < r->n_ops; i++) {
		assert_int_equal(r->ops[i].op, LIG_SCHED_OP_CREATE);
		assert_int_equal(r->ops[i].prev_state, LIG_SCHED_NONEXISTENT);
		assert_int_equal(r->ops[i].new_state, LIG_SCHED_CONFIGURED);
		assert_null(r->ops[i].error);
	}
	/* metadata handed over at queue time */
	assert_non_null(lig_sched_metadata(f->s, "t/b"));
}

/* A value that needs a queued one is created after the flush confirmed it (the device would
 * refuse otherwise), in the same transaction; so are derived values. */
static void
test_dependents_after_flush(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/route", "R dep:t/if");
	tset(t, "t/if", "I der:d/if/addr=X");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(ST("t/if"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/route"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("d/if/addr"), LIG_SCHED_CONFIGURED);
	assert_true(dev_log_index(&f->dev, "create", "t/if") <
		    dev_log_index(&f->dev, "create", "t/route"));
	assert_true(dev_log_index(&f->dev, "create", "t/if") <
		    dev_log_index(&f->dev, "create", "d/if/addr"));
	assert_true(f->dev.flushes >= 2);
	/* one CREATE per value (the PENDING step of t/route merged into it) */
	const struct lig_sched_txn_record *r = last_record(f->s);
	const struct lig_sched_op_record *op = find_op(r, "t/route");
	assert_non_null(op);
	assert_int_equal(op->prev_state, LIG_SCHED_NONEXISTENT);
	assert_int_equal(op->new_state, LIG_SCHED_CONFIGURED);
	assert_int_equal(real_ops(r), 3);
}

/* A flushed create that failed: RETRYING with its message, its metadata freed, the others of
 * the batch CONFIGURED; the retry (queued again) succeeds. */
static void
test_failure_in_batch(void **state)
{
	struct fx *f = *state;
	dev_fail(&f->dev, "t/b", LIG_SCHED_OP_CREATE, 1, -EAGAIN);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "t/b", "B");
	tset(t, "t/c", "C dep:t/b");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(ST("t/a"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/b"), LIG_SCHED_RETRYING);
	assert_int_equal(ST("t/c"), LIG_SCHED_PENDING);
	assert_null(lig_sched_metadata(f->s, "t/b"));
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/b");
	assert_non_null(st);
	assert_non_null(st->error);
	assert_non_null(strstr(st->error, "flushed create of t/b failed"));
	lig_sched_status_free(st);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/b");
	assert_non_null(op);
	assert_non_null(op->error);
	assert_int_equal(last_record(f->s)->errors, 1);
	assert_true(fake_run_retries(f->s, &f->env, 5) >= 1);
	assert_int_equal(ST("t/b"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/c"), LIG_SCHED_CONFIGURED);
	assert_true(dev_log_index(&f->dev, "create", "t/b") <
		    dev_log_index(&f->dev, "create", "t/c"));
}

/* Queued creates are completed before an update (here of another descriptor) runs: the device
 * sees the operations in the scheduler's order. */
static void
test_update_flushes_first(void **state)
{
	struct fx *f = *state;
	assert_int_equal(put(f->s, "n/u", "U1", NULL), 0);
	dev_log_clear(&f->dev);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "n/u", "U2");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	int c = dev_log_index(&f->dev, "create", "t/a"),
	    u = dev_log_index(&f->dev, "update", "n/u");
	assert_true(c >= 0 && u >= 0);
	assert_true(c < u); /* creates before updates, as without batching */
	assert_int_equal(ST("t/a"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("n/u"), LIG_SCHED_CONFIGURED);
}

/* A removal in the same transaction as a queued create that needs the removed value: the
 * create is completed first, then removed with its dependency (never left CONFIGURED on a
 * dependency that is gone). */
static void
test_removal_settles_first(void **state)
{
	struct fx *f = *state;
	assert_int_equal(put(f->s, "t/a", "A", NULL), 0);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/b", "B dep:t/a");
	tset(t, "t/a", "A bad"); /* an update to an invalid value: removal, after the creates */
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(ST("t/a"), LIG_SCHED_INVALID);
	assert_int_equal(ST("t/b"), LIG_SCHED_PENDING);
	assert_null(dev_get(&f->dev, "t/a"));
	assert_null(dev_get(&f->dev, "t/b"));
	assert_true(dev_log_index(&f->dev, "delete", "t/b") <
		    dev_log_index(&f->dev, "delete", "t/a"));
}

/* A restart whose device is already right: nothing queued, nothing flushed, zero operations. */
static void
test_restart_zero_operations(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "t/b", "B dep:t/a der:d/b/x=X");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	lig_sched_free(f->s);
	f->s = lig_sched_new(&f->cfg);
	mock_register(f->s, &f->dev);
	size_t calls = f->dev.calls, flushes = f->dev.flushes;
	t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "t/b", "B dep:t/a der:d/b/x=X");
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	assert_int_equal(f->dev.calls, calls);
	assert_int_equal(f->dev.flushes, flushes);
	assert_int_equal(real_ops(last_record(f->s)), 0);
	assert_int_equal(ST("t/b"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("d/b/x"), LIG_SCHED_CONFIGURED);
}

/* A descriptor whose create queues but that has no flush: the create fails with a reason. */
static int
q_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	 struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	(void)md;
	(void)err;
	return LIG_SCHED_QUEUED;
}

static void
test_queued_without_flush_fails(void **state)
{
	(void)state;
	struct lig_sched *s = lig_sched_new(NULL);
	struct lig_sched_descriptor d = {.name = "q", .key_prefix = "q/", .create = q_create};
	assert_int_equal(lig_sched_register(s, &d), 0);
	assert_int_equal(put(s, "q/x", "X", NULL), 0);
	assert_int_equal(lig_sched_state(s, "q/x"), LIG_SCHED_FAILED);
	struct lig_sched_status *st = lig_sched_status_get(s, "q/x");
	assert_non_null(st->error);
	assert_non_null(strstr(st->error, "no flush"));
	lig_sched_status_free(st);
	lig_sched_free(s);
}

/* A flush that reports nothing (and fails): every queued create fails with its error. */
static int
bad_flush(void *ctx, struct lig_sched_flush *f)
{
	(void)ctx;
	(void)f;
	return -ECONNRESET;
}

static void
test_flush_error_fails_unreported(void **state)
{
	(void)state;
	struct lig_sched *s = lig_sched_new(NULL);
	struct lig_sched_descriptor d = {
	    .name = "q", .key_prefix = "q/", .create = q_create, .flush = bad_flush};
	assert_int_equal(lig_sched_register(s, &d), 0);
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	assert_int_equal(lig_sched_txn_set(t, "q/x", "X", 1), 0);
	assert_int_equal(lig_sched_txn_set(t, "q/y", "Y", 1), 0);
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(lig_sched_state(s, "q/x"), LIG_SCHED_FAILED);
	assert_int_equal(lig_sched_state(s, "q/y"), LIG_SCHED_FAILED);
	lig_sched_free(s);
}

/* 20 000 values queued and flushed in one transaction: one flush. */
static void
test_large_batch(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	char key[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "t/r%05d", i);
		tset(t, key, "R");
	}
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(f->dev.flushes, 1);
	assert_int_equal(f->dev.max_queued, 20000);
	size_t counts[LIG_SCHED_N_STATES];
	lig_sched_count_states(f->s, counts);
	assert_int_equal(counts[LIG_SCHED_CONFIGURED], 20000);
}

/* txn_end: once at the end of every transaction (northbound, retry, resync, downstream
 * resync), after the last flush (nothing queued is left), while the scheduler is busy. */
struct end_probe {
	struct fx *f;
	int calls;
	size_t queued_at_end;
	int commit_rc;
};

static void
on_txn_end(void *ctx)
{
	struct end_probe *p = ctx;
	p->calls++;
	p->queued_at_end += p->f->dev.n_queue;
	p->commit_rc = put(p->f->s, "t/inner", "X", NULL);
}

static void
test_txn_end(void **state)
{
	struct fx *f = *state;
	struct end_probe p = {.f = f};
	struct lig_sched_descriptor d = {
	    .name = "end", .key_prefix = "e/", .ctx = &p, .txn_end = on_txn_end};
	assert_int_equal(lig_sched_register(f->s, &d), 0);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	tset(t, "t/b", "B dep:t/a");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.commit_rc, -EBUSY);
	assert_int_equal(ST("t/b"), LIG_SCHED_CONFIGURED);
	assert_int_equal(ST("t/inner"), LIG_SCHED_NONEXISTENT);
	dev_fail(&f->dev, "t/c", LIG_SCHED_OP_CREATE, 1, -EIO);
	assert_int_equal(put(f->s, "t/c", "C", NULL), 0);
	assert_int_equal(p.calls, 2);
	assert_int_equal(ST("t/c"), LIG_SCHED_RETRYING);
	assert_true(fake_run_retries(f->s, &f->env, 5) >= 1);
	assert_int_equal(ST("t/c"), LIG_SCHED_CONFIGURED);
	assert_int_equal(p.calls, 3);
	assert_int_equal(lig_sched_downstream_resync(f->s, NULL), 0);
	assert_int_equal(p.calls, 4);
	t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A");
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	assert_int_equal(p.calls, 5);
	assert_int_equal(p.queued_at_end, 0);
	assert_int_equal(p.commit_rc, -EBUSY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_one_flush_per_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dependents_after_flush, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_in_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_update_flushes_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_removal_settles_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_zero_operations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_txn_end, setup, teardown),
	    cmocka_unit_test(test_queued_without_flush_fails),
	    cmocka_unit_test(test_flush_error_fails_unreported),
	};
	return cmocka_run_group_tests_name("agent_scheduler_batch", tests, NULL, NULL);
}

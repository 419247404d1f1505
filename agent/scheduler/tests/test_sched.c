// SPDX-License-Identifier: Apache-2.0
// Scheduler behaviour against the mock device: ordering, pending values, derived values,
// dependency removal, re-create, retries with backoff, invalid values, cycles, resync (minimal
// differences, OBTAINED left alone, a restart changes nothing), history, status and the graph.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mock.h"

struct fx {
	struct device dev;
	struct fake_env env;
	struct lig_sched_config cfg;
	struct lig_sched *s;
	int txns_seen;
	bool commit_in_callback;
	int callback_rc;
};

static void
on_txn(void *ctx, const struct lig_sched_txn_record *r)
{
	struct fx *f = ctx;
	f->txns_seen++;
	assert_true(r->seq > 0);
	if (f->commit_in_callback) {
		f->commit_in_callback = false;
		f->callback_rc = put(f->s, "t/from-callback", "x", NULL);
	}
}

static struct lig_sched *
new_sched(struct fx *f)
{
	struct lig_sched *s = lig_sched_new(&f->cfg);
	assert_non_null(s);
	mock_register(s, &f->dev);
	return s;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	dev_init(&f->dev, 257);
	f->dev.log_on = true;
	fake_config(&f->cfg, &f->env);
	f->cfg.on_txn = on_txn;
	f->cfg.on_txn_ctx = f;
	f->s = new_sched(f);
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
#define assert_state(key, st) assert_string_equal(lig_sched_state_name(ST(key)), #st)

static void
assert_no_violation(struct fx *f)
{
	if (f->dev.violations)
		fail_msg("device violation: %s", f->dev.last_violation);
}

/* ---- basics ---- */

static void
test_create_update_delete(void **state)
{
	struct fx *f = *state;
	uint64_t seq = 0;
	assert_int_equal(put(f->s, "t/a", "A1", &seq), 0);
	assert_int_equal(seq, 1);
	assert_state("t/a", CONFIGURED);
	assert_string_equal(dev_get(&f->dev, "t/a"), "A1");
	int *md = lig_sched_metadata(f->s, "t/a");
	assert_non_null(md);
	assert_int_equal(*md, 1);

	/* same value again: nothing to do */
	assert_int_equal(put(f->s, "t/a", "A1", NULL), 0);
	assert_int_equal(f->dev.calls, 1);
	assert_int_equal(last_record(f->s)->n_ops, 0);

	/* in-place update (same first character) */
	assert_int_equal(put(f->s, "t/a", "A2", NULL), 0);
	assert_string_equal(dev_get(&f->dev, "t/a"), "A2");
	assert_int_equal(f->dev.updates, 1);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/a");
	assert_non_null(op);
	assert_int_equal(op->op, LIG_SCHED_OP_UPDATE);
	assert_string_equal(op->prev_value, "A1");
	assert_string_equal(op->new_value, "A2");

	assert_int_equal(del(f->s, "t/a", NULL), 0);
	assert_null(dev_get(&f->dev, "t/a"));
	assert_state("t/a", NONEXISTENT);
	op = find_op(last_record(f->s), "t/a");
	assert_int_equal(op->op, LIG_SCHED_OP_DELETE);
	assert_int_equal(op->new_state, LIG_SCHED_REMOVED);
	assert_null(lig_sched_metadata(f->s, "t/a"));

	/* deleting what does not exist: no operation */
	assert_int_equal(del(f->s, "t/zz", NULL), 0);
	assert_int_equal(last_record(f->s)->n_ops, 0);
	assert_int_equal(f->txns_seen, 5);
	assert_no_violation(f);
}

static void
test_txn_last_write_wins_and_errors(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	assert_int_equal(lig_sched_txn_set(t, "", "x", 1), -EINVAL);
	assert_int_equal(lig_sched_txn_set(t, "t/a", NULL, 3), -EINVAL);
	tset(t, "t/a", "A1");
	assert_int_equal(lig_sched_txn_delete(t, "t/a"), 0);
	tset(t, "t/a", "A3");
	assert_int_equal(lig_sched_txn_describe(t, "three writes"), 0);
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_string_equal(dev_get(&f->dev, "t/a"), "A3");
	assert_string_equal(last_record(f->s)->description, "three writes");
	assert_int_equal(last_record(f->s)->n_values, 1);
	lig_sched_txn_free(lig_sched_txn_new(f->s)); /* dropped unapplied */
	lig_sched_txn_free(NULL);
	assert_int_equal(lig_sched_txn_commit(NULL, NULL), -EINVAL);
}

/* ---- dependencies ---- */

static void
test_dependents_before_dependencies(void **state)
{
	struct fx *f = *state;
	/* one transaction, dependents sorting before their dependencies */
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a-route", "R1 dep:t/z-if");
	tset(t, "t/b-member", "M1 dep:t/z-if dep:t/y-bd");
	tset(t, "t/y-bd", "B1");
	tset(t, "t/z-if", "I1");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_no_violation(f);
	assert_state("t/a-route", CONFIGURED);
	assert_state("t/b-member", CONFIGURED);
	assert_true(dev_log_index(&f->dev, "create", "t/z-if") <
		    dev_log_index(&f->dev, "create", "t/a-route"));
	assert_true(dev_log_index(&f->dev, "create", "t/y-bd") <
		    dev_log_index(&f->dev, "create", "t/b-member"));
	/* the transient PENDING of the route is folded into its CREATE */
	const struct lig_sched_txn_record *r = last_record(f->s);
	assert_int_equal(r->n_ops, 4);
	const struct lig_sched_op_record *op = find_op(r, "t/a-route");
	assert_int_equal(op->op, LIG_SCHED_OP_CREATE);
	assert_int_equal(op->prev_state, LIG_SCHED_NONEXISTENT);
	assert_int_equal(op->new_state, LIG_SCHED_CONFIGURED);
	assert_int_equal(op->flags & LIG_SCHED_OPF_NOOP, 0);
}

static void
test_pending_across_transactions(void **state)
{
	struct fx *f = *state;
	assert_int_equal(put(f->s, "t/route", "R1 dep:t/if dep:t/vrf", NULL), 0);
	assert_state("t/route", PENDING);
	assert_null(dev_get(&f->dev, "t/route"));
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/route");
	assert_int_equal(op->op, LIG_SCHED_OP_CREATE);
	assert_true(op->flags & LIG_SCHED_OPF_NOOP);
	assert_int_equal(op->new_state, LIG_SCHED_PENDING);

	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/route");
	assert_int_equal(st->state, LIG_SCHED_PENDING);
	assert_int_equal(st->n_details, 2);
	assert_string_equal(st->descriptor, "test");
	bool has_if = false, has_vrf = false;
	for (size_t i = 0; i < st->n_details; i++) {
		has_if |= strcmp(st->details[i], "t/if") == 0;
		has_vrf |= strcmp(st->details[i], "t/vrf") == 0;
	}
	assert_true(has_if && has_vrf);
	lig_sched_status_free(st);

	assert_int_equal(put(f->s, "t/if", "I1", NULL), 0);
	assert_state("t/route", PENDING);
	st = lig_sched_status_get(f->s, "t/route");
	assert_int_equal(st->n_details, 1);
	assert_string_equal(st->details[0], "t/vrf");
	lig_sched_status_free(st);

	uint64_t seq;
	assert_int_equal(put(f->s, "t/vrf", "V1", &seq), 0);
	assert_state("t/route", CONFIGURED);
	assert_string_equal(dev_get(&f->dev, "t/route"), "R1 dep:t/if dep:t/vrf");
	/* applied by the transaction that brought its last dependency */
	op = find_op(last_record(f->s), "t/route");
	assert_non_null(op);
	assert_int_equal(op->prev_state, LIG_SCHED_PENDING);
	assert_int_equal(op->new_state, LIG_SCHED_CONFIGURED);
	assert_true(dev_log_index(&f->dev, "create", "t/vrf") <
		    dev_log_index(&f->dev, "create", "t/route"));

	/* a pending value deleted: no device call */
	assert_int_equal(put(f->s, "t/p", "P dep:t/never", NULL), 0);
	size_t calls = f->dev.calls;
	assert_int_equal(del(f->s, "t/p", NULL), 0);
	assert_int_equal(f->dev.calls, calls);
	assert_state("t/p", NONEXISTENT);
}

static void
test_delete_dependency_with_dependents(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/if", "I1");
	tset(t, "t/addr", "A1 dep:t/if");
	tset(t, "t/route", "R1 dep:t/addr");
	tset(t, "t/other", "O1");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	dev_log_clear(&f->dev);

	assert_int_equal(del(f->s, "t/if", NULL), 0);
	assert_no_violation(f);
	/* dependents first (deepest first), then the dependency */
	int r = dev_log_index(&f->dev, "delete", "t/route");
	int a = dev_log_index(&f->dev, "delete", "t/addr");
	int i = dev_log_index(&f->dev, "delete", "t/if");
	assert_true(r >= 0 && r < a && a < i);
	assert_state("t/addr", PENDING);
	assert_state("t/route", PENDING);
	assert_state("t/other", CONFIGURED);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/addr");
	assert_int_equal(op->op, LIG_SCHED_OP_DELETE);
	assert_int_equal(op->new_state, LIG_SCHED_PENDING);
	assert_true(op->flags & LIG_SCHED_OPF_DEPENDENCY);

	/* the dependency comes back: dependents re-created in order */
	dev_log_clear(&f->dev);
	assert_int_equal(put(f->s, "t/if", "I2", NULL), 0);
	assert_state("t/addr", CONFIGURED);
	assert_state("t/route", CONFIGURED);
	assert_true(dev_log_index(&f->dev, "create", "t/if") <
		    dev_log_index(&f->dev, "create", "t/addr"));
	assert_true(dev_log_index(&f->dev, "create", "t/addr") <
		    dev_log_index(&f->dev, "create", "t/route"));
}

static void
test_dependency_change_on_update(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/if1", "I1", NULL);
	put(f->s, "t/route", "R1 dep:t/if1", NULL);
	assert_state("t/route", CONFIGURED);
	/* moved onto an interface that does not exist yet: removed, PENDING with the new value */
	put(f->s, "t/route", "R2 dep:t/if2", NULL);
	assert_state("t/route", PENDING);
	assert_null(dev_get(&f->dev, "t/route"));
	put(f->s, "t/if2", "I2", NULL);
	assert_state("t/route", CONFIGURED);
	assert_string_equal(dev_get(&f->dev, "t/route"), "R2 dep:t/if2");
	/* if1 can go now without touching the route */
	dev_log_clear(&f->dev);
	del(f->s, "t/if1", NULL);
	assert_int_equal(f->dev.n_log, 1);
	assert_state("t/route", CONFIGURED);
	assert_no_violation(f);
}

static void
test_anyof_dependency(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/needs-any", "X any:t/if/", NULL);
	assert_state("t/needs-any", PENDING);
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/needs-any");
	assert_int_equal(st->n_details, 1);
	assert_string_equal(st->details[0], "any of t/if/*");
	lig_sched_status_free(st);
	put(f->s, "t/if/a", "A", NULL);
	assert_state("t/needs-any", CONFIGURED);
	put(f->s, "t/if/b", "B", NULL);
	del(f->s, "t/if/a", NULL);
	assert_state("t/needs-any", CONFIGURED); /* b still satisfies it */
	del(f->s, "t/if/b", NULL);
	assert_state("t/needs-any", PENDING);
	assert_null(dev_get(&f->dev, "t/needs-any"));
	/* a value scheduled when a matching key already exists is satisfied at once */
	put(f->s, "t/if/c", "C", NULL);
	put(f->s, "t/late", "L any:t/if/", NULL);
	assert_state("t/late", CONFIGURED);
	assert_state("t/needs-any", CONFIGURED);
}

/* ---- derived values ---- */

static void
test_derived_values(void **state)
{
	struct fx *f = *state;
	/* a bridge domain derives its membership of t/if (a value of its own that needs t/if)
	 * and a property */
	put(f->s, "t/bd", "B1 der:d/bd/if=M+t/if der:p/bd-up=yes", NULL);
	assert_state("t/bd", CONFIGURED);
	assert_state("d/bd/if", PENDING);
	assert_state("p/bd-up", CONFIGURED);
	struct lig_sched_status *st = lig_sched_status_get(f->s, "d/bd/if");
	assert_true(st->derived);
	assert_string_equal(st->base_key, "t/bd");
	assert_int_equal(st->n_details, 1);
	assert_string_equal(st->details[0], "t/if");
	lig_sched_status_free(st);

	put(f->s, "t/if", "I1", NULL);
	assert_state("d/bd/if", CONFIGURED);
	assert_string_equal(dev_get(&f->dev, "d/bd/if"), "M base:t/bd dep:t/if");
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "d/bd/if");
	assert_true(op->flags & LIG_SCHED_OPF_DERIVED);

	/* something may depend on a property */
	put(f->s, "t/needs-prop", "N dep:p/bd-up", NULL);
	assert_state("t/needs-prop", CONFIGURED);

	/* northbound cannot set a derived key */
	put(f->s, "d/bd/if", "hijack", NULL);
	op = find_op(last_record(f->s), "d/bd/if");
	assert_non_null(op->error);
	assert_non_null(strstr(op->error, "derived from t/bd"));
	assert_string_equal(dev_get(&f->dev, "d/bd/if"), "M base:t/bd dep:t/if");

	/* the base changes its derived set: obsolete removed, new created */
	put(f->s, "t/bd", "B2 der:d/bd/if2=M2", NULL);
	assert_state("d/bd/if", NONEXISTENT);
	assert_state("p/bd-up", NONEXISTENT);
	assert_state("d/bd/if2", CONFIGURED);
	assert_state("t/needs-prop", PENDING);
	assert_null(dev_get(&f->dev, "d/bd/if"));

	/* removing the base removes its derived values first */
	dev_log_clear(&f->dev);
	del(f->s, "t/bd", NULL);
	assert_true(dev_log_index(&f->dev, "delete", "d/bd/if2") <
		    dev_log_index(&f->dev, "delete", "t/bd"));
	assert_state("d/bd/if2", NONEXISTENT);
	assert_no_violation(f);
}

static void
test_derived_pending_base(void **state)
{
	struct fx *f = *state;
	/* a pending base has no derived values yet */
	put(f->s, "t/bd", "B1 dep:t/x der:d/m=M", NULL);
	assert_state("t/bd", PENDING);
	assert_state("d/m", NONEXISTENT);
	put(f->s, "t/x", "X", NULL);
	assert_state("t/bd", CONFIGURED);
	assert_state("d/m", CONFIGURED);
	/* the base's dependency goes: derived value and base removed, derived first */
	dev_log_clear(&f->dev);
	del(f->s, "t/x", NULL);
	assert_state("t/bd", PENDING);
	assert_state("d/m", NONEXISTENT);
	assert_true(dev_log_index(&f->dev, "delete", "d/m") <
		    dev_log_index(&f->dev, "delete", "t/bd"));
	assert_no_violation(f);
}

/* ---- re-create ---- */

static void
test_recreate(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/if", "A1", NULL);
	put(f->s, "t/route", "R1 dep:t/if", NULL);
	put(f->s, "t/bd", "B1 der:d/m=M+t/if", NULL);
	assert_state("d/m", CONFIGURED);
	dev_log_clear(&f->dev);
	/* first character changes: cannot change in place */
	uint64_t seq;
	put(f->s, "t/if", "B1", &seq);
	assert_no_violation(f);
	assert_string_equal(dev_get(&f->dev, "t/if"), "B1");
	assert_state("t/if", CONFIGURED);
	assert_state("t/route", CONFIGURED);
	assert_state("d/m", CONFIGURED);
	/* dependents removed before the delete, re-created after the create */
	int dr = dev_log_index(&f->dev, "delete", "t/route");
	int dm = dev_log_index(&f->dev, "delete", "d/m");
	int di = dev_log_index(&f->dev, "delete", "t/if");
	int ci = dev_log_index(&f->dev, "create", "t/if");
	int cr = dev_log_index(&f->dev, "create", "t/route");
	int cm = dev_log_index(&f->dev, "create", "d/m");
	assert_true(dr >= 0 && dm >= 0 && dr < di && dm < di && di < ci && ci < cr && ci < cm);
	const struct lig_sched_txn_record *r = last_record(f->s);
	const struct lig_sched_op_record *op = find_op(r, "t/if");
	assert_int_equal(op->op, LIG_SCHED_OP_RECREATE);
	assert_string_equal(op->prev_value, "A1");
	assert_string_equal(op->new_value, "B1");
	assert_int_equal(op->new_state, LIG_SCHED_CONFIGURED);
	/* metadata of the new incarnation */
	assert_int_equal(*(int *)lig_sched_metadata(f->s, "t/if"), 5);
}

/* ---- retries ---- */

static void
test_retry_with_backoff(void **state)
{
	struct fx *f = *state;
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_CREATE, 3, -EAGAIN);
	uint64_t seq;
	put(f->s, "t/dep-on-a", "D dep:t/a", NULL);
	put(f->s, "t/a", "A1", &seq);
	assert_state("t/a", RETRYING);
	assert_state("t/dep-on-a", PENDING);
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/a");
	assert_string_equal(st->error, "injected failure: create t/a");
	assert_int_equal(st->retry_attempt, 1);
	assert_int_equal(st->retry_in_ns, 1000000000ull);
	assert_int_equal(st->last_op, LIG_SCHED_OP_CREATE);
	lig_sched_status_free(st);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/a");
	assert_int_equal(op->new_state, LIG_SCHED_RETRYING);
	assert_string_equal(op->error, "injected failure: create t/a");
	assert_int_equal(last_record(f->s)->errors, 1);
	/* the timer asks for 1 s, then 2 s, then 4 s (exponential backoff) */
	assert_int_equal(f->env.timer_delay, 1000000000ll);
	/* early call: nothing due, the timer is armed again for the rest */
	f->env.now += 400000000ull;
	f->env.timer_delay = -1;
	assert_int_equal(lig_sched_run_retries(f->s), 0);
	assert_int_equal(f->env.timer_delay, 600000000ll);
	f->env.now += 600000000ull;
	f->env.timer_delay = -1;
	assert_int_equal(lig_sched_run_retries(f->s), 1);
	const struct lig_sched_txn_record *r = last_record(f->s);
	assert_int_equal(r->trigger, LIG_SCHED_TRIGGER_RETRY);
	assert_int_equal(r->retry_for_seq, seq);
	assert_int_equal(r->retry_attempt, 1);
	assert_true(find_op(r, "t/a")->flags & LIG_SCHED_OPF_RETRY);
	assert_state("t/a", RETRYING);
	assert_int_equal(f->env.timer_delay, 2000000000ll);
	f->env.now += 2000000000ull;
	f->env.timer_delay = -1;
	lig_sched_run_retries(f->s);
	assert_int_equal(last_record(f->s)->retry_attempt, 2);
	assert_int_equal(f->env.timer_delay, 4000000000ll);
	f->env.now += 4000000000ull;
	f->env.timer_delay = -1;
	lig_sched_run_retries(f->s);
	assert_int_equal(last_record(f->s)->retry_attempt, 3);
	assert_int_equal(last_record(f->s)->retry_for_seq, seq);
	/* the fourth try (third retry) works; its dependent follows in the same transaction */
	assert_state("t/a", CONFIGURED);
	assert_state("t/dep-on-a", CONFIGURED);
	assert_int_equal(f->env.timer_delay, -1);
	st = lig_sched_status_get(f->s, "t/a");
	assert_null(st->error);
	lig_sched_status_free(st);
}

static void
test_retry_exhausted_and_non_retriable(void **state)
{
	struct fx *f = *state;
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_CREATE, 100, -EAGAIN);
	put(f->s, "t/a", "A1", NULL);
	assert_int_equal(fake_run_retries(f->s, &f->env, 10), 3);
	assert_state("t/a", FAILED);
	assert_int_equal(f->dev.failures, 4);

	/* a non-retriable error fails at once, no timer */
	dev_fail(&f->dev, "t/b", LIG_SCHED_OP_CREATE, 1, -EPERM);
	put(f->s, "t/b", "B1", NULL);
	assert_state("t/b", FAILED);
	assert_int_equal(f->env.timer_delay, -1);
	/* a new northbound value tries again */
	put(f->s, "t/b", "B2", NULL);
	assert_state("t/b", CONFIGURED);

	/* update failure keeps the old value in the device and retries the update */
	dev_fail(&f->dev, "t/b", LIG_SCHED_OP_UPDATE, 1, -EAGAIN);
	put(f->s, "t/b", "B3", NULL);
	assert_state("t/b", RETRYING);
	assert_string_equal(dev_get(&f->dev, "t/b"), "B2");
	fake_run_retries(f->s, &f->env, 5);
	assert_state("t/b", CONFIGURED);
	assert_string_equal(dev_get(&f->dev, "t/b"), "B3");

	/* delete failure: retried until gone */
	dev_fail(&f->dev, "t/b", LIG_SCHED_OP_DELETE, 2, -EBUSY);
	del(f->s, "t/b", NULL);
	assert_state("t/b", RETRYING);
	assert_non_null(dev_get(&f->dev, "t/b"));
	fake_run_retries(f->s, &f->env, 5);
	assert_null(dev_get(&f->dev, "t/b"));
	assert_state("t/b", NONEXISTENT);
}

static void
test_retry_obsoleted_by_northbound(void **state)
{
	struct fx *f = *state;
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_CREATE, 1, -EAGAIN);
	put(f->s, "t/a", "A1", NULL);
	assert_state("t/a", RETRYING);
	/* northbound deletes it before the retry: the timer is cancelled */
	del(f->s, "t/a", NULL);
	assert_state("t/a", NONEXISTENT);
	assert_int_equal(f->env.timer_delay, -1);
	f->env.now += 10000000000ull;
	assert_int_equal(lig_sched_run_retries(f->s), 0);
	assert_null(dev_get(&f->dev, "t/a"));
}

static void
test_no_timer_no_retry(void **state)
{
	struct fx *f = *state;
	struct lig_sched_config cfg = f->cfg;
	cfg.retry_timer = NULL;
	struct lig_sched *s = lig_sched_new(&cfg);
	mock_register(s, &f->dev);
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_CREATE, 1, -EAGAIN);
	put(s, "t/a", "A1", NULL);
	assert_int_equal(lig_sched_state(s, "t/a"), LIG_SCHED_FAILED);
	/* a downstream resync repairs it */
	lig_sched_downstream_resync(s, NULL);
	assert_int_equal(lig_sched_state(s, "t/a"), LIG_SCHED_CONFIGURED);
	lig_sched_free(s);
}

/* ---- invalid values ---- */

static void
test_invalid_does_not_block(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/bad", "X bad");
	tset(t, "t/good", "G");
	tset(t, "t/needs-bad", "N dep:t/bad");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_state("t/bad", INVALID);
	assert_state("t/good", CONFIGURED);
	assert_state("t/needs-bad", PENDING);
	assert_null(dev_get(&f->dev, "t/bad"));
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/bad");
	assert_string_equal(st->error, "t/bad: payload is bad");
	assert_int_equal(st->n_details, 1);
	assert_string_equal(st->details[0], "payload");
	lig_sched_status_free(st);
	const struct lig_sched_txn_record *r = last_record(f->s);
	assert_int_equal(r->errors, 1);
	assert_string_equal(find_op(r, "t/bad")->error, "t/bad: payload is bad");

	/* fixed: applied, and its dependent follows */
	put(f->s, "t/bad", "X fixed", NULL);
	assert_state("t/bad", CONFIGURED);
	assert_state("t/needs-bad", CONFIGURED);

	/* a configured value updated to an invalid one leaves the device (with dependents) */
	put(f->s, "t/bad", "X bad again", NULL);
	assert_state("t/bad", INVALID);
	assert_state("t/needs-bad", PENDING);
	assert_null(dev_get(&f->dev, "t/bad"));
	assert_no_violation(f);
}

static void
test_unimplemented(void **state)
{
	struct fx *f = *state;
	put(f->s, "x/unknown", "U", NULL);
	assert_state("x/unknown", UNIMPLEMENTED);
	put(f->s, "t/needs-unknown", "N dep:x/unknown", NULL);
	assert_state("t/needs-unknown", PENDING);
	del(f->s, "x/unknown", NULL);
	assert_state("x/unknown", NONEXISTENT);
}

/* ---- cycles ---- */

static void
test_cycle(void **state)
{
	struct fx *f = *state;
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/a", "A dep:t/b");
	tset(t, "t/b", "B dep:t/c");
	tset(t, "t/c", "C dep:t/a");
	tset(t, "t/d", "D dep:t/a");
	tset(t, "t/e", "E");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_state("t/a", PENDING);
	assert_state("t/b", PENDING);
	assert_state("t/c", PENDING);
	assert_state("t/d", PENDING);
	assert_state("t/e", CONFIGURED);
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/b");
	assert_non_null(st->error);
	assert_non_null(strstr(st->error, "dependency cycle: "));
	assert_non_null(strstr(st->error, "t/a"));
	assert_non_null(strstr(st->error, "t/c"));
	assert_true(st->n_details >= 1);
	assert_string_equal(st->details[0], st->error);
	lig_sched_status_free(st);
	st = lig_sched_status_get(f->s, "t/d");
	assert_null(st->error); /* only waits for a cycle member */
	lig_sched_status_free(st);
	const struct lig_sched_txn_record *r = last_record(f->s);
	assert_int_equal(r->errors, 3);
	assert_non_null(strstr(find_op(r, "t/c")->error, "dependency cycle"));

	/* self-dependency */
	put(f->s, "t/self", "S dep:t/self", NULL);
	st = lig_sched_status_get(f->s, "t/self");
	assert_non_null(st->error);
	assert_string_equal(st->error, "dependency cycle: t/self -> t/self");
	lig_sched_status_free(st);

	/* broken: c no longer depends on a; everything is created and the reports go */
	put(f->s, "t/c", "C", NULL);
	assert_state("t/a", CONFIGURED);
	assert_state("t/b", CONFIGURED);
	assert_state("t/d", CONFIGURED);
	st = lig_sched_status_get(f->s, "t/a");
	assert_null(st->error);
	lig_sched_status_free(st);
	assert_no_violation(f);
}

/* ---- resync ---- */

static void
test_resync_minimal_diff(void **state)
{
	struct fx *f = *state;
	/* the device as a previous agent run left it, plus what someone else made */
	dev_put(&f->dev, "t/same", "S1", false);
	dev_put(&f->dev, "t/changed", "C1", false);
	dev_put(&f->dev, "t/stale", "X1", false);
	dev_put(&f->dev, "t/local0", "L0", true);
	dev_put(&f->dev, "t/dep", "D1 dep:t/same", false);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/same", "S1");
	tset(t, "t/changed", "C2");
	tset(t, "t/new", "N1 dep:t/same");
	tset(t, "t/dep", "D1 dep:t/same");
	uint64_t seq;
	assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
	assert_no_violation(f);
	assert_int_equal(f->dev.creates, 1);
	assert_int_equal(f->dev.updates, 1);
	assert_int_equal(f->dev.deletes, 1);
	assert_string_equal(dev_get(&f->dev, "t/changed"), "C2");
	assert_null(dev_get(&f->dev, "t/stale"));
	assert_string_equal(dev_get(&f->dev, "t/local0"), "L0");
	assert_state("t/local0", OBTAINED);
	assert_state("t/same", CONFIGURED);
	assert_state("t/dep", CONFIGURED);
	assert_state("t/new", CONFIGURED);
	const struct lig_sched_txn_record *r = lig_sched_history_get(f->s, seq);
	assert_int_equal(r->trigger, LIG_SCHED_TRIGGER_RESYNC);
	assert_int_equal(r->n_ops, 3);
	assert_null(find_op(r, "t/same"));
	assert_null(find_op(r, "t/local0"));
	assert_int_equal(find_op(r, "t/stale")->op, LIG_SCHED_OP_DELETE);
	assert_int_equal(find_op(r, "t/stale")->prev_state, LIG_SCHED_DISCOVERED);

	/* OBTAINED values are never touched by northbound deletes or resyncs */
	del(f->s, "t/local0", NULL);
	assert_string_equal(dev_get(&f->dev, "t/local0"), "L0");
	t = lig_sched_txn_new(f->s);
	tset(t, "t/same", "S1");
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	assert_string_equal(dev_get(&f->dev, "t/local0"), "L0");
	assert_state("t/local0", OBTAINED);
	/* what northbound no longer wants went, dependents first */
	assert_null(dev_get(&f->dev, "t/new"));
	assert_null(dev_get(&f->dev, "t/dep"));
	assert_no_violation(f);
}

static void
test_resync_unknown_origin(void **state)
{
	struct fx *f = *state;
	f->dev.unknown_origin = true;
	dev_put(&f->dev, "t/mine", "M1", false);
	dev_put(&f->dev, "t/theirs", "T1", false);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/mine", "M1");
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	/* unknown origin: desired -> the agent's; otherwise someone else's */
	assert_state("t/mine", CONFIGURED);
	assert_state("t/theirs", OBTAINED);
	assert_int_equal(f->dev.calls, 0);
	/* the agent created and deleted t/gone before; found again: it is the agent's */
	put(f->s, "t/gone", "G1", NULL);
	dev_put(&f->dev, "t/gone", "G1", false);
	struct lig_sched *s2 = f->s;
	lig_sched_free(f->s);
	(void)s2;
	f->s = new_sched(f);
	t = lig_sched_txn_new(f->s);
	tset(t, "t/mine", "M1");
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	assert_state("t/theirs", OBTAINED);
	assert_state("t/gone", OBTAINED); /* no history after a restart: left alone */
}

static void
test_restart_zero_operations(void **state)
{
	struct fx *f = *state;
	const char *keys[] = {"t/if1", "t/if2", "t/bd", "t/route", "t/pending", "t/bad", "n/x"};
	const char *vals[] = {"I1",
			      "I2",
			      "B1 der:d/bd/if1=M+t/if1 der:d/bd/if2=M+t/if2 der:p/up=1",
			      "R1 dep:t/if1 dep:d/bd/if2",
			      "P dep:t/never",
			      "Z bad",
			      "N dep:t/if1"};
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		lig_sched_txn_set(t, keys[i], vals[i], strlen(vals[i]));
	dev_put(&f->dev, "t/local0", "L0", true);
	assert_int_equal(lig_sched_txn_resync(t, true, NULL), 0);
	assert_state("t/route", CONFIGURED);
	assert_state("d/bd/if2", CONFIGURED);
	size_t calls = f->dev.calls;

	/* the agent restarts: a new scheduler, the same device and desired state */
	lig_sched_free(f->s);
	f->s = new_sched(f);
	t = lig_sched_txn_new(f->s);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		lig_sched_txn_set(t, keys[i], vals[i], strlen(vals[i]));
	uint64_t seq;
	assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
	const struct lig_sched_txn_record *r = lig_sched_history_get(f->s, seq);
	/* n/ cannot be read back: the only value created again */
	assert_int_equal(f->dev.calls, calls + 1);
	assert_int_equal(f->dev.violations, 1); /* n/x already existed: the device said so */
	f->dev.violations = 0;
	assert_int_equal(real_ops(r), 1);
	assert_string_equal(find_op(r, "n/x")->key, "n/x");
	assert_state("t/route", CONFIGURED);
	assert_state("d/bd/if1", CONFIGURED);
	assert_state("p/up", CONFIGURED);
	assert_state("t/pending", PENDING);
	assert_state("t/bad", INVALID);
	assert_state("t/local0", OBTAINED);

	/* without the n/ value: zero operations */
	lig_sched_free(f->s);
	f->s = new_sched(f);
	dev_del(&f->dev, "n/x");
	calls = f->dev.calls;
	t = lig_sched_txn_new(f->s);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) - 1; i++)
		lig_sched_txn_set(t, keys[i], vals[i], strlen(vals[i]));
	assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
	assert_int_equal(f->dev.calls, calls);
	assert_int_equal(real_ops(lig_sched_history_get(f->s, seq)), 0);
	assert_state("t/route", CONFIGURED);
	/* and a downstream resync right after: still nothing to do */
	assert_int_equal(lig_sched_downstream_resync(f->s, &seq), 0);
	assert_int_equal(lig_sched_history_get(f->s, seq)->n_ops, 0);
	assert_int_equal(f->dev.calls, calls);
}

static void
test_downstream_resync(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/if", "I1", NULL);
	put(f->s, "t/addr", "A1 dep:t/if", NULL);
	put(f->s, "t/x", "X1", NULL);
	put(f->s, "t/bd", "B1 der:d/m=M+t/if", NULL);
	/* the device restarts and loses everything; someone changes t/x */
	dev_del(&f->dev, "d/m");
	dev_del(&f->dev, "t/addr");
	dev_del(&f->dev, "t/bd");
	dev_del(&f->dev, "t/if");
	dev_put(&f->dev, "t/x", "X9", false);
	dev_put(&f->dev, "t/local", "L", true);
	dev_log_clear(&f->dev);
	uint64_t seq;
	assert_int_equal(lig_sched_downstream_resync(f->s, &seq), 0);
	assert_no_violation(f);
	const struct lig_sched_txn_record *r = lig_sched_history_get(f->s, seq);
	assert_int_equal(r->trigger, LIG_SCHED_TRIGGER_DOWNSTREAM_RESYNC);
	assert_string_equal(dev_get(&f->dev, "t/if"), "I1");
	assert_string_equal(dev_get(&f->dev, "t/addr"), "A1 dep:t/if");
	assert_string_equal(dev_get(&f->dev, "t/x"), "X1");
	assert_string_equal(dev_get(&f->dev, "d/m"), "M base:t/bd dep:t/if");
	assert_state("t/local", OBTAINED);
	assert_int_equal(find_op(r, "t/if")->prev_state, LIG_SCHED_MISSING);
	assert_int_equal(find_op(r, "t/x")->op, LIG_SCHED_OP_UPDATE);
	assert_int_equal(f->dev.creates + f->dev.updates, 5 + 4 + 1);
	/* retrieve failing: the scheduler keeps its view, nothing happens */
	f->dev.retrieve_fails = true;
	dev_del(&f->dev, "t/x");
	size_t calls = f->dev.calls;
	lig_sched_downstream_resync(f->s, NULL);
	assert_int_equal(f->dev.calls, calls);
}

static void
test_upstream_resync(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/a", "A1", NULL);
	put(f->s, "t/b", "B1", NULL);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/b", "B2");
	tset(t, "t/c", "C1");
	uint64_t seq;
	assert_int_equal(lig_sched_txn_resync(t, false, &seq), 0);
	assert_int_equal(lig_sched_history_get(f->s, seq)->trigger,
			 LIG_SCHED_TRIGGER_UPSTREAM_RESYNC);
	assert_null(dev_get(&f->dev, "t/a"));
	assert_string_equal(dev_get(&f->dev, "t/b"), "B2");
	assert_string_equal(dev_get(&f->dev, "t/c"), "C1");
}

/* ---- history ---- */

struct collect {
	uint64_t seqs[64];
	size_t n;
	const char *states[16];
	int ops[16];
	size_t nstates;
};

static int
collect_txn(void *ctx, const struct lig_sched_txn_record *r)
{
	struct collect *c = ctx;
	c->seqs[c->n++] = r->seq;
	return 0;
}

static int
collect_timeline(void *ctx, const struct lig_sched_txn_record *r,
		 const struct lig_sched_op_record *op)
{
	(void)r;
	struct collect *c = ctx;
	c->ops[c->nstates] = op->op;
	c->states[c->nstates++] = lig_sched_state_name(op->new_state);
	return 0;
}

static void
test_history(void **state)
{
	struct fx *f = *state;
	f->dev.clock = &f->env.now;
	f->dev.op_cost_ns = 5000; /* every device call takes 5 us of fake time */
	uint64_t t0 = f->env.now;
	put(f->s, "t/a", "A1 dep:t/b", NULL); /* 1 pending */
	f->env.now += 1000;
	put(f->s, "t/b", "B1", NULL); /* 2 both created */
	f->env.now += 1000;
	uint64_t t2 = f->env.now;
	put(f->s, "t/a", "A2 dep:t/b", NULL); /* 3 update */
	f->env.now += 1000;
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_DELETE, 1, -EPERM);
	del(f->s, "t/a", NULL); /* 4 failed delete */

	const struct lig_sched_txn_record *r = lig_sched_history_get(f->s, 2);
	assert_non_null(r);
	assert_int_equal(r->seq, 2);
	assert_int_equal(r->trigger, LIG_SCHED_TRIGGER_NB);
	assert_int_equal(r->n_ops, 2);
	assert_string_equal(r->ops[0].key, "t/b");
	assert_string_equal(r->ops[1].key, "t/a");
	assert_int_equal(r->ops[1].prev_state, LIG_SCHED_PENDING);
	assert_string_equal(r->ops[1].new_value, "A1 dep:t/b");
	assert_int_equal(r->ops[1].duration_ns, 5000);
	assert_int_equal(r->end_ns - r->start_ns, 10000);
	r = lig_sched_history_get(f->s, 3);
	assert_string_equal(r->ops[0].prev_value, "A1 dep:t/b");
	assert_string_equal(r->ops[0].new_value, "A2 dep:t/b");
	r = lig_sched_history_get(f->s, 4);
	assert_int_equal(r->ops[0].op, LIG_SCHED_OP_DELETE);
	assert_int_equal(r->ops[0].new_state, LIG_SCHED_FAILED);
	assert_string_equal(r->ops[0].error, "injected failure: delete t/a");
	assert_int_equal(r->errors, 1);
	assert_null(lig_sched_history_get(f->s, 5));
	assert_null(lig_sched_history_get(f->s, 0));

	struct collect c = {0};
	lig_sched_history_foreach(f->s, 0, 0, collect_txn, &c);
	assert_int_equal(c.n, 4);
	c.n = 0;
	lig_sched_history_foreach(f->s, t0 + 500, t2, collect_txn, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.seqs[0], 2);
	assert_int_equal(c.seqs[1], 3);

	/* key timeline: PENDING, CONFIGURED, CONFIGURED (update), FAILED (delete) */
	lig_sched_key_timeline(f->s, "t/a", collect_timeline, &c);
	assert_int_equal(c.nstates, 4);
	assert_string_equal(c.states[0], "PENDING");
	assert_string_equal(c.states[1], "CONFIGURED");
	assert_int_equal(c.ops[2], LIG_SCHED_OP_UPDATE);
	assert_string_equal(c.states[3], "FAILED");

	/* text rendering */
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	lig_sched_txn_print(lig_sched_history_get(f->s, 4), out);
	fclose(out);
	assert_non_null(strstr(buf, "txn #4 northbound"));
	assert_non_null(strstr(buf, "DELETE t/a: CONFIGURED -> FAILED"));
	assert_non_null(strstr(buf, "error: injected failure: delete t/a"));
	free(buf);
}

static void
test_history_ring_bounded(void **state)
{
	struct fx *f = *state;
	struct lig_sched_config cfg = f->cfg;
	cfg.history_max_txns = 8;
	cfg.history_max_bytes = 1 << 20;
	struct lig_sched *s = lig_sched_new(&cfg);
	mock_register(s, &f->dev);
	char key[32], val[32];
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "t/k%d", i);
		snprintf(val, sizeof(val), "V%d", i);
		put(s, key, val, NULL);
	}
	assert_null(lig_sched_history_get(s, 12));
	assert_non_null(lig_sched_history_get(s, 13));
	assert_non_null(lig_sched_history_get(s, 20));
	struct collect c = {0};
	lig_sched_history_foreach(s, 0, 0, collect_txn, &c);
	assert_int_equal(c.n, 8);
	assert_int_equal(c.seqs[0], 13);
	lig_sched_free(s);

	/* byte bound: one big transaction pushes out the older ones */
	cfg.history_max_txns = 100;
	cfg.history_max_bytes = 64 << 10;
	s = lig_sched_new(&cfg);
	mock_register(s, &f->dev);
	put(s, "t/small", "S", NULL);
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "t/big%d", i);
		lig_sched_txn_set(t, key, "X dep:t/none", 12);
	}
	lig_sched_txn_commit(t, NULL);
	assert_null(lig_sched_history_get(s, 1));
	assert_int_equal(lig_sched_history_get(s, 2)->n_ops, 2000);
	lig_sched_free(s);
}

/* ---- status, graph, views ---- */

static int
count_views(void *ctx, const struct lig_sched_value_view *v)
{
	size_t *n = ctx;
	if (strcmp(v->key, "d/m") == 0)
		assert_string_equal(v->base_key, "t/b");
	if (strcmp(v->key, "t/b") == 0) {
		assert_true(v->has_desired);
		assert_true(v->has_applied);
		assert_int_equal(v->applied_size, strlen("B1 der:d/m=M+t/nope"));
		assert_memory_equal(v->applied, "B1 ", 3);
	}
	(*n)++;
	return 0;
}

static void
test_status_and_dot(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/a", "A1 dep:t/b dep:t/missing", NULL);
	put(f->s, "t/b", "B1 der:d/m=M+t/nope", NULL);
	put(f->s, "t/bad", "bad", NULL);
	size_t counts[LIG_SCHED_N_STATES];
	lig_sched_count_states(f->s, counts);
	assert_int_equal(counts[LIG_SCHED_CONFIGURED], 1);
	assert_int_equal(counts[LIG_SCHED_PENDING], 2);
	assert_int_equal(counts[LIG_SCHED_INVALID], 1);
	size_t n = 0;
	lig_sched_foreach(f->s, count_views, &n);
	assert_int_equal(n, 4);

	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/unknown");
	assert_int_equal(st->state, LIG_SCHED_NONEXISTENT);
	assert_string_equal(st->key, "t/unknown");
	lig_sched_status_free(st);

	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	assert_int_equal(lig_sched_dot(f->s, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "digraph kvscheduler {"));
	assert_non_null(strstr(buf, "subgraph \"cluster_test\""));
	assert_non_null(
	    strstr(buf, "\"t/a\" -> \"t/missing\" [tooltip=\"t/missing\" color=\"Red\"]"));
	assert_non_null(strstr(buf, "\"t/a\" -> \"t/b\" [tooltip=\"t/b\"];"));
	assert_non_null(
	    strstr(buf, "\"t/b\" -> \"d/m\" [color=\"bisque4\" arrowhead=\"invempty\"]"));
	assert_non_null(strstr(buf, "fillcolor=\"Pink\""));
	assert_non_null(strstr(buf, "fillcolor=\"Maroon\""));
	assert_non_null(strstr(buf, "\"t/missing\" [label=\"t/missing\\nNONEXISTENT\""));
	free(buf);

	/* Graphviz accepts it (when installed): any-of, cycles, quotes and backslashes in keys */
	put(f->s, "t/any", "A any:t/if/", NULL);
	put(f->s, "t/c1", "C dep:t/c2", NULL);
	put(f->s, "t/c2", "C dep:t/c1", NULL);
	put(f->s, "t/q\"uo\\te", "Q dep:t/a", NULL);
	if (access("/usr/bin/dot", X_OK) == 0) {
		char path[] = "/tmp/sched-dot-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		out = fdopen(fd, "w");
		assert_int_equal(lig_sched_dot(f->s, out), 0);
		fclose(out);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "/usr/bin/dot -Tsvg %s -o /dev/null", path);
		int rc = system(cmd);
		unlink(path);
		assert_int_equal(rc, 0);
	}

	char text[64];
	assert_int_equal(lig_sched_format_value(f->s, "t/x", "\x01\x02", 2, text, sizeof(text)), 4);
	assert_string_equal(text, "0102");
	assert_string_equal(lig_sched_state_name(LIG_SCHED_RETRYING), "RETRYING");
	assert_string_equal(lig_sched_op_name(LIG_SCHED_OP_RECREATE), "RECREATE");
	assert_string_equal(lig_sched_trigger_name(LIG_SCHED_TRIGGER_DOWNSTREAM_RESYNC),
			    "downstream-resync");
}

/* ---- API rules ---- */

static void *
dummy_dup(void *ctx, const void *value, size_t size)
{
	(void)ctx;
	(void)value;
	return malloc(size);
}

static struct lig_sched *reentrant_s;
static int reentrant_rc;

static int
reentrant_create(void *ctx, const char *key, const void *value, size_t size, void **md,
		 struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)value;
	(void)size;
	(void)md;
	(void)err;
	reentrant_rc = put(reentrant_s, "r/other", "x", NULL);
	return 0;
}

static void
test_api_rules(void **state)
{
	struct fx *f = *state;
	struct lig_sched_descriptor d = {.name = "test", .key_prefix = "q/"};
	assert_int_equal(lig_sched_register(f->s, &d), -EEXIST);
	d.name = NULL;
	assert_int_equal(lig_sched_register(f->s, &d), -EINVAL);
	d.name = "reentrant";
	d.create = reentrant_create;
	d.key_prefix = "r/";
	assert_int_equal(lig_sched_register(f->s, &d), 0);
	d.name = "dup-without-free";
	d.dup = dummy_dup;
	assert_int_equal(lig_sched_register(f->s, &d), -EINVAL);
	reentrant_s = f->s;
	put(f->s, "r/x", "x", NULL);
	assert_int_equal(reentrant_rc, -EBUSY);
	assert_state("r/x", CONFIGURED);
	assert_state("r/other", NONEXISTENT);
	/* nor from the record callback */
	f->commit_in_callback = true;
	put(f->s, "t/y", "y", NULL);
	assert_int_equal(f->callback_rc, -EBUSY);
	assert_state("t/from-callback", NONEXISTENT);
	d.name = "late";
	d.dup = NULL;
	d.key_prefix = "l/";
	assert_int_equal(lig_sched_register(f->s, &d), -EBUSY);
}

/* ---- cycles made one value at a time ---- */

static void
test_stepwise_cycle_refused(void **state)
{
	struct fx *f = *state;
	/* b needs a; a is then changed in place to need b: refused, nothing may exist */
	put(f->s, "t/a", "A1", NULL);
	put(f->s, "t/b", "B1 dep:t/a", NULL);
	put(f->s, "t/a", "A2 dep:t/b", NULL);
	assert_no_violation(f);
	assert_state("t/a", PENDING);
	assert_state("t/b", PENDING);
	assert_null(dev_get(&f->dev, "t/a"));
	assert_null(dev_get(&f->dev, "t/b"));
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/a");
	assert_non_null(st->error);
	assert_non_null(strstr(st->error, "dependency cycle"));
	lig_sched_status_free(st);

	/* a base needing its own derived value */
	put(f->s, "t/x", "X1 der:d/x=M", NULL);
	assert_state("d/x", CONFIGURED);
	put(f->s, "t/x", "X2 dep:d/x der:d/x=M", NULL);
	assert_no_violation(f);
	assert_state("t/x", PENDING);
	assert_null(dev_get(&f->dev, "t/x"));
	assert_null(dev_get(&f->dev, "d/x"));

	/* the cycle runs through what the device has: q is in the device needing p while its
	 * new value is invalid, and p is changed to need q in the same transaction */
	put(f->s, "t/p", "P1", NULL);
	put(f->s, "t/q", "Q1 dep:t/p", NULL);
	struct lig_sched_txn *t = lig_sched_txn_new(f->s);
	tset(t, "t/q", "Q2 dep:t/p bad");
	tset(t, "t/p", "P2 dep:t/q");
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_no_violation(f);
	assert_state("t/q", INVALID);
	assert_state("t/p", PENDING);
	assert_null(dev_get(&f->dev, "t/p"));
	assert_null(dev_get(&f->dev, "t/q"));
	assert_int_equal(f->dev.n, 0);
}

/* ---- failures undone by northbound ---- */

static void
test_failure_then_put_back(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/a", "A1", NULL);
	put(f->s, "t/needs-a", "N dep:t/a", NULL);
	/* a failed delete leaves it in the device; northbound wants it back as it was */
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_DELETE, 1, -EAGAIN);
	del(f->s, "t/a", NULL);
	assert_state("t/a", RETRYING);
	assert_state("t/needs-a", PENDING);
	assert_non_null(dev_get(&f->dev, "t/a"));
	size_t calls = f->dev.calls;
	put(f->s, "t/a", "A1", NULL);
	assert_state("t/a", CONFIGURED);
	assert_state("t/needs-a", CONFIGURED);
	assert_int_equal(f->dev.calls, calls + 1); /* only the dependent's create */
	assert_int_equal(f->env.timer_delay, -1);

	/* a failed update; northbound goes back to the value the device still has */
	dev_fail(&f->dev, "t/a", LIG_SCHED_OP_UPDATE, 1, -EAGAIN);
	put(f->s, "t/a", "A2", NULL);
	assert_state("t/a", RETRYING);
	calls = f->dev.calls;
	put(f->s, "t/a", "A1", NULL);
	assert_state("t/a", CONFIGURED);
	assert_int_equal(f->dev.calls, calls);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "t/a");
	assert_non_null(op);
	assert_true(op->flags & LIG_SCHED_OPF_NOOP);
	assert_int_equal(op->prev_state, LIG_SCHED_RETRYING);
	assert_int_equal(op->new_state, LIG_SCHED_CONFIGURED);
	assert_no_violation(f);
}

/* ---- derived value corner cases ---- */

static void
test_derived_collisions_and_properties(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/nb", "N1", NULL);
	/* derives a northbound key (skipped) and the same key twice (the first wins) */
	put(f->s, "t/base", "B1 der:t/nb=X der:d/twice=M1 der:d/twice=M2 der:p/prop=1", NULL);
	assert_string_equal(dev_get(&f->dev, "t/nb"), "N1");
	assert_string_equal(dev_get(&f->dev, "d/twice"), "M1 base:t/base");
	struct lig_sched_status *st = lig_sched_status_get(f->s, "t/nb");
	assert_false(st->derived);
	lig_sched_status_free(st);
	/* a property whose value changes is updated, nothing in the device */
	put(f->s, "t/base", "B1 der:d/twice=M1 der:p/prop=2", NULL);
	assert_state("p/prop", CONFIGURED);
	const struct lig_sched_op_record *op = find_op(last_record(f->s), "p/prop");
	assert_non_null(op);
	assert_int_equal(op->op, LIG_SCHED_OP_UPDATE);
	assert_true(op->flags & LIG_SCHED_OPF_PROPERTY);
	assert_string_equal(op->new_value, "2 base:t/base");
	assert_no_violation(f);
}

/* ---- values with pointers inside, a format, labelled dependencies ---- */

struct dv {
	char *name;
	int mtu;
};

static int dv_live; /* copies alive */
static char dv_created[64];

static void *
dv_dup(void *ctx, const void *value, size_t size)
{
	(void)ctx;
	assert_int_equal(size, sizeof(struct dv));
	const struct dv *in = value;
	struct dv *out = malloc(sizeof(*out));
	out->name = strdup(in->name);
	out->mtu = in->mtu;
	dv_live++;
	return out;
}

static void
dv_free(void *ctx, void *value)
{
	(void)ctx;
	struct dv *v = value;
	free(v->name);
	free(v);
	dv_live--;
}

static bool
dv_equiv(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	(void)as;
	(void)bs;
	const struct dv *x = a, *y = b;
	return strcmp(x->name, y->name) == 0 && x->mtu == y->mtu;
}

static int
dv_format(void *ctx, const char *key, const void *value, size_t size, char *buf, size_t buf_size)
{
	(void)ctx;
	(void)key;
	(void)size;
	const struct dv *v = value;
	return snprintf(buf, buf_size, "{name: %s, mtu: %d}", v->name, v->mtu);
}

static int
dv_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)size;
	(void)md;
	(void)err;
	snprintf(dv_created, sizeof(dv_created), "%s", ((const struct dv *)value)->name);
	return 0;
}

static int
dv_update(void *ctx, const char *key, const void *old_value, size_t old_size, const void *new_value,
	  size_t new_size, void **md, struct lig_sched_err *err)
{
	(void)old_value;
	(void)old_size;
	return dv_create(ctx, key, new_value, new_size, md, err);
}

static int
dv_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
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

static void
dv_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)key;
	(void)size;
	const struct dv *v = value;
	if (v->mtu > 1500)
		lig_sched_dep_key(deps, "jumbo-capable interface", "t/jumbo");
}

static void
test_deep_values(void **state)
{
	struct fx *f = *state;
	struct lig_sched *s = lig_sched_new(&f->cfg);
	struct lig_sched_descriptor d = {
	    .name = "deep",
	    .key_prefix = "v/",
	    .create = dv_create,
	    .update = dv_update,
	    .delete = dv_delete,
	    .equivalent = dv_equiv,
	    .format = dv_format,
	    .dependencies = dv_deps,
	    .dup = dv_dup,
	    .free_value = dv_free,
	};
	assert_int_equal(lig_sched_register(s, &d), 0);
	mock_register(s, &f->dev);
	char name[16] = "eth0";
	struct dv v = {.name = name, .mtu = 9000};
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	lig_sched_txn_set(t, "v/eth0", &v, sizeof(v));
	strcpy(name, "XXXX"); /* the scheduler holds its own copy */
	lig_sched_txn_commit(t, NULL);
	assert_int_equal(lig_sched_state(s, "v/eth0"), LIG_SCHED_PENDING);
	struct lig_sched_status *st = lig_sched_status_get(s, "v/eth0");
	assert_int_equal(st->n_details, 1);
	assert_string_equal(st->details[0], "jumbo-capable interface (t/jumbo)");
	lig_sched_status_free(st);
	put(s, "t/jumbo", "J", NULL);
	assert_int_equal(lig_sched_state(s, "v/eth0"), LIG_SCHED_CONFIGURED);
	assert_string_equal(dv_created, "eth0");
	const struct lig_sched_op_record *op = find_op(last_record(s), "v/eth0");
	assert_string_equal(op->new_value, "{name: eth0, mtu: 9000}");
	/* an equal copy: no update */
	strcpy(name, "eth0");
	dv_created[0] = 0;
	t = lig_sched_txn_new(s);
	lig_sched_txn_set(t, "v/eth0", &v, sizeof(v));
	lig_sched_txn_commit(t, NULL);
	assert_string_equal(dv_created, "");
	v.mtu = 1500;
	t = lig_sched_txn_new(s);
	lig_sched_txn_set(t, "v/eth0", &v, sizeof(v));
	lig_sched_txn_commit(t, NULL);
	op = find_op(last_record(s), "v/eth0");
	assert_int_equal(op->op, LIG_SCHED_OP_UPDATE);
	assert_string_equal(op->prev_value, "{name: eth0, mtu: 9000}");
	assert_true(dv_live > 0);
	lig_sched_free(s);
	assert_int_equal(dv_live, 0);
}

/* ---- retrieve order, correlation, origins from history ---- */

static char retrieve_order[64];

static int
order_retrieve(void *ctx, const struct lig_sched_retrieved *corr, struct lig_sched_retrieved *out)
{
	const char *name = ctx;
	strcat(retrieve_order, name);
	/* report exactly what the scheduler believes, with metadata */
	for (size_t i = 0; i < lig_sched_retrieved_count(corr); i++) {
		const void *v;
		size_t size;
		void *md;
		const char *key = lig_sched_retrieved_key(corr, i, &v, &size, &md);
		assert_non_null(key);
		lig_sched_retrieved_add(out, key, v, size, LIG_SCHED_ORIGIN_NB, NULL);
	}
	assert_null(
	    lig_sched_retrieved_key(corr, lig_sched_retrieved_count(corr), NULL, NULL, NULL));
	return 0;
}

static int
order_create(void *ctx, const char *key, const void *value, size_t size, void **md,
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

static void
test_retrieve_order_and_correlate(void **state)
{
	struct fx *f = *state;
	static const char *const after_b[] = {"b", NULL};
	static const char *const after_c[] = {"c", NULL};
	struct lig_sched *s = lig_sched_new(&f->cfg);
	struct lig_sched_descriptor a = {.name = "a",
					 .key_prefix = "a/",
					 .ctx = "a",
					 .create = order_create,
					 .retrieve = order_retrieve,
					 .retrieve_after = after_b};
	struct lig_sched_descriptor b = a, c = a;
	b.name = "b";
	b.key_prefix = "b/";
	b.ctx = "b";
	b.retrieve_after = after_c;
	c.name = "c";
	c.key_prefix = "c/";
	c.ctx = "c";
	c.retrieve_after = NULL;
	assert_int_equal(lig_sched_register(s, &a), 0);
	assert_int_equal(lig_sched_register(s, &b), 0);
	assert_int_equal(lig_sched_register(s, &c), 0);
	/* first resync: correlate = the desired values, reported back as existing: no creates */
	struct lig_sched_txn *t = lig_sched_txn_new(s);
	tset(t, "a/1", "one");
	tset(t, "c/1", "three");
	uint64_t seq;
	retrieve_order[0] = 0;
	assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
	assert_string_equal(retrieve_order, "cba");
	assert_int_equal(lig_sched_history_get(s, seq)->n_ops, 0);
	assert_int_equal(lig_sched_state(s, "a/1"), LIG_SCHED_CONFIGURED);
	assert_int_equal(lig_sched_state(s, "c/1"), LIG_SCHED_CONFIGURED);
	lig_sched_free(s);
}

static void
test_origin_from_history(void **state)
{
	struct fx *f = *state;
	f->dev.unknown_origin = true;
	put(f->s, "t/once", "O1", NULL);
	del(f->s, "t/once", NULL);
	/* it reappears in the device (someone restored it): the agent made it once, so it is
	 * the agent's, and not desired: removed */
	dev_put(&f->dev, "t/once", "O1", false);
	dev_put(&f->dev, "t/never", "N1", false);
	assert_int_equal(lig_sched_downstream_resync(f->s, NULL), 0);
	assert_null(dev_get(&f->dev, "t/once"));
	assert_string_equal(dev_get(&f->dev, "t/never"), "N1");
	assert_state("t/never", OBTAINED);
	/* the device loses an OBTAINED value: forgotten */
	dev_del(&f->dev, "t/never");
	lig_sched_downstream_resync(f->s, NULL);
	assert_state("t/never", NONEXISTENT);
}

struct sbview {
	int n, obtained;
	bool saw_drift;
};

static int
sb_fn(void *ctx, const char *key, const void *value, size_t size, enum lig_sched_origin origin)
{
	struct sbview *v = ctx;
	v->n++;
	if (origin == LIG_SCHED_ORIGIN_SB)
		v->obtained++;
	if (strcmp(key, "t/a") == 0 && size == 6 && memcmp(value, "Adrift", 6) == 0)
		v->saw_drift = true;
	return 0;
}

static void
test_retrieve_view(void **state)
{
	struct fx *f = *state;
	put(f->s, "t/a", "A1", NULL);
	put(f->s, "t/b", "B1", NULL);
	dev_put(&f->dev, "t/a", "Adrift", false);
	dev_put(&f->dev, "t/sys", "S", true);
	struct sbview v = {0};
	assert_int_equal(lig_sched_retrieve_view(f->s, "test", sb_fn, &v), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.obtained, 1);
	assert_true(v.saw_drift);
	/* the scheduler's own view did not change */
	assert_state("t/sys", NONEXISTENT);
	size_t calls = f->dev.calls;
	assert_int_equal(f->dev.calls, calls);
	memset(&v, 0, sizeof(v));
	assert_int_equal(lig_sched_retrieve_view(f->s, NULL, sb_fn, &v), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(lig_sched_retrieve_view(f->s, "derived", sb_fn, &v), -EOPNOTSUPP);
	assert_int_equal(lig_sched_retrieve_view(f->s, "nope", sb_fn, &v), -ENOENT);
	dev_put(&f->dev, "t/a", "A1", false);
}

static void
test_notifications(void **state)
{
	struct fx *f = *state;
	/* a veth waits for a namespace the agent does not create */
	put(f->s, "t/veth", "V dep:t/ns1", NULL);
	put(f->s, "t/route", "R dep:p/ns1-up", NULL);
	assert_state("t/veth", PENDING);
	dev_put(&f->dev, "t/ns1", "NS der:p/ns1-up=1", true);
	uint64_t seq;
	assert_int_equal(lig_sched_notify(f->s, "t/ns1", "NS der:p/ns1-up=1", 17, NULL, &seq), 0);
	assert_no_violation(f);
	assert_state("t/ns1", OBTAINED);
	assert_state("p/ns1-up", OBTAINED);
	assert_state("t/veth", CONFIGURED);
	assert_state("t/route", CONFIGURED);
	const struct lig_sched_txn_record *r = lig_sched_history_get(f->s, seq);
	assert_int_equal(r->trigger, LIG_SCHED_TRIGGER_NOTIFICATION);
	assert_string_equal(lig_sched_trigger_name(r->trigger), "notification");
	assert_true(find_op(r, "t/ns1")->flags & LIG_SCHED_OPF_NOOP);
	assert_int_equal(find_op(r, "t/veth")->op, LIG_SCHED_OP_CREATE);

	/* the property goes away (the value changed): what needs it is removed */
	assert_int_equal(lig_sched_notify(f->s, "t/ns1", "NS", 2, NULL, NULL), 0);
	assert_state("p/ns1-up", NONEXISTENT);
	assert_state("t/route", PENDING);
	assert_state("t/veth", CONFIGURED);

	/* the namespace disappears: the veth goes first, no delete call for the namespace */
	dev_log_clear(&f->dev);
	size_t calls = f->dev.calls;
	assert_int_equal(lig_sched_notify(f->s, "t/ns1", NULL, 0, NULL, NULL), 0);
	assert_int_equal(f->dev.calls, calls + 1);
	assert_int_equal(dev_log_index(&f->dev, "delete", "t/veth"), 0);
	assert_state("t/veth", PENDING);
	assert_state("t/ns1", NONEXISTENT);
	dev_del(&f->dev, "t/ns1");

	/* values the agent manages ignore notifications */
	put(f->s, "t/mine", "M1", NULL);
	assert_int_equal(lig_sched_notify(f->s, "t/mine", "M2", 2, NULL, &seq), 0);
	assert_int_equal(lig_sched_history_get(f->s, seq)->n_ops, 0);
	assert_int_equal(lig_sched_notify(f->s, "t/mine", NULL, 0, NULL, NULL), 0);
	assert_state("t/mine", CONFIGURED);
	assert_int_equal(lig_sched_notify(f->s, "", "x", 1, NULL, NULL), -EINVAL);
	int *md = malloc(sizeof(*md));
	*md = 7;
	assert_int_equal(lig_sched_notify(f->s, "t/sys", "S", 1, md, NULL), 0);
	assert_int_equal(*(int *)lig_sched_metadata(f->s, "t/sys"), 7);
	assert_no_violation(f);
}

static void
test_render_defaults(void **state)
{
	struct fx *f = *state;
	char buf[512];
	/* a NUL-terminated string renders as its text */
	assert_int_equal(lig_sched_format_value(f->s, "x/k", "abc", 4, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	/* long binary: 64 bytes of hex and the size */
	unsigned char bin[100];
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	lig_sched_format_value(f->s, "x/k", bin, sizeof(bin), buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "000102", 6), 0);
	assert_non_null(strstr(buf, "... (100 bytes)"));
	/* truncated to the buffer */
	assert_int_equal(lig_sched_format_value(f->s, "x/k", "abcdef", 6, buf, 4), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(lig_sched_format_value(f->s, "x/k", "a", 1, buf, 0), -EINVAL);
	assert_null(lig_sched_txn_new(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_update_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_txn_last_write_wins_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dependents_before_dependencies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pending_across_transactions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete_dependency_with_dependents, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_dependency_change_on_update, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_anyof_dependency, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_derived_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_derived_pending_base, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recreate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retry_with_backoff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retry_exhausted_and_non_retriable, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_retry_obsoleted_by_northbound, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_timer_no_retry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_does_not_block, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unimplemented, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resync_minimal_diff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resync_unknown_origin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_zero_operations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_downstream_resync, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_upstream_resync, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_ring_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_and_dot, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_api_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stepwise_cycle_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_then_put_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_derived_collisions_and_properties, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_deep_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retrieve_order_and_correlate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_origin_from_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_render_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_retrieve_view, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
	};
	return cmocka_run_group_tests_name("agent_scheduler", tests, NULL, NULL);
}

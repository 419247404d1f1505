// SPDX-License-Identifier: Apache-2.0
// Randomized property test: random transactions (values with random dependencies, cycles,
// derived values, invalid values), transient device failures, device drift with downstream
// resyncs and agent restarts with full resyncs (also with creates queued and flushed in batches),
// checked against a reference model after each
// step: once quiescent (retries run out), exactly the values whose dependencies are satisfied
// (least fixpoint, so cycles never are) are in the device, with the desired content, and every
// value's state says so. The device refuses operations in the wrong order, so order bugs fail.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mock.h"

#define NMAIN 24 /* t/k<i> */
#define NKEYS 27 /* then t/leaf<i>: values without dependencies, the targets of any-of */
#define MAXDER 3

static void
key_name(int i, char *buf, size_t size)
{
	if (i < NMAIN)
		snprintf(buf, size, "t/k%d", i);
	else
		snprintf(buf, size, "t/leaf%d", i - NMAIN);
}

struct rng {
	uint64_t s;
};

static uint32_t
rnd(struct rng *r, uint32_t n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s % n);
}

struct model {
	char *want[NKEYS]; /* desired value of t/k<i>, NULL when none */
	bool sb[2];	   /* t/sb<i> exists in the device (not the agent's) */
};

static void
random_dep(struct rng *r, char *out, size_t size, int self)
{
	uint32_t k = rnd(r, 10);
	uint32_t j = rnd(r, NMAIN);
	if (k == 9)
		snprintf(out, size, "t/sb%u", j % 2); /* made by the device itself (notify) */
	else if (k == 0)
		snprintf(out, size, "p/k%u", j);
	else if (k == 1)
		snprintf(out, size, "d/k%u.0", j);
	else if (k == 2 && self >= 0)
		snprintf(out, size, "t/k%d", self); /* self-dependency */
	else
		snprintf(out, size, "t/k%u", j);
}

static char *
random_value(struct rng *r, int i)
{
	char buf[512];
	int len = snprintf(buf, sizeof(buf), "%c%u", 'A' + rnd(r, 3), rnd(r, 4));
	if (i >= NMAIN)
		return strdup(buf);
	uint32_t ndeps = rnd(r, 4) == 0 ? 0 : rnd(r, 3);
	for (uint32_t d = 0; d < ndeps; d++) {
		char dep[64];
		random_dep(r, dep, sizeof(dep), rnd(r, 8) == 0 ? i : -1);
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " dep:%s", dep);
	}
	if (rnd(r, 10) == 0)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " any:t/leaf");
	uint32_t nder = rnd(r, 3) == 0 ? rnd(r, MAXDER + 1) : 0;
	for (uint32_t d = 0; d < nder; d++) {
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " der:d/k%d.%u=M%u", i, d,
				rnd(r, 3));
		if (rnd(r, 2)) {
			char dep[64];
			random_dep(r, dep, sizeof(dep), -1);
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "+%s", dep);
		}
	}
	if (rnd(r, 4) == 0)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " der:p/k%d=1", i);
	if (rnd(r, 20) == 0)
		snprintf(buf + len, sizeof(buf) - (size_t)len, " bad");
	return strdup(buf);
}

/* ---- the reference model ---- */

struct item {
	char key[64];
	char value[512]; /* device text */
	char deps[8][128];
	int ndeps;
	char any[64];
	int base; /* index of the base item, -1 */
	bool configured;
	bool obtained; /* the device's own (t/sb<i>) */
};

struct expect {
	struct item items[NKEYS * (MAXDER + 2)];
	int n;
};

static int
find_item(struct expect *e, const char *key)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->items[i].key, key) == 0)
			return i;
	return -1;
}

static void
expect_compute(struct model *m, struct expect *e)
{
	e->n = 0;
	for (int i = 0; i < NKEYS; i++) {
		if (!m->want[i] || strstr(m->want[i], " bad"))
			continue;
		struct item *it = &e->items[e->n];
		memset(it, 0, sizeof(*it));
		int bi = e->n++;
		key_name(i, it->key, sizeof(it->key));
		snprintf(it->value, sizeof(it->value), "%s", m->want[i]);
		it->base = -1;
		char *v = strdup(m->want[i]), *save = NULL;
		for (char *tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (strncmp(tok, "dep:", 4) == 0) {
				snprintf(it->deps[it->ndeps++], 128, "%s", tok + 4);
			} else if (strncmp(tok, "any:", 4) == 0) {
				snprintf(it->any, sizeof(it->any), "%s", tok + 4);
			} else if (strncmp(tok, "der:", 4) == 0) {
				struct item *d = &e->items[e->n++];
				memset(d, 0, sizeof(*d));
				d->base = bi;
				char *eq = strchr(tok + 4, '=');
				*eq = 0;
				snprintf(d->key, sizeof(d->key), "%s", tok + 4);
				char *plus = strchr(eq + 1, '+');
				if (plus)
					*plus = 0;
				int len = snprintf(d->value, sizeof(d->value), "%s base:t/k%d",
						   eq + 1, i);
				if (plus) {
					snprintf(d->deps[d->ndeps++], 128, "%s", plus + 1);
					snprintf(d->value + len, sizeof(d->value) - (size_t)len,
						 " dep:%s", plus + 1);
				}
				it = &e->items[bi];
			}
		}
		free(v);
	}
	for (int i = 0; i < 2; i++) {
		if (!m->sb[i])
			continue;
		struct item *it = &e->items[e->n++];
		memset(it, 0, sizeof(*it));
		snprintf(it->key, sizeof(it->key), "t/sb%d", i);
		it->base = -1;
		it->configured = true;
		it->obtained = true;
	}
	/* least fixpoint: a value is configured once everything it needs is */
	for (bool changed = true; changed;) {
		changed = false;
		for (int i = 0; i < e->n; i++) {
			struct item *it = &e->items[i];
			if (it->configured || (it->base >= 0 && !e->items[it->base].configured))
				continue;
			bool ok = true;
			for (int d = 0; d < it->ndeps && ok; d++) {
				int j = find_item(e, it->deps[d]);
				ok = j >= 0 && e->items[j].configured;
			}
			if (ok && it->any[0]) {
				bool found = false;
				for (int j = 0; j < e->n && !found; j++)
					found =
					    j != i && e->items[j].configured &&
					    strncmp(e->items[j].key, it->any, strlen(it->any)) == 0;
				ok = found;
			}
			if (ok) {
				it->configured = true;
				changed = true;
			}
		}
	}
}

static int
print_op(void *ctx, const struct lig_sched_txn_record *r, const struct lig_sched_op_record *op)
{
	(void)ctx;
	fprintf(stderr, "  txn %llu (%s): %s %s %s -> %s%s%s\n", (unsigned long long)r->seq,
		lig_sched_trigger_name(r->trigger), lig_sched_op_name(op->op), op->key,
		lig_sched_state_name(op->prev_state), lig_sched_state_name(op->new_state),
		op->error ? " error: " : "", op->error ? op->error : "");
	return 0;
}

/* On a failure: the key's status and timeline, and the last transactions. */
static void
explain(struct lig_sched *s, struct model *m, const char *key)
{
	struct lig_sched_status *st = lig_sched_status_get(s, key);
	fprintf(stderr, "%s: %s error=%s\n", key, lig_sched_state_name(st->state),
		st->error ? st->error : "-");
	for (size_t i = 0; i < st->n_details; i++)
		fprintf(stderr, "  waits for %s\n", st->details[i]);
	lig_sched_status_free(st);
	lig_sched_key_timeline(s, key, print_op, NULL);
	for (int i = 0; i < NKEYS; i++)
		if (m->want[i])
			fprintf(stderr, "want %d = %s\n", i, m->want[i]);
	uint64_t next = lig_sched_next_seq(s);
	for (uint64_t q = next > 4 ? next - 4 : 1; q < next; q++)
		if (lig_sched_history_get(s, q))
			lig_sched_txn_print(lig_sched_history_get(s, q), stderr);
}

#undef fail_msg
#define fail_msg(...)                                                                              \
	do {                                                                                       \
		explain(s, m, it_key);                                                             \
		print_error(__VA_ARGS__);                                                          \
		_fail(__FILE__, __LINE__);                                                         \
	} while (0)

static void
check(struct lig_sched *s, struct device *dev, struct model *m, const char *when, int step)
{
	struct expect *e = calloc(1, sizeof(*e));
	expect_compute(m, e);
	size_t expected_in_dev = 0;
	char it_key[64] = "";
	for (int i = 0; i < e->n; i++) {
		struct item *it = &e->items[i];
		snprintf(it_key, sizeof(it_key), "%s", it->key);
		const char *got = dev_get(dev, it->key);
		enum lig_sched_state st = lig_sched_state(s, it->key);
		bool in_device = strncmp(it->key, "p/", 2) != 0;
		if (it->obtained) {
			if (!got || st != LIG_SCHED_OBTAINED)
				fail_msg("%s step %d: %s should be OBTAINED in the device (%s)",
					 when, step, it->key, lig_sched_state_name(st));
			expected_in_dev++;
		} else if (it->configured) {
			if (in_device) {
				expected_in_dev++;
				char sg[1024] = "", sw[1024];
				if (got)
					mock_strip_derived(got, strlen(got), sg, sizeof(sg));
				mock_strip_derived(it->value, strlen(it->value), sw, sizeof(sw));
				if (!got || strcmp(sg, sw) != 0)
					fail_msg(
					    "%s step %d: %s should be '%s' in the device, is '%s'",
					    when, step, it->key, it->value, got ? got : "(none)");
			}
			if (st != LIG_SCHED_CONFIGURED)
				fail_msg("%s step %d: %s is %s, should be CONFIGURED", when, step,
					 it->key, lig_sched_state_name(st));
		} else {
			if (got)
				fail_msg("%s step %d: %s should not be in the device ('%s')", when,
					 step, it->key, got);
			bool base_ok = it->base < 0 || e->items[it->base].configured;
			enum lig_sched_state want =
			    base_ok ? LIG_SCHED_PENDING : LIG_SCHED_NONEXISTENT;
			if (st != want)
				fail_msg("%s step %d: %s is %s, should be %s", when, step, it->key,
					 lig_sched_state_name(st), lig_sched_state_name(want));
		}
	}
	for (int i = 0; i < NKEYS; i++) {
		char key[32];
		key_name(i, key, sizeof(key));
		snprintf(it_key, sizeof(it_key), "%s", key);
		if (m->want[i] && strstr(m->want[i], " bad")) {
			if (lig_sched_state(s, key) != LIG_SCHED_INVALID)
				fail_msg("%s step %d: %s should be INVALID", when, step, key);
			if (dev_get(dev, key))
				fail_msg("%s step %d: invalid %s is in the device", when, step,
					 key);
		} else if (!m->want[i] && find_item(e, key) < 0) {
			if (dev_get(dev, key))
				fail_msg("%s step %d: deleted %s is in the device", when, step,
					 key);
		}
	}
	/* what the agent did not create is never touched */
	if (!dev_get(dev, "t/sys0") || strcmp(dev_get(dev, "t/sys0"), "S0") != 0 ||
	    !dev_get(dev, "t/sys1") || strcmp(dev_get(dev, "t/sys1"), "S1 dep:t/sys0") != 0)
		fail_msg("%s step %d: an OBTAINED value was touched", when, step);
	expected_in_dev += 2;
	if (dev->n != expected_in_dev)
		fail_msg("%s step %d: device has %zu entries, expected %zu", when, step, dev->n,
			 expected_in_dev);
	free(e);
}

#undef fail_msg
#define fail_msg(...)                                                                              \
	do {                                                                                       \
		print_error(__VA_ARGS__);                                                          \
		_fail(__FILE__, __LINE__);                                                         \
	} while (0)

static void
quiesce(struct lig_sched *s, struct fake_env *env)
{
	fake_run_retries(s, env, 200);
	assert_int_equal(env->timer_delay, -1);
}

static struct lig_sched *
new_sched(struct lig_sched_config *cfg, struct device *dev)
{
	struct lig_sched *s = lig_sched_new(cfg);
	assert_non_null(s);
	mock_register(s, dev);
	return s;
}

static void
run(uint64_t seed, int steps, bool failures, bool queued)
{
	struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
	struct device dev;
	dev_init(&dev, 127);
	dev.queue_creates = queued;
	struct fake_env env;
	struct lig_sched_config cfg;
	fake_config(&cfg, &env);
	cfg.retry_max_attempts = 30;
	cfg.retry_max_delay_ns = 8000000000ull;
	cfg.history_max_txns = 64;
	dev_put(&dev, "t/sys0", "S0", true);
	dev_put(&dev, "t/sys1", "S1 dep:t/sys0", true);
	struct lig_sched *s = new_sched(&cfg, &dev);
	struct model m = {0};
	size_t refused = 0;
	for (int step = 0; step < steps; step++) {
		uint32_t what = rnd(&r, 40);
		if (what == 0) {
			/* drift behind the agent's back, then a downstream resync */
			char key[32];
			key_name((int)rnd(&r, NKEYS), key, sizeof(key));
			if (dev_find(&dev, key) && dev_find(&dev, key)->refs == 0)
				dev_del(&dev, key);
			else if (dev_find(&dev, key))
				dev_put(&dev, key, "Zdrift", false);
			assert_int_equal(lig_sched_downstream_resync(s, NULL), 0);
		} else if (what == 5 || what == 6) {
			/* the device makes or removes a value of its own; the agent is told */
			int i = (int)(what - 5);
			char key[16];
			snprintf(key, sizeof(key), "t/sb%d", i);
			m.sb[i] = !m.sb[i];
			if (m.sb[i])
				dev_put(&dev, key, "SB", true);
			else
				dev_del(&dev, key);
			assert_int_equal(lig_sched_notify(s, key, m.sb[i] ? "SB" : NULL,
							  m.sb[i] ? 2 : 0, NULL, NULL),
					 0);
		} else if (what == 4) {
			/* the device restarts: it loses everything the agent made (what others
			 * need goes last) */
			for (bool left = true; left;) {
				left = false;
				for (size_t b = 0; b < dev.n_buckets; b++) {
					struct dev_entry *e = dev.buckets[b], *next;
					for (; e; e = next) {
						next = e->next;
						if (e->obtained)
							continue;
						if (e->refs == 0)
							dev_del(&dev, e->key);
						else
							left = true;
					}
				}
			}
			assert_int_equal(lig_sched_downstream_resync(s, NULL), 0);
		} else if (what == 2 || what == 3) {
			/* the agent restarts while the desired state changed (what == 2), or a
			 * replace from northbound (what == 3: upstream resync): a full desired set
			 * with a few changes */
			if (what == 2) {
				lig_sched_free(s);
				s = new_sched(&cfg, &dev);
			}
			for (uint32_t k = rnd(&r, 4); k > 0; k--) {
				int i = (int)rnd(&r, NKEYS);
				free(m.want[i]);
				m.want[i] = rnd(&r, 3) == 0 ? NULL : random_value(&r, i);
			}
			struct lig_sched_txn *t = lig_sched_txn_new(s);
			for (int i = 0; i < NKEYS; i++) {
				char key[32];
				key_name(i, key, sizeof(key));
				if (m.want[i])
					lig_sched_txn_set(t, key, m.want[i], strlen(m.want[i]));
			}
			assert_int_equal(lig_sched_txn_resync(t, what == 2, NULL), 0);
		} else if (what == 1) {
			/* the agent restarts: full resync of the desired state */
			lig_sched_free(s);
			s = new_sched(&cfg, &dev);
			size_t calls = dev.calls;
			struct lig_sched_txn *t = lig_sched_txn_new(s);
			for (int i = 0; i < NKEYS; i++) {
				char key[32];
				key_name(i, key, sizeof(key));
				if (m.want[i])
					lig_sched_txn_set(t, key, m.want[i], strlen(m.want[i]));
			}
			uint64_t seq;
			assert_int_equal(lig_sched_txn_resync(t, true, &seq), 0);
			/* everything was right: nothing to do */
			if (dev.calls != calls) {
				lig_sched_txn_print(lig_sched_history_get(s, seq), stderr);
				fail_msg("seed %llu step %d: restart made %zu device calls",
					 (unsigned long long)seed, step, dev.calls - calls);
			}
		} else {
			struct lig_sched_txn *t = lig_sched_txn_new(s);
			uint32_t n = 1 + rnd(&r, 5);
			for (uint32_t k = 0; k < n; k++) {
				int i = (int)rnd(&r, NKEYS);
				char key[32];
				key_name(i, key, sizeof(key));
				free(m.want[i]);
				m.want[i] = NULL;
				if (rnd(&r, 4) == 0) {
					lig_sched_txn_delete(t, key);
				} else {
					m.want[i] = random_value(&r, i);
					lig_sched_txn_set(t, key, m.want[i], strlen(m.want[i]));
				}
				if (failures && rnd(&r, 6) == 0)
					dev_fail(&dev, key, 0, 1 + (int)rnd(&r, 2), -EAGAIN);
				if (failures && rnd(&r, 8) == 0) {
					char dkey[32];
					snprintf(dkey, sizeof(dkey), "d/k%d.0", i);
					dev_fail(&dev, dkey, 0, 1, -EAGAIN);
				}
			}
			assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
		}
		if (dev.n_fails > 8) {
			/* keep the slots of spent failures free */
			size_t w = 0;
			for (size_t i = 0; i < dev.n_fails; i++)
				if (dev.fails[i].count)
					dev.fails[w++] = dev.fails[i];
			dev.n_fails = w;
		}
		if (!failures && dev.violations) {
			explain(s, &m, "");
			fail_msg("seed %llu step %d: device refused: %s", (unsigned long long)seed,
				 step, dev.last_violation);
		}
		refused += dev.violations;
		dev.violations = 0;
		quiesce(s, &env);
		char when[64];
		snprintf(when, sizeof(when), "seed %llu%s%s", (unsigned long long)seed,
			 failures ? " (failures)" : "", queued ? " (queued creates)" : "");
		check(s, &dev, &m, when, step);
	}
	(void)refused;
	if (queued) /* the batching path was taken: some flush completed several creates */
		assert_true(dev.max_queued > 1);
	lig_sched_free(s);
	for (int i = 0; i < NKEYS; i++)
		free(m.want[i]);
	dev_free(&dev);
}

/* SCHED_PROPERTY_SEEDS=N runs N seeds per test (a longer soak); default 12. */
static uint64_t
seeds(void)
{
	const char *env = getenv("SCHED_PROPERTY_SEEDS");
	long n = env ? strtol(env, NULL, 10) : 0;
	return n > 0 ? (uint64_t)n : 12;
}

static void
test_random_no_failures(void **state)
{
	(void)state;
	const char *first = getenv("SCHED_PROPERTY_FIRST");
	uint64_t f = first ? strtoull(first, NULL, 10) : 1;
	for (uint64_t seed = f; seed < f + seeds(); seed++)
		run(seed, 250, false, false);
}

static void
test_random_with_failures(void **state)
{
	(void)state;
	const char *first = getenv("SCHED_PROPERTY_FIRST");
	uint64_t f = 100000 + (first ? strtoull(first, NULL, 10) : 0);
	for (uint64_t seed = f; seed < f + seeds(); seed++)
		run(seed, 250, true, false);
}

/* The same with creates queued and completed by flushes (batching): the same outcome. */
static void
test_random_queued(void **state)
{
	(void)state;
	const char *first = getenv("SCHED_PROPERTY_FIRST");
	uint64_t f = 200000 + (first ? strtoull(first, NULL, 10) : 0);
	for (uint64_t seed = f; seed < f + seeds(); seed++)
		run(seed, 250, false, true);
}

static void
test_random_queued_with_failures(void **state)
{
	(void)state;
	const char *first = getenv("SCHED_PROPERTY_FIRST");
	uint64_t f = 300000 + (first ? strtoull(first, NULL, 10) : 0);
	for (uint64_t seed = f; seed < f + seeds(); seed++)
		run(seed, 250, true, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_no_failures),
	    cmocka_unit_test(test_random_with_failures),
	    cmocka_unit_test(test_random_queued),
	    cmocka_unit_test(test_random_queued_with_failures),
	};
	return cmocka_run_group_tests_name("agent_scheduler_property", tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Test fixtures of the scheduler: an in-memory "device" that checks what a real one would (a
 * value's dependencies exist before it is created; nothing still needs a value when it is
 * deleted), with injectable failures, and mock descriptors over it. Test values are text:
 *   "<payload> dep:<key> any:<prefix> der:<key>=<payload>[+<dep>...] bad"
 * dep: a key dependency; any: any key under prefix; der: a derived value (its own value is
 * "<payload> base:<base key> dep:<dep>..."); bad: validate refuses it. Keys: t/ (descriptor
 * "test", retrieve), d/ (descriptor "derived"), n/ (descriptor "noretrieve"), p/ (no descriptor:
 * properties). A change of the payload's first character needs a re-create. */
#ifndef SCHED_TEST_MOCK_H
#define SCHED_TEST_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ligagent/scheduler.h"

struct dev_entry {
	char *key;
	char *value;
	bool obtained; /* not created by the agent */
	int refs;      /* device entries that depend on this one */
	struct dev_entry *next;
};

struct dev_fail {
	char key[128];
	int op; /* LIG_SCHED_OP_CREATE/UPDATE/DELETE, 0 = any */
	int count;
	int error;
};

struct device {
	struct dev_entry **buckets;
	size_t n_buckets, n;
	/* counters of successful operations */
	size_t creates, updates, deletes, calls, failures;
	size_t violations; /* order errors a real device would refuse */
	char last_violation[256];
	struct dev_fail fails[16];
	size_t n_fails;
	int fail_all; /* every operation fails with it (0: none) */
	bool log_on;  /* keep the operation log */
	char **log;   /* "create t/a", ... */
	size_t n_log, cap_log;
	bool unknown_origin;  /* retrieve reports UNKNOWN instead of NB for agent values */
	bool retrieve_fails;  /* retrieve returns -EIO */
	int metadata_counter; /* metadata handed out by create */
	uint64_t *clock;      /* advanced by op_cost_ns per operation (NULL: not) */
	uint64_t op_cost_ns;
	/* Batching: the t/ and d/ descriptors queue their creates (LIG_SCHED_QUEUED) and apply
	 * them, in order and with the same checks, when the scheduler flushes (set before
	 * mock_register). */
	bool queue_creates;
	struct dev_queued {
		char *key;
		char *value;
		size_t size;
	} * queue;
	size_t n_queue, cap_queue;
	size_t flushes;	   /* flush calls with something queued */
	size_t max_queued; /* largest batch flushed */
};

void dev_init(struct device *d, size_t buckets);
void dev_free(struct device *d);
struct dev_entry *dev_find(struct device *d, const char *key);
/* Puts an entry directly (behind the scheduler's back): obtained or agent-made. */
void dev_put(struct device *d, const char *key, const char *value, bool obtained);
void dev_del(struct device *d, const char *key);
const char *dev_get(struct device *d, const char *key);
void dev_fail(struct device *d, const char *key, int op, int count, int error);
void dev_log_clear(struct device *d);
/* Index of "op key" in the log, or -1. */
int dev_log_index(struct device *d, const char *op, const char *key);

/* Registers the mock descriptors (t/, d/, n/) on s (t/ and d/ with a flush when the device
 * queues creates). */
void mock_register(struct lig_sched *s, struct device *d);

/* Fake clocks and timer: a config wired to them. */
struct fake_env {
	uint64_t now;
	int64_t timer_delay; /* armed delay, -1 when not armed */
	int timer_calls;
};
void fake_config(struct lig_sched_config *cfg, struct fake_env *env);
/* Advances the clock to the armed timer and runs retries until nothing is scheduled or the
 * rounds run out; returns the rounds run. */
int fake_run_retries(struct lig_sched *s, struct fake_env *env, int max_rounds);

/* Helpers. */
int put(struct lig_sched *s, const char *key, const char *value, uint64_t *seq);
int del(struct lig_sched *s, const char *key, uint64_t *seq);
const struct lig_sched_txn_record *last_record(struct lig_sched *s);
/* Number of non-NOOP operations of a record. */
size_t real_ops(const struct lig_sched_txn_record *r);
/* The op on key in a record, or NULL. */
const struct lig_sched_op_record *find_op(const struct lig_sched_txn_record *r, const char *key);
/* The value without its der:d/ tokens (what the t/ descriptor compares). */
void mock_strip_derived(const char *value, size_t size, char *out, size_t out_size);
/* Parses a test value: payload into buf; returns the number of key deps put in deps (max n). */
int mock_parse_deps(const char *value, size_t size, char deps[][128], int max);

#endif

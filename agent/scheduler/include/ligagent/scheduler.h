/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent's scheduler: keeps a set of inter-dependent key/value pairs (the desired state from
 * northbound) in sync with a device (ligd, Linux) through per-model descriptors, in dependency
 * order, with pending values, derived values, retries with backoff, resync against the state
 * read back from the device, a transaction history and status queries. Modelled on vpp-agent's
 * kvscheduler (same value states and their names). No threads or timers of its own: the host
 * supplies clocks and a one-shot timer hook, and calls every function from one thread (the agent's
 * event loop); nothing here locks. See docs/agent-scheduler.md. */
#ifndef LIGAGENT_SCHEDULER_H
#define LIGAGENT_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lig_sched;
struct lig_sched_txn;
struct lig_sched_err;
struct lig_sched_deps;
struct lig_sched_derived;
struct lig_sched_retrieved;
struct lig_sched_txn_record;
struct lig_sched_flush;

/* Value states, numbered and named as vpp-agent's ValueState (kvscheduler/value_status.proto). */
enum lig_sched_state {
	LIG_SCHED_NONEXISTENT = 0, /* deleted or never existed */
	LIG_SCHED_MISSING,	   /* configured, but the last refresh did not find it */
	LIG_SCHED_UNIMPLEMENTED,   /* northbound value no descriptor describes */
	LIG_SCHED_REMOVED,	   /* removed (only seen in history records) */
	LIG_SCHED_CONFIGURED,	   /* created/updated and the descriptor confirmed it */
	LIG_SCHED_OBTAINED,	   /* found in the device, not created by the agent: left alone */
	LIG_SCHED_DISCOVERED,	   /* found by refresh, agent-managed, not (yet) claimed */
	LIG_SCHED_PENDING,	   /* waits for dependencies (details name them) */
	LIG_SCHED_INVALID,	   /* validate refused it (error says why); never applied */
	LIG_SCHED_FAILED,	   /* the last operation failed; no retry planned */
	LIG_SCHED_RETRYING,	   /* the last operation failed; a retry is scheduled */
	LIG_SCHED_N_STATES
};

/* Operations as recorded in history. */
enum lig_sched_op {
	LIG_SCHED_OP_NONE = 0,
	LIG_SCHED_OP_CREATE,
	LIG_SCHED_OP_UPDATE,
	LIG_SCHED_OP_DELETE,
	LIG_SCHED_OP_RECREATE, /* delete then create: the descriptor said it cannot change in place
				*/
	LIG_SCHED_N_OPS
};

/* What started a transaction. */
enum lig_sched_trigger {
	LIG_SCHED_TRIGGER_NB = 0, /* a northbound transaction */
	LIG_SCHED_TRIGGER_RETRY,  /* a retry of failed operations */
	LIG_SCHED_TRIGGER_RESYNC, /* full resync: refresh from the device + desired state */
	LIG_SCHED_TRIGGER_UPSTREAM_RESYNC,   /* desired state replaced, no refresh */
	LIG_SCHED_TRIGGER_DOWNSTREAM_RESYNC, /* refresh, then re-apply the current desired state */
	LIG_SCHED_TRIGGER_NOTIFICATION,	     /* the device changed a value by itself */
	LIG_SCHED_N_TRIGGERS
};

/* Who created a value found in the device (retrieve). */
enum lig_sched_origin {
	LIG_SCHED_ORIGIN_UNKNOWN = 0, /* the scheduler decides: desired state, then history */
	LIG_SCHED_ORIGIN_NB,	      /* created by the agent */
	LIG_SCHED_ORIGIN_SB,	      /* not created by the agent (OBTAINED): never touched */
};

/* "CONFIGURED", "PENDING", ...; "CREATE", ...; "northbound", "retry", "resync", ... */
const char *lig_sched_state_name(enum lig_sched_state state);
const char *lig_sched_op_name(enum lig_sched_op op);
const char *lig_sched_trigger_name(enum lig_sched_trigger trigger);

/* ---- Descriptors ----
 * A descriptor teaches the scheduler one model: which keys it describes and how to apply their
 * values. Values are opaque bytes to the scheduler; by default it copies them (memcpy) and
 * compares them bytewise. Every callback receives the descriptor's ctx first. Callbacks must
 * not commit transactions or resync (-EBUSY); they may call the read-only queries
 * (lig_sched_metadata, lig_sched_state). Operations return 0 or -errno; a message set through
 * lig_sched_err_set() becomes the value's error text (otherwise strerror of the code).
 * Every member but name and key_prefix may be NULL. */
struct lig_sched_descriptor {
	const char *name;	/* unique; shown in the graph and the history */
	const char *key_prefix; /* keys starting with it (the longest matching prefix wins) */
	/* Optional refinement of key_prefix: true if the key belongs to this descriptor. */
	bool (*key_selector)(void *ctx, const char *key);
	void *ctx;

	/* Checks a value before it is applied. Non-zero: the value is INVALID with the message
	 * (and fields added with lig_sched_err_field as details); it is never applied and blocks
	 * nothing but its own dependents. */
	int (*validate)(void *ctx, const char *key, const void *value, size_t size,
			struct lig_sched_err *err);
	/* Creates the value in the device; 0 only once the device confirmed it ("done means
	 * done"). *metadata (NULL on entry) may be set to anything the descriptor wants back in
	 * update/delete and through lig_sched_metadata() (e.g. an sw_if_index). NULL create: the
	 * value is a property that exists as soon as its dependencies do. */
	int (*create)(void *ctx, const char *key, const void *value, size_t size, void **metadata,
		      struct lig_sched_err *err);
	/* Changes old into new in place; may replace *metadata. NULL: every change re-creates. */
	int (*update)(void *ctx, const char *key, const void *old_value, size_t old_size,
		      const void *new_value, size_t new_size, void **metadata,
		      struct lig_sched_err *err);
	/* True when going from old to new needs delete + create (an attribute that cannot change
	 * in place). NULL: update when update exists, else re-create. */
	bool (*update_needs_recreate)(void *ctx, const char *key, const void *old_value,
				      size_t old_size, const void *new_value, size_t new_size,
				      void *metadata);
	/* Removes the value from the device. */
	int (*delete)(void *ctx, const char *key, const void *value, size_t size, void *metadata,
		      struct lig_sched_err *err);
	/* True when a and b mean the same configuration (no update needed). NULL: same size and
	 * bytes. Required when dup is set. */
	bool (*equivalent)(void *ctx, const char *key, const void *a, size_t a_size, const void *b,
			   size_t b_size);
	/* Lists the keys the value needs before it can be created, with lig_sched_dep_key() /
	 * lig_sched_dep_any(). Must depend only on key and value. */
	void (*dependencies)(void *ctx, const char *key, const void *value, size_t size,
			     struct lig_sched_deps *deps);
	/* Lists values derived from this one (lig_sched_derive()): each is scheduled on its own,
	 * with its own descriptor (by its key; none = a property) and dependencies; it exists
	 * only while this value does. Only called for non-derived values. */
	void (*derived_values)(void *ctx, const char *key, const void *value, size_t size,
			       struct lig_sched_derived *out);
	/* Reads the actual state back: every non-derived value of this descriptor that exists in
	 * the device, added with lig_sched_retrieved_add(). correlate lists what the scheduler
	 * believes exists (the desired values at the first resync), so the descriptor can match
	 * device objects to keys. NULL: this descriptor cannot be refreshed; resync trusts the
	 * scheduler's view for its keys. A non-zero return also means "trust the view". */
	int (*retrieve)(void *ctx, const struct lig_sched_retrieved *correlate,
			struct lig_sched_retrieved *out);
	/* Names of descriptors whose values must be retrieved first (NULL-terminated). */
	const char *const *retrieve_after;
	/* False when the error of an operation will not go away by repeating it (no retry).
	 * NULL: every error is retriable. */
	bool (*is_retriable)(void *ctx, const char *key, int error);
	/* Renders a value for history, status and the graph, snprintf-like (returns the length
	 * it wanted). NULL: printable bytes as text, otherwise hex. */
	int (*format)(void *ctx, const char *key, const void *value, size_t size, char *buf,
		      size_t buf_size);
	/* Deep copy/free of values with pointers inside (both or neither). NULL: bytes copied. */
	void *(*dup)(void *ctx, const void *value, size_t size);
	void (*free_value)(void *ctx, void *value);
	/* Frees metadata when its value is gone. NULL: metadata is not freed. */
	void (*free_metadata)(void *ctx, void *metadata);
	/* Batching (bulk loads: many creates, one device round trip per batch instead of one per
	 * value). With flush set, create may queue its operation and return LIG_SCHED_QUEUED
	 * instead of 0: nothing is confirmed yet, so the value is not CONFIGURED and nothing
	 * that needs it is created. The scheduler calls flush before anything could depend on
	 * the outcome: before another descriptor's create, before any update or delete (of any
	 * descriptor), before a removal, before a queued value's desired value changes, and
	 * before the transaction ends. flush completes every create queued since the last
	 * flush and reports each outcome with lig_sched_flush_result(), by its position in the
	 * queue (0 = the first queued); then each queued value is finished as if its create had
	 * returned that outcome then (CONFIGURED with its derived values, or FAILED/RETRYING).
	 * Returns 0 or -errno; an outcome it did not report is that error (or -EIO). A create
	 * that returns LIG_SCHED_QUEUED must have queued exactly one operation; *metadata set at
	 * queue time is kept (freed with free_metadata when the create fails). Only create
	 * queues; update and delete are done at once. NULL: create never queues. */
	int (*flush)(void *ctx, struct lig_sched_flush *f);
	/* Called once at the end of every transaction (every trigger), after its last flush and
	 * before its record is published: what the descriptor kept for the transaction (values
	 * decoded in validate for dependencies and create) can go. Like every callback, it may
	 * not start a transaction. NULL: nothing to do. */
	void (*txn_end)(void *ctx);
};

/* A create's return value: the operation is queued, flush will complete it. */
#define LIG_SCHED_QUEUED 1

/* In flush: the outcome of queued create i (0 or -errno, with a printf-like message; fmt may
 * be NULL for strerror's text). Reporting an index twice keeps the last; out of range is
 * ignored. */
void lig_sched_flush_result(struct lig_sched_flush *f, size_t i, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* In flush: how many creates are queued. */
size_t lig_sched_flush_count(const struct lig_sched_flush *f);

/* Sets the error message of the current callback (printf-like). */
void lig_sched_err_set(struct lig_sched_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Validate only: names a field that is invalid (kept as the value's details). */
void lig_sched_err_field(struct lig_sched_err *err, const char *field);

/* Dependencies: label is a short name unique among the value's dependencies (shown as the
 * pending reason); NULL label = the key. The strings are copied. */
void lig_sched_dep_key(struct lig_sched_deps *deps, const char *label, const char *key);
/* Satisfied by any existing value whose key starts with prefix and, when selector is not NULL,
 * for which selector(selector_ctx, key) is true. Costs a scan of the keys under prefix when the
 * value is scheduled, then O(1) per change of a key under prefix. */
void lig_sched_dep_any(struct lig_sched_deps *deps, const char *label, const char *prefix,
		       bool (*selector)(void *ctx, const char *key), void *selector_ctx);

/* Derived values: copied (with the derived key's descriptor's dup, if any). */
void lig_sched_derive(struct lig_sched_derived *out, const char *key, const void *value,
		      size_t size);

/* Retrieve: adds one value found in the device. metadata is handed over to the scheduler (freed
 * with free_metadata when no longer needed). */
void lig_sched_retrieved_add(struct lig_sched_retrieved *out, const char *key, const void *value,
			     size_t size, enum lig_sched_origin origin, void *metadata);
/* Reading a correlate list: count, then key/value/metadata of entry i. */
size_t lig_sched_retrieved_count(const struct lig_sched_retrieved *list);
const char *lig_sched_retrieved_key(const struct lig_sched_retrieved *list, size_t i,
				    const void **value, size_t *size, void **metadata);

/* ---- The scheduler ---- */
struct lig_sched_config {
	/* Clocks in nanoseconds (defaults: CLOCK_MONOTONIC for retries and durations,
	 * CLOCK_REALTIME for history timestamps). Tests pass fake clocks. */
	uint64_t (*mono_ns)(void *ctx);
	uint64_t (*wall_ns)(void *ctx);
	void *clock_ctx;
	/* One-shot timer: the host calls lig_sched_run_retries() once delay_ns has passed.
	 * Each call replaces the previous one; delay_ns < 0 cancels. NULL: no retries. */
	void (*retry_timer)(void *ctx, int64_t delay_ns);
	void *retry_timer_ctx;
	uint64_t retry_period_ns;    /* first retry after this (0: 1 s) */
	uint64_t retry_max_delay_ns; /* backoff cap (0: 60 s) */
	unsigned retry_max_attempts; /* retries after the first failure (0: 3) */
	bool retry_no_backoff;	     /* true: every retry after retry_period_ns */
	/* History ring bounds: transactions kept (0: 1024) and bytes of recorded text (0: 64 MiB);
	 * the oldest records go first. value_text_max caps one rendered value (0: 1024). */
	size_t history_max_txns;
	size_t history_max_bytes;
	size_t value_text_max;
	/* Called after every transaction is recorded (logging, metrics, status publishing). The
	 * record is valid during the call; the callback may query but not start transactions
	 * (-EBUSY). May be NULL. */
	void (*on_txn)(void *ctx, const struct lig_sched_txn_record *record);
	void *on_txn_ctx;
};

/* cfg may be NULL (all defaults). Returns NULL with errno on failure. */
struct lig_sched *lig_sched_new(const struct lig_sched_config *cfg);
/* Frees everything (the device is not touched; metadata freed). Accepts NULL. */
void lig_sched_free(struct lig_sched *s);

/* Registers a descriptor before the first transaction. The struct is copied; the strings and
 * ctx it points to must outlive the scheduler. -EINVAL (no name/prefix, dup without free_value
 * or equivalent), -EEXIST (same name), -EBUSY (after the first transaction). */
int lig_sched_register(struct lig_sched *s, const struct lig_sched_descriptor *d);
/* Registers n descriptors in order; stops at the first error and returns it. */
int lig_sched_register_all(struct lig_sched *s, const struct lig_sched_descriptor *d, size_t n);

/* ---- Northbound transactions ---- */
struct lig_sched_txn *lig_sched_txn_new(struct lig_sched *s);
/* Sets key to value (copied). The last set/delete of a key in a transaction wins.
 * Returns 0, -EINVAL (empty key) or -ENOMEM. */
int lig_sched_txn_set(struct lig_sched_txn *txn, const char *key, const void *value, size_t size);
int lig_sched_txn_delete(struct lig_sched_txn *txn, const char *key);
/* A free-text description kept in the record (copied). */
int lig_sched_txn_describe(struct lig_sched_txn *txn, const char *description);
/* Applies the transaction and frees it (in every case). Values whose dependencies are missing
 * are PENDING and get applied by the transaction that brings them; per-key failures are in the
 * status and the record (errors counts them), not in the return value. *seq (may be NULL) gets
 * the record's sequence number. Returns 0, -ENOMEM, or -EBUSY from inside a callback. */
int lig_sched_txn_commit(struct lig_sched_txn *txn, uint64_t *seq);
/* Resync with this transaction's sets as the complete desired state (its deletes are ignored):
 * full = refresh from the device (retrieve) first, then apply only the difference (values the
 * agent did not create are left alone); otherwise an upstream resync (replace the desired
 * state against the scheduler's view, no retrieve). Frees the transaction. */
int lig_sched_txn_resync(struct lig_sched_txn *txn, bool full, uint64_t *seq);
/* Drops the transaction unapplied. Accepts NULL. */
void lig_sched_txn_free(struct lig_sched_txn *txn);

/* Downstream resync: refresh from the device, then re-apply the current desired state (what is
 * missing is created, what differs is updated, what the agent created but is no longer wanted is
 * deleted). */
int lig_sched_downstream_resync(struct lig_sched *s, uint64_t *seq);

/* A change the device made by itself (vpp-agent's PushSBNotification): the value under key
 * appeared or changed (value != NULL; metadata handed over) or disappeared (value NULL). Values
 * the agent manages are left as they are (the desired state rules them; a resync repairs drift);
 * any other value becomes OBTAINED (with its derived values) or goes away, and what waits for it
 * is applied, or removed first, at once, in a transaction of its own (trigger "notification").
 * Returns 0, -EINVAL, -ENOMEM or -EBUSY from a callback. */
int lig_sched_notify(struct lig_sched *s, const char *key, const void *value, size_t size,
		     void *metadata, uint64_t *seq);

/* Runs the retries that are due (one transaction per failed transaction and attempt) and
 * re-arms the timer. Call it when the retry timer fires. Returns how many ran or -EBUSY. */
int lig_sched_run_retries(struct lig_sched *s);

/* ---- Status ---- */
struct lig_sched_status {
	const char *key;
	enum lig_sched_state state;
	enum lig_sched_op last_op; /* last operation tried on the value */
	const char *error;	   /* last error, NULL when none */
	/* PENDING: "label (key)" of each unmet dependency, or the cycle; INVALID: the fields */
	size_t n_details;
	const char *const *details;
	bool derived;
	const char *base_key;	  /* derived: the value it was derived from */
	const char *descriptor;	  /* NULL: none (property or unimplemented) */
	unsigned retry_attempt;	  /* RETRYING: attempt number of the scheduled retry */
	uint64_t retry_in_ns;	  /* RETRYING: time left until it */
	uint64_t last_update_seq; /* transaction that last changed the value */
};

/* Status of one key (NONEXISTENT for unknown keys). Free with lig_sched_status_free(). NULL
 * with errno ENOMEM. */
struct lig_sched_status *lig_sched_status_get(struct lig_sched *s, const char *key);
void lig_sched_status_free(struct lig_sched_status *st);
/* State alone (cheap). */
enum lig_sched_state lig_sched_state(struct lig_sched *s, const char *key);
/* Metadata the descriptor attached to an existing (created or retrieved) value, else NULL. */
void *lig_sched_metadata(struct lig_sched *s, const char *key);

/* One value as the iteration sees it: desired (from northbound or derived), applied (what the
 * scheduler believes the device has, NULL when nothing). Valid during the callback. */
struct lig_sched_value_view {
	const char *key;
	enum lig_sched_state state;
	bool derived;
	const char *base_key; /* derived: its base */
	const char *descriptor;
	const void *desired;
	size_t desired_size;
	bool has_desired;
	const void *applied;
	size_t applied_size;
	bool has_applied;
	const char *error;
};
/* Calls fn for every value (in no particular order) until it returns non-zero (returned). */
int lig_sched_foreach(struct lig_sched *s,
		      int (*fn)(void *ctx, const struct lig_sched_value_view *v), void *ctx);
/* The device's view (vpp-agent's SB view, /scheduler/dump?view=SB): calls the retrieve of the
 * descriptor named (every descriptor with one when NULL) and hands each value read back to fn,
 * without changing the scheduler. Returns 0, fn's non-zero value, -ENOENT (no such descriptor),
 * -EOPNOTSUPP (it has no retrieve), the retrieve's error, or -EBUSY from a callback. */
int lig_sched_retrieve_view(struct lig_sched *s, const char *descriptor,
			    int (*fn)(void *ctx, const char *key, const void *value, size_t size,
				      enum lig_sched_origin origin),
			    void *ctx);
/* Renders a value as the history does (descriptor format or the default) into buf. */
int lig_sched_format_value(struct lig_sched *s, const char *key, const void *value, size_t size,
			   char *buf, size_t buf_size);
/* Counts of values per state (counts[LIG_SCHED_N_STATES]). */
void lig_sched_count_states(struct lig_sched *s, size_t *counts);

/* The graph in Graphviz dot: one node per value coloured by state (vpp-agent's colours),
 * clustered by descriptor, dependency edges (red when unmet, missing keys drawn black) and
 * derivation edges. Returns 0 or -errno of the stream. */
int lig_sched_dot(struct lig_sched *s, FILE *out);

/* ---- History ---- */
#define LIG_SCHED_OPF_NOOP 0x1u	       /* state change only, no descriptor call */
#define LIG_SCHED_OPF_DERIVED 0x2u     /* a derived value */
#define LIG_SCHED_OPF_PROPERTY 0x4u    /* a derived value without descriptor */
#define LIG_SCHED_OPF_RETRY 0x8u       /* done by a retry */
#define LIG_SCHED_OPF_DEPENDENCY 0x10u /* caused by a dependency appearing/disappearing */

struct lig_sched_op_record {
	const char *key;
	enum lig_sched_op op;
	unsigned flags;
	enum lig_sched_state prev_state, new_state;
	const char *prev_value; /* rendered; NULL when none */
	const char *new_value;
	const char *error; /* NULL on success */
	uint64_t duration_ns;
};

struct lig_sched_txn_record {
	uint64_t seq; /* from 1 */
	enum lig_sched_trigger trigger;
	uint64_t start_ns, end_ns; /* wall clock */
	uint64_t retry_for_seq;	   /* retries: the transaction whose failure this retries */
	unsigned retry_attempt;	   /* retries: 1, 2, ... */
	const char *description;   /* NULL when none */
	size_t n_values;	   /* values the transaction carried */
	size_t errors;		   /* operations that failed or values found invalid */
	size_t n_ops;
	const struct lig_sched_op_record *ops; /* in execution order */
};

/* A record by sequence number, or NULL when unknown or already dropped from the ring. Valid
 * until the next transaction. */
const struct lig_sched_txn_record *lig_sched_history_get(struct lig_sched *s, uint64_t seq);
/* Calls fn for every kept record started within [since_ns, until_ns] (0 = open), oldest first,
 * until it returns non-zero. */
int lig_sched_history_foreach(struct lig_sched *s, uint64_t since_ns, uint64_t until_ns,
			      int (*fn)(void *ctx, const struct lig_sched_txn_record *r),
			      void *ctx);
/* The key's timeline: every recorded operation on key, oldest first, with its transaction. */
int lig_sched_key_timeline(struct lig_sched *s, const char *key,
			   int (*fn)(void *ctx, const struct lig_sched_txn_record *r,
				     const struct lig_sched_op_record *op),
			   void *ctx);
/* Sequence number the next transaction gets. */
uint64_t lig_sched_next_seq(const struct lig_sched *s);
/* Writes a record as text (one line per operation), as the agent logs it. */
int lig_sched_txn_print(const struct lig_sched_txn_record *r, FILE *out);

#endif

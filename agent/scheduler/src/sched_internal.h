/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the scheduler shared by its files: the value graph (nodes by key, dependency edges
 * kept on their target so that a key's dependents are found without a scan), the transaction
 * being executed and the history ring. */
#ifndef LIG_SCHED_INTERNAL_H
#define LIG_SCHED_INTERNAL_H

#include <stdalign.h>
#include <stddef.h>

#include "ligagent/scheduler.h"

struct sdesc {
	struct lig_sched_descriptor d;
	size_t prefix_len;
	unsigned idx;
	uint64_t refreshed_seq; /* resync that retrieved this descriptor's values */
};

/* A value: reference counted so that desired and applied can share one copy. */
struct sval {
	uint32_t ref;
	bool dup; /* data came from the descriptor's dup (freed with free_value) */
	size_t size;
	const struct sdesc *desc;
	void *data;
	alignas(max_align_t) unsigned char bytes[];
};

struct node;

/* One dependency of a node: on a key (edge linked into the target's dependents list), or on any
 * key under a prefix (linked into that prefix's group, with a count of the keys satisfying it). */
struct dep {
	char *label;
	char *key; /* NULL: any-of */
	char *prefix;
	bool (*sel)(void *ctx, const char *key);
	void *sel_ctx;
	struct node *owner;
	struct node *target; /* key dependency: node of key (a placeholder when absent) */
	struct anyof_group *group;
	struct dep *prev, *next;
	uint32_t count; /* any-of: available keys satisfying it */
	bool stale;	/* dependency of the applied value, not of the desired one */
};

struct anyof_group {
	char *prefix;
	size_t len;
	struct dep *head;
	size_t n;
	struct anyof_group *next;
};

enum remove_reason {
	RR_DELETE,    /* northbound deleted it */
	RR_DEP_LOST,  /* a dependency is going away: back to PENDING */
	RR_BASE_GONE, /* derived value of a base that is going away */
	RR_INVALID,   /* the new desired value is invalid */
	RR_PENDING,   /* the new desired value has unmet dependencies */
	RR_RECREATE,  /* first half of a re-create */
};

struct node {
	uint64_t hash;
	struct sdesc *desc;
	struct sval *want; /* desired value (NULL: none) */
	struct sval *have; /* applied value as the scheduler believes (NULL: none) */
	void *metadata;
	uint8_t state;	 /* enum lig_sched_state */
	uint8_t last_op; /* enum lig_sched_op */
	bool available;	 /* exists and satisfies dependencies */
	bool derived;
	bool nb;	 /* managed by the agent (not OBTAINED) */
	bool invalid;	 /* want failed validation */
	bool cascading;	 /* on the removal stack */
	bool rentered;	 /* its removal has started (dependents being removed) */
	uint8_t rreason; /* enum remove_reason while cascading */
	uint32_t rgen;	 /* generation of its newest removal frame */
	bool retry_now;	 /* part of the retry transaction being run */
	bool in_retry;	 /* linked in the retry list */
	bool gc_queued;	 /* on the collection list */
	bool tj_on_stack;
	bool in_cycle_list;
	bool queued; /* its create is queued (batching): the outcome comes at the flush */
	uint32_t n_deps, n_hdeps;
	struct dep *deps;
	struct dep *hdeps;	/* stale edges: dependencies of have when have != want */
	struct dep *dependents; /* key dependencies targeting this node */
	size_t n_dependents;
	struct node *base; /* derived: its base */
	struct node **children;
	uint32_t n_children, cap_children;
	char *error;   /* last error (or invalid reason) */
	char **fields; /* invalid fields */
	uint32_t n_fields;
	char *cycle;		    /* "a -> b -> a" when in a dependency cycle */
	struct node *rprev, *rnext; /* retry list */
	uint64_t retry_due;
	uint64_t retry_for_seq;
	uint32_t retry_attempt;
	uint64_t last_update_seq;
	uint64_t fail_seq; /* failed in this transaction: not tried again in it */
	uint64_t op_seq;   /* transaction of op_idx */
	size_t op_idx;	   /* its last recorded operation in that transaction */
	uint64_t touch_seq;
	uint64_t seen_seq; /* retrieved by the refresh of this transaction */
	uint64_t mark_seq; /* scratch mark (desired set of a resync) */
	uint64_t tj_seq;
	uint64_t dfs_gen;
	uint64_t sync_gen; /* marks children re-derived by one sync */
	uint32_t tj_index, tj_low;
	size_t key_len;
	char key[];
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	alignas(max_align_t) char data[];
};

struct rec {
	struct lig_sched_txn_record pub;
	struct lig_sched_op_record *ops;
	uint8_t *dropped;
	size_t n_ops, cap_ops;
	struct arena_chunk *arena;
	size_t bytes;
};

struct nodevec {
	struct node **v;
	size_t n, cap;
};

/* A removal in progress (post-order: dependents and derived values first). */
struct rframe {
	struct node *node;
	uint32_t gen; /* stale when the node was pushed again since */
	uint8_t reason;
	uint8_t phase;
};

/* A create queued by a descriptor (batching), waiting for its flush and then to be finished. */
struct qop {
	struct node *node;
	void *md;
	const char *prev_text; /* in the record's arena */
	char *msg;	       /* the outcome's message (malloc), NULL when none */
	uint64_t dur;
	int rc; /* the outcome, once flushed */
	uint8_t op, prev_state;
};

/* What a descriptor's flush fills: one outcome per queued create. */
struct lig_sched_flush {
	struct qop *q;
	size_t n;
	bool *set;
};

struct exec {
	uint64_t seq;
	enum lig_sched_trigger trigger;
	bool refreshing; /* availability changes do not queue work */
	struct rec *rec;
	struct nodevec work;	/* nodes to reconcile */
	struct nodevec touched; /* nodes with an operation in this transaction */
	struct rframe *rstack;
	size_t rn, rcap;
	char *scratch; /* value rendering */
	size_t scratch_size;
	/* queued creates: [qnext, qflushed) have their outcome and wait to be finished,
	 * [qflushed, qn) wait for qdesc's flush */
	struct qop *q;
	size_t qn, qcap, qflushed, qnext;
	const struct sdesc *qdesc;
};

struct lig_sched {
	struct lig_sched_config cfg;
	struct sdesc **descs;
	size_t n_descs;
	/* node table: open addressing, linear probing */
	struct node **slots;
	size_t n_slots, n_nodes;
	struct anyof_group *groups;
	struct node *retry_head;
	bool timer_armed;
	uint64_t timer_due;
	struct nodevec gc;
	struct nodevec cycles;
	struct nodevec dfs; /* scratch stack of closes_cycle */
	uint64_t dfs_gen;
	uint64_t next_seq;
	bool busy; /* inside a transaction (callbacks may not start another) */
	bool resynced;
	struct exec *x;
	/* history ring */
	struct rec **ring;
	size_t ring_cap, ring_head, ring_n;
	size_t ring_bytes;
	const char **hist_keys; /* keys of recorded operations, sorted (refresh) */
	size_t n_hist_keys;
	uint64_t hist_keys_seq;
};

/* The error sink handed to callbacks. */
struct lig_sched_err {
	char msg[512];
	bool set;
	char **fields;
	uint32_t n_fields;
	bool oom;
};

struct dep_spec {
	char *label, *key, *prefix;
	bool (*sel)(void *ctx, const char *key);
	void *sel_ctx;
};

struct lig_sched_deps {
	struct dep_spec *v;
	size_t n, cap;
	bool oom;
};

struct kvv {
	char *key;
	struct sval *val;
	enum lig_sched_origin origin;
	void *metadata;
};

struct lig_sched_derived {
	struct lig_sched *s;
	struct kvv *v;
	size_t n, cap;
	bool oom;
};

struct lig_sched_retrieved {
	struct lig_sched *s;
	const struct sdesc *desc;
	struct kvv *v;
	size_t n, cap;
	bool oom;
	bool correlate; /* read-only list built by the scheduler */
};

/* sched.c */
uint64_t sched_mono(struct lig_sched *s);
uint64_t sched_wall(struct lig_sched *s);
struct node *node_lookup(struct lig_sched *s, const char *key);
struct node *node_get(struct lig_sched *s, const char *key);
struct sdesc *desc_for_key(struct lig_sched *s, const char *key);
struct sval *sval_new(struct lig_sched *s, const struct sdesc *d, const void *value, size_t size);
void sval_put(struct sval *v);
struct sval *sval_get(struct sval *v);
bool sval_equiv(const struct node *n, const struct sval *a, const struct sval *b);
void set_available(struct exec *x, struct lig_sched *s, struct node *n, bool on);
void set_state(struct lig_sched *s, struct node *n, enum lig_sched_state st);
void set_metadata(struct node *n, void *md);
/* Replaces the applied value (takes the reference) and its stale dependency edges. */
void set_have(struct lig_sched *s, struct node *n, struct sval *v);
void gc_queue(struct lig_sched *s, struct node *n);
bool dep_satisfied(const struct dep *d);
void children_add(struct node *base, struct node *c);
void children_del(struct node *base, struct node *c);
int nodevec_push(struct nodevec *v, struct node *n);
void derived_list_free(struct lig_sched_derived *dl);
void retrieved_list_free(struct lig_sched_retrieved *rl);
int exec_begin(struct lig_sched *s, struct exec *x, enum lig_sched_trigger trigger);
void exec_end(struct lig_sched *s, struct exec *x);
void exec_reconcile_all(struct lig_sched *s, struct exec *x, struct node **nodes, size_t n);
bool key_matches(const struct sdesc *d, const char *key);

/* resync.c */
int sched_refresh(struct lig_sched *s, struct exec *x, bool first);

/* history.c */
struct rec *rec_new(void);
void rec_free(struct rec *r);
char *rec_strdup(struct rec *r, const char *str, size_t len);
struct lig_sched_op_record *rec_op(struct rec *r, size_t *idx);
void history_push(struct lig_sched *s, struct rec *r);
void history_free(struct lig_sched *s);
int history_init(struct lig_sched *s);
bool history_key_was_nb(struct lig_sched *s, const char *key);

/* status.c */
int sched_render(struct lig_sched *s, const struct sdesc *d, const char *key, const void *value,
		 size_t size, char *buf, size_t buf_size);

#endif

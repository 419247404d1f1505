/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the KV store: the backend provider contract (etcd, embedded) and the watch-event plumbing
 * both share. Not installed. */
#ifndef CNINFRA_KV_INTERNAL_H
#define CNINFRA_KV_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "cninfra/kv.h"
#include "cninfra/log.h"

enum kv_op_type { KV_OP_PUT = 1, KV_OP_DEL = 2, KV_OP_DEL_PREFIX = 3 };

struct kv_op {
	enum kv_op_type type;
	char *key;
	char *value; /* PUT only; NUL-terminated copy */
	size_t value_size;
};

struct cninfra_kv_txn {
	struct kv_op *ops;
	size_t count, cap;
};

/* A backend fills one of these. All functions run on the caller's thread and return 0 or -errno
 * as documented in kv.h; none may be NULL. */
struct kv_ops {
	const char *name;
	/* Exact key (prefix false) or every key under it (prefix true). Fills out; the caller frees
	 * it with cninfra_kv_list_release(). */
	int (*range)(struct cninfra_kv *kv, const char *key, bool prefix,
		     struct cninfra_kv_list *out);
	/* Applies txn atomically; *rev is the store revision after it, *deleted the keys removed.
	 */
	int (*txn)(struct cninfra_kv *kv, const struct cninfra_kv_txn *txn, int64_t *rev,
		   size_t *deleted);
	/* Starts delivering changes for w (fields below set). Returns 0 or -errno. */
	int (*watch_start)(struct cninfra_kv_watch *w);
	/* Stops: when it returns the backend posts no new batch for w. */
	void (*watch_stop)(struct cninfra_kv_watch *w);
	void (*close)(struct cninfra_kv *kv);
};

struct cninfra_kv {
	const struct kv_ops *ops;
	struct cninfra_loop *loop;
	void *priv;
	struct cninfra_kv_opts opts;
	struct cninfra_logger *log;
	struct cninfra_kv_watch *watches; /* live watches, for close */
};

struct cninfra_kv_watch {
	struct cninfra_kv *kv;
	char *prefix;
	int64_t from_rev;
	cninfra_kv_watch_cb cb;
	void *arg;
	void *priv;	 /* backend state */
	atomic_int refs; /* the handle + every posted batch */
	atomic_bool cancelled;
	struct cninfra_kv_watch *next;
};

/* A batch of events for one watch, built by a backend and delivered on the loop. The batch owns
 * its pairs. */
struct kv_batch {
	struct cninfra_kv_watch *w;
	size_t count, cap;
	enum cninfra_kv_event_type *types;
	struct cninfra_kv_pair *pairs;
};

struct kv_batch *kv_batch_new(struct cninfra_kv_watch *w);
/* Appends a copy of the event. Returns 0 or -ENOMEM. */
int kv_batch_add(struct kv_batch *b, enum cninfra_kv_event_type type, const char *key,
		 const char *value, size_t value_size, int64_t create_rev, int64_t mod_rev,
		 int64_t version);
/* Hands the batch to the loop (it takes ownership, also on failure). */
void kv_batch_post(struct kv_batch *b);
void kv_batch_free(struct kv_batch *b);
void kv_watch_unref(struct cninfra_kv_watch *w);

/* Helpers shared by the backends. */
int kv_pair_set(struct cninfra_kv_pair *p, const char *key, size_t key_size, const char *value,
		size_t value_size);
/* Appends a zeroed pair to l; returns it or NULL on ENOMEM. */
struct cninfra_kv_pair *kv_list_push(struct cninfra_kv_list *l, size_t *cap);
bool kv_has_prefix(const char *key, const char *prefix);

int kv_etcd_open(struct cninfra_kv *kv);
int kv_local_open(struct cninfra_kv *kv, const char *dir);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* One key-value store API with two backends: etcd v3 (HTTP+JSON gateway via libcurl) and an
 * embedded durable store (LMDB, with a change log of past revisions for watches). Watches deliver
 * changes on the shared loop; datasync delivers a full snapshot first, then changes. */
#ifndef CNINFRA_KV_H
#define CNINFRA_KV_H

#include <stddef.h>
#include <stdint.h>

struct cninfra_loop;
struct cninfra_kv;
struct cninfra_kv_txn;
struct cninfra_kv_watch;

struct cninfra_kv_pair {
	char *key;   /* NUL-terminated */
	char *value; /* value_size bytes, always followed by a NUL for convenience */
	size_t value_size;
	int64_t create_revision;
	int64_t mod_revision;
	int64_t version; /* number of puts since creation */
};

struct cninfra_kv_list {
	struct cninfra_kv_pair *pairs; /* sorted by key */
	size_t count;
	int64_t revision; /* store revision the list was read at */
};

/* Options for cninfra_kv_open(). */
struct cninfra_kv_opts {
	/* "http://127.0.0.1:2379" or "https://..." (etcd; several comma-separated endpoints = the
	 * members of one cluster) or a directory path / "file:///dir" (embedded). */
	const char *endpoint;
	unsigned timeout_ms;	 /* etcd: a whole request (operation timeout); 0: 3000 */
	size_t compact_min_size; /* unused since the embedded store moved onto LMDB (kept so that
				  * callers setting it still build) */
	/* Embedded store (LMDB): */
	size_t max_size;     /* size limit of the store in bytes (the LMDB map); 0: 1 GiB. A write
			      * that does not fit fails with -ENOSPC. */
	size_t history;	     /* revisions kept in the change log, for watches that start at a past
			      * revision; 0: 10000. Older ones are trimmed as new ones commit. */
	size_t history_size; /* and at most this many bytes of change log (the newest revision is
			      * always kept); 0: 64 MiB */
	/* etcd, added later (zero keeps the earlier behaviour). Strings are copied at open. */
	unsigned dial_timeout_ms; /* connection set-up (TCP and TLS) to one endpoint; 0: timeout_ms.
				   * A request that cannot connect in time moves to the next one. */
	const char *ca_file;	  /* https: PEM CA certificates the servers are verified against
				   * (NULL: the system's) */
	const char *cert_file;	  /* https: PEM client certificate (TLS client authentication) */
	const char *key_file;	  /* and its PEM private key; both or neither */
	int insecure_skip_verify; /* https: non-zero accepts any server certificate and name */
};

/* Opens a store. loop (may be NULL when no watch is used) is where watch events are delivered.
 * Returns the store or NULL with errno set. */
struct cninfra_kv *cninfra_kv_open(struct cninfra_loop *loop, const struct cninfra_kv_opts *opts);
/* Cancels remaining watches and closes. Accepts NULL. */
void cninfra_kv_close(struct cninfra_kv *kv);
/* "etcd" or "embedded". */
const char *cninfra_kv_backend(const struct cninfra_kv *kv);

/* All return 0 or -errno: -ENOENT (get of a missing key), -EINVAL (bad argument), -EIO/-EPROTO
 * (store unreachable, a malformed reply, a corrupt embedded record), -ETIMEDOUT, -ENOMEM, -ENOSPC
 * (embedded: the disk or max_size is full; nothing was written). Keys are non-empty, at most
 * CNINFRA_KV_MAX_KEY bytes, values at most CNINFRA_KV_MAX_VALUE bytes. */
#define CNINFRA_KV_MAX_KEY 4096
#define CNINFRA_KV_MAX_VALUE (1024 * 1024)

/* *out is allocated; free it with cninfra_kv_pair_free(). */
int cninfra_kv_get(struct cninfra_kv *kv, const char *key, struct cninfra_kv_pair **out);
/* Returns after the put is durable (embedded: the LMDB commit is synced; etcd: committed). rev
 * may be NULL. */
int cninfra_kv_put(struct cninfra_kv *kv, const char *key, const void *value, size_t size,
		   int64_t *rev);
#define CNINFRA_KV_PREFIX 0x1u /* flag: key is a prefix */
/* deleted (may be NULL) gets the number of keys removed. */
int cninfra_kv_delete(struct cninfra_kv *kv, const char *key, unsigned flags, size_t *deleted);
/* Every key starting with prefix ("" for all). Free with cninfra_kv_list_release(). */
int cninfra_kv_list(struct cninfra_kv *kv, const char *prefix, struct cninfra_kv_list *out);

void cninfra_kv_pair_free(struct cninfra_kv_pair *p);
void cninfra_kv_list_release(struct cninfra_kv_list *l);

/* A transaction of puts and deletes applied atomically, all or none. */
struct cninfra_kv_txn *cninfra_kv_txn_new(void);
int cninfra_kv_txn_put(struct cninfra_kv_txn *txn, const char *key, const void *value, size_t size);
int cninfra_kv_txn_delete(struct cninfra_kv_txn *txn, const char *key, unsigned flags);
/* Commits (the txn stays owned by the caller). rev may be NULL. */
int cninfra_kv_txn_commit(struct cninfra_kv *kv, struct cninfra_kv_txn *txn, int64_t *rev);
void cninfra_kv_txn_free(struct cninfra_kv_txn *txn);

enum cninfra_kv_event_type {
	CNINFRA_KV_PUT,
	CNINFRA_KV_DELETE,
	/* The store can no longer deliver every change since the last event (etcd compacted the
	 * revisions the watch needed). A datasync watch answers with a new snapshot. */
	CNINFRA_KV_LOST,
};

struct cninfra_kv_event {
	enum cninfra_kv_event_type type;
	const struct cninfra_kv_pair *kv; /* for DELETE: key and mod_revision only */
	int64_t revision;		  /* revision of the change */
};

/* Called on the loop thread. The event is valid only during the call. */
typedef void (*cninfra_kv_watch_cb)(const struct cninfra_kv_event *ev, void *arg);

/* Watches every key starting with prefix for changes at revision from_rev and later (0: from
 * now on). A past from_rev replays the changes since then first. The etcd backend reconnects after
 * failures, to the next endpoint (cluster member) when the one it used fails, and resumes at the
 * last revision it delivered + 1, so no change is missed. Returns a
 * handle or NULL with errno set: ERANGE when the embedded store's change log no longer reaches
 * back to from_rev (trimmed; list and watch from the list's revision + 1 instead). */
struct cninfra_kv_watch *cninfra_kv_watch(struct cninfra_kv *kv, const char *prefix,
					  int64_t from_rev, cninfra_kv_watch_cb cb, void *arg);
/* Cancels a watch; no callback runs after it returns. Accepts NULL. */
void cninfra_kv_unwatch(struct cninfra_kv_watch *w);

/* datasync: a snapshot of every key under prefix, then every change. */
enum cninfra_datasync_kind {
	CNINFRA_SYNC_RESYNC, /* full state: list holds every key; replace what you had */
	CNINFRA_SYNC_CHANGE, /* one change: ev is set */
};
struct cninfra_datasync_event {
	enum cninfra_datasync_kind kind;
	const struct cninfra_kv_list *list; /* RESYNC */
	const struct cninfra_kv_event *ev;  /* CHANGE */
};
typedef void (*cninfra_datasync_cb)(const struct cninfra_datasync_event *ev, void *arg);
struct cninfra_datasync;

/* Lists prefix and delivers it as RESYNC (from the loop, on its next turn), then changes. If the
 * listing fails (store unreachable) it retries every retry_ms (0: 1000). Returns the handle or
 * NULL with errno set. */
struct cninfra_datasync *cninfra_datasync_new(struct cninfra_kv *kv, const char *prefix,
					      unsigned retry_ms, cninfra_datasync_cb cb, void *arg);
/* Stops and frees. Not from inside its own callback. Accepts NULL. */
void cninfra_datasync_free(struct cninfra_datasync *ds);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's diff writer: makes the store hold exactly a desired set of keys, writing only what
 * changed. Keys under SFC_STATUS_PREFIX are lig-sfc's own (its statuses, its allocations): the
 * whole prefix is its to manage. Any other key (the agents' /vnf-agent/... keys, a shared
 * space) is recorded in an index, SFC_STATUS_PREFIX "rendered" + key, whose value names the
 * objects that rendered it: a restarted lig-sfc deletes exactly the keys it wrote and no
 * longer renders, and never touches a key it did not write.
 * The writer remembers what the store holds after each apply (read once at open), so an apply
 * of an unchanged set writes nothing. Changes go in one store transaction, or in transactions
 * of at most max_ops operations (etcd refuses more than --max-txn-ops, 128 by default) applied
 * in order. */
#ifndef LIG_SFC_WRITER_H
#define LIG_SFC_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cninfra/kv.h>

#include "sfc_model.h"

#define SFC_INDEX_PREFIX SFC_STATUS_PREFIX "rendered"
/* Whatever max_ops says, a transaction holds at most this many operations (libcninfra's
 * limit) and this many bytes of keys and values (etcd refuses requests over 1.5 MiB by
 * default, and its JSON gateway carries them in base64); one larger operation goes alone. */
#define SFC_TXN_OPS_MAX 1024
#define SFC_TXN_BYTES_MAX (768 * 1024)

/* One desired key: value is size bytes (not necessarily NUL-terminated); owners is a short
 * text naming who rendered it (stored in the index; NULL for lig-sfc's own status keys). */
struct sfc_wkv {
	const char *key;
	const char *value;
	size_t size;
	const char *owners;
};

struct sfc_wstats {
	size_t puts;	/* keys written (index entries not counted) */
	size_t deletes; /* keys deleted (index entries not counted) */
	size_t ops;	/* store operations, index entries included */
	size_t txns;	/* store transactions committed */
	int64_t rev;	/* store revision after the last transaction (0: none) */
};

struct sfc_writer;

/* Reads the index, lig-sfc's status keys and the current values of the indexed keys. NULL
 * with *rc = -errno (and a message in *err) when the store cannot be read. max_ops 0: only
 * the SFC_TXN_* limits. */
struct sfc_writer *sfc_writer_open(struct cninfra_kv *kv, size_t max_ops, int *rc,
				   struct sfc_errors *err);
void sfc_writer_free(struct sfc_writer *w); /* NULL ok */

/* Makes the store hold exactly desired[0..n) (keys unique; any order) among the keys lig-sfc
 * manages. Returns 0 with *st filled, or -errno of the store (what was committed before the
 * failure stays; the writer re-reads the store before its next apply). */
int sfc_writer_apply(struct sfc_writer *w, const struct sfc_wkv *desired, size_t n,
		     struct sfc_wstats *st);

/* A change seen in the store (value NULL: deleted). Returns true when it is drift: a key the
 * writer manages now holds something else than what it wrote (or is gone); the writer then
 * re-reads the store before its next apply, which puts the key back. Its own writes, and keys
 * it does not manage, are not drift. */
bool sfc_writer_observe(struct sfc_writer *w, const char *key, const char *value, size_t size);
/* Forgets what the store holds: the next apply re-reads it (a watch lost events). */
void sfc_writer_invalidate(struct sfc_writer *w);

/* --clean: deletes every key lig-sfc wrote (indexed keys, the index, the status prefix). */
int sfc_writer_clean(struct sfc_writer *w, struct sfc_wstats *st);

/* Number of keys the writer believes are in the store (tests). */
size_t sfc_writer_count(const struct sfc_writer *w);

#endif

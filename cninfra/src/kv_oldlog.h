/* SPDX-License-Identifier: Apache-2.0 */
/* The embedded store's former on-disk format, kept to migrate old data directories: kv.log, an
 * append-only log of CRC-framed records. Replay applies a record only once all of it is valid
 * and stops at the first one that is not (a torn or corrupt tail). Not installed. */
#ifndef CNINFRA_KV_OLDLOG_H
#define CNINFRA_KV_OLDLOG_H

#include <stddef.h>
#include <stdint.h>

#include "cninfra/kv.h"

#define KV_OLDLOG_NAME "kv.log"
#define KV_OLDLOG_TMP "kv.log.tmp" /* a compaction that never reached its rename() */

/* What a kv.log replays to. */
struct kv_oldlog {
	struct cninfra_kv_pair *e; /* live entries, sorted by key */
	size_t n, cap;
	int64_t rev;	   /* store revision */
	size_t valid_size; /* bytes that replayed; the rest is a torn or corrupt tail */
	const char *why;   /* why replay stopped before the end, or NULL */
};

/* Replays size bytes of kv.log (the caller keeps buf). Returns 0 or -ENOMEM; a damaged log is
 * not an error (valid_size and why tell). Free out with kv_oldlog_release(), also on error. */
int kv_oldlog_replay(const uint8_t *buf, size_t size, struct kv_oldlog *out);
void kv_oldlog_release(struct kv_oldlog *ol);

/* CRC-32 (IEEE, as the log's records carry). */
uint32_t kv_crc32(const uint8_t *p, size_t n);

#endif

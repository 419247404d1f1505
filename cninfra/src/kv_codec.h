/* SPDX-License-Identifier: Apache-2.0 */
/* The embedded store's records inside LMDB: how a store key becomes an LMDB key, and the bytes of
 * a live key's record, a change-log event and the store state. Pure functions over caller buffers;
 * every decoder treats its input as hostile (it comes from disk) and checks bounds, lengths and
 * revisions before anything is used. Not installed. */
#ifndef CNINFRA_KV_CODEC_H
#define CNINFRA_KV_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* Revisions above this are corrupt, not real: a store would need centuries of writes to get
 * there, and trusting one would overflow the next put's revision. */
#define KV_REV_MAX (INT64_MAX / 2)

/* LMDB keys are at most 511 bytes, store keys up to CNINFRA_KV_MAX_KEY. A key of up to
 * KV_SHORT_KEY bytes is its own LMDB key; a longer one is stored under its first KV_SHORT_KEY
 * bytes and a 4-byte big-endian sequence number, with the whole key in its record. Every LMDB
 * key of length KV_SHORT_KEY + 4 is such a long key; order among long keys sharing their first
 * KV_SHORT_KEY bytes is by sequence, not by key (readers sort). */
#define KV_SHORT_KEY 400u
#define KV_LKEY_MAX (KV_SHORT_KEY + 4u)

/* The change log's LMDB key: big-endian revision, then big-endian index of the event within
 * that revision, so LMDB's order is revision order. */
#define KV_LOGKEY_SIZE 12u

/* Bytes before key and value in a live record and in an event. */
#define KV_REC_HDR 29u
#define KV_EV_HDR 21u
#define KV_STATE_SIZE 29u
#define KV_MIGRATED_SIZE 13u
#define KV_FORMAT 1u

/* A live key's record or a change-log event, decoded: pointers into the bytes given to the
 * decoder (and the LMDB key), valid as long as they are. */
struct kv_rec {
	const char *key; /* not NUL-terminated */
	size_t key_size;
	const char *value;
	size_t value_size;
	int64_t create_rev, mod_rev, version;
};

enum kv_ev_type { KV_EV_PUT = 'P', KV_EV_DEL = 'D' };

struct kv_ev {
	enum kv_ev_type type;
	struct kv_rec r; /* DEL: key only; mod_rev is the event's revision */
	uint32_t index;	 /* position within the revision */
};

/* The store as of the last commit. */
struct kv_state {
	uint32_t format;
	int64_t rev;	     /* store revision */
	int64_t compact_rev; /* the change log holds no event at or below this revision */
	uint64_t log_size;   /* bytes of change log (keys and values) */
};

/* Writes the LMDB key of key (seq for long keys only) to out; returns its length. */
size_t kv_lkey(const char *key, size_t key_size, uint32_t seq, uint8_t out[KV_LKEY_MAX]);
/* The sequence number of a long key's LMDB key. */
uint32_t kv_lkey_seq(const uint8_t *lkey);

size_t kv_rec_size(size_t key_size, size_t value_size);
/* buf holds kv_rec_size() bytes. */
void kv_rec_encode(uint8_t *buf, const char *key, size_t key_size, const void *value,
		   size_t value_size, int64_t create_rev, int64_t mod_rev, int64_t version);
/* Checks and decodes the record stored under lkey in a store at revision store_rev: returns 0 or
 * -EIO (corrupt: bad length, key, or a revision out of bounds). */
int kv_rec_decode(const uint8_t *lkey, size_t lkey_size, const uint8_t *buf, size_t size,
		  int64_t store_rev, struct kv_rec *out);

void kv_logkey(int64_t rev, uint32_t index, uint8_t out[KV_LOGKEY_SIZE]);
/* The revision of a change-log key, or -1 if it is not one. */
int64_t kv_logkey_rev(const uint8_t *lkey, size_t lkey_size);
size_t kv_ev_size(const struct kv_ev *ev);
void kv_ev_encode(uint8_t *buf, const struct kv_ev *ev);
/* Checks and decodes an event under lkey in a store at revision store_rev: 0 or -EIO. */
int kv_ev_decode(const uint8_t *lkey, size_t lkey_size, const uint8_t *buf, size_t size,
		 int64_t store_rev, struct kv_ev *out);

void kv_state_encode(uint8_t buf[KV_STATE_SIZE], const struct kv_state *s);
/* 0, -EIO (corrupt) or -EPROTONOSUPPORT (a format this code does not know). */
int kv_state_decode(const uint8_t *buf, size_t size, struct kv_state *out);

/* The kv.log a store was migrated from: its size and CRC-32, to recognise it after a crash
 * between the migration's commit and the log's rename. */
void kv_migrated_encode(uint8_t buf[KV_MIGRATED_SIZE], uint64_t size, uint32_t crc);
int kv_migrated_decode(const uint8_t *buf, size_t size, uint64_t *log_size, uint32_t *crc);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* For cninfra's tests: writes kv.log files in the embedded store's former on-disk format (records
 * framed with magic, length and CRC-32; see src/kv_oldlog.c), to test their migration into LMDB.
 * An independent encoder, so the tests do not trust the code under test to define the format. */
#ifndef CNINFRA_TEST_OLDLOG_H
#define CNINFRA_TEST_OLDLOG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct oldlog {
	uint8_t *p;
	size_t len, cap;
};

enum { OL_TXN = 1, OL_ENTRY = 2, OL_REV = 3 };
enum { OL_PUT = 1, OL_DEL = 2, OL_DEL_PREFIX = 3 };

static inline void
ol_bytes(struct oldlog *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

static inline void
ol_u8(struct oldlog *b, uint8_t v)
{
	ol_bytes(b, &v, 1);
}

static inline void
ol_u32(struct oldlog *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	ol_bytes(b, x, 4);
}

static inline void
ol_u64(struct oldlog *b, uint64_t v)
{
	ol_u32(b, (uint32_t)v);
	ol_u32(b, (uint32_t)(v >> 32));
}

static inline uint32_t
ol_crc(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

/* Frames payload as one record of log and frees the payload. */
static inline void
ol_frame(struct oldlog *log, struct oldlog *pl)
{
	ol_u32(log, 0x31564b4cu);
	ol_u32(log, (uint32_t)pl->len);
	ol_u32(log, ol_crc(pl->p, pl->len));
	ol_bytes(log, pl->p, pl->len);
	free(pl->p);
	memset(pl, 0, sizeof(*pl));
}

/* A transaction of n operations at rev; vals[i] is ignored for deletes. */
static inline void
ol_txn(struct oldlog *log, uint64_t rev, int n, const int *types, const char *const *keys,
       const char *const *vals)
{
	struct oldlog pl = {0};
	ol_u8(&pl, OL_TXN);
	ol_u64(&pl, rev);
	ol_u32(&pl, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		size_t kl = strlen(keys[i]), vl = types[i] == OL_PUT ? strlen(vals[i]) : 0;
		ol_u8(&pl, (uint8_t)types[i]);
		ol_u32(&pl, (uint32_t)kl);
		ol_u32(&pl, (uint32_t)vl);
		ol_bytes(&pl, keys[i], kl);
		ol_bytes(&pl, types[i] == OL_PUT ? vals[i] : "", vl);
	}
	ol_frame(log, &pl);
}

static inline void
ol_put(struct oldlog *log, uint64_t rev, const char *key, const char *val)
{
	int t = OL_PUT;
	ol_txn(log, rev, 1, &t, &key, &val);
}

static inline void
ol_del(struct oldlog *log, uint64_t rev, const char *key, int prefix)
{
	int t = prefix ? OL_DEL_PREFIX : OL_DEL;
	const char *v = "";
	ol_txn(log, rev, 1, &t, &key, &v);
}

/* A compaction's records: the store revision, then live entries at it. */
static inline void
ol_rev(struct oldlog *log, uint64_t rev)
{
	struct oldlog pl = {0};
	ol_u8(&pl, OL_REV);
	ol_u64(&pl, rev);
	ol_frame(log, &pl);
}

static inline void
ol_entry(struct oldlog *log, uint64_t rev, uint64_t create, uint64_t mod, uint64_t version,
	 const char *key, const char *val)
{
	struct oldlog pl = {0};
	ol_u8(&pl, OL_ENTRY);
	ol_u64(&pl, rev);
	ol_u64(&pl, create);
	ol_u64(&pl, mod);
	ol_u64(&pl, version);
	ol_u32(&pl, (uint32_t)strlen(key));
	ol_u32(&pl, (uint32_t)strlen(val));
	ol_bytes(&pl, key, strlen(key));
	ol_bytes(&pl, val, strlen(val));
	ol_frame(log, &pl);
}

/* Writes n bytes as dir/name; returns 0 or -1. */
static inline int
ol_write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

#endif

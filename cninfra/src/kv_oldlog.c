// SPDX-License-Identifier: Apache-2.0
// Replay of the embedded store's former format, kv.log, for migrating old data directories into
// LMDB (kv_local.c). This is the append-only log's replay as it was, with its fixes: a record is
// applied only once the whole of it checked out, and revisions from disk are bounded.
//
// Record: u32 magic "LKV1" | u32 payload length | u32 CRC-32 of payload | payload
// Payload: u8 type | u64 revision | TXN: u32 n_ops, n x (u8 op | u32 klen | u32 vlen | key | value)
//                                  ENTRY (compacted state): u64 create, mod, version | u32 klen,
//                                  vlen | key | value
//                                  REV (compacted store revision)
// All integers little-endian.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kv_codec.h"
#include "kv_internal.h"
#include "kv_oldlog.h"

#define REC_MAGIC 0x31564b4cu /* "LKV1" */
#define REC_HDR 12u
#define REC_MAX (64u * 1024 * 1024)

enum rec_type { REC_TXN = 1, REC_ENTRY = 2, REC_REV = 3 };

static uint32_t crc_table[256];

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t
kv_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	if (!crc_table[1])
		crc_init();
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* Bounds-checked reader over one record payload. */
struct rbuf {
	const uint8_t *p;
	size_t len, off;
	int bad;
};

static uint32_t
ru32(struct rbuf *r)
{
	if (r->bad || r->len - r->off < 4) {
		r->bad = 1;
		return 0;
	}
	const uint8_t *x = r->p + r->off;
	r->off += 4;
	return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
}

static uint64_t
ru64(struct rbuf *r)
{
	uint64_t lo = ru32(r);
	return lo | (uint64_t)ru32(r) << 32;
}

static uint8_t
ru8(struct rbuf *r)
{
	if (r->bad || r->len - r->off < 1) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->off++];
}

static const char *
rbytes(struct rbuf *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	const char *s = (const char *)r->p + r->off;
	r->off += n;
	return s;
}

/* Sorted array of entries. */

static size_t
lookup(const struct kv_oldlog *l, const char *key, int *found)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->e[mid].key, key);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static int
entry_put(struct kv_oldlog *l, const char *key, size_t klen, const char *val, size_t vlen,
	  int64_t create, int64_t mod, int64_t version)
{
	char kbuf[CNINFRA_KV_MAX_KEY + 1];
	if (klen > CNINFRA_KV_MAX_KEY)
		return -EINVAL;
	memcpy(kbuf, key, klen);
	kbuf[klen] = 0;
	if (strlen(kbuf) != klen)
		return -EINVAL;
	int found;
	size_t i = lookup(l, kbuf, &found);
	if (found) {
		char *nv = malloc(vlen + 1);
		if (!nv)
			return -ENOMEM;
		memcpy(nv, val, vlen);
		nv[vlen] = 0;
		free(l->e[i].value);
		l->e[i].value = nv;
		l->e[i].value_size = vlen;
		l->e[i].mod_revision = mod;
		l->e[i].version = version ? version : l->e[i].version + 1;
		if (create)
			l->e[i].create_revision = create;
		return 0;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct cninfra_kv_pair *ne = realloc(l->e, nc * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		l->e = ne;
		l->cap = nc;
	}
	struct cninfra_kv_pair p = {0};
	if (kv_pair_set(&p, kbuf, klen, val, vlen))
		return -ENOMEM;
	p.create_revision = create ? create : mod;
	p.mod_revision = mod;
	p.version = version ? version : 1;
	memmove(&l->e[i + 1], &l->e[i], (l->n - i) * sizeof(*l->e));
	l->e[i] = p;
	l->n++;
	return 0;
}

static void
entry_del(struct kv_oldlog *l, size_t i)
{
	free(l->e[i].key);
	free(l->e[i].value);
	memmove(&l->e[i], &l->e[i + 1], (l->n - i - 1) * sizeof(*l->e));
	l->n--;
}

/* First index whose key starts with prefix, and one past the last. */
static void
prefix_range(const struct kv_oldlog *l, const char *prefix, size_t *from, size_t *to)
{
	int found;
	size_t i = lookup(l, prefix, &found), j = i;
	while (j < l->n && kv_has_prefix(l->e[j].key, prefix))
		j++;
	*from = i;
	*to = j;
}

/* Checks a whole TXN payload (from its op count on) without touching the state. Replay applies a
 * record only after this passed, so a record that passes its CRC but is malformed further in is
 * dropped whole, never half-applied. */
static int
txn_check(struct rbuf r)
{
	uint32_t nops = ru32(&r);
	for (uint32_t k = 0; k < nops && !r.bad; k++) {
		uint8_t op = ru8(&r);
		uint32_t klen = ru32(&r), vlen = ru32(&r);
		const char *key = rbytes(&r, klen);
		rbytes(&r, vlen);
		if (r.bad || klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE ||
		    memchr(key, 0, klen))
			return -EINVAL;
		if (op == KV_OP_PUT ? klen == 0
				    : (op != KV_OP_DEL && op != KV_OP_DEL_PREFIX) || vlen)
			return -EINVAL;
		if (op == KV_OP_DEL && klen == 0)
			return -EINVAL;
	}
	return r.bad || r.off != r.len ? -EINVAL : 0;
}

/* Applies one checked TXN payload. Returns 0 or -errno. */
static int
apply_txn(struct kv_oldlog *l, struct rbuf *r, int64_t rev)
{
	uint32_t nops = ru32(r);
	for (uint32_t k = 0; k < nops && !r->bad; k++) {
		uint8_t op = ru8(r);
		uint32_t klen = ru32(r), vlen = ru32(r);
		const char *key = rbytes(r, klen), *val = rbytes(r, vlen);
		if (r->bad || klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE)
			return -EINVAL;
		char kbuf[CNINFRA_KV_MAX_KEY + 1];
		memcpy(kbuf, key, klen);
		kbuf[klen] = 0;
		if (op == KV_OP_PUT) {
			int rc = entry_put(l, key, klen, val, vlen, 0, rev, 0);
			if (rc)
				return rc;
		} else if (op == KV_OP_DEL || op == KV_OP_DEL_PREFIX) {
			size_t from, to;
			int found;
			if (op == KV_OP_DEL) {
				from = lookup(l, kbuf, &found);
				to = found ? from + 1 : from;
			} else {
				prefix_range(l, kbuf, &from, &to);
			}
			for (size_t i = to; i > from; i--)
				entry_del(l, i - 1);
		} else {
			return -EINVAL;
		}
	}
	return r->bad ? -EINVAL : 0;
}

int
kv_oldlog_replay(const uint8_t *buf, size_t size, struct kv_oldlog *l)
{
	memset(l, 0, sizeof(*l));
	size_t off = 0;
	while (off < size) {
		struct rbuf h = {.p = buf + off, .len = size - off};
		uint32_t magic = ru32(&h), len = ru32(&h), crc = ru32(&h);
		if (h.bad) {
			l->why = "short header";
			break;
		}
		if (magic != REC_MAGIC || len > REC_MAX || len < 9 || len > size - off - REC_HDR) {
			l->why = magic != REC_MAGIC ? "bad magic" : "bad or short length";
			break;
		}
		const uint8_t *pl = buf + off + REC_HDR;
		if (kv_crc32(pl, len) != crc) {
			l->why = "CRC mismatch";
			break;
		}
		struct rbuf r = {.p = pl, .len = len};
		uint8_t type = ru8(&r);
		int64_t rev = (int64_t)ru64(&r);
		int rc = 0;
		if (type == REC_TXN) {
			if (rev != l->rev + 1 || rev > KV_REV_MAX) {
				l->why = "revision out of sequence";
				break;
			}
			rc = txn_check(r);
			if (!rc)
				rc = apply_txn(l, &r, rev);
			if (!rc)
				l->rev = rev;
		} else if (type == REC_ENTRY) {
			/* A compacted entry: written after the REC_REV that set l->rev, at or below
			 * it. */
			int64_t c = (int64_t)ru64(&r), m = (int64_t)ru64(&r), v = (int64_t)ru64(&r);
			uint32_t klen = ru32(&r), vlen = ru32(&r);
			const char *k = rbytes(&r, klen), *val = rbytes(&r, vlen);
			if (r.bad || r.off != r.len || rev != l->rev || klen == 0 ||
			    klen > CNINFRA_KV_MAX_KEY || vlen > CNINFRA_KV_MAX_VALUE ||
			    memchr(k, 0, klen) || c <= 0 || c > m || m > l->rev || v <= 0 ||
			    v > KV_REV_MAX)
				rc = -EINVAL;
			else
				rc = entry_put(l, k, klen, val, vlen, c, m, v);
		} else if (type == REC_REV) {
			if (r.bad || r.off != r.len || rev < l->rev || rev > KV_REV_MAX)
				rc = -EINVAL;
			else
				l->rev = rev;
		} else {
			rc = -EINVAL;
		}
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0 || r.bad || r.off != r.len) {
			l->why = "malformed record";
			break;
		}
		off += REC_HDR + len;
	}
	l->valid_size = off;
	return 0;
}

void
kv_oldlog_release(struct kv_oldlog *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].key);
		free(l->e[i].value);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}

// SPDX-License-Identifier: Apache-2.0
// The embedded store's record formats inside LMDB (see kv_codec.h): encoders into caller buffers
// and decoders that check every length and revision before trusting them. Integers in records
// are little-endian; in LMDB keys big-endian, so that LMDB's byte order is numeric order.
#include <errno.h>
#include <string.h>

#include "cninfra/kv.h"
#include "kv_codec.h"

#define REC_TAG 'K'
#define STATE_TAG 'S'
#define MIGRATED_TAG 'M'

static void
put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void
put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A stored key: 1 .. CNINFRA_KV_MAX_KEY bytes, no NUL (keys are C strings). */
static int
key_ok(const char *key, size_t size)
{
	return size >= 1 && size <= CNINFRA_KV_MAX_KEY && !memchr(key, 0, size);
}

size_t
kv_lkey(const char *key, size_t key_size, uint32_t seq, uint8_t out[KV_LKEY_MAX])
{
	if (key_size <= KV_SHORT_KEY) {
		memcpy(out, key, key_size);
		return key_size;
	}
	memcpy(out, key, KV_SHORT_KEY);
	put_be(out + KV_SHORT_KEY, seq, 4);
	return KV_LKEY_MAX;
}

uint32_t
kv_lkey_seq(const uint8_t *lkey)
{
	return (uint32_t)get_be(lkey + KV_SHORT_KEY, 4);
}

size_t
kv_rec_size(size_t key_size, size_t value_size)
{
	return KV_REC_HDR + (key_size > KV_SHORT_KEY ? key_size : 0) + value_size;
}

void
kv_rec_encode(uint8_t *buf, const char *key, size_t key_size, const void *value, size_t value_size,
	      int64_t create_rev, int64_t mod_rev, int64_t version)
{
	buf[0] = REC_TAG;
	put_le(buf + 1, (uint64_t)create_rev, 8);
	put_le(buf + 9, (uint64_t)mod_rev, 8);
	put_le(buf + 17, (uint64_t)version, 8);
	put_le(buf + 25, key_size, 4);
	uint8_t *p = buf + KV_REC_HDR;
	if (key_size > KV_SHORT_KEY) {
		memcpy(p, key, key_size);
		p += key_size;
	}
	if (value_size)
		memcpy(p, value, value_size);
}

int
kv_rec_decode(const uint8_t *lkey, size_t lkey_size, const uint8_t *buf, size_t size,
	      int64_t store_rev, struct kv_rec *out)
{
	if (size < KV_REC_HDR || buf[0] != REC_TAG)
		return -EIO;
	int64_t c = (int64_t)get_le(buf + 1, 8), m = (int64_t)get_le(buf + 9, 8),
		v = (int64_t)get_le(buf + 17, 8);
	size_t klen = (size_t)get_le(buf + 25, 4);
	const uint8_t *p = buf + KV_REC_HDR;
	size_t rest = size - KV_REC_HDR;
	if (c < 1 || c > m || m > store_rev || store_rev > KV_REV_MAX || v < 1 || v > KV_REV_MAX)
		return -EIO;
	if (klen <= KV_SHORT_KEY) {
		if (lkey_size != klen)
			return -EIO;
		out->key = (const char *)lkey;
	} else {
		/* A long key: its record holds it whole, and it must be the one its LMDB key
		 * names. */
		if (lkey_size != KV_LKEY_MAX || klen > rest || memcmp(p, lkey, KV_SHORT_KEY))
			return -EIO;
		out->key = (const char *)p;
		p += klen;
		rest -= klen;
	}
	if (!key_ok(out->key, klen) || rest > CNINFRA_KV_MAX_VALUE)
		return -EIO;
	out->key_size = klen;
	out->value = (const char *)p;
	out->value_size = rest;
	out->create_rev = c;
	out->mod_rev = m;
	out->version = v;
	return 0;
}

void
kv_logkey(int64_t rev, uint32_t index, uint8_t out[KV_LOGKEY_SIZE])
{
	put_be(out, (uint64_t)rev, 8);
	put_be(out + 8, index, 4);
}

int64_t
kv_logkey_rev(const uint8_t *lkey, size_t lkey_size)
{
	if (lkey_size != KV_LOGKEY_SIZE)
		return -1;
	uint64_t rev = get_be(lkey, 8);
	return rev > KV_REV_MAX ? -1 : (int64_t)rev;
}

size_t
kv_ev_size(const struct kv_ev *ev)
{
	return KV_EV_HDR + ev->r.key_size + (ev->type == KV_EV_PUT ? ev->r.value_size : 0);
}

void
kv_ev_encode(uint8_t *buf, const struct kv_ev *ev)
{
	int put = ev->type == KV_EV_PUT;
	buf[0] = (uint8_t)ev->type;
	put_le(buf + 1, put ? (uint64_t)ev->r.create_rev : 0, 8);
	put_le(buf + 9, put ? (uint64_t)ev->r.version : 0, 8);
	put_le(buf + 17, ev->r.key_size, 4);
	memcpy(buf + KV_EV_HDR, ev->r.key, ev->r.key_size);
	if (put && ev->r.value_size)
		memcpy(buf + KV_EV_HDR + ev->r.key_size, ev->r.value, ev->r.value_size);
}

int
kv_ev_decode(const uint8_t *lkey, size_t lkey_size, const uint8_t *buf, size_t size,
	     int64_t store_rev, struct kv_ev *out)
{
	int64_t rev = kv_logkey_rev(lkey, lkey_size);
	if (rev < 1 || rev > store_rev || size < KV_EV_HDR)
		return -EIO;
	int64_t c = (int64_t)get_le(buf + 1, 8), v = (int64_t)get_le(buf + 9, 8);
	size_t klen = (size_t)get_le(buf + 17, 4);
	if (klen > size - KV_EV_HDR || !key_ok((const char *)buf + KV_EV_HDR, klen))
		return -EIO;
	size_t vlen = size - KV_EV_HDR - klen;
	if (buf[0] == KV_EV_PUT) {
		if (c < 1 || c > rev || v < 1 || v > KV_REV_MAX || vlen > CNINFRA_KV_MAX_VALUE)
			return -EIO;
	} else if (buf[0] == KV_EV_DEL) {
		if (c || v || vlen)
			return -EIO;
	} else {
		return -EIO;
	}
	out->type = (enum kv_ev_type)buf[0];
	out->index = (uint32_t)get_be(lkey + 8, 4);
	out->r.key = (const char *)buf + KV_EV_HDR;
	out->r.key_size = klen;
	out->r.value = (const char *)buf + KV_EV_HDR + klen;
	out->r.value_size = vlen;
	out->r.create_rev = c;
	out->r.mod_rev = rev;
	out->r.version = v;
	return 0;
}

void
kv_state_encode(uint8_t buf[KV_STATE_SIZE], const struct kv_state *s)
{
	buf[0] = STATE_TAG;
	put_le(buf + 1, s->format, 4);
	put_le(buf + 5, (uint64_t)s->rev, 8);
	put_le(buf + 13, (uint64_t)s->compact_rev, 8);
	put_le(buf + 21, s->log_size, 8);
}

int
kv_state_decode(const uint8_t *buf, size_t size, struct kv_state *out)
{
	if (size != KV_STATE_SIZE || buf[0] != STATE_TAG)
		return -EIO;
	uint64_t rev = get_le(buf + 5, 8), compact = get_le(buf + 13, 8);
	out->format = (uint32_t)get_le(buf + 1, 4);
	if (out->format != KV_FORMAT)
		return out->format > KV_FORMAT ? -EPROTONOSUPPORT : -EIO;
	/* No store gets near 2^48 bytes of log: a larger count is corrupt. */
	out->log_size = get_le(buf + 21, 8);
	if (rev > KV_REV_MAX || compact > rev || out->log_size >> 48)
		return -EIO;
	out->rev = (int64_t)rev;
	out->compact_rev = (int64_t)compact;
	return 0;
}

void
kv_migrated_encode(uint8_t buf[KV_MIGRATED_SIZE], uint64_t size, uint32_t crc)
{
	buf[0] = MIGRATED_TAG;
	put_le(buf + 1, size, 8);
	put_le(buf + 9, crc, 4);
}

int
kv_migrated_decode(const uint8_t *buf, size_t size, uint64_t *log_size, uint32_t *crc)
{
	if (size != KV_MIGRATED_SIZE || buf[0] != MIGRATED_TAG)
		return -EIO;
	*log_size = get_le(buf + 1, 8);
	*crc = (uint32_t)get_le(buf + 9, 4);
	return 0;
}

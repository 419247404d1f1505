// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the decoders of the embedded store's own records inside LMDB (kv_codec.h), which
// read bytes from disk. Input: u8 kind (record, event, state, migrated marker) | u64 store
// revision | u16 LMDB key length | LMDB key | value (integers little-endian). A decoder must never
// read out of bounds, anything it accepts must be within the documented bounds, and encoding what
// it decoded must give back exactly the input: nothing is silently reinterpreted.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/kv_codec.h"
#include "cninfra/kv.h"

static uint8_t out[KV_REC_HDR + CNINFRA_KV_MAX_KEY + CNINFRA_KV_MAX_VALUE];

static int
key_ok(const char *k, size_t n)
{
	return n >= 1 && n <= CNINFRA_KV_MAX_KEY && !memchr(k, 0, n);
}

static void
check_rec(const uint8_t *lk, size_t lklen, const uint8_t *v, size_t vlen, int64_t rev)
{
	struct kv_rec r;
	if (kv_rec_decode(lk, lklen, v, vlen, rev, &r))
		return;
	if (!key_ok(r.key, r.key_size) || r.value_size > CNINFRA_KV_MAX_VALUE || r.create_rev < 1 ||
	    r.create_rev > r.mod_rev || r.mod_rev > rev || r.version < 1 || r.version > KV_REV_MAX)
		abort();
	size_t n = kv_rec_size(r.key_size, r.value_size);
	if (n != vlen)
		abort();
	kv_rec_encode(out, r.key, r.key_size, r.value, r.value_size, r.create_rev, r.mod_rev,
		      r.version);
	if (memcmp(out, v, n))
		abort();
	uint8_t lk2[KV_LKEY_MAX];
	uint32_t seq = lklen == KV_LKEY_MAX ? kv_lkey_seq(lk) : 0;
	if (kv_lkey(r.key, r.key_size, seq, lk2) != lklen || memcmp(lk2, lk, lklen))
		abort();
}

static void
check_ev(const uint8_t *lk, size_t lklen, const uint8_t *v, size_t vlen, int64_t rev)
{
	struct kv_ev e;
	if (kv_ev_decode(lk, lklen, v, vlen, rev, &e))
		return;
	if (!key_ok(e.r.key, e.r.key_size) || e.r.mod_rev < 1 || e.r.mod_rev > rev ||
	    e.r.value_size > CNINFRA_KV_MAX_VALUE)
		abort();
	if (e.type == KV_EV_PUT
		? e.r.create_rev < 1 || e.r.create_rev > e.r.mod_rev || e.r.version < 1 ||
		      e.r.version > KV_REV_MAX
		: e.type != KV_EV_DEL || e.r.create_rev || e.r.version || e.r.value_size)
		abort();
	if (kv_ev_size(&e) != vlen)
		abort();
	kv_ev_encode(out, &e);
	if (memcmp(out, v, vlen))
		abort();
	uint8_t lk2[KV_LOGKEY_SIZE];
	kv_logkey(e.r.mod_rev, e.index, lk2);
	if (lklen != KV_LOGKEY_SIZE || memcmp(lk2, lk, lklen))
		abort();
}

static void
check_state(const uint8_t *v, size_t vlen)
{
	struct kv_state s;
	if (kv_state_decode(v, vlen, &s))
		return;
	if (s.format != KV_FORMAT || s.rev < 0 || s.rev > KV_REV_MAX || s.compact_rev < 0 ||
	    s.compact_rev > s.rev)
		abort();
	uint8_t b[KV_STATE_SIZE];
	kv_state_encode(b, &s);
	if (vlen != sizeof(b) || memcmp(b, v, vlen))
		abort();
}

static void
check_migrated(const uint8_t *v, size_t vlen)
{
	uint64_t size;
	uint32_t crc;
	if (kv_migrated_decode(v, vlen, &size, &crc))
		return;
	uint8_t b[KV_MIGRATED_SIZE];
	kv_migrated_encode(b, size, crc);
	if (vlen != sizeof(b) || memcmp(b, v, vlen))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 11)
		return 0;
	uint64_t r = 0;
	for (int i = 0; i < 8; i++)
		r |= (uint64_t)data[1 + i] << (8 * i);
	/* Any store revision the store itself could hold, and some it never could. */
	int64_t rev = (int64_t)(r & INT64_MAX);
	size_t lklen = (size_t)(data[9] | data[10] << 8) % (KV_LKEY_MAX + 1);
	if (size - 11 < lklen)
		return 0;
	const uint8_t *lk = data + 11, *v = data + 11 + lklen;
	size_t vlen = size - 11 - lklen;
	switch (data[0] % 4) {
	case 0:
		check_rec(lk, lklen, v, vlen, rev);
		break;
	case 1:
		check_ev(lk, lklen, v, vlen, rev);
		break;
	case 2:
		check_state(v, vlen);
		break;
	default:
		check_migrated(v, vlen);
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Large copies without `rep movsb`, streaming copies and the choice between cached and
 * streaming stores (see copy.h). */
#include "copy.h"

#if defined(__x86_64__)

/* 256 bytes per iteration in 64-byte moves (the compiler makes each one or more vector
 * loads and stores of the function's target), then 64-byte steps, and the last 64 bytes
 * copied as one move that may overlap the previous one (len >= 64). */
#define LIG_COPY_LOOP(d, s, n)                                                                     \
	do {                                                                                       \
		for (; (n) > 256; (d) += 256, (s) += 256, (n) -= 256) {                            \
			memcpy((d), (s), 64);                                                      \
			memcpy((d) + 64, (s) + 64, 64);                                            \
			memcpy((d) + 128, (s) + 128, 64);                                          \
			memcpy((d) + 192, (s) + 192, 64);                                          \
		}                                                                                  \
		for (; (n) > 64; (d) += 64, (s) += 64, (n) -= 64)                                  \
			memcpy((d), (s), 64);                                                      \
		memcpy((d) + (n)-64, (s) + (n)-64, 64);                                            \
	} while (0)

__attribute__((target("avx512f"))) static void
lig_copy_avx512(unsigned char *d, const unsigned char *s, size_t n)
{
	LIG_COPY_LOOP(d, s, n);
}

__attribute__((target("avx2"))) static void
lig_copy_avx2(unsigned char *d, const unsigned char *s, size_t n)
{
	LIG_COPY_LOOP(d, s, n);
}

static void
lig_copy_baseline(unsigned char *d, const unsigned char *s, size_t n)
{
	LIG_COPY_LOOP(d, s, n);
}

void
lig_copy_large(void *dst, const void *src, size_t len)
{
	if (__builtin_cpu_supports("avx512f"))
		lig_copy_avx512(dst, src, len);
	else if (__builtin_cpu_supports("avx2"))
		lig_copy_avx2(dst, src, len);
	else
		lig_copy_baseline(dst, src, len);
}

#include <immintrin.h>

/* n whole lines to a 64-byte aligned d: four loads, then four streaming stores. */
__attribute__((target("avx512f"))) static void
lig_stream_lines_avx512(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n >= 4; n -= 4, d += 256, s += 256) {
		__m512i a = _mm512_loadu_si512(s), b = _mm512_loadu_si512(s + 64);
		__m512i c = _mm512_loadu_si512(s + 128), e = _mm512_loadu_si512(s + 192);
		_mm512_stream_si512((void *)d, a);
		_mm512_stream_si512((void *)(d + 64), b);
		_mm512_stream_si512((void *)(d + 128), c);
		_mm512_stream_si512((void *)(d + 192), e);
	}
	for (; n; n--, d += 64, s += 64)
		_mm512_stream_si512((void *)d, _mm512_loadu_si512(s));
}

__attribute__((target("avx2"))) static void
lig_stream_lines_avx2(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n; n--, d += 64, s += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)s);
		__m256i b = _mm256_loadu_si256((const __m256i *)(s + 32));
		_mm256_stream_si256((__m256i *)d, a);
		_mm256_stream_si256((__m256i *)(d + 32), b);
	}
}

static void
lig_stream_lines_sse2(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n; n--, d += 64, s += 64)
		for (int i = 0; i < 64; i += 16)
			_mm_stream_si128((__m128i *)(d + i),
					 _mm_loadu_si128((const __m128i *)(s + i)));
}

void
lig_copy_stream(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t head = (size_t)(-(uintptr_t)d & 63), n;

	if (len < head + 64) {
		memcpy(d, s, len);
		return;
	}
	memcpy(d, s, head); /* the partly covered first line: cached */
	d += head, s += head, len -= head;
	n = len / 64;
	if (__builtin_cpu_supports("avx512f"))
		lig_stream_lines_avx512(d, s, n);
	else if (__builtin_cpu_supports("avx2"))
		lig_stream_lines_avx2(d, s, n);
	else
		lig_stream_lines_sse2(d, s, n);
	memcpy(d + n * 64, s + n * 64, len % 64);
}

#else

void
lig_copy_large(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

void
lig_copy_stream(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

#endif

void
lig_copy_choice_decide(struct lig_copy_choice *c, uint64_t now)
{
	uint32_t cost = c->lines ? (uint32_t)(c->ticks / c->lines) : 0;

	__atomic_store_n(&c->cost, cost, __ATOMIC_RELAXED);
	if (cost > LIG_COPY_SLOW_TICKS_PER_LINE) {
		/* Slow during a try: wait twice as long before the next. After a spell of
		 * cheap cached stores: from the shortest gap. */
		if (!c->probing)
			c->gap_log2 = LIG_COPY_GAP_LOG2_MIN;
		else if (c->gap_log2 < LIG_COPY_GAP_LOG2_MAX)
			c->gap_log2++;
		c->probe_at = now + (1ull << c->gap_log2);
		c->probing = 0;
		__atomic_store_n(&c->streaming, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&c->n_streams, c->n_streams + 1, __ATOMIC_RELAXED);
	} else if (c->probing) {
		c->probing--; /* at 0 the try has passed */
	}
	c->ticks = 0;
	c->lines = 0;
}

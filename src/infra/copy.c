/* SPDX-License-Identifier: Apache-2.0 */
/* Large copies without `rep movsb` (see copy.h). */
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

#else

void
lig_copy_large(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

#endif

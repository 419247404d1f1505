/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig_copy_large and lig_copy (src/infra/copy.h): every length from 64 to 9300 bytes at
 * every source and destination misalignment in a cache line copies byte for byte, and
 * writes nothing before or after the destination range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "infra/copy.h"

#define AREA 10240

static uint8_t src_area[AREA], dst_area[AREA + 128];

static void
check_copy(void (*copy)(void *, const void *, size_t), size_t len, size_t soff, size_t doff)
{
	memset(dst_area, 0xee, sizeof(dst_area));
	copy(dst_area + 64 + doff, src_area + soff, len);
	assert_memory_equal(dst_area + 64 + doff, src_area + soff, len);
	for (size_t i = 0; i < 64 + doff; i++)
		assert_int_equal(dst_area[i], 0xee);
	for (size_t i = 64 + doff + len; i < sizeof(dst_area); i++)
		assert_int_equal(dst_area[i], 0xee);
}

static void
copy_inline(void *d, const void *s, size_t n)
{
	lig_copy(d, s, n);
}

static void
test_every_length_and_alignment(void **state)
{
	(void)state;
	for (size_t i = 0; i < AREA; i++)
		src_area[i] = (uint8_t)(i * 131 + 7);
	/* Every length around the loop's edges (64-byte steps, 256-byte iterations). */
	for (size_t len = 64; len <= 1100; len++)
		check_copy(lig_copy_large, len, len % 64, (len * 7) % 64);
	for (size_t len = 1100; len <= 9300; len += 97)
		for (size_t off = 0; off < 64; off += 9)
			check_copy(lig_copy_large, len, off, 63 - off);
	/* The inline wrapper on both sides of LIG_COPY_LARGE_MIN. */
	for (size_t len = LIG_COPY_LARGE_MIN - 70; len <= LIG_COPY_LARGE_MIN + 70; len++)
		check_copy(copy_inline, len, 3, 61);
	check_copy(copy_inline, 0, 0, 0);
	check_copy(copy_inline, 1, 5, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_length_and_alignment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

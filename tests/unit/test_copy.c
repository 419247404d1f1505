/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig_copy_large, lig_copy and lig_copy_stream (src/infra/copy.h): every length from 64
 * to 9300 bytes at every source and destination misalignment in a cache line copies byte
 * for byte, and writes nothing before or after the destination range. lig_copy_choice:
 * cached stores until a measurement finds them slow, then streaming until a try of cached
 * stores after a gap that doubles while they stay slow.
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

static void
test_stream_every_length_and_alignment(void **state)
{
	(void)state;
	for (size_t i = 0; i < AREA; i++)
		src_area[i] = (uint8_t)(i * 67 + 3);
	/* Lengths under, at and over a line and the head/tail split, at every alignment. */
	for (size_t len = 0; len <= 300; len++)
		for (size_t doff = 0; doff < 64; doff += (len < 140 ? 1 : 13))
			check_copy(lig_copy_stream, len, (len + doff) % 64, doff);
	for (size_t len = 300; len <= 9300; len += 89)
		for (size_t off = 0; off < 64; off += 7)
			check_copy(lig_copy_stream, len, 63 - off, off);
	lig_copy_stream_fence();
}

/* Feeds the choice burst by burst: lines per burst at ticks_per_line, starting at *now,
 * until `lines` were copied; returns how many of those bursts it streamed. */
static unsigned
feed(struct lig_copy_choice *c, uint64_t *now, uint32_t lines, uint32_t ticks_per_line)
{
	unsigned streamed = 0;

	for (uint32_t done = 0; done < lines; done += 256) {
		if (lig_copy_choice_stream(c, *now)) {
			streamed++;
			*now += 256 * 4;
		} else {
			lig_copy_choice_account(c, 256ull * ticks_per_line, 256,
						*now + 256ull * ticks_per_line);
			*now += 256ull * ticks_per_line;
		}
	}
	return streamed;
}

static void
test_choice(void **state)
{
	struct lig_copy_choice c = {0};
	uint64_t now = 1000;
	const uint64_t gap_min = 1ull << LIG_COPY_GAP_LOG2_MIN;

	(void)state;
	/* Cheap cached stores stay cached, however long. */
	assert_int_equal(feed(&c, &now, 48 * LIG_COPY_CHOICE_LINES, 4), 0);
	assert_int_equal(c.streaming, 0);
	assert_int_equal(c.cost, 4);
	/* Fewer lines than a decision needs, even slow ones, decide nothing. */
	assert_int_equal(feed(&c, &now, LIG_COPY_CHOICE_LINES - 256, 200), 0);
	assert_int_equal(c.streaming, 0);
	/* The rest of the window: slow on average, so streaming from the next burst. */
	feed(&c, &now, 256, 200);
	assert_int_equal(c.streaming, 1);
	assert_int_equal(c.n_streams, 1);
	assert_true(c.cost > LIG_COPY_SLOW_TICKS_PER_LINE);
	assert_int_equal(c.probe_at, now + gap_min);
	/* Streaming until the gap is over. */
	assert_true(lig_copy_choice_stream(&c, now));
	assert_true(lig_copy_choice_stream(&c, c.probe_at - 1));
	/* The try: cached again, still slow: streaming, the next gap twice as long. */
	now = c.probe_at;
	assert_int_equal(feed(&c, &now, LIG_COPY_CHOICE_LINES, 200), 0);
	assert_int_equal(c.streaming, 1);
	assert_int_equal(c.n_streams, 2);
	assert_int_equal(c.probe_at, now + 2 * gap_min);
	/* Gaps stop doubling at the cap. */
	for (int i = 0; i < 20; i++) {
		now = c.probe_at;
		feed(&c, &now, LIG_COPY_CHOICE_LINES, 200);
	}
	assert_int_equal(c.gap_log2, LIG_COPY_GAP_LOG2_MAX);
	assert_int_equal(c.probe_at, now + (1ull << LIG_COPY_GAP_LOG2_MAX));
	/* A try that is cheap for a while but slow before it passed fails: the gap grows. */
	c.gap_log2 = LIG_COPY_GAP_LOG2_MIN + 3;
	now = c.probe_at;
	feed(&c, &now, (LIG_COPY_PROBE_DECISIONS - 1) * LIG_COPY_CHOICE_LINES, 5);
	assert_int_equal(c.streaming, 0);
	feed(&c, &now, LIG_COPY_CHOICE_LINES, 100);
	assert_int_equal(c.streaming, 1);
	assert_int_equal(c.probe_at, now + (1ull << (LIG_COPY_GAP_LOG2_MIN + 4)));
	/* A try that stays cheap long enough passes and keeps cached stores... */
	now = c.probe_at;
	assert_int_equal(feed(&c, &now, (LIG_COPY_PROBE_DECISIONS + 2) * LIG_COPY_CHOICE_LINES, 5),
			 0);
	assert_int_equal(c.streaming, 0);
	assert_int_equal(c.probing, 0);
	assert_int_equal(c.cost, 5);
	/* ...and the next slow spell starts again from the shortest gap. */
	feed(&c, &now, LIG_COPY_CHOICE_LINES, 100);
	assert_int_equal(c.streaming, 1);
	assert_int_equal(c.probe_at, now + gap_min);
	/* At the threshold itself: not slow. */
	struct lig_copy_choice d = {0};
	now = 0;
	feed(&d, &now, LIG_COPY_CHOICE_LINES, LIG_COPY_SLOW_TICKS_PER_LINE);
	assert_int_equal(d.streaming, 0);
	feed(&d, &now, LIG_COPY_CHOICE_LINES, LIG_COPY_SLOW_TICKS_PER_LINE + 1);
	assert_int_equal(d.streaming, 1);
}

/* One burst of one copy of len bytes from src_area + soff with these stores: the bytes
 * arrive, the burst streams or not as expected, and the choice is not fed. */
static void
burst_once(struct lig_copy_choice *c, enum lig_copy_stores stores, size_t soff, size_t len,
	   bool stream)
{
	struct lig_copy_burst b = {.stores = stores};

	memset(dst_area, 0, sizeof(dst_area));
	lig_copy_burst_large(&b, c, dst_area + 64, src_area + soff, len);
	assert_memory_equal(dst_area + 64, src_area + soff, len);
	assert_int_equal(b.stream, stream);
	lig_copy_burst_end(&b, c);
	assert_int_equal(c->lines, 0);
}

/* A burst's copies: the stores picked once per burst, cached lines accounted at its end,
 * fixed stores neither asking the choice nor feeding it. */
static void
test_burst(void **state)
{
	struct lig_copy_choice c = {0};
	(void)state;

	for (size_t i = 0; i < AREA; i++)
		src_area[i] = (uint8_t)(i * 29 + 1);
	struct lig_copy_burst b = {.stores = LIG_COPY_STORES_AUTO};
	for (int i = 0; i < 3; i++) {
		memset(dst_area, 0, sizeof(dst_area));
		lig_copy_burst_large(&b, &c, dst_area + 64, src_area + 64 * i, 1500);
		assert_memory_equal(dst_area + 64, src_area + 64 * i, 1500);
	}
	assert_false(b.stream);
	assert_int_equal(b.lines, 3 * (1500 / 64));
	lig_copy_burst_end(&b, &c);
	assert_int_equal(c.lines, 3 * (1500 / 64));
	assert_true(c.ticks > 0);

	/* Streaming: the burst streams and leaves the choice alone. */
	c.streaming = 1;
	c.probe_at = UINT64_MAX;
	c.lines = 0;
	burst_once(&c, LIG_COPY_STORES_AUTO, 5, 9000, true);
	/* Fixed by configuration: the choice is neither asked nor fed. */
	burst_once(&c, LIG_COPY_STORES_CACHED, 0, 4096, false);
	c.streaming = 0;
	burst_once(&c, LIG_COPY_STORES_STREAMING, 1, 4096, true);
	/* A burst without large copies ends without touching anything. */
	b = (struct lig_copy_burst){.stores = LIG_COPY_STORES_AUTO};
	lig_copy_burst_end(&b, &c);
	assert_int_equal(c.lines, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_length_and_alignment),
	    cmocka_unit_test(test_stream_every_length_and_alignment),
	    cmocka_unit_test(test_choice),
	    cmocka_unit_test(test_burst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

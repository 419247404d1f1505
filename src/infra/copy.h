/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copies of large frames (jumbo frames and the like) for the datapath. glibc's memcpy
 * switches to `rep movsb` above its threshold (8 KiB with AVX-512); on this project's
 * hosts (AMD EPYC) that made ligd's 9000-byte memif forwarding ~7 % slower than a vector
 * loop, and slower than testpmd, whose rte_memcpy never uses it (docs/PERFORMANCE.md).
 * lig_copy_large is that vector loop, in the widest of AVX-512, AVX2 and the baseline
 * the CPU has, chosen per call from the CPU's feature bits (one load, no indirect call).
 */
#ifndef LIG_INFRA_COPY_H
#define LIG_INFRA_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lig_common.h"

/* From this size on the datapath calls lig_copy_large instead of memcpy. */
#define LIG_COPY_LARGE_MIN 4096

/* Copies len >= 64 bytes; dst and src do not overlap. */
void lig_copy_large(void *dst, const void *src, size_t len);

/* memcpy for the datapath: lig_copy_large from LIG_COPY_LARGE_MIN bytes on. */
static inline void
lig_copy(void *dst, const void *src, size_t len)
{
	if (len >= LIG_COPY_LARGE_MIN)
		lig_copy_large(dst, src, len);
	else
		memcpy(dst, src, len);
}

/*
 * Copies into memory that a process on another core reads next (a memif ring's slots).
 * Cached stores leave each written line in this core's cache, where the reader fetches it:
 * the fast way while the two cores share a cache. When they do not, and the reader reads
 * what was written, each line written again must first be taken back from the reader's
 * cache, one cross-die round trip per line: memif tx of 1500-byte frames rose from ~280 to
 * ~1900 clocks per packet on this project's host (docs/PERFORMANCE.md, "Streaming stores").
 * Non-temporal (streaming) stores write whole lines to memory without taking them first,
 * but then the reader fetches them from memory: half the rate where cached stores are fast.
 * So lig_copy_choice keeps cached stores while they are cheap and streams while they are
 * not, trying cached stores again after a gap that doubles while they stay slow.
 */

/* Copies from this size on may stream (smaller ones write too few whole lines). */
#define LIG_COPY_STREAM_MIN 1024
/* Cached stores slower than this many TSC ticks per 64-byte line are "taken back" ones
 * (~4 per line when they are not, ~65 across dies on this project's host). */
#define LIG_COPY_SLOW_TICKS_PER_LINE 24
/* Lines measured (128 KiB) before a decision: one interrupted burst does not decide. */
#define LIG_COPY_CHOICE_LINES 2048
/* Gaps before cached stores are tried again: 2^22 to 2^28 TSC ticks (about 1.6 ms to
 * 100 ms at 2.6 GHz). A try across dies costs ~50 us. */
#define LIG_COPY_GAP_LOG2_MIN 22
#define LIG_COPY_GAP_LOG2_MAX 28
/* A try passes after this many cheap decisions in a row (1 MiB); one slow decision fails
 * it and doubles the gap. (With one, costs near the line made every other try pass, and
 * the gap never grew: hundreds of switches a second.) */
#define LIG_COPY_PROBE_DECISIONS 8

/* Copies len bytes: non-temporal stores for the 64-byte lines of dst it covers whole,
 * cached ones for the rest. Such stores are weakly ordered: lig_copy_stream_fence before
 * publishing what was copied (a ring index). */
void lig_copy_stream(void *dst, const void *src, size_t len);

static inline void
lig_copy_stream_fence(void)
{
#if defined(__x86_64__)
	__builtin_ia32_sfence();
#endif
}

/* One copy destination's store choice (a tx ring's; its one writing thread owns it). Zero
 * is the start: cached. Shows read streaming, n_streamed and cost with relaxed loads. */
struct lig_copy_choice {
	uint64_t ticks;	    /* cached copies' TSC ticks since the last decision */
	uint32_t lines;	    /* and the 64-byte lines they wrote */
	uint32_t cost;	    /* the last decision's ticks per line (statistics) */
	uint64_t probe_at;  /* streaming: TSC from which cached stores are tried again */
	uint64_t n_streams; /* switches to streaming (statistics) */
	uint8_t streaming;
	uint8_t probing; /* cached stores tried again: decisions left before they pass */
	uint8_t gap_log2;
};

/* Which stores a destination's copies use: chosen, or fixed by configuration. */
enum lig_copy_stores {
	LIG_COPY_STORES_AUTO, /* lig_copy_choice */
	LIG_COPY_STORES_CACHED,
	LIG_COPY_STORES_STREAMING,
};

/* One burst's copies of LIG_COPY_STREAM_MIN bytes or more into one destination (a tx
 * ring's slots): the stores picked at its first such copy, timed while cached. Start it
 * as {.stores = ...}; lig_copy_burst_end before the copies are published. */
struct lig_copy_burst {
	uint64_t t0; /* TSC at the first such copy; 0 before */
	uint32_t lines;
	uint8_t stores; /* enum lig_copy_stores */
	bool stream;
};

/* Decides from the lines measured (copy.c). */
void lig_copy_choice_decide(struct lig_copy_choice *c, uint64_t now);

/* Before the first large copy of a burst, at TSC now: true to stream its copies. */
static inline bool
lig_copy_choice_stream(struct lig_copy_choice *c, uint64_t now)
{
	if (!c->streaming)
		return false;
	if (now < c->probe_at)
		return true;
	__atomic_store_n(&c->streaming, 0, __ATOMIC_RELAXED);
	c->probing = LIG_COPY_PROBE_DECISIONS;
	c->ticks = 0;
	c->lines = 0;
	return false;
}

/* After a burst copied with cached stores: ticks from its first large copy to its end,
 * the lines those copies wrote, the TSC now. */
static inline void
lig_copy_choice_account(struct lig_copy_choice *c, uint64_t ticks, uint32_t lines, uint64_t now)
{
	c->ticks += ticks;
	c->lines += lines;
	if (c->lines >= LIG_COPY_CHOICE_LINES)
		lig_copy_choice_decide(c, now);
}

/* Copies len >= LIG_COPY_STREAM_MIN bytes of burst b into the destination c chooses for. */
static inline void
lig_copy_burst_large(struct lig_copy_burst *b, struct lig_copy_choice *c, void *dst,
		     const void *src, size_t len)
{
	if (!b->t0) {
		b->t0 = lig_rdtsc();
		b->stream = b->stores == LIG_COPY_STORES_AUTO
				? lig_copy_choice_stream(c, b->t0)
				: b->stores == LIG_COPY_STORES_STREAMING;
	}
	if (b->stream) {
		lig_copy_stream(dst, src, len);
	} else {
		lig_copy(dst, src, len);
		b->lines += (uint32_t)(len / 64);
	}
}

/* After a burst's copies, before they are published: streamed stores fenced, or cached
 * ones accounted to the choice. */
static inline void
lig_copy_burst_end(struct lig_copy_burst *b, struct lig_copy_choice *c)
{
	if (!b->t0)
		return;
	if (b->stream) {
		lig_copy_stream_fence();
	} else if (b->stores == LIG_COPY_STORES_AUTO) {
		uint64_t now = lig_rdtsc();
		lig_copy_choice_account(c, now - b->t0, b->lines, now);
	}
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Basic types and fast-path helpers shared by every ligd module (the vppinfra role). */
#ifndef LIG_COMMON_H
#define LIG_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t i8;
typedef int16_t i16;
typedef int32_t i32;
typedef int64_t i64;

#define LIG_CACHE_LINE 64
#define lig_likely(x) __builtin_expect(!!(x), 1)
#define lig_unlikely(x) __builtin_expect(!!(x), 0)
#define lig_prefetch_load(p) __builtin_prefetch((p), 0, 3)
#define lig_prefetch_store(p) __builtin_prefetch((p), 1, 3)
#define LIG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define LIG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define LIG_MAX(a, b) ((a) > (b) ? (a) : (b))
#define LIG_ALIGNED(n) __attribute__((aligned(n)))
#define LIG_UNUSED __attribute__((unused))
#define LIG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define LIG_CONSTRUCTOR(prio) __attribute__((constructor(prio)))

#define LIG_INVALID_INDEX ((u32)~0u)

static inline u64
lig_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	u32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
#else
	u64 v;
	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#endif
}

/*
 * A counter that one thread adds to while others read it without stopping it (shows and
 * dumps run beside the workers): a relaxed load and store, the same plain moves as += on
 * x86, but neither torn nor kept in a register, and no data race for ThreadSanitizer.
 * Not an atomic add: only the owning thread may add.
 */
static inline void
lig_counter_add(u64 *c, u64 n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static inline u64
lig_counter_get(const u64 *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/*
 * Next-fit slot allocation over indices [1, n) (0 is reserved): the first index from
 * *cursor on, wrapping, that taken() says is free, with *cursor moved past it; or
 * LIG_INVALID_INDEX when all are taken. An index freed a moment ago is not handed out
 * again at once: packets still queued may name it (vlib/graph.h). *cursor starts at 1.
 */
static inline u32
lig_next_fit(u32 *cursor, u32 n, bool (*taken)(u32 i))
{
	for (u32 k = 0; k < n - 1; k++) {
		u32 i = 1 + (*cursor - 1 + k) % (n - 1);
		if (!taken(i)) {
			*cursor = i + 1 < n ? i + 1 : 1;
			return i;
		}
	}
	return LIG_INVALID_INDEX;
}

/* Monotonic time in nanoseconds, for control-plane timing (ages, timeouts). */
u64 lig_time_now_ns(void);
/* TSC ticks per second, measured once at start-up. */
double lig_tsc_hz(void);

static inline u16
lig_bswap16(u16 x)
{
	return __builtin_bswap16(x);
}

static inline u32
lig_bswap32(u32 x)
{
	return __builtin_bswap32(x);
}

#endif

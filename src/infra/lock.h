/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A spinlock for the few structures ligd's worker threads share (the buffer pool, a
 * device's one tx ring): held for a handful of instructions, never across a syscall that
 * may block, never taken per packet where a per-thread structure would do.
 */
#ifndef LIG_LOCK_H
#define LIG_LOCK_H

#include "lig_common.h"

static inline void
lig_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ volatile("yield");
#endif
}

struct lig_spinlock {
	u32 locked;
};

static inline void
lig_spinlock_lock(struct lig_spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			lig_cpu_relax();
}

static inline void
lig_spinlock_unlock(struct lig_spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif

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

#include <stddef.h>
#include <string.h>

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

#endif

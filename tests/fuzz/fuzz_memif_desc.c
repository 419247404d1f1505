/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for memif descriptor validation: the input fills a ring (as a hostile peer
 * would) and the region table; every chain lig_memif_chain_check accepts must lie inside
 * its regions, within the published slots, and its bytes are then actually read (ASan
 * catches any out-of-bounds access the checks let through). The same ring then goes
 * through lig_memif_zc_chain_check (a zero-copy slave's rx: lengths and flags only): every
 * chain it accepts stays within the filled slots, each length within the posted buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "memif/memif_proto.h"

#define LOG2 5
#define RING_SIZE (1u << LOG2)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t region_mem[3][8192];
	static uint8_t ring_mem[LIG_MEMIF_RING_HDR_SIZE + RING_SIZE * LIG_MEMIF_DESC_SIZE];
	struct lig_memif_ring *ring = (struct lig_memif_ring *)ring_mem;
	struct lig_memif_region_map regions[3];
	struct lig_memif_desc descs[16];
	volatile uint8_t sink = 0;

	if (size < 8)
		return 0;
	/* Header: region count, region sizes (each <= the backing array), start, avail,
	 * max length. */
	uint32_t n_regions = data[0] % 4;
	for (unsigned i = 0; i < 3; i++) {
		regions[i].base = region_mem[i];
		regions[i].size = ((uint32_t)data[1 + i] << 5) % (sizeof(region_mem[i]) + 1);
	}
	uint16_t cur = (uint16_t)(data[4] | data[5] << 8);
	uint16_t avail = data[6] % (RING_SIZE + 1);
	uint32_t max_len = 64u << (data[7] % 8);
	data += 8;
	size -= 8;
	memset(ring_mem, 0, sizeof(ring_mem));
	memcpy(ring->desc, data, size < RING_SIZE * 16 ? size : RING_SIZE * 16);

	uint16_t pos = cur, left = avail;
	while (left) {
		uint32_t total = 0, used = 0;
		int rv = lig_memif_chain_check(ring, RING_SIZE - 1, pos, left, regions, n_regions,
					       max_len, descs, 16, &total, &used);
		if (rv == LIG_MEMIF_CHAIN_TOO_LONG) {
			if (used == 0 || used > left)
				abort();
			pos = (uint16_t)(pos + used);
			left = (uint16_t)(left - used);
			continue;
		}
		if (rv < 0)
			break;
		if ((uint32_t)rv != used || used == 0 || used > left || used > 16)
			abort();
		uint32_t sum = 0;
		for (uint32_t i = 0; i < used; i++) {
			const struct lig_memif_desc *d = &descs[i];
			if (d->region >= n_regions || d->length > max_len ||
			    (uint64_t)d->offset + d->length > regions[d->region].size)
				abort();
			if ((i + 1 < used) != !!(d->flags & LIG_MEMIF_DESC_FLAG_NEXT))
				abort();
			/* Touch every byte the datapath would copy. */
			for (uint32_t k = 0; k < d->length; k++)
				sink ^= regions[d->region].base[d->offset + k];
			sum += d->length;
		}
		if (sum != total || total > LIG_MEMIF_MAX_PACKET)
			abort();
		pos = (uint16_t)(pos + used);
		left = (uint16_t)(left - used);
	}
	(void)sink;

	uint32_t lens[16];
	pos = cur, left = avail;
	while (left) {
		uint32_t total = 0;
		int rv = lig_memif_zc_chain_check(ring, RING_SIZE - 1, pos, left, max_len, lens, 16,
						  &total);
		if (rv < 0) {
			if (rv != LIG_MEMIF_DESC_TOO_LONG && rv != LIG_MEMIF_DESC_BAD_FLAGS &&
			    rv != LIG_MEMIF_CHAIN_TRUNCATED)
				abort();
			break;
		}
		uint32_t used = (uint32_t)rv, sum = 0;
		if (used == 0 || used > left || used > 16)
			abort();
		for (uint32_t i = 0; i < used; i++) {
			const struct lig_memif_desc *d =
			    &ring->desc[(uint16_t)(pos + i) & (RING_SIZE - 1)];
			if (lens[i] > max_len || lens[i] != d->length ||
			    (i + 1 < used) != !!(d->flags & LIG_MEMIF_DESC_FLAG_NEXT) ||
			    (d->flags & ~LIG_MEMIF_DESC_FLAG_NEXT))
				abort();
			sum += lens[i];
		}
		if (sum != total)
			abort();
		pos = (uint16_t)(pos + used);
		left = (uint16_t)(left - used);
	}
	return 0;
}

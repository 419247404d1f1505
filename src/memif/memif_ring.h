/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The descriptor-ring discipline of a connected memif, shared by ligd's memif-input and
 * memif-tx (node.c) and libligmemif's bursts (lib/memif/ligmemif.c): how many slots are
 * ready or free, how the slave re-posts its buffers, which buffer a tx slot uses, and
 * publishing with at most one wakeup. Header-only and on the connection types alone
 * (memif_conn.h), so the library builds without ligd. Packet copying, counters and what
 * to do about a misbehaving peer stay with the caller.
 *
 * Indexes are free-running u16: the producer (master rx: the slave's head; slave rx: the
 * master's tail) is never more than a ring ahead of the consumer. A distance above
 * q->size can only come from a peer that wrote a bad index; the callers drop the peer.
 */
#ifndef LIG_MEMIF_RING_H
#define LIG_MEMIF_RING_H

#include <string.h>
#include <unistd.h>

#include "memif_conn.h"

static inline bool
lig_memif_is_master(const struct lig_memif_conn *c)
{
	return c->cfg.role == LIG_MEMIF_ROLE_MASTER;
}

/* Masks (polling) or unmasks (wants interrupts) the peer's wakeups on a ring this side
 * receives on. Atomic, though only this side writes the flags: show memif reads them
 * beside the thread that polls the ring. */
static inline void
lig_memif_ring_mask_int(struct lig_memif_ring *ring, bool mask)
{
	uint16_t f = __atomic_load_n(&ring->flags, __ATOMIC_RELAXED);
	uint16_t want = mask ? (uint16_t)(f | LIG_MEMIF_RING_FLAG_MASK_INT)
			     : (uint16_t)(f & ~LIG_MEMIF_RING_FLAG_MASK_INT);

	if (want != f)
		__atomic_store_n(&ring->flags, want, __ATOMIC_RELAXED);
}

/* rx: slots the peer has filled from q->last on (more than q->size: bad peer index). */
static inline uint16_t
lig_memif_ring_rx_ready(const struct lig_memif_conn *c, const struct lig_memif_queue *q)
{
	const struct lig_memif_ring *ring = q->ring;

	return (
	    uint16_t)(lig_memif_load_acquire(lig_memif_is_master(c) ? &ring->head : &ring->tail) -
		      q->last);
}

/*
 * rx: gives the slots before cur back to the peer and makes cur the next slot to read.
 * The master moves tail. The slave refills: every slot it owns gets its own buffer again
 * (slot s uses region 0 at buf_offset + s * buffer_size, for the whole buffer_size) and
 * head moves past them. Returns 0, or -1 when the slave finds head more than a ring
 * ahead of cur (only the master can have written it): nothing is posted then.
 */
static inline int
lig_memif_ring_rx_release(const struct lig_memif_conn *c, struct lig_memif_queue *q, uint16_t cur)
{
	struct lig_memif_ring *ring = q->ring;

	if (lig_memif_is_master(c)) {
		lig_memif_store_release(&ring->tail, cur);
	} else {
		uint16_t head = ring->head, posted = (uint16_t)(head - cur);
		if (posted > q->size)
			return -1;
		for (uint16_t i = 0, n = (uint16_t)(q->size - posted); i < n; i++, head++) {
			uint16_t s = head & q->mask;
			struct lig_memif_desc *d = &ring->desc[s];
			d->flags = 0;
			d->region = 0;
			d->offset = q->buf_offset + (uint32_t)s * c->buffer_size;
			d->length = c->buffer_size;
		}
		lig_memif_store_release(&ring->head, head);
	}
	q->last = cur;
	return 0;
}

/*
 * A hint for the copy to come: prefetches the data of slot `slot` for reading (rx) or
 * writing (tx). The peer's descriptor is read unchecked, only to form the address; one
 * outside the regions is not prefetched, and the copy reads and checks the descriptor
 * again. The slot's line has to travel from the peer's core, so asking early pays.
 */
static inline void
lig_memif_ring_prefetch_data(const struct lig_memif_conn *c, const struct lig_memif_queue *q,
			     uint16_t slot, bool for_write)
{
	const struct lig_memif_desc *d = &q->ring->desc[slot & q->mask];
	uint16_t region = d->region;
	uint32_t offset = d->offset;

	if (region >= c->n_regions || offset >= c->regions[region].size)
		return;
	if (for_write)
		__builtin_prefetch(c->regions[region].base + offset, 1, 3);
	else
		__builtin_prefetch(c->regions[region].base + offset, 0, 3);
}

/* tx: slots this side may fill from q->last on: up to the slave's head for the master,
 * the ring minus what the master has not consumed for the slave (more than q->size: bad
 * peer index). */
static inline uint16_t
lig_memif_ring_tx_free(const struct lig_memif_conn *c, const struct lig_memif_queue *q)
{
	const struct lig_memif_ring *ring = q->ring;

	if (lig_memif_is_master(c))
		return (uint16_t)(lig_memif_load_acquire(&ring->head) - q->last);
	uint16_t used = (uint16_t)(q->last - lig_memif_load_acquire(&ring->tail));
	return used > q->size ? (uint16_t)(q->size + 1) : (uint16_t)(q->size - used);
}

/*
 * tx: the buffer behind free slot `slot`, into *d. The master uses the buffer the slave
 * posted, read once and checked against the regions (and not empty); the slave uses its
 * own and writes region and offset into the descriptor (the caller writes length and
 * flags as it copies). Returns 0, or a negative LIG_MEMIF_DESC_* code (master only: the
 * peer posted a bad descriptor).
 */
static inline int
lig_memif_ring_tx_slot(const struct lig_memif_conn *c, const struct lig_memif_queue *q,
		       uint16_t slot, struct lig_memif_desc *d)
{
	struct lig_memif_ring *ring = q->ring;
	uint16_t s = slot & q->mask;

	if (lig_memif_is_master(c)) {
		memcpy(d, (const void *)&ring->desc[s], sizeof(*d));
		int rv =
		    lig_memif_desc_check(d, c->regions, c->n_regions, LIG_MEMIF_MAX_BUFFER_SIZE);
		if (rv < 0)
			return rv;
		return d->length ? 0 : LIG_MEMIF_DESC_BAD_RANGE;
	}
	d->flags = 0;
	d->region = 0;
	d->offset = q->buf_offset + (uint32_t)s * c->buffer_size;
	d->length = c->buffer_size;
	ring->desc[s].region = 0;
	ring->desc[s].offset = d->offset;
	return 0;
}

/* tx: publishes the slots before `slot` (the master moves tail, the slave head), makes
 * slot the next to fill, and wakes a peer that asked for interrupts with one eventfd
 * write (counted in q->interrupts). Does nothing when slot is q->last. */
static inline void
lig_memif_ring_tx_publish(const struct lig_memif_conn *c, struct lig_memif_queue *q, uint16_t slot)
{
	struct lig_memif_ring *ring = q->ring;

	if (slot == q->last)
		return;
	lig_memif_store_release(lig_memif_is_master(c) ? &ring->tail : &ring->head, slot);
	q->last = slot;
	if (!(ring->flags & LIG_MEMIF_RING_FLAG_MASK_INT) && q->int_fd >= 0) {
		uint64_t one = 1;
		/* A failed write means a full eventfd counter: the peer has wakeups pending. */
		if (write(q->int_fd, &one, sizeof(one)) == sizeof(one)) /* shows read it */
			__atomic_store_n(&q->interrupts, q->interrupts + 1, __ATOMIC_RELAXED);
	}
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Split virtqueues, the driver's side (see vring.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "vring.h"

#define LIG_VRING_ALIGN 4096

static inline size_t
lig_vring_align(size_t n)
{
	return (n + LIG_VRING_ALIGN - 1) & ~(size_t)(LIG_VRING_ALIGN - 1);
}

static inline size_t
lig_vring_used_off(u16 size)
{
	return lig_vring_align((size_t)size * sizeof(struct lig_vring_desc) + 6 + 2u * size);
}

size_t
lig_vring_mem_size(u16 size)
{
	return lig_vring_align(lig_vring_used_off(size) + 6 + 8u * size);
}

/* The parts of the rings, as the virtio spec lays them out. */
static inline u16 *
lig_vring_avail_flags(struct lig_vring *vr)
{
	return &vr->avail[0];
}

static inline u16 *
lig_vring_avail_idx(struct lig_vring *vr)
{
	return &vr->avail[1];
}

static inline u16 *
lig_vring_avail_ring(struct lig_vring *vr)
{
	return &vr->avail[2];
}

static inline u16 *
lig_vring_used_event(struct lig_vring *vr)
{
	return &vr->avail[2 + vr->size];
}

static inline u16 *
lig_vring_used_flags(const struct lig_vring *vr)
{
	return (u16 *)vr->used;
}

static inline u16 *
lig_vring_used_idx(const struct lig_vring *vr)
{
	return (u16 *)(vr->used + 2);
}

static inline struct lig_vring_used_elem *
lig_vring_used_ring(const struct lig_vring *vr)
{
	return (struct lig_vring_used_elem *)(vr->used + 4);
}

static inline u16 *
lig_vring_avail_event(const struct lig_vring *vr)
{
	return (u16 *)(vr->used + 4 + 8u * vr->size);
}

int
lig_vring_init(struct lig_vring *vr, void *mem, u16 size, bool is_rx, bool event_idx)
{
	memset(vr, 0, sizeof(*vr));
	if (size == 0 || (size & (size - 1)) || size > 32768)
		return -EINVAL;
	vr->desc = mem;
	vr->avail = (u16 *)((u8 *)mem + (size_t)size * sizeof(struct lig_vring_desc));
	vr->used = (u8 *)mem + lig_vring_used_off(size);
	vr->size = size;
	vr->mask = (u16)(size - 1);
	vr->is_rx = is_rx;
	vr->event_idx = event_idx;
	vr->bufs = malloc(size * sizeof(u32));
	vr->n_desc = calloc(size, sizeof(u16));
	if (!vr->bufs || !vr->n_desc) {
		lig_vring_free(vr);
		return -ENOMEM;
	}
	for (u32 i = 0; i < size; i++) {
		vr->bufs[i] = LIG_INVALID_INDEX;
		vr->desc[i].next = (u16)((i + 1) & vr->mask);
	}
	vr->free_head = 0;
	vr->n_free = size;
	return 0;
}

void
lig_vring_free(struct lig_vring *vr)
{
	if (vr->bufs) {
		for (u32 i = 0; i < vr->size; i++)
			if (vr->bufs[i] != LIG_INVALID_INDEX)
				lig_buffer_free_one(vr->bufs[i]);
	}
	free(vr->bufs);
	free(vr->n_desc);
	vr->bufs = NULL;
	vr->n_desc = NULL;
}

static inline void
lig_vring_put_desc(struct lig_vring *vr, u16 first, u16 last, u16 n)
{
	vr->desc[last].next = vr->free_head;
	vr->free_head = first;
	vr->n_free = (u16)(vr->n_free + n);
}

bool
lig_vring_publish(struct lig_vring *vr)
{
	u16 old = vr->kicked_idx, new = vr->avail_idx;
	bool kick;

	if (old == new)
		return false;
	__atomic_store_n(lig_vring_avail_idx(vr), new, __ATOMIC_RELEASE);
	vr->kicked_idx = new;
	/* The new index must be visible before we read whether the device sleeps. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vr->event_idx) {
		u16 ev = __atomic_load_n(lig_vring_avail_event(vr), __ATOMIC_ACQUIRE);
		kick = (u16)(new - ev - 1) < (u16)(new - old);
	} else {
		kick = !(__atomic_load_n(lig_vring_used_flags(vr), __ATOMIC_ACQUIRE) &
			 LIG_VRING_USED_F_NO_NOTIFY);
	}
	if (kick)
		lig_counter_add(&vr->st.kicks, 1);
	else
		lig_counter_add(&vr->st.kicks_saved, 1);
	return kick;
}

u32
lig_vring_rx_refill(struct lig_vring *vr)
{
	u32 bis[256], want = LIG_MIN((u32)vr->n_free, (u32)LIG_ARRAY_LEN(bis));
	u32 got = want ? lig_buffer_alloc(bis, want) : 0;
	u16 *ring = lig_vring_avail_ring(vr);

	if (got < want)
		lig_counter_add(&vr->st.no_buffers, 1);
	for (u32 i = 0; i < got; i++) {
		u16 d = vr->free_head;
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		vr->free_head = vr->desc[d].next & vr->mask;
		vr->n_free--;
		/* The device writes the header into the headroom, the frame from data[0]. */
		vr->desc[d].addr = (u64)(uintptr_t)lig_buffer_at(b, -LIG_VRING_HDR_SIZE);
		vr->desc[d].len = LIG_VRING_HDR_SIZE + lig_buffer_data_size();
		vr->desc[d].flags = LIG_VRING_DESC_F_WRITE;
		vr->bufs[d] = bis[i];
		ring[vr->avail_idx & vr->mask] = d;
		vr->avail_idx++;
	}
	return got;
}

/* Takes rx descriptor id back; returns its buffer, or LIG_INVALID_INDEX if id is not one
 * we posted. */
static inline u32
lig_vring_rx_take(struct lig_vring *vr, u32 id)
{
	if (id >= vr->size || vr->bufs[id] == LIG_INVALID_INDEX)
		return LIG_INVALID_INDEX;
	u32 bi = vr->bufs[id];
	vr->bufs[id] = LIG_INVALID_INDEX;
	lig_vring_put_desc(vr, (u16)id, (u16)id, 1);
	return bi;
}

bool
lig_vring_has_used(const struct lig_vring *vr)
{
	return __atomic_load_n(lig_vring_used_idx(vr), __ATOMIC_ACQUIRE) != vr->last_used_idx;
}

u32
lig_vring_rx_next(struct lig_vring *vr, struct lig_vnet_hdr *hdr, u32 *len)
{
	const struct lig_vring_used_elem *ring = lig_vring_used_ring(vr);

	for (;;) {
		u16 used = __atomic_load_n(lig_vring_used_idx(vr), __ATOMIC_ACQUIRE);
		u16 n_ready = (u16)(used - vr->last_used_idx);
		if (n_ready == 0)
			return LIG_INVALID_INDEX;
		if (n_ready > vr->size) {
			/* An index no device can reach: nothing in the ring can be trusted. */
			lig_counter_add(&vr->st.bad_used, 1);
			vr->last_used_idx = used;
			return LIG_INVALID_INDEX;
		}
		struct lig_vring_used_elem e = ring[vr->last_used_idx & vr->mask];
		u32 bi = lig_vring_rx_take(vr, e.id);
		if (bi == LIG_INVALID_INDEX || e.len < LIG_VRING_HDR_SIZE + 1 ||
		    e.len > LIG_VRING_HDR_SIZE + lig_buffer_data_size()) {
			if (bi != LIG_INVALID_INDEX)
				lig_buffer_free_one(bi);
			lig_counter_add(&vr->st.bad_used, 1);
			vr->last_used_idx++;
			continue;
		}
		struct lig_buffer *b = lig_buffer_get(bi);
		struct lig_vnet_hdr_v1 h;
		memcpy(&h, lig_buffer_at(b, -LIG_VRING_HDR_SIZE), sizeof(h));
		u32 nb = le16toh(h.num_buffers);
		if (nb == 0 || nb > LIG_VRING_MAX_BUFFERS || nb > n_ready) {
			/* A correct device publishes a frame's elements together. */
			lig_buffer_free_one(bi);
			lig_counter_add(&vr->st.bad_used, 1);
			vr->last_used_idx++;
			continue;
		}
		vr->last_used_idx++;
		b->current_data = 0;
		b->current_length = (u16)(e.len - LIG_VRING_HDR_SIZE);
		u32 total = b->current_length;
		bool bad = false;
		struct lig_buffer *prev = b;
		for (u32 k = 1; k < nb; k++) {
			e = ring[vr->last_used_idx & vr->mask];
			vr->last_used_idx++;
			u32 ci = lig_vring_rx_take(vr, e.id);
			if (ci == LIG_INVALID_INDEX || e.len == 0 ||
			    e.len > LIG_VRING_HDR_SIZE + lig_buffer_data_size()) {
				bad = true;
				if (ci != LIG_INVALID_INDEX)
					lig_buffer_free_one(ci);
				continue;
			}
			struct lig_buffer *c = lig_buffer_get(ci);
			/* Follow-on buffers are written from their descriptor's start. */
			c->current_data = -LIG_VRING_HDR_SIZE;
			c->current_length = (u16)e.len;
			total += e.len;
			prev->flags |= LIG_BUFFER_NEXT_PRESENT;
			prev->next_buffer = ci;
			prev = c;
		}
		if (nb > 1)
			b->total_length_not_including_first_buffer = total - b->current_length;
		if (bad) {
			lig_buffer_free_one(bi);
			lig_counter_add(&vr->st.bad_used, 1);
			continue;
		}
		*hdr = h.hdr;
		*len = total;
		lig_counter_add(&vr->st.frames, 1);
		return bi;
	}
}

int
lig_vring_tx_add(struct lig_vring *vr, u32 bi, const struct lig_vnet_hdr *hdr)
{
	struct lig_buffer *b = lig_buffer_get(bi), *c = b;
	u16 *ring = lig_vring_avail_ring(vr);
	u32 n = 1;

	while (c->flags & LIG_BUFFER_NEXT_PRESENT) {
		if (++n > LIG_VRING_TX_MAX_BUFFERS)
			return -EINVAL;
		c = lig_buffer_get(c->next_buffer);
	}
	if (b->current_data - LIG_VRING_HDR_SIZE < -LIG_BUFFER_PRE_DATA_SIZE)
		return -EINVAL;
	if (n > vr->n_free) {
		lig_counter_add(&vr->st.full, 1);
		return -ENOSPC;
	}
	struct lig_vnet_hdr_v1 h = {.hdr = *hdr, .num_buffers = 0};
	memcpy(lig_buffer_at(b, b->current_data - LIG_VRING_HDR_SIZE), &h, sizeof(h));
	u16 head = vr->free_head, d = head;
	c = b;
	for (u32 k = 0; k < n; k++) {
		struct lig_vring_desc *dp = &vr->desc[d];
		if (k == 0) {
			dp->addr =
			    (u64)(uintptr_t)lig_buffer_at(c, c->current_data - LIG_VRING_HDR_SIZE);
			dp->len = (u32)c->current_length + LIG_VRING_HDR_SIZE;
		} else {
			dp->addr = (u64)(uintptr_t)lig_buffer_data(c);
			dp->len = c->current_length;
		}
		if (k + 1 < n) {
			/* The free list is chained through next: the chain follows it. */
			dp->flags = LIG_VRING_DESC_F_NEXT;
			d = dp->next & vr->mask;
			c = lig_buffer_get(c->next_buffer);
		} else {
			dp->flags = 0;
			vr->free_head = dp->next & vr->mask;
		}
	}
	vr->n_free = (u16)(vr->n_free - n);
	vr->bufs[head] = bi;
	vr->n_desc[head] = (u16)n;
	ring[vr->avail_idx & vr->mask] = head;
	vr->avail_idx++;
	return 0;
}

u32
lig_vring_tx_reclaim(struct lig_vring *vr)
{
	const struct lig_vring_used_elem *ring = lig_vring_used_ring(vr);
	u16 used = __atomic_load_n(lig_vring_used_idx(vr), __ATOMIC_ACQUIRE);
	u32 n = 0;

	if ((u16)(used - vr->last_used_idx) > vr->size) {
		lig_counter_add(&vr->st.bad_used, 1);
		vr->last_used_idx = used;
		return 0;
	}
	while (vr->last_used_idx != used) {
		u32 id = ring[vr->last_used_idx & vr->mask].id;
		vr->last_used_idx++;
		if (id >= vr->size || vr->bufs[id] == LIG_INVALID_INDEX || !vr->n_desc[id]) {
			lig_counter_add(&vr->st.bad_used, 1);
			continue;
		}
		u16 last = (u16)id;
		for (u32 k = 1; k < vr->n_desc[id]; k++)
			last = vr->desc[last].next & vr->mask;
		lig_buffer_free_one(vr->bufs[id]);
		vr->bufs[id] = LIG_INVALID_INDEX;
		lig_vring_put_desc(vr, (u16)id, last, vr->n_desc[id]);
		vr->n_desc[id] = 0;
		lig_counter_add(&vr->st.frames, 1);
		n++;
	}
	return n;
}

void
lig_vring_want_interrupt(struct lig_vring *vr, bool want)
{
	if (vr->event_idx)
		__atomic_store_n(lig_vring_used_event(vr),
				 (u16)(want ? vr->last_used_idx : vr->last_used_idx - 1),
				 __ATOMIC_RELEASE);
	else
		__atomic_store_n(lig_vring_avail_flags(vr),
				 (u16)(want ? 0 : LIG_VRING_AVAIL_F_NO_INTERRUPT),
				 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

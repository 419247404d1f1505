/* SPDX-License-Identifier: Apache-2.0 */
/* The buffer pool: allocation, chain freeing, copies and clones (see buffer.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buffer.h"
#include "thread.h"

struct lig_buffer_pool lig_buffer_pool = {.fd = -1};
_Thread_local struct lig_buffer_cache lig_buffer_cache;

static inline void
lig_buffer_pool_lock(void)
{
	lig_spinlock_lock(&lig_buffer_pool.lock);
}

static inline void
lig_buffer_pool_unlock(void)
{
	lig_spinlock_unlock(&lig_buffer_pool.lock);
}

int
lig_buffer_pool_init(u32 n_buffers)
{
	return lig_buffer_pool_init_sized(n_buffers, LIG_BUFFER_DEFAULT_DATA_SIZE);
}

int
lig_buffer_pool_init_sized(u32 n_buffers, u32 data_size)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;
	u32 stride = (u32)sizeof(struct lig_buffer) + data_size;
	size_t size = (size_t)n_buffers * stride;

	if (n_buffers < 64 || n_buffers > (1u << 22) || !lig_buffer_data_size_valid(data_size))
		return -EINVAL;
	p->data_size = data_size;
	p->stride = stride;
	p->stride_shift = (u32)__builtin_ctz(stride);
	/* Newton's iteration for the inverse of the odd part modulo 2^32: x = odd is right in
	 * the low 3 bits, and each step doubles the right bits (3, 6, 12, 24, 48). */
	u32 odd = stride >> p->stride_shift, inv = odd;
	for (int i = 0; i < 4; i++)
		inv *= 2 - odd * inv;
	p->stride_inv = inv;
	/* A sealed memfd, shared mapping: the same memory a zero-copy memif exports to its
	 * peer (memif.h); sealed against shrinking and growing so that no one can truncate it
	 * under a mapping. Without memfds, anonymous memory (and no zero-copy). mmap gives
	 * page alignment; MAP_POPULATE takes the page faults now rather than on the first
	 * packets. */
	p->fd = memfd_create("ligd buffers", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (p->fd >= 0 && (ftruncate(p->fd, (off_t)size) < 0 ||
			   fcntl(p->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)) {
		close(p->fd);
		p->fd = -1;
	}
	p->base = p->fd >= 0 ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
				    p->fd, 0)
			     : MAP_FAILED;
	if (p->base == MAP_FAILED) {
		if (p->fd >= 0)
			close(p->fd);
		p->fd = -1;
		p->base = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	}
	if (p->base == MAP_FAILED) {
		p->base = NULL;
		return -ENOMEM;
	}
	p->size = size;
	p->free_list = malloc(n_buffers * sizeof(u32));
	if (!p->free_list) {
		munmap(p->base, size);
		if (p->fd >= 0)
			close(p->fd);
		p->fd = -1;
		p->base = NULL;
		return -ENOMEM;
	}
	p->n_buffers = n_buffers;
	/* Lowest indices on top of the stack: a light load stays in few cache lines. */
	for (u32 i = 0; i < n_buffers; i++)
		p->free_list[i] = n_buffers - 1 - i;
	p->n_free = n_buffers;
	p->alloc_failures = 0;
	return 0;
}

void
lig_buffer_pool_free(void)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;

	if (p->base)
		munmap(p->base, p->size);
	if (p->fd >= 0)
		close(p->fd);
	free(p->free_list);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

int
lig_buffer_cache_enable(void)
{
	lig_buffer_cache.n = 0;
	lig_buffer_cache.enabled = 1;
	return 0;
}

/* Moves up to n indices from the pool's stack to out[] (under the lock). */
static u32
lig_buffer_pool_take(u32 *out, u32 n)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;

	lig_buffer_pool_lock();
	n = LIG_MIN(n, p->n_free);
	p->n_free -= n;
	memcpy(out, p->free_list + p->n_free, n * sizeof(u32));
	lig_buffer_pool_unlock();
	return n;
}

u32
lig_buffer_cache_alloc_slow(u32 *out, u32 n)
{
	struct lig_buffer_cache *c = &lig_buffer_cache;
	u32 got;

	if (n > LIG_BUFFER_CACHE_SIZE - LIG_BUFFER_CACHE_BATCH) {
		/* A driver's bulk refill: the cache's own buffers first (hot), the rest
		 * straight from the pool. */
		got = c->n;
		c->n = 0;
		memcpy(out, c->bis, got * sizeof(u32));
		got += lig_buffer_pool_take(out + got, n - got);
	} else {
		c->n += lig_buffer_pool_take(c->bis + c->n, n - c->n + LIG_BUFFER_CACHE_BATCH);
		got = LIG_MIN(n, c->n);
		c->n -= got;
		memcpy(out, c->bis + c->n, got * sizeof(u32));
	}
	c->alloc_failures += n - got;
	return got;
}

/* A worker's cache is full: the oldest half (the bottom of the stack) goes back. */
static void
lig_buffer_cache_spill(struct lig_buffer_cache *c)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;
	u32 k = LIG_BUFFER_CACHE_SIZE / 2;

	lig_buffer_pool_lock();
	memcpy(p->free_list + p->n_free, c->bis, k * sizeof(u32));
	p->n_free += k;
	lig_buffer_pool_unlock();
	memmove(c->bis, c->bis + k, (c->n - k) * sizeof(u32));
	c->n -= k;
}

void
lig_buffer_free(const u32 *bis, u32 n)
{
	struct lig_buffer_pool *p = &lig_buffer_pool;
	struct lig_buffer_cache *c = &lig_buffer_cache;
	bool lock = !c->enabled && p->main_locks;

	if (lock)
		lig_buffer_pool_lock();
	for (u32 i = 0; i < n; i++) {
		u32 bi = bis[i];
		/* A tx node frees its burst after sending it: the headers have left L1. */
		if (i + 4 < n)
			lig_prefetch_store(lig_buffer_get(bis[i + 4]));
		for (;;) {
			struct lig_buffer *b = lig_buffer_get(bi);
			/* A shared buffer owns the rest of its chain: the last owner frees it. */
			if (--b->ref_count > 0)
				break;
			if (c->enabled) {
				if (lig_unlikely(c->n == LIG_BUFFER_CACHE_SIZE))
					lig_buffer_cache_spill(c);
				c->bis[c->n++] = bi;
			} else {
				p->free_list[p->n_free++] = bi;
			}
			if (!(b->flags & LIG_BUFFER_NEXT_PRESENT))
				break;
			bi = b->next_buffer;
		}
	}
	if (lock)
		lig_buffer_pool_unlock();
}

u32
lig_buffer_n_free(void)
{
	u32 n = lig_buffer_pool.n_free;

	for (u32 t = 1; t < lig_n_threads; t++)
		if (lig_threads[t].bcache)
			n += lig_threads[t].bcache->n;
	return n;
}

u64
lig_buffer_alloc_failures(void)
{
	u64 n = lig_buffer_pool.alloc_failures;

	for (u32 t = 1; t < lig_n_threads; t++)
		if (lig_threads[t].bcache)
			n += lig_threads[t].bcache->alloc_failures;
	return n;
}

u32
lig_buffer_copy_out(u32 bi, u32 offset, void *dst, u32 size)
{
	u8 *out = dst;
	u32 copied = 0;

	for (;;) {
		struct lig_buffer *b = lig_buffer_get(bi);
		if (offset < b->current_length) {
			u32 n = LIG_MIN(size - copied, b->current_length - offset);
			memcpy(out + copied, lig_buffer_data(b) + offset, n);
			copied += n;
			offset = 0;
		} else {
			offset -= b->current_length;
		}
		if (copied == size || !(b->flags & LIG_BUFFER_NEXT_PRESENT))
			return copied;
		bi = b->next_buffer;
	}
}

u32
lig_buffer_from_bytes(const void *src, u32 len)
{
	u32 data_size = lig_buffer_data_size();
	u32 n_bufs = lig_buffer_n_for(len);
	u32 bis[64], got;
	const u8 *in = src;
	u32 left = len;

	if (n_bufs > LIG_ARRAY_LEN(bis))
		return LIG_INVALID_INDEX;
	got = lig_buffer_alloc(bis, n_bufs);
	if (got != n_bufs) {
		lig_buffer_free(bis, got);
		return LIG_INVALID_INDEX;
	}
	for (u32 i = 0; i < n_bufs; i++) {
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		u32 n = LIG_MIN(left, data_size);
		memcpy(b->data, in, n);
		b->current_length = (u16)n;
		in += n;
		left -= n;
		if (i + 1 < n_bufs) {
			b->flags |= LIG_BUFFER_NEXT_PRESENT;
			b->next_buffer = bis[i + 1];
		}
	}
	struct lig_buffer *head = lig_buffer_get(bis[0]);
	head->total_length_not_including_first_buffer = len - head->current_length;
	return bis[0];
}

/* Copies a whole packet into a new chain with the same metadata. */
static u32
lig_buffer_copy(u32 bi)
{
	struct lig_buffer *src = lig_buffer_get(bi);
	u32 len = lig_buffer_length_in_chain(src);
	u32 ci;

	if (!(src->flags & LIG_BUFFER_NEXT_PRESENT)) {
		if (lig_buffer_alloc(&ci, 1) != 1)
			return LIG_INVALID_INDEX;
		struct lig_buffer *dst = lig_buffer_get(ci);
		memcpy(dst, src, offsetof(struct lig_buffer, pre_data));
		dst->ref_count = 1;
		memcpy(lig_buffer_data(dst), lig_buffer_data(src), src->current_length);
		return ci;
	}
	/* Chain to chain, up to a 64 KB GSO super-frame and its headers. */
	u32 data_size = lig_buffer_data_size();
	u32 bis[64], n_bufs = lig_buffer_n_for(len);
	if (n_bufs > LIG_ARRAY_LEN(bis))
		return LIG_INVALID_INDEX;
	u32 got = lig_buffer_alloc(bis, n_bufs);
	if (got != n_bufs) {
		lig_buffer_free(bis, got);
		return LIG_INVALID_INDEX;
	}
	for (u32 i = 0, off = 0; i < n_bufs; i++) {
		struct lig_buffer *c = lig_buffer_get(bis[i]);
		c->current_length =
		    (u16)lig_buffer_copy_out(bi, off, c->data, LIG_MIN(len - off, data_size));
		off += c->current_length;
		if (i + 1 < n_bufs) {
			c->flags |= LIG_BUFFER_NEXT_PRESENT;
			c->next_buffer = bis[i + 1];
		}
	}
	ci = bis[0];
	struct lig_buffer *dst = lig_buffer_get(ci);
	u32 next = dst->next_buffer;
	u16 cl = dst->current_length;
	/* All metadata (opaque2 too, as for a single buffer), then what differs: the
	 * copy's layout, and header offsets (relative to data[]) moved with the data,
	 * which now starts at data[0] instead of src->current_data. */
	i16 delta = (i16)-src->current_data;
	memcpy(dst, src, offsetof(struct lig_buffer, pre_data));
	dst->flags =
	    (src->flags & ~LIG_BUFFER_NEXT_PRESENT) | (n_bufs > 1 ? LIG_BUFFER_NEXT_PRESENT : 0);
	dst->total_length_not_including_first_buffer = len - cl;
	dst->next_buffer = next;
	dst->current_length = cl;
	dst->current_data = 0;
	dst->ref_count = 1;
	dst->l2_hdr_offset = (i16)(dst->l2_hdr_offset + delta);
	dst->l3_hdr_offset = (i16)(dst->l3_hdr_offset + delta);
	dst->csum_start = (u16)(dst->csum_start + delta);
	return ci;
}

u32
lig_buffer_clone(u32 bi, u32 *clones, u32 n_clones, u16 head_size)
{
	struct lig_buffer *src = lig_buffer_get(bi);
	u32 n = 0;

	if (n_clones == 0) {
		lig_buffer_free_one(bi);
		return 0;
	}
	if (n_clones == 1) {
		clones[0] = bi;
		return 1;
	}
	/* Copying a small packet costs less than a head plus a shared tail. */
	if (lig_buffer_length_in_chain(src) <= 2u * head_size || src->current_length <= head_size ||
	    src->ref_count > 1) {
		for (n = 0; n + 1 < n_clones; n++) {
			clones[n] = lig_buffer_copy(bi);
			if (clones[n] == LIG_INVALID_INDEX)
				break;
		}
		clones[n++] = bi;
		return n;
	}
	u32 got = lig_buffer_alloc(clones, n_clones);
	if (got != n_clones) {
		lig_buffer_free(clones, got);
		lig_buffer_free_one(bi);
		return 0;
	}
	for (n = 0; n < n_clones; n++) {
		struct lig_buffer *h = lig_buffer_get(clones[n]);
		memcpy(h, src, offsetof(struct lig_buffer, opaque2));
		h->ref_count = 1;
		h->current_length = head_size;
		memcpy(lig_buffer_data(h), lig_buffer_data(src), head_size);
		h->flags |= LIG_BUFFER_NEXT_PRESENT;
		h->next_buffer = bi;
		h->total_length_not_including_first_buffer =
		    lig_buffer_length_in_chain(src) - head_size;
	}
	lig_buffer_advance(src, head_size);
	src->flags &= ~LIG_BUFFER_TRACED;
	src->ref_count = (u16)n_clones;
	return n_clones;
}

/* Adds len bytes at p to a one's-complement sum; *odd says the stream so far had an odd
 * length (the next byte is then the low half of a 16-bit word). */
static u64
lig_csum_add(u64 sum, const u8 *p, u32 len, bool *odd)
{
	u32 i = 0;

	if (len && *odd) {
		sum += p[0];
		i = 1;
	}
	for (; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (i < len)
		sum += (u32)p[i] << 8;
	*odd ^= len & 1;
	return sum;
}

int
lig_buffer_csum_finish(struct lig_buffer *b)
{
	i32 start = b->csum_start, data = b->current_data;
	i32 end = data + b->current_length;
	u64 sum = 0;
	bool odd = false;

	if (!(b->flags & LIG_BUFFER_CSUM_PARTIAL))
		return 0;
	b->flags &= ~LIG_BUFFER_CSUM_PARTIAL;
	/* The summed range starts inside the packet and the field lies in the head
	 * buffer (hostile or stale offsets must not read or write outside it). */
	if (start < data || start + (i32)b->csum_offset + 2 > end)
		return -EINVAL;
	sum = lig_csum_add(sum, lig_buffer_at(b, start), (u32)(end - start), &odd);
	for (struct lig_buffer *t = b; t->flags & LIG_BUFFER_NEXT_PRESENT;) {
		t = lig_buffer_get(t->next_buffer);
		sum = lig_csum_add(sum, lig_buffer_data(t), t->current_length, &odd);
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	u16 csum = (u16)~sum;
	u8 *field = lig_buffer_at(b, start + b->csum_offset);
	field[0] = (u8)(csum >> 8);
	field[1] = (u8)csum;
	return 0;
}

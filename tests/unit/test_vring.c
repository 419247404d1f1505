/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the split virtqueues a vhost-net tap uses (src/tap/vring.c), against a
 * device emulated here as the kernel's vhost-net would act (virtio 1.x, 2.7): it reads
 * tx descriptor chains and hands them back used, fills posted rx buffers with frames
 * spread over num_buffers (MRG_RXBUF), publishes used elements and asks for kicks
 * through avail_event (EVENT_IDX) or NO_NOTIFY. Checked: frames cross intact in both
 * directions, chains and super-frames, kicks happen only when the device asks,
 * interrupts are asked for, a hostile device's used elements (unknown ids, lengths,
 * num_buffers, an impossible used index) are counted and dropped, and no buffer leaks.
 * (The ioctl set-up in vhost.c needs /dev/vhost-net, which this project's kernels lack.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tap/vring.h"

#define QSIZE 64

static int
setup(void **state)
{
	(void)state;
	return lig_buffer_pool_init(4096);
}

static int
teardown(void **state)
{
	(void)state;
	lig_buffer_pool_free();
	return 0;
}

/* ---- The emulated device ---- */

struct dev {
	struct lig_vring *vr;
	u16 last_avail; /* next avail entry the device reads */
	u16 used_idx;	/* the device's used index */
};

static u16 *
avail_idx(struct lig_vring *vr)
{
	return &vr->avail[1];
}

static u16 *
avail_ring(struct lig_vring *vr)
{
	return &vr->avail[2];
}

static u16 *
used_idx(struct lig_vring *vr)
{
	return (u16 *)(vr->used + 2);
}

static struct lig_vring_used_elem *
used_ring(struct lig_vring *vr)
{
	return (struct lig_vring_used_elem *)(vr->used + 4);
}

static u16 *
avail_event(struct lig_vring *vr)
{
	return (u16 *)(vr->used + 4 + 8u * vr->size);
}

static u16 *
used_event(struct lig_vring *vr)
{
	return &vr->avail[2 + vr->size];
}

static void
dev_publish(struct dev *d)
{
	*used_idx(d->vr) = d->used_idx;
}

/* Takes the next tx chain: copies its bytes (header first) into out; returns its length,
 * or 0 if none. Marks it used. */
static u32
dev_tx_one(struct dev *d, u8 *out, u32 size)
{
	struct lig_vring *vr = d->vr;
	if (*avail_idx(vr) == d->last_avail)
		return 0;
	u16 head = avail_ring(vr)[d->last_avail++ & vr->mask], i = head;
	u32 n = 0;
	for (;;) {
		struct lig_vring_desc *ds = &vr->desc[i];
		assert_false(ds->flags & LIG_VRING_DESC_F_WRITE);
		assert_true(n + ds->len <= size);
		memcpy(out + n, (const void *)(uintptr_t)ds->addr, ds->len);
		n += ds->len;
		if (!(ds->flags & LIG_VRING_DESC_F_NEXT))
			break;
		i = ds->next;
	}
	used_ring(vr)[d->used_idx & vr->mask] = (struct lig_vring_used_elem){head, n};
	d->used_idx++;
	return n;
}

/* Writes frame (with a v1 header) into as many posted rx buffers as it needs; returns the
 * number used, 0 if there were not enough. Does not publish. */
static u32
dev_rx_one(struct dev *d, const struct lig_vnet_hdr *h, const u8 *frame, u32 len)
{
	struct lig_vring *vr = d->vr;
	u32 total = LIG_VRING_HDR_SIZE + len, off = 0, nb = 0;
	u16 avail = (u16)(*avail_idx(vr) - d->last_avail);
	u8 tmp[LIG_VRING_HDR_SIZE + 70000];
	struct lig_vnet_hdr_v1 v1 = {.hdr = *h};

	memcpy(tmp + LIG_VRING_HDR_SIZE, frame, len);
	while (off < total) {
		if (nb == avail)
			return 0;
		u16 id = avail_ring(vr)[(d->last_avail + nb) & vr->mask];
		struct lig_vring_desc *ds = &vr->desc[id];
		assert_true(ds->flags & LIG_VRING_DESC_F_WRITE);
		u32 k = LIG_MIN(ds->len, total - off);
		used_ring(vr)[(d->used_idx + nb) & vr->mask] = (struct lig_vring_used_elem){id, k};
		off += k;
		nb++;
	}
	v1.num_buffers = (u16)nb;
	memcpy(tmp, &v1, sizeof(v1));
	off = 0;
	for (u32 k = 0; k < nb; k++) {
		struct lig_vring_used_elem *e = &used_ring(vr)[(d->used_idx + k) & vr->mask];
		memcpy((void *)(uintptr_t)vr->desc[e->id].addr, tmp + off, e->len);
		off += e->len;
	}
	d->last_avail = (u16)(d->last_avail + nb);
	d->used_idx = (u16)(d->used_idx + nb);
	return nb;
}

static void *
ring_mem(void)
{
	size_t size = lig_vring_mem_size(QSIZE);
	void *m = aligned_alloc(4096, size);
	assert_non_null(m);
	memset(m, 0, size);
	return m;
}

static u32
make_packet(u32 len, u8 seed)
{
	static u8 buf[2048 * 48];
	for (u32 i = 0; i < len; i++)
		buf[i] = (u8)(seed + i * 13);
	u32 bi = lig_buffer_from_bytes(buf, len);
	assert_int_not_equal(bi, LIG_INVALID_INDEX);
	return bi;
}

/* ---- Tests ---- */

static void
test_tx(void **state)
{
	(void)state;
	struct lig_vring vr;
	void *mem = ring_mem();
	u32 n_free0 = lig_buffer_pool.n_free;
	assert_int_equal(lig_vring_init(&vr, mem, QSIZE, false, true), 0);
	struct dev d = {.vr = &vr};
	static u8 out[LIG_VRING_HDR_SIZE + 70000];

	/* A small frame, then a 60 KB super-frame chained over 30 buffers. */
	u32 b0 = make_packet(60, 1), b1 = make_packet(60000, 2);
	struct lig_vnet_hdr h0 = {0}, h1 = {.flags = 1, .gso_type = 1, .gso_size = 1448};
	assert_int_equal(lig_vring_tx_add(&vr, b0, &h0), 0);
	assert_int_equal(lig_vring_tx_add(&vr, b1, &h1), 0);
	assert_int_equal(vr.n_free, QSIZE - 1 - 30);
	/* The device asked to hear about entry 0 (avail_event 0): one kick. */
	*avail_event(&vr) = 0;
	assert_true(lig_vring_publish(&vr));
	assert_int_equal(dev_tx_one(&d, out, sizeof(out)), LIG_VRING_HDR_SIZE + 60);
	assert_memory_equal(out, &h0, sizeof(h0));
	u8 want[60000];
	lig_buffer_copy_out(b0, 0, want, 60);
	assert_memory_equal(out + LIG_VRING_HDR_SIZE, want, 60);
	assert_int_equal(dev_tx_one(&d, out, sizeof(out)), LIG_VRING_HDR_SIZE + 60000);
	assert_memory_equal(out, &h1, sizeof(h1));
	lig_buffer_copy_out(b1, 0, want, 60000);
	assert_memory_equal(out + LIG_VRING_HDR_SIZE, want, 60000);
	/* The device now waits for entry 10: publishing 2 more does not reach it. */
	*avail_event(&vr) = 10;
	assert_int_equal(lig_vring_tx_add(&vr, make_packet(100, 3), &h0), 0);
	assert_false(lig_vring_publish(&vr));
	assert_int_equal(vr.st.kicks, 1);
	assert_int_equal(vr.st.kicks_saved, 1);
	/* Nothing to publish: no kick. */
	assert_false(lig_vring_publish(&vr));
	/* The device returns the first two; reclaim frees them and their descriptors. */
	dev_publish(&d);
	assert_int_equal(lig_vring_tx_reclaim(&vr), 2);
	assert_int_equal(vr.n_free, QSIZE - 1);
	/* A full ring refuses, the caller keeps the packet. */
	u32 big = make_packet(2048 * 41, 4);
	assert_int_equal(lig_vring_tx_add(&vr, big, &h0), -EINVAL); /* 41 buffers: too long */
	lig_buffer_free_one(big);
	u32 held[QSIZE];
	u32 n_held = 0;
	while (n_held < QSIZE) {
		held[n_held] = make_packet(4000, 5); /* 2 buffers each */
		if (lig_vring_tx_add(&vr, held[n_held], &h0) < 0)
			break;
		n_held++;
	}
	assert_int_equal(n_held, (QSIZE - 1) / 2);
	assert_int_equal(vr.st.full, 1);
	lig_buffer_free_one(held[n_held]);
	lig_vring_free(&vr); /* frees what the ring still holds */
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
	free(mem);
}

static void
test_rx(void **state)
{
	(void)state;
	struct lig_vring vr;
	void *mem = ring_mem();
	u32 n_free0 = lig_buffer_pool.n_free;
	assert_int_equal(lig_vring_init(&vr, mem, QSIZE, true, true), 0);
	struct dev d = {.vr = &vr};
	static u8 frame[65000];
	struct lig_vnet_hdr h = {.flags = 1, .csum_start = 34, .csum_offset = 16}, got;
	u32 len;

	assert_int_equal(lig_vring_rx_refill(&vr), QSIZE);
	*avail_event(&vr) = 0;
	assert_true(lig_vring_publish(&vr));
	for (u32 i = 0; i < sizeof(frame); i++)
		frame[i] = (u8)(i * 7);
	/* Nothing yet. */
	assert_int_equal(lig_vring_rx_next(&vr, &got, &len), LIG_INVALID_INDEX);
	assert_false(lig_vring_has_used(&vr));
	/* A small frame, then a 65000-byte one over 32 buffers (the header takes 12). */
	assert_int_equal(dev_rx_one(&d, &h, frame, 100), 1);
	assert_int_equal(dev_rx_one(&d, &h, frame, 65000), 32);
	dev_publish(&d);
	assert_true(lig_vring_has_used(&vr));
	u32 bi = lig_vring_rx_next(&vr, &got, &len);
	assert_int_not_equal(bi, LIG_INVALID_INDEX);
	assert_int_equal(len, 100);
	assert_memory_equal(&got, &h, sizeof(h));
	assert_int_equal(lig_buffer_get(bi)->current_data, 0);
	u8 *copy = malloc(65000);
	assert_int_equal(lig_buffer_copy_out(bi, 0, copy, 100), 100);
	assert_memory_equal(copy, frame, 100);
	lig_buffer_free_one(bi);
	bi = lig_vring_rx_next(&vr, &got, &len);
	assert_int_equal(len, 65000);
	assert_int_equal(lig_buffer_length_in_chain(lig_buffer_get(bi)), 65000);
	assert_int_equal(lig_buffer_copy_out(bi, 0, copy, 65000), 65000);
	assert_memory_equal(copy, frame, 65000);
	lig_buffer_free_one(bi);
	free(copy);
	assert_int_equal(vr.n_free, 33);
	/* Refill and ask for an interrupt at the next used element. */
	assert_int_equal(lig_vring_rx_refill(&vr), 33);
	lig_vring_want_interrupt(&vr, true);
	assert_int_equal(*used_event(&vr), vr.last_used_idx);
	lig_vring_want_interrupt(&vr, false);
	assert_int_equal(*used_event(&vr), (u16)(vr.last_used_idx - 1));
	lig_vring_free(&vr);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
	free(mem);
}

/* Without EVENT_IDX: kicks follow the used ring's NO_NOTIFY flag, interrupts the avail
 * ring's NO_INTERRUPT flag. */
static void
test_flags(void **state)
{
	(void)state;
	struct lig_vring vr;
	void *mem = ring_mem();
	assert_int_equal(lig_vring_init(&vr, mem, QSIZE, true, false), 0);
	lig_vring_rx_refill(&vr);
	assert_true(lig_vring_publish(&vr));
	*(u16 *)vr.used = LIG_VRING_USED_F_NO_NOTIFY;
	vr.avail_idx++; /* pretend one more entry */
	assert_false(lig_vring_publish(&vr));
	vr.avail_idx--;
	lig_vring_want_interrupt(&vr, false);
	assert_int_equal(vr.avail[0], LIG_VRING_AVAIL_F_NO_INTERRUPT);
	lig_vring_want_interrupt(&vr, true);
	assert_int_equal(vr.avail[0], 0);
	lig_vring_free(&vr);
	free(mem);
}

/* A device that lies: unknown ids, lengths past the buffer, num_buffers of 0 or more than
 * it published, an impossible used index. Each is counted, nothing leaks or crashes. */
static void
test_hostile_device(void **state)
{
	(void)state;
	struct lig_vring vr;
	void *mem = ring_mem();
	u32 n_free0 = lig_buffer_pool.n_free, len;
	struct lig_vnet_hdr got;
	assert_int_equal(lig_vring_init(&vr, mem, QSIZE, true, true), 0);
	lig_vring_rx_refill(&vr);
	lig_vring_publish(&vr);
	struct lig_vring_used_elem *u = used_ring(&vr);
	u16 id0 = avail_ring(&vr)[0], id1 = avail_ring(&vr)[1], id2 = avail_ring(&vr)[2];
	struct lig_vnet_hdr_v1 h = {.num_buffers = 1};
	memcpy((void *)(uintptr_t)vr.desc[id2].addr, &h, sizeof(h));
	u[0] = (struct lig_vring_used_elem){QSIZE + 5, 100}; /* no such descriptor */
	u[1] = (struct lig_vring_used_elem){id0, 5000};	     /* longer than the buffer */
	u[2] = (struct lig_vring_used_elem){id0, 100};	     /* already taken back */
	u[3] = (struct lig_vring_used_elem){id1, 100};	     /* num_buffers 0 (zeroed) */
	u[4] = (struct lig_vring_used_elem){id2, 100};	     /* a good one */
	*used_idx(&vr) = 5;
	u32 bi = lig_vring_rx_next(&vr, &got, &len);
	assert_int_not_equal(bi, LIG_INVALID_INDEX);
	assert_int_equal(len, 100 - LIG_VRING_HDR_SIZE);
	lig_buffer_free_one(bi);
	assert_int_equal(vr.st.bad_used, 4);
	/* num_buffers beyond what was published. */
	u16 id3 = avail_ring(&vr)[3];
	h.num_buffers = 3;
	memcpy((void *)(uintptr_t)vr.desc[id3].addr, &h, sizeof(h));
	u[5] = (struct lig_vring_used_elem){id3, 100};
	*used_idx(&vr) = 6;
	assert_int_equal(lig_vring_rx_next(&vr, &got, &len), LIG_INVALID_INDEX);
	assert_int_equal(vr.st.bad_used, 5);
	/* A used index more than a ring ahead. */
	*used_idx(&vr) = (u16)(vr.last_used_idx + QSIZE + 1);
	assert_int_equal(lig_vring_rx_next(&vr, &got, &len), LIG_INVALID_INDEX);
	assert_int_equal(vr.st.bad_used, 6);
	lig_vring_free(&vr);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);

	/* tx: a used id that heads no chain. */
	memset(mem, 0, lig_vring_mem_size(QSIZE));
	assert_int_equal(lig_vring_init(&vr, mem, QSIZE, false, true), 0);
	struct lig_vnet_hdr z = {0};
	assert_int_equal(lig_vring_tx_add(&vr, make_packet(5000, 1), &z), 0);
	used_ring(&vr)[0] = (struct lig_vring_used_elem){1, 0}; /* inside the chain */
	used_ring(&vr)[1] = (struct lig_vring_used_elem){0, 0};
	*used_idx(&vr) = 2;
	assert_int_equal(lig_vring_tx_reclaim(&vr), 1);
	assert_int_equal(vr.st.bad_used, 1);
	assert_int_equal(vr.n_free, QSIZE);
	lig_vring_free(&vr);
	assert_int_equal(lig_buffer_pool.n_free, n_free0);
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tx),
	    cmocka_unit_test(test_rx),
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_hostile_device),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

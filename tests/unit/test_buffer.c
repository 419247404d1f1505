/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the buffer pool: allocation, exhaustion, chains, clones, checksum finish. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "vlib/buffer.h"

#define N_BUFFERS 1024

static int
setup(void **state)
{
	(void)state;
	return lig_buffer_pool_init(N_BUFFERS);
}

static int
teardown(void **state)
{
	(void)state;
	lig_buffer_pool_free();
	return 0;
}

static void
test_alloc_free(void **state)
{
	u32 bis[N_BUFFERS + 10];
	(void)state;

	assert_int_equal(lig_buffer_alloc(bis, 100), 100);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 100);
	for (u32 i = 0; i < 100; i++) {
		struct lig_buffer *b = lig_buffer_get(bis[i]);
		assert_int_equal(b->ref_count, 1);
		assert_int_equal(b->current_data, 0);
		assert_int_equal(lig_buffer_index(b), bis[i]);
		for (u32 k = 0; k < i; k++)
			assert_int_not_equal(bis[k], bis[i]);
	}
	lig_buffer_free(bis, 100);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
	/* Asking for more than exists returns what there is and counts the shortfall. */
	assert_int_equal(lig_buffer_alloc(bis, N_BUFFERS + 10), N_BUFFERS);
	assert_int_equal(lig_buffer_pool.alloc_failures, 10);
	assert_int_equal(lig_buffer_alloc(bis + N_BUFFERS, 1), 0);
	lig_buffer_free(bis, N_BUFFERS);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

static void
test_chain_roundtrip(void **state)
{
	u8 in[5000], out[5000];
	(void)state;

	for (u32 i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i * 7);
	u32 bi = lig_buffer_from_bytes(in, sizeof(in));
	assert_int_not_equal(bi, LIG_INVALID_INDEX);
	struct lig_buffer *b = lig_buffer_get(bi);
	assert_true(b->flags & LIG_BUFFER_NEXT_PRESENT);
	assert_int_equal(lig_buffer_length_in_chain(b), sizeof(in));
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 3);
	assert_int_equal(lig_buffer_copy_out(bi, 0, out, sizeof(out)), sizeof(out));
	assert_memory_equal(in, out, sizeof(in));
	/* An offset inside the second buffer. */
	assert_int_equal(lig_buffer_copy_out(bi, 3000, out, 100), 100);
	assert_memory_equal(in + 3000, out, 100);
	lig_buffer_free_one(bi);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

static void
test_clone_small_copies(void **state)
{
	u8 pkt[100];
	u32 clones[4];
	(void)state;

	memset(pkt, 0xab, sizeof(pkt));
	u32 bi = lig_buffer_from_bytes(pkt, sizeof(pkt));
	assert_int_equal(lig_buffer_clone(bi, clones, 4, 64), 4);
	for (int i = 0; i < 4; i++) {
		struct lig_buffer *c = lig_buffer_get(clones[i]);
		assert_int_equal(lig_buffer_length_in_chain(c), sizeof(pkt));
		assert_int_equal(c->ref_count, 1);
		assert_memory_equal(lig_buffer_data(c), pkt, sizeof(pkt));
	}
	lig_buffer_free(clones, 4);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

static void
test_clone_shares_tail(void **state)
{
	u8 pkt[1500], out[1500];
	u32 clones[3];
	(void)state;

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)i;
	u32 bi = lig_buffer_from_bytes(pkt, sizeof(pkt));
	assert_int_equal(lig_buffer_clone(bi, clones, 3, 64), 3);
	/* Three heads plus the shared original: no copy of the payload. */
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 4);
	assert_int_equal(lig_buffer_get(bi)->ref_count, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(lig_buffer_length_in_chain(lig_buffer_get(clones[i])),
				 sizeof(pkt));
		assert_int_equal(lig_buffer_copy_out(clones[i], 0, out, sizeof(out)), sizeof(out));
		assert_memory_equal(out, pkt, sizeof(pkt));
	}
	/* Rewriting one head leaves the others intact. */
	lig_buffer_data(lig_buffer_get(clones[0]))[0] = 0xee;
	lig_buffer_copy_out(clones[1], 0, out, 1);
	assert_int_equal(out[0], 0);
	lig_buffer_free(clones, 2);
	assert_int_equal(lig_buffer_get(bi)->ref_count, 1);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 2);
	lig_buffer_free(clones + 2, 1);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

static void
test_clone_pool_exhausted(void **state)
{
	u8 pkt[1500] = {0};
	u32 hog[N_BUFFERS], clones[8];
	(void)state;

	u32 bi = lig_buffer_from_bytes(pkt, sizeof(pkt));
	u32 n = lig_buffer_alloc(hog, N_BUFFERS - 3);
	/* Only two buffers left: eight heads cannot be made; nothing leaks. */
	assert_int_equal(lig_buffer_clone(bi, clones, 8, 64), 0);
	lig_buffer_free(hog, n);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

static void
test_csum_finish(void **state)
{
	/* IPv4/UDP 10.0.0.1:1000 -> 10.0.0.2:2000, payload "hello", checksum field holding
	 * the pseudo-header sum as a kernel CHECKSUM_PARTIAL frame does. */
	u8 f[14 + 20 + 8 + 5] = {0};
	(void)state;
	u8 *ip = f + 14, *udp = ip + 20;
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[9] = 17;
	memcpy(ip + 12, (u8[]){10, 0, 0, 1, 10, 0, 0, 2}, 8);
	udp[0] = 1000 >> 8, udp[1] = 1000 & 0xff, udp[2] = 2000 >> 8, udp[3] = 2000 & 0xff;
	udp[5] = 13;
	memcpy(udp + 8, "hello", 5);
	/* Pseudo-header: src + dst + proto + udp length. */
	u32 ph = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 13;
	udp[6] = (u8)(ph >> 8), udp[7] = (u8)ph;
	u32 bi = lig_buffer_from_bytes(f, sizeof(f));
	struct lig_buffer *b = lig_buffer_get(bi);
	b->flags |= LIG_BUFFER_CSUM_PARTIAL;
	b->csum_start = 34;
	b->csum_offset = 6;
	lig_buffer_csum_finish(b);
	/* Verify: the one's-complement sum over pseudo-header and UDP is 0xffff. */
	u8 *u = lig_buffer_data(b) + 34;
	u32 sum = ph - 0; /* pseudo-header without the partial value */
	sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 13;
	for (int i = 0; i < 13; i += 2)
		sum += (u32)(u[i] << 8 | (i + 1 < 13 ? u[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff);
	assert_false(b->flags & LIG_BUFFER_CSUM_PARTIAL);
	lig_buffer_free_one(bi);
}

/* Reference one's-complement checksum over flat bytes, with the field at field_off
 * taken as it is (the partial sum), complemented. */
static u16
ref_csum(const u8 *p, u32 len)
{
	u64 sum = 0;
	for (u32 i = 0; i < len; i++)
		sum += i & 1 ? p[i] : (u32)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* Builds a two-buffer chain holding in[0..len0) and in[len0..len0+len1). */
static u32
two_buffer_chain(const u8 *in, u16 len0, u16 len1)
{
	u32 bis[2];
	assert_int_equal(lig_buffer_alloc(bis, 2), 2);
	struct lig_buffer *h = lig_buffer_get(bis[0]), *t = lig_buffer_get(bis[1]);
	memcpy(h->data, in, len0);
	h->current_length = len0;
	memcpy(t->data, in + len0, len1);
	t->current_length = len1;
	h->flags |= LIG_BUFFER_NEXT_PRESENT;
	h->next_buffer = bis[1];
	h->total_length_not_including_first_buffer = len1;
	return bis[0];
}

/* csum_finish sums the whole chain, also when a buffer boundary splits a 16-bit word. */
static void
test_csum_finish_chain(void **state)
{
	u8 pkt[2001], flat[2001];
	(void)state;

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 13 + 5);
	const u16 start = 34, off = 16;
	const u16 splits[][2] = {{101, 1900}, {1000, 1001}, {100, 1901}};
	for (u32 k = 0; k < LIG_ARRAY_LEN(splits); k++) {
		u32 bi = two_buffer_chain(pkt, splits[k][0], splits[k][1]);
		struct lig_buffer *b = lig_buffer_get(bi);
		b->flags |= LIG_BUFFER_CSUM_PARTIAL;
		b->csum_start = start;
		b->csum_offset = off;
		assert_int_equal(lig_buffer_csum_finish(b), 0);
		u16 want = ref_csum(pkt + start, sizeof(pkt) - start);
		assert_int_equal(lig_buffer_copy_out(bi, 0, flat, sizeof(flat)), sizeof(flat));
		assert_int_equal(flat[start + off] << 8 | flat[start + off + 1], want);
		lig_buffer_free_one(bi);
	}
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

/* Hostile or stale offsets: nothing outside the packet is read or written. */
static void
test_csum_finish_bounds(void **state)
{
	u8 pkt[100], before[sizeof(struct lig_buffer) + LIG_BUFFER_DEFAULT_DATA_SIZE];
	(void)state;

	memset(pkt, 0x5a, sizeof(pkt));
	u32 bi = lig_buffer_from_bytes(pkt, sizeof(pkt));
	struct lig_buffer *b = lig_buffer_get(bi);
	const struct {
		i16 current_data;
		u16 current_length, start, offset;
	} bad[] = {
	    {0, 100, 99, 0},	  /* field straddles the end */
	    {0, 100, 0, 99},	  /* offset past the end */
	    {0, 100, 0xffff, 0},  /* start far outside */
	    {0, 100, 10, 0xfff0}, /* offset far outside */
	    {20, 80, 10, 2},	  /* start before the packet */
	    {-50, 10, 0, 2},	  /* packet in the headroom, ends before data[] */
	    {-128, 0, 0, 0},	  /* empty */
	};
	for (u32 k = 0; k < LIG_ARRAY_LEN(bad); k++) {
		b->current_data = bad[k].current_data;
		b->current_length = bad[k].current_length;
		b->csum_start = bad[k].start;
		b->csum_offset = bad[k].offset;
		b->flags |= LIG_BUFFER_CSUM_PARTIAL;
		memcpy(before, b, sizeof(before));
		assert_int_equal(lig_buffer_csum_finish(b), -EINVAL);
		assert_false(b->flags & LIG_BUFFER_CSUM_PARTIAL);
		b->flags |= LIG_BUFFER_CSUM_PARTIAL;
		assert_memory_equal(before, b, sizeof(before));
	}
	/* Not partial: untouched, success. */
	b->flags &= ~LIG_BUFFER_CSUM_PARTIAL;
	assert_int_equal(lig_buffer_csum_finish(b), 0);
	lig_buffer_free_one(bi);
}

/* A chained packet small enough to copy: the copy starts at data[0], so header offsets
 * (relative to data[]) move with it; opaque2 is copied as for a single buffer. */
static void
test_clone_copies_chain_metadata(void **state)
{
	u8 pkt[80], out[80];
	u32 clones[2];
	(void)state;

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i + 1);
	u32 bis[2];
	assert_int_equal(lig_buffer_alloc(bis, 2), 2);
	struct lig_buffer *h = lig_buffer_get(bis[0]), *t = lig_buffer_get(bis[1]);
	h->current_data = 20;
	memcpy(lig_buffer_data(h), pkt, 40);
	h->current_length = 40;
	memcpy(t->data, pkt + 40, 40);
	t->current_length = 40;
	h->flags |= LIG_BUFFER_NEXT_PRESENT | LIG_BUFFER_CSUM_PARTIAL;
	h->next_buffer = bis[1];
	h->total_length_not_including_first_buffer = 40;
	h->l2_hdr_offset = 20;
	h->l3_hdr_offset = 34;
	h->csum_start = 54;
	h->csum_offset = 6;
	h->opaque2[5] = 0x77;
	assert_int_equal(lig_buffer_clone(bis[0], clones, 2, 64), 2);
	for (int i = 0; i < 2; i++) {
		struct lig_buffer *c = lig_buffer_get(clones[i]);
		assert_int_equal(lig_buffer_length_in_chain(c), sizeof(pkt));
		assert_int_equal(lig_buffer_copy_out(clones[i], 0, out, sizeof(out)), sizeof(out));
		assert_memory_equal(out, pkt, sizeof(pkt));
		/* clones[1] is the original (data at 20), clones[0] the copy (at 0). */
		assert_ptr_equal(lig_buffer_at(c, c->l2_hdr_offset), lig_buffer_data(c));
		assert_int_equal(c->l3_hdr_offset - c->l2_hdr_offset, 14);
		assert_int_equal(c->csum_start - c->l2_hdr_offset, 34);
		assert_int_equal(c->opaque2[5], 0x77);
		assert_int_equal(c->ref_count, 1);
	}
	lig_buffer_free(clones, 2);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

/* Clones of a chained packet share its tail; cloning one clone again stacks another
 * shared level. Every owner frees, the last one releases each buffer exactly once. */
static void
test_clone_chain_shared_tail(void **state)
{
	u8 pkt[5000], out[5000];
	u32 first[2], second[3];
	(void)state;

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 3);
	u32 bi = lig_buffer_from_bytes(pkt, sizeof(pkt)); /* 3 buffers */
	assert_int_equal(lig_buffer_clone(bi, first, 2, 64), 2);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 5);
	assert_int_equal(lig_buffer_get(bi)->ref_count, 2);
	/* Clone the first clone (a 64-byte head over the shared chain) with 32-byte heads. */
	assert_int_equal(lig_buffer_clone(first[0], second, 3, 32), 3);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 8);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(lig_buffer_copy_out(second[i], 0, out, sizeof(out)), sizeof(out));
		assert_memory_equal(out, pkt, sizeof(pkt));
	}
	assert_int_equal(lig_buffer_copy_out(first[1], 0, out, sizeof(out)), sizeof(out));
	assert_memory_equal(out, pkt, sizeof(pkt));
	lig_buffer_free(second, 3); /* frees their heads and first[0]; bi stays for first[1] */
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS - 4);
	assert_int_equal(lig_buffer_get(bi)->ref_count, 1);
	assert_int_equal(lig_buffer_copy_out(first[1], 0, out, sizeof(out)), sizeof(out));
	assert_memory_equal(out, pkt, sizeof(pkt));
	lig_buffer_free(first + 1, 1);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
	/* A shared original (ref_count > 1) is copied, never re-headed. */
	bi = lig_buffer_from_bytes(pkt, sizeof(pkt));
	assert_int_equal(lig_buffer_clone(bi, first, 2, 64), 2);
	struct lig_buffer *orig = lig_buffer_get(bi);
	lig_buffer_get(bi)->ref_count++; /* pretend a third owner holds bi itself */
	assert_int_equal(lig_buffer_clone(bi, second, 2, 64), 2);
	assert_int_equal(orig->ref_count, 3);
	assert_int_equal(lig_buffer_copy_out(second[0], 0, out, sizeof(out)),
			 orig->current_length + orig->total_length_not_including_first_buffer);
	lig_buffer_free(second, 2);
	lig_buffer_free(first, 2);
	assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
}

/* Pools of other data sizes (startup buffers { default data-size N }): every index maps
 * to its buffer and back (the exact division by the stride), a frame up to the data size
 * takes one buffer, a larger one a chain of that size's pieces, and sizes outside the
 * range are refused. */
static void
test_data_sizes(void **state)
{
	static const u32 sizes[] = {2048, 2112, 9216, 10240, 16384};
	static u8 pkt[40000], out[40000];
	(void)state;

	for (u32 i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 7 + 3);
	lig_buffer_pool_free();
	assert_int_equal(lig_buffer_pool_init_sized(N_BUFFERS, 1024), -EINVAL);
	assert_int_equal(lig_buffer_pool_init_sized(N_BUFFERS, 2050), -EINVAL);
	assert_int_equal(lig_buffer_pool_init_sized(N_BUFFERS, 16384 + 64), -EINVAL);
	for (u32 k = 0; k < LIG_ARRAY_LEN(sizes); k++) {
		u32 ds = sizes[k];
		assert_int_equal(lig_buffer_pool_init_sized(N_BUFFERS, ds), 0);
		assert_int_equal(lig_buffer_data_size(), ds);
		for (u32 bi = 0; bi < N_BUFFERS; bi++) {
			struct lig_buffer *b = lig_buffer_get(bi);
			assert_ptr_equal(b, lig_buffer_pool.base + (size_t)bi * (256 + ds));
			assert_int_equal(lig_buffer_index(b), bi);
		}
		assert_int_equal(lig_buffer_n_for(0), 1);
		assert_int_equal(lig_buffer_n_for(ds), 1);
		assert_int_equal(lig_buffer_n_for(ds + 1), 2);
		u32 lens[] = {ds, ds + 1, 9000, sizeof(pkt)};
		for (u32 j = 0; j < LIG_ARRAY_LEN(lens); j++) {
			u32 bi = lig_buffer_from_bytes(pkt, lens[j]), n = 0;
			assert_int_not_equal(bi, LIG_INVALID_INDEX);
			for (u32 c = bi;; c = lig_buffer_get(c)->next_buffer) {
				n++;
				assert_true(lig_buffer_get(c)->current_length <= ds);
				if (!(lig_buffer_get(c)->flags & LIG_BUFFER_NEXT_PRESENT))
					break;
			}
			assert_int_equal(n, lig_buffer_n_for(lens[j]));
			assert_int_equal(lig_buffer_length_in_chain(lig_buffer_get(bi)), lens[j]);
			memset(out, 0, sizeof(out));
			assert_int_equal(lig_buffer_copy_out(bi, 0, out, lens[j]), lens[j]);
			assert_memory_equal(out, pkt, lens[j]);
			lig_buffer_free_one(bi);
		}
		assert_int_equal(lig_buffer_pool.n_free, N_BUFFERS);
		lig_buffer_pool_free();
	}
	assert_int_equal(lig_buffer_pool_init(N_BUFFERS), 0); /* for teardown */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_alloc_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chain_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_small_copies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_shares_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_pool_exhausted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csum_finish, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csum_finish_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csum_finish_bounds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_copies_chain_metadata, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_chain_shared_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_data_sizes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of libligmemif's API and copy-mode datapath: a master and a slave endpoint
 * in one process connect over a unix socket; bursts of packets from 1 to 9000 bytes go
 * both ways (chained descriptors when larger than a slot) and arrive byte for byte; a
 * full ring takes what fits; a restarted master is found again by the slave. The in-place
 * calls (tx_alloc/tx_commit, rx_peek/rx_release) carry the same frames both ways, mixed
 * with the copying ones, and refuse what would publish a broken frame.
 * The library source is compiled into this test (unit tests link ligd's objects only).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../lib/memif/ligmemif.c"

static char sock_path[108];
static int n_up, n_down;

static void
on_event(struct ligmemif *m, enum ligmemif_event ev, void *ctx)
{
	(void)m;
	(void)ctx;
	if (ev == LIGMEMIF_EVENT_CONNECTED)
		n_up++;
	else
		n_down++;
}

static void
run_until_connected(struct ligmemif *a, struct ligmemif *b)
{
	for (int i = 0; i < 400 && !(ligmemif_is_connected(a) && ligmemif_is_connected(b)); i++) {
		ligmemif_poll(a, 5);
		ligmemif_poll(b, 5);
	}
	assert_true(ligmemif_is_connected(a));
	assert_true(ligmemif_is_connected(b));
}

static void
make_pair(struct ligmemif **master, struct ligmemif **slave, uint32_t slave_buffer)
{
	struct ligmemif_config mc = {.socket_path = sock_path,
				     .role = LIGMEMIF_ROLE_MASTER,
				     .id = 3,
				     .secret = "s3cret",
				     .if_name = "m"};
	struct ligmemif_config sc = {.socket_path = sock_path,
				     .role = LIGMEMIF_ROLE_SLAVE,
				     .id = 3,
				     .secret = "s3cret",
				     .if_name = "s",
				     .ring_size = 64,
				     .buffer_size = slave_buffer};

	*master = ligmemif_create(&mc, on_event, NULL);
	assert_non_null(*master);
	*slave = ligmemif_create(&sc, on_event, NULL);
	assert_non_null(*slave);
	run_until_connected(*master, *slave);
}

static void
fill(uint8_t *p, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

/* Sends sizes[] from a to b and checks every byte on arrival. */
static void
transfer(struct ligmemif *a, struct ligmemif *b, const uint32_t *sizes, int n)
{
	static uint8_t txbuf[8][9000], rxbuf[8][10000];
	struct ligmemif_pkt tx[8], rx[8];

	assert_true(n <= 8);
	for (int i = 0; i < n; i++) {
		fill(txbuf[i], sizes[i], (uint32_t)i + sizes[i]);
		tx[i] = (struct ligmemif_pkt){.data = txbuf[i], .len = sizes[i]};
		rx[i] = (struct ligmemif_pkt){.data = rxbuf[i], .size = sizeof(rxbuf[i])};
	}
	assert_int_equal(ligmemif_tx_burst(a, 0, tx, (uint16_t)n), n);
	int got = ligmemif_rx_burst(b, 0, rx, (uint16_t)n);
	assert_int_equal(got, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(rx[i].len, sizes[i]);
		assert_memory_equal(rx[i].data, txbuf[i], sizes[i]);
	}
}

static void
test_both_ways(void **state)
{
	struct ligmemif *m, *s;
	const uint32_t sizes[] = {1, 64, 1500, 2048, 2049, 4096, 9000, 60};
	(void)state;

	make_pair(&m, &s, 2048);
	assert_string_equal(ligmemif_peer_if_name(m), "s");
	assert_string_equal(ligmemif_peer_if_name(s), "m");
	for (int round = 0; round < 20; round++) { /* wraps the 64-slot rings */
		transfer(s, m, sizes, 8);
		transfer(m, s, sizes, 8);
	}
	struct ligmemif_stats st;
	ligmemif_get_stats(m, &st);
	assert_int_equal(st.rx_packets, 160);
	assert_int_equal(st.tx_packets, 160);
	assert_int_equal(st.peer_errors, 0);
	ligmemif_destroy(s);
	ligmemif_destroy(m);
}

static void
test_ring_full_and_small_buffer(void **state)
{
	struct ligmemif *m, *s;
	static uint8_t big[9000], out[100];
	struct ligmemif_pkt p[64], r = {.data = out, .size = sizeof(out)};
	(void)state;

	make_pair(&m, &s, 2048);
	for (int i = 0; i < 64; i++)
		p[i] = (struct ligmemif_pkt){.data = big, .len = 9000}; /* 5 slots each */
	/* 64 slots hold 12 such packets; the 13th does not fit and is not half-sent. */
	assert_int_equal(ligmemif_tx_burst(s, 0, p, 64), 12);
	assert_int_equal(ligmemif_tx_burst(s, 0, p, 64), 0);
	/* A receive buffer too small: the packet is dropped and counted, not truncated. */
	assert_int_equal(ligmemif_rx_burst(m, 0, &r, 1), 0);
	struct ligmemif_stats st;
	ligmemif_get_stats(m, &st);
	assert_true(st.rx_dropped >= 1);
	ligmemif_destroy(s);
	ligmemif_destroy(m);
}

/* Fills lent tx slots with a frame of len bytes (chained as the slots' sizes require);
 * returns the slots used. */
static int
fill_in_place(struct ligmemif_buf *b, int n_bufs, uint32_t len, uint32_t seed)
{
	static uint8_t frame[9000];
	uint32_t off = 0;
	int i = 0;

	fill(frame, len, seed);
	do {
		assert_true(i < n_bufs);
		uint32_t k = len - off < b[i].size ? len - off : b[i].size;
		memcpy(b[i].data, frame + off, k);
		b[i].len = k;
		off += k;
		b[i].flags = off < len ? LIGMEMIF_BUF_NEXT : 0;
		i++;
	} while (off < len);
	return i;
}

/* Checks the frames peeked into b[0..n) against sizes[] (seeded as fill_in_place). */
static void
check_in_place(const struct ligmemif_buf *b, int n, const uint32_t *sizes, int n_frames)
{
	static uint8_t want[9000], got[9000];
	int f = 0;
	uint32_t len = 0;

	for (int i = 0; i < n; i++) {
		assert_true(len + b[i].len <= sizeof(got));
		memcpy(got + len, b[i].data, b[i].len);
		len += b[i].len;
		if (b[i].flags & LIGMEMIF_BUF_NEXT)
			continue;
		assert_true(f < n_frames);
		assert_int_equal(len, sizes[f]);
		fill(want, len, (uint32_t)f + len);
		assert_memory_equal(got, want, len);
		f++;
		len = 0;
	}
	assert_int_equal(f, n_frames);
	assert_int_equal(len, 0);
}

/* In place from a to b: sizes[] as one commit, read with one peek. */
static void
transfer_in_place(struct ligmemif *a, struct ligmemif *b, const uint32_t *sizes, int n)
{
	struct ligmemif_buf tx[64], rx[64];
	int used = 0;

	int lent = ligmemif_tx_alloc(a, 0, tx, 64);
	assert_true(lent > 0);
	for (int i = 0; i < n; i++)
		used += fill_in_place(tx + used, lent - used, sizes[i], (uint32_t)i + sizes[i]);
	assert_int_equal(ligmemif_tx_commit(a, 0, tx, (uint16_t)used), n);
	int got = ligmemif_rx_peek(b, 0, rx, 64);
	assert_int_equal(got, used);
	check_in_place(rx, got, sizes, n);
	assert_int_equal(ligmemif_rx_release(b, 0), 0);
}

static void
test_in_place(void **state)
{
	struct ligmemif *m, *s;
	const uint32_t sizes[] = {1, 64, 1500, 2048, 2049, 4096, 9000, 60}; /* 14 slots */
	(void)state;

	make_pair(&m, &s, 2048);
	for (int round = 0; round < 20; round++) { /* wraps the 64-slot rings */
		transfer_in_place(s, m, sizes, 8);
		transfer_in_place(m, s, sizes, 8);
		/* Mixed with the copying calls on the same rings. */
		transfer(s, m, sizes, 8);
		transfer(m, s, sizes, 8);
	}
	struct ligmemif_stats st;
	ligmemif_get_stats(s, &st);
	assert_int_equal(st.rx_packets, 320);
	assert_int_equal(st.tx_packets, 320);
	assert_int_equal(st.peer_errors, 0);
	ligmemif_destroy(s);
	ligmemif_destroy(m);
}

static void
test_in_place_rules(void **state)
{
	struct ligmemif *m, *s;
	struct ligmemif_buf tx[64], rx[64], again[64];
	static uint8_t out[10000];
	struct ligmemif_pkt r = {.data = out, .size = sizeof(out)};
	const uint32_t one[] = {100}, two[] = {100, 200}, big[] = {9000};
	(void)state;

	make_pair(&m, &s, 2048);
	/* Lent slots: a second alloc goes on after the first; committing fewer gives the
	 * rest back, and the next alloc lends the same memory again. */
	assert_int_equal(ligmemif_tx_alloc(s, 0, tx, 3), 3);
	assert_int_equal(ligmemif_tx_alloc(s, 0, tx + 3, 2), 2);
	assert_ptr_not_equal(tx[3].data, tx[2].data);
	for (int i = 0; i < 5; i++)
		assert_int_equal(tx[i].size, 2048);
	fill_in_place(tx, 1, 100, 100);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, 1), 1);
	assert_int_equal(ligmemif_tx_alloc(s, 0, again, 1), 1);
	assert_ptr_equal(again[0].data, tx[1].data);
	/* Refused, nothing sent: more than lent, a len over its size, a frame left open. */
	again[0].len = 10;
	assert_int_equal(ligmemif_tx_commit(s, 0, again, 2), -EINVAL);
	again[0].len = 2049;
	assert_int_equal(ligmemif_tx_commit(s, 0, again, 1), -EINVAL);
	again[0].len = 10;
	again[0].flags = LIGMEMIF_BUF_NEXT;
	assert_int_equal(ligmemif_tx_commit(s, 0, again, 1), -EINVAL);
	/* Only the first frame arrived; while it is lent the copying rx refuses. */
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 64), 1);
	check_in_place(rx, 1, one, 1);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 64), 0);
	assert_int_equal(ligmemif_rx_burst(m, 0, &r, 1), -EBUSY);
	assert_int_equal(ligmemif_rx_release(m, 0), 0);
	assert_int_equal(ligmemif_rx_burst(m, 0, &r, 1), 0);
	/* The copying tx takes back what is lent: its frame goes out, not the lent slot. */
	struct ligmemif_pkt p = {.data = out, .len = 300};
	assert_int_equal(ligmemif_tx_burst(s, 0, &p, 1), 1);
	assert_int_equal(ligmemif_tx_commit(s, 0, again, 1), -EINVAL);
	assert_int_equal(ligmemif_rx_burst(m, 0, &r, 1), 1);
	assert_int_equal(r.len, 300);
	/* Repeated peeks go on after the lent slots; one release returns them all. */
	/* Committing none takes every lent slot back. */
	assert_true(ligmemif_tx_alloc(s, 0, tx, 64) > 0);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, 0), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ligmemif_tx_alloc(s, 0, tx, 1), 1);
		fill_in_place(tx, 1, two[i], (uint32_t)i + two[i]);
		assert_int_equal(ligmemif_tx_commit(s, 0, tx, 1), 1);
	}
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 1), 1);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx + 1, 1), 1);
	check_in_place(rx, 2, two, 2);
	assert_int_equal(ligmemif_rx_release(m, 0), 0);
	/* A frame of more slots than the caller has room for: skipped and counted when it
	 * comes first, left for the next call when something came before it. */
	struct ligmemif_stats st0, st1;
	ligmemif_get_stats(m, &st0);
	int k = ligmemif_tx_alloc(s, 0, tx, 64);
	int used = fill_in_place(tx, k, 100, 100);
	used += fill_in_place(tx + used, k - used, 9000, 9000);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, (uint16_t)used), 2);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 4), 1);
	check_in_place(rx, 1, one, 1);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 4), 0);
	ligmemif_get_stats(m, &st1);
	assert_int_equal(st1.rx_dropped, st0.rx_dropped + 1);
	assert_int_equal(ligmemif_rx_release(m, 0), 0);
	transfer_in_place(s, m, big, 1);
	/* Bad queues; and after a disconnect every call says so. */
	assert_int_equal(ligmemif_rx_peek(m, 5, rx, 1), -EINVAL);
	assert_int_equal(ligmemif_tx_alloc(m, 5, tx, 1), -EINVAL);
	ligmemif_destroy(m);
	for (int i = 0; i < 50 && ligmemif_is_connected(s); i++)
		ligmemif_poll(s, 10);
	assert_int_equal(ligmemif_rx_peek(s, 0, rx, 1), -ENOTCONN);
	assert_int_equal(ligmemif_rx_release(s, 0), -ENOTCONN);
	assert_int_equal(ligmemif_tx_alloc(s, 0, tx, 1), -ENOTCONN);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, 0), -ENOTCONN);
	ligmemif_destroy(s);
}

/* A peer that writes a bad descriptor into the shared ring (here: the test, through the
 * other endpoint's mapping of the same ring) is dropped, and counted, by the in-place
 * calls as by the copying ones: a slot pointing outside the regions on rx, a posted
 * buffer outside them on the master's tx. */
static void
test_in_place_hostile_peer(void **state)
{
	struct ligmemif *m, *s;
	struct ligmemif_buf tx[8], rx[8];
	const uint32_t one[] = {100};
	(void)state;

	make_pair(&m, &s, 2048);
	transfer_in_place(s, m, one, 1);
	assert_int_equal(ligmemif_tx_alloc(s, 0, tx, 1), 1);
	fill_in_place(tx, 1, 100, 100);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, 1), 1);
	struct lig_memif_queue *q = lig_memif_tx_queue(&s->conn, 0);
	q->ring->desc[(q->last - 1) & q->mask].offset = 0xfffff000u;
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 8), -ENOTCONN);
	assert_false(ligmemif_is_connected(m));
	assert_non_null(strstr(ligmemif_disconnect_reason(m), "rx:"));
	struct ligmemif_stats st;
	ligmemif_get_stats(m, &st);
	assert_int_equal(st.peer_errors, 1);
	ligmemif_destroy(m);
	ligmemif_destroy(s);

	/* A producer index moved back under slots already lent. */
	make_pair(&m, &s, 2048);
	assert_int_equal(ligmemif_tx_alloc(s, 0, tx, 1), 1);
	fill_in_place(tx, 1, 100, 100);
	assert_int_equal(ligmemif_tx_commit(s, 0, tx, 1), 1);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 8), 1);
	q = lig_memif_tx_queue(&s->conn, 0);
	q->ring->head = (uint16_t)(q->ring->head - 1);
	assert_int_equal(ligmemif_rx_peek(m, 0, rx, 8), -ENOTCONN);
	assert_non_null(strstr(ligmemif_disconnect_reason(m), "moved back"));
	ligmemif_destroy(m);
	ligmemif_destroy(s);

	/* The slave posts the buffers the master transmits into. */
	make_pair(&m, &s, 2048);
	transfer_in_place(m, s, one, 1);
	q = lig_memif_rx_queue(&s->conn, 0);
	struct lig_memif_queue *mq = lig_memif_tx_queue(&m->conn, 0);
	q->ring->desc[mq->last & q->mask].length = 0x10000000u;
	assert_int_equal(ligmemif_tx_alloc(m, 0, tx, 8), -ENOTCONN);
	assert_non_null(strstr(ligmemif_disconnect_reason(m), "tx:"));
	ligmemif_destroy(m);
	ligmemif_destroy(s);
}

static void
test_master_restart_and_secret(void **state)
{
	struct ligmemif *m, *s;
	struct ligmemif_config mc = {
	    .socket_path = sock_path, .role = LIGMEMIF_ROLE_MASTER, .id = 3, .secret = "s3cret"};
	struct ligmemif_config bad = {
	    .socket_path = sock_path, .role = LIGMEMIF_ROLE_MASTER, .id = 3, .secret = "other"};
	(void)state;

	make_pair(&m, &s, 2048);
	int downs = n_down;
	ligmemif_destroy(m);
	for (int i = 0; i < 50 && ligmemif_is_connected(s); i++)
		ligmemif_poll(s, 10);
	assert_false(ligmemif_is_connected(s));
	/* Both ends report it: the destroyed master too (its callback runs in destroy). */
	assert_int_equal(n_down, downs + 2);
	/* A master with another secret refuses the slave, which says why. */
	m = ligmemif_create(&bad, on_event, NULL);
	assert_non_null(m);
	for (int i = 0; i < 150 && !strstr(ligmemif_disconnect_reason(m), "secret"); i++) {
		ligmemif_poll(m, 5);
		ligmemif_poll(s, 5);
	}
	assert_non_null(strstr(ligmemif_disconnect_reason(m), "incorrect secret"));
	assert_false(ligmemif_is_connected(s));
	ligmemif_destroy(m);
	/* The right master again: the slave reconnects by itself. */
	m = ligmemif_create(&mc, on_event, NULL);
	run_until_connected(m, s);
	ligmemif_destroy(s);
	ligmemif_destroy(m);
}

static void
test_bad_config(void **state)
{
	struct ligmemif_config c = {.socket_path = sock_path, .role = 7};
	(void)state;

	assert_null(ligmemif_create(&c, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	c.role = LIGMEMIF_ROLE_SLAVE;
	c.ring_size = 1000;
	assert_null(ligmemif_create(&c, NULL, NULL));
	assert_null(ligmemif_create(NULL, NULL, NULL));
	ligmemif_destroy(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_both_ways),
	    cmocka_unit_test(test_ring_full_and_small_buffer),
	    cmocka_unit_test(test_in_place),
	    cmocka_unit_test(test_in_place_rules),
	    cmocka_unit_test(test_in_place_hostile_peer),
	    cmocka_unit_test(test_master_restart_and_secret),
	    cmocka_unit_test(test_bad_config),
	};
	snprintf(sock_path, sizeof(sock_path), "/tmp/test_memif_lib.%d.sock", (int)getpid());
	int rv = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(sock_path);
	return rv;
}

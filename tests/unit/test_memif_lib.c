/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of libligmemif's API and copy-mode datapath: a master and a slave endpoint
 * in one process connect over a unix socket; bursts of packets from 1 to 9000 bytes go
 * both ways (chained descriptors when larger than a slot) and arrive byte for byte; a
 * full ring takes what fits; a restarted master is found again by the slave.
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
	    cmocka_unit_test(test_master_restart_and_secret),
	    cmocka_unit_test(test_bad_config),
	};
	snprintf(sock_path, sizeof(sock_path), "/tmp/test_memif_lib.%d.sock", (int)getpid());
	int rv = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(sock_path);
	return rv;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the memif protocol core: message layout and parsing, descriptor and
 * chain checks, and a full master/slave handshake over a socketpair, including the
 * master's refusal of bad secrets, unsealed regions and rings outside their region. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "infra/lig_common.h"
#include "memif/memif_conn.h"
#include "memif/memif_proto.h"

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct lig_memif_msg), 128);
	assert_int_equal(offsetof(struct lig_memif_msg, hello.min_version), 2 + 32);
	assert_int_equal(offsetof(struct lig_memif_msg, init.id), 2 + 2);
	assert_int_equal(offsetof(struct lig_memif_msg, init.secret), 2 + 7);
	assert_int_equal(offsetof(struct lig_memif_msg, add_region.size), 2 + 2);
	assert_int_equal(offsetof(struct lig_memif_msg, add_ring.offset), 2 + 6);
	assert_int_equal(offsetof(struct lig_memif_msg, add_ring.log2_ring_size), 2 + 10);
	assert_int_equal(offsetof(struct lig_memif_msg, disconnect.string), 2 + 4);
	assert_int_equal(offsetof(struct lig_memif_ring, head), 6);
	assert_int_equal(offsetof(struct lig_memif_ring, tail), 64);
	assert_int_equal(lig_memif_ring_bytes(10), 128 + 16 * 1024);
}

static void
test_parse(void **state)
{
	struct lig_memif_msg m, out;
	char err[128];
	u8 raw[200] = {0};
	(void)state;

	lig_memif_msg_hello(&m, "master", 1, 0, 0, 10);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)), 0);
	assert_int_equal(out.hello.max_log2_ring_size, 10);
	/* Wrong sizes. */
	assert_int_equal(lig_memif_msg_parse(&m, 127, false, &out, err, sizeof(err)), -EBADMSG);
	memcpy(raw, &m, sizeof(m));
	assert_int_equal(lig_memif_msg_parse(raw, 129, false, &out, err, sizeof(err)), -EBADMSG);
	/* Unknown types. */
	lig_memif_msg_simple(&m, 0);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_simple(&m, 9);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)),
			 -EBADMSG);
	/* fds exactly where they belong. */
	lig_memif_msg_add_region(&m, 0, 4096);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)),
			 -EBADMSG);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)), 0);
	lig_memif_msg_simple(&m, LIG_MEMIF_MSG_ACK);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	/* Versions. */
	lig_memif_msg_init(&m, 1, 0, "s", "n");
	m.init.version = 0x0100;
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	lig_memif_msg_init(&m, 1, 3, "s", "n");
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), false, &out, err, sizeof(err)),
			 -EBADMSG);
	/* Region and ring ranges. */
	lig_memif_msg_add_region(&m, 0, 0);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_add_region(&m, LIG_MEMIF_MAX_REGIONS, 4096);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_add_ring(&m, true, 0, 0, 0, 15);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_add_ring(&m, true, 0, 0, 0, 10);
	m.add_ring.private_hdr_size = 8;
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_add_ring(&m, true, 0, 0, 0, 10);
	m.add_ring.flags = 6;
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	lig_memif_msg_add_ring(&m, false, LIG_MEMIF_MAX_QUEUES, 0, 0, 10);
	assert_int_equal(lig_memif_msg_parse(&m, sizeof(m), true, &out, err, sizeof(err)),
			 -EBADMSG);
	/* Strings are bounded and made printable. */
	char s[LIG_MEMIF_NAME_SIZE + 1];
	u8 w[LIG_MEMIF_NAME_SIZE];
	memset(w, 'A', sizeof(w));
	w[3] = 0x1b;
	lig_memif_wire_string(s, w, sizeof(w));
	assert_int_equal(strlen(s), 32);
	assert_int_equal(s[3], '?');
	lig_memif_msg_disconnect(&m, 1,
				 "a reason that is quite long ............................"
				 "...........................................................");
	assert_int_equal(m.disconnect.string[LIG_MEMIF_ERR_SIZE - 1], 0);
}

static void
test_desc_check(void **state)
{
	struct lig_memif_region_map r[2] = {{NULL, 8192}, {NULL, 1ull << 32}};
	struct lig_memif_desc d = {.region = 0, .offset = 4096, .length = 2048};
	(void)state;

	assert_int_equal(lig_memif_desc_check(&d, r, 2, 2048), LIG_MEMIF_DESC_OK);
	d.length = 4096;
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 65536), LIG_MEMIF_DESC_OK);
	d.length = 4097;
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 65536), LIG_MEMIF_DESC_BAD_RANGE);
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 2048), LIG_MEMIF_DESC_TOO_LONG);
	d.region = 2;
	d.length = 1;
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 2048), LIG_MEMIF_DESC_BAD_REGION);
	/* offset + length would wrap in 32 bits. */
	d.region = 1;
	d.offset = 0xffffffffu;
	d.length = 2;
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 65536), LIG_MEMIF_DESC_BAD_RANGE);
	d.offset = 0;
	d.flags = 2;
	assert_int_equal(lig_memif_desc_check(&d, r, 2, 65536), LIG_MEMIF_DESC_BAD_FLAGS);
}

static void
test_chain_check(void **state)
{
	struct lig_memif_ring *ring = calloc(1, lig_memif_ring_bytes(3));
	struct lig_memif_region_map r = {NULL, 1 << 20};
	struct lig_memif_desc descs[8];
	uint32_t total, used;
	(void)state;

	/* Three-slot chain starting at slot 6: wraps around the 8-slot ring. */
	for (int i = 0; i < 8; i++)
		ring->desc[i] = (struct lig_memif_desc){.offset = i * 2048, .length = 2048};
	ring->desc[6].flags = LIG_MEMIF_DESC_FLAG_NEXT;
	ring->desc[7].flags = LIG_MEMIF_DESC_FLAG_NEXT;
	ring->desc[0].length = 100;
	assert_int_equal(lig_memif_chain_check(ring, 7, 6, 3, &r, 1, 2048, descs, 8, &total, &used),
			 3);
	assert_int_equal(total, 4196);
	assert_int_equal(used, 3);
	/* The chain claims more than was published. */
	assert_int_equal(lig_memif_chain_check(ring, 7, 6, 2, &r, 1, 2048, descs, 8, &total, &used),
			 LIG_MEMIF_CHAIN_TRUNCATED);
	/* ...or more than the caller takes. */
	assert_int_equal(lig_memif_chain_check(ring, 7, 6, 3, &r, 1, 2048, descs, 2, &total, &used),
			 LIG_MEMIF_CHAIN_TRUNCATED);
	/* A bad link in the middle. */
	ring->desc[7].region = 1;
	assert_int_equal(lig_memif_chain_check(ring, 7, 6, 3, &r, 1, 2048, descs, 8, &total, &used),
			 LIG_MEMIF_DESC_BAD_REGION);
	/* Longer than a packet may be. */
	for (int i = 0; i < 8; i++)
		ring->desc[i] =
		    (struct lig_memif_desc){.flags = LIG_MEMIF_DESC_FLAG_NEXT, .length = 10000};
	ring->desc[7].flags = 0;
	assert_int_equal(
	    lig_memif_chain_check(ring, 7, 0, 8, &r, 1, 65536, descs, 8, &total, &used),
	    LIG_MEMIF_CHAIN_TOO_LONG);
	assert_int_equal(used, 8);
	free(ring);
}

/* A master and a slave conn joined by a socketpair; the test moves messages. */
struct pair {
	struct lig_memif_conn m, s;
	int mfd;
};

static int
pair_start(struct pair *p, const char *msecret, const char *ssecret)
{
	struct lig_memif_conn_config mc = {.role = LIG_MEMIF_ROLE_MASTER, .id = 7};
	struct lig_memif_conn_config sc = {.role = LIG_MEMIF_ROLE_SLAVE,
					   .id = 7,
					   .n_s2m = 2,
					   .n_m2s = 1,
					   .log2_ring_size = 4,
					   .buffer_size = 256};
	struct lig_memif_msg m;
	char err[128];
	int sv[2], rfd;

	snprintf(mc.secret, sizeof(mc.secret), "%s", msecret);
	snprintf(sc.secret, sizeof(sc.secret), "%s", ssecret);
	snprintf(sc.if_name, sizeof(sc.if_name), "slave-if");
	snprintf(mc.if_name, sizeof(mc.if_name), "master-if");
	lig_memif_conn_init(&p->m, &mc);
	lig_memif_conn_init(&p->s, &sc);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	p->mfd = sv[0];
	p->s.fd = sv[1];
	p->s.state = LIG_MEMIF_STATE_HANDSHAKE;
	lig_memif_msg_hello(&m, "test-master", 4, 3, 3, 12);
	assert_int_equal(lig_memif_send(p->mfd, &m, -1), 0);
	assert_int_equal(lig_memif_conn_handle(&p->s), LIG_MEMIF_EV_NONE); /* sends INIT */
	assert_int_equal(lig_memif_recv(p->mfd, &m, &rfd, err, sizeof(err)), 0);
	assert_int_equal(m.type, LIG_MEMIF_MSG_INIT);
	int rv = lig_memif_conn_master_accept(&p->m, p->mfd, &m);
	if (rv < 0)
		close(p->mfd);
	return rv;
}

/* Alternates until neither side has anything to say; returns 1 when both connected. */
static int
pair_run(struct pair *p)
{
	for (int i = 0; i < 64; i++) {
		int em = p->m.fd >= 0 ? lig_memif_conn_handle(&p->m) : LIG_MEMIF_EV_NONE;
		int es = p->s.fd >= 0 ? lig_memif_conn_handle(&p->s) : LIG_MEMIF_EV_NONE;
		(void)em;
		(void)es;
		if (p->m.state == LIG_MEMIF_STATE_CONNECTED &&
		    p->s.state == LIG_MEMIF_STATE_CONNECTED)
			return 1;
		if (p->m.state == LIG_MEMIF_STATE_DOWN || p->s.state == LIG_MEMIF_STATE_DOWN)
			return 0;
	}
	return 0;
}

static void
test_handshake(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	(void)state;

	assert_int_equal(pair_start(p, "sesame", "sesame"), 0);
	assert_int_equal(pair_run(p), 1);
	assert_string_equal(p->m.peer_if_name, "slave-if");
	assert_string_equal(p->s.peer_if_name, "master-if");
	assert_string_equal(p->s.peer_name, "test-master");
	assert_int_equal(p->m.n_s2m, 2);
	assert_int_equal(p->m.n_m2s, 1);
	assert_int_equal(p->m.s2m[1].size, 16);
	/* The slave posted every m2s buffer; the master sees them through its mapping. */
	assert_int_equal(p->m.m2s[0].ring->head, 16);
	struct lig_memif_desc d = p->m.m2s[0].ring->desc[3];
	assert_int_equal(lig_memif_desc_check(&d, p->m.regions, p->m.n_regions, 256), 0);
	/* A byte the slave writes into its buffer is what the master reads there. */
	p->s.regions[0].base[d.offset] = 0x5a;
	assert_int_equal(p->m.regions[0].base[d.offset], 0x5a);
	/* Disconnect from the slave: the master hears the reason. */
	lig_memif_conn_disconnect(&p->s, "bye", false);
	assert_int_equal(lig_memif_conn_handle(&p->m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(p->m.reason, "bye"));
	assert_int_equal(p->m.peer_fault, 0);
	assert_int_equal(p->m.state, LIG_MEMIF_STATE_DOWN);
	free(p);
}

static void
test_bad_secret(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	(void)state;

	assert_int_equal(pair_start(p, "sesame", "wrong"), -EACCES);
	assert_non_null(strstr(p->m.reason, "incorrect secret"));
	/* The slave is told why. */
	assert_int_equal(lig_memif_conn_handle(&p->s), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(p->s.reason, "incorrect secret"));
	free(p);
}

/* As libmemif: a master without a secret accepts a slave that sends one. */
static void
test_no_secret_master(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	(void)state;

	assert_int_equal(pair_start(p, "", "whatever"), 0);
	assert_int_equal(pair_run(p), 1);
	lig_memif_conn_disconnect(&p->m, "done", false);
	lig_memif_conn_disconnect(&p->s, "done", false);
	free(p);
}

/* Drives a master by hand with hostile handshake messages. */
static int
master_with(struct lig_memif_msg *msgs, int *fds, int n, struct lig_memif_conn *m)
{
	struct lig_memif_conn_config mc = {.role = LIG_MEMIF_ROLE_MASTER};
	struct lig_memif_msg init;
	int sv[2];

	lig_memif_conn_init(m, &mc);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	lig_memif_msg_init(&init, 0, 0, "", "hostile");
	assert_int_equal(lig_memif_conn_master_accept(m, sv[0], &init), 0);
	int ev = LIG_MEMIF_EV_NONE;
	for (int i = 0; i < n && ev != LIG_MEMIF_EV_DISCONNECTED; i++) {
		assert_int_equal(lig_memif_send(sv[1], &msgs[i], fds[i]), 0);
		if (fds[i] >= 0)
			close(fds[i]);
		ev = lig_memif_conn_handle(m);
	}
	close(sv[1]);
	return ev;
}

static int
make_region(size_t size, bool seal)
{
	int fd = memfd_create("test", MFD_ALLOW_SEALING);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	if (seal)
		assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	return fd;
}

static void
test_hostile_master_side(void **state)
{
	struct lig_memif_conn *m = calloc(1, sizeof(*m));
	struct lig_memif_msg msgs[4];
	int fds[4];
	(void)state;

	/* Region not sealed against shrinking. */
	lig_memif_msg_add_region(&msgs[0], 0, 4096);
	fds[0] = make_region(4096, false);
	assert_int_equal(master_with(msgs, fds, 1, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "sealed"));
	assert_int_equal(m->peer_fault, 1);

	/* Region larger than its file. */
	lig_memif_msg_add_region(&msgs[0], 0, 8192);
	fds[0] = make_region(4096, true);
	assert_int_equal(master_with(msgs, fds, 1, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "declared"));

	/* Ring outside its region. */
	lig_memif_msg_add_region(&msgs[0], 0, 4096);
	fds[0] = make_region(4096, true);
	lig_memif_msg_add_ring(&msgs[1], true, 0, 0, 4000, 4);
	fds[1] = eventfd(0, 0);
	assert_int_equal(master_with(msgs, fds, 2, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "outside region"));

	/* Ring interrupt fd that is not an eventfd. */
	lig_memif_msg_add_region(&msgs[0], 0, 4096);
	fds[0] = make_region(4096, true);
	lig_memif_msg_add_ring(&msgs[1], true, 0, 0, 0, 4);
	fds[1] = make_region(16, false);
	assert_int_equal(master_with(msgs, fds, 2, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "eventfd"));

	/* Connect with a ring whose cookie is wrong (memory all zero). */
	lig_memif_msg_add_region(&msgs[0], 0, 4096);
	fds[0] = make_region(4096, true);
	lig_memif_msg_add_ring(&msgs[1], true, 0, 0, 0, 4);
	fds[1] = eventfd(0, 0);
	lig_memif_msg_add_ring(&msgs[2], false, 0, 0, 512, 4);
	fds[2] = eventfd(0, 0);
	lig_memif_msg_connect(&msgs[3], LIG_MEMIF_MSG_CONNECT, "x");
	fds[3] = -1;
	assert_int_equal(master_with(msgs, fds, 4, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "cookie"));

	/* Connect without any m2s ring. */
	lig_memif_msg_add_region(&msgs[0], 0, 4096);
	fds[0] = make_region(4096, true);
	lig_memif_msg_add_ring(&msgs[1], true, 0, 0, 0, 4);
	fds[1] = eventfd(0, 0);
	lig_memif_msg_connect(&msgs[2], LIG_MEMIF_MSG_CONNECT, "x");
	fds[2] = -1;
	assert_int_equal(master_with(msgs, fds, 3, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "dense"));

	/* A message out of place. */
	lig_memif_msg_hello(&msgs[0], "x", 1, 1, 1, 1);
	fds[0] = -1;
	assert_int_equal(master_with(msgs, fds, 1, m), LIG_MEMIF_EV_DISCONNECTED);
	assert_non_null(strstr(m->reason, "unexpected hello"));
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),	     cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_desc_check),	     cmocka_unit_test(test_chain_check),
	    cmocka_unit_test(test_handshake),	     cmocka_unit_test(test_bad_secret),
	    cmocka_unit_test(test_no_secret_master), cmocka_unit_test(test_hostile_master_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

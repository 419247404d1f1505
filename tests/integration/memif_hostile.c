/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif-hostile: a memif slave that breaks the protocol on purpose, for
 * test_memif_hostile.sh. It connects to SOCKET as interface ID and then, by MODE:
 *   garbage      INIT, then a 50-byte control message
 *   bad-type     INIT, then a message of type 99
 *   bad-secret   INIT with a wrong secret
 *   bad-region   INIT, then ADD_REGION larger than its memfd
 *   bad-ring     INIT, ADD_REGION, then ADD_RING outside the region
 *   bad-desc     a correct handshake, then an s2m descriptor with region 7
 *   bad-offset   a correct handshake, then an s2m descriptor past the region end
 *   bad-index    a correct handshake, then head 5000 slots ahead of tail
 *   bad-m2s      a correct handshake, then m2s buffers posted at offsets past the region
 *                (the master finds out when it transmits to us)
 * Exit 0 when the master disconnected us within 5 s (its reason is printed), 1 if not.
 *   bad-frames   a correct handshake, then well-formed descriptors carrying 7 frames:
 *                good, runt (10 bytes), multicast source, zero source, 802.3 length
 *                beyond the frame, 1600 bytes (over an MTU of 1500), good. None is a
 *                protocol error: exit 0 when the master is still connected 1 s later.
 *
 * memif-hostile --master SOCKET ID MODE is a master that misbehaves towards a slave:
 *   m-bad-version  HELLO offering only protocol version 1
 *   m-bad-tail     a correct handshake, then m2s tail 5000 slots ahead
 *   m-bad-desc     a correct handshake, then an m2s descriptor longer than the buffer
 *   m-bad-flags    a correct handshake, then an m2s descriptor with an unknown flag
 *   m-bad-chain    a correct handshake, then every posted m2s slot chained (NEXT) and
 *                  all of them returned: a packet that never ends
 * Exit 0 when the slave disconnected within 5 s. Against a zero-copy slave (whose
 * descriptors point into its own buffer pool, region 1) also:
 *   m-zc-offset    an m2s descriptor rewritten to region 9, offset 0 (another buffer's
 *                  metadata), length 60: the slave must not read region or offset back.
 *                  Exit 0 when the slave did NOT disconnect within 1.5 s.
 *   m-zc-hoard     never gives an s2m slot back for 3 s (the slave's tx ring holds its
 *                  buffers), then moves the s2m tail 7 slots past the slave's head
 *                  (slots it was never given). Exit 0 when the slave disconnected.
 *   m-zc-tail-back gives s2m slots back as the slave fills them, then moves the s2m tail
 *                  4 slots back (slots returned twice). Exit 0 when the slave disconnected.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "memif/memif_conn.h"

static int
wait_disconnect(int fd, double secs)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	struct lig_memif_msg m;
	char err[128];
	int rfd;

	for (int t = 0; t < (int)(secs * 20); t++) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		int rv = lig_memif_recv(fd, &m, &rfd, err, sizeof(err));
		if (rfd >= 0)
			close(rfd);
		if (rv == -ECONNRESET) {
			printf("master closed the connection\n");
			return 0;
		}
		if (rv == 0 && m.type == LIG_MEMIF_MSG_DISCONNECT) {
			char s[LIG_MEMIF_ERR_SIZE + 1];
			lig_memif_wire_string(s, m.disconnect.string, sizeof(m.disconnect.string));
			printf("master disconnected us: %s\n", s);
			return 0;
		}
	}
	printf("master did not disconnect us\n");
	return 1;
}

/* Connects and reads HELLO by hand (for the handshake-stage modes). */
static int
raw_connect(const char *path)
{
	struct lig_memif_conn c;
	struct lig_memif_conn_config cfg = {.role = LIG_MEMIF_ROLE_SLAVE};
	struct lig_memif_msg m;
	char err[128];
	int rfd;

	lig_memif_conn_init(&c, &cfg);
	if (lig_memif_conn_slave_connect(&c, path) < 0) {
		fprintf(stderr, "connect: %s\n", c.reason);
		exit(2);
	}
	struct pollfd p = {.fd = c.fd, .events = POLLIN};
	if (poll(&p, 1, 2000) <= 0 || lig_memif_recv(c.fd, &m, &rfd, err, sizeof(err)) < 0 ||
	    m.type != LIG_MEMIF_MSG_HELLO) {
		fprintf(stderr, "no hello\n");
		exit(2);
	}
	return c.fd;
}

static int
sealed_memfd(size_t size)
{
	int fd = memfd_create("hostile", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		exit(2);
	return fd;
}

static void
send_or_die(int fd, struct lig_memif_msg *m, int pass)
{
	if (lig_memif_send(fd, m, pass) < 0) {
		perror("send");
		exit(2);
	}
}

static void
expect_ack(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	struct lig_memif_msg m;
	char err[128];
	int rfd;

	if (poll(&p, 1, 2000) <= 0 || lig_memif_recv(fd, &m, &rfd, err, sizeof(err)) < 0 ||
	    m.type != LIG_MEMIF_MSG_ACK) {
		fprintf(stderr, "no ack\n");
		exit(2);
	}
}

static int
handshake_mode(const char *path, uint32_t id, const char *mode)
{
	int fd = raw_connect(path);
	struct lig_memif_msg m;

	lig_memif_msg_init(&m, id, 0, strcmp(mode, "bad-secret") == 0 ? "not-the-secret" : "",
			   "memif-hostile");
	send_or_die(fd, &m, -1);
	if (strcmp(mode, "bad-secret") == 0)
		return wait_disconnect(fd, 5);
	expect_ack(fd);
	if (strcmp(mode, "garbage") == 0) {
		char junk[50];
		memset(junk, 0xa5, sizeof(junk));
		if (send(fd, junk, sizeof(junk), 0) < 0)
			exit(2);
	} else if (strcmp(mode, "bad-type") == 0) {
		lig_memif_msg_simple(&m, 99);
		send_or_die(fd, &m, -1);
	} else if (strcmp(mode, "bad-region") == 0) {
		lig_memif_msg_add_region(&m, 0, 1 << 20);
		send_or_die(fd, &m, sealed_memfd(4096));
	} else if (strcmp(mode, "bad-ring") == 0) {
		lig_memif_msg_add_region(&m, 0, 4096);
		send_or_die(fd, &m, sealed_memfd(4096));
		expect_ack(fd);
		lig_memif_msg_add_ring(&m, true, 0, 0, 4000, 10);
		send_or_die(fd, &m, eventfd(0, 0));
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	return wait_disconnect(fd, 5);
}

/* Puts a zeroed frame of len bytes in slot `slot` (with, from 14 bytes on, the header
 * 02:00:00:00:00:02 <- 02:00:00:00:00:01, IPv4) and returns it for changes. */
static uint8_t *
frame_at(struct lig_memif_conn *c, struct lig_memif_queue *q, unsigned slot, uint32_t len)
{
	struct lig_memif_desc *d = &q->ring->desc[slot];
	uint8_t *f;

	d->flags = 0;
	d->region = 0;
	d->offset = q->buf_offset + slot * c->buffer_size;
	d->length = len;
	f = (uint8_t *)c->regions[0].base + d->offset;
	memset(f, 0, len);
	if (len >= 14) {
		static const uint8_t dst[6] = {2, 0, 0, 0, 0, 2}, src[6] = {2, 0, 0, 0, 0, 1};
		memcpy(f, dst, 6);
		memcpy(f + 6, src, 6);
		f[12] = 0x08;
	}
	return f;
}

static int
send_bad_frames(struct lig_memif_conn *c, struct lig_memif_queue *s2m)
{
	unsigned n = 0;

	frame_at(c, s2m, n++, 64);
	frame_at(c, s2m, n++, 10);
	frame_at(c, s2m, n++, 64)[6] = 0x01; /* multicast source */
	memset(frame_at(c, s2m, n++, 64) + 6, 0, 6);
	uint8_t *f = frame_at(c, s2m, n++, 64);
	f[12] = 0x01; /* 802.3 length 256 in a 64-byte frame */
	f[13] = 0x00;
	frame_at(c, s2m, n++, 1600);
	frame_at(c, s2m, n++, 64);
	lig_memif_store_release(&s2m->ring->head, (uint16_t)n);
	uint64_t one = 1;
	if (write(s2m->int_fd, &one, sizeof(one)) < 0)
		perror("eventfd");
	int fd = c->fd;
	c->fd = -1;
	int r = wait_disconnect(fd, 1);
	printf(r ? "still connected\n" : "the master disconnected\n");
	return r == 1 ? 0 : 1;
}

static int
datapath_mode(const char *path, uint32_t id, const char *mode)
{
	struct lig_memif_conn_config cfg = {.role = LIG_MEMIF_ROLE_SLAVE,
					    .id = id,
					    .n_s2m = 1,
					    .n_m2s = 1,
					    .log2_ring_size = 8,
					    .buffer_size = 2048};
	static struct lig_memif_conn c;
	struct pollfd p;

	snprintf(cfg.name, sizeof(cfg.name), "memif-hostile");
	lig_memif_conn_init(&c, &cfg);
	if (lig_memif_conn_slave_connect(&c, path) < 0) {
		fprintf(stderr, "connect: %s\n", c.reason);
		return 2;
	}
	for (int i = 0; i < 100 && c.state == LIG_MEMIF_STATE_HANDSHAKE; i++) {
		p = (struct pollfd){.fd = c.fd, .events = POLLIN};
		poll(&p, 1, 50);
		lig_memif_conn_handle(&c);
	}
	if (c.state != LIG_MEMIF_STATE_CONNECTED) {
		fprintf(stderr, "handshake failed: %s\n", c.reason);
		return 2;
	}
	printf("connected to '%s'\n", c.peer_name);
	struct lig_memif_queue *s2m = &c.s2m[0], *m2s = &c.m2s[0];
	if (strcmp(mode, "bad-frames") == 0)
		return send_bad_frames(&c, s2m);
	if (strcmp(mode, "bad-m2s") == 0) {
		for (unsigned i = 0; i < m2s->size; i++)
			m2s->ring->desc[i].offset = 0xfffff000u;
	} else {
		struct lig_memif_desc *d = &s2m->ring->desc[0];
		d->flags = 0;
		d->length = 64;
		d->region = 0;
		d->offset = s2m->buf_offset;
		if (strcmp(mode, "bad-desc") == 0)
			d->region = 7;
		else if (strcmp(mode, "bad-offset") == 0)
			d->offset = (uint32_t)c.regions[0].size - 10;
		else if (strcmp(mode, "bad-index") != 0) {
			fprintf(stderr, "unknown mode %s\n", mode);
			return 2;
		}
		lig_memif_store_release(&s2m->ring->head,
					strcmp(mode, "bad-index") == 0 ? 5000 : 1);
		uint64_t one = 1;
		if (write(s2m->int_fd, &one, sizeof(one)) < 0)
			perror("eventfd");
	}
	int fd = c.fd;
	c.fd = -1; /* wait_disconnect reads the socket itself */
	return wait_disconnect(fd, 5);
}

static int
master_mode(const char *path, uint32_t id, const char *mode)
{
	struct lig_memif_conn_config cfg = {.role = LIG_MEMIF_ROLE_MASTER, .id = id};
	static struct lig_memif_conn c;
	struct lig_memif_msg m;
	struct pollfd p;
	char err[128];
	int lfd, fd, rfd;

	unlink(path);
	if (lig_memif_listen(path, &lfd) < 0)
		return 2;
	p = (struct pollfd){.fd = lfd, .events = POLLIN};
	if (poll(&p, 1, 5000) <= 0) {
		fprintf(stderr, "no slave came\n");
		return 2;
	}
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return 2;
	if (strcmp(mode, "m-bad-version") == 0) {
		lig_memif_msg_hello(&m, "memif-hostile", 1, 0, 0, 10);
		m.hello.min_version = m.hello.max_version = 0x0100;
		send_or_die(fd, &m, -1);
		return wait_disconnect(fd, 5);
	}
	lig_memif_msg_hello(&m, "memif-hostile", 4, 3, 3, 10);
	send_or_die(fd, &m, -1);
	p = (struct pollfd){.fd = fd, .events = POLLIN};
	if (poll(&p, 1, 2000) <= 0 || lig_memif_recv(fd, &m, &rfd, err, sizeof(err)) < 0 ||
	    m.type != LIG_MEMIF_MSG_INIT)
		return 2;
	snprintf(cfg.if_name, sizeof(cfg.if_name), "hostile-master");
	lig_memif_conn_init(&c, &cfg);
	if (lig_memif_conn_master_accept(&c, fd, &m) < 0)
		return 2;
	for (int i = 0; i < 100 && c.state == LIG_MEMIF_STATE_HANDSHAKE; i++) {
		p = (struct pollfd){.fd = c.fd, .events = POLLIN};
		poll(&p, 1, 50);
		lig_memif_conn_handle(&c);
	}
	if (c.state != LIG_MEMIF_STATE_CONNECTED) {
		fprintf(stderr, "handshake failed: %s\n", c.reason);
		return 2;
	}
	printf("connected to '%s'\n", c.peer_name);
	usleep(200000); /* let the slave see CONNECTED and post its buffers */
	struct lig_memif_queue *q = &c.m2s[0];
	if (strcmp(mode, "m-bad-tail") == 0) {
		lig_memif_store_release(&q->ring->tail, 5000);
	} else if (strcmp(mode, "m-bad-desc") == 0) {
		q->ring->desc[0].length = 1u << 20;
		lig_memif_store_release(&q->ring->tail, 1);
	} else if (strcmp(mode, "m-bad-flags") == 0) {
		q->ring->desc[0].length = 60;
		q->ring->desc[0].flags = 0x80;
		lig_memif_store_release(&q->ring->tail, 1);
	} else if (strcmp(mode, "m-bad-chain") == 0) {
		uint16_t head = lig_memif_load_acquire(&q->ring->head);
		for (unsigned i = 0; i < q->size; i++) {
			q->ring->desc[i].length = 60;
			q->ring->desc[i].flags = LIG_MEMIF_DESC_FLAG_NEXT;
		}
		lig_memif_store_release(&q->ring->tail, head);
	} else if (strcmp(mode, "m-zc-offset") == 0) {
		struct lig_memif_desc *d = &q->ring->desc[0];
		d->region = 9;
		d->offset = 0;
		d->length = 60;
		d->flags = 0;
		lig_memif_store_release(&q->ring->tail, 1);
		uint64_t one = 1;
		if (write(q->int_fd, &one, sizeof(one)) < 0)
			perror("eventfd");
		int r = wait_disconnect(c.fd, 1.5);
		printf(r ? "still connected: region and offset were not used\n"
			 : "the slave disconnected\n");
		close(lfd);
		unlink(path);
		return r == 1 ? 0 : 1;
	} else if (strcmp(mode, "m-zc-hoard") == 0) {
		struct lig_memif_queue *s = &c.s2m[0];
		printf("hoarding the s2m ring for 3 s\n");
		usleep(3000000);
		uint16_t head = lig_memif_load_acquire(&s->ring->head);
		printf("s2m head %u (%u slots held); tail set to head + 7\n", head,
		       (unsigned)(uint16_t)(head - s->ring->tail));
		lig_memif_store_release(&s->ring->tail, (uint16_t)(head + 7));
	} else if (strcmp(mode, "m-zc-tail-back") == 0) {
		/* Give back whatever the slave puts in until it has sent 64, then once more,
		 * let it take them back (its next transmit), and move the tail back. */
		struct lig_memif_queue *s = &c.s2m[0];
		uint16_t head = 0;
		for (int i = 0; i < 100 && head < 64; i++) {
			head = lig_memif_load_acquire(&s->ring->head);
			lig_memif_store_release(&s->ring->tail, head);
			usleep(50000);
		}
		head = lig_memif_load_acquire(&s->ring->head);
		lig_memif_store_release(&s->ring->tail, head);
		usleep(300000);
		printf("s2m head %u, all returned; tail set to %u (4 slots back)\n", head,
		       (unsigned)(uint16_t)(head - 4));
		lig_memif_store_release(&s->ring->tail, (uint16_t)(head - 4));
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	uint64_t one = 1;
	if (write(q->int_fd, &one, sizeof(one)) < 0)
		perror("eventfd");
	fd = c.fd;
	c.fd = -1;
	int rv = wait_disconnect(fd, 5);
	close(lfd);
	unlink(path);
	return rv;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--master") == 0) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		return master_mode(argv[2], (uint32_t)strtoul(argv[3], NULL, 0), argv[4]);
	}
	if (argc != 4) {
		fprintf(stderr, "usage: memif-hostile [--master] SOCKET ID MODE\n");
		return 2;
	}
	uint32_t id = (uint32_t)strtoul(argv[2], NULL, 0);
	const char *mode = argv[3];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strncmp(mode, "bad-desc", 8) == 0 || strcmp(mode, "bad-offset") == 0 ||
	    strcmp(mode, "bad-index") == 0 || strcmp(mode, "bad-m2s") == 0 ||
	    strcmp(mode, "bad-frames") == 0)
		return datapath_mode(argv[1], id, mode);
	return handshake_mode(argv[1], id, mode);
}

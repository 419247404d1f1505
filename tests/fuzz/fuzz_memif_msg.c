/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the memif control-message parser and the master's handshake state
 * machine: the input is a sequence of 128-byte messages a hostile slave sends (after an
 * INIT). ADD_REGION gets a real sealed memfd (rings' cookies pre-set every 128 bytes so
 * CONNECT can get as far as mapping), ADD_RING a real eventfd. The master must never
 * crash, leak an fd, or map more than a region's file holds.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "memif/memif_conn.h"

#define REGION_SIZE (64 * 1024)

static int region_fd = -1;

static void
fuzz_setup(void)
{
	region_fd = memfd_create("fuzz", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (region_fd < 0 || ftruncate(region_fd, REGION_SIZE) < 0 ||
	    fcntl(region_fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		abort();
}

static void
fuzz_cookies(void)
{
	uint8_t *p = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, region_fd, 0);
	if (p == MAP_FAILED)
		abort();
	for (size_t off = 0; off + 4 <= REGION_SIZE; off += 128) {
		uint32_t c = LIG_MEMIF_COOKIE;
		memcpy(p + off, &c, 4);
	}
	munmap(p, REGION_SIZE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lig_memif_conn conn;
	struct lig_memif_conn_config cfg = {.role = LIG_MEMIF_ROLE_MASTER};
	struct lig_memif_msg m, init;
	char err[128];
	int sv[2];

	if (region_fd < 0)
		fuzz_setup();
	/* The parser alone, on the raw input (any length). */
	(void)lig_memif_msg_parse(data, size, size & 1, &m, err, sizeof(err));
	if (size < 1)
		return 0;
	fuzz_cookies();

	lig_memif_conn_init(&conn, &cfg);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	lig_memif_msg_init(&init, 0, 0, "", "fuzz");
	if (lig_memif_conn_master_accept(&conn, sv[0], &init) < 0)
		abort();
	/* First byte: bit i set = message i gets an fd even where none belongs. */
	uint8_t extra_fd = data[0];
	data++;
	size--;
	for (unsigned i = 0; size >= LIG_MEMIF_MSG_SIZE && i < 32 && conn.fd >= 0; i++) {
		memcpy(&m, data, sizeof(m));
		data += LIG_MEMIF_MSG_SIZE;
		size -= LIG_MEMIF_MSG_SIZE;
		int fd = -1;
		if (m.type == LIG_MEMIF_MSG_ADD_REGION)
			fd = fcntl(region_fd, F_DUPFD_CLOEXEC, 0);
		else if (m.type == LIG_MEMIF_MSG_ADD_RING)
			fd = eventfd(0, EFD_CLOEXEC);
		else if (i < 8 && (extra_fd & (1u << i)))
			fd = eventfd(0, EFD_CLOEXEC);
		if (lig_memif_send(sv[1], &m, fd) < 0)
			abort();
		if (fd >= 0)
			close(fd);
		(void)lig_memif_conn_handle(&conn);
	}
	/* A trailing partial message: parser sees a short read. */
	if (size && conn.fd >= 0) {
		if (send(sv[1], data, size, MSG_DONTWAIT) >= 0)
			(void)lig_memif_conn_handle(&conn);
	}
	if (conn.state == LIG_MEMIF_STATE_CONNECTED) {
		/* Everything the master now trusts must lie inside its mappings. */
		for (unsigned i = 0; i < conn.n_s2m + conn.n_m2s; i++) {
			struct lig_memif_queue *q =
			    i < conn.n_s2m ? &conn.s2m[i] : &conn.m2s[i - conn.n_s2m];
			uint8_t *base = conn.regions[q->region].base;
			if ((uint8_t *)q->ring < base ||
			    (uint8_t *)q->ring + lig_memif_ring_bytes(q->log2) >
				base + conn.regions[q->region].size)
				abort();
		}
	}
	lig_memif_conn_disconnect(&conn, "fuzz done", false);
	close(sv[1]);
	return 0;
}

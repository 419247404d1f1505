/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the API server end to end: framing, header checks, validation by the message
 * definitions and every handler, with ligd's real message table. The input is a list of
 * records [u8 msg][u8 mode][u16 len][len bytes of body]; the harness turns each into a
 * message on a socket served by the API server (msg picks from the table, so the fuzzer
 * reaches real handlers with the right CRC; mode corrupts the header now and then: wrong
 * CRC, flags, length). Messages that would reach outside the process (creating af_packet,
 * tap or memif interfaces) are skipped, and the process lives in its own network
 * namespace. Every reply must be well formed and answer the requests in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "infra/log.h"
#include "vlib/api_server.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

static int fuzz_api_peer = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)unshare(CLONE_NEWNET);
	lig_log_level = LIG_LOG_ERR;
	lig_loop_idle_spins = 0;
	if (lig_buffer_pool_init(2048) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0 || lig_api_server_start(NULL) < 0)
		abort();
	return 0;
}

static bool
fuzz_api_allowed(const struct lig_api_msg *m)
{
	static const char *const outside[] = {"afpacket", "tap", "memif"};

	if (m->kind == LIG_API_DUMP)
		return true;
	for (size_t i = 0; i < LIG_ARRAY_LEN(outside); i++)
		if (strcmp(m->module, outside[i]) == 0)
			return false;
	return true;
}

/* Reads every reply available; aborts on a malformed one. Returns false once the server
 * closed the connection. */
static bool
fuzz_api_drain(u32 *expect_context, u32 sent)
{
	static u8 buf[LIG_API_MAX_MSG + 65536];
	static u32 have;
	for (;;) {
		ssize_t n = recv(fuzz_api_peer, buf + have, sizeof(buf) - have, MSG_DONTWAIT);
		if (n == 0)
			return (have = 0, false);
		if (n < 0)
			break;
		have += (u32)n;
		while (have >= LIG_API_HDR_SIZE) {
			struct lig_api_hdr h;
			memcpy(&h, buf, sizeof(h));
			if (h.length < LIG_API_HDR_SIZE || h.length > LIG_API_MAX_MSG)
				abort();
			if (have < h.length)
				break;
			if (!(h.flags & (LIG_API_F_REPLY | LIG_API_F_DONE | LIG_API_F_DETAILS |
					 LIG_API_F_EVENT)))
				abort();
			if (h.flags & (LIG_API_F_REPLY | LIG_API_F_DONE)) {
				/* Answers come in order, each with its status. */
				if (h.context != *expect_context ||
				    h.length < LIG_API_HDR_SIZE + sizeof(struct lig_api_status))
					abort();
				(*expect_context)++;
			}
			memmove(buf, buf + h.length, have - h.length);
			have -= h.length;
		}
	}
	(void)sent;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 msg[4 + 65536 + LIG_API_HDR_SIZE];
	int sv[2];
	u32 context = 1, expect = 1;
	bool open = true;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	if (lig_api_server_adopt(sv[0]) < 0)
		abort();
	fuzz_api_peer = sv[1];
	while (size >= 4 && open) {
		const struct lig_api_msg *m = lig_api_msgs[data[0] % lig_api_n_msgs];
		u8 mode = data[1];
		u32 len = (u32)data[2] | (u32)data[3] << 8;
		data += 4;
		size -= 4;
		if (len > size)
			len = (u32)size;
		if (!fuzz_api_allowed(m)) {
			data += len;
			size -= len;
			continue;
		}
		struct lig_api_hdr h = {.msg_id = m->id,
					.crc = lig_api_msg_crc(m),
					.context = context,
					.length = LIG_API_HDR_SIZE + len};
		/* Mostly well-formed headers, so handlers see the bodies. */
		switch (mode & 0xf) {
		case 1:
			h.crc ^= 1u << (mode >> 4);
			break;
		case 2:
			h.flags = (u16)(1u << (mode >> 4));
			break;
		case 3:
			h.msg_id = (u16)(h.msg_id + (mode >> 4) + 1);
			break;
		default:
			break;
		}
		memcpy(msg, &h, sizeof(h));
		memcpy(msg + sizeof(h), data, len);
		data += len;
		size -= len;
		context++;
		size_t off = 0;
		while (off < sizeof(h) + len && open) {
			ssize_t w =
			    send(fuzz_api_peer, msg + off, sizeof(h) + len - off, MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN)
				open = false;
			else if (w > 0)
				off += (size_t)w;
			lig_loop_run_once(0);
			open = open && fuzz_api_drain(&expect, context);
		}
	}
	/* Let every request be answered. */
	for (int i = 0; i < 64 && open && expect < context; i++) {
		lig_loop_run_once(0);
		open = fuzz_api_drain(&expect, context);
	}
	if (open && expect != context)
		abort(); /* a request was never answered */
	close(fuzz_api_peer);
	lig_loop_run_once(0); /* the server sees the hang-up and frees the client */
	return 0;
}

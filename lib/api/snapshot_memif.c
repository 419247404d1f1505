/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot steps for memif: 90 the memif sockets (but the default socket 0, which every
 * ligd has beside its own CLI socket), 100 the memif interfaces with their rx-mode. An
 * interface with a secret cannot be copied (no dump reveals a secret): the copy fails,
 * naming it. Connection state and counters are state, left out of the text.
 */
#include <errno.h>
#include <string.h>

#include "ligapi_snapshot.h"
#include "memif/api.h"

struct lig_snap_memif_ctx {
	struct lig_snap *s;
	int rv;
};

/* Calls on s->to while s->from's dump is being read: allowed, it is the other
 * connection. */
static bool
lig_snap_memif_socket_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;
	lig_api_memif_socket_dump_details_t d;
	lig_api_memif_socket_create_t req = {0};
	lig_api_memif_socket_create_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (d.socket_id == 0)
		return true;
	req.socket_id = d.socket_id;
	memcpy(req.filename, d.filename, sizeof(req.filename));
	x->rv = LIG_API_CLIENT_CALL(x->s->to, memif_socket_create, &req, &rep);
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
	return x->rv == 0;
}

static int
lig_snap_memif_socket_copy(struct lig_snap *s)
{
	struct lig_snap_memif_ctx x = {.s = s};
	lig_api_memif_socket_dump_t req;
	int rv = LIG_API_CLIENT_DUMP(s->from, memif_socket_dump, &req,
				     lig_snap_memif_socket_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_memif_socket_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;
	lig_api_memif_socket_dump_details_t d;

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (d.socket_id == 0) /* its path is each ligd's own */
		return true;
	x->rv = lig_snap_json(x->s, "memif_socket", LIG_API_ID_memif_socket_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_memif_socket_text(struct lig_snap *s)
{
	struct lig_snap_memif_ctx x = {.s = s};
	lig_api_memif_socket_dump_t req;
	int rv = LIG_API_CLIENT_DUMP(s->from, memif_socket_dump, &req,
				     lig_snap_memif_socket_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("memif_socket", 90, lig_snap_memif_socket_copy, lig_snap_memif_socket_text)

static bool
lig_snap_memif_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;
	lig_api_memif_dump_details_t d;
	lig_api_memif_create_t req = {0};
	lig_api_memif_create_reply_t rep;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (d.secret_set) {
		x->rv = lig_snap_fail(x->s, -EPERM,
				      "memif%u/%u has a secret, which no dump reveals: it cannot "
				      "be copied",
				      d.socket_id, d.id);
		return false;
	}
	req.id = d.id;
	req.socket_id = d.socket_id;
	req.role = d.role;
	req.mode = d.mode;
	req.rx_queues = d.rx_queues;
	req.tx_queues = d.tx_queues;
	req.ring_size = d.ring_size;
	req.buffer_size = d.buffer_size;
	memcpy(req.hw_addr, d.hw_addr, 6);
	x->rv = LIG_API_CLIENT_CALL(x->s->to, memif_create, &req, &rep);
	if (x->rv < 0) {
		lig_snap_fail(x->s, x->rv, "%s", rep.error);
		return false;
	}
	lig_api_memif_set_rx_mode_t m = {.sw_if_index = rep.sw_if_index, .rx_mode = d.rx_mode};
	lig_api_memif_set_rx_mode_reply_t mrep;
	x->rv = LIG_API_CLIENT_CALL(x->s->to, memif_set_rx_mode, &m, &mrep);
	if (x->rv < 0)
		lig_snap_fail(x->s, x->rv, "%s", mrep.error);
	return x->rv == 0;
}

static int
lig_snap_memif_copy(struct lig_snap *s)
{
	struct lig_snap_memif_ctx x = {.s = s};
	lig_api_memif_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, memif_dump, &req, lig_snap_memif_copy_one, &x);

	if (x.rv)
		return x.rv;
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

static bool
lig_snap_memif_text_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;

	x->rv = lig_snap_json(x->s, "memif", LIG_API_ID_memif_dump, details, size);
	return x->rv == 0;
}

static int
lig_snap_memif_text(struct lig_snap *s)
{
	struct lig_snap_memif_ctx x = {.s = s};
	lig_api_memif_dump_t req = {0};
	int rv = LIG_API_CLIENT_DUMP(s->from, memif_dump, &req, lig_snap_memif_text_one, &x);

	if (x.rv)
		return lig_snap_fail(s, x.rv, "out of memory");
	return rv < 0 ? lig_snap_fail(s, rv, "%s", lig_api_last_error(s->from)) : 0;
}

LIG_SNAP_STEP("memif", 100, lig_snap_memif_copy, lig_snap_memif_text)

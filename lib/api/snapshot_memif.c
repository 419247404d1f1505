/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Snapshot steps for memif: 90 the memif sockets (but the default socket 0, which every
 * ligd has beside its own CLI socket), 100 the memif interfaces with their rx-mode.
 * Sockets and interfaces the copy has already (same id and filename; same name) are left
 * as they are, but for the rx-mode. An interface with a secret cannot be created by the
 * copy (no dump reveals a secret): the copy fails, naming it, unless the target has that
 * interface already (created with its secret beforehand). Connection state and counters
 * are state, left out of the text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ligapi_snapshot.h"
#include "memif/api.h"

struct lig_snap_memif_ctx {
	struct lig_snap *s;
	int rv;
	/* The sockets s->to has: filename by id ("" none). */
	char (*to_sockets)[sizeof(lig_api_path_t)];
};

static bool
lig_snap_memif_socket_have(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;
	lig_api_memif_socket_dump_details_t d;

	if (size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if (d.socket_id < 256)
		memcpy(x->to_sockets[d.socket_id], d.filename, sizeof(d.filename));
	return true;
}

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
	if (d.socket_id < 256 && strcmp(x->to_sockets[d.socket_id], d.filename) == 0)
		return true; /* the copy has it */
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
	struct lig_snap_memif_ctx x = {.s = s, .to_sockets = calloc(256, sizeof(lig_api_path_t))};
	lig_api_memif_socket_dump_t req;
	int rv;

	if (!x.to_sockets)
		return lig_snap_fail(s, -ENOMEM, "out of memory");
	rv = LIG_API_CLIENT_DUMP(s->to, memif_socket_dump, &req, lig_snap_memif_socket_have, &x);
	if (rv >= 0)
		rv = LIG_API_CLIENT_DUMP(s->from, memif_socket_dump, &req,
					 lig_snap_memif_socket_copy_one, &x);
	else
		x.rv = lig_snap_fail(s, rv, "%s", lig_api_last_error(s->to));
	free(x.to_sockets);
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

/* Creates the interface of d on s->to, unless it has it; its sw_if_index there in *sw. */
static int
lig_snap_memif_create(struct lig_snap_memif_ctx *x, const lig_api_memif_dump_details_t *d, u32 *sw)
{
	lig_api_memif_create_t req = {0};
	lig_api_memif_create_reply_t rep;

	*sw = lig_snap_if_to(x->s, d->sw_if_index);
	if (*sw != ~0u)
		return 0;
	if (d->secret_set)
		return lig_snap_fail(x->s, -EPERM,
				     "memif%u/%u has a secret, which no dump reveals: it cannot be "
				     "copied",
				     d->socket_id, d->id);
	req.id = d->id;
	req.socket_id = d->socket_id;
	req.role = d->role;
	req.mode = d->mode;
	req.rx_queues = d->rx_queues;
	req.tx_queues = d->tx_queues;
	req.ring_size = d->ring_size;
	req.buffer_size = d->buffer_size;
	memcpy(req.hw_addr, d->hw_addr, 6);
	int rv = LIG_API_CLIENT_CALL(x->s->to, memif_create, &req, &rep);
	if (rv < 0)
		return lig_snap_fail(x->s, rv, "%s", rep.error);
	*sw = rep.sw_if_index;
	return 0;
}

static bool
lig_snap_memif_copy_one(void *ctx, const void *details, u32 size)
{
	struct lig_snap_memif_ctx *x = ctx;
	lig_api_memif_dump_details_t d;
	lig_api_memif_set_rx_mode_t m;
	lig_api_memif_set_rx_mode_reply_t mrep;
	u32 sw;

	if (x->rv || size != sizeof(d))
		return false;
	memcpy(&d, details, sizeof(d));
	if ((x->rv = lig_snap_memif_create(x, &d, &sw)) < 0)
		return false;
	m.sw_if_index = sw;
	m.rx_mode = d.rx_mode;
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

/* SPDX-License-Identifier: Apache-2.0 */
/* memif API handlers (api.h): the one front end of memif.c that the socket, the CLI
 * (cli.c) and the agent all call; and memif_event, sent when a connection comes or goes. */
#include <errno.h>
#include <stdio.h>

#include "../vlib/api_server.h"
#include "../vlib/module.h"
#include "api.h"
#include "memif.h"

/* ---- sockets ---- */

static int
lig_memif_api_socket_create(struct lig_api_call *c, const lig_api_memif_socket_create_t *req,
			    lig_api_memif_socket_create_reply_t *rep)
{
	const char *path = req->filename;
	(void)rep;

	if (req->socket_id == 0)
		return lig_api_error(c, -EINVAL,
				     "memif socket 0 is the default socket and always exists");
	if (req->socket_id >= LIG_MEMIF_MAX_SOCKETS)
		return lig_api_error(c, -EINVAL, "memif socket id %u out of range (1..%u)",
				     req->socket_id, LIG_MEMIF_MAX_SOCKETS - 1);
	if (!path[0])
		return lig_api_error(c, -EINVAL, "memif socket %u: a filename is needed",
				     req->socket_id);
	if (path[0] != '/' && path[0] != '@')
		return lig_api_error(
		    c, -EINVAL, "memif socket %u: '%s' is neither an absolute path nor @abstract",
		    req->socket_id, path);
	if (lig_memif_socket_get(req->socket_id))
		return lig_api_error(c, -EEXIST, "memif socket %u already exists", req->socket_id);
	for (u32 i = 0; i < LIG_MEMIF_MAX_SOCKETS; i++) {
		const struct lig_memif_socket *s = lig_memif_socket_get(i);
		if (s && strcmp(s->path, path) == 0)
			return lig_api_error(c, -EEXIST, "memif socket %u: %s is memif socket %u",
					     req->socket_id, path, i);
	}
	int rv = lig_memif_socket_create(req->socket_id, path);
	if (rv < 0)
		return lig_api_error(c, rv, "memif socket %u: cannot create: %s", req->socket_id,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER(memif_socket_create, lig_memif_api_socket_create);

static int
lig_memif_api_socket_delete(struct lig_api_call *c, const lig_api_memif_socket_delete_t *req,
			    lig_api_memif_socket_delete_reply_t *rep)
{
	const struct lig_memif_socket *s = lig_memif_socket_get(req->socket_id);
	(void)rep;

	if (req->socket_id == 0)
		return lig_api_error(c, -EINVAL,
				     "socket 0 is the default socket and always exists");
	if (!s)
		return lig_api_error(c, -ENOENT, "memif socket %u does not exist", req->socket_id);
	if (s->n_masters + s->n_slaves)
		return lig_api_error(
		    c, -EBUSY, "socket %u is used by memif interfaces (%u); delete them first",
		    req->socket_id, s->n_masters + s->n_slaves);
	int rv = lig_memif_socket_delete(req->socket_id);
	if (rv < 0)
		return lig_api_error(c, rv, "memif socket %u: cannot delete: %s", req->socket_id,
				     strerror(-rv));
	return 0;
}
LIG_API_HANDLER(memif_socket_delete, lig_memif_api_socket_delete);

static int
lig_memif_api_socket_dump(struct lig_api_call *c, const lig_api_memif_socket_dump_t *req)
{
	(void)req;
	for (u64 i = c->cursor; i < LIG_MEMIF_MAX_SOCKETS; i++) {
		const struct lig_memif_socket *s = lig_memif_socket_get((u32)i);
		if (!s)
			continue;
		lig_api_memif_socket_dump_details_t d = {.socket_id = (u32)i,
							 .listening = s->listen_fd >= 0,
							 .n_masters = s->n_masters,
							 .n_slaves = s->n_slaves};
		snprintf(d.filename, sizeof(d.filename), "%s", s->path);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(memif_socket_dump, lig_memif_api_socket_dump);

/* ---- interfaces ---- */

static int
lig_memif_api_create_any(struct lig_api_call *c, const lig_api_memif_create_t *req, bool zero_copy,
			 lig_api_memif_create_reply_t *rep)
{
	struct lig_memif_create_args a;
	const struct lig_memif_socket *s;
	const u8 *m = req->hw_addr;
	u32 ring = req->ring_size ? req->ring_size : 1u << LIG_MEMIF_DEFAULT_LOG2_RING;
	char name[32];
	u32 sw = 0;

	snprintf(name, sizeof(name), "memif%u/%u", req->socket_id, req->id);
	lig_memif_create_args_default(&a);
	if (req->socket_id >= LIG_MEMIF_MAX_SOCKETS)
		return lig_api_error(c, -EINVAL, "memif socket id %u out of range (0..%u)",
				     req->socket_id, LIG_MEMIF_MAX_SOCKETS - 1);
	s = lig_memif_socket_get(req->socket_id);
	if (!s)
		return lig_api_error(c, -ENOENT, "memif socket %u does not exist", req->socket_id);
	if (req->role > LIG_MEMIF_ROLE_SLAVE)
		return lig_api_error(c, -EINVAL, "%s: role %u is neither 0 (master) nor 1 (slave)",
				     name, req->role);
	if (req->mode > LIG_MEMIF_MODE_IP)
		return lig_api_error(c, -EINVAL, "%s: mode %u is neither 0 (ethernet) nor 1 (ip)",
				     name, req->mode);
	if (req->rx_queues > LIG_MEMIF_MAX_QUEUES || req->tx_queues > LIG_MEMIF_MAX_QUEUES)
		return lig_api_error(c, -EINVAL, "%s: %u rx and %u tx queues: each is 1..%u", name,
				     req->rx_queues, req->tx_queues, LIG_MEMIF_MAX_QUEUES);
	if (ring < 2 || ring > (1u << LIG_MEMIF_MAX_LOG2_RING) || (ring & (ring - 1)))
		return lig_api_error(c, -EINVAL, "%s: ring size %u is not a power of 2 in 2..%u",
				     name, ring, 1u << LIG_MEMIF_MAX_LOG2_RING);
	if (req->buffer_size && (req->buffer_size < LIG_MEMIF_MIN_BUFFER_SIZE ||
				 req->buffer_size > LIG_MEMIF_MAX_BUFFER_SIZE))
		return lig_api_error(c, -EINVAL, "%s: buffer size %u out of range (%u..%u)", name,
				     req->buffer_size, LIG_MEMIF_MIN_BUFFER_SIZE,
				     LIG_MEMIF_MAX_BUFFER_SIZE);
	if (strlen(req->secret) > LIG_MEMIF_SECRET_SIZE)
		return lig_api_error(c, -EINVAL, "%s: a secret has at most %u characters", name,
				     LIG_MEMIF_SECRET_SIZE);
	if (m[0] & 1)
		return lig_api_error(c, -EINVAL, "%s: a multicast MAC cannot be its address", name);
	if (req->role == LIG_MEMIF_ROLE_MASTER ? s->n_slaves : s->n_masters)
		return lig_api_error(c, -EINVAL,
				     "%s: memif socket %u serves %s (a socket serves masters or "
				     "slaves, not both)",
				     name, req->socket_id, s->n_slaves ? "slaves" : "masters");

	a.id = req->id;
	a.socket_id = req->socket_id;
	a.role = req->role;
	a.mode = req->mode;
	if (req->rx_queues)
		a.rx_queues = req->rx_queues;
	if (req->tx_queues)
		a.tx_queues = req->tx_queues;
	a.log2_ring_size = (u8)__builtin_ctz(ring);
	if (req->buffer_size)
		a.buffer_size = req->buffer_size;
	a.have_hw_addr = m[0] | m[1] | m[2] | m[3] | m[4] | m[5];
	memcpy(a.hw_addr, m, 6);
	/* Checked above: the secret and its NUL fit in a.secret. */
	memcpy(a.secret, req->secret, strlen(req->secret) + 1);
	if (zero_copy &&
	    (req->role != LIG_MEMIF_ROLE_SLAVE || req->mode != LIG_MEMIF_MODE_ETHERNET))
		return lig_api_error(c, -EINVAL, "%s: zero-copy is for a slave in ethernet mode",
				     name);
	a.zero_copy = zero_copy;
	int rv = lig_memif_create_if(&a, &sw);
	if (rv == -EOPNOTSUPP)
		return lig_api_error(c, rv,
				     "%s: zero-copy needs the buffer pool in one shareable region "
				     "(a memfd of at most 4 GiB)",
				     name);
	if (rv == -EEXIST)
		return lig_api_error(c, rv, "memif id %u already exists on socket %u", req->id,
				     req->socket_id);
	if (rv == -EADDRINUSE)
		return lig_api_error(c, rv, "%s: another process listens on %s", name, s->path);
	if (rv == -ENOSPC)
		return lig_api_error(c, rv, "%s: ligd has %u memif interfaces already", name,
				     LIG_MEMIF_MAX_IFS);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot create: %s", name, strerror(-rv));
	rep->sw_if_index = sw;
	return 0;
}

static int
lig_memif_api_create(struct lig_api_call *c, const lig_api_memif_create_t *req,
		     lig_api_memif_create_reply_t *rep)
{
	return lig_memif_api_create_any(c, req, false, rep);
}
/* mp-safe: lig_memif_create_if takes the barrier only to add the interface. */
LIG_API_HANDLER_MP_SAFE(memif_create, lig_memif_api_create);

/* v2 is v1's fields and then zero_copy (api.h). */
_Static_assert(offsetof(lig_api_memif_create_v2_t, zero_copy) == sizeof(lig_api_memif_create_t),
	       "memif_create_v2 extends memif_create");
_Static_assert(offsetof(lig_api_memif_dump_v2_details_t, zero_copy) ==
		   sizeof(lig_api_memif_dump_details_t),
	       "memif_dump_v2's details extend memif_dump's");

static int
lig_memif_api_create_v2(struct lig_api_call *c, const lig_api_memif_create_v2_t *req,
			lig_api_memif_create_v2_reply_t *rep)
{
	lig_api_memif_create_t v1;
	lig_api_memif_create_reply_t r1 = {0};

	memcpy(&v1, req, sizeof(v1));
	int rv = lig_memif_api_create_any(c, &v1, req->zero_copy, &r1);
	rep->sw_if_index = r1.sw_if_index;
	return rv;
}
LIG_API_HANDLER_MP_SAFE(memif_create_v2, lig_memif_api_create_v2);

/* The memif interface sw_if_index, or an error naming what it is instead. */
static int
lig_memif_api_get(struct lig_api_call *c, u32 sw_if_index, const char *what,
		  struct lig_memif_if **mif)
{
	const struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return lig_api_error(c, -ENOENT, "interface %u does not exist", sw_if_index);
	*mif = lig_memif_if_by_sw(sw_if_index);
	if (!*mif)
		return lig_api_error(c, -EINVAL, "%s%s", ifp->name, what);
	return 0;
}

static int
lig_memif_api_delete(struct lig_api_call *c, const lig_api_memif_delete_t *req,
		     lig_api_memif_delete_reply_t *rep)
{
	struct lig_memif_if *mif;
	(void)rep;

	int rv = lig_memif_api_get(c, req->sw_if_index, " is not a memif interface", &mif);
	if (rv < 0)
		return rv;
	rv = lig_memif_delete_if(req->sw_if_index);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot delete: %s",
				     lig_if_get(req->sw_if_index)->name, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(memif_delete, lig_memif_api_delete);

static int
lig_memif_api_set_rx_mode(struct lig_api_call *c, const lig_api_memif_set_rx_mode_t *req,
			  lig_api_memif_set_rx_mode_reply_t *rep)
{
	struct lig_memif_if *mif;
	(void)rep;

	int rv = lig_memif_api_get(c, req->sw_if_index,
				   ": rx-mode is only supported on memif interfaces", &mif);
	if (rv < 0)
		return rv;
	if (req->rx_mode > LIG_MEMIF_RX_MODE_ADAPTIVE)
		return lig_api_error(c, -EINVAL,
				     "%s: rx-mode %u is not 0 (polling), 1 (interrupt) or 2 "
				     "(adaptive)",
				     lig_if_get(req->sw_if_index)->name, req->rx_mode);
	rv = lig_memif_set_rx_mode(req->sw_if_index, req->rx_mode);
	if (rv < 0)
		return lig_api_error(c, rv, "%s: cannot set rx-mode: %s",
				     lig_if_get(req->sw_if_index)->name, strerror(-rv));
	return 0;
}
LIG_API_HANDLER(memif_set_rx_mode, lig_memif_api_set_rx_mode);

static void
lig_memif_api_details(const struct lig_memif_if *mif, lig_api_memif_dump_details_t *d)
{
	const struct lig_memif_conn *cn = &mif->conn;
	const struct lig_memif_if_counters *k = &mif->counters;

	memset(d, 0, sizeof(*d));
	d->sw_if_index = mif->sw_if_index;
	d->id = mif->id;
	d->socket_id = mif->socket_id;
	d->role = cn->cfg.role;
	d->mode = mif->mode;
	d->rx_mode = mif->rx_mode;
	d->rx_queues = mif->cfg_rx_queues;
	d->tx_queues = mif->cfg_tx_queues;
	d->ring_size = 1u << cn->cfg.log2_ring_size;
	d->buffer_size = cn->cfg.buffer_size;
	memcpy(d->hw_addr, lig_if_get(mif->sw_if_index)->mac, 6);
	d->secret_set = cn->cfg.secret[0] != 0;
	d->state = cn->state;
	snprintf(d->reason, sizeof(d->reason), "%.127s", cn->reason);
	d->peer_fault = cn->peer_fault;
	snprintf(d->peer_name, sizeof(d->peer_name), "%s", cn->peer_name);
	snprintf(d->peer_if_name, sizeof(d->peer_if_name), "%s", cn->peer_if_name);
	d->connects = k->connects;
	d->disconnects = k->disconnects;
	d->peer_errors = k->peer_errors;
	/* Workers count these while this runs (mp-safe). */
	d->bad_desc = lig_counter_get(&k->bad_desc);
	d->tx_ring_full = lig_counter_get(&k->tx_ring_full);
	d->rx_no_buffer = lig_counter_get(&k->rx_no_buffer);
	d->rx_too_long = lig_counter_get(&k->rx_too_long);
}

static int
lig_memif_api_dump_any(struct lig_api_call *c, const lig_api_memif_dump_t *req, bool v2)
{
	u32 from = 1, to = LIG_IF_MAX;

	if (req->sw_if_index) {
		struct lig_memif_if *mif;
		int rv = lig_memif_api_get(c, req->sw_if_index, " is not a memif interface", &mif);
		if (rv < 0)
			return rv;
		from = req->sw_if_index;
		to = from + 1;
	}
	for (u64 i = LIG_MAX(c->cursor, from); i < to; i++) {
		const struct lig_memif_if *mif = lig_memif_if_by_sw((u32)i);
		lig_api_memif_dump_v2_details_t d;
		if (!mif)
			continue;
		lig_memif_api_details(mif, (lig_api_memif_dump_details_t *)&d);
		d.zero_copy = mif->zero_copy;
		if (!lig_api_details(c, &d,
				     v2 ? sizeof(d) : sizeof(lig_api_memif_dump_details_t))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
static int
lig_memif_api_dump(struct lig_api_call *c, const lig_api_memif_dump_t *req)
{
	return lig_memif_api_dump_any(c, req, false);
}
LIG_API_DUMP_HANDLER_MP_SAFE(memif_dump, lig_memif_api_dump);

static int
lig_memif_api_dump_v2(struct lig_api_call *c, const lig_api_memif_dump_v2_t *req)
{
	lig_api_memif_dump_t v1;

	memcpy(&v1, req, sizeof(v1));
	return lig_memif_api_dump_any(c, &v1, true);
}
LIG_API_DUMP_HANDLER_MP_SAFE(memif_dump_v2, lig_memif_api_dump_v2);

/* ---- events ---- */

static void
lig_memif_api_state(const struct lig_memif_if *mif, bool connected)
{
	if (!lig_api_event_wanted(LIG_API_ID_memif_event))
		return;
	lig_api_memif_event_t e = {.sw_if_index = mif->sw_if_index,
				   .connected = connected,
				   .peer_fault = connected ? 0 : mif->conn.peer_fault};
	/* The name is memif<socket>/<id>, also while the interface is being deleted. */
	snprintf(e.name, sizeof(e.name), "memif%u/%u", mif->socket_id, mif->id);
	if (!connected)
		snprintf(e.reason, sizeof(e.reason), "%.127s", mif->conn.reason);
	snprintf(e.peer_name, sizeof(e.peer_name), "%s", mif->conn.peer_name);
	lig_api_event(LIG_API_ID_memif_event, &e, sizeof(e));
}

static int
lig_memif_api_init(void)
{
	lig_memif_set_state_listener(lig_memif_api_state);
	return 0;
}
LIG_MODULE(memif_api, .init = lig_memif_api_init, .depends = {"memif"});

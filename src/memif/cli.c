/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif CLI: parses the memif commands into API requests and calls the same handlers as the
 * API socket (api.c). show memif renders the memif and memif socket dumps, plus the rings
 * of connected interfaces; show running-config renders the same dumps as commands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../vlib/api_server.h"
#include "../vlib/cli.h"
#include "api.h"
#include "memif.h"

static int
lig_memif_cli_socket_create(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_memif_socket_create_t req = {0};
	lig_api_memif_socket_create_reply_t rep;
	u32 id = LIG_INVALID_INDEX;
	const char *path = NULL;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "id")) {
			if (!lig_cli_u32(in, &id))
				return lig_cli_expected(in, out, "<socket-id>");
		} else if (lig_cli_keyword(in, "filename")) {
			if (!(path = lig_cli_word(in)))
				return lig_cli_expected(in, out, "<path>");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (id == LIG_INVALID_INDEX || !path)
		return lig_cli_error(in, out, "expected id <n> filename <path>");
	if (strlen(path) >= sizeof(req.filename))
		return lig_cli_error(in, out, "filename longer than %zu", sizeof(req.filename) - 1);
	req.socket_id = id;
	snprintf(req.filename, sizeof(req.filename), "%s", path);
	int rv = LIG_API_CALL(memif_socket_create, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_memif_socket_create_command) = {
    .path = "create memif socket",
    .short_help = "create memif socket id <n> filename <path>",
    .function = lig_memif_cli_socket_create,
};

static int
lig_memif_cli_socket_delete(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_memif_socket_delete_t req = {0};
	lig_api_memif_socket_delete_reply_t rep;
	u32 id;

	if (!lig_cli_keyword(in, "id") || !lig_cli_u32(in, &id))
		return lig_cli_expected(in, out, "id <socket-id>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.socket_id = id;
	int rv = LIG_API_CALL(memif_socket_delete, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_memif_socket_delete_command) = {
    .path = "delete memif socket",
    .short_help = "delete memif socket id <n>",
    .function = lig_memif_cli_socket_delete,
};

static bool
lig_memif_cli_u8(struct lig_cli_input *in, u8 *v, u32 min, u32 max)
{
	u32 x;

	if (!lig_cli_u32(in, &x) || x < min || x > max)
		return false;
	*v = (u8)x;
	return true;
}

static int
lig_memif_cli_create(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_memif_create_v2_t req = {0};
	lig_api_memif_create_v2_reply_t rep;
	bool have_role = false;
	u32 id = 0, socket_id = 0, ring = 0, buffer_size = 0;
	u8 mac[6] = {0};

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "id")) {
			if (!lig_cli_u32(in, &id))
				return lig_cli_expected(in, out, "<id>");
		} else if (lig_cli_keyword(in, "socket-id")) {
			if (!lig_cli_u32(in, &socket_id))
				return lig_cli_expected(in, out, "<socket-id>");
		} else if (lig_cli_keyword(in, "master")) {
			req.role = LIG_MEMIF_ROLE_MASTER;
			have_role = true;
		} else if (lig_cli_keyword(in, "slave")) {
			req.role = LIG_MEMIF_ROLE_SLAVE;
			have_role = true;
		} else if (lig_cli_keyword(in, "rx-queues")) {
			if (!lig_memif_cli_u8(in, &req.rx_queues, 1, LIG_MEMIF_MAX_QUEUES))
				return lig_cli_expected(in, out, "<rx-queues> (1..16)");
		} else if (lig_cli_keyword(in, "tx-queues")) {
			if (!lig_memif_cli_u8(in, &req.tx_queues, 1, LIG_MEMIF_MAX_QUEUES))
				return lig_cli_expected(in, out, "<tx-queues> (1..16)");
		} else if (lig_cli_keyword(in, "ring-size")) {
			if (!lig_cli_u32(in, &ring) || ring < 2 ||
			    ring > (1u << LIG_MEMIF_MAX_LOG2_RING) || (ring & (ring - 1)))
				return lig_cli_expected(in, out,
							"<ring-size> (power of 2, 2..16384)");
		} else if (lig_cli_keyword(in, "buffer-size")) {
			if (!lig_cli_u32(in, &buffer_size) ||
			    buffer_size < LIG_MEMIF_MIN_BUFFER_SIZE ||
			    buffer_size > LIG_MEMIF_MAX_BUFFER_SIZE)
				return lig_cli_expected(in, out, "<buffer-size> (128..65536)");
		} else if (lig_cli_keyword(in, "hw-addr")) {
			if (!lig_cli_mac(in, mac) || (mac[0] & 1))
				return lig_cli_expected(in, out, "<hw-addr> (unicast MAC)");
		} else if (lig_cli_keyword(in, "mode")) {
			if (lig_cli_keyword(in, "ethernet"))
				req.mode = LIG_MEMIF_MODE_ETHERNET;
			else if (lig_cli_keyword(in, "ip"))
				req.mode = LIG_MEMIF_MODE_IP;
			else
				return lig_cli_expected(in, out, "ethernet|ip");
		} else if (lig_cli_keyword(in, "zero-copy")) {
			req.zero_copy = 1;
		} else if (lig_cli_keyword(in, "secret")) {
			const char *sec = lig_cli_word(in);
			if (!sec || strlen(sec) > LIG_MEMIF_SECRET_SIZE)
				return lig_cli_expected(in, out, "<secret> (up to 24 characters)");
			snprintf(req.secret, sizeof(req.secret), "%s", sec);
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	if (!have_role)
		return lig_cli_error(in, out, "expected master or slave");
	req.id = id;
	req.socket_id = socket_id;
	req.ring_size = ring;
	req.buffer_size = buffer_size;
	memcpy(req.hw_addr, mac, 6);
	int rv = LIG_API_CALL(memif_create_v2, &req, &rep);
	if (rv < 0)
		return lig_cli_api_result(in, out, rv, rep.error);
	lig_str_printf(out, "%s\n", lig_if_get(rep.sw_if_index)->name);
	return 0;
}

LIG_CLI_COMMAND(lig_memif_create_command) = {
    .path = "create interface memif",
    .short_help = "create interface memif [id <n>] [socket-id <n>] master|slave "
		  "[rx-queues <n>] [tx-queues <n>] [ring-size <n>] [buffer-size <n>] "
		  "[hw-addr <mac>] [mode ethernet|ip] [secret <s>] [zero-copy]",
    .function = lig_memif_cli_create,
    .mp_safe = true, /* the barrier only around adding the interface */
};

static int
lig_memif_cli_delete(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_memif_delete_t req = {0};
	lig_api_memif_delete_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.sw_if_index = sw;
	rv = LIG_API_CALL(memif_delete, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_memif_delete_command) = {
    .path = "delete interface memif",
    .short_help = "delete interface memif <interface>",
    .function = lig_memif_cli_delete,
};

static int
lig_memif_cli_rx_mode(struct lig_cli_input *in, struct lig_str *out)
{
	lig_api_memif_set_rx_mode_t req = {0};
	lig_api_memif_set_rx_mode_reply_t rep;
	u32 sw;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "polling"))
		req.rx_mode = LIG_MEMIF_RX_MODE_POLLING;
	else if (lig_cli_keyword(in, "interrupt"))
		req.rx_mode = LIG_MEMIF_RX_MODE_INTERRUPT;
	else if (lig_cli_keyword(in, "adaptive"))
		req.rx_mode = LIG_MEMIF_RX_MODE_ADAPTIVE;
	else
		return lig_cli_expected(in, out, "polling|interrupt|adaptive");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	req.sw_if_index = sw;
	rv = LIG_API_CALL(memif_set_rx_mode, &req, &rep);
	return lig_cli_api_result(in, out, rv, rep.error);
}

LIG_CLI_COMMAND(lig_memif_rx_mode_command) = {
    .path = "set interface rx-mode",
    .short_help = "set interface rx-mode <interface> polling|interrupt|adaptive",
    .function = lig_memif_cli_rx_mode,
};

/* ---- show memif ---- */

/* The socket dump, kept for the interfaces' lines; lines printed when out is set. */
struct lig_memif_cli_sockets {
	struct lig_str *out;
	char path[LIG_MEMIF_MAX_SOCKETS][sizeof(lig_api_path_t)];
};

static bool
lig_memif_cli_socket_one(void *ctx, const void *details, u32 size)
{
	struct lig_memif_cli_sockets *x = ctx;
	const lig_api_memif_socket_dump_details_t *d = details;

	if (size != sizeof(*d) || d->socket_id >= LIG_MEMIF_MAX_SOCKETS)
		return false;
	snprintf(x->path[d->socket_id], sizeof(x->path[0]), "%s", d->filename);
	if (x->out)
		lig_str_printf(x->out, "socket %u: %s%s masters %u slaves %u\n", d->socket_id,
			       d->filename, d->listening ? " (listening)" : "", d->n_masters,
			       d->n_slaves);
	return true;
}

static void
lig_memif_show_ring(struct lig_str *out, const char *dir, unsigned i,
		    const struct lig_memif_queue *q, const struct lig_copy_choice *tx)
{
	if (!q->ring)
		return;
	lig_str_printf(out,
		       "    %s ring %u: region %u offset %u size %u head %u tail %u flags 0x%x"
		       " packets %llu bytes %llu interrupts %llu\n",
		       dir, i, q->region, q->offset, q->size,
		       __atomic_load_n(&q->ring->head, __ATOMIC_RELAXED),
		       __atomic_load_n(&q->ring->tail, __ATOMIC_RELAXED),
		       __atomic_load_n(&q->ring->flags, __ATOMIC_RELAXED),
		       (unsigned long long)lig_counter_get(&q->packets),
		       (unsigned long long)lig_counter_get(&q->bytes),
		       (unsigned long long)lig_counter_get(&q->interrupts));
	/* How frames of 1 KiB and more are copied in (lig_copy_choice, infra/copy.h). */
	if (tx && lig_memif_main.tx_stores != LIG_COPY_STORES_AUTO)
		lig_str_printf(out, "      stores %s (startup tx-stores)\n",
			       lig_memif_tx_stores_name(lig_memif_main.tx_stores));
	else if (tx)
		lig_str_printf(
		    out, "      stores %s, %llu switches to streaming, cached %u ticks/line\n",
		    __atomic_load_n(&tx->streaming, __ATOMIC_RELAXED) ? "streaming" : "cached",
		    (unsigned long long)lig_counter_get(&tx->n_streams),
		    __atomic_load_n(&tx->cost, __ATOMIC_RELAXED));
}

/* The rings and regions of a connected interface: live datapath state, not in the dump. */
static void
lig_memif_show_rings(struct lig_str *out, u32 sw_if_index)
{
	const struct lig_memif_if *mif = lig_memif_if_by_sw(sw_if_index);
	const struct lig_memif_conn *c;

	if (!mif)
		return;
	c = &mif->conn;
	lig_str_printf(out, "  regions %u:\n", c->n_regions);
	for (unsigned i = 0; i < c->n_regions; i++)
		lig_str_printf(out, "    region %u size %llu\n", i,
			       (unsigned long long)c->regions[i].size);
	bool master = c->cfg.role == LIG_MEMIF_ROLE_MASTER;
	for (unsigned i = 0; i < c->n_s2m; i++)
		lig_memif_show_ring(out, "s2m", i, &c->s2m[i], master ? NULL : &mif->tx_copy[i]);
	for (unsigned i = 0; i < c->n_m2s; i++)
		lig_memif_show_ring(out, "m2s", i, &c->m2s[i], master ? &mif->tx_copy[i] : NULL);
}

struct lig_memif_cli_show {
	struct lig_str *out;
	const struct lig_memif_cli_sockets *sockets;
};

static bool
lig_memif_cli_show_one(void *ctx, const void *details, u32 size)
{
	const struct lig_memif_cli_show *x = ctx;
	const lig_api_memif_dump_v2_details_t *d = details;
	const struct lig_interface *ifp;
	struct lig_str *out = x->out;

	if (size != sizeof(*d) || !(ifp = lig_if_get(d->sw_if_index)))
		return false;
	lig_str_printf(out, "%s: sw_if_index %u id %u socket-id %u (%s)\n", ifp->name,
		       d->sw_if_index, d->id, d->socket_id,
		       d->socket_id < LIG_MEMIF_MAX_SOCKETS ? x->sockets->path[d->socket_id] : "");
	lig_str_printf(out, "  role %s mode %s rx-mode %s secret %s%s\n",
		       d->role == LIG_MEMIF_ROLE_MASTER ? "master" : "slave",
		       lig_memif_mode_name(d->mode), lig_memif_rx_mode_name(d->rx_mode),
		       d->secret_set ? "yes" : "no", d->zero_copy ? " zero-copy" : "");
	lig_str_printf(out, "  state %s peer '%s' peer-interface '%s'\n",
		       lig_memif_state_name(d->state), d->peer_name, d->peer_if_name);
	lig_str_printf(out, "  last disconnect reason: %s\n", d->reason[0] ? d->reason : "none");
	lig_str_printf(out,
		       "  connects %llu disconnects %llu peer-errors %llu bad-descriptors %llu"
		       " tx-ring-full %llu rx-no-buffer %llu rx-too-long %llu\n",
		       (unsigned long long)d->connects, (unsigned long long)d->disconnects,
		       (unsigned long long)d->peer_errors, (unsigned long long)d->bad_desc,
		       (unsigned long long)d->tx_ring_full, (unsigned long long)d->rx_no_buffer,
		       (unsigned long long)d->rx_too_long);
	if (d->state != LIG_MEMIF_STATE_CONNECTED)
		lig_str_printf(
		    out, "  configured: rx-queues %u tx-queues %u ring-size %u buffer-size %u\n",
		    d->rx_queues, d->tx_queues, d->ring_size, d->buffer_size);
	else
		lig_memif_show_rings(out, d->sw_if_index);
	return true;
}

static int
lig_memif_cli_show(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_memif_cli_sockets *sockets = calloc(1, sizeof(*sockets));
	lig_api_memif_socket_dump_t sreq;
	lig_api_memif_dump_v2_t req = {0};
	struct lig_memif_cli_show x = {.out = out, .sockets = sockets};
	char err[LIG_API_ERROR_SIZE] = "";
	int rv;

	if (!sockets)
		return -ENOMEM;
	if (!lig_cli_end(in)) {
		u32 sw;
		rv = lig_cli_expect_interface(in, out, &sw);
		if (rv < 0)
			goto out;
		if (!lig_cli_end(in)) {
			rv = lig_cli_unknown_input(in, out);
			goto out;
		}
		req.sw_if_index = sw;
	} else {
		sockets->out = out; /* show memif: the socket lines come first */
	}
	rv = LIG_API_DUMP(memif_socket_dump, &sreq, lig_memif_cli_socket_one, sockets, err);
	if (rv >= 0)
		rv = LIG_API_DUMP(memif_dump_v2, &req, lig_memif_cli_show_one, &x, err);
	if (rv < 0) {
		lig_str_reset(out);
		rv = lig_cli_api_result(in, out, rv, err);
	}
out:
	free(sockets);
	return rv;
}

LIG_CLI_COMMAND(lig_memif_show_command) = {
    .path = "show memif",
    .short_help = "show memif [<interface>]",
    .function = lig_memif_cli_show,
    .mp_safe = true, /* the memif dumps are; rings and their counters read atomically */
};

/* ---- show running-config ---- */

static bool
lig_memif_running_config_socket(void *ctx, const void *details, u32 size)
{
	const lig_api_memif_socket_dump_details_t *d = details;

	if (size != sizeof(*d))
		return false;
	if (d->socket_id != 0) /* the default socket is not configuration */
		lig_str_printf(ctx, "create memif socket id %u filename %s\n", d->socket_id,
			       d->filename);
	return true;
}

static bool
lig_memif_running_config_if(void *ctx, const void *details, u32 size)
{
	const lig_api_memif_dump_v2_details_t *d = details;
	const struct lig_interface *ifp;
	struct lig_str *out = ctx;
	const u8 *m = d->hw_addr;

	if (size != sizeof(*d) || !(ifp = lig_if_get(d->sw_if_index)))
		return false;
	lig_str_printf(out,
		       "create interface memif id %u socket-id %u %s mode %s rx-queues %u "
		       "tx-queues %u ring-size %u buffer-size %u "
		       "hw-addr %02x:%02x:%02x:%02x:%02x:%02x%s%s\n",
		       d->id, d->socket_id, d->role == LIG_MEMIF_ROLE_MASTER ? "master" : "slave",
		       lig_memif_mode_name(d->mode), d->rx_queues, d->tx_queues, d->ring_size,
		       d->buffer_size, m[0], m[1], m[2], m[3], m[4], m[5],
		       d->zero_copy ? " zero-copy" : "",
		       d->secret_set ? " # and a secret, which is never shown" : "");
	if (d->rx_mode != LIG_MEMIF_RX_MODE_ADAPTIVE)
		lig_str_printf(out, "set interface rx-mode %s %s\n", ifp->name,
			       lig_memif_rx_mode_name(d->rx_mode));
	return true;
}

/* Sockets first: the interfaces name them. */
static void
lig_memif_running_config(struct lig_str *out)
{
	lig_api_memif_socket_dump_t sreq;
	lig_api_memif_dump_v2_t req = {0};

	LIG_API_DUMP(memif_socket_dump, &sreq, lig_memif_running_config_socket, out, NULL);
	LIG_API_DUMP(memif_dump_v2, &req, lig_memif_running_config_if, out, NULL);
}
LIG_RUNNING_CONFIG("memif", 100, lig_memif_running_config);

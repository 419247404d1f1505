/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The API server (api_server.h): validation and dispatch shared by the socket and the
 * CLI, and the unix socket itself, driven by the main loop's epoll.
 *
 * Fairness and bounds: a connection is served a slice at a time (a few hundred
 * messages or details), then the loop forwards packets and serves others; the rest of
 * its work is picked up through a self-signalled eventfd. While a connection's unsent
 * output is above LIG_API_OUT_HIGH it is not served further (it waits for EPOLLOUT), so
 * a client that never reads stalls only itself and holds at most about that much
 * memory; events to such a client are dropped with the client at LIG_API_OUT_EVENT_MAX.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../infra/log.h"
#include "api.h"
#include "api_server.h"
#include "cli.h"
#include "loop.h"
#include "thread.h"

#ifndef LIG_VERSION_STRING
#define LIG_VERSION_STRING "0.3"
#endif

#define LIG_API_MAX_CLIENTS 4096
#define LIG_API_OUT_HIGH (1u << 20)
#define LIG_API_OUT_EVENT_MAX (16u << 20)
#define LIG_API_SLICE_MSGS 256
#define LIG_API_SLICE_DETAILS 512
#define LIG_API_MAX_SUBSCRIPTIONS 64

struct lig_api_client {
	int fd;
	u32 index;
	struct lig_fd_watch *watch;
	u32 watch_events;
	u8 *in;
	u32 in_len, in_cap;
	u8 *out;
	size_t out_len, out_sent, out_cap;
	/* The dump, or the long request (a handler that returned LIG_API_MORE), being
	 * served: its request, context and cursor; a request's reply is built in
	 * dump_reply across slices. */
	bool resuming;
	const struct lig_api_msg *dump_msg;
	u8 *dump_req;
	u8 *dump_reply;
	u32 dump_req_len, dump_context, dump_crc, dump_sent;
	u64 dump_cursor;
	bool all_events;
	u16 events[LIG_API_MAX_SUBSCRIPTIONS];
	u32 n_events;
	bool dead;    /* to be closed at the next safe point */
	bool pending; /* has work left: served again from the work eventfd */
};

static struct {
	int fd, work_fd, spare_fd;
	struct lig_fd_watch *watch, *work_watch;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct lig_api_client *clients[LIG_API_MAX_CLIENTS];
	u32 n_clients;
	u32 n_slots;	  /* clients[] is empty from here on */
	u32 n_subscribed; /* clients with at least one subscription */
	bool work_signalled;
	struct lig_api_stats stats;
} lig_api = {.fd = -1, .work_fd = -1, .spare_fd = -1};

static struct lig_api_handler *lig_api_handlers[1 << 16];

void
lig_api_register_handler(struct lig_api_handler *h)
{
	lig_api_handlers[h->msg_id] = h;
}

int
lig_api_error(struct lig_api_call *c, int rv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, LIG_API_ERROR_SIZE, fmt, ap);
	va_end(ap);
	return rv;
}

/* Checks a request's id, kind and body; 0 or -errno with the reason in err. */
static int
lig_api_check_request(const struct lig_api_msg *m, u16 msg_id, const void *req, u32 req_size,
		      char *err)
{
	struct lig_api_handler *h = lig_api_handlers[msg_id];

	if (!m) {
		snprintf(err, LIG_API_ERROR_SIZE, "unknown message id 0x%04x", msg_id);
		return -ENOSYS;
	}
	if (m->kind == LIG_API_EVENT) {
		snprintf(err, LIG_API_ERROR_SIZE, "message %s is an event, not a request", m->name);
		return -EINVAL;
	}
	if (!h || (m->kind == LIG_API_DUMP ? !h->dump_fn : !h->fn)) {
		snprintf(err, LIG_API_ERROR_SIZE, "message %s: no handler in this ligd", m->name);
		return -ENOSYS;
	}
	char why[LIG_API_ERROR_SIZE - 64];
	int rv = lig_api_validate(m->req, m->n_req, m->req_size, req, req_size, why, sizeof(why));
	if (rv < 0)
		snprintf(err, LIG_API_ERROR_SIZE, "message %s: %s", m->name, why);
	return rv;
}

/* An in-process call (a CLI command) from a caller without the barrier (an mp-safe
 * command) takes it for a handler that is not mp-safe: true if it did. */
static bool
lig_api_local_barrier(const struct lig_api_msg *m, u16 msg_id)
{
	if (lig_api_handlers[msg_id]->mp_safe || lig_barrier_held())
		return false;
	lig_barrier_sync();
	lig_barrier_kind(m->name);
	return true;
}

static void
lig_api_default_error(char *err, int rv)
{
	if (rv < 0 && !err[0])
		snprintf(err, LIG_API_ERROR_SIZE, "%s", strerror(-rv));
}

int
lig_api_call_local(u16 msg_id, const void *req, u32 req_size, void *reply, u32 reply_size)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	struct lig_api_status *st = reply;
	int rv;

	memset(reply, 0, reply_size);
	rv = lig_api_check_request(m, msg_id, req, req_size, st->error);
	if (rv == 0 && (m->kind != LIG_API_REQUEST ||
			reply_size != sizeof(struct lig_api_status) + m->rep_size))
		rv = -EINVAL;
	if (rv == 0) {
		struct lig_api_call c = {.msg = m, .error = st->error, .client_index = ~0u};
		bool took = lig_api_local_barrier(m, msg_id);
		/* In process there is nothing to interleave with: run it to the end. */
		do
			rv = lig_api_handlers[msg_id]->fn(&c, req, reply);
		while (rv == LIG_API_MORE);
		if (took)
			lig_barrier_release();
	}
	lig_api_default_error(st->error, rv);
	st->retval = rv;
	return rv;
}

struct lig_api_local_dump {
	lig_api_local_details_fn_t *fn;
	void *ctx;
	bool stop;
};

static bool
lig_api_local_details(struct lig_api_call *c, const void *details, u32 size)
{
	struct lig_api_local_dump *d = c->details_ctx;

	if (!d->stop && !d->fn(d->ctx, details, size))
		d->stop = true;
	return !d->stop;
}

int
lig_api_dump_local(u16 msg_id, const void *req, u32 req_size, lig_api_local_details_fn_t *fn,
		   void *ctx, char *err)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	char buf[LIG_API_ERROR_SIZE] = "";
	struct lig_api_local_dump d = {.fn = fn, .ctx = ctx};
	int rv = lig_api_check_request(m, msg_id, req, req_size, buf);

	if (rv == 0 && m->kind != LIG_API_DUMP)
		rv = -EINVAL;
	if (rv == 0) {
		struct lig_api_call c = {.msg = m,
					 .error = buf,
					 .client_index = ~0u,
					 .details_fn = lig_api_local_details,
					 .details_ctx = &d};
		bool took = lig_api_local_barrier(m, msg_id);
		/* In process there is nothing to interleave with: run it to the end. */
		do
			rv = lig_api_handlers[msg_id]->dump_fn(&c, req);
		while (rv == LIG_API_MORE && !d.stop);
		if (took)
			lig_barrier_release();
		if (rv == LIG_API_MORE)
			rv = 0;
	}
	lig_api_default_error(buf, rv);
	if (err)
		memcpy(err, buf, LIG_API_ERROR_SIZE);
	return rv;
}

/* The socket. */

static void
lig_api_signal_work(void)
{
	u64 one = 1;

	if (lig_api.work_signalled || lig_api.work_fd < 0)
		return;
	if (write(lig_api.work_fd, &one, sizeof(one)) == sizeof(one))
		lig_api.work_signalled = true;
}

static void
lig_api_client_close(struct lig_api_client *c)
{
	lig_api.clients[c->index] = NULL;
	lig_api.n_clients--;
	if (c->all_events || c->n_events)
		lig_api.n_subscribed--;
	while (lig_api.n_slots && !lig_api.clients[lig_api.n_slots - 1])
		lig_api.n_slots--;
	lig_loop_unwatch_fd(c->watch);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c->dump_req);
	free(c->dump_reply);
	free(c);
}

/* Marks a client for closing at the next safe point (never under its own handler). */
static void
lig_api_client_kill(struct lig_api_client *c, const char *why)
{
	if (c->dead)
		return;
	lig_info("api", "client %u dropped: %s", c->index, why);
	lig_api.stats.clients_dropped++;
	c->dead = true;
	lig_api_signal_work();
}

/* Reserves len bytes of output; NULL (client killed) when memory runs out. */
static u8 *
lig_api_out_reserve(struct lig_api_client *c, size_t len)
{
	if (c->out_sent && c->out_sent == c->out_len)
		c->out_sent = c->out_len = 0;
	if (c->out_len + len > c->out_cap) {
		/* Reclaim what was sent before growing. */
		if (c->out_sent) {
			memmove(c->out, c->out + c->out_sent, c->out_len - c->out_sent);
			c->out_len -= c->out_sent;
			c->out_sent = 0;
		}
		if (c->out_len + len > c->out_cap) {
			size_t cap = LIG_MAX(c->out_cap * 2, c->out_len + len + 4096);
			u8 *p = realloc(c->out, cap);
			if (!p) {
				lig_api_client_kill(c, "out of memory");
				return NULL;
			}
			c->out = p;
			c->out_cap = cap;
		}
	}
	u8 *p = c->out + c->out_len;
	c->out_len += len;
	return p;
}

static void *
lig_api_out_msg(struct lig_api_client *c, u16 msg_id, u16 flags, u32 crc, u32 context, u32 body_len)
{
	u8 *p = lig_api_out_reserve(c, LIG_API_HDR_SIZE + body_len);
	struct lig_api_hdr h = {.msg_id = msg_id,
				.flags = flags,
				.crc = crc,
				.context = context,
				.length = LIG_API_HDR_SIZE + body_len};

	if (!p)
		return NULL;
	memcpy(p, &h, sizeof(h));
	memset(p + LIG_API_HDR_SIZE, 0, body_len);
	return p + LIG_API_HDR_SIZE;
}

static size_t
lig_api_out_pending(const struct lig_api_client *c)
{
	return c->out_len - c->out_sent;
}

/* Writes what the socket takes; kills the client on a write error. */
static void
lig_api_flush(struct lig_api_client *c)
{
	while (lig_api_out_pending(c) && !c->dead) {
		ssize_t n = send(c->fd, c->out + c->out_sent, lig_api_out_pending(c),
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				lig_api_client_kill(c, strerror(errno));
			return;
		}
		c->out_sent += (size_t)n;
	}
	if (!lig_api_out_pending(c))
		c->out_sent = c->out_len = 0;
}

static void
lig_api_send_status(struct lig_api_client *c, const struct lig_api_hdr *h, u16 flags, int rv,
		    const char *err)
{
	struct lig_api_status *st =
	    lig_api_out_msg(c, h->msg_id, flags, h->crc, h->context, sizeof(*st));

	if (!st)
		return;
	st->retval = rv;
	snprintf(st->error, sizeof(st->error), "%s", err);
	if (rv < 0)
		lig_api.stats.errors++;
}

static bool
lig_api_socket_details(struct lig_api_call *call, const void *details, u32 size)
{
	struct lig_api_client *c = call->details_ctx;
	void *p = lig_api_out_msg(c, call->msg->id, LIG_API_F_DETAILS, c->dump_crc, c->dump_context,
				  size);

	if (p)
		memcpy(p, details, size);
	lig_api.stats.details++;
	return p && ++c->dump_sent < LIG_API_SLICE_DETAILS &&
	       lig_api_out_pending(c) < LIG_API_OUT_HIGH;
}

/* Runs one slice of the dump in progress. */
static void
lig_api_dump_slice(struct lig_api_client *c)
{
	char err[LIG_API_ERROR_SIZE] = "";
	struct lig_api_call call = {.msg = c->dump_msg,
				    .cursor = c->dump_cursor,
				    .error = err,
				    .client_index = c->index,
				    .details_fn = lig_api_socket_details,
				    .details_ctx = c};
	int rv;

	c->dump_sent = 0;
	rv = lig_api_handlers[c->dump_msg->id]->dump_fn(&call, c->dump_req);
	if (c->dead)
		return;
	if (rv == LIG_API_MORE) {
		c->dump_cursor = call.cursor;
		return;
	}
	struct lig_api_hdr h = {
	    .msg_id = c->dump_msg->id, .crc = c->dump_crc, .context = c->dump_context};
	lig_api_default_error(err, rv);
	lig_api_send_status(c, &h, LIG_API_F_DONE, rv, err);
	c->resuming = false;
}

/* Queues the reply of a request once its handler is done with it. */
static void
lig_api_finish_request(struct lig_api_client *c, const struct lig_api_msg *m, u32 crc, u32 context,
		       u8 *reply, int rv)
{
	struct lig_api_status *st = (struct lig_api_status *)reply;
	u32 rep_len = (u32)sizeof(struct lig_api_status) + m->rep_size;

	lig_api_default_error(st->error, rv);
	st->retval = rv;
	if (rv < 0)
		lig_api.stats.errors++;
	u8 *rep =
	    c->dead ? NULL : lig_api_out_msg(c, m->id, LIG_API_F_REPLY, crc, context, rep_len);
	if (rep)
		memcpy(rep, reply, rep_len);
}

/* Runs one more slice of a long request. */
static void
lig_api_request_slice(struct lig_api_client *c)
{
	struct lig_api_status *st = (struct lig_api_status *)c->dump_reply;
	struct lig_api_call call = {.msg = c->dump_msg,
				    .cursor = c->dump_cursor,
				    .error = st->error,
				    .client_index = c->index};
	int rv = lig_api_handlers[c->dump_msg->id]->fn(&call, c->dump_req, c->dump_reply);

	if (rv == LIG_API_MORE && !c->dead) {
		c->dump_cursor = call.cursor;
		return;
	}
	lig_api_finish_request(c, c->dump_msg, c->dump_crc, c->dump_context, c->dump_reply, rv);
	free(c->dump_reply);
	c->dump_reply = NULL;
	c->resuming = false;
}

/* Keeps a copy of the request (the input buffer moves on) to resume it later. */
static int
lig_api_stash(struct lig_api_client *c, const struct lig_api_msg *m, const struct lig_api_hdr *h,
	      const u8 *body, u32 blen, u64 cursor)
{
	u8 *copy = malloc(blen ? blen : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, body, blen);
	free(c->dump_req);
	c->dump_req = copy;
	c->dump_req_len = blen;
	c->dump_msg = m;
	c->dump_context = h->context;
	c->dump_crc = h->crc;
	c->dump_cursor = cursor;
	c->resuming = true;
	return 0;
}

static void
lig_api_subscribe(struct lig_api_client *c, struct lig_api_call *call,
		  const lig_api_want_events_t *req, int *rv)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(req->event_id);
	bool was = c->all_events || c->n_events;
	u32 i;

	if (req->event_id == 0) {
		c->all_events = req->enable;
		if (!req->enable)
			c->n_events = 0;
		goto count;
	}
	if (!m || m->kind != LIG_API_EVENT) {
		*rv = lig_api_error(call, -EINVAL, "message id 0x%04x is not an event",
				    req->event_id);
		return;
	}
	for (i = 0; i < c->n_events && c->events[i] != req->event_id; i++)
		;
	if (req->enable && i == c->n_events) {
		if (c->n_events == LIG_API_MAX_SUBSCRIPTIONS) {
			*rv = lig_api_error(call, -ENOSPC, "at most %u subscriptions",
					    LIG_API_MAX_SUBSCRIPTIONS);
			return;
		}
		c->events[c->n_events++] = req->event_id;
	} else if (!req->enable && i < c->n_events) {
		c->events[i] = c->events[--c->n_events];
	}
count:
	if (was != (c->all_events || c->n_events))
		lig_api.n_subscribed += was ? -1u : 1u;
}

/* Handles one complete message at c->in (length already checked). */
static void
lig_api_handle(struct lig_api_client *c, const struct lig_api_hdr *h, const u8 *body, u32 blen)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(h->msg_id);
	char err[LIG_API_ERROR_SIZE] = "";
	int rv;

	lig_api.stats.requests++;
	if (h->flags) {
		lig_api_send_status(
		    c, h, LIG_API_F_REPLY, -EINVAL,
		    "a request has flags 0 (replies, details and events are ligd's)");
		return;
	}
	if (m && h->crc != lig_api_msg_crc(m)) {
		snprintf(err, sizeof(err),
			 "message %s: version mismatch (client layout crc %08x, ligd %08x)",
			 m->name, h->crc, lig_api_msg_crc(m));
		lig_api_send_status(
		    c, h, m->kind == LIG_API_DUMP ? LIG_API_F_DONE : LIG_API_F_REPLY, -EPROTO, err);
		return;
	}
	rv = lig_api_check_request(m, h->msg_id, body, blen, err);
	if (rv < 0) {
		lig_api_send_status(
		    c, h, m && m->kind == LIG_API_DUMP ? LIG_API_F_DONE : LIG_API_F_REPLY, rv, err);
		return;
	}
	if (m->kind == LIG_API_DUMP) {
		if (lig_api_stash(c, m, h, body, blen, 0) < 0) {
			lig_api_send_status(c, h, LIG_API_F_DONE, -ENOMEM, "out of memory");
			return;
		}
		lig_api_dump_slice(c);
		return;
	}
	/* Built aside and queued after the handler: events it causes go out before it. */
	u32 rep_len = (u32)sizeof(struct lig_api_status) + m->rep_size;
	u8 *tmp = calloc(1, rep_len);
	if (!tmp) {
		lig_api_client_kill(c, "out of memory");
		return;
	}
	struct lig_api_status *st = (struct lig_api_status *)tmp;
	struct lig_api_call call = {.msg = m, .error = st->error, .client_index = c->index};
	if (h->msg_id == LIG_API_ID_want_events) {
		rv = 0;
		lig_api_subscribe(c, &call, (const lig_api_want_events_t *)body, &rv);
	} else {
		rv = lig_api_handlers[h->msg_id]->fn(&call, body, tmp);
	}
	if (rv == LIG_API_MORE && !c->dead) {
		/* A long request (a bulk load): the rest in later slices, so forwarding and
		 * other clients go on in between. */
		if (lig_api_stash(c, m, h, body, blen, call.cursor) == 0) {
			c->dump_reply = tmp;
			return;
		}
		rv = lig_api_error(&call, -ENOMEM, "out of memory");
	}
	lig_api_finish_request(c, m, h->crc, h->context, tmp, rv);
	free(tmp);
}

/* With workers: takes the barrier for the next handler unless it is mp-safe (a message
 * without a handler, an error reply, takes it too); it is kept to the end of the client's
 * slice, one pause per batch, named in show threads after the message that took it. */
static void
lig_api_barrier_for(u16 msg_id, bool *held)
{
	const struct lig_api_handler *h = lig_api_handlers[msg_id];
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);

	if (*held || (h && h->mp_safe))
		return;
	lig_barrier_sync();
	lig_barrier_kind(m ? m->name : "unknown API message");
	*held = true;
}

/* Serves one slice of a client's work; sets c->pending if work is left. */
static void
lig_api_client_serve_slice(struct lig_api_client *c, bool *held)
{
	u32 handled = 0;
	bool full = false; /* stopped with work left because the output was at its bound */

	c->pending = false;
	while (!c->dead) {
		if (lig_api_out_pending(c) >= LIG_API_OUT_HIGH) {
			full = true;
			break;
		}
		if (c->resuming) {
			lig_api_barrier_for(c->dump_msg->id, held);
			if (c->dump_reply)
				lig_api_request_slice(c);
			else
				lig_api_dump_slice(c);
			if (c->resuming) {
				c->pending = true;
				break;
			}
			continue;
		}
		if (c->in_len < LIG_API_HDR_SIZE)
			break;
		struct lig_api_hdr h;
		memcpy(&h, c->in, sizeof(h));
		if (h.length < LIG_API_HDR_SIZE || h.length > LIG_API_MAX_MSG) {
			/* No way to find the next message: the stream is lost. */
			lig_api_client_kill(c, "message length out of range");
			return;
		}
		if (c->in_len < h.length)
			break;
		if (handled++ == LIG_API_SLICE_MSGS) {
			c->pending = true;
			break;
		}
		lig_api_barrier_for(h.msg_id, held);
		lig_api_handle(c, &h, c->in + LIG_API_HDR_SIZE, h.length - LIG_API_HDR_SIZE);
		memmove(c->in, c->in + h.length, c->in_len - h.length);
		c->in_len -= h.length;
	}
	if (c->dead)
		return;
	lig_api_flush(c);
	if (c->dead)
		return;
	/* Read more only when there is room and output is not backed up; write when some
	 * is queued. */
	bool backed_up = lig_api_out_pending(c) >= LIG_API_OUT_HIGH;
	u32 ev = (c->in_len < c->in_cap && !backed_up ? EPOLLIN : 0) |
		 (lig_api_out_pending(c) ? EPOLLOUT : 0);
	if (backed_up)
		c->pending = false; /* EPOLLOUT resumes it */
	else if (full)
		/* The flush made room (a fast reader can take it all, and then no EPOLLOUT
		 * comes): go on with the work left. A dump used to stall here for good. */
		c->pending = true;
	if (ev != c->watch_events && lig_loop_watch_fd_events(c->watch, ev) == 0)
		c->watch_events = ev;
	if (c->pending)
		lig_api_signal_work();
}

static void
lig_api_client_serve(struct lig_api_client *c)
{
	bool held = false;

	lig_api_client_serve_slice(c, &held);
	if (held)
		lig_barrier_release();
}

static void
lig_api_reap(void)
{
	for (u32 i = 0; i < lig_api.n_slots; i++)
		if (lig_api.clients[i] && lig_api.clients[i]->dead)
			lig_api_client_close(lig_api.clients[i]);
}

static void
lig_api_client_ready(void *ctx, u32 events)
{
	struct lig_api_client *c = ctx;

	if (c->dead)
		return;
	if (events & EPOLLIN) {
		ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			lig_api_client_close(c);
			return;
		}
		if (n > 0)
			c->in_len += (u32)n;
	} else if (events & (EPOLLHUP | EPOLLERR)) {
		lig_api_client_close(c);
		return;
	}
	lig_api_client_serve(c);
	if (c->dead)
		lig_api_client_close(c);
}

static void
lig_api_work(void *ctx, u32 events)
{
	u64 v;

	(void)ctx;
	(void)events;
	if (read(lig_api.work_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		lig_warn("api", "work eventfd: %s", strerror(errno));
	lig_api.work_signalled = false;
	lig_api_reap();
	for (u32 i = 0; i < lig_api.n_slots; i++) {
		struct lig_api_client *c = lig_api.clients[i];
		if (c && c->pending)
			lig_api_client_serve(c);
	}
	lig_api_reap();
}

static void
lig_api_accept(void *ctx, u32 events)
{
	(void)ctx;
	(void)events;
	int fd = accept4(lig_api.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of descriptors: accept with the spare and drop, or the listener
			 * stays readable and the loop never sleeps. */
			close(lig_api.spare_fd);
			fd = accept(lig_api.fd, NULL, NULL);
			if (fd >= 0)
				close(fd);
			lig_api.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			lig_warn("api", "out of file descriptors: connection refused");
		}
		return;
	}
	if (lig_api_server_adopt(fd) < 0)
		close(fd);
}

int
lig_api_server_adopt(int fd)
{
	u32 i;
	for (i = 0; i < LIG_API_MAX_CLIENTS && lig_api.clients[i]; i++)
		;
	struct lig_api_client *c = i < LIG_API_MAX_CLIENTS ? calloc(1, sizeof(*c)) : NULL;
	if (c) {
		c->in_cap = LIG_API_MAX_MSG + 65536;
		c->in = malloc(c->in_cap);
		c->fd = fd;
		c->index = i;
		c->watch_events = EPOLLIN;
		c->watch = c->in ? lig_loop_watch_fd(fd, EPOLLIN, lig_api_client_ready, c) : NULL;
		/* Handlers take the barrier themselves (lig_api_barrier_for). */
		lig_loop_watch_no_barrier(c->watch);
	}
	if (!c || !c->watch) {
		lig_warn("api", "connection refused: %s",
			 i == LIG_API_MAX_CLIENTS ? "too many clients" : "out of memory");
		if (c)
			free(c->in);
		free(c);
		return i == LIG_API_MAX_CLIENTS ? -EMFILE : -ENOMEM;
	}
	lig_api.clients[i] = c;
	lig_api.n_clients++;
	if (i + 1 > lig_api.n_slots)
		lig_api.n_slots = i + 1;
	lig_api.stats.clients_accepted++;
	return 0;
}

static bool
lig_api_client_wants(const struct lig_api_client *c, u16 msg_id)
{
	if (c->all_events)
		return true;
	for (u32 i = 0; i < c->n_events; i++)
		if (c->events[i] == msg_id)
			return true;
	return false;
}

bool
lig_api_event_wanted(u16 msg_id)
{
	if (!lig_api.n_subscribed)
		return false;
	for (u32 i = 0; i < lig_api.n_slots; i++)
		if (lig_api.clients[i] && !lig_api.clients[i]->dead &&
		    lig_api_client_wants(lig_api.clients[i], msg_id))
			return true;
	return false;
}

void
lig_api_event(u16 msg_id, const void *body, u32 size)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);

	if (!m || !lig_api.n_subscribed)
		return;
	for (u32 i = 0; i < lig_api.n_slots; i++) {
		struct lig_api_client *c = lig_api.clients[i];
		if (!c || c->dead || !lig_api_client_wants(c, msg_id))
			continue;
		if (lig_api_out_pending(c) + size > LIG_API_OUT_EVENT_MAX) {
			lig_api_client_kill(c, "event queue full (client not reading)");
			continue;
		}
		void *p = lig_api_out_msg(c, msg_id, LIG_API_F_EVENT, lig_api_msg_crc(m), 0, size);
		if (!p)
			continue;
		memcpy(p, body, size);
		lig_api.stats.events++;
		/* Sent at the end of this loop iteration's work, in order with replies. */
		if (c->watch_events != (c->watch_events | EPOLLOUT) &&
		    lig_loop_watch_fd_events(c->watch, c->watch_events | EPOLLOUT) == 0)
			c->watch_events |= EPOLLOUT;
	}
}

static int
lig_api_version(struct lig_api_call *c, const lig_api_api_version_t *req,
		lig_api_api_version_reply_t *rep)
{
	(void)c;
	(void)req;
	snprintf(rep->version, sizeof(rep->version), "%s", LIG_VERSION_STRING);
	rep->n_msgs = lig_api_n_msgs;
	rep->pid = (u32)getpid();
	return 0;
}
LIG_API_HANDLER_MP_SAFE(api_version, lig_api_version);

static int
lig_api_msg_table(struct lig_api_call *c, const lig_api_api_msg_table_t *req)
{
	(void)req;
	for (u64 i = c->cursor; i < lig_api_n_msgs; i++) {
		lig_api_api_msg_table_details_t d = {.msg_id = lig_api_msgs[i]->id,
						     .crc = lig_api_msg_crc(lig_api_msgs[i])};
		snprintf(d.name, sizeof(d.name), "%s", lig_api_msgs[i]->name);
		if (!lig_api_details(c, &d, sizeof(d))) {
			c->cursor = i + 1;
			return LIG_API_MORE;
		}
	}
	return 0;
}
LIG_API_DUMP_HANDLER_MP_SAFE(api_msg_table, lig_api_msg_table);

/* Handled by the server itself (it needs the connection); this marks it as known. */
static int
lig_api_want_events_local(struct lig_api_call *c, const lig_api_want_events_t *req,
			  lig_api_want_events_reply_t *rep)
{
	(void)req;
	(void)rep;
	return lig_api_error(c, -EOPNOTSUPP, "events go to API connections, not the CLI");
}
LIG_API_HANDLER_MP_SAFE(want_events, lig_api_want_events_local);

static int
lig_api_control_ping(struct lig_api_call *c, const lig_api_control_ping_t *req,
		     lig_api_control_ping_reply_t *rep)
{
	(void)c;
	(void)req;
	(void)rep;
	return 0;
}
LIG_API_HANDLER_MP_SAFE(control_ping, lig_api_control_ping);

int
lig_api_server_start(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct rlimit rl;
	char err[256];
	int rv;

	if (lig_api_msgs_check(err, sizeof(err)) < 0) {
		lig_err("api", "message definitions: %s", err);
		return -EINVAL;
	}
	lig_api_table_init();
	lig_api.work_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lig_api.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	lig_api.work_watch = lig_api.work_fd >= 0
				 ? lig_loop_watch_fd(lig_api.work_fd, EPOLLIN, lig_api_work, NULL)
				 : NULL;
	if (!lig_api.work_watch) {
		rv = -errno;
		goto fail;
	}
	lig_loop_watch_no_barrier(lig_api.work_watch);
	if (!path)
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		rv = -ENAMETOOLONG;
		goto fail;
	}
	/* Hundreds of clients must fit: take every descriptor we are allowed. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	lig_api.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lig_api.fd < 0) {
		rv = -errno;
		goto fail;
	}
	unlink(path);
	if (bind(lig_api.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0660) < 0 ||
	    listen(lig_api.fd, 128) < 0) {
		rv = -errno;
		lig_err("api", "socket %s: %s", path, strerror(errno));
		goto fail;
	}
	snprintf(lig_api.path, sizeof(lig_api.path), "%s", path);
	lig_api.watch = lig_loop_watch_fd(lig_api.fd, EPOLLIN, lig_api_accept, NULL);
	if (!lig_api.watch) {
		rv = -errno;
		goto fail;
	}
	lig_loop_watch_no_barrier(lig_api.watch);
	lig_info("api", "listening on %s (%u messages)", path, lig_api_n_msgs);
	return 0;
fail:
	lig_api_server_stop();
	return rv;
}

void
lig_api_server_stop(void)
{
	for (u32 i = 0; i < LIG_API_MAX_CLIENTS; i++)
		if (lig_api.clients[i])
			lig_api_client_close(lig_api.clients[i]);
	lig_loop_unwatch_fd(lig_api.watch);
	lig_loop_unwatch_fd(lig_api.work_watch);
	lig_api.watch = lig_api.work_watch = NULL;
	if (lig_api.fd >= 0)
		close(lig_api.fd);
	if (lig_api.path[0])
		unlink(lig_api.path);
	if (lig_api.work_fd >= 0)
		close(lig_api.work_fd);
	if (lig_api.spare_fd >= 0)
		close(lig_api.spare_fd);
	lig_api.fd = lig_api.work_fd = lig_api.spare_fd = -1;
	lig_api.path[0] = 0;
}

const char *
lig_api_server_path(void)
{
	return lig_api.path;
}

void
lig_api_server_stats(struct lig_api_stats *s)
{
	*s = lig_api.stats;
	s->clients = lig_api.n_clients;
}

static int
lig_api_cli_show(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_api_stats s;

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_api_server_stats(&s);
	lig_str_printf(out, "API socket %s, %u messages\n",
		       lig_api.path[0] ? lig_api.path : "(none)", lig_api_n_msgs);
	lig_str_printf(out, "  clients %u (accepted %llu, dropped %llu)\n", s.clients,
		       (unsigned long long)s.clients_accepted,
		       (unsigned long long)s.clients_dropped);
	lig_str_printf(out, "  requests %llu, errors %llu, details %llu, events %llu\n",
		       (unsigned long long)s.requests, (unsigned long long)s.errors,
		       (unsigned long long)s.details, (unsigned long long)s.events);
	for (u32 i = 0; i < lig_api.n_slots; i++) {
		const struct lig_api_client *c = lig_api.clients[i];
		if (c)
			lig_str_printf(out, "  client %u: %zu bytes queued%s%s\n", i,
				       lig_api_out_pending(c), c->resuming ? ", busy" : "",
				       c->all_events || c->n_events ? ", subscribed" : "");
	}
	return 0;
}

LIG_CLI_COMMAND(lig_api_show_command) = {
    .path = "show api",
    .short_help = "show api: the API socket, its clients and counters",
    .function = lig_api_cli_show,
    .mp_safe = true, /* the API server is main's alone */
};

/* SPDX-License-Identifier: Apache-2.0 */
/* libligapi (ligapi.h): framing, synchronous calls, dumps, events and JSON rendering. */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ligapi.h"
#include "vlib/api.h"

enum { LIG_API_OK, LIG_API_MISMATCH, LIG_API_UNKNOWN };

#define LIG_API_OUT_MAX (64u * 1024) /* queued requests written together */

struct lig_api_client {
	int fd;
	u32 next_context;
	u8 *in; /* received bytes: [in_off, in_len) are not consumed yet */
	u32 in_off, in_len, in_cap;
	u8 *out; /* requests queued by lig_api_send_queued (LIG_API_OUT_MAX bytes) */
	u32 out_len;
	lig_api_event_cb_t *event_cb;
	void *event_ctx;
	int timeout_ms; /* lig_api_set_timeout; -1: none */
	bool broken;	/* a wait timed out: the stream is in an unknown state */
	char error[LIG_API_ERROR_SIZE + 64];
	u8 state[1 << 16]; /* LIG_API_OK/MISMATCH/UNKNOWN by message id */
};

static int
lig_api_fail(struct lig_api_client *c, int rv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	return rv;
}

const char *
lig_api_last_error(const struct lig_api_client *c)
{
	return c->error;
}

int
lig_api_fd(const struct lig_api_client *c)
{
	return c->fd;
}

void
lig_api_set_event_cb(struct lig_api_client *c, lig_api_event_cb_t *cb, void *ctx)
{
	c->event_cb = cb;
	c->event_ctx = ctx;
}

void
lig_api_set_timeout(struct lig_api_client *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : -1;
}

/* Timeouts: a deadline in CLOCK_MONOTONIC milliseconds (0: none) and what is left of it
 * as a poll() timeout (-1: forever). */
static u64
lig_api_deadline(int timeout_ms)
{
	struct timespec ts;

	if (timeout_ms < 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000 + (u64)timeout_ms;
}

static int
lig_api_left(u64 deadline)
{
	struct timespec ts;

	if (!deadline)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	u64 now = (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
	return now >= deadline ? 0 : (int)LIG_MIN(deadline - now, (u64)INT32_MAX);
}

/* A wait expired: the connection cannot be trusted any more (lig_api_set_timeout). */
static int
lig_api_timed_out(struct lig_api_client *c, const char *what)
{
	c->broken = true;
	return lig_api_fail(c, -ETIMEDOUT,
			    "ligd did not %s within %d ms; the connection is unusable, connect "
			    "again",
			    what, c->timeout_ms);
}

static int
lig_api_check_broken(struct lig_api_client *c)
{
	if (c->broken)
		return lig_api_fail(c, -ENOTCONN,
				    "connection unusable after a timeout; disconnect and connect "
				    "again");
	return 0;
}

/* With a timeout, sends do not block: EAGAIN waits here for room until the deadline. */
static int
lig_api_send_flags(const struct lig_api_client *c)
{
	return MSG_NOSIGNAL | (c->timeout_ms > 0 ? MSG_DONTWAIT : 0);
}

static int
lig_api_wait_writable(struct lig_api_client *c, u64 deadline)
{
	for (;;) {
		struct pollfd p = {.fd = c->fd, .events = POLLOUT};
		int n = poll(&p, 1, lig_api_left(deadline));
		if (n > 0)
			return 0;
		if (n == 0)
			return lig_api_timed_out(c, "take the request");
		if (errno != EINTR)
			return lig_api_fail(c, -errno, "poll: %s", strerror(errno));
	}
}

static int
lig_api_write_all(struct lig_api_client *c, const void *p, size_t n, u64 deadline)
{
	const u8 *b = p;

	while (n) {
		ssize_t w = send(c->fd, b, n, lig_api_send_flags(c));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				int rv = lig_api_wait_writable(c, deadline);
				if (rv < 0)
					return rv;
				continue;
			}
			return lig_api_fail(c, -errno, "send: %s", strerror(errno));
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Checks the message is usable against this ligd. */
static int
lig_api_usable(struct lig_api_client *c, const struct lig_api_msg *m, u16 msg_id)
{
	if (!m)
		return lig_api_fail(c, -ENOSYS, "message id 0x%04x: not in this library", msg_id);
	if (c->state[msg_id] == LIG_API_MISMATCH)
		return lig_api_fail(c, -EPROTO,
				    "message %s: version mismatch (this client and ligd were built "
				    "with different layouts)",
				    m->name);
	if (c->state[msg_id] == LIG_API_UNKNOWN)
		return lig_api_fail(c, -ENOSYS, "message %s: not known to this ligd", m->name);
	return 0;
}

/* Checks a request and fills its header: the context (>= 0) or -errno. */
static int64_t
lig_api_prepare(struct lig_api_client *c, u16 msg_id, u32 req_size, struct lig_api_hdr *h)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	int rv = lig_api_check_broken(c);

	if (rv == 0)
		rv = lig_api_usable(c, m, msg_id);
	if (rv < 0)
		return rv;
	if (req_size > LIG_API_MAX_MSG - LIG_API_HDR_SIZE)
		return lig_api_fail(c, -EMSGSIZE, "message %s: %u bytes, at most %u", m->name,
				    req_size, LIG_API_MAX_MSG - LIG_API_HDR_SIZE);
	u32 context = ++c->next_context;
	*h = (struct lig_api_hdr){.msg_id = msg_id,
				  .crc = lig_api_msg_crc(m),
				  .context = context,
				  .length = LIG_API_HDR_SIZE + req_size};
	return context;
}

int
lig_api_flush(struct lig_api_client *c)
{
	if (!c->out_len)
		return 0;
	int rv = lig_api_check_broken(c);
	if (rv == 0)
		rv = lig_api_write_all(c, c->out, c->out_len, lig_api_deadline(c->timeout_ms));
	c->out_len = 0;
	return rv;
}

int64_t
lig_api_send(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size)
{
	struct lig_api_hdr h = {0};
	int64_t context = lig_api_flush(c);

	if (context == 0)
		context = lig_api_prepare(c, msg_id, req_size, &h);
	if (context < 0)
		return context;
	struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)req, req_size}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = req_size ? 2 : 1};
	u64 deadline = lig_api_deadline(c->timeout_ms);
	ssize_t w;
	int rv = 0;
	do
		w = sendmsg(c->fd, &mh, lig_api_send_flags(c));
	while (w < 0 && errno == EINTR);
	if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		w = 0; /* no room yet (with a timeout): the rest is sent below */
	else if (w < 0)
		return lig_api_fail(c, -errno, "send: %s", strerror(errno));
	if ((size_t)w < sizeof(h) + req_size) {
		/* A short write of a large request: send the rest. */
		size_t done = (size_t)w;
		if (done < sizeof(h)) {
			rv = lig_api_write_all(c, (u8 *)&h + done, sizeof(h) - done, deadline);
			done = sizeof(h);
		}
		if (rv == 0)
			rv = lig_api_write_all(c, (const u8 *)req + (done - sizeof(h)),
					       req_size - (done - sizeof(h)), deadline);
		if (rv < 0)
			return rv;
	}
	return context;
}

int64_t
lig_api_send_queued(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size)
{
	struct lig_api_hdr h = {0};
	u32 size = (u32)sizeof(h) + req_size;

	if (size > LIG_API_OUT_MAX || (!c->out && !(c->out = malloc(LIG_API_OUT_MAX))))
		return lig_api_send(c, msg_id, req, req_size); /* too large to queue */
	if (c->out_len + size > LIG_API_OUT_MAX) {
		int rv = lig_api_flush(c);
		if (rv < 0)
			return rv;
	}
	int64_t context = lig_api_prepare(c, msg_id, req_size, &h);
	if (context < 0)
		return context;
	memcpy(c->out + c->out_len, &h, sizeof(h));
	if (req_size)
		memcpy(c->out + c->out_len + sizeof(h), req, req_size);
	c->out_len += size;
	return context;
}

/* Reads until one whole message is buffered (timeout_ms as poll, for the whole message;
 * -1 forever). Returns 1 with *h set, 0 on timeout (or on a signal, unless restart), or
 * -errno. The message stays at c->in + c->in_off until consumed. */
static int
lig_api_read_msg(struct lig_api_client *c, struct lig_api_hdr *h, int timeout_ms, bool restart)
{
	u64 deadline = timeout_ms > 0 ? lig_api_deadline(timeout_ms) : 0;

	for (;;) {
		u32 avail = c->in_len - c->in_off;
		if (avail >= LIG_API_HDR_SIZE) {
			memcpy(h, c->in + c->in_off, sizeof(*h));
			if (h->length < LIG_API_HDR_SIZE || h->length > LIG_API_MAX_MSG)
				return lig_api_fail(c, -EPROTO, "garbled stream: message length %u",
						    h->length);
			if (avail >= h->length)
				return 1;
		}
		if (timeout_ms >= 0) {
			struct pollfd p = {.fd = c->fd, .events = POLLIN};
			int n = poll(&p, 1, timeout_ms > 0 ? lig_api_left(deadline) : 0);
			if (n < 0 && errno == EINTR && restart)
				continue;
			if (n < 0 && errno != EINTR)
				return lig_api_fail(c, -errno, "poll: %s", strerror(errno));
			if (n <= 0)
				return 0;
		}
		/* Room for a whole message behind what is buffered: move the unconsumed part to
		 * the front only when there is not (at most once per 64 KiB consumed), not after
		 * every message (a dump of 100 000 routes would move the buffer 100 000 times). */
		if (c->in_off && c->in_cap - c->in_len < LIG_API_MAX_MSG) {
			memmove(c->in, c->in + c->in_off, avail);
			c->in_off = 0;
			c->in_len = avail;
		}
		ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return lig_api_fail(c, -errno, "recv: %s", strerror(errno));
		if (r == 0)
			return lig_api_fail(c, -EPIPE, "ligd closed the connection");
		c->in_len += (u32)r;
	}
}

static void
lig_api_consume(struct lig_api_client *c, u32 len)
{
	c->in_off += len;
	if (c->in_off == c->in_len)
		c->in_off = c->in_len = 0;
}

/* Hands an event to the callback after checking it against its definition. */
static void
lig_api_dispatch_event(struct lig_api_client *c, const struct lig_api_hdr *h)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(h->msg_id);
	const u8 *body = c->in + c->in_off + LIG_API_HDR_SIZE;
	u32 len = h->length - LIG_API_HDR_SIZE;
	char why[LIG_API_ERROR_SIZE];

	if (!c->event_cb || !m || m->kind != LIG_API_EVENT || c->state[h->msg_id] != LIG_API_OK ||
	    lig_api_validate(m->req, m->n_req, m->req_size, body, len, why, sizeof(why)) < 0)
		return;
	c->event_cb(c->event_ctx, h->msg_id, body, len);
}

/*
 * Reads messages until the one answering context arrives (a reply, or a done for a
 * dump, whose details go to cb). Events are dispatched on the way; other contexts are a
 * protocol error (this library answers in order).
 */
static int
lig_api_wait(struct lig_api_client *c, u32 context, void *reply, u32 reply_size,
	     lig_api_details_cb_t *cb, void *ctx)
{
	bool stop = false;
	int sent = lig_api_flush(c); /* the request may still be queued */

	if (sent < 0)
		return sent;

	for (;;) {
		struct lig_api_hdr h;
		int rv = lig_api_read_msg(c, &h, c->timeout_ms, true);
		if (rv == 0)
			return lig_api_timed_out(c, "answer");
		if (rv < 0)
			return rv;
		const u8 *body = c->in + c->in_off + LIG_API_HDR_SIZE;
		u32 len = h.length - LIG_API_HDR_SIZE;
		if (h.flags & LIG_API_F_EVENT) {
			lig_api_dispatch_event(c, &h);
			lig_api_consume(c, h.length);
			continue;
		}
		if (h.context != context) {
			lig_api_consume(c, h.length);
			return lig_api_fail(c, -EPROTO, "reply for request %u while waiting for %u",
					    h.context, context);
		}
		if (h.flags & LIG_API_F_DETAILS) {
			if (cb && !stop && !cb(ctx, body, len))
				stop = true;
			lig_api_consume(c, h.length);
			continue;
		}
		if (!(h.flags & (LIG_API_F_REPLY | LIG_API_F_DONE)) ||
		    len < sizeof(struct lig_api_status)) {
			lig_api_consume(c, h.length);
			return lig_api_fail(c, -EPROTO, "malformed reply (flags 0x%x, %u bytes)",
					    h.flags, len);
		}
		struct lig_api_status st;
		memcpy(&st, body, sizeof(st));
		st.error[sizeof(st.error) - 1] = 0;
		if (reply) {
			memset(reply, 0, reply_size);
			memcpy(reply, body, LIG_MIN(len, reply_size));
		}
		if (st.retval < 0)
			snprintf(c->error, sizeof(c->error), "%s", st.error);
		else
			c->error[0] = 0;
		lig_api_consume(c, h.length);
		return st.retval > 0 ? 0 : st.retval;
	}
}

int
lig_api_recv_reply(struct lig_api_client *c, u32 context, void *reply, u32 reply_size)
{
	int rv = lig_api_check_broken(c);

	return rv < 0 ? rv : lig_api_wait(c, context, reply, reply_size, NULL, NULL);
}

int
lig_api_call(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size, void *reply,
	     u32 reply_size)
{
	int64_t ctx = lig_api_send(c, msg_id, req, req_size);

	if (ctx < 0) {
		if (reply && reply_size >= sizeof(struct lig_api_status)) {
			memset(reply, 0, reply_size);
			((struct lig_api_status *)reply)->retval = (i32)ctx;
			snprintf(((struct lig_api_status *)reply)->error, LIG_API_ERROR_SIZE,
				 "%.*s", LIG_API_ERROR_SIZE - 1, c->error);
		}
		return (int)ctx;
	}
	return lig_api_wait(c, (u32)ctx, reply, reply_size, NULL, NULL);
}

int
lig_api_dump(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size,
	     lig_api_details_cb_t *cb, void *ctx)
{
	int64_t context = lig_api_send(c, msg_id, req, req_size);

	if (context < 0)
		return (int)context;
	return lig_api_wait(c, (u32)context, NULL, 0, cb, ctx);
}

int
lig_api_want_events(struct lig_api_client *c, u16 event_id, bool enable)
{
	lig_api_want_events_t req = {.event_id = event_id, .enable = enable};
	lig_api_want_events_reply_t rep;

	return LIG_API_CLIENT_CALL(c, want_events, &req, &rep);
}

int
lig_api_poll_events(struct lig_api_client *c, int timeout_ms)
{
	int n = 0, broken = lig_api_check_broken(c);

	if (broken == 0)
		broken = lig_api_flush(c);
	if (broken < 0)
		return broken;
	for (;;) {
		struct lig_api_hdr h;
		int rv = lig_api_read_msg(c, &h, n ? 0 : timeout_ms, false);
		if (rv < 0)
			return rv;
		if (rv == 0)
			return n;
		if (!(h.flags & LIG_API_F_EVENT)) {
			lig_api_consume(c, h.length);
			return lig_api_fail(c, -EPROTO, "unexpected reply while polling events");
		}
		lig_api_dispatch_event(c, &h);
		lig_api_consume(c, h.length);
		n++;
	}
}

static bool
lig_api_table_cb(void *ctx, const void *details, u32 size)
{
	struct lig_api_client *c = ctx;
	lig_api_api_msg_table_details_t d;

	if (size != sizeof(d))
		return true;
	memcpy(&d, details, sizeof(d));
	const struct lig_api_msg *m = lig_api_msg_by_id(d.msg_id);
	if (m && strncmp(m->name, d.name, sizeof(d.name)) == 0)
		c->state[d.msg_id] = d.crc == lig_api_msg_crc(m) ? LIG_API_OK : LIG_API_MISMATCH;
	return true;
}

struct lig_api_client *
lig_api_connect(const char *path, char *err, size_t err_size)
{
	return lig_api_connect_timeout(path, -1, err, err_size);
}

struct lig_api_client *
lig_api_connect_timeout(const char *path, int timeout_ms, char *err, size_t err_size)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct lig_api_client *c;
	int saved;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, err_size, "socket path too long: %s", path);
		errno = ENAMETOOLONG;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->in = malloc(LIG_API_MAX_MSG + 65536))) {
		free(c);
		snprintf(err, err_size, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	c->in_cap = LIG_API_MAX_MSG + 65536;
	lig_api_set_timeout(c, timeout_ms);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		saved = errno;
		snprintf(err, err_size, "cannot connect to ligd's API at %s: %s", path,
			 strerror(saved));
		goto fail;
	}
	/* Until ligd's table says otherwise, only the table request itself is trusted. */
	memset(c->state, LIG_API_UNKNOWN, sizeof(c->state));
	c->state[LIG_API_ID_api_msg_table] = LIG_API_OK;
	lig_api_api_msg_table_t req;
	int rv = LIG_API_CLIENT_DUMP(c, api_msg_table, &req, lig_api_table_cb, c);
	if (rv < 0) {
		saved = -rv;
		snprintf(err, err_size, "ligd's API at %s: %s", path, c->error);
		goto fail;
	}
	return c;
fail:
	if (c->fd >= 0)
		close(c->fd);
	free(c->in);
	free(c);
	errno = saved;
	return NULL;
}

void
lig_api_disconnect(struct lig_api_client *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

/* JSON */

static json_t *lig_api_json_fields(const struct lig_api_field *f, u32 n, const u8 *p, u32 len,
				   const struct lig_api_json_opts *o);

static json_t *
lig_api_json_value(const struct lig_api_field *f, const u8 *p, const struct lig_api_json_opts *o)
{
	const struct lig_api_type *t = f->type;
	char buf[32];
	u16 v16;
	u32 v32;
	u64 v64;
	i32 i;

	switch (t->kind) {
	case LIG_API_K_U8:
		return json_integer(*p);
	case LIG_API_K_BOOL:
		return json_boolean(*p);
	case LIG_API_K_U16:
		memcpy(&v16, p, 2);
		return json_integer(v16);
	case LIG_API_K_U32:
		memcpy(&v32, p, 4);
		if (o && o->if_name) {
			size_t n = strlen(f->name);
			if (n >= 11 && strcmp(f->name + n - 11, "sw_if_index") == 0) {
				const char *name = o->if_name(o->ctx, v32);
				if (name)
					return json_string(name);
			}
		}
		return json_integer(v32);
	case LIG_API_K_U64:
		memcpy(&v64, p, 8);
		return json_integer((json_int_t)v64);
	case LIG_API_K_I32:
		memcpy(&i, p, 4);
		return json_integer(i);
	case LIG_API_K_IP4:
		return json_string(inet_ntop(AF_INET, p, buf, sizeof(buf)));
	case LIG_API_K_MAC:
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3],
			 p[4], p[5]);
		return json_string(buf);
	case LIG_API_K_STRING:
		return json_stringn((const char *)p, strnlen((const char *)p, t->size));
	case LIG_API_K_STRUCT:
		return lig_api_json_fields(t->fields, t->n_fields, p, t->size, o);
	}
	return json_null();
}

static bool
lig_api_json_skip(const struct lig_api_field *f, const struct lig_api_json_opts *o)
{
	if (strcmp(f->name, "reserved") == 0)
		return true;
	if (o && o->skip_state && f->doc && strncmp(f->doc, "(state)", 7) == 0)
		return true;
	return false;
}

static json_t *
lig_api_json_fields(const struct lig_api_field *f, u32 n, const u8 *p, u32 len,
		    const struct lig_api_json_opts *o)
{
	json_t *obj = json_object();
	u32 off = 0, n_items = 0;

	for (u32 i = 0; i < n && obj; i++) {
		u32 count = f[i].count ? f[i].count : n_items;
		u32 size = f[i].type->size;
		if ((u64)off + (u64)size * count > len)
			break;
		if (f[i].count == 1 && f[i].type->kind == LIG_API_K_U32)
			memcpy(&n_items, p + off, 4);
		if (!lig_api_json_skip(&f[i], o)) {
			if (f[i].count == 1) {
				json_object_set_new(obj, f[i].name,
						    lig_api_json_value(&f[i], p + off, o));
			} else {
				json_t *a = json_array();
				for (u32 k = 0; k < count; k++)
					json_array_append_new(
					    a, lig_api_json_value(&f[i], p + off + k * size, o));
				json_object_set_new(obj, f[i].name, a);
			}
		}
		off += size * count;
	}
	return obj;
}

char *
lig_api_to_json_opts(u16 msg_id, u16 flags, const void *body, u32 size,
		     const struct lig_api_json_opts *opts)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	const u8 *p = body;
	json_t *o;

	if (!m)
		return NULL;
	if (flags & (LIG_API_F_REPLY | LIG_API_F_DONE)) {
		if (size < sizeof(struct lig_api_status))
			return NULL;
		struct lig_api_status st;
		memcpy(&st, p, sizeof(st));
		o = flags & LIG_API_F_DONE ? json_object()
					   : lig_api_json_fields(m->rep, m->n_rep, p + sizeof(st),
								 size - (u32)sizeof(st), opts);
		json_object_set_new(o, "retval", json_integer(st.retval));
		if (st.retval)
			json_object_set_new(
			    o, "error",
			    json_stringn(st.error, strnlen(st.error, sizeof(st.error))));
	} else if (flags & LIG_API_F_DETAILS) {
		o = lig_api_json_fields(m->rep, m->n_rep, p, size, opts);
	} else {
		o = lig_api_json_fields(m->req, m->n_req, p, size, opts);
	}
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

char *
lig_api_to_json(u16 msg_id, u16 flags, const void *body, u32 size)
{
	return lig_api_to_json_opts(msg_id, flags, body, size, NULL);
}

/* JSON -> body */

struct lig_api_json_in {
	const struct lig_api_json_opts *o;
	char *err;
	size_t err_size;
};

static int
lig_api_json_bad(struct lig_api_json_in *in, const char *name, const char *what)
{
	snprintf(in->err, in->err_size, "field %s: %s", name, what);
	return -EINVAL;
}

static int lig_api_json_parse_fields(struct lig_api_json_in *in, const struct lig_api_field *f,
				     u32 n, json_t *obj, u8 *p, u32 cap, u32 *used);

static int
lig_api_json_parse_value(struct lig_api_json_in *in, const struct lig_api_field *f, json_t *v,
			 u8 *p)
{
	const struct lig_api_type *t = f->type;
	json_int_t x = 0;
	u32 used;

	if (t->kind <= LIG_API_K_I32 && t->kind != LIG_API_K_BOOL) {
		if (json_is_string(v) && t->kind == LIG_API_K_U32 && in->o && in->o->if_index) {
			size_t n = strlen(f->name);
			if (n >= 11 && strcmp(f->name + n - 11, "sw_if_index") == 0) {
				u32 idx = in->o->if_index(in->o->ctx, json_string_value(v));
				if (idx == ~0u)
					return lig_api_json_bad(in, f->name, "no such interface");
				memcpy(p, &idx, 4);
				return 0;
			}
		}
		if (!json_is_integer(v))
			return lig_api_json_bad(in, f->name, "expected an integer");
		x = json_integer_value(v);
	}
	switch (t->kind) {
	case LIG_API_K_U8:
		if (x < 0 || x > 0xff)
			return lig_api_json_bad(in, f->name, "out of range for u8");
		*p = (u8)x;
		return 0;
	case LIG_API_K_U16: {
		if (x < 0 || x > 0xffff)
			return lig_api_json_bad(in, f->name, "out of range for u16");
		u16 v16 = (u16)x;
		memcpy(p, &v16, 2);
		return 0;
	}
	case LIG_API_K_U32: {
		if (x < 0 || x > 0xffffffffll)
			return lig_api_json_bad(in, f->name, "out of range for u32");
		u32 v32 = (u32)x;
		memcpy(p, &v32, 4);
		return 0;
	}
	case LIG_API_K_U64: {
		if (x < 0)
			return lig_api_json_bad(in, f->name, "negative for u64");
		u64 v64 = (u64)x;
		memcpy(p, &v64, 8);
		return 0;
	}
	case LIG_API_K_I32: {
		if (x < INT32_MIN || x > INT32_MAX)
			return lig_api_json_bad(in, f->name, "out of range for i32");
		i32 i = (i32)x;
		memcpy(p, &i, 4);
		return 0;
	}
	case LIG_API_K_BOOL:
		if (json_is_boolean(v))
			*p = json_is_true(v);
		else if (json_is_integer(v) &&
			 (json_integer_value(v) == 0 || json_integer_value(v) == 1))
			*p = (u8)json_integer_value(v);
		else
			return lig_api_json_bad(in, f->name, "expected true or false");
		return 0;
	case LIG_API_K_IP4:
		if (!json_is_string(v) || inet_pton(AF_INET, json_string_value(v), p) != 1)
			return lig_api_json_bad(in, f->name, "expected an IPv4 address a.b.c.d");
		return 0;
	case LIG_API_K_MAC: {
		unsigned b[6];
		char tail;
		if (!json_is_string(v) ||
		    sscanf(json_string_value(v), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
			   &b[3], &b[4], &b[5], &tail) != 6)
			return lig_api_json_bad(in, f->name, "expected a MAC xx:xx:xx:xx:xx:xx");
		for (int k = 0; k < 6; k++)
			p[k] = (u8)b[k];
		return 0;
	}
	case LIG_API_K_STRING:
		if (!json_is_string(v) || json_string_length(v) >= t->size)
			return lig_api_json_bad(in, f->name, "expected a string that fits");
		memcpy(p, json_string_value(v), json_string_length(v));
		return 0;
	case LIG_API_K_STRUCT:
		if (!json_is_object(v))
			return lig_api_json_bad(in, f->name, "expected an object");
		return lig_api_json_parse_fields(in, t->fields, t->n_fields, v, p, t->size, &used);
	}
	return -EINVAL;
}

static int
lig_api_json_parse_fields(struct lig_api_json_in *in, const struct lig_api_field *f, u32 n,
			  json_t *obj, u8 *p, u32 cap, u32 *used)
{
	u32 off = 0;
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		u32 i;
		for (i = 0; i < n && strcmp(f[i].name, key) != 0; i++)
			;
		if (i == n)
			return lig_api_json_bad(in, key, "no such field");
	}
	for (u32 i = 0; i < n; i++) {
		v = json_object_get(obj, f[i].name);
		u32 size = f[i].type->size;
		if (f[i].count == 0) {
			/* The variable array: its count (the field before) comes from it. */
			size_t items = v ? json_array_size(v) : 0;
			if (v && !json_is_array(v))
				return lig_api_json_bad(in, f[i].name, "expected an array");
			if ((u64)off + (u64)items * size > cap)
				return lig_api_json_bad(in, f[i].name, "too many items");
			u32 n_items = (u32)items;
			memcpy(p + off - 4, &n_items, 4);
			for (size_t k = 0; k < items; k++) {
				int rv = lig_api_json_parse_value(in, &f[i], json_array_get(v, k),
								  p + off + k * size);
				if (rv < 0)
					return rv;
			}
			off += n_items * size;
			continue;
		}
		if (off + size * f[i].count > cap)
			return lig_api_json_bad(in, f[i].name, "does not fit");
		if (v && f[i].count == 1) {
			int rv = lig_api_json_parse_value(in, &f[i], v, p + off);
			if (rv < 0)
				return rv;
		} else if (v) {
			if (!json_is_array(v) || json_array_size(v) > f[i].count)
				return lig_api_json_bad(in, f[i].name,
							"expected an array that fits");
			for (size_t k = 0; k < json_array_size(v); k++) {
				int rv = lig_api_json_parse_value(in, &f[i], json_array_get(v, k),
								  p + off + k * size);
				if (rv < 0)
					return rv;
			}
		}
		off += size * f[i].count;
	}
	*used = off;
	return 0;
}

int
lig_api_from_json(u16 msg_id, const char *json, void *body, u32 cap,
		  const struct lig_api_json_opts *opts, char *err, size_t err_size)
{
	const struct lig_api_msg *m = lig_api_msg_by_id(msg_id);
	struct lig_api_json_in in = {.o = opts, .err = err, .err_size = err_size};
	json_error_t je;
	u32 used = 0;

	if (!m) {
		snprintf(err, err_size, "unknown message id 0x%04x", msg_id);
		return -ENOENT;
	}
	json_t *o = json_loads(json && *json ? json : "{}", JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		snprintf(err, err_size, "not a JSON object: %s", o ? "" : je.text);
		json_decref(o);
		return -EINVAL;
	}
	memset(body, 0, cap);
	const struct lig_api_field *f = m->req;
	int rv = lig_api_json_parse_fields(&in, f, m->n_req, o, body, cap, &used);
	json_decref(o);
	return rv < 0 ? rv : (int)used;
}

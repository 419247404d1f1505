/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libligapi: the C client of ligd's API socket. ligctl, the agent, hello-cnf and the
 * tests use it; nothing else frames API messages.
 *
 * The messages are ligd's own definitions (src/<module>/api.h, one struct per request,
 * reply and details; see docs/api.md). A connection is one unix stream socket; calls
 * are synchronous, in order; the library has no threads and allocates only its
 * connection state; every buffer it hands you is valid during the callback only, every
 * buffer you pass stays yours.
 *
 *   char err[256];
 *   struct lig_api_client *c = lig_api_connect("/run/ligature/api.sock", err, sizeof(err));
 *   lig_api_bridge_domain_add_del_t req = {.bd_id = 10, .is_add = 1, .learn = 1};
 *   lig_api_bridge_domain_add_del_reply_t rep;
 *   if (LIG_API_CLIENT_CALL(c, bridge_domain_add_del, &req, &rep) < 0)
 *           fprintf(stderr, "%s\n", rep.error);
 */
#ifndef LIGAPI_H
#define LIGAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vlib/api_msg.h"

struct lig_api_client;

/*
 * Connects and checks this library's message table against ligd's (one api_msg_table
 * dump): a message whose layout differs, or that ligd does not know, is marked, and
 * calling it fails at once with "message X: version mismatch" / "not known to this
 * ligd" and -EPROTO / -ENOSYS; nothing misread, every other message usable. Returns
 * NULL with errno set and the reason in err.
 */
struct lig_api_client *lig_api_connect(const char *path, char *err, size_t err_size);
/* The same, with lig_api_set_timeout(timeout_ms) applied before the table dump, so a
 * ligd that accepts but never answers cannot hold the caller either (-ETIMEDOUT). */
struct lig_api_client *lig_api_connect_timeout(const char *path, int timeout_ms, char *err,
					       size_t err_size);
void lig_api_disconnect(struct lig_api_client *c);
/*
 * The socket, for the caller's poll()/epoll when it waits for events. A call may read
 * events that arrive after its reply into the client's buffer, where poll() cannot see
 * them: after a call, lig_api_poll_events(c, 0) dispatches those before going back to
 * waiting on the fd.
 */
int lig_api_fd(const struct lig_api_client *c);

/*
 * Bounds how long any call on c may wait for ligd: timeout_ms (0 or -1: no limit, the
 * default) applies to sending a request (lig_api_send, and so every call), to the wait
 * for its reply (lig_api_call, lig_api_recv_reply, lig_api_want_events) and to each
 * wait of a dump for its next message (a details or the done: a long dump that keeps
 * streaming is not cut off). lig_api_poll_events keeps its own timeout_ms argument.
 * When a wait expires the call returns -ETIMEDOUT with the reason in
 * lig_api_last_error(). The stream is then in an unknown state (a reply may still come,
 * a request may be half sent), so the connection is unusable: every later call on c
 * fails at once with -ENOTCONN; disconnect and connect again.
 */
void lig_api_set_timeout(struct lig_api_client *c, int timeout_ms);

/*
 * Sends one request and waits for its reply. req is the request body (req_size bytes:
 * the struct, plus the items of a variable array); reply receives the whole reply
 * struct (status first, reply_size bytes; an error reply fills the status and zeroes
 * the rest). Returns the reply's retval (0 or ligd's -errno, with its text in
 * reply->error), or a transport error (-EPIPE, -ECONNRESET, -EPROTO on a garbled
 * stream, -ETIMEDOUT / -ENOTCONN with lig_api_set_timeout) with the reason in
 * lig_api_last_error(). Events arriving meanwhile go to the
 * event callback before the call returns.
 */
int lig_api_call(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size, void *reply,
		 u32 reply_size);

/* Called for each details message of a dump; return false to ignore the rest (the
 * dump is still read to its end). */
typedef bool(lig_api_details_cb_t)(void *ctx, const void *details, u32 size);
/* Runs a dump; returns its done status (0 or -errno, text in lig_api_last_error()). */
int lig_api_dump(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size,
		 lig_api_details_cb_t *cb, void *ctx);

/* Pipelining (bulk loads): send requests without waiting, then take their replies in
 * the order sent. lig_api_send returns the context of the request (>= 0) or -errno. */
int64_t lig_api_send(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size);
int lig_api_recv_reply(struct lig_api_client *c, u32 context, void *reply, u32 reply_size);
/* The same without writing yet: requests queued so leave together, in one send of up to
 * 64 KiB (a window of 256 small requests is a few sends instead of 256), when the queue is
 * full, at lig_api_flush(), or before anything else on c sends or waits (lig_api_send, every
 * call, dump, lig_api_recv_reply, lig_api_poll_events), so order is kept and a reply is
 * never awaited for a request still queued. The caller flushes before it waits on the fd
 * itself. Returns the context (>= 0) or -errno. */
int64_t lig_api_send_queued(struct lig_api_client *c, u16 msg_id, const void *req, u32 req_size);
/* Writes what is queued: 0 or -errno. */
int lig_api_flush(struct lig_api_client *c);

/* Events: the callback, then subscriptions (event_id 0: every event). */
typedef void(lig_api_event_cb_t)(void *ctx, u16 msg_id, const void *body, u32 size);
void lig_api_set_event_cb(struct lig_api_client *c, lig_api_event_cb_t *cb, void *ctx);
int lig_api_want_events(struct lig_api_client *c, u16 event_id, bool enable);
/* Waits up to timeout_ms (0: no wait, -1: forever) for events and dispatches every one
 * that arrived; returns how many, or -errno (-EPIPE: ligd went away). */
int lig_api_poll_events(struct lig_api_client *c, int timeout_ms);

/* The text of the last failure (transport or ligd's reply); "" after a success. */
const char *lig_api_last_error(const struct lig_api_client *c);

/* Typed wrappers. */
#define LIG_API_CLIENT_CALL(c, name, req, rep)                                                     \
	lig_api_call((c), LIG_API_ID_##name, (req), sizeof(lig_api_##name##_t), (rep),             \
		     sizeof(lig_api_##name##_reply_t))
#define LIG_API_CLIENT_DUMP(c, name, req, cb, ctx)                                                 \
	lig_api_dump((c), LIG_API_ID_##name, (req), sizeof(lig_api_##name##_t), (cb), (ctx))

/* JSON rendering of a body by its definition (flags: LIG_API_F_* of the message, 0 for
 * a request); returns a malloc'd string or NULL. */
char *lig_api_to_json(u16 msg_id, u16 flags, const void *body, u32 size);
/* The same with options: u32 fields named *sw_if_index rendered as the name if_name
 * returns (NULL: the number), and fields documented "(state) ..." left out when
 * skip_state (counters, link state: what a configuration does not set). */
struct lig_api_json_opts {
	const char *(*if_name)(void *ctx, u32 sw_if_index);
	/* Parsing (lig_api_from_json): an interface name given for a *sw_if_index field. */
	u32 (*if_index)(void *ctx, const char *name);
	void *ctx;
	bool skip_state;
};
char *lig_api_to_json_opts(u16 msg_id, u16 flags, const void *body, u32 size,
			   const struct lig_api_json_opts *opts);
/* Parses a request body from JSON by the message's definition (field names as in
 * docs/api.md; omitted fields are zero; unknown fields, wrong types and values out of
 * range are errors naming the field). Returns the body length, or -errno with err. */
int lig_api_from_json(u16 msg_id, const char *json, void *body, u32 cap,
		      const struct lig_api_json_opts *opts, char *err, size_t err_size);

#endif

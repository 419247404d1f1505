/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd's side of the API: handlers, the socket server, in-process calls and events.
 *
 * A module registers one handler per request it owns (in its api.c):
 *
 *   static int
 *   lig_l2_api_bd_add_del(struct lig_api_call *c, const lig_api_bridge_domain_add_del_t *req,
 *                         lig_api_bridge_domain_add_del_reply_t *rep)
 *   { ... return lig_api_error(c, -EBUSY, "bridge domain %u has %u members; ...", ...); }
 *   LIG_API_HANDLER(bridge_domain_add_del, lig_l2_api_bd_add_del);
 *
 * and for a dump:
 *
 *   static int
 *   lig_l2_api_bd_dump(struct lig_api_call *c, const lig_api_bridge_domain_dump_t *req)
 *   {
 *           for (u32 i = c->cursor; i < n; i++) {
 *                   lig_api_bridge_domain_dump_details_t d = {...};
 *                   if (!lig_api_details(c, &d, sizeof(d))) {
 *                           c->cursor = i + 1;
 *                           return LIG_API_MORE;
 *                   }
 *           }
 *           return 0;
 *   }
 *   LIG_API_DUMP_HANDLER(bridge_domain_dump, lig_l2_api_bd_dump);
 *
 * Contracts:
 * - A handler receives a request already validated against its definition (length,
 *   counts, strings, bools); it checks meaning (ranges, existence) itself.
 * - It returns 0 or -errno; on error it says why through lig_api_error(), in words a
 *   user understands, naming the object. The socket, the CLI and tests see that text.
 * - The reply body is zeroed before the call; the handler fills its fields.
 * - A dump emits details with lig_api_details(); when that returns false the handler
 *   stores in c->cursor where to resume and returns LIG_API_MORE: the server sends what
 *   it has and calls again later with the same request and that cursor, so a large dump
 *   never stalls forwarding and a client that does not read it holds only a bounded
 *   buffer. The cursor starts at 0; its meaning is the handler's (an index, usually).
 *   Tables may change between slices: an object changed meanwhile may appear in its old
 *   or new state, never torn.
 * - A request whose work is long (a bulk load of thousands of routes) may do it in slices
 *   the same way: store in c->cursor where to resume and return LIG_API_MORE; it is called
 *   again later with the same request, the same reply struct (keep partial results in
 *   it) and that cursor, and its reply goes out when it returns anything else. Keep a
 *   slice to about a millisecond of work.
 * - Handlers run on ligd's main thread, one at a time.
 */
#ifndef LIG_API_SERVER_H
#define LIG_API_SERVER_H

#include "../infra/lig_common.h"
#include "api_msg.h"

#define LIG_API_MORE 1
#define LIG_API_DEFAULT_SOCKET_NAME "api.sock"

struct lig_api_call;
typedef bool(lig_api_details_fn_t)(struct lig_api_call *c, const void *details, u32 size);

struct lig_api_call {
	const struct lig_api_msg *msg;
	u64 cursor;	  /* dumps: where to resume */
	char *error;	  /* LIG_API_ERROR_SIZE bytes */
	u32 client_index; /* ~0: an in-process call (CLI) */
	/* Where details go, and the sink's state. */
	lig_api_details_fn_t *details_fn;
	void *details_ctx;
};

/* Sets the error text of the reply and returns rv, for `return lig_api_error(...)`. */
int lig_api_error(struct lig_api_call *c, int rv, const char *fmt, ...) LIG_PRINTF(3, 4);

/* Emits one details message of the dump being served; false: stop now and resume later
 * (the item given was accepted). */
static inline bool
lig_api_details(struct lig_api_call *c, const void *details, u32 size)
{
	return c->details_fn(c, details, size);
}

typedef int(lig_api_handler_fn_t)(struct lig_api_call *c, const void *req, void *reply);
typedef int(lig_api_dump_fn_t)(struct lig_api_call *c, const void *req);

struct lig_api_handler {
	u16 msg_id;
	/* Runs without the barrier (VPP's is_mp_safe): it only changes what is published to
	 * workers atomically and freed through lig_rcu_call (routes, port modes), prepares
	 * aside and takes the barrier itself for a short last step (interface, ACL, domain
	 * creation), or reads what main alone writes and what workers write only through
	 * atomics (counters with lig_counter_get, the L2 FIB's atomic loads; never sessions
	 * or traces). Everything else a client sends runs under one barrier per batch. */
	bool mp_safe;
	lig_api_handler_fn_t *fn;
	lig_api_dump_fn_t *dump_fn;
	struct lig_api_handler *next;
};
void lig_api_register_handler(struct lig_api_handler *h);

/* Registers fn for request `name`; the casts keep each handler typed. The _MP_SAFE forms
 * mark it mp_safe. */
#define LIG_API_HANDLER_F(name, hfn, is_mp_safe)                                                   \
	static int lig_api_thunk_##name(struct lig_api_call *c, const void *req, void *rep)        \
	{                                                                                          \
		return hfn(c, (const lig_api_##name##_t *)req, (lig_api_##name##_reply_t *)rep);   \
	}                                                                                          \
	static struct lig_api_handler lig_api_handler_##name = {                                   \
	    .msg_id = LIG_API_ID_##name, .mp_safe = is_mp_safe, .fn = lig_api_thunk_##name};       \
	static void LIG_CONSTRUCTOR(210) lig_api_register_##name(void)                             \
	{                                                                                          \
		lig_api_register_handler(&lig_api_handler_##name);                                 \
	}
#define LIG_API_DUMP_HANDLER_F(name, hfn, is_mp_safe)                                              \
	static int lig_api_thunk_##name(struct lig_api_call *c, const void *req)                   \
	{                                                                                          \
		return hfn(c, (const lig_api_##name##_t *)req);                                    \
	}                                                                                          \
	static struct lig_api_handler lig_api_handler_##name = {                                   \
	    .msg_id = LIG_API_ID_##name, .mp_safe = is_mp_safe, .dump_fn = lig_api_thunk_##name};  \
	static void LIG_CONSTRUCTOR(210) lig_api_register_##name(void)                             \
	{                                                                                          \
		lig_api_register_handler(&lig_api_handler_##name);                                 \
	}
#define LIG_API_HANDLER(name, hfn) LIG_API_HANDLER_F(name, hfn, false)
#define LIG_API_HANDLER_MP_SAFE(name, hfn) LIG_API_HANDLER_F(name, hfn, true)
#define LIG_API_DUMP_HANDLER(name, hfn) LIG_API_DUMP_HANDLER_F(name, hfn, false)
#define LIG_API_DUMP_HANDLER_MP_SAFE(name, hfn) LIG_API_DUMP_HANDLER_F(name, hfn, true)

/*
 * In-process calls (the CLI): the same validation and handler as a socket request.
 * lig_api_call_local() takes the request body (req_size bytes) and fills reply (the
 * whole reply struct, status first); returns the handler's result. A request that
 * fails validation returns -EINVAL with the reason in the reply's error.
 */
int lig_api_call_local(u16 msg_id, const void *req, u32 req_size, void *reply, u32 reply_size);
/* Runs a dump to the end, calling fn for each details; fn returns false to stop early.
 * Returns the handler's result; err (LIG_API_ERROR_SIZE bytes, may be NULL) its text. */
typedef bool(lig_api_local_details_fn_t)(void *ctx, const void *details, u32 size);
int lig_api_dump_local(u16 msg_id, const void *req, u32 req_size, lig_api_local_details_fn_t *fn,
		       void *ctx, char *err);

/* Typed wrappers: LIG_API_CALL(bridge_domain_add_del, &req, &rep). */
#define LIG_API_CALL(name, req, rep)                                                               \
	lig_api_call_local(LIG_API_ID_##name, (req), sizeof(lig_api_##name##_t), (rep),            \
			   sizeof(lig_api_##name##_reply_t))
#define LIG_API_DUMP(name, req, fn, ctx, err)                                                      \
	lig_api_dump_local(LIG_API_ID_##name, (req), sizeof(lig_api_##name##_t), (fn), (ctx), (err))

/* Sends an event to every connection subscribed to it (want_events). Events are queued
 * in the order sent; a client whose queue passes its limit is disconnected. */
void lig_api_event(u16 msg_id, const void *body, u32 size);
/* True when some connection wants this event (skip building it otherwise). */
bool lig_api_event_wanted(u16 msg_id);

/* The socket server (mode 0660). path NULL: no listening socket, only connections handed
 * over with lig_api_server_adopt() (tests, fuzzing). */
int lig_api_server_start(const char *path);
/* Serves an already connected stream socket (non-blocking) as an API client; the server
 * owns and closes it. Returns 0 or -errno (the caller still owns fd then). */
int lig_api_server_adopt(int fd);
void lig_api_server_stop(void);
const char *lig_api_server_path(void);

/* Counters for show api. */
struct lig_api_stats {
	u64 requests, errors, events, details, clients_accepted, clients_dropped;
	u32 clients;
};
void lig_api_server_stats(struct lig_api_stats *s);

#endif

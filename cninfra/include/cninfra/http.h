/* SPDX-License-Identifier: Apache-2.0 */
/* Embedded HTTP server (libmicrohttpd in external epoll mode, driven by the shared loop, no
 * thread of its own) on which plugins register handlers, plus jansson JSON helpers. Optional
 * HTTPS (GnuTLS through libmicrohttpd), an authorization hook run before any handler (with a
 * bearer-token helper), and replies deferred until work done elsewhere on the loop finishes. */
#ifndef CNINFRA_HTTP_H
#define CNINFRA_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct cninfra_loop;
struct cninfra_http;

struct cninfra_http_req {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* without the query string */
	const char *body;   /* NUL-terminated; body_size bytes (may contain NULs) */
	size_t body_size;
	void *conn;  /* internal: use cninfra_http_query() */
	void *state; /* internal: the request's server-side state (cninfra_http_defer) */
};

struct cninfra_http_resp {
	unsigned status;	  /* default 200 */
	const char *content_type; /* default "text/plain; charset=utf-8"; static storage */
	char *body;		  /* malloc'd by the handler; freed by the server */
	size_t body_size;
};

/* A handler fills resp. It runs on the loop thread and must not block. */
typedef void (*cninfra_http_handler)(const struct cninfra_http_req *req,
				     struct cninfra_http_resp *resp, void *arg);

/* Starts listening on addr:port (addr NULL: 127.0.0.1; port 0: any free port), registered on
 * loop. Returns the server or NULL with errno set. */
struct cninfra_http *cninfra_http_new(struct cninfra_loop *loop, const char *addr, uint16_t port);

/* cninfra_http_new() with more settings. Zeroed fields take the defaults. */
struct cninfra_http_opts {
	const char *addr; /* IPv4 address to bind; NULL: 127.0.0.1 */
	uint16_t port;	  /* 0: any free port */
	/* HTTPS: both PEM files (the certificate file may hold the chain); both NULL: plain HTTP.
	 * Read once at start. */
	const char *tls_cert_file;
	const char *tls_key_file;
};
/* Returns the server or NULL with errno set (ENOTSUP: libmicrohttpd was built without TLS;
 * EINVAL: only one of the TLS files, or a bad address; the file's errno when it cannot be read;
 * EPROTO: GnuTLS refused the certificate or key). */
struct cninfra_http *cninfra_http_new_opts(struct cninfra_loop *loop,
					   const struct cninfra_http_opts *opts);
/* Stops listening. A deferred request still waiting is answered 503 after its cancel callback
 * ran (see cninfra_http_defer). Accepts NULL. */
void cninfra_http_free(struct cninfra_http *http);
/* The port actually bound. */
uint16_t cninfra_http_port(const struct cninfra_http *http);

/* Registers handler for method (NULL: any) and path. A path ending in '*' matches any path
 * starting with what precedes the '*'. The first matching registration wins; 404 or 405
 * otherwise. path is copied. Returns 0 or -errno. */
int cninfra_http_handle(struct cninfra_http *http, const char *method, const char *path,
			cninfra_http_handler handler, void *arg);
/* Maximum request body accepted (default 1 MiB); larger bodies get 413. */
void cninfra_http_set_max_body(struct cninfra_http *http, size_t size);

/* Value of a query argument, or NULL. */
const char *cninfra_http_query(const struct cninfra_http_req *req, const char *key);
/* Value of a request header (name case-insensitive), or NULL. */
const char *cninfra_http_header(const struct cninfra_http_req *req, const char *name);

/* Authorization: fn runs for every request once its headers arrived, before its body is read
 * and before routing (req->body is empty then). It returns 0 to let the request through, or
 * the status of a refusal: 401 is answered {"error":"unauthorized"} with
 * "WWW-Authenticate: Bearer", any other status {"error":"forbidden"}. NULL fn: no check. */
typedef unsigned (*cninfra_http_auth_fn)(const struct cninfra_http_req *req, void *arg);
void cninfra_http_set_auth(struct cninfra_http *http, cninfra_http_auth_fn fn, void *arg);
/* True when the request carries "Authorization: Bearer <token>" with exactly token. The
 * comparison takes the same time wherever the first difference is. */
bool cninfra_http_bearer_ok(const struct cninfra_http_req *req, const char *token);

/* Deferred replies: a handler whose answer needs work that finishes later on the loop (a child
 * process, another request) calls cninfra_http_defer() and returns; resp is then ignored. The
 * request waits, holding no loop time, until cninfra_http_complete() is called with the reply
 * (exactly once, from the loop thread). If the server is freed first, cancel(arg) runs instead
 * (the owner must forget the handle; completing it afterwards is not allowed) and the client
 * gets 503. Returns the handle or NULL with errno (ENOMEM; EINVAL outside a handler). */
struct cninfra_http_deferred;
struct cninfra_http_deferred *cninfra_http_defer(const struct cninfra_http_req *req,
						 void (*cancel)(void *arg), void *arg);
/* Sends resp (its body is taken over, as from a handler) and releases d. */
void cninfra_http_complete(struct cninfra_http_deferred *d, struct cninfra_http_resp *resp);

/* Response helpers: set status and a copied body. Return 0 or -ENOMEM (status 500 then). */
int cninfra_http_reply_text(struct cninfra_http_resp *resp, unsigned status, const char *text);
/* Any body (copied, size bytes, may hold NULs) with its content type (static storage). */
int cninfra_http_reply_data(struct cninfra_http_resp *resp, unsigned status,
			    const char *content_type, const void *data, size_t size);
/* Serializes json (the reference is kept by the caller). */
int cninfra_http_reply_json(struct cninfra_http_resp *resp, unsigned status, const json_t *json);
/* {"error": msg} */
int cninfra_http_reply_error(struct cninfra_http_resp *resp, unsigned status, const char *msg);

/* Parses a request body as a JSON object; on failure replies 400 with the parser's message and
 * returns NULL. The caller owns the result. */
json_t *cninfra_http_json_body(const struct cninfra_http_req *req, struct cninfra_http_resp *resp);

#endif

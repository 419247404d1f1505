/* SPDX-License-Identifier: Apache-2.0 */
/* Embedded HTTP server (libmicrohttpd in external epoll mode, driven by the shared loop, no
 * thread of its own) on which plugins register handlers, plus jansson JSON helpers. */
#ifndef CNINFRA_HTTP_H
#define CNINFRA_HTTP_H

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
	void *conn; /* internal: use cninfra_http_query() */
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

/* Response helpers: set status and a copied body. Return 0 or -ENOMEM (status 500 then). */
int cninfra_http_reply_text(struct cninfra_http_resp *resp, unsigned status, const char *text);
/* Serializes json (the reference is kept by the caller). */
int cninfra_http_reply_json(struct cninfra_http_resp *resp, unsigned status, const json_t *json);
/* {"error": msg} */
int cninfra_http_reply_error(struct cninfra_http_resp *resp, unsigned status, const char *msg);

/* Parses a request body as a JSON object; on failure replies 400 with the parser's message and
 * returns NULL. The caller owns the result. */
json_t *cninfra_http_json_body(const struct cninfra_http_req *req, struct cninfra_http_resp *resp);

#endif

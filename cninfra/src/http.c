// SPDX-License-Identifier: Apache-2.0
// Embedded HTTP server: libmicrohttpd in MHD_USE_EPOLL mode without an internal thread. Its epoll
// fd sits in the shared loop, and a loop timer follows MHD_get_timeout(), so every handler runs on
// the loop thread like any other plugin callback.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <microhttpd.h>

#include "cninfra/http.h"
#include "cninfra/log.h"
#include "cninfra/loop.h"

struct route {
	char *method; /* NULL: any */
	char *path;
	bool prefix;
	cninfra_http_handler fn;
	void *arg;
	struct route *next;
};

struct cninfra_http {
	struct cninfra_loop *loop;
	struct MHD_Daemon *d;
	struct cninfra_watch *w;
	struct cninfra_timer *t;
	struct route *routes, **tail;
	size_t max_body;
	uint16_t port;
	struct cninfra_logger *log;
};

/* Per-request state while the body arrives. */
struct reqstate {
	char *body;
	size_t size;
	bool too_big;
};

static void
drive(struct cninfra_http *http)
{
	MHD_run(http->d);
	MHD_UNSIGNED_LONG_LONG to;
	if (MHD_get_timeout(http->d, &to) == MHD_YES)
		cninfra_timer_set(http->t, to ? to : 1, 0);
	else
		cninfra_timer_set(http->t, 0, 0);
}

static void
on_epoll(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)fd;
	(void)events;
	drive(arg);
}

static void
on_timer(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	drive(arg);
}

static const struct route *
match(const struct cninfra_http *http, const char *method, const char *path, bool *path_known)
{
	*path_known = false;
	for (const struct route *r = http->routes; r; r = r->next) {
		bool hit =
		    r->prefix ? !strncmp(path, r->path, strlen(r->path)) : !strcmp(path, r->path);
		if (!hit)
			continue;
		*path_known = true;
		if (!r->method || !strcmp(r->method, method))
			return r;
	}
	return NULL;
}

static enum MHD_Result
queue(struct MHD_Connection *conn, struct cninfra_http_resp *resp)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    resp->body_size, resp->body ? resp->body : (char *)"",
	    resp->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(resp->body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				resp->content_type ? resp->content_type
						   : "text/plain; charset=utf-8");
	enum MHD_Result rc = MHD_queue_response(conn, resp->status ? resp->status : 200, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct cninfra_http *http = cls;
	struct reqstate *st = *con_cls;
	(void)version;
	if (!st) {
		st = calloc(1, sizeof(*st));
		if (!st)
			return MHD_NO;
		*con_cls = st;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Keep reading (and discarding) an oversized body so the 413 reply is orderly. */
		if (!st->too_big && st->size + *upload_size <= http->max_body) {
			char *nb = realloc(st->body, st->size + *upload_size + 1);
			if (!nb)
				return MHD_NO;
			memcpy(nb + st->size, upload, *upload_size);
			st->body = nb;
			st->size += *upload_size;
			st->body[st->size] = 0;
		} else {
			st->too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	struct cninfra_http_resp resp = {.status = 200};
	struct cninfra_http_req req = {.method = method,
				       .path = url,
				       .body = st->body ? st->body : "",
				       .body_size = st->size,
				       .conn = conn};
	bool known;
	const struct route *r = match(http, method, url, &known);
	if (st->too_big)
		cninfra_http_reply_error(&resp, 413, "request body too large");
	else if (!r)
		cninfra_http_reply_error(&resp, known ? 405 : 404,
					 known ? "method not allowed" : "not found");
	else
		r->fn(&req, &resp, r->arg);
	cninfra_debug(http->log, "request", "method=%s path=\"%.200s\" status=%u", method, url,
		      resp.status);
	return queue(conn, &resp);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct reqstate *st = *con_cls;
	if (st) {
		free(st->body);
		free(st);
		*con_cls = NULL;
	}
}

struct cninfra_http *
cninfra_http_new(struct cninfra_loop *loop, const char *addr, uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	if (!loop || inet_pton(AF_INET, addr ? addr : "127.0.0.1", &sa.sin_addr) != 1) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_http *http = calloc(1, sizeof(*http));
	if (!http)
		return NULL;
	http->loop = loop;
	http->tail = &http->routes;
	http->max_body = 1024 * 1024;
	http->log = cninfra_log_get("http");
	http->d = MHD_start_daemon(MHD_USE_EPOLL, port, NULL, NULL, on_request, http,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				   MHD_OPTION_NOTIFY_COMPLETED, on_completed, http,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)128, MHD_OPTION_END);
	if (!http->d) {
		int e = errno ? errno : EADDRINUSE;
		free(http);
		errno = e;
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(http->d, MHD_DAEMON_INFO_EPOLL_FD);
	const union MHD_DaemonInfo *pi = MHD_get_daemon_info(http->d, MHD_DAEMON_INFO_BIND_PORT);
	if (!di || !pi) {
		cninfra_http_free(http);
		errno = ENOTSUP;
		return NULL;
	}
	http->port = pi->port;
	http->t = cninfra_loop_timer(loop, 0, 0, on_timer, http);
	if (http->t)
		cninfra_timer_set(http->t, 0, 0);
	http->w = cninfra_loop_watch_fd(loop, di->epoll_fd, EPOLLIN, on_epoll, http);
	if (!http->t || !http->w) {
		int e = errno;
		cninfra_http_free(http);
		errno = e;
		return NULL;
	}
	return http;
}

void
cninfra_http_free(struct cninfra_http *http)
{
	if (!http)
		return;
	cninfra_loop_unwatch(http->w);
	cninfra_timer_free(http->t);
	if (http->d)
		MHD_stop_daemon(http->d);
	while (http->routes) {
		struct route *r = http->routes;
		http->routes = r->next;
		free(r->method);
		free(r->path);
		free(r);
	}
	free(http);
}

uint16_t
cninfra_http_port(const struct cninfra_http *http)
{
	return http ? http->port : 0;
}

int
cninfra_http_handle(struct cninfra_http *http, const char *method, const char *path,
		    cninfra_http_handler handler, void *arg)
{
	if (!http || !path || path[0] != '/' || !handler)
		return -EINVAL;
	struct route *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	size_t n = strlen(path);
	r->prefix = path[n - 1] == '*';
	r->path = strndup(path, r->prefix ? n - 1 : n);
	r->method = method ? strdup(method) : NULL;
	if (!r->path || (method && !r->method)) {
		free(r->path);
		free(r->method);
		free(r);
		return -ENOMEM;
	}
	r->fn = handler;
	r->arg = arg;
	*http->tail = r;
	http->tail = &r->next;
	return 0;
}

void
cninfra_http_set_max_body(struct cninfra_http *http, size_t size)
{
	if (http)
		http->max_body = size;
}

const char *
cninfra_http_query(const struct cninfra_http_req *req, const char *key)
{
	if (!req || !req->conn || !key)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
cninfra_http_header(const struct cninfra_http_req *req, const char *name)
{
	if (!req || !req->conn || !name)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static int
reply(struct cninfra_http_resp *resp, unsigned status, const char *ctype, char *body)
{
	free(resp->body);
	resp->content_type = ctype;
	if (!body) {
		resp->status = 500;
		resp->body = NULL;
		resp->body_size = 0;
		return -ENOMEM;
	}
	resp->status = status;
	resp->body = body;
	resp->body_size = strlen(body);
	return 0;
}

int
cninfra_http_reply_text(struct cninfra_http_resp *resp, unsigned status, const char *text)
{
	return reply(resp, status, "text/plain; charset=utf-8", strdup(text ? text : ""));
}

int
cninfra_http_reply_json(struct cninfra_http_resp *resp, unsigned status, const json_t *json)
{
	char *s = json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS);
	char *nl = s ? realloc(s, strlen(s) + 2) : NULL;
	if (nl)
		strcat(nl, "\n");
	else
		free(s);
	return reply(resp, status, "application/json", nl);
}

int
cninfra_http_reply_error(struct cninfra_http_resp *resp, unsigned status, const char *msg)
{
	json_t *j = json_pack("{s:s}", "error", msg ? msg : "");
	if (!j)
		return reply(resp, status, "application/json", NULL);
	int rc = cninfra_http_reply_json(resp, status, j);
	json_decref(j);
	return rc;
}

json_t *
cninfra_http_json_body(const struct cninfra_http_req *req, struct cninfra_http_resp *resp)
{
	json_error_t err;
	json_t *j = json_loadb(req->body, req->body_size, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		char msg[256];
		snprintf(msg, sizeof(msg), "invalid JSON at line %d: %s", err.line, err.text);
		cninfra_http_reply_error(resp, 400, msg);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		cninfra_http_reply_error(resp, 400, "expected a JSON object");
		return NULL;
	}
	return j;
}

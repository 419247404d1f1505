// SPDX-License-Identifier: Apache-2.0
// Embedded HTTP server: libmicrohttpd in MHD_USE_EPOLL mode without an internal thread. Its epoll
// fd sits in the shared loop, and a loop timer follows MHD_get_timeout(), so every handler runs on
// the loop thread like any other plugin callback. HTTPS is libmicrohttpd's (GnuTLS); an auth hook
// runs once the headers are in; a deferred request is suspended in libmicrohttpd until its owner
// completes it.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

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
	cninfra_http_auth_fn auth;
	void *auth_arg;
	char *tls_cert, *tls_key;  /* PEM text while the daemon runs */
	struct reqstate *deferred; /* requests waiting for cninfra_http_complete() */
};

/* Per-request state while the body arrives, and while a deferred request waits. It is the
 * struct cninfra_http_deferred handed to the owner. */
struct reqstate {
	struct cninfra_http *http;
	struct MHD_Connection *conn;
	char *body;
	size_t size;
	bool too_big;
	bool refused;	/* the auth hook refused it: the reply is queued, the body discarded */
	bool deferred;	/* a handler deferred the reply */
	bool suspended; /* ... and the connection is suspended in libmicrohttpd */
	bool done;	/* resp holds the reply to queue */
	struct cninfra_http_resp resp;
	void (*cancel)(void *arg);
	void *cancel_arg;
	struct reqstate *next, **pprev; /* in http->deferred */
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

static void
deferred_unlink(struct reqstate *st)
{
	if (!st->pprev)
		return;
	*st->pprev = st->next;
	if (st->next)
		st->next->pprev = st->pprev;
	st->next = NULL;
	st->pprev = NULL;
}

static enum MHD_Result
refuse(struct cninfra_http *http, struct MHD_Connection *conn, unsigned status)
{
	struct cninfra_http_resp resp = {0};
	cninfra_http_reply_error(&resp, status, status == 401 ? "unauthorized" : "forbidden");
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    resp.body_size, resp.body ? resp.body : (char *)"",
	    resp.body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(resp.body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (status == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	enum MHD_Result rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	cninfra_debug(http->log, "refused", "status=%u", status);
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
		st->http = http;
		st->conn = conn;
		*con_cls = st;
		if (http->auth) {
			struct cninfra_http_req req = {
			    .method = method, .path = url, .body = "", .conn = conn};
			unsigned status = http->auth(&req, http->auth_arg);
			if (status) {
				st->refused = true;
				return refuse(http, conn,
					      status < 400 || status > 599 ? 403 : status);
			}
		}
		return MHD_YES;
	}
	if (st->refused) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->done) {
		/* A deferred request, resumed: its reply is ready. */
		struct cninfra_http_resp resp = st->resp;
		st->resp.body = NULL;
		st->done = false;
		cninfra_debug(http->log, "request", "method=%s path=\"%.200s\" status=%u deferred",
			      method, url, resp.status);
		return queue(conn, &resp);
	}
	if (st->deferred) {
		*upload_size = 0; /* cannot happen: the body was complete when it was deferred */
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
				       .conn = conn,
				       .state = st};
	bool known;
	const struct route *r = match(http, method, url, &known);
	if (st->too_big)
		cninfra_http_reply_error(&resp, 413, "request body too large");
	else if (!r)
		cninfra_http_reply_error(&resp, known ? 405 : 404,
					 known ? "method not allowed" : "not found");
	else
		r->fn(&req, &resp, r->arg);
	if (st->deferred && !st->done) {
		/* The owner completes it later: wait without holding the loop. */
		free(resp.body);
		st->suspended = true;
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	if (st->deferred) {
		/* Completed from inside the handler itself: that reply wins. */
		free(resp.body);
		resp = st->resp;
		st->resp.body = NULL;
		st->done = false;
	}
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
		if (st->pprev) {
			/* Closed while its owner still works on it (only at shutdown). */
			deferred_unlink(st);
			if (st->cancel)
				st->cancel(st->cancel_arg);
		}
		free(st->resp.body);
		free(st->body);
		free(st);
		*con_cls = NULL;
	}
}

/* Reads a whole PEM file, NUL-terminated; NULL with errno. */
static char *
read_pem(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			char *nb = cap < 1024 * 1024 ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				buf = NULL;
				errno = cap < 1024 * 1024 ? ENOMEM : EFBIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			buf = NULL;
			errno = e;
			break;
		}
		if (r == 0) {
			buf[n] = 0;
			break;
		}
		n += (size_t)r;
	}
	int e = errno;
	close(fd);
	errno = e;
	if (buf && !n) {
		free(buf);
		buf = NULL;
		errno = EINVAL;
	}
	return buf;
}

static void
free_secret(char *p)
{
	if (p) {
		explicit_bzero(p, strlen(p));
		free(p);
	}
}

struct cninfra_http *
cninfra_http_new(struct cninfra_loop *loop, const char *addr, uint16_t port)
{
	struct cninfra_http_opts o = {.addr = addr, .port = port};
	return cninfra_http_new_opts(loop, &o);
}

struct cninfra_http *
cninfra_http_new_opts(struct cninfra_loop *loop, const struct cninfra_http_opts *opts)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(opts ? opts->port : 0)};
	if (!loop || !opts ||
	    inet_pton(AF_INET, opts->addr ? opts->addr : "127.0.0.1", &sa.sin_addr) != 1 ||
	    !opts->tls_cert_file != !opts->tls_key_file) {
		errno = EINVAL;
		return NULL;
	}
	bool tls = opts->tls_cert_file != NULL;
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		errno = ENOTSUP;
		return NULL;
	}
	struct cninfra_http *http = calloc(1, sizeof(*http));
	if (!http)
		return NULL;
	http->loop = loop;
	http->tail = &http->routes;
	http->max_body = 1024 * 1024;
	http->log = cninfra_log_get("http");
	if (tls) {
		http->tls_cert = read_pem(opts->tls_cert_file);
		http->tls_key = http->tls_cert ? read_pem(opts->tls_key_file) : NULL;
		if (!http->tls_key) {
			int e = errno;
			free(http->tls_cert);
			free(http);
			errno = e;
			return NULL;
		}
	}
	/* The TLS options are skipped (MHD_OPTION_END ends the list early) for plain HTTP. */
	errno = 0;
	http->d = MHD_start_daemon(
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | (tls ? MHD_USE_TLS : 0), opts->port, NULL,
	    NULL, on_request, http, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, http, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)128,
	    tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, http->tls_cert,
	    MHD_OPTION_HTTPS_MEM_KEY, http->tls_key, MHD_OPTION_END);
	if (!http->d) {
		int e = errno ? errno : tls ? EPROTO : EADDRINUSE;
		free(http->tls_cert);
		free_secret(http->tls_key);
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
	/* Requests still deferred: their owners let go, the clients get 503. */
	bool resumed = false;
	while (http->deferred) {
		struct reqstate *st = http->deferred;
		deferred_unlink(st);
		if (st->cancel)
			st->cancel(st->cancel_arg);
		free(st->resp.body);
		st->resp = (struct cninfra_http_resp){0};
		cninfra_http_reply_error(&st->resp, 503, "server stopping");
		st->done = true;
		if (st->suspended) {
			st->suspended = false;
			MHD_resume_connection(st->conn);
			resumed = true;
		}
	}
	if (resumed && http->d)
		MHD_run(http->d);
	cninfra_loop_unwatch(http->w);
	cninfra_timer_free(http->t);
	if (http->d)
		MHD_stop_daemon(http->d);
	free(http->tls_cert);
	free_secret(http->tls_key);
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

void
cninfra_http_set_auth(struct cninfra_http *http, cninfra_http_auth_fn fn, void *arg)
{
	if (http) {
		http->auth = fn;
		http->auth_arg = arg;
	}
}

bool
cninfra_http_bearer_ok(const struct cninfra_http_req *req, const char *token)
{
	const char *h = cninfra_http_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || !token || !*token || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	const char *given = h + 7;
	while (*given == ' ')
		given++;
	/* Every byte of the expected token is looked at whatever the given one holds. */
	size_t gl = strlen(given), tl = strlen(token);
	volatile unsigned char diff = gl != tl;
	for (size_t i = 0; i < tl; i++)
		diff |= (unsigned char)(token[i] ^ (i < gl ? given[i] : 0));
	return diff == 0;
}

struct cninfra_http_deferred *
cninfra_http_defer(const struct cninfra_http_req *req, void (*cancel)(void *arg), void *arg)
{
	struct reqstate *st = req ? req->state : NULL;
	if (!st || st->deferred || st->refused) {
		errno = EINVAL;
		return NULL;
	}
	struct cninfra_http *http = st->http;
	st->deferred = true;
	st->cancel = cancel;
	st->cancel_arg = arg;
	st->next = http->deferred;
	if (st->next)
		st->next->pprev = &st->next;
	st->pprev = &http->deferred;
	http->deferred = st;
	return (struct cninfra_http_deferred *)st;
}

void
cninfra_http_complete(struct cninfra_http_deferred *d, struct cninfra_http_resp *resp)
{
	struct reqstate *st = (struct reqstate *)d;
	if (!st || !resp)
		return;
	deferred_unlink(st);
	free(st->resp.body);
	st->resp = *resp;
	resp->body = NULL;
	resp->body_size = 0;
	st->done = true;
	if (st->suspended) {
		st->suspended = false;
		MHD_resume_connection(st->conn);
		/* Drive the daemon on the next loop turn (not from inside a caller that may itself
		 * be a handler). */
		cninfra_timer_set(st->http->t, 1, 0);
	}
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
cninfra_http_reply_data(struct cninfra_http_resp *resp, unsigned status, const char *content_type,
			const void *data, size_t size)
{
	free(resp->body);
	resp->content_type = content_type;
	resp->body = malloc(size + 1);
	if (!resp->body) {
		resp->status = 500;
		resp->body_size = 0;
		return -ENOMEM;
	}
	if (size)
		memcpy(resp->body, data, size);
	resp->body[size] = 0;
	resp->status = status;
	resp->body_size = size;
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

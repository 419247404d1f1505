/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI socket server, driven by the main loop's epoll (see cli_server.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../infra/log.h"
#include "cli.h"
#include "cli_server.h"
#include "loop.h"

#define LIG_CLI_MAX_CLIENTS 64

struct lig_cli_conn {
	int fd;
	struct lig_fd_watch *watch;
	u32 have; /* bytes received of the current request, header included */
	u8 *buf;  /* 4 + LIG_CLI_MAX_REQUEST + 1 */
	/* The reply not yet sent: while there is one the connection waits for EPOLLOUT
	 * and reads no further request, so a client that does not read its replies
	 * holds one reply's memory and never stalls the main loop. */
	u8 *out;
	size_t out_size, out_sent;
};

static struct {
	int fd;
	struct lig_fd_watch *watch;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct lig_cli_conn *conns[LIG_CLI_MAX_CLIENTS];
	/* Held in reserve: out of descriptors, accept() fails and the listener stays
	 * readable, so level-triggered epoll would wake the loop forever (100% CPU, no
	 * idle sleep). Closing the spare lets us accept and drop such a client. */
	int spare_fd;
} lig_cli_server = {.fd = -1, .spare_fd = -1};

static void
lig_cli_conn_close(struct lig_cli_conn *c)
{
	for (int i = 0; i < LIG_CLI_MAX_CLIENTS; i++)
		if (lig_cli_server.conns[i] == c)
			lig_cli_server.conns[i] = NULL;
	lig_loop_unwatch_fd(c->watch);
	close(c->fd);
	free(c->out);
	free(c->buf);
	free(c);
}

/* Sends what the socket takes of the queued reply without blocking; returns 0 (all
 * sent), 1 (some left: wait for EPOLLOUT) or -errno (the client is gone). */
static int
lig_cli_flush(struct lig_cli_conn *c)
{
	while (c->out_sent < c->out_size) {
		ssize_t n = send(c->fd, c->out + c->out_sent, c->out_size - c->out_sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return -errno;
		}
		c->out_sent += (size_t)n;
	}
	free(c->out);
	c->out = NULL;
	c->out_size = c->out_sent = 0;
	return 0;
}

/* Queues one reply (status, length, text) and sends what it can; returns as
 * lig_cli_flush. The caller keeps ownership of text. */
static int
lig_cli_reply(struct lig_cli_conn *c, int status, const char *text, size_t len)
{
	u32 hdr[2] = {htonl((u32)status), htonl((u32)len)};

	if (len > UINT32_MAX - sizeof(hdr))
		return -EMSGSIZE;
	c->out = malloc(sizeof(hdr) + len);
	if (!c->out)
		return -ENOMEM;
	memcpy(c->out, hdr, sizeof(hdr));
	memcpy(c->out + sizeof(hdr), text, len);
	c->out_size = sizeof(hdr) + len;
	c->out_sent = 0;
	return lig_cli_flush(c);
}

/* Runs the complete request in c->buf and queues its reply; returns as lig_cli_flush. */
static int
lig_cli_conn_execute(struct lig_cli_conn *c, u32 want)
{
	struct lig_str out = {0};
	int rv;

	c->buf[want] = 0;
	c->have = 0;
	/* A NUL inside the line would hide the rest from the parser. */
	if (memchr(c->buf + 4, 0, want - 4)) {
		lig_str_printf(&out, "NUL byte in command\n");
		rv = lig_cli_reply(c, -EINVAL, lig_str_cstr(&out), out.len);
	} else {
		lig_debug("cli", "exec: %s", (char *)c->buf + 4);
		int status = lig_cli_execute((char *)c->buf + 4, &out);
		rv = lig_cli_reply(c, status, lig_str_cstr(&out), out.len);
	}
	lig_str_free(&out);
	return rv;
}

/*
 * Level-triggered: reads at most one request per call, so one client streaming
 * commands cannot keep the main loop away from packets or from the other clients;
 * what is left in the socket wakes us again on the next poll.
 */
static void
lig_cli_conn_on_event(void *ctx, u32 events)
{
	struct lig_cli_conn *c = ctx;
	int rv;

	if (c->out) {
		rv = lig_cli_flush(c);
		if (rv < 0)
			goto close;
		if (rv > 0)
			return; /* still waiting for the client to read */
		if (lig_loop_watch_fd_events(c->watch, EPOLLIN | EPOLLRDHUP) < 0)
			goto close;
	}
	for (;;) {
		u32 want = 4;
		if (c->have >= 4) {
			u32 n;
			memcpy(&n, c->buf, 4);
			n = ntohl(n);
			if (n == 0 || n > LIG_CLI_MAX_REQUEST) {
				char msg[96];
				int len = snprintf(msg, sizeof(msg),
						   "request length %u out of range 1..%u\n", n,
						   LIG_CLI_MAX_REQUEST);
				/* Best effort: the client is closed either way. */
				lig_cli_reply(c, -EMSGSIZE, msg, (size_t)len);
				lig_warn("cli", "closing client: bad request length %u", n);
				goto close;
			}
			want = 4 + n;
		}
		if (c->have == want && want > 4) {
			rv = lig_cli_conn_execute(c, want);
			if (rv < 0)
				goto close;
			/* EPOLLOUT only: a half-closed client's EPOLLRDHUP would fire on
			 * every poll while the reply waits. */
			if (rv > 0 && lig_loop_watch_fd_events(c->watch, EPOLLOUT) < 0)
				goto close;
			return;
		}
		ssize_t n = recv(c->fd, c->buf + c->have, want - c->have, MSG_DONTWAIT);
		if (n > 0) {
			c->have += (u32)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) &&
		    !(events & (EPOLLHUP | EPOLLERR)))
			return;
		goto close;
	}
close:
	lig_cli_conn_close(c);
}

static void
lig_cli_on_accept(void *ctx, u32 events)
{
	(void)ctx;
	(void)events;
	for (;;) {
		int fd = accept4(lig_cli_server.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE) &&
		    lig_cli_server.spare_fd >= 0) {
			close(lig_cli_server.spare_fd);
			fd = accept(lig_cli_server.fd, NULL, NULL);
			if (fd >= 0) {
				lig_warn("cli", "refusing client: out of file descriptors");
				close(fd);
			}
			lig_cli_server.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				continue;
		}
		if (fd < 0)
			return;
		int slot = -1;
		for (int i = 0; i < LIG_CLI_MAX_CLIENTS; i++)
			if (!lig_cli_server.conns[i]) {
				slot = i;
				break;
			}
		struct lig_cli_conn *c = slot >= 0 ? calloc(1, sizeof(*c)) : NULL;
		if (c)
			c->buf = malloc(4 + LIG_CLI_MAX_REQUEST + 1);
		if (!c || !c->buf) {
			lig_warn("cli", "refusing client: %s",
				 slot < 0 ? "too many clients" : "no memory");
			if (c)
				free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->watch = lig_loop_watch_fd(fd, EPOLLIN | EPOLLRDHUP, lig_cli_conn_on_event, c);
		/* Commands take the barrier themselves (lig_cli_execute). */
		lig_loop_watch_no_barrier(c->watch);
		if (!c->watch) {
			free(c->buf);
			free(c);
			close(fd);
			continue;
		}
		lig_cli_server.conns[slot] = c;
	}
}

static int
lig_mkdir_parent(const char *path)
{
	char dir[sizeof(lig_cli_server.path)];

	snprintf(dir, sizeof(dir), "%s", path);
	char *d = dirname(dir);
	if (mkdir(d, 0750) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
lig_cli_server_start(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, rv;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		lig_err("cli", "socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	rv = lig_mkdir_parent(path);
	if (rv < 0) {
		lig_err("cli", "cannot create directory for %s: %s", path, strerror(-rv));
		return rv;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A stale socket from a crashed ligd would block bind; a live one answers connect. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		lig_err("cli", "another ligd is listening on %s", path);
		return -EADDRINUSE;
	}
	/* Remove only a stale socket: a mistyped -s or cli-listen naming a regular file
	 * must not delete it. */
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			close(fd);
			lig_err("cli", "%s exists and is not a socket", path);
			return -EEXIST;
		}
		unlink(path);
	}
	mode_t old = umask(0117);
	rv = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rv < 0 || listen(fd, 16) < 0) {
		rv = -errno;
		lig_err("cli", "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return rv;
	}
	lig_cli_server.watch = lig_loop_watch_fd(fd, EPOLLIN, lig_cli_on_accept, NULL);
	lig_loop_watch_no_barrier(lig_cli_server.watch);
	if (!lig_cli_server.watch) {
		rv = -errno;
		close(fd);
		unlink(path);
		return rv;
	}
	lig_cli_server.fd = fd;
	if (lig_cli_server.spare_fd < 0)
		lig_cli_server.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	snprintf(lig_cli_server.path, sizeof(lig_cli_server.path), "%s", path);
	lig_notice("cli", "listening on %s", path);
	return 0;
}

void
lig_cli_server_stop(void)
{
	for (int i = 0; i < LIG_CLI_MAX_CLIENTS; i++)
		if (lig_cli_server.conns[i])
			lig_cli_conn_close(lig_cli_server.conns[i]);
	if (lig_cli_server.fd >= 0) {
		lig_loop_unwatch_fd(lig_cli_server.watch);
		close(lig_cli_server.fd);
		unlink(lig_cli_server.path);
		lig_cli_server.fd = -1;
	}
	if (lig_cli_server.spare_fd >= 0) {
		close(lig_cli_server.spare_fd);
		lig_cli_server.spare_fd = -1;
	}
}

const char *
lig_cli_server_path(void)
{
	return lig_cli_server.path;
}

int
lig_runtime_path(const char *name, char *buf, size_t size)
{
	const char *path = lig_cli_server.path[0] ? lig_cli_server.path : LIG_CLI_DEFAULT_SOCKET;
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) : 1;
	int n = snprintf(buf, size, "%.*s/%s", (int)dir_len, slash ? path : ".", name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI socket server, driven by the main loop's epoll (see cli_server.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
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
};

static struct {
	int fd;
	struct lig_fd_watch *watch;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct lig_cli_conn *conns[LIG_CLI_MAX_CLIENTS];
} lig_cli_server = {.fd = -1};

static void
lig_cli_conn_close(struct lig_cli_conn *c)
{
	for (int i = 0; i < LIG_CLI_MAX_CLIENTS; i++)
		if (lig_cli_server.conns[i] == c)
			lig_cli_server.conns[i] = NULL;
	lig_loop_unwatch_fd(c->watch);
	close(c->fd);
	free(c->buf);
	free(c);
}

static int
lig_cli_send_all(int fd, const void *data, size_t size)
{
	const u8 *p = data;

	while (size > 0) {
		ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* The reader is slow: wait for room, but not forever. */
				struct pollfd pfd = {.fd = fd, .events = POLLOUT};
				if (poll(&pfd, 1, 5000) <= 0)
					return -ETIMEDOUT;
				continue;
			}
			return -errno;
		}
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

static int
lig_cli_reply(struct lig_cli_conn *c, int status, const char *text, size_t len)
{
	u32 hdr[2] = {htonl((u32)status), htonl((u32)len)};
	int rv = lig_cli_send_all(c->fd, hdr, sizeof(hdr));
	return rv < 0 ? rv : lig_cli_send_all(c->fd, text, len);
}

static void
lig_cli_conn_on_read(void *ctx, u32 events)
{
	struct lig_cli_conn *c = ctx;

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
				lig_cli_reply(c, -EMSGSIZE, msg, (size_t)len);
				lig_warn("cli", "closing client: bad request length %u", n);
				lig_cli_conn_close(c);
				return;
			}
			want = 4 + n;
		}
		if (c->have == want && want > 4) {
			struct lig_str out = {0};
			c->buf[want] = 0;
			/* A NUL inside the line would hide the rest from the parser. */
			if (memchr(c->buf + 4, 0, want - 4)) {
				lig_str_printf(&out, "NUL byte in command\n");
				lig_cli_reply(c, -EINVAL, lig_str_cstr(&out), out.len);
			} else {
				lig_debug("cli", "exec: %s", (char *)c->buf + 4);
				int rv = lig_cli_execute((char *)c->buf + 4, &out);
				if (lig_cli_reply(c, rv, lig_str_cstr(&out), out.len) < 0) {
					lig_str_free(&out);
					lig_cli_conn_close(c);
					return;
				}
			}
			lig_str_free(&out);
			c->have = 0;
			continue;
		}
		ssize_t n = recv(c->fd, c->buf + c->have, want - c->have, MSG_DONTWAIT);
		if (n > 0) {
			c->have += (u32)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(events & (EPOLLHUP | EPOLLERR)))
			return;
		lig_cli_conn_close(c);
		return;
	}
}

static void
lig_cli_on_accept(void *ctx, u32 events)
{
	(void)ctx;
	(void)events;
	for (;;) {
		int fd = accept4(lig_cli_server.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
			lig_warn("cli", "refusing client: %s", slot < 0 ? "too many clients" : "no memory");
			if (c)
				free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->watch = lig_loop_watch_fd(fd, EPOLLIN | EPOLLRDHUP, lig_cli_conn_on_read, c);
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
	unlink(path);
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
	if (!lig_cli_server.watch) {
		rv = -errno;
		close(fd);
		unlink(path);
		return rv;
	}
	lig_cli_server.fd = fd;
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

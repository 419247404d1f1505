/* SPDX-License-Identifier: Apache-2.0 */
/* The bench programs' client of ligd's CLI socket: see cli_socket.h. */
#include "cli_socket.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
cli_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
read_full(int fd, void *p, size_t n)
{
	uint8_t *b = p;
	while (n) {
		ssize_t r = read(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int
cli_call(int fd, const char *line, char *out, size_t out_size)
{
	uint8_t buf[4096];
	size_t n = strlen(line);
	uint32_t be = htonl((uint32_t)n);
	if (n > sizeof(buf) - 4)
		return -1;
	memcpy(buf, &be, 4);
	memcpy(buf + 4, line, n);
	if (write(fd, buf, 4 + n) != (ssize_t)(4 + n))
		return -1;
	int32_t st;
	uint32_t len;
	size_t got = 0;
	if (read_full(fd, &st, 4) || read_full(fd, &len, 4))
		return -1;
	len = ntohl(len);
	while (len) {
		uint32_t k = len < sizeof(buf) ? len : (uint32_t)sizeof(buf);
		if (read_full(fd, buf, k))
			return -1;
		if (out && got + 1 < out_size) {
			size_t c = k < out_size - 1 - got ? k : out_size - 1 - got;
			memcpy(out + got, buf, c);
			got += c;
		}
		len -= k;
	}
	if (out && out_size)
		out[got] = 0;
	return (int32_t)ntohl((uint32_t)st);
}

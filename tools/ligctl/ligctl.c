/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligctl: the operator's front end to ligd's CLI socket. One command from the arguments,
 * a script with `ligctl exec <file>`, or an interactive shell with line editing and
 * history (libedit). Exit status: 0 ok, 1 a command failed, 2 usage or connection error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <editline/readline.h>

#include "ligctl.h"
#include "vlib/api_msg.h"
#include "vlib/cli_server.h"

static int
ligctl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "ligctl: socket path too long\n");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "ligctl: cannot connect to %s: %s (is ligd running?)\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
ligctl_io(int fd, void *buf, size_t size, bool write_side)
{
	unsigned char *p = buf;

	while (size > 0) {
		ssize_t n = write_side ? send(fd, p, size, MSG_NOSIGNAL) : recv(fd, p, size, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

/* Sends one command and prints the reply; returns ligd's status, or -EPIPE on a broken
 * connection. */
static int
ligctl_run(int fd, const char *line)
{
	size_t len = strlen(line);
	uint32_t hdr = htonl((uint32_t)len);
	uint32_t rhdr[2];

	if (len == 0)
		return 0;
	if (len > LIG_CLI_MAX_REQUEST) {
		fprintf(stderr, "ligctl: command longer than %d bytes\n", LIG_CLI_MAX_REQUEST);
		return -EINVAL;
	}
	if (ligctl_io(fd, &hdr, 4, true) < 0 || ligctl_io(fd, (void *)line, len, true) < 0 ||
	    ligctl_io(fd, rhdr, sizeof(rhdr), false) < 0) {
		fprintf(stderr, "ligctl: connection to ligd lost\n");
		return -EPIPE;
	}
	int status = (int)ntohl(rhdr[0]);
	uint32_t rlen = ntohl(rhdr[1]);
	/* size_t: a reply length of 0xffffffff must not wrap to malloc(0). */
	char *text = malloc((size_t)rlen + 1);
	if (!text || ligctl_io(fd, text, rlen, false) < 0) {
		free(text);
		fprintf(stderr, "ligctl: connection to ligd lost\n");
		return -EPIPE;
	}
	text[rlen] = 0;
	fputs(text, status < 0 ? stderr : stdout);
	if (status < 0 && (rlen == 0 || text[rlen - 1] != '\n'))
		fprintf(stderr, "%s\n", rlen ? "" : strerror(-status));
	free(text);
	return status;
}

static int
ligctl_exec(int fd, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char line[8192];
	unsigned lineno = 0;

	if (!f) {
		fprintf(stderr, "ligctl: cannot open %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		/* Never run the tail of a line fgets could not hold as a command of its own. */
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "ligctl: %s:%u: line longer than %zu bytes\n", path, lineno,
				sizeof(line) - 2);
			if (f != stdin)
				fclose(f);
			return 1;
		}
		line[strcspn(line, "\r\n")] = 0;
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (ligctl_run(fd, p) < 0) {
			fprintf(stderr, "ligctl: %s:%u: '%s' failed\n", path, lineno, p);
			if (f != stdin)
				fclose(f);
			return 1;
		}
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

static int
ligctl_shell(int fd)
{
	char hist[4096] = "";
	const char *home = getenv("HOME");
	char *line;

	if (home)
		snprintf(hist, sizeof(hist), "%s/.ligctl_history", home);
	using_history();
	if (hist[0])
		read_history(hist);
	while ((line = readline("ligctl# ")) != NULL) {
		char *p = line + strspn(line, " \t");
		if (!strcmp(p, "quit") || !strcmp(p, "exit")) {
			free(line);
			break;
		}
		if (*p) {
			add_history(p);
			if (ligctl_run(fd, p) == -EPIPE) {
				free(line);
				return 2;
			}
		}
		free(line);
	}
	if (hist[0])
		write_history(hist);
	return 0;
}

static void
ligctl_usage(FILE *f)
{
	fprintf(
	    f, "usage: ligctl [-s socket] [<command...>]\n"
	       "       ligctl [-s socket] exec <file>\n"
	       "       ligctl [-s socket] [-a api-socket] api list|call|dump|events|snapshot|copy\n"
	       "With no command, an interactive shell. Default socket " LIG_CLI_DEFAULT_SOCKET
	       ";\nthe API socket defaults to the one beside it (cli.sock -> api.sock,\n"
	       "X.sock -> X.api.sock).\n"
	       "  api list                       messages, ids and layout CRCs\n"
	       "  api call <message> [json]      one request; the reply as JSON\n"
	       "  api dump <message> [json]      one JSON object per details\n"
	       "  api events [<event>|all] [n]   prints events (stops after n)\n"
	       "  api snapshot                   the configuration as canonical text\n"
	       "  api copy <to-api-socket>       applies this configuration to another ligd\n");
}

int
main(int argc, char **argv)
{
	const char *sock =
	    getenv("LIGCTL_SOCKET") ? getenv("LIGCTL_SOCKET") : LIG_CLI_DEFAULT_SOCKET;
	const char *api = NULL;
	char api_buf[108];
	int c, fd, rv;

	/* '+': stop at the first non-option so command words like "-1" stay arguments. */
	while ((c = getopt(argc, argv, "+s:a:h")) != -1) {
		if (c == 's')
			sock = optarg;
		else if (c == 'a')
			api = optarg;
		else if (c == 'h') {
			ligctl_usage(stdout);
			return 0;
		} else {
			ligctl_usage(stderr);
			return 2;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "api")) {
		if (!api && lig_api_default_socket(sock, api_buf, sizeof(api_buf)) == 0)
			api = api_buf;
		return ligctl_api_main(api ? api : "", argc - optind - 1, argv + optind + 1);
	}
	fd = ligctl_connect(sock);
	if (fd < 0)
		return 2;
	if (optind == argc) {
		rv = ligctl_shell(fd);
	} else if (!strcmp(argv[optind], "exec") && argc - optind == 2) {
		rv = ligctl_exec(fd, argv[optind + 1]);
	} else {
		size_t len = 0;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		char *line = calloc(1, len + 1);
		if (!line)
			return 2;
		for (int i = optind; i < argc; i++) {
			strcat(line, argv[i]);
			if (i + 1 < argc)
				strcat(line, " ");
		}
		rv = ligctl_run(fd, line);
		rv = rv == -EPIPE ? 2 : rv < 0 ? 1 : 0;
		free(line);
	}
	close(fd);
	return rv;
}

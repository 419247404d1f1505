// SPDX-License-Identifier: Apache-2.0
// Test helpers shared by cninfra's and the examples' tests: processes are always tracked by PID,
// die with the test process (PR_SET_PDEATHSIG), and temp dirs are removed without a shell.
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

void
tu_sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

char *
tu_tmpdir(const char *tag)
{
	char tmpl[256];
	snprintf(tmpl, sizeof(tmpl), "/tmp/cninfra-%s-XXXXXX", tag);
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
tu_rmrf(const char *path)
{
	if (path && *path && strcmp(path, "/"))
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

uint16_t
tu_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return ntohs(sa.sin_port);
}

pid_t
tu_spawn(char *const argv[], const char *log)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* Signals blocked by the test (an agent's loop) must not stay blocked in the child. */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (log) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
	}
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0)
		dup2(null, 0);
	execvp(argv[0], argv);
	_exit(127);
}

void
tu_kill(pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	kill(pid, sig ? sig : SIGKILL);
	if (tu_wait_exit(pid, 5000) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

int
tu_wait_exit(pid_t pid, int timeout_ms)
{
	for (int waited = 0;; waited += 10) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0)
			return -1;
		if (waited >= timeout_ms)
			return -1;
		tu_sleep_ms(10);
	}
}

char *
tu_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

void
tu_dump(const char *path)
{
	char *s = tu_read_file(path);
	fprintf(stderr, "----- %s -----\n%s\n-----\n", path, s ? s : "(unreadable)");
	free(s);
}

int
tu_curl(const char *method, const char *url, const char *body, char **out)
{
	char outf[] = "/tmp/cninfra-curl-XXXXXX";
	int fd = mkstemp(outf);
	if (fd < 0)
		return 0;
	close(fd);
	char codef[sizeof(outf) + 8];
	snprintf(codef, sizeof(codef), "%s.code", outf);
	char *argv[16];
	int i = 0;
	argv[i++] = "curl";
	argv[i++] = "-s";
	argv[i++] = "-m";
	argv[i++] = "5";
	argv[i++] = "-X";
	argv[i++] = (char *)method;
	argv[i++] = "-o";
	argv[i++] = outf;
	argv[i++] = "-w";
	argv[i++] = "%{http_code}";
	if (body) {
		argv[i++] = "-H";
		argv[i++] = "Content-Type: application/json";
		argv[i++] = "--data-binary";
		argv[i++] = (char *)body;
	}
	argv[i++] = (char *)url;
	argv[i] = NULL;
	pid_t pid = tu_spawn(argv, codef);
	int st = tu_wait_exit(pid, 10000);
	if (st < 0)
		tu_kill(pid, SIGKILL);
	char *code = tu_read_file(codef);
	int status = code ? atoi(code) : 0;
	free(code);
	if (out)
		*out = tu_read_file(outf);
	unlink(outf);
	unlink(codef);
	return status;
}

pid_t
tu_etcd_start(const char *dir, uint16_t *port, uint16_t *peer_port)
{
	if (!*port)
		*port = tu_free_port();
	if (!*peer_port)
		*peer_port = tu_free_port();
	char data[512], log[512], client[64], peer[64], health[96];
	snprintf(data, sizeof(data), "%s/etcd-data", dir);
	snprintf(log, sizeof(log), "%s/etcd.log", dir);
	snprintf(client, sizeof(client), "http://127.0.0.1:%u", *port);
	snprintf(peer, sizeof(peer), "http://127.0.0.1:%u", *peer_port);
	snprintf(health, sizeof(health), "%s/health", client);
	char *argv[] = {"etcd", "--name",
			"t",	"--data-dir",
			data,	"--listen-client-urls",
			client, "--advertise-client-urls",
			client, "--listen-peer-urls",
			peer,	"--initial-advertise-peer-urls",
			peer,	"--initial-cluster",
			NULL,	NULL};
	char cluster[96];
	snprintf(cluster, sizeof(cluster), "t=%s", peer);
	argv[14] = cluster;
	pid_t pid = tu_spawn(argv, log);
	for (int i = 0; i < 200; i++) {
		char *out = NULL;
		int code = tu_curl("GET", health, NULL, &out);
		int ok = code == 200 && out && strstr(out, "true");
		free(out);
		if (ok)
			return pid;
		if (tu_wait_exit(pid, 0) >= 0)
			break;
		tu_sleep_ms(50);
	}
	tu_dump(log);
	tu_kill(pid, SIGKILL);
	return -1;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the interface-class API tests (test_api_afpacket.c, test_api_tap.c,
 * test_api_loopback.c, test_api_memif.c) share: a ligd of this build started in a network
 * namespace of the test's own (or in the test's namespace) and stopped by PID, network
 * namespaces created and deleted by name, ligctl runs, dumps collected into arrays, events
 * awaited, and the snapshot round trip. Include it first (it defines _GNU_SOURCE).
 */
#ifndef LIG_IFCLASS_TEST_H
#define LIG_IFCLASS_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "interface/api.h"
#include "ligapi.h"
#include "ligapi_snapshot.h"

/* ---- shell ---- */

/* Runs a shell command (output to /dev/null); returns its exit status, -1 if it did not
 * exit. */
static inline int LIG_PRINTF(1, 2) tsh(const char *fmt, ...)
{
	char cmd[1024], full[1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s >/dev/null 2>&1", cmd);
	int st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs a shell command and keeps its output (stdout and stderr) in out; returns its exit
 * status. */
static inline int LIG_PRINTF(3, 4) tsh_out(char *out, size_t size, const char *fmt, ...)
{
	char cmd[1024], full[1100];
	va_list ap;
	size_t n = 0;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	if (!p)
		return -1;
	while (n + 1 < size) {
		size_t r = fread(out + n, 1, size - 1 - n, p);
		if (r == 0)
			break;
		n += r;
	}
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- network namespaces ---- */

/* Creates netns "li<tag><pid>" (lo up) and writes its name to name. */
static inline int
tnetns_add(char *name, size_t size, const char *tag)
{
	snprintf(name, size, "li%s%d", tag, (int)getpid());
	if (tsh("ip netns add %s", name) != 0)
		return -1;
	return tsh("ip -n %s link set lo up", name) == 0 ? 0 : -1;
}

static inline void
tnetns_del(const char *name)
{
	if (name[0])
		tsh("ip netns del %s", name);
}

/* ---- ligd ---- */

struct tligd {
	char dir[48], cli[80], api[80];
	char ns[32]; /* "" = the test's own */
	pid_t pid;
	struct lig_api_client *c;
};

/* Starts a ligd with its sockets in a fresh /tmp directory, inside netns ns (NULL or "":
 * the test's namespace), and connects to its API. */
static inline int
tligd_start(struct tligd *l, const char *tag, const char *ns)
{
	char err[256] = "";

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	snprintf(l->ns, sizeof(l->ns), "%s", ns ? ns : "");
	snprintf(l->dir, sizeof(l->dir), "/tmp/ligapi-%s-XXXXXX", tag);
	if (!mkdtemp(l->dir))
		return -1;
	snprintf(l->cli, sizeof(l->cli), "%s/cli.sock", l->dir);
	snprintf(l->api, sizeof(l->api), "%s/api.sock", l->dir);
	l->pid = fork();
	if (l->pid < 0)
		return -1;
	if (l->pid == 0) {
		if (l->ns[0]) {
			char path[96];
			snprintf(path, sizeof(path), "/run/netns/%s", l->ns);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
				_exit(126);
		}
		execl(LIG_BIN_DIR "/ligd", "ligd", "-s", l->cli, "-l", "warn", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		if (access(l->api, F_OK) == 0 && (l->c = lig_api_connect(l->api, err, sizeof(err))))
			return 0;
		usleep(50000);
	}
	fprintf(stderr, "ligd did not come up: %s\n", err);
	return -1;
}

/* SIGTERM, and checks that ligd exited cleanly; removes its directory. */
static inline int
tligd_stop(struct tligd *l)
{
	int st = 0, rv = 0;

	lig_api_disconnect(l->c);
	l->c = NULL;
	if (l->pid > 0) {
		kill(l->pid, SIGTERM);
		waitpid(l->pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "ligd exited badly: 0x%x\n", st);
			rv = -1;
		}
	}
	l->pid = -1;
	if (l->dir[0])
		tsh("rm -rf '%s'", l->dir);
	l->dir[0] = 0;
	return rv;
}

/* SIGKILL: a ligd that goes away without a word. */
static inline void
tligd_kill(struct tligd *l)
{
	lig_api_disconnect(l->c);
	l->c = NULL;
	if (l->pid > 0) {
		kill(l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
	}
	l->pid = -1;
	if (l->dir[0])
		tsh("rm -rf '%s'", l->dir);
	l->dir[0] = 0;
}

/* Runs one CLI command through ligctl; its output in out; returns ligctl's exit status. */
static inline int LIG_PRINTF(4, 5)
    tligd_cli(const struct tligd *l, char *out, size_t size, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return tsh_out(out, size, "'%s/ligctl' -s '%s' %s", LIG_BIN_DIR, l->cli, cmd);
}

/* Keeps the lines of text that start with one of the prefixes (NULL-terminated list). */
static inline void
tlines(const char *text, const char *const *prefixes, char *out, size_t size)
{
	size_t n = 0;

	out[0] = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		for (const char *const *x = prefixes; *x; x++) {
			if (strncmp(p, *x, strlen(*x)) == 0 && n + len < size) {
				memcpy(out + n, p, len);
				n += len;
				out[n] = 0;
				break;
			}
		}
		p += len;
	}
}

/* ---- dumps ---- */

#define TDUMP_MAX 32
struct tdump {
	u32 n;
	u32 size;
	u8 d[TDUMP_MAX][1024];
};

static inline bool
tdump_cb(void *ctx, const void *details, u32 size)
{
	struct tdump *t = ctx;

	assert_true(size <= sizeof(t->d[0]));
	t->size = size;
	if (t->n < TDUMP_MAX)
		memcpy(t->d[t->n], details, size);
	t->n++;
	return true;
}

/* Runs dump `name` into *t and returns its status. */
#define TDUMP(cl, name, req, t)                                                                    \
	(memset((t), 0, sizeof(*(t))), LIG_API_CLIENT_DUMP((cl), name, (req), tdump_cb, (t)))
/* The i-th details of t as the dump's details type. */
#define TDETAILS(t, name, i) ((const lig_api_##name##_details_t *)(t)->d[i])

/* The interface details of sw_if_index (asserts that it exists). */
static inline lig_api_sw_interface_dump_details_t
tif(struct lig_api_client *c, u32 sw_if_index)
{
	static struct tdump t;
	lig_api_sw_interface_dump_t req = {.sw_if_index = sw_if_index};
	lig_api_sw_interface_dump_details_t d;

	assert_int_equal(TDUMP(c, sw_interface_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	memcpy(&d, t.d[0], sizeof(d));
	return d;
}

/* The interface details of the interface called name (asserts that it exists). */
static inline lig_api_sw_interface_dump_details_t
tif_named(struct lig_api_client *c, const char *name)
{
	static struct tdump t;
	lig_api_sw_interface_dump_t req = {0};
	lig_api_sw_interface_dump_details_t d;

	snprintf(req.name, sizeof(req.name), "%s", name);
	assert_int_equal(TDUMP(c, sw_interface_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	memcpy(&d, t.d[0], sizeof(d));
	return d;
}

/* ---- events ---- */

#define TEVENTS_MAX 64
struct tevents {
	u32 n;
	struct {
		u16 msg_id;
		u32 size;
		u8 body[512];
	} ev[TEVENTS_MAX];
};

static inline void
tevents_cb(void *ctx, u16 msg_id, const void *body, u32 size)
{
	struct tevents *e = ctx;

	assert_true(size <= sizeof(e->ev[0].body));
	if (e->n < TEVENTS_MAX) {
		e->ev[e->n].msg_id = msg_id;
		e->ev[e->n].size = size;
		memcpy(e->ev[e->n].body, body, size);
	}
	e->n++;
}

typedef bool(tevent_match_fn)(const void *body, const void *arg);

/* Waits up to timeout_ms for an event msg_id that match accepts, looking at the events
 * from index *from on; returns its body (and moves *from past it) or NULL. */
static inline const void *
tevents_wait(struct lig_api_client *c, struct tevents *e, u32 *from, u16 msg_id,
	     tevent_match_fn *match, const void *arg, int timeout_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (; *from < e->n && *from < TEVENTS_MAX; (*from)++) {
			if (e->ev[*from].msg_id == msg_id && match(e->ev[*from].body, arg))
				return e->ev[(*from)++].body;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= timeout_ms)
			return NULL;
		if (lig_api_poll_events(c, (int)(timeout_ms - ms < 100 ? timeout_ms - ms : 100)) <
		    0)
			return NULL;
	}
}

/* interface_event matching: this interface, this event, this link state (-1: any). */
struct tif_event {
	u32 sw_if_index;
	u8 event;
	int link_up;
};

static inline bool
tif_event_match(const void *body, const void *arg)
{
	const lig_api_interface_event_t *e = body;
	const struct tif_event *w = arg;

	return e->sw_if_index == w->sw_if_index && e->event == w->event &&
	       (w->link_up < 0 || e->link_up == w->link_up);
}

/* ---- snapshots ---- */

/* Copies a onto the fresh b through the API and checks that both give the same canonical
 * text; returns that text (malloc'd) for further checks. */
static inline char *
tsnapshot_round_trip(struct tligd *a, struct tligd *b)
{
	char err[512] = "";
	int rv = lig_snapshot_copy(a->c, b->c, err, sizeof(err));

	if (rv < 0)
		fprintf(stderr, "snapshot copy: %s\n", err);
	assert_int_equal(rv, 0);
	char *ta = lig_snapshot_text(a->c, err, sizeof(err));
	assert_non_null(ta);
	char *tb = lig_snapshot_text(b->c, err, sizeof(err));
	assert_non_null(tb);
	assert_string_equal(ta, tb);
	free(tb);
	return ta;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The libligapi tests' harness: see api_testlib.h. */
#include "api_testlib.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "ip4/api.h"

/* ---- shell ---- */

static int
exit_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
tsh(const char *fmt, ...)
{
	char cmd[1024], full[1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s >/dev/null 2>&1", cmd);
	return exit_status(system(full));
}

static char *
vtsh_dup(int *status, const char *fmt, va_list ap)
{
	char cmd[2048], full[2100];
	size_t n = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	for (;;) {
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		size_t r = fread(out + n, 1, cap - 1 - n, p);
		if (r == 0)
			break;
		n += r;
	}
	out[n] = 0;
	int st = exit_status(pclose(p));
	if (status)
		*status = st;
	return out;
}

char *
tsh_dup(int *status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *out = vtsh_dup(status, fmt, ap);
	va_end(ap);
	return out;
}

static int
vtsh_out(char *out, size_t size, const char *fmt, va_list ap)
{
	int st;
	char *all = vtsh_dup(&st, fmt, ap);

	snprintf(out, size, "%s", all);
	free(all);
	return st;
}

int
tsh_out(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int st = vtsh_out(out, size, fmt, ap);
	va_end(ap);
	return st;
}

void
tlines(const char *text, const char *const *prefixes, char *out, size_t size)
{
	size_t n = 0;

	out[0] = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		for (const char *const *x = prefixes; *x; x++) {
			if (strncmp(p, *x, strlen(*x)) == 0) {
				assert_true(n + len < size);
				memcpy(out + n, p, len);
				n += len;
				out[n] = 0;
				break;
			}
		}
		p += len;
	}
}

u32
tip4(const char *s)
{
	u32 a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* ---- network namespaces ---- */

int
tnetns_add(char *name, size_t size, const char *tag)
{
	snprintf(name, size, "li%s%d", tag, (int)getpid());
	if (tsh("ip netns add %s", name) != 0)
		return -1;
	return tsh("ip -n %s link set lo up", name) == 0 ? 0 : -1;
}

void
tnetns_del(const char *name)
{
	if (name[0])
		tsh("ip netns del %s", name);
}

/* ---- ligd ---- */

/* Every ligd started and not yet stopped (a copy: the test's own may be gone with the
 * stack frame of a failed test). */
static struct tligd running[8];

/* The entry of pid (0: a free one). */
static struct tligd *
running_find(pid_t pid)
{
	for (u32 i = 0; i < LIG_ARRAY_LEN(running); i++)
		if (pid > 0 ? running[i].pid == pid : running[i].pid <= 0)
			return &running[i];
	return NULL;
}

/* Its log on stderr, when something went wrong. */
static void
show_log(const struct tligd *l)
{
	char path[96], line[1024];

	snprintf(path, sizeof(path), "%s/ligd.log", l->dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "---- %s ----\n", path);
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fprintf(stderr, "----\n");
	fclose(f);
}

/* Ends l (SIGTERM and a check of its exit, or SIGKILL), forgets it and removes its
 * directory. */
static int
ligd_end(struct tligd *l, int sig)
{
	int st = 0, rv = 0;
	struct tligd *r = l->pid > 0 ? running_find(l->pid) : NULL;

	lig_api_disconnect(l->c);
	l->c = NULL;
	if (r) {
		kill(l->pid, sig);
		waitpid(l->pid, &st, 0);
		if (sig == SIGTERM && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
			fprintf(stderr, "ligd %s exited badly: 0x%x\n", l->dir, st);
			show_log(l);
			rv = -1;
		}
		memset(r, 0, sizeof(*r));
		if (l->dir[0])
			tsh("rm -rf '%s'", l->dir);
	}
	l->pid = -1;
	l->dir[0] = 0;
	return rv;
}

int
tligd_start(struct tligd *l, const char *tag, const char *ns, const char *init)
{
	char err[256] = "", script[96] = "", log[96];

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	snprintf(l->ns, sizeof(l->ns), "%s", ns ? ns : "");
	snprintf(l->dir, sizeof(l->dir), "/tmp/ligapi-%s-XXXXXX", tag);
	if (!mkdtemp(l->dir))
		return -1;
	snprintf(l->cli, sizeof(l->cli), "%s/cli.sock", l->dir);
	snprintf(l->api, sizeof(l->api), "%s/api.sock", l->dir);
	snprintf(log, sizeof(log), "%s/ligd.log", l->dir);
	if (init) {
		snprintf(script, sizeof(script), "%s/init.cli", l->dir);
		FILE *f = fopen(script, "w");
		if (!f)
			return -1;
		fputs(init, f);
		fclose(f);
	}
	struct tligd *r = running_find(0);
	if (!r) {
		fprintf(stderr, "more than %zu ligds at once\n", LIG_ARRAY_LEN(running));
		return -1;
	}
	l->pid = fork();
	if (l->pid < 0) {
		tsh("rm -rf '%s'", l->dir);
		return -1;
	}
	if (l->pid == 0) {
		/* Its output to a log of its own: a pipe the test writes to (ctest's) stays
		 * ours. */
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		if (l->ns[0]) {
			char path[96];
			snprintf(path, sizeof(path), "/run/netns/%s", l->ns);
			int nfd = open(path, O_RDONLY | O_CLOEXEC);
			if (nfd < 0 || setns(nfd, CLONE_NEWNET) < 0)
				_exit(126);
		}
		if (init)
			execl(LIG_BIN_DIR "/ligd", "ligd", "-s", l->cli, "-e", script, "-l", "warn",
			      (char *)NULL);
		else
			execl(LIG_BIN_DIR "/ligd", "ligd", "-s", l->cli, "-l", "warn",
			      (char *)NULL);
		_exit(127);
	}
	*r = *l;
	for (int i = 0; i < 100; i++) {
		if (access(l->api, F_OK) == 0 &&
		    (l->c = lig_api_connect(l->api, err, sizeof(err)))) {
			r->c = l->c;
			return 0;
		}
		usleep(50000);
	}
	fprintf(stderr, "ligd did not come up: %s\n", err);
	show_log(l);
	ligd_end(l, SIGKILL);
	return -1;
}

int
tligd_start_ifs(struct tligd *l, const char *tag, const char *ns, const char *init, ...)
{
	if (tligd_start(l, tag, ns, init) < 0)
		return -1;
	int rv = 0;
	va_list ap;
	va_start(ap, init);
	for (const char *name; (name = va_arg(ap, const char *));) {
		u32 *sw = va_arg(ap, u32 *);
		*sw = tif_index(l->c, name);
		if (*sw == ~0u) {
			fprintf(stderr, "ligd %s: no interface %s after its init script\n", tag,
				name);
			rv = -1;
		}
	}
	va_end(ap);
	return rv;
}

int
tligd_stop(struct tligd *l)
{
	return ligd_end(l, SIGTERM);
}

void
tligd_kill(struct tligd *l)
{
	ligd_end(l, SIGKILL);
}

int
tligd_stop_all(void)
{
	int rv = 0;

	for (u32 i = 0; i < LIG_ARRAY_LEN(running); i++) {
		if (running[i].pid > 0) {
			struct tligd l = running[i];
			if (ligd_end(&l, SIGTERM) < 0)
				rv = -1;
		}
	}
	return rv;
}

int
tligd_teardown(void **state)
{
	(void)state;
	return tligd_stop_all();
}

static char *
vtligd_cli_dup(const struct tligd *l, int *status, const char *fmt, va_list ap)
{
	char cmd[1024];

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	return tsh_dup(status, "'%s/ligctl' -s '%s' %s", LIG_BIN_DIR, l->cli, cmd);
}

char *
tligd_cli_dup(const struct tligd *l, int *status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *out = vtligd_cli_dup(l, status, fmt, ap);
	va_end(ap);
	return out;
}

int
tligd_cli(const struct tligd *l, char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	char *all = vtligd_cli_dup(l, &st, fmt, ap);
	va_end(ap);
	snprintf(out, size, "%s", all);
	free(all);
	return st;
}

char *
tligd_running_config(const struct tligd *l)
{
	int st;
	char *rc = tligd_cli_dup(l, &st, "show running-config");

	if (st != 0)
		fprintf(stderr, "show running-config: %s", rc);
	assert_int_equal(st, 0);
	return rc;
}

int
tligd_exec(const struct tligd *l, const char *text)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/replay.cli", l->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	int st = tsh("'%s/ligctl' -s '%s' exec '%s'", LIG_BIN_DIR, l->cli, path);
	unlink(path);
	return st;
}

/* ---- dumps ---- */

bool
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

static lig_api_sw_interface_dump_details_t
if_details(struct lig_api_client *c, const lig_api_sw_interface_dump_t *req)
{
	static struct tdump t;
	lig_api_sw_interface_dump_details_t d;

	assert_int_equal(TDUMP(c, sw_interface_dump, req, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.size, sizeof(d));
	memcpy(&d, t.d[0], sizeof(d));
	return d;
}

lig_api_sw_interface_dump_details_t
tif(struct lig_api_client *c, u32 sw_if_index)
{
	lig_api_sw_interface_dump_t req = {.sw_if_index = sw_if_index};

	return if_details(c, &req);
}

lig_api_sw_interface_dump_details_t
tif_named(struct lig_api_client *c, const char *name)
{
	lig_api_sw_interface_dump_t req = {0};

	snprintf(req.name, sizeof(req.name), "%s", name);
	return if_details(c, &req);
}

u32
tif_index(struct lig_api_client *c, const char *name)
{
	static struct tdump t;
	lig_api_sw_interface_dump_t req = {0};
	lig_api_sw_interface_dump_details_t d;

	snprintf(req.name, sizeof(req.name), "%s", name);
	assert_int_equal(TDUMP(c, sw_interface_dump, &req, &t), 0);
	if (t.n == 0)
		return ~0u;
	assert_int_equal(t.size, sizeof(d));
	memcpy(&d, t.d[0], sizeof(d));
	return d.sw_if_index;
}

/* ---- events ---- */

void
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

const void *
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

void
tevents_want(struct lig_api_client *c, struct tevents *e, u16 msg_id, bool on)
{
	if (on)
		lig_api_set_event_cb(c, tevents_cb, e);
	assert_int_equal(lig_api_want_events(c, msg_id, on), 0);
	if (!on)
		lig_api_set_event_cb(c, NULL, NULL);
}

struct tif_event {
	u32 sw_if_index;
	u8 event;
	int link_up;
};

static bool
tif_event_match(const void *body, const void *arg)
{
	const lig_api_interface_event_t *e = body;
	const struct tif_event *w = arg;

	return e->sw_if_index == w->sw_if_index && e->event == w->event &&
	       (w->link_up < 0 || e->link_up == w->link_up);
}

const lig_api_interface_event_t *
tif_event_wait(struct lig_api_client *c, struct tevents *e, u32 *from, u32 sw_if_index, u8 event,
	       int link_up, int timeout_ms)
{
	struct tif_event w = {.sw_if_index = sw_if_index, .event = event, .link_up = link_up};

	return tevents_wait(c, e, from, LIG_API_ID_interface_event, tif_event_match, &w,
			    timeout_ms);
}

/* ---- calls that several tests make ---- */

int
tip_table(struct lig_api_client *c, u32 id, bool is_add, char *err)
{
	lig_api_ip_table_add_del_t req = {.table_id = id, .is_add = is_add};
	lig_api_ip_table_add_del_reply_t rep;
	int rv = LIG_API_CLIENT_CALL(c, ip_table_add_del, &req, &rep);
	if (err)
		strcpy(err, rep.error);
	return rv;
}

/* ---- snapshots ---- */

char *
tsnapshot_text(const struct tligd *l)
{
	char err[512] = "";
	char *text = lig_snapshot_text(l->c, err, sizeof(err));

	if (!text)
		fprintf(stderr, "snapshot text: %s\n", err);
	assert_non_null(text);
	return text;
}

void
tsnapshot_assert_same(const char *what_a, const char *a, const char *what_b, const char *b,
		      const char *rc)
{
	if (strcmp(a, b) != 0) {
		if (rc)
			fprintf(stderr, "running-config:\n%s\n", rc);
		fprintf(stderr, "%s:\n%s\n%s:\n%s\n", what_a, a, what_b, b);
	}
	assert_string_equal(a, b);
}

char *
tsnapshot_round_trip(struct tligd *a, struct tligd *b)
{
	char err[512] = "";
	int rv = lig_snapshot_copy(a->c, b->c, err, sizeof(err));

	if (rv < 0)
		fprintf(stderr, "snapshot copy: %s\n", err);
	assert_int_equal(rv, 0);
	char *ta = tsnapshot_text(a);
	char *tb = tsnapshot_text(b);
	tsnapshot_assert_same("A", ta, "B (snapshot copy)", tb, NULL);
	free(tb);
	return ta;
}

void
tsnapshot_replay(struct tligd *c, const char *tag, const char *rc, const char *want)
{
	assert_int_equal(tligd_start(c, tag, NULL, rc), 0);
	char *text = tsnapshot_text(c);
	tsnapshot_assert_same("A", want, "C (running-config replayed)", text, rc);
	free(text);
	assert_int_equal(tligd_stop(c), 0);
}

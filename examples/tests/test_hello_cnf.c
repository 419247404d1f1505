// SPDX-License-Identifier: Apache-2.0
// End-to-end test of the example CNF: a real etcd, the hello-cnf binary, a fake ligd CLI server
// on a unix socket, and curl. Starts the CNF, changes its config in the KV store and sees it react,
// rejects a bad config, follows ligd coming and going in /readiness, scrapes /metrics, and checks
// a clean exit on SIGTERM. Every process is killed by PID and the temp dir removed, also on
// failure.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "cninfra.h"
#include "testutil.h"

#define LABEL "hello-e2e"
#define CONFIG_KEY "/ligature/" LABEL "/config/hello"

static char *dir;
static pid_t etcd = -1, cnf = -1;
static uint16_t etcd_port, peer_port, http_port;
static char etcd_ep[64], sock_path[100], cnf_log[512];
static struct cninfra_kv *kv;

/* ---- fake ligd: answers every command with status 0 and a version line ---- */

static int ligd_fd = -1;
static volatile int ligd_stop;
static pthread_t ligd_th;
static int ligd_requests;

static int
io_all(int fd, void *buf, size_t n, int wr)
{
	char *p = buf;
	while (n) {
		ssize_t r = wr ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void
serve_conn(int c)
{
	for (;;) {
		struct pollfd pfd = {.fd = c, .events = POLLIN};
		while (!ligd_stop && poll(&pfd, 1, 50) == 0)
			;
		uint32_t len;
		if (ligd_stop || io_all(c, &len, 4, 0))
			break;
		len = ntohl(len);
		char cmd[256] = {0};
		if (len == 0 || len >= sizeof(cmd) || io_all(c, cmd, len, 0))
			break;
		const char *text =
		    strcmp(cmd, "show version") ? "unknown command\n" : "ligd fake 1.0\n";
		uint32_t hdr[2] = {htonl(strcmp(cmd, "show version") ? (uint32_t)-EINVAL : 0),
				   htonl((uint32_t)strlen(text))};
		if (io_all(c, hdr, sizeof(hdr), 1) || io_all(c, (void *)text, strlen(text), 1))
			break;
		__atomic_add_fetch(&ligd_requests, 1, __ATOMIC_SEQ_CST);
	}
	close(c);
}

static void *
ligd_thread(void *arg)
{
	(void)arg;
	while (!ligd_stop) {
		struct pollfd pfd = {.fd = ligd_fd, .events = POLLIN};
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		int c = accept(ligd_fd, NULL, NULL);
		if (c >= 0)
			serve_conn(c);
	}
	return NULL;
}

static void
ligd_start(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	ligd_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(ligd_fd >= 0);
	assert_int_equal(bind(ligd_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ligd_fd, 4), 0);
	ligd_stop = 0;
	assert_int_equal(pthread_create(&ligd_th, NULL, ligd_thread, NULL), 0);
}

static void
ligd_shutdown(void)
{
	if (ligd_fd < 0)
		return;
	ligd_stop = 1;
	pthread_join(ligd_th, NULL);
	close(ligd_fd);
	ligd_fd = -1;
	unlink(sock_path);
}

/* ---- helpers ---- */

static int
http(const char *method, const char *path, char **out)
{
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", http_port, path);
	return tu_curl(method, url, NULL, out);
}

static json_t *
http_json(const char *path, int *status)
{
	char *out = NULL;
	*status = http("GET", path, &out);
	json_t *j = out ? json_loads(out, 0, NULL) : NULL;
	free(out);
	return j;
}

/* Polls GET path until pred(json) holds or timeout_ms passes. */
static int
wait_for(const char *path, int want_status, const char *field, const char *want, int timeout_ms)
{
	uint64_t end = cninfra_now_ms() + (uint64_t)timeout_ms;
	do {
		int st;
		json_t *j = http_json(path, &st);
		int ok = st == want_status;
		if (ok && field) {
			const json_t *v = json_object_get(j, field);
			ok = json_is_string(v) && !strcmp(json_string_value(v), want);
		}
		json_decref(j);
		if (ok)
			return 0;
		tu_sleep_ms(50);
	} while (cninfra_now_ms() < end);
	return -1;
}

static double
metric(const char *name)
{
	char *out = NULL;
	assert_int_equal(http("GET", "/metrics", &out), 200);
	double v = -1;
	size_t n = strlen(name);
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, name, n) && line[n] == ' ')
			v = strtod(line + n + 1, NULL);
	free(out);
	return v;
}

static const char *
component(json_t *j, const char *name)
{
	json_t *c = json_object_get(json_object_get(j, "components"), name);
	return json_string_value(json_object_get(c, "state"));
}

static void
put_config(const char *json)
{
	assert_int_equal(cninfra_kv_put(kv, CONFIG_KEY, json, strlen(json), NULL), 0);
}

/* ---- fixtures ---- */

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("hello");
	etcd_port = peer_port = 0;
	etcd = tu_etcd_start(dir, &etcd_port, &peer_port);
	if (etcd < 0)
		return -1;
	snprintf(etcd_ep, sizeof(etcd_ep), "http://127.0.0.1:%u", etcd_port);
	snprintf(sock_path, sizeof(sock_path), "%s/cli.sock", dir);
	snprintf(cnf_log, sizeof(cnf_log), "%s/hello-cnf.log", dir);
	struct cninfra_kv_opts o = {.endpoint = etcd_ep};
	kv = cninfra_kv_open(NULL, &o);
	return kv ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (cnf > 0)
		tu_dump(cnf_log); /* still running means the test failed midway */
	tu_kill(cnf, SIGKILL);
	cnf = -1;
	ligd_shutdown();
	cninfra_kv_close(kv);
	tu_kill(etcd, SIGKILL);
	tu_rmrf(dir);
	free(dir);
	return 0;
}

static void
start_cnf(void)
{
	http_port = tu_free_port();
	char a_http[32], a_kv[96], a_sock[300];
	snprintf(a_http, sizeof(a_http), "--http.port=%u", http_port);
	snprintf(a_kv, sizeof(a_kv), "--kv.endpoint=%s", etcd_ep);
	snprintf(a_sock, sizeof(a_sock), "--ligd.socket=%s", sock_path);
	char *argv[] = {HELLO_CNF_BIN,	       "--label=" LABEL,    a_http, a_kv, a_sock,
			"--ligd.retry_ms=100", "--kv.probe_ms=200", NULL};
	cnf = tu_spawn(argv, cnf_log);
	assert_true(cnf > 0);
	assert_int_equal(wait_for("/liveness", 200, NULL, NULL, 5000), 0);
}

/* ---- the scenario ---- */

static void
test_end_to_end(void **state)
{
	(void)state;
	put_config("{\"greeting\":\"hi\",\"interval_ms\":50}");
	start_cnf();

	/* Config from the KV store is applied at start. */
	assert_int_equal(wait_for("/hello", 200, "greeting", "hi", 5000), 0);

	/* ligd is not running: alive, but not ready, and it says why. */
	int st;
	json_t *j = http_json("/readiness", &st);
	assert_int_equal(st, 503);
	assert_string_equal(component(j, "ligd"), "error");
	assert_string_equal(component(j, "hello"), "ok");
	assert_string_equal(component(j, "kv"), "ok");
	json_decref(j);

	/* ligd appears: the CNF attaches and becomes ready. */
	ligd_start();
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);
	assert_int_equal(wait_for("/ligd", 200, "reply", "ligd fake 1.0\n", 2000), 0);
	assert_true(metric("hello_ligd_attached") == 1);

	/* A config change in the KV store is picked up at run time. */
	double updates = metric("hello_config_updates_total");
	put_config("{\"greeting\":\"bonjour\",\"interval_ms\":20}");
	assert_int_equal(wait_for("/hello", 200, "greeting", "bonjour", 5000), 0);
	assert_true(metric("hello_config_updates_total") == updates + 1);
	assert_true(metric("hello_interval_ms") == 20);
	double g1 = metric("hello_greetings_total");
	tu_sleep_ms(200);
	assert_true(metric("hello_greetings_total") > g1);

	/* ...and what it applied is published back into the store. */
	struct cninfra_kv_pair *p = NULL;
	uint64_t end = cninfra_now_ms() + 3000;
	do {
		cninfra_kv_pair_free(p);
		p = NULL;
		if (cninfra_kv_get(kv, "/ligature/" LABEL "/status/hello", &p) == 0 &&
		    strstr(p->value, "bonjour"))
			break;
		tu_sleep_ms(50);
	} while (cninfra_now_ms() < end);
	assert_non_null(p);
	assert_non_null(strstr(p->value, "\"greeting\":\"bonjour\""));
	cninfra_kv_pair_free(p);

	/* A bad config is rejected: the old one stays, readiness says why, a counter counts it. */
	put_config("{\"greeting\":42}");
	assert_int_equal(wait_for("/readiness", 503, "status", "fail", 5000), 0);
	j = http_json("/readiness", &st);
	json_t *hello = json_object_get(json_object_get(j, "components"), "hello");
	assert_non_null(strstr(json_string_value(json_object_get(hello, "reason")), "greeting"));
	json_decref(j);
	assert_true(metric("hello_config_errors_total") == 1);
	assert_int_equal(wait_for("/hello", 200, "greeting", "bonjour", 100), 0);
	put_config("not json at all");
	assert_int_equal(wait_for("/hello", 200, "greeting", "bonjour", 100), 0);

	/* Fixed again: ready again. Deleting the key falls back to the defaults. */
	put_config("{\"greeting\":\"salut\"}");
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);
	assert_int_equal(wait_for("/hello", 200, "greeting", "salut", 5000), 0);
	assert_int_equal(cninfra_kv_delete(kv, CONFIG_KEY, 0, NULL), 0);
	assert_int_equal(wait_for("/hello", 200, "greeting", "hello", 5000), 0);

	/* ligd goes away: not ready; comes back: ready. */
	ligd_shutdown();
	assert_int_equal(wait_for("/readiness", 503, "status", "fail", 5000), 0);
	ligd_start();
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);

	/* Metrics are well-formed Prometheus text. */
	char *out = NULL;
	assert_int_equal(http("GET", "/metrics", &out), 200);
	assert_non_null(strstr(out, "# TYPE hello_greetings_total counter\n"));
	assert_non_null(strstr(out, "# TYPE hello_interval_ms gauge\n"));
	assert_non_null(strstr(out, "hello_ligd_requests_total{result=\"ok\"} "));
	free(out);

	/* SIGTERM: a clean, prompt exit. */
	assert_int_equal(kill(cnf, SIGTERM), 0);
	int ws = tu_wait_exit(cnf, 5000);
	assert_true(ws >= 0);
	cnf = -1;
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	char *log = tu_read_file(cnf_log);
	assert_non_null(log);
	assert_non_null(strstr(log, "msg=\"signal received, stopping\" signal=SIGTERM"));
	assert_non_null(strstr(log, "msg=\"agent stopped\""));
	free(log);
}

static void
test_bad_static_config(void **state)
{
	(void)state;
	/* A wrong flag value stops start-up with a message naming the key. */
	char a_kv[96];
	snprintf(a_kv, sizeof(a_kv), "--kv.endpoint=%s", etcd_ep);
	char *argv[] = {HELLO_CNF_BIN, "--http.port=0", a_kv, "--hello.interval_ms=soon", NULL};
	cnf = tu_spawn(argv, cnf_log);
	int ws = tu_wait_exit(cnf, 5000);
	cnf = -1;
	assert_true(ws >= 0 && WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 1);
	char *log = tu_read_file(cnf_log);
	assert_non_null(strstr(log, "flag --hello.interval_ms: key 'interval_ms': expected an "
				    "integer, got 'soon'"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_end_to_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_static_config, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

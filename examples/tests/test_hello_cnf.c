// SPDX-License-Identifier: Apache-2.0
// End-to-end test of the example CNF: a real etcd, the hello-cnf binary, a real ligd of this build
// (its API socket is what the CNF attaches to), ligctl and curl. Starts the CNF, changes its config
// in the KV store and sees it react, rejects a bad config, sees the CNF attach to ligd through
// libligapi (version, pid, interface count), follow an interface that ligctl creates behind its
// back (an interface_event), give up on a stuck ligd (SIGSTOP) within its timeout and come back,
// follow ligd going and coming in /readiness, scrapes /metrics, and checks a clean exit on
// SIGTERM. Every process is killed by PID and the temp dir removed, also on failure.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cninfra.h"
#include "testutil.h"

#define LABEL "hello-e2e"
#define CONFIG_KEY "/ligature/" LABEL "/config/hello"

static char *dir;
static pid_t etcd = -1, cnf = -1, ligd = -1;
static uint16_t etcd_port, peer_port, http_port;
static char etcd_ep[64], cli_path[100], api_path[100], ligd_script[100], ligd_log[512],
    cnf_log[512];
static struct cninfra_kv *kv;

/* ---- a real ligd: one loopback from its startup script ---- */

static void
ligd_start(void)
{
	unlink(cli_path);
	unlink(api_path);
	char *argv[] = {LIGD_BIN, "-s",	       cli_path, "-a",	 api_path,
			"-e",	  ligd_script, "-l",	 "warn", NULL};
	ligd = tu_spawn(argv, ligd_log);
	assert_true(ligd > 0);
	uint64_t end = cninfra_now_ms() + 10000;
	while (access(api_path, F_OK) != 0 && cninfra_now_ms() < end)
		tu_sleep_ms(20);
	if (access(api_path, F_OK) != 0)
		tu_dump(ligd_log);
	assert_int_equal(access(api_path, F_OK), 0);
}

static void
ligd_stop(void)
{
	tu_kill(ligd, SIGTERM);
	ligd = -1;
}

/* ligctl -s <cli> <words...> against that ligd; returns its exit status. */
static int
ligctl(const char *w1, const char *w2)
{
	char *argv[] = {LIGCTL_BIN, "-s", cli_path, (char *)w1, (char *)w2, NULL};
	pid_t pid = tu_spawn(argv, ligd_log);
	int ws = tu_wait_exit(pid, 10000);
	if (ws < 0) {
		tu_kill(pid, SIGKILL);
		return -1;
	}
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
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

/* GET /ligd until its field is the integer want (or, with substr, a string containing it). */
static int
wait_ligd(const char *field, json_int_t want, const char *substr, int timeout_ms)
{
	uint64_t end = cninfra_now_ms() + (uint64_t)timeout_ms;
	do {
		int st;
		json_t *j = http_json("/ligd", &st);
		const json_t *v = json_object_get(j, field);
		bool ok =
		    st == 200 && (substr ? json_is_string(v) && strstr(json_string_value(v), substr)
					 : json_is_integer(v) && json_integer_value(v) == want);
		json_decref(j);
		if (ok)
			return 0;
		tu_sleep_ms(50);
	} while (cninfra_now_ms() < end);
	int st;
	json_t *j = http_json("/ligd", &st);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	fprintf(stderr, "GET /ligd: %d %s (waiting for %s = %s%lld)\n", st, text ? text : "", field,
		substr ? substr : "", substr ? 0LL : (long long)want);
	free(text);
	json_decref(j);
	return -1;
}

static bool
ligd_attached(void)
{
	int st;
	json_t *j = http_json("/ligd", &st);
	bool attached = json_is_true(json_object_get(j, "attached"));
	json_decref(j);
	return attached;
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
	snprintf(cli_path, sizeof(cli_path), "%s/cli.sock", dir);
	snprintf(api_path, sizeof(api_path), "%s/api.sock", dir);
	snprintf(ligd_script, sizeof(ligd_script), "%s/init.cli", dir);
	snprintf(ligd_log, sizeof(ligd_log), "%s/ligd.log", dir);
	snprintf(cnf_log, sizeof(cnf_log), "%s/hello-cnf.log", dir);
	FILE *f = fopen(ligd_script, "w");
	if (!f)
		return -1;
	fprintf(f, "loopback create\n");
	fclose(f);
	struct cninfra_kv_opts o = {.endpoint = etcd_ep};
	kv = cninfra_kv_open(NULL, &o);
	return kv ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (cnf > 0) {
		/* still running means the test failed midway */
		tu_dump(cnf_log);
		tu_dump(ligd_log);
	}
	tu_kill(cnf, SIGKILL);
	cnf = -1;
	tu_kill(ligd, SIGKILL); /* also when it is stopped */
	ligd = -1;
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
	snprintf(a_sock, sizeof(a_sock), "--ligd.socket=%s", api_path);
	char *argv[] = {HELLO_CNF_BIN,
			"--label=" LABEL,
			a_http,
			a_kv,
			a_sock,
			"--ligd.retry_ms=100",
			"--ligd.timeout_ms=200",
			"--kv.probe_ms=200",
			NULL};
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

	assert_false(ligd_attached());
	assert_int_equal(
	    wait_ligd("error", 0, "ligd unreachable: cannot connect to ligd's API at", 2000), 0);

	/* ligd appears: the CNF attaches through its API socket and becomes ready; /ligd has
	 * what api_version and sw_interface_dump said (the startup script made one loopback). */
	ligd_start();
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);
	assert_int_equal(wait_ligd("pid", ligd, NULL, 2000), 0);
	assert_true(ligd_attached());
	assert_int_equal(wait_ligd("interfaces", 1, NULL, 2000), 0);
	assert_int_equal(wait_ligd("error", 0, "", 2000), 0);
	j = http_json("/ligd", &st);
	assert_true(json_string_length(json_object_get(j, "version")) > 0);
	assert_int_equal(json_integer_value(json_object_get(j, "events")), 0);
	json_decref(j);
	assert_true(metric("hello_ligd_attached") == 1);
	assert_true(metric("hello_ligd_interfaces") == 1);

	/* An interface created behind the CNF's back: the interface_event it subscribed to
	 * arrives, is counted and logged, and the interface count follows. */
	assert_int_equal(ligctl("loopback", "create"), 0);
	assert_int_equal(wait_ligd("events", 1, NULL, 3000), 0);
	assert_int_equal(wait_ligd("last_event", 0, "add loop1", 1000), 0);
	assert_int_equal(wait_ligd("interfaces", 2, NULL, 2000), 0);
	assert_true(metric("hello_ligd_events_total{event=\"add\"}") == 1);
	assert_true(metric("hello_ligd_interfaces") == 2);
	char *log = tu_read_file(cnf_log);
	assert_non_null(log);
	assert_non_null(strstr(log, "msg=\"interface event\" event=add sw_if_index=2 name=loop1"));
	free(log);

	/* A stuck ligd (stopped, its socket still accepting): each request gives up after
	 * timeout_ms, the CNF is not ready and says why; ligd resumes: ready again. */
	assert_int_equal(kill(ligd, SIGSTOP), 0);
	int stuck = wait_for("/readiness", 503, "status", "fail", 5000);
	int stuck_why = wait_ligd("error", 0, "did not answer within 200 ms", 3000);
	assert_int_equal(kill(ligd, SIGCONT), 0);
	assert_int_equal(stuck, 0);
	assert_int_equal(stuck_why, 0);
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);
	assert_true(ligd_attached());
	assert_int_equal(wait_ligd("interfaces", 2, NULL, 2000), 0);

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

	/* ligd goes away: not ready; a new one comes: the CNF reconnects to it, and its events. */
	ligd_stop();
	assert_int_equal(wait_for("/readiness", 503, "status", "fail", 5000), 0);
	assert_false(ligd_attached());
	ligd_start();
	assert_int_equal(wait_for("/readiness", 200, "status", "ok", 5000), 0);
	assert_int_equal(wait_ligd("pid", ligd, NULL, 2000), 0);
	assert_int_equal(wait_ligd("interfaces", 1, NULL, 2000), 0);
	assert_int_equal(ligctl("loopback", "create"), 0);
	assert_int_equal(wait_ligd("events", 2, NULL, 3000), 0);
	assert_int_equal(wait_ligd("interfaces", 2, NULL, 2000), 0);

	/* Metrics are well-formed Prometheus text. */
	char *out = NULL;
	assert_int_equal(http("GET", "/metrics", &out), 200);
	assert_non_null(strstr(out, "# TYPE hello_greetings_total counter\n"));
	assert_non_null(strstr(out, "# TYPE hello_interval_ms gauge\n"));
	assert_non_null(strstr(out, "hello_ligd_requests_total{result=\"ok\"} "));
	assert_non_null(strstr(out, "hello_ligd_requests_total{result=\"error\"} "));
	assert_non_null(strstr(out, "# TYPE hello_ligd_events_total counter\n"));
	assert_non_null(strstr(out, "hello_ligd_events_total{event=\"add\"} 2\n"));
	free(out);

	/* SIGTERM: a clean, prompt exit. */
	assert_int_equal(kill(cnf, SIGTERM), 0);
	int ws = tu_wait_exit(cnf, 5000);
	assert_true(ws >= 0);
	cnf = -1;
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	log = tu_read_file(cnf_log);
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

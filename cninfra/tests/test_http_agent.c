// SPDX-License-Identifier: Apache-2.0
// Integration test of an agent's HTTP side, scraped with the curl binary: /liveness and /readiness
// (200 vs 503, JSON parsed with jansson), /metrics parsed as Prometheus text, run-time log levels,
// plugin handlers, 404/405/413, and a clean exit on SIGTERM.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cninfra.h"
#include "testutil.h"

static pid_t child = -1;
static char base[64];

/* The agent under test (runs in the forked child). */
static struct cninfra_series *calls;
static struct cninfra_series *lat;

static void
h_health(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct cninfra_agent *a = arg;
	const char *st = cninfra_http_query(req, "state");
	enum cninfra_health_state s = st && !strcmp(st, "error")   ? CNINFRA_HEALTH_ERROR
				      : st && !strcmp(st, "fatal") ? CNINFRA_HEALTH_FATAL
								   : CNINFRA_HEALTH_OK;
	cninfra_health_report(cninfra_agent_health(a), "demo", s, st ? st : "");
	cninfra_counter_inc(calls);
	cninfra_histogram_observe(lat, 0.003);
	cninfra_histogram_observe(lat, 0.2);
	cninfra_http_reply_text(resp, 200, "ok\n");
}

static void
h_echo(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	json_t *j = cninfra_http_json_body(req, resp);
	if (!j)
		return;
	cninfra_http_reply_json(resp, 200, j);
	json_decref(j);
}

static int
demo_init(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	struct cninfra_metrics *m = cninfra_agent_metrics(a);
	const char *const labels[] = {"kind", NULL};
	const char *const vals[] = {"health"};
	calls = cninfra_metric_with(
	    cninfra_metrics_counter(m, "demo_calls_total", "Calls to the demo handler.", labels),
	    vals);
	const double b[] = {0.01, 0.1, 1};
	lat = cninfra_metric_with(
	    cninfra_metrics_histogram(m, "demo_latency_seconds", "Demo latency.", NULL, b, 3),
	    NULL);
	cninfra_log_get("demo");
	struct cninfra_http *h = cninfra_agent_http(a);
	cninfra_http_set_max_body(h, 1024);
	cninfra_health_report(cninfra_agent_health(a), "demo", CNINFRA_HEALTH_OK, NULL);
	if (cninfra_http_handle(h, "POST", "/demo/health", h_health, a) ||
	    cninfra_http_handle(h, "POST", "/demo/echo", h_echo, a))
		return -ENOMEM;
	return calls && lat ? 0 : -ENOMEM;
}

static void
run_agent(uint16_t port)
{
	char flag[32];
	snprintf(flag, sizeof(flag), "--http.port=%u", port);
	char *argv[] = {"demo", flag, NULL};
	struct cninfra_agent_opts o = {.name = "demo", .argc = 2, .argv = argv, .label = "demo-1"};
	struct cninfra_agent *a = cninfra_agent_new(&o);
	struct cninfra_plugin p = {.name = "demo",
				   .deps = (const char *const[]){CNINFRA_PLUGIN_HTTP, NULL},
				   .init = demo_init};
	if (!a || cninfra_agent_add(a, &p))
		_exit(2);
	int rc = cninfra_agent_run(a);
	cninfra_agent_free(a);
	_exit(rc ? 1 : 0);
}

static int
setup(void **state)
{
	(void)state;
	uint16_t port = tu_free_port();
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", port);
	child = fork();
	if (child == 0)
		run_agent(port);
	for (int i = 0; i < 200; i++) {
		if (tu_curl("GET", strcat(strcpy((char[128]){0}, base), "/liveness"), NULL, NULL) ==
		    200)
			return 0;
		tu_sleep_ms(25);
	}
	return -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_kill(child, SIGKILL);
	child = -1;
	return 0;
}

static int
get(const char *method, const char *path, const char *body, char **out)
{
	char url[256];
	snprintf(url, sizeof(url), "%s%s", base, path);
	return tu_curl(method, url, body, out);
}

static json_t *
get_json(const char *path, int want_status)
{
	char *out = NULL;
	int code = get("GET", path, NULL, &out);
	assert_int_equal(code, want_status);
	json_t *j = json_loads(out ? out : "", 0, NULL);
	free(out);
	assert_non_null(j);
	return j;
}

static const char *
component_state(json_t *j, const char *comp)
{
	json_t *c = json_object_get(json_object_get(j, "components"), comp);
	return json_string_value(json_object_get(c, "state"));
}

static void
test_probes(void **state)
{
	(void)state;
	json_t *j = get_json("/readiness", 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_string_equal(component_state(j, "demo"), "ok");
	assert_string_equal(component_state(j, "http"), "ok");
	assert_string_equal(component_state(j, "agent"), "ok");
	json_decref(j);

	assert_int_equal(get("POST", "/demo/health?state=error", "", NULL), 200);
	j = get_json("/readiness", 503);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "fail");
	assert_string_equal(component_state(j, "demo"), "error");
	json_decref(j);
	j = get_json("/liveness", 200); /* degraded is still alive */
	json_decref(j);

	assert_int_equal(get("POST", "/demo/health?state=fatal", "", NULL), 200);
	j = get_json("/liveness", 503);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "fail");
	json_decref(j);

	assert_int_equal(get("POST", "/demo/health?state=ok", "", NULL), 200);
	j = get_json("/readiness", 200);
	json_decref(j);
}

/* A small Prometheus text parser, enough to check what we emit. */
struct sample {
	char name[64];
	char labels[128];
	double value;
};

static size_t
parse_metrics(char *text, struct sample *out, size_t max, char types[][80], size_t *n_types)
{
	size_t n = 0;
	*n_types = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "# TYPE ", 7)) {
			snprintf(types[(*n_types)++], 80, "%s", line + 7);
			continue;
		}
		if (line[0] == '#')
			continue;
		assert_true(n < max);
		struct sample *s = &out[n++];
		char *sp = strrchr(line, ' ');
		assert_non_null(sp);
		*sp = 0;
		char *end;
		s->value = strtod(sp + 1, &end);
		assert_true(*end == 0);
		char *brace = strchr(line, '{');
		if (brace) {
			assert_true(line[strlen(line) - 1] == '}');
			*brace = 0;
			snprintf(s->labels, sizeof(s->labels), "%s", brace + 1);
			s->labels[strlen(s->labels) - 1] = 0;
		}
		snprintf(s->name, sizeof(s->name), "%s", line);
	}
	return n;
}

static double
value_of(struct sample *s, size_t n, const char *name, const char *labels)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].name, name) && !strcmp(s[i].labels, labels))
			return s[i].value;
	fail_msg("no sample %s{%s}", name, labels);
	return -1;
}

struct scrape {
	double calls, b001, b01, b1, binf, count, sum, info;
	int saw_types;
};

static void
scrape(struct scrape *r)
{
	char *out = NULL;
	assert_int_equal(get("GET", "/metrics", NULL, &out), 200);
	assert_non_null(strstr(out, "# HELP demo_calls_total Calls to the demo handler.\n"));
	struct sample s[64];
	char types[16][80];
	size_t nt;
	size_t n = parse_metrics(out, s, 64, types, &nt);
	free(out);
	r->saw_types = 0;
	for (size_t i = 0; i < nt; i++) {
		r->saw_types += !strcmp(types[i], "demo_calls_total counter");
		r->saw_types += !strcmp(types[i], "demo_latency_seconds histogram");
	}
	r->calls = value_of(s, n, "demo_calls_total", "kind=\"health\"");
	r->b001 = value_of(s, n, "demo_latency_seconds_bucket", "le=\"0.01\"");
	r->b01 = value_of(s, n, "demo_latency_seconds_bucket", "le=\"0.1\"");
	r->b1 = value_of(s, n, "demo_latency_seconds_bucket", "le=\"1\"");
	r->binf = value_of(s, n, "demo_latency_seconds_bucket", "le=\"+Inf\"");
	r->count = value_of(s, n, "demo_latency_seconds_count", "");
	r->sum = value_of(s, n, "demo_latency_seconds_sum", "");
	r->info = value_of(s, n, "cninfra_agent_info",
			   "label=\"demo-1\",version=\"" CNINFRA_VERSION "\"");
}

static void
test_metrics(void **state)
{
	(void)state;
	assert_int_equal(get("POST", "/demo/health?state=ok", "", NULL), 200);
	struct scrape a, b;
	scrape(&a);
	for (int i = 0; i < 3; i++)
		assert_int_equal(get("POST", "/demo/health?state=ok", "", NULL), 200);
	scrape(&b);
	assert_int_equal(b.saw_types, 2);
	assert_true(b.calls - a.calls == 3);
	assert_true(b.b001 - a.b001 == 3);
	assert_true(b.b01 - a.b01 == 3); /* buckets are cumulative */
	assert_true(b.b1 - a.b1 == 6);
	assert_true(b.binf - a.binf == 6);
	assert_true(b.count == b.binf);
	assert_true(b.sum - a.sum > 0.608 && b.sum - a.sum < 0.610);
	assert_true(b.info == 1);
}

static void
test_log_levels_and_errors(void **state)
{
	(void)state;
	json_t *j = get_json("/log/list", 200);
	json_t *lg = json_object_get(j, "loggers");
	assert_string_equal(json_string_value(json_object_get(lg, "demo")), "info");
	json_decref(j);
	char *out = NULL;
	assert_int_equal(get("PUT", "/log/demo/debug", NULL, &out), 200);
	free(out);
	j = get_json("/log/list", 200);
	lg = json_object_get(j, "loggers");
	assert_string_equal(json_string_value(json_object_get(lg, "demo")), "debug");
	json_decref(j);
	assert_int_equal(get("PUT", "/log/demo/loud", NULL, NULL), 400);
	assert_int_equal(get("PUT", "/log/nosuch/debug", NULL, NULL), 404);
	assert_int_equal(get("GET", "/nope", NULL, NULL), 404);
	assert_int_equal(get("DELETE", "/metrics", NULL, NULL), 405);

	assert_int_equal(get("POST", "/demo/echo", "{\"a\":[1,2]}", &out), 200);
	assert_string_equal(out, "{\"a\":[1,2]}\n");
	free(out);
	assert_int_equal(get("POST", "/demo/echo", "{\"a\":", &out), 400);
	assert_non_null(strstr(out, "invalid JSON"));
	free(out);
	char big[4096];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(get("POST", "/demo/echo", big, NULL), 413);
	/* Still serving after all that. */
	assert_int_equal(get("GET", "/liveness", NULL, NULL), 200);
}

static void
test_sigterm_clean_exit(void **state)
{
	(void)state;
	assert_int_equal(kill(child, SIGTERM), 0);
	int st = tu_wait_exit(child, 5000);
	assert_true(st >= 0);
	child = -1;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probes),
	    cmocka_unit_test(test_metrics),
	    cmocka_unit_test(test_log_levels_and_errors),
	    cmocka_unit_test(test_sigterm_clean_exit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

// SPDX-License-Identifier: Apache-2.0
// Unit tests of metrics exposition (Prometheus text format), health aggregation and logging.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cninfra/health.h"
#include "cninfra/log.h"
#include "cninfra/metrics.h"

static void
test_counter_gauge(void **state)
{
	(void)state;
	struct cninfra_metrics *r = cninfra_metrics_new();
	const char *const labels[] = {"method", "code", NULL};
	struct cninfra_metric *c =
	    cninfra_metrics_counter(r, "http_requests_total", "Requests served.", labels);
	assert_non_null(c);
	const char *const v1[] = {"GET", "200"};
	const char *const v2[] = {"PO\"ST\n", "500"};
	cninfra_counter_inc(cninfra_metric_with(c, v1));
	cninfra_counter_add(cninfra_metric_with(c, v1), 2);
	cninfra_counter_add(cninfra_metric_with(c, v1), -5); /* ignored: counters only go up */
	cninfra_counter_inc(cninfra_metric_with(c, v2));
	assert_true(cninfra_series_value(cninfra_metric_with(c, v1)) == 3);
	struct cninfra_metric *g = cninfra_metrics_gauge(r, "temp", "Line1\nback\\slash", NULL);
	cninfra_gauge_set(cninfra_metric_with(g, NULL), 21.5);
	cninfra_gauge_add(cninfra_metric_with(g, NULL), -1);
	char *s = cninfra_metrics_render(r);
	assert_non_null(s);
	const char *want = "# HELP http_requests_total Requests served.\n"
			   "# TYPE http_requests_total counter\n"
			   "http_requests_total{method=\"GET\",code=\"200\"} 3\n"
			   "http_requests_total{method=\"PO\\\"ST\\n\",code=\"500\"} 1\n"
			   "# HELP temp Line1\\nback\\\\slash\n"
			   "# TYPE temp gauge\n"
			   "temp 20.5\n";
	assert_string_equal(s, want);
	free(s);
	/* Bad names and duplicates are refused. */
	assert_null(cninfra_metrics_counter(r, "1bad", "", NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(cninfra_metrics_counter(r, "temp", "", NULL));
	assert_int_equal(errno, EEXIST);
	const char *const bad_labels[] = {"a:b", NULL};
	assert_null(cninfra_metrics_gauge(r, "ok_name", "", bad_labels));
	cninfra_metrics_free(r);
}

static void
test_histogram(void **state)
{
	(void)state;
	struct cninfra_metrics *r = cninfra_metrics_new();
	const double bounds[] = {0.1, 1, 10};
	const char *const labels[] = {"op", NULL};
	struct cninfra_metric *h =
	    cninfra_metrics_histogram(r, "op_seconds", "Op latency.", labels, bounds, 3);
	assert_non_null(h);
	const char *const v[] = {"put"};
	struct cninfra_series *s = cninfra_metric_with(h, v);
	cninfra_histogram_observe(s, 0.05);
	cninfra_histogram_observe(s, 0.1); /* le is inclusive */
	cninfra_histogram_observe(s, 5);
	cninfra_histogram_observe(s, 50);
	char *out = cninfra_metrics_render(r);
	const char *want = "# HELP op_seconds Op latency.\n"
			   "# TYPE op_seconds histogram\n"
			   "op_seconds_bucket{op=\"put\",le=\"0.1\"} 2\n"
			   "op_seconds_bucket{op=\"put\",le=\"1\"} 2\n"
			   "op_seconds_bucket{op=\"put\",le=\"10\"} 3\n"
			   "op_seconds_bucket{op=\"put\",le=\"+Inf\"} 4\n"
			   "op_seconds_sum{op=\"put\"} 55.15\n"
			   "op_seconds_count{op=\"put\"} 4\n";
	assert_string_equal(out, want);
	free(out);
	const double unsorted[] = {1, 0.5};
	assert_null(cninfra_metrics_histogram(r, "h2", "", NULL, unsorted, 2));
	const char *const le[] = {"le", NULL};
	assert_null(cninfra_metrics_histogram(r, "h3", "", le, bounds, 3));
	cninfra_metrics_free(r);
}

static void
test_health(void **state)
{
	(void)state;
	struct cninfra_health *h = cninfra_health_new();
	assert_false(cninfra_health_ready(h)); /* nothing reported yet */
	assert_true(cninfra_health_alive(h));
	cninfra_health_report(h, "a", CNINFRA_HEALTH_OK, NULL);
	cninfra_health_report(h, "b", CNINFRA_HEALTH_INIT, "starting");
	assert_false(cninfra_health_ready(h));
	cninfra_health_report(h, "b", CNINFRA_HEALTH_OK, NULL);
	assert_true(cninfra_health_ready(h));
	cninfra_health_report(h, "b", CNINFRA_HEALTH_ERROR, "peer down");
	assert_false(cninfra_health_ready(h));
	assert_true(cninfra_health_alive(h));
	char *s = cninfra_health_json(h, 1);
	json_t *j = json_loads(s, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "fail");
	json_t *b = json_object_get(json_object_get(j, "components"), "b");
	assert_string_equal(json_string_value(json_object_get(b, "state")), "error");
	assert_string_equal(json_string_value(json_object_get(b, "reason")), "peer down");
	json_decref(j);
	free(s);
	cninfra_health_report(h, "b", CNINFRA_HEALTH_FATAL, "wedged");
	assert_false(cninfra_health_alive(h));
	assert_int_equal(cninfra_health_forget(h, "b"), 0);
	assert_true(cninfra_health_alive(h));
	assert_true(cninfra_health_ready(h));
	assert_int_equal(cninfra_health_forget(h, "b"), -ENOENT);
	cninfra_health_free(h);
}

static void
test_log_levels(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	cninfra_log_set_fd(p[1]);
	struct cninfra_logger *lg = cninfra_log_get("unit.comp");
	assert_non_null(lg);
	assert_null(cninfra_log_get("bad name"));
	cninfra_debug(lg, "hidden", "k=%d", 1);
	cninfra_info(lg, "say \"hi\"", "port=%d name=%s", 80, "x");
	assert_int_equal(cninfra_log_set_level("unit.comp", CNINFRA_LOG_DEBUG), 0);
	cninfra_debug(lg, "shown", "%s", "");
	assert_int_equal(cninfra_log_set_level("nope", CNINFRA_LOG_DEBUG), -ENOENT);
	assert_int_equal(cninfra_log_level_parse("WARNING"), CNINFRA_LOG_WARN);
	assert_int_equal(cninfra_log_level_parse("loud"), -EINVAL);
	cninfra_log_set_fd(2);
	close(p[1]);
	char buf[1024] = {0};
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	assert_null(strstr(buf, "hidden"));
	assert_non_null(
	    strstr(buf, "level=info comp=unit.comp msg=\"say \\\"hi\\\"\" port=80 name=x\n"));
	assert_non_null(strstr(buf, "level=debug comp=unit.comp msg=\"shown\""));
	assert_int_equal(strncmp(buf, "ts=", 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counter_gauge),
	    cmocka_unit_test(test_histogram),
	    cmocka_unit_test(test_health),
	    cmocka_unit_test(test_log_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

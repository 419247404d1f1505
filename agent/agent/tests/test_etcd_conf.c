/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lig-agent's YAML trees (yaml_json.c) and etcd.conf (etcd_conf.c): vpp-agent's and
 * cn-infra's own etcd.conf examples verbatim, TLS settings, every kind of bad value refused with
 * the file and key named, unknown keys reported, Go durations, YAML typing and round trips, and
 * agent_read_file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "etcd_conf.h"
#include "yaml_json.h"

static int
parse(const char *text, struct agent_etcd_conf *c, char *err)
{
	return agent_etcd_conf_parse(text, strlen(text), "etcd.conf", c, err, 512);
}

/* vpp-agent's docker/dev/etcd.conf, verbatim. */
static void
test_vpp_agent_example(void **state)
{
	(void)state;
	struct agent_etcd_conf c;
	char err[512];
	assert_int_equal(parse("insecure-transport: true\n"
			       "dial-timeout: 1s\n"
			       "endpoints:\n"
			       " - \"172.17.0.1:2379\"\n",
			       &c, err),
			 0);
	assert_string_equal(c.endpoints, "http://172.17.0.1:2379");
	assert_int_equal(c.n_endpoints, 1);
	assert_int_equal(c.dial_timeout_ms, 1000);
	assert_int_equal(c.op_timeout_ms, 3000);
	assert_true(c.insecure_transport);
	assert_false(c.tls);
	assert_false(c.allow_delayed_start);
	assert_int_equal(c.n_warnings, 0);
	agent_etcd_conf_free(&c);
}

/* cn-infra's documented etcd.conf with every key (file paths filled in), durations in ns. */
static void
test_cn_infra_all_keys(void **state)
{
	(void)state;
	struct agent_etcd_conf c;
	char err[512];
	assert_int_equal(parse("# A list of host IP addresses of ETCD database server.\n"
			       "endpoints:\n"
			       "  - \"172.17.0.1:2379\"\n"
			       "  - \"172.17.0.2:2379\"\n"
			       "dial-timeout: 100000000\n"
			       "operation-timeout: 300000000\n"
			       "insecure-transport: false\n"
			       "insecure-skip-tls-verify: false\n"
			       "cert-file: /etc/etcd/client.pem\n"
			       "key-file: /etc/etcd/client-key.pem\n"
			       "ca-file: /etc/etcd/ca.pem\n"
			       "auto-compact: 0\n"
			       "resync-after-reconnect: false\n"
			       "allow-delayed-start: true\n"
			       "reconnect-interval: 2000000000\n",
			       &c, err),
			 0);
	assert_string_equal(c.endpoints, "https://172.17.0.1:2379,https://172.17.0.2:2379");
	assert_int_equal(c.n_endpoints, 2);
	assert_int_equal(c.dial_timeout_ms, 100);
	assert_int_equal(c.op_timeout_ms, 300);
	assert_int_equal(c.reconnect_interval_ms, 2000);
	assert_true(c.tls);
	assert_true(c.allow_delayed_start);
	assert_string_equal(c.ca_file, "/etc/etcd/ca.pem");
	assert_string_equal(c.cert_file, "/etc/etcd/client.pem");
	assert_string_equal(c.key_file, "/etc/etcd/client-key.pem");
	/* auto-compact is accepted but does nothing: reported. */
	assert_int_equal(c.n_warnings, 1);
	assert_non_null(strstr(c.warnings[0], "etcd.conf: auto-compact: accepted, has no effect"));
	agent_etcd_conf_free(&c);
}

static void
test_tls_forms(void **state)
{
	(void)state;
	struct agent_etcd_conf c;
	char err[512];
	/* Flow list, explicit schemes kept, skip-verify, a CA alone turns TLS on. */
	assert_int_equal(parse("endpoints: [\"http://127.0.0.1:1/\", 127.0.0.2:2, "
			       "'https://h:3']\nca-file: ca.pem\ninsecure-skip-tls-verify: true\n",
			       &c, err),
			 0);
	assert_string_equal(c.endpoints, "http://127.0.0.1:1,https://127.0.0.2:2,https://h:3");
	assert_true(c.tls);
	assert_true(c.insecure_skip_verify);
	assert_null(c.cert_file);
	agent_etcd_conf_free(&c);
	/* insecure-transport wins over the files, and says so. */
	assert_int_equal(
	    parse("endpoints: [h:1]\ninsecure-transport: true\nca-file: ca.pem\n", &c, err), 0);
	assert_string_equal(c.endpoints, "http://h:1");
	assert_false(c.tls);
	assert_int_equal(c.n_warnings, 1);
	assert_non_null(strstr(c.warnings[0], "insecure-transport"));
	agent_etcd_conf_free(&c);
	/* JSON is YAML too; Go duration strings. */
	assert_int_equal(parse("{\"endpoints\":[\"h:1\"],\"dial-timeout\":\"250ms\","
			       "\"operation-timeout\":\"1m30.5s\"}",
			       &c, err),
			 0);
	assert_int_equal(c.dial_timeout_ms, 250);
	assert_int_equal(c.op_timeout_ms, 90500);
	agent_etcd_conf_free(&c);
}

static void
expect_bad(const char *text, const char *msg)
{
	struct agent_etcd_conf c;
	char err[512];
	int rc = parse(text, &c, err);
	agent_etcd_conf_free(&c);
	if (rc != -EINVAL || !strstr(err, msg))
		fail_msg("\"%s\": rc %d, err \"%s\", wanted \"%s\"", text, rc, err, msg);
}

static void
test_bad_values(void **state)
{
	(void)state;
	expect_bad("dial-timeout: abc\n", "etcd.conf: dial-timeout: \"abc\" is not a duration");
	expect_bad("dial-timeout: -1s\n", "etcd.conf: dial-timeout:");
	expect_bad("dial-timeout: -5\n", "etcd.conf: dial-timeout: -5 ns is out of range");
	expect_bad("dial-timeout: 0\n", "etcd.conf: dial-timeout: must be more than 0");
	expect_bad("operation-timeout: 25h\n", "etcd.conf: operation-timeout:");
	expect_bad("operation-timeout: [1]\n", "etcd.conf: operation-timeout: not a duration");
	expect_bad("insecure-transport: yes please\n",
		   "etcd.conf: insecure-transport: not a boolean");
	expect_bad("insecure-transport: \"true\"\n",
		   "etcd.conf: insecure-transport: not a boolean");
	expect_bad("endpoints: 127.0.0.1:2379\n", "etcd.conf: endpoints: not a list");
	expect_bad("endpoints: [1]\n", "etcd.conf: endpoints: item 0 is not a string");
	expect_bad("endpoints: [\"ftp://h:1\"]\n",
		   "etcd.conf: endpoints: \"ftp://h:1\": only http");
	expect_bad("endpoints: [\"h 1:2\"]\n", "etcd.conf: endpoints: \"h 1:2\" is not host:port");
	expect_bad("endpoints: [\"http://\"]\n", "etcd.conf: endpoints: \"http://\" has no host");
	expect_bad("endpoints: [a,b,c,d,e,f,g,h,i]\n", "etcd.conf: endpoints: more than 8");
	expect_bad("cert-file: c.pem\n",
		   "etcd.conf: cert-file: cert-file and key-file go together");
	expect_bad("key-file: k.pem\n", "etcd.conf: key-file:");
	expect_bad("ca-file: 3\n", "etcd.conf: ca-file: not a string");
	expect_bad("session-ttl: x\n", "etcd.conf: session-ttl: not an integer");
	expect_bad("- a\n- b\n", "etcd.conf: not a mapping");
	/* Bad YAML: the line is named. */
	expect_bad("endpoints:\n  - a\n bad: [\n", "etcd.conf: line ");
	expect_bad("a: 1\na: 2\n", "etcd.conf: line 2: duplicate key a");
	expect_bad("a: &x 1\nb: *x\n", "anchors and aliases are not supported");
	expect_bad("a: 1\n---\nb: 2\n", "more than one YAML document");
}

static void
test_unknown_keys_and_env(void **state)
{
	(void)state;
	struct agent_etcd_conf c;
	char err[512];
	unsetenv("ETCDV3_ENDPOINTS");
	setenv("ETCD_ENDPOINTS", "10.0.0.1:2379,https://10.0.0.2:2379", 1);
	assert_int_equal(parse("endpoint: [\"x:1\"]\nsession-ttl: 5\n", &c, err), 0);
	/* "endpoint" is a typo: reported, and the endpoints come from the environment. */
	assert_string_equal(c.endpoints, "http://10.0.0.1:2379,https://10.0.0.2:2379");
	assert_int_equal(c.n_warnings, 2);
	assert_non_null(strstr(c.warnings[0], "etcd.conf: endpoint: unknown key"));
	assert_non_null(strstr(c.warnings[1], "etcd.conf: session-ttl: accepted, has no effect"));
	agent_etcd_conf_free(&c);
	unsetenv("ETCD_ENDPOINTS");
	/* An empty file: every default, cn-infra's default endpoint. */
	assert_int_equal(parse("", &c, err), 0);
	assert_string_equal(c.endpoints, "http://127.0.0.1:2379");
	assert_int_equal(c.dial_timeout_ms, 1000);
	agent_etcd_conf_free(&c);
}

static void
test_load_checks_files(void **state)
{
	(void)state;
	char path[] = "/tmp/lig-etcd-conf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "endpoints: [h:1]\nca-file: /nonexistent/ca.pem\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct agent_etcd_conf c;
	char err[512];
	assert_int_equal(agent_etcd_conf_load(path, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ": ca-file: /nonexistent/ca.pem: No such file"));
	agent_etcd_conf_free(&c);
	unlink(path);
	assert_true(agent_etcd_conf_load(path, &c, err, sizeof(err)) == -ENOENT);
	agent_etcd_conf_free(&c);
}

/* agent_read_file: the whole text NUL-terminated, one byte over the limit refused, missing. */
static void
test_read_file(void **state)
{
	(void)state;
	char path[] = "/tmp/lig-read-file-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a: 1\n", 5), 5);
	close(fd);
	char *text = NULL;
	size_t size = 0;
	assert_int_equal(agent_read_file(path, 5, &text, &size), 0);
	assert_int_equal(size, 5);
	assert_string_equal(text, "a: 1\n");
	free(text);
	text = NULL;
	assert_int_equal(agent_read_file(path, 4, &text, &size), -EFBIG);
	assert_null(text);
	unlink(path);
	assert_int_equal(agent_read_file(path, 5, &text, &size), -ENOENT);
}

static void
test_durations(void **state)
{
	(void)state;
	unsigned long long ns;
	static const struct {
		const char *s;
		unsigned long long ns;
	} ok[] = {{"0", 0},
		  {"1s", 1000000000ULL},
		  {"1.5s", 1500000000ULL},
		  {"250ms", 250000000ULL},
		  {"1m30s", 90000000000ULL},
		  {"2h", 7200000000000ULL},
		  {"10us", 10000ULL},
		  {"10\xc2\xb5s", 10000ULL},
		  {"7ns", 7ULL},
		  {".5s", 500000000ULL},
		  {"+3ms", 3000000ULL}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(agent_parse_duration(ok[i].s, &ns), 0);
		assert_true(ns == ok[i].ns);
	}
	const char *bad[] = {"",      "s", "1", "-1s", "1x", "1.s.", "25h", "99999999999999999999h",
			     "1s 2s", ".s"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (agent_parse_duration(bad[i], &ns) == 0)
			fail_msg("\"%s\" parsed", bad[i]);
}

static void
test_yaml_typing_and_round_trip(void **state)
{
	(void)state;
	char err[256];
	const char *y = "a: 1\nb: -2\nc: 0x1F\nd: 1.5\ne: true\nf: ~\ng: \"true\"\nh: '12'\n"
			"i: 02:00:00:00:00:01\nj: 10.10.1.1/24\nk: 99999999999999999999\nl: .inf\n"
			"m: [x, {n: o}]\nempty: {}\nnone: []\nlit: |\n  two\n  lines\n";
	json_t *t = agent_yaml_load(y, strlen(y), err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(json_integer_value(json_object_get(t, "a")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "b")), -2);
	assert_int_equal(json_integer_value(json_object_get(t, "c")), 31);
	assert_true(json_is_real(json_object_get(t, "d")));
	assert_true(json_is_true(json_object_get(t, "e")));
	assert_true(json_is_null(json_object_get(t, "f")));
	assert_string_equal(json_string_value(json_object_get(t, "g")), "true");
	assert_string_equal(json_string_value(json_object_get(t, "h")), "12");
	assert_string_equal(json_string_value(json_object_get(t, "i")), "02:00:00:00:00:01");
	assert_string_equal(json_string_value(json_object_get(t, "j")), "10.10.1.1/24");
	assert_string_equal(json_string_value(json_object_get(t, "k")), "99999999999999999999");
	assert_string_equal(json_string_value(json_object_get(t, "l")), ".inf");
	assert_string_equal(json_string_value(json_object_get(t, "lit")), "two\nlines\n");
	char *out = agent_yaml_dump(t);
	assert_non_null(out);
	/* Strings that would read back as other types are quoted; the rest are plain. */
	assert_non_null(strstr(out, "g: \"true\"\n"));
	assert_non_null(strstr(out, "h: \"12\"\n"));
	assert_non_null(strstr(out, "j: 10.10.1.1/24\n"));
	assert_non_null(strstr(out, "empty: {}\n"));
	json_t *u = agent_yaml_load(out, strlen(out), err, sizeof(err));
	assert_non_null(u);
	assert_true(json_equal(t, u));
	free(out);
	json_decref(t);
	json_decref(u);
	/* Nesting is bounded. */
	char deep[300];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	assert_null(agent_yaml_load(deep, 200, err, sizeof(err)));
	assert_non_null(strstr(err, "nested too deeply"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vpp_agent_example),
	    cmocka_unit_test(test_cn_infra_all_keys),
	    cmocka_unit_test(test_tls_forms),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_unknown_keys_and_env),
	    cmocka_unit_test(test_load_checks_files),
	    cmocka_unit_test(test_read_file),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_yaml_typing_and_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: Apache-2.0
// Unit tests of typed configuration: precedence (default < file < env < flag), nested keys, and
// error messages naming file, line and key for bad YAML, wrong types, unknown keys and ranges.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cninfra/config.h"
#include "testutil.h"

struct cfg {
	char *name;
	int64_t port;
	bool verbose;
	double ratio;
	char *tls_cert;
};

static const struct cninfra_cfg_field fields[] = {
    {.key = "name",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct cfg, name),
     .def = "default-name"},
    {.key = "port",
     .type = CNINFRA_CFG_INT,
     .offset = offsetof(struct cfg, port),
     .def = "80",
     .min = 1,
     .max = 65535},
    {.key = "verbose",
     .type = CNINFRA_CFG_BOOL,
     .offset = offsetof(struct cfg, verbose),
     .def = "false"},
    {.key = "ratio",
     .type = CNINFRA_CFG_DOUBLE,
     .offset = offsetof(struct cfg, ratio),
     .def = "0.5"},
    {.key = "tls.cert", .type = CNINFRA_CFG_STR, .offset = offsetof(struct cfg, tls_cert)},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static char *dir;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir("cfg");
	unsetenv("TST_PORT");
	unsetenv("TST_NAME");
	return dir ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	free(dir);
	unsetenv("TST_PORT");
	unsetenv("TST_NAME");
	return 0;
}

static char *
write_yaml(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_defaults(void **state)
{
	(void)state;
	struct cfg c = {0};
	char err[256];
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, NULL, err, sizeof(err)), 0);
	assert_string_equal(c.name, "default-name");
	assert_int_equal(c.port, 80);
	assert_false(c.verbose);
	assert_true(c.ratio == 0.5);
	assert_null(c.tls_cert);
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

static void
test_precedence(void **state)
{
	(void)state;
	const char *path = write_yaml("p.yaml", "name: from-file\nport: 1000\nverbose: yes\n"
						"tls:\n  cert: /etc/cert.pem\n");
	struct cfg c = {0};
	char err[256];
	struct cninfra_cfg_sources src = {.file = path, .env_prefix = "TST"};
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), 0);
	assert_string_equal(c.name, "from-file");
	assert_int_equal(c.port, 1000);
	assert_true(c.verbose);
	assert_string_equal(c.tls_cert, "/etc/cert.pem");

	/* env overrides the file */
	setenv("TST_PORT", "2000", 1);
	setenv("TST_NAME", "from-env", 1);
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), 0);
	assert_int_equal(c.port, 2000);
	assert_string_equal(c.name, "from-env");

	/* flags override env, both "--p.k=v" and "--p.k v" */
	char *argv[] = {"prog",	      "--tst.port=3000", "--other.port=9",
			"--tst.name", "from-flag",	 NULL};
	src.argc = 5;
	src.argv = argv;
	src.flag_prefix = "tst";
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), 0);
	assert_int_equal(c.port, 3000);
	assert_string_equal(c.name, "from-flag");
	assert_true(c.verbose); /* still from the file */
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

static void
expect_error(const char *yaml, const char *want)
{
	const char *path = write_yaml("bad.yaml", yaml);
	struct cfg c = {0};
	char err[256];
	struct cninfra_cfg_sources src = {.file = path};
	assert_true(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)) < 0);
	char full[600];
	snprintf(full, sizeof(full), "%s/bad.yaml%s", dir, want);
	if (strcmp(err, full)) {
		fprintf(stderr, "got  '%s'\nwant '%s'\n", err, full);
		fail();
	}
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

static void
test_file_errors(void **state)
{
	(void)state;
	expect_error("name: x\nport: abc\n", ":2: key 'port': expected an integer, got 'abc'");
	expect_error("name: x\n\nverbose: maybe\n",
		     ":3: key 'verbose': expected a boolean, got 'maybe'");
	expect_error("port: 70000\n", ":1: key 'port': value 70000 out of range 1..65535");
	expect_error("name: x\ncolour: red\n", ":2: unknown key 'colour'");
	expect_error("tls:\n  key: k\n", ":2: unknown key 'tls.key'");
	expect_error("name: [a, b]\n", ":1: key 'name': expected a string, got a list");
	expect_error("- a\n- b\n", ":1: top level must be a mapping of keys");
	expect_error("name: x\nport: 1\n  bad: indent\n",
		     ":3:6: YAML error: mapping values are not allowed in this context");
	expect_error("ratio: 1.5x\n", ":1: key 'ratio': expected a number, got '1.5x'");
}

static void
test_env_and_flag_errors(void **state)
{
	(void)state;
	struct cfg c = {0};
	char err[256];
	setenv("TST_PORT", "eighty", 1);
	struct cninfra_cfg_sources src = {.env_prefix = "TST"};
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "environment variable TST_PORT: key 'port': expected an integer, "
				 "got 'eighty'");
	unsetenv("TST_PORT");
	char *argv[] = {"prog", "--tst.nope=1", NULL};
	struct cninfra_cfg_sources fsrc = {.argc = 2, .argv = argv, .flag_prefix = "tst"};
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &fsrc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "flag --tst.nope: unknown key 'nope'");
	char *argv2[] = {"prog", "--tst.port", NULL};
	fsrc.argc = 2;
	fsrc.argv = argv2;
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &fsrc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "flag --tst.port: missing value");
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

static void
test_missing_file(void **state)
{
	(void)state;
	struct cfg c = {0};
	char err[256], path[512];
	snprintf(path, sizeof(path), "%s/none.yaml", dir);
	struct cninfra_cfg_sources src = {.file = path};
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), 0);
	src.file_required = true;
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "none.yaml: cannot open"));
	/* An empty file is valid and changes nothing. */
	src.file = write_yaml("empty.yaml", "");
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), 0);
	assert_int_equal(c.port, 80);
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

/* Hostile YAML: random mutations of a valid file and an alias bomb must give 0 or an error with
 * a message, never a crash (this runs under ASan+UBSan too). */
static void
test_mutated_yaml(void **state)
{
	(void)state;
	static const char valid[] = "name: x\nport: 8080\nverbose: true\nratio: 0.25\n"
				    "tls:\n  cert: \"/a/b\"\n";
	static const char noise[] = ":-[]{}&*!\n \"'#|>\t\\%@`,?\xff\x01";
	unsigned seed = (unsigned)getpid();
	srand(seed);
	for (int iter = 0; iter < 300; iter++) {
		char text[sizeof(valid) + 8];
		memcpy(text, valid, sizeof(valid));
		for (int m = 0; m < 1 + rand() % 4; m++)
			text[(size_t)rand() % (sizeof(valid) - 1)] =
			    noise[(size_t)rand() % (sizeof(noise) - 1)];
		const char *path = write_yaml("fuzz.yaml", text);
		struct cfg c = {0};
		char err[256] = "";
		struct cninfra_cfg_sources src = {.file = path};
		int rc = cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err));
		if (rc != 0 && err[0] == 0)
			fail_msg("seed %u iter %d: error without a message", seed, iter);
		cninfra_cfg_release(fields, N_FIELDS, &c);
	}
	/* Aliases cannot blow up the walk. */
	const char *bomb = write_yaml("bomb.yaml", "a: &a {b: &b {c: &c {d: 1}}}\n"
						   "x1: *a\nx2: *a\nx3: *a\n");
	struct cfg c = {0};
	char err[256];
	struct cninfra_cfg_sources src = {.file = bomb};
	assert_int_equal(cninfra_cfg_load(fields, N_FIELDS, &c, &src, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown key 'a.b.c.d'"));
	cninfra_cfg_release(fields, N_FIELDS, &c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_env_and_flag_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mutated_yaml, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

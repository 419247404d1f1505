// SPDX-License-Identifier: Apache-2.0
// Unit tests of the agent: dependency order of init/after-init, reverse close, missing and cyclic
// dependencies, init failures, unknown flags, per-plugin config, label keys, and clean shutdown
// by cninfra_agent_stop() and by SIGTERM.
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

static char trace[512];

static void
note(const char *what, const char *name)
{
	size_t n = strlen(trace);
	snprintf(trace + n, sizeof(trace) - n, "%s%s:%s", n ? " " : "", what, name);
}

static int
p_init(struct cninfra_agent *a, void *ctx)
{
	(void)a;
	note("init", ctx);
	return strcmp(ctx, "bad") ? 0 : -EIO;
}

static int
p_after(struct cninfra_agent *a, void *ctx)
{
	(void)a;
	note("after", ctx);
	return 0;
}

static void
p_close(struct cninfra_agent *a, void *ctx)
{
	(void)a;
	note("close", ctx);
}

#define PLUGIN(n, ...)                                                                             \
	(struct cninfra_plugin)                                                                    \
	{                                                                                          \
		.name = n, .deps = (const char *const[]){__VA_ARGS__}, .init = p_init,             \
		.after_init = p_after, .close = p_close, .ctx = (void *)n                          \
	}

static char *argv_port0[] = {"agent", "--http.port=0", NULL};

static struct cninfra_agent *
new_agent(void)
{
	struct cninfra_agent_opts o = {.name = "t", .argc = 2, .argv = argv_port0, .label = "unit"};
	trace[0] = 0;
	struct cninfra_agent *a = cninfra_agent_new(&o);
	assert_non_null(a);
	return a;
}

static void
test_order(void **state)
{
	(void)state;
	struct cninfra_agent *a = new_agent();
	assert_int_equal(cninfra_agent_add(a, &PLUGIN("c", "a", "b", NULL)), 0);
	assert_int_equal(cninfra_agent_add(a, &PLUGIN("a", "b", NULL)), 0);
	assert_int_equal(cninfra_agent_add(a, &PLUGIN("b", NULL)), 0);
	assert_int_equal(cninfra_agent_add(a, &PLUGIN("b", NULL)), -EEXIST);
	assert_int_equal(cninfra_agent_start(a), 0);
	const char *const *order = cninfra_agent_order(a);
	assert_string_equal(order[0], "http");
	assert_string_equal(order[1], "b");
	assert_string_equal(order[2], "a");
	assert_string_equal(order[3], "c");
	assert_null(order[4]);
	assert_true(cninfra_health_ready(cninfra_agent_health(a)));
	assert_non_null(cninfra_agent_http(a));
	assert_null(cninfra_agent_kv(a)); /* nobody asked for it */
	cninfra_agent_close(a);
	assert_string_equal(trace, "init:b init:a init:c after:b after:a after:c close:c close:a "
				   "close:b");
	cninfra_agent_free(a);
}

static void
test_missing_dep(void **state)
{
	(void)state;
	struct cninfra_agent *a = new_agent();
	cninfra_agent_add(a, &PLUGIN("a", "db", NULL));
	assert_int_equal(cninfra_agent_start(a), -ENOENT);
	assert_string_equal(cninfra_agent_error(a),
			    "plugin 'a' depends on 'db', which is not registered");
	assert_string_equal(trace, "");
	cninfra_agent_free(a);
}

static void
test_cycle(void **state)
{
	(void)state;
	struct cninfra_agent *a = new_agent();
	cninfra_agent_add(a, &PLUGIN("x", NULL));
	cninfra_agent_add(a, &PLUGIN("a", "x", "b", NULL));
	cninfra_agent_add(a, &PLUGIN("b", "c", NULL));
	cninfra_agent_add(a, &PLUGIN("c", "a", NULL));
	assert_int_equal(cninfra_agent_start(a), -ELOOP);
	assert_string_equal(cninfra_agent_error(a), "plugin dependency cycle: a -> b -> c -> a");
	assert_string_equal(trace, "");
	cninfra_agent_free(a);
}

static void
test_init_failure_unwinds(void **state)
{
	(void)state;
	struct cninfra_agent *a = new_agent();
	cninfra_agent_add(a, &PLUGIN("a", NULL));
	cninfra_agent_add(a, &PLUGIN("b", "a", NULL));
	cninfra_agent_add(a, &PLUGIN("bad", "b", NULL));
	cninfra_agent_add(a, &PLUGIN("z", "bad", NULL));
	assert_int_equal(cninfra_agent_start(a), -EIO);
	assert_string_equal(cninfra_agent_error(a), "plugin 'bad' init failed: Input/output error");
	assert_string_equal(trace, "init:a init:b init:bad close:b close:a");
	cninfra_agent_free(a);
}

static void
test_unknown_flag(void **state)
{
	(void)state;
	char *argv[] = {"agent", "--http.port=0", "--bogus=1", NULL};
	struct cninfra_agent_opts o = {.name = "t", .argc = 3, .argv = argv};
	struct cninfra_agent *a = cninfra_agent_new(&o);
	assert_int_equal(cninfra_agent_start(a), -EINVAL);
	assert_string_equal(cninfra_agent_error(a), "unknown flag '--bogus'");
	cninfra_agent_free(a);
}

struct pcfg {
	char *greeting;
	int64_t count;
};

static const struct cninfra_cfg_field pfields[] = {
    {.key = "greeting",
     .type = CNINFRA_CFG_STR,
     .offset = offsetof(struct pcfg, greeting),
     .def = "hi"},
    {.key = "count", .type = CNINFRA_CFG_INT, .offset = offsetof(struct pcfg, count), .def = "1"},
};

static struct pcfg got_cfg;
static int cfg_rc;

static int
cfg_init(struct cninfra_agent *a, void *ctx)
{
	(void)ctx;
	cfg_rc = cninfra_agent_config(a, "greeter", pfields, 2, &got_cfg);
	return cfg_rc;
}

static void
test_plugin_config_and_kv(void **state)
{
	(void)state;
	char *dir = tu_tmpdir("agent");
	char path[512], kvdir[600], cd[600];
	snprintf(path, sizeof(path), "%s/greeter.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("greeting: from-file\ncount: 5\n", f);
	fclose(f);
	snprintf(kvdir, sizeof(kvdir), "--kv.dir=%s/kv", dir);
	snprintf(cd, sizeof(cd), "--config-dir=%s", dir);
	char *argv[] = {"agent", "--http.port=0", cd, kvdir, "--greeter.count=7", NULL};
	setenv("MICROSERVICE_LABEL", "vnf-7", 1);
	struct cninfra_agent_opts o = {.name = "t", .argc = 5, .argv = argv, .label = "unit"};
	struct cninfra_agent *a = cninfra_agent_new(&o);
	unsetenv("MICROSERVICE_LABEL");
	assert_string_equal(cninfra_agent_label(a), "vnf-7");
	char key[128];
	assert_int_equal(cninfra_agent_key(a, "config/x", key, sizeof(key)), 0);
	assert_string_equal(key, "/ligature/vnf-7/config/x");
	struct cninfra_plugin p = {.name = "greeter",
				   .deps = (const char *const[]){CNINFRA_PLUGIN_KV, NULL},
				   .init = cfg_init};
	cninfra_agent_add(a, &p);
	assert_int_equal(cninfra_agent_start(a), 0);
	assert_int_equal(cfg_rc, 0);
	assert_string_equal(got_cfg.greeting, "from-file");
	assert_int_equal(got_cfg.count, 7);
	assert_non_null(cninfra_agent_kv(a));
	assert_string_equal(cninfra_kv_backend(cninfra_agent_kv(a)), "embedded");
	cninfra_cfg_release(pfields, 2, &got_cfg);
	cninfra_agent_free(a);

	/* A bad value names the file, line and key in the start-up error. */
	f = fopen(path, "w");
	fputs("greeting: x\ncount: lots\n", f);
	fclose(f);
	char *argv2[] = {"agent", "--http.port=0", cd, kvdir, NULL};
	o.argc = 4;
	o.argv = argv2;
	a = cninfra_agent_new(&o);
	cninfra_agent_add(a, &p);
	assert_int_equal(cninfra_agent_start(a), -EINVAL);
	char want[700];
	snprintf(want, sizeof(want),
		 "config of plugin 'greeter': %s:2: key 'count': expected an integer, got 'lots'",
		 path);
	assert_string_equal(cninfra_agent_error(a), want);
	cninfra_cfg_release(pfields, 2, &got_cfg);
	cninfra_agent_free(a);
	tu_rmrf(dir);
	free(dir);
}

static void
stop_soon(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	if (arg)
		cninfra_agent_stop(arg);
	else
		kill(getpid(), SIGTERM);
}

static struct cninfra_timer *stop_timer;

static int
arm_stop(struct cninfra_agent *a, void *ctx)
{
	note("after", "stopper");
	stop_timer = cninfra_loop_timer(cninfra_agent_loop(a), 20, 0, stop_soon, ctx ? a : NULL);
	return stop_timer ? 0 : -errno;
}

static void
free_stop(struct cninfra_agent *a, void *ctx)
{
	(void)a;
	(void)ctx;
	note("close", "stopper");
	cninfra_timer_free(stop_timer);
}

static void
run_until_stopped(int by_signal)
{
	struct cninfra_agent *a = new_agent();
	cninfra_agent_add(a, &PLUGIN("a", NULL));
	struct cninfra_plugin p = {.name = "stopper",
				   .deps = (const char *const[]){"a", NULL},
				   .after_init = arm_stop,
				   .close = free_stop,
				   .ctx = by_signal ? NULL : (void *)1};
	cninfra_agent_add(a, &p);
	assert_int_equal(cninfra_agent_run(a), 0);
	assert_string_equal(trace, "init:a after:a after:stopper close:stopper close:a");
	cninfra_agent_free(a);
}

static void
test_run_stop(void **state)
{
	(void)state;
	run_until_stopped(0);
}

static void
test_run_sigterm(void **state)
{
	(void)state;
	run_until_stopped(1);
}

static void
slow_close(struct cninfra_agent *a, void *ctx)
{
	(void)a;
	(void)ctx;
	sleep(10); /* a plugin that hangs at shutdown */
}

static void
test_shutdown_watchdog(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct cninfra_agent_opts o = {
		    .name = "t", .argc = 2, .argv = argv_port0, .stop_timeout_ms = 200};
		struct cninfra_agent *a = cninfra_agent_new(&o);
		struct cninfra_plugin hang = {.name = "hang", .close = slow_close};
		struct cninfra_plugin p = {.name = "stopper", .after_init = arm_stop};
		cninfra_agent_add(a, &hang);
		cninfra_agent_add(a, &p);
		cninfra_agent_run(a);
		_exit(0); /* not reached: the watchdog ends the process first */
	}
	uint64_t t0 = cninfra_now_ms();
	int st = tu_wait_exit(pid, 5000);
	if (st < 0)
		tu_kill(pid, SIGKILL);
	assert_true(st >= 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 124);
	assert_true(cninfra_now_ms() - t0 < 3000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_missing_dep),
	    cmocka_unit_test(test_cycle),
	    cmocka_unit_test(test_init_failure_unwinds),
	    cmocka_unit_test(test_unknown_flag),
	    cmocka_unit_test(test_plugin_config_and_kv),
	    cmocka_unit_test(test_run_stop),
	    cmocka_unit_test(test_run_sigterm),
	    cmocka_unit_test(test_shutdown_watchdog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

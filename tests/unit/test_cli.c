/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CLI core: matching, abbreviations, argument parsing, malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "vlib/cli.h"
#include "vlib/loop.h"

static u32 last_value;
static char last_word[64];

static int
test_show_foo(struct lig_cli_input *in, struct lig_str *out)
{
	u32 v = 0;
	const char *w = NULL;

	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "value")) {
			if (!lig_cli_u32(in, &v))
				return lig_cli_expected(in, out, "<value>");
		} else if (lig_cli_keyword(in, "name")) {
			if (!(w = lig_cli_word(in)))
				return lig_cli_expected(in, out, "<name>");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	last_value = v;
	snprintf(last_word, sizeof(last_word), "%s", w ? w : "");
	lig_str_printf(out, "foo %u\n", v);
	return 0;
}

LIG_CLI_COMMAND(test_show_foo_cmd) = {.path = "show foo", .function = test_show_foo};

static int
test_set_foo(struct lig_cli_input *in, struct lig_str *out)
{
	(void)in;
	lig_str_printf(out, "set\n");
	return 0;
}

LIG_CLI_COMMAND(test_set_foo_cmd) = {.path = "set foo", .function = test_set_foo};
LIG_CLI_COMMAND(test_set_foo_bar_cmd) = {.path = "set foo bar", .function = test_set_foo};

static int
run(const char *line, struct lig_str *out)
{
	lig_str_reset(out);
	return lig_cli_execute(line, out);
}

static void
test_match_and_abbreviation(void **state)
{
	struct lig_str out = {0};
	(void)state;

	assert_int_equal(run("show foo value 7", &out), 0);
	assert_int_equal(last_value, 7);
	assert_int_equal(run("sh fo value 0x10", &out), 0);
	assert_int_equal(last_value, 16);
	assert_int_equal(run("  show   foo  name \"two words\" # comment", &out), 0);
	assert_string_equal(last_word, "two words");
	/* The longest path wins: "set foo bar" over "set foo". */
	assert_int_equal(run("set foo bar", &out), 0);
	assert_int_equal(run("", &out), 0);
	assert_int_equal(run("help show", &out), 0);
	assert_non_null(strstr(lig_str_cstr(&out), "show foo"));
	lig_str_free(&out);
}

static void
test_errors(void **state)
{
	struct lig_str out = {0};
	char *long_line = malloc(LIG_CLI_MAX_LINE + 10);
	(void)state;

	assert_int_equal(run("frobnicate now", &out), -ENOENT);
	assert_non_null(strstr(lig_str_cstr(&out), "unknown command: 'frobnicate'"));
	assert_int_equal(run("s foo", &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "ambiguous"));
	assert_int_equal(run("show foo value", &out), -EINVAL);
	assert_string_equal(lig_str_cstr(&out), "show foo: expected <value> at end of line\n");
	assert_int_equal(run("show foo value -1", &out), -EINVAL);
	assert_string_equal(lig_str_cstr(&out), "show foo: expected <value>, got '-1'\n");
	assert_int_equal(run("show foo value 99999999999", &out), -EINVAL);
	assert_int_equal(run("show foo value 12abc", &out), -EINVAL);
	assert_int_equal(run("show foo bogus", &out), -EINVAL);
	assert_string_equal(lig_str_cstr(&out), "show foo: unknown input 'bogus'\n");
	assert_int_equal(run("show foo name \"unterminated", &out), -EINVAL);
	assert_int_equal(run("show foo name a\x01", &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "non-printable"));
	memset(long_line, 'a', LIG_CLI_MAX_LINE + 5);
	long_line[LIG_CLI_MAX_LINE + 5] = 0;
	assert_int_equal(run(long_line, &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "too long"));
	/* 70 words: over the word limit, rejected without overflow. */
	char many[256] = "show foo";
	for (int i = 0; i < 70; i++)
		strcat(many, " x");
	assert_int_equal(run(many, &out), -EINVAL);
	free(long_line);
	lig_str_free(&out);
}

static void
test_parsers(void **state)
{
	u8 mac[6];
	u32 v, a;
	(void)state;

	assert_int_equal(lig_parse_mac("02:fe:00:11:aa:FF", mac), 0);
	assert_int_equal(mac[0], 0x02);
	assert_int_equal(mac[5], 0xff);
	assert_int_equal(lig_parse_mac("02:fe:00:11:aa", mac), -EINVAL);
	assert_int_equal(lig_parse_mac("02:fe:00:11:aa:ff:00", mac), -EINVAL);
	assert_int_equal(lig_parse_mac("0g:fe:00:11:aa:ff", mac), -EINVAL);
	assert_int_equal(lig_parse_mac("2:fe:00:11:aa:ff12", mac), -EINVAL);
	assert_int_equal(lig_parse_u32("4294967295", &v), 0);
	assert_int_equal(v, 4294967295u);
	assert_int_equal(lig_parse_u32("4294967296", &v), -EINVAL);
	assert_int_equal(lig_parse_u32("", &v), -EINVAL);
	assert_int_equal(lig_parse_u32(" 1", &v), -EINVAL);
	assert_int_equal(lig_parse_ip4("10.1.2.3", &a), 0);
	assert_int_equal(lig_parse_ip4("10.1.2.256", &a), -EINVAL);
	assert_int_equal(lig_parse_ip4("10.1.2", &a), -EINVAL);

	struct lig_cli_input in = {0};
	u8 len;
	char w1[] = "10.0.0.0/8", w2[] = "10.0.0.0/33", w3[] = "10.0.0.0", w4[] = "/8";
	in.words[0] = w1, in.words[1] = w2, in.words[2] = w3, in.words[3] = w4;
	in.n_words = 4;
	assert_true(lig_cli_ip4_prefix(&in, &a, &len));
	assert_int_equal(len, 8);
	assert_false(lig_cli_ip4_prefix(&in, &a, &len));
	in.pos = 2;
	assert_false(lig_cli_ip4_prefix(&in, &a, &len));
	in.pos = 3;
	assert_false(lig_cli_ip4_prefix(&in, &a, &len));
}

/* Two ready fds in one epoll batch, each callback unwatching the other: whichever runs
 * first must not leave the second event pointing at freed memory (ASan checks). */
static struct lig_fd_watch *uaf_watch[2];
static int uaf_fd[2];
static u32 uaf_calls;

static void
uaf_on_fd(void *ctx, u32 events)
{
	int me = (int)(long)ctx;
	(void)events;
	uaf_calls++;
	lig_loop_unwatch_fd(uaf_watch[!me]);
	uaf_watch[!me] = NULL;
}

static void
test_loop_unwatch_in_batch(void **state)
{
	(void)state;
	assert_int_equal(lig_loop_init(), 0);
	for (long i = 0; i < 2; i++) {
		uaf_fd[i] = eventfd(1, EFD_NONBLOCK);
		assert_true(uaf_fd[i] >= 0);
		uaf_watch[i] = lig_loop_watch_fd(uaf_fd[i], EPOLLIN, uaf_on_fd, (void *)i);
		assert_non_null(uaf_watch[i]);
	}
	lig_loop_run_once(100);
	assert_int_equal(uaf_calls, 1);
	for (int i = 0; i < 2; i++) {
		lig_loop_unwatch_fd(uaf_watch[i]);
		close(uaf_fd[i]);
	}
	lig_loop_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_and_abbreviation),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_loop_unwatch_in_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

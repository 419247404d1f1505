/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CLI core: matching, abbreviations, argument parsing, malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vlib/cli.h"
#include "vlib/cli_server.h"
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
	/* An empty quoted word is not an abbreviation of every command word. */
	assert_int_equal(run("\"\" foo", &out), -ENOENT);
	assert_int_equal(run("show \"\" value 3", &out), -ENOENT);
	assert_int_equal(run("show foo name \"\"", &out), 0);
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

/* exec: a file that execs itself stops at a depth limit instead of overflowing the
 * stack; a line too long for the line buffer fails instead of running its tail. */
static void
test_exec_file(void **state)
{
	struct lig_str out = {0};
	char path[64], cmd[96];
	(void)state;

	snprintf(path, sizeof(path), "/tmp/lig-test-exec-%d.cli", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "show foo value 11\nexec %s\n", path);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "exec %s", path);
	last_value = 0;
	assert_int_equal(run(cmd, &out), -ELOOP);
	assert_non_null(strstr(lig_str_cstr(&out), "nested deeper"));
	assert_int_equal(last_value, 11);

	f = fopen(path, "w");
	assert_non_null(f);
	fputc('#', f);
	for (int i = 0; i < LIG_CLI_MAX_LINE; i++)
		fputc(' ', f);
	fprintf(f, "show foo value 42\n");
	fclose(f);
	last_value = 0;
	assert_int_equal(lig_cli_exec_file(path, &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "line longer"));
	assert_int_equal(last_value, 0);

	/* A well-formed file runs to the end. */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "# comment\n\nshow foo value 7\r\nshow foo value 8");
	fclose(f);
	assert_int_equal(lig_cli_exec_file(path, &out), 0);
	assert_int_equal(last_value, 8);
	unlink(path);
	assert_int_equal(lig_cli_exec_file(path, &out), -ENOENT);
	lig_str_free(&out);
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

/* ---- The CLI socket server, over a real unix socket. ---- */

static int
test_big_reply(struct lig_cli_input *in, struct lig_str *out)
{
	(void)in;
	/* 4 MiB: far more than a socket buffer holds. */
	for (int i = 0; i < 65536; i++)
		lig_str_printf(out, "%063d\n", i);
	return 0;
}

LIG_CLI_COMMAND(test_big_reply_cmd) = {.path = "show big", .function = test_big_reply};

static char srv_path[108];

static int
srv_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", srv_path);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void
srv_pump(int n)
{
	for (int i = 0; i < n; i++)
		lig_loop_run_once(0);
}

static u64
now_ms(void)
{
	return lig_time_now_ns() / 1000000;
}

static size_t
put_request(u8 *p, const char *cmd)
{
	u32 n = htonl((u32)strlen(cmd));
	memcpy(p, &n, 4);
	memcpy(p + 4, cmd, strlen(cmd));
	return 4 + strlen(cmd);
}

/* Reads one reply, pumping the loop while it is incomplete; returns its status and
 * copies up to size - 1 bytes of text into text. */
static int
srv_read_reply(int fd, char *text, size_t size, u32 *len_out)
{
	u32 hdr[2];
	size_t got = 0;
	u64 deadline = now_ms() + 5000;

	while (got < sizeof(hdr)) {
		ssize_t n = recv(fd, (u8 *)hdr + got, sizeof(hdr) - got, MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0)
			fail_msg("server closed the connection");
		else
			srv_pump(1);
		assert_true(now_ms() < deadline);
	}
	u32 len = ntohl(hdr[1]);
	*len_out = len;
	for (size_t done = 0; done < len;) {
		char buf[65536];
		ssize_t n = recv(fd, buf, LIG_MIN(sizeof(buf), len - done), MSG_DONTWAIT);
		if (n > 0) {
			if (done < size - 1)
				memcpy(text + done, buf, LIG_MIN((size_t)n, size - 1 - done));
			done += (size_t)n;
		} else if (n == 0) {
			fail_msg("server closed the connection mid-reply");
		} else {
			srv_pump(1);
		}
		assert_true(now_ms() < deadline);
	}
	text[LIG_MIN((size_t)len, size - 1)] = 0;
	return (int)ntohl(hdr[0]);
}

static int
srv_setup(void **state)
{
	(void)state;
	snprintf(srv_path, sizeof(srv_path), "/tmp/lig-test-cli-%d/cli.sock", (int)getpid());
	if (lig_loop_init() < 0 || lig_cli_server_start(srv_path) < 0)
		return -1;
	return 0;
}

static int
srv_teardown(void **state)
{
	char dir[108];
	(void)state;
	lig_cli_server_stop();
	lig_loop_free();
	snprintf(dir, sizeof(dir), "/tmp/lig-test-cli-%d", (int)getpid());
	rmdir(dir);
	return 0;
}

/* A request split into pieces (header bytes one at a time) is one command; two
 * requests in one write are two replies, one per loop pass. */
static void
test_server_framing(void **state)
{
	u8 req[256];
	char text[256];
	u32 len;
	(void)state;

	int fd = srv_connect();
	srv_pump(2); /* accept */
	size_t n = put_request(req, "show foo value 5");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(send(fd, req + i, 1, 0), 1);
		srv_pump(1);
	}
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 5\n");

	n = put_request(req, "show foo value 1");
	n += put_request(req + n, "show foo value 2");
	assert_int_equal(send(fd, req, n, 0), (ssize_t)n);
	srv_pump(1);
	/* Fairness: one pass served one request of this client, not both. */
	assert_int_equal(last_value, 1);
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 1\n");
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 2\n");

	/* A NUL inside the command is refused, the connection stays usable. */
	n = 4 + 16;
	u32 l = htonl(16);
	memcpy(req, &l, 4);
	memcpy(req + 4, "show foo\0value 3", 16);
	assert_int_equal(send(fd, req, n, 0), (ssize_t)n);
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), -EINVAL);
	assert_non_null(strstr(text, "NUL"));
	close(fd);
	srv_pump(2);
}

/* A length outside 1..LIG_CLI_MAX_REQUEST gets an error reply and the connection is
 * closed; other clients are unaffected. */
static void
test_server_bad_length(void **state)
{
	char text[256], c;
	u32 len;
	(void)state;

	int fd = srv_connect(), other = srv_connect();
	srv_pump(2);
	u32 bad = htonl(LIG_CLI_MAX_REQUEST + 1);
	assert_int_equal(send(fd, &bad, 4, 0), 4);
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), -EMSGSIZE);
	srv_pump(2);
	assert_int_equal(recv(fd, &c, 1, 0), 0); /* closed */
	u8 req[64];
	size_t n = put_request(req, "show foo value 9");
	assert_int_equal(send(other, req, n, 0), (ssize_t)n);
	assert_int_equal(srv_read_reply(other, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 9\n");
	close(fd);
	close(other);
	srv_pump(2);
}

/* A client that asks for a large reply and does not read it must not stall the loop
 * (it used to block in poll() for up to 5 s per send); it gets its reply when it
 * reads, and meanwhile another client is served. */
static void
test_server_client_not_reading(void **state)
{
	u8 req[64];
	char text[256];
	u32 len;
	(void)state;

	int slow = srv_connect(), other = srv_connect();
	int small = 4096;
	setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	srv_pump(2);
	size_t n = put_request(req, "show big");
	assert_int_equal(send(slow, req, n, 0), (ssize_t)n);
	/* A second request behind it waits until the first reply has gone out. */
	n = put_request(req, "show foo value 4");
	assert_int_equal(send(slow, req, n, 0), (ssize_t)n);
	u64 t0 = now_ms();
	srv_pump(20);
	assert_true(now_ms() - t0 < 1000);
	n = put_request(req, "show foo value 8");
	assert_int_equal(send(other, req, n, 0), (ssize_t)n);
	assert_int_equal(srv_read_reply(other, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 8\n");
	assert_true(now_ms() - t0 < 1000);
	/* Now the slow client reads: the whole reply, then the second one. */
	assert_int_equal(srv_read_reply(slow, text, sizeof(text), &len), 0);
	assert_int_equal(len, 65536 * 64);
	assert_int_equal(srv_read_reply(slow, text, sizeof(text), &len), 0);
	assert_string_equal(text, "foo 4\n");
	/* A client that goes away with a reply pending is simply closed. */
	n = put_request(req, "show big");
	assert_int_equal(send(slow, req, n, 0), (ssize_t)n);
	srv_pump(3);
	close(slow);
	srv_pump(3);
	close(other);
	srv_pump(2);
}

/* More clients than slots: the extra ones are refused, the others keep working. */
static void
test_server_many_clients(void **state)
{
	int fds[80];
	char text[64], c;
	u32 len;
	u8 req[64];
	(void)state;

	for (int i = 0; i < 80; i++) {
		fds[i] = srv_connect();
		srv_pump(1);
	}
	srv_pump(2);
	size_t n = put_request(req, "show foo value 6");
	assert_int_equal(send(fds[0], req, n, 0), (ssize_t)n);
	assert_int_equal(srv_read_reply(fds[0], text, sizeof(text), &len), 0);
	assert_int_equal(recv(fds[79], &c, 1, 0), 0); /* refused: closed at once */
	for (int i = 0; i < 80; i++)
		close(fds[i]);
	srv_pump(4);
}

/* Out of file descriptors, a waiting client is accepted and dropped (with the spare
 * descriptor) instead of leaving the listener readable forever, which kept the loop
 * spinning; once descriptors are back, clients are served again. */
static void
test_server_out_of_fds(void **state)
{
	struct rlimit old, low;
	char text[64], c;
	u32 len;
	u8 req[64];
	(void)state;

	int fd = srv_connect();
	int lowest = dup(0); /* every descriptor below it is in use */
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	srv_pump(3);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	/* Dropped: the server closed it rather than leave it in the backlog. */
	ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
	assert_int_equal(n, 0);
	close(fd);
	fd = srv_connect();
	srv_pump(2);
	size_t m = put_request(req, "show foo value 3");
	assert_int_equal(send(fd, req, m, 0), (ssize_t)m);
	assert_int_equal(srv_read_reply(fd, text, sizeof(text), &len), 0);
	close(fd);
	srv_pump(2);
}

/* The server replaces a stale socket but never deletes a file that is not one. */
static void
test_server_path_not_socket(void **state)
{
	char path[108];
	(void)state;

	assert_int_equal(lig_loop_init(), 0);
	snprintf(path, sizeof(path), "/tmp/lig-test-notsock-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(lig_cli_server_start(path), -EEXIST);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	/* A stale socket (nobody listening) is replaced. */
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
	assert_int_equal(lig_cli_server_start(path), 0);
	lig_cli_server_stop();
	assert_int_not_equal(access(path, F_OK), 0);
	lig_loop_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_and_abbreviation),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_parsers),
	    cmocka_unit_test(test_exec_file),
	    cmocka_unit_test(test_loop_unwatch_in_batch),
	    cmocka_unit_test_setup_teardown(test_server_framing, srv_setup, srv_teardown),
	    cmocka_unit_test_setup_teardown(test_server_bad_length, srv_setup, srv_teardown),
	    cmocka_unit_test_setup_teardown(test_server_client_not_reading, srv_setup,
					    srv_teardown),
	    cmocka_unit_test_setup_teardown(test_server_many_clients, srv_setup, srv_teardown),
	    cmocka_unit_test_setup_teardown(test_server_out_of_fds, srv_setup, srv_teardown),
	    cmocka_unit_test(test_server_path_not_socket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

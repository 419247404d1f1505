// SPDX-License-Identifier: Apache-2.0
// The HTTP server's optional parts, driven in-process and scraped with the curl binary: the auth
// hook (401 with WWW-Authenticate before the body is read, open paths, bearer tokens compared
// whole), deferred replies (other requests are served meanwhile; a server freed while one waits
// cancels it and answers 503), bodies of any content type, and HTTPS with a certificate made by
// openssl for the test (curl --cacert), plus the errors of bad TLS settings.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cninfra.h"

static char tmpdir[64];

/* Runs curl with args (NULL-terminated, after "curl -s -o OUT -w ...") while driving loop; the
 * body is left in body (NUL-terminated, at most n), returns the HTTP status (0: no answer). The
 * write-out also yields the content type. */
static int
curl_run(struct cninfra_loop *loop, char *body, size_t n, char *ctype, size_t ctn,
	 const char *const *args)
{
	char out[128], meta[128];
	snprintf(out, sizeof(out), "%s/body", tmpdir);
	snprintf(meta, sizeof(meta), "%s/meta", tmpdir);
	pid_t pid = fork();
	if (pid == 0) {
		const char *argv[32] = {"curl",	      "-s", "-o",
					out,	      "-w", "%{http_code} %{content_type}",
					"--max-time", "5"};
		size_t k = 8;
		for (size_t i = 0; args[i] && k < 31; i++)
			argv[k++] = args[i];
		argv[k] = NULL;
		int fd = open(meta, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		execvp("curl", (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, WNOHANG) == 0)
		cninfra_loop_run_once(loop, 20);
	FILE *f = fopen(out, "r");
	size_t got = f ? fread(body, 1, n - 1, f) : 0;
	body[got] = 0;
	if (f)
		fclose(f);
	unlink(out);
	f = fopen(meta, "r");
	int code = 0;
	char ct[128] = "";
	if (f) {
		if (fscanf(f, "%d %127s", &code, ct) < 1)
			code = 0;
		fclose(f);
	}
	if (ctype)
		snprintf(ctype, ctn, "%s", ct);
	return code;
}

static void
h_hello(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	char buf[128];
	snprintf(buf, sizeof(buf), "hello %zu\n", req->body_size);
	cninfra_http_reply_text(resp, 200, buf);
}

static unsigned auth_calls;

static unsigned
auth(const struct cninfra_http_req *req, void *arg)
{
	auth_calls++;
	assert_int_equal(req->body_size, 0);
	if (!strcmp(req->path, "/open"))
		return 0;
	if (!strcmp(req->path, "/forbidden"))
		return 403;
	return cninfra_http_bearer_ok(req, arg) ? 0 : 401;
}

static void
test_auth(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	struct cninfra_http *http = cninfra_http_new(loop, NULL, 0);
	assert_non_null(http);
	char token[] = "s3cret-token";
	assert_int_equal(cninfra_http_handle(http, NULL, "/*", h_hello, NULL), 0);
	cninfra_http_set_auth(http, auth, token);
	char url[64], open_url[64], body[256], ct[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", cninfra_http_port(http));
	snprintf(open_url, sizeof(open_url), "http://127.0.0.1:%u/open", cninfra_http_port(http));

	const char *none[] = {url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), ct, sizeof(ct), none), 401);
	assert_non_null(strstr(body, "unauthorized"));
	assert_string_equal(ct, "application/json");
	/* The challenge header. */
	char hpath[96];
	snprintf(hpath, sizeof(hpath), "%s/headers", tmpdir);
	const char *hdr[] = {"-D", hpath, url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, hdr), 401);
	FILE *hf = fopen(hpath, "r");
	assert_non_null(hf);
	size_t hn = fread(body, 1, sizeof(body) - 1, hf);
	body[hn] = 0;
	fclose(hf);
	assert_non_null(strstr(body, "WWW-Authenticate: Bearer"));

	const char *wrong[] = {"-H", "Authorization: Bearer s3cret-tokeX", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, wrong), 401);
	const char *prefix[] = {"-H", "Authorization: Bearer s3cret", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, prefix), 401);
	const char *longer[] = {"-H", "Authorization: Bearer s3cret-token2", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, longer), 401);
	const char *basic[] = {"-u", "a:s3cret-token", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, basic), 401);
	const char *empty[] = {"-H", "Authorization: Bearer ", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, empty), 401);

	const char *good[] = {"-H", "Authorization: Bearer s3cret-token", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, good), 200);
	assert_string_equal(body, "hello 0\n");
	const char *scheme[] = {"-H", "authorization: bearer s3cret-token", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, scheme), 200);
	/* A body is read only once the request is let through. */
	const char *post[] = {
	    "-H", "Authorization: Bearer s3cret-token", "--data-binary", "12345", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, post), 200);
	assert_string_equal(body, "hello 5\n");
	const char *post_bad[] = {"--data-binary", "12345", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, post_bad), 401);

	const char *open[] = {open_url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, open), 200);
	open_url[strlen(open_url) - 4] = 0;
	strcat(open_url, "forbidden");
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, open), 403);
	assert_non_null(strstr(body, "forbidden"));
	assert_true(auth_calls >= 12);

	/* No hook: everything passes again. */
	cninfra_http_set_auth(http, NULL, NULL);
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, none), 200);
	cninfra_http_free(http);
	cninfra_loop_free(loop);
}

/* Deferred: /slow completes from a timer; /fast answers at once. */
struct slow {
	struct cninfra_http_deferred *d;
	struct cninfra_timer *t;
	int cancelled;
	int completed;
	unsigned delay_ms;
};

static void
slow_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	struct slow *s = arg;
	struct cninfra_http_resp resp = {0};
	static const char svg[] = "<svg>\0binary\n</svg>";
	cninfra_http_reply_data(&resp, 200, "image/svg+xml", svg, sizeof(svg) - 1);
	cninfra_http_complete(s->d, &resp);
	assert_null(resp.body);
	s->d = NULL;
	s->completed++;
}

static void
slow_cancel(void *arg)
{
	struct slow *s = arg;
	s->cancelled++;
	s->d = NULL;
}

static void
h_slow(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	struct slow *s = arg;
	cninfra_http_reply_text(resp, 200, "ignored"); /* a deferred request's resp is dropped */
	s->d = cninfra_http_defer(req, slow_cancel, s);
	assert_non_null(s->d);
	assert_null(cninfra_http_defer(req, slow_cancel, s)); /* once */
	if (s->t)
		cninfra_timer_set(s->t, s->delay_ms, 0);
}

static void
h_now(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	/* Deferred and completed before returning: that reply is sent. */
	struct cninfra_http_deferred *d = cninfra_http_defer(req, NULL, NULL);
	struct cninfra_http_resp r = {0};
	cninfra_http_reply_text(&r, 202, "now\n");
	cninfra_http_complete(d, &r);
	cninfra_http_reply_text(resp, 200, "ignored");
}

static void
test_deferred(void **state)
{
	(void)state;
	struct cninfra_loop *loop = cninfra_loop_new();
	struct cninfra_http *http = cninfra_http_new(loop, NULL, 0);
	struct slow s = {0};
	s.t = cninfra_loop_timer(loop, 0, 0, slow_fire, &s);
	cninfra_timer_set(s.t, 0, 0); /* disarmed until a request arrives */
	assert_int_equal(cninfra_http_handle(http, "GET", "/slow", h_slow, &s), 0);
	assert_int_equal(cninfra_http_handle(http, "GET", "/fast", h_hello, NULL), 0);
	assert_int_equal(cninfra_http_handle(http, "GET", "/now", h_now, NULL), 0);
	char url[64], body[256], ct[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/slow", cninfra_http_port(http));

	/* The slow request waits for its timer (1 s) while a fast one is answered. */
	char fast[64], out[128];
	snprintf(fast, sizeof(fast), "http://127.0.0.1:%u/fast", cninfra_http_port(http));
	snprintf(out, sizeof(out), "%s/slow", tmpdir);
	s.delay_ms = 1000;
	uint64_t t0 = cninfra_now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		execlp("curl", "curl", "-s", "-w", " %{http_code} %{content_type}", "--max-time",
		       "5", url, NULL);
		_exit(127);
	}
	for (int i = 0; i < 250 && !s.d; i++)
		cninfra_loop_run_once(loop, 20);
	assert_non_null(s.d);
	const char *f1[] = {fast, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, f1), 200);
	assert_int_equal(s.completed, 0); /* the fast one did not wait */
	int st;
	while (waitpid(pid, &st, WNOHANG) == 0)
		cninfra_loop_run_once(loop, 20);
	assert_true(cninfra_now_ms() - t0 >= 900);
	assert_int_equal(s.completed, 1);
	FILE *f = fopen(out, "r");
	assert_non_null(f);
	size_t got = fread(body, 1, sizeof(body) - 1, f);
	body[got] = 0;
	fclose(f);
	assert_int_equal(memcmp(body, "<svg>\0binary\n</svg> 200 image/svg+xml", 38), 0);

	s.delay_ms = 50;
	const char *one[] = {url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), ct, sizeof(ct), one), 200);
	assert_string_equal(ct, "image/svg+xml");
	assert_int_equal(s.completed, 2);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/now", cninfra_http_port(http));
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, one), 202);
	assert_string_equal(body, "now\n");

	/* A server freed while a request waits: the owner is told, the client gets 503. */
	cninfra_timer_free(s.t);
	s.t = NULL;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/slow", cninfra_http_port(http));
	snprintf(out, sizeof(out), "%s/pending", tmpdir);
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		execlp("curl", "curl", "-s", "-w", " %{http_code}", "--max-time", "5", url, NULL);
		_exit(127);
	}
	for (int i = 0; i < 250 && !s.d; i++)
		cninfra_loop_run_once(loop, 20);
	assert_non_null(s.d);
	cninfra_http_free(http);
	assert_int_equal(s.cancelled, 1);
	assert_null(s.d);
	waitpid(pid, &st, 0);
	f = fopen(out, "r");
	assert_non_null(f);
	got = fread(body, 1, sizeof(body) - 1, f);
	body[got] = 0;
	fclose(f);
	unlink(out);
	/* The 503 goes out before the socket closes. */
	assert_non_null(strstr(body, "server stopping"));
	assert_non_null(strstr(body, " 503"));
	cninfra_loop_free(loop);
}

static int
sh(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void
test_tls(void **state)
{
	(void)state;
	if (sh("command -v openssl >/dev/null") != 0) {
		skip();
		return;
	}
	char cmd[1024], cert[96], key[96], other[96];
	snprintf(cert, sizeof(cert), "%s/cert.pem", tmpdir);
	snprintf(key, sizeof(key), "%s/key.pem", tmpdir);
	snprintf(other, sizeof(other), "%s/other.pem", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s 2>/dev/null && "
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other "
		 "-keyout %s.key -out %s 2>/dev/null",
		 key, cert, other, other);
	assert_int_equal(sh(cmd), 0);

	struct cninfra_loop *loop = cninfra_loop_new();
	struct cninfra_http_opts o = {.tls_cert_file = cert, .tls_key_file = key};
	struct cninfra_http *http = cninfra_http_new_opts(loop, &o);
	assert_non_null(http);
	assert_int_equal(cninfra_http_handle(http, NULL, "/*", h_hello, NULL), 0);
	char url[64], body[256];
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/x", cninfra_http_port(http));
	const char *ok[] = {"--cacert", cert, url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, ok), 200);
	assert_string_equal(body, "hello 0\n");
	const char *post[] = {"--cacert", cert, "--data-binary", "abc", url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, post), 200);
	assert_string_equal(body, "hello 3\n");
	/* Not trusted without the CA; plain HTTP gets no HTTP answer. */
	const char *untrusted[] = {"--cacert", other, url, NULL};
	assert_int_equal(curl_run(loop, body, sizeof(body), NULL, 0, untrusted), 0);
	char plain[64];
	snprintf(plain, sizeof(plain), "http://127.0.0.1:%u/x", cninfra_http_port(http));
	const char *p[] = {plain, NULL};
	assert_int_not_equal(curl_run(loop, body, sizeof(body), NULL, 0, p), 200);
	cninfra_http_free(http);

	/* Bad settings. */
	struct cninfra_http_opts half = {.tls_cert_file = cert};
	errno = 0;
	assert_null(cninfra_http_new_opts(loop, &half));
	assert_int_equal(errno, EINVAL);
	struct cninfra_http_opts missing = {.tls_cert_file = cert, .tls_key_file = "/nonexistent"};
	assert_null(cninfra_http_new_opts(loop, &missing));
	assert_int_equal(errno, ENOENT);
	char junk[96];
	snprintf(junk, sizeof(junk), "%s/junk.pem", tmpdir);
	FILE *f = fopen(junk, "w");
	fputs("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", f);
	fclose(f);
	struct cninfra_http_opts bad = {.tls_cert_file = cert, .tls_key_file = junk};
	assert_null(cninfra_http_new_opts(loop, &bad));
	char other_key[112];
	snprintf(other_key, sizeof(other_key), "%s.key", other);
	struct cninfra_http_opts mismatch = {.tls_cert_file = cert, .tls_key_file = other_key};
	assert_null(cninfra_http_new_opts(loop, &mismatch));
	cninfra_loop_free(loop);
}

int
main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cninfra-http-ext.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	if (system("command -v curl >/dev/null") != 0) {
		printf("SKIP: curl missing\n");
		return 0;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_deferred),
	    cmocka_unit_test(test_tls),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}

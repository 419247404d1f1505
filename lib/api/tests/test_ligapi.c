/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libligapi against a real ligd (started here, killed by PID): calls and their error
 * texts, dumps, events, and the server's answers to requests no correct client sends
 * (unknown id, wrong layout CRC, bad lengths and fields).
 */
#include "api_testlib.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "vlib/api.h"

static struct tligd ligd;
static struct lig_api_client *cl;

/* loop0 (MAC 02:fe:00:00:00:01) and loop1. */
static int
start_ligd(void **state)
{
	(void)state;
	if (tligd_start(&ligd, "test", NULL,
			"loopback create mac 02:fe:00:00:00:01\nloopback create\n") < 0)
		return -1;
	cl = ligd.c;
	return 0;
}

static void
test_version_and_ping(void **state)
{
	(void)state;
	lig_api_api_version_t req;
	lig_api_api_version_reply_t rep;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, api_version, &req, &rep), 0);
	assert_int_equal(rep.n_msgs, lig_api_n_msgs);
	assert_int_equal(rep.pid, (u32)ligd.pid);
	lig_api_control_ping_t p;
	lig_api_control_ping_reply_t pr;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, control_ping, &p, &pr), 0);
	assert_string_equal(lig_api_last_error(cl), "");
}

struct collect {
	u32 n;
	lig_api_sw_interface_dump_details_t d[8];
};

static bool
collect_cb(void *ctx, const void *details, u32 size)
{
	struct collect *c = ctx;
	assert_int_equal(size, sizeof(c->d[0]));
	if (c->n < 8)
		memcpy(&c->d[c->n], details, size);
	c->n++;
	return true;
}

static void
test_dump_and_set(void **state)
{
	(void)state;
	lig_api_sw_interface_dump_t req = {0};
	struct collect c = {0};
	assert_int_equal(LIG_API_CLIENT_DUMP(cl, sw_interface_dump, &req, collect_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.d[0].name, "loop0");
	assert_string_equal(c.d[0].device_class, "loopback");
	assert_int_equal(c.d[0].mac[5], 1);
	assert_false(c.d[0].admin_up);

	lig_api_sw_interface_set_flags_t f = {.sw_if_index = c.d[0].sw_if_index, .admin_up = 1};
	lig_api_sw_interface_set_flags_reply_t fr;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, sw_interface_set_flags, &f, &fr), 0);
	snprintf(req.name, sizeof(req.name), "loop0");
	memset(&c, 0, sizeof(c));
	assert_int_equal(LIG_API_CLIENT_DUMP(cl, sw_interface_dump, &req, collect_cb, &c), 0);
	assert_int_equal(c.n, 1);
	assert_true(c.d[0].admin_up);
	assert_true(c.d[0].link_up);

	/* The module's own words come back. */
	f.sw_if_index = 999;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, sw_interface_set_flags, &f, &fr), -ENOENT);
	assert_string_equal(fr.error, "interface 999 does not exist");
	assert_string_equal(lig_api_last_error(cl), "interface 999 does not exist");
	req.sw_if_index = 999;
	assert_int_equal(LIG_API_CLIENT_DUMP(cl, sw_interface_dump, &req, collect_cb, &c), -ENOENT);

	/* Validation by the definition: a bool is 0 or 1. */
	f.sw_if_index = 1;
	f.admin_up = 7;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, sw_interface_set_flags, &f, &fr), -EINVAL);
	assert_non_null(strstr(fr.error, "field admin_up"));
}

static u32 n_events;
static lig_api_interface_event_t last_event;

static void
event_cb(void *ctx, u16 msg_id, const void *body, u32 size)
{
	(void)ctx;
	assert_int_equal(msg_id, LIG_API_ID_interface_event);
	assert_int_equal(size, sizeof(last_event));
	memcpy(&last_event, body, size);
	n_events++;
}

static void
test_events(void **state)
{
	(void)state;
	char err[256];
	struct lig_api_client *other = lig_api_connect(ligd.api, err, sizeof(err));
	assert_non_null(other);
	lig_api_set_event_cb(cl, event_cb, NULL);
	assert_int_equal(lig_api_want_events(cl, LIG_API_ID_interface_event, true), 0);
	/* A request is not an event. */
	assert_int_equal(lig_api_want_events(cl, LIG_API_ID_control_ping, true), -EINVAL);

	lig_api_sw_interface_set_mtu_t m = {.sw_if_index = 2, .mtu = 9000};
	lig_api_sw_interface_set_mtu_reply_t mr;
	assert_int_equal(LIG_API_CLIENT_CALL(other, sw_interface_set_mtu, &m, &mr), 0);
	n_events = 0;
	assert_true(lig_api_poll_events(cl, 2000) >= 1);
	assert_int_equal(n_events, 1);
	assert_int_equal(last_event.event, 5 /* mtu */);
	assert_int_equal(last_event.mtu, 9000);
	assert_string_equal(last_event.name, "loop1");
	/* No change, no event. */
	assert_int_equal(LIG_API_CLIENT_CALL(other, sw_interface_set_mtu, &m, &mr), 0);
	assert_int_equal(lig_api_poll_events(cl, 200), 0);
	assert_int_equal(lig_api_want_events(cl, LIG_API_ID_interface_event, false), 0);
	m.mtu = 1500;
	assert_int_equal(LIG_API_CLIENT_CALL(other, sw_interface_set_mtu, &m, &mr), 0);
	assert_int_equal(lig_api_poll_events(cl, 200), 0);
	lig_api_disconnect(other);
}

static int
set_tag(u32 sw_if_index, const char *tag, lig_api_sw_interface_set_tag_reply_t *rep)
{
	lig_api_sw_interface_set_tag_t req = {.sw_if_index = sw_if_index};
	snprintf(req.tag, sizeof(req.tag), "%s", tag);
	return LIG_API_CLIENT_CALL(cl, sw_interface_set_tag, &req, rep);
}

/* Tags: a client's names for interfaces (vpp-agent's logical names), kept and reported. */
static void
test_tags(void **state)
{
	(void)state;
	lig_api_sw_interface_set_tag_reply_t rep;
	u32 loop1 = tif_index(cl, "loop1");
	assert_int_not_equal(loop1, ~0u);
	assert_string_equal(tif_named(cl, "loop0").tag, "");

	/* Set: the dump and the events carry it. */
	assert_int_equal(set_tag(loop1, "my-loop", &rep), 0);
	assert_string_equal(tif(cl, loop1).tag, "my-loop");
	assert_string_equal(tif_named(cl, "loop0").tag, "");
	struct tevents e;
	u32 from = 0;
	tevents_want(cl, &e, LIG_API_ID_interface_event, true);
	lig_api_sw_interface_set_mtu_t m = {.sw_if_index = loop1, .mtu = 1400};
	lig_api_sw_interface_set_mtu_reply_t mr;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, sw_interface_set_mtu, &m, &mr), 0);
	const lig_api_interface_event_t *ev = tif_event_wait(cl, &e, &from, loop1, 5, -1, 2000);
	assert_non_null(ev);
	assert_string_equal(ev->tag, "my-loop");
	tevents_want(cl, &e, LIG_API_ID_interface_event, false);

	/* Replaced, then cleared by an empty tag. */
	char longest[64];
	memset(longest, 'x', 63);
	longest[63] = 0;
	assert_int_equal(set_tag(loop1, longest, &rep), 0);
	assert_string_equal(tif(cl, loop1).tag, longest);
	assert_int_equal(set_tag(loop1, "", &rep), 0);
	assert_string_equal(tif(cl, loop1).tag, "");

	/* Refused with the module's words: no such interface, a space, a control byte. */
	assert_int_equal(set_tag(999, "x", &rep), -ENOENT);
	assert_string_equal(rep.error, "interface 999 does not exist");
	assert_int_equal(set_tag(loop1, "a\"b", &rep), -EINVAL);
	assert_non_null(strstr(rep.error, "interface loop1: a tag is up to 63 characters"));
	assert_int_equal(set_tag(loop1, "a\tb", &rep), -EINVAL);
	assert_int_equal(set_tag(loop1, "a\xc3\xa9", &rep), -EINVAL);
	assert_string_equal(tif(cl, loop1).tag, "");
	/* Not NUL-terminated inside its 64 bytes: the definition refuses it. */
	lig_api_sw_interface_set_tag_t raw = {.sw_if_index = loop1};
	memset(raw.tag, 'y', sizeof(raw.tag));
	assert_int_equal(LIG_API_CLIENT_CALL(cl, sw_interface_set_tag, &raw, &rep), -EINVAL);
	assert_non_null(strstr(rep.error, "field tag"));

	/* The CLI sets and clears it; running-config and a snapshot copy keep it. */
	char out[8192];
	assert_int_equal(tligd_cli(&ligd, out, sizeof(out), "set interface tag loop1 vpp-name"), 0);
	assert_string_equal(tif(cl, loop1).tag, "vpp-name");
	assert_int_equal(tligd_cli(&ligd, out, sizeof(out), "show hardware-interfaces loop1"), 0);
	assert_non_null(strstr(out, "  Tag vpp-name\n"));
	char *rc = tligd_running_config(&ligd);
	assert_non_null(strstr(rc, "set interface tag loop1 vpp-name\n"));
	assert_null(strstr(rc, "set interface tag loop0"));
	free(rc);
	struct tligd b;
	assert_int_equal(tligd_start(&b, "tag", NULL, NULL), 0);
	char *text = tsnapshot_round_trip(&ligd, &b);
	assert_non_null(strstr(text, "\"tag\":\"vpp-name\""));
	free(text);
	assert_string_equal(tif_named(b.c, "loop1").tag, "vpp-name");
	assert_string_equal(tif_named(b.c, "loop0").tag, "");
	assert_int_equal(tligd_stop(&b), 0);
	/* A tag with spaces is written quoted. */
	assert_int_equal(set_tag(loop1, "my loop #1", &rep), 0);
	rc = tligd_running_config(&ligd);
	assert_non_null(strstr(rc, "set interface tag loop1 \"my loop #1\"\n"));
	free(rc);
	assert_int_equal(tligd_cli(&ligd, out, sizeof(out), "set interface tag loop1"), 0);
	assert_string_equal(tif(cl, loop1).tag, "");
	assert_int_equal(tligd_exec(&ligd, "set interface tag loop1 \"a b\"\n"), 0);
	assert_string_equal(tif(cl, loop1).tag, "a b");
	assert_int_equal(tligd_cli(&ligd, out, sizeof(out), "set interface tag loop1"), 0);
	assert_string_equal(tif(cl, loop1).tag, "");
	assert_int_not_equal(tligd_cli(&ligd, out, sizeof(out), "set interface tag nope x"), 0);
}

/* Raw framing: what a broken or foreign client sends. */
static int
raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", ligd.api);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int
raw_call(int fd, u16 id, u32 crc, const void *body, u32 len, struct lig_api_status *st)
{
	struct lig_api_hdr h = {.msg_id = id, .crc = crc, .context = 77, .length = 16 + len};
	u8 buf[4096];
	assert_int_equal(write(fd, &h, sizeof(h)), sizeof(h));
	if (len)
		assert_int_equal(write(fd, body, len), (ssize_t)len);
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n <= 0)
		return -EPIPE;
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.context, 77);
	assert_true(h.flags & (LIG_API_F_REPLY | LIG_API_F_DONE));
	memcpy(st, buf + 16, sizeof(*st));
	return st->retval;
}

static void
test_hostile_framing(void **state)
{
	(void)state;
	int fd = raw_connect();
	struct lig_api_status st;
	const struct lig_api_msg *m = lig_api_msg_by_name("sw_interface_set_flags");
	lig_api_sw_interface_set_flags_t f = {.sw_if_index = 1, .admin_up = 1};

	assert_int_equal(raw_call(fd, 0x7777, 0, NULL, 0, &st), -ENOSYS);
	assert_string_equal(st.error, "unknown message id 0x7777");
	assert_int_equal(raw_call(fd, m->id, lig_api_msg_crc(m) ^ 1, &f, sizeof(f), &st), -EPROTO);
	assert_non_null(strstr(st.error, "message sw_interface_set_flags: version mismatch"));
	/* Short and long bodies. */
	assert_int_equal(raw_call(fd, m->id, lig_api_msg_crc(m), &f, 3, &st), -EINVAL);
	u8 big[64] = {1};
	assert_int_equal(raw_call(fd, m->id, lig_api_msg_crc(m), big, sizeof(big), &st), -EINVAL);
	/* The connection still works. */
	assert_int_equal(raw_call(fd, m->id, lig_api_msg_crc(m), &f, sizeof(f), &st), 0);
	/* A length that cannot be: the connection is dropped, ligd lives on. */
	struct lig_api_hdr h = {.msg_id = m->id, .length = 3};
	assert_int_equal(write(fd, &h, sizeof(h)), sizeof(h));
	u8 b;
	assert_int_equal(read(fd, &b, 1), 0);
	close(fd);
	lig_api_control_ping_t p;
	lig_api_control_ping_reply_t pr;
	assert_int_equal(LIG_API_CLIENT_CALL(cl, control_ping, &p, &pr), 0);
}

static void
test_json(void **state)
{
	(void)state;
	lig_api_sw_interface_set_mac_t m = {.sw_if_index = 3, .mac = {2, 0, 0, 0, 0, 0xaa}};
	char *s = lig_api_to_json(LIG_API_ID_sw_interface_set_mac, 0, &m, sizeof(m));
	assert_non_null(s);
	assert_string_equal(s, "{\"sw_if_index\":3,\"mac\":\"02:00:00:00:00:aa\"}");
	free(s);
}

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A stuck ligd (SIGSTOP) cannot hold a client that set a timeout: the wait for a reply,
 * the send of a request and the connect's table dump each give up after it; the
 * connection is unusable afterwards; once ligd runs again, fresh connections work. */
static void
test_timeout(void **state)
{
	(void)state;
	char err[256];
	struct lig_api_client *a = lig_api_connect(ligd.api, err, sizeof(err));
	struct lig_api_client *b = lig_api_connect(ligd.api, err, sizeof(err));
	assert_non_null(a);
	assert_non_null(b);
	lig_api_set_timeout(a, 200);
	lig_api_set_timeout(b, 200);
	lig_api_control_ping_t p;
	lig_api_control_ping_reply_t pr;
	assert_int_equal(LIG_API_CLIENT_CALL(a, control_ping, &p, &pr), 0);

	/* Everything measured while ligd is stopped; asserted once it runs again (a
	 * stopped ligd would not stop on SIGTERM in the teardown). */
	assert_int_equal(kill(ligd.pid, SIGSTOP), 0);
	long t0 = now_ms();
	int call_rv = LIG_API_CLIENT_CALL(a, control_ping, &p, &pr);
	long call_ms = now_ms() - t0;
	char call_err[300];
	snprintf(call_err, sizeof(call_err), "%s", lig_api_last_error(a));
	int after_rv = LIG_API_CLIENT_CALL(a, control_ping, &p, &pr);
	int poll_rv = lig_api_poll_events(a, 0);
	/* Sends: pipeline pings nobody reads until the socket is full. */
	int64_t send_rv = 0;
	long send_ms = 0;
	for (int i = 0; i < 1000000 && send_rv >= 0; i++) {
		t0 = now_ms();
		send_rv = lig_api_send(b, LIG_API_ID_control_ping, &p, sizeof(p));
		send_ms = now_ms() - t0;
	}
	t0 = now_ms();
	errno = 0;
	struct lig_api_client *c = lig_api_connect_timeout(ligd.api, 200, err, sizeof(err));
	int connect_errno = errno;
	long connect_ms = now_ms() - t0;
	assert_int_equal(kill(ligd.pid, SIGCONT), 0);

	assert_int_equal(call_rv, -ETIMEDOUT);
	assert_true(call_ms >= 190 && call_ms < 2000);
	assert_non_null(strstr(call_err, "ligd did not answer within 200 ms"));
	assert_int_equal(after_rv, -ENOTCONN);
	assert_int_equal(pr.retval, -ENOTCONN);
	assert_int_equal(poll_rv, -ENOTCONN);
	assert_int_equal(send_rv, -ETIMEDOUT);
	assert_true(send_ms >= 190 && send_ms < 2000);
	assert_non_null(strstr(lig_api_last_error(b), "ligd did not take the request within"));
	assert_int_equal(lig_api_recv_reply(b, 1, &pr, sizeof(pr)), -ENOTCONN);
	assert_null(c);
	assert_int_equal(connect_errno, ETIMEDOUT);
	assert_true(connect_ms >= 190 && connect_ms < 2000);
	assert_non_null(strstr(err, "did not answer within 200 ms"));
	lig_api_disconnect(a);
	lig_api_disconnect(b);

	/* ligd runs again: a new connection with a timeout works, and so does the old one
	 * without. */
	c = lig_api_connect_timeout(ligd.api, 2000, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(LIG_API_CLIENT_CALL(c, control_ping, &p, &pr), 0);
	lig_api_disconnect(c);
	assert_int_equal(LIG_API_CLIENT_CALL(cl, control_ping, &p, &pr), 0);
}

/* Queued sends: nothing is written until a wait (or a full queue, or lig_api_flush); the
 * replies come in order; more than the queue holds (64 KiB) is written as it fills; a
 * request that fails comes back with its own error in its place. */
static void
test_send_queued(void **state)
{
	(void)state;
	u32 loop0 = tif_index(cl, "loop0");
	assert_int_not_equal(loop0, ~0u);
	lig_api_control_ping_t p;
	memset(&p, 0, sizeof(p));
	int64_t first = lig_api_send_queued(cl, LIG_API_ID_control_ping, &p, sizeof(p));
	assert_true(first > 0);
	for (int i = 1; i < 5; i++)
		assert_int_equal(lig_api_send_queued(cl, LIG_API_ID_control_ping, &p, sizeof(p)),
				 first + i);
	/* still queued: ligd has not answered anything */
	struct pollfd pf = {.fd = lig_api_fd(cl), .events = POLLIN};
	assert_int_equal(poll(&pf, 1, 100), 0);
	lig_api_control_ping_reply_t pr;
	for (int i = 0; i < 5; i++)
		assert_int_equal(lig_api_recv_reply(cl, (u32)(first + i), &pr, sizeof(pr)), 0);

	/* 1 000 tags of 84 bytes each (more than one queue's worth), the 500th on an interface
	 * that does not exist */
	enum { N = 1000 };
	static int64_t ctx[N];
	for (int i = 0; i < N; i++) {
		lig_api_sw_interface_set_tag_t t = {.sw_if_index = i == 500 ? 999999 : loop0};
		snprintf(t.tag, sizeof(t.tag), "q%04d-%050d", i, 0);
		ctx[i] = lig_api_send_queued(cl, LIG_API_ID_sw_interface_set_tag, &t, sizeof(t));
		assert_true(ctx[i] > 0);
	}
	for (int i = 0; i < N; i++) {
		lig_api_sw_interface_set_tag_reply_t r;
		int rc = lig_api_recv_reply(cl, (u32)ctx[i], &r, sizeof(r));
		if (i == 500)
			assert_true(rc < 0);
		else
			assert_int_equal(rc, 0);
	}
	char want[64];
	snprintf(want, sizeof(want), "q%04d-%050d", N - 1, 0);
	assert_string_equal(tif(cl, loop0).tag, want);

	/* a call after queued requests whose replies were read: written in order */
	lig_api_sw_interface_set_tag_t t = {.sw_if_index = loop0};
	int64_t q = lig_api_send_queued(cl, LIG_API_ID_sw_interface_set_tag, &t, sizeof(t));
	assert_true(q > 0);
	assert_int_equal(lig_api_flush(cl), 0);
	assert_int_equal(lig_api_recv_reply(cl, (u32)q, &pr, sizeof(pr)), 0);
	assert_string_equal(tif(cl, loop0).tag, "");
	assert_int_equal(LIG_API_CLIENT_CALL(cl, control_ping, &p, &pr), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_and_ping), cmocka_unit_test(test_dump_and_set),
	    cmocka_unit_test(test_events),	     cmocka_unit_test(test_tags),
	    cmocka_unit_test(test_hostile_framing),  cmocka_unit_test(test_json),
	    cmocka_unit_test(test_timeout),	     cmocka_unit_test(test_send_queued),
	};
	return cmocka_run_group_tests(tests, start_ligd, tligd_teardown);
}

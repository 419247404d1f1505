/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memif API (src/memif/api.h) against real ligds of this build: memif sockets and
 * interfaces created, changed (rx-mode), deleted and dumped; the handlers' error texts and
 * bad values refused; a secret reported as set, never shown; show running-config; a master
 * on one ligd and a slave on another connect, and memif_event reports the connection and,
 * with the reason, its end when the peer deletes its interface or dies; snapshot round
 * trips (an interface with a secret is refused by name).
 */
#include "api_testlib.h"

#include "loopback/api.h"
#include "memif/api.h"

static struct tligd a, b, c;
static char c_ns[32];	/* c's network namespace */
static char shared[48]; /* a directory both ligds see: the sockets of their connection */

static int
group_setup(void **state)
{
	(void)state;
	snprintf(shared, sizeof(shared), "/tmp/ligapi-memif-XXXXXX");
	if (!mkdtemp(shared))
		return -1;
	return tligd_start(&a, "memif", NULL, NULL);
}

static int
group_teardown(void **state)
{
	(void)state;
	int rv = tligd_stop_all();
	tnetns_del(c_ns);
	tsh("rm -rf '%s'", shared);
	return rv;
}

static int
socket_create(struct tligd *l, u32 id, const char *path, char *error)
{
	lig_api_memif_socket_create_t req = {.socket_id = id};
	lig_api_memif_socket_create_reply_t rep;

	snprintf(req.filename, sizeof(req.filename), "%s", path);
	int rv = LIG_API_CLIENT_CALL(l->c, memif_socket_create, &req, &rep);
	if (error)
		snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static int
socket_delete(struct tligd *l, u32 id, char *error)
{
	lig_api_memif_socket_delete_t req = {.socket_id = id};
	lig_api_memif_socket_delete_reply_t rep;

	int rv = LIG_API_CLIENT_CALL(l->c, memif_socket_delete, &req, &rep);
	if (error)
		snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static int
memif_create(struct tligd *l, const lig_api_memif_create_t *req, u32 *sw, char *error)
{
	lig_api_memif_create_reply_t rep;

	int rv = LIG_API_CLIENT_CALL(l->c, memif_create, req, &rep);
	if (sw)
		*sw = rep.sw_if_index;
	if (error)
		snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static int
memif_delete(struct tligd *l, u32 sw, char *error)
{
	lig_api_memif_delete_t req = {.sw_if_index = sw};
	lig_api_memif_delete_reply_t rep;

	int rv = LIG_API_CLIENT_CALL(l->c, memif_delete, &req, &rep);
	if (error)
		snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static lig_api_memif_dump_details_t
memif_details(struct tligd *l, u32 sw)
{
	static struct tdump t;
	lig_api_memif_dump_t req = {.sw_if_index = sw};
	lig_api_memif_dump_details_t d;

	assert_int_equal(TDUMP(l->c, memif_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.size, sizeof(d));
	memcpy(&d, t.d[0], sizeof(d));
	return d;
}

static char m1_path[96];

static void
test_sockets(void **state)
{
	(void)state;
	static struct tdump t;
	lig_api_memif_socket_dump_t req;
	char err[LIG_API_ERROR_SIZE], want[256];

	/* The default socket is there from the start, beside the CLI socket. */
	assert_int_equal(TDUMP(a.c, memif_socket_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, memif_socket_dump, 0)->socket_id, 0);
	snprintf(want, sizeof(want), "%s/memif.sock", a.dir);
	assert_string_equal(TDETAILS(&t, memif_socket_dump, 0)->filename, want);
	assert_false(TDETAILS(&t, memif_socket_dump, 0)->listening);

	snprintf(m1_path, sizeof(m1_path), "%s/m1.sock", shared);
	assert_int_equal(socket_create(&a, 1, m1_path, err), 0);
	assert_int_equal(socket_create(&a, 2, "@ligapi-test", err), 0);
	assert_int_equal(TDUMP(a.c, memif_socket_dump, &req, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(TDETAILS(&t, memif_socket_dump, 1)->socket_id, 1);
	assert_string_equal(TDETAILS(&t, memif_socket_dump, 1)->filename, m1_path);
	assert_int_equal(TDETAILS(&t, memif_socket_dump, 1)->n_masters, 0);
	assert_string_equal(TDETAILS(&t, memif_socket_dump, 2)->filename, "@ligapi-test");

	assert_int_equal(socket_create(&a, 0, "/tmp/x.sock", err), -EINVAL);
	assert_string_equal(err, "memif socket 0 is the default socket and always exists");
	assert_int_equal(socket_create(&a, 256, "/tmp/x.sock", err), -EINVAL);
	assert_string_equal(err, "memif socket id 256 out of range (1..255)");
	assert_int_equal(socket_create(&a, 3, "x.sock", err), -EINVAL);
	assert_string_equal(err, "memif socket 3: 'x.sock' is neither an absolute path nor "
				 "@abstract");
	assert_int_equal(socket_create(&a, 3, "", err), -EINVAL);
	assert_string_equal(err, "memif socket 3: a filename is needed");
	assert_int_equal(socket_create(&a, 1, "/tmp/y.sock", err), -EEXIST);
	assert_string_equal(err, "memif socket 1 already exists");
	assert_int_equal(socket_create(&a, 3, m1_path, err), -EEXIST);
	snprintf(want, sizeof(want), "memif socket 3: %s is memif socket 1", m1_path);
	assert_string_equal(err, want);

	assert_int_equal(socket_delete(&a, 0, err), -EINVAL);
	assert_string_equal(err, "socket 0 is the default socket and always exists");
	assert_int_equal(socket_delete(&a, 9, err), -ENOENT);
	assert_string_equal(err, "memif socket 9 does not exist");
	assert_int_equal(socket_delete(&a, 2, err), 0);
	assert_int_equal(TDUMP(a.c, memif_socket_dump, &req, &t), 0);
	assert_int_equal(t.n, 2);
}

static u32 m13; /* memif1/3, master, on a */

static void
test_interfaces(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE];
	lig_api_memif_create_t req = {.id = 3,
				      .socket_id = 1,
				      .role = 0,
				      .rx_queues = 2,
				      .tx_queues = 2,
				      .ring_size = 512,
				      .buffer_size = 4096,
				      .hw_addr = {2, 0xfe, 0, 0, 5, 3},
				      .secret = "sesame"};

	assert_int_equal(memif_create(&a, &req, &m13, err), 0);
	lig_api_sw_interface_dump_details_t i = tif(a.c, m13);
	assert_string_equal(i.name, "memif1/3");
	assert_string_equal(i.device_class, "memif");
	assert_memory_equal(i.mac, req.hw_addr, 6);
	lig_api_memif_dump_details_t d = memif_details(&a, m13);
	assert_int_equal(d.sw_if_index, m13);
	assert_int_equal(d.id, 3);
	assert_int_equal(d.socket_id, 1);
	assert_int_equal(d.role, 0);
	assert_int_equal(d.mode, 0);
	assert_int_equal(d.rx_mode, 2 /* adaptive */);
	assert_int_equal(d.rx_queues, 2);
	assert_int_equal(d.tx_queues, 2);
	assert_int_equal(d.ring_size, 512);
	assert_int_equal(d.buffer_size, 4096);
	assert_memory_equal(d.hw_addr, req.hw_addr, 6);
	assert_true(d.secret_set);
	assert_int_equal(d.state, 0 /* down */);
	assert_int_equal(d.connects, 0);

	/* A master makes ligd listen on its socket. */
	static struct tdump t;
	lig_api_memif_socket_dump_t sreq;
	assert_int_equal(TDUMP(a.c, memif_socket_dump, &sreq, &t), 0);
	assert_true(TDETAILS(&t, memif_socket_dump, 1)->listening);
	assert_int_equal(TDETAILS(&t, memif_socket_dump, 1)->n_masters, 1);
	assert_int_equal(access(m1_path, F_OK), 0);

	/* Defaults: 0 means 1 queue, 1024 slots of 2048 bytes; a slave on the default socket. */
	lig_api_memif_create_t dflt = {.id = 9, .role = 1};
	u32 m09;
	assert_int_equal(memif_create(&a, &dflt, &m09, err), 0);
	d = memif_details(&a, m09);
	assert_string_equal(tif(a.c, m09).name, "memif0/9");
	assert_int_equal(d.role, 1);
	assert_int_equal(d.rx_queues, 1);
	assert_int_equal(d.tx_queues, 1);
	assert_int_equal(d.ring_size, 1024);
	assert_int_equal(d.buffer_size, 2048);
	assert_false(d.secret_set);
	/* Nobody listens there: the slave says why it is down. */
	assert_non_null(strstr(d.reason, "connect "));

	/* Errors, each naming the object. */
	lig_api_memif_create_t e = {.id = 3, .socket_id = 1};
	assert_int_equal(memif_create(&a, &e, NULL, err), -EEXIST);
	assert_string_equal(err, "memif id 3 already exists on socket 1");
	e.id = 4;
	e.socket_id = 9;
	assert_int_equal(memif_create(&a, &e, NULL, err), -ENOENT);
	assert_string_equal(err, "memif socket 9 does not exist");
	e.socket_id = 1;
	e.role = 1;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "memif1/4: memif socket 1 serves masters"));
	assert_non_null(strstr(err, "a socket serves masters or slaves, not both"));
	e.role = 2;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: role 2 is neither 0 (master) nor 1 (slave)");
	e.role = 0;
	e.mode = 2;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: mode 2 is neither 0 (ethernet) nor 1 (ip)");
	e.mode = 0;
	e.rx_queues = 17;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: 17 rx and 0 tx queues: each is 1..16");
	e.rx_queues = 0;
	e.ring_size = 1000;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: ring size 1000 is not a power of 2 in 2..16384");
	e.ring_size = 32768;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	e.ring_size = 0;
	e.buffer_size = 100;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: buffer size 100 out of range (128..65536)");
	e.buffer_size = 0;
	snprintf(e.secret, sizeof(e.secret), "0123456789012345678901234");
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: a secret has at most 24 characters");
	memset(e.secret, 'x', sizeof(e.secret)); /* no NUL: refused by the definition */
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "field secret"));
	memset(e.secret, 0, sizeof(e.secret));
	e.hw_addr[0] = 1;
	assert_int_equal(memif_create(&a, &e, NULL, err), -EINVAL);
	assert_string_equal(err, "memif1/4: a multicast MAC cannot be its address");

	assert_int_equal(socket_delete(&a, 1, err), -EBUSY);
	assert_string_equal(err, "socket 1 is used by memif interfaces (1); delete them first");

	/* rx-mode: the update of a memif interface. */
	lig_api_memif_set_rx_mode_t rm = {.sw_if_index = m13, .rx_mode = 0};
	lig_api_memif_set_rx_mode_reply_t rmr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_set_rx_mode, &rm, &rmr), 0);
	assert_int_equal(memif_details(&a, m13).rx_mode, 0);
	rm.rx_mode = 3;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_set_rx_mode, &rm, &rmr), -EINVAL);
	assert_string_equal(rmr.error, "memif1/3: rx-mode 3 is not 0 (polling), 1 (interrupt) or 2 "
				       "(adaptive)");
	lig_api_loopback_create_t lc = {0};
	lig_api_loopback_create_reply_t lcr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &lc, &lcr), 0);
	rm.sw_if_index = lcr.sw_if_index;
	rm.rx_mode = 1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_set_rx_mode, &rm, &rmr), -EINVAL);
	assert_string_equal(rmr.error, "loop0: rx-mode is only supported on memif interfaces");
	assert_int_equal(memif_delete(&a, lcr.sw_if_index, err), -EINVAL);
	assert_string_equal(err, "loop0 is not a memif interface");
	assert_int_equal(memif_delete(&a, 999, err), -ENOENT);
	assert_string_equal(err, "interface 999 does not exist");
	lig_api_memif_dump_t dl = {.sw_if_index = lcr.sw_if_index};
	assert_int_equal(TDUMP(a.c, memif_dump, &dl, &t), -EINVAL);
	lig_api_loopback_delete_t ld = {.sw_if_index = lcr.sw_if_index};
	lig_api_loopback_delete_reply_t ldr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &ld, &ldr), 0);

	assert_int_equal(memif_delete(&a, m09, err), 0);
	lig_api_memif_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, memif_dump, &all, &t), 0);
	assert_int_equal(t.n, 1);
}

static const char *const memif_lines[] = {"create memif socket", "create interface memif",
					  "set interface rx-mode", NULL};

static void
test_cli_running_config(void **state)
{
	(void)state;
	char out[8192], lines[4096], want[1024];

	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	assert_null(strstr(out, "sesame"));
	tlines(out, memif_lines, lines, sizeof(lines));
	snprintf(want, sizeof(want),
		 "create memif socket id 1 filename %s\n"
		 "create interface memif id 3 socket-id 1 master mode ethernet rx-queues 2 "
		 "tx-queues 2 ring-size 512 buffer-size 4096 hw-addr 02:fe:00:00:05:03 # and a "
		 "secret, which is never shown\n"
		 "set interface rx-mode memif1/3 polling\n",
		 m1_path);
	assert_string_equal(lines, want);

	/* show memif renders the dumps. */
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show memif memif1/3"), 0);
	snprintf(want, sizeof(want),
		 "memif1/3: sw_if_index %u id 3 socket-id 1 (%s)\n"
		 "  role master mode ethernet rx-mode polling secret yes\n"
		 "  state down peer '' peer-interface ''\n"
		 "  last disconnect reason: none\n"
		 "  connects 0 disconnects 0 peer-errors 0 bad-descriptors 0 tx-ring-full 0 "
		 "rx-no-buffer 0 rx-too-long 0\n"
		 "  configured: rx-queues 2 tx-queues 2 ring-size 512 buffer-size 4096\n",
		 m13, m1_path);
	assert_string_equal(out, want);
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show memif"), 0);
	snprintf(want, sizeof(want), "socket 1: %s (listening) masters 1 slaves 0\n", m1_path);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "socket 0: "));

	/* CLI errors are the handlers' words, named by the command. */
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "create interface memif id 3 socket-id 1 master"), 0);
	assert_string_equal(out, "create interface memif: memif id 3 already exists on socket 1\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "delete memif socket id 1"), 0);
	assert_string_equal(out, "delete memif socket: socket 1 is used by memif interfaces (1); "
				 "delete them first\n");
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "create memif socket id 0 filename /x"), 0);
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "create memif socket id 4 filename @lt4"),
			 0);
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "delete memif socket id 4"), 0);
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "set interface rx-mode memif1/3 adaptive"),
			 0);
	assert_int_equal(memif_details(&a, m13).rx_mode, 2);
}

/* ---- connection events ---- */

struct tmemif_event {
	u32 sw_if_index;
	int connected;
};

static bool
memif_event_match(const void *body, const void *arg)
{
	const lig_api_memif_event_t *e = body;
	const struct tmemif_event *w = arg;

	return e->sw_if_index == w->sw_if_index && e->connected == w->connected;
}

static struct tevents ea, eb;
static u32 ea_from, eb_from;

static const lig_api_memif_event_t *
wait_memif(struct tligd *l, struct tevents *e, u32 *from, u32 sw, int connected)
{
	struct tmemif_event w = {.sw_if_index = sw, .connected = connected};

	return tevents_wait(l->c, e, from, LIG_API_ID_memif_event, memif_event_match, &w, 5000);
}

static void
test_connect_events(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE];
	const lig_api_memif_event_t *ev;
	u32 s13;

	assert_int_equal(tligd_start(&b, "memif", NULL, NULL), 0);
	tevents_want(a.c, &ea, LIG_API_ID_memif_event, true);
	tevents_want(a.c, &ea, LIG_API_ID_interface_event, true);
	tevents_want(b.c, &eb, LIG_API_ID_memif_event, true);

	/* b's slave memif1/3 connects to a's master through the shared socket. */
	assert_int_equal(socket_create(&b, 1, m1_path, err), 0);
	lig_api_memif_create_t s = {.id = 3, .socket_id = 1, .role = 1, .secret = "sesame"};
	assert_int_equal(memif_create(&b, &s, &s13, err), 0);
	ev = wait_memif(&a, &ea, &ea_from, m13, 1);
	assert_non_null(ev);
	assert_string_equal(ev->name, "memif1/3");
	assert_string_equal(ev->peer_name, "ligd");
	assert_string_equal(ev->reason, "");
	assert_non_null(wait_memif(&b, &eb, &eb_from, s13, 1));
	u32 from = 0;
	assert_non_null(tif_event_wait(a.c, &ea, &from, m13, 3 /* link */, 1, 2000));
	lig_api_memif_dump_details_t d = memif_details(&a, m13);
	assert_int_equal(d.state, 2 /* connected */);
	assert_string_equal(d.peer_name, "ligd");
	assert_string_equal(d.peer_if_name, "memif1/3");
	assert_int_equal(d.connects, 1);
	assert_true(tif(a.c, m13).link_up);

	/* The peer deletes its interface: a hears why. */
	assert_int_equal(memif_delete(&b, s13, err), 0);
	ev = wait_memif(&a, &ea, &ea_from, m13, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer disconnected: interface deleted");
	assert_false(ev->peer_fault);
	ev = wait_memif(&b, &eb, &eb_from, s13, 0);
	assert_non_null(ev);
	assert_string_equal(ev->name, "memif1/3");
	assert_string_equal(ev->reason, "interface deleted");
	d = memif_details(&a, m13);
	assert_int_equal(d.state, 0);
	assert_string_equal(d.reason, "peer disconnected: interface deleted");
	assert_int_equal(d.disconnects, 1);
	assert_non_null(tif_event_wait(a.c, &ea, &from, m13, 3, 0, 2000));

	/* A peer with the wrong secret never connects; the reason says so. */
	lig_api_memif_create_t bad = {.id = 3, .socket_id = 1, .role = 1, .secret = "wrong"};
	assert_int_equal(memif_create(&b, &bad, &s13, err), 0);
	usleep(500000);
	assert_null(tevents_wait(a.c, &ea, &ea_from, LIG_API_ID_memif_event, memif_event_match,
				 &(struct tmemif_event){.sw_if_index = m13, .connected = 1}, 300));
	assert_non_null(strstr(memif_details(&a, m13).reason, "secret"));
	assert_int_equal(memif_delete(&b, s13, err), 0);

	/* Connected again, then the peer dies without a word. */
	assert_int_equal(memif_create(&b, &s, &s13, err), 0);
	assert_non_null(wait_memif(&a, &ea, &ea_from, m13, 1));
	tligd_kill(&b);
	ev = wait_memif(&a, &ea, &ea_from, m13, 0);
	assert_non_null(ev);
	assert_string_equal(ev->reason, "peer closed the control socket");
	d = memif_details(&a, m13);
	assert_int_equal(d.connects, 2);
	assert_int_equal(d.disconnects, 2);

	tevents_want(a.c, &ea, LIG_API_ID_memif_event, false);
	tevents_want(a.c, &ea, LIG_API_ID_interface_event, false);
}

/* ---- snapshots ---- */

static void
test_snapshot(void **state)
{
	(void)state;
	char err[512], out[8192], la[4096], lc[4096], abs_name[64], slave_path[96];
	u32 sw, secret_sw;

	/* a: a master on an abstract socket, a slave on a socket nobody serves, a master on
	 * the default socket with another rx-mode; the connection objects go. */
	assert_int_equal(memif_delete(&a, m13, err), 0);
	assert_int_equal(socket_delete(&a, 1, err), 0);
	snprintf(abs_name, sizeof(abs_name), "@ligapi-memif-%d", (int)getpid());
	snprintf(slave_path, sizeof(slave_path), "%s/nobody.sock", shared);
	assert_int_equal(socket_create(&a, 2, abs_name, err), 0);
	assert_int_equal(socket_create(&a, 3, slave_path, err), 0);
	lig_api_memif_create_t m0 = {.id = 0, .socket_id = 2, .hw_addr = {2, 0xfe, 0, 0, 5, 0x20}};
	assert_int_equal(memif_create(&a, &m0, &sw, err), 0);
	lig_api_memif_create_t s1 = {.id = 1,
				     .socket_id = 3,
				     .role = 1,
				     .mode = 1,
				     .rx_queues = 2,
				     .tx_queues = 3,
				     .ring_size = 256,
				     .buffer_size = 1024};
	assert_int_equal(memif_create(&a, &s1, &sw, err), 0);
	lig_api_memif_create_t m5 = {.id = 5};
	assert_int_equal(memif_create(&a, &m5, &sw, err), 0);
	lig_api_memif_set_rx_mode_t rm = {.sw_if_index = sw, .rx_mode = 1};
	lig_api_memif_set_rx_mode_reply_t rmr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_set_rx_mode, &rm, &rmr), 0);
	lig_api_memif_create_t sec = {.id = 6, .secret = "hidden"};
	assert_int_equal(memif_create(&a, &sec, &secret_sw, err), 0);

	/* c runs in a network namespace of its own: abstract sockets are per namespace. */
	assert_int_equal(tnetns_add(c_ns, sizeof(c_ns), "mf"), 0);
	assert_int_equal(tligd_start(&c, "memif", c_ns, NULL), 0);
	int rv = lig_snapshot_copy(a.c, c.c, err, sizeof(err));
	assert_int_equal(rv, -EPERM);
	assert_string_equal(err, "memif: memif0/6 has a secret, which no dump reveals: it cannot "
				 "be copied");
	assert_int_equal(tligd_stop(&c), 0);

	assert_int_equal(memif_delete(&a, secret_sw, err), 0);
	assert_int_equal(tligd_start(&c, "memif", c_ns, NULL), 0);
	char *text = tsnapshot_round_trip(&a, &c);
	assert_non_null(strstr(text, "memif_socket {\"socket_id\":2"));
	assert_null(strstr(text, "memif_socket {\"socket_id\":0")); /* each ligd's own */
	assert_non_null(strstr(text, "\"name\":\"memif3/1\""));	    /* the interface step */
	assert_null(strstr(text, "\"state\""));			    /* state is left out */
	free(text);
	lig_api_memif_dump_details_t d = memif_details(&c, tif_named(c.c, "memif3/1").sw_if_index);
	assert_int_equal(d.mode, 1);
	assert_int_equal(d.ring_size, 256);
	assert_int_equal(d.tx_queues, 3);
	assert_int_equal(memif_details(&c, tif_named(c.c, "memif0/5").sw_if_index).rx_mode, 1);

	/* Their running-configs agree too. */
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	tlines(out, memif_lines, la, sizeof(la));
	assert_int_equal(tligd_cli(&c, out, sizeof(out), "show running-config"), 0);
	tlines(out, memif_lines, lc, sizeof(lc));
	assert_string_equal(la, lc);
	assert_non_null(strstr(la, "set interface rx-mode memif0/5 interrupt\n"));
	assert_int_equal(tligd_stop(&c), 0);
	tnetns_del(c_ns);
	c_ns[0] = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sockets),
	    cmocka_unit_test(test_interfaces),
	    cmocka_unit_test(test_cli_running_config),
	    cmocka_unit_test(test_connect_events),
	    cmocka_unit_test(test_snapshot),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

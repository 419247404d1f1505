/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vxlan API (src/vxlan/api.h) against real ligds of this build (started here, stopped
 * by PID): tunnels created (one in another VRF), dumped, refused with the handlers'
 * words and deleted; a tunnel holds its encap table; the CLI goes through the handlers;
 * show running-config renders tables before tunnels; head-end replication (two tunnels
 * in one bridge domain) survives a snapshot copy and a running-config replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interface/api.h"
#include "ip4/api.h"
#include "l2/api.h"
#include "vxlan/api.h"
#include "ligapi.h"
#include "ligapi_snapshot.h"
#include "vlib/api.h"

/* The underlay: loop0 in table 0, loop1 in table 3, each with an address and a peer. */
static const char init_script[] = "loopback create mac 02:fe:00:00:08:01\n"
				  "loopback create mac 02:fe:00:00:08:02\n"
				  "set interface state loop0 up\n"
				  "set interface state loop1 up\n"
				  "set interface ip address loop0 192.168.8.1/24\n";

struct ligd {
	char dir[32], cli[64], api[64], script[64];
	pid_t pid;
	struct lig_api_client *c;
};

static struct ligd a;	 /* the group's ligd */
static struct ligd b, c; /* the round trips' fresh ones, stopped after each test */
static u32 loop0, loop1;

static int
ligd_start(struct ligd *l, const char *script)
{
	char err[256] = "";

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	snprintf(l->dir, sizeof(l->dir), "/tmp/ligapi-vxlan-XXXXXX");
	if (!mkdtemp(l->dir))
		return -1;
	snprintf(l->cli, sizeof(l->cli), "%s/cli.sock", l->dir);
	snprintf(l->api, sizeof(l->api), "%s/api.sock", l->dir);
	snprintf(l->script, sizeof(l->script), "%s/init.cli", l->dir);
	FILE *f = fopen(l->script, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	l->pid = fork();
	if (l->pid == 0) {
		/* Its output to a log of its own: a pipe the test writes to stays ours. */
		char log[64];
		snprintf(log, sizeof(log), "%s/ligd.log", l->dir);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execl(LIG_BIN_DIR "/ligd", "ligd", "-s", l->cli, "-e", l->script, "-l", "warn",
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		if (access(l->api, F_OK) == 0 && (l->c = lig_api_connect(l->api, err, sizeof(err))))
			return 0;
		usleep(50000);
	}
	fprintf(stderr, "ligd did not come up: %s\n", err);
	return -1;
}

static int
ligd_stop(struct ligd *l)
{
	int st = 0, rv = 0;

	if (l->pid <= 0)
		return 0;

	lig_api_disconnect(l->c);
	l->c = NULL;
	if (l->pid > 0) {
		kill(l->pid, SIGTERM);
		waitpid(l->pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "ligd exited badly: 0x%x\n", st);
			rv = -1;
		}
	}
	l->pid = -1;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", l->dir);
	if (system(cmd) != 0)
		rv = -1;
	return rv;
}

/* Runs one CLI command through ligctl; returns its output (malloc'd). */
static char *
cli(const struct ligd *l, const char *cmd)
{
	char full[2048];
	size_t n = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	snprintf(full, sizeof(full), "'%s/ligctl' -s '%s' %s 2>&1", LIG_BIN_DIR, l->cli, cmd);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	for (;;) {
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		size_t r = fread(out + n, 1, cap - 1 - n, p);
		if (r == 0)
			break;
		n += r;
	}
	out[n] = 0;
	pclose(p);
	return out;
}

static u32
ip(const char *s)
{
	u32 a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static bool
if_index_cb(void *ctx, const void *details, u32 size)
{
	lig_api_sw_interface_dump_details_t d;

	assert_int_equal(size, sizeof(d));
	memcpy(&d, details, sizeof(d));
	*(u32 *)ctx = d.sw_if_index;
	return true;
}

/* The sw_if_index of an interface by name, ~0 if none. */
static u32
if_index(struct lig_api_client *c, const char *name)
{
	lig_api_sw_interface_dump_t req = {0};
	u32 sw = ~0u;

	snprintf(req.name, sizeof(req.name), "%s", name);
	assert_int_equal(LIG_API_CLIENT_DUMP(c, sw_interface_dump, &req, if_index_cb, &sw), 0);
	return sw;
}

/* Every details of a dump, copied. */
#define DUMP_MAX 64
struct dump {
	u32 n;
	u32 size[DUMP_MAX];
	u8 d[DUMP_MAX][512];
};

static bool
dump_cb(void *ctx, const void *details, u32 size)
{
	struct dump *t = ctx;
	assert_true(size <= sizeof(t->d[0]));
	if (t->n < DUMP_MAX) {
		memcpy(t->d[t->n], details, size);
		t->size[t->n] = size;
	}
	t->n++;
	return true;
}

#define DUMP(cl, name, req, t)                                                                     \
	(memset((t), 0, sizeof(*(t))), LIG_API_CLIENT_DUMP((cl), name, (req), dump_cb, (t)))
#define DETAILS(t, name, i) ((const lig_api_##name##_details_t *)(t)->d[i])

static int
group_setup(void **state)
{
	(void)state;
	if (ligd_start(&a, init_script) < 0)
		return -1;
	loop0 = if_index(a.c, "loop0");
	loop1 = if_index(a.c, "loop1");
	return loop0 == ~0u || loop1 == ~0u ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	return ligd_stop(&a);
}

/* After each test, passed or failed: no ligd of a round trip outlives it. */
static int
test_teardown(void **state)
{
	(void)state;
	return ligd_stop(&b) | ligd_stop(&c);
}

static int
tunnel(struct lig_api_client *c, bool is_add, const char *src, const char *dst, u32 vni,
       u32 table_id, u32 instance, lig_api_vxlan_add_del_tunnel_reply_t *rep)
{
	lig_api_vxlan_add_del_tunnel_t req = {.is_add = is_add,
					      .src = ip(src),
					      .dst = ip(dst),
					      .vni = vni,
					      .encap_table_id = table_id,
					      .instance = instance};
	return LIG_API_CLIENT_CALL(c, vxlan_add_del_tunnel, &req, rep);
}

static int
table(struct lig_api_client *c, u32 id, bool is_add, char *err)
{
	lig_api_ip_table_add_del_t req = {.table_id = id, .is_add = is_add};
	lig_api_ip_table_add_del_reply_t rep;
	int rv = LIG_API_CLIENT_CALL(c, ip_table_add_del, &req, &rep);
	if (err)
		strcpy(err, rep.error);
	return rv;
}

static u32 tun0, tun5;

static void
test_create_dump(void **state)
{
	lig_api_vxlan_add_del_tunnel_reply_t rep;
	struct dump t;
	(void)state;

	/* The second underlay is in VRF 3. */
	assert_int_equal(table(a.c, 3, true, NULL), 0);
	lig_api_sw_interface_set_table_t st = {.sw_if_index = loop1, .table_id = 3};
	lig_api_sw_interface_set_table_reply_t str;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_table, &st, &str), 0);
	lig_api_sw_interface_add_del_address_t ad = {
	    .sw_if_index = loop1, .address = ip("192.168.9.1"), .len = 24, .is_add = 1};
	lig_api_sw_interface_add_del_address_reply_t adr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_add_del_address, &ad, &adr), 0);

	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.2", 77, 0, ~0u, &rep), 0);
	tun0 = rep.sw_if_index;
	assert_int_equal(tunnel(a.c, true, "192.168.9.1", "192.168.9.2", 77, 3, 5, &rep), 0);
	tun5 = rep.sw_if_index;
	assert_int_not_equal(tun0, tun5);
	assert_int_equal(if_index(a.c, "vxlan_tunnel0"), tun0);
	assert_int_equal(if_index(a.c, "vxlan_tunnel5"), tun5);

	/* A tunnel is an interface, created admin up. */
	lig_api_sw_interface_dump_t ireq = {.sw_if_index = tun5};
	assert_int_equal(DUMP(a.c, sw_interface_dump, &ireq, &t), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(DETAILS(&t, sw_interface_dump, 0)->device_class, "vxlan");
	assert_true(DETAILS(&t, sw_interface_dump, 0)->admin_up);

	lig_api_vxlan_tunnel_dump_t req = {0};
	assert_int_equal(DUMP(a.c, vxlan_tunnel_dump, &req, &t), 0);
	assert_int_equal(t.n, 2);
	const lig_api_vxlan_tunnel_dump_details_t *d = DETAILS(&t, vxlan_tunnel_dump, 1);
	assert_int_equal(d->sw_if_index, tun5);
	assert_int_equal(d->instance, 5);
	assert_int_equal(d->src, ip("192.168.9.1"));
	assert_int_equal(d->dst, ip("192.168.9.2"));
	assert_int_equal(d->vni, 77);
	assert_int_equal(d->encap_table_id, 3);
	assert_int_equal(d->decap_next, 0);
	req.sw_if_index = tun0;
	assert_int_equal(DUMP(a.c, vxlan_tunnel_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(DETAILS(&t, vxlan_tunnel_dump, 0)->instance, 0);
	assert_int_equal(DETAILS(&t, vxlan_tunnel_dump, 0)->encap_table_id, 0);
	req.sw_if_index = loop0;
	assert_int_equal(DUMP(a.c, vxlan_tunnel_dump, &req, &t), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "interface loop0 is not a VXLAN tunnel");
	req.sw_if_index = 999;
	assert_int_equal(DUMP(a.c, vxlan_tunnel_dump, &req, &t), -ENOENT);

	/* show vxlan tunnel renders the dump as it always has. */
	char *out = cli(&a, "show vxlan tunnel");
	char line[256];
	snprintf(line, sizeof(line),
		 "[5] instance 5 src 192.168.9.1 dst 192.168.9.2 src_port 0 dst_port 4789 vni 77 "
		 "fib-idx 1 sw-if-idx %u vxlan_tunnel5 decap-next l2\n",
		 tun5);
	assert_non_null(strstr(out, line));
	free(out);
}

static void
test_errors(void **state)
{
	lig_api_vxlan_add_del_tunnel_reply_t rep;
	char err[LIG_API_ERROR_SIZE];
	(void)state;

	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.2", 77, 0, ~0u, &rep),
			 -EEXIST);
	assert_string_equal(rep.error,
			    "tunnel already exists: vxlan_tunnel0 goes to 192.168.8.2 with vni 77");
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.3", 77, 0, 5, &rep), -EEXIST);
	assert_string_equal(rep.error, "instance 5 is in use (vxlan_tunnel5)");
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.3", 1u << 24, 0, ~0u, &rep),
			 -EINVAL);
	assert_string_equal(rep.error, "VNI 16777216 out of range (0..16777215)");
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.1", 7, 0, ~0u, &rep), -EINVAL);
	assert_string_equal(rep.error, "src and dst must differ and be unicast (src 192.168.8.1, "
				       "dst 192.168.8.1)");
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "239.1.1.1", 7, 0, ~0u, &rep), -EINVAL);
	assert_int_equal(tunnel(a.c, true, "0.0.0.0", "192.168.8.3", 7, 0, ~0u, &rep), -EINVAL);
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.3", 7, 0, 4096, &rep),
			 -EINVAL);
	assert_string_equal(rep.error, "instance 4096 out of range (0..4095)");
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.3", 7, 9, ~0u, &rep), -ENOENT);
	assert_string_equal(rep.error, "no table 9 (ip table add 9)");
	lig_api_vxlan_add_del_tunnel_t dn = {.is_add = 1,
					     .src = ip("192.168.8.1"),
					     .dst = ip("192.168.8.3"),
					     .vni = 7,
					     .decap_next = 1,
					     .instance = ~0u};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, vxlan_add_del_tunnel, &dn, &rep), -EINVAL);
	assert_string_equal(rep.error, "unknown decap-next 1 (0: l2)");
	assert_int_equal(tunnel(a.c, false, "192.168.8.1", "192.168.8.3", 7, 0, ~0u, &rep),
			 -ENOENT);
	assert_string_equal(rep.error, "no such tunnel: src 192.168.8.1 dst 192.168.8.3 vni 7");

	/* An encap table is held by its tunnel. */
	assert_int_equal(table(a.c, 4, true, NULL), 0);
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.4", 8, 4, ~0u, &rep), 0);
	u32 sw = rep.sw_if_index;
	assert_int_equal(table(a.c, 4, false, err), -EBUSY);
	assert_string_equal(err, "table 4 is in use by 1 tunnel encapsulating in it; delete it "
				 "first");
	assert_int_equal(table(a.c, 3, false, err), -EBUSY);
	assert_string_equal(err, "table 3 is in use by 1 interface with addresses and 1 tunnel; "
				 "remove them first");
	assert_int_equal(tunnel(a.c, false, "192.168.8.1", "192.168.8.4", 8, 0, ~0u, &rep), 0);
	assert_int_equal(rep.sw_if_index, sw);
	assert_int_equal(if_index(a.c, "vxlan_tunnel1"), ~0u);
	assert_int_equal(table(a.c, 4, false, err), 0);

	/* The CLI: the handler's words, the tunnel's name on success. */
	char *out = cli(&a, "create vxlan tunnel src 192.168.8.1 dst 192.168.8.2 vni 77");
	assert_string_equal(out,
			    "create vxlan tunnel: tunnel already exists: vxlan_tunnel0 goes to "
			    "192.168.8.2 with vni 77\n");
	free(out);
	out = cli(&a, "create vxlan tunnel src 192.168.8.1 dst 192.168.8.6 vni 6 instance 9");
	assert_string_equal(out, "vxlan_tunnel9\n");
	free(out);
	out = cli(&a, "create vxlan tunnel src 192.168.8.1 dst 192.168.8.6 vni 6 del");
	assert_string_equal(out, "");
	free(out);
	out = cli(&a, "create vxlan tunnel src 192.168.8.1 vni 6");
	assert_string_equal(out, "create vxlan tunnel: src, dst and vni are required\n");
	free(out);
}

/* Head-end replication as configured today: one bridge domain with both tunnels (and a
 * local port); the round trips carry the membership along. */
static void
test_running_config_and_round_trips(void **state)
{
	char err[512] = "";
	(void)state;

	char *out = cli(&a, "create bridge-domain 20 learn 1 forward 1 uu-flood 1 flood 1 "
			    "arp-term 0");
	free(out);
	out = cli(&a, "set interface l2 bridge vxlan_tunnel0 20");
	free(out);
	out = cli(&a, "set interface l2 bridge vxlan_tunnel5 20");
	free(out);
	out = cli(&a, "set interface state vxlan_tunnel5 down");
	free(out);

	char *rc = cli(&a, "show running-config");
	const char *t3 = strstr(rc, "ip table add 3\n");
	const char *v0 =
	    strstr(rc, "create vxlan tunnel src 192.168.8.1 dst 192.168.8.2 vni 77 instance 0\n");
	const char *v5 = strstr(rc, "create vxlan tunnel src 192.168.9.1 dst 192.168.9.2 vni 77 "
				    "encap-vrf-id 3 instance 5\n");
	const char *br = strstr(rc, "set interface l2 bridge vxlan_tunnel5 20");
	if (!t3 || !v0 || !v5 || !br)
		fprintf(stderr, "running-config:\n%s", rc);
	assert_non_null(t3);
	assert_non_null(v0);
	assert_non_null(v5);
	assert_non_null(br);
	assert_true(t3 < v5); /* the encap table exists when the tunnel is created */
	assert_true(v5 < br);

	/* Snapshot copy onto a fresh ligd: the same canonical text. */
	assert_int_equal(ligd_start(&b, ""), 0);
	int rv = lig_snapshot_copy(a.c, b.c, err, sizeof(err));
	if (rv < 0)
		fprintf(stderr, "snapshot copy: %s\n", err);
	assert_int_equal(rv, 0);
	char *ta = lig_snapshot_text(a.c, err, sizeof(err));
	char *tb = lig_snapshot_text(b.c, err, sizeof(err));
	assert_non_null(ta);
	assert_non_null(tb);
	if (strcmp(ta, tb) != 0)
		fprintf(stderr, "A:\n%s\nB (snapshot copy):\n%s\n", ta, tb);
	assert_string_equal(ta, tb);
	assert_non_null(strstr(ta, "vxlan {\"sw_if_index\":\"vxlan_tunnel5\",\"instance\":5,"
				   "\"src\":\"192.168.9.1\",\"dst\":\"192.168.9.2\",\"vni\":77,"
				   "\"encap_table_id\":3,\"decap_next\":0}"));
	free(tb);
	assert_int_equal(ligd_stop(&b), 0);

	/* The running-config replayed onto another fresh ligd: the same text again. */
	assert_int_equal(ligd_start(&c, rc), 0);
	tb = lig_snapshot_text(c.c, err, sizeof(err));
	assert_non_null(tb);
	if (strcmp(ta, tb) != 0)
		fprintf(stderr, "running-config:\n%s\nA:\n%s\nC:\n%s\n", rc, ta, tb);
	assert_string_equal(ta, tb);
	free(tb);
	assert_int_equal(ligd_stop(&c), 0);
	free(ta);
	free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_dump),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test_teardown(test_running_config_and_round_trips, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vxlan API (src/vxlan/api.h) against real ligds of this build (started here, stopped
 * by PID): tunnels created (one in another VRF), dumped, refused with the handlers'
 * words and deleted; a tunnel holds its encap table; the CLI goes through the handlers;
 * show running-config renders tables before tunnels; head-end replication (two tunnels
 * in one bridge domain) survives a snapshot copy and a running-config replay.
 */
#include "api_testlib.h"

#include "ip4/api.h"
#include "l2/api.h"
#include "vxlan/api.h"
#include "vlib/api.h"

/* The underlay: loop0 in table 0, loop1 in table 3, each with an address and a peer. */
static const char init_script[] = "loopback create mac 02:fe:00:00:08:01\n"
				  "loopback create mac 02:fe:00:00:08:02\n"
				  "set interface state loop0 up\n"
				  "set interface state loop1 up\n"
				  "set interface ip address loop0 192.168.8.1/24\n";

static struct tligd a;	  /* the group's ligd */
static struct tligd b, c; /* the round trips' fresh ones, stopped after each test */
static u32 loop0, loop1;

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start_ifs(&a, "vxlan", NULL, init_script, "loop0", &loop0, "loop1", &loop1,
			       NULL);
}

/* After each test, passed or failed: no ligd of a round trip outlives it. */
static int
test_teardown(void **state)
{
	(void)state;
	return tligd_stop(&b) | tligd_stop(&c);
}

static int
tunnel(struct lig_api_client *c, bool is_add, const char *src, const char *dst, u32 vni,
       u32 table_id, u32 instance, lig_api_vxlan_add_del_tunnel_reply_t *rep)
{
	lig_api_vxlan_add_del_tunnel_t req = {.is_add = is_add,
					      .src = tip4(src),
					      .dst = tip4(dst),
					      .vni = vni,
					      .encap_table_id = table_id,
					      .instance = instance};
	return LIG_API_CLIENT_CALL(c, vxlan_add_del_tunnel, &req, rep);
}

static u32 tun0, tun5;

static void
test_create_dump(void **state)
{
	lig_api_vxlan_add_del_tunnel_reply_t rep;
	struct tdump t;
	(void)state;

	/* The second underlay is in VRF 3. */
	assert_int_equal(tip_table(a.c, 3, true, NULL), 0);
	lig_api_sw_interface_set_table_t st = {.sw_if_index = loop1, .table_id = 3};
	lig_api_sw_interface_set_table_reply_t str;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_table, &st, &str), 0);
	lig_api_sw_interface_add_del_address_t ad = {
	    .sw_if_index = loop1, .address = tip4("192.168.9.1"), .len = 24, .is_add = 1};
	lig_api_sw_interface_add_del_address_reply_t adr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_add_del_address, &ad, &adr), 0);

	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.2", 77, 0, ~0u, &rep), 0);
	tun0 = rep.sw_if_index;
	assert_int_equal(tunnel(a.c, true, "192.168.9.1", "192.168.9.2", 77, 3, 5, &rep), 0);
	tun5 = rep.sw_if_index;
	assert_int_not_equal(tun0, tun5);
	assert_int_equal(tif_index(a.c, "vxlan_tunnel0"), tun0);
	assert_int_equal(tif_index(a.c, "vxlan_tunnel5"), tun5);

	/* A tunnel is an interface, created admin up. */
	lig_api_sw_interface_dump_t ireq = {.sw_if_index = tun5};
	assert_int_equal(TDUMP(a.c, sw_interface_dump, &ireq, &t), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(TDETAILS(&t, sw_interface_dump, 0)->device_class, "vxlan");
	assert_true(TDETAILS(&t, sw_interface_dump, 0)->admin_up);

	lig_api_vxlan_tunnel_dump_t req = {0};
	assert_int_equal(TDUMP(a.c, vxlan_tunnel_dump, &req, &t), 0);
	assert_int_equal(t.n, 2);
	const lig_api_vxlan_tunnel_dump_details_t *d = TDETAILS(&t, vxlan_tunnel_dump, 1);
	assert_int_equal(d->sw_if_index, tun5);
	assert_int_equal(d->instance, 5);
	assert_int_equal(d->src, tip4("192.168.9.1"));
	assert_int_equal(d->dst, tip4("192.168.9.2"));
	assert_int_equal(d->vni, 77);
	assert_int_equal(d->encap_table_id, 3);
	assert_int_equal(d->decap_next, 0);
	req.sw_if_index = tun0;
	assert_int_equal(TDUMP(a.c, vxlan_tunnel_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, vxlan_tunnel_dump, 0)->instance, 0);
	assert_int_equal(TDETAILS(&t, vxlan_tunnel_dump, 0)->encap_table_id, 0);
	req.sw_if_index = loop0;
	assert_int_equal(TDUMP(a.c, vxlan_tunnel_dump, &req, &t), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "interface loop0 is not a VXLAN tunnel");
	req.sw_if_index = 999;
	assert_int_equal(TDUMP(a.c, vxlan_tunnel_dump, &req, &t), -ENOENT);

	/* show vxlan tunnel renders the dump as it always has. */
	char *out = tligd_cli_dup(&a, NULL, "show vxlan tunnel");
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
					     .src = tip4("192.168.8.1"),
					     .dst = tip4("192.168.8.3"),
					     .vni = 7,
					     .decap_next = 1,
					     .instance = ~0u};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, vxlan_add_del_tunnel, &dn, &rep), -EINVAL);
	assert_string_equal(rep.error, "unknown decap-next 1 (0: l2)");
	assert_int_equal(tunnel(a.c, false, "192.168.8.1", "192.168.8.3", 7, 0, ~0u, &rep),
			 -ENOENT);
	assert_string_equal(rep.error, "no such tunnel: src 192.168.8.1 dst 192.168.8.3 vni 7");

	/* An encap table is held by its tunnel. */
	assert_int_equal(tip_table(a.c, 4, true, NULL), 0);
	assert_int_equal(tunnel(a.c, true, "192.168.8.1", "192.168.8.4", 8, 4, ~0u, &rep), 0);
	u32 sw = rep.sw_if_index;
	assert_int_equal(tip_table(a.c, 4, false, err), -EBUSY);
	assert_string_equal(err, "table 4 is in use by 1 tunnel encapsulating in it; delete it "
				 "first");
	assert_int_equal(tip_table(a.c, 3, false, err), -EBUSY);
	assert_string_equal(err, "table 3 is in use by 1 interface with addresses and 1 tunnel; "
				 "remove them first");
	assert_int_equal(tunnel(a.c, false, "192.168.8.1", "192.168.8.4", 8, 0, ~0u, &rep), 0);
	assert_int_equal(rep.sw_if_index, sw);
	assert_int_equal(tif_index(a.c, "vxlan_tunnel1"), ~0u);
	assert_int_equal(tip_table(a.c, 4, false, err), 0);

	/* The CLI: the handler's words, the tunnel's name on success. */
	char *out =
	    tligd_cli_dup(&a, NULL, "create vxlan tunnel src 192.168.8.1 dst 192.168.8.2 vni 77");
	assert_string_equal(out,
			    "create vxlan tunnel: tunnel already exists: vxlan_tunnel0 goes to "
			    "192.168.8.2 with vni 77\n");
	free(out);
	out = tligd_cli_dup(&a, NULL,
			    "create vxlan tunnel src 192.168.8.1 dst 192.168.8.6 vni 6 instance 9");
	assert_string_equal(out, "vxlan_tunnel9\n");
	free(out);
	out = tligd_cli_dup(&a, NULL,
			    "create vxlan tunnel src 192.168.8.1 dst 192.168.8.6 vni 6 del");
	assert_string_equal(out, "");
	free(out);
	out = tligd_cli_dup(&a, NULL, "create vxlan tunnel src 192.168.8.1 vni 6");
	assert_string_equal(out, "create vxlan tunnel: src, dst and vni are required\n");
	free(out);
}

/* Head-end replication as configured today: one bridge domain with both tunnels (and a
 * local port); the round trips carry the membership along. */
static void
test_running_config_and_round_trips(void **state)
{
	(void)state;

	char *out = tligd_cli_dup(&a, NULL,
				  "create bridge-domain 20 learn 1 forward 1 uu-flood 1 flood 1 "
				  "arp-term 0");
	free(out);
	out = tligd_cli_dup(&a, NULL, "set interface l2 bridge vxlan_tunnel0 20");
	free(out);
	out = tligd_cli_dup(&a, NULL, "set interface l2 bridge vxlan_tunnel5 20");
	free(out);
	out = tligd_cli_dup(&a, NULL, "set interface state vxlan_tunnel5 down");
	free(out);

	char *rc = tligd_running_config(&a);
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
	assert_int_equal(tligd_start(&b, "vxlan", NULL, NULL), 0);
	char *ta = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(ta, "vxlan {\"sw_if_index\":\"vxlan_tunnel5\",\"instance\":5,"
				   "\"src\":\"192.168.9.1\",\"dst\":\"192.168.9.2\",\"vni\":77,"
				   "\"encap_table_id\":3,\"decap_next\":0}"));
	assert_int_equal(tligd_stop(&b), 0);

	/* The running-config replayed onto another fresh ligd: the same text again. */
	tsnapshot_replay(&c, "vxlan", rc, ta);
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
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

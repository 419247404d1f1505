/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tap API (src/tap/api.h) against real ligds of this build, each in a network
 * namespace of the test's own, plus a third namespace for kernel sides placed elsewhere:
 * taps created with every parameter (kernel side name, namespace, address, default route,
 * MAC) and checked on the Linux side, dumped and deleted; the handlers' error texts and
 * bad values refused; the link following the admin state; show running-config; a snapshot
 * round trip onto the other ligd.
 */
#include "api_testlib.h"

#include "loopback/api.h"
#include "tap/api.h"

static struct tligd a, b;
static char ns_a[32], ns_b[32], ns_h[32];

static int
group_setup(void **state)
{
	(void)state;
	if (tnetns_add(ns_a, sizeof(ns_a), "tpa") < 0 ||
	    tnetns_add(ns_b, sizeof(ns_b), "tpb") < 0 || tnetns_add(ns_h, sizeof(ns_h), "tph") < 0)
		return -1;
	return tligd_start(&a, "tap", ns_a, NULL);
}

static int
group_teardown(void **state)
{
	(void)state;
	int rv = tligd_stop_all();
	tnetns_del(ns_a);
	tnetns_del(ns_b);
	tnetns_del(ns_h);
	return rv;
}

static int
create(const lig_api_tap_create_t *req, u32 *sw, char *error)
{
	lig_api_tap_create_reply_t rep;

	int rv = LIG_API_CLIENT_CALL(a.c, tap_create, req, &rep);
	if (sw)
		*sw = rep.sw_if_index;
	snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static int delete (u32 sw, char *error)
{
	lig_api_tap_delete_t req = {.sw_if_index = sw};
	lig_api_tap_delete_reply_t rep;

	int rv = LIG_API_CLIENT_CALL(a.c, tap_delete, &req, &rep);
	snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static u32 tap7, tap9;

static void
test_create_dump(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE], out[4096];
	static struct tdump t;
	lig_api_tap_create_t req = {.id = 7,
				    .host_ip4_addr = tip4("10.9.7.2"),
				    .host_ip4_prefix_len = 24,
				    .host_ip4_gw = tip4("10.9.7.1"),
				    .hw_addr = {2, 0xfe, 0, 0, 3, 7}};

	snprintf(req.host_if_name, sizeof(req.host_if_name), "vtap7");
	snprintf(req.host_ns, sizeof(req.host_ns), "%s", ns_h);
	assert_int_equal(create(&req, &tap7, err), 0);
	lig_api_sw_interface_dump_details_t i = tif(a.c, tap7);
	assert_string_equal(i.name, "tap7");
	assert_string_equal(i.device_class, "tap");
	assert_memory_equal(i.mac, req.hw_addr, 6);
	/* The kernel side, where it was asked to be. */
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s -o addr show dev vtap7", ns_h), 0);
	assert_non_null(strstr(out, "inet 10.9.7.2/24"));
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s route show default", ns_h), 0);
	assert_non_null(strstr(out, "via 10.9.7.1 dev vtap7"));

	/* Only an id: the kernel side is tap9 in ligd's namespace, the MAC random. */
	lig_api_tap_create_t min = {.id = 9};
	assert_int_equal(create(&min, &tap9, err), 0);
	i = tif(a.c, tap9);
	assert_true(i.mac[0] & 2);
	assert_false(i.mac[0] & 1);
	assert_int_equal(tsh("ip -n %s link show tap9", ns_a), 0);

	lig_api_tap_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, tap_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.size, sizeof(lig_api_tap_dump_details_t));
	const lig_api_tap_dump_details_t *d = TDETAILS(&t, tap_dump, 0);
	assert_int_equal(d->sw_if_index, tap7);
	assert_int_equal(d->id, 7);
	assert_string_equal(d->host_if_name, "vtap7");
	assert_string_equal(d->host_ns, ns_h);
	assert_int_equal(d->host_ip4_addr, tip4("10.9.7.2"));
	assert_int_equal(d->host_ip4_prefix_len, 24);
	assert_int_equal(d->host_ip4_gw, tip4("10.9.7.1"));
	assert_memory_equal(d->hw_addr, req.hw_addr, 6);
	assert_int_equal(d->tap_flags, 2); /* csum-offload, always in force */
	d = TDETAILS(&t, tap_dump, 1);
	assert_int_equal(d->id, 9);
	assert_string_equal(d->host_if_name, "tap9");
	assert_string_equal(d->host_ns, "");
	assert_int_equal(d->host_ip4_addr, 0);
	assert_int_equal(d->host_ip4_gw, 0);
	assert_memory_equal(d->hw_addr, i.mac, 6);

	lig_api_tap_dump_t one = {.sw_if_index = tap9};
	assert_int_equal(TDUMP(a.c, tap_dump, &one, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, tap_dump, 0)->id, 9);
}

static void
test_errors(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE];
	static struct tdump t;

	lig_api_tap_create_t req = {.id = 7};
	assert_int_equal(create(&req, NULL, err), -EEXIST);
	assert_string_equal(err, "tap7 or its host interface already exists");
	req.id = 70000;
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap id 70000 out of range (0..65535)");
	req = (lig_api_tap_create_t){.id = 8, .host_ip4_gw = tip4("10.9.8.1")};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: host-ip4-gw needs host-ip4-addr");
	req = (lig_api_tap_create_t){
	    .id = 8, .host_ip4_addr = tip4("10.9.8.2"), .host_ip4_prefix_len = 33};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: host-ip4-addr prefix length 33 is over 32");
	req = (lig_api_tap_create_t){.id = 8, .host_ns = "nonexistent-ns"};
	assert_int_equal(create(&req, NULL, err), -ENOENT);
	assert_string_equal(err, "no network namespace 'nonexistent-ns'");
	req = (lig_api_tap_create_t){.id = 8, .host_ns = "../etc"};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: '../etc' is not a network namespace name");
	req = (lig_api_tap_create_t){.id = 8, .hw_addr = {3, 0, 0, 0, 0, 8}};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: a multicast MAC cannot be its address");
	req = (lig_api_tap_create_t){.id = 8, .host_mac_addr = {1, 0, 0x5e, 0, 0, 8}};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: a multicast MAC cannot be the host side's address");
	req = (lig_api_tap_create_t){.id = 8, .host_mtu_size = 67};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: host-mtu-size 67 out of range (68..10221; more with gso)");
	req = (lig_api_tap_create_t){.id = 8, .host_mtu_size = 10222};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	req = (lig_api_tap_create_t){.id = 8, .host_mtu_size = 65518, .tap_flags = 1};
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_string_equal(err, "tap8: host-mtu-size 65518 out of range (68..65517)");
	req = (lig_api_tap_create_t){.id = 8, .host_bridge = "br-none"};
	snprintf(req.host_ns, sizeof(req.host_ns), "%s", ns_h);
	assert_int_equal(create(&req, NULL, err), -ENODEV);
	char want[LIG_API_ERROR_SIZE];
	snprintf(want, sizeof(want), "tap8: no Linux interface 'br-none' for host-bridge in %s",
		 ns_h);
	assert_string_equal(err, want);
	memset(req.host_bridge, 'b', sizeof(req.host_bridge));
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "field host_bridge"));
	/* The kernel side's name is taken (by tap7's, in that namespace). */
	req = (lig_api_tap_create_t){.id = 8, .host_if_name = "vtap7"};
	snprintf(req.host_ns, sizeof(req.host_ns), "%s", ns_h);
	assert_true(create(&req, NULL, err) < 0);
	assert_non_null(strstr(err, "tap8"));
	/* Strings must end inside their field. */
	memset(req.host_ns, 'n', sizeof(req.host_ns));
	assert_int_equal(create(&req, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "field host_ns"));

	assert_int_equal(delete (999, err), -ENOENT);
	assert_string_equal(err, "interface 999 does not exist");
	lig_api_loopback_create_t lc = {0};
	lig_api_loopback_create_reply_t lcr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &lc, &lcr), 0);
	assert_int_equal(delete (lcr.sw_if_index, err), -EINVAL);
	assert_string_equal(err, "loop0 is not a tap interface");
	lig_api_tap_dump_t dl = {.sw_if_index = lcr.sw_if_index};
	assert_int_equal(TDUMP(a.c, tap_dump, &dl, &t), -EINVAL);
	lig_api_loopback_delete_t ld = {.sw_if_index = lcr.sw_if_index};
	lig_api_loopback_delete_reply_t ldr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &ld, &ldr), 0);

	/* Nothing was left behind by the refused creates. */
	lig_api_tap_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, tap_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_not_equal(tsh("ip -n %s link show tap8", ns_a), 0);
}

/* A tap's link (and the carrier its kernel side sees) follows ligd's admin state. */
static void
test_link_follows_admin(void **state)
{
	(void)state;
	static struct tevents e;
	u32 from = 0;
	char out[1024];

	tevents_want(a.c, &e, LIG_API_ID_interface_event, true);
	lig_api_sw_interface_set_flags_t f = {.sw_if_index = tap9, .admin_up = 1};
	lig_api_sw_interface_set_flags_reply_t fr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_flags, &f, &fr), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, tap9, 3 /* link */, 1, 2000));
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s link show tap9", ns_a), 0);
	assert_null(strstr(out, "NO-CARRIER"));
	f.admin_up = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_flags, &f, &fr), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, tap9, 3, 0, 2000));
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s link show tap9", ns_a), 0);
	assert_non_null(strstr(out, "NO-CARRIER"));
	tevents_want(a.c, &e, LIG_API_ID_interface_event, false);
}

static const char *const tap_lines[] = {"create tap", NULL};

static void
test_cli_running_config(void **state)
{
	(void)state;
	char out[8192], lines[2048], want[1024];

	assert_int_equal(
	    tligd_cli(&a, out, sizeof(out),
		      "create tap id 11 host-if-name vt11 host-mac-addr 02:fe:00:00:0b:11 "
		      "host-mtu-size 2000 host-ip4-addr 10.9.11.2/24 "
		      "hw-addr 02:fe:00:00:03:11"),
	    0);
	assert_string_equal(out, "tap11\n");
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s -o link show vt11", ns_a), 0);
	assert_non_null(strstr(out, "mtu 2000"));
	assert_non_null(strstr(out, "link/ether 02:fe:00:00:0b:11"));
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create tap id 12 host-mtu-size 67"),
			     0);
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "create tap id 12 host-mac-addr 01:00:5e:00:00:01"), 0);
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "create tap id 12 host-ip4-gw 1.2.3.4"), 0);
	assert_string_equal(out, "create tap: tap12: host-ip4-gw needs host-ip4-addr\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create tap id 11"), 0);
	assert_string_equal(out, "create tap: tap11 or its host interface already exists\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create tap host-ns x"), 0);

	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	tlines(out, tap_lines, lines, sizeof(lines));
	const u8 *m = tif(a.c, tap9).mac;
	snprintf(want, sizeof(want),
		 "create tap id 7 host-if-name vtap7 host-ns %s host-ip4-addr 10.9.7.2/24 "
		 "host-ip4-gw 10.9.7.1 hw-addr 02:fe:00:00:03:07\n"
		 "create tap id 9 hw-addr %02x:%02x:%02x:%02x:%02x:%02x\n"
		 "create tap id 11 host-if-name vt11 host-mac-addr 02:fe:00:00:0b:11 "
		 "host-mtu-size 2000 host-ip4-addr 10.9.11.2/24 hw-addr 02:fe:00:00:03:11\n",
		 ns_h, m[0], m[1], m[2], m[3], m[4], m[5]);
	assert_string_equal(lines, want);

	/* delete tap: the kernel side goes with it. */
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "delete tap tap7"), 0);
	assert_int_not_equal(tsh("ip -n %s link show vtap7", ns_h), 0);
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	assert_null(strstr(out, "create tap id 7"));
}

static void
test_snapshot_and_delete(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE], out[1024];
	static struct tdump t;

	/* b runs in its own namespace: the kernel sides tap9 and vt11 are free there. */
	assert_int_equal(tligd_start(&b, "tap", ns_b, NULL), 0);
	char *text = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(text, "tap {\"sw_if_index\":\"tap11\",\"id\":11,\"host_if_name\":"
				     "\"vt11\",\"host_ns\":\"\",\"host_ip4_addr\":\"10.9.11.2\""));
	free(text);
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s -o addr show dev vt11", ns_b), 0);
	assert_non_null(strstr(out, "inet 10.9.11.2/24"));
	assert_int_equal(tsh_out(out, sizeof(out), "ip -n %s -o link show vt11", ns_b), 0);
	assert_non_null(strstr(out, "mtu 2000"));
	assert_non_null(strstr(out, "link/ether 02:fe:00:00:0b:11"));
	assert_int_equal(tligd_stop(&b), 0);
	/* ligd's exit took its taps with it. */
	assert_int_not_equal(tsh("ip -n %s link show vt11", ns_b), 0);

	assert_int_equal(delete (tap9, err), 0);
	assert_int_not_equal(tsh("ip -n %s link show tap9", ns_a), 0);
	lig_api_tap_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, tap_dump, &all, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, tap_dump, 0)->id, 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_dump),		cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_link_follows_admin),	cmocka_unit_test(test_cli_running_config),
	    cmocka_unit_test(test_snapshot_and_delete),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

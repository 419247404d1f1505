/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The af_packet API (src/afpacket/api.h) against real ligds of this build, each in a
 * network namespace of the test's own holding veth pairs of the same names: host-interfaces
 * created, dumped and deleted (by name and by index); the handlers' error texts and bad
 * values refused; interface_event when the veth's carrier goes down and up; show
 * running-config; a snapshot round trip onto the other ligd. The namespaces are deleted at
 * the end, and their veths with them.
 */
#include "api_testlib.h"

#include "afpacket/api.h"
#include "loopback/api.h"

static struct tligd a, b;
static char ns_a[32], ns_b[32];

/* A namespace with veth pairs lva-lvb and lvc-lvd, all up. */
static int
veth_ns(char *ns, size_t size, const char *tag)
{
	if (tnetns_add(ns, size, tag) < 0)
		return -1;
	if (tsh("ip -n %s link add lva type veth peer name lvb", ns) != 0 ||
	    tsh("ip -n %s link add lvc type veth peer name lvd", ns) != 0)
		return -1;
	for (const char *const *l = (const char *const[]){"lva", "lvb", "lvc", "lvd", NULL}; *l;
	     l++)
		if (tsh("ip -n %s link set %s up", ns, *l) != 0)
			return -1;
	return 0;
}

static int
group_setup(void **state)
{
	(void)state;
	if (veth_ns(ns_a, sizeof(ns_a), "afa") < 0 || veth_ns(ns_b, sizeof(ns_b), "afb") < 0)
		return -1;
	return tligd_start(&a, "afp", ns_a, NULL);
}

static int
group_teardown(void **state)
{
	(void)state;
	int rv = tligd_stop_all();
	tnetns_del(ns_a);
	tnetns_del(ns_b);
	return rv;
}

static int
create(const char *host_if, const u8 *mac, u32 *sw, char *error)
{
	lig_api_af_packet_create_t req = {0};
	lig_api_af_packet_create_reply_t rep;

	snprintf(req.host_if_name, sizeof(req.host_if_name), "%s", host_if);
	if (mac)
		memcpy(req.hw_addr, mac, 6);
	int rv = LIG_API_CLIENT_CALL(a.c, af_packet_create, &req, &rep);
	if (sw)
		*sw = rep.sw_if_index;
	snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static int delete (u32 sw, const char *host_if, char *error)
{
	lig_api_af_packet_delete_t req = {.sw_if_index = sw};
	lig_api_af_packet_delete_reply_t rep;

	snprintf(req.host_if_name, sizeof(req.host_if_name), "%s", host_if ? host_if : "");
	int rv = LIG_API_CLIENT_CALL(a.c, af_packet_delete, &req, &rep);
	snprintf(error, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static u32 host_lva, host_lvc;
static const u8 mac_lva[6] = {2, 0xfe, 0, 0, 2, 1};

static void
test_create_dump(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE], out[64];
	static struct tdump t;

	assert_int_equal(create("lva", mac_lva, &host_lva, err), 0);
	lig_api_sw_interface_dump_details_t i = tif(a.c, host_lva);
	assert_string_equal(i.name, "host-lva");
	assert_string_equal(i.device_class, "af_packet");
	assert_memory_equal(i.mac, mac_lva, 6);
	/* No MAC: a random local unicast one. */
	assert_int_equal(create("lvc", NULL, &host_lvc, err), 0);
	i = tif(a.c, host_lvc);
	assert_string_equal(i.name, "host-lvc");
	assert_true(i.mac[0] & 2);
	assert_false(i.mac[0] & 1);

	lig_api_af_packet_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.size, sizeof(lig_api_af_packet_dump_details_t));
	const lig_api_af_packet_dump_details_t *d = TDETAILS(&t, af_packet_dump, 0);
	assert_int_equal(d->sw_if_index, host_lva);
	assert_string_equal(d->host_if_name, "lva");
	assert_memory_equal(d->hw_addr, mac_lva, 6);
	assert_int_equal(
	    tsh_out(out, sizeof(out), "ip netns exec %s cat /sys/class/net/lva/ifindex", ns_a), 0);
	assert_int_equal(d->host_if_index, (u32)atoi(out));
	d = TDETAILS(&t, af_packet_dump, 1);
	assert_string_equal(d->host_if_name, "lvc");
	assert_memory_equal(d->hw_addr, i.mac, 6);

	lig_api_af_packet_dump_t one = {.sw_if_index = host_lvc};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &one, &t), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(TDETAILS(&t, af_packet_dump, 0)->host_if_name, "lvc");
}

static void
test_errors(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE];
	static struct tdump t;
	const u8 mcast[6] = {1, 0, 0x5e, 0, 0, 1};

	assert_int_equal(create("lva", NULL, NULL, err), -EEXIST);
	assert_string_equal(err, "host-lva already exists");
	assert_int_equal(create("nope0", NULL, NULL, err), -ENODEV);
	assert_string_equal(err, "no Linux interface 'nope0'");
	assert_int_equal(create("", NULL, NULL, err), -EINVAL);
	assert_string_equal(err, "host-interface: a Linux interface name is needed");
	assert_int_equal(create("lvb", mcast, NULL, err), -EINVAL);
	assert_string_equal(err, "host-lvb: a multicast MAC cannot be its address");
	/* A name without its NUL inside the field is refused by the definition. */
	lig_api_af_packet_create_t raw;
	lig_api_af_packet_create_reply_t rep;
	memset(&raw, 0, sizeof(raw));
	memset(raw.host_if_name, 'x', sizeof(raw.host_if_name));
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, af_packet_create, &raw, &rep), -EINVAL);
	assert_non_null(strstr(rep.error, "field host_if_name"));

	assert_int_equal(delete (0, "lvb", err), -ENOENT);
	assert_string_equal(err, "no host-interface on 'lvb'");
	assert_int_equal(delete (0, NULL, err), -EINVAL);
	assert_string_equal(err, "host-interface: give its sw_if_index or host_if_name");
	assert_int_equal(delete (999, NULL, err), -ENOENT);
	assert_string_equal(err, "interface 999 does not exist");
	lig_api_af_packet_dump_t d999 = {.sw_if_index = 999};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &d999, &t), -ENOENT);

	/* Another class's interface is not a host-interface. */
	lig_api_loopback_create_t lc = {0};
	lig_api_loopback_create_reply_t lcr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &lc, &lcr), 0);
	assert_int_equal(delete (lcr.sw_if_index, NULL, err), -EINVAL);
	assert_string_equal(err, "loop0 is not a host-interface");
	lig_api_af_packet_dump_t dl = {.sw_if_index = lcr.sw_if_index};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &dl, &t), -EINVAL);
	assert_string_equal(lig_api_last_error(a.c), "loop0 is not a host-interface");
	lig_api_loopback_delete_t ld = {.sw_if_index = lcr.sw_if_index};
	lig_api_loopback_delete_reply_t ldr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &ld, &ldr), 0);

	lig_api_af_packet_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
}

/* Carrier changes of the Linux side arrive as interface_event (link). */
static void
test_link_events(void **state)
{
	(void)state;
	static struct tevents e;
	u32 from = 0;

	tevents_want(a.c, &e, LIG_API_ID_interface_event, true);
	/* Admin up: an ADMIN event; lva has its carrier (lvb is up). */
	lig_api_sw_interface_set_flags_t f = {.sw_if_index = host_lva, .admin_up = 1};
	lig_api_sw_interface_set_flags_reply_t fr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_flags, &f, &fr), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, host_lva, 2 /* admin */, -1, 2000));
	assert_true(tif(a.c, host_lva).link_up);

	/* The peer end goes down: lva loses its carrier, ligd notices within its poll. */
	assert_int_equal(tsh("ip -n %s link set lvb down", ns_a), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, host_lva, 3, 0, 3000));
	assert_false(tif(a.c, host_lva).link_up);
	assert_int_equal(tsh("ip -n %s link set lvb up", ns_a), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, host_lva, 3 /* link */, 1, 3000));
	assert_true(tif(a.c, host_lva).link_up);

	tevents_want(a.c, &e, LIG_API_ID_interface_event, false);
}

static const char *const af_lines[] = {"create host-interface", NULL};

static void
test_cli_running_config(void **state)
{
	(void)state;
	char out[8192], lines[2048], want[512];

	assert_int_equal(tligd_cli(&a, out, sizeof(out),
				   "create host-interface name lvb hw-addr 02:fe:00:00:02:02"),
			 0);
	assert_string_equal(out, "host-lvb\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create host-interface name lvb"), 0);
	assert_string_equal(out, "create host-interface: host-lvb already exists\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create host-interface name nope1"),
			     0);
	assert_string_equal(out, "create host-interface: no Linux interface 'nope1'\n");
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "create host-interface"), 0);

	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	tlines(out, af_lines, lines, sizeof(lines));
	const u8 *m = tif(a.c, host_lvc).mac;
	snprintf(want, sizeof(want),
		 "create host-interface name lva hw-addr 02:fe:00:00:02:01\n"
		 "create host-interface name lvc hw-addr %02x:%02x:%02x:%02x:%02x:%02x\n"
		 "create host-interface name lvb hw-addr 02:fe:00:00:02:02\n",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	assert_string_equal(lines, want);

	assert_int_equal(tligd_cli(&a, out, sizeof(out), "delete host-interface name lvb"), 0);
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "delete host-interface name lvb"), 0);
	assert_string_equal(out, "delete host-interface: no host-interface on 'lvb'\n");
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	assert_null(strstr(out, "name lvb"));
}

static void
test_snapshot_and_delete(void **state)
{
	(void)state;
	char err[LIG_API_ERROR_SIZE];
	static struct tdump t;

	lig_api_sw_interface_set_mtu_t mtu = {.sw_if_index = host_lvc, .mtu = 1400};
	lig_api_sw_interface_set_mtu_reply_t mr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_mtu, &mtu, &mr), 0);
	assert_int_equal(tligd_start(&b, "afp", ns_b, NULL), 0);
	char *text = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(text,
			       "af_packet {\"sw_if_index\":\"host-lva\",\"host_if_name\":"
			       "\"lva\",\"hw_addr\":\"02:fe:00:00:02:01\",\"num_rx_queues\":1}"));
	assert_null(strstr(text, "host_if_index")); /* state */
	free(text);
	assert_true(tif_named(b.c, "host-lva").admin_up);
	assert_int_equal(tif_named(b.c, "host-lvc").mtu, 1400);
	assert_int_equal(tligd_stop(&b), 0);

	/* Delete by index and by name. */
	assert_int_equal(delete (host_lva, NULL, err), 0);
	assert_int_equal(delete (0, "lvc", err), 0);
	lig_api_af_packet_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, af_packet_dump, &all, &t), 0);
	assert_int_equal(t.n, 0);
	/* The packet sockets are gone from the namespace. */
	char out[4096];
	assert_int_equal(tsh_out(out, sizeof(out), "ip netns exec %s cat /proc/net/packet", ns_a),
			 0);
	u32 lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1); /* the header alone */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_dump),		cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_link_events),		cmocka_unit_test(test_cli_running_config),
	    cmocka_unit_test(test_snapshot_and_delete),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

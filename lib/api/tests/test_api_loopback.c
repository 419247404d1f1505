/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loopback API (src/loopback/api.h) against real ligds of this build: create with and
 * without instance and MAC, delete, dump; the handlers' error texts and bad values
 * refused; the CLI as a front end of the same handlers; show running-config replayed on a
 * fresh ligd; a snapshot round trip; the link following the admin state (interface_event).
 */
#include "api_testlib.h"

#include "loopback/api.h"
#include "memif/api.h"

static struct tligd a;

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start(&a, "loop", NULL, NULL);
}

static u32 loop5, loop0;

static void
test_create_dump(void **state)
{
	(void)state;
	lig_api_loopback_create_t req = {
	    .mac = {2, 0xfe, 0, 0, 4, 1}, .instance_set = 1, .instance = 5};
	lig_api_loopback_create_reply_t rep;
	static struct tdump t;

	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &req, &rep), 0);
	loop5 = rep.sw_if_index;
	lig_api_sw_interface_dump_details_t i = tif(a.c, loop5);
	assert_string_equal(i.name, "loop5");
	assert_string_equal(i.device_class, "loopback");
	assert_memory_equal(i.mac, req.mac, 6);
	assert_false(i.admin_up);

	/* No instance, no MAC: the lowest free instance and a random local unicast MAC. */
	lig_api_loopback_create_t any = {0};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &any, &rep), 0);
	loop0 = rep.sw_if_index;
	i = tif(a.c, loop0);
	assert_string_equal(i.name, "loop0");
	assert_true(i.mac[0] & 2);
	assert_false(i.mac[0] & 1);

	lig_api_loopback_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, loopback_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.size, sizeof(lig_api_loopback_dump_details_t));
	assert_int_equal(TDETAILS(&t, loopback_dump, 0)->sw_if_index, loop5);
	assert_int_equal(TDETAILS(&t, loopback_dump, 0)->instance, 5);
	assert_memory_equal(TDETAILS(&t, loopback_dump, 0)->mac, req.mac, 6);
	assert_int_equal(TDETAILS(&t, loopback_dump, 1)->sw_if_index, loop0);
	assert_int_equal(TDETAILS(&t, loopback_dump, 1)->instance, 0);
	assert_memory_equal(TDETAILS(&t, loopback_dump, 1)->mac, i.mac, 6);

	lig_api_loopback_dump_t one = {.sw_if_index = loop0};
	assert_int_equal(TDUMP(a.c, loopback_dump, &one, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, loopback_dump, 0)->instance, 0);
}

static void
test_errors(void **state)
{
	(void)state;
	lig_api_loopback_create_t req = {.instance_set = 1, .instance = 5};
	lig_api_loopback_create_reply_t rep;
	static struct tdump t;

	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &req, &rep), -EEXIST);
	assert_string_equal(rep.error, "loop5 already exists");
	req.instance = 1024;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &req, &rep), -EINVAL);
	assert_string_equal(rep.error, "loopback instance 1024 out of range (0..1023)");
	lig_api_loopback_create_t mc = {.mac = {3, 0, 0, 0, 0, 1}};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &mc, &rep), -EINVAL);
	assert_string_equal(rep.error, "loopback: 03:00:00:00:00:01 is a multicast MAC, not an "
				       "interface's address");
	/* Validation by the definition: a bool is 0 or 1. */
	lig_api_loopback_create_t bad = {.instance_set = 2};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &bad, &rep), -EINVAL);
	assert_non_null(strstr(rep.error, "field instance_set"));

	lig_api_loopback_delete_t del = {.sw_if_index = 999};
	lig_api_loopback_delete_reply_t drep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &del, &drep), -ENOENT);
	assert_string_equal(drep.error, "interface 999 does not exist");
	lig_api_loopback_dump_t d999 = {.sw_if_index = 999};
	assert_int_equal(TDUMP(a.c, loopback_dump, &d999, &t), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "interface 999 does not exist");

	/* Another class's interface is not a loopback. */
	lig_api_memif_create_t m = {.id = 4};
	lig_api_memif_create_reply_t mrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_create, &m, &mrep), 0);
	del.sw_if_index = mrep.sw_if_index;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &del, &drep), -EINVAL);
	assert_string_equal(drep.error, "memif0/4 is not a loopback interface");
	lig_api_loopback_dump_t dm = {.sw_if_index = mrep.sw_if_index};
	assert_int_equal(TDUMP(a.c, loopback_dump, &dm, &t), -EINVAL);
	lig_api_memif_delete_t md = {.sw_if_index = mrep.sw_if_index};
	lig_api_memif_delete_reply_t mdrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, memif_delete, &md, &mdrep), 0);

	/* Nothing changed. */
	lig_api_loopback_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, loopback_dump, &all, &t), 0);
	assert_int_equal(t.n, 2);
}

static void
test_link_follows_admin(void **state)
{
	(void)state;
	static struct tevents e;
	u32 from = 0;

	tevents_want(a.c, &e, LIG_API_ID_interface_event, true);
	lig_api_sw_interface_set_flags_t f = {.sw_if_index = loop5, .admin_up = 1};
	lig_api_sw_interface_set_flags_reply_t fr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_flags, &f, &fr), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, loop5, 3 /* link */, 1, 2000));
	f.admin_up = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_flags, &f, &fr), 0);
	assert_non_null(tif_event_wait(a.c, &e, &from, loop5, 3, 0, 2000));
	tevents_want(a.c, &e, LIG_API_ID_interface_event, false);
}

static const char *const loop_lines[] = {"loopback create-interface", NULL};

static void
test_cli_running_config(void **state)
{
	(void)state;
	char out[8192], lines[4096], lines_b[4096];
	struct tligd b;
	static struct tdump ta, tb;

	assert_int_equal(tligd_cli(&a, out, sizeof(out),
				   "loopback create mac 02:fe:00:00:04:02 "
				   "instance 7"),
			 0);
	assert_string_equal(out, "loop7\n");
	/* The handler's words, named by the command. */
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "create loopback interface instance 7"), 0);
	assert_non_null(strstr(out, "loop7 already exists"));
	assert_int_not_equal(
	    tligd_cli(&a, out, sizeof(out), "loopback create mac 00:00:00:00:00:00"), 0);
	assert_int_not_equal(tligd_cli(&a, out, sizeof(out), "loopback delete-interface intfc 999"),
			     0);

	assert_int_equal(tligd_cli(&a, out, sizeof(out), "show running-config"), 0);
	tlines(out, loop_lines, lines, sizeof(lines));
	char want[512], mac0[18];
	const u8 *m = tif(a.c, loop0).mac;
	snprintf(mac0, sizeof(mac0), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	snprintf(want, sizeof(want),
		 "loopback create-interface mac 02:fe:00:00:04:01 instance 5\n"
		 "loopback create-interface mac %s instance 0\n"
		 "loopback create-interface mac 02:fe:00:00:04:02 instance 7\n",
		 mac0);
	assert_string_equal(lines, want);

	/* Replayed on a fresh ligd, the lines give the same loopbacks. */
	assert_int_equal(tligd_start(&b, "loop", NULL, NULL), 0);
	assert_int_equal(tligd_exec(&b, lines), 0);
	lig_api_loopback_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, loopback_dump, &all, &ta), 0);
	assert_int_equal(TDUMP(b.c, loopback_dump, &all, &tb), 0);
	assert_int_equal(ta.n, 3);
	assert_int_equal(tb.n, 3);
	for (u32 i = 0; i < 3; i++) {
		assert_int_equal(TDETAILS(&ta, loopback_dump, i)->instance,
				 TDETAILS(&tb, loopback_dump, i)->instance);
		assert_memory_equal(TDETAILS(&ta, loopback_dump, i)->mac,
				    TDETAILS(&tb, loopback_dump, i)->mac, 6);
	}
	assert_int_equal(tligd_cli(&b, out, sizeof(out), "show running-config"), 0);
	tlines(out, loop_lines, lines_b, sizeof(lines_b));
	assert_string_equal(lines_b, lines);
	assert_int_equal(tligd_stop(&b), 0);
}

static void
test_snapshot_and_delete(void **state)
{
	(void)state;
	struct tligd b;
	static struct tdump t;

	/* Settings of the interface step go along. */
	lig_api_sw_interface_set_mtu_t mtu = {.sw_if_index = loop5, .mtu = 9000};
	lig_api_sw_interface_set_mtu_reply_t mrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_mtu, &mtu, &mrep), 0);
	assert_int_equal(tligd_start(&b, "loop", NULL, NULL), 0);
	char *text = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(text, "loopback {"));
	assert_non_null(strstr(text, "\"instance\":7"));
	free(text);
	assert_int_equal(tif_named(b.c, "loop5").mtu, 9000);
	assert_memory_equal(tif_named(b.c, "loop0").mac, tif(a.c, loop0).mac, 6);
	assert_int_equal(tligd_stop(&b), 0);

	/* Delete through the API and the CLI. */
	lig_api_loopback_delete_t del = {.sw_if_index = loop0};
	lig_api_loopback_delete_reply_t drep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_delete, &del, &drep), 0);
	char out[1024];
	assert_int_equal(tligd_cli(&a, out, sizeof(out), "loopback delete-interface intfc loop7"),
			 0);
	lig_api_loopback_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, loopback_dump, &all, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, loopback_dump, 0)->instance, 5);
	/* The freed instance is the lowest again. */
	lig_api_loopback_create_t any = {0};
	lig_api_loopback_create_reply_t rep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, loopback_create, &any, &rep), 0);
	assert_string_equal(tif(a.c, rep.sw_if_index).name, "loop0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_dump),		cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_link_follows_admin),	cmocka_unit_test(test_cli_running_config),
	    cmocka_unit_test(test_snapshot_and_delete),
	};
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

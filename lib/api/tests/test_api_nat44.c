/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nat44 API (src/nat44/api.h) against real ligds of this build (started here, stopped
 * by PID): enable, interface roles, the pool, static and load-balancing mappings dumped as
 * they were made, refusals in the handlers' words, and a configuration that survives a
 * snapshot copy and a running-config replay.
 */
#include "api_testlib.h"

#include "nat44/api.h"
#include "vlib/api.h"

static const char init_script[] = "loopback create mac 02:fe:00:00:0b:01\n"
				  "loopback create mac 02:fe:00:00:0b:02\n"
				  "set interface state loop0 up\n"
				  "set interface state loop1 up\n"
				  "set interface ip address loop0 10.11.0.1/24\n"
				  "set interface ip address loop1 192.168.11.1/24\n";

static struct tligd a;
static struct tligd b, c;
static u32 loop0, loop1;

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start_ifs(&a, "nat44", NULL, init_script, "loop0", &loop0, "loop1", &loop1,
			       NULL);
}

static int
test_teardown(void **state)
{
	(void)state;
	return tligd_stop(&b) | tligd_stop(&c);
}

static void
test_configure_dump(void **state)
{
	lig_api_nat44_plugin_enable_disable_reply_t er;
	lig_api_nat44_interface_add_del_feature_reply_t ir;
	lig_api_nat44_add_del_address_range_reply_t ar;
	lig_api_nat44_add_del_static_mapping_reply_t sr;
	(void)state;

	/* Before enable: refused, in words. */
	lig_api_nat44_add_del_address_range_t addr = {
	    .first = tip4("192.168.11.1"), .last = tip4("192.168.11.2"), .is_add = 1};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_address_range, &addr, &ar), -ENXIO);
	assert_string_equal(ar.error, "NAT44 is not enabled (nat44 plugin enable)");

	lig_api_nat44_plugin_enable_disable_t en = {.enable = 1, .sessions = 10};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_plugin_enable_disable, &en, &er), -EINVAL);
	assert_string_equal(er.error, "sessions 10 out of range (64..4194304)");
	en.sessions = 2048;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_plugin_enable_disable, &en, &er), 0);
	en.sessions = 4096;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_plugin_enable_disable, &en, &er), -EBUSY);

	lig_api_nat44_interface_add_del_feature_t in = {
	    .sw_if_index = loop0, .is_inside = 1, .is_add = 1};
	lig_api_nat44_interface_add_del_feature_t out = {
	    .sw_if_index = loop1, .is_inside = 0, .is_add = 1};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_interface_add_del_feature, &in, &ir), 0);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_interface_add_del_feature, &out, &ir), 0);
	in.sw_if_index = loop1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_interface_add_del_feature, &in, &ir),
			 -EEXIST);
	assert_string_equal(ir.error, "interface loop1 is already NAT44 outside");

	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_address_range, &addr, &ar), 0);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_address_range, &addr, &ar),
			 -EEXIST);

	lig_api_nat44_add_del_static_mapping_t sm = {.is_add = 1,
						     .protocol = 6,
						     .local_addr = tip4("10.11.0.5"),
						     .local_port = 22,
						     .external_addr = tip4("192.168.11.1"),
						     .external_port = 2222};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_static_mapping, &sm, &sr), 0);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_static_mapping, &sm, &sr), -EEXIST);
	sm.protocol = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, nat44_add_del_static_mapping, &sm, &sr), -EINVAL);

	/* An LB mapping with one backend is refused; with two it is made. */
	u8 buf[sizeof(lig_api_nat44_add_del_lb_static_mapping_t) +
	       2 * sizeof(lig_api_nat44_lb_local_t)];
	lig_api_nat44_add_del_lb_static_mapping_t *lb = (void *)buf;
	struct lig_api_status st;
	memset(buf, 0, sizeof(buf));
	lb->is_add = 1;
	lb->protocol = 6;
	lb->external_addr = tip4("10.96.0.10");
	lb->external_port = 80;
	lb->affinity = 30;
	lb->n_locals = 1;
	lb->locals[0].addr = tip4("10.11.0.11");
	lb->locals[0].port = 8080;
	lb->locals[0].probability = 60;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_nat44_add_del_lb_static_mapping, buf,
				      sizeof(*lb) + sizeof(lb->locals[0]), &st, sizeof(st)),
			 -EINVAL);
	lb->n_locals = 2;
	lb->locals[1].addr = tip4("10.11.0.12");
	lb->locals[1].port = 8080;
	lb->locals[1].probability = 40;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_nat44_add_del_lb_static_mapping, buf,
				      sizeof(buf), &st, sizeof(st)),
			 0);

	/* The dumps rebuild what was made. */
	static struct tdump t, ta;
	lig_api_nat44_static_mapping_dump_t sreq;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, nat44_static_mapping_dump, &sreq, tdump_cb, &t),
			 0);
	assert_int_equal(t.n, 1);
	lig_api_nat44_address_dump_t areq;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, nat44_address_dump, &areq, tdump_cb, &ta), 0);
	assert_int_equal(ta.n, 2);
}

static void
test_round_trips(void **state)
{
	(void)state;
	char *rc = tligd_running_config(&a);
	if (!strstr(rc, "nat44 plugin enable sessions 2048\n") ||
	    !strstr(rc, "set interface nat44 in loop0\n") ||
	    !strstr(rc, "nat44 add load-balancing static mapping protocol tcp external "
			"10.96.0.10:80 local 10.11.0.11:8080 probability 60 local "
			"10.11.0.12:8080 probability 40 affinity 30\n"))
		fprintf(stderr, "running-config:\n%s", rc);
	assert_non_null(strstr(rc, "nat44 plugin enable sessions 2048\n"));
	assert_non_null(strstr(rc, "nat44 add static mapping tcp local 10.11.0.5 22 external "
				   "192.168.11.1 2222\n"));

	assert_int_equal(tligd_start(&b, "nat44", NULL, NULL), 0);
	char *text = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(text, "nat44 {\"address\":\"192.168.11.2\"}"));
	assert_int_equal(tligd_stop(&b), 0);
	tsnapshot_replay(&c, "nat44", rc, text);
	free(text);
	free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_configure_dump),
	    cmocka_unit_test_teardown(test_round_trips, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

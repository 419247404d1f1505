/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The acl API (src/acl/api.h) against real ligds of this build: ACLs created (lowest free
 * index and a chosen one), replaced, dumped with their rules, refused with the handlers'
 * words (IPv6, bad rules, unknown index, an ACL in use), interface lists set whole and by
 * one ACL, session settings; show running-config renders them; a snapshot copy and a
 * running-config replay onto fresh ligds give the same canonical text.
 */
#include "api_testlib.h"

#include "acl/api.h"
#include "vlib/api.h"

static const char init_script[] = "loopback create mac 02:fe:00:00:0a:01\n"
				  "loopback create mac 02:fe:00:00:0a:02\n"
				  "set interface state loop0 up\n";

static struct tligd a;
static struct tligd b, c;
static u32 loop0, loop1;

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start_ifs(&a, "acl", NULL, init_script, "loop0", &loop0, "loop1", &loop1,
			       NULL);
}

static int
test_teardown(void **state)
{
	(void)state;
	return tligd_stop(&b) | tligd_stop(&c);
}

static lig_api_acl_rule_t
rule(u8 action, const char *src, u8 src_len, const char *dst, u8 dst_len, u8 proto, u16 dlo,
     u16 dhi)
{
	lig_api_acl_rule_t r = {.action = action,
				.src = tip4(src),
				.src_len = src_len,
				.dst = tip4(dst),
				.dst_len = dst_len,
				.proto = proto,
				.sport_hi = 0xffff,
				.dport_lo = dlo,
				.dport_hi = dhi};
	return r;
}

/* acl_add_replace with n rules; the reply's error in err. */
static int
add_replace(struct lig_api_client *cl, u32 index, const char *tag, const lig_api_acl_rule_t *rules,
	    u32 n, u32 *out_index, char *err)
{
	u8 buf[sizeof(lig_api_acl_add_replace_t) + 8 * sizeof(lig_api_acl_rule_t)];
	lig_api_acl_add_replace_t *req = (void *)buf;
	lig_api_acl_add_replace_reply_t rep;

	memset(buf, 0, sizeof(buf));
	req->acl_index = index;
	snprintf(req->tag, sizeof(req->tag), "%s", tag);
	req->n_rules = n;
	memcpy(req->rules, rules, n * sizeof(*rules));
	int rv = lig_api_call(cl, LIG_API_ID_acl_add_replace, buf,
			      (u32)(sizeof(*req) + n * sizeof(*rules)), &rep, sizeof(rep));
	if (out_index)
		*out_index = rep.acl_index;
	if (err)
		snprintf(err, LIG_API_ERROR_SIZE, "%s", rep.error);
	return rv;
}

static void
test_create_dump_errors(void **state)
{
	(void)state;
	lig_api_acl_rule_t r[3] = {
	    rule(0, "0.0.0.0", 0, "10.1.0.0", 16, 6, 22, 22),
	    rule(2, "10.0.0.0", 8, "0.0.0.0", 0, 0, 0, 0xffff),
	    rule(1, "0.0.0.0", 0, "0.0.0.0", 0, 17, 53, 53),
	};
	char err[LIG_API_ERROR_SIZE];
	u32 idx;

	assert_int_equal(add_replace(a.c, ~0u, "first", r, 2, &idx, err), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(add_replace(a.c, 7, "seventh", r, 3, &idx, err), 0);
	assert_int_equal(idx, 7);
	assert_int_equal(add_replace(a.c, ~0u, "", r + 2, 1, &idx, err), 0);
	assert_int_equal(idx, 1);
	/* Replace 1 with two rules. */
	assert_int_equal(add_replace(a.c, 1, "second", r, 2, &idx, err), 0);

	struct tdump t;
	lig_api_acl_dump_t dq = {.one = 1, .acl_index = 7};
	assert_int_equal(TDUMP(a.c, acl_dump, &dq, &t), 0);
	assert_int_equal(t.n, 1);
	const lig_api_acl_dump_details_t *d = TDETAILS(&t, acl_dump, 0);
	assert_string_equal(d->tag, "seventh");
	assert_int_equal(d->n_rules, 3);
	assert_int_equal(d->rules[0].dport_lo, 22);
	assert_int_equal(d->rules[1].action, 2);
	assert_int_equal(d->rules[2].proto, 17);
	lig_api_acl_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, acl_dump, &all, &t), 0);
	assert_int_equal(t.n, 3);

	/* Refusals, in words. */
	lig_api_acl_rule_t bad = r[0];
	bad.is_ipv6 = 1;
	assert_int_equal(add_replace(a.c, ~0u, "", &bad, 1, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "IPv6"));
	bad = r[0];
	bad.dst_len = 40;
	assert_int_equal(add_replace(a.c, ~0u, "", &bad, 1, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "rule 0"));
	bad = rule(1, "0.0.0.0", 0, "0.0.0.0", 0, 0, 80, 80);
	assert_int_equal(add_replace(a.c, ~0u, "", &bad, 1, NULL, err), -EINVAL);
	assert_non_null(strstr(err, "ports need proto"));
	assert_int_equal(add_replace(a.c, 4096, "", r, 1, NULL, err), -EINVAL);
	assert_int_equal(add_replace(a.c, ~0u, "bad\"tag", r, 1, NULL, err), -EINVAL);
	lig_api_acl_del_t del = {.acl_index = 99};
	lig_api_acl_del_reply_t delr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_del, &del, &delr), -ENOENT);
	assert_string_equal(delr.error, "ACL 99 does not exist");
}

static void
test_interfaces(void **state)
{
	(void)state;
	u8 buf[sizeof(lig_api_acl_interface_set_acl_list_t) + 4 * sizeof(u32)];
	lig_api_acl_interface_set_acl_list_t *req = (void *)buf;
	lig_api_acl_interface_set_acl_list_reply_t rep;

	memset(buf, 0, sizeof(buf));
	req->sw_if_index = loop0;
	req->n_input = 2;
	req->n_acls = 3;
	req->acls[0] = 7;
	req->acls[1] = 0;
	req->acls[2] = 1;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_acl_interface_set_acl_list, buf,
				      sizeof(*req) + 3 * sizeof(u32), &rep, sizeof(rep)),
			 0);
	/* Unknown ACL and duplicates are refused before anything changes. */
	req->acls[2] = 55;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_acl_interface_set_acl_list, buf,
				      sizeof(*req) + 3 * sizeof(u32), &rep, sizeof(rep)),
			 -ENOENT);
	assert_non_null(strstr(rep.error, "ACL 55 does not exist"));
	req->acls[2] = 1;
	req->acls[1] = 7;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_acl_interface_set_acl_list, buf,
				      sizeof(*req) + 3 * sizeof(u32), &rep, sizeof(rep)),
			 -EEXIST);
	/* One more on loop1's output through add_del. */
	lig_api_acl_interface_add_del_t ad = {
	    .is_add = 1, .is_input = 0, .sw_if_index = loop1, .acl_index = 0};
	lig_api_acl_interface_add_del_reply_t adr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_interface_add_del, &ad, &adr), 0);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_interface_add_del, &ad, &adr), -EEXIST);

	struct tdump t;
	lig_api_acl_interface_list_dump_t q = {.sw_if_index = loop0};
	assert_int_equal(TDUMP(a.c, acl_interface_list_dump, &q, &t), 0);
	assert_int_equal(t.n, 1);
	const lig_api_acl_interface_list_dump_details_t *d =
	    TDETAILS(&t, acl_interface_list_dump, 0);
	assert_int_equal(d->n_input, 2);
	assert_int_equal(d->n_acls, 3);
	assert_int_equal(d->acls[0], 7);
	assert_int_equal(d->acls[2], 1);
	/* An applied ACL cannot be deleted. */
	lig_api_acl_del_t del = {.acl_index = 7};
	lig_api_acl_del_reply_t delr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_del, &del, &delr), -EBUSY);
	assert_non_null(strstr(delr.error, "remove it first"));

	lig_api_acl_session_config_t sc = {.max_sessions = 1000,
					   .max_per_interface = 100,
					   .tcp_idle = 3600,
					   .tcp_transient = 30,
					   .udp_idle = 60};
	lig_api_acl_session_config_reply_t scr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_session_config, &sc, &scr), 0);
	sc.udp_idle = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, acl_session_config, &sc, &scr), -EINVAL);
}

static void
test_running_config_and_round_trips(void **state)
{
	(void)state;
	char *rc = tligd_running_config(&a);
	const char *acl7 =
	    strstr(rc, "set acl-plugin acl index 7 deny src 0.0.0.0/0 dst 10.1.0.0/16 proto 6 "
		       "dport 22-22, permit+reflect src 10.0.0.0/8 dst 0.0.0.0/0, permit src "
		       "0.0.0.0/0 dst 0.0.0.0/0 proto 17 dport 53-53 tag seventh\n");
	const char *if0 = strstr(rc, "set acl-plugin interface loop0 input acl 7\n");
	const char *out1 = strstr(rc, "set acl-plugin interface loop1 output acl 0\n");
	const char *sess = strstr(rc, "set acl-plugin session table max-entries 1000\n");
	if (!acl7 || !if0 || !out1 || !sess)
		fprintf(stderr, "running-config:\n%s", rc);
	assert_non_null(acl7);
	assert_non_null(if0);
	assert_non_null(out1);
	assert_non_null(sess);
	assert_true(acl7 < if0);

	assert_int_equal(tligd_start(&b, "acl", NULL, NULL), 0);
	char *ta = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(ta, "acl {\"sw_if_index\":\"loop0\",\"n_input\":2"));
	assert_int_equal(tligd_stop(&b), 0);
	tsnapshot_replay(&c, "acl", rc, ta);
	free(ta);
	free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_dump_errors),
	    cmocka_unit_test(test_interfaces),
	    cmocka_unit_test_teardown(test_running_config_and_round_trips, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

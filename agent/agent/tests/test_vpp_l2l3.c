/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The L2/L3 descriptors' shared logic without ligd (vpp_l2l3.c is included): bridge-domain tags
 * (escapes, length), the agent's bridge-domain ids (lowest free, remembered per name, bound
 * from tags at retrieve, skipping ids ligd has), and which interfaces are the agent's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../vpp_l2l3.c"

struct agent A;

/* vpp_interface.c's, not linked here. */
int
agent_dump_interfaces(struct agent_if_dump *ifs)
{
	memset(ifs, 0, sizeof(*ifs));
	return 0;
}

const char *
agent_if_name_of(const struct agent_if_dump *ifs, u32 idx, char *buf, size_t n)
{
	(void)ifs;
	snprintf(buf, n, "if%u", idx);
	return buf;
}

static void
test_bd_tags(void **state)
{
	(void)state;
	char tag[64], name[LIG_MODEL_KEY_MAX];

	assert_int_equal(agent_tag_encode("bd1", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "bd1");
	assert_int_equal(agent_tag_encode("a \"b\" 100%/\xc3\xa9", tag, sizeof(tag)), 0);
	assert_string_equal(tag, "a %22b%22 100%25/%C3%A9");
	agent_tag_decode(tag, sizeof(tag), name, sizeof(name));
	assert_string_equal(name, "a \"b\" 100%/\xc3\xa9");
	/* 63 fit, 64 do not; an escape that would cross the end does not either */
	char n63[64];
	memset(n63, 'x', 63);
	n63[63] = 0;
	assert_int_equal(agent_tag_encode(n63, tag, sizeof(tag)), 0);
	n63[62] = '"';
	assert_int_equal(agent_tag_encode(n63, tag, sizeof(tag)), -ENAMETOOLONG);
	/* a bad escape is kept as it is; the decode stops at the field's end */
	agent_tag_decode("50%zz%4", 8, name, sizeof(name));
	assert_string_equal(name, "50%zz%4");
	char full[4] = {'a', 'b', 'c', 'd'};
	agent_tag_decode(full, sizeof(full), name, sizeof(name));
	assert_string_equal(name, "abcd");
}

static void
test_bd_ids(void **state)
{
	(void)state;
	u32 id = 0;

	assert_false(l23_bd_id_find("red", &id));
	/* ligd has 1 and 3 (retrieve): red gets 2, green 4, red keeps 2 */
	l23_bd_ids_used_reset();
	l23_bd_id_used(1, true);
	l23_bd_id_used(3, true);
	assert_int_equal(l23_bd_id_alloc("red", &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(l23_bd_id_alloc("green", &id), 0);
	assert_int_equal(id, 4);
	assert_int_equal(l23_bd_id_alloc("red", &id), 0);
	assert_int_equal(id, 2);
	assert_string_equal(l23_bd_name_of(4), "green");
	assert_null(l23_bd_name_of(3));
	/* red deleted from ligd: its id stays its own, nobody else takes it */
	l23_bd_id_used(2, false);
	assert_int_equal(l23_bd_id_alloc("blue", &id), 0);
	assert_int_equal(id, 5);
	assert_true(l23_bd_id_find("red", &id));
	assert_int_equal(id, 2);
	/* an id taken outside the agent: forgotten, the next free one */
	l23_bd_id_used(5, true);
	l23_bd_id_forget("blue");
	assert_false(l23_bd_id_find("blue", &id));
	assert_null(l23_bd_name_of(5));
	assert_int_equal(l23_bd_id_alloc("blue", &id), 0);
	assert_int_equal(id, 6);
	/* retrieve binds tags: green found at 9 (moves), 6 is now white's (blue loses it) */
	assert_int_equal(l23_bd_id_bind("green", 9), 0);
	assert_int_equal(l23_bd_id_bind("white", 6), 0);
	assert_true(l23_bd_id_find("green", &id));
	assert_int_equal(id, 9);
	assert_null(l23_bd_name_of(4));
	assert_false(l23_bd_id_find("blue", &id));
	assert_string_equal(l23_bd_name_of(6), "white");
	assert_int_equal(l23_bd_id_bind("white", 6), 0); /* again: nothing changes */
	assert_string_equal(l23_bd_name_of(6), "white");
	/* a new retrieve: ligd has only 1; the remembered ids stay taken, 3 is free again */
	l23_bd_ids_used_reset();
	l23_bd_id_used(1, true);
	assert_int_equal(l23_bd_id_alloc("black", &id), 0);
	assert_int_equal(id, 3);
	/* the agent's domains */
	assert_false(l23_bd_id_ours(3));
	l23_bd_id_set_ours(3, true);
	assert_true(l23_bd_id_ours(3));
	l23_bd_id_set_ours(3, false);
	assert_false(l23_bd_id_ours(3));
	/* many names: all distinct ids */
	for (u32 i = 0; i < 500; i++) {
		char n[16];
		snprintf(n, sizeof(n), "n%u", i);
		assert_int_equal(l23_bd_id_alloc(n, &id), 0);
		assert_string_equal(l23_bd_name_of(id), n);
	}
}

static void
test_if_ours(void **state)
{
	(void)state;
	lig_api_sw_interface_dump_details_t d[2];
	memset(d, 0, sizeof(d));
	d[0].sw_if_index = 1;
	snprintf(d[0].tag, sizeof(d[0].tag), "loop1");
	d[1].sw_if_index = 2;
	struct l23_ifnames in = {.ifs = {.d = d, .n = 2, .cap = 2}};
	assert_true(l23_if_ours(&in, 1));
	assert_false(l23_if_ours(&in, 2));
	assert_false(l23_if_ours(&in, 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bd_tags),
	    cmocka_unit_test(test_bd_ids),
	    cmocka_unit_test(test_if_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

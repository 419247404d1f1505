/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of interface events (interface.h): delivery in subscription order, DELETE in
 * reverse order while the table entry still exists, ADMIN/LINK/MAC/MTU only when the value
 * changed, a LINK change caused by the admin hook after its ADMIN, subscription errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "interface/interface.h"
#include "vlib/graph.h"

/* What each delivery saw. */
struct record {
	u32 who; /* the subscriber's ctx */
	enum lig_if_event ev;
	u32 sw_if_index;
	bool in_table; /* lig_if_get() found the interface during delivery */
	u8 admin_up, link_up;
};

static struct record records[64];
static u32 n_records;
static u32 ids[3] = {1, 2, 3};

static void
record_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx)
{
	assert_true(n_records < LIG_ARRAY_LEN(records));
	records[n_records++] = (struct record){
	    .who = *(u32 *)ctx,
	    .ev = ev,
	    .sw_if_index = ifp->sw_if_index,
	    .in_table = lig_if_get(ifp->sw_if_index) == ifp,
	    .admin_up = ifp->admin_up,
	    .link_up = ifp->link_up,
	};
}

/* Checks that the records from *pos on are ev delivered to each of the n subscribers in
 * order (forward) or reverse order; advances *pos. */
static void
expect_round(u32 *pos, enum lig_if_event ev, u32 n, bool reverse)
{
	for (u32 k = 0; k < n; k++) {
		const struct record *r = &records[*pos + k];
		assert_true(*pos + k < n_records);
		assert_int_equal(r->ev, ev);
		assert_int_equal(r->who, reverse ? ids[n - 1 - k] : ids[k]);
		assert_true(r->in_table);
	}
	*pos += n;
}

/* A device whose link follows admin state, as a loopback's, and whose MTU hook can fail. */
static int fail_hooks;

static int
test_admin(struct lig_interface *ifp, bool up)
{
	if (fail_hooks)
		return -EIO;
	lig_if_set_link(ifp->sw_if_index, up);
	return 0;
}

static int
test_set_mtu(struct lig_interface *ifp, u32 mtu)
{
	(void)ifp;
	(void)mtu;
	return fail_hooks ? -EIO : 0;
}

static const struct lig_if_class test_class = {
    .name = "test",
    .tx_node_name = "error-drop",
    .admin_up_down = test_admin,
    .set_mtu = test_set_mtu,
};

static int
setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(1024) < 0 || lig_graph_init() < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	lig_graph_free();
	lig_buffer_pool_free();
	return 0;
}

/* A subscriber that tries to change subscriptions from inside a handler. */
static int nested_rv = 1;

static void
subscribe_inside(struct lig_interface *ifp, enum lig_if_event ev, void *ctx)
{
	(void)ifp;
	(void)ev;
	(void)ctx;
	nested_rv = lig_if_subscribe("nested", record_event, &ids[0]);
}

static void
subscribe_all(void)
{
	n_records = 0;
	fail_hooks = 0;
	for (u32 i = 0; i < LIG_ARRAY_LEN(ids); i++)
		assert_int_equal(lig_if_subscribe("test", record_event, &ids[i]), 0);
}

static void
unsubscribe_all(void)
{
	for (u32 i = 0; i < LIG_ARRAY_LEN(ids); i++)
		assert_int_equal(lig_if_unsubscribe(record_event, &ids[i]), 0);
}

/* After a failed test: whatever it left subscribed or created goes, so the next starts clean. */
static int
cleanup(void **state)
{
	(void)state;
	for (u32 i = 0; i < LIG_ARRAY_LEN(ids); i++)
		lig_if_unsubscribe(record_event, &ids[i]);
	lig_if_unsubscribe(subscribe_inside, NULL);
	for (u32 i = 0; i < LIG_IF_MAX; i++)
		if (lig_if_get(i))
			lig_if_delete(i);
	return 0;
}

static void
test_order(void **state)
{
	const u8 mac[6] = {0x02, 0, 0, 0, 0, 0x42};
	u32 pos = 0, sw;
	(void)state;

	subscribe_all();
	struct lig_interface *ifp = lig_if_create(&test_class, "ev0", NULL, NULL);
	assert_non_null(ifp);
	sw = ifp->sw_if_index;
	expect_round(&pos, LIG_IF_EVENT_ADD, 3, false);
	assert_int_equal(records[0].sw_if_index, sw);

	/* Admin up: ADMIN to everyone, then the LINK change the admin hook reported. */
	assert_int_equal(lig_if_set_admin(sw, true), 0);
	expect_round(&pos, LIG_IF_EVENT_ADMIN, 3, false);
	assert_true(records[pos - 1].admin_up);
	assert_false(records[pos - 1].link_up); /* ADMIN came before the carrier */
	expect_round(&pos, LIG_IF_EVENT_LINK, 3, false);
	assert_true(records[pos - 1].link_up);

	assert_int_equal(lig_if_set_mac(sw, mac), 0);
	expect_round(&pos, LIG_IF_EVENT_MAC, 3, false);
	assert_memory_equal(ifp->mac, mac, 6);
	assert_int_equal(lig_if_set_mtu(sw, 9000), 0);
	expect_round(&pos, LIG_IF_EVENT_MTU, 3, false);
	assert_int_equal(ifp->mtu, 9000);

	/* A driver reporting carrier loss. */
	lig_if_set_link(sw, false);
	expect_round(&pos, LIG_IF_EVENT_LINK, 3, false);
	assert_false(ifp->link_up);

	/* Admin down with the carrier already down: ADMIN only. */
	assert_int_equal(lig_if_set_admin(sw, false), 0);
	expect_round(&pos, LIG_IF_EVENT_ADMIN, 3, false);

	/* DELETE last subscriber first, while the entry still exists. */
	assert_int_equal(lig_if_delete(sw), 0);
	expect_round(&pos, LIG_IF_EVENT_DELETE, 3, true);
	assert_int_equal(pos, n_records);
	assert_null(lig_if_get(sw));
	unsubscribe_all();
}

static void
test_no_event_without_change(void **state)
{
	u8 mac[6];
	u32 sw;
	(void)state;

	subscribe_all();
	struct lig_interface *ifp = lig_if_create(&test_class, "ev1", NULL, NULL);
	assert_non_null(ifp);
	sw = ifp->sw_if_index;
	assert_int_equal(lig_if_set_admin(sw, true), 0);
	n_records = 0;

	memcpy(mac, ifp->mac, 6);
	assert_int_equal(lig_if_set_admin(sw, true), 0);
	assert_int_equal(lig_if_set_mac(sw, mac), 0);
	assert_int_equal(lig_if_set_mtu(sw, ifp->mtu), 0);
	lig_if_set_link(sw, true);
	assert_int_equal(n_records, 0);

	/* Refused changes change nothing and say nothing. */
	fail_hooks = 1;
	assert_int_equal(lig_if_set_admin(sw, false), -EIO);
	assert_int_equal(lig_if_set_mtu(sw, 2000), -EIO);
	mac[0] = 0x01; /* multicast */
	assert_int_equal(lig_if_set_mac(sw, mac), -EINVAL);
	assert_int_equal(lig_if_set_mtu(sw, 10), -EINVAL);
	assert_int_equal(n_records, 0);
	assert_true(ifp->admin_up);
	assert_int_equal(ifp->mtu, LIG_IF_DEFAULT_MTU);

	/* Unknown interfaces: errors, no events. */
	lig_if_set_link(LIG_IF_MAX - 1, false);
	assert_int_equal(lig_if_set_admin(LIG_IF_MAX - 1, true), -ENOENT);
	assert_int_equal(n_records, 0);

	fail_hooks = 0;
	assert_int_equal(lig_if_delete(sw), 0);
	assert_int_equal(n_records, 3);
	unsubscribe_all();
}

static void
test_subscribe_errors(void **state)
{
	static u32 many[LIG_IF_MAX_SUBSCRIBERS];
	u32 i;
	(void)state;

	assert_int_equal(lig_if_subscribe(NULL, record_event, NULL), -EINVAL);
	assert_int_equal(lig_if_subscribe("x", NULL, NULL), -EINVAL);
	assert_int_equal(lig_if_unsubscribe(record_event, &ids[0]), -ENOENT);

	assert_int_equal(lig_if_subscribe("x", record_event, &ids[0]), 0);
	assert_int_equal(lig_if_subscribe("x", record_event, &ids[0]), -EEXIST);
	assert_int_equal(lig_if_unsubscribe(record_event, &ids[0]), 0);

	for (i = 0; i < LIG_IF_MAX_SUBSCRIBERS; i++)
		if (lig_if_subscribe("many", record_event, &many[i]) < 0)
			break;
	assert_true(i > 0);
	assert_int_equal(lig_if_subscribe("one too many", record_event, &ids[0]), -ENOSPC);
	while (i--)
		assert_int_equal(lig_if_unsubscribe(record_event, &many[i]), 0);

	assert_int_equal(lig_if_subscribe("inside", subscribe_inside, NULL), 0);
	struct lig_interface *ifp = lig_if_create(&test_class, "ev2", NULL, NULL);
	assert_non_null(ifp);
	assert_int_equal(nested_rv, -EBUSY);
	assert_int_equal(lig_if_delete(ifp->sw_if_index), 0);
	assert_int_equal(lig_if_unsubscribe(subscribe_inside, NULL), 0);
	/* Outside delivery the same call works. */
	assert_int_equal(lig_if_subscribe("x", record_event, &ids[0]), 0);
	assert_int_equal(lig_if_unsubscribe(record_event, &ids[0]), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_order, cleanup),
	    cmocka_unit_test_teardown(test_no_event_without_change, cleanup),
	    cmocka_unit_test_teardown(test_subscribe_errors, cleanup),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the L2 FIB and bridge-domain control: learn, move, static entries,
 * aging with an injected clock, the learn limit, delete, clear, flushes, many entries. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "ethernet/ethernet.h"
#include "interface/interface.h"
#include "l2/l2.h"
#include "l2/l2fib.h"
#include "vlib/buffer.h"
#include "vlib/cli.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

/* Interfaces of a class whose tx node is error-drop: no packet flows in these tests. */
static const struct lig_if_class test_class = {
    .name = "test",
    .tx_node_name = "error-drop",
};

#define N_IFS 4
static u32 sw[N_IFS];

static int
group_setup(void **state)
{
	(void)state;
	if (lig_buffer_pool_init(1024) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		return -1;
	for (u32 i = 0; i < N_IFS; i++) {
		char name[16];
		snprintf(name, sizeof(name), "test%u", i);
		struct lig_interface *ifp = lig_if_create(&test_class, name, NULL, NULL);
		if (!ifp)
			return -1;
		ifp->admin_up = 1;
		sw[i] = ifp->sw_if_index;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	for (u32 i = 0; i < N_IFS; i++)
		lig_if_delete(sw[i]);
	lig_hash64_free(&lig_l2fib_main.table);
	lig_hash64_free(&lig_bd_main.arp);
	lig_graph_free();
	lig_buffer_pool_free();
	return 0;
}

/* Every test starts from no bridge domains and an empty FIB. */
static int
test_teardown(void **state)
{
	(void)state;
	for (u32 i = 0; i < N_IFS; i++)
		lig_l2_set_l3(sw[i]);
	for (u32 b = 1; b < LIG_BD_MAX; b++)
		if (lig_bd_main.bds[b].bd_id)
			assert_int_equal(lig_bd_add_del(lig_bd_main.bds[b].bd_id, 0, 0, false), 0);
	assert_int_equal(lig_l2fib_main.table.count, 0);
	assert_int_equal(lig_l2fib_main.n_learned, 0);
	assert_int_equal(lig_l2fib_main.n_static, 0);
	lig_l2fib_set_learn_limit(LIG_L2FIB_DEFAULT_LEARN_LIMIT);
	return 0;
}

static void
mac_of(u32 n, u8 mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = (u8)(n >> 24);
	mac[3] = (u8)(n >> 16);
	mac[4] = (u8)(n >> 8);
	mac[5] = (u8)n;
}

/* Creates bd_id and returns its internal index. */
static u32
bd_create(u32 bd_id, u32 mac_age)
{
	assert_int_equal(lig_bd_add_del(bd_id, LIG_BD_F_DEFAULT, mac_age, true), 0);
	u32 bd_index = lig_bd_find(bd_id);
	assert_int_not_equal(bd_index, LIG_INVALID_INDEX);
	return bd_index;
}

static u32
port_of(u32 bd_index, u32 n)
{
	u8 mac[6];
	mac_of(n, mac);
	struct lig_hash64_slot *s = lig_l2fib_lookup(bd_index, mac);
	return s ? lig_l2fib_value_sw_if_index(s->value) : LIG_INVALID_INDEX;
}

static void
test_learn(void **state)
{
	u32 bdi = bd_create(1, 0);
	u8 mac[6];

	(void)state;
	mac_of(1, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_HIT);
	assert_int_equal(port_of(bdi, 1), sw[0]);
	assert_int_equal(lig_l2fib_main.n_learned, 1);
	/* The same MAC in another domain is another entry. */
	u32 bdi2 = bd_create(2, 0);
	assert_int_equal(lig_l2fib_learn(bdi2, mac, sw[1], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(port_of(bdi, 1), sw[0]);
	assert_int_equal(port_of(bdi2, 1), sw[1]);
	assert_int_equal(lig_l2fib_main.n_learned, 2);
}

static void
test_move(void **state)
{
	u32 bdi = bd_create(7, 0);
	u8 mac[6];

	(void)state;
	mac_of(2, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_MOVED);
	assert_int_equal(port_of(bdi, 2), sw[1]);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_HIT);
	assert_int_equal(lig_l2fib_main.n_learned, 1);
}

static void
test_static_vs_learned(void **state)
{
	u32 bdi = bd_create(3, 0);
	u8 mac[6], mcast[6] = {0x01, 0, 0x5e, 0, 0, 1}, zero[6] = {0};

	(void)state;
	mac_of(3, mac);
	/* A static entry needs a port of the domain. */
	assert_int_equal(lig_l2fib_add(mac, 3, sw[0], LIG_L2FIB_F_STATIC), -ENXIO);
	assert_int_equal(lig_l2_set_bridge(sw[0], 3, false, 0), 0);
	assert_int_equal(lig_l2_set_bridge(sw[1], 3, false, 0), 0);
	assert_int_equal(lig_l2fib_add(mac, 3, sw[0], LIG_L2FIB_F_STATIC), 0);
	assert_int_equal(lig_l2fib_add(mac, 99, sw[0], LIG_L2FIB_F_STATIC), -ENOENT);
	assert_int_equal(lig_l2fib_add(mcast, 3, sw[0], LIG_L2FIB_F_STATIC), -EINVAL);
	assert_int_equal(lig_l2fib_add(zero, 3, sw[0], LIG_L2FIB_F_STATIC), -EINVAL);
	assert_int_equal(lig_l2fib_main.n_static, 1);
	/* Learning never overwrites it. */
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_STATIC);
	assert_int_equal(port_of(bdi, 3), sw[0]);
	/* A learned entry is replaced by a static add, and the counts follow. */
	mac_of(4, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_main.n_learned, 1);
	assert_int_equal(lig_l2fib_add(mac, 3, sw[0], LIG_L2FIB_F_STATIC), 0);
	assert_int_equal(lig_l2fib_main.n_learned, 0);
	assert_int_equal(lig_l2fib_main.n_static, 2);
	assert_int_equal(port_of(bdi, 4), sw[0]);
	/* clear keeps static entries. */
	mac_of(5, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_clear(), 1);
	assert_int_equal(port_of(bdi, 5), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 3), sw[0]);
	assert_int_equal(lig_l2fib_main.table.count, 2);
	/* A port leaving the domain takes its entries, static ones too: at once for every
	 * reader (stale), and out of the table at the sweep. */
	assert_int_equal(lig_l2_set_l3(sw[0]), 0);
	assert_int_equal(port_of(bdi, 3), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 4), LIG_INVALID_INDEX);
	u64 v;
	assert_false(lig_l2fib_lookup_value(lig_l2fib_key(bdi, mac), &v));
	assert_int_equal(lig_l2fib_main.table.count, 2);
	assert_int_equal(lig_l2fib_sweep_all(), 2);
	assert_int_equal(lig_l2fib_main.table.count, 0);
	assert_int_equal(lig_l2fib_main.n_static, 0);
}

static void
test_age(void **state)
{
	u32 bdi = bd_create(4, 1); /* one minute */
	u32 bdi_noage = bd_create(5, 0);
	u8 a[6], b[6], s[6];

	(void)state;
	mac_of(10, a);
	mac_of(11, b);
	mac_of(12, s);
	lig_l2fib_set_now(1000);
	assert_int_equal(lig_l2fib_learn(bdi, a, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_learn(bdi, b, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_learn(bdi_noage, a, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2_set_bridge(sw[2], 4, false, 0), 0);
	assert_int_equal(lig_l2fib_add(s, 4, sw[2], LIG_L2FIB_F_STATIC), 0);
	assert_int_equal(lig_l2fib_age(1030), 0);
	/* b is seen again at 1050: its timestamp moves. */
	lig_l2fib_set_now(1050);
	assert_int_equal(lig_l2fib_learn(bdi, b, sw[0], 0), LIG_L2FIB_LEARN_HIT);
	assert_int_equal(lig_l2fib_age(1059), 0);
	assert_int_equal(lig_l2fib_age(1060), 1); /* a: 60 s unseen */
	assert_int_equal(port_of(bdi, 10), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 11), sw[0]);
	assert_int_equal(lig_l2fib_age(1110), 1); /* b */
	/* Static entries and domains without a MAC age stay, however old. */
	assert_int_equal(lig_l2fib_age(1000000), 0);
	assert_int_equal(port_of(bdi, 12), sw[2]);
	assert_int_equal(port_of(bdi_noage, 10), sw[0]);
	/* Turning aging on for the second domain ages its old entry at the next scan. */
	assert_int_equal(lig_bd_set_mac_age(5, 2), 0);
	assert_int_equal(lig_l2fib_age(1000 + 119), 0);
	assert_int_equal(lig_l2fib_age(1000 + 120), 1);
	assert_int_equal(lig_bd_set_mac_age(5, 256), -EINVAL);
	assert_int_equal(lig_bd_set_mac_age(55, 1), -ENOENT);
}

static void
test_learn_limit(void **state)
{
	u32 bdi = bd_create(6, 0);
	u8 mac[6];

	(void)state;
	assert_int_equal(lig_l2fib_set_learn_limit(0), -EINVAL);
	assert_int_equal(lig_l2fib_set_learn_limit(LIG_L2FIB_MAX_ENTRIES + 1), -EINVAL);
	assert_int_equal(lig_l2fib_set_learn_limit(10), 0);
	for (u32 i = 0; i < 10; i++) {
		mac_of(100 + i, mac);
		assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	}
	mac_of(200, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_LIMIT);
	assert_int_equal(port_of(bdi, 200), LIG_INVALID_INDEX);
	assert_int_equal(lig_l2fib_main.n_learned, 10);
	/* Known MACs still refresh and move at the limit. */
	mac_of(100, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[1], 0), LIG_L2FIB_LEARN_MOVED);
	/* Static entries do not count against it. */
	assert_int_equal(lig_l2_set_bridge(sw[0], 6, false, 0), 0);
	mac_of(201, mac);
	assert_int_equal(lig_l2fib_add(mac, 6, sw[0], LIG_L2FIB_F_STATIC), 0);
	mac_of(202, mac);
	assert_int_equal(lig_l2fib_add(mac, 6, sw[0], 0), -ENOSPC);
	/* Room again after a delete. */
	mac_of(101, mac);
	assert_int_equal(lig_l2fib_del(mac, 6), 0);
	mac_of(200, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
}

static void
test_delete(void **state)
{
	u32 bdi = bd_create(8, 0);
	u8 mac[6];

	(void)state;
	mac_of(300, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_del(mac, 9), -ENOENT); /* no such domain */
	assert_int_equal(lig_l2fib_del(mac, 8), 0);
	assert_int_equal(lig_l2fib_del(mac, 8), -ENOENT);
	assert_int_equal(lig_l2fib_main.n_learned, 0);
	assert_int_equal(port_of(bdi, 300), LIG_INVALID_INDEX);
	/* Deleting a domain takes its entries; one with ports is refused. */
	assert_int_equal(lig_l2_set_bridge(sw[3], 8, false, 0), 0);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[3], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_bd_add_del(8, 0, 0, false), -EBUSY);
	assert_int_equal(lig_l2_set_l3(sw[3]), 0);
	/* the port's MACs left with it: stale, counted until the sweep, learned again as new */
	assert_int_equal(port_of(bdi, 300), LIG_INVALID_INDEX);
	assert_int_equal(lig_l2fib_del(mac, 8), -ENOENT);
	assert_int_equal(lig_l2fib_main.n_learned, 0);
	assert_int_equal(lig_l2_set_bridge(sw[3], 8, false, 0), 0);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[3], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2_set_l3(sw[3]), 0);
	assert_int_equal(lig_l2fib_main.n_learned, 1);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[2], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(lig_l2fib_main.n_learned, 1);
	assert_int_equal(port_of(bdi, 300), sw[2]);
	assert_int_equal(lig_bd_add_del(8, 0, 0, false), 0);
	assert_int_equal(lig_l2fib_main.n_learned, 0);
	assert_int_equal(lig_bd_add_del(8, 0, 0, false), -ENOENT);
}

static void
test_bd_control(void **state)
{
	(void)state;
	assert_int_equal(lig_bd_add_del(0, LIG_BD_F_DEFAULT, 0, true), -EINVAL);
	assert_int_equal(lig_bd_add_del(LIG_BD_ID_MAX + 1, LIG_BD_F_DEFAULT, 0, true), -EINVAL);
	assert_int_equal(lig_bd_add_del(LIG_BD_ID_MAX, LIG_BD_F_DEFAULT, 0, true), 0);
	assert_int_equal(lig_bd_add_del(LIG_BD_ID_MAX, LIG_BD_F_DEFAULT, 0, true), -EEXIST);
	assert_int_equal(lig_bd_set_flags(LIG_BD_ID_MAX, LIG_BD_F_LEARN, false), 0);
	struct lig_bd *bd = lig_bd_get(lig_bd_find(LIG_BD_ID_MAX));
	assert_non_null(bd);
	assert_int_equal(bd->flags, LIG_BD_F_DEFAULT & ~LIG_BD_F_LEARN);
	/* A BVI must be a loopback. */
	assert_int_equal(lig_l2_set_bridge(sw[0], LIG_BD_ID_MAX, true, 0), -EINVAL);
	/* Bridging into a missing domain creates it, as VPP. */
	assert_int_equal(lig_l2_set_bridge(sw[0], 77, false, 3), 0);
	bd = lig_bd_get(lig_bd_find(77));
	assert_non_null(bd);
	assert_int_equal(lig_bd_ports_get(bd)->n, 1);
	assert_int_equal(lig_if_get(sw[0])->l2.shg, 3);
	/* Moving to another domain leaves the first; xconnect leaves bridging. */
	assert_int_equal(lig_l2_set_bridge(sw[0], LIG_BD_ID_MAX, false, 0), 0);
	assert_int_equal(lig_bd_ports_get(bd)->n, 0);
	assert_int_equal(lig_l2_set_xconnect(sw[0], sw[1]), 0);
	assert_int_equal(lig_if_get(sw[0])->l2.mode, LIG_IF_MODE_XCONNECT);
	assert_int_equal(lig_if_get(sw[0])->l2.xc_sw_if_index, sw[1]);
	assert_int_equal(lig_bd_ports_get(lig_bd_get(lig_bd_find(LIG_BD_ID_MAX)))->n, 0);
	assert_int_equal(lig_l2_set_xconnect(sw[0], sw[0]), -EINVAL);
	assert_int_equal(lig_l2_set_xconnect(sw[0], 4000), -ENOENT);
	/* ARP termination entries. */
	u8 mac[6] = {0x02, 0, 0, 0, 0, 0x42};
	assert_int_equal(lig_bd_arp_entry_add_del(77, 0x0100000a, mac, true), 0);
	assert_int_equal(lig_bd_arp_entry_add_del(77, 0x0200000a, mac, true), 0);
	assert_int_equal(lig_bd_get(lig_bd_find(77))->n_arp, 2);
	assert_int_equal(lig_bd_arp_entry_add_del(77, 0x0100000a, mac, false), 0);
	assert_int_equal(lig_bd_arp_entry_add_del(77, 0x0100000a, mac, false), -ENOENT);
	assert_int_equal(lig_bd_arp_entry_add_del(78, 0x0100000a, mac, true), -ENOENT);
	/* Deleting the domain empties its ARP entries. */
	u32 arp_before = lig_bd_main.arp.count;
	assert_int_equal(lig_bd_add_del(77, 0, 0, false), 0);
	assert_int_equal(lig_bd_main.arp.count, arp_before - 1);
}

static void
test_interface_deleted(void **state)
{
	u32 bdi = bd_create(9, 0);
	u8 mac[6];

	(void)state;
	struct lig_interface *ifp = lig_if_create(&test_class, "doomed", NULL, NULL);
	assert_non_null(ifp);
	u32 doomed = ifp->sw_if_index;
	assert_int_equal(lig_l2_set_bridge(doomed, 9, false, 0), 0);
	assert_int_equal(lig_l2_set_bridge(sw[0], 9, false, 0), 0);
	mac_of(400, mac);
	assert_int_equal(lig_l2fib_add(mac, 9, doomed, LIG_L2FIB_F_STATIC), 0);
	mac_of(401, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, doomed, 0), LIG_L2FIB_LEARN_NEW);
	/* A stray learned entry in another domain pointing at it goes too. */
	u32 bdi2 = bd_create(10, 0);
	assert_int_equal(lig_l2fib_learn(bdi2, mac, doomed, 0), LIG_L2FIB_LEARN_NEW);
	mac_of(402, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	/* A port cross-connected to it is left pointing nowhere: it goes back to L3. */
	assert_int_equal(lig_l2_set_xconnect(sw[1], doomed), 0);
	assert_int_equal(lig_if_delete(doomed), 0);
	assert_int_equal(lig_bd_ports_get(lig_bd_get(bdi))->n, 1);
	/* Its entries are stale at once (no scan at the delete: its sequence number moved),
	 * out of the table at the sweep. */
	assert_int_equal(port_of(bdi, 400), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 401), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi2, 401), LIG_INVALID_INDEX);
	assert_int_equal(lig_l2fib_sweep_all(), 3);
	assert_int_equal(lig_l2fib_main.table.count, 1);
	assert_int_equal(port_of(bdi, 402), sw[0]);
	assert_int_equal(lig_if_get(sw[1])->l2.mode, LIG_IF_MODE_L3);
	assert_int_equal(lig_if_get(sw[1])->l2.xc_sw_if_index, LIG_INVALID_INDEX);
}

/* A BVI's own MAC is a static FIB entry: changing the MAC replaces it. */
static void
test_bvi_mac_change(void **state)
{
	static const struct lig_if_class loop_class = {
	    .name = "loopback",
	    .tx_node_name = "error-drop",
	};
	u32 bdi = bd_create(11, 0);
	u8 old_mac[6], new_mac[6];

	(void)state;
	mac_of(500, old_mac);
	mac_of(501, new_mac);
	struct lig_interface *ifp = lig_if_create(&loop_class, "bvi-test", NULL, old_mac);
	assert_non_null(ifp);
	u32 bvi = ifp->sw_if_index;
	assert_int_equal(lig_l2_set_bridge(bvi, 11, true, 0), 0);
	assert_int_equal(port_of(bdi, 500), bvi);

	assert_int_equal(lig_if_set_mac(bvi, new_mac), 0);
	assert_int_equal(port_of(bdi, 500), LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 501), bvi);
	struct lig_hash64_slot *e = lig_l2fib_lookup(bdi, new_mac);
	assert_non_null(e);
	assert_true(lig_l2fib_value_flags(e->value) & LIG_L2FIB_F_BVI);
	assert_true(lig_l2fib_value_flags(e->value) & LIG_L2FIB_F_STATIC);
	assert_int_equal(lig_l2fib_main.n_static, 1);

	assert_int_equal(lig_if_delete(bvi), 0);
	assert_int_equal(port_of(bdi, 501), LIG_INVALID_INDEX);
	assert_int_equal(lig_l2fib_sweep_all(), 1);
	assert_int_equal(lig_l2fib_main.table.count, 0);
	assert_int_equal(lig_l2fib_main.n_static, 0);
}

static void
test_cli(void **state)
{
	struct lig_str out = {0};

	(void)state;
	assert_int_equal(lig_cli_execute("create bridge-domain 12 learn 0 mac-age 3", &out), 0);
	struct lig_bd *bd = lig_bd_get(lig_bd_find(12));
	assert_non_null(bd);
	assert_int_equal(bd->flags & LIG_BD_F_LEARN, 0);
	assert_int_equal(bd->mac_age, 3);
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("create bridge-domain 12", &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "already exists"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("create bridge-domain 13 learn 2", &out), -EINVAL);
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("set bridge-domain learn 12", &out), 0);
	assert_true(bd->flags & LIG_BD_F_LEARN);
	assert_int_equal(lig_cli_execute("set bridge-domain uu-flood 12 disable", &out), 0);
	assert_false(bd->flags & LIG_BD_F_UU_FLOOD);
	assert_int_equal(lig_cli_execute("set bridge-domain arp term 12", &out), 0);
	assert_true(bd->flags & LIG_BD_F_ARP_TERM);
	assert_int_equal(lig_cli_execute("set bridge-domain arp-term 12 disable", &out), 0);
	assert_false(bd->flags & LIG_BD_F_ARP_TERM);
	assert_int_equal(
	    lig_cli_execute("set bridge-domain arp entry 12 10.9.8.7 02:00:00:00:00:07", &out), 0);
	assert_int_equal(lig_cli_execute("set bridge-domain mac-age 12 9", &out), 0);
	assert_int_equal(bd->mac_age, 9);
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("show bridge-domain 12 detail", &out), 0);
	assert_non_null(strstr(lig_str_cstr(&out), "10.9.8.7 => 02:00:00:00:00:07"));
	lig_str_reset(&out);
	assert_int_equal(
	    lig_cli_execute("set bridge-domain arp entry 12 10.9.8.7 02:00:00:00:00:07 del", &out),
	    0);
	assert_int_equal(
	    lig_cli_execute("set bridge-domain arp entry 12 10.9.8.7 02:00:00:00:00:07 del", &out),
	    -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "no ARP entry for 10.9.8.7"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("set interface l2 bridge test1 12 shg 2", &out), 0);
	assert_int_equal(lig_cli_execute("l2fib add 02:00:00:00:00:01 12 test1 static", &out), 0);
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("show l2fib verbose", &out), 0);
	assert_non_null(strstr(lig_str_cstr(&out), "02:00:00:00:00:01"));
	assert_non_null(strstr(lig_str_cstr(&out), "1 l2fib entries"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("create bridge-domain 12 del", &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "still has ports"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("show bridge-domain 12 detail", &out), 0);
	assert_non_null(strstr(lig_str_cstr(&out), "test1"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("set interface l2 bridge test1 12 bvi", &out), -EINVAL);
	assert_non_null(strstr(lig_str_cstr(&out), "loopback"));
	lig_str_reset(&out);
	assert_int_equal(lig_cli_execute("l2fib del 02:00:00:00:00:01 12", &out), 0);
	assert_int_equal(lig_cli_execute("set interface l3 test1", &out), 0);
	assert_int_equal(lig_cli_execute("create bridge-domain 12 del", &out), 0);
	lig_str_free(&out);
}

static void
test_many(void **state)
{
	const u32 n = 60000;
	u32 bdi[3] = {bd_create(100, 0), bd_create(101, 0), bd_create(102, 0)};
	u8 mac[6];

	(void)state;
	for (u32 i = 0; i < n; i++) {
		mac_of(i, mac);
		assert_int_equal(lig_l2fib_learn(bdi[i % 3], mac, sw[i % N_IFS], 0),
				 LIG_L2FIB_LEARN_NEW);
	}
	assert_int_equal(lig_l2fib_main.n_learned, n);
	for (u32 i = 0; i < n; i++) {
		assert_int_equal(port_of(bdi[i % 3], i), sw[i % N_IFS]);
		assert_int_equal(port_of(bdi[(i + 1) % 3], i), LIG_INVALID_INDEX);
	}
	/* Deleting every other one keeps the rest reachable (backward-shift delete). */
	for (u32 i = 0; i < n; i += 2) {
		mac_of(i, mac);
		assert_int_equal(lig_l2fib_del(mac, 100 + i % 3), 0);
	}
	for (u32 i = 1; i < n; i += 2)
		assert_int_equal(port_of(bdi[i % 3], i), sw[i % N_IFS]);
	assert_int_equal(lig_l2fib_flush_interface(sw[1], LIG_INVALID_INDEX, false), n / 4);
	assert_int_equal(lig_l2fib_clear(), n / 4);
	assert_int_equal(lig_l2fib_main.table.count, 0);
}

/* A port leaving makes its entries stale at once; the timer's bounded sweep deletes
 * exactly those (and aged ones), slice by slice, and no entry of another port. */
static void
test_port_left_sweep(void **state)
{
	const u32 n = 40000;
	u32 bdi = bd_create(120, 0);
	u32 slots = lig_l2fib_main.table.mask + 1, steps = 0, swept = 0;
	u8 mac[6];

	(void)state;
	assert_int_equal(lig_l2_set_bridge(sw[0], 120, false, 0), 0);
	assert_int_equal(lig_l2_set_bridge(sw[1], 120, false, 0), 0);
	for (u32 i = 0; i < n; i++) {
		mac_of(1000000 + i, mac);
		assert_int_equal(lig_l2fib_learn(bdi, mac, sw[i % 2], 0), LIG_L2FIB_LEARN_NEW);
	}
	mac_of(999, mac);
	assert_int_equal(lig_l2fib_add(mac, 120, sw[0], LIG_L2FIB_F_STATIC), 0);
	u64 swept_before = lig_l2fib_main.n_swept;
	assert_int_equal(lig_l2_set_l3(sw[0]), 0);
	assert_int_equal(lig_l2fib_main.sweep_left, slots);
	for (u32 i = 0; i < n; i++)
		assert_int_equal(port_of(bdi, 1000000 + i), i % 2 ? sw[1] : LIG_INVALID_INDEX);
	assert_int_equal(port_of(bdi, 999), LIG_INVALID_INDEX);
	assert_int_equal(lig_l2fib_main.table.count, n + 1);
	/* Bounded steps: each looks at no more than it is given. */
	while (lig_l2fib_main.sweep_left) {
		u32 before = lig_l2fib_main.sweep_left;
		swept += lig_l2fib_sweep_step(4096);
		assert_true(before - lig_l2fib_main.sweep_left <= 4096);
		assert_true(++steps <= slots / 4096 + 1);
	}
	assert_int_equal(swept, n / 2 + 1);
	assert_int_equal(lig_l2fib_main.n_swept - swept_before, n / 2 + 1);
	assert_int_equal(lig_l2fib_main.table.count, n / 2);
	assert_int_equal(lig_l2fib_main.n_learned, n / 2);
	assert_int_equal(lig_l2fib_main.n_static, 0);
	for (u32 i = 1; i < n; i += 2)
		assert_int_equal(port_of(bdi, 1000000 + i), sw[1]);
	/* Nothing left to do: a step does nothing. */
	assert_int_equal(lig_l2fib_sweep_step(4096), 0);
	/* Rejoining: learned again, live. */
	assert_int_equal(lig_l2_set_bridge(sw[0], 120, false, 0), 0);
	mac_of(1000000, mac);
	assert_int_equal(lig_l2fib_learn(bdi, mac, sw[0], 0), LIG_L2FIB_LEARN_NEW);
	assert_int_equal(port_of(bdi, 1000000), sw[0]);
	/* 255 leaves before a full pass: the last one flushes the slow way instead of
	 * letting the sequence number come back to one a stale entry carries. */
	u64 flushes = lig_l2fib_main.n_port_flush;
	for (u32 k = 0; k < 300; k++) {
		assert_int_equal(lig_l2_set_l3(sw[0]), 0);
		assert_int_equal(lig_l2_set_bridge(sw[0], 120, false, 0), 0);
		assert_int_equal(port_of(bdi, 1000000), LIG_INVALID_INDEX);
	}
	assert_int_equal(lig_l2fib_main.n_port_flush - flushes, 1);
	lig_l2fib_sweep_all();
	assert_int_equal(lig_l2fib_main.table.count, n / 2);
	/* Aging goes through the same bounded step. */
	u32 aged = bd_create(121, 1);
	mac_of(77, mac);
	lig_l2fib_set_now(5000);
	assert_int_equal(lig_l2fib_learn(aged, mac, sw[2], 0), LIG_L2FIB_LEARN_NEW);
	lig_l2fib_set_now(5000 + 61);
	u32 got = 0;
	for (u32 k = 0; k <= slots / 4096; k++)
		got += lig_l2fib_sweep_step(4096);
	assert_int_equal(got, 1);
	assert_int_equal(port_of(aged, 77), LIG_INVALID_INDEX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_learn, test_teardown),
	    cmocka_unit_test_teardown(test_move, test_teardown),
	    cmocka_unit_test_teardown(test_static_vs_learned, test_teardown),
	    cmocka_unit_test_teardown(test_age, test_teardown),
	    cmocka_unit_test_teardown(test_learn_limit, test_teardown),
	    cmocka_unit_test_teardown(test_delete, test_teardown),
	    cmocka_unit_test_teardown(test_bd_control, test_teardown),
	    cmocka_unit_test_teardown(test_interface_deleted, test_teardown),
	    cmocka_unit_test_teardown(test_bvi_mac_change, test_teardown),
	    cmocka_unit_test_teardown(test_cli, test_teardown),
	    cmocka_unit_test_teardown(test_many, test_teardown),
	    cmocka_unit_test_teardown(test_port_left_sweep, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The L2 API (src/l2/api.h) against real ligds of this build (started here, killed by
 * PID): bridge domains, ports, xconnects, L2 FIB and ARP-termination entries created,
 * changed, deleted and dumped; the handlers' error texts; bad values refused; a large
 * FIB dump cut into slices comes back whole and in order; show running-config; and
 * round trips: a snapshot copy onto a fresh ligd, and the running-config replayed onto
 * another, both give the same canonical text.
 */
#include "api_testlib.h"

#include <arpa/inet.h>

#include "l2/api.h"

/* Five loopbacks with known MACs: loop0..loop4. */
static const char init_script[] = "loopback create mac 02:fe:00:00:00:01\n"
				  "loopback create mac 02:fe:00:00:00:02\n"
				  "loopback create mac 02:fe:00:00:00:03\n"
				  "loopback create mac 02:fe:00:00:00:04\n"
				  "loopback create mac 02:fe:00:00:00:05\n";

static struct tligd a; /* the group's ligd */

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start(&a, "l2", NULL, init_script);
}

/* Helpers. */

static u32
if_index(struct lig_api_client *c, const char *name)
{
	u32 sw = tif_index(c, name);

	assert_int_not_equal(sw, ~0u);
	return sw;
}

static int
bd_add(struct lig_api_client *c, u32 bd_id, u32 mac_age, lig_api_bridge_domain_add_del_reply_t *rep)
{
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id,
					       .is_add = 1,
					       .learn = 1,
					       .forward = 1,
					       .uu_flood = 1,
					       .flood = 1,
					       .mac_age = mac_age};

	return LIG_API_CLIENT_CALL(c, bridge_domain_add_del, &req, rep);
}

static int
bd_del(struct lig_api_client *c, u32 bd_id, lig_api_bridge_domain_add_del_reply_t *rep)
{
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id};

	return LIG_API_CLIENT_CALL(c, bridge_domain_add_del, &req, rep);
}

static int
bridge(struct lig_api_client *c, u32 sw, u32 bd_id, bool bvi, u8 shg,
       lig_api_sw_interface_set_l2_bridge_reply_t *rep)
{
	lig_api_sw_interface_set_l2_bridge_t req = {
	    .sw_if_index = sw, .bd_id = bd_id, .bvi = bvi, .shg = shg};

	return LIG_API_CLIENT_CALL(c, sw_interface_set_l2_bridge, &req, rep);
}

static int
set_l3(struct lig_api_client *c, u32 sw)
{
	lig_api_sw_interface_set_l3_t req = {.sw_if_index = sw};
	lig_api_sw_interface_set_l3_reply_t rep;

	return LIG_API_CLIENT_CALL(c, sw_interface_set_l3, &req, &rep);
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

static int
fib_add(struct lig_api_client *c, u32 bd_id, u32 n, u32 sw, bool is_static, bool bvi, bool filter,
	lig_api_l2fib_add_del_reply_t *rep)
{
	lig_api_l2fib_add_del_t req = {.bd_id = bd_id,
				       .sw_if_index = sw,
				       .is_add = 1,
				       .static_mac = is_static,
				       .bvi_mac = bvi,
				       .filter_mac = filter};

	mac_of(n, req.mac);
	return LIG_API_CLIENT_CALL(c, l2fib_add_del, &req, rep);
}

static int
arp_add_del(struct lig_api_client *c, u32 bd_id, const char *ip, u32 mac_n, bool is_add,
	    lig_api_bd_ip_mac_add_del_reply_t *rep)
{
	lig_api_bd_ip_mac_add_del_t req = {.bd_id = bd_id, .is_add = is_add, .ip4 = tip4(ip)};

	mac_of(mac_n, req.mac);
	return LIG_API_CLIENT_CALL(c, bd_ip_mac_add_del, &req, rep);
}

/* Bridge-domain details, members included. */
struct bds {
	u32 n;
	lig_api_bridge_domain_dump_details_t d[8];
	lig_api_l2_bd_member_t m[8][8];
};

static bool
bds_cb(void *ctx, const void *details, u32 size)
{
	struct bds *b = ctx;
	lig_api_bridge_domain_dump_details_t d;

	assert_true(size >= sizeof(d));
	memcpy(&d, details, sizeof(d));
	assert_int_equal(size, sizeof(d) + d.n_members * sizeof(lig_api_l2_bd_member_t));
	assert_true(b->n < 8 && d.n_members <= 8);
	b->d[b->n] = d;
	memcpy(b->m[b->n], (const u8 *)details + sizeof(d), d.n_members * sizeof(b->m[0][0]));
	b->n++;
	return true;
}

static int
bd_dump(struct lig_api_client *c, u32 bd_id, u32 sw, struct bds *b)
{
	lig_api_bridge_domain_dump_t req = {.bd_id = bd_id, .sw_if_index = sw};

	memset(b, 0, sizeof(*b));
	return LIG_API_CLIENT_DUMP(c, bridge_domain_dump, &req, bds_cb, b);
}

/* FIB details: all of them, checked in strictly ascending (domain index, MAC) order. */
struct fib {
	u32 n, cap;
	lig_api_l2fib_dump_details_t *d;
};

static u64
fib_order(const lig_api_l2fib_dump_details_t *d)
{
	u64 k = (u64)d->bd_index << 48;

	for (int i = 0; i < 6; i++)
		k |= (u64)d->mac[i] << (40 - 8 * i);
	return k;
}

static bool
fib_cb(void *ctx, const void *details, u32 size)
{
	struct fib *f = ctx;

	assert_int_equal(size, sizeof(f->d[0]));
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->d = realloc(f->d, f->cap * sizeof(f->d[0]));
		assert_non_null(f->d);
	}
	memcpy(&f->d[f->n], details, size);
	if (f->n > 0)
		assert_true(fib_order(&f->d[f->n - 1]) < fib_order(&f->d[f->n]));
	f->n++;
	return true;
}

static int
fib_dump(struct lig_api_client *c, const lig_api_l2fib_dump_t *req, struct fib *f)
{
	free(f->d);
	memset(f, 0, sizeof(*f));
	return LIG_API_CLIENT_DUMP(c, l2fib_dump, req, fib_cb, f);
}

static const char *const l2_cli_prefixes[] = {
    "create bridge-domain ",
    "set bridge-domain ",
    "set interface l2 ",
    "l2fib add ",
    "set l2 ",
    NULL,
};
static const char *const l2_text_prefixes[] = {
    "bridge_domain ", "bd_ip_mac ", "l2_xconnect ", "l2fib ", "l2fib_info ", NULL,
};

/* Tests. */

static void
test_bridge_domains(void **state)
{
	lig_api_bridge_domain_add_del_reply_t rep;
	struct bds b;

	(void)state;
	assert_int_equal(bd_add(a.c, 10, 0, &rep), 0);
	assert_int_not_equal(rep.bd_index, 0);
	u32 bd_index = rep.bd_index;
	assert_int_equal(bd_add(a.c, 10, 0, &rep), -EEXIST);
	assert_string_equal(rep.error, "bridge domain 10 already exists");
	assert_int_equal(bd_add(a.c, 0, 0, &rep), -EINVAL);
	assert_string_equal(rep.error, "bridge domain id 0 out of range (1..16777214)");
	assert_int_equal(bd_add(a.c, 0x1000000, 0, &rep), -EINVAL);
	assert_int_equal(bd_add(a.c, 11, 256, &rep), -EINVAL);
	assert_string_equal(rep.error,
			    "bridge domain 11: mac-age 256 out of range (0..255 minutes)");
	/* A bool is 0 or 1 (the framework checks it before the handler). */
	lig_api_bridge_domain_add_del_t bad = {.bd_id = 11, .is_add = 1, .learn = 2};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_add_del, &bad, &rep), -EINVAL);
	assert_non_null(strstr(rep.error, "field learn"));

	/* Update: flags and MAC age. */
	lig_api_bridge_domain_set_flags_t f = {
	    .bd_id = 10, .flags = LIG_L2_API_BD_FLAG_LEARN | LIG_L2_API_BD_FLAG_FLOOD};
	lig_api_bridge_domain_set_flags_reply_t frep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_flags, &f, &frep), 0);
	assert_int_equal(frep.flags, LIG_L2_API_BD_FLAG_FORWARD | LIG_L2_API_BD_FLAG_UU_FLOOD);
	f.flags = LIG_L2_API_BD_FLAG_ARP_TERM;
	f.is_set = 1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_flags, &f, &frep), 0);
	assert_int_equal(frep.flags, LIG_L2_API_BD_FLAG_FORWARD | LIG_L2_API_BD_FLAG_UU_FLOOD |
					 LIG_L2_API_BD_FLAG_ARP_TERM);
	f.flags = 0x40;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_flags, &f, &frep), -EINVAL);
	assert_non_null(strstr(frep.error, "bridge domain 10: flags 0x40"));
	f.flags = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_flags, &f, &frep), -EINVAL);
	f.bd_id = 99;
	f.flags = 1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_flags, &f, &frep), -ENOENT);
	assert_string_equal(frep.error, "bridge domain 99 does not exist");
	lig_api_bridge_domain_set_mac_age_t age = {.bd_id = 10, .mac_age = 7};
	lig_api_bridge_domain_set_mac_age_reply_t arep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_mac_age, &age, &arep), 0);
	age.mac_age = 1000;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_mac_age, &age, &arep), -EINVAL);
	age.bd_id = 99;
	age.mac_age = 1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_set_mac_age, &age, &arep), -ENOENT);

	/* Dump: everything, one, a missing one. */
	assert_int_equal(bd_add(a.c, 12, 3, &rep), 0);
	assert_int_equal(bd_dump(a.c, 0, 0, &b), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(bd_dump(a.c, 10, 0, &b), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.d[0].bd_id, 10);
	assert_int_equal(b.d[0].bd_index, bd_index);
	assert_false(b.d[0].learn);
	assert_true(b.d[0].forward);
	assert_true(b.d[0].uu_flood);
	assert_false(b.d[0].flood);
	assert_true(b.d[0].arp_term);
	assert_int_equal(b.d[0].mac_age, 7);
	assert_int_equal(b.d[0].bvi_sw_if_index, ~0u);
	assert_int_equal(b.d[0].n_members, 0);
	assert_string_equal(b.d[0].tag, "");
	assert_int_equal(bd_dump(a.c, 99, 0, &b), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "bridge domain 99 does not exist");

	/* A tag (VPP's bd_tag): given at creation, dumped, checked, forgotten with the
	 * domain; the CLI's bd-tag sets it too and show bridge-domain says it. */
	lig_api_bridge_domain_add_del_t t13 = {.bd_id = 13, .is_add = 1, .tag = "bd-red"};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_add_del, &t13, &rep), 0);
	assert_int_equal(bd_dump(a.c, 13, 0, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.d[0].tag, "bd-red");
	lig_api_bridge_domain_add_del_t t14 = {.bd_id = 14, .is_add = 1, .tag = "a\"b"};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_add_del, &t14, &rep), -EINVAL);
	assert_string_equal(rep.error, "bridge domain 14: a tag is printable ASCII but '\"'");
	snprintf(t14.tag, sizeof(t14.tag), "line\nbreak");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bridge_domain_add_del, &t14, &rep), -EINVAL);
	assert_int_equal(bd_dump(a.c, 14, 0, &b), -ENOENT);
	assert_int_equal(bd_del(a.c, 13, &rep), 0);
	assert_int_equal(bd_add(a.c, 13, 0, &rep), 0);
	assert_int_equal(bd_dump(a.c, 13, 0, &b), 0);
	assert_string_equal(b.d[0].tag, "");
	assert_int_equal(bd_del(a.c, 13, &rep), 0);
	char *out = tligd_cli_dup(&a, NULL, "'create bridge-domain 15 bd-tag \"blue bd\"'");
	free(out);
	assert_int_equal(bd_dump(a.c, 15, 0, &b), 0);
	assert_string_equal(b.d[0].tag, "blue bd");
	out = tligd_cli_dup(&a, NULL, "show bridge-domain");
	assert_non_null(strstr(out, "BD-Tag: blue bd\n"));
	free(out);
	assert_int_equal(bd_del(a.c, 15, &rep), 0);

	/* Delete. */
	assert_int_equal(bd_del(a.c, 10, &rep), 0);
	assert_int_equal(bd_del(a.c, 12, &rep), 0);
	assert_int_equal(bd_del(a.c, 10, &rep), -ENOENT);
	assert_string_equal(rep.error, "bridge domain 10 does not exist");
	assert_int_equal(bd_dump(a.c, 0, 0, &b), 0);
	assert_int_equal(b.n, 0);
}

struct xcs {
	u32 n;
	lig_api_l2_xconnect_dump_details_t d[4];
};

static bool
xcs_cb(void *ctx, const void *details, u32 size)
{
	struct xcs *x = ctx;

	assert_int_equal(size, sizeof(x->d[0]));
	assert_true(x->n < 4);
	memcpy(&x->d[x->n++], details, size);
	return true;
}

static void
test_ports(void **state)
{
	u32 loop[5];
	lig_api_bridge_domain_add_del_reply_t rep;
	lig_api_sw_interface_set_l2_bridge_reply_t brep;
	struct bds b;

	(void)state;
	for (u32 i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "loop%u", i);
		loop[i] = if_index(a.c, name);
	}
	assert_int_equal(bd_add(a.c, 20, 0, &rep), 0);
	assert_int_equal(bridge(a.c, loop[0], 20, false, 0, &brep), 0);
	assert_int_equal(bridge(a.c, loop[1], 20, false, 2, &brep), 0);
	assert_int_equal(bridge(a.c, loop[2], 20, true, 0, &brep), 0);
	assert_int_equal(bridge(a.c, loop[3], 20, true, 0, &brep), -EEXIST);
	assert_string_equal(brep.error, "bridge domain 20 already has BVI loop2");
	assert_int_equal(bridge(a.c, 999, 20, false, 0, &brep), -ENOENT);
	assert_string_equal(brep.error, "interface 999 does not exist");
	assert_int_equal(bridge(a.c, 0, 20, false, 0, &brep), -ENOENT);
	assert_int_equal(bridge(a.c, loop[3], 0, false, 0, &brep), -EINVAL);
	assert_string_equal(brep.error, "bridge domain id 0 out of range (1..16777214)");

	assert_int_equal(bd_dump(a.c, 20, 0, &b), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.d[0].n_members, 3);
	assert_int_equal(b.d[0].bvi_sw_if_index, loop[2]);
	assert_int_equal(b.m[0][0].sw_if_index, loop[0]);
	assert_int_equal(b.m[0][1].sw_if_index, loop[1]);
	assert_int_equal(b.m[0][1].shg, 2);
	assert_false(b.m[0][1].bvi);
	assert_int_equal(b.m[0][2].sw_if_index, loop[2]);
	assert_true(b.m[0][2].bvi);

	/* Deleting a domain with members is refused, naming how many. */
	assert_int_equal(bd_del(a.c, 20, &rep), -EBUSY);
	assert_string_equal(rep.error, "bridge domain 20 still has ports (3 members); remove them "
				       "first (set interface l3 <if>)");

	/* Bridging into a missing domain creates it (as VPP); the filter by interface. */
	assert_int_equal(bridge(a.c, loop[4], 21, false, 0, &brep), 0);
	assert_int_equal(bd_dump(a.c, 0, loop[4], &b), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.d[0].bd_id, 21);
	assert_true(b.d[0].learn && b.d[0].forward && b.d[0].flood && b.d[0].uu_flood);
	assert_int_equal(bd_dump(a.c, 0, loop[3], &b), 0);
	assert_int_equal(b.n, 0);
	assert_int_equal(bd_dump(a.c, 0, 999, &b), -ENOENT);

	/* xconnect, and back to L3. */
	lig_api_sw_interface_set_l2_xconnect_t xc = {.rx_sw_if_index = loop[3],
						     .tx_sw_if_index = loop[3]};
	lig_api_sw_interface_set_l2_xconnect_reply_t xrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_l2_xconnect, &xc, &xrep),
			 -EINVAL);
	assert_string_equal(xrep.error, "cannot cross-connect loop3 to itself");
	xc.tx_sw_if_index = 4000;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_l2_xconnect, &xc, &xrep),
			 -ENOENT);
	assert_string_equal(xrep.error, "interface 4000 does not exist");
	xc.tx_sw_if_index = loop[4];
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_l2_xconnect, &xc, &xrep), 0);
	lig_api_l2_xconnect_dump_t xreq = {0};
	struct xcs x = {0};
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, l2_xconnect_dump, &xreq, xcs_cb, &x), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.d[0].rx_sw_if_index, loop[3]);
	assert_int_equal(x.d[0].tx_sw_if_index, loop[4]);
	xreq.rx_sw_if_index = loop[0];
	x.n = 0;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, l2_xconnect_dump, &xreq, xcs_cb, &x), 0);
	assert_int_equal(x.n, 0);
	xreq.rx_sw_if_index = 999;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, l2_xconnect_dump, &xreq, xcs_cb, &x), -ENOENT);
	assert_int_equal(tif(a.c, loop[3]).l2_mode, 2);
	assert_int_equal(tif(a.c, loop[0]).l2_mode, 1);

	assert_int_equal(set_l3(a.c, loop[3]), 0);
	assert_int_equal(set_l3(a.c, 999), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "interface 999 does not exist");
	xreq.rx_sw_if_index = 0;
	x.n = 0;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, l2_xconnect_dump, &xreq, xcs_cb, &x), 0);
	assert_int_equal(x.n, 0);
	assert_int_equal(tif(a.c, loop[3]).l2_mode, 0);

	/* A port moved out: the domain shrinks; the last one out lets it be deleted. */
	assert_int_equal(set_l3(a.c, loop[4]), 0);
	assert_int_equal(bd_del(a.c, 21, &rep), 0);
	assert_int_equal(set_l3(a.c, loop[1]), 0);
	assert_int_equal(bd_dump(a.c, 20, 0, &b), 0);
	assert_int_equal(b.d[0].n_members, 2);
}

static void
test_l2fib(void **state)
{
	u32 loop0 = if_index(a.c, "loop0"), loop2 = if_index(a.c, "loop2");
	u32 loop4 = if_index(a.c, "loop4");
	lig_api_l2fib_add_del_reply_t rep;
	lig_api_l2fib_dump_t req = {0};
	struct fib f = {0};

	(void)state;
	/* bd 20 has loop0 and loop2 (BVI, MAC 02:fe:00:00:00:03) from test_ports. */
	assert_int_equal(fib_add(a.c, 20, 0xaa01, loop0, true, false, false, &rep), 0);
	assert_int_equal(fib_add(a.c, 20, 0xaa02, loop0, false, false, false, &rep), 0);
	assert_int_equal(fib_add(a.c, 20, 0xaa03, 0, false, false, true, &rep), 0);
	assert_int_equal(fib_add(a.c, 20, 0xaa04, loop4, true, false, false, &rep), -ENXIO);
	assert_string_equal(rep.error, "loop4 is not a port of bridge domain 20");
	assert_int_equal(fib_add(a.c, 20, 0xaa05, loop0, true, true, false, &rep), -ENXIO);
	assert_string_equal(rep.error, "loop0 is not the BVI of bridge domain 20");
	assert_int_equal(fib_add(a.c, 20, 0xaa06, loop2, true, true, true, &rep), -EINVAL);
	assert_int_equal(fib_add(a.c, 99, 0xaa06, loop0, true, false, false, &rep), -ENOENT);
	assert_string_equal(rep.error, "bridge domain 99 does not exist");
	assert_int_equal(fib_add(a.c, 20, 0xaa06, 999, true, false, false, &rep), -ENOENT);
	assert_string_equal(rep.error, "interface 999 does not exist");
	lig_api_l2fib_add_del_t mc = {
	    .bd_id = 20, .sw_if_index = loop0, .is_add = 1, .mac = {1, 0, 0x5e, 0, 0, 1}};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_add_del, &mc, &rep), -EINVAL);
	assert_string_equal(
	    rep.error, "a multicast or zero MAC cannot be an L2 FIB entry (01:00:5e:00:00:01)");

	/* All: the BVI's own entry, two static, one not static; sorted by MAC. */
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, 4);
	assert_int_equal(f.d[0].mac[5], 0x01);
	assert_true(f.d[0].static_mac && !f.d[0].learned && f.d[0].sw_if_index == loop0);
	assert_int_equal(f.d[0].age_minutes, ~0u);
	assert_true(!f.d[1].static_mac && f.d[1].learned);
	assert_true(f.d[2].filter_mac && f.d[2].static_mac);
	assert_int_equal(f.d[2].sw_if_index, ~0u);
	assert_true(f.d[3].bvi_mac && f.d[3].static_mac);
	assert_int_equal(f.d[3].sw_if_index, loop2);
	assert_int_equal(f.d[3].mac[5], 0x03);
	for (u32 i = 0; i < f.n; i++)
		assert_int_equal(f.d[i].bd_id, 20);
	/* Filters. */
	req.static_only = 1;
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, 3);
	req.static_only = 0;
	req.learned_only = 1;
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.d[0].mac[5], 0x02);
	req.static_only = 1;
	assert_int_equal(fib_dump(a.c, &req, &f), -EINVAL);
	req = (lig_api_l2fib_dump_t){.sw_if_index = loop0};
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, 2);
	req = (lig_api_l2fib_dump_t){.bd_id = 99};
	assert_int_equal(fib_dump(a.c, &req, &f), -ENOENT);
	assert_string_equal(lig_api_last_error(a.c), "bridge domain 99 does not exist");

	/* Totals, clear, learn limit. */
	lig_api_l2fib_info_t ireq;
	lig_api_l2fib_info_reply_t info;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_info, &ireq, &info), 0);
	assert_int_equal(info.n_static, 3);
	assert_int_equal(info.n_learned, 1);
	assert_int_equal(info.learn_limit, 65536);
	assert_int_equal(info.capacity, 131072);
	lig_api_l2fib_clear_t creq;
	lig_api_l2fib_clear_reply_t crep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_clear, &creq, &crep), 0);
	assert_int_equal(crep.n_removed, 1);
	lig_api_l2fib_set_learn_limit_t lim = {.learn_limit = 0};
	lig_api_l2fib_set_learn_limit_reply_t lrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_set_learn_limit, &lim, &lrep), -EINVAL);
	assert_string_equal(lrep.error, "L2 FIB learn limit 0 out of range (1..131072)");
	lim.learn_limit = 131073;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_set_learn_limit, &lim, &lrep), -EINVAL);
	lim.learn_limit = 1;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_set_learn_limit, &lim, &lrep), 0);
	assert_int_equal(fib_add(a.c, 20, 0xaa07, loop0, false, false, false, &rep), 0);
	assert_int_equal(fib_add(a.c, 20, 0xaa08, loop0, false, false, false, &rep), -ENOSPC);
	assert_string_equal(rep.error, "L2 FIB full (learn limit 1, capacity 131072)");
	lim.learn_limit = 65536;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_set_learn_limit, &lim, &lrep), 0);

	/* Delete. */
	lig_api_l2fib_add_del_t del = {.bd_id = 20};
	mac_of(0xaa07, del.mac);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_add_del, &del, &rep), 0);
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_add_del, &del, &rep), -ENOENT);
	assert_string_equal(rep.error, "02:00:00:00:aa:07 not in the L2 FIB of bridge domain 20");
	free(f.d);
}

/* More entries than a slice (512) and a batch (1024), in two domains: the socket dump
 * comes back whole, each once, in order (fib_cb checks the order). */
static void
test_l2fib_large_dump(void **state)
{
	const u32 n = 3000;
	u32 loop0 = if_index(a.c, "loop0"), loop1 = if_index(a.c, "loop1");
	lig_api_bridge_domain_add_del_reply_t brep;
	lig_api_sw_interface_set_l2_bridge_reply_t srep;
	lig_api_l2fib_add_del_reply_t rep;
	lig_api_l2fib_dump_t req = {0};
	struct fib f = {0};

	(void)state;
	assert_int_equal(bd_add(a.c, 30, 0, &brep), 0);
	assert_int_equal(bridge(a.c, loop1, 30, false, 0, &srep), 0);
	for (u32 i = 0; i < n; i++) {
		/* Interleaved: hash order is not MAC order. */
		u32 bd = i % 2 ? 20 : 30, sw = i % 2 ? loop0 : loop1;
		assert_int_equal(
		    fib_add(a.c, bd, 0x100000 + i * 7919, sw, true, false, false, &rep), 0);
	}
	req.static_only = 1;
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, n + 3); /* and aa:01, the filter, the BVI's */
	req.bd_id = 30;
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, n / 2);
	/* Clean up: moving the port out takes its entries with it. */
	assert_int_equal(set_l3(a.c, loop1), 0);
	assert_int_equal(fib_dump(a.c, &req, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(bd_del(a.c, 30, &brep), 0);
	for (u32 i = 1; i < n; i += 2) {
		lig_api_l2fib_add_del_t del = {.bd_id = 20};
		mac_of(0x100000 + i * 7919, del.mac);
		assert_int_equal(LIG_API_CLIENT_CALL(a.c, l2fib_add_del, &del, &rep), 0);
	}
	free(f.d);
}

/* Sends count l2fib_add_del requests (MACs base + i*step .. ) pipelined; all succeed. */
static void
fib_bulk(struct lig_api_client *c, u32 bd_id, u32 sw, u32 base, u32 from, u32 to, u32 step,
	 bool is_add)
{
	const u32 window = 256;
	u32 ctx[256];

	for (u32 i = from; i < to;) {
		u32 n = 0;
		for (; i < to && n < window; i += step, n++) {
			lig_api_l2fib_add_del_t req = {
			    .bd_id = bd_id, .sw_if_index = sw, .is_add = is_add, .static_mac = 1};
			mac_of(base + i, req.mac);
			int64_t k = lig_api_send(c, LIG_API_ID_l2fib_add_del, &req, sizeof(req));
			assert_true(k >= 0);
			ctx[n] = (u32)k;
		}
		for (u32 k = 0; k < n; k++) {
			lig_api_l2fib_add_del_reply_t rep;
			assert_int_equal(lig_api_recv_reply(c, ctx[k], &rep, sizeof(rep)), 0);
		}
	}
}

#define CHURN_N 60000u
#define CHURN_BASE 0x300000u

struct churn {
	struct lig_api_client *other;
	u32 bd_id, sw, n, bad;
	u64 last;
	u8 seen[CHURN_N + 2000];
};

static bool
churn_cb(void *ctx, const void *details, u32 size)
{
	struct churn *x = ctx;
	lig_api_l2fib_dump_details_t d;

	assert_int_equal(size, sizeof(d));
	memcpy(&d, details, sizeof(d));
	u64 order = fib_order(&d);
	if (x->n && order <= x->last)
		x->bad++;
	x->last = order;
	u32 i = ((u32)d.mac[2] << 24 | (u32)d.mac[3] << 16 | (u32)d.mac[4] << 8 | d.mac[5]) -
		CHURN_BASE;
	if (i < sizeof(x->seen) && x->seen[i] < 255)
		x->seen[i]++;
	/* Part of the way in, another client deletes a third of the entries and adds new
	 * ones; the dump goes on from where it was. */
	if (++x->n == 100) {
		fib_bulk(x->other, x->bd_id, x->sw, CHURN_BASE, 0, CHURN_N, 3, false);
		fib_bulk(x->other, x->bd_id, x->sw, CHURN_BASE, CHURN_N, CHURN_N + 2000, 1, true);
	}
	return true;
}

/* A dump larger than the server sends ahead of a slow reader (1 MiB, ~24000 details of 43
 * bytes), while another client
 * changes the table: every entry present throughout comes exactly once, in order. */
static void
test_l2fib_dump_while_changing(void **state)
{
	u32 loop3 = if_index(a.c, "loop3");
	lig_api_sw_interface_set_l2_bridge_reply_t brep;
	lig_api_bridge_domain_add_del_reply_t rep;
	lig_api_l2fib_dump_t req = {.bd_id = 31};
	struct churn *x = calloc(1, sizeof(*x));
	char err[256];

	(void)state;
	assert_non_null(x);
	assert_int_equal(bridge(a.c, loop3, 31, false, 0, &brep), 0);
	fib_bulk(a.c, 31, loop3, CHURN_BASE, 0, CHURN_N, 1, true);
	x->other = lig_api_connect(a.api, err, sizeof(err));
	assert_non_null(x->other);
	x->bd_id = 31;
	x->sw = loop3;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, l2fib_dump, &req, churn_cb, x), 0);
	assert_int_equal(x->bad, 0);
	u32 kept = 0, gone = 0;
	for (u32 i = 0; i < CHURN_N; i++) {
		assert_true(x->seen[i] <= 1);
		if (i % 3)
			assert_int_equal(x->seen[i], 1), kept++;
		else
			gone += !x->seen[i];
	}
	assert_int_equal(kept, CHURN_N - (CHURN_N + 2) / 3);
	/* The deletes landed while the dump was under way: some came too late to be seen. */
	assert_true(gone > 0);
	lig_api_disconnect(x->other);
	free(x);
	assert_int_equal(set_l3(a.c, loop3), 0);
	assert_int_equal(bd_del(a.c, 31, &rep), 0);
}

struct arps {
	u32 n;
	lig_api_bd_ip_mac_dump_details_t d[8];
};

static bool
arps_cb(void *ctx, const void *details, u32 size)
{
	struct arps *x = ctx;

	assert_int_equal(size, sizeof(x->d[0]));
	assert_true(x->n < 8);
	memcpy(&x->d[x->n++], details, size);
	return true;
}

static void
test_arp_term(void **state)
{
	lig_api_bd_ip_mac_add_del_reply_t rep;
	lig_api_bd_ip_mac_dump_t req = {0};
	struct arps x = {0};
	struct bds b;
	char ip[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(arp_add_del(a.c, 20, "10.0.0.9", 9, true, &rep), 0);
	assert_int_equal(arp_add_del(a.c, 20, "10.0.0.10", 10, true, &rep), 0);
	assert_int_equal(arp_add_del(a.c, 20, "9.0.0.1", 1, true, &rep), 0);
	assert_int_equal(arp_add_del(a.c, 99, "10.0.0.9", 9, true, &rep), -ENOENT);
	assert_string_equal(rep.error, "bridge domain 99 does not exist");
	assert_int_equal(arp_add_del(a.c, 20, "10.0.0.7", 7, false, &rep), -ENOENT);
	assert_string_equal(rep.error, "no ARP entry for 10.0.0.7 in bridge domain 20");
	lig_api_bd_ip_mac_add_del_t mc = {.bd_id = 20, .ip4 = htonl(0x0a000001), .is_add = 1};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, bd_ip_mac_add_del, &mc, &rep), -EINVAL);
	assert_string_equal(rep.error,
			    "a multicast or zero MAC cannot answer ARP (00:00:00:00:00:00 for "
			    "10.0.0.1)");

	/* In address order. */
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, bd_ip_mac_dump, &req, arps_cb, &x), 0);
	assert_int_equal(x.n, 3);
	const char *want[] = {"9.0.0.1", "10.0.0.9", "10.0.0.10"};
	for (u32 i = 0; i < 3; i++) {
		struct in_addr in = {.s_addr = x.d[i].ip4};
		assert_string_equal(inet_ntop(AF_INET, &in, ip, sizeof(ip)), want[i]);
		assert_int_equal(x.d[i].bd_id, 20);
	}
	assert_int_equal(x.d[1].mac[5], 9);
	assert_int_equal(bd_dump(a.c, 20, 0, &b), 0);
	assert_int_equal(b.d[0].n_arp_entries, 3);
	assert_int_equal(arp_add_del(a.c, 20, "10.0.0.10", 10, false, &rep), 0);
	req.bd_id = 20;
	x.n = 0;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, bd_ip_mac_dump, &req, arps_cb, &x), 0);
	assert_int_equal(x.n, 2);
	req.bd_id = 98;
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, bd_ip_mac_dump, &req, arps_cb, &x), -ENOENT);
}

/* A fresh ligd configured through the API with one of everything; its running-config;
 * a snapshot copy onto another fresh ligd; its running-config replayed on a third. */
static void
test_running_config_and_round_trips(void **state)
{
	/* Static: a failed assertion leaves the test, and teardown stops what is running. */
	static struct tligd s, b, c;
	lig_api_bridge_domain_add_del_reply_t rep;
	lig_api_sw_interface_set_l2_bridge_reply_t brep;
	lig_api_l2fib_add_del_reply_t frep;
	lig_api_bd_ip_mac_add_del_reply_t arep;
	char l2[4096], l2_text_s[8192], l2_text_c[8192];

	(void)state;
	assert_int_equal(tligd_start(&s, "l2", NULL, init_script), 0);
	u32 loop[5];
	for (u32 i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "loop%u", i);
		loop[i] = if_index(s.c, name);
	}
	/* Index order differs from id order: running-config sorts by id. */
	assert_int_equal(bd_add(s.c, 50, 0, &rep), 0);
	lig_api_bridge_domain_add_del_t bd40 = {.bd_id = 40,
						.is_add = 1,
						.forward = 1,
						.flood = 1,
						.arp_term = 1,
						.mac_age = 5,
						.tag = "green net"};
	assert_int_equal(LIG_API_CLIENT_CALL(s.c, bridge_domain_add_del, &bd40, &rep), 0);
	assert_int_equal(bridge(s.c, loop[0], 40, false, 0, &brep), 0);
	assert_int_equal(bridge(s.c, loop[2], 40, false, 3, &brep), 0);
	assert_int_equal(bridge(s.c, loop[1], 40, true, 0, &brep), 0);
	assert_int_equal(bridge(s.c, loop[4], 50, false, 0, &brep), 0);
	lig_api_sw_interface_set_l2_xconnect_t xc = {.rx_sw_if_index = loop[3],
						     .tx_sw_if_index = loop[4]};
	lig_api_sw_interface_set_l2_xconnect_reply_t xrep;
	assert_int_equal(LIG_API_CLIENT_CALL(s.c, sw_interface_set_l2_xconnect, &xc, &xrep), 0);
	assert_int_equal(fib_add(s.c, 40, 0xbb01, loop[2], true, false, false, &frep), 0);
	assert_int_equal(fib_add(s.c, 40, 0xbb02, 0, false, false, true, &frep), 0);
	assert_int_equal(fib_add(s.c, 40, 0xbb03, loop[1], true, true, false, &frep), 0);
	assert_int_equal(fib_add(s.c, 50, 0xbb04, loop[4], false, false, false, &frep), 0);
	assert_int_equal(arp_add_del(s.c, 40, "10.4.0.1", 0x401, true, &arep), 0);
	lig_api_l2fib_set_learn_limit_t lim = {.learn_limit = 5000};
	lig_api_l2fib_set_learn_limit_reply_t lrep;
	assert_int_equal(LIG_API_CLIENT_CALL(s.c, l2fib_set_learn_limit, &lim, &lrep), 0);

	char *rc = tligd_running_config(&s);
	tlines(rc, l2_cli_prefixes, l2, sizeof(l2));
	assert_string_equal(l2, "create bridge-domain 40 learn 0 uu-flood 0 arp-term 1 mac-age 5 "
				"bd-tag \"green net\"\n"
				"create bridge-domain 50\n"
				"set bridge-domain arp entry 40 10.4.0.1 02:00:00:00:04:01\n"
				"set l2 learn-limit 5000\n"
				"set interface l2 bridge loop0 40\n"
				"set interface l2 bridge loop2 40 shg 3\n"
				"set interface l2 bridge loop1 40 bvi\n"
				"set interface l2 bridge loop4 50\n"
				"set interface l2 xconnect loop3 loop4\n"
				"l2fib add 02:00:00:00:bb:01 40 loop2 static\n"
				"l2fib add 02:00:00:00:bb:02 40 filter\n"
				"l2fib add 02:00:00:00:bb:03 40 loop1 static bvi\n");
	/* The L2 lines keep their sections' order: bridge domains before ports. */
	assert_true(strstr(rc, "create bridge-domain 50") < strstr(rc, "set interface l2 bridge"));

	char *text_s = tsnapshot_text(&s);
	tlines(text_s, l2_text_prefixes, l2_text_s, sizeof(l2_text_s));
	/* Names, not indices; no state (learned entry, index, counts). */
	assert_non_null(strstr(l2_text_s, "\"sw_if_index\":\"loop2\",\"shg\":3"));
	assert_non_null(strstr(l2_text_s, "l2fib_info {\"learn_limit\":5000}"));
	assert_null(strstr(l2_text_s, "bb:04"));
	assert_null(strstr(l2_text_s, "bd_index"));
	assert_non_null(strstr(l2_text_s, "\"tag\":\"green net\""));

	/* Snapshot copy onto a fresh ligd (the loopbacks are created by their step): the same
	 * text. */
	assert_int_equal(tligd_start(&b, "l2", NULL, NULL), 0);
	free(tsnapshot_round_trip(&s, &b));

	/* The whole running-config replayed on another fresh ligd: the same L2 text. */
	assert_int_equal(tligd_start(&c, "l2", NULL, NULL), 0);
	assert_int_equal(tligd_exec(&c, rc), 0);
	char *text_c = tsnapshot_text(&c);
	tlines(text_c, l2_text_prefixes, l2_text_c, sizeof(l2_text_c));
	assert_string_equal(l2_text_c, l2_text_s);

	free(rc);
	free(text_s);
	free(text_c);
	assert_int_equal(tligd_stop(&c), 0);
	assert_int_equal(tligd_stop(&b), 0);
	assert_int_equal(tligd_stop(&s), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bridge_domains),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_l2fib),
	    cmocka_unit_test(test_l2fib_large_dump),
	    cmocka_unit_test(test_l2fib_dump_while_changing),
	    cmocka_unit_test(test_arp_term),
	    cmocka_unit_test(test_running_config_and_round_trips),
	};
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

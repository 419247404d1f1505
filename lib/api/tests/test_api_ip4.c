/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ip4 API (src/ip4/api.h) against real ligds of this build (started here, stopped by
 * PID): VRF tables, interface table/addresses/proxy ARP, routes with weighted paths (one
 * at a time and in bulk), neighbours and aging created, changed, deleted and dumped; the
 * handlers' error texts; bad values refused; a route dump of 100 000 routes streamed in
 * slices while another client is served; show running-config; a snapshot copy onto a
 * fresh ligd and the running-config replayed onto another give the same canonical text.
 */
#include "api_testlib.h"

#include <arpa/inet.h>

#include "ip4/api.h"
#include "vlib/api.h"

/* loop0, loop1 and loop2 with known MACs, up. */
static const char init_script[] = "loopback create mac 02:fe:00:00:07:01\n"
				  "loopback create mac 02:fe:00:00:07:02\n"
				  "loopback create mac 02:fe:00:00:07:03\n"
				  "set interface state loop0 up\n"
				  "set interface state loop1 up\n";

static struct tligd a;	  /* the group's ligd */
static struct tligd b, c; /* the round trips' fresh ones, stopped after each test */
static u32 loop0, loop1, loop2;

static int
group_setup(void **state)
{
	(void)state;
	return tligd_start_ifs(&a, "ip4", NULL, init_script, "loop0", &loop0, "loop1", &loop1,
			       "loop2", &loop2, NULL);
}

/* After each test, passed or failed: no ligd of a round trip outlives it. */
static int
test_teardown(void **state)
{
	(void)state;
	return tligd_stop(&b) | tligd_stop(&c);
}

/* -------- calls -------- */

static int
address(struct lig_api_client *c, u32 sw, const char *a, u8 len, bool is_add, char *err)
{
	lig_api_sw_interface_add_del_address_t req = {
	    .sw_if_index = sw, .address = tip4(a), .len = len, .is_add = is_add};
	lig_api_sw_interface_add_del_address_reply_t rep;
	int rv = LIG_API_CLIENT_CALL(c, sw_interface_add_del_address, &req, &rep);
	if (err)
		strcpy(err, rep.error);
	return rv;
}

static int
set_table(struct lig_api_client *c, u32 sw, u32 id, char *err)
{
	lig_api_sw_interface_set_table_t req = {.sw_if_index = sw, .table_id = id};
	lig_api_sw_interface_set_table_reply_t rep;
	int rv = LIG_API_CLIENT_CALL(c, sw_interface_set_table, &req, &rep);
	if (err)
		strcpy(err, rep.error);
	return rv;
}

struct path {
	u8 type, weight;
	const char *nh;
	u32 sw;
};

static int
route(struct lig_api_client *c, u32 table_id, const char *prefix, u8 len, bool is_add,
      bool multipath, const struct path *p, u32 n, char *err)
{
	u8 buf[sizeof(lig_api_ip_route_add_del_t) + 20 * sizeof(lig_api_ip4_path_t)] = {0};
	lig_api_ip_route_add_del_t *req = (void *)buf;
	lig_api_ip_route_add_del_reply_t rep;

	req->table_id = table_id;
	req->address = tip4(prefix);
	req->len = len;
	req->is_add = is_add;
	req->is_multipath = multipath;
	req->n_paths = n;
	for (u32 i = 0; i < n; i++) {
		req->paths[i].type = p[i].type;
		req->paths[i].weight = p[i].weight;
		req->paths[i].nh = p[i].nh ? tip4(p[i].nh) : 0;
		req->paths[i].sw_if_index = p[i].sw;
	}
	int rv =
	    lig_api_call(c, LIG_API_ID_ip_route_add_del, buf,
			 (u32)(sizeof(*req) + n * sizeof(lig_api_ip4_path_t)), &rep, sizeof(rep));
	if (err)
		strcpy(err, rep.error);
	return rv;
}

/* The API routes of a table whose prefix is `prefix`, into t (source api). */
static const lig_api_ip_route_dump_details_t *
find_route(struct lig_api_client *c, u32 table_id, const char *prefix, u8 len, struct tdump *t)
{
	lig_api_ip_route_dump_t req = {.by_table = 1, .table_id = table_id, .source = 2};
	assert_int_equal(TDUMP(c, ip_route_dump, &req, t), 0);
	for (u32 i = 0; i < t->n && i < TDUMP_MAX; i++) {
		const lig_api_ip_route_dump_details_t *d = TDETAILS(t, ip_route_dump, i);
		if (d->address == tip4(prefix) && d->len == len)
			return d;
	}
	return NULL;
}

/* -------- tests -------- */

static void
test_tables(void **state)
{
	char err[LIG_API_ERROR_SIZE];
	struct tdump t;
	lig_api_ip_table_dump_t req;
	(void)state;

	assert_int_equal(tip_table(a.c, 5, true, err), 0);
	assert_int_equal(tip_table(a.c, 5, true, err), 0); /* idempotent */
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(TDETAILS(&t, ip_table_dump, 0)->table_id, 0);
	assert_int_equal(TDETAILS(&t, ip_table_dump, 1)->table_id, 5);

	assert_int_equal(tip_table(a.c, 0, false, err), -EBUSY);
	assert_string_equal(err, "table 0 is in use: the default table cannot be deleted");
	assert_int_equal(tip_table(a.c, 99, false, err), -ENOENT);
	assert_string_equal(err, "no table 99");
	assert_int_equal(tip_table(a.c, 6, true, err), 0);
	assert_int_equal(tip_table(a.c, 6, false, err), 0);
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(TDETAILS(&t, ip_table_dump, 1)->name, "");

	/* Names (VPP's table name, vpp-agent's VRF label): set at creation, kept by an add
	 * without a name, replaced by an add with one, checked. */
	lig_api_ip_table_add_del_t nreq = {.table_id = 7, .is_add = 1, .name = "blue"};
	lig_api_ip_table_add_del_reply_t nrep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_table_add_del, &nreq, &nrep), 0);
	assert_int_equal(tip_table(a.c, 7, true, err), 0);
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(TDETAILS(&t, ip_table_dump, 2)->table_id, 7);
	assert_string_equal(TDETAILS(&t, ip_table_dump, 2)->name, "blue");
	snprintf(nreq.name, sizeof(nreq.name), "blue net");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_table_add_del, &nreq, &nrep), 0);
	snprintf(nreq.name, sizeof(nreq.name), "bad\"name");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_table_add_del, &nreq, &nrep), -EINVAL);
	assert_string_equal(nrep.error, "table 7: a name is printable ASCII but '\"'");
	snprintf(nreq.name, sizeof(nreq.name), "tab\there");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_table_add_del, &nreq, &nrep), -EINVAL);
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_string_equal(TDETAILS(&t, ip_table_dump, 2)->name, "blue net");
	/* A deleted table forgets its name. */
	lig_api_ip_table_add_del_t n8 = {.table_id = 8, .is_add = 1, .name = "gone"};
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_table_add_del, &n8, &nrep), 0);
	assert_int_equal(tip_table(a.c, 8, false, err), 0);
	assert_int_equal(tip_table(a.c, 8, true, err), 0);
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_int_equal(t.n, 4);
	assert_string_equal(TDETAILS(&t, ip_table_dump, 3)->name, "");
	assert_int_equal(tip_table(a.c, 8, false, err), 0);
	/* The CLI names a table too; show ip fib says it. */
	char *out = tligd_cli_dup(&a, NULL, "ip table add 9 name red");
	free(out);
	out = tligd_cli_dup(&a, NULL, "show ip fib table 9");
	assert_non_null(strstr(out, "ipv4-VRF:9, fib_index:"));
	assert_non_null(strstr(out, ", name:red\n"));
	free(out);
	assert_int_equal(TDUMP(a.c, ip_table_dump, &req, &t), 0);
	assert_int_equal(t.n, 4);
	assert_string_equal(TDETAILS(&t, ip_table_dump, 3)->name, "red");
}

static void
test_interfaces(void **state)
{
	char err[LIG_API_ERROR_SIZE];
	struct tdump t;
	(void)state;

	assert_int_equal(set_table(a.c, loop1, 5, err), 0);
	assert_int_equal(set_table(a.c, loop1, 77, err), -ENOENT);
	assert_string_equal(err, "no table 77 (ip table add 77)");
	assert_int_equal(address(a.c, loop0, "10.7.0.1", 24, true, err), 0);
	assert_int_equal(address(a.c, loop1, "10.7.5.1", 24, true, err), 0);
	assert_int_equal(address(a.c, loop1, "10.7.6.1", 24, true, err), 0);

	/* Errors, each in the module's words. */
	assert_int_equal(address(a.c, loop0, "10.7.0.1", 24, true, err), -EEXIST);
	assert_string_equal(err, "address 10.7.0.1 is already configured on loop0");
	assert_int_equal(address(a.c, loop2, "10.7.0.9", 24, true, err), -EADDRINUSE);
	assert_string_equal(err, "subnet 10.7.0.0/24 is configured on another interface (loop0)");
	assert_int_equal(address(a.c, loop0, "10.7.9.1", 24, false, err), -ENOENT);
	assert_string_equal(
	    err, "no such address on the interface: 10.7.9.1/24 is not an address of loop0");
	assert_int_equal(address(a.c, loop0, "10.7.9.1", 0, true, err), -EINVAL);
	assert_string_equal(err, "prefix length 0 out of range (1..32)");
	assert_int_equal(address(a.c, loop0, "10.7.9.1", 33, true, err), -EINVAL);
	assert_int_equal(address(a.c, loop0, "224.0.0.1", 24, true, err), -EINVAL);
	assert_string_equal(err, "224.0.0.1 is not a unicast address");
	assert_int_equal(address(a.c, 999, "10.7.9.1", 24, true, err), -ENOENT);
	assert_string_equal(err, "interface 999 does not exist");
	assert_int_equal(set_table(a.c, loop0, 5, err), -EBUSY);
	assert_string_equal(err, "interface loop0 has addresses; delete them first");
	assert_int_equal(tip_table(a.c, 5, false, err), -EBUSY);
	assert_string_equal(err, "table 5 is in use by 1 interface with addresses; delete the "
				 "addresses first");

	lig_api_sw_interface_set_proxy_arp_t p = {.sw_if_index = loop0, .enable = 1};
	lig_api_sw_interface_set_proxy_arp_reply_t pr;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, sw_interface_set_proxy_arp, &p, &pr), 0);

	lig_api_ip_interface_dump_t req = {.sw_if_index = loop1};
	assert_int_equal(TDUMP(a.c, ip_interface_dump, &req, &t), 0);
	assert_int_equal(t.n, 1);
	const lig_api_ip_interface_dump_details_t *d = TDETAILS(&t, ip_interface_dump, 0);
	assert_int_equal(d->sw_if_index, loop1);
	assert_int_equal(d->table_id, 5);
	assert_false(d->proxy_arp);
	assert_int_equal(d->n_addresses, 2);
	/* The addresses of one interface, in the order added; of all, by interface. */
	lig_api_ip_address_dump_t areq = {.sw_if_index = loop1};
	assert_int_equal(TDUMP(a.c, ip_address_dump, &areq, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(TDETAILS(&t, ip_address_dump, 0)->sw_if_index, loop1);
	assert_int_equal(TDETAILS(&t, ip_address_dump, 0)->address, tip4("10.7.5.1"));
	assert_int_equal(TDETAILS(&t, ip_address_dump, 1)->address, tip4("10.7.6.1"));
	assert_int_equal(TDETAILS(&t, ip_address_dump, 1)->len, 24);
	areq.sw_if_index = 0;
	assert_int_equal(TDUMP(a.c, ip_address_dump, &areq, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(TDETAILS(&t, ip_address_dump, 0)->address, tip4("10.7.0.1"));
	assert_int_equal(TDETAILS(&t, ip_address_dump, 2)->address, tip4("10.7.6.1"));
	areq.sw_if_index = loop2;
	assert_int_equal(TDUMP(a.c, ip_address_dump, &areq, &t), 0);
	assert_int_equal(t.n, 0);
	areq.sw_if_index = 999;
	assert_int_equal(TDUMP(a.c, ip_address_dump, &areq, &t), -ENOENT);
	/* Deleting one address keeps the other. */
	assert_int_equal(address(a.c, loop1, "10.7.6.1", 24, false, err), 0);
	assert_int_equal(TDUMP(a.c, ip_interface_dump, &req, &t), 0);
	assert_int_equal(TDETAILS(&t, ip_interface_dump, 0)->n_addresses, 1);
	areq.sw_if_index = loop1;
	assert_int_equal(TDUMP(a.c, ip_address_dump, &areq, &t), 0);
	assert_int_equal(t.n, 1);
	char *out = tligd_cli_dup(&a, NULL, "show ip interface");
	assert_non_null(
	    strstr(out, "loop0 (table 0)\n  10.7.0.1/24\nloop1 (table 5)\n  10.7.5.1/24\n"));
	free(out);

	lig_api_ip_interface_dump_t all = {0};
	assert_int_equal(TDUMP(a.c, ip_interface_dump, &all, &t), 0);
	assert_int_equal(t.n, 3); /* every interface, configured or not */
	assert_true(TDETAILS(&t, ip_interface_dump, 0)->proxy_arp);
	req.sw_if_index = 999;
	assert_int_equal(TDUMP(a.c, ip_interface_dump, &req, &t), -ENOENT);
}

static void
test_routes(void **state)
{
	char err[LIG_API_ERROR_SIZE];
	struct tdump t;
	const lig_api_ip_route_dump_details_t *d;
	(void)state;

	/* Two weighted next hops on loop0's subnet. */
	struct path two[] = {{0, 1, "10.7.0.2", ~0u}, {0, 3, "10.7.0.3", loop0}};
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, true, false, two, 2, err), 0);
	d = find_route(a.c, 0, "20.0.0.0", 8, &t);
	assert_non_null(d);
	assert_int_equal(d->source, 2);
	assert_int_equal(d->n_paths, 2);
	assert_int_equal(d->paths[0].nh, tip4("10.7.0.2"));
	assert_int_equal(d->paths[0].sw_if_index, ~0u); /* as given: through the table */
	assert_int_equal(d->paths[0].weight, 1);
	assert_int_equal(d->paths[1].sw_if_index, loop0);
	assert_int_equal(d->paths[1].weight, 3);
	char *out = tligd_cli_dup(&a, NULL, "show ip fib 20.0.0.0/8");
	assert_non_null(strstr(out, "2 paths"));
	assert_non_null(strstr(out, "weight 3"));
	free(out);

	/* Replace: one path only. */
	struct path drop[] = {{2, 0, NULL, ~0u}};
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, true, false, drop, 1, err), 0);
	d = find_route(a.c, 0, "20.0.0.0", 8, &t);
	assert_int_equal(d->n_paths, 1);
	assert_int_equal(d->paths[0].type, 2);
	assert_int_equal(d->paths[0].weight, 1);
	/* Multipath add appends; a path again with another weight changes its weight. */
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, true, true, two, 1, err), 0);
	struct path rew[] = {{0, 7, "10.7.0.2", ~0u}};
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, true, true, rew, 1, err), 0);
	d = find_route(a.c, 0, "20.0.0.0", 8, &t);
	assert_int_equal(d->n_paths, 2);
	assert_int_equal(d->paths[1].weight, 7);
	/* Delete one path, then the route. */
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, false, false, drop, 1, err), 0);
	d = find_route(a.c, 0, "20.0.0.0", 8, &t);
	assert_int_equal(d->n_paths, 1);
	assert_int_equal(d->paths[0].nh, tip4("10.7.0.2"));
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, false, false, NULL, 0, err), 0);
	assert_null(find_route(a.c, 0, "20.0.0.0", 8, &t));
	assert_int_equal(route(a.c, 0, "20.0.0.0", 8, false, false, NULL, 0, err), -ENOENT);
	assert_string_equal(err, "route 20.0.0.0/8: no such route or path in table 0");

	/* Attached, local, and a route in table 5 through loop1. */
	struct path att[] = {{1, 0, NULL, loop0}};
	assert_int_equal(route(a.c, 0, "30.0.0.0", 16, true, false, att, 1, err), 0);
	struct path loc[] = {{3, 0, NULL, ~0u}};
	assert_int_equal(route(a.c, 0, "10.9.9.9", 32, true, false, loc, 1, err), 0);
	struct path v5[] = {{0, 0, "10.7.5.2", ~0u}};
	assert_int_equal(route(a.c, 5, "40.0.0.0", 8, true, false, v5, 1, err), 0);
	assert_non_null(find_route(a.c, 5, "40.0.0.0", 8, &t));
	assert_null(find_route(a.c, 0, "40.0.0.0", 8, &t));
	/* A recursive route: its next hop is routed by 40.0.0.0/8. */
	struct path rec[] = {{0, 0, "40.1.2.3", ~0u}};
	assert_int_equal(route(a.c, 5, "50.0.0.0", 8, true, false, rec, 1, err), 0);

	/* Errors. */
	struct path far[] = {{0, 0, "9.9.9.9", ~0u}};
	assert_int_equal(route(a.c, 0, "1.2.3.0", 24, true, false, far, 1, err), -EHOSTUNREACH);
	assert_string_equal(err, "route 1.2.3.0/24: next hop 9.9.9.9 is not on a connected "
				 "subnet nor routed (table 0)");
	assert_int_equal(route(a.c, 0, "10.7.0.0", 24, true, false, drop, 1, err), -EEXIST);
	assert_string_equal(err, "route 10.7.0.0/24: prefix is an interface (connected/local) "
				 "route in table 0");
	assert_int_equal(route(a.c, 8, "1.2.3.0", 24, true, false, drop, 1, err), -ENOENT);
	assert_string_equal(err, "no table 8 (ip table add 8)");
	assert_int_equal(route(a.c, 0, "1.2.3.0", 33, true, false, drop, 1, err), -EINVAL);
	assert_string_equal(err, "prefix length 33 out of range (0..32)");
	assert_int_equal(route(a.c, 0, "1.2.3.0", 24, true, false, NULL, 0, err), -EINVAL);
	struct path bad[] = {{9, 0, NULL, ~0u}};
	assert_int_equal(route(a.c, 0, "1.2.3.0", 24, true, false, bad, 1, err), -EINVAL);
	assert_string_equal(err, "route 1.2.3.0/24: unknown path type 9");
	struct path gone[] = {{1, 0, NULL, 999}};
	assert_int_equal(route(a.c, 0, "1.2.3.0", 24, true, false, gone, 1, err), -ENOENT);
	assert_string_equal(err, "route 1.2.3.0/24: interface 999 does not exist");
	struct path many[17];
	for (u32 i = 0; i < 17; i++)
		many[i] = (struct path){2, 0, NULL, ~0u};
	assert_int_equal(route(a.c, 0, "1.2.3.0", 24, true, false, many, 17, err), -EINVAL);
	assert_string_equal(err, "route 1.2.3.0/24: at most 16 paths");
	/* The connected and local routes are there, from their source. */
	lig_api_ip_route_dump_t ireq = {.by_table = 1, .table_id = 0, .source = 3};
	assert_int_equal(TDUMP(a.c, ip_route_dump, &ireq, &t), 0);
	assert_int_equal(t.n, 2); /* 10.7.0.0/24 and 10.7.0.1/32 */
	ireq.source = 7;
	assert_int_equal(TDUMP(a.c, ip_route_dump, &ireq, &t), -EINVAL);
	ireq.source = 0;
	ireq.table_id = 8;
	assert_int_equal(TDUMP(a.c, ip_route_dump, &ireq, &t), -ENOENT);
}

/* Bulk of n single-path /24 routes in 128.0.0.0/1 (route k: 128.0.0.0 + k << 8) via 10.7.0.2, from
 * index `from`, in messages of at most 50 000 routes (700 kB: a message is at most 1 MiB). */
static int
bulk(struct lig_api_client *c, bool is_add, u32 from, u32 n,
     lig_api_ip_route_add_del_bulk_reply_t *rep)
{
	const u32 chunk = 50000;
	size_t size =
	    sizeof(lig_api_ip_route_add_del_bulk_t) + chunk * sizeof(lig_api_ip4_route_item_t);
	lig_api_ip_route_add_del_bulk_t *req = calloc(1, size);
	u32 done = 0;
	int rv = 0;

	assert_non_null(req);
	while (done < n && rv == 0) {
		u32 k = LIG_MIN(n - done, chunk);
		req->is_add = is_add;
		req->n_routes = k;
		for (u32 i = 0; i < k; i++) {
			req->routes[i].address = htonl(0x80000000u | (from + done + i) << 8);
			req->routes[i].len = 24;
			req->routes[i].type = 0;
			req->routes[i].nh = tip4("10.7.0.2");
			req->routes[i].sw_if_index = ~0u;
		}
		rv = lig_api_call(c, LIG_API_ID_ip_route_add_del_bulk, req,
				  (u32)(sizeof(*req) + k * sizeof(req->routes[0])), rep,
				  sizeof(*rep));
		done += rv == 0 ? k : rep->n_done;
	}
	rep->n_done = done;
	free(req);
	return rv;
}

struct count {
	u32 n;	  /* bulk routes seen */
	u32 last; /* the previous one's k, to check they come in order and once */
	struct lig_api_client *other; /* pinged during the dump, when set */
	bool pinged;
};

static bool
count_cb(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_route_dump_details_t *d = details;
	struct count *x = ctx;

	assert_true(size >= sizeof(*d));
	if (d->len != 24 || (ntohl(d->address) >> 31) != 1)
		return true;
	assert_int_equal(size, sizeof(*d) + sizeof(lig_api_ip4_path_t));
	assert_int_equal(d->paths[0].nh, tip4("10.7.0.2"));
	u32 k = (ntohl(d->address) >> 8) & 0x7fffff;
	/* Routes added in order on a fresh pool come in pool order: each once. */
	if (x->n)
		assert_int_equal(k, x->last + 1);
	x->last = k;
	x->n++;
	if (x->other && x->n == 1000) {
		/* Mid-dump (100 000 routes are many slices): another client is served. */
		lig_api_control_ping_t p;
		lig_api_control_ping_reply_t pr;
		assert_int_equal(LIG_API_CLIENT_CALL(x->other, control_ping, &p, &pr), 0);
		x->pinged = true;
	}
	return true;
}

static void
test_bulk_and_large_dump(void **state)
{
	lig_api_ip_route_add_del_bulk_reply_t rep;
	const u32 n = 100000;
	(void)state;

	assert_int_equal(bulk(a.c, true, 0, n, &rep), 0);
	assert_int_equal(rep.n_done, n);
	/* Again: setting what is there changes nothing and succeeds. */
	assert_int_equal(bulk(a.c, true, 0, 1000, &rep), 0);
	assert_int_equal(rep.n_done, 1000);

	/* The dump of every API route of table 0 streams in slices; meanwhile another
	 * client is served. */
	char err[256];
	struct count x = {.other = lig_api_connect(a.api, err, sizeof(err))};
	assert_non_null(x.other);
	lig_api_ip_route_dump_t req = {.by_table = 1, .table_id = 0, .source = 2};
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, ip_route_dump, &req, count_cb, &x), 0);
	assert_int_equal(x.n, n);
	assert_true(x.pinged);
	lig_api_disconnect(x.other);

	/* An error in the middle: the first ones applied, n_done says how many. */
	size_t size =
	    sizeof(lig_api_ip_route_add_del_bulk_t) + 5 * sizeof(lig_api_ip4_route_item_t);
	lig_api_ip_route_add_del_bulk_t *b = calloc(1, size);
	b->is_add = 1;
	b->n_routes = 5;
	for (u32 i = 0; i < 5; i++) {
		b->routes[i].address = htonl(0x46000000u | i << 8);
		b->routes[i].len = i == 3 ? 40 : 24;
		b->routes[i].type = 2;
		b->routes[i].sw_if_index = ~0u;
	}
	assert_int_equal(
	    lig_api_call(a.c, LIG_API_ID_ip_route_add_del_bulk, b, (u32)size, &rep, sizeof(rep)),
	    -EINVAL);
	assert_int_equal(rep.n_done, 3);
	assert_string_equal(rep.error, "route 3: prefix length 40 out of range (0..32)");
	b->routes[3].len = 24;
	b->routes[3].type = 0;
	b->routes[3].nh = tip4("9.9.9.9");
	assert_int_equal(
	    lig_api_call(a.c, LIG_API_ID_ip_route_add_del_bulk, b, (u32)size, &rep, sizeof(rep)),
	    -EHOSTUNREACH);
	assert_int_equal(rep.n_done, 3);
	assert_string_equal(rep.error, "route 3 (70.0.3.0/24): next hop 9.9.9.9 is not on a "
				       "connected subnet nor routed (table 0)");
	/* A count that does not match the bytes is refused by the framework. */
	b->n_routes = 6;
	assert_int_equal(
	    lig_api_call(a.c, LIG_API_ID_ip_route_add_del_bulk, b, (u32)size, &rep, sizeof(rep)),
	    -EINVAL);
	b->is_add = 0;
	b->n_routes = 3;
	assert_int_equal(lig_api_call(a.c, LIG_API_ID_ip_route_add_del_bulk, b,
				      (u32)(sizeof(*b) + 3 * sizeof(b->routes[0])), &rep,
				      sizeof(rep)),
			 0);
	free(b);

	/* Delete them all again. */
	assert_int_equal(bulk(a.c, false, 0, n, &rep), 0);
	memset(&x, 0, sizeof(x));
	assert_int_equal(LIG_API_CLIENT_DUMP(a.c, ip_route_dump, &req, count_cb, &x), 0);
	assert_int_equal(x.n, 0);
	assert_int_equal(bulk(a.c, false, 0, 1, &rep), -ENOENT);
	assert_int_equal(rep.n_done, 0);
}

static void
test_neighbors(void **state)
{
	char err[LIG_API_ERROR_SIZE];
	struct tdump t;
	(void)state;

	lig_api_ip_neighbor_add_del_t req = {.sw_if_index = loop0,
					     .address = tip4("10.7.0.9"),
					     .mac = {0x02, 0, 0, 0, 0x07, 0x09},
					     .is_static = 1,
					     .is_add = 1};
	lig_api_ip_neighbor_add_del_reply_t rep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_add_del, &req, &rep), 0);
	req.address = tip4("10.7.0.10");
	req.is_static = 0;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_add_del, &req, &rep), 0);
	lig_api_ip_neighbor_dump_t d = {.static_only = 1};
	assert_int_equal(TDUMP(a.c, ip_neighbor_dump, &d, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, ip_neighbor_dump, 0)->address, tip4("10.7.0.9"));
	assert_true(TDETAILS(&t, ip_neighbor_dump, 0)->is_static);
	assert_int_equal(TDETAILS(&t, ip_neighbor_dump, 0)->mac[5], 0x09);
	d.static_only = 0;
	d.sw_if_index = loop0;
	assert_int_equal(TDUMP(a.c, ip_neighbor_dump, &d, &t), 0);
	assert_int_equal(t.n, 2);
	d.sw_if_index = loop1;
	assert_int_equal(TDUMP(a.c, ip_neighbor_dump, &d, &t), 0);
	assert_int_equal(t.n, 0);
	/* The resolved neighbour has its host route, from the adjacency source. */
	lig_api_ip_route_dump_t r = {.by_table = 1, .table_id = 0, .source = 1};
	assert_int_equal(TDUMP(a.c, ip_route_dump, &r, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(TDETAILS(&t, ip_route_dump, 0)->paths[0].sw_if_index, loop0);

	req.mac[0] = 0x01;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_add_del, &req, &rep), -EINVAL);
	assert_string_equal(rep.error,
			    "neighbour 10.7.0.10: 01:00:00:00:07:09 is not a unicast MAC");
	req.is_add = 0;
	req.address = tip4("10.7.0.99");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_add_del, &req, &rep), -ENOENT);
	assert_string_equal(rep.error, "no neighbour 10.7.0.99 on loop0");
	req.address = tip4("10.7.0.10");
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_add_del, &req, &rep), 0);

	lig_api_ip_neighbor_config_t cfg = {.age_seconds = 120};
	lig_api_ip_neighbor_config_reply_t crep;
	assert_int_equal(LIG_API_CLIENT_CALL(a.c, ip_neighbor_config, &cfg, &crep), 0);
	lig_api_ip_neighbor_config_dump_t cd;
	assert_int_equal(TDUMP(a.c, ip_neighbor_config_dump, &cd, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(TDETAILS(&t, ip_neighbor_config_dump, 0)->age_seconds, 120);
	char *out = tligd_cli_dup(&a, NULL, "show ip neighbors");
	assert_non_null(strstr(out, "10.7.0.9         S      02:00:00:00:07:09  loop0"));
	free(out);
	(void)err;
}

/* The CLI goes through the same handlers: its errors are theirs. */
static void
test_cli_errors(void **state)
{
	(void)state;
	char *out = tligd_cli_dup(&a, NULL, "ip route add 1.2.3.0/24 via 9.9.9.9");
	assert_string_equal(out, "ip route add: route 1.2.3.0/24: next hop 9.9.9.9 is not on a "
				 "connected subnet nor routed (table 0)\n");
	free(out);
	out = tligd_cli_dup(&a, NULL, "ip table del 5");
	assert_non_null(strstr(out, "ip table del: table 5 is in use by 1 interface with "
				    "addresses"));
	free(out);
	out = tligd_cli_dup(&a, NULL, "ip route add 1.2.3.0/24 via 10.7.0.2 weight 0");
	assert_non_null(strstr(out, "expected <weight> (1..255)"));
	free(out);
}

static const char *const rc_expected[] = {
    "ip table add 5\n",
    "set interface ip table loop1 5\n",
    "set interface ip address loop0 10.7.0.1/24\n",
    "set interface ip address loop1 10.7.5.1/24\n",
    "set interface proxy-arp loop0 enable\n",
    "set ip neighbor-config age 120\n",
    "ip route add 30.0.0.0/16 via loop0\n",
    "ip route add 10.9.9.9/32 local\n",
    "ip route add 40.0.0.0/8 table 5 via 10.7.5.2\n",
    "ip route add 50.0.0.0/8 table 5 via 40.1.2.3\n",
    "ip route add 80.0.0.0/8 via 10.7.0.2 via 10.7.0.3 loop0 weight 3\n",
    "set ip neighbor loop0 10.7.0.9 02:00:00:00:07:09 static\n",
};

static void
test_running_config_and_round_trips(void **state)
{
	char err[512] = "";
	(void)state;

	/* One more weighted ECMP route for the round trips. */
	struct path two[] = {{0, 1, "10.7.0.2", ~0u}, {0, 3, "10.7.0.3", loop0}};
	assert_int_equal(route(a.c, 0, "80.0.0.0", 8, true, false, two, 2, err), 0);
	char *rc = tligd_running_config(&a);
	for (u32 i = 0; i < LIG_ARRAY_LEN(rc_expected); i++) {
		if (!strstr(rc, rc_expected[i]))
			fprintf(stderr, "missing: %s in:\n%s", rc_expected[i], rc);
		assert_non_null(strstr(rc, rc_expected[i]));
	}
	/* Tables come before the interfaces are created, the recursive route after the
	 * one it resolves through, routes after addresses. */
	assert_non_null(strstr(rc, "loopback create"));
	assert_true(strstr(rc, "ip table add 5") < strstr(rc, "loopback create"));
	assert_non_null(strstr(rc, "ip table add 5\n"));
	assert_non_null(strstr(rc, "ip table add 7 name \"blue net\"\n"));
	assert_non_null(strstr(rc, "ip table add 9 name red\n"));
	assert_true(strstr(rc, "40.0.0.0/8") < strstr(rc, "50.0.0.0/8"));
	assert_true(strstr(rc, "set interface ip address loop0") < strstr(rc, "ip route add"));

	/* Snapshot copy onto a fresh ligd: the same canonical text. */
	assert_int_equal(tligd_start(&b, "ip4", NULL, NULL), 0);
	char *ta = tsnapshot_round_trip(&a, &b);
	assert_non_null(strstr(ta, "ip_route {\"table_id\":0,\"address\":\"80.0.0.0\""));
	assert_non_null(strstr(ta, "\"weight\":3"));
	assert_non_null(strstr(ta, "\"table_id\":7,"));
	assert_non_null(strstr(ta, "\"name\":\"blue net\""));
	assert_non_null(strstr(ta, "ip_neighbor_config {\"age_seconds\":120}"));
	assert_null(strstr(ta, "10.7.0.10")); /* a learned (dynamic) neighbour is state */
	assert_non_null(strstr(ta, "ip_address {\"sw_if_index\":\"loop1\",\"address\":\"10.7.5.1\","
				   "\"len\":24}"));
	assert_non_null(strstr(ta, "ip_interface {\"sw_if_index\":\"loop1\",\"table_id\":5,"
				   "\"proxy_arp\":false}"));
	assert_int_equal(tligd_stop(&b), 0);

	/* The running-config replayed onto another fresh ligd: the same text again. */
	tsnapshot_replay(&c, "ip4", rc, ta);
	free(ta);
	free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_interfaces),
	    cmocka_unit_test(test_routes),
	    cmocka_unit_test(test_bulk_and_large_dump),
	    cmocka_unit_test(test_neighbors),
	    cmocka_unit_test(test_cli_errors),
	    cmocka_unit_test_teardown(test_running_config_and_round_trips, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, tligd_teardown);
}

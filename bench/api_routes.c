/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_routes: IPv4 route insertion from a separate process through the API socket
 * (ip_route_add_del_bulk, chunks pipelined), the route dump of them all, their bulk
 * deletion, and the CLI socket doing the same insertion one command at a time, in one
 * run. Meanwhile a second API connection sends control_ping continuously (its own
 * thread): its worst round trip shows how long ligd was busy with one request, i.e. what
 * a bulk chunk or a dump slice costs other clients and forwarding.
 *
 *   api_routes <cli-socket> <api-socket> [routes] [routes-per-message] [cli-routes]
 * Defaults: 1 000 000 routes, 8192 per message (115 kB), 100 000 through the CLI. The
 * routes are /24s in 32.0.0.0/4 via 10.0.0.2 (found through the table); this program
 * sets up loop0 with 10.0.0.1/24 and the static neighbour 10.0.0.2 if loop0 has no
 * address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_socket.h"
#include "interface/api.h"
#include "ip4/api.h"
#include "ligapi.h"
#include "vlib/api.h"

#define WINDOW 4 /* bulk messages in flight */

static u64
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* -------- the pinger -------- */

static struct {
	struct lig_api_client *c;
	atomic_bool stop;
	atomic_ullong max_ns; /* worst round trip since the last reset */
	atomic_ullong n;
} pinger;

static void *
pinger_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&pinger.stop)) {
		lig_api_control_ping_t p;
		lig_api_control_ping_reply_t pr;
		u64 t0 = now_ns();
		if (LIG_API_CLIENT_CALL(pinger.c, control_ping, &p, &pr) < 0)
			break;
		u64 d = now_ns() - t0, m = atomic_load(&pinger.max_ns);
		while (d > m && !atomic_compare_exchange_weak(&pinger.max_ns, &m, d))
			;
		atomic_fetch_add(&pinger.n, 1);
		usleep(200);
	}
	return NULL;
}

static void
pinger_reset(void)
{
	atomic_store(&pinger.max_ns, 0);
	atomic_store(&pinger.n, 0);
}

static void
pinger_report(void)
{
	printf("    meanwhile %llu pings on another connection, worst round trip %.2f ms\n",
	       (unsigned long long)atomic_load(&pinger.n), atomic_load(&pinger.max_ns) / 1e6);
}

/* -------- routes -------- */

static u32 nh;

static void
fill(lig_api_ip_route_add_del_bulk_t *req, bool is_add, u32 first, u32 n)
{
	req->table_id = 0;
	req->is_add = is_add;
	req->n_routes = n;
	for (u32 i = 0; i < n; i++) {
		lig_api_ip4_route_item_t *r = &req->routes[i];
		r->address = htonl(0x20000000u | (first + i) << 8);
		r->len = 24;
		r->type = LIG_IP4_API_PATH_NEXT_HOP;
		r->nh = nh;
		r->sw_if_index = ~0u;
	}
}

/* Sends n routes in messages of `chunk`, WINDOW in flight; returns the seconds taken. */
static double
bulk(struct lig_api_client *c, bool is_add, u32 n, u32 chunk)
{
	size_t size =
	    sizeof(lig_api_ip_route_add_del_bulk_t) + chunk * sizeof(lig_api_ip4_route_item_t);
	lig_api_ip_route_add_del_bulk_t *req[WINDOW];
	u32 ctx[WINDOW], head = 0, tail = 0, sent = 0;
	u64 t0 = now_ns();

	for (u32 w = 0; w < WINDOW; w++)
		req[w] = malloc(size);
	while (sent < n || tail < head) {
		if (sent < n && head - tail < WINDOW) {
			u32 k = n - sent < chunk ? n - sent : chunk;
			lig_api_ip_route_add_del_bulk_t *r = req[head % WINDOW];
			fill(r, is_add, sent, k);
			int64_t x = lig_api_send(c, LIG_API_ID_ip_route_add_del_bulk, r,
						 (u32)(sizeof(*r) + k * sizeof(r->routes[0])));
			if (x < 0) {
				fprintf(stderr, "send: %s\n", lig_api_last_error(c));
				exit(1);
			}
			ctx[head++ % WINDOW] = (u32)x;
			sent += k;
			continue;
		}
		lig_api_ip_route_add_del_bulk_reply_t rep;
		if (lig_api_recv_reply(c, ctx[tail++ % WINDOW], &rep, sizeof(rep)) < 0) {
			fprintf(stderr, "bulk %s: %s\n", is_add ? "add" : "del", rep.error);
			exit(1);
		}
	}
	for (u32 w = 0; w < WINDOW; w++)
		free(req[w]);
	return (now_ns() - t0) / 1e9;
}

/* Counts the dumped routes of this program's range, 32.0.0.0/4 (others may be there). */
static bool
count_cb(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_route_dump_details_t *d = details;

	if (size >= sizeof(*d) && (ntohl(d->address) >> 28) == 2)
		(*(u32 *)ctx)++;
	return true;
}

static bool
loop0_cb(void *ctx, const void *details, u32 size)
{
	lig_api_sw_interface_dump_details_t d;
	if (size == sizeof(d)) {
		memcpy(&d, details, sizeof(d));
		*(u32 *)ctx = d.sw_if_index;
	}
	return true;
}

static bool
addr_cb(void *ctx, const void *details, u32 size)
{
	const lig_api_ip_interface_dump_details_t *d = details;
	(void)size;
	*(u32 *)ctx = d->n_addresses;
	return true;
}

int
main(int argc, char **argv)
{
	char err[256], out[512];

	if (argc < 3) {
		fprintf(stderr, "usage: api_routes <cli-socket> <api-socket> [routes] "
				"[routes-per-message] [cli-routes]\n");
		return 2;
	}
	u32 n = argc > 3 ? (u32)atoi(argv[3]) : 1000000;
	u32 chunk = argc > 4 ? (u32)atoi(argv[4]) : 8192;
	u32 n_cli = argc > 5 ? (u32)atoi(argv[5]) : 100000;
	u32 max_chunk =
	    (LIG_API_MAX_MSG - LIG_API_HDR_SIZE - sizeof(lig_api_ip_route_add_del_bulk_t)) /
	    sizeof(lig_api_ip4_route_item_t);
	if (!n || n > (1u << 20) || !chunk || chunk > max_chunk || n_cli > (1u << 20)) {
		fprintf(stderr, "api_routes: routes 1..%u, routes-per-message 1..%u\n", 1u << 20,
			max_chunk);
		return 2;
	}
	int cli = cli_connect(argv[1]);
	struct lig_api_client *api = lig_api_connect(argv[2], err, sizeof(err));
	if (cli < 0 || !api || !(pinger.c = lig_api_connect(argv[2], err, sizeof(err)))) {
		fprintf(stderr, "api_routes: cannot connect: %s\n", cli < 0 ? "CLI socket" : err);
		return 1;
	}
	inet_pton(AF_INET, "10.0.0.2", &nh);

	/* loop0 with 10.0.0.1/24 and a resolved next hop. */
	lig_api_sw_interface_dump_t dq = {.name = "loop0"};
	u32 loop0 = 0, n_addrs = 0;
	LIG_API_CLIENT_DUMP(api, sw_interface_dump, &dq, loop0_cb, &loop0);
	if (!loop0 && cli_call(cli, "loopback create", out, sizeof(out)) != 0) {
		fprintf(stderr, "api_routes: loopback create: %s", out);
		return 1;
	}
	LIG_API_CLIENT_DUMP(api, sw_interface_dump, &dq, loop0_cb, &loop0);
	lig_api_ip_interface_dump_t iq = {.sw_if_index = loop0};
	LIG_API_CLIENT_DUMP(api, ip_interface_dump, &iq, addr_cb, &n_addrs);
	if (!n_addrs &&
	    (cli_call(cli, "set interface state loop0 up", out, sizeof(out)) ||
	     cli_call(cli, "set interface ip address loop0 10.0.0.1/24", out, sizeof(out)) ||
	     cli_call(cli, "set ip neighbor loop0 10.0.0.2 02:00:00:00:00:02 static", out,
		      sizeof(out)))) {
		fprintf(stderr, "api_routes: setup: %s", out);
		return 1;
	}

	pthread_t th;
	pthread_create(&th, NULL, pinger_main, NULL);
	usleep(20000);

	printf("== %u routes through the API, %u per message (%zu bytes), %d in flight\n", n, chunk,
	       sizeof(lig_api_ip_route_add_del_bulk_t) + chunk * sizeof(lig_api_ip4_route_item_t),
	       WINDOW);
	pinger_reset();
	double t = bulk(api, true, n, chunk);
	printf("  insert  %8.3f s  %10.0f routes/s\n", t, n / t);
	pinger_report();

	pinger_reset();
	u32 count = 0;
	lig_api_ip_route_dump_t rq = {.by_table = 1, .table_id = 0, .source = 2};
	u64 t0 = now_ns();
	int rv = LIG_API_CLIENT_DUMP(api, ip_route_dump, &rq, count_cb, &count);
	t = (now_ns() - t0) / 1e9;
	if (rv < 0 || count != n) {
		fprintf(stderr, "dump: %d, %u routes of %u: %s\n", rv, count, n,
			lig_api_last_error(api));
		return 1;
	}
	printf("  dump    %8.3f s  %10.0f routes/s (%u routes)\n", t, count / t, count);
	pinger_report();

	pinger_reset();
	t = bulk(api, false, n, chunk);
	printf("  delete  %8.3f s  %10.0f routes/s\n", t, n / t);
	pinger_report();

	if (n_cli) {
		printf("== %u routes through the CLI socket, one command per round trip\n", n_cli);
		pinger_reset();
		t0 = now_ns();
		for (u32 i = 0; i < n_cli; i++) {
			char line[96];
			u32 a = 0x20000000u | i << 8;
			snprintf(line, sizeof(line), "ip route add %u.%u.%u.0/24 via 10.0.0.2",
				 a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff);
			if (cli_call(cli, line, out, sizeof(out)) != 0) {
				fprintf(stderr, "cli: %s: %s", line, out);
				return 1;
			}
		}
		t = (now_ns() - t0) / 1e9;
		printf("  insert  %8.3f s  %10.0f routes/s\n", t, n_cli / t);
		pinger_report();
		bulk(api, false, n_cli, chunk);
	}

	atomic_store(&pinger.stop, true);
	pthread_join(th, NULL);
	lig_api_disconnect(pinger.c);
	lig_api_disconnect(api);
	close(cli);
	return 0;
}

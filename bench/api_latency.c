/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_latency: round-trip latency of one small request to ligd, through the API socket
 * (libligapi) and through the CLI socket (the same operation as a command line), in one
 * run, interleaved: API, CLI, API, CLI... so both see the same machine state.
 *
 *   api_latency <cli-socket> <api-socket> [rounds] [calls-per-round]
 * The request toggles loop0's admin state (sw_interface_set_flags / "set interface state
 * loop0 up|down"); ligd must have loop0. Prints each round's median and 99th percentile
 * and, per method, min/median/max of those over the rounds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_socket.h"
#include "interface/api.h"
#include "ligapi.h"

static u64
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;
	return x < y ? -1 : x > y;
}

struct stats {
	double med[64], p99[64];
	int n;
};

static void
record(struct stats *s, u64 *lat, u32 n, const char *what, int round)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	s->med[s->n] = lat[n / 2] / 1000.0;
	s->p99[s->n] = lat[n * 99 / 100] / 1000.0;
	printf("round %d %-4s median %7.2f us  p99 %7.2f us\n", round, what, s->med[s->n],
	       s->p99[s->n]);
	s->n++;
}

static bool
loop0_index(void *ctx, const void *details, u32 size)
{
	lig_api_sw_interface_dump_details_t d;
	if (size == sizeof(d)) {
		memcpy(&d, details, sizeof(d));
		*(u32 *)ctx = d.sw_if_index;
	}
	return true;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
summary(const char *what, const double *v, int n, const char *unit)
{
	double s[64];
	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	printf("%-22s min %8.2f  median %8.2f  max %8.2f %s\n", what, s[0], s[n / 2], s[n - 1],
	       unit);
}

int
main(int argc, char **argv)
{
	char err[256];
	if (argc < 3) {
		fprintf(stderr, "usage: api_latency <cli-socket> <api-socket> [rounds] [calls]\n");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	u32 calls = argc > 4 ? (u32)atoi(argv[4]) : 20000;
	if (rounds < 1 || rounds > 64 || calls < 100)
		return 2;
	int cli = cli_connect(argv[1]);
	struct lig_api_client *api = lig_api_connect(argv[2], err, sizeof(err));
	if (cli < 0 || !api) {
		fprintf(stderr, "api_latency: cannot connect: %s\n", api ? "CLI socket" : err);
		return 1;
	}
	lig_api_sw_interface_dump_t dq = {.name = "loop0"};
	lig_api_sw_interface_set_flags_t req = {0};
	lig_api_sw_interface_set_flags_reply_t rep;
	u64 *lat = calloc(calls, sizeof(u64));
	struct stats a = {0}, c = {0};
	if (LIG_API_CLIENT_DUMP(api, sw_interface_dump, &dq, loop0_index, &req.sw_if_index) < 0 ||
	    !req.sw_if_index) {
		fprintf(stderr, "api_latency: ligd has no loop0\n");
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		for (u32 i = 0; i < calls; i++) {
			req.admin_up = i & 1;
			u64 t0 = now_ns();
			if (LIG_API_CLIENT_CALL(api, sw_interface_set_flags, &req, &rep) < 0) {
				fprintf(stderr, "api: %s\n", rep.error);
				return 1;
			}
			lat[i] = now_ns() - t0;
		}
		record(&a, lat, calls, "api", r);
		for (u32 i = 0; i < calls; i++) {
			u64 t0 = now_ns();
			if (cli_call(cli,
				     i & 1 ? "set interface state loop0 up"
					   : "set interface state loop0 down",
				     NULL, 0) != 0) {
				fprintf(stderr, "cli call failed\n");
				return 1;
			}
			lat[i] = now_ns() - t0;
		}
		record(&c, lat, calls, "cli", r);
	}
	printf("\n%u calls per round, %d rounds, interleaved\n", calls, rounds);
	summary("api median", a.med, a.n, "us");
	summary("api p99", a.p99, a.n, "us");
	summary("cli median", c.med, c.n, "us");
	summary("cli p99", c.p99, c.n, "us");
	free(lat);
	lig_api_disconnect(api);
	close(cli);
	return 0;
}

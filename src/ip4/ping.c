/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ping from ligd, as VPP's: the CLI builds ICMP echo requests, hands them to ip4-lookup
 * and, while it waits for each reply, keeps the graph running (input nodes polled,
 * frames dispatched) so forwarding goes on. ip4-local reports echo replies here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "../vlib/graph.h"
#include "ip4.h"

#define PING_DATA_SIZE 56

static struct {
	bool active;
	u16 id;
	u16 seq;
	u32 dst;
	bool got_reply;
	u8 reply_type;
	u8 reply_ttl;
	u32 reply_src;
	u32 reply_len;
	u64 reply_ns;
} pingm;

void
lig_ip4_ping_reply(const struct lig_ip4_header *ip, const struct lig_icmp4_header *icmp, u32 length)
{
	if (!pingm.active || pingm.got_reply)
		return;
	if (icmp->type == LIG_ICMP4_ECHO_REPLY) {
		if (ntohs(icmp->id) != pingm.id || ntohs(icmp->seq) != pingm.seq)
			return;
	} else {
		/* An error quotes our request: IP header, then the echo header. */
		const struct lig_ip4_header *q = (const void *)(icmp + 1);
		u32 ihl;
		if (length < 20 + 8 + 20 + 8)
			return;
		ihl = (q->ver_ihl & 0xf) * 4u;
		if (length < 20 + 8 + ihl + 8 || q->proto != LIG_IP_PROTO_ICMP ||
		    q->dst != pingm.dst)
			return;
		const struct lig_icmp4_header *qi = (const void *)((const u8 *)q + ihl);
		if (ntohs(qi->id) != pingm.id || ntohs(qi->seq) != pingm.seq)
			return;
	}
	pingm.got_reply = true;
	pingm.reply_type = icmp->type;
	pingm.reply_ttl = ip->ttl;
	pingm.reply_src = ip->src;
	pingm.reply_len = length;
	pingm.reply_ns = lig_time_now_ns();
}

/* Builds and sends one request; returns 0 or -errno. */
static int
ping_send(u32 fib_index, u32 src, u32 dst, u16 seq, u8 ttl)
{
	u32 bi;

	if (lig_buffer_alloc(&bi, 1) != 1)
		return -ENOBUFS;
	struct lig_buffer *b = lig_buffer_get(bi);
	/* Leave room for the Ethernet header in front, as a received packet would. */
	b->current_data = 0;
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	struct lig_icmp4_header *icmp = (void *)(ip + 1);
	u8 *data = (u8 *)(icmp + 1);
	u32 total = sizeof(*ip) + sizeof(*icmp) + PING_DATA_SIZE;

	ip->ver_ihl = 0x45;
	ip->tos = 0;
	ip->length = htons((u16)total);
	ip->id = htons(lig_ip4_main.ip_id++);
	ip->frag = 0;
	ip->ttl = ttl;
	ip->proto = LIG_IP_PROTO_ICMP;
	ip->src = src;
	ip->dst = dst;
	ip->checksum = 0;
	ip->checksum = htons(lig_ip4_header_csum(ip, 5));
	icmp->type = LIG_ICMP4_ECHO_REQUEST;
	icmp->code = 0;
	icmp->id = htons(pingm.id);
	icmp->seq = htons(seq);
	for (u32 i = 0; i < PING_DATA_SIZE; i++)
		data[i] = (u8)i;
	icmp->checksum = 0;
	icmp->checksum =
	    htons(lig_ip4_csum_fold(lig_ip4_csum_add(0, icmp, sizeof(*icmp) + PING_DATA_SIZE)));
	b->current_length = (u16)total;
	b->ip4.fib_index = fib_index;
	b->sw_if_index[LIG_RX] = LIG_INVALID_INDEX;
	b->ip4.flags = LIG_IP4_BUF_LOCAL_ORIGIN;
	lig_node_put(lig_ip4_main.lookup_node_index, bi);
	lig_graph_dispatch_pending();
	return 0;
}

/* The source address: the given interface's, or that of the interface the route to dst
 * leaves by. */
static u32
ping_source(u32 fib_index, u32 dst, u32 src_sw)
{
	if (src_sw != LIG_INVALID_INDEX)
		return lig_ip4_interface_source(src_sw, dst);
	u32 lbi = lig_fib_lookup_lb(fib_index, dst);
	const struct lig_adj *a = lig_adj_get(lig_fib_lb_get(lbi)->buckets[0]);
	if (a->type == LIG_ADJ_GLEAN || a->type == LIG_ADJ_NEIGHBOR)
		return lig_ip4_interface_source(a->sw_if_index,
						a->type == LIG_ADJ_NEIGHBOR ? a->nh : dst);
	if (a->type == LIG_ADJ_LOCAL)
		return dst;
	return 0;
}

static int
cli_ping(struct lig_cli_input *in, struct lig_str *out)
{
	u32 dst, table_id = 0, src_sw = LIG_INVALID_INDEX, repeat = 5, fi, ttl = 64;
	u32 interval_ms = 1000, sent = 0, received = 0;
	char ip[INET_ADDRSTRLEN];
	int rv;

	if (!lig_cli_ip4(in, &dst))
		return lig_cli_expected(in, out, "<a.b.c.d>");
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "table")) {
			if (!lig_cli_u32(in, &table_id))
				return lig_cli_expected(in, out, "<table-id>");
		} else if (lig_cli_keyword(in, "source")) {
			rv = lig_cli_expect_interface(in, out, &src_sw);
			if (rv < 0)
				return rv;
		} else if (lig_cli_keyword(in, "repeat")) {
			if (!lig_cli_u32(in, &repeat) || repeat == 0 || repeat > 1000)
				return lig_cli_expected(in, out, "<count> (1..1000)");
		} else if (lig_cli_keyword(in, "interval")) {
			/* milliseconds here (VPP takes seconds): short waits keep tests quick */
			if (!lig_cli_u32(in, &interval_ms) || interval_ms < 10 ||
			    interval_ms > 10000)
				return lig_cli_expected(in, out, "<milliseconds> (10..10000)");
		} else if (lig_cli_keyword(in, "ttl")) {
			if (!lig_cli_u32(in, &ttl) || ttl == 0 || ttl > 255)
				return lig_cli_expected(in, out, "<ttl> (1..255)");
		} else {
			return lig_cli_unknown_input(in, out);
		}
	}
	fi = lig_fib_table_find(table_id);
	if (fi == LIG_INVALID_INDEX)
		return lig_cli_error(in, out, "no table %u", table_id), -ENOENT;
	u32 src = ping_source(fi, dst, src_sw);
	if (!src)
		return lig_cli_error(in, out,
				     "no source address (no route or no interface address)"),
		       -EHOSTUNREACH;
	inet_ntop(AF_INET, &dst, ip, sizeof(ip));
	pingm.id = (u16)(lig_time_now_ns() >> 10);
	for (u32 seq = 1; seq <= repeat; seq++) {
		u64 start = lig_time_now_ns(), deadline = start + (u64)interval_ms * 1000000ull;
		pingm.active = true;
		pingm.got_reply = false;
		pingm.seq = (u16)seq;
		pingm.dst = dst;
		rv = ping_send(fi, src, dst, (u16)seq, (u8)ttl);
		if (rv < 0) {
			pingm.active = false;
			return lig_cli_error(in, out, "%s", strerror(-rv)), rv;
		}
		sent++;
		/* Keep forwarding while waiting; glean retries ride on the same loop. */
		while (lig_time_now_ns() < deadline) {
			lig_graph_run_once();
			if (pingm.got_reply)
				break;
		}
		if (pingm.got_reply) {
			char from[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &pingm.reply_src, from, sizeof(from));
			if (pingm.reply_type == LIG_ICMP4_ECHO_REPLY) {
				received++;
				lig_str_printf(
				    out, "%u bytes from %s: icmp_seq=%u ttl=%u time=%.4f ms\n",
				    pingm.reply_len, from, seq, pingm.reply_ttl,
				    (double)(pingm.reply_ns - start) / 1e6);
			} else {
				lig_str_printf(out, "From %s: icmp_seq=%u %s\n", from, seq,
					       pingm.reply_type == LIG_ICMP4_TIME_EXCEEDED
						   ? "Time to live exceeded"
						   : "Destination unreachable");
			}
			/* Pace like ping: the rest of the interval, still forwarding. */
			while (seq < repeat && lig_time_now_ns() < deadline)
				lig_graph_run_once();
		}
	}
	pingm.active = false;
	lig_str_printf(out, "\nStatistics: %u sent, %u received, %u%% packet loss\n", sent,
		       received, sent ? (sent - received) * 100 / sent : 0);
	return 0;
}

LIG_CLI_COMMAND(lig_ping_command) = {
    .path = "ping",
    .short_help = "ping <a.b.c.d> [table <n>] [source <if>] [repeat <n>] [interval <ms>] "
		  "[ttl <n>]",
    .function = cli_ping,
};

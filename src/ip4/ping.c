/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ping from ligd, as VPP's: ICMP echo requests handed to ip4-lookup and, while ligd
 * waits for each reply, the graph kept running (input nodes polled, frames dispatched;
 * with workers, the barrier let go) so forwarding goes on. ip4-local reports echo
 * replies here, from whichever thread received them (under pingm.lock); the ping command
 * (cli.c) loops and prints.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
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
	u64 seen[LIG_IP4_PING_MAX_SEQ / 64]; /* echo replies of the run, by sequence */
	struct lig_spinlock lock;
} pingm;

static void ping_reply_locked(const struct lig_ip4_header *ip, const struct lig_icmp4_header *icmp,
			      u32 length);

void
lig_ip4_ping_reply(const struct lig_ip4_header *ip, const struct lig_icmp4_header *icmp, u32 length)
{
	lig_spinlock_lock(&pingm.lock);
	ping_reply_locked(ip, icmp, length);
	lig_spinlock_unlock(&pingm.lock);
}

static void
ping_reply_locked(const struct lig_ip4_header *ip, const struct lig_icmp4_header *icmp, u32 length)
{
	if (!pingm.active)
		return;
	if (icmp->type == LIG_ICMP4_ECHO_REPLY) {
		u16 seq = ntohs(icmp->seq);
		if (ntohs(icmp->id) != pingm.id || seq > pingm.seq || seq >= LIG_IP4_PING_MAX_SEQ)
			return;
		pingm.seen[seq / 64] |= 1ull << (seq % 64);
		if (seq != pingm.seq || pingm.got_reply)
			return; /* late: counted, not timed */
	} else {
		if (pingm.got_reply)
			return;
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
	ip->id = htons(__atomic_fetch_add(&lig_ip4_main.ip_id, 1, __ATOMIC_RELAXED));
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

u32
lig_ip4_ping_source(u32 fib_index, u32 dst, u32 src_sw)
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

void
lig_ip4_run_until(u64 deadline_ns)
{
	while (lig_time_now_ns() < deadline_ns)
		lig_thread_main_yield();
}

static bool
ping_got_reply(void)
{
	lig_spinlock_lock(&pingm.lock);
	bool got = pingm.got_reply;
	lig_spinlock_unlock(&pingm.lock);
	return got;
}

void
lig_ip4_ping_begin(u16 id, u32 dst)
{
	lig_spinlock_lock(&pingm.lock);
	pingm.id = id;
	pingm.dst = dst;
	pingm.seq = 0;
	pingm.got_reply = false;
	memset(pingm.seen, 0, sizeof(pingm.seen));
	pingm.active = true;
	lig_spinlock_unlock(&pingm.lock);
}

void
lig_ip4_ping_end(void)
{
	lig_spinlock_lock(&pingm.lock);
	pingm.active = false;
	lig_spinlock_unlock(&pingm.lock);
}

bool
lig_ip4_ping_seen(u16 seq)
{
	lig_spinlock_lock(&pingm.lock);
	bool seen = seq < LIG_IP4_PING_MAX_SEQ && (pingm.seen[seq / 64] >> (seq % 64) & 1);
	lig_spinlock_unlock(&pingm.lock);
	return seen;
}

int
lig_ip4_ping_one(u32 fib_index, u32 src, u32 dst, u16 seq, u8 ttl, u64 deadline_ns,
		 struct lig_ip4_ping_result *r)
{
	u64 start = lig_time_now_ns();
	int rv;

	memset(r, 0, sizeof(*r));
	lig_spinlock_lock(&pingm.lock);
	pingm.got_reply = false;
	pingm.seq = seq;
	lig_spinlock_unlock(&pingm.lock);
	rv = ping_send(fib_index, src, dst, seq, ttl);
	if (rv < 0)
		return rv;
	/* Keep forwarding while waiting; glean retries ride on the same loop. */
	while (lig_time_now_ns() < deadline_ns) {
		lig_thread_main_yield();
		if (ping_got_reply())
			break;
	}
	lig_spinlock_lock(&pingm.lock);
	bool got = pingm.got_reply;
	lig_spinlock_unlock(&pingm.lock);
	if (got) {
		r->got_reply = true;
		r->type = pingm.reply_type;
		r->ttl = pingm.reply_ttl;
		r->src = pingm.reply_src;
		r->length = pingm.reply_len;
		r->rtt_ns = pingm.reply_ns - start;
	}
	return 0;
}

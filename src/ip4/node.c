/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IPv4 datapath: ip4-input (header checks, VRF of the rx interface), ip4-lookup
 * (longest-prefix match and ECMP flow hash to an adjacency), ip4-rewrite (TTL,
 * checksum, MTU, Ethernet header into the headroom), ip4-local (our addresses: ICMP
 * echo, registered UDP ports such as VXLAN), ip4-icmp-error (time exceeded,
 * unreachable), arp-input (answers requests for our addresses, learns senders on our
 * subnets) and ip4-glean (holds the first packets to an unresolved destination, asks by
 * ARP, sends them once answered). Drops are counted per reason in show errors. The
 * tables they read are changed by fib.c, ip4.c and arp.c between dispatches.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/feature.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "../vlib/module.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "ip4.h"

/* The ICMP error ip4-icmp-error is to send, written by the node that found it. */
static inline void
ip4_set_icmp(struct lig_buffer *b, u8 type, u8 code, u16 mtu)
{
	b->ip4.icmp_type = type;
	b->ip4.icmp_code = code;
	b->ip4.icmp_mtu = mtu;
}

struct lig_ip4_trace {
	u32 fib_index;
	u32 adj_index;
	u32 src, dst;
	u8 ttl, proto;
	u16 length;
	u16 next;
};

static void
lig_ip4_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_ip4_trace *t = record;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->src, a, sizeof(a));
	inet_ntop(AF_INET, &t->dst, b, sizeof(b));
	lig_str_printf(s, "fib %u adj %u: %s -> %s proto %u ttl %u length %u next %u", t->fib_index,
		       t->adj_index, a, b, t->proto, t->ttl, t->length, t->next);
}

static inline void
ip4_trace(struct lig_node *node, struct lig_buffer *b, const struct lig_ip4_header *ip, u16 next)
{
	struct lig_ip4_trace *t = lig_trace_add_record(node, b, sizeof(*t));
	if (!t)
		return;
	t->fib_index = b->ip4.fib_index;
	t->adj_index = b->ip4.adj_index;
	if (b->current_length >= sizeof(*ip)) {
		t->src = ip->src;
		t->dst = ip->dst;
		t->ttl = ip->ttl;
		t->proto = ip->proto;
		t->length = ntohs(ip->length);
	} else {
		t->src = t->dst = 0;
		t->ttl = t->proto = 0;
		t->length = 0;
	}
	t->next = next;
}

/* -------- ip4-input -------- */

enum {
	IP4_INPUT_NEXT_DROP,
	IP4_INPUT_NEXT_LOOKUP,
	IP4_INPUT_N_NEXT,
};

#define foreach_ip4_input_error                                                                    \
	_(TOO_SHORT, "IPv4 packet shorter than its header")                                        \
	_(BAD_VERSION, "IP version is not 4")                                                      \
	_(BAD_IHL, "IPv4 header length below 20 or beyond the packet")                             \
	_(BAD_LENGTH, "IPv4 total length below header length or beyond the packet")                \
	_(BAD_CHECKSUM, "IPv4 header checksum wrong")                                              \
	_(NOT_ENABLED, "IPv4 not enabled on rx interface (no address)")                            \
	_(MULTICAST, "multicast or broadcast destination (not routed)")                            \
	_(BAD_SOURCE, "multicast or broadcast source")                                             \
	_(OPTIONS, "IPv4 packets with options (forwarded)")                                        \
	_(FRAGMENTS, "IPv4 fragments (forwarded)")

enum {
#define _(sym, str) IP4_INPUT_ERROR_##sym,
	foreach_ip4_input_error
#undef _
	    IP4_INPUT_N_ERROR,
};

static const char *const ip4_input_error_strings[] = {
#define _(sym, str) str,
    foreach_ip4_input_error
#undef _
};

static inline u16
ip4_input_one(struct lig_node *node, struct lig_buffer *b, u32 *error)
{
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	u32 len = lig_buffer_length_in_chain(b), sw = b->sw_if_index[LIG_RX];
	u32 ihl, total;

	if (lig_unlikely(b->current_length < sizeof(*ip))) {
		*error = IP4_INPUT_ERROR_TOO_SHORT;
		return IP4_INPUT_NEXT_DROP;
	}
	if (lig_unlikely((ip->ver_ihl >> 4) != 4)) {
		*error = IP4_INPUT_ERROR_BAD_VERSION;
		return IP4_INPUT_NEXT_DROP;
	}
	ihl = ip->ver_ihl & 0xf;
	if (lig_unlikely(ihl < 5 || ihl * 4 > b->current_length)) {
		*error = IP4_INPUT_ERROR_BAD_IHL;
		return IP4_INPUT_NEXT_DROP;
	}
	total = ntohs(ip->length);
	if (lig_unlikely(total < ihl * 4 || total > len)) {
		*error = IP4_INPUT_ERROR_BAD_LENGTH;
		return IP4_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(lig_ip4_header_csum(ip, ihl) != 0)) {
		*error = IP4_INPUT_ERROR_BAD_CHECKSUM;
		return IP4_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(sw >= LIG_IF_MAX || !lig_ip4_main.ifs[sw].n_addrs)) {
		*error = IP4_INPUT_ERROR_NOT_ENABLED;
		return IP4_INPUT_NEXT_DROP;
	}
	u8 d0 = ((const u8 *)&ip->dst)[0], s0 = ((const u8 *)&ip->src)[0];
	if (lig_unlikely(d0 >= 224)) {
		*error = IP4_INPUT_ERROR_MULTICAST;
		return IP4_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(s0 >= 224)) {
		*error = IP4_INPUT_ERROR_BAD_SOURCE;
		return IP4_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(ihl > 5))
		lig_node_count_error(node, IP4_INPUT_ERROR_OPTIONS, 1);
	if (lig_unlikely(ip->frag & htons(LIG_IP4_MF | LIG_IP4_FRAG_OFFSET_MASK)))
		lig_node_count_error(node, IP4_INPUT_ERROR_FRAGMENTS, 1);
	/* Drop the Ethernet padding of short frames. */
	if (total < len && !(b->flags & LIG_BUFFER_NEXT_PRESENT))
		b->current_length = (u16)total;
	b->l3_hdr_offset = b->current_data;
	b->ip4.fib_index = lig_ip4_main.ifs[sw].fib_index;
	b->ip4.flags = 0;
	if (lig_unlikely(lig_ip4_features.enabled[sw]))
		return lig_ip4_feature_next(LIG_IP4_MAX_FEATURES, sw);
	return IP4_INPUT_NEXT_LOOKUP;
}

static u32
lig_ip4_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		u16 next = ip4_input_one(node, b, &error);
		if (lig_unlikely(next == IP4_INPUT_NEXT_DROP))
			b->error = node->error_base + error;
		if (lig_buffer_is_traced(b))
			ip4_trace(node, b, (void *)lig_buffer_data(b), next);
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_input_node) = {
    .name = "ip4-input",
    .function = lig_ip4_input_fn,
    .format_trace = lig_ip4_format_trace,
    .n_errors = IP4_INPUT_N_ERROR,
    .error_strings = ip4_input_error_strings,
    .n_next_nodes = IP4_INPUT_N_NEXT,
    .next_nodes =
	{
	    [IP4_INPUT_NEXT_DROP] = "error-drop",
	    [IP4_INPUT_NEXT_LOOKUP] = "ip4-lookup",
	},
};

/* -------- ip4-lookup -------- */

enum {
	IP4_LOOKUP_NEXT_DROP,
	IP4_LOOKUP_NEXT_REWRITE,
	IP4_LOOKUP_NEXT_GLEAN,
	IP4_LOOKUP_NEXT_LOCAL,
	IP4_LOOKUP_NEXT_ICMP_ERROR,
	IP4_LOOKUP_N_NEXT,
};

#define foreach_ip4_lookup_error                                                                   \
	_(ROUTE_DROP, "destination matches a drop route")                                          \
	_(NO_ROUTE, "no route (ICMP unreachable sent)")                                            \
	_(NO_ROUTE_LOCAL, "no route for a packet ligd built")

enum {
#define _(sym, str) IP4_LOOKUP_ERROR_##sym,
	foreach_ip4_lookup_error
#undef _
	    IP4_LOOKUP_N_ERROR,
};

static const char *const ip4_lookup_error_strings[] = {
#define _(sym, str) str,
    foreach_ip4_lookup_error
#undef _
};

/* Flow hash for ECMP: addresses, protocol and, for unfragmented TCP/UDP, the ports. */
static inline u32
ip4_flow_hash(const struct lig_ip4_header *ip, u32 avail)
{
	u64 k = (u64)ip->src << 32 | ip->dst;
	u32 ihl = (ip->ver_ihl & 0xf) * 4u;
	u32 ports = 0;

	if ((ip->proto == LIG_IP_PROTO_TCP || ip->proto == LIG_IP_PROTO_UDP) &&
	    !(ip->frag & htons(LIG_IP4_FRAG_OFFSET_MASK)) && avail >= ihl + 4)
		memcpy(&ports, (const u8 *)ip + ihl, 4);
	k ^= (u64)(ports ^ ((u32)ip->proto << 24)) * 0x9e3779b97f4a7c15ull;
	return (u32)(lig_hash64_mix(k) >> 16);
}

static u32
lig_ip4_lookup_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	static const u16 next_by_type[] = {
	    [LIG_ADJ_DROP] = IP4_LOOKUP_NEXT_DROP,
	    [LIG_ADJ_MISS] = IP4_LOOKUP_NEXT_ICMP_ERROR,
	    [LIG_ADJ_LOCAL] = IP4_LOOKUP_NEXT_LOCAL,
	    [LIG_ADJ_GLEAN] = IP4_LOOKUP_NEXT_GLEAN,
	    [LIG_ADJ_NEIGHBOR] = IP4_LOOKUP_NEXT_REWRITE,
	};

	u32 lbis[LIG_FRAME_SIZE];

	/* Pass 1, the trie walks only: they are independent, so the CPU overlaps their
	 * cache misses (with a million routes, most of the lookup's cost). */
	for (u32 i = 0; i < n; i++) {
		if (i + 4 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 4]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
		lbis[i] = lig_fib_lookup_lb(b->ip4.fib_index, ip->dst);
	}
	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
		const struct lig_fib_lb *lb = lig_fib_lb_get(lbis[i]);
		u32 ai = lb->n_buckets > 1
			     ? lb->buckets[ip4_flow_hash(ip, b->current_length) & lb->mask]
			     : lb->buckets[0];
		const struct lig_adj *a = lig_adj_get(ai);
		u16 next = next_by_type[a->type];

		b->ip4.adj_index = ai;
		if (a->type == LIG_ADJ_NEIGHBOR && lig_unlikely(!a->complete))
			next = IP4_LOOKUP_NEXT_GLEAN;
		if (lig_unlikely(next == IP4_LOOKUP_NEXT_DROP)) {
			b->error = node->error_base + IP4_LOOKUP_ERROR_ROUTE_DROP;
		} else if (lig_unlikely(next == IP4_LOOKUP_NEXT_ICMP_ERROR)) {
			if (b->ip4.flags & LIG_IP4_BUF_LOCAL_ORIGIN) {
				next = IP4_LOOKUP_NEXT_DROP;
				b->error = node->error_base + IP4_LOOKUP_ERROR_NO_ROUTE_LOCAL;
			} else {
				lig_node_count_error(node, IP4_LOOKUP_ERROR_NO_ROUTE, 1);
				ip4_set_icmp(b, LIG_ICMP4_DEST_UNREACH, 0, 0);
			}
		}
		if (lig_buffer_is_traced(b))
			ip4_trace(node, b, ip, next);
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_lookup_node) = {
    .name = "ip4-lookup",
    .function = lig_ip4_lookup_fn,
    .format_trace = lig_ip4_format_trace,
    .n_errors = IP4_LOOKUP_N_ERROR,
    .error_strings = ip4_lookup_error_strings,
    .n_next_nodes = IP4_LOOKUP_N_NEXT,
    .next_nodes =
	{
	    [IP4_LOOKUP_NEXT_DROP] = "error-drop",
	    [IP4_LOOKUP_NEXT_REWRITE] = "ip4-rewrite",
	    [IP4_LOOKUP_NEXT_GLEAN] = "ip4-glean",
	    [IP4_LOOKUP_NEXT_LOCAL] = "ip4-local",
	    [IP4_LOOKUP_NEXT_ICMP_ERROR] = "ip4-icmp-error",
	},
};

/* -------- ip4-rewrite -------- */

enum {
	IP4_REWRITE_NEXT_DROP,
	IP4_REWRITE_NEXT_OUTPUT,
	IP4_REWRITE_NEXT_ICMP_ERROR,
	IP4_REWRITE_N_NEXT,
};

#define foreach_ip4_rewrite_error                                                                  \
	_(TTL_EXPIRED, "TTL expired (ICMP time exceeded sent)")                                    \
	_(MTU_DF, "larger than MTU with DF set (ICMP frag needed sent)")                           \
	_(MTU_FRAGMENT, "larger than MTU (fragmentation not supported)")                           \
	_(NO_HEADROOM, "no headroom for the Ethernet header")                                      \
	_(INCOMPLETE, "adjacency not a complete neighbour")

enum {
#define _(sym, str) IP4_REWRITE_ERROR_##sym,
	foreach_ip4_rewrite_error
#undef _
	    IP4_REWRITE_N_ERROR,
};

static const char *const ip4_rewrite_error_strings[] = {
#define _(sym, str) str,
    foreach_ip4_rewrite_error
#undef _
};

static inline u16
ip4_rewrite_one(struct lig_node *node, struct lig_buffer *b, u32 *error)
{
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	const struct lig_adj *a = lig_adj_get(b->ip4.adj_index);
	struct lig_interface *ifp;

	if (lig_unlikely(a->type != LIG_ADJ_NEIGHBOR || !a->complete)) {
		*error = IP4_REWRITE_ERROR_INCOMPLETE;
		return IP4_REWRITE_NEXT_DROP;
	}
	if (lig_likely(!(b->ip4.flags & LIG_IP4_BUF_LOCAL_ORIGIN))) {
		if (lig_unlikely(ip->ttl <= 1)) {
			lig_node_count_error(node, IP4_REWRITE_ERROR_TTL_EXPIRED, 1);
			ip4_set_icmp(b, LIG_ICMP4_TIME_EXCEEDED, 0, 0);
			return IP4_REWRITE_NEXT_ICMP_ERROR;
		}
		/* TTL is the high byte of its 16-bit word: the checksum rises by 0x0100
		 * (RFC 1624, with the end-around carry). */
		ip->ttl--;
		u32 c = ip->checksum;
		c += htons(0x0100);
		ip->checksum = (u16)(c + (c >= 0xffff));
	}
	ifp = lig_if_get(a->sw_if_index);
	u32 len = lig_buffer_length_in_chain(b);
	/* A GSO super-frame is cut to the egress MTU's size by its sender's gso_size:
	 * interface-output checks its segments. */
	if (lig_unlikely(ifp && len > ifp->mtu) && !(b->flags & LIG_BUFFER_GSO)) {
		if (ip->frag & htons(LIG_IP4_DF)) {
			lig_node_count_error(node, IP4_REWRITE_ERROR_MTU_DF, 1);
			ip4_set_icmp(b, LIG_ICMP4_DEST_UNREACH, 4, (u16)ifp->mtu);
			return IP4_REWRITE_NEXT_ICMP_ERROR;
		}
		*error = IP4_REWRITE_ERROR_MTU_FRAGMENT;
		return IP4_REWRITE_NEXT_DROP;
	}
	if (lig_unlikely(b->current_data - LIG_ETHERNET_HEADER_SIZE < -LIG_BUFFER_PRE_DATA_SIZE)) {
		*error = IP4_REWRITE_ERROR_NO_HEADROOM;
		return IP4_REWRITE_NEXT_DROP;
	}
	b->current_data = (i16)(b->current_data - LIG_ETHERNET_HEADER_SIZE);
	b->current_length = (u16)(b->current_length + LIG_ETHERNET_HEADER_SIZE);
	memcpy(lig_buffer_data(b), a->rewrite, LIG_ETHERNET_HEADER_SIZE);
	b->l2_hdr_offset = b->current_data;
	b->sw_if_index[LIG_TX] = a->sw_if_index;
	return lig_feature_first(LIG_FEATURE_ARC_IP4_OUTPUT, 0, a->sw_if_index,
				 IP4_REWRITE_NEXT_OUTPUT);
}

static u32
lig_ip4_rewrite_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_store(lig_buffer_data(pb) - LIG_ETHERNET_HEADER_SIZE);
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		u16 next = ip4_rewrite_one(node, b, &error);
		if (lig_unlikely(next == IP4_REWRITE_NEXT_DROP))
			b->error = node->error_base + error;
		if (lig_buffer_is_traced(b))
			ip4_trace(node, b,
				  (void *)(lig_buffer_data(b) +
					   (next != IP4_REWRITE_NEXT_DROP &&
						    next != IP4_REWRITE_NEXT_ICMP_ERROR
						? LIG_ETHERNET_HEADER_SIZE
						: 0)),
				  next);
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_rewrite_node) = {
    .name = "ip4-rewrite",
    .function = lig_ip4_rewrite_fn,
    .format_trace = lig_ip4_format_trace,
    .n_errors = IP4_REWRITE_N_ERROR,
    .error_strings = ip4_rewrite_error_strings,
    .n_next_nodes = IP4_REWRITE_N_NEXT,
    .next_nodes =
	{
	    [IP4_REWRITE_NEXT_DROP] = "error-drop",
	    [IP4_REWRITE_NEXT_OUTPUT] = "interface-output",
	    [IP4_REWRITE_NEXT_ICMP_ERROR] = "ip4-icmp-error",
	},
};

/* -------- ip4-local -------- */

enum {
	IP4_LOCAL_NEXT_DROP,
	IP4_LOCAL_NEXT_LOOKUP,
	IP4_LOCAL_NEXT_ICMP_ERROR,
	IP4_LOCAL_N_NEXT_FIXED,
};

#define foreach_ip4_local_error                                                                    \
	_(ECHO_REPLIES_SENT, "ICMP echo replies sent")                                             \
	_(ECHO_REPLIES_RECEIVED, "ICMP echo replies received (ping)")                              \
	_(ICMP_ERRORS_RECEIVED, "ICMP errors received")                                            \
	_(FRAGMENT, "fragment for us (no reassembly)")                                             \
	_(ICMP_SHORT, "ICMP packet too short")                                                     \
	_(ICMP_CHECKSUM, "ICMP checksum wrong")                                                    \
	_(ICMP_TYPE, "ICMP type not handled")                                                      \
	_(UDP_SHORT, "UDP packet too short")                                                       \
	_(UDP_PORT, "UDP port not handled (ICMP port unreachable sent)")                           \
	_(PROTOCOL, "IP protocol not handled")

enum {
#define _(sym, str) IP4_LOCAL_ERROR_##sym,
	foreach_ip4_local_error
#undef _
	    IP4_LOCAL_N_ERROR,
};

static const char *const ip4_local_error_strings[] = {
#define _(sym, str) str,
    foreach_ip4_local_error
#undef _
};

/* Returns the arc, or IP4_LOCAL_CONSUMED when the packet was consumed. */
#define IP4_LOCAL_CONSUMED 0xffff

static inline u16
ip4_local_one(struct lig_node *node, struct lig_buffer *b, u32 *error)
{
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	u32 ihl = (ip->ver_ihl & 0xf) * 4u, total = ntohs(ip->length);

	if (lig_unlikely(ip->frag & htons(LIG_IP4_MF | LIG_IP4_FRAG_OFFSET_MASK))) {
		*error = IP4_LOCAL_ERROR_FRAGMENT;
		return IP4_LOCAL_NEXT_DROP;
	}
	if (ip->proto == LIG_IP_PROTO_UDP) {
		if (b->current_length < ihl + sizeof(struct lig_udp_header)) {
			*error = IP4_LOCAL_ERROR_UDP_SHORT;
			return IP4_LOCAL_NEXT_DROP;
		}
		const struct lig_udp_header *udp = (const void *)((u8 *)ip + ihl);
		u16 port = ntohs(udp->dst_port);
		for (u32 k = 0; k < lig_ip4_main.n_udp; k++)
			if (lig_ip4_main.udp_port[k] == port)
				return lig_ip4_main.udp_next[k];
		/* As a host would (traceroute's last hop): port unreachable, rate limited. */
		lig_node_count_error(node, IP4_LOCAL_ERROR_UDP_PORT, 1);
		ip4_set_icmp(b, LIG_ICMP4_DEST_UNREACH, 3, 0);
		return IP4_LOCAL_NEXT_ICMP_ERROR;
	}
	if (ip->proto != LIG_IP_PROTO_ICMP) {
		*error = IP4_LOCAL_ERROR_PROTOCOL;
		return IP4_LOCAL_NEXT_DROP;
	}
	struct lig_icmp4_header *icmp = (void *)((u8 *)ip + ihl);
	if (total < ihl + sizeof(*icmp) || b->current_length < total) {
		*error = IP4_LOCAL_ERROR_ICMP_SHORT;
		return IP4_LOCAL_NEXT_DROP;
	}
	if (lig_ip4_csum_fold(lig_ip4_csum_add(0, icmp, total - ihl)) != 0) {
		*error = IP4_LOCAL_ERROR_ICMP_CHECKSUM;
		return IP4_LOCAL_NEXT_DROP;
	}
	switch (icmp->type) {
	case LIG_ICMP4_ECHO_REQUEST: {
		u32 us = ip->dst;
		ip->dst = ip->src;
		ip->src = us;
		ip->ttl = 64;
		ip->frag = 0;
		ip->checksum = 0;
		ip->checksum = htons(lig_ip4_header_csum(ip, ihl / 4));
		/* Type 8 -> 0 lowers the first word by 0x0800: the checksum rises by it. */
		icmp->type = LIG_ICMP4_ECHO_REPLY;
		u32 c = icmp->checksum;
		c += htons(0x0800);
		icmp->checksum = (u16)(c + (c >= 0xffff));
		b->ip4.flags |= LIG_IP4_BUF_LOCAL_ORIGIN;
		lig_node_count_error(node, IP4_LOCAL_ERROR_ECHO_REPLIES_SENT, 1);
		return IP4_LOCAL_NEXT_LOOKUP;
	}
	case LIG_ICMP4_ECHO_REPLY:
		lig_ip4_ping_reply(ip, icmp, total);
		lig_node_count_error(node, IP4_LOCAL_ERROR_ECHO_REPLIES_RECEIVED, 1);
		return IP4_LOCAL_CONSUMED;
	case LIG_ICMP4_DEST_UNREACH:
	case LIG_ICMP4_TIME_EXCEEDED:
		lig_ip4_ping_reply(ip, icmp, total);
		lig_node_count_error(node, IP4_LOCAL_ERROR_ICMP_ERRORS_RECEIVED, 1);
		return IP4_LOCAL_CONSUMED;
	default:
		*error = IP4_LOCAL_ERROR_ICMP_TYPE;
		return IP4_LOCAL_NEXT_DROP;
	}
}

static u32
lig_ip4_local_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors, n_out = 0, n_free = 0;
	u32 to[LIG_FRAME_SIZE], freed[LIG_FRAME_SIZE];
	u16 nexts[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		u16 next = ip4_local_one(node, b, &error);
		if (lig_buffer_is_traced(b))
			ip4_trace(node, b, (void *)lig_buffer_data(b), next);
		if (next == IP4_LOCAL_CONSUMED) {
			freed[n_free++] = from[i];
			continue;
		}
		if (next == IP4_LOCAL_NEXT_DROP)
			b->error = node->error_base + error;
		to[n_out] = from[i];
		nexts[n_out++] = next;
	}
	if (n_out)
		lig_enqueue_to_next(node, to, nexts, n_out);
	if (n_free)
		lig_buffer_free(freed, n_free);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_local_node) = {
    .name = "ip4-local",
    .function = lig_ip4_local_fn,
    .format_trace = lig_ip4_format_trace,
    .n_errors = IP4_LOCAL_N_ERROR,
    .error_strings = ip4_local_error_strings,
    .n_next_nodes = IP4_LOCAL_N_NEXT_FIXED,
    .next_nodes =
	{
	    [IP4_LOCAL_NEXT_DROP] = "error-drop",
	    [IP4_LOCAL_NEXT_LOOKUP] = "ip4-lookup",
	    [IP4_LOCAL_NEXT_ICMP_ERROR] = "ip4-icmp-error",
	},
};

int
lig_ip4_register_udp_port(u16 dst_port, const char *node_name)
{
	struct lig_node *t = lig_node_by_name(node_name);
	int next;

	if (!t)
		return -ENOENT;
	if (lig_ip4_main.n_udp == LIG_ARRAY_LEN(lig_ip4_main.udp_port))
		return -ENOSPC;
	next = lig_node_add_next(lig_ip4_local_node.index, t->index);
	if (next < 0)
		return next;
	lig_ip4_main.udp_port[lig_ip4_main.n_udp] = dst_port;
	lig_ip4_main.udp_next[lig_ip4_main.n_udp++] = (u16)next;
	return 0;
}

/* -------- ip4-icmp-error -------- */

enum {
	IP4_ICMP_ERROR_NEXT_DROP,
	IP4_ICMP_ERROR_NEXT_LOOKUP,
	IP4_ICMP_ERROR_N_NEXT,
};

#define foreach_ip4_icmp_error_error                                                               \
	_(SENT, "ICMP errors sent")                                                                \
	_(ABOUT_ERROR, "no ICMP error about an ICMP error, fragment or broadcast")                 \
	_(NO_SOURCE, "no address on the rx interface to send ICMP from")                           \
	_(RATE_LIMITED, "ICMP errors rate limited")                                                \
	_(NO_HEADROOM, "no headroom for the ICMP error")

enum {
#define _(sym, str) IP4_ICMP_ERROR_ERROR_##sym,
	foreach_ip4_icmp_error_error
#undef _
	    IP4_ICMP_ERROR_N_ERROR,
};

static const char *const ip4_icmp_error_error_strings[] = {
#define _(sym, str) str,
    foreach_ip4_icmp_error_error
#undef _
};

/* At most this many ICMP errors per second, as routers do to avoid amplifying floods. */
#define IP4_ICMP_ERROR_RATE 1000

static inline u16
ip4_icmp_error_one(struct lig_buffer *b, u64 now, u32 *error)
{
	/* Per thread: each worker limits its own errors, as VPP's. */
	static _Thread_local u64 window_ns;
	static _Thread_local u32 in_window;
	struct lig_ip4_header *orig = (void *)lig_buffer_data(b);
	u8 type = b->ip4.icmp_type, code = b->ip4.icmp_code;
	u16 mtu = b->ip4.icmp_mtu;
	u32 ihl = (orig->ver_ihl & 0xf) * 4u;

	if (orig->proto == LIG_IP_PROTO_ICMP && b->current_length >= ihl + 1) {
		u8 t = ((const u8 *)orig)[ihl];
		if (t != LIG_ICMP4_ECHO_REQUEST && t != LIG_ICMP4_ECHO_REPLY) {
			*error = IP4_ICMP_ERROR_ERROR_ABOUT_ERROR;
			return IP4_ICMP_ERROR_NEXT_DROP;
		}
	}
	if ((orig->frag & htons(LIG_IP4_FRAG_OFFSET_MASK)) || orig->src == 0 ||
	    ((const u8 *)&orig->src)[0] >= 224 || (b->ip4.flags & LIG_IP4_BUF_LOCAL_ORIGIN)) {
		*error = IP4_ICMP_ERROR_ERROR_ABOUT_ERROR;
		return IP4_ICMP_ERROR_NEXT_DROP;
	}
	u32 src = lig_ip4_interface_source(b->sw_if_index[LIG_RX], orig->src);
	if (!src) {
		*error = IP4_ICMP_ERROR_ERROR_NO_SOURCE;
		return IP4_ICMP_ERROR_NEXT_DROP;
	}
	if (now - window_ns > 1000000000ull) {
		window_ns = now;
		in_window = 0;
	}
	if (++in_window > IP4_ICMP_ERROR_RATE) {
		*error = IP4_ICMP_ERROR_ERROR_RATE_LIMITED;
		return IP4_ICMP_ERROR_NEXT_DROP;
	}
	const u32 hdr = sizeof(struct lig_ip4_header) + sizeof(struct lig_icmp4_header);
	if (b->current_data - (int)hdr - LIG_ETHERNET_HEADER_SIZE < -LIG_BUFFER_PRE_DATA_SIZE) {
		*error = IP4_ICMP_ERROR_ERROR_NO_HEADROOM;
		return IP4_ICMP_ERROR_NEXT_DROP;
	}
	/* Quote as much of the original as fits a 576-byte datagram (RFC 1812). */
	u32 quote = LIG_MIN((u32)b->current_length, 576u - hdr);
	u32 dst = orig->src;
	if (b->flags & LIG_BUFFER_NEXT_PRESENT) {
		lig_buffer_free_one(b->next_buffer);
		b->flags &= ~LIG_BUFFER_NEXT_PRESENT;
	}
	/* The error is a new packet: the original's checksum and GSO requests are not its. */
	b->flags &= ~(LIG_BUFFER_CSUM_PARTIAL | LIG_BUFFER_GSO | LIG_BUFFER_GSO_TUNNEL);
	b->current_data = (i16)(b->current_data - (int)hdr);
	b->current_length = (u16)(quote + hdr);
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	struct lig_icmp4_header *icmp = (void *)(ip + 1);
	ip->ver_ihl = 0x45;
	ip->tos = 0;
	ip->length = htons((u16)(quote + hdr));
	ip->id = htons(__atomic_fetch_add(&lig_ip4_main.ip_id, 1, __ATOMIC_RELAXED));
	ip->frag = 0;
	ip->ttl = 64;
	ip->proto = LIG_IP_PROTO_ICMP;
	ip->src = src;
	ip->dst = dst;
	ip->checksum = 0;
	ip->checksum = htons(lig_ip4_header_csum(ip, 5));
	icmp->type = type;
	icmp->code = code;
	icmp->checksum = 0;
	icmp->id = 0;
	icmp->seq = type == LIG_ICMP4_DEST_UNREACH && code == 4 ? htons(mtu) : 0;
	icmp->checksum = htons(lig_ip4_csum_fold(lig_ip4_csum_add(0, icmp, sizeof(*icmp) + quote)));
	b->ip4.flags |= LIG_IP4_BUF_LOCAL_ORIGIN;
	return IP4_ICMP_ERROR_NEXT_LOOKUP;
}

static u32
lig_ip4_icmp_error_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	u64 now = lig_time_now_ns();

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		u16 next = ip4_icmp_error_one(b, now, &error);
		if (next == IP4_ICMP_ERROR_NEXT_DROP)
			b->error = node->error_base + error;
		else
			lig_node_count_error(node, IP4_ICMP_ERROR_ERROR_SENT, 1);
		if (lig_buffer_is_traced(b))
			ip4_trace(node, b, (void *)lig_buffer_data(b), next);
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_icmp_error_node) = {
    .name = "ip4-icmp-error",
    .function = lig_ip4_icmp_error_fn,
    .format_trace = lig_ip4_format_trace,
    .n_errors = IP4_ICMP_ERROR_N_ERROR,
    .error_strings = ip4_icmp_error_error_strings,
    .n_next_nodes = IP4_ICMP_ERROR_N_NEXT,
    .next_nodes =
	{
	    [IP4_ICMP_ERROR_NEXT_DROP] = "error-drop",
	    [IP4_ICMP_ERROR_NEXT_LOOKUP] = "ip4-lookup",
	},
};

/* -------- arp-input -------- */

static bool glean_pending(u32 sw_if_index, u32 ip);
extern struct lig_node_registration lig_arp_input_node;

enum {
	LIG_ARP_NEXT_DROP,
	LIG_ARP_NEXT_OUTPUT,
	LIG_ARP_N_NEXT,
};

#define foreach_lig_arp_error                                                                      \
	_(REPLIES_SENT, "ARP replies sent")                                                        \
	_(PROXY_REPLIES, "proxy ARP replies sent")                                                 \
	_(LEARNED, "neighbours learned or refreshed")                                              \
	_(SHORT, "ARP packet too short")                                                           \
	_(BAD_FORMAT, "not Ethernet/IPv4 ARP, or unknown opcode")                                  \
	_(NO_IP, "ARP on an interface without IPv4 address")                                       \
	_(NOT_ON_SUBNET, "ARP sender not on a connected subnet")                                   \
	_(NOT_FOR_US, "ARP for another address (proxy-arp off)")                                   \
	_(REPLY_CONSUMED, "ARP replies consumed")                                                  \
	_(TABLE_FULL, "neighbour table full")                                                      \
	_(LEARN_LOST, "neighbour not learned: the worker's queue to main was full")

enum {
#define _(sym, str) LIG_ARP_ERROR_##sym,
	foreach_lig_arp_error
#undef _
	    LIG_ARP_N_ERROR,
};

static const char *const lig_arp_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_arp_error
#undef _
};

struct lig_arp_trace {
	u32 sw_if_index;
	u16 op;
	u16 next;
	u32 spa, tpa;
	u8 sha[6];
};

static void
lig_arp_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_arp_trace *t = record;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &t->spa, a, sizeof(a));
	inet_ntop(AF_INET, &t->tpa, b, sizeof(b));
	lig_str_printf(s, "ARP %s %s (",
		       t->op == LIG_ARP_OP_REQUEST ? "request"
		       : t->op == LIG_ARP_OP_REPLY ? "reply"
						   : "op?",
		       a);
	lig_format_mac(s, t->sha);
	lig_str_printf(s, ") for %s -> %s", b,
		       t->next == LIG_ARP_NEXT_OUTPUT ? "reply" : "consumed");
}

/* What a worker asks main to learn (the neighbour table, adjacencies and FIB are main's). */
struct arp_learn_rpc {
	u32 sw_if_index;
	u32 ip;
	u64 now;
	u8 mac[6];
};

static void
arp_learn_on_main(void *arg)
{
	const struct arp_learn_rpc *r = arg;
	struct lig_node *node = &lig_graph.nodes[lig_arp_input_node.index];

	if (lig_arp_neighbor_learn(r->sw_if_index, r->ip, r->mac, r->now) < 0)
		lig_node_count_error(node, LIG_ARP_ERROR_TABLE_FULL, 1);
	else
		lig_node_count_error(node, LIG_ARP_ERROR_LEARNED, 1);
}

/* Learns the sender: right away on main (always without workers), through main from a
 * worker. */
static void
arp_learn(struct lig_node *node, u32 sw, u32 ip, const u8 *mac, u64 now)
{
	struct arp_learn_rpc r = {.sw_if_index = sw, .ip = ip, .now = now};

	memcpy(r.mac, mac, 6);
	if (lig_thread_rpc_main(arp_learn_on_main, &r, sizeof(r)) < 0)
		lig_node_count_error(node, LIG_ARP_ERROR_LEARN_LOST, 1);
}

/* Proxy ARP answers for a target the interface's VRF routes out of another interface. */
static bool
proxy_target(u32 sw_if_index, u32 ip)
{
	u32 lbi = lig_fib_lookup_lb(lig_ip4_main.ifs[sw_if_index].fib_index, ip);
	const struct lig_adj *a = lig_adj_get(lig_fib_lb_get(lbi)->buckets[0]);

	return (a->type == LIG_ADJ_NEIGHBOR || a->type == LIG_ADJ_GLEAN) &&
	       a->sw_if_index != sw_if_index;
}

static inline u16
arp_one(struct lig_node *node, struct lig_buffer *b, u64 now, u32 *error)
{
	struct lig_arp_header *arp = (void *)lig_buffer_data(b);
	u32 sw = b->sw_if_index[LIG_RX], spa, tpa;
	struct lig_interface *ifp = lig_if_get(sw);
	u16 op;

	if (b->current_length < sizeof(*arp)) {
		*error = LIG_ARP_ERROR_SHORT;
		return LIG_ARP_NEXT_DROP;
	}
	op = ntohs(arp->op);
	if (arp->htype != htons(LIG_ARP_HTYPE_ETHERNET) || arp->ptype != htons(LIG_ETHERTYPE_IP4) ||
	    arp->hlen != 6 || arp->plen != 4 ||
	    (op != LIG_ARP_OP_REQUEST && op != LIG_ARP_OP_REPLY) ||
	    lig_mac_is_multicast(arp->sha)) {
		*error = LIG_ARP_ERROR_BAD_FORMAT;
		return LIG_ARP_NEXT_DROP;
	}
	if (!ifp || sw >= LIG_IF_MAX || !lig_ip4_main.ifs[sw].n_addrs) {
		*error = LIG_ARP_ERROR_NO_IP;
		return LIG_ARP_NEXT_DROP;
	}
	memcpy(&spa, arp->spa, 4);
	memcpy(&tpa, arp->tpa, 4);
	bool for_us = lig_ip4_interface_is_local(sw, tpa);
	bool known = lig_arp_neighbor_mac(sw, spa) != NULL;
	/* An answer we asked for (glean) is learned even off our subnets: attached routes
	 * ("via <interface>") resolve destinations that no address of ours covers. */
	bool asked = spa && glean_pending(sw, spa);
	if (spa && (for_us || known || asked)) {
		if (!asked && !lig_ip4_interface_on_subnet(sw, spa)) {
			*error = LIG_ARP_ERROR_NOT_ON_SUBNET;
			return LIG_ARP_NEXT_DROP;
		}
		arp_learn(node, sw, spa, arp->sha, now);
	}
	if (!for_us) {
		if (op != LIG_ARP_OP_REQUEST || !lig_ip4_main.ifs[sw].proxy_arp ||
		    !proxy_target(sw, tpa)) {
			*error = LIG_ARP_ERROR_NOT_FOR_US;
			return LIG_ARP_NEXT_DROP;
		}
		lig_node_count_error(node, LIG_ARP_ERROR_PROXY_REPLIES, 1);
	}
	if (op == LIG_ARP_OP_REPLY) {
		*error = LIG_ARP_ERROR_REPLY_CONSUMED;
		return LIG_ARP_NEXT_DROP;
	}
	/* Answer in place: the request becomes the reply. */
	arp->op = htons(LIG_ARP_OP_REPLY);
	memcpy(arp->tha, arp->sha, 6);
	memcpy(arp->tpa, &spa, 4);
	memcpy(arp->sha, ifp->mac, 6);
	memcpy(arp->spa, &tpa, 4);
	struct lig_ethernet_header *eh = (void *)(b->data + b->l2_hdr_offset);
	memcpy(eh->dst, arp->tha, 6);
	memcpy(eh->src, ifp->mac, 6);
	b->current_data = b->l2_hdr_offset;
	b->current_length = sizeof(*eh) + sizeof(*arp);
	if (b->flags & LIG_BUFFER_NEXT_PRESENT) {
		lig_buffer_free_one(b->next_buffer);
		b->flags &= ~LIG_BUFFER_NEXT_PRESENT;
	}
	/* The request's checksum offload request (a peer's virtio-net header) is not the
	 * reply's. */
	b->flags &= ~LIG_BUFFER_CSUM_PARTIAL;
	b->sw_if_index[LIG_TX] = sw;
	lig_node_count_error(node, LIG_ARP_ERROR_REPLIES_SENT, 1);
	return LIG_ARP_NEXT_OUTPUT;
}

static u32
lig_arp_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	u64 now = lig_time_now_ns();

	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		struct lig_arp_header *arp = (void *)lig_buffer_data(b);
		u32 error = 0;
		struct lig_arp_trace tr;
		bool traced = lig_buffer_is_traced(b) && b->current_length >= sizeof(*arp);
		if (traced) {
			tr.sw_if_index = b->sw_if_index[LIG_RX];
			tr.op = ntohs(arp->op);
			memcpy(&tr.spa, arp->spa, 4);
			memcpy(&tr.tpa, arp->tpa, 4);
			memcpy(tr.sha, arp->sha, 6);
		}
		u16 next = arp_one(node, b, now, &error);
		if (next == LIG_ARP_NEXT_DROP)
			b->error = node->error_base + error;
		if (traced) {
			struct lig_arp_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				*t = tr;
				t->next = next;
			}
		}
		nexts[i] = next;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_arp_input_node) = {
    .name = "arp-input",
    .function = lig_arp_input_fn,
    .format_trace = lig_arp_format_trace,
    .n_errors = LIG_ARP_N_ERROR,
    .error_strings = lig_arp_error_strings,
    .n_next_nodes = LIG_ARP_N_NEXT,
    .next_nodes =
	{
	    [LIG_ARP_NEXT_DROP] = "error-drop",
	    [LIG_ARP_NEXT_OUTPUT] = "interface-output",
	},
};

/* -------- ip4-glean -------- */

#define LIG_GLEAN_MAX 256
#define LIG_GLEAN_HOLD 4
#define LIG_GLEAN_RETRY_NS (300ull * 1000 * 1000)
#define LIG_GLEAN_TIMEOUT_NS (1200ull * 1000 * 1000)

struct lig_glean_pending {
	u32 sw_if_index;
	u32 ip;
	u8 n_held;
	u8 in_use;
	u64 created_ns;
	u64 last_tx_ns;
	u32 held[LIG_GLEAN_HOLD];
};

/* Workers' ip4-glean and arp-input take the lock; main (release, flush, the timer) works
 * under the barrier, with every worker parked outside it. */
static struct {
	struct lig_glean_pending p[LIG_GLEAN_MAX];
	struct lig_hash64 hash; /* sw << 32 | ip -> slot */
	u32 n_pending;
	u32 node_index; /* ip4-glean's, for the timeout counter */
	struct lig_spinlock lock;
} gleanm;

static inline u64
glean_key(u32 sw_if_index, u32 ip)
{
	return (u64)sw_if_index << 32 | ip;
}

enum {
	LIG_GLEAN_NEXT_DROP,
	LIG_GLEAN_NEXT_OUTPUT,
	LIG_GLEAN_NEXT_REWRITE,
	LIG_GLEAN_N_NEXT,
};

#define foreach_lig_glean_error                                                                    \
	_(REQUESTS_SENT, "ARP requests sent")                                                      \
	_(HELD, "packets held for ARP resolution")                                                 \
	_(HOLD_FULL, "packets dropped: hold queue full")                                           \
	_(TOO_MANY, "packets dropped: too many unresolved neighbours")                             \
	_(TIMEOUT, "held packets dropped: neighbour did not answer")                               \
	_(NO_SOURCE, "no IPv4 address on the interface to ARP from")                               \
	_(NO_BUFFER, "no buffer for an ARP request")                                               \
	_(NO_INTERFACE, "interface of the route is gone")                                          \
	_(NO_ADJACENCY, "known neighbour without an adjacency (out of memory)")

enum {
#define _(sym, str) LIG_GLEAN_ERROR_##sym,
	foreach_lig_glean_error
#undef _
	    LIG_GLEAN_N_ERROR,
};

static const char *const lig_glean_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_glean_error
#undef _
};

static void
glean_free_slot(u32 slot, bool drop)
{
	struct lig_glean_pending *p = &gleanm.p[slot];

	if (drop && p->n_held) {
		struct lig_node *node = &lig_graph.nodes[gleanm.node_index];
		lig_node_count_error(node, LIG_GLEAN_ERROR_TIMEOUT, p->n_held);
		lig_buffer_free(p->held, p->n_held);
	}
	lig_hash64_del(&gleanm.hash, glean_key(p->sw_if_index, p->ip));
	p->in_use = 0;
	p->n_held = 0;
	gleanm.n_pending--;
}

void
lig_ip4_glean_release(u32 sw_if_index, u32 ip)
{
	struct lig_hash64_slot *s;

	if (!gleanm.hash.slots || !gleanm.n_pending)
		return;
	s = lig_hash64_lookup(&gleanm.hash, glean_key(sw_if_index, ip));
	if (!s)
		return;
	struct lig_glean_pending *p = &gleanm.p[s->value];
	for (u32 i = 0; i < p->n_held; i++)
		lig_node_put(lig_ip4_main.lookup_node_index, p->held[i]);
	p->n_held = 0;
	glean_free_slot((u32)s->value, false);
}

static bool
glean_pending(u32 sw_if_index, u32 ip)
{
	lig_spinlock_lock(&gleanm.lock);
	bool p = gleanm.n_pending && lig_hash64_lookup(&gleanm.hash, glean_key(sw_if_index, ip));
	lig_spinlock_unlock(&gleanm.lock);
	return p;
}

struct glean_route_rpc {
	u32 sw_if_index;
	u32 ip;
};

static void
glean_route_on_main(void *arg)
{
	const struct glean_route_rpc *r = arg;

	if (lig_if_get(r->sw_if_index) && lig_arp_neighbor_mac(r->sw_if_index, r->ip))
		lig_arp_neighbor_route_add(r->sw_if_index, r->ip);
	/* What a worker held for it goes to ip4-lookup again, and the route now. */
	lig_ip4_glean_release(r->sw_if_index, r->ip);
}

void
lig_ip4_glean_flush(u32 sw_if_index)
{
	for (u32 i = 0; i < LIG_GLEAN_MAX; i++)
		if (gleanm.p[i].in_use && gleanm.p[i].sw_if_index == sw_if_index)
			glean_free_slot(i, true);
}

static inline u16
glean_one(struct lig_node *node, u32 bi, struct lig_buffer *b, u64 now, u32 *error)
{
	const struct lig_adj *a = lig_adj_get(b->ip4.adj_index);
	const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
	u32 target = a->type == LIG_ADJ_GLEAN ? ip->dst : a->nh, sw = a->sw_if_index;
	struct lig_hash64_slot *s;
	struct lig_glean_pending *p;

	if (a->type == LIG_ADJ_NEIGHBOR && a->complete)
		return LIG_GLEAN_NEXT_REWRITE; /* resolved while this packet was queued */
	if (!lig_if_get(sw) || (a->type != LIG_ADJ_GLEAN && a->type != LIG_ADJ_NEIGHBOR)) {
		*error = LIG_GLEAN_ERROR_NO_INTERFACE;
		return LIG_GLEAN_NEXT_DROP;
	}
	if (a->type == LIG_ADJ_GLEAN && lig_arp_neighbor_mac(sw, target)) {
		/* Known, but its host route is missing (it resolved while this packet was
		 * queued, or a route that shadowed it went away): restore it and send the
		 * packet straight to the neighbour, never back to ip4-lookup, which would
		 * bring it here again. From a worker main restores it and the packet waits
		 * among the held ones (below) until then: the adjacency table is main's, and
		 * route changes change it without the barrier. */
		struct glean_route_rpc r = {.sw_if_index = sw, .ip = target};
		lig_thread_rpc_main(glean_route_on_main, &r, sizeof(r));
		if (lig_thread_index != 0)
			goto hold;
		u32 ai = lig_adj_nbr_find(sw, target);
		if (ai == LIG_INVALID_INDEX || !lig_adj_get(ai)->complete) {
			*error = LIG_GLEAN_ERROR_NO_ADJACENCY;
			return LIG_GLEAN_NEXT_DROP;
		}
		b->ip4.adj_index = ai;
		return LIG_GLEAN_NEXT_REWRITE;
	}
hold:
	s = lig_hash64_lookup(&gleanm.hash, glean_key(sw, target));
	if (s) {
		p = &gleanm.p[s->value];
		if (p->n_held == LIG_GLEAN_HOLD) {
			*error = LIG_GLEAN_ERROR_HOLD_FULL;
			return LIG_GLEAN_NEXT_DROP;
		}
		/* Released later, maybe on another thread: its trace (this thread's) ends. */
		b->flags &= ~LIG_BUFFER_TRACED;
		p->held[p->n_held++] = bi;
		lig_node_count_error(node, LIG_GLEAN_ERROR_HELD, 1);
		return LIG_GLEAN_N_NEXT; /* kept */
	}
	u32 slot;
	for (slot = 0; slot < LIG_GLEAN_MAX && gleanm.p[slot].in_use; slot++)
		;
	if (slot == LIG_GLEAN_MAX) {
		*error = LIG_GLEAN_ERROR_TOO_MANY;
		return LIG_GLEAN_NEXT_DROP;
	}
	u32 req = lig_arp_build_request(sw, target);
	if (req == LIG_INVALID_INDEX) {
		*error = lig_ip4_interface_source(sw, target) ? LIG_GLEAN_ERROR_NO_BUFFER
							      : LIG_GLEAN_ERROR_NO_SOURCE;
		return LIG_GLEAN_NEXT_DROP;
	}
	lig_enqueue(node, LIG_GLEAN_NEXT_OUTPUT, req);
	lig_node_count_error(node, LIG_GLEAN_ERROR_REQUESTS_SENT, 1);
	p = &gleanm.p[slot];
	memset(p, 0, sizeof(*p));
	p->sw_if_index = sw;
	p->ip = target;
	p->in_use = 1;
	p->created_ns = p->last_tx_ns = now;
	b->flags &= ~LIG_BUFFER_TRACED;
	p->held[p->n_held++] = bi;
	lig_hash64_set(&gleanm.hash, glean_key(sw, target), slot);
	gleanm.n_pending++;
	lig_node_count_error(node, LIG_GLEAN_ERROR_HELD, 1);
	return LIG_GLEAN_N_NEXT;
}

static u32
lig_ip4_glean_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors, n_out = 0;
	u32 to[LIG_FRAME_SIZE];
	u16 nexts[LIG_FRAME_SIZE];
	u64 now = lig_time_now_ns();

	lig_spinlock_lock(&gleanm.lock);
	for (u32 i = 0; i < n; i++) {
		struct lig_buffer *b = lig_buffer_get(from[i]);
		u32 error = 0;
		u16 next = glean_one(node, from[i], b, now, &error);
		if (next == LIG_GLEAN_N_NEXT)
			continue;
		if (next == LIG_GLEAN_NEXT_DROP)
			b->error = node->error_base + error;
		to[n_out] = from[i];
		nexts[n_out++] = next;
	}
	lig_spinlock_unlock(&gleanm.lock);
	if (n_out)
		lig_enqueue_to_next(node, to, nexts, n_out);
	return n;
}

LIG_REGISTER_NODE(lig_ip4_glean_node) = {
    .name = "ip4-glean",
    .function = lig_ip4_glean_fn,
    .n_errors = LIG_GLEAN_N_ERROR,
    .error_strings = lig_glean_error_strings,
    .n_next_nodes = LIG_GLEAN_N_NEXT,
    .next_nodes =
	{
	    [LIG_GLEAN_NEXT_DROP] = "error-drop",
	    [LIG_GLEAN_NEXT_OUTPUT] = "interface-output",
	    [LIG_GLEAN_NEXT_REWRITE] = "ip4-rewrite",
	},
};

/* Asks again for dynamic neighbours in the last quarter of their age, so a live one is
 * refreshed (its answer updates it) before it ages out and traffic has to glean again.
 * Returns how many requests it queued (at most 64 per call). */

int
lig_ip4_glean_init(void)
{
	gleanm.node_index = lig_ip4_glean_node.index;
	return lig_hash64_init(&gleanm.hash, LIG_GLEAN_MAX);
}

bool
lig_ip4_glean_any_pending(void)
{
	lig_spinlock_lock(&gleanm.lock);
	bool any = gleanm.n_pending != 0;
	lig_spinlock_unlock(&gleanm.lock);
	return any;
}

bool
lig_ip4_glean_timer(u64 now)
{
	bool sent = false;

	for (u32 i = 0; gleanm.n_pending && i < LIG_GLEAN_MAX; i++) {
		struct lig_glean_pending *p = &gleanm.p[i];
		if (!p->in_use)
			continue;
		if (now - p->created_ns > LIG_GLEAN_TIMEOUT_NS) {
			glean_free_slot(i, true);
		} else if (now - p->last_tx_ns > LIG_GLEAN_RETRY_NS) {
			u32 req = lig_arp_build_request(p->sw_if_index, p->ip);
			if (req != LIG_INVALID_INDEX) {
				lig_node_put(lig_ip4_main.output_node_index, req);
				sent = true;
			}
			p->last_tx_ns = now;
		}
	}
	return sent;
}
/* -------- init -------- */

static int
lig_ip4_init(void)
{
	int rv;

	lig_ip4_main.lookup_node_index = lig_ip4_lookup_node.index;
	lig_ip4_main.local_node_index = lig_ip4_local_node.index;
	lig_ip4_main.icmp_error_node_index = lig_ip4_icmp_error_node.index;
	lig_ip4_main.output_node_index = lig_if_output_node_index();
	rv = lig_if_subscribe("ip4", lig_ip4_if_event, NULL);
	if (rv == 0)
		rv = lig_ethernet_register_l3(LIG_ETHERTYPE_IP4, "ip4-input");
	return rv;
}

LIG_MODULE(ip4, .init = lig_ip4_init, .depends = {"interface", "ethernet", "ip4_fib"});

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IPv4 forwarding path: ip4-input (header checks, VRF of the rx interface),
 * ip4-lookup (longest-prefix match and ECMP flow hash to an adjacency), ip4-rewrite
 * (TTL, checksum, MTU, Ethernet header into the headroom), ip4-local (our addresses:
 * ICMP echo, registered UDP ports such as VXLAN) and ip4-icmp-error (time exceeded,
 * unreachable). Drops are counted per reason in show errors.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
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
	if (lig_unlikely(ifp && len > ifp->mtu)) {
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
	return IP4_REWRITE_NEXT_OUTPUT;
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
				  (void *)(lig_buffer_data(b) + (next == IP4_REWRITE_NEXT_OUTPUT
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
	static u64 window_ns;
	static u32 in_window;
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
	b->current_data = (i16)(b->current_data - (int)hdr);
	b->current_length = (u16)(quote + hdr);
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	struct lig_icmp4_header *icmp = (void *)(ip + 1);
	ip->ver_ihl = 0x45;
	ip->tos = 0;
	ip->length = htons((u16)(quote + hdr));
	ip->id = htons(lig_ip4_main.ip_id++);
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

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VXLAN datapath: vxlan4-encap (tx node of every tunnel interface: finish a partial
 * inner checksum, prepend IPv4/UDP/VXLAN into the headroom, route via ip4-lookup in
 * the encap VRF) and vxlan4-input (from ip4-local for UDP 4789: match the tunnel by
 * (src, dst, vni), strip the outer headers, hand the inner frame to ethernet-input).
 */
#include <arpa/inet.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../ip4/ip4.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "vxlan.h"

struct lig_vxlan_trace {
	u32 sw_if_index;
	u32 vni;
	u32 src, dst;
	u16 next;
	u16 error;
};

static void
lig_vxlan_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_vxlan_trace *t = record;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);

	inet_ntop(AF_INET, &t->src, a, sizeof(a));
	inet_ntop(AF_INET, &t->dst, b, sizeof(b));
	lig_str_printf(s, "%s vni %u %s -> %s next %u", ifp ? ifp->name : "(no tunnel)", t->vni, a,
		       b, t->next);
}

/* -------- vxlan4-encap -------- */

enum {
	VXLAN_ENCAP_NEXT_DROP,
	VXLAN_ENCAP_NEXT_LOOKUP,
	VXLAN_ENCAP_N_NEXT,
};

#define foreach_vxlan_encap_error                                                                  \
	_(ENCAPSULATED, "packets encapsulated")                                                    \
	_(NO_TUNNEL, "tx interface is not a VXLAN tunnel")                                         \
	_(NO_HEADROOM, "no headroom for the outer headers")                                        \
	_(CHAINED_PARTIAL, "partial checksum on a chained buffer")                                 \
	_(TOO_LONG, "inner frame too long to encapsulate")

enum {
#define _(sym, str) VXLAN_ENCAP_ERROR_##sym,
	foreach_vxlan_encap_error
#undef _
	    VXLAN_ENCAP_N_ERROR,
};

static const char *const vxlan_encap_error_strings[] = {
#define _(sym, str) str,
    foreach_vxlan_encap_error
#undef _
};

/* Source port from the inner flow (RFC 7348 §5), so the underlay's ECMP spreads tunnels'
 * flows: MACs, and for IPv4 the addresses and ports. */
/* The outer IP ID: the tunnel's own sequence with main alone; with workers each thread
 * counts on its own (the tunnel's counter would be written by every worker). */
static inline u16
vxlan_next_ip_id(struct lig_vxlan_tunnel *t)
{
	static _Thread_local u16 id;

	if (lig_likely(!lig_n_workers))
		return t->ip_id++;
	return (u16)(id++ ^ (lig_thread_index << 12));
}

static inline u16
vxlan_src_port(const u8 *frame, u32 len)
{
	u64 k = 0, k2 = 0;
	memcpy(&k, frame, 8);
	if (len >= 14 + 20 + 4 && frame[12] == 0x08 && frame[13] == 0x00) {
		memcpy(&k2, frame + 14 + 12, 8);
		u32 ihl = (frame[14] & 0xf) * 4u, ports = 0;
		if (len >= 14 + ihl + 4)
			memcpy(&ports, frame + 14 + ihl, 4);
		k2 ^= (u64)ports << 17;
	}
	return (u16)(49152 | (lig_hash64_mix(k ^ (k2 * 0x9e3779b97f4a7c15ull)) & 0x3fff));
}

static inline u16
vxlan_encap_one(struct lig_buffer *b, u32 *error, struct lig_vxlan_trace *tr)
{
	struct lig_interface *ifp = lig_if_get(b->sw_if_index[LIG_TX]);
	struct lig_vxlan_tunnel *t;
	u32 len;

	if (lig_unlikely(!ifp || ifp->dev_instance >= LIG_VXLAN_MAX_TUNNELS ||
			 !lig_vxlan_main.tunnels[ifp->dev_instance].in_use ||
			 lig_vxlan_main.tunnels[ifp->dev_instance].sw_if_index !=
			     ifp->sw_if_index)) {
		*error = VXLAN_ENCAP_ERROR_NO_TUNNEL;
		return VXLAN_ENCAP_NEXT_DROP;
	}
	t = &lig_vxlan_main.tunnels[ifp->dev_instance];
	/* The peer will not fix up an offloaded checksum: finish it before it is hidden. */
	if (lig_unlikely(b->flags & LIG_BUFFER_CSUM_PARTIAL)) {
		if (b->flags & LIG_BUFFER_NEXT_PRESENT) {
			*error = VXLAN_ENCAP_ERROR_CHAINED_PARTIAL;
			return VXLAN_ENCAP_NEXT_DROP;
		}
		lig_buffer_csum_finish(b);
	}
	if (lig_unlikely(b->current_data - LIG_VXLAN_ENCAP_SIZE - LIG_ETHERNET_HEADER_SIZE <
			 -LIG_BUFFER_PRE_DATA_SIZE)) {
		*error = VXLAN_ENCAP_ERROR_NO_HEADROOM;
		return VXLAN_ENCAP_NEXT_DROP;
	}
	len = lig_buffer_length_in_chain(b);
	if (lig_unlikely(len + LIG_VXLAN_ENCAP_SIZE > 0xffff)) {
		*error = VXLAN_ENCAP_ERROR_TOO_LONG;
		return VXLAN_ENCAP_NEXT_DROP;
	}
	u16 sport = vxlan_src_port(lig_buffer_data(b), b->current_length);
	b->current_data = (i16)(b->current_data - LIG_VXLAN_ENCAP_SIZE);
	b->current_length = (u16)(b->current_length + LIG_VXLAN_ENCAP_SIZE);
	struct lig_ip4_header *ip = (void *)lig_buffer_data(b);
	memcpy(ip, t->rewrite, LIG_VXLAN_ENCAP_SIZE);
	struct lig_udp_header *udp = (void *)(ip + 1);
	ip->length = htons((u16)(len + LIG_VXLAN_ENCAP_SIZE));
	ip->id = htons(vxlan_next_ip_id(t));
	ip->checksum = htons(lig_ip4_header_csum(ip, 5));
	udp->src_port = htons(sport);
	udp->length = htons((u16)(len + LIG_VXLAN_ENCAP_SIZE - sizeof(*ip)));
	/* UDP checksum 0: allowed for VXLAN over IPv4 (RFC 7348 §5). */
	b->l3_hdr_offset = b->current_data;
	b->ip4.fib_index = t->encap_fib_index;
	b->ip4.flags = LIG_IP4_BUF_LOCAL_ORIGIN;
	b->flags &= LIG_BUFFER_NEXT_PRESENT | LIG_BUFFER_TRACED;
	b->sw_if_index[LIG_RX] = t->sw_if_index;
	if (tr) {
		tr->sw_if_index = t->sw_if_index;
		tr->vni = t->vni;
		tr->src = t->src;
		tr->dst = t->dst;
	}
	return VXLAN_ENCAP_NEXT_LOOKUP;
}

static u32
lig_vxlan_encap_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors, n_ok = 0;
	u16 nexts[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_store(lig_buffer_data(pb) - LIG_VXLAN_ENCAP_SIZE);
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		struct lig_vxlan_trace tr = {0};
		u32 error = 0;
		bool traced = lig_buffer_is_traced(b);
		u16 next = vxlan_encap_one(b, &error, traced ? &tr : NULL);
		if (lig_unlikely(next == VXLAN_ENCAP_NEXT_DROP))
			b->error = node->error_base + error;
		else
			n_ok++;
		if (traced) {
			struct lig_vxlan_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				*t = tr;
				t->next = next;
			}
		}
		nexts[i] = next;
	}
	lig_node_count_error(node, VXLAN_ENCAP_ERROR_ENCAPSULATED, n_ok);
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_vxlan_encap_node) = {
    .name = "vxlan4-encap",
    .function = lig_vxlan_encap_fn,
    .format_trace = lig_vxlan_format_trace,
    .n_errors = VXLAN_ENCAP_N_ERROR,
    .error_strings = vxlan_encap_error_strings,
    .n_next_nodes = VXLAN_ENCAP_N_NEXT,
    .next_nodes =
	{
	    [VXLAN_ENCAP_NEXT_DROP] = "error-drop",
	    [VXLAN_ENCAP_NEXT_LOOKUP] = "ip4-lookup",
	},
};

/* -------- vxlan4-input -------- */

enum {
	VXLAN_INPUT_NEXT_DROP,
	VXLAN_INPUT_NEXT_ETHERNET,
	VXLAN_INPUT_N_NEXT,
};

#define foreach_vxlan_input_error                                                                  \
	_(DECAPSULATED, "packets decapsulated")                                                    \
	_(TOO_SHORT, "VXLAN packet too short for an inner Ethernet frame")                         \
	_(BAD_FLAGS, "VXLAN header without the VNI flag")                                          \
	_(BAD_UDP_LENGTH, "UDP length does not match the IP length")                               \
	_(NO_TUNNEL, "no tunnel for (src, dst, vni)")                                              \
	_(TUNNEL_DOWN, "tunnel interface admin down")

enum {
#define _(sym, str) VXLAN_INPUT_ERROR_##sym,
	foreach_vxlan_input_error
#undef _
	    VXLAN_INPUT_N_ERROR,
};

static const char *const vxlan_input_error_strings[] = {
#define _(sym, str) str,
    foreach_vxlan_input_error
#undef _
};

static inline u16
vxlan_input_one(struct lig_buffer *b, u32 *error, struct lig_vxlan_trace *tr)
{
	const struct lig_ip4_header *ip = (const void *)lig_buffer_data(b);
	u32 ihl = (ip->ver_ihl & 0xf) * 4u;
	const u32 hdrs = sizeof(struct lig_udp_header) + sizeof(struct lig_vxlan_header);

	if (lig_unlikely(b->current_length < ihl + hdrs + LIG_ETHERNET_HEADER_SIZE)) {
		*error = VXLAN_INPUT_ERROR_TOO_SHORT;
		return VXLAN_INPUT_NEXT_DROP;
	}
	const struct lig_udp_header *udp = (const void *)((const u8 *)ip + ihl);
	const struct lig_vxlan_header *vx = (const void *)(udp + 1);
	u32 vni = (u32)vx->vni[0] << 16 | (u32)vx->vni[1] << 8 | vx->vni[2];
	if (tr) {
		tr->vni = vni;
		tr->src = ip->src;
		tr->dst = ip->dst;
		tr->sw_if_index = LIG_INVALID_INDEX;
	}
	if (lig_unlikely(ntohs(udp->length) != ntohs(ip->length) - ihl)) {
		*error = VXLAN_INPUT_ERROR_BAD_UDP_LENGTH;
		return VXLAN_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(!(vx->flags & 0x08))) {
		*error = VXLAN_INPUT_ERROR_BAD_FLAGS;
		return VXLAN_INPUT_NEXT_DROP;
	}
	struct lig_vxlan_tunnel *t = lig_vxlan_tunnel_lookup(ip->dst, ip->src, vni);
	if (lig_unlikely(!t)) {
		*error = VXLAN_INPUT_ERROR_NO_TUNNEL;
		return VXLAN_INPUT_NEXT_DROP;
	}
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);
	if (lig_unlikely(!ifp || !ifp->admin_up)) {
		*error = VXLAN_INPUT_ERROR_TUNNEL_DOWN;
		return VXLAN_INPUT_NEXT_DROP;
	}
	lig_buffer_advance(b, (int)(ihl + hdrs));
	/* A kernel peer using local checksum offload leaves the inner L4 checksum partial
	 * (csum_start inside the inner frame): keep it for the egress port to finish. A
	 * partial outer UDP checksum went away with the outer headers. */
	u32 keep = LIG_BUFFER_NEXT_PRESENT | LIG_BUFFER_TRACED;
	if ((b->flags & LIG_BUFFER_CSUM_PARTIAL) && (i32)b->csum_start >= b->current_data) {
		keep |= LIG_BUFFER_CSUM_PARTIAL;
		/* A kernel peer's tunnel super-frame (src/gso) is now a plain one. */
		if (b->flags & LIG_BUFFER_GSO_TUNNEL)
			keep |= LIG_BUFFER_GSO;
	}
	b->flags &= keep;
	b->sw_if_index[LIG_RX] = t->sw_if_index;
	b->sw_if_index[LIG_TX] = LIG_INVALID_INDEX;
	lig_counter_add(&lig_if_counters(ifp)->rx_packets, 1);
	lig_counter_add(&lig_if_counters(ifp)->rx_bytes, lig_buffer_length_in_chain(b));
	if (tr)
		tr->sw_if_index = t->sw_if_index;
	return VXLAN_INPUT_NEXT_ETHERNET;
}

static u32
lig_vxlan_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors, n_ok = 0;
	u16 nexts[LIG_FRAME_SIZE];

	for (u32 i = 0; i < n; i++) {
		if (i + 2 < n) {
			struct lig_buffer *pb = lig_buffer_get(from[i + 2]);
			lig_prefetch_load(pb);
			lig_prefetch_load(lig_buffer_data(pb));
		}
		struct lig_buffer *b = lig_buffer_get(from[i]);
		struct lig_vxlan_trace tr = {0};
		u32 error = 0;
		bool traced = lig_buffer_is_traced(b);
		u16 next = vxlan_input_one(b, &error, traced ? &tr : NULL);
		if (lig_unlikely(next == VXLAN_INPUT_NEXT_DROP))
			b->error = node->error_base + error;
		else
			n_ok++;
		if (traced) {
			struct lig_vxlan_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				*t = tr;
				t->next = next;
			}
		}
		nexts[i] = next;
	}
	lig_node_count_error(node, VXLAN_INPUT_ERROR_DECAPSULATED, n_ok);
	lig_enqueue_to_next(node, from, nexts, n);
	return n;
}

LIG_REGISTER_NODE(lig_vxlan_input_node) = {
    .name = "vxlan4-input",
    .function = lig_vxlan_input_fn,
    .format_trace = lig_vxlan_format_trace,
    .n_errors = VXLAN_INPUT_N_ERROR,
    .error_strings = vxlan_input_error_strings,
    .n_next_nodes = VXLAN_INPUT_N_NEXT,
    .next_nodes =
	{
	    [VXLAN_INPUT_NEXT_DROP] = "error-drop",
	    [VXLAN_INPUT_NEXT_ETHERNET] = "ethernet-input",
	},
};

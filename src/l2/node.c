/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The L2 datapath: the nodes l2-input and l2-flood. They only read the tables of l2.h
 * and l2fib.h (and learn into the FIB); the control plane changes those between
 * dispatches, except port modes and a domain's port list, which it publishes while
 * they run (l2.h): each is read with one load per packet.
 *
 * l2-input: every frame a bridge port receives. Per packet it learns the source MAC (if
 * the domain learns), answers ARP requests from the domain's ARP-termination table in
 * place, then makes the forwarding decision: a known unicast goes to its port (or the
 * BVI, via ethernet-input to L3), broadcasts and unknown unicasts go to l2-flood, and
 * everything else is dropped with a named counter.
 *
 * l2-flood: replicates a broadcast, multicast or unknown-unicast frame to every port of
 * its bridge domain except the rx port, ports in the rx port's split-horizon group and
 * ports that are admin down. Copies share the packet's tail (lig_buffer_clone); the BVI
 * gets broadcasts and multicasts only (an unknown unicast cannot be for it: its MAC is
 * a static FIB entry), through ethernet-input to L3.
 */
#include <arpa/inet.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/feature.h"
#include "../vlib/graph.h"
#include "../vlib/trace.h"
#include "l2.h"
#include "l2fib.h"

enum {
	LIG_L2_INPUT_NEXT_DROP,
	LIG_L2_INPUT_NEXT_OUTPUT,
	LIG_L2_INPUT_NEXT_BVI,
	LIG_L2_INPUT_NEXT_FLOOD,
	LIG_L2_INPUT_N_NEXT,
};

/* Drops first, then events counted without dropping (VPP's l2-learn counts the same). */
#define foreach_lig_l2_input_error                                                                 \
	_(NO_BD, "rx port is not in a bridge domain")                                              \
	_(RUNT, "frame shorter than an Ethernet header")                                           \
	_(FILTERED, "destination is on the rx port (filtered)")                                    \
	_(SHG, "destination port is in the rx port's split-horizon group")                         \
	_(FILTER_MAC, "destination MAC has a filter entry")                                        \
	_(STALE_PORT, "destination port left the bridge domain")                                   \
	_(FORWARD_DISABLED, "unicast with forwarding disabled")                                    \
	_(FLOOD_DISABLED, "broadcast or multicast with flooding disabled")                         \
	_(UU_FLOOD_DISABLED, "unknown unicast with uu-flood disabled")                             \
	_(LEARN_NEW, "MAC entries learned")                                                        \
	_(LEARN_MOVED, "MAC entries moved to another port")                                        \
	_(LEARN_LIMIT, "MAC not learned: learn limit reached")                                     \
	_(ARP_TERM_REPLY, "ARP requests answered by arp-term")

enum {
#define _(sym, str) LIG_L2_INPUT_ERROR_##sym,
	foreach_lig_l2_input_error
#undef _
	    LIG_L2_INPUT_N_ERROR,
};

static const char *const lig_l2_input_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_l2_input_error
#undef _
};

struct lig_l2_input_trace {
	u32 rx_sw_if_index;
	u32 tx_sw_if_index; /* output port, or the BVI */
	u32 bd_id;
	u16 next;
	u8 learn; /* enum lig_l2fib_learn_result, or 0xff when the domain does not learn */
	u8 arp_term;
	u8 src[6];
	u8 dst[6];
};

static void
lig_l2_input_format_trace(struct lig_str *s, const void *record)
{
	static const char *const learn[] = {"hit", "new", "moved", "static", "limit"};
	static const char *const next[] = {"drop", "output", "bvi", "flood"};
	const struct lig_l2_input_trace *t = record;
	struct lig_interface *rx = lig_if_get(t->rx_sw_if_index);
	struct lig_interface *tx = lig_if_get(t->tx_sw_if_index);

	lig_str_printf(s, "rx %s bd %u src ", rx ? rx->name : "(deleted)", t->bd_id);
	lig_format_mac(s, t->src);
	lig_str_printf(s, " dst ");
	lig_format_mac(s, t->dst);
	lig_str_printf(s, "\n    learn %s, %s%s",
		       t->learn < LIG_ARRAY_LEN(learn) ? learn[t->learn] : "off",
		       t->arp_term ? "arp-term reply, " : "",
		       t->next < LIG_ARRAY_LEN(next) ? next[t->next] : "?");
	if ((t->next == LIG_L2_INPUT_NEXT_OUTPUT || t->next == LIG_L2_INPUT_NEXT_BVI) && tx)
		lig_str_printf(s, " %s", tx->name);
}

/*
 * Answers an ARP request for an address of the domain's ARP-termination table by
 * turning the request into the reply in place; returns true if it did (the caller
 * sends it back out of the rx port).
 */
static inline bool
lig_l2_arp_term(struct lig_buffer *b, u32 bd_index)
{
	struct lig_ethernet_header *eh = (void *)lig_buffer_data(b);
	struct lig_arp_header *arp = (void *)(eh + 1);
	struct lig_hash64_slot *s;
	u32 spa, tpa;
	u8 mac[6];

	if (eh->type != htons(LIG_ETHERTYPE_ARP) || b->current_length < sizeof(*eh) + sizeof(*arp))
		return false;
	if (arp->htype != htons(LIG_ARP_HTYPE_ETHERNET) || arp->ptype != htons(LIG_ETHERTYPE_IP4) ||
	    arp->hlen != 6 || arp->plen != 4 || arp->op != htons(LIG_ARP_OP_REQUEST))
		return false;
	memcpy(&spa, arp->spa, 4);
	memcpy(&tpa, arp->tpa, 4);
	if (spa == tpa) /* gratuitous ARP: let it flood */
		return false;
	s = lig_hash64_lookup(&lig_bd_main.arp, lig_bd_arp_key(bd_index, tpa));
	if (!s)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (u8)(s->value >> (40 - 8 * i));
	arp->op = htons(LIG_ARP_OP_REPLY);
	memcpy(arp->tha, arp->sha, 6);
	memcpy(arp->tpa, &spa, 4);
	memcpy(arp->sha, mac, 6);
	memcpy(arp->spa, &tpa, 4);
	memcpy(eh->dst, eh->src, 6);
	memcpy(eh->src, mac, 6);
	b->sw_if_index[LIG_TX] = b->sw_if_index[LIG_RX];
	return true;
}

/*
 * What the previous packets of this frame learned and looked up: a vector mostly holds a
 * few flows, so a key compare replaces most hash probes, and for a destination forwarded
 * out of a port the whole decision. Valid for one frame only (the control plane changes
 * only port modes and domain port lists while a node runs, and a packet may see those
 * late: l2.h).
 */
struct lig_l2_input_cache {
	/* The cache answered the previous packet whole: its source was known on its rx
	 * port, and it was forwarded out of port out_tx by arc out_next, in a domain that
	 * does not terminate ARP. A packet with the same MACs from the same rx port,
	 * domain and group is forwarded the same way, without even decoding its keys
	 * (lig_l2_input_fn). Only a packet the cache answered arms it, not one that
	 * learned or looked up: in a vector of many flows it stays false. 64-byte frames
	 * of one flow, in process: 16 -> 10 clocks per packet (docs/PERFORMANCE.md). */
	bool repeatable;
	u64 src_key; /* (bd, src) known to be on src_rx with a fresh timestamp, or static */
	u32 src_rx;
	u8 src_result; /* what learning src_key on src_rx gives again: hit or static */
	u64 dst_key;   /* (bd, dst) whose FIB value is dst_value */
	u64 dst_value;
	/* dst_key forwarded from out_rx (split-horizon group out_shg) to port out_tx by arc
	 * out_next; out_rx is LIG_INVALID_INDEX when no such decision is held. */
	u32 out_rx;
	u32 out_tx;
	u16 out_next;
	u8 out_shg;
};

/* The forwarding decision for a unicast destination known in the FIB. */
static inline u16
lig_l2_input_fwd_known(struct lig_buffer *b, struct lig_l2_input_cache *c, u64 value, u32 *error)
{
	u32 port = lig_l2fib_value_sw_if_index(value);
	u32 flags = lig_l2fib_value_flags(value);
	struct lig_interface *ifp;

	if (lig_unlikely(flags & LIG_L2FIB_F_FILTER)) {
		*error = LIG_L2_INPUT_ERROR_FILTER_MAC;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(port == b->sw_if_index[LIG_RX])) {
		*error = LIG_L2_INPUT_ERROR_FILTERED;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	ifp = lig_if_get(port);
	union lig_if_l2 l2 = ifp ? lig_if_l2(ifp) : (union lig_if_l2){.mode = LIG_IF_MODE_L3};
	if (lig_unlikely(l2.mode != LIG_IF_MODE_BRIDGE || l2.bd_index != b->l2.bd_index)) {
		*error = LIG_L2_INPUT_ERROR_STALE_PORT;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(b->l2.shg && l2.shg == b->l2.shg)) {
		*error = LIG_L2_INPUT_ERROR_SHG;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(flags & LIG_L2FIB_F_BVI)) {
		/* Up to L3 through ethernet-input, as if the BVI had received it. */
		b->sw_if_index[LIG_RX] = port;
		b->flags |= LIG_BUFFER_FROM_BRIDGE;
		return LIG_L2_INPUT_NEXT_BVI;
	}
	b->sw_if_index[LIG_TX] = port;
	u16 next = lig_feature_first(LIG_FEATURE_ARC_L2_OUTPUT, 0, port, LIG_L2_INPUT_NEXT_OUTPUT);
	c->out_rx = b->sw_if_index[LIG_RX];
	c->out_shg = b->l2.shg;
	c->out_tx = port;
	c->out_next = next;
	return next;
}

/* Whether packets a and b came from the same port, domain and group with the same MAC
 * addresses (their first 12 bytes, compared as they are: no keys decoded; any buffer has
 * 12 bytes to read, whatever its length). */
static inline bool
lig_l2_input_same_flow(struct lig_buffer *a, struct lig_buffer *b)
{
	const u8 *da = lig_buffer_data(a), *db = lig_buffer_data(b);
	u64 a8, b8;
	u32 a4, b4;

	memcpy(&a8, da, 8);
	memcpy(&b8, db, 8);
	memcpy(&a4, da + 8, 4);
	memcpy(&b4, db + 8, 4);
	return ((a8 ^ b8) | (a4 ^ b4)) == 0 && a->sw_if_index[LIG_RX] == b->sw_if_index[LIG_RX] &&
	       a->l2.bd_index == b->l2.bd_index && a->l2.shg == b->l2.shg;
}

/* Learns key on rx unless rx has left the domain meanwhile (its mode changes without
 * the barrier): loaded after its sequence number, the mode is at least as new, so an
 * entry written here either is in the port's domain or carries a number already stale. */
static inline enum lig_l2fib_learn_result
lig_l2_input_learn(u64 key, u32 rx, u32 bd_index, u8 bsn)
{
	u8 isn = lig_l2fib_if_seq_acquire(rx);
	const struct lig_interface *ifp = lig_if_get(rx);
	union lig_if_l2 l2 = ifp ? lig_if_l2(ifp) : (union lig_if_l2){.mode = LIG_IF_MODE_L3};

	if (lig_unlikely(l2.mode != LIG_IF_MODE_BRIDGE || l2.bd_index != bd_index))
		return LIG_L2FIB_LEARN_HIT; /* as if known: nothing written, nothing counted */
	return lig_l2fib_learn_key(key, rx, bsn, isn);
}

/* One packet: learn, ARP termination, forwarding. Returns the arc; counts[] collects
 * the non-drop events, *error the drop reason. */
static inline u16
lig_l2_input_one(struct lig_buffer *b, struct lig_l2_input_cache *c, u32 *counts, u32 *error,
		 struct lig_l2_input_trace *t)
{
	struct lig_ethernet_header *eh = (void *)lig_buffer_data(b);
	u32 bd_index = b->l2.bd_index;
	struct lig_bd *bd = lig_bd_get(bd_index);
	u32 rx = b->sw_if_index[LIG_RX];
	bool repeatable = true; /* the source came from the cache (or is not learned) */
	u64 key;

	c->repeatable = false;

	if (lig_unlikely(!bd)) {
		*error = LIG_L2_INPUT_ERROR_NO_BD;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(b->current_length < LIG_ETHERNET_HEADER_SIZE)) {
		*error = LIG_L2_INPUT_ERROR_RUNT;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_likely(bd->flags & LIG_BD_F_LEARN)) {
		enum lig_l2fib_learn_result r = c->src_result;
		key = lig_l2fib_key(bd_index, eh->src);
		if (lig_unlikely(key != c->src_key || rx != c->src_rx)) {
			repeatable = false;
			r = lig_l2_input_learn(key, rx, bd_index, bd->seq_num);
			if (lig_likely(r != LIG_L2FIB_LEARN_LIMIT)) {
				/* Static sources too: agents install pods' MACs as static
				 * entries, and those never move. */
				c->src_key = key;
				c->src_rx = rx;
				c->src_result =
				    r == LIG_L2FIB_LEARN_STATIC ? r : LIG_L2FIB_LEARN_HIT;
			}
			if (lig_unlikely(r == LIG_L2FIB_LEARN_NEW || r == LIG_L2FIB_LEARN_MOVED)) {
				/* A new or moved entry may be the cached destination. */
				c->dst_key = LIG_HASH64_EMPTY;
				c->out_rx = LIG_INVALID_INDEX;
				counts[r == LIG_L2FIB_LEARN_NEW ? LIG_L2_INPUT_ERROR_LEARN_NEW
								: LIG_L2_INPUT_ERROR_LEARN_MOVED]++;
			} else if (lig_unlikely(r == LIG_L2FIB_LEARN_LIMIT)) {
				counts[LIG_L2_INPUT_ERROR_LEARN_LIMIT]++;
			}
		}
		if (t)
			t->learn = (u8)r;
	}
	if (lig_unlikely(bd->flags & LIG_BD_F_ARP_TERM)) {
		repeatable = false; /* same MACs, but maybe an ARP request */
		if (lig_l2_arp_term(b, bd_index)) {
			counts[LIG_L2_INPUT_ERROR_ARP_TERM_REPLY]++;
			if (t)
				t->arp_term = 1;
			return LIG_L2_INPUT_NEXT_OUTPUT;
		}
	}
	if (lig_unlikely(lig_mac_is_multicast(eh->dst))) {
		if (lig_likely(bd->flags & LIG_BD_F_FLOOD))
			return LIG_L2_INPUT_NEXT_FLOOD;
		*error = LIG_L2_INPUT_ERROR_FLOOD_DISABLED;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	if (lig_unlikely(!(bd->flags & LIG_BD_F_FORWARD))) {
		*error = LIG_L2_INPUT_ERROR_FORWARD_DISABLED;
		return LIG_L2_INPUT_NEXT_DROP;
	}
	key = lig_l2fib_key(bd_index, eh->dst);
	if (lig_likely(key == c->dst_key)) {
		if (lig_likely(rx == c->out_rx && b->l2.shg == c->out_shg)) {
			b->sw_if_index[LIG_TX] = c->out_tx;
			c->repeatable = repeatable;
			return c->out_next;
		}
		return lig_l2_input_fwd_known(b, c, c->dst_value, error);
	}
	u64 value;
	if (lig_likely(lig_l2fib_lookup_value(key, &value))) {
		c->dst_key = key;
		c->dst_value = value;
		c->out_rx = LIG_INVALID_INDEX;
		return lig_l2_input_fwd_known(b, c, value, error);
	}
	if (lig_likely(bd->flags & LIG_BD_F_UU_FLOOD))
		return LIG_L2_INPUT_NEXT_FLOOD;
	*error = LIG_L2_INPUT_ERROR_UU_FLOOD_DISABLED;
	return LIG_L2_INPUT_NEXT_DROP;
}

/* Prefetches the FIB slots packet b will touch unless the cache answers them (its data
 * was prefetched earlier). */
static inline void
lig_l2_input_prefetch_fib(struct lig_buffer *b, const struct lig_l2_input_cache *c)
{
	const struct lig_hash64 *h = &lig_l2fib_main.table;
	const struct lig_ethernet_header *eh = (const void *)lig_buffer_data(b);
	u64 src = lig_l2fib_key(b->l2.bd_index, eh->src),
	    dst = lig_l2fib_key(b->l2.bd_index, eh->dst);

	if (src != c->src_key)
		lig_prefetch_load(&h->slots[lig_hash64_mix(src) & h->mask]);
	if (dst != c->dst_key)
		lig_prefetch_load(&h->slots[lig_hash64_mix(dst) & h->mask]);
}

/* A packet that does not repeat the previous one's decision: the whole of l2-input, with
 * its trace and drop reason. */
static inline u16
lig_l2_input_full(struct lig_node *node, struct lig_buffer *b, struct lig_l2_input_cache *c,
		  u32 *counts)
{
	struct lig_l2_input_trace tr, *t = NULL;
	u32 error = 0;
	u32 rx = b->sw_if_index[LIG_RX];

	if (lig_buffer_is_traced(b)) {
		memset(&tr, 0, sizeof(tr));
		tr.learn = 0xff;
		t = &tr;
		if (b->current_length >= LIG_ETHERNET_HEADER_SIZE) {
			memcpy(tr.dst, lig_buffer_data(b), 6);
			memcpy(tr.src, lig_buffer_data(b) + 6, 6);
		}
	}
	u16 next = lig_l2_input_one(b, c, counts, &error, t);
	if (lig_unlikely(next == LIG_L2_INPUT_NEXT_DROP))
		b->error = node->error_base + error;
	if (lig_unlikely(t != NULL)) {
		struct lig_l2_input_trace *rec = lig_trace_add_record(node, b, sizeof(*rec));
		if (rec) {
			struct lig_bd *bd = lig_bd_get(b->l2.bd_index);
			tr.rx_sw_if_index = rx;
			tr.bd_id = bd ? bd->bd_id : 0;
			tr.next = next;
			tr.tx_sw_if_index = next == LIG_L2_INPUT_NEXT_BVI ? b->sw_if_index[LIG_RX]
									  : b->sw_if_index[LIG_TX];
			*rec = tr;
		}
	}
	return next;
}

static u32
lig_l2_input_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u16 nexts[LIG_FRAME_SIZE];
	u32 counts[LIG_L2_INPUT_N_ERROR] = {0};
	struct lig_l2_input_cache cache = {
	    .src_key = LIG_HASH64_EMPTY,
	    .src_rx = LIG_INVALID_INDEX,
	    .src_result = LIG_L2FIB_LEARN_HIT,
	    .dst_key = LIG_HASH64_EMPTY,
	    .out_rx = LIG_INVALID_INDEX,
	};
	struct lig_buffer *prev = NULL;

	for (u32 i = 0; i < n; i++) {
		/* Headers four ahead, data two ahead (its address is in a header already
		 * fetched), FIB slots one ahead (their keys are in that data). */
		if (i + 4 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 4]));
		if (i + 2 < n)
			lig_prefetch_load(lig_buffer_data(lig_buffer_get(from[i + 2])));
		if (i + 1 < n)
			lig_l2_input_prefetch_fib(lig_buffer_get(from[i + 1]), &cache);
		struct lig_buffer *b = lig_buffer_get(from[i]);
		/* (cache.repeatable first: false all along a vector of many flows, which
		 * then compares nothing) */
		if (cache.repeatable && lig_l2_input_same_flow(b, prev) &&
		    b->current_length >= LIG_ETHERNET_HEADER_SIZE && !lig_buffer_is_traced(b)) {
			b->sw_if_index[LIG_TX] = cache.out_tx;
			nexts[i] = cache.out_next;
		} else {
			nexts[i] = lig_l2_input_full(node, b, &cache, counts);
		}
		prev = b;
	}
	lig_enqueue_to_next(node, from, nexts, n);
	for (u32 e = LIG_L2_INPUT_ERROR_LEARN_NEW; e < LIG_L2_INPUT_N_ERROR; e++)
		if (counts[e])
			lig_node_count_error(node, e, counts[e]);
	return n;
}

LIG_REGISTER_NODE(lig_l2_input_node) = {
    .name = "l2-input",
    .function = lig_l2_input_fn,
    .format_trace = lig_l2_input_format_trace,
    .n_errors = LIG_L2_INPUT_N_ERROR,
    .error_strings = lig_l2_input_error_strings,
    .n_next_nodes = LIG_L2_INPUT_N_NEXT,
    .next_nodes =
	{
	    [LIG_L2_INPUT_NEXT_DROP] = "error-drop",
	    [LIG_L2_INPUT_NEXT_OUTPUT] = "interface-output",
	    [LIG_L2_INPUT_NEXT_BVI] = "ethernet-input",
	    [LIG_L2_INPUT_NEXT_FLOOD] = "l2-flood",
	},
};

/* l2-flood */

/* Bytes of private head per copy: room for L2-L4 headers to be rewritten. */
#define LIG_L2_FLOOD_HEAD_SIZE 128

enum {
	LIG_L2_FLOOD_NEXT_DROP,
	LIG_L2_FLOOD_NEXT_OUTPUT,
	LIG_L2_FLOOD_NEXT_BVI,
	LIG_L2_FLOOD_N_NEXT,
};

#define foreach_lig_l2_flood_error                                                                 \
	_(NO_BD, "bridge domain gone")                                                             \
	_(NO_PORTS, "no other port to flood to")                                                   \
	_(NO_BUFFERS, "flood copies not made: out of buffers")                                     \
	_(COPIES, "flood copies sent")

enum {
#define _(sym, str) LIG_L2_FLOOD_ERROR_##sym,
	foreach_lig_l2_flood_error
#undef _
	    LIG_L2_FLOOD_N_ERROR,
};

static const char *const lig_l2_flood_error_strings[] = {
#define _(sym, str) str,
    foreach_lig_l2_flood_error
#undef _
};

struct lig_l2_flood_trace {
	u32 rx_sw_if_index;
	u32 bd_id;
	u32 n_targets;
	u32 n_copies;
	u8 shg;
};

static void
lig_l2_flood_format_trace(struct lig_str *s, const void *record)
{
	const struct lig_l2_flood_trace *t = record;
	struct lig_interface *rx = lig_if_get(t->rx_sw_if_index);

	lig_str_printf(s, "rx %s bd %u shg %u: %u ports, %u copies", rx ? rx->name : "(deleted)",
		       t->bd_id, t->shg, t->n_targets, t->n_copies);
}

/* Lists the ports packet b floods to into targets[]; returns how many. */
static inline u32
lig_l2_flood_targets(const struct lig_bd *bd, const struct lig_buffer *b, bool to_bvi, u32 *targets)
{
	const struct lig_bd_ports *ports = lig_bd_ports_get(bd);
	u32 rx = b->sw_if_index[LIG_RX], n = 0;
	u8 shg = b->l2.shg;

	for (u32 k = 0; k < ports->n; k++) {
		const struct lig_bd_port *p = &ports->port[k];
		if (p->sw_if_index == rx || (shg && p->shg == shg) || (p->bvi && !to_bvi))
			continue;
		const struct lig_interface *ifp = lig_if_get(p->sw_if_index);
		if (lig_unlikely(!ifp || !ifp->admin_up))
			continue;
		targets[n++] = p->sw_if_index;
	}
	return n;
}

static u32
lig_l2_flood_fn(struct lig_node *node, struct lig_frame *frame)
{
	u32 *from = frame->buffers, n = frame->n_vectors;
	u32 targets[LIG_BD_MAX_PORTS], clones[LIG_BD_MAX_PORTS];
	u64 n_copies = 0, n_short = 0;

	for (u32 i = 0; i < n; i++) {
		if (i + 1 < n)
			lig_prefetch_load(lig_buffer_get(from[i + 1]));
		u32 bi = from[i];
		struct lig_buffer *b = lig_buffer_get(bi);
		const struct lig_bd *bd = lig_bd_get(b->l2.bd_index);
		const struct lig_ethernet_header *eh = (const void *)lig_buffer_data(b);

		if (lig_unlikely(!bd)) {
			lig_drop(node, bi, LIG_L2_FLOOD_ERROR_NO_BD);
			continue;
		}
		u32 n_targets = lig_l2_flood_targets(bd, b, lig_mac_is_multicast(eh->dst), targets);
		if (lig_buffer_is_traced(b)) {
			struct lig_l2_flood_trace *t = lig_trace_add_record(node, b, sizeof(*t));
			if (t) {
				t->rx_sw_if_index = b->sw_if_index[LIG_RX];
				t->bd_id = bd->bd_id;
				t->n_targets = n_targets;
				t->n_copies = n_targets;
				t->shg = b->l2.shg;
			}
		}
		if (n_targets == 0) {
			lig_drop(node, bi, LIG_L2_FLOOD_ERROR_NO_PORTS);
			continue;
		}
		u32 bvi = bd->bvi_sw_if_index;
		u32 got = lig_buffer_clone(bi, clones, n_targets, LIG_L2_FLOOD_HEAD_SIZE);
		n_short += n_targets - got;
		n_copies += got;
		for (u32 k = 0; k < got; k++) {
			struct lig_buffer *c = lig_buffer_get(clones[k]);
			c->flags |= LIG_BUFFER_L2_FLOODED;
			if (lig_unlikely(targets[k] == bvi)) {
				c->sw_if_index[LIG_RX] = bvi;
				c->flags |= LIG_BUFFER_FROM_BRIDGE;
				lig_enqueue(node, LIG_L2_FLOOD_NEXT_BVI, clones[k]);
			} else {
				c->sw_if_index[LIG_TX] = targets[k];
				lig_enqueue(node,
					    lig_feature_first(LIG_FEATURE_ARC_L2_OUTPUT, 1,
							      targets[k], LIG_L2_FLOOD_NEXT_OUTPUT),
					    clones[k]);
			}
		}
	}
	if (n_short)
		lig_node_count_error(node, LIG_L2_FLOOD_ERROR_NO_BUFFERS, n_short);
	if (n_copies)
		lig_node_count_error(node, LIG_L2_FLOOD_ERROR_COPIES, n_copies);
	return n;
}

LIG_REGISTER_NODE(lig_l2_flood_node) = {
    .name = "l2-flood",
    .function = lig_l2_flood_fn,
    .format_trace = lig_l2_flood_format_trace,
    .n_errors = LIG_L2_FLOOD_N_ERROR,
    .error_strings = lig_l2_flood_error_strings,
    .n_next_nodes = LIG_L2_FLOOD_N_NEXT,
    .next_nodes =
	{
	    [LIG_L2_FLOOD_NEXT_DROP] = "error-drop",
	    [LIG_L2_FLOOD_NEXT_OUTPUT] = "interface-output",
	    [LIG_L2_FLOOD_NEXT_BVI] = "ethernet-input",
	},
};

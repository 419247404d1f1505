/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ARP: the neighbour table (static and learned entries, aging), arp-input (answers
 * requests for our addresses, learns senders on our subnets) and ip4-glean (holds the
 * first packets to an unresolved destination, asks by ARP, sends them once answered).
 * A resolved neighbour gets a /32 route in its interface's table pointing at its
 * neighbour adjacency, so later packets hit a complete rewrite directly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/cli.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/loop.h"
#include "../vlib/trace.h"
#include "ip4.h"

u32 lig_arp_age_seconds = 300;

static struct {
	struct lig_arp_neighbor nbrs[LIG_ARP_MAX_NEIGHBORS];
	u32 free[LIG_ARP_MAX_NEIGHBORS];
	u32 n_free;
	struct lig_hash64 hash; /* sw_if_index << 32 | ip -> index into nbrs */
	bool initialized;
} arpm;

static inline u64
nbr_key(u32 sw_if_index, u32 ip)
{
	return (u64)sw_if_index << 32 | ip;
}

static int
arp_init_tables(void)
{
	int rv = lig_hash64_init(&arpm.hash, LIG_ARP_MAX_NEIGHBORS);

	if (rv < 0)
		return rv;
	for (u32 i = 0; i < LIG_ARP_MAX_NEIGHBORS; i++)
		arpm.free[arpm.n_free++] = LIG_ARP_MAX_NEIGHBORS - 1 - i;
	arpm.initialized = true;
	return 0;
}

const u8 *
lig_arp_neighbor_mac(u32 sw_if_index, u32 ip)
{
	struct lig_hash64_slot *s;

	if (!arpm.initialized)
		return NULL;
	s = lig_hash64_lookup(&arpm.hash, nbr_key(sw_if_index, ip));
	return s ? arpm.nbrs[s->value].mac : NULL;
}

/* Gives a resolved neighbour its host route (so lookups find its complete adjacency). */
static void
nbr_route_add(u32 sw_if_index, u32 ip)
{
	u32 ai = lig_adj_nbr_add_or_lock(sw_if_index, ip);
	if (ai == LIG_INVALID_INDEX)
		return;
	struct lig_fib_path p = {
	    .type = LIG_FIB_PATH_ADJ, .adj_index = ai, .sw_if_index = sw_if_index, .nh = ip};
	/* -EEXIST: a stronger source owns the /32 (a static route, our own address). */
	lig_fib_route_add_del(lig_ip4_main.ifs[sw_if_index].fib_index, ip, 32, LIG_FIB_SRC_ADJ, &p,
			      1, true);
	lig_adj_unlock(ai);
}

/* Learns or refreshes; from_packet entries never replace a static one. Returns 0 or
 * -errno. */
static int
nbr_update(u32 sw_if_index, u32 ip, const u8 mac[6], bool is_static, bool from_packet, u64 now)
{
	struct lig_hash64_slot *s = lig_hash64_lookup(&arpm.hash, nbr_key(sw_if_index, ip));
	struct lig_arp_neighbor *n;
	bool changed = true;

	if (s) {
		n = &arpm.nbrs[s->value];
		if (from_packet && n->is_static)
			return 0;
		changed = memcmp(n->mac, mac, 6) != 0;
	} else {
		if (!arpm.n_free)
			return -ENOSPC;
		u32 i = arpm.free[--arpm.n_free];
		if (lig_hash64_set(&arpm.hash, nbr_key(sw_if_index, ip), i) < 0) {
			arpm.n_free++;
			return -ENOSPC;
		}
		n = &arpm.nbrs[i];
		memset(n, 0, sizeof(*n));
		n->sw_if_index = sw_if_index;
		n->ip = ip;
		n->in_use = 1;
	}
	memcpy(n->mac, mac, 6);
	if (!from_packet)
		n->is_static = is_static;
	n->updated_ns = now;
	if (changed) {
		u32 ai = lig_adj_nbr_find(sw_if_index, ip);
		if (ai != LIG_INVALID_INDEX)
			lig_adj_nbr_update(ai, mac);
		if (!s)
			nbr_route_add(sw_if_index, ip);
	}
	if (!s)
		lig_ip4_glean_release(sw_if_index, ip);
	return 0;
}

static void
nbr_remove(struct lig_hash64_slot *s)
{
	struct lig_arp_neighbor *n = &arpm.nbrs[s->value];
	u32 i = (u32)s->value, ai;

	lig_hash64_del(&arpm.hash, nbr_key(n->sw_if_index, n->ip));
	ai = lig_adj_nbr_find(n->sw_if_index, n->ip);
	if (ai != LIG_INVALID_INDEX)
		lig_adj_nbr_update(ai, NULL);
	lig_fib_route_add_del(lig_ip4_main.ifs[n->sw_if_index].fib_index, n->ip, 32,
			      LIG_FIB_SRC_ADJ, NULL, 0, false);
	n->in_use = 0;
	arpm.free[arpm.n_free++] = i;
}

int
lig_arp_neighbor_add_del(u32 sw_if_index, u32 ip, const u8 mac[6], bool is_static, bool is_add)
{
	struct lig_hash64_slot *s;

	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	if (!is_add) {
		s = lig_hash64_lookup(&arpm.hash, nbr_key(sw_if_index, ip));
		if (!s)
			return -ENOENT;
		nbr_remove(s);
		return 0;
	}
	if (lig_mac_is_multicast(mac) || lig_mac_is_zero(mac))
		return -EINVAL;
	return nbr_update(sw_if_index, ip, mac, is_static, false, lig_time_now_ns());
}

u32
lig_arp_age(u64 now_ns, u64 age_ns)
{
	struct lig_hash64_slot *s;
	u64 keys[64];
	u32 n_removed = 0, n;

	if (!arpm.initialized)
		return 0;
	/* Collect a batch first: deleting while iterating may skip entries. */
	do {
		n = 0;
		for (u32 c = 0; n < LIG_ARRAY_LEN(keys) && lig_hash64_next(&arpm.hash, &c, &s);) {
			struct lig_arp_neighbor *nb = &arpm.nbrs[s->value];
			if (!nb->is_static && now_ns - nb->updated_ns > age_ns)
				keys[n++] = s->key;
		}
		for (u32 i = 0; i < n; i++) {
			s = lig_hash64_lookup(&arpm.hash, keys[i]);
			if (s) {
				nbr_remove(s);
				n_removed++;
			}
		}
	} while (n == LIG_ARRAY_LEN(keys));
	return n_removed;
}

void
lig_arp_if_flush(u32 sw_if_index)
{
	struct lig_hash64_slot *s;
	u64 keys[64];
	u32 n;

	if (!arpm.initialized)
		return;
	do {
		n = 0;
		for (u32 c = 0; n < LIG_ARRAY_LEN(keys) && lig_hash64_next(&arpm.hash, &c, &s);)
			if (arpm.nbrs[s->value].sw_if_index == sw_if_index)
				keys[n++] = s->key;
		for (u32 i = 0; i < n; i++) {
			s = lig_hash64_lookup(&arpm.hash, keys[i]);
			if (s)
				nbr_remove(s);
		}
	} while (n == LIG_ARRAY_LEN(keys));
	lig_ip4_glean_flush(sw_if_index);
}

/* Interface deleted: its neighbours (and their host routes) and glean state go. */
static void
arp_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev == LIG_IF_EVENT_DELETE)
		lig_arp_if_flush(ifp->sw_if_index);
}

/* Builds an ARP request for target out of sw_if_index; returns the buffer or ~0. */
static u32
arp_build_request(u32 sw_if_index, u32 target)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	u32 src = lig_ip4_interface_source(sw_if_index, target), bi;

	if (!ifp || !src || lig_buffer_alloc(&bi, 1) != 1)
		return LIG_INVALID_INDEX;
	struct lig_buffer *b = lig_buffer_get(bi);
	u8 *p = lig_buffer_data(b);
	struct lig_ethernet_header *eh = (void *)p;
	struct lig_arp_header *arp = (void *)(eh + 1);

	memset(eh->dst, 0xff, 6);
	memcpy(eh->src, ifp->mac, 6);
	eh->type = htons(LIG_ETHERTYPE_ARP);
	arp->htype = htons(LIG_ARP_HTYPE_ETHERNET);
	arp->ptype = htons(LIG_ETHERTYPE_IP4);
	arp->hlen = 6;
	arp->plen = 4;
	arp->op = htons(LIG_ARP_OP_REQUEST);
	memcpy(arp->sha, ifp->mac, 6);
	memcpy(arp->spa, &src, 4);
	memset(arp->tha, 0, 6);
	memcpy(arp->tpa, &target, 4);
	b->current_length = sizeof(*eh) + sizeof(*arp);
	b->sw_if_index[LIG_RX] = sw_if_index;
	b->sw_if_index[LIG_TX] = sw_if_index;
	return bi;
}

/* -------- arp-input -------- */

static bool glean_pending(u32 sw_if_index, u32 ip);

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
	_(TABLE_FULL, "neighbour table full")

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

/* Proxy ARP answers for a target the interface's VRF routes out of another interface. */
static bool
proxy_target(u32 sw_if_index, u32 ip)
{
	u32 lbi = lig_fib_lookup_lb(lig_ip4_main.ifs[sw_if_index].fib_index, ip);
	const struct lig_adj *a = lig_adj_get(lig_fib_lb_get(lbi)->buckets[0]);

	return (a->type == LIG_ADJ_NEIGHBOR || a->type == LIG_ADJ_GLEAN) &&
	       a->sw_if_index != sw_if_index;
}

int
lig_arp_proxy_enable_disable(u32 sw_if_index, bool enable)
{
	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	lig_ip4_main.ifs[sw_if_index].proxy_arp = enable;
	return 0;
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
		if (nbr_update(sw, spa, arp->sha, false, true, now) < 0)
			lig_node_count_error(node, LIG_ARP_ERROR_TABLE_FULL, 1);
		else
			lig_node_count_error(node, LIG_ARP_ERROR_LEARNED, 1);
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

static struct {
	struct lig_glean_pending p[LIG_GLEAN_MAX];
	struct lig_hash64 hash; /* sw << 32 | ip -> slot */
	u32 n_pending;
	u32 node_index; /* ip4-glean's, for the timeout counter */
} gleanm;

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
	lig_hash64_del(&gleanm.hash, nbr_key(p->sw_if_index, p->ip));
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
	s = lig_hash64_lookup(&gleanm.hash, nbr_key(sw_if_index, ip));
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
	return gleanm.n_pending && lig_hash64_lookup(&gleanm.hash, nbr_key(sw_if_index, ip));
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
		 * bring it here again. */
		nbr_route_add(sw, target);
		u32 ai = lig_adj_nbr_find(sw, target);
		if (ai == LIG_INVALID_INDEX || !lig_adj_get(ai)->complete) {
			*error = LIG_GLEAN_ERROR_NO_ADJACENCY;
			return LIG_GLEAN_NEXT_DROP;
		}
		b->ip4.adj_index = ai;
		return LIG_GLEAN_NEXT_REWRITE;
	}
	s = lig_hash64_lookup(&gleanm.hash, nbr_key(sw, target));
	if (s) {
		p = &gleanm.p[s->value];
		if (p->n_held == LIG_GLEAN_HOLD) {
			*error = LIG_GLEAN_ERROR_HOLD_FULL;
			return LIG_GLEAN_NEXT_DROP;
		}
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
	u32 req = arp_build_request(sw, target);
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
	p->held[p->n_held++] = bi;
	lig_hash64_set(&gleanm.hash, nbr_key(sw, target), slot);
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
static u32
arp_refresh(u64 now_ns, u64 age_ns)
{
	struct lig_hash64_slot *s;
	u32 n = 0;

	if (!arpm.initialized)
		return 0;
	for (u32 c = 0; n < 64 && lig_hash64_next(&arpm.hash, &c, &s);) {
		const struct lig_arp_neighbor *nb = &arpm.nbrs[s->value];
		if (nb->is_static || now_ns - nb->updated_ns < age_ns - age_ns / 4)
			continue;
		u32 req = arp_build_request(nb->sw_if_index, nb->ip);
		if (req == LIG_INVALID_INDEX)
			continue;
		lig_node_put(lig_ip4_main.output_node_index, req);
		n++;
	}
	return n;
}

/* Every 100 ms: re-ask for pending neighbours, give up on silent ones; every second: age
 * and refresh. */
static void
arp_timer(void *ctx)
{
	static u32 ticks;
	u64 now = lig_time_now_ns();
	bool sent = false;
	(void)ctx;

	for (u32 i = 0; gleanm.n_pending && i < LIG_GLEAN_MAX; i++) {
		struct lig_glean_pending *p = &gleanm.p[i];
		if (!p->in_use)
			continue;
		if (now - p->created_ns > LIG_GLEAN_TIMEOUT_NS) {
			glean_free_slot(i, true);
		} else if (now - p->last_tx_ns > LIG_GLEAN_RETRY_NS) {
			u32 req = arp_build_request(p->sw_if_index, p->ip);
			if (req != LIG_INVALID_INDEX) {
				lig_node_put(lig_ip4_main.output_node_index, req);
				sent = true;
			}
			p->last_tx_ns = now;
		}
	}
	if (++ticks % 10 == 0 && lig_arp_age_seconds) {
		u64 age = (u64)lig_arp_age_seconds * 1000000000ull;
		lig_arp_age(now, age);
		sent |= arp_refresh(now, age) > 0;
	}
	if (sent)
		lig_graph_dispatch_pending();
}

static int
lig_arp_init(void)
{
	int rv = arp_init_tables();

	gleanm.node_index = lig_ip4_glean_node.index;
	if (rv == 0)
		rv = lig_hash64_init(&gleanm.hash, LIG_GLEAN_MAX);
	if (rv == 0)
		rv = lig_ethernet_register_l3(LIG_ETHERTYPE_ARP, "arp-input");
	if (rv == 0)
		rv = lig_if_subscribe("arp", arp_if_event, NULL);
	if (rv < 0)
		return rv;
	rv = lig_loop_add_timer(100ull * 1000 * 1000, arp_timer, NULL);
	return rv < 0 ? rv : 0;
}

LIG_MODULE(arp, .init = lig_arp_init, .depends = {"interface", "ethernet", "ip4_fib", "ip4"});

/* -------- CLI -------- */

static int
cli_set_ip_neighbor(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw, ip;
	u8 mac[6];
	bool is_static = false, del = false;
	int rv;

	if (lig_cli_keyword(in, "del"))
		del = true;
	rv = lig_cli_expect_interface(in, out, &sw);
	if (rv < 0)
		return rv;
	if (!lig_cli_ip4(in, &ip))
		return lig_cli_expected(in, out, "<a.b.c.d>");
	if (!del && !lig_cli_mac(in, mac))
		return lig_cli_expected(in, out, "<mac>");
	while (!lig_cli_end(in)) {
		if (lig_cli_keyword(in, "static"))
			is_static = true;
		else if (lig_cli_keyword(in, "del"))
			del = true;
		else
			return lig_cli_unknown_input(in, out);
	}
	rv = lig_arp_neighbor_add_del(sw, ip, del ? NULL : mac, is_static, !del);
	lig_graph_dispatch_pending(); /* held packets it released */
	if (rv < 0)
		lig_cli_error(in, out, "%s", strerror(-rv));
	return rv;
}

LIG_CLI_COMMAND(lig_set_ip_neighbor_command) = {
    .path = "set ip neighbor",
    .short_help = "set ip neighbor [del] <interface> <a.b.c.d> <mac> [static]",
    .function = cli_set_ip_neighbor,
};

static int
cli_set_neighbor_config(struct lig_cli_input *in, struct lig_str *out)
{
	u32 age;

	if (!lig_cli_keyword(in, "age") || !lig_cli_u32(in, &age))
		return lig_cli_expected(in, out, "age <seconds>");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_arp_age_seconds = age;
	return 0;
}

static int
cli_set_proxy_arp(struct lig_cli_input *in, struct lig_str *out)
{
	u32 sw;
	bool enable = true;
	int rv = lig_cli_expect_interface(in, out, &sw);

	if (rv < 0)
		return rv;
	if (lig_cli_keyword(in, "disable"))
		enable = false;
	else
		lig_cli_keyword(in, "enable");
	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	rv = lig_arp_proxy_enable_disable(sw, enable);
	if (rv < 0)
		lig_cli_error(in, out, "%s", strerror(-rv));
	return rv;
}

LIG_CLI_COMMAND(lig_set_proxy_arp_command) = {
    .path = "set interface proxy-arp",
    .short_help = "set interface proxy-arp <interface> [enable|disable]",
    .function = cli_set_proxy_arp,
};

LIG_CLI_COMMAND(lig_set_neighbor_config_command) = {
    .path = "set ip neighbor-config",
    .short_help = "set ip neighbor-config age <seconds> (0: never)",
    .function = cli_set_neighbor_config,
};

static int
cli_show_ip_neighbors(struct lig_cli_input *in, struct lig_str *out)
{
	struct lig_hash64_slot *s;
	u64 now = lig_time_now_ns();
	char ip[INET_ADDRSTRLEN];

	if (!lig_cli_end(in))
		return lig_cli_unknown_input(in, out);
	lig_str_printf(out, "%10s %-16s %-6s %-18s %s\n", "Age", "IP", "Flags", "Ethernet",
		       "Interface");
	for (u32 c = 0; arpm.initialized && lig_hash64_next(&arpm.hash, &c, &s);) {
		const struct lig_arp_neighbor *n = &arpm.nbrs[s->value];
		struct lig_interface *ifp = lig_if_get(n->sw_if_index);
		inet_ntop(AF_INET, &n->ip, ip, sizeof(ip));
		lig_str_printf(out, "%10.4f %-16s %-6s %02x:%02x:%02x:%02x:%02x:%02x  %s\n",
			       (double)(now - n->updated_ns) / 1e9, ip, n->is_static ? "S" : "D",
			       n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
			       ifp ? ifp->name : "(deleted)");
	}
	return 0;
}

LIG_CLI_COMMAND(lig_show_ip_neighbors_command) = {
    .path = "show ip neighbors",
    .short_help = "show ip neighbors",
    .function = cli_show_ip_neighbors,
};

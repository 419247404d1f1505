/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The neighbour (ARP) table: static and learned entries, aging and refresh, proxy ARP
 * settings, and the ARP requests ligd sends. A resolved neighbour gets a /32 route in its
 * interface's table pointing at its neighbour adjacency, so later packets hit a complete
 * rewrite directly. The nodes that read and feed it (arp-input, ip4-glean) are in node.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../ethernet/ethernet.h"
#include "../interface/interface.h"
#include "../vlib/graph.h"
#include "../vlib/module.h"
#include "../vlib/loop.h"
#include "../vlib/thread.h"
#include "ip4.h"

u32 lig_arp_age_seconds = LIG_ARP_AGE_DEFAULT;

static struct {
	struct lig_arp_neighbor nbrs[LIG_ARP_MAX_NEIGHBORS];
	u32 free[LIG_ARP_MAX_NEIGHBORS];
	u32 n_free;
	struct lig_hash64 hash; /* sw_if_index << 32 | ip -> index into nbrs */
	/* Neighbours per interface: deleting an interface that has none (most of them)
	 * scans nothing under the barrier. */
	u32 n_per_if[LIG_IF_MAX];
	bool initialized;
} arpm;

static inline u64
nbr_key(u32 sw_if_index, u32 ip)
{
	return (u64)sw_if_index << 32 | ip;
}

/*
 * Walks the neighbours in use: for (u32 i = 0, left = nbr_n_used(); (nb = nbr_next(&i,
 * &left));). Slots come from a stack that hands out index 0 first and takes freed ones
 * back first, so those in use lie below the table's peak fill and the walk stops once it
 * has seen them all, instead of scanning the hash's 32 K slots (512 KB, twice per aging
 * tick, under the barrier). The neighbour a walk returned may be removed before the next
 * call.
 */
static inline u32
nbr_n_used(void)
{
	return LIG_ARP_MAX_NEIGHBORS - arpm.n_free;
}

static inline struct lig_arp_neighbor *
nbr_next(u32 *i, u32 *left)
{
	while (*left && *i < LIG_ARP_MAX_NEIGHBORS) {
		struct lig_arp_neighbor *nb = &arpm.nbrs[(*i)++];
		if (nb->in_use) {
			(*left)--;
			return nb;
		}
	}
	return NULL;
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

void
lig_arp_neighbor_route_add(u32 sw_if_index, u32 ip)
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
		if (sw_if_index < LIG_IF_MAX)
			arpm.n_per_if[sw_if_index]++;
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
			lig_arp_neighbor_route_add(sw_if_index, ip);
	}
	if (!s)
		lig_ip4_glean_release(sw_if_index, ip);
	return 0;
}

int
lig_arp_neighbor_learn(u32 sw_if_index, u32 ip, const u8 mac[6], u64 now_ns)
{
	return nbr_update(sw_if_index, ip, mac, false, true, now_ns);
}

const struct lig_arp_neighbor *
lig_arp_neighbor_at(u32 i)
{
	return i < LIG_ARP_MAX_NEIGHBORS && arpm.nbrs[i].in_use ? &arpm.nbrs[i] : NULL;
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
	if (n->sw_if_index < LIG_IF_MAX)
		arpm.n_per_if[n->sw_if_index]--;
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
	struct lig_arp_neighbor *nb;
	u32 n_removed = 0;

	if (!arpm.initialized)
		return 0;
	for (u32 i = 0, left = nbr_n_used(); (nb = nbr_next(&i, &left));) {
		if (nb->is_static || now_ns - nb->updated_ns <= age_ns)
			continue;
		struct lig_hash64_slot *s =
		    lig_hash64_lookup(&arpm.hash, nbr_key(nb->sw_if_index, nb->ip));
		if (s) {
			nbr_remove(s);
			n_removed++;
		}
	}
	return n_removed;
}

void
lig_arp_if_flush(u32 sw_if_index)
{
	struct lig_arp_neighbor *nb;

	if (!arpm.initialized)
		return;
	if (sw_if_index < LIG_IF_MAX && !arpm.n_per_if[sw_if_index]) {
		lig_ip4_glean_flush(sw_if_index);
		return;
	}
	for (u32 i = 0, left = nbr_n_used(); (nb = nbr_next(&i, &left));) {
		if (nb->sw_if_index != sw_if_index)
			continue;
		struct lig_hash64_slot *s =
		    lig_hash64_lookup(&arpm.hash, nbr_key(sw_if_index, nb->ip));
		if (s)
			nbr_remove(s);
	}
	lig_ip4_glean_flush(sw_if_index);
}

/* Interface deleted: its neighbours (and their host routes) and glean state go. */
static void
arp_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx LIG_UNUSED)
{
	if (ev == LIG_IF_EVENT_DELETE)
		lig_arp_if_flush(ifp->sw_if_index);
}

u32
lig_arp_build_request(u32 sw_if_index, u32 target)
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

int
lig_arp_proxy_enable_disable(u32 sw_if_index, bool enable)
{
	if (!lig_if_get(sw_if_index))
		return -ENOENT;
	lig_ip4_main.ifs[sw_if_index].proxy_arp = enable;
	return 0;
}

/* A dynamic neighbour is asked again once 3/4 of its age have passed (aging, at the full
 * age, comes later). */
static inline bool
arp_refresh_due(const struct lig_arp_neighbor *nb, u64 now_ns, u64 age_ns)
{
	return !nb->is_static && now_ns - nb->updated_ns >= age_ns - age_ns / 4;
}

static u32
arp_refresh(u64 now_ns, u64 age_ns)
{
	const struct lig_arp_neighbor *nb;
	u32 n = 0;

	if (!arpm.initialized)
		return 0;
	for (u32 i = 0, left = nbr_n_used(); n < 64 && (nb = nbr_next(&i, &left));) {
		if (!arp_refresh_due(nb, now_ns, age_ns))
			continue;
		u32 req = lig_arp_build_request(nb->sw_if_index, nb->ip);
		if (req == LIG_INVALID_INDEX)
			continue;
		lig_node_put(lig_ip4_main.output_node_index, req);
		n++;
	}
	return n;
}

/* Whether a neighbour is due for a refresh (or, later, for aging): a read-only walk, safe
 * without the barrier since only main writes the table. */
static bool
arp_any_due(u64 now_ns, u64 age_ns)
{
	const struct lig_arp_neighbor *nb;

	if (!arpm.initialized)
		return false;
	for (u32 i = 0, left = nbr_n_used(); (nb = nbr_next(&i, &left));)
		if (arp_refresh_due(nb, now_ns, age_ns))
			return true;
	return false;
}

/* Every 100 ms: re-ask for pending neighbours, give up on silent ones; every second: age
 * and refresh. Runs without the barrier (lig_loop_timer_no_barrier) and parks the workers
 * only when there is something to send or delete: most ticks have nothing. With workers,
 * the requests it builds leave from worker 1 after the barrier: sent by main they would
 * keep every worker parked through main's transmissions (a system call each on a tap or
 * af_packet interface: 120-200 us for 21 neighbours). */
static void
arp_timer(void *ctx)
{
	static u32 ticks;
	u64 now = lig_time_now_ns();
	u64 age = (u64)lig_arp_age_seconds * 1000000000ull;
	bool age_tick = ++ticks % 10 == 0 && lig_arp_age_seconds;
	(void)ctx;

	if (!lig_ip4_glean_any_pending() && !(age_tick && arp_any_due(now, age)))
		return;
	lig_barrier_sync();
	lig_barrier_kind("arp timer");
	bool sent = lig_ip4_glean_timer(now);
	if (age_tick) {
		lig_arp_age(now, age);
		sent |= arp_refresh(now, age) > 0;
	}
	lig_barrier_release();
	/* Without workers there is no barrier and main is the datapath: it sends them. */
	if (sent && lig_n_workers)
		lig_graph_handoff_pending(1);
	else if (sent)
		lig_graph_dispatch_pending();
}

static int
lig_arp_init(void)
{
	int rv = arp_init_tables();

	if (rv == 0)
		rv = lig_ip4_glean_init();
	if (rv == 0)
		rv = lig_ethernet_register_l3(LIG_ETHERTYPE_ARP, "arp-input");
	if (rv == 0)
		rv = lig_if_subscribe("arp", arp_if_event, NULL);
	if (rv < 0)
		return rv;
	rv = lig_loop_add_timer(100ull * 1000 * 1000, arp_timer, NULL);
	if (rv < 0)
		return rv;
	lig_loop_timer_no_barrier(rv);
	return 0;
}

LIG_MODULE(arp, .init = lig_arp_init, .depends = {"interface", "ethernet", "ip4_fib", "ip4"});

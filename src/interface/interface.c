/* SPDX-License-Identifier: Apache-2.0 */
/* The interface table and its control functions and CLI (see interface.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../infra/hash64.h"
#include "../infra/log.h"
#include "../vlib/cli.h"
#include "../vlib/graph.h"
#include "../vlib/thread.h"
#include "../vlib/trace.h"
#include "interface.h"

struct lig_interface *lig_interfaces[LIG_IF_MAX];

/* Subscribers in subscription order (see lig_if_subscribe). */
static struct lig_if_subscriber {
	const char *who;
	lig_if_event_fn_t *fn;
	void *ctx;
} lig_if_subscribers[LIG_IF_MAX_SUBSCRIBERS];
static u32 lig_if_n_subscribers;
static u32 lig_if_delivering; /* nesting depth of event delivery */
/* The interface whose class admin hook is running, and the link state that hook
 * reported (-1: none): applied and emitted after ADMIN. */
static u32 lig_if_admin_changing = LIG_INVALID_INDEX;
static int lig_if_admin_link = -1;

const char *
lig_if_event_name(enum lig_if_event ev)
{
	static const char *const names[LIG_IF_N_EVENTS] = {
	    [LIG_IF_EVENT_ADD] = "add",	    [LIG_IF_EVENT_DELETE] = "delete",
	    [LIG_IF_EVENT_ADMIN] = "admin", [LIG_IF_EVENT_LINK] = "link",
	    [LIG_IF_EVENT_MAC] = "mac",	    [LIG_IF_EVENT_MTU] = "mtu",
	};
	return (u32)ev < LIG_IF_N_EVENTS ? names[ev] : "?";
}

int
lig_if_subscribe(const char *who, lig_if_event_fn_t *fn, void *ctx)
{
	if (!who || !fn)
		return -EINVAL;
	if (lig_if_delivering)
		return -EBUSY;
	for (u32 i = 0; i < lig_if_n_subscribers; i++)
		if (lig_if_subscribers[i].fn == fn && lig_if_subscribers[i].ctx == ctx)
			return -EEXIST;
	if (lig_if_n_subscribers == LIG_IF_MAX_SUBSCRIBERS) {
		lig_err("interface", "%s: too many event subscribers", who);
		return -ENOSPC;
	}
	lig_if_subscribers[lig_if_n_subscribers++] =
	    (struct lig_if_subscriber){.who = who, .fn = fn, .ctx = ctx};
	lig_debug("interface", "%s subscribed to interface events", who);
	return 0;
}

int
lig_if_unsubscribe(lig_if_event_fn_t *fn, void *ctx)
{
	if (lig_if_delivering)
		return -EBUSY;
	for (u32 i = 0; i < lig_if_n_subscribers; i++) {
		if (lig_if_subscribers[i].fn != fn || lig_if_subscribers[i].ctx != ctx)
			continue;
		memmove(&lig_if_subscribers[i], &lig_if_subscribers[i + 1],
			(lig_if_n_subscribers - i - 1) * sizeof(lig_if_subscribers[0]));
		lig_if_n_subscribers--;
		return 0;
	}
	return -ENOENT;
}

/* Delivers ev for ifp: DELETE last subscriber first, everything else first one first. */
static void
lig_if_emit(struct lig_interface *ifp, enum lig_if_event ev)
{
	u32 n = lig_if_n_subscribers;

	lig_debug("interface", "%s: %s", ifp->name, lig_if_event_name(ev));
	lig_if_delivering++;
	for (u32 k = 0; k < n; k++) {
		const struct lig_if_subscriber *s =
		    &lig_if_subscribers[ev == LIG_IF_EVENT_DELETE ? n - 1 - k : k];
		s->fn(ifp, ev, s->ctx);
	}
	lig_if_delivering--;
}

void
lig_if_set_link(u32 sw_if_index, bool up)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return;
	if (sw_if_index == lig_if_admin_changing) {
		lig_if_admin_link = up;
		return;
	}
	if (ifp->link_up == up)
		return;
	ifp->link_up = up;
	lig_info("interface", "%s link %s", ifp->name, up ? "up" : "down");
	lig_if_emit(ifp, LIG_IF_EVENT_LINK);
}

struct lig_interface *
lig_if_by_name(const char *name)
{
	for (u32 i = 0; i < LIG_IF_MAX; i++)
		if (lig_interfaces[i] && strcmp(lig_interfaces[i]->name, name) == 0)
			return lig_interfaces[i];
	return NULL;
}

void
lig_if_random_mac(u8 mac[6])
{
	static u32 seq;
	u64 r = lig_time_now_ns() ^ ((u64)++seq << 40);

	mac[0] = 0x02; /* locally administered, unicast */
	mac[1] = 0xfe;
	for (int i = 2; i < 6; i++)
		mac[i] = (u8)(lig_hash64_mix(r) >> (8 * i));
}

static bool
lig_if_index_taken(u32 i)
{
	return lig_interfaces[i] != NULL;
}

struct lig_interface *
lig_if_create(const struct lig_if_class *class, const char *name, void *dev, const u8 mac[6])
{
	struct lig_interface *ifp;
	struct lig_node *tx;
	int next;

	if (strlen(name) >= LIG_IF_NAME_SIZE) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (lig_if_by_name(name)) {
		errno = EEXIST;
		return NULL;
	}
	tx = lig_node_by_name(class->tx_node_name);
	if (!tx) {
		errno = ENOENT;
		return NULL;
	}
	next = lig_node_add_next(lig_if_output_node_index(), tx->index);
	if (next < 0) {
		errno = -next;
		return NULL;
	}
	/*
	 * Index 0 is local0, as in VPP: never a real interface. Indices are handed out
	 * next-fit, not lowest-free: packets of a just-deleted interface may still sit in
	 * queued frames, and they must find no interface (and be dropped) rather than a new
	 * one that took the same index.
	 */
	static u32 lig_if_next_index = 1;
	u32 i = lig_next_fit(&lig_if_next_index, LIG_IF_MAX, lig_if_index_taken);
	if (i != LIG_INVALID_INDEX) {
		ifp = calloc(1, sizeof(*ifp));
		if (ifp)
			ifp->thread_counters = aligned_alloc(
			    LIG_CACHE_LINE, LIG_THREAD_MAX * sizeof(struct lig_if_counters));
		if (!ifp || !ifp->thread_counters) {
			free(ifp);
			errno = ENOMEM;
			return NULL;
		}
		memset(ifp->thread_counters, 0, LIG_THREAD_MAX * sizeof(struct lig_if_counters));
		ifp->sw_if_index = i;
		ifp->class = class;
		ifp->dev = dev;
		ifp->mtu = LIG_IF_DEFAULT_MTU;
		ifp->tx_next = (u32)next;
		ifp->l2 = (union lig_if_l2){.mode = LIG_IF_MODE_L3, .bd_index = LIG_INVALID_INDEX};
		if (mac)
			memcpy(ifp->mac, mac, 6);
		else
			lig_if_random_mac(ifp->mac);
		snprintf(ifp->name, sizeof(ifp->name), "%s", name);
		lig_interfaces[i] = ifp;
		lig_info("interface", "created %s (sw_if_index %u)", name, i);
		lig_if_emit(ifp, LIG_IF_EVENT_ADD);
		return ifp;
	}
	errno = ENOSPC;
	return NULL;
}

int
lig_if_delete(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp)
		return -ENOENT;
	lig_if_emit(ifp, LIG_IF_EVENT_DELETE);
	lig_interfaces[sw_if_index] = NULL;
	if (ifp->class->destroy)
		ifp->class->destroy(ifp);
	lig_info("interface", "deleted %s", ifp->name);
	free(ifp->thread_counters);
	free(ifp);
	return 0;
}

int
lig_if_set_admin(u32 sw_if_index, bool up)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	u32 outer = lig_if_admin_changing;
	int outer_link = lig_if_admin_link, link;
	int rv = 0;

	if (!ifp)
		return -ENOENT;
	/* A link change the hook reports (a loopback's link follows admin) is applied after
	 * ADMIN, so subscribers never see the carrier come up on an admin-down interface. */
	lig_if_admin_changing = sw_if_index;
	lig_if_admin_link = -1;
	/* The device's own side (a host link through netlink, a tun's carrier) changes with
	 * the workers running: nothing they read. ligd's state, its events and the link the
	 * hook reported change under the barrier. */
	if (ifp->class->admin_up_down)
		rv = ifp->class->admin_up_down(ifp, up);
	link = lig_if_admin_link;
	lig_if_admin_changing = outer;
	lig_if_admin_link = outer_link;
	bool admin_changes = rv == 0 && ifp->admin_up != up;
	bool link_changes = link >= 0 && (bool)link != ifp->link_up;
	if (admin_changes || link_changes) {
		lig_barrier_sync();
		lig_barrier_kind("interface admin state");
		if (admin_changes) {
			ifp->admin_up = up;
			lig_if_emit(ifp, LIG_IF_EVENT_ADMIN);
		}
		if (link_changes)
			lig_if_set_link(sw_if_index, link);
		lig_barrier_release();
	}
	return rv;
}

int
lig_if_set_mac(u32 sw_if_index, const u8 mac[6])
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	int rv = 0;

	if (!ifp)
		return -ENOENT;
	/* A multicast or all-zero source address is what ethernet-input drops as
	 * bad-src-mac: nothing this interface sent would get through a bridge or back
	 * in through a loopback/BVI. */
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EINVAL;
	if (ifp->class->set_mac)
		rv = ifp->class->set_mac(ifp, mac);
	if (rv == 0 && memcmp(ifp->mac, mac, 6) != 0) {
		memcpy(ifp->mac, mac, 6);
		lig_if_emit(ifp, LIG_IF_EVENT_MAC);
	}
	return rv;
}

int
lig_if_set_mtu(u32 sw_if_index, u32 mtu)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	int rv = 0;

	if (!ifp)
		return -ENOENT;
	if (mtu < 68 || mtu > LIG_IF_MTU_MAX)
		return -EINVAL;
	if (ifp->class->set_mtu)
		rv = ifp->class->set_mtu(ifp, mtu);
	if (rv == 0 && ifp->mtu != mtu) {
		ifp->mtu = mtu;
		lig_if_emit(ifp, LIG_IF_EVENT_MTU);
	}
	return rv;
}

int
lig_if_set_tag(u32 sw_if_index, const char *tag)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);
	size_t len = tag ? strlen(tag) : 0;

	if (!ifp)
		return -ENOENT;
	if (len >= LIG_IF_TAG_SIZE)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (tag[i] < 0x20 || tag[i] > 0x7e || tag[i] == '"')
			return -EINVAL;
	memcpy(ifp->tag, len ? tag : "", len + 1);
	if (len)
		lig_info("interface", "%s tagged %s", ifp->name, ifp->tag);
	return 0;
}

void
lig_if_clear_counters(void)
{
	for (u32 i = 0; i < LIG_IF_MAX; i++)
		if (lig_interfaces[i])
			memset(lig_interfaces[i]->thread_counters, 0,
			       LIG_THREAD_MAX * sizeof(struct lig_if_counters));
}

void
lig_if_get_counters(const struct lig_interface *ifp, struct lig_if_counters *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (u32 t = 0; t < lig_n_threads; t++) {
		const struct lig_if_counters *c = &ifp->thread_counters[t];
		sum->rx_packets += lig_counter_get(&c->rx_packets);
		sum->rx_bytes += lig_counter_get(&c->rx_bytes);
		sum->tx_packets += lig_counter_get(&c->tx_packets);
		sum->tx_bytes += lig_counter_get(&c->tx_bytes);
		sum->drops += lig_counter_get(&c->drops);
		sum->rx_errors += lig_counter_get(&c->rx_errors);
		sum->tx_errors += lig_counter_get(&c->tx_errors);
	}
}

/* The interface table: what every module with per-interface state depends on. */
LIG_MODULE(interface);

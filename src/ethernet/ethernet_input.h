/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What ethernet-input decides for the frames of one rx interface, for ethernet-input
 * itself and for a device-input node that hands frames of an L2 port straight to where
 * ethernet-input would send them (lig_eth_direct_*): one node and one more pass over
 * the vector's headers less per frame, on the path every bridged or cross-connected
 * frame takes. Frames that fail a check, and every frame of a port that is not a plain
 * L2 port (L3, L2 input features, down), still go through ethernet-input, which drops
 * and counts them; for an L2 port those are only ever dropped, so no frame of a flow
 * overtakes another.
 */
#ifndef LIG_ETHERNET_INPUT_H
#define LIG_ETHERNET_INPUT_H

#include <arpa/inet.h>

#include "../interface/interface.h"
#include "../vlib/buffer.h"
#include "../vlib/feature.h"
#include "ethernet.h"

/* ethernet-input's arcs (next nodes), in its registration. */
enum {
	LIG_ETH_NEXT_DROP,
	LIG_ETH_NEXT_L2_INPUT,
	LIG_ETH_NEXT_OUTPUT,
	LIG_ETH_N_NEXT,
};

#define foreach_lig_eth_error                                                                      \
	_(RUNT, "runt frame (shorter than an Ethernet header)")                                    \
	_(OVERSIZED, "frame larger than rx interface MTU")                                         \
	_(BAD_SRC_MAC, "multicast or zero source MAC")                                             \
	_(BAD_LENGTH, "802.3 length field exceeds frame")                                          \
	_(DOWN, "rx interface is admin down")                                                      \
	_(NOT_FOR_US, "L3 frame for another MAC")                                                  \
	_(UNKNOWN_TYPE, "no L3 protocol for ethertype")                                            \
	_(NO_XC_PEER, "xconnect peer missing")                                                     \
	_(NO_INTERFACE, "rx interface does not exist")

enum {
#define _(sym, str) LIG_ETH_ERROR_##sym,
	foreach_lig_eth_error
#undef _
	    LIG_ETH_N_ERROR,
};

/*
 * What the frames of one rx interface share, looked up once per run of them (the frames
 * of a vector nearly always come from one interface): its mode is one load, as l2.h
 * allows (a mode changed meanwhile is seen from the next run or vector on).
 */
struct lig_eth_rx {
	struct lig_interface *ifp; /* NULL: deleted while the frame was queued */
	u32 sw_if_index;
	u32 max_len; /* longest frame: MTU + header + one VLAN tag */
	union lig_if_l2 l2;
	u16 l2_next; /* mode BRIDGE: l2-input or the port's first l2-input feature */
	bool up;
	bool xc_peer; /* mode XCONNECT: the peer exists */
};

static inline void
lig_eth_rx_load(struct lig_eth_rx *rx, u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	rx->sw_if_index = sw_if_index;
	rx->ifp = ifp;
	if (lig_unlikely(!ifp))
		return;
	rx->max_len = ifp->mtu + LIG_ETHERNET_HEADER_SIZE + 4;
	rx->up = ifp->admin_up;
	rx->l2 = lig_if_l2(ifp);
	rx->xc_peer = rx->l2.mode == LIG_IF_MODE_XCONNECT && lig_if_get(rx->l2.xc_sw_if_index);
	rx->l2_next =
	    lig_feature_first(LIG_FEATURE_ARC_L2_INPUT, 0, sw_if_index, LIG_ETH_NEXT_L2_INPUT);
}

/* The checks every frame passes before its mode is looked at: true, or false with
 * *error set (LIG_ETH_ERROR_*). */
static inline bool
lig_eth_frame_check(struct lig_buffer *b, const struct lig_eth_rx *rx, u32 *error)
{
	const struct lig_ethernet_header *eh = (const void *)lig_buffer_data(b);
	u32 len = lig_buffer_length_in_chain(b);

	if (lig_unlikely(b->current_length < LIG_ETHERNET_HEADER_SIZE)) {
		*error = LIG_ETH_ERROR_RUNT;
		return false;
	}
	/* A GSO super-frame is judged by its segments, at interface-output. */
	if (lig_unlikely(len > rx->max_len) && !(b->flags & LIG_BUFFER_GSO)) {
		*error = LIG_ETH_ERROR_OVERSIZED;
		return false;
	}
	if (lig_unlikely(lig_mac_is_multicast(eh->src) || lig_mac_is_zero(eh->src))) {
		*error = LIG_ETH_ERROR_BAD_SRC_MAC;
		return false;
	}
	u16 type = ntohs(eh->type);
	if (lig_unlikely(type < 0x0600 && type > len - LIG_ETHERNET_HEADER_SIZE)) {
		*error = LIG_ETH_ERROR_BAD_LENGTH;
		return false;
	}
	if (lig_unlikely(!rx->up)) {
		*error = LIG_ETH_ERROR_DOWN;
		return false;
	}
	return true;
}

/* Where every good frame of rx goes when rx is a plain L2 port (up, bridged with no L2
 * input feature, or cross-connected to a peer that exists); NONE otherwise. */
enum lig_eth_direct {
	LIG_ETH_DIRECT_NONE,
	LIG_ETH_DIRECT_L2_INPUT, /* l2-input */
	LIG_ETH_DIRECT_OUTPUT,	 /* interface-output, sw_if_index[LIG_TX] set to the peer */
};

static inline enum lig_eth_direct
lig_eth_direct_kind(const struct lig_eth_rx *rx)
{
	if (!rx->ifp || !rx->up)
		return LIG_ETH_DIRECT_NONE;
	if (rx->l2.mode == LIG_IF_MODE_BRIDGE && rx->l2_next == LIG_ETH_NEXT_L2_INPUT)
		return LIG_ETH_DIRECT_L2_INPUT;
	if (rx->l2.mode == LIG_IF_MODE_XCONNECT && rx->xc_peer)
		return LIG_ETH_DIRECT_OUTPUT;
	return LIG_ETH_DIRECT_NONE;
}

/* A frame of rx that passed lig_eth_frame_check, going to l2-input (kind L2_INPUT: rx
 * is bridged) or interface-output (OUTPUT: rx is cross-connected): the metadata
 * ethernet-input gives it on that way, here and in ethernet-input alike. */
static inline void
lig_eth_direct_set(struct lig_buffer *b, const struct lig_eth_rx *rx, enum lig_eth_direct kind)
{
	b->l2_hdr_offset = b->current_data;
	if (kind == LIG_ETH_DIRECT_OUTPUT) {
		b->sw_if_index[LIG_TX] = rx->l2.xc_sw_if_index;
	} else {
		b->l2.bd_index = (u16)rx->l2.bd_index;
		b->l2.shg = rx->l2.shg;
	}
}

#endif

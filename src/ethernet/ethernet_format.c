/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ethernet frames in show trace: the header decoder that every node's trace uses, and the
 * formatters of the kernel-facing drivers' rx and tx records (af_packet, tap).
 */
#include <arpa/inet.h>

#include "../interface/interface.h"
#include "../vlib/trace.h"
#include "ethernet.h"

void
lig_format_ethernet_header(struct lig_str *s, const u8 *frame, u32 len)
{
	const struct lig_ethernet_header *eh = (const void *)frame;

	if (len < LIG_ETHERNET_HEADER_SIZE) {
		lig_str_printf(s, "runt frame, %u bytes", len);
		return;
	}
	u16 type = ntohs(eh->type);
	const char *name = type == LIG_ETHERTYPE_IP4	? "IP4"
			   : type == LIG_ETHERTYPE_ARP	? "ARP"
			   : type == LIG_ETHERTYPE_IP6	? "IP6"
			   : type == LIG_ETHERTYPE_VLAN ? "VLAN"
							: NULL;
	if (name)
		lig_str_printf(s, "%s: ", name);
	else
		lig_str_printf(s, "0x%04x: ", type);
	lig_format_mac(s, eh->src);
	lig_str_printf(s, " -> ");
	lig_format_mac(s, eh->dst);
	if (type == LIG_ETHERTYPE_IP4 && len >= LIG_ETHERNET_HEADER_SIZE + 20) {
		const u8 *ip = frame + LIG_ETHERNET_HEADER_SIZE;
		lig_str_printf(s, "\n    %u.%u.%u.%u -> %u.%u.%u.%u proto %u ttl %u len %u", ip[12],
			       ip[13], ip[14], ip[15], ip[16], ip[17], ip[18], ip[19], ip[9], ip[8],
			       (unsigned)(ip[2] << 8 | ip[3]));
	} else if (type == LIG_ETHERTYPE_ARP &&
		   len >= LIG_ETHERNET_HEADER_SIZE + sizeof(struct lig_arp_header)) {
		const struct lig_arp_header *a = (const void *)(eh + 1);
		u16 op = ntohs(a->op);
		lig_str_printf(s, "\n    %s %u.%u.%u.%u -> %u.%u.%u.%u",
			       op == LIG_ARP_OP_REQUEST ? "request"
			       : op == LIG_ARP_OP_REPLY ? "reply"
							: "op?",
			       a->spa[0], a->spa[1], a->spa[2], a->spa[3], a->tpa[0], a->tpa[1],
			       a->tpa[2], a->tpa[3]);
	}
}

/* rx is true for an input node's record, false for a tx node's. */
static void
lig_ethernet_io_format_trace(struct lig_str *s, const struct lig_ethernet_io_trace *t, bool rx)
{
	struct lig_interface *ifp = lig_if_get(t->sw_if_index);

	lig_str_printf(s, "%s: %s len %u", ifp ? ifp->name : "(deleted)", rx ? "rx" : "tx", t->len);
	if (t->has_ring)
		lig_str_printf(s, rx ? " tp_status 0x%x" : " slot %u", t->ring_word);
	if (t->csum_partial)
		lig_str_printf(s, " csum-partial start %u offset %u", t->csum_start,
			       t->csum_offset);
	lig_str_printf(s, "\n    ");
	lig_format_ethernet_header(s, t->frame, LIG_MIN(t->len, (u32)sizeof(t->frame)));
}

void
lig_ethernet_io_format_rx_trace(struct lig_str *s, const void *record)
{
	lig_ethernet_io_format_trace(s, record, true);
}

void
lig_ethernet_io_format_tx_trace(struct lig_str *s, const void *record)
{
	lig_ethernet_io_format_trace(s, record, false);
}

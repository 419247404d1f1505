/* SPDX-License-Identifier: Apache-2.0 */
/* Ethernet framing shared by every module, and the L3 protocol registry of ethernet-input. */
#ifndef LIG_ETHERNET_H
#define LIG_ETHERNET_H

#include "../infra/lig_common.h"

#define LIG_ETHERNET_HEADER_SIZE 14
#define LIG_ETHERTYPE_IP4 0x0800
#define LIG_ETHERTYPE_ARP 0x0806
#define LIG_ETHERTYPE_VLAN 0x8100
#define LIG_ETHERTYPE_IP6 0x86dd

struct lig_ethernet_header {
	u8 dst[6];
	u8 src[6];
	u16 type; /* network order */
} __attribute__((packed));

/* ARP for IPv4 over Ethernet (RFC 826), right after the Ethernet header: the one
 * definition that arp-input, ip4-glean, l2-input's ARP termination and the trace
 * formatter all use. Multi-byte fields are in network order. */
#define LIG_ARP_HTYPE_ETHERNET 1
#define LIG_ARP_OP_REQUEST 1
#define LIG_ARP_OP_REPLY 2

struct lig_arp_header {
	u16 htype; /* LIG_ARP_HTYPE_ETHERNET */
	u16 ptype; /* LIG_ETHERTYPE_IP4 */
	u8 hlen;   /* 6 */
	u8 plen;   /* 4 */
	u16 op;	   /* LIG_ARP_OP_* */
	u8 sha[6];
	u8 spa[4]; /* unaligned in the frame: copy out with memcpy */
	u8 tha[6];
	u8 tpa[4];
} __attribute__((packed));

_Static_assert(sizeof(struct lig_arp_header) == 28, "an Ethernet/IPv4 ARP header is 28 bytes");

static inline bool
lig_mac_is_multicast(const u8 *mac)
{
	return mac[0] & 1;
}

static inline bool
lig_mac_is_zero(const u8 *mac)
{
	static const u8 zero[6];
	return memcmp(mac, zero, 6) == 0;
}

/* Packs a MAC into the low 48 bits of a u64, for hashing. */
static inline u64
lig_mac_to_u64(const u8 *mac)
{
	return (u64)mac[0] << 40 | (u64)mac[1] << 32 | (u64)mac[2] << 24 | (u64)mac[3] << 16 |
	       (u64)mac[4] << 8 | (u64)mac[5];
}

struct lig_str;
/* Writes the frame's Ethernet header (and, for IPv4 and ARP, the addresses above it) in
 * the style of show trace; frame holds len bytes. For format_trace functions. */
void lig_format_ethernet_header(struct lig_str *s, const u8 *frame, u32 len);

/*
 * The trace record of the drivers that exchange frames with the kernel behind a
 * virtio-net header (af_packet, tap): their rx and tx nodes fill it and register
 * lig_ethernet_io_format_rx_trace / _tx_trace as format_trace, so both read alike.
 */
struct lig_ethernet_io_trace {
	u32 sw_if_index;
	u32 len; /* frame bytes */
	/* A ring driver (af_packet) also records the rx frame's tp_status and the tx ring
	 * slot: has_ring says ring_word is set. */
	u32 ring_word;
	u8 has_ring;
	u8 csum_partial; /* the virtio-net header asked for a checksum (NEEDS_CSUM) */
	u16 csum_start;	 /* with csum_partial: relative to the frame */
	u16 csum_offset; /* relative to csum_start */
	u8 frame[64];	 /* the frame's first bytes */
};

void lig_ethernet_io_format_rx_trace(struct lig_str *s, const void *record);
void lig_ethernet_io_format_tx_trace(struct lig_str *s, const void *record);

/*
 * On an L3 interface (or a BVI, for frames coming out of its bridge domain),
 * ethernet-input sends frames of this ethertype to node_name, with current_data at the
 * L3 header. Call from an init function. Returns 0 or -errno.
 */
int lig_ethernet_register_l3(u16 ethertype, const char *node_name);

#endif

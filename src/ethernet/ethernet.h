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

/*
 * On an L3 interface (or a BVI, for frames coming out of its bridge domain),
 * ethernet-input sends frames of this ethertype to node_name, with current_data at the
 * L3 header. Call from an init function. Returns 0 or -errno.
 */
int lig_ethernet_register_l3(u16 ethertype, const char *node_name);

#endif

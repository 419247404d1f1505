/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VXLAN (RFC 7348) over IPv4: each tunnel is an interface of class "vxlan" (usable as a
 * bridge port or an xconnect end). vxlan4-encap, the class's tx node, prepends outer
 * IPv4/UDP/VXLAN headers and routes the result through the encap VRF; vxlan4-input,
 * reached from ip4-local for UDP 4789, accepts only packets matching a tunnel's
 * (src, dst, vni) and hands the inner frame to ethernet-input on that tunnel.
 *
 * Files: vxlan.c (tunnel table, the interface class, lig_vxlan_add_del_tunnel), node.c
 * (the two nodes), api.h/api.c (messages and handlers), cli.c (commands, show,
 * running-config). The tables below are changed only by vxlan.c, between dispatches;
 * the nodes read them.
 */
#ifndef LIG_VXLAN_H
#define LIG_VXLAN_H

#include "../infra/lig_common.h"

#define LIG_VXLAN_UDP_PORT 4789
#define LIG_VXLAN_MAX_TUNNELS 4096
#define LIG_VXLAN_VNI_MAX 0xffffff
/* Outer IPv4 + UDP + VXLAN headers prepended by the encap node. */
#define LIG_VXLAN_ENCAP_SIZE 36

struct lig_vxlan_header {
	u8 flags; /* 0x08: the VNI is valid */
	u8 reserved1[3];
	u8 vni[3]; /* network order */
	u8 reserved2;
} __attribute__((packed));

struct lig_vxlan_tunnel {
	u8 rewrite[LIG_VXLAN_ENCAP_SIZE]; /* outer headers with lengths/checksum zero */
	u32 src;			  /* our end, network order */
	u32 dst;			  /* the peer, network order */
	u32 vni;
	u32 encap_fib_index;
	u32 sw_if_index;
	u32 instance;
	u16 ip_id;
	u8 in_use;
};

enum lig_vxlan_decap_next {
	LIG_VXLAN_DECAP_NEXT_L2 = 0, /* inner Ethernet to ethernet-input on the tunnel */
};

struct lig_vxlan_tunnel_args {
	bool is_add;
	u32 src; /* network order */
	u32 dst; /* network order */
	u32 vni;
	u32 encap_table_id; /* VRF the outer packet is routed in */
	u32 decap_next;	    /* enum lig_vxlan_decap_next */
	u32 instance;	    /* name suffix; LIG_INVALID_INDEX: lowest free */
};

struct lig_vxlan_main {
	struct lig_vxlan_tunnel tunnels[LIG_VXLAN_MAX_TUNNELS]; /* indexed by instance */
};
extern struct lig_vxlan_main lig_vxlan_main;

/*
 * Creates (is_add) or deletes the tunnel (src, dst, vni). On create, *sw_if_index (may
 * be NULL) gets the new vxlan_tunnel<instance>, created admin up as VPP does; on delete,
 * the deleted one. A tunnel holds its encap VRF (the table cannot be deleted under it).
 * The caller keeps a. Returns 0, -EINVAL (vni out of range, src == dst, zero or multicast
 * address, unknown decap-next), -ENOENT (no such encap VRF; delete: no such tunnel),
 * -EEXIST (a tunnel to dst with this vni, or the instance, exists), -ENOSPC (no free
 * instance), or the -errno of creating the interface.
 */
int lig_vxlan_add_del_tunnel(const struct lig_vxlan_tunnel_args *a, u32 *sw_if_index);

/* The tunnel to remote with vni (whatever its local address), or NULL. */
struct lig_vxlan_tunnel *lig_vxlan_tunnel_to(u32 remote, u32 vni);
/* The tunnel for a decapsulated packet, or NULL. */
struct lig_vxlan_tunnel *lig_vxlan_tunnel_lookup(u32 local, u32 remote, u32 vni);

#endif

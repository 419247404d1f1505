/* SPDX-License-Identifier: Apache-2.0 */
/*
 * L2 bridging as in VPP: bridge domains (user id 1..16M-2 mapped to a small internal
 * index the datapath carries in buffer->l2.bd_index), their ports and BVI, per-port modes
 * (L3, bridge, xconnect) and the ARP-termination table. l2fib.h has the L2 FIB.
 *
 * Contracts: control functions (l2.c) run on main, return 0 or -errno and are the only
 * writers of these tables; the API handlers (api.c, messages in api.h) call them after
 * checking the request's meaning, and the CLI (cli.c) goes through those handlers, so
 * both give the same answer and the same error text. The nodes l2-input and l2-flood
 * (node.c) only read the tables and learn into the FIB. Port mode changes (bridge,
 * xconnect, L3) run without the barrier: they publish the interface's L2 word and the
 * domain's port array atomically and free through lig_rcu_call; one that creates a
 * domain or involves a BVI takes the barrier itself. Every other change is made under
 * the barrier. On main, pointers returned by lookups stay valid until the next control
 * call.
 */
#ifndef LIG_L2_H
#define LIG_L2_H

#include "../infra/hash64.h"
#include "../infra/lig_common.h"

/* Internal bridge-domain indices 1..LIG_BD_MAX-1; index 0 is never a bridge domain, so
 * a zeroed buffer or interface cannot point into one by accident. */
#define LIG_BD_MAX 1024
#define LIG_BD_ID_MAX 0xfffffe /* user ids 1..LIG_BD_ID_MAX, as VPP */
/* Ports per bridge domain: bounds the flood fan-out and its on-stack target list. */
#define LIG_BD_MAX_PORTS 256
/* ARP-termination entries over all bridge domains. */
#define LIG_BD_ARP_MAX 16384

/* Bridge-domain feature flags, as VPP's L2_LEARN, L2_FWD, L2_UU_FLOOD, L2_FLOOD, L2_ARP_TERM. */
enum lig_bd_flags {
	LIG_BD_F_LEARN = 1 << 0,
	LIG_BD_F_FORWARD = 1 << 1,
	LIG_BD_F_UU_FLOOD = 1 << 2,
	LIG_BD_F_FLOOD = 1 << 3,
	LIG_BD_F_ARP_TERM = 1 << 4,
};
#define LIG_BD_F_DEFAULT (LIG_BD_F_LEARN | LIG_BD_F_FORWARD | LIG_BD_F_UU_FLOOD | LIG_BD_F_FLOOD)

struct lig_bd_port {
	u32 sw_if_index;
	u8 shg;
	u8 bvi;
	u8 pad[2];
};

/*
 * A domain's ports. Never changed once published: a port joining or leaving publishes a
 * new array (lig_bd_ports_get's load pairs with that store) and the old one is freed after
 * an RCU grace period, so l2-flood can walk one while main replaces it, without the
 * barrier.
 */
struct lig_bd_ports {
	u32 n;
	struct lig_bd_port port[];
};

struct lig_bd {
	/* Datapath fields first. */
	u32 flags;		    /* enum lig_bd_flags */
	u32 bvi_sw_if_index;	    /* LIG_INVALID_INDEX when there is none */
	struct lig_bd_ports *ports; /* NULL: none; see struct lig_bd_ports */
	u32 bd_id;		    /* user id; 0 marks a free slot */
	u32 mac_age;		    /* minutes; 0: entries never age */
	u8 seq_num;		    /* bumped at each flush of the whole domain (BSN) */
	u32 n_arp;		    /* ARP-termination entries of this domain */
	char tag[64];		    /* the client's name (VPP's bd_tag); "" none */
};

struct lig_bd_main {
	struct lig_bd bds[LIG_BD_MAX];
	u32 n_bds;
	/* ARP termination: key bd_index << 32 | ip4 (network order), value MAC as u64. */
	struct lig_hash64 arp;
};

extern struct lig_bd_main lig_bd_main;

/* The bridge domain at internal index bd_index, or NULL if there is none. */
static inline struct lig_bd *
lig_bd_get(u32 bd_index)
{
	return bd_index < LIG_BD_MAX && lig_bd_main.bds[bd_index].bd_id ? &lig_bd_main.bds[bd_index]
									: NULL;
}

/* The ports of bd as published (one load; valid until the caller's pass ends). */
static inline const struct lig_bd_ports *
lig_bd_ports_get(const struct lig_bd *bd)
{
	static const struct lig_bd_ports none = {.n = 0};
	const struct lig_bd_ports *p = __atomic_load_n(&bd->ports, __ATOMIC_ACQUIRE);
	return p ? p : &none;
}

static inline u64
lig_bd_arp_key(u32 bd_index, u32 ip4_net)
{
	return (u64)bd_index << 32 | ip4_net;
}

/* Returns the internal index of bridge domain bd_id, or LIG_INVALID_INDEX. */
u32 lig_bd_find(u32 bd_id);

/*
 * Creates (is_add, with flags and mac_age) or deletes bridge domain bd_id. Returns 0,
 * -EINVAL (id out of range), -EEXIST (already exists), -ENOENT (delete: unknown),
 * -EBUSY (delete: ports still attached), -ENOSPC (table full). Deleting also removes
 * the domain's FIB and ARP-termination entries.
 */
int lig_bd_add_del(u32 bd_id, u32 flags, u32 mac_age, bool is_add);
/* Sets (enable) or clears flags on bd_id; returns 0 or -ENOENT. Disabling learning
 * leaves learned entries in place, as VPP. */
int lig_bd_set_flags(u32 bd_id, u32 flags, bool enable);
/* Tags bd_id: up to 63 printable ASCII characters but '"'; "" clears it. Returns 0,
 * -ENOENT, -EINVAL. */
int lig_bd_set_tag(u32 bd_id, const char *tag);
/* Sets the MAC age in minutes (0: off); returns 0, -ENOENT or -EINVAL (> 255 as VPP). */
int lig_bd_set_mac_age(u32 bd_id, u32 minutes);
/* Adds or deletes an ARP-termination entry; returns 0, -ENOENT (no such domain or, for
 * delete, entry), -EINVAL (multicast or zero MAC), -ENOSPC (table full). */
int lig_bd_arp_entry_add_del(u32 bd_id, u32 ip4_net, const u8 mac[6], bool is_add);

/*
 * Port modes. Each moves the interface out of its previous mode first: a port leaving
 * a bridge domain loses its FIB entries there (learned and static) and its BVI role.
 */
/* Bridges sw_if_index into bd_id (created with default flags if missing, as VPP).
 * Returns 0, -ENOENT (no interface), -EINVAL (bad id; bvi on a non-loopback),
 * -EEXIST (the domain has another BVI), -ENOSPC (too many ports or domains), -ENOMEM. */
int lig_l2_set_bridge(u32 sw_if_index, u32 bd_id, bool bvi, u8 shg);
/* Returns the interface to L3 mode; returns 0 or -ENOENT. */
int lig_l2_set_l3(u32 sw_if_index);
/* Cross-connects rx_sw_if_index to tx_sw_if_index, one direction as VPP; returns 0,
 * -ENOENT (either interface missing) or -EINVAL (rx == tx). */
int lig_l2_set_xconnect(u32 rx_sw_if_index, u32 tx_sw_if_index);

#endif

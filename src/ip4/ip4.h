/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 routing in ligd: VRF tables (FIBs) with longest-prefix match, load-balance
 * objects for ECMP, adjacencies (how to reach a next hop), per-interface addresses,
 * the neighbour (ARP) table and the control functions the CLI calls. The nodes
 * ip4-input, ip4-lookup, ip4-rewrite, ip4-local, ip4-glean, ip4-icmp-error and
 * arp-input only read these tables; control code changes them between dispatches.
 */
#ifndef LIG_IP4_H
#define LIG_IP4_H

#include "../infra/hash64.h"
#include "../infra/lig_common.h"
#include "../interface/interface.h"
#include "../vlib/str.h"

struct lig_ip4_header {
	u8 ver_ihl;
	u8 tos;
	u16 length; /* network order, as every multi-byte field below */
	u16 id;
	u16 frag; /* flags and fragment offset */
	u8 ttl;
	u8 proto;
	u16 checksum;
	u32 src;
	u32 dst;
} __attribute__((packed));

struct lig_icmp4_header {
	u8 type;
	u8 code;
	u16 checksum;
	u16 id; /* echo; unused (zero) in errors */
	u16 seq;
} __attribute__((packed));

struct lig_udp_header {
	u16 src_port;
	u16 dst_port;
	u16 length;
	u16 checksum;
} __attribute__((packed));

#define LIG_IP_PROTO_ICMP 1
#define LIG_IP_PROTO_TCP 6
#define LIG_IP_PROTO_UDP 17
#define LIG_IP4_DF 0x4000
#define LIG_IP4_MF 0x2000
#define LIG_IP4_FRAG_OFFSET_MASK 0x1fff
#define LIG_ICMP4_ECHO_REPLY 0
#define LIG_ICMP4_DEST_UNREACH 3
#define LIG_ICMP4_ECHO_REQUEST 8
#define LIG_ICMP4_TIME_EXCEEDED 11

/* One's-complement sum of size bytes (network order words), not yet folded. */
static inline u64
lig_ip4_csum_add(u64 sum, const void *data, u32 size)
{
	const u8 *p = data;
	u32 i = 0;

	for (; i + 1 < size; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (size & 1)
		sum += (u32)p[i] << 8;
	return sum;
}

/* Folds a sum into the 16-bit checksum, in host order (store with htons). */
static inline u16
lig_ip4_csum_fold(u64 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* Checksum of an IPv4 header of ihl words, fast for the usual 5; host order. */
static inline u16
lig_ip4_header_csum(const struct lig_ip4_header *ip, u32 ihl)
{
	const u8 *w = (const u8 *)ip;
	u64 sum = 0;
	if (lig_likely(ihl == 5)) {
		/* The usual header: five independent loads the compiler keeps in registers. */
		u32 v0, v1, v2, v3, v4;
		memcpy(&v0, w, 4);
		memcpy(&v1, w + 4, 4);
		memcpy(&v2, w + 8, 4);
		memcpy(&v3, w + 12, 4);
		memcpy(&v4, w + 16, 4);
		sum = (u64)v0 + v1 + v2 + v3 + v4;
		ihl = 0;
	}
	for (u32 i = 0; i < ihl; i++) {
		u32 v;
		memcpy(&v, w + 4 * i, 4);
		sum += v;
	}
	/* The sum of native words folds to the same 16 bits, byte-swapped on little endian. */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~lig_bswap16((u16)sum);
}

/* -------- Longest-prefix match (the mtrie) -------- */

/*
 * A 16-8-8 multibit trie (DIR-16-8-8, the DPDK LPM scheme with one more level): a root
 * array of 65536 entries indexed by the top 16 address bits; an entry is either a leaf
 * (value and the prefix length that set it) or the index of a 256-entry group for the
 * next 8 bits. A lookup is at most three dependent loads and never allocates. Insert
 * overwrites the leaves of its range whose length is not longer; delete restores the
 * covering prefix (found by the caller) where its own length is recorded; groups that
 * become uniform fold back into their parent.
 */
#define LIG_FIB_LEAF_VALUE_MASK 0x00ffffffu
#define LIG_FIB_LEAF_GROUP 0x80000000u

struct lig_fib_mtrie {
	/* 65536 entries; NULL once the table is deleted (a packet queued before that may
	 * still carry its fib_index: lig_fib_lookup_lb). Published last when created. */
	u32 *root;
	u32 *groups; /* n_groups_alloc * 256 entries */
	u32 n_groups_alloc;
	u32 *free_groups; /* stack of free group indices */
	u32 n_free_groups;
	u32 n_groups_used;
	/* This trie's generation: a group release still waiting for a grace period when the
	 * trie is freed (its table deleted, the slot maybe reused) is dropped, not pushed onto
	 * another trie's free stack. */
	u32 gen;
};

/* Any thread, while main may be changing the trie (mtrie.c): the acquire loads see a group
 * complete once its entry is seen, and the group array is loaded after the entry that
 * points into it (a grown array is published before any entry points into its new part).
 * Plain loads on x86. */
static inline u32
lig_fib_mtrie_lookup_root(const struct lig_fib_mtrie *m, const u32 *root, u32 addr_host)
{
	u32 e = __atomic_load_n(&root[addr_host >> 16], __ATOMIC_ACQUIRE);
	if (e & LIG_FIB_LEAF_GROUP) {
		const u32 *groups = __atomic_load_n(&m->groups, __ATOMIC_ACQUIRE);
		e = __atomic_load_n(
		    &groups[((e & ~LIG_FIB_LEAF_GROUP) << 8) | ((addr_host >> 8) & 0xff)],
		    __ATOMIC_ACQUIRE);
		if (e & LIG_FIB_LEAF_GROUP)
			e = __atomic_load_n(
			    &groups[((e & ~LIG_FIB_LEAF_GROUP) << 8) | (addr_host & 0xff)],
			    __ATOMIC_ACQUIRE);
	}
	return e & LIG_FIB_LEAF_VALUE_MASK;
}

/* The same for a trie that has a root (one not freed). */
static inline u32
lig_fib_mtrie_lookup(const struct lig_fib_mtrie *m, u32 addr_host)
{
	return lig_fib_mtrie_lookup_root(m, __atomic_load_n(&m->root, __ATOMIC_ACQUIRE), addr_host);
}

/* Creates a trie whose every address maps to default_value; returns 0 or -ENOMEM. */
int lig_fib_mtrie_init(struct lig_fib_mtrie *m, u32 default_value);
void lig_fib_mtrie_free(struct lig_fib_mtrie *m);
/* Unpublishes m (as lig_fib_mtrie_free) and hands its arrays to *to, which no lookup can
 * reach: free that with lig_fib_mtrie_free later, away from the barrier. */
void lig_fib_mtrie_move(struct lig_fib_mtrie *m, struct lig_fib_mtrie *to);
/* Sets addr/len (host order, host bits zero) to value; returns 0 or -ENOMEM. */
int lig_fib_mtrie_insert(struct lig_fib_mtrie *m, u32 addr_host, u8 len, u32 value);
/* Removes addr/len, restoring the covering prefix's value and length. */
void lig_fib_mtrie_delete(struct lig_fib_mtrie *m, u32 addr_host, u8 len, u32 cover_value,
			  u8 cover_len);
/* Bytes the trie holds. */
u64 lig_fib_mtrie_memory(const struct lig_fib_mtrie *m);

/* -------- Adjacencies and load-balance objects -------- */

enum lig_adj_type {
	LIG_ADJ_DROP,	  /* a "drop" route: counted and dropped */
	LIG_ADJ_MISS,	  /* no route: ICMP unreachable */
	LIG_ADJ_LOCAL,	  /* one of our addresses: ip4-local */
	LIG_ADJ_GLEAN,	  /* a connected subnet: resolve the destination by ARP */
	LIG_ADJ_NEIGHBOR, /* a next hop: rewrite when complete, else resolve it */
};

/* Adjacency indices that always exist. */
#define LIG_ADJ_INDEX_DROP 0
#define LIG_ADJ_INDEX_MISS 1
#define LIG_ADJ_INDEX_LOCAL 2

struct lig_adj {
	u8 type;     /* enum lig_adj_type */
	u8 complete; /* NEIGHBOR: rewrite holds the neighbour's MAC */
	u16 pad;
	u32 sw_if_index;
	u32 nh; /* NEIGHBOR: next hop, network order */
	u32 refcount;
	u32 lb_index;	/* the single-path load-balance pointing here, or ~0 */
	u8 rewrite[16]; /* Ethernet header: dst, src, type 0x0800 */
	u8 in_use;
};

#define LIG_FIB_LB_MAX_BUCKETS 16
#define LIG_FIB_MAX_PATHS LIG_FIB_LB_MAX_BUCKETS

/* Load-balance: the FIB's leaf value. Buckets hold adjacency indices; n_buckets is a
 * power of two so a flow hash picks one with a mask. */
struct lig_fib_lb {
	u16 n_buckets;
	u16 mask;
	u32 refcount; /* multipath: 1 (owned by its route); single: shared via the adj */
	u32 buckets[LIG_FIB_LB_MAX_BUCKETS];
};

#define LIG_FIB_LB_INDEX_DROP 0
#define LIG_FIB_LB_INDEX_MISS 1
#define LIG_FIB_LB_INDEX_LOCAL 2

struct lig_ip4_main_tables {
	struct lig_adj *adjs;
	u32 n_adjs;
	struct lig_fib_lb *lbs;
	u32 n_lbs;
};
extern struct lig_ip4_main_tables lig_ip4_tables;

/* The pools grow by copy (fib.c): the array is loaded with acquire, and a pointer into it
 * is good until the caller's next quiescent point (a worker's loop top). A load-balance is
 * never changed once a route points to it (a new one replaces it); the adjacency fields
 * the nodes read change in place only under the barrier (ARP, interface events). */
static inline struct lig_adj *
lig_adj_get(u32 adj_index)
{
	return &__atomic_load_n(&lig_ip4_tables.adjs, __ATOMIC_ACQUIRE)[adj_index];
}

static inline struct lig_fib_lb *
lig_fib_lb_get(u32 lb_index)
{
	return &__atomic_load_n(&lig_ip4_tables.lbs, __ATOMIC_ACQUIRE)[lb_index];
}

/* -------- FIB tables and routes -------- */

#define LIG_FIB_MAX_TABLES 256

enum lig_fib_source {
	LIG_FIB_SRC_ADJ = 1,	   /* a resolved neighbour's host route */
	LIG_FIB_SRC_API = 2,	   /* ip route add */
	LIG_FIB_SRC_INTERFACE = 3, /* connected and local routes of interface addresses */
};

enum lig_fib_path_type {
	LIG_FIB_PATH_NEXT_HOP, /* via nh [interface] */
	LIG_FIB_PATH_ATTACHED, /* via interface: destinations ARPed directly */
	LIG_FIB_PATH_DROP,
	LIG_FIB_PATH_LOCAL,
	LIG_FIB_PATH_ADJ, /* internal: a given adjacency */
};

/* The interface of a next hop was found through the table (the path was given without
 * one); sw_if_index holds what it resolved to. */
#define LIG_FIB_PATH_F_VIA_TABLE 0x1

struct lig_fib_path {
	u8 type;
	u8 weight; /* share of the ECMP buckets, 1..255; 0 is taken as 1 */
	u8 flags;  /* LIG_FIB_PATH_F_*, set by the FIB */
	u8 pad;
	u32 nh;		 /* network order */
	u32 sw_if_index; /* LIG_INVALID_INDEX: resolve through the table */
	u32 adj_index;	 /* resolved; filled by the FIB */
};

struct lig_fib_entry {
	u32 addr; /* network order, host bits zero */
	u8 len;
	u8 source; /* enum lig_fib_source; 0: free */
	u8 n_paths;
	u8 pad;
	u32 fib_index;
	u32 lb_index;
	struct lig_fib_path path;  /* the first path */
	struct lig_fib_path *more; /* paths 2..n_paths (malloc'd), NULL when single */
};

#define LIG_FIB_TABLE_NAME_SIZE 64

struct lig_fib_table {
	u32 table_id;
	u8 in_use;
	char name[LIG_FIB_TABLE_NAME_SIZE]; /* the client's name (ip_table_add_del); "" none */
	struct lig_fib_mtrie mtrie;
	/* Exact match: key len << 32 | addr (network order) -> entry index; grows by rehash. */
	struct lig_hash64 prefixes;
	u32 n_routes;
	u32 n_by_len[33];
	u32 n_interfaces; /* users: addressed interfaces, tunnels encapsulating in it */
};

struct lig_fib_main {
	struct lig_fib_table tables[LIG_FIB_MAX_TABLES];
	struct lig_fib_entry *entries;
	u32 n_entries_alloc;
	u32 *free_entries;
	u32 n_free_entries;
};
extern struct lig_fib_main lig_fib_main;

/* Returns the fib_index of table_id, or LIG_INVALID_INDEX. */
u32 lig_fib_table_find(u32 table_id);
/* Creates (is_add) or deletes table_id. Returns 0, -EEXIST, -ENOENT, -EBUSY (delete:
 * interfaces still bound, or table 0), -ENOSPC. Deleting removes its routes. */
int lig_fib_table_add_del(u32 table_id, bool is_add);
/* Names table_id: up to 63 printable ASCII characters but '"'; "" clears the name.
 * Returns 0, -ENOENT, -EINVAL. */
int lig_fib_table_set_name(u32 table_id, const char *name);

/*
 * Adds paths to prefix addr/len (network order; host bits are cleared) in fib_index from
 * source src, or (is_add false) removes the given paths, or the whole entry when
 * n_paths is 0. A path the entry has already is not added twice; it takes the given
 * weight. An entry of a stronger source is left alone (-EEXIST for API adds over
 * interface routes); a weaker source's entry is replaced. The caller keeps paths (the
 * FIB copies them). Returns 0, -EINVAL (bad length, too many paths), -ENOENT (no such
 * table, route or path; an interface that does not exist), -EHOSTUNREACH (a next hop
 * that is not on a connected subnet or reachable by a route), -ENOMEM.
 */
int lig_fib_route_add_del(u32 fib_index, u32 addr, u8 len, enum lig_fib_source src,
			  const struct lig_fib_path *paths, u32 n_paths, bool is_add);
/*
 * Sets the paths of addr/len to exactly these (n_paths >= 1), creating the entry if it
 * does not exist: lig_fib_route_add_del's add, except that an entry of the same source
 * loses the paths not given. Setting what the entry already has (same paths in the same
 * order and weights) changes nothing. On failure the entry is as it was. Returns as
 * lig_fib_route_add_del.
 */
int lig_fib_route_update(u32 fib_index, u32 addr, u8 len, enum lig_fib_source src,
			 const struct lig_fib_path *paths, u32 n_paths);

/* The exact entry for addr/len, or NULL. */
struct lig_fib_entry *lig_fib_entry_find(u32 fib_index, u32 addr, u8 len);

/* Path i (< e->n_paths) of an entry. */
static inline struct lig_fib_path *
lig_fib_entry_path(struct lig_fib_entry *e, u32 i)
{
	return i == 0 ? &e->path : &e->more[i - 1];
}

/* Entry ei of the pool when it is a route, else NULL; ei < lig_fib_main.n_entries_alloc.
 * Indices are stable while the entry lives: dumps walk the pool by index. */
static inline struct lig_fib_entry *
lig_fib_entry_at(u32 ei)
{
	struct lig_fib_entry *e = &lig_fib_main.entries[ei];
	return e->source ? e : NULL;
}

/* A table deleted while the packet waited in a queued frame has no trie any more: a miss
 * (dropped as no route). */
static inline u32
lig_fib_lookup_lb(u32 fib_index, u32 addr_net)
{
	const struct lig_fib_mtrie *m = &lig_fib_main.tables[fib_index].mtrie;
	const u32 *root = __atomic_load_n(&m->root, __ATOMIC_ACQUIRE);

	if (lig_unlikely(!root))
		return LIG_FIB_LB_INDEX_MISS;
	return lig_fib_mtrie_lookup_root(m, root, lig_bswap32(addr_net));
}

/* Picks the adjacency of a load-balance for a flow hash. */
static inline u32
lig_fib_lb_pick(u32 lb_index, u32 hash)
{
	const struct lig_fib_lb *lb = lig_fib_lb_get(lb_index);
	return lb->buckets[hash & lb->mask];
}

/* Finds or creates the neighbour adjacency (sw_if_index, nh) with one more reference;
 * returns its index or LIG_INVALID_INDEX when out of memory. */
u32 lig_adj_nbr_add_or_lock(u32 sw_if_index, u32 nh);
/* Finds or creates the glean adjacency of an interface, with one more reference. */
u32 lig_adj_glean_add_or_lock(u32 sw_if_index);
void lig_adj_unlock(u32 adj_index);
/* The neighbour adjacency (sw_if_index, nh), or LIG_INVALID_INDEX. */
u32 lig_adj_nbr_find(u32 sw_if_index, u32 nh);
/* Writes the rewrite of a neighbour adjacency (mac NULL: incomplete again). */
void lig_adj_nbr_update(u32 adj_index, const u8 *mac);

/* -------- Interface IPv4 configuration -------- */

#define LIG_IP4_IF_MAX_ADDRS 8

struct lig_ip4_if_addr {
	u32 addr; /* network order */
	u8 len;
};

struct lig_ip4_if {
	u32 fib_index;
	u8 n_addrs;
	u8 proxy_arp; /* answer ARP for destinations routed out of other interfaces */
	struct lig_ip4_if_addr addrs[LIG_IP4_IF_MAX_ADDRS];
};

struct lig_ip4_main {
	struct lig_ip4_if ifs[4096]; /* indexed by sw_if_index (LIG_IF_MAX) */
	u32 lookup_node_index;
	u32 local_node_index;
	u32 icmp_error_node_index;
	u32 output_node_index;
	/* UDP ports ip4-local hands to other nodes (VXLAN): dst port (host order) -> arc. */
	u16 udp_port[4];
	u16 udp_next[4];
	u32 n_udp;
	u16 ip_id;
};
extern struct lig_ip4_main lig_ip4_main;

/* Adds or deletes addr/len on an interface, with its connected and local routes in the
 * interface's table. Returns 0, -ENOENT (no interface / address), -EEXIST (address taken
 * in this VRF), -EADDRINUSE (the subnet is another interface's in this VRF), -ENOSPC,
 * -EINVAL (length 0 or above 32). */
int lig_ip4_add_del_interface_address(u32 sw_if_index, u32 addr, u8 len, bool is_add);
/* Binds an interface to table_id; returns 0, -ENOENT (no interface or table),
 * -EBUSY (the interface has addresses: remove them first, as VPP). */
int lig_ip4_set_interface_table(u32 sw_if_index, u32 table_id);
/* The interface's address on the subnet holding ip (or its first address when none is),
 * network order; 0 when it has none. */
u32 lig_ip4_interface_source(u32 sw_if_index, u32 ip_net);
/* True when ip is one of the interface's subnets (not a local address). */
bool lig_ip4_interface_on_subnet(u32 sw_if_index, u32 ip_net);
/* True when ip is one of the interface's own addresses. */
bool lig_ip4_interface_is_local(u32 sw_if_index, u32 ip_net);
/* The interface of VRF fib_index, other than except, that has address addr (network
 * order); LIG_INVALID_INDEX when none. */
u32 lig_ip4_address_owner(u32 fib_index, u32 addr, u32 except);
/* ip4's interface event handler (ip4 init subscribes it): a deleted interface loses its
 * addresses, and so their routes. */
void lig_ip4_if_event(struct lig_interface *ifp, enum lig_if_event ev, void *ctx);

/* Registers node_name as the handler of UDP dst_port (host order) for local packets;
 * call from an init function after ip4's. Returns 0 or -errno. */
int lig_ip4_register_udp_port(u16 dst_port, const char *node_name);

/* -------- Input features (VPP's ip4-unicast arc) -------- */

/*
 * Nodes that see IPv4 packets between ip4-input and ip4-lookup on the interfaces that
 * enable them (NAT44, ACLs), lowest order first. A module registers its node from its init
 * (after ip4's), enables it per interface from the control plane (under the barrier), and
 * its node sends each packet on through the arc lig_ip4_feature_next() returns: the next
 * feature enabled on the packet's rx interface, or ip4-lookup.
 */
#define LIG_IP4_MAX_FEATURES 8

struct lig_ip4_features {
	u32 n;
	u32 node_index[LIG_IP4_MAX_FEATURES];
	u32 order[LIG_IP4_MAX_FEATURES];
	/* arc[from][to]: from 0 (ip4-input) or feature f + 1, to feature g or to
	 * LIG_IP4_MAX_FEATURES (ip4-lookup). */
	u16 arc[LIG_IP4_MAX_FEATURES + 1][LIG_IP4_MAX_FEATURES + 1];
	u8 enabled[LIG_IF_MAX]; /* bit f: feature f on the interface */
};
extern struct lig_ip4_features lig_ip4_features;

/* Registers node_name as an input feature; returns its feature index (>= 0), -ENOENT (no
 * such node), -ENOSPC, -ENOMEM. Call from an init function after ip4's. */
int lig_ip4_feature_register(const char *node_name, u32 order);
/* Enables or disables feature on an interface; 0, -ENOENT (no interface), -EINVAL. */
int lig_ip4_feature_enable(u32 sw_if_index, u32 feature, bool enable);

/* The arc, from feature `from` (LIG_IP4_MAX_FEATURES: from ip4-input), to the next
 * feature enabled on sw_if_index (< LIG_IF_MAX), or to ip4-lookup. */
static inline u16
lig_ip4_feature_next(u32 from, u32 sw_if_index)
{
	const struct lig_ip4_features *fm = &lig_ip4_features;
	u32 row = from == LIG_IP4_MAX_FEATURES ? 0 : from + 1, best = LIG_IP4_MAX_FEATURES;
	u32 mine = from == LIG_IP4_MAX_FEATURES ? 0 : fm->order[from];
	u8 m = fm->enabled[sw_if_index];

	for (u32 g = 0; m && g < fm->n; g++) {
		if (!(m & (1u << g)) || g == from)
			continue;
		bool after = from == LIG_IP4_MAX_FEATURES || fm->order[g] > mine ||
			     (fm->order[g] == mine && g > from);
		if (after && (best == LIG_IP4_MAX_FEATURES || fm->order[g] < fm->order[best]))
			best = g;
	}
	return fm->arc[row][best];
}

/* -------- Neighbours (ARP) -------- */

#define LIG_ARP_MAX_NEIGHBORS 16384

struct lig_arp_neighbor {
	u32 sw_if_index;
	u32 ip; /* network order */
	u8 mac[6];
	u8 is_static;
	u8 in_use;
	u64 updated_ns;
};

/* Adds or updates (is_add) or deletes a neighbour. A static entry is never replaced by a
 * learned one nor aged. Returns 0, -ENOENT, -EINVAL (multicast/zero MAC), -ENOSPC. */
int lig_arp_neighbor_add_del(u32 sw_if_index, u32 ip, const u8 mac[6], bool is_static, bool is_add);
/* The MAC of a known neighbour, or NULL. The pointer is valid until the neighbour table
 * next changes. */
const u8 *lig_arp_neighbor_mac(u32 sw_if_index, u32 ip);
/* Removes every neighbour (and held packet) of an interface, with their host routes. */
void lig_arp_if_flush(u32 sw_if_index);
/* Removes dynamic entries not refreshed for more than age_ns; returns how many. */
u32 lig_arp_age(u64 now_ns, u64 age_ns);
/* Neighbour aging in seconds (0: never), LIG_ARP_AGE_DEFAULT at start. */
#define LIG_ARP_AGE_DEFAULT 300
extern u32 lig_arp_age_seconds;
/* Proxy ARP on an interface (off by default): requests for addresses that the
 * interface's VRF routes out of another interface get our MAC. Returns 0 or -ENOENT. */
int lig_arp_proxy_enable_disable(u32 sw_if_index, bool enable);
/* Neighbour i of the table (i < LIG_ARP_MAX_NEIGHBORS: slots are stable while an entry
 * lives, so dumps walk them by index), or NULL when the slot is free. */
const struct lig_arp_neighbor *lig_arp_neighbor_at(u32 i);

/* Between arp.c (the table) and node.c (arp-input, ip4-glean); not for other modules. */
/* Learns or refreshes a neighbour from a received ARP packet (never replaces a static
 * entry); returns 0 or -ENOSPC. */
int lig_arp_neighbor_learn(u32 sw_if_index, u32 ip, const u8 mac[6], u64 now_ns);
/* Gives a known neighbour its host route in its interface's table (pointing at its
 * neighbour adjacency); a stronger route for the /32 is left alone. */
void lig_arp_neighbor_route_add(u32 sw_if_index, u32 ip);
/* Builds an ARP request for target out of sw_if_index from the interface's address on
 * target's subnet; returns the buffer (the caller owns it) or LIG_INVALID_INDEX when
 * the interface is gone, has no address or no buffer is free. */
u32 lig_arp_build_request(u32 sw_if_index, u32 target);
/* Sends held packets for (sw_if_index, ip) to ip4-lookup after it resolved. */
void lig_ip4_glean_release(u32 sw_if_index, u32 ip);
/* Frees what the glean node holds for an interface (deleted). */
void lig_ip4_glean_flush(u32 sw_if_index);
/* The glean table (arp init calls it); 0 or -ENOMEM. */
int lig_ip4_glean_init(void);
/* Every 100 ms (arp's timer): asks again for pending neighbours, drops the packets held
 * for silent ones. Returns true when it queued requests (dispatch them). */
bool lig_ip4_glean_timer(u64 now_ns);
/* Whether any packet waits for a neighbour (read under the pending table's lock: the
 * ARP timer asks before it parks the workers). */
bool lig_ip4_glean_any_pending(void);

/* -------- ping -------- */

struct lig_ip4_ping_result {
	bool got_reply;
	u8 type; /* LIG_ICMP4_ECHO_REPLY, or the ICMP error that came back */
	u8 ttl;
	u32 src; /* who answered, network order */
	u32 length;
	u64 rtt_ns;
};

/* The source address for a ping to dst in fib_index: the given interface's
 * (LIG_INVALID_INDEX: that of the interface the route to dst leaves by); 0 if none. */
u32 lig_ip4_ping_source(u32 fib_index, u32 dst, u32 src_sw_if_index);
/* A run of pings to dst with identifier id: between begin and end, an echo reply to any
 * request of the run is recorded, also one that comes after its own wait ended (a first
 * request held while ARP resolves, a slow path), as ping(8) counts late replies. */
#define LIG_IP4_PING_MAX_SEQ 1024
void lig_ip4_ping_begin(u16 id, u32 dst);
void lig_ip4_ping_end(void);
/* Whether an echo reply to request seq (< LIG_IP4_PING_MAX_SEQ) of the run came back. */
bool lig_ip4_ping_seen(u16 seq);
/* Within a run: sends request seq and keeps the graph running until its reply or
 * deadline_ns; *r says what came back. Returns 0 or -ENOBUFS. */
int lig_ip4_ping_one(u32 fib_index, u32 src, u32 dst, u16 seq, u8 ttl, u64 deadline_ns,
		     struct lig_ip4_ping_result *r);
/* Keeps the graph running (forwarding goes on) until deadline_ns. */
void lig_ip4_run_until(u64 deadline_ns);
/* ip4-local calls this for echo replies and ICMP errors addressed to us. */
void lig_ip4_ping_reply(const struct lig_ip4_header *ip, const struct lig_icmp4_header *icmp,
			u32 length);

/* The buffer's ip4 feature flags (b->ip4.flags, src/vlib/buffer.h). */
#define LIG_IP4_BUF_LOCAL_ORIGIN 0x1 /* built by ligd: no TTL decrement at rewrite */

#endif

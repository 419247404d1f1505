/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NAT44 endpoint-dependent (VPP's nat44-ed): source NAT of inside hosts to a pool of
 * outside addresses, static mappings (1:1 addresses, or one protocol's port) and
 * load-balancing static mappings (a service address over backends chosen by probability
 * per new flow, optionally sticky per client for some seconds), hairpinning, and
 * forwarding of what matches nothing.
 *
 * Where it sits: two IPv4 input features (src/ip4 lig_ip4_feature_*): nat44-ed-in2out on
 * interfaces marked inside, nat44-ed-out2in on those marked outside, between ip4-input
 * and ip4-lookup. Both look a packet's 5-tuple up in the running thread's session table,
 * which holds two keys per session: the flow as its initiator sent it (forward) and the
 * reply as it arrives after translation (reverse). So a session is found whichever side
 * a packet comes from, and hairpinned flows (inside -> service -> inside) need nothing
 * more.
 *
 * Files: nat44.c (configuration: pool, mappings, interfaces, timeouts; the per-thread
 * session tables and their functions), node.c (the two nodes, translation, checksums,
 * ICMP errors), api.h/api.c (messages and handlers), cli.c (VPP's commands, show,
 * running-config).
 *
 * Threads: configuration is changed by main under the barrier (every API handler runs
 * under it) and only read by the nodes. Sessions are per thread, created and freed only by
 * the thread that owns the table (main reads or frees them only under the barrier: show,
 * deleting a mapping or an address). With two workers or more, the nodes first hand each
 * packet to the worker that owns its flow (node.c nat44_owner: the remote endpoint's
 * address), so both directions of a session meet in one table. Dynamic ports are split
 * between threads (each owns a range of whole bitmap words), so threads never write the
 * same word.
 */
#ifndef LIG_NAT44_H
#define LIG_NAT44_H

#include "../infra/hash64.h"
#include "../infra/lig_common.h"

#define LIG_NAT44_MAX_ADDRESSES 256
#define LIG_NAT44_MAX_STATIC 4096 /* static and load-balancing mappings together */
#define LIG_NAT44_LB_MAX_LOCALS 16
#define LIG_NAT44_PORT_MIN 1024 /* dynamic ports: 1024..65535 */
#define LIG_NAT44_SESSIONS_DEFAULT 65536
#define LIG_NAT44_SESSIONS_MIN 64
#define LIG_NAT44_SESSIONS_MAX (4u << 20)
#define LIG_NAT44_AFFINITY_SLOTS 4096 /* per thread, direct-mapped */

/* Timeouts in seconds, VPP's defaults. */
#define LIG_NAT44_TIMEOUT_UDP 300
#define LIG_NAT44_TIMEOUT_TCP_ESTABLISHED 7440
#define LIG_NAT44_TIMEOUT_TCP_TRANSITORY 240
#define LIG_NAT44_TIMEOUT_ICMP 60

/* Protocol slots of the port pools. */
enum lig_nat44_proto {
	LIG_NAT44_PROTO_TCP,
	LIG_NAT44_PROTO_UDP,
	LIG_NAT44_PROTO_ICMP,
	LIG_NAT44_N_PROTO,
};

/* Timeout classes: one LRU list each. */
enum lig_nat44_timeout_class {
	LIG_NAT44_TC_TCP_TRANS,
	LIG_NAT44_TC_TCP_EST,
	LIG_NAT44_TC_UDP,
	LIG_NAT44_TC_ICMP,
	LIG_NAT44_N_TC,
};

/* Interface roles (bits). */
#define LIG_NAT44_IF_INSIDE 0x1
#define LIG_NAT44_IF_OUTSIDE 0x2

/* A pool address: per protocol, a bitmap of the dynamic ports in use. A thread only
 * touches the words of its own port range (ranges are whole words). */
struct lig_nat44_address {
	u32 addr;		      /* network order */
	u64 *busy[LIG_NAT44_N_PROTO]; /* 65536 bits each */
	/* Ports in use per thread (each writes its own row), so an exhausted address is
	 * skipped without scanning its bitmap. */
	u32 used[32][LIG_NAT44_N_PROTO]; /* LIG_THREAD_MAX */
};

struct lig_nat44_lb_local {
	u32 addr;	/* network order */
	u16 port;	/* host order */
	u8 probability; /* 1..100 */
	u8 pad;
};

/* A static mapping (n_locals 0: local_addr/local_port) or a load-balancing one. */
struct lig_nat44_static {
	u8 in_use;
	u8 proto; /* IP protocol (1, 6, 17); 0: address only (every protocol, ports kept) */
	u8 is_lb;
	u8 n_locals;  /* LB: backends */
	u32 ext_addr; /* network order */
	u16 ext_port; /* host order; 0 with address-only */
	u16 local_port;
	u32 local_addr;
	u32 affinity; /* LB: seconds a client sticks to its backend; 0: per flow only */
	u32 prob_total;
	struct lig_nat44_lb_local locals[LIG_NAT44_LB_MAX_LOCALS];
};

/* Session flags. */
#define LIG_NAT44_S_DYNAMIC_PORT 0x1 /* t_sport came from pool address addr_index */
#define LIG_NAT44_S_STATIC 0x2	     /* made by a static or LB mapping (static_index) */
#define LIG_NAT44_S_HAIRPIN 0x4	     /* inside -> service -> inside (source translated too) */
#define LIG_NAT44_S_OUT2IN 0x8	     /* initiated from the outside */

/* TCP state bits. */
#define LIG_NAT44_TCP_SYN_F 0x01 /* SYN from the initiator */
#define LIG_NAT44_TCP_SYN_R 0x02 /* SYN(+ACK) from the responder */
#define LIG_NAT44_TCP_FIN_F 0x04
#define LIG_NAT44_TCP_FIN_R 0x08
#define LIG_NAT44_TCP_RST 0x10
#define LIG_NAT44_TCP_ESTABLISHED 0x20 /* both SYNs and an ACK from the initiator */

/*
 * A session: the forward tuple f (as the initiator sent it) and its translation t. Keys:
 * forward (f_src, f_dst, f_sport, f_dport, proto) and reverse (t_dst, t_src, t_dport,
 * t_sport, proto). A forward packet is rewritten to t, a reverse one to the reverse of f.
 * ICMP echo uses the identifier as both ports. Addresses in network order, ports in host
 * order.
 */
struct lig_nat44_session {
	u32 f_src, f_dst, t_src, t_dst;
	u16 f_sport, f_dport, t_sport, t_dport;
	u8 proto;
	u8 flags;     /* LIG_NAT44_S_* */
	u8 tcp_state; /* LIG_NAT44_TCP_* */
	u8 tc;	      /* enum lig_nat44_timeout_class; 0xff: free */
	u16 addr_index;
	u16 static_index; /* with LIG_NAT44_S_STATIC */
	u32 lru_prev, lru_next;
	u64 last_ns;
	u64 lru_ns; /* when it last moved to its list's tail */
	u64 packets_f, packets_r;
};

/* One slot of the session hash: the key's hash and session << 1 | reverse. */
struct lig_nat44_slot {
	u32 hash;
	u32 value; /* LIG_INVALID_INDEX: empty */
};

struct lig_nat44_affinity {
	u32 client; /* network order */
	u16 static_index;
	u8 local; /* backend index */
	u8 in_use;
	u64 expires_ns;
};

/* Counters of one thread's table (the nodes' drops are error counters: show errors). */
struct lig_nat44_thread_stats {
	u64 created;
	u64 expired;
	u64 deleted; /* by the control plane, or closed TCP reused */
	u64 table_full;
};

struct lig_nat44_thread {
	struct lig_nat44_session *sessions; /* max */
	u32 max;
	u32 n_sessions;
	u32 *free; /* stack of free session indices */
	u32 n_free;
	struct lig_nat44_slot *slots; /* mask + 1, at least 4 x max */
	u32 mask;
	u32 lru_head[LIG_NAT44_N_TC], lru_tail[LIG_NAT44_N_TC];
	u16 port_lo, port_hi; /* this thread's dynamic ports: [lo, hi) */
	u16 port_next[LIG_NAT44_N_PROTO];
	u64 rng;
	struct lig_nat44_affinity *affinity; /* LIG_NAT44_AFFINITY_SLOTS */
	/* Sessions by pool address (dynamic ports) and by static mapping: deleting one
	 * that no session uses walks nothing under the barrier. */
	u32 *n_by_addr;	  /* LIG_NAT44_MAX_ADDRESSES */
	u32 *n_by_static; /* LIG_NAT44_MAX_STATIC */
	struct lig_nat44_thread_stats stats;
};

struct lig_nat44_main {
	bool enabled;
	bool forwarding;
	u32 max_sessions; /* per thread */
	u32 n_threads;
	u32 timeout_s[LIG_NAT44_N_TC];
	u64 timeout_ns[LIG_NAT44_N_TC];
	u8 if_flags[4096]; /* LIG_IF_MAX: LIG_NAT44_IF_* */
	struct lig_nat44_address addresses[LIG_NAT44_MAX_ADDRESSES];
	u32 n_addresses;
	struct lig_nat44_static statics[LIG_NAT44_MAX_STATIC];
	u32 n_statics; /* in use */
	/* (addr << 32 | port << 16 | proto) -> static index; address-only: port and proto 0 */
	struct lig_hash64 by_external;
	struct lig_hash64 by_local;	  /* static (non-LB) mappings by their local end */
	struct lig_nat44_thread *threads; /* n_threads */
	u32 port_words;			  /* bitmap words of dynamic ports per thread */
	int feature_in2out, feature_out2in;
};
extern struct lig_nat44_main lig_nat44_main;

static inline u64
lig_nat44_static_key(u32 addr, u16 port, u8 proto)
{
	return (u64)addr << 32 | (u64)port << 16 | proto;
}

static inline int
lig_nat44_proto_slot(u8 ip_proto)
{
	return ip_proto == 6	? LIG_NAT44_PROTO_TCP
	       : ip_proto == 17 ? LIG_NAT44_PROTO_UDP
	       : ip_proto == 1	? LIG_NAT44_PROTO_ICMP
				: -1;
}

/* ---- Configuration (main thread, under the barrier; 0 or -errno) ---- */

/* Enables NAT44 with max_sessions per thread (0: the default): allocates every thread's
 * table. -EINVAL (out of LIG_NAT44_SESSIONS_MIN..MAX), -EBUSY (already enabled with
 * another size), -ENOMEM. Enabling again with the same size is a no-op. Main, without
 * the barrier (or with it): the tables are built first, the barrier taken only to
 * publish them. */
int lig_nat44_enable(u32 max_sessions);
/* Disables NAT44: features off on every interface, every session, address and mapping
 * gone. -ENOENT when not enabled. Main, with or without the barrier: it takes it, and
 * the tables are freed after its release. */
int lig_nat44_disable(void);
/* Marks an interface inside or outside (or clears it). -ENOENT (no interface), -ENXIO
 * (not enabled), -EEXIST (add: already in the other role), -ENODATA (del: not in it). */
int lig_nat44_interface_set(u32 sw_if_index, bool inside, bool is_add);
/* Adds or deletes first..last (network order, first <= last, at most
 * LIG_NAT44_MAX_ADDRESSES together). Deleting frees the sessions using them. -EINVAL,
 * -EEXIST (add: one is in the pool), -ENOENT (del: one is not), -ENOSPC, -ENXIO. */
int lig_nat44_address_add_del(u32 first, u32 last, bool is_add);
/* Adds or deletes a static mapping: proto 0 (address only) or 1/6/17 with ports (host
 * order). Deleting frees its sessions. -EINVAL, -EEXIST (the external end, or the local
 * end, is mapped), -ENOENT, -ENOSPC, -ENXIO. */
int lig_nat44_static_add_del(u8 proto, u32 local_addr, u16 local_port, u32 ext_addr, u16 ext_port,
			     bool is_add);
/* Adds or deletes a load-balancing mapping of ext_addr:ext_port (proto 6 or 17) over n
 * backends (2..LIG_NAT44_LB_MAX_LOCALS on add, probabilities 1..100), sticky per client
 * for affinity seconds (0: off). The caller keeps locals. -EINVAL, -EEXIST, -ENOENT,
 * -ENOSPC, -ENXIO. */
int lig_nat44_lb_add_del(u8 proto, u32 ext_addr, u16 ext_port,
			 const struct lig_nat44_lb_local *locals, u32 n, u32 affinity, bool is_add);
/* Out2in packets that match nothing pass untranslated (on) or are dropped (off). */
int lig_nat44_forwarding_set(bool enable);
/* Sets the timeouts (seconds, 1..86400 each; 0 keeps the current value). */
int lig_nat44_timeouts_set(u32 udp, u32 tcp_established, u32 tcp_transitory, u32 icmp);

/* ---- Sessions (the owning thread; main only under the barrier) ---- */

/* The hash of a key. */
u32 lig_nat44_hash(u32 src, u32 dst, u16 sport, u16 dport, u8 proto);
/* Looks a packet's tuple up: returns the session index and sets *reverse, or
 * LIG_INVALID_INDEX. */
u32 lig_nat44_session_lookup(struct lig_nat44_thread *t, u32 src, u32 dst, u16 sport, u16 dport,
			     u8 proto, bool *reverse);
/*
 * Creates a session (f, t as in struct lig_nat44_session; the caller fills them, the
 * proto, flags, addr_index and static_index in *proto_s) at now_ns. Expired sessions are
 * reclaimed first. Returns the index, or LIG_INVALID_INDEX: -ENOSPC (table full, counted)
 * or -EEXIST (a key is taken) in *err.
 */
u32 lig_nat44_session_create(struct lig_nat44_thread *t, const struct lig_nat44_session *proto_s,
			     u64 now_ns, int *err);
/* Frees a session: its keys, its dynamic port. */
void lig_nat44_session_free(struct lig_nat44_thread *t, u32 si);
/* Marks a session used now and moves it to the tail of its class's list (tc may change). */
void lig_nat44_session_touch(struct lig_nat44_thread *t, u32 si, u8 tc, u64 now_ns);
/* Frees up to max sessions idle past their timeout; returns how many. */
u32 lig_nat44_expire(struct lig_nat44_thread *t, u64 now_ns, u32 max);
/* True when the session idled past its timeout (show leaves such out). */
bool lig_nat44_session_expired(const struct lig_nat44_session *s, u64 now_ns);

/* Allocates a dynamic port of proto_slot on pool address ai for thread t, trying want
 * first; returns the port (host order) or 0 when the thread's range is exhausted. */
u16 lig_nat44_port_alloc(struct lig_nat44_thread *t, u32 ai, int proto_slot, u16 want);
void lig_nat44_port_free(u32 ai, int proto_slot, u16 port);

/* The running thread's table (NULL when NAT44 is disabled). */
struct lig_nat44_thread *lig_nat44_thread_get(void);

/* Picks an LB backend for a new flow of client to mapping si (affinity honoured). */
u32 lig_nat44_lb_pick(struct lig_nat44_thread *t, u32 si, u32 client, u64 now_ns);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interfaces: one table indexed by sw_if_index, each entry backed by a device class
 * (af_packet, tap, loopback, memif, vxlan...) that fills struct lig_if_class. The table
 * holds what every interface has: name, MAC, MTU, admin and link state, L2 mode and
 * counters. The datapath reads it through lig_if_get().
 */
#ifndef LIG_INTERFACE_H
#define LIG_INTERFACE_H

#include "../infra/lig_common.h"
#include "../vlib/str.h"
#include "../vlib/thread.h"

#define LIG_IF_MAX 4096
#define LIG_IF_NAME_SIZE 64
#define LIG_IF_TAG_SIZE 64
#define LIG_IF_DEFAULT_MTU 1500

struct lig_interface;

/*
 * A device class: the provider contract every interface driver fills (after OVS's
 * netdev-provider). Members may be NULL where noted. All run on the main thread, under
 * the barrier when workers run (vlib/thread.h), but admin_up_down.
 */
struct lig_if_class {
	const char *name;
	/* Name of the node that transmits this class's packets: it receives frames whose
	 * buffers have sw_if_index[LIG_TX] set to one of the class's interfaces. */
	const char *tx_node_name;
	/* Brings the device up or down (e.g. the host side). NULL: state is ligd's only.
	 * Returns 0 or -errno; on error the state is unchanged. A carrier that follows
	 * (loopback, tunnel) is reported with lig_if_set_link() from here. Runs without the
	 * barrier (workers forwarding): it may change only the device's own side, which
	 * workers do not read; ligd's admin state and the link reported here are applied
	 * after it, under the barrier. */
	int (*admin_up_down)(struct lig_interface *ifp, bool up);
	/* Changes the device MAC; NULL: only ligd's copy changes. Returns 0 or -errno. */
	int (*set_mac)(struct lig_interface *ifp, const u8 mac[6]);
	/* Changes the MTU; NULL: only ligd's copy changes. Returns 0 or -errno. */
	int (*set_mtu)(struct lig_interface *ifp, u32 mtu);
	/* Appends class-specific lines to show hardware-interfaces; may be NULL. */
	void (*format_hw)(struct lig_str *s, const struct lig_interface *ifp);
	/* Releases the device (ifp->dev); the table entry is freed by the caller. */
	void (*destroy)(struct lig_interface *ifp);
};

enum lig_if_tx_offload {
	LIG_IF_TX_CSUM = 1 << 0, /* LIG_BUFFER_CSUM_PARTIAL packets (NEEDS_CSUM) */
	LIG_IF_TX_GSO = 1 << 1,	 /* LIG_BUFFER_GSO TCP super-frames */
};

enum lig_if_mode {
	LIG_IF_MODE_L3 = 0,
	LIG_IF_MODE_BRIDGE,
	LIG_IF_MODE_XCONNECT,
};

/* ligd's largest L3 MTU: a frame of it and its Ethernet header and FCS fits 65535 bytes. */
#define LIG_IF_MTU_MAX (65535 - 18)

/* Counters as in VPP's show interface; drops are packets ligd discarded after rx. */
struct lig_if_counters {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 drops;
	u64 rx_errors;
	u64 tx_errors;
	u64 pad; /* one cache line per thread */
};

/*
 * An interface's L2 mode in one word. Port mode changes (bridge, xconnect, L3) run without
 * the barrier: main publishes a whole new word with lig_if_set_l2() and a worker reads it
 * with one load (lig_if_l2()), so it sees one mode or the other, never a mix of the two.
 */
union lig_if_l2 {
	struct {
		u8 mode; /* enum lig_if_mode */
		u8 bvi;	 /* the BVI of bd_index */
		u8 shg;	 /* split-horizon group */
		u8 pad;
		union {
			u32 bd_index;	    /* mode BRIDGE: internal bridge-domain index */
			u32 xc_sw_if_index; /* mode XCONNECT: the tx interface */
		};
	};
	u64 as_u64;
};

struct lig_interface {
	/* Datapath fields first. */
	u32 sw_if_index;
	u8 admin_up; /* written by lig_if_set_admin() only */
	u8 link_up;  /* carrier, written by lig_if_set_link() only */
	/* LIG_IF_TX_* offloads the device takes, set by its driver at creation; without
	 * them interface-output finishes partial checksums and segments GSO packets. */
	u8 tx_offloads;
	u8 pad;
	/* Written by l2.c only, through lig_if_set_l2(); workers read it with lig_if_l2(). */
	union lig_if_l2 l2;
	u32 mtu;     /* L3 MTU: maximum frame is mtu + 14 (+4 for a VLAN tag) */
	u32 tx_next; /* arc from interface-output to this class's tx node */
	u8 mac[6];
	/* One set per thread (LIG_THREAD_MAX): the datapath adds to its own thread's with
	 * lig_counter_add(&lig_if_counters(ifp)->x, n); lig_if_get_counters() sums them. */
	struct lig_if_counters *thread_counters;
	const struct lig_if_class *class;
	void *dev; /* the driver's instance */
	u32 dev_instance;
	char name[LIG_IF_NAME_SIZE];
	/* A client's name for the interface (vpp-agent's logical name), "" when none:
	 * configuration ligd keeps and reports, never interprets. */
	char tag[LIG_IF_TAG_SIZE];
};

extern struct lig_interface *lig_interfaces[LIG_IF_MAX];

static inline struct lig_interface *
lig_if_get(u32 sw_if_index)
{
	return sw_if_index < LIG_IF_MAX ? lig_interfaces[sw_if_index] : NULL;
}

/* ifp's L2 mode as one load (a worker may run while main changes it). */
static inline union lig_if_l2
lig_if_l2(const struct lig_interface *ifp)
{
	return (union lig_if_l2){.as_u64 = __atomic_load_n(&ifp->l2.as_u64, __ATOMIC_ACQUIRE)};
}

/* Main: publishes ifp's new L2 mode. A worker that loaded the old one may still use it
 * until its pass ends (what the old mode pointed at is freed through lig_rcu_call). */
static inline void
lig_if_set_l2(struct lig_interface *ifp, union lig_if_l2 l2)
{
	__atomic_store_n(&ifp->l2.as_u64, l2.as_u64, __ATOMIC_RELEASE);
}

/* The running thread's counters of ifp, the ones its datapath adds to. */
static inline struct lig_if_counters *
lig_if_counters(struct lig_interface *ifp)
{
	return &ifp->thread_counters[lig_thread_index];
}

/* ifp's counters summed over all threads. Main; no barrier needed (each counter is read
 * whole, while workers may be adding: the sum is not one instant's). */
void lig_if_get_counters(const struct lig_interface *ifp, struct lig_if_counters *sum);

/* Creates an interface of class with this name and emits ADD; returns it, or NULL with
 * errno (EEXIST name taken, ENOSPC table full, ENOENT class tx node missing). */
struct lig_interface *lig_if_create(const struct lig_if_class *class, const char *name, void *dev,
				    const u8 mac[6]);
/* Emits DELETE (subscribers drop their state for it: bridge port, addresses, neighbours),
 * removes the table entry, calls class->destroy and frees the entry. Returns 0 or -ENOENT. */
int lig_if_delete(u32 sw_if_index);

struct lig_interface *lig_if_by_name(const char *name);
/* Zeroes every interface's counters (clear interfaces). */
void lig_if_clear_counters(void);
/* Set admin state, MAC, MTU: call the class's hook, then store the value and emit ADMIN,
 * MAC or MTU if it changed. Return 0, -ENOENT, -EINVAL or the hook's -errno (then
 * nothing changed and nothing is emitted). A LINK change the class's admin hook reports
 * (lig_if_set_link) is emitted after the ADMIN event that caused it. */
int lig_if_set_admin(u32 sw_if_index, bool up);
int lig_if_set_mac(u32 sw_if_index, const u8 mac[6]);
int lig_if_set_mtu(u32 sw_if_index, u32 mtu);
/* Sets the interface's tag (NULL or "": clears it). Returns 0, -ENOENT, or -EINVAL when
 * the tag is LIG_IF_TAG_SIZE bytes or longer or has a byte outside printable ASCII
 * (0x20..0x7e) or a '"' (so the CLI can always quote it). No event: a tag is not state. */
int lig_if_set_tag(u32 sw_if_index, const char *tag);
/* Fills mac with a locally administered address unique in this ligd. */
void lig_if_random_mac(u8 mac[6]);

/*
 * Interface events. Modules subscribe from their init function (see vlib/module.h), so
 * subscription order is module order: a module is subscribed after the modules it
 * depends on. Events are delivered on ligd's one thread, synchronously, from the
 * function that made the change; ifp->... already holds the new value.
 */
enum lig_if_event {
	LIG_IF_EVENT_ADD,    /* created: the table entry exists */
	LIG_IF_EVENT_DELETE, /* being deleted: the entry still exists, for the last time */
	LIG_IF_EVENT_ADMIN,  /* ifp->admin_up changed */
	LIG_IF_EVENT_LINK,   /* ifp->link_up (carrier) changed */
	LIG_IF_EVENT_MAC,    /* ifp->mac changed */
	LIG_IF_EVENT_MTU,    /* ifp->mtu changed */
};
#define LIG_IF_N_EVENTS (LIG_IF_EVENT_MTU + 1)

/* ctx is the one given to lig_if_subscribe. A handler may change other interfaces (their
 * events nest) but must not delete ifp nor subscribe or unsubscribe. */
typedef void(lig_if_event_fn_t)(struct lig_interface *ifp, enum lig_if_event ev, void *ctx);

/* Subscribes fn; ADD/ADMIN/LINK/MAC/MTU are delivered in subscription order, DELETE in
 * reverse order (dependents before what they depend on), always after (ADD) / before
 * (DELETE) the table entry exists. who names the subscriber in logs; the caller keeps
 * it (a string literal). No events are replayed for interfaces that already exist.
 * Returns 0 or -errno: -EINVAL (NULL fn or who), -EEXIST (fn with ctx already
 * subscribed), -ENOSPC (LIG_IF_MAX_SUBSCRIBERS reached), -EBUSY (inside a handler). */
#define LIG_IF_MAX_SUBSCRIBERS 32
int lig_if_subscribe(const char *who, lig_if_event_fn_t *fn, void *ctx);
/* Removes the subscription of fn with ctx; returns 0, -ENOENT or -EBUSY (inside a
 * handler). For tests and modules that stop. */
int lig_if_unsubscribe(lig_if_event_fn_t *fn, void *ctx);
/* Drivers report carrier changes here (never write ifp->link_up directly); emits LINK
 * when it changes. An unknown sw_if_index is ignored (the interface may be going away).
 * Called from the class's admin_up_down hook, the change is applied (and emitted) only
 * after the admin change and its ADMIN event. */
void lig_if_set_link(u32 sw_if_index, bool up);
/* "add", "delete", "admin", "link", "mac", "mtu". */
const char *lig_if_event_name(enum lig_if_event ev);

/* Hands a buffer to interface-output for transmission on sw_if_index[LIG_TX]. */
u32 lig_if_output_node_index(void);

struct lig_cli_input;
/* Parses an interface name; false if the next word is not one. */
bool lig_cli_interface(struct lig_cli_input *in, u32 *sw_if_index);
/* The same, or an error written to out: 0, or -EINVAL with *sw_if_index LIG_INVALID_INDEX. */
int lig_cli_expect_interface(struct lig_cli_input *in, struct lig_str *out, u32 *sw_if_index);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * liblignl: Linux configuration for ligd (a tap's host side, an af_packet host link) and
 * lig-agent (its Linux side). Network namespaces, links (veth pairs, taps, dummies), IPv4
 * addresses, routes and static ARP entries, configured and read back through rtnetlink
 * with libmnl; no ioctls, no `ip`.
 *
 * A handle (struct lig_nl) is one rtnetlink socket created inside one network namespace;
 * every request sent on it acts in that namespace, whichever namespace the calling thread
 * is in later. Opening a handle for another namespace enters it with setns() on the
 * calling thread for the few system calls that create the socket and returns to the
 * caller's namespace before lig_nl_open() returns (so the caller needs CAP_SYS_ADMIN for
 * that, and nothing else of the process ever runs in the other namespace).
 *
 * Conventions: functions return 0 (or a non-negative value they document) or -errno.
 * Every function that talks to the kernel takes err/err_size, a buffer the caller owns
 * (err may be NULL): on failure it receives the kernel's extended ack message when the
 * kernel sent one (verbatim, e.g. "Nexthop has invalid gateway"), otherwise this
 * library's own reason or strerror(); on success err[0] is set to '\0'. Calls are
 * synchronous and bounded by the handle's timeout (-ETIMEDOUT). The library has no
 * threads; a handle must not be used by two threads at once. Structures handed to a
 * callback are valid during that callback only.
 *
 *   char err[256];
 *   int b = lig_netns_open_name("blue");
 *   struct lig_nl *nl = lig_nl_open_name("red");
 *   if (lig_nl_veth_add(nl, "red0", "blue0", b, err, sizeof(err)) < 0)
 *           fprintf(stderr, "veth: %s\n", err);
 */
#ifndef LIG_NL_H
#define LIG_NL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---------------------------------------------------------------------------------------
 * Network namespaces. A namespace is referred to by an fd of it (O_RDONLY, close-on-exec).
 * Named namespaces are the files `ip netns` makes: /run/netns/<name>, bind mounts of a
 * namespace.
 */

/* The directory of named namespaces. */
#define LIG_NETNS_RUN_DIR "/run/netns"

/* How a namespace is referred to (vpp-agent's NetNamespace.ReferenceType, same numbers). */
enum lig_netns_ref_type {
	LIG_NETNS_REF_CURRENT = 0, /* the caller's own (vpp-agent: UNDEFINED) */
	LIG_NETNS_REF_NAME = 1,	   /* reference: a name in /run/netns (vpp-agent: NSID) */
	LIG_NETNS_REF_PID = 2,	   /* reference: a process id in decimal */
	LIG_NETNS_REF_PATH = 3,	   /* reference: a path to a namespace file (vpp-agent: FD) */
};

/* A valid name: 1..NAME_MAX-1 bytes, no '/', not "." or "..". */
bool lig_netns_name_valid(const char *name);
/* Each returns a new fd the caller owns, or -errno (-ENOENT: no such namespace; -EINVAL:
 * a bad name, pid or type, or a file that is not a network namespace). */
int lig_netns_open_name(const char *name);
int lig_netns_open_pid(pid_t pid);
int lig_netns_open_path(const char *path);
int lig_netns_open_current(void);
int lig_netns_open_ref(enum lig_netns_ref_type type, const char *reference);
/* 1 when both fds are the same namespace, 0 when not, -errno. */
int lig_netns_same(int fd_a, int fd_b);
/*
 * Creates a named namespace as `ip netns add` does (the shared /run/netns mount, a bind
 * mount of a new namespace on /run/netns/<name>); its loopback is down. -EEXIST when the
 * name is taken. The calling thread is back in its own namespace on return.
 */
int lig_netns_create(const char *name);
/* Removes the name as `ip netns delete` does (lazy unmount, unlink); the namespace itself
 * goes when its last user (process, fd, handle) does. -ENOENT when there is no such name. */
int lig_netns_delete(const char *name);

/* ---------------------------------------------------------------------------------------
 * Handles.
 */
struct lig_nl;

/*
 * Opens a handle in the namespace of netns_fd (the caller keeps its fd; the handle keeps a
 * duplicate), or in the caller's current namespace when netns_fd < 0. NULL with errno.
 */
struct lig_nl *lig_nl_open(int netns_fd);
/* The same by name; NULL or "" is the caller's current namespace. */
struct lig_nl *lig_nl_open_name(const char *name);
/* The same by vpp-agent style reference. */
struct lig_nl *lig_nl_open_ref(enum lig_netns_ref_type type, const char *reference);
/* Closes the sockets and the namespace fd; accepts NULL. */
void lig_nl_close(struct lig_nl *nl);
/* The handle's namespace as an fd (owned by the handle, valid until lig_nl_close), for
 * moving links there or creating a veth peer there from another handle. */
int lig_nl_netns_fd(const struct lig_nl *nl);
/* The name the handle was opened with ("" when opened by fd, pid or path, or current). */
const char *lig_nl_netns_name(const struct lig_nl *nl);
/* Bounds each wait for the kernel's answer (default 5000 ms; <= 0: no limit). */
void lig_nl_set_timeout(struct lig_nl *nl, int timeout_ms);

/*
 * Network namespace ids (the kernel's per-namespace numbering of other namespaces, which
 * a veth end reports for its peer's namespace). lig_nl_nsid_get returns the id nl's
 * namespace has for netns_fd's namespace, or -ENOENT when none is assigned.
 * lig_nl_nsid_set assigns one (nsid < 0: the kernel picks); returns the id now assigned.
 */
int lig_nl_nsid_get(struct lig_nl *nl, int netns_fd, char *err, size_t err_size);
int lig_nl_nsid_set(struct lig_nl *nl, int netns_fd, int nsid, char *err, size_t err_size);
/* The named namespace (in /run/netns) that nl's namespace knows as nsid: returns a new fd
 * of it and copies its name into name (may be NULL), or -ENOENT. */
int lig_nl_netns_open_nsid(struct lig_nl *nl, int nsid, char *name, size_t name_size, char *err,
			   size_t err_size);
/* A handle in the named namespace that nl's namespace knows as nsid (a veth peer's
 * link_nsid), named as it is in /run/netns. NULL with errno and the reason in err. */
struct lig_nl *lig_nl_open_nsid(struct lig_nl *nl, int nsid, char *err, size_t err_size);

/* ---------------------------------------------------------------------------------------
 * Links.
 */
enum lig_nl_link_type {
	LIG_NL_LINK_OTHER = 0,
	LIG_NL_LINK_LOOPBACK, /* ARPHRD_LOOPBACK */
	LIG_NL_LINK_VETH,     /* kind "veth" */
	LIG_NL_LINK_TUN,      /* kind "tun" in tun (layer 3) mode, or mode not reported */
	LIG_NL_LINK_TAP,      /* kind "tun" in tap (ethernet) mode: what ligd's taps are */
	LIG_NL_LINK_DUMMY,    /* kind "dummy" */
};

#define LIG_NL_HWADDR_MAX 32 /* the kernel's MAX_ADDR_LEN */
#define LIG_NL_ALIAS_MAX 256 /* the kernel's IFALIASZ: an alias is at most 255 bytes */

struct lig_nl_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[16]; /* IFLA_INFO_KIND as the kernel says it ("veth", "tun"), "" when none */
	enum lig_nl_link_type type;
	uint16_t arptype; /* ifi_type: ARPHRD_ETHER, ARPHRD_LOOPBACK, ... */
	/* IFLA_LINK: for a veth, the peer's ifindex in the peer's namespace; 0 when none. */
	int link_ifindex;
	/* IFLA_LINK_NETNSID: the id (see lig_nl_nsid_get) of the namespace link_ifindex is in;
	 * -1 when it is this one. */
	int link_nsid;
	int master_ifindex; /* IFLA_MASTER, 0 when none */
	uint32_t mtu;
	uint8_t hwaddr[LIG_NL_HWADDR_MAX];
	uint8_t hwaddr_len; /* 6 for ethernet; 0 when the link has none */
	uint32_t flags;	    /* ifi_flags: IFF_UP, IFF_RUNNING, IFF_LOOPBACK, ... */
	uint8_t operstate;  /* IF_OPER_*; IF_OPER_UNKNOWN when not reported */
	bool up;	    /* IFF_UP: administratively up */
	bool running;	    /* IFF_RUNNING: operationally up (carrier) */
	const char *netns;  /* the handle's namespace name (lig_nl_netns_name) */
	/* IFLA_IFALIAS (`ip link set dev X alias A`), "" when none. lig-agent marks the links it
	 * made with one, as vpp-agent does. */
	char alias[LIG_NL_ALIAS_MAX];
};

typedef int (*lig_nl_link_cb)(const struct lig_nl_link *link, void *arg);

/* Every link of the namespace, in the kernel's order. cb returns 0 to go on or a negative
 * value to stop: the dump is still read to its end and that value returned. A dump the
 * kernel marks interrupted (the set changed meanwhile) returns -EINTR after the last
 * entry: dump again. Entries that fail to parse are skipped and make it return -EBADMSG.
 * The same holds for every dump below. */
int lig_nl_link_dump(struct lig_nl *nl, lig_nl_link_cb cb, void *arg, char *err, size_t err_size);
/* One link by ifindex (> 0) or else by name; -ENODEV when there is none. */
int lig_nl_link_get(struct lig_nl *nl, int ifindex, const char *name, struct lig_nl_link *out,
		    char *err, size_t err_size);
/* The ifindex of the link named name, or -ENODEV. */
int lig_nl_link_index(struct lig_nl *nl, const char *name, char *err, size_t err_size);

/*
 * Creates a veth pair: name in nl's namespace and peer_name in the namespace of
 * peer_netns_fd (< 0: nl's namespace too), both down. -EEXIST when either name is taken
 * in its namespace.
 */
int lig_nl_veth_add(struct lig_nl *nl, const char *name, const char *peer_name, int peer_netns_fd,
		    char *err, size_t err_size);
/* Creates a dummy link (down). */
int lig_nl_dummy_add(struct lig_nl *nl, const char *name, char *err, size_t err_size);
/* Deletes a link (a veth's peer goes with it). */
int lig_nl_link_del(struct lig_nl *nl, int ifindex, char *err, size_t err_size);
/*
 * Moves a link into the namespace of netns_fd, renaming it to new_name on the way when
 * new_name is not NULL (so a name taken here but free there, or the other way, is no
 * obstacle). The link usually keeps its ifindex, but not when that index is taken there:
 * look it up by name through a handle of that namespace. The kernel sets it down.
 */
int lig_nl_link_set_netns(struct lig_nl *nl, int ifindex, int netns_fd, const char *new_name,
			  char *err, size_t err_size);
int lig_nl_link_set_up(struct lig_nl *nl, int ifindex, bool up, char *err, size_t err_size);
int lig_nl_link_set_mtu(struct lig_nl *nl, int ifindex, uint32_t mtu, char *err, size_t err_size);
/* Enslaves a link to master_ifindex (a Linux bridge, a bond, a VRF device: ligd's tap
 * host-bridge); 0 releases it. The kernel refuses a master that is no such device. */
int lig_nl_link_set_master(struct lig_nl *nl, int ifindex, int master_ifindex, char *err,
			   size_t err_size);
/* Sets the hardware address (6 bytes for ethernet links). */
int lig_nl_link_set_hwaddr(struct lig_nl *nl, int ifindex, const uint8_t *addr, size_t addr_len,
			   char *err, size_t err_size);
/* Sets the link's alias (IFLA_IFALIAS): 0..255 bytes of text, "" removes it. */
int lig_nl_link_set_alias(struct lig_nl *nl, int ifindex, const char *alias, char *err,
			  size_t err_size);
/* Renames a link. The kernel refuses to rename most links while up (-EBUSY). */
int lig_nl_link_set_name(struct lig_nl *nl, int ifindex, const char *name, char *err,
			 size_t err_size);
/*
 * Waits until a link named name exists in nl's namespace (a tap that ligd creates, a veth
 * end another process moves in), at most timeout_ms (0: just look; < 0: no limit). Fills
 * out (may be NULL) and returns its ifindex, or -ETIMEDOUT. Uses a link event socket of
 * its own for the wait, closed on return.
 */
int lig_nl_link_wait(struct lig_nl *nl, const char *name, int timeout_ms, struct lig_nl_link *out,
		     char *err, size_t err_size);

/*
 * Checksum offloading (vpp-agent's VethLink rx/tx_checksum_offloading), through the
 * kernel's ethtool generic netlink family (kernel 5.6 or later; -EOPNOTSUPP before). rx is
 * the feature "rx-checksum"; tx the transmit checksum features "tx-checksum-ipv4",
 * "tx-checksum-ip-generic" and "tx-checksum-ipv6" together (as `ethtool -K dev tx`), on when
 * any is. The handle opens a generic netlink socket in its namespace at first use.
 */
struct lig_nl_csum {
	bool rx, tx;		 /* active */
	bool rx_fixed, tx_fixed; /* the driver does not let it change */
};
int lig_nl_link_get_csum(struct lig_nl *nl, int ifindex, struct lig_nl_csum *out, char *err,
			 size_t err_size);
/* rx, tx: 1 on, 0 off, -1 leave as is. Reads the result back: -EOPNOTSUPP with the reason
 * when the driver kept a setting other than the one asked for. */
int lig_nl_link_set_csum(struct lig_nl *nl, int ifindex, int rx, int tx, char *err,
			 size_t err_size);

/* ---------------------------------------------------------------------------------------
 * IPv4 addresses.
 */
struct lig_nl_addr {
	int ifindex;
	uint8_t prefixlen;
	struct in_addr local;	/* IFA_LOCAL: the address itself */
	struct in_addr address; /* IFA_ADDRESS: the same, or the peer on point-to-point links */
	struct in_addr broadcast;
	bool has_broadcast;
	uint8_t scope;	/* RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, RT_SCOPE_HOST (e.g. 127.0.0.1) */
	uint32_t flags; /* IFA_F_* (IFA_F_PERMANENT for configured ones) */
	char label[IFNAMSIZ];
};
typedef int (*lig_nl_addr_cb)(const struct lig_nl_addr *addr, void *arg);

/* Adds addr/prefixlen (0..32) to a link, with the broadcast address of the prefix for
 * prefixes up to /30 (as configuration tools do). -EEXIST when it is there already. */
int lig_nl_addr_add(struct lig_nl *nl, int ifindex, struct in_addr addr, uint8_t prefixlen,
		    char *err, size_t err_size);
int lig_nl_addr_del(struct lig_nl *nl, int ifindex, struct in_addr addr, uint8_t prefixlen,
		    char *err, size_t err_size);
/* The IPv4 addresses of one link (ifindex > 0) or of all (0). */
int lig_nl_addr_dump(struct lig_nl *nl, int ifindex, lig_nl_addr_cb cb, void *arg, char *err,
		     size_t err_size);

/* ---------------------------------------------------------------------------------------
 * IPv4 routes.
 */
/* Route scopes, numbered as vpp-agent's linux Route.Scope. */
enum lig_nl_scope {
	LIG_NL_SCOPE_AUTO = 0, /* adding: LINK without a gateway, GLOBAL with one */
	LIG_NL_SCOPE_GLOBAL,   /* RT_SCOPE_UNIVERSE */
	LIG_NL_SCOPE_SITE,     /* RT_SCOPE_SITE */
	LIG_NL_SCOPE_LINK,     /* RT_SCOPE_LINK */
	LIG_NL_SCOPE_HOST,     /* RT_SCOPE_HOST */
	LIG_NL_SCOPE_NOWHERE,  /* RT_SCOPE_NOWHERE (dumps only) */
};

struct lig_nl_route {
	struct in_addr dst; /* network, host bits zero */
	uint8_t dst_len;    /* 0..32; 0.0.0.0/0 is the default route */
	struct in_addr gw;  /* 0.0.0.0: no gateway */
	int oif;	    /* outgoing ifindex, 0: none (then gw must be given) */
	uint32_t metric;    /* RTA_PRIORITY, 0 is the kernel's default */
	uint32_t table;	    /* 0: main (254) */
	enum lig_nl_scope scope;
	/* RTPROT_*. Adding: 0 means RTPROT_STATIC; deleting: 0 matches any. */
	uint8_t protocol;
	uint8_t type;		/* RTN_*; 0 means RTN_UNICAST when adding */
	struct in_addr prefsrc; /* RTA_PREFSRC, 0.0.0.0: none */
	uint32_t flags;		/* rtm_flags of a dumped route (RTNH_F_LINKDOWN, ...) */
	unsigned nexthops;	/* dumps: 1, or the number of paths of a multipath route
				 * (gw and oif are then the first path's) */
};
typedef int (*lig_nl_route_cb)(const struct lig_nl_route *route, void *arg);

/* -EEXIST when a route to dst/dst_len with that metric is in the table already. */
int lig_nl_route_add(struct lig_nl *nl, const struct lig_nl_route *route, char *err,
		     size_t err_size);
/* Adds, or replaces the route to dst/dst_len with that metric (and table). */
int lig_nl_route_replace(struct lig_nl *nl, const struct lig_nl_route *route, char *err,
			 size_t err_size);
/* Deletes the first route matching dst/dst_len, table, and (when given) metric, gw, oif,
 * protocol. -ESRCH when none matches. */
int lig_nl_route_del(struct lig_nl *nl, const struct lig_nl_route *route, char *err,
		     size_t err_size);
/* The IPv4 routes of one table, or of all tables (table 0): main, local, and others. */
int lig_nl_route_dump(struct lig_nl *nl, uint32_t table, lig_nl_route_cb cb, void *arg, char *err,
		      size_t err_size);

/* ---------------------------------------------------------------------------------------
 * IPv4 neighbours (ARP entries).
 */
struct lig_nl_neigh {
	int ifindex;
	struct in_addr ip;
	uint8_t lladdr[LIG_NL_HWADDR_MAX];
	uint8_t lladdr_len; /* 0 when unresolved (INCOMPLETE, FAILED) */
	uint16_t state;	    /* NUD_*: NUD_PERMANENT for static entries */
	uint8_t flags;	    /* NTF_* */
};
typedef int (*lig_nl_neigh_cb)(const struct lig_nl_neigh *neigh, void *arg);

/* A static (NUD_PERMANENT) entry; -EEXIST when there is an entry for ip on the link. */
int lig_nl_neigh_add(struct lig_nl *nl, int ifindex, struct in_addr ip, const uint8_t *lladdr,
		     size_t lladdr_len, char *err, size_t err_size);
/* Adds, or turns the existing entry into this static one. */
int lig_nl_neigh_replace(struct lig_nl *nl, int ifindex, struct in_addr ip, const uint8_t *lladdr,
			 size_t lladdr_len, char *err, size_t err_size);
int lig_nl_neigh_del(struct lig_nl *nl, int ifindex, struct in_addr ip, char *err, size_t err_size);
/* The IPv4 neighbour entries (all states) of one link (ifindex > 0) or of all. */
int lig_nl_neigh_dump(struct lig_nl *nl, int ifindex, lig_nl_neigh_cb cb, void *arg, char *err,
		      size_t err_size);

/* ---------------------------------------------------------------------------------------
 * Link monitor: link events of one namespace through a pollable fd, no threads.
 */
enum lig_nl_link_event {
	LIG_NL_LINK_ADDED = 1, /* a link appeared (created, or moved in) */
	LIG_NL_LINK_DELETED,   /* a link went (deleted, or moved out) */
	LIG_NL_LINK_UP,	       /* IFF_UP was set */
	LIG_NL_LINK_DOWN,      /* IFF_UP was cleared */
	LIG_NL_LINK_CHANGED,   /* another attribute changed: running, name, MTU, address */
};
const char *lig_nl_link_event_name(enum lig_nl_link_event ev);

struct lig_nl_monitor;
typedef int (*lig_nl_monitor_cb)(enum lig_nl_link_event ev, const struct lig_nl_link *link,
				 void *arg);

/*
 * Subscribes to link events in netns_fd's namespace (< 0: the current one) and reads its
 * links as they are now, so the first events are changes from that state. NULL with errno
 * and the reason in err.
 */
struct lig_nl_monitor *lig_nl_monitor_open(int netns_fd, char *err, size_t err_size);
void lig_nl_monitor_close(struct lig_nl_monitor *m);
/* The fd to poll for POLLIN (non-blocking). */
int lig_nl_monitor_fd(const struct lig_nl_monitor *m);
/* Sets the event socket's receive buffer (default 1 MiB); a small one overflows sooner
 * (the tests use it to check that no event is lost then). */
int lig_nl_monitor_set_bufsize(struct lig_nl_monitor *m, int bytes);
struct lig_nl_monitor_stats {
	uint64_t events;    /* reported */
	uint64_t overflows; /* times the kernel dropped events (and the links were re-read) */
};
void lig_nl_monitor_get_stats(const struct lig_nl_monitor *m, struct lig_nl_monitor_stats *out);
/*
 * Reads every event pending and calls cb for each (cb returns 0, or a negative value to
 * stop after this one; the rest stay queued). Returns the number of events reported, 0
 * when nothing was pending, or -errno. When the kernel dropped events (the socket
 * overflowed) the monitor reads the links again and reports the differences as events,
 * so no add, delete or up/down change is lost.
 */
int lig_nl_monitor_read(struct lig_nl_monitor *m, lig_nl_monitor_cb cb, void *arg);

#endif

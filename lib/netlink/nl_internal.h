/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of liblignl shared by its files, its tests and its fuzz target: the
 * handle, entering a namespace for a moment, the reply reader and the parsers of the
 * kernel's messages (which never read outside the bytes they are given).
 */
#ifndef LIG_NL_INTERNAL_H
#define LIG_NL_INTERNAL_H

#include <libmnl/libmnl.h>
#include <stdarg.h>

#include "lig_nl.h"

/* Receive buffer: the kernel sizes dump datagrams to the reader's buffer, up to 32 KiB. */
#define LIG_NL_RECV_SIZE 32768
/* Requests are small (the largest, a veth pair, is about 120 bytes). */
#define LIG_NL_REQ_SIZE 1024
#define LIG_NL_DEFAULT_TIMEOUT_MS 5000
/* Space kept for the kernel's extended ack message. */
#define LIG_NL_MSG_SIZE 256

struct lig_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	int netns_fd; /* owned */
	int timeout_ms;
	char *name;   /* owned, "" when none */
	uint8_t *buf; /* LIG_NL_RECV_SIZE bytes, owned */
	/* Generic netlink (ethtool), opened at first use. */
	struct mnl_socket *genl;
	uint32_t genl_portid;
	uint16_t ethtool_family; /* 0: not looked up yet */
};

/*
 * What the reply reader does with the answer to one request. The caller fills type,
 * on_msg, the user callback and its arg; the reader fills the rest.
 */
struct lig_nl_reply {
	uint16_t type; /* data messages wanted (RTM_NEWLINK, ...); others are ignored */
	/* Parses one message of that type and hands it to the user callback (unless cb_rc
	 * is already set); counts it in bad when it does not parse. */
	void (*on_msg)(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
	union {
		lig_nl_link_cb link;
		lig_nl_addr_cb addr;
		lig_nl_route_cb route;
		lig_nl_neigh_cb neigh;
		int (*nsid)(int nsid, void *arg);
		int (*family)(uint16_t id, void *arg);
		int (*csum)(const struct lig_nl_csum *csum, void *arg);
	} cb;
	void *arg;
	const char *netns; /* copied into each link */
	int ifindex;	   /* filter of addr/neigh dumps, 0: all */
	uint32_t table;	   /* filter of route dumps, 0: all */

	int cb_rc;		   /* first non-zero value a callback returned */
	unsigned bad;		   /* messages that did not parse */
	unsigned msgs;		   /* data messages seen */
	bool intr;		   /* NLM_F_DUMP_INTR seen */
	bool done;		   /* NLMSG_DONE or NLMSG_ERROR seen */
	int error;		   /* their status: 0 or -errno */
	char msg[LIG_NL_MSG_SIZE]; /* the kernel's extended ack message, "" when none */
};

/*
 * Feeds one datagram (size bytes at buf, 4-byte aligned) to the reader. Messages whose
 * sequence number is not seq (when seq != 0) or whose port is not portid (when
 * portid != 0) are stale and skipped. Returns 0 when the reply is complete (r->done), 1
 * when more datagrams are needed.
 */
int lig_nl_reply_feed(struct lig_nl_reply *r, const void *buf, size_t size, uint32_t seq,
		      uint32_t portid);
/* The reply's outcome as the public functions return it, its text into err. */
int lig_nl_reply_status(const struct lig_nl_reply *r, char *err, size_t err_size);

/* Reader callbacks for each kind of object (on_msg). */
void lig_nl_on_link(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_addr(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_route(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_neigh(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_nsid(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_genl_family(const struct nlmsghdr *nlh, struct lig_nl_reply *r);
void lig_nl_on_features(const struct nlmsghdr *nlh, struct lig_nl_reply *r);

/*
 * Parsers of one message (nlmsg_len bytes at nlh, already checked to lie within the
 * datagram, header included). Return 0 with out filled, 1 when the message is valid but
 * not for us (another address family, a cached route), -EBADMSG when it is malformed.
 */
int lig_nl_parse_link(const struct nlmsghdr *nlh, struct lig_nl_link *out);
int lig_nl_parse_addr(const struct nlmsghdr *nlh, struct lig_nl_addr *out);
int lig_nl_parse_route(const struct nlmsghdr *nlh, struct lig_nl_route *out);
int lig_nl_parse_neigh(const struct nlmsghdr *nlh, struct lig_nl_neigh *out);
int lig_nl_parse_nsid(const struct nlmsghdr *nlh, int *nsid);
/* Generic netlink: a controller's CTRL_CMD_NEWFAMILY (the family id), and ethtool's
 * ETHTOOL_MSG_FEATURES_GET_REPLY in the verbose bitset form (the checksum features). */
int lig_nl_parse_genl_family(const struct nlmsghdr *nlh, uint16_t *id);
int lig_nl_parse_features(const struct nlmsghdr *nlh, struct lig_nl_csum *out);
/* NLMSG_ERROR and NLMSG_DONE: the status (0 or -errno; -EBADMSG when malformed) and the
 * extended ack message into msg ("" when none). */
int lig_nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t msg_size);
int lig_nl_parse_done(const struct nlmsghdr *nlh, char *msg, size_t msg_size);

/* Sends a request on nl and reads its answer into r; returns lig_nl_reply_status. Sets
 * the sequence number, NLM_F_REQUEST, and NLM_F_ACK unless it is a dump. */
int lig_nl_exec(struct lig_nl *nl, struct nlmsghdr *nlh, struct lig_nl_reply *r, char *err,
		size_t err_size);
/* The same on another socket of the handle (its generic netlink one). */
int lig_nl_exec_on(struct lig_nl *nl, struct mnl_socket *sock, uint32_t portid,
		   struct nlmsghdr *nlh, struct lig_nl_reply *r, char *err, size_t err_size);
/* The same for requests that only want the acknowledgement. */
int lig_nl_exec_ack(struct lig_nl *nl, struct nlmsghdr *nlh, char *err, size_t err_size);

/*
 * Enters the namespace of netns_fd on the calling thread; *saved receives an fd of the
 * namespace the thread was in (-1 when the thread is there already: nothing to undo).
 * lig_nl_netns_leave goes back and closes it; failing to go back would leave the thread
 * in the wrong namespace, so it aborts instead.
 */
int lig_nl_netns_enter(int netns_fd, int *saved);
void lig_nl_netns_leave(int saved);
/* A netlink socket of protocol (NETLINK_ROUTE, NETLINK_GENERIC; close-on-exec, extended
 * acks on, acks capped) created in the namespace of netns_fd (< 0: the current one), bound
 * to the given multicast groups. NULL with errno. */
struct mnl_socket *lig_nl_socket_in(int netns_fd, int protocol, unsigned groups);
/* recvmsg that drops datagrams not sent by the kernel: returns bytes, 0 when what came
 * was dropped, or -errno (-EAGAIN when nothing is pending). */
ssize_t lig_nl_recv(struct mnl_socket *sock, void *buf, size_t size);

/*
 * The monitor's handling of one event datagram, without sockets, for the fuzz target: a
 * monitor from lig_nl_monitor_detached() (free it with lig_nl_monitor_close) keeps its
 * table across calls. Returns the events reported or -ENOMEM.
 */
struct lig_nl_monitor *lig_nl_monitor_detached(void);
int lig_nl_monitor_feed(struct lig_nl_monitor *m, const void *buf, size_t size,
			lig_nl_monitor_cb cb, void *arg);

/* Rounds a message length up to netlink's 4 bytes. NLMSG_ALIGN is not for this: its mask
 * is a 32-bit unsigned int, so a length near 4 GiB from a hostile message wraps to 0. */
static inline size_t
lig_nl_align4(size_t len)
{
	return (len + 3) & ~(size_t)3;
}

/* err helpers: format into err (may be NULL), return rc. */
int lig_nl_fail(char *err, size_t err_size, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lig_nl_err_clear(char *err, size_t err_size);
/* A name the kernel accepts for a link: 1..IFNAMSIZ-1 bytes, no '/', ':' or space. */
bool lig_nl_ifname_valid(const char *name);

#endif

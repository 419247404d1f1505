/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Links: veth pairs (a peer possibly created straight in another namespace), dummies,
 * deletion, moving between namespaces, up/down, MTU, master, hardware address, name, reading
 * them back, and waiting for one to appear.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nl_internal.h"

/* A link request: header, ifinfomsg for ifindex; returns the message. */
static struct nlmsghdr *
link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int
bad_name(char *err, size_t err_size, const char *name)
{
	return lig_nl_fail(err, err_size, -EINVAL,
			   "interface name '%.*s' is not 1 to %d characters without '/', ':' or "
			   "blanks",
			   IFNAMSIZ * 2, name ? name : "", IFNAMSIZ - 1);
}

static int
bad_index(char *err, size_t err_size, int ifindex)
{
	return lig_nl_fail(err, err_size, -EINVAL, "interface index %d is not valid", ifindex);
}

static int
link_found(const struct lig_nl_link *link, void *arg)
{
	*(struct lig_nl_link *)arg = *link;
	return 0;
}

int
lig_nl_link_dump(struct lig_nl *nl, lig_nl_link_cb cb, void *arg, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	struct lig_nl_reply r = {.type = RTM_NEWLINK,
				 .on_msg = lig_nl_on_link,
				 .cb.link = cb,
				 .arg = arg,
				 .netns = nl->name};

	/* Statistics are of no use here and make each message several times larger. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return lig_nl_exec(nl, nlh, &r, err, err_size);
}

int
lig_nl_link_get(struct lig_nl *nl, int ifindex, const char *name, struct lig_nl_link *out,
		char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct lig_nl_link link;
	struct lig_nl_reply r = {.type = RTM_NEWLINK,
				 .on_msg = lig_nl_on_link,
				 .cb.link = link_found,
				 .arg = &link,
				 .netns = nl->name};
	int rc;

	if (ifindex <= 0 && !lig_nl_ifname_valid(name))
		return ifindex < 0 ? bad_index(err, err_size, ifindex)
				   : bad_name(err, err_size, name);
	nlh = link_msg(buf, RTM_GETLINK, 0, ifindex > 0 ? ifindex : 0);
	if (ifindex <= 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	rc = lig_nl_exec(nl, nlh, &r, err, err_size);
	if (rc == -ENODEV) {
		if (ifindex > 0)
			return lig_nl_fail(err, err_size, rc, "no link with index %d", ifindex);
		return lig_nl_fail(err, err_size, rc, "no link named %s", name);
	}
	if (rc < 0)
		return rc;
	if (r.msgs == 0)
		return lig_nl_fail(err, err_size, -EBADMSG, "the kernel sent no link");
	if (out)
		*out = link;
	return 0;
}

int
lig_nl_link_index(struct lig_nl *nl, const char *name, char *err, size_t err_size)
{
	struct lig_nl_link link;
	int rc = lig_nl_link_get(nl, 0, name, &link, err, err_size);

	return rc < 0 ? rc : link.ifindex;
}

int
lig_nl_veth_add(struct lig_nl *nl, const char *name, const char *peer_name, int peer_netns_fd,
		char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *pifi;

	if (!lig_nl_ifname_valid(name))
		return bad_name(err, err_size, name);
	if (!lig_nl_ifname_valid(peer_name))
		return bad_name(err, err_size, peer_name);
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer is described as a link request of its own: ifinfomsg, then attributes. */
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
	if (peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_dummy_add(struct lig_nl *nl, const char *name, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *info;

	if (!lig_nl_ifname_valid(name))
		return bad_name(err, err_size, name);
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, info);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_del(struct lig_nl *nl, int ifindex, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	return lig_nl_exec_ack(nl, link_msg(buf, RTM_DELLINK, 0, ifindex), err, err_size);
}

int
lig_nl_link_set_netns(struct lig_nl *nl, int ifindex, int netns_fd, const char *new_name, char *err,
		      size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (netns_fd < 0)
		return lig_nl_fail(err, err_size, -EBADF, "no namespace to move the link to");
	if (new_name && !lig_nl_ifname_valid(new_name))
		return bad_name(err, err_size, new_name);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	if (new_name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_up(struct lig_nl *nl, int ifindex, bool up, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_mtu(struct lig_nl *nl, int ifindex, uint32_t mtu, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_master(struct lig_nl *nl, int ifindex, int master_ifindex, char *err,
		       size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (master_ifindex < 0)
		return bad_index(err, err_size, master_ifindex);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master_ifindex);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_hwaddr(struct lig_nl *nl, int ifindex, const uint8_t *addr, size_t addr_len,
		       char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (!addr || addr_len == 0 || addr_len > LIG_NL_HWADDR_MAX)
		return lig_nl_fail(err, err_size, -EINVAL,
				   "a hardware address is 1 to %d bytes, not %zu",
				   LIG_NL_HWADDR_MAX, addr ? addr_len : 0);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put(nlh, IFLA_ADDRESS, addr_len, addr);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_name(struct lig_nl *nl, int ifindex, const char *name, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (!lig_nl_ifname_valid(name))
		return bad_name(err, err_size, name);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_link_set_alias(struct lig_nl *nl, int ifindex, const char *alias, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	size_t len = alias ? strnlen(alias, LIG_NL_ALIAS_MAX) : 0;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (len >= LIG_NL_ALIAS_MAX)
		return lig_nl_fail(err, err_size, -EINVAL, "an alias is at most %d bytes",
				   LIG_NL_ALIAS_MAX - 1);
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	/* As iproute2: the text without its NUL; no payload at all removes the alias. */
	mnl_attr_put(nlh, IFLA_IFALIAS, len, len ? alias : "");
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

/* ---- waiting for a link ---- */

struct wait_ctx {
	const char *name;
	struct lig_nl_link *link;
	bool found;
};

static void
wait_on_msg(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct wait_ctx *w = r->arg;
	struct lig_nl_link link;

	if (lig_nl_parse_link(nlh, &link) < 0)
		return;
	if (!w->found && !strcmp(link.name, w->name)) {
		link.netns = r->netns;
		*w->link = link;
		w->found = true;
	}
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
lig_nl_link_wait(struct lig_nl *nl, const char *name, int timeout_ms, struct lig_nl_link *out,
		 char *err, size_t err_size)
{
	struct mnl_socket *ev;
	struct lig_nl_link link;
	struct wait_ctx w = {.name = name, .link = &link};
	int64_t deadline = timeout_ms >= 0 ? mono_ms() + timeout_ms : -1;
	bool look = true;
	int rc;

	if (!lig_nl_ifname_valid(name))
		return bad_name(err, err_size, name);
	/* Subscribe first, then look: a link made in between is seen either way. */
	ev = lig_nl_socket_in(nl->netns_fd, NETLINK_ROUTE, RTMGRP_LINK);
	if (!ev)
		return lig_nl_fail(err, err_size, -errno, "link event socket: %s", strerror(errno));
	for (;;) {
		struct pollfd pfd = {.fd = mnl_socket_get_fd(ev), .events = POLLIN};
		int wait = -1;
		ssize_t n;

		if (look) {
			rc = lig_nl_link_get(nl, 0, name, &link, err, err_size);
			if (rc == 0) {
				w.found = true;
				break;
			}
			if (rc != -ENODEV)
				goto out;
			look = false;
		}
		if (deadline >= 0) {
			int64_t left = deadline - mono_ms();
			wait = left > 0 ? (int)left : 0;
		}
		rc = poll(&pfd, 1, wait);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			rc = lig_nl_fail(err, err_size, -errno, "poll: %s", strerror(errno));
			goto out;
		}
		if (rc == 0) {
			rc =
			    lig_nl_fail(err, err_size, -ETIMEDOUT,
					"no link named %s appeared within %d ms", name, timeout_ms);
			goto out;
		}
		n = lig_nl_recv(ev, nl->buf, LIG_NL_RECV_SIZE);
		if (n == -ENOBUFS) {
			look = true; /* events were lost: look again */
			continue;
		}
		if (n < 0 && n != -EAGAIN && n != -EINTR) {
			rc = lig_nl_fail(err, err_size, (int)n, "link events: %s",
					 strerror((int)-n));
			goto out;
		}
		if (n > 0) {
			struct lig_nl_reply r = {.type = RTM_NEWLINK,
						 .on_msg = wait_on_msg,
						 .arg = &w,
						 .netns = nl->name};
			lig_nl_reply_feed(&r, nl->buf, (size_t)n, 0, 0);
			if (w.found)
				break;
		}
	}
	if (out)
		*out = link;
	lig_nl_err_clear(err, err_size);
	rc = link.ifindex;
out:
	mnl_socket_close(ev);
	return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link monitor: an RTMGRP_LINK subscription in one namespace and a table of the links as
 * last reported, so a kernel RTM_NEWLINK becomes "added", "up", "down" or "changed" (or
 * nothing when no attribute we track changed). When the kernel drops events the links
 * are read again and the differences reported.
 */
#include <errno.h>
#include <net/if.h>
#include <linux/if.h> /* IFF_LOWER_UP */
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl_internal.h"

#define MONITOR_RCVBUF (1 << 20)

struct lig_nl_monitor {
	struct lig_nl *nl;	   /* reads the links at open and after an overflow */
	struct mnl_socket *ev;	   /* the subscription */
	struct lig_nl_link *links; /* as last reported, in no order */
	size_t count, cap;
	uint8_t *buf; /* the datagram being reported, from off to len */
	size_t off, len;
	bool resync; /* a re-read is due (an overflow, or one stopped half way) */
	struct lig_nl_monitor_stats stats;
};

const char *
lig_nl_link_event_name(enum lig_nl_link_event ev)
{
	switch (ev) {
	case LIG_NL_LINK_ADDED:
		return "added";
	case LIG_NL_LINK_DELETED:
		return "deleted";
	case LIG_NL_LINK_UP:
		return "up";
	case LIG_NL_LINK_DOWN:
		return "down";
	case LIG_NL_LINK_CHANGED:
		return "changed";
	}
	return "unknown";
}

static struct lig_nl_link *
find(struct lig_nl_monitor *m, int ifindex)
{
	for (size_t i = 0; i < m->count; i++)
		if (m->links[i].ifindex == ifindex)
			return &m->links[i];
	return NULL;
}

static int
insert(struct lig_nl_monitor *m, const struct lig_nl_link *link)
{
	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct lig_nl_link *links = realloc(m->links, cap * sizeof(*links));
		if (!links)
			return -ENOMEM;
		m->links = links;
		m->cap = cap;
	}
	m->links[m->count++] = *link;
	return 0;
}

static void
remove_at(struct lig_nl_monitor *m, struct lig_nl_link *link)
{
	*link = m->links[--m->count];
}

/* The event that turns old into new, 0 when nothing we track changed. */
static int
change_event(const struct lig_nl_link *old, const struct lig_nl_link *new)
{
	const uint32_t tracked = IFF_RUNNING | IFF_LOWER_UP;

	if ((old->flags ^ new->flags) & IFF_UP)
		return new->up ? LIG_NL_LINK_UP : LIG_NL_LINK_DOWN;
	if (((old->flags ^ new->flags) & tracked) || old->mtu != new->mtu ||
	    strcmp(old->name, new->name) || old->operstate != new->operstate ||
	    old->hwaddr_len != new->hwaddr_len ||
	    memcmp(old->hwaddr, new->hwaddr, new->hwaddr_len) ||
	    old->link_ifindex != new->link_ifindex || old->link_nsid != new->link_nsid ||
	    old->master_ifindex != new->master_ifindex)
		return LIG_NL_LINK_CHANGED;
	return 0;
}

/* Applies one reported state of a link to the table; returns its event or 0. */
static int
apply(struct lig_nl_monitor *m, bool deleted, const struct lig_nl_link *link)
{
	struct lig_nl_link *known = find(m, link->ifindex);
	int ev;

	if (deleted) {
		if (known)
			remove_at(m, known);
		return LIG_NL_LINK_DELETED;
	}
	if (!known)
		return insert(m, link) < 0 ? -ENOMEM : LIG_NL_LINK_ADDED;
	ev = change_event(known, link);
	*known = *link;
	return ev;
}

static int
collect(const struct lig_nl_link *link, void *arg)
{
	struct lig_nl_monitor *tmp = arg;

	return insert(tmp, link);
}

/* Reads the links again and reports the differences to the table. */
static int
resync(struct lig_nl_monitor *m, lig_nl_monitor_cb cb, void *arg, int *events)
{
	struct lig_nl_monitor now = {0};
	int rc;

	m->resync = true;
	rc = lig_nl_link_dump(m->nl, collect, &now, NULL, 0);
	if (rc < 0) {
		free(now.links);
		return rc;
	}
	/* Gone since. */
	for (size_t i = 0; i < m->count;) {
		struct lig_nl_link gone = m->links[i];
		if (find(&now, gone.ifindex)) {
			i++;
			continue;
		}
		remove_at(m, &m->links[i]);
		(*events)++;
		if (cb && cb(LIG_NL_LINK_DELETED, &gone, arg) < 0)
			goto stopped;
	}
	/* New or changed. */
	for (size_t i = 0; i < now.count; i++) {
		int ev = apply(m, false, &now.links[i]);
		if (ev < 0) {
			rc = ev;
			goto out;
		}
		if (!ev)
			continue;
		(*events)++;
		if (cb && cb(ev, &now.links[i], arg) < 0)
			goto stopped;
	}
	m->resync = false;
	rc = 0;
	goto out;
stopped:
	rc = 1; /* the rest at the next read: m->resync stays set */
out:
	free(now.links);
	return rc;
}

struct lig_nl_monitor *
lig_nl_monitor_open(int netns_fd, char *err, size_t err_size)
{
	struct lig_nl_monitor *m = calloc(1, sizeof(*m));
	int size = MONITOR_RCVBUF, rc;

	if (!m) {
		lig_nl_fail(err, err_size, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	m->buf = malloc(LIG_NL_RECV_SIZE);
	m->nl = lig_nl_open(netns_fd);
	if (!m->buf || !m->nl) {
		rc = m->buf ? -errno : -ENOMEM;
		lig_nl_fail(err, err_size, rc, "netlink socket: %s", strerror(-rc));
		goto fail;
	}
	/* Subscribe before reading the links: a change in between is seen either way. */
	m->ev = lig_nl_socket_in(netns_fd >= 0 ? lig_nl_netns_fd(m->nl) : -1, NETLINK_ROUTE,
				 RTMGRP_LINK);
	if (!m->ev) {
		rc = -errno;
		lig_nl_fail(err, err_size, rc, "link event socket: %s", strerror(-rc));
		goto fail;
	}
	/* Room for bursts (a namespace deleted with its links); FORCE needs CAP_NET_ADMIN. */
	if (setsockopt(mnl_socket_get_fd(m->ev), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) <
	    0)
		setsockopt(mnl_socket_get_fd(m->ev), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	rc = lig_nl_link_dump(m->nl, collect, m, err, err_size);
	if (rc < 0)
		goto fail;
	lig_nl_err_clear(err, err_size);
	return m;
fail:
	lig_nl_monitor_close(m);
	errno = -rc;
	return NULL;
}

void
lig_nl_monitor_close(struct lig_nl_monitor *m)
{
	if (!m)
		return;
	if (m->ev)
		mnl_socket_close(m->ev);
	lig_nl_close(m->nl);
	free(m->links);
	free(m->buf);
	free(m);
}

int
lig_nl_monitor_fd(const struct lig_nl_monitor *m)
{
	return mnl_socket_get_fd(m->ev);
}

int
lig_nl_monitor_set_bufsize(struct lig_nl_monitor *m, int bytes)
{
	int fd = mnl_socket_get_fd(m->ev);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0)
		return -errno;
	return 0;
}

/* Reports the message at *off in the datagram buf (len bytes) and moves *off past it;
 * returns 0, 1 when the callback asked to stop, or -ENOMEM. */
static int
next_message(struct lig_nl_monitor *m, const uint8_t *buf, size_t len, size_t *off,
	     lig_nl_monitor_cb cb, void *arg, int *events)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)(buf + *off);
	size_t rem = len - *off, size, step;
	const struct ifinfomsg *ifi;
	struct lig_nl_link link;
	int ev;

	if (rem < sizeof(*nlh)) {
		*off = len;
		return 0;
	}
	size = nlh->nlmsg_len;
	step = lig_nl_align4(size);
	if (size < sizeof(*nlh) || size > rem || step > rem) {
		*off = len; /* malformed: the rest of the datagram is dropped */
		return 0;
	}
	*off += step;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return 0;
	/* Bridge port messages share the group (family AF_BRIDGE): not link events. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return 0;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_family != AF_UNSPEC)
		return 0;
	if (lig_nl_parse_link(nlh, &link) < 0)
		return 0;
	link.netns = m->nl ? lig_nl_netns_name(m->nl) : "";
	ev = apply(m, nlh->nlmsg_type == RTM_DELLINK, &link);
	if (ev <= 0)
		return ev;
	(*events)++;
	return cb && cb(ev, &link, arg) < 0 ? 1 : 0;
}

struct lig_nl_monitor *
lig_nl_monitor_detached(void)
{
	return calloc(1, sizeof(struct lig_nl_monitor));
}

int
lig_nl_monitor_feed(struct lig_nl_monitor *m, const void *buf, size_t size, lig_nl_monitor_cb cb,
		    void *arg)
{
	size_t off = 0;
	int events = 0;

	while (off < size) {
		int rc = next_message(m, buf, size, &off, cb, arg, &events);
		if (rc < 0)
			return rc;
	}
	return events;
}

void
lig_nl_monitor_get_stats(const struct lig_nl_monitor *m, struct lig_nl_monitor_stats *out)
{
	*out = m->stats;
}

static int read_events(struct lig_nl_monitor *m, lig_nl_monitor_cb cb, void *arg, int *events);

int
lig_nl_monitor_read(struct lig_nl_monitor *m, lig_nl_monitor_cb cb, void *arg)
{
	int events = 0, rc = read_events(m, cb, arg, &events);

	m->stats.events += (uint64_t)events;
	return rc < 0 ? rc : events;
}

static int
read_events(struct lig_nl_monitor *m, lig_nl_monitor_cb cb, void *arg, int *events)
{
	int rc;

	for (;;) {
		if (m->resync) {
			rc = resync(m, cb, arg, events);
			if (rc < 0)
				return rc;
			if (rc > 0)
				return 0;
			continue;
		}
		if (m->off < m->len) {
			rc = next_message(m, m->buf, m->len, &m->off, cb, arg, events);
			if (rc < 0)
				return rc;
			if (rc > 0)
				return 0; /* stopped: the rest stays buffered */
			continue;
		}
		ssize_t n = lig_nl_recv(m->ev, m->buf, LIG_NL_RECV_SIZE);
		if (n == -EAGAIN)
			return 0;
		if (n == -ENOBUFS) {
			m->stats.overflows++;
			m->resync = true;
			continue;
		}
		if (n == -EINTR || n == 0)
			continue;
		if (n < 0)
			return (int)n;
		m->off = 0;
		m->len = (size_t)n;
	}
}

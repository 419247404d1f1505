/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary bytes as a datagram from the kernel. The first byte picks what the
 * reader expects (a link, address, route, neighbour or namespace id reply, a bare ack, link
 * events for the monitor, a generic netlink family, ethtool features); the rest is the datagram,
 * copied to a buffer of exactly its size (4-byte aligned, as a receive buffer is) so any read past
 * it is caught. Callbacks read every field of what they get, strings to their NUL.
 */
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nl_internal.h"

static volatile uint64_t sink;

static void
eat(const void *p, size_t size)
{
	const uint8_t *b = p;
	uint64_t sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += b[i];
	sink += sum;
}

static int
on_link(const struct lig_nl_link *l, void *arg)
{
	(void)arg;
	eat(l->hwaddr, l->hwaddr_len);
	sink += strlen(l->name) + strlen(l->kind) + strlen(l->alias) + strlen(l->netns) +
		(uint64_t)l->ifindex + l->mtu + (uint64_t)l->link_nsid + l->type;
	return 0;
}

static int
on_addr(const struct lig_nl_addr *a, void *arg)
{
	(void)arg;
	eat(a, sizeof(*a));
	sink += strlen(a->label);
	return 0;
}

static int
on_route(const struct lig_nl_route *r, void *arg)
{
	(void)arg;
	eat(r, sizeof(*r));
	return 0;
}

static int
on_neigh(const struct lig_nl_neigh *n, void *arg)
{
	(void)arg;
	eat(n->lladdr, n->lladdr_len);
	sink += n->ip.s_addr + n->state;
	return 0;
}

static int
on_nsid(int nsid, void *arg)
{
	(void)arg;
	sink += (uint64_t)nsid;
	return 0;
}

static int
on_family(uint16_t id, void *arg)
{
	(void)arg;
	sink += id;
	return 0;
}

static int
on_csum(const struct lig_nl_csum *c, void *arg)
{
	(void)arg;
	eat(c, sizeof(*c));
	return 0;
}

static int
on_event(enum lig_nl_link_event ev, const struct lig_nl_link *l, void *arg)
{
	(void)arg;
	sink += ev;
	return on_link(l, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lig_nl_reply r = {.netns = "fuzz"};
	char err[LIG_NL_MSG_SIZE];
	uint8_t *buf;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	buf = malloc(n ? n : 1); /* malloc's alignment is more than the 4 bytes needed */
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	switch (data[0] % 9) {
	case 0:
		r.type = RTM_NEWLINK;
		r.on_msg = lig_nl_on_link;
		r.cb.link = on_link;
		break;
	case 1:
		r.type = RTM_NEWADDR;
		r.on_msg = lig_nl_on_addr;
		r.cb.addr = on_addr;
		break;
	case 2:
		r.type = RTM_NEWROUTE;
		r.on_msg = lig_nl_on_route;
		r.cb.route = on_route;
		break;
	case 3:
		r.type = RTM_NEWNEIGH;
		r.on_msg = lig_nl_on_neigh;
		r.cb.neigh = on_neigh;
		break;
	case 4:
		r.type = RTM_NEWNSID;
		r.on_msg = lig_nl_on_nsid;
		r.cb.nsid = on_nsid;
		break;
	case 5:
		break; /* an acknowledgement alone */
	case 7:
		r.type = GENL_ID_CTRL;
		r.on_msg = lig_nl_on_genl_family;
		r.cb.family = on_family;
		break;
	case 8:
		/* ethtool's family id differs per kernel: take the message's own type. */
		r.type =
		    n >= sizeof(struct nlmsghdr) ? ((const struct nlmsghdr *)buf)->nlmsg_type : 0;
		r.on_msg = lig_nl_on_features;
		r.cb.csum = on_csum;
		break;
	case 6: {
		/* Twice through one monitor: the second pass meets its own table. */
		struct lig_nl_monitor *m = lig_nl_monitor_detached();
		if (m) {
			lig_nl_monitor_feed(m, buf, n, on_event, NULL);
			lig_nl_monitor_feed(m, buf, n, on_event, NULL);
			lig_nl_monitor_close(m);
		}
		free(buf);
		return 0;
	}
	}
	lig_nl_reply_feed(&r, buf, n, 0, 0);
	lig_nl_reply_status(&r, err, sizeof(err));
	sink += strlen(err);
	free(buf);
	return 0;
}

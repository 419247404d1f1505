/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Records the seed corpus of fuzz_nl_parse from a live kernel: in two namespaces of its own
 * (deleted on exit) it builds veth, tap, addresses, routes (one multipath), neighbours and a
 * namespace id, then saves each datagram of the kernel's answers to dumps, failed requests
 * (with extended acks) and link events, as <kind byte><datagram> files in the directory
 * given. Needs root. Run by hand: netlink_gen_corpus lib/netlink/tests/fuzz/corpus/nl_parse
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nl_internal.h"

static char ns_a[64], ns_b[64];
static const char *out_dir;
static uint8_t rbuf[LIG_NL_RECV_SIZE];
static uint32_t seq = 1000;

static void
cleanup(void)
{
	lig_netns_delete(ns_a);
	lig_netns_delete(ns_b);
}

static void
save(uint8_t kind, const char *tag, int i, const void *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%d", out_dir, tag, i);
	f = fopen(path, "wb");
	if (!f || fwrite(&kind, 1, 1, f) != 1 || fwrite(data, 1, size, f) != size) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* Sends req on sock and saves every datagram of the answer. */
static void
record(struct mnl_socket *sock, struct nlmsghdr *req, uint8_t kind, const char *tag)
{
	struct lig_nl_reply r = {0};
	struct pollfd pfd = {.fd = mnl_socket_get_fd(sock), .events = POLLIN};
	int i = 0;

	req->nlmsg_seq = ++seq;
	req->nlmsg_flags |= NLM_F_REQUEST;
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(sock, req, req->nlmsg_len) < 0) {
		perror("send");
		exit(1);
	}
	while (!r.done && poll(&pfd, 1, 2000) == 1) {
		ssize_t n = lig_nl_recv(sock, rbuf, sizeof(rbuf));
		if (n <= 0)
			continue;
		save(kind, tag, i++, rbuf, (size_t)n);
		lig_nl_reply_feed(&r, rbuf, (size_t)n, seq, 0);
	}
}

static struct nlmsghdr *
dump_req(char *buf, uint16_t type, size_t hdr, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint8_t *h;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_DUMP;
	h = mnl_nlmsg_put_extra_header(nlh, hdr);
	h[0] = family; /* every *msg header starts with its family */
	return nlh;
}

static void
sh(const char *fmt, const char *ns)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, ns);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: %s failed\n", cmd);
}

int
main(int argc, char **argv)
{
	char err[256], buf[LIG_NL_REQ_SIZE];
	const uint8_t mac[6] = {2, 0, 0, 0, 0, 7};
	struct lig_nl *a, *b;
	struct mnl_socket *ev;
	struct in_addr ip;
	struct nlmsghdr *nlh;
	int fd_b, va, vb;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	snprintf(ns_a, sizeof(ns_a), "lignl-%d-corpus-a", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "lignl-%d-corpus-b", (int)getpid());
	atexit(cleanup);
	if (lig_netns_create(ns_a) < 0 || lig_netns_create(ns_b) < 0) {
		fprintf(stderr, "namespaces: %s\n", strerror(errno));
		return 1;
	}
	a = lig_nl_open_name(ns_a);
	b = lig_nl_open_name(ns_b);
	fd_b = lig_netns_open_name(ns_b);
	if (!a || !b || fd_b < 0)
		return 1;
	ev = lig_nl_socket_in(lig_nl_netns_fd(a), NETLINK_ROUTE, RTMGRP_LINK);

	/* The scene. */
	lig_nl_veth_add(a, "va0", "vb0", fd_b, err, sizeof(err));
	va = lig_nl_link_index(a, "va0", err, sizeof(err));
	vb = lig_nl_link_index(b, "vb0", err, sizeof(err));
	lig_nl_link_set_hwaddr(a, va, mac, 6, err, sizeof(err));
	lig_nl_link_set_up(a, va, true, err, sizeof(err));
	lig_nl_link_set_up(b, vb, true, err, sizeof(err));
	lig_nl_link_set_up(a, 1, true, err, sizeof(err));
	inet_pton(AF_INET, "10.1.0.1", &ip);
	lig_nl_addr_add(a, va, ip, 24, err, sizeof(err));
	inet_pton(AF_INET, "10.1.0.2", &ip);
	lig_nl_addr_add(b, vb, ip, 24, err, sizeof(err));
	sh("ip -n %s tuntap add dev tap0 mode tap", ns_a);
	sh("ip -n %s route add 10.9.0.0/16 via 10.1.0.2 metric 100", ns_a);
	sh("ip -n %s route add 10.8.0.0/16 dev va0 table 100", ns_a);
	sh("ip -n %s route add 10.20.0.0/16 nexthop via 10.1.0.2 weight 1 nexthop via 10.1.0.3 "
	   "weight 2",
	   ns_a);
	inet_pton(AF_INET, "10.1.0.7", &ip);
	lig_nl_neigh_add(a, va, ip, mac, 6, err, sizeof(err));

	/* Dumps. */
	record(a->sock, dump_req(buf, RTM_GETLINK, sizeof(struct ifinfomsg), AF_UNSPEC), 0, "link");
	record(a->sock, dump_req(buf, RTM_GETADDR, sizeof(struct ifaddrmsg), AF_INET), 1, "addr");
	record(a->sock, dump_req(buf, RTM_GETROUTE, sizeof(struct rtmsg), AF_INET), 2, "route");
	record(a->sock, dump_req(buf, RTM_GETNEIGH, sizeof(struct ndmsg), AF_INET), 3, "neigh");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNSID;
	((struct rtgenmsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtgenmsg)))
	    ->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd_b);
	record(a->sock, nlh, 4, "nsid");

	/* Failures: the kernel's reasons, and one without. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	inet_pton(AF_INET, "10.6.0.0", &ip);
	mnl_attr_put(nlh, RTA_DST, 4, &ip);
	inet_pton(AF_INET, "192.0.2.1", &ip);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, &ip);
	record(a->sock, nlh, 5, "error-gateway");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))->ifi_index =
	    va;
	mnl_attr_put_u32(nlh, IFLA_MTU, 10);
	record(a->sock, nlh, 5, "error-mtu");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))->ifi_index =
	    9999;
	record(a->sock, nlh, 5, "error-nodev");

	/* Generic netlink: the ethtool family, then a veth's features. */
	{
		struct mnl_socket *genl = lig_nl_socket_in(lig_nl_netns_fd(a), NETLINK_GENERIC, 0);
		struct genlmsghdr *g;
		struct nlattr *hdr;
		uint16_t family;

		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = GENL_ID_CTRL;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = CTRL_CMD_GETFAMILY;
		g->version = 1;
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
		record(genl, nlh, 7, "genl-family");
		lig_nl_link_get_csum(a, va, NULL, err, sizeof(err)); /* learns the id */
		family = a->ethtool_family;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = family;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = ETHTOOL_MSG_FEATURES_GET;
		g->version = ETHTOOL_GENL_VERSION;
		hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_HEADER);
		mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)va);
		mnl_attr_nest_end(nlh, hdr);
		record(genl, nlh, 8, "features");
		mnl_socket_close(genl);
	}

	/* Link events. */
	{
		struct pollfd pfd = {.fd = mnl_socket_get_fd(ev), .events = POLLIN};
		int i = 0, m0;
		ssize_t n;

		while (poll(&pfd, 1, 0) == 1 && lig_nl_recv(ev, rbuf, sizeof(rbuf)) > 0)
			; /* what the scene made */
		lig_nl_veth_add(a, "m0", "m1", -1, err, sizeof(err));
		m0 = lig_nl_link_index(a, "m0", err, sizeof(err));
		lig_nl_link_set_up(a, m0, true, err, sizeof(err));
		lig_nl_link_set_mtu(a, m0, 1300, err, sizeof(err));
		lig_nl_link_set_up(a, m0, false, err, sizeof(err));
		lig_nl_link_del(a, m0, err, sizeof(err));
		while (poll(&pfd, 1, 200) == 1)
			if ((n = lig_nl_recv(ev, rbuf, sizeof(rbuf))) > 0)
				save(6, "events", i++, rbuf, (size_t)n);
	}
	mnl_socket_close(ev);
	close(fd_b);
	lig_nl_close(a);
	lig_nl_close(b);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parsers of kernel messages on crafted bytes: well-formed messages give every field,
 * malformed ones (short headers, attributes of the wrong size, strings without their NUL,
 * lengths past the end, multipath hops that overrun) are refused without reading past
 * what they were given. No privileges needed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "nl_internal.h"

static uint32_t buf[1024]; /* aligned as a receive buffer is */

static struct nlmsghdr *
msg(uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static struct nlmsghdr *
link_msg(int ifindex, const char *name)
{
	struct nlmsghdr *nlh = msg(RTM_NEWLINK, 0, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_flags = IFF_UP | IFF_RUNNING | IFF_BROADCAST;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static void
test_link(void **state)
{
	const uint8_t mac[6] = {2, 1, 2, 3, 4, 5};
	struct lig_nl_link l;
	struct nlmsghdr *nlh = link_msg(7, "va0");
	struct nlattr *info;

	(void)state;
	mnl_attr_put_u32(nlh, IFLA_MTU, 1400);
	mnl_attr_put_u32(nlh, IFLA_LINK, 9);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, 3);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 4);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UP);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, "/vnf-agent/vpp1/va0/vb0");
	mnl_attr_put_u32(nlh, IFLA_MAX + 5, 1); /* newer than us: ignored */
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(lig_nl_parse_link(nlh, &l), 0);
	assert_int_equal(l.ifindex, 7);
	assert_string_equal(l.name, "va0");
	assert_string_equal(l.kind, "veth");
	assert_int_equal(l.type, LIG_NL_LINK_VETH);
	assert_int_equal(l.mtu, 1400);
	assert_int_equal(l.link_ifindex, 9);
	assert_int_equal(l.link_nsid, 3);
	assert_int_equal(l.master_ifindex, 4);
	assert_int_equal(l.operstate, IF_OPER_UP);
	assert_int_equal(l.hwaddr_len, 6);
	assert_memory_equal(l.hwaddr, mac, 6);
	assert_string_equal(l.alias, "/vnf-agent/vpp1/va0/vb0");
	assert_true(l.up);
	assert_true(l.running);

	/* Without IFLA_LINK_NETNSID the peer is in the same namespace. */
	nlh = link_msg(7, "lo");
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_type = ARPHRD_LOOPBACK;
	assert_int_equal(lig_nl_parse_link(nlh, &l), 0);
	assert_int_equal(l.link_nsid, -1);
	assert_int_equal(l.type, LIG_NL_LINK_LOOPBACK);
	assert_string_equal(l.kind, "");
}

static void
test_link_tap(void **state)
{
	struct lig_nl_link l;
	struct nlmsghdr *nlh;
	struct nlattr *info, *data;

	(void)state;
	for (int mode = 0; mode < 3; mode++) {
		nlh = link_msg(3, "tap0");
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "tun");
		if (mode) {
			data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
			mnl_attr_put_u8(nlh, IFLA_TUN_TYPE, mode == 1 ? IFF_TAP : IFF_TUN);
			mnl_attr_nest_end(nlh, data);
		}
		mnl_attr_nest_end(nlh, info);
		assert_int_equal(lig_nl_parse_link(nlh, &l), 0);
		assert_int_equal(l.type, mode == 1 ? LIG_NL_LINK_TAP : LIG_NL_LINK_TUN);
	}
	/* A tun type of the wrong size. */
	nlh = link_msg(3, "tap0");
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "tun");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_TUN_TYPE, IFF_TAP);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
}

static void
test_link_malformed(void **state)
{
	struct lig_nl_link l;
	struct nlmsghdr *nlh;
	uint8_t big[40] = {0};
	struct nlattr *info;

	(void)state;
	/* The name without its NUL. */
	nlh = link_msg(3, NULL);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* A name longer than IFNAMSIZ. */
	nlh = link_msg(3, "a-name-far-too-long-for-a-link");
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* No name at all. */
	nlh = link_msg(3, NULL);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* A bad index. */
	nlh = link_msg(0, "x");
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* MTU of 2 bytes. */
	nlh = link_msg(3, "x");
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* An address longer than any link layer's. */
	nlh = link_msg(3, "x");
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(big), big);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* A kind without its NUL. */
	nlh = link_msg(3, "x");
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put(nlh, IFLA_INFO_KIND, 4, "veth");
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* An alias without its NUL, and one longer than the kernel's IFALIASZ. */
	nlh = link_msg(3, "x");
	mnl_attr_put(nlh, IFLA_IFALIAS, 5, "alias");
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	char alias[LIG_NL_ALIAS_MAX + 1];
	memset(alias, 'a', sizeof(alias) - 1);
	alias[LIG_NL_ALIAS_MAX] = 0;
	nlh = link_msg(3, "x");
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	alias[LIG_NL_ALIAS_MAX - 1] = 0;
	nlh = link_msg(3, "x");
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	assert_int_equal(lig_nl_parse_link(nlh, &l), 0);
	assert_string_equal(l.alias, alias);
	/* A header cut short. */
	nlh = msg(RTM_NEWLINK, 0, 0);
	mnl_nlmsg_put_extra_header(nlh, 8);
	assert_int_equal(lig_nl_parse_link(nlh, &l), -EBADMSG);
	/* An attribute claiming more than the message holds: the walk stops before it. */
	nlh = link_msg(3, "x");
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = IFLA_MTU;
	a->nla_len = 200;
	nlh->nlmsg_len += 8;
	assert_int_equal(lig_nl_parse_link(nlh, &l), 0);
	assert_int_equal(l.mtu, 0);
}

static void
test_addr(void **state)
{
	struct lig_nl_addr a;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct in_addr local, brd;
	char s[INET_ADDRSTRLEN];

	(void)state;
	inet_pton(AF_INET, "10.1.0.1", &local);
	inet_pton(AF_INET, "10.1.0.255", &brd);
	nlh = msg(RTM_NEWADDR, 0, 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 4;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &local);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &local);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, &brd);
	mnl_attr_put_strz(nlh, IFA_LABEL, "va0");
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT);
	assert_int_equal(lig_nl_parse_addr(nlh, &a), 0);
	assert_int_equal(a.ifindex, 4);
	assert_int_equal(a.prefixlen, 24);
	assert_string_equal(inet_ntop(AF_INET, &a.local, s, sizeof(s)), "10.1.0.1");
	assert_true(a.has_broadcast);
	assert_string_equal(inet_ntop(AF_INET, &a.broadcast, s, sizeof(s)), "10.1.0.255");
	assert_string_equal(a.label, "va0");
	assert_int_equal(a.flags, IFA_F_PERMANENT);

	ifa->ifa_family = AF_INET6;
	assert_int_equal(lig_nl_parse_addr(nlh, &a), 1);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 40;
	assert_int_equal(lig_nl_parse_addr(nlh, &a), -EBADMSG);
	/* A 3-byte address. */
	nlh = msg(RTM_NEWADDR, 0, 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	mnl_attr_put(nlh, IFA_LOCAL, 3, &local);
	assert_int_equal(lig_nl_parse_addr(nlh, &a), -EBADMSG);
	/* None at all. */
	nlh = msg(RTM_NEWADDR, 0, 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	assert_int_equal(lig_nl_parse_addr(nlh, &a), -EBADMSG);
}

static struct nlmsghdr *
route_msg(struct rtmsg **rtm)
{
	struct nlmsghdr *nlh = msg(RTM_NEWROUTE, 0, 0);
	struct in_addr dst;

	inet_pton(AF_INET, "10.9.0.0", &dst);
	*rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(**rtm));
	(*rtm)->rtm_family = AF_INET;
	(*rtm)->rtm_dst_len = 16;
	(*rtm)->rtm_table = RT_TABLE_MAIN;
	(*rtm)->rtm_protocol = RTPROT_STATIC;
	(*rtm)->rtm_scope = RT_SCOPE_UNIVERSE;
	(*rtm)->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 4, &dst);
	return nlh;
}

/* Appends one multipath hop (rtnh_len as given, or the right one when 0). */
static void
put_hop(struct nlmsghdr *nlh, int ifindex, const char *gw, unsigned short len)
{
	struct rtnexthop *nh = mnl_nlmsg_get_payload_tail(nlh);
	struct in_addr a;

	memset(nh, 0, sizeof(*nh));
	nh->rtnh_ifindex = ifindex;
	nlh->nlmsg_len += sizeof(*nh);
	inet_pton(AF_INET, gw, &a);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, &a);
	nh->rtnh_len =
	    len ? len : (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nh);
}

static void
test_route(void **state)
{
	struct lig_nl_route r;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nlattr *mp;
	struct in_addr gw;
	char s[INET_ADDRSTRLEN];

	(void)state;
	nlh = route_msg(&rtm);
	inet_pton(AF_INET, "10.1.0.2", &gw);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, &gw);
	mnl_attr_put_u32(nlh, RTA_OIF, 5);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 100);
	mnl_attr_put_u32(nlh, RTA_TABLE, 1000);
	assert_int_equal(lig_nl_parse_route(nlh, &r), 0);
	assert_string_equal(inet_ntop(AF_INET, &r.dst, s, sizeof(s)), "10.9.0.0");
	assert_int_equal(r.dst_len, 16);
	assert_string_equal(inet_ntop(AF_INET, &r.gw, s, sizeof(s)), "10.1.0.2");
	assert_int_equal(r.oif, 5);
	assert_int_equal(r.metric, 100);
	assert_int_equal(r.table, 1000); /* RTA_TABLE wins over rtm_table */
	assert_int_equal(r.scope, LIG_NL_SCOPE_GLOBAL);
	assert_int_equal(r.nexthops, 1);
	rtm->rtm_flags = RTM_F_CLONED;
	assert_int_equal(lig_nl_parse_route(nlh, &r), 1);
	rtm->rtm_flags = 0;
	rtm->rtm_dst_len = 33;
	assert_int_equal(lig_nl_parse_route(nlh, &r), -EBADMSG);

	/* Two paths: the first is reported, both counted. */
	nlh = route_msg(&rtm);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_hop(nlh, 5, "10.1.0.2", 0);
	put_hop(nlh, 6, "10.2.0.2", 0);
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(lig_nl_parse_route(nlh, &r), 0);
	assert_int_equal(r.nexthops, 2);
	assert_int_equal(r.oif, 5);
	assert_string_equal(inet_ntop(AF_INET, &r.gw, s, sizeof(s)), "10.1.0.2");
	/* A hop longer than the attribute, one shorter than its header, a bad gateway. */
	nlh = route_msg(&rtm);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_hop(nlh, 5, "10.1.0.2", 200);
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(lig_nl_parse_route(nlh, &r), -EBADMSG);
	nlh = route_msg(&rtm);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_hop(nlh, 5, "10.1.0.2", 4);
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(lig_nl_parse_route(nlh, &r), -EBADMSG);
	nlh = route_msg(&rtm);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	struct rtnexthop *nh = mnl_nlmsg_get_payload_tail(nlh);
	memset(nh, 0, sizeof(*nh));
	nlh->nlmsg_len += sizeof(*nh);
	mnl_attr_put_u16(nlh, RTA_GATEWAY, 1);
	nh->rtnh_len = sizeof(*nh) + 8;
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(lig_nl_parse_route(nlh, &r), -EBADMSG);
	/* An empty multipath. */
	nlh = route_msg(&rtm);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(lig_nl_parse_route(nlh, &r), -EBADMSG);
}

static void
test_neigh(void **state)
{
	const uint8_t mac[6] = {2, 0, 0, 0, 0, 7};
	struct lig_nl_neigh n;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	struct in_addr ip;

	(void)state;
	inet_pton(AF_INET, "10.1.0.7", &ip);
	nlh = msg(RTM_NEWNEIGH, 0, 0);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = 4;
	ndm->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, 4, &ip);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	assert_int_equal(lig_nl_parse_neigh(nlh, &n), 0);
	assert_int_equal(n.ifindex, 4);
	assert_int_equal(n.state, NUD_PERMANENT);
	assert_int_equal(n.lladdr_len, 6);
	assert_memory_equal(n.lladdr, mac, 6);
	assert_int_equal(n.ip.s_addr, ip.s_addr);
	ndm->ndm_family = AF_BRIDGE;
	assert_int_equal(lig_nl_parse_neigh(nlh, &n), 1);
	nlh = msg(RTM_NEWNEIGH, 0, 0);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	assert_int_equal(lig_nl_parse_neigh(nlh, &n), -EBADMSG);
}

/* An NLMSG_ERROR: error, the echoed request (unless capped), then the ext ack TLVs. */
static struct nlmsghdr *
error_msg(int error, bool capped, uint32_t echoed_len, const char *text, bool text_nul)
{
	struct nlmsghdr *nlh = msg(NLMSG_ERROR, NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0), 9);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	e->msg.nlmsg_len = echoed_len;
	if (!capped && echoed_len > sizeof(struct nlmsghdr) && echoed_len < 256)
		mnl_nlmsg_put_extra_header(nlh, echoed_len - sizeof(struct nlmsghdr));
	if (text && text_nul)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	else if (text)
		mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, strlen(text), text);
	return nlh;
}

static void
test_error(void **state)
{
	char text[LIG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	(void)state;
	nlh = error_msg(-EINVAL, true, 16, "Nexthop has invalid gateway", true);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -EINVAL);
	assert_string_equal(text, "Nexthop has invalid gateway");
	/* Uncapped: the request comes first. */
	nlh = error_msg(-ENODEV, false, 48, "no such thing", true);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -ENODEV);
	assert_string_equal(text, "no such thing");
	/* An echoed length past the message: no text, the error still. */
	nlh = error_msg(-ENODEV, false, 0xfffffff0u, NULL, false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -ENODEV);
	assert_string_equal(text, "");
	nlh = error_msg(-ENODEV, false, 3, NULL, false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -ENODEV);
	/* A text without its NUL is not used. */
	nlh = error_msg(-EINVAL, true, 16, "abcd", false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -EINVAL);
	assert_string_equal(text, "");
	/* A text longer than the buffer is cut. */
	nlh = error_msg(-EINVAL, true, 16, "0123456789", true);
	assert_int_equal(lig_nl_parse_error(nlh, text, 5), -EINVAL);
	assert_string_equal(text, "0123");
	/* Errors no kernel sends. */
	nlh = error_msg(5, true, 16, NULL, false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -EPROTO);
	nlh = error_msg(-100000, true, 16, NULL, false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -EPROTO);
	/* Cut short. */
	nlh = msg(NLMSG_ERROR, 0, 0);
	mnl_nlmsg_put_extra_header(nlh, 8);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), -EBADMSG);
	/* An ack. */
	nlh = error_msg(0, true, 16, NULL, false);
	assert_int_equal(lig_nl_parse_error(nlh, text, sizeof(text)), 0);
}

static struct nlmsghdr *
genl(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = msg(type, 0, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void
test_genl_family(void **state)
{
	struct nlmsghdr *nlh;
	uint16_t id = 0;

	(void)state;
	nlh = genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 30);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ethtool");
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), 0);
	assert_int_equal(id, 30);
	nlh = genl(GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 30);
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), 1);
	nlh = genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 30);
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), -EBADMSG);
	nlh = genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 3); /* a reserved message type */
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), -EBADMSG);
	nlh = genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 7, "ethtool");
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), -EBADMSG);
	nlh = msg(GENL_ID_CTRL, 0, 0); /* no genl header */
	assert_int_equal(lig_nl_parse_genl_family(nlh, &id), -EBADMSG);
}

/* A verbose bitset: names[i] listed, with the value flag where on[i]. */
static void
put_bitset(struct nlmsghdr *nlh, uint16_t type, bool nomask, const char *const *names,
	   const bool *on, int n)
{
	struct nlattr *set = mnl_attr_nest_start(nlh, type), *bits, *bit;

	if (nomask)
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 64);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (int i = 0; i < n; i++) {
		bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
		mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, (uint32_t)i);
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, names[i]);
		if (on[i])
			mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
		mnl_attr_nest_end(nlh, bit);
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, set);
}

static void
test_features(void **state)
{
	const char *const hw_names[] = {"rx-checksum", "tx-checksum-ipv4", "tx-checksum-ip-generic",
					"tx-scatter-gather"};
	const bool hw_on[] = {true, false, true, true};
	const char *const active_names[] = {"rx-checksum", "tx-scatter-gather"};
	const bool active_on[] = {false, false}; /* NOMASK: listed means set */
	struct lig_nl_csum c;
	struct nlmsghdr *nlh;
	struct nlattr *set;

	(void)state;
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, hw_on, 4);
	put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, true, active_names, active_on, 2);
	assert_int_equal(lig_nl_parse_features(nlh, &c), 0);
	assert_true(c.rx);
	assert_false(c.tx);
	assert_false(c.rx_fixed);
	assert_false(c.tx_fixed);
	/* Without the value flags in HW (a value/mask pair), nothing can change. */
	const bool none[] = {false, false, false, false};
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, none, 4);
	put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, true, hw_names + 2, none, 1);
	assert_int_equal(lig_nl_parse_features(nlh, &c), 0);
	assert_false(c.rx);
	assert_true(c.tx);
	assert_true(c.rx_fixed);
	assert_true(c.tx_fixed);
	/* Another command; no ACTIVE; a compact bitset; a name without its NUL. */
	nlh = genl(40, ETHTOOL_MSG_FEATURES_SET_REPLY);
	assert_int_equal(lig_nl_parse_features(nlh, &c), 1);
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, hw_on, 4);
	assert_int_equal(lig_nl_parse_features(nlh, &c), -EBADMSG);
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, hw_on, 4);
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_ACTIVE);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 32);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_VALUE, 1);
	mnl_attr_nest_end(nlh, set);
	assert_int_equal(lig_nl_parse_features(nlh, &c), -EBADMSG);
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, hw_on, 4);
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_ACTIVE);
	struct nlattr *bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	struct nlattr *bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_NAME, 11, "rx-checksum");
	mnl_attr_nest_end(nlh, bit);
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, set);
	assert_int_equal(lig_nl_parse_features(nlh, &c), -EBADMSG);
	/* A value flag with a payload. */
	nlh = genl(40, ETHTOOL_MSG_FEATURES_GET_REPLY);
	put_bitset(nlh, ETHTOOL_A_FEATURES_HW, false, hw_names, hw_on, 4);
	set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_ACTIVE);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
	mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, "rx-checksum");
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 1);
	mnl_attr_nest_end(nlh, bit);
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, set);
	assert_int_equal(lig_nl_parse_features(nlh, &c), -EBADMSG);
}

static int
count_link(const struct lig_nl_link *l, void *arg)
{
	(void)l;
	(*(int *)arg)++;
	return 0;
}

/* Appends a copy of the message at buf to a datagram. */
static size_t
append(uint8_t *dgram, size_t at)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	memcpy(dgram + at, buf, len);
	return at + len;
}

static void
test_reply_feed(void **state)
{
	static uint32_t dgram_words[2048];
	uint8_t *dgram = (uint8_t *)dgram_words;
	char err[256];
	size_t size = 0;
	int n = 0;
	struct nlmsghdr *nlh;
	struct lig_nl_reply r = {
	    .type = RTM_NEWLINK, .on_msg = lig_nl_on_link, .cb.link = count_link, .arg = &n};

	(void)state;
	/* Two links of this request, one of an older one, one that does not parse, DONE. */
	nlh = link_msg(1, "a");
	nlh->nlmsg_seq = 5;
	size = append(dgram, size);
	nlh->nlmsg_seq = 4;
	size = append(dgram, size);
	nlh = link_msg(2, "b");
	nlh->nlmsg_seq = 5;
	size = append(dgram, size);
	nlh = link_msg(3, NULL);
	nlh->nlmsg_seq = 5;
	size = append(dgram, size);
	assert_int_equal(lig_nl_reply_feed(&r, dgram, size, 5, 0), 1);
	assert_int_equal(n, 2);
	assert_int_equal(r.bad, 1);
	nlh = msg(NLMSG_DONE, 0, 5);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	assert_int_equal(lig_nl_reply_feed(&r, buf, nlh->nlmsg_len, 5, 0), 0);
	assert_int_equal(lig_nl_reply_status(&r, err, sizeof(err)), -EBADMSG);
	assert_string_equal(err, "1 malformed message(s) skipped");

	/* A message longer than its datagram. */
	r = (struct lig_nl_reply){.type = RTM_NEWLINK, .on_msg = lig_nl_on_link};
	nlh = link_msg(1, "a");
	assert_int_equal(lig_nl_reply_feed(&r, buf, nlh->nlmsg_len - 4, 0, 0), 1);
	assert_int_equal(r.bad, 1);
	assert_int_equal(r.msgs, 0);
	/* An unaligned length at the end of the datagram. */
	r = (struct lig_nl_reply){.type = RTM_NEWLINK, .on_msg = lig_nl_on_link};
	nlh->nlmsg_len -= 1;
	assert_int_equal(lig_nl_reply_feed(&r, buf, nlh->nlmsg_len, 0, 0), 1);
	assert_int_equal(r.bad, 1);

	/* A length near 4 GiB, which NLMSG_ALIGN would wrap to 0 (the fuzzer's hang). */
	for (uint32_t len = 0xfffffffcu; len != 0; len++) {
		r = (struct lig_nl_reply){.type = RTM_NEWLINK, .on_msg = lig_nl_on_link};
		nlh = link_msg(1, "a");
		nlh->nlmsg_len = len;
		assert_int_equal(lig_nl_reply_feed(&r, buf, 64, 0, 0), 1);
		assert_int_equal(r.bad, 1);
		struct lig_nl_monitor *m = lig_nl_monitor_detached();
		assert_int_equal(lig_nl_monitor_feed(m, buf, 64, NULL, NULL), 0);
		lig_nl_monitor_close(m);
	}
	/* An interrupted dump. */
	r = (struct lig_nl_reply){.type = RTM_NEWLINK, .on_msg = lig_nl_on_link};
	nlh = msg(NLMSG_DONE, NLM_F_DUMP_INTR, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	assert_int_equal(lig_nl_reply_feed(&r, buf, nlh->nlmsg_len, 0, 0), 0);
	assert_int_equal(lig_nl_reply_status(&r, err, sizeof(err)), -EINTR);
	/* A dump that failed, with the kernel's reason after the status. */
	r = (struct lig_nl_reply){.type = RTM_NEWLINK, .on_msg = lig_nl_on_link};
	nlh = msg(NLMSG_DONE, NLM_F_ACK_TLVS, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -EMSGSIZE;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "too big");
	assert_int_equal(lig_nl_reply_feed(&r, buf, nlh->nlmsg_len, 0, 0), 0);
	assert_int_equal(lig_nl_reply_status(&r, err, sizeof(err)), -EMSGSIZE);
	assert_string_equal(err, "too big");
	/* An error without a text: strerror. */
	r = (struct lig_nl_reply){0};
	error_msg(-ENODEV, true, 16, NULL, false);
	assert_int_equal(lig_nl_reply_feed(&r, buf, ((struct nlmsghdr *)buf)->nlmsg_len, 0, 0), 0);
	assert_int_equal(lig_nl_reply_status(&r, err, sizeof(err)), -ENODEV);
	assert_string_equal(err, strerror(ENODEV));
	/* An ack. */
	r = (struct lig_nl_reply){0};
	error_msg(0, true, 16, NULL, false);
	assert_int_equal(lig_nl_reply_feed(&r, buf, ((struct nlmsghdr *)buf)->nlmsg_len, 0, 0), 0);
	strcpy(err, "stale");
	assert_int_equal(lig_nl_reply_status(&r, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(lig_nl_ifname_valid("eth0"));
	assert_true(lig_nl_ifname_valid("0123456789abcde"));
	assert_false(lig_nl_ifname_valid("0123456789abcdef"));
	assert_false(lig_nl_ifname_valid(""));
	assert_false(lig_nl_ifname_valid(NULL));
	assert_false(lig_nl_ifname_valid("a/b"));
	assert_false(lig_nl_ifname_valid("a:b"));
	assert_false(lig_nl_ifname_valid("a b"));
	assert_false(lig_nl_ifname_valid(".."));
	assert_true(lig_netns_name_valid("red"));
	assert_false(lig_netns_name_valid("a/b"));
	assert_false(lig_netns_name_valid("."));
	assert_false(lig_netns_name_valid(""));
	assert_false(lig_netns_name_valid(NULL));
	assert_string_equal(lig_nl_link_event_name(LIG_NL_LINK_UP), "up");
	assert_string_equal(lig_nl_link_event_name(99), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_link),	   cmocka_unit_test(test_link_tap),
	    cmocka_unit_test(test_link_malformed), cmocka_unit_test(test_addr),
	    cmocka_unit_test(test_route),	   cmocka_unit_test(test_neigh),
	    cmocka_unit_test(test_error),	   cmocka_unit_test(test_reply_feed),
	    cmocka_unit_test(test_names),	   cmocka_unit_test(test_genl_family),
	    cmocka_unit_test(test_features),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

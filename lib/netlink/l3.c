/* SPDX-License-Identifier: Apache-2.0 */
/*
 * IPv4 addresses, routes and neighbour (ARP) entries of a namespace: add, delete,
 * replace, dump.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "nl_internal.h"

static int
bad_index(char *err, size_t err_size, int ifindex)
{
	return lig_nl_fail(err, err_size, -EINVAL, "interface index %d is not valid", ifindex);
}

/* ---- addresses ---- */

static int
addr_request(struct lig_nl *nl, uint16_t type, uint16_t flags, int ifindex, struct in_addr addr,
	     uint8_t prefixlen, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (prefixlen > 32)
		return lig_nl_fail(err, err_size, -EINVAL, "prefix length %u is over 32",
				   prefixlen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	/* Loopback addresses are host scope, as `ip` makes them. */
	ifa->ifa_scope = (ntohl(addr.s_addr) >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	if (type == RTM_NEWADDR && prefixlen <= 30) {
		uint32_t host = prefixlen ? 0xffffffffu >> prefixlen : 0xffffffffu;
		struct in_addr brd = {.s_addr = addr.s_addr | htonl(host)};
		mnl_attr_put(nlh, IFA_BROADCAST, sizeof(brd), &brd);
	}
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_addr_add(struct lig_nl *nl, int ifindex, struct in_addr addr, uint8_t prefixlen, char *err,
		size_t err_size)
{
	return addr_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, addr, prefixlen,
			    err, err_size);
}

int
lig_nl_addr_del(struct lig_nl *nl, int ifindex, struct in_addr addr, uint8_t prefixlen, char *err,
		size_t err_size)
{
	return addr_request(nl, RTM_DELADDR, 0, ifindex, addr, prefixlen, err, err_size);
}

int
lig_nl_addr_dump(struct lig_nl *nl, int ifindex, lig_nl_addr_cb cb, void *arg, char *err,
		 size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct lig_nl_reply r = {.type = RTM_NEWADDR,
				 .on_msg = lig_nl_on_addr,
				 .cb.addr = cb,
				 .arg = arg,
				 .ifindex = ifindex > 0 ? ifindex : 0};

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	return lig_nl_exec(nl, nlh, &r, err, err_size);
}

/* ---- routes ---- */

static uint8_t
scope_to_kernel(enum lig_nl_scope scope, bool has_gw)
{
	switch (scope) {
	case LIG_NL_SCOPE_AUTO:
		return has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	case LIG_NL_SCOPE_GLOBAL:
		return RT_SCOPE_UNIVERSE;
	case LIG_NL_SCOPE_SITE:
		return RT_SCOPE_SITE;
	case LIG_NL_SCOPE_LINK:
		return RT_SCOPE_LINK;
	case LIG_NL_SCOPE_HOST:
		return RT_SCOPE_HOST;
	case LIG_NL_SCOPE_NOWHERE:
		return RT_SCOPE_NOWHERE;
	}
	return RT_SCOPE_NOWHERE;
}

static int
route_request(struct lig_nl *nl, uint16_t type, uint16_t flags, const struct lig_nl_route *rt,
	      char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	uint32_t table = rt->table ? rt->table : RT_TABLE_MAIN;
	bool add = type == RTM_NEWROUTE, has_gw = rt->gw.s_addr != 0;

	if (rt->dst_len > 32)
		return lig_nl_fail(err, err_size, -EINVAL, "prefix length %u is over 32",
				   rt->dst_len);
	if (rt->oif < 0)
		return bad_index(err, err_size, rt->oif);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = rt->dst_len;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	if (add) {
		rtm->rtm_protocol = rt->protocol ? rt->protocol : RTPROT_STATIC;
		rtm->rtm_scope = scope_to_kernel(rt->scope, has_gw);
		rtm->rtm_type = rt->type ? rt->type : RTN_UNICAST;
	} else {
		/* Deleting: unset fields match any route. */
		rtm->rtm_protocol = rt->protocol;
		rtm->rtm_scope = rt->scope == LIG_NL_SCOPE_AUTO
				     ? RT_SCOPE_NOWHERE
				     : scope_to_kernel(rt->scope, has_gw);
		rtm->rtm_type = rt->type;
	}
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (rt->dst_len > 0)
		mnl_attr_put(nlh, RTA_DST, sizeof(rt->dst), &rt->dst);
	if (has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, sizeof(rt->gw), &rt->gw);
	if (rt->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)rt->oif);
	if (rt->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	if (rt->prefsrc.s_addr)
		mnl_attr_put(nlh, RTA_PREFSRC, sizeof(rt->prefsrc), &rt->prefsrc);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_route_add(struct lig_nl *nl, const struct lig_nl_route *route, char *err, size_t err_size)
{
	return route_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route, err, err_size);
}

int
lig_nl_route_replace(struct lig_nl *nl, const struct lig_nl_route *route, char *err,
		     size_t err_size)
{
	return route_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, route, err, err_size);
}

int
lig_nl_route_del(struct lig_nl *nl, const struct lig_nl_route *route, char *err, size_t err_size)
{
	return route_request(nl, RTM_DELROUTE, 0, route, err, err_size);
}

int
lig_nl_route_dump(struct lig_nl *nl, uint32_t table, lig_nl_route_cb cb, void *arg, char *err,
		  size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	struct lig_nl_reply r = {.type = RTM_NEWROUTE,
				 .on_msg = lig_nl_on_route,
				 .cb.route = cb,
				 .arg = arg,
				 .table = table};

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	return lig_nl_exec(nl, nlh, &r, err, err_size);
}

/* ---- neighbours ---- */

static int
neigh_request(struct lig_nl *nl, uint16_t type, uint16_t flags, int ifindex, struct in_addr ip,
	      const uint8_t *lladdr, size_t lladdr_len, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	if (ifindex <= 0)
		return bad_index(err, err_size, ifindex);
	if (type == RTM_NEWNEIGH && (!lladdr || lladdr_len == 0 || lladdr_len > LIG_NL_HWADDR_MAX))
		return lig_nl_fail(err, err_size, -EINVAL,
				   "a link-layer address is 1 to %d bytes, not %zu",
				   LIG_NL_HWADDR_MAX, lladdr ? lladdr_len : 0);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = type == RTM_NEWNEIGH ? NUD_PERMANENT : 0;
	ndm->ndm_type = RTN_UNICAST;
	mnl_attr_put(nlh, NDA_DST, sizeof(ip), &ip);
	if (type == RTM_NEWNEIGH)
		mnl_attr_put(nlh, NDA_LLADDR, lladdr_len, lladdr);
	return lig_nl_exec_ack(nl, nlh, err, err_size);
}

int
lig_nl_neigh_add(struct lig_nl *nl, int ifindex, struct in_addr ip, const uint8_t *lladdr,
		 size_t lladdr_len, char *err, size_t err_size)
{
	return neigh_request(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, ifindex, ip, lladdr,
			     lladdr_len, err, err_size);
}

int
lig_nl_neigh_replace(struct lig_nl *nl, int ifindex, struct in_addr ip, const uint8_t *lladdr,
		     size_t lladdr_len, char *err, size_t err_size)
{
	return neigh_request(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, ifindex, ip, lladdr,
			     lladdr_len, err, err_size);
}

int
lig_nl_neigh_del(struct lig_nl *nl, int ifindex, struct in_addr ip, char *err, size_t err_size)
{
	return neigh_request(nl, RTM_DELNEIGH, 0, ifindex, ip, NULL, 0, err, err_size);
}

int
lig_nl_neigh_dump(struct lig_nl *nl, int ifindex, lig_nl_neigh_cb cb, void *arg, char *err,
		  size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;
	struct lig_nl_reply r = {.type = RTM_NEWNEIGH,
				 .on_msg = lig_nl_on_neigh,
				 .cb.neigh = cb,
				 .arg = arg,
				 .ifindex = ifindex > 0 ? ifindex : 0};

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	return lig_nl_exec(nl, nlh, &r, err, err_size);
}

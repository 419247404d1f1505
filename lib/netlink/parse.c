/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reply reader and the parsers of the kernel's rtnetlink messages (links, addresses,
 * routes, neighbours, namespace ids, errors with extended acks). Every length is checked
 * before it is used: a message must lie within its datagram, its fixed header within the
 * message, each attribute within the message (libmnl's walk) and have the size its type
 * needs (mnl_attr_validate). What does not fit is counted as bad, never read past.
 */
#include <errno.h>
#include <net/if.h> /* before the linux/ headers, which then defer to it */
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "nl_internal.h"

/* The attributes of one message, by type, once each passed its check. */
struct attrs {
	const struct nlattr **tb;
	unsigned max;
	/* Returns 0 when attr is acceptable for its type. */
	int (*check)(const struct nlattr *attr);
};

static int
attr_collect(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type > a->max)
		return MNL_CB_OK; /* newer than this code: not ours to read */
	if (a->check && a->check(attr) < 0)
		return MNL_CB_ERROR;
	a->tb[type] = attr;
	return MNL_CB_OK;
}

/* Collects the attributes after a fixed header of hdr_size bytes; -EBADMSG when the
 * header does not fit or an attribute fails its check. */
static int
parse_attrs(const struct nlmsghdr *nlh, size_t hdr_size, const struct nlattr **tb, unsigned max,
	    int (*check)(const struct nlattr *attr))
{
	struct attrs a = {.tb = tb, .max = max, .check = check};

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < hdr_size)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, hdr_size, attr_collect, &a) < MNL_CB_STOP)
		return -EBADMSG;
	return 0;
}

static int
parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max,
	     int (*check)(const struct nlattr *attr))
{
	struct attrs a = {.tb = tb, .max = max, .check = check};

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, attr_collect, &a) < MNL_CB_STOP)
		return -EBADMSG;
	return 0;
}

static int
valid(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) < 0 ? -1 : 0;
}

static int
valid_len(const struct nlattr *attr, size_t len)
{
	return mnl_attr_validate2(attr, MNL_TYPE_BINARY, len) < 0 ? -1 : 0;
}

/* A NUL-terminated string that fits a buffer of size bytes. */
static int
valid_str(const struct nlattr *attr, size_t size)
{
	if (valid(attr, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	return strnlen(mnl_attr_get_str(attr), size) < size ? 0 : -1;
}

static int
valid_hwaddr(const struct nlattr *attr)
{
	return mnl_attr_get_payload_len(attr) <= LIG_NL_HWADDR_MAX ? 0 : -1;
}

/* Copies a string attribute that passed valid_str into dst of dst_size bytes. */
static void
copy_str(char *dst, size_t dst_size, const struct nlattr *attr)
{
	snprintf(dst, dst_size, "%s", mnl_attr_get_str(attr));
}

/* ---- links ---- */

static int
check_link_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		return valid_str(attr, IFNAMSIZ);
	case IFLA_IFALIAS:
		return valid_str(attr, LIG_NL_ALIAS_MAX);
	case IFLA_MTU:
	case IFLA_LINK:
	case IFLA_MASTER:
	case IFLA_LINK_NETNSID:
		return valid(attr, MNL_TYPE_U32);
	case IFLA_OPERSTATE:
		return valid(attr, MNL_TYPE_U8);
	case IFLA_ADDRESS:
		return valid_hwaddr(attr);
	case IFLA_LINKINFO:
		return valid(attr, MNL_TYPE_NESTED);
	}
	return 0;
}

static int
check_linkinfo_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case IFLA_INFO_KIND:
		return valid_str(attr, sizeof(((struct lig_nl_link *)0)->kind));
	case IFLA_INFO_DATA:
		return valid(attr, MNL_TYPE_NESTED);
	}
	return 0;
}

static int
check_tun_attr(const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == IFLA_TUN_TYPE)
		return valid(attr, MNL_TYPE_U8);
	return 0;
}

int
lig_nl_parse_link(const struct nlmsghdr *nlh, struct lig_nl_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1], *tun[IFLA_TUN_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	memset(out, 0, sizeof(*out));
	if (parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX, check_link_attr) < 0)
		return -EBADMSG;
	if (ifi->ifi_index <= 0 || !tb[IFLA_IFNAME])
		return -EBADMSG;
	out->ifindex = ifi->ifi_index;
	out->arptype = ifi->ifi_type;
	out->flags = ifi->ifi_flags;
	out->up = ifi->ifi_flags & IFF_UP;
	out->running = ifi->ifi_flags & IFF_RUNNING;
	out->link_nsid = -1;
	out->operstate = IF_OPER_UNKNOWN;
	copy_str(out->name, sizeof(out->name), tb[IFLA_IFNAME]);
	if (tb[IFLA_IFALIAS])
		copy_str(out->alias, sizeof(out->alias), tb[IFLA_IFALIAS]);
	if (tb[IFLA_MTU])
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINK])
		out->link_ifindex = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		out->link_nsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_MASTER])
		out->master_ifindex = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_OPERSTATE])
		out->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_ADDRESS]) {
		out->hwaddr_len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		memcpy(out->hwaddr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), out->hwaddr_len);
	}
	if (tb[IFLA_LINKINFO]) {
		if (parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX, check_linkinfo_attr) < 0)
			return -EBADMSG;
		if (info[IFLA_INFO_KIND])
			copy_str(out->kind, sizeof(out->kind), info[IFLA_INFO_KIND]);
	}
	if (ifi->ifi_type == ARPHRD_LOOPBACK || (ifi->ifi_flags & IFF_LOOPBACK)) {
		out->type = LIG_NL_LINK_LOOPBACK;
	} else if (!strcmp(out->kind, "veth")) {
		out->type = LIG_NL_LINK_VETH;
	} else if (!strcmp(out->kind, "dummy")) {
		out->type = LIG_NL_LINK_DUMMY;
	} else if (!strcmp(out->kind, "tun")) {
		out->type = LIG_NL_LINK_TUN;
		if (info[IFLA_INFO_DATA]) {
			if (parse_nested(info[IFLA_INFO_DATA], tun, IFLA_TUN_MAX, check_tun_attr) <
			    0)
				return -EBADMSG;
			if (tun[IFLA_TUN_TYPE] && mnl_attr_get_u8(tun[IFLA_TUN_TYPE]) == IFF_TAP)
				out->type = LIG_NL_LINK_TAP;
		}
	}
	return 0;
}

/* ---- addresses ---- */

static int
check_addr_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case IFA_ADDRESS:
	case IFA_LOCAL:
	case IFA_BROADCAST:
		return valid_len(attr, sizeof(struct in_addr));
	case IFA_LABEL:
		return valid_str(attr, IFNAMSIZ);
	case IFA_FLAGS:
		return valid(attr, MNL_TYPE_U32);
	}
	return 0;
}

static void
get_in_addr(struct in_addr *dst, const struct nlattr *attr)
{
	memcpy(dst, mnl_attr_get_payload(attr), sizeof(*dst));
}

int
lig_nl_parse_addr(const struct nlmsghdr *nlh, struct lig_nl_addr *out)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	memset(out, 0, sizeof(*out));
	if (parse_attrs(nlh, sizeof(*ifa), tb, IFA_MAX, check_addr_attr) < 0)
		return -EBADMSG;
	if (ifa->ifa_family != AF_INET)
		return 1;
	if (ifa->ifa_prefixlen > 32 || (!tb[IFA_LOCAL] && !tb[IFA_ADDRESS]))
		return -EBADMSG;
	out->ifindex = (int)ifa->ifa_index;
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	out->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	/* Without IFA_LOCAL (some link types) the address is IFA_ADDRESS, and the other way. */
	get_in_addr(&out->local, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]);
	get_in_addr(&out->address, tb[IFA_ADDRESS] ? tb[IFA_ADDRESS] : tb[IFA_LOCAL]);
	if (tb[IFA_BROADCAST]) {
		get_in_addr(&out->broadcast, tb[IFA_BROADCAST]);
		out->has_broadcast = true;
	}
	if (tb[IFA_LABEL])
		copy_str(out->label, sizeof(out->label), tb[IFA_LABEL]);
	return 0;
}

/* ---- routes ---- */

static int
check_route_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_PREFSRC:
		return valid_len(attr, sizeof(struct in_addr));
	case RTA_OIF:
	case RTA_PRIORITY:
	case RTA_TABLE:
		return valid(attr, MNL_TYPE_U32);
	}
	return 0;
}

static int
check_nexthop_attr(const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == RTA_GATEWAY)
		return valid_len(attr, sizeof(struct in_addr));
	return 0;
}

/* The paths of RTA_MULTIPATH: a sequence of struct rtnexthop, each followed by its own
 * attributes within rtnh_len. The first path's gateway and interface go into out. */
static int
parse_multipath(const struct nlattr *mp, struct lig_nl_route *out)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t rem = mnl_attr_get_payload_len(mp);
	unsigned count = 0;

	while (rem >= sizeof(struct rtnexthop)) {
		struct rtnexthop nh;
		const struct nlattr *attr;
		size_t hop_size, attrs_size;

		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < (int)sizeof(nh) || nh.rtnh_len > rem)
			return -EBADMSG;
		hop_size = (size_t)RTNH_ALIGN(nh.rtnh_len);
		if (hop_size > rem)
			hop_size = rem; /* the last one, unpadded */
		attrs_size = nh.rtnh_len - (size_t)RTNH_ALIGN(sizeof(nh));
		if (count == 0) {
			out->oif = nh.rtnh_ifindex;
			const uint8_t *a = p + RTNH_ALIGN(sizeof(nh)), *end = a + attrs_size;
			for (attr = (const struct nlattr *)a;
			     mnl_attr_ok(attr, (int)(end - (const uint8_t *)attr));
			     attr = mnl_attr_next(attr)) {
				if (check_nexthop_attr(attr) < 0)
					return -EBADMSG;
				if (mnl_attr_get_type(attr) == RTA_GATEWAY)
					get_in_addr(&out->gw, attr);
			}
		}
		count++;
		p += hop_size;
		rem -= hop_size;
	}
	if (count == 0)
		return -EBADMSG;
	out->nexthops = count;
	return 0;
}

static enum lig_nl_scope
scope_from_kernel(uint8_t scope)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return LIG_NL_SCOPE_GLOBAL;
	case RT_SCOPE_SITE:
		return LIG_NL_SCOPE_SITE;
	case RT_SCOPE_LINK:
		return LIG_NL_SCOPE_LINK;
	case RT_SCOPE_HOST:
		return LIG_NL_SCOPE_HOST;
	}
	return LIG_NL_SCOPE_NOWHERE;
}

int
lig_nl_parse_route(const struct nlmsghdr *nlh, struct lig_nl_route *out)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	memset(out, 0, sizeof(*out));
	if (parse_attrs(nlh, sizeof(*rtm), tb, RTA_MAX, check_route_attr) < 0)
		return -EBADMSG;
	if (rtm->rtm_family != AF_INET || (rtm->rtm_flags & RTM_F_CLONED))
		return 1;
	if (rtm->rtm_dst_len > 32)
		return -EBADMSG;
	out->dst_len = rtm->rtm_dst_len;
	out->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	out->scope = scope_from_kernel(rtm->rtm_scope);
	out->protocol = rtm->rtm_protocol;
	out->type = rtm->rtm_type;
	out->flags = rtm->rtm_flags;
	out->nexthops = 1;
	if (tb[RTA_DST])
		get_in_addr(&out->dst, tb[RTA_DST]);
	if (tb[RTA_GATEWAY])
		get_in_addr(&out->gw, tb[RTA_GATEWAY]);
	if (tb[RTA_PREFSRC])
		get_in_addr(&out->prefsrc, tb[RTA_PREFSRC]);
	if (tb[RTA_OIF])
		out->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PRIORITY])
		out->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_MULTIPATH] && parse_multipath(tb[RTA_MULTIPATH], out) < 0)
		return -EBADMSG;
	return 0;
}

/* ---- neighbours ---- */

static int
check_neigh_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case NDA_DST:
		return valid_len(attr, sizeof(struct in_addr));
	case NDA_LLADDR:
		return valid_hwaddr(attr);
	}
	return 0;
}

int
lig_nl_parse_neigh(const struct nlmsghdr *nlh, struct lig_nl_neigh *out)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	memset(out, 0, sizeof(*out));
	if (parse_attrs(nlh, sizeof(*ndm), tb, NDA_MAX, check_neigh_attr) < 0)
		return -EBADMSG;
	if (ndm->ndm_family != AF_INET)
		return 1;
	if (!tb[NDA_DST])
		return -EBADMSG;
	out->ifindex = ndm->ndm_ifindex;
	out->state = ndm->ndm_state;
	out->flags = ndm->ndm_flags;
	get_in_addr(&out->ip, tb[NDA_DST]);
	if (tb[NDA_LLADDR]) {
		out->lladdr_len = mnl_attr_get_payload_len(tb[NDA_LLADDR]);
		memcpy(out->lladdr, mnl_attr_get_payload(tb[NDA_LLADDR]), out->lladdr_len);
	}
	return 0;
}

/* ---- namespace ids ---- */

static int
check_nsid_attr(const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == NETNSA_NSID)
		return valid(attr, MNL_TYPE_U32);
	return 0;
}

int
lig_nl_parse_nsid(const struct nlmsghdr *nlh, int *nsid)
{
	const struct nlattr *tb[NETNSA_MAX + 1];

	if (parse_attrs(nlh, sizeof(struct rtgenmsg), tb, NETNSA_MAX, check_nsid_attr) < 0 ||
	    !tb[NETNSA_NSID])
		return -EBADMSG;
	*nsid = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return 0;
}

/* ---- generic netlink: family ids, ethtool features ---- */

static int
check_ctrl_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		return valid(attr, MNL_TYPE_U16);
	case CTRL_ATTR_FAMILY_NAME:
		return valid(attr, MNL_TYPE_NUL_STRING);
	}
	return 0;
}

int
lig_nl_parse_genl_family(const struct nlmsghdr *nlh, uint16_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (parse_attrs(nlh, GENL_HDRLEN, tb, CTRL_ATTR_MAX, check_ctrl_attr) < 0)
		return -EBADMSG;
	if (g->cmd != CTRL_CMD_NEWFAMILY)
		return 1;
	if (!tb[CTRL_ATTR_FAMILY_ID] || mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]) < NLMSG_MIN_TYPE)
		return -EBADMSG;
	*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

static int
check_features_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_FEATURES_HEADER:
	case ETHTOOL_A_FEATURES_HW:
	case ETHTOOL_A_FEATURES_WANTED:
	case ETHTOOL_A_FEATURES_ACTIVE:
	case ETHTOOL_A_FEATURES_NOCHANGE:
		return valid(attr, MNL_TYPE_NESTED);
	}
	return 0;
}

static int
check_bitset_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_BITSET_NOMASK:
		return valid(attr, MNL_TYPE_FLAG);
	case ETHTOOL_A_BITSET_SIZE:
		return valid(attr, MNL_TYPE_U32);
	case ETHTOOL_A_BITSET_BITS:
		return valid(attr, MNL_TYPE_NESTED);
	}
	return 0;
}

static int
check_bit_attr(const struct nlattr *attr)
{
	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_BITSET_BIT_INDEX:
		return valid(attr, MNL_TYPE_U32);
	case ETHTOOL_A_BITSET_BIT_NAME:
		return valid(attr, MNL_TYPE_NUL_STRING);
	case ETHTOOL_A_BITSET_BIT_VALUE:
		return valid(attr, MNL_TYPE_FLAG);
	}
	return 0;
}

static bool
tx_csum_feature(const char *name)
{
	return !strcmp(name, "tx-checksum-ipv4") || !strcmp(name, "tx-checksum-ip-generic") ||
	       !strcmp(name, "tx-checksum-ipv6");
}

/* The checksum features set in a verbose bitset: with NOMASK every bit listed is set,
 * otherwise those with the value flag. A compact bitset (values without names) is not
 * what was asked for. */
static int
bitset_csum(const struct nlattr *set, bool *rx, bool *tx)
{
	const struct nlattr *tb[ETHTOOL_A_BITSET_MAX + 1], *bt[ETHTOOL_A_BITSET_BIT_MAX + 1];
	const struct nlattr *bit;
	bool nomask;

	*rx = *tx = false;
	if (parse_nested(set, tb, ETHTOOL_A_BITSET_MAX, check_bitset_attr) < 0)
		return -EBADMSG;
	if (!tb[ETHTOOL_A_BITSET_BITS])
		return tb[ETHTOOL_A_BITSET_VALUE] ? -EBADMSG : 0;
	nomask = tb[ETHTOOL_A_BITSET_NOMASK] != NULL;
	mnl_attr_for_each_nested(bit, tb[ETHTOOL_A_BITSET_BITS])
	{
		const char *name;

		if (mnl_attr_get_type(bit) != ETHTOOL_A_BITSET_BITS_BIT)
			continue;
		if (valid(bit, MNL_TYPE_NESTED) < 0 ||
		    parse_nested(bit, bt, ETHTOOL_A_BITSET_BIT_MAX, check_bit_attr) < 0)
			return -EBADMSG;
		if (!bt[ETHTOOL_A_BITSET_BIT_NAME] || (!nomask && !bt[ETHTOOL_A_BITSET_BIT_VALUE]))
			continue;
		name = mnl_attr_get_str(bt[ETHTOOL_A_BITSET_BIT_NAME]);
		if (!strcmp(name, "rx-checksum"))
			*rx = true;
		else if (tx_csum_feature(name))
			*tx = true;
	}
	return 0;
}

int
lig_nl_parse_features(const struct nlmsghdr *nlh, struct lig_nl_csum *out)
{
	const struct nlattr *tb[ETHTOOL_A_FEATURES_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	bool rx_hw, tx_hw;

	memset(out, 0, sizeof(*out));
	if (parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_FEATURES_MAX, check_features_attr) < 0)
		return -EBADMSG;
	if (g->cmd != ETHTOOL_MSG_FEATURES_GET_REPLY)
		return 1;
	if (!tb[ETHTOOL_A_FEATURES_ACTIVE] || !tb[ETHTOOL_A_FEATURES_HW])
		return -EBADMSG;
	if (bitset_csum(tb[ETHTOOL_A_FEATURES_ACTIVE], &out->rx, &out->tx) < 0 ||
	    bitset_csum(tb[ETHTOOL_A_FEATURES_HW], &rx_hw, &tx_hw) < 0)
		return -EBADMSG;
	/* HW is a value/mask pair: value = what the driver lets change. */
	out->rx_fixed = !rx_hw;
	out->tx_fixed = !tx_hw;
	return 0;
}

/* ---- errors, acks and the end of dumps ---- */

static int
check_ext_ack_attr(const struct nlattr *attr)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
		return valid(attr, MNL_TYPE_NUL_STRING);
	return 0;
}

/* The extended ack attributes start offset bytes into the payload. */
static void
parse_ext_ack(const struct nlmsghdr *nlh, size_t offset, char *msg, size_t msg_size)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	if (parse_attrs(nlh, offset, tb, NLMSGERR_ATTR_MAX, check_ext_ack_attr) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && msg_size)
		snprintf(msg, msg_size, "%s", mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
}

/* An errno from the kernel is between -4095 and 0. */
static int
sane_error(int error)
{
	return error > 0 || error < -4095 ? -EPROTO : error;
}

int
lig_nl_parse_error(const struct nlmsghdr *nlh, char *msg, size_t msg_size)
{
	struct nlmsgerr e;
	size_t offset = sizeof(e);

	if (msg_size)
		msg[0] = '\0';
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return -EBADMSG;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	/* Unless capped, the request that failed is echoed before the attributes. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < sizeof(struct nlmsghdr))
			return sane_error(e.error);
		offset += (size_t)e.msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	parse_ext_ack(nlh, offset, msg, msg_size);
	return sane_error(e.error);
}

int
lig_nl_parse_done(const struct nlmsghdr *nlh, char *msg, size_t msg_size)
{
	int error;

	if (msg_size)
		msg[0] = '\0';
	/* An old kernel may end a dump with an empty DONE: success. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	parse_ext_ack(nlh, sizeof(error), msg, msg_size);
	return sane_error(error);
}

/* ---- the reader ---- */

void
lig_nl_on_link(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct lig_nl_link link;

	if (lig_nl_parse_link(nlh, &link) < 0) {
		r->bad++;
		return;
	}
	link.netns = r->netns ? r->netns : "";
	if (!r->cb_rc && r->cb.link)
		r->cb_rc = r->cb.link(&link, r->arg);
}

void
lig_nl_on_addr(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct lig_nl_addr addr;
	int rc = lig_nl_parse_addr(nlh, &addr);

	if (rc < 0)
		r->bad++;
	if (rc || (r->ifindex && addr.ifindex != r->ifindex))
		return;
	if (!r->cb_rc && r->cb.addr)
		r->cb_rc = r->cb.addr(&addr, r->arg);
}

void
lig_nl_on_route(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct lig_nl_route route;
	int rc = lig_nl_parse_route(nlh, &route);

	if (rc < 0)
		r->bad++;
	if (rc || (r->table && route.table != r->table))
		return;
	if (!r->cb_rc && r->cb.route)
		r->cb_rc = r->cb.route(&route, r->arg);
}

void
lig_nl_on_neigh(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct lig_nl_neigh neigh;
	int rc = lig_nl_parse_neigh(nlh, &neigh);

	if (rc < 0)
		r->bad++;
	if (rc || (r->ifindex && neigh.ifindex != r->ifindex))
		return;
	if (!r->cb_rc && r->cb.neigh)
		r->cb_rc = r->cb.neigh(&neigh, r->arg);
}

void
lig_nl_on_nsid(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	int nsid;

	if (lig_nl_parse_nsid(nlh, &nsid) < 0) {
		r->bad++;
		return;
	}
	if (!r->cb_rc && r->cb.nsid)
		r->cb_rc = r->cb.nsid(nsid, r->arg);
}

void
lig_nl_on_genl_family(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	uint16_t id;
	int rc = lig_nl_parse_genl_family(nlh, &id);

	if (rc < 0)
		r->bad++;
	if (rc == 0 && !r->cb_rc && r->cb.family)
		r->cb_rc = r->cb.family(id, r->arg);
}

void
lig_nl_on_features(const struct nlmsghdr *nlh, struct lig_nl_reply *r)
{
	struct lig_nl_csum csum;
	int rc = lig_nl_parse_features(nlh, &csum);

	if (rc < 0)
		r->bad++;
	if (rc == 0 && !r->cb_rc && r->cb.csum)
		r->cb_rc = r->cb.csum(&csum, r->arg);
}

int
lig_nl_reply_feed(struct lig_nl_reply *r, const void *buf, size_t size, uint32_t seq,
		  uint32_t portid)
{
	const uint8_t *p = buf;

	while (!r->done && size >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t len = nlh->nlmsg_len;
		size_t step = lig_nl_align4(len);

		/* The message, padding included, must lie within the datagram: libmnl's
		 * attribute walk reads up to the aligned end. */
		if (len < sizeof(*nlh) || len > size || step > size) {
			r->bad++;
			return 1;
		}
		if ((seq && nlh->nlmsg_seq != seq) || (portid && nlh->nlmsg_pid != portid))
			goto next; /* an answer to an earlier request that timed out */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR:
			r->error = lig_nl_parse_error(nlh, r->msg, sizeof(r->msg));
			r->done = true;
			break;
		case NLMSG_DONE:
			r->error = lig_nl_parse_done(nlh, r->msg, sizeof(r->msg));
			r->done = true;
			break;
		case NLMSG_OVERRUN:
			r->error = -ENOBUFS;
			r->done = true;
			break;
		default:
			if (nlh->nlmsg_type == r->type && r->on_msg) {
				r->msgs++;
				r->on_msg(nlh, r);
			}
			break;
		}
	next:
		p += step;
		size -= step;
	}
	return r->done ? 0 : 1;
}

int
lig_nl_reply_status(const struct lig_nl_reply *r, char *err, size_t err_size)
{
	if (r->error < 0) {
		if (r->msg[0])
			return lig_nl_fail(err, err_size, r->error, "%s", r->msg);
		return lig_nl_fail(err, err_size, r->error, "%s", strerror(-r->error));
	}
	if (r->cb_rc < 0)
		return lig_nl_fail(err, err_size, r->cb_rc, "stopped by the callback (%d)",
				   r->cb_rc);
	if (r->intr)
		return lig_nl_fail(err, err_size, -EINTR,
				   "the dump was interrupted by a change: dump again");
	if (r->bad)
		return lig_nl_fail(err, err_size, -EBADMSG, "%u malformed message(s) skipped",
				   r->bad);
	lig_nl_err_clear(err, err_size);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checksum offloading of a link through the kernel's ethtool generic netlink family
 * (FEATURES_GET / FEATURES_SET with bits named as `ethtool -k` names them): what
 * vpp-agent does with the legacy ethtool ioctls, here without ioctls.
 */
#include <errno.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "nl_internal.h"

static const char *const tx_features[] = {"tx-checksum-ipv4", "tx-checksum-ip-generic",
					  "tx-checksum-ipv6"};

static struct nlmsghdr *
genl_msg(char *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int
family_found(uint16_t id, void *arg)
{
	*(uint16_t *)arg = id;
	return 0;
}

/* The ethtool family's id in this namespace, looked up once. */
static int
ethtool_family(struct lig_nl *nl, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	struct lig_nl_reply r = {.type = GENL_ID_CTRL,
				 .on_msg = lig_nl_on_genl_family,
				 .cb.family = family_found,
				 .arg = &id};
	int rc;

	if (nl->ethtool_family)
		return nl->ethtool_family;
	if (!nl->genl) {
		nl->genl = lig_nl_socket_in(nl->netns_fd, NETLINK_GENERIC, 0);
		if (!nl->genl)
			return lig_nl_fail(err, err_size, -errno, "generic netlink socket: %s",
					   strerror(errno));
		nl->genl_portid = mnl_socket_get_portid(nl->genl);
	}
	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	rc = lig_nl_exec_on(nl, nl->genl, nl->genl_portid, nlh, &r, err, err_size);
	if (rc == -ENOENT)
		return lig_nl_fail(err, err_size, -EOPNOTSUPP,
				   "the kernel has no ethtool netlink interface (5.6 or later)");
	if (rc < 0)
		return rc;
	if (!id)
		return lig_nl_fail(err, err_size, -EBADMSG, "the kernel sent no family id");
	nl->ethtool_family = id;
	return id;
}

/* A features request for ifindex with the common ethtool header. */
static struct nlmsghdr *
features_msg(char *buf, uint16_t family, uint8_t cmd, int ifindex, uint32_t flags)
{
	struct nlmsghdr *nlh = genl_msg(buf, family, cmd, ETHTOOL_GENL_VERSION);
	struct nlattr *hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_HEADER);

	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
	if (flags)
		mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_FLAGS, flags);
	mnl_attr_nest_end(nlh, hdr);
	return nlh;
}

static int
csum_found(const struct lig_nl_csum *csum, void *arg)
{
	*(struct lig_nl_csum *)arg = *csum;
	return 0;
}

int
lig_nl_link_get_csum(struct lig_nl *nl, int ifindex, struct lig_nl_csum *out, char *err,
		     size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct lig_nl_csum csum;
	struct lig_nl_reply r = {.on_msg = lig_nl_on_features, .cb.csum = csum_found, .arg = &csum};
	int family, rc;

	if (ifindex <= 0)
		return lig_nl_fail(err, err_size, -EINVAL, "interface index %d is not valid",
				   ifindex);
	family = ethtool_family(nl, err, err_size);
	if (family < 0)
		return family;
	r.type = (uint16_t)family;
	rc = lig_nl_exec_on(nl, nl->genl, nl->genl_portid,
			    features_msg(buf, r.type, ETHTOOL_MSG_FEATURES_GET, ifindex, 0), &r,
			    err, err_size);
	if (rc < 0)
		return rc;
	if (r.msgs == 0)
		return lig_nl_fail(err, err_size, -EBADMSG, "the kernel sent no features");
	if (out)
		*out = csum;
	return 0;
}

/* One bit of a verbose bitset request: named, set to on. */
static void
put_bit(struct nlmsghdr *nlh, const char *name, bool on)
{
	struct nlattr *bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);

	mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, name);
	if (on)
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
	mnl_attr_nest_end(nlh, bit);
}

int
lig_nl_link_set_csum(struct lig_nl *nl, int ifindex, int rx, int tx, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *wanted, *bits;
	struct lig_nl_csum now;
	int family, rc;

	if (ifindex <= 0)
		return lig_nl_fail(err, err_size, -EINVAL, "interface index %d is not valid",
				   ifindex);
	if (rx < -1 || rx > 1 || tx < -1 || tx > 1)
		return lig_nl_fail(
		    err, err_size, -EINVAL,
		    "checksum offloading is 1 (on), 0 (off) or -1 (leave), not %d/%d", rx, tx);
	if (rx < 0 && tx < 0) {
		lig_nl_err_clear(err, err_size);
		return 0;
	}
	family = ethtool_family(nl, err, err_size);
	if (family < 0)
		return family;
	/* Listed bits change, the others stay (no NOMASK); the answer is the ack alone. */
	nlh = features_msg(buf, (uint16_t)family, ETHTOOL_MSG_FEATURES_SET, ifindex,
			   ETHTOOL_FLAG_OMIT_REPLY);
	wanted = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_WANTED);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	if (rx >= 0)
		put_bit(nlh, "rx-checksum", rx);
	for (size_t i = 0; tx >= 0 && i < sizeof(tx_features) / sizeof(tx_features[0]); i++)
		put_bit(nlh, tx_features[i], tx);
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, wanted);
	rc = lig_nl_exec_on(nl, nl->genl, nl->genl_portid, nlh, &(struct lig_nl_reply){0}, err,
			    err_size);
	if (rc < 0)
		return rc;
	/* The kernel applies only what the driver allows: look. */
	rc = lig_nl_link_get_csum(nl, ifindex, &now, err, err_size);
	if (rc < 0)
		return rc;
	if (rx >= 0 && now.rx != (bool)rx)
		return lig_nl_fail(
		    err, err_size, -EOPNOTSUPP,
		    "rx checksum offloading stays %s: the driver does not let it change",
		    now.rx ? "on" : "off");
	if (tx >= 0 && now.tx != (bool)tx)
		return lig_nl_fail(
		    err, err_size, -EOPNOTSUPP,
		    "tx checksum offloading stays %s: the driver does not let it change",
		    now.tx ? "on" : "off");
	return 0;
}

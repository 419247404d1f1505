/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Handles: an rtnetlink socket made inside one namespace, sending a request and reading
 * its answer within the handle's timeout, error texts, and namespace ids.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl_internal.h"

void
lig_nl_err_clear(char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
}

int
lig_nl_fail(char *err, size_t err_size, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return rc;
}

bool
lig_nl_ifname_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, IFNAMSIZ);
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || name[i] == ' ' || name[i] == '\t' ||
		    name[i] == '\n')
			return false;
	return true;
}

struct mnl_socket *
lig_nl_socket_in(int netns_fd, int protocol, unsigned groups)
{
	struct mnl_socket *sock = NULL;
	int saved = -1, one = 1, rc = 0;

	if (netns_fd >= 0) {
		rc = lig_nl_netns_enter(netns_fd, &saved);
		if (rc < 0) {
			errno = -rc;
			return NULL;
		}
	}
	sock = mnl_socket_open2(protocol, SOCK_CLOEXEC);
	if (!sock) {
		rc = -errno;
		goto out;
	}
	/* The kernel's reason for a failure, and acks that do not echo the request back. */
	if (mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_bind(sock, groups, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		mnl_socket_close(sock);
		sock = NULL;
	}
out:
	if (saved >= 0)
		lig_nl_netns_leave(saved);
	if (!sock)
		errno = -rc;
	return sock;
}

ssize_t
lig_nl_recv(struct mnl_socket *sock, void *buf, size_t size)
{
	struct sockaddr_nl addr;
	struct iovec iov = {.iov_base = buf, .iov_len = size};
	struct msghdr msg = {
	    .msg_name = &addr,
	    .msg_namelen = sizeof(addr),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(mnl_socket_get_fd(sock), &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -ENOSPC;
	/* Only the kernel (port 0) answers requests and sends events; another process of the
	 * namespace may unicast to our port, and is not listened to. */
	if (msg.msg_namelen != sizeof(addr) || addr.nl_family != AF_NETLINK || addr.nl_pid != 0)
		return 0;
	return n;
}

struct lig_nl *
lig_nl_open(int netns_fd)
{
	struct lig_nl *nl = calloc(1, sizeof(*nl));
	int rc;

	if (!nl)
		return NULL;
	nl->netns_fd = -1;
	nl->timeout_ms = LIG_NL_DEFAULT_TIMEOUT_MS;
	nl->name = strdup("");
	nl->buf = malloc(LIG_NL_RECV_SIZE);
	if (!nl->name || !nl->buf) {
		rc = -ENOMEM;
		goto fail;
	}
	if (netns_fd >= 0)
		nl->netns_fd = fcntl(netns_fd, F_DUPFD_CLOEXEC, 3);
	else
		nl->netns_fd = lig_netns_open_current();
	if (nl->netns_fd < 0) {
		rc = netns_fd >= 0 ? -errno : nl->netns_fd;
		goto fail;
	}
	nl->sock = lig_nl_socket_in(netns_fd >= 0 ? nl->netns_fd : -1, NETLINK_ROUTE, 0);
	if (!nl->sock) {
		rc = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return nl;
fail:
	lig_nl_close(nl);
	errno = -rc;
	return NULL;
}

struct lig_nl *
lig_nl_open_name(const char *name)
{
	struct lig_nl *nl;
	char *copy;
	int fd;

	if (!name || !*name)
		return lig_nl_open(-1);
	fd = lig_netns_open_name(name);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	nl = lig_nl_open(fd);
	close(fd);
	if (!nl)
		return NULL;
	copy = strdup(name);
	if (!copy) {
		lig_nl_close(nl);
		errno = ENOMEM;
		return NULL;
	}
	free(nl->name);
	nl->name = copy;
	return nl;
}

struct lig_nl *
lig_nl_open_ref(enum lig_netns_ref_type type, const char *reference)
{
	struct lig_nl *nl;
	int fd;

	if (type == LIG_NETNS_REF_CURRENT)
		return lig_nl_open(-1);
	if (type == LIG_NETNS_REF_NAME)
		return lig_nl_open_name(reference);
	fd = lig_netns_open_ref(type, reference);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	nl = lig_nl_open(fd);
	close(fd);
	return nl;
}

void
lig_nl_close(struct lig_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	if (nl->genl)
		mnl_socket_close(nl->genl);
	if (nl->netns_fd >= 0)
		close(nl->netns_fd);
	free(nl->name);
	free(nl->buf);
	free(nl);
}

int
lig_nl_netns_fd(const struct lig_nl *nl)
{
	return nl->netns_fd;
}

const char *
lig_nl_netns_name(const struct lig_nl *nl)
{
	return nl->name;
}

void
lig_nl_set_timeout(struct lig_nl *nl, int timeout_ms)
{
	nl->timeout_ms = timeout_ms;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
lig_nl_exec(struct lig_nl *nl, struct nlmsghdr *nlh, struct lig_nl_reply *r, char *err,
	    size_t err_size)
{
	return lig_nl_exec_on(nl, nl->sock, nl->portid, nlh, r, err, err_size);
}

int
lig_nl_exec_on(struct lig_nl *nl, struct mnl_socket *sock, uint32_t portid, struct nlmsghdr *nlh,
	       struct lig_nl_reply *r, char *err, size_t err_size)
{
	int64_t deadline = nl->timeout_ms > 0 ? now_ms() + nl->timeout_ms : -1;
	struct pollfd pfd = {.fd = mnl_socket_get_fd(sock), .events = POLLIN};

	if (++nl->seq == 0)
		nl->seq = 1;
	nlh->nlmsg_seq = nl->seq;
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return lig_nl_fail(err, err_size, -errno, "sending to the kernel: %s",
				   strerror(errno));
	for (;;) {
		int wait = -1, n;
		ssize_t size;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			wait = left > 0 ? (int)left : 0;
		}
		n = poll(&pfd, 1, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lig_nl_fail(err, err_size, -errno, "poll: %s", strerror(errno));
		if (n == 0)
			return lig_nl_fail(err, err_size, -ETIMEDOUT,
					   "no answer from the kernel within %d ms",
					   nl->timeout_ms);
		size = lig_nl_recv(sock, nl->buf, LIG_NL_RECV_SIZE);
		if (size == -EAGAIN || size == -EINTR || size == 0)
			continue;
		if (size < 0)
			return lig_nl_fail(err, err_size, (int)size,
					   "receiving from the kernel: %s", strerror((int)-size));
		if (lig_nl_reply_feed(r, nl->buf, (size_t)size, nl->seq, portid) == 0)
			break;
	}
	return lig_nl_reply_status(r, err, err_size);
}

int
lig_nl_exec_ack(struct lig_nl *nl, struct nlmsghdr *nlh, char *err, size_t err_size)
{
	struct lig_nl_reply r = {0};

	return lig_nl_exec(nl, nlh, &r, err, err_size);
}

/* ---- namespace ids ---- */

static int
nsid_found(int nsid, void *arg)
{
	*(int *)arg = nsid;
	return 0;
}

int
lig_nl_nsid_get(struct lig_nl *nl, int netns_fd, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int nsid = -1, rc;
	struct lig_nl_reply r = {
	    .type = RTM_NEWNSID, .on_msg = lig_nl_on_nsid, .cb.nsid = nsid_found, .arg = &nsid};

	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)netns_fd);
	rc = lig_nl_exec(nl, nlh, &r, err, err_size);
	if (rc < 0)
		return rc;
	if (r.msgs == 0)
		return lig_nl_fail(err, err_size, -EBADMSG, "the kernel sent no namespace id");
	if (nsid < 0)
		return lig_nl_fail(err, err_size, -ENOENT, "no namespace id assigned");
	return nsid;
}

int
lig_nl_nsid_set(struct lig_nl *nl, int netns_fd, int nsid, char *err, size_t err_size)
{
	char buf[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int rc;

	nlh->nlmsg_type = RTM_NEWNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)netns_fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)(nsid < 0 ? -1 : nsid));
	rc = lig_nl_exec_ack(nl, nlh, err, err_size);
	if (rc < 0)
		return rc;
	return lig_nl_nsid_get(nl, netns_fd, err, err_size);
}

int
lig_nl_netns_open_nsid(struct lig_nl *nl, int nsid, char *name, size_t name_size, char *err,
		       size_t err_size)
{
	DIR *d;
	struct dirent *e;
	int found = -ENOENT;

	if (nsid < 0)
		return lig_nl_fail(err, err_size, -EINVAL, "namespace id %d is not valid", nsid);
	d = opendir(LIG_NETNS_RUN_DIR);
	if (!d)
		return lig_nl_fail(err, err_size, -errno, "%s: %s", LIG_NETNS_RUN_DIR,
				   strerror(errno));
	while ((e = readdir(d))) {
		int fd, id;

		if (!lig_netns_name_valid(e->d_name))
			continue;
		fd = lig_netns_open_name(e->d_name);
		if (fd < 0)
			continue; /* a stale file, or one being created */
		id = lig_nl_nsid_get(nl, fd, NULL, 0);
		if (id == nsid) {
			if (name && name_size)
				snprintf(name, name_size, "%s", e->d_name);
			found = fd;
			break;
		}
		close(fd);
	}
	closedir(d);
	if (found < 0)
		return lig_nl_fail(err, err_size, -ENOENT,
				   "no named namespace has id %d in this namespace", nsid);
	lig_nl_err_clear(err, err_size);
	return found;
}

struct lig_nl *
lig_nl_open_nsid(struct lig_nl *nl, int nsid, char *err, size_t err_size)
{
	char name[NAME_MAX + 1];
	struct lig_nl *peer;
	int fd = lig_nl_netns_open_nsid(nl, nsid, name, sizeof(name), err, err_size);

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	peer = lig_nl_open(fd);
	close(fd);
	if (!peer) {
		lig_nl_fail(err, err_size, -errno, "namespace %s: %s", name, strerror(errno));
		return NULL;
	}
	free(peer->name);
	peer->name = strdup(name);
	if (!peer->name) {
		peer->name = NULL;
		lig_nl_close(peer);
		lig_nl_fail(err, err_size, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	return peer;
}

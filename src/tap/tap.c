/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap control plane: creates the kernel tap through /dev/net/tun and configures its
 * host side. A tun device is born in the network namespace of the thread that opens
 * /dev/net/tun, so for host-ns a short-lived helper thread enters /run/netns/<name>
 * (setns), opens the device there and sets its MTU, address, state and default route
 * through netlink (lib/netlink) from that namespace; ligd's own thread never changes
 * namespace and the fd keeps working from it. Only the tun device's own settings (queues,
 * virtio-net header, offloads, carrier) are ioctls on its fd. Closing the fd removes the
 * device (it is not persistent), so delete and ligd's exit leave nothing behind.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../ethernet/ethernet.h"
#include "../gso/vnet_hdr.h"
#include "../infra/log.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "../vlib/module.h"
#include "../interface/rx_queue.h"
#include "tap.h"

#include <lig_nl.h>

struct lig_tap_dev **lig_tap_devs;
u32 lig_tap_n_devs;
static u32 lig_tap_devs_cap;

/* Runs fn(arg) on a helper thread inside netns `ns` (NULL or "": ligd's own). Returns
 * fn's result or -errno if the namespace cannot be entered. */
struct lig_tap_ns_call {
	int nsfd;
	int (*fn)(void *arg);
	void *arg;
	int rv;
};

static void *
lig_tap_ns_thread(void *p)
{
	struct lig_tap_ns_call *c = p;

	if (setns(c->nsfd, CLONE_NEWNET) < 0) {
		c->rv = -errno;
		return NULL;
	}
	c->rv = c->fn(c->arg);
	return NULL;
}

static int
lig_tap_in_netns(const char *ns, int (*fn)(void *arg), void *arg)
{
	struct lig_tap_ns_call c = {.fn = fn, .arg = arg};
	char path[128];
	pthread_t t;
	int rv;

	if (!ns || !ns[0])
		return fn(arg);
	if (strchr(ns, '/') || strcmp(ns, ".") == 0 || strcmp(ns, "..") == 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	c.nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (c.nsfd < 0)
		return -errno;
	rv = pthread_create(&t, NULL, lig_tap_ns_thread, &c);
	if (rv == 0) {
		pthread_join(t, NULL);
		rv = c.rv;
	} else {
		rv = -rv;
	}
	close(c.nsfd);
	return rv;
}

static int
lig_tap_ioctl_ifr(int fd, unsigned long req, struct ifreq *ifr, const char *what)
{
	if (ioctl(fd, req, ifr) < 0) {
		int rv = -errno;
		lig_err("tap", "%s %s: %s", ifr->ifr_name, what, strerror(errno));
		return rv;
	}
	return 0;
}

/* A netlink handle of the calling thread's namespace and ifname's index there; logs why
 * not. */
static struct lig_nl *
lig_tap_netlink(const char *ifname, int *ifindex)
{
	struct lig_nl *nl = lig_nl_open(-1);
	char err[256];
	int rv;

	if (!nl) {
		rv = -errno;
		lig_err("tap", "%s: netlink: %s", ifname, strerror(errno));
		errno = -rv;
		return NULL;
	}
	*ifindex = lig_nl_link_index(nl, ifname, err, sizeof(err));
	if (*ifindex < 0) {
		lig_err("tap", "%s: %s", ifname, err);
		lig_nl_close(nl);
		errno = -*ifindex;
		return NULL;
	}
	return nl;
}

/* Logs a failed netlink request of the host side's set-up; returns rv. */
static int
lig_tap_nl_failed(const char *ifname, const char *what, int rv, const char *err)
{
	lig_err("tap", "%s: %s: %s", ifname, what, err[0] ? err : strerror(-rv));
	return rv;
}

/* The host side in the current namespace, in VPP's order: MAC, MTU, bridge, address,
 * up, default route. */
static int
lig_tap_host_config(const char *ifname, const struct lig_tap_create_args *a)
{
	char err[256] = "";
	int ifindex, rv = 0;
	struct lig_nl *nl = lig_tap_netlink(ifname, &ifindex);

	if (!nl)
		return -errno;
	if (a->host_mac &&
	    (rv = lig_nl_link_set_hwaddr(nl, ifindex, a->host_mac, 6, err, sizeof(err))) < 0) {
		lig_tap_nl_failed(ifname, "set host-mac-addr", rv, err);
		goto out;
	}
	if (a->host_mtu &&
	    (rv = lig_nl_link_set_mtu(nl, ifindex, a->host_mtu, err, sizeof(err))) < 0) {
		lig_tap_nl_failed(ifname, "set host-mtu-size", rv, err);
		goto out;
	}
	if (a->host_bridge) {
		int br = lig_nl_link_index(nl, a->host_bridge, err, sizeof(err));
		rv = br < 0 ? br : lig_nl_link_set_master(nl, ifindex, br, err, sizeof(err));
		if (rv < 0) {
			lig_tap_nl_failed(ifname, "host-bridge", rv, err);
			goto out;
		}
	}
	if (a->host_ip4) {
		struct in_addr addr = {.s_addr = a->host_ip4};
		rv = lig_nl_addr_add(nl, ifindex, addr, a->host_ip4_len, err, sizeof(err));
		if (rv < 0) {
			lig_tap_nl_failed(ifname, "set address", rv, err);
			goto out;
		}
	}
	if ((rv = lig_nl_link_set_up(nl, ifindex, true, err, sizeof(err))) < 0) {
		lig_tap_nl_failed(ifname, "set up", rv, err);
		goto out;
	}
	if (a->host_ip4_gw) {
		/* A namespace that has a default route already (ligd's own, say) keeps it: the
		 * tap's is not added beside or over it. */
		struct lig_nl_route r = {.gw.s_addr = a->host_ip4_gw, .oif = ifindex};
		rv = lig_nl_route_add(nl, &r, err, sizeof(err));
		if (rv == -EEXIST) {
			lig_warn("tap", "%s: a default route exists already, host-ip4-gw not added",
				 ifname);
			rv = 0;
		} else if (rv < 0) {
			lig_tap_nl_failed(ifname, "default route", rv, err);
		}
	}
out:
	lig_nl_close(nl);
	return rv;
}

/* Host-side work done inside the namespace. */
struct lig_tap_setup {
	const struct lig_tap_create_args *a;
	char ifname[IF_NAMESIZE];
	int fd; /* out: the tun fd (queue 0) */
	u32 n_queues;
	int *queue_fds; /* out: queues 1..n_queues-1 (IFF_MULTI_QUEUE) */
};

/* Attaches one more queue fd to multi-queue tap ifname (in the current namespace). */
static int
lig_tap_open_queue(const char *ifname, int *fdp)
{
	struct ifreq ifr = {0};
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC), rv;

	*fdp = -1;
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if ((rv = lig_tap_ioctl_ifr(fd, TUNSETIFF, &ifr, "TUNSETIFF (queue)")) < 0) {
		close(fd);
		return rv;
	}
	*fdp = fd;
	return 0;
}

static int
lig_tap_setup_fn(void *arg)
{
	struct lig_tap_setup *s = arg;
	const struct lig_tap_create_args *a = s->a;
	struct ifreq ifr = {0};
	int fd, rv, v;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rv = -errno;
		lig_err("tap", "open /dev/net/tun: %s", strerror(errno));
		return rv;
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (s->n_queues > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", s->ifname);
	if ((rv = lig_tap_ioctl_ifr(fd, TUNSETIFF, &ifr, "TUNSETIFF")) < 0)
		goto fail;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifr.ifr_name);
	for (u32 q = 1; q < s->n_queues; q++)
		if ((rv = lig_tap_open_queue(s->ifname, &s->queue_fds[q])) < 0)
			goto fail;
	v = sizeof(struct lig_vnet_hdr);
	if (ioctl(fd, TUNSETVNETHDRSZ, &v) < 0) {
		rv = -errno;
		goto fail;
	}
	/* The host may hand us frames with a partial checksum (NEEDS_CSUM) and takes
	 * them from us; with gso also TCP super-frames (TSO4/TSO6), which the kernel then
	 * no longer segments before they reach ligd. */
	unsigned long offload = TUN_F_CSUM;
	if (a->flags & LIG_TAP_FLAG_GSO)
		offload |= TUN_F_TSO4 | TUN_F_TSO6;
	if (ioctl(fd, TUNSETOFFLOAD, offload) < 0) {
		rv = -errno;
		goto fail;
	}
	if ((rv = lig_tap_host_config(s->ifname, a)) < 0)
		goto fail;
	/* ligd's side starts admin down: no carrier until set interface state up. */
	v = 0;
	if (ioctl(fd, TUNSETCARRIER, &v) < 0)
		lig_warn("tap", "%s: TUNSETCARRIER: %s", s->ifname, strerror(errno));
	s->fd = fd;
	return 0;
fail:
	for (u32 q = 1; q < s->n_queues; q++) {
		if (s->queue_fds[q] >= 0)
			close(s->queue_fds[q]);
		s->queue_fds[q] = -1;
	}
	close(fd);
	return rv;
}

struct lig_tap_mtu_call {
	const char *ifname;
	u32 mtu;
};

static int
lig_tap_mtu_fn(void *arg)
{
	struct lig_tap_mtu_call *c = arg;
	char err[256];
	int ifindex, rv;
	struct lig_nl *nl = lig_tap_netlink(c->ifname, &ifindex);

	if (!nl)
		return -errno;
	if ((rv = lig_nl_link_set_mtu(nl, ifindex, c->mtu, err, sizeof(err))) < 0)
		lig_tap_nl_failed(c->ifname, "set mtu", rv, err);
	lig_nl_close(nl);
	return rv;
}

static int
lig_tap_set_mtu(struct lig_interface *ifp, u32 mtu)
{
	struct lig_tap_dev *dev = ifp->dev;
	struct lig_tap_mtu_call c = {.ifname = dev->host_if, .mtu = mtu};

	if (mtu + 18 >= dev->rx_max_buffers * lig_buffer_data_size())
		return -EINVAL;
	return lig_tap_in_netns(dev->host_ns, lig_tap_mtu_fn, &c);
}

static int
lig_tap_admin_up_down(struct lig_interface *ifp, bool up)
{
	struct lig_tap_dev *dev = ifp->dev;
	int v = up;

	/* The host side sees ligd's admin state as its carrier. */
	if (ioctl(dev->fd, TUNSETCARRIER, &v) < 0)
		lig_warn("tap", "%s: TUNSETCARRIER: %s", ifp->name, strerror(errno));
	lig_if_set_link(ifp->sw_if_index, up);
	return 0;
}

static void
lig_tap_format_hw(struct lig_str *s, const struct lig_interface *ifp)
{
	const struct lig_tap_dev *dev = ifp->dev;
	char a[INET_ADDRSTRLEN] = "-", g[INET_ADDRSTRLEN] = "-";

	if (dev->host_ip4)
		inet_ntop(AF_INET, &dev->host_ip4, a, sizeof(a));
	if (dev->host_ip4_gw)
		inet_ntop(AF_INET, &dev->host_ip4_gw, g, sizeof(g));
	lig_str_printf(s, "  tap fd %d, host-if %s, netns %s, host-ip4 %s/%u, gw %s\n", dev->fd,
		       dev->host_if, dev->host_ns[0] ? dev->host_ns : "(ligd's)", a,
		       dev->host_ip4 ? dev->host_ip4_len : 0, g);
	if (dev->host_bridge[0] || dev->host_mtu || !lig_mac_is_zero(dev->host_mac)) {
		const u8 *m = dev->host_mac;
		lig_str_printf(s, "  host-bridge %s, host-mtu ",
			       dev->host_bridge[0] ? dev->host_bridge : "-");
		if (dev->host_mtu)
			lig_str_printf(s, "%u", dev->host_mtu);
		else
			lig_str_printf(s, "(kernel's)");
		if (lig_mac_is_zero(m))
			lig_str_printf(s, ", host-mac (kernel's)\n");
		else
			lig_str_printf(s, ", host-mac %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1],
				       m[2], m[3], m[4], m[5]);
	}
	const char *offl = (dev->flags & LIG_TAP_FLAG_GSO) ? " gso (tso4 tso6 both ways)" : "";
	if (dev->vhost) {
		const struct lig_vhost *v = dev->vhost;
		lig_str_printf(
		    s,
		    "  backend vhost-net (split virtqueues rx/tx of %u, features 0x%llx), "
		    "vnet-hdr v1, offloads: csum%s\n",
		    v->rx.size, (unsigned long long)v->features, offl);
		lig_str_printf(s,
			       "  rx: frames %llu, interrupts %llu, kicks %llu (saved %llu), "
			       "bad used %llu, refill short %llu\n",
			       (unsigned long long)lig_counter_get(&v->rx.st.frames),
			       (unsigned long long)lig_counter_get(&v->rx.st.interrupts),
			       (unsigned long long)lig_counter_get(&v->rx.st.kicks),
			       (unsigned long long)lig_counter_get(&v->rx.st.kicks_saved),
			       (unsigned long long)lig_counter_get(&v->rx.st.bad_used),
			       (unsigned long long)lig_counter_get(&v->rx.st.no_buffers));
		lig_str_printf(s,
			       "  tx: frames %llu, kicks %llu (saved %llu), ring full %llu, "
			       "bad used %llu\n",
			       (unsigned long long)lig_counter_get(&v->tx.st.frames),
			       (unsigned long long)lig_counter_get(&v->tx.st.kicks),
			       (unsigned long long)lig_counter_get(&v->tx.st.kicks_saved),
			       (unsigned long long)lig_counter_get(&v->tx.st.full),
			       (unsigned long long)lig_counter_get(&v->tx.st.bad_used));
	} else {
		lig_str_printf(
		    s,
		    "  backend tun-syscall (read/writev, one syscall per frame; vhost-net: "
		    "%s), vnet-hdr, offloads: csum%s, rx frames up to %u bytes\n",
		    dev->no_vhost_why, offl, dev->rx_max_buffers * lig_buffer_data_size());
	}
	u64 reads = 0, writes = 0, rx_gso = 0, rx_gso_bytes = 0, tx_gso = 0, bad = 0;
	for (u32 q = 0; q < dev->n_queues; q++) {
		const struct lig_tap_queue *tq = &dev->queues[q];
		reads += lig_counter_get(&tq->rx_reads);
		writes += lig_counter_get(&tq->tx_writes);
		rx_gso += lig_counter_get(&tq->rx_gso);
		rx_gso_bytes += lig_counter_get(&tq->rx_gso_bytes);
		tx_gso += lig_counter_get(&tq->tx_gso);
		bad += lig_counter_get(&tq->rx_bad_vnet_hdr);
	}
	lig_str_printf(s,
		       "  reads %llu, writes %llu, rx gso %llu (%llu bytes), tx gso %llu, "
		       "bad vnet-hdr %llu\n",
		       (unsigned long long)reads, (unsigned long long)writes,
		       (unsigned long long)rx_gso, (unsigned long long)rx_gso_bytes,
		       (unsigned long long)tx_gso, (unsigned long long)bad);
	if (dev->n_queues > 1) {
		lig_str_printf(s, "  %u queue pairs (IFF_MULTI_QUEUE)\n", dev->n_queues);
		for (u32 q = 0; q < dev->n_queues; q++) {
			const struct lig_tap_queue *tq = &dev->queues[q];
			u32 t = lig_rxq_thread(dev->sw_if_index, (u16)q);
			lig_str_printf(
			    s, "  queue %u (fd %d, rx thread %d): reads %llu, writes %llu\n", q,
			    tq->fd, t == LIG_INVALID_INDEX ? -1 : (int)t,
			    (unsigned long long)lig_counter_get(&tq->rx_reads),
			    (unsigned long long)lig_counter_get(&tq->tx_writes));
		}
	}
}

static void
lig_tap_dev_free(struct lig_tap_dev *dev)
{
	if (!dev)
		return;
	if (dev->sw_if_index)
		lig_rxq_del_interface(dev->sw_if_index);
	if (dev->vhost) {
		lig_vhost_close(dev->vhost);
		free(dev->vhost);
	}
	for (u32 q = 1; dev->queues && q < dev->n_queues; q++)
		if (dev->queues[q].fd >= 0)
			close(dev->queues[q].fd);
	if (dev->fd >= 0)
		close(dev->fd);
	free(dev->queues);
	free(dev);
}

/* Deleted taps whose fds close after the barrier; a create first closes them at once
 * (the barrier is held, or was released since), so a tap deleted and created again in
 * one batch of API requests finds its host name free. */
#define LIG_TAP_MAX_CLOSING 16
static struct lig_tap_dev *lig_tap_closing[LIG_TAP_MAX_CLOSING];
static u32 lig_tap_n_closing;

static void
lig_tap_close_deleted(void *arg LIG_UNUSED)
{
	while (lig_tap_n_closing)
		lig_tap_dev_free(lig_tap_closing[--lig_tap_n_closing]);
}

/* After the barrier of the last deletion, unless a create came in the same batch: the
 * workers' buffer reserves (freeing them touches every header, ~0.1 ms of misses on
 * another core's lines). */
static void
lig_tap_release_if_unused(void *arg LIG_UNUSED)
{
	if (lig_tap_n_devs == 0)
		lig_tap_release_buffers();
}

/* The kernel signalled the rx queue: clear the eventfd; the loop polls tap-input. */
static void
lig_tap_vhost_call(void *ctx, u32 events LIG_UNUSED)
{
	struct lig_tap_dev *dev = ctx;
	u64 v;

	if (read(dev->vhost->call_fd, &v, sizeof(v)) == sizeof(v))
		lig_counter_add(&dev->vhost->rx.st.interrupts, 1);
}

/* Puts the tap on vhost-net if the kernel has it and the caller did not refuse it;
 * otherwise says why in dev->no_vhost_why and leaves the tun fd backend. */
static void
lig_tap_try_vhost(struct lig_tap_dev *dev)
{
	int hdr = LIG_VRING_HDR_SIZE, rv;

	if (dev->flags & LIG_TAP_FLAG_NO_VHOST) {
		snprintf(dev->no_vhost_why, sizeof(dev->no_vhost_why), "no-vhost asked");
		return;
	}
	if (dev->n_queues > 1) {
		snprintf(dev->no_vhost_why, sizeof(dev->no_vhost_why),
			 "not with more than one queue");
		return;
	}
	struct lig_vhost *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(dev->no_vhost_why, sizeof(dev->no_vhost_why), "out of memory");
		return;
	}
	/* vhost-net passes the tap's own header through: the 12-byte v1 one. */
	if (ioctl(dev->fd, TUNSETVNETHDRSZ, &hdr) < 0)
		rv = -errno;
	else
		rv = lig_vhost_open(v, dev->fd, LIG_VHOST_QUEUE_SIZE);
	if (rv < 0) {
		hdr = sizeof(struct lig_vnet_hdr);
		ioctl(dev->fd, TUNSETVNETHDRSZ, &hdr);
		snprintf(dev->no_vhost_why, sizeof(dev->no_vhost_why), "%s",
			 rv == -ENOENT ? "no /dev/vhost-net" : strerror(-rv));
		free(v);
		return;
	}
	dev->vhost = v;
}

static void
lig_tap_destroy(struct lig_interface *ifp)
{
	struct lig_tap_dev *dev = ifp->dev;

	if (!dev)
		return;
	for (u32 i = 0; i < lig_tap_n_devs; i++) {
		if (lig_tap_devs[i] == dev) {
			lig_tap_devs[i] = lig_tap_devs[--lig_tap_n_devs];
			break;
		}
	}
	if (lig_tap_n_devs == 0)
		lig_barrier_after_release(lig_tap_release_if_unused, NULL);
	lig_info("tap", "closed %s (host %s)", ifp->name, dev->host_if);
	/* Closing the tun fd unregisters the kernel's device (milliseconds): after the
	 * barrier, when no worker can reach it any more (its rx queues go now). */
	if (dev->sw_if_index)
		lig_rxq_del_interface(dev->sw_if_index);
	dev->sw_if_index = 0;
	if (lig_tap_n_closing == LIG_TAP_MAX_CLOSING)
		lig_tap_close_deleted(NULL); /* workers are parked, or no barrier: safe now */
	lig_tap_closing[lig_tap_n_closing++] = dev;
	if (lig_tap_n_closing == 1)
		lig_barrier_after_release(lig_tap_close_deleted, NULL);
	ifp->dev = NULL;
}

const struct lig_if_class lig_tap_class = {
    .name = "tap",
    .tx_node_name = "tap-tx",
    .admin_up_down = lig_tap_admin_up_down,
    .set_mtu = lig_tap_set_mtu,
    .format_hw = lig_tap_format_hw,
    .destroy = lig_tap_destroy,
};

int
lig_tap_create(const struct lig_tap_create_args *a, u32 *sw_if_index)
{
	int queue_fds[LIG_TAP_MAX_QUEUES];
	struct lig_tap_setup s = {.a = a, .fd = -1, .queue_fds = queue_fds};
	char name[IF_NAMESIZE]; /* also the default host name */
	struct lig_tap_dev *dev;
	struct lig_interface *ifp;
	int rv;

	if (a->host_if_name && (!a->host_if_name[0] || strlen(a->host_if_name) >= IF_NAMESIZE))
		return -EINVAL;
	if (a->host_ns && (strlen(a->host_ns) >= LIG_TAP_NETNS_NAME_SIZE || !a->host_ns[0]))
		return -EINVAL;
	if (a->host_ip4_len > 32 || (a->host_ip4_gw && !a->host_ip4))
		return -EINVAL;
	if (a->mac && (a->mac[0] & 1))
		return -EINVAL;
	if (a->host_mac && (a->host_mac[0] & 1))
		return -EINVAL;
	/* ligd's interface takes the host side's MTU (set interface mtu changes both). */
	if (a->host_mtu && (a->host_mtu < 68 || a->host_mtu > lig_tap_host_mtu_max(a->flags)))
		return -EINVAL;
	if (a->host_bridge && (!a->host_bridge[0] || strlen(a->host_bridge) >= IF_NAMESIZE))
		return -EINVAL;
	if (a->flags & ~(u32)(LIG_TAP_FLAG_GSO | LIG_TAP_FLAG_CSUM_OFFLOAD | LIG_TAP_FLAG_NO_VHOST))
		return -EINVAL;
	if (a->n_queues > LIG_TAP_MAX_QUEUES)
		return -EINVAL;
	s.n_queues = a->n_queues ? a->n_queues : 1;
	for (u32 q = 0; q < LIG_TAP_MAX_QUEUES; q++)
		queue_fds[q] = -1;
	snprintf(name, sizeof(name), "tap%u", a->id);
	if (lig_if_by_name(name))
		return -EEXIST;
	lig_tap_close_deleted(NULL);
	if (lig_tap_n_devs == lig_tap_devs_cap) {
		u32 cap = lig_tap_devs_cap ? 2 * lig_tap_devs_cap : 8;
		void *p = realloc(lig_tap_devs, cap * sizeof(*lig_tap_devs));
		if (!p)
			return -ENOMEM;
		lig_tap_devs = p;
		lig_tap_devs_cap = cap;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->fd = -1;
	dev->queues = aligned_alloc(LIG_CACHE_LINE, s.n_queues * sizeof(*dev->queues));
	if (!dev->queues) {
		free(dev);
		return -ENOMEM;
	}
	memset(dev->queues, 0, s.n_queues * sizeof(*dev->queues));
	dev->n_queues = s.n_queues;
	for (u32 q = 0; q < s.n_queues; q++) {
		dev->queues[q].fd = -1;
		dev->queues[q].queue_id = (u16)q;
		dev->queues[q].dev = dev;
	}
	dev->id = a->id;
	dev->flags = a->flags | LIG_TAP_FLAG_CSUM_OFFLOAD;
	dev->rx_max_buffers =
	    (a->flags & LIG_TAP_FLAG_GSO) ? LIG_TAP_RX_MAX_BUFFERS_GSO : LIG_TAP_RX_MAX_BUFFERS;
	snprintf(s.ifname, sizeof(s.ifname), "%s", a->host_if_name ? a->host_if_name : name);
	rv = lig_tap_in_netns(a->host_ns, lig_tap_setup_fn, &s);
	if (rv < 0)
		goto fail;
	dev->fd = s.fd;
	dev->queues[0].fd = s.fd;
	for (u32 q = 1; q < s.n_queues; q++)
		dev->queues[q].fd = queue_fds[q];
	snprintf(dev->host_if, sizeof(dev->host_if), "%s", s.ifname);
	snprintf(dev->host_ns, sizeof(dev->host_ns), "%s", a->host_ns ? a->host_ns : "");
	dev->host_ip4 = a->host_ip4;
	dev->host_ip4_len = a->host_ip4_len;
	dev->host_ip4_gw = a->host_ip4_gw;
	if (a->host_mac)
		memcpy(dev->host_mac, a->host_mac, 6);
	dev->host_mtu = a->host_mtu;
	snprintf(dev->host_bridge, sizeof(dev->host_bridge), "%s",
		 a->host_bridge ? a->host_bridge : "");
	lig_tap_try_vhost(dev);
	/* The tun device, its host side and vhost-net are set up (hundreds of microseconds
	 * of system calls and netlink): the workers park only while the interface and its
	 * rx queues are added (tap_create is mp-safe). */
	lig_barrier_sync();
	lig_barrier_kind("create tap");
	ifp = lig_if_create(&lig_tap_class, name, dev, a->mac);
	if (!ifp) {
		rv = -errno;
		lig_barrier_release();
		goto fail;
	}
	ifp->dev_instance = a->id;
	if (a->host_mtu)
		ifp->mtu = a->host_mtu;
	ifp->tx_offloads = LIG_IF_TX_CSUM | ((a->flags & LIG_TAP_FLAG_GSO) ? LIG_IF_TX_GSO : 0);
	dev->sw_if_index = ifp->sw_if_index;
	/* Each rx queue on the thread chosen for it. vhost-net: the rx queue's call eventfd
	 * wakes that thread; else the queue's tun fd. */
	rv = 0;
	if (dev->vhost)
		rv = lig_rxq_add(dev->sw_if_index, 0, lig_tap_input_node.index, &dev->queues[0],
				 dev->vhost->call_fd, lig_tap_vhost_call, dev, false);
	for (u32 q = 0; !dev->vhost && q < dev->n_queues && rv == 0; q++)
		rv = lig_rxq_add(dev->sw_if_index, (u16)q, lig_tap_input_node.index,
				 &dev->queues[q], dev->queues[q].fd, NULL, NULL, false);
	if (rv < 0) {
		lig_if_delete(ifp->sw_if_index); /* frees dev through destroy */
		lig_barrier_release();
		return rv;
	}
	lig_tap_devs[lig_tap_n_devs++] = dev;
	lig_barrier_release();
	lig_info("tap", "%s: host %s in %s, %u queue pair(s)", name, dev->host_if,
		 dev->host_ns[0] ? dev->host_ns : "ligd's namespace", dev->n_queues);
	if (sw_if_index)
		*sw_if_index = ifp->sw_if_index;
	return 0;
fail:
	lig_tap_dev_free(dev);
	return rv;
}

int
lig_tap_delete(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	if (!ifp || ifp->class != &lig_tap_class)
		return -ENOENT;
	return lig_if_delete(sw_if_index);
}

struct lig_tap_dev *
lig_tap_dev_by_sw(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp && ifp->class == &lig_tap_class ? ifp->dev : NULL;
}

LIG_MODULE(tap, .depends = {"interface", "ethernet"});

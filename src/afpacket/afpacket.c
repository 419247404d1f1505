/* SPDX-License-Identifier: Apache-2.0 */
/*
 * af_packet control plane: creating and deleting host-interfaces (socket, rings, mmap,
 * promiscuous membership, loop wake-up), the device class (admin state of the Linux
 * link, MTU, show hardware) and the Linux carrier (lig_if_set_link) as netlink reports it.
 * Every Linux setting and reading goes through netlink (lib/netlink) on main: one handle
 * and one link-event monitor, opened with the first device and closed with the last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>

#include "../infra/log.h"
#include "../vlib/graph.h"
#include "../vlib/loop.h"
#include "../vlib/module.h"
#include "../interface/rx_queue.h"
#include "afpacket.h"

#include <lig_nl.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

struct lig_afpacket_dev **lig_afpacket_devs;
u32 lig_afpacket_n_devs;
static u32 lig_afpacket_devs_cap;
/* Main's netlink handle and link monitor (the monitor's fd is watched by the loop). */
static struct lig_nl *lig_afpacket_nl;
static struct lig_nl_monitor *lig_afpacket_mon;
static struct lig_fd_watch *lig_afpacket_mon_watch;
static int lig_afpacket_mon_retry = -1; /* a timer while the monitor cannot be opened */

static struct lig_nl *
lig_afpacket_netlink(void)
{
	if (!lig_afpacket_nl)
		lig_afpacket_nl = lig_nl_open(-1);
	return lig_afpacket_nl;
}

/* The host link's carrier as ligd reports it (administratively up and running) and its
 * MTU (either may be NULL); 0 or -errno, -ENODEV when the link is gone. */
static int
lig_afpacket_link_get(int ifindex, bool *link_up, u32 *mtu)
{
	struct lig_nl *nl = lig_afpacket_netlink();
	struct lig_nl_link l;
	char err[256];
	int rv;

	if (!nl)
		return -errno;
	if ((rv = lig_nl_link_get(nl, ifindex, NULL, &l, err, sizeof(err))) < 0)
		return rv;
	if (link_up)
		*link_up = l.up && l.running;
	if (mtu)
		*mtu = l.mtu;
	return 0;
}

/* The carrier of dev's interface as Linux reports it; a change, which subscribers act
 * on, takes a short barrier (the callers run without it). */
static void
lig_afpacket_apply_link(const struct lig_afpacket_dev *dev, bool up)
{
	struct lig_interface *ifp = lig_if_get(dev->sw_if_index);

	if (!ifp || up == ifp->link_up)
		return;
	lig_barrier_sync();
	lig_barrier_kind("af_packet link change");
	lig_if_set_link(ifp->sw_if_index, up);
	lig_barrier_release();
}

/* A link event of ligd's namespace: the carrier of every device on that link follows. */
static int
lig_afpacket_on_link_event(enum lig_nl_link_event ev, const struct lig_nl_link *l,
			   void *arg LIG_UNUSED)
{
	for (u32 i = 0; i < lig_afpacket_n_devs; i++)
		if (lig_afpacket_devs[i]->host_ifindex == l->ifindex)
			lig_afpacket_apply_link(lig_afpacket_devs[i],
						ev != LIG_NL_LINK_DELETED && l->up && l->running);
	return 0;
}

/* Every device's carrier read again: events may have been missed while no monitor ran. */
static void
lig_afpacket_link_resync(void)
{
	for (u32 i = 0; i < lig_afpacket_n_devs; i++) {
		bool up;
		if (lig_afpacket_link_get(lig_afpacket_devs[i]->host_ifindex, &up, NULL) == 0)
			lig_afpacket_apply_link(lig_afpacket_devs[i], up);
	}
}

static void lig_afpacket_monitor_start(void);

static void
lig_afpacket_monitor_stop(void)
{
	lig_loop_unwatch_fd(lig_afpacket_mon_watch);
	lig_afpacket_mon_watch = NULL;
	lig_nl_monitor_close(lig_afpacket_mon);
	lig_afpacket_mon = NULL;
}

static void
lig_afpacket_on_netlink(void *ctx LIG_UNUSED, u32 events LIG_UNUSED)
{
	int rv = lig_nl_monitor_read(lig_afpacket_mon, lig_afpacket_on_link_event, NULL);

	if (rv >= 0 || rv == -EAGAIN)
		return;
	/* A monitor that could not read (or re-read after an overflow) starts afresh and
	 * every carrier is read again, so none stays stale. */
	lig_warn("afpacket", "link events: %s; monitor restarted", strerror(-rv));
	lig_afpacket_monitor_stop();
	lig_afpacket_monitor_start();
	if (lig_afpacket_mon)
		lig_afpacket_link_resync();
}

static bool
lig_afpacket_monitor_open(void)
{
	char err[256];

	lig_afpacket_mon = lig_nl_monitor_open(-1, err, sizeof(err));
	if (!lig_afpacket_mon) {
		lig_warn("afpacket", "no link events (retried every second): %s", err);
		return false;
	}
	lig_afpacket_mon_watch = lig_loop_watch_fd(lig_nl_monitor_fd(lig_afpacket_mon), EPOLLIN,
						   lig_afpacket_on_netlink, NULL);
	if (!lig_afpacket_mon_watch) {
		lig_warn("afpacket", "no link events (retried every second): %s", strerror(errno));
		lig_nl_monitor_close(lig_afpacket_mon);
		lig_afpacket_mon = NULL;
		return false;
	}
	lig_loop_watch_no_barrier(lig_afpacket_mon_watch);
	return true;
}

/* While no monitor runs: try again every second, then read every carrier. */
static void
lig_afpacket_monitor_retry(void *ctx LIG_UNUSED)
{
	if (!lig_afpacket_monitor_open())
		return;
	lig_loop_del_timer(lig_afpacket_mon_retry);
	lig_afpacket_mon_retry = -1;
	lig_afpacket_link_resync();
}

/* Starts watching link events with the first device (before the barrier: it reads every
 * link once). */
static void
lig_afpacket_monitor_start(void)
{
	if (lig_afpacket_mon || lig_afpacket_mon_retry >= 0 || lig_afpacket_monitor_open())
		return;
	int t = lig_loop_add_timer(1000 * 1000 * 1000ull, lig_afpacket_monitor_retry, NULL);
	if (t < 0) {
		lig_warn("afpacket", "carrier not followed: no timer: %s", strerror(-t));
		return;
	}
	lig_loop_timer_no_barrier(t);
	lig_afpacket_mon_retry = t;
}

/* With the last device: no monitor, no handle. */
static void
lig_afpacket_netlink_stop(void)
{
	lig_afpacket_monitor_stop();
	if (lig_afpacket_mon_retry >= 0)
		lig_loop_del_timer(lig_afpacket_mon_retry);
	lig_afpacket_mon_retry = -1;
	lig_nl_close(lig_afpacket_nl);
	lig_afpacket_nl = NULL;
}

/* lig_afpacket_netlink_stop unless a device is left: after a failed create, and after
 * the last deletion once the barrier is released (a create in the same batch of API
 * messages may have come meanwhile). */
static void
lig_afpacket_netlink_stop_if_unused(void *arg LIG_UNUSED)
{
	if (lig_afpacket_n_devs == 0)
		lig_afpacket_netlink_stop();
}

/* After the barrier of the last deletion, unless a create came in the same batch: the
 * workers' buffer reserves (freeing them touches every header, ~0.1 ms of misses on
 * another core's lines) and the netlink sockets. */
static void
lig_afpacket_release_if_unused(void *arg LIG_UNUSED)
{
	if (lig_afpacket_n_devs)
		return;
	lig_afpacket_release_buffers();
	lig_afpacket_netlink_stop();
}

static int
lig_afpacket_setopt(int fd, int opt, int value, const char *what)
{
	if (setsockopt(fd, SOL_PACKET, opt, &value, sizeof(value)) < 0) {
		int rv = -errno;
		lig_err("afpacket", "setsockopt %s: %s", what, strerror(errno));
		return rv;
	}
	return 0;
}

/* Socket options every rx socket of a device takes (queue 0's and the fanout members):
 * TPACKET_V2, virtio-net headers, whole copies of frames larger than a slot, our own
 * transmissions left out. */
static int
lig_afpacket_rx_socket(struct lig_afpacket_dev *dev, int *fdp)
{
	int rcvbuf = LIG_AFPACKET_RX_COPY_RCVBUF, rv;
	/* Protocol 0: nothing is queued before the rings exist; bind() starts rx. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	*fdp = fd;
	if (fd < 0) {
		rv = -errno;
		lig_err("afpacket", "socket(AF_PACKET): %s", strerror(errno));
		return rv;
	}
	if ((rv = lig_afpacket_setopt(fd, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION")) ||
	    (rv = lig_afpacket_setopt(fd, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR")))
		return rv;
	/* A frame larger than a slot is queued whole on the socket as well (the slot says
	 * TP_STATUS_COPY), in a receive buffer made large enough for a burst of them. */
	if ((rv = lig_afpacket_setopt(fd, PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH")))
		return rv;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		lig_warn("afpacket", "%s: SO_RCVBUF: %s", dev->host_if, strerror(errno));
	/* Our own transmissions would come back on rx otherwise; the rx path also checks
	 * PACKET_OUTGOING for kernels without this option (< 4.20). */
	if (lig_afpacket_setopt(fd, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING") < 0)
		lig_warn("afpacket", "%s: relying on the rx check for outgoing frames",
			 dev->host_if);
	return 0;
}

static struct tpacket_req
lig_afpacket_rx_req(void)
{
	struct tpacket_req rx = {
	    .tp_block_size = LIG_AFPACKET_RX_FRAME_SIZE * LIG_AFPACKET_RX_FRAMES_PER_BLOCK,
	    .tp_block_nr = LIG_AFPACKET_RX_FRAME_COUNT / LIG_AFPACKET_RX_FRAMES_PER_BLOCK,
	    .tp_frame_size = LIG_AFPACKET_RX_FRAME_SIZE,
	    .tp_frame_nr = LIG_AFPACKET_RX_FRAME_COUNT,
	};
	return rx;
}

/*
 * Joins the rx socket of queue q to the device's PACKET_FANOUT group: queue 0 asks the
 * kernel for a group id no one uses (PACKET_FANOUT_FLAG_UNIQUEID) and reads it back, the
 * others join it. Hash mode: a flow stays on one queue, so its order holds (fragments,
 * without ports, hash on their addresses; no FLAG_DEFRAG: ligd forwards what came).
 */
static int
lig_afpacket_fanout_join(struct lig_afpacket_dev *dev, int fd, u32 q)
{
	u32 mode = PACKET_FANOUT_HASH;
	int arg, rv;

	if (q == 0) {
		arg = (int)((mode | PACKET_FANOUT_FLAG_UNIQUEID) << 16);
		if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) < 0)
			goto fail;
		socklen_t len = sizeof(arg);
		if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) < 0)
			goto fail;
		dev->fanout_id = arg & 0xffff;
		return 0;
	}
	arg = (int)((mode << 16) | (u32)dev->fanout_id);
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) == 0)
		return 0;
fail:
	rv = -errno;
	lig_err("afpacket", "%s: PACKET_FANOUT (rx queue %u): %s", dev->host_if, q,
		strerror(errno));
	return rv;
}

/*
 * Opens queue q > 0: its own socket with an rx ring only, bound to the interface and
 * joined to the fanout group.
 */
static int
lig_afpacket_open_rxq(struct lig_afpacket_dev *dev, u32 q)
{
	struct lig_afpacket_rxq *rxq = &dev->rxqs[q];
	struct tpacket_req rx = lig_afpacket_rx_req();
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ALL),
	    .sll_ifindex = dev->host_ifindex,
	};
	int rv = lig_afpacket_rx_socket(dev, &rxq->fd);

	if (rv < 0)
		return rv;
	if (setsockopt(rxq->fd, SOL_PACKET, PACKET_RX_RING, &rx, sizeof(rx)) < 0) {
		rv = -errno;
		lig_err("afpacket", "%s: rx queue %u ring: %s", dev->host_if, q, strerror(errno));
		return rv;
	}
	rxq->ring_size = (size_t)rx.tp_block_size * rx.tp_block_nr;
	rxq->ring_base = mmap(NULL, rxq->ring_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_POPULATE, rxq->fd, 0);
	if (rxq->ring_base == MAP_FAILED) {
		rv = -errno;
		rxq->ring_base = NULL;
		lig_err("afpacket", "%s: mmap rx queue %u: %s", dev->host_if, q, strerror(errno));
		return rv;
	}
	rxq->rx_ring = rxq->ring_base;
	if (bind(rxq->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rv = -errno;
		lig_err("afpacket", "%s: bind rx queue %u: %s", dev->host_if, q, strerror(errno));
		return rv;
	}
	return lig_afpacket_fanout_join(dev, rxq->fd, q);
}

/*
 * Opens queue 0's socket and its rings, both TPACKET_V2 (the version is per socket): rx
 * slots each handed to ligd as soon as it is written; tx slots for any MTU frame. Then
 * the other rx queues, and the ringless socket for large super-frames.
 */
static int
lig_afpacket_open(struct lig_afpacket_dev *dev)
{
	struct tpacket_req rx = lig_afpacket_rx_req();
	struct tpacket_req tx = {
	    .tp_block_size = LIG_AFPACKET_TX_FRAME_SIZE * LIG_AFPACKET_TX_FRAMES_PER_BLOCK,
	    .tp_block_nr = LIG_AFPACKET_TX_FRAME_COUNT / LIG_AFPACKET_TX_FRAMES_PER_BLOCK,
	    .tp_frame_size = LIG_AFPACKET_TX_FRAME_SIZE,
	    .tp_frame_nr = LIG_AFPACKET_TX_FRAME_COUNT,
	};
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ALL),
	    .sll_ifindex = dev->host_ifindex,
	};
	struct packet_mreq mr = {.mr_ifindex = dev->host_ifindex, .mr_type = PACKET_MR_PROMISC};
	size_t rx_size = (size_t)rx.tp_block_size * rx.tp_block_nr;
	size_t tx_size = (size_t)tx.tp_block_size * tx.tp_block_nr;
	int rv;

	_Static_assert(LIG_AFPACKET_TX_FRAME_SIZE * LIG_AFPACKET_TX_FRAMES_PER_BLOCK % 4096 == 0,
		       "tx block is whole pages");
	rv = lig_afpacket_rx_socket(dev, &dev->fd);
	dev->rxqs[0].fd = dev->fd;
	if (rv < 0)
		return rv;
	/* A malformed tx frame is skipped instead of stalling the ring. */
	if ((rv = lig_afpacket_setopt(dev->fd, PACKET_LOSS, 1, "PACKET_LOSS")) ||
	    (rv = lig_afpacket_setopt(dev->fd, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS")))
		return rv;
	if (setsockopt(dev->fd, SOL_PACKET, PACKET_RX_RING, &rx, sizeof(rx)) < 0 ||
	    setsockopt(dev->fd, SOL_PACKET, PACKET_TX_RING, &tx, sizeof(tx)) < 0) {
		rv = -errno;
		lig_err("afpacket", "%s: ring setup: %s", dev->host_if, strerror(errno));
		return rv;
	}
	dev->ring_size = rx_size + tx_size;
	dev->ring_base = mmap(NULL, dev->ring_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_POPULATE, dev->fd, 0);
	if (dev->ring_base == MAP_FAILED) {
		rv = -errno;
		dev->ring_base = NULL;
		lig_err("afpacket", "%s: mmap rings: %s", dev->host_if, strerror(errno));
		return rv;
	}
	dev->rxqs[0].rx_ring = dev->ring_base;
	dev->tx_ring = dev->ring_base + rx_size;
	dev->rx_frame_size = rx.tp_frame_size;
	dev->rx_frame_count = rx.tp_frame_nr;
	dev->tx_frame_size = tx.tp_frame_size;
	dev->tx_frame_count = tx.tp_frame_nr;
	if (bind(dev->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rv = -errno;
		lig_err("afpacket", "%s: bind: %s", dev->host_if, strerror(errno));
		return rv;
	}
	if (dev->n_rx_queues > 1) {
		if ((rv = lig_afpacket_fanout_join(dev, dev->fd, 0)) < 0)
			return rv;
		for (u32 q = 1; q < dev->n_rx_queues; q++)
			if ((rv = lig_afpacket_open_rxq(dev, q)) < 0)
				return rv;
	}
	/* Super-frames larger than a tx slot leave through a second socket without rings
	 * (a socket with a tx ring only sends from it). Protocol 0: it receives nothing. */
	dev->gso_fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sll.sll_protocol = 0;
	if (dev->gso_fd < 0 ||
	    (rv = lig_afpacket_setopt(dev->gso_fd, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR")) ||
	    (rv =
		 lig_afpacket_setopt(dev->gso_fd, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS")) ||
	    bind(dev->gso_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rv = rv ? rv : -errno;
		lig_err("afpacket", "%s: gso socket: %s", dev->host_if, strerror(-rv));
		return rv;
	}
	/* As VPP does: the host side accepts every frame, since ligd's MAC is its own.
	 * The membership (and the promiscuity) goes away with the socket. */
	if (setsockopt(dev->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		rv = -errno;
		lig_err("afpacket", "%s: promiscuous: %s", dev->host_if, strerror(errno));
		return rv;
	}
	return 0;
}

/* Releases everything open() and create() acquired; accepts a partly built dev. */
static void
lig_afpacket_dev_free(struct lig_afpacket_dev *dev)
{
	if (!dev)
		return;
	if (dev->sw_if_index != LIG_INVALID_INDEX)
		lig_rxq_del_interface(dev->sw_if_index);
	for (u32 q = 1; dev->rxqs && q < dev->n_rx_queues; q++) {
		if (dev->rxqs[q].ring_base)
			munmap(dev->rxqs[q].ring_base, dev->rxqs[q].ring_size);
		if (dev->rxqs[q].fd >= 0)
			close(dev->rxqs[q].fd);
	}
	if (dev->ring_base)
		munmap(dev->ring_base, dev->ring_size);
	if (dev->fd >= 0)
		close(dev->fd);
	if (dev->gso_fd >= 0)
		close(dev->gso_fd);
	free(dev->rxqs);
	free(dev);
}

static void
lig_afpacket_dev_free_cb(void *arg)
{
	struct lig_afpacket_dev *dev = arg;

	lig_info("afpacket", "closed host-%s", dev->host_if);
	lig_afpacket_dev_free(dev);
}

static void
lig_afpacket_list_remove(struct lig_afpacket_dev *dev)
{
	for (u32 i = 0; i < lig_afpacket_n_devs; i++) {
		if (lig_afpacket_devs[i] != dev)
			continue;
		lig_afpacket_devs[i] = lig_afpacket_devs[--lig_afpacket_n_devs];
		break;
	}
	if (lig_afpacket_n_devs == 0)
		lig_barrier_after_release(lig_afpacket_release_if_unused, NULL);
}

static int
lig_afpacket_list_add(struct lig_afpacket_dev *dev)
{
	if (lig_afpacket_n_devs == lig_afpacket_devs_cap) {
		u32 cap = lig_afpacket_devs_cap ? 2 * lig_afpacket_devs_cap : 8;
		void *p = realloc(lig_afpacket_devs, cap * sizeof(*lig_afpacket_devs));
		if (!p)
			return -ENOMEM;
		lig_afpacket_devs = p;
		lig_afpacket_devs_cap = cap;
	}
	/* Each rx queue on the thread chosen for it; its socket wakes that thread. */
	for (u32 q = 0; q < dev->n_rx_queues; q++) {
		int rv = lig_rxq_add(dev->sw_if_index, (u16)q, lig_afpacket_input_node.index,
				     &dev->rxqs[q], dev->rxqs[q].fd, NULL, NULL, false);
		if (rv < 0) {
			lig_rxq_del_interface(dev->sw_if_index);
			return rv;
		}
	}
	lig_afpacket_devs[lig_afpacket_n_devs++] = dev;
	return 0;
}

static int
lig_afpacket_admin_up_down(struct lig_interface *ifp, bool up)
{
	struct lig_afpacket_dev *dev = ifp->dev;
	struct lig_nl *nl = lig_afpacket_netlink();
	char err[256] = "";
	bool link_up = false;
	int rv = nl ? lig_nl_link_set_up(nl, dev->host_ifindex, up, err, sizeof(err)) : -errno;

	if (rv < 0) {
		lig_err("afpacket", "%s: set %s %s: %s", ifp->name, dev->host_if,
			up ? "up" : "down", err[0] ? err : strerror(-rv));
		return rv;
	}
	/* The state is set; a carrier that cannot be read now is left to the monitor. */
	if ((rv = lig_afpacket_link_get(dev->host_ifindex, &link_up, NULL)) < 0)
		lig_warn("afpacket", "%s: carrier of %s: %s", ifp->name, dev->host_if,
			 strerror(-rv));
	/* A veth's carrier may come a moment later: the monitor reports it then. */
	lig_if_set_link(ifp->sw_if_index, link_up);
	return 0;
}

static int
lig_afpacket_set_mtu(struct lig_interface *ifp, u32 mtu)
{
	struct lig_afpacket_dev *dev = ifp->dev;

	if (mtu + 18 > LIG_AFPACKET_TX_MAX_FRAME)
		return -EINVAL; /* a full frame would not fit a tx slot */
	struct lig_nl *nl = lig_afpacket_netlink();
	char err[256] = "";
	int rv = nl ? lig_nl_link_set_mtu(nl, dev->host_ifindex, mtu, err, sizeof(err)) : -errno;

	if (rv < 0)
		lig_err("afpacket", "%s: set mtu %u: %s", dev->host_if, mtu,
			err[0] ? err : strerror(-rv));
	return rv;
}

static void
lig_afpacket_format_hw(struct lig_str *s, const struct lig_interface *ifp)
{
	struct lig_afpacket_dev *dev = ifp->dev;

	lig_str_printf(s,
		       "  host-if %s ifindex %d, af_packet fd %d, TPACKET_V2, vnet-hdr, "
		       "qdisc-bypass, %u rx queue%s",
		       dev->host_if, dev->host_ifindex, dev->fd, dev->n_rx_queues,
		       dev->n_rx_queues == 1 ? "" : "s");
	if (dev->n_rx_queues > 1)
		lig_str_printf(s, " (PACKET_FANOUT hash, group %d)", dev->fanout_id);
	lig_str_printf(s,
		       "\n  rx ring: %u frames x %u bytes per queue (each signalled as written)\n",
		       dev->rx_frame_count, dev->rx_frame_size);
	for (u32 q = 0; q < dev->n_rx_queues; q++) {
		struct lig_afpacket_rxq *rxq = &dev->rxqs[q];
		struct tpacket_stats st = {0};
		socklen_t len = sizeof(st);

		/* PACKET_STATISTICS returns and clears the kernel's counters: keep the sum. */
		if (getsockopt(rxq->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
			rxq->kernel_packets += st.tp_packets;
			rxq->kernel_drops += st.tp_drops;
		}
		u32 thread = lig_rxq_thread(dev->sw_if_index, (u16)q);
		lig_str_printf(s,
			       "  rx queue %u (fd %d, thread %d): next %u, frames read %llu, bad "
			       "frames %llu, larger frames read whole %llu, gso %llu (%llu bytes); "
			       "kernel packets %llu, drops %llu\n",
			       q, rxq->fd, thread == LIG_INVALID_INDEX ? -1 : (int)thread,
			       __atomic_load_n(&rxq->rx_head, __ATOMIC_RELAXED),
			       (unsigned long long)lig_counter_get(&rxq->rx_frames),
			       (unsigned long long)lig_counter_get(&rxq->rx_bad_frames),
			       (unsigned long long)lig_counter_get(&rxq->rx_copies),
			       (unsigned long long)lig_counter_get(&rxq->rx_gso),
			       (unsigned long long)lig_counter_get(&rxq->rx_gso_bytes),
			       (unsigned long long)rxq->kernel_packets,
			       (unsigned long long)rxq->kernel_drops);
	}
	lig_str_printf(s,
		       "  tx ring: %u frames x %u bytes (max frame %zu), mmap, one kick per "
		       "vector, head %u, kicks %llu, kick errors %llu, ring full %llu\n",
		       dev->tx_frame_count, dev->tx_frame_size, (size_t)LIG_AFPACKET_TX_MAX_FRAME,
		       __atomic_load_n(&dev->tx_head, __ATOMIC_RELAXED),
		       (unsigned long long)lig_counter_get(&dev->tx_kicks),
		       (unsigned long long)lig_counter_get(&dev->tx_kick_errors),
		       (unsigned long long)lig_counter_get(&dev->tx_ring_full));
	u64 rx_gso = 0, rx_gso_bytes = 0;
	for (u32 q = 0; q < dev->n_rx_queues; q++) {
		rx_gso += lig_counter_get(&dev->rxqs[q].rx_gso);
		rx_gso_bytes += lig_counter_get(&dev->rxqs[q].rx_gso_bytes);
	}
	lig_str_printf(s,
		       "  offloads: csum gso (vnet-hdr both ways), rx gso %llu (%llu bytes), "
		       "tx gso %llu (gso fd %d)\n",
		       (unsigned long long)rx_gso, (unsigned long long)rx_gso_bytes,
		       (unsigned long long)lig_counter_get(&dev->tx_gso), dev->gso_fd);
}

static void
lig_afpacket_destroy(struct lig_interface *ifp)
{
	struct lig_afpacket_dev *dev = ifp->dev;

	if (!dev)
		return;
	lig_afpacket_list_remove(dev);
	/* Workers cannot reach it once its queues are gone and the barrier is released: the
	 * rings are unmapped and the sockets closed after that, not with them parked. */
	if (dev->sw_if_index != LIG_INVALID_INDEX)
		lig_rxq_del_interface(dev->sw_if_index);
	dev->sw_if_index = LIG_INVALID_INDEX;
	lig_barrier_after_release(lig_afpacket_dev_free_cb, dev);
	ifp->dev = NULL;
}

const struct lig_if_class lig_afpacket_class = {
    .name = "af_packet",
    .tx_node_name = "af-packet-tx",
    .admin_up_down = lig_afpacket_admin_up_down,
    .set_mtu = lig_afpacket_set_mtu,
    .format_hw = lig_afpacket_format_hw,
    .destroy = lig_afpacket_destroy,
};

int
lig_afpacket_create(const char *host_if, const u8 *mac, u32 n_rx_queues, u32 *sw_if_index)
{
	char name[LIG_IF_NAME_SIZE];
	struct lig_afpacket_dev *dev;
	struct lig_interface *ifp;
	struct lig_nl_link link;
	struct lig_nl *nl;
	char err[256];
	int rv;

	if (!host_if || !host_if[0])
		return -EINVAL;
	if (strlen(host_if) >= IF_NAMESIZE)
		return -ENAMETOOLONG;
	if (mac && (mac[0] & 1))
		return -EINVAL;
	if (n_rx_queues == 0)
		n_rx_queues = 1;
	if (n_rx_queues > LIG_AFPACKET_MAX_RX_QUEUES)
		return -EINVAL;
	snprintf(name, sizeof(name), "host-%s", host_if);
	if (lig_if_by_name(name))
		return -EEXIST;
	/* The link's index, MTU and carrier now; the monitor reports what changes later. */
	nl = lig_afpacket_netlink();
	if (nl)
		lig_afpacket_monitor_start();
	rv = nl ? lig_nl_link_get(nl, 0, host_if, &link, err, sizeof(err)) : -errno;
	if (rv < 0) {
		if (rv != -ENODEV)
			lig_err("afpacket", "%s: %s", host_if, nl ? err : strerror(-rv));
		lig_afpacket_netlink_stop_if_unused(NULL);
		return rv;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		goto no_memory;
	dev->fd = -1;
	dev->gso_fd = -1;
	dev->fanout_id = -1;
	dev->rxqs = aligned_alloc(LIG_CACHE_LINE, n_rx_queues * sizeof(*dev->rxqs));
	if (!dev->rxqs) {
		free(dev);
		goto no_memory;
	}
	memset(dev->rxqs, 0, n_rx_queues * sizeof(*dev->rxqs));
	dev->n_rx_queues = n_rx_queues;
	for (u32 q = 0; q < n_rx_queues; q++) {
		dev->rxqs[q].fd = -1;
		dev->rxqs[q].queue_id = (u16)q;
		dev->rxqs[q].dev = dev;
	}
	dev->host_ifindex = link.ifindex;
	dev->sw_if_index = LIG_INVALID_INDEX;
	snprintf(dev->host_if, sizeof(dev->host_if), "%s", host_if);
	rv = lig_afpacket_open(dev);
	if (rv < 0)
		goto fail;
	/* The sockets and rings (milliseconds of system calls) are ready: the workers park
	 * only while the interface and its rx queues are added (af_packet_create is
	 * mp-safe). */
	lig_barrier_sync();
	lig_barrier_kind("create host-interface");
	ifp = lig_if_create(&lig_afpacket_class, name, dev, mac);
	if (!ifp) {
		rv = -errno;
		lig_barrier_release();
		goto fail;
	}
	/* ligd's interface takes the Linux MTU, as VPP's host-interface does. */
	if (link.mtu >= 68 && link.mtu + 18 <= LIG_AFPACKET_TX_MAX_FRAME)
		ifp->mtu = link.mtu;
	/* PACKET_VNET_HDR takes partial checksums and TCP super-frames. */
	ifp->tx_offloads = LIG_IF_TX_CSUM | LIG_IF_TX_GSO;
	dev->sw_if_index = ifp->sw_if_index;
	rv = lig_afpacket_list_add(dev);
	if (rv < 0) {
		lig_if_delete(ifp->sw_if_index); /* frees dev through destroy */
		lig_barrier_release();
		return rv;
	}
	lig_if_set_link(ifp->sw_if_index, link.up && link.running);
	lig_barrier_release();
	lig_info("afpacket", "%s on %s (ifindex %d), %u rx queue(s) of %u x %u, tx %u x %u", name,
		 host_if, link.ifindex, n_rx_queues, dev->rx_frame_count, dev->rx_frame_size,
		 dev->tx_frame_count, dev->tx_frame_size);
	if (sw_if_index)
		*sw_if_index = ifp->sw_if_index;
	return 0;
no_memory:
	lig_afpacket_netlink_stop_if_unused(NULL);
	return -ENOMEM;
fail:
	lig_afpacket_dev_free(dev);
	lig_afpacket_netlink_stop_if_unused(NULL);
	return rv;
}

int
lig_afpacket_delete(const char *host_if)
{
	char name[LIG_IF_NAME_SIZE];
	struct lig_interface *ifp;

	if (!host_if || strlen(host_if) >= IF_NAMESIZE)
		return -ENOENT;
	snprintf(name, sizeof(name), "host-%s", host_if);
	ifp = lig_if_by_name(name);
	if (!ifp || ifp->class != &lig_afpacket_class)
		return -ENOENT;
	return lig_if_delete(ifp->sw_if_index);
}

struct lig_afpacket_dev *
lig_afpacket_dev_by_sw(u32 sw_if_index)
{
	struct lig_interface *ifp = lig_if_get(sw_if_index);

	return ifp && ifp->class == &lig_afpacket_class ? ifp->dev : NULL;
}

LIG_MODULE(afpacket, .depends = {"interface", "ethernet"});

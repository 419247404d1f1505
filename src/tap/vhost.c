/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vhost-net for taps: the kernel moves frames between the tap and two split virtqueues
 * in ligd's memory (vring.c), so tap-input and tap-tx make no system call per frame.
 * Set-up follows the vhost protocol: VHOST_SET_OWNER, features (MRG_RXBUF and VERSION_1
 * required, EVENT_IDX taken when offered), the memory table (ligd's buffer pool and the
 * rings, mapped one to one), per queue its size, base, addresses, kick eventfd and (rx)
 * call eventfd, then VHOST_NET_SET_BACKEND with the tap fd. Queue 0 is rx, 1 is tx.
 * Any refusal is returned, and the caller falls back to the tun fd backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../infra/log.h"
#include "vhost.h"

#define LIG_VIRTIO_NET_F_MRG_RXBUF 15
#define LIG_VIRTIO_RING_F_EVENT_IDX 29
#define LIG_VIRTIO_F_VERSION_1 32

static int
lig_vhost_ioctl(struct lig_vhost *v, unsigned long req, void *arg, const char *what)
{
	if (ioctl(v->fd, req, arg) < 0) {
		int rv = -errno;
		lig_warn("tap", "vhost-net %s: %s", what, strerror(errno));
		return rv;
	}
	return 0;
}

static int
lig_vhost_setup_queue(struct lig_vhost *v, u32 index, struct lig_vring *vr, int kick_fd,
		      int call_fd)
{
	struct vhost_vring_state num = {.index = index, .num = vr->size};
	struct vhost_vring_state base = {.index = index, .num = 0};
	struct vhost_vring_addr addr = {
	    .index = index,
	    .desc_user_addr = (u64)(uintptr_t)vr->desc,
	    .avail_user_addr = (u64)(uintptr_t)vr->avail,
	    .used_user_addr = (u64)(uintptr_t)lig_vring_used_ptr(vr),
	};
	struct vhost_vring_file kick = {.index = index, .fd = kick_fd};
	struct vhost_vring_file call = {.index = index, .fd = call_fd};
	int rv;

	if ((rv = lig_vhost_ioctl(v, VHOST_SET_VRING_NUM, &num, "SET_VRING_NUM")) ||
	    (rv = lig_vhost_ioctl(v, VHOST_SET_VRING_BASE, &base, "SET_VRING_BASE")) ||
	    (rv = lig_vhost_ioctl(v, VHOST_SET_VRING_ADDR, &addr, "SET_VRING_ADDR")) ||
	    (rv = lig_vhost_ioctl(v, VHOST_SET_VRING_KICK, &kick, "SET_VRING_KICK")) ||
	    (rv = lig_vhost_ioctl(v, VHOST_SET_VRING_CALL, &call, "SET_VRING_CALL")))
		return rv;
	return 0;
}

int
lig_vhost_open(struct lig_vhost *v, int tap_fd, u16 qsize)
{
	u64 features = 0;
	int rv;

	memset(v, 0, sizeof(*v));
	v->fd = v->kick_fd[0] = v->kick_fd[1] = v->call_fd = -1;
	v->fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	if (v->fd < 0)
		return -errno;
	if ((rv = lig_vhost_ioctl(v, VHOST_SET_OWNER, NULL, "SET_OWNER")) ||
	    (rv = lig_vhost_ioctl(v, VHOST_GET_FEATURES, &features, "GET_FEATURES")))
		goto fail;
	u64 need = (1ull << LIG_VIRTIO_NET_F_MRG_RXBUF) | (1ull << LIG_VIRTIO_F_VERSION_1);
	if ((features & need) != need) {
		lig_warn("tap", "vhost-net lacks MRG_RXBUF or VERSION_1 (features 0x%llx)",
			 (unsigned long long)features);
		rv = -EOPNOTSUPP;
		goto fail;
	}
	v->features = need | (features & (1ull << LIG_VIRTIO_RING_F_EVENT_IDX));
	if ((rv = lig_vhost_ioctl(v, VHOST_SET_FEATURES, &v->features, "SET_FEATURES")))
		goto fail;
	bool event_idx = (v->features >> LIG_VIRTIO_RING_F_EVENT_IDX) & 1;
	/* Both rings in one page-aligned region. */
	size_t ring_size = lig_vring_mem_size(qsize);
	v->mem_size = 2 * ring_size;
	v->mem = mmap(NULL, v->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		rv = -ENOMEM;
		goto fail;
	}
	if ((rv = lig_vring_init(&v->rx, v->mem, qsize, true, event_idx)) ||
	    (rv = lig_vring_init(&v->tx, (u8 *)v->mem + ring_size, qsize, false, event_idx)))
		goto fail;
	/* The memory the descriptors may point into, guest address = ligd's address. */
	struct vhost_memory *mt = calloc(1, sizeof(*mt) + 2 * sizeof(struct vhost_memory_region));
	if (!mt) {
		rv = -ENOMEM;
		goto fail;
	}
	mt->nregions = 2;
	mt->regions[0].guest_phys_addr = mt->regions[0].userspace_addr =
	    (u64)(uintptr_t)lig_buffer_pool.base;
	mt->regions[0].memory_size = lig_buffer_pool.size;
	mt->regions[1].guest_phys_addr = mt->regions[1].userspace_addr = (u64)(uintptr_t)v->mem;
	mt->regions[1].memory_size = v->mem_size;
	rv = lig_vhost_ioctl(v, VHOST_SET_MEM_TABLE, mt, "SET_MEM_TABLE");
	free(mt);
	if (rv)
		goto fail;
	v->kick_fd[0] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	v->kick_fd[1] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	v->call_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (v->kick_fd[0] < 0 || v->kick_fd[1] < 0 || v->call_fd < 0) {
		rv = -errno;
		goto fail;
	}
	/* tx completions are reclaimed while polling: no call eventfd for queue 1. */
	if ((rv = lig_vhost_setup_queue(v, 0, &v->rx, v->kick_fd[0], v->call_fd)) ||
	    (rv = lig_vhost_setup_queue(v, 1, &v->tx, v->kick_fd[1], -1)))
		goto fail;
	lig_vring_rx_refill(&v->rx);
	lig_vring_publish(&v->rx);
	lig_vring_want_interrupt(&v->rx, true);
	for (u32 q = 0; q < 2; q++) {
		struct vhost_vring_file be = {.index = q, .fd = tap_fd};
		if ((rv = lig_vhost_ioctl(v, VHOST_NET_SET_BACKEND, &be, "NET_SET_BACKEND")))
			goto fail;
	}
	lig_vhost_kick(v, 0);
	return 0;
fail:
	lig_vhost_close(v);
	return rv;
}

void
lig_vhost_close(struct lig_vhost *v)
{
	/* Closing the vhost fd stops the kernel's worker before it returns: only then are
	 * the rings and the buffers they hold ours again. */
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
	for (u32 q = 0; q < 2; q++) {
		if (v->kick_fd[q] >= 0)
			close(v->kick_fd[q]);
		v->kick_fd[q] = -1;
	}
	if (v->call_fd >= 0)
		close(v->call_fd);
	v->call_fd = -1;
	lig_vring_free(&v->rx);
	lig_vring_free(&v->tx);
	if (v->mem)
		munmap(v->mem, v->mem_size);
	v->mem = NULL;
}

void
lig_vhost_kick(struct lig_vhost *v, u32 q)
{
	u64 one = 1;

	if (write(v->kick_fd[q], &one, sizeof(one)) < 0)
		v->kick_errors++;
}

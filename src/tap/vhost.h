/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vhost-net backend of a tap (vhost.c): the kernel services two split virtqueues
 * (vring.h) in ligd's memory instead of ligd reading and writing the tun fd.
 */
#ifndef LIG_TAP_VHOST_H
#define LIG_TAP_VHOST_H

#include "vring.h"

#define LIG_VHOST_QUEUE_SIZE 256

struct lig_vhost {
	int fd;		/* /dev/vhost-net */
	int kick_fd[2]; /* rx, tx: ligd -> kernel */
	int call_fd;	/* rx: kernel -> ligd, in the loop's epoll set */
	struct lig_vring rx, tx;
	void *mem; /* both rings */
	size_t mem_size;
	u64 features;
	u64 kick_errors;
};

/* Opens /dev/vhost-net and attaches it to tap_fd (opened with IFF_VNET_HDR and a 12-byte
 * header, TUNSETVNETHDRSZ) with queues of qsize. 0, or -errno with nothing left open
 * (-ENOENT: no /dev/vhost-net). */
int lig_vhost_open(struct lig_vhost *v, int tap_fd, u16 qsize);
/* Stops the kernel's side and frees the rings and the buffers they hold. Accepts a
 * closed one. */
void lig_vhost_close(struct lig_vhost *v);
/* Writes queue q's kick eventfd (0 rx, 1 tx). */
void lig_vhost_kick(struct lig_vhost *v, u32 q);

#endif

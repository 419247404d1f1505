/* SPDX-License-Identifier: Apache-2.0 */
/* The memif handshake and shared-memory setup for both roles (see memif_conn.h).
 * Every value the peer sends is checked here before it is used or mapped. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "memif_conn.h"

static void lig_memif_reason(struct lig_memif_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
lig_memif_reason(struct lig_memif_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

static void
lig_memif_queue_reset(struct lig_memif_queue *q)
{
	memset(q, 0, sizeof(*q));
	q->int_fd = -1;
}

void
lig_memif_conn_init(struct lig_memif_conn *conn, const struct lig_memif_conn_config *cfg)
{
	memset(conn, 0, sizeof(*conn));
	conn->cfg = *cfg;
	conn->fd = -1;
	for (unsigned i = 0; i < LIG_MEMIF_MAX_REGIONS; i++)
		conn->region_fds[i] = -1;
	for (unsigned i = 0; i < LIG_MEMIF_MAX_QUEUES; i++) {
		lig_memif_queue_reset(&conn->s2m[i]);
		lig_memif_queue_reset(&conn->m2s[i]);
	}
}

static int
lig_memif_sockaddr(const char *path, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, n);
	*len = (socklen_t)sizeof(*sa);
	if (path[0] == '@') { /* abstract: leading NUL, length counts the name only */
		sa->sun_path[0] = 0;
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return 0;
}

int
lig_memif_send(int fd, const struct lig_memif_msg *m, int pass_fd)
{
	struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof(*m)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (pass_fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*m) ? 0 : -EIO;
}

void
lig_memif_send_disconnect(int fd, const char *reason)
{
	struct lig_memif_msg m;

	lig_memif_msg_disconnect(&m, 1, reason);
	(void)lig_memif_send(fd, &m, -1);
}

int
lig_memif_recv(int fd, struct lig_memif_msg *m, int *rx_fd, char *err, size_t err_size)
{
	/* One byte more than a message, so an oversized one is seen as such. */
	unsigned char buf[LIG_MEMIF_MSG_SIZE + 1];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	/* Room for SCM_CREDENTIALS too: SO_PASSCRED on the listener adds it to every message. */
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8) + CMSG_SPACE(64)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	int got_fd = -1, n_fds = 0;

	*rx_fd = -1;
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN : -errno;
	if (n == 0)
		return -ECONNRESET;
	/* Collect every passed fd so none leaks, whatever the peer sent. */
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int f;
			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (n_fds++ == 0)
				got_fd = f;
			else
				close(f);
		}
	}
	int rv;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		snprintf(err, err_size, "truncated control message");
		rv = -EBADMSG;
	} else if (n_fds > 1) {
		snprintf(err, err_size, "%d file descriptors in one message", n_fds);
		rv = -EBADMSG;
	} else {
		rv = lig_memif_msg_parse(buf, (size_t)n, got_fd >= 0, m, err, err_size);
	}
	if (rv < 0) {
		if (got_fd >= 0)
			close(got_fd);
		return rv == -EPROTONOSUPPORT ? rv : -EBADMSG;
	}
	*rx_fd = got_fd;
	return 0;
}

int
lig_memif_listen(const char *path, int *out_fd)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, rv, on = 1;

	rv = lig_memif_sockaddr(path, &sa, &len);
	if (rv < 0)
		return rv;
	if (path[0] != '@') {
		char dir[sizeof(sa.sun_path)];
		snprintf(dir, sizeof(dir), "%s", path);
		if (mkdir(dirname(dir), 0750) < 0 && errno != EEXIST)
			return -errno;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (path[0] != '@') {
		/* A live listener answers; a stale file from a crashed process does not. */
		if (connect(fd, (struct sockaddr *)&sa, len) == 0) {
			close(fd);
			return -EADDRINUSE;
		}
		close(fd);
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		unlink(path);
	}
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	mode_t old = umask(0117); /* socket file 0660 */
	rv = bind(fd, (struct sockaddr *)&sa, len);
	umask(old);
	if (rv < 0 || listen(fd, 16) < 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	*out_fd = fd;
	return 0;
}

int
lig_memif_accept(int listen_fd, const char *app_name, int *out_fd)
{
	struct lig_memif_msg m;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return -errno;
	lig_memif_msg_hello(&m, app_name, LIG_MEMIF_MAX_REGIONS, LIG_MEMIF_MAX_QUEUES - 1,
			    LIG_MEMIF_MAX_QUEUES - 1, LIG_MEMIF_MAX_LOG2_RING);
	int rv = lig_memif_send(fd, &m, -1);
	if (rv < 0) {
		close(fd);
		return rv;
	}
	*out_fd = fd;
	return 0;
}

static void
lig_memif_conn_teardown(struct lig_memif_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	for (unsigned i = 0; i < LIG_MEMIF_MAX_REGIONS; i++) {
		/* A zero-copy slave's region 1 is the caller's memory, not ours to unmap. */
		bool borrowed = c->cfg.zero_copy && c->cfg.role == LIG_MEMIF_ROLE_SLAVE && i == 1;
		if (c->regions[i].base && !borrowed)
			munmap(c->regions[i].base, c->regions[i].size);
		c->regions[i].base = NULL;
		c->regions[i].size = 0;
		if (c->region_fds[i] >= 0)
			close(c->region_fds[i]);
		c->region_fds[i] = -1;
	}
	for (unsigned i = 0; i < LIG_MEMIF_MAX_QUEUES; i++) {
		if (c->s2m[i].int_fd >= 0)
			close(c->s2m[i].int_fd);
		if (c->m2s[i].int_fd >= 0)
			close(c->m2s[i].int_fd);
		lig_memif_queue_reset(&c->s2m[i]);
		lig_memif_queue_reset(&c->m2s[i]);
	}
	c->n_regions = 0;
	c->n_s2m = c->n_m2s = 0;
	c->tx_step = 0;
	c->state = LIG_MEMIF_STATE_DOWN;
}

void
lig_memif_conn_disconnect(struct lig_memif_conn *c, const char *reason, bool peer_fault)
{
	if (reason)
		snprintf(c->reason, sizeof(c->reason), "%s", reason);
	c->peer_fault = peer_fault;
	if (c->fd >= 0)
		lig_memif_send_disconnect(c->fd, c->reason);
	lig_memif_conn_teardown(c);
}

int
lig_memif_conn_slave_connect(struct lig_memif_conn *c, const char *path)
{
	struct sockaddr_un sa;
	socklen_t len;
	int rv = lig_memif_sockaddr(path, &sa, &len);

	if (rv < 0) {
		lig_memif_reason(c, "socket path too long");
		return rv;
	}
	lig_memif_conn_teardown(c);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A unix-socket connect completes (or fails) at once, even non-blocking. */
	if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
		rv = -errno;
		lig_memif_reason(c, "connect %s: %s", path, strerror(errno));
		close(fd);
		return rv;
	}
	c->fd = fd;
	c->state = LIG_MEMIF_STATE_HANDSHAKE;
	return 0;
}

/* Slave: one memfd region with every ring, then every slot's buffer (copy mode); in
 * zero-copy mode the rings only, and the caller's buffers as region 1. */
static int
lig_memif_slave_alloc(struct lig_memif_conn *c, unsigned log2)
{
	unsigned n_rings = c->n_s2m + c->n_m2s;
	uint64_t ring_bytes = lig_memif_ring_bytes(log2);
	uint64_t buf_off = n_rings * ring_bytes;
	bool zc = c->cfg.zero_copy;
	uint64_t size = buf_off + (zc ? 0 : ((uint64_t)n_rings << log2) * c->buffer_size);
	uint16_t ring_size = (uint16_t)(1u << log2);
	int e;

	if (size > LIG_MEMIF_MAX_REGION_SIZE) {
		lig_memif_reason(c, "rings and buffers need %llu bytes, more than 4 GiB",
				 (unsigned long long)size);
		return -E2BIG;
	}
	int fd = memfd_create("memif region 0", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (ftruncate(fd, (off_t)size) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		goto fail_fd;
	void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		goto fail_fd;
	c->regions[0].base = base;
	c->regions[0].size = size;
	c->region_fds[0] = fd;
	c->n_regions = 1;
	if (zc) {
		c->region_fds[1] = fcntl(c->cfg.zc_fd, F_DUPFD_CLOEXEC, 0);
		if (c->region_fds[1] < 0) {
			e = errno;
			lig_memif_reason(c, "zero-copy region: %s", strerror(e));
			return -e;
		}
		c->regions[1].base = c->cfg.zc_base;
		c->regions[1].size = c->cfg.zc_size;
		c->n_regions = 2;
	}

	for (unsigned r = 0; r < n_rings; r++) {
		bool s2m = r < c->n_s2m;
		struct lig_memif_queue *q = s2m ? &c->s2m[r] : &c->m2s[r - c->n_s2m];
		q->region = 0;
		q->offset = (uint32_t)(r * ring_bytes);
		q->ring = (struct lig_memif_ring *)((uint8_t *)base + q->offset);
		q->log2 = (uint8_t)log2;
		q->size = ring_size;
		q->mask = (uint16_t)(ring_size - 1);
		q->buf_offset = (uint32_t)(buf_off + ((uint64_t)r << log2) * c->buffer_size);
		q->present = 1;
		q->ring->cookie = LIG_MEMIF_COOKIE;
		q->ring->flags = 0;
		q->ring->head = q->ring->tail = 0;
		for (unsigned s = 0; s < ring_size; s++) {
			struct lig_memif_desc *d = &q->ring->desc[s];
			d->flags = 0;
			d->region = zc ? 1 : 0;
			d->offset = zc ? 0 : q->buf_offset + s * c->buffer_size;
			d->length = zc ? 0 : c->buffer_size; /* zero-copy: the caller posts */
			d->metadata = 0;
		}
		q->int_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (q->int_fd < 0) {
			e = errno;
			lig_memif_reason(c, "eventfd: %s", strerror(e));
			return -e;
		}
	}
	return 0;
fail_fd:
	e = errno;
	close(fd);
	errno = e;
fail:
	e = errno ? errno : ENOMEM;
	lig_memif_reason(c, "shared memory: %s", strerror(e));
	return -e;
}

/* Slave: the message to send after `step` ACKs (0: first ADD_REGION); false when the
 * handshake has sent everything and CONNECT went out. */
static int
lig_memif_slave_next(struct lig_memif_conn *c)
{
	struct lig_memif_msg m;
	unsigned step = c->tx_step++;
	int pass = -1;

	if (step < c->n_regions) {
		lig_memif_msg_add_region(&m, (uint16_t)step, c->regions[step].size);
		pass = c->region_fds[step];
	} else if ((step -= c->n_regions) < (unsigned)c->n_s2m + c->n_m2s) {
		bool s2m = step < c->n_s2m;
		unsigned i = s2m ? step : step - c->n_s2m;
		struct lig_memif_queue *q = s2m ? &c->s2m[i] : &c->m2s[i];
		lig_memif_msg_add_ring(&m, s2m, (uint16_t)i, q->region, q->offset, q->log2);
		pass = q->int_fd;
	} else if (step == (unsigned)c->n_s2m + c->n_m2s) {
		lig_memif_msg_connect(&m, LIG_MEMIF_MSG_CONNECT, c->cfg.if_name);
	} else {
		lig_memif_reason(c, "unexpected ack after connect");
		return -EBADMSG;
	}
	int rv = lig_memif_send(c->fd, &m, pass);
	if (rv < 0)
		lig_memif_reason(c, "send: %s", strerror(-rv));
	return rv;
}

static int
lig_memif_slave_on_hello(struct lig_memif_conn *c, const struct lig_memif_msg *m)
{
	const struct lig_memif_msg_hello *h = &m->hello;
	struct lig_memif_msg init;
	unsigned log2 = c->cfg.log2_ring_size;

	lig_memif_wire_string(c->peer_name, h->name, sizeof(h->name));
	c->n_s2m =
	    (uint8_t)(c->cfg.n_s2m < h->max_s2m_ring + 1u ? c->cfg.n_s2m : h->max_s2m_ring + 1u);
	c->n_m2s =
	    (uint8_t)(c->cfg.n_m2s < h->max_m2s_ring + 1u ? c->cfg.n_m2s : h->max_m2s_ring + 1u);
	if (log2 > h->max_log2_ring_size)
		log2 = h->max_log2_ring_size;
	if (c->n_s2m == 0 || c->n_m2s == 0 || c->n_s2m > LIG_MEMIF_MAX_QUEUES ||
	    c->n_m2s > LIG_MEMIF_MAX_QUEUES || log2 == 0 || h->max_region == 0) {
		lig_memif_reason(c, "master limits unusable (rings %u/%u, log2 %u, regions %u)",
				 h->max_s2m_ring + 1u, h->max_m2s_ring + 1u, h->max_log2_ring_size,
				 h->max_region);
		return -EBADMSG;
	}
	if (c->cfg.zero_copy && h->max_region < 1) {
		lig_memif_reason(c, "master takes one region only: no zero-copy");
		return -EBADMSG;
	}
	c->buffer_size = c->cfg.buffer_size;
	int rv = lig_memif_slave_alloc(c, log2);
	if (rv < 0)
		return rv;
	lig_memif_msg_init(&init, c->cfg.id, c->cfg.mode, c->cfg.secret, c->cfg.name);
	rv = lig_memif_send(c->fd, &init, -1);
	if (rv < 0)
		lig_memif_reason(c, "send init: %s", strerror(-rv));
	c->tx_step = 0;
	return rv;
}

static int
lig_memif_slave_on_connected(struct lig_memif_conn *c, const struct lig_memif_msg *m)
{
	lig_memif_wire_string(c->peer_if_name, m->connected.if_name, sizeof(m->connected.if_name));
	/* The master reset both indices before CONNECTED; the slave writes only head. */
	for (unsigned i = 0; i < c->n_s2m; i++) {
		c->s2m[i].ring->head = 0;
		c->s2m[i].last = 0;
	}
	for (unsigned i = 0; i < c->n_m2s; i++) {
		struct lig_memif_queue *q = &c->m2s[i];
		q->last = 0;
		/* Post every slot's buffer to the master at once (zero-copy: the caller does,
		 * with buffers of its own). */
		if (!c->cfg.zero_copy)
			lig_memif_store_release(&q->ring->head, q->size);
	}
	c->state = LIG_MEMIF_STATE_CONNECTED;
	return LIG_MEMIF_EV_CONNECTED;
}

/* Master: the peer's eventfd must really be one, and must never block us. */
static int
lig_memif_check_eventfd(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	if (strcmp(target, "anon_inode:[eventfd]") != 0)
		return -EINVAL;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

int
lig_memif_conn_master_accept(struct lig_memif_conn *c, int fd, const struct lig_memif_msg *init)
{
	struct lig_memif_msg ack;
	uint8_t secret[LIG_MEMIF_SECRET_SIZE] = {0};
	const char *why = NULL;

	lig_memif_conn_teardown(c);
	lig_memif_wire_string(c->peer_name, init->init.name, sizeof(init->init.name));
	memcpy(secret, c->cfg.secret, strnlen(c->cfg.secret, sizeof(secret)));
	if (init->init.mode != c->cfg.mode)
		why = "mode mismatch";
	/* As libmemif: a master without a secret accepts any; with one, it must match. */
	else if (c->cfg.secret[0] && memcmp(secret, init->init.secret, sizeof(secret)) != 0)
		why = "incorrect secret";
	if (why) {
		lig_memif_reason(c, "%s (peer '%s')", why, c->peer_name);
		c->peer_fault = 1;
		lig_memif_send_disconnect(fd, why);
		return -EACCES;
	}
	lig_memif_msg_simple(&ack, LIG_MEMIF_MSG_ACK);
	int rv = lig_memif_send(fd, &ack, -1);
	if (rv < 0) {
		lig_memif_reason(c, "send ack: %s", strerror(-rv));
		return rv;
	}
	c->fd = fd;
	c->state = LIG_MEMIF_STATE_HANDSHAKE;
	return 0;
}

static int
lig_memif_master_on_region(struct lig_memif_conn *c, const struct lig_memif_msg *m, int rfd)
{
	uint16_t i = m->add_region.index;
	uint64_t size = m->add_region.size;
	struct stat st;

	/* Regions come in order: index == count keeps the table dense. */
	if (i != c->n_regions) {
		lig_memif_reason(c, "region %u added out of order (expected %u)", i, c->n_regions);
		return -EBADMSG;
	}
	if (fstat(rfd, &st) < 0 || !S_ISREG(st.st_mode)) {
		lig_memif_reason(c, "region %u: not a memory file", i);
		return -EBADMSG;
	}
	if ((uint64_t)st.st_size < size) {
		lig_memif_reason(c, "region %u: declared %llu bytes, file has %lld", i,
				 (unsigned long long)size, (long long)st.st_size);
		return -EBADMSG;
	}
	/* Without the shrink seal the peer could truncate the file under our mapping and
	 * turn our next access into SIGBUS. */
	int seals = fcntl(rfd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		lig_memif_reason(c, "region %u: memfd not sealed against shrinking", i);
		return -EBADMSG;
	}
	c->region_fds[i] = rfd;
	c->regions[i].size = size;
	c->n_regions++;
	return 0;
}

static int
lig_memif_master_on_ring(struct lig_memif_conn *c, const struct lig_memif_msg *m, int ifd)
{
	const struct lig_memif_msg_add_ring *r = &m->add_ring;
	bool s2m = r->flags & LIG_MEMIF_ADD_RING_FLAG_S2M;
	struct lig_memif_queue *q = s2m ? &c->s2m[r->index] : &c->m2s[r->index];

	if (q->present) {
		lig_memif_reason(c, "%s ring %u added twice", s2m ? "s2m" : "m2s", r->index);
		return -EBADMSG;
	}
	if (r->region >= c->n_regions) {
		lig_memif_reason(c, "ring in region %u which was not added", r->region);
		return -EBADMSG;
	}
	if (r->log2_ring_size == 0 || r->offset % 4 ||
	    (uint64_t)r->offset + lig_memif_ring_bytes(r->log2_ring_size) >
		c->regions[r->region].size) {
		lig_memif_reason(c, "%s ring %u (offset %u, log2 %u) outside region %u",
				 s2m ? "s2m" : "m2s", r->index, r->offset, r->log2_ring_size,
				 r->region);
		return -EBADMSG;
	}
	if (lig_memif_check_eventfd(ifd) < 0) {
		lig_memif_reason(c, "ring interrupt fd is not an eventfd");
		return -EBADMSG;
	}
	q->present = 1;
	q->region = r->region;
	q->offset = r->offset;
	q->log2 = r->log2_ring_size;
	q->size = (uint16_t)(1u << r->log2_ring_size);
	q->mask = (uint16_t)(q->size - 1);
	q->int_fd = ifd;
	return 0;
}

static unsigned
lig_memif_count_rings(const struct lig_memif_queue *qs)
{
	unsigned n = 0;

	while (n < LIG_MEMIF_MAX_QUEUES && qs[n].present)
		n++;
	for (unsigned i = n; i < LIG_MEMIF_MAX_QUEUES; i++)
		if (qs[i].present)
			return 0; /* a gap: not dense */
	return n;
}

static int
lig_memif_master_on_connect(struct lig_memif_conn *c, const struct lig_memif_msg *m)
{
	struct lig_memif_msg reply;

	lig_memif_wire_string(c->peer_if_name, m->connect.if_name, sizeof(m->connect.if_name));
	c->n_s2m = (uint8_t)lig_memif_count_rings(c->s2m);
	c->n_m2s = (uint8_t)lig_memif_count_rings(c->m2s);
	if (c->n_s2m == 0 || c->n_m2s == 0) {
		lig_memif_reason(c, "connect without a dense set of rings each way");
		return -EBADMSG;
	}
	for (unsigned i = 0; i < c->n_regions; i++) {
		void *p = mmap(NULL, c->regions[i].size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       c->region_fds[i], 0);
		if (p == MAP_FAILED) {
			lig_memif_reason(c, "mmap region %u: %s", i, strerror(errno));
			return -EBADMSG;
		}
		c->regions[i].base = p;
		close(c->region_fds[i]); /* the mapping stays */
		c->region_fds[i] = -1;
	}
	for (unsigned dir = 0; dir < 2; dir++) {
		struct lig_memif_queue *qs = dir ? c->m2s : c->s2m;
		unsigned n = dir ? c->n_m2s : c->n_s2m;
		for (unsigned i = 0; i < n; i++) {
			struct lig_memif_queue *q = &qs[i];
			q->ring = (struct lig_memif_ring *)(c->regions[q->region].base + q->offset);
			if (q->ring->cookie != LIG_MEMIF_COOKIE) {
				lig_memif_reason(c, "%s ring %u: bad cookie 0x%x",
						 dir ? "m2s" : "s2m", i, q->ring->cookie);
				return -EBADMSG;
			}
			q->ring->head = 0;
			q->ring->tail = 0;
			q->last = 0;
		}
	}
	lig_memif_msg_connect(&reply, LIG_MEMIF_MSG_CONNECTED, c->cfg.if_name);
	int rv = lig_memif_send(c->fd, &reply, -1);
	if (rv < 0) {
		lig_memif_reason(c, "send connected: %s", strerror(-rv));
		return rv;
	}
	c->state = LIG_MEMIF_STATE_CONNECTED;
	return LIG_MEMIF_EV_CONNECTED;
}

/* Handles one message; returns an event, or -errno (reason set) to tear down. */
static int
lig_memif_conn_dispatch(struct lig_memif_conn *c, const struct lig_memif_msg *m, int rfd)
{
	bool master = c->cfg.role == LIG_MEMIF_ROLE_MASTER;
	bool connected = c->state == LIG_MEMIF_STATE_CONNECTED;
	struct lig_memif_msg ack;
	int rv;

	if (m->type == LIG_MEMIF_MSG_DISCONNECT) {
		char s[LIG_MEMIF_ERR_SIZE + 1];
		lig_memif_wire_string(s, m->disconnect.string, sizeof(m->disconnect.string));
		lig_memif_reason(c, "peer disconnected: %s", s);
		return -ECONNRESET;
	}
	if (master && !connected) {
		switch (m->type) {
		case LIG_MEMIF_MSG_ADD_REGION:
			rv = lig_memif_master_on_region(c, m, rfd);
			break;
		case LIG_MEMIF_MSG_ADD_RING:
			rv = lig_memif_master_on_ring(c, m, rfd);
			break;
		case LIG_MEMIF_MSG_CONNECT:
			return lig_memif_master_on_connect(c, m);
		default:
			rv = -EBADMSG;
			lig_memif_reason(c, "unexpected %s during handshake",
					 lig_memif_msg_type_str(m->type));
		}
		if (rv < 0) {
			if (rfd >= 0 && m->type == LIG_MEMIF_MSG_ADD_REGION)
				close(rfd);
			else if (rfd >= 0 && m->type == LIG_MEMIF_MSG_ADD_RING)
				close(rfd);
			return rv;
		}
		lig_memif_msg_simple(&ack, LIG_MEMIF_MSG_ACK);
		rv = lig_memif_send(c->fd, &ack, -1);
		if (rv < 0)
			lig_memif_reason(c, "send ack: %s", strerror(-rv));
		return rv < 0 ? rv : LIG_MEMIF_EV_NONE;
	}
	if (!master && !connected) {
		switch (m->type) {
		case LIG_MEMIF_MSG_HELLO:
			if (c->n_regions) {
				lig_memif_reason(c, "second hello");
				return -EBADMSG;
			}
			rv = lig_memif_slave_on_hello(c, m);
			return rv < 0 ? rv : LIG_MEMIF_EV_NONE;
		case LIG_MEMIF_MSG_ACK:
			if (!c->n_regions) {
				lig_memif_reason(c, "ack before hello");
				return -EBADMSG;
			}
			rv = lig_memif_slave_next(c);
			return rv < 0 ? rv : LIG_MEMIF_EV_NONE;
		case LIG_MEMIF_MSG_CONNECTED:
			if (c->tx_step != c->n_regions + c->n_s2m + c->n_m2s + 1u) {
				lig_memif_reason(c, "connected before connect");
				return -EBADMSG;
			}
			return lig_memif_slave_on_connected(c, m);
		default:
			break;
		}
	}
	if (rfd >= 0)
		close(rfd);
	lig_memif_reason(c, "unexpected %s %s", lig_memif_msg_type_str(m->type),
			 connected ? "while connected" : "during handshake");
	return -EBADMSG;
}

int
lig_memif_conn_handle(struct lig_memif_conn *c)
{
	int ev = LIG_MEMIF_EV_NONE;

	while (c->fd >= 0) {
		struct lig_memif_msg m;
		char err[128];
		int rfd, rv = lig_memif_recv(c->fd, &m, &rfd, err, sizeof(err));

		if (rv == -EAGAIN)
			break;
		if (rv == -ECONNRESET || rv == -ECONNREFUSED || rv == -EPIPE) {
			lig_memif_conn_disconnect(c, "peer closed the control socket", false);
			return LIG_MEMIF_EV_DISCONNECTED;
		}
		if (rv < 0) {
			lig_memif_reason(c, "%s",
					 rv == -EBADMSG || rv == -EPROTONOSUPPORT ? err
										  : strerror(-rv));
			lig_memif_conn_disconnect(c, NULL,
						  rv == -EBADMSG || rv == -EPROTONOSUPPORT);
			return LIG_MEMIF_EV_DISCONNECTED;
		}
		rv = lig_memif_conn_dispatch(c, &m, rfd);
		if (rv < 0) {
			bool fault = rv != -ECONNRESET;
			/* A peer that said goodbye gets no DISCONNECT back. */
			if (!fault) {
				close(c->fd);
				c->fd = -1;
			}
			lig_memif_conn_disconnect(c, NULL, fault);
			return LIG_MEMIF_EV_DISCONNECTED;
		}
		if (rv == LIG_MEMIF_EV_CONNECTED)
			ev = rv;
	}
	return ev;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Network namespaces: opening one by name, pid or path, creating and deleting named ones
 * as `ip netns` does, and entering one on the calling thread for a moment (to create a
 * socket there) with a guaranteed return to where the thread was.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nl_internal.h"

bool
lig_netns_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, NAME_MAX);
	if (len == 0 || len >= NAME_MAX)
		return false;
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return true;
}

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/*
 * An fd must be a namespace (a file of nsfs), and a network one when /proc names its type
 * ("net:[inode]" for /proc/<pid>/ns/net; a bind mount like /run/netns/<name> shows its
 * path instead, and setns(CLONE_NEWNET) checks the type when the namespace is entered).
 */
static int
check_netns_fd(int fd)
{
	char link[64], target[64];
	struct statfs sfs;
	ssize_t n;

	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	if (sfs.f_type != NSFS_MAGIC)
		return -EINVAL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (target[0] != '/' && strncmp(target, "net:[", 5) != 0)
		return -EINVAL;
	return 0;
}

int
lig_netns_open_path(const char *path)
{
	int fd, rc;

	if (!path || !*path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = check_netns_fd(fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int
lig_netns_open_name(const char *name)
{
	char path[sizeof(LIG_NETNS_RUN_DIR) + NAME_MAX + 1];

	if (!lig_netns_name_valid(name))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", LIG_NETNS_RUN_DIR, name);
	return lig_netns_open_path(path);
}

int
lig_netns_open_pid(pid_t pid)
{
	char path[64];

	if (pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return lig_netns_open_path(path);
}

int
lig_netns_open_current(void)
{
	return lig_netns_open_path("/proc/thread-self/ns/net");
}

int
lig_netns_open_ref(enum lig_netns_ref_type type, const char *reference)
{
	char *end;
	long pid;

	switch (type) {
	case LIG_NETNS_REF_CURRENT:
		return lig_netns_open_current();
	case LIG_NETNS_REF_NAME:
		return lig_netns_open_name(reference);
	case LIG_NETNS_REF_PATH:
		return lig_netns_open_path(reference);
	case LIG_NETNS_REF_PID:
		if (!reference || *reference < '0' || *reference > '9')
			return -EINVAL;
		errno = 0;
		pid = strtol(reference, &end, 10);
		if (errno || *end || pid <= 0 || pid > INT_MAX)
			return -EINVAL;
		return lig_netns_open_pid((pid_t)pid);
	}
	return -EINVAL;
}

int
lig_netns_same(int fd_a, int fd_b)
{
	struct stat a, b;

	if (fstat(fd_a, &a) < 0 || fstat(fd_b, &b) < 0)
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
lig_nl_netns_enter(int netns_fd, int *saved)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc;

	if (self < 0)
		return -errno;
	/* Already there (a handle of the current namespace): no setns, no privilege needed. */
	if (lig_netns_same(self, netns_fd) == 1) {
		close(self);
		*saved = -1;
		return 0;
	}
	if (setns(netns_fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		close(self);
		return rc;
	}
	*saved = self;
	return 0;
}

void
lig_nl_netns_leave(int saved)
{
	if (saved < 0)
		return;
	if (setns(saved, CLONE_NEWNET) < 0) {
		/* The thread would go on configuring the wrong namespace: stop here. */
		fprintf(stderr, "lignl: cannot return to the caller's network namespace: %s\n",
			strerror(errno));
		abort();
	}
	close(saved);
}

/* /run/netns as `ip netns add` prepares it: a shared mount (a bind mount of itself first
 * when it is not a mount point), so a later unmount reaches every mount namespace. */
static int
prepare_run_dir(void)
{
	bool bound = false;

	if (mkdir(LIG_NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	for (;;) {
		if (mount("", LIG_NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		if (errno != EINVAL || bound)
			return -errno;
		if (mount(LIG_NETNS_RUN_DIR, LIG_NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return -errno;
		bound = true;
	}
}

int
lig_netns_create(const char *name)
{
	char path[sizeof(LIG_NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, saved, rc;

	if (!lig_netns_name_valid(name))
		return -EINVAL;
	rc = prepare_run_dir();
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", LIG_NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);

	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		rc = -errno;
		goto out_unlink;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		rc = -errno;
		close(saved);
		goto out_unlink;
	}
	rc = 0;
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		rc = -errno;
	lig_nl_netns_leave(saved);
	if (rc == 0)
		return 0;
out_unlink:
	unlink(path);
	return rc;
}

int
lig_netns_delete(const char *name)
{
	char path[sizeof(LIG_NETNS_RUN_DIR) + NAME_MAX + 1];
	int rc = 0;

	if (!lig_netns_name_valid(name))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", LIG_NETNS_RUN_DIR, name);
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL)
		rc = -errno;
	if (unlink(path) < 0)
		return -errno;
	/* EINVAL from umount2 is "not a mount point": a stale file, removed all the same. */
	return rc == -ENOENT ? 0 : rc;
}

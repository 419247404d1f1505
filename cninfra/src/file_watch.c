/* SPDX-License-Identifier: Apache-2.0 */
/* cninfra_file_watch (loop.h): one file watched through its directory with inotify, so that
 * atomic replaces (write a temporary, rename over), deletes and re-creates and ConfigMap symlink
 * swaps are all seen; events settle on a timer before the callback runs. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cninfra/loop.h"

struct cninfra_file_watch {
	char *dir, *base;
	int ifd;
	unsigned settle_ms;
	struct cninfra_watch *w;
	struct cninfra_timer *t;
	void (*cb)(void *arg);
	void *arg;
};

static void
settle_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	struct cninfra_file_watch *fw = arg;
	fw->cb(fw->arg);
}

static void
on_inotify(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)events;
	struct cninfra_file_watch *fw = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ours = false;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			/* Our file, or a symlink step towards it (..data of a ConfigMap); the
			 * callback compares contents, so a spurious wake-up costs one read. */
			if (!e->len || !strcmp(e->name, fw->base) || !strncmp(e->name, "..", 2) ||
			    (e->mask & IN_Q_OVERFLOW))
				ours = true;
			p += sizeof(*e) + e->len;
		}
	}
	/* Editors write in steps (truncate, write, rename): call back once they are done. */
	if (ours)
		cninfra_timer_set(fw->t, fw->settle_ms ? fw->settle_ms : 1, 0);
}

struct cninfra_file_watch *
cninfra_file_watch(struct cninfra_loop *loop, const char *path, unsigned settle_ms,
		   void (*cb)(void *arg), void *arg, char *err, size_t err_size)
{
	struct cninfra_file_watch *fw = calloc(1, sizeof(*fw));
	char *copy = strdup(path);
	if (!fw || !copy) {
		snprintf(err, err_size, "%s", strerror(ENOMEM));
		goto fail;
	}
	fw->ifd = -1;
	fw->settle_ms = settle_ms;
	fw->cb = cb;
	fw->arg = arg;
	char *slash = strrchr(copy, '/');
	if (slash) {
		*slash = 0;
		fw->dir = strdup(slash == copy ? "/" : copy);
		fw->base = strdup(slash + 1);
	} else {
		fw->dir = strdup(".");
		fw->base = strdup(copy);
	}
	if (!fw->dir || !fw->base) {
		snprintf(err, err_size, "%s", strerror(ENOMEM));
		goto fail;
	}
	if (!*fw->base) {
		snprintf(err, err_size, "not a file name");
		goto fail;
	}
	fw->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw->ifd < 0 ||
	    inotify_add_watch(fw->ifd, fw->dir,
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
				  IN_MODIFY | IN_ATTRIB) < 0) {
		snprintf(err, err_size, "watching %s: %s", fw->dir, strerror(errno));
		goto fail;
	}
	fw->w = cninfra_loop_watch_fd(loop, fw->ifd, EPOLLIN, on_inotify, fw);
	fw->t = cninfra_loop_timer(loop, 0, 0, settle_fire, fw);
	/* A timer created with 0 fires on the next turn: disarmed, it waits for an event. */
	if (!fw->w || !fw->t || cninfra_timer_set(fw->t, 0, 0) < 0) {
		snprintf(err, err_size, "watching %s: %s", fw->dir, strerror(errno));
		goto fail;
	}
	free(copy);
	return fw;
fail:
	free(copy);
	cninfra_file_watch_free(fw);
	return NULL;
}

void
cninfra_file_watch_free(struct cninfra_file_watch *fw)
{
	if (!fw)
		return;
	cninfra_loop_unwatch(fw->w);
	cninfra_timer_free(fw->t);
	if (fw->ifd >= 0)
		close(fw->ifd);
	free(fw->dir);
	free(fw->base);
	free(fw);
}

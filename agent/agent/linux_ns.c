/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent Linux side: network namespaces (vpp-agent's nsplugin). A namespace a value names
 * is opened through lib/netlink by its reference; one netlink handle per namespace is kept and
 * reused while the reference still leads to the same namespace. /run/netns is watched with
 * inotify in the agent's loop: a named namespace that appears or goes is notified to the
 * scheduler as linux/namespace/<name>, so what waits for it is applied at once (vpp-agent creates
 * a missing NSID namespace instead; here it is awaited, PENDING, as the issue asks). Links of the
 * agent's own namespace are watched the same way (a link monitor) and notified as
 * linux/interface/host-name/<name>, which EXISTING interfaces wait for. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "agent_linux.h"

/* Rescans while a new /run/netns entry is not mounted yet (ip netns add creates the file, then
 * bind-mounts the namespace on it): every 10 ms, at most this many times per event. */
#define NS_RESCAN_MS 10
#define NS_RESCAN_TRIES 200

struct ns_cached {
	struct linux_ns ns;
	struct lig_nl *nl;
};

static struct {
	struct ns_cached *cache;
	size_t n_cache, cap_cache;
	struct lig_nl *self;
	char alias_prefix[LIG_MODEL_LABEL_MAX + 32];
	/* /run/netns */
	int ino_fd, wd_run, wd_netns;
	struct cninfra_watch *ino_watch;
	struct cninfra_timer *rescan;
	unsigned rescan_tries;
	char **present; /* sorted names of the namespaces that exist */
	size_t n_present;
	struct linux_facts ns_known;
	/* the agent's own links */
	struct lig_nl_monitor *mon;
	struct cninfra_watch *mon_watch;
	struct linux_facts host_known;
} L = {.ino_fd = -1, .wd_run = -1, .wd_netns = -1};

/* ---- references ---- */

int
linux_ns_from_model(const struct lig_linux_namespace *m, bool has, struct linux_ns *out)
{
	memset(out, 0, sizeof(*out));
	out->type = LIG_NETNS_REF_CURRENT;
	if (!has || !m || m->type == LIG_LINUX_NS_UNDEFINED)
		return 0;
	switch (m->type) {
	case LIG_LINUX_NS_NSID:
	case LIG_LINUX_NS_MICROSERVICE:
		out->type = LIG_NETNS_REF_NAME;
		break;
	case LIG_LINUX_NS_PID:
		out->type = LIG_NETNS_REF_PID;
		break;
	case LIG_LINUX_NS_FD:
		out->type = LIG_NETNS_REF_PATH;
		break;
	default:
		return -EINVAL;
	}
	const char *ref = lig_model_str(m->reference);
	if (!*ref || strlen(ref) >= sizeof(out->ref))
		return -EINVAL;
	snprintf(out->ref, sizeof(out->ref), "%s", ref);
	return 0;
}

const char *
linux_ns_watched_name(const struct linux_ns *ns)
{
	static const char dir[] = LIG_NETNS_RUN_DIR "/";
	if (ns->type == LIG_NETNS_REF_NAME)
		return ns->ref;
	if (ns->type == LIG_NETNS_REF_PATH && strncmp(ns->ref, dir, sizeof(dir) - 1) == 0 &&
	    lig_netns_name_valid(ns->ref + sizeof(dir) - 1))
		return ns->ref + sizeof(dir) - 1;
	return NULL;
}

bool
linux_ns_equal(const struct linux_ns *a, const struct linux_ns *b)
{
	if (a->type == LIG_NETNS_REF_CURRENT || b->type == LIG_NETNS_REF_CURRENT)
		return a->type == b->type;
	return a->type == b->type && strcmp(a->ref, b->ref) == 0;
}

const char *
linux_ns_text(const struct linux_ns *ns, char *buf, size_t n)
{
	switch (ns->type) {
	case LIG_NETNS_REF_CURRENT:
		snprintf(buf, n, "the agent's namespace");
		break;
	case LIG_NETNS_REF_NAME:
		snprintf(buf, n, "namespace %s", ns->ref);
		break;
	case LIG_NETNS_REF_PID:
		snprintf(buf, n, "the namespace of process %s", ns->ref);
		break;
	default:
		snprintf(buf, n, "namespace file %s", ns->ref);
		break;
	}
	return buf;
}

const char *
linux_alias_prefix(void)
{
	return L.alias_prefix;
}

int
linux_fail(struct lig_sched_err *err, int rc, const char *what, const char *nlerr)
{
	lig_sched_err_set(err, "%s: %s", what, nlerr && *nlerr ? nlerr : strerror(-rc));
	return rc;
}

/* ---- handles ---- */

struct lig_nl *
linux_nl_self(struct lig_sched_err *err)
{
	if (!L.self)
		L.self = lig_nl_open(-1);
	if (!L.self)
		lig_sched_err_set(err, "netlink: %s", strerror(errno));
	return L.self;
}

struct lig_nl *
linux_nl(const struct linux_ns *ns, struct lig_sched_err *err)
{
	if (ns->type == LIG_NETNS_REF_CURRENT)
		return linux_nl_self(err);
	char t[LINUX_NS_REF_MAX + 64];
	int fd = lig_netns_open_ref(ns->type, ns->ref);
	if (fd < 0) {
		lig_sched_err_set(err, "%s: %s", linux_ns_text(ns, t, sizeof(t)),
				  fd == -ENOENT	  ? "does not exist"
				  : fd == -EINVAL ? "not a network namespace"
						  : strerror(-fd));
		errno = -fd;
		return NULL;
	}
	struct ns_cached *c = NULL;
	for (size_t k = 0; k < L.n_cache; k++)
		if (linux_ns_equal(&L.cache[k].ns, ns))
			c = &L.cache[k];
	if (c && lig_netns_same(fd, lig_nl_netns_fd(c->nl)) == 1) {
		close(fd);
		return c->nl;
	}
	struct lig_nl *nl = lig_nl_open(fd);
	int e = errno;
	close(fd);
	if (!nl) {
		lig_sched_err_set(err, "%s: netlink: %s", linux_ns_text(ns, t, sizeof(t)),
				  strerror(e));
		errno = e;
		return NULL;
	}
	if (!c) {
		if (L.n_cache == L.cap_cache) {
			/* bounded: references come from the desired state; drop them all at a cap
			 */
			if (L.cap_cache >= 256) {
				for (size_t k = 0; k < L.n_cache; k++)
					lig_nl_close(L.cache[k].nl);
				L.n_cache = 0;
			} else {
				size_t cap = L.cap_cache ? L.cap_cache * 2 : 8;
				void *p = realloc(L.cache, cap * sizeof(*L.cache));
				if (!p) {
					lig_nl_close(nl);
					lig_sched_err_set(err, "out of memory");
					errno = ENOMEM;
					return NULL;
				}
				L.cache = p;
				L.cap_cache = cap;
			}
		}
		c = &L.cache[L.n_cache++];
		c->ns = *ns;
	} else
		lig_nl_close(c->nl);
	c->nl = nl;
	return nl;
}

/* Drops the handles of namespaces their reference no longer leads to (a named one deleted, a
 * process gone), so that the agent does not keep a namespace alive once it is deleted (its
 * veth ends, and so their pairs, go with it). */
static void
ns_cache_prune(void)
{
	size_t j = 0;
	for (size_t k = 0; k < L.n_cache; k++) {
		struct ns_cached *c = &L.cache[k];
		int fd = lig_netns_open_ref(c->ns.type, c->ns.ref);
		bool same = fd >= 0 && lig_netns_same(fd, lig_nl_netns_fd(c->nl)) == 1;
		if (fd >= 0)
			close(fd);
		if (same)
			L.cache[j++] = *c;
		else
			lig_nl_close(c->nl);
	}
	L.n_cache = j;
}

/* ---- notified facts ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
sorted_has(char *const *v, size_t n, const char *key)
{
	return n && bsearch(&key, v, n, sizeof(*v), cmp_str) != NULL;
}

void
linux_facts_note(struct linux_facts *known, const char *key)
{
	if (sorted_has(known->keys, known->n, key))
		return;
	if (known->n == known->cap) {
		size_t cap = known->cap ? known->cap * 2 : 16;
		void *p = realloc(known->keys, cap * sizeof(*known->keys));
		if (!p)
			return;
		known->keys = p;
		known->cap = cap;
	}
	char *k = strdup(key);
	if (!k)
		return;
	known->keys[known->n++] = k;
	qsort(known->keys, known->n, sizeof(*known->keys), cmp_str);
}

void
linux_facts_apply(struct linux_facts *known, char **now, size_t n_now, const char *prefix)
{
	if (n_now) /* now may be NULL then: qsort's pointer must not be */
		qsort(now, n_now, sizeof(*now), cmp_str);
	size_t plen = strlen(prefix), j = 0;
	for (size_t k = 0; k < known->n; k++) {
		char *key = known->keys[k];
		if (sorted_has(now, n_now, key)) {
			known->keys[j++] = key;
			continue;
		}
		if (lig_sched_state(A.sched, key) != LIG_SCHED_NONEXISTENT)
			lig_sched_notify(A.sched, key, NULL, 0, NULL, NULL);
		free(key);
	}
	known->n = j;
	for (size_t k = 0; k < n_now; k++) {
		if (lig_sched_state(A.sched, now[k]) != LIG_SCHED_OBTAINED) {
			const char *v = strlen(now[k]) > plen ? now[k] + plen : now[k];
			lig_sched_notify(A.sched, now[k], v, strlen(v), NULL, NULL);
		}
		linux_facts_note(known, now[k]);
	}
	agent_after_txn();
}

void
linux_strv_free(char **v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

int
linux_strv_add(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*v, c * sizeof(**v));
		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&(*v)[*n], fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* ---- /run/netns ---- */

/* The names in /run/netns that are namespaces now (sorted); *unmounted: an entry is not yet. */
static int
ns_scan(char ***out, size_t *n_out, bool *unmounted)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	*unmounted = false;
	DIR *d = opendir(LIG_NETNS_RUN_DIR);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!lig_netns_name_valid(e->d_name) || e->d_name[0] == '.')
				continue;
			int fd = lig_netns_open_name(e->d_name);
			if (fd >= 0) {
				close(fd);
				if (linux_strv_add(&v, &n, &cap, "%s", e->d_name) < 0)
					break;
			} else if (fd == -EINVAL)
				*unmounted = true;
		}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	*n_out = n;
	return 0;
}

bool
linux_ns_present(const char *name)
{
	return name && sorted_has(L.present, L.n_present, name);
}

static void ns_watch_dirs(void);

static void
ns_sync(void)
{
	char **names;
	size_t n;
	bool unmounted;
	ns_watch_dirs();
	ns_scan(&names, &n, &unmounted);
	linux_strv_free(L.present, L.n_present);
	L.present = names;
	L.n_present = n;
	ns_cache_prune();
	char **keys = NULL;
	size_t nk = 0, ck = 0;
	for (size_t k = 0; k < n; k++)
		linux_strv_add(&keys, &nk, &ck, LINUX_NS_PREFIX "%s", names[k]);
	/* veth ends first: what leaves with a namespace is removed before the namespace */
	linux_facts_sync();
	linux_facts_apply(&L.ns_known, keys, nk, LINUX_NS_PREFIX);
	linux_strv_free(keys, nk);
	linux_facts_sync();
	if (unmounted && L.rescan_tries < NS_RESCAN_TRIES) {
		L.rescan_tries++;
		cninfra_timer_set(L.rescan, NS_RESCAN_MS, 0);
	}
}

static void
ns_rescan_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	ns_sync();
}

static void
ns_inotify(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)events;
	(void)arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (char *p = buf; p < buf + r;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->wd == L.wd_netns && (ev->mask & (IN_IGNORED | IN_DELETE_SELF)))
				L.wd_netns = -1;
			/* of /run itself only netns matters */
			if (ev->wd != L.wd_run || (ev->len && strcmp(ev->name, "netns") == 0))
				any = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (any) {
		L.rescan_tries = 0;
		ns_sync();
	}
}

/* Watches /run for /run/netns being made, and /run/netns for names coming and going. */
static void
ns_watch_dirs(void)
{
	if (L.ino_fd < 0)
		return;
	if (L.wd_run < 0) {
		char run[sizeof(LIG_NETNS_RUN_DIR)];
		snprintf(run, sizeof(run), "%s", LIG_NETNS_RUN_DIR);
		char *slash = strrchr(run, '/');
		if (slash && slash != run)
			*slash = 0;
		L.wd_run = inotify_add_watch(L.ino_fd, run, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
	}
	if (L.wd_netns < 0)
		L.wd_netns = inotify_add_watch(L.ino_fd, LIG_NETNS_RUN_DIR,
					       IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM |
						   IN_DELETE_SELF | IN_ONLYDIR);
}

/* ---- the agent's own links (host names) ---- */

struct host_collect {
	char **v;
	size_t n, cap;
};

static int
host_cb(const struct lig_nl_link *link, void *arg)
{
	struct host_collect *c = arg;
	return linux_strv_add(&c->v, &c->n, &c->cap, LINUX_HOST_NAME_PREFIX "%s", link->name);
}

static int
host_list(struct host_collect *c)
{
	char e[256];
	struct lig_sched_err *none = NULL;
	struct lig_nl *nl = linux_nl_self(none);
	if (!nl)
		return -errno;
	int rc;
	for (int tries = 0; tries < 5; tries++) {
		memset(c, 0, sizeof(*c));
		rc = lig_nl_link_dump(nl, host_cb, c, e, sizeof(e));
		if (rc != -EINTR)
			break;
		linux_strv_free(c->v, c->n);
	}
	if (rc < 0 && rc != -EBADMSG) {
		linux_strv_free(c->v, c->n);
		memset(c, 0, sizeof(*c));
		return rc;
	}
	return 0;
}

static int
mon_event(enum lig_nl_link_event ev, const struct lig_nl_link *link, void *arg)
{
	(void)ev;
	(void)link;
	*(bool *)arg = true;
	return 0;
}

static void
mon_readable(struct cninfra_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)fd;
	(void)events;
	(void)arg;
	bool changed = false;
	if (lig_nl_monitor_read(L.mon, mon_event, &changed) < 0 || !changed)
		return;
	struct host_collect c;
	if (host_list(&c) < 0)
		return;
	linux_facts_apply(&L.host_known, c.v, c.n, LINUX_HOST_NAME_PREFIX);
	linux_strv_free(c.v, c.n);
}

/* ---- descriptors: namespaces and host links (notified; retrieve reads them) ---- */

static int
ns_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	char **names, key[LIG_MODEL_KEY_MAX];
	size_t n;
	bool unmounted;
	ns_scan(&names, &n, &unmounted);
	for (size_t k = 0; k < n; k++) {
		snprintf(key, sizeof(key), LINUX_NS_PREFIX "%s", names[k]);
		lig_sched_retrieved_add(out, key, names[k], strlen(names[k]), LIG_SCHED_ORIGIN_SB,
					NULL);
		linux_facts_note(&L.ns_known, key);
	}
	linux_strv_free(names, n);
	return 0;
}

static int
host_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	      struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	struct host_collect c;
	int rc = host_list(&c);
	for (size_t k = 0; k < c.n; k++) {
		const char *v = c.v[k] + strlen(LINUX_HOST_NAME_PREFIX);
		lig_sched_retrieved_add(out, c.v[k], v, strlen(v), LIG_SCHED_ORIGIN_SB, NULL);
		linux_facts_note(&L.host_known, c.v[k]);
	}
	linux_strv_free(c.v, c.n);
	return rc;
}

int
agent_linux_ns_register(struct lig_sched *sched)
{
	snprintf(L.alias_prefix, sizeof(L.alias_prefix), LIG_MODEL_KEY_ROOT "%s/", A.label);
	L.ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (L.ino_fd < 0)
		agent_log("linux: inotify: %s (namespaces appearing are seen at resyncs only)",
			  strerror(errno));
	else
		L.ino_watch = cninfra_loop_watch_fd(A.loop, L.ino_fd, EPOLLIN, ns_inotify, NULL);
	L.rescan = cninfra_loop_timer(A.loop, 0, 0, ns_rescan_fire, NULL);
	if (L.rescan)
		cninfra_timer_set(L.rescan, 0, 0);
	ns_watch_dirs();
	bool unmounted;
	ns_scan(&L.present, &L.n_present, &unmounted);
	char e[256];
	L.mon = lig_nl_monitor_open(-1, e, sizeof(e));
	if (!L.mon)
		agent_log("linux: link monitor: %s (EXISTING interfaces wait for resyncs)", e);
	else
		L.mon_watch = cninfra_loop_watch_fd(A.loop, lig_nl_monitor_fd(L.mon), EPOLLIN,
						    mon_readable, NULL);
	struct lig_sched_descriptor d[] = {
	    {.name = "linux-namespace", .key_prefix = LINUX_NS_PREFIX, .retrieve = ns_retrieve},
	    {.name = "linux-host-interface",
	     .key_prefix = LINUX_HOST_NAME_PREFIX,
	     .retrieve = host_retrieve},
	};
	return lig_sched_register_all(sched, d, sizeof(d) / sizeof(d[0]));
}

/* The first facts once the scheduler runs: the namespaces and links as they are now. */
void
agent_linux_start(void)
{
	ns_sync();
	struct host_collect c;
	if (L.mon && host_list(&c) == 0) {
		linux_facts_apply(&L.host_known, c.v, c.n, LINUX_HOST_NAME_PREFIX);
		linux_strv_free(c.v, c.n);
	}
}

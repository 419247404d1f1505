/* SPDX-License-Identifier: Apache-2.0 */
/*
 * liblignl against the kernel: every test gets three fresh network namespaces of
 * its own (lignl-<pid>-<n>-{a,b,c}), deleted after it, after a failed assertion, at exit
 * and on SIGINT/SIGTERM; namespaces of earlier runs whose process is gone are removed at
 * start. What the library reads back is compared with what was set and with `ip -j`.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "nl_internal.h"

#define NS_PREFIX "lignl-"
#define MAX_NS 64

/* ---- namespaces of the test ---- */

static char ns_names[MAX_NS][64];
static int ns_count;

static void
delete_namespaces(void)
{
	for (int i = 0; i < ns_count; i++)
		if (ns_names[i][0]) {
			lig_netns_delete(ns_names[i]);
			ns_names[i][0] = '\0';
		}
	ns_count = 0;
}

static void
on_signal(int sig)
{
	delete_namespaces();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Namespaces left by a run that was killed: their pid is no longer alive. */
static void
delete_stale_namespaces(void)
{
	DIR *d = opendir(LIG_NETNS_RUN_DIR);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		int pid;
		if (sscanf(e->d_name, NS_PREFIX "%d-", &pid) != 1 || pid == getpid())
			continue;
		if (kill(pid, 0) < 0 && errno == ESRCH)
			lig_netns_delete(e->d_name);
	}
	if (d)
		closedir(d);
}

struct fx {
	char name[3][64];
	int fd[3];
	struct lig_nl *nl[3];
};

static int teardown(void **state);

static int
setup(void **state)
{
	static int serial;
	struct fx *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return -1;
	*state = f;
	serial++;
	for (int i = 0; i < 3; i++)
		f->fd[i] = -1;
	for (int i = 0; i < 3; i++) {
		snprintf(f->name[i], sizeof(f->name[i]), NS_PREFIX "%d-%d-%c", (int)getpid(),
			 serial, 'a' + i);
		rc = ns_count == MAX_NS ? -ENOSPC : lig_netns_create(f->name[i]);
		if (rc < 0) {
			fprintf(stderr, "namespace %s: %s\n", f->name[i], strerror(-rc));
			goto fail;
		}
		snprintf(ns_names[ns_count++], sizeof(ns_names[0]), "%s", f->name[i]);
		f->fd[i] = lig_netns_open_name(f->name[i]);
		f->nl[i] = lig_nl_open_name(f->name[i]);
		if (f->fd[i] < 0 || !f->nl[i]) {
			fprintf(stderr, "namespace %s: open: %d %s\n", f->name[i], f->fd[i],
				strerror(errno));
			goto fail;
		}
	}
	return 0;
fail:
	teardown(state);
	*state = NULL;
	return -1;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	for (int i = 0; i < 3; i++) {
		lig_nl_close(f->nl[i]);
		if (f->fd[i] >= 0)
			close(f->fd[i]);
	}
	delete_namespaces();
	free(f);
	return 0;
}

/* ---- helpers ---- */

static json_t *
ip_json(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	json_error_t jerr;
	json_t *j;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	j = json_loadf(p, 0, &jerr);
	pclose(p);
	if (!j)
		fail_msg("%s: %s", cmd, jerr.text);
	return j;
}

/* Runs a shell command; its stderr and stdout into out (trailing newline removed). */
static int
run(char *out, size_t out_size, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, out_size - 1, p);
	out[n] = '\0';
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return pclose(p);
}

/* `ip`'s "Error: <kernel message>." as the kernel's message alone. */
static void
ip_error_message(char *text)
{
	size_t n;

	if (!strncmp(text, "Error: ", 7))
		memmove(text, text + 7, strlen(text + 7) + 1);
	n = strlen(text);
	if (n && text[n - 1] == '.')
		text[n - 1] = '\0';
}

static struct in_addr
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static const char *
ip4_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void
mac_str(const uint8_t *m, size_t len, char *buf)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len; i++)
		off += (size_t)sprintf(buf + off, i ? ":%02x" : "%02x", m[i]);
}

static int
index_of(struct lig_nl *nl, const char *name)
{
	char err[256];
	int idx = lig_nl_link_index(nl, name, err, sizeof(err));

	if (idx <= 0)
		fail_msg("link %s: %d %s", name, idx, err);
	return idx;
}

/* A link of our own: a veth pair, name and name + "p" (this kernel may lack dummies). */
static int
veth(struct lig_nl *nl, const char *name, char *err, size_t err_size)
{
	char peer[IFNAMSIZ + 8];

	snprintf(peer, sizeof(peer), "%sp", name);
	return lig_nl_veth_add(nl, name, peer, -1, err, err_size);
}

#define OK(call)                                                                                   \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ < 0)                                                                       \
			fail_msg("%s: %d (%s) %s", #call, rc_, strerror(-rc_), err);               \
	} while (0)

/* Links of a dump, collected. */
struct links {
	struct lig_nl_link v[64];
	int n;
};

static int
collect_link(const struct lig_nl_link *l, void *arg)
{
	struct links *ls = arg;

	if (ls->n == 64)
		return -E2BIG;
	ls->v[ls->n++] = *l;
	return 0;
}

static const struct lig_nl_link *
find_link(const struct links *ls, const char *name)
{
	for (int i = 0; i < ls->n; i++)
		if (!strcmp(ls->v[i].name, name))
			return &ls->v[i];
	return NULL;
}

static bool
json_has_flag(json_t *flags, const char *flag)
{
	size_t i;
	json_t *v;

	json_array_foreach(flags, i, v)
	{
		if (json_is_string(v) && !strcmp(json_string_value(v), flag))
			return true;
	}
	return false;
}

/* RFC 2863 operational states as `ip` names them (IF_OPER_*). */
static const char *
operstate_name(uint8_t state)
{
	static const char *const names[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					    "TESTING", "DORMANT",    "UP"};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

/*
 * Every link of ns as `ip -d -j link show` sees it equals the library's dump. The kernel
 * sets operational states a moment after up/down/carrier changes (linkwatch, up to 1 s):
 * a differing one is looked at again, until last, when it fails. Returns false for
 * "look again".
 */
static bool
links_vs_ip(struct lig_nl *nl, const char *ns, bool last)
{
	char err[256], mac[3 * LIG_NL_HWADDR_MAX + 1];
	struct links ls = {0};
	bool settled = true;
	json_t *j, *e;
	size_t i;

	OK(lig_nl_link_dump(nl, collect_link, &ls, err, sizeof(err)));
	j = ip_json("ip -n %s -d -j link show", ns);
	assert_int_equal(json_array_size(j), ls.n);
	json_array_foreach(j, i, e)
	{
		const char *name = json_string_value(json_object_get(e, "ifname"));
		const struct lig_nl_link *l = find_link(&ls, name);
		json_t *kind = json_object_get(json_object_get(e, "linkinfo"), "info_kind");
		json_t *nsid = json_object_get(e, "link_netnsid");
		json_t *link_index = json_object_get(e, "link_index");
		json_t *link = json_object_get(e, "link");
		const char *addr = json_string_value(json_object_get(e, "address"));

		assert_non_null(l);
		assert_int_equal(l->ifindex, json_integer_value(json_object_get(e, "ifindex")));
		assert_int_equal(l->mtu, json_integer_value(json_object_get(e, "mtu")));
		assert_int_equal(l->up, json_has_flag(json_object_get(e, "flags"), "UP"));
		assert_int_equal(!!(l->flags & IFF_LOWER_UP),
				 json_has_flag(json_object_get(e, "flags"), "LOWER_UP"));
		if (strcmp(operstate_name(l->operstate),
			   json_string_value(json_object_get(e, "operstate"))) != 0) {
			if (!last)
				settled = false;
			else
				assert_string_equal(
				    operstate_name(l->operstate),
				    json_string_value(json_object_get(e, "operstate")));
		}
		assert_string_equal(l->kind, kind ? json_string_value(kind) : "");
		assert_string_equal(l->netns, ns);
		json_t *alias = json_object_get(e, "ifalias");
		assert_string_equal(l->alias, alias ? json_string_value(alias) : "");
		if (!strcmp(json_string_value(json_object_get(e, "link_type")), "loopback"))
			assert_int_equal(l->type, LIG_NL_LINK_LOOPBACK);
		if (addr) {
			mac_str(l->hwaddr, l->hwaddr_len, mac);
			assert_string_equal(mac, addr);
		}
		assert_int_equal(l->link_nsid, nsid ? (int)json_integer_value(nsid) : -1);
		if (link_index)
			assert_int_equal(l->link_ifindex, json_integer_value(link_index));
		else if (link && json_is_string(link)) {
			const struct lig_nl_link *peer = find_link(&ls, json_string_value(link));
			assert_non_null(peer);
			assert_int_equal(l->link_ifindex, peer->ifindex);
		}
	}
	json_decref(j);
	return settled;
}

static void
check_links_against_ip(struct lig_nl *nl, const char *ns)
{
	for (int i = 0; i < 150 && !links_vs_ip(nl, ns, false); i++)
		usleep(10000);
	links_vs_ip(nl, ns, true);
}

/* ---- namespaces ---- */

static void
test_netns_refs(void **state)
{
	struct fx *f = *state;
	char path[128], pidstr[32], err[256];
	int fd, self, cur, pipefd[2];
	struct links ls = {0};
	struct lig_nl *nl;
	pid_t child;

	snprintf(path, sizeof(path), "%s/%s", LIG_NETNS_RUN_DIR, f->name[0]);
	fd = lig_netns_open_path(path);
	assert_true(fd >= 0);
	assert_int_equal(lig_netns_same(fd, f->fd[0]), 1);
	assert_int_equal(lig_netns_same(fd, f->fd[1]), 0);
	close(fd);
	self = lig_netns_open_pid(getpid());
	cur = lig_netns_open_current();
	assert_true(self >= 0 && cur >= 0);
	assert_int_equal(lig_netns_same(self, cur), 1);
	assert_int_equal(lig_netns_same(self, f->fd[0]), 0);
	close(self);
	close(cur);

	/* Refused references. */
	assert_int_equal(lig_netns_open_name("../etc"), -EINVAL);
	assert_int_equal(lig_netns_open_name(""), -EINVAL);
	assert_int_equal(lig_netns_open_name("lignl-no-such-namespace"), -ENOENT);
	assert_int_equal(lig_netns_open_path("/etc/hostname"), -EINVAL);
	assert_int_equal(lig_netns_open_path("/proc/self/ns/mnt"), -EINVAL);
	assert_int_equal(lig_netns_open_ref(LIG_NETNS_REF_PID, "12x"), -EINVAL);
	assert_int_equal(lig_netns_open_ref(LIG_NETNS_REF_PID, "-1"), -EINVAL);
	assert_int_equal(lig_netns_open_ref(LIG_NETNS_REF_PID, ""), -EINVAL);
	assert_int_equal(lig_netns_open_ref(7, "x"), -EINVAL);
	assert_int_equal(lig_netns_create(f->name[0]), -EEXIST);
	assert_int_equal(lig_netns_delete("lignl-no-such-namespace"), -ENOENT);
	assert_null(lig_nl_open_name("lignl-no-such-namespace"));
	assert_int_equal(errno, ENOENT);
	/* An fd that is not a network namespace: refused when entered. */
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_null(lig_nl_open(fd));
	assert_int_equal(errno, EINVAL);
	assert_null(lig_nl_monitor_open(fd, err, sizeof(err)));
	close(fd);
	fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_null(lig_nl_open(fd));
	close(fd);

	/* By pid: a process that lives in namespace b. */
	assert_int_equal(pipe(pipefd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char c = 1;
		if (setns(f->fd[1], CLONE_NEWNET) < 0)
			_exit(1);
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	char c;
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	close(pipefd[1]);
	fd = lig_netns_open_pid(child);
	assert_true(fd >= 0);
	assert_int_equal(lig_netns_same(fd, f->fd[1]), 1);
	close(fd);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)child);
	nl = lig_nl_open_ref(LIG_NETNS_REF_PID, pidstr);
	assert_non_null(nl);
	assert_int_equal(lig_netns_same(lig_nl_netns_fd(nl), f->fd[1]), 1);
	assert_string_equal(lig_nl_netns_name(nl), "");
	/* A veth made through it lands in b. */
	OK(lig_nl_veth_add(nl, "bypid0", "bypid1", -1, err, sizeof(err)));
	assert_true(index_of(f->nl[1], "bypid0") > 0);
	OK(lig_nl_link_dump(nl, collect_link, &ls, err, sizeof(err)));
	assert_int_equal(ls.n, 3); /* lo, bypid0, bypid1 */
	lig_nl_close(nl);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* By name, the handle says which. */
	assert_string_equal(lig_nl_netns_name(f->nl[2]), f->name[2]);
	nl = lig_nl_open_ref(LIG_NETNS_REF_NAME, f->name[2]);
	assert_non_null(nl);
	assert_string_equal(lig_nl_netns_name(nl), f->name[2]);
	lig_nl_close(nl);
	/* The current namespace, by fd -1: reads only, never changes the host. */
	nl = lig_nl_open(-1);
	assert_non_null(nl);
	ls.n = 0;
	OK(lig_nl_link_dump(nl, collect_link, &ls, err, sizeof(err)));
	assert_true(ls.n >= 1);
	lig_nl_close(nl);

	/* Create and delete one by name. */
	char extra[64];
	snprintf(extra, sizeof(extra), NS_PREFIX "%d-extra", (int)getpid());
	snprintf(ns_names[ns_count++], sizeof(ns_names[0]), "%s", extra);
	assert_int_equal(lig_netns_create(extra), 0);
	fd = lig_netns_open_name(extra);
	assert_true(fd >= 0);
	assert_int_equal(lig_netns_same(fd, f->fd[0]), 0);
	close(fd);
	assert_int_equal(lig_netns_delete(extra), 0);
	assert_int_equal(lig_netns_open_name(extra), -ENOENT);
}

/* ---- links ---- */

static void
test_veth_across_namespaces(void **state)
{
	struct fx *f = *state;
	struct lig_nl_link a, b;
	char err[256], name[64];
	int nsid_ab, nsid_ba, fd;

	OK(lig_nl_veth_add(f->nl[0], "va0", "vb0", f->fd[1], err, sizeof(err)));
	assert_string_equal(err, "");
	OK(lig_nl_link_get(f->nl[0], 0, "va0", &a, err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[1], 0, "vb0", &b, err, sizeof(err)));
	assert_int_equal(a.type, LIG_NL_LINK_VETH);
	assert_int_equal(b.type, LIG_NL_LINK_VETH);
	assert_string_equal(a.kind, "veth");
	assert_false(a.up);
	assert_int_equal(a.hwaddr_len, 6);
	assert_string_equal(a.netns, f->name[0]);
	/* Each end names the other's index and namespace id. */
	nsid_ab = lig_nl_nsid_get(f->nl[0], f->fd[1], err, sizeof(err));
	nsid_ba = lig_nl_nsid_get(f->nl[1], f->fd[0], err, sizeof(err));
	assert_true(nsid_ab >= 0 && nsid_ba >= 0);
	assert_int_equal(a.link_ifindex, b.ifindex);
	assert_int_equal(a.link_nsid, nsid_ab);
	assert_int_equal(b.link_ifindex, a.ifindex);
	assert_int_equal(b.link_nsid, nsid_ba);
	/* The peer namespace found back from the id. */
	fd = lig_nl_netns_open_nsid(f->nl[0], a.link_nsid, name, sizeof(name), err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(lig_netns_same(fd, f->fd[1]), 1);
	assert_string_equal(name, f->name[1]);
	close(fd);
	/* Or straight to a handle there, named. */
	struct lig_nl *peer_nl = lig_nl_open_nsid(f->nl[0], a.link_nsid, err, sizeof(err));
	assert_non_null(peer_nl);
	assert_string_equal(lig_nl_netns_name(peer_nl), f->name[1]);
	assert_int_equal(lig_nl_link_index(peer_nl, "vb0", err, sizeof(err)), a.link_ifindex);
	lig_nl_close(peer_nl);
	assert_null(lig_nl_open_nsid(f->nl[0], 4242, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	/* Only va0 here, only vb0 there. */
	assert_int_equal(lig_nl_link_index(f->nl[0], "vb0", err, sizeof(err)), -ENODEV);
	assert_string_equal(err, "no link named vb0");
	assert_int_equal(lig_nl_link_index(f->nl[1], "va0", err, sizeof(err)), -ENODEV);
	/* By index too. */
	OK(lig_nl_link_get(f->nl[0], a.ifindex, NULL, &b, err, sizeof(err)));
	assert_string_equal(b.name, "va0");
	check_links_against_ip(f->nl[0], f->name[0]);
	check_links_against_ip(f->nl[1], f->name[1]);

	/* A pair inside one namespace: the peer's index, no namespace id. */
	OK(lig_nl_veth_add(f->nl[2], "vc0", "vc1", -1, err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[2], 0, "vc0", &a, err, sizeof(err)));
	assert_int_equal(a.link_ifindex, index_of(f->nl[2], "vc1"));
	assert_int_equal(a.link_nsid, -1);
	check_links_against_ip(f->nl[2], f->name[2]);
	/* Deleting one end deletes both. */
	OK(lig_nl_link_del(f->nl[0], index_of(f->nl[0], "va0"), err, sizeof(err)));
	assert_int_equal(lig_nl_link_index(f->nl[1], "vb0", err, sizeof(err)), -ENODEV);
}

static bool
wait_running(struct lig_nl *nl, int ifindex, bool running)
{
	struct lig_nl_link l;
	char err[256];

	for (int i = 0; i < 300; i++) {
		if (lig_nl_link_get(nl, ifindex, NULL, &l, err, sizeof(err)) == 0 &&
		    l.running == running)
			return true;
		usleep(10000);
	}
	return false;
}

static void
test_link_attributes(void **state)
{
	struct fx *f = *state;
	const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	char err[256];
	struct lig_nl_link l;
	struct links ls = {0};
	int x0, x1, d0, rc, extra = 1;

	OK(lig_nl_veth_add(f->nl[0], "x0", "x1", -1, err, sizeof(err)));
	x0 = index_of(f->nl[0], "x0");
	x1 = index_of(f->nl[0], "x1");
	OK(lig_nl_link_set_mtu(f->nl[0], x0, 1400, err, sizeof(err)));
	OK(lig_nl_link_set_hwaddr(f->nl[0], x0, mac, sizeof(mac), err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[0], x0, true, err, sizeof(err)));
	/* An alias (lig-agent's mark on its links), the longest there is, one too long. */
	char alias[LIG_NL_ALIAS_MAX + 1];
	memset(alias, 'a', sizeof(alias));
	alias[LIG_NL_ALIAS_MAX] = 0;
	assert_int_equal(lig_nl_link_set_alias(f->nl[0], x0, alias, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "an alias is at most 255 bytes");
	alias[LIG_NL_ALIAS_MAX - 1] = 0;
	OK(lig_nl_link_set_alias(f->nl[0], x1, alias, err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[0], x1, NULL, &l, err, sizeof(err)));
	assert_string_equal(l.alias, alias);
	OK(lig_nl_link_set_alias(f->nl[0], x1, "", err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[0], x1, NULL, &l, err, sizeof(err)));
	assert_string_equal(l.alias, "");
	OK(lig_nl_link_set_alias(f->nl[0], x0, "/vnf-agent/vpp1/x0/x1", err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[0], x0, NULL, &l, err, sizeof(err)));
	assert_string_equal(l.alias, "/vnf-agent/vpp1/x0/x1");
	assert_int_equal(l.mtu, 1400);
	assert_memory_equal(l.hwaddr, mac, 6);
	assert_true(l.up);
	assert_true(l.flags & IFF_UP);
	/* Running once the peer is up too. */
	assert_false(l.running);
	OK(lig_nl_link_set_up(f->nl[0], x1, true, err, sizeof(err)));
	assert_true(wait_running(f->nl[0], x0, true));
	assert_true(wait_running(f->nl[0], x1, true)); /* nothing changing while ip looks */
	check_links_against_ip(f->nl[0], f->name[0]);
	/* Down again. */
	OK(lig_nl_link_set_up(f->nl[0], x1, false, err, sizeof(err)));
	assert_true(wait_running(f->nl[0], x0, false));
	OK(lig_nl_link_set_up(f->nl[0], x0, false, err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[0], x0, NULL, &l, err, sizeof(err)));
	assert_false(l.up);
	/* Renamed, same index. */
	OK(lig_nl_link_set_name(f->nl[0], x0, "x0new", err, sizeof(err)));
	assert_int_equal(index_of(f->nl[0], "x0new"), x0);
	assert_int_equal(lig_nl_link_index(f->nl[0], "x0", err, sizeof(err)), -ENODEV);
	check_links_against_ip(f->nl[0], f->name[0]);

	/* A dummy (when the kernel has them: else its own reason), and the loopback. */
	rc = lig_nl_dummy_add(f->nl[0], "d0", err, sizeof(err));
	if (rc == -EOPNOTSUPP) {
		assert_string_equal(err, "Unknown device type");
		OK(veth(f->nl[0], "d0", err, sizeof(err)));
		extra = 2;
	} else {
		OK(rc);
		d0 = index_of(f->nl[0], "d0");
		OK(lig_nl_link_get(f->nl[0], d0, NULL, &l, err, sizeof(err)));
		assert_int_equal(l.type, LIG_NL_LINK_DUMMY);
		assert_string_equal(l.kind, "dummy");
	}
	/* A Linux bridge (made by ip: the library makes none) as the master of x1, and
	 * released again; a master that is not one is refused with the kernel's reason. */
	char out[512];
	if (run(out, sizeof(out), "ip -n %s link add br0 type bridge", f->name[0]) == 0) {
		int br = index_of(f->nl[0], "br0");
		OK(lig_nl_link_set_master(f->nl[0], x1, br, err, sizeof(err)));
		OK(lig_nl_link_get(f->nl[0], x1, NULL, &l, err, sizeof(err)));
		assert_int_equal(l.master_ifindex, br);
		assert_int_equal(run(out, sizeof(out),
				     "ip -n %s -o link show master br0 | grep -c x1", f->name[0]),
				 0);
		check_links_against_ip(f->nl[0], f->name[0]);
		OK(lig_nl_link_set_master(f->nl[0], x1, 0, err, sizeof(err)));
		OK(lig_nl_link_get(f->nl[0], x1, NULL, &l, err, sizeof(err)));
		assert_int_equal(l.master_ifindex, 0);
		assert_true(lig_nl_link_set_master(f->nl[0], x1, x0, err, sizeof(err)) < 0);
		assert_true(err[0] != '\0');
		assert_int_equal(lig_nl_link_set_master(f->nl[0], x1, -1, err, sizeof(err)),
				 -EINVAL);
		OK(lig_nl_link_del(f->nl[0], br, err, sizeof(err)));
	} else {
		print_message("no Linux bridge here (%s): set_master not checked\n", out);
	}
	OK(lig_nl_link_get(f->nl[0], 0, "lo", &l, err, sizeof(err)));
	assert_int_equal(l.type, LIG_NL_LINK_LOOPBACK);
	assert_int_equal(l.ifindex, 1);
	OK(lig_nl_link_dump(f->nl[0], collect_link, &ls, err, sizeof(err)));
	assert_int_equal(ls.n, 4 + extra - 1);
	check_links_against_ip(f->nl[0], f->name[0]);
}

static void
test_tap_type(void **state)
{
	struct fx *f = *state;
	char out[512], err[256];
	struct lig_nl_link l;

	/* A tap as ligd makes them (kind "tun", tap mode), and a tun. */
	assert_int_equal(run(out, sizeof(out), "ip -n %s tuntap add dev tap0 mode tap", f->name[0]),
			 0);
	assert_int_equal(run(out, sizeof(out), "ip -n %s tuntap add dev tun0 mode tun", f->name[0]),
			 0);
	OK(lig_nl_link_get(f->nl[0], 0, "tap0", &l, err, sizeof(err)));
	assert_string_equal(l.kind, "tun");
	assert_int_equal(l.type, LIG_NL_LINK_TAP);
	assert_int_equal(l.hwaddr_len, 6);
	OK(lig_nl_link_get(f->nl[0], 0, "tun0", &l, err, sizeof(err)));
	assert_int_equal(l.type, LIG_NL_LINK_TUN);
	assert_int_equal(l.hwaddr_len, 0);
	check_links_against_ip(f->nl[0], f->name[0]);
	/* vpp-agent's TAP_TO_VPP: the tap waited for, moved into the pod's namespace under its
	 * configured name, configured there. */
	int idx = lig_nl_link_wait(f->nl[0], "tap0", 1000, &l, err, sizeof(err));
	assert_true(idx > 0);
	OK(lig_nl_link_set_netns(f->nl[0], idx, f->fd[1], "pod-eth0", err, sizeof(err)));
	idx = index_of(f->nl[1], "pod-eth0");
	OK(lig_nl_link_set_mtu(f->nl[1], idx, 9000, err, sizeof(err)));
	OK(lig_nl_addr_add(f->nl[1], idx, ip4("10.10.0.2"), 24, err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[1], idx, true, err, sizeof(err)));
	OK(lig_nl_link_get(f->nl[1], idx, NULL, &l, err, sizeof(err)));
	assert_int_equal(l.type, LIG_NL_LINK_TAP);
	assert_int_equal(l.mtu, 9000);
	assert_true(l.up);
	check_links_against_ip(f->nl[1], f->name[1]);
}

/* ---- checksum offloading ---- */

/* `ethtool -k`'s view: rx-checksumming, and the three transmit checksum features. */
static void
ethtool_csum(const char *ns, const char *dev, struct lig_nl_csum *c)
{
	const char *tx[] = {"tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6"};
	char out[8192], key[64], *line;
	int tx_fixed = 0;

	memset(c, 0, sizeof(*c));
	assert_int_equal(run(out, sizeof(out), "ip netns exec %s ethtool -k %s", ns, dev), 0);
	line = strstr(out, "rx-checksumming: ");
	assert_non_null(line);
	c->rx = !strncmp(line + 17, "on", 2);
	c->rx_fixed = !strncmp(strchr(line, '\n') - 7, "[fixed]", 7);
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "%s: ", tx[i]);
		line = strstr(out, key);
		assert_non_null(line);
		c->tx |= !strncmp(line + strlen(key), "on", 2);
		tx_fixed += !strncmp(strchr(line, '\n') - 7, "[fixed]", 7);
	}
	c->tx_fixed = tx_fixed == 3;
}

static void
check_csum(struct lig_nl *nl, const char *ns, const char *dev)
{
	struct lig_nl_csum mine, theirs;
	char err[256];

	OK(lig_nl_link_get_csum(nl, index_of(nl, dev), &mine, err, sizeof(err)));
	ethtool_csum(ns, dev, &theirs);
	assert_int_equal(mine.rx, theirs.rx);
	assert_int_equal(mine.tx, theirs.tx);
	assert_int_equal(mine.rx_fixed, theirs.rx_fixed);
	assert_int_equal(mine.tx_fixed, theirs.tx_fixed);
}

static void
test_checksum_offload(void **state)
{
	struct fx *f = *state;
	struct lig_nl_csum c;
	char err[256];
	int x0, lo;

	OK(lig_nl_veth_add(f->nl[0], "x0", "x1", f->fd[1], err, sizeof(err)));
	x0 = index_of(f->nl[0], "x0");
	lo = index_of(f->nl[0], "lo");
	OK(lig_nl_link_get_csum(f->nl[0], x0, &c, err, sizeof(err)));
	assert_true(c.rx && c.tx); /* a veth's defaults */
	assert_false(c.rx_fixed || c.tx_fixed);
	check_csum(f->nl[0], f->name[0], "x0");
	OK(lig_nl_link_set_csum(f->nl[0], x0, 0, 0, err, sizeof(err)));
	OK(lig_nl_link_get_csum(f->nl[0], x0, &c, err, sizeof(err)));
	assert_false(c.rx || c.tx);
	check_csum(f->nl[0], f->name[0], "x0");
	OK(lig_nl_link_set_csum(f->nl[0], x0, 1, -1, err, sizeof(err)));
	OK(lig_nl_link_get_csum(f->nl[0], x0, &c, err, sizeof(err)));
	assert_true(c.rx);
	assert_false(c.tx);
	check_csum(f->nl[0], f->name[0], "x0");
	OK(lig_nl_link_set_csum(f->nl[0], x0, -1, 1, err, sizeof(err)));
	check_csum(f->nl[0], f->name[0], "x0");
	/* The peer in b is its own link. */
	check_csum(f->nl[1], f->name[1], "x1");
	/* The loopback's are fixed: asking for another setting says so. */
	check_csum(f->nl[0], f->name[0], "lo");
	OK(lig_nl_link_get_csum(f->nl[0], lo, &c, err, sizeof(err)));
	assert_true(c.rx_fixed);
	assert_int_equal(lig_nl_link_set_csum(f->nl[0], lo, !c.rx, -1, err, sizeof(err)),
			 -EOPNOTSUPP);
	assert_non_null(strstr(err, "the driver does not let it change"));
	/* Bad requests. */
	assert_int_equal(lig_nl_link_set_csum(f->nl[0], x0, 2, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(lig_nl_link_set_csum(f->nl[0], x0, -1, -1, err, sizeof(err)), 0);
	assert_true(lig_nl_link_get_csum(f->nl[0], 9999, &c, err, sizeof(err)) < 0);
	assert_true(err[0]);
	assert_int_equal(lig_nl_link_get_csum(f->nl[0], 0, &c, err, sizeof(err)), -EINVAL);
}

/* ---- addresses ---- */

struct addrs {
	struct lig_nl_addr v[32];
	int n;
};

static int
collect_addr(const struct lig_nl_addr *a, void *arg)
{
	struct addrs *as = arg;

	if (as->n == 32)
		return -E2BIG;
	as->v[as->n++] = *a;
	return 0;
}

/* The IPv4 addresses `ip -j addr show` lists equal the library's dump. */
static void
check_addrs_against_ip(struct lig_nl *nl, const char *ns)
{
	char err[256], buf[INET_ADDRSTRLEN];
	struct addrs as = {0};
	json_t *j, *link, *ai;
	size_t i, k;
	int n = 0;

	OK(lig_nl_addr_dump(nl, 0, collect_addr, &as, err, sizeof(err)));
	j = ip_json("ip -n %s -4 -j addr show", ns);
	json_array_foreach(j, i, link)
	{
		int ifindex = (int)json_integer_value(json_object_get(link, "ifindex"));
		json_array_foreach(json_object_get(link, "addr_info"), k, ai)
		{
			const char *local = json_string_value(json_object_get(ai, "local"));
			json_t *brd = json_object_get(ai, "broadcast");
			const char *scope = json_string_value(json_object_get(ai, "scope"));
			const struct lig_nl_addr *a = NULL;

			for (int x = 0; x < as.n; x++)
				if (as.v[x].ifindex == ifindex &&
				    !strcmp(ip4_str(as.v[x].local, buf), local))
					a = &as.v[x];
			assert_non_null(a);
			assert_int_equal(a->prefixlen,
					 json_integer_value(json_object_get(ai, "prefixlen")));
			assert_int_equal(a->has_broadcast, brd != NULL);
			if (brd)
				assert_string_equal(ip4_str(a->broadcast, buf),
						    json_string_value(brd));
			assert_int_equal(a->scope, !strcmp(scope, "host")   ? RT_SCOPE_HOST
						   : !strcmp(scope, "link") ? RT_SCOPE_LINK
									    : RT_SCOPE_UNIVERSE);
			assert_string_equal(a->label,
					    json_string_value(json_object_get(ai, "label")));
			n++;
		}
	}
	assert_int_equal(n, as.n);
	json_decref(j);
}

static void
test_addresses(void **state)
{
	struct fx *f = *state;
	struct addrs as = {0};
	char err[256], buf[INET_ADDRSTRLEN];
	int va, lo;

	OK(lig_nl_veth_add(f->nl[0], "va0", "vb0", f->fd[1], err, sizeof(err)));
	va = index_of(f->nl[0], "va0");
	lo = index_of(f->nl[0], "lo");
	OK(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.1"), 24, err, sizeof(err)));
	OK(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.9"), 32, err, sizeof(err)));
	OK(lig_nl_addr_add(f->nl[0], va, ip4("172.16.5.1"), 30, err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[0], lo, true, err, sizeof(err)));
	OK(lig_nl_addr_dump(f->nl[0], va, collect_addr, &as, err, sizeof(err)));
	assert_int_equal(as.n, 3);
	assert_string_equal(ip4_str(as.v[0].local, buf), "10.1.0.1");
	assert_int_equal(as.v[0].prefixlen, 24);
	assert_true(as.v[0].has_broadcast);
	assert_string_equal(ip4_str(as.v[0].broadcast, buf), "10.1.0.255");
	assert_true(as.v[0].flags & IFA_F_PERMANENT);
	assert_string_equal(ip4_str(as.v[2].broadcast, buf), "172.16.5.3");
	check_addrs_against_ip(f->nl[0], f->name[0]);
	/* The loopback's own 127.0.0.1/8 (host scope) is in the dump of all. */
	as.n = 0;
	OK(lig_nl_addr_dump(f->nl[0], lo, collect_addr, &as, err, sizeof(err)));
	assert_int_equal(as.n, 1);
	assert_int_equal(as.v[0].scope, RT_SCOPE_HOST);

	/* Twice: the kernel's refusal and its reason. */
	assert_int_equal(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.1"), 24, err, sizeof(err)),
			 -EEXIST);
	assert_true(err[0]);
	OK(lig_nl_addr_del(f->nl[0], va, ip4("10.1.0.9"), 32, err, sizeof(err)));
	assert_int_equal(lig_nl_addr_del(f->nl[0], va, ip4("10.1.0.9"), 32, err, sizeof(err)),
			 -EADDRNOTAVAIL);
	as.n = 0;
	OK(lig_nl_addr_dump(f->nl[0], va, collect_addr, &as, err, sizeof(err)));
	assert_int_equal(as.n, 2);
	check_addrs_against_ip(f->nl[0], f->name[0]);
	/* Refused before asking. */
	assert_int_equal(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.1"), 33, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "prefix length 33 is over 32");
	assert_int_equal(lig_nl_addr_add(f->nl[0], 0, ip4("10.1.0.1"), 24, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(lig_nl_addr_add(f->nl[0], 9999, ip4("10.1.0.1"), 24, err, sizeof(err)),
			 -ENODEV);
}

/* ---- routes ---- */

struct routes {
	struct lig_nl_route v[64];
	int n;
};

static int
collect_route(const struct lig_nl_route *r, void *arg)
{
	struct routes *rs = arg;

	if (rs->n == 64)
		return -E2BIG;
	rs->v[rs->n++] = *r;
	return 0;
}

static const struct lig_nl_route *
find_route(const struct routes *rs, const char *dst, uint8_t len)
{
	struct in_addr a = ip4(dst);

	for (int i = 0; i < rs->n; i++)
		if (rs->v[i].dst.s_addr == a.s_addr && rs->v[i].dst_len == len)
			return &rs->v[i];
	return NULL;
}

static const char *
scope_name(enum lig_nl_scope s)
{
	switch (s) {
	case LIG_NL_SCOPE_LINK:
		return "link";
	case LIG_NL_SCOPE_HOST:
		return "host";
	case LIG_NL_SCOPE_SITE:
		return "site";
	default:
		return "global";
	}
}

/* The routes of a table as `ip -j route show table T` lists them equal the dump. */
static void
check_routes_against_ip(struct lig_nl *nl, const char *ns, uint32_t table)
{
	char err[256], buf[INET_ADDRSTRLEN], dst[32];
	struct routes rs = {0};
	json_t *j, *e;
	size_t i;

	OK(lig_nl_route_dump(nl, table, collect_route, &rs, err, sizeof(err)));
	j = ip_json("ip -n %s -4 -j route show table %u", ns, table);
	assert_int_equal(json_array_size(j), rs.n);
	json_array_foreach(j, i, e)
	{
		const char *d = json_string_value(json_object_get(e, "dst"));
		json_t *gw = json_object_get(e, "gateway"), *metric = json_object_get(e, "metric");
		json_t *scope = json_object_get(e, "scope");
		const char *dev = json_string_value(json_object_get(e, "dev"));
		const char *proto = json_string_value(json_object_get(e, "protocol"));
		const struct lig_nl_route *r;
		unsigned len = 32;
		char *slash;

		if (!strcmp(d, "default"))
			d = "0.0.0.0/0";
		snprintf(dst, sizeof(dst), "%s", d);
		slash = strchr(dst, '/');
		if (slash) {
			len = (unsigned)atoi(slash + 1);
			*slash = '\0';
		}
		r = find_route(&rs, dst, (uint8_t)len);
		assert_non_null(r);
		assert_string_equal(ip4_str(r->gw, buf), gw ? json_string_value(gw) : "0.0.0.0");
		assert_int_equal(r->metric, metric ? json_integer_value(metric) : 0);
		assert_string_equal(scope_name(r->scope),
				    scope ? json_string_value(scope) : "global");
		assert_int_equal(r->oif, index_of(nl, dev));
		assert_int_equal(r->table, table);
		if (!strcmp(proto, "static"))
			assert_int_equal(r->protocol, RTPROT_STATIC);
		else if (!strcmp(proto, "kernel"))
			assert_int_equal(r->protocol, RTPROT_KERNEL);
		else
			fail_msg("protocol %s", proto);
	}
	json_decref(j);
}

static void
test_routes(void **state)
{
	struct fx *f = *state;
	struct routes rs = {0};
	const struct lig_nl_route *r;
	char err[256], out[512], buf[INET_ADDRSTRLEN];
	int va, vb, rc;

	OK(lig_nl_veth_add(f->nl[0], "va0", "vb0", f->fd[1], err, sizeof(err)));
	va = index_of(f->nl[0], "va0");
	vb = index_of(f->nl[1], "vb0");
	OK(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.1"), 24, err, sizeof(err)));
	OK(lig_nl_addr_add(f->nl[1], vb, ip4("10.1.0.2"), 24, err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[0], va, true, err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[1], vb, true, err, sizeof(err)));

	struct lig_nl_route via_gw = {
	    .dst = ip4("10.9.0.0"), .dst_len = 16, .gw = ip4("10.1.0.2"), .metric = 100};
	struct lig_nl_route via_if = {.dst = ip4("10.8.0.0"), .dst_len = 16, .oif = va};
	struct lig_nl_route in_table = {
	    .dst = ip4("10.7.0.0"), .dst_len = 24, .gw = ip4("10.1.0.3"), .oif = va, .table = 100};
	struct lig_nl_route dflt = {.gw = ip4("10.1.0.2"), .metric = 50};
	OK(lig_nl_route_add(f->nl[0], &via_gw, err, sizeof(err)));
	OK(lig_nl_route_add(f->nl[0], &via_if, err, sizeof(err)));
	OK(lig_nl_route_add(f->nl[0], &in_table, err, sizeof(err)));
	OK(lig_nl_route_add(f->nl[0], &dflt, err, sizeof(err)));
	assert_int_equal(lig_nl_route_add(f->nl[0], &via_gw, err, sizeof(err)), -EEXIST);

	OK(lig_nl_route_dump(f->nl[0], RT_TABLE_MAIN, collect_route, &rs, err, sizeof(err)));
	r = find_route(&rs, "10.9.0.0", 16);
	assert_non_null(r);
	assert_string_equal(ip4_str(r->gw, buf), "10.1.0.2");
	assert_int_equal(r->oif, va);
	assert_int_equal(r->metric, 100);
	assert_int_equal(r->scope, LIG_NL_SCOPE_GLOBAL);
	assert_int_equal(r->protocol, RTPROT_STATIC);
	assert_int_equal(r->type, RTN_UNICAST);
	assert_int_equal(r->table, RT_TABLE_MAIN);
	r = find_route(&rs, "10.8.0.0", 16);
	assert_non_null(r);
	assert_int_equal(r->gw.s_addr, 0);
	assert_int_equal(r->scope, LIG_NL_SCOPE_LINK);
	r = find_route(&rs, "10.1.0.0", 24); /* the kernel's own, for the address */
	assert_non_null(r);
	assert_int_equal(r->protocol, RTPROT_KERNEL);
	assert_string_equal(ip4_str(r->prefsrc, buf), "10.1.0.1");
	assert_null(find_route(&rs, "10.7.0.0", 24));
	assert_non_null(find_route(&rs, "0.0.0.0", 0));
	check_routes_against_ip(f->nl[0], f->name[0], RT_TABLE_MAIN);
	check_routes_against_ip(f->nl[0], f->name[0], 100);
	/* All tables: the local table's route for our own address is there. */
	rs.n = 0;
	OK(lig_nl_route_dump(f->nl[0], 0, collect_route, &rs, err, sizeof(err)));
	r = find_route(&rs, "10.1.0.1", 32);
	assert_non_null(r);
	assert_int_equal(r->table, RT_TABLE_LOCAL);
	assert_int_equal(r->type, RTN_LOCAL);
	assert_non_null(find_route(&rs, "10.7.0.0", 24));

	/* Replace: same destination and metric, another gateway; still one route. */
	via_gw.gw = ip4("10.1.0.4");
	OK(lig_nl_route_replace(f->nl[0], &via_gw, err, sizeof(err)));
	rs.n = 0;
	OK(lig_nl_route_dump(f->nl[0], RT_TABLE_MAIN, collect_route, &rs, err, sizeof(err)));
	r = find_route(&rs, "10.9.0.0", 16);
	assert_string_equal(ip4_str(r->gw, buf), "10.1.0.4");
	int count = 0;
	for (int i = 0; i < rs.n; i++)
		count += rs.v[i].dst.s_addr == ip4("10.9.0.0").s_addr;
	assert_int_equal(count, 1);
	check_routes_against_ip(f->nl[0], f->name[0], RT_TABLE_MAIN);

	/* Delete; again: gone. */
	struct lig_nl_route del = {.dst = ip4("10.9.0.0"), .dst_len = 16, .metric = 100};
	OK(lig_nl_route_del(f->nl[0], &del, err, sizeof(err)));
	assert_int_equal(lig_nl_route_del(f->nl[0], &del, err, sizeof(err)), -ESRCH);
	OK(lig_nl_route_del(f->nl[0], &in_table, err, sizeof(err)));
	check_routes_against_ip(f->nl[0], f->name[0], RT_TABLE_MAIN);
	check_routes_against_ip(f->nl[0], f->name[0], 100);

	/* Bad requests: the kernel's own reasons, the same `ip` prints. */
	struct lig_nl_route unreachable = {
	    .dst = ip4("10.6.0.0"), .dst_len = 16, .gw = ip4("192.0.2.1")};
	rc = lig_nl_route_add(f->nl[0], &unreachable, err, sizeof(err));
	assert_true(rc < 0);
	assert_int_not_equal(
	    run(out, sizeof(out), "ip -n %s route add 10.6.0.0/16 via 192.0.2.1", f->name[0]), 0);
	ip_error_message(out);
	assert_string_equal(err, out);
	assert_string_not_equal(err, strerror(-rc));
	assert_true(strlen(err) > 0);

	struct lig_nl_route host_bits = {.dst = ip4("10.5.0.1"), .dst_len = 16, .oif = va};
	rc = lig_nl_route_add(f->nl[0], &host_bits, err, sizeof(err));
	assert_int_equal(rc, -EINVAL);
	assert_int_not_equal(
	    run(out, sizeof(out), "ip -n %s route add 10.5.0.1/16 dev va0", f->name[0]), 0);
	ip_error_message(out);
	assert_string_equal(err, out);

	struct lig_nl_route too_long = {.dst = ip4("10.5.0.0"), .dst_len = 33, .oif = va};
	assert_int_equal(lig_nl_route_add(f->nl[0], &too_long, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "prefix length 33 is over 32");
}

/* ---- neighbours ---- */

struct neighs {
	struct lig_nl_neigh v[32];
	int n;
};

static int
collect_neigh(const struct lig_nl_neigh *n, void *arg)
{
	struct neighs *ns = arg;

	if (ns->n == 32)
		return -E2BIG;
	ns->v[ns->n++] = *n;
	return 0;
}

static void
check_neighs_against_ip(struct lig_nl *nl, const char *ns, const char *dev)
{
	char err[256], buf[INET_ADDRSTRLEN], mac[3 * LIG_NL_HWADDR_MAX + 1];
	struct neighs nb = {0};
	json_t *j, *e;
	size_t i;

	OK(lig_nl_neigh_dump(nl, index_of(nl, dev), collect_neigh, &nb, err, sizeof(err)));
	j = ip_json("ip -n %s -4 -j neigh show dev %s", ns, dev);
	assert_int_equal(json_array_size(j), nb.n);
	json_array_foreach(j, i, e)
	{
		const char *dst = json_string_value(json_object_get(e, "dst"));
		json_t *ll = json_object_get(e, "lladdr");
		const struct lig_nl_neigh *n = NULL;

		for (int x = 0; x < nb.n; x++)
			if (!strcmp(ip4_str(nb.v[x].ip, buf), dst))
				n = &nb.v[x];
		assert_non_null(n);
		mac_str(n->lladdr, n->lladdr_len, mac);
		assert_string_equal(mac, ll ? json_string_value(ll) : "");
		assert_int_equal(!!(n->state & NUD_PERMANENT),
				 json_has_flag(json_object_get(e, "state"), "PERMANENT"));
	}
	json_decref(j);
}

static void
test_neighbours(void **state)
{
	struct fx *f = *state;
	const uint8_t mac7[6] = {0x02, 0, 0, 0, 0, 0x07}, mac8[6] = {0x02, 0, 0, 0, 0, 0x08};
	struct neighs nb = {0};
	char err[256], buf[INET_ADDRSTRLEN];
	int va;

	OK(lig_nl_veth_add(f->nl[0], "va0", "vb0", f->fd[1], err, sizeof(err)));
	va = index_of(f->nl[0], "va0");
	OK(lig_nl_addr_add(f->nl[0], va, ip4("10.1.0.1"), 24, err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[0], va, true, err, sizeof(err)));
	OK(lig_nl_neigh_add(f->nl[0], va, ip4("10.1.0.7"), mac7, 6, err, sizeof(err)));
	OK(lig_nl_neigh_add(f->nl[0], va, ip4("10.1.0.8"), mac8, 6, err, sizeof(err)));
	OK(lig_nl_neigh_dump(f->nl[0], va, collect_neigh, &nb, err, sizeof(err)));
	assert_int_equal(nb.n, 2);
	for (int i = 0; i < nb.n; i++) {
		bool seven = !strcmp(ip4_str(nb.v[i].ip, buf), "10.1.0.7");
		assert_int_equal(nb.v[i].state, NUD_PERMANENT);
		assert_int_equal(nb.v[i].ifindex, va);
		assert_int_equal(nb.v[i].lladdr_len, 6);
		assert_memory_equal(nb.v[i].lladdr, seven ? mac7 : mac8, 6);
	}
	check_neighs_against_ip(f->nl[0], f->name[0], "va0");
	assert_int_equal(lig_nl_neigh_add(f->nl[0], va, ip4("10.1.0.7"), mac8, 6, err, sizeof(err)),
			 -EEXIST);
	/* Replace: 10.1.0.7 now at mac8. */
	OK(lig_nl_neigh_replace(f->nl[0], va, ip4("10.1.0.7"), mac8, 6, err, sizeof(err)));
	nb.n = 0;
	OK(lig_nl_neigh_dump(f->nl[0], va, collect_neigh, &nb, err, sizeof(err)));
	for (int i = 0; i < nb.n; i++)
		assert_memory_equal(nb.v[i].lladdr, mac8, 6);
	check_neighs_against_ip(f->nl[0], f->name[0], "va0");
	OK(lig_nl_neigh_del(f->nl[0], va, ip4("10.1.0.7"), err, sizeof(err)));
	assert_int_equal(lig_nl_neigh_del(f->nl[0], va, ip4("10.1.0.7"), err, sizeof(err)),
			 -ENOENT);
	assert_true(err[0]);
	nb.n = 0;
	OK(lig_nl_neigh_dump(f->nl[0], va, collect_neigh, &nb, err, sizeof(err)));
	assert_int_equal(nb.n, 1);
	check_neighs_against_ip(f->nl[0], f->name[0], "va0");
	assert_int_equal(lig_nl_neigh_add(f->nl[0], va, ip4("10.1.0.9"), mac8, 0, err, sizeof(err)),
			 -EINVAL);
}

/* ---- moving links ---- */

static void
test_move_link(void **state)
{
	struct fx *f = *state;
	struct lig_nl_link l;
	char err[256];
	int idx, nsid;

	OK(veth(f->nl[0], "mv0", err, sizeof(err)));
	idx = index_of(f->nl[0], "mv0");
	OK(lig_nl_link_set_up(f->nl[0], idx, true, err, sizeof(err)));
	/* a -> c, renamed on the way. */
	OK(lig_nl_link_set_netns(f->nl[0], idx, f->fd[2], "mv1", err, sizeof(err)));
	assert_int_equal(lig_nl_link_index(f->nl[0], "mv0", err, sizeof(err)), -ENODEV);
	OK(lig_nl_link_get(f->nl[2], 0, "mv1", &l, err, sizeof(err)));
	assert_int_equal(l.type, LIG_NL_LINK_VETH);
	assert_false(l.up); /* a move sets it down */
	check_links_against_ip(f->nl[2], f->name[2]);
	/* c -> a under the same name. */
	OK(lig_nl_link_set_netns(f->nl[2], l.ifindex, f->fd[0], NULL, err, sizeof(err)));
	assert_true(index_of(f->nl[0], "mv1") > 0);
	/* A name taken there: refused, or renamed on the way. */
	OK(veth(f->nl[2], "mv1", err, sizeof(err)));
	idx = index_of(f->nl[0], "mv1");
	assert_int_equal(lig_nl_link_set_netns(f->nl[0], idx, f->fd[2], NULL, err, sizeof(err)),
			 -EEXIST);
	assert_true(err[0]);
	OK(lig_nl_link_set_netns(f->nl[0], idx, f->fd[2], "mv2", err, sizeof(err)));
	assert_true(index_of(f->nl[2], "mv2") > 0);

	/* A veth end moved b -> c: its peer in a now names c's id. */
	OK(lig_nl_veth_add(f->nl[0], "va0", "vb0", f->fd[1], err, sizeof(err)));
	OK(lig_nl_link_set_netns(f->nl[1], index_of(f->nl[1], "vb0"), f->fd[2], NULL, err,
				 sizeof(err)));
	OK(lig_nl_link_get(f->nl[0], 0, "va0", &l, err, sizeof(err)));
	nsid = lig_nl_nsid_get(f->nl[0], f->fd[2], err, sizeof(err));
	assert_true(nsid >= 0);
	assert_int_equal(l.link_nsid, nsid);
	assert_int_equal(l.link_ifindex, index_of(f->nl[2], "vb0"));
	check_links_against_ip(f->nl[0], f->name[0]);
	check_links_against_ip(f->nl[2], f->name[2]);
	/* Bad requests. */
	assert_int_equal(lig_nl_link_set_netns(f->nl[0], l.ifindex, -1, NULL, err, sizeof(err)),
			 -EBADF);
	assert_int_equal(
	    lig_nl_link_set_netns(f->nl[0], l.ifindex, f->fd[2], "bad/name", err, sizeof(err)),
	    -EINVAL);
}

/* ---- the monitor ---- */

struct event {
	enum lig_nl_link_event ev;
	char name[IFNAMSIZ];
	int ifindex;
	bool up;
};

struct events {
	struct event v[256];
	int n;
	int stop_after; /* 0: never */
};

static int
collect_event(enum lig_nl_link_event ev, const struct lig_nl_link *l, void *arg)
{
	struct events *es = arg;

	if (es->n < 256) {
		es->v[es->n].ev = ev;
		es->v[es->n].ifindex = l->ifindex;
		es->v[es->n].up = l->up;
		snprintf(es->v[es->n].name, IFNAMSIZ, "%s", l->name);
		es->n++;
	}
	if (es->stop_after && es->n >= es->stop_after)
		return -1;
	return 0;
}

static int
count_events(const struct events *es, enum lig_nl_link_event ev, const char *name)
{
	int n = 0;

	for (int i = 0; i < es->n; i++)
		n += es->v[i].ev == ev && (!name || !strcmp(es->v[i].name, name));
	return n;
}

/* Reads events until want of that kind for name were seen, at most 2 s. */
static void
read_until(struct lig_nl_monitor *m, struct events *es, enum lig_nl_link_event ev, const char *name,
	   int want)
{
	struct pollfd pfd = {.fd = lig_nl_monitor_fd(m), .events = POLLIN};

	for (int i = 0; i < 200 && count_events(es, ev, name) < want; i++) {
		poll(&pfd, 1, 10);
		assert_true(lig_nl_monitor_read(m, collect_event, es) >= 0);
	}
	if (count_events(es, ev, name) < want)
		fail_msg("%d %s event(s) for %s expected, %d seen", want,
			 lig_nl_link_event_name(ev), name ? name : "any",
			 count_events(es, ev, name));
}

static void
test_monitor(void **state)
{
	struct fx *f = *state;
	struct lig_nl_monitor *m;
	struct events es = {0};
	char err[256], name[IFNAMSIZ];
	int m0;

	m = lig_nl_monitor_open(f->fd[0], err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(lig_nl_monitor_read(m, collect_event, &es), 0);
	OK(lig_nl_veth_add(f->nl[0], "m0", "m1", -1, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_ADDED, "m0", 1);
	read_until(m, &es, LIG_NL_LINK_ADDED, "m1", 1);
	m0 = index_of(f->nl[0], "m0");
	OK(lig_nl_link_set_up(f->nl[0], m0, true, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_UP, "m0", 1);
	OK(lig_nl_link_set_mtu(f->nl[0], m0, 1300, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_CHANGED, "m0", 1);
	OK(lig_nl_link_set_up(f->nl[0], m0, false, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_DOWN, "m0", 1);
	/* Moved out is gone from here; deleting takes both ends. */
	OK(lig_nl_link_del(f->nl[0], m0, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_DELETED, "m0", 1);
	read_until(m, &es, LIG_NL_LINK_DELETED, "m1", 1);
	assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, NULL), 2);
	assert_int_equal(count_events(&es, LIG_NL_LINK_UP, NULL), 1);
	assert_int_equal(count_events(&es, LIG_NL_LINK_DOWN, NULL), 1);
	assert_int_equal(count_events(&es, LIG_NL_LINK_DELETED, NULL), 2);
	OK(veth(f->nl[0], "mv", err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_ADDED, "mv", 1);
	OK(lig_nl_link_set_netns(f->nl[0], index_of(f->nl[0], "mv"), f->fd[1], NULL, err,
				 sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_DELETED, "mv", 1);

	/* A callback that stops: the rest comes with the next read. */
	es = (struct events){.stop_after = 1};
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		OK(veth(f->nl[0], name, err, sizeof(err)));
	}
	read_until(m, &es, LIG_NL_LINK_ADDED, NULL, 1);
	assert_int_equal(es.n, 1);
	es.stop_after = 0;
	read_until(m, &es, LIG_NL_LINK_ADDED, NULL, 8);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, name), 1);
		snprintf(name, sizeof(name), "s%dp", i);
		assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, name), 1);
	}
	assert_int_equal(es.n, 8);

	/* An overflowing socket: links read again, nothing lost, nothing doubled. */
	struct lig_nl_monitor_stats st;
	lig_nl_monitor_get_stats(m, &st);
	assert_int_equal(st.overflows, 0);
	assert_int_equal(lig_nl_monitor_set_bufsize(m, 1024), 0);
	es = (struct events){0};
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "o%d", i);
		OK(veth(f->nl[0], name, err, sizeof(err)));
	}
	OK(lig_nl_link_del(f->nl[0], index_of(f->nl[0], "s0"), err, sizeof(err)));
	OK(lig_nl_link_set_up(f->nl[0], index_of(f->nl[0], "s1"), true, err, sizeof(err)));
	read_until(m, &es, LIG_NL_LINK_ADDED, NULL, 40);
	read_until(m, &es, LIG_NL_LINK_DELETED, NULL, 2);
	read_until(m, &es, LIG_NL_LINK_UP, "s1", 1);
	lig_nl_monitor_get_stats(m, &st);
	assert_true(st.overflows >= 1);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "o%d", i);
		assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, name), 1);
		snprintf(name, sizeof(name), "o%dp", i);
		assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, name), 1);
	}
	assert_int_equal(count_events(&es, LIG_NL_LINK_ADDED, NULL), 40);
	assert_int_equal(count_events(&es, LIG_NL_LINK_DELETED, "s0"), 1);
	assert_int_equal(count_events(&es, LIG_NL_LINK_DELETED, "s0p"), 1);
	/* Quiet now. */
	assert_int_equal(lig_nl_monitor_read(m, collect_event, &es), 0);
	lig_nl_monitor_close(m);
	lig_nl_monitor_close(NULL);
}

/* ---- waiting for a link ---- */

static int64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_wait_link(void **state)
{
	struct fx *f = *state;
	struct lig_nl_link l;
	char err[256];
	int64_t t0;
	pid_t child;
	int rc;

	/* Another process makes the link later (as ligd makes its tap). */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct lig_nl *nl;
		usleep(200000);
		nl = lig_nl_open_name(f->name[0]);
		_exit(nl && veth(nl, "late0", NULL, 0) == 0 ? 0 : 1);
	}
	t0 = ms_now();
	rc = lig_nl_link_wait(f->nl[0], "late0", 5000, &l, err, sizeof(err));
	assert_true(rc > 0);
	assert_true(ms_now() - t0 >= 150);
	assert_int_equal(l.ifindex, rc);
	assert_string_equal(l.name, "late0");
	assert_int_equal(l.type, LIG_NL_LINK_VETH);
	assert_string_equal(l.netns, f->name[0]);
	waitpid(child, &rc, 0);
	assert_int_equal(rc, 0);
	/* There already: at once. */
	assert_int_equal(lig_nl_link_wait(f->nl[0], "late0", 0, NULL, err, sizeof(err)), l.ifindex);
	/* Never. */
	t0 = ms_now();
	assert_int_equal(lig_nl_link_wait(f->nl[0], "never0", 100, NULL, err, sizeof(err)),
			 -ETIMEDOUT);
	assert_true(ms_now() - t0 >= 100);
	assert_string_equal(err, "no link named never0 appeared within 100 ms");
	assert_int_equal(lig_nl_link_wait(f->nl[0], "", 100, NULL, err, sizeof(err)), -EINVAL);
}

/* ---- errors ---- */

static void
test_errors(void **state)
{
	struct fx *f = *state;
	const uint8_t mcast[6] = {0x01, 0, 0x5e, 0, 0, 1};
	char err[256], out[512];
	int e0, rc;

	assert_int_equal(lig_nl_link_del(f->nl[0], 9999, err, sizeof(err)), -ENODEV);
	assert_true(err[0]);
	assert_int_equal(lig_nl_link_set_up(f->nl[0], 9999, true, err, sizeof(err)), -ENODEV);
	assert_int_equal(lig_nl_link_del(f->nl[0], 0, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "interface index 0 is not valid");
	assert_int_equal(lig_nl_veth_add(f->nl[0], "0123456789abcdef", "p", -1, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "0123456789abcdef"));
	assert_int_equal(lig_nl_veth_add(f->nl[0], "e0", "", -1, err, sizeof(err)), -EINVAL);
	assert_int_equal(lig_nl_veth_add(f->nl[0], "e0", NULL, -1, err, sizeof(err)), -EINVAL);
	OK(lig_nl_veth_add(f->nl[0], "e0", "e1", -1, err, sizeof(err)));
	assert_int_equal(lig_nl_veth_add(f->nl[0], "e0", "e2", -1, err, sizeof(err)), -EEXIST);
	/* The peer's name taken in the peer's namespace. */
	OK(veth(f->nl[1], "taken", err, sizeof(err)));
	assert_int_equal(lig_nl_veth_add(f->nl[0], "e5", "taken", f->fd[1], err, sizeof(err)),
			 -EEXIST);
	assert_int_equal(lig_nl_link_index(f->nl[0], "e5", err, sizeof(err)), -ENODEV);
	e0 = index_of(f->nl[0], "e0");
	/* The kernel's reason, as `ip` prints it. */
	rc = lig_nl_link_set_mtu(f->nl[0], e0, 10, err, sizeof(err));
	assert_int_equal(rc, -EINVAL);
	assert_int_not_equal(run(out, sizeof(out), "ip -n %s link set dev e0 mtu 10", f->name[0]),
			     0);
	ip_error_message(out);
	assert_string_equal(err, out);
	rc = lig_nl_link_set_hwaddr(f->nl[0], e0, mcast, 6, err, sizeof(err));
	assert_int_equal(rc, -EADDRNOTAVAIL);
	assert_true(err[0]);
	assert_int_equal(lig_nl_link_set_hwaddr(f->nl[0], e0, mcast, 0, err, sizeof(err)), -EINVAL);
	/* err may be NULL. */
	assert_int_equal(lig_nl_link_del(f->nl[0], 9999, NULL, 0), -ENODEV);
	/* A short buffer gets a truncated text. */
	assert_int_equal(lig_nl_link_del(f->nl[0], 0, err, 5), -EINVAL);
	assert_string_equal(err, "inte");
	/* A successful call clears the text. */
	OK(lig_nl_link_set_mtu(f->nl[0], e0, 1500, err, sizeof(err)));
	assert_string_equal(err, "");
}

static int
collect_count(const struct lig_nl_link *l, void *arg)
{
	(void)l;
	(*(int *)arg)++;
	return 0;
}

static int
stop_at_first(const struct lig_nl_link *l, void *arg)
{
	(void)l;
	(*(int *)arg)++;
	return -77;
}

/* A dump stopped by its callback is read to its end: the next request gets its own answer. */
static void
test_dump_stop(void **state)
{
	struct fx *f = *state;
	char err[256], name[IFNAMSIZ];
	struct lig_nl_link l;
	int calls = 0;

	for (int i = 0; i < 25; i++) {
		snprintf(name, sizeof(name), "st%d", i);
		OK(veth(f->nl[0], name, err, sizeof(err)));
	}
	assert_int_equal(lig_nl_link_dump(f->nl[0], stop_at_first, &calls, err, sizeof(err)), -77);
	assert_int_equal(calls, 1);
	assert_string_equal(err, "stopped by the callback (-77)");
	OK(lig_nl_link_get(f->nl[0], 0, "st24", &l, err, sizeof(err)));
	assert_string_equal(l.name, "st24");
	/* The answer to an earlier request nobody read (as after a timeout) is skipped by its
	 * sequence number: the next request gets its own. */
	char req[LIG_NL_REQ_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 7;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	assert_true(mnl_socket_sendto(f->nl[0]->sock, nlh, nlh->nlmsg_len) > 0);
	calls = 0;
	OK(lig_nl_link_get(f->nl[0], 0, "st3", &l, err, sizeof(err)));
	assert_string_equal(l.name, "st3");
	OK(lig_nl_link_dump(f->nl[0], collect_count, &calls, err, sizeof(err)));
	assert_int_equal(calls, 51); /* lo and 25 pairs, once each */
}

static void
test_nsid(void **state)
{
	struct fx *f = *state;
	char err[256], name[64];
	int fd;

	assert_int_equal(lig_nl_nsid_get(f->nl[0], f->fd[1], err, sizeof(err)), -ENOENT);
	assert_int_equal(lig_nl_nsid_set(f->nl[0], f->fd[1], 42, err, sizeof(err)), 42);
	assert_int_equal(lig_nl_nsid_get(f->nl[0], f->fd[1], err, sizeof(err)), 42);
	/* The kernel picks one. */
	int id = lig_nl_nsid_set(f->nl[0], f->fd[2], -1, err, sizeof(err));
	assert_true(id >= 0 && id != 42);
	fd = lig_nl_netns_open_nsid(f->nl[0], 42, name, sizeof(name), err, sizeof(err));
	assert_true(fd >= 0);
	assert_string_equal(name, f->name[1]);
	assert_int_equal(lig_netns_same(fd, f->fd[1]), 1);
	close(fd);
	assert_int_equal(
	    lig_nl_netns_open_nsid(f->nl[0], 4242, name, sizeof(name), err, sizeof(err)), -ENOENT);
	/* Ids are per namespace: c knows b by none yet. */
	assert_int_equal(lig_nl_nsid_get(f->nl[2], f->fd[1], err, sizeof(err)), -ENOENT);
	/* A second id for b: the kernel's reason. */
	assert_true(lig_nl_nsid_set(f->nl[0], f->fd[1], 43, err, sizeof(err)) < 0);
	assert_true(err[0]);
}

/* ---- resources ---- */

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_no_fd_leak(void **state)
{
	struct fx *f = *state;
	char err[256], extra[64];
	struct events es = {0};
	struct links ls;
	int before, after;

	before = count_fds();
	for (int i = 0; i < 100; i++) {
		struct lig_nl *nl = lig_nl_open(f->fd[0]);
		struct lig_nl *byname = lig_nl_open_name(f->name[1]);
		struct lig_nl_monitor *m = lig_nl_monitor_open(f->fd[0], err, sizeof(err));
		int idx, fd;

		assert_non_null(nl);
		assert_non_null(byname);
		assert_non_null(m);
		OK(lig_nl_veth_add(nl, "leak0", "leak1", f->fd[1], err, sizeof(err)));
		idx = index_of(nl, "leak0");
		OK(lig_nl_link_set_up(nl, idx, true, err, sizeof(err)));
		ls.n = 0;
		OK(lig_nl_link_dump(nl, collect_link, &ls, err, sizeof(err)));
		assert_true(lig_nl_link_wait(byname, "leak1", 0, NULL, err, sizeof(err)) > 0);
		assert_int_equal(lig_nl_link_wait(nl, "nothing", 0, NULL, err, sizeof(err)),
				 -ETIMEDOUT);
		assert_true(lig_nl_monitor_read(m, collect_event, &es) >= 0);
		assert_true(lig_nl_nsid_get(nl, f->fd[1], err, sizeof(err)) >= 0);
		fd = lig_nl_netns_open_nsid(nl, lig_nl_nsid_get(nl, f->fd[1], err, sizeof(err)),
					    NULL, 0, err, sizeof(err));
		assert_true(fd >= 0);
		close(fd);
		struct lig_nl *peer = lig_nl_open_nsid(
		    nl, lig_nl_nsid_get(nl, f->fd[1], err, sizeof(err)), err, sizeof(err));
		assert_non_null(peer);
		lig_nl_close(peer);
		assert_int_equal(lig_nl_link_del(nl, 9999, err, sizeof(err)), -ENODEV);
		assert_int_equal(lig_nl_veth_add(nl, "leak0", "x", -1, err, sizeof(err)), -EEXIST);
		OK(lig_nl_link_set_csum(nl, idx, i % 2, i % 2, err, sizeof(err)));
		OK(lig_nl_link_del(nl, idx, err, sizeof(err)));
		assert_null(lig_nl_open_name("lignl-no-such-namespace"));
		es.n = 0;
		lig_nl_monitor_close(m);
		lig_nl_close(byname);
		lig_nl_close(nl);
		if (i % 20 == 0) {
			snprintf(extra, sizeof(extra), NS_PREFIX "%d-leak", (int)getpid());
			snprintf(ns_names[ns_count++], sizeof(ns_names[0]), "%s", extra);
			assert_int_equal(lig_netns_create(extra), 0);
			assert_int_equal(lig_netns_delete(extra), 0);
			ns_count--;
		}
	}
	after = count_fds();
	assert_int_equal(before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_netns_refs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_veth_across_namespaces, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_attributes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tap_type, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_checksum_offload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_neighbours, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_monitor, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wait_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dump_stop, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nsid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_fd_leak, setup, teardown),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_netlink needs root (network namespaces): skipped\n");
		return 77;
	}
	delete_stale_namespaces();
	atexit(delete_namespaces);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

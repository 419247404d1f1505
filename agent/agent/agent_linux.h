/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent's Linux side (vpp-agent's plugins/linux), shared by its files:
 *   linux_ns.c         network namespaces: references, one netlink handle per namespace,
 *                      /run/netns watched with inotify (linux/namespace/<name> notified)
 *   linux_interface.c  linux.interfaces (VETH, TAP_TO_VPP, LOOPBACK, EXISTING), their IPv4
 *                      addresses and admin state (derived), veth-end readiness (notified)
 *   linux_l3.c         linux.l3 routes and ARP entries, in the namespace of their interface
 * Everything goes through lib/netlink (libmnl); see docs/agent.md ("Linux"). */
#ifndef LIGAGENT_AGENT_LINUX_H
#define LIGAGENT_AGENT_LINUX_H

#include <limits.h>

#include "agent.h"
#include "lig_nl.h"

/* Keys the Linux side adds to the scheduler beside the northbound ones (vpp-agent's where it
 * has them). Notified by the agent itself (OBTAINED while true):
 *   linux/namespace/<name>           the named namespace /run/netns/<name> exists
 *   linux/veth-end/<end>/<peer>      the veth end <end> is desired with peer <peer>, valid, and
 *                                    its namespace exists: what the other end waits for
 *   linux/interface/host-name/<if>   a link named <if> exists in the agent's namespace
 * Derived from an interface (vpp-agent's templates):
 *   linux/interface/<name>/address/static/<ip>/<len>   one per address (descriptor)
 *   linux/interface/state/<name>/UP|DOWN                admin state (property) */
#define LINUX_NS_PREFIX "linux/namespace/"
#define LINUX_VETH_END_PREFIX "linux/veth-end/"
#define LINUX_HOST_NAME_PREFIX "linux/interface/host-name/"
#define LINUX_IF_PREFIX "linux/interface/"
#define LINUX_IF_STATE_PREFIX "linux/interface/state/"
#define LINUX_IF_ADDR_MID "/address/static/"

/* Longest namespace reference the agent takes (a name, a pid, a path). */
#define LINUX_NS_REF_MAX 256

/* A namespace as a value names it: type and reference (LIG_NETNS_REF_CURRENT: the agent's). */
struct linux_ns {
	enum lig_netns_ref_type type;
	char ref[LINUX_NS_REF_MAX];
};

/* What the interface descriptor keeps per created interface (its metadata): where it is. */
struct linux_if_md {
	struct linux_ns ns;
	char host[IFNAMSIZ];
};

/* linux_ns.c */
/* The namespace of a model namespace (NULL or none given: the agent's). MICROSERVICE is a named
 * namespace whose name is the microservice label. -EINVAL when the reference is too long. */
int linux_ns_from_model(const struct lig_linux_namespace *m, bool has, struct linux_ns *out);
/* The /run/netns name the namespace is known by (NSID, MICROSERVICE, an FD path directly in
 * /run/netns), which the agent watches; NULL for the agent's, a pid's or another path's. */
const char *linux_ns_watched_name(const struct linux_ns *ns);
bool linux_ns_equal(const struct linux_ns *a, const struct linux_ns *b);
/* "namespace blue", "the agent's namespace", ... for messages. */
const char *linux_ns_text(const struct linux_ns *ns, char *buf, size_t n);
/* True when the named namespace exists now (as the watcher last saw it). */
bool linux_ns_present(const char *name);
/* A netlink handle in the namespace (kept by linux_ns.c, valid until the next call for a
 * namespace that changed identity; do not close it). NULL with the reason in err. */
struct lig_nl *linux_nl(const struct linux_ns *ns, struct lig_sched_err *err);
/* The handle of the agent's own namespace. */
struct lig_nl *linux_nl_self(struct lig_sched_err *err);
/* The alias prefix of the agent's links: /vnf-agent/<label>/ (vpp-agent's agent prefix). */
const char *linux_alias_prefix(void);
/* Reports a netlink failure: the call's text into err, returns rc. */
int linux_fail(struct lig_sched_err *err, int rc, const char *what, const char *nlerr);

/* Keys notified by the agent itself: known holds every key notified or read back by a retrieve,
 * so that linux_facts_apply() makes the scheduler hold exactly the keys of now (values: the key
 * without prefix). now is sorted in place. Call outside scheduler callbacks. */
struct linux_facts {
	char **keys; /* sorted */
	size_t n, cap;
};
void linux_facts_apply(struct linux_facts *known, char **now, size_t n_now, const char *prefix);
void linux_facts_note(struct linux_facts *known, const char *key);
/* A growing array of formatted strings; free with linux_strv_free. */
int linux_strv_add(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void linux_strv_free(char **v, size_t n);
/* The first notifications (namespaces, links of the agent's namespace, veth ends). */
void agent_linux_start(void);

/* linux_interface.c */
/* The key of the Linux interface named name. */
void linux_if_key(char *buf, size_t n, const char *name);
/* Where the Linux interface named name is (its metadata) and its handle and ifindex there:
 * 0; -ENOENT (not created by the agent, or its link is gone); another error. */
int linux_if_locate(const char *name, struct lig_nl **nl, int *ifindex, struct lig_sched_err *err);

/* The agent's links, found in the namespaces the desired state names (retrieve). */
struct linux_link {
	char name[LIG_MODEL_NAME_MAX + 1]; /* logical name, from the alias */
	struct linux_ns ns;
	int nsid; /* index of the namespace in the scan (same handle for equal ids) */
	struct lig_nl_link link;
};
struct linux_scan {
	struct linux_link *v;
	size_t n, cap;
	struct lig_nl **nl; /* per nsid */
	struct linux_ns *ns;
	size_t n_ns;
};
/* extra: interface values (of the correlate list) whose namespaces are scanned too. */
int linux_scan_links(struct linux_scan *s, const struct lig_sched_retrieved *extra);
void linux_scan_free(struct linux_scan *s);
const struct linux_link *linux_scan_find(const struct linux_scan *s, const char *name);

/* Recomputes the notified veth-end and host-name keys (after a change of the desired state or
 * of the namespaces). */
void linux_facts_sync(void);

/* plugins.c: registration, and the desired-state hook (veth ends follow their values). */
void agent_linux_desired_changed(const char *key);
int agent_linux_ns_register(struct lig_sched *sched);
int agent_linux_interface_register(struct lig_sched *sched);
int agent_linux_l3_register(struct lig_sched *sched);

#endif

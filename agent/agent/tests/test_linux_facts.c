/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lig-agent's Linux side, the parts testable alone (linux_ns.c): namespace references as the
 * models give them (which are awaited under /run/netns, which are equal), and the notified
 * facts (namespaces, veth ends, host links) against a real scheduler: a fact appears once,
 * what waits for it follows, a fact gone takes its dependents back to PENDING, nothing is
 * notified twice, keys read back by a retrieve are withdrawn too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "agent_linux.h"

/* What linux_ns.c needs of the rest of the agent. */
struct agent A;
static int facts_syncs;
void
agent_log(const char *fmt, ...)
{
	(void)fmt;
}
void
agent_after_txn(void)
{
}
void
linux_facts_sync(void)
{
	facts_syncs++;
}

static struct lig_linux_namespace
mns(int32_t type, const char *ref)
{
	return (struct lig_linux_namespace){.type = type, .reference = (char *)ref};
}

static void
test_ns_refs(void **state)
{
	(void)state;
	struct linux_ns ns, other;
	struct lig_linux_namespace m;

	assert_int_equal(linux_ns_from_model(NULL, false, &ns), 0);
	assert_int_equal(ns.type, LIG_NETNS_REF_CURRENT);
	assert_null(linux_ns_watched_name(&ns));
	m = mns(LIG_LINUX_NS_UNDEFINED, "x");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_int_equal(ns.type, LIG_NETNS_REF_CURRENT);

	m = mns(LIG_LINUX_NS_NSID, "blue");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_int_equal(ns.type, LIG_NETNS_REF_NAME);
	assert_string_equal(ns.ref, "blue");
	assert_string_equal(linux_ns_watched_name(&ns), "blue");
	/* MICROSERVICE: the label is a named namespace */
	m = mns(LIG_LINUX_NS_MICROSERVICE, "blue");
	assert_int_equal(linux_ns_from_model(&m, true, &other), 0);
	assert_true(linux_ns_equal(&ns, &other));
	/* a path straight in /run/netns is that name; others are not watched */
	m = mns(LIG_LINUX_NS_FD, "/run/netns/blue");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_int_equal(ns.type, LIG_NETNS_REF_PATH);
	assert_string_equal(linux_ns_watched_name(&ns), "blue");
	assert_false(linux_ns_equal(&ns, &other));
	m = mns(LIG_LINUX_NS_FD, "/run/netns/a/b");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_null(linux_ns_watched_name(&ns));
	m = mns(LIG_LINUX_NS_FD, "/proc/1/ns/net");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_null(linux_ns_watched_name(&ns));
	m = mns(LIG_LINUX_NS_PID, "1234");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), 0);
	assert_int_equal(ns.type, LIG_NETNS_REF_PID);
	assert_null(linux_ns_watched_name(&ns));
	/* refused */
	char longref[LINUX_NS_REF_MAX + 8];
	memset(longref, 'a', sizeof(longref) - 1);
	longref[sizeof(longref) - 1] = 0;
	m = mns(LIG_LINUX_NS_NSID, longref);
	assert_int_equal(linux_ns_from_model(&m, true, &ns), -EINVAL);
	m = mns(LIG_LINUX_NS_NSID, "");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), -EINVAL);
	m = mns(99, "x");
	assert_int_equal(linux_ns_from_model(&m, true, &ns), -EINVAL);

	char t[LINUX_NS_REF_MAX + 64];
	struct linux_ns cur = {.type = LIG_NETNS_REF_CURRENT};
	assert_string_equal(linux_ns_text(&cur, t, sizeof(t)), "the agent's namespace");
	assert_string_equal(linux_ns_text(&other, t, sizeof(t)), "namespace blue");
}

/* A device of one descriptor: values under v/ that need t/a; creates and deletes counted. */
static int creates, deletes;

static int
v_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	 struct lig_sched_err *err)
{
	(void)ctx, (void)key, (void)value, (void)size, (void)md, (void)err;
	creates++;
	return 0;
}

static int
v_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	 struct lig_sched_err *err)
{
	(void)ctx, (void)key, (void)value, (void)size, (void)md, (void)err;
	deletes++;
	return 0;
}

static void
v_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx, (void)key, (void)value, (void)size;
	lig_sched_dep_key(deps, "fact", "t/a");
}

/* facts_apply with a list of keys (copied: apply sorts them in place). */
static void
apply(struct linux_facts *known, const char *a, const char *b)
{
	char *v[2];
	size_t n = 0;
	if (a)
		v[n++] = strdup(a);
	if (b)
		v[n++] = strdup(b);
	linux_facts_apply(known, v, n, "t/");
	for (size_t k = 0; k < n; k++)
		free(v[k]);
}

static void
test_facts(void **state)
{
	(void)state;
	A.sched = lig_sched_new(NULL);
	assert_non_null(A.sched);
	struct lig_sched_descriptor d = {.name = "v",
					 .key_prefix = "v/",
					 .create = v_create,
					 .delete = v_delete,
					 .dependencies = v_deps};
	assert_int_equal(lig_sched_register(A.sched, &d), 0);
	struct lig_sched_txn *t = lig_sched_txn_new(A.sched);
	lig_sched_txn_set(t, "v/x", "1", 1);
	assert_int_equal(lig_sched_txn_commit(t, NULL), 0);
	assert_int_equal(lig_sched_state(A.sched, "v/x"), LIG_SCHED_PENDING);

	struct linux_facts known = {0};
	/* t/b first in the list: apply sorts */
	apply(&known, "t/b", "t/a");
	assert_int_equal(lig_sched_state(A.sched, "t/a"), LIG_SCHED_OBTAINED);
	assert_int_equal(lig_sched_state(A.sched, "t/b"), LIG_SCHED_OBTAINED);
	assert_int_equal(lig_sched_state(A.sched, "v/x"), LIG_SCHED_CONFIGURED);
	assert_int_equal(creates, 1);
	assert_int_equal(known.n, 2);
	assert_string_equal(known.keys[0], "t/a");

	/* the same facts again: no notification at all */
	uint64_t seq = lig_sched_next_seq(A.sched);
	apply(&known, "t/a", "t/b");
	assert_int_equal(lig_sched_next_seq(A.sched), seq);

	/* t/a gone: what needs it is removed first and waits again */
	apply(&known, "t/b", NULL);
	assert_int_equal(lig_sched_state(A.sched, "t/a"), LIG_SCHED_NONEXISTENT);
	assert_int_equal(lig_sched_state(A.sched, "v/x"), LIG_SCHED_PENDING);
	assert_int_equal(deletes, 1);
	assert_int_equal(known.n, 1);

	/* back: created again */
	apply(&known, "t/a", "t/b");
	assert_int_equal(creates, 2);

	/* a key only noted (read back by a retrieve) is withdrawn like the others; a key the
	 * scheduler does not hold is not notified */
	linux_facts_note(&known, "t/c");
	linux_facts_note(&known, "t/c");
	assert_int_equal(known.n, 3);
	seq = lig_sched_next_seq(A.sched);
	apply(&known, "t/a", "t/b");
	assert_int_equal(lig_sched_next_seq(A.sched), seq);
	assert_int_equal(known.n, 2);

	/* everything gone */
	apply(&known, NULL, NULL);
	assert_int_equal(known.n, 0);
	assert_int_equal(lig_sched_state(A.sched, "t/b"), LIG_SCHED_NONEXISTENT);
	assert_int_equal(lig_sched_state(A.sched, "v/x"), LIG_SCHED_PENDING);
	free(known.keys);
	lig_sched_free(A.sched);
	A.sched = NULL;
}

static void
test_strv(void **state)
{
	(void)state;
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (int k = 0; k < 100; k++)
		assert_int_equal(linux_strv_add(&v, &n, &cap, "linux/namespace/n%d", k), 0);
	assert_int_equal(n, 100);
	assert_string_equal(v[42], "linux/namespace/n42");
	linux_strv_free(v, n);
	linux_strv_free(NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ns_refs),
	    cmocka_unit_test(test_facts),
	    cmocka_unit_test(test_strv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

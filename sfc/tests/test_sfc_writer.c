/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's diff writer against the embedded store (a fresh directory per test): only changed
 * keys are written, keys no longer desired are deleted with their index entries, a restarted
 * writer (reopened on the same store) writes nothing for the same set and deletes exactly the
 * stale keys, keys it did not write are never touched, transactions are split at max_ops,
 * --clean removes all it wrote. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sfc_writer.h"

struct fx {
	char dir[64];
	struct cninfra_kv *kv;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sfc-writer-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	struct cninfra_kv_opts o = {.endpoint = f->dir};
	f->kv = cninfra_kv_open(NULL, &o);
	if (!f->kv)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	cninfra_kv_close(f->kv);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

#define KV(k, v, o)                                                                                \
	{                                                                                          \
		k, v, sizeof(v) - 1, o                                                             \
	}

static const char *
get(struct cninfra_kv *kv, const char *key, char *buf, size_t size)
{
	struct cninfra_kv_pair *p = NULL;
	if (cninfra_kv_get(kv, key, &p))
		return NULL;
	snprintf(buf, size, "%s", p->value);
	cninfra_kv_pair_free(p);
	return buf;
}

static int64_t
mod_rev(struct cninfra_kv *kv, const char *key)
{
	struct cninfra_kv_pair *p = NULL;
	if (cninfra_kv_get(kv, key, &p))
		return -1;
	int64_t r = p->mod_revision;
	cninfra_kv_pair_free(p);
	return r;
}

static void
test_diff(void **state)
{
	struct fx *f = *state;
	char buf[256];
	int rc;
	struct sfc_errors e = {0};
	/* Someone else's key in the same space: never touched. */
	assert_int_equal(cninfra_kv_put(f->kv, "/vnf-agent/n1/config/foreign", "x", 1, NULL), 0);
	struct sfc_writer *w = sfc_writer_open(f->kv, 0, &rc, &e);
	assert_non_null(w);
	struct sfc_wkv a[] = {
	    KV("/vnf-agent/n1/config/vpp/v2/interfaces/a", "{\"name\":\"a\"}",
	       "network-service/s1"),
	    KV("/vnf-agent/n1/config/vpp/v2/interfaces/b", "{\"name\":\"b\"}",
	       "network-service/s1"),
	    KV("/vnf-agent/vnf1/config/vpp/v2/interfaces/c", "{\"name\":\"c\"}",
	       "network-service/s2"),
	    KV(SFC_STATUS_PREFIX "network-service/s1", "{\"oper_status\":\"OperUp\"}", NULL),
	};
	struct sfc_wstats st;
	assert_int_equal(sfc_writer_apply(w, a, 4, &st), 0);
	assert_int_equal(st.puts, 4);
	assert_int_equal(st.deletes, 0);
	assert_int_equal(st.ops, 4 + 3); /* three index entries */
	assert_int_equal(st.txns, 1);
	assert_string_equal(get(f->kv, SFC_INDEX_PREFIX "/vnf-agent/n1/config/vpp/v2/interfaces/a",
				buf, sizeof(buf)),
			    "network-service/s1");
	assert_null(get(f->kv, SFC_INDEX_PREFIX SFC_STATUS_PREFIX "network-service/s1", buf,
			sizeof(buf))); /* own keys are not indexed */
	int64_t rev_b = mod_rev(f->kv, "/vnf-agent/n1/config/vpp/v2/interfaces/b");
	/* The same set again: nothing. */
	assert_int_equal(sfc_writer_apply(w, a, 4, &st), 0);
	assert_int_equal(st.ops, 0);
	assert_int_equal(st.txns, 0);
	/* One value changes, one key goes: exactly those. */
	struct sfc_wkv b[] = {
	    KV("/vnf-agent/n1/config/vpp/v2/interfaces/a", "{\"name\":\"a\",\"mtu\":9000}",
	       "network-service/s1"),
	    KV("/vnf-agent/n1/config/vpp/v2/interfaces/b", "{\"name\":\"b\"}",
	       "network-service/s1"),
	    KV(SFC_STATUS_PREFIX "network-service/s1", "{\"oper_status\":\"OperUp\"}", NULL),
	};
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0);
	assert_int_equal(st.puts, 1);
	assert_int_equal(st.deletes, 1);
	assert_int_equal(st.ops, 3); /* put, delete, index delete */
	assert_int_equal(mod_rev(f->kv, "/vnf-agent/n1/config/vpp/v2/interfaces/b"), rev_b);
	assert_null(get(f->kv, "/vnf-agent/vnf1/config/vpp/v2/interfaces/c", buf, sizeof(buf)));
	assert_null(get(f->kv, SFC_INDEX_PREFIX "/vnf-agent/vnf1/config/vpp/v2/interfaces/c", buf,
			sizeof(buf)));
	/* Owners change: only the index entry is written. */
	b[1].owners = "network-node/n1,network-service/s1";
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0);
	assert_int_equal(st.puts, 0);
	assert_int_equal(st.ops, 1);
	sfc_writer_free(w);

	/* A restart: the same set writes nothing; a smaller one deletes exactly the stale key. */
	w = sfc_writer_open(f->kv, 0, &rc, &e);
	assert_non_null(w);
	assert_int_equal(sfc_writer_count(w), 3);
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0);
	assert_int_equal(st.ops, 0);
	sfc_writer_free(w);
	/* Someone deleted one of our keys while we were down: it is put back. */
	assert_int_equal(
	    cninfra_kv_delete(f->kv, "/vnf-agent/n1/config/vpp/v2/interfaces/b", 0, NULL), 0);
	w = sfc_writer_open(f->kv, 0, &rc, &e);
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0);
	assert_int_equal(st.puts, 1);
	assert_int_equal(st.ops, 1);
	assert_int_equal(sfc_writer_apply(w, &b[2], 1, &st), 0);
	assert_int_equal(st.deletes, 2);
	assert_string_equal(get(f->kv, "/vnf-agent/n1/config/foreign", buf, sizeof(buf)), "x");
	/* What the watch sees: its own writes and foreign keys are not drift. */
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0);
	assert_false(sfc_writer_observe(w, b[0].key, b[0].value, b[0].size));
	assert_false(sfc_writer_observe(w, "/vnf-agent/n1/config/foreign", "y", 1));
	assert_false(sfc_writer_observe(w, "/vnf-agent/vnf1/config/vpp/v2/interfaces/c", NULL, 0));
	assert_true(sfc_writer_observe(w, b[0].key, "{}", 2));
	assert_int_equal(cninfra_kv_put(f->kv, b[0].key, "{}", 2, NULL), 0);
	assert_int_equal(sfc_writer_apply(w, b, 3, &st), 0); /* re-read first: puts it back */
	assert_int_equal(st.puts, 1);
	assert_string_equal(get(f->kv, b[0].key, buf, sizeof(buf)), b[0].value);
	assert_false(sfc_writer_observe(w, b[0].key, b[0].value, b[0].size));
	assert_true(sfc_writer_observe(w, b[0].key, NULL, 0));
	sfc_writer_invalidate(w);
	/* A key given twice is the caller's bug. */
	struct sfc_wkv dup[] = {b[0], b[0]};
	assert_int_equal(sfc_writer_apply(w, dup, 2, &st), -EINVAL);
	sfc_writer_free(w);
	sfc_errors_free(&e);
}

static void
test_chunks_and_clean(void **state)
{
	struct fx *f = *state;
	int rc;
	struct sfc_errors e = {0};
	struct sfc_writer *w = sfc_writer_open(f->kv, 10, &rc, &e);
	assert_non_null(w);
	enum { N = 25 };
	struct sfc_wkv kv[N];
	char keys[N][64];
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "/vnf-agent/n%d/config/k", i);
		kv[i] = (struct sfc_wkv){keys[i], "{}", 2, "network-service/s"};
	}
	struct sfc_wstats st;
	assert_int_equal(sfc_writer_apply(w, kv, N, &st), 0);
	assert_int_equal(st.ops, 2 * N);
	assert_int_equal(st.txns, 5); /* 50 operations, 10 per transaction */
	assert_int_equal(cninfra_kv_put(f->kv, "/vnf-agent/n0/config/foreign", "x", 1, NULL), 0);
	sfc_writer_free(w);
	w = sfc_writer_open(f->kv, 10, &rc, &e);
	assert_int_equal(sfc_writer_count(w), N);
	assert_int_equal(sfc_writer_clean(w, &st), 0);
	assert_int_equal(st.deletes, N);
	assert_int_equal(sfc_writer_count(w), 0);
	struct cninfra_kv_list l = {0};
	assert_int_equal(cninfra_kv_list(f->kv, "", &l), 0);
	assert_int_equal(l.count, 1); /* only the foreign key */
	assert_string_equal(l.pairs[0].key, "/vnf-agent/n0/config/foreign");
	cninfra_kv_list_release(&l);
	sfc_writer_free(w);
	sfc_errors_free(&e);
}

/* Without max_ops the writer's own limits still split: operations and bytes. */
static void
test_limits(void **state)
{
	struct fx *f = *state;
	int rc;
	struct sfc_errors e = {0};
	struct sfc_writer *w = sfc_writer_open(f->kv, 0, &rc, &e);
	assert_non_null(w);
	enum { N = 1100 };
	struct sfc_wkv *kv = calloc(N, sizeof(*kv));
	char(*keys)[64] = calloc(N, 64);
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], 64, "/vnf-agent/n/config/k%04d", i);
		kv[i] = (struct sfc_wkv){keys[i], "{}", 2, "network-service/s"};
	}
	struct sfc_wstats st;
	assert_int_equal(sfc_writer_apply(w, kv, N, &st), 0);
	assert_int_equal(st.ops, 2 * N);
	assert_int_equal(st.txns, 3); /* 2 200 operations, at most 1 024 per transaction */
	/* Three values of 400 KiB: no two in one transaction. */
	size_t big = 400 * 1024;
	char *v = malloc(big);
	memset(v, 'a', big);
	for (int i = 0; i < 3; i++)
		kv[i] = (struct sfc_wkv){keys[i], v, big, "network-service/s"};
	assert_int_equal(sfc_writer_apply(w, kv, 3, &st), 0);
	assert_int_equal(st.puts, 3);
	assert_int_equal(st.deletes, N - 3);
	assert_true(st.txns >= 3);
	assert_int_equal(sfc_writer_apply(w, kv, 3, &st), 0);
	assert_int_equal(st.ops, 0);
	free(v);
	free(keys);
	free(kv);
	sfc_writer_free(w);
	sfc_errors_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chunks_and_clean, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

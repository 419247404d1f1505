/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent northbound: the desired state from the store. The initial list is a full resync; the
 * changes of one watch batch (one loop turn) are one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

/* ---- northbound: the store ---- */

struct agent_item *
agent_item_find(const char *key)
{
	for (size_t k = 0; k < A.n_items; k++)
		if (strcmp(A.items[k].key, key) == 0)
			return &A.items[k];
	return NULL;
}

void
agent_items_clear(void)
{
	for (size_t k = 0; k < A.n_items; k++) {
		free(A.items[k].key);
		free(A.items[k].value);
	}
	A.n_items = 0;
}

static int
item_set(const char *key, const char *v, size_t n)
{
	size_t cs;
	char *c = agent_canonical(key, v, n, &cs);
	if (!c)
		return -ENOMEM;
	struct agent_item *it = agent_item_find(key);
	if (!it) {
		if (A.n_items == A.cap_items) {
			size_t cap = A.cap_items ? A.cap_items * 2 : 32;
			void *p = realloc(A.items, cap * sizeof(*A.items));
			if (!p) {
				free(c);
				return -ENOMEM;
			}
			A.items = p;
			A.cap_items = cap;
		}
		it = &A.items[A.n_items++];
		it->key = strdup(key);
		if (!it->key) {
			A.n_items--;
			free(c);
			return -ENOMEM;
		}
	} else
		free(it->value);
	it->value = c;
	it->size = cs;
	return 0;
}

static void
item_del(const char *key)
{
	struct agent_item *it = agent_item_find(key);
	if (!it)
		return;
	free(it->key);
	free(it->value);
	*it = A.items[--A.n_items];
}

/* Full resync: the whole desired state against what ligd has. */
void
agent_full_resync(const char *why)
{
	struct lig_sched_txn *t = lig_sched_txn_new(A.sched);
	if (!t)
		return;
	for (size_t k = 0; k < A.n_items; k++)
		lig_sched_txn_set(t, A.items[k].key, A.items[k].value, A.items[k].size);
	lig_sched_txn_describe(t, why);
	A.need_resync = false;
	uint64_t seq = 0;
	lig_sched_txn_resync(t, A.api != NULL, &seq);
	agent_log("resync (%s): %zu values, transaction %llu", why, A.n_items,
		  (unsigned long long)seq);
}

void
agent_after_txn(void)
{
	agent_status_after_calls();
	if (A.lost_api)
		agent_api_lost();
}

void
agent_batch_fire(struct cninfra_loop *loop, struct cninfra_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	if (!A.batch)
		return;
	struct lig_sched_txn *txn = A.batch;
	A.batch = NULL;
	if (A.need_resync) {
		lig_sched_txn_free(txn);
		agent_full_resync("ligd connected");
	} else
		lig_sched_txn_commit(txn, NULL);
	agent_after_txn();
}

void
agent_on_datasync(const struct cninfra_datasync_event *ev, void *arg)
{
	(void)arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		agent_items_clear();
		for (size_t k = 0; k < ev->list->count; k++) {
			const struct cninfra_kv_pair *p = &ev->list->pairs[k];
			item_set(p->key, p->value, p->value_size);
		}
		A.synced = true;
		lig_sched_txn_free(A.batch);
		A.batch = NULL;
		agent_full_resync("store (re)listed");
		agent_after_txn();
		return;
	}
	if (!A.synced)
		return;
	if (!A.batch) {
		A.batch = lig_sched_txn_new(A.sched);
		if (!A.batch)
			return;
		lig_sched_txn_describe(A.batch, "store watch");
		cninfra_timer_set(A.batch_timer, 0, 0);
		cninfra_timer_set(A.batch_timer, 1, 0);
	}
	const struct cninfra_kv_event *e = ev->ev;
	if (e->type == CNINFRA_KV_PUT) {
		item_set(e->kv->key, e->kv->value, e->kv->value_size);
		struct agent_item *it = agent_item_find(e->kv->key);
		if (it)
			lig_sched_txn_set(A.batch, it->key, it->value, it->size);
	} else if (e->type == CNINFRA_KV_DELETE) {
		item_del(e->kv->key);
		lig_sched_txn_delete(A.batch, e->kv->key);
	}
}

// SPDX-License-Identifier: Apache-2.0
// Refresh: the scheduler's view of the device replaced by what the descriptors' retrieve reads
// back (values found: available, with their derived values; values not found: MISSING, or gone
// when they were only known from the device). Resync then reconciles the desired state against
// this view, so only the difference is applied.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

void
retrieved_list_free(struct lig_sched_retrieved *rl)
{
	for (size_t i = 0; i < rl->n; i++) {
		if (!rl->correlate) {
			free(rl->v[i].key);
			if (rl->v[i].metadata && rl->desc && rl->desc->d.free_metadata)
				rl->desc->d.free_metadata(rl->desc->d.ctx, rl->v[i].metadata);
		}
		sval_put(rl->v[i].val);
	}
	free(rl->v);
	rl->v = NULL;
	rl->n = rl->cap = 0;
}

static int
retrieved_push(struct lig_sched_retrieved *out, struct kvv kv)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		struct kvv *v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = kv;
	return 0;
}

void
lig_sched_retrieved_add(struct lig_sched_retrieved *out, const char *key, const void *value,
			size_t size, enum lig_sched_origin origin, void *metadata)
{
	if (!out || out->correlate || !key || !*key || (size && !value)) {
		if (out && metadata && out->desc && out->desc->d.free_metadata)
			out->desc->d.free_metadata(out->desc->d.ctx, metadata);
		return;
	}
	struct kvv kv = {.origin = origin, .metadata = metadata};
	kv.key = strdup(key);
	kv.val = sval_new(out->s, desc_for_key(out->s, key), value, size);
	if (!kv.key || !kv.val || retrieved_push(out, kv) < 0) {
		free(kv.key);
		sval_put(kv.val);
		if (metadata && out->desc && out->desc->d.free_metadata)
			out->desc->d.free_metadata(out->desc->d.ctx, metadata);
		out->oom = true;
	}
}

size_t
lig_sched_retrieved_count(const struct lig_sched_retrieved *list)
{
	return list ? list->n : 0;
}

const char *
lig_sched_retrieved_key(const struct lig_sched_retrieved *list, size_t i, const void **value,
			size_t *size, void **metadata)
{
	if (!list || i >= list->n)
		return NULL;
	const struct kvv *kv = &list->v[i];
	if (value)
		*value = kv->val ? kv->val->data : NULL;
	if (size)
		*size = kv->val ? kv->val->size : 0;
	if (metadata)
		*metadata = kv->metadata;
	return kv->key;
}

/* Retrieve order: a descriptor after those named in its retrieve_after. */
static size_t
order_descs(struct lig_sched *s, struct sdesc **out)
{
	size_t n = 0;
	bool *done = calloc(s->n_descs ? s->n_descs : 1, sizeof(*done));
	if (!done) {
		for (size_t i = 0; i < s->n_descs; i++)
			out[i] = s->descs[i];
		return s->n_descs;
	}
	for (bool progress = true; progress && n < s->n_descs;) {
		progress = false;
		for (size_t i = 0; i < s->n_descs; i++) {
			if (done[i])
				continue;
			bool ready = true;
			const char *const *after = s->descs[i]->d.retrieve_after;
			for (size_t a = 0; after && after[a] && ready; a++)
				for (size_t j = 0; j < s->n_descs; j++)
					if (!done[j] && j != i &&
					    strcmp(s->descs[j]->d.name, after[a]) == 0)
						ready = false;
			if (ready) {
				done[i] = true;
				out[n++] = s->descs[i];
				progress = true;
			}
		}
	}
	/* a cycle among retrieve_after: the rest in registration order */
	for (size_t i = 0; i < s->n_descs; i++)
		if (!done[i])
			out[n++] = s->descs[i];
	free(done);
	return n;
}

static void
refresh_found_state(struct node *n, bool nb)
{
	switch (n->state) {
	case LIG_SCHED_NONEXISTENT:
	case LIG_SCHED_REMOVED:
	case LIG_SCHED_OBTAINED:
	case LIG_SCHED_DISCOVERED:
		n->state = nb ? LIG_SCHED_DISCOVERED : LIG_SCHED_OBTAINED;
		break;
	default:
		break;
	}
}

/* One retrieved value: its node becomes available with the value read back, and so do the
 * values derived from it. */
static int
refresh_value(struct lig_sched *s, struct exec *x, struct kvv *kv)
{
	struct node *n = node_get(s, kv->key);
	if (!n)
		return -ENOMEM;
	if (n->derived)
		return 0;
	bool nb;
	if (kv->origin == LIG_SCHED_ORIGIN_NB)
		nb = true;
	else if (kv->origin == LIG_SCHED_ORIGIN_SB)
		nb = n->want != NULL; /* northbound takes over a value it wants */
	else
		nb = n->want || n->nb || history_key_was_nb(s, n->key);
	set_metadata(n, kv->metadata);
	kv->metadata = NULL;
	n->seen_seq = x->seq;
	n->nb = nb;
	refresh_found_state(n, nb);
	/* read back as desired: one shared copy (no stale edges, no second comparison later);
	 * the derived values still come from what was read back */
	struct sval *got = kv->val;
	kv->val = NULL;
	set_have(s, n, sval_equiv(n, n->want, got) ? sval_get(n->want) : sval_get(got));
	set_available(x, s, n, true);
	if (!n->desc || !n->desc->d.derived_values) {
		sval_put(got);
		return 0;
	}
	struct lig_sched_derived dl = {.s = s};
	n->desc->d.derived_values(n->desc->d.ctx, n->key, got->data, got->size, &dl);
	sval_put(got);
	for (size_t i = 0; i < dl.n; i++) {
		struct node *c = node_get(s, dl.v[i].key);
		if (!c || c == n)
			continue;
		if (c->base != n) {
			if (c->derived || c->want || c->have || c->base)
				continue;
			c->derived = true;
			children_add(n, c);
			if (c->base != n)
				continue;
		}
		c->nb = nb;
		c->seen_seq = x->seq;
		refresh_found_state(c, nb);
		struct sval *cv = dl.v[i].val;
		dl.v[i].val = NULL;
		if (sval_equiv(c, c->want, cv)) {
			sval_put(cv);
			cv = sval_get(c->want);
		}
		set_have(s, c, cv);
		set_available(x, s, c, true);
	}
	int rc = dl.oom ? -ENOMEM : 0;
	derived_list_free(&dl);
	return rc;
}

/* A value of a refreshed descriptor that retrieve did not return: not in the device. */
static void
refresh_gone(struct lig_sched *s, struct exec *x, struct node *n)
{
	if (n->have) {
		set_have(s, n, NULL);
		set_metadata(n, NULL);
	}
	set_available(x, s, n, false);
	if (n->state == LIG_SCHED_CONFIGURED) {
		n->state = LIG_SCHED_MISSING;
	} else if (n->state == LIG_SCHED_OBTAINED ||
		   (n->state == LIG_SCHED_DISCOVERED && !n->want)) {
		n->state = LIG_SCHED_NONEXISTENT;
		n->nb = false;
		if (n->derived && !n->want) {
			if (n->base)
				children_del(n->base, n);
			n->derived = false;
		}
	}
	gc_queue(s, n);
}

int
sched_refresh(struct lig_sched *s, struct exec *x, bool first)
{
	struct sdesc **order = malloc((s->n_descs ? s->n_descs : 1) * sizeof(*order));
	if (!order)
		return -ENOMEM;
	size_t nd = order_descs(s, order);
	int rc = 0;
	x->refreshing = true;
	for (size_t k = 0; k < nd && !rc; k++) {
		struct sdesc *d = order[k];
		if (!d->d.retrieve)
			continue;
		/* what the scheduler believes exists: at the first resync the desired values */
		struct lig_sched_retrieved corr = {.s = s, .desc = d, .correlate = true};
		for (size_t j = 0; j < s->n_slots && !rc; j++) {
			struct node *n = s->slots[j];
			if (!n || n->derived || n->desc != d)
				continue;
			struct sval *v = first ? n->want : n->have;
			if (!v || (first && n->mark_seq != x->seq))
				continue;
			struct kvv kv = {.key = n->key,
					 .val = sval_get(v),
					 .origin =
					     n->nb ? LIG_SCHED_ORIGIN_NB : LIG_SCHED_ORIGIN_SB,
					 .metadata = first ? NULL : n->metadata};
			if (retrieved_push(&corr, kv) < 0) {
				sval_put(v);
				rc = -ENOMEM;
			}
		}
		struct lig_sched_retrieved out = {.s = s, .desc = d};
		int rrc = rc ? rc : d->d.retrieve(d->d.ctx, &corr, &out);
		retrieved_list_free(&corr);
		if (rrc || out.oom) {
			/* cannot read this model back: its values keep the scheduler's view */
			retrieved_list_free(&out);
			continue;
		}
		d->refreshed_seq = x->seq;
		for (size_t i = 0; i < out.n && !rc; i++) {
			struct kvv *kv = &out.v[i];
			if (desc_for_key(s, kv->key) != d)
				continue;
			rc = refresh_value(s, x, kv);
		}
		retrieved_list_free(&out);
	}
	free(order);
	for (size_t j = 0; j < s->n_slots && !rc; j++) {
		struct node *n = s->slots[j];
		if (!n || n->seen_seq == x->seq)
			continue;
		bool refreshed;
		if (n->derived)
			refreshed =
			    n->base && n->base->desc && n->base->desc->refreshed_seq == x->seq;
		else
			refreshed = n->desc && n->desc->refreshed_seq == x->seq;
		if (refreshed)
			refresh_gone(s, x, n);
	}
	x->refreshing = false;
	return rc;
}

static int
retrieve_view_one(struct lig_sched *s, struct sdesc *d,
		  int (*fn)(void *ctx, const char *key, const void *value, size_t size,
			    enum lig_sched_origin origin),
		  void *ctx)
{
	struct lig_sched_retrieved corr = {.s = s, .desc = d, .correlate = true};
	for (size_t j = 0; j < s->n_slots; j++) {
		struct node *n = s->slots[j];
		if (!n || n->derived || n->desc != d || !n->have)
			continue;
		struct kvv kv = {.key = n->key,
				 .val = sval_get(n->have),
				 .origin = n->nb ? LIG_SCHED_ORIGIN_NB : LIG_SCHED_ORIGIN_SB,
				 .metadata = n->metadata};
		if (retrieved_push(&corr, kv) < 0) {
			sval_put(kv.val);
			retrieved_list_free(&corr);
			return -ENOMEM;
		}
	}
	struct lig_sched_retrieved out = {.s = s, .desc = d};
	int rc = d->d.retrieve(d->d.ctx, &corr, &out);
	retrieved_list_free(&corr);
	if (!rc && out.oom)
		rc = -ENOMEM;
	for (size_t i = 0; i < out.n && !rc; i++)
		rc = fn(ctx, out.v[i].key, out.v[i].val->data, out.v[i].val->size, out.v[i].origin);
	retrieved_list_free(&out);
	return rc;
}

int
lig_sched_retrieve_view(struct lig_sched *s, const char *descriptor,
			int (*fn)(void *ctx, const char *key, const void *value, size_t size,
				  enum lig_sched_origin origin),
			void *ctx)
{
	if (!s || !fn)
		return -EINVAL;
	if (s->busy)
		return -EBUSY;
	bool found = false;
	int rc = 0;
	s->busy = true; /* descriptors' callbacks must not start transactions meanwhile */
	for (size_t i = 0; i < s->n_descs && !rc; i++) {
		struct sdesc *d = s->descs[i];
		if (descriptor && strcmp(d->d.name, descriptor) != 0)
			continue;
		found = true;
		if (!d->d.retrieve) {
			if (descriptor)
				rc = -EOPNOTSUPP;
			continue;
		}
		rc = retrieve_view_one(s, d, fn, ctx);
	}
	s->busy = false;
	if (!found)
		return -ENOENT;
	return rc;
}

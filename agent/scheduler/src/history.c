// SPDX-License-Identifier: Apache-2.0
// Transaction history: every transaction's record (trigger, times, operations with the values
// before and after rendered as text, errors, durations) in a ring bounded by count and bytes;
// queries by sequence number, time range and key (the key's timeline), and a text rendering.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

#define DEFAULT_HISTORY_TXNS 1024
#define DEFAULT_HISTORY_BYTES (64u << 20)
#define CHUNK_SIZE (16u << 10)

struct rec *
rec_new(void)
{
	return calloc(1, sizeof(struct rec));
}

void
rec_free(struct rec *r)
{
	if (!r)
		return;
	while (r->arena) {
		struct arena_chunk *c = r->arena;
		r->arena = c->next;
		free(c);
	}
	free(r->ops);
	free(r->dropped);
	free(r);
}

char *
rec_strdup(struct rec *r, const char *str, size_t len)
{
	struct arena_chunk *c = r->arena;
	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = r->arena;
		r->arena = c;
		r->bytes += sizeof(*c) + cap;
	}
	char *p = c->data + c->used;
	memcpy(p, str, len);
	p[len] = 0;
	c->used += len + 1;
	return p;
}

struct lig_sched_op_record *
rec_op(struct rec *r, size_t *idx)
{
	if (r->n_ops == r->cap_ops) {
		size_t cap = r->cap_ops ? r->cap_ops * 2 : 16;
		struct lig_sched_op_record *ops = realloc(r->ops, cap * sizeof(*ops));
		if (!ops)
			return NULL;
		r->ops = ops;
		uint8_t *dropped = realloc(r->dropped, cap);
		if (!dropped)
			return NULL;
		r->dropped = dropped;
		r->bytes += (cap - r->cap_ops) * (sizeof(*ops) + 1);
		r->cap_ops = cap;
	}
	*idx = r->n_ops;
	r->dropped[r->n_ops] = 0;
	struct lig_sched_op_record *op = &r->ops[r->n_ops++];
	memset(op, 0, sizeof(*op));
	r->pub.ops = r->ops;
	return op;
}

int
history_init(struct lig_sched *s)
{
	if (!s->cfg.history_max_txns)
		s->cfg.history_max_txns = DEFAULT_HISTORY_TXNS;
	if (!s->cfg.history_max_bytes)
		s->cfg.history_max_bytes = DEFAULT_HISTORY_BYTES;
	s->ring_cap = s->cfg.history_max_txns;
	s->ring = calloc(s->ring_cap, sizeof(*s->ring));
	return s->ring ? 0 : -ENOMEM;
}

static struct rec *
ring_at(const struct lig_sched *s, size_t i)
{
	return s->ring[(s->ring_head + i) % s->ring_cap];
}

static void
ring_drop_oldest(struct lig_sched *s)
{
	struct rec *r = s->ring[s->ring_head];
	s->ring[s->ring_head] = NULL;
	s->ring_head = (s->ring_head + 1) % s->ring_cap;
	s->ring_n--;
	s->ring_bytes -= r->bytes;
	rec_free(r);
}

void
history_push(struct lig_sched *s, struct rec *r)
{
	r->bytes += sizeof(*r);
	while (s->ring_n &&
	       (s->ring_n == s->ring_cap || s->ring_bytes + r->bytes > s->cfg.history_max_bytes))
		ring_drop_oldest(s);
	s->ring[(s->ring_head + s->ring_n) % s->ring_cap] = r;
	s->ring_n++;
	s->ring_bytes += r->bytes;
}

void
history_free(struct lig_sched *s)
{
	if (!s->ring)
		return;
	while (s->ring_n)
		ring_drop_oldest(s);
	free(s->ring);
	s->ring = NULL;
	free(s->hist_keys);
	s->hist_keys = NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when a recorded operation touched key: the agent managed it before. The keys of the ring
 * are indexed once per refresh (s->hist_keys_seq), so each lookup is a binary search. */
bool
history_key_was_nb(struct lig_sched *s, const char *key)
{
	uint64_t seq = s->x ? s->x->seq : 0;
	if (!s->hist_keys || s->hist_keys_seq != seq) {
		free(s->hist_keys);
		s->hist_keys = NULL;
		s->n_hist_keys = 0;
		size_t total = 0;
		for (size_t i = 0; i < s->ring_n; i++)
			total += ring_at(s, i)->n_ops;
		s->hist_keys = malloc((total ? total : 1) * sizeof(*s->hist_keys));
		if (!s->hist_keys)
			return false;
		for (size_t i = 0; i < s->ring_n; i++) {
			const struct rec *r = ring_at(s, i);
			for (size_t k = 0; k < r->n_ops; k++)
				if (r->ops[k].key)
					s->hist_keys[s->n_hist_keys++] = r->ops[k].key;
		}
		qsort(s->hist_keys, s->n_hist_keys, sizeof(*s->hist_keys), cmp_str);
		s->hist_keys_seq = seq;
	}
	return bsearch(&key, s->hist_keys, s->n_hist_keys, sizeof(*s->hist_keys), cmp_str) != NULL;
}

const struct lig_sched_txn_record *
lig_sched_history_get(struct lig_sched *s, uint64_t seq)
{
	if (!s || !s->ring_n)
		return NULL;
	uint64_t first = ring_at(s, 0)->pub.seq;
	if (seq < first || seq - first >= s->ring_n)
		return NULL;
	const struct rec *r = ring_at(s, (size_t)(seq - first));
	return r->pub.seq == seq ? &r->pub : NULL;
}

int
lig_sched_history_foreach(struct lig_sched *s, uint64_t since_ns, uint64_t until_ns,
			  int (*fn)(void *ctx, const struct lig_sched_txn_record *r), void *ctx)
{
	if (!s || !fn)
		return -EINVAL;
	for (size_t i = 0; i < s->ring_n; i++) {
		const struct rec *r = ring_at(s, i);
		if (since_ns && r->pub.start_ns < since_ns)
			continue;
		if (until_ns && r->pub.start_ns > until_ns)
			continue;
		int rc = fn(ctx, &r->pub);
		if (rc)
			return rc;
	}
	return 0;
}

int
lig_sched_key_timeline(struct lig_sched *s, const char *key,
		       int (*fn)(void *ctx, const struct lig_sched_txn_record *r,
				 const struct lig_sched_op_record *op),
		       void *ctx)
{
	if (!s || !key || !fn)
		return -EINVAL;
	for (size_t i = 0; i < s->ring_n; i++) {
		const struct rec *r = ring_at(s, i);
		for (size_t k = 0; k < r->n_ops; k++) {
			if (!r->ops[k].key || strcmp(r->ops[k].key, key) != 0)
				continue;
			int rc = fn(ctx, &r->pub, &r->ops[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static void
print_flags(unsigned flags, FILE *out)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {LIG_SCHED_OPF_NOOP, "noop"},
	    {LIG_SCHED_OPF_DERIVED, "derived"},
	    {LIG_SCHED_OPF_PROPERTY, "property"},
	    {LIG_SCHED_OPF_RETRY, "retry"},
	    {LIG_SCHED_OPF_DEPENDENCY, "dependency"},
	};
	bool any = false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		fprintf(out, "%s%s", any ? "," : " [", names[i].name);
		any = true;
	}
	if (any)
		fputc(']', out);
}

int
lig_sched_txn_print(const struct lig_sched_txn_record *r, FILE *out)
{
	if (!r || !out)
		return -EINVAL;
	fprintf(out, "txn #%llu %s", (unsigned long long)r->seq,
		lig_sched_trigger_name(r->trigger));
	if (r->trigger == LIG_SCHED_TRIGGER_RETRY)
		fprintf(out, " (for txn #%llu, attempt %u)", (unsigned long long)r->retry_for_seq,
			r->retry_attempt);
	fprintf(out, ": %zu values, %zu operations, %zu errors, %.3f ms", r->n_values, r->n_ops,
		r->errors,
		r->end_ns >= r->start_ns ? (double)(r->end_ns - r->start_ns) / 1e6 : 0.0);
	if (r->description)
		fprintf(out, " (%s)", r->description);
	fputc('\n', out);
	for (size_t i = 0; i < r->n_ops; i++) {
		const struct lig_sched_op_record *op = &r->ops[i];
		fprintf(out, "  %zu. %s %s%s", i + 1, lig_sched_op_name(op->op), op->key, "");
		print_flags(op->flags, out);
		fprintf(out, ": %s -> %s", lig_sched_state_name(op->prev_state),
			lig_sched_state_name(op->new_state));
		if (op->prev_value)
			fprintf(out, "; was %s", op->prev_value);
		if (op->new_value && op->op != LIG_SCHED_OP_DELETE)
			fprintf(out, "; value %s", op->new_value);
		if (op->error)
			fprintf(out, "; error: %s", op->error);
		if (op->duration_ns)
			fprintf(out, " (%.3f ms)", (double)op->duration_ns / 1e6);
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

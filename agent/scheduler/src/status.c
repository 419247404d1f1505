// SPDX-License-Identifier: Apache-2.0
// Read-only views of the scheduler: per-key status with its reasons (missing dependencies,
// invalid fields, dependency cycles, errors), iteration over all values, value rendering, state
// counts and the graph as Graphviz dot.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

int
sched_render(struct lig_sched *s, const struct sdesc *d, const char *key, const void *value,
	     size_t size, char *buf, size_t buf_size)
{
	(void)s;
	if (d && d->d.format)
		return d->d.format(d->d.ctx, key, value, size, buf, buf_size);
	const unsigned char *p = value;
	bool text = true;
	size_t len = size;
	if (len && p[len - 1] == 0)
		len--; /* a NUL-terminated string */
	for (size_t i = 0; i < len && text; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			text = false;
	if (text) {
		size_t w = buf_size && len >= buf_size ? buf_size - 1 : len;
		if (buf_size) {
			memcpy(buf, p, w);
			buf[w] = 0;
		}
		return (int)len;
	}
	size_t w = 0, max = buf_size ? buf_size - 1 : 0;
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < size && w + 2 <= max && i < 64; i++) {
		buf[w++] = hex[p[i] >> 4];
		buf[w++] = hex[p[i] & 15];
	}
	if (buf_size)
		buf[w < buf_size ? w : buf_size - 1] = 0;
	if (size > 64 && w + 32 < max)
		w += (size_t)snprintf(buf + w, buf_size - w, "... (%zu bytes)", size);
	return (int)w;
}

int
lig_sched_format_value(struct lig_sched *s, const char *key, const void *value, size_t size,
		       char *buf, size_t buf_size)
{
	if (!s || !key || !buf || !buf_size)
		return -EINVAL;
	return sched_render(s, desc_for_key(s, key), key, value, size, buf, buf_size);
}

enum lig_sched_state
lig_sched_state(struct lig_sched *s, const char *key)
{
	struct node *n = s && key ? node_lookup(s, key) : NULL;
	return n ? (enum lig_sched_state)n->state : LIG_SCHED_NONEXISTENT;
}

void *
lig_sched_metadata(struct lig_sched *s, const char *key)
{
	struct node *n = s && key ? node_lookup(s, key) : NULL;
	return n && n->have ? n->metadata : NULL;
}

/* Builds the status in one allocation: the struct, then the detail pointers, then strings. */
struct strbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

/* Appends the concatenation of up to four strings (NULL: none) with a NUL; returns its offset. */
static size_t
sb_add(struct strbuf *b, const char *p0, const char *p1, const char *p2, const char *p3)
{
	const char *parts[4] = {p0, p1, p2, p3};
	size_t len[4], total = 0;
	for (int i = 0; i < 4; i++)
		total += len[i] = parts[i] ? strlen(parts[i]) : 0;
	size_t off = b->n, need = b->n + total + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < need)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return 0;
		}
		b->p = p;
		b->cap = cap;
	}
	for (int i = 0; i < 4; i++) {
		if (len[i])
			memcpy(b->p + b->n, parts[i], len[i]);
		b->n += len[i];
	}
	b->p[b->n++] = 0;
	return off;
}

struct lig_sched_status *
lig_sched_status_get(struct lig_sched *s, const char *key)
{
	if (!s || !key) {
		errno = EINVAL;
		return NULL;
	}
	struct node *n = node_lookup(s, key);
	struct strbuf b = {0};
	size_t off_key = sb_add(&b, key, NULL, NULL, NULL);
	size_t off_err = SIZE_MAX, off_base = SIZE_MAX, off_desc = SIZE_MAX;
	size_t nd = 0;
	size_t *doff = NULL;
	if (n) {
		if (n->error)
			off_err = sb_add(&b, n->error, NULL, NULL, NULL);
		if (n->base)
			off_base = sb_add(&b, n->base->key, NULL, NULL, NULL);
		if (n->desc)
			off_desc = sb_add(&b, n->desc->d.name, NULL, NULL, NULL);
		size_t max = n->n_deps + n->n_fields + 2;
		doff = malloc(max * sizeof(*doff));
		if (!doff) {
			free(b.p);
			errno = ENOMEM;
			return NULL;
		}
		if (n->state == LIG_SCHED_INVALID) {
			for (uint32_t i = 0; i < n->n_fields; i++)
				doff[nd++] = sb_add(&b, n->fields[i], NULL, NULL, NULL);
		} else if (n->state == LIG_SCHED_PENDING) {
			if (n->cycle)
				doff[nd++] = sb_add(&b, n->cycle, NULL, NULL, NULL);
			if (n->derived && n->base && !n->base->available)
				doff[nd++] = sb_add(&b, "base (", n->base->key, ")", NULL);
			for (uint32_t i = 0; i < n->n_deps; i++) {
				const struct dep *d = &n->deps[i];
				if (dep_satisfied(d))
					continue;
				if (d->key && strcmp(d->label, d->key) == 0)
					doff[nd++] = sb_add(&b, d->key, NULL, NULL, NULL);
				else if (d->key)
					doff[nd++] = sb_add(&b, d->label, " (", d->key, ")");
				else
					doff[nd++] = sb_add(&b, d->label, NULL, NULL, NULL);
			}
		}
	}
	if (b.oom) {
		free(b.p);
		free(doff);
		errno = ENOMEM;
		return NULL;
	}
	size_t head = sizeof(struct lig_sched_status) + nd * sizeof(char *);
	struct lig_sched_status *st = malloc(head + b.n);
	if (!st) {
		free(b.p);
		free(doff);
		errno = ENOMEM;
		return NULL;
	}
	memset(st, 0, sizeof(*st));
	char *strs = (char *)st + head;
	memcpy(strs, b.p, b.n);
	const char **details = (const char **)(st + 1);
	for (size_t i = 0; i < nd; i++)
		details[i] = strs + doff[i];
	st->key = strs + off_key;
	st->details = details;
	st->n_details = nd;
	if (n) {
		st->state = n->state;
		st->last_op = n->last_op;
		st->error = off_err != SIZE_MAX ? strs + off_err : NULL;
		st->derived = n->derived;
		st->base_key = off_base != SIZE_MAX ? strs + off_base : NULL;
		st->descriptor = off_desc != SIZE_MAX ? strs + off_desc : NULL;
		st->last_update_seq = n->last_update_seq;
		if (n->state == LIG_SCHED_RETRYING) {
			uint64_t now = sched_mono(s);
			st->retry_attempt = n->retry_attempt;
			st->retry_in_ns = n->retry_due > now ? n->retry_due - now : 0;
		}
	}
	free(b.p);
	free(doff);
	return st;
}

void
lig_sched_status_free(struct lig_sched_status *st)
{
	free(st);
}

int
lig_sched_foreach(struct lig_sched *s, int (*fn)(void *ctx, const struct lig_sched_value_view *v),
		  void *ctx)
{
	if (!s || !fn)
		return -EINVAL;
	for (size_t j = 0; j < s->n_slots; j++) {
		struct node *n = s->slots[j];
		if (!n || (!n->want && !n->have && n->state == LIG_SCHED_NONEXISTENT))
			continue;
		struct lig_sched_value_view v = {
		    .key = n->key,
		    .state = n->state,
		    .derived = n->derived,
		    .base_key = n->base ? n->base->key : NULL,
		    .descriptor = n->desc ? n->desc->d.name : NULL,
		    .desired = n->want ? n->want->data : NULL,
		    .desired_size = n->want ? n->want->size : 0,
		    .has_desired = n->want != NULL,
		    .applied = n->have ? n->have->data : NULL,
		    .applied_size = n->have ? n->have->size : 0,
		    .has_applied = n->have != NULL,
		    .error = n->error,
		};
		int rc = fn(ctx, &v);
		if (rc)
			return rc;
	}
	return 0;
}

void
lig_sched_count_states(struct lig_sched *s, size_t *counts)
{
	if (!s || !counts)
		return;
	memset(counts, 0, LIG_SCHED_N_STATES * sizeof(*counts));
	for (size_t j = 0; j < s->n_slots; j++) {
		struct node *n = s->slots[j];
		if (n && (n->want || n->have || n->state != LIG_SCHED_NONEXISTENT))
			counts[n->state]++;
	}
}

/* ---- Graphviz ---- */

static void
dot_id(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

struct dot_style {
	const char *fill, *font;
	bool dashed;
};

static struct dot_style
state_style(enum lig_sched_state st)
{
	switch (st) {
	case LIG_SCHED_NONEXISTENT:
	case LIG_SCHED_REMOVED:
		return (struct dot_style){"Black", "White", st == LIG_SCHED_REMOVED};
	case LIG_SCHED_MISSING:
		return (struct dot_style){"Dimgray", NULL, true};
	case LIG_SCHED_UNIMPLEMENTED:
		return (struct dot_style){"Darkkhaki", NULL, true};
	case LIG_SCHED_OBTAINED:
		return (struct dot_style){"LightCyan", NULL, false};
	case LIG_SCHED_DISCOVERED:
		return (struct dot_style){"Lime", NULL, false};
	case LIG_SCHED_PENDING:
		return (struct dot_style){"Pink", NULL, true};
	case LIG_SCHED_INVALID:
		return (struct dot_style){"Maroon", "White", false};
	case LIG_SCHED_FAILED:
		return (struct dot_style){"Orangered", NULL, false};
	case LIG_SCHED_RETRYING:
		return (struct dot_style){"Deeppink", NULL, false};
	default:
		return (struct dot_style){"PaleGreen", NULL, false};
	}
}

static void
dot_node(struct lig_sched *s, FILE *out, const struct node *n)
{
	struct dot_style st = state_style(n->state);
	if (n->derived && (n->state == LIG_SCHED_CONFIGURED || n->state == LIG_SCHED_OBTAINED ||
			   n->state == LIG_SCHED_DISCOVERED))
		st.fill = "LightYellow";
	fputs("    ", out);
	dot_id(out, n->key);
	fputs(" [label=", out);
	char label[4096];
	snprintf(label, sizeof(label), "%s\n%s", n->key, lig_sched_state_name(n->state));
	dot_id(out, label);
	fprintf(out, " fillcolor=\"%s\" style=\"filled%s%s\"", st.fill,
		n->derived ? ",rounded" : "", st.dashed ? ",dashed" : "");
	if (st.font)
		fprintf(out, " fontcolor=\"%s\"", st.font);
	const struct sval *v = n->want ? n->want : n->have;
	char tip[1024];
	int len = v ? sched_render(s, n->desc, n->key, v->data, v->size, tip, sizeof(tip)) : 0;
	if (len > 0) {
		fputs(" tooltip=", out);
		dot_id(out, tip);
	}
	fputs("];\n", out);
}

static bool
dot_visible(const struct node *n)
{
	return n->want || n->have || n->state != LIG_SCHED_NONEXISTENT || n->dependents;
}

int
lig_sched_dot(struct lig_sched *s, FILE *out)
{
	if (!s || !out)
		return -EINVAL;
	fputs("digraph kvscheduler {\n  ranksep=1.1;\n  rankdir=LR;\n"
	      "  node [shape=box fontname=\"Courier\" fontsize=9 penwidth=1];\n",
	      out);
	/* one cluster per descriptor, then values without descriptor */
	for (size_t k = 0; k <= s->n_descs; k++) {
		const struct sdesc *d = k < s->n_descs ? s->descs[k] : NULL;
		bool open = false;
		for (size_t j = 0; j < s->n_slots; j++) {
			const struct node *n = s->slots[j];
			if (!n || n->desc != d || !dot_visible(n))
				continue;
			if (!open && d) {
				fprintf(out, "  subgraph \"cluster_%s\" {\n    label=", d->d.name);
				dot_id(out, d->d.name);
				fputs(";\n    style=filled;\n    fillcolor=\"#e6ecfa\";\n", out);
			}
			open = true;
			dot_node(s, out, n);
		}
		if (open && d)
			fputs("  }\n", out);
	}
	size_t anyof = 0;
	for (size_t j = 0; j < s->n_slots; j++) {
		const struct node *n = s->slots[j];
		if (!n)
			continue;
		for (uint32_t i = 0; i < n->n_children; i++) {
			fputs("  ", out);
			dot_id(out, n->key);
			fputs(" -> ", out);
			dot_id(out, n->children[i]->key);
			fputs(" [color=\"bisque4\" arrowhead=\"invempty\"];\n", out);
		}
		for (uint32_t i = 0; i < n->n_deps; i++) {
			const struct dep *d = &n->deps[i];
			bool ok = dep_satisfied(d);
			if (!d->key) {
				char id[64];
				snprintf(id, sizeof(id), "anyof-%zu", anyof++);
				fprintf(out, "  \"%s\" [label=", id);
				dot_id(out, d->label);
				fputs(" shape=ellipse];\n  ", out);
				dot_id(out, n->key);
				fprintf(out, " -> \"%s\"", id);
			} else {
				fputs("  ", out);
				dot_id(out, n->key);
				fputs(" -> ", out);
				dot_id(out, d->key);
			}
			fputs(" [tooltip=", out);
			dot_id(out, d->label);
			fputs(ok ? "];\n" : " color=\"Red\"];\n", out);
		}
	}
	fputs("}\n", out);
	return ferror(out) ? -EIO : 0;
}

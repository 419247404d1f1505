/* SPDX-License-Identifier: Apache-2.0 */
/* Snapshots (ligapi_snapshot.h): step registry, interface name maps, canonical text. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interface/api.h"
#include "ligapi_snapshot.h"

#define LIG_SNAP_MAX_IF 4096

static struct lig_snap_step *lig_snap_steps;

void
lig_snap_register(struct lig_snap_step *st)
{
	struct lig_snap_step **pp = &lig_snap_steps;

	while (*pp && ((*pp)->order < st->order ||
		       ((*pp)->order == st->order && strcmp((*pp)->name, st->name) < 0)))
		pp = &(*pp)->next;
	st->next = *pp;
	*pp = st;
}

struct lig_snap_names {
	bool loaded;
	char name[LIG_SNAP_MAX_IF][64];
};

struct lig_snap_priv {
	struct lig_snap_names from, to;
	char **lines;
	size_t n_lines, cap_lines;
};

int
lig_snap_fail(struct lig_snap *s, int rv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return rv;
}

static bool
lig_snap_names_cb(void *ctx, const void *details, u32 size)
{
	struct lig_snap_names *n = ctx;
	lig_api_sw_interface_dump_details_t d;

	if (size != sizeof(d))
		return true;
	memcpy(&d, details, sizeof(d));
	if (d.sw_if_index < LIG_SNAP_MAX_IF)
		snprintf(n->name[d.sw_if_index], sizeof(n->name[0]), "%s", d.name);
	return true;
}

static void
lig_snap_names_load(struct lig_api_client *c, struct lig_snap_names *n)
{
	lig_api_sw_interface_dump_t req = {0};

	if (n->loaded)
		return;
	memset(n->name, 0, sizeof(n->name));
	LIG_API_CLIENT_DUMP(c, sw_interface_dump, &req, lig_snap_names_cb, n);
	n->loaded = true;
}

void
lig_snap_if_refresh(struct lig_snap *s)
{
	struct lig_snap_priv *p = s->priv;

	p->to.loaded = false; /* s->from does not change while we read it */
}

const char *
lig_snap_if_name(struct lig_snap *s, u32 sw_if_index)
{
	struct lig_snap_priv *p = s->priv;

	if (sw_if_index >= LIG_SNAP_MAX_IF)
		return NULL;
	lig_snap_names_load(s->from, &p->from);
	return p->from.name[sw_if_index][0] ? p->from.name[sw_if_index] : NULL;
}

u32
lig_snap_if_to(struct lig_snap *s, u32 from_sw_if_index)
{
	struct lig_snap_priv *p = s->priv;
	const char *name = lig_snap_if_name(s, from_sw_if_index);

	if (!name)
		return ~0u;
	for (int pass = 0; pass < 2; pass++) {
		lig_snap_names_load(s->to, &p->to);
		for (u32 i = 1; i < LIG_SNAP_MAX_IF; i++)
			if (strcmp(p->to.name[i], name) == 0)
				return i;
		p->to.loaded = false; /* created since we looked: once more */
	}
	return ~0u;
}

static const char *
lig_snap_json_name(void *ctx, u32 sw_if_index)
{
	return lig_snap_if_name(ctx, sw_if_index);
}

int
lig_snap_json(struct lig_snap *s, const char *prefix, u16 msg_id, const void *details, u32 size)
{
	struct lig_snap_priv *p = s->priv;
	struct lig_api_json_opts o = {.if_name = lig_snap_json_name, .ctx = s, .skip_state = true};
	char *j = lig_api_to_json_opts(msg_id, LIG_API_F_DETAILS, details, size, &o);
	char *line = NULL;

	if (!j || asprintf(&line, "%s %s", prefix, j) < 0) {
		free(j);
		return -ENOMEM;
	}
	free(j);
	if (p->n_lines == p->cap_lines) {
		size_t cap = p->cap_lines ? p->cap_lines * 2 : 256;
		char **nl = realloc(p->lines, cap * sizeof(*nl));
		if (!nl) {
			free(line);
			return -ENOMEM;
		}
		p->lines = nl;
		p->cap_lines = cap;
	}
	p->lines[p->n_lines++] = line;
	return 0;
}

static int
lig_snap_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
lig_snap_free(struct lig_snap *s)
{
	struct lig_snap_priv *p = s->priv;

	for (size_t i = 0; p && i < p->n_lines; i++)
		free(p->lines[i]);
	if (p)
		free(p->lines);
	free(p);
}

int
lig_snapshot_copy(struct lig_api_client *from, struct lig_api_client *to, char *err,
		  size_t err_size)
{
	struct lig_snap s = {
	    .from = from, .to = to, .priv = calloc(1, sizeof(struct lig_snap_priv))};
	int rv = s.priv ? 0 : -ENOMEM;

	/* Loaded before any step: steps look names up while they read a dump of s->from,
	 * when that connection cannot answer another request. */
	if (rv == 0)
		lig_snap_names_load(from, &((struct lig_snap_priv *)s.priv)->from);
	for (struct lig_snap_step *st = lig_snap_steps; st && rv == 0; st = st->next) {
		if (!st->copy)
			continue;
		rv = st->copy(&s);
		if (rv < 0)
			snprintf(err, err_size, "%s: %s", st->name, s.err);
		lig_snap_if_refresh(&s);
	}
	lig_snap_free(&s);
	return rv;
}

char *
lig_snapshot_text(struct lig_api_client *c, char *err, size_t err_size)
{
	struct lig_snap s = {.from = c, .priv = calloc(1, sizeof(struct lig_snap_priv))};
	struct lig_snap_priv *p = s.priv;
	int rv = p ? 0 : -ENOMEM;
	char *out = NULL;
	size_t len = 0;

	if (p)
		lig_snap_names_load(c, &p->from);
	for (struct lig_snap_step *st = lig_snap_steps; st && rv == 0; st = st->next) {
		if (!st->text)
			continue;
		rv = st->text(&s);
		if (rv < 0)
			snprintf(err, err_size, "%s: %s", st->name, s.err);
	}
	if (rv == 0) {
		qsort(p->lines, p->n_lines, sizeof(*p->lines), lig_snap_cmp);
		for (size_t i = 0; i < p->n_lines; i++)
			len += strlen(p->lines[i]) + 1;
		out = malloc(len + 1);
		if (out) {
			char *w = out;
			for (size_t i = 0; i < p->n_lines; i++)
				w += sprintf(w, "%s\n", p->lines[i]);
			*w = 0;
		}
	}
	lig_snap_free(&s);
	return out;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The YAML and JSON front ends of the sfc model parser: libyaml's event stream or a jansson
 * tree into one small document tree (sfc_tree.h) that keeps lines and quoting. Limits: a
 * document of at most SFC_DOC_MAX bytes, SFC_OBJECTS_MAX nodes, SFC_DEPTH_MAX levels, scalars
 * of at most 64 KiB; anchors, aliases, tags other than the core schema's, non-scalar and
 * duplicate keys, and more than one document are refused. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "sfc_tree.h"

#define SCALAR_MAX (64 * 1024)

void
sfc_tnode_free(struct sfc_tnode *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		if (t->keys)
			free(t->keys[i]);
		sfc_tnode_free(t->kids[i]);
	}
	free(t->keys);
	free(t->kids);
	free(t->str);
	free(t);
}

const struct sfc_tnode *
sfc_tnode_get(const struct sfc_tnode *map, const char *key)
{
	if (!map || map->kind != SFC_T_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->kids[i];
	return NULL;
}

static struct sfc_tnode *
tnode_new(struct sfc_tbuild *b, enum sfc_tnode_kind kind, uint32_t line)
{
	if (++b->nodes > SFC_OBJECTS_MAX)
		return NULL;
	struct sfc_tnode *t = calloc(1, sizeof(*t));
	if (t) {
		t->kind = kind;
		t->line = line;
	}
	return t;
}

/* Appends kid (and key for a map); on failure kid is freed. */
static int
tnode_add(struct sfc_tnode *t, char *key, struct sfc_tnode *kid)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		struct sfc_tnode **k = realloc(t->kids, cap * sizeof(*k));
		if (!k)
			goto fail;
		t->kids = k;
		if (t->kind == SFC_T_MAP) {
			char **ks = realloc(t->keys, cap * sizeof(*ks));
			if (!ks)
				goto fail;
			t->keys = ks;
		}
		t->cap = cap;
	}
	if (t->kind == SFC_T_MAP)
		t->keys[t->n] = key;
	t->kids[t->n++] = kid;
	return 0;
fail:
	free(key);
	sfc_tnode_free(kid);
	return -ENOMEM;
}

/* ---- YAML ---- */

struct ystate {
	yaml_parser_t p;
	struct sfc_tbuild b;
	struct sfc_errors *err;
	const char *name;
	bool failed;
};

static void
yfail(struct ystate *y, size_t line0, const char *what)
{
	if (y->failed)
		return;
	y->failed = true;
	sfc_errors_add(y->err, "%s: line %zu: %s", y->name, line0 + 1, what);
}

static bool
ynext(struct ystate *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->p, ev))
		return true;
	if (!y->failed) {
		char what[256];
		snprintf(what, sizeof(what), "%s%s%s",
			 y->p.problem ? y->p.problem : "malformed YAML", y->p.context ? " " : "",
			 y->p.context ? y->p.context : "");
		yfail(y, y->p.problem_mark.line, what);
	}
	return false;
}

static bool
is_null_plain(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 &&
		(!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static struct sfc_tnode *yparse(struct ystate *y, yaml_event_t *ev, int depth);

static struct sfc_tnode *
yscalar(struct ystate *y, yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t line = ev->start_mark.line;
	bool quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (tag && strcmp(tag, "!") != 0) {
		if (!strcmp(tag, "tag:yaml.org,2002:str"))
			quoted = true;
		else if (strcmp(tag, "tag:yaml.org,2002:int") != 0 &&
			 strcmp(tag, "tag:yaml.org,2002:bool") != 0 &&
			 strcmp(tag, "tag:yaml.org,2002:null") != 0) {
			yfail(y, line,
			      "tags other than !!str, !!int, !!bool and !!null are not "
			      "supported");
			return NULL;
		}
	}
	if (n > SCALAR_MAX) {
		yfail(y, line, "scalar longer than 64 KiB");
		return NULL;
	}
	if (memchr(s, 0, n)) {
		yfail(y, line, "scalar contains a NUL character");
		return NULL;
	}
	bool null = !quoted && is_null_plain(s, n);
	struct sfc_tnode *t = tnode_new(&y->b, null ? SFC_T_NULL : SFC_T_SCALAR, line + 1);
	if (!t) {
		yfail(y, line, "too many nodes or out of memory");
		return NULL;
	}
	if (!null) {
		t->str = malloc(n + 1);
		if (!t->str) {
			free(t);
			yfail(y, line, "out of memory");
			return NULL;
		}
		memcpy(t->str, s, n);
		t->str[n] = 0;
		t->len = n;
		t->quoted = quoted;
	}
	return t;
}

static struct sfc_tnode *
ycollection(struct ystate *y, yaml_event_t *start, int depth, bool map)
{
	size_t line = start->start_mark.line;
	if (depth >= SFC_DEPTH_MAX) {
		yfail(y, line, "nested too deep");
		return NULL;
	}
	struct sfc_tnode *t = tnode_new(&y->b, map ? SFC_T_MAP : SFC_T_SEQ, line + 1);
	if (!t) {
		yfail(y, line, "too many nodes or out of memory");
		return NULL;
	}
	for (;;) {
		yaml_event_t ev;
		if (!ynext(y, &ev))
			goto fail;
		if (ev.type == (map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT)) {
			yaml_event_delete(&ev);
			return t;
		}
		char *key = NULL;
		if (map) {
			if (ev.type != YAML_SCALAR_EVENT) {
				yfail(y, ev.start_mark.line, "mapping key is not a scalar");
				yaml_event_delete(&ev);
				goto fail;
			}
			if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length) ||
			    ev.data.scalar.length > 1024) {
				yfail(y, ev.start_mark.line, "mapping key too long or has a NUL");
				yaml_event_delete(&ev);
				goto fail;
			}
			key = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
			size_t kline = ev.start_mark.line;
			yaml_event_delete(&ev);
			if (!key) {
				yfail(y, kline, "out of memory");
				goto fail;
			}
			if (sfc_tnode_get(t, key)) {
				char what[1100];
				snprintf(what, sizeof(what), "duplicate key '%s'", key);
				free(key);
				yfail(y, kline, what);
				goto fail;
			}
			if (!ynext(y, &ev)) {
				free(key);
				goto fail;
			}
		}
		struct sfc_tnode *kid = yparse(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!kid) {
			free(key);
			goto fail;
		}
		if (tnode_add(t, key, kid) < 0) {
			yfail(y, line, "out of memory");
			goto fail;
		}
	}
fail:
	sfc_tnode_free(t);
	return NULL;
}

static struct sfc_tnode *
yparse(struct ystate *y, yaml_event_t *ev, int depth)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			yfail(y, ev->start_mark.line, "anchors and aliases are not supported");
			return NULL;
		}
		return yscalar(y, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		const yaml_char_t *anchor =
		    map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
		const char *tag =
		    (const char *)(map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
		if (anchor) {
			yfail(y, ev->start_mark.line, "anchors and aliases are not supported");
			return NULL;
		}
		if (tag && strcmp(tag, map ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq")) {
			yfail(y, ev->start_mark.line, "tags are not supported on collections");
			return NULL;
		}
		return ycollection(y, ev, depth, map);
	}
	case YAML_ALIAS_EVENT:
		yfail(y, ev->start_mark.line, "anchors and aliases are not supported");
		return NULL;
	default:
		yfail(y, ev->start_mark.line, "unexpected YAML event");
		return NULL;
	}
}

struct sfc_tnode *
sfc_tree_from_yaml(const char *buf, size_t size, const char *name, struct sfc_errors *err)
{
	struct ystate y = {.err = err, .name = name ? name : "document"};
	if (size > SFC_DOC_MAX) {
		sfc_errors_add(err, "%s: document larger than %d bytes", y.name, SFC_DOC_MAX);
		return NULL;
	}
	if (!yaml_parser_initialize(&y.p)) {
		sfc_errors_add(err, "%s: out of memory", y.name);
		return NULL;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)buf, size);
	struct sfc_tnode *root = NULL;
	yaml_event_t ev;
	int docs = 0;
	for (;;) {
		if (!ynext(&y, &ev))
			goto fail;
		yaml_event_type_t type = ev.type;
		size_t line = ev.start_mark.line;
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			if (++docs > 1) {
				yfail(&y, line, "more than one YAML document");
				goto fail;
			}
			if (!ynext(&y, &ev))
				goto fail;
			root = yparse(&y, &ev, 0);
			yaml_event_delete(&ev);
			if (!root)
				goto fail;
			continue;
		}
		yaml_event_delete(&ev); /* stream start, document end */
	}
	yaml_parser_delete(&y.p);
	if (!root)
		root = tnode_new(&y.b, SFC_T_NULL, 1);
	if (!root)
		sfc_errors_add(err, "%s: out of memory", y.name);
	return root;
fail:
	sfc_tnode_free(root);
	yaml_parser_delete(&y.p);
	return NULL;
}

/* ---- JSON ---- */

static struct sfc_tnode *
jconv(struct sfc_tbuild *b, json_t *j, int depth, const char *name, struct sfc_errors *err)
{
	if (depth >= SFC_DEPTH_MAX) {
		sfc_errors_add(err, "%s: nested too deep", name);
		return NULL;
	}
	struct sfc_tnode *t = NULL;
	char num[64];
	const char *s = NULL;
	size_t n = 0;
	bool quoted = false;
	switch (json_typeof(j)) {
	case JSON_NULL:
		t = tnode_new(b, SFC_T_NULL, 0);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		s = json_is_true(j) ? "true" : "false";
		n = strlen(s);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(j));
		s = num;
		break;
	case JSON_REAL:
		n = (size_t)snprintf(num, sizeof(num), "%.17g", json_real_value(j));
		s = num;
		break;
	case JSON_STRING:
		s = json_string_value(j);
		n = json_string_length(j);
		quoted = true;
		if (n > SCALAR_MAX || memchr(s, 0, n)) {
			sfc_errors_add(err, "%s: string too long or contains a NUL", name);
			return NULL;
		}
		break;
	case JSON_OBJECT: {
		t = tnode_new(b, SFC_T_MAP, 0);
		if (!t)
			break;
		const char *key;
		json_t *v;
		json_object_foreach(j, key, v)
		{
			struct sfc_tnode *kid = jconv(b, v, depth + 1, name, err);
			char *k = kid ? strdup(key) : NULL;
			if (!kid || !k || tnode_add(t, k, kid) < 0) {
				if (kid && !k)
					sfc_tnode_free(kid);
				sfc_tnode_free(t);
				if (kid)
					sfc_errors_add(err, "%s: out of memory", name);
				return NULL;
			}
		}
		return t;
	}
	case JSON_ARRAY: {
		t = tnode_new(b, SFC_T_SEQ, 0);
		if (!t)
			break;
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			struct sfc_tnode *kid = jconv(b, v, depth + 1, name, err);
			if (!kid || tnode_add(t, NULL, kid) < 0) {
				sfc_tnode_free(t);
				if (kid)
					sfc_errors_add(err, "%s: out of memory", name);
				return NULL;
			}
		}
		return t;
	}
	}
	if (s) {
		t = tnode_new(b, SFC_T_SCALAR, 0);
		if (t) {
			t->str = malloc(n + 1);
			if (!t->str) {
				free(t);
				t = NULL;
			} else {
				memcpy(t->str, s, n);
				t->str[n] = 0;
				t->len = n;
				t->quoted = quoted;
			}
		}
	}
	if (!t)
		sfc_errors_add(err, "%s: too many nodes or out of memory", name);
	return t;
}

struct sfc_tnode *
sfc_tree_from_json(const char *buf, size_t size, const char *name, struct sfc_errors *err)
{
	name = name ? name : "document";
	if (size > SFC_DOC_MAX) {
		sfc_errors_add(err, "%s: document larger than %d bytes", name, SFC_DOC_MAX);
		return NULL;
	}
	json_error_t je;
	/* jansson refuses duplicate keys with JSON_REJECT_DUPLICATES; depth is bounded by its own
	 * JSON_PARSER_MAX_DEPTH (2048) while parsing, then by SFC_DEPTH_MAX here. */
	json_t *j = json_loadb(buf, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!j) {
		sfc_errors_add(err, "%s: line %d: %s", name, je.line, je.text);
		return NULL;
	}
	struct sfc_tbuild b = {0};
	struct sfc_tnode *t = jconv(&b, j, 0, name, err);
	json_decref(j);
	return t;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* YAML <-> JSON trees for lig-agent's documents (etcd.conf, --config-file, REST /configuration):
 * libyaml's event parser builds a jansson tree node by node, and its emitter writes one back.
 * See yaml_json.h for the typing rules. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yaml_json.h"

#define TAG_STR "tag:yaml.org,2002:str"
#define TAG_INT "tag:yaml.org,2002:int"
#define TAG_FLOAT "tag:yaml.org,2002:float"
#define TAG_BOOL "tag:yaml.org,2002:bool"
#define TAG_NULL "tag:yaml.org,2002:null"
#define TAG_MAP "tag:yaml.org,2002:map"
#define TAG_SEQ "tag:yaml.org,2002:seq"

struct ystate {
	yaml_parser_t p;
	char *err;
	size_t err_size;
	bool failed;
};

static void
fail(struct ystate *y, const yaml_mark_t *mark, const char *fmt, const char *arg)
{
	if (y->failed)
		return;
	y->failed = true;
	char what[200];
	snprintf(what, sizeof(what), fmt, arg ? arg : "");
	if (mark)
		snprintf(y->err, y->err_size, "line %zu: %s", mark->line + 1, what);
	else
		snprintf(y->err, y->err_size, "%s", what);
}

static bool
next_event(struct ystate *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->p, ev))
		return true;
	if (!y->failed) {
		y->failed = true;
		snprintf(y->err, y->err_size, "line %zu: %s%s%s", y->p.problem_mark.line + 1,
			 y->p.problem ? y->p.problem : "malformed YAML", y->p.context ? " " : "",
			 y->p.context ? y->p.context : "");
	}
	return false;
}

/* Is s (n bytes) all digits of base (at least one)? */
static bool
all_digits(const char *s, size_t n, int base)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = base == 16 ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					   (c >= 'A' && c <= 'F')
			  : base == 8 ? c >= '0' && c <= '7'
				      : c >= '0' && c <= '9';
		if (!ok)
			return false;
	}
	return true;
}

/* YAML 1.2 core schema float: [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool
is_float(const char *s, size_t n)
{
	size_t i = 0, d = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d++;
	}
	if (!d)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (!e)
			return false;
	}
	return i == n;
}

/* The JSON value of a plain scalar by the core schema; NULL for "a string". */
static json_t *
resolve_plain(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '~') ||
	    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))))
		return json_null();
	if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
		return json_true();
	if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
		return json_false();
	int base = 0;
	size_t skip = 0;
	bool neg = false;
	if (n > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, n - 2, 16))
		base = 16, skip = 2;
	else if (n > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, n - 2, 8))
		base = 8, skip = 2;
	else if (n > 1 && (s[0] == '-' || s[0] == '+') && all_digits(s + 1, n - 1, 10))
		base = 10, skip = 1, neg = s[0] == '-';
	else if (all_digits(s, n, 10))
		base = 10;
	if (base) {
		char buf[80];
		if (n - skip >= sizeof(buf))
			return NULL;
		memcpy(buf, s + skip, n - skip);
		buf[n - skip] = 0;
		errno = 0;
		unsigned long long u = strtoull(buf, NULL, base);
		if (errno || u > (unsigned long long)INT64_MAX + (neg ? 1 : 0))
			return NULL; /* out of range: a string (protobuf JSON takes those) */
		long long v =
		    neg ? (u == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(long long)u)
			: (long long)u;
		return json_integer(v);
	}
	if (is_float(s, n)) {
		char buf[128];
		if (n >= sizeof(buf))
			return NULL;
		memcpy(buf, s, n);
		buf[n] = 0;
		return json_real(strtod(buf, NULL));
	}
	return NULL;
}

static json_t *parse_node(struct ystate *y, yaml_event_t *ev, int depth);

static json_t *
scalar(struct ystate *y, yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	json_t *v = NULL;
	if (tag && strcmp(tag, "!") != 0) {
		if (!strcmp(tag, TAG_STR)) {
			plain = false;
		} else if (!strcmp(tag, TAG_INT) || !strcmp(tag, TAG_FLOAT) ||
			   !strcmp(tag, TAG_BOOL) || !strcmp(tag, TAG_NULL)) {
			v = resolve_plain(s, n);
			bool ok = v && ((!strcmp(tag, TAG_INT) && json_is_integer(v)) ||
					(!strcmp(tag, TAG_FLOAT) && json_is_number(v)) ||
					(!strcmp(tag, TAG_BOOL) && json_is_boolean(v)) ||
					(!strcmp(tag, TAG_NULL) && json_is_null(v)));
			if (!ok) {
				json_decref(v);
				fail(y, &ev->start_mark, "scalar does not match its tag %s", tag);
				return NULL;
			}
			return v;
		} else {
			fail(y, &ev->start_mark, "tag %s is not supported", tag);
			return NULL;
		}
	}
	if (plain)
		v = resolve_plain(s, n);
	if (!v)
		v = json_stringn(s, n);
	if (!v)
		fail(y, &ev->start_mark, "%s", "scalar is not UTF-8 or out of memory");
	return v;
}

static json_t *
mapping(struct ystate *y, int depth)
{
	json_t *obj = json_object();
	if (!obj) {
		fail(y, NULL, "%s", "out of memory");
		return NULL;
	}
	for (;;) {
		yaml_event_t k;
		if (!next_event(y, &k))
			break;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			return obj;
		}
		if (k.type != YAML_SCALAR_EVENT) {
			fail(y, &k.start_mark, "%s", "mapping keys must be scalars");
			yaml_event_delete(&k);
			break;
		}
		if (k.data.scalar.anchor) {
			fail(y, &k.start_mark, "%s", "anchors are not supported");
			yaml_event_delete(&k);
			break;
		}
		yaml_mark_t mark = k.start_mark;
		if (memchr(k.data.scalar.value, 0, k.data.scalar.length)) {
			fail(y, &mark, "%s", "a key holds a NUL byte");
			yaml_event_delete(&k);
			break;
		}
		char *key = strndup((const char *)k.data.scalar.value, k.data.scalar.length);
		yaml_event_delete(&k);
		if (!key) {
			fail(y, NULL, "%s", "out of memory");
			break;
		}
		if (json_object_get(obj, key)) {
			fail(y, &mark, "duplicate key %.100s", key);
			free(key);
			break;
		}
		yaml_event_t v;
		if (!next_event(y, &v)) {
			free(key);
			break;
		}
		json_t *val = parse_node(y, &v, depth);
		if (!val || json_object_set_new(obj, key, val)) {
			if (val)
				fail(y, &mark, "key %.100s is not UTF-8", key);
			free(key);
			break;
		}
		free(key);
	}
	json_decref(obj);
	return NULL;
}

static json_t *
sequence(struct ystate *y, int depth)
{
	json_t *arr = json_array();
	if (!arr) {
		fail(y, NULL, "%s", "out of memory");
		return NULL;
	}
	for (;;) {
		yaml_event_t ev;
		if (!next_event(y, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return arr;
		}
		json_t *val = parse_node(y, &ev, depth);
		if (!val || json_array_append_new(arr, val))
			break;
	}
	json_decref(arr);
	return NULL;
}

/* Builds the node that starts with *ev (which it deletes). */
static json_t *
parse_node(struct ystate *y, yaml_event_t *ev, int depth)
{
	json_t *out = NULL;
	const char *anchor = NULL, *tag = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = (const char *)ev->data.scalar.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
		break;
	default:
		break;
	}
	if (anchor || ev->type == YAML_ALIAS_EVENT) {
		fail(y, &ev->start_mark, "%s", "anchors and aliases are not supported");
	} else if (tag && strcmp(tag, "!") && strcmp(tag, TAG_MAP) && strcmp(tag, TAG_SEQ)) {
		fail(y, &ev->start_mark, "tag %s is not supported", tag);
	} else if (ev->type == YAML_SCALAR_EVENT) {
		out = scalar(y, ev);
	} else if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		if (depth >= AGENT_YAML_DEPTH_MAX)
			fail(y, &ev->start_mark, "%s", "nested too deeply");
		else if (ev->type == YAML_MAPPING_START_EVENT)
			out = mapping(y, depth + 1);
		else
			out = sequence(y, depth + 1);
	} else {
		fail(y, &ev->start_mark, "%s", "unexpected YAML event");
	}
	yaml_event_delete(ev);
	return out;
}

json_t *
agent_yaml_load(const char *text, size_t size, char *err, size_t err_size)
{
	struct ystate y = {.err = err, .err_size = err_size};
	json_t *root = NULL;
	if (err_size)
		err[0] = 0;
	if (!yaml_parser_initialize(&y.p)) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, size);
	yaml_event_t ev;
	bool docs = false;
	while (!y.failed && next_event(&y, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			if (docs)
				fail(&y, &ev.start_mark, "%s", "more than one YAML document");
			docs = true;
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		root = parse_node(&y, &ev, 0);
	}
	yaml_parser_delete(&y.p);
	if (y.failed) {
		json_decref(root);
		return NULL;
	}
	return root ? root : json_null();
}

/* ---- emitting ---- */

struct obuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static int
on_write(void *data, unsigned char *buf, size_t size)
{
	struct obuf *o = data;
	if (o->len + size + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		while (cap < o->len + size + 1)
			cap *= 2;
		char *np = realloc(o->p, cap);
		if (!np) {
			o->oom = true;
			return 0;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->len, buf, size);
	o->len += size;
	o->p[o->len] = 0;
	return 1;
}

static int
emit_scalar(yaml_emitter_t *e, const char *s, size_t n, bool force_quotes)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(
		&ev, NULL, (yaml_char_t *)TAG_STR, (yaml_char_t *)s, (int)n, !force_quotes, 1,
		force_quotes ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE))
		return -1;
	return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int
emit(yaml_emitter_t *e, const json_t *j, int depth)
{
	yaml_event_t ev;
	char buf[64];
	if (depth > AGENT_YAML_DEPTH_MAX)
		return -1;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 YAML_BLOCK_MAPPING_STYLE) ||
		    !yaml_emitter_emit(e, &ev))
			return -1;
		const char *k;
		const json_t *v;
		json_object_foreach((json_t *)j, k, v)
		{
			json_t *r = resolve_plain(k, strlen(k));
			bool q = r != NULL;
			json_decref(r);
			if (emit_scalar(e, k, strlen(k), q) || emit(e, v, depth + 1))
				return -1;
		}
		return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev) ? 0 : -1;
	}
	case JSON_ARRAY: {
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  YAML_BLOCK_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(e, &ev))
			return -1;
		size_t i;
		const json_t *v;
		json_array_foreach(j, i, v) if (emit(e, v, depth + 1)) return -1;
		return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev) ? 0
											    : -1;
	}
	case JSON_STRING: {
		const char *s = json_string_value(j);
		size_t n = json_string_length(j);
		json_t *r = resolve_plain(s, n);
		/* A string that would read back as another type, or with a NUL, is quoted. */
		bool q = r != NULL || strlen(s) != n;
		json_decref(r);
		return emit_scalar(e, s, n, q);
	}
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		break;
	case JSON_REAL:
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(j));
		if (!is_float(buf, strlen(buf)))
			return -1; /* inf, nan */
		if (!strpbrk(buf, ".eE"))
			strcat(buf, ".0");
		break;
	case JSON_TRUE:
		snprintf(buf, sizeof(buf), "true");
		break;
	case JSON_FALSE:
		snprintf(buf, sizeof(buf), "false");
		break;
	default:
		snprintf(buf, sizeof(buf), "null");
		break;
	}
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)buf, (int)strlen(buf), 1,
					  0, YAML_PLAIN_SCALAR_STYLE))
		return -1;
	return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

char *
agent_yaml_dump(const json_t *j)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct obuf o = {0};
	if (!j || !yaml_emitter_initialize(&e))
		return NULL;
	yaml_emitter_set_output(&e, on_write, &o);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_indent(&e, 2);
	int rc = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
			 yaml_emitter_emit(&e, &ev) &&
			 yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
			 yaml_emitter_emit(&e, &ev)
		     ? 0
		     : -1;
	if (!rc)
		rc = emit(&e, j, 0);
	if (!rc && !(yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
		     yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev)))
		rc = -1;
	yaml_emitter_delete(&e);
	if (rc || o.oom) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

int
agent_read_file(const char *path, size_t max, char **text, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	char *buf = malloc(max + 1);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!buf)
		return -ENOMEM;
	if (bad || n > max) {
		free(buf);
		return bad ? -EIO : -EFBIG;
	}
	buf[n] = 0;
	char *shrunk = realloc(buf, n + 1);
	*text = shrunk ? shrunk : buf;
	*size = n;
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
// Typed plugin configuration: defaults < YAML file (libyaml document API) < environment < flags.
// Every error message names its source (file:line, variable or flag) and the key.
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "cninfra/config.h"

#define MAX_FILE_SIZE (1024 * 1024)
#define MAX_DEPTH 16
#define MAX_NODES 10000
#define MAX_KEY 256

struct ctx {
	const struct cninfra_cfg_field *fields;
	size_t n_fields;
	void *cfg;
	bool *set;
	char *err;
	size_t err_size;
	const char *file;
	int nodes;
};

static int fail(struct ctx *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(struct ctx *c, int rc, const char *fmt, ...)
{
	if (c->err && c->err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->err_size, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static const struct cninfra_cfg_field *
find_field(const struct ctx *c, const char *key, size_t *idx)
{
	for (size_t i = 0; i < c->n_fields; i++) {
		if (!strcmp(c->fields[i].key, key)) {
			*idx = i;
			return &c->fields[i];
		}
	}
	return NULL;
}

static const char *
type_name(enum cninfra_cfg_type t)
{
	switch (t) {
	case CNINFRA_CFG_INT:
		return "an integer";
	case CNINFRA_CFG_BOOL:
		return "a boolean";
	case CNINFRA_CFG_DOUBLE:
		return "a number";
	default:
		return "a string";
	}
}

/* Parses text into the field. Returns 0, or -EINVAL with a reason in why. */
static int
set_value(struct ctx *c, const struct cninfra_cfg_field *f, const char *text, char *why,
	  size_t why_size)
{
	char *base = (char *)c->cfg + f->offset;
	char *end;
	switch (f->type) {
	case CNINFRA_CFG_STR: {
		char *s = strdup(text);
		if (!s)
			return -ENOMEM;
		char **dst = (char **)(void *)base;
		free(*dst);
		*dst = s;
		return 0;
	}
	case CNINFRA_CFG_INT: {
		const char *p = text;
		while (isspace((unsigned char)*p))
			p++;
		int b = (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 16 : 10;
		errno = 0;
		long long v = strtoll(p, &end, b);
		if (!*p || *end || errno) {
			snprintf(why, why_size, "expected %s, got '%.64s'", type_name(f->type),
				 text);
			return -EINVAL;
		}
		if (f->min < f->max && (v < f->min || v > f->max)) {
			snprintf(why, why_size, "value %lld out of range %lld..%lld", v,
				 (long long)f->min, (long long)f->max);
			return -ERANGE;
		}
		*(int64_t *)(void *)base = v;
		return 0;
	}
	case CNINFRA_CFG_DOUBLE: {
		errno = 0;
		double v = strtod(text, &end);
		if (!*text || *end || errno || !isfinite(v)) {
			snprintf(why, why_size, "expected %s, got '%.64s'", type_name(f->type),
				 text);
			return -EINVAL;
		}
		if (f->min < f->max && (v < (double)f->min || v > (double)f->max)) {
			snprintf(why, why_size, "value %g out of range %lld..%lld", v,
				 (long long)f->min, (long long)f->max);
			return -ERANGE;
		}
		*(double *)(void *)base = v;
		return 0;
	}
	case CNINFRA_CFG_BOOL: {
		static const char *const yes[] = {"true", "yes", "on", "1"};
		static const char *const no[] = {"false", "no", "off", "0"};
		for (size_t i = 0; i < 4; i++) {
			if (!strcasecmp(text, yes[i])) {
				*(bool *)(void *)base = true;
				return 0;
			}
			if (!strcasecmp(text, no[i])) {
				*(bool *)(void *)base = false;
				return 0;
			}
		}
		snprintf(why, why_size, "expected %s, got '%.64s'", type_name(f->type), text);
		return -EINVAL;
	}
	}
	return -EINVAL;
}

static int
walk(struct ctx *c, yaml_document_t *doc, yaml_node_t *map, const char *prefix, int depth)
{
	if (depth > MAX_DEPTH)
		return fail(c, -EINVAL, "%s:%zu: nesting deeper than %d levels", c->file,
			    map->start_mark.line + 1, MAX_DEPTH);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		if (++c->nodes > MAX_NODES)
			return fail(c, -E2BIG, "%s: more than %d keys", c->file, MAX_NODES);
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		if (!k || !v)
			return fail(c, -EINVAL, "%s: malformed document", c->file);
		size_t line = k->start_mark.line + 1;
		if (k->type != YAML_SCALAR_NODE)
			return fail(c, -EINVAL, "%s:%zu: keys must be scalars", c->file, line);
		char key[MAX_KEY];
		int n = snprintf(key, sizeof(key), "%s%s%.*s", prefix, *prefix ? "." : "",
				 (int)k->data.scalar.length, (const char *)k->data.scalar.value);
		if (n < 0 || (size_t)n >= sizeof(key) || strlen(key) != (size_t)n)
			return fail(c, -EINVAL, "%s:%zu: key too long or not text", c->file, line);
		if (v->type == YAML_MAPPING_NODE) {
			int rc = walk(c, doc, v, key, depth + 1);
			if (rc)
				return rc;
			continue;
		}
		size_t idx;
		const struct cninfra_cfg_field *f = find_field(c, key, &idx);
		if (!f)
			return fail(c, -EINVAL, "%s:%zu: unknown key '%s'", c->file, line, key);
		line = v->start_mark.line + 1;
		if (v->type != YAML_SCALAR_NODE)
			return fail(c, -EINVAL, "%s:%zu: key '%s': expected %s, got a list",
				    c->file, line, key, type_name(f->type));
		const char *text = (const char *)v->data.scalar.value;
		if (strlen(text) != v->data.scalar.length)
			return fail(c, -EINVAL, "%s:%zu: key '%s': value contains a NUL byte",
				    c->file, line, key);
		char why[160];
		int rc = set_value(c, f, text, why, sizeof(why));
		if (rc == -ENOMEM)
			return fail(c, rc, "out of memory");
		if (rc)
			return fail(c, rc, "%s:%zu: key '%s': %s", c->file, line, key, why);
		c->set[idx] = true;
	}
	return 0;
}

static int
load_file(struct ctx *c, const char *path, bool required)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		int e = errno;
		if (e == ENOENT && !required)
			return 0;
		return fail(c, -e, "%s: cannot open: %s", path, strerror(e));
	}
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && st.st_size > MAX_FILE_SIZE) {
		fclose(fp);
		return fail(c, -EFBIG, "%s: larger than %d bytes", path, MAX_FILE_SIZE);
	}
	c->file = path;
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;
	if (!yaml_parser_initialize(&parser)) {
		fclose(fp);
		return fail(c, -ENOMEM, "out of memory");
	}
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = fail(c, -EINVAL, "%s:%zu:%zu: YAML error: %s%s%s", path,
			  parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			  parser.problem ? parser.problem : "unknown", parser.context ? " " : "",
			  parser.context ? parser.context : "");
		goto out_parser;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		/* Empty file: nothing to override. */
	} else if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0) {
	} else if (root->type != YAML_MAPPING_NODE) {
		rc = fail(c, -EINVAL, "%s:%zu: top level must be a mapping of keys", path,
			  root->start_mark.line + 1);
	} else {
		rc = walk(c, &doc, root, "", 0);
	}
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

static void
env_name(char *buf, size_t size, const char *prefix, const char *key)
{
	snprintf(buf, size, "%s_%s", prefix, key);
	for (char *p = buf; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
}

static int
load_env(struct ctx *c, const char *prefix)
{
	for (size_t i = 0; i < c->n_fields; i++) {
		char name[MAX_KEY + 64];
		env_name(name, sizeof(name), prefix, c->fields[i].key);
		const char *v = getenv(name);
		if (!v)
			continue;
		char why[160];
		int rc = set_value(c, &c->fields[i], v, why, sizeof(why));
		if (rc == -ENOMEM)
			return fail(c, rc, "out of memory");
		if (rc)
			return fail(c, rc, "environment variable %s: key '%s': %s", name,
				    c->fields[i].key, why);
		c->set[i] = true;
	}
	return 0;
}

static int
load_flags(struct ctx *c, const struct cninfra_cfg_sources *src)
{
	size_t plen = strlen(src->flag_prefix);
	for (int i = 1; i < src->argc; i++) {
		const char *a = src->argv[i];
		if (!a || strncmp(a, "--", 2) || strncmp(a + 2, src->flag_prefix, plen) ||
		    a[2 + plen] != '.')
			continue;
		const char *key = a + 3 + plen;
		const char *eq = strchr(key, '=');
		char kbuf[MAX_KEY];
		const char *val;
		size_t klen = eq ? (size_t)(eq - key) : strlen(key);
		if (klen >= sizeof(kbuf))
			return fail(c, -EINVAL, "flag %.80s: key too long", a);
		memcpy(kbuf, key, klen);
		kbuf[klen] = 0;
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < src->argc && src->argv[i + 1]) {
			val = src->argv[++i];
		} else {
			return fail(c, -EINVAL, "flag --%s.%s: missing value", src->flag_prefix,
				    kbuf);
		}
		size_t idx;
		const struct cninfra_cfg_field *f = find_field(c, kbuf, &idx);
		if (!f)
			return fail(c, -EINVAL, "flag --%s.%s: unknown key '%s'", src->flag_prefix,
				    kbuf, kbuf);
		char why[160];
		int rc = set_value(c, f, val, why, sizeof(why));
		if (rc == -ENOMEM)
			return fail(c, rc, "out of memory");
		if (rc)
			return fail(c, rc, "flag --%s.%s: key '%s': %s", src->flag_prefix, kbuf,
				    kbuf, why);
		c->set[idx] = true;
	}
	return 0;
}

void
cninfra_cfg_release(const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg)
{
	if (!fields || !cfg)
		return;
	for (size_t i = 0; i < n_fields; i++) {
		if (fields[i].type != CNINFRA_CFG_STR)
			continue;
		char **s = (char **)(void *)((char *)cfg + fields[i].offset);
		free(*s);
		*s = NULL;
	}
}

int
cninfra_cfg_load(const struct cninfra_cfg_field *fields, size_t n_fields, void *cfg,
		 const struct cninfra_cfg_sources *src, char *err, size_t err_size)
{
	struct ctx c = {
	    .fields = fields, .n_fields = n_fields, .cfg = cfg, .err = err, .err_size = err_size};
	static const struct cninfra_cfg_sources none;
	if (err && err_size)
		err[0] = 0;
	if ((!fields && n_fields) || !cfg)
		return fail(&c, -EINVAL, "invalid arguments");
	if (!src)
		src = &none;
	cninfra_cfg_release(fields, n_fields, cfg);
	c.set = calloc(n_fields ? n_fields : 1, sizeof(bool));
	if (!c.set)
		return fail(&c, -ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < n_fields && !rc; i++) {
		if (!fields[i].def)
			continue;
		char why[160];
		rc = set_value(&c, &fields[i], fields[i].def, why, sizeof(why));
		if (rc)
			rc = fail(&c, rc, "default of key '%s': %s", fields[i].key, why);
	}
	if (!rc && src->file)
		rc = load_file(&c, src->file, src->file_required);
	if (!rc && src->env_prefix)
		rc = load_env(&c, src->env_prefix);
	if (!rc && src->flag_prefix && src->argv)
		rc = load_flags(&c, src);
	for (size_t i = 0; i < n_fields && !rc; i++)
		if (fields[i].required && !fields[i].def && !c.set[i])
			rc = fail(&c, -EINVAL, "key '%s' is required%s%s", fields[i].key,
				  src->file ? " in " : "", src->file ? src->file : "");
	free(c.set);
	return rc;
}

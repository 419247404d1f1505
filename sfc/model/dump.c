/* SPDX-License-Identifier: Apache-2.0 */
/* The sfc model written back: the field tables (sfc_schema.h) into a jansson tree, absent and
 * zero fields left out as sfc-controller's omitempty JSON does; YAML through lig-agent's
 * YAML/JSON converter (agent/agent/yaml_json.h), so GET /sfc-controller reads back with the
 * same parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_schema.h"
#include "yaml_json.h"

#define AT(b, off, T) ((T *)((char *)(b) + (off)))

static int
set(json_t *o, const char *k, json_t *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_set_new(o, k, v) ? -ENOMEM : 0;
}

static json_t *
status_json(const struct sfc_status *st)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (set(o, "oper_status", json_string(sfc_oper_status_name(st->oper))))
		goto fail;
	if (st->n_msg) {
		json_t *a = json_array();
		if (set(o, "msg", a))
			goto fail;
		for (size_t i = 0; i < st->n_msg; i++)
			if (json_array_append_new(a, json_string(st->msg[i] ? st->msg[i] : "")))
				goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static int fill(const struct sfc_schema *s, const void *base, json_t *o, bool with_status);

static int
field_json(const struct sfc_field *f, const void *base, json_t *o, bool with_status)
{
	switch (f->kind) {
	case SFC_F_STR:
	case SFC_F_NAME:
	case SFC_F_IFNAME: {
		const char *v = *AT(base, f->off, char *const);
		return v ? set(o, f->name, json_string(v)) : 0;
	}
	case SFC_F_U32:
	case SFC_F_U32S: {
		uint32_t v = *AT(base, f->off, const uint32_t);
		return v ? set(o, f->name, json_integer(v)) : 0;
	}
	case SFC_F_BOOL:
		return *AT(base, f->off, const bool) ? set(o, f->name, json_true()) : 0;
	case SFC_F_ENUM: {
		int v = *AT(base, f->off, const int);
		return v > 0 && v < f->n_names ? set(o, f->name, json_string(f->names[v])) : 0;
	}
	case SFC_F_STRLIST: {
		char *const *v = *AT(base, f->off, char **const);
		size_t n = *AT(base, f->off2, const size_t);
		if (!n)
			return 0;
		json_t *a = json_array();
		if (set(o, f->name, a))
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (json_array_append_new(a, json_string(v[i])))
				return -ENOMEM;
		return 0;
	}
	case SFC_F_KVMAP: {
		const struct sfc_kv *v = *AT(base, f->off, struct sfc_kv *const);
		size_t n = *AT(base, f->off2, const size_t);
		if (!n)
			return 0;
		json_t *m = json_object();
		if (set(o, f->name, m))
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (set(m, v[i].key, json_string(v[i].value ? v[i].value : "")))
				return -ENOMEM;
		return 0;
	}
	case SFC_F_OBJ: {
		if (f->off2 >= 0 && !*AT(base, f->off2, const bool))
			return 0;
		json_t *m = json_object();
		if (!m || fill(f->sub, AT(base, f->off, const char), m, with_status)) {
			json_decref(m);
			return -ENOMEM;
		}
		if (!json_object_size(m) && f->off2 < 0) {
			json_decref(m);
			return 0;
		}
		return set(o, f->name, m);
	}
	case SFC_F_FLAT: {
		json_t *m = json_object();
		if (!m || fill(f->sub, base, m, with_status)) {
			json_decref(m);
			return -ENOMEM;
		}
		if (!json_object_size(m)) {
			json_decref(m);
			return 0;
		}
		return set(o, f->name, m);
	}
	case SFC_F_ARR: {
		const char *v = *AT(base, f->off, const char *const);
		size_t n = *AT(base, f->off2, const size_t);
		if (!n)
			return 0;
		json_t *a = json_array();
		if (set(o, f->name, a))
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_object();
			if (!e || fill(f->sub, v + i * f->sub->size, e, with_status) ||
			    json_array_append_new(a, e))
				return -ENOMEM;
		}
		return 0;
	}
	case SFC_F_STATUS:
		return with_status
			   ? set(o, f->name, status_json(AT(base, f->off, const struct sfc_status)))
			   : 0;
	case SFC_F_IGNORE:
		return 0;
	}
	return 0;
}

static int
fill(const struct sfc_schema *s, const void *base, json_t *o, bool with_status)
{
	for (size_t k = 0; k < s->n_fields; k++)
		if (field_json(&s->fields[k], base, o, with_status))
			return -ENOMEM;
	return 0;
}

json_t *
sfc_schema_to_json(const struct sfc_schema *s, const void *base, bool with_status)
{
	json_t *o = json_object();
	if (o && fill(s, base, o, with_status)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
sfc_model_dump_yaml(const struct sfc_model *m, bool with_status, char **out, size_t *out_size)
{
	struct sfc_model copy = *m;
	copy.version = SFC_YAML_VERSION;
	json_t *j = sfc_schema_to_json(&sfc_schema_document, &copy, with_status);
	if (!j)
		return -ENOMEM;
	/* system_parameters is present or not as a whole; an empty object is still written. */
	char *y = agent_yaml_dump(j);
	json_decref(j);
	if (!y)
		return -ENOMEM;
	*out = y;
	if (out_size)
		*out_size = strlen(y);
	return 0;
}

int
sfc_model_object_json(enum sfc_obj_type t, const void *obj, char **out, size_t *out_size)
{
	if ((unsigned)t >= SFC_OBJ_N)
		return -EINVAL;
	json_t *j = sfc_schema_to_json(sfc_schema_of[t], obj, false);
	if (!j)
		return -ENOMEM;
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return -ENOMEM;
	*out = s;
	if (out_size)
		*out_size = strlen(s);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The sfc model's entry points: errors, whole-document parsing (YAML or JSON through the
 * document tree, then the schema decoder), single objects from the store or REST, lookups. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfc_schema.h"
#include "sfc_tree.h"

void
sfc_errors_free(struct sfc_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	memset(e, 0, sizeof(*e));
}

void
sfc_errors_add(struct sfc_errors *e, const char *fmt, ...)
{
	if (!e)
		return;
	if (e->n >= SFC_ERRORS_MAX) {
		e->n_dropped++;
		return;
	}
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0) {
		e->n_dropped++;
		return;
	}
	if (!e->msg) {
		e->msg = calloc(SFC_ERRORS_MAX, sizeof(char *));
		if (!e->msg) {
			free(s);
			e->n_dropped++;
			return;
		}
	}
	e->msg[e->n++] = s;
}

char *
sfc_errors_join(const struct sfc_errors *e, char *buf, size_t size)
{
	if (!size)
		return buf;
	buf[0] = 0;
	size_t len = 0;
	for (size_t i = 0; e && i < e->n && len + 1 < size; i++) {
		int r = snprintf(buf + len, size - len, "%s%s", i ? "\n" : "", e->msg[i]);
		if (r < 0)
			break;
		len += (size_t)r;
	}
	if (e && e->n_dropped && len + 1 < size)
		snprintf(buf + (len < size ? len : size - 1), size - (len < size ? len : size - 1),
			 "\n(%zu more errors)", e->n_dropped);
	return buf;
}

static int
parse_doc(struct sfc_tnode *root, const char *name, struct sfc_model *m, struct sfc_errors *err)
{
	memset(m, 0, sizeof(*m));
	if (!root)
		return -EINVAL;
	size_t n = sfc_decode_document(root, name ? name : "document", m, err);
	sfc_tnode_free(root);
	if (n) {
		sfc_model_free(m);
		return -EINVAL;
	}
	return 0;
}

int
sfc_model_parse_yaml(const char *buf, size_t size, const char *name, struct sfc_model *m,
		     struct sfc_errors *err)
{
	return parse_doc(sfc_tree_from_yaml(buf, size, name, err), name, m, err);
}

int
sfc_model_parse_json(const char *buf, size_t size, const char *name, struct sfc_model *m,
		     struct sfc_errors *err)
{
	return parse_doc(sfc_tree_from_json(buf, size, name, err), name, m, err);
}

/* The array of m holding objects of type t: pointer to the array pointer and its count. */
static int
model_array(struct sfc_model *m, enum sfc_obj_type t, char ***arr, size_t **n)
{
	switch (t) {
	case SFC_OBJ_IPAM_POOL:
		*arr = (char **)&m->ipam_pools, *n = &m->n_ipam_pools;
		return 0;
	case SFC_OBJ_POD_TO_NODE:
		*arr = (char **)&m->pod_to_node, *n = &m->n_pod_to_node;
		return 0;
	case SFC_OBJ_NODE:
		*arr = (char **)&m->nodes, *n = &m->n_nodes;
		return 0;
	case SFC_OBJ_OVERLAY:
		*arr = (char **)&m->overlays, *n = &m->n_overlays;
		return 0;
	case SFC_OBJ_SERVICE:
		*arr = (char **)&m->services, *n = &m->n_services;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The name field of an object of type t (metadata.name, or pod for a map entry). */
static char **
object_name(enum sfc_obj_type t, void *obj)
{
	switch (t) {
	case SFC_OBJ_IPAM_POOL:
		return &((struct sfc_ipam_pool *)obj)->meta.name;
	case SFC_OBJ_POD_TO_NODE:
		return &((struct sfc_pod_node *)obj)->pod;
	case SFC_OBJ_NODE:
		return &((struct sfc_node *)obj)->meta.name;
	case SFC_OBJ_OVERLAY:
		return &((struct sfc_overlay *)obj)->meta.name;
	case SFC_OBJ_SERVICE:
		return &((struct sfc_service *)obj)->meta.name;
	default:
		return NULL;
	}
}

int
sfc_model_add_json_object(struct sfc_model *m, enum sfc_obj_type t, const char *name,
			  const char *buf, size_t size, struct sfc_errors *err)
{
	if ((unsigned)t >= SFC_OBJ_N)
		return -EINVAL;
	char path[SFC_NAME_MAX + 64];
	if (t == SFC_OBJ_SYSTEM_PARAMETERS) {
		snprintf(path, sizeof(path), "%s", sfc_obj_type_name(t));
	} else {
		if (!name || !*name || strlen(name) > SFC_NAME_MAX || strchr(name, '/')) {
			sfc_errors_add(err, "%s/%.80s: bad object name", sfc_obj_type_name(t),
				       name ? name : "");
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "%s/%s", sfc_obj_type_name(t), name);
	}
	struct sfc_tnode *root = sfc_tree_from_json(buf, size, path, err);
	if (!root)
		return -EINVAL;
	const struct sfc_schema *s = sfc_schema_of[t];
	void *obj = calloc(1, s->size);
	if (!obj) {
		sfc_tnode_free(root);
		sfc_errors_add(err, "%s: out of memory", path);
		return -ENOMEM;
	}
	size_t n = sfc_decode_object(t, root, path, obj, err);
	sfc_tnode_free(root);
	char **np = object_name(t, obj);
	if (!n && np) {
		if (!*np) {
			*np = strdup(name);
			if (!*np) {
				sfc_errors_add(err, "%s: out of memory", path);
				n++;
			}
		} else if (strcmp(*np, name)) {
			sfc_errors_add(err, "%s: the object's name '%s' differs from the key's",
				       path, *np);
			n++;
		}
	}
	if (n) {
		sfc_free_object(t, obj);
		free(obj);
		return -EINVAL;
	}
	if (t == SFC_OBJ_SYSTEM_PARAMETERS) {
		sfc_free_object(t, &m->sys);
		memcpy(&m->sys, obj, sizeof(m->sys));
		free(obj);
		return 0;
	}
	char **arr;
	size_t *cnt;
	model_array(m, t, &arr, &cnt);
	if (*cnt >= SFC_LIST_MAX) {
		sfc_errors_add(err, "%s: more than %d objects of this type", path, SFC_LIST_MAX);
		sfc_free_object(t, obj);
		free(obj);
		return -EINVAL;
	}
	char *na = realloc(*arr, (*cnt + 1) * s->size);
	if (!na) {
		sfc_errors_add(err, "%s: out of memory", path);
		sfc_free_object(t, obj);
		free(obj);
		return -ENOMEM;
	}
	memcpy(na + *cnt * s->size, obj, s->size);
	free(obj);
	*arr = na;
	(*cnt)++;
	if (!m->version)
		m->version = SFC_YAML_VERSION;
	return 0;
}

int
sfc_model_remove_object(struct sfc_model *m, enum sfc_obj_type t, const char *name)
{
	if ((unsigned)t >= SFC_OBJ_N)
		return -EINVAL;
	if (t == SFC_OBJ_SYSTEM_PARAMETERS) {
		if (!m->sys.present)
			return -ENOENT;
		sfc_free_object(t, &m->sys);
		memset(&m->sys, 0, sizeof(m->sys));
		return 0;
	}
	char **arr;
	size_t *cnt;
	model_array(m, t, &arr, &cnt);
	size_t size = sfc_schema_of[t]->size;
	for (size_t i = 0; i < *cnt; i++) {
		char *obj = *arr + i * size;
		char **np = object_name(t, obj);
		if (!*np || !name || strcmp(*np, name))
			continue;
		sfc_free_object(t, obj);
		memmove(obj, obj + size, (*cnt - i - 1) * size);
		(*cnt)--;
		return 0;
	}
	return -ENOENT;
}

/* ---- lookups ---- */

#define FIND(fn, T, arr, n, field)                                                                 \
	const T *fn(const struct sfc_model *m, const char *name)                                   \
	{                                                                                          \
		for (size_t i = 0; m && name && i < m->n; i++)                                     \
			if (m->arr[i].field && !strcmp(m->arr[i].field, name))                     \
				return &m->arr[i];                                                 \
		return NULL;                                                                       \
	}
FIND(sfc_model_find_node, struct sfc_node, nodes, n_nodes, meta.name)
FIND(sfc_model_find_overlay, struct sfc_overlay, overlays, n_overlays, meta.name)
FIND(sfc_model_find_ipam_pool, struct sfc_ipam_pool, ipam_pools, n_ipam_pools, meta.name)
FIND(sfc_model_find_service, struct sfc_service, services, n_services, meta.name)
FIND(sfc_model_find_l2bd_template, struct sfc_bd_parms, sys.l2bd_templates, sys.n_l2bd_templates,
     name)

const char *
sfc_model_pod_node(const struct sfc_model *m, const char *pod)
{
	for (size_t i = 0; m && pod && i < m->n_pod_to_node; i++)
		if (m->pod_to_node[i].pod && !strcmp(m->pod_to_node[i].pod, pod))
			return m->pod_to_node[i].node;
	return NULL;
}

const struct sfc_pod *
sfc_service_find_pod(const struct sfc_service *s, const char *name)
{
	for (size_t i = 0; s && name && i < s->n_pods; i++)
		if (s->pods[i].meta.name && !strcmp(s->pods[i].meta.name, name))
			return &s->pods[i];
	return NULL;
}

static const struct sfc_interface *
find_if(const struct sfc_interface *v, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (v[i].name && !strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

const struct sfc_interface *
sfc_pod_find_interface(const struct sfc_pod *p, const char *name)
{
	return p ? find_if(p->interfaces, p->n_interfaces, name) : NULL;
}

const struct sfc_interface *
sfc_node_find_interface(const struct sfc_node *n, const char *name)
{
	return n ? find_if(n->interfaces, n->n_interfaces, name) : NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's sources and render cycle. The model is the --sfc-config file's objects, with the
 * store's objects (/sfc-controller/v2/config/<type>/<name>, written by etcdctl or by lig-sfc's
 * own REST PUT) replacing file objects of the same type and name. A file that does not parse or
 * does not validate is refused as a whole: the last good text stays in use and nothing is
 * re-rendered. A store object that does not decode is left out (reported); a service that does
 * not validate is OperDown and renders nothing. Each render recomputes the whole desired set
 * (sfc_render) and hands it to the diff writer. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lig_sfc.h"
#include "yaml_json.h"
#ifndef LIG_SFC_NO_RENDER
#include "sfc_render.h"
#else
#define SFC_AGENT_PREFIX "/vnf-agent/"
#endif

int
sfc_config_key(enum sfc_obj_type t, const char *name, char *buf, size_t size)
{
	int n = t == SFC_OBJ_SYSTEM_PARAMETERS
		    ? snprintf(buf, size, "%s%s", SFC_CONFIG_PREFIX, sfc_obj_type_name(t))
		    : snprintf(buf, size, "%s%s/%s", SFC_CONFIG_PREFIX, sfc_obj_type_name(t),
			       name ? name : "");
	return n < 0 || (size_t)n >= size ? -EINVAL : 0;
}

/* ---- the file ---- */

static struct cninfra_file_watch *file_watch;

static void
file_reload(void)
{
	char *text = NULL;
	size_t size = 0;
	int rc = agent_read_file(D.file, SFC_DOC_MAX, &text, &size);
	char msg[4096];
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", D.file, strerror(-rc));
	} else {
		if (D.file_text && D.file_size == size && !memcmp(D.file_text, text, size) &&
		    !D.file_error) {
			free(text);
			return; /* an event, no change */
		}
		struct sfc_model m;
		struct sfc_errors e = {0};
		if (sfc_model_parse_yaml(text, size, D.file, &m, &e) == 0)
			sfc_model_validate(&m, &e);
		sfc_model_free(&m);
		if (!e.n && !e.n_dropped) {
			free(D.file_text);
			D.file_text = text;
			D.file_size = size;
			free(D.file_error);
			D.file_error = NULL;
			sfc_log("%s: accepted (%zu bytes)", D.file, size);
			sfc_render_schedule();
			return;
		}
		sfc_errors_join(&e, msg, sizeof(msg));
		sfc_errors_free(&e);
		free(text);
	}
	if (!D.file_error || strcmp(D.file_error, msg)) {
		sfc_log("%s: refused, %s: %s", D.file,
			D.file_text ? "the last good content stays rendered"
				    : "nothing is rendered",
			msg);
		free(D.file_error);
		D.file_error = strdup(msg);
	}
}

static void
on_file_change(void *arg)
{
	(void)arg;
	file_reload();
}

int
sfc_file_start(const char *path)
{
	char err[600];
	D.file = strdup(path);
	if (!D.file)
		return -1;
	file_watch = cninfra_file_watch(D.loop, path, 50, on_file_change, NULL, err, sizeof(err));
	if (!file_watch) {
		fprintf(stderr, "lig-sfc: --sfc-config %s: %s\n", path, err);
		return -1;
	}
	file_reload();
	return 0;
}

void
sfc_file_stop(void)
{
	cninfra_file_watch_free(file_watch);
	file_watch = NULL;
}

/* ---- the store's objects ---- */

static void
sobj_clear(void)
{
	for (size_t i = 0; i < D.n_sobj; i++) {
		free(D.sobj[i].name);
		free(D.sobj[i].value);
	}
	free(D.sobj);
	D.sobj = NULL;
	D.n_sobj = 0;
}

/* Splits a config key into type and name; -1 when it is not one of ours. */
static int
parse_key(const char *key, enum sfc_obj_type *t, const char **name)
{
	size_t pl = strlen(SFC_CONFIG_PREFIX);
	if (strncmp(key, SFC_CONFIG_PREFIX, pl))
		return -1;
	const char *rest = key + pl;
	const char *slash = strchr(rest, '/');
	char type[64];
	size_t tl = slash ? (size_t)(slash - rest) : strlen(rest);
	if (tl >= sizeof(type))
		return -1;
	memcpy(type, rest, tl);
	type[tl] = 0;
	int v = sfc_obj_type_parse(type);
	if (v < 0)
		return -1;
	*t = (enum sfc_obj_type)v;
	if (*t == SFC_OBJ_SYSTEM_PARAMETERS) {
		*name = NULL;
		return slash ? -1 : 0;
	}
	if (!slash || !slash[1] || strchr(slash + 1, '/') || strlen(slash + 1) > SFC_NAME_MAX)
		return -1;
	*name = slash + 1;
	return 0;
}

static struct sfc_sobj *
sobj_find(enum sfc_obj_type t, const char *name)
{
	for (size_t i = 0; i < D.n_sobj; i++)
		if (D.sobj[i].type == t &&
		    ((!name && !D.sobj[i].name) ||
		     (name && D.sobj[i].name && !strcmp(name, D.sobj[i].name))))
			return &D.sobj[i];
	return NULL;
}

static void
sobj_set(const char *key, const char *value, size_t size)
{
	enum sfc_obj_type t;
	const char *name;
	if (parse_key(key, &t, &name) < 0) {
		sfc_log("store: %s: not an sfc-controller v2 config key: ignored", key);
		return;
	}
	struct sfc_sobj *o = sobj_find(t, name);
	if (!value) {
		if (o) {
			free(o->name);
			free(o->value);
			*o = D.sobj[--D.n_sobj];
		}
		return;
	}
	char *v = malloc(size + 1);
	if (!v)
		return;
	memcpy(v, value, size);
	v[size] = 0;
	if (o) {
		free(o->value);
		o->value = v;
		o->size = size;
		return;
	}
	struct sfc_sobj *n = realloc(D.sobj, (D.n_sobj + 1) * sizeof(*n));
	char *nm = name ? strdup(name) : NULL;
	if (!n || (name && !nm)) {
		if (n)
			D.sobj = n;
		free(v);
		free(nm);
		return;
	}
	D.sobj = n;
	D.sobj[D.n_sobj++] = (struct sfc_sobj){t, nm, v, size};
}

static void
on_sync(const struct cninfra_datasync_event *ev, void *arg)
{
	(void)arg;
	if (ev->kind == CNINFRA_SYNC_RESYNC) {
		sobj_clear();
		for (size_t i = 0; i < ev->list->count; i++)
			sobj_set(ev->list->pairs[i].key, ev->list->pairs[i].value,
				 ev->list->pairs[i].value_size);
		if (!D.synced)
			sfc_log("store: %zu config objects", D.n_sobj);
		D.synced = true;
	} else if (ev->ev->type == CNINFRA_KV_PUT) {
		sobj_set(ev->ev->kv->key, ev->ev->kv->value, ev->ev->kv->value_size);
	} else if (ev->ev->type == CNINFRA_KV_DELETE) {
		sobj_set(ev->ev->kv->key, NULL, 0);
	}
	sfc_render_schedule();
}

int
sfc_store_start(void)
{
	D.ds = cninfra_datasync_new(D.kv, SFC_CONFIG_PREFIX, 1000, on_sync, NULL);
	return D.ds ? 0 : -1;
}

void
sfc_store_stop(void)
{
	cninfra_datasync_free(D.ds);
	D.ds = NULL;
	sobj_clear();
}

/* ---- drift ---- */

static void
on_agent_change(const struct cninfra_kv_event *ev, void *arg)
{
	(void)arg;
	bool drift = false;
	if (ev->type == CNINFRA_KV_LOST) {
		sfc_writer_invalidate(D.writer);
		drift = true;
	} else if (ev->kv) {
		drift = sfc_writer_observe(D.writer, ev->kv->key,
					   ev->type == CNINFRA_KV_PUT ? ev->kv->value : NULL,
					   ev->type == CNINFRA_KV_PUT ? ev->kv->value_size : 0);
	}
	if (drift) {
		D.drifts++;
		sfc_log("drift: %s %s behind lig-sfc's back: re-rendering",
			ev->kv ? ev->kv->key : "the agents' keys",
			ev->type == CNINFRA_KV_DELETE ? "deleted" : "changed");
		sfc_render_schedule();
	}
}

int
sfc_drift_start(void)
{
	D.drift_watch = cninfra_kv_watch(D.kv, SFC_AGENT_PREFIX, 0, on_agent_change, NULL);
	return D.drift_watch ? 0 : -1;
}

void
sfc_drift_stop(void)
{
	cninfra_kv_unwatch(D.drift_watch);
	D.drift_watch = NULL;
}

/* ---- the render cycle ---- */

int
sfc_assemble(struct sfc_model *m, struct sfc_errors *err)
{
	memset(m, 0, sizeof(*m));
	if (D.file_text) {
		struct sfc_errors e = {0};
		int rc = sfc_model_parse_yaml(D.file_text, D.file_size, D.file, m, &e);
		sfc_errors_free(&e);
		if (rc)
			return rc == -EINVAL ? -ENOMEM : rc; /* it parsed before */
	}
	m->version = SFC_YAML_VERSION;
	for (size_t i = 0; i < D.n_sobj; i++) {
		const struct sfc_sobj *o = &D.sobj[i];
		struct sfc_model tmp = {0};
		if (sfc_model_add_json_object(&tmp, o->type, o->name, o->value, o->size, err)) {
			sfc_model_free(&tmp);
			continue; /* reported in err, left out */
		}
		sfc_model_free(&tmp);
		sfc_model_remove_object(m, o->type, o->name);
		if (sfc_model_add_json_object(m, o->type, o->name, o->value, o->size, err))
			return -ENOMEM;
	}
	return 0;
}

void
sfc_render_schedule(void)
{
	if (D.render_timer)
		cninfra_timer_set(D.render_timer, 20, 0);
}

__attribute__((unused)) static void
status_set(struct sfc_status *st, enum sfc_oper_status oper, char *const *msg, size_t n)
{
	for (size_t i = 0; i < st->n_msg; i++)
		free(st->msg[i]);
	free(st->msg);
	st->msg = n ? calloc(n, sizeof(char *)) : NULL;
	st->n_msg = 0;
	st->oper = oper;
	for (size_t i = 0; st->msg && i < n; i++)
		if ((st->msg[st->n_msg] = strdup(msg[i])))
			st->n_msg++;
}

__attribute__((unused)) static char *
status_value(const struct sfc_status *st)
{
	json_t *o = json_object(), *a = json_array();
	if (!o || !a) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	json_object_set_new(o, "oper_status", json_string(sfc_oper_status_name(st->oper)));
	for (size_t i = 0; i < st->n_msg; i++)
		json_array_append_new(a, json_string(st->msg[i]));
	json_object_set_new(o, "msg", a);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

#ifdef LIG_SFC_NO_RENDER
void
sfc_render_now(void)
{
	free(D.render_error);
	D.render_error = strdup("lig-sfc was built without the renderer (sfc/render)");
}
#else
void
sfc_render_now(void)
{
	if (!D.synced || (D.file && !D.file_text))
		return; /* never render over the store before knowing its objects and the file */
	uint64_t t0 = cninfra_now_ms();
	struct sfc_model m;
	struct sfc_errors err = {0};
	struct sfc_render_out out = {0};
	struct sfc_wkv *want = NULL;
	char **owned = NULL; /* strings want[] points to */
	size_t n_want = 0, n_owned = 0;
	int rc = sfc_assemble(&m, &err);
	if (rc)
		goto fail;
	sfc_model_validate(&m, &err);
	/* Services that do not validate are down and left out of the render: move them last. */
	size_t n_good = 0;
	struct sfc_errors *se = calloc(m.n_services ? m.n_services : 1, sizeof(*se));
	rc = -ENOMEM;
	if (!se)
		goto fail;
	sfc_model_validate_services(&m, se);
	for (size_t i = 0; i < m.n_services; i++) {
		if (se[i].n || se[i].n_dropped) {
			status_set(&m.services[i].status, SFC_OPER_DOWN, se[i].msg, se[i].n);
		} else {
			struct sfc_service tmp = m.services[n_good];
			m.services[n_good] = m.services[i];
			m.services[i] = tmp;
			n_good++;
		}
		sfc_errors_free(&se[i]);
	}
	free(se);
	size_t n_all = m.n_services;
	m.n_services = n_good;
	rc = sfc_render(&m, D.alloc, &out);
	m.n_services = n_all;
	if (rc)
		goto fail;
	for (size_t i = 0; i < out.n_status; i++) {
		const struct sfc_robj_status *rs = &out.status[i];
		struct sfc_status *st = NULL;
		if (rs->type == SFC_OBJ_SERVICE) {
			const struct sfc_service *s = sfc_model_find_service(&m, rs->name);
			st = s ? (struct sfc_status *)&s->status : NULL;
		} else if (rs->type == SFC_OBJ_NODE) {
			const struct sfc_node *n = sfc_model_find_node(&m, rs->name);
			st = n ? (struct sfc_status *)&n->status : NULL;
		}
		if (st)
			status_set(st, rs->oper, rs->msg, rs->n_msg);
	}
	/* The desired set: the rendered keys, a status key per service and node, the
	 * allocations. */
	/* Overlays: down with the validation errors that name them, else up. */
	for (size_t i = 0; i < m.n_overlays; i++) {
		struct sfc_overlay *o = &m.overlays[i];
		size_t ol = o->origin ? strlen(o->origin) : 0;
		char **msg = calloc(err.n ? err.n : 1, sizeof(char *));
		size_t n = 0;
		for (size_t k = 0; msg && ol && k < err.n; k++)
			if (!strncmp(err.msg[k], o->origin, ol) && strchr(":.[", err.msg[k][ol]))
				msg[n++] = err.msg[k];
		char ok[] = "OK", *okp = ok;
		status_set(&o->status, n ? SFC_OPER_DOWN : SFC_OPER_UP, n ? msg : &okp, n ? n : 1);
		free(msg);
	}
	size_t cap = out.n_kv + m.n_services + m.n_nodes + m.n_overlays + 1;
	want = calloc(cap, sizeof(*want));
	owned = calloc(cap * 2, sizeof(*owned));
	rc = -ENOMEM;
	if (!want || !owned)
		goto fail;
	for (size_t i = 0; i < out.n_kv; i++) {
		const struct sfc_rkv *kv = &out.kv[i];
		size_t len = 1;
		for (size_t k = 0; k < kv->n_owners; k++)
			len += strlen(kv->owners[k]) + 1;
		char *ow = owned[n_owned++] = calloc(1, len);
		if (!ow)
			goto fail;
		for (size_t k = 0; k < kv->n_owners; k++) {
			if (k)
				strcat(ow, ",");
			strcat(ow, kv->owners[k]);
		}
		want[n_want++] = (struct sfc_wkv){kv->key, kv->value, strlen(kv->value), ow};
	}
	for (size_t i = 0; i < m.n_services + m.n_nodes + m.n_overlays; i++) {
		const struct sfc_status *st;
		const char *name, *type;
		if (i < m.n_services) {
			st = &m.services[i].status;
			name = m.services[i].meta.name;
			type = "network-service";
		} else if (i < m.n_services + m.n_nodes) {
			st = &m.nodes[i - m.n_services].status;
			name = m.nodes[i - m.n_services].meta.name;
			type = "network-node";
		} else {
			st = &m.overlays[i - m.n_services - m.n_nodes].status;
			name = m.overlays[i - m.n_services - m.n_nodes].meta.name;
			type = "network-node-overlay";
		}
		if (!name)
			continue;
		char key[CNINFRA_KV_MAX_KEY];
		snprintf(key, sizeof(key), "%s%s/%s", SFC_STATUS_PREFIX, type, name);
		char *k = owned[n_owned++] = strdup(key);
		char *v = owned[n_owned++] = status_value(st);
		if (!k || !v)
			goto fail;
		want[n_want++] = (struct sfc_wkv){k, v, strlen(v), NULL};
	}
	char *alloc = NULL;
	size_t alloc_size = 0;
	if (sfc_alloc_to_json(D.alloc, &alloc, &alloc_size))
		goto fail;
	owned[n_owned++] = alloc;
	want[n_want++] = (struct sfc_wkv){SFC_ALLOC_KEY, alloc, alloc_size, NULL};
	struct sfc_wstats st;
	rc = sfc_writer_apply(D.writer, want, n_want, &st);
	D.last_rc = rc;
	if (rc) {
		sfc_log("render: the store refused the write: %s (retrying in 1 s)", strerror(-rc));
		cninfra_timer_set(D.render_timer, 1000, 0);
		free(D.render_error);
		D.render_error = strdup(strerror(-rc));
	} else {
		free(D.render_error);
		D.render_error = NULL;
	}
	D.last = st;
	D.renders++;
	/* Down is what the status says: a service that validated can still be OperDown from the
	 * render (a conflict, an allocation that failed), which n_good does not count. */
	size_t n_down = 0;
	for (size_t i = 0; i < m.n_services; i++)
		n_down += m.services[i].status.oper == SFC_OPER_DOWN;
	sfc_log("render %zu: %zu keys, %zu services (%zu down), %zu nodes: %zu puts, %zu deletes, "
		"%zu txns, %llu ms",
		D.renders, out.n_kv, m.n_services, n_down, m.n_nodes, st.puts, st.deletes, st.txns,
		(unsigned long long)(cninfra_now_ms() - t0));
	for (size_t i = 0; i < err.n; i++)
		sfc_log("  %s", err.msg[i]);
	sfc_model_free(&D.model);
	D.model = m;
	sfc_errors_free(&D.errors);
	D.errors = err;
	memset(&err, 0, sizeof(err));
	goto out;
fail:
	sfc_log("render failed: %s", strerror(-rc));
	free(D.render_error);
	D.render_error = strdup(strerror(-rc));
	sfc_model_free(&m);
	sfc_errors_free(&err);
out:
	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);
	free(owned);
	free(want);
	sfc_render_out_free(&out);
}
#endif

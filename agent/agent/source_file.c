/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent's --config-file source: a YAML or JSON file of configuration items, read at start and
 * re-read whenever it changes (inotify on its directory, so editors that write a new file and
 * rename it over the old one, and Kubernetes ConfigMap symlink swaps, are seen too). A reload is
 * a full reload of the file source: items gone from the file are dropped from it (the key is
 * deleted unless the store or REST has it). A file that does not parse keeps the previous items.
 * Also the document shapes shared with REST (agent_doc_items). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "lig_models_doc.h"
#include "yaml_json.h"

#define FILE_SIZE_MAX (64 * 1024 * 1024)

/* ---- documents ---- */

void
agent_doc_items_free(struct agent_doc_items *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d->keys);
	free(d->values);
	json_decref(d->index);
	memset(d, 0, sizeof(*d));
}

/* Takes key and value (malloc'ed); a key given again replaces the value. */
static int
doc_put(struct agent_doc_items *d, char *key, char *value)
{
	if (!key || !value) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	if (!d->index && !(d->index = json_object())) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	const json_t *at = json_object_get(d->index, key);
	if (at) {
		size_t i = (size_t)json_integer_value(at);
		free(d->values[i]);
		d->values[i] = value;
		free(key);
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		char **k = realloc(d->keys, cap * sizeof(*k));
		if (k)
			d->keys = k;
		char **v = realloc(d->values, cap * sizeof(*v));
		if (v)
			d->values = v;
		if (!k || !v) {
			free(key);
			free(value);
			return -ENOMEM;
		}
		d->cap = cap;
	}
	if (json_object_set_new(d->index, key, json_integer((json_int_t)d->n))) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	d->keys[d->n] = key;
	d->values[d->n++] = value;
	return 0;
}

/* One {key, value} item: value an object (its JSON) or a string (the value's text). */
static int
doc_kv(struct agent_doc_items *d, const char *key, const json_t *v, char *err, size_t err_n)
{
	char full[LIG_MODEL_KEY_MAX + 256];
	int rc = agent_key_full(key, full, sizeof(full), err, err_n);
	if (rc)
		return rc;
	char *text;
	if (json_is_string(v))
		text = strndup(json_string_value(v), json_string_length(v));
	else if (json_is_object(v))
		text = json_dumps(v, JSON_COMPACT);
	else {
		snprintf(err, err_n, "%.200s: the value is not an object or a string of JSON", key);
		return -EINVAL;
	}
	return doc_put(d, strdup(full), text);
}

static bool
is_group(const char *k)
{
	static const char *const g[] = {"vppConfig",	"vpp_config",	  "linuxConfig",
					"linux_config", "netallocConfig", "netalloc_config"};
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (!strcmp(k, g[i]))
			return true;
	return false;
}

int
agent_doc_items(const json_t *doc, struct agent_doc_items *out, char *err, size_t err_n)
{
	memset(out, 0, sizeof(*out));
	if (json_is_null(doc))
		return 0; /* an empty file */
	if (json_is_array(doc)) {
		size_t i;
		const json_t *e;
		json_array_foreach(doc, i, e)
		{
			const json_t *k = json_object_get(e, "key"),
				     *v = json_object_get(e, "value");
			if (!json_is_object(e) || !json_is_string(k) || !v ||
			    json_object_size(e) != 2) {
				snprintf(err, err_n, "item %zu: not {key: ..., value: ...}", i);
				return -EINVAL;
			}
			int rc = doc_kv(out, json_string_value(k), v, err, err_n);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!json_is_object(doc)) {
		snprintf(err, err_n,
			 "not a document (vppConfig/linuxConfig), a list of {key, value} "
			 "or a map of keys to values");
		return -EINVAL;
	}
	const char *k;
	const json_t *v;
	bool groups = false, keys = false;
	json_object_foreach((json_t *)doc, k, v)
	{
		if (is_group(k))
			groups = true;
		else
			keys = true;
	}
	if (groups && keys) {
		snprintf(err, err_n, "vppConfig/linuxConfig and keys mixed in one document");
		return -EINVAL;
	}
	if (keys) {
		json_object_foreach((json_t *)doc, k, v)
		{
			int rc = doc_kv(out, k, v, err, err_n);
			if (rc)
				return rc;
		}
		return 0;
	}
	struct lig_model_doc_items items;
	struct lig_model_error me;
	int rc = lig_model_doc_decode(doc, A.label, &items, &me);
	if (rc) {
		snprintf(err, err_n, "%s", me.text);
	} else {
		for (size_t i = 0; i < items.n && !rc; i++) {
			rc = doc_put(out, items.items[i].key, items.items[i].value);
			items.items[i].key = items.items[i].value = NULL;
		}
	}
	lig_model_doc_items_free(&items);
	return rc;
}

/* ---- the file source ---- */

static struct {
	char *path;
	struct cninfra_file_watch *fw;
	char *last; /* the text last applied (NULL: none yet, or the file was missing) */
	size_t last_size;
	bool missing;
} F;

/* (Re)reads the file and applies it as the file source's complete content. */
static void
reload(bool first)
{
	char *text = NULL;
	size_t size = 0;
	int rc = agent_read_file(F.path, FILE_SIZE_MAX, &text, &size);
	if (rc == -ENOENT) {
		if (!F.missing)
			agent_log("config file %s: missing: its items are dropped", F.path);
		F.missing = true;
		free(F.last);
		F.last = NULL;
		agent_source_reload_begin(AGENT_SRC_FILE);
		agent_source_reload_end(AGENT_SRC_FILE);
		return;
	}
	if (rc < 0) {
		agent_log("config file %s: %s: keeping the items read before", F.path,
			  strerror(-rc));
		return;
	}
	F.missing = false;
	if (!first && F.last && F.last_size == size && !memcmp(F.last, text, size)) {
		free(text);
		return; /* an event, no change */
	}
	char err[512];
	json_t *doc = agent_yaml_load(text, size, err, sizeof(err));
	struct agent_doc_items d = {0};
	rc = doc ? agent_doc_items(doc, &d, err, sizeof(err)) : -EINVAL;
	json_decref(doc);
	if (rc) {
		agent_log("config file %s: %s: keeping the items read before", F.path, err);
		agent_doc_items_free(&d);
		free(text);
		return;
	}
	agent_source_reload_begin(AGENT_SRC_FILE);
	for (size_t i = 0; i < d.n; i++)
		agent_source_set(AGENT_SRC_FILE, d.keys[i], d.values[i], strlen(d.values[i]));
	agent_source_reload_end(AGENT_SRC_FILE);
	agent_log("config file %s: %zu items%s", F.path, d.n, first ? "" : " (re-read)");
	agent_doc_items_free(&d);
	free(F.last);
	F.last = text;
	F.last_size = size;
}

static void
on_file_change(void *arg)
{
	(void)arg;
	reload(false);
}

int
agent_file_source_start(const char *path)
{
	char err[600];
	F.path = strdup(path);
	if (!F.path)
		return -1;
	F.fw = cninfra_file_watch(A.loop, path, 50, on_file_change, NULL, err, sizeof(err));
	if (!F.fw) {
		fprintf(stderr, "lig-agent: --config-file %s: %s\n", path, err);
		return -1;
	}
	reload(true);
	return 0;
}

void
agent_file_source_stop(void)
{
	cninfra_file_watch_free(F.fw);
	free(F.path);
	free(F.last);
	memset(&F, 0, sizeof(F));
}

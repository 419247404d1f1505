/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent REST configuration, vpp-agent's /configuration: GET returns the desired state as
 * vpp-agent's document (netallocConfig/linuxConfig/vppConfig) in YAML, or JSON on request
 * (?format=json or Accept: application/json); PUT takes such a document (YAML or JSON; also the
 * --config-file shapes) as the REST source's items, merged by default, replacing everything REST
 * gave before with ?replace (vpp-agent's parameter). Single keys: GET/PUT/DELETE
 * /configuration/<key> (config/... or the full key). REST is the highest source (docs/agent.md,
 * "Sources"); the reply follows the transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "lig_models_doc.h"
#include "yaml_json.h"

static bool
wants_json(const struct cninfra_http_req *req)
{
	const char *f = cninfra_http_query(req, "format");
	if (f)
		return !strcmp(f, "json");
	const char *acc = cninfra_http_header(req, "Accept");
	return acc && strstr(acc, "application/json") && !strstr(acc, "yaml");
}

static void
reply_doc(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, const json_t *doc)
{
	if (wants_json(req)) {
		cninfra_http_reply_json(resp, 200, doc);
		return;
	}
	char *y = agent_yaml_dump(doc);
	if (!y) {
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	free(resp->body);
	resp->status = 200;
	resp->content_type = "application/yaml; charset=utf-8";
	resp->body = y;
	resp->body_size = strlen(y);
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(A.items[*(const size_t *)a].key, A.items[*(const size_t *)b].key);
}

static void
h_get(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	json_t *doc = lig_model_doc_new();
	size_t *order = malloc((A.n_items + 1) * sizeof(*order));
	if (!doc || !order) {
		json_decref(doc);
		free(order);
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	for (size_t k = 0; k < A.n_items; k++)
		order[k] = k;
	qsort(order, A.n_items, sizeof(*order), by_key);
	/* Values that do not decode (INVALID in /scheduler/status) cannot be in the document. */
	for (size_t k = 0; k < A.n_items; k++) {
		const struct agent_item *it = &A.items[order[k]];
		struct lig_model_error me;
		if (lig_model_doc_add(doc, it->key, it->value, it->size, &me) == -ENOMEM) {
			cninfra_http_reply_error(resp, 500, "out of memory");
			goto out;
		}
	}
	reply_doc(req, resp, doc);
out:
	free(order);
	json_decref(doc);
}

/* The body as a tree: YAML or JSON. NULL after replying 400. */
static json_t *
body_tree(const struct cninfra_http_req *req, struct cninfra_http_resp *resp)
{
	char err[300], msg[400];
	json_t *t = agent_yaml_load(req->body, req->body_size, err, sizeof(err));
	if (!t) {
		snprintf(msg, sizeof(msg), "body: %s", err);
		cninfra_http_reply_error(resp, 400, msg);
	}
	return t;
}

/* Commits what the handler changed and replies with the transaction. */
static void
reply_applied(struct cninfra_http_resp *resp, size_t items)
{
	uint64_t seq = 0;
	int rc = agent_commit_now(&seq);
	json_t *o = json_pack("{s:I}", "items", (json_int_t)items);
	if (rc == 0 && seq)
		json_object_set_new(o, "transaction", json_integer((json_int_t)seq));
	if (rc == -EAGAIN)
		json_object_set_new(o, "note",
				    json_string("kept; applied with the resync that is due"));
	cninfra_http_reply_json(resp, rc == -EAGAIN ? 202 : rc < 0 ? 500 : 200, o);
	json_decref(o);
}

static void
h_put(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	json_t *t = body_tree(req, resp);
	if (!t)
		return;
	struct agent_doc_items d;
	char err[512];
	int rc = agent_doc_items(t, &d, err, sizeof(err));
	json_decref(t);
	if (rc) {
		cninfra_http_reply_error(resp, rc == -EOPNOTSUPP ? 422 : 400, err);
		agent_doc_items_free(&d);
		return;
	}
	const char *rep = cninfra_http_query(req, "replace");
	bool replace = rep && strcmp(rep, "false") && strcmp(rep, "0");
	if (replace)
		agent_source_reload_begin(AGENT_SRC_REST);
	for (size_t i = 0; i < d.n && !rc; i++)
		rc = agent_source_set(AGENT_SRC_REST, d.keys[i], d.values[i], strlen(d.values[i]));
	if (replace)
		agent_source_reload_end(AGENT_SRC_REST);
	agent_log("REST: PUT /configuration: %zu items%s", d.n, replace ? " (replace)" : "");
	size_t n = d.n;
	agent_doc_items_free(&d);
	if (rc) {
		cninfra_http_reply_error(resp, 500, strerror(-rc));
		return;
	}
	reply_applied(resp, n);
}

/* The full key of /configuration/<key>; NULL after replying 400. */
static const char *
url_key(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, char *buf, size_t n)
{
	const char *k = req->path + strlen("/configuration/");
	char err[400];
	char tmp[LIG_MODEL_KEY_MAX + 256];
	/* /configuration/vpp/v2/... is short for /configuration/config/vpp/v2/... */
	if (k[0] != '/' && strncmp(k, "config/", 7) != 0) {
		snprintf(tmp, sizeof(tmp), "config/%s", k);
		k = tmp;
	}
	if (agent_key_full(k, buf, n, err, sizeof(err)) < 0) {
		cninfra_http_reply_error(resp, 400, err);
		return NULL;
	}
	return buf;
}

static void
h_key_get(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	char key[LIG_MODEL_KEY_MAX + 256];
	if (!url_key(req, resp, key, sizeof(key)))
		return;
	const struct agent_item *it = agent_item_find(key);
	if (!it) {
		cninfra_http_reply_error(resp, 404, "no such key in the desired state");
		return;
	}
	json_t *o = json_object(), *srcs = json_object();
	for (int s = 0; s < AGENT_SRC_N; s++)
		if (it->src_value[s]) {
			json_error_t je;
			json_t *v = json_loadb(it->src_value[s], it->src_size[s], 0, &je);
			json_object_set_new(srcs, agent_source_name((enum agent_source)s),
					    v ? v
					      : json_stringn(it->src_value[s], it->src_size[s]));
		}
	json_object_set_new(o, "key", json_string(it->key));
	json_object_set_new(o, "source", json_string(agent_source_name(it->src)));
	json_object_set(o, "value", json_object_get(srcs, agent_source_name(it->src)));
	json_object_set_new(o, "sources", srcs);
	cninfra_http_reply_json(resp, 200, o);
	json_decref(o);
}

static void
h_key_put(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	char key[LIG_MODEL_KEY_MAX + 256];
	if (!url_key(req, resp, key, sizeof(key)))
		return;
	json_t *t = body_tree(req, resp);
	if (!t)
		return;
	if (!json_is_object(t)) {
		json_decref(t);
		cninfra_http_reply_error(resp, 400, "body: the value is not an object");
		return;
	}
	char *text = json_dumps(t, JSON_COMPACT);
	json_decref(t);
	int rc = text ? agent_source_set(AGENT_SRC_REST, key, text, strlen(text)) : -ENOMEM;
	free(text);
	if (rc) {
		cninfra_http_reply_error(resp, 500, strerror(-rc));
		return;
	}
	reply_applied(resp, 1);
}

static void
h_key_del(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	char key[LIG_MODEL_KEY_MAX + 256];
	if (!url_key(req, resp, key, sizeof(key)))
		return;
	const struct agent_item *it = agent_item_find(key);
	if (!it || !it->src_value[AGENT_SRC_REST]) {
		cninfra_http_reply_error(resp, 404, "REST did not set this key");
		return;
	}
	agent_source_set(AGENT_SRC_REST, key, NULL, 0);
	reply_applied(resp, 1);
}

void
agent_rest_config_register(struct cninfra_http *http)
{
	cninfra_http_handle(http, "GET", "/configuration", h_get, NULL);
	cninfra_http_handle(http, "PUT", "/configuration", h_put, NULL);
	cninfra_http_handle(http, "GET", "/configuration/*", h_key_get, NULL);
	cninfra_http_handle(http, "PUT", "/configuration/*", h_key_put, NULL);
	cninfra_http_handle(http, "DELETE", "/configuration/*", h_key_del, NULL);
}

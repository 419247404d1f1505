/* SPDX-License-Identifier: Apache-2.0 */
/* lig-sfc's REST API (sfc-controller's paths):
 *   GET    /sfc-controller                               the whole system as v2 YAML with
 *                                                         statuses; errors as leading comments
 *   GET    /sfc-controller/v2/status                     JSON: the file's state, errors, the
 *                                                         last render's writes
 *   GET    /sfc-controller/v2/config/<type>[/<name>]     one object as JSON (from the file or
 *                                                         the store)
 *   GET    /sfc-controller/v2/config/network-services    every object of a type, a JSON array
 *          (ipam-pools, network-pod-to-node-map, network-nodes, network-node-overlays)
 *   PUT    /sfc-controller/v2/config/<type>[/<name>]     checked (decoding; a service also
 *                                                         semantically), then put in the store
 *   DELETE /sfc-controller/v2/config/<type>[/<name>]     deleted from the store
 *   GET    /liveness
 * Writes go through the store, so the store's watch is the one path objects take into the
 * model whoever writes them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lig_sfc.h"

static int
path_object(const char *path, enum sfc_obj_type *t, const char **name, char *type_buf, size_t size)
{
	const char *p = path + strlen(SFC_CONFIG_PREFIX);
	const char *slash = strchr(p, '/');
	size_t tl = slash ? (size_t)(slash - p) : strlen(p);
	if (tl >= size)
		return -1;
	memcpy(type_buf, p, tl);
	type_buf[tl] = 0;
	int v = sfc_obj_type_parse(type_buf);
	if (v < 0)
		return -1;
	*t = (enum sfc_obj_type)v;
	if (*t == SFC_OBJ_SYSTEM_PARAMETERS) {
		*name = NULL;
		return slash && slash[1] ? -1 : 0;
	}
	if (!slash || !slash[1] || strchr(slash + 1, '/') || strlen(slash + 1) > SFC_NAME_MAX)
		return -1;
	*name = slash + 1;
	return 0;
}

static const void *
model_object(const struct sfc_model *m, enum sfc_obj_type t, const char *name)
{
	switch (t) {
	case SFC_OBJ_SYSTEM_PARAMETERS:
		return m->sys.present ? &m->sys : NULL;
	case SFC_OBJ_IPAM_POOL:
		return sfc_model_find_ipam_pool(m, name);
	case SFC_OBJ_NODE:
		return sfc_model_find_node(m, name);
	case SFC_OBJ_OVERLAY:
		return sfc_model_find_overlay(m, name);
	case SFC_OBJ_SERVICE:
		return sfc_model_find_service(m, name);
	case SFC_OBJ_POD_TO_NODE:
		for (size_t i = 0; i < m->n_pod_to_node; i++)
			if (m->pod_to_node[i].pod && !strcmp(m->pod_to_node[i].pod, name))
				return &m->pod_to_node[i];
		return NULL;
	default:
		return NULL;
	}
}

static void
reply_errors(struct cninfra_http_resp *resp, unsigned status, const struct sfc_errors *e)
{
	json_t *o = json_object(), *a = json_array();
	for (size_t i = 0; o && a && i < e->n; i++)
		json_array_append_new(a, json_string(e->msg[i]));
	json_object_set_new(o, "errors", a);
	cninfra_http_reply_json(resp, status, o);
	json_decref(o);
}

/* sfc-controller's "get all" paths (each manager's GetAllURL). */
static const struct {
	const char *path;
	enum sfc_obj_type type;
} all_paths[] = {
    {"ipam-pools", SFC_OBJ_IPAM_POOL},	   {"network-pod-to-node-map", SFC_OBJ_POD_TO_NODE},
    {"network-nodes", SFC_OBJ_NODE},	   {"network-node-overlays", SFC_OBJ_OVERLAY},
    {"network-services", SFC_OBJ_SERVICE},
};

/* GET of every object of a type: a JSON array. */
static bool
get_all(const struct cninfra_http_req *req, struct cninfra_http_resp *resp)
{
	const char *p = req->path + strlen(SFC_CONFIG_PREFIX);
	const struct sfc_model *m = &D.model;
	for (size_t i = 0; i < sizeof(all_paths) / sizeof(all_paths[0]); i++) {
		if (strcmp(p, all_paths[i].path))
			continue;
		if (strcmp(req->method, "GET")) {
			cninfra_http_reply_error(resp, 405, "GET only");
			return true;
		}
		enum sfc_obj_type t = all_paths[i].type;
		size_t n = t == SFC_OBJ_IPAM_POOL     ? m->n_ipam_pools
			   : t == SFC_OBJ_POD_TO_NODE ? m->n_pod_to_node
			   : t == SFC_OBJ_NODE	      ? m->n_nodes
			   : t == SFC_OBJ_OVERLAY     ? m->n_overlays
						      : m->n_services;
		json_t *a = json_array();
		for (size_t k = 0; a && k < n; k++) {
			const void *obj = t == SFC_OBJ_IPAM_POOL ? (const void *)&m->ipam_pools[k]
					  : t == SFC_OBJ_POD_TO_NODE
					      ? (const void *)&m->pod_to_node[k]
					  : t == SFC_OBJ_NODE	 ? (const void *)&m->nodes[k]
					  : t == SFC_OBJ_OVERLAY ? (const void *)&m->overlays[k]
								 : (const void *)&m->services[k];
			char *s = NULL;
			json_t *j = NULL;
			if (sfc_model_object_json(t, obj, &s, NULL) == 0)
				j = json_loads(s, 0, NULL);
			free(s);
			if (!j || json_array_append_new(a, j)) {
				json_decref(a);
				a = NULL;
			}
		}
		if (a)
			cninfra_http_reply_json(resp, 200, a);
		else
			cninfra_http_reply_error(resp, 500, "out of memory");
		json_decref(a);
		return true;
	}
	return false;
}

static void
h_object(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)arg;
	enum sfc_obj_type t;
	const char *name;
	char type[64], key[512];
	if (get_all(req, resp))
		return;
	if (path_object(req->path, &t, &name, type, sizeof(type)) < 0 ||
	    sfc_config_key(t, name, key, sizeof(key)) < 0) {
		cninfra_http_reply_error(
		    resp, 404, "not an object path: /sfc-controller/v2/config/<type>/<name>");
		return;
	}
	if (!strcmp(req->method, "GET")) {
		const void *obj = model_object(&D.model, t, name);
		char *s = NULL;
		size_t n = 0;
		if (!obj) {
			cninfra_http_reply_error(resp, 404, "no such object");
			return;
		}
		if (sfc_model_object_json(t, obj, &s, &n)) {
			cninfra_http_reply_error(resp, 500, "out of memory");
			return;
		}
		cninfra_http_reply_data(resp, 200, "application/json", s, n);
		free(s);
		return;
	}
	if (!strcmp(req->method, "DELETE")) {
		size_t deleted = 0;
		int rc = cninfra_kv_delete(D.kv, key, 0, &deleted);
		if (rc) {
			cninfra_http_reply_error(resp, 503, strerror(-rc));
			return;
		}
		if (!deleted) {
			cninfra_http_reply_error(resp, model_object(&D.model, t, name) ? 409 : 404,
						 model_object(&D.model, t, name)
						     ? "the object is defined in the --sfc-config "
						       "file: edit the file"
						     : "no such object in the store");
			return;
		}
		cninfra_http_reply_text(resp, 200, "{}");
		resp->content_type = "application/json";
		return;
	}
	if (strcmp(req->method, "PUT") && strcmp(req->method, "POST")) {
		cninfra_http_reply_error(resp, 405, "GET, PUT, POST or DELETE");
		return;
	}
	/* PUT/POST: the object must decode; a service must also validate in the current
	 * system (with the object in place of its namesake). */
	struct sfc_errors e = {0};
	struct sfc_model tmp = {0};
	if (sfc_model_add_json_object(&tmp, t, name, req->body, req->body_size, &e)) {
		sfc_model_free(&tmp);
		reply_errors(resp, 400, &e);
		sfc_errors_free(&e);
		return;
	}
	sfc_model_free(&tmp);
	if (t == SFC_OBJ_SERVICE) {
		struct sfc_model m;
		struct sfc_errors ae = {0};
		if (sfc_assemble(&m, &ae) == 0) {
			sfc_model_remove_object(&m, t, name);
			if (sfc_model_add_json_object(&m, t, name, req->body, req->body_size, &e) ==
			    0)
				sfc_model_validate_service(&m, sfc_model_find_service(&m, name),
							   &e);
		}
		sfc_model_free(&m);
		sfc_errors_free(&ae);
		if (e.n) {
			reply_errors(resp, 400, &e);
			sfc_errors_free(&e);
			return;
		}
	}
	sfc_errors_free(&e);
	int rc = cninfra_kv_put(D.kv, key, req->body, req->body_size, NULL);
	if (rc) {
		cninfra_http_reply_error(resp, 503, strerror(-rc));
		return;
	}
	cninfra_http_reply_text(resp, 200, "{}");
	resp->content_type = "application/json";
}

static void
h_system(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	char *y = NULL;
	size_t n = 0;
	if (sfc_model_dump_yaml(&D.model, true, &y, &n)) {
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	/* Errors first, as comments: the document still reads back. */
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		free(y);
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	if (D.file_error) {
		fprintf(f, "# file %s refused:\n# ", D.file ? D.file : "");
		for (const char *p = D.file_error; *p; p++)
			if (*p == '\n')
				fputs("\n# ", f);
			else
				fputc(*p, f);
		fputc('\n', f);
	}
	for (size_t i = 0; i < D.errors.n; i++)
		fprintf(f, "# error: %s\n", D.errors.msg[i]);
	fwrite(y, 1, n, f);
	free(y);
	if (fclose(f) != 0) {
		free(body);
		cninfra_http_reply_error(resp, 500, "out of memory");
		return;
	}
	resp->status = 200;
	resp->content_type = "application/yaml";
	resp->body = body;
	resp->body_size = len;
}

static void
h_status(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *errs = json_array();
	for (size_t i = 0; i < D.errors.n; i++)
		json_array_append_new(errs, json_string(D.errors.msg[i]));
	json_t *o = json_pack("{s:s?,s:s?,s:o,s:I,s:I,s:s?,s:{s:I,s:I,s:I,s:I,s:I}}", "file",
			      D.file, "file_error", D.file_error, "errors", errs, "renders",
			      (json_int_t)D.renders, "drifts", (json_int_t)D.drifts, "render_error",
			      D.render_error, "last", "puts", (json_int_t)D.last.puts, "deletes",
			      (json_int_t)D.last.deletes, "ops", (json_int_t)D.last.ops, "txns",
			      (json_int_t)D.last.txns, "rev", (json_int_t)D.last.rev);
	cninfra_http_reply_json(resp, o ? 200 : 500, o);
	json_decref(o);
}

static void
h_live(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	cninfra_http_reply_text(resp, 200, "ok\n");
}

int
sfc_rest_start(const char *addr, unsigned port)
{
	D.http = cninfra_http_new(D.loop, addr, (uint16_t)port);
	if (!D.http) {
		fprintf(stderr, "lig-sfc: REST on %s:%u: %s\n", addr ? addr : "127.0.0.1", port,
			strerror(errno));
		return -1;
	}
	cninfra_http_handle(D.http, "GET", "/liveness", h_live, NULL);
	cninfra_http_handle(D.http, "GET", "/sfc-controller", h_system, NULL);
	cninfra_http_handle(D.http, "GET", "/sfc-controller/", h_system, NULL);
	cninfra_http_handle(D.http, "GET", "/sfc-controller/v2/status", h_status, NULL);
	cninfra_http_handle(D.http, NULL, SFC_CONFIG_PREFIX "*", h_object, NULL);
	sfc_log("REST on %s:%u", addr ? addr : "127.0.0.1", cninfra_http_port(D.http));
	return 0;
}

void
sfc_rest_stop(void)
{
	cninfra_http_free(D.http);
	D.http = NULL;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent REST API, with vpp-agent's endpoint names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include <jansson.h>

/* ---- REST ---- */

static int
status_one(void *ctx, const struct lig_sched_value_view *v)
{
	json_t *arr = ctx;
	struct lig_sched_status *st = lig_sched_status_get(A.sched, v->key);
	json_t *o = json_object();
	json_object_set_new(o, "key", json_string(v->key));
	json_object_set_new(o, "state", json_string(lig_sched_state_name(v->state)));
	if (v->descriptor)
		json_object_set_new(o, "descriptor", json_string(v->descriptor));
	if (v->derived && v->base_key)
		json_object_set_new(o, "derived_from", json_string(v->base_key));
	if (v->error)
		json_object_set_new(o, "error", json_string(v->error));
	if (st) {
		json_t *d = json_array();
		for (size_t k = 0; k < st->n_details; k++)
			json_array_append_new(d, json_string(st->details[k]));
		json_object_set_new(o, "details", d);
		json_object_set_new(o, "last_op", json_string(lig_sched_op_name(st->last_op)));
		lig_sched_status_free(st);
	}
	json_array_append_new(arr, o);
	return 0;
}

static void
h_status(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *arr = json_array();
	lig_sched_foreach(A.sched, status_one, arr);
	cninfra_http_reply_json(resp, 200, arr);
	json_decref(arr);
}

static int
hist_one(void *ctx, const struct lig_sched_txn_record *r)
{
	json_t *arr = ctx, *o = json_object(), *ops = json_array();
	json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
	json_object_set_new(o, "trigger", json_string(lig_sched_trigger_name(r->trigger)));
	if (r->description)
		json_object_set_new(o, "description", json_string(r->description));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
	for (size_t k = 0; k < r->n_ops; k++) {
		const struct lig_sched_op_record *op = &r->ops[k];
		json_t *j = json_object();
		json_object_set_new(j, "key", json_string(op->key));
		json_object_set_new(j, "op", json_string(lig_sched_op_name(op->op)));
		json_object_set_new(j, "noop", json_boolean(op->flags & LIG_SCHED_OPF_NOOP));
		json_object_set_new(j, "new_state",
				    json_string(lig_sched_state_name(op->new_state)));
		if (op->error)
			json_object_set_new(j, "error", json_string(op->error));
		json_array_append_new(ops, j);
	}
	json_object_set_new(o, "ops", ops);
	json_array_append_new(arr, o);
	return 0;
}

static void
h_history(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	json_t *arr = json_array();
	lig_sched_history_foreach(A.sched, 0, 0, hist_one, arr);
	cninfra_http_reply_json(resp, 200, arr);
	json_decref(arr);
}

/* vpp-agent's POST /scheduler/downstream-resync: read ligd back, repair what drifted. */
static void
h_dresync(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (!A.api || !A.synced) {
		cninfra_http_reply_error(resp, 503,
					 A.api ? "store not listed yet" : "ligd not connected");
		return;
	}
	uint64_t seq = 0;
	int rc = lig_sched_downstream_resync(A.sched, &seq);
	agent_after_txn();
	if (rc < 0) {
		cninfra_http_reply_error(resp, 500, strerror(-rc));
		return;
	}
	json_t *o = json_pack("{s:I}", "seq", (json_int_t)seq);
	cninfra_http_reply_json(resp, 200, o);
	json_decref(o);
}

static void
h_live(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	cninfra_http_reply_text(resp, 200, "ok\n");
}

static void
h_ready(const struct cninfra_http_req *req, struct cninfra_http_resp *resp, void *arg)
{
	(void)req;
	(void)arg;
	if (A.api && A.synced)
		cninfra_http_reply_text(resp, 200, "ok\n");
	else
		cninfra_http_reply_text(resp, 503,
					A.api ? "store not listed yet\n" : "ligd not connected\n");
}

void
agent_rest_register(struct cninfra_http *http)
{
	cninfra_http_handle(http, "GET", "/scheduler/status", h_status, NULL);
	cninfra_http_handle(http, "GET", "/scheduler/txn-history", h_history, NULL);
	cninfra_http_handle(http, "POST", "/scheduler/downstream-resync", h_dresync, NULL);
	cninfra_http_handle(http, "GET", "/liveness", h_live, NULL);
	cninfra_http_handle(http, "GET", "/readiness", h_ready, NULL);
}

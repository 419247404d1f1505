/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: VRF tables (vpp-agent's vpp.vrf-table, key
 * config/vpp/v2/vrf-table/id/<id>/protocol/<protocol>) through ip_table_add_del. IPv4 only;
 * table 0 always exists in ligd (its key is accepted, never created or deleted). The label is
 * ligd's table name (ip_table_add_del name, read back from ip_table_dump); a new label renames
 * the table in place, an emptied one re-creates it (ligd keeps a name an add without one
 * gives). ligd's ECMP flow hash is fixed: the models refuse flow_hash_settings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip4/api.h"
#include "vpp_l2l3.h"

static char vrf_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(vrf, LIG_MODEL_VPP_VRF_TABLE, struct lig_vpp_vrf_table)

static int
vrf_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_vrf_table *t = vrf_decode(value, size, &me);
	if (!t)
		return agent_model_err(err, &me);
	int rc = lig_model_check(vrf_model(), t, &me) < 0 ? agent_model_err(err, &me) : 0;
	vrf_free(t);
	return rc;
}

static int
vrf_add_del(const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	struct lig_model_error me = {0};
	struct lig_vpp_vrf_table *t = vrf_decode(value, size, &me);
	if (!t)
		return agent_model_err(err, &me);
	u32 id = t->id;
	lig_api_ip_table_add_del_t req = {.table_id = id, .is_add = add};
	if (add && t->label)
		snprintf(req.name, sizeof(req.name), "%s", t->label);
	vrf_free(t);
	/* ligd's default table always exists: only its name is set */
	if (id == 0 && (!add || !req.name[0]))
		return 0;
	if (!agent_api_up(err))
		return -ENOTCONN;
	lig_api_ip_table_add_del_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, ip_table_add_del, &req, &rep);
	if (!add && rc == -ENOENT)
		return 0;
	return rc ? agent_api_rc(rc, "ip_table_add_del", rep.error, err) : 0;
}

static int
vrf_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return vrf_add_del(value, size, true, err);
}

/* A new label: ip_table_add_del on the existing table names it (update_needs_recreate sends
 * an emptied label to delete + create). */
static int
vrf_update(void *ctx, const char *key, const void *old_value, size_t old_size,
	   const void *new_value, size_t new_size, void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)old_value;
	(void)old_size;
	(void)md;
	return vrf_add_del(new_value, new_size, true, err);
}

static const char *
vrf_label(const struct lig_vpp_vrf_table *t)
{
	return t && t->label ? t->label : "";
}

static bool
vrf_needs_recreate(void *ctx, const char *key, const void *old_value, size_t old_size,
		   const void *new_value, size_t new_size, void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_vrf_table *x = vrf_decode(old_value, old_size, &me),
				 *y = vrf_decode(new_value, new_size, &me);
	bool re = !x || !y || x->id != y->id || x->protocol != y->protocol ||
		  (*vrf_label(x) && !*vrf_label(y) && y->id != 0);
	vrf_free(x);
	vrf_free(y);
	return re;
}

static int
vrf_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	   struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	return vrf_add_del(value, size, false, err);
}

/* id, protocol and label (what ligd has of a table). */
static bool
vrf_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_vrf_table *x = vrf_decode(a, as, &me), *y = vrf_decode(b, bs, &me);
	bool eq = x && y && x->id == y->id && x->protocol == y->protocol &&
		  strcmp(vrf_label(x), vrf_label(y)) == 0;
	vrf_free(x);
	vrf_free(y);
	return eq;
}

/* Retrieve: ligd's tables, table 0 included (OBTAINED unless desired: the agent never made
 * it), under the key their id gives. */
static int
vrf_retrieve(void *ctx, const struct lig_sched_retrieved *correlate,
	     struct lig_sched_retrieved *out)
{
	(void)ctx;
	(void)correlate;
	if (!A.api)
		return -ENOTCONN;
	struct l23_dump tables = {.min = sizeof(lig_api_ip_table_dump_details_t)};
	lig_api_ip_table_dump_t req;
	memset(&req, 0, sizeof(req));
	int rc = LIG_API_CLIENT_DUMP(A.api, ip_table_dump, &req, l23_dump_cb, &tables);
	if (rc)
		rc = agent_api_rc(rc, "ip_table_dump", NULL, NULL);
	else if (tables.oom)
		rc = -ENOMEM;
	const struct lig_model *m = vrf_model();
	for (size_t k = 0; rc == 0 && k < tables.n; k++) {
		const lig_api_ip_table_dump_details_t *d = tables.d[k];
		char name[sizeof(d->name)];
		memcpy(name, d->name, sizeof(name));
		name[sizeof(name) - 1] = 0;
		struct lig_vpp_vrf_table t = {.id = d->table_id,
					      .protocol = LIG_VPP_VRF_IPV4,
					      .label = name[0] ? name : NULL};
		char *json = m->encode(&t), key[LIG_MODEL_KEY_MAX * 2];
		if (json && lig_model_key_build(m, &t, A.label, key, sizeof(key)) > 0)
			lig_sched_retrieved_add(out, key, json, strlen(json),
						LIG_SCHED_ORIGIN_UNKNOWN, NULL);
		free(json);
	}
	l23_dump_free(&tables);
	return rc;
}

int
agent_vpp_vrf_register(struct lig_sched *sched)
{
	agent_model_prefix(LIG_MODEL_VPP_VRF_TABLE, vrf_prefix, sizeof(vrf_prefix));
	struct lig_sched_descriptor d = {.name = "vpp-vrf-table",
					 .key_prefix = vrf_prefix,
					 .validate = vrf_validate,
					 .create = vrf_create,
					 .update = vrf_update,
					 .update_needs_recreate = vrf_needs_recreate,
					 .delete = vrf_delete,
					 .equivalent = vrf_equivalent,
					 .retrieve = vrf_retrieve};
	return lig_sched_register(sched, &d);
}

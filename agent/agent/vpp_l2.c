/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: bridge domains (vpp-agent's vpp.l2.bridge-domain) and their memberships (derived
 * values). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "interface/api.h"
#include "l2/api.h"

#define BD_IF_PREFIX "vpp/bd/"
#define BD_IF_MID "/interface/"

/* Bridge domains are named in vpp-agent, numbered in ligd: the id is a hash of the name. */
static u32
bd_id_of(const char *name)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % 16777214u + 1;
}

/* ---- descriptor: bridge domains ---- */

static void *
bd_decode(const void *v, size_t n, struct lig_model_error *me)
{
	return agent_decode(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), v, n, me);
}

static void
bd_free(struct lig_vpp_bridge_domain *b)
{
	lig_model_value_delete(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), b);
}

static int
bd_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return agent_model_err(err, &me);
	int rc = 0;
	if (lig_model_check(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN), b, &me) < 0)
		rc = agent_model_err(err, &me);
	else if (b->n_arp_termination_table)
		rc = agent_not_yet(err, "arp_termination_table");
	bd_free(b);
	return rc;
}

static u32
bd_flags(const struct lig_vpp_bridge_domain *b)
{
	return (b->learn ? 1u : 0) | (b->forward ? 2u : 0) | (b->unknown_unicast_flood ? 4u : 0) |
	       (b->flood ? 8u : 0) | (b->arp_termination ? 16u : 0);
}

static int
bd_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return agent_model_err(err, &me);
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id_of(b->name),
					       .is_add = 1,
					       .learn = b->learn,
					       .forward = b->forward,
					       .uu_flood = b->unknown_unicast_flood,
					       .flood = b->flood,
					       .arp_term = b->arp_termination,
					       .mac_age = b->mac_age};
	lig_api_bridge_domain_add_del_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
	bd_free(b);
	return rc ? agent_api_rc(rc, "bridge_domain_add_del", rep.error, err) : 0;
}

static int
bd_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	  void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *o = bd_decode(ov, os, &me), *n = bd_decode(nv, ns, &me);
	int rc = 0;
	if (!o || !n)
		rc = agent_model_err(err, &me);
	else {
		u32 id = bd_id_of(n->name), of = bd_flags(o), nf = bd_flags(n);
		for (int set = 0; rc == 0 && set < 2; set++) {
			u32 f = set ? (nf & ~of) : (of & ~nf);
			if (!f)
				continue;
			lig_api_bridge_domain_set_flags_t req = {
			    .bd_id = id, .flags = f, .is_set = (u8)set};
			lig_api_bridge_domain_set_flags_reply_t rep;
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_flags, &req, &rep);
			if (rc)
				rc = agent_api_rc(rc, "bridge_domain_set_flags", rep.error, err);
		}
		if (rc == 0 && o->mac_age != n->mac_age) {
			lig_api_bridge_domain_set_mac_age_t req = {.bd_id = id,
								   .mac_age = n->mac_age};
			lig_api_bridge_domain_set_mac_age_reply_t rep;
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_mac_age, &req, &rep);
			if (rc)
				rc = agent_api_rc(rc, "bridge_domain_set_mac_age", rep.error, err);
		}
	}
	if (o)
		bd_free(o);
	if (n)
		bd_free(n);
	return rc;
}

static bool
bd_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *o = bd_decode(ov, os, &me), *n = bd_decode(nv, ns, &me);
	bool r = !o || !n || strcmp(lig_model_str(o->name), lig_model_str(n->name));
	if (o)
		bd_free(o);
	if (n)
		bd_free(n);
	return r;
}

static int
bd_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	  struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	(void)md;
	if (!agent_api_up(err))
		return -ENOTCONN;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return agent_model_err(err, &me);
	lig_api_bridge_domain_add_del_t req = {.bd_id = bd_id_of(b->name), .is_add = 0};
	lig_api_bridge_domain_add_del_reply_t rep;
	int rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
	bd_free(b);
	if (rc == -ENOENT)
		return 0;
	return rc ? agent_api_rc(rc, "bridge_domain_add_del", rep.error, err) : 0;
}

/* Settings only: the members are derived values. */
static bool
bd_equivalent(void *ctx, const char *key, const void *a, size_t as, const void *b, size_t bs)
{
	(void)ctx;
	(void)key;
	if (as == bs && memcmp(a, b, as) == 0)
		return true;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *x = bd_decode(a, as, &me), *y = bd_decode(b, bs, &me);
	bool eq = x && y && strcmp(lig_model_str(x->name), lig_model_str(y->name)) == 0 &&
		  bd_flags(x) == bd_flags(y) && x->mac_age == y->mac_age;
	if (x)
		bd_free(x);
	if (y)
		bd_free(y);
	return eq;
}

static void
bd_derived(void *ctx, const char *key, const void *value, size_t size,
	   struct lig_sched_derived *out)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return;
	for (size_t k = 0; k < b->n_interfaces; k++) {
		char dk[LIG_MODEL_KEY_MAX * 2], v[64];
		snprintf(dk, sizeof(dk), BD_IF_PREFIX "%s" BD_IF_MID "%s", b->name,
			 lig_model_str(b->interfaces[k].name));
		int n = snprintf(v, sizeof(v), "bvi=%d shg=%u",
				 b->interfaces[k].bridged_virtual_interface ? 1 : 0,
				 b->interfaces[k].split_horizon_group);
		lig_sched_derive(out, dk, v, (size_t)n);
	}
	bd_free(b);
}

struct bd_dump {
	lig_api_bridge_domain_dump_details_t *d[256];
	size_t n;
};

static bool
bd_dump_cb(void *ctx, const void *d, u32 size)
{
	struct bd_dump *x = ctx;
	if (x->n == 256 || size < sizeof(lig_api_bridge_domain_dump_details_t))
		return true;
	void *p = malloc(size);
	if (!p)
		return false;
	memcpy(p, d, size);
	x->d[x->n++] = p;
	return true;
}

static int
bd_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct agent_if_dump ifs = {0};
	struct bd_dump bds = {0};
	int rc = agent_dump_interfaces(&ifs);
	if (rc == 0) {
		lig_api_bridge_domain_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, bridge_domain_dump, &req, bd_dump_cb, &bds);
		if (rc)
			rc = agent_api_rc(rc, "bridge_domain_dump", NULL, NULL);
	}
	const struct lig_model *m = lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN);
	for (size_t k = 0; rc == 0 && k < bds.n; k++) {
		const lig_api_bridge_domain_dump_details_t *d = bds.d[k];
		/* The name: a desired bridge domain whose id this is, else bd<id> (OBTAINED). */
		char name[LIG_MODEL_NAME_MAX + 1];
		snprintf(name, sizeof(name), "bd%u", d->bd_id);
		enum lig_sched_origin origin = LIG_SCHED_ORIGIN_SB;
		for (size_t c = 0; c < lig_sched_retrieved_count(correlate); c++) {
			const void *v;
			size_t vs;
			void *md;
			const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, &md);
			if (strncmp(ck, A.bd_prefix, strlen(A.bd_prefix)) != 0)
				continue;
			struct lig_model_error me;
			struct lig_vpp_bridge_domain *b = bd_decode(v, vs, &me);
			if (b && bd_id_of(b->name) == d->bd_id) {
				snprintf(name, sizeof(name), "%s", b->name);
				origin = LIG_SCHED_ORIGIN_UNKNOWN;
			}
			if (b)
				bd_free(b);
		}
		struct lig_vpp_bd_interface mem[64];
		char names[64][80];
		size_t nm = 0;
		for (u32 j = 0; j < d->n_members && nm < 64; j++) {
			const char *in = agent_if_name_of(&ifs, d->members[j].sw_if_index,
							  names[nm], sizeof(names[nm]));
			if (!in)
				continue;
			mem[nm++] = (struct lig_vpp_bd_interface){
			    .name = (char *)in,
			    .bridged_virtual_interface = d->members[j].bvi,
			    .split_horizon_group = d->members[j].shg};
		}
		struct lig_vpp_bridge_domain b = {.name = name,
						  .learn = d->learn,
						  .forward = d->forward,
						  .unknown_unicast_flood = d->uu_flood,
						  .flood = d->flood,
						  .arp_termination = d->arp_term,
						  .mac_age = d->mac_age,
						  .interfaces = mem,
						  .n_interfaces = nm};
		char *json = m->encode(&b), key[512];
		if (!json)
			continue;
		snprintf(key, sizeof(key), "%s%s", A.bd_prefix, name);
		lig_sched_retrieved_add(out, key, json, strlen(json), origin, NULL);
		free(json);
	}
	for (size_t k = 0; k < bds.n; k++)
		free(bds.d[k]);
	free(ifs.d);
	return rc;
}

/* ---- descriptor: bridge-domain membership (derived from bridge domains) ---- */

static bool
bdif_key_parse(const char *key, char *bd, char *iface, size_t n)
{
	if (strncmp(key, BD_IF_PREFIX, strlen(BD_IF_PREFIX)) != 0)
		return false;
	const char *s = key + strlen(BD_IF_PREFIX), *mid = strstr(s, BD_IF_MID);
	if (!mid || (size_t)(mid - s) >= n || strlen(mid + strlen(BD_IF_MID)) >= n)
		return false;
	memcpy(bd, s, (size_t)(mid - s));
	bd[mid - s] = 0;
	strcpy(iface, mid + strlen(BD_IF_MID));
	return true;
}

static void
bdif_deps(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_deps *deps)
{
	(void)ctx;
	(void)value;
	(void)size;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX], k[LIG_MODEL_KEY_MAX * 2];
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)))
		return;
	agent_if_key(k, sizeof(k), iface);
	lig_sched_dep_key(deps, "interface", k);
}

static int
bdif_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX], v[64];
	int bvi = 0;
	unsigned shg = 0;
	snprintf(v, sizeof(v), "%.*s", (int)(size < 63 ? size : 63), (const char *)value);
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)) ||
	    sscanf(v, "bvi=%d shg=%u", &bvi, &shg) != 2) {
		lig_sched_err_set(err, "bad membership %s", key);
		return -EINVAL;
	}
	u32 idx;
	int rc = agent_if_index(iface, &idx, err);
	if (rc)
		return rc;
	lig_api_sw_interface_set_l2_bridge_t req = {
	    .sw_if_index = idx, .bd_id = bd_id_of(bd), .bvi = (u8)(bvi != 0), .shg = (u8)shg};
	lig_api_sw_interface_set_l2_bridge_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l2_bridge, &req, &rep);
	return rc ? agent_api_rc(rc, "sw_interface_set_l2_bridge", rep.error, err) : 0;
}

static int
bdif_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	    struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	(void)value;
	(void)size;
	char bd[LIG_MODEL_KEY_MAX], iface[LIG_MODEL_KEY_MAX];
	if (!bdif_key_parse(key, bd, iface, sizeof(bd)))
		return 0;
	u32 idx;
	int rc = agent_if_index(iface, &idx, err);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	lig_api_sw_interface_set_l3_t req = {.sw_if_index = idx};
	lig_api_sw_interface_set_l3_reply_t rep;
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l3, &req, &rep);
	return rc ? agent_api_rc(rc, "sw_interface_set_l3", rep.error, err) : 0;
}

int
agent_vpp_l2_register(struct lig_sched *sched)
{
	static const char *const after_if[] = {"vpp-interface", NULL};
	struct lig_sched_descriptor d[] = {
	    {.name = "vpp-bridge-domain",
	     .key_prefix = A.bd_prefix,
	     .validate = bd_validate,
	     .create = bd_create,
	     .update = bd_update,
	     .update_needs_recreate = bd_recreate,
	     .delete = bd_delete,
	     .equivalent = bd_equivalent,
	     .derived_values = bd_derived,
	     .retrieve = bd_retrieve,
	     .retrieve_after = after_if},
	    {.name = "vpp-bd-interface",
	     .key_prefix = BD_IF_PREFIX,
	     .create = bdif_create,
	     .delete = bdif_delete,
	     .dependencies = bdif_deps},
	};
	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
		int rc = lig_sched_register(sched, &d[k]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

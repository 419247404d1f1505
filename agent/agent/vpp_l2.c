/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: bridge domains (vpp-agent's vpp.l2.bridge-domain) and the values derived from each:
 * its memberships (vpp/bd/<bd>/interface/<if>, each needing its interface, as vpp-agent's) and
 * its ARP-termination entries (vpp/bd-arp/<bd>/<ip>, one key each, so that one entry changes
 * without touching the domain or the other entries). Every field of the model is applied:
 * flags and mac_age in place, members and the ARP table through their derived values. The
 * agent allocates the ids and tags each domain with its name (vpp_l2l3.h): a tagged domain is
 * the agent's, an untagged one OBTAINED. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interface/api.h"
#include "l2/api.h"
#include "vpp_l2l3.h"

static char bd_prefix[LIG_MODEL_KEY_MAX];

AGENT_MODEL_VALUE(bd, LIG_MODEL_VPP_BRIDGE_DOMAIN, struct lig_vpp_bridge_domain)

/* ---- descriptor: bridge domains ---- */

static int
bd_validate(void *ctx, const char *key, const void *value, size_t size, struct lig_sched_err *err)
{
	(void)ctx;
	(void)key;
	struct lig_model_error me = {0};
	struct lig_vpp_bridge_domain *b = bd_decode(value, size, &me);
	if (!b)
		return agent_model_err(err, &me);
	int rc = lig_model_check(bd_model(), b, &me) < 0 ? agent_model_err(err, &me) : 0;
	bd_free(b);
	return rc;
}

static u32
bd_flags(const struct lig_vpp_bridge_domain *b)
{
	return (b->learn ? LIG_L2_API_BD_FLAG_LEARN : 0) |
	       (b->forward ? LIG_L2_API_BD_FLAG_FORWARD : 0) |
	       (b->unknown_unicast_flood ? LIG_L2_API_BD_FLAG_UU_FLOOD : 0) |
	       (b->flood ? LIG_L2_API_BD_FLAG_FLOOD : 0) |
	       (b->arp_termination ? LIG_L2_API_BD_FLAG_ARP_TERM : 0);
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
	lig_api_bridge_domain_add_del_t req = {.is_add = 1,
					       .learn = b->learn,
					       .forward = b->forward,
					       .uu_flood = b->unknown_unicast_flood,
					       .flood = b->flood,
					       .arp_term = b->arp_termination,
					       .mac_age = b->mac_age};
	lig_api_bridge_domain_add_del_reply_t rep = {0};
	int rc = agent_tag_encode(b->name, req.tag, sizeof(req.tag));
	if (rc)
		lig_sched_err_set(
		    err,
		    "bridge domain %s: its name does not fit ligd's tag (63 characters, "
		    "'%%XX' for bytes that are not printable ASCII, '\"' or '%%')",
		    b->name);
	/* An id taken outside the agent since it was chosen: another one. */
	for (int tries = 0; rc == 0; tries++) {
		u32 id = 0;
		rc = l23_bd_id_alloc(b->name, &id);
		req.bd_id = id;
		if (rc) {
			lig_sched_err_set(err, "bridge domain %s: no free id", b->name);
			break;
		}
		rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
		if (rc == -EEXIST && tries < 64) {
			l23_bd_id_used(req.bd_id, true);
			l23_bd_id_forget(b->name);
			rc = 0;
			continue;
		}
		if (rc == 0) {
			l23_bd_id_used(req.bd_id, true);
			l23_bd_id_set_ours(req.bd_id, true);
		} else
			rc = agent_api_rc(rc, "bridge_domain_add_del", rep.error, err);
		break;
	}
	bd_free(b);
	return rc;
}

/* The id of bridge domain name (the agent's: created or retrieved). */
static int
bd_id_of(const char *name, u32 *id, struct lig_sched_err *err)
{
	if (l23_bd_id_find(name, id))
		return 0;
	lig_sched_err_set(err, "bridge domain %s is not in ligd", name);
	return -ENOENT;
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
		u32 id = 0, of = bd_flags(o), nf = bd_flags(n);
		rc = bd_id_of(n->name, &id, err);
		for (int set = 0; rc == 0 && set < 2; set++) {
			u32 f = set ? (nf & ~of) : (of & ~nf);
			if (!f)
				continue;
			lig_api_bridge_domain_set_flags_t req = {
			    .bd_id = id, .flags = f, .is_set = (u8)set};
			lig_api_bridge_domain_set_flags_reply_t rep = {0};
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_flags, &req, &rep);
			if (rc)
				rc = agent_api_rc(rc, "bridge_domain_set_flags", rep.error, err);
		}
		if (rc == 0 && o->mac_age != n->mac_age) {
			lig_api_bridge_domain_set_mac_age_t req = {.bd_id = id,
								   .mac_age = n->mac_age};
			lig_api_bridge_domain_set_mac_age_reply_t rep = {0};
			rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_set_mac_age, &req, &rep);
			if (rc)
				rc = agent_api_rc(rc, "bridge_domain_set_mac_age", rep.error, err);
		}
	}
	bd_free(o);
	bd_free(n);
	return rc;
}

/* A new name is another bridge domain (another id and tag). */
static bool
bd_recreate(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	    void *md)
{
	(void)ctx;
	(void)key;
	(void)md;
	struct lig_model_error me;
	struct lig_vpp_bridge_domain *o = bd_decode(ov, os, &me), *n = bd_decode(nv, ns, &me);
	bool r = !o || !n || strcmp(lig_model_str(o->name), lig_model_str(n->name)) != 0;
	bd_free(o);
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
	u32 id = 0;
	bool known = l23_bd_id_find(b->name, &id);
	lig_api_bridge_domain_add_del_t req = {.bd_id = id, .is_add = 0};
	bd_free(b);
	if (!known) /* never made nor found in ligd */
		return 0;
	lig_api_bridge_domain_add_del_reply_t rep = {0};
	int rc = LIG_API_CLIENT_CALL(A.api, bridge_domain_add_del, &req, &rep);
	if (rc == 0 || rc == -ENOENT)
		l23_bd_id_used(req.bd_id, false); /* the name keeps its id */
	if (rc == -ENOENT)
		return 0;
	return rc ? agent_api_rc(rc, "bridge_domain_add_del", rep.error, err) : 0;
}

/* The domain's own settings: members and ARP entries are derived values. */
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
	bd_free(x);
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
	char dk[LIG_MODEL_KEY_MAX * 2], v[64];
	for (size_t k = 0; k < b->n_interfaces; k++) {
		l23_bd_if_key(dk, sizeof(dk), b->name, lig_model_str(b->interfaces[k].name));
		int n = snprintf(v, sizeof(v), "bvi=%d shg=%u",
				 b->interfaces[k].bridged_virtual_interface ? 1 : 0,
				 b->interfaces[k].split_horizon_group);
		lig_sched_derive(out, dk, v, (size_t)n);
	}
	for (size_t k = 0; k < b->n_arp_termination_table; k++) {
		const struct lig_vpp_bd_arp_entry *e = &b->arp_termination_table[k];
		lig_api_ip4_t ip;
		char ipt[16], mac[24];
		if (l23_ip4(e->ip_address, &ip) < 0 ||
		    !*l23_mac_text(mac, sizeof(mac), e->phys_address))
			continue; /* refused by validate */
		l23_ip4_text(ipt, sizeof(ipt), ip);
		snprintf(dk, sizeof(dk), L23_BD_ARP_PREFIX "%s/%s", b->name, ipt);
		int n = snprintf(v, sizeof(v), "%s %s", ipt, mac);
		lig_sched_derive(out, dk, v, (size_t)n);
	}
	bd_free(b);
}

/* Retrieve: every ligd bridge domain. A tagged one is the agent's, named by its tag (its id is
 * bound to that name); an untagged one is OBTAINED under the name ligd-bd-<id> (or with a
 * suffix when a desired domain has that name). A second domain with the tag of another (a
 * half-made create) is reported under such a name as the agent's, so resync removes it. With
 * its members and ARP-termination entries, from which the scheduler derives what ligd has of
 * those. */
static int
bd_retrieve(void *ctx, const struct lig_sched_retrieved *correlate, struct lig_sched_retrieved *out)
{
	(void)ctx;
	if (!A.api)
		return -ENOTCONN;
	struct l23_map names = {0}; /* "name:<n>": every desired name and every name given */
	for (size_t c = 0; c < lig_sched_retrieved_count(correlate); c++) {
		const void *v;
		size_t vs;
		const char *ck = lig_sched_retrieved_key(correlate, c, &v, &vs, NULL);
		if (strncmp(ck, bd_prefix, strlen(bd_prefix)) != 0)
			continue;
		char nk[LIG_MODEL_KEY_MAX + 8];
		snprintf(nk, sizeof(nk), "name:%s", ck + strlen(bd_prefix));
		l23_map_put(&names, nk, NULL);
	}
	struct l23_ifnames ifn;
	struct l23_dump bds = {.min = sizeof(lig_api_bridge_domain_dump_details_t)};
	struct l23_dump arps = {.min = sizeof(lig_api_bd_ip_mac_dump_details_t)};
	int rc = l23_ifnames_init(&ifn);
	if (rc == 0) {
		lig_api_bridge_domain_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, bridge_domain_dump, &req, l23_dump_cb, &bds);
		if (rc)
			rc = agent_api_rc(rc, "bridge_domain_dump", NULL, NULL);
	}
	if (rc == 0) {
		lig_api_bd_ip_mac_dump_t req = {0};
		rc = LIG_API_CLIENT_DUMP(A.api, bd_ip_mac_dump, &req, l23_dump_cb, &arps);
		if (rc)
			rc = agent_api_rc(rc, "bd_ip_mac_dump", NULL, NULL);
	}
	if (rc == 0 && (bds.oom || arps.oom))
		rc = -ENOMEM;
	const struct lig_model *m = bd_model();
	if (rc == 0)
		l23_bd_ids_used_reset();
	for (size_t k = 0; rc == 0 && k < bds.n; k++)
		l23_bd_id_used(((const lig_api_bridge_domain_dump_details_t *)bds.d[k])->bd_id,
			       true);
	struct l23_map tagged = {0}; /* "name:<n>" of the tags seen */
	for (size_t k = 0; rc == 0 && k < bds.n; k++) {
		const lig_api_bridge_domain_dump_details_t *d = bds.d[k];
		char name[LIG_MODEL_KEY_MAX], nk[sizeof(name) + 8];
		bool ours = d->tag[0] != 0, dup = false;
		if (ours) {
			agent_tag_decode(d->tag, sizeof(d->tag), name, sizeof(name));
			snprintf(nk, sizeof(nk), "name:%s", name);
			dup = l23_map_get(&tagged, nk, NULL);
			if (!dup && l23_map_put(&tagged, nk, NULL) < 0) {
				rc = -ENOMEM;
				break;
			}
		}
		if (!ours || dup) {
			/* a name no desired bridge domain has, nor one given already */
			l23_bd_fallback_name(d->bd_id, name, sizeof(name));
			for (int i = 2;; i++) {
				snprintf(nk, sizeof(nk), "name:%s", name);
				if (!l23_map_get(&names, nk, NULL) &&
				    !l23_map_get(&tagged, nk, NULL))
					break;
				l23_bd_fallback_name(d->bd_id, name, sizeof(name));
				snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%d",
					 i);
			}
		}
		l23_bd_id_set_ours(d->bd_id, ours);
		if (l23_bd_id_bind(name, d->bd_id) < 0) {
			rc = -ENOMEM;
			break;
		}
		/* members: as many as the message really holds */
		size_t n_mem = (bds.size[k] - sizeof(*d)) / sizeof(d->members[0]);
		if (d->n_members < n_mem)
			n_mem = d->n_members;
		struct lig_vpp_bd_interface *mem = calloc(n_mem ? n_mem : 1, sizeof(*mem));
		size_t n_arp = 0;
		for (size_t j = 0; j < arps.n; j++)
			n_arp += ((const lig_api_bd_ip_mac_dump_details_t *)arps.d[j])->bd_id ==
				 d->bd_id;
		struct lig_vpp_bd_arp_entry *arp = calloc(n_arp ? n_arp : 1, sizeof(*arp));
		char(*txt)[2][24] = calloc(n_arp ? n_arp : 1, sizeof(*txt));
		if (!mem || !arp || !txt) {
			free(mem);
			free(arp);
			free(txt);
			rc = -ENOMEM;
			break;
		}
		size_t nm = 0, na = 0;
		for (size_t j = 0; j < n_mem; j++) {
			const char *in = l23_ifname(&ifn, d->members[j].sw_if_index);
			if (!in)
				continue;
			mem[nm++] = (struct lig_vpp_bd_interface){
			    .name = (char *)in,
			    .bridged_virtual_interface = d->members[j].bvi,
			    .split_horizon_group = d->members[j].shg};
		}
		for (size_t j = 0; j < arps.n && na < n_arp; j++) {
			const lig_api_bd_ip_mac_dump_details_t *a = arps.d[j];
			if (a->bd_id != d->bd_id)
				continue;
			l23_ip4_text(txt[na][0], sizeof(txt[na][0]), a->ip4);
			agent_fmt_mac(txt[na][1], sizeof(txt[na][1]), a->mac);
			arp[na] = (struct lig_vpp_bd_arp_entry){.ip_address = txt[na][0],
								.phys_address = txt[na][1]};
			na++;
		}
		struct lig_vpp_bridge_domain b = {.name = name,
						  .learn = d->learn,
						  .forward = d->forward,
						  .unknown_unicast_flood = d->uu_flood,
						  .flood = d->flood,
						  .arp_termination = d->arp_term,
						  .mac_age = d->mac_age,
						  .interfaces = mem,
						  .n_interfaces = nm,
						  .arp_termination_table = arp,
						  .n_arp_termination_table = na};
		char *json = m->encode(&b), key[LIG_MODEL_KEY_MAX * 2];
		if (json) {
			snprintf(key, sizeof(key), "%s%s", bd_prefix, name);
			lig_sched_retrieved_add(out, key, json, strlen(json),
						ours ? LIG_SCHED_ORIGIN_NB : LIG_SCHED_ORIGIN_SB,
						NULL);
			free(json);
		}
		free(mem);
		free(arp);
		free(txt);
	}
	l23_dump_free(&bds);
	l23_dump_free(&arps);
	l23_ifnames_free(&ifn);
	l23_map_free(&names, NULL);
	l23_map_free(&tagged, NULL);
	return rc;
}

/* ---- descriptor: bridge-domain membership (derived from bridge domains) ---- */

static bool
bdif_key_parse(const char *key, char *bd, char *iface, size_t n)
{
	if (strncmp(key, L23_BD_IF_PREFIX, strlen(L23_BD_IF_PREFIX)) != 0)
		return false;
	const char *s = key + strlen(L23_BD_IF_PREFIX), *mid = strstr(s, L23_BD_IF_MID);
	if (!mid || (size_t)(mid - s) >= n || strlen(mid + strlen(L23_BD_IF_MID)) >= n)
		return false;
	memcpy(bd, s, (size_t)(mid - s));
	bd[mid - s] = 0;
	strcpy(iface, mid + strlen(L23_BD_IF_MID));
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
	u32 bd_id;
	if ((rc = bd_id_of(bd, &bd_id, err)))
		return rc;
	lig_api_sw_interface_set_l2_bridge_t req = {
	    .sw_if_index = idx, .bd_id = bd_id, .bvi = (u8)(bvi != 0), .shg = (u8)shg};
	lig_api_sw_interface_set_l2_bridge_reply_t rep = {0};
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
	lig_api_sw_interface_set_l3_reply_t rep = {0};
	rc = LIG_API_CLIENT_CALL(A.api, sw_interface_set_l3, &req, &rep);
	if (rc == -ENOENT)
		return 0;
	return rc ? agent_api_rc(rc, "sw_interface_set_l3", rep.error, err) : 0;
}

/* ---- descriptor: ARP-termination entries (derived from bridge domains) ---- */

/* vpp/bd-arp/<bd>/<ip>: the bridge domain (names may hold '/'; the address cannot). */
static bool
bdarp_key_parse(const char *key, char *bd, size_t n)
{
	size_t pl = strlen(L23_BD_ARP_PREFIX);
	if (strncmp(key, L23_BD_ARP_PREFIX, pl) != 0)
		return false;
	const char *s = key + pl, *slash = strrchr(s, '/');
	if (!slash || slash == s || (size_t)(slash - s) >= n)
		return false;
	memcpy(bd, s, (size_t)(slash - s));
	bd[slash - s] = 0;
	return true;
}

/* The value "<ip> <mac>": ip and mac filled. */
static int
bdarp_value(const char *key, const void *value, size_t size, char *bd, size_t bd_n,
	    lig_api_ip4_t *ip, u8 mac[6], struct lig_sched_err *err)
{
	char v[64], ipt[24], mact[24];
	snprintf(v, sizeof(v), "%.*s", (int)(size < 63 ? size : 63), (const char *)value);
	if (!bdarp_key_parse(key, bd, bd_n) || sscanf(v, "%23s %23s", ipt, mact) != 2 ||
	    l23_ip4(ipt, ip) < 0 || lig_model_mac_parse(mact, mac) < 0) {
		lig_sched_err_set(err, "bad ARP-termination entry %s", key);
		return -EINVAL;
	}
	return 0;
}

static int
bdarp_add_del(const char *key, const void *value, size_t size, bool add, struct lig_sched_err *err)
{
	char bd[LIG_MODEL_KEY_MAX];
	lig_api_bd_ip_mac_add_del_t req = {.is_add = add};
	lig_api_ip4_t ip;
	int rc = bdarp_value(key, value, size, bd, sizeof(bd), &ip, req.mac, err);
	if (rc)
		return rc;
	req.ip4 = ip;
	if (!agent_api_up(err))
		return -ENOTCONN;
	u32 bd_id = 0;
	if (!l23_bd_id_find(bd, &bd_id)) {
		if (!add)
			return 0; /* gone with its domain */
		return bd_id_of(bd, &bd_id, err);
	}
	req.bd_id = bd_id;
	lig_api_bd_ip_mac_add_del_reply_t rep = {0};
	rc = LIG_API_CLIENT_CALL(A.api, bd_ip_mac_add_del, &req, &rep);
	if (!add && rc == -ENOENT)
		return 0;
	return rc ? agent_api_rc(rc, "bd_ip_mac_add_del", rep.error, err) : 0;
}

static int
bdarp_create(void *ctx, const char *key, const void *value, size_t size, void **md,
	     struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	return bdarp_add_del(key, value, size, true, err);
}

/* A new MAC for the address: ligd replaces the entry. */
static int
bdarp_update(void *ctx, const char *key, const void *ov, size_t os, const void *nv, size_t ns,
	     void **md, struct lig_sched_err *err)
{
	(void)ctx;
	(void)ov;
	(void)os;
	(void)md;
	return bdarp_add_del(key, nv, ns, true, err);
}

static int
bdarp_delete(void *ctx, const char *key, const void *value, size_t size, void *md,
	     struct lig_sched_err *err)
{
	(void)ctx;
	(void)md;
	return bdarp_add_del(key, value, size, false, err);
}

int
agent_vpp_l2_register(struct lig_sched *sched)
{
	static const char *const after_if[] = {"vpp-interface", NULL};
	agent_model_prefix(LIG_MODEL_VPP_BRIDGE_DOMAIN, bd_prefix, sizeof(bd_prefix));
	struct lig_sched_descriptor d[] = {
	    {.name = "vpp-bridge-domain",
	     .key_prefix = bd_prefix,
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
	     .key_prefix = L23_BD_IF_PREFIX,
	     .create = bdif_create,
	     .delete = bdif_delete,
	     .dependencies = bdif_deps},
	    {.name = "vpp-bd-arp-termination",
	     .key_prefix = L23_BD_ARP_PREFIX,
	     .create = bdarp_create,
	     .update = bdarp_update,
	     .delete = bdarp_delete},
	};
	return lig_sched_register_all(sched, d, sizeof(d) / sizeof(d[0]));
}

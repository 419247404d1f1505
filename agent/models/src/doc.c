/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's configuration document (ligato.configurator.Config) <-> key/value items: a table of
 * the document's list fields, each either one covered model or a vpp-agent model Ligature does not
 * cover. Element values go through the model's own decode/encode, keys through
 * lig_model_key_build, so the document and the store hold the same items. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lig_models_doc.h"

/* A field of a group (vppConfig, linuxConfig, netallocConfig). */
struct doc_field {
	const char *json, *proto; /* protobuf JSON name and proto name */
	int model;		  /* enum lig_model_id, or -1: not covered by Ligature */
	bool repeated;
};

static const struct doc_field vpp_fields[] = {
    {"interfaces", "interfaces", LIG_MODEL_VPP_INTERFACE, true},
    {"bridgeDomains", "bridge_domains", LIG_MODEL_VPP_BRIDGE_DOMAIN, true},
    {"fibs", "fibs", LIG_MODEL_VPP_L2_FIB, true},
    {"xconnectPairs", "xconnect_pairs", LIG_MODEL_VPP_XCONNECT, true},
    {"routes", "routes", LIG_MODEL_VPP_ROUTE, true},
    {"arps", "arps", LIG_MODEL_VPP_ARP, true},
    {"vrfs", "vrfs", LIG_MODEL_VPP_VRF_TABLE, true},
    {"spans", "spans", -1, true},
    {"acls", "acls", LIG_MODEL_VPP_ACL, true},
    {"abfs", "abfs", -1, true},
    {"proxyArp", "proxy_arp", -1, false},
    {"ipscanNeighbor", "ipscan_neighbor", -1, false},
    {"l3xconnects", "l3xconnects", -1, true},
    {"dhcpProxies", "dhcp_proxies", -1, true},
    {"teibEntries", "teib_entries", -1, true},
    {"nat44Global", "nat44_global", LIG_MODEL_VPP_NAT44_GLOBAL, false},
    {"dnat44s", "dnat44s", LIG_MODEL_VPP_DNAT44, true},
    {"nat44Interfaces", "nat44_interfaces", LIG_MODEL_VPP_NAT44_INTERFACE, true},
    {"nat44Pools", "nat44_pools", LIG_MODEL_VPP_NAT44_POOL, true},
    {"nat44VrfRoutes", "nat44_vrf_routes", -1, true},
    {"nat44VrfTables", "nat44_vrf_tables", -1, true},
    {"ipsecSpds", "ipsec_spds", -1, true},
    {"ipsecSas", "ipsec_sas", -1, true},
    {"ipsecTunnelProtections", "ipsec_tunnel_protections", -1, true},
    {"ipsecSps", "ipsec_sps", -1, true},
    {"puntIpredirects", "punt_ipredirects", -1, true},
    {"puntTohosts", "punt_tohosts", -1, true},
    {"puntExceptions", "punt_exceptions", -1, true},
    {"srv6Global", "srv6_global", -1, false},
    {"srv6Localsids", "srv6_localsids", -1, true},
    {"srv6Policies", "srv6_policies", -1, true},
    {"srv6Steerings", "srv6_steerings", -1, true},
    {"ipfixGlobal", "ipfix_global", -1, false},
    {"ipfixFlowprobeParams", "ipfix_flowprobe_params", -1, false},
    {"ipfixFlowprobes", "ipfix_flowprobes", -1, true},
    {"wgPeers", "wg_peers", -1, true},
    {"dnsCache", "dns_cache", -1, false},
    {NULL, NULL, 0, false},
};

static const struct doc_field linux_fields[] = {
    {"interfaces", "interfaces", LIG_MODEL_LINUX_INTERFACE, true},
    {"arpEntries", "arp_entries", LIG_MODEL_LINUX_ARP, true},
    {"routes", "routes", LIG_MODEL_LINUX_ROUTE, true},
    {"RuleChain", "RuleChain", -1, true},
    {NULL, NULL, 0, false},
};

static const struct doc_field netalloc_fields[] = {
    {"ipAddresses", "ip_addresses", -1, true},
    {NULL, NULL, 0, false},
};

static const struct doc_group {
	const char *json, *proto;
	const struct doc_field *fields;
} groups[] = {
    {"netallocConfig", "netalloc_config", netalloc_fields},
    {"linuxConfig", "linux_config", linux_fields},
    {"vppConfig", "vpp_config", vpp_fields},
};
#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

static int __attribute__((format(printf, 4, 5)))
doc_err(struct lig_model_error *err, enum lig_model_err_kind kind, const char *field,
	const char *fmt, ...)
{
	va_list ap;
	err->kind = kind;
	snprintf(err->field, sizeof(err->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return kind == LIG_MODEL_ERR_UNSUPPORTED ? -EOPNOTSUPP : -EINVAL;
}

void
lig_model_doc_items_free(struct lig_model_doc_items *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].key);
		free(d->items[i].value);
	}
	free(d->items);
	json_decref(d->index);
	memset(d, 0, sizeof(*d));
}

/* Takes key and value (malloc'ed) into out; the same key again replaces the earlier value. */
static int
items_put(struct lig_model_doc_items *out, const struct lig_model *m, char *key, char *value)
{
	if (!out->index && !(out->index = json_object())) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	const json_t *at = json_object_get(out->index, key);
	if (at) {
		struct lig_model_doc_item *it = &out->items[json_integer_value(at)];
		free(it->value);
		it->value = value;
		free(key);
		return 0;
	}
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		void *p = realloc(out->items, cap * sizeof(*out->items));
		if (!p) {
			free(key);
			free(value);
			return -ENOMEM;
		}
		out->items = p;
		out->cap = cap;
	}
	if (json_object_set_new(out->index, key, json_integer((json_int_t)out->n))) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	out->items[out->n++] = (struct lig_model_doc_item){.model = m, .key = key, .value = value};
	return 0;
}

/* One element of a covered model's list. */
static int
decode_elem(const struct lig_model *m, const json_t *e, const char *path, const char *label,
	    struct lig_model_doc_items *out, struct lig_model_error *err)
{
	if (!json_is_object(e))
		return doc_err(err, LIG_MODEL_ERR_FIELD, path, "%s: not an object (a %s value)",
			       path, m->name);
	char *text = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
	void *v = lig_model_value_new(m);
	char *canon = NULL, *key = NULL;
	int rc = -ENOMEM;
	if (!text || !v)
		goto out;
	struct lig_model_error me = {0};
	rc = m->decode(text, strlen(text), v, &me);
	if (rc < 0) {
		char field[2 * LIG_MODEL_FIELD_MAX + 2];
		snprintf(field, sizeof(field), "%s%s%s", path, me.field[0] ? "." : "", me.field);
		/* me.text starts with its own field path: keep it after ours. */
		rc = doc_err(err, me.kind ? me.kind : LIG_MODEL_ERR_FIELD, field, "%s: %s", path,
			     me.text);
		goto out;
	}
	canon = m->encode(v);
	key = malloc(LIG_MODEL_KEY_MAX * 2);
	if (!canon || !key) {
		rc = -ENOMEM;
		goto out;
	}
	int n = lig_model_key_build(m, v, label, key, LIG_MODEL_KEY_MAX * 2);
	if (n < 0) {
		rc = doc_err(err, LIG_MODEL_ERR_KEY, path,
			     "%s: no %s key can be built from this value (%s)", path, m->name,
			     n == -ENOSPC ? "too long" : "bad label");
		goto out;
	}
	rc = items_put(out, m, key, canon);
	key = canon = NULL;
out:
	free(text);
	free(key);
	free(canon);
	lig_model_value_delete(m, v);
	return rc;
}

/* Is j empty (null, [], {}, "", 0, false)? An uncovered model given empty is no configuration. */
static bool
is_empty(const json_t *j)
{
	return !j || json_is_null(j) || (json_is_array(j) && !json_array_size(j)) ||
	       (json_is_object(j) && !json_object_size(j));
}

static int
decode_group(const struct doc_group *g, const json_t *obj, const char *label,
	     struct lig_model_doc_items *out, struct lig_model_error *err)
{
	if (json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return doc_err(err, LIG_MODEL_ERR_FIELD, g->json, "%s: not an object", g->json);
	const char *name;
	const json_t *val;
	json_object_foreach((json_t *)obj, name, val)
	{
		const struct doc_field *f;
		for (f = g->fields; f->json; f++)
			if (!strcmp(name, f->json) || !strcmp(name, f->proto))
				break;
		char path[LIG_MODEL_FIELD_MAX];
		snprintf(path, sizeof(path), "%s.%.80s", g->json, name);
		if (!f->json)
			return doc_err(err, LIG_MODEL_ERR_FIELD, path,
				       "%s: unknown field of vpp-agent's %s", path, g->json);
		if (strcmp(f->json, f->proto) && json_object_get(obj, f->json) &&
		    json_object_get(obj, f->proto))
			return doc_err(err, LIG_MODEL_ERR_FIELD, path,
				       "%s: given twice (%s and %s)", path, f->json, f->proto);
		if (f->model < 0) {
			if (is_empty(val))
				continue;
			return doc_err(err, LIG_MODEL_ERR_UNSUPPORTED, path,
				       "%s: a vpp-agent model Ligature does not cover", path);
		}
		if (json_is_null(val))
			continue;
		const struct lig_model *m = lig_model_get((enum lig_model_id)f->model);
		if (!f->repeated) { /* one value (nat44Global) */
			int rc = decode_elem(m, val, path, label, out, err);
			if (rc)
				return rc;
			continue;
		}
		if (!json_is_array(val))
			return doc_err(err, LIG_MODEL_ERR_FIELD, path, "%s: not a list", path);
		size_t i;
		const json_t *e;
		json_array_foreach(val, i, e)
		{
			char epath[LIG_MODEL_FIELD_MAX];
			snprintf(epath, sizeof(epath), "%s.%s[%zu]", g->json, f->json, i);
			int rc = decode_elem(m, e, epath, label, out, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int
lig_model_doc_decode(const json_t *doc, const char *label, struct lig_model_doc_items *out,
		     struct lig_model_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (!json_is_object(doc))
		return doc_err(err, LIG_MODEL_ERR_JSON, "",
			       "the document is not an object (vppConfig: ..., linuxConfig: ...)");
	const char *name;
	const json_t *val;
	json_object_foreach((json_t *)doc, name, val)
	{
		size_t g;
		for (g = 0; g < N_GROUPS; g++)
			if (!strcmp(name, groups[g].json) || !strcmp(name, groups[g].proto))
				break;
		if (g == N_GROUPS)
			return doc_err(err, LIG_MODEL_ERR_FIELD, name,
				       "%.80s: unknown field (the document has netallocConfig, "
				       "linuxConfig and vppConfig)",
				       name);
		if (json_object_get(doc, groups[g].json) && json_object_get(doc, groups[g].proto))
			return doc_err(err, LIG_MODEL_ERR_FIELD, name,
				       "%s: given twice (%s and %s)", groups[g].json,
				       groups[g].json, groups[g].proto);
		int rc = decode_group(&groups[g], val, label, out, err);
		if (rc)
			return rc;
	}
	return 0;
}

json_t *
lig_model_doc_new(void)
{
	return json_pack("{s:{},s:{},s:{}}", "netallocConfig", "linuxConfig", "vppConfig");
}

int
lig_model_doc_add(json_t *doc, const char *key, const char *value, size_t size,
		  struct lig_model_error *err)
{
	struct lig_model_key *k = malloc(sizeof(*k));
	if (!k)
		return -ENOMEM;
	memset(err, 0, sizeof(*err));
	int rc = lig_model_key_parse(key, k, err);
	const struct lig_model *m = k->model;
	free(k);
	if (rc < 0)
		return -ENOENT;
	/* The group and field of the model. */
	const struct doc_group *g = NULL;
	const struct doc_field *f = NULL;
	for (size_t i = 0; i < N_GROUPS && !f; i++)
		for (const struct doc_field *x = groups[i].fields; x->json; x++)
			if (x->model == (int)m->id) {
				g = &groups[i];
				f = x;
				break;
			}
	if (!f)
		return -ENOENT;
	void *v = lig_model_value_new(m);
	if (!v)
		return -ENOMEM;
	char *canon = NULL;
	rc = m->decode(value, size, v, err);
	if (rc == 0 && !(canon = m->encode(v)))
		rc = -ENOMEM;
	lig_model_value_delete(m, v);
	if (rc < 0) {
		free(canon);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	json_error_t jerr;
	json_t *elem = json_loads(canon, 0, &jerr);
	free(canon);
	if (!elem)
		return -ENOMEM;
	json_t *grp = json_object_get(doc, g->json);
	if (!json_is_object(grp)) {
		grp = json_object();
		if (!grp || json_object_set_new(doc, g->json, grp)) {
			json_decref(elem);
			return -ENOMEM;
		}
	}
	if (!f->repeated) /* one value (nat44Global): the last wins */
		return json_object_set_new(grp, f->json, elem) ? -ENOMEM : 0;
	json_t *list = json_object_get(grp, f->json);
	if (!json_is_array(list)) {
		list = json_array();
		if (!list || json_object_set_new(grp, f->json, list)) {
			json_decref(elem);
			return -ENOMEM;
		}
	}
	return json_array_append_new(list, elem) ? -ENOMEM : 0;
}

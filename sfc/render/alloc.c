/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: the allocator state (MACs, memif ids, VRF ids, VNIs, IPAM and VXLAN endpoint
 * addresses), its JSON form and its life cycle across renders. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ALLOC_VERSION 1
#define ALLOC_MAX 4000000 /* entries a JSON state may hold */
#define VRF_FIRST 10	  /* sfc-controller's VRF allocator starts at 10 */

struct aent {
	uint8_t kind;
	bool live;
	char *key;
	char *scope; /* ranged kinds: where the value must be unique */
	char *owner;
	uint32_t value;
};

struct sfc_alloc {
	struct aent *e;
	size_t n, cap;
	uint32_t next_mac, next_memif, next_vrf; /* last given (0: none yet) */
	struct smap idx;			 /* "<kind>|<key>" -> entry */
	struct smap used;			 /* "<kind>|<scope>|<value>" -> entry */
	/* "<kind>|<scope>" -> a value below which every one of the range is used (or refused
	 * by ok) in this render: where the search for the lowest free one starts. Cleared
	 * whenever an allocation goes away, and at the start of a render. */
	struct smap hint;
};

static const char *const kind_names[AK_N] = {"mac", "memif", "vrf", "vni", "ip", "vxaddr"};

static void
ikey(char *buf, size_t size, enum alloc_kind k, const char *key)
{
	snprintf(buf, size, "%u|%s", (unsigned)k, key);
}

static void
ukey(char *buf, size_t size, enum alloc_kind k, const char *scope, uint32_t v)
{
	snprintf(buf, size, "%u|%s|%u", (unsigned)k, scope ? scope : "", v);
}

static bool
ranged(enum alloc_kind k)
{
	return k == AK_VNI || k == AK_IP || k == AK_VXADDR;
}

struct sfc_alloc *
sfc_alloc_new(void)
{
	return calloc(1, sizeof(struct sfc_alloc));
}

static void
aent_free(struct aent *e)
{
	free(e->key);
	free(e->scope);
	free(e->owner);
}

void
sfc_alloc_free(struct sfc_alloc *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		aent_free(&a->e[i]);
	free(a->e);
	smap_free(&a->idx);
	smap_free(&a->used);
	smap_free(&a->hint);
	free(a);
}

size_t
sfc_alloc_count(const struct sfc_alloc *a)
{
	return a ? a->n : 0;
}

static int
index_entry(struct sfc_alloc *a, size_t i)
{
	char k[1024];
	const struct aent *e = &a->e[i];
	ikey(k, sizeof(k), e->kind, e->key);
	if (smap_put(&a->idx, k, i) < 0)
		return -ENOMEM;
	if (ranged(e->kind)) {
		ukey(k, sizeof(k), e->kind, e->scope, e->value);
		if (smap_put(&a->used, k, i) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int
reindex(struct sfc_alloc *a)
{
	smap_clear(&a->hint);
	smap_clear(&a->idx);
	smap_clear(&a->used);
	for (size_t i = 0; i < a->n; i++)
		if (index_entry(a, i) < 0)
			return -ENOMEM;
	return 0;
}

static int
add_entry(struct sfc_alloc *a, enum alloc_kind k, const char *key, const char *scope,
	  const char *owner, uint32_t v)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct aent *e = realloc(a->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		a->e = e;
		a->cap = cap;
	}
	struct aent *e = &a->e[a->n];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)k;
	e->live = true;
	e->value = v;
	e->key = strdup(key);
	e->scope = strdup(scope ? scope : "");
	e->owner = strdup(owner ? owner : "");
	if (!e->key || !e->scope || !e->owner) {
		aent_free(e);
		return -ENOMEM;
	}
	a->n++;
	if (index_entry(a, a->n - 1) < 0)
		return -ENOMEM;
	return 0;
}

void
alloc_mark(const struct sfc_alloc *a, struct alloc_mark *mk)
{
	mk->n = a->n;
	mk->next_mac = a->next_mac;
	mk->next_memif = a->next_memif;
	mk->next_vrf = a->next_vrf;
}

int
alloc_rollback(struct sfc_alloc *a, const struct alloc_mark *mk)
{
	if (a->n == mk->n)
		return 0;
	for (size_t i = mk->n; i < a->n; i++)
		aent_free(&a->e[i]);
	a->n = mk->n;
	a->next_mac = mk->next_mac;
	a->next_memif = mk->next_memif;
	a->next_vrf = mk->next_vrf;
	return reindex(a);
}

static struct aent *
lookup(struct sfc_alloc *a, enum alloc_kind k, const char *key)
{
	char ik[1024];
	size_t i;
	ikey(ik, sizeof(ik), k, key);
	if (!smap_get(&a->idx, ik, &i))
		return NULL;
	return &a->e[i];
}

bool
alloc_get(struct sfc_alloc *a, enum alloc_kind k, const char *key, uint32_t *value)
{
	struct aent *e = lookup(a, k, key);
	if (!e)
		return false;
	e->live = true;
	*value = e->value;
	return true;
}

int
alloc_counter(struct sfc_alloc *a, enum alloc_kind k, const char *key, const char *owner,
	      uint32_t vrf_start, uint32_t *value)
{
	if (alloc_get(a, k, key, value))
		return 0;
	uint32_t *next = k == AK_MAC ? &a->next_mac : k == AK_MEMIF ? &a->next_memif : &a->next_vrf;
	uint32_t v;
	if (k == AK_VRF)
		v = *next ? *next + 1 : (vrf_start ? vrf_start : VRF_FIRST);
	else
		v = *next + 1;
	if (v == 0 || v == UINT32_MAX)
		return -ENOSPC;
	if (add_entry(a, k, key, NULL, owner, v) < 0)
		return -ENOMEM;
	*next = v;
	*value = v;
	return 0;
}

int
alloc_ranged(struct sfc_alloc *a, enum alloc_kind k, const char *key, const char *scope,
	     const char *owner, uint32_t lo, uint32_t hi, bool (*ok)(void *arg, uint32_t v),
	     void *arg, uint32_t *value)
{
	char uk[1024];
	struct aent *e = lookup(a, k, key);
	if (e) {
		if (!strcmp(e->scope, scope) && e->value >= lo && e->value <= hi &&
		    (!ok || ok(arg, e->value))) {
			e->live = true;
			*value = e->value;
			return 0;
		}
		/* the pool or range changed under it: take a new one (the old entry goes) */
		size_t i = (size_t)(e - a->e);
		aent_free(e);
		memmove(&a->e[i], &a->e[i + 1], (a->n - i - 1) * sizeof(*e));
		a->n--;
		if (reindex(a) < 0)
			return -ENOMEM;
	}
	char hk[1024];
	size_t h = 0;
	snprintf(hk, sizeof(hk), "%u|%s", (unsigned)k, scope);
	uint64_t v = lo;
	if (smap_get(&a->hint, hk, &h) && h > lo)
		v = h;
	for (; v <= hi; v++) {
		ukey(uk, sizeof(uk), k, scope, (uint32_t)v);
		if (smap_get(&a->used, uk, NULL))
			continue;
		if (ok && !ok(arg, (uint32_t)v))
			continue;
		if (add_entry(a, k, key, scope, owner, (uint32_t)v) < 0)
			return -ENOMEM;
		/* everything from the start to v was taken or refused (one scope has one range
		 * in a render: a pool edited between renders clears hints at alloc_begin) */
		if (smap_put(&a->hint, hk, (size_t)v + 1) < 0)
			return -ENOMEM;
		*value = (uint32_t)v;
		return 0;
	}
	return -ENOSPC;
}

void
alloc_begin(struct sfc_alloc *a)
{
	smap_clear(&a->hint);
	for (size_t i = 0; i < a->n; i++)
		a->e[i].live = false;
}

void
alloc_end(struct sfc_alloc *a, const struct smap *existing_owners, const struct smap *ok_owners)
{
	size_t j = 0;
	for (size_t i = 0; i < a->n; i++) {
		struct aent *e = &a->e[i];
		bool keep = smap_get(existing_owners, e->owner, NULL);
		if (keep && !e->live && smap_get(ok_owners, e->owner, NULL))
			keep = false;
		if (!keep) {
			aent_free(e);
			continue;
		}
		a->e[j++] = *e;
	}
	if (j != a->n) {
		a->n = j;
		reindex(a); /* on failure lookups miss: the next render allocates anew */
	}
}

/* ---- JSON ---- */

static int
ent_cmp(const void *x, const void *y)
{
	const struct aent *a = *(const struct aent *const *)x, *b = *(const struct aent *const *)y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->key, b->key);
}

int
sfc_alloc_to_json(const struct sfc_alloc *a, char **out, size_t *out_size)
{
	struct sb b = {0};
	const struct aent **v = calloc(a->n ? a->n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++)
		v[i] = &a->e[i];
	if (a->n)
		qsort(v, a->n, sizeof(*v), ent_cmp);
	sb_printf(&b,
		  "{\"version\":%d,\"next_mac\":%u,\"next_memif_id\":%u,\"next_vrf_id\":%u,"
		  "\"allocations\":[",
		  ALLOC_VERSION, a->next_mac, a->next_memif, a->next_vrf);
	for (size_t i = 0; i < a->n; i++) {
		struct jo o;
		if (i)
			sb_puts(&b, ",");
		jo_open(&o, &b);
		jo_key(&o, "kind");
		sb_jstr(&b, kind_names[v[i]->kind]);
		jo_key(&o, "key");
		sb_jstr(&b, v[i]->key);
		jo_str(&o, "scope", v[i]->scope);
		jo_key(&o, "owner");
		sb_jstr(&b, v[i]->owner);
		jo_key(&o, "value");
		sb_printf(&b, "%u", v[i]->value);
		jo_close(&o);
	}
	sb_puts(&b, "]}");
	free(v);
	size_t n = b.n;
	char *p = sb_take(&b);
	if (!p)
		return -ENOMEM;
	*out = p;
	if (out_size)
		*out_size = n;
	return 0;
}

static int
get_u32(json_t *o, const char *k, uint32_t *v, bool required)
{
	json_t *x = json_object_get(o, k);
	if (!x)
		return required ? -1 : (*v = 0, 0);
	if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > UINT32_MAX)
		return -1;
	*v = (uint32_t)json_integer_value(x);
	return 0;
}

static const char *
get_str(json_t *o, const char *k, bool required)
{
	json_t *x = json_object_get(o, k);
	if (!x)
		return required ? NULL : "";
	if (!json_is_string(x) || json_string_length(x) > 4 * SFC_NAME_MAX + 64 ||
	    strlen(json_string_value(x)) != json_string_length(x))
		return NULL;
	return json_string_value(x);
}

int
sfc_alloc_from_json(const char *buf, size_t size, struct sfc_alloc **out, struct sfc_errors *err)
{
	json_error_t je;
	*out = NULL;
	if (!buf || size > SFC_DOC_MAX) {
		sfc_errors_add(err, "allocator state: missing or larger than %d bytes",
			       SFC_DOC_MAX);
		return -EINVAL;
	}
	json_t *root = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		sfc_errors_add(err, "allocator state: line %d: %s", je.line, je.text);
		return -EINVAL;
	}
	struct sfc_alloc *a = sfc_alloc_new();
	int rc = -EINVAL;
	uint32_t ver;
	if (!a) {
		rc = -ENOMEM;
		goto out;
	}
	if (!json_is_object(root) || get_u32(root, "version", &ver, true) < 0 ||
	    ver != ALLOC_VERSION) {
		sfc_errors_add(err, "allocator state: not an object of version %d", ALLOC_VERSION);
		goto out;
	}
	if (get_u32(root, "next_mac", &a->next_mac, false) < 0 ||
	    get_u32(root, "next_memif_id", &a->next_memif, false) < 0 ||
	    get_u32(root, "next_vrf_id", &a->next_vrf, false) < 0) {
		sfc_errors_add(err, "allocator state: bad next_mac/next_memif_id/next_vrf_id");
		goto out;
	}
	json_t *arr = json_object_get(root, "allocations");
	if (!json_is_array(arr) || json_array_size(arr) > ALLOC_MAX) {
		sfc_errors_add(err, "allocator state: allocations: not an array of at most %d",
			       ALLOC_MAX);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		const char *kind = json_is_object(o) ? get_str(o, "kind", true) : NULL;
		const char *key = kind ? get_str(o, "key", true) : NULL;
		const char *scope = key ? get_str(o, "scope", false) : NULL;
		const char *owner = scope ? get_str(o, "owner", true) : NULL;
		uint32_t v = 0;
		int k = -1;
		for (int j = 0; kind && j < AK_N; j++)
			if (!strcmp(kind, kind_names[j]))
				k = j;
		if (!owner || k < 0 || !*key || get_u32(o, "value", &v, true) < 0 ||
		    (!ranged(k) && *scope) || (ranged(k) && !*scope)) {
			sfc_errors_add(err, "allocator state: allocations[%zu]: malformed", i);
			goto out;
		}
		char uk[1024];
		ukey(uk, sizeof(uk), k, scope, v);
		if (lookup(a, k, key) || (ranged(k) && smap_get(&a->used, uk, NULL))) {
			sfc_errors_add(err, "allocator state: allocations[%zu]: %s %s: duplicate",
				       i, kind, key);
			goto out;
		}
		uint32_t next = k == AK_MAC ? a->next_mac : k == AK_MEMIF ? a->next_memif : 0;
		if ((k == AK_MAC || k == AK_MEMIF) && (v == 0 || v > next)) {
			sfc_errors_add(err,
				       "allocator state: allocations[%zu]: %s %u beyond the "
				       "counter %u",
				       i, kind, v, next);
			goto out;
		}
		if (k == AK_VRF && (v == 0 || v > a->next_vrf)) {
			sfc_errors_add(err,
				       "allocator state: allocations[%zu]: vrf %u beyond the "
				       "counter %u",
				       i, v, a->next_vrf);
			goto out;
		}
		if (add_entry(a, k, key, scope, owner, v) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = 0;
	*out = a;
	a = NULL;
out:
	sfc_alloc_free(a);
	json_decref(root);
	return rc;
}

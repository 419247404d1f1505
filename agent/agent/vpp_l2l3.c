/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: helpers of the L2 and L3 descriptors (vpp_l2l3.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpp_l2l3.h"

/* ---- bridge-domain ids ----
 * One map: "n:<name>" -> id (0: none), "i:<id>" -> its name (malloc'd; NULL: none),
 * "u:<id>" -> non-NULL while ligd has the id. Kept for the agent's lifetime. */
static struct l23_map bd_ids;

#define BD_KEY_SIZE (LIG_MODEL_KEY_MAX + 8)

static void *
bd_map_val(const char *fmt, const char *s, u32 id)
{
	char k[BD_KEY_SIZE];
	void *v = NULL;
	if (s)
		snprintf(k, sizeof(k), fmt, s);
	else
		snprintf(k, sizeof(k), fmt, id);
	return l23_map_get(&bd_ids, k, &v) ? v : NULL;
}

static int
bd_map_set(const char *fmt, const char *s, u32 id, void *val)
{
	char k[BD_KEY_SIZE];
	if (s)
		snprintf(k, sizeof(k), fmt, s);
	else
		snprintf(k, sizeof(k), fmt, id);
	if (!val && !l23_map_get(&bd_ids, k, NULL))
		return 0; /* nothing to clear */
	return l23_map_put(&bd_ids, k, val);
}

bool
l23_bd_id_find(const char *name, u32 *id)
{
	uintptr_t v = (uintptr_t)bd_map_val("n:%s", name, 0);
	if (!v)
		return false;
	*id = (u32)v;
	return true;
}

const char *
l23_bd_name_of(u32 id)
{
	return bd_map_val("i:%u", NULL, id);
}

void
l23_bd_id_forget(const char *name)
{
	u32 id;
	if (!l23_bd_id_find(name, &id))
		return;
	char *bound = bd_map_val("i:%u", NULL, id); /* may be name itself */
	bd_map_set("n:%s", name, 0, NULL);
	bd_map_set("i:%u", NULL, id, NULL);
	free(bound);
}

int
l23_bd_id_bind(const char *name, u32 id)
{
	u32 old;
	if (l23_bd_id_find(name, &old) && old == id)
		return 0;
	l23_bd_id_forget(name);
	const char *other = l23_bd_name_of(id);
	if (other)
		l23_bd_id_forget(other);
	char *dup = strdup(name);
	if (!dup || bd_map_set("i:%u", NULL, id, dup) < 0) {
		free(dup);
		return -ENOMEM;
	}
	if (bd_map_set("n:%s", name, 0, (void *)(uintptr_t)id) < 0) {
		bd_map_set("i:%u", NULL, id, NULL);
		free(dup);
		return -ENOMEM;
	}
	return 0;
}

void
l23_bd_id_used(u32 id, bool used)
{
	bd_map_set("u:%u", NULL, id, used ? (void *)1 : NULL);
}

void
l23_bd_id_set_ours(u32 id, bool ours)
{
	bd_map_set("o:%u", NULL, id, ours ? (void *)1 : NULL);
}

bool
l23_bd_id_ours(u32 id)
{
	return bd_map_val("o:%u", NULL, id) != NULL;
}

void
l23_bd_ids_used_reset(void)
{
	for (size_t i = 0; i < bd_ids.cap; i++)
		if (bd_ids.slot[i].key && strncmp(bd_ids.slot[i].key, "u:", 2) == 0)
			bd_ids.slot[i].val = NULL;
}

int
l23_bd_id_alloc(const char *name, u32 *id)
{
	if (l23_bd_id_find(name, id))
		return 0;
	/* Only ids in the map are taken: the search ends within n + 1 steps. */
	for (u32 i = 1; i <= L23_BD_ID_MAX; i++)
		if (!l23_bd_name_of(i) && !bd_map_val("u:%u", NULL, i)) {
			int rc = l23_bd_id_bind(name, i);
			if (rc == 0)
				*id = i;
			return rc;
		}
	return -ENOSPC;
}

void
l23_bd_fallback_name(u32 bd_id, char *buf, size_t n)
{
	snprintf(buf, n, "ligd-bd-%u", bd_id);
}

void
l23_bd_if_key(char *buf, size_t n, const char *bd, const char *iface)
{
	snprintf(buf, n, L23_BD_IF_PREFIX "%s" L23_BD_IF_MID "%s", bd, iface);
}

/* ---- dump copies ---- */

bool
l23_dump_cb(void *ctx, const void *details, u32 size)
{
	struct l23_dump *x = ctx;
	if (x->oom || size < x->min)
		return !x->oom;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		void **d = realloc(x->d, cap * sizeof(*d));
		if (d)
			x->d = d;
		u32 *sz = d ? realloc(x->size, cap * sizeof(*sz)) : NULL;
		if (sz)
			x->size = sz;
		if (!d || !sz) {
			x->oom = true;
			return false;
		}
		x->cap = cap;
	}
	void *p = malloc(size);
	if (!p) {
		x->oom = true;
		return false;
	}
	memcpy(p, details, size);
	x->d[x->n] = p;
	x->size[x->n++] = size;
	return true;
}

void
l23_dump_free(struct l23_dump *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->d[i]);
	free(x->d);
	free(x->size);
	memset(x, 0, sizeof(*x));
}

/* ---- interface names ---- */

int
l23_ifnames_init(struct l23_ifnames *in)
{
	memset(in, 0, sizeof(*in));
	if (!A.api)
		return -ENOTCONN;
	return agent_dump_interfaces(&in->ifs);
}

const char *
l23_ifname(struct l23_ifnames *in, u32 idx)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].idx == idx)
			return in->v[i].name;
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 16;
		struct l23_ifname *v = realloc(in->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		in->v = v;
		in->cap = cap;
	}
	char buf[LIG_MODEL_NAME_MAX + 64];
	const char *name = agent_if_name_of(&in->ifs, idx, buf, sizeof(buf));
	in->v[in->n] = (struct l23_ifname){.idx = idx, .name = name ? strdup(name) : NULL};
	return in->v[in->n++].name;
}

bool
l23_if_ours(const struct l23_ifnames *in, u32 idx)
{
	for (size_t i = 0; i < in->ifs.n; i++)
		if (in->ifs.d[i].sw_if_index == idx)
			return in->ifs.d[i].tag[0] != 0;
	return false;
}

void
l23_ifnames_free(struct l23_ifnames *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->v[i].name);
	free(in->v);
	free(in->ifs.d);
	memset(in, 0, sizeof(*in));
}

/* ---- string map ---- */

static uint64_t
map_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static struct l23_map_slot *
map_find(const struct l23_map *m, const char *key)
{
	size_t mask = m->cap - 1;
	for (size_t i = map_hash(key) & mask;; i = (i + 1) & mask)
		if (!m->slot[i].key || strcmp(m->slot[i].key, key) == 0)
			return &m->slot[i];
}

int
l23_map_put(struct l23_map *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct l23_map_slot *old = m->slot;
		size_t ocap = m->cap;
		m->slot = calloc(cap, sizeof(*m->slot));
		if (!m->slot) {
			m->slot = old;
			return -ENOMEM;
		}
		m->cap = cap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].key)
				*map_find(m, old[i].key) = old[i];
		free(old);
	}
	struct l23_map_slot *s = map_find(m, key);
	if (!s->key) {
		if (!(s->key = strdup(key)))
			return -ENOMEM;
		m->n++;
	}
	s->val = val;
	return 0;
}

bool
l23_map_get(const struct l23_map *m, const char *key, void **val)
{
	if (!m->cap)
		return false;
	const struct l23_map_slot *s = map_find(m, key);
	if (!s->key)
		return false;
	if (val)
		*val = s->val;
	return true;
}

void
l23_map_free(struct l23_map *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slot[i].key);
		if (m->slot[i].key && free_val)
			free_val(m->slot[i].val);
	}
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

/* ---- addresses ---- */

const char *
l23_ip4_text(char *buf, size_t n, lig_api_ip4_t a)
{
	const u8 *b = (const u8 *)&a;
	snprintf(buf, n, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

int
l23_ip4(const char *s, lig_api_ip4_t *a)
{
	u8 b[4];
	if (!s || lig_model_ip4_parse(s, b) < 0)
		return -EINVAL;
	memcpy(a, b, 4);
	return 0;
}

const char *
l23_mac_text(char *buf, size_t n, const char *s)
{
	u8 mac[6];
	if (!s || lig_model_mac_parse(s, mac) < 0) {
		snprintf(buf, n, "%s", "");
		return buf;
	}
	agent_fmt_mac(buf, n, mac);
	return buf;
}

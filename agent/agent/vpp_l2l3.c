/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: helpers of the L2 and L3 descriptors (vpp_l2l3.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpp_l2l3.h"

u32
l23_bd_id(const char *name)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % 16777214u + 1;
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

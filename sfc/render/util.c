/* SPDX-License-Identifier: Apache-2.0 */
/* sfc/render: strings, JSON writing, names, IPv4 and a string map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
sb_free(struct sb *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static bool
sb_grow(struct sb *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->n + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 128;
	while (cap < b->n + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void
sb_putn(struct sb *b, const char *s, size_t n)
{
	if (!sb_grow(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

void
sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void
sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof(tmp)) {
		sb_putn(b, tmp, (size_t)n);
		return;
	}
	if (!sb_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void
sb_jstr(struct sb *b, const char *s)
{
	sb_putn(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			sb_putn(b, "\\\"", 2);
			break;
		case '\\':
			sb_putn(b, "\\\\", 2);
			break;
		default:
			if (*p < 0x20)
				sb_printf(b, "\\u%04x", *p);
			else
				sb_putn(b, (const char *)p, 1);
		}
	}
	sb_putn(b, "\"", 1);
}

char *
sb_take(struct sb *b)
{
	if (!b->p && !b->oom)
		sb_putn(b, "", 0);
	if (b->oom) {
		sb_free(b);
		return NULL;
	}
	char *p = b->p;
	memset(b, 0, sizeof(*b));
	return p;
}

void
jo_open(struct jo *o, struct sb *b)
{
	o->b = b;
	o->first = true;
	sb_putn(b, "{", 1);
}

void
jo_close(struct jo *o)
{
	sb_putn(o->b, "}", 1);
}

void
jo_key(struct jo *o, const char *k)
{
	if (!o->first)
		sb_putn(o->b, ",", 1);
	o->first = false;
	sb_jstr(o->b, k);
	sb_putn(o->b, ":", 1);
}

void
jo_str(struct jo *o, const char *k, const char *v)
{
	if (str_empty(v))
		return;
	jo_key(o, k);
	sb_jstr(o->b, v);
}

void
jo_u32(struct jo *o, const char *k, uint32_t v)
{
	if (!v)
		return;
	jo_key(o, k);
	sb_printf(o->b, "%u", v);
}

void
jo_bool(struct jo *o, const char *k, bool v)
{
	if (!v)
		return;
	jo_key(o, k);
	sb_puts(o->b, "true");
}

void
jo_strs(struct jo *o, const char *k, char *const *v, size_t n)
{
	if (!n)
		return;
	jo_key(o, k);
	sb_putn(o->b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putn(o->b, ",", 1);
		sb_jstr(o->b, v[i]);
	}
	sb_putn(o->b, "]", 1);
}

uint32_t
fnv1a32(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

char *
xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

bool
str_empty(const char *s)
{
	return !s || !*s;
}

int
str_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

void
rname(char *buf, size_t size, const char *fmt, ...)
{
	char full[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(full, sizeof(full), fmt, ap);
	va_end(ap);
	if (n < 0)
		full[0] = 0;
	if (strlen(full) <= LIG_MODEL_NAME_MAX && strlen(full) < size) {
		snprintf(buf, size, "%s", full);
		return;
	}
	char head[LIG_MODEL_NAME_MAX];
	snprintf(head, sizeof(head), "%.*s", LIG_MODEL_NAME_MAX - 9, full);
	snprintf(buf, size, "%s-%08x", head, fnv1a32(full));
}

static void
first_last(char *out, size_t size, size_t n, size_t m, const char *s)
{
	size_t len = strlen(s);
	if (len <= n + m) {
		snprintf(out, size, "%s", s);
		return;
	}
	snprintf(out, size, "%.*s%s", (int)n, s, s + len - m);
}

void
base_host_name(char *buf, size_t size, const char *pod, const char *port)
{
	/* sfc-controller's budget: 4+4 characters of the pod, 3+4 of the port, each side giving
	 * what it does not use to the other (constructBaseHostName in networkservice_if.go). */
	size_t cb = 4, ce = 4, pb = 3, pe = 4;
	size_t lc = strlen(pod), lp = strlen(port);
	static const size_t add_pb[8] = {0, 4, 3, 3, 2, 2, 1, 1};
	static const size_t add_pe[8] = {0, 3, 3, 2, 2, 1, 1, 0};
	static const size_t add_cb[7] = {0, 3, 3, 2, 2, 1, 1};
	static const size_t add_ce[7] = {0, 3, 2, 2, 1, 1, 0};
	if (lc < 8) {
		pb += add_pb[lc];
		pe += add_pe[lc];
	}
	if (lp < 7) {
		cb += add_cb[lp];
		ce += add_ce[lp];
	}
	char a[32], b[32];
	first_last(a, sizeof(a), cb, ce, pod);
	first_last(b, sizeof(b), pb, pe, port);
	snprintf(buf, size, "%s%s", a, b);
}

int
ip4_parse_any(const char *s, uint32_t *addr, uint8_t *len)
{
	uint8_t a[4];
	uint8_t l = 32;
	if (!s)
		return -EINVAL;
	if (strchr(s, '/')) {
		if (lig_model_ip4_prefix_parse(s, a, &l) < 0)
			return -EINVAL;
	} else if (lig_model_ip4_parse(s, a) < 0) {
		return -EINVAL;
	}
	*addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	if (len)
		*len = l;
	return 0;
}

void
ip4_fmt(char *buf, size_t size, uint32_t addr)
{
	snprintf(buf, size, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
		 addr & 0xff);
}

/* ---- string map ---- */

void
smap_free(struct smap *m)
{
	smap_clear(m);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void
smap_clear(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->k[i]);
		m->k[i] = NULL;
	}
	m->n = 0;
}

static size_t
smap_slot(const struct smap *m, const char *k)
{
	size_t i = fnv1a32(k) & (m->cap - 1);
	while (m->k[i] && strcmp(m->k[i], k))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
smap_grow(struct smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct smap n = {.cap = cap};
	n.k = calloc(cap, sizeof(*n.k));
	n.v = calloc(cap, sizeof(*n.v));
	if (!n.k || !n.v) {
		free(n.k);
		free(n.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->k[i])
			continue;
		size_t j = smap_slot(&n, m->k[i]);
		n.k[j] = m->k[i];
		n.v[j] = m->v[i];
		n.n++;
	}
	free(m->k);
	free(m->v);
	*m = n;
	return 0;
}

int
smap_put(struct smap *m, const char *k, size_t v)
{
	if ((m->n + 1) * 2 > m->cap && smap_grow(m) < 0)
		return -ENOMEM;
	size_t i = smap_slot(m, k);
	if (!m->k[i]) {
		m->k[i] = strdup(k);
		if (!m->k[i])
			return -ENOMEM;
		m->n++;
	}
	m->v[i] = v;
	return 0;
}

bool
smap_get(const struct smap *m, const char *k, size_t *v)
{
	if (!m->cap)
		return false;
	size_t i = smap_slot(m, k);
	if (!m->k[i])
		return false;
	if (v)
		*v = m->v[i];
	return true;
}

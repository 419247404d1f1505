// SPDX-License-Identifier: Apache-2.0
// Metric registry and its Prometheus text exposition rendering (HELP/TYPE lines, escaped label
// values, histogram _bucket/_sum/_count). One mutex guards values: updates are cheap and rare
// compared with the scrape interval.
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cninfra/metrics.h"

#define MAX_LABELS 16

enum mtype { M_COUNTER, M_GAUGE, M_HISTOGRAM };

struct cninfra_series {
	struct cninfra_metric *m;
	char **values;
	double value;	  /* counter, gauge */
	uint64_t *counts; /* histogram: per bucket, not cumulative; last is +Inf */
	double sum;
	uint64_t count;
	struct cninfra_series *next;
};

struct cninfra_metric {
	struct cninfra_metrics *reg;
	enum mtype type;
	char *name, *help;
	char **labels;
	size_t n_labels;
	double *bounds;
	size_t n_bounds;
	struct cninfra_series *series, **tail;
	struct cninfra_metric *next;
};

struct cninfra_metrics {
	pthread_mutex_t lock;
	struct cninfra_metric *families, **tail;
};

struct cninfra_metrics *
cninfra_metrics_new(void)
{
	struct cninfra_metrics *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	r->tail = &r->families;
	return r;
}

static void
metric_free(struct cninfra_metric *m)
{
	while (m->series) {
		struct cninfra_series *s = m->series;
		m->series = s->next;
		for (size_t i = 0; i < m->n_labels; i++)
			free(s->values[i]);
		free(s->values);
		free(s->counts);
		free(s);
	}
	for (size_t i = 0; i < m->n_labels; i++)
		free(m->labels[i]);
	free(m->labels);
	free(m->bounds);
	free(m->name);
	free(m->help);
	free(m);
}

void
cninfra_metrics_free(struct cninfra_metrics *reg)
{
	if (!reg)
		return;
	while (reg->families) {
		struct cninfra_metric *m = reg->families;
		reg->families = m->next;
		metric_free(m);
	}
	pthread_mutex_destroy(&reg->lock);
	free(reg);
}

static bool
valid_name(const char *s, bool colon)
{
	if (!s || !*s)
		return false;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
		if (!ok)
			return false;
	}
	return true;
}

static struct cninfra_metric *
family_new(struct cninfra_metrics *reg, enum mtype type, const char *name, const char *help,
	   const char *const *labels, const double *bounds, size_t n_bounds)
{
	size_t nl = 0;
	if (!reg || !valid_name(name, true))
		goto inval;
	for (; labels && labels[nl]; nl++) {
		if (nl >= MAX_LABELS || !valid_name(labels[nl], false) ||
		    !strncmp(labels[nl], "__", 2) ||
		    (type == M_HISTOGRAM && !strcmp(labels[nl], "le")))
			goto inval;
	}
	for (size_t i = 0; i < n_bounds; i++)
		if (!isfinite(bounds[i]) || (i && bounds[i] <= bounds[i - 1]))
			goto inval;
	struct cninfra_metric *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->reg = reg;
	m->type = type;
	m->tail = &m->series;
	m->name = strdup(name);
	m->help = strdup(help ? help : "");
	m->labels = calloc(nl + 1, sizeof(char *));
	m->bounds = calloc(n_bounds + 1, sizeof(double));
	if (!m->name || !m->help || !m->labels || !m->bounds)
		goto nomem;
	for (size_t i = 0; i < nl; i++) {
		if (!(m->labels[i] = strdup(labels[i])))
			goto nomem;
		m->n_labels++;
	}
	if (n_bounds)
		memcpy(m->bounds, bounds, n_bounds * sizeof(double));
	m->n_bounds = n_bounds;
	pthread_mutex_lock(&reg->lock);
	for (struct cninfra_metric *o = reg->families; o; o = o->next) {
		if (!strcmp(o->name, name)) {
			pthread_mutex_unlock(&reg->lock);
			metric_free(m);
			errno = EEXIST;
			return NULL;
		}
	}
	*reg->tail = m;
	reg->tail = &m->next;
	pthread_mutex_unlock(&reg->lock);
	return m;
nomem:
	metric_free(m);
	errno = ENOMEM;
	return NULL;
inval:
	errno = EINVAL;
	return NULL;
}

struct cninfra_metric *
cninfra_metrics_counter(struct cninfra_metrics *reg, const char *name, const char *help,
			const char *const *labels)
{
	return family_new(reg, M_COUNTER, name, help, labels, NULL, 0);
}

struct cninfra_metric *
cninfra_metrics_gauge(struct cninfra_metrics *reg, const char *name, const char *help,
		      const char *const *labels)
{
	return family_new(reg, M_GAUGE, name, help, labels, NULL, 0);
}

struct cninfra_metric *
cninfra_metrics_histogram(struct cninfra_metrics *reg, const char *name, const char *help,
			  const char *const *labels, const double *bounds, size_t n_bounds)
{
	if (n_bounds && !bounds) {
		errno = EINVAL;
		return NULL;
	}
	return family_new(reg, M_HISTOGRAM, name, help, labels, bounds, n_bounds);
}

struct cninfra_series *
cninfra_metric_with(struct cninfra_metric *m, const char *const *values)
{
	if (!m || (m->n_labels && !values)) {
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < m->n_labels; i++) {
		if (!values[i]) {
			errno = EINVAL;
			return NULL;
		}
	}
	pthread_mutex_lock(&m->reg->lock);
	struct cninfra_series *s;
	for (s = m->series; s; s = s->next) {
		size_t i;
		for (i = 0; i < m->n_labels; i++)
			if (strcmp(s->values[i], values[i]))
				break;
		if (i == m->n_labels)
			goto out;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto out;
	s->m = m;
	s->values = calloc(m->n_labels + 1, sizeof(char *));
	s->counts = m->type == M_HISTOGRAM ? calloc(m->n_bounds + 1, sizeof(uint64_t)) : NULL;
	if (!s->values || (m->type == M_HISTOGRAM && !s->counts))
		goto nomem;
	for (size_t i = 0; i < m->n_labels; i++)
		if (!(s->values[i] = strdup(values[i])))
			goto nomem;
	*m->tail = s;
	m->tail = &s->next;
out:
	pthread_mutex_unlock(&m->reg->lock);
	if (!s)
		errno = ENOMEM;
	return s;
nomem:
	for (size_t i = 0; i < m->n_labels; i++)
		free(s->values[i]);
	free(s->values);
	free(s->counts);
	free(s);
	pthread_mutex_unlock(&m->reg->lock);
	errno = ENOMEM;
	return NULL;
}

void
cninfra_counter_add(struct cninfra_series *s, double v)
{
	if (!s || s->m->type != M_COUNTER || !(v >= 0))
		return;
	pthread_mutex_lock(&s->m->reg->lock);
	s->value += v;
	pthread_mutex_unlock(&s->m->reg->lock);
}

void
cninfra_counter_inc(struct cninfra_series *s)
{
	cninfra_counter_add(s, 1);
}

void
cninfra_gauge_set(struct cninfra_series *s, double v)
{
	if (!s || s->m->type != M_GAUGE)
		return;
	pthread_mutex_lock(&s->m->reg->lock);
	s->value = v;
	pthread_mutex_unlock(&s->m->reg->lock);
}

void
cninfra_gauge_add(struct cninfra_series *s, double v)
{
	if (!s || s->m->type != M_GAUGE)
		return;
	pthread_mutex_lock(&s->m->reg->lock);
	s->value += v;
	pthread_mutex_unlock(&s->m->reg->lock);
}

void
cninfra_histogram_observe(struct cninfra_series *s, double v)
{
	if (!s || s->m->type != M_HISTOGRAM || isnan(v))
		return;
	struct cninfra_metric *m = s->m;
	size_t b = 0;
	while (b < m->n_bounds && v > m->bounds[b])
		b++;
	pthread_mutex_lock(&m->reg->lock);
	s->counts[b]++;
	s->sum += v;
	s->count++;
	pthread_mutex_unlock(&m->reg->lock);
}

double
cninfra_series_value(struct cninfra_series *s)
{
	if (!s)
		return NAN;
	pthread_mutex_lock(&s->m->reg->lock);
	double v = s->m->type == M_HISTOGRAM ? (double)s->count : s->value;
	pthread_mutex_unlock(&s->m->reg->lock);
	return v;
}

/* A growable output buffer; on allocation failure it latches an error. */
struct buf {
	char *p;
	size_t len, cap;
	bool err;
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
bprintf(struct buf *b, const char *fmt, ...)
{
	if (b->err)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->err = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

static void
bescape(struct buf *b, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			bprintf(b, "\\\\");
		else if (*s == '\n')
			bprintf(b, "\\n");
		else if (quote && *s == '"')
			bprintf(b, "\\\"");
		else
			bprintf(b, "%c", *s);
	}
}

/* Shortest text that reads back as the same double. */
static void
fmt_double(char *out, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(out, size, "NaN");
	} else if (isinf(v)) {
		snprintf(out, size, v > 0 ? "+Inf" : "-Inf");
	} else {
		snprintf(out, size, "%.15g", v);
		if (strtod(out, NULL) != v)
			snprintf(out, size, "%.17g", v);
	}
}

static void
bnum(struct buf *b, double v)
{
	char tmp[64];
	fmt_double(tmp, sizeof(tmp), v);
	bprintf(b, "%s", tmp);
}

/* {a="x",b="y"[,le="..."]} */
static void
blabels(struct buf *b, const struct cninfra_metric *m, const struct cninfra_series *s,
	const char *le)
{
	if (!m->n_labels && !le)
		return;
	bprintf(b, "{");
	for (size_t i = 0; i < m->n_labels; i++) {
		bprintf(b, "%s%s=\"", i ? "," : "", m->labels[i]);
		bescape(b, s->values[i], true);
		bprintf(b, "\"");
	}
	if (le)
		bprintf(b, "%sle=\"%s\"", m->n_labels ? "," : "", le);
	bprintf(b, "}");
}

char *
cninfra_metrics_render(struct cninfra_metrics *reg)
{
	static const char *const tnames[] = {"counter", "gauge", "histogram"};
	struct buf b = {.p = malloc(4096), .cap = 4096};
	if (!b.p)
		return NULL;
	b.p[0] = 0;
	pthread_mutex_lock(&reg->lock);
	for (struct cninfra_metric *m = reg->families; m; m = m->next) {
		bprintf(&b, "# HELP %s ", m->name);
		bescape(&b, m->help, false);
		bprintf(&b, "\n# TYPE %s %s\n", m->name, tnames[m->type]);
		for (struct cninfra_series *s = m->series; s; s = s->next) {
			if (m->type != M_HISTOGRAM) {
				bprintf(&b, "%s", m->name);
				blabels(&b, m, s, NULL);
				bprintf(&b, " ");
				bnum(&b, s->value);
				bprintf(&b, "\n");
				continue;
			}
			uint64_t cum = 0;
			for (size_t i = 0; i <= m->n_bounds; i++) {
				char le[64];
				fmt_double(le, sizeof(le),
					   i < m->n_bounds ? m->bounds[i] : INFINITY);
				cum += s->counts[i];
				bprintf(&b, "%s_bucket", m->name);
				blabels(&b, m, s, le);
				bprintf(&b, " %llu\n", (unsigned long long)cum);
			}
			bprintf(&b, "%s_sum", m->name);
			blabels(&b, m, s, NULL);
			bprintf(&b, " ");
			bnum(&b, s->sum);
			bprintf(&b, "\n%s_count", m->name);
			blabels(&b, m, s, NULL);
			bprintf(&b, " %llu\n", (unsigned long long)s->count);
		}
	}
	pthread_mutex_unlock(&reg->lock);
	if (b.err) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Counters, gauges and histograms with labels, rendered in the Prometheus text exposition
 * format (served by the agent at /metrics). */
#ifndef CNINFRA_METRICS_H
#define CNINFRA_METRICS_H

#include <stddef.h>

struct cninfra_metrics;
struct cninfra_metric; /* a family: name, help, type, label names */
struct cninfra_series; /* one label-value combination of a family */

struct cninfra_metrics *cninfra_metrics_new(void);
void cninfra_metrics_free(struct cninfra_metrics *reg);

/* Registers a family. labels is a NULL-terminated list of label names (NULL: none). Names follow
 * Prometheus rules ([a-zA-Z_:][a-zA-Z0-9_:]*, labels without ':'). Returns the family (owned by
 * reg) or NULL with errno EINVAL (bad name), EEXIST (name taken) or ENOMEM. */
struct cninfra_metric *cninfra_metrics_counter(struct cninfra_metrics *reg, const char *name,
					       const char *help, const char *const *labels);
struct cninfra_metric *cninfra_metrics_gauge(struct cninfra_metrics *reg, const char *name,
					     const char *help, const char *const *labels);
/* bounds: n_bounds strictly increasing upper bounds; +Inf is implicit. */
struct cninfra_metric *cninfra_metrics_histogram(struct cninfra_metrics *reg, const char *name,
						 const char *help, const char *const *labels,
						 const double *bounds, size_t n_bounds);

/* Returns the series for these label values (as many as the family has labels; NULL for a
 * family without labels), created on first use. Owned by reg. NULL with errno on error. */
struct cninfra_series *cninfra_metric_with(struct cninfra_metric *m, const char *const *values);

/* All thread-safe. Counters only go up: a negative add is ignored. */
void cninfra_counter_add(struct cninfra_series *s, double v);
void cninfra_counter_inc(struct cninfra_series *s);
void cninfra_gauge_set(struct cninfra_series *s, double v);
void cninfra_gauge_add(struct cninfra_series *s, double v);
void cninfra_histogram_observe(struct cninfra_series *s, double v);
/* Current value of a counter or gauge (tests, health logic). */
double cninfra_series_value(struct cninfra_series *s);

/* Renders every family; returns a malloc'd NUL-terminated text or NULL on ENOMEM. */
char *cninfra_metrics_render(struct cninfra_metrics *reg);

#endif

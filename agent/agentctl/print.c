/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agentctl's human-readable output: padded tables, a value's pending reasons or error in one
 * phrase, transactions as a line each (and their operations), times and durations. Every string
 * printed comes from the agent: control characters are shown as '?' so a hostile key cannot drive
 * the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agentctl.h"

struct table {
	size_t n_cols, n_rows, cap;
	char **cells; /* n_rows x n_cols; row 0 the headers */
	size_t *width;
};

/* A copy safe for a terminal. */
static char *
clean(const char *s)
{
	char *c = strdup(s ? s : "-");
	for (unsigned char *p = (unsigned char *)c; c && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return c;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t
cols(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

struct table *
table_new(size_t n_cols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->n_cols = n_cols;
	t->width = calloc(n_cols, sizeof(*t->width));
	if (!t->width) {
		free(t);
		return NULL;
	}
	table_row(t, headers);
	return t;
}

void
table_row(struct table *t, const char *const *cells)
{
	if (!t)
		return;
	if (t->n_rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **nc = realloc(t->cells, cap * t->n_cols * sizeof(*nc));
		if (!nc)
			return;
		t->cells = nc;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->n_cols; i++) {
		char *c = clean(cells[i]);
		t->cells[t->n_rows * t->n_cols + i] = c;
		size_t w = c ? cols(c) : 0;
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->n_rows++;
}

void
table_print(struct table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t i = 0; i < t->n_cols; i++) {
			const char *c = t->cells[r * t->n_cols + i];
			c = c ? c : "";
			if (i + 1 == t->n_cols)
				printf("%s\n", c);
			else
				printf("%s%*s", c, (int)(t->width[i] - cols(c) + 2), "");
		}
	}
	for (size_t k = 0; k < t->n_rows * t->n_cols; k++)
		free(t->cells[k]);
	free(t->cells);
	free(t->width);
	free(t);
}

char *
json_compact(const json_t *j)
{
	if (!j)
		return strdup("-");
	if (json_is_string(j))
		return strdup(json_string_value(j));
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

char *
status_details(const json_t *st)
{
	const char *state = json_string_value(json_object_get(st, "state"));
	const char *err = json_string_value(json_object_get(st, "error"));
	const json_t *d = json_object_get(st, "details");
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	state = state ? state : "";
	if (!strcmp(state, "PENDING") && json_array_size(d)) {
		fputs("waits for: ", f);
		for (size_t i = 0; i < json_array_size(d); i++)
			fprintf(f, "%s%s", i ? ", " : "",
				json_string_value(json_array_get(d, i)) ?: "?");
	} else {
		if (err)
			fputs(err, f);
		if (json_array_size(d)) {
			fputs(err ? " (fields: " : "fields: ", f);
			for (size_t i = 0; i < json_array_size(d); i++)
				fprintf(f, "%s%s", i ? ", " : "",
					json_string_value(json_array_get(d, i)) ?: "?");
			if (err)
				fputc(')', f);
		}
		if (!strcmp(state, "RETRYING"))
			fprintf(f, "%sretry #%lld in %lld ms", err ? "; " : "",
				json_integer_value(json_object_get(st, "retry_attempt")),
				json_integer_value(json_object_get(st, "retry_in_ms")));
	}
	const char *from = json_string_value(json_object_get(st, "derived_from"));
	if (from && !ftell(f))
		fprintf(f, "derived from %s", from);
	fclose(f);
	if (buf && !*buf) {
		free(buf);
		return NULL;
	}
	return buf;
}

void
fmt_time(uint64_t ns, char *buf, size_t n)
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		snprintf(buf, n, "?");
		return;
	}
	size_t k = strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + k, n - k, ".%03u", (unsigned)(ns % 1000000000ull / 1000000));
}

void
fmt_duration(uint64_t ns, char *buf, size_t n)
{
	if (ns < 1000000)
		snprintf(buf, n, "%.3f ms", (double)ns / 1e6);
	else if (ns < 1000000000ull)
		snprintf(buf, n, "%.1f ms", (double)ns / 1e6);
	else
		snprintf(buf, n, "%.2f s", (double)ns / 1e9);
}

static uint64_t
u64(const json_t *o, const char *k)
{
	json_int_t v = json_integer_value(json_object_get(o, k));
	return v > 0 ? (uint64_t)v : 0;
}

void
print_txn(const json_t *t, bool ops)
{
	char when[64], dur[32];
	fmt_time(u64(t, "start_ns"), when, sizeof(when));
	fmt_duration(u64(t, "duration_ns"), dur, sizeof(dur));
	const json_t *o = json_object_get(t, "ops");
	size_t real = 0;
	for (size_t i = 0; i < json_array_size(o); i++)
		real += !json_is_true(json_object_get(json_array_get(o, i), "noop"));
	char *desc = clean(json_string_value(json_object_get(t, "description")) ?: "");
	char retry[64] = "";
	if (json_object_get(t, "retry_for_seq"))
		snprintf(retry, sizeof(retry), " (retry #%llu of txn #%llu)",
			 (unsigned long long)u64(t, "retry_attempt"),
			 (unsigned long long)u64(t, "retry_for_seq"));
	printf("#%llu  %s  %s%s  %s  %zu operation%s, %llu error%s%s%s%s\n",
	       (unsigned long long)u64(t, "seq"), when,
	       json_string_value(json_object_get(t, "trigger")) ?: "?", retry, dur, real,
	       real == 1 ? "" : "s", (unsigned long long)u64(t, "errors"),
	       u64(t, "errors") == 1 ? "" : "s", desc && *desc ? "  (" : "", desc ? desc : "",
	       desc && *desc ? ")" : "");
	free(desc);
	if (!ops)
		return;
	for (size_t i = 0; i < json_array_size(o); i++) {
		const json_t *op = json_array_get(o, i);
		bool noop = json_is_true(json_object_get(op, "noop"));
		char *key = clean(json_string_value(json_object_get(op, "key")));
		char *err = json_string_value(json_object_get(op, "error"))
				? clean(json_string_value(json_object_get(op, "error")))
				: NULL;
		fmt_duration(u64(op, "duration_ns"), dur, sizeof(dur));
		printf("    %-8s %s  %s -> %s%s%s%s%s\n",
		       noop ? "(state)" : json_string_value(json_object_get(op, "op")) ?: "?", key,
		       json_string_value(json_object_get(op, "prev_state")) ?: "?",
		       json_string_value(json_object_get(op, "new_state")) ?: "?",
		       noop ? "" : "  ", noop ? "" : dur, err ? "  error: " : "", err ? err : "");
		free(key);
		free(err);
	}
}

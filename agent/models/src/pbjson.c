/* SPDX-License-Identifier: Apache-2.0 */
/* The protobuf JSON mapping (proto3) over jansson, driven by the message tables of
 * pbjson.h. The decoding rules are those of Go's protojson, which vpp-agent stores and reads
 * values with:
 * - a field is named by its proto name or its JSON (lowerCamelCase) name; naming one field
 *   twice, in either form, is an error ("duplicate field");
 * - null leaves a field at its default (a oneof member given as null is not set);
 * - two members of one oneof are an error;
 * - integers are JSON numbers or strings holding a JSON number, either with a fraction or an
 *   exponent as long as the value is an integer in range ("1e2", "100.0");
 * - enums are names (exact case) or numbers (any int32: proto3 enums are open);
 * - lists are arrays, null elements are errors; messages are objects; strings are strings;
 *   bools are true/false;
 * - a field the message does not have is an error naming its path.
 * Encoding is protojson's default: JSON names, declaration order, proto3 defaults omitted
 * (a message that is present, or a oneof member that is set, is written even when empty),
 * enums by name, 64-bit integers as strings. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model_err.h"
#include "pbjson.h"

/* ---- names ---- */

void
lig_pb_json_name(const char *proto_name, char *buf, size_t size)
{
	size_t o = 0;
	bool cap = false;

	if (!size)
		return;
	for (const char *p = proto_name; *p && o + 1 < size; p++) {
		if (*p == '_') {
			cap = true;
			continue;
		}
		buf[o++] = cap && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		cap = false;
	}
	buf[o] = 0;
}

/* Is key the JSON name derived from proto_name (without building it)? */
static bool
json_name_eq(const char *proto_name, const char *key)
{
	bool cap = false;
	const char *k = key;

	for (const char *p = proto_name; *p; p++) {
		if (*p == '_') {
			cap = true;
			continue;
		}
		char want = cap && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		cap = false;
		if (*k++ != want)
			return false;
	}
	return *k == 0;
}

static int
find_field(const struct lig_pb_message *m, const char *key)
{
	for (size_t i = 0; i < m->n_fields; i++)
		if (json_name_eq(m->fields[i].name, key))
			return (int)i;
	for (size_t i = 0; i < m->n_fields; i++)
		if (!strcmp(m->fields[i].name, key))
			return (int)i;
	return -1;
}

const char *
lig_pb_enum_name(const struct lig_pb_enum *e, int32_t number)
{
	for (size_t i = 0; i < e->n_values; i++)
		if (e->values[i].number == number)
			return e->values[i].name;
	return NULL;
}

static size_t
elem_size(const struct lig_pb_field *f)
{
	switch (f->type) {
	case LIG_PB_BOOL:
		return sizeof(bool);
	case LIG_PB_INT32:
	case LIG_PB_ENUM:
		return sizeof(int32_t);
	case LIG_PB_UINT32:
		return sizeof(uint32_t);
	case LIG_PB_INT64:
		return sizeof(int64_t);
	case LIG_PB_UINT64:
		return sizeof(uint64_t);
	case LIG_PB_STRING:
		return sizeof(char *);
	case LIG_PB_MESSAGE:
		return f->message->size;
	}
	return 0;
}

static uint32_t *
oneof_case(const struct lig_pb_message *m, const struct lig_pb_field *f, const void *base)
{
	return (uint32_t *)((char *)base + m->oneofs[f->oneof - 1].case_offset);
}

/* Is this field's value present in *base as far as encode/equal/free are concerned? */
static bool
field_active(const struct lig_pb_message *m, const struct lig_pb_field *f, const void *base)
{
	if (f->oneof)
		return *oneof_case(m, f, base) == f->number;
	return true;
}

/* ---- decoding ---- */

struct dec {
	struct lig_model_error *err;
	char path[LIG_MODEL_FIELD_MAX];
	size_t len;
};

/* Appends ".name" (or "name" at the top) to the path; returns the length to restore. */
static size_t
path_push(struct dec *d, const char *name, bool quote)
{
	size_t saved = d->len;
	char q[LIG_MODEL_QUOTE_SIZE];

	if (quote)
		name = lig_model_quote(name, strlen(name), 32, q, sizeof(q));
	int n =
	    snprintf(d->path + d->len, sizeof(d->path) - d->len, "%s%s", d->len ? "." : "", name);
	if (n > 0)
		d->len =
		    d->len + (size_t)n < sizeof(d->path) ? d->len + (size_t)n : sizeof(d->path) - 1;
	return saved;
}

static size_t
path_index(struct dec *d, size_t i)
{
	size_t saved = d->len;
	int n = snprintf(d->path + d->len, sizeof(d->path) - d->len, "[%zu]", i);
	if (n > 0)
		d->len =
		    d->len + (size_t)n < sizeof(d->path) ? d->len + (size_t)n : sizeof(d->path) - 1;
	return saved;
}

static void
path_pop(struct dec *d, size_t saved)
{
	d->len = saved;
	d->path[saved] = 0;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a JSON value";
}

/* The value as it appears in JSON, for messages (strings quoted and escaped). */
static const char *
json_show(const json_t *v, char *buf, size_t size)
{
	char q[LIG_MODEL_QUOTE_SIZE];

	switch (json_typeof(v)) {
	case JSON_STRING:
		snprintf(
		    buf, size, "\"%s\"",
		    lig_model_quote(json_string_value(v), json_string_length(v), 40, q, sizeof(q)));
		break;
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(buf, size, "%.17g", json_real_value(v));
		break;
	default:
		snprintf(buf, size, "%s", json_kind(v));
		break;
	}
	return buf;
}

static int dec_fail(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
dec_fail(struct dec *d, const char *fmt, ...)
{
	char msg[LIG_MODEL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lig_model_err_set(d->err, LIG_MODEL_ERR_FIELD, d->path, "%s", msg);
	return -EINVAL;
}

/* Parses a JSON number literal exactly (the whole of s[0..len)) into sign and magnitude.
 * Returns 0; -EINVAL when it is not a JSON number; -EDOM when it is not an integer; -ERANGE
 * when its magnitude exceeds UINT64_MAX. */
static int
parse_int_literal(const char *s, size_t len, bool *neg, uint64_t *mag)
{
	const char *p = s, *end = s + len;
	const char *ip, *fp = NULL;
	size_t ilen, flen = 0;
	long exp = 0;
	bool eneg = false, ehuge = false;

	*neg = false;
	*mag = 0;
	if (p < end && *p == '-') {
		*neg = true;
		p++;
	}
	ip = p;
	if (p >= end || *p < '0' || *p > '9')
		return -EINVAL;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	ilen = (size_t)(p - ip);
	if (p < end && *p == '.') {
		fp = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		flen = (size_t)(p - fp);
		if (!flen)
			return -EINVAL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= end || *p < '0' || *p > '9')
			return -EINVAL;
		while (p < end && *p >= '0' && *p <= '9') {
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
			else
				ehuge = true;
			p++;
		}
	}
	if (p != end)
		return -EINVAL;

	/* The value is D * 10^(exp - flen), D the digits of int and frac together. Take its
	 * significant digits (first to last non-zero), moving trailing zeros into the scale. */
	size_t nall = ilen + flen, first = nall, last = 0;
	for (size_t i = 0; i < nall; i++) {
		char c = i < ilen ? ip[i] : fp[i - ilen];
		if (c != '0') {
			if (first == nall)
				first = i;
			last = i;
		}
	}
	if (first == nall)
		return 0; /* zero, whatever the exponent */
	if (ehuge)
		return eneg ? -EDOM : -ERANGE;
	long scale = (eneg ? -exp : exp) - (long)flen + (long)(nall - 1 - last);
	size_t sig = last - first + 1;
	if (scale < 0)
		return -EDOM; /* a non-zero digit after the point */
	if ((long)sig + scale > 20)
		return -ERANGE;
	uint64_t v = 0;
	for (size_t i = first; i < first + sig + (size_t)scale; i++) {
		unsigned dgt = 0;
		if (i <= last)
			dgt = (unsigned)((i < ilen ? ip[i] : fp[i - ilen]) - '0');
		if (v > (UINT64_MAX - dgt) / 10)
			return -ERANGE;
		v = v * 10 + dgt;
	}
	*mag = v;
	return 0;
}

/* An integer of the range [min, max] (max as uint64 for unsigned types) from a JSON number or
 * a string holding one. */
static int
dec_integer(struct dec *d, const json_t *v, bool is_signed, int64_t smin, int64_t smax,
	    uint64_t umax, const char *type, int64_t *sout, uint64_t *uout)
{
	char shown[96];
	bool neg = false;
	uint64_t mag = 0;
	int rv;

	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		neg = x < 0;
		mag = neg ? (uint64_t)(-(x + 1)) + 1 : (uint64_t)x;
	} else if (json_is_real(v)) {
		double x = json_real_value(v);
		if (!isfinite(x) || floor(x) != x)
			return dec_fail(d, "%s is not an integer (%s)", json_show(v, shown, 96),
					type);
		/* Past 2^53 a double is not the number that was written. */
		if (fabs(x) > 9007199254740992.0)
			return dec_fail(
			    d,
			    "%s: too large to be exact as a JSON number; write it as a string (%s)",
			    json_show(v, shown, 96), type);
		neg = x < 0;
		mag = (uint64_t)fabs(x);
	} else if (json_is_string(v)) {
		rv = parse_int_literal(json_string_value(v), json_string_length(v), &neg, &mag);
		if (rv == -EINVAL)
			return dec_fail(d, "%s is not a number (%s)", json_show(v, shown, 96),
					type);
		if (rv == -EDOM)
			return dec_fail(d, "%s is not an integer (%s)", json_show(v, shown, 96),
					type);
		if (rv == -ERANGE)
			return dec_fail(d, "%s is out of range for %s", json_show(v, shown, 96),
					type);
	} else {
		return dec_fail(d, "expected %s (a number or a string), got %s", type,
				json_kind(v));
	}
	if (neg && mag == 0)
		neg = false; /* -0 */
	if (is_signed) {
		if (neg ? mag > (uint64_t)(-(smin + 1)) + 1 : mag > (uint64_t)smax)
			return dec_fail(d, "%s is out of range for %s", json_show(v, shown, 96),
					type);
		*sout = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	} else {
		if (neg || mag > umax)
			return dec_fail(d, "%s is out of range for %s", json_show(v, shown, 96),
					type);
		*uout = mag;
	}
	return 0;
}

static int dec_message(struct dec *d, const struct lig_pb_message *m, const json_t *obj,
		       void *base);

/* One value (a singular field, or one element of a repeated one) into p. */
static int
dec_value(struct dec *d, const struct lig_pb_field *f, const json_t *v, void *p, bool element)
{
	char shown[96];
	int64_t s = 0;
	uint64_t u = 0;
	int rv;

	switch (f->type) {
	case LIG_PB_BOOL:
		if (!json_is_boolean(v))
			return dec_fail(d, "expected true or false, got %s", json_kind(v));
		*(bool *)p = json_is_true(v);
		return 0;
	case LIG_PB_INT32:
		rv = dec_integer(d, v, true, INT32_MIN, INT32_MAX, 0, "int32", &s, &u);
		if (!rv)
			*(int32_t *)p = (int32_t)s;
		return rv;
	case LIG_PB_UINT32:
		rv = dec_integer(d, v, false, 0, 0, UINT32_MAX, "uint32", &s, &u);
		if (!rv)
			*(uint32_t *)p = (uint32_t)u;
		return rv;
	case LIG_PB_INT64:
		rv = dec_integer(d, v, true, INT64_MIN, INT64_MAX, 0, "int64", &s, &u);
		if (!rv)
			*(int64_t *)p = s;
		return rv;
	case LIG_PB_UINT64:
		rv = dec_integer(d, v, false, 0, 0, UINT64_MAX, "uint64", &s, &u);
		if (!rv)
			*(uint64_t *)p = u;
		return rv;
	case LIG_PB_STRING: {
		if (!json_is_string(v))
			return dec_fail(d, "expected a string, got %s", json_kind(v));
		size_t n = json_string_length(v);
		if (!n && !element)
			return 0; /* the default: stays NULL */
		char *copy = malloc(n + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, json_string_value(v), n);
		copy[n] = 0;
		*(char **)p = copy;
		return 0;
	}
	case LIG_PB_ENUM:
		if (json_is_string(v)) {
			const char *name = json_string_value(v);
			for (size_t i = 0; i < f->enumeration->n_values; i++)
				if (!strcmp(f->enumeration->values[i].name, name)) {
					*(int32_t *)p = f->enumeration->values[i].number;
					return 0;
				}
			return dec_fail(d, "%s is not a value of %s", json_show(v, shown, 96),
					f->enumeration->name);
		}
		if (!json_is_number(v))
			return dec_fail(d, "expected a name or number of %s, got %s",
					f->enumeration->name, json_kind(v));
		rv = dec_integer(d, v, true, INT32_MIN, INT32_MAX, 0, "an enum number", &s, &u);
		if (!rv)
			*(int32_t *)p = (int32_t)s;
		return rv;
	case LIG_PB_MESSAGE:
		return dec_message(d, f->message, v, p);
	}
	return -EINVAL;
}

static int
dec_field(struct dec *d, const struct lig_pb_field *f, const json_t *v, void *base)
{
	void *p = (char *)base + f->offset;

	if (!(f->flags & LIG_PB_REPEATED)) {
		if (f->type == LIG_PB_MESSAGE && !f->oneof)
			*(bool *)((char *)base + f->has_offset) = true;
		return dec_value(d, f, v, p, false);
	}
	if (!json_is_array(v))
		return dec_fail(d, "expected an array (a repeated field), got %s", json_kind(v));
	size_t n = json_array_size(v), es = elem_size(f);
	if (!n)
		return 0;
	char *arr = calloc(n, es);
	if (!arr)
		return -ENOMEM;
	*(void **)p = arr;
	*(size_t *)((char *)base + f->count_offset) = n;
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(v, i);
		size_t saved = path_index(d, i);
		int rv = json_is_null(e) ? dec_fail(d, "null is not a valid list element")
					 : dec_value(d, f, e, arr + i * es, true);
		if (rv < 0)
			return rv;
		path_pop(d, saved);
	}
	return 0;
}

static int
dec_message(struct dec *d, const struct lig_pb_message *m, const json_t *obj, void *base)
{
	uint64_t seen = 0;
	uint32_t oneofs_seen = 0;
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return dec_fail(d, "expected an object (%s), got %s", m->name, json_kind(obj));
	json_object_foreach((json_t *)obj, key, v)
	{
		int i = find_field(m, key);
		if (i < 0) {
			path_push(d, key, true);
			return dec_fail(d, "unknown field (%s has no such field)", m->name);
		}
		const struct lig_pb_field *f = &m->fields[i];
		size_t saved = path_push(d, f->name, false);
		if (seen & (1ull << i))
			return dec_fail(
			    d, "duplicate field (given both as %s and as its JSON name)", f->name);
		seen |= 1ull << i;
		if (json_is_null(v)) {
			path_pop(d, saved);
			continue;
		}
		if (f->oneof) {
			uint32_t *c = oneof_case(m, f, base);
			if (oneofs_seen & (1u << (f->oneof - 1))) {
				const char *other = "";
				for (size_t j = 0; j < m->n_fields; j++)
					if (m->fields[j].oneof == f->oneof &&
					    m->fields[j].number == *c)
						other = m->fields[j].name;
				return dec_fail(d, "oneof '%s' is already set (by '%s')",
						m->oneofs[f->oneof - 1].name, other);
			}
			oneofs_seen |= 1u << (f->oneof - 1);
			*c = f->number;
		}
		int rv = dec_field(d, f, v, base);
		if (rv < 0)
			return rv;
		path_pop(d, saved);
	}
	return 0;
}

int
lig_pb_decode(const struct lig_pb_message *m, const char *json, size_t size, void *value,
	      struct lig_model_error *err)
{
	struct dec d = {.err = err};
	json_error_t je;
	char q[LIG_MODEL_QUOTE_SIZE * 2];

	if (size > LIG_MODEL_VALUE_MAX) {
		lig_model_err_set(err, LIG_MODEL_ERR_JSON, NULL,
				  "the value is %zu bytes; at most %d are accepted", size,
				  LIG_MODEL_VALUE_MAX);
		return -EFBIG;
	}
	json_t *root = json_loadb(json ? json : "", size, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		lig_model_err_set(err, LIG_MODEL_ERR_JSON, NULL,
				  "not valid JSON: %s (line %d, column %d)",
				  lig_model_quote(je.text, strlen(je.text), 100, q, sizeof(q)),
				  je.line, je.column);
		return -EINVAL;
	}
	int rv;
	if (!json_is_object(root)) {
		lig_model_err_set(err, LIG_MODEL_ERR_JSON, NULL,
				  "the value is %s, not an object (%s)", json_kind(root), m->name);
		rv = -EINVAL;
	} else {
		rv = dec_message(&d, m, root, value);
		if (rv == -ENOMEM)
			lig_model_err_set(err, LIG_MODEL_ERR_JSON, d.path, "out of memory");
	}
	json_decref(root);
	return rv;
}

/* ---- encoding ---- */

static json_t *enc_message(const struct lig_pb_message *m, const void *base);

static json_t *
enc_value(const struct lig_pb_field *f, const void *p)
{
	char num[32];

	switch (f->type) {
	case LIG_PB_BOOL:
		return json_boolean(*(const bool *)p);
	case LIG_PB_INT32:
		return json_integer(*(const int32_t *)p);
	case LIG_PB_UINT32:
		return json_integer(*(const uint32_t *)p);
	case LIG_PB_INT64:
		snprintf(num, sizeof(num), "%" PRId64, *(const int64_t *)p);
		return json_string(num);
	case LIG_PB_UINT64:
		snprintf(num, sizeof(num), "%" PRIu64, *(const uint64_t *)p);
		return json_string(num);
	case LIG_PB_STRING: {
		const char *s = *(char *const *)p;
		return json_string(s ? s : "");
	}
	case LIG_PB_ENUM: {
		const char *name = lig_pb_enum_name(f->enumeration, *(const int32_t *)p);
		return name ? json_string(name) : json_integer(*(const int32_t *)p);
	}
	case LIG_PB_MESSAGE:
		return enc_message(f->message, p);
	}
	return NULL;
}

/* Is a singular scalar at p the proto3 default (left out of the encoding)? */
static bool
is_default(const struct lig_pb_field *f, const void *p)
{
	switch (f->type) {
	case LIG_PB_BOOL:
		return !*(const bool *)p;
	case LIG_PB_INT32:
	case LIG_PB_ENUM:
		return !*(const int32_t *)p;
	case LIG_PB_UINT32:
		return !*(const uint32_t *)p;
	case LIG_PB_INT64:
		return !*(const int64_t *)p;
	case LIG_PB_UINT64:
		return !*(const uint64_t *)p;
	case LIG_PB_STRING: {
		const char *s = *(char *const *)p;
		return !s || !*s;
	}
	case LIG_PB_MESSAGE:
		return false;
	}
	return true;
}

static json_t *
enc_message(const struct lig_pb_message *m, const void *base)
{
	json_t *obj = json_object();
	char jname[64];

	if (!obj)
		return NULL;
	for (size_t i = 0; i < m->n_fields; i++) {
		const struct lig_pb_field *f = &m->fields[i];
		const char *p = (const char *)base + f->offset;
		json_t *v;

		if (!field_active(m, f, base))
			continue;
		if (f->flags & LIG_PB_REPEATED) {
			size_t n = *(const size_t *)((const char *)base + f->count_offset);
			const char *arr = *(char *const *)p;
			if (!n)
				continue;
			v = json_array();
			for (size_t j = 0; v && j < n; j++)
				if (json_array_append_new(v, enc_value(f, arr + j * elem_size(f))) <
				    0) {
					json_decref(v);
					v = NULL;
				}
		} else if (f->type == LIG_PB_MESSAGE) {
			if (!f->oneof && !*(const bool *)((const char *)base + f->has_offset))
				continue;
			v = enc_message(f->message, p);
		} else {
			if (is_default(f, p))
				continue;
			v = enc_value(f, p);
		}
		lig_pb_json_name(f->name, jname, sizeof(jname));
		if (!v || json_object_set_new(obj, jname, v) < 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

char *
lig_pb_encode(const struct lig_pb_message *m, const void *value)
{
	json_t *obj = enc_message(m, value);
	char *s;

	if (!obj) {
		/* jansson refuses strings that are not UTF-8; anything else is memory. */
		errno = EINVAL;
		return NULL;
	}
	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!s)
		errno = ENOMEM;
	return s;
}

/* ---- free, equal, copy ---- */

void
lig_pb_free(const struct lig_pb_message *m, void *base)
{
	for (size_t i = 0; i < m->n_fields; i++) {
		const struct lig_pb_field *f = &m->fields[i];
		char *p = (char *)base + f->offset;

		if (!field_active(m, f, base))
			continue;
		if (f->flags & LIG_PB_REPEATED) {
			size_t n = *(size_t *)((char *)base + f->count_offset);
			char *arr = *(char **)p;
			for (size_t j = 0; arr && j < n; j++) {
				if (f->type == LIG_PB_STRING)
					free(*(char **)(arr + j * sizeof(char *)));
				else if (f->type == LIG_PB_MESSAGE)
					lig_pb_free(f->message, arr + j * f->message->size);
			}
			free(arr);
		} else if (f->type == LIG_PB_STRING) {
			free(*(char **)p);
		} else if (f->type == LIG_PB_MESSAGE) {
			lig_pb_free(f->message, p);
		}
	}
	memset(base, 0, m->size);
}

static bool
value_equal(const struct lig_pb_field *f, const void *a, const void *b)
{
	switch (f->type) {
	case LIG_PB_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case LIG_PB_INT32:
	case LIG_PB_ENUM:
	case LIG_PB_UINT32:
		return !memcmp(a, b, 4);
	case LIG_PB_INT64:
	case LIG_PB_UINT64:
		return !memcmp(a, b, 8);
	case LIG_PB_STRING: {
		const char *x = *(char *const *)a, *y = *(char *const *)b;
		return !strcmp(x ? x : "", y ? y : "");
	}
	case LIG_PB_MESSAGE:
		return lig_pb_equal(f->message, a, b);
	}
	return false;
}

bool
lig_pb_equal(const struct lig_pb_message *m, const void *a, const void *b)
{
	for (size_t i = 0; i < m->n_oneofs; i++)
		if (*(const uint32_t *)((const char *)a + m->oneofs[i].case_offset) !=
		    *(const uint32_t *)((const char *)b + m->oneofs[i].case_offset))
			return false;
	for (size_t i = 0; i < m->n_fields; i++) {
		const struct lig_pb_field *f = &m->fields[i];
		const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;

		if (!field_active(m, f, a))
			continue;
		if (f->flags & LIG_PB_REPEATED) {
			size_t n = *(const size_t *)((const char *)a + f->count_offset);
			if (n != *(const size_t *)((const char *)b + f->count_offset))
				return false;
			const char *xa = *(char *const *)pa, *xb = *(char *const *)pb;
			for (size_t j = 0; j < n; j++)
				if (!value_equal(f, xa + j * elem_size(f), xb + j * elem_size(f)))
					return false;
			continue;
		}
		if (f->type == LIG_PB_MESSAGE && !f->oneof) {
			bool ha = *(const bool *)((const char *)a + f->has_offset);
			if (ha != *(const bool *)((const char *)b + f->has_offset))
				return false;
			if (!ha)
				continue;
		}
		if (!value_equal(f, pa, pb))
			return false;
	}
	return true;
}

static int
copy_value(const struct lig_pb_field *f, void *dst, const void *src)
{
	if (f->type == LIG_PB_MESSAGE)
		return lig_pb_copy(f->message, dst, src);
	if (f->type == LIG_PB_STRING) {
		const char *s = *(char *const *)src;
		if (s && !(*(char **)dst = strdup(s)))
			return -ENOMEM;
		return 0;
	}
	memcpy(dst, src, elem_size(f));
	return 0;
}

int
lig_pb_copy(const struct lig_pb_message *m, void *dst, const void *src)
{
	memset(dst, 0, m->size);
	for (size_t i = 0; i < m->n_oneofs; i++)
		*(uint32_t *)((char *)dst + m->oneofs[i].case_offset) =
		    *(const uint32_t *)((const char *)src + m->oneofs[i].case_offset);
	for (size_t i = 0; i < m->n_fields; i++) {
		const struct lig_pb_field *f = &m->fields[i];
		char *pd = (char *)dst + f->offset;
		const char *ps = (const char *)src + f->offset;

		if (!field_active(m, f, src))
			continue;
		if (f->flags & LIG_PB_REPEATED) {
			size_t n = *(const size_t *)((const char *)src + f->count_offset);
			const char *xs = *(char *const *)ps;
			if (!n)
				continue;
			char *xd = calloc(n, elem_size(f));
			if (!xd)
				return -ENOMEM;
			*(char **)pd = xd;
			*(size_t *)((char *)dst + f->count_offset) = n;
			for (size_t j = 0; j < n; j++)
				if (copy_value(f, xd + j * elem_size(f), xs + j * elem_size(f)) < 0)
					return -ENOMEM;
			continue;
		}
		if (f->type == LIG_PB_MESSAGE && !f->oneof)
			*(bool *)((char *)dst + f->has_offset) =
			    *(const bool *)((const char *)src + f->has_offset);
		if (copy_value(f, pd, ps) < 0)
			return -ENOMEM;
	}
	return 0;
}

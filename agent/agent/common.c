/* SPDX-License-Identifier: Apache-2.0 */
/* lig-agent: logging and value helpers shared by the descriptors. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "log_line.h"
#include <stdarg.h>

void
agent_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	agent_vlog_line("lig-agent", fmt, ap);
	va_end(ap);
}

/* ---- values ---- */

/* Decodes a northbound value of model m; NULL with *err filled when it does not decode. */
void *
agent_decode(const struct lig_model *m, const void *v, size_t n, struct lig_model_error *err)
{
	void *val = lig_model_value_new(m);
	if (!val) {
		snprintf(err->text, sizeof(err->text), "out of memory");
		return NULL;
	}
	if (m->decode(v, n, val, err) < 0) {
		lig_model_value_delete(m, val);
		return NULL;
	}
	return val;
}

/* Canonical JSON of a northbound value (so equal configurations are equal bytes), or a copy.
 * The model comes from the key's prefix alone (what lig_model_key_parse() would pick): the
 * descriptor checks the rest of the key, and a full parse cost more than the decode. */
char *
agent_canonical(const char *key, const char *v, size_t n, size_t *out_n)
{
	struct lig_model_error err;
	char *out = NULL;
	size_t pl = strlen(A.prefix), cl = strlen("config/");
	const struct lig_model *m =
	    !strncmp(key, A.prefix, pl) ? lig_model_by_key(key + pl - cl) : NULL;
	if (m) {
		void *val = agent_decode(m, v, n, &err);
		if (val) {
			out = m->encode(val);
			lig_model_value_delete(m, val);
		}
	}
	if (out) {
		*out_n = strlen(out);
		return out;
	}
	out = malloc(n + 1);
	if (out) {
		memcpy(out, v, n);
		out[n] = 0;
		*out_n = n;
	}
	return out;
}

void
agent_fmt_mac(char *buf, size_t n, const u8 *mac)
{
	snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

int
agent_model_err(struct lig_sched_err *err, const struct lig_model_error *me)
{
	if (me->field[0])
		lig_sched_err_field(err, me->field);
	lig_sched_err_set(err, "%s", me->text);
	return -EINVAL;
}

int
agent_not_yet(struct lig_sched_err *err, const char *field)
{
	lig_sched_err_field(err, field);
	lig_sched_err_set(err, "%s: not implemented by lig-agent yet", field);
	return -EOPNOTSUPP;
}

void
agent_model_prefix(enum lig_model_id id, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", A.prefix, lig_model_get(id)->key_prefix + strlen("config/"));
}

/* Tags: ligd keeps up to 63 bytes of printable ASCII but '"'; other bytes (and '%') are
 * written as %XX, so any vpp-agent name fits that is not too long once escaped. */
int
agent_tag_encode(const char *name, char *tag, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		bool plain = *p >= 0x20 && *p <= 0x7e && *p != '"' && *p != '%';
		size_t need = plain ? 1 : 3;
		if (o + need >= size)
			return -ENAMETOOLONG;
		if (plain) {
			tag[o++] = (char)*p;
		} else {
			tag[o++] = '%';
			tag[o++] = hex[*p >> 4];
			tag[o++] = hex[*p & 15];
		}
	}
	tag[o] = 0;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The name a tag stands for (a malformed escape is kept as it is). */
void
agent_tag_decode(const char *tag, size_t tag_size, char *name, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < tag_size && tag[i] && o + 1 < size; i++) {
		int h, l;
		if (tag[i] == '%' && i + 2 < tag_size && (h = hexval(tag[i + 1])) >= 0 &&
		    (l = hexval(tag[i + 2])) >= 0) {
			name[o++] = (char)(h << 4 | l);
			i += 2;
		} else {
			name[o++] = tag[i];
		}
	}
	name[o] = 0;
}

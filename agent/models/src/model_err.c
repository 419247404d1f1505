/* SPDX-License-Identifier: Apache-2.0 */
/* Error reports of libligagent_models: one sentence naming the field, with outside input
 * escaped so a report can go into logs, status keys and JSON as it is. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_err.h"

void
lig_model_err_set(struct lig_model_error *err, enum lig_model_err_kind kind, const char *field,
		  const char *fmt, ...)
{
	char msg[LIG_MODEL_ERROR_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err->kind = kind;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	/* "<field>: <msg>", cut to the buffer (the field path comes first). */
	size_t o = 0;
	const char *parts[3] = {err->field, err->field[0] ? ": " : "", msg};
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(parts[i]);
		if (n > sizeof(err->text) - 1 - o)
			n = sizeof(err->text) - 1 - o;
		memcpy(err->text + o, parts[i], n);
		o += n;
	}
	err->text[o] = 0;
}

const char *
lig_model_quote(const char *s, size_t len, size_t max_chars, char *buf, size_t size)
{
	size_t o = 0;
	const size_t cut = 3; /* "..." */

	if (!size)
		return buf;
	if (max_chars + 1 > size)
		max_chars = size - 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[5];
		size_t n;

		if (c == '"' || c == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "%c", c);
		else
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		/* Room for this one and, unless it is the last byte, the "..." after it. */
		if (o + n + (i + 1 < len ? cut : 0) > max_chars) {
			if (max_chars >= cut && o + cut <= max_chars) {
				memcpy(buf + o, "...", cut);
				o += cut;
			}
			break;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = 0;
	return buf;
}

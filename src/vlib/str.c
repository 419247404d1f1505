/* SPDX-License-Identifier: Apache-2.0 */
/* Growable text buffer; allocation failure truncates output rather than failing a command. */
#include <stdio.h>
#include <stdlib.h>

#include "str.h"

void
lig_str_vprintf(struct lig_str *s, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? s->cap - s->len : 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (!s->buf || s->len + (size_t)n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->len + (size_t)n + 1)
			cap *= 2;
		char *nb = realloc(s->buf, cap);
		if (!nb)
			return;
		s->buf = nb;
		s->cap = cap;
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void
lig_str_printf(struct lig_str *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lig_str_vprintf(s, fmt, ap);
	va_end(ap);
}

void
lig_str_reset(struct lig_str *s)
{
	s->len = 0;
	if (s->buf)
		s->buf[0] = 0;
}

void
lig_str_free(struct lig_str *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

const char *
lig_str_cstr(const struct lig_str *s)
{
	return s->buf ? s->buf : "";
}

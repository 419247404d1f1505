/* SPDX-License-Identifier: Apache-2.0 */
/* A growable text buffer for CLI replies and show output (control plane only). */
#ifndef LIG_STR_H
#define LIG_STR_H

#include <stdarg.h>

#include "../infra/lig_common.h"

struct lig_str {
	char *buf; /* always NUL-terminated once anything was written */
	size_t len;
	size_t cap;
};

void lig_str_printf(struct lig_str *s, const char *fmt, ...) LIG_PRINTF(2, 3);
void lig_str_vprintf(struct lig_str *s, const char *fmt, va_list ap);
void lig_str_reset(struct lig_str *s);
void lig_str_free(struct lig_str *s);
/* Returns the text so far, "" when empty; the string keeps ownership. */
const char *lig_str_cstr(const struct lig_str *s);

#endif

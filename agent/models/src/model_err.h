/* SPDX-License-Identifier: Apache-2.0 */
/* Filling struct lig_model_error, and quoting outside input safely inside its text. Internal to
 * libligagent_models. */
#ifndef LIG_MODELS_ERR_H
#define LIG_MODELS_ERR_H

#include <stddef.h>

#include "lig_models.h"

/* Sets *err (NULL: nothing): kind, field (NULL or "" for the whole value) and the text
 * "<field>: <formatted message>". */
void lig_model_err_set(struct lig_model_error *err, enum lig_model_err_kind kind, const char *field,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Escapes len bytes of s for an error message into buf: printable ASCII stays, '"' and '\\'
 * and every other byte become \" \\ \xNN; longer input is cut with "..." so the result fits
 * max_chars characters (and size bytes). Returns buf. */
const char *lig_model_quote(const char *s, size_t len, size_t max_chars, char *buf, size_t size);

/* Quote buffer size for lig_model_quote(..., LIG_MODEL_QUOTE_CHARS, ...). */
#define LIG_MODEL_QUOTE_CHARS 64
#define LIG_MODEL_QUOTE_SIZE (LIG_MODEL_QUOTE_CHARS + 8)

#endif

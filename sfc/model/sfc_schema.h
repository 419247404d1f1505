/* SPDX-License-Identifier: Apache-2.0 */
/* The field tables of the sfc model: one table per struct of sfc_model.h, naming each field
 * as the YAML/JSON spells it, its kind and where it lives in the struct. The decoder
 * (schema.c), the free function and the writers (dump.c) all walk these tables, so a field
 * added to the model is one line here. Internal to sfc/model. */
#ifndef LIG_SFC_SCHEMA_H
#define LIG_SFC_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

#include "sfc_model.h"

enum sfc_fkind {
	SFC_F_STR,     /* char *, at most SFC_STR_MAX */
	SFC_F_NAME,    /* char *, at most SFC_NAME_MAX, no '/', blanks or control characters */
	SFC_F_IFNAME,  /* char *, a name that may contain '/' (GigabitEthernet0/8/0) */
	SFC_F_U32,     /* uint32_t, a number */
	SFC_F_U32S,    /* uint32_t, a number or a numeric string (memif/tap sizes) */
	SFC_F_BOOL,    /* bool */
	SFC_F_ENUM,    /* an enum stored as int; names[] in the field */
	SFC_F_STRLIST, /* char **at off, size_t at off2 */
	SFC_F_KVMAP,   /* struct sfc_kv * at off, size_t at off2 */
	SFC_F_OBJ,     /* an inline struct at off (sub), bool has-flag at off2 (or -1) */
	SFC_F_FLAT,    /* a wrapper object ("spec", "fwd") whose fields live in the same struct */
	SFC_F_ARR,     /* T * at off, size_t at off2, sub->size bytes each */
	SFC_F_STATUS,  /* struct sfc_status at off: lig-sfc's, an input value is ignored */
	SFC_F_IGNORE,  /* accepted and ignored (ram_cache of a dump) */
};

struct sfc_schema;

struct sfc_field {
	const char *name;
	enum sfc_fkind kind;
	ptrdiff_t off;
	ptrdiff_t off2;
	const struct sfc_schema *sub;
	const char *const *names; /* SFC_F_ENUM: names[0] = "" (unset) */
	int n_names;
};

struct sfc_schema {
	const char *what; /* for messages: "network service" */
	const struct sfc_field *fields;
	size_t n_fields;
	size_t size;
	ptrdiff_t origin_off; /* char *origin, or -1 */
	ptrdiff_t line_off;   /* uint32_t line, or -1 */
};

extern const struct sfc_schema sfc_schema_document;
/* The schema of each object type's struct. */
extern const struct sfc_schema *const sfc_schema_of[SFC_OBJ_N];

/* Frees what base (a struct described by s) owns. */
void sfc_schema_free(const struct sfc_schema *s, void *base);
/* The struct as a JSON object (absent/zero fields left out; statuses when with_status).
 * NULL on out of memory. */
json_t *sfc_schema_to_json(const struct sfc_schema *s, const void *base, bool with_status);

#endif

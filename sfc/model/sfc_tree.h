/* SPDX-License-Identifier: Apache-2.0 */
/* A small document tree shared by the YAML (libyaml) and JSON (jansson) front ends of the sfc
 * model parser: scalars keep their text, whether they were quoted (a JSON string is quoted, a
 * JSON number or bool is plain) and their line, so one decoder (decode.c) reports type errors
 * with path and line for both. Internal to sfc/model. */
#ifndef LIG_SFC_TREE_H
#define LIG_SFC_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sfc_model.h"

enum sfc_tnode_kind {
	SFC_T_NULL,
	SFC_T_SCALAR,
	SFC_T_MAP,
	SFC_T_SEQ,
};

struct sfc_tnode {
	enum sfc_tnode_kind kind;
	bool quoted;   /* scalar: quoted/block in YAML, a string in JSON */
	uint32_t line; /* 1-based; 0 unknown */
	char *str;     /* scalar text (NUL-terminated; may contain no NUL: refused) */
	size_t len;
	char **keys; /* map: keys[i] names kids[i] */
	struct sfc_tnode **kids;
	size_t n, cap;
};

/* Counts nodes against SFC_OBJECTS_MAX while building. */
struct sfc_tbuild {
	size_t nodes;
};

void sfc_tnode_free(struct sfc_tnode *t);
/* NULL with an error added to *err ("<name>: line N: ..."). */
struct sfc_tnode *sfc_tree_from_yaml(const char *buf, size_t size, const char *name,
				     struct sfc_errors *err);
struct sfc_tnode *sfc_tree_from_json(const char *buf, size_t size, const char *name,
				     struct sfc_errors *err);
/* The child of a map by key; NULL when absent. */
const struct sfc_tnode *sfc_tnode_get(const struct sfc_tnode *map, const char *key);

/* decode.c: the tree of a whole document into m; errors into *err; returns the number of
 * errors added. */
size_t sfc_decode_document(const struct sfc_tnode *root, const char *name, struct sfc_model *m,
			   struct sfc_errors *err);
/* One object of type t (its struct at obj, zeroed by the caller) from tree t; path is the
 * origin prefix ("network-service/foo"). */
size_t sfc_decode_object(enum sfc_obj_type t, const struct sfc_tnode *root, const char *path,
			 void *obj, struct sfc_errors *err);
/* Frees one object of type t (not the pointer itself). */
void sfc_free_object(enum sfc_obj_type t, void *obj);

#endif

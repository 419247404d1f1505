/* SPDX-License-Identifier: Apache-2.0 */
/* A table-driven codec for the protobuf JSON mapping (proto3), the format vpp-agent's values
 * are stored in. Each protobuf message is described once (struct lig_pb_message: its fields
 * with their numbers, types and offsets into the C struct of lig_models_types.h); decode,
 * encode, free, equal and copy walk that description, so every model follows the same rules.
 * Internal to libligagent_models. */
#ifndef LIG_MODELS_PBJSON_H
#define LIG_MODELS_PBJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lig_models.h"

enum lig_pb_type {
	LIG_PB_BOOL = 1,
	LIG_PB_INT32,
	LIG_PB_UINT32,
	LIG_PB_INT64,
	LIG_PB_UINT64,
	LIG_PB_STRING,
	LIG_PB_ENUM,	/* stored as int32_t */
	LIG_PB_MESSAGE, /* stored inline (singular) or as an array of structs (repeated) */
};

struct lig_pb_enum_value {
	const char *name;
	int32_t number;
};

struct lig_pb_enum {
	const char *name; /* full proto name, for error messages */
	const struct lig_pb_enum_value *values;
	size_t n_values;
};

struct lig_pb_message;

#define LIG_PB_REPEATED 0x1u

struct lig_pb_field {
	const char *name; /* proto (snake_case) name; the JSON name is derived from it */
	uint32_t number;
	enum lig_pb_type type;
	unsigned flags;	     /* LIG_PB_REPEATED */
	size_t offset;	     /* the value, or (repeated) the array pointer */
	size_t count_offset; /* repeated: the size_t element count */
	size_t has_offset;   /* singular message outside a oneof: its bool presence flag */
	unsigned oneof;	     /* 0: none; else 1 + index in the message's oneofs */
	const struct lig_pb_message *message;  /* LIG_PB_MESSAGE */
	const struct lig_pb_enum *enumeration; /* LIG_PB_ENUM */
};

struct lig_pb_oneof {
	const char *name;
	size_t case_offset; /* uint32_t: the number of the member set, 0 none */
};

struct lig_pb_message {
	const char *name;		   /* full proto name */
	size_t size;			   /* of the C struct */
	const struct lig_pb_field *fields; /* declaration order (the encoding order) */
	size_t n_fields;		   /* at most 64 */
	const struct lig_pb_oneof *oneofs;
	size_t n_oneofs;
};

/* Decodes size bytes of JSON into *value (zeroed by the caller). See struct lig_model.decode. */
int lig_pb_decode(const struct lig_pb_message *m, const char *json, size_t size, void *value,
		  struct lig_model_error *err);
/* Canonical JSON (malloc'ed) or NULL with errno. */
char *lig_pb_encode(const struct lig_pb_message *m, const void *value);
void lig_pb_free(const struct lig_pb_message *m, void *value);
bool lig_pb_equal(const struct lig_pb_message *m, const void *a, const void *b);
int lig_pb_copy(const struct lig_pb_message *m, void *dst, const void *src);

/* The enum value's name, or NULL when e names no such number. */
const char *lig_pb_enum_name(const struct lig_pb_enum *e, int32_t number);
/* The JSON (lowerCamelCase) name of a proto field name, as protoc derives it, into buf. */
void lig_pb_json_name(const char *proto_name, char *buf, size_t size);

/* Field-table helpers: st is the C struct, f the C field, pname the proto name. */
#define LIG_PBF_SCALAR(st, f, pname, num, ty)                                                      \
	{                                                                                          \
		.name = pname, .number = num, .type = ty, .offset = offsetof(st, f)                \
	}
#define LIG_PBF_STR(st, f, num) LIG_PBF_SCALAR(st, f, #f, num, LIG_PB_STRING)
#define LIG_PBF_BOOL(st, f, num) LIG_PBF_SCALAR(st, f, #f, num, LIG_PB_BOOL)
#define LIG_PBF_U32(st, f, num) LIG_PBF_SCALAR(st, f, #f, num, LIG_PB_UINT32)
#define LIG_PBF_ENUM(st, f, num, e)                                                                \
	{                                                                                          \
		.name = #f, .number = num, .type = LIG_PB_ENUM, .offset = offsetof(st, f),         \
		.enumeration = &(e)                                                                \
	}
#define LIG_PBF_MSG(st, f, num, m)                                                                 \
	{                                                                                          \
		.name = #f, .number = num, .type = LIG_PB_MESSAGE, .offset = offsetof(st, f),      \
		.has_offset = offsetof(st, has_##f), .message = &(m)                               \
	}
#define LIG_PBF_REP_STR(st, f, num)                                                                \
	{                                                                                          \
		.name = #f, .number = num, .type = LIG_PB_STRING, .flags = LIG_PB_REPEATED,        \
		.offset = offsetof(st, f), .count_offset = offsetof(st, n_##f)                     \
	}
#define LIG_PBF_REP_MSG(st, f, num, m)                                                             \
	{                                                                                          \
		.name = #f, .number = num, .type = LIG_PB_MESSAGE, .flags = LIG_PB_REPEATED,       \
		.offset = offsetof(st, f), .count_offset = offsetof(st, n_##f), .message = &(m)    \
	}
/* A message member of oneof number oneof_index (0-based) stored at st.un.f. */
#define LIG_PBF_ONEOF_MSG(st, un, f, num, m, oneof_index)                                          \
	{                                                                                          \
		.name = #f, .number = num, .type = LIG_PB_MESSAGE, .offset = offsetof(st, un.f),   \
		.oneof = (oneof_index) + 1, .message = &(m)                                        \
	}
#define LIG_PB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif

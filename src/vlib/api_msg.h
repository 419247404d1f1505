/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ligd's API messages: the wire format and the one way messages are defined.
 *
 * A module defines its messages once, in src/<module>/api.h, as X-macro field lists
 * (see "Defining messages" below). From that single definition come the C structs both
 * sides use, a descriptor table that validates every received message, computes the
 * layout CRC, renders JSON (libligapi) and generates docs/api.md (lig-api-doc). The
 * build collects every src/<module>/api.h into one table (api_msgs.c, generated), so a
 * new feature adds messages by adding its folder.
 *
 * Wire: a stream of messages on a unix stream socket. Each is a struct lig_api_hdr
 * followed by the body; all integers little-endian, structs packed, no padding.
 *   request   client -> ligd   flags 0
 *   reply     ligd -> client   flags REPLY: i32 retval (0 or -errno), char error[], fields
 *   details   ligd -> client   flags DETAILS: one item of a dump
 *   done      ligd -> client   flags DONE: ends a dump; retval and error as a reply
 *   event     ligd -> client   flags EVENT, context 0: to subscribers (want_events)
 * Replies, details and done echo the request's context; a connection's requests are
 * answered in order. The header carries the CRC of the message's layout (request,
 * reply and details together): ligd refuses a request whose CRC differs from its own
 * with "message X: version mismatch", so a client built against another layout never
 * has a field misread.
 */
#ifndef LIG_API_MSG_H
#define LIG_API_MSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../infra/lig_common.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the API structs are the little-endian wire layout; a big-endian port needs byte swaps"
#endif

#define LIG_API_HDR_SIZE 16
/* Largest message either way, header included; bulk requests are chunked below it. */
#define LIG_API_MAX_MSG (1u << 20)
#define LIG_API_ERROR_SIZE 160

enum lig_api_flags {
	LIG_API_F_REPLY = 1 << 0,
	LIG_API_F_DETAILS = 1 << 1,
	LIG_API_F_DONE = 1 << 2,
	LIG_API_F_EVENT = 1 << 3,
};

struct lig_api_hdr {
	u16 msg_id;
	u16 flags;
	u32 crc;
	u32 context;
	u32 length; /* whole message, header included */
} __attribute__((packed));
_Static_assert(sizeof(struct lig_api_hdr) == LIG_API_HDR_SIZE, "header layout");

/* The status every reply and done starts with. */
struct lig_api_status {
	i32 retval;
	char error[LIG_API_ERROR_SIZE];
} __attribute__((packed));

/* Field types. Each name T has a C type lig_api_T_t and a descriptor lig_api_type_T. */
typedef u8 lig_api_u8_t;
typedef u16 lig_api_u16_t;
typedef u32 lig_api_u32_t;
typedef u64 lig_api_u64_t;
typedef i32 lig_api_i32_t;
typedef u8 lig_api_bool_t;	  /* 0 or 1; anything else is refused */
typedef u32 lig_api_ip4_t;	  /* IPv4 address, network byte order */
typedef u8 lig_api_mac_t[6];	  /* Ethernet address */
typedef char lig_api_str16_t[16]; /* strings: NUL-terminated inside their size */
typedef char lig_api_str32_t[32];
typedef char lig_api_str64_t[64];
typedef char lig_api_str128_t[128];
typedef char lig_api_path_t[108]; /* a unix socket path */

enum lig_api_kind {
	LIG_API_K_U8,
	LIG_API_K_U16,
	LIG_API_K_U32,
	LIG_API_K_U64,
	LIG_API_K_I32,
	LIG_API_K_BOOL,
	LIG_API_K_IP4,
	LIG_API_K_MAC,
	LIG_API_K_STRING,
	LIG_API_K_STRUCT,
};

struct lig_api_field;

struct lig_api_type {
	const char *name;
	u32 size;
	enum lig_api_kind kind;
	const struct lig_api_field *fields; /* K_STRUCT */
	u32 n_fields;
};

struct lig_api_field {
	const char *name;
	const struct lig_api_type *type;
	/* 1 for a scalar, n for a fixed array, 0 for the variable array that ends a
	 * message (its element count is the u32 field just before it). */
	u32 count;
	const char *doc;
};

enum lig_api_msg_kind {
	LIG_API_REQUEST, /* request -> reply */
	LIG_API_DUMP,	 /* request -> details... -> done */
	LIG_API_EVENT,	 /* event to subscribers (no request) */
};

struct lig_api_msg {
	const char *name;
	u16 id;
	enum lig_api_msg_kind kind;
	const char *doc;
	const char *module;
	const struct lig_api_field *req;
	u32 n_req;
	u32 req_size; /* fixed part of the request body */
	/* The reply's fields after struct lig_api_status, the details' fields, or the
	 * event's fields. */
	const struct lig_api_field *rep;
	u32 n_rep;
	u32 rep_size;
};

extern const struct lig_api_type lig_api_type_u8, lig_api_type_u16, lig_api_type_u32,
    lig_api_type_u64, lig_api_type_i32, lig_api_type_bool, lig_api_type_ip4, lig_api_type_mac,
    lig_api_type_str16, lig_api_type_str32, lig_api_type_str64, lig_api_type_str128,
    lig_api_type_path;

/*
 * Defining messages (in src/<module>/api.h, with MODULE the folder's name in capitals):
 *
 *   #define LIG_L2_BD_FIELDS(F, A, V)                                      \
 *           F(u32, bd_id, "bridge domain id, 1..16777215")                 \
 *           F(bool, learn, "learn source MACs")                            \
 *           A(u8, reserved, 3, "zero")
 *   #define LIG_L2_BD_REPLY(F, A, V) F(u32, n_members, "...")
 *   #define LIG_L2_API_TYPES(T)  T(l2_member, LIG_L2_MEMBER_FIELDS, "a bridge port")
 *   #define LIG_L2_API_MSGS(M)                                              \
 *           M(bridge_domain_add_del, 0x0301, REQUEST, LIG_L2_BD_FIELDS,     \
 *             LIG_L2_BD_REPLY, "creates, changes or deletes a bridge domain")
 *   LIG_L2_API_TYPES(LIG_API_DECLARE_TYPE)
 *   LIG_L2_API_MSGS(LIG_API_DECLARE)
 *
 * F(type, name, doc) is one field, A(type, name, n, doc) a fixed array, V(type, name,
 * doc) the variable array that may end a request, reply or details (it adds a u32
 * n_<name> before it). An EVENT has its fields in the first list and LIG_API_NONE as the
 * second. LIG_API_NONE is the empty field list. Ids are the module's byte
 * in the high half (see docs/api.md) and never reused; a changed layout keeps its id and
 * changes its CRC. Types are u8 u16 u32 u64 i32 bool ip4 mac str16 str32 str64 str128
 * path, or a struct type declared with T(name, FIELDS, doc) (fields F and A only).
 * Declared are lig_api_<name>_t (request), lig_api_<name>_reply_t (status + reply
 * fields; DUMP: lig_api_<name>_details_t; EVENT: lig_api_<name>_t is the event) and
 * LIG_API_ID_<name>.
 *
 * Conventions every module keeps:
 * - A DUMP whose request is all zeroes dumps everything (filters are 0/empty = any;
 *   sw_if_index 0 is never an interface). "No interface" in a field is ~0.
 * - Details are complete enough to recreate the object: dump, apply to a fresh ligd,
 *   dump again gives the same. Fields that are state, not configuration (counters,
 *   link, learned entries' age), have a doc starting "(state)".
 * - An error is the module's own sentence naming the object ("bridge domain 10 has 3
 *   members; remove them first"), never a bare strerror.
 */
#define LIG_API_NONE(F, A, V)

#define LIG_API_STRUCT_F(type, name, doc) lig_api_##type##_t name;
#define LIG_API_STRUCT_A(type, name, n, doc) lig_api_##type##_t name[n];
#define LIG_API_STRUCT_V(type, name, doc)                                                          \
	u32 n_##name;                                                                              \
	lig_api_##type##_t name[];

#define LIG_API_DECLARE_TYPE(tname, FIELDS, doc)                                                   \
	typedef struct __attribute__((packed)) {                                                   \
		FIELDS(LIG_API_STRUCT_F, LIG_API_STRUCT_A, LIG_API_STRUCT_V)                       \
	} lig_api_##tname##_t;                                                                     \
	extern const struct lig_api_type lig_api_type_##tname;

#define LIG_API_DECLARE_BODY_REQUEST(name, REP)                                                    \
	typedef struct __attribute__((packed)) {                                                   \
		i32 retval;                                                                        \
		char error[LIG_API_ERROR_SIZE];                                                    \
		REP(LIG_API_STRUCT_F, LIG_API_STRUCT_A, LIG_API_STRUCT_V)                          \
	} lig_api_##name##_reply_t;
#define LIG_API_DECLARE_BODY_DUMP(name, REP)                                                       \
	typedef struct __attribute__((packed)) {                                                   \
		REP(LIG_API_STRUCT_F, LIG_API_STRUCT_A, LIG_API_STRUCT_V)                          \
	} lig_api_##name##_details_t;
#define LIG_API_DECLARE_BODY_EVENT(name, REP)

#define LIG_API_DECLARE(name, id, kind, REQ, REP, doc)                                             \
	enum { LIG_API_ID_##name = (id) };                                                         \
	typedef struct __attribute__((packed)) {                                                   \
		REQ(LIG_API_STRUCT_F, LIG_API_STRUCT_A, LIG_API_STRUCT_V)                          \
	} lig_api_##name##_t;                                                                      \
	LIG_API_DECLARE_BODY_##kind(name, REP) extern const struct lig_api_msg lig_api_msg_##name;

/* Descriptor tables, expanded once in the generated api_msgs.c. */
#define LIG_API_DESC_F(type, fname, doc) {#fname, &lig_api_type_##type, 1, doc},
#define LIG_API_DESC_A(type, fname, n, doc) {#fname, &lig_api_type_##type, n, doc},
#define LIG_API_DESC_V(type, fname, doc)                                                           \
	{"n_" #fname, &lig_api_type_u32, 1, "number of " #fname},                                  \
	    {#fname, &lig_api_type_##type, 0, doc},
#define LIG_API_DESC_FIELDS(FIELDS) FIELDS(LIG_API_DESC_F, LIG_API_DESC_A, LIG_API_DESC_V)
#define LIG_API_N_FIELDS(tab) ((u32)(sizeof(tab) / sizeof(struct lig_api_field)))

#define LIG_API_DEFINE_TYPE(tname, FIELDS, doc)                                                    \
	static const struct lig_api_field lig_api_fields_##tname[] = {                             \
	    {"", NULL, 1, NULL}, LIG_API_DESC_FIELDS(FIELDS)};                                     \
	const struct lig_api_type lig_api_type_##tname = {                                         \
	    #tname, sizeof(lig_api_##tname##_t), LIG_API_K_STRUCT, lig_api_fields_##tname + 1,     \
	    LIG_API_N_FIELDS(lig_api_fields_##tname) - 1};

#define LIG_API_REP_SIZE_REQUEST(name)                                                             \
	(sizeof(lig_api_##name##_reply_t) - sizeof(struct lig_api_status))
#define LIG_API_REP_SIZE_DUMP(name) sizeof(lig_api_##name##_details_t)
#define LIG_API_REP_SIZE_EVENT(name) 0

/* A dummy first element keeps empty lists legal C; the tables start after it. */
#define LIG_API_DEFINE(mod, mname, mid, mkind, REQ, REP, mdoc)                                     \
	static const struct lig_api_field lig_api_req_##mname[] = {{"", NULL, 1, NULL},            \
								   LIG_API_DESC_FIELDS(REQ)};      \
	static const struct lig_api_field lig_api_rep_##mname[] = {{"", NULL, 1, NULL},            \
								   LIG_API_DESC_FIELDS(REP)};      \
	const struct lig_api_msg lig_api_msg_##mname = {                                           \
	    #mname,                                                                                \
	    (mid),                                                                                 \
	    LIG_API_##mkind,                                                                       \
	    mdoc,                                                                                  \
	    mod,                                                                                   \
	    lig_api_req_##mname + 1,                                                               \
	    LIG_API_N_FIELDS(lig_api_req_##mname) - 1,                                             \
	    sizeof(lig_api_##mname##_t),                                                           \
	    lig_api_rep_##mname + 1,                                                               \
	    LIG_API_N_FIELDS(lig_api_rep_##mname) - 1,                                             \
	    LIG_API_REP_SIZE_##mkind(mname),                                                       \
	};

/* The table of every message (generated api_msgs.c). */
extern const struct lig_api_msg *const lig_api_msgs[];
extern const u32 lig_api_n_msgs;

/* Indexes the messages by id and computes their CRCs (a few hundred microseconds); the
 * first look-up does it if nothing called this before. A daemon calls it at start-up, so
 * that its first command does not pay for it (under the barrier). */
void lig_api_table_init(void);
/* The message with this id, or NULL. */
const struct lig_api_msg *lig_api_msg_by_id(u16 id);
const struct lig_api_msg *lig_api_msg_by_name(const char *name);
/* CRC-32 of the message's layout: field names, types, sizes and counts of request and
 * reply (details, event) alike. Computed once. */
u32 lig_api_msg_crc(const struct lig_api_msg *m);

/* Size of the variable array's element (0: the list has none) and the fixed size. */
u32 lig_api_fields_var_size(const struct lig_api_field *f, u32 n);

/*
 * Checks a received body against its fields: the length (fixed part, plus the variable
 * array whose count must match the bytes that follow, without overflow), strings
 * NUL-terminated, bools 0 or 1, recursively in struct types. Returns 0, or -EINVAL with
 * "field <name>: <what>" in err.
 */
int lig_api_validate(const struct lig_api_field *f, u32 n, u32 fixed_size, const void *body,
		     u32 len, char *err, size_t err_size);

/* Checks the validity of the definitions themselves (sizes add up, variable arrays
 * last, ids unique); returns 0 or -EINVAL with a message (unit test, lig-api-doc). */
int lig_api_msgs_check(char *err, size_t err_size);

/* The API socket of the ligd whose CLI socket is cli: beside it, .../cli.sock ->
 * .../api.sock and X.sock -> X.api.sock, so instances sharing a directory never share an
 * API socket. Returns 0 or -ENAMETOOLONG. */
int lig_api_default_socket(const char *cli, char *buf, size_t size);

/* A field's offset inside its struct (sum of the sizes before it; structs are packed). */
u32 lig_api_field_size(const struct lig_api_field *f);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Message descriptors: lookup, layout CRC and validation of received bodies (api_msg.h).
 * Shared by ligd and libligapi: nothing here depends on the rest of ligd. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api_msg.h"

#define LIG_API_SCALAR(t, k)                                                                       \
	const struct lig_api_type lig_api_type_##t = {#t, sizeof(lig_api_##t##_t), k, NULL, 0}
LIG_API_SCALAR(u8, LIG_API_K_U8);
LIG_API_SCALAR(u16, LIG_API_K_U16);
LIG_API_SCALAR(u32, LIG_API_K_U32);
LIG_API_SCALAR(u64, LIG_API_K_U64);
LIG_API_SCALAR(i32, LIG_API_K_I32);
LIG_API_SCALAR(bool, LIG_API_K_BOOL);
LIG_API_SCALAR(ip4, LIG_API_K_IP4);
LIG_API_SCALAR(mac, LIG_API_K_MAC);
LIG_API_SCALAR(str16, LIG_API_K_STRING);
LIG_API_SCALAR(str32, LIG_API_K_STRING);
LIG_API_SCALAR(str64, LIG_API_K_STRING);
LIG_API_SCALAR(str128, LIG_API_K_STRING);
LIG_API_SCALAR(path, LIG_API_K_STRING);

/* Message ids are 16 bits: a direct table. */
static const struct lig_api_msg *lig_api_by_id[1 << 16];
static u32 lig_api_crcs[1 << 16];
static bool lig_api_table_ready;

static u32
lig_api_crc_update(u32 c, const void *data, size_t n)
{
	static u32 table[256];
	const u8 *p = data;

	if (!table[1])
		for (u32 i = 0; i < 256; i++) {
			u32 v = i;
			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	c = ~c;
	while (n--)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static u32
lig_api_crc_fields(u32 c, const struct lig_api_field *f, u32 n)
{
	char buf[160];

	for (u32 i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof(buf), "%s:%s:%u:%u;", f[i].name, f[i].type->name,
				   f[i].type->size, f[i].count);
		c = lig_api_crc_update(c, buf, (size_t)len);
		if (f[i].type->kind == LIG_API_K_STRUCT) {
			c = lig_api_crc_update(c, "{", 1);
			c = lig_api_crc_fields(c, f[i].type->fields, f[i].type->n_fields);
			c = lig_api_crc_update(c, "}", 1);
		}
	}
	return c;
}

void
lig_api_table_init(void)
{
	if (lig_api_table_ready)
		return;
	for (u32 i = 0; i < lig_api_n_msgs; i++) {
		const struct lig_api_msg *m = lig_api_msgs[i];
		u32 c = lig_api_crc_update(0, m->name, strlen(m->name));
		c = lig_api_crc_update(c, m->kind == LIG_API_DUMP ? "/dump(" : "(", 1);
		c = lig_api_crc_fields(c, m->req, m->n_req);
		c = lig_api_crc_update(c, ")->(", 4);
		c = lig_api_crc_fields(c, m->rep, m->n_rep);
		lig_api_by_id[m->id] = m;
		lig_api_crcs[m->id] = c;
	}
	lig_api_table_ready = true;
}

const struct lig_api_msg *
lig_api_msg_by_id(u16 id)
{
	lig_api_table_init();
	return lig_api_by_id[id];
}

const struct lig_api_msg *
lig_api_msg_by_name(const char *name)
{
	for (u32 i = 0; i < lig_api_n_msgs; i++)
		if (strcmp(lig_api_msgs[i]->name, name) == 0)
			return lig_api_msgs[i];
	return NULL;
}

u32
lig_api_msg_crc(const struct lig_api_msg *m)
{
	lig_api_table_init();
	return lig_api_crcs[m->id];
}

u32
lig_api_field_size(const struct lig_api_field *f)
{
	return f->type->size * f->count;
}

u32
lig_api_fields_var_size(const struct lig_api_field *f, u32 n)
{
	return n && f[n - 1].count == 0 ? f[n - 1].type->size : 0;
}

/* Checks one value of type t at p (size bytes available, all of them belong to it). */
static int
lig_api_validate_value(const struct lig_api_type *t, const u8 *p, const char *name, char *err,
		       size_t err_size)
{
	switch (t->kind) {
	case LIG_API_K_BOOL:
		if (*p > 1) {
			snprintf(err, err_size, "field %s: bool must be 0 or 1, not %u", name, *p);
			return -EINVAL;
		}
		return 0;
	case LIG_API_K_STRING:
		if (!memchr(p, 0, t->size)) {
			snprintf(err, err_size,
				 "field %s: string not NUL-terminated within %u bytes", name,
				 t->size);
			return -EINVAL;
		}
		return 0;
	case LIG_API_K_STRUCT: {
		u32 off = 0;
		for (u32 i = 0; i < t->n_fields; i++) {
			const struct lig_api_field *f = &t->fields[i];
			for (u32 k = 0; k < f->count; k++) {
				int rv = lig_api_validate_value(f->type, p + off, f->name, err,
								err_size);
				if (rv < 0)
					return rv;
				off += f->type->size;
			}
		}
		return 0;
	}
	default:
		return 0;
	}
}

static bool
lig_api_type_needs_check(const struct lig_api_type *t)
{
	if (t->kind == LIG_API_K_BOOL || t->kind == LIG_API_K_STRING)
		return true;
	if (t->kind == LIG_API_K_STRUCT)
		for (u32 i = 0; i < t->n_fields; i++)
			if (lig_api_type_needs_check(t->fields[i].type))
				return true;
	return false;
}

int
lig_api_validate(const struct lig_api_field *f, u32 n, u32 fixed_size, const void *body, u32 len,
		 char *err, size_t err_size)
{
	const u8 *p = body;
	u32 var_size = lig_api_fields_var_size(f, n), off = 0, n_items = 0;

	if (len < fixed_size || (!var_size && len != fixed_size)) {
		snprintf(err, err_size, "body of %u bytes, expected %s%u", len,
			 var_size ? "at least " : "", fixed_size);
		return -EINVAL;
	}
	if (var_size) {
		/* The count is the last fixed field. */
		memcpy(&n_items, p + fixed_size - 4, 4);
		if ((len - fixed_size) % var_size || (len - fixed_size) / var_size != n_items) {
			snprintf(err, err_size,
				 "field n_%s: count %u does not match the %u bytes that follow",
				 f[n - 1].name, n_items, len - fixed_size);
			return -EINVAL;
		}
	}
	for (u32 i = 0; i < n; i++) {
		u32 count = f[i].count ? f[i].count : n_items;
		if (!lig_api_type_needs_check(f[i].type)) {
			off += f[i].type->size * count;
			continue;
		}
		for (u32 k = 0; k < count; k++) {
			int rv =
			    lig_api_validate_value(f[i].type, p + off, f[i].name, err, err_size);
			if (rv < 0)
				return rv;
			off += f[i].type->size;
		}
	}
	return 0;
}

static int
lig_api_check_sizes(const char *what, const struct lig_api_field *f, u32 n, u32 size, char *err,
		    size_t err_size)
{
	u32 sum = 0;

	for (u32 i = 0; i < n; i++) {
		if (f[i].count == 0 && i != n - 1) {
			snprintf(err, err_size, "%s: variable array %s is not last", what,
				 f[i].name);
			return -EINVAL;
		}
		sum += lig_api_field_size(&f[i]);
	}
	if (sum != size) {
		snprintf(err, err_size, "%s: fields add up to %u bytes, struct has %u", what, sum,
			 size);
		return -EINVAL;
	}
	return 0;
}

int
lig_api_msgs_check(char *err, size_t err_size)
{
	static const struct lig_api_msg *seen[1 << 16];

	memset(seen, 0, sizeof(seen));
	for (u32 i = 0; i < lig_api_n_msgs; i++) {
		const struct lig_api_msg *m = lig_api_msgs[i];
		if (seen[m->id]) {
			snprintf(err, err_size, "messages %s and %s share id 0x%04x", m->name,
				 seen[m->id]->name, m->id);
			return -EINVAL;
		}
		seen[m->id] = m;
		if (lig_api_check_sizes(m->name, m->req, m->n_req, m->req_size, err, err_size) ||
		    lig_api_check_sizes(m->name, m->rep, m->n_rep, m->rep_size, err, err_size))
			return -EINVAL;
		if (m->kind == LIG_API_EVENT && m->n_rep) {
			snprintf(err, err_size, "event %s: fields go in the first list", m->name);
			return -EINVAL;
		}
	}
	return 0;
}

int
lig_api_default_socket(const char *cli, char *buf, size_t size)
{
	size_t n = strlen(cli);
	const char *base = strrchr(cli, '/');
	int len;

	base = base ? base + 1 : cli;
	if (strcmp(base, "cli.sock") == 0)
		len = snprintf(buf, size, "%.*sapi.sock", (int)(base - cli), cli);
	else if (n > 5 && strcmp(cli + n - 5, ".sock") == 0)
		len = snprintf(buf, size, "%.*s.api.sock", (int)(n - 5), cli);
	else
		len = snprintf(buf, size, "%s.api.sock", cli);
	return len < 0 || (size_t)len >= size ? -ENAMETOOLONG : 0;
}

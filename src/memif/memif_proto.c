/* SPDX-License-Identifier: Apache-2.0 */
/* memif protocol v2: control-message parsing and building, descriptor-chain checks
 * (see memif_proto.h). Pure functions, shared by ligd and libligmemif. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "memif_proto.h"

static const char *const lig_memif_msg_names[LIG_MEMIF_MSG_N_TYPES] = {
    "none", "ack", "hello", "init", "add-region", "add-ring", "connect", "connected", "disconnect",
};

const char *
lig_memif_msg_type_str(unsigned type)
{
	return type < LIG_MEMIF_MSG_N_TYPES ? lig_memif_msg_names[type] : "unknown";
}

const char *
lig_memif_desc_error_str(int e)
{
	switch (e) {
	case LIG_MEMIF_DESC_OK:
		return "ok";
	case LIG_MEMIF_DESC_BAD_REGION:
		return "descriptor region index out of range";
	case LIG_MEMIF_DESC_BAD_RANGE:
		return "descriptor offset+length outside its region";
	case LIG_MEMIF_DESC_TOO_LONG:
		return "descriptor length exceeds buffer size";
	case LIG_MEMIF_DESC_BAD_FLAGS:
		return "descriptor has unknown flags";
	case LIG_MEMIF_CHAIN_TRUNCATED:
		return "descriptor chain runs past the published slots";
	case LIG_MEMIF_CHAIN_TOO_LONG:
		return "descriptor chain longer than the maximum packet";
	default:
		return "bad descriptor";
	}
}

void
lig_memif_wire_string(char *dst, const uint8_t *src, size_t size)
{
	size_t i;

	for (i = 0; i < size && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[i] = 0;
}

static int lig_memif_bad(char *err, size_t err_size, int rv, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
lig_memif_bad(char *err, size_t err_size, int rv, const char *fmt, ...)
{
	va_list ap;

	if (err && err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return rv;
}

int
lig_memif_msg_parse(const void *buf, size_t len, bool have_fd, struct lig_memif_msg *out, char *err,
		    size_t err_size)
{
	struct lig_memif_msg m;

	if (len != LIG_MEMIF_MSG_SIZE)
		return lig_memif_bad(err, err_size, -EBADMSG,
				     "control message of %zu bytes (expected 128)", len);
	memcpy(&m, buf, sizeof(m));
	if (m.type == LIG_MEMIF_MSG_NONE || m.type >= LIG_MEMIF_MSG_N_TYPES)
		return lig_memif_bad(err, err_size, -EBADMSG, "unknown message type %u", m.type);

	bool wants_fd = m.type == LIG_MEMIF_MSG_ADD_REGION || m.type == LIG_MEMIF_MSG_ADD_RING;
	if (wants_fd && !have_fd)
		return lig_memif_bad(err, err_size, -EBADMSG, "%s without a file descriptor",
				     lig_memif_msg_type_str(m.type));
	if (!wants_fd && have_fd)
		return lig_memif_bad(err, err_size, -EBADMSG, "unexpected file descriptor with %s",
				     lig_memif_msg_type_str(m.type));

	switch (m.type) {
	case LIG_MEMIF_MSG_HELLO:
		if (m.hello.min_version > LIG_MEMIF_VERSION ||
		    m.hello.max_version < LIG_MEMIF_VERSION)
			return lig_memif_bad(err, err_size, -EPROTONOSUPPORT,
					     "peer speaks versions 0x%x..0x%x, not 0x%x",
					     m.hello.min_version, m.hello.max_version,
					     LIG_MEMIF_VERSION);
		break;
	case LIG_MEMIF_MSG_INIT:
		if (m.init.version != LIG_MEMIF_VERSION)
			return lig_memif_bad(err, err_size, -EPROTONOSUPPORT,
					     "peer version 0x%x, not 0x%x", m.init.version,
					     LIG_MEMIF_VERSION);
		if (m.init.mode > LIG_MEMIF_MODE_PUNT_INJECT)
			return lig_memif_bad(err, err_size, -EBADMSG, "unknown mode %u",
					     m.init.mode);
		break;
	case LIG_MEMIF_MSG_ADD_REGION:
		if (m.add_region.index >= LIG_MEMIF_MAX_REGIONS)
			return lig_memif_bad(err, err_size, -EBADMSG, "region index %u too large",
					     m.add_region.index);
		if (m.add_region.size == 0 || m.add_region.size > LIG_MEMIF_MAX_REGION_SIZE)
			return lig_memif_bad(err, err_size, -EBADMSG, "region size %llu invalid",
					     (unsigned long long)m.add_region.size);
		break;
	case LIG_MEMIF_MSG_ADD_RING:
		if (m.add_ring.flags & ~LIG_MEMIF_ADD_RING_FLAG_S2M)
			return lig_memif_bad(err, err_size, -EBADMSG, "unknown ring flags 0x%x",
					     m.add_ring.flags);
		if (m.add_ring.index >= LIG_MEMIF_MAX_QUEUES)
			return lig_memif_bad(err, err_size, -EBADMSG, "ring index %u too large",
					     m.add_ring.index);
		if (m.add_ring.region >= LIG_MEMIF_MAX_REGIONS)
			return lig_memif_bad(err, err_size, -EBADMSG, "ring region %u too large",
					     m.add_ring.region);
		if (m.add_ring.log2_ring_size > LIG_MEMIF_MAX_LOG2_RING)
			return lig_memif_bad(err, err_size, -EBADMSG, "ring log2 size %u too large",
					     m.add_ring.log2_ring_size);
		if (m.add_ring.private_hdr_size != 0)
			return lig_memif_bad(err, err_size, -EBADMSG,
					     "private header size %u not supported",
					     m.add_ring.private_hdr_size);
		break;
	default:
		break;
	}
	*out = m;
	return 0;
}

static void
lig_memif_put_string(uint8_t *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size) : 0;

	memcpy(dst, src ? src : "", n);
}

void
lig_memif_msg_hello(struct lig_memif_msg *m, const char *name, uint16_t max_regions,
		    uint16_t max_m2s, uint16_t max_s2m, uint8_t max_log2)
{
	memset(m, 0, sizeof(*m));
	m->type = LIG_MEMIF_MSG_HELLO;
	lig_memif_put_string(m->hello.name, sizeof(m->hello.name), name);
	m->hello.min_version = LIG_MEMIF_VERSION;
	m->hello.max_version = LIG_MEMIF_VERSION;
	m->hello.max_region = max_regions;
	m->hello.max_m2s_ring = max_m2s;
	m->hello.max_s2m_ring = max_s2m;
	m->hello.max_log2_ring_size = max_log2;
}

void
lig_memif_msg_init(struct lig_memif_msg *m, uint32_t id, uint8_t mode, const char *secret,
		   const char *name)
{
	memset(m, 0, sizeof(*m));
	m->type = LIG_MEMIF_MSG_INIT;
	m->init.version = LIG_MEMIF_VERSION;
	m->init.id = id;
	m->init.mode = mode;
	lig_memif_put_string(m->init.secret, sizeof(m->init.secret), secret);
	lig_memif_put_string(m->init.name, sizeof(m->init.name), name);
}

void
lig_memif_msg_add_region(struct lig_memif_msg *m, uint16_t index, uint64_t size)
{
	memset(m, 0, sizeof(*m));
	m->type = LIG_MEMIF_MSG_ADD_REGION;
	m->add_region.index = index;
	m->add_region.size = size;
}

void
lig_memif_msg_add_ring(struct lig_memif_msg *m, bool s2m, uint16_t index, uint16_t region,
		       uint32_t offset, uint8_t log2)
{
	memset(m, 0, sizeof(*m));
	m->type = LIG_MEMIF_MSG_ADD_RING;
	m->add_ring.flags = s2m ? LIG_MEMIF_ADD_RING_FLAG_S2M : 0;
	m->add_ring.index = index;
	m->add_ring.region = region;
	m->add_ring.offset = offset;
	m->add_ring.log2_ring_size = log2;
}

void
lig_memif_msg_simple(struct lig_memif_msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

void
lig_memif_msg_connect(struct lig_memif_msg *m, uint16_t type, const char *if_name)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	lig_memif_put_string(m->connect.if_name, sizeof(m->connect.if_name), if_name);
}

void
lig_memif_msg_disconnect(struct lig_memif_msg *m, uint32_t code, const char *reason)
{
	memset(m, 0, sizeof(*m));
	m->type = LIG_MEMIF_MSG_DISCONNECT;
	m->disconnect.code = code;
	/* Keep a NUL in the last byte: peers print it with %s. */
	lig_memif_put_string(m->disconnect.string, sizeof(m->disconnect.string) - 1, reason);
}

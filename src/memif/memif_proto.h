/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memif protocol v2 on the wire: the 128-byte control messages, the shared ring and
 * descriptor layout, and the checks every value a peer wrote must pass before use.
 * Shared by ligd's memif driver and libligmemif; depends on nothing but libc.
 */
#ifndef LIG_MEMIF_PROTO_H
#define LIG_MEMIF_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LIG_MEMIF_COOKIE 0x3E31F20u
#define LIG_MEMIF_VERSION 0x0200
#define LIG_MEMIF_MSG_SIZE 128
#define LIG_MEMIF_NAME_SIZE 32
#define LIG_MEMIF_SECRET_SIZE 24
#define LIG_MEMIF_ERR_SIZE 96
#define LIG_MEMIF_RING_HDR_SIZE 128
#define LIG_MEMIF_DESC_SIZE 16
#define LIG_MEMIF_MAX_LOG2_RING 14
#define LIG_MEMIF_DEFAULT_LOG2_RING 10
#define LIG_MEMIF_DEFAULT_BUFFER_SIZE 2048
/* Our own limits (announced in HELLO as master, enforced on every peer). */
#define LIG_MEMIF_MAX_REGIONS 64
#define LIG_MEMIF_MAX_QUEUES 16
/* Region offsets are u32, so nothing beyond 4 GiB of a region is addressable. */
#define LIG_MEMIF_MAX_REGION_SIZE (1ull << 32)
#define LIG_MEMIF_MIN_BUFFER_SIZE 128
#define LIG_MEMIF_MAX_BUFFER_SIZE 65536
/* A packet longer than this (sum of a descriptor chain) is dropped, not delivered. */
#define LIG_MEMIF_MAX_PACKET 65535

#define LIG_MEMIF_RING_FLAG_MASK_INT 1 /* ring.flags: the receiver polls */
#define LIG_MEMIF_DESC_FLAG_NEXT 1     /* desc.flags: packet continues in the next slot */
#define LIG_MEMIF_ADD_RING_FLAG_S2M 1  /* add_ring.flags */

enum lig_memif_msg_type {
	LIG_MEMIF_MSG_NONE = 0,
	LIG_MEMIF_MSG_ACK = 1,
	LIG_MEMIF_MSG_HELLO = 2,
	LIG_MEMIF_MSG_INIT = 3,
	LIG_MEMIF_MSG_ADD_REGION = 4,
	LIG_MEMIF_MSG_ADD_RING = 5,
	LIG_MEMIF_MSG_CONNECT = 6,
	LIG_MEMIF_MSG_CONNECTED = 7,
	LIG_MEMIF_MSG_DISCONNECT = 8,
	LIG_MEMIF_MSG_N_TYPES,
};

enum lig_memif_mode {
	LIG_MEMIF_MODE_ETHERNET = 0,
	LIG_MEMIF_MODE_IP = 1,
	LIG_MEMIF_MODE_PUNT_INJECT = 2,
};

struct __attribute__((packed)) lig_memif_msg_hello {
	uint8_t name[LIG_MEMIF_NAME_SIZE];
	uint16_t min_version;
	uint16_t max_version;
	uint16_t max_region;
	uint16_t max_m2s_ring; /* count - 1 */
	uint16_t max_s2m_ring; /* count - 1 */
	uint8_t max_log2_ring_size;
};

struct __attribute__((packed)) lig_memif_msg_init {
	uint16_t version;
	uint32_t id;
	uint8_t mode;
	uint8_t secret[LIG_MEMIF_SECRET_SIZE];
	uint8_t name[LIG_MEMIF_NAME_SIZE];
};

struct __attribute__((packed)) lig_memif_msg_add_region {
	uint16_t index;
	uint64_t size;
};

struct __attribute__((packed)) lig_memif_msg_add_ring {
	uint16_t flags;
	uint16_t index;
	uint16_t region;
	uint32_t offset;
	uint8_t log2_ring_size;
	uint16_t private_hdr_size;
};

struct __attribute__((packed)) lig_memif_msg_connect {
	uint8_t if_name[LIG_MEMIF_NAME_SIZE];
};

struct __attribute__((packed)) lig_memif_msg_disconnect {
	uint32_t code;
	uint8_t string[LIG_MEMIF_ERR_SIZE];
};

struct __attribute__((packed)) lig_memif_msg {
	uint16_t type;
	union __attribute__((packed)) {
		struct lig_memif_msg_hello hello;
		struct lig_memif_msg_init init;
		struct lig_memif_msg_add_region add_region;
		struct lig_memif_msg_add_ring add_ring;
		struct lig_memif_msg_connect connect;
		struct lig_memif_msg_connect connected;
		struct lig_memif_msg_disconnect disconnect;
		uint8_t raw[LIG_MEMIF_MSG_SIZE - 2];
	};
};

_Static_assert(sizeof(struct lig_memif_msg) == LIG_MEMIF_MSG_SIZE, "memif message is 128 bytes");
_Static_assert(offsetof(struct lig_memif_msg, hello.max_log2_ring_size) == 2 + 42, "hello layout");
_Static_assert(offsetof(struct lig_memif_msg, init.name) == 2 + 31, "init layout");
_Static_assert(offsetof(struct lig_memif_msg, add_ring.private_hdr_size) == 2 + 11, "ring layout");

struct __attribute__((packed)) lig_memif_desc {
	uint16_t flags;
	uint16_t region;
	uint32_t length;
	uint32_t offset;
	uint32_t metadata;
};

struct lig_memif_ring {
	uint32_t cookie;
	uint16_t flags;
	volatile uint16_t head; /* written by the slave only */
	uint8_t pad0[56];
	volatile uint16_t tail; /* written by the master only */
	uint8_t pad1[62];
	struct lig_memif_desc desc[];
};

_Static_assert(sizeof(struct lig_memif_desc) == LIG_MEMIF_DESC_SIZE, "descriptor is 16 bytes");
_Static_assert(offsetof(struct lig_memif_ring, tail) == 64, "tail on its own cache line");
_Static_assert(offsetof(struct lig_memif_ring, desc) == LIG_MEMIF_RING_HDR_SIZE, "ring header");

/* Bytes one ring of 2^log2 slots takes in a region. */
static inline uint64_t
lig_memif_ring_bytes(unsigned log2)
{
	return LIG_MEMIF_RING_HDR_SIZE + ((uint64_t)LIG_MEMIF_DESC_SIZE << log2);
}

/* A region as mapped by this process: the bounds every descriptor is checked against. */
struct lig_memif_region_map {
	uint8_t *base;
	uint64_t size;
};

enum lig_memif_desc_error {
	LIG_MEMIF_DESC_OK = 0,
	LIG_MEMIF_DESC_BAD_REGION = -1,
	LIG_MEMIF_DESC_BAD_RANGE = -2,
	LIG_MEMIF_DESC_TOO_LONG = -3,
	LIG_MEMIF_DESC_BAD_FLAGS = -4,
};

/*
 * Checks one descriptor, already copied out of shared memory (never re-read it), against
 * the regions: region index, offset + length inside the region without overflow, length
 * at most max_length, no flag but NEXT. Returns LIG_MEMIF_DESC_OK or a negative
 * enum lig_memif_desc_error.
 */
static inline int
lig_memif_desc_check(const struct lig_memif_desc *d, const struct lig_memif_region_map *regions,
		     uint32_t n_regions, uint32_t max_length)
{
	if (d->region >= n_regions)
		return LIG_MEMIF_DESC_BAD_REGION;
	if (d->length > max_length)
		return LIG_MEMIF_DESC_TOO_LONG;
	/* u64 arithmetic: offset and length are u32, so the sum cannot wrap. */
	if ((uint64_t)d->offset + d->length > regions[d->region].size)
		return LIG_MEMIF_DESC_BAD_RANGE;
	if (d->flags & ~LIG_MEMIF_DESC_FLAG_NEXT)
		return LIG_MEMIF_DESC_BAD_FLAGS;
	return LIG_MEMIF_DESC_OK;
}

const char *lig_memif_desc_error_str(int e);

/*
 * Walks the packet starting at slot `cur` of a ring with `avail` published slots (the
 * caller checked avail <= ring size): copies each descriptor once into descs[] (room for
 * max_descs), checks it, and sums the length. Returns the number of slots the packet
 * uses (>= 1), or a negative enum lig_memif_desc_error; LIG_MEMIF_CHAIN_TRUNCATED if the
 * chain runs past the published slots or max_descs, LIG_MEMIF_CHAIN_TOO_LONG if the
 * packet exceeds LIG_MEMIF_MAX_PACKET (slots then holds how many to skip).
 */
#define LIG_MEMIF_CHAIN_TRUNCATED (-5)
#define LIG_MEMIF_CHAIN_TOO_LONG (-6)
/* Inline: it runs once per packet in ligd's memif-input and libligmemif's rx burst. */
static inline int
lig_memif_chain_check(const struct lig_memif_ring *ring, uint16_t mask, uint16_t cur,
		      uint16_t avail, const struct lig_memif_region_map *regions,
		      uint32_t n_regions, uint32_t max_length, struct lig_memif_desc *descs,
		      uint32_t max_descs, uint32_t *total_length, uint32_t *slots)
{
	uint32_t n = 0, total = 0;

	for (;;) {
		if (n >= avail || n >= max_descs)
			return LIG_MEMIF_CHAIN_TRUNCATED;
		/* One read of the shared slot; everything below uses the copy. */
		memcpy(&descs[n], (const void *)&ring->desc[(uint16_t)(cur + n) & mask],
		       sizeof(descs[n]));
		int rv = lig_memif_desc_check(&descs[n], regions, n_regions, max_length);
		if (rv < 0)
			return rv;
		total += descs[n].length; /* <= max_descs * max_length, no overflow in practice */
		n++;
		if (!(descs[n - 1].flags & LIG_MEMIF_DESC_FLAG_NEXT))
			break;
	}
	*slots = n;
	*total_length = total;
	if (total > LIG_MEMIF_MAX_PACKET)
		return LIG_MEMIF_CHAIN_TOO_LONG;
	return (int)n;
}

/*
 * A zero-copy slave's rx chain starting at slot `cur` of a ring with `avail` filled slots
 * (the caller checked avail <= ring size). Which buffer each slot holds is the slave's own
 * record, so only length and flags are read from the descriptors, once each: the length
 * at most max_length (the buffer the slave posted), no flag but NEXT, the chain within
 * avail and max_descs. Fills lens[] (room for max_descs) and *total_length; returns the
 * number of slots (>= 1), or LIG_MEMIF_DESC_TOO_LONG, LIG_MEMIF_DESC_BAD_FLAGS or
 * LIG_MEMIF_CHAIN_TRUNCATED.
 */
static inline int
lig_memif_zc_chain_check(const struct lig_memif_ring *ring, uint16_t mask, uint16_t cur,
			 uint16_t avail, uint32_t max_length, uint32_t *lens, uint32_t max_descs,
			 uint32_t *total_length)
{
	uint32_t n = 0, total = 0;

	for (;;) {
		if (n >= avail || n >= max_descs)
			return LIG_MEMIF_CHAIN_TRUNCATED;
		const volatile struct lig_memif_desc *d = &ring->desc[(uint16_t)(cur + n) & mask];
		uint16_t flags = d->flags;
		uint32_t len = d->length;
		if (len > max_length)
			return LIG_MEMIF_DESC_TOO_LONG;
		if (flags & ~LIG_MEMIF_DESC_FLAG_NEXT)
			return LIG_MEMIF_DESC_BAD_FLAGS;
		lens[n++] = len;
		total += len; /* <= max_descs * max_length */
		if (!(flags & LIG_MEMIF_DESC_FLAG_NEXT))
			break;
	}
	*total_length = total;
	return (int)n;
}

/*
 * Checks one received control message: exactly LIG_MEMIF_MSG_SIZE bytes, a known type,
 * a file descriptor exactly where the protocol carries one (ADD_REGION, ADD_RING), and
 * every field in range. Copies it into *out. On error writes a reason into err and
 * returns -EBADMSG (malformed) or -EPROTONOSUPPORT (version).
 */
int lig_memif_msg_parse(const void *buf, size_t len, bool have_fd, struct lig_memif_msg *out,
			char *err, size_t err_size);

const char *lig_memif_msg_type_str(unsigned type);

/* Copies a fixed-size wire string (not necessarily NUL-terminated) into dst (at least
 * size + 1 bytes), replacing unprintable bytes so it is safe to log. */
void lig_memif_wire_string(char *dst, const uint8_t *src, size_t size);

/* Builders: fill a zeroed 128-byte message (the caller owns m). */
void lig_memif_msg_hello(struct lig_memif_msg *m, const char *name, uint16_t max_regions,
			 uint16_t max_m2s, uint16_t max_s2m, uint8_t max_log2);
void lig_memif_msg_init(struct lig_memif_msg *m, uint32_t id, uint8_t mode, const char *secret,
			const char *name);
void lig_memif_msg_add_region(struct lig_memif_msg *m, uint16_t index, uint64_t size);
void lig_memif_msg_add_ring(struct lig_memif_msg *m, bool s2m, uint16_t index, uint16_t region,
			    uint32_t offset, uint8_t log2);
void lig_memif_msg_simple(struct lig_memif_msg *m, uint16_t type);
void lig_memif_msg_connect(struct lig_memif_msg *m, uint16_t type, const char *if_name);
void lig_memif_msg_disconnect(struct lig_memif_msg *m, uint32_t code, const char *reason);

#endif

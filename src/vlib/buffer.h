/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packet buffers: one preallocated pool of fixed-size buffers addressed by 32-bit index,
 * so that frames carry 4-byte indices instead of pointers and nothing on the fast path
 * allocates. A packet larger than one buffer is a chain (next_buffer). Flooding shares
 * a packet's tail between clones through ref_count instead of copying it.
 */
#ifndef LIG_BUFFER_H
#define LIG_BUFFER_H

#include "../infra/lig_common.h"
#include "../infra/lock.h"

/* data[] bytes per buffer: 2048 (VPP's default) unless the startup file's
 * buffers { default data-size N } says otherwise. Larger buffers carry a jumbo frame
 * without a chain, at a memory cost. The size is the pool's (lig_buffer_data_size()),
 * fixed before the first packet; at least 2048, so every header a node parses is in the
 * head buffer as before, and at most 16384, so offsets fit current_data. */
#define LIG_BUFFER_DEFAULT_DATA_SIZE 2048
#define LIG_BUFFER_MIN_DATA_SIZE 2048
#define LIG_BUFFER_MAX_DATA_SIZE 16384
/* Headroom before data[] so encapsulations (VXLAN: 50 bytes) prepend without copying. */
#define LIG_BUFFER_PRE_DATA_SIZE 128
#define LIG_BUFFER_DEFAULT_COUNT 16384

enum {
	LIG_RX = 0,
	LIG_TX = 1,
};

enum lig_buffer_flags {
	LIG_BUFFER_NEXT_PRESENT = 1 << 0, /* next_buffer is valid */
	LIG_BUFFER_TRACED = 1 << 1,	  /* trace_index is valid */
	/* The L4 checksum is partial (kernel CHECKSUM_PARTIAL via virtio-net header): the
	 * one's-complement sum from csum_start must be folded into csum_start+csum_offset
	 * before the packet leaves on an interface that does not take the offload. */
	LIG_BUFFER_CSUM_PARTIAL = 1 << 2,
	/* Came out of a bridge domain towards its BVI: ethernet-input hands it to L3. */
	LIG_BUFFER_FROM_BRIDGE = 1 << 3,
	LIG_BUFFER_L2_FLOODED = 1 << 4, /* a flood copy; l2-output checks split horizon */
	/* A TCP super-frame (GSO, from a virtio-net header): segments of gso_size payload
	 * bytes are cut from it (src/gso) before an egress that cannot take it. Always
	 * with CSUM_PARTIAL, whose csum_start is the TCP header; the headers up to the
	 * end of the TCP header lie in the head buffer (the rx driver checked them). */
	LIG_BUFFER_GSO_TCP4 = 1 << 5,
	LIG_BUFFER_GSO_TCP6 = 1 << 6,
	LIG_BUFFER_GSO = LIG_BUFFER_GSO_TCP4 | LIG_BUFFER_GSO_TCP6,
	/* With GSO: the TCP super-frame is inside a VXLAN packet (a kernel VXLAN peer's
	 * UDP tunnel GSO; csum_start is the inner TCP header). vxlan4-input clears it
	 * when it decapsulates; no egress takes it. */
	LIG_BUFFER_GSO_TUNNEL = 1 << 7,
};

/*
 * Per-feature metadata: what the nodes of one feature hand each other. A packet is in
 * one feature at a time, so the features share one area of the first cache line (as
 * VPP's vnet_buffer opaque): the l2 fields live from ethernet-input to the end of l2
 * forwarding (l2-input, l2-flood), the ip4 fields from ip4-input (or whoever builds an
 * IPv4 packet: ping, ICMP errors, vxlan4-encap) to ip4-rewrite. A node writes its
 * feature's fields before that feature reads them and never reads another feature's:
 * entering a feature overwrites what the previous one left.
 */
#define LIG_BUFFER_FEATURE_SIZE 20

struct lig_buffer_l2 {
	u16 bd_index; /* bridge domain, set by ethernet-input from the rx port */
	u8 shg;	      /* split-horizon group of the rx port (0: none) */
};

struct lig_buffer_ip4 {
	u32 fib_index; /* the VRF the lookup uses */
	u32 adj_index; /* the adjacency ip4-lookup chose, for ip4-rewrite and ip4-glean */
	u8 flags;      /* LIG_IP4_BUF_* (ip4/ip4.h) */
	/* The ICMP error ip4-icmp-error sends, written by the node that found the error. */
	u8 icmp_type;
	u8 icmp_code;
	u16 icmp_mtu; /* next-hop MTU of "fragmentation needed", host order */
};

_Static_assert(sizeof(struct lig_buffer_l2) <= LIG_BUFFER_FEATURE_SIZE,
	       "l2 metadata fits the buffer's feature area");
_Static_assert(sizeof(struct lig_buffer_ip4) <= LIG_BUFFER_FEATURE_SIZE,
	       "ip4 metadata fits the buffer's feature area");

struct lig_buffer {
	/* First cache line: what every node reads. */
	i16 current_data;   /* offset of the first valid byte from data[]; negative = headroom */
	u16 current_length; /* bytes valid in this buffer */
	u32 flags;
	u32 next_buffer;
	u32 total_length_not_including_first_buffer;
	u32 sw_if_index[2]; /* [LIG_RX], [LIG_TX] */
	u32 error;	    /* global error counter index, set before enqueue to error-drop */
	u32 trace_index;
	i16 l2_hdr_offset; /* relative to data[] */
	i16 l3_hdr_offset;
	u16 csum_start;	 /* with LIG_BUFFER_CSUM_PARTIAL: relative to data[] */
	u16 csum_offset; /* relative to csum_start */
	u16 ref_count;	 /* owners of this buffer; freed when it drops to zero */
	u16 gso_size;	 /* with LIG_BUFFER_GSO: TCP payload bytes per segment */
	/* The metadata of the feature the packet is in (see above). */
	union {
		struct lig_buffer_l2 l2;
		struct lig_buffer_ip4 ip4;
		u8 feature_area[LIG_BUFFER_FEATURE_SIZE]; /* sizes the union; never used */
	};
	/* Second cache line: room for the next features' metadata. */
	u8 opaque2[64];
	u8 pre_data[LIG_BUFFER_PRE_DATA_SIZE];
	u8 data[]; /* lig_buffer_data_size() bytes */
};

_Static_assert(offsetof(struct lig_buffer, opaque2) == 64, "metadata spans two cache lines");
_Static_assert(offsetof(struct lig_buffer, feature_area) + LIG_BUFFER_FEATURE_SIZE == 64,
	       "the feature area ends the first cache line");
_Static_assert(offsetof(struct lig_buffer, data) % LIG_CACHE_LINE == 0, "data is aligned");

struct lig_buffer_pool {
	u8 *base; /* n_buffers * stride, cache-line aligned */
	u32 n_buffers;
	u32 data_size; /* data[] bytes of each buffer */
	u32 stride;    /* bytes from one buffer to the next: header, headroom, data */
	/* lig_buffer_index divides by stride exactly, as a shift and a multiplication:
	 * stride = odd << stride_shift, stride_inv * odd = 1 (mod 2^32). */
	u32 stride_shift;
	u32 stride_inv;
	int fd;		/* the sealed memfd behind base, or -1 (anonymous memory) */
	size_t size;	/* bytes at base */
	u32 *free_list; /* stack of free buffer indices */
	u32 n_free;
	u64 alloc_failures;
	/* Taken by workers moving buffers between their caches and free_list. Main (thread 0)
	 * uses free_list directly, without it while there are no workers (main forwards
	 * then) and under it once they start (main_locks): mp-safe control-plane code, such
	 * as a vhost tap's ring set-up, allocates and frees with the workers running. */
	struct lig_spinlock lock;
	u8 main_locks; /* set by main before it starts the first worker */
};

extern struct lig_buffer_pool lig_buffer_pool;

/*
 * A worker's buffer cache: a LIFO stack, so the buffer freed last (still in this core's
 * cache) is the next one allocated. It refills from and spills to the pool in batches,
 * under the pool's lock: one lock per LIG_BUFFER_CACHE_BATCH buffers, none per packet.
 */
#define LIG_BUFFER_CACHE_SIZE 1024
#define LIG_BUFFER_CACHE_BATCH 256

struct lig_buffer_cache {
	u32 n;
	u8 enabled; /* workers; main uses the pool's free_list */
	u64 alloc_failures;
	u32 bis[LIG_BUFFER_CACHE_SIZE];
};

extern _Thread_local struct lig_buffer_cache lig_buffer_cache;

/* A data size the pool takes: a multiple of the cache line in
 * LIG_BUFFER_MIN_DATA_SIZE..LIG_BUFFER_MAX_DATA_SIZE. */
static inline bool
lig_buffer_data_size_valid(u32 data_size)
{
	return data_size >= LIG_BUFFER_MIN_DATA_SIZE && data_size <= LIG_BUFFER_MAX_DATA_SIZE &&
	       data_size % LIG_CACHE_LINE == 0;
}

/* Creates the global pool of buffers of data_size data bytes
 * (lig_buffer_data_size_valid); returns 0 or -ENOMEM / -EINVAL. */
int lig_buffer_pool_init_sized(u32 n_buffers, u32 data_size);
/* The same with LIG_BUFFER_DEFAULT_DATA_SIZE. */
int lig_buffer_pool_init(u32 n_buffers);
void lig_buffer_pool_free(void);
/* A worker starts using its cache; 0. */
int lig_buffer_cache_enable(void);
/* Free buffers: the pool's and every thread's cache (main, under the barrier). */
u32 lig_buffer_n_free(void);
/* Allocation failures of the pool and every cache. */
u64 lig_buffer_alloc_failures(void);

/* data[] bytes of every buffer of the pool. */
static inline u32
lig_buffer_data_size(void)
{
	return lig_buffer_pool.data_size;
}

/* Buffers a packet of len bytes takes (at least one); divides only for a chain. */
static inline u32
lig_buffer_n_for(u32 len)
{
	u32 ds = lig_buffer_pool.data_size;
	return lig_likely(len <= ds) ? 1 : (len + ds - 1) / ds;
}

static inline struct lig_buffer *
lig_buffer_get(u32 bi)
{
	return (struct lig_buffer *)(lig_buffer_pool.base + (size_t)bi * lig_buffer_pool.stride);
}

/* b must be a buffer of the pool (the start of one): the division is exact only then. */
static inline u32
lig_buffer_index(const struct lig_buffer *b)
{
	u64 off = (u64)((const u8 *)b - lig_buffer_pool.base);
	return (u32)(off >> lig_buffer_pool.stride_shift) * lig_buffer_pool.stride_inv;
}

/* The byte at offset (relative to data[], negative = headroom). Computed from the
 * struct rather than by indexing data[] so that a headroom offset is not an
 * out-of-bounds array index (undefined behaviour, which UBSan reports). */
static inline u8 *
lig_buffer_at(struct lig_buffer *b, i32 offset)
{
	return (u8 *)b + offsetof(struct lig_buffer, data) + offset;
}

static inline u8 *
lig_buffer_data(struct lig_buffer *b)
{
	return lig_buffer_at(b, b->current_data);
}

static inline void
lig_buffer_advance(struct lig_buffer *b, int n)
{
	b->current_data = (i16)(b->current_data + n);
	b->current_length = (u16)(b->current_length - n);
}

/* Buffers in the chain that starts at b (1 for a single buffer). */
static inline u32
lig_buffer_chain_count(const struct lig_buffer *b)
{
	u32 n = 1;
	for (; b->flags & LIG_BUFFER_NEXT_PRESENT; n++)
		b = lig_buffer_get(b->next_buffer);
	return n;
}

static inline u32
lig_buffer_length_in_chain(const struct lig_buffer *b)
{
	return b->current_length + ((b->flags & LIG_BUFFER_NEXT_PRESENT)
					? b->total_length_not_including_first_buffer
					: 0);
}

/* Resets the metadata a fresh rx buffer needs; data starts at the headroom boundary. */
static inline void
lig_buffer_reset(struct lig_buffer *b)
{
	memset(b, 0, offsetof(struct lig_buffer, opaque2));
	b->ref_count = 1;
	b->trace_index = LIG_INVALID_INDEX;
	b->error = 0;
}

/* A worker's allocation the cache cannot serve: refills it (or, for a large request,
 * takes from the pool directly). Returns how many it got into out[]. */
u32 lig_buffer_cache_alloc_slow(u32 *out, u32 n);

/* Allocates up to n buffers into out[]; returns how many it got (fewer when the pool
 * runs low, counted in alloc_failures). Metadata is left as the last owner left it: the
 * caller resets each buffer (lig_buffer_reset) before it uses or frees it. For a driver's
 * reserve, whose buffers are written once, when they are filled, not twice. */
static inline u32
lig_buffer_alloc_noinit(u32 *out, u32 n)
{
	struct lig_buffer_cache *c = &lig_buffer_cache;

	if (c->enabled) {
		if (lig_likely(n <= c->n && n <= LIG_BUFFER_CACHE_SIZE)) {
			c->n -= n;
			memcpy(out, c->bis + c->n, n * sizeof(u32));
		} else {
			n = lig_buffer_cache_alloc_slow(out, n);
		}
	} else {
		struct lig_buffer_pool *p = &lig_buffer_pool;
		if (p->main_locks)
			lig_spinlock_lock(&p->lock);
		if (lig_unlikely(n > p->n_free)) {
			p->alloc_failures += n - p->n_free;
			n = p->n_free;
		}
		p->n_free -= n;
		memcpy(out, p->free_list + p->n_free, n * sizeof(u32));
		if (p->main_locks)
			lig_spinlock_unlock(&p->lock);
	}
	return n;
}

/* Allocates up to n buffers into out[]; returns how many it got (fewer when the pool
 * runs low, counted in alloc_failures). Metadata is reset. */
static inline u32
lig_buffer_alloc(u32 *out, u32 n)
{
	n = lig_buffer_alloc_noinit(out, n);
	for (u32 i = 0; i < n; i++) {
		/* A refill resets dozens of headers that left L1 since they were freed. */
		if (i + 4 < n)
			lig_prefetch_store(lig_buffer_get(out[i + 4]));
		lig_buffer_reset(lig_buffer_get(out[i]));
	}
	return n;
}

/* Frees whole chains; a buffer shared by clones is released by its last owner. */
void lig_buffer_free(const u32 *bis, u32 n);

static inline void
lig_buffer_free_one(u32 bi)
{
	lig_buffer_free(&bi, 1);
}

/* Copies packet bytes of a chain starting at offset into dst; returns bytes copied. */
u32 lig_buffer_copy_out(u32 bi, u32 offset, void *dst, u32 size);

/* Builds a chain holding len bytes of src; returns the head index or LIG_INVALID_INDEX
 * when the pool runs out. */
u32 lig_buffer_from_bytes(const void *src, u32 len);

/*
 * Makes n_clones owners of packet bi for flooding. Small packets are copied whole; larger
 * ones get a private head of head_size bytes (room to rewrite headers per output) chained
 * to the shared original. clones[0..] receive the indices; returns how many were made
 * (fewer if the pool runs out; bi itself is then freed if none were made).
 */
u32 lig_buffer_clone(u32 bi, u32 *clones, u32 n_clones, u16 head_size);

/* Folds the partial L4 checksum of a LIG_BUFFER_CSUM_PARTIAL packet: the sum runs from
 * csum_start to the end of the chain, the field (csum_start + csum_offset) must lie in
 * the head buffer. Clears the flag; returns 0, or -EINVAL when the offsets point
 * outside the packet (nothing is read or written then). */
int lig_buffer_csum_finish(struct lig_buffer *b);

#endif

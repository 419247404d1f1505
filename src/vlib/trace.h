/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packet trace: an input node marks up to N buffers (trace add <node> <n>); every node
 * a marked buffer visits appends a record, and show trace prints each packet's walk.
 * The check is one flag test per packet, so tracing costs nothing when it is off.
 */
#ifndef LIG_TRACE_H
#define LIG_TRACE_H

#include "graph.h"

#define LIG_TRACE_RECORD_SIZE 128
#define LIG_TRACE_MAX_RECORDS 16
#define LIG_TRACE_MAX_PACKETS 1024

struct lig_trace_record {
	u32 node_index;
	u32 size;
	u64 time_ns;
	u8 data[LIG_TRACE_RECORD_SIZE];
};

struct lig_trace_packet {
	u32 n_records;
	struct lig_trace_record records[LIG_TRACE_MAX_RECORDS];
};

struct lig_trace_main {
	struct lig_trace_packet *packets; /* allocated at the first trace add */
	u32 n_packets;
	/* Bumped by clear trace. A buffer's trace_index is gen << 16 | packet: one still
	 * queued from before a clear (vlib/graph.h) adds nothing to the new trace. */
	u16 gen;
};

/* The running thread's trace buffer: each thread traces the packets it processes. */
extern _Thread_local struct lig_trace_main lig_trace_main;

/* Input nodes call this for each new buffer: it marks the buffer while the node has
 * budget left. Returns true if the buffer is now traced. */
bool lig_trace_start(struct lig_node *node, struct lig_buffer *b);

/* Returns room for a record of `size` bytes for this node, or NULL (not traced, or the
 * packet's record list is full). */
void *lig_trace_add_record(struct lig_node *node, struct lig_buffer *b, u32 size);

static inline bool
lig_buffer_is_traced(const struct lig_buffer *b)
{
	return lig_unlikely(b->flags & LIG_BUFFER_TRACED);
}

/* trace add: gives an input node a budget of packets to mark, on every thread. */
int lig_trace_enable(const char *node_name, u32 count, struct lig_str *err);
void lig_trace_show(struct lig_str *s, u32 max_packets);
void lig_trace_clear(void);

/* Helper for format_trace functions (lig_format_ethernet_header: ethernet/ethernet.h). */
void lig_format_mac(struct lig_str *s, const u8 *mac);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Packet trace storage, the trace CLI and the MAC formatter shared by trace functions. */
#include <errno.h>
#include <stdlib.h>

#include "../infra/lig_common.h"
#include "cli.h"
#include "thread.h"
#include "trace.h"

_Thread_local struct lig_trace_main lig_trace_main;

static struct lig_trace_main *
lig_trace_of(u32 t)
{
	return t == lig_thread_index ? &lig_trace_main : lig_threads[t].trace;
}

static struct lig_graph *
lig_trace_graph_of(u32 t)
{
	return t == lig_thread_index ? &lig_graph : lig_threads[t].graph;
}

bool
lig_trace_start(struct lig_node *node, struct lig_buffer *b)
{
	struct lig_trace_main *tm = &lig_trace_main;

	if (lig_likely(node->trace_budget == 0))
		return false;
	if (!tm->packets || tm->n_packets >= LIG_TRACE_MAX_PACKETS) {
		node->trace_budget = 0;
		return false;
	}
	node->trace_budget--;
	_Static_assert(LIG_TRACE_MAX_PACKETS <= 0x10000, "a packet index fits 16 bits");
	tm->packets[tm->n_packets].n_records = 0;
	b->trace_index = (u32)tm->gen << 16 | tm->n_packets++;
	b->flags |= LIG_BUFFER_TRACED;
	return true;
}

void *
lig_trace_add_record(struct lig_node *node, struct lig_buffer *b, u32 size)
{
	struct lig_trace_main *tm = &lig_trace_main;

	u32 i = b->trace_index & 0xffff;

	if (!(b->flags & LIG_BUFFER_TRACED) || b->trace_index >> 16 != tm->gen ||
	    i >= tm->n_packets || size > LIG_TRACE_RECORD_SIZE)
		return NULL;
	struct lig_trace_packet *p = &tm->packets[i];
	if (p->n_records >= LIG_TRACE_MAX_RECORDS)
		return NULL;
	struct lig_trace_record *r = &p->records[p->n_records++];
	r->node_index = node->index;
	r->size = size;
	r->time_ns = lig_time_now_ns();
	memset(r->data, 0, size);
	return r->data;
}

int
lig_trace_enable(const char *node_name, u32 count, struct lig_str *err)
{
	struct lig_node *node = lig_node_by_name(node_name);

	if (!node) {
		lig_str_printf(err, "trace add: no node named '%s'", node_name);
		return -ENOENT;
	}
	if (node->type != LIG_NODE_INPUT) {
		lig_str_printf(err, "trace add: '%s' is not an input node", node_name);
		return -EINVAL;
	}
	u32 budget = LIG_MIN(count, (u32)LIG_TRACE_MAX_PACKETS);
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_trace_main *tm = lig_trace_of(t);
		struct lig_graph *g = lig_trace_graph_of(t);
		if (!tm || !g)
			continue;
		if (!tm->packets) {
			tm->packets =
			    calloc(LIG_TRACE_MAX_PACKETS, sizeof(struct lig_trace_packet));
			if (!tm->packets)
				return -ENOMEM;
		}
		g->nodes[node->index].trace_budget = budget;
	}
	return 0;
}

void
lig_trace_clear(void)
{
	for (u32 t = 0; t < lig_n_threads; t++) {
		struct lig_trace_main *tm = lig_trace_of(t);
		struct lig_graph *g = lig_trace_graph_of(t);
		if (tm) {
			tm->n_packets = 0;
			tm->gen++;
		}
		for (u32 i = 0; g && i < g->n_nodes; i++)
			g->nodes[i].trace_budget = 0;
	}
}

static void
lig_format_time(struct lig_str *s, u64 ns)
{
	u64 us = ns / 1000;
	u64 sec = us / 1000000;
	lig_str_printf(s, "%02llu:%02llu:%02llu:%06llu", (unsigned long long)(sec / 3600),
		       (unsigned long long)(sec / 60 % 60), (unsigned long long)(sec % 60),
		       (unsigned long long)(us % 1000000));
}

static void
lig_trace_show_thread(struct lig_str *s, const struct lig_trace_main *tm, u32 max_packets)
{
	u32 n = LIG_MIN(tm->n_packets, max_packets);

	if (n == 0) {
		lig_str_printf(s, "No packets in trace buffer\n");
		return;
	}
	for (u32 i = 0; i < n; i++) {
		struct lig_trace_packet *p = &tm->packets[i];
		lig_str_printf(s, "Packet %u\n\n", i + 1);
		for (u32 k = 0; k < p->n_records; k++) {
			struct lig_trace_record *r = &p->records[k];
			struct lig_node *node = &lig_graph.nodes[r->node_index];
			lig_format_time(s, r->time_ns);
			lig_str_printf(s, ": %s\n", node->name);
			if (node->format_trace) {
				lig_str_printf(s, "  ");
				node->format_trace(s, r->data);
				lig_str_printf(s, "\n");
			}
		}
		lig_str_printf(s, "\n");
	}
}

void
lig_trace_show(struct lig_str *s, u32 max_packets)
{
	if (lig_n_threads == 1) {
		lig_trace_show_thread(s, &lig_trace_main, max_packets);
		return;
	}
	/* As VPP: each thread's packets under its own heading. */
	for (u32 t = 0; t < lig_n_threads; t++) {
		const struct lig_trace_main *tm = lig_trace_of(t);
		lig_str_printf(s, "------------------- Start of thread %u %s -------------------\n",
			       t, lig_threads[t].name);
		if (tm)
			lig_trace_show_thread(s, tm, max_packets);
	}
}

void
lig_format_mac(struct lig_str *s, const u8 *m)
{
	lig_str_printf(s, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

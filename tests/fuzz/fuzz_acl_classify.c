/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for ACL classification: the input is up to 15 rules (14 bytes each, turned
 * into valid rules) and then an IPv4 packet. Differential: when the packet parses, the
 * tuple-merge classifier must give the same first match as the rule-by-rule scan (abort
 * otherwise). Then the rules replace ACL 0 (loop0's input list) and ACL 1 (loop1's output
 * list), and the packet goes through the real graph on loop0 (ethernet-input, ip4-input,
 * acl-plugin-in-ip4-fa with reflect sessions, ip4-lookup, ip4-rewrite,
 * acl-plugin-out-ip4-fa): nothing may crash, read out of bounds or leak buffers.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "fuzz.h"
#include "infra/log.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "loopback/loopback.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

#define N_BUFFERS 2048
#define RULE_BYTES 14

static u32 loop0, loop1;
static const u8 mac0[6] = {0x02, 0, 0, 0, 0, 1}, mac1[6] = {0x02, 0, 0, 0, 0, 2};

static u32
ip(const char *s)
{
	u32 a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static void
fuzz_setup(void)
{
	static const u8 nbr[6] = {0x02, 0, 0, 0, 0, 9};
	struct lig_acl_rule any = {
	    .action = LIG_ACL_PERMIT, .sport_hi = 0xffff, .dport_hi = 0xffff};
	struct lig_acl_timeouts to = {.tcp_idle = 10, .tcp_transient = 1, .udp_idle = 1};
	char msg[200];
	u32 i0 = 0, i1 = 1, a0 = 0, a1 = 1;

	lig_log_level = LIG_LOG_ERR;
	if (lig_buffer_pool_init(N_BUFFERS) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	if (lig_loopback_create(mac0, LIG_INVALID_INDEX, &loop0) < 0 ||
	    lig_loopback_create(mac1, LIG_INVALID_INDEX, &loop1) < 0 ||
	    lig_if_set_admin(loop0, true) < 0 || lig_if_set_admin(loop1, true) < 0 ||
	    lig_ip4_add_del_interface_address(loop0, ip("10.0.0.1"), 16, true) < 0 ||
	    lig_ip4_add_del_interface_address(loop1, ip("10.1.0.1"), 16, true) < 0 ||
	    lig_arp_neighbor_add_del(loop1, ip("10.1.0.2"), nbr, true, true) < 0 ||
	    lig_acl_session_config(256, 64, &to) < 0 ||
	    lig_acl_add_replace(&i0, &any, 1, "in", msg, sizeof(msg)) < 0 ||
	    lig_acl_add_replace(&i1, &any, 1, "out", msg, sizeof(msg)) < 0 ||
	    lig_acl_if_set(loop0, LIG_ACL_INPUT, &a0, 1) < 0 ||
	    lig_acl_if_set(loop1, LIG_ACL_OUTPUT, &a1, 1) < 0)
		abort();
}

/* 14 bytes -> a valid rule (values folded into the ranges the checks accept). */
static void
rule_from_bytes(const u8 *p, struct lig_acl_rule *r)
{
	static const u8 protos[] = {0, 6, 17, 1};
	memset(r, 0, sizeof(*r));
	r->action = p[0] % 3;
	memcpy(&r->src, p + 1, 4);
	r->src_len = p[5] % 33;
	memcpy(&r->dst, p + 6, 4);
	r->dst_len = p[10] % 33;
	r->proto = protos[p[11] & 3];
	r->sport_hi = r->dport_hi = 0xffff;
	if (r->proto) {
		u16 max = r->proto == 1 ? 255 : 0xffff;
		if (p[12] & 1) {
			r->dport_lo = (u16)(p[12] >> 1);
			r->dport_hi = (u16)LIG_MIN((u32)r->dport_lo + (p[13] & 7), max);
		}
		if (p[12] & 0x80)
			r->sport_lo = r->sport_hi = (u16)(p[13] >> 3);
	}
	if (r->proto == 6 && (p[13] & 0x40)) {
		r->tcp_flags_mask = p[11] & 0x3f;
		r->tcp_flags_value = (u8)((p[11] >> 2) & r->tcp_flags_mask);
	}
	char why[128];
	if (lig_acl_rule_check(r, why, sizeof(why)) < 0)
		abort(); /* rule_from_bytes only makes valid rules */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct lig_acl_rule rules[16];
	struct lig_acl_5tuple t;
	char msg[200];

	if (!ready) {
		fuzz_setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	u32 n = data[0] & 15, sel = data[0] >> 4;
	if (size < 1 + (size_t)n * RULE_BYTES)
		return 0;
	for (u32 i = 0; i < n; i++)
		rule_from_bytes(data + 1 + i * RULE_BYTES, &rules[i]);
	const u8 *pkt = data + 1 + n * RULE_BYTES;
	u32 len = (u32)(size - 1 - n * RULE_BYTES);

	struct lig_acl_classifier *c = lig_acl_classifier_build(rules, n);
	if (!c)
		abort();
	if (lig_acl_parse_ip4(pkt, len, &t) == 0 &&
	    lig_acl_classify(c, rules, &t) != lig_acl_match_linear(rules, n, &t))
		abort(); /* the classifier disagrees with the scan */
	lig_acl_classifier_free(c);

	/* Through the graph: the same rules on loop0's input and loop1's output. */
	u32 i0 = 0, i1 = 1;
	if (lig_acl_add_replace(&i0, rules, n, NULL, msg, sizeof(msg)) < 0 ||
	    lig_acl_add_replace(&i1, rules, n, NULL, msg, sizeof(msg)) < 0)
		abort();
	u8 frame[LIG_BUFFER_DEFAULT_DATA_SIZE - 64];
	if (len > sizeof(frame) - 14)
		return 0;
	memcpy(frame, mac0, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x07", 6);
	frame[12] = 0x08;
	frame[13] = 0x00;
	memcpy(frame + 14, pkt, len);
	/* Selector bit 0: make the IPv4 header pass ip4-input and route out of loop1. */
	if ((sel & 1) && len >= 20) {
		struct lig_ip4_header *h = (void *)(frame + 14);
		h->ver_ihl = 0x45;
		h->length = htons((u16)len);
		h->ttl = 64;
		h->src = ip("10.0.0.2");
		h->dst = ip("10.1.0.2");
		h->checksum = 0;
		h->checksum = htons(lig_ip4_header_csum(h, 5));
	}
	u32 bi;
	if (lig_buffer_alloc(&bi, 1) != 1)
		return 0;
	struct lig_buffer *b = lig_buffer_get(bi);
	b->current_data = 64;
	b->current_length = (u16)(14 + len);
	memcpy(lig_buffer_data(b), frame, 14 + len);
	b->sw_if_index[LIG_RX] = loop0;
	lig_node_put(lig_node_by_name("ethernet-input")->index, bi);
	lig_graph_dispatch_pending();
	if (lig_buffer_pool.n_free + 4 * 256 < N_BUFFERS)
		abort();
	return 0;
}

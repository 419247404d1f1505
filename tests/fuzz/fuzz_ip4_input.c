/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the IPv4 and ARP input path in a real graph: the input (after one
 * selector byte) is the L3 payload of an Ethernet frame to ligd's MAC on an L3
 * loopback with an address, a neighbour, routes (one ECMP) and a drop route. It walks
 * ethernet-input, ip4-input, ip4-lookup, ip4-rewrite, ip4-local, ip4-icmp-error,
 * ip4-glean and arp-input. Nothing may crash, read out of bounds or leak buffers.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "loopback/loopback.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

#define N_BUFFERS 4096

static u32 fuzz_sw;
static const u8 fuzz_mac[6] = {0x02, 0, 0, 0, 0, 1};

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
	static const u8 nbr_mac[6] = {0x02, 0, 0, 0, 0, 2};
	struct lig_fib_path p[2] = {
	    {.type = LIG_FIB_PATH_NEXT_HOP, .nh = ip("10.0.0.2"), .sw_if_index = LIG_INVALID_INDEX},
	    {.type = LIG_FIB_PATH_NEXT_HOP, .nh = ip("10.0.0.3"), .sw_if_index = LIG_INVALID_INDEX},
	};
	struct lig_fib_path d = {.type = LIG_FIB_PATH_DROP, .sw_if_index = LIG_INVALID_INDEX};

	if (lig_buffer_pool_init(N_BUFFERS) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	if (lig_loopback_create(fuzz_mac, LIG_INVALID_INDEX, &fuzz_sw) < 0 ||
	    lig_if_set_admin(fuzz_sw, true) < 0 ||
	    lig_ip4_add_del_interface_address(fuzz_sw, ip("10.0.0.1"), 24, true) < 0 ||
	    lig_arp_neighbor_add_del(fuzz_sw, ip("10.0.0.2"), nbr_mac, true, true) < 0 ||
	    lig_fib_route_add_del(0, ip("20.0.0.0"), 8, LIG_FIB_SRC_API, p, 1, true) < 0 ||
	    lig_fib_route_add_del(0, ip("30.0.0.0"), 8, LIG_FIB_SRC_API, p, 2, true) < 0 ||
	    lig_fib_route_add_del(0, ip("40.0.0.0"), 8, LIG_FIB_SRC_API, &d, 1, true) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	u8 frame[LIG_BUFFER_DEFAULT_DATA_SIZE];

	if (!ready) {
		fuzz_setup();
		ready = true;
	}
	if (size < 1 || size > sizeof(frame) - 14)
		return 0;
	/* Selector byte: bit 0 ARP or IPv4, bit 1 broadcast or our MAC as destination. */
	memcpy(frame, (data[0] & 2) ? (const u8 *)"\xff\xff\xff\xff\xff\xff" : fuzz_mac, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x08;
	frame[13] = (data[0] & 1) ? 0x06 : 0x00;
	memcpy(frame + 14, data + 1, size - 1);
	/* Start 64 bytes in, as an rx driver does, so the headers ligd prepends (ICMP error,
	 * VXLAN, Ethernet) stay inside data[] (see docs/requests-ip4.md). */
	u32 len = (u32)(size - 1 + 14), bi;
	if (len > LIG_BUFFER_DEFAULT_DATA_SIZE - 64 || lig_buffer_alloc(&bi, 1) != 1)
		return 0;
	struct lig_buffer *b0 = lig_buffer_get(bi);
	b0->current_data = 64;
	b0->current_length = (u16)len;
	memcpy(lig_buffer_data(b0), frame, len);
	lig_buffer_get(bi)->sw_if_index[LIG_RX] = fuzz_sw;
	lig_node_put(lig_node_by_name("ethernet-input")->index, bi);
	lig_graph_dispatch_pending();
	/* Only ip4-glean may keep buffers (at most 4 per pending neighbour, 256 of them). */
	if (lig_buffer_pool.n_free + 4 * 256 < N_BUFFERS)
		abort();
	return 0;
}

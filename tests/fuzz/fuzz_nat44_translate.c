/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for NAT44's translation path in a real graph: an inside loopback
 * (10.0.0.1/24, a neighbour 10.0.0.2) and an outside one (192.168.0.1/24, a neighbour
 * 192.168.0.2), NAT44 with a small session table (256, so it fills), the pool address
 * 192.168.0.1, a port static mapping, an address static mapping and a load-balancing
 * mapping with affinity. The input's first byte selects: bit 0 the rx interface (inside
 * or outside), bit 1 forwarding, bit 2 whether the harness fixes the IPv4 header checksum
 * (so mutations reach NAT instead of dying in ip4-input). The rest is the IPv4 packet.
 * Sessions persist between inputs, so later inputs hit earlier ones' sessions (replies,
 * ICMP errors quoting them). Nothing may crash, read out of bounds or leak buffers, and
 * the table never holds more than its size.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "loopback/loopback.h"
#include "nat44/nat44.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"

#define N_BUFFERS 4096

static u32 in_sw, out_sw;
static const u8 in_mac[6] = {0x02, 0, 0, 0, 0, 1}, out_mac[6] = {0x02, 0, 0, 0, 1, 1};

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
	struct lig_nat44_lb_local locals[2] = {
	    {.addr = ip("10.0.0.2"), .port = 8080, .probability = 60},
	    {.addr = ip("10.0.0.3"), .port = 8080, .probability = 40},
	};

	if (lig_buffer_pool_init(N_BUFFERS) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	if (lig_loopback_create(in_mac, LIG_INVALID_INDEX, &in_sw) < 0 ||
	    lig_loopback_create(out_mac, LIG_INVALID_INDEX, &out_sw) < 0 ||
	    lig_if_set_admin(in_sw, true) < 0 || lig_if_set_admin(out_sw, true) < 0 ||
	    lig_ip4_add_del_interface_address(in_sw, ip("10.0.0.1"), 24, true) < 0 ||
	    lig_ip4_add_del_interface_address(out_sw, ip("192.168.0.1"), 24, true) < 0 ||
	    lig_arp_neighbor_add_del(in_sw, ip("10.0.0.2"), nbr_mac, true, true) < 0 ||
	    lig_arp_neighbor_add_del(out_sw, ip("192.168.0.2"), nbr_mac, true, true) < 0)
		abort();
	if (lig_nat44_enable(256) < 0 || lig_nat44_interface_set(in_sw, true, true) < 0 ||
	    lig_nat44_interface_set(out_sw, false, true) < 0 ||
	    lig_nat44_address_add_del(ip("192.168.0.1"), ip("192.168.0.1"), true) < 0 ||
	    lig_nat44_static_add_del(6, ip("10.0.0.2"), 22, ip("192.168.0.1"), 2222, true) < 0 ||
	    lig_nat44_static_add_del(0, ip("10.0.0.3"), 0, ip("192.168.0.3"), 0, true) < 0 ||
	    lig_nat44_lb_add_del(6, ip("192.168.0.10"), 80, locals, 2, 10, true) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	u32 bi;

	if (!ready) {
		fuzz_setup();
		ready = true;
	}
	if (size < 1 || size - 1 + 14 > LIG_BUFFER_DEFAULT_DATA_SIZE - 64)
		return 0;
	bool inside = !(data[0] & 1);
	lig_nat44_forwarding_set((data[0] & 2) != 0);
	if (lig_buffer_alloc(&bi, 1) != 1)
		return 0;
	struct lig_buffer *b = lig_buffer_get(bi);
	u32 len = (u32)(size - 1 + 14);
	u8 *f;
	b->current_data = 64;
	b->current_length = (u16)len;
	f = lig_buffer_data(b);
	memcpy(f, inside ? in_mac : out_mac, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x02", 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, data + 1, size - 1);
	if ((data[0] & 4) && size - 1 >= 20) {
		struct lig_ip4_header *h = (void *)(f + 14);
		u32 ihl = h->ver_ihl & 0xf;
		if (ihl >= 5 && ihl * 4 <= size - 1) {
			h->checksum = 0;
			h->checksum = htons(lig_ip4_header_csum(h, ihl));
		}
	}
	b->sw_if_index[LIG_RX] = inside ? in_sw : out_sw;
	lig_node_put(lig_node_by_name("ethernet-input")->index, bi);
	lig_graph_dispatch_pending();
	/* Only ip4-glean may keep buffers (at most 4 per pending neighbour, 256 of them). */
	if (lig_buffer_pool.n_free + 4 * 256 < N_BUFFERS)
		abort();
	const struct lig_nat44_thread *t = &lig_nat44_main.threads[0];
	if (t->n_sessions > t->max || t->n_sessions + t->n_free != t->max)
		abort();
	return 0;
}

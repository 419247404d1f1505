/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for VXLAN decapsulation in a real graph: the input (after one selector
 * byte) is the UDP payload (VXLAN header and inner frame) of a well-formed IPv4/UDP
 * 4789 packet from the tunnel's peer to ligd's address, so every input reaches
 * vxlan4-input; the decapsulated frame continues through ethernet-input and the bridge
 * domain the tunnel is in (with a BVI that routes and answers ARP). Nothing may crash,
 * read out of bounds or leak buffers.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interface/interface.h"
#include "ip4/ip4.h"
#include "l2/l2.h"
#include "loopback/loopback.h"
#include "vlib/buffer.h"
#include "vlib/graph.h"
#include "vlib/loop.h"
#include "vxlan/vxlan.h"

#define N_BUFFERS 4096
#define FUZZ_VNI 5

static u32 underlay_sw;
static const u8 underlay_mac[6] = {0x02, 0, 0, 0, 0, 1};

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
	static const u8 peer_mac[6] = {0x02, 0, 0, 0, 0, 2};
	static const u8 bvi_mac[6] = {0x02, 0, 0, 0, 0, 3};
	struct lig_vxlan_tunnel_args a = {.is_add = true,
					  .src = ip("10.0.0.1"),
					  .dst = ip("10.0.0.2"),
					  .vni = FUZZ_VNI,
					  .instance = LIG_INVALID_INDEX};
	u32 tunnel_sw, bvi_sw;

	if (lig_buffer_pool_init(N_BUFFERS) < 0 || lig_graph_init() < 0 || lig_loop_init() < 0 ||
	    lig_run_init_functions() < 0)
		abort();
	if (lig_loopback_create(underlay_mac, LIG_INVALID_INDEX, &underlay_sw) < 0 ||
	    lig_if_set_admin(underlay_sw, true) < 0 ||
	    lig_ip4_add_del_interface_address(underlay_sw, ip("10.0.0.1"), 24, true) < 0 ||
	    lig_arp_neighbor_add_del(underlay_sw, ip("10.0.0.2"), peer_mac, true, true) < 0 ||
	    lig_vxlan_add_del_tunnel(&a, &tunnel_sw) < 0 ||
	    lig_loopback_create(bvi_mac, LIG_INVALID_INDEX, &bvi_sw) < 0 ||
	    lig_if_set_admin(bvi_sw, true) < 0 || lig_l2_set_bridge(tunnel_sw, 7, false, 0) < 0 ||
	    lig_l2_set_bridge(bvi_sw, 7, true, 0) < 0 ||
	    lig_ip4_add_del_interface_address(bvi_sw, ip("192.168.7.1"), 24, true) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	u8 frame[LIG_BUFFER_DEFAULT_DATA_SIZE];
	const u32 hdr = 14 + 20 + 8;

	if (!ready) {
		fuzz_setup();
		ready = true;
	}
	if (size < 1 || size - 1 > sizeof(frame) - hdr)
		return 0;
	u32 payload = (u32)(size - 1);
	memcpy(frame, underlay_mac, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x08;
	frame[13] = 0x00;
	struct lig_ip4_header *iph = (void *)(frame + 14);
	memset(iph, 0, 20);
	iph->ver_ihl = 0x45;
	iph->length = htons((u16)(20 + 8 + payload));
	iph->ttl = 64;
	iph->proto = LIG_IP_PROTO_UDP;
	iph->src = ip("10.0.0.2");
	iph->dst = ip("10.0.0.1");
	iph->checksum = htons(lig_ip4_header_csum(iph, 5));
	struct lig_udp_header *udp = (void *)(iph + 1);
	udp->src_port = htons(50000);
	udp->dst_port = htons(LIG_VXLAN_UDP_PORT);
	udp->length = htons((u16)(8 + payload));
	udp->checksum = 0;
	memcpy(frame + hdr, data + 1, payload);
	/* Selector bit 0: force a valid header for our tunnel, so inner frames get fuzzed. */
	if ((data[0] & 1) && payload >= 8) {
		frame[hdr] = 0x08;
		frame[hdr + 4] = 0;
		frame[hdr + 5] = 0;
		frame[hdr + 6] = FUZZ_VNI;
	}
	/* Start 64 bytes in, as an rx driver does, so the headers ligd prepends (ICMP error,
	 * VXLAN, Ethernet) stay inside data[] (see docs/requests-ip4.md). */
	u32 len = hdr + payload, bi;
	if (len > LIG_BUFFER_DEFAULT_DATA_SIZE - 64 || lig_buffer_alloc(&bi, 1) != 1)
		return 0;
	struct lig_buffer *b0 = lig_buffer_get(bi);
	b0->current_data = 64;
	b0->current_length = (u16)len;
	memcpy(lig_buffer_data(b0), frame, len);
	lig_buffer_get(bi)->sw_if_index[LIG_RX] = underlay_sw;
	lig_node_put(lig_node_by_name("ethernet-input")->index, bi);
	lig_graph_dispatch_pending();
	if (lig_buffer_pool.n_free + 4 * 256 < N_BUFFERS)
		abort();
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Validation and support checks of every model: invalid values refused by validate with the
 * field path and a precise reason, fields Ligature does not support refused by
 * check_supported (decoded first, never ignored), and values at the edges of every range
 * accepted. Plus the address and MAC parsers the checks and descriptors share. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lig_models.h"

enum outcome {
	OK,
	INVALID,
	UNSUPPORTED,
};

struct ccase {
	const char *json;
	enum outcome outcome;
	const char *field;
	const char *what; /* in the text */
};

/* Decodes each case's JSON (which must decode) and checks it. */
static void
run(enum lig_model_id id, const struct ccase *cases, size_t n)
{
	const struct lig_model *m = lig_model_get(id);

	for (size_t i = 0; i < n; i++) {
		const struct ccase *c = &cases[i];
		struct lig_model_error err = {0};
		void *v = lig_model_value_new(m);
		assert_non_null(v);
		if (m->decode(c->json, strlen(c->json), v, &err))
			fail_msg("%s: %s does not decode: %s", m->name, c->json, err.text);
		int rv = lig_model_check(m, v, &err);
		int want = c->outcome == OK ? 0 : c->outcome == INVALID ? -EINVAL : -EOPNOTSUPP;
		enum lig_model_err_kind kind =
		    c->outcome == INVALID ? LIG_MODEL_ERR_INVALID : LIG_MODEL_ERR_UNSUPPORTED;
		if (rv != want || (rv && (err.kind != kind || strcmp(err.field, c->field) ||
					  !strstr(err.text, c->what) ||
					  strncmp(err.text, c->field, strlen(c->field)))))
			fail_msg("%s: %s\n  got %d kind %d '%s'\n  want %d on '%s' with '%s'",
				 m->name, c->json, rv, err.kind, rv ? err.text : "", want,
				 c->field ? c->field : "", c->what ? c->what : "");
		/* validate alone: INVALID cases fail it, the others pass it */
		rv = m->validate(v, &err);
		assert_int_equal(rv, c->outcome == INVALID ? -EINVAL : 0);
		lig_model_value_delete(m, v);
	}
}

#define RUN(id, cases) run(id, cases, sizeof(cases) / sizeof(cases[0]))

#define LOOP "\"name\":\"l\",\"type\":\"SOFTWARE_LOOPBACK\""
#define MEMIF "\"name\":\"m\",\"type\":\"MEMIF\""
#define TAP "\"name\":\"t\",\"type\":\"TAP\""
#define VX "\"name\":\"x\",\"type\":\"VXLAN_TUNNEL\""

static void
test_vpp_interface(void **state)
{
	(void)state;
	static const struct ccase cases[] = {
	    {"{" LOOP "}", OK, NULL, NULL},
	    /* names */
	    {"{\"type\":\"SOFTWARE_LOOPBACK\"}", INVALID, "name", "missing"},
	    {"{\"name\":\"0123456789012345678901234567890123456789012345678901234567890123\","
	     "\"type\":\"SOFTWARE_LOOPBACK\"}",
	     INVALID, "name", "is 64 characters; at most 63"},
	    {"{\"name\":\"012345678901234567890123456789012345678901234567890123456789012\","
	     "\"type\":\"SOFTWARE_LOOPBACK\"}",
	     OK, NULL, NULL},
	    {"{\"name\":\"Gbe0/8/0\",\"type\":\"SOFTWARE_LOOPBACK\"}", OK, NULL, NULL},
	    {"{\"name\":\"a//b\",\"type\":\"SOFTWARE_LOOPBACK\"}", INVALID, "name",
	     "cannot be part of a key"},
	    {"{\"name\":\"a/\",\"type\":\"SOFTWARE_LOOPBACK\"}", INVALID, "name",
	     "cannot be part of a key"},
	    {"{\"name\":\"../x\",\"type\":\"SOFTWARE_LOOPBACK\"}", INVALID, "name",
	     "cannot be part of a key"},
	    {"{\"name\":\"a\\tb\",\"type\":\"SOFTWARE_LOOPBACK\"}", INVALID, "name",
	     "'a\\x09b' has a control character"},
	    /* type and link */
	    {"{\"name\":\"x\"}", INVALID, "type", "missing"},
	    {"{\"name\":\"x\",\"type\":99}", INVALID, "type",
	     "99 is not a value of ligato.vpp.interfaces.Interface.Type"},
	    {"{" MEMIF "}", INVALID, "memif",
	     "missing: a MEMIF interface needs its memif settings"},
	    {"{" MEMIF ",\"tap\":{}}", INVALID, "tap",
	     "does not match type MEMIF (tap settings belong to TAP interfaces)"},
	    {"{" LOOP ",\"memif\":{}}", INVALID, "memif", "does not match type SOFTWARE_LOOPBACK"},
	    {"{\"name\":\"g\",\"type\":\"GRE_TUNNEL\"}", INVALID, "gre", "missing"},
	    /* MAC */
	    {"{" LOOP ",\"phys_address\":\"02:00:00:00:00\"}", INVALID, "phys_address",
	     "'02:00:00:00:00' is not a MAC address"},
	    {"{" LOOP ",\"phys_address\":\"02:00-00:00:00:01\"}", INVALID, "phys_address",
	     "is not a MAC address"},
	    {"{" LOOP ",\"phys_address\":\"2:0:0:0:0:1\"}", INVALID, "phys_address",
	     "is not a MAC address"},
	    {"{" LOOP ",\"phys_address\":\"02:00:00:00:00:0g\"}", INVALID, "phys_address",
	     "is not a MAC address"},
	    {"{" LOOP ",\"phys_address\":\"01:00:5e:00:00:01\"}", INVALID, "phys_address",
	     "'01:00:5e:00:00:01' is a multicast MAC"},
	    {"{" LOOP ",\"phys_address\":\"00:00:00:00:00:00\"}", INVALID, "phys_address",
	     "the zero MAC is not an address"},
	    {"{" LOOP ",\"phys_address\":\"02-AB-00-00-00-01\"}", OK, NULL, NULL},
	    {"{" LOOP ",\"phys_address\":\"02ab.0000.0001\"}", OK, NULL, NULL},
	    /* addresses */
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1\"]}", INVALID, "ip_addresses[0]",
	     "is not an address with a prefix length"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/24\",\"10.0.0.1/33\"]}", INVALID,
	     "ip_addresses[1]", "'10.0.0.1/33' is not an address with a prefix length"},
	    {"{" LOOP ",\"ip_addresses\":[\"256.0.0.1/24\"]}", INVALID, "ip_addresses[0]",
	     "is not an address"},
	    {"{" LOOP ",\"ip_addresses\":[\"010.0.0.1/24\"]}", INVALID, "ip_addresses[0]",
	     "is not an address"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/024\"]}", INVALID, "ip_addresses[0]",
	     "is not an address"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/8/8\"]}", INVALID, "ip_addresses[0]",
	     "is not an address"},
	    {"{" LOOP ",\"ip_addresses\":[\"0.0.0.0/8\"]}", INVALID, "ip_addresses[0]",
	     "0.0.0.0 is not a host address"},
	    {"{" LOOP ",\"ip_addresses\":[\"224.0.0.1/4\"]}", INVALID, "ip_addresses[0]",
	     "is a multicast address"},
	    {"{" LOOP ",\"ip_addresses\":[\"255.255.255.255/32\"]}", INVALID, "ip_addresses[0]",
	     "is the broadcast address"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/0\"]}", INVALID, "ip_addresses[0]",
	     "needs a prefix length 1..32"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/24\",\"10.0.0.2/24\",\"10.0.0.1/24\"]}",
	     INVALID, "ip_addresses[2]", "'10.0.0.1/24' is listed twice"},
	    {"{" LOOP ",\"ip_addresses\":[\"alloc:\"]}", INVALID, "ip_addresses[0]",
	     "is not an address"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/32\",\"192.168.0.1/31\"]}", OK, NULL, NULL},
	    /* MTU: ligd's L3 range */
	    {"{" LOOP ",\"mtu\":67}", INVALID, "mtu", "67 is out of range (68..65517"},
	    {"{" LOOP ",\"mtu\":65518}", INVALID, "mtu", "out of range"},
	    {"{" LOOP ",\"mtu\":68}", OK, NULL, NULL},
	    {"{" LOOP ",\"mtu\":65517}", OK, NULL, NULL},
	    /* unnumbered, rx modes and placements */
	    {"{" LOOP ",\"unnumbered\":{}}", INVALID, "unnumbered.interface_with_ip", "missing"},
	    {"{" LOOP ",\"unnumbered\":{\"interface_with_ip\":\"a\"},\"ip_addresses\":["
	     "\"10.0.0.1/8\"]}",
	     INVALID, "unnumbered", "no ip_addresses of its own"},
	    {"{" LOOP ",\"rx_modes\":[{\"mode\":\"DEFAULT\"},{}]}", INVALID, "rx_modes[1].mode",
	     "UNKNOWN is no rx mode"},
	    {"{" LOOP ",\"rx_modes\":[{\"mode\":9}]}", INVALID, "rx_modes[0].mode",
	     "9 is not a value"},
	    {"{" LOOP ",\"rx_placements\":[{\"queue\":1},{\"queue\":2},{\"queue\":1}]}", INVALID,
	     "rx_placements[2].queue", "queue 1 is placed twice"},
	    /* memif: ligd's limits */
	    {"{" MEMIF ",\"memif\":{\"mode\":7}}", INVALID, "memif.mode", "7 is not a value"},
	    {"{" MEMIF ",\"memif\":{\"socket_filename\":\"memif.sock\"}}", INVALID,
	     "memif.socket_filename", "'memif.sock' is neither an absolute path nor an @abstract"},
	    {"{" MEMIF ",\"memif\":{\"socket_filename\":\"@\"}}", INVALID, "memif.socket_filename",
	     "a socket path has 2..107"},
	    {"{" MEMIF ",\"memif\":{\"socket_filename\":\"/0123456789012345678901234567890123456789"
	     "0123456789012345678901234567890123456789012345678901234567890123456\"}}",
	     INVALID, "memif.socket_filename", "is 108 characters"},
	    {"{" MEMIF ",\"memif\":{\"secret\":\"0123456789012345678901234\"}}", INVALID,
	     "memif.secret", "25 characters; a secret has at most 24"},
	    {"{" MEMIF ",\"memif\":{\"ring_size\":3}}", INVALID, "memif.ring_size",
	     "3 is not a power of 2 in 2..16384"},
	    {"{" MEMIF ",\"memif\":{\"ring_size\":32768}}", INVALID, "memif.ring_size",
	     "not a power of 2 in 2..16384"},
	    {"{" MEMIF ",\"memif\":{\"buffer_size\":127}}", INVALID, "memif.buffer_size",
	     "127 is out of range (128..65536)"},
	    {"{" MEMIF ",\"memif\":{\"buffer_size\":65537}}", INVALID, "memif.buffer_size",
	     "out of range"},
	    {"{" MEMIF ",\"memif\":{\"rx_queues\":17}}", INVALID, "memif.rx_queues",
	     "17 is out of range (1..16"},
	    {"{" MEMIF ",\"memif\":{\"tx_queues\":17}}", INVALID, "memif.tx_queues",
	     "out of range"},
	    {"{" MEMIF ",\"memif\":{\"mode\":\"IP\",\"master\":true,\"id\":4294967295,"
	     "\"socket_filename\":\"@abstract\",\"secret\":\"012345678901234567890123\","
	     "\"ring_size\":16384,\"buffer_size\":65536,\"rx_queues\":16,\"tx_queues\":16}}",
	     OK, NULL, NULL},
	    {"{" MEMIF ",\"memif\":{\"ring_size\":2,\"buffer_size\":128}}", OK, NULL, NULL},
	    /* tap */
	    {"{" TAP ",\"tap\":{\"version\":3}}", INVALID, "tap.version", "3 is not a TAP version"},
	    {"{" TAP ",\"tap\":{\"host_if_name\":\"a:b\"}}", INVALID, "tap.host_if_name",
	     "is not a Linux interface name"},
	    {"{" TAP ",\"tap\":{\"host_if_name\":\"0123456789abcdef\"}}", INVALID,
	     "tap.host_if_name", "not 1..15 characters"},
	    {"{" TAP ",\"tap\":{\"rx_ring_size\":100}}", INVALID, "tap.rx_ring_size",
	     "100 is not a power of 2"},
	    {"{" TAP ",\"tap\":{\"version\":1,\"host_if_name\":\"0123456789abcde\"}}", OK, NULL,
	     NULL},
	    /* af_packet */
	    {"{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{}}", INVALID,
	     "afpacket.host_if_name", "needs host_if_name or linux_interface"},
	    {"{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{\"host_if_name\":\"e\","
	     "\"linux_interface\":\"v\"}}",
	     INVALID, "afpacket.linux_interface", "not both"},
	    {"{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{\"host_if_name\":\"eth/0\"}}",
	     INVALID, "afpacket.host_if_name", "not a Linux interface name"},
	    {"{\"name\":\"a\",\"type\":\"AF_PACKET\",\"afpacket\":{\"linux_interface\":\"veth1\"}}",
	     OK, NULL, NULL},
	    /* vxlan */
	    {"{" VX ",\"vxlan\":{\"dst_address\":\"10.0.0.2\"}}", INVALID, "vxlan.src_address",
	     "missing"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\"}}", INVALID, "vxlan.dst_address",
	     "missing"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"x\"}}", INVALID,
	     "vxlan.dst_address", "'x' is not an IPv4 or IPv6 address"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1/32\",\"dst_address\":\"10.0.0.2\"}}",
	     INVALID, "vxlan.src_address", "is not an IPv4 or IPv6 address"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"::2\"}}", INVALID,
	     "vxlan.dst_address", "are not of one IP version"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"0.0.0.0\",\"dst_address\":\"10.0.0.2\"}}",
	     INVALID, "vxlan.src_address", "not a host address"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"10.0.0.1\"}}",
	     INVALID, "vxlan.dst_address", "is also the source address"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"10.0.0.2\","
	     "\"vni\":16777216}}",
	     INVALID, "vxlan.vni", "16777216 is out of range (0..16777215)"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"239.0.0.1\"}}",
	     INVALID, "vxlan.multicast", "a multicast dst_address needs the multicast interface"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"10.0.0.2\","
	     "\"gpe\":{}}}",
	     INVALID, "vxlan.gpe.protocol", "missing"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"10.0.0.2\","
	     "\"gpe\":{\"protocol\":\"NSH\",\"decap_vrf_id\":1}}}",
	     INVALID, "vxlan.gpe.decap_vrf_id", "must be 0 unless the protocol is IP4 or IP6"},
	    {"{" VX ",\"vrf\":3,\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":"
	     "\"10.0.0.2\",\"vni\":16777215}}",
	     OK, NULL, NULL},

	    /* ---- what Ligature does not support ---- */
	    {"{\"name\":\"g\",\"type\":\"DPDK\"}", UNSUPPORTED, "type",
	     "DPDK interfaces are not supported"},
	    {"{\"name\":\"s\",\"type\":\"SUB_INTERFACE\",\"sub\":{\"parent_name\":\"p\"}}",
	     UNSUPPORTED, "type", "SUB_INTERFACE interfaces are not supported"},
	    {"{\"name\":\"b\",\"type\":\"BOND_INTERFACE\",\"bond\":{}}", UNSUPPORTED, "type",
	     "BOND_INTERFACE"},
	    {"{\"name\":\"w\",\"type\":\"WIREGUARD_TUNNEL\",\"wireguard\":{}}", UNSUPPORTED, "type",
	     "WIREGUARD_TUNNEL"},
	    {"{" LOOP ",\"ip_addresses\":[\"10.0.0.1/8\",\"2001:db8::1/64\"]}", UNSUPPORTED,
	     "ip_addresses[1]", "'2001:db8::1/64': IPv6 is not supported"},
	    {"{" LOOP ",\"ip_addresses\":[\"alloc:net1\"]}", UNSUPPORTED, "ip_addresses[0]",
	     "netalloc references (alloc:) are not supported"},
	    {"{" LOOP ",\"set_dhcp_client\":true}", UNSUPPORTED, "set_dhcp_client",
	     "ligd has no DHCP client"},
	    {"{" LOOP ",\"ip6_nd\":{}}", UNSUPPORTED, "ip6_nd", "not supported"},
	    {"{" LOOP ",\"unnumbered\":{\"interface_with_ip\":\"a\"}}", UNSUPPORTED, "unnumbered",
	     "ligd has no unnumbered interfaces"},
	    {"{" LOOP ",\"rx_placements\":[{\"main_thread\":true}]}", UNSUPPORTED, "rx_placements",
	     "does not place rx queues"},
	    {"{" TAP ",\"tap\":{},\"rx_modes\":[{\"mode\":\"POLLING\"}]}", UNSUPPORTED,
	     "rx_modes[0]", "rx mode of memif interfaces only"},
	    {"{" TAP ",\"tap\":{},\"rx_modes\":[{\"mode\":\"DEFAULT\",\"default_mode\":true}]}", OK,
	     NULL, NULL},
	    {"{" MEMIF ",\"memif\":{\"rx_queues\":2},\"rx_modes\":[{\"queue\":1,\"mode\":"
	     "\"POLLING\"}]}",
	     UNSUPPORTED, "rx_modes[0]", "a mode for queue 1 alone is not supported"},
	    {"{" MEMIF ",\"memif\":{},\"rx_modes\":[{\"mode\":\"POLLING\",\"default_mode\":true},"
	     "{\"mode\":\"INTERRUPT\",\"default_mode\":true}]}",
	     UNSUPPORTED, "rx_modes[1]", "INTERRUPT differs from rx_modes[0]'s POLLING"},
	    {"{" MEMIF ",\"memif\":{},\"rx_modes\":[{\"mode\":\"POLLING\"}]}", OK, NULL, NULL},
	    {"{" MEMIF ",\"memif\":{},\"rx_modes\":[{\"mode\":\"DEFAULT\",\"default_mode\":true},"
	     "{\"mode\":\"ADAPTIVE\",\"default_mode\":true}]}",
	     OK, NULL, NULL},
	    {"{" MEMIF ",\"memif\":{\"mode\":\"PUNT_INJECT\"}}", UNSUPPORTED, "memif.mode",
	     "PUNT_INJECT is not supported"},
	    {"{" TAP ",\"tap\":{\"to_microservice\":\"ms1\"}}", UNSUPPORTED, "tap.to_microservice",
	     "not supported"},
	    {"{" TAP ",\"tap\":{\"rx_ring_size\":256}}", UNSUPPORTED, "tap.rx_ring_size",
	     "no virtio rings"},
	    {"{" TAP ",\"tap\":{\"tx_ring_size\":256}}", UNSUPPORTED, "tap.tx_ring_size",
	     "no virtio rings"},
	    {"{" TAP ",\"tap\":{\"enable_gso\":true}}", UNSUPPORTED, "tap.enable_gso", "no GSO"},
	    {"{" TAP ",\"tap\":{\"enable_tunnel\":true}}", UNSUPPORTED, "tap.enable_tunnel",
	     "not tun"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"2001:db8::1\",\"dst_address\":\"2001:db8::2\"}}",
	     UNSUPPORTED, "vxlan.src_address", "IPv6 is not supported"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"239.0.0.1\","
	     "\"multicast\":\"loop0\"}}",
	     UNSUPPORTED, "vxlan.dst_address", "multicast VXLAN is not supported"},
	    {"{" VX ",\"vxlan\":{\"src_address\":\"10.0.0.1\",\"dst_address\":\"10.0.0.2\","
	     "\"gpe\":{\"protocol\":\"IP4\",\"decap_vrf_id\":1}}}",
	     UNSUPPORTED, "vxlan.gpe", "VXLAN-GPE is not supported"},
	};
	RUN(LIG_MODEL_VPP_INTERFACE, cases);
}

static void
test_vpp_l2(void **state)
{
	(void)state;
	static const struct ccase bd[] = {
	    {"{\"name\":\"bd\"}", OK, NULL, NULL},
	    {"{}", INVALID, "name", "missing"},
	    {"{\"name\":\"bd\",\"mac_age\":256}", INVALID, "mac_age",
	     "256 minutes is out of range (0..255"},
	    {"{\"name\":\"bd\",\"mac_age\":255}", OK, NULL, NULL},
	    {"{\"name\":\"bd\",\"interfaces\":[{}]}", INVALID, "interfaces[0].name", "missing"},
	    {"{\"name\":\"bd\",\"interfaces\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"a\"}]"
	     "}",
	     INVALID, "interfaces[2].name", "'a' is already interfaces[0]"},
	    {"{\"name\":\"bd\",\"interfaces\":[{\"name\":\"a\",\"bridged_virtual_interface\":true},"
	     "{\"name\":\"b\",\"bridged_virtual_interface\":true}]}",
	     INVALID, "interfaces[1].bridged_virtual_interface",
	     "a bridge domain has one BVI (interfaces[0] is it already)"},
	    {"{\"name\":\"bd\",\"interfaces\":[{\"name\":\"a\",\"split_horizon_group\":256}]}",
	     INVALID, "interfaces[0].split_horizon_group", "256 is out of range (0..255"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"phys_address\":\"02:00:00:00:00:01\"}]"
	     "}",
	     INVALID, "arp_termination_table[0].ip_address", "missing"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"ip_address\":\"10.0.0.256\","
	     "\"phys_address\":\"02:00:00:00:00:01\"}]}",
	     INVALID, "arp_termination_table[0].ip_address", "is not an IPv4 or IPv6 address"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"ip_address\":\"10.0.0.1\","
	     "\"phys_address\":\"02:00:00:00:00:01\"},{\"ip_address\":\"10.0.0.1\","
	     "\"phys_address\":\"02:00:00:00:00:02\"}]}",
	     INVALID, "arp_termination_table[1].ip_address",
	     "'10.0.0.1' is already arp_termination_table[0]"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"ip_address\":\"10.0.0.1\"}]}", INVALID,
	     "arp_termination_table[0].phys_address", "missing"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"ip_address\":\"10.0.0.1\","
	     "\"phys_address\":\"a7:65:f1:b5:dc:f6\"}]}",
	     INVALID, "arp_termination_table[0].phys_address", "is a multicast MAC"},
	    {"{\"name\":\"bd\",\"arp_termination_table\":[{\"ip_address\":\"2001:db8::1\","
	     "\"phys_address\":\"02:00:00:00:00:01\"}]}",
	     UNSUPPORTED, "arp_termination_table[0].ip_address", "IPv6 is not supported"},
	    {"{\"name\":\"bd\",\"flood\":true,\"unknown_unicast_flood\":true,\"forward\":true,"
	     "\"learn\":true,\"arp_termination\":true,\"mac_age\":5,\"interfaces\":[{\"name\":"
	     "\"bvi\",\"bridged_virtual_interface\":true},{\"name\":\"vx\","
	     "\"split_horizon_group\":255}],\"arp_termination_table\":[{\"ip_address\":"
	     "\"10.0.0.1\",\"phys_address\":\"02:00:00:00:00:01\"}]}",
	     OK, NULL, NULL},
	};
	RUN(LIG_MODEL_VPP_BRIDGE_DOMAIN, bd);

	static const struct ccase fib[] = {
	    {"{\"bridge_domain\":\"bd\",\"outgoing_interface\":\"i\"}", INVALID, "phys_address",
	     "missing"},
	    {"{\"phys_address\":\"03:00:00:00:00:01\",\"bridge_domain\":\"bd\","
	     "\"outgoing_interface\":\"i\"}",
	     INVALID, "phys_address", "multicast"},
	    {"{\"phys_address\":\"00:00:00:00:00:00\",\"bridge_domain\":\"bd\","
	     "\"outgoing_interface\":\"i\"}",
	     INVALID, "phys_address", "zero MAC"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"outgoing_interface\":\"i\"}", INVALID,
	     "bridge_domain", "missing"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\"}", INVALID,
	     "outgoing_interface", "missing"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\",\"action\":5}",
	     INVALID, "action", "5 is not a value of ligato.vpp.l2.FIBEntry.Action"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\",\"action\":\"DROP\","
	     "\"outgoing_interface\":\"i\"}",
	     INVALID, "outgoing_interface", "a DROP entry sends frames nowhere"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\",\"action\":\"DROP\","
	     "\"bridged_virtual_interface\":true}",
	     INVALID, "bridged_virtual_interface", "cannot be the BVI"},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\",\"action\":"
	     "\"DROP\",\"static_config\":true}",
	     OK, NULL, NULL},
	    {"{\"phys_address\":\"02:00:00:00:00:01\",\"bridge_domain\":\"bd\","
	     "\"outgoing_interface\":\"i\"}",
	     OK, NULL, NULL},
	};
	RUN(LIG_MODEL_VPP_L2_FIB, fib);

	static const struct ccase xc[] = {
	    {"{\"transmit_interface\":\"t\"}", INVALID, "receive_interface", "missing"},
	    {"{\"receive_interface\":\"r\"}", INVALID, "transmit_interface", "missing"},
	    {"{\"receive_interface\":\"r\",\"transmit_interface\":\"t//\"}", INVALID,
	     "transmit_interface", "cannot be part of a key"},
	    {"{\"receive_interface\":\"r\",\"transmit_interface\":\"t\"}", OK, NULL, NULL},
	};
	RUN(LIG_MODEL_VPP_XCONNECT, xc);
}

static void
test_vpp_l3(void **state)
{
	(void)state;
	static const struct ccase vrf[] = {
	    {"{\"id\":5}", OK, NULL, NULL},
	    {"{}", OK, NULL, NULL},
	    {"{\"id\":4294967295}", OK, NULL, NULL},
	    {"{\"protocol\":3}", INVALID, "protocol", "3 is not a value"},
	    {"{\"label\":\"0123456789012345678901234567890123456789012345678901234567890123\"}",
	     INVALID, "label", "64 characters; at most 63"},
	    {"{\"protocol\":\"IPV6\"}", UNSUPPORTED, "protocol", "IPV6 tables are not supported"},
	    {"{\"label\":\"blue net\"}", OK, NULL, NULL},
	    {"{\"label\":\"a\\\"b\"}", UNSUPPORTED, "label", "printable ASCII but"},
	    {"{\"label\":\"tab\\there\"}", UNSUPPORTED, "label", "printable ASCII but"},
	    {"{\"flow_hash_settings\":{}}", UNSUPPORTED, "flow_hash_settings", "not configurable"},
	};
	RUN(LIG_MODEL_VPP_VRF_TABLE, vrf);

	static const struct ccase route[] = {
	    {"{\"next_hop_addr\":\"10.0.0.1\"}", INVALID, "dst_network", "missing"},
	    {"{\"dst_network\":\"10.0.0.0\",\"next_hop_addr\":\"10.0.0.1\"}", INVALID,
	     "dst_network", "is not an address with a prefix length"},
	    /* as vpp-agent: a destination is a network */
	    {"{\"dst_network\":\"10.10.0.5/24\",\"next_hop_addr\":\"10.0.0.1\"}", INVALID,
	     "dst_network", "'10.10.0.5/24' must be a network address (10.10.0.0/24)"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"10.0.0.x\"}", INVALID,
	     "next_hop_addr", "is not an IPv4 or IPv6 address"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"224.0.0.5\"}", INVALID,
	     "next_hop_addr", "is a multicast address"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"fe80::1\"}", INVALID,
	     "next_hop_addr", "not of the IP version of dst_network"},
	    {"{\"dst_network\":\"10.0.0.0/8\"}", INVALID, "next_hop_addr",
	     "needs a next hop, an outgoing_interface or both"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"0.0.0.0\"}", INVALID,
	     "next_hop_addr", "needs a next hop"},
	    {"{\"type\":\"DROP\",\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"10.0.0.1\"}",
	     INVALID, "next_hop_addr", "a DROP route has no next hop"},
	    {"{\"type\":\"DROP\",\"dst_network\":\"10.0.0.0/8\",\"outgoing_interface\":\"i\"}",
	     INVALID, "outgoing_interface", "a DROP route has no outgoing interface"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"outgoing_interface\":\"i\",\"weight\":256}",
	     INVALID, "weight", "256 is out of range (1..255, 0: 1)"},
	    {"{\"type\":7,\"dst_network\":\"10.0.0.0/8\",\"outgoing_interface\":\"i\"}", INVALID,
	     "type", "7 is not a value of ligato.vpp.l3.Route.RouteType"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"outgoing_interface\":\"i\",\"weight\":255}", OK,
	     NULL, NULL},
	    {"{\"dst_network\":\"0.0.0.0/0\",\"next_hop_addr\":\"192.168.1.1\",\"vrf_id\":7}", OK,
	     NULL, NULL},
	    {"{\"type\":\"DROP\",\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"0.0.0.0\"}", OK,
	     NULL, NULL},
	    {"{\"dst_network\":\"10.1.1.1/32\",\"outgoing_interface\":\"tap1\"}", OK, NULL, NULL},
	    /* unsupported */
	    {"{\"type\":\"INTER_VRF\",\"dst_network\":\"1.2.3.4/32\",\"via_vrf_id\":1}",
	     UNSUPPORTED, "type", "INTER_VRF routes (a lookup in another VRF) are not supported"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"10.0.0.1\",\"via_vrf_id\":2}",
	     UNSUPPORTED, "via_vrf_id", "not supported"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"10.0.0.1\",\"preference\":1}",
	     UNSUPPORTED, "preference", "ligd has no path preference"},
	    {"{\"dst_network\":\"2001:db8::/32\",\"next_hop_addr\":\"2001:db8::1\"}", UNSUPPORTED,
	     "dst_network", "IPv6 is not supported"},
	    {"{\"dst_network\":\"alloc:net1\",\"outgoing_interface\":\"i\"}", UNSUPPORTED,
	     "dst_network", "netalloc"},
	    {"{\"dst_network\":\"10.0.0.0/8\",\"next_hop_addr\":\"alloc:net1/gw\"}", UNSUPPORTED,
	     "next_hop_addr", "netalloc"},
	};
	RUN(LIG_MODEL_VPP_ROUTE, route);

	static const struct ccase arp[] = {
	    {"{\"ip_address\":\"10.0.0.1\",\"phys_address\":\"02:00:00:00:00:01\"}", INVALID,
	     "interface", "missing"},
	    {"{\"interface\":\"i\",\"phys_address\":\"02:00:00:00:00:01\"}", INVALID, "ip_address",
	     "missing"},
	    {"{\"interface\":\"i\",\"ip_address\":\"0.0.0.0\",\"phys_address\":"
	     "\"02:00:00:00:00:01\"}",
	     INVALID, "ip_address", "not a host address"},
	    {"{\"interface\":\"i\",\"ip_address\":\"10.0.0.1/32\",\"phys_address\":"
	     "\"02:00:00:00:00:01\"}",
	     INVALID, "ip_address", "is not an IPv4 or IPv6 address"},
	    {"{\"interface\":\"i\",\"ip_address\":\"10.0.0.1\"}", INVALID, "phys_address",
	     "missing"},
	    {"{\"interface\":\"i\",\"ip_address\":\"10.0.0.1\",\"phys_address\":"
	     "\"59:6C:45:59:8E:BD\"}",
	     INVALID, "phys_address", "is a multicast MAC"},
	    {"{\"interface\":\"i\",\"ip_address\":\"fe80::1\",\"phys_address\":"
	     "\"02:00:00:00:00:01\"}",
	     UNSUPPORTED, "ip_address", "IPv6 is not supported"},
	    {"{\"interface\":\"i\",\"ip_address\":\"10.0.0.1\",\"phys_address\":"
	     "\"02:00:00:00:00:01\",\"static\":true}",
	     OK, NULL, NULL},
	};
	RUN(LIG_MODEL_VPP_ARP, arp);
}

#define VETH "\"name\":\"v1\",\"type\":\"VETH\",\"veth\":{\"peer_if_name\":\"v2\"}"

static void
test_linux(void **state)
{
	(void)state;
	static const struct ccase li[] = {
	    {"{" VETH "}", OK, NULL, NULL},
	    {"{\"type\":\"VETH\",\"veth\":{\"peer_if_name\":\"v2\"}}", INVALID, "name", "missing"},
	    {"{\"name\":\"v1\"}", INVALID, "type", "missing"},
	    {"{\"name\":\"v1\",\"type\":9}", INVALID, "type", "9 is not a value"},
	    {"{\"name\":\"v1\",\"type\":\"VETH\"}", INVALID, "veth",
	     "missing: a VETH interface needs its veth settings"},
	    {"{\"name\":\"v1\",\"type\":\"VETH\",\"tap\":{}}", INVALID, "tap",
	     "does not match type VETH"},
	    {"{\"name\":\"v1\",\"type\":\"VETH\",\"veth\":{}}", INVALID, "veth.peer_if_name",
	     "missing"},
	    {"{\"name\":\"v1\",\"type\":\"VETH\",\"veth\":{\"peer_if_name\":\"v1\"}}", INVALID,
	     "veth.peer_if_name", "is this interface"},
	    {"{\"name\":\"v1\",\"type\":\"VETH\",\"veth\":{\"peer_if_name\":\"v2\","
	     "\"rx_checksum_offloading\":3}}",
	     INVALID, "veth.rx_checksum_offloading", "3 is not a value"},
	    {"{\"name\":\"t1\",\"type\":\"TAP_TO_VPP\",\"tap\":{}}", INVALID, "tap.vpp_tap_if_name",
	     "missing"},
	    {"{\"name\":\"lo\",\"type\":\"LOOPBACK\",\"veth\":{\"peer_if_name\":\"x\"}}", INVALID,
	     "veth", "does not match type LOOPBACK"},
	    {"{" VETH ",\"namespace\":{}}", INVALID, "namespace.type", "missing"},
	    {"{" VETH ",\"namespace\":{\"type\":\"NSID\"}}", INVALID, "namespace.reference",
	     "missing"},
	    {"{" VETH ",\"namespace\":{\"type\":\"NSID\",\"reference\":\"a/b\"}}", INVALID,
	     "namespace.reference", "is not a namespace name"},
	    {"{" VETH ",\"namespace\":{\"type\":\"PID\",\"reference\":\"0\"}}", INVALID,
	     "namespace.reference", "'0' is not a process id"},
	    {"{" VETH ",\"namespace\":{\"type\":\"PID\",\"reference\":\"12a\"}}", INVALID,
	     "namespace.reference", "is not a process id"},
	    {"{" VETH ",\"namespace\":{\"type\":\"FD\",\"reference\":\"ns/net\"}}", INVALID,
	     "namespace.reference", "is not an absolute path"},
	    {"{" VETH ",\"namespace\":{\"type\":7,\"reference\":\"x\"}}", INVALID, "namespace.type",
	     "7 is not a value"},
	    {"{" VETH ",\"host_if_name\":\"0123456789abcdef\"}", INVALID, "host_if_name",
	     "not 1..15 characters"},
	    {"{\"name\":\"a-rather-long-name\",\"type\":\"VETH\",\"veth\":{\"peer_if_name\":"
	     "\"v2\"}}",
	     INVALID, "name", "not 1..15 characters (a Linux interface name)"},
	    {"{\"name\":\"a-rather-long-name\",\"host_if_name\":\"short\",\"type\":\"VETH\","
	     "\"veth\":{\"peer_if_name\":\"v2\"}}",
	     OK, NULL, NULL},
	    {"{" VETH ",\"host_if_name\":\"a b\"}", INVALID, "host_if_name",
	     "not a Linux interface name"},
	    {"{" VETH ",\"mtu\":67}", INVALID, "mtu", "67 is out of range (68..65535"},
	    {"{" VETH ",\"mtu\":65535}", OK, NULL, NULL},
	    {"{" VETH ",\"ip_addresses\":[\"10.0.0.1/24\",\"10.0.0.1/24\"]}", INVALID,
	     "ip_addresses[1]", "listed twice"},
	    {"{" VETH ",\"ip_addresses\":[\"10.0.0.1\"]}", INVALID, "ip_addresses[0]",
	     "with a prefix length"},
	    {"{" VETH ",\"phys_address\":\"33:33:00:00:00:01\"}", INVALID, "phys_address",
	     "multicast"},
	    {"{" VETH ",\"namespace\":{\"type\":\"PID\",\"reference\":\"1234\"}}", OK, NULL, NULL},
	    {"{" VETH ",\"namespace\":{\"type\":\"FD\",\"reference\":\"/proc/1/ns/net\"}}", OK,
	     NULL, NULL},
	    {"{\"name\":\"v1\",\"type\":\"VETH\",\"veth\":{\"peer_if_name\":\"v2\",\"rx_checksum_"
	     "offloading\":"
	     "\"CHKSM_OFFLOAD_DISABLED\",\"tx_checksum_offloading\":\"CHKSM_OFFLOAD_ENABLED\"}}",
	     OK, NULL, NULL},
	    {"{\"name\":\"lo\",\"type\":\"LOOPBACK\",\"namespace\":{\"type\":\"NSID\","
	     "\"reference\":\"ns1\"},\"enabled\":true,\"ip_addresses\":[\"127.0.0.2/8\"]}",
	     OK, NULL, NULL},
	    {"{\"name\":\"e\",\"type\":\"EXISTING\",\"host_if_name\":\"eth0\","
	     "\"ip_addresses\":[\"10.0.0.1/24\"]}",
	     OK, NULL, NULL},
	    {"{\"name\":\"e\",\"type\":\"EXISTING\",\"namespace\":{\"type\":\"NSID\","
	     "\"reference\":\"ns1\"}}",
	     INVALID, "namespace", "agent's namespace"},
	    {"{" VETH ",\"namespace\":{\"type\":\"MICROSERVICE\",\"reference\":\"ms1\"}}", OK, NULL,
	     NULL},
	    /* unsupported */
	    {"{\"name\":\"d\",\"type\":\"DUMMY\"}", UNSUPPORTED, "type", "DUMMY"},
	    {"{\"name\":\"r\",\"type\":\"VRF_DEVICE\",\"vrf_dev\":{\"routing_table\":10}}",
	     UNSUPPORTED, "type", "VRF_DEVICE"},
	    {"{" VETH ",\"ip_addresses\":[\"fd00::1/64\"]}", UNSUPPORTED, "ip_addresses[0]",
	     "IPv6 is not supported"},
	    {"{\"name\":\"lo\",\"type\":\"LOOPBACK\",\"phys_address\":\"02:00:00:00:00:01\"}",
	     UNSUPPORTED, "phys_address", "a loopback has no MAC"},
	    {"{" VETH ",\"link_only\":true}", UNSUPPORTED, "link_only", "not supported"},
	    {"{" VETH ",\"vrf_master_interface\":\"vrf1\"}", UNSUPPORTED, "vrf_master_interface",
	     "Linux VRFs are not supported"},
	};
	RUN(LIG_MODEL_LINUX_INTERFACE, li);

	static const struct ccase route[] = {
	    {"{\"dst_network\":\"10.0.0.0/8\"}", INVALID, "outgoing_interface", "missing"},
	    {"{\"outgoing_interface\":\"v\"}", INVALID, "dst_network", "missing"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.1/8\"}", INVALID,
	     "dst_network", "must be a network address (10.0.0.0/8)"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"gw_addr\":\"x\"}",
	     INVALID, "gw_addr", "is not an IPv4 or IPv6 address"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"gw_addr\":"
	     "\"10.0.0.1\",\"scope\":\"LINK\"}",
	     INVALID, "gw_addr", "a LINK scope route has no gateway"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"scope\":9}", INVALID,
	     "scope", "9 is not a value of ligato.linux.l3.Route.Scope"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"gw_addr\":\"::1\"}",
	     INVALID, "gw_addr", "not of the IP version"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"scope\":\"LINK\"}", OK,
	     NULL, NULL},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"0.0.0.0/0\",\"gw_addr\":\"10.0.0.1\","
	     "\"metric\":4294967295}",
	     OK, NULL, NULL},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"::/0\",\"gw_addr\":\"fe80::1\"}",
	     UNSUPPORTED, "dst_network", "IPv6 is not supported"},
	    {"{\"outgoing_interface\":\"v\",\"dst_network\":\"10.0.0.0/8\",\"gw_addr\":"
	     "\"alloc:net1/gw\"}",
	     UNSUPPORTED, "gw_addr", "netalloc"},
	};
	RUN(LIG_MODEL_LINUX_ROUTE, route);

	static const struct ccase arp[] = {
	    {"{\"ip_address\":\"10.0.0.1\",\"hw_address\":\"02:00:00:00:00:01\"}", INVALID,
	     "interface", "missing"},
	    {"{\"interface\":\"v\",\"hw_address\":\"02:00:00:00:00:01\"}", INVALID, "ip_address",
	     "missing"},
	    {"{\"interface\":\"v\",\"ip_address\":\"10.0.0.1\"}", INVALID, "hw_address", "missing"},
	    {"{\"interface\":\"v\",\"ip_address\":\"10.0.0.1\",\"hw_address\":\"x\"}", INVALID,
	     "hw_address", "'x' is not a MAC address"},
	    {"{\"interface\":\"v\",\"ip_address\":\"10.0.0.1\",\"hw_address\":"
	     "\"01:00:5e:00:00:01\"}",
	     OK, NULL, NULL},
	    {"{\"interface\":\"v\",\"ip_address\":\"fe80::2\",\"hw_address\":"
	     "\"02:00:00:00:00:01\"}",
	     UNSUPPORTED, "ip_address", "IPv6 is not supported"},
	};
	RUN(LIG_MODEL_LINUX_ARP, arp);
}

static void
test_address_parsers(void **state)
{
	(void)state;
	uint8_t m[6], a[4], len;

	assert_int_equal(lig_model_mac_parse("7C:4E:E7:8A:63:68", m), 0);
	assert_memory_equal(m, "\x7c\x4e\xe7\x8a\x63\x68", 6);
	assert_int_equal(lig_model_mac_parse("7c-4e-e7-8a-63-68", m), 0);
	assert_memory_equal(m, "\x7c\x4e\xe7\x8a\x63\x68", 6);
	assert_int_equal(lig_model_mac_parse("7c4e.e78a.6368", m), 0);
	assert_memory_equal(m, "\x7c\x4e\xe7\x8a\x63\x68", 6);
	const char *bad_macs[] = {"",
				  "7C:4E:E7:8A:63",
				  "7C:4E:E7:8A:63:68:",
				  "7C:4E:E7:8A:63:6",
				  "7C4EE78A6368",
				  "7C:4E-E7:8A:63:68",
				  "02:00:5e:10:00:00:00:01", /* EUI-64: not an Ethernet MAC */
				  "7c4e.e78a.636",
				  "7c4e:e78a:6368",
				  " 7C:4E:E7:8A:63:68"};
	for (size_t i = 0; i < sizeof(bad_macs) / sizeof(bad_macs[0]); i++)
		assert_int_equal(lig_model_mac_parse(bad_macs[i], m), -EINVAL);

	assert_int_equal(lig_model_ip4_parse("192.168.1.254", a), 0);
	assert_memory_equal(a, "\xc0\xa8\x01\xfe", 4);
	assert_int_equal(lig_model_ip4_parse("0.0.0.0", a), 0);
	const char *bad_ips[] = {"",	      "1.2.3",	  "1.2.3.4.",  "1.2.3.256",
				 "01.2.3.4",  "1.2.3.4 ", "1..3.4",    "-1.2.3.4",
				 "1.2.3.4/8", "::1",	  "1.2.3.0004"};
	for (size_t i = 0; i < sizeof(bad_ips) / sizeof(bad_ips[0]); i++)
		assert_int_equal(lig_model_ip4_parse(bad_ips[i], a), -EINVAL);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3/0", a, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3/32", a, &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(a, "\x0a\x01\x02\x03", 4);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3/33", a, &len), -EINVAL);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3/", a, &len), -EINVAL);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3", a, &len), -EINVAL);
	assert_int_equal(lig_model_ip4_prefix_parse("10.1.2.3/08", a, &len), -EINVAL);
	assert_true(lig_model_is_ip6("2001:db8::1", false));
	assert_true(lig_model_is_ip6("::", false));
	assert_true(lig_model_is_ip6("2001:db8::/32", true));
	assert_false(lig_model_is_ip6("2001:db8::/32", false));
	assert_false(lig_model_is_ip6("2001:db8::/129", true));
	assert_false(lig_model_is_ip6("10.0.0.1", true));
	assert_false(lig_model_is_ip6("2001:db8:::1", false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vpp_interface),   cmocka_unit_test(test_vpp_l2),
	    cmocka_unit_test(test_vpp_l3),	    cmocka_unit_test(test_linux),
	    cmocka_unit_test(test_address_parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* vpp-agent's own example values, verbatim (tests/examples/, also the fuzz target's seeds):
 * each decodes as its model; its check (validate + check_supported) gives the outcome listed
 * here, naming the field when it refuses; it encodes to the canonical JSON listed here, which
 * decodes back equal; the key its source stores it under parses to the same model, and agrees
 * with the value or names the part that differs.
 *
 * Sources (each entry says which):
 * - DOCS: github.com/ligato/docs at 1f61565a4aee26574926a930c6189b3557ab7d9e, vpp-agent's
 *   documentation (docs.ligato.io): JSON blocks and `agentctl kvdb put` / `etcdctl put`
 *   commands (file:line of the command or the block's lines); REST dump samples in
 *   docs/api/api-vpp-agent.md are protojson output (lowerCamelCase), the model object inside
 *   each dump entry is taken as it is written there.
 * - AGENT: github.com/ligato/vpp-agent at 723f8db0b, file:line.
 * - ROBOT: vpp-agent's robot test resources (tests/robot/resources/<name>.json, templates) with the
 *   values one of its suites fills in (tests/robot/suites/..., file:line of the call). */
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
	OK,	     /* valid and supported */
	INVALID,     /* validate refuses it (field) */
	UNSUPPORTED, /* check_supported refuses it (field) */
};

static const struct example {
	const char *file;
	enum lig_model_id model;
	const char *source;
	const char *key; /* the key the source stores it under */
	enum outcome outcome;
	const char *field;    /* the field the check names */
	const char *key_diff; /* NULL: key and value agree; else the value field that differs */
	const char *canonical;
} examples[] = {
    /* ---- VPP interfaces ---- */
    {"docs-vpp-interface-loop1.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/plugins/vpp-plugins.md:226-238 (block), key from :242",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1", OK, NULL, NULL,
     "{\"name\":\"loop1\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true,\"physAddress\":"
     "\"7C:4E:E7:8A:63:68\",\"ipAddresses\":[\"192.168.25.3/24\",\"172.125.45.1/24\"],\"mtu\":"
     "1478}"},
    {"docs-vpp-interface-loop1-put.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/plugins/vpp-plugins.md:242", "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1", OK,
     NULL, NULL,
     "{\"name\":\"loop1\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true,\"physAddress\":"
     "\"7C:4E:E7:8A:63:68\",\"ipAddresses\":[\"192.168.25.3/24\",\"172.125.45.1/24\"],\"mtu\":"
     "1478}"},
    {"docs-vpp-interface-memif1.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/plugins/vpp-plugins.md:246-263 (block), key from :267",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/memif1", OK, NULL, NULL,
     "{\"name\":\"memif1\",\"type\":\"MEMIF\",\"enabled\":true,\"physAddress\":"
     "\"4E:93:2A:38:A7:77\",\"ipAddresses\":[\"172.125.40.1/24\"],\"mtu\":1478,\"memif\":{"
     "\"master\":true,\"id\":1,\"socketFilename\":\"/tmp/memif1.sock\",\"secret\":\"secret\"}}"},
    {"docs-quickstart-loop1.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/user-guide/quickstart.md:236", "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop1", OK,
     NULL, NULL,
     "{\"name\":\"loop1\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true,\"ipAddresses\":["
     "\"192.168.1.1/24\"]}"},
    {"docs-concepts-if1.json", LIG_MODEL_VPP_INTERFACE, "DOCS docs/user-guide/concepts.md:822",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/if1", OK, NULL, NULL,
     "{\"name\":\"if1\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true}"},
    {"agent-agentctl-import-loop1.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT cmd/agentctl/commands/import.go:60 (a short key)", "config/vpp/v2/interfaces/loop1", OK,
     NULL, NULL, "{\"name\":\"loop1\",\"type\":\"SOFTWARE_LOOPBACK\"}"},
    {"agent-example-etcd-tap0.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT examples/localclient_with_etcd/apply_config_via_etcd.sh:3-4",
     "/vnf-agent/example-agent/config/vpp/v2/interfaces/tap0", OK, NULL, NULL,
     "{\"name\":\"tap0\",\"type\":\"TAP\",\"enabled\":true,\"ipAddresses\":[\"10.10.1.2/24\"],"
     "\"tap\":{\"version\":2,\"hostIfName\":\"vpptap0\"}}"},
    {"agent-example-etcd-tap1.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT examples/localclient_with_etcd/apply_config_via_etcd.sh:6-7",
     "/vnf-agent/example-agent/config/vpp/v2/interfaces/tap1", OK, NULL, NULL,
     "{\"name\":\"tap1\",\"type\":\"TAP\",\"enabled\":true,\"ipAddresses\":[\"10.20.1.2/24\"],"
     "\"tap\":{\"version\":2,\"hostIfName\":\"vpptap1\"}}"},
    /* "version": "2": a uint32 as a string */
    {"agent-e2e-agentctl-tap1.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT tests/e2e/100_agentctl_test.go:42 (a short key)", "config/vpp/v2/interfaces/tap1", OK,
     NULL, NULL,
     "{\"name\":\"tap1\",\"type\":\"TAP\",\"enabled\":true,\"ipAddresses\":[\"10.10.10.10/24\"],"
     "\"tap\":{\"version\":2}}"},
    {"agent-e2e-loop-from-etcd.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT tests/e2e/001_init_config_test.go:79-80 (label: the test's agent)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/loop-test-from-etcd", OK, NULL, NULL,
     "{\"name\":\"loop-test-from-etcd\",\"type\":\"SOFTWARE_LOOPBACK\",\"enabled\":true,"
     "\"ipAddresses\":[\"10.10.1.2/24\"],\"mtu\":9000}"},
    {"agent-e2e-memif-from-etcd.json", LIG_MODEL_VPP_INTERFACE,
     "AGENT tests/e2e/001_init_config_test.go:118-130 (label: the test's agent)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/memif-from-etcd", OK, NULL, NULL,
     "{\"name\":\"memif-from-etcd\",\"type\":\"MEMIF\",\"enabled\":true,\"ipAddresses\":["
     "\"10.10.1.1/32\"],\"mtu\":1500,\"memif\":{\"id\":1,\"socketFilename\":"
     "\"/run/vpp/default.sock\"}}"},
    {"robot-afpacket-vpp1_afpacket1.json", LIG_MODEL_VPP_INTERFACE,
     "ROBOT resources/afpacket_interface.json with suites/crud/bd_crud.robot:46",
     "/vnf-agent/agent_vpp_1/config/vpp/v2/interfaces/vpp1_afpacket1", OK, NULL, NULL,
     "{\"name\":\"vpp1_afpacket1\",\"type\":\"AF_PACKET\",\"enabled\":true,\"physAddress\":"
     "\"a2:a1:a1:a1:a1:a1\",\"mtu\":1500,\"afpacket\":{\"hostIfName\":\"vpp1_veth2\"}}"},
    {"robot-vxlan-vpp1_vxlan1.json", LIG_MODEL_VPP_INTERFACE,
     "ROBOT resources/vxlan_interface.json with suites/crud/bd_crud.robot:47",
     "/vnf-agent/agent_vpp_1/config/vpp/v2/interfaces/vpp1_vxlan1", OK, NULL, NULL,
     "{\"name\":\"vpp1_vxlan1\",\"type\":\"VXLAN_TUNNEL\",\"enabled\":true,\"vxlan\":{"
     "\"srcAddress\":\"192.168.1.1\",\"dstAddress\":\"192.168.1.2\",\"vni\":5}}"},
    {"docs-rest-vpp-interface-vxlan.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:325-334 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/vxlan-default-2", OK, NULL, NULL,
     "{\"name\":\"vxlan-default-2\",\"type\":\"VXLAN_TUNNEL\",\"enabled\":true,\"vxlan\":{"
     "\"srcAddress\":\"192.168.16.1\",\"dstAddress\":\"192.168.16.2\",\"vni\":10}}"},
    /* VPP reports ring size 1 for a memif that never connected; ligd needs a power of 2 */
    {"docs-rest-vpp-interface-memif.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:440-454 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/mem01", INVALID, "memif.ring_size", NULL,
     "{\"name\":\"mem01\",\"type\":\"MEMIF\",\"enabled\":true,\"physAddress\":"
     "\"02:00:00:00:00:03\",\"ipAddresses\":[\"100.100.100.102/24\"],\"mtu\":1500,\"memif\":{"
     "\"id\":2,\"socketFilename\":\"/run/vpp/memif.sock\",\"ringSize\":1}}"},
    {"docs-rest-vpp-interface-tap.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:375-400 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/tap-vpp2", UNSUPPORTED, "rx_placements", NULL,
     "{\"name\":\"tap-vpp2\",\"type\":\"TAP\",\"enabled\":true,\"physAddress\":"
     "\"34:3c:00:00:00:01\",\"ipAddresses\":[\"172.30.1.1/24\"],\"mtu\":1450,\"rxModes\":[{"
     "\"mode\":\"POLLING\"}],\"rxPlacements\":[{\"mainThread\":true}],\"tap\":{\"version\":2,"
     "\"hostIfName\":\"tap-1755813745\",\"rxRingSize\":1024,\"txRingSize\":1024}}"},
    {"docs-rest-vpp-interface-dpdk.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:160-179 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/GigabitEthernet0/8/0", UNSUPPORTED, "type", NULL,
     "{\"name\":\"GigabitEthernet0/8/0\",\"type\":\"DPDK\",\"enabled\":true,\"physAddress\":"
     "\"08:00:27:e9:b9:9b\",\"ipAddresses\":[\"192.168.16.1/24\"],\"mtu\":9206,\"rxModes\":[{"
     "\"mode\":\"POLLING\"}],\"rxPlacements\":[{\"mainThread\":true}]}"},
    /* VPP's local0 as vpp-agent retrieves it (OBTAINED): its zero MAC is no address to set */
    {"docs-rest-vpp-interface-local0.json", LIG_MODEL_VPP_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:220-224 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/interfaces/UNTAGGED-local0", INVALID, "phys_address", NULL,
     "{\"name\":\"UNTAGGED-local0\",\"type\":\"SOFTWARE_LOOPBACK\",\"physAddress\":"
     "\"00:00:00:00:00:00\"}"},

    /* ---- bridge domains ---- */
    /* The documentation's bridge domain lists if2 twice (and its ARP-termination MACs are
     * multicast): refused with the first reason. */
    {"docs-vpp-bridge-domain-bd1.json", LIG_MODEL_VPP_BRIDGE_DOMAIN,
     "DOCS docs/plugins/vpp-plugins.md:457-491 (block), key from :496",
     "/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/bd1", INVALID, "interfaces[2].name", NULL,
     "{\"name\":\"bd1\",\"flood\":true,\"unknownUnicastFlood\":true,\"forward\":true,\"learn\":"
     "true,\"arpTermination\":true,\"interfaces\":[{\"name\":\"if1\",\"bridgedVirtualInterface\":"
     "true},{\"name\":\"if2\"},{\"name\":\"if2\"}],\"arpTerminationTable\":[{\"ipAddress\":"
     "\"192.168.10.10\",\"physAddress\":\"a7:65:f1:b5:dc:f6\"},{\"ipAddress\":\"10.10.0.1\","
     "\"physAddress\":\"59:6C:45:59:8E:BC\"}]}"},
    {"docs-quickstart-bd1.json", LIG_MODEL_VPP_BRIDGE_DOMAIN,
     "DOCS docs/user-guide/quickstart.md:245", "/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/bd1",
     OK, NULL, NULL,
     "{\"name\":\"bd1\",\"forward\":true,\"learn\":true,\"interfaces\":[{\"name\":\"loop1\"}]}"},
    {"docs-concepts-bd1.json", LIG_MODEL_VPP_BRIDGE_DOMAIN, "DOCS docs/user-guide/concepts.md:782",
     "/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/bd1", OK, NULL, NULL,
     "{\"name\":\"bd1\",\"interfaces\":[{\"name\":\"if1\"}]}"},
    {"agent-agentctl-import-bd1.json", LIG_MODEL_VPP_BRIDGE_DOMAIN,
     "AGENT cmd/agentctl/commands/import.go:61 (a short key)", "config/vpp/l2/v2/bridge-domain/bd1",
     OK, NULL, NULL, "{\"name\":\"bd1\"}"},
    {"docs-rest-vpp-bridge-domain.json", LIG_MODEL_VPP_BRIDGE_DOMAIN,
     "DOCS docs/api/api-vpp-agent.md:567-581 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/l2/v2/bridge-domain/vxlanBD", OK, NULL, NULL,
     "{\"name\":\"vxlanBD\",\"forward\":true,\"interfaces\":[{\"name\":\"vxlanBVI\","
     "\"bridgedVirtualInterface\":true,\"splitHorizonGroup\":1},{\"name\":\"vxlan-default-2\","
     "\"splitHorizonGroup\":1}]}"},

    /* ---- L2 FIB, cross-connects ---- */
    {"docs-vpp-l2-fib.json", LIG_MODEL_VPP_L2_FIB,
     "DOCS docs/plugins/vpp-plugins.md:593-602 (block), key from :606",
     "/vnf-agent/vpp1/config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:5C", OK, NULL, NULL,
     "{\"physAddress\":\"62:89:C6:A3:6D:5C\",\"bridgeDomain\":\"bd1\",\"outgoingInterface\":"
     "\"tap1\",\"staticConfig\":true}"},
    {"docs-concepts-fib.json", LIG_MODEL_VPP_L2_FIB, "DOCS docs/user-guide/concepts.md:766",
     "/vnf-agent/vpp1/config/vpp/l2/v2/fib/bd1/mac/62:89:C6:A3:6D:5C", OK, NULL, NULL,
     "{\"physAddress\":\"62:89:C6:A3:6D:5C\",\"bridgeDomain\":\"bd1\",\"outgoingInterface\":"
     "\"if1\"}"},
    {"docs-rest-vpp-l2-fib-bvi.json", LIG_MODEL_VPP_L2_FIB,
     "DOCS docs/api/api-vpp-agent.md:600-606 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/l2/v2/fib/vxlanBD/mac/12:2b:00:00:00:01", OK, NULL, NULL,
     "{\"physAddress\":\"12:2b:00:00:00:01\",\"bridgeDomain\":\"vxlanBD\",\"outgoingInterface\":"
     "\"vxlanBVI\",\"staticConfig\":true,\"bridgedVirtualInterface\":true}"},
    {"docs-rest-vpp-l2-fib.json", LIG_MODEL_VPP_L2_FIB,
     "DOCS docs/api/api-vpp-agent.md:613-618 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/l2/v2/fib/vxlanBD/mac/12:2b:00:00:00:02", OK, NULL, NULL,
     "{\"physAddress\":\"12:2b:00:00:00:02\",\"bridgeDomain\":\"vxlanBD\",\"outgoingInterface\":"
     "\"vxlan-default-2\",\"staticConfig\":true}"},
    {"docs-vpp-xconnect.json", LIG_MODEL_VPP_XCONNECT,
     "DOCS docs/plugins/vpp-plugins.md:697-702 (block), key from :706",
     "/vnf-agent/vpp1/config/vpp/l2/v2/xconnect/if1", OK, NULL, NULL,
     "{\"receiveInterface\":\"if1\",\"transmitInterface\":\"if2\"}"},

    /* ---- VRF tables, routes, ARP ---- */
    {"robot-vrf-table-1.json", LIG_MODEL_VPP_VRF_TABLE,
     "ROBOT resources/vrf.json with suites/crud/inter_vrf_routing_crud.robot:40",
     "/vnf-agent/agent_vpp_1/config/vpp/v2/vrf-table/id/1/protocol/IPV4", OK, NULL, NULL,
     "{\"id\":1}"},
    /* The block's value has an outgoing interface the key (written without if/tap1/) does
     * not name: vpp-agent uses the value; lig_model_key_check says where they differ. */
    {"docs-vpp-route-intra-vrf.json", LIG_MODEL_VPP_ROUTE,
     "DOCS docs/plugins/vpp-plugins.md:1030-1038 (block), key from :1042",
     "/vnf-agent/vpp1/config/vpp/v2/route/vrf/0/dst/10.1.1.3/32/gw/192.168.1.13", OK, NULL,
     "outgoing_interface",
     "{\"dstNetwork\":\"10.1.1.3/32\",\"nextHopAddr\":\"192.168.1.13\",\"outgoingInterface\":"
     "\"tap1\",\"weight\":6}"},
    {"docs-vpp-route-inter-vrf.json", LIG_MODEL_VPP_ROUTE,
     "DOCS docs/plugins/vpp-plugins.md:1046-1052 (block), key from :1056 (ends in /gw)",
     "/vnf-agent/vpp1/config/vpp/v2/route/vrf/0/dst/1.2.3.4/32/gw", UNSUPPORTED, "type", NULL,
     "{\"type\":\"INTER_VRF\",\"dstNetwork\":\"1.2.3.4/32\",\"viaVrfId\":1}"},
    /* The key says VRF 1, the value none (0): vpp-agent installs it in VRF 0. */
    {"docs-get-vpp-agent-route.json", LIG_MODEL_VPP_ROUTE,
     "DOCS docs/user-guide/get-vpp-agent.md:414-417",
     "/vnf-agent/vpp1/config/vpp/v2/route/vrf/1/dst/10.1.1.3/32/gw/192.168.1.13", OK, NULL,
     "vrf_id", "{\"dstNetwork\":\"10.1.1.3/32\",\"nextHopAddr\":\"192.168.1.13\"}"},
    {"agent-agentctl-kvdb-route.json", LIG_MODEL_VPP_ROUTE,
     "AGENT cmd/agentctl/commands/kvdb.go:147-152",
     "/vnf-agent/vpp1/config/vpp/v2/route/vrf/1/dst/10.1.1.3/32/gw/192.168.1.13", UNSUPPORTED,
     "type", NULL,
     "{\"type\":\"INTER_VRF\",\"vrfId\":1,\"dstNetwork\":\"10.1.1.3/32\",\"nextHopAddr\":"
     "\"192.168.1.13\"}"},
    {"docs-rest-vpp-route-default.json", LIG_MODEL_VPP_ROUTE,
     "DOCS docs/api/api-vpp-agent.md:646-651 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/route/if/GigabitEthernet0/8/0/vrf/0/dst/0.0.0.0/0/gw/"
     "192.168.16.100",
     OK, NULL, NULL,
     "{\"dstNetwork\":\"0.0.0.0/0\",\"nextHopAddr\":\"192.168.16.100\",\"outgoingInterface\":"
     "\"GigabitEthernet0/8/0\",\"weight\":1}"},
    {"docs-rest-vpp-route-drop.json", LIG_MODEL_VPP_ROUTE,
     "DOCS docs/api/api-vpp-agent.md:671-676 (REST dump, type as a number)",
     "/vnf-agent/vpp1/config/vpp/v2/route/vrf/0/dst/240.0.0.0/4/gw/0.0.0.0", OK, NULL, NULL,
     "{\"type\":\"DROP\",\"dstNetwork\":\"240.0.0.0/4\",\"nextHopAddr\":\"0.0.0.0\",\"weight\":"
     "1}"},
    /* The documentation's ARP MAC 59:6C:... is a multicast address; ligd's neighbours are
     * unicast. The block names interface if1, its key tap1. */
    {"docs-vpp-arp.json", LIG_MODEL_VPP_ARP,
     "DOCS docs/plugins/vpp-plugins.md:799-806 (block), key from :809",
     "/vnf-agent/vpp1/config/vpp/v2/arp/tap1/192.168.10.21", INVALID, "phys_address", "interface",
     "{\"interface\":\"if1\",\"ipAddress\":\"192.168.10.21\",\"physAddress\":"
     "\"59:6C:45:59:8E:BD\",\"static\":true}"},
    {"docs-vpp-arp-put.json", LIG_MODEL_VPP_ARP, "DOCS docs/plugins/vpp-plugins.md:809",
     "/vnf-agent/vpp1/config/vpp/v2/arp/tap1/192.168.10.21", INVALID, "phys_address", NULL,
     "{\"interface\":\"tap1\",\"ipAddress\":\"192.168.10.21\",\"physAddress\":"
     "\"59:6C:45:59:8E:BD\",\"static\":true}"},
    {"docs-rest-vpp-arp.json", LIG_MODEL_VPP_ARP,
     "DOCS docs/api/api-vpp-agent.md:710-714 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/arp/GigabitEthernet0/8/0/192.168.16.100", OK, NULL, NULL,
     "{\"interface\":\"GigabitEthernet0/8/0\",\"ipAddress\":\"192.168.16.100\",\"physAddress\":"
     "\"08:00:27:c9:c3:7a\"}"},
    {"docs-rest-vpp-arp-static.json", LIG_MODEL_VPP_ARP,
     "DOCS docs/api/api-vpp-agent.md:720-725 (REST dump)",
     "/vnf-agent/vpp1/config/vpp/v2/arp/vxlanBVI/192.168.30.2", OK, NULL, NULL,
     "{\"interface\":\"vxlanBVI\",\"ipAddress\":\"192.168.30.2\",\"physAddress\":"
     "\"12:2b:00:00:00:02\",\"static\":true}"},

    /* ---- Linux ---- */
    {"docs-linux-interface-veth1.json", LIG_MODEL_LINUX_INTERFACE,
     "DOCS docs/plugins/linux-plugins.md:90-109 (block), key from :157",
     "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth1", OK, NULL, NULL,
     "{\"name\":\"veth1\",\"type\":\"VETH\",\"namespace\":{\"type\":\"NSID\",\"reference\":"
     "\"ns1\"},\"enabled\":true,\"ipAddresses\":[\"192.168.22.1/24\",\"10.0.2.2/24\"],"
     "\"physAddress\":\"D2:74:8C:12:67:D2\",\"mtu\":1500,\"veth\":{\"peerIfName\":\"veth2\"}}"},
    {"docs-linux-interface-veth2.json", LIG_MODEL_LINUX_INTERFACE,
     "DOCS docs/plugins/linux-plugins.md:112-130 (block), key from :160",
     "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth2", OK, NULL, NULL,
     "{\"name\":\"veth2\",\"type\":\"VETH\",\"namespace\":{\"type\":\"NSID\",\"reference\":"
     "\"ns2\"},\"enabled\":true,\"ipAddresses\":[\"192.168.22.5/24\"],\"physAddress\":"
     "\"92:C7:42:67:AB:CD\",\"mtu\":1500,\"veth\":{\"peerIfName\":\"veth1\"}}"},
    {"docs-linux-interface-tap1.json", LIG_MODEL_LINUX_INTERFACE,
     "DOCS docs/plugins/linux-plugins.md:133-152 (block), key from :163",
     "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/tap1", OK, NULL, NULL,
     "{\"name\":\"tap1\",\"type\":\"TAP_TO_VPP\",\"namespace\":{\"type\":\"NSID\",\"reference\":"
     "\"ns2\"},\"hostIfName\":\"tap-host\",\"enabled\":true,\"ipAddresses\":["
     "\"172.52.45.127/24\"],\"physAddress\":\"BC:FE:E9:5E:07:04\",\"mtu\":1500,\"tap\":{"
     "\"vppTapIfName\":\"tap-host\"}}"},
    /* namespace type as a number (1: NSID) */
    {"robot-linux-veth-ns1_veth1.json", LIG_MODEL_LINUX_INTERFACE,
     "ROBOT resources/linux_veth_interface.json with suites/crud/linux_ip_route_crud.robot:35",
     "/vnf-agent/agent_vpp_1/config/linux/interfaces/v2/interface/ns1_veth1", OK, NULL, NULL,
     "{\"name\":\"ns1_veth1\",\"type\":\"VETH\",\"namespace\":{\"type\":\"NSID\",\"reference\":"
     "\"ns1\"},\"hostIfName\":\"ns1_veth1_linux\",\"enabled\":true,\"ipAddresses\":["
     "\"192.168.22.1/24\"],\"physAddress\":\"d2:74:8c:12:67:d2\",\"mtu\":1500,\"veth\":{"
     "\"peerIfName\":\"ns2_veth2\"}}"},
    {"docs-rest-linux-interface-tap.json", LIG_MODEL_LINUX_INTERFACE,
     "DOCS docs/api/api-vpp-agent.md:1065-1076 (REST dump)",
     "/vnf-agent/vpp1/config/linux/interfaces/v2/interface/tap-vpp1", OK, NULL, NULL,
     "{\"name\":\"tap-vpp1\",\"type\":\"TAP_TO_VPP\",\"hostIfName\":\"vpp1\",\"enabled\":true,"
     "\"ipAddresses\":[\"172.30.1.2/24\"],\"physAddress\":\"ca:aa:bc:5d:76:9c\",\"mtu\":1450,"
     "\"tap\":{\"vppTapIfName\":\"tap-vpp2\"}}"},
    {"docs-linux-arp.json", LIG_MODEL_LINUX_ARP,
     "DOCS docs/plugins/linux-plugins.md:304-310 (block), key from :314",
     "/vnf-agent/vpp1/config/linux/l3/v2/arp/veth1/130.0.0.1", OK, NULL, NULL,
     "{\"interface\":\"veth1\",\"ipAddress\":\"130.0.0.1\",\"hwAddress\":"
     "\"46:06:18:DB:05:3A\"}"},
    {"docs-rest-linux-arp.json", LIG_MODEL_LINUX_ARP,
     "DOCS docs/api/api-vpp-agent.md:1104-1108 (REST dump)",
     "/vnf-agent/vpp1/config/linux/l3/v2/arp/"
     "linux-tap-61c1f434be0396de2d2347cbebc51a822799f3ee78f0f98a101a8/10.1.1.1",
     OK, NULL, NULL,
     "{\"interface\":\"linux-tap-61c1f434be0396de2d2347cbebc51a822799f3ee78f0f98a101a8\","
     "\"ipAddress\":\"10.1.1.1\",\"hwAddress\":\"02:fe:af:aa:51:e6\"}"},
    /* The block's outgoing interface is linuxIf1, its key's veth1. */
    {"docs-linux-route.json", LIG_MODEL_LINUX_ROUTE,
     "DOCS docs/plugins/linux-plugins.md:405-412 (block), key from :416",
     "/vnf-agent/vpp1/config/linux/l3/v2/route/10.0.2.0/24/veth1", OK, NULL, "outgoing_interface",
     "{\"outgoingInterface\":\"linuxIf1\",\"scope\":\"GLOBAL\",\"dstNetwork\":\"10.0.2.0/24\","
     "\"metric\":100}"},
    {"docs-linux-route-put.json", LIG_MODEL_LINUX_ROUTE, "DOCS docs/plugins/linux-plugins.md:416",
     "/vnf-agent/vpp1/config/linux/l3/v2/route/10.0.2.0/24/veth1", OK, NULL, NULL,
     "{\"outgoingInterface\":\"veth1\",\"scope\":\"GLOBAL\",\"dstNetwork\":\"10.0.2.0/24\","
     "\"metric\":100}"},
    {"docs-rest-linux-route.json", LIG_MODEL_LINUX_ROUTE,
     "DOCS docs/api/api-vpp-agent.md:1167-1171 (REST dump)",
     "/vnf-agent/vpp1/config/linux/l3/v2/route/10.1.0.0/16/tap-vpp1", OK, NULL, NULL,
     "{\"outgoingInterface\":\"tap-vpp1\",\"dstNetwork\":\"10.1.0.0/16\",\"gwAddr\":"
     "\"172.30.1.1\"}"},
    /* ---- VPP ACLs: written here in acl.proto's fields (no vpp-agent document has one) ---- */
    {"ligature-acl-reflect.json", LIG_MODEL_VPP_ACL, "LIGATURE tests: acl.proto fields",
     "/vnf-agent/vpp1/config/vpp/acls/v2/acl/pod-egress", OK, NULL, NULL,
     "{\"name\":\"pod-egress\",\"rules\":[{\"action\":\"REFLECT\",\"ipRule\":{\"ip\":{"
     "\"destinationNetwork\":\"0.0.0.0/0\",\"sourceNetwork\":\"10.1.1.0/24\"},\"tcp\":{"
     "\"destinationPortRange\":{\"lowerPort\":80,\"upperPort\":443},\"sourcePortRange\":{"
     "\"upperPort\":65535}}}},{\"ipRule\":{\"ip\":{"
     "\"destinationNetwork\":\"0.0.0.0/0\",\"sourceNetwork\":\"0.0.0.0/0\"}}}],\"interfaces\":{"
     "\"egress\":[\"tap1\"],\"ingress\":[\"tap1\"]}}"},
    /* ---- VPP NAT44: vpp-agent's robot resources (suites/crud/nat44_crud.robot's values) ---- */
    {"robot-nat-dnat-dnat1.json", LIG_MODEL_VPP_DNAT44,
     "ROBOT resources/nat-dnat.json with suites/crud/nat44_crud.robot:53",
     "/vnf-agent/agent_vpp_1/config/vpp/nat/v2/dnat44/dnat1", UNSUPPORTED,
     "st_mappings[0].external_interface", NULL,
     "{\"label\":\"dnat1\",\"stMappings\":[{\"externalInterface\":\"memif1\",\"externalIp\":\"20.0."
     "1.1\",\"externalPort\":8080,\"localIps\":[{\"localIp\":\"10.0.1.1\",\"localPort\":80,"
     "\"probability\":40}],\"protocol\":\"UDP\"}]}"},
    {"robot-nat-global.json", LIG_MODEL_VPP_NAT44_GLOBAL,
     "ROBOT resources/nat-global.json with suites/crud/nat44_crud.robot:54",
     "/vnf-agent/agent_vpp_1/config/vpp/nat/v2/nat44-global", UNSUPPORTED, "virtual_reassembly",
     NULL,
     "{\"natInterfaces\":[{\"name\":\"memif1\",\"isInside\":true},{\"name\":\"memif2\","
     "\"isInside\":true}],\"addressPool\":[{\"address\":\"20.0.1.1\"},{\"address\":\"21.0.1.1\"}],"
     "\"virtualReassembly\":{\"timeout\":5,\"maxReassemblies\":10,\"maxFragments\":15,"
     "\"dropFragments\":true}}"},
    /* ---- VPP NAT44: written here in nat.proto's fields ---- */
    {"ligature-nat44-global.json", LIG_MODEL_VPP_NAT44_GLOBAL, "LIGATURE tests: nat.proto fields",
     "/vnf-agent/vpp1/config/vpp/nat/v2/nat44-global", OK, NULL, NULL, "{\"forwarding\":true}"},
    {"ligature-dnat44-service.json", LIG_MODEL_VPP_DNAT44, "LIGATURE tests: nat.proto fields",
     "/vnf-agent/vpp1/config/vpp/nat/v2/dnat44/web", OK, NULL, NULL,
     "{\"label\":\"web\",\"stMappings\":[{\"externalIp\":\"10.96.0.10\",\"externalPort\":80,"
     "\"localIps\":[{\"localIp\":\"10.1.0.11\",\"localPort\":8080,\"probability\":70},{\"localIp\":"
     "\"10.1.0.12\",\"localPort\":8080,\"probability\":30}],\"sessionAffinity\":60}]}"},
    {"ligature-dnat44-twice-nat.json", LIG_MODEL_VPP_DNAT44, "LIGATURE tests: nat.proto fields",
     "/vnf-agent/vpp1/config/vpp/nat/v2/dnat44/twice", UNSUPPORTED, "st_mappings[0].twice_nat",
     NULL,
     "{\"label\":\"twice\",\"stMappings\":[{\"externalIp\":\"10.96.0.11\",\"externalPort\":53,"
     "\"localIps\":[{\"localIp\":\"10.1.0.13\",\"localPort\":53}],\"protocol\":\"UDP\","
     "\"twiceNat\":\"ENABLED\"}]}"},
    {"ligature-nat44-interface-out.json", LIG_MODEL_VPP_NAT44_INTERFACE,
     "LIGATURE tests: nat.proto fields",
     "/vnf-agent/vpp1/config/vpp/nat/v2/nat44-interface/tap-out", OK, NULL, NULL,
     "{\"name\":\"tap-out\",\"natOutside\":true}"},
    {"ligature-nat44-pool.json", LIG_MODEL_VPP_NAT44_POOL, "LIGATURE tests: nat.proto fields",
     "/vnf-agent/vpp1/config/vpp/nat/v2/nat44-pool/pods", OK, NULL, NULL,
     "{\"name\":\"pods\",\"firstIp\":\"192.168.1.1\",\"lastIp\":\"192.168.1.4\"}"},
};

#define N_EXAMPLES (sizeof(examples) / sizeof(examples[0]))

static char *
read_example(const char *file, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", LIG_MODELS_EXAMPLES, file);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = malloc(LIG_MODEL_VALUE_MAX);
	assert_non_null(buf);
	*size = fread(buf, 1, LIG_MODEL_VALUE_MAX, f);
	fclose(f);
	return buf;
}

static void
test_example(const struct example *ex)
{
	const struct lig_model *m = lig_model_get(ex->model);
	struct lig_model_error err = {0};
	size_t size;
	char *json = read_example(ex->file, &size);
	void *v = lig_model_value_new(m), *w = lig_model_value_new(m);

	/* decodes verbatim */
	if (m->decode(json, size, v, &err))
		fail_msg("%s (%s): %s", ex->file, ex->source, err.text);
	/* the check's outcome */
	int rv = lig_model_check(m, v, &err);
	int want = ex->outcome == OK ? 0 : ex->outcome == INVALID ? -EINVAL : -EOPNOTSUPP;
	if (rv != want || (ex->field && strcmp(err.field, ex->field)))
		fail_msg("%s (%s): check %d '%s', expected %d on %s", ex->file, ex->source, rv,
			 rv ? err.text : "", want, ex->field ? ex->field : "-");
	if (rv)
		assert_int_equal(err.kind, ex->outcome == INVALID ? LIG_MODEL_ERR_INVALID
								  : LIG_MODEL_ERR_UNSUPPORTED);
	/* canonical encoding, which decodes back equal */
	char *enc = m->encode(v);
	assert_non_null(enc);
	if (strcmp(enc, ex->canonical))
		fail_msg("%s: encodes as\n%s\nnot\n%s", ex->file, enc, ex->canonical);
	assert_int_equal(m->decode(enc, strlen(enc), w, &err), 0);
	assert_true(m->equal(v, w));
	free(enc);
	/* the source's key: this model, and the value agrees with it (or the part named) */
	struct lig_model_key *k = malloc(sizeof(*k));
	assert_non_null(k);
	if (lig_model_key_parse(ex->key, k, &err))
		fail_msg("%s: key %s: %s", ex->file, ex->key, err.text);
	assert_ptr_equal(k->model, m);
	rv = lig_model_key_check(k, v, &err);
	if (ex->key_diff ? rv != -EINVAL || strcmp(err.field, ex->key_diff) : rv != 0)
		fail_msg("%s: key check %d '%s', expected %s", ex->file, rv, rv ? err.text : "",
			 ex->key_diff ? ex->key_diff : "agreement");
	free(k);
	free(json);
	lig_model_value_delete(m, v);
	lig_model_value_delete(m, w);
}

static void
test_examples(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXAMPLES; i++)
		test_example(&examples[i]);
}

/* Every file in examples/ is in the table (and the table covers every model). */
static void
test_table_complete(void **state)
{
	(void)state;
	bool models[LIG_MODEL_N] = {0};
	for (size_t i = 0; i < N_EXAMPLES; i++)
		models[examples[i].model] = true;
	for (int i = 0; i < LIG_MODEL_N; i++)
		if (!models[i])
			fail_msg("no example of %s", lig_model_get((enum lig_model_id)i)->name);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ls %s", LIG_MODELS_EXAMPLES);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[256];
	size_t files = 0;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		bool found = false;
		for (size_t i = 0; i < N_EXAMPLES; i++)
			found |= !strcmp(examples[i].file, line);
		if (!found)
			fail_msg("examples/%s is not in the table", line);
		files++;
	}
	pclose(p);
	assert_int_equal(files, N_EXAMPLES);
}

/* A few decoded fields, read through the structs the descriptors will use. */
static void
test_example_fields(void **state)
{
	(void)state;
	struct lig_model_error err;
	size_t size;
	char *json = read_example("docs-linux-interface-tap1.json", &size);
	struct lig_linux_interface li = {0};
	assert_int_equal(lig_model_get(LIG_MODEL_LINUX_INTERFACE)->decode(json, size, &li, &err),
			 0);
	assert_int_equal(li.type, LIG_LINUX_IF_TAP_TO_VPP);
	assert_true(li.has_namespace);
	assert_int_equal(li.namespace_.type, LIG_LINUX_NS_NSID);
	assert_string_equal(li.namespace_.reference, "ns2");
	assert_string_equal(li.host_if_name, "tap-host");
	assert_int_equal(li.link_case, LIG_LINUX_IF_LINK_TAP);
	assert_string_equal(li.link.tap.vpp_tap_if_name, "tap-host");
	uint8_t mac[6];
	assert_int_equal(lig_model_mac_parse(li.phys_address, mac), 0);
	assert_memory_equal(mac, "\xbc\xfe\xe9\x5e\x07\x04", 6);
	uint8_t a[4], len;
	assert_int_equal(lig_model_ip4_prefix_parse(li.ip_addresses[0], a, &len), 0);
	assert_memory_equal(a, "\xac\x34\x2d\x7f", 4);
	assert_int_equal(len, 24);
	lig_model_get(LIG_MODEL_LINUX_INTERFACE)->free(&li);
	free(json);

	json = read_example("docs-rest-vpp-route-drop.json", &size);
	struct lig_vpp_route r = {0};
	assert_int_equal(lig_model_get(LIG_MODEL_VPP_ROUTE)->decode(json, size, &r, &err), 0);
	assert_int_equal(r.type, LIG_VPP_ROUTE_DROP);
	assert_int_equal(r.weight, 1);
	lig_model_get(LIG_MODEL_VPP_ROUTE)->free(&r);
	free(json);

	json = read_example("docs-rest-vpp-bridge-domain.json", &size);
	struct lig_vpp_bridge_domain bd = {0};
	assert_int_equal(lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN)->decode(json, size, &bd, &err),
			 0);
	assert_int_equal(bd.n_interfaces, 2);
	assert_true(bd.interfaces[0].bridged_virtual_interface);
	assert_int_equal(bd.interfaces[1].split_horizon_group, 1);
	assert_false(bd.flood);
	assert_true(bd.forward);
	lig_model_get(LIG_MODEL_VPP_BRIDGE_DOMAIN)->free(&bd);
	free(json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_examples),
	    cmocka_unit_test(test_table_complete),
	    cmocka_unit_test(test_example_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

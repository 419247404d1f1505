#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc's must-show chain from ONE YAML file (examples/sfc/chain.yaml) -> lig-sfc -> etcd ->
# the agents of the world (examples/sfc/world.sh, nodes and pods from lig-sfc --print-world):
#   podA (node1) -> vnf1 -> vnf2 (node1, memif direct) -> vxlan mesh -> vnf3 (node2, memif via
#   the vswitch) -> podB (node2)
# The CNFs' own cross-connects between their two ports are the world's part (their agents'
# keys, written before lig-sfc starts). Checks: every rendered key CONFIGURED in its agent,
# podA pings podB, an iperf3 TCP stream passes, and every interface along the path (vswitches
# and CNFs) counts the pings in order both ways.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)

lig_check "world from lig-sfc --print-world chain.yaml" sfc_world_yaml "$EX/chain.yaml"
[ -n "${WORLD_NS:-}" ] || exit 1
sfc_yaml "$EX/chain.yaml" "$LIG_TMP/chain.yaml"
XC=vpp/l2/v2/xconnect
for v in vnf1 vnf2 vnf3; do
	sfc_put $v "$XC/port1" '{"receive_interface":"port1","transmit_interface":"port2"}'
	sfc_put $v "$XC/port2" '{"receive_interface":"port2","transmit_interface":"port1"}'
done

t0=$(date +%s.%N)
sfc_start "$LIG_TMP/chain.yaml" || exit 1
# The pods keep Linux's default offloads (TSO, GSO, GRO): ligd's af_packet takes TCP
# super-frames through their virtio-net headers.
for _ in $(seq 200); do ip -n podA link show eth0 >/dev/null 2>&1 && ip -n podB link show eth0 >/dev/null 2>&1 && break; sleep 0.05; done
lig_check "podA pings podB through the rendered chain" sfc_ping podA 10.60.0.2
t1=$(date +%s.%N)
lig_log "lig-sfc start to first ping answered: $(python3 -c "print('%.2f s' % ($t1 - $t0))")"
lig_check "service chain OperUp in lig-sfc's status" sfc_wait_oper network-service chain OperUp
lig_check "every rendered key CONFIGURED in its agent" sfc_all_configured
lig_log "$(wc -l <"$LIG_TMP/keys.txt") keys rendered for $(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u | tr '\n' ' ')"

NAMES="node1 node2 vnf1 vnf2 vnf3"
sfc_snap "$LIG_TMP/c0.txt" $NAMES
ip netns exec podA ping -c 20 -i 0.02 -W 1 10.60.0.2 >"$LIG_TMP/ping20.txt" 2>&1
sfc_snap "$LIG_TMP/c1.txt" $NAMES
lig_check "20 pings: all answered" grep -q " 0% packet loss" "$LIG_TMP/ping20.txt"
# The hops by the names lig-sfc renders (sfc-controller's): IF_AFPIF_VSWITCH_<pod>_<if>,
# IF_MEMIF_VSWITCH_<pod>_<if>, the CNF's own interface by its name, IF_VXLAN_..., the node's
# ethernet interface by its name.
FWD="node1 IF_AFPIF_VSWITCH_podA_eth0 rx|node1 IF_MEMIF_VSWITCH_vnf1_port1 tx|vnf1 port1 rx|vnf1 port2 tx|vnf2 port1 rx|vnf2 port2 tx|node1 IF_MEMIF_VSWITCH_vnf2_port2 rx|node1 IF_VXLAN_L2PP_.* tx|node1 eth1 tx|node2 eth1 rx|node2 IF_VXLAN_L2PP_.* rx|node2 IF_MEMIF_VSWITCH_vnf3_port1 tx|vnf3 port1 rx|vnf3 port2 tx|node2 IF_MEMIF_VSWITCH_vnf3_port2 rx|node2 IF_AFPIF_VSWITCH_podB_eth0 tx"
BACK="node2 IF_AFPIF_VSWITCH_podB_eth0 rx|node2 IF_MEMIF_VSWITCH_vnf3_port2 tx|vnf3 port2 rx|vnf3 port1 tx|node2 IF_MEMIF_VSWITCH_vnf3_port1 rx|node2 IF_VXLAN_L2PP_.* tx|node2 eth1 tx|node1 eth1 rx|node1 IF_VXLAN_L2PP_.* rx|node1 IF_MEMIF_VSWITCH_vnf2_port2 tx|vnf2 port2 rx|vnf2 port1 tx|vnf1 port2 rx|vnf1 port1 tx|node1 IF_MEMIF_VSWITCH_vnf1_port1 rx|node1 IF_AFPIF_VSWITCH_podA_eth0 tx"
in_order() { sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$1"; }
lig_check "every hop podA -> podB counts the requests, in order" in_order "$FWD"
lig_check "every hop podB -> podA counts the replies, in order" in_order "$BACK"
lig_log "packets counted per hop (forward, back):"
in_order "$FWD" | sed 's/^/    /'
in_order "$BACK" | sed 's/^/    /'
lig_check "iperf3 TCP stream podA -> podB through the rendered chain" sfc_iperf podA podB 10.60.0.2
sed 's/^/    /' "$LIG_TMP/check.out"
lig_test_done

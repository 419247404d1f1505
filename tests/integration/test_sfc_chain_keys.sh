#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The lig-sfc target chain wired by HAND-WRITTEN lig-agent keys (no lig-sfc): the dataplane and
# agent side of a chain, known good on its own. World (examples/sfc/world.sh): nodes node1 and
# node2 (vswitch ligd + agent each, underlay veth eth1 between them), vppcontainer pods vnf1,
# vnf2 (node1) and vnf3 (node2) with their own ligd + agent, nonvppcontainer pods podA (node1)
# and podB (node2). Chain:
#   podA --veth/af_packet-- node1 --memif-- vnf1 ==memif direct== vnf2 --memif-- node1
#     --vxlan over af_packet eth1-- node2 --memif-- vnf3 --memif-- node2 --af_packet/veth-- podB
# Each vnf's own agent xconnects its two memifs; the vswitches xconnect. podA's and podB's veths
# are made by their node's agent into the pods' namespaces (MICROSERVICE reference = pod name).
# Checks: every key CONFIGURED, podA pings podB, an iperf3 TCP stream passes, and the packet
# counters of every interface along the path count the pings in order in both directions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 missing"; exit 0; }

sfc_world_start "node node1" "node node2" "pod podA nonvppcontainer node1" \
	"pod vnf1 vppcontainer node1" "pod vnf2 vppcontainer node1" "pod vnf3 vppcontainer node2" \
	"pod podB nonvppcontainer node2" || exit 1
lig_check "world up (2 nodes, 3 CNFs, 2 plain pods)" test -n "$WORLD_NS"
MD=$WORLD_MEMIF_DIR

IF=vpp/v2/interfaces
LI=linux/interfaces/v2/interface
XC=vpp/l2/v2/xconnect
memif() { # NAME MASTER ID SOCKET
	echo '{"name":"'"$1"'","type":"MEMIF","enabled":true,"mtu":1500,"memif":{"master":'"$2"',"id":'"$3"',"socket_filename":"'"$MD/$4"'"}}'
}
xc() { echo '{"receive_interface":"'"$1"'","transmit_interface":"'"$2"'"}'; }
xc2() { # LABEL A B: both directions
	sfc_put "$1" "$XC/$2" "$(xc "$2" "$3")"
	sfc_put "$1" "$XC/$3" "$(xc "$3" "$2")"
}
pod_veth() { # NODE POD IP: the pod's eth0 (in its namespace) and the node's end, an af_packet on it
	sfc_put "$1" "$LI/veth-$2" '{"name":"veth-'"$2"'","type":"VETH","enabled":true,"host_if_name":"eth0","namespace":{"type":"MICROSERVICE","reference":"'"$2"'"},"ip_addresses":["'"$3"'"],"veth":{"peer_if_name":"vsw-'"$2"'"}}'
	sfc_put "$1" "$LI/vsw-$2" '{"name":"vsw-'"$2"'","type":"VETH","enabled":true,"host_if_name":"v-'"$2"'","veth":{"peer_if_name":"veth-'"$2"'"}}'
	sfc_put "$1" "$IF/afp-$2" '{"name":"afp-'"$2"'","type":"AF_PACKET","enabled":true,"afpacket":{"linux_interface":"vsw-'"$2"'"}}'
}
underlay() { # NODE ADDR
	sfc_put "$1" "$IF/underlay" '{"name":"underlay","type":"AF_PACKET","enabled":true,"mtu":9000,"ip_addresses":["'"$2"'/24"],"afpacket":{"host_if_name":"eth1"}}'
}
vxlan() { # NODE NAME SRC DST VNI
	sfc_put "$1" "$IF/$2" '{"name":"'"$2"'","type":"VXLAN_TUNNEL","enabled":true,"vxlan":{"src_address":"'"$3"'","dst_address":"'"$4"'","vni":'"$5"'}}'
}

t0=$(date +%s.%N)
# node1: podA, vnf1 port1, vnf2 port2, the tunnel to node2.
pod_veth node1 podA 10.60.0.1/24
sfc_put node1 "$IF/memif-vnf1-port1" "$(memif memif-vnf1-port1 true 1 node1.sock)"
sfc_put node1 "$IF/memif-vnf2-port2" "$(memif memif-vnf2-port2 true 2 node1.sock)"
underlay node1 10.100.0.1
vxlan node1 vxlan-node2 10.100.0.1 10.100.0.2 5000
xc2 node1 afp-podA memif-vnf1-port1
xc2 node1 memif-vnf2-port2 vxlan-node2
# node2: the tunnel from node1, vnf3's ports, podB.
underlay node2 10.100.0.2
vxlan node2 vxlan-node1 10.100.0.2 10.100.0.1 5000
sfc_put node2 "$IF/memif-vnf3-port1" "$(memif memif-vnf3-port1 true 1 node2.sock)"
sfc_put node2 "$IF/memif-vnf3-port2" "$(memif memif-vnf3-port2 true 2 node2.sock)"
pod_veth node2 podB 10.60.0.2/24
xc2 node2 vxlan-node1 memif-vnf3-port1
xc2 node2 memif-vnf3-port2 afp-podB
# The CNFs: vnf1 port2 is the master of the direct memif to vnf2 port1; each xconnects its ports.
sfc_put vnf1 "$IF/port1" "$(memif port1 false 1 node1.sock)"
sfc_put vnf1 "$IF/port2" "$(memif port2 true 1 vnf1-vnf2.sock)"
sfc_put vnf2 "$IF/port1" "$(memif port1 false 1 vnf1-vnf2.sock)"
sfc_put vnf2 "$IF/port2" "$(memif port2 false 2 node1.sock)"
sfc_put vnf3 "$IF/port1" "$(memif port1 false 1 node2.sock)"
sfc_put vnf3 "$IF/port2" "$(memif port2 false 2 node2.sock)"
for v in vnf1 vnf2 vnf3; do xc2 $v port1 port2; done

ping_b() {
	for _ in $(seq 50); do ip netns exec podA ping -c 1 -W 1 10.60.0.2 >/dev/null 2>&1 && return 0; sleep 0.1; done
	ip netns exec podA ping -c 1 -W 1 10.60.0.2
}
# The pods keep Linux's default offloads (TSO, GSO, GRO): ligd's af_packet takes TCP
# super-frames through their virtio-net headers.
eth0s() { for _ in $(seq 100); do ip -n podA link show eth0 >/dev/null 2>&1 && ip -n podB link show eth0 >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }
eth0s
lig_check "podA pings podB through the chain" ping_b
t1=$(date +%s.%N)
lig_log "from the first key written to the first ping answered: $(python3 -c "print('%.2f s' % ($t1 - $t0))")"

# Every key written (veths, af_packets, memifs, the underlay, vxlan, xconnects on both nodes and
# in the three CNFs) CONFIGURED in its agent.
lig_check "every key CONFIGURED in its agent (node1, node2, vnf1-3)" sfc_all_configured
lig_check "... $(wc -l <"$LIG_TMP/keys.txt") keys, each node's and CNF's" test "$(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u | tr '\n' ' ')" = "node1 node2 vnf1 vnf2 vnf3 "
link_up() { # NAME TAG: the ligd interface is up (memif connected)
	for _ in $(seq 100); do
		sfc_ctl "$1" api dump sw_interface_dump | grep "\"tag\":\"$2\"" | grep -q '"link_up":true' && return 0
		sleep 0.1
	done
	sfc_ctl "$1" show interface
	return 1
}
for p in "vnf1 port1" "vnf1 port2" "vnf2 port1" "vnf2 port2" "vnf3 port1" "vnf3 port2" "node1 memif-vnf1-port1" "node1 memif-vnf2-port2" "node2 memif-vnf3-port1" "node2 memif-vnf3-port2"; do
	# shellcheck disable=SC2086
	lig_check "memif $p connected (ligds in different namespaces, one socket directory)" link_up $p
done
lig_check "podA's eth0 in its namespace with its address" sh -c "ip -n podA addr show eth0 | grep -q 10.60.0.1/24"
lig_check "podB's eth0 in its namespace with its address" sh -c "ip -n podB addr show eth0 | grep -q 10.60.0.2/24"

# Counters along the path, forward (podA -> podB) and back: 20 pings, every hop counts at least
# 20 and no hop counts more than the one before it (a packet never appears mid-path).
FWD="node1 afp-podA rx|node1 memif-vnf1-port1 tx|vnf1 port1 rx|vnf1 port2 tx|vnf2 port1 rx|vnf2 port2 tx|node1 memif-vnf2-port2 rx|node1 vxlan-node2 tx|node1 underlay tx|node2 underlay rx|node2 vxlan-node1 rx|node2 memif-vnf3-port1 tx|vnf3 port1 rx|vnf3 port2 tx|node2 memif-vnf3-port2 rx|node2 afp-podB tx"
BACK="node2 afp-podB rx|node2 memif-vnf3-port2 tx|vnf3 port2 rx|vnf3 port1 tx|node2 memif-vnf3-port1 rx|node2 vxlan-node1 tx|node2 underlay tx|node1 underlay rx|node1 vxlan-node2 rx|node1 memif-vnf2-port2 tx|vnf2 port2 rx|vnf2 port1 tx|vnf1 port2 rx|vnf1 port1 tx|node1 memif-vnf1-port1 rx|node1 afp-podA tx"
sfc_snap "$LIG_TMP/c0.txt" node1 node2 vnf1 vnf2 vnf3
ip netns exec podA ping -c 20 -i 0.02 -W 1 10.60.0.2 >"$LIG_TMP/ping20.txt" 2>&1
sfc_snap "$LIG_TMP/c1.txt" node1 node2 vnf1 vnf2 vnf3
in_order() { sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$1"; }
lig_check "20 pings: all answered" grep -q " 0% packet loss" "$LIG_TMP/ping20.txt"
lig_check "every hop podA -> podB counts the requests, in order" in_order "$FWD"
lig_check "every hop podB -> podA counts the replies, in order" in_order "$BACK"
lig_log "packets counted per hop (forward, back):"
in_order "$FWD" | sed 's/^/    /'
in_order "$BACK" | sed 's/^/    /'

# The CNF's own job: without vnf2's cross-connect port1 -> port2 nothing passes (its port1
# still receives); with it back the chain forwards again.
sfc_del vnf2 "$XC/port1"
lig_check "vnf2's xconnect port1 -> port2 removed" sfc_wait_state vnf2 "$XC/port1" NONE
sfc_snap "$LIG_TMP/c0.txt" vnf2
lig_check "no ping through without it" sh -c "! ip netns exec podA ping -c 3 -i 0.2 -W 1 10.60.0.2"
sfc_snap "$LIG_TMP/c1.txt" vnf2
stuck_in_vnf2() { # port1 counted the pings, port2 sent nothing
	python3 - "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" <<'PYEOF'
import sys
c = [{(l.split()[0], l.split()[1]): [int(x) for x in l.split()[2:]] for l in open(p)} for p in sys.argv[1:]]
rx = c[1][("vnf2", "port1")][0] - c[0][("vnf2", "port1")][0]
tx = c[1][("vnf2", "port2")][1] - c[0][("vnf2", "port2")][1]
print("vnf2 port1 rx", rx, "port2 tx", tx)
sys.exit(0 if rx >= 3 and tx == 0 else 1)
PYEOF
}
lig_check "vnf2 port1 receives, port2 sends nothing onwards" stuck_in_vnf2
xc2 vnf2 port1 port2
lig_check "pings again with it back" ping_b

lig_check "iperf3 TCP stream podA -> podB through the chain" sfc_iperf podA podB 10.60.0.2
cat "$LIG_TMP/check.out"
lig_test_done

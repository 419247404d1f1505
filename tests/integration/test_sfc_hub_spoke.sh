#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# l2mp over a vxlan hub_and_spoke overlay on three nodes (examples/sfc/hub-and-spoke.yaml):
# node1 is the hub (no pods), node2 and node3 spokes; podA (node2), podB and vnf1's port1
# (node3) in one L2 network. Checks: OperUp, every rendered key CONFIGURED; the hub has a tunnel
# to each spoke and the spokes one each; podA pings podB and vnf1 (spoke to spoke), and that
# traffic crosses the hub: in on one of node1's tunnels, out on the other; podB pings vnf1 on
# its own node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)

lig_check "world from lig-sfc --print-world hub-and-spoke.yaml (3 nodes)" sfc_world_yaml "$EX/hub-and-spoke.yaml"
[ -n "${WORLD_NS:-}" ] || exit 1
sfc_yaml "$EX/hub-and-spoke.yaml" "$LIG_TMP/hs.yaml"
sfc_start "$LIG_TMP/hs.yaml" || exit 1
lig_check "service hub-and-spoke-l2 OperUp" sfc_wait_oper network-service hub-and-spoke-l2 OperUp || exit 1
for p in podA podB; do for _ in $(seq 200); do ip -n $p link show eth0 >/dev/null 2>&1 && break; sleep 0.05; done; done
lig_check "podA pings podB (spoke to spoke)" sfc_ping podA 10.62.0.2
lig_check "every rendered key CONFIGURED in its agent" sfc_all_configured
lig_log "$(wc -l <"$LIG_TMP/keys.txt") keys rendered for $(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u | tr '\n' ' ')"

tunnels() { # NODE COUNT: ligd of NODE has COUNT vxlan tunnels, all to or from the hub's loopback
	local n
	n=$(sfc_ctl "$1" api dump sw_interface_dump | grep -c '"device_class":"vxlan"')
	echo "$1: $n vxlan tunnels"
	sfc_ctl "$1" api dump vxlan_tunnel_dump
	[ "$n" = "$2" ]
}
lig_check "hub node1: a tunnel to each spoke" tunnels node1 2
lig_check "spoke node2: one tunnel (to the hub)" tunnels node2 1
lig_check "spoke node3: one tunnel (to the hub)" tunnels node3 1
lig_check "podB pings vnf1 (same spoke)" sfc_ping podB 10.62.0.3

NAMES="node1 node2 node3 vnf1"
sfc_snap "$LIG_TMP/c0.txt" $NAMES
ip netns exec podA ping -c 20 -i 0.02 -W 1 10.62.0.3 >"$LIG_TMP/ping20.txt" 2>&1
sfc_snap "$LIG_TMP/c1.txt" $NAMES
lig_check "podA -> vnf1 (spoke to spoke): 20 pings answered" grep -q " 0% packet loss" "$LIG_TMP/ping20.txt"
through_hub() { # each of node1's two tunnels received and sent at least 20 (requests one way, replies the other)
	python3 - "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" <<'EOF'
import sys
def load(p):
    return {(l.split()[0], l.split()[1]): [int(x) for x in l.split()[2:4]] for l in open(p)}
a, b = load(sys.argv[1]), load(sys.argv[2])
tun = [k for k in b if k[0] == "node1" and "VXLAN" in k[1].upper() and "LOOPBACK" not in k[1].upper()]
ok = len(tun) == 2
for k in tun:
    rx, tx = (b[k][i] - a.get(k, [0, 0])[i] for i in (0, 1))
    print(k[1], "rx", rx, "tx", tx)
    ok = ok and rx >= 20 and tx >= 20
sys.exit(0 if ok else 1)
EOF
}
lig_check "the spoke-to-spoke pings crossed the hub's two tunnels" through_hub
sed 's/^/    /' "$LIG_TMP/check.out"
lig_test_done

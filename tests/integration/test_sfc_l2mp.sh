#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# l2mp with a bridge per node and a vxlan mesh across two nodes, from sfc-controller's own
# topologies/vxlanmesh/l2mp example adapted to the world's two nodes
# (examples/sfc/topologies/vxlan-l2mp.yaml says what was adapted): vnf1 and vnf2 on vswitch1,
# vnf3 on vswitch2, port1 of each CNF (111.111.111.1-3/24, configured by their own agents from
# what lig-sfc rendered for them) in one L2 network. Checks: every rendered key CONFIGURED; each
# vswitch has one bridge domain holding its CNFs' memifs and the tunnel to the other node;
# vnf1 pings vnf2 (same node, through vswitch1's bridge) and vnf3 (through both bridges and the
# tunnel); vnf3 pings vnf1; the tunnels and the underlay count the cross-node pings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)

lig_check "world from lig-sfc --print-world vxlan-l2mp.yaml" sfc_world_yaml "$EX/topologies/vxlan-l2mp.yaml"
[ -n "${WORLD_NS:-}" ] || exit 1
sfc_yaml "$EX/topologies/vxlan-l2mp.yaml" "$LIG_TMP/l2mp.yaml"
sfc_start "$LIG_TMP/l2mp.yaml" || exit 1
lig_check "service my-network-service OperUp" sfc_wait_oper network-service my-network-service OperUp
lig_check "every rendered key CONFIGURED in its agent" sfc_all_configured
lig_log "$(wc -l <"$LIG_TMP/keys.txt") keys rendered for $(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u | tr '\n' ' ')"

# one bridge domain per vswitch with its CNFs' memifs and a vxlan tunnel
bridges() { # NODE MEMIFS: a single bridge domain with MEMIFS memifs and one vxlan member
	python3 - "$2" <<EOF
import json, subprocess, sys
def dump(what):
    out = subprocess.run(["$LIG_BIN/ligctl", "-s", "$LIG_TMP/$1.sock", "api", "dump", what], capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]
ifs = {i["name"]: i for i in dump("sw_interface_dump")}
bds = dump("bridge_domain_dump")
print("$1:", [(b.get("bd_id"), b.get("bd_tag", b.get("tag")), [m.get("sw_if_index") for m in b.get("sw_if_details", b.get("members", []))]) for b in bds])
if len(bds) != 1: sys.exit(1)
members = [m.get("sw_if_index") for m in bds[0].get("sw_if_details", bds[0].get("members", []))]
classes = [ifs[m]["device_class"] if m in ifs else "?" for m in members]
print("member classes:", classes)
sys.exit(0 if classes.count("memif") == int(sys.argv[1]) and classes.count("vxlan") == 1 else 1)
EOF
}
lig_check "vswitch1: one bridge with vnf1's and vnf2's memifs and the tunnel to vswitch2" bridges vswitch1 2
lig_check "vswitch2: one bridge with vnf3's memif and the tunnel to vswitch1" bridges vswitch2 1

vping() { # FROM DST: a CNF's ligd pings (ARP included)
	local out
	for _ in $(seq 30); do
		out=$(sfc_ctl "$1" ping "$2" repeat 3 interval 20)
		[[ "$out" == *" 0% packet loss"* ]] && return 0
		sleep 0.2
	done
	echo "$out"
	return 1
}
lig_check "vnf1 pings vnf2 (vswitch1's bridge)" vping vnf1 111.111.111.2
lig_check "vnf1 pings vnf3 (both bridges and the vxlan mesh)" vping vnf1 111.111.111.3
NAMES="vswitch1 vswitch2 vnf1 vnf3"
sfc_snap "$LIG_TMP/c0.txt" $NAMES
sfc_ctl vnf3 ping 111.111.111.1 repeat 20 interval 10 >"$LIG_TMP/ping20.txt"
# ligd's ping matches a reply only within its own interval (10 ms here) and counts a later one
# as lost: on a loaded 2-CPU host the round trip through five ligds took longer now and then
# ("17 of 20 answered") while every hop, the pinger's own port included, counted all 20
# requests and all 20 replies. Whether each request was answered is what the hop counters
# below say (all 20 at every hop, both ways); ping's own figure is logged, a timing.
lig_log "ligd ping vnf3: $(grep Statistics "$LIG_TMP/ping20.txt") (replies after its 10 ms wait count as lost)"
PATHF="vnf3 port1 tx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 rx|vswitch2 IF_VXLAN_MESH_.* tx|vswitch2 GigabitEthernet0/8/2 tx|vswitch1 GigabitEthernet0/8/1 rx|vswitch1 IF_VXLAN_MESH_.* rx|vswitch1 IF_MEMIF_VSWITCH_vnf1_port1 tx|vnf1 port1 rx"
PATHB="vnf1 port1 tx|vswitch1 IF_MEMIF_VSWITCH_vnf1_port1 rx|vswitch1 IF_VXLAN_MESH_.* tx|vswitch1 GigabitEthernet0/8/1 tx|vswitch2 GigabitEthernet0/8/2 rx|vswitch2 IF_VXLAN_MESH_.* rx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 tx|vnf3 port1 rx"
# The last replies may still be on their way when ping returns (see above): the snapshot is
# taken once the pinger's own port has counted 20 replies (the last hop of PATHB), 3 s at most.
for _ in $(seq 30); do
	sfc_snap "$LIG_TMP/c1.txt" $NAMES
	sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$PATHB" >/dev/null && break
	sleep 0.1
done
lig_check "every hop vnf3 -> vnf1 counts all 20 requests, in order" sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$PATHF"
lig_check "every hop vnf1 -> vnf3 counts all 20 replies, in order" sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$PATHB"
sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$PATHF" | sed 's/^/    /'
lig_test_done

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

lig_check "vnf1 pings vnf2 (vswitch1's bridge)" sfc_vping vnf1 111.111.111.2
lig_check "vnf1 pings vnf3 (both bridges and the vxlan mesh)" sfc_vping vnf1 111.111.111.3
PATHF="vnf3 port1 tx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 rx|vswitch2 IF_VXLAN_MESH_.* tx|vswitch2 GigabitEthernet0/8/2 tx|vswitch1 GigabitEthernet0/8/1 rx|vswitch1 IF_VXLAN_MESH_.* rx|vswitch1 IF_MEMIF_VSWITCH_vnf1_port1 tx|vnf1 port1 rx"
PATHB="vnf1 port1 tx|vswitch1 IF_MEMIF_VSWITCH_vnf1_port1 rx|vswitch1 IF_VXLAN_MESH_.* tx|vswitch1 GigabitEthernet0/8/1 tx|vswitch2 GigabitEthernet0/8/2 rx|vswitch2 IF_VXLAN_MESH_.* rx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 tx|vnf3 port1 rx"
sfc_ping20_hops vnf3 111.111.111.1 "vswitch1 vswitch2 vnf1 vnf3" "$PATHF" "$PATHB" \
	"every hop vnf3 -> vnf1 counts all 20 requests, in order" \
	"every hop vnf1 -> vnf3 counts all 20 replies, in order"
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# sfc-controller's own topologies/vxlanmesh/l2pp example on the world's two nodes
# (examples/sfc/topologies/vxlan-l2pp.yaml says what was adapted): vnf1 and vnf2 on vswitch1,
# vnf3 on vswitch2, the original's five l2pp connections, including the two that join two ports
# of one CNF and the ports named by more than one connection (lig-sfc renders the later one and
# says so in the service's status). Checks: OperUp, every rendered key CONFIGURED, every memif
# connected, and traffic along what the file wires: vnf1/port2 -> (direct memif) vnf2/port1 ->
# (vnf2's own cross-connect, rendered from the connection vnf2/port1-vnf2/port2) vnf2/port2 ->
# vswitch1 -> vxlan (loopback endpoints, static routes over the underlay) -> vswitch2 ->
# vnf3/port1. The two CNFs at the ends answer pings on addresses given to their ligds directly
# (what the CNF does with its port is its own business).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)

lig_check "world from lig-sfc --print-world vxlan-l2pp.yaml" sfc_world_yaml "$EX/topologies/vxlan-l2pp.yaml"
[ -n "${WORLD_NS:-}" ] || exit 1
sfc_yaml "$EX/topologies/vxlan-l2pp.yaml" "$LIG_TMP/l2pp.yaml"
sfc_start "$LIG_TMP/l2pp.yaml" || exit 1
lig_check "service my-network-service OperUp" sfc_wait_oper network-service my-network-service OperUp
lig_log "status: $(sfc_etcdctl get /sfc-controller/v2/status/network-service/my-network-service --print-value-only)"
# vnf3's cross-connect between its ports (the connection vnf3/port1-vnf3/port2) waits for
# vnf3/port2, which no connection of the file wires to anything: PENDING is right.
SFC_PENDING_OK='^/vnf-agent/vnf3/config/vpp/l2/v2/xconnect/port[12]$'
lig_check "every rendered key CONFIGURED in its agent (vnf3's xconnects PENDING on vnf3/port2)" sfc_all_configured
unset SFC_PENDING_OK
lig_log "$(wc -l <"$LIG_TMP/keys.txt") keys rendered for $(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u | tr '\n' ' ')"
memifs_up() {
	local n bad=
	for _ in $(seq 50); do
		bad=
		for n in vswitch1 vswitch2 vnf1 vnf2 vnf3; do
			sfc_ctl $n api dump sw_interface_dump | grep '"device_class":"memif"' | grep '"link_up":false' |
				grep -v "$([ $n = vnf1 ] && echo '"tag":"port1"' || echo NOTHING)" | grep -q . && bad+=" $n"
		done
		[ -z "$bad" ] && return 0
		sleep 0.1
	done
	echo "memifs down in:$bad"
	return 1
}
# vnf1/port1 is rendered (connection 0) but its peer, vnf2/port2, was taken over by connection 3:
# that one memif stays down (the file's own doing). Every other memif connects.
lig_check "every memif but vnf1/port1 (its peer was re-wired by a later connection) connected" memifs_up
ifname() { sfc_ctl "$1" api dump sw_interface_dump | python3 -c 'import json,sys; print(next(json.loads(l)["name"] for l in sys.stdin if l.startswith("{") and json.loads(l)["tag"] == sys.argv[1]))' "$2"; }
sfc_ctl vnf1 set interface ip address "$(ifname vnf1 port2)" 10.65.0.1/24
sfc_ctl vnf3 set interface ip address "$(ifname vnf3 port1)" 10.65.0.3/24
lig_check "vnf1 pings vnf3 through vnf2 and the vxlan mesh" sfc_vping vnf1 10.65.0.3
PATHF="vnf1 port2 tx|vnf2 port1 rx|vnf2 port2 tx|vswitch1 IF_MEMIF_VSWITCH_vnf2_port2 rx|vswitch1 IF_VXLAN_L2PP_.* tx|vswitch1 GigabitEthernet0/8/1 tx|vswitch2 GigabitEthernet0/8/2 rx|vswitch2 IF_VXLAN_L2PP_.* rx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 tx|vnf3 port1 rx"
PATHB="vnf3 port1 tx|vswitch2 IF_MEMIF_VSWITCH_vnf3_port1 rx|vswitch2 IF_VXLAN_L2PP_.* tx|vswitch2 GigabitEthernet0/8/2 tx|vswitch1 GigabitEthernet0/8/1 rx|vswitch1 IF_VXLAN_L2PP_.* rx|vswitch1 IF_MEMIF_VSWITCH_vnf2_port2 tx|vnf2 port2 rx|vnf2 port1 tx|vnf1 port2 rx"
sfc_ping20_hops vnf1 10.65.0.3 "vswitch1 vswitch2 vnf1 vnf2 vnf3" "$PATHF" "$PATHB" \
	"every hop vnf1 -> vnf3 counts all 20 requests, in order" \
	"every hop vnf3 -> vnf1 counts all 20 replies, in order"
lig_test_done

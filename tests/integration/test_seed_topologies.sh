#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The seed topologies of issue 4, run as written (as `ligctl exec` scripts; the seed's
# typo `12` is written `l2`) on two ligd "nodes", each in its own network namespace,
# joined by a veth underlay 192.168.123.0/24:
#  1. bridge domain 123 on each node with a VXLAN tunnel (vni 123) to the other node, a
#     BVI loop0 and a local pod: pods and BVIs of both nodes ping each other.
#  2. memif0/0 (master) cross-connected with a VXLAN tunnel (vni 321) on each node: a
#     memif CNF on node 1 pings a memif CNF on node 2 across the tunnel. The CNFs are
#     ligd instances with a slave memif. Skipped, saying so, while memif is missing.
# Usage: test_seed_topologies.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/seed_lib.sh"
lig_test_init "$1"

# lig_netns records the namespace for cleanup: call it in this shell, not a subshell.
lig_netns node1 >/dev/null
lig_netns node2 >/dev/null
N1="${LIG_PREFIX}node1" N2="${LIG_PREFIX}node2"
U1="${LIG_PREFIX}u1" U2="${LIG_PREFIX}u2"
ip link add "$U1" netns "$N1" type veth peer name "$U2" netns "$N2"
ip -n "$N1" link set "$U1" up
ip -n "$N2" link set "$U2" up
seed_pod pod1 10.100.0.11/24 "$N1"
seed_pod pod2 10.100.0.12/24 "$N2"

# underlay <node-no> <this> : the node's underlay port and address (not part of the seed).
underlay() {
	local u="${LIG_PREFIX}u$1"
	cat <<EOF
create host-interface name $u
set interface state host-$u up
set interface ip address host-$u $2/24
EOF
}

# seed1 <node-no> <this> <other> <bvi-mac> <bvi-addr>
seed1() {
	local pod="${LIG_PREFIX}pod$1"
	cat <<EOF
create bridge-domain 123 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
create vxlan tunnel src $2 dst $3 vni 123 encap-vrf-id 0 decap-next l2
loopback create mac $4
set interface l2 bridge loop0 123 bvi
set interface state loop0 up
set interface ip table loop0 0
set interface ip address loop0 $5
set interface l2 bridge vxlan_tunnel0 123
create host-interface name $pod
set interface state host-$pod up
set interface l2 bridge host-$pod 123
EOF
}

lig_log "seed topology 1: bridge domain 123 stretched over VXLAN"
seed_start node1 "$N1" || exit 1
seed_start node2 "$N2" || exit 1
{ underlay 1 192.168.123.1; seed1 1 192.168.123.1 192.168.123.2 1a:2b:3c:4d:5e:01 10.100.0.1/24; } \
	>"$LIG_TMP/seed1-node1.cli"
{ underlay 2 192.168.123.2; seed1 2 192.168.123.2 192.168.123.1 1a:2b:3c:4d:5e:02 10.100.0.2/24; } \
	>"$LIG_TMP/seed1-node2.cli"
lig_check "seed 1 script on node 1" seed_ctl node1 exec "$LIG_TMP/seed1-node1.cli"
lig_check "seed 1 script on node 2" seed_ctl node2 exec "$LIG_TMP/seed1-node2.cli"
lig_check "pod1 -> pod2 across the tunnel" lig_ping pod1 10.100.0.12 3
lig_check "pod2 -> pod1 across the tunnel" lig_ping pod2 10.100.0.11 3
lig_check "pod1 -> local BVI" lig_ping pod1 10.100.0.1 2
lig_check "pod1 -> remote BVI" lig_ping pod1 10.100.0.2 2
lig_check "pod2 -> remote BVI" lig_ping pod2 10.100.0.1 2
lig_check "BVI node1 -> BVI node2 (ligd ping)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/node1/cli.sock' ping 10.100.0.2 repeat 3 interval 200 | grep -q '3 received'"
lig_check "BVI node2 -> pod1 (ligd ping)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/node2/cli.sock' ping 10.100.0.11 repeat 3 interval 200 | grep -q '3 received'"
lig_check "node 1 decapsulated and encapsulated" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/node1/cli.sock' show errors | grep -q 'packets decapsulated'"
seed_ctl node1 show vxlan tunnel | sed 's/^/    /'
seed_stop node1
seed_stop node2

lig_log "seed topology 2: memif CNFs cross-connected over VXLAN"
if ! grep -q 'create interface memif' "$LIG_BIN/ligd" 2>/dev/null; then
	lig_log "SKIP seed 2: this ligd has no 'create interface memif' (memif not merged yet)"
	lig_test_done
	exit $?
fi

seed2() {
	cat <<EOF
create interface memif id 0 master
set interface state memif0/0 up
create vxlan tunnel src $1 dst $2 vni 321 encap-vrf-id 0 decap-next l2
set interface l2 xconnect memif0/0 vxlan_tunnel0
set interface l2 xconnect vxlan_tunnel0 memif0/0
EOF
}

# cnf <node-no> <addr>: a ligd CNF with a slave memif on its node's default memif socket.
cnf() {
	cat <<EOF
create memif socket id 1 filename $LIG_TMP/node$1/memif.sock
create interface memif id 0 socket-id 1 slave
set interface state memif1/0 up
set interface ip address memif1/0 $2
EOF
}

seed_start node1 "$N1" || exit 1
seed_start node2 "$N2" || exit 1
{ underlay 1 192.168.123.1; seed2 192.168.123.1 192.168.123.2; } >"$LIG_TMP/seed2-node1.cli"
{ underlay 2 192.168.123.2; seed2 192.168.123.2 192.168.123.1; } >"$LIG_TMP/seed2-node2.cli"
lig_check "seed 2 script on node 1" seed_ctl node1 exec "$LIG_TMP/seed2-node1.cli"
lig_check "seed 2 script on node 2" seed_ctl node2 exec "$LIG_TMP/seed2-node2.cli"
seed_start cnf1 "$N1" || exit 1
seed_start cnf2 "$N2" || exit 1
cnf 1 10.200.0.1/24 >"$LIG_TMP/cnf1.cli"
cnf 2 10.200.0.2/24 >"$LIG_TMP/cnf2.cli"
lig_check "CNF 1 memif slave" seed_ctl cnf1 exec "$LIG_TMP/cnf1.cli"
lig_check "CNF 2 memif slave" seed_ctl cnf2 exec "$LIG_TMP/cnf2.cli"
# Wait for both memifs to connect (link up).
for _ in $(seq 50); do
	seed_ctl cnf1 show interface memif1/0 2>/dev/null | grep -q 'up *up' &&
		seed_ctl cnf2 show interface memif1/0 2>/dev/null | grep -q 'up *up' && break
	sleep 0.1
done
lig_check "CNF 1 -> CNF 2 across memif, xconnect, VXLAN" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/cnf1/cli.sock' ping 10.200.0.2 repeat 3 interval 300 | grep -Eq '[23] received'"
lig_check "CNF 2 -> CNF 1" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/cnf2/cli.sock' ping 10.200.0.1 repeat 3 interval 300 | grep -q '3 received'"
lig_test_done

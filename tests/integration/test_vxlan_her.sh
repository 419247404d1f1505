#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Head-end replication: one bridge domain with a local pod and two VXLAN tunnels to two
# Linux kernel VXLAN peers (same VNI, separate underlay links). A broadcast from the pod
# is replicated into both tunnels; unicast reaches each peer; the two peers reach each
# other through ligd (tunnel to tunnel). The second underlay is in VRF 3, so its tunnel
# routes its outer packets with encap-vrf-id 3. Usage: test_vxlan_her.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

U1="${LIG_PREFIX}u1" U2="${LIG_PREFIX}u2" POD="${LIG_PREFIX}pod"
lig_host u1 192.168.93.2/24
lig_host u2 192.168.94.2/24
lig_host pod 10.93.0.10/24
ip -n "$POD" link set eth0 mtu 1450
ip -n "$U1" link add vxlan0 type vxlan id 77 remote 192.168.93.1 local 192.168.93.2 dstport 4789 dev eth0
ip -n "$U2" link add vxlan0 type vxlan id 77 remote 192.168.94.1 local 192.168.94.2 dstport 4789 dev eth0
ip -n "$U1" addr add 10.93.0.2/24 dev vxlan0
ip -n "$U2" addr add 10.93.0.3/24 dev vxlan0
ip -n "$U1" link set vxlan0 up
ip -n "$U2" link set vxlan0 up
lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $U1
create host-interface name $U2
set interface state host-$U1 up
set interface state host-$U2 up
ip table add 3
set interface ip table host-$U2 3
set interface ip address host-$U1 192.168.93.1/24
set interface ip address host-$U2 192.168.94.1/24
create bridge-domain 20 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
create vxlan tunnel src 192.168.93.1 dst 192.168.93.2 vni 77
create vxlan tunnel src 192.168.94.1 dst 192.168.94.2 vni 77 encap-vrf-id 3
set interface l2 bridge vxlan_tunnel0 20
set interface l2 bridge vxlan_tunnel1 20
create host-interface name $POD
set interface state host-$POD up
set interface l2 bridge host-$POD 20
EOF
lig_check "configure two tunnels in one bridge domain" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_check "tunnel 1 encapsulates in VRF 3 (fib-idx 1)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show vxlan tunnel | grep -q 'dst 192.168.94.2 .*fib-idx 1 '"
lig_check "the underlay of tunnel 1 is not in VRF 0" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib table 0 | grep -q '192.168.94.0/24'"
lig_check "pod -> peer 1" lig_ping pod 10.93.0.2 2
lig_check "pod -> peer 2" lig_ping pod 10.93.0.3 2
lig_check "peer 1 -> peer 2 through ligd (tunnel to tunnel)" lig_ping u1 10.93.0.3 2

txp() { lig_ctl d show interface "$1" | awk '/tx packets/ { print $NF }'; }
T0=$(txp vxlan_tunnel0) T1=$(txp vxlan_tunnel1)
ip netns exec "$POD" python3 - <<'EOF'
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
me = s.getsockname()[4]
for _ in range(5):
    s.send(b"\xff" * 6 + me + b"\x88\xb5" + b"head-end replication".ljust(46, b"."))
EOF
sleep 0.3
D0=$(( $(txp vxlan_tunnel0) - T0 )) D1=$(( $(txp vxlan_tunnel1) - T1 ))
lig_log "5 broadcasts from the pod: $D0 copies into tunnel 0, $D1 into tunnel 1"
lig_check "broadcast replicated into both tunnels" test "$D0" -ge 5 -a "$D1" -ge 5
# A second tunnel to the same peer and VNI (another source) is refused, naming the first.
lig_check "a duplicate tunnel is refused, naming the one it duplicates" sh -c \
	"! lig_out=\$('$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create vxlan tunnel src 192.168.93.9 \
	dst 192.168.93.2 vni 77 2>&1) && echo \"\$lig_out\" |
	grep -q 'tunnel already exists: vxlan_tunnel0 goes to 192.168.93.2 with vni 77'"
lig_check "the same peer with another VNI is a new tunnel" \
	lig_ctl d create vxlan tunnel src 192.168.93.1 dst 192.168.93.2 vni 78
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# VXLAN interop with the Linux kernel: a namespace "peer" runs a kernel vxlan device
# (id 42, dstport 4789) over a veth underlay to ligd; ligd bridges its tunnel with a
# local pod and a BVI in bridge domain 10. Traffic crosses in both directions (ping
# and TCP, whose partial checksums ligd must finish before encapsulating), then
# malformed and mismatched VXLAN packets are counted and dropped while good traffic
# continues.
# Usage: test_vxlan_kernel.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

PEER="${LIG_PREFIX}peer" POD="${LIG_PREFIX}pod"
lig_host peer 192.168.91.2/24
lig_host pod 10.91.0.3/24
# The kernel's vxlan device has MTU 1450; keep the pod's frames within it.
ip -n "$POD" link set eth0 mtu 1450
ip -n "$PEER" link add vxlan0 type vxlan id 42 remote 192.168.91.1 local 192.168.91.2 \
	dstport 4789 dev eth0
ip -n "$PEER" addr add 10.91.0.2/24 dev vxlan0
ip -n "$PEER" link set vxlan0 up
lig_start d || exit 1

cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $PEER
set interface state host-$PEER up
set interface ip address host-$PEER 192.168.91.1/24
create bridge-domain 10 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
create vxlan tunnel src 192.168.91.1 dst 192.168.91.2 vni 42 encap-vrf-id 0 decap-next l2
set interface l2 bridge vxlan_tunnel0 10
create host-interface name $POD
set interface state host-$POD up
set interface l2 bridge host-$POD 10
loopback create mac 02:00:00:91:00:01
set interface l2 bridge loop0 10 bvi
set interface state loop0 up
set interface ip address loop0 10.91.0.1/24
EOF
lig_check "configure tunnel, bridge, pod and BVI" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_check "show vxlan tunnel" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show vxlan tunnel | grep -q 'src 192.168.91.1 dst 192.168.91.2 .*vni 42'"
lig_check "duplicate tunnel is refused" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create vxlan tunnel src 192.168.91.1 dst 192.168.91.2 vni 42"

lig_check "pod -> kernel peer through the tunnel" lig_ping pod 10.91.0.2 3
lig_check "kernel peer -> pod through the tunnel" lig_ping peer 10.91.0.3 3
lig_check "kernel peer -> ligd BVI" lig_ping peer 10.91.0.1 3
lig_check "ligd BVI -> kernel peer (ping from ligd)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.91.0.2 repeat 2 interval 200 | grep -q '2 received'"
lig_check "large pings both ways (1350 bytes)" \
	sh -c "ip netns exec $POD ping -c 2 -i 0.2 -W 2 -s 1350 10.91.0.2 >/dev/null &&
	       ip netns exec $PEER ping -c 2 -i 0.2 -W 2 -s 1350 10.91.0.3 >/dev/null"

# TCP from the pod: its checksums are partial (veth offload), finished by ligd at encap.
lig_iperf_server "$PEER" 10.91.0.2
ip netns exec "$POD" timeout 20 iperf3 -c 10.91.0.2 -t 2 -f m >"$LIG_TMP/iperf.log" 2>&1
MBPS=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
lig_log "iperf3 TCP pod -> kernel VXLAN peer via ligd: ${MBPS:-?} Mbit/s"
lig_check "TCP through the tunnel (checksums finished at encap)" \
	awk -v m="${MBPS:-0}" 'BEGIN { exit !(m > 0) }'
[ -n "${MBPS:-}" ] || cat "$LIG_TMP/iperf.log"

# Malformed and mismatched VXLAN from the peer's underlay address.
ip netns exec "$PEER" python3 - <<'EOF'
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.91.2", 4790))  # 4789 is the kernel vxlan socket's
inner = bytes.fromhex("ffffffffffff02000000aaaa0800") + bytes(46)
for _ in range(5):
    s.sendto(struct.pack("!B3xI", 0x08, 43 << 8) + inner, ("192.168.91.1", 4789))  # unknown vni
    s.sendto(struct.pack("!B3xI", 0x00, 42 << 8) + inner, ("192.168.91.1", 4789))  # no I flag
    s.sendto(struct.pack("!B3xI", 0x08, 42 << 8) + b"\x00" * 4, ("192.168.91.1", 4789))  # short
EOF
ERR=$(lig_ctl d show errors)
echo "$ERR" | grep -i vxlan | sed 's/^/    /'
lig_check "unknown VNI counted" sh -c "echo '$ERR' | grep -q 'no tunnel for (src, dst, vni)'"
lig_check "bad flags counted" sh -c "echo '$ERR' | grep -q 'without the VNI flag'"
lig_check "short VXLAN counted" sh -c "echo '$ERR' | grep -q 'too short for an inner Ethernet'"
lig_check "good traffic continues after malformed VXLAN" lig_ping pod 10.91.0.2 2

lig_check "tunnel delete" lig_ctl d create vxlan tunnel src 192.168.91.1 dst 192.168.91.2 vni 42 del
lig_check "no tunnel after delete" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show vxlan tunnel | grep -q 'No vxlan tunnels'"
lig_check "an encap VRF in use by a tunnel cannot be deleted" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table add 4 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create vxlan tunnel src 192.168.91.1 dst 192.168.91.9 vni 99 encap-vrf-id 4 &&
	       ! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table del 4 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create vxlan tunnel src 192.168.91.1 dst 192.168.91.9 vni 99 del &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table del 4"
lig_check "unknown encap VRF is refused" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create vxlan tunnel src 192.168.91.1 dst 192.168.91.9 vni 99 encap-vrf-id 77"
lig_test_done

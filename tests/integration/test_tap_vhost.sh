#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Pods on ligd taps at kernel speed, with the pods' default offloads (TSO, GSO, checksum
# offload) and `create tap ... gso`: 64 KB TCP super-frames cross ligd whole.
#  1. two pods in one bridge domain: ping, iperf3 TCP both directions;
#  2. two pods in two subnets routed by ligd's IPv4: the same;
#  3. VXLAN between two ligds (the inner TCP segmented before encapsulation), with a
#     sha256-checked transfer, and to a Linux VXLAN peer: iperf3 both directions;
#  4. a pod writing garbage virtio-net headers through a raw socket on its tap: what its
#     kernel lets through is counted and dropped, forwarding goes on;
#  5. ligd restarted: the taps come back, traffic resumes;
#  6. 100 tap (and 20 host-interface) create/delete cycles leave ligd's fd table as it
#     was.
# The taps use vhost-net where the kernel has /dev/vhost-net, else the tun fd
# (read/writev); the test says which, and checks show hardware-interfaces names it.
# Usage: test_tap_vhost.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
HERE=$(dirname "$0")

if [ -e /dev/vhost-net ]; then
	BACKEND=vhost-net
	lig_log "/dev/vhost-net present: taps use vhost-net"
else
	BACKEND=tun-syscall
	lig_log "no /dev/vhost-net on this kernel: taps use the tun fd backend"
fi

for p in p1 p2 r1 r2 v1 w1; do lig_netns "$p"; done
P1="${LIG_PREFIX}p1" P2="${LIG_PREFIX}p2" R1="${LIG_PREFIX}r1" R2="${LIG_PREFIX}r2"
V1="${LIG_PREFIX}v1" W1="${LIG_PREFIX}w1"
# A second ligd in its own namespace, with its pod, for VXLAN between two ligds.
lig_netns e
E=$LIG_NS
lig_netns v2
V2=$LIG_NS
ip link add "${LIG_PREFIX}u1" type veth peer name u2 netns "$E"
LIG_LINKS+=("${LIG_PREFIX}u1")
ip link set "${LIG_PREFIX}u1" up
ip -n "$E" link set u2 up
# A Linux VXLAN peer (vni 9) on a veth to ligd d, default offloads.
lig_host k 10.85.0.2/24
K="${LIG_PREFIX}k"
ip -n "$K" link add vxlan0 type vxlan id 9 remote 10.85.0.1 local 10.85.0.2 dstport 4789 dev eth0
ip -n "$K" addr add 10.86.0.2/24 dev vxlan0
ip -n "$K" link set vxlan0 up

cat >"$LIG_TMP/d.cli" <<EOF
create tap id 1 host-if-name eth0 host-ns $P1 host-ip4-addr 10.81.0.1/24 gso
create tap id 2 host-if-name eth0 host-ns $P2 host-ip4-addr 10.81.0.2/24 gso
create bridge-domain 1 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge tap1 1
set interface l2 bridge tap2 1
set interface state tap1 up
set interface state tap2 up
create tap id 3 host-if-name eth0 host-ns $R1 host-ip4-addr 10.82.1.2/24 host-ip4-gw 10.82.1.1 gso
create tap id 4 host-if-name eth0 host-ns $R2 host-ip4-addr 10.82.2.2/24 host-ip4-gw 10.82.2.1 gso
set interface ip address tap3 10.82.1.1/24
set interface ip address tap4 10.82.2.1/24
set interface state tap3 up
set interface state tap4 up
create host-interface name ${LIG_PREFIX}u1
set interface state host-${LIG_PREFIX}u1 up
set interface ip address host-${LIG_PREFIX}u1 10.83.0.1/24
create vxlan tunnel src 10.83.0.1 dst 10.83.0.2 vni 7 encap-vrf-id 0 decap-next l2
create bridge-domain 2 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge vxlan_tunnel0 2
create tap id 5 host-if-name eth0 host-ns $V1 host-ip4-addr 10.84.0.1/24 gso
set interface mtu 1450 tap5
set interface l2 bridge tap5 2
set interface state tap5 up
create host-interface name $K
set interface state host-$K up
set interface ip address host-$K 10.85.0.1/24
create vxlan tunnel src 10.85.0.1 dst 10.85.0.2 vni 9 encap-vrf-id 0 decap-next l2
create bridge-domain 3 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge vxlan_tunnel1 3
create tap id 6 host-if-name eth0 host-ns $W1 host-ip4-addr 10.86.0.1/24 gso
set interface mtu 1450 tap6
set interface l2 bridge tap6 3
set interface state tap6 up
EOF
cat >"$LIG_TMP/e.cli" <<EOF
create host-interface name u2
set interface state host-u2 up
set interface ip address host-u2 10.83.0.2/24
create vxlan tunnel src 10.83.0.2 dst 10.83.0.1 vni 7 encap-vrf-id 0 decap-next l2
create bridge-domain 2 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge vxlan_tunnel0 2
create tap id 1 host-if-name eth0 host-ns $V2 host-ip4-addr 10.84.0.2/24 gso
set interface mtu 1450 tap1
set interface l2 bridge tap1 2
set interface state tap1 up
EOF

lig_start d || exit 1
LIG_START_NS=$E lig_start e || exit 1
lig_check "configure ligd d (taps with gso, bridge, routes, vxlan)" lig_ctl d exec "$LIG_TMP/d.cli"
lig_check "configure ligd e (vxlan and its pod)" lig_ctl e exec "$LIG_TMP/e.cli"
lig_check "show hardware-interfaces names the backend ($BACKEND) and the offloads" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces tap1 |
	       grep -q 'backend $BACKEND.*offloads: csum gso'"
lig_check "running-config keeps gso" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -q 'create tap id 1 .* gso'"

# iperf <client-ns> <server-ns> <server-ip> <what> [-R]: a 2 s iperf3 TCP run that must
# carry data (iperf3 checks what it received against what was sent).
iperf() {
	local c=$1 s=$2 ip=$3 what=$4 rev=${5:-}
	lig_iperf_server "$s" "$ip"
	ip netns exec "$c" timeout 15 iperf3 -c "$ip" -t 2 -f m $rev >"$LIG_TMP/iperf.log" 2>&1
	wait "$LIG_IPERF_PID" 2>/dev/null
	local mbps
	mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' \
		"$LIG_TMP/iperf.log")
	lig_log "iperf3 TCP $what: ${mbps:-?} Mbit/s"
	lig_check "iperf3 TCP $what" awk -v m="${mbps:-0}" 'BEGIN { exit !(m > 0) }'
	[ -n "${mbps:-}" ] || cat "$LIG_TMP/iperf.log"
}

rx_gso() { lig_ctl "$1" show hardware-interfaces "$2" | awk '/rx gso/ { for (i = 1; i <= NF; i++) if ($i == "gso") { print $(i + 1) + 0; exit } }'; }

# 1. Bridge domain.
lig_check "bridge: ping p1 -> p2" lig_ping p1 10.81.0.2 3
iperf "$P1" "$P2" 10.81.0.2 "bridge p1 -> p2"
iperf "$P1" "$P2" 10.81.0.2 "bridge p2 -> p1" -R
lig_check "bridge: super-frames arrived whole (tap1 and tap2 rx gso > 0)" \
	test "$(rx_gso d tap1)" -gt 0 -a "$(rx_gso d tap2)" -gt 0

# 2. IPv4 forwarding.
lig_check "routed: ping r1 -> r2" lig_ping r1 10.82.2.2 3
iperf "$R1" "$R2" 10.82.2.2 "routed r1 -> r2"
iperf "$R1" "$R2" 10.82.2.2 "routed r2 -> r1" -R
lig_check "routed: super-frames forwarded whole (tap3 rx gso > 0)" test "$(rx_gso d tap3)" -gt 0

# 3. VXLAN between two ligds: super-frames from v1 are segmented, then encapsulated.
lig_check "vxlan ligd-ligd: ping v1 -> v2" lig_ping v1 10.84.0.2 3
iperf "$V1" "$V2" 10.84.0.2 "vxlan ligd-ligd v1 -> v2"
iperf "$V1" "$V2" 10.84.0.2 "vxlan ligd-ligd v2 -> v1" -R
head -c 4000000 /dev/urandom >"$LIG_TMP/blob"
WANT=$(sha256sum <"$LIG_TMP/blob" | cut -d' ' -f1)
ip netns exec "$V2" timeout 15 python3 -c '
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.84.0.2", 5301)); s.listen(1); c, _ = s.accept(); h = hashlib.sha256()
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b)
print(h.hexdigest())' >"$LIG_TMP/sha.out" 2>&1 &
SPID=$!
LIG_PIDS+=("$SPID")
lig_wait_listening "$V2" 5301 "$SPID"
ip netns exec "$V1" timeout 15 python3 -c '
import socket, sys
s = socket.create_connection(("10.84.0.2", 5301)); s.sendall(open(sys.argv[1], "rb").read())
s.close()' "$LIG_TMP/blob"
wait "$SPID" 2>/dev/null
lig_check "vxlan ligd-ligd: 4 MB arrive intact (sha256)" test "$(cat "$LIG_TMP/sha.out")" = "$WANT"
lig_check "vxlan: tap5 took super-frames, which were segmented (no gso errors)" \
	sh -c "test $(rx_gso d tap5) -gt 0 &&
	       ! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'GSO packet that cannot'"

# ... and to a Linux VXLAN peer.
lig_check "vxlan to Linux: ping w1 -> peer" lig_ping w1 10.86.0.2 3
iperf "$W1" "$K" 10.86.0.2 "vxlan to Linux w1 -> peer"
iperf "$W1" "$K" 10.86.0.2 "vxlan to Linux peer -> w1" -R

# 4. Garbage virtio-net headers from a raw socket in pod p1.
ERR0=$(lig_ctl d show errors | awk '/tap-input.*bogus GSO request/ { print $1 }')
P2MAC=$(ip -n "$P2" link show eth0 | awk '/link\/ether/ { print $2 }')
ip netns exec "$P1" python3 "$HERE/vnet_hostile.py" eth0 "$P2MAC" 10.81.0.1 10.81.0.2 5 \
	>"$LIG_TMP/hostile.out" 2>&1
lig_log "hostile pod: $(cat "$LIG_TMP/hostile.out")"
sleep 0.3
ERR1=$(lig_ctl d show errors | awk '/tap-input.*bogus GSO request/ { print $1 }')
lig_log "tap-input bogus GSO requests: ${ERR0:-0} -> ${ERR1:-0}"
lig_check "garbage virtio-net headers counted and dropped" \
	test "${ERR1:-0}" -gt "${ERR0:-0}"
lig_check "tap1 counts them (bad vnet-hdr > 0)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces tap1 | grep -q 'bad vnet-hdr [1-9]'"
lig_check "ligd keeps forwarding after the garbage" lig_ping p1 10.81.0.2 3

# 5. Restart: the taps come back from the same configuration, traffic resumes.
eval "PID_D=\$LIG_PID_d"
kill -TERM "$PID_D"
for _ in $(seq 50); do kill -0 "$PID_D" 2>/dev/null || break; sleep 0.1; done
lig_check "ligd exits on SIGTERM" sh -c "! kill -0 $PID_D 2>/dev/null"
lig_check "the pods' taps went with it" sh -c "! ip -n $P1 link show eth0 >/dev/null 2>&1"
lig_start d || exit 1
lig_check "restarted ligd takes the configuration again" lig_ctl d exec "$LIG_TMP/d.cli"
lig_check "after restart: ping p1 -> p2" lig_ping p1 10.81.0.2 3
iperf "$P1" "$P2" 10.81.0.2 "after restart p1 -> p2"
lig_check "after restart: ping through vxlan to ligd e" lig_ping v1 10.84.0.2 2

# 6. No fd leak over 100 create/delete cycles of a gso tap (in a pod) and 20 of a
# host-interface (two packet sockets and their rings each).
eval "PID_D=\$LIG_PID_d"
ip link add "${LIG_PREFIX}f" type veth peer name "${LIG_PREFIX}g"
LIG_LINKS+=("${LIG_PREFIX}f")
: >"$LIG_TMP/cycle.cli"
for i in $(seq 100); do
	cat >>"$LIG_TMP/cycle.cli" <<EOF
create tap id 60 host-if-name tapcycle host-ns $P1 gso
delete tap tap60
EOF
	[ $((i % 5)) -eq 0 ] && cat >>"$LIG_TMP/cycle.cli" <<EOF
create host-interface name ${LIG_PREFIX}f
delete host-interface name ${LIG_PREFIX}f
EOF
done
FD0=$(ls /proc/"$PID_D"/fd | wc -l)
T0=$(date +%s%N)
lig_check "100 create/delete cycles" lig_ctl d exec "$LIG_TMP/cycle.cli"
lig_log "cycles took $((($(date +%s%N) - T0) / 1000000)) ms"
FD1=$(ls /proc/"$PID_D"/fd | wc -l)
lig_log "ligd fds before $FD0, after $FD1"
lig_check "no fd leak (/proc/<pid>/fd unchanged)" test "$FD0" -eq "$FD1"
lig_check "no tap left in the pod" sh -c "! ip -n $P1 link show tapcycle >/dev/null 2>&1"

lig_ctl d show errors | sed 's/^/    /'
lig_test_done

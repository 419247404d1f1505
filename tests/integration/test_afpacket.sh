#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# af_packet host-interfaces end to end: two namespace hosts on veths, cross-connected
# through ligd (host-A <-> host-B). ping, iperf3 TCP (partial checksums and GSO
# super-frames from the hosts' stacks cross ligd in the virtio-net header), a jumbo ping at MTU 9000 (buffer
# chains on rx, gathered on tx), and delete leaving no socket or promiscuity behind.
# Usage: test_afpacket.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a" B="${LIG_PREFIX}b"
lig_host a 10.71.0.1/24
lig_host b 10.71.0.2/24
lig_start d || exit 1

# packet_socket_count <ifindex>: AF_PACKET sockets bound to that interface.
packet_socket_count() {
	awk -v i="$1" 'NR > 1 && $5 == i { n++ } END { print n + 0 }' /proc/net/packet
}

promiscuity() {
	ip -d link show "$1" | grep -o 'promiscuity [0-9]*' | awk '{ print $2 }'
}

lig_check "create host-interface on both veths" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $A &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $B hw-addr 02:00:00:00:71:02"
lig_check "create on a missing Linux interface fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name ${LIG_PREFIX}nope"
lig_check "create twice fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $A"
lig_check "host side is promiscuous" test "$(promiscuity "$A")" -ge 1
lig_ctl d set interface state "host-$A" up
lig_ctl d set interface state "host-$B" up
lig_check "xconnect A -> B" lig_ctl d set interface l2 xconnect "host-$A" "host-$B"
lig_check "xconnect B -> A" lig_ctl d set interface l2 xconnect "host-$B" "host-$A"
lig_check "link up reflects the veth" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface host-$A | grep -q 'host-$A .* up *up'"
lig_check "show hardware-interfaces shows ring geometry" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces host-$A | grep -q 'rx ring: 4096 frames'"

lig_check "ping a -> b through ligd" lig_ping a 10.71.0.2 5
lig_check "ping b -> a through ligd" lig_ping b 10.71.0.1 3

# iperf3 TCP, 3 seconds: the server runs once and exits; both are tracked by PID.
lig_iperf_server "$B" 10.71.0.2
ip netns exec "$A" timeout 20 iperf3 -c 10.71.0.2 -t 3 -f m >"$LIG_TMP/iperf.log" 2>&1
MBPS=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
lig_log "iperf3 TCP a -> b through ligd: ${MBPS:-?} Mbit/s"
lig_check "iperf3 TCP throughput > 0" awk -v m="${MBPS:-0}" 'BEGIN { exit !(m > 0) }'
[ -n "${MBPS:-}" ] || cat "$LIG_TMP/iperf.log"
# The hosts keep Linux's default offloads: TCP crosses the xconnect as 64 KB super-frames.
lig_check "super-frames crossed the xconnect whole (rx gso > 0)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces host-$A | grep -q 'rx gso [1-9]'"

# Jumbo frames: 8000-byte pings, DF set, MTU 9000 on every link.
ip link set "$A" mtu 9000
ip link set "$B" mtu 9000
ip -n "$A" link set eth0 mtu 9000
ip -n "$B" link set eth0 mtu 9000
lig_check "set ligd MTU 9000" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface mtu 9000 host-$A &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface mtu 9000 host-$B"
lig_check "jumbo ping -s 8000 -M do a -> b" \
	ip netns exec "$A" ping -c 3 -i 0.2 -W 2 -s 8000 -M do 10.71.0.2
lig_check "MTU above the tx slot is refused" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface mtu 12000 host-$A"
lig_check "no rx errors on host-interfaces" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface | grep -q rx-error"
lig_ctl d show interface
lig_ctl d show errors

# Admin down: the Linux link goes down with it, traffic stops.
lig_check "admin down takes the veth down" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface state host-$A down &&
	! ip link show $A | grep -q ',UP'"
lig_ctl d set interface state "host-$A" up

# The carrier follows Linux as netlink reports it (no polling): the veth's far end going
# down takes host-A's link down within a second, and up again.
# link_is <state>: host-A's link state in show interface is <state> within 2 s.
link_is() {
	for _ in $(seq 20); do
		"$LIG_BIN/ligctl" -s "$LIG_TMP/d.sock" show interface "host-$A" |
			grep -q "host-$A .* up *$1" && return 0
		sleep 0.1
	done
	return 1
}
lig_check "link up again after admin up" link_is up
ip -n "$A" link set eth0 down
lig_check "far end down: host-A's link goes down" link_is down
ip -n "$A" link set eth0 up
lig_check "far end up: host-A's link comes back" link_is up
lig_check "ping a -> b after the link came back" lig_ping a 10.71.0.2 3

IDX_A=$(cat "/sys/class/net/$A/ifindex")
IDX_B=$(cat "/sys/class/net/$B/ifindex")
# The ringed socket, and a ringless one that sends GSO super-frames larger than a slot.
lig_check "ligd holds two packet sockets per host-interface" \
	test "$(packet_socket_count "$IDX_A")" -eq 2 -a "$(packet_socket_count "$IDX_B")" -eq 2
lig_check "delete host-interface A and B" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete host-interface name $A &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete host-interface name $B"
lig_check "delete of a missing host-interface fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete host-interface name $A"
lig_check "no host-interface left in ligd" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface | grep -q host-"
lig_check "no packet socket left on the veths" \
	test "$(packet_socket_count "$IDX_A")" -eq 0 -a "$(packet_socket_count "$IDX_B")" -eq 0
lig_check "promiscuity released" test "$(promiscuity "$A")" -eq 0
lig_check "ligd created no Linux interface" \
	sh -c "! ip -o link show | grep -q 'host-${LIG_PREFIX}'"

# SIGTERM with interfaces present: ligd closes them and exits cleanly.
lig_ctl d create host-interface name "$A" >/dev/null
eval "PID_D=\$LIG_PID_d"
kill -TERM "$PID_D"
for _ in $(seq 50); do kill -0 "$PID_D" 2>/dev/null || break; sleep 0.1; done
lig_check "ligd exits on SIGTERM" sh -c "! kill -0 $PID_D 2>/dev/null"
lig_check "exit closed the packet socket" test "$(packet_socket_count "$IDX_A")" -eq 0

lig_test_done

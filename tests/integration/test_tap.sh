#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tap interfaces end to end: ligd creates tap<n> with its host side in a namespace of
# the test (address and default route set by ligd; bridge, MAC and MTU for a second
# one, all through netlink), cross-connects it with a
# host-interface, and the two namespaces ping and run iperf3 TCP through ligd. delete
# tap and ligd's exit must leave no Linux interface behind.
# Usage: test_tap.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a"
lig_host a 10.72.0.1/24
lig_netns t
T=$LIG_NS
lig_start d || exit 1
ctl() { "$LIG_BIN/ligctl" -s "$LIG_TMP/d.sock" "$@"; }

lig_check "create tap with host-ns, address and gateway" \
	ctl create tap id 7 host-if-name veth-lig host-ns "$T" host-ip4-addr 10.72.0.2/24 \
	host-ip4-gw 10.72.0.1 hw-addr 02:00:00:00:72:07
lig_check "create tap in a missing netns fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 8 host-ns ${LIG_PREFIX}nonexistent"
lig_check "create tap with a taken id fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 7"
lig_check "host side is in the netns with its address" \
	sh -c "ip -n $T -o addr show dev veth-lig | grep -q 'inet 10.72.0.2/24'"
lig_check "default route via the gateway" \
	sh -c "ip -n $T route show default | grep -q 'via 10.72.0.1 dev veth-lig'"
lig_check "create host-interface" ctl create host-interface name "$A"
ctl set interface state tap7 up
ctl set interface state "host-$A" up
lig_check "xconnect tap7 <-> host-$A" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface l2 xconnect tap7 host-$A &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface l2 xconnect host-$A tap7"

lig_check "ping tap ns -> host a" lig_ping t 10.72.0.1 5
lig_check "ping host a -> tap ns" lig_ping a 10.72.0.2 3
lig_iperf_server "$A" 10.72.0.1
ip netns exec "$T" timeout 20 iperf3 -c 10.72.0.1 -t 3 -f m >"$LIG_TMP/iperf.log" 2>&1
MBPS=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
lig_log "iperf3 TCP tap ns -> host a through ligd: ${MBPS:-?} Mbit/s"
lig_check "iperf3 TCP throughput > 0" awk -v m="${MBPS:-0}" 'BEGIN { exit !(m > 0) }'
[ -n "${MBPS:-}" ] || cat "$LIG_TMP/iperf.log"

lig_check "admin down drops carrier on the host side" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface state tap7 down &&
	       ip -n $T link show veth-lig | grep -q NO-CARRIER"
ctl set interface state tap7 up
lig_check "jumbo: MTU 9000 on tap (host side set by ligd) and host-interface" \
	sh -c "ip link set $A mtu 9000 && ip -n $A link set eth0 mtu 9000 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface mtu 9000 tap7 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface mtu 9000 host-$A &&
	       ip -n $T link show veth-lig | grep -q 'mtu 9000'"
lig_check "jumbo ping -s 8000 -M do tap ns -> host a" \
	ip netns exec "$T" ping -c 3 -i 0.2 -W 2 -s 8000 -M do 10.72.0.1
ctl show interface
ctl show errors

# VPP's other host-side options: a Linux bridge of the tap's namespace, the host side's
# MAC and MTU; shown by running-config; a bridge that does not exist is refused by name
# and leaves no tap behind.
ip -n "$T" link add br-lig type bridge
ip -n "$T" link set br-lig up
lig_check "create tap with host-bridge, host-mac-addr, host-mtu-size" \
	ctl create tap id 11 host-ns "$T" host-if-name veth-br host-bridge br-lig \
	host-mac-addr 02:fe:00:00:72:11 host-mtu-size 4000
lig_check "host side enslaved to the bridge, with its MAC and MTU" \
	sh -c "ip -n $T -o link show veth-br | grep 'master br-lig' | grep 'mtu 4000' |
	       grep -q 'link/ether 02:fe:00:00:72:11'"
lig_check "running-config gives them back" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config |
	       grep 'create tap id 11' | grep 'host-bridge br-lig' | grep 'host-mac-addr 02:fe:00:00:72:11' |
	       grep -q 'host-mtu-size 4000'"
lig_check "a missing host-bridge is refused by name" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 12 host-ns $T host-if-name veth-nb \
	       host-bridge br-none 2>&1 | grep -q \"'br-none'\" && ! ip -n $T link show veth-nb >/dev/null 2>&1 &&
	       ! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface tap12 >/dev/null 2>&1"
lig_check "a multicast host-mac-addr is refused" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 13 host-mac-addr 03:00:00:00:00:01"
lig_check "delete tap11" ctl delete tap tap11

lig_check "delete tap" ctl delete tap tap7
lig_check "delete tap leaves no Linux interface" \
	sh -c "! ip -n $T link show veth-lig >/dev/null 2>&1"
lig_check "delete of a non-tap interface fails" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete tap host-$A"

# A tap in ligd's own namespace, then SIGTERM: the exit path removes it.
lig_check "create tap in ligd's namespace" ctl create tap id 9 host-if-name "${LIG_PREFIX}tp9"
lig_check "tap host side exists" ip link show "${LIG_PREFIX}tp9"
eval "PID_D=\$LIG_PID_d"
kill -TERM "$PID_D"
for _ in $(seq 50); do kill -0 "$PID_D" 2>/dev/null || break; sleep 0.1; done
lig_check "ligd exits on SIGTERM" sh -c "! kill -0 $PID_D 2>/dev/null"
lig_check "exit leaves no tap behind" sh -c "! ip link show ${LIG_PREFIX}tp9 >/dev/null 2>&1"

lig_test_done

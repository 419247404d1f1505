#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# VRF isolation: two VRFs (tables 1 and 2) holding the same subnets and the same
# gateway addresses, each with its own pair of namespace hosts. Traffic stays in its
# VRF; a route present only in VRF 1 is unreachable from VRF 2; tables in use cannot be
# deleted and an addressed interface cannot change table.
# Usage: test_ip4_vrf.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

for v in 1 2; do
	lig_host "x$v" 10.82.1.2/24
	lig_host "y$v" 10.82.2.2/24
	ip -n "${LIG_PREFIX}x$v" route add default via 10.82.1.1
	ip -n "${LIG_PREFIX}y$v" route add default via 10.82.2.1
	ip -n "${LIG_PREFIX}y$v" addr add 10.82.50.1/32 dev lo
	# No IPv6 chatter from the root namespace on the counted veths.
	sysctl -qw "net.ipv6.conf.${LIG_PREFIX}y$v.disable_ipv6=1"
done
lig_start d || exit 1

{
	echo "ip table add 1"
	echo "ip table add 2"
	for v in 1 2; do
		for h in x y; do
			echo "create host-interface name ${LIG_PREFIX}$h$v"
			echo "set interface state host-${LIG_PREFIX}$h$v up"
			echo "set interface ip table host-${LIG_PREFIX}$h$v $v"
		done
		echo "set interface ip address host-${LIG_PREFIX}x$v 10.82.1.1/24"
		echo "set interface ip address host-${LIG_PREFIX}y$v 10.82.2.1/24"
	done
	echo "ip route add 10.82.50.0/24 table 1 via 10.82.2.2"
} >"$LIG_TMP/setup.cli"
lig_check "configure two VRFs with the same prefixes" lig_ctl d exec "$LIG_TMP/setup.cli"

tx() { cat "/sys/class/net/${LIG_PREFIX}$1/statistics/tx_packets"; }
lig_check "VRF 1: x1 -> y1" lig_ping x1 10.82.2.2 3
lig_check "VRF 2: x2 -> y2" lig_ping x2 10.82.2.2 3
Y1=$(tx y1) Y2=$(tx y2)
lig_ping x1 10.82.2.2 5 >/dev/null
D1=$(( $(tx y1) - Y1 )) D2=$(( $(tx y2) - Y2 ))
lig_log "5 pings in VRF 1: $D1 frames to y1, $D2 to y2"
lig_check "VRF 1 traffic reaches only VRF 1's host" test "$D1" -ge 5 -a "$D2" -eq 0
lig_check "route only in VRF 1 works there" lig_ping x1 10.82.50.1 2
lig_check "same destination is unreachable from VRF 2" \
	sh -c "ip netns exec ${LIG_PREFIX}x2 ping -c 1 -W 2 10.82.50.1 | grep -q 'Unreachable'"
lig_check "show ip fib table 2 lacks the VRF 1 route" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib table 2 | grep -q '10.82.50.0/24'"
lig_check "show ip fib table 1 has it" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib table 1 | grep -q '10.82.50.0/24'"
lig_check "ligd ping in table 2" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.82.2.2 table 2 repeat 2 interval 200 | grep -q '2 received'"
lig_check "a table in use cannot be deleted" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table del 1"
lig_check "an addressed interface cannot change table" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip table host-${LIG_PREFIX}x1 2"
# An address another interface of the same VRF has is refused, naming that interface; the
# same address in another VRF is that VRF's own (x1 and x2 both have 10.82.1.1).
printf '%s\n' "create loopback interface instance 7" "ip table add 5" \
	"set interface ip table loop7 1" >"$LIG_TMP/dup.cli"
lig_check "a loopback joins VRF 1" lig_ctl d exec "$LIG_TMP/dup.cli"
lig_check "VRF 1's address on it is refused, naming its owner" sh -c \
	"! lig_out=\$('$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip address loop7 \
	10.82.1.1/32 2>&1) && echo \"\$lig_out\" |
	grep -q 'already configured on host-${LIG_PREFIX}x1 (table 1)'"
lig_check "after moving to a table without it, it takes the address" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip table loop7 5 &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip address loop7 10.82.1.1/32"
lig_check "table 5 cannot go while loop7 has an address in it, and can once it has none" sh -c \
	"! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table del 5 &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip address loop7 10.82.1.1/32 del &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip table del 5"
lig_check "its interface is back in table 0" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface ip address loop7 10.82.9.9/32 &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip interface | grep -qx 'loop7 (table 0)'"
lig_test_done

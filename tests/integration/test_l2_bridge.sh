#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# L2 bridging end to end: three namespace hosts on veths bridged by ligd (host-
# interfaces in bridge domain 10) ping each other and their MACs show up in show l2fib
# on the right ports; a domain with learn 0 still carries pings by flooding and learns
# nothing; an xconnect pair carries ping and iperf3; admin down stops a port's traffic
# and the drops are counted; a loopback BVI joins the domain; runt, oversized and
# garbage frames sent from a host with a raw socket are counted and pings go on; SIGTERM
# leaves no socket, packet socket or interface behind and ligd exits 0.
# Usage: test_l2_bridge.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

MAC_A=02:00:00:72:00:0a MAC_B=02:00:00:72:00:0b MAC_C=02:00:00:72:00:0c
lig_host a 10.72.0.1/24 $MAC_A
lig_host b 10.72.0.2/24 $MAC_B
lig_host c 10.72.0.3/24 $MAC_C
lig_host p 10.74.0.1/24 02:00:00:74:00:01
lig_host q 10.74.0.2/24 02:00:00:74:00:02
lig_host x 10.73.0.1/24
lig_host y 10.73.0.2/24
# No IPv6 chatter: the FIB counts below are exact.
for h in a b c p q x y; do
	ip netns exec "${LIG_PREFIX}$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.eth0.disable_ipv6=1
done
lig_start d || exit 1

A="host-${LIG_PREFIX}a" B="host-${LIG_PREFIX}b" C="host-${LIG_PREFIX}c"
P="host-${LIG_PREFIX}p" Q="host-${LIG_PREFIX}q"
X="host-${LIG_PREFIX}x" Y="host-${LIG_PREFIX}y"
CTL="$LIG_BIN/ligctl -s $LIG_TMP/d.sock"

# ctl_has <pattern> <command...>: the command succeeds and its output matches pattern.
ctl_has() {
	local pattern=$1; shift
	local out
	out=$($CTL "$@") || { echo "command failed: $*"; echo "$out"; return 1; }
	echo "$out" | grep -Eq -- "$pattern" || { echo "no '$pattern' in '$*':"; echo "$out"; return 1; }
}

# error_count <reason>: the summed count of a show errors line naming that reason.
error_count() {
	$CTL show errors | awk -v r="$1" 'index($0, r) { n += $1 } END { print n + 0 }'
}

packet_socket_count() {
	awk -v i="$1" 'NR > 1 && $5 == i { n++ } END { print n + 0 }' /proc/net/packet
}

for h in a b c p q x y; do
	$CTL create host-interface name "${LIG_PREFIX}$h" >/dev/null || { echo "create host-interface $h failed"; exit 1; }
	$CTL set interface state "host-${LIG_PREFIX}$h" up
done

### Bridge domain 10: three hosts, learning.
lig_check "create bridge-domain 10" $CTL create bridge-domain 10
lig_check "bridge a, b, c into bd 10" sh -c "$CTL set interface l2 bridge $A 10 &&
	$CTL set interface l2 bridge $B 10 && $CTL set interface l2 bridge $C 10"
lig_check "ping a -> b" lig_ping a 10.72.0.2
lig_check "ping a -> c" lig_ping a 10.72.0.3
lig_check "ping b -> c" lig_ping b 10.72.0.3
lig_check "l2fib: a's MAC on $A" ctl_has "^ *$MAC_A .* $A\$" show l2fib verbose
lig_check "l2fib: b's MAC on $B" ctl_has "^ *$MAC_B .* $B\$" show l2fib verbose
lig_check "l2fib: c's MAC on $C" ctl_has "^ *$MAC_C .* $C\$" show l2fib verbose
lig_check "l2fib: exactly 3 entries in bd 10" ctl_has "^3 l2fib entries" show l2fib bd 10
lig_check "show bridge-domain lists bd 10" ctl_has "^ +10 +[0-9]+ +[0-9]+ +off +on +on +flood +on +off" \
	show bridge-domain
lig_check "show mode: a bridged in bd 10" ctl_has "l2 bridge $A bd_id 10" show mode $A
lig_check "deleting a bd with ports is refused" sh -c "! $CTL create bridge-domain 10 del"
lig_check "a BVI must be a loopback" sh -c "! $CTL set interface l2 bridge $B 10 bvi"
$CTL show l2fib verbose

### Bridge domain 20 with learn 0: flooding carries the pings, nothing is learned.
lig_check "create bridge-domain 20 learn 0 uu-flood 1" $CTL create bridge-domain 20 learn 0 uu-flood 1
lig_check "bridge p, q into bd 20" sh -c "$CTL set interface l2 bridge $P 20 && $CTL set interface l2 bridge $Q 20"
FLOODS0=$(error_count "flood copies sent")
lig_check "ping p -> q (learn 0, flooded)" lig_ping p 10.74.0.2
lig_check "l2fib of bd 20 stays empty" ctl_has "^0 l2fib entries" show l2fib bd 20
lig_check "flood copies were counted" test "$(error_count "flood copies sent")" -gt "$FLOODS0"
lig_check "show bridge-domain 20: learning off" ctl_has "^ +20 +[0-9]+ +[0-9]+ +off +off" show bridge-domain 20

### Xconnect pair x <-> y: ping and iperf3 TCP for 3 s.
lig_check "xconnect x -> y and y -> x" sh -c "$CTL set interface l2 xconnect $X $Y && $CTL set interface l2 xconnect $Y $X"
lig_check "ping x -> y through the xconnect" lig_ping x 10.73.0.2
lig_iperf_server "${LIG_PREFIX}y" 10.73.0.2
ip netns exec "${LIG_PREFIX}x" timeout 20 iperf3 -c 10.73.0.2 -t 3 -f m >"$LIG_TMP/iperf.log" 2>&1
MBPS=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
lig_log "iperf3 TCP x -> y through the xconnect: ${MBPS:-?} Mbit/s"
lig_check "iperf3 TCP throughput > 0" awk -v m="${MBPS:-0}" 'BEGIN { exit !(m > 0) }'
[ -n "${MBPS:-}" ] || cat "$LIG_TMP/iperf.log"

### Admin down of c: its traffic stops and the drops are counted.
lig_check "ping a -> c before admin down" lig_ping a 10.72.0.3 2
DOWN0=$(error_count "interface is admin down")
$CTL set interface state $C down
lig_check "ping a -> c fails while c is admin down" sh -c "! ip netns exec ${LIG_PREFIX}a ping -c 3 -i 0.2 -W 1 10.72.0.3"
lig_check "show errors counts 'interface is admin down'" test "$(error_count "interface is admin down")" -gt "$DOWN0"
lig_check "show interface $A counts drops" ctl_has "drops +[1-9]" show interface $A
lig_check "ping a -> b unaffected" lig_ping a 10.72.0.2 2
$CTL set interface state $C up
sleep 1
lig_check "ping a -> c after admin up" lig_ping a 10.72.0.3 3

### BVI: a loopback in bd 10.
LOOP=$($CTL loopback create | tr -d '[:space:]')
lig_check "loopback created ($LOOP)" test -n "$LOOP"
$CTL set interface state "$LOOP" up
lig_check "set interface l2 bridge $LOOP 10 bvi" $CTL set interface l2 bridge "$LOOP" 10 bvi
lig_check "show bridge-domain 10 names the BVI" ctl_has "^ +10 .* $LOOP\$" show bridge-domain 10
lig_check "show bridge-domain 10 detail lists the BVI port" ctl_has "^ +$LOOP +[0-9]+ +0 +\\*" show bridge-domain 10 detail
lig_check "the BVI's MAC is a static bvi entry" ctl_has " \\* +- +\\* +$LOOP\$" show l2fib bd 10
lig_check "a second BVI is refused" sh -c "L2=\$($CTL loopback create | tr -d '[:space:]') && ! $CTL set interface l2 bridge \$L2 10 bvi"
# With L3 on the BVI (when the ip4 module is present), hosts reach it.
if $CTL set interface ip address "$LOOP" 10.72.0.254/24 >/dev/null 2>&1; then
	lig_check "ping a -> BVI 10.72.0.254" lig_ping a 10.72.0.254
else
	lig_log "SKIP: no 'set interface ip address' in this ligd: BVI L3 reachability not tested"
fi
$CTL show bridge-domain 10 detail

### Bad frames from host a on a raw socket: counted, and forwarding goes on.
# The veth carries up to 2000 bytes so that a 1600-byte frame reaches ligd, whose MTU
# for the port stays 1500.
ip link set "${LIG_PREFIX}a" mtu 2000
ip -n "${LIG_PREFIX}a" link set eth0 mtu 2000
RUNT0=$(error_count "runt frame")
BIG0=$(error_count "frame larger than rx interface MTU")
SRC0=$(error_count "multicast or zero source MAC")
LEN0=$(error_count "802.3 length field exceeds frame")
ip netns exec "${LIG_PREFIX}a" python3 - "$MAC_A" >"$LIG_TMP/raw.log" 2>&1 <<'EOF'
import os, socket, sys
me = bytes.fromhex(sys.argv[1].replace(":", ""))
bcast = b"\xff" * 6
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
def send(name, frame):
    try:
        s.send(frame)
        print("sent", name, len(frame))
    except OSError as e:
        print("refused", name, len(frame), e.errno)
send("runt", os.urandom(10))
send("oversized", bcast + me + b"\x08\x00" + bytes(1586))
for _ in range(5):
    send("mcast-src", bcast + b"\x01\x00\x5e\x00\x00\x01" + b"\x08\x00" + bytes(46))
send("zero-src", bcast + bytes(6) + b"\x08\x00" + bytes(46))
for _ in range(20):
    r = bytearray(os.urandom(60))
    r[6] |= 1  # random bytes, but never a learnable source
    send("random", bytes(r))
send("bad-802.3-length", bcast + me + b"\x05\x00" + bytes(46))
EOF
cat "$LIG_TMP/raw.log" | sort | uniq -c
sleep 0.3
if grep -q "^sent runt" "$LIG_TMP/raw.log"; then
	lig_check "runt counted" test "$(error_count "runt frame")" -gt "$RUNT0"
else
	lig_log "the kernel refuses to send a 10-byte frame on a veth (min header length): runt not injectable"
fi
lig_check "oversized frame counted" test "$(error_count "frame larger than rx interface MTU")" -gt "$BIG0"
lig_check "multicast/zero source MAC frames counted (>= 26)" \
	test "$(error_count "multicast or zero source MAC")" -ge $((SRC0 + 26))
lig_check "bad 802.3 length counted" test "$(error_count "802.3 length field exceeds frame")" -gt "$LEN0"
lig_check "show interface $A counts rx errors" ctl_has "rx-error +[1-9]" show interface $A
lig_check "no garbage MAC was learned (bd 10: 3 hosts + BVI)" ctl_has "^4 l2fib entries" show l2fib bd 10
lig_check "ping a -> b after the garbage" lig_ping a 10.72.0.2
lig_check "ping c -> a after the garbage" lig_ping c 10.72.0.1
$CTL show errors
$CTL show interface

### clear l2fib keeps the static BVI entry; traffic relearns.
lig_check "clear l2fib" $CTL clear l2fib
lig_check "only the static BVI entry is left" ctl_has "^1 l2fib entries" show l2fib
lig_check "ping b -> c relearns" lig_ping b 10.72.0.3 2
lig_check "b and c learned again" sh -c "$CTL show l2fib | grep -q '$MAC_B' && $CTL show l2fib | grep -q '$MAC_C'"

### SIGTERM: ligd exits 0 and leaves nothing behind.
IDX_A=$(cat "/sys/class/net/${LIG_PREFIX}a/ifindex")
IDX_X=$(cat "/sys/class/net/${LIG_PREFIX}x/ifindex")
eval "PID_D=\$LIG_PID_d"
kill -TERM "$PID_D"
RC=0
wait "$PID_D" || RC=$?
lig_check "ligd exits 0 on SIGTERM (rc $RC)" test "$RC" -eq 0
lig_check "no CLI socket file left" test ! -e "$LIG_TMP/d.sock"
lig_check "no packet socket left on the veths" \
	test "$(packet_socket_count "$IDX_A")" -eq 0 -a "$(packet_socket_count "$IDX_X")" -eq 0
lig_check "no promiscuous veth left" sh -c "! ip -d link show ${LIG_PREFIX}a | grep -q 'promiscuity [1-9]'"
lig_check "ligd created no Linux interface" sh -c "! ip -o link show | grep -q 'host-${LIG_PREFIX}'"

lig_test_done

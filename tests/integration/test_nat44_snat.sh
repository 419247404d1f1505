#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# NAT44 source NAT of a pod subnet: pod 10.91.1.2 behind ligd (inside 10.91.1.1/24) reaches
# an outside host 192.168.91.2 and a far host 192.168.92.2 behind it (a Linux router) with
# TCP, UDP and ping, all seen from the outside as 192.168.91.1 (the pool address, ligd's
# outside address); the outside hosts have no route to the pod subnet, so nothing works
# untranslated. traceroute from the pod sees ligd, the router (time exceeded) and the far
# host (port unreachable): the two ICMP errors come back translated, inner header included
# (traceroute matches them to its probes by the inner ports). Then the session table,
# address deletion freeing sessions, and the running-config.
# Usage: test_nat44_snat.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
TOOL="$(dirname "$0")/nat44_tool.py"

P="${LIG_PREFIX}p" O="${LIG_PREFIX}o"
lig_host p 10.91.1.2/24
lig_host o 192.168.91.2/24
ip -n "$P" route add default via 10.91.1.1
# The far host hangs off the outside host, which routes (a plain Linux router).
lig_netns f
F=$LIG_NS
ip link add "${LIG_PREFIX}fa" netns "$O" type veth peer name eth0 netns "$F"
ip -n "$O" addr add 192.168.92.1/24 dev "${LIG_PREFIX}fa"
ip -n "$O" link set "${LIG_PREFIX}fa" up
ip -n "$F" addr add 192.168.92.2/24 dev eth0
ip -n "$F" link set eth0 up
ip -n "$F" route add default via 192.168.92.1
ip netns exec "$O" sysctl -qw net.ipv4.ip_forward=1

lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $P
create host-interface name $O
set interface state host-$P up
set interface state host-$O up
set interface ip address host-$P 10.91.1.1/24
set interface ip address host-$O 192.168.91.1/24
ip route add 192.168.92.0/24 via 192.168.91.2
nat44 plugin enable sessions 1024
set interface nat44 in host-$P out host-$O
nat44 add address 192.168.91.1
EOF
lig_check "configure SNAT" lig_ctl d exec "$LIG_TMP/setup.cli"

lig_tool_serve "$O" outside 7000 || lig_check "server outside" false
lig_tool_serve "$F" far 7001 || lig_check "server far" false

lig_check "ping out (outside host)" lig_ping p 192.168.91.2 3
lig_check "ping out (far host, through the router)" lig_ping p 192.168.92.2 3
ip netns exec "$P" python3 "$TOOL" tcp 192.168.91.2 7000 5 3 >"$LIG_TMP/tcp.out" 2>&1
cat "$LIG_TMP/tcp.out" | sed 's/^/    /' | head -5
lig_check "TCP out and back: 5 connections x 3 rounds" \
	sh -c "[ \$(grep -c '^conn .* outside,outside,outside peer 192.168.91.2:7000' $LIG_TMP/tcp.out) -eq 5 ]"
lig_check "the outside host saw the pool address, not the pod" \
	sh -c "ip netns exec $P python3 $TOOL udp 192.168.91.2 7000 1 | grep -q 'outside 192.168.91.1:'"
ip netns exec "$P" python3 "$TOOL" udp 192.168.92.2 7001 5 >"$LIG_TMP/udp.out" 2>&1
lig_check "UDP out and back (far host): 5 of 5, source translated" \
	sh -c "[ \$(grep -c '^reply far 192.168.91.1:[0-9]* from 192.168.92.2:7001' $LIG_TMP/udp.out) -eq 5 ]"

# traceroute: UDP probes; hop 1 is ligd (TTL expiry answered untranslated to the pod),
# hop 2 the router's time exceeded, hop 3 the far host's port unreachable, both about
# translated probes: traceroute only prints a hop when the inner header is its own probe.
ip netns exec "$P" traceroute -n -q 1 -w 2 -m 5 192.168.92.2 >"$LIG_TMP/tr.out" 2>&1
sed 's/^/    /' "$LIG_TMP/tr.out"
lig_check "traceroute hop 1: ligd" grep -qE '^ 1  10\.91\.1\.1 ' "$LIG_TMP/tr.out"
lig_check "traceroute hop 2: the router (time exceeded, translated)" \
	grep -qE '^ 2  192\.168\.91\.2 ' "$LIG_TMP/tr.out"
lig_check "traceroute hop 3: the far host (port unreachable, translated)" \
	grep -qE '^ 3  192\.168\.92\.2 ' "$LIG_TMP/tr.out"

if [ "${LIG_TEST_WORKERS:-0}" -ge 2 ]; then
	# Both directions of a session run on the worker that owns it: handoff between workers.
	lig_ctl d show threads | grep -i -A4 handoff | sed 's/^/    /'
fi
lig_ctl d show nat44 sessions >"$LIG_TMP/sess.out"
head -12 "$LIG_TMP/sess.out" | sed 's/^/    /'
lig_check "sessions: TCP ones with the pool address" \
	grep -qE 'tcp 10\.91\.1\.2:[0-9]+ -> 192\.168\.91\.2:7000 => 192\.168\.91\.1:[0-9]+ -> 192\.168\.91\.2:7000' "$LIG_TMP/sess.out"
lig_check "sessions: an ICMP echo one" grep -qE 'icmp 10\.91\.1\.2:[0-9]+ -> 192\.168\.92\.2' "$LIG_TMP/sess.out"
lig_check "show nat44 addresses counts ports in use" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show nat44 addresses | grep -qE 'udp ports in use: [1-9]'"
lig_check "running-config has the NAT44 section" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -A4 'nat44 plugin enable sessions 1024' | grep -q 'nat44 add address 192.168.91.1'"
lig_check "unmatched inbound traffic is dropped (no forwarding)" \
	sh -c "! ip netns exec $O ping -c 1 -W 1 10.91.1.2"
lig_check "ligd's own outside address still answers ping" lig_ping o 192.168.91.1 2
lig_check "deleting the pool address frees its sessions" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' nat44 add address 192.168.91.1 del &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show nat44 sessions | grep -q 'total sessions: 0'"
lig_check "without a pool address, flows out are dropped and counted" \
	sh -c "! ip netns exec $P ping -c 1 -W 1 192.168.91.2 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'no NAT pool address'"
lig_check "errors name the object" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' nat44 add address 192.168.91.7 del 2>&1 | grep -q '192.168.91.7 - 192.168.91.7 is not in the NAT44 pool'"
lig_check "nat44 plugin disable forgets the configuration" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' nat44 plugin disable &&
	       ! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -q nat44 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show nat44 summary | grep -q 'NAT44 disabled'"
lig_check "after disable, routing without NAT44 (pod to ligd)" lig_ping p 10.91.1.1 2
lig_test_done

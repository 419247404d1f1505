#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# NAT44 under hostile traffic (source NAT of pod 10.94.1.2 to 192.168.94.1, 70 000 sessions):
# truncated TCP/UDP headers, TCP flag soup, fragments, GRE, ICMP errors quoting nothing or
# garbage, from inside and from outside; 66 000 new UDP flows against the pool's 64 511
# UDP ports (port exhaustion); a SYN flood of new flows filling the session table. Each is
# counted under its own reason, the table never exceeds its size, and a ping running
# through it all (an existing session) keeps forwarding; once the flood's sessions time
# out, new flows are translated again. Usage: test_nat44_hostile.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
TOOL="$(dirname "$0")/nat44_tool.py"

P="${LIG_PREFIX}p" O="${LIG_PREFIX}o"
lig_host p 10.94.1.2/24
lig_host o 192.168.94.2/24
ip -n "$P" route add default via 10.94.1.1
lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $P
create host-interface name $O
set interface state host-$P up
set interface state host-$O up
set interface ip address host-$P 10.94.1.1/24
set interface ip address host-$O 192.168.94.1/24
nat44 plugin enable sessions 70000
set interface nat44 in host-$P out host-$O
nat44 add address 192.168.94.1
EOF
lig_check "configure SNAT with 70 000 sessions" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_tool_serve "$O" outside 7000 || lig_check "server outside" false
lig_check "ping out before" lig_ping p 192.168.94.2 2
# A ping through everything that follows (its session exists before the floods).
ip netns exec "$P" ping -i 0.1 -c 150 -W 1 192.168.94.2 >"$LIG_TMP/bgping.out" 2>&1 &
BGPING=$!
LIG_PIDS+=($BGPING)

err_count() { # err_count <reason text>: the summed count of nat44 errors with that reason
	lig_ctl d show errors | awk -v r="$1" 'index($0, r) && /nat44-ed/ {s += $1} END {print s + 0}'
}

lig_check "hostile packets from inside" ip netns exec "$P" python3 "$TOOL" junk 192.168.94.2 7000
lig_check "hostile packets from outside (to the pool address and to the pod)" \
	sh -c "ip netns exec $O python3 $TOOL junk 192.168.94.1 7000 && ip netns exec $O ip route add 10.94.1.0/24 via 192.168.94.1 && ip netns exec $O python3 $TOOL junk 10.94.1.2 7000"
sleep 0.5
lig_ctl d show errors | grep nat44 | sed 's/^/    /'
lig_check "truncated L4 headers counted (>= 60)" [ "$(err_count 'L4 header truncated')" -ge 60 ]
lig_check "TCP flag soup counted (SYN+FIN / SYN+RST >= 60)" [ "$(err_count 'SYN with FIN or RST')" -ge 60 ]
lig_check "TCP without SYN and session counted (>= 80)" [ "$(err_count 'without SYN and without session')" -ge 80 ]
lig_check "fragments counted (>= 40)" [ "$(err_count 'fragment needing translation')" -ge 40 ]
lig_check "other protocols counted (>= 20)" [ "$(err_count 'other than TCP, UDP and ICMP')" -ge 20 ]
lig_check "ICMP errors quoting no session counted (>= 20)" [ "$(err_count 'matches no session')" -ge 20 ]
lig_check "untranslatable ICMP types counted (>= 20)" [ "$(err_count 'ICMP type not translated')" -ge 20 ]
lig_check "unmatched outside traffic to the pod counted" [ "$(err_count 'no session and no mapping')" -ge 20 ]

# Port exhaustion: 66 000 new UDP flows, 64 511 dynamic UDP ports (1024..65534).
# A burst can lose packets on the veth before ligd reads them: the same flows are sent
# again (those translated already hit their sessions) until the pool is full, 3 times at most.
for pass in 1 2 3; do
	ip netns exec "$P" python3 "$TOOL" udpflood 192.168.94.2 9000 66000
	sleep 1
	ADDR=$(lig_ctl d show nat44 addresses)
	echo "$ADDR" | grep -q 'udp ports in use: 64511' && break
	lig_log "pass $pass: $(echo "$ADDR" | grep 'udp ports') (flood packets lost on the way in)"
done
echo "$ADDR" | sed 's/^/    /'
lig_check "port exhaustion counted" [ "$(err_count 'no free port in the NAT pool')" -gt 0 ]
lig_check "every UDP port of the pool in use, no more" \
	sh -c "echo '$ADDR' | grep -q 'udp ports in use: 64511'"

# SYN flood: new TCP flows until the table is full.
ip netns exec "$P" python3 "$TOOL" syn 192.168.94.2 9000 8000
sleep 1
SUM=$(lig_ctl d show nat44 summary)
echo "$SUM" | sed 's/^/    /'
lig_check "a full table refuses new flows, counted" [ "$(err_count 'session table full')" -gt 0 ]
lig_check "the table holds at most its 70 000 sessions" \
	sh -c "echo '$SUM' | grep -qE 'thread 0: (70000|6[0-9]{4}) of 70000 sessions'"
lig_check "show nat44 sessions prints 1000 of 70 000 and says so" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show nat44 sessions >$LIG_TMP/show.out &&
	       [ \$(grep -c '^  [a-z]* [0-9.]*:' $LIG_TMP/show.out) -eq 1000 ] &&
	       grep -q 'the first 1000 shown' $LIG_TMP/show.out"
lig_check "a new TCP connection is refused while full" \
	sh -c "! ip netns exec $P python3 $TOOL tcp 192.168.94.2 7000 1 1"
wait "$BGPING"
RECV=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LIG_TMP/bgping.out")
lig_log "background ping: ${RECV:-0} of 150 replies"
lig_check "the existing flow kept forwarding through it all (>= 140 of 150 replies)" [ "${RECV:-0}" -ge 140 ]

# Short timeouts: the flood's sessions expire and are reclaimed as new flows need them.
lig_check "set nat timeout" lig_ctl d set nat timeout udp 1 tcp-transitory 1 icmp 1
sleep 2
lig_check "new flows are translated again" \
	sh -c "ip netns exec $P python3 $TOOL tcp 192.168.94.2 7000 3 2 | grep -c 'outside,outside peer' | grep -q 3"
lig_check "ping still works" lig_ping p 192.168.94.2 2
lig_check "ligd answers" lig_ctl d show version
lig_test_done

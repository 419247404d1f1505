#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# NAT44 load-balancing static mapping (a Kubernetes service): service 10.100.0.10:80 over
# two backend pods (10.92.1.11:8080 probability 70, 10.92.1.12:8080 probability 30) in
# bridge domain 5 behind BVI loop0 (inside); a client on the outside interface opens 100
# TCP connections with 3 request/replies each:
# - every connection completes with the service address as its peer (the replies carry
#   it: the client's TCP would not accept them from a backend's address);
# - every connection sticks to one backend (its 3 replies come from the same one);
# - the split follows the probabilities: backend 1 gets X ~ Binomial(100, 0.7) (mean 70,
#   sd 4.58); the test accepts 52 <= X <= 88 (within 3.9 sd: a correct ligd fails it
#   with probability < 1e-4).
# Hairpin: a client pod in the same bridge domain, and backend 1 itself, reach the service
# (destination and source translated, so the backend answers through ligd). Affinity: with
# affinity 60 s, 20 connections of one client all land on one backend. A port static
# mapping. Usage: test_nat44_lb.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
TOOL="$(dirname "$0")/nat44_tool.py"

B1="${LIG_PREFIX}b1" B2="${LIG_PREFIX}b2" C="${LIG_PREFIX}c" O="${LIG_PREFIX}o"
lig_host b1 10.92.1.11/24
lig_host b2 10.92.1.12/24
lig_host c 10.92.1.13/24
lig_host o 192.168.93.2/24
for ns in "$B1" "$B2" "$C"; do ip -n "$ns" route add default via 10.92.1.1; done
ip -n "$O" route add 10.100.0.0/24 via 192.168.93.1

lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create bridge-domain 5 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
create host-interface name $B1
create host-interface name $B2
create host-interface name $C
create host-interface name $O
set interface state host-$B1 up
set interface state host-$B2 up
set interface state host-$C up
set interface state host-$O up
set interface l2 bridge host-$B1 5
set interface l2 bridge host-$B2 5
set interface l2 bridge host-$C 5
loopback create mac 02:00:00:00:92:01
set interface l2 bridge loop0 5 bvi
set interface state loop0 up
set interface ip address loop0 10.92.1.1/24
set interface ip address host-$O 192.168.93.1/24
nat44 plugin enable sessions 4096
set interface nat44 in loop0 out host-$O
nat44 add load-balancing static mapping protocol tcp external 10.100.0.10:80 local 10.92.1.11:8080 probability 70 local 10.92.1.12:8080 probability 30
nat44 add load-balancing static mapping protocol tcp external 10.100.0.10:81 local 10.92.1.11:8080 probability 50 local 10.92.1.12:8080 probability 50 affinity 60
nat44 add static mapping tcp local 10.92.1.12 8080 external 192.168.93.1 8081
EOF
lig_check "configure the service" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_tool_serve "$B1" b1 8080 || lig_check "server b1" false
lig_tool_serve "$B2" b2 8080 || lig_check "server b2" false
lig_ping o 192.168.93.1 1 >/dev/null 2>&1
lig_ping b1 10.92.1.1 1 >/dev/null 2>&1
lig_ping b2 10.92.1.1 1 >/dev/null 2>&1

ip netns exec "$O" python3 "$TOOL" tcp 10.100.0.10 80 100 3 >"$LIG_TMP/lb.out" 2>&1
N_OK=$(grep -c ' peer 10.100.0.10:80$' "$LIG_TMP/lb.out")
N_B1=$(grep -c '^conn [0-9]* b1,b1,b1 peer' "$LIG_TMP/lb.out")
N_B2=$(grep -c '^conn [0-9]* b2,b2,b2 peer' "$LIG_TMP/lb.out")
head -3 "$LIG_TMP/lb.out" | sed 's/^/    /'
[ "$N_OK" -eq 100 ] || { lig_ctl d show errors; lig_ctl d show nat44 sessions | head; }
lig_log "100 connections: $N_OK completed with the service as peer; b1 $N_B1, b2 $N_B2"
lig_check "100 of 100 connections completed, replies from the service address" [ "$N_OK" -eq 100 ]
lig_check "every connection stuck to one backend (b1 + b2 sticky = 100)" [ $((N_B1 + N_B2)) -eq 100 ]
lig_check "split by probability 70/30: 52 <= b1 = $N_B1 <= 88" [ "$N_B1" -ge 52 ] && [ "$N_B1" -le 88 ]
lig_ctl d show nat44 sessions >"$LIG_TMP/sess.out"
lig_check "sessions: client to service translated to a backend" \
	grep -qE 'tcp 192\.168\.93\.2:[0-9]+ -> 10\.100\.0\.10:80 => 192\.168\.93\.2:[0-9]+ -> 10\.92\.1\.1[12]:8080' "$LIG_TMP/sess.out"

ip netns exec "$C" python3 "$TOOL" tcp 10.100.0.10 80 10 2 >"$LIG_TMP/hp.out" 2>&1
lig_check "hairpin: a pod in the same bridge domain reaches the service (10 of 10)" \
	sh -c "[ \$(grep -c ' peer 10.100.0.10:80\$' $LIG_TMP/hp.out) -eq 10 ]"
ip netns exec "$B1" python3 "$TOOL" tcp 10.100.0.10 80 20 2 >"$LIG_TMP/self.out" 2>&1
lig_check "hairpin: backend 1 reaches the service (20 of 20)" \
	sh -c "[ \$(grep -c ' peer 10.100.0.10:80\$' $LIG_TMP/self.out) -eq 20 ]"
lig_check "hairpin: ... and some of its connections were served by itself" \
	grep -q 'b1,b1 peer' "$LIG_TMP/self.out"
lig_check "hairpin flows counted" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -qE '[0-9]+ +nat44-ed-in2out +hairpinned'"

ip netns exec "$O" python3 "$TOOL" tcp 10.100.0.10 81 20 1 >"$LIG_TMP/aff.out" 2>&1
awk "{print \$3}" "$LIG_TMP/aff.out" | sort | uniq -c | sed "s/^/    /"
lig_check "affinity: 20 connections of one client, one backend" \
	sh -c "[ \$(grep -c ' peer 10.100.0.10:81\$' $LIG_TMP/aff.out) -eq 20 ] &&
	       [ \$(awk '{print \$3}' $LIG_TMP/aff.out | sort -u | wc -l) -eq 1 ]"
ip netns exec "$O" python3 "$TOOL" tcp 192.168.93.1 8081 3 1 >"$LIG_TMP/st.out" 2>&1
lig_check "port static mapping 192.168.93.1:8081 -> backend 2" \
	sh -c "[ \$(grep -c 'b2 peer 192.168.93.1:8081\$' $LIG_TMP/st.out) -eq 3 ]"
lig_ctl d show nat44 static mappings | sed 's/^/    /'
lig_check "running-config recreates the LB mappings" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -q 'external 10.100.0.10:81 local 10.92.1.11:8080 probability 50 local 10.92.1.12:8080 probability 50 affinity 60'"
lig_check "deleting the service frees its sessions and stops it" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' nat44 add load-balancing static mapping protocol tcp external 10.100.0.10:80 del &&
	       ! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show nat44 sessions | grep -q ' -> 10.100.0.10:80 ' &&
	       ! ip netns exec $O python3 $TOOL tcp 10.100.0.10 80 1 1"
lig_test_done

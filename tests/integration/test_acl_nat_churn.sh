#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ACL and NAT44 configuration churn while two worker threads forward (make test runs it
# again against a ThreadSanitizer build of ligd: any race report fails it).
# Traffic for the whole run: a ping flood across bridge domain 7 (host-a <-> host-b, an
# ACL applied and removed on both ports), a ping flood from the inside pod p to the
# outside host o (source NAT from the pool, through a permit+reflect ACL), UDP floods from
# distinct source ports out of p (more new flows than the NAT and ACL session tables
# hold), and UDP requests from o to a static mapping and a load-balancing mapping (served
# by p). Meanwhile, over and over: ACLs replaced, applied to and removed from the
# interfaces (input and output, L3 and L2), NAT44 static and LB mappings added and
# deleted, NAT44 taken off the interfaces and put back, pool addresses added and deleted
# (the one in use too: its sessions go), rx queues moved between the workers, and the
# show commands read the per-thread state. Before the churn: a reflect session whose
# replies arrive on the other worker records their TCP SYN.
# At the end: ligd alive, the bridge flood got answers during the churn, every path works
# again, no session table above its bound (the floods reached both bounds), and once the
# interfaces are deleted every buffer is back in the pool.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/acl_lib.sh"
lig_test_init "$1"
T=$LIG_TMP
TOOL="$here/nat44_tool.py"
SECS=${LIG_CHURN_SECONDS:-10}
NAT_MAX=512  # NAT44 sessions per thread
ACL_MAX=256  # ACL reflect sessions per thread

P="${LIG_PREFIX}p"; O="${LIG_PREFIX}o"; A="${LIG_PREFIX}a"; B="${LIG_PREFIX}b"
lig_host p 10.93.1.2/24
ip -n "$P" addr add 10.93.1.3/24 dev eth0
ip -n "$P" route add default via 10.93.1.1
lig_host o 192.168.97.2/24
lig_host a 10.93.5.1/24
lig_host b 10.93.5.2/24
printf 'cpu {\n  workers 2\n}\n' >"$T/cpu.conf"
LIG_TEST_WORKERS=0 lig_start d -c "$T/cpu.conf" || exit 1
total=$(lig_ctl d show buffers | awk '$1 == "default" { print $2 }')

ACL0="permit+reflect src 10.93.1.0/24 dst 0.0.0.0/0 proto 17, permit+reflect src 10.93.1.0/24 dst 0.0.0.0/0 proto 1, permit src 0.0.0.0/0 dst 0.0.0.0/0"
ACL0B="deny src 0.0.0.0/0 dst 0.0.0.0/0 proto 6 dport 9999, $ACL0"
ACL0="permit+reflect src 10.93.0.0/16 dst 0.0.0.0/0 proto 6 dport 7100, $ACL0"
ACL1="deny src 0.0.0.0/0 dst 0.0.0.0/0 proto 6 dport 9999, permit src 0.0.0.0/0 dst 0.0.0.0/0"
ACL1B="deny src 0.0.0.0/0 dst 0.0.0.0/0 proto 17 dport 9998, permit src 0.0.0.0/0 dst 0.0.0.0/0"
STATIC="nat44 add static mapping udp local 10.93.1.2 5000 external 192.168.97.1 5000"
LB="nat44 add load-balancing static mapping protocol udp external 192.168.97.10:6000 local 10.93.1.2:6000 probability 50 local 10.93.1.3:6000 probability 50"
cat >"$T/setup.cli" <<EOF
create host-interface name $P
create host-interface name $O
create host-interface name $A
create host-interface name $B
create bridge-domain 7
set interface l2 bridge host-$A 7
set interface l2 bridge host-$B 7
set interface ip address host-$P 10.93.1.1/24
set interface ip address host-$O 192.168.97.1/24
set interface state host-$P up
set interface state host-$O up
set interface state host-$A up
set interface state host-$B up
set acl-plugin session table max-entries $ACL_MAX
set acl-plugin session timeout udp idle 2
nat44 plugin enable sessions $NAT_MAX
set nat timeout udp 2 tcp-transitory 2
set interface nat44 in host-$P out host-$O
nat44 add address 192.168.97.1
$STATIC
$LB
set acl-plugin acl index 0 $ACL0
set acl-plugin acl index 1 $ACL1
set acl-plugin acl index 2 permit src 0.0.0.0/0 dst 0.0.0.0/0
set acl-plugin interface host-$P input acl 0
set acl-plugin interface host-$P output acl 2
EOF
lig_check "configure ACLs, NAT44 and the bridge" lig_ctl d exec "$T/setup.cli"
ip -n "$O" route add 192.168.97.10/32 via 192.168.97.1
lig_tool_serve "$P" p 5000 || lig_check "server p:5000" false
lig_tool_serve "$P" p 6000 || lig_check "server p:6000" false
lig_tool_serve "$B" b 7100 || lig_check "server b:7100" false
# A reflect session made on one worker whose replies arrive on the other (bridge ports
# host-a and host-b on different workers, ACL 0 on host-a's input, ACL 2 on its output)
# records them: the reply's SYN (0x02) in its TCP state.
lig_ctl d set interface rx-placement "host-$A" queue 0 worker 0
lig_ctl d set interface rx-placement "host-$B" queue 0 worker 1
lig_ctl d set acl-plugin interface "host-$A" input acl 0
lig_ctl d set acl-plugin interface "host-$A" output acl 2
ip netns exec "$A" python3 "$TOOL" tcp 10.93.5.2 7100 1 2 >"$T/tcp7100.out" 2>&1
lig_ctl d show acl-plugin sessions >"$T/acl-tcp.out"
lig_ctl d set acl-plugin interface "host-$A" input acl 0 del
lig_ctl d set acl-plugin interface "host-$A" output acl 2 del
grep ' proto 6 ' "$T/acl-tcp.out" | sed 's/^/    /'
lig_check "a TCP connection through permit+reflect with replies on the other worker" \
	grep -q '^conn 0 b,b peer' "$T/tcp7100.out"
reply_syn_seen() {
	local v
	v=$(awk '/ proto 6 / { for (i = 1; i < NF; i++) if ($i == "tcp-seen") print $(i + 1) }' \
		"$T/acl-tcp.out" | head -1)
	[ -n "$v" ] && [ $((v & 2)) = 2 ]
}
lig_check "its session saw the reply's SYN (tcp-seen has 0x02)" reply_syn_seen
lig_check "the bridge forwards before the churn" lig_ping a 10.93.5.2 2
lig_check "SNAT works before the churn" lig_ping p 192.168.97.2 2
lig_check "the static mapping answers before the churn" sh -c \
	"ip netns exec $O python3 $TOOL udp 192.168.97.1 5000 1 | grep -q '^reply p 192.168.97.2:'"

# ---- traffic for the whole churn ----
tsecs=$((SECS + 2))
ip netns exec "$A" ping -q -f -w "$tsecs" 10.93.5.2 >"$T/ping-ab.out" 2>&1 &
p1=$!
ip netns exec "$P" ping -q -i 0.005 -w "$tsecs" 192.168.97.2 >"$T/ping-po.out" 2>&1 &
p2=$!
# New flows: a SYN flood and a UDP flood out of p (distinct source ports; the UDP flows
# make reflect sessions, the SYNs NAT sessions only), requests from o to the mappings.
(
	end=$((SECONDS + SECS))
	while [ "$SECONDS" -lt "$end" ]; do
		ip netns exec "$P" python3 "$TOOL" syn 192.168.97.2 7000 1500 >/dev/null 2>&1
		ip netns exec "$P" python3 "$TOOL" udpflood 192.168.97.2 7000 400 >/dev/null 2>&1
		ip netns exec "$O" timeout 4 python3 -u "$TOOL" udp 192.168.97.1 5000 1 >>"$T/udp-static.out" 2>&1
		ip netns exec "$O" timeout 4 python3 -u "$TOOL" udp 192.168.97.10 6000 1 >>"$T/udp-lb.out" 2>&1
	done
) &
p3=$!
LIG_PIDS+=("$p3")

# ---- churn ----
end=$((SECONDS + SECS)); iter=0
while [ "$SECONDS" -lt "$end" ]; do
	iter=$((iter + 1))
	{
		# ACLs replaced while applied (classifier swap), lists changed both ways.
		echo "set acl-plugin acl index 0 $([ $((iter % 2)) = 0 ] && echo "$ACL0" || echo "$ACL0B")"
		echo "set acl-plugin acl index 1 $([ $((iter % 2)) = 0 ] && echo "$ACL1" || echo "$ACL1B")"
		echo "set acl-plugin interface host-$A input acl 1"
		echo "set acl-plugin interface host-$B output acl 1"
		echo "set acl-plugin interface host-$O output acl 1"
	} >"$T/c1.cli"
	lig_ctl d exec "$T/c1.cli" >/dev/null
	lig_ctl d nat44 add address 192.168.97.20 - 192.168.97.21 >/dev/null
	lig_ctl d $STATIC del >/dev/null
	lig_ctl d $LB del >/dev/null
	lig_ctl d show acl-plugin sessions >/dev/null
	lig_ctl d show nat44 sessions >/dev/null
	{
		echo "set acl-plugin interface host-$A input acl 1 del"
		echo "set acl-plugin interface host-$B output acl 1 del"
		echo "set acl-plugin interface host-$O output acl 1 del"
		[ $((iter % 3)) = 0 ] && echo "set acl-plugin interface host-$P input acl 0 del"
		[ $((iter % 3)) = 0 ] && echo "set acl-plugin interface host-$P input acl 0"
		echo "nat44 add address 192.168.97.20 - 192.168.97.21 del"
		# The NAT44 features leave the interfaces and come back (packets may sit in
		# the handoff queues between the workers meanwhile).
		[ $((iter % 2)) = 1 ] && echo "set interface nat44 in host-$P out host-$O del"
		[ $((iter % 2)) = 1 ] && echo "set interface nat44 in host-$P out host-$O"
		[ $((iter % 4)) = 0 ] && echo "nat44 add address 192.168.97.1 del"
		[ $((iter % 4)) = 0 ] && echo "nat44 add address 192.168.97.1"
		echo "$STATIC"
		echo "$LB"
	} >"$T/c2.cli"
	lig_ctl d exec "$T/c2.cli" >/dev/null
	# rx queues move between the workers: reflect sessions made on one are met on the
	# other, NAT44 packets arrive on a worker that hands them to the session's owner.
	lig_ctl d set interface rx-placement "host-$P" queue 0 worker $((iter % 2))
	lig_ctl d set interface rx-placement "host-$O" queue 0 worker $(((iter + 1) % 2))
	for c in "show runtime" "show errors" "show threads" "show buffers" \
		"show acl-plugin interface" "show acl-plugin acl" "show nat44 summary" \
		"show nat44 static mappings" "show nat44 addresses"; do
		lig_ctl d $c >/dev/null
	done
	lig_ctl d clear acl-plugin counters
done
lig_log "$iter churn rounds in $SECS s"
wait "$p1" "$p2" "$p3"
for f in ping-ab ping-po; do lig_log "$f: $(grep -E 'packets transmitted' "$T/$f.out")"; done
lig_log "static mapping replies during the churn: $(grep -c '^reply' "$T/udp-static.out" 2>/dev/null) of $(wc -l <"$T/udp-static.out" 2>/dev/null); LB: $(grep -c '^reply' "$T/udp-lb.out" 2>/dev/null) of $(wc -l <"$T/udp-lb.out" 2>/dev/null)"

# ---- after ----
# The floods left both tables full, which refuses new flows (as it should): the short
# timeouts set above free them once the floods stop.
sleep 3
lig_check "ligd alive after the churn" kill -0 "$LIG_PID_d"
lig_check "the bridge flood got answers during the churn" \
	grep -qE ' [1-9][0-9]* received' "$T/ping-ab.out"
lig_check "the SNAT pings got answers during the churn" \
	grep -qE ' [1-9][0-9]* received' "$T/ping-po.out"
lig_check "the bridge forwards after the churn" lig_ping a 10.93.5.2 2
lig_check "SNAT works after the churn" lig_ping p 192.168.97.2 2
lig_check "the static mapping answers after the churn" sh -c \
	"ip netns exec $O python3 $TOOL udp 192.168.97.1 5000 2 | grep -q '^reply p 192.168.97.2:'"
lig_check "the LB mapping answers after the churn" sh -c \
	"ip netns exec $O python3 $TOOL udp 192.168.97.10 6000 2 | grep -q '^reply p 192.168.97.2:'"
# Bounds: every thread's tables at most their size (the floods made more flows than that).
lig_ctl d show nat44 summary >"$T/nat.out"
lig_ctl d show acl-plugin sessions >"$T/acl.out"
grep -E '^thread' "$T/nat.out" "$T/acl.out" | sed 's/^/    /'
nat_bounded() {
	awk -v max=$NAT_MAX '/^thread [0-9]+: [0-9]+ of [0-9]+ sessions/ {
		n++; if ($3 > max || $5 != max) bad = 1 }
		END { exit !(n > 0 && !bad) }' "$T/nat.out"
}
acl_bounded() {
	awk -v max=$ACL_MAX '/^thread [0-9]+: [0-9]+ sessions in use/ {
		n++; if ($3 > max) bad = 1 }
		END { exit !(n > 0 && !bad) }' "$T/acl.out"
}
lig_check "NAT44 session tables within $NAT_MAX per thread" nat_bounded
lig_check "ACL session tables within $ACL_MAX per thread" acl_bounded
lig_check "the SYN floods met the NAT44 table's bound (refusals counted)" \
	awk '/^thread [0-9]+: / && /refused \(table full\) [1-9]/ { f = 1 } END { exit !f }' "$T/nat.out"
lig_check "the UDP floods met the ACL table's bound (table-full counted)" \
	awk '/^thread [0-9]+: / && /table-full [1-9]/ { f = 1 } END { exit !f }' "$T/acl.out"

# NAT44 disabled and enabled again while SNAT pings flow: the session tables are built and
# freed without the barrier and published or withdrawn under it (nat44.c).
ip netns exec "$P" ping -q -i 0.005 -w 4 192.168.97.2 >"$T/ping-reenable.out" 2>&1 &
p4=$!
printf '%s\n' "nat44 plugin enable sessions $NAT_MAX" "set interface nat44 in host-$P out host-$O" \
	"nat44 add address 192.168.97.1" >"$T/nat-on.cli"
reenabled=0
for _ in 1 2 3 4 5; do
	lig_ctl d nat44 plugin disable >/dev/null && lig_ctl d exec "$T/nat-on.cli" >/dev/null &&
		reenabled=$((reenabled + 1))
	sleep 0.3
done
wait "$p4"
lig_log "while NAT44 went off and on: $(grep -E 'packets transmitted' "$T/ping-reenable.out")"
lig_check "NAT44 disabled and enabled again 5 times under traffic" test "$reenabled" = 5
lig_check "each enable (and the first) and disable paused the workers once, by its kind (show threads)" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show threads | grep -Eq '^ +nat44 plugin enable +6 ' &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show threads | grep -Eq '^ +nat44 plugin disable +5 '"
lig_check "SNAT works after NAT44 was enabled again" lig_ping p 192.168.97.2 2

# Every buffer back: delete what holds buffers (the interfaces), let the workers drain.
for i in "$P" "$O" "$A" "$B"; do lig_ctl d delete host-interface name "$i"; done
buffers_back() {
	local free
	for _ in $(seq 50); do
		free=$(lig_ctl d show buffers | awk '$1 == "default" { print $3 }')
		[ "$free" = "$total" ] && return 0
		sleep 0.1
	done
	echo "free $free of $total"; lig_ctl d show buffers; return 1
}
lig_check "every buffer back in the pool (show buffers: Free = Total = $total)" buffers_back

lig_test_done

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Control-plane churn while two worker threads forward (make test runs it again against a
# ThreadSanitizer build of ligd: any race report fails it). Traffic for the whole run: a
# flood across bridge domain 1 (af_packet a <-> b), pings to a memif CNF on the bridge, a
# routed flood (c -> e through ligd's IPv4), and one to an address behind routes that come
# and go. Meanwhile, over and over: host-b leaves the bridge, moves to another domain and to
# a cross-connect and comes back (port modes change without the barrier: workers read a
# port's mode and a domain's port list while they are replaced), a BVI joins and leaves
# (under the barrier), 100 routes (every other one ECMP) are added and deleted without the
# barrier (mp-safe: workers look up while the trie, load-balances and adjacencies change,
# and frees wait for a grace period), API clients add, dump and delete 2000 more, the L2 FIB
# is flushed under learning, static neighbours come and go, rx queues move between the
# workers, the memif CNF is killed and restarted (the peer reconnects), and every show
# command reads the per-thread state, and API dumps of configuration read it without the
# barrier. At the end: ligd alive, every path forwards again, and once the interfaces are
# deleted every buffer is back in the pool (show buffers: Free = Total).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"
T=$LIG_TMP
SECS=${LIG_CHURN_SECONDS:-10}

A="${LIG_PREFIX}a"; B="${LIG_PREFIX}b"; C="${LIG_PREFIX}c"; E="${LIG_PREFIX}e"
lig_host a 10.74.0.1/24
lig_host b 10.74.0.2/24
lig_host c 10.75.1.2/24
lig_host e 10.75.2.2/24
ip -n "$C" route add default via 10.75.1.1
ip -n "$E" route add default via 10.75.2.1
ip -n "$E" addr add 10.76.1.1/32 dev lo # behind the churned 10.76.1.0/24 (and a /16)
printf 'cpu {\n  workers 2\n}\n' >"$T/cpu.conf"
LIG_TEST_WORKERS=0 lig_start d -c "$T/cpu.conf" || exit 1
total=$(lig_ctl d show buffers | awk '$1 == "default" { print $2 }')

cat >"$T/setup.cli" <<EOF
create host-interface name $A
create host-interface name $B
create host-interface name $C
create host-interface name $E
create interface memif id 0 master
create memif socket id 3 filename $T/spare.sock
create bridge-domain 1
create bridge-domain 2
create loopback interface
set interface l2 bridge host-$A 1
set interface l2 bridge host-$B 1
set interface l2 bridge memif0/0 1
set interface ip address host-$C 10.75.1.1/24
set interface ip address host-$E 10.75.2.1/24
set interface state host-$A up
set interface state host-$B up
set interface state host-$C up
set interface state host-$E up
set interface state memif0/0 up
ip route add 10.76.0.0/16 via 10.75.2.2
EOF
lig_ctl d exec "$T/setup.cli" >/dev/null
start_responder() {
	"$LIG_BIN/lig-memif-responder" -s "$T/memif.sock" -i 0 10.74.0.3 >>"$T/responder.log" 2>&1 &
	RESP_PID=$!
	LIG_PIDS+=("$RESP_PID")
}
start_responder
lig_check "memif CNF connects" memif_wait_connected d memif0/0 100
lig_check "bridge forwards before the churn" lig_ping a 10.74.0.2 2
lig_check "ligd routes before the churn" lig_ping c 10.75.2.2 2

# Routes added then deleted in one exec each, no barrier: /24s fill a trie group that folds
# away again; the ECMP ones (the second next hop's neighbour comes and goes) each get a
# private load-balance.
for i in $(seq 1 100); do
	if [ $((i % 2)) = 0 ]; then
		echo "ip route add 10.76.$i.0/24 via 10.75.2.2 via 10.75.2.9"
	else
		echo "ip route add 10.76.$i.0/24 via 10.75.2.2"
	fi
done >"$T/routes-add.cli"
for i in $(seq 1 100); do echo "ip route del 10.76.$i.0/24"; done >"$T/routes-del.cli"

# ---- traffic for the whole churn ----
tsecs=$((SECS + 2))
ip netns exec "$A" ping -q -f -w "$tsecs" 10.74.0.2 >"$T/ping-ab.out" 2>&1 &
p1=$!
ip netns exec "$C" ping -q -f -w "$tsecs" 10.75.2.2 >"$T/ping-ce.out" 2>&1 &
p2=$!
ip netns exec "$B" ping -q -i 0.01 -w "$tsecs" 10.74.0.3 >"$T/ping-bm.out" 2>&1 &
p3=$!
ip netns exec "$C" ping -q -i 0.002 -w "$tsecs" 10.76.1.1 >"$T/ping-churned.out" 2>&1 &
p4=$!
# And through the API socket (mp-safe too): bulk adds, a dump and bulk deletes of 2000
# /24s in 32.0.0.0/4 via loop0 (bench/api_routes.c sets it up), over and over.
api_churn() {
	local n=0
	while [ "$SECONDS" -lt "$1" ]; do
		"$LIG_BIN/api_routes" "$T/d.sock" "$T/d.api.sock" 2000 250 0 >"$T/api-routes.out" 2>&1 ||
			{ echo "api_routes failed:"; cat "$T/api-routes.out"; return 1; }
		n=$((n + 1))
	done
	echo "$n api route rounds" >"$T/api-churn.out"
}
api_churn $((SECONDS + SECS)) &
p5=$!
LIG_PIDS+=("$p5")

# API dumps of configuration only main writes: mp-safe, they run beside the workers.
# The interface and memif dumps read the workers' counters too (lig_counter_get).
CONFIG_DUMPS="sw_interface_dump memif_dump bridge_domain_dump l2_xconnect_dump bd_ip_mac_dump
	sw_interface_rx_placement_dump ip_address_dump ip_table_dump af_packet_dump
	memif_socket_dump acl_dump nat44_static_mapping_dump"

# ---- churn ----
end=$((SECONDS + SECS)); iter=0
while [ "$SECONDS" -lt "$end" ]; do
	iter=$((iter + 1))
	lig_ctl d set interface l3 "host-$B"
	lig_ctl d set interface l2 bridge "host-$B" 1
	lig_ctl d set interface l2 bridge "host-$B" 2 shg 1
	lig_ctl d set interface l2 bridge "host-$B" 1
	lig_ctl d set interface l2 xconnect "host-$B" "host-$A"
	# A domain made, learned into (host-b's ARP) and deleted: its entries are collected
	# with the workers running and deleted with them parked.
	lig_ctl d create bridge-domain 9 >/dev/null
	lig_ctl d set interface l2 bridge "host-$B" 9
	sleep 0.05
	lig_ctl d set interface l2 bridge "host-$B" 1
	lig_ctl d create bridge-domain 9 del
	# A VRF made (its trie built without the barrier) and deleted with a route in it.
	lig_ctl d ip table add 9
	lig_ctl d ip route add 10.99.0.0/16 table 9 drop
	lig_ctl d ip table del 9
	# A memif on a socket of its own: its listener opens and closes outside the barrier.
	lig_ctl d create interface memif id 0 socket-id 3 master >/dev/null
	lig_ctl d set interface state memif3/0 up
	lig_ctl d delete interface memif memif3/0
	# host-b's admin state: its veth goes down and up through netlink with the workers
	# running; ligd's state changes under a short barrier, the carrier follows the
	# netlink monitor's events.
	lig_ctl d set interface state "host-$B" down
	lig_ctl d set interface state "host-$B" up
	if [ $((iter % 2)) = 1 ]; then # a BVI joins and leaves (under the barrier); round 1 too
		lig_ctl d set interface l2 bridge loop0 1 bvi
		lig_ctl d set interface l3 loop0
	fi
	lig_ctl d exec "$T/routes-add.cli"
	lig_ctl d clear l2fib
	lig_ctl d set ip neighbor "host-$E" 10.75.2.9 02:00:00:00:75:09
	lig_ctl d exec "$T/routes-del.cli"
	lig_ctl d set ip neighbor del "host-$E" 10.75.2.9 02:00:00:00:75:09 >/dev/null 2>&1
	lig_ctl d set interface rx-placement "host-$A" queue 0 worker $((iter % 2))
	lig_ctl d set interface rx-placement "host-$C" queue 0 worker $(((iter + 1) % 2))
	lig_ctl d set interface rx-placement memif0/0 queue 0 worker $((iter % 2)) >/dev/null 2>&1
	if [ $((iter % 3)) = 0 ]; then
		kill "$RESP_PID" 2>/dev/null; wait "$RESP_PID" 2>/dev/null
		start_responder
	fi
	lig_ctl d trace add af-packet-input 3
	for c in "show runtime" "show errors" "show interface" "show threads" "show buffers" \
		"show l2fib" "show ip fib" "show memif" "show trace" "show interface rx-placement" \
		"show ip neighbors" "show ip interface" "show mode" "show bridge-domain" \
		"show running-config" "show acl-plugin acl" "show hardware-interfaces" \
		"show version" "help" "show api" "show vxlan tunnel"; do
		lig_ctl d $c >/dev/null
	done
	lig_ctl d clear trace
	lig_ctl d clear runtime
	for m in $CONFIG_DUMPS; do lig_ctl d api dump "$m" >/dev/null; done
done
lig_log "$iter churn rounds in $SECS s"
wait "$p1" "$p2" "$p3" "$p4"
api_rc=0; wait "$p5" || api_rc=1
lig_log "$(cat "$T/api-churn.out" 2>/dev/null)"
for f in ping-ab ping-ce ping-bm ping-churned; do lig_log "$f: $(grep -E 'packets transmitted' "$T/$f.out")"; done

# ---- after ----
lig_check "ligd alive after the churn" kill -0 "$LIG_PID_d"
lig_ctl d show threads >"$T/threads.out"; sed 's/^/    /' "$T/threads.out"
lig_check "the bridge forwards after the churn" lig_ping a 10.74.0.2 2
lig_check "ligd routes after the churn" lig_ping c 10.75.2.2 2
lig_check "the memif CNF reconnected and answers" bash -c \
	"$(declare -f memif_wait_connected lig_ctl); LIG_BIN='$LIG_BIN'; LIG_TMP='$LIG_TMP';
	 memif_wait_connected d memif0/0 100 && ip netns exec '$A' ping -c 2 -i 0.2 -W 2 10.74.0.3"
lig_check "traffic flowed during the churn (the flood got answers)" \
	grep -qE ' [1-9][0-9]* received' "$T/ping-ab.out"
# 10.76.1.1 is behind the /16 and, half the time, a churned /24 via the same next hop:
# every lookup lands on E whatever state the trie is in.
churned_ok() {
	awk '/packets transmitted/ { exit !($1 > 100 && $4 >= $1 * 0.95) }' "$T/ping-churned.out"
}
lig_check "pings through the churned routes: at least 95 % answered" churned_ok
# Route changes took no barrier, and what they freed waited for grace periods.
lig_check "API route churn ran without errors" test "$api_rc" = 0
lig_check "no route command or message parked the workers (not in show threads' kinds)" \
	bash -c "! grep -qE 'ip route|ip_route' '$T/threads.out'"
# Port mode changes took no barrier either, but a BVI's (which the kind names).
lig_check "no port mode change parked the workers but a BVI's" \
	bash -c "! grep -qE 'set interface l2|set interface l3' '$T/threads.out' &&
		 grep -qE 'l2 bridge: a BVI' '$T/threads.out'"
lig_check "no configuration dump or show of them parked the workers" \
	bash -c "! grep -qE '$(echo $CONFIG_DUMPS | tr ' ' '|')|show interface|show mode|show memif' '$T/threads.out'"
# Counters are read atomically and the L2 FIB dump reads workers' learning atomically;
# domains and VRFs park the workers only for their own short step (named by it).
lig_check "no show of counters, the L2 FIB or the running config parked the workers" \
	bash -c "! grep -qE 'show (runtime|errors|l2fib|bridge-domain|running-config|acl-plugin|hardware|version|api|vxlan)|help' '$T/threads.out'"
lig_check "admin state changes parked the workers only for ligd's own state" \
	bash -c "grep -q 'interface admin state' '$T/threads.out' &&
		 ! grep -qE 'set interface state|sw_interface_set_flags' '$T/threads.out'"
lig_check "domains and VRFs came and went with only their own short barriers" \
	bash -c "! grep -qE 'create bridge-domain|ip table (add|del)\\b' '$T/threads.out' &&
		 grep -q 'bridge domain delete' '$T/threads.out' && grep -q 'ip table delete' '$T/threads.out'"
rcu_done() {
	local l
	for _ in $(seq 50); do
		l=$(lig_ctl d show threads | grep '^rcu')
		echo "$l" | grep -qE ' 0 waiting' && break
		sleep 0.1
	done
	echo "$l"
	echo "$l" | grep -qE '^rcu .*: [1-9][0-9]* deferred frees,.* [1-9][0-9]* grace periods.* 0 waiting'
}
lig_check "route frees were deferred and have all run (show threads: rcu)" rcu_done

# Every buffer back: delete what holds buffers (interfaces, and with the last of each
# kind its per-thread rx reserves), let the workers drain, count.
kill "$RESP_PID" 2>/dev/null
for i in "host-$A" "host-$B" "host-$C" "host-$E"; do lig_ctl d delete host-interface name "${i#host-}"; done
lig_ctl d delete interface memif memif0/0
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

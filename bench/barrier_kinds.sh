#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Barrier pauses by kind of change under memif bridge traffic, two ligd builds compared in
# interleaved rounds (A, B, A, B, ...; not part of make test):
#   lig-memif-gen --memif--> ligd (bridge domain 1, 1 worker on CPU 1) --memif--> gen's sink
# In each run, with 1500-byte frames flowing, a loopback joins and leaves bridge domain 1
# MEMBERS times (one ligctl command, one barrier, each), then show threads' per-kind
# statistics are read: for each kind, the run's min/median/max of the pause (raise to
# release) and of the forwarding stop (last worker parked to release). Per build and kind
# the summary gives min of the runs' mins / median of their medians / max of their maxes,
# and the traffic (Mpps) per run. Then MEMIFS times: a peer connects to a third (master)
# memif and leaves; a slave memif is created, connects to a lig-memif-responder master and
# is deleted. Then SHOWS times show interface, show memif and the API's interface and
# bridge-domain dumps. Then CONFIGS times what a management agent does for a pod and an
# operator reads (one ligctl exec of bench/pod_config.cli: a loopback, VRF, bridge domain with
# a BVI, VXLAN tunnel, tap (its host side in a namespace this script makes), af_packet on
# a veth it makes, ACL, NAT44, neighbours, shows, and all of it deleted again). Then
# ROUTES routes are added and deleted (two ligctl exec, a command each; every other one
# ECMP), timed: route commands per second under traffic.
# ADDRS: that many times, an address added to a loopback and removed again, each its own
# ligctl (and barrier) a few milliseconds apart, so the worker is caught at any point of
# its pass: how long main waits for it to park ("set interface ip address" pause - stop).
# SIZE: the traffic's frame size (1500). ISOLATE=1: CPU 1 runs ligd's worker only (everything else, ligd's main thread included,
# on CPU 0), as on a node with isolated worker cores.
# Usage: [ISOLATE=0] [SIZE=1500] [ADDRS=0] [ROUNDS=5] [MEMBERS=20] [MEMIFS=10] [SHOWS=20] [CONFIGS=10] [ROUTES=200] bench/barrier_kinds.sh <bin-dir-A> [<bin-dir-B>] [seconds]
set -u
. "$(dirname "$0")/memif_bench_lib.sh"
bench_ab_bins "$@" || exit 1
SECS=${AB_SECS:-8}
ROUNDS=${ROUNDS:-5}
MEMBERS=${MEMBERS:-20}
ADDRS=${ADDRS:-0}
SIZE=${SIZE:-1500}
MEMIFS=${MEMIFS:-10}
ROUTES=${ROUTES:-200}
SHOWS=${SHOWS:-20}
CONFIGS=${CONFIGS:-10}
RESP=${RESP:-$B/lig-memif-responder}
GEN=${GEN:-$B/lig-memif-gen}
CTLBIN=${CTLBIN:-$B/ligctl}
bench_init ligbk
# The tap's host side goes into a namespace of ours; af_packet takes a veth of ours.
NS=ligbk$$
VETH=lbk$$
bench_ns_veth "$NS" "$VETH" || exit 1
sed "s/@NS@/$NS/g; s/@VETH@/$VETH/g" "$(dirname "$0")/pod_config.cli" >"$TMP/agent.cli"
CTL() { "$CTLBIN" -s "$TMP/cli.sock" "$@"; }
wait_memif() { # NAME: up to 2 s for it to connect
	for _ in $(seq 200); do CTL show memif "$1" 2>/dev/null | grep -q "state connected" && return; sleep 0.01; done
	echo "$1 did not connect" >&2
}
if [ "${ISOLATE:-0}" = 1 ]; then
	# The worker's CPU runs nothing else, as on a node whose worker cores are isolated
	# (isolcpus): this script, ligctl, the peers and ligd's main thread on CPU 0.
	taskset -p -c 0 $$ >/dev/null
	printf 'cpu {\n  main-core 0\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"
else
	printf 'cpu {\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"
fi
for i in $(seq 1 "$ROUTES"); do
	if [ $((i % 2)) = 0 ]; then
		echo "ip route add 10.21.$((i / 256)).$((i % 256))/32 via 10.20.0.2 via 10.20.0.3"
	else
		echo "ip route add 10.21.$((i / 256)).$((i % 256))/32 via 10.20.0.2"
	fi
done >"$TMP/routes-add.cli"
for i in $(seq 1 "$ROUTES"); do echo "ip route del 10.21.$((i / 256)).$((i % 256))/32"; done >"$TMP/routes-del.cli"

run() { # <label> <bin-dir>
	"$2/ligd" -c "$TMP/cpu.conf" -s "$TMP/cli.sock" -b 65536 >"$TMP/ligd.log" 2>&1 &
	local ligd=$! gen
	PIDS+=("$ligd")
	bench_wait_cli
	CTL create bridge-domain 1 >/dev/null
	for i in 0 1; do
		CTL create interface memif id $i master >/dev/null
		CTL set interface rx-mode memif0/$i polling
		CTL set interface mtu 9000 memif0/$i
		CTL set interface state memif0/$i up
		CTL set interface l2 bridge memif0/$i 1
	done
	CTL create loopback interface >/dev/null
	CTL create loopback interface >/dev/null
	CTL set interface ip address loop1 10.20.0.1/24
	CTL set interface state loop1 up
	CTL create interface memif id 2 master >/dev/null
	CTL set interface state memif0/2 up
	CTL nat44 plugin enable >/dev/null
	CTL create memif socket id 1 filename "$TMP/peer.sock"
	taskset -c 0 "$GEN" -s "$TMP/memif.sock" -i 0 -S "$TMP/memif.sock" -I 1 -l "$SIZE" \
		-b "$([ "$SIZE" -gt 2048 ] && echo 10240 || echo 2048)" -t "$SECS" -d 0.5 -q >"$TMP/gen.out" 2>>"$TMP/gen.err" &
	gen=$!
	PIDS+=("$gen")
	"$RESP" -m -s "$TMP/peer.sock" -i 0 10.9.8.2 >/dev/null 2>&1 &
	PIDS+=("$!")
	sleep 2
	CTL clear threads
	for _ in $(seq 1 "$ADDRS"); do
		CTL set interface ip address loop0 10.30.0.1/24
		CTL set interface ip address del loop0 10.30.0.1/24
	done
	for _ in $(seq 1 "$MEMBERS"); do
		CTL set interface l2 bridge loop0 1
		CTL set interface l3 loop0
	done
	# memif control events with traffic on the other two: a peer of a master interface
	# connects and goes away; a slave interface is created, connects to its peer's
	# master and is deleted.
	for _ in $(seq 1 "$MEMIFS"); do
		"$RESP" -s "$TMP/memif.sock" -i 2 10.9.9.2 >/dev/null 2>&1 &
		local resp=$!
		wait_memif memif0/2
		kill "$resp"
		wait "$resp" 2>/dev/null
		CTL create interface memif id 0 socket-id 1 slave >/dev/null
		wait_memif memif1/0
		CTL delete interface memif memif1/0
	done
	# What a management agent and an operator read: shows and API dumps of the
	# interfaces, memifs and bridge domains.
	for _ in $(seq 1 "$SHOWS"); do
		CTL show interface >/dev/null
		CTL show memif >/dev/null
		CTL api dump sw_interface_dump >/dev/null
		CTL api dump bridge_domain_dump >/dev/null
	done
	# A pod's configuration made and removed, with the shows an operator reads.
	for _ in $(seq 1 "$CONFIGS"); do
		CTL exec "$TMP/agent.cli" >"$TMP/agent.out" 2>&1 ||
			{ echo "$1: agent.cli failed:" >&2; grep -iE 'failed|error' "$TMP/agent.out" >&2; }
	done
	local t0 t1 t2
	t0=$(date +%s%N)
	CTL exec "$TMP/routes-add.cli" >/dev/null
	t1=$(date +%s%N)
	CTL exec "$TMP/routes-del.cli" >/dev/null
	t2=$(date +%s%N)
	echo "$1 routes/s add $((ROUTES * 1000000000 / (t1 - t0))) del $((ROUTES * 1000000000 / (t2 - t1)))" >>"$TMP/results"
	sleep 1.5 # timer passes (the L2 FIB sweep among them) with traffic
	CTL show threads >"$TMP/threads.out"
	grep '^rcu' "$TMP/threads.out" | sed "s/^/$1 /" >>"$TMP/rcu"
	wait "$gen"
	kill "$ligd" 2>/dev/null
	wait "$ligd" 2>/dev/null
	local mpps
	mpps=$(awk '{ if ($2 > $1) print "impossible"; else printf "%.3f", $5 / 1e6 }' "$TMP/gen.out")
	echo "$1 traffic $mpps Mpps" >>"$TMP/results"
	# "    <kind words>   N  pause a/b/c  stop a/b/c"
	awk -v l="$1" '/ pause [0-9]+\/[0-9]+\/[0-9]+ / {
		for (i = 1; i <= NF; i++) { if ($i == "pause") p = i; if ($i == "stop") q = i }
		kind = $1; for (i = 2; i < p - 1; i++) kind = kind "_" $i
		split($(p + 1), v, "/"); split($(q + 1), w, "/")
		print l, kind, $(p - 1), v[1], v[2], v[3], w[1], w[2], w[3] }' \
		"$TMP/threads.out" >>"$TMP/results"
}

for r in $(seq 1 "$ROUNDS"); do
	run A "$A"
	run B "$B"
done
echo "A = $A, B = $B; $ROUNDS rounds, $MEMBERS joins+leaves per run; pause in us"
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)"
# The floor under any pause: how long the host itself takes the worker's CPU away from a
# busy loop (no ligd running now).
[ -x "$B/cpu_gaps" ] && "$B/cpu_gaps" 1 "${GAPS_SECS:-10}"
grep traffic "$TMP/results" | awk '{ t[$1] = t[$1] " " $3 } END { for (k in t) print k " traffic Mpps:" t[k] }' | sort
grep routes/s "$TMP/results" | awk '{ a[$1] = a[$1] " " $4; d[$1] = d[$1] " " $6 }
	END { for (k in a) print k " route adds/s:" a[k] "; deletes/s:" d[k] }' | sort
[ -s "$TMP/rcu" ] && sort "$TMP/rcu"
grep -vE 'traffic|routes/s' "$TMP/results" | sort -k1,1 -k2,2 | awk '
	function med(s,   a, n, i, j, t) { n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((n + 1) / 2)] }
	{ k = $1 " " $2; n[k] += $3; if (!(k in mn) || $4 < mn[k]) mn[k] = $4
	  if ($6 > mx[k]) mx[k] = $6; md[k] = md[k] " " $5; runs[k]++
	  if (!(k in smn) || $7 < smn[k]) smn[k] = $7
	  if ($9 > smx[k]) smx[k] = $9; smd[k] = smd[k] " " $8 }
	END { for (k in n) printf "%-38s runs %d count %4d  pause %d / %d / %d  stop %d / %d / %d\n", k, runs[k], n[k], mn[k], med(md[k]), mx[k], smn[k], med(smd[k]), smx[k] }' | sort

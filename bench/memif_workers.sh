#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# memif forwarding with ligd's worker threads against dpdk-testpmd, in interleaved rounds
# (not part of make test):
#   lig-memif-gen --memif--> ligd (xconnect, or bridge domain) --memif--> the gen's sink
#   lig-memif-gen --memif--> dpdk-testpmd (io forwarding)      --memif--> the gen's sink
# Each round runs ligd xconnect, testpmd, ligd bridge back to back, for every frame size, so
# the host's slow and fast stretches hit all three alike; at least 5 rounds; min / median /
# max of the sink's Mpps per point, Gbit/s of frames at the median, and the median ratio
# ligd / testpmd. Then, with traffic flowing, the control-plane pause: route adds and
# deletes, one command (one barrier) each, and show threads' pauses by kind of change
# (min/median/max of the pause and of the forwarding stop, per command).
#
# WORKERS=1 QUEUES=1: ligd's worker on CPU 1 (main, asleep but for the control plane, is
# not pinned), testpmd's forwarding lcore on CPU 1, the generator on CPU 0. WORKERS=2 QUEUES=2: ligd's workers on CPUs 0 and 1,
# testpmd with two forwarding lcores (CPUs 1 and 0) and 2 queues per port, the generator
# asks for 2 rings each way and sends round robin; everything shares the 2 CPUs.
# GEN_OPTS=-z: the generator works in place (writes only each frame's 64-byte headers,
# counts without copying; docs/memif.md), so its own cost per frame no longer grows with the
# size and, sharing the CPUs with 2 workers, it needs less of them.
# IDLE_YIELD=N: ligd gets unix { poll-idle-yield N }: its idle workers offer their CPU to
# other threads, here the generator (docs/PERFORMANCE.md, "An idle worker's CPU").
# Usage: [WORKERS=1] [QUEUES=1] [ROUNDS=5] [SIZES="64 1500 9000"] [RING=1024] [JUMBO_RING=256] \
#        [JUMBO_DATA_SIZE=10240] [NO_PAUSE=1] [WAIT_FAST=s] [GEN_OPTS=-z] [IDLE_YIELD=N] \
#        bench/memif_workers.sh [bin-dir] [seconds-per-run]     (as root)
set -u
BIN=$(cd "${1:-build/bin}" && pwd) || exit 1
for prog in ligd ligctl lig-memif-gen; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog (build with cmake)" >&2; exit 1; }
done
SECS=${2:-3}
SIZES=${SIZES:-"64 1500 9000"}
ROUNDS=${ROUNDS:-5}
WORKERS=${WORKERS:-1}
QUEUES=${QUEUES:-$WORKERS}
NICE=${NICE:--10}
. "$(dirname "$0")/memif_bench_lib.sh"
bench_init ligbw
CTL() { "$BIN/ligctl" -s "$TMP/cli.sock" "$@"; }

if [ "$WORKERS" = 1 ]; then
	printf 'cpu {\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"
	TP_LCORES=(-l 0-1)
	GEN_CPU=0
else
	printf 'cpu {\n  corelist-workers 0-%d\n}\n' $((WORKERS - 1)) >"$TMP/cpu.conf"
	# lcore 0 (testpmd's main) and 2 on CPU 0, lcore 1 on CPU 1: two forwarding lcores.
	TP_LCORES=(--lcores "0@0,1@1,2@0")
	GEN_CPU=0-1
fi
[ -n "${IDLE_YIELD:-}" ] && printf 'unix {\n  poll-idle-yield %s\n}\n' "$IDLE_YIELD" >>"$TMP/cpu.conf"

# Jumbo runs: ligd's buffers hold JUMBO_DATA_SIZE bytes (default 10240, as testpmd's
# mbufs; 2048 gives the default pool, where a 9000-byte frame is a chain of 5 buffers).
printf 'buffers {\n  default data-size %s\n}\n' "${JUMBO_DATA_SIZE:-10240}" >"$TMP/jumbo.conf"

start_ligd() { # <xc|bd> [size]
	local jumbo=()
	[ "${2:-0}" -gt 2048 ] && jumbo=(-c "$TMP/jumbo.conf")
	nice -n "$NICE" "$BIN/ligd" -c "$TMP/cpu.conf" "${jumbo[@]}" -s "$TMP/cli.sock" -b 65536 \
		>"$TMP/ligd.log" 2>&1 &
	LIGD=$!
	PIDS+=("$LIGD")
	bench_wait_cli
	bench_memif_pair "$1"
}

stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# run_gen <socket> <size> [seconds]: prints the sink's Mpps. Jumbo runs use 10240-byte
# slots on both sides (no chaining: DPDK 22.11 mis-handles chained tx into a full ring) and
# 256 of them per ring (JUMBO_RING): 2.5 MB, about what 1024 slots of 2048 bytes take at
# the other sizes. With 1024 jumbo slots (10 MB a ring, four rings) ligd stayed at
# 0.27-0.59 Mpps in six runs; with 256 it reached 1.2-1.9 in the host's fast stretches
# and 0.18 in its slow ones (docs/memif.md).
run_gen() {
	local b=2048 ring=${RING:-1024}
	[ "$2" -gt 2048 ] && b=10240 && ring=${JUMBO_RING:-256}
	nice -n "$NICE" taskset -c "$GEN_CPU" "$BIN/lig-memif-gen" -s "$1" -i 0 -S "$1" -I 1 \
		-l "$2" -t "${3:-$SECS}" -d 0.5 -b $b -R "$ring" -Q "$QUEUES" -q ${GEN_OPTS:-} 2>>"$TMP/gen.err" |
		awk '{ # sent received seconds tx-pps rx-pps loss%: a sink cannot get more than was sent
			if ($2 > $1) { print "impossible: received " $2 " > sent " $1 > "/dev/stderr"; print "0"; exit }
			printf "%.3f\n", $5 / 1e6 }'
}

run_ligd() { # <xc|bd> <size>
	start_ligd "$1" "$2"
	run_gen "$TMP/memif.sock" "$2"
	stop_pid "$LIGD"
}

# A fresh testpmd per run: DPDK 22.11's memif server has crashed here when a client
# reconnected. Jumbo runs get 10240-byte mbufs so testpmd does not chain.
run_testpmd() { # <size>
	local mb=()
	[ "$1" -gt 2048 ] && mb=(--mbuf-size=10240)
	bench_testpmd_start "$TMP/tp.sock" "bench_testpmd_forward $SECS" "${TP_LCORES[@]}" -- \
		--nb-cores="$WORKERS" --rxq="$QUEUES" --txq="$QUEUES" "${mb[@]}"
	sleep 1.5
	run_gen "$TMP/tp.sock" "$1"
	wait "$TP_PID" 2>/dev/null
}

# The two CPUs' distance between runs (bench/cpu_pingpong: one cache line's round trip),
# printed with each round. On this VM it is ~60 ns (the host runs the two vCPUs on cores
# sharing a cache) or ~340 ns (not), and it changes every few seconds; every line a memif
# ring shares crosses it, which is one reason the same point varies up to 10x between runs.
# So each round also gives the ratio of runs made seconds apart (ligd / testpmd), and the
# median of those per-round ratios is reported beside the ratio of the medians, and the
# median over the "fast" rounds alone (both runs between fast-state round trips).
distance() { bench_distance "$BIN"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "-" }'; }
# fast <ns...>: true if every round trip given is a fast-state one (under FAST_NS, 200 ns;
# the slow state is ~340-500 ns). A pair of runs counts as "fast" when the round trips
# before, between and after them all are: then neither run met a slow stretch.
FAST_NS=${FAST_NS:-200}
fast() {
	local d
	for d in "$@"; do
		[[ "$d" =~ ^[0-9]+$ ]] && [ "$d" -lt "$FAST_NS" ] || return 1
	done
}
# wait_fast: with WAIT_FAST=<seconds>, waits (probing twice a second, at most that long)
# until the CPUs are in the fast state, so that more rounds start and stay there; the
# same wait precedes every round, whichever runs come in it.
wait_fast() {
	[ -n "${WAIT_FAST:-}" ] || return 0
	local end=$((SECONDS + WAIT_FAST))
	while [ "$SECONDS" -lt "$end" ]; do
		fast "$(distance)" && return 0
		sleep 0.5
	done
}
# median_n <values...>: "median (n)", or "- (0)".
median_n() {
	[ $# -eq 0 ] && { echo "- (0)"; return; }
	read -r _ m _ <<<"$(bench_stats "$@")"
	echo "$m ($#)"
}

declare -A R F P PF
# Rounds outside, sizes inside: the sizes' Gbit/s are compared too (9000 B against 1500 B),
# so they share the host's stretches as well.
for r in $(seq "$ROUNDS"); do
	[ -n "${PAUSE_ONLY:-}" ] && break
	for s in $SIZES; do
		wait_fast
		d0=$(distance)
		a=$(run_ligd xc "$s")
		d1=$(distance)
		b=$(command -v dpdk-testpmd >/dev/null && run_testpmd "$s")
		d2=$(distance)
		c=$(run_ligd bd "$s")
		d3=$(distance)
		echo "size $s round $r: ligd xconnect ${a:-?} Mpps, testpmd ${b:-?}, ligd bridge ${c:-?};" \
			"CPU round trips $d0 $d1 $d2 $d3 ns"
		# A run that failed (nothing received, a peer that did not start) is left out
		# of the statistics and counted, instead of entering them as 0 Mpps.
		for k in xc:$a tp:$b bd:$c; do
			v=${k#*:}
			if bench_ok "$v"; then
				R[${k%%:*},$s]+=" $v"
			else
				F[${k%%:*},$s]=$((${F[${k%%:*},$s]:-0} + 1))
			fi
		done
		bench_ok "$a" && bench_ok "$b" && P[xc,$s]+=" $(ratio "$a" "$b")"
		bench_ok "$c" && bench_ok "$b" && P[bd,$s]+=" $(ratio "$c" "$b")"
		bench_ok "$a" && bench_ok "$b" && fast "$d0" "$d1" "$d2" &&
			PF[xc,$s]+=" $(ratio "$a" "$b")"
		bench_ok "$c" && bench_ok "$b" && fast "$d1" "$d2" "$d3" &&
			PF[bd,$s]+=" $(ratio "$c" "$b")"
	done
done

if [ -z "${PAUSE_ONLY:-}" ]; then
	echo
	echo "$WORKERS worker(s), $QUEUES queue(s) per memif, $ROUNDS interleaved rounds of $SECS s, Mpps min / median / max:"
	echo
	echo "| frame | ligd xconnect | testpmd io | ligd bridge | xc / testpmd (medians) | xc / testpmd per round: min / median / max | bridge / testpmd per round | xc / testpmd, fast rounds: median (n) | bridge / testpmd, fast rounds | xc Gbit/s (median) |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for s in $SIZES; do
		read -r x0 x1 x2 <<<"$(bench_stats ${R[xc,$s]:-})"
		read -r t0 t1 t2 <<<"$(bench_stats ${R[tp,$s]:-})"
		read -r b0 b1 b2 <<<"$(bench_stats ${R[bd,$s]:-})"
		read -r p0 p1 p2 <<<"$(bench_stats ${P[xc,$s]:-})"
		read -r q0 q1 q2 <<<"$(bench_stats ${P[bd,$s]:-})"
		gbps=$(awk -v m="$x1" -v s="$s" 'BEGIN { if (m + 0 > 0) printf "%.1f", m * s * 8 / 1000; else print "-" }')
		echo "| $s | $x0 / $x1 / $x2 | $t0 / $t1 / $t2 | $b0 / $b1 / $b2 | $(ratio "$x1" "$t1") |" \
			"$p0 / $p1 / $p2 | $q0 / $q1 / $q2 | $(median_n ${PF[xc,$s]:-}) |" \
			"$(median_n ${PF[bd,$s]:-}) | $gbps |"
		for k in xc tp bd; do
			[ -n "${F[$k,$s]:-}" ] && echo "  ($k at $s B: ${F[$k,$s]} failed run(s) left out)"
		done
	done
	# Gbit/s of 9000-byte frames against 1500-byte ones, by median, per forwarder.
	if [[ " $SIZES " == *" 1500 "* && " $SIZES " == *" 9000 "* ]]; then
		for k in xc:ligd-xconnect tp:testpmd bd:ligd-bridge; do
			read -r _ m1 _ <<<"$(bench_stats ${R[${k%%:*},1500]:-})"
			read -r _ m9 _ <<<"$(bench_stats ${R[${k%%:*},9000]:-})"
			awk -v a="$m9" -v b="$m1" -v n="${k#*:}" 'BEGIN { if (b + 0 > 0 && a + 0 > 0)
				printf "%s: 9000 B Gbit/s / 1500 B Gbit/s (medians) = %.2f\n", n, a * 9000 / (b * 1500) }'
		done
	fi
fi

[ -n "${NO_PAUSE:-}" ] && exit 0

# The control-plane pause under traffic: 1500-byte frames through the bridge while 200
# route adds and 200 deletes go in, one ligctl command (one barrier) each, then 20 bridge
# member changes; show threads' pauses cover those and the timers' passes meanwhile.
start_ligd bd
CTL create loopback interface >/dev/null
CTL set interface ip address loop0 10.99.0.1/24
CTL set interface state loop0 up
run_gen "$TMP/memif.sock" 1500 $((SECS + 20)) >"$TMP/pause-gen.out" &
gen=$!
sleep 2
CTL clear threads
for i in $(seq 1 200); do CTL ip route add 10.98.$i.0/24 via 10.99.0.2 loop0; done
for i in $(seq 1 200); do CTL ip route del 10.98.$i.0/24; done
CTL show threads | sed -n '/^barrier/,$p' | sed 's/^/routes: /'
CTL clear threads
for i in $(seq 1 10); do
	CTL set interface l3 loop0
	CTL set interface l2 bridge loop0 1
done
CTL show threads | sed -n '/^barrier/,$p' | sed 's/^/bridge members: /'
wait "$gen"
echo "traffic meanwhile: $(awk '{ printf "%.3f Mpps", $1 }' "$TMP/pause-gen.out")"
stop_pid "$LIGD"

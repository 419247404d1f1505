#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Two ligd builds against each other on the memif xconnect (or, MODE=bd, bridge) path, in
# interleaved pairs (A, B, A, B, ...; not part of make test):
#   lig-memif-gen (CPU 0) --memif0/0--> ligd A or B (1 worker, CPU 1, xconnect) --memif0/1--> sink
# Each run is a fresh ligd: the generator sends for SECS, `show runtime` is read over the
# middle of the run. Per run: the sink's Mpps and ligd's clocks per packet over
# memif-input, ethernet-input, (l2-input,) interface-output and memif-tx (each node's
# clocks/vector);
# at the end min / median / max of both per build and of each pair's B / A rate ratio
# (pairs are seconds apart, so they share the host's state: docs/PERFORMANCE.md); each
# pair line gives the CPUs' round trip before, between and after its runs.
# WORKERS=2: two workers on CPUs 0-1, two queues per memif, the generator on both CPUs
# sending round robin (as bench/memif_workers.sh WORKERS=2).
# DATA_A=N / DATA_B=N: that side's ligd gets buffers { default data-size N } (e.g. one build
# against itself with DATA_A=2048 DATA_B=10240 SIZE=9000: chained against whole frames).
# YIELD_A=N / YIELD_B=N: that side's ligd gets unix { poll-idle-yield N } (idle workers offer
# their CPU; with WORKERS=2 the generator shares their CPUs).
# ENV_A="VAR=value ..." / ENV_B: that side's ligd runs with these in its environment
# (e.g. a glibc tunable against none). GEN_OPTS: the generator's (-z: in place, so that
# ligd and not the generator sets the rate at large frames).
# Usage: [SIZE=64] [PAIRS=10] [RING=1024] [MODE=xc|bd] [WORKERS=1|2] [DATA_A=N] [DATA_B=N] \
#        [YIELD_A=N] [YIELD_B=N] \
#        [ENV_A=...] [ENV_B=...] [GEN_OPTS=-z] \
#        bench/memif_ab.sh <bin-A> [<bin-B>] [seconds (4)]  (root)
set -u
. "$(dirname "$0")/memif_bench_lib.sh"
bench_ab_bins "$@" || exit 1
SIZE=${SIZE:-64}
PAIRS=${PAIRS:-10}
SECS=${AB_SECS:-${SECS:-4}}
RING=${RING:-1024}
MODE=${MODE:-xc}
for d in "$A" "$B"; do
	for prog in ligd ligctl lig-memif-gen; do
		[ -x "$d/$prog" ] || { echo "missing $d/$prog" >&2; exit 1; }
	done
done
bench_init ligab
declare -A CONF
WORKERS=${WORKERS:-1}
if [ "$WORKERS" = 2 ]; then
	printf 'cpu {\n  corelist-workers 0-1\n}\n' >"$TMP/cpu.conf"
	GEN_CPU=0-1
else
	printf 'cpu {\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"
	GEN_CPU=0
fi

for side in A B; do
	eval "ds=\${DATA_$side:-} yi=\${YIELD_$side:-}"
	: >"$TMP/side.$side.conf"
	[ -n "$ds" ] && printf 'buffers {\n  default data-size %s\n}\n' "$ds" >>"$TMP/side.$side.conf"
	[ -n "$yi" ] && printf 'unix {\n  poll-idle-yield %s\n}\n' "$yi" >>"$TMP/side.$side.conf"
	CONF[$side]=""
	[ -s "$TMP/side.$side.conf" ] && CONF[$side]="$TMP/side.$side.conf"
done

# run_one <bin-dir> <A|B>: prints "<Mpps> <clocks/packet>"
run_one() {
	local bin=$1 ligd gen b=2048 conf=() env=()
	CTL() { "$bin/ligctl" -s "$TMP/cli.sock" "$@"; }
	rm -f "$TMP/cli.sock" "$TMP/memif.sock"
	[ -n "${CONF[$2]}" ] && conf=(-c "${CONF[$2]}")
	local env_var="ENV_$2"
	read -r -a env <<<"${!env_var:-}"
	env "${env[@]}" "$bin/ligd" -c "$TMP/cpu.conf" "${conf[@]}" -s "$TMP/cli.sock" -b 65536 >"$TMP/ligd.log" 2>&1 &
	ligd=$!
	PIDS+=("$ligd")
	bench_wait_cli
	bench_memif_pair "$MODE"
	[ "$SIZE" -gt 2048 ] && b=10240
	taskset -c "$GEN_CPU" "$bin/lig-memif-gen" -s "$TMP/memif.sock" -i 0 -S "$TMP/memif.sock" -I 1 \
		-l "$SIZE" -t "$SECS" -d 0.5 -b $b -R "$RING" -Q "$WORKERS" -q ${GEN_OPTS:-} >"$TMP/gen.out" 2>>"$TMP/gen.err" &
	gen=$!
	PIDS+=("$gen")
	sleep "$(awk -v s="$SECS" 'BEGIN { print 0.5 + s / 4 }')"
	CTL clear runtime
	sleep "$(awk -v s="$SECS" 'BEGIN { print s / 2 }')"
	CTL show runtime >"$TMP/runtime.txt"
	wait "$gen"
	kill "$ligd" 2>/dev/null
	wait "$ligd" 2>/dev/null
	# sent received seconds tx-pps rx-pps loss%: a sink cannot get more than was sent.
	awk '{ if ($2 > $1) print "0"; else printf "%.3f", $5 / 1e6 }' "$TMP/gen.out"
	awk '/^Summed/ { on = 1 } on && /^(memif-input|memif-tx|ethernet-input|l2-input|interface-output) / {
		t += $5 } END { printf " %.0f\n", t }' "$TMP/runtime.txt"
}

# stats <values...>: "min / median / max"
stats() {
	local lo mid hi
	read -r lo mid hi <<<"$(bench_stats "$@")"
	echo "$lo / $mid / $hi"
}

RA=() RB=() CA=() CB=() P=()
for i in $(seq "$PAIRS"); do
	d0=$(bench_distance "$A")
	read -r ma ca <<<"$(run_one "$A" A)"
	d1=$(bench_distance "$A")
	read -r mb cb <<<"$(run_one "$B" B)"
	d2=$(bench_distance "$A")
	echo "pair $i: A $ma Mpps ($ca clocks/packet), B $mb Mpps ($cb clocks/packet); CPU round trips $d0 $d1 $d2 ns"
	RA+=("$ma") CA+=("$ca") RB+=("$mb") CB+=("$cb")
	bench_ok "$ma" && bench_ok "$mb" &&
		P+=("$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", b / a }')")
done
echo
echo "$SIZE-byte $([ "$MODE" = bd ] && echo bridge || echo xconnect), $PAIRS pairs of $SECS s (min / median / max):"
echo "  A $A: $(stats "${RA[@]}") Mpps, $(stats "${CA[@]}") clocks/packet"
echo "  B $B: $(stats "${RB[@]}") Mpps, $(stats "${CB[@]}") clocks/packet"
echo "  B / A per pair: $(stats "${P[@]}")"

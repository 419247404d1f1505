#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Who gets the CPUs when ligd's two workers (or testpmd's two lcores) and lig-memif-gen
# share both of them (the WORKERS=2 setup of bench/memif_workers.sh; not part of make
# test): per thread, the CPU time it used over 2 s of a run (utime + stime from
# /proc/<pid>/task/*/stat, in % of one CPU), and the sink's rate. ligd and testpmd runs
# alternate, ROUNDS of each. docs/PERFORMANCE.md ("With 2 workers and the generator on
# both CPUs") reads it.
# IDLE_SPINS sets ligd's poll-idle-spins (default: ligd's own); RXMODE its memif rx mode;
# GEN_OPTS the generator's (-z: in place). Frames over 2048 bytes are set up as in
# bench/memif_workers.sh: 10240-byte ligd buffers, generator slots and testpmd mbufs,
# 256-slot rings.
# Usage: [ROUNDS=2] [SIZE=64] [MODE=xc|bd] [IDLE_SPINS=n] [RXMODE=polling|adaptive] [GEN_OPTS=-z] \
#        bench/memif_cpu_share.sh <bin-dir>  (root)
set -u
BIN=$(cd "${1:?bin dir}" && pwd) || exit 1
ROUNDS=${ROUNDS:-2}
SIZE=${SIZE:-64}
MODE=${MODE:-bd}
RXMODE=${RXMODE:-polling}
for prog in ligd ligctl lig-memif-gen; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog" >&2; exit 1; }
done
. "$(dirname "$0")/memif_bench_lib.sh"
bench_init ligshare
CTL() { "$BIN/ligctl" -s "$TMP/cli.sock" "$@"; }
printf 'cpu {\n  corelist-workers 0-1\n}\n' >"$TMP/cpu.conf"
[ -n "${IDLE_SPINS:-}" ] && printf 'unix {\n  poll-idle-spins %s\n}\n' "$IDLE_SPINS" >>"$TMP/cpu.conf"
SLOT=2048 RING=1024 TP_MBUF=()
if [ "$SIZE" -gt 2048 ]; then
	SLOT=10240 RING=256 TP_MBUF=(--mbuf-size=10240)
	printf 'buffers {\n  default data-size 10240\n}\n' >>"$TMP/cpu.conf"
fi

# ticks <pid>...: "<pid>/<thread name> <utime+stime>" per thread
ticks() {
	local p t
	for p in "$@"; do
		for t in /proc/"$p"/task/*; do
			echo "$p/$(cat "$t/comm" 2>/dev/null | tr ' ' _) $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null)"
		done
	done
}

# share <socket> <pid of the forwarder>: runs the generator for 4 s, prints each busy
# thread's share of a CPU over the middle 2 s and the sink's Mpps.
share() {
	local gen hz
	hz=$(getconf CLK_TCK)
	taskset -c 0-1 "$BIN/lig-memif-gen" -s "$1" -i 0 -S "$1" -I 1 -l "$SIZE" -t 4 -d 0.5 \
		-b "$SLOT" -R "$RING" -Q 2 -q ${GEN_OPTS:-} >"$TMP/gen.out" 2>>"$TMP/gen.err" &
	gen=$!
	PIDS+=("$gen")
	sleep 1.5
	ticks "$2" "$gen" >"$TMP/t0"
	sleep 2
	ticks "$2" "$gen" >"$TMP/t1"
	wait "$gen"
	awk -v hz="$hz" 'NR == FNR { t[$1] = $2; next }
		($1 in t) && $2 - t[$1] > 0 { printf "%s %d%%  ", $1, ($2 - t[$1]) * 100 / hz / 2 }' \
		"$TMP/t0" "$TMP/t1"
	awk '{ if ($2 > $1) print "impossible: sink > sent"; else printf "sink %.3f Mpps\n", $5 / 1e6 }' "$TMP/gen.out"
}

for r in $(seq "$ROUNDS"); do
	rm -f "$TMP/cli.sock"
	"$BIN/ligd" -c "$TMP/cpu.conf" -s "$TMP/cli.sock" -b 65536 >"$TMP/ligd.log" 2>&1 &
	ligd=$!
	PIDS+=("$ligd")
	bench_wait_cli || { cat "$TMP/ligd.log"; exit 1; }
	bench_memif_pair "$MODE"
	for i in 0 1; do CTL set interface rx-mode "memif0/$i" "$RXMODE"; done
	echo "round $r ligd $MODE: $(share "$TMP/memif.sock" "$ligd")"
	kill "$ligd"
	wait "$ligd" 2>/dev/null

	command -v dpdk-testpmd >/dev/null || continue
	bench_testpmd_start "$TMP/tp.sock" "bench_testpmd_forward 5" --lcores "0@0,1@1,2@0" -- --nb-cores=2 --rxq=2 --txq=2 \
		"${TP_MBUF[@]}"
	sleep 1.5
	echo "round $r testpmd io: $(share "$TMP/tp.sock" "$TP_PID")"
	kill "$TP_PID" 2>/dev/null
	wait "$TP_PID" 2>/dev/null
done

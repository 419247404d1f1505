#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# memif forwarding benchmark (not part of make test):
#   lig-memif-gen --memif--> ligd (l2 xconnect memif0/0 <-> memif0/1) --memif--> sink
# for 64, 1500 and 9000-byte frames; the same path with a bridge domain instead of the
# xconnect; and the same path with dpdk-testpmd (io forwarding) in ligd's place. Reports
# Mpps received by the sink, ligd clocks/packet over the nodes on the path (show runtime)
# and the ligd/testpmd ratio. ligd and testpmd's forwarding lcore run on CPU 1, the
# generator on CPU 0.
# Usage: bench/memif_xconnect.sh [bin-dir] [seconds-per-run]   (as root)
set -u
BIN=$(cd "${1:-build/bin}" && pwd) || exit 1
for prog in ligd ligctl lig-memif-gen; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog (build with cmake)" >&2; exit 1; }
done
SECS=${2:-5}
SIZES=${SIZES:-"64 1500 9000"}
REPEAT=${REPEAT:-3}
# Raised priority (not real-time) for ligd/testpmd and the generator, so other work on a
# shared host disturbs the measurement less without being starved.
NICE=${NICE:--10}   # runs per point; the best is reported (other load on the host only slows)
. "$(dirname "$0")/memif_bench_lib.sh"
bench_init ligbench
CTL() { "$BIN/ligctl" -s "$TMP/cli.sock" "$@"; }

start_ligd() { # <mode: xc|bd>
	nice -n "$NICE" taskset -c 1 "$BIN/ligd" -s "$TMP/cli.sock" -b 32768 >"$TMP/ligd.log" 2>&1 &
	LIGD=$!
	PIDS+=("$LIGD")
	bench_wait_cli
	bench_memif_pair "$1"
}

stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# run_gen <socket> <size>: prints "rx_mpps loss_pct". Jumbo runs use 10240-byte slots
# on both sides (no chaining: DPDK 22.11 mis-handles chained tx into a full ring).
run_gen() {
	local b=2048
	[ "$2" -gt 2048 ] && b=10240
	nice -n "$NICE" taskset -c 0 "$BIN/lig-memif-gen" -s "$1" -i 0 -S "$1" -I 1 -l "$2" -t "$SECS" -d 0.5 -b $b -q \
		2>>"$TMP/gen.err" | awk '{ printf "%.3f %.3f\n", $5 / 1e6, $6 }'
}

# Sum over the nodes of clocks/vector * vectors, divided by packets memif-input received.
clocks_per_packet() {
	CTL show runtime | awk '
		$1 == "memif-input" { pk = $4 }
		NF == 6 && $4 ~ /^[0-9]+$/ && $1 != "Name" { tot += $5 * $4 }
		END { if (pk) printf "%.0f\n", tot / pk; else print "-" }'
}

declare -A RES
bench_ligd() { # <mode>
	start_ligd "$1"
	for s in $SIZES; do
		local best="0 - -"
		for _ in $(seq "$REPEAT"); do
			CTL clear runtime
			read -r mpps loss < <(run_gen "$TMP/memif.sock" "$s")
			cpp=$(clocks_per_packet)
			echo "ligd $1 size $s: ${mpps:-?} Mpps, loss ${loss:-?}%, ${cpp:-?} clocks/packet"
			best=$(echo "$best" | awk -v m="${mpps:-0}" -v l="${loss:--}" -v c="${cpp:--}" \
				'{ if (m + 0 > $1 + 0) print m, l, c; else print }')
		done
		RES[$1,$s]="$best"
	done
	stop_pid "$LIGD"
}

# A fresh testpmd per run: DPDK 22.11's memif server has crashed here when a client
# reconnected. Jumbo runs get 10240-byte mbufs so testpmd does not chain.
bench_testpmd() {
	local sock="$TMP/tp.sock" mb
	for s in $SIZES; do
		local best="0 - -"
		mb=()
		[ "$s" -gt 2048 ] && mb=(--mbuf-size=10240)
		for _ in $(seq "$REPEAT"); do
			rm -f "$sock"
			(sleep 1; echo "start"; sleep $((SECS + 3)); echo "stop"; echo "quit"; sleep 1) |
				nice -n "$NICE" taskset -c 0-1 dpdk-testpmd --no-huge -m 512 --no-pci --file-prefix "$DPDK_PREFIX" \
					-l 0-1 --vdev=net_memif0,role=server,socket="$sock",socket-abstract=no,id=0 \
					--vdev=net_memif1,role=server,socket="$sock",socket-abstract=no,id=1 \
					-- --no-mlockall -i --total-num-mbufs=16384 --forward-mode=io "${mb[@]}" \
					>"$TMP/testpmd.log" 2>&1 &
			local tp=$!
			PIDS+=("$tp")
			sleep 1.5
			read -r mpps loss < <(run_gen "$sock" "$s")
			echo "testpmd io size $s: ${mpps:-?} Mpps, loss ${loss:-?}%"
			best=$(echo "$best" | awk -v m="${mpps:-0}" -v l="${loss:--}" \
				'{ if (m + 0 > $1 + 0) print m, l, "-"; else print }')
			wait "$tp" 2>/dev/null
		done
		RES[tp,$s]="$best"
	done
}

bench_ligd xc
bench_ligd bd
if command -v dpdk-testpmd >/dev/null; then bench_testpmd; fi

echo
echo "| frame | ligd xconnect Mpps | clocks/pkt | ligd bridge Mpps | clocks/pkt | testpmd io Mpps | ligd xc / testpmd |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
	read -r xm _ xc <<<"${RES[xc,$s]:-- - -}"
	read -r bm _ bc <<<"${RES[bd,$s]:-- - -}"
	read -r tm _ _ <<<"${RES[tp,$s]:-- - -}"
	ratio=$(awk -v a="$xm" -v b="$tm" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
	echo "| $s | $xm | $xc | $bm | $bc | $tm | $ratio |"
done

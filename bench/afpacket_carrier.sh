#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How soon ligd sees a host-interface's carrier change, two ligd builds compared in
# interleaved rounds (A, B, A, B, ...; not part of make test): a veth of ours (its far end
# in a namespace of ours) under `create host-interface`, admin up; each round sets the
# far end down, then up, N times, and times from the `ip` command's return until
# `ligctl show interface` shows the link down (up). ligctl is polled back to back, so the
# figure is within one ligctl round trip (~1-3 ms) of the moment ligd knew.
# Per build: min / median / max in ms over all changes.
# Usage: [ROUNDS=4] [N=10] bench/afpacket_carrier.sh <bin-dir-A> [<bin-dir-B>]  (root)
set -u
if [ $# -ge 2 ] && [ ! -d "$2" ]; then set -- "$1" "$1"; fi
A=$(cd "${1:?bin dir A}" && pwd) || exit 1
B=$(cd "${2:-$1}" && pwd) || exit 1
ROUNDS=${ROUNDS:-4}
N=${N:-10}
. "$(dirname "$0")/memif_bench_lib.sh"
bench_init ligcar
NS=ligcar$$
VETH=lcar$$
cleanup() {
	bench_cleanup
	ip link del "$VETH" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$NS" || exit 1
ip link add "$VETH" type veth peer name eth0 netns "$NS" || exit 1
ip link set "$VETH" up
ip -n "$NS" link set eth0 up

now_ms() { date +%s.%N | awk '{ printf "%.3f", $1 * 1000 }'; }

# run_one <bin-dir> <out-file>: appends one latency (ms) per change.
run_one() {
	local bin=$1 out=$2 ligd state t0 t1
	CTL() { "$bin/ligctl" -s "$TMP/cli.sock" "$@"; }
	rm -f "$TMP/cli.sock"
	"$bin/ligd" -s "$TMP/cli.sock" >"$TMP/ligd.log" 2>&1 &
	ligd=$!
	PIDS+=("$ligd")
	bench_wait_cli || { echo "ligd did not start" >&2; return 1; }
	CTL create host-interface name "$VETH" >/dev/null || return 1
	CTL set interface state "host-$VETH" up
	sleep 0.6
	for _ in $(seq "$N"); do
		for state in down up; do
			ip -n "$NS" link set eth0 "$state"
			t0=$(now_ms)
			for _ in $(seq 2000); do
				CTL show interface "host-$VETH" | grep -q "host-$VETH .* up *$state" && break
			done
			t1=$(now_ms)
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' >>"$out"
		done
	done
	kill "$ligd" 2>/dev/null
	wait "$ligd" 2>/dev/null
}

: >"$TMP/A"
: >"$TMP/B"
for r in $(seq "$ROUNDS"); do
	run_one "$A" "$TMP/A"
	run_one "$B" "$TMP/B"
	echo "round $r done"
done
echo "carrier change seen by ligd, ms (min / median / max over $((ROUNDS * N * 2)) changes):"
# shellcheck disable=SC2046
echo "  A $A: $(bench_stats $(cat "$TMP/A"))"
# shellcheck disable=SC2046
echo "  B $B: $(bench_stats $(cat "$TMP/B"))"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ethernet-input, l2-input and interface-output in-process (bench/l2_graph_bench.c: full
# vectors of 64-byte frames, xconnect and a bridge with 1 and 256 flows), two builds run
# in turn REPEAT times (A, B, A, B, ...): what the memif benchmarks cannot resolve on a
# host whose speed changes between runs. Not part of make test.
# Usage: [REPEAT=3] [ROUNDS=7] bench/l2_nodes.sh <bin-dir-A> [<bin-dir-B>] [seconds]
#   (one bin dir, as bench/run-all.sh passes it: the build against itself; seconds scale
#   the vectors per round: 1 is a smoke run)
set -u
. "$(dirname "$0")/memif_bench_lib.sh" # bench_ab_bins
bench_ab_bins "$@" || exit 1
SECS=${AB_SECS:-4}
REPEAT=${REPEAT:-3}
ROUNDS=${ROUNDS:-7}
VECS=$((SECS * 500))
for d in "$A" "$B"; do
	[ -x "$d/l2_graph_bench" ] || { echo "missing $d/l2_graph_bench" >&2; exit 1; }
done
for r in $(seq 1 "$REPEAT"); do
	for side in A B; do
		d=$A
		[ "$side" = B ] && d=$B
		echo "== $side ($d), repeat $r"
		"$d/l2_graph_bench" "$ROUNDS" "$VECS" || exit 1
	done
done

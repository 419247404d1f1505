#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: runs every benchmark script bench/*.sh in turn (never two at once: they
# share the CPUs and would measure each other) with its default parameters, and keeps each
# one's output in a results directory. Not part of make test.
#
# Usage: sudo bench/run-all.sh [bin-dir (default build/bin)] [--quick]
#   --quick (or BENCH_QUICK=1, e.g. `make bench BENCH_QUICK=1`): a smoke run with the
#           shortest durations (1 s per measurement, 64-byte frames only, one repeat);
#           checks that every benchmark still runs, its figures mean little.
#   BENCH_OUT=<dir>      where results go (default <bin-dir>/../bench-results/<date-time>)
#   BENCH_ONLY="a b"     run only these scripts (names without .sh)
# Each script's own knobs (SIZES, REPEAT, NICE for memif_xconnect.sh, ...) pass through.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=""
QUICK=${BENCH_QUICK:-0}
for arg in "$@"; do
	case "$arg" in
	--quick) QUICK=1 ;;
	-h | --help) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) BIN=$arg ;;
	esac
done
BIN=$(cd "${BIN:-$HERE/../build/bin}" && pwd) || { echo "run-all: no bin directory" >&2; exit 1; }
OUT=${BENCH_OUT:-$(dirname "$BIN")/bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)

# Seconds per measurement: empty means the script's default.
SECS=""
if [ "$QUICK" = 1 ]; then
	SECS=1
	export SIZES=${SIZES:-64} REPEAT=${REPEAT:-1}
fi

scripts=()
for s in "$HERE"/*.sh; do
	name=$(basename "$s" .sh)
	[ "$name" = run-all ] && continue
	if [ -n "${BENCH_ONLY:-}" ] && ! [[ " $BENCH_ONLY " == *" $name "* ]]; then
		continue
	fi
	scripts+=("$s")
done
[ ${#scripts[@]} -gt 0 ] || { echo "run-all: no benchmark selected" >&2; exit 1; }

echo "run-all: ${#scripts[@]} benchmarks with $BIN$([ "$QUICK" = 1 ] && echo ', quick smoke run')"
echo "run-all: results go to $OUT/<benchmark>.txt"
summary=()
failed=0
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	log="$OUT/$name.txt"
	args=("$BIN")
	[ -n "$SECS" ] && args+=("$SECS")
	echo
	echo "=== $name: bench/$name.sh ${args[*]}  (output: $log)"
	t0=$(date +%s)
	# Each script's stdout and stderr, live on the terminal and in its file.
	bash "$s" "${args[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	t=$(($(date +%s) - t0))
	if [ "$rc" -eq 0 ]; then
		summary+=("$(printf '%-18s ok      %5d s  %s' "$name" "$t" "$log")")
	else
		summary+=("$(printf '%-18s FAILED  %5d s  %s (exit %d)' "$name" "$t" "$log" "$rc")")
		failed=$((failed + 1))
	fi
done

echo
echo "=== run-all summary (results in $OUT)"
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent end to end (issue 9's benchmark): a real etcd, ligd and lig-agent on loopback, in
# the same run: 1 000 loopbacks with an address + 1 000 bridge domains (each loopback its BVI),
# 100 000 routes, the resync after ligd kill -9 + restart, and 200 single puts' latency to
# CONFIGURED; 3 rounds, each with fresh processes, min/median/max. bench/agent_bench.py does
# the work and documents how each figure is taken; results to stdout (docs/PERFORMANCE.md,
# "lig-agent").
#   bench/agent_bench.sh <bin-dir> [quick-secs]   (a second argument: a smoke run, 100
#                                                  interfaces, 10 000 routes, 1 round)
#   INTERFACES, ROUTES, SINGLE, ROUNDS  the counts;  TXN_OPS  puts per etcd transaction (128)
#   GAP_MS  pause between single puts (20);  ETCD_DIR  etcd's data (default: on /dev/shm)
set -euo pipefail
bin=$(cd "$1" && pwd)
quick=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
for t in etcd python3; do
	command -v "$t" >/dev/null || { echo "agent_bench: $t not found (scripts/install-deps.sh)" >&2; exit 1; }
done
for t in ligd ligctl lig-agent; do
	[ -x "$bin/$t" ] || { echo "agent_bench: $bin/$t missing" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/ligagentbench.XXXXXX)
shm=""
if [ -z "${ETCD_DIR:-}" ] && [ -d /dev/shm ]; then
	shm=$(mktemp -d /dev/shm/ligagentbench.XXXXXX)
	export ETCD_DIR=$shm
fi
cleanup() {
	# The python side stops what it started; this catches what an interrupted run left.
	if [ -f "$tmp/pids" ]; then
		# Only a pid whose command line still names our directories (never a reused one).
		while read -r p; do
			if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -e "$tmp" ${shm:+-e "$shm"}; then
				kill -9 "$p" 2>/dev/null || true
			fi
		done <"$tmp/pids"
	fi
	rm -rf "$tmp" ${shm:+"$shm"}
}
trap cleanup EXIT
rc=0
python3 "$here/agent_bench.py" "$bin" "$tmp" "$quick" || rc=$?
if [ "$rc" -ne 0 ] && [ -n "${KEEP_LOGS:-}" ]; then
	mkdir -p "$KEEP_LOGS" && cp -r "$tmp"/. "$KEEP_LOGS"/ && echo "logs in $KEEP_LOGS"
fi
exit "$rc"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# API round-trip latency against the CLI socket doing the same (bench/api_latency.c), in one
# run, interleaved. Starts its own ligd; results to stdout (see docs/PERFORMANCE.md).
#   bench/api_bench.sh <bin-dir> [rounds] [calls-per-round]     (--quick: 2 rounds x 2000)
set -euo pipefail
bin=$(cd "$1" && pwd); shift
rounds=5 calls=20000
if [ "${1:-}" = "--quick" ]; then rounds=2 calls=2000; shift; fi
rounds=${1:-$rounds}; calls=${2:-$calls}
tmp=$(mktemp -d /tmp/ligapibench.XXXXXX)
"$bin/ligd" -s "$tmp/cli.sock" -l warn >"$tmp/ligd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do "$bin/ligctl" -s "$tmp/cli.sock" show version >/dev/null 2>&1 && break; sleep 0.05; done
"$bin/ligctl" -s "$tmp/cli.sock" loopback create >/dev/null
echo "== API vs CLI round trip: sw_interface_set_flags vs 'set interface state loop0 up|down'"
"$bin/api_latency" "$tmp/cli.sock" "$tmp/api.sock" "$rounds" "$calls"

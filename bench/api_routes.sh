#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Route insertion from a separate process: ip_route_add_del_bulk through the API socket,
# the dump of every route and their bulk deletion, then the CLI socket inserting routes
# one command per round trip (bench/api_routes.c), in one run. Starts its own ligd;
# results to stdout (see docs/PERFORMANCE.md).
#   bench/api_routes.sh <bin-dir> [quick-secs]        (a second argument: 100 000 routes)
#   ROUTES, CHUNK (routes per message), CLI_ROUTES override the counts.
set -euo pipefail
bin=$(cd "$1" && pwd); shift
routes=${ROUTES:-1000000} chunk=${CHUNK:-8192} cli_routes=${CLI_ROUTES:-100000}
if [ -n "${1:-}" ]; then routes=${ROUTES:-100000} cli_routes=${CLI_ROUTES:-10000}; fi
tmp=$(mktemp -d /tmp/ligroutebench.XXXXXX)
"$bin/ligd" -s "$tmp/cli.sock" -l warn >"$tmp/ligd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do "$bin/ligctl" -s "$tmp/cli.sock" show version >/dev/null 2>&1 && break; sleep 0.05; done
"$bin/api_routes" "$tmp/cli.sock" "$tmp/api.sock" "$routes" "$chunk" "$cli_routes"

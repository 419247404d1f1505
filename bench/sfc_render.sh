#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# lig-sfc render time (docs/PERFORMANCE.md "lig-sfc"): sfc_render_bench renders a model of
# 1 000 services (3-pod chains over two nodes: memif direct, memif via the vswitch over a
# VXLAN mesh, an l3mp with pool addresses) in interleaved rounds of first render / re-render /
# allocator JSON round trip, with min/median/max of wall and CPU time.
# usage: bench/sfc_render.sh [bin dir] [services] [rounds]
set -eu
bin=${1:-build/bin}
services=${2:-1000}
rounds=${3:-7}
if [ ! -x "$bin/sfc_render_bench" ]; then
	echo "sfc_render.sh: $bin/sfc_render_bench not built (make sfc_render_bench)" >&2
	exit 1
fi
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
"$bin/sfc_render_bench" "$services" "$rounds"
echo "host: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"

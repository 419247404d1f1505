#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc's render log counts the services that are OperDown, whatever made them so: here s2
# passes validation but its render fails (a system IPAM pool of one address for two pods), so
# its status is OperDown while s1 renders. The log line must say "(1 down)" (it said "(0 down)":
# only services refused by validation were counted). lig-sfc alone on its embedded store, no
# etcd, no namespaces.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)
python3 - "$EX/two-services.yaml" "$LIG_TMP/down.yaml" <<'PYEOF'
import sys
s = open(sys.argv[1]).read()
s = s.replace("network_pod_to_node_map:", """ipam_pools:
  - metadata:
      name: tiny
    spec:
      scope: system
      network: 10.70.0.0/24
      start_range: 1
      end_range: 1

network_pod_to_node_map:""", 1)
for ip in ("10.64.0.1/24", "10.64.0.2/24"):
    old = '                ip_addresses:\n                  - "%s"' % ip
    assert old in s
    s = s.replace(old, "                ipam_pool_names:\n                  - tiny")
open(sys.argv[2], "w").write(s)
PYEOF
PORT=$((20000 + $$ % 20000))
"$LIG_BIN/lig-sfc" --sfc-config "$LIG_TMP/down.yaml" --state-dir "$LIG_TMP/state" --http-port $PORT \
	>"$LIG_TMP/lig-sfc.log" 2>&1 &
LIG_PIDS+=($!)
status_has() { curl -sf "http://127.0.0.1:$PORT/sfc-controller" | grep -q "$1"; }
eventually() { for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done; "$@"; }
lig_check "s2 OperDown from the render (no free address in pool tiny)" \
	eventually status_has "ipam pool tiny (tiny/system): no free address for pod"
lig_check "s1 OperUp beside it" eventually status_has "oper_status: OperUp"
lig_check "the render's log line counts s2 as down" \
	eventually grep -q "render 1: .* 2 services (1 down)" "$LIG_TMP/lig-sfc.log"
grep "render 1:" "$LIG_TMP/lig-sfc.log"
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Helpers for lig-agent integration tests; source after lib.sh and lig_test_init.
#   agent_need                 skip (exit 0) when etcd, etcdctl or lig-agent is missing
#   agent_free_port            a free TCP port on 127.0.0.1
#   agent_etcd_start           one etcd member on loopback ports; sets EURL, writes $LIG_TMP/etcd.conf
#   agent_put KEY VALUE        etcdctl put;  agent_del KEY: etcdctl del
#   agent_start SOCK [ARGS]    lig-agent (label $AGENT_LABEL, default vpp1) on HPORT against
#                              etcd.conf and ligd's API socket SOCK; sets AGENT_PID
#   agent_status               GET /scheduler/status;  agent_state_of KEY: its state (NONE)
#   agent_wait_state KEY STATE [TRIES]  waits (0.1 s steps, default 50)
#   agent_zero_ops             the last agent's history holds a resync and no real operation
AGENT_LABEL=${AGENT_LABEL:-vpp1}
AGENT_P=/vnf-agent/$AGENT_LABEL/config

agent_need() {
	if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null || [ ! -x "$LIG_BIN/lig-agent" ]; then
		echo "SKIP: etcd, etcdctl or lig-agent missing"; exit 0
	fi
}

agent_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

agent_etcd_start() {
	local eport pport
	eport=$(agent_free_port); pport=$(agent_free_port)
	EURL="http://127.0.0.1:$eport"
	etcd --name t --data-dir "$LIG_TMP/etcd-data" --listen-client-urls "$EURL" \
		--advertise-client-urls "$EURL" --listen-peer-urls "http://127.0.0.1:$pport" \
		--initial-advertise-peer-urls "http://127.0.0.1:$pport" \
		--initial-cluster "t=http://127.0.0.1:$pport" >"$LIG_TMP/etcd.txt" 2>&1 &
	LIG_PIDS+=("$!")
	for _ in $(seq 100); do curl -sf "$EURL/health" | grep -q true && break; sleep 0.1; done
	printf 'endpoints:\n  - "127.0.0.1:%s"\ndial-timeout: 1s\n' "$eport" >"$LIG_TMP/etcd.conf"
	curl -sf "$EURL/health" | grep -q true
}

agent_put() { etcdctl --endpoints "$EURL" put "$1" "$2" >/dev/null; }
agent_del() { etcdctl --endpoints "$EURL" del "$1" >/dev/null; }

HPORT=${HPORT:-$(agent_free_port)}
AGENT_PID=
agent_start() {
	local sock=$1; shift
	MICROSERVICE_LABEL=$AGENT_LABEL "$LIG_BIN/lig-agent" --etcd-config "$LIG_TMP/etcd.conf" \
		--ligd-socket "$sock" --http-port "$HPORT" "$@" >>"$LIG_TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	LIG_PIDS+=("$AGENT_PID")
	for _ in $(seq 50); do curl -sf "http://127.0.0.1:$HPORT/liveness" >/dev/null && return 0; sleep 0.1; done
	echo "agent did not start"; cat "$LIG_TMP/agent.log"; return 1
}

agent_status() { curl -sf "http://127.0.0.1:$HPORT/scheduler/status"; }
agent_state_of() {
	agent_status | python3 -c 'import json,sys; k=sys.argv[1]; print(next((v["state"] for v in json.load(sys.stdin) if v["key"]==k), "NONE"))' "$1"
}
agent_wait_state() {
	for _ in $(seq "${3:-50}"); do [ "$(agent_state_of "$1")" = "$2" ] && return 0; sleep 0.1; done
	echo "$1: $(agent_state_of "$1"), wanted $2"; agent_status; return 1
}
agent_zero_ops() {
	curl -sf "http://127.0.0.1:$HPORT/scheduler/txn-history" | python3 -c '
import json,sys
h=json.load(sys.stdin)
ops=[o for t in h for o in t["ops"] if not o["noop"]]
print([(t["trigger"], len(t["ops"])) for t in h], ops)
sys.exit(1 if ops or not any(t["trigger"] == "resync" for t in h) else 0)'
}

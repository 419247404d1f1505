#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The live demo: five network namespaces as hosts wired into one ligd by veth pairs.
# Three share bridge domain 10 (with a BVI loopback), two are joined by an L2 xconnect.
# It pings across both, runs iperf3 over each, prints what ligd saw, then lets lig-agent add
# two more hosts from a vpp-agent YAML document, and cleans up.
set -u
bin=${1:-build/bin}
source "$(dirname "$0")/../tests/integration/lib.sh"
lig_test_init "$bin"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[36mligctl# %s\033[0m\n' "$*"; lig_ctl demo "$@"; }

step "Hosts: h1 h2 h3 (10.10.0.0/24, bridged) and x1 x2 (10.20.0.0/24, xconnected)"
lig_host h1 10.10.0.1/24
lig_host h2 10.10.0.2/24
lig_host h3 10.10.0.3/24
lig_host x1 10.20.0.1/24
lig_host x2 10.20.0.2/24

step "Start ligd"
lig_start demo || exit 1
P=$LIG_PREFIX
cat >"$LIG_TMP/setup.cli" <<EOC
create host-interface name ${P}h1
create host-interface name ${P}h2
create host-interface name ${P}h3
create host-interface name ${P}x1
create host-interface name ${P}x2
create bridge-domain 10 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge host-${P}h1 10
set interface l2 bridge host-${P}h2 10
set interface l2 bridge host-${P}h3 10
loopback create mac 02:fe:00:00:00:10
set interface l2 bridge loop0 10 bvi
set interface l2 xconnect host-${P}x1 host-${P}x2
set interface l2 xconnect host-${P}x2 host-${P}x1
set interface state host-${P}h1 up
set interface state host-${P}h2 up
set interface state host-${P}h3 up
set interface state host-${P}x1 up
set interface state host-${P}x2 up
set interface state loop0 up
EOC
sed 's/^/  /' "$LIG_TMP/setup.cli"
"$LIG_BIN/ligctl" -s "$LIG_TMP/demo.sock" exec "$LIG_TMP/setup.cli" || exit 1

step "Ping across the bridge domain"
lig_ctl demo trace add af-packet-input 4 >/dev/null
ip netns exec ${P}h1 ping -c 3 -i 0.2 10.10.0.2
ip netns exec ${P}h1 ping -c 3 -i 0.2 10.10.0.3
ip netns exec ${P}h2 ping -c 3 -i 0.2 10.10.0.3

step "Ping across the xconnect"
ip netns exec ${P}x1 ping -c 3 -i 0.2 10.20.0.2

step "iperf3 TCP over the xconnect (5 s)"
ip netns exec ${P}x2 iperf3 -s -1 -B 10.20.0.2 >/dev/null 2>&1 &
LIG_PIDS+=($!)
sleep 0.5
ip netns exec ${P}x1 iperf3 -c 10.20.0.2 -t 5 | tail -4

step "iperf3 TCP across the bridge domain (5 s)"
ip netns exec ${P}h3 iperf3 -s -1 -B 10.10.0.3 >/dev/null 2>&1 &
LIG_PIDS+=($!)
sleep 0.5
ip netns exec ${P}h1 iperf3 -c 10.10.0.3 -t 5 | tail -4

step "What ligd saw"
show show bridge-domain 10 detail
show show l2fib verbose
show show interface
show show runtime
show show errors
show show trace max 1

step "The same node through ligd's API (ligctl api, JSON by the message definitions)"
show show running-config
printf '\033[36m$ ligctl api dump bridge_domain_dump\033[0m\n'
"$LIG_BIN/ligctl" -s "$LIG_TMP/demo.sock" api dump bridge_domain_dump
printf '\033[36m$ ligctl api call bridge_domain_add_del (bridge domain 10 still has ports)\033[0m\n'
"$LIG_BIN/ligctl" -s "$LIG_TMP/demo.sock" api call bridge_domain_add_del '{"bd_id":10,"is_add":false}' || true

step "lig-agent: two more hosts, declared in vpp-agent's YAML instead of typed (embedded store, REST)"
lig_host a1 10.30.0.1/24
lig_host a2 10.30.0.2/24
APORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$LIG_BIN/lig-agent" --state-dir "$LIG_TMP/agent" --ligd-socket "$LIG_TMP/demo.api.sock" \
	--http-port "$APORT" >"$LIG_TMP/agent.log" 2>&1 &
LIG_PIDS+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$APORT/readiness" >/dev/null && break; sleep 0.1; done
cat >"$LIG_TMP/pods.yaml" <<EOY
vppConfig:
  interfaces:
    - name: pod-a1
      type: AF_PACKET
      enabled: true
      afpacket: {hostIfName: ${P}a1}
    - name: pod-a2
      type: AF_PACKET
      enabled: true
      afpacket: {hostIfName: ${P}a2}
  bridgeDomains:
    - name: pods
      flood: true
      unknownUnicastFlood: true
      forward: true
      learn: true
      interfaces: [{name: pod-a1}, {name: pod-a2}]
EOY
sed 's/^/  /' "$LIG_TMP/pods.yaml"
printf '\033[36m$ curl -X PUT --data-binary @pods.yaml http://127.0.0.1:%s/configuration\033[0m\n' "$APORT"
curl -sS -X PUT -H 'Content-Type: application/yaml' --data-binary @"$LIG_TMP/pods.yaml" \
	"http://127.0.0.1:$APORT/configuration"; echo
printf '\033[36m$ lig-agentctl values (the configuration keys; OBTAINED: made by the CLI above, left alone)\033[0m\n'
"$LIG_BIN/lig-agentctl" --host "127.0.0.1:$APORT" values | grep -E "^STATE|/config/"
ip netns exec ${P}a1 ping -c 3 -i 0.2 10.30.0.2
printf '\033[36m$ ligctl api dump sw_interface_dump (the agent names interfaces by tag)\033[0m\n'
"$LIG_BIN/ligctl" -s "$LIG_TMP/demo.sock" api dump sw_interface_dump | grep '"tag":"pod-' 

step "Stop ligd (SIGTERM) and clean up"
lig_cleanup
trap - EXIT
echo "demo finished"

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's NAT models (vpp-agent's vpp.nat) against a real etcd and ligd: a load-balanced
# service (dnat44) and an SNAT pool (nat44-pool) with inside/outside interfaces
# (nat44-interface) and the global switch (nat44-global), all as etcd keys:
# - the DNAT written first waits (PENDING) for the global key; interface roles wait for their
#   interfaces; everything ends CONFIGURED;
# - an outside client's TCP connections to the service reach both backend netns hosts and come
#   back from the service address; a pod reaches the outside host, seen there with the pool
#   address;
# - ligd killed and restarted: the agent's resync puts the NAT44 configuration back, traffic
#   passes again; a restarted agent finds it all in ligd and does nothing;
# - deleting the keys removes the mapping, the pool and the roles from ligd (show nat44 ...).
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
TOOL="$(dirname "$0")/nat44_tool.py"
agent_etcd_start || { echo "etcd did not start"; exit 1; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
lig_host p 10.93.1.2/24 # pod and backend 1 (inside)
lig_host b 10.93.3.2/24 # backend 2 (inside)
lig_host o 10.93.2.2/24 # outside host
ip -n "${LIG_PREFIX}p" route add default via 10.93.1.1
ip -n "${LIG_PREFIX}b" route add default via 10.93.3.1
ip -n "${LIG_PREFIX}o" route add 10.96.0.0/16 via 10.93.2.1
agent_start "$SOCK" || exit 1
P=$AGENT_P
IF=$P/vpp/v2/interfaces
NAT=$P/vpp/nat/v2
show() { "$LIG_BIN/ligctl" -s "$LIG_TMP/l1.sock" show "$@"; }

DNAT='{"label":"web","stMappings":[{"externalIp":"10.96.0.10","externalPort":80,"protocol":"TCP","localIps":[{"localIp":"10.93.1.2","localPort":8080,"probability":50},{"localIp":"10.93.3.2","localPort":8080,"probability":50}]}]}'
agent_put $NAT/dnat44/web "$DNAT"
lig_check "DNAT before the NAT44 global: PENDING" agent_wait_state $NAT/dnat44/web PENDING 50
put_all() {
	agent_put $NAT/nat44-interface/afp1 '{"name":"afp1","natInside":true}'
	agent_put $NAT/nat44-interface/afp3 '{"name":"afp3","natInside":true}'
	agent_put $NAT/nat44-interface/afp2 '{"name":"afp2","natOutside":true}'
	agent_put $NAT/nat44-pool/snat '{"name":"snat","firstIp":"10.93.2.1"}'
	agent_put $NAT/nat44-global '{"forwarding":false}'
}
put_all
lig_check "interface role before its interface: PENDING" \
	agent_wait_state $NAT/nat44-interface/afp1 PENDING 50
for i in 1 2 3; do
	h=$(echo p o b | cut -d' ' -f$i)
	agent_put $IF/afp$i '{"name":"afp'$i'","type":"AF_PACKET","enabled":true,"physAddress":"02:00:00:00:93:0'$i'","ipAddresses":["10.93.'$i'.1/24"],"afpacket":{"hostIfName":"'"${LIG_PREFIX}$h"'"}}'
done
all_configured() {
	for k in nat44-global nat44-interface/afp1 nat44-interface/afp2 nat44-interface/afp3 \
		nat44-pool/snat dnat44/web; do
		agent_wait_state $NAT/$k CONFIGURED 100 || { echo "$k: $(agent_state_of $NAT/$k)"; return 1; }
	done
}
lig_check "all NAT keys CONFIGURED" all_configured
lig_check "ligd: the service's LB mapping, the pool, the roles" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 static mappings | grep -q '10.96.0.10:80' &&
	 '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 addresses | grep -q '10.93.2.1' &&
	 [ \$('$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 interfaces | grep -c ' in\$') -eq 2 ] &&
	 [ \$('$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 interfaces | grep -c ' out\$') -eq 1 ]"

lig_tool_serve "${LIG_PREFIX}p" b1 8080 || lig_check "server b1" false
lig_tool_serve "${LIG_PREFIX}b" b2 8080 || lig_check "server b2" false
lig_tool_serve "${LIG_PREFIX}o" outside 7000 || lig_check "server outside" false
traffic() {
	ip netns exec "${LIG_PREFIX}o" python3 "$TOOL" tcp 10.96.0.10 80 20 1 >"$LIG_TMP/lb.out" 2>&1
	local ok b1 b2
	ok=$(grep -c ' peer 10.96.0.10:80$' "$LIG_TMP/lb.out")
	b1=$(grep -c '^conn [0-9]* b1 peer' "$LIG_TMP/lb.out")
	b2=$(grep -c '^conn [0-9]* b2 peer' "$LIG_TMP/lb.out")
	lig_log "service: $ok of 20 connections with the service as peer; b1 $b1, b2 $b2"
	[ "$ok" -eq 20 ] && [ "$b1" -ge 1 ] && [ "$b2" -ge 1 ] || return 1
	ip netns exec "${LIG_PREFIX}p" python3 "$TOOL" udp 10.93.2.2 7000 1 >"$LIG_TMP/snat.out" 2>&1
	ip netns exec "${LIG_PREFIX}p" python3 "$TOOL" tcp 10.93.2.2 7000 3 1 >>"$LIG_TMP/snat.out" 2>&1
	grep -q 'outside 10.93.2.1:' "$LIG_TMP/snat.out" &&
		[ "$(grep -c '^conn .* outside peer 10.93.2.2:7000' "$LIG_TMP/snat.out")" -eq 3 ]
}
lig_check "TCP to the service reaches both backends, replies from the service; the pod goes out as the pool address" traffic

kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
sleep 0.3
lig_start l1 || exit 1
restored() {
	for _ in $(seq 60); do
		show nat44 static mappings 2>/dev/null | grep -q '10.96.0.10:80' &&
			show nat44 addresses 2>/dev/null | grep -q '10.93.2.1' &&
			[ "$(show nat44 interfaces 2>/dev/null | grep -c ' in$\| out$')" -eq 3 ] && return 0
		sleep 0.1
	done
	return 1
}
lig_check "ligd restarted: the agent's resync restores the service, the pool and the roles" restored
sleep 0.5
lig_check "traffic passes again after the resync" traffic

kill -TERM "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null
: >"$LIG_TMP/agent.log"
agent_start "$SOCK" || exit 1
sleep 1
lig_check "restarted agent: its NAT44 configuration found in ligd, nothing done" agent_zero_ops
lig_check "still CONFIGURED after the agent's restart" agent_wait_state $NAT/dnat44/web CONFIGURED 50

agent_del $NAT/dnat44/web
agent_del $NAT/nat44-pool/snat
sleep 0.7
lig_check "DNAT key deleted: ligd has no mapping to 10.96.0.10" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 static mappings >/dev/null &&
	 ! '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 static mappings | grep -q '10.96.0.10'"
lig_check "pool key deleted: ligd's pool is empty" sh -c \
	"! '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show nat44 addresses | grep -q '10.93.2.1'"
agent_del $NAT/nat44-interface/afp2
sleep 0.5
roles_after() {
	show nat44 interfaces >"$LIG_TMP/roles.out" || return 1
	! grep -q ' out$' "$LIG_TMP/roles.out" && [ "$(grep -c ' in$' "$LIG_TMP/roles.out")" -eq 2 ]
}
lig_check "interface key deleted: no NAT44 outside interface left, the two inside ones stay" roles_after
lig_test_done

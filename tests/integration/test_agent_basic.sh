#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent against a real etcd and ligd: vpp-agent-format values written in arbitrary order
# (the bridge domain before its interface) reach ligd and are CONFIGURED; a ligd killed with -9
# and restarted gets its configuration back; a restarted agent changes nothing; unsupported
# models and fields are INVALID with a reason. ligd names interfaces its own way (loop0 for the
# first loopback...); the vpp-agent name is ligd's interface tag.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }
put() { agent_put "$@"; }
free_port() { agent_free_port; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
start_agent() { agent_start "$SOCK"; }
status() { agent_status; }
state_of() { agent_state_of "$@"; }
wait_state() { agent_wait_state "$@"; }

P=/vnf-agent/vpp1/config
BD=$P/vpp/l2/v2/bridge-domain/bd1
LOOP=$P/vpp/v2/interfaces/loop1
RT=$P/vpp/v2/route/if/loop1/vrf/0/dst/10.20.0.0/16/gw/10.10.1.254
start_agent || { echo "agent did not start"; cat "$LIG_TMP/agent.log"; exit 1; }

# The bridge domain first: its membership waits (PENDING) for loop1.
put $BD '{"name":"bd1","flood":true,"unknown_unicast_flood":true,"forward":true,"learn":true,"interfaces":[{"name":"loop1","bridged_virtual_interface":true}]}'
lig_check "bridge domain CONFIGURED" wait_state $BD CONFIGURED
lig_check "membership PENDING before its interface" wait_state vpp/bd/bd1/interface/loop1 PENDING
put $RT '{"dstNetwork":"10.20.0.0/16","nextHopAddr":"10.10.1.254","outgoingInterface":"loop1"}'
lig_check "route PENDING before its interface" wait_state $RT PENDING
put $LOOP '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"physAddress":"02:00:00:00:00:01","ipAddresses":["10.10.1.1/24"]}'
put $P/vpp/v2/interfaces/tap1 '{"name":"tap1","type":"TAP","tap":{"version":2,"rxRingSize":512}}'
put $P/vpp/abfs/v2/abf/1 '{"index":1}'
lig_check "loop1 CONFIGURED" wait_state $LOOP CONFIGURED
lig_check "membership CONFIGURED" wait_state vpp/bd/bd1/interface/loop1 CONFIGURED
lig_check "route CONFIGURED" wait_state $RT CONFIGURED
lig_check "address CONFIGURED" wait_state vpp/interface/loop1/address/static/10.10.1.1/24 CONFIGURED
lig_check "tap with an rx ring size INVALID (unsupported field)" wait_state $P/vpp/v2/interfaces/tap1 INVALID
lig_check "abf INVALID (unsupported model)" wait_state $P/vpp/abfs/v2/abf/1 INVALID

# ligd's name of the interface tagged $1
ligd_name() { lig_ctl l1 api dump sw_interface_dump | grep "\"tag\":\"$1\"" | sed 's/.*"name":"\([^"]*\)".*/\1/'; }
check_ligd() {
	local ifs bds addrs rts l1
	ifs=$(lig_ctl l1 api dump sw_interface_dump) || return 1
	echo "$ifs" | grep '"tag":"loop1"' | grep -q '"admin_up": *1\|"admin_up": *true' || { echo "$ifs"; return 1; }
	echo "$ifs" | grep '"tag":"loop1"' | grep -qi '02:00:00:00:00:01' || { echo "$ifs"; return 1; }
	l1=$(ligd_name loop1)
	addrs=$(lig_ctl l1 api dump ip_address_dump) || return 1
	echo "$addrs" | grep "\"$l1\"" | grep -q '10.10.1.1' || { echo "$addrs"; return 1; }
	bds=$(lig_ctl l1 api dump bridge_domain_dump) || return 1
	echo "$bds" | grep -q "\"sw_if_index\": *\"$l1\", *\"shg\": *0, *\"bvi\": *true" || { echo "$bds"; return 1; }
	rts=$(lig_ctl l1 api dump ip_route_dump '{"by_table":1,"table_id":0,"source":2}') || return 1
	echo "$rts" | grep '10.20.0.0' | grep -q '10.10.1.254' || { echo "$rts"; return 1; }
}
lig_check "ligd has loop1 (up, MAC), its address, bd1 with loop1 as BVI and the route" check_ligd

# An af_packet interface (vpp-agent name afp1, ligd's host-<veth>) joins bd1: the host behind it
# pings loop1, the BVI.
lig_host a1 10.10.1.2/24
AFP=$P/vpp/v2/interfaces/afp1
put $AFP '{"name":"afp1","type":"AF_PACKET","enabled":true,"afpacket":{"hostIfName":"'"${LIG_PREFIX}a1"'"}}'
put $BD '{"name":"bd1","flood":true,"unknown_unicast_flood":true,"forward":true,"learn":true,"interfaces":[{"name":"loop1","bridged_virtual_interface":true},{"name":"afp1"}]}'
lig_check "afp1 CONFIGURED" wait_state $AFP CONFIGURED
lig_check "afp1 membership CONFIGURED" wait_state vpp/bd/bd1/interface/afp1 CONFIGURED
ping_bvi() { for _ in 1 2 3 4 5; do lig_ping a1 10.10.1.1 2 >/dev/null 2>&1 && return 0; sleep 0.3; done; lig_ping a1 10.10.1.1 2; }
lig_check "host behind afp1 pings loop1 (BVI of bd1)" ping_bvi

# ligd killed and restarted: the agent reconnects and resyncs.
kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
# A value written while ligd is down is applied when it comes back.
put $P/vpp/v2/interfaces/loop2 '{"name":"loop2","type":"SOFTWARE_LOOPBACK","mtu":1400}'
sleep 0.3
lig_start l1 || exit 1
has_loop2() { for _ in $(seq 50); do lig_ctl l1 api dump sw_interface_dump | grep '"tag":"loop2"' | grep -q '"mtu": *1400' && return 0; sleep 0.1; done; lig_ctl l1 api dump sw_interface_dump; return 1; }
lig_check "loop2 written while ligd was down is created (mtu 1400)" has_loop2
lig_check "loop2 CONFIGURED" wait_state $P/vpp/v2/interfaces/loop2 CONFIGURED
restored() { for _ in $(seq 100); do check_ligd >/dev/null 2>&1 && return 0; sleep 0.1; done; check_ligd; }
lig_check "configuration restored after ligd kill -9" restored
lig_check "loop1 still CONFIGURED" wait_state $LOOP CONFIGURED
lig_check "afp1 CONFIGURED after ligd restart" wait_state vpp/bd/bd1/interface/afp1 CONFIGURED
lig_check "ping through afp1 to the BVI after ligd restart" ping_bvi

# A restarted agent changes nothing.
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
lig_check "agent exited cleanly on SIGTERM" test $? -eq 0
start_agent || exit 1
lig_check "loop1 CONFIGURED after agent restart" wait_state $LOOP CONFIGURED
lig_check "membership CONFIGURED after agent restart" wait_state vpp/bd/bd1/interface/loop1 CONFIGURED
lig_check "zero operations after agent restart" agent_zero_ops
lig_check "ligd unchanged" check_ligd

# Drift: loop2 deleted behind the agent's back comes back with a downstream resync.
lig_ctl l1 api call loopback_delete '{"sw_if_index":"'"$(ligd_name loop2)"'"}' >/dev/null
no_loop2() { ! lig_ctl l1 api dump sw_interface_dump | grep -q '"tag":"loop2"'; }
lig_check "loop2 deleted behind the agent's back" no_loop2
curl -sf -X POST "http://127.0.0.1:$HPORT/scheduler/downstream-resync" >/dev/null
lig_check "loop2 deleted behind the agent's back is back after downstream-resync" has_loop2

# Deleting the interface takes the membership back to PENDING and removes loop1 from ligd.
etcdctl --endpoints "$EURL" del $LOOP >/dev/null
lig_check "membership PENDING after interface delete" wait_state vpp/bd/bd1/interface/loop1 PENDING
lig_check "route PENDING after interface delete" wait_state $RT PENDING
gone() { for _ in $(seq 50); do lig_ctl l1 api dump sw_interface_dump | grep -q '"tag":"loop1"' || return 0; sleep 0.1; done; return 1; }
lig_check "loop1 deleted from ligd" gone

# No --etcd-config: the embedded store in --state-dir. An interface created behind the agent's
# back is OBTAINED and left alone.
lig_start l2 || exit 1
lig_ctl l2 api call loopback_create '{"instance_set":1,"instance":7}' >/dev/null
H2=$(free_port)
"$LIG_BIN/lig-agent" --state-dir "$LIG_TMP/agent-state" --ligd-socket "$LIG_TMP/l2.api.sock" \
	--http-port "$H2" >>"$LIG_TMP/agent2.log" 2>&1 &
LIG_PIDS+=("$!")
ready2() { for _ in $(seq 50); do curl -sf "http://127.0.0.1:$H2/readiness" >/dev/null && return 0; sleep 0.1; done; return 1; }
lig_check "embedded-store agent ready" ready2
HPORT=$H2
lig_check "loop7 (not the agent's) OBTAINED" wait_state $P/vpp/v2/interfaces/loop7 OBTAINED
lig_check "loop7 left in ligd" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/l2.sock' api dump sw_interface_dump | grep -q loop7"

lig_test_done

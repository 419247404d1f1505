#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent publishes ligd's interface state as vpp-agent does (InterfaceState under
# /vnf-agent/<label>/vpp/status/v2/interface/<name>): keys for every interface with the right
# admin/oper status, a link or admin change within a second, counters that grow after a ping,
# keys of deleted interfaces removed (also those that vanished while ligd was down), nothing
# written while ligd is down or when nothing changed, at most one write per interface per
# ~100 ms during a flap. An interface the agent configured that is changed behind its back is put
# back (drift: ligd's events start a downstream resync).
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
P=$AGENT_P
S=/vnf-agent/$AGENT_LABEL/vpp/status/v2/interface
AFH="${LIG_PREFIX}a1"
lig_host a1 10.10.1.2/24
agent_start "$SOCK" --status-interval 0.5 || exit 1

agent_put $P/vpp/v2/interfaces/loop1 '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"physAddress":"02:00:00:00:00:01","ipAddresses":["10.10.1.1/24"]}'
agent_put $P/vpp/v2/interfaces/loop2 '{"name":"loop2","type":"SOFTWARE_LOOPBACK","mtu":1400}'
agent_put $P/vpp/v2/interfaces/afp1 '{"name":"afp1","type":"AF_PACKET","enabled":true,"afpacket":{"hostIfName":"'"$AFH"'"}}'
agent_put $P/vpp/l2/v2/bridge-domain/bd1 '{"name":"bd1","flood":true,"forward":true,"learn":true,"interfaces":[{"name":"loop1","bridged_virtual_interface":true},{"name":"afp1"}]}'
lig_check "afp1 membership CONFIGURED" agent_wait_state vpp/bd/bd1/interface/afp1 CONFIGURED

# st_val NAME: the published value; st_wait NAME PYEXPR [TRIES]: waits (0.05 s steps) until the
# Python expression over v (the decoded value, None when the key is absent) holds.
st_val() { etcdctl --endpoints "$EURL" get "$S/$1" --print-value-only; }
st_wait() {
	local i
	for i in $(seq "${3:-60}"); do
		st_val "$1" | python3 -c 'import json,sys; d=sys.stdin.read().strip(); v=json.loads(d) if d else None; sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "$1: $(st_val "$1"), wanted $2"; return 1
}
# st_grep NAME REGEX: the same with grep (cheaper, for the timed checks).
st_grep() {
	for _ in $(seq 100); do st_val "$1" | grep -q "$2" && return 0; sleep 0.02; done
	echo "$1: $(st_val "$1"), wanted $2"; return 1
}
now_ms() { date +%s%3N; }

lig_check "loop1: admin UP, oper UP, loopback, MAC, ifIndex" st_wait loop1 \
	'v and v["name"]=="loop1" and v["internalName"].startswith("loop") and v["type"]=="SOFTWARE_LOOPBACK" and v["adminStatus"]=="UP" and v["operStatus"]=="UP" and v["physAddress"]=="02:00:00:00:00:01" and v["ifIndex"]>0'
lig_check "loop2: admin DOWN, oper DOWN, mtu 1400" st_wait loop2 \
	'v and v["adminStatus"]=="DOWN" and v["operStatus"]=="DOWN" and v["mtu"]==1400'
lig_check "afp1 (the agent's name; ligd's host-<veth>): AF_PACKET, UP/UP" st_wait afp1 \
	'v and v["internalName"]=="host-'"$AFH"'" and v["type"]=="AF_PACKET" and v["adminStatus"]=="UP" and v["operStatus"]=="UP"'

# Link: the host end of afp1's veth goes down, then up.
t0=$(now_ms)
ip link set "$AFH" down
lig_check "afp1 oper DOWN after its host veth went down" st_grep afp1 '"operStatus":"DOWN"'
dt=$(($(now_ms) - t0))
lig_check "... admin still UP" st_wait afp1 'v["adminStatus"]=="UP"'
lig_check "... within a second (${dt} ms)" test "$dt" -lt 1000
ip link set "$AFH" up
lig_check "afp1 oper UP again" st_wait afp1 'v["operStatus"]=="UP"'

# Admin: an interface the agent does not manage, created and set up behind its back.
lig_ctl l1 api call loopback_create '{"instance_set":1,"instance":7}' >/dev/null
lig_check "loop7 (created with ligctl) published, DOWN" st_wait loop7 'v and v["adminStatus"]=="DOWN"'
t0=$(now_ms)
lig_ctl l1 api call sw_interface_set_flags '{"sw_if_index":"loop7","admin_up":1}' >/dev/null
lig_check "loop7 admin UP after ligctl set it up" st_grep loop7 '"adminStatus":"UP"'
dt=$(($(now_ms) - t0))
lig_check "... and oper UP" st_wait loop7 'v["operStatus"]=="UP"'
lig_check "... within a second (${dt} ms)" test "$dt" -lt 1000

# Counters grow after a ping (polled every 0.5 s here).
c0=$(st_val afp1 | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["statistics"].get("inPackets","0")))')
lig_ping a1 10.10.1.1 5 >/dev/null
lig_check "afp1 inPackets grew after 5 pings (was $c0)" st_wait afp1 'int(v["statistics"].get("inPackets","0"))>='"$((c0 + 5))"' and int(v["statistics"].get("outPackets","0"))>=5'
lig_check "loop1 (the BVI) counted the pings too" st_wait loop1 'int(v["statistics"].get("inPackets","0"))>=5'

# Nothing changes on loop2 and loop7: their keys are not written again across 2 counter polls.
rev() { etcdctl --endpoints "$EURL" get "$S/$1" -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)["kvs"][0]["mod_revision"])'; }
r2=$(rev loop2); r7=$(rev loop7)
sleep 1.2
lig_check "unchanged loop2 and loop7 not rewritten ($r2 $r7)" test "$(rev loop2) $(rev loop7)" = "$r2 $r7"

# Rate limit: loop7 flapped 30 times over about a second; every write under its key counted.
etcdctl --endpoints "$EURL" watch "$S/loop7" >"$LIG_TMP/watch.txt" 2>&1 &
WPID=$!
LIG_PIDS+=("$WPID")
sleep 0.3
t0=$(now_ms)
for i in $(seq 15); do
	lig_ctl l1 api call sw_interface_set_flags '{"sw_if_index":"loop7","admin_up":0}' >/dev/null
	sleep 0.02
	lig_ctl l1 api call sw_interface_set_flags '{"sw_if_index":"loop7","admin_up":1}' >/dev/null
	sleep 0.02
done
lig_ctl l1 api call sw_interface_set_flags '{"sw_if_index":"loop7","admin_up":0}' >/dev/null
dt=$(($(now_ms) - t0))
lig_check "loop7 ends DOWN after the flap" st_wait loop7 'v["adminStatus"]=="DOWN"'
sleep 0.3
kill "$WPID"; wait "$WPID" 2>/dev/null
puts=$(grep -c '^PUT$' "$LIG_TMP/watch.txt")
# Writes 100 ms apart over the flap and the 100 ms after it, plus the first: dt/100 + 2, and one
# for timer jitter.
limit=$((dt / 100 + 3))
lig_log "flap: 31 admin changes in $dt ms, $puts writes (limit $limit)"
lig_check "flap: at most one write per 100 ms ($puts writes in $dt ms)" test "$puts" -le "$limit" -a "$puts" -ge 2

# Drift: loop1 (the agent's; ligd names it by its own rule and tags it loop1) set down behind
# its back is set up again.
L1=$(st_val loop1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["internalName"])')
lig_check "$L1 (loop1) set down with ligctl" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' api call sw_interface_set_flags '{\"sw_if_index\":\"$L1\",\"admin_up\":0}' | grep -q '\"retval\":0'"
loop1_up() { for _ in $(seq 60); do lig_ctl l1 api dump sw_interface_dump | grep '"name":"'"$L1"'"' | grep -q '"admin_up":true' && return 0; sleep 0.05; done; return 1; }
lig_check "loop1 set down behind the agent's back is up again (drift -> downstream resync)" loop1_up
lig_check "the agent logged the drift" grep -q "drift: loop1 admin down" "$LIG_TMP/agent.log"
only_drift() { ! grep "drift:" "$LIG_TMP/agent.log" | grep -v "drift: loop1 admin down"; }
lig_check "no other drift resync (the agent's own changes are not drift)" only_drift

# A deleted interface's key goes away: loop2 from the store, loop7 behind the agent's back.
agent_del $P/vpp/v2/interfaces/loop2
lig_check "loop2's status key deleted with loop2" st_wait loop2 'v is None'
lig_ctl l1 api call loopback_delete '{"sw_if_index":"loop7"}' >/dev/null
lig_check "loop7's status key deleted when ligctl deleted it" st_wait loop7 'v is None'

# ligd down: nothing is written. Back: a full refresh (new index for loop1 is fine, loop8 that
# only the killed ligd had is removed).
lig_ctl l1 api call loopback_create '{"instance_set":1,"instance":8}' >/dev/null
lig_check "loop8 published" st_wait loop8 'v is not None'
kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
sleep 0.3
etcdctl --endpoints "$EURL" watch --prefix "$S/" >"$LIG_TMP/watch2.txt" 2>&1 &
WPID=$!
LIG_PIDS+=("$WPID")
sleep 0.8
kill "$WPID"; wait "$WPID" 2>/dev/null
lig_check "nothing written while ligd is down" test "$(grep -c '^PUT$\|^DELETE$' "$LIG_TMP/watch2.txt")" -eq 0
lig_start l1 || exit 1
lig_check "loop8 (gone with the old ligd) removed after the reconnect" st_wait loop8 'v is None' 80
lig_check "loop1 UP after ligd restart" st_wait loop1 'v["adminStatus"]=="UP" and v["operStatus"]=="UP"' 80

# A restarted agent leaves unchanged keys alone.
lig_ctl l1 api call loopback_create '{"instance_set":1,"instance":9}' >/dev/null
lig_check "loop9 published" st_wait loop9 'v is not None'
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
r9=$(rev loop9)
agent_start "$SOCK" --status-interval 0.5 || exit 1
lig_check "agent restarted, loop1 CONFIGURED" agent_wait_state $P/vpp/v2/interfaces/loop1 CONFIGURED
sleep 0.6
lig_check "restarted agent did not rewrite loop9 (unchanged)" test "$(rev loop9)" = "$r9"
# Idle, the agent sleeps (no timer spinning): under 10% of a CPU over 1.2 s (2 counter polls).
cpu() { awk '{print $14 + $15}' "/proc/$AGENT_PID/stat"; }
c0=$(cpu); sleep 1.2; c1=$(cpu)
lig_check "idle agent used $((c1 - c0)) of 120 CPU ticks in 1.2 s" test $((c1 - c0)) -lt 12
grep "lig-agent: status:" "$LIG_TMP/agent.log" | sed 's/^/    /'

lig_test_done

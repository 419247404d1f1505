#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ligd killed with -9 while traffic flows through the bridge domain lig-agent configured (two
# netns hosts on af_packet interfaces, a loopback BVI, as vpp-agent's values in etcd): restarted,
# it gets the whole configuration back from the agent, the pings resume (the gap is counted and
# bounded) and ligd's configuration as `ligctl api snapshot` renders it (canonical text, state
# and counters left out) equals the one before the kill. Then the agent is restarted: zero
# operations.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
P=$AGENT_P
IF=$P/vpp/v2/interfaces
BD=$P/vpp/l2/v2/bridge-domain/bd1
HA="${LIG_PREFIX}a"
HB="${LIG_PREFIX}b"
lig_host a 10.40.0.1/24 02:00:00:00:0a:01
lig_host b 10.40.0.2/24 02:00:00:00:0b:01
agent_start "$SOCK" || exit 1

# MACs and MTUs are given, so a ligd that starts from nothing gets the same configuration.
agent_put $IF/loop1 '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"physAddress":"02:00:00:00:01:01","ipAddresses":["10.40.0.254/24"]}'
agent_put $IF/afa '{"name":"afa","type":"AF_PACKET","enabled":true,"physAddress":"02:00:00:00:0a:02","afpacket":{"hostIfName":"'"$HA"'"}}'
agent_put $IF/afb '{"name":"afb","type":"AF_PACKET","enabled":true,"physAddress":"02:00:00:00:0b:02","mtu":1400,"afpacket":{"hostIfName":"'"$HB"'"}}'
agent_put $BD '{"name":"bd1","flood":true,"unknownUnicastFlood":true,"forward":true,"learn":true,"interfaces":[{"name":"afa"},{"name":"afb"},{"name":"loop1","bridgedVirtualInterface":true}]}'
agent_put $P/vpp/v2/route/if/loop1/vrf/0/dst/10.50.0.0/16/gw/10.40.0.2 '{"dstNetwork":"10.50.0.0/16","nextHopAddr":"10.40.0.2","outgoingInterface":"loop1"}'
for k in $IF/loop1 $IF/afa $IF/afb $BD vpp/bd/bd1/interface/afa vpp/bd/bd1/interface/afb \
	vpp/bd/bd1/interface/loop1 $P/vpp/v2/route/if/loop1/vrf/0/dst/10.50.0.0/16/gw/10.40.0.2; do
	lig_check "$k CONFIGURED" agent_wait_state "$k" CONFIGURED
done
pings() { for _ in 1 2 3 4 5; do lig_ping a "$1" 2 >/dev/null 2>&1 && return 0; sleep 0.3; done; lig_ping a "$1" 2; }
lig_check "host a pings host b through bd1" pings 10.40.0.2
lig_check "host a pings the BVI" pings 10.40.0.254

# The configuration as canonical text. Interface indexes are not in it (interfaces by name).
snapshot() { lig_ctl l1 api snapshot; }
snapshot >"$LIG_TMP/snap.before"
lig_check "snapshot before: bridge domain, both af_packets, the BVI's address, the route" sh -c "
	grep -q '^af_packet .*$HA' '$LIG_TMP/snap.before' && grep -q '^af_packet .*$HB' '$LIG_TMP/snap.before' &&
	grep -q '10.40.0.254' '$LIG_TMP/snap.before' && grep -q '10.50.0.0' '$LIG_TMP/snap.before' &&
	grep -qi 'bridge' '$LIG_TMP/snap.before'"
sed 's/^/    /' "$LIG_TMP/snap.before" | cut -c1-200

# 20 pings a second from a to b for the whole restart.
ip netns exec "$HA" ping -i 0.05 -W 1 -w 30 10.40.0.2 >"$LIG_TMP/ping.log" 2>&1 &
PING=$!
LIG_PIDS+=("$PING")
sleep 1
kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
t_kill=$(date +%s%3N)
sleep 0.5
lig_start l1 || exit 1
restored() { for _ in $(seq 100); do [ "$(agent_state_of vpp/bd/bd1/interface/afb)" = CONFIGURED ] && snapshot >"$LIG_TMP/snap.after" && cmp -s "$LIG_TMP/snap.before" "$LIG_TMP/snap.after" && return 0; sleep 0.1; done; diff "$LIG_TMP/snap.before" "$LIG_TMP/snap.after"; return 1; }
lig_check "ligd's configuration after the restart equals the one before (api snapshot)" restored
t_restored=$(date +%s%3N)
lig_log "configuration restored $((t_restored - t_kill)) ms after the kill (ligd restarted after 500 ms)"
# Wait until the pings flow again, then 1 s more of them.
resumed() { for _ in $(seq 100); do [ "$(grep -c 'bytes from' "$LIG_TMP/ping.log")" -gt "$1" ] && return 0; sleep 0.1; done; return 1; }
n0=$(grep -c 'bytes from' "$LIG_TMP/ping.log")
lig_check "pings resume" resumed "$((n0 + 2))"
sleep 1
kill -INT "$PING"; wait "$PING" 2>/dev/null
# The gap: the longest run of missing sequence numbers between two answered pings.
gap=$(python3 - "$LIG_TMP/ping.log" <<'PY'
import re, sys
seqs = sorted({int(m.group(1)) for m in re.finditer(r"icmp_seq=(\d+) ttl", open(sys.argv[1]).read())})
print(max((b - a - 1 for a, b in zip(seqs, seqs[1:])), default=-1))
PY
)
lig_log "ping gap: $gap pings lost in a row ($((gap * 50)) ms at 20/s); $(tail -2 "$LIG_TMP/ping.log" | head -1)"
lig_check "a gap was seen (ligd was really down)" test "$gap" -ge 5
# ligd down 0.5 s, start-up, reconnect (every 200 ms), resync: a few seconds at most (more
# under ASan).
max=$((LIG_SANITIZED ? 200 : 80))
lig_check "gap under $((max * 50)) ms" test "$gap" -lt "$max"
lig_check "afb mtu 1400 again" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' api dump sw_interface_dump | grep '\"name\":\"host-$HB\"' | grep -q '\"mtu\":1400'"

# The agent restarted: nothing to do.
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
lig_check "agent exited cleanly on SIGTERM" test $? -eq 0
agent_start "$SOCK" || exit 1
lig_check "bd1 CONFIGURED after the agent's restart" agent_wait_state $BD CONFIGURED
lig_check "zero operations after the agent's restart" agent_zero_ops
snapshot >"$LIG_TMP/snap.after2"
lig_check "ligd unchanged by the agent's restart (api snapshot)" cmp "$LIG_TMP/snap.before" "$LIG_TMP/snap.after2"
lig_check "pings still flow" pings 10.40.0.2

lig_test_done

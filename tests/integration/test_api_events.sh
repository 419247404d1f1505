#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# API events, as a subscriber sees them (`ligctl api events`, one JSON line each):
# - a host-interface whose veth peer goes down and up: interface_event "link" with the carrier;
# - a memif peer (lig-memif-responder) that connects and then dies: memif_event connected,
#   then disconnected with the reason, and interface_event link down;
# - interface add and delete, in order.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"

lig_host a 10.78.0.1/24
lig_start n
lig_ctl n create host-interface name "${LIG_PREFIX}a" >/dev/null
lig_ctl n set interface state "host-${LIG_PREFIX}a" up
lig_ctl n create interface memif id 0 master >/dev/null
lig_ctl n set interface state memif0/0 up

events="$LIG_TMP/events.log"
"$LIG_BIN/ligctl" -s "$LIG_TMP/n.sock" api events all >"$events" 2>&1 &
LIG_PIDS+=("$!")
for _ in $(seq 100); do grep -q 'ligctl: subscribed' "$events" && break; sleep 0.05; done

# wait_for <pattern>: until a line of the event log matches (5 s).
wait_for() {
	for _ in $(seq 50); do grep -q -- "$1" "$events" && return 0; sleep 0.1; done
	echo "no event matching $1 in:"; cat "$events"; return 1
}

host="host-${LIG_PREFIX}a"
ip -n "${LIG_PREFIX}a" link set eth0 down
lig_check "link down of a host-interface is an event" \
	wait_for "interface_event {\"event\":3,\"sw_if_index\":\"$host\".*\"link_up\":false"
ip -n "${LIG_PREFIX}a" link set eth0 up
lig_check "link up again is an event" \
	wait_for "interface_event {\"event\":3,\"sw_if_index\":\"$host\".*\"link_up\":true"

"$LIG_BIN/lig-memif-responder" -s "$LIG_TMP/memif.sock" -i 0 10.72.0.2 >"$LIG_TMP/responder.log" 2>&1 &
rpid=$!
LIG_PIDS+=("$rpid")
lig_check "a memif peer connecting is an event" \
	wait_for 'memif_event {"sw_if_index":"memif0/0".*"connected":true'
kill -KILL "$rpid"
lig_check "the peer dying is an event with the reason" \
	wait_for 'memif_event {"sw_if_index":"memif0/0".*"connected":false,"reason":"[^"]'
lig_check "and the memif link goes down" \
	wait_for 'interface_event {"event":3,"sw_if_index":"memif0/0".*"link_up":false'

lig_ctl n loopback create >/dev/null
lig_ctl n loopback delete-interface intfc loop0 >/dev/null
lig_check "interface add and delete arrive in order" \
	sh -c "grep -n 'interface_event {\"event\":[01],' '$events' | grep -o '\"event\":[01]' | tr -d '\n' | grep -q '\"event\":0\"event\":1'"
sed 's/^/    /' "$events" | cut -c1-180
lig_test_done

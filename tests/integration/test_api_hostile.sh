#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile API clients (api-hostile: unknown ids, wrong layout CRCs, truncated, oversized and
# garbage messages, overflowing counts, a client that never reads its dumps, 500 idle
# connections, an event subscriber that never reads) against a ligd that bridges two netns
# hosts. Each attack gets an error or a disconnect; ping between the hosts keeps flowing
# without loss, and a good client keeps being served.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"

lig_host a 10.77.0.1/24
lig_host b 10.77.0.2/24
lig_start n
api="$LIG_TMP/n.api.sock"
lig_ctl n loopback create >/dev/null
lig_ctl n create host-interface name "${LIG_PREFIX}a" >/dev/null
lig_ctl n create host-interface name "${LIG_PREFIX}b" >/dev/null
lig_ctl n create bridge-domain 1 >/dev/null
lig_ctl n set interface l2 bridge "host-${LIG_PREFIX}a" 1
lig_ctl n set interface l2 bridge "host-${LIG_PREFIX}b" 1
lig_ctl n set interface state "host-${LIG_PREFIX}a" up
lig_ctl n set interface state "host-${LIG_PREFIX}b" up
# A few hundred interfaces make every dump worth something.
for i in $(seq 300); do echo "loopback create"; done >"$LIG_TMP/loops.cli"
lig_ctl n exec "$LIG_TMP/loops.cli" >/dev/null
lig_check "hosts ping through ligd" lig_ping a 10.77.0.2

# Traffic for the whole attack: 100 pings a second.
ip netns exec "${LIG_PREFIX}a" ping -i 0.01 -w 600 10.77.0.2 >"$LIG_TMP/ping.log" 2>&1 &
ping_pid=$!
LIG_PIDS+=("$ping_pid")
sleep 0.5
lig_check "api-hostile: every attack refused, good client served" \
	"$LIG_BIN/api-hostile" "$api" "$LIG_PID_n"
cat "$LIG_TMP/check.out" | sed 's/^/    /'
kill -INT "$ping_pid"; wait "$ping_pid" 2>/dev/null
sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1/p' "$LIG_TMP/ping.log")
recv=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2/p' "$LIG_TMP/ping.log")
lig_log "ping during the attacks: $recv of $sent"
# SIGINT makes ping print its totals at once: the request it sent last may still be
# waiting for its reply, so that one does not count as lost.
lig_check "forwarding went on during the attacks (>= 99% of pings, the last may be in flight)" \
	test "${sent:-0}" -gt 50 -a "$((recv * 100))" -ge "$(((sent - 1) * 99))"
lig_check "ligd alive and answering the CLI" lig_ctl n show version
lig_test_done

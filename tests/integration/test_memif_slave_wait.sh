#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A memif slave created before its master connects as soon as the master's socket appears,
# not at its next periodic retry (every 500 ms once its 1, 2, 4 ... ms backoff has grown):
#  1. the socket's directory exists: the slave waits 1.2 s (its backoff is at 500 ms, its
#     next retry ~300 ms away), then the master is created in another ligd; the slave must
#     be connected within 150 ms (inotify on the directory; the timer alone takes ~300 ms).
#  2. the directory does not exist yet (no inotify watch possible): the master is created
#     50 ms after the slave; the backoff (1, 2, 4 ... 64 ms) connects it within 150 ms (the
#     old fixed 500 ms retry could not).
#  3. the master goes away and comes back after 1.2 s: the slave reconnects within 150 ms.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"

lig_start s || exit 1
lig_start m || exit 1
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# connected_within IF MS T0: show memif on ligd s says connected before T0 + MS.
connected_within() {
	local t
	while :; do
		t=$(now_ms)
		if lig_ctl s show memif "$1" 2>/dev/null | grep -q "state connected"; then
			echo "connected $((t - $3)) ms after the master was created"
			[ $((t - $3)) -le "$2" ]
			return
		fi
		[ $((t - $3)) -gt 3000 ] && { echo "not connected after 3 s"; lig_ctl s show memif "$1"; return 1; }
		sleep 0.005
	done
}

D1="$LIG_TMP/msw-dir1"
mkdir -p "$D1"
lig_ctl s create memif socket id 1 filename "$D1/m.sock"
lig_ctl m create memif socket id 1 filename "$D1/m.sock"
lig_ctl s create interface memif id 0 socket-id 1 slave >/dev/null
sleep 1.2
t0=$(now_ms)
lig_ctl m create interface memif id 0 socket-id 1 master >/dev/null
lig_check "slave waiting 1.2 s connects within 150 ms of its master's creation (inotify)" \
	connected_within memif1/0 150 "$t0"
lig_log "$(cat "$LIG_TMP/check.out")"

D2="$LIG_TMP/msw-dir2" # the master makes it (one level, as VPP does)
lig_ctl s create memif socket id 2 filename "$D2/m.sock"
lig_ctl m create memif socket id 2 filename "$D2/m.sock"
lig_ctl s create interface memif id 0 socket-id 2 slave >/dev/null
sleep 0.05
t0=$(now_ms)
lig_ctl m create interface memif id 0 socket-id 2 master >/dev/null
lig_check "slave whose socket directory did not exist connects within 150 ms (backoff)" \
	connected_within memif2/0 150 "$t0"
lig_log "$(cat "$LIG_TMP/check.out")"

lig_ctl m delete interface memif memif1/0 >/dev/null
lig_check "slave goes down when its master is deleted" bash -c \
	"for i in \$(seq 50); do $LIG_BIN/ligctl -s $LIG_TMP/s.sock show memif memif1/0 | grep -q 'state connected' || exit 0; sleep 0.1; done; exit 1"
sleep 1.2
t0=$(now_ms)
lig_ctl m create interface memif id 0 socket-id 1 master >/dev/null
lig_check "slave reconnects within 150 ms when its master comes back after 1.2 s" \
	connected_within memif1/0 150 "$t0"
lig_log "$(cat "$LIG_TMP/check.out")"
lig_test_done

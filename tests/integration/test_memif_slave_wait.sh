#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A memif slave created before its master connects as soon as the master's socket appears,
# not at its next periodic retry (every 500 ms once its 1, 2, 4 ... ms backoff has grown):
#  1. the socket's directory exists: the slave waits 1.2 s (its backoff is at 500 ms, its
#     next retry ~300 ms away), then the master is created in another ligd; the slave must
#     be connected within 50 ms of the socket file's creation (inotify on the directory; the
#     timer alone takes ~300 ms).
#  2. the directory does not exist yet (no inotify watch possible): the master is created
#     50 ms after the slave; the backoff (1, 2, 4, 8, 16, 16 ... ms) connects it within
#     100 ms of the socket's creation (the old fixed 500 ms retry could not).
#  3. the socket is there (another master interface uses it) but the master of the slave's id
#     is created 0.5 s after the slave: the master refuses the handshakes (1, 2, 4, 8, 16,
#     16 ... ms apart: at least 10 of them; the old fixed 500 ms retry made 1 or 2), then the
#     slave connects.
#  4. the master goes away and comes back after 1.2 s: the slave reconnects within 50 ms of
#     the socket's creation.
# (Times from ligd's logs, so that the host's load does not make them.)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"

lig_start s || exit 1
lig_start m || exit 1
# Times are ligd's own (its log's timestamps), not the shell's: on a loaded host a ligctl call
# alone can take 100 ms.
# last_ts LOG TEXT: the timestamp of the last line of ligd's LOG that contains TEXT.
last_ts() { grep -F -- "$2" "$LIG_TMP/$1.log" | tail -1 | cut -d' ' -f1; }
# connected_after IF PATH MS: slave IF of ligd s connected at most MS ms after ligd m last
# began listening on PATH (the socket file's creation).
connected_after() {
	local t1 t0
	for _ in $(seq 100); do
		lig_ctl s show memif "$1" 2>/dev/null | grep -q "state connected" && break
		sleep 0.05
	done
	t0=$(last_ts m "listening on $2")
	t1=$(last_ts s "$1: connected")
	[ -n "$t0" ] && [ -n "$t1" ] || { echo "no connect: listening '$t0', connected '$t1'"; return 1; }
	awk -v a="$t0" -v b="$t1" -v ms="$3" 'BEGIN { d = (b - a) * 1000; printf "connected %.1f ms after the socket appeared\n", d; exit !(d >= 0 && d <= ms) }'
}

D1="$LIG_TMP/msw-dir1"
mkdir -p "$D1"
lig_ctl s create memif socket id 1 filename "$D1/m.sock"
lig_ctl m create memif socket id 1 filename "$D1/m.sock"
lig_ctl s create interface memif id 0 socket-id 1 slave >/dev/null
sleep 1.2
lig_ctl m create interface memif id 0 socket-id 1 master >/dev/null
lig_check "slave waiting 1.2 s connects within 50 ms of its master's socket (inotify)" \
	connected_after memif1/0 "$D1/m.sock" 50
lig_log "$(cat "$LIG_TMP/check.out")"

D2="$LIG_TMP/msw-dir2" # the master makes it (one level, as VPP does)
lig_ctl s create memif socket id 2 filename "$D2/m.sock"
lig_ctl m create memif socket id 2 filename "$D2/m.sock"
lig_ctl s create interface memif id 0 socket-id 2 slave >/dev/null
sleep 0.05
lig_ctl m create interface memif id 0 socket-id 2 master >/dev/null
lig_check "slave whose socket directory did not exist connects within 100 ms of the socket (backoff)" \
	connected_after memif2/0 "$D2/m.sock" 100
lig_log "$(cat "$LIG_TMP/check.out")"

# The socket exists (another master interface on it) but not the master of our id yet: the
# master refuses the handshake ("no such interface id"), no file appears later; the backoff
# goes on from where it was (1, 2, 4 ... ms), not a fixed 500 ms.
D3="$LIG_TMP/msw-dir3"
mkdir -p "$D3"
lig_ctl s create memif socket id 3 filename "$D3/m.sock"
lig_ctl m create memif socket id 3 filename "$D3/m.sock"
lig_ctl m create interface memif id 0 socket-id 3 master >/dev/null
lig_ctl s create interface memif id 1 socket-id 3 slave >/dev/null
sleep 0.5
lig_ctl m create interface memif id 1 socket-id 3 master >/dev/null
refusals() { # the master refused the slave's handshake at least $1 times in its 0.5 s wait
	local n
	for _ in $(seq 100); do lig_ctl s show memif memif3/1 2>/dev/null | grep -q "state connected" && break; sleep 0.05; done
	n=$(grep -c "$D3/m.sock: refused a peer.*no such interface id" "$LIG_TMP/m.log")
	echo "$n handshakes refused before the master of id 1 existed"
	lig_ctl s show memif memif3/1 | grep -q "state connected" && [ "$n" -ge "$1" ]
}
lig_check "slave refused by a listening socket retries every <= 16 ms (>= 10 tries in 0.5 s), then connects" \
	refusals 10
lig_log "$(cat "$LIG_TMP/check.out")"

lig_ctl m delete interface memif memif1/0 >/dev/null
lig_check "slave goes down when its master is deleted" bash -c \
	"for i in \$(seq 50); do $LIG_BIN/ligctl -s $LIG_TMP/s.sock show memif memif1/0 | grep -q 'state connected' || exit 0; sleep 0.1; done; exit 1"
sleep 1.2
lig_ctl m create interface memif id 0 socket-id 1 master >/dev/null
lig_check "slave reconnects within 50 ms of its master's socket coming back after 1.2 s" \
	connected_after memif1/0 "$D1/m.sock" 50
lig_log "$(cat "$LIG_TMP/check.out")"
lig_test_done

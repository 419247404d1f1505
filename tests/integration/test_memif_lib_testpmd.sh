#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# libligmemif against a peer we did not write: lig-memif-gen (on libligmemif) sends
# through dpdk-testpmd, which io-forwards its one port back to itself, and counts what
# returns. Once with testpmd as server and the library as slave, once the other way
# round; then both again with the library's in-place calls. The generator stays connected until testpmd has stopped and printed its
# statistics (DPDK resets a memif port's counters when the peer leaves), and starts sending only
# after testpmd has processed "start" (which flushes whatever already waits in its rx ring):
# testpmd reads its commands from a FIFO, so start and stop follow the test's steps, not
# fixed sleeps (a loaded CI host once took longer than the sleeps allowed). Everything the library sent, testpmd received; what testpmd sent back, the
# library received (up to the packets still in flight when the generator stopped; what
# testpmd could not send because the generator's ring was full, it counts as dropped).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"
memif_cleanup_on_exit

if ! command -v dpdk-testpmd >/dev/null; then
	echo "SKIP: dpdk-testpmd not installed (Debian package dpdk-dev)"; exit 77
fi

# Every frame the library sent reached testpmd's port (its port counter: once in CI the
# forward statistics lacked 2 560 of 13.7 M frames that the port counted and testpmd never
# forwarded, most likely drained by start's rx flush as the library's first burst raced
# it), and what testpmd sent back reached the library.
# Every frame was whole: testpmd's port counted size bytes for each.
check() { # <testpmd-name> <gen-log> <size>
	local sent got tprx tpfwd tptx tpbytes
	read -r sent got _ < "$2"
	tprx=$(memif_tp_port_stat "$1" 0 RX)
	tpfwd=$(memif_tp_stat "$1" 0 RX)
	tptx=$(memif_tp_stat "$1" 0 TX)
	tpbytes=$(awk '/NIC statistics for port/ { p = $(NF-1) }
		p == 0 && $1 == "RX-packets:" && $5 == "RX-bytes:" { b = $6 } END { print b }' "$LIG_TMP/$1.log")
	echo "lig-memif-gen sent $sent received $got; testpmd port rx $tprx ($tpbytes bytes), forwarded rx $tpfwd tx $tptx"
	[ "${sent:-0}" -gt 10000 ] && [ "$sent" = "$tprx" ] && [ "${tpbytes:-0}" = $((sent * $3)) ] &&
		[ "${got:-0}" -gt 10000 ] && memif_close_enough "$got" "$tptx" 2048
}

# gen_done <file>: waits (up to 30 s) for the generator's done-sending file.
gen_done() { for _ in $(seq 300); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }

# gen_finish N TP GEN-ROLE TP-ROLE SIZE: the generator (PID $gen, files $LIG_TMP/done<N> and
# gen<N>.log) sent its 2 s and testpmd TP received all of it; testpmd then stops and prints
# its statistics while the generator is still connected, and the generator stops. The roles
# name both in the checks.
gen_finish() {
	lig_check "lig-memif-gen ($3) sent its 2 s" gen_done "$LIG_TMP/done$1"
	lig_check "testpmd ($4) received all it was sent" \
		memif_tp_received "$2" 0 "$(cat "$LIG_TMP/done$1" 2>/dev/null)"
	sleep 0.2 # the last replies on their way back
	memif_tp_finish "$2"
	kill -INT "$gen"
	wait "$gen"
	lig_check "lig-memif-gen ($3) ran against testpmd ($4)" test -s "$LIG_TMP/gen$1.log"
	lig_check "library $3 <-> testpmd $4: counts match" check "$2" "$LIG_TMP/gen$1.log" "$5"
}

# against_server N SIZE [GEN-OPTION...]: testpmd server, library slave: the library
# connects once testpmd forwards, and stays connected (lingering) until testpmd has
# stopped and printed its statistics.
against_server() {
	local n=$1 size=$2 sock="$LIG_TMP/tp$1.sock"
	shift 2
	memif_testpmd_ctl "tps$n" "net_memif0,role=server,socket=$sock,socket-abstract=no,id=0"
	memif_tp_cmd "tps$n" start
	lig_check "testpmd (server) forwarding" memif_tp_started "tps$n"
	"$LIG_BIN/lig-memif-gen" -s "$sock" -i 0 -l "$size" -t 2 -w 10 -d 0.3 -D "$LIG_TMP/done$n" -k 60 -q "$@" >"$LIG_TMP/gen$n.log" 2>"$LIG_TMP/gen$n.err" &
	gen=$!
	LIG_PIDS+=("$gen")
	gen_finish "$n" "tps$n" "slave${1:+ $1}" server "$size"
}

# against_client N SIZE [GEN-OPTION...]: library master, testpmd client: testpmd
# connects as its port starts, before it processes "start" (which flushes its rx ring):
# the library sends on the test's go.
against_client() {
	local n=$1 size=$2 sock="$LIG_TMP/gen$1.sock"
	shift 2
	"$LIG_BIN/lig-memif-gen" -m -s "$sock" -i 3 -l "$size" -t 2 -w 30 -G "$LIG_TMP/go$n" -D "$LIG_TMP/done$n" -k 60 -q "$@" >"$LIG_TMP/gen$n.log" 2>"$LIG_TMP/gen$n.err" &
	gen=$!
	LIG_PIDS+=("$gen")
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	memif_testpmd_ctl "tpc$n" "net_memif0,role=client,socket=$sock,socket-abstract=no,id=3"
	memif_tp_cmd "tpc$n" start
	lig_check "testpmd (client) forwarding" memif_tp_started "tpc$n"
	touch "$LIG_TMP/go$n"
	gen_finish "$n" "tpc$n" "master${1:+ $1}" client "$size"
}

# (1), (2) The copying bursts. (3), (4) In place (-z: tx_alloc/tx_commit, rx_peek/
# rx_release), with 3000-byte frames chained over two 2048-byte slots each way.
against_server 1 256
against_client 2 1024
against_server 3 3000 -z
against_client 4 3000 -z

lig_test_done

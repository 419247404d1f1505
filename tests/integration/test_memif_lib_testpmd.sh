#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# libligmemif against a peer we did not write: lig-memif-gen (on libligmemif) sends
# through dpdk-testpmd, which io-forwards its one port back to itself, and counts what
# returns. Once with testpmd as server and the library as slave, once the other way
# round. The generator stays connected until testpmd has stopped and printed its
# statistics (DPDK resets a memif port's counters when the peer leaves), and starts sending only
# after testpmd's "start" (which flushes whatever already waits in its rx ring). Everything the library sent, testpmd received; what testpmd sent back, the
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

check() { # <testpmd-name> <gen-log>
	local sent got tprx tptx
	read -r sent got _ < "$2"
	tprx=$(memif_tp_stat "$1" 0 RX)
	tptx=$(memif_tp_stat "$1" 0 TX)
	echo "lig-memif-gen sent $sent received $got; testpmd rx $tprx tx $tptx"
	[ "${sent:-0}" -gt 10000 ] && [ "$sent" = "$tprx" ] &&
		[ "${got:-0}" -gt 10000 ] && memif_close_enough "$got" "$tptx" 2048
}

# (1) testpmd server, library slave.
sock="$LIG_TMP/tp.sock"
memif_testpmd tps 1 5 start "net_memif0,role=server,socket=$sock,socket-abstract=no,id=0"
"$LIG_BIN/lig-memif-gen" -s "$sock" -i 0 -l 256 -t 2 -w 10 -d 1.5 -k 4 -q >"$LIG_TMP/gen1.log" 2>"$LIG_TMP/gen1.err"
lig_check "lig-memif-gen (slave) ran against testpmd (server)" test -s "$LIG_TMP/gen1.log"
wait "$MEMIF_TP_PID_tps"
lig_check "library slave <-> testpmd server: counts match" check tps "$LIG_TMP/gen1.log"

# (2) library master, testpmd client.
sock2="$LIG_TMP/gen.sock"
"$LIG_BIN/lig-memif-gen" -m -s "$sock2" -i 3 -l 1024 -t 2 -w 15 -d 1.5 -k 4 -q >"$LIG_TMP/gen2.log" 2>"$LIG_TMP/gen2.err" &
gen=$!
LIG_PIDS+=("$gen")
for _ in $(seq 50); do [ -S "$sock2" ] && break; sleep 0.1; done
memif_testpmd tpc 1 5 start "net_memif0,role=client,socket=$sock2,socket-abstract=no,id=3"
wait "$gen"
lig_check "lig-memif-gen (master) ran against testpmd (client)" test -s "$LIG_TMP/gen2.log"
wait "$MEMIF_TP_PID_tpc"
lig_check "library master <-> testpmd client: counts match" check tpc "$LIG_TMP/gen2.log"

lig_test_done

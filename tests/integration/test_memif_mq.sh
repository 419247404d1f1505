#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Multi-queue memif with worker threads, against dpdk-testpmd with two queues: ligd runs
# two workers; its rx queues are spread over them and each worker transmits on its own tx
# queue. (1) ligd master (testpmd client asks for 2 rings each way, as the protocol lets the
# slave decide), (2) ligd slave asking for 2 rings each way from testpmd as server. Each
# time ligd cross-connects two memifs and testpmd forwards io between its two ports: every
# ring of every memif must carry packets in its direction (show memif per-ring counters;
# testpmd's per-stream statistics), and the counts of both sides must agree.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"
T=$LIG_TMP

if ! command -v dpdk-testpmd >/dev/null; then
	echo "SKIP: dpdk-testpmd not installed (Debian package dpdk-dev)"; exit 77
fi
printf 'cpu {\n  workers 2\n}\n' >"$T/cpu.conf"

# streams_carry <tp>: testpmd's four forwarding streams (port 0/1 x queue 0/1) each
# received packets.
streams_carry() {
	awk '/Forward Stats for RX Port=/ { s = $6 " " $7; getline; print s, $2; n++; if ($2 < 1000) bad = 1 }
		END { exit !(n == 4 && !bad) }' "$T/$1.log"
}
# on_both_workers <ligd> <if>: its two rx queues are polled by different workers.
on_both_workers() {
	lig_ctl "$1" show interface rx-placement "$2" | awk -v ifn="$2" '
		/^Thread/ { t = $2 } $1 == ifn { th[$3] = t }
		END { print "queue 0 on thread " th[0] ", queue 1 on thread " th[1];
		      exit !(th[0] != "" && th[1] != "" && th[0] != th[1]) }'
}

# ---- (1) ligd master, testpmd client with 2 queues ----
LIG_TEST_WORKERS=0 lig_start m -c "$T/cpu.conf" || exit 1
sock="$T/memif.sock"
for i in 0 1; do
	lig_ctl m create interface memif id $i master >/dev/null
	lig_ctl m set interface state memif0/$i up
done
lig_ctl m set interface l2 xconnect memif0/0 memif0/1
lig_ctl m set interface l2 xconnect memif0/1 memif0/0
MEMIF_TP_EXTRA="--rxq=2 --txq=2" memif_testpmd tpc 1 3 "start tx_first" \
	"net_memif0,role=client,socket=$sock,socket-abstract=no,id=0" \
	"net_memif1,role=client,socket=$sock,socket-abstract=no,id=1"
lig_check "testpmd client connects to memif0/0" memif_wait_connected m memif0/0 50
lig_check "testpmd client connects to memif0/1" memif_wait_connected m memif0/1 50
lig_check "the slave's two rings each way taken" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/m.sock' show memif memif0/0 | grep -q 'm2s ring 1:'"
lig_check "memif0/0's rx queues on both workers" on_both_workers m memif0/0
lig_check "memif0/1's rx queues on both workers" on_both_workers m memif0/1
lig_check "master: every ring of both memifs carried packets" memif_all_rings_carry m memif0/0 memif0/1
cat "$T/check.out"
wait "$MEMIF_TP_PID_tpc"
lig_check "master: testpmd's four streams all received" streams_carry tpc
lig_check "master: counts match both ways" memif_check_counts m tpc memif0/0 memif0/1

# ---- (2) ligd slave asking for 2 rings each way, testpmd server with 2 queues ----
LIG_TEST_WORKERS=0 lig_start s -c "$T/cpu.conf" || exit 1
tsock="$T/tp-server.sock"
lig_ctl s create memif socket id 1 filename "$tsock"
for i in 0 1; do
	lig_ctl s create interface memif id $i socket-id 1 slave rx-queues 2 tx-queues 2 >/dev/null
	lig_ctl s set interface state memif1/$i up
done
lig_ctl s set interface l2 xconnect memif1/0 memif1/1
lig_ctl s set interface l2 xconnect memif1/1 memif1/0
MEMIF_TP_EXTRA="--rxq=2 --txq=2" memif_testpmd tps 2 3 "start tx_first" \
	"net_memif0,role=server,socket=$tsock,socket-abstract=no,id=0" \
	"net_memif1,role=server,socket=$tsock,socket-abstract=no,id=1"
lig_check "ligd slave memif1/0 connects" memif_wait_connected s memif1/0 60
lig_check "ligd slave memif1/1 connects" memif_wait_connected s memif1/1 60
lig_check "memif1/0's rx queues on both workers" on_both_workers s memif1/0
lig_check "slave: every ring of both memifs carried packets" memif_all_rings_carry s memif1/0 memif1/1
cat "$T/check.out"
wait "$MEMIF_TP_PID_tps"
lig_check "slave: testpmd's four streams all received" streams_carry tps
lig_check "slave: counts match both ways" memif_check_counts s tps memif1/0 memif1/1
lig_check "no peer errors" bash -c \
	"! '$LIG_BIN/ligctl' -s '$T/s.sock' show memif | grep -q 'peer-errors [1-9]' &&
	 ! '$LIG_BIN/ligctl' -s '$T/m.sock' show memif | grep -q 'peer-errors [1-9]'"

lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Multi-queue taps (create tap ... num-rx-queues 2: IFF_MULTI_QUEUE, one tun fd per queue
# pair) on a ligd with two workers:
#  - the two rx queues of each tap are polled by two threads; show hardware-interfaces
#    lists the queue pairs; the running config names them;
#  - two pods in a bridge domain, default offloads, gso taps: ping, iperf3 TCP with 16
#    streams both ways (iperf3's own checks); the kernel spreads the flows over both fds,
#    so every queue of the sending pod's tap reads frames;
#  - refusals (0 or 17 queues); 30 create/delete cycles of a 4-queue tap leave ligd's fd
#    table as it was.
# Usage: test_tap_mq.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

lig_netns p1
P1=$LIG_NS
lig_netns p2
P2=$LIG_NS
LIG_TEST_WORKERS=2 lig_start d || exit 1
ctl() { "$LIG_BIN/ligctl" -s "$LIG_TMP/d.sock" "$@"; }

lig_check "num-rx-queues 0 is refused" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 9 num-rx-queues 0"
lig_check "num-rx-queues 17 is refused" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 9 num-rx-queues 17"
api_refused() {
	local out
	out=$(ctl api call tap_create "$1" 2>&1) && { echo "accepted: $out"; return 1; }
	echo "$out"
	echo "$out" | grep -q "tap9: .*queues asked, at most 16"
}
lig_check "API: num_rx_queues 4294967295 refused with a clear error" api_refused '{"id":9,"num_rx_queues":4294967295}'
lig_check "create two 2-queue gso taps in the pods" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 1 host-if-name eth0 host-ns $P1 host-ip4-addr 10.87.0.1/24 gso num-rx-queues 2 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create tap id 2 host-if-name eth0 host-ns $P2 host-ip4-addr 10.87.0.2/24 gso num-rx-queues 2"
lig_check "the pod's eth0 has 2 rx and 2 tx queues" \
	sh -c "test \$(ip netns exec $P1 ls /sys/class/net/eth0/queues | grep -c '^rx-') -eq 2 &&
	       test \$(ip netns exec $P1 ls /sys/class/net/eth0/queues | grep -c '^tx-') -eq 2"
lig_check "show hardware-interfaces lists 2 queue pairs (tun fd backend)" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces tap1 | grep -q '2 queue pairs (IFF_MULTI_QUEUE)' &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces tap1 | grep -q 'backend tun-syscall'"
placed_apart() {
	local out threads
	out=$(ctl show interface rx-placement) || return 1
	echo "$out"
	threads=$(echo "$out" | awk '$1 == "Thread" { t = $2 } $1 == "tap1" { print t }' | sort -u | wc -l)
	[ "$threads" -ge 2 ]
}
lig_check "tap1's two rx queues are polled by two threads" placed_apart
lig_check "running config names the queues" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -q 'create tap id 1 .*gso num-rx-queues 2'"

ctl create bridge-domain 1 >/dev/null 2>&1 || true
for t in tap1 tap2; do
	ctl set interface l2 bridge $t 1
	ctl set interface state $t up
done
lig_check "ping p1 -> p2" lig_ping p1 10.87.0.2 3

iperf() {
	lig_iperf_server "$P2" 10.87.0.2
	ip netns exec "$P1" timeout 20 iperf3 -c 10.87.0.2 -P 16 -t 2 -f m "$@" >"$LIG_TMP/iperf.log" 2>&1 ||
		{ cat "$LIG_TMP/iperf.log"; return 1; }
	local mbps
	mbps=$(awk '/SUM.*receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
	lig_log "iperf3 16 streams $*: ${mbps:-?} Mbit/s"
	awk -v m="${mbps:-0}" 'BEGIN { exit !(m > 0) }'
}
lig_check "iperf3 TCP 16 streams p1 -> p2" iperf
lig_check "iperf3 TCP 16 streams p2 -> p1 (-R)" iperf -R
ctl show hardware-interfaces tap1
ctl show hardware-interfaces tap2
queue_reads() {
	ctl show hardware-interfaces "$1" | awk -v q="$2" '$1 == "queue" && $2 == q {
		for (i = 1; i <= NF; i++) if ($i == "reads") { v = $(i + 1); gsub(/,/, "", v); print v; exit } }'
}
for t in tap1 tap2; do
	for q in 0 1; do
		n=$(queue_reads $t $q)
		lig_check "$t queue $q read frames (${n:-none})" test "${n:-0}" -gt 0
	done
done
lig_check "no bad virtio-net headers, no rx errors" \
	sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface | grep -q rx-error"

# No fd leak: 30 create/delete cycles of a 4-queue tap (4 tun fds each).
eval "PID_D=\$LIG_PID_d"
: >"$LIG_TMP/cycle.cli"
for _ in $(seq 30); do
	cat >>"$LIG_TMP/cycle.cli" <<EOF
create tap id 60 host-if-name tapcycle host-ns $P1 gso num-rx-queues 4
delete tap tap60
EOF
done
FD0=$(ls /proc/"$PID_D"/fd | wc -l)
lig_check "30 create/delete cycles of a 4-queue tap" lig_ctl d exec "$LIG_TMP/cycle.cli"
FD1=$(ls /proc/"$PID_D"/fd | wc -l)
lig_log "ligd fds before $FD0, after $FD1"
lig_check "no fd leak (/proc/<pid>/fd unchanged)" test "$FD0" -eq "$FD1"
lig_check "no tap left in the pod" sh -c "! ip -n $P1 link show tapcycle >/dev/null 2>&1"
lig_check "delete tap1 and tap2" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete tap tap1 &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete tap tap2"
lig_check "no rx queue left" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface rx-placement | grep -q tap"

lig_test_done

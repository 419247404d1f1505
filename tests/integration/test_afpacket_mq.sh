#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# af_packet with more than one rx queue (PACKET_FANOUT) on a ligd with two workers:
#  - create host-interface ... num-rx-queues 2: one packet socket and rx ring per queue in
#    one fanout group (plus the ringless GSO socket), the queues spread over the workers;
#  - iperf3 TCP with 16 streams both ways through a bridge domain (default offloads):
#    every rx queue of both interfaces reads frames, iperf3's own checks pass;
#  - a lone ping on an idle ligd is answered in microseconds (each frame signalled as it
#    is written, no ring block timeout): median round trip under 1 ms;
#  - refusals (0 or 17 queues), running config naming the queues, delete leaving no
#    socket behind.
# Usage: test_afpacket_mq.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a" B="${LIG_PREFIX}b"
lig_host a 10.73.0.1/24
lig_host b 10.73.0.2/24
LIG_TEST_WORKERS=2 lig_start d || exit 1
ctl() { "$LIG_BIN/ligctl" -s "$LIG_TMP/d.sock" "$@"; }

packet_socket_count() {
	awk -v i="$1" 'NR > 1 && $5 == i { n++ } END { print n + 0 }' /proc/net/packet
}
IDX_A=$(cat "/sys/class/net/$A/ifindex")
IDX_B=$(cat "/sys/class/net/$B/ifindex")

lig_check "num-rx-queues 0 is refused" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $A num-rx-queues 0"
lig_check "num-rx-queues 17 is refused" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $A num-rx-queues 17"
# api_refused <json>: af_packet_create through the API socket is refused, naming the interface.
api_refused() {
	local out
	out=$(ctl api call af_packet_create "$1" 2>&1) && { echo "accepted: $out"; return 1; }
	echo "$out"
	echo "$out" | grep -q "host-$A: .*rx queues asked, at most 16"
}
lig_check "API: num_rx_queues 17 refused with a clear error" api_refused "{\"host_if_name\":\"$A\",\"num_rx_queues\":17}"
lig_check "API: num_rx_queues 4294967295 refused" api_refused "{\"host_if_name\":\"$A\",\"num_rx_queues\":4294967295}"
lig_check "refusals left no socket behind" test "$(packet_socket_count "$IDX_A")" -eq 0
lig_check "create host-interface A and B with 2 rx queues" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $A num-rx-queues 2 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' create host-interface name $B num-rx-queues 2"
lig_check "three packet sockets per interface (2 rx queues + GSO)" \
	test "$(packet_socket_count "$IDX_A")" -eq 3 -a "$(packet_socket_count "$IDX_B")" -eq 3
lig_check "show hardware-interfaces: 2 rx queues in a fanout group" \
	sh -c "ctl() { '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' \"\$@\"; }
	       ctl show hardware-interfaces host-$A | grep -q '2 rx queues (PACKET_FANOUT hash' &&
	       ctl show hardware-interfaces host-$A | grep -q 'rx queue 1 '"
lig_check "show hardware-interfaces: mmap tx ring, one kick per vector, qdisc-bypass" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces host-$A | grep -q 'qdisc-bypass' &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces host-$A | grep -q 'mmap, one kick per vector'"
ctl show interface rx-placement
# The two queues of one interface on different workers (each worker gets the fewest).
placed_apart() {
	local out
	out=$(ctl show interface rx-placement) || return 1
	echo "$out"
	local threads
	threads=$(echo "$out" | awk -v i="host-$A" '$1 == "Thread" { t = $2 } $1 == i { print t }' | sort -u | wc -l)
	[ "$threads" -ge 2 ]
}
lig_check "host-$A's two queues are polled by two threads" placed_apart
lig_check "running config names the queues" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config | grep -q 'name $A .*num-rx-queues 2'"

ctl create bridge-domain 1 >/dev/null 2>&1 || true
ctl set interface l2 bridge "host-$A" 1
ctl set interface l2 bridge "host-$B" 1
ctl set interface state "host-$A" up
ctl set interface state "host-$B" up
lig_check "ping a -> b" lig_ping a 10.73.0.2 3

# iperf <args>: 16 TCP streams for 2 s, iperf3 checks what arrived.
iperf() {
	lig_iperf_server "$B" 10.73.0.2
	ip netns exec "$A" timeout 20 iperf3 -c 10.73.0.2 -P 16 -t 2 -f m "$@" >"$LIG_TMP/iperf.log" 2>&1 ||
		{ cat "$LIG_TMP/iperf.log"; return 1; }
	local mbps
	mbps=$(awk '/SUM.*receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$LIG_TMP/iperf.log")
	lig_log "iperf3 16 streams $*: ${mbps:-?} Mbit/s"
	awk -v m="${mbps:-0}" 'BEGIN { exit !(m > 0) }'
}
lig_check "iperf3 TCP 16 streams a -> b" iperf
lig_check "iperf3 TCP 16 streams b -> a (-R)" iperf -R
ctl show hardware-interfaces "host-$A"
ctl show hardware-interfaces "host-$B"
# queue_frames <if> <q>: frames read on rx queue q.
queue_frames() {
	ctl show hardware-interfaces "host-$1" | awk -v q="$2" '$1 == "rx" && $2 == "queue" && $3 == q {
		for (i = 1; i <= NF; i++) if ($i == "read") { v = $(i + 1); gsub(/,/, "", v); print v; exit } }'
}
for ifn in "$A" "$B"; do
	for q in 0 1; do
		n=$(queue_frames "$ifn" $q)
		lig_check "host-$ifn rx queue $q read frames (${n:-none})" test "${n:-0}" -gt 0
	done
done
# On failure it prints which errors (once, in CI, one of these had counted some).
lig_check "no rx errors" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface | grep -q rx-error ||
	{ '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface; '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors; exit 1; }"

# Idle wake-up: ligd sleeps in epoll between pings 0.2 s apart; the rx socket wakes it.
sleep 1
ip netns exec "$A" ping -c 20 -i 0.2 -W 2 10.73.0.2 >"$LIG_TMP/ping.log" 2>&1
MED=$(awk -F'time=' '/time=/ { split($2, t, " "); print t[1] * 1000 }' "$LIG_TMP/ping.log" | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
lig_log "idle ligd, ping -i 0.2: median round trip ${MED:-?} us"
lig_check "idle ping median round trip < 1000 us (${MED:-none} us)" \
	awk -v m="${MED:-999999}" 'BEGIN { exit !(m < 1000) }'

lig_check "delete both" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete host-interface name $A &&
	'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete host-interface name $B"
lig_check "no packet socket left" \
	test "$(packet_socket_count "$IDX_A")" -eq 0 -a "$(packet_socket_count "$IDX_B")" -eq 0
lig_check "no rx queue left" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show interface rx-placement | grep -q host-"

lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Pod to pod through ligd against a Linux bridge, the pods keeping Linux's default
# offloads (TSO, GSO, GRO, checksum offload) on every link. Three paths side by side,
# measured in interleaved rounds (tap, af_packet, Linux, tap, af_packet, Linux, ...):
#   tap    two pods on ligd taps created with `gso` (tun fd backend), bridge domain 1
#   afp    two pods on veths whose root ends are ligd host-interfaces (af_packet with
#          virtio-net headers), bridge domain 2
#   linux  two pods on veths whose root ends are in a Linux bridge
#   tapmq  (MQ=1 only) two pods on 2-queue gso taps (num-rx-queues 2, IFF_MULTI_QUEUE) of a
#          second ligd with two workers, bridge domain 1 there
# Per round and path: iperf3 TCP 1 stream and 4 streams (Gbit/s, receiver), 64-byte
# UDP packets/s at the sink (bench/udpgen.c, sendmmsg/recvmmsg batches), TCP
# request/response latency (sockperf ping-pong, median and p99 in microseconds), and the
# round trip of a lone ping every 0.2 s (median of 15; ligd idle in between, so this is
# its wake-up latency plus the path).
# Prints min/median/max over the rounds for each, the ratios of the medians to the
# Linux bridge, ligd's show runtime clocks per packet of the last round's runs, and how
# much of what the sending pod handed ligd was already coalesced
# (GSO super-frames: what GRO on ligd's receive side could still win).
#
# Usage: sudo bench/pod_path.sh [bin-dir (default build/bin)] [seconds (default 5)]
#   ROUNDS=<n> (default 5; REPEAT, as run-all's --quick sets it, is taken too)
#   MQ=1 adds the tapmq path
#   BENCH_VERBOSE=1 also prints the full show runtime of each ligd run
# Safety: traffic stays inside the namespaces this script creates; everything it
# creates (namespaces, veths, the bridge, processes) is removed by name and PID on exit.
set -u

BIN=$(cd "${1:-$(dirname "$0")/../build/bin}" && pwd) || exit 1
SECS=${2:-5}
ROUNDS=${ROUNDS:-${REPEAT:-5}}
P="pp$$"
BR="${P}br"
TMP=$(mktemp -d /tmp/ligbench.XXXXXX)
SOCK="$TMP/ligd.sock"
SOCK2="$TMP/ligd2.sock"
MQ=${MQ:-0}
PIDS=()
NETNS=()
LINKS=()

for tool in ip iperf3 sockperf; do
	command -v "$tool" >/dev/null || { echo "missing $tool (scripts/packages/core.txt)" >&2; exit 1; }
done
for prog in ligd ligctl udpgen; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog (build with cmake: bench/CMakeLists.txt)" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "run as root (namespaces, veths)" >&2; exit 1; }

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	done
	ip link del "$BR" 2>/dev/null
	for l in "${LINKS[@]}"; do ip link del "$l" 2>/dev/null; done
	for n in "${NETNS[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
ctl() { "$BIN/ligctl" -s "$SOCK" "$@"; }
ctl2() { "$BIN/ligctl" -s "$SOCK2" "$@"; }

netns() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	NETNS+=("$1")
}

# veth_pod <ns> <addr>: a pod namespace with eth0 <addr>; its peer ${ns} in the root
# namespace. Default offloads everywhere.
veth_pod() {
	netns "$1"
	ip link add "$1" type veth peer name eth0 netns "$1"
	LINKS+=("$1")
	ip -n "$1" addr add "$2" dev eth0
	ip -n "$1" link set eth0 up
	ip link set "$1" up
}

# The three paths' pods: <path>a sends, <path>b receives.
netns "${P}ta"
netns "${P}tb"
veth_pod "${P}aa" 10.79.2.1/24
veth_pod "${P}ab" 10.79.2.2/24
veth_pod "${P}la" 10.79.3.1/24
veth_pod "${P}lb" 10.79.3.2/24

"$BIN/ligd" -s "$SOCK" >"$TMP/ligd.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 100); do ctl show version >/dev/null 2>&1 && break; sleep 0.05; done
cat >"$TMP/setup.cli" <<EOF
create tap id 1 host-if-name eth0 host-ns ${P}ta host-ip4-addr 10.79.1.1/24 gso
create tap id 2 host-if-name eth0 host-ns ${P}tb host-ip4-addr 10.79.1.2/24 gso
create bridge-domain 1
set interface l2 bridge tap1 1
set interface l2 bridge tap2 1
set interface state tap1 up
set interface state tap2 up
create host-interface name ${P}aa
create host-interface name ${P}ab
create bridge-domain 2
set interface l2 bridge host-${P}aa 2
set interface l2 bridge host-${P}ab 2
set interface state host-${P}aa up
set interface state host-${P}ab up
EOF
ctl exec "$TMP/setup.cli" >/dev/null || { cat "$TMP/ligd.log"; exit 1; }
if [ "$MQ" = 1 ]; then
	netns "${P}qa"
	netns "${P}qb"
	printf 'cpu {\n  workers 2\n}\n' >"$TMP/mq.conf"
	"$BIN/ligd" -c "$TMP/mq.conf" -s "$SOCK2" >"$TMP/ligd2.log" 2>&1 &
	PIDS+=("$!")
	for _ in $(seq 100); do ctl2 show version >/dev/null 2>&1 && break; sleep 0.05; done
	cat >"$TMP/setup2.cli" <<EOF
create tap id 1 host-if-name eth0 host-ns ${P}qa host-ip4-addr 10.79.4.1/24 gso num-rx-queues 2
create tap id 2 host-if-name eth0 host-ns ${P}qb host-ip4-addr 10.79.4.2/24 gso num-rx-queues 2
create bridge-domain 1
set interface l2 bridge tap1 1
set interface l2 bridge tap2 1
set interface state tap1 up
set interface state tap2 up
EOF
	ctl2 exec "$TMP/setup2.cli" >/dev/null || { cat "$TMP/ligd2.log"; exit 1; }
fi
ip link add "$BR" type bridge
ip link set "${P}la" master "$BR"
ip link set "${P}lb" master "$BR"
ip link set "$BR" up

PATHS="tap afp linux"
[ "$MQ" = 1 ] && PATHS="$PATHS tapmq"
declare -A NS_A NS_B DST
NS_A[tap]="${P}ta" NS_B[tap]="${P}tb" DST[tap]=10.79.1.2
NS_A[afp]="${P}aa" NS_B[afp]="${P}ab" DST[afp]=10.79.2.2
NS_A[linux]="${P}la" NS_B[linux]="${P}lb" DST[linux]=10.79.3.2
NS_A[tapmq]="${P}qa" NS_B[tapmq]="${P}qb" DST[tapmq]=10.79.4.2
for p in $PATHS; do
	ip netns exec "${NS_A[$p]}" ping -c 3 -i 0.2 -W 2 "${DST[$p]}" >/dev/null ||
		{ log "no ping on path $p"; exit 1; }
done

# tcp <path> <streams>: iperf3 for $SECS s; prints receiver Gbit/s.
tcp() {
	ip netns exec "${NS_B[$1]}" iperf3 -s -1 -B "${DST[$1]}" >"$TMP/s.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	sleep 0.3
	ip netns exec "${NS_A[$1]}" timeout $((SECS + 15)) iperf3 -c "${DST[$1]}" -t "$SECS" \
		-P "$2" -f m >"$TMP/tcp.log" 2>&1
	wait "$spid" 2>/dev/null
	awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) }
	     END { if (v != "") printf "%.2f\n", v / 1000 }' "$TMP/tcp.log"
}

# udp <path>: 64-byte frames as fast as udpgen sends for $SECS s; prints pps at the sink.
udp() {
	ip netns exec "${NS_B[$1]}" "$BIN/udpgen" sink "${DST[$1]}" 9000 "$SECS" >"$TMP/sink.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	sleep 0.3
	ip netns exec "${NS_A[$1]}" timeout $((SECS + 15)) "$BIN/udpgen" send "${DST[$1]}" 9000 \
		"$((SECS + 1))" 18 >/dev/null 2>&1
	wait "$spid" 2>/dev/null
	awk '{ printf "%.0f\n", $3 }' "$TMP/sink.log"
}

# rr <path>: sockperf TCP ping-pong for $SECS s; prints "median p99" in microseconds.
rr() {
	ip netns exec "${NS_B[$1]}" timeout $((SECS + 20)) sockperf sr --tcp -i "${DST[$1]}" -p 11111 \
		>"$TMP/rr-s.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	sleep 0.5
	ip netns exec "${NS_A[$1]}" timeout $((SECS + 15)) sockperf pp --tcp -i "${DST[$1]}" -p 11111 \
		-t "$SECS" >"$TMP/rr.log" 2>&1
	kill -TERM "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	# sockperf reports half the round trip; the round trip is what a request waits.
	awk '/percentile 50.000 =/ { m = $NF * 2 } /percentile 99.000 =/ { q = $NF * 2 }
	     END { if (m != "") printf "%.1f %.1f\n", m, q }' "$TMP/rr.log"
}

# idle_ping <path>: 15 pings 0.2 s apart on an otherwise idle path; prints the median
# round trip in microseconds.
idle_ping() {
	sleep 0.5
	ip netns exec "${NS_A[$1]}" ping -c 15 -i 0.2 -W 2 "${DST[$1]}" 2>/dev/null |
		awk -F'time=' '/time=/ { split($2, t, " "); print t[1] * 1000 }' | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.0f\n", v[int((NR + 1) / 2)] }'
}

# rx_share <ligd-interface>: "gso-bytes rx-bytes" received on it so far (every run).
rx_share() {
	local g b
	g=$(ctl show hardware-interfaces "$1" | awk '/rx gso/ { for (i = 1; i <= NF; i++)
		if ($i == "gso" && $(i - 1) == "rx") { v = $(i + 2); gsub(/[(]/, "", v); print v; exit } }')
	b=$(ctl show interface "$1" | awk '$0 ~ /rx bytes/ { for (i = 1; i <= NF; i++) if ($i == "bytes") { print $(i + 1); exit } }')
	echo "${g:-0} ${b:-0}"
}

# One table of raw samples: path metric round value.
: >"$TMP/samples"
for r in $(seq "$ROUNDS"); do
	for p in $PATHS; do
		last=$([ "$r" -eq "$ROUNDS" ] && echo 1 || echo 0)
		case $p in tap | afp) ctl clear runtime ;; esac
		v=$(tcp "$p" 1)
		[ "$p" = tap -o "$p" = afp ] && [ "$last" = 1 ] && ctl show runtime >"$TMP/rt-$p-tcp1.txt"
		[ "$p" = tap ] && [ "$last" = 1 ] && rx_share tap1 >"$TMP/share-tap.txt"
		[ "$p" = afp ] && [ "$last" = 1 ] && rx_share "host-${P}aa" >"$TMP/share-afp.txt"
		echo "$p tcp1 $r ${v:-0}" >>"$TMP/samples"
		v4=$(tcp "$p" 4)
		echo "$p tcp4 $r ${v4:-0}" >>"$TMP/samples"
		case $p in tap | afp) ctl clear runtime ;; esac
		u=$(udp "$p")
		[ "$p" = tap -o "$p" = afp ] && [ "$last" = 1 ] && ctl show runtime >"$TMP/rt-$p-udp.txt"
		echo "$p udp $r ${u:-0}" >>"$TMP/samples"
		read -r m q <<<"$(rr "$p")"
		echo "$p rr50 $r ${m:-0}" >>"$TMP/samples"
		echo "$p rr99 $r ${q:-0}" >>"$TMP/samples"
		ip_rtt=$(idle_ping "$p")
		echo "$p ping $r ${ip_rtt:-0}" >>"$TMP/samples"
		log "round $r $p: tcp1 ${v:-?} Gbit/s, tcp4 ${v4:-?} Gbit/s, udp64 ${u:-?} pps, rr median ${m:-?} us p99 ${q:-?} us, idle ping ${ip_rtt:-?} us"
	done
done

# stat <path> <metric>: "min median max" of the rounds.
stat() {
	awk -v p="$1" -v m="$2" '$1 == p && $2 == m { print $4 }' "$TMP/samples" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit }
		       med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		       printf "%s %s %s\n", v[1], med, v[NR] }'
}
median() { stat "$1" "$2" | awk '{ print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "Pod to pod: ligd (tap gso, af_packet vnet-hdr) vs Linux bridge, default offloads"
echo "($(nproc) CPUs, $(uname -r), $ROUNDS interleaved rounds of ${SECS} s per test; min / median / max)"
printf "%-24s %-26s %-26s %-26s %10s %10s" "metric" "ligd tap+gso" "ligd af_packet" "Linux bridge" "tap/Linux" "afp/Linux"
[ "$MQ" = 1 ] && printf " %-26s %10s" "ligd 2 workers, 2-q taps" "mq/Linux"
echo
for m in tcp1 tcp4 udp rr50 rr99 ping; do
	case $m in
	tcp1) name="TCP 1 stream (Gbit/s)" ;;
	tcp4) name="TCP 4 streams (Gbit/s)" ;;
	udp) name="UDP 64 B (pps at sink)" ;;
	rr50) name="TCP RR median (us)" ;;
	rr99) name="TCP RR p99 (us)" ;;
	ping) name="idle ping RTT (us)" ;;
	esac
	printf "%-24s %-26s %-26s %-26s %10s %10s" "$name" \
		"$(stat tap $m | tr ' ' /)" "$(stat afp $m | tr ' ' /)" "$(stat linux $m | tr ' ' /)" \
		"$(ratio "$(median tap $m)" "$(median linux $m)")" \
		"$(ratio "$(median afp $m)" "$(median linux $m)")"
	[ "$MQ" = 1 ] && printf " %-26s %10s" "$(stat tapmq $m | tr ' ' /)" \
		"$(ratio "$(median tapmq $m)" "$(median linux $m)")"
	echo
done

# clocks <file> <node>: clocks per packet of node in a show runtime capture.
clocks() { awk -v n="$2" '$1 == n { printf "%.0f", $5 }' "$1"; }
echo
echo "ligd show runtime, last round: clocks per packet (vectors/call)"
printf "%-18s %14s %14s %14s %14s\n" "node" "tap TCP" "tap UDP" "afp TCP" "afp UDP"
for node in tap-input af-packet-input ethernet-input l2-input l2-output interface-output tap-tx af-packet-tx; do
	row=""
	for f in tap-tcp1 tap-udp afp-tcp1 afp-udp; do
		c=$(clocks "$TMP/rt-$f.txt" "$node" 2>/dev/null)
		vpc=$(awk -v n="$node" '$1 == n { printf "%.1f", $6 }' "$TMP/rt-$f.txt" 2>/dev/null)
		row="$row $(printf '%14s' "${c:--}${c:+ ($vpc)}")"
	done
	printf "%-18s%s\n" "$node" "$row"
done
echo
echo "Sending pod to ligd, all runs up to the last TCP 1-stream run: bytes that came as GSO super-frames"
for p in tap afp; do
	read -r g b <"$TMP/share-$p.txt"
	echo "  $p: $(awk -v g="$g" -v b="$b" 'BEGIN { if (b > 0) printf "%.1f %% of %.0f MB", 100 * g / b, b / 1e6; else print "-" }')"
done
if [ "${BENCH_VERBOSE:-0}" = 1 ]; then
	for f in "$TMP"/rt-*.txt; do echo "--- $f"; cat "$f"; done
	ctl show hardware-interfaces
	ctl show errors
fi

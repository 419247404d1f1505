#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ligd bridge vs Linux bridge: the same topology (two namespace hosts on veths, their
# root-side ends bridged) measured once through ligd (a bridge domain of two af_packet
# host-interfaces) and once through a Linux bridge. Reports iperf3 TCP Gbit/s, 64-byte
# UDP packets/s received at the sink, and ligd's show runtime clocks per packet for the
# nodes on the path, as one table with ratios. Not part of make test.
#
# Usage: sudo bench/bridge_vs_linux.sh [bin-dir (default build/bin)] [seconds (default 10)]
# Safety: traffic stays inside the namespaces this script creates; everything it
# creates (namespaces, veths, the bridge, processes) is removed by name and PID on exit.
set -u

BIN=$(cd "${1:-$(dirname "$0")/../build/bin}" && pwd) || exit 1
SECS=${2:-10}
P="bvl$$"
NS_A="${P}a" NS_B="${P}b" BR="${P}br"
TMP=$(mktemp -d /tmp/ligbench.XXXXXX)
SOCK="$TMP/ligd.sock"
PIDS=()

for tool in ip iperf3 ethtool; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
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
	ip link del "${P}a" 2>/dev/null
	ip link del "${P}b" 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# host <name> <addr>: netns ${P}<name> with eth0 <addr>, root-side veth ${P}<name>.
# Same offload settings for both runs: TSO/GSO off in the hosts and GRO off on the root
# side, so both move MTU-sized packets (this compares per-packet costs; bench/pod_path.sh
# measures the default offloads, GSO super-frames included); checksum offload stays on.
host() {
	local ns="${P}$1"
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip link add "${P}$1" type veth peer name eth0 netns "$ns"
	ip -n "$ns" addr add "$2" dev eth0
	ip -n "$ns" link set eth0 up
	ip netns exec "$ns" ethtool -K eth0 tso off gso off gro off >/dev/null 2>&1
	ethtool -K "${P}$1" gro off >/dev/null 2>&1
	ip link set "${P}$1" up
}

# tcp_gbps: iperf3 TCP a -> b for $SECS s; prints receiver Gbit/s.
tcp_gbps() {
	ip netns exec "$NS_B" iperf3 -s -1 -B 10.77.0.2 >"$TMP/s.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	sleep 0.5
	ip netns exec "$NS_A" timeout $((SECS + 15)) iperf3 -c 10.77.0.2 -t "$SECS" -f m \
		>"$TMP/tcp.log" 2>&1
	wait "$spid" 2>/dev/null
	awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") printf "%.2f\n", $(i - 1) / 1000 }' \
		"$TMP/tcp.log"
}

# udp_pps: 64-byte frames (18-byte UDP payload) from $BIN/udpgen (sendmmsg batches) as
# fast as the sender goes for $SECS s; prints datagrams per second received at the sink.
udp_pps() {
	ip netns exec "$NS_B" "$BIN/udpgen" sink 10.77.0.2 9000 "$SECS" >"$TMP/sink.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	sleep 0.3
	ip netns exec "$NS_A" timeout $((SECS + 15)) "$BIN/udpgen" send 10.77.0.2 9000 \
		"$((SECS + 1))" 18 >"$TMP/send.log" 2>&1
	wait "$spid" 2>/dev/null
	awk '{ print $3 }' "$TMP/sink.log"
}

ctl() { "$BIN/ligctl" -s "$SOCK" "$@"; }

# runtime_clocks <file> <node>: clocks per packet of node in a show runtime capture.
runtime_clocks() {
	awk -v n="$2" '$1 == n { printf "%.0f", $5 }' "$1"
}

host a 10.77.0.1/24
host b 10.77.0.2/24

# ---- ligd ----
log "ligd: bridge-domain 1 with host-${P}a and host-${P}b"
"$BIN/ligd" -s "$SOCK" >"$TMP/ligd.log" 2>&1 &
LIGD=$!
PIDS+=("$LIGD")
for _ in $(seq 100); do ctl show version >/dev/null 2>&1 && break; sleep 0.05; done
ctl create host-interface name "${P}a" >/dev/null &&
	ctl create host-interface name "${P}b" >/dev/null &&
	ctl create bridge-domain 1 >/dev/null &&
	ctl set interface l2 bridge "host-${P}a" 1 >/dev/null &&
	ctl set interface l2 bridge "host-${P}b" 1 >/dev/null &&
	ctl set interface state "host-${P}a" up &&
	ctl set interface state "host-${P}b" up || { cat "$TMP/ligd.log"; exit 1; }
ip netns exec "$NS_A" ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || { log "no ping through ligd"; exit 1; }

ctl clear runtime
LIG_TCP=$(tcp_gbps)
ctl show runtime >"$TMP/rt-tcp.txt"
log "ligd TCP: ${LIG_TCP:-?} Gbit/s"
ctl clear runtime
ctl clear errors >/dev/null 2>&1
LIG_PPS=$(udp_pps)
ctl show runtime >"$TMP/rt-udp.txt"
log "ligd UDP 64B: ${LIG_PPS:-?} pps"
ctl show errors >"$TMP/errors.txt"
ctl show hardware-interfaces >"$TMP/hw.txt"
LIG_FWD=$(awk '$1 == "af-packet-tx" { print $4 }' "$TMP/rt-udp.txt")
kill -TERM "$LIGD"
for _ in $(seq 50); do kill -0 "$LIGD" 2>/dev/null || break; sleep 0.1; done

# ---- Linux bridge ----
log "Linux bridge ${BR}"
ip link add "$BR" type bridge
ip link set "${P}a" master "$BR"
ip link set "${P}b" master "$BR"
ip link set "$BR" up
ip netns exec "$NS_A" ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || { log "no ping through the bridge"; exit 1; }
LNX_TCP=$(tcp_gbps)
log "Linux bridge TCP: ${LNX_TCP:-?} Gbit/s"
LNX_PPS=$(udp_pps)
log "Linux bridge UDP 64B: ${LNX_PPS:-?} pps"

ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "ligd bridge vs Linux bridge ($(nproc) CPUs, $(uname -r), ${SECS} s per test)"
printf "%-34s %14s %14s %12s\n" "Metric" "ligd" "Linux bridge" "ligd/Linux"
printf "%-34s %14s %14s %12s\n" "iperf3 TCP (Gbit/s)" "${LIG_TCP:--}" "${LNX_TCP:--}" "$(ratio "$LIG_TCP" "$LNX_TCP")"
printf "%-34s %14s %14s %12s\n" "UDP 64-byte frames rx at sink (pps)" "${LIG_PPS:--}" "${LNX_PPS:--}" "$(ratio "$LIG_PPS" "$LNX_PPS")"
echo
echo "ligd show runtime: clocks per packet on the path (TCP run / 64-byte UDP run)"
printf "%-22s %10s %10s\n" "Node" "TCP" "UDP-64B"
TOT_T=0 TOT_U=0
for n in af-packet-input ethernet-input l2-input l2-learn l2-fwd l2-flood l2-output interface-output af-packet-tx; do
	t=$(runtime_clocks "$TMP/rt-tcp.txt" "$n")
	u=$(runtime_clocks "$TMP/rt-udp.txt" "$n")
	[ -z "$t$u" ] && continue
	if [ "$n" = l2-flood ]; then
		# Only the first broadcasts (ARP) are flooded: not a per-packet cost of the path.
		printf "%-22s %10s %10s   (not in sum)\n" "$n" "${t:--}" "${u:--}"
		continue
	fi
	printf "%-22s %10s %10s\n" "$n" "${t:--}" "${u:--}"
	TOT_T=$((TOT_T + ${t:-0})) TOT_U=$((TOT_U + ${u:-0}))
done
printf "%-22s %10s %10s\n" "sum (unicast path)" "$TOT_T" "$TOT_U"
if [ -n "${BENCH_VERBOSE:-}" ]; then
	echo; cat "$TMP/rt-udp.txt" "$TMP/errors.txt" "$TMP/hw.txt"
fi

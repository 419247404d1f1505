#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# NAT44 benchmark (not part of make test). Two parts:
# 1. In-process (bench/nat44_bench.c): NAT44's nodes in ligd's real graph with full
#    vectors; established flows with 1 000 000 sessions in the table, new sessions, and
#    the forwarding path without NAT44 as the peer, interleaved rounds (clocks/packet and
#    Mpps, min/median/max).
# 2. Over the same netns path, ligd against the kernel, interleaved rounds: a generator
#    netns sends 64-byte UDP (udpgen, one flow) through a source NAT to a sink netns, with
#    FILL other flows' sessions in the table first (python raw flood of distinct flows):
#      ligd:   gen -- veth -- ligd (af_packet, nat44 in/out, pool 10.200.0.1-16 routed to it) -- veth -- sink
#      kernel: gen -- veth -- router netns (ip_forward, conntrack, nftables masquerade) -- veth -- sink
#    The sink's packets per second are the figure (it cannot exceed what udpgen sent: the
#    script prints both).
# Usage: nat44_bench.sh <bin-dir> [rounds (5)] [seconds per run (3)] [fill (1000000)]
set -u

BIN=$(cd "${1:-$(dirname "$0")/../build/bin}" && pwd) || exit 1
ROUNDS=${2:-5}
SECS=${3:-3}
FILL=${4:-1000000}
TOOL="$(cd "$(dirname "$0")/../tests/integration" && pwd)/nat44_tool.py"
P="nb$$"
TMP=$(mktemp -d /tmp/ligbench.XXXXXX)
SOCK="$TMP/ligd.sock"
PIDS=()
NSS=()
CT_MAX_OLD=""

for prog in ligd ligctl udpgen nat44_bench; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog (build with cmake: bench/CMakeLists.txt)" >&2; exit 1; }
done
command -v nft >/dev/null || [ -x /usr/sbin/nft ] || { echo "missing nft (nftables)" >&2; exit 1; }
NFT=$(command -v nft || echo /usr/sbin/nft)
[ "$(id -u)" -eq 0 ] || { echo "run as root (namespaces, veths)" >&2; exit 1; }

cleanup() {
	local pid ns
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	done
	for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	ip link del "${P}g" 2>/dev/null
	ip link del "${P}s" 2>/dev/null
	[ -n "$CT_MAX_OLD" ] && sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX_OLD"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
ctl() { "$BIN/ligctl" -s "$SOCK" "$@"; }

log "host load before: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min), $(nproc) CPUs"
log "part 1: in-process (nat44_bench 2000 vectors x $ROUNDS rounds)"
"$BIN/nat44_bench" 2000 "$ROUNDS" | tee "$TMP/inproc.txt"

# ---- part 2: the netns paths ----
netns() { ip netns add "$1"; NSS+=("$1"); ip -n "$1" link set lo up; }
netns "${P}gen"; netns "${P}sink"; netns "${P}gen2"; netns "${P}rtr"; netns "${P}sink2"
# ligd's path: veths with one end in the root namespace for af_packet.
ip link add "${P}g" type veth peer name eth0 netns "${P}gen"
ip link add "${P}s" type veth peer name eth0 netns "${P}sink"
ip -n "${P}gen" addr add 10.97.1.2/24 dev eth0
ip -n "${P}sink" addr add 192.168.97.2/24 dev eth0
for ns in "${P}gen" "${P}sink"; do ip -n "$ns" link set eth0 up; done
ip -n "${P}sink" route add 10.200.0.0/24 via 192.168.97.1 2>/dev/null || true
ip -n "${P}gen" route add default via 10.97.1.1
ip link set "${P}g" up
ip link set "${P}s" up
# The kernel's path: the same shape, a router namespace in ligd's place.
ip link add eth0 netns "${P}gen2" type veth peer name r1 netns "${P}rtr"
ip link add eth0 netns "${P}sink2" type veth peer name r2 netns "${P}rtr"
ip -n "${P}gen2" addr add 10.98.1.2/24 dev eth0
ip -n "${P}rtr" addr add 10.98.1.1/24 dev r1
ip -n "${P}rtr" addr add 192.168.98.1/24 dev r2
ip -n "${P}sink2" addr add 192.168.98.2/24 dev eth0
for l in "${P}gen2 eth0" "${P}sink2 eth0" "${P}rtr r1" "${P}rtr r2"; do
	set -- $l; ip -n "$1" link set "$2" up
done
ip -n "${P}gen2" route add default via 10.98.1.1
ip netns exec "${P}rtr" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "${P}rtr" "$NFT" -f - <<EOF || { log "nft failed"; exit 1; }
table ip nat {
	chain postrouting {
		type nat hook postrouting priority 100;
		oifname "r2" masquerade
	}
}
EOF
CT_MAX_OLD=$(sysctl -n net.netfilter.nf_conntrack_max 2>/dev/null || echo "")
if [ -n "$CT_MAX_OLD" ] && [ "$CT_MAX_OLD" -lt $((FILL + 100000)) ]; then
	sysctl -qw net.netfilter.nf_conntrack_max=$((FILL + 100000))
else
	CT_MAX_OLD=""
fi

"$BIN/ligd" -s "$SOCK" >"$TMP/ligd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do ctl show version >/dev/null 2>&1 && break; sleep 0.05; done
cat >"$TMP/setup.cli" <<EOF
create host-interface name ${P}g
create host-interface name ${P}s
set interface state host-${P}g up
set interface state host-${P}s up
set interface ip address host-${P}g 10.97.1.1/24
set interface ip address host-${P}s 192.168.97.1/24
nat44 plugin enable sessions $((FILL + 200000))
set interface nat44 in host-${P}g out host-${P}s
nat44 add address 10.200.0.1 - 10.200.0.16
EOF
ctl exec "$TMP/setup.cli" >/dev/null || { cat "$TMP/ligd.log"; exit 1; }
ip netns exec "${P}gen" ping -c 2 -i 0.2 -W 2 192.168.97.2 >/dev/null || { log "no ping through ligd"; exit 1; }
ip netns exec "${P}gen2" ping -c 2 -i 0.2 -W 2 192.168.98.2 >/dev/null || { log "no ping through the kernel"; exit 1; }

log "filling: $FILL UDP flows through each path"
t0=$(date +%s.%N)
ip netns exec "${P}gen" python3 "$TOOL" udpflood 192.168.97.2 20000 "$FILL"
t1=$(date +%s.%N)
ip netns exec "${P}gen2" python3 "$TOOL" udpflood 192.168.98.2 20000 "$FILL"
t2=$(date +%s.%N)
sleep 1
LIG_SESS=$(ctl show nat44 summary | sed -n 's/^thread 0: \([0-9]*\) of.*/\1/p')
CT_SESS=$(ip netns exec "${P}rtr" cat /proc/sys/net/netfilter/nf_conntrack_count)
log "fill took $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s / $(echo "$t2 - $t1" | bc 2>/dev/null || echo ?) s (python sender); sessions: ligd ${LIG_SESS:-?}, kernel conntrack ${CT_SESS:-?}"

# One run: udpgen through one path; prints "<sink pps> <sent>".
run_path() { # run_path <gen-ns> <sink-ns> <sink-ip>
	ip netns exec "$2" "$BIN/udpgen" sink "$3" 9000 "$SECS" >"$TMP/sink.log" 2>&1 &
	local spid=$!
	sleep 0.3
	ip netns exec "$1" timeout $((SECS + 15)) "$BIN/udpgen" send "$3" 9000 "$((SECS + 1))" 18 \
		>"$TMP/send.log" 2>&1
	wait "$spid" 2>/dev/null
	echo "$(awk '{ print $3 }' "$TMP/sink.log") $(awk '{ print $1 }' "$TMP/send.log")"
}

LIG=() KRN=()
for r in $(seq "$ROUNDS"); do
	set -- $(run_path "${P}gen" "${P}sink" 192.168.97.2)
	LIG+=("${1:-0}")
	log "round $r ligd:   ${1:-?} pps at the sink (udpgen sent ${2:-?})"
	set -- $(run_path "${P}gen2" "${P}sink2" 192.168.98.2)
	KRN+=("${1:-0}")
	log "round $r kernel: ${1:-?} pps at the sink (udpgen sent ${2:-?})"
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {printf "%.0f/%.0f/%.0f", a[1], a[int((NR + 1) / 2)], a[NR]}'; }
ctl show runtime >"$TMP/rt.txt"
echo "netns path, established UDP flow with ${LIG_SESS:-?} (ligd) / ${CT_SESS:-?} (kernel) sessions, $ROUNDS interleaved rounds of ${SECS} s, sink pps min/median/max:"
echo "  ligd   $(stats "${LIG[@]}")"
echo "  kernel $(stats "${KRN[@]}")"
echo "ligd nat44 nodes over the whole run (show runtime):"
grep -E "nat44-ed|Name" "$TMP/rt.txt" | sed 's/^/  /'
log "host load after: $(cut -d' ' -f1-3 /proc/loadavg)"

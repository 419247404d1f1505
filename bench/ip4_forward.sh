#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# IPv4 forwarding and VXLAN benchmark (not part of make test): a generator namespace
# blasts 64-byte UDP frames (bench/ip4_gen.c, AF_PACKET + sendmmsg) through a router to
# a sink namespace, whose veth counts what arrives. Measured, in one run:
#   ligd: IPv4 forwarding with 1 route and with 1M /24 routes (inserted through the CLI,
#         timed), VXLAN encap (bridge -> tunnel) and decap (tunnel -> bridge);
#         packets/s at the sink and ligd clocks/packet from show runtime;
#   Linux: the same traffic between the same namespaces, forwarded by the kernel of a
#         router namespace (1 route, 1M routes via ip -batch, timed), and a kernel
#         bridge + vxlan device for encap and decap.
# Usage: bench/ip4_forward.sh [bin-dir (default build/bin)] [seconds per run (default 5)]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tests/integration/lib.sh"
BIN=${1:-$HERE/../build/bin}
SECS=${2:-5}
lig_test_init "$BIN"
# ip4_gen and ip4_graph_bench are built by bench/CMakeLists.txt next to ligd.
for prog in ligd ligctl ip4_gen ip4_graph_bench; do
	[ -x "$LIG_BIN/$prog" ] || { echo "missing $LIG_BIN/$prog (build with cmake)" >&2; exit 1; }
done
GEN="$LIG_BIN/ip4_gen"

SRC="${LIG_PREFIX}src" DST="${LIG_PREFIX}dst"
lig_host src 10.85.1.2/24
lig_host dst 10.85.2.2/24
ip -n "$SRC" route add default via 10.85.1.1
ip -n "$DST" route add default via 10.85.2.1
for l in "$SRC" "$DST"; do sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1"; done
for n in "$SRC" "$DST"; do ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
# The hosts must not forward: a new namespace inherits ip_forward from the root one
# (net.core.devconf_inherit_init_net=0), and a sink that forwards sends every frame for
# 32.0.0.0/4 back to the router, which forwards it to the sink again until the TTL runs
# out: the sink then counts each frame 32 times (TTL 64, two hops a turn). That is what
# made the kernel rows show more packets/s at the sink than the generator sent.
for n in "$SRC" "$DST"; do
	ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=0
	ip netns exec "$n" sysctl -qw net.ipv4.conf.all.forwarding=0
done
SRC_MAC=$(ip -n "$SRC" -br link show eth0 | awk '{ print $3 }')
DST_MAC=$(ip -n "$DST" -br link show eth0 | awk '{ print $3 }')

RESULTS="$LIG_TMP/results.txt"
: >"$RESULTS"
report() { echo "$*" | tee -a "$RESULTS"; }

rxcount() { ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_packets; }

# ligd_cpp: clocks/packet summed over the nodes that carried the traffic (show runtime),
# with the per-node breakdown.
ligd_cpp() {
	lig_ctl d show runtime | awk '
		/^Name/ || /^Time/ || /^Total/ { next }
		{ name[NR] = $1; vec[NR] = $4; clk[NR] = $5; if ($4 > max) max = $4 }
		END {
			for (i in name) if (vec[i] >= max / 4 && name[i] != "error-drop") {
				sum += clk[i]; detail = detail sprintf(" %s=%.0f", name[i], clk[i])
				if (name[i] ~ /^(ip4-|vxlan4-)/) own += clk[i]
			}
			printf "%.0f clocks/packet on the path, %.0f in ip4/vxlan nodes (%s )", sum, own, detail
		}'
}

# run <label> <sink-netns> <gen-netns> <gen args...>: one measurement.
run() {
	local label=$1 sink=$2 gen=$3; shift 3
	local before after out
	[ "${LIGD_RUNNING:-0}" = 1 ] && lig_ctl d clear runtime >/dev/null
	before=$(rxcount "$sink")
	out=$(ip netns exec "$gen" "$GEN" eth0 "$1" "$2" "$3" "$4" "$SECS" "${@:5}")
	sleep 0.5
	after=$(rxcount "$sink")
	local pps=$(( (after - before) / SECS ))
	local line="$label: $(printf '%8d' "$pps") pps at the sink; generator $out"
	# The sink cannot receive more than was sent: if it does, the figure is void.
	local sent
	sent=$(echo "$out" | awk '{ print $(NF - 1) }')
	if awk -v r="$pps" -v s="${sent:-0}" 'BEGIN { exit !(s > 0 && r > s * 1.02) }'; then
		line="$line; INVALID: the sink counted more than the generator sent (a loop?)"
	fi
	[ "${LIGD_RUNNING:-0}" = 1 ] && line="$line; ligd $(ligd_cpp)"
	report "$line"
}

lig_log "== ligd graph in-process, full vectors of 256 (no kernel, no af_packet)"
"$LIG_BIN/ip4_graph_bench" 4000 | tee -a "$RESULTS"

lig_log "== ligd"
lig_start d || exit 1
LIGD_RUNNING=1
cat >"$LIG_TMP/route.cli" <<EOF
create host-interface name $SRC
create host-interface name $DST
set interface state host-$SRC up
set interface state host-$DST up
set interface ip address host-$SRC 10.85.1.1/24
set interface ip address host-$DST 10.85.2.1/24
ip route add 32.0.0.0/4 via 10.85.2.2
EOF
lig_ctl d exec "$LIG_TMP/route.cli" || exit 1
lig_ping src 10.85.2.2 2 >/dev/null || { echo "no connectivity through ligd"; exit 1; }
GW=$(ip -n "$SRC" neigh show 10.85.1.1 | awk '{ print $5 }')
run "ligd    ipv4 forward, 1 route  " "$DST" "$SRC" "$GW" ip4 10.85.1.2 32.0.0.0/4

python3 - "$LIG_TMP/routes.cli" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1 << 20):
        f.write("ip route add %d.%d.%d.0/24 via 10.85.2.2\n" % (32 + (i >> 16), (i >> 8) & 255, i & 255))
EOF
T0=$(date +%s.%N)
lig_ctl d "exec $LIG_TMP/routes.cli" >/dev/null || { echo "route load failed"; exit 1; }
T1=$(date +%s.%N)
report "ligd    1M /24 routes through the CLI (exec inside ligd): $(echo "$T0 $T1" | awk '{ printf "%.2f s, %.0f routes/s", $2 - $1, 1048576 / ($2 - $1) }')"
lig_ctl d show ip fib summary | sed -n '1p' | tee -a "$RESULTS"
run "ligd    ipv4 forward, 1M routes" "$DST" "$SRC" "$GW" ip4 10.85.1.2 32.0.0.0/4
lig_ctl d show ip fib 32.1.2.3 | sed 's/^/    /'

# VXLAN: src's frames are bridged into a tunnel to dst (encap); dst sends VXLAN into
# ligd, decapsulated and bridged to src (decap). Static MACs: no flooding.
cat >"$LIG_TMP/vxlan.cli" <<EOF
ip route del 32.0.0.0/4
create bridge-domain 7 learn 0 forward 1 uu-flood 0 flood 0 arp-term 0
set interface ip address host-$SRC 10.85.1.1/24 del
set interface l2 bridge host-$SRC 7
create vxlan tunnel src 10.85.2.1 dst 10.85.2.2 vni 7 encap-vrf-id 0 decap-next l2
set interface l2 bridge vxlan_tunnel0 7
l2fib add 02:00:00:00:07:07 7 vxlan_tunnel0 static
l2fib add $SRC_MAC 7 host-$SRC static
EOF
lig_ctl d exec "$LIG_TMP/vxlan.cli" >/dev/null || { echo "vxlan setup failed"; exit 1; }
DGW=$(ip -n "$DST" neigh show 10.85.2.1 | awk '{ print $5 }')
run "ligd    vxlan encap            " "$DST" "$SRC" 02:00:00:00:07:07 ip4 10.85.1.2 32.0.0.0/4
run "ligd    vxlan decap            " "$SRC" "$DST" "$DGW" vxlan 10.85.9.9 10.85.1.0/24 \
	10.85.2.2 10.85.2.1 7 "$SRC_MAC"
kill -TERM "$LIG_PID_d"
for _ in $(seq 50); do kill -0 "$LIG_PID_d" 2>/dev/null || break; sleep 0.1; done
LIGD_RUNNING=0

lig_log "== Linux kernel"
lig_netns kr >/dev/null
KR="${LIG_PREFIX}kr"
ip link set "$SRC" netns "$KR"
ip link set "$DST" netns "$KR"
ip netns exec "$KR" sysctl -qw net.ipv4.ip_forward=1
ip -n "$KR" addr add 10.85.1.1/24 dev "$SRC"
ip -n "$KR" addr add 10.85.2.1/24 dev "$DST"
ip -n "$KR" link set "$SRC" up
ip -n "$KR" link set "$DST" up
ip -n "$KR" route add 32.0.0.0/4 via 10.85.2.2
ip -n "$SRC" neigh flush all
lig_ping src 10.85.2.2 2 >/dev/null || { echo "no connectivity through the kernel"; exit 1; }
KGW=$(ip -n "$SRC" neigh show 10.85.1.1 | awk '{ print $5 }')
run "kernel  ipv4 forward, 1 route  " "$DST" "$SRC" "$KGW" ip4 10.85.1.2 32.0.0.0/4
sed 's/^ip //' "$LIG_TMP/routes.cli" >"$LIG_TMP/routes.batch"
T0=$(date +%s.%N)
ip -n "$KR" -batch "$LIG_TMP/routes.batch"
T1=$(date +%s.%N)
report "kernel  1M /24 routes (ip -batch): $(echo "$T0 $T1" | awk '{ printf "%.2f s, %.0f routes/s", $2 - $1, 1048576 / ($2 - $1) }')"
run "kernel  ipv4 forward, 1M routes" "$DST" "$SRC" "$KGW" ip4 10.85.1.2 32.0.0.0/4
ip -n "$KR" route flush proto boot >/dev/null 2>&1

# Kernel VXLAN: a bridge with src's port and a vxlan device over the dst link.
ip -n "$KR" addr del 10.85.1.1/24 dev "$SRC"
ip -n "$KR" link add br7 type bridge
ip -n "$KR" link set br7 up
ip -n "$KR" link set "$SRC" master br7
ip -n "$KR" link add vx7 type vxlan id 7 local 10.85.2.1 remote 10.85.2.2 dstport 4789 dev "$DST"
ip -n "$KR" link set vx7 master br7
ip -n "$KR" link set vx7 up
ip netns exec "$KR" bridge fdb add 02:00:00:00:07:07 dev vx7 master static
ip netns exec "$KR" bridge fdb add "$SRC_MAC" dev "$SRC" master static
ip -n "$DST" neigh flush all
ip netns exec "$DST" ping -c 1 -W 1 10.85.2.1 >/dev/null
KDGW=$(ip -n "$DST" neigh show 10.85.2.1 | awk '{ print $5 }')
run "kernel  vxlan encap            " "$DST" "$SRC" 02:00:00:00:07:07 ip4 10.85.1.2 32.0.0.0/4
run "kernel  vxlan decap            " "$SRC" "$DST" "$KDGW" vxlan 10.85.9.9 10.85.1.0/24 \
	10.85.2.2 10.85.2.1 7 "$SRC_MAC"

echo
echo "== results ($(nproc) CPUs, $SECS s per run, 64-byte frames; inner 64 for VXLAN)"
cat "$RESULTS"
LIG_FAILS=0

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ACL benchmark (not part of make test).
#  1. In-process (bench/acl_bench.c): the ACL node's clocks/packet and the path's Mpps with
#     no ACL, 10 rules, 1 000 rules and reflect session hits, interleaved rounds.
#  2. Over namespaces: a generator blasts 64-byte UDP frames (bench/ip4_gen.c, 16 384 flows
#     to one destination or random destinations) through a router to a sink whose veth
#     counts what arrives. Two paths side by side: ligd (af_packet host interfaces) and a
#     Linux router namespace (nftables forward chain). Each round runs every case on both,
#     interleaved (ligd A, kernel A, ligd B, kernel B, ...):
#       none     no ACL / no nftables table
#       acl10    10 rules on the input list / in the forward chain, the last one matching
#       acl1000  1 000 rules of the same shapes, the last one matching
#       reflect  permit+reflect in, deny-all out / conntrack: ct state new,established accept
#                in, established-only out (16 384 UDP flows, each a session/conntrack entry)
#     reporting pps at the sink (checked against what the generator sent) and, for ligd, the
#     ACL node's clocks/packet; then min/median/max per case and system.
# Usage: bench/acl_bench.sh [bin-dir (default build/bin)] [seconds per run (default 3)] [rounds (default 5)]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tests/integration/lib.sh"
BIN=${1:-$HERE/../build/bin}
SECS=${2:-3}
ROUNDS=${3:-5}
lig_test_init "$BIN"
for prog in ligd ligctl ip4_gen acl_bench; do
	[ -x "$LIG_BIN/$prog" ] || { echo "missing $LIG_BIN/$prog (build with cmake)" >&2; exit 1; }
done
command -v nft >/dev/null || { echo "nft missing (apt-get install nftables)" >&2; exit 1; }
GEN="$LIG_BIN/ip4_gen"
RESULTS="$LIG_TMP/results.txt"
: >"$RESULTS"
report() { echo "$*" | tee -a "$RESULTS"; }

lig_log "== in-process, full vectors of 256 (no kernel, no af_packet)"
"$LIG_BIN/acl_bench" 2000 "$ROUNDS" | tee -a "$RESULTS"

# Two generator/sink pairs: L (through ligd) and K (through the kernel router KR).
lig_host sl 10.86.1.2/24
lig_host dl 10.86.2.2/24
lig_host sk 10.87.1.2/24
lig_host dk 10.87.2.2/24
SL="${LIG_PREFIX}sl" DL="${LIG_PREFIX}dl" SK="${LIG_PREFIX}sk" DK="${LIG_PREFIX}dk"
ip -n "$SL" route add default via 10.86.1.1
ip -n "$DL" route add default via 10.86.2.1
ip -n "$SK" route add default via 10.87.1.1
ip -n "$DK" route add default via 10.87.2.1
for n in "$SL" "$DL" "$SK" "$DK"; do
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	# A sink that forwarded would bounce 32/4 frames back (see bench/ip4_forward.sh).
	ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=0
done
for l in "$SL" "$DL" "$SK" "$DK"; do sysctl -qw "net.ipv6.conf.$l.disable_ipv6=1"; done

lig_start d || exit 1
cat >"$LIG_TMP/route.cli" <<EOF
create host-interface name $SL
create host-interface name $DL
set interface state host-$SL up
set interface state host-$DL up
set interface ip address host-$SL 10.86.1.1/24
set interface ip address host-$DL 10.86.2.1/24
ip route add 32.0.0.0/4 via 10.86.2.2
set acl-plugin session table max-entries 65536
set acl-plugin acl index 2 permit+reflect src 0.0.0.0/0 dst 0.0.0.0/0
set acl-plugin acl index 3 deny src 0.0.0.0/0 dst 0.0.0.0/0
EOF
lig_ctl d exec "$LIG_TMP/route.cli" || exit 1
lig_ping sl 10.86.2.2 2 >/dev/null || { echo "no connectivity through ligd"; exit 1; }
GWL=$(ip -n "$SL" neigh show 10.86.1.1 | awk '{ print $5 }')

lig_netns kr
KR="${LIG_PREFIX}kr"
ip link set "$SK" netns "$KR"
ip link set "$DK" netns "$KR"
ip netns exec "$KR" sysctl -qw net.ipv4.ip_forward=1
ip -n "$KR" addr add 10.87.1.1/24 dev "$SK"
ip -n "$KR" addr add 10.87.2.1/24 dev "$DK"
ip -n "$KR" link set "$SK" up
ip -n "$KR" link set "$DK" up
ip -n "$KR" route add 32.0.0.0/4 via 10.87.2.2
lig_ping sk 10.87.2.2 2 >/dev/null || { echo "no connectivity through the kernel"; exit 1; }
GWK=$(ip -n "$SK" neigh show 10.87.1.1 | awk '{ print $5 }')
# The veths stay in the root namespace's link list for cleanup (lib.sh deletes by name):
# moved into KR, they go with it.

# The same rule lists for both: n-1 rules in Kubernetes-policy shapes that the UDP
# traffic (dport 9) never matches, then permit any.
python3 - "$LIG_TMP" "$SK" <<'EOF'
import json, sys
tmp, sk = sys.argv[1], sys.argv[2]
for n in (10, 1000):
    rules, nft = [], []
    for i in range(n - 1):
        r = {"action": 0 if i % 7 == 0 else 1, "proto": 17 if i % 5 == 0 else 6,
             "dst": "12.0.%d.%d" % (i >> 8, i & 255), "dst_len": 32, "sport_hi": 65535}
        lo = 80 + i % 100
        hi = lo + 10 if i % 4 == 0 else lo
        r["dport_lo"], r["dport_hi"] = lo, hi
        match = "ip daddr %s" % r["dst"]
        if i % 3 == 0:
            r["src"], r["src_len"] = "11.0.%d.0" % (i & 255), 24
            match = "ip saddr %s/24 " % r["src"] + match
        proto = "udp" if r["proto"] == 17 else "tcp"
        ports = str(lo) if lo == hi else "%d-%d" % (lo, hi)
        nft.append("    %s %s dport %s %s" % (match, proto, ports, "drop" if r["action"] == 0 else "accept"))
        rules.append(r)
    rules.append({"action": 1, "sport_hi": 65535, "dport_hi": 65535})
    nft.append("    accept")
    json.dump({"acl_index": n, "tag": "bench%d" % n, "rules": rules},
              open("%s/acl%d.json" % (tmp, n), "w"), separators=(",", ":"))
    with open("%s/acl%d.nft" % (tmp, n), "w") as f:
        f.write("table ip acl {\n  chain ligfwd {\n    type filter hook forward priority 0; policy accept;\n")
        f.write('    iifname "%s" jump acl_in\n  }\n  chain acl_in {\n' % sk)
        f.write("\n".join(nft) + "\n    drop\n  }\n}\n")
with open("%s/reflect.nft" % tmp, "w") as f:
    f.write("table ip acl {\n  chain ligfwd {\n    type filter hook forward priority 0; policy accept;\n")
    f.write('    iifname "%s" ct state new,established accept\n' % sk)
    f.write('    oifname "%s" ct state established accept\n' % sk)
    f.write('    oifname "%s" drop\n  }\n}\n' % sk)
EOF
for n in 10 1000; do
	lig_ctl d api call acl_add_replace "$(cat "$LIG_TMP/acl$n.json")" >/dev/null ||
		{ echo "acl $n: API call failed"; exit 1; }
done
lig_ctl d show acl-plugin acl index 1000 | head -3

rxcount() { ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_packets; }

# ligd_setup / kernel_setup <case>: the ACL configuration of one case.
ligd_setup() {
	local l
	for l in input output; do
		lig_ctl d show acl-plugin interface host-$SL | grep -q "$l acl(s): [0-9]" || continue
		for a in $(lig_ctl d show acl-plugin interface host-$SL | awk -v l="$l" '$1 == l { for (i = 3; i <= NF; i++) { gsub(",", "", $i); print $i } }'); do
			lig_ctl d set acl-plugin interface host-$SL $l acl "$a" del >/dev/null
		done
	done
	case $1 in
	acl10) lig_ctl d set acl-plugin interface host-$SL input acl 10 ;;
	acl1000) lig_ctl d set acl-plugin interface host-$SL input acl 1000 ;;
	reflect) lig_ctl d set acl-plugin interface host-$SL input acl 2 &&
		lig_ctl d set acl-plugin interface host-$SL output acl 3 ;;
	esac
}
kernel_setup() {
	ip netns exec "$KR" nft flush ruleset
	case $1 in
	acl10 | acl1000) ip netns exec "$KR" nft -f "$LIG_TMP/$1.nft" ;;
	reflect) ip netns exec "$KR" nft -f "$LIG_TMP/reflect.nft" ;;
	esac
}

# measure <sys> <case> <round>: one run; appends "<sys> <case> <pps> <cpp>" to $LIG_TMP/raw.
measure() {
	local sys=$1 c=$2 round=$3 sink gen gw src before after out sent cpp="-"
	local dst=32.0.0.0/4
	[ "$c" = reflect ] && dst=32.1.2.3/32 # 16 384 flows (source ports) to one host
	if [ "$sys" = ligd ]; then
		sink=$DL gen=$SL gw=$GWL src=10.86.1.2
		lig_ctl d clear runtime >/dev/null
	else
		sink=$DK gen=$SK gw=$GWK src=10.87.1.2
	fi
	before=$(rxcount "$sink")
	out=$(ip netns exec "$gen" "$GEN" eth0 "$gw" ip4 "$src" "$dst" "$SECS")
	sleep 0.3
	after=$(rxcount "$sink")
	local pps=$(((after - before) / SECS))
	sent=$(echo "$out" | awk '{ print $2 }') # "sent N frames ..."
	local note=""
	if awk -v r="$((after - before))" -v s="${sent:-0}" 'BEGIN { exit !(s > 0 && r > s * 1.02) }'; then
		note=" INVALID: the sink counted more than the generator sent"
	fi
	if [ "$sys" = ligd ] && [ "$c" != none ]; then
		cpp=$(lig_ctl d show runtime | awk '$1 == "acl-plugin-in-ip4-fa" { printf "%.0f\n", $5; exit }')
	fi
	report "round $round $(printf '%-6s %-8s %9d pps at the sink' "$sys" "$c" "$pps") (generator: $out) acl node ${cpp} clocks/pkt$note"
	echo "$sys $c $pps ${cpp:--}" >>"$LIG_TMP/raw"
}

lig_log "== over namespaces: ligd vs the kernel, interleaved, $ROUNDS rounds of $SECS s"
: >"$LIG_TMP/raw"
for round in $(seq "$ROUNDS"); do
	for c in none acl10 acl1000 reflect; do
		ligd_setup "$c" >/dev/null || { echo "ligd setup $c failed"; exit 1; }
		measure ligd "$c" "$round"
		kernel_setup "$c" || { echo "nft setup $c failed"; exit 1; }
		measure kernel "$c" "$round"
	done
done
ligd_setup none >/dev/null
lig_ctl d show acl-plugin sessions | tail -3 | tee -a "$RESULTS"

echo
echo "== summary: min/median/max over $ROUNDS rounds ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $SECS s per run, 64-byte UDP)"
for sys in ligd kernel; do
	for c in none acl10 acl1000 reflect; do
		awk -v s="$sys" -v c="$c" '$1 == s && $2 == c { print $3 }' "$LIG_TMP/raw" | sort -n |
			awk -v s="$sys" -v c="$c" '{ v[NR] = $1 } END { printf "%-6s %-8s %9d / %9d / %9d pps", s, c, v[1], v[int((NR + 1) / 2)], v[NR] }'
		if [ "$sys" = ligd ] && [ "$c" != none ]; then
			awk -v c="$c" '$1 == "ligd" && $2 == c && $4 != "-" { print $4 }' "$LIG_TMP/raw" | sort -n |
				awk '{ v[NR] = $1 } END { if (NR) printf "   acl node %.0f / %.0f / %.0f clocks/pkt", v[1], v[int((NR + 1) / 2)], v[NR] }'
		fi
		echo
	done
done | tee -a "$RESULTS"
LIG_FAILS=0

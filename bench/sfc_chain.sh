#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc chains on one node, in the world of examples/sfc/world.sh (node1 = vswitch ligd +
# lig-agent, vnf1..vnf3 = vppcontainer CNFs with their own ligd + lig-agent, memifs in one
# directory). Not part of make test.
#
# 1. Wiring time (needs lig-sfc): a 3-CNF chain podA -> vnf1 -> vnf2 -> vnf3 -> podB
#    (memif direct between the CNFs, veth/af_packet pods on the vswitch), given as one YAML file:
#    the time from starting `lig-sfc --sfc-config FILE` to the first ping podA -> podB answered
#    (ping every 5 ms from before the start), and the same with the agents' keys already in
#    etcd from a previous run (lig-sfc --clean not given: nothing to write). ROUNDS rounds.
# 2. Chain throughput, memif `direct` between the CNFs vs `vswitch` (every hop through node1's
#    ligd), 64 and 1500-byte frames: lig-memif-gen sends into node1 (memif gen-in), the chain
#    runs through vnf1, vnf2, vnf3 (each xconnects its two memifs, as its own agent is told)
#    and back out of node1 (memif gen-out) into the generator's sink. The keys are written to
#    the agents as lig-sfc renders these two methods (memif pairs vnf<->vnf for direct; each
#    vnf port to a vswitch memif and vswitch xconnects for vswitch); the CNFs' own xconnects
#    are the test world's part. Rounds interleave direct, vswitch, direct, vswitch... for each
#    size; min / median / max Mpps at the sink (what was received, never more than was sent).
#
# Usage: sudo bench/sfc_chain.sh [bin-dir (default build/bin)] [seconds per run (default 3)]
#   ROUNDS=<n> (default 5), SIZES="64 1500", PHASES="wire tput"
set -u
if [ -z "${SFC_UNSHARED:-}" ]; then
	# A mount namespace of its own: the world's namespaces (node1, vnf1...) clash with nothing.
	SFC_UNSHARED=1 exec unshare -m --propagation private bash "$0" "$@"
fi
mkdir -p /run/netns
mount -t tmpfs -o size=1m,mode=755 sfc-netns /run/netns || exit 1

BIN=$(cd "${1:-$(dirname "$0")/../build/bin}" && pwd) || exit 1
SECS=${2:-3}
ROUNDS=${ROUNDS:-${REPEAT:-5}}
SIZES=${SIZES:-"64 1500"}
PHASES=${PHASES:-"wire tput"}
WORLD=$(cd "$(dirname "$0")/../examples/sfc" && pwd)/world.sh
for prog in ligd ligctl lig-agent lig-memif-gen; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
TMP=$(mktemp -d /tmp/ligbench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	"$WORLD" stop -d "$TMP" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

stats() { # values... -> "min median max"
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}
now() { date +%s.%N; }

cat >"$TMP/spec" <<'EOF'
node node1
pod podA nonvppcontainer node1
pod vnf1 vppcontainer node1
pod vnf2 vppcontainer node1
pod vnf3 vppcontainer node1
pod podB nonvppcontainer node1
EOF
"$WORLD" start -d "$TMP" -b "$BIN" -s "$TMP/spec" >/dev/null || { echo "world did not start" >&2; exit 1; }
. "$TMP/world.env"
MD=$WORLD_MEMIF_DIR
ETCD() { ip netns exec "$WORLD_NS" etcdctl --endpoints "$WORLD_ETCD" "$@"; }
CTL() { local n=$1; shift; "$BIN/ligctl" -s "$TMP/$n.sock" "$@"; }
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# ---- 1. wiring time through lig-sfc ----
wire_run() { # CLEAN(0|1): prints seconds from lig-sfc's start to the first answered ping
	local t0 t1 pid
	if [ "$1" = 1 ]; then
		ETCD del --prefix /vnf-agent/ >/dev/null
		ETCD del --prefix /sfc-controller/ >/dev/null
		# wait until every ligd has dropped its configured interfaces
		for _ in $(seq 100); do
			[ -z "$(for n in node1 vnf1 vnf2 vnf3; do CTL $n api dump sw_interface_dump | grep -v '"tag":""'; done)" ] && break
			sleep 0.05
		done
		ip netns exec podA ping -c 1 -W 0.2 10.60.0.2 >/dev/null 2>&1 && { echo "chain still up" >&2; return 1; }
	fi
	t0=$(now)
	ip netns exec "$WORLD_NS" "$BIN/lig-sfc" --sfc-config "$TMP/chain.yaml" \
		--etcd-config "$TMP/etcd-local.conf" >>"$TMP/lig-sfc.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	t1=
	for _ in $(seq 2000); do
		if ip -n podA link show eth0 >/dev/null 2>&1; then
			ip netns exec podA ethtool -K eth0 tso off gso off >/dev/null 2>&1
			if ip netns exec podA ping -c 1 -W 0.005 10.60.0.2 >/dev/null 2>&1; then
				t1=$(now)
				break
			fi
		else
			sleep 0.005
		fi
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -n "$t1" ] && awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
if [[ " $PHASES " == *" wire "* ]]; then
	if [ ! -x "$BIN/lig-sfc" ]; then
		echo "wiring time: skipped (no $BIN/lig-sfc)"
	else
		sed "s#/tmp/lig-sfc-world/memif#$MD#" "$(dirname "$0")/../examples/sfc/chain-one-node.yaml" >"$TMP/chain.yaml"
		W1=()
		W2=()
		for r in $(seq "$ROUNDS"); do
			a=$(wire_run 1)
			b=$(wire_run 0)
			echo "round $r: empty store ${a:-?} s, keys already there ${b:-?} s"
			W1+=("${a:-}")
			W2+=("${b:-}")
		done
		echo
		echo "| lig-sfc start to first ping through 3 CNFs | min / median / max (s) |"
		echo "|---|---|"
		echo "| empty store (everything rendered, written, configured) | $(stats "${W1[@]}" | sed 's# # / #g') |"
		echo "| keys already in etcd (lig-sfc restart) | $(stats "${W2[@]}" | sed 's# # / #g') |"
		echo
	fi
fi

# ---- 2. chain throughput: memif direct vs via the vswitch ----
IF=vpp/v2/interfaces
XC=vpp/l2/v2/xconnect
put() { ETCD put "/vnf-agent/$1/config/$2" "$3" >/dev/null; }
memif() { # LABEL NAME MASTER ID SOCKET
	put "$1" "$IF/$2" '{"name":"'"$2"'","type":"MEMIF","enabled":true,"mtu":9000,"memif":{"master":'"$3"',"id":'"$4"',"socket_filename":"'"$MD/$5"'"}}'
}
xc() { # LABEL A B (both ways)
	put "$1" "$XC/$2" '{"receive_interface":"'"$2"'","transmit_interface":"'"$3"'"}'
	put "$1" "$XC/$3" '{"receive_interface":"'"$3"'","transmit_interface":"'"$2"'"}'
}
wire_chain() { # direct|vswitch
	ETCD del --prefix /vnf-agent/ >/dev/null
	for _ in $(seq 200); do
		[ -z "$(for n in node1 vnf1 vnf2 vnf3; do CTL $n api dump sw_interface_dump | grep -v '"tag":""'; done)" ] && break
		sleep 0.05
	done
	memif node1 gen-in true 100 gen.sock
	memif node1 gen-out true 101 gen.sock
	if [ "$1" = direct ]; then
		memif node1 memif-vnf1-port1 true 1 node1.sock
		memif node1 memif-vnf3-port2 true 2 node1.sock
		xc node1 gen-in memif-vnf1-port1
		xc node1 memif-vnf3-port2 gen-out
		memif vnf1 port1 false 1 node1.sock
		memif vnf1 port2 true 1 vnf1-vnf2.sock
		memif vnf2 port1 false 1 vnf1-vnf2.sock
		memif vnf2 port2 true 1 vnf2-vnf3.sock
		memif vnf3 port1 false 1 vnf2-vnf3.sock
		memif vnf3 port2 false 2 node1.sock
	else
		local i=1 v
		for v in vnf1 vnf2 vnf3; do
			memif node1 "memif-$v-port1" true $i node1.sock
			memif node1 "memif-$v-port2" true $((i + 1)) node1.sock
			memif $v port1 false $i node1.sock
			memif $v port2 false $((i + 1)) node1.sock
			i=$((i + 2))
		done
		xc node1 gen-in memif-vnf1-port1
		xc node1 memif-vnf1-port2 memif-vnf2-port1
		xc node1 memif-vnf2-port2 memif-vnf3-port1
		xc node1 memif-vnf3-port2 gen-out
	fi
	for v in vnf1 vnf2 vnf3; do xc $v port1 port2; done
	# every memif between the ligds up (the generator's two wait for it)
	local want=$([ "$1" = direct ] && echo 8 || echo 12)
	for _ in $(seq 200); do
		[ "$(for n in node1 vnf1 vnf2 vnf3; do CTL $n api dump sw_interface_dump | grep '"device_class":"memif"' | grep -c '"link_up":true'; done | awk '{ s += $1 } END { print s }')" -ge "$want" ] && return 0
		sleep 0.05
	done
	echo "chain $1 did not come up" >&2
	return 1
}
gen() { # SIZE: Mpps at the sink
	"$BIN/lig-memif-gen" -s "$MD/gen.sock" -i 100 -S "$MD/gen.sock" -I 101 -l "$1" -t "$SECS" \
		-d 0.5 -q 2>>"$TMP/gen.err" | awk '{ if ($2 > $1) print "sink counted more than sent" > "/dev/stderr"; printf "%.3f %.1f\n", $5 / 1e6, $6 }'
}
if [[ " $PHASES " == *" tput "* ]]; then
	declare -A R L
	for s in $SIZES; do
		for r in $(seq "$ROUNDS"); do
			line="size $s round $r:"
			for m in direct vswitch; do
				wire_chain $m || exit 1
				read -r mpps loss <<<"$(gen "$s")"
				R[$m,$s]+=" ${mpps:-0}"
				L[$m,$s]+=" ${loss:-100}"
				line+=" $m ${mpps:-?} Mpps (loss ${loss:-?} %),"
			done
			echo "$line"
		done
	done
	echo
	echo "3-CNF chain on one node, $ROUNDS interleaved rounds of $SECS s, Mpps at the sink, min / median / max:"
	echo
	echo "| frame | memif direct | via vswitch | direct / vswitch (median) | direct Gbit/s (median) | loss % direct / vswitch (median) |"
	echo "|---|---|---|---|---|---|"
	for s in $SIZES; do
		read -r d0 d1 d2 <<<"$(stats ${R[direct,$s]})"
		read -r v0 v1 v2 <<<"$(stats ${R[vswitch,$s]})"
		read -r _ ld _ <<<"$(stats ${L[direct,$s]})"
		read -r _ lv _ <<<"$(stats ${L[vswitch,$s]})"
		ratio=$(awk -v a="$d1" -v b="$v1" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		gbps=$(awk -v m="$d1" -v s="$s" 'BEGIN { printf "%.2f", m * s * 8 / 1000 }')
		echo "| $s | $d0 / $d1 / $d2 | $v0 / $v1 / $v2 | $ratio | $gbps | $ld / $lv |"
	done
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

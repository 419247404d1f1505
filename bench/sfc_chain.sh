#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc chains on one node, in the world of examples/sfc/world.sh (node1 = vswitch ligd +
# lig-agent, vnf1..vnf3 = vppcontainer CNFs with their own ligd + lig-agent, memifs in one
# directory). Not part of make test.
#
# 1. Wiring time (needs lig-sfc): a 3-CNF chain podA -> vnf1 -> vnf2 -> vnf3 -> podB
#    (examples/sfc/chain-one-node.yaml: memif direct between the CNFs, veth/af_packet pods on the
#    vswitch): the time from starting `lig-sfc --sfc-config FILE` on an empty store to the first
#    ping podA -> podB answered, and from the moment the watched file gains the service under a
#    running lig-sfc to that ping: a ping every 5 ms from podA as soon as its eth0 exists, with
#    static neighbours in both pods (the kernel's ARP retry, 1 s after a request lost while the
#    chain was still being wired, is not the chain's time), the first reply's own timestamp
#    (ping -D). The world returns to empty between runs. ROUNDS rounds.
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

stats() { # values... -> "min median max" (empty values: runs that failed, left out)
	printf '%s\n' "$@" | grep . | sort -g | awk '{ v[NR] = $1 } END {
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
# ---- 1. wiring time through lig-sfc ----
# clean: no lig-sfc, no agent keys, every ligd back to no configured interface
clean() {
	local pid
	if [ -f "$TMP/sfc.pid" ]; then # (runs are in $(...) subshells: the PID goes through a file)
		pid=$(cat "$TMP/sfc.pid")
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		rm -f "$TMP/sfc.pid"
	fi
	ETCD del --prefix /vnf-agent/ >/dev/null
	ETCD del --prefix /sfc-controller/ >/dev/null
	for _ in $(seq 200); do
		[ -z "$(for n in node1 vnf1 vnf2 vnf3; do CTL $n api dump sw_interface_dump | grep -v '"tag":""'; done)" ] &&
			! ip -n podA link show eth0 >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "world did not return to empty" >&2
	return 1
}
start_sfc() { # FILE
	ip netns exec "$WORLD_NS" "$BIN/lig-sfc" --sfc-config "$1" --etcd-config "$TMP/etcd-local.conf" \
		--state-dir "$TMP/state-lig-sfc" >>"$TMP/lig-sfc.log" 2>&1 &
	echo $! >"$TMP/sfc.pid"
	echo $! >>"$TMP/pids" # world.sh stop ends it too
}
first_ping() { # T0: prints seconds from T0 to the first answered ping podA -> podB
	local t1='' ma mb
	for _ in $(seq 1000); do
		if [ -z "${mb:-}" ]; then
			# Both pods' eth0 made: static neighbours both ways (their MACs are lig-sfc's), so
			# the figure is the chain's and not the kernel's ARP retry (1 s after a lost request).
			# (awk, not python: on a loaded host python's start-up alone took 0.2-0.5 s)
			ma=$(ip -n podA -o link show eth0 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }')
			mb=$(ip -n podB -o link show eth0 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }')
			if [ -n "$ma" ] && [ -n "$mb" ] && ip -n podA addr show eth0 2>/dev/null | grep -q 10.60.0.1/; then
				ip -n podA neigh replace 10.60.0.2 lladdr "$mb" dev eth0 nud permanent 2>/dev/null &&
					ip -n podB neigh replace 10.60.0.1 lladdr "$ma" dev eth0 nud permanent 2>/dev/null || mb=
			else
				mb=
				sleep 0.005
				continue
			fi
		fi
		# A probe every 5 ms, each reply stamped by ping (-D): the first one is the figure.
		ip netns exec podA ping -D -n -i 0.005 -W 1 -w 20 10.60.0.2 >"$TMP/probe.txt" 2>&1 &
		local p=$!
		for _ in $(seq 2000); do
			t1=$(sed -n 's/^\[\([0-9.]*\)\] [0-9]* bytes from.*/\1/p' "$TMP/probe.txt" | head -1)
			[ -n "$t1" ] && break
			kill -0 $p 2>/dev/null || break
			sleep 0.01
		done
		kill $p 2>/dev/null
		wait $p 2>/dev/null
		[ -n "$t1" ] && break # else ping gave up (e.g. no route yet): again
		sleep 0.005
	done
	[ -n "$t1" ] && awk -v a="$1" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
wire_cold() { # lig-sfc started on the chain file, nothing in the store
	local t0
	clean || return 1
	for v in vnf1 vnf2 vnf3; do xc $v port1 port2; done # the CNFs' own part, there before
	t0=$(now)
	start_sfc "$TMP/chain.yaml"
	first_ping "$t0"
	breakdown "$t0" >>"$TMP/breakdown.txt"
}
# breakdown T0: where a cold run's time went, from the logs: lig-sfc's first render written
# (its log line), the first and the last memif connected (ligd logs).
breakdown() {
	python3 - "$1" "$TMP" <<'EOF'
import glob, re, sys, datetime
t0, d = float(sys.argv[1]), sys.argv[2]
day = datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
def hms(l):
    m = re.match(r"(\d\d):(\d\d):(\d\d\.\d+) ", l)
    return day + int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else None
render = [hms(l) for l in open(d + "/lig-sfc.log") if " render " in l and hms(l)]
render = [t for t in render if t >= t0]
conn = []
for f in glob.glob(d + "/*.ligd.log"):
    for l in open(f):
        m = re.match(r"(\d+\.\d+) notice memif: .*: connected", l)
        if m and float(m.group(1)) >= t0: conn.append(float(m.group(1)))
ms = lambda v: "%4.0f ms" % ((v - t0) * 1000) if v else "-"
print("render written %s, memifs connected: first %s last %s" % (ms(min(render) if render else None), ms(min(conn) if conn else None), ms(max(conn) if conn else None)))
EOF
}
wire_edit() { # lig-sfc running on a file without the service; the file replaced by the chain
	local t0
	clean || return 1
	for v in vnf1 vnf2 vnf3; do xc $v port1 port2; done
	cp "$TMP/empty.yaml" "$TMP/cfg/sfc.yaml"
	start_sfc "$TMP/cfg/sfc.yaml"
	for _ in $(seq 100); do ip netns exec "$WORLD_NS" curl -sf http://127.0.0.1:9191/sfc-controller >/dev/null && break; sleep 0.05; done
	sleep 0.5
	cp "$TMP/chain.yaml" "$TMP/cfg/sfc.yaml.tmp"
	t0=$(now)
	mv "$TMP/cfg/sfc.yaml.tmp" "$TMP/cfg/sfc.yaml"
	first_ping "$t0"
}
if [[ " $PHASES " == *" wire "* ]]; then
	if [ ! -x "$BIN/lig-sfc" ]; then
		echo "wiring time: skipped (no $BIN/lig-sfc)"
	else
		mkdir -p "$TMP/cfg"
		sed "s#/tmp/lig-sfc-world/memif#$MD#" "$(dirname "$0")/../examples/sfc/chain-one-node.yaml" >"$TMP/chain.yaml"
		python3 - "$TMP/chain.yaml" "$TMP/empty.yaml" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
d.pop("network_services"); d.pop("network_pod_to_node_map")
yaml.safe_dump(d, open(sys.argv[2], "w"), sort_keys=False)
EOF
		W1=()
		W2=()
		for r in $(seq "$ROUNDS"); do
			a=$(wire_cold)
			b=$(wire_edit)
			echo "round $r: lig-sfc started ${a:-?} s, file edited under a running lig-sfc ${b:-?} s"
			W1+=("${a:-}")
			W2+=("${b:-}")
		done
		clean
		echo
		echo "cold runs, from lig-sfc's start:"
		sed 's/^/  /' "$TMP/breakdown.txt"
		echo
		echo "| 3-CNF chain on one node, to the first ping podA -> podB | min / median / max (s) |"
		echo "|---|---|"
		echo "| from starting lig-sfc --sfc-config on the file (empty store) | $(stats "${W1[@]}" | sed 's# # / #g') |"
		echo "| from the file's change under a running lig-sfc | $(stats "${W2[@]}" | sed 's# # / #g') |"
		echo
	fi
fi

# ---- 2. chain throughput: memif direct vs via the vswitch ----
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

# SPDX-License-Identifier: Apache-2.0
# Helpers for the lig-sfc world tests (examples/sfc/world.sh). Use:
#   . lib.sh; . sfc_lib.sh; sfc_unshare "$@"; lig_test_init "$1"; sfc_need; sfc_world_start SPEC...
# sfc_unshare re-runs the test in a mount namespace of its own with an empty /run/netns: the
# world's namespaces are named as the nodes and pods of the YAML (node1, vnf1, ...), as
# sfc-controller's pods are, without clashing with anything else on the host, and they vanish
# with the test's last process whatever happens.
#   sfc_world_start LINE...   the world of these spec lines ("node n1", "pod p nonvppcontainer n1")
#                             in $LIG_TMP (logs there; WORLD_* variables set; PIDs for cleanup)
#   sfc_etcdctl ARGS...       etcdctl against the world's etcd
#   sfc_put LABEL KEY JSON    /vnf-agent/LABEL/config/KEY;   sfc_del LABEL KEY
#   sfc_status NS             the agent of NS: GET /scheduler/status
#   sfc_state NS KEY          state of KEY (full or relative to /vnf-agent/NS/config/) (NONE)
#   sfc_wait_state NS KEY STATE [TRIES]   0.1 s steps, default 100
#   sfc_ctl NAME CMD...       ligctl on the ligd of node/pod NAME
#   sfc_counters NAME         "tag rx_packets tx_packets drops" per tagged interface of NAME's ligd
SFC_WORLD_SH=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../examples/sfc" && pwd)/world.sh

sfc_unshare() {
	if [ -z "${SFC_UNSHARED:-}" ]; then
		command -v unshare >/dev/null || { echo "SKIP: unshare missing"; exit 0; }
		SFC_UNSHARED=1 exec unshare -m --propagation private bash "$0" "$@"
	fi
	mkdir -p /run/netns
	mount -t tmpfs -o size=1m,mode=755 sfc-netns /run/netns || { echo "cannot mount /run/netns"; exit 1; }
}

sfc_need() {
	local t
	for t in etcd etcdctl curl python3; do
		command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 0; }
	done
	[ -x "$LIG_BIN/lig-agent" ] || { echo "SKIP: lig-agent missing"; exit 0; }
}

sfc_world_start() {
	local l pid ns
	for l in "$@"; do echo "$l"; done >"$LIG_TMP/world.spec"
	if ! "$SFC_WORLD_SH" start -d "$LIG_TMP" -b "$LIG_BIN" -s "$LIG_TMP/world.spec" >"$LIG_TMP/world-start.txt" 2>&1; then
		cat "$LIG_TMP/world-start.txt"
		return 1
	fi
	# shellcheck disable=SC1091
	. "$LIG_TMP/world.env"
	while read -r pid; do LIG_PIDS+=("$pid"); done <"$LIG_TMP/pids"
	while read -r ns; do LIG_NETNS+=("$ns"); done <"$LIG_TMP/netns"
}

sfc_etcdctl() { ip netns exec "$WORLD_NS" etcdctl --endpoints "$WORLD_ETCD" "$@"; }
sfc_put() { sfc_etcdctl put "/vnf-agent/$1/config/$2" "$3" >/dev/null; }
sfc_del() { sfc_etcdctl del "/vnf-agent/$1/config/$2" >/dev/null; }
sfc_status() { ip netns exec "$1" curl -sf "http://127.0.0.1:$WORLD_AGENT_PORT/scheduler/status"; }
sfc_state() {
	local k=$2
	[[ "$k" == /* ]] || k="/vnf-agent/$1/config/$k"
	sfc_status "$1" | python3 -c 'import json,sys; k=sys.argv[1]; print(next((v["state"] for v in json.load(sys.stdin) if v["key"]==k), "NONE"))' "$k"
}
sfc_wait_state() {
	for _ in $(seq "${4:-100}"); do [ "$(sfc_state "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
	echo "$1: $2: $(sfc_state "$1" "$2"), wanted $3"
	sfc_status "$1" | python3 -c 'import json,sys
for v in json.load(sys.stdin):
    if v["state"] not in ("CONFIGURED","OBTAINED"): print(" ", v["state"], v["key"], v.get("details"))'
	return 1
}
sfc_ctl() {
	local n=$1
	shift
	"$LIG_BIN/ligctl" -s "$LIG_TMP/$n.sock" "$@"
}
sfc_counters() {
	sfc_ctl "$1" api dump sw_interface_dump | python3 -c '
import json,sys
for l in sys.stdin:
    l=l.strip()
    if not l.startswith("{"): continue
    i=json.loads(l)
    print(i["tag"] or i["name"], i["rx_packets"], i["tx_packets"], i["drops"])'
}

# sfc_snap FILE NAME...: "name tag rx tx drops" of every interface of these ligds.
sfc_snap() {
	local f=$1 n
	shift
	for n in "$@"; do sfc_counters "$n" | sed "s/^/$n /"; done >"$f"
}
# sfc_in_order BEFORE AFTER MIN PATH: PATH is "name tag-regex rx|tx" hops separated by '|' (the
# regex must match exactly one interface tag of that ligd, whole). Every hop counted at least
# MIN packets between the two snapshots, and none more than the hop before it (+2: a stray
# packet between two reads): nothing appears mid-path. Prints the hops with their counts.
sfc_in_order() {
	python3 - "$1" "$2" "$3" "$4" <<'PYEOF'
import re, sys
def load(p):
    d = {}
    for l in open(p):
        n, tag, rx, tx, drops = l.split()
        d.setdefault(n, {})[tag] = (int(rx), int(tx))
    return d
a, b, least = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
prev, ok = None, True
for hop in sys.argv[4].split("|"):
    n, pat, d = hop.split()
    tags = [t for t in b.get(n, {}) if re.fullmatch(pat, t)]
    if len(tags) != 1:
        print("%-44s matches %s" % (hop, tags or "nothing")); ok = False; prev = None; continue
    t, i = tags[0], (0 if d == "rx" else 1)
    delta = b[n][t][i] - a.get(n, {}).get(t, (0, 0))[i]
    bad = delta < least or (prev is not None and delta > prev + 2)
    print("%-12s %-44s %s %7d%s" % (n, t, d, delta, "  <-- wrong" if bad else ""))
    ok = ok and not bad
    prev = delta
sys.exit(0 if ok else 1)
PYEOF
}

# sfc_vping FROM DST: FROM's ligd pings DST (ARP included), up to 30 tries of 3 pings.
sfc_vping() {
	local out
	for _ in $(seq 30); do
		out=$(sfc_ctl "$1" ping "$2" repeat 3 interval 20)
		[[ "$out" == *" 0% packet loss"* ]] && return 0
		sleep 0.2
	done
	echo "$out"
	return 1
}

# sfc_ping20_hops FROM DST "NAMES" PATHF PATHB WHAT-F WHAT-B: FROM's ligd pings DST 20 times;
# every hop of PATHF (requests) and PATHB (replies), sfc_in_order paths over the ligds NAMES,
# must count all 20 in order: two checks, WHAT-F and WHAT-B.
sfc_ping20_hops() {
	local from=$1 dst=$2 names=$3 pathf=$4 pathb=$5
	# shellcheck disable=SC2086
	sfc_snap "$LIG_TMP/c0.txt" $names
	sfc_ctl "$from" ping "$dst" repeat 20 interval 10 >"$LIG_TMP/ping20.txt"
	# ligd's ping matches a reply only within its own interval (10 ms here) and counts a
	# later one as lost: on a loaded 2-CPU host the round trip through five ligds took longer
	# now and then ("17 of 20 answered") while every hop, the pinger's own port included,
	# counted all 20 requests and all 20 replies. Whether each request was answered is what
	# the hop counters say; ping's own figure is logged, a timing.
	lig_log "ligd ping $from: $(grep Statistics "$LIG_TMP/ping20.txt") (replies after its 10 ms wait count as lost)"
	# The last replies may still be on their way when ping returns: the snapshot is taken once
	# the pinger's own port has counted 20 replies (the last hop of PATHB), 3 s at most.
	for _ in $(seq 30); do
		# shellcheck disable=SC2086
		sfc_snap "$LIG_TMP/c1.txt" $names
		sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$pathb" >/dev/null && break
		sleep 0.1
	done
	lig_check "$6" sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$pathf"
	lig_check "$7" sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$pathb"
	sfc_in_order "$LIG_TMP/c0.txt" "$LIG_TMP/c1.txt" 20 "$pathf" | sed 's/^/    /'
}

# sfc_world_yaml FILE: the world of a YAML file (lig-sfc --print-world).
sfc_world_yaml() {
	"$LIG_BIN/lig-sfc" --print-world "$1" >"$LIG_TMP/world.spec.in" || return 1
	mapfile -t _lines <"$LIG_TMP/world.spec.in"
	sfc_world_start "${_lines[@]}"
}
# sfc_yaml SRC DST: a copy of an example file with the world's memif directory.
sfc_yaml() { sed "s#/tmp/lig-sfc-world/memif#$WORLD_MEMIF_DIR#; s#\"/run/vpp\"#\"$WORLD_MEMIF_DIR\"#" "$1" >"$2"; }
# sfc_start FILE [ARGS]: lig-sfc in the world namespace on FILE against the world's etcd,
# REST on 127.0.0.1:9191 there; SFC_PID set.
SFC_PID=
sfc_start() {
	local f=$1
	shift
	ip netns exec "$WORLD_NS" "$LIG_BIN/lig-sfc" --sfc-config "$f" --etcd-config "$LIG_TMP/etcd-local.conf" \
		--state-dir "$LIG_TMP/state-lig-sfc" "$@" >>"$LIG_TMP/lig-sfc.log" 2>&1 &
	SFC_PID=$!
	LIG_PIDS+=("$SFC_PID")
	for _ in $(seq 100); do
		sfc_rest /sfc-controller >/dev/null && return 0
		kill -0 "$SFC_PID" 2>/dev/null || break
		sleep 0.05
	done
	if grep -q "built without the renderer" "$LIG_TMP/lig-sfc.log"; then
		echo "SKIP: lig-sfc was built without its renderer (sfc/render)"
		exit 0
	fi
	echo "lig-sfc did not start"; cat "$LIG_TMP/lig-sfc.log"; return 1
}
sfc_rest() { ip netns exec "$WORLD_NS" curl -sf "http://127.0.0.1:9191$1"; }
# sfc_keys [PREFIX]: "key" lines of the agent keys in etcd (default every /vnf-agent/ key).
sfc_keys() { sfc_etcdctl get --prefix "${1:-/vnf-agent/}" --keys-only | grep -v '^$'; }
# sfc_all_configured [SECONDS]: every agent key in etcd is CONFIGURED in its agent (label = the
# namespace) within SECONDS (default 10); prints the others. Keys matching the regex in
# SFC_PENDING_OK (when set) may be PENDING instead.
sfc_all_configured() {
	local end=$((SECONDS + ${1:-10})) l bad
	while :; do
		bad=
		sfc_keys | grep '/config/' >"$LIG_TMP/keys.txt"
		for l in $(cut -d/ -f3 "$LIG_TMP/keys.txt" | sort -u); do
			sfc_status "$l" >"$LIG_TMP/status-$l.json" 2>/dev/null || { bad+=" $l:no-agent"; continue; }
			bad+=$(python3 - "$LIG_TMP/status-$l.json" "$LIG_TMP/keys.txt" "$l" "${SFC_PENDING_OK:-}" <<'PYEOF'
import json, re, sys
st = {v["key"]: v for v in json.load(open(sys.argv[1]))}
ok_pending = sys.argv[4]
for k in open(sys.argv[2]):
    k = k.strip()
    if k.split("/")[2] != sys.argv[3]: continue
    v = st.get(k)
    if v and v["state"] == "CONFIGURED": continue
    if v and v["state"] == "PENDING" and ok_pending and re.search(ok_pending, k): continue
    print(" %s:%s%s" % (k, v["state"] if v else "NONE", (":" + str(v.get("details"))) if v else ""), end="")
PYEOF
)
		done
		[ -z "$bad" ] && [ -s "$LIG_TMP/keys.txt" ] && return 0
		[ $SECONDS -ge $end ] && break
		sleep 0.2
	done
	echo "$(wc -l <"$LIG_TMP/keys.txt") keys; not CONFIGURED:"
	echo "$bad" | tr ' ' '\n'
	return 1
}
# sfc_ping NS DST [TRIES]: one answered ping within TRIES * 0.1 s (default 100).
sfc_ping() {
	for _ in $(seq "${3:-100}"); do ip netns exec "$1" ping -c 1 -W 0.5 "$2" >/dev/null 2>&1 && return 0; sleep 0.1; done
	ip netns exec "$1" ping -c 1 -W 1 "$2"
}
# sfc_iperf FROM TO-NS TO-IP: an iperf3 TCP stream of 2 s; prints bytes, Mbit/s, retransmits.
sfc_iperf() {
	lig_iperf_server "$2" "$3" || return 1
	ip netns exec "$1" timeout 10 iperf3 -c "$3" -p 5201 -t 2 -J >"$LIG_TMP/iperf.json" 2>&1
	wait "$LIG_IPERF_PID"
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); e=j["end"]; b=e["sum_received"]["bytes"]; print(b, "bytes,", round(e["sum_received"]["bits_per_second"]/1e6), "Mbit/s,", e["sum_sent"].get("retransmits"), "retransmits"); sys.exit(0 if b > 1000000 else 1)' "$LIG_TMP/iperf.json" || { tail -5 "$LIG_TMP/iperf.json"; return 1; }
}
# sfc_oper TYPE NAME: the oper_status lig-sfc published for an object (network-service/<name>,
# network-node/<name>) in the store, "none" when there is none.
sfc_oper() {
	sfc_etcdctl get "/sfc-controller/v2/status/$1/$2" --print-value-only |
		python3 -c 'import json,sys; t=sys.stdin.read().strip(); print(json.loads(t).get("oper_status") if t else "none")'
}
# sfc_wait_oper TYPE NAME STATE: within 5 s
sfc_wait_oper() {
	for _ in $(seq 50); do [ "$(sfc_oper "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
	echo "$1/$2: $(sfc_oper "$1" "$2"), wanted $3"
	sfc_etcdctl get "/sfc-controller/v2/status/$1/$2" --print-value-only
	return 1
}
# sfc_ligd_ping_ok FILE MIN: a ligd ping's output (Statistics: N sent, M received) has M >= MIN
# (ligd's ping counts a reply that comes after its wait as lost, which a loaded 2-CPU host
# does now and then).
sfc_ligd_ping_ok() {
	local r
	r=$(sed -n 's/^Statistics: [0-9]* sent, \([0-9]*\) received.*/\1/p' "$1")
	grep Statistics "$1"
	[ "${r:-0}" -ge "$2" ]
}

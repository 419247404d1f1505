#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The barrier's first-time and rare pauses, two ligd builds in interleaved rounds (A, B,
# A, B, ...; not part of make test). Each run is a fresh ligd (main on CPU 0, 1 worker on
# CPU 1, no traffic, so a stop is ligd's own work and not a wait for the worker):
#   1. bench/pod_config.cli three times (the first pass meets every first-time cost:
#      page faults, tables built on first use); per kind of change, the longest
#      forwarding stop over the three passes (show threads);
#   2. NEIGHBOURS neighbours learned on an af_packet interface and one on a tap (both into
#      a namespace this script makes), the ARP age set to 2 s: for SECS seconds the ARP
#      timer refreshes them; its stops (min / median / max).
# Prints, per run, the kinds whose longest stop reached SHOW_US (40) µs, and the ARP
# timer's line; then per build and kind the largest of the runs' maxima.
# Usage: [ROUNDS=2] [NEIGHBOURS=20] [SHOW_US=40] bench/barrier_rare.sh <bin-dir-A> [<bin-dir-B>] [seconds (8)]  (root)
set -u
HERE=$(dirname "$0")
. "$HERE/memif_bench_lib.sh"
bench_ab_bins "$@" || exit 1
SECS=${AB_SECS:-8}
ROUNDS=${ROUNDS:-2}
NEIGHBOURS=${NEIGHBOURS:-20}
SHOW_US=${SHOW_US:-40}
bench_init ligrare
NS=ligrare$$
VETH=lrr$$
bench_ns_veth "$NS" "$VETH" || exit 1
ip -n "$NS" link set "${VETH}p" up
for i in $(seq 2 $((NEIGHBOURS + 1))); do ip -n "$NS" addr add "10.77.0.$i/24" dev "${VETH}p"; done
sed "s/@NS@/$NS/g; s/@VETH@/$VETH/g" "$HERE/pod_config.cli" >"$TMP/pod.cli"
printf 'cpu {\n  main-core 0\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"

# stops_by_kind: "kind<TAB>max stop" per line of show threads' kinds.
stops_by_kind() {
	CTL show threads | sed -n '/by kind of change/,/^rcu/p' | grep ' stop ' |
		sed -E 's/^ +//; s/ +[0-9]+ +pause .* stop [0-9]+\/[0-9]+\/([0-9]+)$/\t\1/'
}

# run_one <bin-dir> <label>: one fresh ligd, both parts; appends "label<TAB>kind<TAB>max".
run_one() {
	local bin=$1 label=$2 ligd
	CTL() { "$bin/ligctl" -s "$TMP/cli.sock" "$@"; }
	rm -f "$TMP/cli.sock"
	"$bin/ligd" -c "$TMP/cpu.conf" -s "$TMP/cli.sock" -b 16384 >"$TMP/ligd.log" 2>&1 &
	ligd=$!
	PIDS+=("$ligd")
	bench_wait_cli || { echo "$label: ligd did not start" >&2; return 1; }
	CTL create loopback interface instance 1 >/dev/null
	CTL set interface state loop1 up
	CTL nat44 plugin enable >/dev/null
	for _ in 1 2 3; do
		CTL exec "$TMP/pod.cli" >"$TMP/pod.out" 2>&1 ||
			{ echo "$label: pod_config.cli failed:" >&2; grep -iE 'failed|error' "$TMP/pod.out" >&2; }
	done
	stops_by_kind | sed "s/^/$label\t/" >>"$TMP/kinds.txt"
	echo "$label, pod configuration three times, kinds with a stop of $SHOW_US us or more:"
	stops_by_kind | awk -F'\t' -v t="$SHOW_US" '$2 >= t { printf "    %-40s %s us\n", $1, $2 }'
	# The ARP timer refreshing learned neighbours.
	CTL create host-interface name "$VETH" >/dev/null
	CTL set interface state "host-$VETH" up
	CTL set interface ip address "host-$VETH" 10.77.0.1/24
	CTL create tap id 3 host-ns "$NS" host-ip4-addr 10.78.0.2/24 >/dev/null
	CTL set interface state tap3 up
	CTL set interface ip address tap3 10.78.0.1/24
	for i in $(seq 2 $((NEIGHBOURS + 1))); do CTL ping "10.77.0.$i" repeat 1 >/dev/null; done
	CTL ping 10.78.0.2 repeat 1 >/dev/null
	echo "    neighbours learned: $(CTL show ip neighbors | grep -c ' D ')"
	CTL set ip neighbor-config age 2
	CTL clear threads
	sleep "$SECS"
	echo "    ARP timer: $(CTL show threads | grep -E '^ +arp timer' | sed -E 's/^ +arp timer +//')"
	CTL show threads | grep -E '^ +arp timer' | sed -E "s/^ +(arp timer) +[0-9]+ +pause .* stop [0-9]+\/[0-9]+\/([0-9]+)$/$label\t\1 (refresh)\t\2/" >>"$TMP/kinds.txt"
	kill "$ligd"
	wait "$ligd" 2>/dev/null
}

echo "A = $A, B = $B; $ROUNDS rounds, $NEIGHBOURS neighbours, ARP timer watched for $SECS s"
: >"$TMP/kinds.txt"
for r in $(seq 1 "$ROUNDS"); do
	run_one "$A" A
	run_one "$B" B
done
echo
echo "Longest forwarding stop per kind over all runs, us (A / B), where either reached $SHOW_US:"
# A kind one build never had (a name that changed) shows as "-".
awk -F'\t' -v t="$SHOW_US" '{
		k = $2; if (!(($1, k) in m) || $3 > m[$1, k]) m[$1, k] = $3; kinds[k] = 1 }
	END { for (k in kinds) if (m["A", k] + 0 >= t || m["B", k] + 0 >= t)
		printf "    %-40s %6s / %s\n", k, (("A", k) in m) ? m["A", k] : "-",
			(("B", k) in m) ? m["B", k] : "-" }' "$TMP/kinds.txt" | sort

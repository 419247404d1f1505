# SPDX-License-Identifier: Apache-2.0
# Sourced by the memif benchmarks (memif_workers, memif_xconnect, memif_zc, memif_ab,
# memif_cpu_share, barrier_kinds, barrier_rare; l2_nodes for its arguments): a scratch
# directory and the processes a script started, cleaned up at exit by PID; the A/B
# scripts' arguments; waiting for ligd's CLI; two master memifs joined by xconnect or a
# bridge; a testpmd io forwarder between two memif servers.
# Each script defines CTL (its ligctl with the socket in $TMP) before calling these.

# bench_init <name>: TMP (removed at exit), PIDS (killed at exit, append every process
# started), DPDK_PREFIX (a testpmd --file-prefix whose runtime directory goes too).
bench_init() {
	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	DPDK_PREFIX=$1$$
	PIDS=()
	trap bench_cleanup EXIT
}

bench_cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TMP" "/var/run/dpdk/$DPDK_PREFIX"
}

# bench_ab_bins <args...>: the A/B benchmarks' arguments, <bin-dir-A> [<bin-dir-B>]
# [seconds]. One bin dir (as bench/run-all.sh passes it, maybe with seconds) is the build
# against itself, which shows the host's noise between the pairs. Sets A and B (absolute)
# and AB_SECS (the seconds given, or empty); fails for a missing directory.
bench_ab_bins() {
	if [ $# -ge 2 ] && [ ! -d "$2" ]; then set -- "$1" "$1" "$2"; fi
	A=$(cd "${1:?bin dir A}" && pwd) || return 1
	B=$(cd "${2:-$1}" && pwd) || return 1
	AB_SECS=${3:-}
}

# bench_testpmd_forward <seconds>: testpmd's input for bench_testpmd_start: forward from
# 1 s on for <seconds> + 3 s, then quit.
bench_testpmd_forward() {
	sleep 1
	echo "start"
	sleep $(($1 + 3))
	echo "stop"
	echo "quit"
	sleep 1
}

# bench_testpmd_start <socket> <commands> <EAL args...> -- <testpmd args...>: a fresh
# dpdk-testpmd (nice ${NICE:-0}) with io forwarding between two memif servers, ids 0 and
# 1, on <socket>, 768 MB and 32768 mbufs; <commands> (a command and its arguments, split
# at spaces, e.g. "bench_testpmd_forward 5") writes its interactive input over time. Its
# PID in TP_PID (and PIDS), its output in $TMP/testpmd.log.
bench_testpmd_start() {
	local sock=$1 cmds=$2 eal=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		eal+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	rm -f "$sock"
	$cmds |
		nice -n "${NICE:-0}" dpdk-testpmd --no-huge -m 768 --no-pci --file-prefix "$DPDK_PREFIX" \
			"${eal[@]}" \
			--vdev=net_memif0,role=server,socket="$sock",socket-abstract=no,id=0 \
			--vdev=net_memif1,role=server,socket="$sock",socket-abstract=no,id=1 \
			-- --no-mlockall -i --total-num-mbufs=32768 --forward-mode=io "$@" \
			>"$TMP/testpmd.log" 2>&1 &
	TP_PID=$!
	PIDS+=("$TP_PID")
}

# bench_ns_veth <ns> <veth>: a network namespace of this script's own and a veth pair,
# <veth> here and <veth>p in <ns>; both are removed at exit, after bench_cleanup (so
# call it after bench_init).
bench_ns_veth() {
	ip netns add "$1" || return 1
	ip link add "$2" type veth peer name "${2}p" netns "$1" || { ip netns del "$1"; return 1; }
	BENCH_NS=$1
	BENCH_VETH=$2
	trap 'bench_cleanup; ip link del "$BENCH_VETH" 2>/dev/null; ip netns del "$BENCH_NS" 2>/dev/null' EXIT
}

# bench_stats <values...>: "min median max" ("- - -" for none).
bench_stats() {
	[ $# -eq 0 ] && { echo "- - -"; return; }
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}

# bench_distance <bin-dir>: the two CPUs' round trip in ns now (bench/cpu_pingpong, one
# cache line between CPU 0 and 1; "?" without it): ~60 ns or ~340 ns on this VM, and
# every line a memif ring shares crosses it (docs/PERFORMANCE.md).
bench_distance() {
	if [ -x "$1/cpu_pingpong" ]; then "$1/cpu_pingpong" 0 1 100000 2>/dev/null || echo "?"
	else echo "?"; fi
}

# bench_ok <value>: true when it is a number above 0 (a run that delivered something).
bench_ok() { awk -v v="$1" 'BEGIN { exit !(v + 0 > 0) }'; }

# bench_wait_cli: until ligd answers on CTL (5 s at most).
bench_wait_cli() {
	for _ in $(seq 100); do CTL show version >/dev/null 2>&1 && return 0; sleep 0.05; done
	return 1
}

# bench_memif_pair <xc|bd>: memif0/0 and memif0/1, masters on ligd's default socket,
# polling, MTU 9000, up; joined by an xconnect both ways or in bridge domain 1.
bench_memif_pair() {
	for i in 0 1; do
		CTL create interface memif id $i master >/dev/null
		CTL set interface rx-mode memif0/$i polling
		CTL set interface mtu 9000 memif0/$i
		CTL set interface state memif0/$i up
	done
	if [ "$1" = xc ]; then
		CTL set interface l2 xconnect memif0/0 memif0/1
		CTL set interface l2 xconnect memif0/1 memif0/0
	else
		CTL create bridge-domain 1 >/dev/null
		CTL set interface l2 bridge memif0/0 1
		CTL set interface l2 bridge memif0/1 1
	fi
}

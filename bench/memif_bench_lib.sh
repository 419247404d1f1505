# SPDX-License-Identifier: Apache-2.0
# Sourced by the memif benchmarks (memif_workers, memif_xconnect, memif_zc, memif_ab,
# barrier_kinds): a scratch directory and the processes a script started, cleaned up at
# exit by PID; waiting for ligd's CLI; two master memifs joined by xconnect or a bridge.
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

# bench_stats <values...>: "min median max" ("- - -" for none).
bench_stats() {
	[ $# -eq 0 ] && { echo "- - -"; return; }
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
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

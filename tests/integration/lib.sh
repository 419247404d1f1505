# SPDX-License-Identifier: Apache-2.0
# Shared helpers for integration tests: namespaces, veths and ligd instances that the test
# creates under a unique prefix and removes on exit (also on failure), by name and PID.
# Usage: source lib.sh; lig_test_init <bin-dir>; ... ; lig_test_done
set -u

LIG_BIN=""
LIG_PREFIX="lt$$"          # unique per test run: netns and veth names start with it
LIG_TMP=""
LIG_PIDS=()
LIG_NETNS=()
LIG_LINKS=()
LIG_FAILS=0
LIG_PASSES=0

lig_log() { echo "[$(date +%H:%M:%S)] $*"; }

# lig_sanitizer_reports: prints every ASan/UBSan/LSan report the test's programs left (in
# their sanitizer.<pid> files, or in a log that caught their stderr); returns 1 if any.
lig_sanitizer_reports() {
	local f found=0
	for f in "$LIG_TMP"/sanitizer.*; do
		[ -s "$f" ] || continue
		echo "--- sanitizer report $f"; cat "$f"; found=1
	done
	for f in "$LIG_TMP"/*.log; do
		[ -f "$f" ] || continue
		grep -qE 'ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|runtime error:' "$f" || continue
		echo "--- sanitizer report in $f"; grep -A 30 -E 'ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|runtime error:' "$f"; found=1
	done
	return $found
}

lig_cleanup() {
	local rc=$? pid ns l
	for pid in "${LIG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${LIG_PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	done
	for l in "${LIG_LINKS[@]}"; do ip link del "$l" 2>/dev/null; done
	for ns in "${LIG_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	if [ -n "$LIG_TMP" ] && [ -d "$LIG_TMP" ]; then
		# The programs have exited (leak reports are written at exit): any report fails the test.
		if ! lig_sanitizer_reports; then
			LIG_FAILS=$((LIG_FAILS + 1)); rc=1
			lig_log "FAIL: a sanitizer reported an error (above)"
		fi
		if [ "$LIG_FAILS" -gt 0 ]; then
			for f in "$LIG_TMP"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
		fi
		rm -rf "$LIG_TMP"
	fi
	exit "$rc"
}

lig_test_init() {
	LIG_BIN=$(cd "$1" && pwd)
	LIG_TMP=$(mktemp -d /tmp/ligtest.XXXXXX)
	# For an ASan+UBSan build (LIG_SANITIZE; ignored by other builds): every program the test
	# runs stops at its first error; lig_cleanup fails the test on any report. ASan and LSan
	# write theirs to $LIG_TMP/sanitizer.<pid> whatever stderr was redirected to; GCC's UBSan
	# ignores log_path next to ASan and writes to stderr, which lig_start keeps in
	# $LIG_TMP/<name>.log. Options already in the environment are kept and win.
	export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:log_path=$LIG_TMP/sanitizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$LIG_TMP/sanitizer${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	# ThreadSanitizer (LIG_TSAN builds): every race is written to $LIG_TMP/sanitizer.<pid>,
	# which fails the test the same way; the program keeps running to report them all.
	export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:log_path=$LIG_TMP/sanitizer${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
	# 1 when this ligd is a sanitized build (several times slower): checks of speed, not of
	# correctness, may allow for that.
	LIG_SANITIZED=0
	grep -qa __asan_init "$LIG_BIN/ligd" 2>/dev/null && LIG_SANITIZED=1
	trap lig_cleanup EXIT
	trap 'exit 130' INT TERM
}

# lig_netns <name>: creates netns ${LIG_PREFIX}<name> with lo up and records it for
# cleanup; the full name is left in LIG_NS. (Not echoed: a $(...) caller would record it
# in a subshell and the namespace would outlive the test.)
lig_netns() {
	LIG_NS="${LIG_PREFIX}$1"
	ip netns add "$LIG_NS"
	LIG_NETNS+=("$LIG_NS")
	ip -n "$LIG_NS" link set lo up
}

# lig_host <name> <ip/len> [mac]: a namespace "host" wired by a veth pair: eth0 inside the
# namespace, ${LIG_PREFIX}<name> in the root namespace (for ligd's host-interface).
# Offloads are left as Linux sets them (TSO, GSO, GRO, checksums): ligd's af_packet
# interfaces take partial checksums and TCP super-frames through their virtio-net headers.
lig_host() {
	local name=$1 addr=$2 mac=${3:-}
	lig_netns "$name"
	local ns=$LIG_NS
	local outer="${LIG_PREFIX}${name}"
	ip link add "$outer" type veth peer name eth0 netns "$ns"
	LIG_LINKS+=("$outer")
	[ -n "$mac" ] && ip -n "$ns" link set eth0 address "$mac"
	ip -n "$ns" addr add "$addr" dev eth0
	ip -n "$ns" link set eth0 up
	ip link set "$outer" up
}

# lig_start <name> [extra ligd args...]: starts a ligd with socket $LIG_TMP/<name>.sock in
# the root namespace (or inside netns given by LIG_START_NS), waits until it answers.
# LIG_TEST_WORKERS=N (N > 0) in the environment starts it with N worker threads (a startup
# file with cpu { workers N }, given before the test's own arguments); LIG_TEST_DATA_SIZE=N
# with buffers of N data bytes (buffers { default data-size N }).
lig_start() {
	local name=$1; shift
	local sock="$LIG_TMP/$name.sock"
	if [ "${LIG_TEST_WORKERS:-0}" -gt 0 ]; then
		printf 'cpu {\n  workers %s\n}\n' "$LIG_TEST_WORKERS" >"$LIG_TMP/cpu-workers.conf"
		set -- -c "$LIG_TMP/cpu-workers.conf" "$@"
	fi
	if [ -n "${LIG_TEST_DATA_SIZE:-}" ]; then
		printf 'buffers {\n  default data-size %s\n}\n' "$LIG_TEST_DATA_SIZE" \
			>"$LIG_TMP/buffers.conf"
		set -- -c "$LIG_TMP/buffers.conf" "$@"
	fi
	if [ -n "${LIG_TEST_MEMIF_TX_STORES:-}" ]; then
		printf 'memif {\n  tx-stores %s\n}\n' "$LIG_TEST_MEMIF_TX_STORES" \
			>"$LIG_TMP/memif-stores.conf"
		set -- -c "$LIG_TMP/memif-stores.conf" "$@"
	fi
	if [ -n "${LIG_START_NS:-}" ]; then
		ip netns exec "$LIG_START_NS" "$LIG_BIN/ligd" -s "$sock" "$@" >"$LIG_TMP/$name.log" 2>&1 &
	else
		"$LIG_BIN/ligd" -s "$sock" "$@" >"$LIG_TMP/$name.log" 2>&1 &
	fi
	local pid=$!
	LIG_PIDS+=("$pid")
	eval "LIG_PID_${name}=$pid"
	for _ in $(seq 100); do
		"$LIG_BIN/ligctl" -s "$sock" show version >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "ligd $name did not start:"; cat "$LIG_TMP/$name.log"
	return 1
}

# lig_ctl <name> <command...>: runs one command on ligd <name>, prints its reply.
lig_ctl() {
	local name=$1; shift
	"$LIG_BIN/ligctl" -s "$LIG_TMP/$name.sock" "$@"
}

# lig_check <description> <command...>: runs the command, records pass/fail.
lig_check() {
	local what=$1; shift
	if "$@" >"$LIG_TMP/check.out" 2>&1; then
		LIG_PASSES=$((LIG_PASSES + 1)); lig_log "PASS: $what"
	else
		LIG_FAILS=$((LIG_FAILS + 1)); lig_log "FAIL: $what"; sed 's/^/    /' "$LIG_TMP/check.out"
	fi
}

# lig_ping <netns-name> <dst> [count]: a few pings that must all succeed.
lig_ping() {
	ip netns exec "${LIG_PREFIX}$1" ping -c "${3:-3}" -i 0.2 -W 2 "$2"
}

# lig_wait_listening <netns> <port> <pid> [tcp|udp]: waits (up to 5 s) until a socket in
# netns listens on port (tcp) or is bound to it (udp) while process pid lives; 1 if not.
# Servers started in the background are ready only then: a fixed sleep races them on a
# loaded host.
lig_wait_listening() {
	local ns=$1 port=$2 pid=$3 flags=-ltnH
	[ "${4:-tcp}" = udp ] && flags=-lunH
	for _ in $(seq 100); do
		ip netns exec "$ns" ss $flags "sport = :$port" 2>/dev/null | grep -q . && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "nothing listens on ${4:-tcp} port $port in $ns"
	return 1
}

# lig_iperf_server <netns> <ip> [port]: a one-client iperf3 server (at most 30 s, log in
# $LIG_TMP/iperf-s.log), returning once it listens (1 if it never does), so the client
# neither races its start nor leaves a server waiting for ever. Its PID is in
# LIG_IPERF_PID (and LIG_PIDS).
lig_iperf_server() {
	local ns=$1 ip=$2 port=${3:-5201}
	ip netns exec "$ns" timeout 30 iperf3 -s -1 -B "$ip" -p "$port" >"$LIG_TMP/iperf-s.log" 2>&1 &
	LIG_IPERF_PID=$!
	LIG_PIDS+=("$LIG_IPERF_PID")
	lig_wait_listening "$ns" "$port" "$LIG_IPERF_PID" && return 0
	cat "$LIG_TMP/iperf-s.log"
	return 1
}

# lig_tool_serve <netns> <name> <port>: nat44_tool.py's echo server (TCP and UDP on port,
# answering with its name), returning once both sockets are ready.
lig_tool_serve() {
	local ns=$1 name=$2 port=$3
	ip netns exec "$ns" python3 "$(dirname "${BASH_SOURCE[0]}")/nat44_tool.py" serve "$name" "$port" \
		>/dev/null 2>&1 &
	local pid=$!
	LIG_PIDS+=("$pid")
	lig_wait_listening "$ns" "$port" "$pid" tcp && lig_wait_listening "$ns" "$port" "$pid" udp
}

lig_test_done() {
	echo "$LIG_PASSES passed, $LIG_FAILS failed"
	[ "$LIG_FAILS" -eq 0 ]
}

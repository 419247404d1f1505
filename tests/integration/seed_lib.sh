# SPDX-License-Identifier: Apache-2.0
# Helpers for the two-node seed topology tests, on top of lib.sh: each ligd ("node" or
# CNF) gets its own runtime directory (its CLI socket and default memif.sock live
# there, so instances never share a memif socket) and optionally its own netns.

# seed_start <name> <netns or ""> : starts ligd <name> with socket $LIG_TMP/<name>/cli.sock.
seed_start() {
	local name=$1 ns=$2 dir="$LIG_TMP/$1"
	mkdir -p "$dir"
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$LIG_BIN/ligd" -s "$dir/cli.sock" >"$LIG_TMP/$name.log" 2>&1 &
	else
		"$LIG_BIN/ligd" -s "$dir/cli.sock" >"$LIG_TMP/$name.log" 2>&1 &
	fi
	local pid=$!
	LIG_PIDS+=("$pid")
	eval "SEED_PID_${name}=$pid"
	for _ in $(seq 100); do
		"$LIG_BIN/ligctl" -s "$dir/cli.sock" show version >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "ligd $name did not start:"; cat "$LIG_TMP/$name.log"
	return 1
}

# seed_stop <name>: stops that ligd by its PID and waits for it to exit.
seed_stop() {
	local pid
	eval "pid=\${SEED_PID_$1:-}"
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}

# seed_ctl <name> <command...>
seed_ctl() {
	local name=$1; shift
	"$LIG_BIN/ligctl" -s "$LIG_TMP/$name/cli.sock" "$@"
}

# seed_pod <name> <ip/len> <node-netns>: a pod namespace whose veth's outer end lives in
# the node's namespace (named ${LIG_PREFIX}<name> there), for the node's ligd.
seed_pod() {
	local name=$1 addr=$2 node=$3
	lig_host "$name" "$addr"
	ip link set "${LIG_PREFIX}$name" netns "$node"
	ip -n "$node" link set "${LIG_PREFIX}$name" up
}

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A lig-sfc world on one host: the nodes and pods of an sfc-controller YAML file as network
# namespaces, each node a vswitch ligd + lig-agent (label = node name), each vppcontainer pod its
# own ligd + lig-agent (label = pod name), each nonvppcontainer pod a plain namespace; one etcd;
# an underlay between the nodes; every memif socket in one shared directory.
#
#   world.sh start [-d DIR] [-b BINDIR] [-w WORLD_NS] [-u UNDERLAY] [-f FILE.yaml | -s SPEC]
#   world.sh stop  [-d DIR]          (idempotent: what is left of a world in DIR goes)
#   world.sh exec  [-d DIR] NS CMD... (a command in a namespace of the world)
#   world.sh xconnect [-d DIR] POD PORT1 PORT2  (the CNF's own job: its agent cross-connects
#                                               two of its ports, both ways)
#
# The node and pod list comes from `lig-sfc --print-world FILE.yaml` (-f) or from a SPEC file (-s)
# with the same lines: `node <name>` and `pod <name> <vppcontainer|nonvppcontainer|external>
# <node>` (blank lines and # comments ignored). Namespaces are named as the nodes and pods (an
# sfc-controller pod's Linux namespace is its name: lig-agent reads MICROSERVICE references as
# named namespaces), so a world refuses to start if one of them exists already.
#
# Layout (see README.md):
#   WORLD_NS (default sfc-world): etcd on 10.254.0.1:2379 and 127.0.0.1:2379, bridge br0
#     (10.254.0.1/24): the management network every agent reaches etcd over;
#   each node and vppcontainer pod: mgmt0 (10.254.0.N/24) on br0, ligd (DIR/<name>.sock, API
#     DIR/<name>.api.sock), lig-agent (REST on 127.0.0.1:9191 inside the namespace);
#   each node: the underlay link UNDERLAY (default eth1, MTU 9000, no address: the vswitch ligd
#     takes it as an af_packet interface): a veth between the two nodes, or with more than two
#     nodes a veth to bridge br1 of WORLD_NS;
#   DIR/memif: the memif_directory (give it in the YAML's system_parameters).
# DIR (default /tmp/lig-sfc-world) keeps logs, pids, the etcd data and etcd.conf (for lig-sfc
# and etcdctl inside WORLD_NS). Every process is recorded in DIR/pids and stopped by its PID.
set -u

DIR=/tmp/lig-sfc-world
BIN=
WNS=sfc-world
UL=eth1
YAML=
SPEC=
AGENT_PORT=9191
ETCD_PORT=2379

usage() {
	sed -n '/^#   world.sh/p' "$0" | sed 's/^# *//'
	exit 2
}

die() {
	echo "world: $*" >&2
	exit 1
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
while getopts "d:b:w:u:f:s:" o; do
	case $o in
	d) DIR=$OPTARG ;;
	b) BIN=$OPTARG ;;
	w) WNS=$OPTARG ;;
	u) UL=$OPTARG ;;
	f) YAML=$OPTARG ;;
	s) SPEC=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

# stop: every recorded PID (TERM, then KILL after 5 s), then every recorded namespace.
world_stop() {
	local pid ns
	if [ -f "$DIR/pids" ]; then
		while read -r pid; do kill -TERM "$pid" 2>/dev/null; done <"$DIR/pids"
		while read -r pid; do
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null
		done <"$DIR/pids"
		rm -f "$DIR/pids"
	fi
	if [ -f "$DIR/netns" ]; then
		while read -r ns; do ip netns del "$ns" 2>/dev/null; done <"$DIR/netns"
		rm -f "$DIR/netns"
	fi
	rm -rf "$DIR/memif" "$DIR/etcd-data" "$DIR"/state-*
	rm -f "$DIR"/*.sock "$DIR/hosts" "$DIR/world.env"
	return 0
}

# A namespace of the world, recorded for stop before it is made.
mkns() {
	echo "$1" >>"$DIR/netns"
	ip netns add "$1" || die "cannot create namespace $1"
	ip -n "$1" link set lo up
	# The world is IPv4 (as sfc-controller renders it): without this every link's kernel
	# side (the nodes' underlay and af_packet veths, the pods' eth0) sends router
	# solicitations and MLD reports, which cross the chains among the traffic the
	# tests count hop by hop. Interfaces moved in later take the namespace's default.
	ip netns exec "$1" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6;
		echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null
}

# run NS NAME CMD...: a process in NS, logged to DIR/NAME.log, its PID recorded.
run() {
	local ns=$1 name=$2
	shift 2
	ip netns exec "$ns" "$@" >>"$DIR/$name.log" 2>&1 &
	echo $! >>"$DIR/pids"
}

world_start() {
	local nodes=() vpods=() pods=() kind name type n i
	[ -n "$BIN" ] || BIN=$(cd "$(dirname "$0")/../../build/bin" 2>/dev/null && pwd)
	[ -x "$BIN/ligd" ] && [ -x "$BIN/lig-agent" ] && [ -x "$BIN/ligctl" ] ||
		die "no ligd, ligctl or lig-agent in '$BIN' (-b BINDIR)"
	command -v etcd >/dev/null || die "etcd is not installed"
	[ "$(id -u)" = 0 ] || die "run as root (namespaces)"
	if [ -n "$YAML" ]; then
		[ -x "$BIN/lig-sfc" ] || die "no lig-sfc in $BIN for -f"
		"$BIN/lig-sfc" --print-world "$YAML" >"$DIR/spec" || die "lig-sfc --print-world $YAML failed"
		SPEC=$DIR/spec
	fi
	[ -n "$SPEC" ] && [ -f "$SPEC" ] || die "give -f FILE.yaml or -s SPEC"
	while read -r kind name type _; do
		case $kind in
		'' | '#'*) continue ;;
		node) nodes+=("$name") ;;
		pod)
			case $type in
			vppcontainer) vpods+=("$name") ;;
			nonvppcontainer) pods+=("$name") ;;
			external) ;;
			*) die "pod $name: unknown type '$type'" ;;
			esac
			;;
		*) die "spec: unknown line '$kind $name'" ;;
		esac
	done <"$SPEC"
	[ ${#nodes[@]} -gt 0 ] || die "no nodes"
	for n in "$WNS" "${nodes[@]}" "${vpods[@]}" "${pods[@]}"; do
		[[ "$n" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$ ]] || die "'$n' is not usable as a namespace name"
		[ ! -e "/run/netns/$n" ] || die "namespace $n exists already (world.sh stop, or another world?)"
	done
	[ $((${#nodes[@]} + ${#vpods[@]})) -lt 250 ] || die "too many nodes and pods for the management network"
	mkdir -p "$DIR/memif" || die "cannot create $DIR"
	chmod 755 "$DIR" "$DIR/memif"

	# The world namespace: management bridge and etcd.
	mkns "$WNS"
	ip -n "$WNS" link add br0 type bridge
	ip -n "$WNS" addr add 10.254.0.1/24 dev br0
	ip -n "$WNS" link set br0 up
	run "$WNS" etcd etcd --name world --data-dir "$DIR/etcd-data" \
		--listen-client-urls "http://10.254.0.1:$ETCD_PORT,http://127.0.0.1:$ETCD_PORT" \
		--advertise-client-urls "http://10.254.0.1:$ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:2380" --initial-advertise-peer-urls "http://127.0.0.1:2380" \
		--initial-cluster "world=http://127.0.0.1:2380"
	printf 'endpoints:\n  - "10.254.0.1:%s"\ndial-timeout: 2s\n' "$ETCD_PORT" >"$DIR/etcd.conf"
	printf 'endpoints:\n  - "127.0.0.1:%s"\ndial-timeout: 2s\n' "$ETCD_PORT" >"$DIR/etcd-local.conf"

	# Nodes and vppcontainer pods: namespace, management link, ligd.
	i=2
	for n in "${nodes[@]}" "${vpods[@]}"; do
		mkns "$n"
		ip -n "$WNS" link add "m$i" type veth peer name mgmt0 netns "$n"
		ip -n "$WNS" link set "m$i" master br0 up
		ip -n "$n" addr add "10.254.0.$i/24" dev mgmt0
		ip -n "$n" link set mgmt0 up
		run "$n" "$n.ligd" "$BIN/ligd" -s "$DIR/$n.sock"
		echo "$n 10.254.0.$i" >>"$DIR/hosts"
		i=$((i + 1))
	done
	for n in "${pods[@]}"; do mkns "$n"; done

	# The underlay: a veth between two nodes, else each node on bridge br1 of the world.
	if [ ${#nodes[@]} -eq 2 ]; then
		ip -n "${nodes[0]}" link add "$UL" type veth peer name "$UL" netns "${nodes[1]}"
	elif [ ${#nodes[@]} -gt 2 ]; then
		ip -n "$WNS" link add br1 type bridge
		ip -n "$WNS" link set br1 mtu 9000 up
		i=0
		for n in "${nodes[@]}"; do
			ip -n "$WNS" link add "u$i" mtu 9000 type veth peer name "$UL" netns "$n"
			ip -n "$WNS" link set "u$i" master br1 up
			i=$((i + 1))
		done
	fi
	if [ ${#nodes[@]} -ge 2 ]; then
		for n in "${nodes[@]}"; do
			ip -n "$n" link set "$UL" mtu 9000 up
			# Plain frames between the two af_packet sockets (no GRO super-frames).
			ip netns exec "$n" ethtool -K "$UL" gro off >/dev/null 2>&1
		done
	fi

	# etcd and every ligd answer, then the agents start (all at once).
	for _ in $(seq 100); do
		ip netns exec "$WNS" etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health >/dev/null 2>&1 && break
		sleep 0.1
	done
	ip netns exec "$WNS" etcdctl --endpoints "127.0.0.1:$ETCD_PORT" endpoint health >/dev/null 2>&1 ||
		die "etcd did not start (see $DIR/etcd.log)"
	for n in "${nodes[@]}" "${vpods[@]}"; do
		for _ in $(seq 100); do
			"$BIN/ligctl" -s "$DIR/$n.sock" show version >/dev/null 2>&1 && break
			sleep 0.05
		done
		"$BIN/ligctl" -s "$DIR/$n.sock" show version >/dev/null 2>&1 || die "ligd of $n did not start (see $DIR/$n.ligd.log)"
	done
	for n in "${nodes[@]}" "${vpods[@]}"; do
		mkdir -p "$DIR/state-$n"
		run "$n" "$n.agent" env MICROSERVICE_LABEL="$n" "$BIN/lig-agent" --etcd-config "$DIR/etcd.conf" \
			--state-dir "$DIR/state-$n" --ligd-socket "$DIR/$n.api.sock" --http-port "$AGENT_PORT"
	done
	for n in "${nodes[@]}" "${vpods[@]}"; do
		for _ in $(seq 100); do
			ip netns exec "$n" curl -sf "http://127.0.0.1:$AGENT_PORT/liveness" >/dev/null 2>&1 && break
			sleep 0.05
		done
		ip netns exec "$n" curl -sf "http://127.0.0.1:$AGENT_PORT/liveness" >/dev/null 2>&1 ||
			die "lig-agent of $n did not start (see $DIR/$n.agent.log)"
	done
	{
		echo "WORLD_NS=$WNS"
		echo "WORLD_DIR=$DIR"
		echo "WORLD_MEMIF_DIR=$DIR/memif"
		echo "WORLD_ETCD=127.0.0.1:$ETCD_PORT"
		echo "WORLD_NODES=\"${nodes[*]}\""
		echo "WORLD_VPP_PODS=\"${vpods[*]}\""
		echo "WORLD_PODS=\"${pods[*]}\""
		echo "WORLD_AGENT_PORT=$AGENT_PORT"
	} >"$DIR/world.env"
	echo "world up: nodes ${nodes[*]}; vppcontainer pods ${vpods[*]:-none}; nonvppcontainer pods ${pods[*]:-none}"
	echo "  memif_directory: $DIR/memif   etcd (in $WNS): 127.0.0.1:$ETCD_PORT   lig-sfc: --etcd-config $DIR/etcd-local.conf"
	echo "  ligd: ligctl -s $DIR/<name>.sock ...   agent: ip netns exec <name> curl 127.0.0.1:$AGENT_PORT/scheduler/status"
}

case $cmd in
start)
	mkdir -p "$DIR" || die "cannot create $DIR"
	# Refused before anything is made: a running world in DIR is never touched.
	[ ! -f "$DIR/pids" ] && [ ! -f "$DIR/netns" ] || die "$DIR holds a world (world.sh stop -d $DIR)"
	# A start that fails half-way leaves nothing behind (only what this start recorded).
	if ! (world_start); then
		world_stop
		exit 1
	fi
	;;
stop) world_stop ;;
xconnect)
	[ $# -eq 3 ] || usage
	[ -f "$DIR/world.env" ] || die "no world in $DIR"
	. "$DIR/world.env"
	for n in "$1" "$2" "$3"; do [[ "$n" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ ]] || die "'$n': not a name"; done
	for pair in "$2 $3" "$3 $2"; do
		read -r a b <<<"$pair"
		ip netns exec "$WORLD_NS" etcdctl --endpoints "$WORLD_ETCD" put \
			"/vnf-agent/$1/config/vpp/l2/v2/xconnect/$a" \
			"{\"receive_interface\":\"$a\",\"transmit_interface\":\"$b\"}" >/dev/null ||
			die "etcd refused the xconnect of $1"
	done
	;;
exec)
	[ $# -ge 2 ] || usage
	ns=$1
	shift
	exec ip netns exec "$ns" "$@"
	;;
*) usage ;;
esac

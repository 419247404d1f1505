# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the memif integration tests (sourced after lib.sh): interface
# counters from ligctl, and dpdk-testpmd runs driven through stdin, cleaned up by PID.

# memif_counter <ligd> <interface> <counter words...>: prints the counter (0 if absent).
memif_counter() {
	local name=$1 ifname=$2; shift 2
	lig_ctl "$name" show interface | awk -v ifn="$ifname" -v cn="$*" '
		/^[^ ]/ { cur = $1 }
		cur == ifn {
			line = $0
			if (index(line, cn) > 0) {
				n = split(line, w, " "); print w[n]; found = 1; exit
			}
		}
		END { if (!found) print 0 }'
}

# memif_testpmd <name> <seconds-before-start> <run-seconds> <mode> <vdev args...>:
# runs testpmd in the background with "start [tx_first]", "stop", "quit" on stdin; its
# PID is recorded for cleanup and in MEMIF_TP_PID_<name>. Output in $LIG_TMP/<name>.log.
# MEMIF_TP_EXTRA: more testpmd application arguments (e.g. "--rxq=2 --txq=2").
memif_testpmd() {
	local name=$1 pre=$2 run=$3 start=$4; shift 4
	local vdevs=()
	for v in "$@"; do vdevs+=("--vdev=$v"); done
	(sleep "$pre"; echo "$start"; sleep "$run"; echo "stop"; sleep 1; echo "show port stats all"; sleep 0.5; echo "quit"; sleep 2) |
		timeout 60 dpdk-testpmd --no-huge -m 256 --no-pci --file-prefix "lig$$$name" -l 0-1 \
			"${vdevs[@]}" -- --no-mlockall -i --total-num-mbufs=8192 --forward-mode=io \
			${MEMIF_TP_EXTRA:-} \
			>"$LIG_TMP/$name.log" 2>&1 &
	local pid=$!
	LIG_PIDS+=("$pid")
	eval "MEMIF_TP_PID_${name}=$pid"
}

# memif_testpmd_ctl <name> <vdev args...>: testpmd in the background reading its commands
# from a FIFO the test writes with memif_tp_cmd, so "start" and "stop" follow what the test
# sees (forwarding started, the peer finished) instead of fixed sleeps. PID in
# MEMIF_TP_PID_<name>, output in $LIG_TMP/<name>.log.
memif_testpmd_ctl() {
	local name=$1 fifo="$LIG_TMP/$1.in" fd; shift
	local vdevs=()
	for v in "$@"; do vdevs+=("--vdev=$v"); done
	mkfifo "$fifo" || return 1
	timeout 90 stdbuf -oL dpdk-testpmd --no-huge -m 256 --no-pci --file-prefix "lig$$$name" -l 0-1 \
		"${vdevs[@]}" -- --no-mlockall -i --total-num-mbufs=8192 --forward-mode=io \
		${MEMIF_TP_EXTRA:-} <"$fifo" >"$LIG_TMP/$name.log" 2>&1 &
	local pid=$!
	LIG_PIDS+=("$pid")
	eval "MEMIF_TP_PID_${name}=$pid"
	exec {fd}>"$fifo"
	eval "MEMIF_TP_FD_${name}=$fd"
}

# memif_tp_cmd <name> <command...>: one testpmd command.
memif_tp_cmd() {
	local fd
	eval "fd=\$MEMIF_TP_FD_$1"
	shift
	echo "$*" >&"$fd"
}

# memif_tp_started <name>: waits (up to 30 s) until testpmd has processed "start" (the
# forwarding banner in its log, line-buffered by stdbuf).
memif_tp_started() {
	for _ in $(seq 300); do
		grep -q "packet forwarding - ports=" "$LIG_TMP/$1.log" && return 0
		sleep 0.1
	done
	return 1
}

# memif_tp_received <name> <port> <count>: waits (up to 10 s) until testpmd's port has
# received count packets (show port stats, asked every 0.1 s).
memif_tp_received() {
	local n
	for _ in $(seq 100); do
		memif_tp_cmd "$1" show port stats "$2"
		sleep 0.1
		n=$(awk -v port="$2" '/NIC statistics for port/ { p = $(NF-1) }
			p == port && $1 == "RX-packets:" { n = $2 } END { print n + 0 }' "$LIG_TMP/$1.log")
		[ "$n" -ge "$3" ] && return 0
	done
	echo "testpmd $1 port $2 received $n of $3"
	return 1
}

# memif_tp_finish <name>: stop, the port statistics, quit; waits for testpmd to exit.
memif_tp_finish() {
	local fd pid
	eval "fd=\$MEMIF_TP_FD_$1; pid=\$MEMIF_TP_PID_$1"
	memif_tp_cmd "$1" stop
	sleep 0.5
	memif_tp_cmd "$1" show port stats all
	sleep 0.3
	memif_tp_cmd "$1" quit
	exec {fd}>&-
	wait "$pid"
}

# memif_tp_stat <name> <port> <RX|TX>: packets from testpmd's per-port forward statistics.
# (With several queues testpmd first prints per-stream sections, "Forward Stats for RX
# Port= 0/Queue= 1 ...": only the per-port section counts, so p starts as no port.)
memif_tp_stat() {
	awk -v port="$2" -v what="$3-packets:" '
		BEGIN { p = -1 }
		/Forward statistics for port/ { p = $(NF-1) }
		p == port && $1 == what { print $2; exit }' "$LIG_TMP/$1.log"
}

# memif_tp_port_stat <name> <port> <RX|TX>: absolute packet counter of the port from the
# last "show port stats" (unlike the forward statistics, it counts packets that arrived
# before "start").
memif_tp_port_stat() {
	awk -v port="$2" -v what="$3-packets:" '
		/NIC statistics for port/ { p = $(NF-1) }
		p == port && $1 == what { n = $2 } END { print n }' "$LIG_TMP/$1.log"
}

# memif_wait_connected <ligd> <interface> [tries]: waits until show memif says connected.
memif_wait_connected() {
	local i
	for i in $(seq "${3:-100}"); do
		lig_ctl "$1" show memif "$2" 2>/dev/null | grep -q "state connected" && return 0
		sleep 0.1
	done
	lig_ctl "$1" show memif "$2"
	return 1
}

# memif_close_enough <a> <b> <slack>: |a - b| <= slack.
memif_close_enough() {
	local d=$(($1 - $2))
	[ "${d#-}" -le "$3" ]
}

# memif_cleanup_on_exit: after lig_test_init, also removes the DPDK runtime directories
# of this run's testpmd instances (/var/run/dpdk/lig<pid>*) when the test exits.
memif_cleanup_on_exit() {
	trap 'lig_cleanup; rm -rf /var/run/dpdk/lig$$* 2>/dev/null' EXIT
}

# memif_ring_packets <ligd> <if> <s2m|m2s> <ring>: the ring's packet counter in show memif.
memif_ring_packets() {
	lig_ctl "$1" show memif "$2" | awk -v dir="$3" -v r="$4:" '
		$1 == dir && $2 == "ring" && $3 == r {
			for (i = 4; i < NF; i++) if ($i == "packets") { print $(i + 1); exit } }'
}

# memif_all_rings_carry <ligd> <if...>: every s2m and m2s ring 0 and 1 counted more than 1000
# packets, seen while the peer runs (a disconnected memif has no rings to show); tries for up
# to 6 s.
memif_all_rings_carry() {
	local lig=$1 i d r n ok; shift
	for _ in $(seq 30); do
		ok=0
		: >"$LIG_TMP/rings.out"
		for i in "$@"; do
			for d in s2m m2s; do
				for r in 0 1; do
					n=$(memif_ring_packets "$lig" "$i" $d $r)
					echo "$i $d ring $r: ${n:-none} packets" >>"$LIG_TMP/rings.out"
					[ -n "$n" ] && [ "$n" -gt 1000 ] || ok=1
				done
			done
		done
		[ $ok = 0 ] && break
		sleep 0.2
	done
	sed 's/^/    /' "$LIG_TMP/rings.out"
	return $ok
}

# memif_check_counts <ligd> <tp> <if-for-port0> <if-for-port1>: on each testpmd port,
# what testpmd sent ligd received, and what ligd sent (less its tx errors) testpmd received,
# within 4096 (in flight when testpmd stopped).
memif_check_counts() {
	local lig=$1 tp=$2 i0=$3 i1=$4 ok=0 p i tx rx ltx lrx lerr
	for p in 0 1; do
		i=$i0; [ "$p" = 1 ] && i=$i1
		tx=$(memif_tp_stat "$tp" $p TX); rx=$(memif_tp_stat "$tp" $p RX)
		lrx=$(memif_counter "$lig" "$i" rx packets)
		ltx=$(memif_counter "$lig" "$i" tx packets)
		lerr=$(memif_counter "$lig" "$i" tx-error)
		echo "port $p: testpmd tx $tx rx $rx; ligd $i rx $lrx tx $ltx tx-error $lerr"
		[ -n "$tx" ] && [ "$tx" -gt 10000 ] || ok=1
		[ "$tx" = "$lrx" ] || ok=1
		memif_close_enough "$((ltx - lerr))" "$rx" 4096 || ok=1
	done
	return $ok
}

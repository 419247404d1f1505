#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ligd with worker threads (cpu { workers 2 }): the startup stanza and its refusals, show
# threads, rx queues spread over the workers at creation, the work done on the workers
# (show runtime per thread and summed, main polling nothing), rx placement moved under
# traffic (CLI and API) without breaking it, and the barrier's pauses reported. Two hosts
# bridged through af_packet host-interfaces, with a memif CNF (lig-memif-responder) on the
# bridge too.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"
T=$LIG_TMP

# ---- the cpu stanza ----
bad_cpu() { # <stanza body>: ligd must refuse to start with it
	printf 'cpu {\n%b\n}\n' "$1" >"$T/bad.conf"
	! timeout 5 "$LIG_BIN/ligd" -c "$T/bad.conf" -s "$T/bad.sock" >"$T/bad.out" 2>&1
}
lig_check "cpu { workers 99 } refused" bad_cpu "  workers 99"
lig_check "cpu { workers 2 corelist-workers 1 } refused (they disagree)" \
	bad_cpu "  workers 2\n  corelist-workers 1"
lig_check "cpu { corelist-workers 3-1 } refused" bad_cpu "  corelist-workers 3-1"
lig_check "cpu { nonsense 1 } refused" bad_cpu "  nonsense 1"

# Without the stanza: one thread, as before.
LIG_TEST_WORKERS=0 lig_start one || exit 1
lig_check "no cpu stanza: main only, no barrier" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/one.sock' show threads | grep -q 'barrier: none' &&
	 [ \$('$LIG_BIN/ligctl' -s '$T/one.sock' show threads | grep -c '^[0-9]') = 1 ]"

printf 'cpu {\n  workers 2\n}\n' >"$T/cpu.conf"
A="${LIG_PREFIX}a"
B="${LIG_PREFIX}b"
lig_host a 10.73.0.1/24
lig_host b 10.73.0.2/24
LIG_TEST_WORKERS=0 lig_start d -c "$T/cpu.conf" || exit 1
lig_check "show threads: main and two workers" bash -c \
	"lt=\$('$LIG_BIN/ligctl' -s '$T/d.sock' show threads);
	 echo \"\$lt\" | grep -q 'ligd_main' && echo \"\$lt\" | grep -q 'ligd_wk_0 *workers' &&
	 echo \"\$lt\" | grep -q 'ligd_wk_1 *workers'"

lig_ctl d create host-interface name "$A" >/dev/null
lig_ctl d create host-interface name "$B" >/dev/null
lig_ctl d create interface memif id 0 master >/dev/null
lig_ctl d create bridge-domain 1 >/dev/null
for i in "host-$A" "host-$B" memif0/0; do
	lig_ctl d set interface state "$i" up
	lig_ctl d set interface l2 bridge "$i" 1
done
"$LIG_BIN/lig-memif-responder" -s "$T/memif.sock" -i 0 10.73.0.3 >"$T/responder.log" 2>&1 &
LIG_PIDS+=($!)
lig_check "memif CNF connects" memif_wait_connected d memif0/0 50

# thread_of <interface>: the thread polling its queue 0, from show interface rx-placement.
thread_of() {
	lig_ctl d show interface rx-placement | awk -v ifn="$1" '
		/^Thread/ { t = $2 } $1 == ifn && $2 == "queue" && $3 == "0" { print t; exit }'
}
ta=$(thread_of "host-$A"); tb=$(thread_of "host-$B")
lig_log "rx placement: host-$A on thread $ta, host-$B on thread $tb, memif0/0 on $(thread_of memif0/0)"
lig_check "rx queues spread over both workers at creation" \
	bash -c "[ '$ta' != '$tb' ] && [ -n '$ta' ] && [ -n '$tb' ] && [ '$ta' != 0 ] && [ '$tb' != 0 ]"

lig_check "ping across the bridge (af_packet on two workers)" lig_ping a 10.73.0.2 3
lig_check "ping the memif CNF" lig_ping a 10.73.0.3 3

# Work on the workers: af-packet-input vectors in each worker's section, none on main.
lig_ctl d clear runtime
ip netns exec "$A" ping -q -c 200 -i 0.005 10.73.0.2 >/dev/null 2>&1
# vectors_on <thread> <node>: the node's vectors in that thread's section of show runtime.
vectors_on() {
	lig_ctl d show runtime | awk -v th="$1" -v node="$2" '
		/^Thread / { cur = $2; next } /^Summed/ { cur = "sum"; next }
		cur == th && $1 == node { print $4; found = 1; exit } END { if (!found) print 0 }'
}
lig_check "show runtime: af-packet-input worked on both workers" bash -c \
	"[ $(vectors_on 1 af-packet-input) -ge 150 ] && [ $(vectors_on 2 af-packet-input) -ge 150 ]"
lig_check "show runtime: main polled nothing" test "$(vectors_on 0 af-packet-input)" = 0
lig_check "show runtime: summed section adds up the threads" bash -c \
	"[ $(vectors_on sum af-packet-input) = \$(( $(vectors_on 1 af-packet-input) + $(vectors_on 2 af-packet-input) )) ]"

# Rx placement moved under traffic, back and forth, through the CLI and the API.
other=$((3 - ta))
ip netns exec "$A" ping -q -c 600 -i 0.005 10.73.0.2 >"$T/ping-move.out" 2>&1 &
ping_pid=$!
sleep 0.5
lig_ctl d set interface rx-placement "host-$A" queue 0 worker $((other - 1))
lig_check "host-$A moved to thread $other" test "$(thread_of "host-$A")" = "$other"
sleep 0.5
sw_a=$(lig_ctl d show interface "host-$A" | awk -v ifn="host-$A" '$1 == ifn { print $2 }')
lig_check "API: sw_interface_set_rx_placement moves it back" "$LIG_BIN/ligctl" -s "$T/d.sock" \
	api call sw_interface_set_rx_placement "{\"sw_if_index\": $sw_a, \"queue_id\": 0, \"worker_id\": $((ta - 1))}"
lig_check "API: sw_interface_rx_placement_dump shows it placed on worker $((ta - 1))" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' api dump sw_interface_rx_placement_dump '{\"sw_if_index\": $sw_a}' |
	 grep -q '\"worker_id\": *$((ta - 1)),.*\"manual\": *true'"
lig_ctl d set interface rx-placement "host-$A" queue 0 worker $((other - 1))
sleep 0.5
lig_ctl d set interface rx-placement "host-$A" queue 0 worker $((ta - 1))
wait "$ping_pid"
lost=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$T/ping-move.out")
lig_log "ping while host-$A moved 3 times: ${lost:-?}% loss"
lig_check "traffic kept flowing while the queue moved (< 5% loss)" \
	awk -v l="${lost:-100}" 'BEGIN { exit !(l < 5) }'
lig_check "refused: a worker that does not exist" bash -c \
	"! '$LIG_BIN/ligctl' -s '$T/d.sock' set interface rx-placement host-$A queue 0 worker 2"
lig_check "refused: a queue that does not exist" bash -c \
	"! '$LIG_BIN/ligctl' -s '$T/d.sock' set interface rx-placement host-$A queue 1 worker 0"
lig_check "refused: main while workers run" bash -c \
	"! '$LIG_BIN/ligctl' -s '$T/d.sock' set interface rx-placement host-$A queue 0 main"

# The barrier: every command above took it; its pauses are reported.
lig_ctl d show threads >"$T/threads.out"
sed 's/^/    /' "$T/threads.out"
lig_check "show threads reports the barrier's syncs and pauses" \
	grep -qE '^barrier: [1-9][0-9]* syncs, pause last [0-9.]+ us, max [0-9.]+ us' "$T/threads.out"

# Trace on a worker: the packet's walk is under that worker's heading.
lig_ctl d trace add af-packet-input 5
lig_ping a 10.73.0.2 1 >/dev/null
lig_check "show trace: packets traced on a worker" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' show trace | grep -A3 'Start of thread [12] ligd_wk' | grep -q 'Packet 1'"

lig_check "ping still works at the end" lig_ping a 10.73.0.3 2

lig_test_done

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Thread handoff end to end (vlib/handoff.h, src/handoff): two hosts bridged through
# af_packet host-interfaces, ligd with 2 workers (each interface's rx queue on its own
# worker). set interface handoff hands every packet host-A receives to the other worker:
# show runtime proves the bridge's work for A's packets moved there (l2-input runs only on
# the other worker), show errors and show threads count what was handed over, pings keep
# working, refusals are clear, and disabling brings the work back.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"
T=$LIG_TMP

printf 'cpu {\n  workers 2\n}\n' >"$T/cpu.conf"
A="${LIG_PREFIX}a"
B="${LIG_PREFIX}b"
lig_host a 10.78.0.1/24
lig_host b 10.78.0.2/24
LIG_TEST_WORKERS=0 lig_start d -c "$T/cpu.conf" || exit 1
total=$(lig_ctl d show buffers | awk '$1 == "default" { print $2 }')
lig_ctl d create host-interface name "$A" >/dev/null
lig_ctl d create host-interface name "$B" >/dev/null
lig_ctl d create bridge-domain 1 >/dev/null
for i in "host-$A" "host-$B"; do
	lig_ctl d set interface state "$i" up
	lig_ctl d set interface l2 bridge "$i" 1
done

# thread_of <interface>: the thread polling its queue 0, from show interface rx-placement.
thread_of() {
	lig_ctl d show interface rx-placement | awk -v ifn="$1" '
		/^Thread/ { t = $2 } $1 == ifn && $2 == "queue" && $3 == "0" { print t; exit }'
}
# vectors_on <thread> <node>: the node's vectors in that thread's section of show runtime.
vectors_on() {
	lig_ctl d show runtime | awk -v th="$1" -v node="$2" '
		/^Thread / { cur = $2; next } /^Summed/ { cur = "sum"; next }
		cur == th && $1 == node { print $4; found = 1; exit } END { if (!found) print 0 }'
}
ta=$(thread_of "host-$A"); tb=$(thread_of "host-$B")
lig_log "rx placement: host-$A on thread $ta, host-$B on thread $tb"
lig_check "the two rx queues are on different workers" \
	bash -c "[ -n '$ta' ] && [ -n '$tb' ] && [ '$ta' != '$tb' ] && [ '$ta' != 0 ] && [ '$tb' != 0 ]"
lig_check "ping across the bridge before handoff" lig_ping a 10.78.0.2 3

# Refusals.
lig_check "handoff to a worker that does not exist is refused" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' set interface handoff host-$A worker 7 2>&1 |
	   grep -q 'no worker 7'"
lig_check "handoff on an unknown interface is refused" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' set interface handoff nosuch0 worker 0 2>&1 |
	   grep -q \"unknown interface 'nosuch0'\""

# Hand host-A's packets to the worker that polls host-B (worker = thread - 1).
lig_ctl d set interface handoff "host-$A" worker $((tb - 1))
lig_ctl d clear runtime
lig_ctl d clear errors
lig_check "200 pings with A's packets handed to thread $tb, no loss" \
	ip netns exec "$A" ping -q -c 200 -i 0.005 -W 2 10.78.0.2
wa=$(vectors_on "$ta" worker-handoff-l2); wb=$(vectors_on "$tb" worker-handoff-l2)
la=$(vectors_on "$ta" l2-input); lb=$(vectors_on "$tb" l2-input)
lig_log "worker-handoff-l2: thread $ta $wa, thread $tb $wb; l2-input: thread $ta $la, thread $tb $lb"
lig_check "show runtime: worker-handoff-l2 ran on A's thread ($wa) and again on B's ($wb)" \
	bash -c "[ $wa -ge 200 ] && [ $wb -ge 200 ]"
lig_check "show runtime: l2-input ran on thread $tb only ($lb; thread $ta: $la)" \
	bash -c "[ $la = 0 ] && [ $lb -ge 400 ]"
lig_check "show errors counts the packets handed over" bash -c \
	"n=\$('$LIG_BIN/ligctl' -s '$T/d.sock' show errors | awk '/packets handed to another worker/ { print \$1 }');
	 [ -n \"\$n\" ] && [ \"\$n\" -ge 200 ]"
lig_check "show threads: the handoff pair $ta -> $tb, no congestion drops" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' show threads | grep -E '^  $ta -> $tb: [0-9]+, 0, '"
lig_ctl d show threads | grep -A3 '^handoff' | sed 's/^/    /'
lig_check "show threads: pauses by kind of change name the handoff command" bash -c \
	"'$LIG_BIN/ligctl' -s '$T/d.sock' show threads | grep -E '^    set interface handoff +[1-9]'"

# Disabled: A's packets are bridged on A's own thread again.
lig_ctl d set interface handoff "host-$A" disable
lig_ctl d clear runtime
lig_check "ping after disabling handoff" ip netns exec "$A" ping -q -c 100 -i 0.005 -W 2 10.78.0.2
la=$(vectors_on "$ta" l2-input); wa=$(vectors_on "$ta" worker-handoff-l2)
lig_check "disabled: l2-input back on thread $ta ($la), no handoff ($wa)" \
	bash -c "[ $la -ge 100 ] && [ $wa = 0 ]"
# Every buffer back (none lost in a ring): delete the interfaces (their rx reserves go
# with the last af_packet interface), count.
for i in "$A" "$B"; do lig_ctl d delete host-interface name "$i"; done
buffers_back() {
	local free
	for _ in $(seq 50); do
		free=$(lig_ctl d show buffers | awk '$1 == "default" { print $3 }')
		[ "$free" = "$total" ] && return 0
		sleep 0.1
	done
	echo "free $free of $total"; lig_ctl d show buffers; return 1
}
lig_check "every buffer back in the pool (Free = Total = $total)" buffers_back
lig_test_done

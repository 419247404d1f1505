#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# unix { poll-idle-yield N }: an idle worker offers its CPU to other threads. A worker on
# CPU 1 polls a memif (rx mode polling: it never sleeps for long) whose peer is a memif CNF
# (lig-memif-responder), while a busy loop runs on the same CPU. Without the option the
# worker and the loop share the CPU; with it the loop gets most of it, show threads counts
# the worker's yields, and pings through the worker are still answered. The same for main
# when there are no workers (cpu { main-core 1 }: main runs the graph).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"
T=$LIG_TMP

printf 'unix {\n  poll-idle-yield many\n}\n' >"$T/bad.conf"
lig_check "poll-idle-yield that is not a number refused" \
	sh -c "! timeout 5 '$LIG_BIN/ligd' -c '$T/bad.conf' -s '$T/bad.sock' >'$T/bad.out' 2>&1 &&
	       grep -q 'poll-idle-yield must be a number' '$T/bad.out'"

# cpu_ticks <pid> [tid]: user + system clock ticks of a process (or one of its threads).
cpu_ticks() {
	local f=/proc/$1/stat
	[ -n "${2:-}" ] && f=/proc/$1/task/$2/stat
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$f"
}

# share <name> <yield> [main]: starts ligd <name> (worker on CPU 1, or with "main" no workers
# and main on CPU 1; poll-idle-yield <yield>) with
# a memif CNF and a busy loop on CPU 1; writes "<loop's share> <worker's share>" of CPU 1
# over 2 s, in percent, to $T/<name>.share (not a subshell: the PIDs it starts must reach
# the cleanup).
share() {
	local name=$1 conf="$T/$1.conf"
	local cpu="corelist-workers 1"
	[ "${3:-}" = main ] && cpu="main-core 1"
	printf 'cpu {\n  %s\n}\nunix {\n  poll-idle-yield %s\n}\n' "$cpu" "$2" >"$conf"
	LIG_TEST_WORKERS=0 lig_start "$name" -c "$conf" || return 1
	lig_ctl "$name" create memif socket id 1 filename "$T/$name.memif.sock" >/dev/null
	lig_ctl "$name" create interface memif id 0 socket-id 1 master >/dev/null
	lig_ctl "$name" set interface rx-mode memif1/0 polling >/dev/null
	lig_ctl "$name" set interface ip address memif1/0 10.74.0.1/24 >/dev/null
	lig_ctl "$name" set interface state memif1/0 up >/dev/null
	"$LIG_BIN/lig-memif-responder" -s "$T/$name.memif.sock" -i 0 10.74.0.2 \
		>"$T/$name.responder.log" 2>&1 &
	LIG_PIDS+=($!)
	memif_wait_connected "$name" memif1/0 50 || return 1
	local pid wk
	eval "pid=\$LIG_PID_$name"
	wk=$(ps -L -o tid=,comm= -p "$pid" | awk '$2 == "ligd_wk_0" { print $1 }')
	[ "${3:-}" = main ] && wk=$pid
	taskset -c 1 sh -c 'while :; do :; done' &
	local loop=$!
	LIG_PIDS+=("$loop")
	sleep 0.5
	local l0 w0 l1 w1
	l0=$(cpu_ticks "$loop"); w0=$(cpu_ticks "$pid" "$wk")
	sleep 2
	l1=$(cpu_ticks "$loop"); w1=$(cpu_ticks "$pid" "$wk")
	# Pings through the worker while the loop still runs (replies arrive on its queue).
	lig_ctl "$name" ping 10.74.0.2 repeat 5 interval 100 >"$T/$name.ping.out"
	lig_ctl "$name" show threads >"$T/$name.threads"
	kill "$loop"
	wait "$loop" 2>/dev/null
	local hz
	hz=$(getconf CLK_TCK)
	awk -v l=$((l1 - l0)) -v w=$((w1 - w0)) -v hz="$hz" \
		'BEGIN { printf "%d %d\n", l * 100 / (2 * hz), w * 100 / (2 * hz) }' >"$T/$name.share"
	kill "$pid"
	wait "$pid" 2>/dev/null
}

share off 0
read -r loop_off wk_off <"$T/off.share"
lig_log "without poll-idle-yield: busy loop ${loop_off:-?} %, worker ${wk_off:-?} % of CPU 1"
share on 64
read -r loop_on wk_on <"$T/on.share"
lig_log "with poll-idle-yield 64: busy loop ${loop_on:-?} %, worker ${wk_on:-?} % of CPU 1"
for n in off on; do
	lig_log "pings with the busy loop beside the worker, $n:"
	grep -v '^$' "$T/$n.ping.out" | sed 's/^/    /'
done

lig_check "without the option the worker takes a large share of its CPU (>= 30 %)" \
	test "${wk_off:-0}" -ge 30
lig_check "with it the busy loop gets most of the CPU (>= 80 %), the worker little (<= 15 %)" \
	sh -c "[ '${loop_on:-0}' -ge 80 ] && [ '${wk_on:-100}' -le 15 ]"
sed 's/^/    /' "$T/on.threads" | head -3
lig_check "show threads counts the worker's yields" \
	awk '$2 == "ligd_wk_0" { found = 1; exit !($10 > 0) } END { if (!found) exit 1 }' "$T/on.threads"
lig_check "show threads: no yields without the option" \
	awk '$2 == "ligd_wk_0" { found = 1; exit !($10 == 0) } END { if (!found) exit 1 }' "$T/off.threads"
lig_check "pings through the yielding worker are answered" grep -q '5 sent, 5 received' "$T/on.ping.out"
lig_check "and through the one that does not yield" grep -q '5 sent, 5 received' "$T/off.ping.out"

share mainoff 0 main
read -r loop_off wk_off <"$T/mainoff.share"
share mainon 64 main
read -r loop_on wk_on <"$T/mainon.share"
lig_log "no workers, main on CPU 1: busy loop ${loop_off:-?} % / main ${wk_off:-?} % without," \
	"${loop_on:-?} % / ${wk_on:-?} % with poll-idle-yield 64"
lig_check "no workers: main takes a large share without the option (>= 30 %)" \
	test "${wk_off:-0}" -ge 30
lig_check "no workers: with it the busy loop gets most of the CPU (>= 80 %), main little (<= 15 %)" \
	sh -c "[ '${loop_on:-0}' -ge 80 ] && [ '${wk_on:-100}' -le 15 ]"
lig_check "no workers: pings answered with the option" \
	grep -q '5 sent, 5 received' "$T/mainon.ping.out"

lig_test_done

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# memif zero-copy slave against copy mode, with dpdk-testpmd as the master (not part of
# make test):
#   testpmd port 0 <-memif-> ligd memif1/0 (slave) =xconnect= memif1/1 (slave) <-memif-> port 1
# testpmd io-forwards between its two ports and ligd cross-connects its two memifs, so the
# frames testpmd puts in with "start tx_first 16" (16 bursts of 32 per port) go round
# the loop both ways. Each run is a fresh ligd and a fresh testpmd; only ligd's mode
# differs (zero-copy: ligd's buffers are region 1 and testpmd copies into and out of them;
# copy: ligd copies between the rings' own buffers and its pool). Per round: copy, then
# zero-copy, for every frame size, so the host's slow and fast stretches hit both alike;
# >= 5 rounds; min / median / max of the packets per second ligd forwarded (testpmd's Rx-pps
# of both ports over the measured interval: every frame testpmd receives came through
# ligd), Gbit/s at the median and the median ratio zero-copy / copy.
#
# Jumbo frames: testpmd gets 10240-byte mbufs (it does not chain); ligd gets 10240-byte
# buffers in both modes (buffers { default data-size 10240 }) and, in copy mode,
# 10240-byte slots (buffer-size); a zero-copy slot is one ligd buffer, so 10240 bytes too.
# The generator (lig-memif-gen as master of both of ligd's memifs) runs two ways, each a
# copy / zero-copy pair per round: in place (-z: it writes only each frame's 64-byte
# headers into the buffer and counts what comes back without reading it, as testpmd's
# txonly and rxonly do), so that ligd, not the peer, sets the rate; and copying whole
# frames both ways (a peer that writes and reads every byte: then the peer's two copies
# set the rate on a 2-CPU host). In place, "Gbit/s" is frames x size: nobody writes the
# payload per frame, so it is not a memory bandwidth.
# Usage: [ROUNDS=5 (or REPEAT)] [SIZES="64 1500 9000"] [PERF=1] [NO_LOOP=1] [NO_COPYGEN=1] \
#        bench/memif_zc.sh [bin-dir] [seconds]
# (as root; PERF=1 also records `perf record -g` of ligd's last 1500-byte run of each mode
# into /tmp/memif_zc.<mode>.perf.data)
set -u
BIN=$(cd "${1:-build/bin}" && pwd) || exit 1
for prog in ligd ligctl; do
	[ -x "$BIN/$prog" ] || { echo "missing $BIN/$prog (build with cmake)" >&2; exit 1; }
done
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd missing (Debian dpdk-dev)" >&2; exit 1; }
SECS=${2:-4}
SIZES=${SIZES:-"64 1500 9000"}
ROUNDS=${ROUNDS:-${REPEAT:-5}} # run-all.sh --quick sets REPEAT=1
. "$(dirname "$0")/memif_bench_lib.sh"
bench_init ligzc
CTL() { "$BIN/ligctl" -s "$TMP/cli.sock" "$@"; }

# One worker on CPU 1 (as bench/memif_workers.sh), testpmd's forwarding lcore on CPU 0.
printf 'cpu {\n  corelist-workers 1\n}\n' >"$TMP/cpu.conf"
printf 'buffers {\n  default data-size 10240\n}\n' >"$TMP/jumbo.conf"

# launch_ligd <copy|zc> <size>: a fresh ligd (PID in LIGD), answering; the memif options
# of the mode in EXTRA.
launch_ligd() {
	local jumbo=()
	EXTRA=()
	if [ "$1" = zc ]; then
		EXTRA=(zero-copy)
	elif [ "$2" -gt 2048 ]; then
		EXTRA=(buffer-size 10240)
	fi
	[ "$2" -gt 2048 ] && jumbo=(-c "$TMP/jumbo.conf")
	"$BIN/ligd" -c "$TMP/cpu.conf" "${jumbo[@]}" -s "$TMP/cli.sock" -b 65536 >"$TMP/ligd.log" 2>&1 &
	LIGD=$!
	PIDS+=("$LIGD")
	bench_wait_cli
}

start_ligd() { # <copy|zc> <size>
	launch_ligd "$1" "$2"
	CTL create memif socket id 1 filename "$TMP/tp.sock"
	for i in 0 1; do
		CTL create interface memif id $i socket-id 1 slave "${EXTRA[@]}" >/dev/null
		CTL set interface rx-mode memif1/$i polling
		CTL set interface mtu 9000 memif1/$i
		CTL set interface state memif1/$i up
	done
	CTL set interface l2 xconnect memif1/0 memif1/1
	CTL set interface l2 xconnect memif1/1 memif1/0
}

# run_gen <copy|zc> <size> [perf-file]: lig-memif-gen as the master of both memifs
# (-m): it sends into memif1/0 and counts what comes out of memif2/0; prints the sink's
# Mpps. The generator on CPU 0, ligd's worker on CPU 1; GEN_OPTS (-z: in place) for the
# generator.
run_gen() {
	local g
	rm -f "$TMP"/g*.sock
	launch_ligd "$1" "$2"
	for i in 1 2; do
		CTL create memif socket id $i filename "$TMP/g$i.sock"
		CTL create interface memif id 0 socket-id $i slave "${EXTRA[@]}" >/dev/null
		CTL set interface rx-mode memif$i/0 polling
		CTL set interface mtu 9000 memif$i/0
		CTL set interface state memif$i/0 up
	done
	CTL set interface l2 xconnect memif1/0 memif2/0
	taskset -c 0 "$BIN/lig-memif-gen" -m -s "$TMP/g1.sock" -i 0 -S "$TMP/g2.sock" -I 0 \
		-l "$2" -t "$SECS" -d 1 -q ${GEN_OPTS:-} 2>>"$TMP/gen.err" >"$TMP/gen.out" &
	g=$!
	PIDS+=("$g")
	if [ -n "${3:-}" ]; then
		sleep 2.5
		perf record -q -g -p "$LIGD" -o "$3" -- sleep $((SECS - 1)) >/dev/null 2>&1
	fi
	wait "$g"
	# ligd's own cost: clocks/vector x vectors summed over the nodes (show runtime, summed
	# over the threads), per packet memif-input received; less sensitive to the neighbours than
	# the rate, which also counts the time ligd was not running.
	local cpp
	cpp=$(CTL show runtime | awk '
		$1 == "Name" { tot = 0; pk = 0 }  # each thread, then summed: the last section
		$1 == "memif-input" { pk = $4 }
		NF == 6 && $4 ~ /^[0-9]+$/ && $1 != "Name" { tot += $5 * $4 }
		END { if (pk) printf "%.0f\n", tot / pk; else print "-" }')
	# tx rx seconds tx_pps rx_pps loss%: a sink cannot receive more than was sent.
	echo "  gen${GEN_OPTS:+ $GEN_OPTS} $1 $2: $(cat "$TMP/gen.out"), $cpp clocks/packet" >&2
	awk -v cpp="$cpp" '$2 <= $1 { printf "%.3f %s\n", $5 / 1e6, cpp }' "$TMP/gen.out"
	if CTL show memif | grep -q 'peer-errors [1-9]'; then
		echo "peer error in $1 run:" >&2
		CTL show memif >&2
	fi
	[ "$1" = zc ] && ! CTL show memif memif1/0 | grep -q 'zero-copy' && echo "not zero-copy!" >&2
	kill "$LIGD" 2>/dev/null
	wait "$LIGD" 2>/dev/null
}

# tx_first_commands <size>: testpmd's input: 16 bursts of <size>-byte frames sent first,
# then forwarding for SECS with the port stats read before and after.
tx_first_commands() {
	sleep 2
	echo "set txpkts $1"
	echo "start tx_first 16"
	sleep 1.5
	echo "show port stats all"
	sleep "$SECS"
	echo "show port stats all"
	echo "stop"
	echo "quit"
	sleep 1
}

# run <copy|zc> <size> [perf-file]: prints Mpps ligd forwarded (both directions).
run() {
	local mb=() tp
	[ "$2" -gt 2048 ] && mb=(--mbuf-size=10240)
	start_ligd "$1" "$2"
	bench_testpmd_start "$TMP/tp.sock" "tx_first_commands $2" --lcores "0@0,1@0" -- "${mb[@]}"
	tp=$TP_PID
	if [ -n "${3:-}" ]; then
		sleep 4
		perf record -q -g -p "$LIGD" -o "$3" -- sleep $((SECS - 1)) >/dev/null 2>&1
	fi
	wait "$tp" 2>/dev/null
	[ -n "${KEEP:-}" ] && cp "$TMP/testpmd.log" "$KEEP/testpmd.$1.$2.log" &&
		CTL show memif >"$KEEP/memif.$1.$2.txt" && CTL show runtime >"$KEEP/runtime.$1.$2.txt"
	# Both ports' Rx-pps in the second "show port stats all" (the rate since the first).
	awk '/Rx-pps:/ { n++; if (n > 2) s += $2 } END { printf "%.3f\n", s / 1e6 }' \
		"$TMP/testpmd.log"
	if CTL show memif | grep -q 'peer-errors [1-9]'; then
		echo "peer error in $1 run:" >&2
		CTL show memif >&2
	fi
	# zero-copy must really be in use: every interface says so.
	[ "$1" = zc ] && ! CTL show memif memif1/0 | grep -q 'zero-copy' && echo "not zero-copy!" >&2
	kill "$LIGD" 2>/dev/null
	wait "$LIGD" 2>/dev/null
}

echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
declare -A R
for r in $(seq "$ROUNDS"); do
	for s in $SIZES; do
		pc="" pz=""
		if [ -n "${PERF:-}" ] && [ "$r" = "$ROUNDS" ] && [ "$s" = 1500 ]; then
			pc=/tmp/memif_zc.copy.perf.data pz=/tmp/memif_zc.zc.perf.data
		fi
		# (command substitution: the run, ligd's exit included, is over before the next)
		out=$(GEN_OPTS=-z run_gen copy "$s" $pc)
		read -r e ec <<<"$out"
		out=$(GEN_OPTS=-z run_gen zc "$s" $pz)
		read -r f fc <<<"$out"
		a="-" b="-" ac="" bc="" c="-" d="-"
		if [ -z "${NO_COPYGEN:-}" ]; then
			out=$(run_gen copy "$s")
			read -r a ac <<<"$out"
			out=$(run_gen zc "$s")
			read -r b bc <<<"$out"
		fi
		if [ -z "${NO_LOOP:-}" ]; then
			c=$(run copy "$s")
			d=$(run zc "$s")
		fi
		line="round $r size $s: gen in place: copy ${e:-?} Mpps ${ec:-?} clk/pkt, zero-copy"
		line+=" ${f:-?} Mpps ${fc:-?} clk/pkt"
		[ -z "${NO_COPYGEN:-}" ] && line+="; gen copying: copy ${a:-?} Mpps ${ac:-?} clk/pkt,"
		[ -z "${NO_COPYGEN:-}" ] && line+=" zero-copy ${b:-?} Mpps ${bc:-?} clk/pkt"
		[ -z "${NO_LOOP:-}" ] && line+="; testpmd loop: copy ${c:-?}, zero-copy ${d:-?}"
		echo "$line"
		R[ic,$s]+=" ${e:-0}"; R[iz,$s]+=" ${f:-0}"
		R[gc,$s]+=" ${a:-0}"; R[gz,$s]+=" ${b:-0}"; R[tc,$s]+=" ${c:-0}"; R[tz,$s]+=" ${d:-0}"
		R[cc,$s]+=" ${ec:-}"; R[cz,$s]+=" ${fc:-}"
		# The same round's pair: the neighbours' load changes less within one pair.
		R[rg,$s]+=" $(awk -v a="${e:-0}" -v b="${f:-0}" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print 0 }')"
	done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
table() { # <copy-key> <zc-key> <title>
	echo
	echo "$3; $ROUNDS interleaved rounds of $SECS s; Mpps min / median / max:"
	echo
	echo "| frame | copy | zero-copy | zero-copy / copy (median) | copy Gbit/s | zero-copy Gbit/s |"
	echo "|---|---|---|---|---|---|"
	for s in $SIZES; do
		read -r c0 c1 c2 <<<"$(bench_stats ${R[$1,$s]})"
		read -r z0 z1 z2 <<<"$(bench_stats ${R[$2,$s]})"
		ratio=$(awk -v a="$z1" -v b="$c1" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		gc=$(awk -v m="$c1" -v s="$s" 'BEGIN { printf "%.1f", m * s * 8 / 1000 }')
		gz=$(awk -v m="$z1" -v s="$s" 'BEGIN { printf "%.1f", m * s * 8 / 1000 }')
		echo "| $s | $c0 / $c1 / $c2 | $z0 / $z1 / $z2 | $ratio | $gc | $gz |"
	done
}
echo
echo "ligd clocks/packet (in-place gen runs) min / median / max, and zero-copy / copy of each round's pair:"
echo
echo "| frame | copy clocks/pkt | zero-copy clocks/pkt | copy / zero-copy clocks (median) | zero-copy / copy Mpps per round (min / median / max) |"
echo "|---|---|---|---|---|"
for s in $SIZES; do
	read -r c0 c1 c2 <<<"$(bench_stats ${R[cc,$s]})"
	read -r z0 z1 z2 <<<"$(bench_stats ${R[cz,$s]})"
	read -r r0 r1 r2 <<<"$(bench_stats ${R[rg,$s]})"
	ratio=$(awk -v a="$c1" -v b="$z1" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
	echo "| $s | $c0 / $c1 / $c2 | $z0 / $z1 / $z2 | $ratio | $r0 / $r1 / $r2 |"
done
table ic iz "lig-memif-gen -z (in place) master -> ligd slave memif1/0 = xconnect = memif2/0 -> sink (one way)"
[ -z "${NO_COPYGEN:-}" ] && table gc gz "the same with the generator copying whole frames both ways"
[ -z "${NO_LOOP:-}" ] && table tc tz "testpmd io loop <-> ligd slaves xconnected (both directions summed)"

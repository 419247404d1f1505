#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs INSIDE the guest of test_tap_vhost_vm.sh (a kernel with /dev/vhost-net): the vhost
# tap must-shows of issue 10 against a real vhost_net. Every wait is bounded (a server whose
# client never connects is killed), so a hang is a FAIL, not a stuck guest.
# Usage: vm_tap_vhost_guest.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
HERE=$(dirname "$0")

lig_check "/dev/vhost-net exists in the guest" test -c /dev/vhost-net
for p in p1 p2 r1 r2; do lig_netns "$p"; done
P1="${LIG_PREFIX}p1" P2="${LIG_PREFIX}p2" R1="${LIG_PREFIX}r1" R2="${LIG_PREFIX}r2"

cat >"$LIG_TMP/d.cli" <<EOF
create tap id 1 host-if-name eth0 host-ns $P1 host-ip4-addr 10.81.0.1/24 gso
create tap id 2 host-if-name eth0 host-ns $P2 host-ip4-addr 10.81.0.2/24 gso
create bridge-domain 1 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
set interface l2 bridge tap1 1
set interface l2 bridge tap2 1
set interface state tap1 up
set interface state tap2 up
create tap id 3 host-if-name eth0 host-ns $R1 host-ip4-addr 10.82.1.2/24 host-ip4-gw 10.82.1.1 gso
create tap id 4 host-if-name eth0 host-ns $R2 host-ip4-addr 10.82.2.2/24 host-ip4-gw 10.82.2.1 gso
set interface ip address tap3 10.82.1.1/24
set interface ip address tap4 10.82.2.1/24
set interface state tap3 up
set interface state tap4 up
EOF

lig_start d || exit 1
lig_check "configure ligd (vhost taps with gso, bridge, routes)" lig_ctl d exec "$LIG_TMP/d.cli"
lig_ctl d show hardware-interfaces tap1 | sed 's/^/    /'
lig_check "show hardware-interfaces names the vhost-net backend and the offloads" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show hardware-interfaces tap1 |
	       grep -q 'backend vhost-net.*offloads: csum gso'"

# iperf <client-ns> <server-ns> <server-ip> <what> [-R]: a 2 s iperf3 TCP run that must
# carry data; both ends are bounded in time.
iperf() {
	local c=$1 s=$2 ip=$3 what=$4 rev=${5:-}
	ip netns exec "$s" timeout 25 iperf3 -s -1 -B "$ip" >"$LIG_TMP/iperf-s.log" 2>&1 &
	local spid=$!
	LIG_PIDS+=("$spid")
	sleep 0.5
	ip netns exec "$c" timeout 20 iperf3 -c "$ip" -t 2 -f m --connect-timeout 5000 $rev \
		>"$LIG_TMP/iperf.log" 2>&1
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	local mbps
	mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' \
		"$LIG_TMP/iperf.log")
	lig_log "iperf3 TCP $what: ${mbps:-?} Mbit/s"
	lig_check "iperf3 TCP $what" awk -v m="${mbps:-0}" 'BEGIN { exit !(m > 0) }'
	[ -n "${mbps:-}" ] || sed 's/^/    /' "$LIG_TMP/iperf.log"
}
rx_gso() { lig_ctl d show hardware-interfaces "$1" | awk '/rx gso/ { for (i = 1; i <= NF; i++) if ($i == "gso") { print $(i + 1) + 0; exit } }'; }

# 1. Bridge domain.
lig_check "bridge: ping p1 -> p2" lig_ping p1 10.81.0.2 3
iperf "$P1" "$P2" 10.81.0.2 "bridge p1 -> p2"
iperf "$P1" "$P2" 10.81.0.2 "bridge p2 -> p1" -R
lig_check "bridge: super-frames arrived whole (tap1 and tap2 rx gso > 0)" \
	test "$(rx_gso tap1)" -gt 0 -a "$(rx_gso tap2)" -gt 0

# 2. IPv4 forwarding.
lig_check "routed: ping r1 -> r2" lig_ping r1 10.82.2.2 3
iperf "$R1" "$R2" 10.82.2.2 "routed r1 -> r2"
iperf "$R1" "$R2" 10.82.2.2 "routed r2 -> r1" -R

# 3. Garbage virtio-net headers from a raw socket in pod p1.
ERR0=$(lig_ctl d show errors | awk '/tap-input.*bogus GSO request/ { print $1 }')
P2MAC=$(ip -n "$P2" link show eth0 | awk '/link\/ether/ { print $2 }')
ip netns exec "$P1" timeout 20 python3 "$HERE/vnet_hostile.py" eth0 "$P2MAC" 10.81.0.1 10.81.0.2 5 \
	>"$LIG_TMP/hostile.out" 2>&1
lig_log "hostile pod: $(cat "$LIG_TMP/hostile.out")"
sleep 0.5
ERR1=$(lig_ctl d show errors | awk '/tap-input.*bogus GSO request/ { print $1 }')
lig_log "tap-input bogus GSO requests: ${ERR0:-0} -> ${ERR1:-0}"
lig_check "garbage virtio-net headers counted and dropped" test "${ERR1:-0}" -gt "${ERR0:-0}"
lig_check "ligd keeps forwarding after the garbage" lig_ping p1 10.81.0.2 3

# 4. Restart: the vhost taps come back from the same configuration, traffic resumes.
eval "PID_D=\$LIG_PID_d"
kill -TERM "$PID_D"
for _ in $(seq 100); do kill -0 "$PID_D" 2>/dev/null || break; sleep 0.1; done
lig_check "ligd exits on SIGTERM" sh -c "! kill -0 $PID_D 2>/dev/null"
lig_start d || exit 1
lig_check "restarted ligd takes the configuration again" lig_ctl d exec "$LIG_TMP/d.cli"
lig_check "after restart: ping p1 -> p2" lig_ping p1 10.81.0.2 3
iperf "$P1" "$P2" 10.81.0.2 "after restart p1 -> p2"

# 5. No vhost or tap fd leak over 100 create/delete cycles of a gso tap in a pod.
eval "PID_D=\$LIG_PID_d"
: >"$LIG_TMP/cycle.cli"
for _ in $(seq 100); do
	printf 'create tap id 60 host-if-name tapcycle host-ns %s gso\ndelete tap tap60\n' "$P1" \
		>>"$LIG_TMP/cycle.cli"
done
FD0=$(ls /proc/"$PID_D"/fd | wc -l)
lig_check "100 vhost tap create/delete cycles" lig_ctl d exec "$LIG_TMP/cycle.cli"
FD1=$(ls /proc/"$PID_D"/fd | wc -l)
lig_log "ligd fds before $FD0, after $FD1"
lig_check "no fd leak (/proc/<pid>/fd unchanged)" test "$FD0" -eq "$FD1"

lig_ctl d show errors | sed 's/^/    /'
lig_test_done

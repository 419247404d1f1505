#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A namespace host pings a lig-memif-responder (a CNF on libligmemif) through ligd:
# veth/af_packet host-interface <-> bridge domain 1 <-> memif0/0 (ligd master, responder
# slave). Then jumbo pings (8000 bytes: chained descriptors both ways), then peer
# restart: the responder is killed and started again, and ping resumes without any
# command to ligd, which counts the reconnect.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a"
lig_host a 10.72.0.1/24
lig_start d || exit 1
sock="$LIG_TMP/memif.sock"

lig_ctl d create host-interface name "$A" >/dev/null
lig_ctl d create interface memif id 0 master >/dev/null
lig_ctl d create bridge-domain 1 >/dev/null
for i in "host-$A" memif0/0; do
	lig_ctl d set interface state "$i" up
	lig_ctl d set interface l2 bridge "$i" 1
done

start_responder() {
	"$LIG_BIN/lig-memif-responder" -s "$sock" -i 0 10.72.0.2 >>"$LIG_TMP/responder.log" 2>&1 &
	RESP_PID=$!
	LIG_PIDS+=("$RESP_PID")
}

start_responder
lig_check "responder connects to memif0/0" memif_wait_connected d memif0/0 50
lig_check "ping responder through af_packet <-> bridge <-> memif" lig_ping a 10.72.0.2 5

# rx modes: each must still deliver; in interrupt mode an idle ligd sleeps.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for mode in polling interrupt adaptive; do
	lig_ctl d set interface rx-mode memif0/0 $mode
	lig_check "rx-mode $mode: ping still works" lig_ping a 10.72.0.2 3
	lig_check "rx-mode $mode shown" bash -c \
		"$LIG_BIN/ligctl -s $LIG_TMP/d.sock show memif memif0/0 | grep -q 'rx-mode $mode'"
done
lig_ctl d set interface rx-mode memif0/0 interrupt
t0=$(cpu_ticks "$LIG_PID_d"); sleep 2; t1=$(cpu_ticks "$LIG_PID_d")
lig_log "idle ligd in interrupt mode used $((t1 - t0)) ticks of CPU in 2 s"
lig_check "idle ligd in interrupt mode sleeps (< 0.2 s CPU in 2 s)" test $((t1 - t0)) -lt 20
lig_check "rx-mode on a non-memif interface is refused" bash -c \
	"! $LIG_BIN/ligctl -s $LIG_TMP/d.sock set interface rx-mode host-$A polling"
lig_ctl d set interface rx-mode memif0/0 adaptive

# Jumbo: MTU 9000 everywhere on the path.
ip link set "$A" mtu 9000
ip -n "$A" link set eth0 mtu 9000
lig_ctl d set interface mtu 9000 "host-$A"
lig_ctl d set interface mtu 9000 memif0/0
lig_check "8000-byte ping (chained descriptors both ways)" \
	ip netns exec "$A" ping -c 3 -i 0.2 -W 2 -M do -s 8000 10.72.0.2
# Frames of 1 KiB and more go into the responder's slots with cached or streaming stores
# (memif { tx-stores }; LIG_TEST_MEMIF_TX_STORES=streaming runs this test with streaming
# ones): the echoed payload must come back as sent, in one slot and chained.
for size in 1400 8000; do
	lig_check "$size-byte ping with a payload pattern comes back intact" bash -c \
		"ip netns exec $A ping -c 3 -i 0.2 -W 2 -M do -s $size -p a55a0ff0c3 10.72.0.2 \
		 >$LIG_TMP/pattern.out 2>&1 && ! grep -q 'wrong data' $LIG_TMP/pattern.out"
done
if [ -n "${LIG_TEST_MEMIF_TX_STORES:-}" ]; then
	stores="stores ${LIG_TEST_MEMIF_TX_STORES} \\(startup tx-stores\\)"
else
	stores="stores (cached|streaming), [0-9]+ switches to streaming, cached [0-9]+ ticks/line"
fi
lig_check "show memif gives the tx ring's stores" bash -c \
	"$LIG_BIN/ligctl -s $LIG_TMP/d.sock show memif memif0/0 | grep -Eq '$stores'"
printf 'memif {\n  tx-stores fast\n}\n' >"$LIG_TMP/bad.conf"
lig_check "tx-stores other than auto|cached|streaming refused" \
	sh -c "! timeout 5 '$LIG_BIN/ligd' -c '$LIG_TMP/bad.conf' -s '$LIG_TMP/bad.sock' \
	       >'$LIG_TMP/bad.out' 2>&1 && grep -q 'tx-stores must be auto|cached|streaming' '$LIG_TMP/bad.out'"

# Peer restart.
kill -TERM "$RESP_PID"
wait "$RESP_PID" 2>/dev/null
lig_check "ligd sees the responder go" bash -c \
	"sleep 0.3; $LIG_BIN/ligctl -s $LIG_TMP/d.sock show memif memif0/0 | grep -q 'state down'"
lig_check "no ping while it is gone" bash -c "! ip netns exec $A ping -c 1 -W 1 10.72.0.2"
start_responder
lig_check "restarted responder reconnects" memif_wait_connected d memif0/0 50
lig_check "ping resumes without touching ligd" lig_ping a 10.72.0.2 3
lig_check "ligd counted the reconnect" bash -c \
	"$LIG_BIN/ligctl -s $LIG_TMP/d.sock show memif memif0/0 | grep -q 'connects 2 disconnects 1 peer-errors 0'"

# ligd as slave: the responder is master on its own socket; when it restarts, ligd's
# slave reconnects by itself. The slave's buffers (its slots, both ways) hold 10240 bytes,
# so a jumbo frame is one descriptor; with LIG_TEST_DATA_SIZE=10240 it is also one ligd
# buffer, copied in with its first line last (node.c, lig_memif_copy_head_last).
rsock="$LIG_TMP/responder-master.sock"
lig_ctl d create memif socket id 1 filename "$rsock"
lig_ctl d create interface memif id 5 socket-id 1 slave buffer-size 10240 >/dev/null
lig_ctl d set interface mtu 9000 memif1/5
lig_ctl d set interface state memif1/5 up
lig_ctl d set interface l2 bridge memif1/5 1
start_master() {
	"$LIG_BIN/lig-memif-responder" -m -s "$rsock" -i 5 -a 02:4c:49:47:00:05 10.72.0.3 >>"$LIG_TMP/responder-m.log" 2>&1 &
	RESPM_PID=$!
	LIG_PIDS+=("$RESPM_PID")
}
start_master
lig_check "ligd slave memif1/5 connects to the responder master" memif_wait_connected d memif1/5 50
lig_check "ping the master responder through ligd's slave" lig_ping a 10.72.0.3 3
lig_check "8000-byte ping through the slave (one 10240-byte slot per frame both ways)" \
	ip netns exec "$A" ping -c 3 -i 0.2 -W 2 -M do -s 8000 -p 5a3c 10.72.0.3
kill -TERM "$RESPM_PID"
wait "$RESPM_PID" 2>/dev/null
start_master
lig_check "ligd slave reconnects to the restarted master" memif_wait_connected d memif1/5 50
lig_check "ping resumes through the slave" lig_ping a 10.72.0.3 3
lig_check "the first responder was not disturbed" lig_ping a 10.72.0.2 2

lig_test_done

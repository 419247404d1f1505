#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A hostile memif peer (memif-hostile) against ligd: garbage and out-of-place control
# messages, a wrong secret, regions larger than their file, rings outside their region,
# out-of-range descriptors and ring indices in both directions. Each time ligd must
# disconnect that peer, log why and count it; then a hostile master against a ligd slave, while lig-memif-gen traffic through two
# other memif interfaces (xconnected) keeps flowing without loss or disconnects.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/memif_lib.sh"
lig_test_init "$1"

lig_start h
sock="$LIG_TMP/memif.sock"
for i in 0 1 2 3; do
	lig_ctl h create interface memif id $i master >/dev/null
	lig_ctl h set interface state memif0/$i up
done
lig_ctl h set interface l2 xconnect memif0/1 memif0/2
lig_ctl h set interface l2 xconnect memif0/2 memif0/1
lig_ctl h set interface l2 xconnect memif0/3 memif0/0
lig_ctl h create interface memif id 4 master secret sesame >/dev/null

# Good traffic for the whole test.
"$LIG_BIN/lig-memif-gen" -s "$sock" -i 1 -S "$sock" -I 2 -l 512 -t 8 >"$LIG_TMP/gen.log" 2>&1 &
gen_pid=$!
LIG_PIDS+=("$gen_pid")
lig_check "good peers connected" memif_wait_connected h memif0/2 50

errors=0
attack() { # <mode> <expected reason fragment> [id]
	local mode=$1 want=$2 id=${3:-0} before after
	before=$(lig_ctl h show memif memif0/$id | sed -n 's/.*peer-errors \([0-9]*\).*/\1/p')
	lig_check "$mode: ligd disconnects the peer" \
		timeout 10 "$LIG_BIN/memif-hostile" "$sock" "$id" "$mode"
	sleep 0.2
	after=$(lig_ctl h show memif memif0/$id | sed -n 's/.*peer-errors \([0-9]*\).*/\1/p')
	lig_check "$mode: counted as a peer error" test "$after" -gt "$before"
	lig_check "$mode: reason logged ('$want')" grep -q "memif0/$id.*$want" "$LIG_TMP/h.log"
}

attack garbage "control message of 50 bytes"
attack bad-type "unknown message type 99"
attack bad-secret "incorrect secret" 4
attack bad-region "declared 1048576 bytes"
attack bad-ring "outside region"
attack bad-desc "region index out of range"
attack bad-offset "outside its region"
attack bad-index "beyond ring size"

# bad-m2s: only found when ligd transmits to it; memif0/3 -> memif0/0 makes ligd send.
"$LIG_BIN/memif-hostile" "$sock" 0 bad-m2s >"$LIG_TMP/hostile-m2s.log" 2>&1 &
hpid=$!
LIG_PIDS+=("$hpid")
memif_wait_connected h memif0/0 30 >/dev/null
"$LIG_BIN/lig-memif-gen" -s "$sock" -i 3 -l 128 -n 1000 -w 5 >"$LIG_TMP/gen3.log" 2>&1
wait "$hpid"
lig_check "bad-m2s: ligd disconnects the peer when it transmits" test $? -eq 0
lig_check "bad-m2s: reason logged" grep -q "memif0/0.*tx: descriptor" "$LIG_TMP/h.log"

# A hostile master against a ligd slave: every value it writes is checked too.
msock="$LIG_TMP/hostile-master.sock"
lig_ctl h create memif socket id 1 filename "$msock"
lig_ctl h create interface memif id 0 socket-id 1 slave >/dev/null
master_attack() { # <mode> <expected reason fragment>
	local before after
	before=$(lig_ctl h show memif memif1/0 | sed -n 's/.*peer-errors \([0-9]*\).*/\1/p')
	lig_check "$1: ligd slave disconnects the master" \
		timeout 10 "$LIG_BIN/memif-hostile" --master "$msock" 0 "$1"
	sleep 0.2
	after=$(lig_ctl h show memif memif1/0 | sed -n 's/.*peer-errors \([0-9]*\).*/\1/p')
	lig_check "$1: counted as a peer error" test "$after" -gt "$before"
	lig_check "$1: reason logged ('$2')" grep -q "memif1/0.*$2" "$LIG_TMP/h.log"
}
master_attack m-bad-version "versions 0x100..0x100"
master_attack m-bad-tail "beyond ring size"
master_attack m-bad-desc "length exceeds buffer size"

lig_check "show memif shows the last reason" bash -c \
	"$LIG_BIN/ligctl -s $LIG_TMP/h.sock show memif memif0/0 | grep -q 'last disconnect reason: tx: descriptor'"
lig_check "ligd is alive and answers" lig_ctl h show version

wait "$gen_pid"
cat "$LIG_TMP/gen.log"
lig_check "good traffic flowed during the attacks" \
	awk '{for(i=1;i<=NF;i++) if($i=="received") r=$(i+1)} END{exit !(r > 100000)}' "$LIG_TMP/gen.log"
# Loss is the good peers' rings overflowing whenever ligd falls behind: usually 0.1-0.3%
# under ASan+UBSan, but one run on a loaded machine lost 1.07% with nothing else wrong.
max_loss=1.0
[ "$LIG_SANITIZED" = 1 ] && max_loss=5.0
lig_check "good traffic: loss under $max_loss%" \
	awk -v max="$max_loss" '{for(i=1;i<=NF;i++) if($i=="loss") l=$(i+1)} END{sub("%","",l); exit !(l+0 < max)}' "$LIG_TMP/gen.log"
lig_check "good peers never disconnected during the attacks" bash -c \
	"$LIG_BIN/ligctl -s $LIG_TMP/h.sock show memif memif0/1 | grep -q 'connects 1 disconnects 1 peer-errors 0'"

lig_test_done

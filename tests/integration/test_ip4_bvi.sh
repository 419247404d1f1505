#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A BVI as the routed gateway of a bridge domain: two pods bridged in bridge domain 5
# with BVI loop0 (10.84.1.1/24) reach a host on an L3 interface (10.84.2.0/24) and back;
# arp-term answers ARP from the bridge domain's IP-to-MAC table for an address no pod
# owns. Usage: test_ip4_bvi.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

P1="${LIG_PREFIX}p1" P2="${LIG_PREFIX}p2" H="${LIG_PREFIX}h"
lig_host p1 10.84.1.2/24
lig_host p2 10.84.1.3/24
lig_host h 10.84.2.2/24
ip -n "$P1" route add default via 10.84.1.1
ip -n "$P2" route add default via 10.84.1.1
ip -n "$H" route add default via 10.84.2.1
lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create bridge-domain 5 learn 1 forward 1 uu-flood 1 flood 1 arp-term 0
create host-interface name $P1
create host-interface name $P2
create host-interface name $H
set interface state host-$P1 up
set interface state host-$P2 up
set interface state host-$H up
set interface l2 bridge host-$P1 5
set interface l2 bridge host-$P2 5
loopback create mac 02:00:00:00:84:01
set interface l2 bridge loop0 5 bvi
set interface state loop0 up
set interface ip address loop0 10.84.1.1/24
set interface ip address host-$H 10.84.2.1/24
EOF
lig_check "configure bridge domain with BVI and an L3 port" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_check "pod1 -> BVI" lig_ping p1 10.84.1.1 2
lig_check "pod1 -> routed host via the BVI" lig_ping p1 10.84.2.2 3
lig_check "pod2 -> routed host via the BVI" lig_ping p2 10.84.2.2 3
lig_check "routed host -> pod2 (glean on the BVI)" lig_ping h 10.84.1.3 3
lig_check "pod1 -> pod2 bridged" lig_ping p1 10.84.1.3 2
lig_check "ligd ping a pod through the BVI" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.84.1.2 repeat 2 interval 200 | grep -q '2 received'"
lig_check "TTL expiry from a pod through the BVI" \
	sh -c "ip netns exec $P1 ping -c 1 -t 1 -W 2 10.84.2.2 | grep -q 'Time to live exceeded'"
lig_check "arp-term on with an entry" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set bridge-domain arp-term 5 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set bridge-domain arp entry 5 10.84.1.99 02:00:00:00:84:99"
ip netns exec "$P1" ping -c 1 -W 1 10.84.1.99 >/dev/null 2>&1
lig_check "arp-term answered for 10.84.1.99" \
	sh -c "ip -n $P1 neigh show 10.84.1.99 | grep -q 02:00:00:00:84:99"
# Aging with refresh: with an 8 s age, ligd re-asks live neighbours in the last quarter
# of their age, so a pod that answers stays; a static entry for a silent address stays
# too, a learned entry for a silent address goes.
lig_check "neighbour age 8 s; a static entry" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set ip neighbor-config age 8 &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set ip neighbor loop0 10.84.1.77 02:00:00:00:84:77 static &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set ip neighbor loop0 10.84.1.78 02:00:00:00:84:78"
lig_ping p1 10.84.1.1 1 >/dev/null
sleep 12
NB=$(lig_ctl d show ip neighbors)
echo "$NB" | sed 's/^/    /'
lig_check "a live pod is refreshed, not aged out" sh -c "echo '$NB' | grep -q '10.84.1.2 '"
lig_check "the static entry stays" sh -c "echo '$NB' | grep -q '10.84.1.77 .*S'"
lig_check "a dynamic entry for a silent address aged out" sh -c "! echo '$NB' | grep -q '10.84.1.78 '"
lig_test_done

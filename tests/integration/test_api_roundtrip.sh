#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The API round trip: a node configured with every object type through the CLI (node A) is
# dumped through the API; the dump is applied through the API to a fresh ligd (B), whose dump
# must be the same; and A's `show running-config`, replayed with `ligctl exec` on another
# fresh ligd (C), must give the same dump again. Each ligd runs in a network namespace of its
# own holding the same devices, with a private memif socket directory, so the three can hold
# the same configuration at once.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
lig_test_init "$1"

# node <name>: a namespace with two veth pairs and a ligd inside, memif sockets private.
node() {
	local n=$1
	lig_netns "$n"
	local ns=$LIG_NS
	ip -n "$ns" link add rtv0 type veth peer name rtp0
	ip -n "$ns" link add rtv1 type veth peer name rtp1
	for l in rtv0 rtp0 rtv1 rtp1; do ip -n "$ns" link set "$l" up; done
	mkdir -p "$LIG_TMP/$n" "$LIG_TMP/memif"
	ip netns exec "$ns" sh -c "mount -t tmpfs rt-memif '$LIG_TMP/memif' && exec '$LIG_BIN/ligd' -s '$LIG_TMP/$n/cli.sock'" \
		>"$LIG_TMP/$n.log" 2>&1 &
	LIG_PIDS+=("$!")
	for _ in $(seq 100); do
		"$LIG_BIN/ligctl" -s "$LIG_TMP/$n/cli.sock" show version >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "ligd $n did not start"; cat "$LIG_TMP/$n.log"; return 1
}
ctl() { local n=$1; shift; "$LIG_BIN/ligctl" -s "$LIG_TMP/$n/cli.sock" "$@"; }

node a
node b
node c

cat >"$LIG_TMP/config.cli" <<CLI
create memif socket id 1 filename $LIG_TMP/memif/m1.sock
create interface memif id 0 socket-id 1 master ring-size 2048 buffer-size 4096 hw-addr 02:00:00:00:0a:01
create memif socket id 2 filename $LIG_TMP/memif/m2.sock
create interface memif id 1 socket-id 2 slave mode ethernet
create interface memif id 7 master rx-queues 2 tx-queues 2
create host-interface name rtv0 hw-addr 02:00:00:00:0b:01
create host-interface name rtv1
create tap id 3 host-if-name rttap3 host-ip4-addr 10.99.0.2/24 hw-addr 02:00:00:00:0c:03
loopback create mac 02:00:00:00:0d:01
loopback create instance 5
ip table add 5
ip table add 7
create vxlan tunnel src 10.1.0.1 dst 10.1.0.2 vni 100
create vxlan tunnel src 10.5.0.1 dst 10.5.0.9 vni 200 encap-vrf-id 5
create bridge-domain 10 learn 1 forward 1 uu-flood 0 flood 1 arp-term 1 mac-age 5
create bridge-domain 20 learn 0
set interface l2 bridge memif1/0 10
set interface l2 bridge loop0 10 bvi
set interface l2 bridge vxlan_tunnel0 10 shg 1
set interface l2 bridge host-rtv1 20
set interface l2 xconnect memif2/1 tap3
set interface l2 xconnect tap3 memif2/1
l2fib add 02:00:00:00:99:01 10 memif1/0 static
l2fib add 02:00:00:00:99:02 10 loop0 static bvi
set bridge-domain arp entry 10 10.10.0.5 02:00:00:00:99:05
set interface mac address host-rtv0 02:00:00:00:0b:99
set interface mtu 9000 host-rtv0
set interface ip address host-rtv0 10.1.0.1/24
set interface ip address loop0 10.10.0.1/24
set interface ip table loop5 5
set interface ip address loop5 10.5.0.1/24
set interface ip address memif0/7 10.7.0.1/30
set interface ip table vxlan_tunnel1 7
set interface proxy-arp host-rtv0 enable
ip route add 10.20.0.0/16 via 10.1.0.2 host-rtv0 via 10.1.0.3 host-rtv0
ip route add 10.21.0.0/24 via 10.1.0.4
ip route add 192.0.2.0/24 drop
ip route add 10.22.0.0/24 via 10.1.0.2 host-rtv0 weight 1 via 10.1.0.3 host-rtv0 weight 3
set ip neighbor-config age 600
set l2 learn-limit 5000
set interface rx-mode memif1/0 polling
ip route add 10.50.0.0/16 table 5 via 10.5.0.9
set ip neighbor host-rtv0 10.1.0.2 02:00:00:00:77:02 static
set ip neighbor loop5 10.5.0.9 02:00:00:00:77:09 static
set interface state host-rtv0 up
set interface state host-rtv1 up
set interface state loop0 up
set interface state memif1/0 up
set interface state tap3 up
set interface state vxlan_tunnel0 up
CLI

lig_check "node A configured through the CLI" ctl a exec "$LIG_TMP/config.cli"
[ "$LIG_FAILS" -eq 0 ] || { lig_test_done; exit 1; }
ctl a api snapshot >"$LIG_TMP/a.snap"
lig_log "node A: $(wc -l <"$LIG_TMP/a.snap") objects in its API dump"
for kind in memif_socket memif af_packet tap loopback vxlan interface bridge_domain \
	l2fib l2fib_info l2_xconnect bd_ip_mac ip_table ip_interface ip_address ip_route \
	ip_neighbor ip_neighbor_config; do
	lig_check "the dump holds $kind objects" grep -q "^$kind " "$LIG_TMP/a.snap"
done

lig_check "A copied onto fresh B through the API" \
	ctl a api copy "$LIG_TMP/b/api.sock"
ctl b api snapshot >"$LIG_TMP/b.snap"
lig_check "B's dump equals A's" diff -u "$LIG_TMP/a.snap" "$LIG_TMP/b.snap"

ctl a show running-config >"$LIG_TMP/running.cli"
# C joins the bridge ports in the reverse order (all at the place of the last one): a
# domain's ports are a set, and the dump's text must not depend on their order (an agent
# replaying its configuration after a restart adds them in its own order).
awk '/^set interface l2 bridge /{ b[n++] = $0; last = NR } { l[NR] = $0 }
	END { for (i = 1; i <= NR; i++) {
		if (l[i] ~ /^set interface l2 bridge /) { if (i == last) for (k = n - 1; k >= 0; k--) print b[k] }
		else print l[i] } }' "$LIG_TMP/running.cli" >"$LIG_TMP/running-rev.cli"
lig_check "the replay has more than one bridge port to reorder" \
	test "$(grep -c '^set interface l2 bridge ' "$LIG_TMP/running-rev.cli")" -ge 3
lig_check "A's running-config replays on fresh C" ctl c exec "$LIG_TMP/running-rev.cli"
ctl c api snapshot >"$LIG_TMP/c.snap"
lig_check "C's dump equals A's" diff -u "$LIG_TMP/a.snap" "$LIG_TMP/c.snap"
# Interfaces come in index order, which differs between nodes built in another order.
lig_check "running-config of B has A's lines" \
	diff -u <(sort "$LIG_TMP/running.cli") <(ctl b show running-config | sort)

# A memif secret is never dumped (only whether one is set), so a node that uses one cannot
# be copied from its dump: the copy says so instead of creating an interface without it.
node d
ctl a create interface memif id 9 socket-id 2 slave secret sesame >/dev/null
ctl a api copy "$LIG_TMP/d/api.sock" >"$LIG_TMP/copy-secret.out" 2>&1
lig_check "copying a node with a secret memif fails" test $? -ne 0
lig_check "the refusal names the interface and why" grep -q 'memif2/9 has a secret' "$LIG_TMP/copy-secret.out"
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# IPv4 routing through ligd between namespace hosts on three subnets (af_packet host
# interfaces in L3 mode): ARP glean (the very first packet is not lost), forwarding both
# ways, ping from ligd, TTL expiry (ICMP time exceeded), no route (ICMP unreachable),
# ECMP over two next hops spreading UDP flows, drop routes and per-reason counters.
# Usage: test_ip4_routing.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a" B="${LIG_PREFIX}b" C="${LIG_PREFIX}c"
lig_host a 10.81.1.2/24
lig_host b 10.81.2.2/24
lig_host c 10.81.3.2/24
ip -n "$A" route add default via 10.81.1.1
ip -n "$B" route add default via 10.81.2.1
ip -n "$C" route add default via 10.81.3.1
# The ECMP destination lives on both b and c.
ip -n "$B" addr add 10.81.100.1/32 dev lo
ip -n "$C" addr add 10.81.100.1/32 dev lo
# Reached through an attached route (via <interface>): ARPed directly, off our subnets.
ip -n "$C" addr add 10.81.77.5/32 dev lo
lig_start d || exit 1

cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $A
create host-interface name $B
create host-interface name $C
set interface state host-$A up
set interface state host-$B up
set interface state host-$C up
set interface ip address host-$A 10.81.1.1/24
set interface ip address host-$B 10.81.2.1/24
set interface ip address host-$C 10.81.3.1/24
set interface ip address host-$C 10.81.33.1/24
ip route add 10.81.100.0/24 via 10.81.2.2 via 10.81.3.2
ip route add 10.81.200.0/24 drop
ip route add 10.81.77.0/24 via host-$C
EOF
lig_check "configure routing" lig_ctl d exec "$LIG_TMP/setup.cli"

# The first packet to b waits in ip4-glean while ligd ARPs for b, then goes out.
lig_check "ARP glean: first ping a -> b succeeds" \
	ip netns exec "$A" ping -c 1 -W 3 10.81.2.2
lig_check "ping a -> b" lig_ping a 10.81.2.2 3
lig_check "ping b -> a" lig_ping b 10.81.1.2 3
lig_check "ping a -> c" lig_ping a 10.81.3.2 3
lig_check "ping ligd's own addresses (echo reply)" lig_ping a 10.81.3.1 2
lig_check "ping ligd's second address on c" lig_ping a 10.81.33.1 2
lig_check "attached route (via interface) resolves its destination by ARP" \
	lig_ping a 10.81.77.5 2
lig_check "ligd learned b in show ip neighbors" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip neighbors | grep -q '10.81.2.2 .*host-$B'"
lig_check "glean counted in show errors" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'packets held for ARP resolution'"

lig_check "ping from ligd to c" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.81.3.2 repeat 3 interval 200 | grep -q '3 sent, 3 received'"
lig_check "ping from ligd with source interface" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.81.1.2 source host-$A repeat 2 interval 200 | grep -q '2 received'"
lig_check "ping from ligd to an unresolvable host reports loss" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ping 10.81.2.99 repeat 1 interval 100 | grep -q '100% packet loss'"

# TTL 1 expires at ligd: the sender hears ICMP time exceeded from the gateway.
lig_check "TTL expiry returns time exceeded" \
	sh -c "ip netns exec $A ping -c 1 -t 1 -W 2 10.81.2.2 | grep -q 'Time to live exceeded'"
lig_check "TTL expiry counted" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'TTL expired'"
lig_check "no route returns net unreachable" \
	sh -c "ip netns exec $A ping -c 1 -W 2 10.99.0.1 | grep -q 'Destination Net Unreachable'"
lig_check "UDP to ligd's address returns port unreachable" \
	ip netns exec "$A" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(('10.81.1.1', 33434))
s.send(b'probe')
try:
    s.recv(100)
except ConnectionRefusedError:
    raise SystemExit(0)
raise SystemExit(1)"
lig_check "drop route drops silently, counted" \
	sh -c "! ip netns exec $A ping -c 1 -W 1 10.81.200.1 >/dev/null &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'drop route'"

# ECMP: 64 UDP flows (distinct source ports) to 10.81.100.1 spread over b and c.
rx() { cat "/sys/class/net/$1/statistics/tx_packets"; }
B0=$(rx "$B") C0=$(rx "$C")
ip netns exec "$A" python3 - <<'EOF'
import socket
for port in range(40000, 40064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.81.1.2", port))
    for _ in range(5):
        s.sendto(b"x" * 32, ("10.81.100.1", 9))
    s.close()
EOF
sleep 0.5
# The root-namespace veth ends transmit what ligd sent towards each host.
DB=$(( $(rx "$B") - B0 )) DC=$(( $(rx "$C") - C0 ))
lig_log "ECMP spread: $DB packets via b, $DC via c (of 320)"
lig_check "ECMP uses both next hops" test "$DB" -ge 40 -a "$DC" -ge 40
lig_check "show ip fib shows the 2-path load-balance" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib 10.81.100.0/24 | grep -q '2 paths'"
lig_check "show ip fib summary counts routes" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib summary | grep -q 'total'"
lig_check "route delete then unreachable" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip route del 10.81.100.0/24 &&
	       ip netns exec $A ping -c 1 -W 2 10.81.100.1 | grep -q 'Unreachable'"
# Proxy ARP: a makes b's subnet on-link, so it ARPs for b itself; ligd answers only
# once proxy-arp is on for a's interface (off by default).
ip -n "$A" route add 10.81.2.0/24 dev eth0
lig_check "proxy-arp off: an on-link ARP for another subnet is not answered" \
	sh -c "! ip netns exec $A ping -c 1 -W 1 10.81.2.2 >/dev/null"
lig_check "proxy-arp on: answered, traffic routed" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set interface proxy-arp host-$A enable &&
	       ip -n $A neigh flush all &&
	       ip netns exec $A ping -c 2 -i 0.2 -W 2 10.81.2.2 >/dev/null &&
	       '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'proxy ARP replies sent'"
ip -n "$A" route del 10.81.2.0/24 dev eth0
# A neighbour whose host route an API /32 replaced: once that /32 is deleted, the first
# packet to it finds the neighbour known but no route. Glean restores the route and sends
# the packet (on a worker: main restores it and releases the packet held meanwhile).
lig_ctl d ip route add 10.81.2.2/32 drop
lig_ctl d ip route del 10.81.2.2/32
lig_check "the first packet to a known neighbour whose /32 went away gets through" \
	ip netns exec "$A" ping -c 1 -W 2 10.81.2.2
lig_check "and its host route is back" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show ip fib 10.81.2.2/32 | grep -q '10.81.2.2/32'"
lig_check "bad command is an error naming the command" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' ip route add 1.2.3.0/24 via 9.9.9.9 2>&1 | grep -q 'ip route add'"
lig_test_done

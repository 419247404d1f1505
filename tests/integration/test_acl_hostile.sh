#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Hostile traffic against ACLs, routed (L3) and bridged (L2): non-first fragments (matched
# on addresses and protocol, so a deny on TCP port 5002 drops TCP fragments to b too),
# tiny first fragments and truncated L4 headers (dropped), TCP flag soup from random
# ports filling a small reflect session table (bounded, counted), bad IPv4 headers, IPv6
# and non-IP frames on a bridge port: every kind counted in show errors, ligd never
# crashes and keeps forwarding other flows, sessions age and new flows pass again.
# Usage: test_acl_hostile.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acl_lib.sh"
lig_test_init "$1"
HOSTILE="$(dirname "$0")/acl_hostile.py"

lig_host a 10.85.1.2/24
lig_host b 10.85.2.2/24
lig_host c 10.85.3.1/24 02:00:00:85:03:01
lig_host e 10.85.3.2/24 02:00:00:85:03:02
for h in a b c e; do
	ip netns exec "${LIG_PREFIX}$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.eth0.disable_ipv6=1
done
ip -n "${LIG_PREFIX}a" route add default via 10.85.1.1
ip -n "${LIG_PREFIX}b" route add default via 10.85.2.1
lig_start d || exit 1
A="host-${LIG_PREFIX}a" B="host-${LIG_PREFIX}b" C="host-${LIG_PREFIX}c" E="host-${LIG_PREFIX}e"
CTL="$LIG_BIN/ligctl -s $LIG_TMP/d.sock"
cat >"$LIG_TMP/setup.cli" <<EOC
create host-interface name ${LIG_PREFIX}a
create host-interface name ${LIG_PREFIX}b
create host-interface name ${LIG_PREFIX}c
create host-interface name ${LIG_PREFIX}e
set interface state $A up
set interface state $B up
set interface state $C up
set interface state $E up
set interface ip address $A 10.85.1.1/24
set interface ip address $B 10.85.2.1/24
create bridge-domain 10
set interface l2 bridge $C 10
set interface l2 bridge $E 10
set acl-plugin session table max-entries 64
set acl-plugin session timeout tcp transient 1
set acl-plugin acl index 0 deny src 0.0.0.0/0 dst 10.85.2.2/32 proto 6 dport 5002, permit+reflect src 10.85.1.0/24 dst 0.0.0.0/0
set acl-plugin acl index 1 deny src 0.0.0.0/0 dst 0.0.0.0/0
set acl-plugin acl index 2 permit src 0.0.0.0/0 dst 0.0.0.0/0
set acl-plugin interface $A input acl 0
set acl-plugin interface $A output acl 1
set acl-plugin interface $C input acl 2
EOC
lig_check "configure" lig_ctl d exec "$LIG_TMP/setup.cli"
acl_serve b 5001 5002 || lig_check "servers on b" false
lig_check "a -> b:5001 works" acl_tcp a 10.85.2.2 5001
lig_check "ping c -> e (bridged, ACL on c) works" lig_ping c 10.85.3.2 2
GW=$(ip -n "${LIG_PREFIX}a" neigh show 10.85.1.1 | awk '{print $5; exit}')
lig_check "ligd's MAC on a's side known ($GW)" test -n "$GW"

# error_count <reason>: summed count of the show errors lines naming it.
error_count() {
	$CTL show errors | awk -v r="$1" 'index($0, r) { n += $1 } END { print n + 0 }'
}
send() { ip netns exec "${LIG_PREFIX}$1" python3 "$HOSTILE" eth0 "$2" "$3" "$4" "$5" "$6" "$7"; }

lig_check "send 200 non-first TCP fragments a -> b" send a "$GW" 10.85.1.2 10.85.2.2 5002 frag 200
lig_check "send 100 tiny first fragments" send a "$GW" 10.85.1.2 10.85.2.2 5001 tiny 100
lig_check "send 150 truncated TCP/UDP/ICMP headers" send a "$GW" 10.85.1.2 10.85.2.2 5001 trunc 150
lig_check "send 512 TCP flag-soup packets from random ports" send a "$GW" 10.85.1.2 10.85.2.2 5001 soup 512
lig_check "send bad IPv4, IPv6 and non-IP on the bridge port" sh -c \
	"ip netns exec ${LIG_PREFIX}c python3 $HOSTILE eth0 02:00:00:85:03:02 10.85.3.1 10.85.3.2 80 badip 100 &&
	 ip netns exec ${LIG_PREFIX}c python3 $HOSTILE eth0 02:00:00:85:03:02 10.85.3.1 10.85.3.2 80 ip6 50 &&
	 ip netns exec ${LIG_PREFIX}c python3 $HOSTILE eth0 02:00:00:85:03:02 10.85.3.1 10.85.3.2 80 nonip 50"
sleep 0.5
$CTL show errors > "$LIG_TMP/errors"
cat "$LIG_TMP/errors" | grep -iE "acl|fragment|L4|session|IPv|non-IP" || true
n=$(error_count "non-first fragments"); lig_check "non-first fragments counted ($n >= 200)" test "$n" -ge 200
n=$(acl_hits d 0 0); lig_check "... and denied by the TCP port rule on protocol ($n >= 200)" test "$n" -ge 200
n=$(error_count "L4 header cut short"); lig_check "tiny fragments and cut L4 headers dropped ($n >= 250)" test "$n" -ge 250
n=$(error_count "session table full"); lig_check "flag soup filled the 64-session table, rest counted ($n >= 300)" test "$n" -ge 300
n=$(error_count "malformed IPv4 header"); lig_check "bad IPv4 headers on the bridge port dropped ($n >= 100)" test "$n" -ge 100
n=$(error_count "IPv6 frames denied"); lig_check "IPv6 on the bridge port denied ($n >= 50)" test "$n" -ge 50
n=$(error_count "non-IP frames passed"); lig_check "non-IP frames passed ($n >= 50)" test "$n" -ge 50
lig_check "sessions bounded at 64" sh -c "$CTL show acl-plugin sessions | grep -qE 'thread 0: (6[0-4]|[1-5]?[0-9]) sessions in use'"
lig_check "bridged traffic unaffected" lig_ping c 10.85.3.2 2
lig_check "ligd alive and routing (ping a -> ligd)" lig_ping a 10.85.1.1 2
# Flag soup sessions are transient (no SYN back): 1 s; after 2 s they are gone.
sleep 2
lig_check "soup sessions aged: a new connection a -> b:5001 works" acl_tcp a 10.85.2.2 5001
lig_check "a -> b:5002 still denied" acl_no_tcp a 10.85.2.2 5002
lig_test_done

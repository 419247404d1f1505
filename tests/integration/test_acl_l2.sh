#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ACLs on bridge-domain ports (L2 path): three namespace hosts in one bridge domain. A deny
# rule on a's port blocks TCP to one port only; ARP (non-IP) passes; per-rule counters;
# removing the ACL restores traffic; permit+reflect on a's input with deny-all on a's
# output lets a's connections out and their replies back while new inbound connections
# are blocked, also for flooded frames; sessions listed.
# Usage: test_acl_l2.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acl_lib.sh"
lig_test_init "$1"

lig_host a 10.84.0.1/24 02:00:00:84:00:0a
lig_host b 10.84.0.2/24 02:00:00:84:00:0b
lig_host c 10.84.0.3/24 02:00:00:84:00:0c
for h in a b c; do
	ip netns exec "${LIG_PREFIX}$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.eth0.disable_ipv6=1
done
lig_start d || exit 1
A="host-${LIG_PREFIX}a" B="host-${LIG_PREFIX}b" C="host-${LIG_PREFIX}c"
CTL="$LIG_BIN/ligctl -s $LIG_TMP/d.sock"
cat >"$LIG_TMP/setup.cli" <<EOC
create host-interface name ${LIG_PREFIX}a
create host-interface name ${LIG_PREFIX}b
create host-interface name ${LIG_PREFIX}c
set interface state $A up
set interface state $B up
set interface state $C up
create bridge-domain 10
set interface l2 bridge $A 10
set interface l2 bridge $B 10
set interface l2 bridge $C 10
EOC
lig_check "configure bridge domain 10" lig_ctl d exec "$LIG_TMP/setup.cli"
acl_serve b 5001 5002 || lig_check "servers on b" false
acl_serve a 6001 || lig_check "server on a" false
lig_check "before ACLs: a -> b:5002" acl_tcp a 10.84.0.2 5002
lig_check "before ACLs: b -> a:6001" acl_tcp b 10.84.0.1 6001

lig_check "ACL 0: deny tcp to b:5002, permit the rest" \
	$CTL set acl-plugin acl deny src 0.0.0.0/0 dst 10.84.0.2/32 proto 6 dport 5002, permit src any dst any
lig_check "ACL 0 on $A input" $CTL set acl-plugin interface $A input acl 0
# Forget the neighbours: ARP must cross the ACL'd port (non-IP frames pass).
ip -n "${LIG_PREFIX}a" neigh flush all
ip -n "${LIG_PREFIX}b" neigh flush all
lig_check "a -> b:5001 passes (after ARP through the port)" acl_tcp a 10.84.0.2 5001
lig_check "a -> b:5002 is blocked" acl_no_tcp a 10.84.0.2 5002
lig_check "c -> b:5002 passes (other port)" acl_tcp c 10.84.0.2 5002
lig_check "ping a -> b passes" lig_ping a 10.84.0.2 2
h0=$(acl_hits d 0 0); h1=$(acl_hits d 0 1)
lig_check "deny rule counted on the L2 path ($h0)" test "${h0:-0}" -ge 1
lig_check "permit rule counted on the L2 path ($h1)" test "${h1:-0}" -ge 4
lig_check "non-IP frames (ARP) passed and counted" \
	sh -c "$CTL show errors | grep -q 'non-IP frames passed'"
lig_check "remove ACL 0" $CTL set acl-plugin interface $A input acl 0 del
lig_check "a -> b:5002 passes again" acl_tcp a 10.84.0.2 5002

lig_check "ACL 1 permit+reflect from a, ACL 2 deny all" sh -c \
	"$CTL set acl-plugin acl index 1 permit+reflect src 10.84.0.1/32 dst 0.0.0.0/0 &&
	 $CTL set acl-plugin acl index 2 deny src 0.0.0.0/0 dst 0.0.0.0/0"
lig_check "$A: input 1, output 2" sh -c \
	"$CTL set acl-plugin interface $A input acl 1 && $CTL set acl-plugin interface $A output acl 2"
lig_check "a -> b:5001 out and back" acl_tcp a 10.84.0.2 5001
lig_check "a pings c and hears the replies" lig_ping a 10.84.0.3 2
lig_check "b -> a:6001 (new inbound) blocked" acl_no_tcp b 10.84.0.1 6001
lig_check "c pinging a (new inbound) blocked" sh -c "! ip netns exec ${LIG_PREFIX}c ping -c 1 -W 1 10.84.0.1"
# A frame flooded to a's port (unknown destination MAC) meets the output list too.
lig_check "flush the L2 FIB" $CTL clear l2fib
lig_check "a -> b:5001 again after the flush (replies flooded to a's port)" acl_tcp a 10.84.0.2 5001
lig_check "sessions listed on $A input" sh -c "$CTL show acl-plugin sessions | grep -qE '$A input 10.84.0.1:[0-9]+ -> 10.84.0.2:5001 proto 6'"
d2=$(acl_hits d 2 0)
lig_check "deny-all on output counted the inbound attempts ($d2)" test "${d2:-0}" -ge 2
lig_check "remove both lists" sh -c \
	"$CTL set acl-plugin interface $A input acl 1 del && $CTL set acl-plugin interface $A output acl 2 del"
lig_check "b -> a:6001 passes again" acl_tcp b 10.84.0.1 6001
lig_check "ping c -> a passes again" lig_ping c 10.84.0.1 2
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ACLs on routed (L3) interfaces: three namespace hosts through ligd. A deny rule blocks TCP
# to one port only; per-rule hit counters count what each rule decided; removing the ACL
# restores traffic; permit+reflect lets a's connections (TCP, ping) out and their replies
# (and ICMP errors about them) back while new inbound connections are blocked; sessions are
# shown, aged and bounded; a 40-rule line; an ACL in use
# cannot be deleted; IPv6 rules and bad rules are refused with a reason.
# Usage: test_acl_l3.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acl_lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a" B="${LIG_PREFIX}b" C="${LIG_PREFIX}c"
lig_host a 10.82.1.2/24
lig_host b 10.82.2.2/24
lig_host c 10.82.3.2/24
ip -n "$A" route add default via 10.82.1.1
ip -n "$B" route add default via 10.82.2.1
ip -n "$C" route add default via 10.82.3.1
lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOC
create host-interface name $A
create host-interface name $B
create host-interface name $C
set interface state host-$A up
set interface state host-$B up
set interface state host-$C up
set interface ip address host-$A 10.82.1.1/24
set interface ip address host-$B 10.82.2.1/24
set interface ip address host-$C 10.82.3.1/24
EOC
lig_check "configure routing" lig_ctl d exec "$LIG_TMP/setup.cli"
acl_serve b 5001 5002 || lig_check "servers on b" false
acl_serve a 6001 || lig_check "server on a" false

lig_check "before ACLs: a -> b:5001" acl_tcp a 10.82.2.2 5001
lig_check "before ACLs: a -> b:5002" acl_tcp a 10.82.2.2 5002
lig_check "before ACLs: b -> a:6001" acl_tcp b 10.82.1.2 6001

# ---- deny one port ----
lig_check "create ACL 0 (deny tcp dport 5002 to b, permit the rest)" \
	lig_ctl d set acl-plugin acl deny src 0.0.0.0/0 dst 10.82.2.0/24 proto 6 dport 5002, \
	permit src 0.0.0.0/0 dst 0.0.0.0/0 tag block5002
lig_check "apply ACL 0 to host-$A input" lig_ctl d set acl-plugin interface host-$A input acl 0
lig_check "a -> b:5001 still passes" acl_tcp a 10.82.2.2 5001
lig_check "a -> b:5002 is blocked" acl_no_tcp a 10.82.2.2 5002
lig_check "ping a -> b passes" lig_ping a 10.82.2.2 2
lig_check "c -> b:5002 passes (ACL only on a's interface)" acl_tcp c 10.82.2.2 5002
h0=$(acl_hits d 0 0); h1=$(acl_hits d 0 1)
lig_check "rule 0 (deny) counted the blocked SYNs ($h0)" test "${h0:-0}" -ge 1
lig_check "rule 1 (permit) counted the rest ($h1 >= 6)" test "${h1:-0}" -ge 6
lig_check "show errors counts the denied packets" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'denied by a rule'"
lig_check "show acl-plugin interface lists ACL 0 on input" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show acl-plugin interface host-$A | grep -q 'input acl(s): 0'"
lig_check "show running-config has the ACL and its application" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show running-config > $LIG_TMP/rc && grep -q 'set acl-plugin acl index 0 deny src 0.0.0.0/0 dst 10.82.2.0/24 proto 6 dport 5002-5002, permit src 0.0.0.0/0 dst 0.0.0.0/0 tag block5002' $LIG_TMP/rc && grep -q 'set acl-plugin interface host-$A input acl 0' $LIG_TMP/rc"
lig_check "deleting an applied ACL is refused" sh -c "! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete acl-plugin acl index 0"
lig_check "remove ACL 0 from host-$A" lig_ctl d set acl-plugin interface host-$A input acl 0 del
lig_check "a -> b:5002 passes again" acl_tcp a 10.82.2.2 5002

# ---- permit+reflect ----
lig_check "create ACL 1 (permit+reflect from a's subnet)" \
	lig_ctl d set acl-plugin acl index 1 permit+reflect src 10.82.1.0/24 dst 0.0.0.0/0
lig_check "create ACL 2 (deny everything)" lig_ctl d set acl-plugin acl index 2 deny src 0.0.0.0/0 dst 0.0.0.0/0
lig_check "host-$A: input ACL 1, output ACL 2" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A input acl 1 &&
	 '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A output acl 2"
lig_check "a -> b:5001 out and back (reflect session)" acl_tcp a 10.82.2.2 5001
lig_check "a -> c:... ping out and back" lig_ping a 10.82.3.2 2
lig_check "b -> a:6001 (new inbound) is blocked" acl_no_tcp b 10.82.1.2 6001
lig_check "c -> a ping (new inbound) is blocked" sh -c "! ip netns exec $C ping -c 1 -W 1 10.82.1.2"
lig_check "TTL 1 from a: ligd's time exceeded passes the deny-all output (related to a's session)" \
	sh -c "ip netns exec $A ping -c 1 -t 1 -W 2 10.82.2.2 | grep -q 'Time to live exceeded'"
lig_check "... counted as an ICMP error about a session" \
	sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'ICMP errors about a session'"
lig_ctl d show acl-plugin sessions >"$LIG_TMP/sess"
lig_check "show acl-plugin sessions lists a's TCP session to b:5001" \
	grep -qE "host-$A input 10.82.1.2:[0-9]+ -> 10.82.2.2:5001 proto 6" "$LIG_TMP/sess"
lig_check "... and the ICMP session to c" grep -qE "10.82.1.2:[0-9]+ -> 10.82.3.2:[0-9]+ proto 1 " "$LIG_TMP/sess"
d2=$(acl_hits d 2 0)
lig_check "ACL 2's deny counted the inbound attempts ($d2)" test "${d2:-0}" -ge 2
# Sessions age: UDP/ICMP idle 1 s; the ICMP session is gone after 2 s.
lig_check "set udp idle timeout 1 s" lig_ctl d set acl-plugin session timeout udp idle 1
sleep 2
lig_check "the idle ICMP session aged out" sh -c \
	"! '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show acl-plugin sessions | grep -q 'proto 1 '"
lig_check "set udp idle timeout back" lig_ctl d set acl-plugin session timeout udp idle 600
# The per-interface bound: 1 session; a second flow is dropped and counted.
lig_check "per-interface bound 1" lig_ctl d set acl-plugin session table per-interface 1
lig_check "flush by re-applying (lists changed)" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A input acl 1 del &&
	 '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A input acl 1"
lig_check "first flow gets the one session" acl_tcp a 10.82.2.2 5001
lig_check "second flow (other port) is refused a session" acl_no_tcp a 10.82.2.2 5002
lig_check "interface-full counted" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show errors | grep -q 'interface session limit reached'"
lig_check "per-interface bound off" lig_ctl d set acl-plugin session table per-interface 0

# ---- removal restores traffic ----
lig_check "remove both lists" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A input acl 1 del &&
	 '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A output acl 2 del"
lig_check "b -> a:6001 passes again" acl_tcp b 10.82.1.2 6001
lig_check "sessions of host-$A were dropped" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show acl-plugin sessions | grep -q 'Total sessions: 0'"
lig_check "delete ACLs 0, 1, 2" sh -c "for i in 0 1 2; do '$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' delete acl-plugin acl index \$i || exit 1; done"

# ---- a long VPP-style line: 40 rules on one CLI line ----
RULES=$(for i in $(seq 1 39); do printf 'deny src 10.99.%d.0/24 dst 0.0.0.0/0 proto 6 dport %d, ' "$i" "$((1000 + i))"; done)
lig_check "40 rules on one set acl-plugin acl line" lig_ctl d set acl-plugin acl index 9 $RULES permit src any dst any
lig_check "... all of them in ACL 9" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' show acl-plugin acl index 9 | grep -q 'acl-index 9 count 40 '"
lig_check "delete ACL 9" lig_ctl d delete acl-plugin acl index 9

# ---- refusals ----
lig_check "IPv6 rule refused" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin acl permit src 2001:db8::/32 dst ::/0 2>&1 | grep -q 'IPv6'"
lig_check "ports without tcp/udp refused" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin acl permit src 0.0.0.0/0 dst 0.0.0.0/0 proto 47 dport 80 2>&1 | grep -q 'ports need proto'"
lig_check "tcpflags without proto 6 refused" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin acl permit src 0.0.0.0/0 dst 0.0.0.0/0 proto 17 tcpflags 2 mask 2 2>&1 | grep -q 'tcpflags need proto 6'"
lig_check "unknown ACL on an interface refused" sh -c "'$LIG_BIN/ligctl' -s '$LIG_TMP/d.sock' set acl-plugin interface host-$A input acl 77 2>&1 | grep -q 'ACL 77 does not exist'"
lig_check "ligd still forwards" lig_ping a 10.82.2.2 2
lig_test_done

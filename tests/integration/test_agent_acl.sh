#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's ACL model (vpp-agent's vpp.acls.acl) against a real etcd and ligd: an ACL written
# before its interfaces waits (PENDING) and applies once they exist; a deny rule blocks TCP to
# one port only; an update without it restores that port; permit+reflect ingress with a deny-all
# ACL egress lets h1's connections out and back and blocks new inbound ones; a restarted agent
# finds its ACLs in ligd by their tag and does nothing; deleting the keys removes them from
# ligd and traffic flows again.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
. "$(dirname "$0")/acl_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
lig_host h1 10.91.1.2/24
lig_host h2 10.91.2.2/24
ip -n "${LIG_PREFIX}h1" route add default via 10.91.1.1
ip -n "${LIG_PREFIX}h2" route add default via 10.91.2.1
agent_start "$SOCK" || exit 1
P=$AGENT_P
IF=$P/vpp/v2/interfaces
A1=$P/vpp/acls/v2/acl/block5002
A2=$P/vpp/acls/v2/acl/h1-out
A3=$P/vpp/acls/v2/acl/h1-in

ACL1='{"name":"block5002","rules":[{"action":"DENY","ipRule":{"ip":{"sourceNetwork":"0.0.0.0/0","destinationNetwork":"10.91.2.0/24"},"tcp":{"destinationPortRange":{"lowerPort":5002,"upperPort":5002}}}},{"action":"PERMIT","ipRule":{"ip":{"sourceNetwork":"0.0.0.0/0","destinationNetwork":"0.0.0.0/0"}}}],"interfaces":{"ingress":["afp1"]}}'
agent_put $A1 "$ACL1"
lig_check "ACL before its interface: PENDING" agent_wait_state $A1 PENDING 50
agent_put $IF/afp1 '{"name":"afp1","type":"AF_PACKET","enabled":true,"ipAddresses":["10.91.1.1/24"],"afpacket":{"hostIfName":"'"${LIG_PREFIX}h1"'"}}'
agent_put $IF/afp2 '{"name":"afp2","type":"AF_PACKET","enabled":true,"ipAddresses":["10.91.2.1/24"],"afpacket":{"hostIfName":"'"${LIG_PREFIX}h2"'"}}'
lig_check "ACL CONFIGURED once afp1 exists" agent_wait_state $A1 CONFIGURED 100
lig_check "ligd has it, tagged with its name, on afp1's input" sh -c \
	"'$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show acl-plugin acl | grep -q 'tag {agent:block5002}' &&
	 '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show acl-plugin interface | grep -q 'input acl(s): [0-9]'"
acl_serve h2 5001 5002 || lig_check "servers on h2" false
acl_serve h1 6001 || lig_check "server on h1" false
lig_check "h1 -> h2:5001 passes" acl_tcp h1 10.91.2.2 5001
lig_check "h1 -> h2:5002 is blocked" acl_no_tcp h1 10.91.2.2 5002
ACL1B='{"name":"block5002","rules":[{"action":"PERMIT","ipRule":{"ip":{"sourceNetwork":"0.0.0.0/0","destinationNetwork":"0.0.0.0/0"}}}],"interfaces":{"ingress":["afp1"]}}'
agent_put $A1 "$ACL1B"
sleep 0.5
lig_check "updated without the deny: h1 -> h2:5002 passes" acl_tcp h1 10.91.2.2 5002
agent_del $A1
sleep 0.5
lig_check "deleted: ligd has no ACL left" sh -c \
	"! '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show acl-plugin acl | grep -q acl-index"

agent_put $A2 '{"name":"h1-out","rules":[{"action":"REFLECT","ipRule":{"ip":{"sourceNetwork":"10.91.1.0/24","destinationNetwork":"0.0.0.0/0"}}}],"interfaces":{"ingress":["afp1"]}}'
agent_put $A3 '{"name":"h1-in","rules":[{"action":"DENY","ipRule":{"ip":{"sourceNetwork":"0.0.0.0/0","destinationNetwork":"0.0.0.0/0"}}}],"interfaces":{"egress":["afp1"]}}'
lig_check "reflect ACL CONFIGURED" agent_wait_state $A2 CONFIGURED 50
lig_check "deny-all egress ACL CONFIGURED" agent_wait_state $A3 CONFIGURED 50
lig_check "h1 -> h2:5001 out and back (reflect)" acl_tcp h1 10.91.2.2 5001
lig_check "h2 -> h1:6001 (new inbound) is blocked" acl_no_tcp h2 10.91.1.2 6001

kill -TERM "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null
: >"$LIG_TMP/agent.log"
agent_start "$SOCK" || exit 1
sleep 1
lig_check "restarted agent: its ACLs found in ligd, nothing done" agent_zero_ops
lig_check "still CONFIGURED after the restart" agent_wait_state $A2 CONFIGURED 50

agent_del $A2
agent_del $A3
sleep 0.7
lig_check "keys deleted: ligd's ACLs gone" sh -c \
	"! '$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' show acl-plugin acl | grep -q acl-index"
lig_check "h2 -> h1:6001 passes again" acl_tcp h2 10.91.1.2 6001
lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bad input written to etcd for lig-agent, in one etcd transaction with a good value: malformed
# JSON, non-objects, unknown and unsupported fields, invalid addresses, a value just under the
# agent's 1 MiB limit, keys of unsupported models and of no model, references to an interface
# that never appears, binary garbage (NUL bytes in the value), a 600-byte key; then alone a
# 1.2 MB value (over 1 MiB, under etcd's 1.5 MiB request limit), a 5000-byte key and a key with
# a NUL byte. Each is reported for its key in /scheduler/status (INVALID or PENDING with a
# reason) and in /scheduler/txn-history, except the last two, which the store client cannot
# carry (skipped and logged); the good value is CONFIGURED in ligd; the agent never crashes (PID
# alive, /liveness answers) and keeps applying later changes. Also run against the ASan build
# (label "hostile"). No covered model can form a dependency cycle (docs/agent.md): the
# scheduler's cycle handling is tested in agent/scheduler/tests.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
P=$AGENT_P
IF=$P/vpp/v2/interfaces
agent_start "$SOCK" || exit 1
ready() { for _ in $(seq 50); do curl -sf "http://127.0.0.1:$HPORT/readiness" >/dev/null && return 0; sleep 0.1; done; return 1; }
lig_check "agent ready" ready

# Writes through etcd's JSON gateway, where keys and values are base64 so any byte can be sent:
# one transaction per group of lines (groups separated by a blank line), each line
# key<TAB>value, both Python bytes expressions. Prints one line per transaction.
etcd_txns() {
	python3 - "$EURL" "$1" <<'PY'
import base64, json, sys, urllib.request
url, spec = sys.argv[1], sys.argv[2]
for group in open(spec, "rb").read().split(b"\n\n"):
    ops = []
    for line in group.split(b"\n"):
        if line.strip():
            k, v = line.split(b"\t", 1)
            ops.append({"requestPut": {"key": base64.b64encode(eval(k)).decode(),
                                       "value": base64.b64encode(eval(v)).decode()}})
    if not ops:
        continue
    try:
        req = urllib.request.Request(url + "/v3/kv/txn", data=json.dumps({"success": ops}).encode())
        r = json.load(urllib.request.urlopen(req, timeout=10))
        print("ok" if r.get("succeeded") else "refused %s" % r)
    except Exception as e:
        print("failed: %s" % e)
PY
}

BIGNAME=$(head -c 600 /dev/zero | tr '\0' 'n')
HUGE=$(head -c 5000 /dev/zero | tr '\0' 'h')
cat >"$LIG_TMP/writes.txt" <<EOF
b"$IF/loop1"	b'{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"ipAddresses":["10.9.0.1/24"]}'
b"$IF/loop3"	b'{"name":"loop3","type":"SOFTWARE_LOOPBACK",'
b"$IF/loop4"	b'[1,2,3]'
b"$IF/loop5"	b'"a string"'
b"$IF/loop6"	b'{"name":"loop6","type":"SOFTWARE_LOOPBACK","colour":"red"}'
b"$IF/loop10"	b'{"name":"loop10","type":"SOFTWARE_LOOPBACK","unnumbered":{"interfaceWithIp":"loop1"}}'
b"$IF/loop11"	b'{"name":"loop11","type":"SOFTWARE_LOOPBACK","ipAddresses":["10.0.0.300/24"]}'
b"$IF/loop12"	b'{"name":"loop12","type":"SOFTWARE_LOOPBACK","physAddress":"02:00:00:00:00:zz"}'
b"$IF/loop13"	b'{"name":"loop13","type":"SOFTWARE_LOOPBACK","ipAddresses":["10.0.0.1/40"]}'
b"$IF/loop18"	b'{"name":"loop18","type":"SOFTWARE_LOOPBACK","ipAddresses":["2001:db8::1/64"]}'
b"$IF/loop15"	b'{"name":"loop15","type":"SOFTWARE_LOOPBACK","physAddress":"' + b"y" * (1024 * 1024 - 100) + b'"}'
b"$IF/loop16"	bytes(range(256)) * 4
b"$IF/dpdk1"	b'{"name":"dpdk1","type":"DPDK"}'
b"$P/vpp/abfs/v2/abf/1"	b'{"index":1}'
b"$P/vpp/nat/v2/nat44-global"	b'{"forwarding":true,"endpointIndependent":true}'
b"$P/no/such/model"	b'{}'
b"$P/vpp/l2/v2/bridge-domain/bd2"	b'{"name":"bd2","interfaces":[{"name":"ghost"}]}'
b"$P/vpp/v2/route/if/ghost/vrf/0/dst/10.30.0.0/16/gw/10.9.0.254"	b'{"dstNetwork":"10.30.0.0/16","nextHopAddr":"10.9.0.254","outgoingInterface":"ghost"}'
b"$IF/$BIGNAME"	b'{"name":"$BIGNAME","type":"SOFTWARE_LOOPBACK"}'

b"$IF/loop14"	b'{"name":"loop14","type":"SOFTWARE_LOOPBACK","physAddress":"' + b"x" * (1200 * 1024) + b'"}'

b"$IF/$HUGE"	b'{}'

b"$IF/nul\x00key"	b'{}'
EOF
etcd_txns "$LIG_TMP/writes.txt" >"$LIG_TMP/writes.out"
sed 's/^/    etcd: /' "$LIG_TMP/writes.out"
lig_check "etcd took the 4 transactions (the batch, 1.2 MB, 5000-byte key, NUL key)" \
	test "$(grep -c '^ok$' "$LIG_TMP/writes.out")" -eq 4

lig_check "good loop1 CONFIGURED" agent_wait_state $IF/loop1 CONFIGURED
lig_check "its address CONFIGURED" agent_wait_state vpp/interface/loop1/address/static/10.9.0.1/24 CONFIGURED
in_ligd() { lig_ctl l1 api dump sw_interface_dump | grep '"loop1"' | grep -q '"admin_up": *\(1\|true\)' && lig_ctl l1 api dump ip_address_dump | grep -q '10.9.0.1'; }
lig_check "loop1 up with 10.9.0.1/24 in ligd" in_ligd
lig_check "the 1.2 MB value arrived" agent_wait_state $IF/loop14 INVALID

# What status and history say of each key, one expectation a line: id, key, state, regex. The
# key's status has the state and a reason matching the regex (for PENDING: the missing
# dependency), and the history has an operation that left the key in that state (INVALID: with
# the error).
cat >"$LIG_TMP/expect.txt" <<EOF
json	$IF/loop3	INVALID	JSON
array	$IF/loop4	INVALID	JSON|object|expected
string	$IF/loop5	INVALID	JSON|object|expected
unknown	$IF/loop6	INVALID	colour.*unknown field
unnumbered	$IF/loop10	INVALID	unnumbered
ip300	$IF/loop11	INVALID	10\.0\.0\.300
mac	$IF/loop12	INVALID	phys_address
len40	$IF/loop13	INVALID	10\.0\.0\.1/40
ipv6	$IF/loop18	INVALID	IPv6
big	$IF/loop14	INVALID	1048576
near1m	$IF/loop15	INVALID	phys_address
binary	$IF/loop16	INVALID	.
dpdk	$IF/dpdk1	INVALID	DPDK.*not supported
abf	$P/vpp/abfs/v2/abf/1	INVALID	not supported
nat	$P/vpp/nat/v2/nat44-global	INVALID	endpoint_independent
nomodel	$P/no/such/model	INVALID	.
ghostbd	vpp/bd/bd2/interface/ghost	PENDING	interfaces/ghost
ghostrt	$P/vpp/v2/route/if/ghost/vrf/0/dst/10.30.0.0/16/gw/10.9.0.254	PENDING	interfaces/ghost
longkey	$IF/$BIGNAME	INVALID	name
EOF
agent_status >"$LIG_TMP/status.json"
curl -sf "http://127.0.0.1:$HPORT/scheduler/txn-history" >"$LIG_TMP/history.json"
python3 - "$LIG_TMP/status.json" "$LIG_TMP/history.json" "$LIG_TMP/expect.txt" >"$LIG_TMP/results.txt" <<'PY'
import json, re, sys
st, hist = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
status = {v["key"]: v for v in st}
ops = {}
for t in hist:
    for o in t["ops"]:
        ops.setdefault(o["key"], []).append(o)
for line in open(sys.argv[3]):
    name, key, state, rx = line.rstrip("\n").split("\t")
    v = status.get(key)
    if v is None:
        print(name, "FAIL", key[:100], "not in /scheduler/status")
        continue
    why = v.get("error") or " ".join(v.get("details") or [])
    o = [o for o in ops.get(key, []) if o["new_state"] == state and (state != "INVALID" or o.get("error"))]
    ok = v["state"] == state and re.search(rx, why) and o
    print(name, "OK" if ok else "FAIL", key[:60], v["state"], why[:160].replace("\n", " "),
          "" if o else "(no such operation in the history)")
PY
res() { grep "^$1 " "$LIG_TMP/results.txt"; grep -q "^$1 OK " "$LIG_TMP/results.txt"; }
lig_check "malformed JSON: INVALID" res json
lig_check "a JSON array: INVALID" res array
lig_check "a JSON string: INVALID" res string
lig_check "unknown field: INVALID naming it" res unknown
lig_check "unsupported field (unnumbered): INVALID naming it" res unnumbered
lig_check "address 10.0.0.300/24: INVALID" res ip300
lig_check "bad MAC: INVALID" res mac
lig_check "prefix length 40: INVALID" res len40
lig_check "IPv6 address: INVALID (unsupported)" res ipv6
lig_check "1.2 MB value (over the 1 MiB limit, under etcd's): INVALID" res big
lig_check "1 MiB - 100 B value (decoded): INVALID (phys_address)" res near1m
lig_check "binary garbage (NUL bytes): INVALID" res binary
lig_check "unsupported interface type (DPDK): INVALID" res dpdk
lig_check "unsupported model (abf): INVALID" res abf
lig_check "NAT44 endpoint-independent (ligd is endpoint-dependent): INVALID naming the field" res nat
lig_check "key of no model: INVALID" res nomodel
lig_check "membership of an interface that never appears: PENDING naming it" res ghostbd
lig_check "route via an interface that never appears: PENDING naming it" res ghostrt
lig_check "600-byte key (and name): INVALID" res longkey
lig_check "bridge domain naming an interface that never appears: CONFIGURED" \
	agent_wait_state $P/vpp/l2/v2/bridge-domain/bd2 CONFIGURED
lig_check "the 5000-byte and the NUL-byte keys skipped by the store client, logged" \
	test "$(grep -c 'key skipped (too long or with a NUL byte)' "$LIG_TMP/agent.log")" -ge 2

alive() { kill -0 "$AGENT_PID" && curl -sf "http://127.0.0.1:$HPORT/liveness" >/dev/null; }
lig_check "agent alive, /liveness answers" alive
no_drift() { ! grep "drift:" "$LIG_TMP/agent.log"; }
lig_check "no drift resync (nothing changed ligd behind the agent's back)" no_drift

# It keeps working: a later change is applied, and a bad value is replaced by a good one.
agent_put $IF/loop3 '{"name":"loop3","type":"SOFTWARE_LOOPBACK","enabled":true}'
agent_put $IF/loop2 '{"name":"loop2","type":"SOFTWARE_LOOPBACK"}'
lig_check "loop3 fixed: CONFIGURED" agent_wait_state $IF/loop3 CONFIGURED
lig_check "loop2 written after the bad input: CONFIGURED" agent_wait_state $IF/loop2 CONFIGURED

# A restarted agent lists the same store (with the keys it cannot carry) and becomes ready.
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
lig_check "agent exited cleanly" test $? -eq 0
agent_start "$SOCK" || exit 1
lig_check "restarted agent ready over the bad store" ready
lig_check "loop1 still CONFIGURED" agent_wait_state $IF/loop1 CONFIGURED
lig_check "agent alive at the end" alive

lig_test_done

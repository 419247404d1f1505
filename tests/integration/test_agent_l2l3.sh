#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's L2 and L3 models against a real etcd and ligd: cross-connects (two af_packet
# interfaces, a ping across), static L2 FIB entries, ARP-termination entries (one changed without
# touching its bridge domain), a VRF table with an interface and routes in it, an ECMP route of two weighted
# paths, a drop route (vpp-agent's documentation example), a static ARP entry. Everything is
# written before what it needs (PENDING, naming it), then CONFIGURED once that appears; ligd
# killed with -9 and restarted gets it all back (the API snapshot equals the one before); a
# restarted agent does nothing; deletes undo (the cross-connected interface is back to L3). The VRF
# label is ligd's table name (a new one renames in place, an emptied one re-creates the table), a
# bridge domain is tagged with its name; what the agent made and
# the store lost while the agent was stopped (a bridge domain, a route via its interface, a
# static FIB entry) is gone after its restart, while what ligctl made stays (OBTAINED).
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }
put() { agent_put "$@"; }

lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
lig_host h1 10.0.9.1/24
lig_host h2 10.0.9.2/24
agent_start "$SOCK" || exit 1

P=$AGENT_P
IF=$P/vpp/v2/interfaces
XC1=$P/vpp/l2/v2/xconnect/afp1
XC2=$P/vpp/l2/v2/xconnect/afp2
BD=$P/vpp/l2/v2/bridge-domain/bd1
FIB_BVI=$P/vpp/l2/v2/fib/bd1/mac/02:00:00:00:00:01
FIB_DROP=$P/vpp/l2/v2/fib/bd1/mac/02:00:00:00:00:66
VRF=$P/vpp/v2/vrf-table/id/10/protocol/IPV4
RT_V1=$P/vpp/v2/route/vrf/10/dst/10.60.0.0/16
RT_V2=$P/vpp/v2/route/if/loop1/vrf/10/dst/10.70.0.0/16/gw/10.10.1.9
RT_V3=$P/vpp/v2/route/vrf/10/dst/10.80.0.0/16/gw/10.20.1.9
ECMP1=$P/vpp/v2/route/if/loop1/vrf/0/dst/10.50.0.0/24/gw/10.10.1.2
ECMP2=$P/vpp/v2/route/vrf/0/dst/10.50.0.0/24/gw/10.10.1.3
DROP=$P/vpp/v2/route/vrf/0/dst/240.0.0.0/4/gw/0.0.0.0
ARP=$P/vpp/v2/arp/loop1/10.10.1.7
BD_JSON='{"name":"bd1","learn":true,"flood":true,"forward":true,"unknown_unicast_flood":true,"arp_termination":true,"interfaces":[{"name":"loop1","bridged_virtual_interface":true}],"arp_termination_table":[{"ip_address":"10.10.1.20","phys_address":"02:00:00:00:00:20"},{"ip_address":"10.10.1.21","phys_address":"02:00:00:00:00:21"}]}'
H1="host-${LIG_PREFIX}h1" H2="host-${LIG_PREFIX}h2"
URL="http://127.0.0.1:$HPORT"

# One Python process per check (the machine may be busy: few processes, polled in-process).
cat >"$LIG_TMP/check.py" <<'EOF'
import json, subprocess, sys, time, urllib.request

def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)

def dump(ctl, sock, msg, req="{}"):
    out = subprocess.run([ctl, "-s", sock, "api", "dump", msg, req], capture_output=True,
                         text=True, timeout=10).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]

def poll(fn, what, tries=60):
    for i in range(tries):
        err = fn()
        if not err:
            return 0
        time.sleep(0.1)
    print(what, err)
    return 1

def states(url, want, keys):
    """every key in state want; PENDING:<missing key> also checks the key is named"""
    def fn():
        st = {v["key"]: v for v in get(url + "/scheduler/status")}
        bad = []
        for k in keys:
            k, _, missing = k.partition("=")
            v = st.get(k, {})
            if v.get("state") != want or (missing and not any(missing in d for d in v.get("details", []))):
                bad.append((k, v))
        return bad
    return poll(fn, "not " + want + ":")

def ligd(ctl, sock, h1, h2, arp21, after_deletes):
    def fn():
        ifs = dump(ctl, sock, "sw_interface_dump")
        loop = next((x["name"] for x in ifs if x.get("tag") == "loop1"), "?")
        xc = sorted((x["rx_sw_if_index"], x["tx_sw_if_index"]) for x in dump(ctl, sock, "l2_xconnect_dump"))
        fib = dump(ctl, sock, "l2fib_dump", '{"static_only":1}')
        arp = sorted((x["ip4"], x["mac"]) for x in dump(ctl, sock, "bd_ip_mac_dump"))
        tables = sorted(x["table_id"] for x in dump(ctl, sock, "ip_table_dump"))
        rt10 = sorted((x["address"], x["len"], [(p["type"], p["nh"], p["sw_if_index"]) for p in x["paths"]])
                      for x in dump(ctl, sock, "ip_route_dump", '{"by_table":1,"table_id":10,"source":2}')) \
            if 10 in tables else []
        loop2 = next((x["name"] for x in ifs if x.get("tag") == "loop2"), "?")
        vrf_of = {x["sw_if_index"]: x["table_id"] for x in dump(ctl, sock, "ip_interface_dump")}
        rt0 = {(x["address"], x["len"]): sorted((p["type"], p["nh"], p["weight"], p["sw_if_index"]) for p in x["paths"])
               for x in dump(ctl, sock, "ip_route_dump", '{"by_table":1,"table_id":0,"source":2}')}
        nb = [(x["address"], x["mac"], x["sw_if_index"]) for x in dump(ctl, sock, "ip_neighbor_dump", '{"static_only":1}')]
        l2 = {x["name"]: x["l2_mode"] for x in ifs}
        want = {
            "xconnects": [(h2, h1)] if after_deletes else [(h1, h2), (h2, h1)],
            "BVI FIB entry": True, "DROP FIB entry": True,
            "ARP termination": [("10.10.1.20", "02:00:00:00:00:20"), ("10.10.1.21", arp21)],
            "tables": [0] if after_deletes else [0, 10],
            "VRF 10 routes": [] if after_deletes else
                [("10.60.0.0", 16, [(2, "0.0.0.0", 4294967295)]), ("10.70.0.0", 16, [(0, "10.10.1.9", loop)]),
                 ("10.80.0.0", 16, [(0, "10.20.1.9", 4294967295)])],
            "loop2 table": 0 if after_deletes else 10,
            "ECMP": [(0, "10.10.1.3", 1, 4294967295)] if after_deletes else
                [(0, "10.10.1.2", 3, loop), (0, "10.10.1.3", 1, 4294967295)],
            "drop route": [(2, "0.0.0.0", 1, 4294967295)],
            "neighbour": [("10.10.1.7", "02:00:00:00:00:07", loop)],
            "h1 mode": 0 if after_deletes else 2,
        }
        got = {
            "xconnects": xc,
            "BVI FIB entry": any(x["mac"] == "02:00:00:00:00:01" and x["bvi_mac"] and x["sw_if_index"] == loop for x in fib),
            "DROP FIB entry": any(x["mac"] == "02:00:00:00:00:66" and x["filter_mac"] for x in fib),
            "ARP termination": arp, "tables": tables, "VRF 10 routes": rt10, "loop2 table": vrf_of.get(loop2),
            "ECMP": rt0.get(("10.50.0.0", 24)), "drop route": rt0.get(("240.0.0.0", 4)),
            "neighbour": nb, "h1 mode": l2.get(h1),
        }
        return [(k, "want", want[k], "got", got[k]) for k in want if want[k] != got[k]]
    return poll(fn, "ligd differs:", 50)

def has(ctl, sock, msg, req, fields, want=True):
    """dump msg has (want) or has no (not want) details with these fields (a JSON object)"""
    f = json.loads(fields)
    def fn():
        d = dump(ctl, sock, msg, req)
        found = any(all(x.get(k) == v for k, v in f.items()) for x in d)
        return None if found == want else d
    return poll(fn, ("no " if want else "still ") + msg + " " + fields + ":")

def ops_since(url, seq):
    """the operations of the transactions after seq (waits for one)"""
    def fn():
        h = [t for t in get(url + "/scheduler/txn-history") if t["seq"] > seq]
        ops = sorted(o["op"] + ":" + o["key"] for t in h for o in t["ops"] if not o["noop"])
        print(" ".join(ops))
        return None if ops else "no transaction yet"
    return poll(fn, "")

def etcd_txn(url, kvs):
    """puts the key/value pairs in one etcd transaction (the v3 HTTP gateway)"""
    import base64
    b = lambda s: base64.b64encode(s.encode()).decode()
    body = {"success": [{"requestPut": {"key": b(k), "value": b(v)}} for k, v in zip(kvs[::2], kvs[1::2])]}
    req = urllib.request.Request(url + "/v3/kv/txn", json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return 0 if json.load(r).get("succeeded") else 1

cmd = sys.argv[1]
if cmd == "etcd-txn":
    sys.exit(etcd_txn(sys.argv[2], sys.argv[3:]))
if cmd == "states":
    sys.exit(states(sys.argv[2], sys.argv[3], sys.argv[4:]))
if cmd == "ligd":
    sys.exit(ligd(*sys.argv[2:7], sys.argv[7] == "1"))
if cmd in ("has", "hasnt"):
    sys.exit(has(*sys.argv[2:7], cmd == "has"))
if cmd == "ops-since":
    sys.exit(ops_since(sys.argv[2], int(sys.argv[3])))
if cmd == "last-seq":
    print(get(sys.argv[2] + "/scheduler/txn-history")[-1]["seq"])
EOF
states() { python3 "$LIG_TMP/check.py" states "$URL" "$@"; }
ARP21=02:00:00:00:00:21 # the MAC of ARP-termination entry 10.10.1.21
has() { python3 "$LIG_TMP/check.py" has "$LIG_BIN/ligctl" "$LIG_TMP/l1.sock" "$@"; }
hasnt() { python3 "$LIG_TMP/check.py" hasnt "$LIG_BIN/ligctl" "$LIG_TMP/l1.sock" "$@"; }
check_ligd() { python3 "$LIG_TMP/check.py" ligd "$LIG_BIN/ligctl" "$LIG_TMP/l1.sock" "$H1" "$H2" "$ARP21" "${1:-0}"; }

# 1. Everything before what it needs.
put $XC1 '{"receive_interface":"afp1","transmit_interface":"afp2"}'
put $XC2 '{"receiveInterface":"afp2","transmitInterface":"afp1"}'
put $BD "$BD_JSON"
put $FIB_BVI '{"phys_address":"02:00:00:00:00:01","bridge_domain":"bd1","outgoing_interface":"loop1","static_config":true,"bridged_virtual_interface":true}'
put $FIB_DROP '{"phys_address":"02:00:00:00:00:66","bridge_domain":"bd1","action":"DROP"}'
put $RT_V1 '{"type":"DROP","vrf_id":10,"dst_network":"10.60.0.0/16"}'
put $RT_V2 '{"vrf_id":10,"dst_network":"10.70.0.0/16","next_hop_addr":"10.10.1.9","outgoing_interface":"loop1"}'
put $RT_V3 '{"vrf_id":10,"dst_network":"10.80.0.0/16","next_hop_addr":"10.20.1.9"}'
put $ECMP1 '{"dst_network":"10.50.0.0/24","next_hop_addr":"10.10.1.2","outgoing_interface":"loop1","weight":3}'
put $DROP '{"type": 2, "dst_network": "240.0.0.0/4", "next_hop_addr": "0.0.0.0", "weight": 1}'
put $ARP '{"interface":"loop1","ip_address":"10.10.1.7","phys_address":"02:00:00:00:00:07","static":true}'
lig_check "PENDING, each naming what it waits for: cross-connects (snake and camelCase), BVI membership, its FIB entry, routes in VRF 10 and via loop1, ARP entry" \
	states PENDING "$XC1=$IF/afp1" "$XC2=$IF/afp2" "vpp/bd/bd1/interface/loop1=$IF/loop1" \
	"$FIB_BVI=vpp/bd/bd1/interface/loop1" "$RT_V1=$VRF" "$RT_V2=$VRF" "$RT_V3=$VRF" "$ECMP1=$IF/loop1" "$ARP=$IF/loop1"
lig_check "CONFIGURED without them: bridge domain, its ARP-termination entries, DROP FIB entry (needs the domain only), drop route (vpp-agent docs)" \
	states CONFIGURED $BD vpp/bd-arp/bd1/10.10.1.20 vpp/bd-arp/bd1/10.10.1.21 $FIB_DROP $DROP

# 2. What they need.
put $VRF '{"id":10,"protocol":"IPV4","label":"blue vrf"}'
put $IF/loop1 '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"physAddress":"02:00:00:00:00:01","ipAddresses":["10.10.1.1/24"]}'
put $IF/loop2 '{"name":"loop2","type":"SOFTWARE_LOOPBACK","enabled":true,"physAddress":"02:00:00:00:00:02","vrf":10,"ipAddresses":["10.20.1.1/24"]}'
put $IF/afp1 '{"name":"afp1","type":"AF_PACKET","enabled":true,"physAddress":"02:00:00:00:00:a1","afpacket":{"hostIfName":"'"${LIG_PREFIX}h1"'"}}'
put $IF/afp2 '{"name":"afp2","type":"AF_PACKET","enabled":true,"physAddress":"02:00:00:00:00:a2","afpacket":{"hostIfName":"'"${LIG_PREFIX}h2"'"}}'
ALL="$VRF $IF/loop1 $IF/loop2 $IF/afp1 $IF/afp2 $XC1 $XC2 $BD vpp/bd/bd1/interface/loop1 vpp/bd-arp/bd1/10.10.1.21 $FIB_BVI $FIB_DROP $RT_V1 $RT_V2 $RT_V3 $ECMP1 $DROP $ARP"
lig_check "all CONFIGURED once their dependencies are" states CONFIGURED $ALL
# The second path: a next hop found through the table (no interface).
put $ECMP2 '{"dstNetwork":"10.50.0.0/24","nextHopAddr":"10.10.1.3","weight":1}'
lig_check "second ECMP path CONFIGURED" states CONFIGURED $ECMP2
lig_check "ligd has the cross-connects, FIB entries, ARP-termination entries, VRF 10 with loop2 and its routes, the ECMP route (weights 3 and 1), the drop route and the neighbour" check_ligd
lig_check "VRF 10's label is ligd's table name (ip_table_dump)" has ip_table_dump '{}' '{"table_id":10,"name":"blue vrf"}'
lig_check "bridge domain bd1 is tagged with its name (bridge_domain_dump)" has bridge_domain_dump '{}' '{"tag":"bd1"}'
ping_across() { for _ in 1 2 3 4 5; do lig_ping h1 10.0.9.2 2 >/dev/null 2>&1 && return 0; sleep 0.3; done; lig_ping h1 10.0.9.2 2; }
lig_check "h1 pings h2 through the cross-connected af_packet interfaces" ping_across

# A route ligd refuses, written with others (one batch): it alone fails, with ligd's reason.
BADRT=$P/vpp/v2/route/vrf/0/dst/10.90.0.0/16/gw/192.0.2.1
python3 "$LIG_TMP/check.py" etcd-txn "$EURL" \
	"$BADRT" '{"dst_network":"10.90.0.0/16","next_hop_addr":"192.0.2.1"}' \
	$P/vpp/v2/route/vrf/0/dst/10.91.0.0/16/gw/10.10.1.4 '{"dst_network":"10.91.0.0/16","next_hop_addr":"10.10.1.4"}' \
	$P/vpp/v2/route/vrf/0/dst/10.92.0.0/16/gw/10.10.1.4 '{"dst_network":"10.92.0.0/16","next_hop_addr":"10.10.1.4"}'
refused() {
	states CONFIGURED $P/vpp/v2/route/vrf/0/dst/10.91.0.0/16/gw/10.10.1.4 $P/vpp/v2/route/vrf/0/dst/10.92.0.0/16/gw/10.10.1.4 || return 1
	for _ in $(seq 50); do
		st=$(curl -sf "$URL/scheduler/status?key=$BADRT")
		echo "$st" | grep -q '"state":"\(RETRYING\|FAILED\)"' && echo "$st" | grep -q 'ip_route_add_del: route 10.90.0.0/16: next hop 192.0.2.1 is not on a connected subnet' && return 0
		sleep 0.1
	done
	echo "$st"; return 1
}
lig_check "a route ligd refuses is RETRYING/FAILED with ligd's reason; the others of its batch CONFIGURED" refused
agent_del $BADRT

# 3. One ARP-termination entry changes: only it is touched, not the domain nor the other entry.
SEQ=$(python3 "$LIG_TMP/check.py" last-seq "$URL")
put $BD "${BD_JSON/02:00:00:00:00:21/02:00:00:00:00:22}"
ARP21=02:00:00:00:00:22
only_arp_entry() {
	ops=$(python3 "$LIG_TMP/check.py" ops-since "$URL" "$SEQ" | tail -1)
	echo "operations: $ops"
	[ "$ops" = "UPDATE:vpp/bd-arp/bd1/10.10.1.21" ] && check_ligd
}
lig_check "an ARP-termination entry changed alone (one UPDATE; ligd has the new MAC)" only_arp_entry

# 3b. A new VRF label renames the table in place (one UPDATE; its routes and loop2 stay).
SEQ=$(python3 "$LIG_TMP/check.py" last-seq "$URL")
put $VRF '{"id":10,"protocol":"IPV4","label":"green vrf"}'
renamed() {
	ops=$(python3 "$LIG_TMP/check.py" ops-since "$URL" "$SEQ" | tail -1)
	echo "operations: $ops"
	[ "$ops" = "UPDATE:$VRF" ] && has ip_table_dump '{}' '{"table_id":10,"name":"green vrf"}' && check_ligd
}
lig_check "a new VRF label: one UPDATE, ligd's table renamed, its routes and loop2 untouched" renamed

# 4. ligd killed and restarted: the agent restores everything.
SNAP_BEFORE=$(lig_ctl l1 api snapshot)
kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
lig_start l1 || exit 1
restored() {
	for _ in $(seq 100); do
		[ "$(lig_ctl l1 api snapshot)" = "$SNAP_BEFORE" ] && break
		sleep 0.1
	done
	diff <(echo "$SNAP_BEFORE") <(lig_ctl l1 api snapshot) && check_ligd
}
lig_check "after ligd kill -9 and restart: the API snapshot equals the one before" restored
lig_check "ping across after the ligd restart" ping_across
lig_check "all still CONFIGURED" states CONFIGURED $ALL $ECMP2

# 5. A restarted agent changes nothing.
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
agent_start "$SOCK" || exit 1
lig_check "all CONFIGURED after agent restart" states CONFIGURED $ALL $ECMP2
lig_check "zero operations after agent restart" agent_zero_ops
lig_check "ligd unchanged by the agent restart" sh -c "[ \"\$('$LIG_BIN/ligctl' -s '$LIG_TMP/l1.sock' api snapshot)\" = '$SNAP_BEFORE' ]"

# 5b. Leftovers: what the agent made and the store lost while the agent was stopped goes at its
# restart (a tagged bridge domain, a route via its interface, a static FIB entry on it); a bridge
# domain and a route made with ligctl stay (OBTAINED).
BD2=$P/vpp/l2/v2/bridge-domain/bd2
RT_X=$P/vpp/v2/route/if/loop1/vrf/0/dst/10.95.0.0/16/gw/10.10.1.8
FIB_X=$P/vpp/l2/v2/fib/bd1/mac/02:00:00:00:00:77
put $BD2 '{"name":"bd2","learn":true,"forward":true}'
put $RT_X '{"dst_network":"10.95.0.0/16","next_hop_addr":"10.10.1.8","outgoing_interface":"loop1"}'
put $FIB_X '{"phys_address":"02:00:00:00:00:77","bridge_domain":"bd1","outgoing_interface":"loop1","static_config":true}'
lig_check "a second bridge domain, a route via loop1, a static FIB entry CONFIGURED" states CONFIGURED $BD2 $RT_X $FIB_X
lig_check "ligctl: create bridge-domain 4242" lig_ctl l1 create bridge-domain 4242
lig_check "ligctl: ip route add 10.99.0.0/16 via 10.10.1.6" lig_ctl l1 ip route add 10.99.0.0/16 via 10.10.1.6
RT0='{"by_table":1,"table_id":0,"source":2}'
have_all() {
	has bridge_domain_dump '{}' '{"tag":"bd2"}' && has bridge_domain_dump '{}' '{"bd_id":4242,"tag":""}' &&
		has ip_route_dump "$RT0" '{"address":"10.95.0.0","len":16}' &&
		has ip_route_dump "$RT0" '{"address":"10.99.0.0","len":16}' &&
		has l2fib_dump '{"static_only":1}' '{"mac":"02:00:00:00:00:77"}'
}
lig_check "ligd has them all (bd2 tagged, 4242 not)" have_all
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
agent_del $BD2
agent_del $RT_X
agent_del $FIB_X
agent_start "$SOCK" || exit 1
lig_check "after the agent restart: all CONFIGURED" states CONFIGURED $ALL $ECMP2
lig_check "the agent's leftovers gone from ligd: bridge domain bd2" hasnt bridge_domain_dump '{}' '{"tag":"bd2"}'
lig_check "... the route via loop1" hasnt ip_route_dump "$RT0" '{"address":"10.95.0.0","len":16}'
lig_check "... the static FIB entry" hasnt l2fib_dump '{"static_only":1}' '{"mac":"02:00:00:00:00:77"}'
lig_check "ligctl's bridge domain 4242 stays, OBTAINED" has bridge_domain_dump '{}' '{"bd_id":4242}'
lig_check "... its key OBTAINED" states OBTAINED $P/vpp/l2/v2/bridge-domain/ligd-bd-4242
lig_check "ligctl's route 10.99.0.0/16 stays" has ip_route_dump "$RT0" '{"address":"10.99.0.0","len":16}'
kept() { has bridge_domain_dump '{}' '{"tag":"bd1"}' && has ip_table_dump '{}' '{"table_id":10,"name":"green vrf"}'; }
lig_check "what the agent keeps is untouched: bd1 still tagged, VRF 10 still named" kept

# 5c. An emptied label re-creates the table (ligd keeps a name an add does not give): unnamed,
# and what is in it comes back.
put $VRF '{"id":10,"protocol":"IPV4"}'
unnamed() { has ip_table_dump '{}' '{"table_id":10,"name":""}' && states CONFIGURED $ALL $ECMP2 && check_ligd; }
lig_check "an emptied VRF label: table 10 re-created without a name, its routes and loop2 back" unnamed

# 6. Deletes: the cross-connect goes (afp1 back to L3), the VRF table takes its routes and
# loop2's binding back to PENDING, one ECMP path leaves the other.
agent_del $XC1
agent_del $VRF
agent_del $ECMP1
lig_check "cross-connect (afp1 back to L3), VRF table and its routes (loop2 back in table 0), one ECMP path removed from ligd" check_ligd 1
lig_check "routes in VRF 10 PENDING again" states PENDING "$RT_V1=$VRF" "$RT_V2=$VRF" "$RT_V3=$VRF"

lig_test_done

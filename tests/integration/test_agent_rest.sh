#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's REST API and lig-agentctl against a real etcd and ligd: every endpoint (status and
# its filters, txn-history with since/until/seq-num, key-timeline of a route that went PENDING ->
# CONFIGURED, graph as dot and SVG, dump SB/NB/cached, downstream-resync, probes, Prometheus
# metrics that move with a transaction); bearer-token auth (401 without, 200 with, probes open);
# HTTPS with an openssl-made certificate; hostile query strings; lig-agentctl's commands, its
# exit codes and its unreachable-agent error.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

# A label of its own: the agent manages only links marked with its label, so tests running at
# the same time cannot take each other's.
AGENT_LABEL=rest$$
. "$(dirname "$0")/agent_lib.sh"
agent_need
CTL="$LIG_BIN/lig-agentctl"
[ -x "$CTL" ] || { echo "lig-agentctl missing from $LIG_BIN"; exit 1; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 0; }
# The interpreter itself without site-packages (a version manager's shim costs ~0.2 s a call,
# and the checks make about sixty; only the standard library is used).
PY=$(python3 -c 'import sys; print(sys.executable)')
python3() { "$PY" -S "$@"; }
agent_etcd_start || { echo "etcd did not start"; exit 1; }
lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"

# A token the agent and the clients read from a file.
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$TOKEN" >"$LIG_TMP/token"
chmod 600 "$LIG_TMP/token"
agent_start "$SOCK" --http-token "$LIG_TMP/token" || exit 1
U="http://127.0.0.1:$HPORT"
AUTH="Authorization: Bearer $TOKEN"
api() { curl -sf -H "$AUTH" "$U$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# agent_lib's status helpers, with the token.
agent_status() { api /scheduler/status; }
ctl() { "$CTL" --host "127.0.0.1:$HPORT" --token "$LIG_TMP/token" "$@"; }

# ---- auth ----
lig_check "401 without a token" test "$(code "$U/scheduler/status")" = 401
lig_check "401 with a wrong token" test "$(code -H "Authorization: Bearer x$TOKEN" "$U/scheduler/status")" = 401
lig_check "401 with a token prefix" test "$(code -H "Authorization: Bearer ${TOKEN%?}" "$U/scheduler/status")" = 401
lig_check "401 on /metrics without a token" test "$(code "$U/metrics")" = 401
lig_check "401 on POST downstream-resync without a token" test "$(code -X POST "$U/scheduler/downstream-resync")" = 401
lig_check "WWW-Authenticate: Bearer" sh -c "curl -s -D - -o /dev/null '$U/scheduler/graph' | grep -qi '^WWW-Authenticate: Bearer'"
lig_check "200 with the token" test "$(code -H "$AUTH" "$U/scheduler/status")" = 200
lig_check "/liveness and /readiness open" sh -c "test \$(curl -s -o /dev/null -w '%{http_code}' $U/liveness) = 200 && curl -sf $U/readiness >/dev/null"

# ---- a route PENDING on its interface, then CONFIGURED ----
P=$AGENT_P
LOOP=$P/vpp/v2/interfaces/loop1
RT=$P/vpp/v2/route/if/loop1/vrf/0/dst/10.20.0.0/16/gw/10.10.1.254
T0=$(date +%s%N)
agent_put "$RT" '{"dstNetwork":"10.20.0.0/16","nextHopAddr":"10.10.1.254","outgoingInterface":"loop1"}'
lig_check "route PENDING before its interface" agent_wait_state "$RT" PENDING
sleep 0.05
T1=$(date +%s%N)
metrics1=$(api /metrics)
agent_put "$LOOP" '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"ipAddresses":["10.10.1.1/24"]}'
lig_check "loop1 CONFIGURED" agent_wait_state "$LOOP" CONFIGURED
lig_check "route CONFIGURED" agent_wait_state "$RT" CONFIGURED
T2=$(date +%s%N)

# ---- status ----
one() { api "/scheduler/status?key=$RT" | python3 -c '
import json,sys
o=json.load(sys.stdin); assert isinstance(o,dict), o
assert o["key"]==sys.argv[1] and o["state"]=="CONFIGURED" and o["last_op"]=="CREATE", o
assert o["last_update_seq"]>0, o' "$RT"; }
lig_check "status?key= gives the one value" one
unknown() { api "/scheduler/status?key=/nope" | grep -q '"state":"NONEXISTENT"'; }
lig_check "status of an unknown key: NONEXISTENT" unknown
DESC=$(api "/scheduler/status?key=$LOOP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["descriptor"])')
filtered() { api "/scheduler/status?descriptor=$DESC&state=CONFIGURED" | python3 -c '
import json,sys
a=json.load(sys.stdin); keys=[v["key"] for v in a]
assert sys.argv[1] in keys and sys.argv[2] not in keys, keys
assert keys==sorted(keys), keys
assert all(v["descriptor"]==sys.argv[3] and v["state"]=="CONFIGURED" for v in a), a' "$LOOP" "$RT" "$DESC"; }
lig_check "status?descriptor=&state= filters, sorted by key" filtered
prefix_only() { api "/scheduler/status?key-prefix=$P/vpp/v2/route/" | python3 -c '
import json,sys
a=json.load(sys.stdin); assert a and all(v["key"].startswith(sys.argv[1]) for v in a), a' "$P/vpp/v2/route/"; }
lig_check "status?key-prefix= filters" prefix_only
states_list() { api "/scheduler/status?state=PENDING,CONFIGURED" | python3 -c '
import json,sys
a=json.load(sys.stdin); st={v["state"] for v in a}
assert st=={"PENDING","CONFIGURED"} or st=={"CONFIGURED"}, st
assert len(a)>=3, a'; }
lig_check "status?state=A,B: either" states_list
lig_check "status?state=PENDING,: 200, state=,PENDING: 400" sh -c "test \$(curl -s -o /dev/null -w '%{http_code}' -H '$AUTH' '$U/scheduler/status?state=PENDING,') = 200 && test \$(curl -s -o /dev/null -w '%{http_code}' -H '$AUTH' '$U/scheduler/status?state=,PENDING') = 400"
lig_check "status?state=BOGUS: 400" test "$(code -H "$AUTH" "$U/scheduler/status?state=BOGUS")" = 400

# ---- key-timeline ----
timeline() { api "/scheduler/key-timeline?key=$RT" | python3 -c '
import json,sys
t=json.load(sys.stdin)
states=[o["new_state"] for o in t]
assert "PENDING" in states and states[-1]=="CONFIGURED", states
assert states.index("PENDING") < len(states)-1, states
last=t[-1]
assert last["op"]=="CREATE" and last["prev_state"]=="PENDING" and not last["noop"], last
assert last["new_value"]["outgoingInterface"]=="loop1", last
assert last["seq"]>t[0]["seq"] and last["time_ns"]>=t[0]["time_ns"], t
assert last["time"].endswith("Z") and "T" in last["time"], last'; }
lig_check "key-timeline: the route went PENDING -> CONFIGURED (CREATE after the dependency)" timeline
lig_check "key-timeline without key: 400" test "$(code -H "$AUTH" "$U/scheduler/key-timeline")" = 400
lig_check "key-timeline of an unknown key: []" sh -c "curl -sf -H '$AUTH' '$U/scheduler/key-timeline?key=/nope' | grep -qx '\[\]'"

# ---- txn-history ----
hist_py='
import json,sys
h=json.load(sys.stdin)
t0,t1,t2=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3])
mode=sys.argv[4]
starts=[t["start_ns"] for t in h]
if mode=="all":
    assert len(h)>=3 and starts==sorted(starts), starts
    assert [t["seq"] for t in h]==sorted(t["seq"] for t in h)
    assert any(t["trigger"]=="resync" for t in h)
    for t in h:
        assert t["end_ns"]>=t["start_ns"] and t["duration_ns"]==t["end_ns"]-t["start_ns"], t
        assert t["start"].endswith("Z") and t["end"].endswith("Z"), t
        for o in t["ops"]:
            for k in ("key","op","prev_state","new_state","duration_ns","noop","retry","derived"):
                assert k in o, (k, o)
elif mode=="since":
    assert h and all(s>=t1 for s in starts), (t1, starts)
    ops=[o for t in h for o in t["ops"]]
    assert any(o["key"]==sys.argv[5] and o["new_state"]=="CONFIGURED" for o in ops), ops
    assert not any(o["key"]==sys.argv[5] and o["new_state"]=="PENDING" for o in ops), ops
elif mode=="until":
    assert h and all(s<=t1 for s in starts), (t1, starts)
    ops=[o for t in h for o in t["ops"]]
    assert any(o["key"]==sys.argv[5] and o["new_state"]=="PENDING" for o in ops), ops
elif mode=="window":
    assert h and all(t0<=s<=t1 for s in starts), starts
elif mode=="empty":
    assert h==[], h
'
hist() { local q=$1; shift; api "/scheduler/txn-history$q" | python3 -c "$hist_py" "$T0" "$T1" "$T2" "$@"; }
lig_check "txn-history: records with start/end, trigger, ops (prev/new state, flags, duration)" hist "" all
lig_check "txn-history?since=<ns> holds only what followed" hist "?since=$T1" since "$RT"
lig_check "txn-history?until=<ns> holds only what preceded" hist "?until=$T1" until "$RT"
lig_check "txn-history?since=&until= window" hist "?since=$T0&until=$T1" window
RFC=$(date -u -d "@$((T1 / 1000000000))" +%Y-%m-%dT%H:%M:%SZ)
rfc_since() { api "/scheduler/txn-history?since=$RFC" | python3 -c '
import json,sys
h=json.load(sys.stdin); lim=(int(sys.argv[1])//10**9)*10**9
assert h and all(t["start_ns"]>=lim for t in h), h' "$T1"; }
lig_check "txn-history?since=<RFC 3339>" rfc_since
# The same instant in other forms: an offset, a fraction, fractional unix seconds.
same_as_ns() {
	local a b
	# until=T2: later transactions (netlink notifications, ...) cannot make the two differ.
	a=$(api "/scheduler/txn-history?since=$T1&until=$T2" | python3 -c 'import json,sys; print([t["seq"] for t in json.load(sys.stdin)])')
	b=$(api "/scheduler/txn-history?since=$1&until=$T2" | python3 -c 'import json,sys; print([t["seq"] for t in json.load(sys.stdin)])')
	echo "$1: $b, ns: $a"; [ "$a" = "$b" ]
}
FRAC=$(printf '%09d' $(( T1 % 1000000000 )))
OFF=$(TZ=UTC-2 date -d "@$((T1 / 1000000000))" +%Y-%m-%dT%H:%M:%S).${FRAC}+02:00
lig_check "txn-history?since=<RFC 3339 with +02:00 and nanoseconds> = since=<ns>" same_as_ns "$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$OFF")"
lig_check "txn-history?since=<seconds.fraction> = since=<ns>" same_as_ns "$((T1 / 1000000000)).$FRAC"
lig_check "txn-history?since=<unix seconds> in the future: []" hist "?since=$(( T2 / 1000000000 + 3600 ))" empty
# The transaction that configured the route: the last of its timeline.
SEQ=$(api "/scheduler/key-timeline?key=$RT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["seq"])')
seqnum() { api "/scheduler/txn-history?seq-num=$SEQ" | python3 -c '
import json,sys
t=json.load(sys.stdin); assert t["seq"]==int(sys.argv[1]), t
assert any(o["key"]==sys.argv[2] and o["new_state"]=="CONFIGURED" for o in t["ops"]), t' "$SEQ" "$RT"; }
lig_check "txn-history?seq-num=N: that record" seqnum
lig_check "txn-history?format=text" sh -c "curl -sf -H '$AUTH' '$U/scheduler/txn-history?seq-num=$SEQ&format=text' | grep -q '^txn #$SEQ '"
for bad in "since=abc" "since=-5" "until=2024-13-01T00:00:00Z" "since=2024-02-30T00:00:00Z" \
	"since=1.2.3" "seq-num=-1" "seq-num=1x" "seq-num=99999999999999999999999" "format=xml" \
	"since=$T2&until=$T0" "since=" "seq-num=" "since=2024-01-01T00:00:00+25:00"; do
	lig_check "txn-history?$bad: 400" test "$(code -H "$AUTH" "$U/scheduler/txn-history?$bad")" = 400
done
lig_check "txn-history?seq-num=<huge, not recorded>: 404" test "$(code -H "$AUTH" "$U/scheduler/txn-history?seq-num=18446744073709551615")" = 404

# ---- graph ----
api "/scheduler/graph" >"$LIG_TMP/graph.dot"
graph_ok() {
	head -1 "$LIG_TMP/graph.dot" | grep -q '^digraph' || return 1
	grep -qF "$RT" "$LIG_TMP/graph.dot" || return 1
	if command -v dot >/dev/null; then dot -Tsvg "$LIG_TMP/graph.dot" -o /dev/null; fi
}
lig_check "graph: Graphviz dot that dot accepts, holding the route" graph_ok
lig_check "graph content type text/vnd.graphviz" sh -c "curl -s -H '$AUTH' -o /dev/null -w '%{content_type}' '$U/scheduler/graph' | grep -q graphviz"
if command -v dot >/dev/null; then
	svg() {
		local ct
		ct=$(curl -s -H "$AUTH" -o "$LIG_TMP/graph.svg" -w '%{http_code} %{content_type}' "$U/scheduler/graph?format=svg")
		[ "$ct" = "200 image/svg+xml" ] || { echo "$ct"; return 1; }
		python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); assert r.tag.endswith("svg"), r.tag' "$LIG_TMP/graph.svg"
		grep -qF "10.20.0.0" "$LIG_TMP/graph.svg"
	}
	lig_check "graph?format=svg: SVG rendered by dot" svg
	# Several at once: each gets an SVG or a clear 503 (two renderings at a time).
	par() {
		local i pids=() c
		for i in 1 2 3 4; do curl -s -H "$AUTH" -o /dev/null -w '%{http_code}\n' "$U/scheduler/graph?format=svg" >"$LIG_TMP/par.$i" & pids+=("$!"); done
		wait "${pids[@]}"
		c=$(cat "$LIG_TMP"/par.*); echo "$c"
		echo "$c" | grep -q 200 && ! echo "$c" | grep -vqE '^(200|503)$'
	}
	lig_check "parallel SVG requests: 200 or 503, agent alive" par
fi
lig_check "graph?format=png: 400" test "$(code -H "$AUTH" "$U/scheduler/graph?format=png")" = 400

# ---- dump ----
dump_py='
import json,sys
a=json.load(sys.stdin); mode=sys.argv[1]; loop=sys.argv[2]
if mode=="index":
    assert sys.argv[3] in a["descriptors"] and "SB" in a["views"], a
else:
    byk={v["key"]:v for v in a}
    assert loop in byk, list(byk)
    v=byk[loop]["value"]
    assert v["name"]=="loop1", v
    if mode=="NB": assert v["ipAddresses"]==["10.10.1.1/24"], v
    if mode=="SB": assert byk[loop]["origin"] in ("FromNB","UnknownOrigin"), byk[loop]
'
dump() {
	curl -s -H "$AUTH" -o "$LIG_TMP/dump.json" -w '%{http_code}\n' "$U/scheduler/dump$1"
	python3 -c "$dump_py" "$2" "$LOOP" "$DESC" <"$LIG_TMP/dump.json" || { cat "$LIG_TMP/dump.json"; return 1; }
}
lig_check "dump index lists the interface descriptor" dump "" index
lig_check "dump?descriptor=&view=NB: the desired value" dump "?descriptor=$DESC&view=NB" NB
lig_check "dump?descriptor=&view=SB: read back from ligd" dump "?descriptor=$DESC&view=SB" SB
lig_check "dump?descriptor=&state=internal: what was applied" dump "?descriptor=$DESC&state=internal" cached
lig_check "dump?descriptor=<unknown>: 404" test "$(code -H "$AUTH" "$U/scheduler/dump?descriptor=no-such-descriptor&view=NB")" = 404
lig_check "dump?descriptor=<unknown>&view=SB: 404" test "$(code -H "$AUTH" "$U/scheduler/dump?descriptor=no-such-descriptor")" = 404
lig_check "dump?view=bogus: 400" test "$(code -H "$AUTH" "$U/scheduler/dump?descriptor=$DESC&view=bogus")" = 400

# ---- metrics ----
prom_py='
import re,sys
text=open(sys.argv[1]).read()
line=re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\.|[^\"\\])*\",?)*\})? (-?[0-9.e+]+|\+Inf|NaN)$")
m={}
for l in text.splitlines():
    if l.startswith("# HELP ") or l.startswith("# TYPE "): continue
    assert line.match(l), "not Prometheus text: %r" % l
    k,v=l.rsplit(" ",1); m[k]=float(v)
print(repr(m))
'
prom() { python3 -c "$prom_py" "$1"; }
printf '%s\n' "$metrics1" >"$LIG_TMP/m1"
api /metrics >"$LIG_TMP/m2"
metrics_ok() {
	prom "$LIG_TMP/m1" >"$LIG_TMP/m1.py" && prom "$LIG_TMP/m2" >"$LIG_TMP/m2.py" || return 1
	python3 -c '
import sys
a=eval(open(sys.argv[1]).read()); b=eval(open(sys.argv[2]).read())
nb="lig_agent_transactions_total{trigger=\"northbound\"}"
assert b[nb]>a[nb], (a[nb], b[nb])
assert b["lig_agent_transaction_duration_seconds_count"]>a["lig_agent_transaction_duration_seconds_count"]
tot=sum(v for k,v in b.items() if k.startswith("lig_agent_transactions_total{"))
assert b["lig_agent_transaction_duration_seconds_count"]==tot, (tot, b)
assert b["lig_agent_values{state=\"CONFIGURED\"}"]>a["lig_agent_values{state=\"CONFIGURED\"}"]
assert a["lig_agent_values{state=\"PENDING\"}"]>=1 and b["lig_agent_values{state=\"PENDING\"}"]==0, b
assert b["lig_agent_operations_total{op=\"CREATE\",result=\"ok\"}"]>=2, b
assert b["lig_agent_ligd_connected"]==1 and b["lig_agent_store_synced"]==1, b
assert b["lig_agent_last_transaction_seq"]>a["lig_agent_last_transaction_seq"]
assert b["lig_agent_http_unauthorized_total"]>=5, b
' "$LIG_TMP/m1.py" "$LIG_TMP/m2.py"
}
lig_check "metrics parse as Prometheus text and move with the transactions" metrics_ok
lig_check "metrics content type text/plain version 0.0.4" sh -c "curl -s -H '$AUTH' -o /dev/null -w '%{content_type}' '$U/metrics' | grep -q 'version=0.0.4'"

# ---- downstream-resync ----
dresync() { curl -sf -H "$AUTH" -X POST "$U/scheduler/downstream-resync" | python3 -c '
import json,sys
t=json.load(sys.stdin); assert t["trigger"]=="downstream-resync" and t["seq"]>0, t
assert not [o for o in t["ops"] if not o["noop"]], t'; }
lig_check "POST downstream-resync: its record, nothing to repair" dresync
lig_check "GET downstream-resync: 405" test "$(code -H "$AUTH" "$U/scheduler/downstream-resync")" = 405

# ---- hostile query strings ----
hostile() {
	python3 - "$U" "$TOKEN" <<'EOF'
import random, sys, urllib.request, urllib.error
base, token = sys.argv[1], sys.argv[2]
rnd = random.Random(1234)
paths = ["/scheduler/status", "/scheduler/txn-history", "/scheduler/key-timeline",
         "/scheduler/graph", "/scheduler/dump", "/scheduler/stats", "/metrics"]
names = ["key", "since", "until", "seq-num", "format", "descriptor", "view", "state",
         "key-prefix", "txn", "x"]
def junk():
    k = rnd.randrange(6)
    if k == 0: return "".join(rnd.choice("0123456789") for _ in range(rnd.randrange(1, 40)))
    if k == 1: return "%%%02x" % rnd.randrange(256) * rnd.randrange(1, 30)
    if k == 2: return rnd.choice(["2024-01-01T00:00:00Z", "9999-12-31T23:59:60.999999999-23:59",
                                  "1970-01-01T00:00:00Z", "0", "-1", "1e9", "NaN", "SB", "NB",
                                  "svg", "text", "internal", "PENDING", ""])
    if k == 3: return "A" * rnd.randrange(1, 9000)
    return "".join(chr(rnd.randrange(33, 127)) for _ in range(rnd.randrange(1, 60))).replace("&", "").replace("#", "")
bad = []
for i in range(300):
    q = "&".join("%s=%s" % (rnd.choice(names), junk()) for _ in range(rnd.randrange(0, 4)))
    url = base + rnd.choice(paths) + ("?" + q if q else "")
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    try:
        code = urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        bad.append((url[:120], repr(e))); continue
    if code not in (200, 400, 404, 414, 501, 503):
        bad.append((url[:120], code))
print(len(bad), bad[:5])
sys.exit(1 if bad else 0)
EOF
}
lig_check "300 random query strings: 200/400/404, never a crash or a 500" hostile
lig_check "agent alive after the hostile queries" sh -c "kill -0 $AGENT_PID && curl -sf $U/liveness >/dev/null"

# ---- lig-agentctl ----
lig_check "agentctl status" sh -c "'$CTL' --host 127.0.0.1:$HPORT --token '$LIG_TMP/token' status | tee /dev/stderr | grep -q '^ligd *connected'"
agent_put "$P/vpp/v2/route/if/loop9/vrf/0/dst/10.99.0.0/16/gw/10.10.9.254" '{"dstNetwork":"10.99.0.0/16","nextHopAddr":"10.10.9.254","outgoingInterface":"loop9"}'
agent_wait_state "$P/vpp/v2/route/if/loop9/vrf/0/dst/10.99.0.0/16/gw/10.10.9.254" PENDING >/dev/null
values_pending() { ctl values --state PENDING | tee /dev/stderr | grep -E "^PENDING +$P/vpp/v2/route/if/loop9/.*waits for: .*interfaces/loop9"; }
lig_check "agentctl values --state PENDING names the missing interface" values_pending
lig_check "agentctl status lists the pending value" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' status | grep -q 'PENDING.*loop9'"
values_json() { ctl --json values | python3 -c 'import json,sys; a=json.load(sys.stdin); assert any(v["state"]=="CONFIGURED" for v in a), a'; }
lig_check "agentctl --json values is the REST JSON" values_json
lig_check "agentctl config history" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config history | grep -q '^#$SEQ .*northbound'"
lig_check "agentctl config history --seq N shows the operations" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config history --seq $SEQ | grep -q 'CREATE.*10.20.0.0/16.*PENDING -> CONFIGURED'"
lig_check "agentctl config history --since in the future: nothing" sh -c "test -z \"\$('$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config history --since $(( T2 / 1000000000 + 3600 )))\""
hist_garbage() {
	local out rc
	out=$(ctl config history --since yesterday 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" = 1 ] && echo "$out" | grep -q 'since=yesterday: not understood'
}
lig_check "agentctl config history --since garbage: exit 1 with the agent's reason" hist_garbage
lig_check "agentctl dump DESCRIPTOR" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' dump '$DESC' --view NB | grep -q 'loop1.*10.10.1.1/24'"
lig_check "agentctl dump unknown: exit 1" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' dump nope >/dev/null 2>&1; test \$? = 1"
lig_check "agentctl graph (dot)" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' graph | head -1 | grep -q '^digraph'"
if command -v dot >/dev/null; then
	lig_check "agentctl graph --svg FILE" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' graph --svg '$LIG_TMP/ctl.svg' && grep -q '<svg' '$LIG_TMP/ctl.svg'"
fi
lig_check "agentctl metrics MATCH" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' metrics lig_agent_ligd_connected | grep -qx 'lig_agent_ligd_connected 1'"
lig_check "agentctl config resync" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config resync | grep -q 'downstream-resync'"

# config put/delete/get straight in etcd, with the agent's etcd.conf.
LOOP9=vpp/v2/interfaces/loop9
ctl_put() { ctl --etcd-config "$LIG_TMP/etcd.conf" config put "$LOOP9" '{"name":"loop9","type":"SOFTWARE_LOOPBACK","enabled":true}'; }
lig_check "agentctl config put (etcd)" ctl_put
loop9_done() { agent_wait_state "$P/$LOOP9" CONFIGURED && agent_wait_state "$P/vpp/v2/route/if/loop9/vrf/0/dst/10.99.0.0/16/gw/10.10.9.254" CONFIGURED; }
lig_check "loop9 CONFIGURED, its pending route too" loop9_done
lig_check "agentctl config get KEY (etcd)" sh -c "'$CTL' --label $AGENT_LABEL -e '$LIG_TMP/etcd.conf' config get '$LOOP9' | grep -q '\"loop9\"'"
lig_check "agentctl config get (etcd, all; the label asked from the agent)" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' -e '$LIG_TMP/etcd.conf' config get | grep -q '^$P/$LOOP9 '"
bad_json() {
	local out rc
	out=$(ctl -e "$LIG_TMP/etcd.conf" config put vpp/v2/interfaces/bad '{nope' 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" = 2 ] && echo "$out" | grep -q 'not JSON' &&
		[ -z "$(etcdctl --endpoints "$EURL" get --prefix "$P/vpp/v2/interfaces/bad")" ]
}
lig_check "agentctl config put of bad JSON: exit 2, nothing written" bad_json
# config put/get/delete through the agent's REST /configuration (no --etcd-config).
LOOP5=vpp/v2/interfaces/loop5
rest_put() { ctl config put "$LOOP5" '{"name":"loop5","type":"SOFTWARE_LOOPBACK","enabled":true}' | tee /dev/stderr | grep -q "put $LOOP5 (agent REST, transaction #[0-9]"; }
lig_check "agentctl config put (agent REST)" rest_put
lig_check "loop5 CONFIGURED" agent_wait_state "$P/$LOOP5" CONFIGURED
lig_check "agentctl config get KEY (agent REST): the value" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config get '$LOOP5' | python3 -c 'import json,sys; v=json.load(sys.stdin); assert v[\"name\"]==\"loop5\", v'"
lig_check "agentctl config get (agent REST): the document holds loop5 and loop1" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config get | tee /dev/stderr | grep -q loop5 && '$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' --json config get | python3 -c 'import json,sys; d=json.load(sys.stdin); assert \"loop1\" in json.dumps(d), d'"
lig_check "agentctl config delete (agent REST)" sh -c "'$CTL' -H 127.0.0.1:$HPORT -t '$LIG_TMP/token' config delete '$LOOP5' | grep -q 'deleted $LOOP5 (agent REST'"
lig_check "loop5 gone" agent_wait_state "$P/$LOOP5" NONE
foreign_del() {
	local out rc
	out=$(ctl config delete vpp/v2/interfaces/loop1 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" = 1 ] && echo "$out" | grep -q 'REST did not set this key' && echo "$out" | grep -q -- --etcd-config
}
lig_check "agentctl config delete (REST) of an etcd key: exit 1, says to use etcd" foreign_del
other_label() {
	local out rc
	out=$(ctl config put /vnf-agent/other/config/vpp/v2/interfaces/loop6 '{"name":"loop6","type":"SOFTWARE_LOOPBACK"}' 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" = 1 ] && [ "$(agent_state_of "$P/vpp/v2/interfaces/loop6")" = NONE ]
}
lig_check "agentctl config put of another label's key: refused by the agent" other_label

# watch: started before a change, it prints the transaction the change makes (among others:
# the agent also sees namespaces other tests make), and stops on SIGINT with exit 0.
# (lig-agentctl itself in the background, not the ctl function: $! must be its PID)
"$CTL" --host "127.0.0.1:$HPORT" --token "$LIG_TMP/token" watch --interval 50 >"$LIG_TMP/watch.out" 2>"$LIG_TMP/watch.err" &
WPID=$!
LIG_PIDS+=("$WPID")
"$CTL" --host "127.0.0.1:$HPORT" --token "$LIG_TMP/token" watch --count 1 --interval 50 >"$LIG_TMP/watch1.out" 2>/dev/null &
W1PID=$!
LIG_PIDS+=("$W1PID")
for _ in $(seq 50); do grep -q watching "$LIG_TMP/watch.err" && break; sleep 0.05; done
sleep 0.2
ctl --etcd-config "$LIG_TMP/etcd.conf" config delete "$LOOP9" >/dev/null
watched() {
	for _ in $(seq 50); do grep -q 'DELETE.*interfaces/loop9' "$LIG_TMP/watch.out" && break; sleep 0.1; done
	kill -INT $WPID
	for _ in $(seq 30); do kill -0 $WPID 2>/dev/null || break; sleep 0.1; done
	kill -0 $WPID 2>/dev/null && { echo "watch ignored SIGINT"; return 1; }
	wait $WPID; local rc=$?
	cat "$LIG_TMP/watch.out"
	[ "$rc" = 0 ] && grep -q 'DELETE.*interfaces/loop9' "$LIG_TMP/watch.out" &&
		grep -q '^#[0-9]* .*northbound' "$LIG_TMP/watch.out"
}
lig_check "agentctl watch prints the delete's transaction; SIGINT ends it with 0" watched
watched1() {
	for _ in $(seq 50); do kill -0 $W1PID 2>/dev/null || break; sleep 0.1; done
	kill -0 $W1PID 2>/dev/null && { echo "watch --count 1 still running"; return 1; }
	wait $W1PID; local rc=$?
	cat "$LIG_TMP/watch1.out"
	[ "$rc" = 0 ] && [ "$(grep -c '^#' "$LIG_TMP/watch1.out")" = 1 ]
}
lig_check "agentctl watch --count 1 stops by itself after one transaction" watched1
lig_check "agentctl config delete of a missing key: exit 1" sh -c "'$CTL' -e '$LIG_TMP/etcd.conf' config delete '$LOOP9' 2>&1 | grep -q 'no such key'"

# Exit codes and messages of failures.
lig_check "agentctl without a token: exit 4" sh -c "env -u LIG_AGENT_HTTP_TOKEN '$CTL' -H 127.0.0.1:$HPORT status 2>&1 | grep -q 'wants a token'; env -u LIG_AGENT_HTTP_TOKEN '$CTL' -H 127.0.0.1:$HPORT status >/dev/null 2>&1; test \$? = 4"
lig_check "agentctl with the token in the environment" sh -c "LIG_AGENT_HTTP_TOKEN='$TOKEN' '$CTL' -H 127.0.0.1:$HPORT values >/dev/null"
DEAD=$(agent_free_port)
unreach() {
	local out rc
	out=$("$CTL" --host "127.0.0.1:$DEAD" status 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" = 3 ] && [ "$out" = "lig-agentctl: cannot reach the agent at 127.0.0.1:$DEAD: connection refused" ]
}
lig_check "agentctl against no agent: exit 3, 'cannot reach the agent at ...: connection refused'" unreach
lig_check "agentctl bad usage: exit 2" sh -c "'$CTL' frobnicate 2>/dev/null; test \$? = 2"

# ---- TLS: the agent restarted with a certificate; nothing to do after the restart ----
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
lig_check "agent exited cleanly on SIGTERM" test $? -eq 0
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$LIG_TMP/key.pem" -out "$LIG_TMP/cert.pem" 2>/dev/null
TPORT=$(agent_free_port)
# A stand-in for Graphviz's dot on this agent's PATH: slow, or failing, as $LIG_TMP/dot.mode says.
mkdir -p "$LIG_TMP/fakebin"
cat >"$LIG_TMP/fakebin/dot" <<EOF
#!/bin/bash
cat >/dev/null
case \$(cat "$LIG_TMP/dot.mode") in
slow) sleep 1.5; echo '<svg xmlns="http://www.w3.org/2000/svg">slow</svg>' ;;
fail) echo 'Error: syntax' >&2; exit 3 ;;
esac
EOF
chmod +x "$LIG_TMP/fakebin/dot"
PATH="$LIG_TMP/fakebin:$PATH" MICROSERVICE_LABEL=$AGENT_LABEL "$LIG_BIN/lig-agent" --etcd-config "$LIG_TMP/etcd.conf" \
	--ligd-socket "$SOCK" --http-port "$TPORT" --http-cert "$LIG_TMP/cert.pem" \
	--http-key "$LIG_TMP/key.pem" >>"$LIG_TMP/agent.log" 2>&1 &
AGENT_PID=$!
LIG_PIDS+=("$AGENT_PID")
TU="https://127.0.0.1:$TPORT"
tls_up() { for _ in $(seq 50); do curl -sf --cacert "$LIG_TMP/cert.pem" "$TU/readiness" >/dev/null && return 0; sleep 0.1; done; return 1; }
lig_check "HTTPS agent ready (curl --cacert)" tls_up
lig_check "HTTPS: the route still CONFIGURED" sh -c "curl -sf --cacert '$LIG_TMP/cert.pem' '$TU/scheduler/status?key=$RT' | grep -q CONFIGURED"
lig_check "HTTPS: plain HTTP gets no answer" sh -c "! curl -sf --max-time 3 'http://127.0.0.1:$TPORT/liveness'"
lig_check "HTTPS: an unknown CA is refused" sh -c "! curl -sf --max-time 3 '$TU/liveness'"
zero_ops() { curl -sf --cacert "$LIG_TMP/cert.pem" "$TU/scheduler/txn-history" | python3 -c '
import json,sys
h=json.load(sys.stdin); ops=[o for t in h for o in t["ops"] if not o["noop"]]
assert not ops and any(t["trigger"]=="resync" for t in h), ops'; }
lig_check "HTTPS: the restarted agent changed nothing" zero_ops
echo slow >"$LIG_TMP/dot.mode"
svg_async() {
	local t0 t1 code
	curl -s --cacert "$LIG_TMP/cert.pem" -o "$LIG_TMP/slow.svg" "$TU/scheduler/graph?format=svg" &
	local pid=$!
	sleep 0.3
	t0=$(date +%s%N)
	code=$(curl -s --cacert "$LIG_TMP/cert.pem" -o /dev/null -w '%{http_code}' "$TU/scheduler/status")
	t1=$(date +%s%N)
	wait $pid
	echo "status $code in $(( (t1 - t0) / 1000000 )) ms while dot ran; svg: $(cat "$LIG_TMP/slow.svg")"
	[ "$code" = 200 ] && [ $(( (t1 - t0) / 1000000 )) -lt 1000 ] && grep -q slow "$LIG_TMP/slow.svg"
}
lig_check "SVG rendering does not hold the agent (other requests answered meanwhile)" svg_async
echo fail >"$LIG_TMP/dot.mode"
svg_fail() {
	local out
	out=$(curl -s --cacert "$LIG_TMP/cert.pem" -w ' %{http_code}' "$TU/scheduler/graph?format=svg"); echo "$out"
	echo "$out" | tr -d '\n' | grep -q 'dot failed (exit status 3).* 500$'
}
lig_check "a failing dot: 500 with its exit status" svg_fail
lig_check "HTTPS: store connected (metric and stats)" sh -c "curl -sf --cacert '$LIG_TMP/cert.pem' '$TU/metrics' | grep -qx 'lig_agent_store_connected 1' && curl -sf --cacert '$LIG_TMP/cert.pem' '$TU/scheduler/stats' | grep -q '\"store_connected\":true'"
lig_check "agentctl --cacert status over HTTPS" sh -c "'$CTL' --host 127.0.0.1:$TPORT --cacert '$LIG_TMP/cert.pem' status | grep -q '^Ready *yes'"
lig_check "agentctl over HTTPS without the CA: exit 3" sh -c "'$CTL' --host https://127.0.0.1:$TPORT status >/dev/null 2>&1; test \$? = 3"
# etcd gone: the agent says so within a few seconds (and keeps answering).
kill -KILL "${LIG_PIDS[0]}"
store_down() {
	for _ in $(seq 60); do
		curl -sf --cacert "$LIG_TMP/cert.pem" "$TU/metrics" | grep -qx 'lig_agent_store_connected 0' && break
		sleep 0.1
	done
	"$CTL" --host "127.0.0.1:$TPORT" --cacert "$LIG_TMP/cert.pem" status | tee /dev/stderr | grep -q '^Store .*NOT reachable now'
}
lig_check "etcd killed: store_connected 0, agentctl status says so" store_down

refuses() {
	local want=$1 out rc; shift
	out=$(timeout 10 "$LIG_BIN/lig-agent" --state-dir "$LIG_TMP/refused" --ligd-socket "$SOCK" --http-port 0 "$@" 2>&1); rc=$?
	echo "$out (exit $rc)"
	[ "$rc" != 0 ] && [ "$rc" != 124 ] && echo "$out" | grep -q "$want"
}
lig_check "lig-agent refuses --http-cert without --http-key" refuses 'go together' --http-cert "$LIG_TMP/cert.pem"
lig_check "lig-agent refuses an unreadable token file" refuses nonexistent --http-token /nonexistent
printf '\n' >"$LIG_TMP/empty-token"
lig_check "lig-agent refuses an empty token" refuses 'printable characters' --http-token "$LIG_TMP/empty-token"
lig_check "lig-agent refuses a key that is not a key" refuses 'TLS' --http-cert "$LIG_TMP/cert.pem" --http-key "$LIG_TMP/cert.pem"

lig_test_done

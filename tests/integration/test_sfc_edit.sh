#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc keeps a running system rendered as its file changes (examples/sfc/two-services.yaml:
# s1 = podA<->podB, s2 = podC<->podD, l2pp through node1's vswitch). While podA pings podB
# every 20 ms without pause:
#   - s2 added to a file holding only s1: s2's keys appear, no key of s1 is rewritten (etcd
#     mod_revision), podC pings podD;
#   - s2's connection edited (l2pp -> l2mp): only keys of s2 change, podC pings podD again;
#   - a bad file (a connection naming a pod interface that does not exist, then broken YAML):
#     no agent key changes, lig-sfc reports the error with its path, traffic goes on;
#   - s2 deleted: exactly the keys of s1 remain, with their revisions, podC no longer reaches
#     podD;
# and podA's ping lost nothing through all of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sfc_lib.sh"
sfc_unshare "$@"
lig_test_init "$1"
sfc_need
[ -x "$LIG_BIN/lig-sfc" ] || { echo "SKIP: lig-sfc missing"; exit 0; }
python3 -c "import yaml" 2>/dev/null || { echo "SKIP: python3-yaml missing"; exit 0; }
EX=$(cd "$(dirname "$0")/../../examples/sfc" && pwd)

lig_check "world from lig-sfc --print-world two-services.yaml" sfc_world_yaml "$EX/two-services.yaml"
[ -n "${WORLD_NS:-}" ] || exit 1
mkdir -p "$LIG_TMP/cfg"
F=$LIG_TMP/cfg/sfc.yaml
sfc_yaml "$EX/two-services.yaml" "$LIG_TMP/full.yaml"
# variant NAME PYTHON: the full file changed by a python statement on d (the document)
variant() {
	python3 - "$LIG_TMP/full.yaml" "$LIG_TMP/$1.yaml" "$2" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
s2 = next(s for s in d["network_services"] if s["metadata"]["name"] == "s2")
exec(sys.argv[3])
yaml.safe_dump(d, open(sys.argv[2], "w"), sort_keys=False)
EOF
}
variant only-s1 'd["network_services"].remove(s2); [d["network_pod_to_node_map"].remove(m) for m in list(d["network_pod_to_node_map"]) if m["pod"] in ("podC", "podD")]'
variant s2-l2mp 's2["spec"]["connections"][0] = {"conn_type": "l2mp", "pod_interfaces": ["podC/eth0", "podD/eth0"]}'
variant bad 's2["spec"]["connections"][0]["pod_interfaces"][1] = "podD/eth9"'
install_file() { cp "$LIG_TMP/$1.yaml" "$F.tmp" && mv "$F.tmp" "$F"; } # one atomic change

# revs FILE: "key mod_revision" of every agent configuration key (not the status the agents publish)
revs() {
	sfc_etcdctl get --prefix /vnf-agent/ -w json | python3 -c '
import base64, json, sys
for kv in json.load(sys.stdin).get("kvs", []):
    k = base64.b64decode(kv["key"]).decode()
    if "/config/" in k: print(k, kv["mod_revision"])' | sort >"$1"
}
# same_revs A B: every key of A is in B with the same revision
same_revs() { python3 - "$1" "$2" <<'EOF'
import sys
a = dict(l.split() for l in open(sys.argv[1])); b = dict(l.split() for l in open(sys.argv[2]))
bad = [k for k in a if b.get(k) != a[k]]
for k in bad: print("rewritten or gone:", k, a[k], "->", b.get(k))
sys.exit(1 if bad else 0)
EOF
}
keys_of() { cut -d' ' -f1 "$1"; }
# wait_keys_change FILE: until the agent keys differ from FILE (at most 10 s)
wait_keys_change() {
	for _ in $(seq 100); do revs "$LIG_TMP/now.txt"; cmp -s "$1" "$LIG_TMP/now.txt" || return 0; sleep 0.1; done
	return 1
}
# settled: the keys have not changed for 0.5 s
settled() {
	local a="$LIG_TMP/settle.a" b="$LIG_TMP/settle.b"
	revs "$a"
	for _ in $(seq 40); do sleep 0.5; revs "$b"; cmp -s "$a" "$b" && return 0; cp "$b" "$a"; done
	return 1
}

install_file only-s1
sfc_start "$F" || exit 1
for p in podA podB; do for _ in $(seq 200); do ip -n $p link show eth0 >/dev/null 2>&1 && break; sleep 0.05; done; done
lig_check "s1 alone: podA pings podB" sfc_ping podA 10.63.0.2
lig_check "s1's keys CONFIGURED" sfc_all_configured
settled
revs "$LIG_TMP/k1.txt"
lig_log "s1 rendered $(wc -l <"$LIG_TMP/k1.txt") keys"

# podA pings podB without pause from here to the end.
ip netns exec podA ping -i 0.02 -W 1 10.63.0.2 >"$LIG_TMP/ping-s1.txt" 2>&1 &
PING=$!
LIG_PIDS+=("$PING")

install_file full
lig_check "s2 added: keys appear" wait_keys_change "$LIG_TMP/k1.txt"
lig_check "podC pings podD" sfc_ping podC 10.64.0.2
lig_check "every key CONFIGURED" sfc_all_configured
settled
revs "$LIG_TMP/k12.txt"
lig_check "no key of s1 rewritten when s2 came" same_revs "$LIG_TMP/k1.txt" "$LIG_TMP/k12.txt"
comm -13 <(keys_of "$LIG_TMP/k1.txt") <(keys_of "$LIG_TMP/k12.txt") >"$LIG_TMP/k2-keys.txt"
lig_log "s2 added $(wc -l <"$LIG_TMP/k2-keys.txt") keys"

install_file s2-l2mp
lig_check "s2 edited (l2pp -> l2mp): keys change" wait_keys_change "$LIG_TMP/k12.txt"
settled
revs "$LIG_TMP/k12e.txt"
lig_check "podC pings podD over s2's new connection" sfc_ping podC 10.64.0.2
lig_check "every key CONFIGURED after the edit" sfc_all_configured
lig_check "no key of s1 rewritten by the edit of s2" same_revs "$LIG_TMP/k1.txt" "$LIG_TMP/k12e.txt"
only_s2_changed() {
	python3 - "$LIG_TMP/k12.txt" "$LIG_TMP/k12e.txt" "$LIG_TMP/k1.txt" <<'EOF'
import sys
a, b, s1 = (dict(l.split() for l in open(p)) for p in sys.argv[1:])
changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
print(len(changed), "keys changed:"); [print("  ", k, a.get(k, "-"), "->", b.get(k, "-")) for k in changed]
sys.exit(0 if changed and not any(k in s1 for k in changed) else 1)
EOF
}
lig_check "what changed is s2's" only_s2_changed

# Bad files change nothing.
revs "$LIG_TMP/before-bad.txt"
install_file bad
bad_reported() {
	for _ in $(seq 50); do
		{ sfc_rest /sfc-controller; cat "$LIG_TMP/lig-sfc.log"; } |
			grep -q 'network_services\[1\]\.connections\[0\].*podD/eth9' && return 0
		sleep 0.1
	done
	sfc_rest /sfc-controller | head -30; tail -5 "$LIG_TMP/lig-sfc.log"
	return 1
}
lig_check "a connection to a missing pod interface: reported with its path (network_services[1].connections[0]) and podD/eth9" bad_reported
sleep 1
revs "$LIG_TMP/after-bad.txt"
lig_check "... and no agent key changed" cmp "$LIG_TMP/before-bad.txt" "$LIG_TMP/after-bad.txt"
printf 'network_services:\n  - metadata: {name: s1\n' >"$F.tmp" && mv "$F.tmp" "$F"
sleep 1
revs "$LIG_TMP/after-bad2.txt"
lig_check "broken YAML: no agent key changed" cmp "$LIG_TMP/before-bad.txt" "$LIG_TMP/after-bad2.txt"
lig_check "lig-sfc still running" kill -0 "$SFC_PID"
lig_check "podC still pings podD" sfc_ping podC 10.64.0.2 10

# s2 deleted: exactly s1's keys remain, untouched.
install_file only-s1
lig_check "s2 deleted: keys change" wait_keys_change "$LIG_TMP/after-bad2.txt"
settled
revs "$LIG_TMP/k1b.txt"
lig_check "exactly s1's keys remain, none rewritten" cmp "$LIG_TMP/k1.txt" "$LIG_TMP/k1b.txt"
gone_in_ligd() { # podC's and podD's veths are gone from node1's ligd and the pods
	for _ in $(seq 50); do
		! ip -n podC link show eth0 >/dev/null 2>&1 && ! ip -n podD link show eth0 >/dev/null 2>&1 &&
			! sfc_ctl node1 api dump sw_interface_dump | grep -q 'podC\|podD' && return 0
		sleep 0.1
	done
	ip -n podC link; sfc_ctl node1 show interface
	return 1
}
lig_check "s2's interfaces gone from node1's ligd and the pods" gone_in_ligd

kill -INT "$PING"
wait "$PING"
no_loss() { # every sequence number up to the last answered one was answered
	python3 - "$LIG_TMP/ping-s1.txt" <<'EOF'
import re, sys
seqs = {int(m) for m in re.findall(r"icmp_seq=(\d+) ttl", open(sys.argv[1]).read())}
top = max(seqs, default=0)
lost = sorted(set(range(1, top + 1)) - seqs)
print("podA -> podB during the edits: %d answered up to icmp_seq %d, lost: %s" % (len(seqs), top, lost or "none"))
sys.exit(0 if top > 100 and not lost else 1)
EOF
}
lig_check "podA's pings to podB through every change: none lost" no_loss
sed 's/^/    /' "$LIG_TMP/check.out"
lig_test_done

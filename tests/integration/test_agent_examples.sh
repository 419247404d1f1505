#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# vpp-agent's own example values, verbatim (agent/models/tests/examples: from its docs, REST docs,
# examples/, e2e and robot tests; the key each was stored under is in
# agent/models/tests/test_models_examples.c), written to etcd under label vpp1 and applied by
# lig-agent to a real ligd and Linux:
# - a value the models accept ends CONFIGURED, or PENDING naming a dependency that is not there
#   (the docs' examples name interfaces such as tap1 that no example defines); one the models
#   refuse ends INVALID with the reason; nothing ends FAILED;
# - every CONFIGURED object is in ligd's dumps (interfaces by tag, bridge domains, static FIB
#   entries, routes, ARP) or in its Linux namespace (veths, their addresses, routes, ARP);
# - the docs' namespaces ns1/ns2 are created after the values: their veths wait, then appear.
# The examples use fixed names (ns1, ns2, 192.168.x addresses, /run/vpp/default.sock), so the
# whole test runs in a network and mount namespace of its own, with private /run/netns and
# /run/vpp: no namespace, link or address it creates is visible to the machine. The one thing
# left outside is the docs' memif socket /tmp/memif1.sock (/tmp holds the build): the test
# refuses to run if it exists already and removes it at the end.
if [ -z "$LIG_EXAMPLES_INNER" ]; then
	exec env LIG_EXAMPLES_INNER=1 unshare --mount --net --propagation private bash "$0" "$@"
fi
ip link set lo up
mkdir -p /run/netns /run/vpp
mount -t tmpfs lig-examples /run/netns && mount -t tmpfs lig-examples /run/vpp ||
	{ echo "cannot make private mounts"; exit 1; }
MEMIF_SOCK=/tmp/memif1.sock
[ -e $MEMIF_SOCK ] && { echo "SKIP: $MEMIF_SOCK exists (the docs' memif example would take it)"; exit 0; }

. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
trap 'rc=$?; [ -S $MEMIF_SOCK ] && rm -f $MEMIF_SOCK; (exit $rc); lig_cleanup' EXIT
EXAMPLES="$(cd "$(dirname "$0")/../../agent/models/tests" && pwd)"
agent_etcd_start || { echo "etcd did not start"; exit 1; }
lig_start l1 || exit 1
agent_start "$LIG_TMP/l1.api.sock" || exit 1

# Puts every example (the table's order; a later example of the same key replaces the earlier),
# plus loopbacks for the interfaces the docs' examples name but never define, so that more of
# them can be applied. Writes the final key -> (file, outcome) map for the checks.
python3 - "$EXAMPLES" "$EURL" "$LIG_TMP/examples.json" <<'EOF' || exit 1
import json, re, subprocess, sys
ex_dir, eurl, out = sys.argv[1:4]
src = open(ex_dir + "/test_models_examples.c").read()
final = {}
for m in re.finditer(r'\{"([\w.-]+\.json)",\s*(LIG_MODEL_\w+),\s*((?:"(?:[^"\\]|\\.)*"\s*)+),'
                     r'\s*"([^"]*)",\s*(OK|INVALID|UNSUPPORTED)', src):
    f, key, outcome = m.group(1), m.group(4), m.group(5)
    key = re.sub(r'^/vnf-agent/[^/]+/', '/vnf-agent/vpp1/', key)
    if not key.startswith('/'):
        key = '/vnf-agent/vpp1/' + key
    value = open(ex_dir + "/examples/" + f, "rb").read()
    subprocess.run(["etcdctl", "--endpoints", eurl, "put", key], input=value, check=True,
                   stdout=subprocess.DEVNULL)
    final[key] = {"file": f, "outcome": outcome}
if len(final) < 30:
    sys.exit("only %d example keys found in test_models_examples.c" % len(final))
for name in ("tap1", "if2", "vxlanBVI"):
    key = "/vnf-agent/vpp1/config/vpp/v2/interfaces/" + name
    value = json.dumps({"name": name, "type": "SOFTWARE_LOOPBACK", "enabled": True})
    subprocess.run(["etcdctl", "--endpoints", eurl, "put", key, value], check=True,
                   stdout=subprocess.DEVNULL)
    final[key] = {"file": "(test) loopback " + name, "outcome": "OK"}
json.dump(final, open(out, "w"))
print("%d keys written" % len(final))
EOF

# The docs' namespaces appear after their veths were written.
sleep 0.5
ns_pending() { [ "$(agent_state_of /vnf-agent/vpp1/config/linux/interfaces/v2/interface/veth1)" = PENDING ]; }
lig_check "veth1 PENDING while namespace ns1 does not exist" ns_pending
ip netns add ns1 && ip netns add ns2 && ip -n ns1 link set lo up && ip -n ns2 link set lo up
LIG_NETNS+=(ns1 ns2)

# settled: no value RETRYING or in a transient state for 1 s.
settle() {
	local prev="" cur
	for _ in $(seq 60); do
		cur=$(agent_status | python3 -c 'import json,sys; print(sorted((v["key"],v["state"]) for v in json.load(sys.stdin)))')
		[ -n "$prev" ] && [ "$cur" = "$prev" ] && ! echo "$cur" | grep -q "RETRYING\|APPLYING" && return 0
		prev=$cur; sleep 0.5
	done
	return 1
}
lig_check "states settle" settle
agent_status >"$LIG_TMP/status.json"
for d in sw_interface_dump bridge_domain_dump l2fib_dump ip_neighbor_dump ip_address_dump \
	nat44_static_mapping_dump nat44_lb_static_mapping_dump nat44_address_dump; do
	lig_ctl l1 api dump $d >"$LIG_TMP/$d.json" || echo "dump $d failed"
done
lig_ctl l1 api dump ip_route_dump >"$LIG_TMP/ip_route_dump.json"

check_examples() {
	python3 - "$LIG_TMP" "$EXAMPLES" <<'EOF'
import json, re, subprocess, sys
tmp, ex_dir = sys.argv[1:3]
final = json.load(open(tmp + "/examples.json"))
status = {v["key"]: v for v in json.load(open(tmp + "/status.json"))}
def dump(name):
    txt = open("%s/%s.json" % (tmp, name)).read()
    return txt
ifs, bds, fib, nb, rts = (dump(n) for n in ("sw_interface_dump", "bridge_domain_dump", "l2fib_dump",
                                           "ip_neighbor_dump", "ip_route_dump"))
nat_maps = dump("nat44_static_mapping_dump") + dump("nat44_lb_static_mapping_dump")
nat_addrs = dump("nat44_address_dump")
bad, n_conf = [], 0
for key, ex in sorted(final.items()):
    st = status.get(key)
    state = st["state"] if st else "NONE"
    why = (st or {}).get("error") or "; ".join((st or {}).get("details") or [])
    line = "%-75s %-10s %s (%s)" % (key[16:], state, ex["file"], why)
    print(line)
    if state == "FAILED" or state == "NONE":
        bad.append(line)
    elif ex["outcome"] == "OK" and state not in ("CONFIGURED", "PENDING"):
        bad.append(line + " : the models accept it")
    elif ex["outcome"] != "OK" and state != "INVALID":
        bad.append(line + " : the models refuse it")
    elif state in ("INVALID", "PENDING") and not why:
        bad.append(line + " : no reason given")
    if state != "CONFIGURED":
        continue
    n_conf += 1
    short = key[len("/vnf-agent/vpp1/config/"):]
    if short.startswith("vpp/v2/interfaces/"):
        name = short[len("vpp/v2/interfaces/"):]
        if not re.search(r'"tag":\s*"%s"' % re.escape(name), ifs):
            bad.append(line + " : no ligd interface tagged " + name)
    elif short.startswith("vpp/v2/route/"):
        dst = re.search(r"dst/([0-9.]+)/", short).group(1)
        if dst not in rts:
            bad.append(line + " : route to %s not in ip_route_dump" % dst)
    elif short.startswith("vpp/l2/v2/fib/"):
        mac = short.rsplit("/", 1)[1].lower()
        if mac not in fib.lower():
            bad.append(line + " : %s not in l2fib_dump" % mac)
    elif short.startswith("vpp/v2/arp/"):
        ip = short.rsplit("/", 1)[1]
        if ip not in nb:
            bad.append(line + " : %s not in ip_neighbor_dump" % ip)
    elif short.startswith("vpp/nat/v2/dnat44/"):
        v = json.load(open(ex_dir + "/examples/" + ex["file"]))
        for m in v.get("stMappings") or v.get("st_mappings") or []:
            ext = m.get("externalIp") or m.get("external_ip")
            if ext not in nat_maps:
                bad.append(line + " : %s not in ligd's NAT44 mapping dumps" % ext)
    elif short.startswith("vpp/nat/v2/nat44-pool/"):
        v = json.load(open(ex_dir + "/examples/" + ex["file"]))
        first = v.get("firstIp") or v.get("first_ip")
        if first not in nat_addrs:
            bad.append(line + " : %s not in nat44_address_dump" % first)
    elif short.startswith("linux/interfaces/v2/interface/") and not ex["file"].startswith("("):
        v = json.load(open(ex_dir + "/examples/" + ex["file"]))
        host = v.get("host_if_name") or v.get("hostIfName") or v["name"]
        ns = (v.get("namespace") or {}).get("reference")
        cmd = ["ip"] + (["-n", ns] if ns else []) + ["link", "show", "dev", host]
        if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
            bad.append(line + " : no link %s in namespace %s" % (host, ns or "(agent's)"))
print("%d keys, %d CONFIGURED" % (len(final), n_conf))
if bad:
    print("WRONG:\n" + "\n".join(bad))
    sys.exit(1)
if n_conf < 15:
    sys.exit("only %d examples CONFIGURED" % n_conf)
EOF
}
lig_check "every example is CONFIGURED in ligd/Linux, PENDING on a named dependency, or INVALID with its reason" check_examples

# The docs' veth pair, in the namespaces that appeared later, with the example's addresses.
veths() {
	ip -n ns1 addr show dev veth1 | grep -q 192.168.22.1/24 &&
		ip -n ns2 link show dev veth2 | grep -q 'state UP\|LOWER_UP'
}
lig_check "docs' veth1 (ns1, 192.168.22.1/24) and veth2 (ns2) exist" veths
loop1() { grep -A12 '"tag": *"loop1"' "$LIG_TMP/sw_interface_dump.json" | grep -q '"admin_up": *\(1\|true\)'; }
lig_check "loop1 (vpp-agent docs) is up in ligd" loop1

lig_test_done

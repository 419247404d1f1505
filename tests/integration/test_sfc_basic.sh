#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-sfc against a real etcd (no ligd needed: what is checked is what lig-sfc writes): a file
# renders keys into etcd; editing one service rewrites only keys of that service (etcd
# mod_revisions prove it); a bad file changes nothing and the error names the path; deleting a
# service removes exactly the keys it rendered; a restart writes nothing; --clean rewrites;
# REST PUT/DELETE and objects put straight into etcd (a bad one is OperDown, renders nothing);
# hostile REST input.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"

if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null || [ ! -x "$LIG_BIN/lig-sfc" ]; then
	echo "SKIP: etcd, etcdctl or lig-sfc missing"; exit 0
fi
if "$LIG_BIN/lig-sfc" --sfc-config /dev/null 2>&1 | grep -q "built without the renderer"; then
	echo "SKIP: lig-sfc built without the renderer (sfc/render)"; exit 0
fi
agent_etcd_start || { echo "etcd did not start"; exit 1; }
SPORT=$(agent_free_port)
URL="http://127.0.0.1:$SPORT"
F="$LIG_TMP/sfc.yaml"
SFC_PID=

ectl() { etcdctl --endpoints "$EURL" "$@"; }
# The whole store as "key mod_revision" lines (sorted), and its revision.
snapshot() {
	ectl get --prefix / -w json | python3 -c '
import base64, json, sys
d = json.load(sys.stdin)
for kv in sorted(d.get("kvs", []), key=lambda k: k["key"]):
    print(base64.b64decode(kv["key"]).decode(), kv["mod_revision"])'
}
store_rev() { ectl get / -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])'; }
# Rendered keys owned by service $1 (from lig-sfc's index in the store).
owned_by() {
	ectl get --prefix /sfc-controller/v2/status/rendered/ | paste - - |
		awk -v s="network-service/$1" '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == s) print substr($1, length("/sfc-controller/v2/status/rendered") + 1) }' | sort
}
status() { curl -sf "$URL/sfc-controller/v2/status"; }
renders() { status | python3 -c 'import json,sys; print(json.load(sys.stdin)["renders"])'; }
# Waits for a render after the one counted in $1.
wait_render() {
	for _ in $(seq 100); do [ "$(renders 2>/dev/null || echo 0)" -gt "$1" ] && return 0; sleep 0.05; done
	echo "no render after $1"; status; return 1
}
start_sfc() {
	"$LIG_BIN/lig-sfc" --sfc-config "$F" --etcd-config "$LIG_TMP/etcd.conf" --http-port "$SPORT" "$@" >>"$LIG_TMP/sfc.log" 2>&1 &
	SFC_PID=$!
	LIG_PIDS+=("$SFC_PID")
	for _ in $(seq 100); do [ "$(renders 2>/dev/null || echo 0)" -gt 0 ] && return 0; sleep 0.05; done
	echo "lig-sfc did not render"; cat "$LIG_TMP/sfc.log"; return 1
}
stop_sfc() { kill -TERM "$SFC_PID"; wait "$SFC_PID" 2>/dev/null; }
# eventually CMD...: CMD succeeds within 5 s (polled; the host may be loaded).
eventually() {
	for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
	"$@"
}
svc() { # name pod-a pod-b subnet method [ring size of pod-a's port1]
	printf '  - metadata: {name: %s}\n    spec:\n      network_pods:\n' "$1"
	printf '        - metadata: {name: %s}\n          spec:\n            pod_type: vppcontainer\n            interfaces:\n              - name: port1\n                if_type: memif\n                ip_addresses: [%s.1/24]\n' "$2" "$4"
	[ -n "${6:-}" ] && printf '                memif_parms: {ring_size: "%s"}\n' "$6"
	printf '        - metadata: {name: %s}\n          spec:\n            pod_type: vppcontainer\n            interfaces:\n              - {name: port1, if_type: memif, ip_addresses: [%s.2/24]}\n' "$3" "$4"
	printf '      connections:\n        - conn_type: l2pp\n          conn_method: %s\n          pod_interfaces: [%s/port1, %s/port1]\n' "$5" "$2" "$3"
}
write_file() { # services...
	{
		cat <<EOS
sfc_controller_config_version: 2
description: test_sfc_basic
system_parameters:
  memif_directory: $LIG_TMP
network_pod_to_node_map:
EOS
		for p in vnf1 vnf2 vnf3 vnf4 vnf5 vnf6; do echo "  - {pod: $p, node: node1}"; done
		cat <<EOS
network_nodes:
  - metadata: {name: node1}
    spec:
      node_type: host
      interfaces:
        - {name: eth0, if_type: ethernet, ip_addresses: [192.168.60.1/24]}
network_services:
EOS
		printf '%s\n' "$@"
	} >"$F.tmp" && mv "$F.tmp" "$F"
}
S1=$(svc s1 vnf1 vnf2 10.1.0 direct)
S2=$(svc s2 vnf3 vnf4 10.2.0 vswitch)
S2B=$(svc s2 vnf3 vnf4 10.2.0 vswitch 2048)
ectl put /vnf-agent/node1/config/foreign foreign >/dev/null
T=$LIG_TMP

# Keys whose mod_revision differs between two snapshots ("key rev" lines, sorted).
changed() { join -j1 "$1" "$2" | awk '$2 != $3 { print $1 }'; }
keys_of() { cut -d' ' -f1 "$1"; }

write_file "$S1" "$S2"
world() {
	diff <("$LIG_BIN/lig-sfc" --print-world "$F") - <<EOW
node node1
pod vnf1 vppcontainer node1
pod vnf2 vppcontainer node1
pod vnf3 vppcontainer node1
pod vnf4 vppcontainer node1
EOW
}
lig_check "--print-world: one line per node and pod" world
bad_check() {
	sed 's#\[vnf1/port1, vnf2/port1\]#[vnf1/port1, vnf2/port9]#' "$F" >"$T/bad.yaml"
	! "$LIG_BIN/lig-sfc" --check "$T/bad.yaml" 2>"$T/check.err" &&
		grep -q '^network_services\[0\].connections\[0\]: pod interface vnf2/port9 does not exist (line' "$T/check.err" &&
		! "$LIG_BIN/lig-sfc" --print-world "$T/bad.yaml" >/dev/null 2>&1 &&
		"$LIG_BIN/lig-sfc" --check "$F"
}
lig_check "--check: a bad file fails naming the path, a good one passes" bad_check
start_sfc || exit 1
snapshot >"$T/snap1"
owned_by s1 >"$T/s1"
owned_by s2 >"$T/s2"
check_first() {
	[ -s "$T/s1" ] && [ -s "$T/s2" ] || { echo "no keys indexed"; return 1; }
	grep -v '^/vnf-agent/' "$T/s1" "$T/s2" && return 1
	for k in $(cat "$T/s1" "$T/s2"); do grep -q "^$k " "$T/snap1" || { echo "missing $k"; return 1; }; done
	wc -l "$T/s1" "$T/s2"
}
lig_check "keys of both services in etcd, each indexed" check_first
lig_check "status keys OperUp" sh -c "etcdctl --endpoints $EURL get /sfc-controller/v2/status/network-service/s1 --print-value-only | grep -q OperUp"
lig_check "GET /sfc-controller: the system as YAML with status" sh -c "curl -sf $URL/sfc-controller | grep -q 'oper_status: OperUp'"

# Edit s2 (a memif ring size): keys of s1 keep their revisions, some of s2 change.
n=$(renders)
write_file "$S1" "$S2B"
wait_render "$n"
snapshot >"$T/snap2"
check_edit() {
	local c
	c=$(changed "$T/snap1" "$T/snap2" | grep -v '^/sfc-controller/v2/status/')
	echo "rewritten: $c"
	[ -n "$c" ] || return 1
	! echo "$c" | grep -vxF -f "$T/s2"
}
lig_check "editing s2 rewrote some of its keys and no other" check_edit
same_keys() { diff <(keys_of "$1") <(keys_of "$2"); }
lig_check "editing s2 deleted nothing" same_keys "$T/snap1" "$T/snap2"

# A bad file: nothing changes in etcd, the error names the path.
rev=$(store_rev)
n=$(renders)
write_file "$S1" "$(echo "$S2B" | sed 's#\[vnf3/port1, vnf4/port1\]#[vnf3/port1, vnf9/port1]#')"
lig_check "bad file: the error names the path" eventually sh -c "curl -sf $URL/sfc-controller/v2/status | grep -q 'network_services\[1\].connections\[0\]: pod interface vnf9/port1 does not exist'"
lig_check "bad file: shown on GET /sfc-controller" sh -c "curl -sf $URL/sfc-controller | grep -q '^# network_services\[1\].connections\[0\]: pod interface vnf9/port1'"
bad_nochange() { [ "$(store_rev)" = "$rev" ] && [ "$(renders)" = "$n" ]; }
lig_check "bad file: no render, etcd revision unchanged" bad_nochange
write_file "$S1" "$(echo "$S2B" | sed 's/conn_method: vswitch/conn_method: vswitch\n          colour: red/')"
lig_check "bad file: an unknown field named with its line" eventually sh -c "curl -sf $URL/sfc-controller/v2/status | grep -q 'network_services\[1\].connections\[0\].colour: unknown field in connection (line'"
lig_check "bad files: still no write" bad_nochange

# Delete s2: exactly its keys go, s1's stay.
snapshot >"$T/snap3"
n=$(renders)
write_file "$S1"
wait_render "$n"
snapshot >"$T/snap4"
check_delete() {
	diff <(keys_of "$T/snap3" | grep -v '^/sfc-controller/' | grep -vxF -f "$T/s2") \
		<(keys_of "$T/snap4" | grep -v '^/sfc-controller/') || return 1
	! changed "$T/snap3" "$T/snap4" | grep -xF -f "$T/s1"
}
lig_check "deleting s2 removed exactly its keys, s1 untouched" check_delete
s2_gone() { [ -z "$(ectl get --prefix /sfc-controller/v2/status/network-service/s2 --keys-only)" ] && [ -z "$(owned_by s2)" ]; }
lig_check "s2's status and index entries gone" eventually s2_gone
lig_check "the foreign key is still there" sh -c "etcdctl --endpoints $EURL get /vnf-agent/node1/config/foreign --print-value-only | grep -q foreign"

# Restart: zero writes.
n=$(renders)
write_file "$S1" "$S2"
wait_render "$n"
stop_sfc
rev=$(store_rev)
start_sfc || exit 1
sleep 0.3
zero_writes() { [ "$(store_rev)" = "$rev" ] && status | grep -q '"ops":0'; }
lig_check "restart: etcd revision unchanged (zero writes)" zero_writes
# A key deleted behind lig-sfc's back while it was down is put back on restart, only it.
stop_sfc
k=$(head -1 "$T/s1")
ectl del "$k" >/dev/null
start_sfc || exit 1
put_back() { ectl get "$k" --keys-only | grep -q . && status | grep -q '"puts":1,'; }
lig_check "restart: a key deleted meanwhile is put back, only it" put_back

# Drift while running: a rendered key deleted or changed by someone else is put back.
k2=$(sed -n 2p "$T/s1")
v2=$(ectl get "$k2" --print-value-only)
ectl del "$k2" >/dev/null
restored() { for _ in $(seq 100); do [ "$(ectl get "$k2" --print-value-only)" = "$v2" ] && return 0; sleep 0.05; done; echo "$k2 not restored"; return 1; }
lig_check "drift: a rendered key deleted behind lig-sfc's back is put back" restored
ectl put "$k2" '{"name":"hijacked"}' >/dev/null
lig_check "drift: a rendered key changed behind lig-sfc's back is put back" restored
rev=$(store_rev)
ectl put /vnf-agent/node1/config/foreign foreign2 >/dev/null
sleep 0.3
lig_check "a foreign key's change is not drift: nothing written" sh -c "[ \$(etcdctl --endpoints $EURL get / -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"header\"][\"revision\"])') = $((rev + 1)) ]"

# --clean: every key rewritten (new revisions), the foreign key untouched.
stop_sfc
snapshot >"$T/snap5"
start_sfc --clean || exit 1
snapshot >"$T/snap6"
check_clean() {
	local same
	same=$(join -j1 "$T/snap5" "$T/snap6" | grep '^/vnf-agent/' | grep -v foreign | awk '$2 == $3')
	[ -z "$same" ] || { echo "not rewritten: $same"; return 1; }
	diff <(keys_of "$T/snap5") <(keys_of "$T/snap6") || return 1
	diff <(grep foreign "$T/snap5") <(grep foreign "$T/snap6")
}
lig_check "--clean: every rendered key rewritten, the same keys, the foreign key untouched" check_clean

# REST and etcd as sources.
n=$(renders)
S3JSON='{"metadata":{"name":"s3"},"spec":{"network_pods":[{"metadata":{"name":"vnf5"},"spec":{"pod_type":"vppcontainer","interfaces":[{"name":"port1","if_type":"memif"}]}},{"metadata":{"name":"vnf6"},"spec":{"pod_type":"vppcontainer","interfaces":[{"name":"port1","if_type":"memif"}]}}],"connections":[{"conn_type":"l2pp","pod_interfaces":["vnf5/port1","vnf6/port1"]}]}}'
lig_check "REST PUT of a service" curl -sf -X PUT -d "$S3JSON" "$URL/sfc-controller/v2/config/network-service/s3"
wait_render "$n"
s3_there() { ectl get /sfc-controller/v2/config/network-service/s3 --keys-only | grep -q . && [ -n "$(owned_by s3)" ]; }
lig_check "the REST service is in etcd's config and rendered" eventually s3_there
lig_check "GET of the object" sh -c "curl -sf $URL/sfc-controller/v2/config/network-service/s3 | grep -q '\"vnf5/port1\"'"
get_all() { curl -sf "$URL/sfc-controller/v2/config/network-services" | python3 -c 'import json,sys; n=sorted(o["metadata"]["name"] for o in json.load(sys.stdin)); print(n); sys.exit(n != ["s1", "s2", "s3"])'; }
lig_check "GET of all services (file and REST)" get_all
bad_put() {
	local out
	out=$(curl -s -w ' %{http_code}' -X PUT -d '{"spec":{"connections":[{"conn_type":"l2pp","pod_interfaces":["a/b","c/d"]}]}}' "$URL/sfc-controller/v2/config/network-service/s4")
	echo "$out"
	echo "$out" | grep -q 'network-service/s4.connections\[0\]: pod interface a/b does not exist' &&
		[ "$(echo "$out" | tail -1)" = " 400" ]
}
lig_check "REST PUT of a bad service: 400 naming the path" bad_put
lig_check "REST DELETE of a file object: 409" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X DELETE $URL/sfc-controller/v2/config/network-service/s1) = 409 ]"
n=$(renders)
lig_check "REST DELETE of the REST service" curl -sf -X DELETE "$URL/sfc-controller/v2/config/network-service/s3"
wait_render "$n"
s3_gone() { [ -z "$(owned_by s3)" ]; }
lig_check "its keys are gone" eventually s3_gone
# A bad service put straight into etcd: OperDown with the reason, nothing rendered.
n=$(renders)
ectl put /sfc-controller/v2/config/network-service/s5 '{"spec":{"network_pods":[{"metadata":{"name":"vnf5"},"spec":{"pod_type":"vppcontainer","interfaces":[{"name":"port1","if_type":"memif"}]}}],"connections":[{"conn_type":"l2pp","pod_interfaces":["vnf5/port1","vnf7/port1"]}]}}' >/dev/null
wait_render "$n"
s5_down() { ectl get /sfc-controller/v2/status/network-service/s5 --print-value-only | grep OperDown | grep -q 'pod interface vnf7/port1 does not exist' && [ -z "$(owned_by s5)" ]; }
lig_check "bad etcd service: OperDown with the reason, nothing rendered" eventually s5_down
n=$(renders)
ectl put /sfc-controller/v2/config/network-node/bad '{"spec":{"node_type":"moon"}}' >/dev/null
wait_render "$n"
lig_check "an etcd object that does not decode is reported" eventually sh -c "curl -sf $URL/sfc-controller/v2/status | grep -q \"network-node/bad.node_type: 'moon' is not one of host|external\""

# Overlays get a status: up, or down with the errors that name them.
n=$(renders)
ectl put /sfc-controller/v2/config/network-node-overlay/o1 '{"spec":{"service_mesh_type":"mesh","connection_type":"vxlan","vxlan_mesh_parms":{"vni_range_start":10,"vni_range_end":20}}}' >/dev/null
ectl put /sfc-controller/v2/config/network-node-overlay/o2 '{"spec":{"service_mesh_type":"hub_and_spoke","connection_type":"vxlan","vxlan_hub_and_spoke_parms":{"hub_node_name":"nowhere","vni":7}}}' >/dev/null
overlays() {
	ectl get /sfc-controller/v2/status/network-node-overlay/o1 --print-value-only | grep -q '"OperUp"' &&
		ectl get /sfc-controller/v2/status/network-node-overlay/o2 --print-value-only | grep OperDown | grep -q "hub node 'nowhere' does not exist"
}
lig_check "overlay statuses: up, and down with the reason" eventually overlays

# Hostile REST input.
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
hostile() {
	[ "$(code "$URL/sfc-controller/v2/config/nothing/x")" = 404 ] || return 1
	[ "$(code "$URL/sfc-controller/v2/config/network-service/a/b")" = 404 ] || return 1
	[ "$(code -X PUT -d '[[[[' "$URL/sfc-controller/v2/config/network-service/x")" = 400 ] || return 1
	[ "$(code -X PUT -d '{"metadata":{"name":"'"$(printf 'x%.0s' $(seq 100))"'"}}' "$URL/sfc-controller/v2/config/ipam-pool/x")" = 400 ] || return 1
	python3 -c 'print("[" * 100000)' | curl -s -o /dev/null -X PUT --data-binary @- "$URL/sfc-controller/v2/config/network-node/x"
	head -c 3000000 /dev/zero | curl -s -o /dev/null -X PUT --data-binary @- "$URL/sfc-controller/v2/config/ipam-pool/x"
	curl -sf "$URL/liveness"
}
lig_check "hostile paths and bodies refused, lig-sfc alive" hostile
lig_check "lig-sfc still running" kill -0 "$SFC_PID"

lig_test_done

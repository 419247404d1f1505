#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's northbound sources: a --config-file (vpp-agent's document in YAML, later a JSON list
# of {key, value}) applied at start and edited while running (a change, a removal, the file
# replaced by rename as editors do); its precedence under the store (a key both have takes the
# store's value and survives its removal from the file); REST PUT /configuration with vpp-agent's
# own document, GET /configuration returning it (YAML and JSON), merge and ?replace semantics,
# single-key PUT/DELETE over a store key, and bad documents refused.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
agent_etcd_start || { echo "etcd did not start"; exit 1; }
lig_start l1 || exit 1
P=/vnf-agent/vpp1/config
IF=$P/vpp/v2/interfaces
R="http://127.0.0.1:$HPORT"

mtu_of() { # logical interface name -> its MTU in ligd ("" when absent): the interface tagged
	# with the name (the agent's tag), or named so when untagged
	lig_ctl l1 api dump sw_interface_dump | python3 -c '
import json, sys
n = sys.argv[1]
for line in sys.stdin:
    line = line.strip().rstrip(",")
    if not line.startswith("{"):
        continue
    try:
        i = json.loads(line)
    except ValueError:
        continue
    if i.get("tag") == n or (not i.get("tag") and i.get("name") == n):
        print(i.get("mtu")); break' "$1"
}
wait_mtu() { for _ in $(seq 50); do [ "$(mtu_of "$1")" = "$2" ] && return 0; sleep 0.1; done; echo "$1: mtu '$(mtu_of "$1")', wanted '$2'"; return 1; }

mkdir -p "$LIG_TMP/cfg"
CFG=$LIG_TMP/cfg/agent.yaml
# loop4 is in the store too: the store's value wins.
agent_put $IF/loop4 '{"name":"loop4","type":"SOFTWARE_LOOPBACK","mtu":1500}'
cat >"$CFG" <<'YAML'
# vpp-agent's all-in-one document, as its init file and REST take it
netallocConfig: {}
linuxConfig: {}
vppConfig:
  interfaces:
    - name: loop1
      type: SOFTWARE_LOOPBACK
      enabled: true
      mtu: 1400
      ipAddresses:
        - 10.10.1.1/24
    - name: loop2
      type: SOFTWARE_LOOPBACK
      mtu: 1450
    - name: loop4
      type: SOFTWARE_LOOPBACK
      mtu: 1600
YAML
agent_start "$LIG_TMP/l1.api.sock" --config-file "$CFG" || exit 1
lig_check "file: loop1 CONFIGURED" agent_wait_state $IF/loop1 CONFIGURED
lig_check "file: loop1's address CONFIGURED" agent_wait_state vpp/interface/loop1/address/static/10.10.1.1/24 CONFIGURED
lig_check "file: loop2 in ligd (mtu 1450)" wait_mtu loop2 1450
lig_check "store over file: loop4 has the store's mtu 1500" wait_mtu loop4 1500

# Edit as editors do: a new file renamed over the old one. loop1's MTU changes, loop2 and loop4
# go from the file.
cat >"$LIG_TMP/cfg/.agent.yaml.swp" <<'YAML'
vppConfig:
  interfaces:
    - name: loop1
      type: SOFTWARE_LOOPBACK
      enabled: true
      mtu: 1420
      ipAddresses: [10.10.1.1/24]
YAML
mv "$LIG_TMP/cfg/.agent.yaml.swp" "$CFG"
lig_check "file edited: loop1 mtu 1420" wait_mtu loop1 1420
gone2() { for _ in $(seq 50); do [ -z "$(mtu_of loop2)" ] && return 0; sleep 0.1; done; return 1; }
lig_check "file edited: loop2 removed from the file is deleted from ligd" gone2
lig_check "file edited: loop4 removed from the file stays (the store has it), mtu 1500" wait_mtu loop4 1500

# The other shape, in place (truncate and write): a JSON list of {key, value}, short keys.
printf '[{"key":"config/vpp/v2/interfaces/loop1","value":{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"mtu":1430}},\n {"key":"%s/loop5","value":"{\\"name\\":\\"loop5\\",\\"type\\":\\"SOFTWARE_LOOPBACK\\"}"}]\n' "$IF" >"$CFG"
lig_check "file as a key/value list: loop1 mtu 1430" wait_mtu loop1 1430
lig_check "file as a key/value list: loop5 (full key, string value) CONFIGURED" agent_wait_state $IF/loop5 CONFIGURED
# A broken edit keeps what was read before.
printf 'vppConfig: [\n' >"$CFG"
sleep 0.3
lig_check "a file that does not parse is reported" grep -q "config file .*keeping the items read before" "$LIG_TMP/agent.log"
lig_check "... and keeps loop5" agent_wait_state $IF/loop5 CONFIGURED

# ---- REST ----
# vpp-agent's own document (its e2e test's init file), YAML, PUT as its REST takes it.
DOC='
netallocConfig: {}
linuxConfig: {}
vppConfig:
  interfaces:
    - name: loop-test-from-init-file
      type: SOFTWARE_LOOPBACK
      enabled: true
      ipAddresses:
        - 10.10.1.1/24
      mtu: 9000
'
code=$(curl -s -o "$LIG_TMP/put.out" -w '%{http_code}' -X PUT -H 'Content-Type: application/yaml' --data-binary "$DOC" "$R/configuration")
lig_check "PUT /configuration (vpp-agent's e2e document, verbatim) answers 200" test "$code" = 200
lig_check "its interface CONFIGURED" agent_wait_state $IF/loop-test-from-init-file CONFIGURED
lig_check "its address CONFIGURED (as vpp-agent's test checks)" agent_wait_state vpp/interface/loop-test-from-init-file/address/static/10.10.1.1/24 CONFIGURED
lig_check "ligd has it with mtu 9000" wait_mtu loop-test-from-init-file 9000
curl -sf "$R/configuration" >"$LIG_TMP/get.yaml"
lig_check "GET /configuration is YAML with vppConfig" grep -q '^vppConfig:' "$LIG_TMP/get.yaml"
lig_check "... holding the document's interface, its address and MTU" sh -c "grep -q 'name: loop-test-from-init-file' '$LIG_TMP/get.yaml' && grep -q '10.10.1.1/24' '$LIG_TMP/get.yaml' && grep -q 'mtu: 9000' '$LIG_TMP/get.yaml'"
names() { curl -sf "$R/configuration?format=json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(i["name"] for i in d["vppConfig"].get("interfaces",[]))))'; }
lig_check "GET ?format=json: file, store and REST interfaces" test "$(names)" = "loop-test-from-init-file loop1 loop4 loop5"
acc() { curl -sf -H 'Accept: application/json' "$R/configuration" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "linuxConfig" in d and "vppConfig" in d'; }
lig_check "GET with Accept: application/json is JSON" acc
# Merge, JSON: vpp-agent's quickstart values (loop1 with an address, bd1 with loop1) in a document.
# REST's loop1 overrides the file's.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
	--data '{"vppConfig":{"interfaces":[{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"ip_addresses":["192.168.1.1/24"]}],"bridgeDomains":[{"name":"bd1","forward":true,"learn":true,"interfaces":[{"name":"loop1"}]}]}}' "$R/configuration")
lig_check "PUT (merge) answers 200" test "$code" = 200
lig_check "bd1 CONFIGURED" agent_wait_state $P/vpp/l2/v2/bridge-domain/bd1 CONFIGURED
lig_check "bd1's member loop1 CONFIGURED" agent_wait_state vpp/bd/bd1/interface/loop1 CONFIGURED
lig_check "REST over file: loop1's REST address CONFIGURED" agent_wait_state vpp/interface/loop1/address/static/192.168.1.1/24 CONFIGURED
srcof() { curl -sf "$R/configuration/$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["source"], " ".join(sorted(d["sources"])))'; }
lig_check "REST over file: loop1's desired value is REST's (file's kept beneath)" test "$(srcof config/vpp/v2/interfaces/loop1)" = "rest file rest"
lig_check "merge kept the earlier REST interface" agent_wait_state $IF/loop-test-from-init-file CONFIGURED
# Replace: only what this document holds stays of what REST gave; the file's loop1 is back.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary $'vppConfig:\n  interfaces:\n    - {name: loop8, type: SOFTWARE_LOOPBACK, mtu: 1380}\n' "$R/configuration?replace=true")
lig_check "PUT ?replace=true answers 200" test "$code" = 200
lig_check "replace: loop8 in ligd (mtu 1380)" wait_mtu loop8 1380
lig_check "replace: bd1 is gone" agent_wait_state $P/vpp/l2/v2/bridge-domain/bd1 NONE
lig_check "replace: the e2e interface is gone" agent_wait_state $IF/loop-test-from-init-file NONE
gone_e2e() { for _ in $(seq 50); do [ -z "$(mtu_of loop-test-from-init-file)" ] && return 0; sleep 0.1; done; return 1; }
lig_check "replace: ... and deleted from ligd" gone_e2e
lig_check "replace: loop1 has the file's value again (mtu 1430)" wait_mtu loop1 1430
lig_check "replace: the file's and the store's items stay" test "$(names)" = "loop1 loop4 loop5 loop8"
# A single key over the store's: REST wins while it has it; DELETE gives the store's value back.
curl -sf -X PUT --data '{"name":"loop4","type":"SOFTWARE_LOOPBACK","mtu":1700}' "$R/configuration/vpp/v2/interfaces/loop4" >/dev/null
lig_check "PUT /configuration/<key>: REST over the store, mtu 1700" wait_mtu loop4 1700
lig_check "GET /configuration/<key> names the source and every source's value" test "$(srcof config/vpp/v2/interfaces/loop4)" = "rest rest store"
curl -sf -X DELETE "$R/configuration/config/vpp/v2/interfaces/loop4" >/dev/null
lig_check "DELETE /configuration/<key>: the store's mtu 1500 again" wait_mtu loop4 1500
# Bad documents.
code=$(curl -s -o "$LIG_TMP/bad.out" -w '%{http_code}' -X PUT --data-binary $'vppConfig:\n  abfs:\n    - index: 1\n' "$R/configuration")
lig_check "a model Ligature does not cover: 422 naming it" sh -c "test $code = 422 && grep -q 'vppConfig.abfs' '$LIG_TMP/bad.out'"
code=$(curl -s -o "$LIG_TMP/bad.out" -w '%{http_code}' -X PUT --data-binary $'vppConfig: [\n' "$R/configuration")
lig_check "malformed YAML: 400 with the line" sh -c "test $code = 400 && grep -q 'line' '$LIG_TMP/bad.out'"
code=$(curl -s -o "$LIG_TMP/bad.out" -w '%{http_code}' -X PUT --data-binary '{"vppConfig":{"interfaces":[{"name":"x","colour":"red"}]}}' "$R/configuration")
lig_check "unknown field: 400 with its path" sh -c "test $code = 400 && grep -q 'interfaces\[0\]' '$LIG_TMP/bad.out'"
lig_check "agent alive" kill -0 "$AGENT_PID"

lig_test_done

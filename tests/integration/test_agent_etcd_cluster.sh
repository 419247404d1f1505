#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent against a 3-member etcd cluster on loopback: a stream of route writes and deletes
# through the members, the member the agent watches killed with -9 in the middle; at the end ligd
# holds exactly the desired routes (nothing missed, nothing extra) and the watch resumed on another
# member. Then TLS: a CA, server and client certificates made here, etcd with --client-cert-auth;
# the agent with ca-file/cert-file/key-file in etcd.conf configures ligd, and without the client
# certificate it refuses to start, saying why.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"
. "$(dirname "$0")/agent_lib.sh"
agent_need
command -v openssl >/dev/null || { echo "SKIP: openssl missing"; exit 0; }

# ---- the cluster ----
declare -a CPORT PPORT MPID
for i in 1 2 3; do CPORT[$i]=$(agent_free_port); PPORT[$i]=$(agent_free_port); done
CLUSTER="m1=http://127.0.0.1:${PPORT[1]},m2=http://127.0.0.1:${PPORT[2]},m3=http://127.0.0.1:${PPORT[3]}"
for i in 1 2 3; do
	etcd --name "m$i" --data-dir "$LIG_TMP/etcd-m$i" \
		--listen-client-urls "http://127.0.0.1:${CPORT[$i]}" \
		--advertise-client-urls "http://127.0.0.1:${CPORT[$i]}" \
		--listen-peer-urls "http://127.0.0.1:${PPORT[$i]}" \
		--initial-advertise-peer-urls "http://127.0.0.1:${PPORT[$i]}" \
		--initial-cluster "$CLUSTER" --initial-cluster-state new \
		--heartbeat-interval 50 --election-timeout 500 >"$LIG_TMP/etcd-m$i.txt" 2>&1 &
	MPID[$i]=$!
	LIG_PIDS+=("$!")
done
healthy() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:${CPORT[$1]}/health" | grep -q '"health":"true"' && return 0; sleep 0.1; done; return 1; }
for i in 1 2 3; do healthy $i || { echo "etcd member $i did not start"; cat "$LIG_TMP/etcd-m$i.txt" | tail -20; exit 1; }; done
printf 'endpoints:\n  - "127.0.0.1:%s"\n  - "127.0.0.1:%s"\n  - "127.0.0.1:%s"\ndial-timeout: 500ms\noperation-timeout: 2s\ninsecure-transport: true\n' \
	"${CPORT[1]}" "${CPORT[2]}" "${CPORT[3]}" >"$LIG_TMP/etcd.conf"

lig_start l1 || exit 1
agent_start "$LIG_TMP/l1.api.sock" || exit 1
# Writes go through the members in turn (never through a dead one).
ALIVE="127.0.0.1:${CPORT[1]},127.0.0.1:${CPORT[2]},127.0.0.1:${CPORT[3]}"
# A write during the leader election after the kill may time out: it is retried (puts and deletes
# are idempotent), as a controller would.
WFAIL=0
ectl() {
	for _ in $(seq 20); do
		etcdctl --endpoints "$ALIVE" --dial-timeout 1s --command-timeout 2s "$@" >/dev/null 2>>"$LIG_TMP/writes.err" && return 0
		sleep 0.2
	done
	WFAIL=$((WFAIL + 1)); return 1
}
eput() { ectl put "$1" "$2"; }
edel() { ectl del "$1"; }

P=/vnf-agent/vpp1/config
eput $P/vpp/v2/interfaces/loop1 '{"name":"loop1","type":"SOFTWARE_LOOPBACK","enabled":true,"ipAddresses":["10.10.1.1/24"]}'
lig_check "loop1 CONFIGURED" agent_wait_state $P/vpp/v2/interfaces/loop1 CONFIGURED

# Which member the watch is on (the agent logs it).
WATCHED=
for _ in $(seq 50); do
	for i in 1 2 3; do grep -q "etcd watch started.*endpoint=\"http://127.0.0.1:${CPORT[$i]}\"" "$LIG_TMP/agent.log" && WATCHED=$i; done
	[ -n "$WATCHED" ] && break; sleep 0.1
done
lig_check "the agent says which member it watches" test -n "$WATCHED"
WATCHED=${WATCHED:-1}

rkey() { echo "$P/vpp/v2/route/if/loop1/vrf/0/dst/10.100.$1.0/24/gw/10.10.1.254"; }
rval() { echo '{"dstNetwork":"10.100.'"$1"'.0/24","nextHopAddr":"10.10.1.254","outgoingInterface":"loop1"}'; }
# 200 routes written; every tenth deleted again right after a later put; the watched member is
# killed after the 100th.
declare -A WANT
{
	for i in $(seq 1 200); do
		eput "$(rkey $i)" "$(rval $i)"; WANT[$i]=1
		if [ $((i % 10)) -eq 5 ] && [ $i -gt 10 ]; then d=$((i - 5)); edel "$(rkey $d)"; unset "WANT[$d]"; fi
		if [ $i -eq 100 ]; then
			kill -9 "${MPID[$WATCHED]}"; wait "${MPID[$WATCHED]}" 2>/dev/null
			ALIVE=$(for j in 1 2 3; do [ "$j" = "$WATCHED" ] || printf '127.0.0.1:%s,' "${CPORT[$j]}"; done); ALIVE=${ALIVE%,}
			echo "killed member $WATCHED after 100 routes" >>"$LIG_TMP/agent.log"
		fi
	done
}
lig_check "every write through the surviving members succeeded (retried over the election)" test "$WFAIL" -eq 0
printf '%s\n' "${!WANT[@]}" | sort -n >"$LIG_TMP/want.txt"

routes_in_ligd() {
	lig_ctl l1 api dump ip_route_dump '{"by_table":1,"table_id":0,"source":2}' |
		grep -o '10\.100\.[0-9]*\.0' | sed 's/10\.100\.\([0-9]*\)\.0/\1/' | sort -n | uniq
}
exact() {
	for _ in $(seq 100); do
		routes_in_ligd >"$LIG_TMP/have.txt"
		cmp -s "$LIG_TMP/want.txt" "$LIG_TMP/have.txt" && return 0
		sleep 0.1
	done
	echo "want $(wc -l <"$LIG_TMP/want.txt") routes, ligd has $(wc -l <"$LIG_TMP/have.txt")"
	diff "$LIG_TMP/want.txt" "$LIG_TMP/have.txt" | head -20
	return 1
}
lig_check "ligd has exactly the desired $(wc -l <"$LIG_TMP/want.txt") routes (nothing missed, nothing extra)" exact
resumed() { grep "etcd watch resumed" "$LIG_TMP/agent.log" | grep -v "127.0.0.1:${CPORT[$WATCHED]}\"" | grep -q .; }
lig_check "the watch resumed on another member" resumed
lig_check "agent still alive" kill -0 "$AGENT_PID"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null
for i in 1 2 3; do [ "$i" = "$WATCHED" ] || kill -TERM "${MPID[$i]}" 2>/dev/null; done

# ---- TLS with client certificates ----
T=$LIG_TMP/tls; mkdir -p "$T"
(
	cd "$T" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj "/CN=lig-test-ca"
	openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile server.ext
	openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=lig-agent"
	printf 'extendedKeyUsage=clientAuth\n' >client.ext
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 1 -extfile client.ext
) >"$LIG_TMP/openssl.txt" 2>&1 || { echo "openssl failed"; cat "$LIG_TMP/openssl.txt"; exit 1; }
TC=$(agent_free_port); TP=$(agent_free_port)
etcd --name tls --data-dir "$LIG_TMP/etcd-tls" \
	--listen-client-urls "https://127.0.0.1:$TC" --advertise-client-urls "https://127.0.0.1:$TC" \
	--listen-peer-urls "http://127.0.0.1:$TP" --initial-advertise-peer-urls "http://127.0.0.1:$TP" \
	--initial-cluster "tls=http://127.0.0.1:$TP" \
	--client-cert-auth --trusted-ca-file "$T/ca.pem" --cert-file "$T/server.pem" --key-file "$T/server.key" \
	>"$LIG_TMP/etcd-tls.txt" 2>&1 &
LIG_PIDS+=("$!")
TLSCTL=(etcdctl --endpoints "https://127.0.0.1:$TC" --cacert "$T/ca.pem" --cert "$T/client.pem" --key "$T/client.key" --dial-timeout 2s)
for _ in $(seq 100); do "${TLSCTL[@]}" endpoint health >/dev/null 2>&1 && break; sleep 0.1; done
lig_check "TLS etcd up (client certificates required)" "${TLSCTL[@]}" endpoint health
"${TLSCTL[@]}" put $P/vpp/v2/interfaces/loop9 '{"name":"loop9","type":"SOFTWARE_LOOPBACK","enabled":true,"mtu":1300}' >/dev/null
printf 'endpoints:\n  - "127.0.0.1:%s"\ndial-timeout: 1s\ninsecure-transport: false\nca-file: %s\ncert-file: %s\nkey-file: %s\n' \
	"$TC" "$T/ca.pem" "$T/client.pem" "$T/client.key" >"$LIG_TMP/etcd.conf"
lig_start l2 || exit 1
HPORT=$(agent_free_port)
: >"$LIG_TMP/agent.log"
agent_start "$LIG_TMP/l2.api.sock" || exit 1
lig_check "loop9 from the TLS etcd CONFIGURED" agent_wait_state $P/vpp/v2/interfaces/loop9 CONFIGURED
has_loop9() { for _ in $(seq 50); do lig_ctl l2 api dump sw_interface_dump | grep '"loop9"' | grep -q '"mtu": *1300' && return 0; sleep 0.1; done; return 1; }
lig_check "ligd has loop9 (mtu 1300)" has_loop9
lig_check "the agent logs TLS with a client certificate" grep -q "TLS with a client certificate" "$LIG_TMP/agent.log"
"${TLSCTL[@]}" put $P/vpp/v2/interfaces/loop12 '{"name":"loop12","type":"SOFTWARE_LOOPBACK"}' >/dev/null
lig_check "a value put after start arrives through the TLS watch" agent_wait_state $P/vpp/v2/interfaces/loop12 CONFIGURED
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null

# Without the client certificate: refused, and the log says why.
printf 'endpoints:\n  - "127.0.0.1:%s"\ndial-timeout: 1s\nca-file: %s\n' "$TC" "$T/ca.pem" >"$LIG_TMP/etcd-nocert.conf"
MICROSERVICE_LABEL=vpp1 timeout 10 "$LIG_BIN/lig-agent" --etcd-config "$LIG_TMP/etcd-nocert.conf" \
	--ligd-socket "$LIG_TMP/l2.api.sock" --http-port "$(agent_free_port)" >"$LIG_TMP/agent-nocert.log" 2>&1
RC=$?
lig_check "without a client certificate the agent exits with an error" test "$RC" -ne 0 -a "$RC" -ne 124
lig_check "... saying etcd is unreachable and to check the TLS files" grep -q "etcd unreachable.*check ca-file, cert-file and key-file" "$LIG_TMP/agent-nocert.log"
lig_check "... and that no client certificate was given" grep -q "no client certificate is given" "$LIG_TMP/agent-nocert.log"

# ---- etcd not there at start: refused by default, waited for with allow-delayed-start ----
DC=$(agent_free_port); DP=$(agent_free_port)
printf 'endpoints: ["127.0.0.1:%s"]\ndial-timeout: 200ms\n' "$DC" >"$LIG_TMP/etcd-down.conf"
MICROSERVICE_LABEL=vpp1 timeout 10 "$LIG_BIN/lig-agent" --etcd-config "$LIG_TMP/etcd-down.conf" \
	--ligd-socket "$LIG_TMP/l2.api.sock" --http-port "$(agent_free_port)" >"$LIG_TMP/agent-down.log" 2>&1
RC=$?
lig_check "etcd down at start: the agent exits with an error (allow-delayed-start false)" test "$RC" -ne 0 -a "$RC" -ne 124
lig_check "... saying etcd is unreachable" grep -q "etcd unreachable at http://127.0.0.1:$DC" "$LIG_TMP/agent-down.log"
printf 'endpoints: ["127.0.0.1:%s"]\ndial-timeout: 200ms\nallow-delayed-start: true\nreconnect-interval: 200ms\n' "$DC" >"$LIG_TMP/etcd.conf"
HPORT=$(agent_free_port)
agent_start "$LIG_TMP/l2.api.sock" || exit 1
notready() { ! curl -sf "http://127.0.0.1:$HPORT/readiness" >/dev/null; }
lig_check "allow-delayed-start: the agent runs, not ready while etcd is down" notready
etcd --name late --data-dir "$LIG_TMP/etcd-late" \
	--listen-client-urls "http://127.0.0.1:$DC" --advertise-client-urls "http://127.0.0.1:$DC" \
	--listen-peer-urls "http://127.0.0.1:$DP" --initial-advertise-peer-urls "http://127.0.0.1:$DP" \
	--initial-cluster "late=http://127.0.0.1:$DP" >"$LIG_TMP/etcd-late.txt" 2>&1 &
LIG_PIDS+=("$!")
for _ in $(seq 100); do etcdctl --endpoints "127.0.0.1:$DC" put $P/vpp/v2/interfaces/loop11 '{"name":"loop11","type":"SOFTWARE_LOOPBACK","mtu":1310}' >/dev/null 2>&1 && break; sleep 0.1; done
lig_check "... and applies etcd's values once it appears" agent_wait_state $P/vpp/v2/interfaces/loop11 CONFIGURED

lig_test_done

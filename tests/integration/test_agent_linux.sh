#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# lig-agent's Linux side against a real etcd, ligd and kernel. Items are written to etcd in an
# arbitrary order: the bridge domain before its members, a Linux route and ARP entry before their
# interface, veth ends into namespaces that do not exist yet, the kernel side of a ligd tap
# before the tap. Everything waits (PENDING, naming what is missing) and is configured the
# moment the namespaces appear: two namespaces with a veth each, the other ends AF_PACKET
# interfaces of ligd in one bridge domain, a Linux route in one namespace to the other's loopback
# address through ligd; ping and a short iperf3 TCP stream between them; ping through the tap.
# Then: a deleted route key leaves the namespace; ligd killed with -9 and restarted gets
# everything back and traffic resumes; a restarted agent executes zero operations; a namespace
# that goes takes its interfaces back to PENDING and they return with it; the tap's kernel side
# goes back when its value goes; an EXISTING link gets its address and keeps the link when its
# value goes; deleting one veth end deletes the pair.
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

# A label of its own: agents of other tests running at the same time (label vpp1) treat links
# marked /vnf-agent/vpp1/ in the root namespace as theirs, as vpp-agent would.
AGENT_LABEL=lnx$$
. "$(dirname "$0")/agent_lib.sh"
agent_need
for t in iperf3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 0; }
done
agent_etcd_start || { echo "etcd did not start"; exit 1; }
lig_start l1 || exit 1
SOCK="$LIG_TMP/l1.api.sock"
agent_start "$SOCK" || exit 1

put() { agent_put "$@"; }
state() { agent_state_of "$1"; }
wait_state() { agent_wait_state "$@"; }
# The PENDING details (missing dependencies) of a key, one line.
details() {
	agent_status | python3 -c 'import json,sys; k=sys.argv[1]; print(" ".join(next((v.get("details") or [] for v in json.load(sys.stdin) if v["key"]==k), [])))' "$1"
}
pending_on() { # KEY TEXT: PENDING with TEXT among its missing dependencies
	local d; d=$(details "$1")
	[ "$(state "$1")" = PENDING ] && [[ "$d" == *"$2"* ]] || { echo "$1: $(state "$1"): $d"; return 1; }
}

NA=${LIG_PREFIX}na
NB=${LIG_PREFIX}nb
HA=${LIG_PREFIX}ha # the veth ends in the root namespace (ligd's af_packet side)
HB=${LIG_PREFIX}hb
LIG_NETNS+=("$NA" "$NB") # made later by the test; removed on exit whatever happens
LIG_LINKS+=("$HA" "$HB")
P=$AGENT_P
LI=$P/linux/interfaces/v2/interface
BD=$P/vpp/l2/v2/bridge-domain/bd1
RT=$P/linux/l3/v2/route/10.71.9.0/24/vetha
ARP=$P/linux/l3/v2/arp/vetha/10.71.0.3
MACB=02:71:00:00:00:0b

# Arbitrary order: the bridge domain, the route and the ARP entry before their interfaces, the
# namespace ends before their namespaces exist.
put $BD '{"name":"bd1","flood":true,"unknownUnicastFlood":true,"forward":true,"learn":true,"interfaces":[{"name":"afpa"},{"name":"afpb"}]}'
put $RT '{"outgoingInterface":"vetha","scope":"GLOBAL","dstNetwork":"10.71.9.0/24","gwAddr":"10.71.0.3"}'
put $ARP '{"interface":"vetha","ipAddress":"10.71.0.3","hwAddress":"'$MACB'"}'
put $LI/vetha '{"name":"vetha","type":"VETH","enabled":true,"hostIfName":"eth0","namespace":{"type":"NSID","reference":"'$NA'"},"ipAddresses":["10.71.0.2/24"],"veth":{"peerIfName":"hosta"}}'
put $LI/lob '{"name":"lob","type":"LOOPBACK","enabled":true,"namespace":{"type":"NSID","reference":"'$NB'"},"ipAddresses":["10.71.9.1/32"]}'
put $LI/vethb '{"name":"vethb","type":"VETH","enabled":true,"host_if_name":"eth0","namespace":{"type":"NSID","reference":"'$NB'"},"ip_addresses":["10.71.0.3/24"],"phys_address":"'$MACB'","mtu":1400,"veth":{"peer_if_name":"hostb"}}'
put $LI/hostb '{"name":"hostb","type":"VETH","enabled":true,"hostIfName":"'$HB'","mtu":1400,"veth":{"peerIfName":"vethb"}}'
put $P/vpp/v2/interfaces/afpb '{"name":"afpb","type":"AF_PACKET","enabled":true,"afpacket":{"linuxInterface":"hostb"}}'
put $P/vpp/v2/interfaces/afpa '{"name":"afpa","type":"AF_PACKET","enabled":true,"afpacket":{"linuxInterface":"hosta"}}'
put $LI/hosta '{"name":"hosta","type":"VETH","enabled":true,"hostIfName":"'$HA'","veth":{"peerIfName":"vetha"}}'
put $LI/bad '{"name":"bad","type":"VRF_DEVICE","vrfDev":{"routingTable":10}}'
# The kernel side of a ligd tap into namespace $NA, written before the tap itself.
TK=${LIG_PREFIX}tk
put $LI/tapl '{"name":"tapl","type":"TAP_TO_VPP","enabled":true,"hostIfName":"tap0","namespace":{"type":"NSID","reference":"'$NA'"},"ipAddresses":["10.72.0.2/24"],"tap":{"vppTapIfName":"tapv"}}'
put $P/vpp/v2/interfaces/tapv '{"name":"tapv","type":"TAP","enabled":true,"ipAddresses":["10.72.0.1/24"],"tap":{"version":2,"hostIfName":"'$TK'"}}'

w_pending() { for _ in $(seq 30); do pending_on "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; pending_on "$@"; }
lig_check "vetha PENDING on its namespace $NA" w_pending $LI/vetha "linux/namespace/$NA"
lig_check "hosta PENDING on its peer's end (in the missing namespace)" w_pending $LI/hosta "linux/veth-end/vetha/hosta"
lig_check "lob PENDING on namespace $NB" w_pending $LI/lob "linux/namespace/$NB"
lig_check "afpa PENDING on its Linux interface" w_pending $P/vpp/v2/interfaces/afpa "$LI/hosta"
lig_check "bd1 membership PENDING on afpa" w_pending vpp/bd/bd1/interface/afpa "afpa"
lig_check "route PENDING on its interface" w_pending $RT "linux/interface/state/vetha/UP"
lig_check "ARP entry PENDING on its interface" w_pending $ARP "linux/interface/state/vetha/UP"
lig_check "VRF_DEVICE INVALID (unsupported, with the reason)" sh -c "curl -sf 'http://127.0.0.1:$HPORT/scheduler/status' | grep -q 'VRF_DEVICE interfaces are not supported'"
no_link() { ! ip link show "$1" >/dev/null 2>&1; }
lig_check "no veth made while its peer's namespace is missing" no_link "$HA"

# The namespaces appear: everything follows at once.
ip netns add "$NA"
ip netns add "$NB"
for k in $LI/vetha $LI/hosta $LI/vethb $LI/hostb $LI/lob $LI/tapl $P/vpp/v2/interfaces/afpa $P/vpp/v2/interfaces/afpb $RT $ARP; do
	lig_check "$(basename "$k") CONFIGURED" wait_state "$k" CONFIGURED
done
lig_check "bd1 memberships CONFIGURED" wait_state vpp/bd/bd1/interface/afpa CONFIGURED
lig_check "address of vetha CONFIGURED" wait_state linux/interface/vetha/address/static/10.71.0.2/24 CONFIGURED

check_linux() {
	local a b r n
	a=$(ip -n "$NA" -d -j addr show eth0) || return 1
	echo "$a" | grep -q '"local":"10.71.0.2","prefixlen":24' || { echo "NA: $a"; return 1; }
	echo "$a" | grep -q '"operstate":"UP"' || { echo "NA: $a"; return 1; }
	b=$(ip -n "$NB" -d -j addr show eth0) || return 1
	echo "$b" | grep -q "\"address\":\"$MACB\"" || { echo "NB: $b"; return 1; }
	echo "$b" | grep -q "\"mtu\":${MTUB:-1400}" || { echo "NB: $b"; return 1; }
	ip -n "$NB" -j addr show lo | grep -q '"local":"10.71.9.1","prefixlen":32' || { ip -n "$NB" addr show lo; return 1; }
	ip -d -j link show "$HA" | grep -q "\"ifalias\":\"/vnf-agent/$AGENT_LABEL/hosta/vetha\"" || { ip -d link show "$HA"; return 1; }
	ip -j link show "$HB" | grep -q '"mtu":1400' || { ip link show "$HB"; return 1; }
	r=$(ip -n "$NA" route show 10.71.9.0/24)
	[[ "$r" == *"via 10.71.0.3 dev eth0 proto static"* ]] || { echo "NA route: $r"; return 1; }
	n=$(ip -n "$NA" neigh show 10.71.0.3 dev eth0)
	[[ "$n" == *"lladdr $MACB PERMANENT"* ]] || { echo "NA neigh: $n"; return 1; }
}
lig_check "Linux: addresses, MAC, MTU, alias, route and ARP entry in the namespaces" check_linux
check_ligd() {
	local ifs bds
	ifs=$(lig_ctl l1 api dump sw_interface_dump) || return 1
	echo "$ifs" | grep -q "host-$HA" && echo "$ifs" | grep -q "host-$HB" || { echo "$ifs"; return 1; }
	bds=$(lig_ctl l1 api dump bridge_domain_dump) || return 1
	echo "$bds" | grep -q "\"sw_if_index\":\"host-$HA\"" && echo "$bds" | grep -q "\"sw_if_index\":\"host-$HB\"" || { echo "$bds"; return 1; }
}
lig_check "ligd: both af_packets in bd1" check_ligd

# Default offloads stay on: af_packet carries TCP super-frames and partial checksums in
# the virtio-net header.

ping_b() { for _ in $(seq 20); do ip netns exec "$NA" ping -c 2 -i 0.2 -W 1 10.71.9.1 >/dev/null 2>&1 && return 0; sleep 0.2; done; ip netns exec "$NA" ping -c 2 -W 1 10.71.9.1; }
lig_check "ping from $NA to $NB's loopback through the Linux route and ligd's bridge" ping_b
iperf() {
	lig_iperf_server "$NB" 10.71.9.1 5271 || return 1
	ip netns exec "$NA" timeout 10 iperf3 -c 10.71.9.1 -p 5271 -t 1 -J >"$LIG_TMP/iperf.json" 2>&1
	wait "$LIG_IPERF_PID"
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); b=j["end"]["sum_received"]["bytes"]; print(b, "bytes"); sys.exit(0 if b > 100000 else 1)' "$LIG_TMP/iperf.json" || { tail -5 "$LIG_TMP/iperf.json"; return 1; }
}
lig_check "iperf3 TCP stream from $NA to $NB through ligd" iperf
ping_tap() { for _ in $(seq 20); do ip netns exec "$NA" ping -c 1 -W 1 10.72.0.1 >/dev/null 2>&1 && return 0; sleep 0.2; done; ip -n "$NA" addr show tap0; ip netns exec "$NA" ping -c 1 -W 1 10.72.0.1; }
lig_check "$NA pings ligd through the tap's kernel side (moved there as tap0)" ping_tap

# An attribute changed in place (an update, not a re-create): vethb's MTU.
put $LI/vethb '{"name":"vethb","type":"VETH","enabled":true,"host_if_name":"eth0","namespace":{"type":"NSID","reference":"'$NB'"},"ip_addresses":["10.71.0.3/24"],"phys_address":"'$MACB'","mtu":1300,"veth":{"peer_if_name":"hostb"}}'
mtu_b() { for _ in $(seq 30); do ip -n "$NB" link show eth0 | grep -q "mtu 1300" && return 0; sleep 0.1; done; ip -n "$NB" link show eth0; return 1; }
lig_check "vethb's MTU updated in place" mtu_b
lig_check "vethb CONFIGURED after the update" wait_state $LI/vethb CONFIGURED
lig_check "its address still there" sh -c "ip -n '$NB' addr show eth0 | grep -q 10.71.0.3/24"
MTUB=1300

# EXISTING: a link the agent did not make; it waits for it, then sets its state and address.
EX=${LIG_PREFIX}ex
LIG_LINKS+=("$EX")
put $LI/ex '{"name":"ex","type":"EXISTING","enabled":true,"hostIfName":"'$EX'","ipAddresses":["10.73.0.1/24"]}'
lig_check "EXISTING PENDING until its link exists" w_pending $LI/ex "linux/interface/host-name/$EX"
ip link add "$EX" type veth peer name "${EX}p"
lig_check "EXISTING CONFIGURED once it exists" wait_state $LI/ex CONFIGURED
ex_set() { ip -j addr show "$EX" | grep -q '"local":"10.73.0.1","prefixlen":24' && ip -j link show "$EX" | grep -q '"UP"' || { ip addr show "$EX"; return 1; }; }
lig_check "EXISTING link up with its address" ex_set

# A deleted route key leaves the namespace (and the traffic it carried stops).
agent_del $RT
route_gone() { for _ in $(seq 30); do [ -z "$(ip -n "$NA" route show 10.71.9.0/24)" ] && return 0; sleep 0.1; done; ip -n "$NA" route; return 1; }
lig_check "route deleted from $NA" route_gone
lig_check "no way to $NB's loopback without it" sh -c "! ip netns exec '$NA' ping -c 1 -W 1 10.71.9.1"
put $RT '{"outgoingInterface":"vetha","scope":"GLOBAL","dstNetwork":"10.71.9.0/24","gwAddr":"10.71.0.3"}'
lig_check "route back" wait_state $RT CONFIGURED

# ligd killed and restarted: the agent puts its configuration back; traffic resumes.
kill -9 "$LIG_PID_l1"; wait "$LIG_PID_l1" 2>/dev/null
lig_start l1 || exit 1
restored() { for _ in $(seq 50); do check_ligd >/dev/null 2>&1 && return 0; sleep 0.1; done; check_ligd; }
lig_check "ligd configuration restored after kill -9" restored
lig_check "Linux side untouched by the ligd restart" check_linux
lig_check "ping again after the ligd restart" ping_b
lig_check "tapl CONFIGURED again (the new tap's kernel side moved in)" wait_state $LI/tapl CONFIGURED
lig_check "ping through the tap again after the ligd restart" ping_tap

# A restarted agent finds everything in place: zero operations.
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"
lig_check "agent exited cleanly on SIGTERM" test $? -eq 0
agent_start "$SOCK" || exit 1
lig_check "vetha CONFIGURED after agent restart" wait_state $LI/vetha CONFIGURED
lig_check "route CONFIGURED after agent restart" wait_state $RT CONFIGURED
lig_check "zero operations after agent restart" agent_zero_ops
lig_check "Linux unchanged" check_linux

# A namespace that goes takes its interfaces (and the peer end, the af_packet on it and the
# membership) back to PENDING; they return with it.
ip netns del "$NB"
lig_check "vethb PENDING when $NB goes" w_pending $LI/vethb "linux/namespace/$NB"
lig_check "hostb PENDING with it (its pair went)" w_pending $LI/hostb "linux/veth-end/vethb/hostb"
lig_check "$HB gone" sh -c "for i in \$(seq 30); do ip link show '$HB' >/dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1"
ip netns add "$NB"
lig_check "vethb CONFIGURED when $NB is back" wait_state $LI/vethb CONFIGURED
lig_check "lob CONFIGURED when $NB is back" wait_state $LI/lob CONFIGURED
lig_check "afpb CONFIGURED again" wait_state $P/vpp/v2/interfaces/afpb CONFIGURED
lig_check "ping again with $NB back" ping_b

# An EXISTING value deleted: its address goes, the link stays.
agent_del $LI/ex
ex_left() { for _ in $(seq 30); do ip link show "$EX" >/dev/null 2>&1 && ! ip addr show "$EX" | grep -q 10.73.0.1 && return 0; sleep 0.1; done; ip addr show "$EX"; return 1; }
lig_check "EXISTING deleted: address removed, link left" ex_left

# The kernel side of the tap goes back where ligd made it when its Linux value goes.
agent_del $LI/tapl
tap_back() { for _ in $(seq 30); do ip -d link show "$TK" 2>/dev/null | grep -q tun && ! ip -n "$NA" link show tap0 >/dev/null 2>&1 && return 0; sleep 0.1; done; ip link show "$TK"; ip -n "$NA" link; return 1; }
lig_check "tap's kernel side back in the root namespace as $TK" tap_back

# Deleting one end deletes the pair; the other end waits for it.
agent_del $LI/hosta
gone_pair() { for _ in $(seq 30); do ! ip link show "$HA" >/dev/null 2>&1 && ! ip -n "$NA" link show eth0 >/dev/null 2>&1 && return 0; sleep 0.1; done; ip -n "$NA" link; return 1; }
lig_check "the pair is gone with hosta's key" gone_pair
lig_check "vetha PENDING on its peer" w_pending $LI/vetha "linux/veth-end/hosta/vetha"
lig_check "its route PENDING" wait_state $RT PENDING

lig_test_done

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Malformed and unusual IPv4 from a namespace host (raw AF_PACKET frames to ligd's MAC):
# bad checksum, bad IHL, bad total length, wrong version, truncated header, TTL 0,
# options and fragments. Each is counted under its own reason in show errors, none
# crashes ligd, options and fragments in transit are forwarded, and ping keeps working.
# Usage: test_ip4_malformed.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
lig_test_init "$1"

A="${LIG_PREFIX}a" B="${LIG_PREFIX}b"
lig_host a 10.83.1.2/24
lig_host b 10.83.2.2/24
ip -n "$A" route add default via 10.83.1.1
ip -n "$B" route add default via 10.83.2.1
lig_start d || exit 1
cat >"$LIG_TMP/setup.cli" <<EOF
create host-interface name $A
create host-interface name $B
set interface state host-$A up
set interface state host-$B up
set interface ip address host-$A 10.83.1.1/24
set interface ip address host-$B 10.83.2.1/24
EOF
lig_check "configure" lig_ctl d exec "$LIG_TMP/setup.cli"
lig_check "ping a -> b before" lig_ping a 10.83.2.2 2
GW_MAC=$(ip -n "$A" neigh show 10.83.1.1 | awk '{ print $5 }')
lig_log "ligd's MAC towards a: $GW_MAC"

ip netns exec "$A" python3 - "$GW_MAC" <<'PYEOF'
import socket, struct, sys
gw = bytes.fromhex(sys.argv[1].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
me = s.getsockname()[4]
def csum(b):
    if len(b) % 2: b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16: t = (t & 0xffff) + (t >> 16)
    return (~t) & 0xffff
def ip(src="10.83.1.2", dst="10.83.2.2", ttl=64, proto=17, payload=b"\0" * 16, ihl=5,
       ver=4, opts=b"", total=None, frag=0, bad=False):
    hl = 20 + len(opts)
    tl = total if total is not None else hl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", ver << 4 | ihl, 0, tl, 1, frag, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst)) + opts
    c = csum(h)
    if bad: c ^= 0x5555
    return h[:10] + struct.pack("!H", c) + h[12:] + payload
def send(p):
    s.send(gw + me + b"\x08\x00" + p)
udp = struct.pack("!HHHH", 1234, 9, 16, 0) + b"\0" * 8
for _ in range(5):
    send(ip(payload=udp, bad=True))                           # bad checksum
    send(ip(payload=udp, ihl=4))                              # IHL below 5
    send(ip(payload=udp, ihl=15))                             # IHL beyond the packet
    send(ip(payload=udp, total=1400))                         # total length beyond the frame
    send(ip(payload=udp, total=12))                           # total length below the header
    send(ip(payload=udp, ver=6))                              # version 6 in an IPv4 ethertype
    send(ip(payload=udp)[:10])                                # truncated header
    send(ip(payload=udp, ttl=0))                              # TTL 0 in transit
    send(ip(payload=udp, ihl=6, opts=b"\x01\x01\x01\x00"))    # options (NOPs): forwarded
    send(ip(payload=udp, frag=0x2000))                        # first fragment: forwarded
    send(ip(dst="10.83.1.1", payload=udp, frag=0x2000))       # fragment for ligd itself
    send(ip(src="224.1.1.1", payload=udp))                    # multicast source
PYEOF
sleep 0.3
ERR=$(lig_ctl d show errors)
echo "$ERR" | grep -E 'ip4-' | sed 's/^/    /'
expect() { lig_check "$1 counted" sh -c 'echo "$0" | grep -q "$1"' "$ERR" "$2"; }
expect "bad checksum" "IPv4 header checksum wrong"
expect "bad IHL" "header length below 20 or beyond"
expect "bad total length" "total length below header length or beyond"
expect "wrong version" "IP version is not 4"
expect "truncated header" "shorter than its header"
expect "TTL 0" "TTL expired"
expect "options" "packets with options"
expect "fragments" "IPv4 fragments"
expect "fragment for us" "fragment for us"
expect "multicast source" "multicast or broadcast source"
lig_check "ligd still running" kill -0 "$LIG_PID_d"
lig_check "ping a -> b after" lig_ping a 10.83.2.2 3
lig_test_done

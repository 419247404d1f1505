#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A hostile pod: sends TCP frames with garbage virtio-net headers through a raw
AF_PACKET socket with PACKET_VNET_HDR on the pod's end of a ligd tap (run inside the
pod's namespace). Some the pod's own kernel refuses at send (csum_start past the end,
hdr_len beyond the frame); those it lets through reach ligd as the tap's virtio-net
header, where ligd must count and drop them.

Usage: vnet_hostile.py <ifname> <dst-mac> <src-ip> <dst-ip> [rounds]
Prints "sent N refused M".
"""
import socket
import struct
import sys

SOL_PACKET = 263
PACKET_VNET_HDR = 15
NEEDS_CSUM = 1
GSO_TCPV4 = 1
GSO_TCPV6 = 4


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(dst_mac, src_mac, src_ip, dst_ip, payload, proto=6):
    if proto == 6:
        l4 = struct.pack("!HHIIBBHHH", 40000, 5201, 1, 0, 5 << 4, 0x18, 512, 0, 0)
    else:
        l4 = struct.pack("!HHHH", 40000, 5201, 8 + payload, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4) + payload, 1, 0x4000, 64,
                     proto, 0, socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + l4 + bytes(payload)


def main():
    ifname, dst, src_ip, dst_ip = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    dst_mac = bytes.fromhex(dst.replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.bind((ifname, 0))
    src_mac = s.getsockname()[4][:6]
    big = frame(dst_mac, src_mac, src_ip, dst_ip, 8000)
    udp = frame(dst_mac, src_mac, src_ip, dst_ip, 8000, proto=17)
    L = len(big)
    # (flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, frame)
    cases = [
        (NEEDS_CSUM, GSO_TCPV4, 54, 1, 34, 16, big),        # bogus gso_size (8000 segments)
        (NEEDS_CSUM, GSO_TCPV4, 54, 7, 34, 16, big),        # bogus gso_size, still tiny
        (NEEDS_CSUM, GSO_TCPV4, 54, 1448, 14, 16, big),     # checksum at the IP header
        (NEEDS_CSUM, GSO_TCPV4, 54, 1448, 34, 16, udp),     # TCP GSO of a UDP packet
        (NEEDS_CSUM, GSO_TCPV6, 54, 1448, 34, 16, big),     # TCPv6 GSO of an IPv4 packet
        (NEEDS_CSUM, 0, 0, 0, L + 100, 16, big),            # csum_start past the end
        (NEEDS_CSUM, GSO_TCPV4, L + 500, 1448, 34, 16, big),  # hdr_len beyond the frame
        (NEEDS_CSUM, 0, 0, 0, 34, 0xFFF0, big),             # csum_offset far out
    ]
    sent = refused = 0
    for _ in range(rounds):
        for flags, gt, hl, gs, cs, co, f in cases:
            vh = struct.pack("<BBHHHH", flags, gt, hl, gs, cs, co)
            try:
                s.send(vh + f)
                sent += 1
            except OSError:
                refused += 1
    print("sent %d refused %d" % (sent, refused))


if __name__ == "__main__":
    main()

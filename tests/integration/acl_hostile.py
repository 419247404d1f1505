#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile IPv4 for ligd's ACLs, sent raw (AF_PACKET) from inside a namespace host:
non-first fragments, tiny first fragments (TCP header cut), truncated TCP/UDP/ICMP
headers, TCP flag soup (every flag combination, random source ports), bad IPv4 headers,
IPv6 and non-IP frames.

Usage: acl_hostile.py <ifname> <dst-mac> <src-ip> <dst-ip> <dport> <kind> <count>
kind: frag | tiny | trunc | soup | badip | ip6 | nonip
Prints "sent N".
"""
import random
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src, dst, proto, payload, frag=0, total=None, ihl=5):
    tl = total if total is not None else 20 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl, random.randrange(65536), frag, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(sport, dport, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, random.randrange(1 << 32), 0, 5 << 4,
                       flags, 512, 0, 0)


def main():
    ifname, dmac, src, dst, dport, kind, count = sys.argv[1:8]
    dport, count = int(dport), int(count)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    smac = s.getsockname()[4]
    eth = bytes.fromhex(dmac.replace(":", "")) + smac
    sent = 0
    for i in range(count):
        t = 0x0800
        if kind == "frag":      # offset > 0: no L4 header
            p = ip4(src, dst, 6, bytes(16), frag=(1 + i % 100))
        elif kind == "tiny":    # MF, first fragment with 8 bytes of TCP
            p = ip4(src, dst, 6, tcp(40000 + i, dport, 2)[:8], frag=0x2000)
        elif kind == "trunc":   # total length ends inside the L4 header
            proto = (6, 17, 1)[i % 3]
            l4 = tcp(40000 + i, dport, 2) if proto == 6 else bytes(8)
            cut = (10, 3, 1)[i % 3]
            p = ip4(src, dst, proto, l4[:cut])
        elif kind == "soup":    # every flag combination, new source ports
            p = ip4(src, dst, 6, tcp(1024 + random.randrange(60000), dport, i % 256))
        elif kind == "badip":
            k = i % 4
            if k == 0:
                p = ip4(src, dst, 6, tcp(1, dport, 2), ihl=3)
            elif k == 1:
                p = ip4(src, dst, 6, tcp(1, dport, 2), ihl=15)
            elif k == 2:
                p = ip4(src, dst, 6, tcp(1, dport, 2), total=10)
            else:
                p = bytes([0x45, 0, 0])  # runt IPv4
        elif kind == "ip6":
            t = 0x86DD
            p = struct.pack("!IHBB", 6 << 28, 8, 17, 64) + bytes(32) + bytes(8)
        else:                   # nonip
            t = 0x88B5
            p = bytes(46)
        frame = eth + struct.pack("!H", t) + p
        if len(frame) < 60:
            frame += bytes(60 - len(frame))
        s.send(frame)
        sent += 1
    print("sent", sent)


main()

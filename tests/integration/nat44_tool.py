#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Traffic for the NAT44 integration tests, run inside the tests' network namespaces:
#   serve NAME PORT          TCP and UDP servers on PORT: each request is answered with
#                            "NAME <peer-ip>:<peer-port>" (who the server saw)
#   tcp HOST PORT N [ROUNDS] N connections, ROUNDS request/replies on each; prints one line
#                            per connection: the replies' servers (all of them, so a
#                            connection that switched backend shows it) and what the
#                            client's socket says the peer is
#   udp HOST PORT N          N datagrams from N sockets; one line per reply
#   syn HOST PORT N          N raw TCP SYNs from distinct source ports (a SYN flood)
#   udpflood HOST PORT N     N UDP datagrams from distinct source ports (raw socket)
import socket
import struct
import sys
import threading


def serve(name, port):
    def tcp():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(256)
        while True:
            c, peer = s.accept()
            threading.Thread(target=tcp_conn, args=(c, peer), daemon=True).start()

    def tcp_conn(c, peer):
        try:
            c.settimeout(10)
            while True:
                d = c.recv(100)
                if not d:
                    break
                c.sendall(("%s %s:%d\n" % (name, peer[0], peer[1])).encode())
        except OSError:
            pass
        c.close()

    def udp():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", port))
        while True:
            d, peer = s.recvfrom(2048)
            s.sendto(("%s %s:%d\n" % (name, peer[0], peer[1])).encode(), peer)

    threading.Thread(target=tcp, daemon=True).start()
    threading.Thread(target=udp, daemon=True).start()
    threading.Event().wait()


def tcp(host, port, n, rounds):
    ok = 0
    for i in range(n):
        try:
            s = socket.create_connection((host, port), timeout=3)
            servers = []
            f = s.makefile("r")
            for r in range(rounds):
                s.sendall(b"x")
                line = f.readline().strip()
                servers.append(line.split(" ")[0] if line else "?")
            peer = "%s:%d" % s.getpeername()
            s.close()
            print("conn %d %s peer %s" % (i, ",".join(servers), peer))
            ok += 1
        except OSError as e:
            print("conn %d failed %s" % (i, e))
    return ok


def udp(host, port, n):
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        try:
            s.sendto(b"x", (host, port))
            d, peer = s.recvfrom(2048)
            print("reply %s from %s:%d" % (d.decode().strip(), peer[0], peer[1]))
        except OSError as e:
            print("udp %d failed %s" % (i, e))
        s.close()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def raw_flood(host, port, n, proto):
    dst = socket.inet_aton(host)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
    # The source address: the one the kernel would use towards host.
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((host, port))
    src = socket.inet_aton(u.getsockname()[0])
    u.close()
    for i in range(n):
        sport = 1024 + (i % 64000)
        if proto == socket.IPPROTO_TCP:
            seq = i * 7919
            hdr = struct.pack("!HHIIBBHHH", sport, port, seq, 0, 5 << 4, 0x02, 1024, 0, 0)
            pseudo = src + dst + struct.pack("!BBH", 0, 6, len(hdr))
            c = csum(pseudo + hdr)
            hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
        else:
            payload = b"flood"
            hdr = struct.pack("!HHHH", sport, port, 8 + len(payload), 0) + payload
            pseudo = src + dst + struct.pack("!BBH", 0, 17, len(hdr))
            c = csum(pseudo + hdr) or 0xFFFF
            hdr = hdr[:6] + struct.pack("!H", c) + hdr[8:]
        # Distinct destinations too when the ports wrap, so every packet is a new flow.
        s.sendto(hdr, (host, 0))


def main():
    cmd = sys.argv[1]
    if cmd == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif cmd == "tcp":
        rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        ok = tcp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), rounds)
        sys.exit(0 if ok == int(sys.argv[4]) else 1)
    elif cmd == "udp":
        udp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "syn":
        raw_flood(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), socket.IPPROTO_TCP)
    elif cmd == "udpflood":
        raw_flood(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), socket.IPPROTO_UDP)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()

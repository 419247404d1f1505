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
#   junk HOST PORT           truncated headers, TCP flag soup, fragments, other protocols,
#                            ICMP errors quoting nothing or garbage (raw IP)
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
            s = socket.create_connection((host, port), timeout=5)
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
        # Every packet a new flow: source ports 1024..61023, then the next dst port.
        sport = 1024 + (i % 60000)
        dport = port + i // 60000
        if proto == socket.IPPROTO_TCP:
            seq = i * 7919
            hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 1024, 0, 0)
            pseudo = src + dst + struct.pack("!BBH", 0, 6, len(hdr))
            c = csum(pseudo + hdr)
            hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
        else:
            payload = b"flood"
            hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
            pseudo = src + dst + struct.pack("!BBH", 0, 17, len(hdr))
            c = csum(pseudo + hdr) or 0xFFFF
            hdr = hdr[:6] + struct.pack("!H", c) + hdr[8:]
        s.sendto(hdr, (host, 0))


def ip_packet(src, dst, proto, payload, frag=0, ihl=5, total=None):
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total or 20 + len(payload), 0x1234, frag,
                    64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def junk(host, port):
    """Hostile packets a NAT must count and drop (or pass) without harm."""
    dst = socket.inet_aton(host)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((host, port))
    src = socket.inet_aton(u.getsockname()[0])
    u.close()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    pkts = []

    def tcp(sport, flags, length=20, off=5):
        return struct.pack("!HHIIBBHHH", sport, port, 1, 0, off << 4, flags, 1024, 0, 0)[:length]

    for i in range(20):
        pkts.append(ip_packet(src, dst, 6, tcp(40000 + i, 0x02, 10)))        # truncated TCP
        pkts.append(ip_packet(src, dst, 17, struct.pack("!HH", 41000 + i, port)))  # UDP 4 bytes
        pkts.append(ip_packet(src, dst, 6, tcp(42000 + i, 0x02, 20, 15)))    # data offset > packet
        for k, f in enumerate((0x03, 0x06, 0x07, 0x3F, 0x00, 0x10, 0x01, 0x04, 0x29)):
            pkts.append(ip_packet(src, dst, 6, tcp(43000 + i * 16 + k, f)))   # flag soup
        pkts.append(ip_packet(src, dst, 47, bytes(20)))                       # GRE
        pkts.append(ip_packet(src, dst, 17, bytes(16), frag=0x2000))          # first fragment
        pkts.append(ip_packet(src, dst, 17, bytes(16), frag=0x0010))          # later fragment
        err = bytes([3, 3, 0, 0, 0, 0, 0, 0])
        pkts.append(ip_packet(src, dst, 1, err + bytes([0x45]) + bytes(5)))   # short ICMP error
        inner = ip_packet(dst, src, 17, struct.pack("!HHHH", port, 45000 + i, 8, 0))
        pkts.append(ip_packet(src, dst, 1, err + inner))                      # error about nothing
        bad_inner = bytes([0x4F]) + inner[1:]                                 # inner IHL 60 > packet
        pkts.append(ip_packet(src, dst, 1, bytes([11, 0, 0, 0, 0, 0, 0, 0]) + bad_inner))
        pkts.append(ip_packet(src, dst, 1, bytes([13, 0, 0, 0]) + bytes(16)))  # timestamp request
        pkts.append(ip_packet(src, dst, 1, bytes([0, 0, 0, 0, 0x12, 0x34, 0, 1])))  # echo reply
    for p in pkts:
        try:
            s.sendto(p, (host, 0))
        except OSError:
            pass
    print("sent %d hostile packets" % len(pkts))


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
    elif cmd == "junk":
        junk(sys.argv[2], int(sys.argv[3]))
    elif cmd == "udpflood":
        raw_flood(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), socket.IPPROTO_UDP)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""lig-agent end to end: a real etcd, ligd and lig-agent on loopback (bench/agent_bench.sh runs
this; docs/PERFORMANCE.md, "lig-agent", explains the figures). Each round starts all three
afresh and measures, in order:

  a  INTERFACES loopbacks (each with an IPv4 address) and as many bridge domains (each with its loopback
     as BVI), written to etcd: from the first put until the agent's last operation that made
     them CONFIGURED (ligd confirmed it);
  b  ROUTES routes spread over the loopbacks: the same;
  d  SINGLE single route puts, one at a time: each put's latency to CONFIGURED (against a
     bare etcd watcher of the same prefix, the peer: etcd's own floor);
  c  ligd kill -9, then restarted: from the restart until everything is back;
  e  the agent restarted against the full store and a fresh, empty ligd: from its start until
     ligd has everything (with a bare client's listing of the same prefix as the peer).

Times come from the clocks of the processes themselves, not from polling: the writer notes the
wall clock (CLOCK_REALTIME) before its first put, the agent's transaction history gives the wall
clock at which each transaction ended; a figure is the difference. Polling (/scheduler/stats
every POLL_S) only tells when to look; ligd's own dumps then confirm that it holds what was put
(a round whose dumps disagree is reported as invalid). The writer talks to etcd's v3 JSON
gateway over one kept-alive HTTP connection, TXN_OPS puts per etcd transaction (etcd's default
limit, --max-txn-ops 128, unless changed); request bodies are built before the clock starts.
"""
import base64
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

LABEL = "vpp1"
PREFIX = "/vnf-agent/%s/config/" % LABEL


def env_int(name, default):
    v = os.environ.get(name)
    return int(v) if v else default


# ---- processes ----

class Procs:
    """Every process this run starts, stopped by pid on the way out."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.p = {}

    def start(self, name, argv, env=None):
        log = open(os.path.join(self.tmp, name + ".log"), "ab")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                             start_new_session=True)
        log.close()
        self.p[name] = p
        with open(os.path.join(self.tmp, "pids"), "a") as f:
            f.write("%d\n" % p.pid)
        return p

    def kill(self, name, sig=signal.SIGTERM):
        p = self.p.pop(name, None)
        if not p:
            return
        try:
            p.send_signal(sig)
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        except ProcessLookupError:
            pass

    def stop_all(self):
        for name in ["lig-agent", "ligd", "etcd"]:
            self.kill(name)

    def rss_mb(self, name):
        """Resident memory of a running process, MB."""
        p = self.p.get(name)
        try:
            with open("/proc/%d/status" % p.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, AttributeError):
            pass
        return 0.0

    def cpu_s(self, name):
        """utime + stime of a running process, seconds."""
        p = self.p.get(name)
        if not p:
            return 0.0
        try:
            with open("/proc/%d/stat" % p.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return 0.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- HTTP ----

class Http:
    def __init__(self, port):
        self.port = port
        self.c = None

    def req(self, method, path, body=None, timeout=60):
        for attempt in range(2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                hdr = {"Content-Type": "application/json"} if body is not None else {}
                self.c.request(method, path, body=body, headers=hdr)
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        return 0, b""

    def json(self, path, timeout=60):
        st, data = self.req("GET", path, timeout=timeout)
        if st != 200:
            raise RuntimeError("GET %s: %d %s" % (path, st, data[:200]))
        return json.loads(data)

    def close(self):
        if self.c:
            self.c.close()
        self.c = None


def b64(s):
    return base64.b64encode(s.encode()).decode()


def txn_body(items):
    return json.dumps({"success": [{"request_put": {"key": b64(k), "value": b64(v)}}
                                   for k, v in items]}).encode()


def put_body(k, v):
    return json.dumps({"key": b64(k), "value": b64(v)}).encode()


class Watcher(threading.Thread):
    """A bare etcd watch of prefix over its own connection: the wall clock at which each key's
    event arrived (the first time)."""

    def __init__(self, port, prefix):
        super().__init__(daemon=True)
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        self.body = json.dumps({"create_request": {"key": b64(prefix),
                                                   "range_end": b64(end)}}).encode()
        self.port = port
        self.seen = {}
        self.ready = threading.Event()
        self.sock = None
        self.start()
        self.ready.wait(10)

    def run(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port)
        c.request("POST", "/v3/watch", body=self.body)
        r = c.getresponse()
        self.sock = c.sock
        self.ready.set()
        try:
            while True:
                line = r.readline()
                if not line:
                    return
                t = time.time_ns()
                for ev in json.loads(line).get("result", {}).get("events", []):
                    k = base64.b64decode(ev["kv"]["key"]).decode()
                    self.seen.setdefault(k, t)
        except (OSError, ValueError, http.client.HTTPException):
            return

    def stop(self):
        if self.sock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.join(5)
        return dict(self.seen)


# ---- the configuration ----

def if_name(i):
    return "loop%d" % i


def if_net(i):
    return "10.%d.%d" % (i >> 8 & 255, i & 255)


def interfaces(n):
    out = []
    for i in range(n):
        v = {"name": if_name(i), "type": "SOFTWARE_LOOPBACK", "enabled": True,
             "ip_addresses": ["%s.1/24" % if_net(i)]}
        out.append((PREFIX + "vpp/v2/interfaces/" + if_name(i), json.dumps(v)))
    return out


def bridge_domains(n):
    out = []
    for i in range(n):
        v = {"name": "bd%d" % i, "forward": True, "learn": True,
             "interfaces": [{"name": if_name(i), "bridged_virtual_interface": True}]}
        out.append((PREFIX + "vpp/l2/v2/bridge-domain/bd%d" % i, json.dumps(v)))
    return out


def route(r, n_ifs, first_octet):
    """Route r: a /24 (first_octet.x.y.0, then on) via .2 of interface r % n_ifs."""
    i = r % n_ifs
    a = first_octet + (r >> 16)
    dst = "%d.%d.%d.0/24" % (a, r >> 8 & 255, r & 255)
    gw = "%s.2" % if_net(i)
    key = PREFIX + "vpp/v2/route/if/%s/vrf/0/dst/%s/gw/%s" % (if_name(i), dst, gw)
    v = {"dst_network": dst, "next_hop_addr": gw, "outgoing_interface": if_name(i)}
    return key, json.dumps(v)


# ---- the agent's view ----

def metrics(agent):
    st, data = agent.req("GET", "/metrics")
    m = {}
    for line in data.decode().splitlines():
        if line.startswith("lig_agent_transaction_duration_seconds_sum"):
            m["txn_s"] = float(line.split()[-1])
        elif line.startswith("lig_agent_transaction_duration_seconds_count"):
            m["txns"] = int(float(line.split()[-1]))
        elif line.startswith("lig_agent_operations_total{") and 'op="CREATE"' in line \
                and 'result="ok"' in line:
            m["creates"] = int(float(line.split()[-1]))
    m.setdefault("creates", 0)
    return m


def last_op_end(agent, last_seq, floor_seq):
    """End (wall ns) of the newest transaction in (floor_seq, last_seq] that carried an
    operation, with that transaction's record."""
    for seq in range(last_seq, floor_seq, -1):
        st, data = agent.req("GET", "/scheduler/txn-history?seq-num=%d" % seq)
        if st != 200:
            continue
        rec = json.loads(data)
        if isinstance(rec, list):
            rec = rec[0] if rec else {}
        if any(not o.get("noop") for o in rec.get("ops", [])):
            return rec["end_ns"], rec
    return None, None


class Ligd:
    def __init__(self, ligctl, sock):
        self.ligctl = ligctl
        self.sock = sock

    def dump(self, msg, arg="{}"):
        out = subprocess.run([self.ligctl, "-s", self.sock, "api", "dump", msg, arg],
                             capture_output=True, text=True, timeout=120).stdout
        # One JSON object per details; the last one may lack its newline.
        return [json.loads(x) for x in out.replace("}{", "}\n{").splitlines() if x.strip()]

    def counts(self):
        ifs = self.dump("sw_interface_dump")
        tagged = {d["tag"] for d in ifs if d.get("tag", "").startswith("loop")}
        bds = self.dump("bridge_domain_dump")
        members = sum(1 for b in bds if len(b.get("sw_ifs", b.get("members", []))) == 1)
        rts = subprocess.run([self.ligctl, "-s", self.sock, "api", "dump", "ip_route_dump",
                              '{"source":2}'], capture_output=True, text=True,
                             timeout=300).stdout
        n_routes = rts.count('"table_id"')
        return {"ifs": len(tagged), "bds": len(bds), "bd_members": members,
                "routes": n_routes}


def wait_done(agent, ligd, want, t_limit, poll_s, snap):
    """Waits until the agent is quiet and ligd holds want (counts). snap() is taken once the
    agent looks quiet, before ligd is dumped (the dumps cost ligd CPU time); returns the
    agent's last seq, ligd's counts, the agent's value states and snap()'s result."""
    deadline = time.time() + t_limit
    prev = None
    while time.time() < deadline:
        time.sleep(poll_s)
        st = agent.json("/scheduler/stats")
        vals = st.get("values", {})
        busy = sum(vals.get(s, 0) for s in ("PENDING", "RETRYING"))
        key = (st["last_seq"], vals.get("CONFIGURED", 0))
        if busy or key != prev or not st.get("ligd_connected"):
            prev = key
            continue
        s = snap()
        c = ligd.counts()
        if all(c[k] >= v for k, v in want.items()):
            return st["last_seq"], c, vals, s
        prev = None
    raise RuntimeError("not done within %d s: %s, ligd %s" % (t_limit, vals, ligd.counts()))


def write_txns(etcd, bodies):
    t0 = time.time_ns()
    for b in bodies:
        st, data = etcd.req("POST", "/v3/kv/txn", b)
        if st != 200 or b'"succeeded":true' not in data.replace(b" ", b""):
            raise RuntimeError("etcd txn: %d %s" % (st, data[:300]))
    return t0, time.time_ns()


def chunks(items, n):
    return [items[i:i + n] for i in range(0, len(items), n)]


# ---- one round ----

def one_round(cfg, rnd, procs):
    tmp = os.path.join(cfg["tmp"], "round%d" % rnd)
    os.makedirs(tmp)
    procs.tmp = tmp
    binp = cfg["bin"]
    n_ifs, n_routes, n_single = cfg["ifs"], cfg["routes"], cfg["single"]
    res = {}

    # etcd, data on tmpfs: the store's disk is not what is measured here.
    edata = os.path.join(cfg["etcd_dir"], "etcd-%d" % rnd)
    cport, pport = free_port(), free_port()
    curl = "http://127.0.0.1:%d" % cport
    procs.start("etcd", ["etcd", "--name", "b", "--data-dir", edata,
                         "--listen-client-urls", curl, "--advertise-client-urls", curl,
                         "--listen-peer-urls", "http://127.0.0.1:%d" % pport,
                         "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % pport,
                         "--initial-cluster", "b=http://127.0.0.1:%d" % pport,
                         "--max-txn-ops", str(max(128, cfg["txn_ops"])),
                         "--log-level", "warn"])
    etcd = Http(cport)
    for _ in range(200):
        try:
            if etcd.req("GET", "/health")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.05)
    with open(os.path.join(tmp, "etcd.conf"), "w") as f:
        f.write('endpoints:\n  - "127.0.0.1:%d"\ndial-timeout: 1s\n' % cport)

    sock = os.path.join(tmp, "ligd.sock")
    ligd_argv = [os.path.join(binp, "ligd"), "-s", sock, "-l", "warn"]
    ligctl = os.path.join(binp, "ligctl")

    def ligd_start():
        p = procs.start("ligd", ligd_argv)
        for _ in range(400):
            if subprocess.run([ligctl, "-s", sock, "show", "version"],
                              capture_output=True).returncode == 0:
                return p
            time.sleep(0.01)
        raise RuntimeError("ligd did not start")

    ligd_start()
    ligd = Ligd(ligctl, sock)
    hport = free_port()
    env = dict(os.environ, MICROSERVICE_LABEL=LABEL)
    agent_argv = [os.path.join(binp, "lig-agent"), "--etcd-config",
                  os.path.join(tmp, "etcd.conf"), "--ligd-socket",
                  os.path.join(tmp, "ligd.api.sock"), "--http-port", str(hport)]
    procs.start("lig-agent", agent_argv, env=env)
    agent = Http(hport)
    for _ in range(300):
        try:
            if agent.req("GET", "/readiness")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.05)
    else:
        raise RuntimeError("lig-agent not ready")

    def cpu():
        return {n: procs.cpu_s(n) for n in ("lig-agent", "ligd", "etcd")}

    perf = {}

    def perf_start(name, names=("lig-agent", "ligd")):
        """PERF_PHASE=<a|b|c|e>: perf record (PERF_ARGS, default -g) of lig-agent and ligd
        during that phase, into PERF_DIR (default .) as perf-<process>-<phase>-r<round>."""
        if os.environ.get("PERF_PHASE") != name:
            return
        out = os.environ.get("PERF_DIR", ".")
        for n in names:
            if n not in procs.p or n in perf:
                continue  # c: ligd is recorded from its restart on
            f = os.path.join(out, "perf-%s-%s-r%d.data" % (n, name, rnd))
            argv = ["perf", "record", "-q", "-o", f, "-p", str(procs.p[n].pid)]
            argv += os.environ.get("PERF_ARGS", "-g").split()
            perf[n] = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def perf_stop():
        for n, p in list(perf.items()):
            p.send_signal(signal.SIGINT)
            p.wait()
            del perf[n]

    def snap():
        perf_stop()
        return metrics(agent), dict(cpu(), **{"rss_" + n: procs.rss_mb(n)
                                               for n in ("lig-agent", "ligd")})

    def measure(name, start, want, t_limit):
        """Runs start() (returns the wall ns the clock starts at) and waits for want."""
        st0 = agent.json("/scheduler/stats")
        m0, c0 = metrics(agent), cpu()
        perf_start(name)
        t0 = start()
        seq, counts, vals, (m1, c1) = wait_done(agent, ligd, want, t_limit, cfg["poll"], snap)
        end, _ = last_op_end(agent, seq, st0["last_seq"])
        res[name + "_e2e_ms"] = (end - t0) / 1e6
        res[name + "_agent_txn_ms"] = (m1["txn_s"] - m0["txn_s"]) * 1e3
        res[name + "_txns"] = m1["txns"] - m0["txns"]
        res[name + "_creates"] = m1["creates"] - m0["creates"]
        for n in c0:
            res["%s_cpu_%s_ms" % (name, n)] = (c1[n] - c0[n]) * 1e3
        res[name + "_ligd"] = counts
        res[name + "_states"] = vals
        for n in ("lig-agent", "ligd"):  # before the history was read through REST
            res["%s_rss_%s_mb" % (name, n)] = c1["rss_" + n]
        return t0, st0["last_seq"], seq, counts

    def writer(name, bodies):
        def start():
            t0, tw = write_txns(etcd, bodies)
            res[name + "_write_ms"] = (tw - t0) / 1e6
            return t0
        return start

    # a: interfaces and bridge domains
    items = interfaces(n_ifs) + bridge_domains(n_ifs)
    bodies = [txn_body(c) for c in chunks(items, cfg["txn_ops"])]
    _, _, _, c = measure("a", writer("a", bodies), {"ifs": n_ifs, "bd_members": n_ifs}, 300)
    ok = c["ifs"] == n_ifs and c["bds"] == n_ifs and c["bd_members"] == n_ifs

    # b: routes
    items = [route(r, n_ifs, 32) for r in range(n_routes)]
    bodies = [txn_body(c) for c in chunks(items, cfg["txn_ops"])]
    del items
    _, _, _, c = measure("b", writer("b", bodies), {"routes": n_routes}, 600)
    ok = ok and c["routes"] == n_routes

    # d: single puts, one at a time, GAP_S apart. The peer in the same run: a bare watcher of
    # the same prefix (a thread here, its own connection to etcd) notes when etcd delivered
    # each event: etcd's own floor, which no agent can beat.
    singles = [route(r, n_ifs, 64) for r in range(n_single)]
    tput, tack = {}, {}
    # d runs before c: the bench reads c's record of 100 000 operations through REST, and the
    # agent's rendering of it (millions of small blocks, freed) slowed its next few
    # transactions to ~10 ms in glibc's allocator. SETTLE_MS of quiet first (the interface
    # state published after a) lets d measure the steady state.
    time.sleep(cfg["settle"])
    peer = Watcher(cport, PREFIX)
    t_first = time.time_ns()
    for k, v in singles:
        b = put_body(k, v)
        t = time.time_ns()
        stc, data = etcd.req("POST", "/v3/kv/put", b)
        tack[k] = time.time_ns() - t
        if stc != 200:
            raise RuntimeError("etcd put: %d %s" % (stc, data[:200]))
        tput[k] = t
        time.sleep(cfg["gap"])
    wait_done(agent, ligd, {"routes": n_routes + n_single}, 120, cfg["poll"], lambda: None)
    seen = peer.stop()
    hist = agent.json("/scheduler/txn-history?since=%d" % t_first)
    lat, queue, txn, floor, slow = [], [], [], [], []
    for r in hist:
        for o in r.get("ops", []):
            k = o["key"]
            if k in tput and not o.get("noop") and o.get("new_state") == "CONFIGURED":
                # the slowest transactions, with the time their operations took
                slow.append((round((r["end_ns"] - r["start_ns"]) / 1e6, 3),
                             round(sum(x.get("duration_ns", 0) for x in r["ops"]) / 1e6, 3),
                             len(r["ops"]), r["seq"]))
                lat.append((r["end_ns"] - tput[k]) / 1e6)
                queue.append((r["start_ns"] - tput[k]) / 1e6)
                txn.append((r["end_ns"] - r["start_ns"]) / 1e6)
                if k in seen:
                    floor.append((seen[k] - tput[k]) / 1e6)
                tput.pop(k)
    res["d_slowest_txns"] = sorted(slow, reverse=True)[:3]  # (ms, ops' ms, ops, seq)
    res["d_n"] = len(lat)
    res["d_missing"] = len(tput)
    if lat:
        res["d_median_ms"] = statistics.median(lat)
        res["d_p99_ms"] = pct(lat, 99)
        res["d_max_ms"] = max(lat)
        res["d_to_txn_start_median_ms"] = statistics.median(queue)
        res["d_to_txn_start_p99_ms"] = pct(queue, 99)
        res["d_txn_median_ms"] = statistics.median(txn)
        res["d_txn_p99_ms"] = pct(txn, 99)
        res["d_etcd_ack_median_ms"] = statistics.median(v / 1e6 for v in tack.values())
        res["d_etcd_ack_p99_ms"] = pct([v / 1e6 for v in tack.values()], 99)
    if floor:
        res["d_peer_median_ms"] = statistics.median(floor)
        res["d_peer_p99_ms"] = pct(floor, 99)
    ok = ok and not tput

    # c: ligd kill -9, restart, resync
    procs.kill("ligd", signal.SIGKILL)
    for _ in range(500):
        if not agent.json("/scheduler/stats").get("ligd_connected"):
            break
        time.sleep(0.01)

    def restart():
        t0 = time.time_ns()
        ligd_start()
        res["c_ligd_up_ms"] = (time.time_ns() - t0) / 1e6
        perf_start("c", ("ligd",))
        return t0
    t0, seq0, seq, counts = measure("c", restart, {"ifs": n_ifs, "bd_members": n_ifs,
                                                   "routes": n_routes + n_single}, 600)
    for s in range(seq0 + 1, seq + 1):
        st, data = agent.req("GET", "/scheduler/txn-history?seq-num=%d" % s)
        if st == 200:
            r = json.loads(data)
            r = r[0] if isinstance(r, list) else r
            if r.get("trigger") == "resync":
                res["c_connect_ms"] = (r["start_ns"] - t0) / 1e6
                res["c_resync_txn_ms"] = (r["end_ns"] - r["start_ns"]) / 1e6
                res["c_resync_ops"] = sum(1 for o in r["ops"] if not o.get("noop"))
                break
    ok = ok and counts["routes"] == n_routes + n_single and counts["ifs"] == n_ifs and \
        counts["bd_members"] == n_ifs

    # e: the agent started against a store that holds everything and an empty ligd (a node
    # rebooted): from the agent's start until ligd has it all. No etcd write is in this
    # figure: listing, decoding and the resync are the agent's.
    procs.kill("lig-agent")
    procs.kill("ligd", signal.SIGKILL)
    # The peer: the same listing by a bare client (the reply read, not parsed): etcd's part.
    end_key = PREFIX[:-1] + chr(ord(PREFIX[-1]) + 1)
    t = time.time_ns()
    stc, data = etcd.req("POST", "/v3/kv/range", json.dumps(
        {"key": b64(PREFIX), "range_end": b64(end_key)}).encode(), timeout=300)
    res["e_peer_range_ms"] = (time.time_ns() - t) / 1e6
    res["e_range_mb"] = len(data) / 1e6
    del data
    ligd_start()
    c0 = cpu()
    t0 = time.time_ns()
    procs.start("lig-agent", agent_argv, env=env)
    perf_start("e")
    agent.close()
    for _ in range(1000):
        try:
            if agent.req("GET", "/liveness")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.01)
    seq, counts, vals, (m1, c1) = wait_done(agent, ligd, {"ifs": n_ifs, "bd_members": n_ifs,
                                                          "routes": n_routes + n_single},
                                            600, cfg["poll"], snap)
    end, _ = last_op_end(agent, seq, 0)
    res["e_e2e_ms"] = (end - t0) / 1e6
    for s in range(1, seq + 1):
        st, data = agent.req("GET", "/scheduler/txn-history?seq-num=%d" % s)
        if st == 200:
            r = json.loads(data)
            r = r[0] if isinstance(r, list) else r
            n_ops = sum(1 for o in r.get("ops", []) if not o.get("noop"))
            if r.get("trigger") == "resync" and n_ops:
                res["e_to_resync_ms"] = (r["start_ns"] - t0) / 1e6
                res["e_resync_txn_ms"] = (r["end_ns"] - r["start_ns"]) / 1e6
                res["e_resync_ops"] = n_ops
    for n in c0:
        res["e_cpu_%s_ms" % n] = (c1[n] - (0 if n == "lig-agent" else c0[n])) * 1e3
    res["e_ligd"] = counts
    for n in ("lig-agent", "ligd"):
        res["e_rss_%s_mb" % n] = c1["rss_" + n]
    ok = ok and counts["routes"] == n_routes + n_single and counts["ifs"] == n_ifs and \
        counts["bd_members"] == n_ifs
    res["valid"] = ok

    procs.stop_all()
    agent.close()
    etcd.close()
    shutil.rmtree(edata, ignore_errors=True)
    return res


def pct(v, p):
    s = sorted(v)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


ROWS = [
    ("a: %(ifs)s interfaces + %(ifs)s bridge domains, first put -> last CONFIGURED", "a_e2e_ms"),
    ("a: writer (etcd acknowledged the last put)", "a_write_ms"),
    ("a: agent transactions, sum of durations", "a_agent_txn_ms"),
    ("a: agent transactions", "a_txns"),
    ("a: CPU lig-agent / ligd / etcd", ("a_cpu_lig-agent_ms", "a_cpu_ligd_ms", "a_cpu_etcd_ms")),
    ("b: %(routes)s routes, first put -> last CONFIGURED", "b_e2e_ms"),
    ("b: writer (etcd acknowledged the last put)", "b_write_ms"),
    ("b: agent transactions, sum of durations", "b_agent_txn_ms"),
    ("b: agent transactions", "b_txns"),
    ("b: CPU lig-agent / ligd / etcd", ("b_cpu_lig-agent_ms", "b_cpu_ligd_ms", "b_cpu_etcd_ms")),
    ("b: resident memory (MB) lig-agent / ligd", ("b_rss_lig-agent_mb", "b_rss_ligd_mb")),
    ("d: single route put -> CONFIGURED, median", "d_median_ms"),
    ("d: single route put -> CONFIGURED, p99", "d_p99_ms"),
    ("d: single route put -> CONFIGURED, max", "d_max_ms"),
    ("d: put -> agent's transaction starts, median / p99",
     ("d_to_txn_start_median_ms", "d_to_txn_start_p99_ms")),
    ("d: agent's transaction, median / p99", ("d_txn_median_ms", "d_txn_p99_ms")),
    ("d: peer: put -> a bare etcd watcher has the event, median / p99",
     ("d_peer_median_ms", "d_peer_p99_ms")),
    ("d: etcd put acknowledged, median / p99", ("d_etcd_ack_median_ms", "d_etcd_ack_p99_ms")),
    ("c: ligd restart -> everything back", "c_e2e_ms"),
    ("c: ligd restart -> ligd answers", "c_ligd_up_ms"),
    ("c: ligd restart -> resync transaction starts", "c_connect_ms"),
    ("c: resync transaction", "c_resync_txn_ms"),
    ("c: CPU lig-agent / ligd / etcd", ("c_cpu_lig-agent_ms", "c_cpu_ligd_ms", "c_cpu_etcd_ms")),
    ("c: resident memory (MB) lig-agent / ligd", ("c_rss_lig-agent_mb", "c_rss_ligd_mb")),
    ("e: agent start (full store, empty ligd) -> everything in ligd", "e_e2e_ms"),
    ("e: agent start -> resync transaction starts (listing, decoding)", "e_to_resync_ms"),
    ("e: resync transaction", "e_resync_txn_ms"),
    ("e: peer: a bare client's etcd range of the whole configuration", "e_peer_range_ms"),
    ("e: CPU lig-agent / ligd / etcd", ("e_cpu_lig-agent_ms", "e_cpu_ligd_ms", "e_cpu_etcd_ms")),
    ("e: resident memory (MB) lig-agent / ligd", ("e_rss_lig-agent_mb", "e_rss_ligd_mb")),
]


def fmt(v):
    if isinstance(v, int):
        return "%d" % v
    return "%.3f" % v if v < 10 else "%.1f" % v


def summary(cfg, rounds):
    print()
    print("lig-agent end to end: %d rounds (ms unless counted; min / median / max)"
          % len(rounds))
    for title, key in ROWS:
        keys = key if isinstance(key, tuple) else (key,)
        cells = []
        for k in keys:
            v = [r[k] for r in rounds if k in r]
            if not v:
                cells.append("-")
                continue
            cells.append("%s / %s / %s" % (fmt(min(v)), fmt(statistics.median(v)), fmt(max(v))))
        print("  %-72s %s" % (title % cfg, "   ".join(cells)))
    e2e = [r["b_e2e_ms"] for r in rounds if "b_e2e_ms" in r]
    if e2e:
        print("  b: routes/s end to end (median round): %.0f"
              % (cfg["routes"] / (statistics.median(e2e) / 1e3)))
    print("Aims (issue 9): 100 k routes end to end < 2000 ms; single item median < 1 ms, "
          "p99 < 5 ms")


def main():
    binp, tmp = sys.argv[1], sys.argv[2]
    quick = len(sys.argv) > 3 and sys.argv[3] != ""
    cfg = {
        "bin": binp,
        "tmp": tmp,
        "etcd_dir": os.environ.get("ETCD_DIR") or tmp,
        "ifs": env_int("INTERFACES", 100 if quick else 1000),
        "routes": env_int("ROUTES", 10000 if quick else 100000),
        "single": env_int("SINGLE", 50 if quick else 200),
        "rounds": env_int("ROUNDS", 1 if quick else 3),
        "txn_ops": env_int("TXN_OPS", 128),
        "gap": env_int("GAP_MS", 20) / 1e3,
        "poll": env_int("POLL_MS", 100) / 1e3,
        "settle": env_int("SETTLE_MS", 1000) / 1e3,
    }
    print("agent_bench: %(rounds)d rounds of %(ifs)d interfaces + bridge domains, "
          "%(routes)d routes, %(single)d single puts; %(txn_ops)d puts per etcd txn" % cfg)
    rounds = []
    procs = Procs(tmp)
    try:
        for rnd in range(cfg["rounds"]):
            r = one_round(cfg, rnd, procs)
            rounds.append(r)
            print("round %d: %s" % (rnd + 1, json.dumps(r, sort_keys=True)), flush=True)
    finally:
        procs.stop_all()
    valid = [r for r in rounds if r.get("valid")]
    if len(valid) != len(rounds):
        print("agent_bench: %d rounds invalid (ligd's dumps disagree with what was put)"
              % (len(rounds) - len(valid)))
    summary(cfg, valid)
    return 0 if valid and len(valid) == len(rounds) else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Load on the real binary's HTTP server: 100 API clients for 60 s mixing
every verb (create, get, list, delete, VMI list and get, discovery), 20
watches, and 200 slow connections from their own source addresses
(127.0.0.2-5) sending one header byte every 3 s, while a scraper reads
/metrics every 100 ms. Passes with 0 errors (no refused, reset or timed-out
request, no unexpected status), /metrics p99 under 1 s, and a second
identical round growing the process's RSS by under 5%.

The one node is unreachable on purpose, so no lab is needed: a create is
answered (404 or 503 for a VMI no connected node has) but stores nothing,
and get and delete ask for names that are not there; every verb still goes
the whole way through the server, the router and its handler. Standard
library only; loopback only. MIGMON_LOAD_SECONDS shortens a round for a
quick try.
"""
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab"))
from monitor import UnreachableNodeMonitor  # noqa: E402

ROUND_SECONDS = float(os.environ.get("MIGMON_LOAD_SECONDS", "60"))
CLIENTS = 100
WATCHES = 20
SLOW = 200
NS = "/apis/kubevirt.io/v1/namespaces/default/"
MIGRATIONS = NS + "virtualmachineinstancemigrations"
# What each verb may answer with no node connected: a create is refused
# for its VMI (404, or 503 naming the node that is down), the names asked
# for are not there.
EXPECTED = {"create": {404, 503}, "get": {404}, "delete": {404}, "list": {200},
            "vmis": {200}, "vmi": {404, 503}, "discovery": {200}}


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


class Round:
    """One round of load; collects errors and /metrics latencies."""

    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.requests = 0
        self.metrics_latencies = []
        self.created = []

    def error(self, what):
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(what)
            else:
                self.errors[-1] = "... and more; last: " + what

    def call(self, conn, verb, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            data = res.read()
        except (OSError, http.client.HTTPException) as e:
            self.error("%s %s: %r" % (method, path, e))
            return None, None
        with self.lock:
            self.requests += 1
        if res.status not in EXPECTED[verb]:
            self.error("%s %s: %d %s" % (method, path, res.status, data[:200]))
        return res.status, data

    def client(self, seed):
        rng = random.Random(seed)
        # Ten clients an address (127.0.1.x), watches on 127.0.2.x: under the
        # per-client connection cap, as clients on other hosts would be.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                          source_address=("127.0.1.%d" % (1 + seed // 10), 0))
        while not self.stop.is_set():
            verb = rng.choice(["create", "get", "delete", "list", "vmis", "vmi", "discovery"])
            if verb == "create":
                body = json.dumps({"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstanceMigration",
                                   "metadata": {"generateName": "load-"}, "spec": {"vmiName": "vm-%d" % seed}})
                self.call(conn, verb, "POST", MIGRATIONS, body)
            elif verb == "get":
                self.call(conn, verb, "GET", MIGRATIONS + "/load-%d" % rng.randrange(1000))
            elif verb == "delete":
                self.call(conn, verb, "DELETE", MIGRATIONS + "/load-%d" % rng.randrange(1000))
            elif verb == "list":
                self.call(conn, verb, "GET", MIGRATIONS + "?limit=50")
            elif verb == "vmis":
                self.call(conn, verb, "GET", "/apis/kubevirt.io/v1/virtualmachineinstances")
            elif verb == "vmi":
                self.call(conn, verb, "GET", NS + "virtualmachineinstances/vm-%d" % seed)
            elif verb == "discovery":
                self.call(conn, verb, "GET", rng.choice(["/api", "/apis", "/apis/kubevirt.io/v1", "/version"]))
            time.sleep(rng.uniform(0.0, 0.05))
        conn.close()

    def watch(self, index):
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=15,
                                              source_address=("127.0.2.%d" % (1 + index % 4), 0)) as s:
                    s.sendall(("GET %s?watch=true&timeoutSeconds=20 HTTP/1.1\r\nHost: x\r\n\r\n"
                               % MIGRATIONS).encode())
                    head = s.recv(4096)
                    if not head.startswith(b"HTTP/1.1 200"):
                        self.error("watch %d: %r" % (index, head[:200]))
                        return
                    s.settimeout(1)
                    while not self.stop.is_set():
                        try:
                            if not s.recv(65536):
                                break  # the watch's timeout: watch again
                        except socket.timeout:
                            pass
            except OSError as e:
                self.error("watch %d: %r" % (index, e))
                return

    def slow(self):
        """SLOW connections, each sending a byte every 3 s; reopened when closed."""
        head = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 64 + b"\r\n\r\n"
        conns = [None] * SLOW
        sent = [0] * SLOW
        while not self.stop.is_set():
            for i in range(SLOW):
                try:
                    if conns[i] is None:
                        s = socket.socket()
                        s.bind(("127.0.0.%d" % (2 + i % 4), 0))
                        s.settimeout(2)
                        s.connect(("127.0.0.1", self.port))
                        conns[i], sent[i] = s, 0
                    conns[i].send(head[sent[i]:sent[i] + 1])
                    sent[i] += 1
                except OSError:
                    if conns[i] is not None:
                        conns[i].close()
                    conns[i] = None  # closed by the head deadline: a new one
            self.stop.wait(3)
        for s in conns:
            if s is not None:
                s.close()

    def scrape(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                conn.request("GET", "/metrics")
                res = conn.getresponse()
                res.read()
                if res.status != 200:
                    self.error("/metrics: %d" % res.status)
            except (OSError, http.client.HTTPException) as e:
                self.error("/metrics: %r" % e)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            with self.lock:
                self.metrics_latencies.append(time.monotonic() - start)
            self.stop.wait(0.1)
        conn.close()

    def run(self, seconds):
        threads = [threading.Thread(target=self.slow), threading.Thread(target=self.scrape)]
        threads += [threading.Thread(target=self.watch, args=(i,)) for i in range(WATCHES)]
        threads += [threading.Thread(target=self.client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join(30)

    def p99(self):
        latencies = sorted(self.metrics_latencies)
        return latencies[int(len(latencies) * 0.99)] if latencies else float("inf")


class HttpLoad(unittest.TestCase):
    def setUp(self):
        self.monitor = UnreachableNodeMonitor("  maxWatches: %d\n" % (WATCHES + 4), prefix="migmon-load-")
        # A cleanup, not tearDown: it also runs when the start below fails.
        self.addCleanup(self.monitor.stop)
        self.monitor.start()
        self.port = self.monitor.port
        self.proc = self.monitor.proc

    def read_log(self):
        return self.monitor.log_tail()

    def test_two_rounds_of_load(self):
        rss = []
        for number in (1, 2):
            load = Round(self.port)
            load.run(ROUND_SECONDS)
            self.assertIsNone(self.proc.poll(), "the monitor died; log: %s" % self.read_log())
            # The watches of this round went away; their slots are free
            # within a heartbeat of the server noticing (bounded, with slack).
            time.sleep(3)
            rss.append(rss_kib(self.proc.pid))
            print("round %d: %d requests, %d scrapes, /metrics p99 %.3f s, RSS %d KiB, %d errors"
                  % (number, load.requests, len(load.metrics_latencies), load.p99(), rss[-1], len(load.errors)),
                  file=sys.stderr)
            self.assertEqual(load.errors, [], "round %d" % number)
            self.assertGreater(load.requests, CLIENTS * ROUND_SECONDS / 2, "round %d did too little" % number)
            self.assertLess(load.p99(), 1.0, "round %d: /metrics p99" % number)
        self.assertLess(rss[1], rss[0] * 1.05, "RSS grew from %d to %d KiB in the second round" % tuple(rss))


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Reproduces migration-monitor's scale figures on this machine and prints one
markdown table with the targets, pass/fail and the ratios. Run it as
scripts/bench (see docs/benchmarks.md); --help lists the options.

What it starts, all on loopback and all ended at the end (also on Ctrl-C):
a session-mode libvirtd as user nobody serving libvirt test-driver node files
(no QEMU guest), the monitor under test (a copy of --binary), Debian's
prometheus-libvirt-exporter, and bench/bare_loop.c compiled with gcc.
"""
import argparse
import datetime
import http.client
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import httpbench as hb  # noqa: E402
from procs import Procs, cpu_seconds, free_port, measure_cpu, rss_bytes, say  # noqa: E402
from testnodes import TestDaemon, write_node_xml  # noqa: E402

EXPORTER = "/usr/bin/prometheus-libvirt-exporter"


class Scale:
    """How big and how long; --smoke shrinks every figure."""

    def __init__(self, args):
        smoke = args.smoke
        self.smoke = smoke
        self.domains = 100 if smoke else 1000          # per node, for /metrics and the sweep
        self.many_nodes = 3 if smoke else 10
        self.objects = args.objects if args.objects is not None else (200 if smoke else 10000)
        self.domains_per_api_node = 2000
        self.cpu_window = args.cpu_window or (3.0 if smoke else 30.0)
        self.metrics_samples = 30 if smoke else 300
        self.metrics_seconds = 3 if smoke else 30
        self.exporter_samples = 5 if smoke else 40
        self.exporter_seconds = 5 if smoke else 60
        self.list_samples = 3 if smoke else 10
        # The monitor's defaults (config/config.h) in a full run; shorter in a
        # smoke run so that a settle takes a second. The bare loop gets the same.
        self.poll_ms = 250 if smoke else 500
        self.discovery_ms = 1000 if smoke else 5000

    def checkpoints(self):
        n = self.objects
        return [n] if n <= 1000 else [1000, n]


def fmt_ms(seconds):
    ms = seconds * 1e3
    return "%.2f ms" % ms if ms < 10 else "%.1f ms" % ms if ms < 100 else "%.0f ms" % ms


def fmt_mib(b):
    return "%.1f MiB" % (b / 2**20)


def git(*args, cwd=REPO):
    try:
        return subprocess.run(["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def tree_commit(path):
    """'<sha> (<subject>)[, uncommitted changes]' of the git tree holding path, or ''."""
    folder = os.path.dirname(os.path.abspath(path))
    top = git("rev-parse", "--show-toplevel", cwd=folder)
    if not top:
        return ""
    sha = git("rev-parse", "--short=12", "HEAD", cwd=top)
    subject = git("log", "-1", "--format=%s", cwd=top)
    dirty = git("status", "--porcelain", "-uno", cwd=top)
    committed = git("log", "-1", "--format=%ct", cwd=top)
    built = os.stat(path).st_mtime
    when = "binary of %s" % datetime.datetime.fromtimestamp(built, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if committed and built < int(committed):
        when += ", older than that commit: it may not include it"
    return "the tree %s at %s (%s)%s; %s" % (top, sha, subject, ", with uncommitted changes" if dirty else "", when)


class Bench:
    def __init__(self, args):
        self.args = args
        self.scale = Scale(args)
        self.procs = Procs()
        self.work = tempfile.mkdtemp(prefix="migmon-bench-", dir="/tmp")
        os.chmod(self.work, 0o755)  # the test-driver libvirtd runs as nobody and reads the node files here
        self.rows = []      # (section, figure, scale, measured, target, result)
        self.sweep_monitor = {}  # scale -> the monitor's idle sweep, CPU-s/min
        self.sweep_bare = {}     # scale -> the bare loop's
        self.notes = []
        self.missing = []   # figures that could not be measured, with why
        self.monitor_bin = None
        self.bare_bin = None
        self.daemon = None
        self.xml_count = 0

    # ---- table ----------------------------------------------------------
    def row(self, section, figure, scale, measured, target="", ok=None):
        if ok is None or not target:
            result = ""
        elif self.scale.smoke:
            result = "(smoke: not enforced)"
        else:
            result = "pass" if ok else "**FAIL**"
        self.rows.append((section, figure, scale, measured, target, result))
        say("%s | %s | %s | %s %s" % (section, figure, scale, measured, ("(target " + target + ": " + result + ")") if result else ""))

    def lost(self, section, figure, scale, why):
        self.missing.append("%s, %s at %s: %s" % (section, figure, scale, why))
        self.rows.append((section, figure, scale, "not measured (see below)", "", ""))
        say("NOT MEASURED: %s %s at %s: %s" % (section, figure, scale, why))

    def attempt(self, section, figure, scale, fn):
        """Runs fn(); a failure is reported as a missing figure, not a crash of the run."""
        try:
            return fn()
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as e:  # noqa: BLE001
            self.lost(section, figure, scale, "%s: %s" % (type(e).__name__, str(e).strip()[:600]))
            return None

    # ---- set-up ---------------------------------------------------------
    def prepare(self):
        self.bench_sha = git("rev-parse", "--short=12", "HEAD")
        self.bench_dirty = git("status", "--porcelain", "-uno")
        src = self.args.binary
        if not os.access(src, os.X_OK):
            raise SystemExit("bench: no executable binary at %s (build it, or pass --binary PATH)" % src)
        os.makedirs("/tmp/bench-bin", exist_ok=True)
        self.bin_dir = tempfile.mkdtemp(prefix="run-", dir="/tmp/bench-bin")
        self.monitor_bin = os.path.join(self.bin_dir, "migration-monitor")
        shutil.copy2(src, self.monitor_bin)  # the original may be rebuilt under us
        self.binary_version = subprocess.run([self.monitor_bin, "--version"], stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True).stdout.strip()
        self.binary_tree = tree_commit(src)
        say("monitor: %s copied to %s (%s; built from %s)" % (src, self.monitor_bin, self.binary_version,
                                                             self.binary_tree or "an unknown tree"))
        self.bare_bin = os.path.join(self.bin_dir, "bare_loop")
        cflags = subprocess.run(["pkg-config", "--cflags", "--libs", "libvirt"], stdout=subprocess.PIPE,
                                text=True, check=True).stdout.split()
        subprocess.run(["gcc", "-O2", "-Wall", "-o", self.bare_bin, os.path.join(HERE, "bare_loop.c"), *cflags,
                        "-lpthread"], check=True)
        self.direct = False if self.args.via_daemon else self.probe_direct()
        if self.args.via_daemon:
            self.notes.append("Nodes: --via-daemon: every node file is served by one session-mode libvirtd (user "
                              "nobody) at test+unix:///<file>?socket=..., used by the monitor and the bare loop (each "
                              "call a round trip, as to a real libvirtd); the exporter reads test:///<file> in process "
                              "(and, in one row, the daemon URI).")

    def ensure_daemon(self):
        if self.daemon is None:
            self.daemon = TestDaemon(self.procs, os.path.join(self.work, "daemon")).start()
        return self.daemon

    def probe_direct(self):
        """Whether the monitor serves a node at test:///<file> (the test driver
        in its own process); if not, why, and the nodes go through a daemon."""
        path = os.path.join(self.work, "probe.xml")
        write_node_xml(path, 0, 3)
        folder = os.path.join(self.work, "probe")
        os.makedirs(folder)
        port = free_port()
        config = os.path.join(folder, "config.yaml")
        with open(config, "w") as f:
            f.write("listen: 127.0.0.1:%d\ndataDir: %s/data\nnodes:\n  - name: node-1\n    uri: test://%s\n"
                    % (port, folder, path))
        log = os.path.join(folder, "monitor.log")
        proc = self.procs.start("monitor", [self.monitor_bin, "serve", "--config", config], log)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                self.procs.alive(proc, "the monitor", log)
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=2) as r:
                        if r.status == 200:
                            say("the monitor connects to test:///<file> nodes: using them directly")
                            self.notes.append("Nodes: test:///<abs path> URIs (libvirt's test driver in each "
                                              "process: the monitor, the bare loop and the exporter).")
                            return True
                except OSError:
                    pass
                time.sleep(0.2)
        finally:
            self.procs.stop(proc)
        why = ""
        with open(log, errors="replace") as f:
            for line in f:
                if '"cannot connect to node"' in line:
                    why = json.loads(line).get("fields", {}).get("error", "")
                    break
        say("the monitor does not connect to test:///<file> (%s): serving the node files through a "
            "session libvirtd" % (why or "not ready in 10 s"))
        self.notes.append("Nodes: this binary cannot use a test:///<file> node (its log: \"%s\"), so every node "
                          "file is served by one session-mode libvirtd (user nobody) and reached at "
                          "test+unix:///<file>?socket=...; the monitor and the bare loop use those URIs, the exporter "
                          "test:///<file> in process (and, in one row, the daemon URI)." % (why or "not ready in 10 s"))
        return False

    def uri(self, path, via_daemon=False):
        return "test://" + path if self.direct and not via_daemon else self.ensure_daemon().uri(path)

    def nodes(self, count, domains, tag, via_daemon=False):
        """`count` test-driver nodes of `domains` domains: [(name, uri, path, [domain names])]."""
        out = []
        for i in range(1, count + 1):
            self.xml_count += 1
            path = os.path.join(self.work, "%s-node-%d.xml" % (tag, i))
            names = write_node_xml(path, self.xml_count, domains)
            out.append(("node-%d" % i, self.uri(path, via_daemon), path, names))
        return out

    def start_monitor(self, tag, nodes, api):
        folder = os.path.join(self.work, tag)
        os.makedirs(folder)
        port = free_port()
        lines = ["listen: 127.0.0.1:%d" % port, "pollInterval: %dms" % self.scale.poll_ms,
                 "discoveryInterval: %dms" % self.scale.discovery_ms,
                 "dataDir: %s" % os.path.join(folder, "data"), "nodes:"]
        for name, uri, _, _ in nodes:
            lines += ["  - name: %s" % name, "    uri: %s" % uri]
        lines += ["api:", "  enabled: %s" % ("true" if api else "false")]
        config = os.path.join(folder, "config.yaml")
        with open(config, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.last_config = config
        log = os.path.join(folder, "monitor.log")
        proc = self.procs.start("monitor", [self.monitor_bin, "serve", "--config", config], log)
        deadline = time.monotonic() + 60
        while True:
            self.procs.alive(proc, "the monitor", log)
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % port, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the monitor was not ready in 60 s; log: %s" % log)
            time.sleep(0.1)
        say("monitor up (pid %d) on port %d with %d node(s)" % (proc.pid, port, len(nodes)))
        return proc, port, log

    def settle(self):
        """One discovery interval and a second: the first sweeps are over."""
        time.sleep(self.scale.discovery_ms / 1e3 + 1)

    # ---- /metrics and the sweep ------------------------------------------
    def metrics_section(self):
        sc = self.scale
        self.notes.append("Idle CPU of the API rows includes the sweep of every VMI's domain at the default "
                          "discoveryInterval (the row 'idle CPU, no object' is that sweep alone); the row 'sweep "
                          "paused' is the queue's own cost.")
        self.notes.append("/metrics: the test driver has no job or migration API, so no domain is a migration; "
                          "the monitor's page then holds per-node series only (its size is in the rows) and does "
                          "not grow with domains, while the exporter walks libvirt at each scrape and serves "
                          "per-domain series. The ratio compares those two answers to a scrape.")
        for count in (1, sc.many_nodes):
            scale = "%d node%s x %d domains" % (count, "" if count == 1 else "s", sc.domains)
            say("/metrics and the idle sweep at %s" % scale)
            nodes = self.nodes(count, sc.domains, "m%d" % count)
            self.attempt("/metrics + sweep", "monitor", scale, lambda: self.metrics_at(scale, nodes, count == 1))
            if count == 1:
                self.attempt("/metrics", "prometheus-libvirt-exporter", scale, lambda: self.exporter_at(scale, nodes[0]))
            self.attempt("idle sweep", "bare loop", scale, lambda: self.bare_at(scale, nodes))
            self.ratios(scale, count == 1)

    def idle_sweep_cpu(self, proc, what, log, scale, figure):
        """CPU-s/min `proc` spends over one window with nothing but its sweeps
        to do, recorded as the idle-sweep row `figure`."""
        say("measuring %s's idle CPU for %.0f s" % (what, self.scale.cpu_window))
        cpu, wall = measure_cpu(proc.pid, self.scale.cpu_window, lambda: self.procs.alive(proc, what, log))
        per_minute = cpu / wall * 60
        self.row("idle sweep", figure, scale, "%.3f CPU-s/min" % per_minute)
        return per_minute

    def metrics_at(self, scale, nodes, small):
        proc, port, log = self.start_monitor("metrics-%d" % len(nodes), nodes, api=False)
        try:
            self.settle()
            self.sweep_monitor[scale] = self.idle_sweep_cpu(proc, "the monitor", log, scale, "monitor CPU")
            m = {}
            for keep, label in ((False, "fresh connections"), (True, "one kept-alive connection")):
                say("GET /metrics over %s" % label)
                samples, size = hb.latencies(port, "/metrics", self.scale.metrics_samples, self.scale.metrics_seconds, keep)
                m[keep] = samples
                p50, p99 = hb.percentile(samples, 50), hb.percentile(samples, 99)
                target, ok = "", None
                if keep and small:
                    target, ok = "p99 <= 2 ms", p99 <= 0.002
                self.row("/metrics", "monitor p50 / p99, %s (%d samples, %d bytes)" % (label, len(samples), size),
                         scale, "%s / %s" % (fmt_ms(p50), fmt_ms(p99)), target, ok)
            self.monitor_metrics = getattr(self, "monitor_metrics", {})
            self.monitor_metrics[scale] = m
            self.row("RSS", "monitor (API off)", scale, fmt_mib(rss_bytes(proc.pid)))
        finally:
            self.procs.stop(proc)

    def exporter_at(self, scale, node):
        name, daemon_uri, path, names = node
        port = free_port()
        log = os.path.join(self.work, "exporter.log")
        # As asked of it: the test driver in process, on the same file the monitor reads through the daemon.
        uri = "test://" + path
        proc = self.procs.start("exporter", [EXPORTER, "--web.listen-address=127.0.0.1:%d" % port,
                                             "--libvirt.uri=%s" % uri], log)
        try:
            deadline = time.monotonic() + 30
            while True:
                self.procs.alive(proc, "prometheus-libvirt-exporter", log)
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=60) as r:
                        body = r.read().decode()
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("prometheus-libvirt-exporter did not serve /metrics in 30 s")
                time.sleep(0.2)
            exported = {line.split('domain="', 1)[1].split('"', 1)[0]
                        for line in body.splitlines() if line.startswith("libvirt_domain_") and 'domain="' in line}
            self.row("/metrics", "prometheus-libvirt-exporter: domains exported", scale,
                     "%d of %d" % (len(exported), len(names)))
            e = {}
            for keep, label in ((False, "fresh connections"), (True, "one kept-alive connection")):
                say("GET prometheus-libvirt-exporter /metrics over %s" % label)
                samples, size = hb.latencies(port, "/metrics", self.scale.exporter_samples, self.scale.exporter_seconds,
                                             keep, timeout=120)
                e[keep] = samples
                self.row("/metrics", "exporter p50 / p99, %s (%d samples, %d bytes; test:/// in process)" % (label, len(samples), size),
                         scale, "%s / %s" % (fmt_ms(hb.percentile(samples, 50)), fmt_ms(hb.percentile(samples, 99))))
            self.exporter_metrics = e
            self.row("RSS", "prometheus-libvirt-exporter", scale, fmt_mib(rss_bytes(proc.pid)))
        finally:
            self.procs.stop(proc)
        if self.direct:
            return
        # The same exporter through the daemon, as the monitor reaches the nodes: a few samples.
        port = free_port()
        proc = self.procs.start("exporter", [EXPORTER, "--web.listen-address=127.0.0.1:%d" % port,
                                             "--libvirt.uri=%s" % daemon_uri], log)
        try:
            time.sleep(1)
            self.procs.alive(proc, "prometheus-libvirt-exporter", log)
            samples, _ = hb.latencies(port, "/metrics", 5 if self.scale.smoke else 10, 30, True, timeout=120)
            self.row("/metrics", "exporter p50, kept-alive, through the test+unix daemon (%d samples)" % len(samples),
                     scale, fmt_ms(hb.percentile(samples, 50)))
        finally:
            self.procs.stop(proc)

    def bare_at(self, scale, nodes):
        log = os.path.join(self.work, "bare-%d.log" % len(nodes))
        proc = self.procs.start("bare loop", [self.bare_bin, str(self.scale.poll_ms), str(self.scale.discovery_ms),
                                              *[uri for _, uri, _, _ in nodes]], log)
        try:
            time.sleep(0.5)
            self.procs.alive(proc, "bare_loop", log)
            self.settle()
            self.sweep_bare[scale] = self.idle_sweep_cpu(proc, "bare_loop", log, scale,
                                                         "bare loop CPU (bench/bare_loop.c)")
            self.row("RSS", "bare loop (the floor: libvirt%s)" % (" and the test driver's domains" if self.direct else ""),
                     scale, fmt_mib(rss_bytes(proc.pid)))
        finally:
            self.procs.stop(proc)

    def ratios(self, scale, small):
        mon = self.sweep_monitor.get(scale)
        bare = self.sweep_bare.get(scale)
        if mon is not None and bare:
            r = mon / bare
            self.row("idle sweep", "ratio monitor / bare loop", scale, "%.2fx" % r, "<= 1.2x", r <= 1.2)
        elif mon is not None and bare == 0:
            self.row("idle sweep", "ratio monitor / bare loop", scale,
                     "n/a: the bare loop used no measurable CPU (window too short)")
        if small:
            m = getattr(self, "monitor_metrics", {}).get(scale)
            e = getattr(self, "exporter_metrics", None)
            if m and e:
                for keep, label in ((True, "kept-alive"), (False, "fresh connections")):
                    r = hb.percentile(e[keep], 50) / hb.percentile(m[keep], 50)
                    target, ok = (">= 100x", r >= 100) if keep else ("", None)
                    self.row("/metrics", "ratio exporter p50 / monitor p50, %s" % label, scale, "%.0fx" % r, target, ok)

    # ---- the API ----------------------------------------------------------
    def api_section(self):
        sc = self.scale
        n = sc.objects
        count = max(2, math.ceil(n / sc.domains_per_api_node))
        per_node = math.ceil(n / count)
        say("the API: %d nodes x %d domains, up to %d objects" % (count, per_node, n))
        # Through the daemon whatever the monitor can open: with test:/// the
        # test driver's copy of every domain would live in the monitor and be
        # counted in its RSS (see the bare loop's RSS in the /metrics rows).
        nodes = self.nodes(count, per_node, "api", via_daemon=True)
        if not any(n.startswith("API nodes") for n in self.notes):
            self.notes.append("API nodes: served by a session-mode libvirtd (user nobody) at test+unix:///<file>?"
                              "socket=..., so that the test driver's domains are not in the monitor's RSS.")
        # One migration per VMI, taking the nodes' domains in turn.
        vmis = [names[i] for i in range(per_node) for _, _, _, names in nodes][:n]
        proc, port, log = self.start_monitor("api", nodes, api=True)
        self.api_config = self.last_config
        try:
            self.wait_vmis(port, count * per_node, proc, log)
            time.sleep(2)
            self.row("API", "RSS with the VMIs listed, before any object", "%d VMIs, 0 objects" % (count * per_node),
                     fmt_mib(rss_bytes(proc.pid)))
            say("measuring the monitor's idle CPU with no object for %.0f s" % sc.cpu_window)
            cpu, wall = measure_cpu(proc.pid, sc.cpu_window, lambda: self.procs.alive(proc, "the monitor", log))
            self.row("API", "idle CPU, no object (the sweep of %d nodes through the daemon)" % count,
                     "%d VMIs, 0 objects" % (count * per_node), "%.2f%% of a core" % (cpu / wall * 100))
            creator = hb.Creator(port, iter(vmis))
            stored = 0
            for checkpoint in sc.checkpoints():
                stored = self.api_at(checkpoint, stored, creator, proc, port, log)
        finally:
            self.procs.stop(proc)

    def wait_vmis(self, port, expect, proc, log):
        say("waiting for the monitor to list all %d VMIs" % expect)
        deadline = time.monotonic() + 180
        seen = 0
        while time.monotonic() < deadline:
            self.procs.alive(proc, "the monitor", log)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                seen = len(json.loads(hb.get(conn, hb.VMIS))["items"])
            finally:
                conn.close()
            if seen >= expect:
                return
            time.sleep(1)
        raise RuntimeError("the monitor listed %d of %d VMIs after 180 s" % (seen, expect))

    def api_at(self, checkpoint, stored, creator, proc, port, log):
        scale = "%d objects" % checkpoint
        sc = self.scale
        # The probes add objects too: they run from near the checkpoint up to it.
        probe = max(1, min(200, checkpoint // 10, (checkpoint - stored) // 4))
        bulk = max(0, checkpoint - stored - 4 * probe)

        def progress(done, elapsed, base=stored, goal=checkpoint):
            say("loading: %d/%d objects stored, %.0f creates/s" % (base + done, goal, done / elapsed if elapsed else 0))

        if bulk:
            say("loading %d objects with 8 clients (toward %d)" % (bulk, checkpoint))
            _, wall, made = creator.run(8, bulk, progress=progress)
            stored += made
            say("loaded %d objects in %.1f s (%.0f/s)" % (made, wall, made / wall))

        def post_latency():
            samples, wall, made = creator.run(1, probe, max_seconds=60)
            if not made:
                raise RuntimeError("no create went through")
            self.row("API", "POST p50 / p99, one kept-alive connection (%d creates from %d stored)"
                     % (made, stored), scale, "%s / %s" % (fmt_ms(hb.percentile(samples, 50)),
                                                         fmt_ms(hb.percentile(samples, 99))),
                     "p99 <= 10 ms" if checkpoint == sc.objects else "",
                     hb.percentile(samples, 99) <= 0.010)
            return made

        def rate(clients, count):
            samples, wall, made = creator.run(clients, count, max_seconds=60)
            if not made:
                raise RuntimeError("no create went through")
            r = made / wall
            target = ">= 500/s" if clients == 8 and checkpoint == sc.objects else ""
            self.row("API", "creates/s, %d client%s (%d creates from %d stored)"
                     % (clients, "" if clients == 1 else "s", made, stored), scale, "%.0f/s" % r, target, r >= 500)
            return made

        for fn in (post_latency, lambda: rate(1, probe), lambda: rate(8, 2 * probe)):
            stored += self.attempt("API", "creates", scale, fn) or 0
        if stored < checkpoint:
            say("topping up %d objects to %d" % (checkpoint - stored, checkpoint))
            _, _, made = creator.run(8, checkpoint - stored, progress=progress)
            stored += made

        self.attempt("API", "LIST of all", scale, lambda: self.list_all(port, scale, checkpoint))
        self.attempt("API", "watch's initial list", scale, lambda: self.watch(port, scale, checkpoint))
        self.attempt("API", "kubectl get vmim -A", scale, lambda: self.kubectl(port, scale, checkpoint))
        # At rest: the daemon hands pages freed by the lists back within 2 s (daemon/allocator.h).
        time.sleep(3)
        rss = rss_bytes(proc.pid)
        limit = 60 * 2**20 + 2 * 1024 * checkpoint
        self.row("API", "RSS after loading, 3 s after the last request", scale, fmt_mib(rss),
                 "<= 60 MiB + 2 KiB/object = %s" % fmt_mib(limit), rss <= limit)
        self.row("API", "peak RSS so far (VmHWM: loading, lists, watch, kubectl)", scale,
                 fmt_mib(rss_bytes(proc.pid, "VmHWM")))
        say("measuring the monitor's idle CPU with %d objects queued for %.0f s" % (checkpoint, sc.cpu_window))
        cpu, wall = measure_cpu(proc.pid, sc.cpu_window, lambda: self.procs.alive(proc, "the monitor", log))
        pct = cpu / wall * 100
        # The sweep of every VMI's domain runs in this window: the target is the queue's
        # own cost, with no sweep due (the next row).
        self.row("API", "idle CPU, objects queued, no requests, sweeps running", scale, "%.2f%% of a core" % pct)
        self.attempt("API", "idle CPU, sweep paused", scale, lambda: self.idle_without_sweep(proc, log, scale))
        return stored

    def idle_without_sweep(self, proc, log, scale):
        """The queue's own idle cost: discoveryInterval 10m by SIGHUP (no sweep
        in the window), measured, then the interval set back."""
        config = self.api_config
        with open(config) as f:
            original = f.read()
        paused = original.replace("discoveryInterval: %dms" % self.scale.discovery_ms, "discoveryInterval: 10m")
        try:
            with open(config, "w") as f:
                f.write(paused)
            proc.send_signal(signal.SIGHUP)
            time.sleep(2 + self.scale.discovery_ms / 1e3)  # a sweep already under way ends
            self.procs.alive(proc, "the monitor", log)
            cpu, wall = measure_cpu(proc.pid, self.scale.cpu_window, lambda: self.procs.alive(proc, "the monitor", log))
            pct = cpu / wall * 100
            self.row("API", "idle CPU, objects queued, no sweep due (discoveryInterval 10m by SIGHUP)", scale,
                     "%.2f%% of a core" % pct, "< 1% of a core", pct < 1.0)
        finally:
            with open(config, "w") as f:
                f.write(original)
            proc.send_signal(signal.SIGHUP)
            time.sleep(1)

    def list_all(self, port, scale, expect):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        samples = []
        try:
            deadline = time.monotonic() + 60
            while len(samples) < self.scale.list_samples and (len(samples) < 3 or time.monotonic() < deadline):
                t0 = time.perf_counter()
                body = hb.get(conn, hb.ALL_MIGRATIONS)
                samples.append(time.perf_counter() - t0)
        finally:
            conn.close()
        items = json.loads(body)["items"]
        phases = {}
        for item in items:
            phase = item.get("status", {}).get("phase", "(none)")
            phases[phase] = phases.get(phase, 0) + 1
        p50 = hb.percentile(samples, 50)
        self.row("API", "LIST of all p50 (%d samples, %d items, %.1f MB)" % (len(samples), len(items), len(body) / 1e6),
                 scale, fmt_ms(p50), "p50 <= 150 ms" if expect == self.scale.objects else "", p50 <= 0.150)
        self.row("API", "phases of the stored objects", scale,
                 ", ".join("%s %d" % kv for kv in sorted(phases.items())))
        waiting = [c for c in items[0].get("status", {}).get("conditions", []) if c.get("status") == "False"] if items else []
        if waiting and not any(n.startswith("Why they wait") for n in self.notes):
            self.notes.append("Why they wait (first object's condition): %s=%s, reason %s: %s"
                              % (waiting[0].get("type"), waiting[0].get("status"), waiting[0].get("reason"),
                                 waiting[0].get("message")))
        if len(items) != expect:
            raise RuntimeError("LIST returned %d items, %d were created" % (len(items), expect))

    def watch(self, port, scale, expect):
        seconds, added = hb.watch_initial(port, expect, 600)
        self.row("API", "watch (no resourceVersion): all initial ADDED events", scale,
                 "%s (%d events)" % (fmt_ms(seconds), added))
        if added != expect:
            raise RuntimeError("the watch sent %d ADDED events for %d objects" % (added, expect))

    def kubectl(self, port, scale, expect):
        folder = tempfile.mkdtemp(prefix="kubectl-", dir=self.work)
        kubeconfig = os.path.join(folder, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write("apiVersion: v1\nkind: Config\nclusters:\n- name: bench\n  cluster:\n"
                    "    server: http://127.0.0.1:%d\nusers:\n- name: bench\n  user: {}\ncontexts:\n"
                    "- name: bench\n  context:\n    cluster: bench\n    user: bench\n    namespace: default\n"
                    "current-context: bench\n" % port)
        env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=folder)
        t0 = time.perf_counter()
        r = subprocess.run(["kubectl", "get", "vmim", "-A"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env, timeout=600)
        seconds = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError("kubectl exited %d: %s" % (r.returncode, r.stderr.strip()[:500]))
        lines = [line for line in r.stdout.splitlines() if line.strip()]
        rows = max(0, len(lines) - 1)  # the header
        self.row("API", "`kubectl get vmim -A`: time, rows printed", scale, "%.2f s, %d rows" % (seconds, rows),
                 "lists all %d" % expect if expect == self.scale.objects else "", rows == expect)
        if rows != expect:
            # kubectl lists in chunks of 500 (limit/continue): one request for all tells a lost continue apart.
            t0 = time.perf_counter()
            r = subprocess.run(["kubectl", "get", "vmim", "-A", "--chunk-size=0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, timeout=600)
            whole = max(0, len([x for x in r.stdout.splitlines() if x.strip()]) - 1)
            self.row("API", "`kubectl get vmim -A --chunk-size=0` (one request): time, rows", scale,
                     "%.2f s, %d rows (exit %d)" % (time.perf_counter() - t0, whole, r.returncode))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                headers = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
                conn.request("GET", hb.ALL_MIGRATIONS + "?limit=500", headers=headers)
                table_meta = json.loads(conn.getresponse().read()).get("metadata", {})
                conn.request("GET", hb.ALL_MIGRATIONS + "?limit=500")
                list_meta = json.loads(conn.getresponse().read()).get("metadata", {})
            finally:
                conn.close()
            if not any(n.startswith("kubectl printed") for n in self.notes):
                self.notes.append(
                    "kubectl printed %d of %d rows. It lists in chunks of 500 (limit=500) and follows "
                    "metadata.continue. GET ?limit=500 as a Table (kubectl's Accept) answered metadata %s; "
                    "as a plain list, metadata keys %s." % (rows, expect, json.dumps(table_meta),
                                                             sorted(list_meta)))

    # ---- output -----------------------------------------------------------
    def table(self):
        out = ["| Section | Figure | Scale | Measured | Target | Result |", "|---|---|---|---|---|---|"]
        for r in self.rows:
            out.append("| %s |" % " | ".join(str(x).replace("|", "\\|") for x in r))
        if self.missing:
            out += ["", "Not measured:"] + ["- " + m for m in self.missing]
        if self.notes:
            out += [""] + ["- " + n for n in self.notes]
        return "\n".join(out) + "\n"

    def header(self):
        def read(path, key):
            try:
                with open(path) as f:
                    for line in f:
                        if line.startswith(key):
                            return line.split(":", 1)[1].strip()
            except OSError:
                pass
            return "?"
        bench_sha, bench_dirty = self.bench_sha, self.bench_dirty
        sc = self.scale
        lines = [
            "# Benchmarks",
            "",
            "Written by `scripts/bench --out FILE` from one run on the machine below (how to run it: README.md,",
            "Tests, **Benchmarks**). Figures are from one noisy shared 2-core machine; rerun to refresh.",
            "",
            "## Run of %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "",
            "- Machine: `%s`" % subprocess.run(["uname", "-a"], stdout=subprocess.PIPE, text=True).stdout.strip(),
            "- CPUs: %d (`nproc`), %s; memory %s" % (os.cpu_count() or 0, read("/proc/cpuinfo", "model name"),
                                                   read("/proc/meminfo", "MemTotal")),
            "- Bench: commit %s%s of this repository (`scripts/bench %s`)" % (
                bench_sha or "?", " with uncommitted changes" if bench_dirty else "", " ".join(sys.argv[1:])),
            "- Binary under test: %s, `%s`, built from %s" % (self.args.binary, self.binary_version or "?",
                                                             self.binary_tree or "an unknown tree"),
            "- Scale: %d objects; /metrics at %d domains per node; pollInterval %d ms, discoveryInterval %d ms;"
            " CPU windows %.0f s%s" % (sc.objects, sc.domains, sc.poll_ms, sc.discovery_ms, sc.cpu_window,
                                      "; **smoke run: targets not enforced**" if sc.smoke else ""),
            "",
        ]
        return "\n".join(lines)

    def cleanup(self):
        self.procs.stop_all()
        if self.args.keep:
            say("kept %s" % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)
        if self.monitor_bin:
            shutil.rmtree(os.path.dirname(self.monitor_bin), ignore_errors=True)


def main():
    default_binary = os.path.join(REPO, "build", "migration-monitor")
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", default=default_binary, help="migration-monitor to measure (default %(default)s)")
    p.add_argument("--out", help="also write the table, with a header naming the machine and commits, to FILE")
    p.add_argument("--smoke", action="store_true", help="a short run (100 domains, 200 objects, seconds a figure); "
                   "no target enforced")
    p.add_argument("--objects", type=int, help="migration objects to store (default 10000; 200 with --smoke)")
    p.add_argument("--cpu-window", type=float, help="seconds of each CPU measurement (default 30; 3 with --smoke)")
    p.add_argument("--only", choices=["metrics", "api"], help="run one half only")
    p.add_argument("--via-daemon", action="store_true",
                   help="reach the node files through a session libvirtd (test+unix://) even when the monitor "
                        "opens test:/// itself: every libvirt call a round trip, as to a real node")
    p.add_argument("--keep", action="store_true", help="keep the work folder (configs, logs) for a look")
    args = p.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench: run as root (it starts a libvirtd as user nobody)")
    if args.objects is not None and args.objects < 10:
        raise SystemExit("bench: --objects must be at least 10")
    for tool in ("libvirtd", "gcc", "pkg-config", "kubectl", "setpriv", EXPORTER):
        if not shutil.which(tool):
            raise SystemExit("bench: %s is missing (scripts/deps installs it)" % tool)
    bench = Bench(args)
    started = time.monotonic()
    try:
        bench.prepare()
        if args.only in (None, "metrics"):
            bench.metrics_section()
        if args.only in (None, "api"):
            bench.attempt("API", "the API section", "%d objects" % bench.scale.objects, bench.api_section)
    except KeyboardInterrupt:
        say("interrupted: stopping what was started")
        bench.cleanup()
        return 130
    finally:
        bench.cleanup()
    table = bench.table()
    sys.stdout.write(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(bench.header() + "\n" + table)
        say("wrote %s" % args.out)
    say("done in %.0f s" % (time.monotonic() - started))
    if bench.missing:
        say("%d figure(s) could not be measured" % len(bench.missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Runs the migration-monitor binary against a lab and reads what it serves.

Used by the lab tests and scripts/demo. Standard library only.
"""
import datetime
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BINARY = os.path.join(REPO, "build", "migration-monitor")

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_metrics(text):
    """Prometheus text format -> {name: [(labels dict, value float)]}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise ValueError("unparsable metrics line: %r" % line)
        labels = dict(_LABEL.findall(m.group(3) or ""))
        out.setdefault(m.group(1), []).append((labels, float(m.group(4))))
    return out


class Metrics:
    """One scrape, with lookups by name and labels."""

    def __init__(self, text):
        self.text = text
        self.samples = parse_metrics(text)

    # The metric is positional-only: "name" is also a label of ours.
    def all(self, metric, /, **labels):
        return [(l, v) for l, v in self.samples.get(metric, [])
                if all(l.get(k) == str(want) for k, want in labels.items())]

    def get(self, metric, /, **labels):
        """The one value matching, or None when there is no such series."""
        found = self.all(metric, **labels)
        if len(found) > 1:
            raise AssertionError("%d series of %s match %r" % (len(found), metric, labels))
        return found[0][1] if found else None



class Monitor:
    """A migration-monitor process serving a config written for a lab."""

    def __init__(self, lab, nodes=None, poll_interval="250ms", discovery_interval="1s",
                 extra_config="", binary=None, workdir=None, node_config=None, ca_file=None,
                 extra_nodes=()):
        self.lab = lab
        self.binary = binary or os.environ.get("MIGMON_BINARY", DEFAULT_BINARY)
        self.port = free_port()
        self.workdir = workdir or tempfile.mkdtemp(prefix="migmon-monitor-", dir="/tmp")
        self.config_path = os.path.join(self.workdir, "config.yaml")
        self.log_path = os.path.join(self.workdir, "monitor.log")
        self.nodes = nodes or list(range(1, lab.nodes + 1))
        self.poll_interval = poll_interval
        self.discovery_interval = discovery_interval
        self.extra_config = extra_config
        self.node_config = node_config or {}  # node index -> extra YAML lines for that node
        self.ca_file = ca_file  # set when the server speaks HTTPS with a certificate from this CA
        self.extra_nodes = list(extra_nodes)  # (name, uri) of nodes outside the lab
        self.proc = None
        self.write_config()

    def config_text(self, nodes=None, poll_interval=None):
        lines = ["listen: 127.0.0.1:%d" % self.port,
                 "pollInterval: %s" % (poll_interval or self.poll_interval),
                 "discoveryInterval: %s" % self.discovery_interval,
                 "dataDir: %s" % os.path.join(self.workdir, "data"),
                 "nodes:"]
        for i in nodes or self.nodes:
            lines += ["  - name: %s" % self.lab.node_name(i),
                      "    uri: %s" % self.lab.uri(i),
                      "    migrationAddress: 127.0.0.1"]
            lines += ["    " + extra for extra in self.node_config.get(i, [])]
        for name, uri in self.extra_nodes:
            lines += ["  - name: %s" % name, "    uri: %s" % uri]
        return "\n".join(lines) + "\n" + self.extra_config

    def write_config(self, text=None):
        with open(self.config_path, "w") as f:
            f.write(text if text is not None else self.config_text())

    def start(self, wait_ready=True, args=()):
        self.write_config()
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve", "--config", self.config_path, *args],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        self.started = time.monotonic()
        if wait_ready:
            wait_for(lambda: self.http("/readyz")[0] == 200, 30, "monitor ready", self)
        return self

    def url(self, path):
        return "%s://127.0.0.1:%d%s" % ("https" if self.ca_file else "http", self.port, path)

    def http(self, path):
        """(status, body) or (None, error text) when nothing answers."""
        context = ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None
        try:
            with urllib.request.urlopen(self.url(path), timeout=5, context=context) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except (urllib.error.URLError, OSError) as e:
            return None, str(e)

    def scrape(self):
        status, body = self.http("/metrics")
        if status != 200:
            raise AssertionError("scrape failed: %s %s" % (status, body))
        return Metrics(body)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=5.0):
        """SIGTERM; returns (exit code, seconds it took)."""
        if not self.proc or self.proc.poll() is not None:
            return (self.proc.returncode if self.proc else None), 0.0
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout + 5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc, time.monotonic() - t0

    def kill(self):
        """SIGKILL: no chance to clean up, as after a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def logs(self):
        """The monitor's log lines, parsed (one JSON object a line)."""
        lines = []
        with open(self.log_path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        lines.append(json.loads(line))
                    except ValueError:
                        lines.append({"message": line, "unparsed": True})
        return lines

    def log_times(self, message):
        """Unix times of the log lines with this message."""
        out = []
        for line in self.logs():
            if line.get("message") == message and "time" in line:
                stamp = datetime.datetime.strptime(line["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
                out.append(stamp.replace(tzinfo=datetime.timezone.utc).timestamp())
        return out

    def log_tail(self, n=30):
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


def wait_for(predicate, timeout, what, monitor=None, interval=0.1):
    """Polls predicate until it returns a true value (returned) or timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except AssertionError as e:
            last_error = e
        time.sleep(interval)
    detail = "\nlast error: %s" % last_error if last_error else ""
    if monitor is not None:
        detail += "\nmonitor log tail:\n" + monitor.log_tail()
    raise AssertionError("timed out after %.1f s waiting for %s%s" % (timeout, what, detail))


# These tests watch; the enforcer's own tests set their policies.
WATCH_ONLY = "migration:\n  progressTimeout: 0\n  completionTimeoutPerGiB: 0\n"


class LabCase(unittest.TestCase):
    """A test class with one two-node lab and, unless MONITOR_CONFIG is None,
    one monitor watching it. PORT_BASE keeps labs of different files apart."""

    PORT_BASE = 49200
    NODES = 2
    TLS = False
    MONITOR_CONFIG = WATCH_ONLY

    @classmethod
    def setUpClass(cls):
        from lab import Lab
        cls.lab = Lab(nodes=cls.NODES, tls=cls.TLS,
                      port_base=int(os.environ.get("MIGMON_LAB_PORT_BASE", cls.PORT_BASE)))
        cls.lab.up()
        cls.monitor = None
        if cls.MONITOR_CONFIG is not None:
            cls.monitor = Monitor(cls.lab, extra_config=cls.MONITOR_CONFIG).start()

    @classmethod
    def tearDownClass(cls):
        if cls.monitor:
            cls.monitor.stop()
        cls.lab.down()

    def setUp(self):
        self.monitors = []  # started by this test, stopped after it

    def tearDown(self):
        for m in self.monitors:
            m.stop()
        for node in range(1, self.lab.nodes + 1):
            for name in self.lab.domains(node):
                self.lab.virsh(node, "destroy", name, check=False)

    def start_monitor(self, config, **kwargs):
        """A monitor for this test only, with `config` appended to the lab's."""
        m = Monitor(self.lab, extra_config=config, **kwargs).start()
        self.monitors.append(m)
        return m


class UnreachableNodeMonitor:
    """The binary serving the API for one node that cannot be reached.

    No lab is needed: every request goes the whole way through the server,
    the router and its handler, and a create for any VMI is refused (503:
    the node is down). For the checks of tests/checks/.
    """

    def __init__(self, api_config="", prefix="migmon-standalone-", binary=None):
        self.binary = binary or os.environ.get("MIGMON_BINARY", DEFAULT_BINARY)
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
        self.config_path = os.path.join(self.workdir, "config.yaml")
        with open(self.config_path, "w") as f:
            f.write("listen: 127.0.0.1:%d\n" % self.port)
            f.write("dataDir: %s\n" % os.path.join(self.workdir, "data"))
            f.write("nodes:\n  - name: node-1\n    uri: qemu+unix:///system?socket=%s\n"
                    % os.path.join(self.workdir, "no-such-libvirt-sock"))
            f.write("api:\n  enabled: true\n%s" % api_config)
        self.log_path = os.path.join(self.workdir, "monitor.log")
        self.proc = None

    def start(self, timeout=20.0):
        """Starts it and waits for /healthz; raises with the log's tail if it never answers."""
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.binary, "serve", "--config", self.config_path],
                                     stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.port, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the monitor did not answer /healthz within %.0f s; log: %s"
                             % (timeout, self.log_tail()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, chars=3000):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-chars:]

    def stop(self):
        """Ends the process and removes its folder (kept with KEEP_WORKDIR=1). Idempotent."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self._log.close()
        if os.environ.get("KEEP_WORKDIR"):
            print("workdir kept:", self.workdir, file=sys.stderr)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

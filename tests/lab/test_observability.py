"""The end-to-end proof of the alerts and dashboards: the lab, the monitor, a
real Prometheus scraping it every second with the shipped rules (rendered
with short thresholds and `for:`), and a real Alertmanager sending to a
webhook served here. A stalled migration in observe mode makes
MigrationStalled fire and reach the webhook; every dashboard query
evaluates, the per-migration ones return data while the migration runs, and
the KubeVirt-named recording rules return data. Then a node's libvirtd is
stopped: MigrationMonitorLibvirtDown fires.

Needs the Debian packages prometheus, prometheus-alertmanager and
python3-yaml (scripts/deps installs them)."""
import glob
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "checks"))
from dashboards_queries import dashboard_queries  # noqa: E402
from monitor import LabCase, free_port, wait_for  # noqa: E402

SRC, DST = 1, 2
VMI = "stalled"
SHORT = {"MigrationStalled": ("> 300", "> 5")}  # production threshold -> test threshold


def render_rules(out_dir):
    """The shipped rule files with every alert's `for:` at 1s and the
    thresholds in SHORT lowered; the shipped files keep production values."""
    paths = []
    for path in sorted(glob.glob(os.path.join(REPO, "alerts", "*.rules.yaml"))):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for group in doc["groups"]:
            group["interval"] = "1s"
            for rule in group["rules"]:
                if "alert" not in rule:
                    continue
                rule["for"] = "1s"
                if rule["alert"] in SHORT:
                    old, new = SHORT[rule["alert"]]
                    assert old in rule["expr"], "%s no longer has %r" % (rule["alert"], old)
                    rule["expr"] = rule["expr"].replace(old, new)
        out = os.path.join(out_dir, os.path.basename(path))
        with open(out, "w") as f:
            yaml.safe_dump(doc, f)
        paths.append(out)
    return paths


class Webhook:
    """Alertmanager's webhook receiver: remembers every alert posted."""

    def __init__(self):
        self.alerts = []
        received = self.alerts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.extend(json.loads(body).get("alerts", []))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def firing(self, name):
        return [a for a in self.alerts if a["labels"].get("alertname") == name and a.get("status") == "firing"]

    def close(self):
        self.server.shutdown()


class Daemon:
    """A Prometheus or Alertmanager process, always stopped."""

    def __init__(self, argv, log_path):
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


class ObservabilityTest(LabCase):
    PORT_BASE = 50800
    MONITOR_CONFIG = None

    def setUp(self):
        super().setUp()
        self.daemons = []
        self.tmp = tempfile.mkdtemp(prefix="migmon-observability-")
        self.hook = Webhook()

    def tearDown(self):
        for d in self.daemons:
            d.stop()
        self.hook.close()
        super().tearDown()

    def start_alertmanager(self):
        port = free_port()
        config = os.path.join(self.tmp, "alertmanager.yml")
        with open(config, "w") as f:
            yaml.safe_dump({
                "route": {"receiver": "hook", "group_by": ["alertname"], "group_wait": "1s",
                          "group_interval": "1s", "repeat_interval": "1h"},
                "receivers": [{"name": "hook", "webhook_configs": [
                    {"url": "http://127.0.0.1:%d/alerts" % self.hook.port, "send_resolved": False}]}],
            }, f)
        self.daemons.append(Daemon(["prometheus-alertmanager", "--config.file=" + config,
                                    "--storage.path=" + os.path.join(self.tmp, "am"),
                                    "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="],
                                   os.path.join(self.tmp, "alertmanager.log")))
        wait_for(lambda: self.ready("http://127.0.0.1:%d/-/ready" % port), 30, "Alertmanager ready")
        return port

    def start_prometheus(self, monitor_port, alertmanager_port, rule_files):
        port = free_port()
        config = os.path.join(self.tmp, "prometheus.yml")
        with open(config, "w") as f:
            yaml.safe_dump({
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": rule_files,
                "alerting": {"alertmanagers": [{"static_configs": [{"targets": ["127.0.0.1:%d" % alertmanager_port]}]}]},
                "scrape_configs": [{"job_name": "migration-monitor",
                                    "static_configs": [{"targets": ["127.0.0.1:%d" % monitor_port]}]}],
            }, f)
        self.daemons.append(Daemon(["prometheus", "--config.file=" + config,
                                    "--storage.tsdb.path=" + os.path.join(self.tmp, "tsdb"),
                                    "--web.listen-address=127.0.0.1:%d" % port],
                                   os.path.join(self.tmp, "prometheus.log")))
        self.prom = "http://127.0.0.1:%d" % port
        wait_for(lambda: self.ready(self.prom + "/-/ready"), 30, "Prometheus ready")
        wait_for(lambda: self.query("up{job='migration-monitor'} == 1"), 30, "Prometheus scraping the monitor")

    @staticmethod
    def ready(url):
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def query(self, expr):
        """The result vector of an instant query; raises on an error."""
        answer = get_json(self.prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        if answer.get("status") != "success":
            raise AssertionError("query failed: %s: %s" % (expr, answer))
        return answer["data"]["result"]

    def test_alerts_fire_and_dashboards_answer(self):
        rules = render_rules(self.tmp)
        am_port = self.start_alertmanager()
        mon = self.start_monitor("api:\n  enabled: true\n"
                                 "migration:\n  progressTimeout: 8\n  completionTimeoutPerGiB: 800\n"
                                 "enforcement:\n  mode: observe\n")
        self.start_prometheus(mon.port, am_port, rules)

        self.lab.start_guest(SRC, VMI, 48, "mode=dirty rate=max ws=all")
        self.lab.wait_serial(SRC, VMI, "working set filled", timeout=60)
        proc = self.lab.migrate(SRC, DST, VMI, bandwidth_mib=4, wait=False)
        wait_for(lambda: self.query('migmon_migration_info{name="%s"}' % VMI), 30, "the migration in Prometheus", mon)

        # While it runs: every dashboard query evaluates; the per-migration ones return data.
        wait_for(lambda: self.query('migmon_migration_iteration{name="%s"} >= 2' % VMI), 60, "the second pass", mon)
        checked = 0
        for path in sorted(glob.glob(os.path.join(REPO, "dashboards", "*.json"))):
            for q in dashboard_queries(path, {"node": "node-1", "namespace": "default", "vmi": VMI}):
                result = self.query(q.expr)
                checked += 1
                per_migration = "detail" in os.path.basename(path)
                # Absent by definition here: no end is predicted for a guest that dirties as
                # fast as the link sends, the pass starts have not stopped shrinking yet in
                # the second pass, and the verdict waits 2 s into it (the alert below is
                # its check).
                may_be_empty = any(m in q.expr for m in ("estimated_remaining_seconds", "predicted_total_bytes",
                                                         "working_set_floor_bytes", "will_not_converge"))
                if per_migration and not may_be_empty:
                    self.assertTrue(result, "no data: %s / %s: %s" % (q.dashboard, q.panel, q.expr))
        print("\ndashboards: %d queries evaluated while the migration ran" % checked, flush=True)
        self.assertGreater(checked, 10)
        for name in ("kubevirt_vmi_migration_data_remaining_bytes", "kubevirt_vmi_migration_data_processed_bytes",
                     "kubevirt_vmi_migration_data_bytes_total", "kubevirt_vmi_migration_memory_transfer_rate_bytes",
                     "kubevirt_vmi_migrations_in_pending_phase", "kubevirt_vmi_migrations_in_scheduling_phase",
                     "kubevirt_vmi_migrations_in_running_phase"):
            self.assertTrue(self.query(name), "recording rule %s returned nothing" % name)

        # The model's verdict comes in the second pass: MigrationWillNotConverge, before
        # the progress rule can prove the stall.
        t0 = time.monotonic()
        early = wait_for(lambda: self.hook.firing("MigrationWillNotConverge"), 60,
                         "MigrationWillNotConverge at the webhook", mon)
        print("\nalert: MigrationWillNotConverge reached the webhook %.1f s after the second pass"
              % (time.monotonic() - t0), flush=True)
        self.assertEqual(VMI, early[0]["labels"].get("name"))
        self.assertFalse(self.hook.firing("MigrationStalled"), "MigrationStalled fired before the verdict")

        # The saw tooth never gets 10% lower after the second pass: MigrationStalled.
        t0 = time.monotonic()
        alert = wait_for(lambda: self.hook.firing("MigrationStalled"), 120, "MigrationStalled at the webhook", mon)
        print("\nalert: MigrationStalled reached the webhook %.1f s after the second pass; labels %s"
              % (time.monotonic() - t0, alert[0]["labels"]), flush=True)
        self.assertEqual(VMI, alert[0]["labels"].get("name"))
        self.assertEqual("node-1", alert[0]["labels"].get("node"))
        self.assertTrue(alert[0]["annotations"].get("runbook_url"))
        self.assertIsNone(proc.poll(), "observe mode must not abort the migration")
        self.lab.virsh(SRC, "domjobabort", VMI)
        self.lab.wait_migration(proc, check=False)

        # A node's libvirtd goes away: MigrationMonitorLibvirtDown.
        self.lab.stop_node(DST, sig=signal.SIGKILL)
        try:
            down = wait_for(lambda: self.hook.firing("MigrationMonitorLibvirtDown"), 60,
                            "MigrationMonitorLibvirtDown at the webhook", mon)
            self.assertEqual("node-2", down[0]["labels"].get("node"))
        finally:
            self.lab.start_node(DST)


if __name__ == "__main__":
    unittest.main(verbosity=2)

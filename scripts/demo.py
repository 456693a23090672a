"""The demo driver behind scripts/demo: the whole job on the built-in lab.

Three libvirt nodes on this machine, four guests, and migration-monitor with
its API on. The demo then does what an operator does, through the CLI:
  1. queues two migrations leaving node-1, where one may leave at a time:
     one runs, the other waits and says why;
  2. follows them with live progress and the monitor's ETA;
  3. migrates a guest that dirties memory faster than the bandwidth cap:
     the enforcer aborts it at progressTimeout and the object says why;
  4. drains node-2: every guest leaves it within the limits;
  5. says where to look (metrics, API, a Prometheus when one is installed)
     and keeps everything up until Ctrl-C (or ends at once with --once).
Everything it started is torn down at the end, also on Ctrl-C."""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))
from lab import Lab  # noqa: E402
from monitor import Monitor, free_port  # noqa: E402

MiB = 1 << 20
GUEST_MIB = 48
BANDWIDTH_MIB = 8
PROGRESS_TIMEOUT = 15
CONFIG = """api:
  enabled: true
migration:
  parallelOutboundMigrationsPerNode: 1
  bandwidthPerMigration: %dMi
  progressTimeout: %d
""" % (BANDWIDTH_MIB, PROGRESS_TIMEOUT)


def step(text):
    print("\n== %s" % text, flush=True)


class Demo:
    def __init__(self, lab, monitor):
        self.lab = lab
        self.monitor = monitor
        self.names = {}  # VMI -> the name of its migration object (migrate prints it first)

    def migrate(self, vmi, *args):
        r = self.cli("migrate", vmi, *args)
        lines = r.stdout.split()
        if lines:
            self.names[vmi] = lines[0]
        return r

    def cli(self, *args, show=True):
        """Runs `migration-monitor ARGS --server URL` and prints it with its output."""
        argv = [self.monitor.binary, *args, "--server", self.monitor.url("")]
        if show:
            print("$ migration-monitor %s" % " ".join(args), flush=True)
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           stdin=subprocess.DEVNULL, timeout=600)
        if show and r.stdout.strip():
            print("  " + r.stdout.rstrip().replace("\n", "\n  "), flush=True)
        return r

    def migration(self, name):
        r = self.cli("get", name, "-o", "json", show=False)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def phase(self, name):
        """The object's phase, and for a Pending one why it waits."""
        obj = self.migration(name)
        if not obj:
            return None, ""
        status = obj.get("status", {})
        why = [c.get("message", "") for c in status.get("conditions", []) if c.get("type") == "Scheduled"]
        return status.get("phase", "Pending"), (why[0] if why else "")

    def progress_line(self, vmi):
        m = self.monitor.scrape()
        found = [labels for labels, _ in m.all("migmon_migration_info") if labels.get("name") == vmi]
        if not found:
            return None
        node = found[0]["node"]

        def get(metric):
            return m.get("migmon_migration_" + metric, name=vmi, node=node)
        remaining = get("data_remaining_bytes") or 0
        eta = get("estimated_remaining_seconds")
        return ("  %-6s %s -> %s  pass %d  %3.0f%%  left %5.1f MiB  sent %4.1f MiB/s  dirtied %4.1f MiB/s  ETA %s"
                % (vmi, node, found[0].get("target_node") or "?", get("iteration") or 0,
                   100 * (get("progress_ratio") or 0), remaining / MiB,
                   (get("memory_transfer_rate_bytes_per_second") or 0) / MiB,
                   (get("dirty_rate_bytes_per_second") or 0) / MiB, "%3.0fs" % eta if eta is not None else " --"))

    def follow(self, names_by_vmi, timeout=300):
        """Prints a progress line per running migration every second until all ended."""
        deadline = time.monotonic() + timeout
        ended = {}
        while len(ended) < len(names_by_vmi) and time.monotonic() < deadline:
            for vmi, name in names_by_vmi.items():
                if vmi in ended:
                    continue
                phase, why = self.phase(name)
                if phase in ("Succeeded", "Failed"):
                    ended[vmi] = phase
                    print("  %-6s %s" % (vmi, phase), flush=True)
                    continue
                line = self.progress_line(vmi)
                print(line if line else "  %-6s %s%s" % (vmi, phase, ": " + why if why else ""), flush=True)
            time.sleep(1)
        return ended


def start_prometheus(monitor, workdir):
    """A Prometheus scraping the monitor every 5 s, when one is installed."""
    binary = shutil.which("prometheus")
    if not binary:
        return None, None
    port = free_port()
    config = os.path.join(workdir, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: migration-monitor\n"
                "    static_configs:\n      - targets: ['127.0.0.1:%d']\n" % monitor.port)
    log = open(os.path.join(workdir, "prometheus.log"), "w")
    proc = subprocess.Popen([binary, "--config.file", config, "--storage.tsdb.path", os.path.join(workdir, "tsdb"),
                             "--web.listen-address", "127.0.0.1:%d" % port], stdout=log, stderr=subprocess.STDOUT)
    return proc, "http://127.0.0.1:%d" % port


def run(demo, once):
    lab, monitor = demo.lab, demo.monitor
    step("1. Two migrations queued through the CLI; one may leave node-1 at a time")
    for vmi, target in (("web-1", "node-2"), ("web-2", "node-3")):
        if demo.migrate(vmi, "--to", target).returncode != 0:
            raise SystemExit("demo: the migration of %s was refused" % vmi)
    time.sleep(2)
    demo.cli("list")

    step("2. Live progress from /metrics, with the monitor's estimate of the time left")
    ended = demo.follow({vmi: demo.names[vmi] for vmi in ("web-1", "web-2")})
    if any(p != "Succeeded" for p in ended.values()) or len(ended) < 2:
        raise SystemExit("demo: the two migrations did not both succeed: %s" % ended)

    step("3. A guest that dirties memory faster than the %d MiB/s cap: no progress, aborted after %d s"
         % (BANDWIDTH_MIB, PROGRESS_TIMEOUT))
    r = demo.migrate("db-1", "--to", "node-3", "--wait")
    obj = demo.migration(demo.names.get("db-1", ""))
    reason = (obj or {}).get("status", {}).get("migrationState", {}).get("failureReason", "")
    print("  why: %s" % (reason or "(no reason recorded)"), flush=True)
    if r.returncode == 0 or "db-1" not in lab.domains(1):
        raise SystemExit("demo: the stalling migration was not aborted with the guest kept on node-1")

    step("4. Draining node-2: every guest leaves it, within the limits")
    print("  node-2 runs: %s" % ", ".join(sorted(lab.domains(2))), flush=True)
    r = demo.cli("drain", "node-2", "--wait")
    left = lab.domains(2)
    print("  node-2 runs now: %s" % (", ".join(left) or "nothing"), flush=True)
    if r.returncode != 0 or left:
        raise SystemExit("demo: the drain did not empty node-2")

    step("5. Where to look")
    prometheus, prometheus_url = start_prometheus(monitor, monitor.workdir)
    print("  metrics:    %s  (migmon_migration_*, migmon_node_*, migmon_api_*)" % monitor.url("/metrics"))
    print("  API:        %s" % monitor.url("/apis/kubevirt.io/v1/virtualmachineinstancemigrations"))
    print("  CLI:        %s list -A --server %s" % (monitor.binary, monitor.url("")))
    print("  config/log: %s, %s" % (monitor.config_path, monitor.log_path))
    if prometheus_url:
        print("  Prometheus: %s/graph?g0.expr=migmon_migration_progress_ratio" % prometheus_url)
    else:
        print("  Prometheus: not installed (apt-get install prometheus), dashboards in dashboards/")
    sys.stdout.flush()
    try:
        if not once:
            print("\ndemo: all up; Ctrl-C to tear it down", flush=True)
            while True:
                time.sleep(3600)
    finally:
        if prometheus:
            prometheus.terminate()
            prometheus.wait(timeout=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--once", action="store_true", help="tear down after the last step instead of waiting")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    lab = Lab(nodes=3, port_base=47600, tls=True)
    monitor = None
    try:
        print("demo: starting three libvirt nodes in %s" % lab.root, flush=True)
        lab.up()
        for node, name, cmdline in ((1, "web-1", "mode=fill"), (1, "web-2", "mode=fill"),
                                    (1, "db-1", "mode=dirty ws=all"), (2, "app-1", "mode=fill")):
            lab.start_guest(node, name, GUEST_MIB, cmdline)
        for node, name, text in ((1, "web-1", "fill done"), (1, "web-2", "fill done"),
                                 (1, "db-1", "working set filled"), (2, "app-1", "fill done")):
            lab.wait_serial(node, name, text, timeout=120)
        monitor = Monitor(lab, poll_interval="500ms", discovery_interval="2s", extra_config=CONFIG,
                          workdir=tempfile.mkdtemp(prefix="migmon-demo-", dir="/tmp")).start()
        print("demo: migration-monitor serving %s; guests web-1, web-2, db-1 on node-1, app-1 on node-2"
              % monitor.url("/"), flush=True)
        run(Demo(lab, monitor), args.once)
    except KeyboardInterrupt:
        print("\ndemo: stopping", flush=True)
    finally:
        if monitor:
            monitor.stop()
        lab.down()
        print("demo: lab torn down", flush=True)


if __name__ == "__main__":
    main()

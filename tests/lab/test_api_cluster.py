"""Lab tests of the migration API on three nodes: the parallel limits
sampled from libvirt, a kill -9 of the monitor with queued and running
migrations, drain and migrate --wait from the command line, and encrypted
migrations with and without certificates."""
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api import Api, migration  # noqa: E402
from monitor import LabCase, Monitor, wait_for  # noqa: E402

NODES = ("node-1", "node-2", "node-3")


class ApiClusterTest(LabCase):
    PORT_BASE = 50000
    NODES = 3
    TLS = True
    MONITOR_CONFIG = None

    def start_monitor(self, config, **kwargs):
        return super().start_monitor("api:\n  enabled: true\n" + config, **kwargs)

    def guests(self, names_by_node, memory_mib=32):
        for node, names in names_by_node.items():
            for name in names:
                self.lab.start_guest(node, name, memory_mib, "mode=fill")
        for node, names in names_by_node.items():
            for name in names:
                self.lab.wait_serial(node, name, "fill done", timeout=120)

    def where(self, name):
        return [i for i in range(1, 4) if name in self.lab.domains(i)]

    def client(self, mon, *args):
        return subprocess.run([mon.binary, *args, "--server", mon.url("")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, timeout=300)

    # 2. Six queued at once: never more than 3 running, never more than 2 leaving a node,
    #    both limits reached, all succeed, started in queue order.
    def test_2_parallel_limits_seen_in_libvirt(self):
        mon = self.start_monitor("migration:\n  parallelMigrationsPerCluster: 3\n"
                                 "  parallelOutboundMigrationsPerNode: 2\n  bandwidthPerMigration: 4Mi\n")
        api = Api(mon)
        on1, on2 = ["a1", "a2", "a3", "a4"], ["b1", "b2"]
        self.guests({1: on1, 2: on2})
        order = ["a1", "b1", "a2", "b2", "a3", "a4"]
        for name in order:
            self.assertEqual(201, api.create("default", migration(name, "m-" + name))[0])
        samples = []
        stop = threading.Event()

        def sample():
            # From libvirt, not from the monitor: which guests have a migration job now.
            while not stop.is_set():
                active = []
                for node in range(1, 4):
                    out = self.lab.virsh(node, "list", "--name", check=False).stdout.split()
                    for name in out:
                        info = self.lab.jobinfo(node, name)
                        if str(info.get("operation")) == "5" and str(info.get("type")) in ("1", "2"):
                            active.append((node, name))
                samples.append(active)
                time.sleep(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            for name in order:
                self.assertEqual("Succeeded", api.wait_phase("default", "m-" + name, ["Succeeded", "Failed"], 240))
        finally:
            stop.set()
            sampler.join(10)
        most = max(len(s) for s in samples)
        most_from_1 = max(len([a for a in s if a[0] == 1]) for s in samples)
        print("\nlimits: %d samples from libvirt; at most %d running, at most %d leaving node-1"
              % (len(samples), most, most_from_1), flush=True)
        self.assertLessEqual(most, 3)
        self.assertEqual(3, most, "the cluster limit was never reached")
        self.assertLessEqual(max(len([a for a in s if a[0] == n]) for s in samples for n in (1, 2, 3)), 2)
        self.assertEqual(2, most_from_1, "the outbound limit was never reached")
        launches = [l["fields"]["name"] for l in mon.logs() if l.get("message") == "launching migration"]
        self.assertEqual(["m-" + n for n in order], launches)
        for name in order:
            self.assertEqual(1, len(self.where(name)), name)

    # 5. kill -9 with queued and running migrations: nothing lost, the guest runs once.
    def test_5_kill_9_with_queued_and_running(self):
        config = "migration:\n  parallelMigrationsPerCluster: 1\n  bandwidthPerMigration: 4Mi\n"
        mon = self.start_monitor(config)
        api = Api(mon)
        names = ["k1", "k2", "k3"]
        self.guests({1: names}, memory_mib=48)
        for name in names:
            self.assertEqual(201, api.create("default", migration(name, "m-" + name))[0])
        api.wait_phase("default", "m-k1", ["Running"], 60)
        time.sleep(2)
        workdir = mon.workdir
        mon.kill()
        self.monitors.remove(mon)
        again = self.start_monitor(config, workdir=workdir)
        api = Api(again)
        phases = {n: api.wait_phase("default", "m-" + n, ["Succeeded", "Failed"], 180) for n in names}
        print("\nkill -9: final phases %s; guests on nodes %s" % (phases, {n: self.where(n) for n in names}),
              flush=True)
        for name in names:
            where = self.where(name)
            self.assertEqual(1, len(where), "%s runs on %s" % (name, where))
            on_target = where[0] != 1
            self.assertEqual(on_target, phases[name] == "Succeeded", name)
        self.assertEqual("Succeeded", phases["k2"])
        self.assertEqual("Succeeded", phases["k3"])

    # 9. drain empties a node within the limits; migrate --wait prints lines and tells success.
    def test_9_drain_and_migrate_wait(self):
        mon = self.start_monitor("migration:\n  parallelOutboundMigrationsPerNode: 1\n  bandwidthPerMigration: 16Mi\n")
        self.guests({2: ["d1", "d2"], 1: ["w1"]})
        r = self.client(mon, "drain", "node-2", "--wait")
        print("\n$ migration-monitor drain node-2 --wait\n" + r.stdout, flush=True)
        self.assertEqual(0, r.returncode, r.stdout)
        self.assertEqual([], self.lab.domains(2))
        r = self.client(mon, "migrate", "w1", "--to", "node-3", "--wait")
        print("\n$ migration-monitor migrate w1 --to node-3 --wait\n" + r.stdout, flush=True)
        self.assertEqual(0, r.returncode, r.stdout)
        self.assertNotIn("\r", r.stdout)  # no terminal: plain lines
        self.assertIn("Succeeded", r.stdout)
        # The drain may have sent a guest to node-3 too: only w1's place matters here.
        self.assertIn("w1", self.lab.domains(3))
        self.assertNotIn("w1", self.lab.domains(1))

    # 10. Encrypted by default: works with certificates, fails naming TLS without.
    def test_9z_tls_with_and_without_certificates(self):
        mon = self.start_monitor("migration:\n  bandwidthPerMigration: 16Mi\n")
        api = Api(mon)
        self.guests({1: ["t1", "t2"]})
        self.assertEqual(201, api.create("default", migration("t1", "tls-ok", {"kubernetes.io/hostname": "node-2"}))[0])
        self.assertEqual("Succeeded", api.wait_phase("default", "tls-ok", ["Succeeded", "Failed"]))
        self.lab.remove_tls_certificates(3)
        wait_for(lambda: api.request("GET", "/readyz")[1].count(" up ") == 3, 20, "node-3 back", mon)
        r = self.client(mon, "migrate", "t2", "--to", "node-3", "--wait")
        print("\n$ migration-monitor migrate t2 --to node-3 --wait\n" + r.stdout, flush=True)
        self.assertNotEqual(0, r.returncode)
        self.assertIn("TLS", r.stdout)
        self.assertEqual("running", self.lab.domstate(1, "t2"))


if __name__ == "__main__":
    unittest.main(verbosity=2)

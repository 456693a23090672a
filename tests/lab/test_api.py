"""Lab tests of the migration API on two nodes with TLS certificates: the
seed's object through every phase, bandwidth, DELETE of a running
migration, error answers under load, block migration, and kubectl."""
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api import SEED, Api, migration  # noqa: E402
from monitor import LabCase, Monitor, wait_for  # noqa: E402

MiB = 1 << 20
SRC, DST = 1, 2
PHASES = ["Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady", "Running", "Succeeded", "Failed"]
TOKEN = "lab-token-4f1d2c"


def api_config(extra=""):
    return "api:\n  enabled: true\n" + extra


class ApiTest(LabCase):
    PORT_BASE = 49800
    TLS = True
    MONITOR_CONFIG = None

    def guest(self, name, memory_mib=32, cmdline="mode=fill", disk=None, node=SRC):
        self.lab.start_guest(node, name, memory_mib, cmdline, disk=disk)
        self.lab.wait_serial(node, name, "fill done" if "fill" in cmdline else "working set filled", timeout=90)

    # 1. The seed's YAML: 201, KubeVirt's phases in order, on the target, then removed.
    def test_1_seed_object_runs_through_the_phases(self):
        mon = self.start_monitor(api_config("  finishedRetention: {ttl: 3s}\n") +
                                 "migration:\n  bandwidthPerMigration: 16Mi\n")
        api = Api(mon)
        self.guest("test-vmi")
        watch = api.watch("default")
        status, obj, _ = api.create("default", SEED, content_type="application/yaml")
        self.assertEqual(201, status, obj)
        self.assertEqual("Pending", obj["status"]["phase"])
        for key in ("uid", "creationTimestamp", "resourceVersion"):
            self.assertTrue(obj["metadata"].get(key), key)
        wait_for(lambda: any(e["type"] == "DELETED" for e in watch.of("test-vmi-migration")), 90,
                 "the finished object to be removed", mon)
        watch.close()
        seen = []
        for e in watch.of("test-vmi-migration"):
            phase = e["object"].get("status", {}).get("phase")
            if phase and (not seen or seen[-1] != phase):
                seen.append(phase)
        print("\nseed: phases seen by a watcher: %s" % seen, flush=True)
        self.assertEqual(PHASES[:7], seen)  # every phase, in order, up to Succeeded
        self.assertEqual("running", self.lab.domstate(DST, "test-vmi"))
        self.assertNotIn("test-vmi", self.lab.domains(SRC))
        self.assertEqual(404, api.get("default", "test-vmi-migration")[0])

    # 3. bandwidthPerMigration 8Mi: job stats show ~8 MiB/s; maxDowntimeMs
    # 200 (below QEMU's 300): libvirt reports 200 ms allowed while it runs.
    def test_3_bandwidth_and_max_downtime_are_applied(self):
        mon = self.start_monitor(api_config() + "migration:\n  bandwidthPerMigration: 8Mi\n  maxDowntimeMs: 200\n")
        api = Api(mon)
        self.guest("bw", 64)
        status, obj, _ = api.create("default", migration("bw", "bw-1"))
        self.assertEqual(201, status, obj)
        # KubeVirt's webhook label, on the object as created.
        self.assertEqual("bw", obj["metadata"]["labels"]["kubevirt.io/vmi-name"])
        rates, downtimes = [], set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and api.phase("default", "bw-1") not in ("Succeeded", "Failed"):
            info = self.lab.jobinfo(SRC, "bw")
            if info.get("memory_bps"):
                rates.append(int(info["memory_bps"]))
                got = self.lab.virsh(SRC, "migrate-getmaxdowntime", "bw", check=False)
                if got.returncode == 0:
                    downtimes.add(got.stdout.strip())
            time.sleep(0.3)
        self.assertEqual("Succeeded", api.wait_phase("default", "bw-1", ["Succeeded", "Failed"]))
        self.assertEqual({"200"}, downtimes, "allowed downtime read from libvirt while it migrated")
        median = statistics.median(rates)
        print("\nbandwidth: median memory_bps %.2f MiB/s over %d samples" % (median / MiB, len(rates)), flush=True)
        self.assertLess(abs(median - 8 * MiB) / (8 * MiB), 0.25)

    # 4. DELETE of a running migration aborts it; watchers see the abort, then DELETED.
    def test_4_delete_aborts_a_running_migration(self):
        mon = self.start_monitor(api_config() + "migration:\n  bandwidthPerMigration: 4Mi\n  progressTimeout: 0\n")
        api = Api(mon)
        self.guest("busy", 48, "mode=dirty rate=max ws=all")
        watch = api.watch("default")
        self.assertEqual(201, api.create("default", migration("busy", "busy-1"))[0])
        api.wait_phase("default", "busy-1", ["Running"], timeout=60)
        status, obj, _ = api.delete("default", "busy-1")
        self.assertEqual(202, status, obj)
        self.assertTrue(obj["status"]["migrationState"]["abortRequested"])
        wait_for(lambda: any(e["type"] == "DELETED" for e in watch.of("busy-1")), 60, "DELETED", mon)
        watch.close()
        statuses = [e["object"]["status"].get("migrationState", {}).get("abortStatus") for e in watch.of("busy-1")]
        print("\ndelete: abortStatus seen %s" % [s for s in statuses if s], flush=True)
        self.assertIn("Aborting", statuses)
        self.assertEqual("Succeeded", [s for s in statuses if s][-1])
        self.assertEqual("DELETED", watch.of("busy-1")[-1]["type"])
        self.assertEqual("running", self.lab.domstate(SRC, "busy"))
        self.assertNotIn("busy", self.lab.domains(DST))

    # 6. Every error answer, the server still serving, watches under a cap.
    def test_6_errors_watch_cap_and_memory_reserve(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token", delete=False) as f:
            f.write(TOKEN + "\n")
        mon = self.start_monitor(api_config("  auth: {tokenFile: %s}\n  maxWatches: 20\n  maxRequestBytes: 64Ki\n"
                                            % f.name),
                                 node_config={DST: ["memoryReserve: 1Ti"]})
        api = Api(mon, token=TOKEN)
        self.guest("err-vmi")
        base = "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations"
        cases = [
            ("no token", Api(mon).request("GET", base), 401),
            ("bad token", Api(mon, token="wrong").request("GET", base), 401),
            ("unparsable", api.create("default", "{not json"), 400),
            ("wrong kind", api.create("default", dict(migration("err-vmi", "x"), kind="Pod")), 400),
            ("too large", api.create("default", "x" * (100 * 1024)), 413),
            ("no vmiName", api.create("default", {"apiVersion": "kubevirt.io/v1",
                                                   "kind": "VirtualMachineInstanceMigration",
                                                   "metadata": {"name": "x"}, "spec": {}}), 422),
            ("vmiName not a string", api.create("default", dict(migration("err-vmi", "x"), spec={"vmiName": 7})), 422),
            ("bad name", api.create("default", migration("err-vmi", "Not_A_Name")), 422),
            ("unknown VMI", api.create("default", migration("nosuch", "x")), 404),
            ("no node matches", api.create("default", migration("err-vmi", "x", {"zone": "mars"})), 422),
            ("unknown object", api.get("default", "nosuch"), 404),
            ("dryRun=bogus", api.request("POST", base + "?dryRun=bogus", migration("err-vmi", "x")), 422),
            ("name null with generateName, dry run",
             api.request("POST", base + "?dryRun=All", dict(migration("err-vmi"), metadata={"name": None,
                                                                                         "generateName": "g-"})), 201),
            ("watch timeoutSeconds=abc", api.request("GET", base + "?watch=true&timeoutSeconds=abc"), 400),
            ("list from a future resourceVersion", api.request("GET", base + "?resourceVersion=99999999"), 504),
            ("DELETE dryRun=bogus", api.request("DELETE", base + "/nosuch?dryRun=bogus"), 422),
        ]
        # memoryReserve 1Ti on the only target: accepted, then Pending with a reason.
        first = api.create("default", migration("err-vmi", "held"))
        cases.append(("first", first, 201))
        cases.append(("name taken", api.create("default", migration("err-vmi", "held")), 409))
        cases.append(("VMI has an active migration", api.create("default", migration("err-vmi", "second")), 422))
        for what, (status, body, _), want in cases:
            self.assertEqual(want, status, "%s: %s" % (what, body))
            if want >= 400:
                self.assertEqual("Status", body.get("kind"), "%s: %s" % (what, body))
                self.assertEqual(want, body.get("code"), what)
        def waiting():
            conditions = api.get("default", "held")[1].get("status", {}).get("conditions", [])
            return [c for c in conditions if c.get("reason") == "NoTargetNode"]
        reason = wait_for(waiting, 10, "a NoTargetNode condition", mon)
        print("\nreserve: %s" % reason[0]["message"], flush=True)
        self.assertIn("reserve", reason[0]["message"])
        self.assertEqual("Pending", api.phase("default", "held"))
        # Nothing malformed was stored: only "held" exists.
        self.assertEqual(["held"], [o["metadata"]["name"] for o in api.list("default")[1]["items"]])

        # 20 watchers: /metrics stays fast; the 21st watch gets 429.
        watches = [api.watch("default") for _ in range(20)]
        self.assertTrue(all(w.status == 200 for w in watches))
        extra = api.watch("default")
        self.assertEqual(429, extra.status)
        timings = []
        for _ in range(200):
            t0 = time.monotonic()
            status, _, _ = api.request("GET", "/metrics")
            timings.append(time.monotonic() - t0)
            self.assertEqual(200, status)
        timings.sort()
        p99 = timings[int(len(timings) * 0.99) - 1]
        print("\nwatchers: /metrics p99 %.1f ms with 20 watches open" % (p99 * 1000), flush=True)
        self.assertLess(p99, 0.100)
        for w in watches:
            w.close()
        self.assertEqual(200, api.request("GET", "/readyz")[0])
        self.assertEqual(200, api.delete("default", "held")[0])

    # 7. Block migration: the target's disk equals the source's.
    def test_7_block_migration_copies_the_disk(self):
        mon = self.start_monitor(api_config() + "migration:\n  bandwidthPerMigration: 32Mi\n")
        api = Api(mon)
        vol = self.lab.create_disk(SRC, "api-block.qcow2", 64, pattern=0x5A)
        self.guest("withdisk", 32, disk=vol)
        self.assertEqual(201, api.create("default", migration("withdisk", "blk-1"))[0])
        self.assertEqual("Succeeded", api.wait_phase("default", "blk-1", ["Succeeded", "Failed"], timeout=120),
                         api.get("default", "blk-1")[1])
        state = api.get("default", "blk-1")[1]["status"]["migrationState"]
        self.assertEqual("BlockMigration", state["migrationMethod"])
        src = self.lab.volume_path(SRC, vol)
        dst = self.lab.volume_path(DST, vol)
        compare = subprocess.run(["qemu-img", "compare", "-U", src, dst], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        print("\nblock: qemu-img compare: %s" % compare.stdout.strip(), flush=True)
        self.assertEqual(0, compare.returncode, compare.stdout)

    # 8. kubectl with a kubeconfig (server and token) and no other flags. kubectl
    # sends a bearer token only over HTTPS, so the API serves TLS here.
    def test_8_kubectl(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token", delete=False) as f:
            f.write(TOKEN)
        tls = self.lab.tls_dir()
        mon = self.start_monitor(api_config("  auth: {tokenFile: %s}\n  tls: {certFile: %s/server-cert.pem, keyFile: %s/server-key.pem}\n"
                                            % (f.name, tls, tls)) +
                                 "migration:\n  bandwidthPerMigration: 4Mi\n", ca_file=tls + "/ca-cert.pem")
        self.guest("test-vmi", 48)
        workdir = tempfile.mkdtemp(prefix="migmon-kubectl-")
        kubeconfig = os.path.join(workdir, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write("apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: %s\n"
                    "    certificate-authority: %s/ca-cert.pem\n"
                    "users:\n- name: lab\n  user:\n    token: %s\ncontexts:\n- name: lab\n  context:\n"
                    "    cluster: lab\n    user: lab\n    namespace: default\ncurrent-context: lab\n"
                    % (mon.url(""), tls, TOKEN))
        seed = os.path.join(workdir, "seed.yaml")
        with open(seed, "w") as f:
            f.write(SEED)
        env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=workdir)

        def kubectl(*args):
            r = subprocess.run(["kubectl", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env, timeout=120)
            print("\n$ kubectl %s\n%s" % (" ".join(args), r.stdout.strip()), flush=True)
            self.assertEqual(0, r.returncode, r.stdout)
            return r.stdout

        self.assertIn("created", kubectl("create", "-f", seed))
        listing = kubectl("get", "virtualmachineinstancemigrations")
        self.assertIn("test-vmi-migration", listing)
        self.assertIn("vmiName: test-vmi", kubectl("get", "vmim", "test-vmi-migration", "-o", "yaml"))
        # A server-side dry run (DeleteOptions in the body) removes and aborts nothing.
        self.assertIn("(server dry run)", kubectl("delete", "vmim", "test-vmi-migration", "--dry-run=server"))
        self.assertIn("test-vmi-migration", kubectl("get", "vmim", "test-vmi-migration"))
        self.assertNotIn("abortRequested", kubectl("get", "vmim", "test-vmi-migration", "-o", "yaml"))
        self.assertIn("deleted", kubectl("delete", "vmim", "test-vmi-migration"))
        gone = subprocess.run(["kubectl", "get", "vmim", "test-vmi-migration"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env, timeout=60)
        self.assertIn("NotFound", gone.stdout)

    # 9. A node that is down: a create for a VMI on it, or for one that may be
    # on it, is 503 naming the node, not 404.
    def test_9_create_while_a_node_is_down_is_503(self):
        mon = self.start_monitor(api_config())
        api = Api(mon)
        self.guest("down-vmi")
        wait_for(lambda: api.request("GET", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/down-vmi")[0]
                 == 200, 30, "the VMI to be listed", mon)
        self.lab.stop_node(SRC)
        try:
            wait_for(lambda: "node-1 down" in api.request("GET", "/readyz")[1], 30, "node-1 to be seen down", mon)
            for vmi in ("down-vmi", "nowhere-vmi"):
                status, body, _ = api.create("default", migration(vmi, "m-" + vmi))
                print("\nnode down: %s -> %d %s" % (vmi, status, body.get("message")), flush=True)
                self.assertEqual(503, status, body)
                self.assertEqual("ServiceUnavailable", body.get("reason"), body)
                self.assertIn("node-1 is not connected", body.get("message", ""))
            self.assertEqual([], api.list("default")[1]["items"])  # nothing stored
        finally:
            self.lab.start_node(SRC)


if __name__ == "__main__":
    unittest.main(verbosity=2)

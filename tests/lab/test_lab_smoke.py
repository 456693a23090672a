#!/usr/bin/env python3
"""Smoke test of the migration lab: real live migrations between two libvirt
nodes on this host, checked with virsh only.

    python3 tests/lab/test_lab_smoke.py        (as root; exit code tells)

Environment: MIGMON_LAB_PORT_BASE (default 47000), MIGMON_LAB_DIR (default:
a fresh /tmp/migmon-lab-XXXX, removed when the test passes).
"""

import os
import statistics
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lab as labmod  # noqa: E402
from lab import Lab  # noqa: E402

MIB = 1024 * 1024


def log(msg):
    sys.stderr.write("  [lab] %s\n" % msg)
    sys.stderr.flush()


def processes_naming(path):
    """(pid, argv) of every live process whose command line names path/."""
    marker = path.rstrip("/") + "/"
    me = os.getpid()
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        pid = int(d)
        if not labmod._proc_alive(pid):
            continue
        argv = labmod._proc_cmdline(pid)
        if any(marker in a for a in argv):
            found.append((pid, argv))
    return found


class LabSmokeTest(unittest.TestCase):
    lab = None

    @classmethod
    def setUpClass(cls):
        port_base = int(os.environ.get("MIGMON_LAB_PORT_BASE", labmod.DEFAULT_PORT_BASE))
        root = os.environ.get("MIGMON_LAB_DIR") or None
        cls.lab = Lab(root, nodes=2, port_base=port_base, tls=True)
        cls.lab.up()
        log("lab up in %.1f s at %s" % (cls.lab.up_seconds, cls.lab.root))

    @classmethod
    def tearDownClass(cls):
        if cls.lab is not None:
            cls.lab.down()

    # (a) --------------------------------------------------------------------
    def test_a_fill_guest_migrates_at_the_bandwidth_cap(self):
        lab = self.lab
        lab.start_guest(1, "fill48", 48, "mode=fill")
        lab.wait_serial(1, "fill48", "guest: fill done", timeout=30)
        bandwidth = 8
        res = lab.migrate(1, 2, "fill48", bandwidth_mib=bandwidth, timeout=120)
        self.assertEqual(res.returncode, 0, res.output)
        self.assertEqual(lab.domstate(2, "fill48"), "running")
        self.assertNotIn("fill48", lab.domains(1, all_domains=True))

        stats = lab.jobinfo(2, "fill48", completed=True)
        log("(a) 48 MiB fill at --bandwidth %d: virsh wall %.2f s; completed stats: time_elapsed=%s ms "
            "memory_processed=%s memory_bps=%s downtime=%s ms"
            % (bandwidth, res.elapsed, stats.get("time_elapsed"), stats.get("memory_processed"),
               stats.get("memory_bps"), stats.get("downtime")))
        if stats.get("memory_processed"):
            # the filled pages really crossed the wire (not zero pages)
            self.assertGreater(stats["memory_processed"], 40 * MIB)
            transferred = stats["memory_processed"]
        else:
            transferred = 48 * MIB
        expected = transferred / (bandwidth * MIB)  # ~6 s
        elapsed = stats["time_elapsed"] / 1000.0 if stats.get("time_elapsed") else res.elapsed
        # generous bounds: this proves the cap applied, it is no benchmark
        self.assertGreater(elapsed, 0.5 * expected, "faster than the bandwidth cap allows")
        self.assertLess(elapsed, 4 * expected + 10, "far slower than the bandwidth cap")
        self.assertLess(res.elapsed, 4 * expected + 20)

    # (b) --------------------------------------------------------------------
    def test_b_dirty_rate_is_reported_and_migration_converges(self):
        lab = self.lab
        rate = 256
        lab.start_guest(1, "dirty32", 32, "mode=dirty rate=%d ws=all" % rate)
        lab.wait_serial(1, "dirty32", "guest: working set filled", timeout=30)
        proc = lab.migrate(1, 2, "dirty32", bandwidth_mib=2, wait=False)
        samples = []  # (t, iteration, dirty_rate, remaining)
        t0 = time.monotonic()
        while proc.poll() is None and time.monotonic() - t0 < 100:
            s = lab.jobinfo(1, "dirty32")
            if s.get("memory_iteration") is not None:
                samples.append((round(time.monotonic() - t0, 1), s.get("memory_iteration"),
                                s.get("memory_dirty_rate"), s.get("memory_remaining")))
            time.sleep(0.5)
        res = lab.wait_migration(proc, timeout=30, check=False)
        later = [r for (_, it, r, _) in samples if it and it >= 2 and r]
        log("(b) 32 MiB dirty rate=%d at --bandwidth 2: rc=%d in %.1f s; %d samples, pass>=2 dirty rates: %s"
            % (rate, res.returncode, res.elapsed, len(samples), sorted(set(later))))
        passes = {}
        for t, it, _, rem in samples:
            passes.setdefault(it, (t, rem))
        log("(b) first sample of each pass (t s, remaining MiB): %s"
            % ", ".join("%d:(%.1f, %.1f)" % (it, t, (rem or 0) / MIB) for it, (t, rem) in sorted(passes.items())))
        self.assertEqual(res.returncode, 0, res.output)
        self.assertEqual(lab.domstate(2, "dirty32"), "running")
        self.assertNotIn("dirty32", lab.domains(1, all_domains=True))
        self.assertTrue(later, "no dirty rate reported after the first pass: %s" % samples)
        median = statistics.median(later)
        self.assertLess(abs(median - rate), 0.25 * rate, "dirty rates %s" % later)

    # TLS ----------------------------------------------------------------------
    def test_c_tls_migration(self):
        lab = self.lab
        lab.start_guest(1, "tls16", 16, "mode=fill")
        lab.wait_serial(1, "tls16", "guest: fill done", timeout=30)
        proc = lab.migrate(1, 2, "tls16", bandwidth_mib=4, extra_flags=["--tls"], wait=False)
        # while it runs, QEMU's migration parameters name the TLS credentials
        tls_creds = None
        t0 = time.monotonic()
        while proc.poll() is None and time.monotonic() - t0 < 30:
            q = lab.virsh(1, "qemu-monitor-command", "tls16", '{"execute":"query-migrate-parameters"}',
                          check=False)
            if q.returncode == 0 and '"tls-creds"' in q.stdout:
                tls_creds = q.stdout.split('"tls-creds"', 1)[1].split('"')[1]
                if tls_creds:
                    break
            time.sleep(0.2)
        res = lab.wait_migration(proc, timeout=60, check=False)
        log("(tls) 16 MiB fill with --tls at --bandwidth 4: rc=%d in %.1f s, tls-creds=%r"
            % (res.returncode, res.elapsed, tls_creds))
        self.assertEqual(res.returncode, 0, res.output)
        self.assertTrue(tls_creds, "QEMU did not report TLS credentials during the migration")
        self.assertEqual(lab.domstate(2, "tls16"), "running")

    # (c) --------------------------------------------------------------------
    def test_z_down_leaves_no_process(self):
        lab = self.lab
        daemon_pids = [lab.node_pid(i) for i in (1, 2)]
        self.assertTrue(all(daemon_pids))
        qemu_pids = [pid for pid, argv in lab.lab_processes() if "qemu-system" in os.path.basename(argv[0])]
        self.assertTrue(qemu_pids, "expected the guests of the earlier tests to be running")
        t0 = time.monotonic()
        lab.down()
        log("(c) down() took %.2f s (daemons %s, qemu %s)" % (time.monotonic() - t0, daemon_pids, qemu_pids))
        for pid in daemon_pids + qemu_pids:
            self.assertFalse(labmod._proc_alive(pid), "pid %d survived down()" % pid)
        self.assertEqual(processes_naming(lab.root), [])
        self.assertEqual(lab.lab_processes(), [])
        lab.down()  # idempotent
        self.assertEqual(processes_naming(lab.root), [])


if __name__ == "__main__":
    labmod.install_signal_handlers()
    t_start = time.monotonic()
    prog = unittest.main(exit=False, verbosity=2)
    result = prog.result
    log("smoke test took %.1f s" % (time.monotonic() - t_start))
    ok = result.wasSuccessful()
    lab = LabSmokeTest.lab
    if ok and lab is not None and not os.environ.get("MIGMON_LAB_DIR") and os.path.isdir(lab.root):
        lab.down(remove=True)
    sys.exit(0 if ok else 1)

"""Lab tests: real QEMU live migrations between two real libvirt daemons,
watched by a real migration-monitor process.

Covers: a converging capped migration measured through /metrics; a
migration started before the monitor; an abort by hand counted as failed;
the dirty rate of a paced guest; promtool on a live scrape; SIGHUP reloads
and SIGTERM stop.
"""
import os
import signal
import statistics
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitor import WATCH_ONLY, LabCase, Monitor, wait_for  # noqa: E402

MiB = 1 << 20
SRC, DST = 1, 2


def series(m, metric, vmi):
    return m.get("migmon_migration_" + metric, name=vmi)


class WatchTest(LabCase):
    PORT_BASE = 49200

    def counters(self, monitor=None, node="node-1"):
        m = (monitor or self.monitor).scrape()
        return (m.get("migmon_migrations_succeeded_total", node=node),
                m.get("migmon_migrations_failed_total", node=node),
                m.get("migmon_migration_duration_seconds_count", node=node))

    def start_guest(self, name, memory_mib, cmdline, ready_text):
        self.lab.start_guest(SRC, name, memory_mib, cmdline)
        self.lab.wait_serial(SRC, name, ready_text, timeout=60)

    def wait_series(self, name, monitor=None, timeout=15):
        monitor = monitor or self.monitor
        return wait_for(lambda: series(monitor.scrape(), "data_remaining_bytes", name) is not None,
                        timeout, "series of migration %s" % name, monitor)

    def test_converging_migration_is_measured_and_counted(self):
        name = "converge"
        self.start_guest(name, 64, "mode=fill", "fill done")
        succeeded0, failed0, durations0 = self.counters()
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=8, wait=False)
        self.wait_series(name)

        readings = []  # (remaining, rate, iteration, target)
        promtool_checked = False
        while proc.poll() is None:
            m = self.monitor.scrape()
            remaining = series(m, "data_remaining_bytes", name)
            if remaining is not None:
                info = m.all("migmon_migration_info", name=name)
                readings.append((remaining, series(m, "memory_transfer_rate_bytes_per_second", name),
                                 series(m, "iteration", name), info[0][0]["target_node"] if info else None))
                if not promtool_checked:
                    check = subprocess.run(["promtool", "check", "metrics"], input=m.text, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    self.assertEqual(0, check.returncode, check.stdout)
                    promtool_checked = True
            time.sleep(0.5)
        self.lab.wait_migration(proc)

        self.assertGreaterEqual(len(readings), 4, readings)
        self.assertTrue(any(b[0] < a[0] for a, b in zip(readings, readings[1:])),
                        "data_remaining never fell between two scrapes: %s" % readings)
        rates = [r[1] for r in readings if r[1]]
        self.assertTrue(rates, readings)
        median = statistics.median(rates)
        print("\nconverging: %d scrapes, median transfer rate %.2f MiB/s, max iteration %d"
              % (len(readings), median / MiB, max(r[2] for r in readings)), flush=True)
        self.assertLess(abs(median - 8 * MiB) / (8 * MiB), 0.25,
                        "median transfer rate %.2f MiB/s is not within 25%% of 8 MiB/s" % (median / MiB))
        self.assertGreaterEqual(max(r[2] for r in readings), 1)
        self.assertIn("node-2", [r[3] for r in readings])
        self.assertTrue(promtool_checked)

        # After the end: no per-migration series, one success, one duration.
        def ended():
            m = self.monitor.scrape()
            return series(m, "data_remaining_bytes", name) is None and \
                m.get("migmon_migrations_succeeded_total", node="node-1") == succeeded0 + 1
        wait_for(ended, 10, "the migration to be counted as succeeded", self.monitor)
        m = self.monitor.scrape()
        self.assertEqual([], m.all("migmon_migration_info", name=name))
        self.assertEqual(failed0, m.get("migmon_migrations_failed_total", node="node-1"))
        self.assertEqual(durations0 + 1, m.get("migmon_migration_duration_seconds_count", node="node-1"))
        self.assertEqual("running", self.lab.domstate(DST, name))
        ends = [l for l in self.monitor.logs()
                if l.get("message") == "migration ended" and l["fields"].get("name") == name]
        starts = [l for l in self.monitor.logs()
                  if l.get("message") == "migration started" and l["fields"].get("name") == name]
        self.assertEqual(1, len(starts))
        self.assertEqual(1, len(ends))
        self.assertEqual("succeeded", ends[0]["fields"]["outcome"])
        self.lab.virsh(DST, "destroy", name)

    def test_migration_started_before_the_monitor_is_picked_up(self):
        name = "early"
        self.start_guest(name, 48, "mode=fill", "fill done")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        wait_for(lambda: "Unbounded" in self.lab.virsh(SRC, "domjobinfo", name, check=False).stdout,
                 15, "the migration to run")
        late = Monitor(self.lab, extra_config=WATCH_ONLY).start()
        try:
            self.wait_series(name, late, timeout=10)
            self.lab.wait_migration(proc)
            wait_for(lambda: late.scrape().get("migmon_migrations_succeeded_total", node="node-1") == 1,
                     10, "the late monitor to count the success", late)
        finally:
            late.stop()
        self.lab.virsh(DST, "destroy", name)

    def test_abort_by_hand_counts_as_failed(self):
        name = "aborted"
        self.start_guest(name, 48, "mode=dirty rate=max ws=all", "working set filled")
        succeeded0, failed0, _ = self.counters()
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        self.wait_series(name)
        self.lab.virsh(SRC, "domjobabort", name)
        result = self.lab.wait_migration(proc, check=False)
        self.assertNotEqual(0, result.returncode)
        wait_for(lambda: self.counters()[1] == failed0 + 1, 10, "the abort to count as failed",
                 self.monitor)
        self.assertEqual(succeeded0, self.counters()[0])
        self.assertEqual("running", self.lab.domstate(SRC, name))
        self.lab.virsh(SRC, "destroy", name)

    def test_dirty_rate_matches_what_the_guest_asks_for(self):
        name = "paced"
        pages_per_second = 256
        self.start_guest(name, 32, "mode=dirty rate=%d ws=all" % pages_per_second, "working set filled")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=2, wait=False)
        self.wait_series(name)
        readings = []
        while proc.poll() is None:
            m = self.monitor.scrape()
            it = series(m, "iteration", name)
            rate = series(m, "dirty_rate_bytes_per_second", name)
            # QEMU derives the dirty rate per pass: it is meaningful from pass 2 on.
            if it is not None and it >= 2 and rate:
                readings.append(rate)
            time.sleep(0.25)
        self.lab.wait_migration(proc)
        self.assertTrue(readings, "no dirty-rate reading after the first pass")
        want = pages_per_second * 4096
        median = statistics.median(readings)
        print("\ndirty rate: median %.0f B/s over %d readings (asked %d B/s)" % (median, len(readings), want),
              flush=True)
        self.assertLess(abs(median - want) / want, 0.25,
                        "dirty rate %.0f B/s is not within 25%% of %d B/s (%s)" % (median, want, readings))
        self.lab.virsh(DST, "destroy", name)

    def test_sighup_reloads_and_rejects_a_bad_config(self):
        monitor = Monitor(self.lab, extra_config=WATCH_ONLY).start()
        try:
            self.assertIsNotNone(monitor.scrape().get("migmon_libvirt_up", node="node-2"))
            # A bad config is rejected and the running one kept.
            monitor.write_config(monitor.config_text() + "bogusKey: 1\n")
            monitor.signal(signal.SIGHUP)
            wait_for(lambda: any(l.get("message", "").startswith("reload rejected") for l in monitor.logs()),
                     5, "the rejection to be logged", monitor)
            self.assertIn("bogusKey", monitor.log_tail())
            self.assertEqual(1, monitor.scrape().get("migmon_libvirt_up", node="node-2"))
            # A good one drops node-2 without a restart.
            monitor.write_config(monitor.config_text(nodes=[1]))
            monitor.signal(signal.SIGHUP)
            wait_for(lambda: monitor.scrape().get("migmon_libvirt_up", node="node-2") is None, 5,
                     "node-2 to go after the reload", monitor)
            self.assertEqual(1, monitor.scrape().get("migmon_libvirt_up", node="node-1"))
            self.assertIsNone(monitor.proc.poll())
        finally:
            rc, took = monitor.stop()
        self.assertEqual(0, rc)
        self.assertLess(took, 5.0)


if __name__ == "__main__":
    unittest.main(verbosity=2)

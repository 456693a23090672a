"""Lab tests of the enforcer: real QEMU migrations between real libvirt
daemons, judged by a real migration-monitor process.

Both failure modes are tested for real: stalls and over-budget migrations
are aborted (or switched to post-copy, or helped by downtime steps), and
healthy migrations that are slow, converge over long passes, or copy disks
first are left alone.
"""
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitor import LabCase, Monitor, wait_for  # noqa: E402

SRC, DST = 1, 2
POLL = 0.25  # the pollInterval the test monitors use (monitor.Monitor's default)


def policy(progress=0, per_gib=0, post_copy=False, extra=""):
    return ("migration:\n  progressTimeout: %d\n  completionTimeoutPerGiB: %d\n  allowPostCopy: %s\n%s"
            % (progress, per_gib, "true" if post_copy else "false", extra))


class Trace:
    """What the test saw of one migration through /metrics, every 0.1 s."""

    def __init__(self):
        self.first_seen = {}   # iteration -> monotonic time first seen
        self.first_seen_wall = {}  # iteration -> Unix time first seen
        self.ended_at = None   # when the virsh migrate call returned
        self.samples = []      # (t, metrics)

    def iteration_start(self, k):
        return self.first_seen.get(k)


def follow(monitor, proc, name, until=None, timeout=240):
    """Scrapes until the migration call returns (or `until(trace)` is true)."""
    trace = Trace()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        if proc.poll() is not None:
            trace.ended_at = now
            return trace
        m = monitor.scrape()
        it = m.get("migmon_migration_iteration", name=name)
        if it is not None:
            trace.first_seen.setdefault(int(it), now)
            trace.first_seen_wall.setdefault(int(it), time.time())
            trace.samples.append((now, m))
        if until and until(trace):
            return trace
        time.sleep(0.1)
    raise AssertionError("migration of %s still running after %d s" % (name, timeout))


def actions(monitor, action, reason, dry_run="false", node="node-1"):
    return monitor.scrape().get("migmon_enforcer_actions_total", node=node, action=action,
                                reason=reason, dry_run=dry_run)


def abort_time(monitor):
    """Unix time at which libvirt accepted the enforcer's abort. (The
    migrate call returns seconds later: libvirt first tears the target down.)"""
    done = [t for t, l in zip(monitor.log_times("enforcer action done"),
                              [l for l in monitor.logs() if l.get("message") == "enforcer action done"])
            if l["fields"].get("action") == "abort"]
    return done[0] if done else None


def explain(monitor, name, *flags):
    """`migration-monitor explain NAME` on the monitor's own recordings."""
    out = subprocess.run([monitor.binary, "explain", name, "--data-dir", os.path.join(monitor.workdir, "data"), *flags],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
    if out.returncode != 0:
        raise AssertionError("explain %s failed (%d):\n%s" % (name, out.returncode, out.stdout))
    return out.stdout


def ended_log(monitor, name):
    found = [l for l in monitor.logs() if l.get("message") == "migration ended"
             and l["fields"].get("name") == name]
    return found[-1]["fields"] if found else None


class EnforcerTest(LabCase):
    PORT_BASE = 49600
    MONITOR_CONFIG = None  # each test runs a monitor with its own policy

    def guest(self, name, memory_mib, cmdline, disk=None):
        self.lab.start_guest(SRC, name, memory_mib, cmdline, disk=disk)
        self.lab.wait_serial(SRC, name, "fill done" if "fill" in cmdline else "working set filled", timeout=90)

    def assert_aborted_on_source(self, proc, name):
        result = self.lab.wait_migration(proc, check=False)
        self.assertNotEqual(0, result.returncode, "the migration was not aborted")
        self.assertEqual("running", self.lab.domstate(SRC, name))
        self.assertNotIn(name, self.lab.domains(DST))

    def assert_completed_on_target(self, proc, name):
        result = self.lab.wait_migration(proc, check=False)
        self.assertEqual(0, result.returncode, "the migration failed:\n" + result.output)
        self.assertEqual("running", self.lab.domstate(DST, name))

    # 1. A saw tooth is a stall: aborted after the first pass, within the bound.
    def test_1_stall_is_aborted(self):
        name = "stall"
        mon = self.start_monitor(policy(progress=8))
        self.guest(name, 48, "mode=dirty rate=max ws=all")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        trace = follow(mon, proc, name)
        self.assert_aborted_on_source(proc, name)
        self.assertIsNotNone(trace.iteration_start(2), "aborted during the first pass: %s" % trace.first_seen)
        self.assertIsNotNone(trace.iteration_start(3), "aborted before the third pass: %s" % trace.first_seen)
        wait_for(lambda: abort_time(mon), 10, "the abort to be logged", mon)
        late = abort_time(mon) - trace.first_seen_wall[3]
        print("\nstall: passes first seen at %s; aborted %.1f s after the third pass began"
              % ({k: round(v - min(trace.first_seen.values()), 1) for k, v in sorted(trace.first_seen.items())},
                 late), flush=True)
        self.assertLessEqual(late, 8 + POLL + 2)
        wait_for(lambda: actions(mon, "abort", "progress_timeout") == 1, 10, "the abort to be counted", mon)
        wait_for(lambda: ended_log(mon, name), 10, "the end to be logged", mon)
        reason = ended_log(mon, name)["reason"]
        self.assertIn("no progress for 8 s (passes started at", reason)
        self.assertEqual("failed", ended_log(mon, name)["outcome"])
        # The monitor recorded the migration: explain finds it by name, shows the
        # abort it carried out, and the replay of that recording through the
        # rule's own code at the same timeout aborts it too.
        told = explain(mon, name, "--progress-timeout", "8")
        print(told, flush=True)
        self.assertRegex(told, r"recorded by the monitor at [0-9.]+ s: abort \(progress_timeout\): no progress for 8 s")
        self.assertRegex(told, r"\n  [0-9.]+ s: abort \(progress_timeout\): no progress for 8 s")

    # 2. Slow but steady: one long pass is progress however slow.
    def test_2_slow_steady_migration_completes(self):
        name = "steady"
        mon = self.start_monitor(policy(progress=5))
        self.guest(name, 48, "mode=fill")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=2, wait=False)
        follow(mon, proc, name)
        self.assert_completed_on_target(proc, name)
        self.assertEqual(0, actions(mon, "abort", "progress_timeout"))

    # 3. Converging over passes, the second lasting longer than the timeout.
    def test_3_converging_with_long_second_pass_completes(self):
        name = "converge"
        mon = self.start_monitor(policy(progress=4))
        self.guest(name, 32, "mode=dirty rate=256 ws=all")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=2, wait=False)
        trace = follow(mon, proc, name)
        self.assert_completed_on_target(proc, name)
        self.assertGreaterEqual(max(trace.first_seen), 3, "did not run over several passes")
        self.assertEqual(0, actions(mon, "abort", "progress_timeout"))

    # 4. Over budget: aborted by the job's elapsed time.
    def test_4_over_budget_is_aborted(self):
        name = "budget"
        mon = self.start_monitor(policy(per_gib=100))
        self.guest(name, 64, "mode=fill")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=2, wait=False)
        trace = follow(mon, proc, name)
        self.assert_aborted_on_source(proc, name)
        budgets = [m.get("migmon_migration_completion_budget_seconds", name=name) for _, m in trace.samples]
        self.assertAlmostEqual(6.25, budgets[-1], places=6)
        wait_for(lambda: actions(mon, "abort", "completion_timeout") == 1, 10, "the abort to be counted", mon)
        line = [l for l in mon.logs() if l.get("message", "").startswith("enforcer: abort")][0]["fields"]
        print("\nbudget: aborted at job elapsed %.2f s (budget 6.25 s)" % line["elapsed_seconds"], flush=True)
        self.assertGreaterEqual(line["elapsed_seconds"], 6.25)
        self.assertLessEqual(line["elapsed_seconds"], 6.25 + POLL + 2)
        wait_for(lambda: ended_log(mon, name), 10, "the end to be logged", mon)
        self.assertIn("not completed within 6 s budget (0.06 GiB)", ended_log(mon, name)["reason"])

    # 5. Post-copy instead of an abort when allowed.
    def test_5_over_budget_switches_to_post_copy(self):
        name = "postcopy"
        mon = self.start_monitor(policy(per_gib=100, post_copy=True))
        self.guest(name, 48, "mode=dirty rate=max ws=all")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, extra_flags=["--postcopy"], wait=False)
        trace = follow(mon, proc, name)
        self.assert_completed_on_target(proc, name)
        modes = {l.get("mode") for _, m in trace.samples for l, _ in m.all("migmon_migration_info", name=name)}
        self.assertIn("PostCopy", modes)
        wait_for(lambda: actions(mon, "postcopy", "completion_timeout") == 1, 10, "post-copy counted", mon)
        self.assertEqual(0, actions(mon, "abort", "completion_timeout"))
        wait_for(lambda: ended_log(mon, name), 10, "the end to be logged", mon)
        self.assertEqual("succeeded", ended_log(mon, name)["outcome"])

    # 6. Escalation: downtime steps at each unproductive pass until it completes.
    def test_6_escalation_raises_downtime_until_it_completes(self):
        name = "escalate"
        mon = self.start_monitor(policy(progress=60, extra="  maxDowntimeMs: 5000\n"
                                        "enforcement:\n  escalation:\n    maxDowntimeSteps: [1s, 2s, 5s]\n"))
        self.guest(name, 32, "mode=dirty rate=max ws=8")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=2, wait=False)
        trace = follow(mon, proc, name)
        self.assert_completed_on_target(proc, name)
        downtimes = sorted({m.get("migmon_migration_max_downtime_seconds", name=name) for _, m in trace.samples} - {None})
        print("\nescalation: allowed downtimes seen %s, passes %d" % (downtimes, max(trace.first_seen)), flush=True)
        self.assertIn(5.0, downtimes)
        wait_for(lambda: actions(mon, "set_downtime", "escalation") == 3, 10, "three steps counted", mon)
        self.assertEqual(0, actions(mon, "abort", "progress_timeout"))

    # 7. Observe mode: the stall of test 1 is counted once, not aborted.
    def test_7_observe_mode_counts_and_touches_nothing(self):
        name = "observed"
        mon = self.start_monitor(policy(progress=8, extra="enforcement:\n  mode: observe\n"))
        self.assertEqual(0, actions(mon, "abort", "progress_timeout", dry_run="true"))
        self.assertIsNone(actions(mon, "abort", "progress_timeout", dry_run="false"))
        self.guest(name, 48, "mode=dirty rate=max ws=all")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        # Past where enforce mode would have aborted: the third pass + 8 s + slack.
        trace = follow(mon, proc, name, until=lambda t: 3 in t.first_seen and
                       time.monotonic() - t.first_seen[3] > 8 + POLL + 4)
        self.assertIsNone(trace.ended_at, "the migration ended in observe mode")
        self.assertIsNone(proc.poll())
        self.assertEqual(1, actions(mon, "abort", "progress_timeout", dry_run="true"))
        self.lab.virsh(SRC, "domjobabort", name)
        self.lab.wait_migration(proc, check=False)
        # What it would have done is in its recording, marked as not carried out.
        self.assertRegex(explain(mon, name), r"decided by the monitor in observe mode \(not carried out\) at "
                                             r"[0-9.]+ s: abort \(progress_timeout\): no progress for 8 s")

    # 8. Block migration: a disk phase longer than the timeout is progress.
    # QEMU's mirror reports its progress in 16 MiB steps, paced by the cap:
    # at 16 MiB/s a step a second, well inside the 5 s timeout.
    def test_8_block_migration_disk_phase_is_progress(self):
        name = "block"
        disk_mib = 128
        vol = self.lab.create_disk(SRC, "block.qcow2", disk_mib, pattern=0xAB)
        self.lab.create_target_disk(SRC, DST, vol)
        mon = self.start_monitor(policy(progress=5, per_gib=800))
        self.guest(name, 32, "mode=fill", disk=vol)
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=16, extra_flags=["--copy-storage-all"], wait=False)
        trace = follow(mon, proc, name)
        self.assert_completed_on_target(proc, name)
        disk_phase = [t for t, m in trace.samples if m.get("migmon_migration_iteration", name=name) == 0]
        print("\nblock: disk phase watched for %.1f s" % (disk_phase[-1] - disk_phase[0] if disk_phase else 0),
              flush=True)
        self.assertGreater(disk_phase[-1] - disk_phase[0], 5, "the disk phase did not outlast progressTimeout")
        budget = max(m.get("migmon_migration_completion_budget_seconds", name=name) for _, m in trace.samples)
        self.assertAlmostEqual(800 * (32 + disk_mib) / 1024, budget, delta=1.0)
        self.assertEqual(0, actions(mon, "abort", "progress_timeout"))

    # 9. kill -9 during the third pass of a stall and restart: no later abort.
    def test_9_restart_mid_stall_forgets_nothing(self):
        name = "restart"
        mon = self.start_monitor(policy(progress=8))
        workdir = mon.workdir
        self.guest(name, 48, "mode=dirty rate=max ws=all")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        trace = follow(mon, proc, name, until=lambda t: 3 in t.first_seen and time.monotonic() - t.first_seen[3] > 2)
        third = trace.first_seen_wall[3]
        killed = time.monotonic()
        mon.kill()
        self.monitors.remove(mon)
        again = self.start_monitor(policy(progress=8), workdir=workdir)
        restart_took = time.monotonic() - killed
        follow(again, proc, name)
        self.assert_aborted_on_source(proc, name)
        wait_for(lambda: actions(again, "abort", "progress_timeout") == 1, 10, "the abort counted", again)
        late = abort_time(again) - third
        print("\nrestart: restart took %.1f s; aborted %.1f s after the third pass began" % (restart_took, late),
              flush=True)
        self.assertLessEqual(late, 8 + POLL + 2 + restart_took + 2 * POLL)
        self.assertTrue(any(l.get("message") == "resumed judging a migration from before the restart"
                            for l in again.logs()))


if __name__ == "__main__":
    unittest.main(verbosity=2)

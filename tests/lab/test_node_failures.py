"""Lab tests: a node's libvirtd dies or restarts under a running monitor.

(3) libvirtd killed: libvirt_up{node} goes to 0 and /readyz says so while
the monitor stays ready through the other node; restarted: back to 1 within
5 s of its socket accepting connections, with no restart of the monitor.
(5) the source's libvirtd restarted in the middle of a migration: the
outcome recorded matches where the guest runs afterwards.
"""
import os
import signal
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitor import WATCH_ONLY, LabCase, Monitor, wait_for  # noqa: E402

SRC, DST = 1, 2


def socket_accepts(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(path)
            return True
        except OSError:
            return False


class NodeFailureTest(LabCase):
    PORT_BASE = 49400

    def up(self, node):
        return self.monitor.scrape().get("migmon_libvirt_up", node=node)

    def test_killed_libvirtd_is_reported_and_reconnected(self):
        wait_for(lambda: self.up("node-2") == 1, 10, "node-2 up", self.monitor)
        pid = self.monitor.proc.pid
        self.lab.stop_node(DST, sig=signal.SIGKILL)
        wait_for(lambda: self.up("node-2") == 0, 10, "libvirt_up{node-2} to drop to 0", self.monitor)
        status, body = self.monitor.http("/readyz")
        self.assertEqual(200, status, body)  # node-1 still serves
        self.assertIn("node-2 down", body)
        self.assertIn("node-1 up", body)

        # Restart it, and time from the moment its socket accepts.
        accepted_at = []
        starter = threading.Thread(target=self.lab.start_node, args=(DST,))
        starter.start()
        sock = self.lab.socket_path(DST)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not socket_accepts(sock):
            time.sleep(0.02)
        accepted_at.append(time.monotonic())
        wait_for(lambda: self.up("node-2") == 1, 10, "libvirt_up{node-2} back to 1", self.monitor,
                 interval=0.05)
        took = time.monotonic() - accepted_at[0]
        starter.join()
        print("\nreconnected %.2f s after the socket accepted" % took, flush=True)
        self.assertLess(took, 5.0, "reconnected %.1f s after the socket accepted" % took)
        self.assertEqual(pid, self.monitor.proc.pid)
        self.assertIsNone(self.monitor.proc.poll())
        status, body = self.monitor.http("/readyz")
        self.assertIn("node-2 up", body)

    def test_hung_libvirtd_neither_blocks_serving_nor_stopping(self):
        # A socket that accepts and never answers: a libvirtd that hangs.
        path = os.path.join(self.lab.root, "hung-sock")
        hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        hung.bind(path)
        hung.listen(16)
        held = []
        threading.Thread(target=lambda: [held.append(hung.accept()) for _ in range(16)], daemon=True).start()
        mon = Monitor(self.lab, extra_config=WATCH_ONLY,
                      extra_nodes=[("hung", "qemu+unix:///system?socket=" + path)]).start(wait_ready=False)
        self.monitors.append(mon)
        wait_for(lambda: mon.http("/readyz")[0] == 200, 15, "ready through the healthy nodes", mon)
        status, body = mon.http("/readyz")
        self.assertIn("node-1 up", body)
        self.assertIn("hung down", body)
        self.assertEqual(200, mon.http("/metrics")[0])
        rc, took = mon.stop()
        print("\nhung libvirtd: SIGTERM answered in %.2f s (rc %s)" % (took, rc), flush=True)
        self.assertEqual(0, rc)
        self.assertLess(took, 5.0)
        hung.close()

    def test_source_libvirtd_restarted_mid_migration(self):
        name = "restarted"
        self.lab.start_guest(SRC, name, 48, "mode=dirty rate=max ws=all")
        self.lab.wait_serial(SRC, name, "working set filled", timeout=60)
        m0 = self.monitor.scrape()
        succeeded0 = m0.get("migmon_migrations_succeeded_total", node="node-1")
        failed0 = m0.get("migmon_migrations_failed_total", node="node-1")
        proc = self.lab.migrate(SRC, DST, name, bandwidth_mib=4, wait=False)
        wait_for(lambda: self.monitor.scrape().get("migmon_migration_iteration", name=name) is not None,
                 15, "the migration to be watched", self.monitor)
        time.sleep(2)
        self.lab.stop_node(SRC, sig=signal.SIGKILL)
        self.lab.start_node(SRC)
        self.lab.wait_migration(proc, check=False)

        def counted():
            m = self.monitor.scrape()
            s = m.get("migmon_migrations_succeeded_total", node="node-1") - succeeded0
            f = m.get("migmon_migrations_failed_total", node="node-1") - failed0
            return (s, f) if s + f >= 1 else None
        succeeded, failed = wait_for(counted, 30, "the outcome to be recorded", self.monitor)
        self.assertEqual(1, succeeded + failed)
        on_source = self.lab.domstate(SRC, name) == "running" if name in self.lab.domains(SRC) else False
        on_target = self.lab.domstate(DST, name) == "running" if name in self.lab.domains(DST) else False
        print("\nafter the restart: guest on source=%s target=%s; recorded succeeded=%d failed=%d"
              % (on_source, on_target, succeeded, failed), flush=True)
        self.assertTrue(on_source != on_target, "guest runs on source=%s target=%s" % (on_source, on_target))
        self.assertEqual(on_target, succeeded == 1,
                         "recorded succeeded=%d failed=%d but guest on target=%s" % (succeeded, failed, on_target))
        for node in (SRC, DST):
            if name in self.lab.domains(node):
                self.lab.virsh(node, "destroy", name, check=False)


if __name__ == "__main__":
    unittest.main(verbosity=2)

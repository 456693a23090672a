"""scripts/demo's whole tour, run once (--once) as a user runs it: the
queue within the limits, live progress, the stalling guest aborted with
its reason, the drain, and where to look. It asserts its own outcomes and
exits non-zero when one is not met; this test also checks what it
printed, so a tour that silently skipped a step fails."""
import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DemoTest(unittest.TestCase):
    def test_the_whole_tour(self):
        r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "demo.py"), "--once"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=800,
                           stdin=subprocess.DEVNULL)
        print(r.stdout, flush=True)
        self.assertEqual(0, r.returncode, "the demo failed")
        out = r.stdout
        self.assertRegex(out, r"web-2 +Pending: .*leaving node-1", "the second migration did not wait for the limit")
        self.assertRegex(out, r"ETA +\d+s", "no live ETA")
        self.assertRegex(out, r"why: aborted by migration-monitor: no progress for 15 s")
        self.assertIn("drain node-2: 2 of 2 migrations succeeded", out)
        self.assertIn("node-2 runs now: nothing", out)
        self.assertIn("/metrics", out)
        self.assertIn("demo: lab torn down", out)


if __name__ == "__main__":
    unittest.main()

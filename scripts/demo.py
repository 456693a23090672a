"""The demo driver behind scripts/demo: lab up, monitor up, migrations
back and forth with a live progress line, everything down on Ctrl-C."""
import argparse
import os
import signal
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))
from lab import Lab  # noqa: E402
from monitor import Monitor  # noqa: E402

MiB = 1 << 20
GUEST = "demo"


def progress_line(m, src_name):
    def get(metric):
        return m.get("migmon_migration_" + metric, name=GUEST, node=src_name)
    remaining = get("data_remaining_bytes")
    if remaining is None:
        return None
    info = m.all("migmon_migration_info", name=GUEST)
    target = info[0][0].get("target_node") or "?" if info else "?"
    mode = info[0][0].get("mode", "") if info else ""
    eta = get("estimated_remaining_seconds")
    return ("%s -> %s  pass %d  %3.0f%%  left %6.1f MiB  sent %5.2f MiB/s  dirtied %5.2f MiB/s  ETA %s  %s"
            % (src_name, target, get("iteration") or 0, 100 * (get("progress_ratio") or 0),
               remaining / MiB, (get("memory_transfer_rate_bytes_per_second") or 0) / MiB,
               (get("dirty_rate_bytes_per_second") or 0) / MiB,
               "%4.0fs" % eta if eta is not None else "  --", mode))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bandwidth", type=int, default=4, help="MiB/s cap per migration (default 4)")
    parser.add_argument("--memory", type=int, default=64, help="guest memory in MiB (default 64)")
    parser.add_argument("--dirty-rate", type=int, default=256, help="guest dirty rate, pages/s (default 256)")
    args = parser.parse_args()

    # Ctrl-C and SIGTERM end the loop below; cleanup runs in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    lab = Lab(nodes=2, port_base=47600)
    monitor = None
    try:
        print("demo: starting two libvirt nodes in %s" % lab.root, flush=True)
        lab.up()
        lab.start_guest(1, GUEST, args.memory, "mode=dirty rate=%d ws=all" % args.dirty_rate)
        lab.wait_serial(1, GUEST, "working set filled", timeout=60)
        monitor = Monitor(lab, poll_interval="500ms", discovery_interval="5s").start()
        print("demo: migration-monitor serving http://127.0.0.1:%d/metrics (config %s, log %s)"
              % (monitor.port, monitor.config_path, monitor.log_path), flush=True)
        print("demo: guest '%s' (%d MiB, dirtying %d pages/s) migrates between node-1 and node-2 at %d MiB/s;"
              " Ctrl-C to stop" % (GUEST, args.memory, args.dirty_rate, args.bandwidth), flush=True)
        src, dst = 1, 2
        while True:
            proc = lab.migrate(src, dst, GUEST, bandwidth_mib=args.bandwidth, wait=False)
            last = ""
            while proc.poll() is None:
                line = progress_line(monitor.scrape(), lab.node_name(src))
                if line:
                    last = line
                    sys.stdout.write("\r" + line + "   ")
                    sys.stdout.flush()
                time.sleep(0.5)
            result = lab.wait_migration(proc, check=False)
            m = monitor.scrape()
            print("\r%s\n  done in %.1f s (%s); node-1 succeeded %d failed %d, node-2 succeeded %d failed %d"
                  % (last, result.elapsed, "ok" if result.ok else "FAILED",
                     m.get("migmon_migrations_succeeded_total", node="node-1"),
                     m.get("migmon_migrations_failed_total", node="node-1"),
                     m.get("migmon_migrations_succeeded_total", node="node-2"),
                     m.get("migmon_migrations_failed_total", node="node-2")), flush=True)
            if result.ok:
                src, dst = dst, src
            time.sleep(2)
    except KeyboardInterrupt:
        print("\ndemo: stopping", flush=True)
    finally:
        if monitor:
            monitor.stop()
        lab.down()
        print("demo: lab torn down", flush=True)


if __name__ == "__main__":
    main()

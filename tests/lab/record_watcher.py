#!/usr/bin/env python3
"""Records what a node watcher sees during real lab migrations, as JSON lines.

For each scenario a lab of two nodes (src = node-1, dst = node-2) runs one
migration while a recorder per node, on its own libvirt connection (the
python3-libvirt bindings), writes down the domain events as libvirt delivers
them and, every 0.5 s and right after each event, what the watcher's polls and sweeps would read: the
active domains, each one's job statistics (libvirt's field names), run state
and migration limits, and the completed-job record once a job ends. The
format is described in tests/fixtures/watcher/README.md; the replays are in
tests/unit/watcher_replay_test.cpp.

    flock /tmp/migmon-lab.lock python3 tests/lab/record_watcher.py [--out DIR] [SCENARIO...]

Scenarios: converge, abort, restart, transient (all by default). Needs root,
the lab's packages and python3-libvirt.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

import libvirt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab import Lab, trim_job_stats as trim  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "fixtures", "watcher")
POLL_SECONDS = 0.5
FORMAT_VERSION = 1



class Journal:
    """The recording: one JSON object a line, t in seconds since start."""

    def __init__(self, path, meta):
        self.path = path
        self.lines = []
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.lines.append(json.dumps(dict(meta, t=0.0, kind="meta", format="migmon-recording",
                                          version=FORMAT_VERSION, libvirt=libvirt.getVersion()),
                                     sort_keys=True))

    def add(self, node, kind, **fields):
        record = dict(fields, t=round(time.monotonic() - self.start, 3), node=node, kind=kind)
        with self.lock:
            self.lines.append(json.dumps(record, sort_keys=True))

    def save(self):
        with open(self.path, "w") as f:
            f.write("\n".join(self.lines) + "\n")


class NodeRecorder:
    """One libvirt connection to a node, reopened when it closes."""

    def __init__(self, journal, node, uri, names):
        self.journal, self.node, self.uri, self.names = journal, node, uri, set(names)
        self.conn = None
        self.last = {}  # (kind, uuid) -> last value written, to write changes only
        self.seen = {}  # uuid -> name of every watched domain seen on this node
        self.active_job = set()
        self.stop = threading.Event()
        self.wake = threading.Event()  # an event came: poll now, so the state read follows it closely
        self.thread = threading.Thread(target=self.run, daemon=True)

    # -- events (libvirt's event-loop thread) --------------------------------
    def on_lifecycle(self, conn, dom, event, detail, _):
        if dom.name() in self.names:
            self.journal.add(self.node, "event", event="lifecycle", uuid=dom.UUIDString(), name=dom.name(),
                             type=event, detail=detail)
            self.wake.set()

    def on_iteration(self, conn, dom, iteration, _):
        if dom.name() in self.names:
            self.journal.add(self.node, "event", event="migration-iteration", uuid=dom.UUIDString(),
                             name=dom.name(), iteration=iteration)
            self.wake.set()

    def on_job_completed(self, conn, dom, params, _):
        if dom.name() in self.names:
            self.journal.add(self.node, "event", event="job-completed", uuid=dom.UUIDString(), name=dom.name(),
                             stats=trim(params))
            self.wake.set()

    def on_close(self, conn, reason, _):
        self.journal.add(self.node, "connection", up=False, reason=reason)
        self.wake.set()

    # -- polling (this recorder's thread) -------------------------------------
    def changed(self, key, value):
        if self.last.get(key) == value:
            return False
        self.last[key] = value
        return True

    def connect(self):
        try:
            conn = libvirt.open(self.uri)
        except libvirt.libvirtError:
            return False
        conn.setKeepAlive(2, 2)
        conn.registerCloseCallback(self.on_close, None)
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self.on_lifecycle, None)
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, self.on_iteration, None)
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, self.on_job_completed, None)
        self.conn = conn
        self.last.clear()
        free = conn.getMemoryStats(libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS, 0)
        self.journal.add(self.node, "connection", up=True,
                         available_memory=1024 * sum(free.get(k, 0) for k in ("free", "buffers", "cached")))
        return True

    def poll_domain(self, uuid, name):
        try:
            dom = self.conn.lookupByUUIDString(uuid)
        except libvirt.libvirtError as e:
            if self.changed(("gone", uuid), True):
                self.journal.add(self.node, "gone", uuid=uuid, name=name, error=e.get_error_code())
            return
        self.last.pop(("gone", uuid), None)
        try:
            stats = trim(dom.jobStats(0))
            record = dict(stats=stats)
        except libvirt.libvirtError as e:
            stats = None
            record = dict(error={"code": e.get_error_code(), "message": e.get_error_message()})
        active = stats is not None and stats.get("type", 0) != 0
        # Every sample of a job; "no job" and errors only when they change.
        if active or self.changed(("jobstats", uuid), json.dumps(record, sort_keys=True)):
            self.journal.add(self.node, "jobstats", uuid=uuid, **record)
        if active:
            self.last.pop(("jobstats", uuid), None)
            try:
                limits = dict(max_downtime_ms=dom.migrateGetMaxDowntime(0), max_speed_mib=dom.migrateGetMaxSpeed(0))
                if self.changed(("limits", uuid), limits):
                    self.journal.add(self.node, "limits", uuid=uuid, **limits)
            except libvirt.libvirtError:
                pass
            self.active_job.add(uuid)
        elif uuid in self.active_job:
            self.active_job.discard(uuid)
            flags = libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED | libvirt.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED
            try:
                self.journal.add(self.node, "completedjob", uuid=uuid, stats=trim(dom.jobStats(flags)))
            except libvirt.libvirtError as e:
                self.journal.add(self.node, "completedjob", uuid=uuid, error={"code": e.get_error_code()})
        try:
            state, reason = dom.state(0)
            if self.changed(("state", uuid), (state, reason)):
                self.journal.add(self.node, "state", uuid=uuid, state=state, reason=reason)
        except libvirt.libvirtError as e:
            if self.changed(("state", uuid), e.get_error_code()):
                self.journal.add(self.node, "state", uuid=uuid, error=e.get_error_code())

    def poll(self):
        listed = []
        for dom in self.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
            if dom.name() not in self.names:
                continue
            info = dom.info()
            listed.append({"uuid": dom.UUIDString(), "name": dom.name(), "state": info[0],
                           "memory_kib": info[2], "persistent": bool(dom.isPersistent())})
            self.seen[dom.UUIDString()] = dom.name()
        if self.changed(("domains", None), listed):
            self.journal.add(self.node, "domains", domains=listed)
        for uuid, name in sorted(self.seen.items()):
            self.poll_domain(uuid, name)

    def run(self):
        while not self.stop.is_set():
            if self.conn is None or self.conn.isAlive() != 1:
                self.conn = None
                if not self.connect():
                    self.wake.wait(0.2)
                    continue
            try:
                self.poll()
            except libvirt.libvirtError:
                pass  # the connection died under us: the close event says so
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()

    def close(self):
        self.stop.set()
        self.wake.set()
        self.thread.join()


def event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


class Session:
    """Both nodes recorded into one journal for one scenario."""

    def __init__(self, lab, path, scenario, names, note):
        self.journal = Journal(path, {"scenario": scenario, "note": note, "nodes": {"src": "node-1", "dst": "node-2"}})
        self.recorders = [NodeRecorder(self.journal, "src", lab.uri(1), names),
                          NodeRecorder(self.journal, "dst", lab.uri(2), names)]

    def __enter__(self):
        for r in self.recorders:
            r.thread.start()
        time.sleep(1.0)
        return self

    def mark(self, what):
        self.journal.add("lab", "mark", what=what)

    def __exit__(self, *exc):
        for r in self.recorders:
            r.close()
        self.journal.save()


def scenario_converge(lab, out):
    name = "converge"
    lab.start_guest(1, name, 48, "mode=fill", persistent=True)
    lab.wait_serial(1, name, "guest: fill done", timeout=60)
    with Session(lab, os.path.join(out, "converge.jsonl"), "converge", [name],
                 "persistent 48 MiB guest, filled once, migrated at 8 MiB/s with --persistent --undefinesource") as s:
        s.mark("migrate")
        res = lab.migrate(1, 2, name, bandwidth_mib=8, extra_flags=["--persistent", "--undefinesource"])
        s.mark("migrate returned %d" % res.returncode)
        time.sleep(2)
    lab.virsh(2, "destroy", name, check=False)


def scenario_abort(lab, out):
    name = "abort"
    lab.start_guest(1, name, 48, "mode=dirty rate=max ws=all")
    lab.wait_serial(1, name, "working set filled", timeout=60)
    with Session(lab, os.path.join(out, "abort.jsonl"), "abort", [name],
                 "transient 48 MiB guest dirtying all memory, 4 MiB/s cap, virsh domjobabort after 4 s") as s:
        proc = lab.migrate(1, 2, name, bandwidth_mib=4, wait=False)
        s.mark("migrate")
        time.sleep(4)
        s.mark("domjobabort")
        lab.virsh(1, "domjobabort", name, check=False)
        res = lab.wait_migration(proc, check=False)
        s.mark("migrate returned %d" % res.returncode)
        time.sleep(2)
    lab.virsh(1, "destroy", name, check=False)


def scenario_restart(lab, out):
    name = "restart"
    lab.start_guest(1, name, 48, "mode=dirty rate=max ws=all")
    lab.wait_serial(1, name, "working set filled", timeout=60)
    with Session(lab, os.path.join(out, "restart.jsonl"), "restart", [name],
                 "transient 48 MiB guest dirtying all memory, 4 MiB/s cap; the source's libvirtd "
                 "killed (SIGKILL) after 3 s and started again") as s:
        proc = lab.migrate(1, 2, name, bandwidth_mib=4, wait=False)
        s.mark("migrate")
        time.sleep(3)
        s.mark("kill source libvirtd")
        lab.stop_node(1, sig=signal.SIGKILL)
        s.mark("start source libvirtd")
        lab.start_node(1)
        res = lab.wait_migration(proc, check=False)
        s.mark("migrate returned %d" % res.returncode)
        time.sleep(3)
    for node in (1, 2):
        lab.virsh(node, "destroy", name, check=False)


def scenario_transient(lab, out):
    name = "transient"
    lab.start_guest(1, name, 32, "mode=fill")
    lab.wait_serial(1, name, "guest: fill done", timeout=60)
    with Session(lab, os.path.join(out, "transient.jsonl"), "transient", [name],
                 "transient 32 MiB guest, filled once, migrated at 8 MiB/s: afterwards the source "
                 "knows nothing of it, only the target shows where it runs") as s:
        s.mark("migrate")
        res = lab.migrate(1, 2, name, bandwidth_mib=8)
        s.mark("migrate returned %d" % res.returncode)
        time.sleep(2)
    lab.virsh(2, "destroy", name, check=False)


SCENARIOS = {"converge": scenario_converge, "abort": scenario_abort, "restart": scenario_restart,
             "transient": scenario_transient}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--port-base", type=int, default=49800)
    parser.add_argument("scenarios", nargs="*", help=", ".join(SCENARIOS))
    args = parser.parse_args()
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown:
        parser.error("unknown scenario: " + ", ".join(unknown))
    os.makedirs(args.out, exist_ok=True)
    libvirt.registerErrorHandler(lambda *_: None, None)
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=event_loop, daemon=True).start()
    with Lab(nodes=2, port_base=args.port_base) as lab:
        for name in args.scenarios or list(SCENARIOS):
            print("recording", name, flush=True)
            SCENARIOS[name](lab, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

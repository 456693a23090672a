#!/usr/bin/env python3
"""Records real QEMU live migrations of lab guests as traces (docs/traces.md).

One scenario is one migration of one guest from node-1 to node-2 of a two-node
lab (tests/lab/lab.py). A recorder on the source, on its own libvirt connection
(python3-libvirt), writes the source domain's trace: its job statistics every
0.5 s while the job is active and right after each migration-iteration event,
the iteration and job-completed events as libvirt delivers them, the migration
limits when they change, the completed-job record at the end, and marks for what
the recorder itself did (migrate, domjobabort). One `<scenario>.jsonl` a scenario.

Scenarios come from the table SCENARIOS below, in named sets, each recorded
into tests/fixtures/traces/<set>/: "train" (what the rule and the model were
tuned on), "holdout" (other guest sizes, caps and rates, recorded after they
were frozen, to measure how well they generalise) and "holdout2" (recorded
after the rule's last change). A converging
scenario is left to complete (aborted after 240 s); a never-converging one is
aborted with `virsh domjobabort` once memory_iteration reaches 7 or after 180 s.

    flock /tmp/migmon-lab.lock python3 tests/lab/record_traces.py [--set train|holdout|holdout2] [--out DIR] [SCENARIO...]
    python3 tests/lab/record_traces.py --list [--set holdout]
    python3 tests/lab/record_traces.py --check [--markdown] [FILE...]   # no lab, no libvirt needed

Needs root, the lab's packages and python3-libvirt (scripts/deps installs them);
if the `python3` on PATH lacks the bindings, the script restarts itself under
/usr/bin/python3.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "fixtures", "traces"))
sys.path.insert(0, HERE)
from lab import trim_job_stats as trim  # noqa: E402  (lab.py needs no libvirt)
POLL_SECONDS = 0.5
FORMAT_VERSION = 1
PAGE_BYTES = 4096
MIB = 1024 * 1024
SRC, DST = 1, 2
SRC_NODE = "node-1"

# How long a scenario may run, and when a never-converging one is aborted.
CONVERGE_TIMEOUT_S = 240
NEVER_ABORT_ITERATION = 7
NEVER_ABORT_AFTER_S = 180
GUEST_READY_TIMEOUT_S = 120



# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------
#
# name: the trace file is <name>.jsonl and the guest is named <name>.
# mode: "fill" (write every page once, halt) or "dirty" (fill the working set,
#   then rewrite it at `rate` pages/s, "max" = as fast as the vCPU can).
# ws: working set in MiB or "all" (dirty only); disk: MiB of a qcow2 disk
#   copied with --copy-storage-all, or None; cap: bandwidth cap in MiB/s.
# expect: what the scenario is built to do: "converges" (left to complete) or
#   "never" (aborted at iteration 7 or after 180 s).
# relabel: True when the TCG guest may not manage what the design asks (its
#   real dirty rate is bounded by the emulator): the trace is then labelled by
#   what happened and its note says so.
# note: anything a reader should know beyond the parameters.

def _s(name, memory, cap, expect, mode="dirty", rate=None, ws="all", disk=None, relabel=False, note=""):
    return {"name": name, "memory_mib": memory, "cap_mib": cap, "expect": expect, "mode": mode,
            "rate": rate if mode == "dirty" else None, "ws": ws if mode == "dirty" else None,
            "disk_mib": disk, "relabel": relabel, "note": note}


SCENARIOS = {
    "train": [
        # converging
        _s("fill-32m-2", 32, 2, "converges", mode="fill"),
        _s("fill-64m-8", 64, 8, "converges", mode="fill"),
        _s("dirty-32m-256-2", 32, 2, "converges", rate=256),
        _s("dirty-64m-512-4", 64, 4, "converges", rate=512),
        _s("dirty-128m-1024-8", 128, 8, "converges", rate=1024),
        _s("dirty-48m-768-4", 48, 4, "converges", rate=768),
        _s("dirty-256m-1536-16", 256, 16, "converges", rate=1536),
        _s("dirty-32m-ws2-max-2", 32, 2, "converges", rate="max", ws=2,
           note="a working set small enough to go within the allowed downtime"),
        _s("block-fill-32m-disk64-8", 32, 8, "converges", mode="fill", disk=64,
           note="block migration: the disk is mirrored first (memory_iteration 0), then memory"),
        # never converging
        _s("dirty-48m-max-4", 48, 4, "never", rate="max"),
        _s("dirty-32m-ws8-max-2", 32, 2, "never", rate="max", ws=8,
           note="a working set too large for the allowed downtime at this cap"),
        _s("dirty-64m-1229-4", 64, 4, "never", rate=1229),
        _s("dirty-128m-2048-8", 128, 8, "never", rate=2048),
        _s("dirty-32m-512-2", 32, 2, "never", rate=512),
        # Whether the TCG vCPU dirties 256 MiB faster than 16 MiB/s is up to the emulator.
        _s("dirty-256m-max-16", 256, 16, "never", rate="max", relabel=True),
        _s("block-dirty-32m-max-disk64-4", 32, 4, "never", rate="max", disk=64,
           note="block migration of a guest rewriting all its memory: disk mirror first, then passes that never end"),
    ],
    # Other sizes, caps and rates than the train set; not recorded yet.
    "holdout": [
        _s("fill-40m-3", 40, 3, "converges", mode="fill"),
        _s("dirty-96m-640-6", 96, 6, "converges", rate=640),
        _s("dirty-80m-1100-5", 80, 5, "converges", rate=1100),
        _s("dirty-160m-700-12", 160, 12, "converges", rate=700),
        _s("dirty-40m-ws1-max-3", 40, 3, "converges", rate="max", ws=1),
        _s("block-fill-48m-disk96-6", 48, 6, "converges", mode="fill", disk=96),
        _s("dirty-96m-1690-6", 96, 6, "never", rate=1690),
        _s("dirty-72m-900-3", 72, 3, "never", rate=900),
        _s("dirty-56m-ws6-max-3", 56, 3, "never", rate="max", ws=6),
    ],
    # Recorded after the rule's last change (84a6dce, the ratio against the
    # previous pass's send rate): nothing was tuned on these.
    "holdout2": [
        _s("fill-24m-5", 24, 5, "converges", mode="fill"),
        _s("dirty-72m-420-3", 72, 3, "converges", rate=420),
        _s("dirty-144m-1400-10", 144, 10, "converges", rate=1400),
        _s("dirty-64m-1100-7", 64, 7, "converges", rate=1100),
        _s("dirty-48m-ws1-max-4", 48, 4, "converges", rate="max", ws=1),
        _s("dirty-88m-1500-5", 88, 5, "never", rate=1500),
        _s("dirty-40m-560-2", 40, 2, "never", rate=560),
        _s("dirty-64m-ws5-max-3", 64, 3, "never", rate="max", ws=5),
    ],
}


def ratio(sc):
    """Dirty rate over cap (rate_pages * 4096 / cap bytes): 0 for fill, None for rate=max."""
    if sc["mode"] == "fill":
        return 0.0
    if sc["rate"] == "max":
        return None
    return sc["rate"] * PAGE_BYTES / (sc["cap_mib"] * MIB)


def cmdline(sc):
    if sc["mode"] == "fill":
        return "mode=fill"
    return "mode=dirty rate=%s ws=%s" % (sc["rate"], sc["ws"])


def ready_line(sc):
    """What the guest prints on its serial console once its memory is written (guest.c)."""
    return "guest: fill done" if sc["mode"] == "fill" else "guest: working set filled"


def describe(sc):
    parts = ["%d MiB guest" % sc["memory_mib"]]
    if sc["mode"] == "fill":
        parts.append("memory written once, then halted")
    else:
        ws = "all its memory" if sc["ws"] == "all" else "a working set of %d MiB" % sc["ws"]
        rate = "as fast as it can" if sc["rate"] == "max" else "at %d pages/s" % sc["rate"]
        parts.append("rewriting %s %s" % (ws, rate))
    if sc["disk_mib"]:
        parts.append("%d MiB qcow2 disk copied with --copy-storage-all" % sc["disk_mib"])
    parts.append("%d MiB/s cap" % sc["cap_mib"])
    r = ratio(sc)
    if r is not None and sc["mode"] != "fill":
        parts.append("dirty rate/cap %.3g" % r)
    text = ", ".join(parts)
    if sc["note"]:
        text += "; " + sc["note"]
    return text


def find_scenario(name):
    for set_name, entries in SCENARIOS.items():
        for sc in entries:
            if sc["name"] == name:
                return set_name, sc
    return None, None


# ---------------------------------------------------------------------------
# libvirt (imported only to record)
# ---------------------------------------------------------------------------

libvirt = None


def load_libvirt():
    global libvirt
    try:
        import libvirt as mod
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("MIGMON_RECORD_REEXEC"):
            os.environ["MIGMON_RECORD_REEXEC"] = "1"
            os.execv(system, [system] + sys.argv)
        sys.exit("record_traces: needs python3-libvirt (scripts/deps installs it)")
    libvirt = mod
    libvirt.registerErrorHandler(lambda *_: None, None)
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=_event_loop, daemon=True).start()


def _event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


# ---------------------------------------------------------------------------
# Recording one source domain
# ---------------------------------------------------------------------------


class Trace:
    """The recording: JSON lines, t in seconds since it started (monotonic)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.records = []

    def now(self):
        return time.monotonic() - self.start

    def add(self, kind, **fields):
        with self.lock:  # t taken under the lock: the file stays in time order
            self.records.append(dict(fields, t=round(self.now(), 3), kind=kind))

    def save(self, path, meta):
        head = dict(meta, t=0.0, kind="meta", format="migmon-recording", version=FORMAT_VERSION, source="lab")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            for rec in [head] + self.records:
                f.write(json.dumps(rec, sort_keys=True, separators=(",", ":")) + "\n")
        os.replace(tmp, path)


class SourceRecorder:
    """Watches one domain on the source node: events (libvirt's event-loop
    thread) and job statistics (this recorder's thread)."""

    def __init__(self, trace, conn, dom, progress):
        self.trace, self.conn, self.dom, self.progress = trace, conn, dom, progress
        self.uuid = dom.UUIDString()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.job_seen = False      # a sample of an active job was taken
        self.job_over = threading.Event()  # ... and later no job (or no domain)
        self.completed_event = None  # stats of the job-completed event
        self.iteration = 0          # highest iteration seen (events or samples)
        self.last_stats = None
        self.limits = None
        self.callbacks = [
            conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, self.on_iteration, None),
            conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, self.on_job_completed, None),
            conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self.on_lifecycle, None),
        ]
        self.thread = threading.Thread(target=self.run, daemon=True)

    # -- events ------------------------------------------------------------
    def on_iteration(self, conn, dom, iteration, _):
        self.trace.add("event", event="migration-iteration", iteration=iteration)
        with self.lock:
            self.iteration = max(self.iteration, iteration)
        self.wake.set()  # the sample that follows the event

    def on_job_completed(self, conn, dom, params, _):
        stats = trim(params)
        self.trace.add("event", event="job-completed", stats=stats)
        self.completed_event = stats
        self.wake.set()

    def on_lifecycle(self, conn, dom, event, detail, _):
        self.trace.add("event", event="lifecycle", type=event, detail=detail)
        self.wake.set()

    # -- samples -----------------------------------------------------------
    def sample(self):
        try:
            stats = trim(self.dom.jobStats(0))
        except libvirt.libvirtError:
            stats = None  # the domain left the source (migrated) or libvirt hiccupped
        if stats is None or stats.get("type", 0) == 0:
            if self.job_seen:
                self.job_over.set()
            return
        self.trace.add("jobstats", stats=stats)
        self.job_seen = True
        try:
            limits = {"max_downtime_ms": self.dom.migrateGetMaxDowntime(0),
                      "max_speed_mib": self.dom.migrateGetMaxSpeed(0)}
        except libvirt.libvirtError:
            limits = None
        if limits is not None and limits != self.limits:
            self.limits = limits
            self.trace.add("limits", **limits)
        with self.lock:
            self.iteration = max(self.iteration, stats.get("memory_iteration", 0))
            self.last_stats = stats
        self.progress(stats)

    def run(self):
        next_tick = time.monotonic()
        while not self.stop.is_set():
            self.wake.clear()
            self.sample()
            now = time.monotonic()
            while next_tick <= now:
                next_tick += POLL_SECONDS
            self.wake.wait(next_tick - now)

    def start(self):
        self.thread.start()

    def close(self):
        self.stop.set()
        self.wake.set()
        self.thread.join()
        for cb in self.callbacks:
            try:
                self.conn.domainEventDeregisterAny(cb)
            except libvirt.libvirtError:
                pass

    def current(self):
        with self.lock:
            return self.iteration, self.last_stats


def completed_stats(src_dom, dst_conn, uuid, rec):
    """The completedjob record: completed stats on the source; for a migration
    that completed and took the domain away, those the destination keeps, or
    else the job-completed event's."""
    flags = libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED | libvirt.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED
    try:
        return {"stats": trim(src_dom.jobStats(flags))}
    except libvirt.libvirtError as e:
        src_error = {"code": e.get_error_code(), "message": e.get_error_message()}
    if src_error["code"] == libvirt.VIR_ERR_NO_DOMAIN:
        try:
            stats = trim(dst_conn.lookupByUUIDString(uuid).jobStats(flags))
            if stats.get("type", 0) != 0:
                return {"stats": stats, "read_on": "node-2"}
        except libvirt.libvirtError:
            pass
        if rec.completed_event is not None:
            return {"stats": rec.completed_event, "read_on": "job-completed event"}
    return {"error": src_error}


# ---------------------------------------------------------------------------
# Running one scenario
# ---------------------------------------------------------------------------


def mib(value):
    return (value or 0) / MIB


def run_scenario(lab, sc, out_dir):
    """Records sc into out_dir/<name>.jsonl; returns its summary (see summarize)."""
    name = sc["name"]
    print("== %s: %s" % (name, describe(sc)), flush=True)
    disk = None
    extra = []
    if sc["disk_mib"]:
        disk = lab.create_disk(SRC, "%s.qcow2" % name, sc["disk_mib"])
        lab.create_target_disk(SRC, DST, disk)
        extra.append("--copy-storage-all")
    lab.start_guest(SRC, name, sc["memory_mib"], cmdline(sc), disk=disk)
    t_boot = time.monotonic()
    lab.wait_serial(SRC, name, ready_line(sc), timeout=GUEST_READY_TIMEOUT_S)
    print("   guest ready after %.1f s (%r on its serial)" % (time.monotonic() - t_boot, ready_line(sc)), flush=True)

    src = libvirt.open(lab.uri(SRC))
    dst = libvirt.open(lab.uri(DST))
    try:
        dom = src.lookupByName(name)
        info = dom.info()
        trace = Trace()
        last_print = {"t": 0.0, "pass": None}

        def progress(stats):
            if stats.get("type") not in (1, 2):
                return
            t = trace.now()
            k = stats.get("memory_iteration", 0)
            if k == last_print["pass"] and t - last_print["t"] < 10:
                return
            last_print.update(t=t, **{"pass": k})
            line = "   t=%6.1fs pass %d remaining %.1f MiB" % (t, stats.get("memory_iteration", 0),
                                                               mib(stats.get("memory_remaining")))
            if stats.get("disk_total"):
                line += ", disk remaining %.1f MiB" % mib(stats.get("disk_remaining"))
            line += ", dirty rate %d pages/s" % stats.get("memory_dirty_rate", 0)
            print(line, flush=True)

        rec = SourceRecorder(trace, src, dom, progress)
        rec.start()
        trace.add("mark", what="migrate")
        proc = lab.migrate(SRC, DST, name, bandwidth_mib=sc["cap_mib"], extra_flags=extra, wait=False)
        started = time.monotonic()
        aborted = None
        while proc.poll() is None:
            elapsed = time.monotonic() - started
            iteration, _ = rec.current()
            reason = None
            if sc["expect"] == "never" and iteration >= NEVER_ABORT_ITERATION:
                reason = "memory_iteration reached %d" % iteration
            elif sc["expect"] == "never" and elapsed >= NEVER_ABORT_AFTER_S:
                reason = "%d s passed" % NEVER_ABORT_AFTER_S
            elif sc["expect"] == "converges" and elapsed >= CONVERGE_TIMEOUT_S:
                reason = "not converged after %d s" % CONVERGE_TIMEOUT_S
            if reason and aborted is None:
                aborted = reason
                trace.add("mark", what="domjobabort", reason=reason)
                print("   domjobabort: %s" % reason, flush=True)
                lab.virsh(SRC, "domjobabort", name, check=False, timeout=30)
            time.sleep(0.1)
        res = lab.wait_migration(proc, timeout=60, check=False)
        message = res.output.strip().splitlines()[-1] if res.returncode and res.output.strip() else None
        fields = {"message": message} if message else {}
        trace.add("mark", what="migrate returned %d" % res.returncode, **fields)
        # Let the last events and samples in (job-completed, the job's end).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not rec.job_over.is_set():
            time.sleep(0.05)
        if res.returncode == 0:
            while time.monotonic() < deadline and rec.completed_event is None:
                time.sleep(0.05)
        time.sleep(0.3)
        rec.close()
        trace.add("completedjob", **completed_stats(dom, dst, rec.uuid, rec))

        converged = res.returncode == 0
        expect = sc["expect"]
        note = describe(sc)
        outcome_label = "converges" if converged else "never"
        if outcome_label != expect and sc["relabel"]:
            note += ("; built to never converge but it completed: the TCG guest did not dirty fast enough, "
                     "so this trace is labelled by what happened" if converged else
                     "; built to converge but it did not: labelled by what happened")
            expect = outcome_label
        meta = {
            "domain": {"uuid": rec.uuid, "name": name, "memory_kib": info[1]},
            "node": SRC_NODE,
            "scenario": name,
            "note": note,
            "expect": expect,
            "poll_seconds": POLL_SECONDS,
            "guest": {"mode": sc["mode"], "rate_pages": sc["rate"], "ws_mib": sc["ws"], "disk_mib": sc["disk_mib"]},
            "cap_mib": sc["cap_mib"],
            "libvirt": libvirt.getVersion(),
        }
        path = os.path.join(out_dir, "%s.jsonl" % name)
        trace.save(path, meta)
    finally:
        for conn in (src, dst):
            try:
                conn.close()
            except libvirt.libvirtError:
                pass
    for node in (SRC, DST):
        lab.virsh(node, "destroy", name, check=False, timeout=30)
    summary = summarize(path)
    print("   %s: %s" % (name, summary_line(summary)), flush=True)
    return summary


# ---------------------------------------------------------------------------
# Reading traces back: summary and checks (no libvirt needed)
# ---------------------------------------------------------------------------


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def summarize(path):
    """What a trace shows: passes, the level each started at, duration, outcome,
    and whether it satisfies the corpus' checks (problems)."""
    problems = []
    try:
        records = load(path)
    except (OSError, ValueError) as e:
        return {"file": os.path.basename(path), "problems": ["does not parse: %s" % e]}
    meta = records[0] if records else {}
    if meta.get("kind") != "meta":
        problems.append("first line is not meta")
    for key, want in (("format", "migmon-recording"), ("version", FORMAT_VERSION), ("source", "lab")):
        if meta.get(key) != want:
            problems.append("meta %s is %r" % (key, meta.get(key)))
    samples = [r["stats"] for r in records if r.get("kind") == "jobstats" and "stats" in r]
    events = [r for r in records if r.get("kind") == "event"]
    marks = [r for r in records if r.get("kind") == "mark"]
    completed = [r for r in records if r.get("kind") == "completedjob"]
    job_completed = [e for e in events if e.get("event") == "job-completed"]
    iterations = sorted({e["iteration"] for e in events if e.get("event") == "migration-iteration"})
    # The level a pass started at: memory_remaining in the first sample of that pass.
    starts = {}
    for s in samples:
        k = s.get("memory_iteration", 0)
        if k >= 1 and k not in starts:
            starts[k] = mib(s.get("memory_remaining"))
    passes = max([0] + iterations + list(starts))
    final = None
    for r in completed:
        if r.get("stats", {}).get("type") == 3 and "time_elapsed" in r["stats"]:
            final = r["stats"]
    for e in job_completed:
        if final is None and "time_elapsed" in e.get("stats", {}):
            final = e["stats"]
    aborted = any(m.get("what") == "domjobabort" for m in marks)
    returned = [m for m in marks if str(m.get("what", "")).startswith("migrate returned")]
    rc = int(returned[-1]["what"].split()[-1]) if returned else None
    if rc == 0:
        outcome = "completed"
        duration = final["time_elapsed"] / 1000 if final else None
    else:
        # After an abort libvirt reports the job as cancelled (type 5, all
        # figures 0) until the migrate call returns: the last running sample counts.
        running = [s for s in samples if s.get("type") in (1, 2)]
        last = running[-1] if running else {}
        duration = last["time_elapsed"] / 1000 if "time_elapsed" in last else None
        outcome = ("aborted (domjobabort) in pass %d" % last.get("memory_iteration", 0)) if aborted else \
            "failed (rc %s)" % rc
    expect = meta.get("expect")
    if expect == "converges":
        if final is None:
            problems.append("converging trace without the completed job's time_elapsed")
        if rc != 0:
            problems.append("labelled converges, but the migration did not complete")
    elif expect == "never":
        if passes < 6:
            problems.append("labelled never, but only %d iterations seen" % passes)
        if rc == 0:
            problems.append("labelled never, but the migration completed")
    else:
        problems.append("meta expect is %r" % expect)
    if not completed:
        problems.append("no completedjob record")
    guest = meta.get("guest", {})
    cap = meta.get("cap_mib")
    _, sc = find_scenario(meta.get("scenario"))
    return {
        "file": os.path.basename(path),
        "size": os.path.getsize(path),
        "memory_mib": (meta.get("domain", {}).get("memory_kib") or 0) // 1024,
        "guest": guest,
        "cap_mib": cap,
        "ratio": ratio(sc) if sc else None,
        "expect": expect,
        "passes": passes,
        "starts": [round(starts[k], 1) for k in sorted(starts)],
        "duration": duration,
        "downtime": final.get("downtime") if final else None,
        "outcome": outcome,
        "samples": len(samples),
        "problems": problems,
    }


def guest_text(s):
    g = s["guest"]
    if g.get("mode") == "fill":
        text = "%d MiB fill" % s["memory_mib"]
    else:
        ws = "ws=all" if g.get("ws_mib") == "all" else "ws=%s MiB" % g.get("ws_mib")
        text = "%d MiB dirty rate=%s %s" % (s["memory_mib"], g.get("rate_pages"), ws)
    if g.get("disk_mib"):
        text += " + %d MiB disk" % g["disk_mib"]
    return text


def summary_line(s):
    if s.get("problems") and "passes" not in s:
        return "; ".join(s["problems"])
    dur = "%.1f s" % s["duration"] if s["duration"] is not None else "?"
    text = "%d passes, started at %s MiB, %s, %s" % (s["passes"], ", ".join("%g" % x for x in s["starts"]) or "-",
                                                    dur, s["outcome"])
    if s["downtime"] is not None:
        text += " (downtime %d ms)" % s["downtime"]
    if s["problems"]:
        text += "  PROBLEMS: " + "; ".join(s["problems"])
    return text


def markdown_table(summaries):
    rows = ["| file | guest | cap MiB/s | rate/cap | expect | passes | pass start levels (MiB) | duration | outcome |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in summaries:
        r = s["ratio"]
        rtext = "max" if r is None else "%.3g" % r
        dur = "%.1f s" % s["duration"] if s["duration"] is not None else "?"
        outcome = s["outcome"] + (", downtime %d ms" % s["downtime"] if s["downtime"] is not None else "")
        rows.append("| `%s` | %s | %s | %s | %s | %d | %s | %s | %s |" % (
            s["file"], guest_text(s), s["cap_mib"], rtext, s["expect"], s["passes"],
            ", ".join("%g" % x for x in s["starts"]), dur, outcome))
    return "\n".join(rows)


def table_order(path):
    """Sort key: the order of the scenario table, unknown files last by name."""
    name = os.path.basename(path)[:-len(".jsonl")] if path.endswith(".jsonl") else path
    for i, (set_name, entries) in enumerate(sorted(SCENARIOS.items())):
        for j, sc in enumerate(entries):
            if sc["name"] == name:
                return (i, j, name)
    return (len(SCENARIOS), 0, name)


def check(paths, markdown):
    summaries = [summarize(p) for p in paths]
    bad = 0
    for s in summaries:
        print("%-34s %7s  %s" % (s["file"], s.get("size", "?"), summary_line(s)))
        bad += bool(s["problems"])
    print("%d trace(s), %d bytes, %d with problems" % (len(summaries), sum(s.get("size", 0) for s in summaries), bad))
    if markdown:
        print()
        print(markdown_table([s for s in summaries if "passes" in s]))
    return 1 if bad else 0


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="train", choices=sorted(SCENARIOS), help="scenario set (default: train)")
    parser.add_argument("--out", help="folder of the traces (default: %s/<set>)" % CORPUS)
    parser.add_argument("--port-base", type=int, default=50600, help="the lab's port base")
    parser.add_argument("--list", action="store_true", help="print the set's scenarios and exit")
    parser.add_argument("--check", action="store_true",
                        help="validate and summarize traces (the given files, or every .jsonl in --out)")
    parser.add_argument("--markdown", action="store_true", help="with --check: also print the README table")
    parser.add_argument("names", nargs="*", help="scenarios of the set to record (default: all of it)")
    args = parser.parse_args()
    args.out = args.out or os.path.join(CORPUS, args.set)

    if args.check:
        paths = args.names or sorted(glob.glob(os.path.join(args.out, "*.jsonl")), key=table_order)
        return check(paths, args.markdown)
    entries = SCENARIOS[args.set]
    if args.list:
        for sc in entries:
            print("%-30s %-9s %s" % (sc["name"], sc["expect"], describe(sc)))
        return 0
    known = {sc["name"]: sc for sc in entries}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error("not in the %s set: %s (see --list)" % (args.set, ", ".join(unknown)))
    chosen = [known[n] for n in args.names] if args.names else entries

    load_libvirt()
    sys.path.insert(0, HERE)
    from lab import Lab, install_signal_handlers  # noqa: E402

    install_signal_handlers()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.monotonic()
    summaries = []
    with Lab(nodes=2, port_base=args.port_base) as lab:
        print("lab up in %.1f s at %s" % (lab.up_seconds, lab.root), flush=True)
        for sc in chosen:
            summaries.append(run_scenario(lab, sc, args.out))
    print("recorded %d trace(s) in %.0f s" % (len(summaries), time.monotonic() - t0), flush=True)
    failed = [s["file"] for s in summaries if s["problems"]]
    if failed:
        print("not as designed: %s" % ", ".join(failed), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Processes the bench starts, their cleanup, and what /proc says about them.

Every process goes through Procs.start and is ended by Procs.stop_all (in a
finally, also on Ctrl-C or SIGTERM), by its own pid. Standard library only.
"""
import os
import signal
import socket
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def say(*parts):
    """Progress, on stderr (stdout carries only the table)."""
    print("bench:", *parts, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_bytes(pid, field="VmRSS"):
    """Resident memory of the process in bytes; field "VmHWM" gives its peak."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no %s for pid %d" % (field, pid))


def cpu_seconds(pid):
    """CPU time of the process (all its threads), in seconds.

    From each thread's /proc/PID/task/TID/schedstat (nanoseconds on a CPU):
    utime + stime count in clock ticks (10 ms), too coarse for a sweep that
    costs a few ticks a window. Falls back to stat(5) where schedstat is
    missing. Both compare long-lived threads, as the monitor's and the bare
    loop's are."""
    try:
        total_ns = 0
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total_ns += int(f.read().split()[0])
            except FileNotFoundError:
                pass  # the thread ended between the listing and the read
        return total_ns / 1e9
    except (FileNotFoundError, ValueError, IndexError):
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat(5)


def measure_cpu(pid, seconds, check=None):
    """CPU seconds `pid` used over a window of `seconds` of wall time, and the
    wall time measured. `check` is called each second (raises if a process died)."""
    c0, t0 = cpu_seconds(pid), time.monotonic()
    end = t0 + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(1.0, left))
        if check:
            check()
    return cpu_seconds(pid) - c0, time.monotonic() - t0


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: everything started is stopped."""


def _on_sigterm(signum, frame):
    raise Terminated("signal %d" % signum)


class Procs:
    """The processes of one run; stop_all ends each by its pid."""

    def __init__(self):
        self.procs = []  # (what, Popen, log file)
        signal.signal(signal.SIGTERM, _on_sigterm)

    def start(self, what, argv, log_path, **kwargs):
        log = open(log_path, "ab")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, **kwargs)
        self.procs.append((what, proc, log))
        return proc

    def alive(self, proc, what, log_path=None):
        if proc.poll() is not None:
            tail = ""
            if log_path and os.path.exists(log_path):
                with open(log_path, errors="replace") as f:
                    tail = f.read()[-2000:]
            raise RuntimeError("%s exited with %s; log tail:\n%s" % (what, proc.returncode, tail))

    def stop(self, proc, timeout=10):
        for i, (what, p, log) in enumerate(self.procs):
            if p is proc:
                self._end(p, timeout)
                log.close()
                del self.procs[i]
                return p.returncode
        return proc.returncode

    @staticmethod
    def _end(p, timeout):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def stop_all(self):
        # Newest first: the monitor and the exporter before the libvirtd they use.
        while self.procs:
            what, p, log = self.procs.pop()
            try:
                self._end(p, 10)
            except KeyboardInterrupt:  # a second Ctrl-C: still end it, at once
                p.kill()
                p.wait()
            log.close()

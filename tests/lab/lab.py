#!/usr/bin/env python3
"""migration-monitor test lab: several libvirt "nodes" on one host.

Each node is a libvirtd started inside its own mount namespace
(``unshare -m --propagation private``) in which per-node folders are bind
mounted over /run/libvirt, /var/lib/libvirt, /var/cache/libvirt,
/var/log/libvirt and /etc/libvirt. Nodes have distinct host UUIDs and
disjoint port ranges, so live migrations between them are real QEMU
migrations over 127.0.0.1. See /work/shared/notes/lab.md for what was
measured on this kind of machine.

Library use (stdlib only)::

    from lab import Lab
    with Lab(nodes=2) as lab:                 # up() ... down()
        lab.start_guest(1, "g1", 48, "mode=fill")
        res = lab.migrate(1, 2, "g1", bandwidth_mib=8)

Command line::

    python3 tests/lab/lab.py up /tmp/mylab --nodes 2 [--port-base N] [--tls] [--hold]
    python3 tests/lab/lab.py guest /tmp/mylab 1 g1 --memory 48 --cmdline mode=fill
    python3 tests/lab/lab.py migrate /tmp/mylab 1 2 g1 --bandwidth 8 [virsh flags...]
    python3 tests/lab/lab.py down /tmp/mylab

Layout of a lab directory ROOT::

    ROOT/lab.json                 nodes, port_base, tls (read by the CLI)
    ROOT/guest.elf                the multiboot guest kernel (built from guest/)
    ROOT/tls/                     CA and certificate (when TLS is enabled)
    ROOT/migrations/              output of each `virsh migrate`
    ROOT/domains/                 domain XML given to virsh create/define
    ROOT/node-I/etc/libvirt/      libvirtd.conf, qemu.conf   (= /etc/libvirt in the node)
    ROOT/node-I/run/libvirt/      libvirt-sock lives here   (= /run/libvirt)
    ROOT/node-I/var/lib/libvirt/images/   storage pool "default"
    ROOT/node-I/var/log/libvirt/  libvirtd.log, qemu/<dom>.log, qemu/<dom>.serial.log
    ROOT/node-I/libvirtd.pid, ROOT/node-I/daemon.out
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import pwd
import grp
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST_SRC_DIR = os.path.join(HERE, "guest")

DEFAULT_PORT_BASE = 47000
PORTS_PER_NODE = 100  # [base, base+49] migration, [base+50, base+99] remote display
MIGRATION_HOST = "127.0.0.1"

# Paths bind mounted per node: (folder inside the node dir, mount point)
BIND_DIRS = (
    ("run/libvirt", "/run/libvirt"),
    ("var/lib/libvirt", "/var/lib/libvirt"),
    ("var/cache/libvirt", "/var/cache/libvirt"),
    ("var/log/libvirt", "/var/log/libvirt"),
    ("etc/libvirt", "/etc/libvirt"),
)

# QEMU capabilities probed by libvirtd (two emulators, ~15 s of CPU on this
# machine): node-1 probes, the other nodes start from a copy of its cache, and
# a copy kept in DEFAULT_CAPS_CACHE seeds the next lab. libvirt validates every
# cached entry (binary ctimes, versions, kernel, microcode) and probes again
# when one is stale, so a stale copy costs time, never correctness.
CAPS_SUBDIR = "var/cache/libvirt/qemu/capabilities"
DEFAULT_CAPS_CACHE = "/tmp/migmon-lab-qemu-caps"

POOL_NAME = "default"
POOL_PATH = "/var/lib/libvirt/images"  # as seen inside a node

# Executables the lab may leave behind; only these are swept by down().
_LAB_EXECUTABLES = ("libvirtd", "virsh", "unshare", "qemu-io", "qemu-img", "sh", "dash", "dnsmasq")


class LabError(RuntimeError):
    """A lab operation failed; the message carries the relevant log tail."""


class MigrationResult:
    """Outcome of a finished `virsh migrate`."""

    def __init__(self, argv, returncode, output, elapsed):
        self.argv = argv
        self.returncode = returncode
        self.output = output  # stdout and stderr together
        self.elapsed = elapsed  # seconds of wall time of the virsh call

    @property
    def ok(self):
        return self.returncode == 0

    def __repr__(self):
        return "MigrationResult(rc=%d, elapsed=%.2fs, output=%r)" % (self.returncode, self.elapsed, self.output[-200:])


# ---------------------------------------------------------------------------
# /proc helpers
# ---------------------------------------------------------------------------


# Job-stats fields the recorders keep (tests/fixtures/*/README.md, docs/traces.md);
# compression and net-time figures are left out to keep the files small.
JOB_FIELDS = ("type", "operation", "time_elapsed", "time_remaining", "downtime", "downtime_net", "setup_time",
              "data_total", "data_processed", "data_remaining", "memory_total", "memory_processed",
              "memory_remaining", "memory_bps", "memory_dirty_rate", "memory_page_size",
              "memory_iteration", "memory_postcopy_requests", "disk_total", "disk_processed",
              "disk_remaining", "disk_bps", "auto_converge_throttle", "success", "errmsg")


def trim_job_stats(stats):
    """The fields of JOB_FIELDS that a job-stats dict has."""
    return {k: stats[k] for k in JOB_FIELDS if k in stats}


def _read(path, default=""):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return default


def _proc_alive(pid):
    """True if pid exists and is not a zombie."""
    if not pid or pid <= 0:
        return False
    stat = _read("/proc/%d/stat" % pid)
    if not stat:
        return False
    try:
        state = stat[stat.rindex(")") + 2]
    except (ValueError, IndexError):
        return False
    return state not in ("Z", "X")


def _proc_cmdline(pid):
    return [a for a in _read("/proc/%d/cmdline" % pid).split("\0") if a]


def _proc_ppid(pid):
    stat = _read("/proc/%d/stat" % pid)
    try:
        return int(stat[stat.rindex(")") + 2 :].split()[1])
    except (ValueError, IndexError):
        return 0


def _proc_comm(pid):
    return _read("/proc/%d/comm" % pid).strip()


def _proc_mntns(pid):
    try:
        return os.readlink("/proc/%d/ns/mnt" % pid)
    except OSError:
        return None


def _all_pids():
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def _ancestors():
    """Our pid and the pids of all our ancestors (never to be killed)."""
    pids = set()
    pid = os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        pid = _proc_ppid(pid)
    return pids


def _wait_gone(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_proc_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return not any(_proc_alive(p) for p in pids)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(path, lines=40):
    text = _read(path)
    if not text:
        return "(%s is empty or missing)" % path
    return "\n".join(text.splitlines()[-lines:])


# ---------------------------------------------------------------------------
# Host preparation
# ---------------------------------------------------------------------------


def ensure_qemu_accounts():
    """The QEMU driver refuses to start unless user libvirt-qemu and the groups
    libvirt-qemu and kvm exist (it resolves them before reading qemu.conf)."""
    for group in ("libvirt-qemu", "kvm"):
        try:
            grp.getgrnam(group)
        except KeyError:
            subprocess.run(["groupadd", "--system", group], check=True)
    try:
        pwd.getpwnam("libvirt-qemu")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/var/lib/libvirt",
             "--shell", "/usr/sbin/nologin", "--gid", "libvirt-qemu", "libvirt-qemu"],
            check=True,
        )


def build_guest(out_dir):
    """Build guest/ into out_dir; returns the path of guest.elf."""
    res = subprocess.run(["sh", os.path.join(GUEST_SRC_DIR, "build.sh"), out_dir],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    if res.returncode != 0:
        raise LabError("guest build failed:\n" + res.stdout)
    return os.path.join(out_dir, "guest.elf")


def make_tls_dir(tls_dir):
    """A CA plus one certificate used both as server and client certificate,
    subjectAltName IP:127.0.0.1, in the file names QEMU/libvirt expect."""
    os.makedirs(tls_dir, exist_ok=True)

    def ossl(*args):
        res = subprocess.run(["openssl"] + list(args), cwd=tls_dir, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=60)
        if res.returncode != 0:
            raise LabError("openssl %s failed:\n%s" % (" ".join(args), res.stdout))

    ossl("req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-sha256", "-days", "3650",
         "-keyout", "ca-key.pem", "-out", "ca-cert.pem", "-subj", "/CN=migmon-lab-ca",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    with open(os.path.join(tls_dir, "cert.ext"), "w") as f:
        f.write("basicConstraints = critical, CA:FALSE\n"
                "keyUsage = critical, digitalSignature, keyEncipherment\n"
                "extendedKeyUsage = serverAuth, clientAuth\n"
                "subjectAltName = IP:127.0.0.1, DNS:localhost\n")
    ossl("req", "-new", "-nodes", "-newkey", "rsa:2048", "-sha256", "-keyout", "server-key.pem",
         "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    ossl("x509", "-req", "-in", "server.csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem",
         "-CAcreateserial", "-days", "3650", "-sha256", "-extfile", "cert.ext", "-out", "server-cert.pem")
    shutil.copyfile(os.path.join(tls_dir, "server-cert.pem"), os.path.join(tls_dir, "client-cert.pem"))
    shutil.copyfile(os.path.join(tls_dir, "server-key.pem"), os.path.join(tls_dir, "client-key.pem"))
    for name in ("server-key.pem", "client-key.pem", "ca-key.pem"):
        os.chmod(os.path.join(tls_dir, name), 0o600)
    return tls_dir


# ---------------------------------------------------------------------------
# The lab
# ---------------------------------------------------------------------------


class Lab:
    """N libvirtd nodes in private mount namespaces, under root_dir.

    root_dir: lab folder (created; default: a fresh /tmp/migmon-lab-XXXX).
        Keep it under /tmp: the nodes reach each other's sockets through it.
    nodes: number of nodes, named node-1 .. node-N (1-based indices).
    port_base: node i uses ports [port_base + (i-1)*100, +99]; two labs that
        run at the same time need port bases at least 100*nodes apart.
    tls: make a CA and certificate and set migrate_tls_x509_cert_dir.
    start_timeout: seconds to wait for each node to answer.
    caps_cache: folder that keeps libvirt's QEMU capabilities cache between
        labs (None: probe afresh in every lab).
    auto_down: tear the lab down at interpreter exit if down() was not called.
    """

    def __init__(self, root_dir=None, nodes=2, port_base=DEFAULT_PORT_BASE, tls=False,
                 start_timeout=60.0, auto_down=True, caps_cache=DEFAULT_CAPS_CACHE):
        if nodes < 1:
            raise ValueError("nodes must be >= 1")
        if port_base < 5900 or port_base + nodes * PORTS_PER_NODE > 65535:
            raise ValueError("port_base must be >= 5900 and leave %d ports per node below 65536" % PORTS_PER_NODE)
        if root_dir is None:
            root_dir = tempfile.mkdtemp(prefix="migmon-lab-", dir="/tmp")
        self.root = os.path.realpath(root_dir)
        self.nodes = nodes
        self.port_base = port_base
        self.tls = tls
        self.start_timeout = start_timeout
        self.auto_down = auto_down
        self.caps_cache = caps_cache
        self.kernel = os.path.join(self.root, "guest.elf")
        self.up_seconds = None  # wall time of the last up()
        self._daemons = {}  # node index -> Popen of its libvirtd (this process only)
        self._migrations = []  # Popen of `virsh migrate` started here
        self._lock = threading.Lock()
        self._atexit_registered = False
        self._migration_seq = 0
        self._no_tls_nodes = set()

    # -- attach to an existing lab (CLI) ----------------------------------

    @classmethod
    def attach(cls, root_dir, **kwargs):
        """A Lab object for a lab that another process brought up in root_dir."""
        root = os.path.realpath(root_dir)
        state_path = os.path.join(root, "lab.json")
        try:
            with open(state_path) as f:
                state = json.load(f)
        except (OSError, ValueError) as e:
            raise LabError("no lab state at %s: %s" % (state_path, e))
        kwargs.setdefault("auto_down", False)
        return cls(root, nodes=state["nodes"], port_base=state["port_base"], tls=state.get("tls", False), **kwargs)

    # -- naming and paths --------------------------------------------------

    def _check_node(self, i):
        if not isinstance(i, int) or not 1 <= i <= self.nodes:
            raise ValueError("node index must be 1..%d, got %r" % (self.nodes, i))

    def node_name(self, i):
        self._check_node(i)
        return "node-%d" % i

    def node_dir(self, i):
        return os.path.join(self.root, self.node_name(i))

    def host_path(self, i, inner_path):
        """The path, as seen from the host, of a path inside node i's mounts."""
        self._check_node(i)
        for sub, mnt in BIND_DIRS:
            if inner_path == mnt or inner_path.startswith(mnt + "/"):
                return os.path.join(self.node_dir(i), sub) + inner_path[len(mnt):]
        return inner_path

    def socket_path(self, i):
        return os.path.join(self.node_dir(i), "run/libvirt/libvirt-sock")

    def uri(self, i):
        return "qemu+unix:///system?socket=" + self.socket_path(i)

    def pidfile(self, i):
        return os.path.join(self.node_dir(i), "libvirtd.pid")

    def conf_path(self, i):
        return os.path.join(self.node_dir(i), "etc/libvirt/libvirtd.conf")

    def qemu_conf_path(self, i):
        return os.path.join(self.node_dir(i), "etc/libvirt/qemu.conf")

    def log_path(self, i):
        return os.path.join(self.node_dir(i), "var/log/libvirt/libvirtd.log")

    def daemon_out_path(self, i):
        return os.path.join(self.node_dir(i), "daemon.out")

    def tls_dir(self):
        return os.path.join(self.root, "tls")

    def host_uuid(self, i):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "migmon-lab:%s:%d" % (self.root, i)))

    def migration_ports(self, i):
        self._check_node(i)
        base = self.port_base + (i - 1) * PORTS_PER_NODE
        return base, base + PORTS_PER_NODE // 2 - 1

    def display_ports(self, i):
        self._check_node(i)
        base = self.port_base + (i - 1) * PORTS_PER_NODE
        return base + PORTS_PER_NODE // 2, base + PORTS_PER_NODE - 1

    def serial_log_inner(self, name):
        return "/var/log/libvirt/qemu/%s.serial.log" % name

    def serial_log_path(self, i, name):
        """Host path of the serial output of domain `name` while it runs on node i
        (each node has its own file: the destination of a migration starts a new one)."""
        return self.host_path(i, self.serial_log_inner(name))

    def domain_log_path(self, i, name):
        return self.host_path(i, "/var/log/libvirt/qemu/%s.log" % name)

    # -- configuration files -----------------------------------------------

    def _write_state(self):
        state = {"nodes": self.nodes, "port_base": self.port_base, "tls": self.tls,
                 "uris": {str(i): self.uri(i) for i in range(1, self.nodes + 1)}}
        tmp = os.path.join(self.root, "lab.json.tmp")
        with open(tmp, "w") as f:
            json.dump(state, f, indent=2)
        os.replace(tmp, os.path.join(self.root, "lab.json"))

    def _write_libvirtd_conf(self, i):
        conf = (
            "# migration-monitor lab, %(node)s\n"
            "listen_tls = 0\n"
            "listen_tcp = 0\n"
            "unix_sock_group = \"root\"\n"
            "unix_sock_ro_perms = \"0777\"\n"
            "unix_sock_rw_perms = \"0777\"\n"
            "unix_sock_admin_perms = \"0700\"\n"
            "auth_unix_ro = \"none\"\n"
            "auth_unix_rw = \"none\"\n"
            "host_uuid = \"%(uuid)s\"\n"
            "log_outputs = \"3:file:%(log)s\"\n"
        ) % {"node": self.node_name(i), "uuid": self.host_uuid(i), "log": self.log_path(i)}
        with open(self.conf_path(i), "w") as f:
            f.write(conf)

    def _write_qemu_conf(self, i):
        mig_min, mig_max = self.migration_ports(i)
        disp_min, disp_max = self.display_ports(i)
        conf = (
            "# migration-monitor lab, %(node)s\n"
            "user = \"root\"\n"
            "group = \"root\"\n"
            "dynamic_ownership = 0\n"
            "remember_owner = 0\n"
            "security_driver = \"none\"\n"
            "cgroup_controllers = [ ]\n"
            "namespaces = [ ]\n"
            "stdio_handler = \"file\"\n"
            "migration_port_min = %(mig_min)d\n"
            "migration_port_max = %(mig_max)d\n"
            "remote_display_port_min = %(disp_min)d\n"
            "remote_display_port_max = %(disp_max)d\n"
        ) % {"node": self.node_name(i), "mig_min": mig_min, "mig_max": mig_max,
             "disp_min": disp_min, "disp_max": disp_max}
        if self.tls and i not in self._no_tls_nodes:
            conf += "migrate_tls_x509_cert_dir = \"%s\"\n" % self.tls_dir()
        elif self.tls:
            # An empty folder: this node has no migration certificates.
            empty = os.path.join(self.node_dir(i), "no-tls")
            os.makedirs(empty, exist_ok=True)
            conf += "migrate_tls_x509_cert_dir = \"%s\"\n" % empty
        with open(self.qemu_conf_path(i), "w") as f:
            f.write(conf)

    def _prepare_node_dir(self, i):
        nd = self.node_dir(i)
        if os.path.isdir(nd):
            shutil.rmtree(nd)
        for sub, _ in BIND_DIRS:
            os.makedirs(os.path.join(nd, sub))
        os.makedirs(os.path.join(nd, "var/lib/libvirt/images"))
        os.makedirs(os.path.join(nd, "var/log/libvirt/qemu"))
        self._write_libvirtd_conf(i)
        self._write_qemu_conf(i)

    # -- daemons -------------------------------------------------------------

    @staticmethod
    def _copy_caps(src_dir, dst_dir):
        try:
            names = [n for n in os.listdir(src_dir) if n.endswith(".xml")]
        except OSError:
            return 0
        if not names:
            return 0
        os.makedirs(dst_dir, exist_ok=True)
        for n in names:
            tmp = os.path.join(dst_dir, ".%s.%d.tmp" % (n, os.getpid()))
            try:
                shutil.copyfile(os.path.join(src_dir, n), tmp)
                os.chmod(tmp, 0o600)
                os.replace(tmp, os.path.join(dst_dir, n))
            except OSError:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        return len(names)

    def _spawn_daemon(self, i):
        nd = self.node_dir(i)
        lines = ["set -e"]
        for sub, mnt in BIND_DIRS:
            src = os.path.join(nd, sub)
            lines.append("mkdir -p %s" % shlex.quote(mnt))
            lines.append("mount --bind %s %s" % (shlex.quote(src), shlex.quote(mnt)))
        lines.append("exec libvirtd -f %s -p %s" % (shlex.quote(self.conf_path(i)), shlex.quote(self.pidfile(i))))
        script = "\n".join(lines)
        out = open(self.daemon_out_path(i), "ab")
        try:
            out.write(("--- %s starting %s\n" % (time.strftime("%H:%M:%S"), self.node_name(i))).encode())
            out.flush()
            proc = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, close_fds=True, cwd="/",
                env=dict(os.environ, LC_ALL="C"),
            )
        finally:
            out.close()
        self._daemons[i] = proc
        return proc

    def _failure_report(self, i, what):
        return "%s %s\n--- %s (tail)\n%s\n--- %s (tail)\n%s" % (
            self.node_name(i), what, self.log_path(i), _tail(self.log_path(i)),
            self.daemon_out_path(i), _tail(self.daemon_out_path(i)))

    def _wait_node(self, i, timeout):
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            proc = self._daemons.get(i)
            if proc is not None and proc.poll() is not None:
                raise LabError(self._failure_report(i, "libvirtd exited with %s before answering" % proc.returncode))
            if os.path.exists(self.socket_path(i)):
                try:
                    res = subprocess.run(["virsh", "-c", self.uri(i), "version"], stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True, timeout=max(1.0, min(20.0, deadline - time.monotonic())),
                                         env=dict(os.environ, LC_ALL="C"))
                    if res.returncode == 0 and "hypervisor" in res.stdout.lower():
                        return
                    last = res.stdout
                except subprocess.TimeoutExpired:
                    last = "virsh version timed out"
            if time.monotonic() >= deadline:
                raise LabError(self._failure_report(i, "did not answer within %.0f s (last: %s)" % (timeout, last.strip())))
            time.sleep(0.1)

    def _define_pool(self, i):
        self.virsh(i, "pool-define-as", "--name", POOL_NAME, "--type", "dir", "--target", POOL_PATH)
        self.virsh(i, "pool-build", POOL_NAME)
        self.virsh(i, "pool-start", POOL_NAME)
        self.virsh(i, "pool-autostart", POOL_NAME)

    def up(self):
        """Build the guest, write the node configs and start every node.
        On failure the lab is torn down and LabError raised."""
        t0 = time.monotonic()
        if os.geteuid() != 0:
            raise LabError("the lab needs root (bind mounts, libvirtd as root)")
        for tool in ("libvirtd", "virsh", "unshare", "qemu-system-x86_64", "qemu-img", "gcc"):
            if shutil.which(tool) is None:
                raise LabError("%s not found in PATH" % tool)
        os.makedirs(self.root, exist_ok=True)
        if self.lab_processes():
            self.down()  # leftovers of an earlier lab in this folder
        if self.auto_down and not self._atexit_registered:
            atexit.register(self._atexit_down)
            self._atexit_registered = True
        try:
            ensure_qemu_accounts()
            build_guest(self.root)
            if self.tls:
                make_tls_dir(self.tls_dir())
            os.makedirs(os.path.join(self.root, "migrations"), exist_ok=True)
            for i in range(1, self.nodes + 1):
                self._prepare_node_dir(i)
            self._write_state()
            # node-1 first: it probes QEMU (or finds a valid cache), the
            # other nodes then start from a copy of its capabilities cache.
            node1_caps = os.path.join(self.node_dir(1), CAPS_SUBDIR)
            if self.caps_cache:
                self._copy_caps(self.caps_cache, node1_caps)
            self._spawn_daemon(1)
            self._wait_node(1, self.start_timeout)
            if self.caps_cache:
                self._copy_caps(node1_caps, self.caps_cache)
            for i in range(2, self.nodes + 1):
                self._copy_caps(node1_caps, os.path.join(self.node_dir(i), CAPS_SUBDIR))
                self._spawn_daemon(i)
            for i in range(2, self.nodes + 1):
                self._wait_node(i, self.start_timeout)
            for i in range(1, self.nodes + 1):
                self._define_pool(i)
        except BaseException:
            self.down()
            raise
        self.up_seconds = time.monotonic() - t0
        return self

    def node_pid(self, i):
        """pid of node i's libvirtd, or None if it is not running."""
        self._check_node(i)
        proc = self._daemons.get(i)
        if proc is not None and proc.poll() is None:
            return proc.pid
        try:
            pid = int(_read(self.pidfile(i)).strip() or "0")
        except ValueError:
            return None
        if pid and _proc_alive(pid) and self.conf_path(i) in _proc_cmdline(pid):
            return pid
        return None

    def stop_node(self, i, sig=signal.SIGTERM, timeout=20.0):
        """End node i's libvirtd by pid (its QEMU guests keep running).
        sig=SIGKILL simulates a crash. Escalates to SIGKILL after `timeout`."""
        pid = self.node_pid(i)
        if pid is None:
            return
        _kill(pid, sig)
        proc = self._daemons.get(i)
        if not _wait_gone([pid], timeout):
            _kill(pid, signal.SIGKILL)
            _wait_gone([pid], 10.0)
        if proc is not None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self._daemons.pop(i, None)

    def start_node(self, i, timeout=None):
        """Start node i's libvirtd again the same way (it re-adopts running guests)."""
        if self.node_pid(i) is not None:
            return
        self._spawn_daemon(i)
        self._wait_node(i, timeout or self.start_timeout)

    def restart_node(self, i, sig=signal.SIGTERM):
        self.stop_node(i, sig=sig)
        self.start_node(i)

    def enable_tls(self):
        """Make the certificates, set migrate_tls_x509_cert_dir on every node and
        restart the running nodes so they read it (guests are re-adopted)."""
        make_tls_dir(self.tls_dir())
        self.tls = True
        self._write_state()
        for i in range(1, self.nodes + 1):
            self._write_qemu_conf(i)
            if self.node_pid(i) is not None:
                self.restart_node(i)

    def remove_tls_certificates(self, i):
        """Point node i at an empty certificate folder and restart it: an
        encrypted migration to or from it must then fail."""
        self._no_tls_nodes.add(i)
        self._write_qemu_conf(i)
        if self.node_pid(i) is not None:
            self.restart_node(i)

    # -- virsh ---------------------------------------------------------------

    def virsh(self, i, *args, check=True, timeout=60.0):
        """Run `virsh -c URI(i) args...`; returns CompletedProcess (text)."""
        argv = ["virsh", "-c", self.uri(i)] + [str(a) for a in args]
        try:
            res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 timeout=timeout, env=dict(os.environ, LC_ALL="C"))
        except subprocess.TimeoutExpired:
            raise LabError("%s timed out after %.0f s" % (" ".join(argv), timeout))
        if check and res.returncode != 0:
            raise LabError("%s failed (rc=%d): %s%s" % (" ".join(argv), res.returncode, res.stderr.strip(), res.stdout.strip()))
        return res

    def domains(self, i, all_domains=False):
        """Names of the running (or all, with all_domains) domains of node i."""
        args = ["list", "--name"] + (["--all"] if all_domains else [])
        return [l.strip() for l in self.virsh(i, *args).stdout.splitlines() if l.strip()]

    def domstate(self, i, name):
        """State of a domain on node i ('running', 'shut off', ...), None if unknown there."""
        res = self.virsh(i, "domstate", name, check=False)
        return res.stdout.strip() if res.returncode == 0 else None

    def jobinfo(self, i, name, completed=False, keep_completed=True):
        """Job statistics of a domain on node i as a dict of raw typed
        parameters (virsh domjobinfo --rawstats): e.g. 'memory_dirty_rate',
        'memory_iteration', 'time_elapsed', 'memory_remaining', 'type'.
        Empty dict when there is no job."""
        args = ["domjobinfo", name, "--rawstats"]
        if completed:
            args.append("--completed")
            if keep_completed:
                args.append("--keep-completed")
        res = self.virsh(i, *args, check=False, timeout=20)
        if res.returncode != 0:
            return {}
        stats = {}
        for line in res.stdout.splitlines():
            if line.startswith("Job type:"):
                line = "type:" + line[len("Job type:"):]
            m = re.match(r"^\s*([A-Za-z0-9_.]+):\s*(.*)$", line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            try:
                stats[key] = int(value)
            except ValueError:
                try:
                    stats[key] = float(value)
                except ValueError:
                    stats[key] = value
        return stats

    # -- guests and disks ----------------------------------------------------

    def domain_xml(self, name, memory_mib, cmdline, disk=None):
        disk_xml = ""
        if disk:
            path = disk if disk.startswith("/") else POOL_PATH + "/" + disk
            fmt = "qcow2" if path.endswith(".qcow2") else "raw"
            disk_xml = (
                "    <disk type='file' device='disk'>\n"
                "      <driver name='qemu' type='%s'/>\n"
                "      <source file='%s'/>\n"
                "      <target dev='vda' bus='virtio'/>\n"
                "    </disk>\n" % (fmt, xml_escape(path)))
        return (
            "<domain type='qemu'>\n"
            "  <name>%(name)s</name>\n"
            "  <memory unit='MiB'>%(mem)d</memory>\n"
            "  <vcpu>1</vcpu>\n"
            "  <os>\n"
            "    <type arch='x86_64' machine='pc'>hvm</type>\n"
            "    <kernel>%(kernel)s</kernel>\n"
            "    <cmdline>%(cmdline)s</cmdline>\n"
            "  </os>\n"
            "  <clock offset='utc'/>\n"
            "  <on_poweroff>destroy</on_poweroff>\n"
            "  <on_reboot>destroy</on_reboot>\n"
            "  <on_crash>destroy</on_crash>\n"
            "  <devices>\n"
            "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            "%(disk)s"
            "    <controller type='usb' model='none'/>\n"
            "    <serial type='file'>\n"
            "      <source path='%(serial)s'/>\n"
            "      <target port='0'/>\n"
            "    </serial>\n"
            "    <memballoon model='none'/>\n"
            "  </devices>\n"
            "</domain>\n"
        ) % {"name": xml_escape(name), "mem": memory_mib, "kernel": xml_escape(self.kernel),
             "cmdline": xml_escape(cmdline), "disk": disk_xml, "serial": xml_escape(self.serial_log_inner(name))}

    def start_guest(self, node, name, memory_mib, cmdline, disk=None, persistent=False):
        """Define (persistent) or create (transient) and start a guest on node.
        cmdline: guest kernel command line, e.g. 'mode=fill' or
        'mode=dirty rate=256 ws=all'. disk: a volume name in the node's pool
        (see create_disk) or an absolute path inside the node."""
        xml_dir = os.path.join(self.root, "domains")
        os.makedirs(xml_dir, exist_ok=True)
        xml_path = os.path.join(xml_dir, "%s.xml" % name)
        with open(xml_path, "w") as f:
            f.write(self.domain_xml(name, memory_mib, cmdline, disk))
        if persistent:
            self.virsh(node, "define", xml_path)
            self.virsh(node, "start", name)
        else:
            self.virsh(node, "create", xml_path)
        return name

    def wait_serial(self, node, name, text, timeout=30.0):
        """Wait until the guest's serial output on node contains text."""
        path = self.serial_log_path(node, name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in _read(path):
                return _read(path)
            time.sleep(0.1)
        raise LabError("%r not seen on the serial of %s on %s within %.0f s; it holds:\n%s"
                       % (text, name, self.node_name(node), timeout, _read(path)))

    def volume_path(self, node, vol):
        """Host path of a volume in node's pool."""
        return self.host_path(node, POOL_PATH + "/" + vol)

    def create_disk(self, node, vol, size_mib, pattern=0xAB, fill_mib=None):
        """Create a qcow2 volume in node's pool and write `pattern` over its
        first fill_mib MiB (default: all of it) with qemu-io. Returns the volume name."""
        self.create_empty_disk(node, vol, size_mib)
        fill = size_mib if fill_mib is None else fill_mib
        if fill > 0:
            res = subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x%x 0 %dM" % (pattern, fill),
                                  self.volume_path(node, vol)], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, timeout=300)
            if res.returncode != 0:
                raise LabError("qemu-io failed: " + res.stdout)
        return vol

    def create_empty_disk(self, node, vol, size_mib):
        """Create an empty qcow2 volume of size_mib MiB in node's pool."""
        self.virsh(node, "vol-create-as", POOL_NAME, vol, "%dM" % size_mib, "--format", "qcow2")
        return vol

    def create_target_disk(self, src, dst, vol):
        """Create on dst an empty qcow2 of the same virtual size as vol on src
        (what a block migration, --copy-storage-all, needs)."""
        res = self.virsh(src, "vol-info", "--pool", POOL_NAME, vol, "--bytes")
        m = re.search(r"Capacity:\s+(\d+)", res.stdout)
        if not m:
            raise LabError("cannot read the capacity of %s on %s: %s" % (vol, self.node_name(src), res.stdout))
        self.virsh(dst, "vol-create-as", POOL_NAME, vol, m.group(1), "--format", "qcow2")
        return vol

    # -- migration -----------------------------------------------------------

    def migrate_argv(self, src, dst, name, bandwidth_mib=None, extra_flags=(), verbose=False):
        argv = ["virsh", "-c", self.uri(src), "migrate", "--live", "--p2p"]
        if verbose:
            argv.append("--verbose")
        if bandwidth_mib is not None:
            argv += ["--bandwidth", str(bandwidth_mib)]
        argv += [str(f) for f in extra_flags]
        argv += [name, self.uri(dst), "tcp://%s" % MIGRATION_HOST]
        return argv

    def migrate(self, src, dst, name, bandwidth_mib=None, extra_flags=(), wait=True,
                timeout=300.0, check=True, verbose=False):
        """Live peer-to-peer migration of `name` from node src to node dst over
        tcp://127.0.0.1, via `virsh migrate`. extra_flags: e.g.
        ['--copy-storage-all'], ['--postcopy'], ['--tls'], ['--persistent', '--undefinesource'].

        wait=True: returns a MigrationResult (raises LabError if check and it
        failed; aborts the job and raises if it outlasts timeout).
        wait=False: returns the running subprocess.Popen at once; its output
        goes to the file in its attribute `output_path`; finish it with
        wait_migration(proc)."""
        self._check_node(src)
        self._check_node(dst)
        argv = self.migrate_argv(src, dst, name, bandwidth_mib, extra_flags, verbose)
        with self._lock:
            self._migration_seq += 1
            seq = self._migration_seq
        mig_dir = os.path.join(self.root, "migrations")
        os.makedirs(mig_dir, exist_ok=True)
        out_path = os.path.join(mig_dir, "%d-%s-%d-%d.out" % (seq, name, src, dst))
        with open(out_path, "wb") as out:
            out.write(("$ %s\n" % " ".join(shlex.quote(a) for a in argv)).encode())
            out.flush()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    env=dict(os.environ, LC_ALL="C"), start_new_session=True)
        proc.output_path = out_path
        proc.argv = argv
        proc.started = time.monotonic()
        proc.lab_src, proc.lab_name = src, name
        self._migrations.append(proc)
        if not wait:
            return proc
        return self.wait_migration(proc, timeout=timeout, check=check)

    def wait_migration(self, proc, timeout=300.0, check=True):
        """Wait for a migration started with wait=False; returns MigrationResult."""
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.virsh(proc.lab_src, "domjobabort", proc.lab_name, check=False, timeout=20)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            raise LabError("migration did not finish within %.0f s (aborted): %s\n%s"
                           % (timeout, " ".join(proc.argv), _tail(proc.output_path)))
        elapsed = time.monotonic() - proc.started
        text = _read(proc.output_path)
        output = text.split("\n", 1)[1] if "\n" in text else ""
        result = MigrationResult(proc.argv, proc.returncode, output, elapsed)
        if proc in self._migrations:
            self._migrations.remove(proc)
        if check and proc.returncode != 0:
            raise LabError("migration failed (rc=%d): %s\n%s" % (proc.returncode, " ".join(proc.argv), output.strip()))
        return result

    # -- teardown --------------------------------------------------------------

    def lab_processes(self):
        """(pid, argv) of live processes that belong to this lab: libvirtd and
        QEMU started for it, virsh/unshare/qemu-io/... whose command line names
        the lab folder, and anything left in the mount namespace of a live node
        daemon. Never this process or its ancestors."""
        marker = self.root + "/"
        skip = _ancestors()
        namespaces = set()
        for i in range(1, self.nodes + 1):
            pid = self.node_pid(i)
            if pid:
                ns = _proc_mntns(pid)
                if ns and ns != _proc_mntns(os.getpid()):
                    namespaces.add(ns)
        # QEMU pid files of every node (as libvirt writes them)
        qemu_pids = set()
        for i in range(1, self.nodes + 1):
            run_qemu = os.path.join(self.node_dir(i), "run/libvirt/qemu")
            try:
                names = os.listdir(run_qemu)
            except OSError:
                names = []
            for n in names:
                if n.endswith(".pid"):
                    try:
                        qemu_pids.add(int(_read(os.path.join(run_qemu, n)).strip() or "0"))
                    except ValueError:
                        pass
        found = []
        for pid in _all_pids():
            if pid in skip or not _proc_alive(pid):
                continue
            argv = _proc_cmdline(pid)
            if not argv:
                continue
            exe = os.path.basename(argv[0])
            comm = _proc_comm(pid)
            is_qemu = exe.startswith("qemu-system") or comm.startswith("qemu-system")
            ours = False
            if any(marker in a or a == self.root for a in argv):
                ours = is_qemu or exe in _LAB_EXECUTABLES or comm in _LAB_EXECUTABLES
            if not ours and pid in qemu_pids and is_qemu:
                ours = True
            if not ours and namespaces and _proc_mntns(pid) in namespaces:
                ours = True
            if ours:
                found.append((pid, argv))
        return found

    def down(self, remove=False):
        """Destroy every domain on every node, end the daemons by pid, kill
        anything of the lab left over (QEMU, virsh). Safe to call twice, after a
        failure or from another process (Lab.attach). remove=True also deletes
        the lab folder."""
        # 1. migrations started from here
        for proc in list(self._migrations):
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._migrations = []
        # 2. destroy the domains of every live node, in parallel (a destroy
        #    takes ~2 s here: libvirt waits until PID 1 reaps the QEMU zombie)
        targets = []
        for i in range(1, self.nodes + 1):
            if self.node_pid(i) is None:
                continue
            try:
                targets += [(i, name) for name in self.domains(i)]
            except LabError:
                pass
        def destroy(i, name):
            try:
                self.virsh(i, "destroy", name, check=False, timeout=30)
            except LabError:
                pass  # whatever is left is killed below

        threads = [threading.Thread(target=destroy, args=t, daemon=True) for t in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=40)
        # 3. end the daemons by pid
        pids = [p for p in (self.node_pid(i) for i in range(1, self.nodes + 1)) if p]
        leftovers = self.lab_processes()  # taken while the daemons' namespaces are known
        for pid in pids:
            _kill(pid, signal.SIGTERM)
        if not _wait_gone(pids, 10.0):
            for pid in pids:
                _kill(pid, signal.SIGKILL)
            _wait_gone(pids, 10.0)
        # 4. anything else of the lab (guests of a dead node, stray virsh, ...)
        for _ in range(3):
            rest = {pid for pid, _ in leftovers} | {pid for pid, _ in self.lab_processes()}
            rest = [p for p in rest if _proc_alive(p)]
            if not rest:
                break
            for pid in rest:
                _kill(pid, signal.SIGKILL)
            _wait_gone(rest, 10.0)
            leftovers = []
        # 5. reap our own children
        for i, proc in list(self._daemons.items()):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._daemons = {}
        if remove and os.path.isdir(self.root):
            shutil.rmtree(self.root, ignore_errors=True)

    def _atexit_down(self):
        try:
            if any(self.node_pid(i) for i in range(1, self.nodes + 1)) or self.lab_processes():
                self.down()
        except Exception as e:  # never raise from atexit
            sys.stderr.write("lab: teardown at exit failed: %s\n" % e)

    # -- context manager -------------------------------------------------------

    def __enter__(self):
        return self.up()

    def __exit__(self, exc_type, exc, tb):
        self.down()
        return False


def install_signal_handlers():
    """Turn SIGTERM and SIGHUP into SystemExit so that `with Lab()`,
    try/finally and atexit teardowns run (Ctrl-C already raises KeyboardInterrupt)."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if inherited as ignored


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _cmd_up(args):
    lab = Lab(args.dir, nodes=args.nodes, port_base=args.port_base, tls=args.tls,
              start_timeout=args.timeout, auto_down=False)
    try:
        lab.up()
        print("lab up in %.1f s at %s" % (lab.up_seconds, lab.root))
        for i in range(1, lab.nodes + 1):
            print("node-%d pid=%s uri=%s" % (i, lab.node_pid(i), lab.uri(i)))
        sys.stdout.flush()
        if args.hold:
            print("holding; Ctrl-C or SIGTERM tears the lab down")
            sys.stdout.flush()
            while True:
                time.sleep(3600)
    except BaseException:
        lab.down()
        raise
    if args.hold:
        lab.down()
    return 0


def _cmd_down(args):
    root = os.path.realpath(args.dir)
    if not os.path.exists(os.path.join(root, "lab.json")):
        print("no lab at %s" % root)
        return 0
    lab = Lab.attach(root)
    lab.down(remove=args.remove)
    left = lab.lab_processes() if not args.remove else []
    print("lab at %s is down%s" % (root, "" if not left else " (left: %s)" % left))
    return 0 if not left else 1


def _cmd_status(args):
    lab = Lab.attach(args.dir)
    for i in range(1, lab.nodes + 1):
        pid = lab.node_pid(i)
        doms = lab.domains(i, all_domains=True) if pid else []
        print("node-%d pid=%s uri=%s domains=%s" % (i, pid, lab.uri(i), ",".join(doms) or "-"))
    for pid, argv in lab.lab_processes():
        print("  %d %s" % (pid, " ".join(argv)[:160]))
    return 0


def _cmd_guest(args):
    lab = Lab.attach(args.dir)
    disk = None
    if args.disk_mib:
        disk = "%s.qcow2" % args.name
        lab.create_disk(args.node, disk, args.disk_mib)
    lab.start_guest(args.node, args.name, args.memory, args.cmdline, disk=disk, persistent=args.persistent)
    print("%s started on node-%d; serial: %s" % (args.name, args.node, lab.serial_log_path(args.node, args.name)))
    return 0


def _cmd_migrate(args, extra):
    lab = Lab.attach(args.dir)
    if "--copy-storage-all" in extra or "--copy-storage-inc" in extra:
        vol = "%s.qcow2" % args.name
        if os.path.exists(lab.volume_path(args.src, vol)) and not os.path.exists(lab.volume_path(args.dst, vol)):
            lab.create_target_disk(args.src, args.dst, vol)
    proc = lab.migrate(args.src, args.dst, args.name, bandwidth_mib=args.bandwidth, extra_flags=extra,
                       wait=False, verbose=args.verbose)
    if args.no_wait:
        print("migration started, pid %d, output in %s" % (proc.pid, proc.output_path))
        return 0
    res = lab.wait_migration(proc, timeout=args.timeout, check=False)
    sys.stdout.write(res.output)
    print("rc=%d elapsed=%.2fs" % (res.returncode, res.elapsed))
    return res.returncode


def _cmd_node(args):
    lab = Lab.attach(args.dir)
    if args.cmd == "stop-node":
        lab.stop_node(args.node, sig=signal.SIGKILL if args.kill else signal.SIGTERM)
    else:
        lab.start_node(args.node)
    print("node-%d pid=%s" % (args.node, lab.node_pid(args.node)))
    return 0


def _cmd_virsh(args, extra):
    lab = Lab.attach(args.dir)
    res = lab.virsh(args.node, *extra, check=False, timeout=600)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    return res.returncode


def main(argv=None):
    parser = argparse.ArgumentParser(prog="lab.py", description="migration-monitor libvirt test lab")
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("up", help="start a lab in DIR (left running)")
    p.add_argument("dir")
    p.add_argument("--nodes", type=int, default=2)
    p.add_argument("--port-base", type=int, default=DEFAULT_PORT_BASE)
    p.add_argument("--tls", action="store_true", help="certificates for virsh migrate --tls")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each node")
    p.add_argument("--hold", action="store_true", help="stay in the foreground; tear down on Ctrl-C/SIGTERM")

    p = sub.add_parser("down", help="destroy the domains and end every process of the lab in DIR")
    p.add_argument("dir")
    p.add_argument("--remove", action="store_true", help="delete DIR as well")

    p = sub.add_parser("status")
    p.add_argument("dir")

    p = sub.add_parser("guest", help="start a lab guest")
    p.add_argument("dir")
    p.add_argument("node", type=int)
    p.add_argument("name")
    p.add_argument("--memory", type=int, default=48, help="MiB")
    p.add_argument("--cmdline", default="mode=fill", help="e.g. 'mode=dirty rate=256 ws=all'")
    p.add_argument("--disk-mib", type=int, default=0, help="attach a qcow2 NAME.qcow2 of this size filled with 0xab")
    p.add_argument("--persistent", action="store_true")

    p = sub.add_parser("migrate", help="virsh migrate --live --p2p; other flags are passed to virsh")
    p.add_argument("dir")
    p.add_argument("src", type=int)
    p.add_argument("dst", type=int)
    p.add_argument("name")
    p.add_argument("--bandwidth", type=int, default=None, help="MiB/s")
    p.add_argument("--timeout", type=float, default=600.0)
    p.add_argument("--no-wait", action="store_true")
    p.add_argument("--verbose", action="store_true")

    for name in ("stop-node", "start-node"):
        p = sub.add_parser(name)
        p.add_argument("dir")
        p.add_argument("node", type=int)
        if name == "stop-node":
            p.add_argument("--kill", action="store_true", help="SIGKILL instead of SIGTERM")

    p = sub.add_parser("virsh", help="run virsh against a node: virsh DIR NODE -- ARGS")
    p.add_argument("dir")
    p.add_argument("node", type=int)

    args, extra = parser.parse_known_args(argv)
    if extra and args.cmd not in ("migrate", "virsh"):
        parser.error("unrecognized arguments: %s" % " ".join(extra))
    if extra and extra[0] == "--":
        extra = extra[1:]

    install_signal_handlers()
    try:
        if args.cmd == "up":
            return _cmd_up(args)
        if args.cmd == "down":
            return _cmd_down(args)
        if args.cmd == "status":
            return _cmd_status(args)
        if args.cmd == "guest":
            return _cmd_guest(args)
        if args.cmd == "migrate":
            return _cmd_migrate(args, extra)
        if args.cmd in ("stop-node", "start-node"):
            return _cmd_node(args)
        if args.cmd == "virsh":
            return _cmd_virsh(args, extra)
    except LabError as e:
        sys.stderr.write("lab: %s\n" % e)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())

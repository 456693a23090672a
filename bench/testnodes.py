"""Nodes made of libvirt's test driver: one `<node>` XML file per node, each
holding N running `<domain type='test'>` domains, and the daemon that serves
them.

The monitor cannot open `test:///<file>` in process (see docs/benchmarks.md:
its session treats virConnectSetKeepAlive's "not supported" as fatal, and the
in-process test driver has no keepalive), so the files are served by a
libvirtd in session mode running as an unprivileged user, reached at
`test+unix:///<file>?socket=<sock>`. The daemon loads the file named in the
URI at each connection open, so one daemon serves every node.
"""
import os
import time
import uuid

from procs import say

NS = uuid.UUID("6d1c1f0e-6b8e-4f55-9c36-6f2b1f6d0b00")
NOBODY = 65534
# Every guest claims 1 GiB; the test driver reports no free memory, so no node
# ever has room for one: migration objects stay Pending (the scheduler's
# NoTargetNode), which makes them cheap queue and store load.
GUEST_KIB = 1048576


def domain_name(node, index):
    return "n%d-vm-%05d" % (node, index)


def domain_xml(node, index):
    name = domain_name(node, index)
    tap = "t%dx%d" % (node, index)  # interface names are at most 15 characters
    return ("<domain type='test'><name>%s</name><uuid>%s</uuid>"
            "<memory unit='KiB'>%d</memory><currentMemory unit='KiB'>%d</currentMemory><vcpu>1</vcpu>"
            "<os><type arch='x86_64'>hvm</type></os>"
            "<devices><disk type='file' device='disk'><source file='/var/lib/bench/%s.img'/>"
            "<target dev='vda' bus='virtio'/></disk>"
            "<interface type='ethernet'><target dev='%s'/><mac address='52:54:%02x:%02x:%02x:%02x'/></interface>"
            "</devices></domain>\n"
            % (name, uuid.uuid5(NS, name), GUEST_KIB, GUEST_KIB, name, tap,
               node & 0xff, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff))


def write_node_xml(path, node, domains):
    """A test-driver node file with `domains` running domains (named n<node>-vm-NNNNN)."""
    with open(path, "w") as f:
        f.write("<node>\n<cpu><mhz>2000</mhz><model>i686</model><active>2</active><nodes>1</nodes>"
                "<sockets>1</sockets><cores>2</cores><threads>1</threads></cpu>\n"
                "<memory>%d</memory>\n" % (64 * 1024 * 1024))
        for i in range(domains):
            f.write(domain_xml(node, i))
        f.write("</node>\n")
    os.chmod(path, 0o644)
    return [domain_name(node, i) for i in range(domains)]


class TestDaemon:
    """A session-mode libvirtd (user nobody, its own HOME and XDG folders
    under `folder`) that serves test-driver XML files over a unix socket."""

    def __init__(self, procs, folder):
        self.procs = procs
        self.folder = folder
        self.home = os.path.join(folder, "libvirtd")
        self.socket = os.path.join(self.home, "run", "libvirt", "libvirt-sock")
        self.log_path = os.path.join(folder, "libvirtd.log")
        self.proc = None

    def start(self):
        for sub in ("home", "run", "config", "cache"):
            os.makedirs(os.path.join(self.home, sub), exist_ok=True)
        for root, dirs, _ in os.walk(self.home):
            os.chown(root, NOBODY, NOBODY)
        os.chmod(self.folder, 0o755)
        env = {"HOME": os.path.join(self.home, "home"), "XDG_RUNTIME_DIR": os.path.join(self.home, "run"),
               "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
               "XDG_CACHE_HOME": os.path.join(self.home, "cache"), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        self.proc = self.procs.start(
            "libvirtd", ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                         "libvirtd", "--timeout", "0"], self.log_path, env=env)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.socket):
            self.procs.alive(self.proc, "libvirtd", self.log_path)
            if time.monotonic() > deadline:
                raise RuntimeError("libvirtd made no socket at %s in 20 s" % self.socket)
            time.sleep(0.05)
        say("test-driver libvirtd up (pid %d), socket %s" % (self.proc.pid, self.socket))
        return self

    def uri(self, xml_path):
        return "test+unix://%s?socket=%s" % (xml_path, self.socket)

"""A small client of migration-monitor's KubeVirt-compatible API for the lab
tests: requests, watches collected on a thread, and waits. Standard library
only."""
import http.client
import json
import threading
import time
import urllib.parse

MIGRATIONS = "/apis/kubevirt.io/v1/namespaces/%s/virtualmachineinstancemigrations"
ALL_MIGRATIONS = "/apis/kubevirt.io/v1/virtualmachineinstancemigrations"

SEED = """apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceMigration
metadata:
  name: test-vmi-migration
spec:
  vmiName: test-vmi
"""


def migration(vmi, name=None, selector=None, priority=None):
    obj = {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstanceMigration",
           "metadata": {"name": name} if name else {"generateName": vmi + "-"}, "spec": {"vmiName": vmi}}
    if selector:
        obj["spec"]["addedNodeSelector"] = selector
    if priority:
        obj["spec"]["priority"] = priority
    return obj


class Api:
    def __init__(self, monitor, token=None):
        self.port = monitor.port
        self.token = token

    def request(self, method, path, body=None, content_type="application/json", headers=None, timeout=10):
        """(status, parsed JSON or text, response headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if self.token:
            h.setdefault("Authorization", "Bearer " + self.token)
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            data = data.encode() if isinstance(data, str) else data
            h["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        text = r.read().decode()
        conn.close()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return r.status, parsed, dict(r.getheaders())

    def create(self, ns, obj, **kw):
        return self.request("POST", MIGRATIONS % ns, obj, **kw)

    def get(self, ns, name):
        return self.request("GET", (MIGRATIONS % ns) + "/" + name)

    def delete(self, ns, name):
        return self.request("DELETE", (MIGRATIONS % ns) + "/" + name)

    def list(self, ns=None, **params):
        path = (MIGRATIONS % ns) if ns else ALL_MIGRATIONS
        if params:
            path += "?" + urllib.parse.urlencode(params)
        return self.request("GET", path)

    def phase(self, ns, name):
        status, obj, _ = self.get(ns, name)
        return obj.get("status", {}).get("phase") if status == 200 else None

    def wait_phase(self, ns, name, phases, timeout=120):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.phase(ns, name)
            if last in phases:
                return last
            time.sleep(0.2)
        raise AssertionError("%s/%s still %s after %d s (want %s)" % (ns, name, last, timeout, phases))

    def watch(self, ns=None, **params):
        return Watch(self, ns, params)


class Watch:
    """A ?watch=true stream read on a thread; events land in .events."""

    def __init__(self, api, ns, params):
        self.events = []
        self.status = None
        self.closed = threading.Event()
        params = dict(params, watch="true")
        path = ((MIGRATIONS % ns) if ns else ALL_MIGRATIONS) + "?" + urllib.parse.urlencode(params)
        self.conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=600)
        headers = {"Authorization": "Bearer " + api.token} if api.token else {}
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                if line.strip():
                    self.events.append(json.loads(line))
        except Exception:  # the stream was closed under us: that is how it ends
            pass
        finally:
            self.closed.set()

    def close(self):
        # Shut the socket down and let the reader thread see the end.
        try:
            self.conn.sock.shutdown(2)
        except (OSError, AttributeError):
            pass
        self.closed.wait(5)

    def of(self, name):
        return [e for e in self.events if e.get("object", {}).get("metadata", {}).get("name") == name]

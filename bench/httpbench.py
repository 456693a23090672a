"""HTTP timing helpers: latency samples over fresh or kept-alive connections,
percentiles, and the API's creates, lists and watch. Standard library only."""
import http.client
import json
import threading
import time

MIGRATIONS = "/apis/kubevirt.io/v1/namespaces/%s/virtualmachineinstancemigrations"
ALL_MIGRATIONS = "/apis/kubevirt.io/v1/virtualmachineinstancemigrations"
VMIS = "/apis/kubevirt.io/v1/virtualmachineinstances"


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))  # ceil(p/100 * n)
    return ordered[min(rank, len(ordered)) - 1]


class HttpError(RuntimeError):
    pass


def get(conn, path, expect=200):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status != expect:
        raise HttpError("GET %s: %d %s" % (path, r.status, body[:300]))
    return body


def latencies(port, path, count, max_seconds, keep_alive, timeout=30):
    """Seconds per GET of `path`: over one kept-alive HTTP/1.1 connection, or a
    new connection each time. Stops at `count` samples or `max_seconds`
    (at least 3 samples). Returns (samples, bytes of the last body)."""
    samples = []
    size = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout) if keep_alive else None
    if conn:
        get(conn, path)  # connect and warm up: the figure is the request, not the handshake
    deadline = time.monotonic() + max_seconds
    try:
        while len(samples) < count and (len(samples) < 3 or time.monotonic() < deadline):
            t0 = time.perf_counter()
            if keep_alive:
                body = get(conn, path)
            else:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                try:
                    body = get(c, path)
                finally:
                    c.close()
            samples.append(time.perf_counter() - t0)
            size = len(body)
    finally:
        if conn:
            conn.close()
    return samples, size


def migration_body(vmi, ns="default"):
    return json.dumps({"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstanceMigration",
                       "metadata": {"name": "bench-" + vmi, "namespace": ns},
                       "spec": {"vmiName": vmi}}).encode()


class Creator:
    """POSTs one migration per VMI, taking VMI names from a shared iterator,
    each client on its own kept-alive connection."""

    def __init__(self, port, vmis, ns="default"):
        self.port = port
        self.vmis = vmis
        self.ns = ns
        self.lock = threading.Lock()
        self.created = 0
        self.errors = []

    def next_vmi(self):
        with self.lock:
            return next(self.vmis, None)

    def post(self, conn, vmi):
        t0 = time.perf_counter()
        conn.request("POST", MIGRATIONS % self.ns, body=migration_body(vmi, self.ns),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        elapsed = time.perf_counter() - t0
        if r.status != 201:
            raise HttpError("POST for VMI %s: %d %s" % (vmi, r.status, body[:300]))
        return elapsed

    def run(self, clients, count, max_seconds=None, progress=None):
        """Creates `count` objects with `clients` threads (fewer if time runs
        out). Returns (per-request seconds, wall seconds, objects created)."""
        remaining = [count]
        samples = []
        deadline = time.monotonic() + max_seconds if max_seconds else None
        stop = threading.Event()

        def take():
            with self.lock:
                if remaining[0] <= 0 or stop.is_set() or (deadline and time.monotonic() > deadline):
                    return None
                vmi = next(self.vmis, None)
                if vmi is not None:
                    remaining[0] -= 1
                return vmi

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                while True:
                    vmi = take()
                    if vmi is None:
                        return
                    elapsed = self.post(conn, vmi)
                    with self.lock:
                        samples.append(elapsed)
                        self.created += 1
            except Exception as e:  # noqa: BLE001: reported by run()
                with self.lock:
                    self.errors.append(repr(e))
                stop.set()
            finally:
                conn.close()

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        while True:
            alive = [t for t in threads if t.is_alive()]
            if not alive:
                break
            alive[0].join(5)
            if progress and alive[0].is_alive():
                progress(len(samples), time.perf_counter() - t0)
        wall = time.perf_counter() - t0
        if self.errors:
            raise HttpError("creates failed: %s" % self.errors[0])
        return samples, wall, len(samples)


def watch_initial(port, expect, timeout):
    """Seconds from sending GET ?watch=true (no resourceVersion) until `expect`
    ADDED events arrived; (seconds, events seen)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.perf_counter()
    added = 0
    try:
        conn.request("GET", ALL_MIGRATIONS + "?watch=true&timeoutSeconds=%d" % max(1, int(timeout)))
        r = conn.getresponse()
        if r.status != 200:
            raise HttpError("watch: %d %s" % (r.status, r.read()[:300]))
        deadline = time.monotonic() + timeout
        while added < expect and time.monotonic() < deadline:
            line = r.readline()
            if not line:
                break
            if line.strip() and json.loads(line).get("type") == "ADDED":
                added += 1
        return time.perf_counter() - t0, added
    finally:
        try:
            conn.sock and conn.sock.shutdown(2)
        except OSError:
            pass
        conn.close()

"""Every hostile or malformed request of issue 8, sent raw to the real binary.

Each once crashed, hung or fooled the monitor; each must now get the exact
status code (a JSON Kubernetes Status on API paths) while the process keeps
serving. The one node is unreachable on purpose: no lab is needed, and a
migration for a VMI that could be on it must answer 503, not 404.
Standard library only; loopback only.
"""
import json
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab"))
from monitor import UnreachableNodeMonitor  # noqa: E402

COLLECTION = "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations"


def alias_bomb():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        lines.append("a%d: &a%d [%s]" % (level, level, ",".join(["*a%d" % (level - 1)] * 9)))
    return "\n".join(lines) + "\n"


class Answer:
    def __init__(self, raw):
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        self.headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            self.headers[key.strip().lower()] = value.strip()
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._unchunk(body)
        self.body = body

    @staticmethod
    def _unchunk(data):
        out = b""
        while data:
            size_line, _, rest = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            out += rest[:size]
            data = rest[size + 2:]
        return out

    def json(self):
        return json.loads(self.body)


class HostileRequests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.monitor = UnreachableNodeMonitor(prefix="migmon-hostile-")
        try:
            cls.monitor.start()
        except BaseException:
            cls.monitor.stop()
            raise
        cls.port = cls.monitor.port

    @classmethod
    def tearDownClass(cls):
        cls.monitor.stop()

    @classmethod
    def send(cls, raw, timeout=10.0):
        with socket.create_connection(("127.0.0.1", cls.port), timeout=timeout) as s:
            s.sendall(raw)
            chunks = []
            while True:
                try:
                    data = s.recv(65536)
                except ConnectionResetError:
                    break
                if not data:
                    break
                chunks.append(data)
        return Answer(b"".join(chunks))

    def request(self, method, path, body=b"", content_type="application/json", extra=""):
        if isinstance(body, str):
            body = body.encode()
        head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s" % (method, path, extra)
        if body or method in ("POST", "PUT"):
            head += "Content-Type: %s\r\nContent-Length: %d\r\n" % (content_type, len(body))
        return self.send(head.encode() + b"\r\n" + body)

    def assertStatus(self, answer, code, reason=None, message_part=None):
        self.assertEqual(answer.status, code, answer.body[:300])
        status = answer.json()
        self.assertEqual(status.get("kind"), "Status", status)
        self.assertEqual(status.get("code"), code, status)
        if reason:
            self.assertEqual(status.get("reason"), reason, status)
        if message_part:
            self.assertIn(message_part, status.get("message", ""), status)

    def tearDown(self):
        # Whatever a request did, the process is alive and monitoring answers.
        self.assertTrue(self.monitor.alive(), "the monitor exited; log: %s" % self.monitor.log_tail())
        self.assertEqual(self.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200)

    # Crashes and denial of service.
    def test_recursive_alias_is_400(self):
        self.assertStatus(self.request("POST", COLLECTION, "&a [*a]", "application/yaml"), 400, "BadRequest")
        self.assertStatus(self.request("POST", COLLECTION, "spec: &s {vmiName: x, x: *s}", "application/yaml"),
                          400, "BadRequest", "contains it")

    def test_deep_json_is_400(self):
        self.assertStatus(self.request("POST", COLLECTION, "[" * 70000 + "]" * 70000), 400, "BadRequest",
                          "nested deeper")
        self.assertStatus(self.request("POST", COLLECTION, '{"a":' + "[" * 5000 + "]" * 5000 + "}"), 400)

    def test_alias_bomb_is_400(self):
        self.assertStatus(self.request("POST", COLLECTION, alias_bomb(), "application/yaml"), 400, "BadRequest")

    def test_one_comma_of_yaml_is_400(self):
        self.assertStatus(self.request("POST", COLLECTION, ",", "application/yaml"), 400, "BadRequest")

    def test_chunked_body_over_the_limit_is_413(self):
        chunk = b"x" * 65536
        body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(24)) + b"0\r\n\r\n"
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % COLLECTION).encode()
        self.assertStatus(self.send(head + body), 413)

    def test_two_content_lengths_are_400(self):
        answer = self.send(("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" % COLLECTION).encode())
        self.assertEqual(answer.status, 400)

    def test_negative_content_length_is_400_at_once(self):
        start = time.monotonic()
        answer = self.send(("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                            "Content-Length: -1\r\n\r\n" % COLLECTION).encode())
        self.assertEqual(answer.status, 400)
        self.assertLess(time.monotonic() - start, 3.0)  # it waited 5 s for a body before

    # Wrong answers.
    def test_dry_run_must_be_all(self):
        body = '{"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",' \
               '"metadata":{"name":"m"},"spec":{"vmiName":"v"}}'
        # kube-apiserver's answer to an unsupported option: 422 Invalid CreateOptions/DeleteOptions.
        self.assertStatus(self.request("POST", COLLECTION + "?dryRun=bogus", body), 422, "Invalid", "All")
        self.assertStatus(self.request("DELETE", COLLECTION + "/m?dryRun=bogus"), 422, "Invalid", "All")

    def test_null_name_is_absent_as_kube_prunes_it(self):
        # It answered 500 in plain text. With generateName the request goes on
        # to the VMI lookup (503: the one node is down); without, a name is missing.
        body = '{"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",' \
               '"metadata":{"name":null%s},"spec":{"vmiName":"v"}}'
        self.assertStatus(self.request("POST", COLLECTION, body % ',"generateName":"m-"'), 503, "ServiceUnavailable")
        self.assertStatus(self.request("POST", COLLECTION, body % ""), 422, "Invalid")

    def test_numbers_and_bytes_json_cannot_hold_are_400(self):
        self.assertStatus(self.request("POST", COLLECTION, '{"spec":{"x":1e400}}'), 400, "BadRequest")
        self.assertStatus(self.request("POST", COLLECTION, b"metadata:\n  name: \xff\n", "application/yaml"),
                          400, "BadRequest")

    def test_watch_timeout_must_be_a_number(self):
        self.assertStatus(self.request("GET", COLLECTION + "?watch=true&timeoutSeconds=abc"), 400)

    def test_watch_from_a_future_resource_version_is_504(self):
        start = time.monotonic()
        answer = self.request("GET", COLLECTION + "?watch=true&resourceVersion=999999999")
        self.assertLess(time.monotonic() - start, 8.0)
        if answer.status == 200:  # kube may also send the Status as the stream's one ERROR event
            event = json.loads(answer.body.decode().strip().splitlines()[0])
            self.assertEqual(event["type"], "ERROR")
            status = event["object"]
        else:
            self.assertEqual(answer.status, 504)
            status = answer.json()
        self.assertEqual(status["code"], 504, status)
        self.assertEqual(status["reason"], "Timeout", status)
        causes = status.get("details", {}).get("causes", [])
        self.assertIn("ResourceVersionTooLarge", [c.get("reason") for c in causes], status)

    def test_known_paths_with_other_methods_are_405_with_allow(self):
        for method, path in (("POST", COLLECTION + "/m"), ("DELETE", COLLECTION), ("OPTIONS", COLLECTION)):
            answer = self.request(method, path, "{}" if method == "POST" else b"")
            self.assertEqual(answer.status, 405, (method, path, answer.body[:200]))
            self.assertTrue(answer.headers.get("allow"), (method, path, answer.headers))

    def test_http11_without_host_is_400(self):
        answer = self.send(b"GET /version HTTP/1.1\r\nConnection: close\r\n\r\n")
        self.assertEqual(answer.status, 400)

    def test_migration_for_a_vmi_on_an_unreachable_node_is_503(self):
        body = '{"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",' \
               '"metadata":{"name":"m"},"spec":{"vmiName":"somewhere"}}'
        self.assertStatus(self.request("POST", COLLECTION, body), 503, "ServiceUnavailable", "node-1")

    def test_unknown_path_is_a_404_status(self):
        self.assertStatus(self.request("GET", "/apis/kubevirt.io/v1/nothing-here"), 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)

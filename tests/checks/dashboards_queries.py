#!/usr/bin/env python3
"""Checks dashboards/*.json against the monitor's metrics and a real Prometheus.

For each dashboard: the JSON parses; schemaVersion is pinned; a `datasource`
variable of type datasource (prometheus) exists and every panel and query
variable uses ${datasource}; uid and title are set; no query hard-codes a
namespace; every variable a query uses is defined (or a Grafana built-in) and
multi-value variables are matched with =~. Every metric a query names is
declared by the monitor (`$MIGMON_BINARY print-metrics-doc`, or docs/metrics.md
when MIGMON_BINARY is unset), histograms only through _bucket/_sum/_count, and
the labels queries match, group by and put in legends are declared labels.
Then every query (panel targets, nested rows included, and the selectors of
label_values() variables), with the variables substituted, is evaluated by a
real Prometheus through /api/v1/query and must return status "success".

The Prometheus scrapes tests/golden/metrics.txt, served from this process, so
the report also says how many queries returned data; an empty result does not
fail here (the lab's end-to-end test checks data against a live monitor).

Importable (tests/checks is not a package: put it on sys.path):
    dashboard_queries(path, substitutions=None) -> [Query]   (.dashboard .panel/.title
                                                  .ref_id .expr .raw .instant ...)
    variable_queries(path, substitutions=None)  -> [Query]
    declared_metrics(binary=None)               -> {name: Metric}
    Prometheus(scrape_targets=(), scrape_interval="1s")   context manager,
        .query(expr) -> the decoded /api/v1/query answer
Standard library only.
"""
import collections
import glob
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DASHBOARD_DIR = os.path.join(REPO, "dashboards")
EXPECTED_DASHBOARDS = ("migration-fleet.json", "migration-detail.json")
METRICS_DOC = os.path.join(REPO, "docs", "metrics.md")
FIXTURE = os.path.join(REPO, "tests", "golden", "metrics.txt")

DATASOURCE_REF = {"type": "prometheus", "uid": "${datasource}"}

# What Grafana's built-in variables become when a query is evaluated outside
# Grafana. Dashboard variables default to ".*" (their "All" value).
BUILTINS = {
    "__rate_interval": "1m",
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
}
ALL_VALUE = ".*"

# Labels Prometheus adds to every scraped series.
TARGET_LABELS = {"job", "instance"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

class Query(collections.namedtuple("Query", "dashboard panel ref_id expr raw instant legend panel_id")):
    """One query of a dashboard.

    dashboard: the file's base name; panel (also .title): the panel's title (or
    "variable NAME"); ref_id: the target's refId; expr: with variables
    substituted; raw: as in the file; instant: True for instant targets
    (tables, range-wide stats); legend: the legendFormat; panel_id: the panel's
    id (None for variables).
    """
    __slots__ = ()

    @property
    def title(self):
        return self.panel

Metric = collections.namedtuple("Metric", "name type labels")

_VAR_REF = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$([A-Za-z_]\w*)")
_METRIC_TOKEN = re.compile(r"\bmigmon_[a-z0-9_]+")
_SELECTOR = re.compile(r"\b(migmon_[a-z0-9_]+)\s*\{([^}]*)\}")
_MATCHER = re.compile(r'([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_LEGEND_LABEL = re.compile(r"\{\{\s*([a-zA-Z_]\w*)\s*\}\}")
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_]\w*)\s*\)\s*$", re.S)
NAMESPACE_LABELS = ("namespace", "exported_namespace", "kubernetes_namespace")


# --------------------------------------------------------------------------- extraction

def load_dashboard(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def iter_panels(panels):
    """Every panel, the panels of rows (collapsed rows nest them) included."""
    for panel in panels or []:
        yield panel
        if panel.get("type") == "row":
            yield from iter_panels(panel.get("panels"))


def variables(dashboard):
    return dashboard.get("templating", {}).get("list", [])


def default_substitutions(dashboard):
    """Grafana built-ins, and each variable as its All value (".*").

    Interval, constant and textbox variables take their current value;
    datasource variables are left alone (they never appear in an expr).
    """
    values = dict(BUILTINS)
    for var in variables(dashboard):
        kind, name = var.get("type"), var.get("name")
        if not name or kind == "datasource":
            continue
        if kind in ("interval", "constant", "textbox"):
            current = (var.get("current") or {}).get("value")
            values[name] = current if isinstance(current, str) and current else var.get("query", "")
        else:
            values[name] = var.get("allValue") or ALL_VALUE
    return values


def regex_value(values):
    """Several values as Grafana sends them to Prometheus: (a|b), regex characters escaped
    (doubled backslashes: one for the PromQL string literal, one for the regex)."""
    def escape(v):
        return re.sub(r"([\\$^*{}\[\]'+?.()|])", r"\\\\\1", v)
    values = [str(v) for v in values]
    return escape(values[0]) if len(values) == 1 else "(" + "|".join(map(escape, values)) + ")"


def substitute(expr, values):
    """Replaces $name, ${name}, ${name:fmt} and [[name]] found in values.

    A string value goes in as it is (so ".*" or a plain name); a list or tuple
    becomes a regex alternation of its escaped members, like a multi-value
    selection in Grafana.
    """
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            return m.group(0)
        value = values[name]
        return regex_value(value) if isinstance(value, (list, tuple)) else str(value)
    return _VAR_REF.sub(repl, expr)


def _values_for(dashboard, substitutions):
    values = default_substitutions(dashboard)
    values.update(substitutions or {})
    return values


def dashboard_queries(path, substitutions=None):
    """Every panel target's expr of the dashboard at path, as [Query].

    substitutions ({"node": "node-1", "vmi": ["web", "db"], "__range": "5m", ...})
    override the defaults: variables become ".*", $__rate_interval and
    $__interval "1m", $__range "1h". ${datasource} is never touched.
    """
    dashboard = load_dashboard(path)
    values = _values_for(dashboard, substitutions)
    name = os.path.basename(path)
    out = []
    for panel in iter_panels(dashboard.get("panels")):
        for target in panel.get("targets") or []:
            raw = target.get("expr")
            if not isinstance(raw, str) or not raw.strip():
                continue
            instant = bool(target.get("instant")) and not target.get("range")
            out.append(Query(name, panel.get("title", "?"), target.get("refId", "?"),
                             substitute(raw, values), raw, instant,
                             target.get("legendFormat", ""), panel.get("id")))
    return out


def variable_query_text(var):
    query = var.get("query")
    if isinstance(query, dict):
        query = query.get("query")
    return query if isinstance(query, str) else ""


def variable_queries(path, substitutions=None):
    """The selector of each label_values(selector, label) query variable, as [Query]."""
    dashboard = load_dashboard(path)
    values = _values_for(dashboard, substitutions)
    out = []
    for var in variables(dashboard):
        if var.get("type") != "query":
            continue
        m = _LABEL_VALUES.match(variable_query_text(var))
        if m:
            out.append(Query(os.path.basename(path), "variable " + var.get("name", "?"), "var",
                             substitute(m.group(1), values), m.group(1), True, "", None))
    return out


# --------------------------------------------------------------------------- declared metrics

def parse_metrics_doc(text):
    """docs/metrics.md tables -> {name: Metric}."""
    out = {}
    for line in text.splitlines():
        if not line.startswith("| `migmon_"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        name = cells[0].strip("`")
        labels = frozenset(re.findall(r"`([a-zA-Z_]\w*)`", cells[2]))
        out[name] = Metric(name, cells[1], labels)
    return out


def declared_metrics(binary=None):
    """From `binary print-metrics-doc` (default $MIGMON_BINARY), else docs/metrics.md."""
    binary = binary if binary is not None else os.environ.get("MIGMON_BINARY")
    if binary:
        proc = subprocess.run([binary, "print-metrics-doc"], capture_output=True, text=True,
                              timeout=60)
        if proc.returncode != 0:
            raise RuntimeError("%s print-metrics-doc exited %d: %s"
                               % (binary, proc.returncode, proc.stderr.strip()))
        text, source = proc.stdout, binary + " print-metrics-doc"
    else:
        with open(METRICS_DOC, encoding="utf-8") as f:
            text, source = f.read(), os.path.relpath(METRICS_DOC, REPO)
    metrics = parse_metrics_doc(text)
    if not metrics:
        raise RuntimeError("no metric declared in the output of " + source)
    return metrics


# --------------------------------------------------------------------------- static checks

def _multi_variables(dashboard):
    return {v.get("name") for v in variables(dashboard)
            if v.get("multi") or v.get("includeAll")}


def check_metric_names(expr, declared):
    problems = []
    for token in sorted(set(_METRIC_TOKEN.findall(expr))):
        metric = declared.get(token)
        if metric is not None:
            if metric.type == "histogram":
                problems.append("%s is a histogram: query it through _bucket, _sum or _count" % token)
            continue
        base = next((token[:-len(s)] for s in HISTOGRAM_SUFFIXES if token.endswith(s)), None)
        if base and base in declared and declared[base].type == "histogram":
            continue
        problems.append("%s is not a metric the monitor declares" % token)
    return problems


def check_labels(expr, legend, declared):
    problems = []
    all_labels = set(TARGET_LABELS) | {"le"}
    for metric in declared.values():
        all_labels |= metric.labels
    for name, body in _SELECTOR.findall(expr):
        base = next((name[:-len(s)] for s in HISTOGRAM_SUFFIXES
                     if name.endswith(s) and name[:-len(s)] in declared), name)
        metric = declared.get(base)
        if metric is None:
            continue  # reported by check_metric_names
        allowed = set(metric.labels) | TARGET_LABELS
        if name.endswith("_bucket"):
            allowed.add("le")
        for label, _, _ in _MATCHER.findall(body):
            if label not in allowed:
                problems.append("%s has no label %r" % (name, label))
    for group in _GROUPING.findall(expr):
        for label in filter(None, (l.strip() for l in group.split(","))):
            if label not in all_labels:
                problems.append("no metric has the label %r (in by/on/group)" % label)
    for label in _LEGEND_LABEL.findall(legend or ""):
        if label not in all_labels | {"__name__"}:
            problems.append("legend uses {{%s}}, a label no metric has" % label)
    return problems


def check_variable_use(raw, dashboard):
    problems = []
    defined = {v.get("name") for v in variables(dashboard)}
    for m in _VAR_REF.finditer(raw):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in defined and name not in BUILTINS:
            problems.append("uses $%s, which is neither a variable of the dashboard nor a built-in" % name)
    multi = _multi_variables(dashboard)
    for label, op, value in _MATCHER.findall(raw):
        for m in _VAR_REF.finditer(value):
            name = m.group(1) or m.group(2) or m.group(3)
            if name in multi and op not in ("=~", "!~"):
                problems.append('%s%s"%s": $%s is multi-value/All, match it with =~'
                                % (label, op, value, name))
        if label in NAMESPACE_LABELS and "$namespace" not in value and "${namespace" not in value:
            problems.append('hard-codes a namespace: %s%s"%s" (use $namespace)' % (label, op, value))
    return problems


def check_structure(dashboard, name):
    problems = []
    sv = dashboard.get("schemaVersion")
    if not isinstance(sv, int) or isinstance(sv, bool) or sv < 30:
        problems.append("schemaVersion must be pinned to an integer >= 30, found %r" % (sv,))
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
        problems.append("uid must be a fixed string of up to 40 [A-Za-z0-9_-], found %r" % (uid,))
    if not isinstance(dashboard.get("title"), str) or not dashboard["title"].strip():
        problems.append("title is missing")
    if dashboard.get("id") is not None:
        problems.append("id must be null so that the dashboard imports anywhere")

    vars_by_name = {v.get("name"): v for v in variables(dashboard)}
    ds = vars_by_name.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.append("needs a variable `datasource` of type datasource with query prometheus")
    node = vars_by_name.get("node")
    if not node or "label_values(migmon_libvirt_up, node)" not in variable_query_text(node).replace("  ", " "):
        problems.append("needs a variable `node` = label_values(migmon_libvirt_up, node)")
    for var in variables(dashboard):
        if var.get("type") == "query" and var.get("datasource") not in (DATASOURCE_REF, "${datasource}", "$datasource"):
            problems.append("variable %s: datasource must be ${datasource}, found %r"
                            % (var.get("name"), var.get("datasource")))
    ns = vars_by_name.get("namespace")
    if ns:
        current = (ns.get("current") or {}).get("value")
        values = current if isinstance(current, list) else [current]
        if any(v not in (None, "", "$__all") for v in values):
            problems.append("variable namespace: current value hard-codes %r (leave it at All)" % (current,))

    seen_ids = set()
    for panel in iter_panels(dashboard.get("panels")):
        title = panel.get("title", "?")
        pid = panel.get("id")
        if pid in seen_ids:
            problems.append("panel %r: id %r is used twice" % (title, pid))
        seen_ids.add(pid)
        if "gridPos" not in panel:
            problems.append("panel %r: no gridPos" % title)
        for link in panel.get("links", []) + [l for o in panel.get("fieldConfig", {}).get("overrides", [])
                                               for p in o.get("properties", []) if p.get("id") == "links"
                                               for l in p.get("value", [])]:
            if re.search(r"var-namespace=[^$&]", link.get("url", "")):
                problems.append("panel %r: a link hard-codes a namespace" % title)
        if panel.get("type") == "row":
            continue
        if panel.get("datasource") != DATASOURCE_REF:
            problems.append("panel %r: datasource must be %s, found %r"
                            % (title, json.dumps(DATASOURCE_REF), panel.get("datasource")))
        targets = panel.get("targets") or []
        if not targets and panel.get("type") not in ("text", "news", "dashlist"):
            problems.append("panel %r: no query" % title)
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs):
            problems.append("panel %r: refIds repeat: %r" % (title, refs))
        for t in targets:
            if "datasource" in t and t["datasource"] != DATASOURCE_REF:
                problems.append("panel %r/%s: target datasource must be ${datasource}, found %r"
                                % (title, t.get("refId"), t["datasource"]))
            if not isinstance(t.get("expr"), str) or not t["expr"].strip():
                problems.append("panel %r/%s: empty expr" % (title, t.get("refId")))
    return problems


def describe(q):
    """'panel title (#id) / refId' for messages (titles may repeat)."""
    if q.panel_id is None:
        return q.panel
    return "%s (#%s) / %s" % (q.panel, q.panel_id, q.ref_id)


def static_problems(path, declared):
    """(queries, problems) for one dashboard file, without Prometheus."""
    name = os.path.basename(path)
    try:
        dashboard = load_dashboard(path)
    except (OSError, ValueError) as e:
        return [], ["%s: cannot load: %s" % (name, e)]
    problems = ["%s: %s" % (name, p) for p in check_structure(dashboard, name)]
    queries = dashboard_queries(path) + variable_queries(path)
    for q in queries:
        where = "%s: %s: %s" % (name, describe(q), q.raw)
        found = (check_metric_names(q.raw, declared)
                 + check_labels(q.raw, q.legend, declared)
                 + check_variable_use(q.raw, dashboard))
        if _VAR_REF.search(q.expr):
            found.append("a variable is left after substitution: " + q.expr)
        if found:
            problems.append(where + "".join("\n    " + p for p in found))
    for var in variables(dashboard):
        if var.get("type") == "query" and not _LABEL_VALUES.match(variable_query_text(var)):
            problems.append("%s: variable %s: not a label_values(selector, label) query: %r"
                            % (name, var.get("name"), variable_query_text(var)))
    return queries, problems


# --------------------------------------------------------------------------- Prometheus

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _death_signal_setter():
    """A preexec_fn that makes the child get SIGTERM when this process dies.

    libc is loaded here, in the parent: the child only makes the call.
    """
    try:
        import ctypes
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (ImportError, OSError, AttributeError):
        return None

    def set_death_signal():
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    return set_death_signal


class Prometheus:
    """A throwaway Prometheus on 127.0.0.1, scraping scrape_targets ("host:port").

    with Prometheus(["127.0.0.1:9477"]) as prom:
        prom.wait_for_scrapes(3)
        answer = prom.query('migmon_libvirt_up')
    """

    def __init__(self, scrape_targets=(), scrape_interval="1s", binary=None,
                 start_timeout=60.0, query_timeout=15.0):
        self.scrape_targets = list(scrape_targets)
        self.scrape_interval = scrape_interval
        self.binary = binary or os.environ.get("PROMETHEUS") or shutil.which("prometheus") \
            or "/usr/bin/prometheus"
        self.start_timeout = start_timeout
        self.query_timeout = query_timeout
        self.proc = None
        self.tmp = None
        self.url = None

    def config_text(self):
        lines = ["global:",
                 "  scrape_interval: %s" % self.scrape_interval,
                 "  scrape_timeout: %s" % self.scrape_interval,
                 "  evaluation_interval: %s" % self.scrape_interval]
        if self.scrape_targets:
            lines += ["scrape_configs:",
                      "  - job_name: migmon",
                      "    static_configs:",
                      "      - targets: [%s]" % ", ".join(json.dumps(t) for t in self.scrape_targets)]
        else:
            lines.append("scrape_configs: []")
        return "\n".join(lines) + "\n"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, n=20):
        try:
            with open(os.path.join(self.tmp.name, "prometheus.log"), errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except (OSError, AttributeError):
            return ""

    def start(self):
        if not os.path.exists(self.binary):
            raise RuntimeError("prometheus not found (%s); install the Debian package prometheus"
                               % self.binary)
        self.tmp = tempfile.TemporaryDirectory(prefix="migmon-dashboards-")
        config = os.path.join(self.tmp.name, "prometheus.yml")
        with open(config, "w") as f:
            f.write(self.config_text())
        last_error = ""
        for _ in range(3):  # the free port may be taken between probe and bind
            port = free_port()
            self.url = "http://127.0.0.1:%d" % port
            log = open(os.path.join(self.tmp.name, "prometheus.log"), "w")
            self.proc = subprocess.Popen(
                [self.binary, "--config.file=" + config,
                 "--storage.tsdb.path=" + os.path.join(self.tmp.name, "data"),
                 "--web.listen-address=127.0.0.1:%d" % port,
                 "--storage.tsdb.retention.time=1h", "--log.level=warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_death_signal_setter())
            log.close()
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as r:
                        if r.status == 200:
                            return
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.2)
            last_error = self.log_tail()
            self._stop_process()
            if "address already in use" not in last_error:
                break
        raise RuntimeError("prometheus did not become ready:\n" + last_error)

    def _stop_process(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def stop(self):
        try:
            self._stop_process()
        finally:
            if self.tmp is not None:
                self.tmp.cleanup()
                self.tmp = None

    def query(self, expr, at=None):
        """POST /api/v1/query; the decoded JSON, also for 4xx answers (status "error")."""
        form = {"query": expr}
        if at is not None:
            form["time"] = "%.3f" % at
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(self.url + "/api/v1/query", data=data,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=self.query_timeout) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            body = e.read().decode(errors="replace")
            try:
                return json.loads(body)
            except ValueError:
                return {"status": "error", "errorType": "http %d" % e.code, "error": body}

    def wait_for_scrapes(self, n=3, timeout=30.0):
        """True once every target was scraped at least n times within the last minute."""
        if not self.scrape_targets:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.query('min(count_over_time(up{job="migmon"}[1m]))')
            result = answer.get("data", {}).get("result", [])
            if result and float(result[0]["value"][1]) >= n:
                return True
            time.sleep(0.5)
        return False


class FixtureServer:
    """Serves a metrics text at http://127.0.0.1:PORT/metrics from a thread.

    The socket listens from construction; the thread starts with `with`.
    """

    def __init__(self, text):
        body = text.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- main

def main():
    def terminate(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)

    paths = sorted(glob.glob(os.path.join(DASHBOARD_DIR, "*.json")))
    problems = ["dashboards/%s is missing" % n for n in EXPECTED_DASHBOARDS
                if os.path.join(DASHBOARD_DIR, n) not in paths]
    try:
        declared = declared_metrics()
    except (OSError, RuntimeError, subprocess.SubprocessError) as e:
        print("FAIL: cannot read the declared metrics: %s" % e)
        return 1
    print("declared metrics: %d (from %s)" % (
        len(declared), os.environ.get("MIGMON_BINARY") and "$MIGMON_BINARY print-metrics-doc"
        or "docs/metrics.md"))

    per_dashboard = []
    for path in paths:
        queries, found = static_problems(path, declared)
        problems += found
        per_dashboard.append((os.path.basename(path), queries))

    fixture = None
    if os.path.exists(FIXTURE):
        with open(FIXTURE, encoding="utf-8") as f:
            fixture = f.read()
    else:
        print("note: %s is missing; Prometheus scrapes nothing" % os.path.relpath(FIXTURE, REPO))
    try:
        server = FixtureServer(fixture or "")
    except OSError as e:
        print("FAIL: cannot serve the fixture: %s" % e)
        return 1
    try:
        # Prometheus first: it forks before the server's thread exists.
        with Prometheus([server.address] if fixture else []) as prom, server:
            if fixture and not prom.wait_for_scrapes(3):
                print("note: the fixture was not scraped 3 times in time; data counts may be low")
            for name, queries in per_dashboard:
                with_data, failed, empty = 0, 0, []
                for q in queries:
                    try:
                        answer = prom.query(q.expr)
                    except OSError as e:  # refused, reset, timed out
                        answer = {"status": "error", "errorType": "request", "error": str(e)}
                    if answer.get("status") != "success":
                        failed += 1
                        problems.append("%s: %s: Prometheus says %s: %s\n    %s" % (
                            name, describe(q), answer.get("errorType"), answer.get("error"), q.expr))
                        continue
                    if answer.get("data", {}).get("result"):
                        with_data += 1
                    else:
                        empty.append(describe(q))
                line = "%s: %d queries checked, %d evaluated, %d failed" % (
                    name, len(queries), len(queries) - failed, failed)
                if fixture:
                    line += "; %d returned data from the fixture" % with_data
                print(line)
                for e in empty:
                    print("    no data from the fixture (not an error): " + e)
    except RuntimeError as e:
        problems.append(str(e))
    finally:
        server.server.server_close()

    if problems:
        print("\nFAIL: %d problem(s):" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Checks the Prometheus rules in alerts/ (run by ctest from the repo root, or
# by hand: bash tests/checks/alerts_rules.sh):
#   1. promtool check rules alerts/*.rules.yaml
#   2. promtool test rules alerts/tests/*.yaml
#   3. every migmon_ name in a rule file, and every metric an expression
#      selects, is in docs/metrics.md (or is a recording rule's own output, or
#      Prometheus' `up`)
#   4. every alert has for:, a severity, summary, description and a
#      runbook_url of the one form, its runbook exists with the five sections,
#      and the unit tests name it
# Exits non-zero on the first failing step, after printing why.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

fail() { echo "alerts_rules: FAIL: $*" >&2; exit 1; }

command -v promtool >/dev/null || fail "promtool not found (Debian package: prometheus)"
command -v python3 >/dev/null || fail "python3 not found"

shopt -s nullglob
rule_files=(alerts/*.rules.yaml)
test_files=(alerts/tests/*.yaml)
((${#rule_files[@]} > 0)) || fail "no alerts/*.rules.yaml"
((${#test_files[@]} > 0)) || fail "no alerts/tests/*.yaml"
[[ -f docs/metrics.md ]] || fail "docs/metrics.md missing"

echo "== promtool check rules ${rule_files[*]}"
promtool check rules "${rule_files[@]}" || fail "promtool check rules"

echo "== promtool test rules ${test_files[*]}"
promtool test rules "${test_files[@]}" || fail "promtool test rules"

echo "== metric names and alert metadata"
python3 - "${rule_files[@]}" <<'PY' || fail "metric names or alert metadata"
import os
import re
import sys

RUNBOOK_BASE = "https://github.com/migration-monitor/migration-monitor/blob/main/docs/runbooks/"
SECTIONS = ["Meaning", "Impact", "Diagnosis", "Mitigation", "Tuning"]
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2"}

errors = []

# --- names docs/metrics.md declares: | `name` | type | ...
documented = {}
for line in open("docs/metrics.md", encoding="utf-8"):
    m = re.match(r"\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*(\w+)\s*\|", line)
    if m:
        documented[m.group(1)] = m.group(2)
if not documented:
    sys.exit("no metric table found in docs/metrics.md")


def is_documented(name):
    if name in documented:
        return True
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and documented.get(base) in ("histogram", "summary"):
            return True
    return False


def block_value(lines, i, key_indent, rest):
    """The value of a YAML key on line i: inline, or a | / > block scalar."""
    rest = rest.strip()
    if rest and rest[0] in "|>":
        out = []
        for line in lines[i + 1:]:
            if line.strip() and len(line) - len(line.lstrip()) <= key_indent:
                break
            out.append(line.strip())
        return " ".join(out)
    if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "'\"":
        rest = rest[1:-1]
    return rest


def selected_metrics(expr):
    """Metric names an expression selects (a light PromQL scan, enough for ours)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", e):
        if m.group(2) or m.group(1) in KEYWORDS:
            continue
        names.add(m.group(1))
    return names


alerts = {}      # name -> dict of what the block holds
records = set()
exprs = []       # (file, rule, expr)
migmon_tokens = set()

for path in sys.argv[1:]:
    lines = open(path, encoding="utf-8").read().splitlines()
    current = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        for tok in re.findall(r"(?<![\w:])migmon_[a-zA-Z0-9_]+", line):
            migmon_tokens.add((path, tok))
        indent = len(line) - len(line.lstrip())
        m = re.match(r"-\s*(alert|record|name):\s*(\S+)", stripped)
        if m:
            kind, name = m.groups()
            if kind == "alert":
                current = alerts.setdefault(name, {"file": path})
            elif kind == "record":
                records.add(name)
                current = {"record": name}
            else:
                current = None
            continue
        m = re.match(r"(expr|for|severity|summary|description|runbook_url):(.*)$", stripped)
        if m and current is not None:
            key, rest = m.groups()
            value = block_value(lines, i, indent, rest)
            current[key] = value
            if key == "expr":
                exprs.append((path, current.get("record") or next(
                    (a for a, v in alerts.items() if v is current), "?"), value))

rule_count = len(alerts) + len(records)
if len(exprs) != rule_count:
    errors.append(f"found {len(exprs)} expr for {rule_count} rules: the scan missed some")

# --- 3. names
for path, tok in sorted(migmon_tokens):
    if not is_documented(tok):
        errors.append(f"{path}: {tok} is not in docs/metrics.md")
for path, rule, expr in exprs:
    for name in sorted(selected_metrics(expr)):
        if name == "up" or name in records or is_documented(name):
            continue
        errors.append(f"{path}: rule {rule} selects {name}, which is neither in "
                      "docs/metrics.md nor a recording rule output nor up")

# --- 4. alert metadata, runbooks, tests
tests_text = ""
for root, _, files in os.walk("alerts/tests"):
    for f in files:
        if f.endswith(".yaml"):
            tests_text += open(os.path.join(root, f), encoding="utf-8").read()

for name, a in sorted(alerts.items()):
    for key in ("expr", "for", "severity", "summary", "description", "runbook_url"):
        if not a.get(key):
            errors.append(f"{a['file']}: alert {name} has no {key}")
    if a.get("severity") not in ("critical", "warning", "info"):
        errors.append(f"alert {name}: severity {a.get('severity')!r} is not critical/warning/info")
    want = f"{RUNBOOK_BASE}{name}.md"
    if a.get("runbook_url") != want:
        errors.append(f"alert {name}: runbook_url {a.get('runbook_url')!r}, want {want}")
    runbook = f"docs/runbooks/{name}.md"
    if not os.path.isfile(runbook):
        errors.append(f"alert {name}: {runbook} missing")
    else:
        text = open(runbook, encoding="utf-8").read()
        for section in SECTIONS:
            if not re.search(rf"^##\s+{section}\b", text, re.M):
                errors.append(f"{runbook}: no '## {section}' section")
    if not re.search(rf"alertname:\s*{re.escape(name)}\s*$", tests_text, re.M):
        errors.append(f"alert {name}: no alert_rule_test in alerts/tests/")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
names = sorted({t for _, t in migmon_tokens})
print(f"{len(alerts)} alerts, {len(records)} recording rules; "
      f"{len(names)} migmon_ names, all in docs/metrics.md: {' '.join(names)}")
PY

echo "alerts_rules: OK"

#!/usr/bin/env python3
"""Checks deploy/systemd: the unit's settings, `systemd-analyze verify` (when
installed), and the example config against the unit and README (and, with
MIGMON_BINARY set, `migration-monitor check-config`). Run from the repository
root (ctest does). Python 3 standard library only.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path.cwd()
SYSTEMD = REPO / "deploy/systemd"
UNIT = SYSTEMD / "migration-monitor.service"
CONFIG = SYSTEMD / "config.yaml"
README = SYSTEMD / "README.md"
BINARY = "/usr/local/bin/migration-monitor"
CONFIG_PATH = "/etc/migration-monitor/config.yaml"
TOKEN_PATH = "/etc/migration-monitor/token"
TLS_PATHS = ("/etc/migration-monitor/tls.crt", "/etc/migration-monitor/tls.key")

# Directive -> value it must have (None: must be present, any value).
REQUIRED = {
    "Type": "simple",
    "ExecStart": f"{BINARY} serve --config {CONFIG_PATH}",
    "ExecReload": "/bin/kill -HUP $MAINPID",
    "Restart": "on-failure",
    "RestartSec": None,
    "User": "migration-monitor",
    "SupplementaryGroups": "libvirt",
    "StateDirectory": "migration-monitor",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "CapabilityBoundingSet": "",
}

failures = []


def fail(message):
    failures.append(message)


def unit_settings(text):
    """{directive: [values]} of the [Service] section."""
    settings, section = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def top_level_value(text, key):
    """A top-level scalar of the example config (no YAML library here)."""
    match = re.search(rf"^{key}:\s*([^#\s]+)", text, re.M)
    return match.group(1) if match else None


def check_unit():
    if not UNIT.exists():
        fail(f"{UNIT.relative_to(REPO)} is missing")
        return None
    text = UNIT.read_text(encoding="utf-8")
    settings = unit_settings(text)
    for key, want in REQUIRED.items():
        values = settings.get(key)
        if values is None:
            fail(f"unit: no {key}=")
        elif want is not None and values[-1] != want:
            fail(f"unit: {key}={values[-1]!r}, expected {want!r}")
    filters = settings.get("SystemCallFilter", [])
    if "@system-service" not in " ".join(filters):
        fail("unit: SystemCallFilter does not allow-list @system-service")
    print(f"ok: unit settings ({len(REQUIRED)} required directives)")
    return text


def verify_unit(text):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("skip: systemd-analyze verify (systemd-analyze is not installed)")
        return
    # verify insists that ExecStart's binary exists: use one that does.
    stand_in = os.environ.get("MIGMON_BINARY")
    if not stand_in or not os.access(stand_in, os.X_OK):
        stand_in = shutil.which("true") or "/bin/true"
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp, UNIT.name)
        copy.write_text(text.replace(BINARY, stand_in))
        result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
        out = (result.stdout + result.stderr).strip()
        # Lines about other units on this machine are not ours.
        ours = [line for line in out.splitlines() if UNIT.name in line or copy.as_posix() in line]
        if result.returncode != 0 or ours:
            fail(f"systemd-analyze verify (exit {result.returncode}):\n{out}")
        else:
            print(f"ok: systemd-analyze verify {UNIT.relative_to(REPO)}")


def check_config(unit_text):
    if not CONFIG.exists():
        fail(f"{CONFIG.relative_to(REPO)} is missing")
        return
    text = CONFIG.read_text(encoding="utf-8")
    settings = unit_settings(unit_text or "")
    state = (settings.get("StateDirectory") or [""])[-1]
    data_dir = top_level_value(text, "dataDir")
    if data_dir != f"/var/lib/{state}":
        fail(f"config: dataDir {data_dir} is not the unit's StateDirectory /var/lib/{state}")
    if f"tokenFile: {TOKEN_PATH}" not in text:
        fail(f"config: api.auth.tokenFile is not {TOKEN_PATH}")
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    for word in (CONFIG_PATH, TOKEN_PATH, "0640"):
        if word not in readme:
            fail(f"{README.relative_to(REPO)} does not mention {word}")
    binary = os.environ.get("MIGMON_BINARY")
    if not binary:
        print("skip: check-config of deploy/systemd/config.yaml (MIGMON_BINARY is not set)")
        return
    if not os.access(binary, os.X_OK):
        fail(f"MIGMON_BINARY={binary} is not an executable; build it (scripts/build)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        token = pathlib.Path(tmp, "token")
        token.write_text("check-deploy-token\n")
        copy = pathlib.Path(tmp, "config.yaml")
        text = text.replace(TOKEN_PATH, str(token))
        # Stand-ins for the API's certificate and key (check-config reads them).
        for path in TLS_PATHS:
            stand_in = pathlib.Path(tmp, pathlib.Path(path).name)
            stand_in.write_text("-----BEGIN X-----\n")
            text = text.replace(path, str(stand_in))
        copy.write_text(text)
        result = subprocess.run([binary, "check-config", "--config", str(copy)], capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"check-config deploy/systemd/config.yaml: exit {result.returncode}: "
                 f"{(result.stderr or result.stdout).strip()}")
        else:
            print("ok: migration-monitor check-config accepts deploy/systemd/config.yaml")


def main():
    if not SYSTEMD.is_dir():
        print(f"FAIL: run from the repository root (no deploy/systemd under {REPO})", file=sys.stderr)
        return 1
    text = check_unit()
    if text is not None:
        verify_unit(text)
    check_config(text)
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    if failures:
        return 1
    print("deploy_systemd: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

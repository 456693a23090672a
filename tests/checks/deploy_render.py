#!/usr/bin/env python3
"""Renders deploy/kubernetes (base and overlays/single-vmi) and checks the result.

Run from the repository root (ctest does). Needs kubectl (for `kubectl
kustomize`; no cluster) and python3-yaml. With MIGMON_BINARY set, the configs
embedded in the ConfigMaps go through `migration-monitor check-config`.

Checks: every object's apiVersion, kind, name and namespace; selectors against
labels; Service and probe ports against container ports; the ServiceMonitor
against the Service; every ConfigMap, Secret, PVC and ServiceAccount a pod
refers to is rendered or is one of the user-provided Secrets the README
documents; the embedded config against the pod (listen port, dataDir, token
file, libvirt pkipath and socket); security settings; no RBAC; the
PrometheusRules against alerts/*.rules.yaml and the dashboards ConfigMap
against dashboards/*.json, and the copies in base/generated/ against their
sources; the single-VMI Pod's VMI_NAME, socket and node pin.
"""

import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

REPO = pathlib.Path.cwd()
K8S = REPO / "deploy/kubernetes"
BASE = K8S / "base"
OVERLAY = K8S / "overlays/single-vmi"
README = K8S / "README.md"
NAMESPACE = "migration-monitor"
PORT = 9477
CONFIG_PATH = "/etc/migration-monitor/config.yaml"
SOCKET = "/var/run/libvirt/libvirt-sock"
PKI_KEYS = {"cacert.pem", "clientcert.pem", "clientkey.pem"}
# Secrets the user creates (README "The Secrets you create"): name -> keys.
USER_SECRETS = {
    "migration-monitor-api-token": {"token"},
    "migration-monitor-api-tls": {"tls.crt", "tls.key"},
    "migration-monitor-libvirt-client": PKI_KEYS,
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
                  "StorageClass", "CustomResourceDefinition"}
RBAC = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}
PLACEHOLDERS = {"NODE_NAME", "VMI_NAME"}

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def ok(message):
    print(f"ok: {message}")


def die(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


if not (REPO / "deploy/kubernetes").is_dir():
    die(f"run from the repository root (no deploy/kubernetes under {REPO})")
if shutil.which("kubectl") is None:
    die("kubectl is not on the PATH; it renders the kustomizations (`kubectl kustomize`, "
        "no cluster needed). Install it (Debian does not package it).")
try:
    import yaml
except ImportError:
    die("python3-yaml is missing: apt-get install python3-yaml (listed in scripts/deps)")


def load_sync():
    spec = importlib.util.spec_from_file_location("deploy_sync", K8S / "sync.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(folder):
    result = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        die(f"kubectl kustomize {folder.relative_to(REPO)} failed:\n{result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc is not None]


def ref(obj):
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def subset(small, big):
    return bool(small) and all(big.get(k) == v for k, v in small.items())


# --- sources and copies ---------------------------------------------------

def check_sources(sync):
    missing = []
    if not sync.rule_files():
        missing.append("alerts/*.rules.yaml (no rules file: the PrometheusRule has no source)")
    if not sync.dashboard_files():
        missing.append("dashboards/*.json (no dashboard: the Grafana ConfigMap has no source)")
    for m in missing:
        fail("sources", f"missing {m}")
    try:
        problems = sync.drift()
    except sync.SourceError as e:
        fail("sources", str(e))
        return
    for p in problems:
        fail("drift", f"{p}; run deploy/kubernetes/sync.py")
    if not problems and not missing:
        ok(f"base/generated/ matches {len(sync.rule_files())} alerts/*.rules.yaml "
           f"and {len(sync.dashboard_files())} dashboards/*.json")


# --- generic object checks --------------------------------------------------

def check_objects(label, objects):
    seen = set()
    for obj in objects:
        where = f"{label} {ref(obj)}"
        for key in ("apiVersion", "kind"):
            if not obj.get(key):
                fail(where, f"no {key}")
        meta = obj.get("metadata") or {}
        if not meta.get("name"):
            fail(where, "no metadata.name")
        if obj.get("kind") not in CLUSTER_SCOPED and meta.get("namespace") != NAMESPACE:
            fail(where, f"namespace is {meta.get('namespace')!r}, not {NAMESPACE!r}")
        key = (obj.get("kind"), meta.get("namespace"), meta.get("name"))
        if key in seen:
            fail(where, "rendered twice")
        seen.add(key)
        if obj.get("kind") in RBAC:
            fail(where, "RBAC object: the monitor never calls the Kubernetes API, it needs none")
        if meta.get("annotations", {}).get("config.kubernetes.io/local-config"):
            fail(where, "a local-config object reached the output")


def by_kind(objects, kind):
    return [o for o in objects if o.get("kind") == kind]


def one(label, objects, kind, name):
    found = [o for o in by_kind(objects, kind) if o["metadata"]["name"] == name]
    if len(found) != 1:
        fail(label, f"expected one {kind}/{name}, found {len(found)}")
        return None
    return found[0]


def workload_pods(objects):
    """(where, pod metadata, pod spec) of every Deployment template and Pod."""
    pods = []
    for obj in objects:
        if obj["kind"] == "Deployment":
            template = obj["spec"].get("template", {})
            pods.append((ref(obj), template.get("metadata", {}), template.get("spec", {})))
        elif obj["kind"] == "Pod":
            pods.append((ref(obj), obj["metadata"], obj["spec"]))
    return pods


def container(spec):
    containers = spec.get("containers") or []
    return containers[0] if len(containers) == 1 else None


def port_names_numbers(c):
    ports = c.get("ports") or []
    return {p.get("name") for p in ports if p.get("name")} | {p.get("containerPort") for p in ports}


def check_references(label, objects, where, spec):
    """Volumes, mounts, env and service account of one pod spec."""
    names = {(o["kind"], o["metadata"]["name"]) for o in objects}
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    account = spec.get("serviceAccountName")
    if not account or ("ServiceAccount", account) not in names:
        fail(where, f"serviceAccountName {account!r} is not rendered")
    if spec.get("automountServiceAccountToken") is not False:
        fail(where, "automountServiceAccountToken is not false (no Kubernetes API use)")
    for c in spec.get("containers") or []:
        mounts = c.get("volumeMounts") or []
        for m in mounts:
            if m["name"] not in volumes:
                fail(where, f"volumeMount {m['name']} has no volume")
        unused = set(volumes) - {m["name"] for m in mounts}
        for v in sorted(unused):
            fail(where, f"volume {v} is not mounted")
        for e in c.get("env") or []:
            source = e.get("valueFrom") or {}
            if "configMapKeyRef" in source and ("ConfigMap", source["configMapKeyRef"]["name"]) not in names:
                fail(where, f"env {e['name']}: ConfigMap {source['configMapKeyRef']['name']} is not rendered")
            if "secretKeyRef" in source:
                check_secret(label, names, where, source["secretKeyRef"]["name"], {source["secretKeyRef"]["key"]})
        for source in c.get("envFrom") or []:
            if "configMapRef" in source and ("ConfigMap", source["configMapRef"]["name"]) not in names:
                fail(where, f"envFrom: ConfigMap {source['configMapRef']['name']} is not rendered")
            if "secretRef" in source:
                check_secret(label, names, where, source["secretRef"]["name"], set())
    for v in volumes.values():
        if "configMap" in v:
            cm = v["configMap"]["name"]
            if ("ConfigMap", cm) not in names:
                fail(where, f"volume {v['name']}: ConfigMap {cm} is not rendered")
        if "secret" in v:
            keys = {i["key"] for i in v["secret"].get("items") or []}
            check_secret(label, names, where, v["secret"]["secretName"], keys)
        if "persistentVolumeClaim" in v:
            claim = v["persistentVolumeClaim"]["claimName"]
            if ("PersistentVolumeClaim", claim) not in names:
                fail(where, f"volume {v['name']}: PersistentVolumeClaim {claim} is not rendered")


def check_secret(label, names, where, name, keys):
    if ("Secret", name) in names:
        return
    if name not in USER_SECRETS:
        fail(where, f"Secret {name} is neither rendered nor one of the user-provided Secrets "
                    f"({', '.join(sorted(USER_SECRETS))})")
        return
    extra = keys - USER_SECRETS[name]
    if extra:
        fail(where, f"Secret {name}: keys {sorted(extra)} are not the documented {sorted(USER_SECRETS[name])}")
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    for word in [name, *sorted(USER_SECRETS[name])]:
        if word not in readme:
            fail(f"{README.relative_to(REPO)}", f"does not document {word} (user-provided Secret {name})")


def check_container_basics(where, spec):
    c = container(spec)
    if c is None:
        fail(where, "expected exactly one container")
        return None
    ports = port_names_numbers(c)
    if PORT not in ports:
        fail(where, f"no containerPort {PORT}")
    if c.get("args") != ["serve", "--config", CONFIG_PATH]:
        fail(where, f"args are {c.get('args')!r}, expected serve --config {CONFIG_PATH}")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = (c.get(probe) or {}).get("httpGet") or {}
        if get.get("path") != path:
            fail(where, f"{probe} path is {get.get('path')!r}, expected {path}")
        if get.get("port") not in ports:
            fail(where, f"{probe} port {get.get('port')!r} is not a container port")
    resources = c.get("resources") or {}
    for kind in ("requests", "limits"):
        for res in ("cpu", "memory"):
            if res not in (resources.get(kind) or {}):
                fail(where, f"no resources.{kind}.{res}")
    return c


def effective(spec, c, key):
    """A security setting from the container, else from the pod."""
    csc, psc = c.get("securityContext") or {}, spec.get("securityContext") or {}
    return csc[key] if key in csc else psc.get(key)


def check_security(where, spec, c, non_root):
    csc = c.get("securityContext") or {}
    if csc.get("readOnlyRootFilesystem") is not True:
        fail(where, "readOnlyRootFilesystem is not true")
    if csc.get("allowPrivilegeEscalation") is not False:
        fail(where, "allowPrivilegeEscalation is not false")
    if csc.get("privileged"):
        fail(where, "privileged")
    caps = csc.get("capabilities") or {}
    if "ALL" not in (caps.get("drop") or []):
        fail(where, "capabilities.drop lacks ALL")
    if caps.get("add"):
        fail(where, f"adds capabilities {caps['add']}")
    if (effective(spec, c, "seccompProfile") or {}).get("type") != "RuntimeDefault":
        fail(where, "seccompProfile is not RuntimeDefault")
    if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
        fail(where, "uses the host's network, PID or IPC namespace")
    if non_root:
        if effective(spec, c, "runAsNonRoot") is not True:
            fail(where, "runAsNonRoot is not true")
        uid = effective(spec, c, "runAsUser")
        if not isinstance(uid, int) or uid == 0:
            fail(where, f"runAsUser is {uid!r}, expected a non-zero uid")
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    if "emptyDir" not in volumes.get(mounts.get("/tmp"), {}):
        fail(where, "/tmp is not an emptyDir (the root file system is read-only)")


def check_service(label, objects, pods):
    services = by_kind(objects, "Service")
    if len(services) != 1:
        fail(label, f"expected one Service, found {len(services)}")
        return None
    svc = services[0]
    where = f"{label} {ref(svc)}"
    # The alerts' migmon:up selects job=~".*migration-monitor.*"; under the
    # Prometheus Operator the job is the Service's name.
    if "migration-monitor" not in svc["metadata"]["name"]:
        fail(where, "the name (the scrape job) does not contain migration-monitor, which migmon:up selects")
    selector = svc["spec"].get("selector") or {}
    matched = [(w, m, s) for w, m, s in pods if subset(selector, m.get("labels") or {})]
    if len(matched) != 1:
        fail(where, f"selector {selector} matches {len(matched)} pods, expected 1")
    for port in svc["spec"].get("ports") or []:
        if port.get("port") != PORT:
            fail(where, f"port {port.get('port')} is not {PORT}")
        for w, _, spec in matched:
            c = container(spec)
            if c and port.get("targetPort", port.get("port")) not in port_names_numbers(c):
                fail(where, f"targetPort {port.get('targetPort')!r} is no container port of {w}")
    return svc


def check_servicemonitor(label, objects, svc):
    monitors = by_kind(objects, "ServiceMonitor")
    if len(monitors) != 1 or svc is None:
        fail(label, f"expected one ServiceMonitor, found {len(monitors)}")
        return
    sm = monitors[0]
    where = f"{label} {ref(sm)}"
    if sm["apiVersion"] != "monitoring.coreos.com/v1":
        fail(where, f"apiVersion {sm['apiVersion']}")
    match = (sm["spec"].get("selector") or {}).get("matchLabels") or {}
    if not subset(match, svc["metadata"].get("labels") or {}):
        fail(where, f"selector {match} does not match the Service's labels")
    ns = (sm["spec"].get("namespaceSelector") or {}).get("matchNames")
    if ns is not None and NAMESPACE not in ns:
        fail(where, f"namespaceSelector {ns} leaves out {NAMESPACE}")
    svc_ports = {p.get("name") for p in svc["spec"].get("ports") or []}
    endpoints = sm["spec"].get("endpoints") or []
    if not endpoints:
        fail(where, "no endpoints")
    for ep in endpoints:
        if ep.get("port") not in svc_ports:
            fail(where, f"endpoint port {ep.get('port')!r} is not a Service port name {sorted(svc_ports)}")
        if ep.get("path", "/metrics") != "/metrics":
            fail(where, f"endpoint path {ep.get('path')}")
        if ep.get("honorLabels") is not True:
            fail(where, "honorLabels is not true (our namespace label would become exported_namespace)")


def check_rules(label, objects, sync):
    rules = {o["metadata"]["name"]: o for o in by_kind(objects, "PrometheusRule")}
    expected = {}
    for path in sync.rule_files():
        try:
            expected[sync.rule_object_name(path)] = (path, yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, sync.SourceError) as e:
            fail(label, f"{path.relative_to(REPO)}: {e}")
    if set(rules) != set(expected):
        fail(label, f"PrometheusRules {sorted(rules)} do not match alerts/*.rules.yaml {sorted(expected)}")
    for name, (path, source) in expected.items():
        rule = rules.get(name)
        if rule is None:
            continue
        if rule["apiVersion"] != "monitoring.coreos.com/v1":
            fail(f"{label} {ref(rule)}", f"apiVersion {rule['apiVersion']}")
        if not isinstance(source, dict) or not source.get("groups"):
            fail(label, f"{path.relative_to(REPO)} has no groups")
        elif rule["spec"] != {"groups": source["groups"]}:
            fail(f"{label} {ref(rule)}", f"spec.groups differ from {path.relative_to(REPO)}")
    if rules and set(rules) == set(expected):
        ok(f"{label}: PrometheusRules {', '.join(sorted(rules))} hold the groups of alerts/")


def check_dashboards(label, objects, sync):
    files = {p.name: p for p in sync.dashboard_files()}
    cms = [o for o in by_kind(objects, "ConfigMap") if o["metadata"]["name"] == sync.DASHBOARDS_CONFIGMAP]
    if len(cms) != 1:
        fail(label, f"expected one ConfigMap {sync.DASHBOARDS_CONFIGMAP}, found {len(cms)}")
        return
    cm = cms[0]
    where = f"{label} {ref(cm)}"
    if (cm["metadata"].get("labels") or {}).get("grafana_dashboard") != "1":
        fail(where, 'no label grafana_dashboard: "1"')
    data = cm.get("data") or {}
    if set(data) != set(files):
        fail(where, f"keys {sorted(data)} are not dashboards/*.json {sorted(files)}")
    total = 0
    for name, path in files.items():
        text = path.read_text(encoding="utf-8")
        total += len(text.encode())
        try:
            json.loads(text)
        except json.JSONDecodeError as e:
            fail(f"dashboards/{name}", f"not JSON: {e}")
        if name in data and data[name] != text:
            fail(where, f"key {name} differs from dashboards/{name}")
    if total > 1000 * 1024:
        fail(where, f"{total} bytes: over a ConfigMap's 1 MiB; split the dashboards")
    if files and set(data) == set(files):
        ok(f"{label}: {sync.DASHBOARDS_CONFIGMAP} holds exactly {', '.join(sorted(files))}")


# --- the embedded config ----------------------------------------------------

def config_of(label, objects, spec, c):
    """(ConfigMap name, config text) mounted at /etc/migration-monitor."""
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts") or []}
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    volume = volumes.get(mounts.get(os.path.dirname(CONFIG_PATH)), {})
    name = (volume.get("configMap") or {}).get("name")
    cm = next((o for o in by_kind(objects, "ConfigMap") if o["metadata"]["name"] == name), None)
    text = ((cm or {}).get("data") or {}).get(os.path.basename(CONFIG_PATH))
    if text is None:
        fail(label, f"no ConfigMap with {os.path.basename(CONFIG_PATH)} mounted at {os.path.dirname(CONFIG_PATH)}")
    return name, text


def mount_for(c, spec, path):
    """(volume, mount) whose mountPath holds `path`, the longest match."""
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    best = None
    for m in c.get("volumeMounts") or []:
        mp = m["mountPath"].rstrip("/")
        if path == mp or path.startswith(mp + "/"):
            if best is None or len(mp) > len(best["mountPath"]):
                best = m
    return (volumes.get(best["name"]), best) if best else (None, None)


def secret_file(where, c, spec, path, what):
    volume, mount = mount_for(c, spec, path)
    if volume is None or "secret" not in volume:
        fail(where, f"{what} {path} is not in a Secret volume")
        return None
    relative = path[len(mount["mountPath"].rstrip("/")) + 1:]
    items = volume["secret"].get("items")
    if items is not None and relative not in {i["path"] for i in items}:
        fail(where, f"{what} {path}: Secret {volume['secret']['secretName']} projects no {relative}")
    return volume["secret"]["secretName"]


def check_config(label, where, config, c, spec, volume_kind):
    if not isinstance(config, dict):
        fail(where, "config.yaml is not a mapping")
        return
    listen = str(config.get("listen", "127.0.0.1:9477"))
    host, _, port = listen.rpartition(":")
    if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        fail(where, f"listen {listen} is loopback: neither probes nor Prometheus reach it")
    if port != str(PORT):
        fail(where, f"listen port {port} is not the container port {PORT}")
    data_dir = config.get("dataDir", "/var/lib/migration-monitor")
    volume, mount = mount_for(c, spec, data_dir)
    if volume is None or volume_kind not in volume or mount.get("readOnly"):
        fail(where, f"dataDir {data_dir} is not on a writable {volume_kind} volume")
    api = config.get("api") or {}
    token = (api.get("auth") or {}).get("tokenFile")
    if token:
        secret_file(where, c, spec, token, "api.auth.tokenFile")
    for key in ("certFile", "keyFile"):
        path = (api.get("tls") or {}).get(key)
        if path:
            secret_file(where, c, spec, path, f"api.tls.{key}")
    if api.get("enabled") and host not in ("127.0.0.1", "localhost", "::1") and not (token and api.get("tls")):
        fail(where, "the API listens on a non-loopback address without both a token and TLS (refused)")
    nodes = config.get("nodes") or []
    if not nodes:
        fail(where, "no nodes")
    for node in nodes:
        uri = urllib.parse.urlsplit(str(node.get("uri", "")))
        query = urllib.parse.parse_qs(uri.query)
        node_where = f"{where} node {node.get('name')}"
        if "pkipath" in query:
            pki = query["pkipath"][0]
            volume, mount = mount_for(c, spec, pki)
            if volume is None or "secret" not in volume or mount["mountPath"].rstrip("/") != pki.rstrip("/"):
                fail(node_where, f"pkipath {pki} is not a Secret volume's mount path")
            else:
                items = {i["path"] for i in volume["secret"].get("items") or []}
                if items != PKI_KEYS:
                    fail(node_where, f"the pkipath Secret projects {sorted(items)}, libvirt wants {sorted(PKI_KEYS)}")
            peer = node.get("peerUri")
            # Peer-to-peer: the source host's libvirtd dials peerUri (default:
            # uri) from the host, where the pod's pkipath does not exist.
            if not peer or "pkipath=" in peer:
                fail(node_where, "uri carries the pod's pkipath: set a peerUri without it for the hosts' libvirtd")
        if "socket" in query:
            sock = query["socket"][0]
            volume, mount = mount_for(c, spec, sock)
            if volume is None or (volume.get("hostPath") or {}).get("path") != sock or mount["mountPath"] != sock:
                fail(node_where, f"socket {sock} is not the host's socket mounted with hostPath at the same path")


def run_check_config(label, text):
    binary = os.environ.get("MIGMON_BINARY")
    if not binary:
        print(f"skip: {label}: check-config (MIGMON_BINARY is not set)")
        return
    if not os.access(binary, os.X_OK):
        fail(label, f"MIGMON_BINARY={binary} is not an executable; build it (scripts/build)")
        return
    config = yaml.safe_load(text) or {}
    api = config.get("api") or {}
    # Files the pod gets from Secrets do not exist here: point the config at
    # stand-ins (a token; non-empty PEM files) in a copy.
    with tempfile.TemporaryDirectory() as tmp:
        replacements = {}
        token = (api.get("auth") or {}).get("tokenFile")
        if token:
            replacements[token] = "token"
        for key in ("certFile", "keyFile"):
            if (api.get("tls") or {}).get(key):
                replacements[api["tls"][key]] = key + ".pem"
        for original, stand_in in replacements.items():
            path = pathlib.Path(tmp, stand_in)
            path.write_text("check-deploy-token\n" if stand_in == "token" else "-----BEGIN X-----\n")
            if text.count(original) != 1:
                fail(label, f"cannot rewrite {original}: it occurs {text.count(original)} times in config.yaml")
            text = text.replace(original, str(path))
        config_file = pathlib.Path(tmp, "config.yaml")
        config_file.write_text(text)
        result = subprocess.run([binary, "check-config", "--config", str(config_file)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            fail(label, f"check-config exit {result.returncode}: {(result.stderr or result.stdout).strip()}")
        else:
            ok(f"{label}: migration-monitor check-config accepts config.yaml")


# --- the two layouts ----------------------------------------------------------

def check_base(objects, sync):
    label = "base"
    check_objects(label, objects)
    kinds = sorted({o["kind"] for o in objects})
    for kind in ("Namespace", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "Deployment",
                 "Service", "ServiceMonitor", "PrometheusRule"):
        if kind not in kinds:
            fail(label, f"renders no {kind}")
    dep = one(label, objects, "Deployment", "migration-monitor")
    if dep is None:
        return
    where = f"{label} {ref(dep)}"
    spec = dep["spec"]
    if spec.get("replicas") != 1:
        fail(where, f"replicas {spec.get('replicas')}, expected 1 (it owns the queue)")
    if (spec.get("strategy") or {}).get("type") != "Recreate":
        fail(where, "strategy is not Recreate (two pods would both enforce and launch)")
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    if not subset(selector, spec["template"]["metadata"].get("labels") or {}):
        fail(where, f"selector {selector} does not match the template's labels")
    pod_spec = spec["template"]["spec"]
    pods = workload_pods(objects)
    check_references(label, objects, where, pod_spec)
    c = check_container_basics(where, pod_spec)
    if c is None:
        return
    check_security(where, pod_spec, c, non_root=True)
    if "fsGroup" not in (pod_spec.get("securityContext") or {}):
        fail(where, "no fsGroup: the non-root user cannot write the volume or read the Secrets")
    svc = check_service(label, objects, pods)
    check_servicemonitor(label, objects, svc)
    check_rules(label, objects, sync)
    check_dashboards(label, objects, sync)
    _, text = config_of(where, objects, pod_spec, c)
    if text is not None:
        config = yaml.safe_load(text)
        check_config(label, where, config, c, pod_spec, "persistentVolumeClaim")
        if not (config.get("api") or {}).get("enabled"):
            fail(where, "api.enabled is not true")
        if not ((config.get("api") or {}).get("auth") or {}).get("tokenFile"):
            fail(where, "no api.auth.tokenFile")
        for node in config.get("nodes") or []:
            if not str(node.get("uri", "")).startswith("qemu+tls://"):
                fail(where, f"node {node.get('name')}: uri is not qemu+tls://")
        run_check_config(f"{label} config.yaml", text)
    check_containerfile(c, pod_spec)


def check_overlay(objects, sync):
    label = "single-vmi"
    check_objects(label, objects)
    for kind in ("Deployment", "PersistentVolumeClaim"):
        if by_kind(objects, kind):
            fail(label, f"renders a {kind}; the single-VMI pod needs none")
    pod = one(label, objects, "Pod", "migration-monitor")
    if pod is None:
        return
    where = f"{label} {ref(pod)}"
    spec = pod["spec"]
    check_references(label, objects, where, spec)
    c = check_container_basics(where, spec)
    if c is None:
        return
    # uid 0 without capabilities: see the comment in pod.yaml and the README.
    check_security(where, spec, c, non_root=False)
    env = {e["name"]: e for e in c.get("env") or []}
    vmi = (env.get("VMI_NAME") or {}).get("value")
    if not vmi or vmi in PLACEHOLDERS:
        fail(where, f"env VMI_NAME is {vmi!r}")
    pin = spec.get("nodeName") or (spec.get("nodeSelector") or {}).get("kubernetes.io/hostname")
    if not pin or pin in PLACEHOLDERS:
        fail(where, f"not pinned to a node (nodeName or nodeSelector kubernetes.io/hostname: {pin!r})")
    volume, mount = mount_for(c, spec, SOCKET)
    if volume is None or (volume.get("hostPath") or {}).get("path") != SOCKET:
        fail(where, f"the host's {SOCKET} is not mounted with hostPath")
    elif (volume["hostPath"].get("type") or "Socket") != "Socket":
        fail(where, f"hostPath type {volume['hostPath']['type']}, expected Socket")
    ns = one(label, objects, "Namespace", NAMESPACE)
    if ns and (ns["metadata"].get("labels") or {}).get("pod-security.kubernetes.io/enforce") in ("restricted", "baseline"):
        fail(label, "the Namespace's Pod Security level forbids the hostPath volume")
    svc = check_service(label, objects, workload_pods(objects))
    check_servicemonitor(label, objects, svc)
    _, text = config_of(where, objects, spec, c)
    if text is not None:
        config = yaml.safe_load(text)
        check_config(label, where, config, c, spec, "emptyDir")
        nodes = config.get("nodes") or []
        if len(nodes) != 1 or nodes[0].get("uri") != f"qemu+unix:///system?socket={SOCKET}":
            fail(where, f"expected one node with uri qemu+unix:///system?socket={SOCKET}")
        if (config.get("enforcement") or {}).get("mode", "enforce") != "observe":
            fail(where, "enforcement.mode is not observe")
        run_check_config(f"{label} config.yaml", text)
    if not failures:
        ok(f"{label}: Pod pinned to {pin}, VMI_NAME={vmi}, {SOCKET} from the host")


def check_containerfile(c, spec):
    path = REPO / "deploy/Containerfile"
    if not path.exists():
        fail("deploy/Containerfile", "missing")
        return
    text = path.read_text(encoding="utf-8")
    if not re.search(rf"^EXPOSE\s+{PORT}\b", text, re.M):
        fail("deploy/Containerfile", f"does not EXPOSE {PORT}")
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    uid = effective(spec, c, "runAsUser")
    if not user or user[-1].split(":")[0] != str(uid):
        fail("deploy/Containerfile", f"USER {user[-1] if user else None} is not the pods' runAsUser {uid}")


def main():
    sync = load_sync()
    check_sources(sync)
    base = render(BASE)
    ok(f"kubectl kustomize base: {len(base)} objects")
    check_base(base, sync)
    overlay = render(OVERLAY)
    ok(f"kubectl kustomize overlays/single-vmi: {len(overlay)} objects")
    check_overlay(overlay, sync)
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} problem(s) in deploy/kubernetes", file=sys.stderr)
        return 1
    print("deploy_render: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

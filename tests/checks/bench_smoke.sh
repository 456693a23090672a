#!/usr/bin/env bash
# scripts/bench --smoke on the built binary: every figure of the bench is
# measured at a small scale (100 domains, 200 objects, seconds a figure).
# Fails when the bench fails (a figure missing, a crash), not on slowness:
# no target is enforced in a smoke run. Needs root (the bench may start a
# libvirtd as user nobody), kubectl, gcc, libvirt-dev and
# prometheus-libvirt-exporter (scripts/deps).
set -euo pipefail
: "${MIGMON_BINARY:?set MIGMON_BINARY to the migration-monitor to measure}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
scripts/bench --smoke --binary "$MIGMON_BINARY" >"$out"
cat "$out"
# The table came out, with the rows of every section.
for section in "/metrics" "idle sweep" "API"; do
  if ! grep -q "^| $section |" "$out"; then
    echo "bench_smoke: no \"$section\" row in the table" >&2
    exit 1
  fi
done

#!/usr/bin/env bash
# The build's layering check passes on this tree and fails, naming the file,
# on a copy where api/ includes libvirt and migrations/ includes hypervisor/.
set -euo pipefail
script=cmake/check_layering.cmake
cmake -DSOURCE_DIR="$PWD" -P "$script"

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r api migrations hypervisor daemon "$copy"/
echo '#include <libvirt/libvirt.h>' >> "$copy/api/error_status.cpp"
echo '#include "hypervisor/launcher.h"' >> "$copy/migrations/phase.h"
if out=$(cmake -DSOURCE_DIR="$copy" -P "$script" 2>&1); then
  echo "layering: a tree that breaks both rules passed the check" >&2
  exit 1
fi
for expected in "api/error_status.cpp: #include <libvirt/libvirt.h>: only hypervisor/ may include libvirt" \
                'migrations/phase.h: #include "hypervisor/launcher.h": only daemon/ may include from hypervisor/'; do
  if ! grep -qF "$expected" <<<"$out"; then
    printf 'layering: the check did not report\n  %s\nit said:\n%s\n' "$expected" "$out" >&2
    exit 1
  fi
done
echo "layering: rules hold; both injected violations reported"

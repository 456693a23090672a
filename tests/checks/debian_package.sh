#!/usr/bin/env bash
# Builds the Debian package from a copy of this tree (dpkg-buildpackage -b
# leaves the .deb in the parent folder, so the copy's parent is a temporary
# folder), lints it, installs it, checks what it installed, purges it and
# checks what the purge removed. Installs and purges a package, so it needs
# root; debhelper, lintian and adduser come from scripts/deps. Run from the
# repository root (ctest does). 12 to 13 minutes on 2 busy cores, nearly
# all of it the package build.
set -euo pipefail

pkg=migration-monitor
fail() {
  printf 'debian_package: FAIL: %s\n' "$*" >&2
  exit 1
}
say() { printf 'debian_package: %s\n' "$*"; }

[[ -f debian/control && -f CMakeLists.txt ]] || fail "run from the repository root (no debian/control in $PWD)"
[[ $(id -u) -eq 0 ]] || fail "needs root: it installs and purges the $pkg package"
for tool in dpkg-buildpackage dpkg-parsechangelog dh lintian apt-get runuser adduser; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/deps installs it)"
done

# The package's version must be the project's.
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
upstream=$(sed -n 's/^project(migration-monitor VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $upstream ]] || fail "no project(migration-monitor VERSION x.y.z) in CMakeLists.txt"
[[ ${version%-*} == "$upstream" ]] ||
  fail "debian/changelog's version $version is not the project's $upstream (CMakeLists.txt): make them agree (dch -v ${upstream}-1, or the VERSION of project())"
arch=$(dpkg --print-architecture)
deb_name=${pkg}_${version}_${arch}.deb

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
status_of() { dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true; }

work=$(mktemp -d /tmp/migmon-deb.XXXXXX)
we_installed=0
cleanup() {
  local rc=$?
  if ((we_installed)) && [[ -n $(status_of) && $(status_of) != not-installed ]]; then
    say "purging the package this run installed"
    apt-get purge "${apt_opts[@]}" "$pkg" >/dev/null 2>&1 || echo "debian_package: purge in cleanup failed" >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

before=$(status_of)
if [[ -n $before && $before != not-installed ]]; then
  say "$pkg is already on this host ($before), from an earlier run: purging it first"
  apt-get purge "${apt_opts[@]}" "$pkg" >"$work/purge-first.log" 2>&1 ||
    { cat "$work/purge-first.log" >&2; fail "could not purge the $pkg installed before this run"; }
fi

# The tree as it is, committed or not, without build output: the files git
# tracks (and still exist) and the untracked ones it does not ignore.
src=$work/$pkg-$upstream
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf - | tar -xf - -C "$src"
else
  tar --exclude=./.git --exclude=./build --exclude='./build-*' --exclude='./obj-*' -cf - . | tar -xf - -C "$src"
fi

say "dpkg-buildpackage -us -uc -b in $src (log: build.log)"
start=$SECONDS
# At most as many jobs as cores; the package's own unit tests run too.
if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log" >&2
  fail "dpkg-buildpackage failed (the last 60 lines of its output are above)"
fi
say "built $deb_name in $((SECONDS - start)) s"
deb=$work/$deb_name
[[ -f $deb ]] || fail "dpkg-buildpackage succeeded but left no $deb_name; it left: $(cd "$work" && echo *)"
grep -q 'ctest -L unit' "$work/build.log" || fail "the package build did not run ctest -L unit"

# Errors fail; warnings and the rest are printed.
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1) || true
if [[ -n $lintian_out ]]; then
  printf 'debian_package: lintian says:\n%s\n' "$lintian_out"
fi
if grep -q '^E: ' <<<"$lintian_out"; then
  fail "lintian reports errors on $deb_name: $(grep '^E: ' <<<"$lintian_out" | tr '\n' ';')"
fi
say "lintian: no errors"

# apt reads local packages as the _apt user: let it into the folder.
chmod 0755 "$work"
we_installed=1
if ! apt-get install "${apt_opts[@]}" "$deb" >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "apt-get install of $deb_name failed (its output is above)"
fi
[[ $(status_of) == installed ]] || fail "after apt-get install the package's status is '$(status_of)', not installed"
say "installed $deb_name"

binary=/usr/bin/migration-monitor
config=/etc/migration-monitor/config.yaml
state=/var/lib/migration-monitor
[[ -x $binary ]] || fail "$binary is not installed or not executable"
got=$("$binary" --version 2>&1) || fail "$binary --version failed: $got"
[[ $got == "migration-monitor $upstream" ]] || fail "$binary --version says '$got', not 'migration-monitor $upstream'"

[[ -f $config ]] || fail "$config is not installed"
dpkg-query -W -f='${Conffiles}\n' "$pkg" | grep -q "^ $config " || fail "$config is not a conffile of the package"

# The user: a system account, no login, in group libvirt when there is one.
getent passwd "$pkg" >/dev/null || fail "postinst did not create the user $pkg"
uid=$(id -u "$pkg")
((uid < 1000)) || fail "the user $pkg has uid $uid: not a system user"
shell=$(getent passwd "$pkg" | cut -d: -f7)
[[ $shell == */nologin || $shell == /bin/false ]] || fail "the user $pkg has the login shell $shell"
if getent group libvirt >/dev/null; then
  id -nG "$pkg" | tr ' ' '\n' | grep -qx libvirt || fail "group libvirt exists but $pkg is not a member (id: $(id "$pkg"))"
  say "user $pkg (uid $uid) is in group libvirt"
else
  say "user $pkg (uid $uid); no group libvirt on this host, so no membership to check"
fi

[[ -d $state ]] || fail "$state was not created"
got=$(stat -c '%a %U %G' "$state")
[[ $got == "700 $pkg $pkg" ]] || fail "$state is '$got' (mode owner group), not '700 $pkg $pkg'"
runuser -u "$pkg" -- test -w "$state" || fail "the user $pkg cannot write $state"

# The installed config is valid for root and for the service's user.
out=$("$binary" check-config --config "$config" 2>&1) ||
  fail "check-config rejects the installed $config: $out"
out=$(runuser -u "$pkg" -- "$binary" check-config --config "$config" 2>&1) ||
  fail "check-config as the user $pkg rejects the installed $config: $out"
say "check-config accepts $config, as root and as $pkg"

unit=""
for dir in /lib/systemd/system /usr/lib/systemd/system; do
  if [[ -f $dir/$pkg.service ]]; then
    unit=$dir/$pkg.service
    break
  fi
done
[[ -n $unit ]] || fail "no $pkg.service in /lib/systemd/system or /usr/lib/systemd/system"
grep -qx "ExecStart=$binary serve --config $config" "$unit" ||
  fail "$unit does not run '$binary serve --config $config': $(grep '^ExecStart=' "$unit")"
grep -qx "User=$pkg" "$unit" || fail "$unit does not set User=$pkg"
if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
fi
say "unit at $unit"

# Installed, not started (nor enabled): systemd or not as PID 1 here.
[[ ! -e /etc/systemd/system/multi-user.target.wants/$pkg.service ]] || fail "the install enabled $pkg.service"
if [[ -d /run/systemd/system ]]; then
  ! systemctl is-active -q "$pkg.service" || fail "the install started $pkg.service"
fi
if pids=$(pgrep -f "^$binary serve"); then
  fail "a '$binary serve' runs after the install (pid $pids): the install must not start it"
fi
say "the service is not started"

if ! apt-get purge "${apt_opts[@]}" "$pkg" >"$work/purge.log" 2>&1; then
  cat "$work/purge.log" >&2
  fail "apt-get purge $pkg failed (its output is above)"
fi
[[ $(status_of) == not-installed || -z $(status_of) ]] || fail "after the purge the package's status is '$(status_of)'"
for gone in "$binary" "$unit" "$config" /etc/migration-monitor "$state"; do
  [[ ! -e $gone ]] || fail "$gone is still there after apt-get purge $pkg"
done
say "purged: binary, unit, config, /etc/migration-monitor and $state are gone (the system user stays, as Debian does)"
say "ok"

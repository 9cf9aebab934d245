#!/usr/bin/env bash
# The Debian package, installed for real: in a clean Debian root (the container test's cached debootstrap base,
# run with podman and no network), install the .deb this build made with dpkg, put the hooks into repositories
# owned by a git user, push (refused without proof, accepted with a pipeline token), upgrade to the package rebuilt
# from this tree (a later snapshot version), push again, see a removal stopped by a repository whose hooks cannot
# be uninstalled, then purge and see the repositories ungated, their original hooks back and `hooks status`
# (from the tarball) reporting MISSING. The steps and checks are in deb/install-test-inside.sh.
#
# Needs: root, Debian (apt-get for podman, debootstrap and runc when missing), the .deb and the distribution made
# by `./mvnw -B verify` (deb/target/gatekeeper_*_all.deb, cli/target/gatekeeper-*.tar.gz). Rebuilds the package
# once with `./mvnw -B -q -pl deb -am package -DskipTests` for the upgrade (~10-30 s).
#
# Fails when it cannot run (not root, no apt-get, podman broken). GATEKEEPER_SKIP_DEB_TEST=1 skips it, loudly.
set -euo pipefail

say() { echo "deb-test: $*"; }
die() { echo "deb-test: FAILED: $*" >&2; exit 1; }

if [ "${GATEKEEPER_SKIP_DEB_TEST:-}" = 1 ]; then
  say "SKIPPED (GATEKEEPER_SKIP_DEB_TEST=1): the Debian package was NOT installed, upgraded or purged"
  exit 0
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || die "needs root (podman's vfs store and runc as root, debootstrap); run as root, or set GATEKEEPER_SKIP_DEB_TEST=1 to skip this test explicitly"

newest_deb() { ls -t deb/target/gatekeeper_*_all.deb 2>/dev/null | head -n 1; }
first="$(newest_deb)"
[ -n "$first" ] || die "no deb/target/gatekeeper_*_all.deb: run ./mvnw -B verify first (the deb module makes it)"
tarball="$(ls -t cli/target/gatekeeper-*.tar.gz 2>/dev/null | head -n 1)"
[ -n "$tarball" ] || die "no cli/target/gatekeeper-*.tar.gz: run ./mvnw -B verify first"

# shellcheck source=../.ci/debian-base.sh
. "$root/.ci/debian-base.sh"   # sets podman=(...) and base=localhost/gatekeeper-action-base:...

work="$(mktemp -d /tmp/gatekeeper-deb-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp "$first" "$work/old.deb"
cp "$tarball" "$work/gatekeeper.tar.gz"
cp deb/install-test-inside.sh "$work/inside.sh"

# --- the upgrade: the same tree packaged again ----------------------------------------------------------------------
# A snapshot's Debian version is <version>~<UTC build time, to the second>, so the rebuild must start a second later.
while [ "$(date -u +%Y%m%d%H%M%S)" = "$(date -u -r "$first" +%Y%m%d%H%M%S)" ]; do sleep 0.2; done
say "rebuilding the package for the upgrade"
started=$SECONDS
if ! ./mvnw -B -q -pl deb -am package -DskipTests >"$work/rebuild.log" 2>&1; then
  tail -n 40 "$work/rebuild.log" >&2
  die "the rebuild failed"
fi
second="$(newest_deb)"
cp "$second" "$work/new.deb"
old_version="$(dpkg-deb -f "$work/old.deb" Version)"
new_version="$(dpkg-deb -f "$work/new.deb" Version)"
dpkg --compare-versions "$new_version" gt "$old_version" \
  || die "the rebuilt package ($new_version) does not sort after the first ($old_version)"
say "rebuilt in $((SECONDS - started)) s: $old_version -> $new_version"

# --- in a clean Debian root -----------------------------------------------------------------------------------------
say "installing in a clean Debian root ($base, no network)"
started=$SECONDS
set +e
"${podman[@]}" run --rm --pull=never --network none \
  --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
  -v "$work:/t" "$base" bash /t/inside.sh
code=$?
set -e
[ "$code" = 0 ] || die "install-test-inside.sh: $code check(s) failed (above)"
say "ok: installed, pushes judged, upgraded, removal stopped and resumed, purged ($((SECONDS - started)) s in the root, $SECONDS s in all)"

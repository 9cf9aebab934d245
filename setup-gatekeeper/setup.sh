#!/usr/bin/env bash
# The shell steps of the setup-gatekeeper composite action (action.yml beside this file), kept in a file so they
# run anywhere: setup-gatekeeper/fake-runner-test.sh runs them against a fake runner environment.
#
#   setup.sh plan      what to install and where: step outputs mode, version, dist-dir, dist-key, m2-key
#   setup.sh install   puts the CLI in dist-dir (reused, downloaded or built) and its bin/ on GITHUB_PATH;
#                      step outputs path, home, version, source; a line in the step summary
#
# Where the CLI comes from:
# - a release ref: release.env beside this file (written by the release workflow on the release commit only) names
#   the release's distribution tarball and its SHA-256; it is downloaded and checked (a mismatch is exit 3);
# - any other ref (main, a branch, a commit): built from the action's own checkout (the repository root above this
#   folder) with the Maven wrapper, `-pl cli -am package -DskipTests`. dist-dir is keyed on a hash of everything
#   that goes into the distribution, so the action.yml's actions/cache step restores it whole for the same sources
#   (warm: no build), and ~/.m2/repository is cached on the pom files (a cold build downloads nothing).
#
# Reads: GITHUB_ACTION_PATH, RUNNER_TOOL_CACHE, RUNNER_TEMP, RUNNER_OS, GITHUB_OUTPUT, GITHUB_PATH,
# GITHUB_STEP_SUMMARY. Exit codes as the CLI's: 2 configuration (missing runner variables, a malformed
# release.env), 3 the downloaded tarball is not the release's, 4 the download failed, 6 the build failed.
set -euo pipefail

fail() {   # fail CODE MESSAGE: an annotation and the exit code
  echo "::error title=setup-gatekeeper::$2"
  exit "$1"
}
need() { [ -n "${!1:-}" ] || fail 2 "$1 is not set (run setup-gatekeeper as a step of a GitHub Actions job)"; }
output() { echo "$1=$2" >>"$GITHUB_OUTPUT"; }

for v in GITHUB_ACTION_PATH RUNNER_TOOL_CACHE RUNNER_TEMP GITHUB_OUTPUT; do need "$v"; done
here="$(cd "$GITHUB_ACTION_PATH" && pwd -P)"
root="$(cd "$here/.." && pwd -P)"
os="${RUNNER_OS:-Linux}"

sha256() { sha256sum | cut -d' ' -f1; }

# release.env: KEY=VALUE lines, read without executing them
release_value() { sed -n "s/^$1=//p" "$here/release.env" | head -n 1; }

plan() {
  if [ -f "$here/release.env" ]; then
    mode=release
    version="$(release_value GATEKEEPER_RELEASE_VERSION)"
    url="$(release_value GATEKEEPER_RELEASE_URL)"
    sum="$(release_value GATEKEEPER_RELEASE_SHA256)"
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.]+)?$ ]] \
      || fail 2 "release.env: GATEKEEPER_RELEASE_VERSION '$version' is not a version"
    [[ "$url" =~ ^https?:// ]] || fail 2 "release.env: GATEKEEPER_RELEASE_URL '$url' is not an http(s) URL"
    [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || fail 2 "release.env: GATEKEEPER_RELEASE_SHA256 is not a SHA-256"
    dist_dir="$RUNNER_TOOL_CACHE/gatekeeper/$version"
    dist_key="gatekeeper-release-$os-$version"
    m2_key=""
  else
    mode=build
    [ -x "$root/mvnw" ] && [ -f "$root/cli/pom.xml" ] \
      || fail 2 "no release.env and no sources to build in $root (mvnw, cli/pom.xml)"
    version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")"
    # Everything the distribution is made of (the build of -pl cli -am), not tests or build output: the same
    # sources give the same key, whichever ref or runner.
    src_hash="$(cd "$root" && find pom.xml mvnw .mvn core hooks cli policies \
        \( -name target -o -path '*/src/test' \) -prune -o -type f -print 2>/dev/null \
      | LC_ALL=C sort | while IFS= read -r f; do printf '%s %s\n' "$(sha256 <"$f")" "$f"; done | sha256)"
    poms_hash="$(cd "$root" && find . -name pom.xml -not -path '*/target/*' | LC_ALL=C sort \
      | while IFS= read -r f; do printf '%s %s\n' "$(sha256 <"$f")" "$f"; done | sha256)"
    dist_dir="$RUNNER_TOOL_CACHE/gatekeeper/build-${src_hash:0:16}"
    dist_key="gatekeeper-dist-$os-$src_hash"
    m2_key="gatekeeper-m2-$os-$poms_hash"
  fi
}

install_release() {
  if [ -f "$dist_dir/.sha256" ] && [ "$(cat "$dist_dir/.sha256")" = "$sum" ] && [ -x "$dist_dir/bin/gatekeeper" ]; then
    source_=cache   # a self-hosted runner's tool cache, or restored
    return
  fi
  local tarball="$RUNNER_TEMP/gatekeeper-$version.tar.gz" unpacked
  echo "setup-gatekeeper: downloading $url"
  curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 -o "$tarball" "$url" \
    || fail 4 "cannot download the release's distribution from $url"
  local got
  got="$(sha256 <"$tarball")"
  if [ "$got" != "$sum" ]; then
    rm -f "$tarball"
    fail 3 "$url has SHA-256 $got, not the release's $sum (release.env): refusing to install it"
  fi
  unpacked="$(mktemp -d "$RUNNER_TEMP/gatekeeper-unpack.XXXXXX")"
  tar xzf "$tarball" -C "$unpacked" --strip-components=1
  rm -f "$tarball"
  echo "$sum" >"$unpacked/.sha256"
  mkdir -p "$(dirname "$dist_dir")"
  rm -rf "$dist_dir"
  mv "$unpacked" "$dist_dir"
  source_=release
}

install_build() {
  if [ -x "$dist_dir/bin/gatekeeper" ]; then
    source_=cache   # restored by actions/cache for these very sources
    return
  fi
  local log="$RUNNER_TEMP/setup-gatekeeper-build.log" started=$SECONDS built
  echo "setup-gatekeeper: building the CLI from $root (./mvnw -B -pl cli -am package -DskipTests)"
  if ! (cd "$root" && ./mvnw -B -q -pl cli -am package -DskipTests) >"$log" 2>&1; then
    tail -n 40 "$log"
    fail 6 "the build failed (log above; full log: $log)"
  fi
  built="$root/cli/target/gatekeeper-$version/gatekeeper-$version"
  [ -x "$built/bin/gatekeeper" ] || fail 6 "the build made no $built/bin/gatekeeper"
  mkdir -p "$(dirname "$dist_dir")"
  rm -rf "$dist_dir.tmp"
  cp -a "$built" "$dist_dir.tmp"
  rm -rf "$dist_dir"
  mv "$dist_dir.tmp" "$dist_dir"
  source_=build
  echo "setup-gatekeeper: built in $((SECONDS - started)) s"
}

case "${1:-}" in
  plan)
    plan
    output mode "$mode"
    output version "$version"
    output dist-dir "$dist_dir"
    output dist-key "$dist_key"
    output m2-key "$m2_key"
    echo "setup-gatekeeper: $mode $version -> $dist_dir"
    ;;
  install)
    need GITHUB_PATH
    plan
    if [ "$mode" = release ]; then install_release; else install_build; fi
    # The install proves itself: the binary runs and is the version planned.
    said="$("$dist_dir/bin/gatekeeper" --version 2>&1)" || fail 6 "$dist_dir/bin/gatekeeper does not run: $said"
    [ "$said" = "gatekeeper $version" ] || fail 6 "$dist_dir/bin/gatekeeper says '$said', not 'gatekeeper $version'"
    echo "$dist_dir/bin" >>"$GITHUB_PATH"
    output path "$dist_dir/bin/gatekeeper"
    output home "$dist_dir"
    output version "$version"
    output source "$source_"
    case "$source_" in
      release) how="the release's distribution, SHA-256 checked" ;;
      cache) how="restored from the cache" ;;
      build) how="built from the action's checkout" ;;
    esac
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
      echo "setup-gatekeeper: \`gatekeeper $version\` on the PATH ($how): \`$dist_dir/bin\`" >>"$GITHUB_STEP_SUMMARY"
    fi
    echo "setup-gatekeeper: gatekeeper $version ($how) at $dist_dir/bin"
    ;;
  *)
    fail 2 "usage: setup.sh plan|install"
    ;;
esac

#!/usr/bin/env bash
# The action's container, for real: builds github-action/Dockerfile with podman on a local Debian base image and
# runs it the way the GitHub runner runs a container action (workspace at /github/workspace, --workdir, INPUT_*
# passed as "-e NAME" with hyphens kept, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY under /github/file_commands), then
# asserts exit codes, step outputs, the step summary and the annotations.
#
# Needs: root, Debian (apt-get for podman, debootstrap and runc when missing), the action's build context made by
# `./mvnw -B verify` (github-action/dist/: the CLI distribution and the action's jar). The image is built exactly as
# the runner builds it: `build github-action/` (the action's folder is the whole context).
# No base image is pulled: debootstrap makes a bookworm root file system with a JRE 17 and git, cached under
# $GATEKEEPER_CI_CACHE (default /var/cache/gatekeeper-ci) and imported as localhost/gatekeeper-action-base.
# The podman store (/var/lib/containers, vfs) keeps that image between runs, so a second run skips debootstrap.
#
# Fails when it cannot run (not root, no apt-get, podman broken). GATEKEEPER_SKIP_CONTAINER_TEST=1 skips it, loudly.
set -euo pipefail

say() { echo "container-test: $*"; }
die() { echo "container-test: FAILED: $*" >&2; exit 1; }

if [ "${GATEKEEPER_SKIP_CONTAINER_TEST:-}" = 1 ]; then
  say "SKIPPED (GATEKEEPER_SKIP_CONTAINER_TEST=1): the action's container was NOT built or run"
  exit 0
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || die "needs root (podman's vfs store and runc as root, debootstrap); run as root, or set GATEKEEPER_SKIP_CONTAINER_TEST=1 to skip this test explicitly"

for f in github-action/dist/gatekeeper.tar.gz github-action/dist/gatekeeper-github-action.jar; do
  [ -s "$f" ] || die "no $f: run ./mvnw -B verify first (the github-action module stages the build context)"
done

# --- tools and the base image (cached; shared with deb/install-test.sh) ----------------------------------------------
# shellcheck source=../.ci/debian-base.sh
. "$root/.ci/debian-base.sh"   # sets podman=(...) and base=localhost/gatekeeper-action-base:...

# --- build ---------------------------------------------------------------------------------------------------------
image="localhost/gatekeeper-action:test-$$"
work="$(mktemp -d /tmp/gatekeeper-container-test.XXXXXX)"
cleanup() {
  "${podman[@]}" rmi --force "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "building github-action/Dockerfile on $base (context: github-action/, as the runner builds it)"
started=$SECONDS
# --layers=false: one layer on top of the base (the vfs driver copies the whole tree for every layer)
if ! "${podman[@]}" build --isolation chroot --layers=false --pull=never \
    --build-arg BASE_IMAGE="$base" -t "$image" github-action >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  die "podman build failed"
fi
say "built $image in $((SECONDS - started)) s"

# --- the workspace: a real clone with a bare remote, inside the mounted workspace ------------------------------------
# the runner's host layout: RUNNER_TEMP/_github_home -> /github/home, RUNNER_TEMP/_runner_file_commands ->
# /github/file_commands; RUNNER_TEMP itself is passed as the host's path and is not mounted
ws="$work/workspace"       # -> /github/workspace
temp="$work/_temp"         # RUNNER_TEMP
mkdir -p "$ws" "$temp/_github_home" "$temp/_runner_file_commands"
g() { git -c user.name=Agent -c user.email=agent@example.com -c init.defaultBranch=main "$@"; }
g init -q --bare "$ws/remote.git"
g init -q "$ws/app"
echo hello >"$ws/app/README"
g -C "$ws/app" add README
g -C "$ws/app" commit -q -m first
g -C "$ws/app" push -q "$ws/remote.git" main
# the remote as the container sees it
g -C "$ws/app" remote add origin file:///github/workspace/remote.git
g -C "$ws/app" config branch.main.remote origin
g -C "$ws/app" config branch.main.merge refs/heads/main
mkdir -p "$ws/policies"
printf 'version: 1\nprotected:\n  - ref: refs/heads/main\n    colour: blue\n' >"$ws/policies/broken.yaml"

# --- running the action as the runner does -------------------------------------------------------------------------
# run_action CASE NAME=VALUE...: the inputs are in podman's environment and passed by name ("-e NAME"), as the
# runner passes them to docker; the exit code, stdout, outputs and summary are left in $code, $work/CASE.*.
run_action() {
  local case=$1; shift
  local id names=() a t0
  id="$(cat /proc/sys/kernel/random/uuid)"
  t0=$SECONDS
  for a in "$@"; do names+=(-e "${a%%=*}"); done
  : >"$temp/_runner_file_commands/set_output_$id"
  : >"$temp/_runner_file_commands/step_summary_$id"
  set +e
  env "$@" \
    "GITHUB_OUTPUT=/github/file_commands/set_output_$id" \
    "GITHUB_STEP_SUMMARY=/github/file_commands/step_summary_$id" \
    GITHUB_WORKSPACE=/github/workspace HOME=/github/home "RUNNER_TEMP=$temp" \
    "${podman[@]}" run --rm --pull=never --network none \
      --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
      --workdir /github/workspace \
      "${names[@]}" -e HOME -e GITHUB_WORKSPACE -e GITHUB_OUTPUT -e GITHUB_STEP_SUMMARY -e RUNNER_TEMP \
      -e GITHUB_ACTIONS=true -e CI=true \
      -v "$temp/_github_home:/github/home" \
      -v "$temp/_runner_file_commands:/github/file_commands" \
      -v "$ws:/github/workspace" \
      "$image" >"$work/$case.out" 2>"$work/$case.err"
  code=$?
  set -e
  cp "$temp/_runner_file_commands/set_output_$id" "$work/$case.outputs"
  cp "$temp/_runner_file_commands/step_summary_$id" "$work/$case.summary"
  echo "--- $case: exit $code ($((SECONDS - t0)) s)"
  sed 's/^/    /' "$work/$case.out"
}

failures=0
check() {   # check CASE DESCRIPTION COMMAND...
  local case=$1 what=$2; shift 2
  if "$@"; then
    echo "  ok: $what"
  else
    echo "  FAIL: $what" >&2
    echo "    stderr of $case:" >&2
    sed 's/^/      /' "$work/$case.err" >&2
    failures=$((failures + 1))
  fi
}
# output CASE NAME: a step output, read as the runner reads GITHUB_OUTPUT (name<<DELIMITER ... DELIMITER)
output() {
  awk -v name="$2" '
    d == "" && index($0, name "<<") == 1 { d = substr($0, length(name) + 3); v = ""; n = 0; next }
    d != "" && $0 == d { print v; exit }
    d != "" { v = (n++ ? v "\n" : "") $0 }' "$work/$1.outputs"
}
is() { [ "$(output "$1" "$2")" = "$3" ]; }
has_line() { grep -qE "$2" "$work/$1.$3"; }

remote_tip() { git -C "$ws/remote.git" rev-parse main; }

# 1. verify-push, verified: working-directory as the runner gives it (hyphen kept) and as runs.env maps it
run_action verified INPUT_COMMAND=verify-push "INPUT_ARGS=--timeout 5s" \
  INPUT_WORKING-DIRECTORY=app INPUT_WORKING_DIRECTORY=app INPUT_TOKEN=ghs_containerTestToken
check verified "exit 0" [ "$code" = 0 ]
check verified "verdict=verified" is verified verdict verified
check verified "exit-code=0" is verified exit-code 0
check verified "remote-sha is the remote's tip" is verified remote-sha "$(remote_tip)"
check verified "report-path is the host path under RUNNER_TEMP" \
  is verified report-path "$temp/_github_home/gatekeeper-verify-push-report.json"
check verified "a later step reads the report there" \
  grep -q '"verdict":"verified"' "$temp/_github_home/gatekeeper-verify-push-report.json"
check verified "token masked first" [ "$(head -n 1 "$work/verified.out")" = "::add-mask::ghs_containerTestToken" ]
check verified "no ::error" bash -c "! grep -q '^::error' '$work/verified.out'"
check verified "summary heading" has_line verified '^### gatekeeper verify-push: verified \(exit 0\)$' summary

# 2. verify-push, not verified: a commit that was never pushed; only the hyphenated input name
echo claimed >"$ws/app/README"
g -C "$ws/app" commit -q -am "claimed but never pushed"
run_action not-verified INPUT_COMMAND=verify-push "INPUT_ARGS=--timeout 500ms" INPUT_WORKING-DIRECTORY=app
check not-verified "exit 3" [ "$code" = 3 ]
check not-verified "verdict=not-verified" is not-verified verdict not-verified
check not-verified "exit-code=3" is not-verified exit-code 3
check not-verified "remote-sha is the remote's (older) tip" is not-verified remote-sha "$(remote_tip)"
check not-verified "::error annotation" has_line not-verified '^::error title=gatekeeper verify-push::' out
check not-verified "summary heading" has_line not-verified '^### gatekeeper verify-push: not-verified \(exit 3\)$' summary

# 3. policy-check on a malformed policy
run_action policy INPUT_COMMAND=policy-check INPUT_POLICY=policies/broken.yaml
check policy "exit 2" [ "$code" = 2 ]
check policy "verdict=invalid" is policy verdict invalid
check policy "::error file=…,line=…,col=… on the bad key" \
  has_line policy '^::error file=policies/broken\.yaml,line=4,col=[0-9]+,title=gatekeeper policy-check::.*colour' out
check policy "summary heading" has_line policy '^### gatekeeper policy-check: invalid \(exit 2\)$' summary

# 4. a usage error: an unknown command
run_action usage INPUT_COMMAND=deploy
check usage "exit 2" [ "$code" = 2 ]
check usage "verdict=usage-error" is usage verdict usage-error
check usage "every output written" [ "$(grep -cE '^[a-z-]+<<ghadelimiter_' "$work/usage.outputs")" = 6 ]
check usage "::error annotation" has_line usage "^::error title=gatekeeper::input 'command' must be" out
check usage "summary heading" has_line usage '^### gatekeeper deploy: usage-error \(exit 2\)$' summary

if [ "$failures" -gt 0 ]; then
  die "$failures check(s) failed"
fi
say "ok: 4 cases, image built on $base, $SECONDS s in all"

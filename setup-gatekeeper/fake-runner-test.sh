#!/usr/bin/env bash
# setup-gatekeeper's shell steps (setup.sh) run as the runner runs a composite action's steps, against a fake
# runner: the action's checkout under _actions/<owner>/<repo>/<ref>/ (a copy of this tree's files, no .git),
# GITHUB_ACTION_PATH, RUNNER_TEMP, RUNNER_TOOL_CACHE, a fresh GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY per
# step, and GITHUB_PATH entries prepended to the PATH of the steps after it. What cannot run here is stood in for:
# actions/setup-java by this machine's JDK on the PATH; actions/cache by the tool-cache folder left in place (a
# restore puts exactly that folder back); the release download by a file server on 127.0.0.1.
#
# Cases: a build from the checkout (cold: no CLI cached; the Maven repository warm, as its cache restores it) and
# the same step again (warm: restored); the cache key follows the sources but not the tests; a release ref
# (download, SHA-256 check, then the tool cache), a tampered download (exit 3), a missing one (exit 4); then a
# workflow: a service started by the job on localhost, a deploy tool put on the PATH by an earlier step, a merge
# that breaks the service, and `gatekeeper stabilize` from setup-gatekeeper reverting it, redeploying with the
# host's tool and confirming recovery (exit 5).
#
# Needs: git, python3, a JDK 17+, the Maven repository (~/.m2) the build uses. Run from anywhere; ~1-2 min.
set -euo pipefail

say() { echo "fake-runner: $*"; }
die() { echo "fake-runner: FAILED: $*" >&2; exit 1; }

root="$(cd "$(dirname "$0")/.." && pwd -P)"
command -v python3 >/dev/null 2>&1 || die "needs python3 (the file server and the service on 127.0.0.1)"
java_bin="$(command -v java)" || die "needs java 17+ on the PATH (what actions/setup-java provides)"
java_home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"

work="$(mktemp -d /tmp/gatekeeper-fake-runner.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

runner="$work/runner"
export_home="$work/home"
mkdir -p "$runner/_temp/_runner_file_commands" "$runner/_tool" "$export_home/.m2"
# the Maven repository as actions/cache restores it (keyed on the pom files): this machine's
ln -s "${GATEKEEPER_M2_REPOSITORY:-$HOME/.m2/repository}" "$export_home/.m2/repository"

# the action's checkout, as the runner downloads it for `uses: acme/gatekeeper/setup-gatekeeper@main`
checkout() {   # checkout DIR: this tree's files (tracked and new, not ignored), without .git or build output
  mkdir -p "$1"
  (cd "$root" && git ls-files -z -co --exclude-standard) | (cd "$root" && tar --null -T - -cf -) | tar -C "$1" -xf -
}
action_main="$runner/_actions/acme/gatekeeper/main"
checkout "$action_main"

failures=0
check() {   # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >"$work/check.out" 2>&1; then
    echo "  ok: $what"
  else
    echo "  FAIL: $what" >&2
    sed 's/^/      /' "$work/check.out" >&2
    failures=$((failures + 1))
  fi
}
is() {
  [ -n "$2" ] || { echo "nothing to compare with"; return 1; }
  [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }
}

# --- the fake runner ------------------------------------------------------------------------------------------------
base_path="$java_home/bin:/usr/local/bin:/usr/bin:/bin"
added_path=""        # GITHUB_PATH entries of earlier steps, newest first, as the runner prepends them
n=0
# run_step ID DIR [NAME=VALUE...] -- COMMAND...: one step, its own file commands; exit code in $code
run_step() {
  local id=$1 dir=$2; shift 2
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  n=$((n + 1))
  local fc="$runner/_temp/_runner_file_commands"
  local out="$fc/set_output_$n" pth="$fc/add_path_$n" sum="$fc/step_summary_$n"
  : >"$out"; : >"$pth"; : >"$sum"
  local t0=$SECONDS
  set +e
  (cd "$dir" && env -i HOME="$export_home" PATH="$added_path$base_path" JAVA_HOME="$java_home" LANG=C.UTF-8 \
    CI=true GITHUB_ACTIONS=true RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$runner/_temp" \
    RUNNER_TOOL_CACHE="$runner/_tool" GITHUB_WORKSPACE="$ws" GITHUB_SERVER_URL=https://github.com \
    GITHUB_REPOSITORY=acme/app GITHUB_OUTPUT="$out" GITHUB_PATH="$pth" GITHUB_STEP_SUMMARY="$sum" \
    "${envs[@]}" "$@") >"$work/$id.out" 2>&1
  code=$?
  set -e
  took=$((SECONDS - t0))
  while IFS= read -r p; do [ -n "$p" ] && added_path="$p:$added_path"; done <"$pth"
  cp "$out" "$work/$id.outputs"
  cp "$sum" "$work/$id.summary"
  echo "--- $id: exit $code ($took s)"
  sed 's/^/    /' "$work/$id.out"
}
output() { sed -n "s/^$2=//p" "$work/$1.outputs" | tail -n 1; }
setup_step() {   # setup_step ID ACTION_CHECKOUT SUBCOMMAND: a shell step of setup-gatekeeper/action.yml
  run_step "$1" "$ws" GITHUB_ACTION_PATH="$2/setup-gatekeeper" GITHUB_ACTION_REPOSITORY=acme/gatekeeper \
    -- bash "$2/setup-gatekeeper/setup.sh" "$3"
}

# a file server / health service on 127.0.0.1:0; its port is in PORTFILE once it listens
cat >"$work/serve.py" <<'PY'
import http.server, os, sys
mode, folder, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            ok = open(os.path.join(folder, "health.txt")).read().strip() == "ok"
        except OSError:
            ok = False
        self.send_response(200 if ok else 500); self.end_headers()
        self.wfile.write(b"ok\n" if ok else b"broken\n")
    def log_message(self, *a): pass
class Files(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k): super().__init__(*a, directory=folder, **k)
    def log_message(self, fmt, *a): open(os.path.join(folder, "..", "requests.log"), "a").write(self.path + "\n")
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health if mode == "health" else Files)
open(portfile + ".tmp", "w").write(str(server.server_address[1])); os.rename(portfile + ".tmp", portfile)
server.serve_forever()
PY
serve() {   # serve MODE DIR: starts the server, prints its port
  local pf="$work/port.$RANDOM$RANDOM"
  python3 "$work/serve.py" "$1" "$2" "$pf" >/dev/null 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.1; done
  [ -s "$pf" ] || die "the $1 server did not start"
  cat "$pf"
}

# the job's workspace: the repository, checked out with its history, and its bare "origin"
g() { git -c user.name=CI -c user.email=ci@example.com -c init.defaultBranch=main "$@"; }
ws="$runner/_work/app/app"
g init -q --bare "$work/origin.git"
g init -q "$ws"
echo ok >"$ws/health.txt"
printf '#!/bin/sh\necho "app started"\n' >"$ws/app.sh"
g -C "$ws" add -A
g -C "$ws" commit -q -m "the app"
g -C "$ws" remote add origin "$work/origin.git"
g -C "$ws" push -q origin main
g -C "$ws" branch -q --set-upstream-to origin/main

version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")"

# --- 1. a non-release ref: built from the action's checkout ---------------------------------------------------------
setup_step plan-cold "$action_main" plan
check "plan: build mode" is "$(output plan-cold mode)" build
check "plan: the pom's version" is "$(output plan-cold version)" "$version"
check "plan: the CLI goes to the tool cache" bash -c "[[ '$(output plan-cold dist-dir)' == '$runner/_tool/gatekeeper/build-'* ]]"
check "plan: a cache key for the CLI and one for the Maven repository" \
  bash -c "[[ '$(output plan-cold dist-key)' == gatekeeper-dist-Linux-* && '$(output plan-cold m2-key)' == gatekeeper-m2-Linux-* ]]"

setup_step install-cold "$action_main" install
cold=$took
check "install (cold): exit 0" is "$code" 0
check "install (cold): built from the checkout" is "$(output install-cold source)" build
check "install (cold): the version" is "$(output install-cold version)" "$version"
check "install (cold): the dist-dir of the plan" is "$(output install-cold home)" "$(output plan-cold dist-dir)"
check "install (cold): a line in the step summary" grep -q "^setup-gatekeeper: \`gatekeeper $version\` on the PATH (built" \
  "$work/install-cold.summary"
run_step which "$ws" -- bash -c 'command -v gatekeeper && gatekeeper --version'
check "the next step finds gatekeeper on its PATH" is "$(head -n 1 "$work/which.out")" "$(output install-cold path)"

setup_step install-warm "$action_main" install
warm=$took
check "install (warm): exit 0" is "$code" 0
check "install (warm): restored, not built" is "$(output install-warm source)" cache
check "install (warm): no build ran" bash -c "! grep -q 'building the CLI' '$work/install-warm.out'"

# the key follows what goes into the distribution, not the tests
cp -a "$action_main" "$runner/_actions/acme/gatekeeper/feature"
echo "// a change" >>"$(ls "$runner"/_actions/acme/gatekeeper/feature/core/src/main/java/dev/gatekeeper/ExitCode.java)"
setup_step plan-changed "$runner/_actions/acme/gatekeeper/feature" plan
check "a change in the sources: another dist-key (a stale CLI is never restored)" \
  bash -c "[ '$(output plan-changed dist-key)' != '$(output plan-cold dist-key)' ]"
check "and another dist-dir" bash -c "[ '$(output plan-changed dist-dir)' != '$(output plan-cold dist-dir)' ]"
check "the same pom files: the same Maven repository key" is "$(output plan-changed m2-key)" "$(output plan-cold m2-key)"
rm -rf "$runner/_actions/acme/gatekeeper/feature"
cp -a "$action_main" "$runner/_actions/acme/gatekeeper/tests"
echo "// a test change" >>"$(ls "$runner"/_actions/acme/gatekeeper/tests/cli/src/test/java/dev/gatekeeper/cli/*.java | head -n 1)"
setup_step plan-tests "$runner/_actions/acme/gatekeeper/tests" plan
check "a change in tests only: the same dist-key" is "$(output plan-tests dist-key)" "$(output plan-cold dist-key)"
rm -rf "$runner/_actions/acme/gatekeeper/tests"

# --- 2. a release ref: the release's distribution, downloaded and checked --------------------------------------------
tarball="$root/cli/target/gatekeeper-$version.tar.gz"
[ -s "$tarball" ] || die "no $tarball (the release asset stand-in): run ./mvnw -B package first"
files="$work/releases/files"
mkdir -p "$files/acme/gatekeeper/releases/download/v$version"
cp "$tarball" "$files/acme/gatekeeper/releases/download/v$version/"
port="$(serve files "$files")"
release_checkout() {   # release_checkout REF SHA256 URL: the action's folder on a release ref (release.env in it)
  local dir="$runner/_actions/acme/gatekeeper/$1"
  mkdir -p "$dir"
  cp -a "$root/setup-gatekeeper" "$dir/"   # only the action's folder: a release ref never builds
  printf 'GATEKEEPER_RELEASE_VERSION=%s\nGATEKEEPER_RELEASE_URL=%s\nGATEKEEPER_RELEASE_SHA256=%s\n' \
    "$version" "$3" "$2" >"$dir/setup-gatekeeper/release.env"
  echo "$dir"
}
url="http://127.0.0.1:$port/acme/gatekeeper/releases/download/v$version/gatekeeper-$version.tar.gz"
sum="$(sha256sum <"$tarball" | cut -d' ' -f1)"
rel="$(release_checkout "v$version" "$sum" "$url")"
added_path=""
setup_step release-plan "$rel" plan
check "plan: release mode" is "$(output release-plan mode)" release
setup_step release-install "$rel" install
check "install (release): exit 0" is "$code" 0
check "install (release): downloaded" is "$(output release-install source)" release
check "install (release): in the tool cache under its version" is "$(output release-install home)" "$runner/_tool/gatekeeper/$version"
run_step which-release "$ws" -- gatekeeper --version
check "the next step runs the release's gatekeeper" is "$(cat "$work/which-release.out")" "gatekeeper $version"
setup_step release-again "$rel" install
check "install (release, again): the tool cache, no download" is "$(output release-again source)" cache
check "one download in all" is "$(grep -c "gatekeeper-$version.tar.gz" "$work/releases/requests.log")" 1

rm -rf "$runner/_tool/gatekeeper/$version"
added_path=""
bad="$(release_checkout tampered "$(printf '%064d' 0)" "$url")"
setup_step release-tampered "$bad" install
check "a download that is not the release's: exit 3" is "$code" 3
check "with an ::error saying so" grep -q "^::error title=setup-gatekeeper::.*not the release's" "$work/release-tampered.out"
check "and nothing installed or on the PATH" bash -c "[ ! -e '$runner/_tool/gatekeeper/$version' ] && [ -z '$added_path' ]"
missing="$(release_checkout missing "$sum" "http://127.0.0.1:$port/acme/gatekeeper/releases/download/v0.0.0/nothing.tar.gz")"
setup_step release-missing "$missing" install
check "a download that fails: exit 4" is "$code" 4

# --- 3. a workflow: setup-gatekeeper, then stabilize on the runner host ----------------------------------------------
added_path=""
say "the workflow: a service on localhost, a host deploy tool, a breaking merge, stabilize"
setup_step setup "$action_main" install    # warm: restored (see 1.)
check "setup-gatekeeper: exit 0" is "$code" 0
# the job's deployed copy of the app and its service on 127.0.0.1, started by an earlier step (as `./app &` would be)
g clone -q "$work/origin.git" "$work/deployed"
service_port="$(serve health "$work/deployed")"
check "the service is healthy before the merge" curl -fsS "http://127.0.0.1:$service_port/health"
# a deploy tool put on the PATH by an earlier step (as azure/setup-kubectl does): it exists on the host only
mkdir -p "$work/tools"
cat >"$work/tools/kubectl" <<EOF
#!/bin/sh
# stand-in for the user's deploy tool: "rollout restart" deploys what origin/main holds now
echo "kubectl \$*" >>"$work/kubectl.log"
git -C "$work/deployed" pull -q --ff-only
EOF
chmod +x "$work/tools/kubectl"
run_step setup-kubectl "$ws" -- bash -c "echo '$work/tools' >>\"\$GITHUB_PATH\""
# the merge that breaks the service, pushed and deployed by the pipeline
g -C "$ws" switch -q -c feature
echo broken >"$ws/health.txt"
g -C "$ws" commit -q -am "feature: new health logic"
g -C "$ws" switch -q main
g -C "$ws" merge -q --no-ff -m "Merge feature" feature
merge="$(g -C "$ws" rev-parse HEAD)"
run_step deploy "$ws" -- bash -c 'git push -q origin HEAD:main && kubectl rollout restart deployment/app'
check "the deploy step used the host's kubectl" is "$code" 0
check "the merge broke the service" bash -c "! curl -fsS http://127.0.0.1:$service_port/health"
run_step stabilize "$ws" -- bash -c "gatekeeper stabilize --branch main --commit $merge --wait 0s \
    --probe http:GET:http://127.0.0.1:$service_port/health --samples 2 --interval 100ms --confirm-wait 0s \
    --deploy 'kubectl rollout restart deployment/app' --json >stabilize.json"
check "stabilize: exit 5 (reverted and recovered)" is "$code" 5
check "the JSON says so" python3 -c "import json,sys; d=json.load(open('$ws/stabilize.json')); sys.exit(0 if d['exit']==5 and d['revert'] else 1)"
check "main on the remote is a revert of the merge" bash -c \
  "git -C '$work/origin.git' log -1 --format=%B main | grep -q '^Gatekeeper-Reverts: $merge'"
check "stabilize redeployed with the host's kubectl" is "$(tail -n 1 "$work/kubectl.log")" "kubectl rollout restart deployment/app"
check "the service is healthy again" curl -fsS "http://127.0.0.1:$service_port/health"

echo "--- timings: setup-gatekeeper install, build mode: cold ${cold} s (built), warm ${warm} s (restored)"
[ "$failures" = 0 ] || die "$failures check(s) failed"
say "ok: build (cold, warm), cache keys, release (download, checksum, tool cache), stabilize on the host (exit 5)"

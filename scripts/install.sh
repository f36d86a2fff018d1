#!/usr/bin/env bash
# Installs the workspace's dependencies with the project's Node and Yarn.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
yarn install
# better-sqlite3 without its binding fails only when the backend opens its database;
# fail here instead, with the reason.
node -e "new (require('better-sqlite3'))(':memory:').close()" \
  || { echo "better-sqlite3 has no native binding; check enableScripts in .yarnrc.yml" >&2; exit 1; }

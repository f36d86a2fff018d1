#!/usr/bin/env bash
# README command 1: install everything and start the portal (frontend :3000, backend :7007)
# on SQLite with the local executor and the demo pipelines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/demo-repos.sh
source scripts/toolchain.sh
exec yarn start

#!/usr/bin/env bash
# README command 2: install everything and run every test. Store and engine suites run on
# SQLite always, and on PostgreSQL too when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
# is set (.ci/run sets it after starting a local PostgreSQL 15).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
source scripts/toolchain.sh
yarn tsc
# No Docker engine is assumed: without a PostgreSQL connection string only SQLite runs.
export BACKSTAGE_TEST_DISABLE_DOCKER="${BACKSTAGE_TEST_DISABLE_DOCKER:-1}"
CI=true yarn test --passWithNoTests
scripts/browser-test.sh

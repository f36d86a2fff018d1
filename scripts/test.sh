#!/usr/bin/env bash
# README command 2: install everything and run every test: the type check, the packages packed
# and installed into a copy of the demo (scripts/pack-install-test.sh), the jest suites and
# the browser tests. Store and engine suites run on SQLite always, and on PostgreSQL too when
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (.ci/run sets it after starting a
# local PostgreSQL 15).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
source scripts/toolchain.sh
yarn tsc
# What an adopter installs: every package of plugins/ packed as it is published, installed
# from its tarball into a scratch copy of the demo, which must build, start and serve
# (README, Releasing). Reuses the type declarations tsc just wrote.
scripts/pack-install-test.sh
# No Docker engine is assumed: without a PostgreSQL connection string only SQLite runs.
export BACKSTAGE_TEST_DISABLE_DOCKER="${BACKSTAGE_TEST_DISABLE_DOCKER:-1}"
# Kubernetes tests run against a local control plane (etcd, kube-apiserver, scheduler,
# controller manager, kwok fake nodes; scripts/k8s/README.md). Its binaries are built once
# from Go modules into the cache (~10 min on a fresh machine; skipped when present).
scripts/k8s/build-binaries.sh
trap 'scripts/k8s/start-apiserver.sh stop >/dev/null || true' EXIT
scripts/k8s/start-apiserver.sh start
CI=true yarn test --passWithNoTests
# The browser tests bind that control plane on the Clusters page: the portal knows it
# through its kubeconfig (an app-config override, so the demo config stays cluster-free).
# They connect a code host account on a stand-in at 127.0.0.1, which user-given URLs may
# reach only when the admin allows it.
APP_CONFIG_devops_kubernetes_kubeconfig="$(scripts/k8s/start-apiserver.sh kubeconfig)" \
  APP_CONFIG_devops_repositories_allowedHosts='["127.0.0.1"]' \
  scripts/browser-test.sh

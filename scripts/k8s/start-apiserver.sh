#!/usr/bin/env bash
# Run a local etcd + kube-apiserver on 127.0.0.1 (binaries from build-binaries.sh).
# Usage: scripts/k8s/start-apiserver.sh start|stop|status|kubeconfig
#   start       start etcd and kube-apiserver, wait for /readyz, write the kubeconfig
#   stop        stop both (by their pid files)
#   kubeconfig  print the kubeconfig path
# Env: DEVOPS_CACHE_DIR, K8S_API_PORT (6443), ETCD_CLIENT_PORT (2379), ETCD_PEER_PORT (2380)
set -euo pipefail

CACHE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s"
BIN_DIR="$CACHE_DIR/bin"
RUN_DIR="$CACHE_DIR/run"
PKI="$RUN_DIR/pki"
KUBECONFIG_FILE="$CACHE_DIR/kubeconfig"
API_PORT="${K8S_API_PORT:-6443}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-2379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-2380}"

die() { echo "start-apiserver: $*" >&2; exit 1; }

alive() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

gen_pki() {
  mkdir -p "$PKI"
  [[ -f "$PKI/apiserver.crt" ]] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=local-k8s-ca" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n' \
    > "$PKI/apiserver.ext"
  openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -CAcreateserial -days 3650 -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  local token; token="$(openssl rand -hex 24)"
  echo "$token" > "$PKI/admin.token"
  echo "$token,admin,admin-uid,\"system:masters\"" > "$PKI/tokens.csv"
  chmod 600 "$PKI"/*.key "$PKI/tokens.csv" "$PKI/admin.token"
}

write_kubeconfig() {
  cat > "$KUBECONFIG_FILE" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: admin
  user:
    token: $(cat "$PKI/admin.token")
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
KCFG
  chmod 600 "$KUBECONFIG_FILE"
}

start() {
  [[ -x "$BIN_DIR/etcd" && -x "$BIN_DIR/kube-apiserver" ]] || die "binaries missing; run scripts/k8s/build-binaries.sh"
  command -v openssl >/dev/null || die "openssl not found"
  mkdir -p "$RUN_DIR"
  gen_pki
  if ! alive etcd; then
    "$BIN_DIR/etcd" --name local --data-dir "$RUN_DIR/etcd-data" \
      --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
      --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
      --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT" \
      > "$RUN_DIR/etcd.log" 2>&1 &
    echo $! > "$RUN_DIR/etcd.pid"
  fi
  local i
  for i in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health" >/dev/null 2>&1 && break
    alive etcd || die "etcd exited; see $RUN_DIR/etcd.log"
    sleep 0.5
  done
  if ! alive kube-apiserver; then
    "$BIN_DIR/kube-apiserver" \
      --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
      --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
      --client-ca-file "$PKI/ca.crt" \
      --token-auth-file "$PKI/tokens.csv" \
      --authorization-mode RBAC \
      --service-account-key-file "$PKI/sa.pub" \
      --service-account-signing-key-file "$PKI/sa.key" \
      --service-account-issuer https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range 10.0.0.0/24 \
      --cert-dir "$RUN_DIR/apiserver-certs" \
      > "$RUN_DIR/kube-apiserver.log" 2>&1 &
    echo $! > "$RUN_DIR/kube-apiserver.pid"
  fi
  write_kubeconfig
  local token; token="$(cat "$PKI/admin.token")"
  for i in $(seq 1 120); do
    if curl -fsS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $token" \
        "https://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1; then
      echo "kube-apiserver ready at https://127.0.0.1:$API_PORT (kubeconfig: $KUBECONFIG_FILE)"
      return 0
    fi
    alive kube-apiserver || die "kube-apiserver exited; see $RUN_DIR/kube-apiserver.log"
    sleep 1
  done
  die "kube-apiserver not ready after 120s; see $RUN_DIR/kube-apiserver.log"
}

stop_one() {
  local n="$1" pid
  [[ -f "$RUN_DIR/$n.pid" ]] || return 0
  pid="$(cat "$RUN_DIR/$n.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$RUN_DIR/$n.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop_one kube-apiserver; stop_one etcd; echo stopped ;;
  status) for n in etcd kube-apiserver; do alive "$n" && echo "$n running" || echo "$n stopped"; done ;;
  kubeconfig) [[ -f "$KUBECONFIG_FILE" ]] || die "no kubeconfig yet; run start"; echo "$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 start|stop|status|kubeconfig" >&2; exit 2 ;;
esac

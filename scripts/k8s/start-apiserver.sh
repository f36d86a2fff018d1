#!/usr/bin/env bash
# A local Kubernetes control plane for integration tests, all on 127.0.0.1:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler (binaries from
#   build-binaries.sh) and the kwok controller, which plays the kubelet for fake nodes that
#   this script registers; pod lifecycles follow scripts/k8s/kwok/pod-stages.yaml.
# Usage: scripts/k8s/start-apiserver.sh start|stop|status|kubeconfig|env
#   start       start whatever is not running, wait until pods can be scheduled and run,
#               print the time it took (idempotent: a running plane is left as it is)
#   stop        stop every component and delete the state (etcd data, certificates, logs)
#   status      say which components run; exit 1 unless all do
#   kubeconfig  print the kubeconfig path
#   env         print `export KUBECONFIG=...` for eval
# Env: DEVOPS_CACHE_DIR; ports K8S_API_PORT (6443), ETCD_CLIENT_PORT (2379),
#   ETCD_PEER_PORT (2380), KCM_PORT (10257), SCHEDULER_PORT (10259), KWOK_PORT (10247);
#   KWOK_NODES (2): number of fake nodes.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/k8s"
BIN_DIR="$CACHE_DIR/bin"
RUN_DIR="$CACHE_DIR/run"
PKI="$RUN_DIR/pki"
KUBECONFIG_FILE="$CACHE_DIR/kubeconfig"
API_PORT="${K8S_API_PORT:-6443}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-2379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-2380}"
KCM_PORT="${KCM_PORT:-10257}"
SCHEDULER_PORT="${SCHEDULER_PORT:-10259}"
KWOK_PORT="${KWOK_PORT:-10247}"
KWOK_NODES="${KWOK_NODES:-2}"
# Start order (stop_processes has its own).
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

die() { echo "start-apiserver: $*" >&2; exit 1; }
note() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# A killed component stays a zombie until init reaps it (up to seconds here): not running.
running() { local st; st="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$st" != Z* ]]; }
alive() { [[ -f "$RUN_DIR/$1.pid" ]] && running "$(cat "$RUN_DIR/$1.pid")"; }

# A port held by something that is not ours would make a component fail obscurely later.
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Bump when a component's flags change, so that `start` restarts a plane started before.
PLANE_VERSION=2
# What a running component was started with: the certificates and token, the flags and the
# kwok stages. A component started with something else (an older version of this script,
# or before the PKI was regenerated) would not work with the rest.
config_id() {
  { echo "$PLANE_VERSION"; cat "$PKI/ca.crt" "$PKI/admin.token" "$HERE"/kwok/*.yaml; } | sha256sum | cut -c1-16
}

stale() { [[ "$(cat "$RUN_DIR/$1.config" 2>/dev/null)" != "$(config_id)" ]]; }

# run NAME PORT CMD... : start CMD in the background unless NAME already runs
run() {
  local name="$1" port="$2"; shift 2
  alive "$name" && return 0
  port_free "$port" || die "port $port (for $name) is in use by another process; stop it or set the port variable (see the header of $0)"
  # 9>&-: the component must not inherit (and so hold forever) the start/stop lock.
  "$@" > "$RUN_DIR/$name.log" 2>&1 9>&- &
  echo $! > "$RUN_DIR/$name.pid"
  config_id > "$RUN_DIR/$name.config"
}

# wait_for WHAT NAME TIMEOUT CMD... : poll CMD until it succeeds; fail early if NAME died
wait_for() {
  local what="$1" name="$2" timeout="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "$name exited while waiting for $what; see $RUN_DIR/$name.log"
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what; see $RUN_DIR/$name.log"
    sleep 0.3
  done
}

# api METHOD PATH [curl args...] : call the API server as admin
api() {
  local method="$1" path="$2"; shift 2
  curl -fsS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(cat "$PKI/admin.token")" \
    -X "$method" "https://127.0.0.1:$API_PORT$path" "$@"
}

# sign NAME CN SAN EKU [O] : a key and a certificate signed by the local CA
sign() {
  local name="$1" cn="$2" san="$3" eku="$4" org="${5:-}" subj="/CN=$2"
  [[ -n "$org" ]] && subj="/O=$org/CN=$cn"
  openssl req -newkey rsa:2048 -nodes -subj "$subj" \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" 2>/dev/null
  { [[ -n "$san" ]] && echo "subjectAltName=$san"; echo "extendedKeyUsage=$eku"; } > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -CAcreateserial -days 3650 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
}

gen_pki() {
  [[ -f "$PKI/done" ]] && return
  rm -rf "$PKI"; mkdir -p "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=local-k8s-ca" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  sign apiserver kube-apiserver \
    "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1" serverAuth
  # kwok serves the kubelet API (logs) over TLS; the apiserver verifies it with this CA.
  sign kwok kwok-kubelet "IP:127.0.0.1,DNS:localhost" serverAuth
  # The apiserver's client identity towards the kubelet (kwok does not check it, a kubelet would).
  sign apiserver-kubelet-client kube-apiserver-kubelet-client "" clientAuth system:masters
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  local token; token="$(openssl rand -hex 24)"
  echo "$token" > "$PKI/admin.token"
  echo "$token,admin,admin-uid,\"system:masters\"" > "$PKI/tokens.csv"
  chmod 600 "$PKI"/*.key "$PKI/tokens.csv" "$PKI/admin.token"
  touch "$PKI/done"
}

write_kubeconfig() {
  cat > "$KUBECONFIG_FILE.tmp" <<KCFG
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
  chmod 600 "$KUBECONFIG_FILE.tmp"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
}

# Every container of every pod "logs" this file (kwok ClusterLogs), unless a `Logs` object
# named after the pod says otherwise (testCluster.ts setPodLogs). kwok reads it as a CRI
# log file, so each line is `<RFC3339Nano time> <stream> F <text>`.
write_kwok_logs() {
  mkdir -p "$RUN_DIR/kwok"
  cat > "$RUN_DIR/kwok/container.log" <<'LOG'
2026-01-01T00:00:00.000000000Z stdout F kwok: container started
2026-01-01T00:00:00.100000000Z stdout F kwok: simulated step output line 1
2026-01-01T00:00:00.200000000Z stderr F kwok: simulated step output line 2 (stderr)
2026-01-01T00:00:00.300000000Z stdout F kwok: container finished
LOG
  cat > "$RUN_DIR/kwok/logs.yaml" <<YAML
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: all-pods
spec:
  logs:
  - logsFile: $RUN_DIR/kwok/container.log
    previousLogsFile: $RUN_DIR/kwok/container.log
YAML
}

# Fake nodes kwok manages (selected by annotation). Status is accepted on create for nodes;
# kwok's default node stages then set Ready, addresses (127.0.0.1) and the kubelet port, and
# keep the node lease fresh so the node lifecycle controller does not evict anything.
create_nodes() {
  local i name
  for ((i = 0; i < KWOK_NODES; i++)); do
    name="kwok-node-$i"
    api GET "/api/v1/nodes/$name" >/dev/null 2>&1 && continue
    api POST /api/v1/nodes -H 'Content-Type: application/yaml' --data-binary @- >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node-role.kubernetes.io/agent: ""
status:
  allocatable: {cpu: "32", memory: 64Gi, pods: "110", ephemeral-storage: 100Gi}
  capacity: {cpu: "32", memory: 64Gi, pods: "110", ephemeral-storage: 100Gi}
YAML
  done
}

# kwok only watches a CRD that exists when it starts.
install_logs_crd() {
  local crd=/apis/apiextensions.k8s.io/v1/customresourcedefinitions
  api GET "$crd/logs.kwok.x-k8s.io" >/dev/null 2>&1 ||
    api POST "$crd" -H 'Content-Type: application/yaml' --data-binary "@$HERE/kwok/logs-crd.yaml" >/dev/null
  wait_for "the Logs CRD" kube-apiserver 30 crd_established
}

crd_established() {
  api GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/logs.kwok.x-k8s.io |
    jq -e '.status.conditions // [] | any(.type == "Established" and .status == "True")'
}

nodes_ready() {
  local n
  n="$(api GET "/api/v1/nodes?labelSelector=type%3Dkwok" |
    jq '[.items[] | select(.status.conditions // [] | any(.type == "Ready" and .status == "True"))
          | select(.status.daemonEndpoints.kubeletEndpoint.Port > 0)] | length')"
  [[ "$n" -ge "$KWOK_NODES" ]]
}

healthz() { curl -fsSk "https://127.0.0.1:$1/healthz"; }

start() {
  local t0=$SECONDS b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    [[ -x "$BIN_DIR/$b" ]] || die "$BIN_DIR/$b is missing; build the binaries with scripts/k8s/build-binaries.sh (~10 min on a fresh machine)"
  done
  command -v openssl >/dev/null || die "openssl not found"
  command -v jq >/dev/null || die "jq not found"
  mkdir -p "$RUN_DIR"
  gen_pki
  for b in "${COMPONENTS[@]}"; do
    if alive "$b" && stale "$b"; then
      note "$b was started with another configuration; restarting the control plane"
      stop_processes
      break
    fi
  done
  write_kwok_logs

  run etcd "$ETCD_CLIENT_PORT" "$BIN_DIR/etcd" --name local --data-dir "$RUN_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync # test data only: fsync makes etcd (and so every API write) slow on a busy disk
  wait_for "etcd health" etcd 30 curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

  run kube-apiserver "$API_PORT" "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --token-auth-file "$PKI/tokens.csv" \
    --authorization-mode RBAC \
    --allow-privileged=true \
    --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.0.0.0/24 \
    --kubelet-preferred-address-types InternalIP \
    --kubelet-certificate-authority "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --cert-dir "$RUN_DIR/apiserver-certs"
  write_kubeconfig
  wait_for "kube-apiserver /readyz" kube-apiserver 120 api GET /readyz
  note "kube-apiserver ready after $((SECONDS - t0))s"
  install_logs_crd

  # --leader-elect=false: a single instance, and no lease to wait for on start.
  run kube-controller-manager "$KCM_PORT" "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" \
    --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --cert-dir "$RUN_DIR/kcm-certs" \
    --leader-elect=false \
    --root-ca-file "$PKI/ca.crt" \
    --service-account-private-key-file "$PKI/sa.key"
  run kube-scheduler "$SCHEDULER_PORT" "$BIN_DIR/kube-scheduler" \
    --kubeconfig "$KUBECONFIG_FILE" \
    --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --cert-dir "$RUN_DIR/scheduler-certs" \
    --leader-elect=false
  run kwok "$KWOK_PORT" "$BIN_DIR/kwok" \
    --kubeconfig "$KUBECONFIG_FILE" \
    --config "$HERE/kwok/pod-stages.yaml" --config "$RUN_DIR/kwok/logs.yaml" \
    --enable-crds Logs \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip 127.0.0.1 --node-port "$KWOK_PORT" --server-address "127.0.0.1:$KWOK_PORT" \
    --tls-cert-file "$PKI/kwok.crt" --tls-private-key-file "$PKI/kwok.key" \
    --node-lease-duration-seconds 40 \
    --cidr 10.244.0.1/16
  create_nodes

  wait_for "kube-scheduler /healthz" kube-scheduler 60 healthz "$SCHEDULER_PORT"
  wait_for "kube-controller-manager /healthz" kube-controller-manager 60 healthz "$KCM_PORT"
  # The service account controller (in kube-controller-manager) creating `default` shows
  # the controllers work; pods cannot be created in a namespace before it exists.
  wait_for "the default service account" kube-controller-manager 60 \
    api GET /api/v1/namespaces/default/serviceaccounts/default
  wait_for "kwok /healthz" kwok 60 curl -fsS "http://127.0.0.1:$KWOK_PORT/healthz"
  wait_for "$KWOK_NODES Ready kwok nodes" kwok 60 nodes_ready
  # A component that lost a race (say, for a port) may have exited after its own check.
  for b in "${COMPONENTS[@]}"; do alive "$b" || die "$b exited; see $RUN_DIR/$b.log"; done
  echo "control plane ready in $((SECONDS - t0))s: https://127.0.0.1:$API_PORT, kubeconfig $KUBECONFIG_FILE"
}

# stop_group SIGNAL NAME... : signal the components together, wait (then SIGKILL) for all.
stop_group() {
  local sig="$1" n pid pids=(); shift
  for n in "$@"; do
    if alive "$n"; then pid="$(cat "$RUN_DIR/$n.pid")"; pids+=("$pid"); kill "-$sig" "$pid" 2>/dev/null || true; fi
    rm -f "$RUN_DIR/$n.pid" "$RUN_DIR/$n.config"
  done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while running "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    running "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
}

# stop_processes [SIGNAL]: clients of the apiserver first, then the apiserver, then etcd;
# each shuts down gracefully in ~2 s, but the apiserver hangs without etcd and etcd waits
# for its client. `stop` uses KILL: the state is deleted anyway.
stop_processes() {
  local sig="${1:-TERM}"
  stop_group "$sig" kwok kube-scheduler kube-controller-manager
  stop_group "$sig" kube-apiserver
  stop_group "$sig" etcd
}

stop() {
  stop_processes KILL
  # Everything is recreated on start; a fresh etcd keeps test runs independent.
  rm -rf "$RUN_DIR" "$KUBECONFIG_FILE"
  echo stopped
}

status() {
  local n rc=0
  for n in "${COMPONENTS[@]}"; do
    if alive "$n"; then echo "$n running (pid $(cat "$RUN_DIR/$n.pid"))"; else echo "$n stopped"; rc=1; fi
  done
  if [[ $rc == 0 ]]; then
    api GET /readyz >/dev/null 2>&1 && echo "kube-apiserver ready at https://127.0.0.1:$API_PORT" || { echo "kube-apiserver not ready"; rc=1; }
    nodes_ready 2>/dev/null && echo "$KWOK_NODES kwok nodes Ready" || { echo "kwok nodes not Ready"; rc=1; }
  fi
  return $rc
}

# Test files running in parallel may all call `start`; one at a time, the others then find
# everything running.
lock() {
  mkdir -p "$CACHE_DIR"
  exec 9> "$CACHE_DIR/.lock"
  flock -w 300 9 || die "another start/stop holds $CACHE_DIR/.lock for more than 300s"
}

case "${1:-}" in
  start) lock; start ;;
  stop) lock; stop ;;
  status) status ;;
  kubeconfig) [[ -f "$KUBECONFIG_FILE" ]] || die "no kubeconfig yet; run $0 start"; echo "$KUBECONFIG_FILE" ;;
  env) [[ -f "$KUBECONFIG_FILE" ]] || die "no kubeconfig yet; run $0 start"; echo "export KUBECONFIG=$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 start|stop|status|kubeconfig|env" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Browser tests: starts the portal exactly as README command 1 does (scripts/start.sh), waits
# until the frontend (:3000) and the DevOps API (:7007) answer, runs the tests in
# packages/app/e2e-tests with playwright-core driving Debian's Chromium, and stops the portal.
# Then it starts the portal again signed in as nora, a normal user (the README's way to try a
# role), for the tests in e2e-tests/normal-user. Exits with the tests' status.
#
# Settings (environment):
#   E2E_CHROMIUM          the browser                            (default /usr/bin/chromium)
#   E2E_STARTUP_TIMEOUT   seconds to wait for the portal         (default 900)
#   E2E_PORTAL_LOG        the portal's log file                  (default a file in the temp dir)
#   E2E_REUSE_PORTAL=1    use a portal that is already running on :3000/:7007 instead of
#                         starting one (for working on the tests; CI never sets it)
#   E2E_FILTER            only tests whose name matches this regular expression
# The screenshots land in docs/ (canvas.png, run-live-log.png, entity-tab.png, normal-user.png, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

FRONTEND_URL=http://localhost:3000
API_URL=http://localhost:7007/api/devops/pipelines
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
STARTUP_TIMEOUT="${E2E_STARTUP_TIMEOUT:-900}"
PORTAL_LOG="${E2E_PORTAL_LOG:-$(mktemp "${TMPDIR:-/tmp}/devops-portal.XXXXXX.log")}"

log() { echo "browser-test.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- the browser -------------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  if [ "$CHROMIUM" = /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ]; then
    log "installing Debian's chromium"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    [ -x "$CHROMIUM" ] || die "chromium installed, but $CHROMIUM is missing"
  else
    die "no browser at $CHROMIUM; install it with: sudo apt-get update && sudo apt-get install -y chromium"
  fi
fi

# --- the portal --------------------------------------------------------------------------
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true; }
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\))).*/\1/p' | head -n1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORTAL_PID=""
PORTAL_SID=""
SID_FILE="$(mktemp "${TMPDIR:-/tmp}/devops-portal-sid.XXXXXX")"
# The portal runs in a session of its own. Yarn and the Backstage CLI start some of their
# children in process groups of their own, so the whole session is stopped, not one group.
session_pids() { [ -n "$PORTAL_SID" ] && ps -eo pid=,sid= | awk -v sid="$PORTAL_SID" '$2 == sid { print $1 }'; }
stop_portal() {
  [ -n "$PORTAL_PID" ] || { rm -f "$SID_FILE"; return 0; }
  [ -n "$PORTAL_SID" ] || PORTAL_SID="$(cat "$SID_FILE" 2>/dev/null || true)"
  local pids
  pids="$(session_pids || true)"
  if [ -n "$pids" ]; then
    log "stopping the portal (session $PORTAL_SID)"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    local i
    for i in $(seq 1 30); do
      [ -n "$(session_pids || true)" ] || break
      sleep 1
    done
    pids="$(session_pids || true)"
    if [ -n "$pids" ]; then
      log "the portal did not stop within 30s; killing it"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
  fi
  wait "$PORTAL_PID" 2>/dev/null || true
  PORTAL_PID=""
  rm -f "$SID_FILE"
}
trap stop_portal EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log_tail() {
  # Without the backend's one-line-per-request log, which would fill the tail.
  log "last 60 lines of the portal's log ($PORTAL_LOG), requests left out:"
  grep -v 'incomingRequest' "$PORTAL_LOG" | tail -n 60 >&2 || true
}

start_portal() { # start_portal <who signs in>: scripts/start.sh, with the guest being <who>
  for port in 3000 7007; do
    if port_busy "$port"; then
      die "port $port is already in use ($(port_owner "$port")); stop that process first (another 'yarn start'?), or set E2E_REUSE_PORTAL=1 to test it"
    fi
  done
  log "starting the portal with scripts/start.sh, signed in as $1 (log: $PORTAL_LOG)"
  local started=$SECONDS
  # A session of its own (its leader's pid is the session id), so that stopping it reaches
  # yarn, the dev server, the backend and the scripts of runs. The guest sign-in is the
  # user the README says to start the portal with to try a role.
  APP_CONFIG_auth_providers_guest_userEntityRef="$1" \
    setsid -w bash -c 'echo $$ >"$1"; exec scripts/start.sh' bash "$SID_FILE" \
    >>"$PORTAL_LOG" 2>&1 </dev/null &
  PORTAL_PID=$!
  PORTAL_SID=""
  local front="" api=""
  while :; do
    if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
      show_log_tail
      die "the portal exited before it was up"
    fi
    [ -n "$front" ] || { [ "$(http_code "$FRONTEND_URL")" = 200 ] && front=$((SECONDS - started)); }
    # 401: the backend is up and the route wants a token.
    [ -n "$api" ] || { [ "$(http_code "$API_URL")" = 401 ] && api=$((SECONDS - started)); }
    [ -n "$front" ] && [ -n "$api" ] && break
    if [ $((SECONDS - started)) -ge "$STARTUP_TIMEOUT" ]; then
      show_log_tail
      die "the portal was not up after ${STARTUP_TIMEOUT}s (frontend $FRONTEND_URL: ${front:+up}${front:-$(http_code "$FRONTEND_URL")}, API $API_URL: ${api:+up}${api:-$(http_code "$API_URL")}; set E2E_STARTUP_TIMEOUT to wait longer)"
    fi
    sleep 2
  done
  STARTUP_TIMES+=("portal startup as $1 (scripts/start.sh until :3000 and :7007 answer): $((SECONDS - started))s")
  log "portal up after $((SECONDS - started))s (backend API ${api}s, frontend ${front}s)"
}

run_tests() { # run_tests <test files>: one file at a time (they share the portal)
  local status
  set +e
  # A test that hangs fails after 5 minutes.
  E2E_CHROMIUM="$CHROMIUM" E2E_DOCS_DIR="$ROOT/docs" E2E_TIMINGS_FILE="$TIMINGS_FILE" \
    node --require @backstage/cli/config/nodeTransform.cjs \
    --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec \
    ${E2E_FILTER:+--test-name-pattern="$E2E_FILTER"} \
    "$@"
  status=$?
  set -e
  return "$status"
}

source scripts/toolchain.sh
# The root tsconfig covers src/ folders only; the tests are type-checked here.
node_modules/.bin/tsc -p packages/app/e2e-tests/tsconfig.json \
  || die "the browser tests do not type-check"
mkdir -p docs
TIMINGS_FILE="$(mktemp "${TMPDIR:-/tmp}/devops-e2e-timings.XXXXXX")"
STARTUP_TIMES=()
TESTS_STARTED=$SECONDS
status=0

# --- the tests, signed in as the demo's guest (an admin) ---------------------------------
if [ "${E2E_REUSE_PORTAL:-}" = 1 ]; then
  log "E2E_REUSE_PORTAL=1: using the portal already running on :3000 and :7007"
  [ "$(http_code "$FRONTEND_URL")" = 200 ] || die "nothing answers on $FRONTEND_URL"
  [ "$(http_code "$API_URL")" = 401 ] || die "the DevOps API does not answer on $API_URL"
  log "the tests of e2e-tests/normal-user need a portal signed in as nora; they run only without E2E_REUSE_PORTAL"
  run_tests packages/app/e2e-tests/*.e2e.ts || status=$?
else
  start_portal user:default/guest
  run_tests packages/app/e2e-tests/*.e2e.ts || status=$?
  stop_portal
  # --- signed in as nora, a normal user (SPEC §9) -----------------------------------------
  start_portal user:default/nora
  run_tests packages/app/e2e-tests/normal-user/*.e2e.ts || status=$?
fi

echo "=== browser tests: timings"
for t in "${STARTUP_TIMES[@]}"; do echo "  $t"; done
echo "  test suite: $((SECONDS - TESTS_STARTED))s"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  for (const l of lines) { const t = JSON.parse(l); console.log(`  ${t.name}: ${t.ms} ms${t.note ? ` (${t.note})` : ""}`); }
' "$TIMINGS_FILE" || true
rm -f "$TIMINGS_FILE"
log "exit status $status"
if [ "$status" -ne 0 ] && [ -n "$PORTAL_PID" ]; then
  show_log_tail
fi
stop_portal
exit "$status"

#!/usr/bin/env bash
# What an adopter gets is what we test: packs every publishable package of plugins/ the way
# it is published and installs the tarballs into a scratch copy of the demo app outside the
# workspace, which then builds and starts.
#   1. builds the plugins: `yarn tsc` (dist-types), then each plugin's `build`;
#   2. packs each with `yarn pack` (its prepack/postpack run `backstage-cli package
#      prepack/postpack`; `workspace:^` becomes the version) into a temp folder, checks that
#      every package.json of the repository is as it was, and checks each tarball: entry
#      points in dist, LICENSE, README.md, CHANGELOG.md, migrations, the compiled config
#      schema, repository metadata, @backstage/* dependencies as carets of the release, and
#      every package its built code imports declared as a dependency;
#   3. copies the demo into a temp folder: the root's workspaces but plugins/* (packages/app,
#      packages/backend, the example backend module), app-config*.yaml but the developer's
#      app-config.local.yaml, examples/, backstage.json, the root package.json with its
#      resolutions, .yarnrc.yml, yarn.lock and tsconfig.json; their dependencies on the plugins
#      become ^version, as an adopter writes them, and root resolutions point each package (so
#      also those only other packages depend on) at its tarball;
#   4. installs it with Yarn (the global cache, the npm registry for anything missing;
#      better-sqlite3 builds its binding as in scripts/install.sh) and checks that every
#      package in its node_modules is the content of its tarball;
#   5. loads each backend package from there, and type-checks the copy's own sources against
#      the published type declarations (nothing of the plugins' src is in the copy);
#   6. builds the frontend app (`backstage-cli package build`);
#   7. starts the scratch backend on its app-config.yaml (SQLite in memory, guest sign-in,
#      local executor, demo pipelines) on port PACK_TEST_PORT and checks over HTTP: the
#      devops API answers 401 without a token, lists the example module's task type and the
#      demo pipelines with the guest's token, runs hello-2048 to success with its log; the app
#      backend serves the built app, whose bundle holds the devops plugin.
# Stops everything it started, removes the scratch copy, and prints how long each phase took.
#
# Settings (environment):
#   PACK_TEST_PORT            port of the scratch backend           (default 7017)
#   PACK_TEST_STARTUP_TIMEOUT seconds to wait for it                (default 300)
#   PACK_TEST_KEEP=1          keep the temp folder (tarballs, scratch copy, backend log)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/toolchain.sh

PORT="${PACK_TEST_PORT:-7017}"
STARTUP_TIMEOUT="${PACK_TEST_STARTUP_TIMEOUT:-300}"
BASE="http://localhost:$PORT"
HELPER="$ROOT/scripts/pack-install-test.js"

log() { echo "pack-install-test.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# --- phases and their timings ------------------------------------------------------------
STARTED=$SECONDS
PHASE_NAME=""
PHASE_START=$SECONDS
TIMINGS=()
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
phase_end() {
  [ -n "$PHASE_NAME" ] || return 0
  TIMINGS+=("$(printf '%-50s %s' "$PHASE_NAME" "$(fmt $((SECONDS - PHASE_START)))")")
  PHASE_NAME=""
}
phase() {
  phase_end
  PHASE_NAME="$1"
  PHASE_START=$SECONDS
  log "--- $PHASE_NAME"
}

# --- what it starts and makes, undone on exit --------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/devops-pack-install.XXXXXX")"
TARBALLS="$WORK/tarballs"
SCRATCH="$WORK/demo"
SNAPSHOTS="$WORK/package-json-before"
BACKEND_LOG="$WORK/backend.log"
SID_FILE="$WORK/backend.sid"
CACHE_MARK="$WORK/cache-mark"
mkdir -p "$TARBALLS" "$SCRATCH" "$SNAPSHOTS"
touch "$CACHE_MARK"
CACHE_DIR="$(yarn config get cacheFolder)"
BACKEND_PID=""
BACKEND_SID=""
PACKING=""

session_pids() { [ -n "$BACKEND_SID" ] && ps -eo pid=,sid= | awk -v sid="$BACKEND_SID" '$2 == sid { print $1 }'; }
stop_backend() {
  [ -n "$BACKEND_PID" ] || return 0
  [ -n "$BACKEND_SID" ] || BACKEND_SID="$(cat "$SID_FILE" 2>/dev/null || true)"
  local pids i
  pids="$(session_pids || true)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 1 20); do
      [ -n "$(session_pids || true)" ] || break
      sleep 1
    done
    pids="$(session_pids || true)"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  wait "$BACKEND_PID" 2>/dev/null || true
  BACKEND_PID=""
}
restore_package_jsons() { # after an interrupted pack: put back what prepack rewrote
  local snapshot dir
  for snapshot in "$SNAPSHOTS"/*.json; do
    [ -e "$snapshot" ] || continue
    dir="plugins/$(basename "$snapshot" .json)"
    if ! cmp -s "$snapshot" "$dir/package.json"; then
      log "restoring $dir/package.json (the pack did not finish)"
      cp "$snapshot" "$dir/package.json"
    fi
    rm -f "$dir/package.json-prepack"
  done
}
cleanup() {
  local rc=$?
  stop_backend
  [ -z "$PACKING" ] || restore_package_jsons
  # The tarballs' entries in the global cache are this run's only: remove them.
  find "$CACHE_DIR" -maxdepth 1 -name '@devops-pipelines-*' -newer "$CACHE_MARK" -delete 2>/dev/null || true
  if [ "${PACK_TEST_KEEP:-}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  phase_end
  echo "=== pack-install-test.sh timings"
  local t
  for t in "${TIMINGS[@]}"; do echo "  $t"; done
  echo "  $(printf '%-50s %s' total "$(fmt $((SECONDS - STARTED)))") ($([ "$rc" = 0 ] && echo passed || echo "FAILED, exit $rc"))"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PACKAGES=() # "<dir>\t<name>\t<version>\t<role>"
mapfile -t PACKAGES < <(node "$HELPER" packages "$ROOT")
[ ${#PACKAGES[@]} -gt 0 ] || die "no publishable package under plugins/"
field() { cut -f"$2" <<<"$1"; }

# --- 1. build ----------------------------------------------------------------------------
phase "build: yarn tsc"
yarn tsc || die "yarn tsc failed: the plugins' type declarations cannot be built"
for p in "${PACKAGES[@]}"; do
  dir="$(field "$p" 1)"
  phase "build: plugins/$dir"
  (cd "plugins/$dir" && yarn build) || die "the build of plugins/$dir failed"
done

# --- 2. pack -----------------------------------------------------------------------------
phase "pack and check the tarballs"
for d in plugins/*/; do
  [ -f "$d/package.json" ] && cp "$d/package.json" "$SNAPSHOTS/$(basename "$d").json"
done
for f in packages/*/package.json package.json; do
  mkdir -p "$SNAPSHOTS/other/$(dirname "$f")"
  cp "$f" "$SNAPSHOTS/other/$f"
done
for p in "${PACKAGES[@]}"; do
  dir="$(field "$p" 1)"
  [ ! -e "plugins/$dir/package.json-prepack" ] \
    || die "plugins/$dir/package.json-prepack is left from an earlier pack; put it back as package.json or remove it"
  PACKING=1
  (cd "plugins/$dir" && yarn pack --out "$TARBALLS/$dir.tgz") >"$WORK/pack-$dir.log" 2>&1 \
    || { tail -n 40 "$WORK/pack-$dir.log" >&2; die "yarn pack of plugins/$dir failed"; }
  PACKING=""
  cmp -s "$SNAPSHOTS/$dir.json" "plugins/$dir/package.json" \
    || { PACKING=1; die "packing changed plugins/$dir/package.json (postpack did not restore it)"; }
  for leftover in package.json-prepack config.schema.json alpha; do
    if [ -e "plugins/$dir/$leftover" ] && ! git ls-files --error-unmatch "plugins/$dir/$leftover" >/dev/null 2>&1; then
      die "packing left plugins/$dir/$leftover behind"
    fi
  done
  mkdir -p "$WORK/unpacked/$dir"
  tar -xzf "$TARBALLS/$dir.tgz" -C "$WORK/unpacked/$dir"
  node "$HELPER" check-tarball "$ROOT" "$dir" "$WORK/unpacked/$dir" || die "the tarball of plugins/$dir is not publishable"
done
for f in packages/*/package.json package.json; do
  cmp -s "$SNAPSHOTS/other/$f" "$f" || die "packing changed $f"
done

# --- 3. the scratch copy -----------------------------------------------------------------
phase "scratch copy of the demo"
mapfile -t DEMO_WORKSPACES < <(node "$HELPER" demo-workspaces "$ROOT")
[ ${#DEMO_WORKSPACES[@]} -gt 0 ] || die "the root package.json names no workspace of the demo"
COPIED=(examples)
for w in "${DEMO_WORKSPACES[@]}"; do [[ "$w" == examples/* ]] || COPIED+=("$w"); done
tar -cf - --exclude=node_modules --exclude=dist --exclude=dist-types "${COPIED[@]}" | tar -xf - -C "$SCRATCH"
cp backstage.json .yarnrc.yml yarn.lock tsconfig.json "$SCRATCH/"
for f in app-config*.yaml; do
  [ "$f" = app-config.local.yaml ] || cp "$f" "$SCRATCH/"
done
node "$HELPER" scratch-manifests "$ROOT" "$SCRATCH" "$TARBALLS" || die "cannot write the scratch copy's package.json files"

# --- 4. install --------------------------------------------------------------------------
phase "install the scratch copy"
# The copy's lockfile gains the tarballs' entries: no immutable install, even on CI.
# JOBS: node-gyp compiles better-sqlite3's sources in parallel.
(cd "$SCRATCH" && JOBS="${JOBS:-$(nproc)}" yarn install --no-immutable) >"$WORK/install.log" 2>&1 \
  || { grep -v 'YN0002\|YN0060\|YN0086' "$WORK/install.log" | tail -n 40 >&2; die "yarn install of the scratch copy failed"; }
(cd "$SCRATCH" && node -e "new (require('better-sqlite3'))(':memory:').close()") \
  || die "better-sqlite3 has no native binding in the scratch copy; check enableScripts in .yarnrc.yml"
for p in "${PACKAGES[@]}"; do
  dir="$(field "$p" 1)"
  name="$(field "$p" 2)"
  installed="$SCRATCH/node_modules/$name"
  [ -d "$installed" ] && [ ! -L "$installed" ] || die "$name is not installed in the scratch copy's node_modules"
  diff -r "$WORK/unpacked/$dir/package" "$installed" >"$WORK/diff-$dir.txt" 2>&1 \
    || { head -n 20 "$WORK/diff-$dir.txt" >&2; die "the installed $name is not its tarball"; }
done
log "every package in the scratch node_modules is its tarball"

# --- 5. load and type-check --------------------------------------------------------------
phase "load the backend packages, type-check the demo"
node "$HELPER" check-node-packages "$SCRATCH" "$ROOT" || die "a backend package does not load from its tarball"
(cd "$SCRATCH" && yarn tsc) \
  || die "the demo's sources do not type-check against the published packages' declarations"

# --- 6. build the app --------------------------------------------------------------------
phase "build the app"
(cd "$SCRATCH/packages/app" && APP_CONFIG_app_baseUrl="$BASE" APP_CONFIG_backend_baseUrl="$BASE" yarn build) \
  >"$WORK/app-build.log" 2>&1 || { tail -n 40 "$WORK/app-build.log" >&2; die "the app does not build with the packed plugins"; }
APP_DIST="$SCRATCH/packages/app/dist"
[ -f "$APP_DIST/index.html" ] || die "the app build made no index.html"
# The devops plugin's API ref id: its code is in the bundle.
mapfile -t DEVOPS_CHUNKS < <(grep -rl --include='*.js' 'plugin.devops.service' "$APP_DIST" || true)
[ ${#DEVOPS_CHUNKS[@]} -gt 0 ] || die "the built app has no code of the devops plugin (no 'plugin.devops.service' in its JavaScript)"
log "the devops plugin is in $(basename "${DEVOPS_CHUNKS[0]}") of the built app"
# Its source maps say where each module came from: the packages' dist in node_modules.
for p in "${PACKAGES[@]}"; do
  case "$(field "$p" 4)" in frontend-plugin | frontend-plugin-module | web-library) ;; *) continue ;; esac
  name="$(field "$p" 2)"
  grep -rqF --include='*.map' "node_modules/$name/dist/" "$APP_DIST" \
    || die "the built app's source maps name no module of node_modules/$name/dist: it was not built from the tarball"
done
if grep -rqE --include='*.map' 'plugins/[^/"]+/src/' "$APP_DIST"; then
  die "the built app's source maps name a plugins/*/src module: it was built from a workspace's sources"
fi

# --- 7. start the backend and check it ---------------------------------------------------
phase "start the backend, check it over HTTP"
command -v curl >/dev/null || die "curl is missing"
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null \
  && die "port $PORT is in use ($(ss -ltnpH "sport = :$PORT" 2>/dev/null | sed -n 's/.*users:((\(.*\))).*/\1/p' | head -n1)); set PACK_TEST_PORT"
http_code() { curl -s -o /dev/null -m 10 -w '%{http_code}' "$@" 2>/dev/null || true; }
show_backend_log() {
  log "last 40 lines of the scratch backend's log ($BACKEND_LOG), requests left out:"
  grep -v 'incomingRequest' "$BACKEND_LOG" | tail -n 40 >&2 || true
}
# A session of its own, so that stopping it reaches yarn, the CLI's watcher and the backend.
(
  cd "$SCRATCH/packages/backend"
  APP_CONFIG_backend_listen_port="$PORT" APP_CONFIG_backend_baseUrl="$BASE" \
    APP_CONFIG_app_baseUrl="$BASE" APP_CONFIG_backend_cors_origin="$BASE" \
    exec setsid -w bash -c 'echo $$ >"$1"; exec yarn start' bash "$SID_FILE"
) >"$BACKEND_LOG" 2>&1 </dev/null &
BACKEND_PID=$!
waited=$SECONDS
while [ "$(http_code "$BASE/api/devops/pipelines")" != 401 ]; do
  kill -0 "$BACKEND_PID" 2>/dev/null || { show_backend_log; die "the scratch backend exited before it answered"; }
  if [ $((SECONDS - waited)) -ge "$STARTUP_TIMEOUT" ]; then
    show_backend_log
    die "the scratch backend's devops API did not answer 401 within ${STARTUP_TIMEOUT}s (last: $(http_code "$BASE/api/devops/pipelines"))"
  fi
  sleep 2
done
BACKEND_SID="$(cat "$SID_FILE")"
log "the scratch backend is up after $((SECONDS - waited))s; without a token the devops API answers 401"

json() { # json <expression of d, the JSON on stdin>: prints its value
  node -e 'let s = ""; process.stdin.on("data", c => (s += c)).on("end", () => {
    const d = JSON.parse(s); const v = eval(process.argv[1]);
    process.stdout.write(v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v)); });' "$1"
}
API_CODE=""
API_BODY=""
api() { # api <method> <path under /api/devops> [JSON body]: sets API_CODE and API_BODY
  local out body=()
  [ $# -lt 3 ] || body=(-H 'Content-Type: application/json' -d "$3")
  out="$(curl -s -m 30 -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    "${body[@]}" "$BASE/api/devops$2" 2>/dev/null || true)"
  API_CODE="${out##*$'\n'}"
  API_BODY="${out%$'\n'*}"
}
expect() { # expect <code> <what>: dies unless the last api call answered <code>
  [ "$API_CODE" = "$1" ] || die "$2: HTTP $API_CODE, not $1: $(head -c 500 <<<"$API_BODY")"
}

# The guest's groups (an admin's) come from the catalog, which ingests examples/org.yaml
# after startup: a sign-in before that has the user alone. Wait for one with its groups.
TOKEN=""
waited=$SECONDS
while :; do
  SIGN_IN="$(curl -s -m 10 "$BASE/api/auth/guest/refresh?env=development" -H 'X-Requested-With: XMLHttpRequest' || true)"
  TOKEN="$(json 'd.backstageIdentity?.token' <<<"$SIGN_IN" 2>/dev/null || true)"
  GROUPS_OF_GUEST="$(json '(d.backstageIdentity?.identity?.ownershipEntityRefs || []).filter(e => e.startsWith("group:")).join(" ")' <<<"$SIGN_IN" 2>/dev/null || true)"
  [ -z "$TOKEN" ] || [ -z "$GROUPS_OF_GUEST" ] || break
  if [ $((SECONDS - waited)) -ge 120 ]; then
    show_backend_log
    die "after 120s the guest's sign-in still has $([ -n "$TOKEN" ] && echo 'no group: the catalog did not ingest examples/org.yaml' || echo "no token: $(head -c 300 <<<"$SIGN_IN")")"
  fi
  sleep 2
done
log "signed in as guest ($GROUPS_OF_GUEST) after $((SECONDS - waited))s"

api GET /pipelines
expect 200 "GET /api/devops/pipelines with the guest's token"
PIPELINES="$API_BODY"
while IFS= read -r file; do
  name="$(sed -n 's/^  name: *\([a-z0-9-]*\).*/\1/p' "$file" | head -n1)"
  [ -n "$(json "d.items.find(p => p.metadata.name === '$name')?.status.id" <<<"$PIPELINES")" ] \
    || die "GET /api/devops/pipelines does not list the demo pipeline $name ($file)"
done < <(find examples/pipelines -name '*.yaml' | sort)
log "GET /api/devops/pipelines lists the demo pipelines: $(json 'd.items.map(p => p.metadata.name).join(", ")' <<<"$PIPELINES")"

# The demo backend's example module registers its task type through the published
# devops-node's extension point, which the published backend reads.
api GET /task-types
expect 200 "GET /api/devops/task-types"
[ -n "$(json "d.items.find(t => t.type === 'example:verifyFiles')?.title" <<<"$API_BODY")" ] \
  || die "GET /api/devops/task-types does not list the example module's example:verifyFiles: $API_BODY"
log "GET /api/devops/task-types lists $(json 'd.items.map(t => t.type).join(", ")' <<<"$API_BODY")"

# A run on the local executor: the engine, the stores, the migrations and the log, all from
# the tarball.
HELLO="$(json "d.items.find(p => p.metadata.name === 'hello-2048')?.status.id" <<<"$PIPELINES")"
api POST "/pipelines/$HELLO/runs" '{"params":{"GREETING":"packed"}}'
[ "$API_CODE" = 200 ] || [ "$API_CODE" = 201 ] || expect 201 "POST /api/devops/pipelines/$HELLO/runs (hello-2048)"
RUN="$(json 'd.id' <<<"$API_BODY")"
[ -n "$RUN" ] || die "starting hello-2048 gave no run id: $API_BODY"
status=""
waited=$SECONDS
while :; do
  api GET "/runs/$RUN"
  expect 200 "GET /api/devops/runs/$RUN"
  status="$(json 'd.status' <<<"$API_BODY")"
  case "$status" in succeeded | failed | stopped | skipped | timedOut) break ;; esac
  [ $((SECONDS - waited)) -lt 120 ] || die "run $RUN of hello-2048 did not end within 120s (status $status)"
  sleep 1
done
api GET "/runs/$RUN/logs/download"
expect 200 "GET /api/devops/runs/$RUN/logs/download"
[ "$status" = succeeded ] || { tail -n 30 <<<"$API_BODY" >&2; die "run $RUN of hello-2048 ended $status"; }
grep -q 'packed from build' <<<"$API_BODY" || die "the log of run $RUN lacks the script's output ('packed from build ...')"
log "hello-2048 ran to success in $((SECONDS - waited))s; its log has the script's output"

# The app backend serves the built app: index.html, and the devops plugin's code.
INDEX="$(curl -sf -m 10 "$BASE/")" || die "GET / (the app, served by the app backend) failed"
grep -q '<div id="root">' <<<"$INDEX" || die "GET / is not the app's index.html"
chunk="${DEVOPS_CHUNKS[0]#"$APP_DIST"}"
curl -sf -m 30 "$BASE$chunk" | grep -q 'plugin.devops.service' \
  || die "GET $chunk does not serve the devops plugin's code"
log "the app backend serves the built app and the devops plugin's code ($chunk)"

stop_backend
phase_end
log "passed: ${#PACKAGES[@]} packages packed, installed from their tarballs, built and served"

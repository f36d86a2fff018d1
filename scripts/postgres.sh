#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test suites (Backstage TestDatabases, id POSTGRES_15).
#
#   scripts/postgres.sh start    initialise (first time) and start it; a no-op when it is running
#   scripts/postgres.sh stop     stop it; a no-op when it is not running
#   scripts/postgres.sh status   exit 0 when it is running
#   scripts/postgres.sh url      print the connection string, e.g. for
#                                BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
#
# It is its own cluster (initdb + pg_ctl, not the Debian "main" cluster), listens on
# 127.0.0.1 only, and keeps its data outside the repository. The superuser `postgres` logs in
# over TCP with a password (scram-sha-256); TestDatabases connects to the `postgres` database
# with it and creates and drops one database per test. The Unix socket lives in the state
# directory (mode 0700), so only the server's OS user can use it.
# Durability is switched off (fsync, synchronous_commit, full_page_writes): test data only.
#
# Settings (environment):
#   DEVOPS_PG_PORT      TCP port                            (default 5433; Debian's own cluster uses 5432)
#   DEVOPS_PG_PASSWORD  password of the superuser postgres  (default postgres)
#   DEVOPS_PG_DIR       state dir: data/, socket, server.log
#                       (default ${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/pg15; as root
#                        /var/lib/postgresql/devops-pipelines-pg15, because the server must run as
#                        the `postgres` OS user, which cannot enter root's home directory)
# Installs the Debian package postgresql-15 when its binaries are missing (root, or sudo).
set -euo pipefail

PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PORT="${DEVOPS_PG_PORT:-5433}"
PASSWORD="${DEVOPS_PG_PASSWORD:-postgres}"
SUPERUSER=postgres

if [ -n "${DEVOPS_PG_DIR:-}" ]; then
  STATE_DIR="$DEVOPS_PG_DIR"
elif [ "$(id -u)" -eq 0 ]; then
  STATE_DIR=/var/lib/postgresql/devops-pipelines-pg15
else
  STATE_DIR="${DEVOPS_CACHE_DIR:-$HOME/.cache/devops-pipelines}/pg15"
fi
DATA_DIR="$STATE_DIR/data"
SOCKET_DIR="$STATE_DIR/run"
LOG_FILE="$STATE_DIR/server.log"

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

urlencode() { # percent-encodes everything but unreserved characters
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [a-zA-Z0-9.~_-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

url() {
  printf 'postgresql://%s:%s@127.0.0.1:%s/postgres\n' \
    "$SUPERUSER" "$(urlencode "$PASSWORD")" "$PORT"
}

# Runs a command as the server's OS user: `postgres` when we are root (PostgreSQL refuses to
# run as root), otherwise ourselves.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

install_postgres() {
  [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && return 0
  log "installing postgresql-$PG_VERSION from Debian packages"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "postgresql-$PG_VERSION is missing and we are neither root nor have sudo"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "postgresql-$PG_VERSION"
  [ -x "$PG_BIN/postgres" ] || die "postgresql-$PG_VERSION installed, but $PG_BIN/postgres is missing"
}

# Prints the port of the running server from postmaster.pid, or nothing when it is not running.
running_port() {
  [ -f "$DATA_DIR/postmaster.pid" ] || return 0
  if as_server_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    sed -n 4p "$DATA_DIR/postmaster.pid"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

prepare_state_dir() {
  mkdir -p "$STATE_DIR" "$SOCKET_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (it comes with postgresql-common)"
    chown postgres:postgres "$STATE_DIR" "$SOCKET_DIR"
    [ -d "$DATA_DIR" ] && chown -R postgres:postgres "$DATA_DIR"
    [ -e "$LOG_FILE" ] && chown postgres:postgres "$LOG_FILE"
    as_server_user test -w "$STATE_DIR" \
      || die "the postgres OS user cannot write $STATE_DIR (is a parent directory closed to it?); set DEVOPS_PG_DIR"
  fi
  chmod 0700 "$STATE_DIR" "$SOCKET_DIR"
}

init_cluster() {
  [ -f "$DATA_DIR/PG_VERSION" ] && return 0
  [ -d "$DATA_DIR" ] && [ -n "$(ls -A "$DATA_DIR")" ] \
    && die "$DATA_DIR is neither empty nor a PostgreSQL data directory"
  log "initialising a new cluster in $DATA_DIR"
  as_server_user "$PG_BIN/initdb" -D "$DATA_DIR" -U "$SUPERUSER" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "include_if_exists = 'devops.conf'" >>"$DATA_DIR/postgresql.conf"
}

# Rewritten on every start, so changed settings (port) apply to an existing cluster.
write_settings() {
  local conf="$DATA_DIR/devops.conf"
  cat >"$conf" <<CONF
# Written by scripts/postgres.sh on each start; edits are lost.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKET_DIR'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
# TestDatabases keeps a connection pool per test database until its suite ends.
max_connections = 500
# Test data only: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$conf"
  return 0
}

local_psql() { # runs SQL from stdin over the Unix socket as the superuser
  as_server_user "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" \
    -U "$SUPERUSER" -d postgres "$@"
}

start() {
  install_postgres
  local current
  current="$(running_port)"
  if [ -n "$current" ]; then
    [ "$current" = "$PORT" ] \
      || die "the server in $DATA_DIR is already running on port $current, not $PORT; stop it first"
    log "already running on 127.0.0.1:$PORT ($DATA_DIR)"
    return 0
  fi
  port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is taken by another process; set DEVOPS_PG_PORT"
  prepare_state_dir
  init_cluster
  write_settings
  log "starting on 127.0.0.1:$PORT ($DATA_DIR, log $LOG_FILE)"
  if ! as_server_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start >/dev/null; then
    tail -n 30 "$LOG_FILE" >&2 || true
    die "the server did not start"
  fi
  # (Re)set the password on every start, so it always matches DEVOPS_PG_PASSWORD.
  local_psql -v "pw=$PASSWORD" <<<"ALTER ROLE $SUPERUSER WITH SUPERUSER LOGIN PASSWORD :'pw';"
  # Prove the way TestDatabases connects: TCP, password, database postgres, CREATE DATABASE.
  PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres \
    -c 'SELECT 1' >/dev/null || die "cannot log in over TCP with the password"
  log "ready: $(url | sed 's#://\([^:]*\):[^@]*@#://\1:***@#')"
}

stop() {
  if [ -z "$(running_port)" ]; then
    log "not running ($DATA_DIR)"
    return 0
  fi
  as_server_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >/dev/null
  log "stopped ($DATA_DIR)"
}

status() {
  local current
  current="$(running_port)"
  if [ -n "$current" ]; then
    log "running on 127.0.0.1:$current ($DATA_DIR)"
  else
    log "not running ($DATA_DIR)"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# PostgreSQL for the read store's cluster tests and `perpx serve --cluster` (docs/read-store.md):
#   scripts/cluster/postgres.sh start  <dir> [port]   initdb on first use, start on 127.0.0.1 (default port 5433)
#   scripts/cluster/postgres.sh stop   <dir>
#   scripts/cluster/postgres.sh status <dir>          exit 0 when running
# Debian's PostgreSQL 15 (`apt-get install postgresql-15`; PGBIN overrides the binaries' folder).
# The cluster has one superuser `perpx` with trust authentication and a database `perpx`; it listens
# on loopback TCP only (no Unix socket, so nothing is needed in /var/run/postgresql). initdb and the
# server refuse to run as root, so as root they run as the `postgres` user the Debian package
# creates, which then owns <dir>/data; <dir> and its parents must be searchable by that user.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DEFAULT_PORT=5433
START_TIMEOUT_S=60

usage() {
  echo "usage: $0 start|stop|status <dir> [port]" >&2
  exit 2
}

[ $# -ge 2 ] || usage
command=$1
dir=$(realpath -m "$2")
data="$dir/data"
log="$dir/postgres.log"

# Runs a PostgreSQL binary as an unprivileged user when this script runs as root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The postmaster's pid when it is alive; a zombie (killed, not yet reaped by an init that reaps
# late, as in some containers) is dead, though kill -0 and pg_ctl status still find it.
live_postmaster() {
  [ -f "$data/postmaster.pid" ] || return 1
  local pid state
  pid=$(head -1 "$data/postmaster.pid")
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && echo "$pid"
}

running() {
  [ -f "$data/PG_VERSION" ] && live_postmaster >/dev/null && as_owner "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case "$command" in
  start)
    port=${3:-$DEFAULT_PORT}
    [ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL at $PGBIN (apt-get install postgresql-15)" >&2; exit 1; }
    if running; then
      echo "postgres already running in $data (port $(cat "$dir/port"))"
      exit 0
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "as root this needs the postgres user (Debian's postgresql package)" >&2; exit 1; }
      mkdir -p "$data"
      touch "$log"
      chown postgres: "$data" "$log"
      chmod 700 "$data"
      runuser -u postgres -- test -w "$data" ||
        { echo "user postgres cannot reach $data: make $dir and its parents searchable (chmod o+x)" >&2; exit 1; }
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$PGBIN/initdb" -D "$data" -U perpx --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # A crashed server's lock file names a dead (or zombie) postmaster, which would refuse the start.
    if [ -f "$data/postmaster.pid" ] && ! live_postmaster >/dev/null; then rm -f "$data/postmaster.pid"; fi
    echo "$port" >"$dir/port"
    as_owner "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t "$START_TIMEOUT_S" \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''" start >/dev/null ||
      { tail -20 "$log" >&2; exit 1; }
    # The database is created once; later starts find it.
    if ! as_owner "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U perpx -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'perpx'" | grep -q 1; then
      as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U perpx perpx
    fi
    echo "postgres running in $data on 127.0.0.1:$port (user perpx, database perpx)"
    ;;
  stop)
    if running; then
      as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
      echo "postgres stopped ($data)"
    else
      echo "postgres not running ($data)"
    fi
    ;;
  status)
    if running; then
      echo "postgres running in $data on 127.0.0.1:$(cat "$dir/port")"
    else
      echo "postgres not running ($data)"
      exit 1
    fi
    ;;
  *)
    usage
    ;;
esac

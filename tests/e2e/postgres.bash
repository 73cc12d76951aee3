# Helpers for the POSTGRES sink's tests (sourced, not a test itself): a
# throwaway Debian PostgreSQL 15 server, initdb'd into its own temporary
# folder, listening on 127.0.0.1 at a free port (and a unix socket in that
# folder only), stopped and removed by the trap however the test ends.
# PostgreSQL refuses to run as root: as root (CI), the server runs as nobody.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/initdb" ] || fail "no PostgreSQL server in $PG_BIN (scripts/install-deps installs postgresql)"

PG_DIR=$(mktemp -d /tmp/sluice-pg.XXXXXX)
PG_AS=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$PG_DIR"
  PG_AS=(runuser -u nobody --)
fi
pg_cleanup() {
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap 'pg_cleanup; cleanup' EXIT

for _ in $(seq 50); do
  PG_PORT=$((20000 + RANDOM % 12000))
  (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null || break
done
"${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U sluice -A trust -E UTF8 --locale=C --no-sync \
  >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; fail "initdb failed"; }
# fsync off: the tests kill Sluice, never the machine.
cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
fsync = off
full_page_writes = off
CONF
PG_CONNINFO="host=127.0.0.1 port=$PG_PORT dbname=app user=sluice"

# pg_start: starts the server (again) and waits until it takes connections.
# pg_ctl runs in PG_DIR: as nobody it cannot enter the test's own folder.
pg_start() {
  (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 120 start \
    >/dev/null) || { cat "$PG_DIR/server.log"; fail "the PostgreSQL server did not start"; }
}

# pg_stop: a fast shutdown (clients are disconnected), waiting until it is down.
pg_stop() {
  (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 120 stop -m fast >/dev/null) ||
    fail "the PostgreSQL server did not stop"
}

# pg_sql SQL: runs SQL in the database app, rows as unaligned 'a|b' lines.
pg_sql() {
  "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U sluice -d app -c "$1"
}

pg_start
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U sluice -d postgres -c 'CREATE DATABASE app' ||
  fail "cannot create the database app"

# Runs pg_sink_check (the POSTGRES sink's unit test, the binary in $1) against
# a throwaway PostgreSQL server: the conninfo in SLUICE_TEST_PG, the commands
# that stop and start the server in SLUICE_TEST_PG_STOP and _START.
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/postgres.bash"

export SLUICE_TEST_PG="$PG_CONNINFO"
pg_ctl_line="${PG_AS[*]} $PG_BIN/pg_ctl -D $PG_DIR/data -w -t 120"
export SLUICE_TEST_PG_STOP="$pg_ctl_line stop -m fast >/dev/null"
export SLUICE_TEST_PG_START="$pg_ctl_line -l $PG_DIR/server.log start >/dev/null"
"$1" || { tail -20 "$PG_DIR/server.log"; fail "pg_sink_check failed"; }

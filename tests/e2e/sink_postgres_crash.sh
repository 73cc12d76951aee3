#!/usr/bin/env bash
# The POSTGRES sink across kill -9: `sluice run` is killed up to ten times (KILL_MAX)
# (at least five: a fast machine reads the input in fewer runs) while
# its sinks deliver (each kill lands just after PostgreSQL took a batch of
# that run) and started again; after the last run the GROUP BY's table in
# PostgreSQL equals SQLite's, and an append-only query's table holds each
# row exactly once: a batch delivered again after a kill (PostgreSQL
# committed it, Sluice's outbox had not yet said so) changed nothing.
# Soak (tests/soak/run): more input and KILL_MAX kills; then
# (soak only: another run costs make test too much; a second database, other
# tables) one run while the PostgreSQL server is stopped (pg_ctl stop -m
# fast) and started again 2 * SOAK_SCALE times under load: the same.
# Reported as sink_postgres_crash and sink_postgres_server_restarts
# (server_restarts.bash's convention).
source "$(dirname "$0")/postgres.bash"
source "$(dirname "$0")/server_restarts.bash"
cd "$WORK"

# (SOAK_SCALE + 1) / 2 times the rows: 5 times at 10, room for some 80 kills.
rows=$((100000 * (${SOAK_SCALE:-1} + 1) / 2))
kill_max=${KILL_MAX:-10}
awk -v n="$rows" 'BEGIN { srand(7); for (i = 0; i < n; i++)
  printf "%d,%d,row %d\n", int(rand() * 5000), int(rand() * 1000), i }' >ev.csv
# write_sql SUFFIX: the queries and their sinks into q$SUFFIX.sql, the
# PostgreSQL tables and sinks named with SUFFIX.
write_sql() {
  cat >"q$1.sql" <<SQL
CREATE STREAM ev (u INTEGER, amount INTEGER, tag TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY per_user AS SELECT u, count(*) AS n, sum(amount) AS total, max(tag) AS top_tag
  FROM ev GROUP BY u EMIT CHANGES
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE QUERY cheap AS SELECT u, amount, tag FROM ev WHERE amount < 50
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE SINK to_pg$1 FROM per_user INTO POSTGRES '$PG_CONNINFO' TABLE 'per_user$1';
CREATE SINK cheap_pg$1 FROM cheap INTO POSTGRES '$PG_CONNINFO' TABLE 'cheap$1';
SQL
}
write_sql ""

delivered() { pg_sql "SELECT coalesce(sum(batch_id), 0) FROM sluice_sink_progress" 2>/dev/null || echo 0; }
kills=0
restarts=0
for _ in $(seq $((kill_max + 50))); do
  before=$(delivered)
  "$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
  pid=$!
  restarts=$((restarts + 1))
  for _ in $(seq 1000); do
    [ "$(delivered)" -gt "$before" ] || ! kill -0 $pid 2>/dev/null && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 100)))"
  if kill -9 $pid 2>/dev/null; then
    wait $pid 2>/dev/null || true
    kills=$((kills + 1))
    [ $kills -ge "$kill_max" ] && break
  else
    wait $pid || { cat err.txt; fail "sluice run failed after $kills kills"; }
    break
  fi
done
[ $kills -ge 5 ] || fail "only $kills kills landed before the input was read"
restarts=$((restarts + 1))
"$SLUICE" run --db db q.sql >out.txt 2>>err.txt || { cat err.txt; fail "the last run failed"; }

sqlite3 oracle.db "CREATE TABLE ev(u INTEGER, amount INTEGER, tag TEXT)" ".import --csv ev.csv ev"
sqlite3 oracle.db "SELECT u, amount, tag FROM ev WHERE amount < 50 ORDER BY tag" >want_cheap.txt

# check DB SUFFIX WHAT: PostgreSQL's per_user$SUFFIX equals DB's per_user, and
# cheap$SUFFIX holds each row of the oracle once; sets COMPARED (rows).
check() {
  local db=$1 s=$2 what=$3
  sqlite3 "$db" "SELECT u, n, total, top_tag FROM per_user ORDER BY u" >want.txt
  pg_sql "SELECT u, n, total, top_tag FROM per_user$s ORDER BY u" >got.txt
  [ "$(wc -l <want.txt)" -gt 4900 ] || fail "$what: SQLite's per_user has $(wc -l <want.txt) rows"
  diff want.txt got.txt >diff.txt || { head diff.txt; fail "$what: per_user$s differs"; }
  pg_sql "SELECT u, amount, tag FROM cheap$s ORDER BY tag COLLATE \"C\"" >got_cheap.txt
  [ "$(wc -l <got_cheap.txt)" = "$(wc -l <want_cheap.txt)" ] ||
    fail "$what: cheap$s holds $(wc -l <got_cheap.txt) rows, not $(wc -l <want_cheap.txt)"
  diff want_cheap.txt got_cheap.txt >diff.txt || { head diff.txt; fail "$what: cheap$s differs"; }
  [ "$(sqlite3 "$db" 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "$what: the outbox was not emptied"
  COMPARED=$(($(wc -l <got.txt) + $(wc -l <got_cheap.txt)))
  echo "ok: $what; per_user$s ($(wc -l <got.txt) rows) and cheap$s ($(wc -l <got_cheap.txt) rows, none twice) equal"
}
check db "" "$kills kills"
soak_report sink_postgres_crash "$kills" "$restarts" "$COMPARED"

# The server stopped (fast: its clients disconnected) and started again while
# the sinks deliver: the batches wait in the outbox and go once it is back.
if [ "${SOAK_SCALE:-1}" -gt 1 ]; then
  write_sql _s
  restart_server_under_load db_s q_s.sql "$(soak_scale 2)" pg_stop pg_start
  check db_s _s "$STOPS_DONE server stops, $KILLS_DONE kills of sluice while it was down"
  soak_report sink_postgres_server_restarts "$FAULTS_DONE" "$RUNS_DONE" "$COMPARED"
fi
echo "1 passed, 0 failed"

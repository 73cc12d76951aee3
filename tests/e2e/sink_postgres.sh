#!/usr/bin/env bash
# CREATE SINK ... INTO POSTGRES against Debian's PostgreSQL server: a GROUP
# BY over 100,000 rows of a file, EMIT CHANGES (and a HAVING whose groups
# are deleted again as they grow, and an EMIT FINAL window keyed by its
# bounds), lands in PostgreSQL equal to the SQLite result tables, the
# tables created with mapped types; then a second run
# with the server stopped for a while mid-way: the rows wait in the
# outbox, the sink says it is retrying with the server's message, and once
# the server is back they arrive and the tables are equal again.
source "$(dirname "$0")/postgres.bash"
cd "$WORK"

# u: 5,000 users, about 20 rows each (fewer than 18 for a third of them);
# tag: text with a tab, a quote and a backslash in some; ts: 10 ms apart.
awk 'BEGIN { srand(42); for (i = 0; i < 100000; i++)
  printf "%d,%d,\"t%d %s\",2026-01-01 00:%02d:%02d.%03d\n", int(rand() * 5000), (i * 31) % 1000, i % 7,
         (i % 5 == 0) ? "a\tb" : (i % 5 == 1) ? "q\"\"x" : (i % 5 == 2) ? "b\\s" : "plain",
         int(i / 6000), int(i / 100) % 60, (i % 100) * 10 }' >ev.csv

# sink_sql SUFFIX BATCH_BYTES: the script, its sinks writing tables per_user$1 and small$1.
sink_sql() {
  cat <<SQL
CREATE STREAM ev (u INTEGER, amount INTEGER, tag TEXT, ts TIMESTAMP,
                  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY per_user AS SELECT u, count(*) AS n, sum(amount) AS total, max(tag) AS top_tag
  FROM ev GROUP BY u EMIT CHANGES
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = $2);
CREATE QUERY small AS SELECT u, count(*) AS n FROM ev GROUP BY u HAVING count(*) <= 18
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = $2);
CREATE QUERY per_minute AS SELECT window_start, window_end, u % 10 AS k, count(*) AS n,
  max(ts) AS last_ts FROM ev GROUP BY u % 10 WINDOW TUMBLING (SIZE 1 MINUTE) EMIT FINAL
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = $2);
CREATE SINK minutes_pg$1 FROM per_minute INTO POSTGRES '$PG_CONNINFO' TABLE 'per_minute$1'
  WITH (retry_max = '500 milliseconds');
CREATE SINK to_pg$1 FROM per_user INTO POSTGRES '$PG_CONNINFO' TABLE 'per_user$1'
  WITH (retry_max = '500 milliseconds');
CREATE SINK small_pg$1 FROM small INTO POSTGRES '$PG_CONNINFO' TABLE 'public.small$1'
  WITH (retry_max = '500 milliseconds');
SQL
}

# equal DB SUFFIX: PostgreSQL's tables hold what SQLite's do.
equal() {
  sqlite3 "$1" "SELECT u, n, total, top_tag FROM per_user ORDER BY u" >want.txt
  pg_sql "SELECT u, n, total, top_tag FROM per_user$2 ORDER BY u" >got.txt
  [ "$(wc -l <want.txt)" -gt 4900 ] || fail "SQLite's per_user has $(wc -l <want.txt) rows"
  diff want.txt got.txt >diff.txt || { head diff.txt; fail "per_user$2 differs from SQLite's per_user"; }
  sqlite3 "$1" "SELECT u, n FROM small ORDER BY u" >want_small.txt
  pg_sql "SELECT u, n FROM small$2 ORDER BY u" >got_small.txt
  [ -s want_small.txt ] || fail "SQLite's small is empty: the HAVING test tests nothing"
  diff want_small.txt got_small.txt >diff.txt || { head diff.txt; fail "small$2 differs from SQLite's small"; }
  sqlite3 "$1" "SELECT window_start, window_end, k, n, last_ts FROM per_minute ORDER BY 1, 3" >want_min.txt
  pg_sql "SELECT to_char(window_start, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(window_end,
            'YYYY-MM-DD HH24:MI:SS.US'), k, n, to_char(last_ts, 'YYYY-MM-DD HH24:MI:SS.US')
          FROM per_minute$2 ORDER BY 1, 3" >got_min.txt
  [ "$(wc -l <want_min.txt)" = 170 ] || fail "SQLite's per_minute has $(wc -l <want_min.txt) rows, not 17 minutes x 10"
  diff want_min.txt got_min.txt >diff.txt || { head diff.txt; fail "per_minute$2 differs from SQLite's per_minute"; }
  [ "$(sqlite3 "$1" 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"
}

# The whole run: sluice run exits once both sinks delivered everything.
sink_sql "" 65536 >q.sql
"$SLUICE" run --db db q.sql >out.txt 2>err.txt || { cat err.txt; fail "sluice run failed"; }
equal db ""
# The oracle: sqlite3 over the file computes what Sluice's table holds.
sqlite3 oracle.db "CREATE TABLE ev(u INTEGER, amount INTEGER, tag TEXT, ts TEXT)" ".import --csv ev.csv ev"
sqlite3 oracle.db "SELECT u, count(*), sum(amount), max(tag) FROM ev GROUP BY u ORDER BY u" >oracle.txt
diff oracle.txt got.txt >/dev/null || fail "per_user differs from sqlite3's GROUP BY over the file"
[ "$(pg_sql "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
             FROM information_schema.columns WHERE table_name = 'per_user'")" = \
  "u bigint, n bigint, total bigint, top_tag text" ] || fail "per_user's columns: $(pg_sql '\d per_user')"
[ "$(pg_sql "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
             FROM information_schema.columns WHERE table_name = 'per_minute'")" = \
  "window_start timestamp without time zone, window_end timestamp without time zone, k bigint, n bigint, last_ts timestamp without time zone" ] ||
  fail "per_minute's columns: $(pg_sql '\d per_minute')"
batches=$(sqlite3 db "SELECT batch_id FROM _sluice_sink_progress WHERE sink = 'to_pg'")
[ "$batches" -gt 3 ] || fail "only $batches batches: max_batch_bytes should cut more"
[ "$(pg_sql "SELECT batch_id FROM sluice_sink_progress WHERE sink = 'to_pg'")" = "$batches" ] ||
  fail "PostgreSQL's progress row is not at batch $batches"
echo "ok: 100,000 rows in $batches batches, per_user, small and per_minute equal in PostgreSQL"

# The server stops once the first batch arrived, and starts again after the
# sink has failed and waited a few times while the queries went on (smaller
# batches: about a hundred of them, 50 ms apart at least, outlast the stop).
sink_sql "_s" 16384 >q_s.sql
"$SLUICE" run --db db_s q_s.sql >out_s.txt 2>err_s.txt &
pid=$!
BG_PIDS+=($pid)
progress() { pg_sql "SELECT coalesce(max(batch_id), 0) FROM sluice_sink_progress WHERE sink = 'to_pg_s'" 2>/dev/null || echo 0; }
for _ in $(seq 600); do [ "$(progress)" -gt 0 ] && break; sleep 0.1; done
[ "$(progress)" -gt 0 ] || { cat err_s.txt; fail "the first batch never arrived"; }
pg_stop
stopped_at=$(sqlite3 db_s "SELECT count(*) FROM _sluice_progress WHERE query = 'per_user'")
for _ in $(seq 600); do
  grep -q "sink to_pg_s: PostgreSQL, connecting for table per_user_s: .*refused" err_s.txt && break
  sleep 0.1
done
grep -q "sink to_pg_s: PostgreSQL, connecting for table per_user_s: .*; its rows wait in the outbox" err_s.txt ||
  { cat err_s.txt; fail "the sink did not say why it waits, with the table"; }
# Down a while: the sink keeps trying (retry_max 500 ms) while the query commits on.
sleep 2
waiting=$(sqlite3 db_s "SELECT count(*) FROM _sluice_outbox WHERE sink = 'to_pg_s'")
[ "$waiting" -gt 0 ] || fail "nothing waits in the outbox while the server is down"
[ "$(sqlite3 db_s "SELECT count(*) FROM _sluice_progress WHERE query = 'per_user'")" -gt "$stopped_at" ] ||
  fail "the query did not go on while its sink waited"
pg_start
for _ in $(seq 1200); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { cat err_s.txt; fail "sluice run did not finish once the server was back"; }
wait $pid || { cat err_s.txt; fail "sluice run failed"; }
equal db_s "_s"
echo "ok: $waiting outbox parts waited while the server was down, then arrived"

# A target that refuses what it is sent (a table whose columns do not fit)
# fails the run at its end instead of waiting forever, its rows kept; SHOW
# SINKS does not print the connection string's password.
pg_sql "CREATE TABLE per_user_bad (u text, other text)"
sink_sql "_bad" 65536 | sed "s/dbname=/password=hunter2 dbname=/" >q_bad.sql
"$SLUICE" run --db db_bad q_bad.sql >/dev/null 2>err_bad.txt && fail "a sink that cannot deliver passed"
grep -q "sink to_pg_bad failed: .*per_user_bad.*; [0-9]* rows stay in its outbox for the next run" err_bad.txt ||
  { cat err_bad.txt; fail "no failure for the sink that cannot deliver"; }
printf 'SHOW SINKS;\n' | "$SLUICE" --db db_bad >show_bad.txt 2>&1 || true
grep -q "password=\*\*\* dbname=" show_bad.txt || fail "SHOW SINKS: $(grep to_pg show_bad.txt)"
grep -q hunter2 show_bad.txt && fail "SHOW SINKS printed the password"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# A tumbling EMIT FINAL, a hopping EMIT CHANGES and a session EMIT CHANGES
# window over an event-time file (rows a little out of order, some late),
# killed with SIGKILL at random moments and started again each time, end
# with exactly the tables (and late rows) of an uninterrupted run: each
# batch's changed slice groups (or session keys), the window's closed end
# and the watermark commit with its rows and checkpoint, and a restart reads
# them back (crash_resume_agg.sh does the same for a GROUP BY).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# Row i at i * 100 ms, moved by up to 2.5 s either way: with a 2 s watermark
# delay, a row more than 2 s behind the newest one may be late. A soak's
# kills read some 6,000 rows each: 60,000 rows a SOAK_SCALE are enough (more
# only lengthen its two runs to the end), and may run into the next days.
last=$(soak_scale 60000)
[ "$last" -ge 300000 ] || last=300000
seq 100 "$last" | awk '{
  t = $1 * 100 + (($1 * 7919) % 51 - 25) * 100
  s = int(t / 1000)
  printf "k%d,%d,2026-01-%02d %02d:%02d:%02d.%03d\n", $1 % 37, ($1 * 13) % 1000,
         1 + int(s / 86400), int(s / 3600) % 24, int(s / 60) % 60, s % 60, t % 1000
}' >ev.csv
cat >q.sql <<'SQL'
CREATE STREAM ev (k TEXT, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY tw AS
  SELECT k, COUNT(*) AS c, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi FROM ev GROUP BY k
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384, late = 'table');
CREATE QUERY hw AS
  SELECT k, COUNT(*) AS c, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi FROM ev GROUP BY k
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 4 SECONDS) EMIT CHANGES
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
-- A key's rows come every 3.7 s, give or take 2.5: sessions break, and a
-- row out of order merges two (the row emitted for each is deleted).
CREATE QUERY sw AS
  SELECT k, COUNT(*) AS c, SUM(v) AS s FROM ev GROUP BY k
  WINDOW SESSION (GAP 4 SECONDS) EMIT CHANGES
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
SQL

"$SLUICE" run --db once.db q.sql >/dev/null 2>&1 || fail "the uninterrupted run"
kill_and_restart db q.sql
kills=$KILLS

dump() {
  sqlite3 "$1" "SELECT * FROM tw ORDER BY window_start, k" \
               "SELECT * FROM hw ORDER BY window_start, k" \
               "SELECT * FROM sw ORDER BY window_start, k" \
               "SELECT * FROM tw_late ORDER BY rowid"
}
dump once.db >want.txt
dump db >got.txt
[ "$(sqlite3 once.db "SELECT count(*) FROM tw_late")" -gt 0 ] || fail "no row was late"
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $kills kills the tables differ"; }
[ "$kills" -ge 10 ] || fail "only $kills kills landed before the input was read"
grep -q "query tw resumed at byte [0-9]* of its input, with [1-9][0-9]* groups" err.txt ||
  fail "no run said it resumed the window with its groups"
[ "$(sqlite3 once.db "SELECT count(*) FROM sw WHERE c > 1")" -gt 0 ] &&
  [ "$(sqlite3 once.db "SELECT count(*) FROM sw WHERE c = 1")" -gt 0 ] ||
  fail "the sessions did not both merge rows and break"
for q in tw hw sw; do
  [ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = '$q'")" = $((last - 99)) ] ||
    fail "the committed batches of $q did not read each row once"
done
# Every window closed at the end: each query keeps only its scalars' row
# (under the empty key; one per partition); the session window its
# watermark's row and each key's closed bounds.
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query <> 'sw' AND length(key) > 0")" = 0 ] ||
  fail "evicted slices left state rows"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query = 'sw' AND length(key) > 0")" = 37 ] ||
  fail "the session window's state rows"
batches=$(sqlite3 db "SELECT max(batch_id) FROM _sluice_progress WHERE query = 'tw'")
echo "ok: $kills kills, $batches batches, the tables equal an uninterrupted run's"
soak_report crash_resume_window "$kills" "$RESTARTS" "$(wc -l <want.txt)"
echo "1 passed, 0 failed"

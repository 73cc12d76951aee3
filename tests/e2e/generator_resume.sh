#!/usr/bin/env bash
# A GROUP BY over a GENERATOR stream, killed with SIGKILL at random moments and
# started again each time, ends with exactly the counts an uninterrupted run
# writes: the generator replays from the checkpoint's offset (rows handed out
# times the record width), and its checkpoint keeps the start time, so the
# ts of a resumed run continue those of the first (no start option given).
# Paced (rate) so that kills land however fast the build: unpaced, a Release
# build generated the rows before a third kill.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

rows=$(soak_scale 300000)
cat >q.sql <<SQL
CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = $rows, rate = 100000);
CREATE QUERY buckets AS
  SELECT n % 10 AS k, COUNT(*) AS rows, SUM(n) AS total, MIN(ts) AS first, MAX(ts) AS last
  FROM g GROUP BY n % 10
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 262144);
SQL
# n is 0..rows-1, 10 us apart (100,000 a second).
want="10|$rows|$((rows * (rows - 1) / 2))|$(((rows - 1) * 10))"
# us(t): a 'YYYY-MM-DD HH:MM:SS.ffffff' timestamp in microseconds.
us() { echo "(CAST(strftime('%s', $1) AS INTEGER) * 1000000 + CAST(substr($1, 21, 6) AS INTEGER))"; }
got() {
  sqlite3 db "SELECT count(*) || '|' || sum(rows) || '|' || sum(total) || '|' ||
              ($(us 'max(last)') - $(us 'min(first)')) FROM buckets"
}

kill_and_restart db q.sql
kills=$KILLS
[ "$kills" -ge 3 ] || { tail -20 err.txt; fail "only $kills kills landed before the rows ran out"; }
[ "$(got)" = "$want" ] || { tail -20 err.txt; fail "after $kills kills: buckets|rows|sum|span = $(got), want $want"; }
grep -q "resumed at byte" out.txt err.txt || { cat out.txt; fail "the last run did not say it resumed"; }
echo "ok: $kills kills, every row once, ts continuous"
soak_report generator_resume "$kills" "$RESTARTS" "$(sqlite3 db 'SELECT count(*) FROM buckets')"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# A GROUP BY over a file (no window, EMIT CHANGES), killed with SIGKILL at
# random moments and started again each time, ends with exactly the table
# SQLite computes over the whole file: each batch's changed groups, its rows
# and its checkpoint commit together, and a restart reads the groups back
# and resumes at the checkpoint (crash_resume.sh does the same without state).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

rows=$(soak_scale 300000)
seq 1 "$rows" | awk '{printf "%d,row %d with some text to make the file larger\n", $1, $1}' >ev.csv
cat >q.sql <<'SQL'
CREATE STREAM ev (n INTEGER, line TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY agg AS
  SELECT n % 1000 AS k, COUNT(*) AS c, SUM(n) AS s, MIN(line) AS lo, MAX(line) AS hi
  FROM ev GROUP BY 1
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
SQL
sqlite3 oracle.db "CREATE TABLE ev(n INTEGER, line TEXT)" ".import --csv ev.csv ev"
sqlite3 oracle.db "SELECT n % 1000, count(*), sum(n), min(line), max(line) FROM ev GROUP BY 1
                   ORDER BY 1" >want.txt

kill_and_restart db q.sql
kills=$KILLS
sqlite3 db "SELECT k, c, s, lo, hi FROM agg ORDER BY k" >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $kills kills the table differs"; }
[ "$kills" -ge 5 ] || fail "only $kills kills landed before the input was read"
grep -q "resumed at byte [0-9]* of its input, with [1-9][0-9]* groups" out.txt err.txt ||
  { cat out.txt; fail "the last run did not say it resumed with its groups"; }
batches=$(sqlite3 db "SELECT max(batch_id) FROM _sluice_progress WHERE query = 'agg'")
[ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = 'agg'")" = "$rows" ] ||
  fail "the committed batches did not read each row once"
# The log holds each group, and a few times the groups at most: each
# checkpoint appends the changed groups and as many more of its compaction
# pass, and deletes twice that many rows the last pass superseded.
[ "$(sqlite3 db "SELECT count(DISTINCT key) = 1000 AND count(*) <= 6000 FROM _sluice_state_log WHERE query = 'agg'")" = 1 ] ||
  fail "the state log does not hold each group, or is not compacted: $(sqlite3 db "SELECT count(DISTINCT key), count(*) FROM _sluice_state_log WHERE query = 'agg'")"
echo "ok: $kills kills, $batches batches, the table equals SQLite's; state log rows: $(sqlite3 db "SELECT count(*) FROM _sluice_state_log")"
soak_report crash_resume_agg "$kills" "$RESTARTS" "$(wc -l <want.txt)"
echo "1 passed, 0 failed"

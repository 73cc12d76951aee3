#!/usr/bin/env bash
# A query without state over a file, killed with SIGKILL at random moments
# and started again each time, ends with exactly the rows an uninterrupted
# run writes: each batch's rows and its checkpoint (the file offset) commit
# together, and a restart resumes at the checkpoint. Then: a file truncated
# or replaced under a checkpoint is refused, and CREATE OR REPLACE starts over.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

rows=$(soak_scale 1000000)
seq 1 "$rows" | awk '{printf "%d,row %d with some text to make the file larger\n", $1, $1}' >ev.csv
cat >q.sql <<'SQL'
CREATE STREAM ev (n INTEGER, line TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY kept AS SELECT n, length(line) AS len FROM ev WHERE n % 3 <> 0
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 4096);
SQL
thirds=$((rows / 3))
want="$((rows - thirds))|$((rows - thirds))|$((rows * (rows + 1) / 2 - 3 * thirds * (thirds + 1) / 2))"
got() { sqlite3 db "SELECT count(*) || '|' || count(DISTINCT n) || '|' || sum(n) FROM kept"; }

kill_and_restart db q.sql
kills=$KILLS
[ "$(got)" = "$want" ] || { tail -20 err.txt; fail "after $kills kills: rows|distinct|sum = $(got), want $want"; }
batches=$(sqlite3 db "SELECT max(batch_id) FROM _sluice_progress WHERE query = 'kept'")
[ "$kills" -ge 5 ] || { tail -20 err.txt; fail "only $kills kills landed before the input was read"; }
echo "ok: $kills kills, $batches batches, every row once"
soak_report crash_resume "$kills" "$RESTARTS" "$(sqlite3 db 'SELECT count(*) FROM kept')"
grep -q "resumed at byte" out.txt err.txt || { cat out.txt; fail "the last run did not say it resumed"; }

# The input changed under the checkpoint: refused, with the way out.
head -c 100 ev.csv >short.csv && mv short.csv ev.csv
if "$SLUICE" run --db db q.sql >/dev/null 2>err2.txt; then fail "a truncated file was resumed"; fi
grep -q "was truncated" err2.txt || { cat err2.txt; fail "no truncation message"; }
grep -q "CREATE OR REPLACE QUERY starts it over" err2.txt || { cat err2.txt; fail "no hint"; }
sed 's/CREATE QUERY/CREATE OR REPLACE QUERY/' q.sql >replace.sql
"$SLUICE" run --db db replace.sql >/dev/null 2>&1 || fail "CREATE OR REPLACE after truncation"
[ "$(sqlite3 db 'SELECT count(*) FROM kept')" = "2" ] || fail "the replaced query did not start over"
echo "1 passed, 0 failed"

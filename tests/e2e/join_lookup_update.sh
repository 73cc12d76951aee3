#!/usr/bin/env bash
# A lookup join's table updated by another process (sqlite3 in a loop) while
# the query runs: each batch sees the table as it was when the batch began,
# so every row of one batch carries the same value, the values only grow
# from batch to batch, and the updates are seen as the run goes on. The
# batches are told apart by the progress table (rows_out per batch id, in
# the append-only result table's rowid order).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

"$SLUICE" run --db db /dev/null
sqlite3 db "CREATE TABLE ref (k INTEGER PRIMARY KEY, v INTEGER); INSERT INTO ref VALUES (1, 0), (2, 0)"
echo "n,k" >in.csv
cat >q.sql <<'SQL'
CREATE STREAM e (n INTEGER, k INTEGER) FROM FILE 'in.csv' FORMAT CSV (header = true)
  WITH (follow = true, poll_interval = '20 milliseconds');
CREATE QUERY j AS SELECT e.n, r.v FROM e JOIN ref r ON r.k = e.k TRIGGER EVERY 100 MILLISECONDS;
SQL
"$SLUICE" run --db db q.sql 2>err.txt &
pid=$!
BG_PIDS+=("$pid")

# The stream: a line every ~20 ms, keys 1 and 2 in turn; the table: both keys'
# v + 1 in one transaction every ~60 ms, from another process. Two keys are
# looked up apart: only a snapshot held for the batch keeps them equal.
(for n in $(seq 1 120); do echo "$n,$((n % 2 + 1))" >>in.csv; sleep 0.02; done) &
BG_PIDS+=($!)
feeder=$!
(for _ in $(seq 1 12); do sqlite3 -cmd '.timeout 5000' db "UPDATE ref SET v = v + 1"; sleep 0.06; done) &
BG_PIDS+=($!)
updater=$!
wait "$feeder" "$updater"
# A row after the last update: its batch began after it, so it sees it.
echo "121,1" >>in.csv
for _ in $(seq 600); do
  [ "$(sqlite3 db 'SELECT count(*) FROM j' 2>/dev/null || echo 0)" = 121 ] && break
  sleep 0.1
done
[ "$(sqlite3 db 'SELECT count(*) FROM j')" = 121 ] || { cat err.txt; fail "not every row joined"; }
kill -TERM "$pid"
wait "$pid" || { cat err.txt; fail "sluice run did not stop cleanly"; }

# Per batch: how many rows, distinct values, and the value.
sqlite3 db "
  WITH p AS (SELECT batch_id, rows_out, sum(rows_out) OVER (ORDER BY batch_id) AS hi
             FROM _sluice_progress WHERE query = 'j' AND rows_out > 0)
  SELECT p.batch_id, count(*), count(DISTINCT j.v), min(j.v)
  FROM j JOIN p ON j.rowid > p.hi - p.rows_out AND j.rowid <= p.hi
  GROUP BY p.batch_id ORDER BY p.batch_id" >batches.txt
[ "$(sqlite3 db 'SELECT max(rowid) FROM j')" = 121 ] || fail "the result table's rowids are not 1..121"
awk -F'|' '$3 != 1 { print "batch " $1 " saw " $3 " values of the table"; bad = 1 }
           $4 < last { print "batch " $1 " saw " $4 " after " last; bad = 1 }
           { last = $4 } END { exit bad }' batches.txt || { cat batches.txt; fail "a batch did not see one snapshot"; }
distinct=$(cut -d'|' -f4 batches.txt | sort -un | wc -l)
[ "$distinct" -ge 3 ] || { cat batches.txt; fail "the updates were not seen mid-run ($distinct values)"; }
[ "$(sqlite3 db 'SELECT v FROM j WHERE n = 121')" = 12 ] || { cat batches.txt; fail "the last row did not see the last update"; }
echo "ok: $(wc -l <batches.txt) batches, $distinct values of the table seen"

#!/usr/bin/env bash
# Top-N queries (issue 16) killed with SIGKILL at random moments and started
# again each time end with exactly the tables of an uninterrupted run: each
# batch's new kept rows and the drops of those that left commit with the
# result rows and the checkpoint, and a restart reads them back and ranks
# them again. Over a stream (top 3 per auction) and
# over aggregations (a window's top 2 as counts change, once per window with
# EMIT FINAL, the top 5 totals of a GROUP BY).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# Row i at i * 20 ms, moved by up to 1 s either way; prices with ties.
rows=$(soak_scale 15000)
seq 51 $((rows + 50)) | awk '{
  t = $1 * 20 + (($1 * 7919) % 101 - 50) * 10
  s = int(t / 1000)
  printf "%d,%d,%d,%d,2026-01-01 %02d:%02d:%02d.%03d\n", $1, ($1 * 31) % 97, $1 % 53,
         ($1 * 7) % 200, int(s / 3600), int(s / 60) % 60, s % 60, t % 1000
}' >bids.csv
cat >q.sql <<'SQL'
CREATE STREAM bids (seq BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'bids.csv' FORMAT CSV;
CREATE QUERY top3 AS
  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn
                 FROM bids) WHERE rn <= 3
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
CREATE QUERY hot AS
  SELECT * FROM (SELECT window_start, window_end, auction, count(*) AS n,
      ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY count(*) DESC) AS rn
      FROM bids GROUP BY auction WINDOW TUMBLING (SIZE 10 SECONDS)) WHERE rn <= 2
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
CREATE QUERY hot_final AS
  SELECT * FROM (SELECT window_start, window_end, auction, count(*) AS n,
      RANK() OVER (PARTITION BY window_start, window_end ORDER BY count(*) DESC) AS rk
      FROM bids GROUP BY auction WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL) WHERE rk <= 1
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
CREATE QUERY big AS
  SELECT bidder, total, rn FROM (SELECT bidder, sum(price) AS total,
      ROW_NUMBER() OVER (ORDER BY sum(price) DESC) AS rn FROM bids GROUP BY bidder) WHERE rn <= 5
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
SQL

"$SLUICE" run --db once.db q.sql >/dev/null 2>&1 || fail "the uninterrupted run"
kill_and_restart db q.sql
kills=$KILLS

dump() {
  sqlite3 "$1" "SELECT * FROM top3 ORDER BY auction, rn" \
               "SELECT * FROM hot ORDER BY window_start, rn" \
               "SELECT * FROM hot_final ORDER BY window_start, auction" \
               "SELECT * FROM big ORDER BY rn"
}
dump once.db >want.txt
dump db >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $kills kills the tables differ"; }
[ "$kills" -ge 3 ] || fail "only $kills kills landed before the input was read"
[ "$(sqlite3 once.db "SELECT count(*) FROM top3")" = 291 ] || fail "top3 has not 3 rows per auction"
[ "$(sqlite3 once.db "SELECT count(*) FROM hot")" -gt 50 ] || fail "too few windows in hot"
grep -q "query top3 resumed at byte [0-9]* of its input" err.txt ||
  fail "no run said it resumed the top-N"
for q in top3 hot; do
  [ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = '$q'")" = "$rows" ] ||
    fail "the committed batches of $q did not read each row once"
done
# Every window closed at the end: the windowed top-Ns keep no partition (a
# partition changed in the batch that closed its window was once written
# again after its drop).
for d in once.db db; do
  [ "$(sqlite3 $d "SELECT count(*) FROM _sluice_state WHERE query IN ('hot', 'hot_final') AND hex(substr(key, 1, 1)) = '01'")" = 0 ] ||
    fail "closed windows left top-N partitions in the state of $d"
done
echo "ok: $kills kills, the tables equal an uninterrupted run's"
soak_report topn_crash "$kills" "$RESTARTS" "$(wc -l <want.txt)"
echo "1 passed, 0 failed"

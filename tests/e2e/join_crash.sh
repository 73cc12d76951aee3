#!/usr/bin/env bash
# An interval join of two event-time files (LEFT, and a windowed count over
# an INNER one), killed with SIGKILL at random moments and started
# again 20 times, ends with exactly the tables of an uninterrupted run: the
# join's kept rows, which LEFT rows matched, both sides' watermarks and both
# inputs' positions commit in each batch's transaction, and a restart reads
# them back. The uninterrupted run equals SQLite's join of the same rows.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# Left row i at i * 100 ms, right row j at j * 330 ms, each moved by up to
# 1.5 s either way (the watermarks' delay is 2 s: no row is late).
# (k, n, milliseconds) in l.ms and r.ms for SQLite; the same rows with timestamps for Sluice.
# A soak's kills need 80,000 left rows a SOAK_SCALE (more only lengthen its
# runs to the end); its input may run into the next days.
lrows=$(soak_scale 80000)
[ "$lrows" -ge 200000 ] || lrows=200000
seq 1 "$lrows" | awk '{ printf "%d,%d,%d\n", $1 % 13, $1, 10000 + $1 * 100 + (($1 * 7919) % 31 - 15) * 100 }' >l.ms
seq 1 $((lrows * 3 / 10)) | awk '{ printf "%d,%d,%d\n", $1 % 13, $1, 10000 + $1 * 330 + (($1 * 104729) % 31 - 15) * 100 }' >r.ms
for side in l r; do
  awk -F, '{ s = int($3 / 1000); printf "%s,%s,2026-01-%02d %02d:%02d:%02d.%03d\n", $1, $2,
    1 + int(s / 86400), int(s / 3600) % 24, int(s / 60) % 60, s % 60, $3 % 1000 }' $side.ms >$side.csv
done
cat >q.sql <<'SQL'
CREATE STREAM l (k INTEGER, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'l.csv' FORMAT CSV;
CREATE STREAM r (k INTEGER, w INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'r.csv' FORMAT CSV;
CREATE QUERY lj AS
  SELECT l.k, l.v, r.w FROM l LEFT JOIN r ON l.k = r.k
    AND l.ts BETWEEN r.ts - INTERVAL '1' SECOND AND r.ts + INTERVAL '2' SECOND AND r.w % 3 <> 0
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
CREATE QUERY aj AS
  SELECT l.k, COUNT(*) AS n, SUM(r.w) AS s FROM l JOIN r ON l.k = r.k
    AND l.ts BETWEEN r.ts - INTERVAL '1' SECOND AND r.ts + INTERVAL '2' SECOND
  GROUP BY l.k WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 2048);
SQL

"$SLUICE" run --db once.db q.sql >/dev/null 2>&1 || fail "the uninterrupted run"
kill_and_restart db q.sql
kills=$KILLS

dump() {
  sqlite3 "$1" "SELECT k, v, w FROM lj ORDER BY v, w" \
               "SELECT * FROM aj ORDER BY window_start, k"
}
dump once.db >want.txt
dump db >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $kills kills the tables differ"; }
[ "$kills" -ge 20 ] || fail "only $kills kills landed before the input was read"

# SQLite's join of the same rows, times in milliseconds.
sqlite3 oracle.db <<'SQL' >/dev/null
CREATE TABLE l (k INTEGER, v INTEGER, ms INTEGER);
CREATE TABLE r (k INTEGER, w INTEGER, ms INTEGER);
.mode csv
.import l.ms l
.import r.ms r
CREATE INDEX r_k_ms ON r (k, ms);
SQL
sqlite3 oracle.db "SELECT l.k, l.v, r.w FROM l LEFT JOIN r ON l.k = r.k
    AND r.ms BETWEEN l.ms - 2000 AND l.ms + 1000 AND r.w % 3 <> 0 ORDER BY l.v, r.w" >lj_want.txt
sqlite3 once.db "SELECT k, v, w FROM lj ORDER BY v, w" >lj_got.txt
diff lj_want.txt lj_got.txt >diff.txt || { head diff.txt; fail "the LEFT join differs from SQLite's"; }
sqlite3 oracle.db "SELECT l.k, count(*), sum(r.w) FROM l JOIN r ON l.k = r.k
    AND r.ms BETWEEN l.ms - 2000 AND l.ms + 1000 GROUP BY l.ms / 10000, l.k
    ORDER BY l.ms / 10000, l.k" >aj_want.txt
sqlite3 once.db "SELECT k, n, s FROM aj ORDER BY window_start, k" >aj_got.txt
diff aj_want.txt aj_got.txt >diff.txt || { head diff.txt; fail "the count over the join differs from SQLite's"; }
[ "$(sqlite3 once.db "SELECT count(*) FROM lj WHERE w IS NULL")" -gt 0 ] ||
  fail "no LEFT row went out unmatched"
# Both inputs read to their ends, and every kept row left the state.
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_checkpoints WHERE query = 'lj/right'")" = 1 ] ||
  fail "the right input has no checkpoint row"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query = 'lj' AND length(key) > 0")" = 0 ] ||
  fail "the join's state kept rows after both inputs ended"
batches=$(sqlite3 db "SELECT max(batch_id) FROM _sluice_progress WHERE query = 'lj'")
echo "ok: $kills kills, $batches batches, the tables equal an uninterrupted run's and SQLite's"
soak_report join_crash "$kills" "$RESTARTS" "$(wc -l <want.txt)"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# Event time over partitions: a tumbling EMIT FINAL window over 4 partitions,
# messages produced into each partition in step (half a second of event time
# a step, 0.3 s of wall clock apart), partition 3 silent after the first 5
# seconds of event time while the others go on to 20 s. Partition 3 alone
# would hold the watermark below the end of every window (its last event
# 00:00:04.975, minus the 3 s delay); with idle_timeout = '2 seconds' it stops
# counting and the windows close while the query runs (no end = 'latest').
# The rows equal sqlite3 over the same messages for every window the
# watermark of partitions 0-2 (their last event 00:00:19.975 - 3 s) closed.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka
kafka topic ev 4
STEPS=40 BUSY_STEPS=10 PER_STEP=20
# step_<i>_<p>.csv: step i's messages for partition p, at 2026-01-01 00:00:00
# + i * 500 ms + j * 25 ms; all.csv: every message partition 3 gets in its
# first BUSY_STEPS steps and the others in all STEPS.
awk -v steps=$STEPS -v busy=$BUSY_STEPS -v m=$PER_STEP 'BEGIN {
  for (i = 0; i < steps; i++)
    for (p = 0; p < 4; p++) {
      if (p == 3 && i >= busy) continue
      f = "step_" i "_" p ".csv"
      for (j = 0; j < m; j++) {
        ms = i * 500 + j * 500 / m
        line = sprintf("u%d,%d,2026-01-01 00:00:%02d.%03d000", (i * 7 + j * 3 + p) % 10,
                       (i * 31 + j * 17 + p * 5) % 100, int(ms / 1000), ms % 1000)
        print line >f
        print line >"all.csv"
      }
      close(f)
    }
}'

cat >q.sql <<SQL
CREATE STREAM ev (user TEXT, amount BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'ev' FORMAT CSV WITH (idle_timeout = '2 seconds');
CREATE QUERY w AS SELECT window_start, window_end, user, count(*) AS n, sum(amount) AS total
  FROM ev GROUP BY user WINDOW TUMBLING (SIZE 2 SECONDS) EMIT FINAL TRIGGER EVERY 200 MILLISECONDS;
SQL
"$SLUICE" run --db db q.sql >out.txt 2>err.txt &
pid=$!
BG_PIDS+=($pid)

rows_read() { sqlite3 db "SELECT coalesce(sum(rows_in), 0) FROM _sluice_progress" 2>/dev/null || echo 0; }
rows_out() { sqlite3 db "SELECT count(*) FROM w" 2>/dev/null || echo 0; }
produce_step() { for p in 0 1 2 3; do [ ! -e "step_$1_$p.csv" ] || kafka produce ev "step_$1_$p.csv" "$p"; done; }

# The first step in every partition, read before the rest comes: from then on
# every partition is in step, none more than a step ahead of the others.
produce_step 0
for _ in $(seq 600); do [ "$(rows_read)" -ge $((4 * PER_STEP)) ] && break; sleep 0.05; done
[ "$(rows_read)" -ge $((4 * PER_STEP)) ] || { cat err.txt; fail "the query did not read the first messages in 30 s"; }
closed_while_producing=
for i in $(seq 1 $((STEPS - 1))); do
  sleep 0.3
  produce_step "$i"
  [ "$(rows_out)" = 0 ] || closed_while_producing=${closed_while_producing:-$i}
done
[ -n "$closed_while_producing" ] ||
  { cat err.txt; fail "no window closed while partitions 0-2 went on and partition 3 was idle"; }

# The windows the last watermark closes: end <= 00:00:19.975 - 3 s.
closed="window_end <= '2026-01-01 00:00:16.975000'"
sqlite3 oracle.db "CREATE TABLE ev(user TEXT, amount INTEGER, ts TEXT)" ".import --csv all.csv ev" \
  "CREATE VIEW w AS SELECT window_start, datetime(window_start, '+2 seconds') || '.000000' AS window_end,
          user, n, total
   FROM (SELECT datetime(CAST(strftime('%s', ts) AS INTEGER) / 2 * 2, 'unixepoch') || '.000000' AS window_start,
                user, count(*) AS n, sum(amount) AS total FROM ev GROUP BY 1, 2)"
sqlite3 oracle.db "SELECT window_start, window_end, user, n, total FROM w WHERE $closed ORDER BY 1, 3" >want.txt
want_rows=$(wc -l <want.txt)
for _ in $(seq 300); do
  [ "$(sqlite3 db "SELECT count(*) FROM w WHERE $closed")" -ge "$want_rows" ] && break
  kill -0 $pid || { cat err.txt; fail "sluice run exited"; }
  sleep 0.05
done
sqlite3 db "SELECT window_start, window_end, user, n, total FROM w WHERE $closed ORDER BY 1, 3" >got.txt
kill -0 $pid || { cat err.txt; fail "sluice run exited over an unbounded topic"; }
[ "$(sqlite3 db "SELECT coalesce(sum(late_rows), 0) FROM _sluice_progress")" = 0 ] ||
  fail "rows were late: the partitions were not read in step (or the watermark ran ahead)"
diff want.txt got.txt >diff.txt || { head diff.txt; fail "the closed windows differ from sqlite3's"; }
[ "$(sqlite3 db "SELECT count(*) FROM w WHERE window_end > '2026-01-01 00:00:19.975000'")" = 0 ] ||
  fail "a window closed that no event time of partitions 0-2 passed"
echo "ok: $want_rows rows of $(sqlite3 db "SELECT count(DISTINCT window_start) FROM w WHERE $closed") windows; the first closed after step $closed_while_producing of $STEPS (partition 3 silent after step $BUSY_STEPS)"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# A tumbling-window EMIT FINAL query over 4 partitions (a watermark per
# partition), killed with SIGKILL at 10 random moments while it consumes
# and started again each time: its windows, written once each as the
# watermark passed them, equal sqlite3 over the messages, and none is late
# or written twice. The window state and the partitions' offsets commit
# together; the per-partition times restart unseen, held at the saved watermark.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka
# 60 s of event time, 1 ms apart. A soak's topic: at most 240,000 messages
# (the mock keeps 5 MiB a partition and drops the oldest past that), read as
# much more slowly as it would have had more messages.
rows=$(soak_scale 60000)
rtt=50
[ "$rows" -le 240000 ] || { rtt=$((50 * rows / 240000)); rows=240000; }
payments "$rows" 23 200 >tx.csv
kafka topic payments 4
kafka produce payments tx.csv
slow_brokers "$rtt"
cat >q.sql <<SQL
CREATE STREAM tx (user TEXT, amount BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'payments' FORMAT CSV WITH (end = 'latest', $SLOW_FETCH);
CREATE QUERY w AS SELECT window_start, window_end, user, count(*) AS n, sum(amount) AS total
  FROM tx GROUP BY user WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL TRIGGER EVERY 50 MILLISECONDS;
SQL
kill_and_restart db q.sql

sqlite3 oracle.db "CREATE TABLE tx(user TEXT, amount INTEGER, ts TEXT)" ".import --csv tx.csv tx" \
  "SELECT datetime(CAST(strftime('%s', ts) AS INTEGER) / 10 * 10, 'unixepoch') || '.000000' AS ws,
          user, count(*), sum(amount) FROM tx GROUP BY 1, 2 ORDER BY 1, 2" >want.txt
sqlite3 db "SELECT window_start, user, n, total FROM w ORDER BY 1, 2" >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $KILLS kills the windows differ from sqlite3's"; }
[ "$(sqlite3 db "SELECT coalesce(sum(late_rows), 0) FROM _sluice_progress")" = 0 ] ||
  fail "rows were late after a restart"
[ "$KILLS" -ge 5 ] || fail "only $KILLS kills landed before the topic was read"
echo "ok: $KILLS kills, $(wc -l <got.txt) window rows equal sqlite3's"
soak_report kafka_crash_window "$KILLS" "$RESTARTS" "$(wc -l <got.txt)"
echo "1 passed, 0 failed"

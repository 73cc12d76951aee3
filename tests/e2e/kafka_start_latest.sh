#!/usr/bin/env bash
# start = 'latest' is a moment, kept: a query that starts at a topic's end
# commits that offset even before any message arrives, so messages produced
# while it is stopped are read after a restart (not skipped by a new
# 'latest'), and the ones from before it started never are.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka 1
kafka topic events 2
for i in $(seq 1 50); do echo "old$i,1"; done >old.csv
kafka produce events old.csv
cat >q.sql <<SQL
CREATE STREAM ev (k TEXT, n BIGINT) FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'events' FORMAT CSV
  WITH (start = 'latest');
CREATE QUERY counts AS SELECT k, count(*) AS n FROM ev GROUP BY k;
SQL
"$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
pid=$!
BG_PIDS+=("$pid")
wait_batches db 1 "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
position=$(sqlite3 db "SELECT position FROM _sluice_checkpoints WHERE query = 'counts'")
[ -n "$position" ] || fail "no position was committed before any message arrived"

for i in $(seq 1 30); do echo "new$i,1"; done >new.csv
kafka produce events new.csv
"$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 300); do
  [ "$(sqlite3 db 'SELECT coalesce(sum(n), 0) FROM counts' 2>/dev/null)" -ge 30 ] && break
  sleep 0.1
done
sleep 1
kill -TERM "$pid"
wait "$pid" || { cat err.txt; fail "sluice did not stop cleanly on SIGTERM"; }
[ "$(sqlite3 db "SELECT count(*), sum(n) FROM counts WHERE k LIKE 'new%'")" = "30|30" ] ||
  fail "the messages produced while stopped were not all read once: $(sqlite3 db 'SELECT * FROM counts')"
[ "$(sqlite3 db "SELECT count(*) FROM counts WHERE k LIKE 'old%'")" = 0 ] ||
  fail "messages from before start = 'latest' were read"
echo "1 passed, 0 failed"

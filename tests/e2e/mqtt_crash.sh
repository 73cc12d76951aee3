#!/usr/bin/env bash
# Sluice killed with SIGKILL again and again while 10,000 QoS 1 messages
# arrive on two topics: its session waits on the broker meanwhile, and a
# message is acknowledged only once it is in the stream's log, so every
# message is in the results after the last restart (at least once: one whose
# log commit made it and whose PUBACK did not comes again).
source "$(dirname "$0")/mqtt.bash"
cd "$WORK"

start_broker
cat >q.sql <<SQL
CREATE STREAM s (id BIGINT)
  FROM MQTT '127.0.0.1:$MQTT_PORT' TOPIC 'meter/#' FORMAT JSON WITH (max_inflight = 50);
CREATE QUERY readings AS SELECT mqtt_topic, id FROM s TRIGGER EVERY 100 MILLISECONDS;
SQL
start_sluice db q.sql
seq 1 5000 | awk '{printf "{\"id\": %d}\n", $1}' >m.jsonl
publish meter/1 m.jsonl &
pub1=$!
publish meter/2 m.jsonl &
pub2=$!

rows() { sqlite3 db "SELECT count(*) FROM readings" 2>/dev/null || echo 0; }
kills=0
for _ in $(seq 5); do
  before=$(rows)
  for _ in $(seq 200); do
    [ "$(rows)" -gt "$before" ] && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 150)))"
  kill -9 $SLUICE_PID
  wait $SLUICE_PID 2>/dev/null || true
  kills=$((kills + 1))
  [ "$(rows)" -ge 10000 ] && break
  start_sluice db q.sql
done
wait $pub1 $pub2
kill -0 $SLUICE_PID 2>/dev/null || start_sluice db q.sql

want="meter/1|5000|12502500
meter/2|5000|12502500"
wait_for db "SELECT mqtt_topic, count(DISTINCT id), sum(DISTINCT id) FROM readings GROUP BY 1 ORDER BY 1" \
  "$want" 50 || { tail err.txt; fail "messages are missing after $kills kills"; }
total=$(rows)
kill -TERM $SLUICE_PID
wait $SLUICE_PID || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
echo "ok: all 10,000 messages after $kills kills ($((total - 10000)) counted twice)"
echo "1 passed, 0 failed"

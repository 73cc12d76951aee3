#!/usr/bin/env bash
# Sluice killed with SIGKILL again and again (5 times; KILL_MAX in a soak)
# while 10,000 QoS 1 messages (SOAK_SCALE times more) arrive on two
# topics: its session waits on the broker meanwhile, and a message is
# acknowledged only once it is in the stream's log, so every message is in
# the results after the last restart (at least once: one whose log commit
# made it and whose PUBACK did not comes again).
source "$(dirname "$0")/mqtt.bash"
cd "$WORK"

start_broker
cat >q.sql <<SQL
CREATE STREAM s (id BIGINT)
  FROM MQTT '127.0.0.1:$MQTT_PORT' TOPIC 'meter/#' FORMAT JSON WITH (max_inflight = 50);
CREATE QUERY readings AS SELECT mqtt_topic, id FROM s TRIGGER EVERY 100 MILLISECONDS;
SQL
start_sluice db q.sql
msgs=$(soak_scale 5000)
seq 1 "$msgs" | awk '{printf "{\"id\": %d}\n", $1}' >m.jsonl
publish meter/1 m.jsonl &
pub1=$!
publish meter/2 m.jsonl &
pub2=$!

rows() { sqlite3 db "SELECT count(*) FROM readings" 2>/dev/null || echo 0; }
kills=0
for _ in $(seq "${KILL_MAX:-5}"); do
  before=$(rows)
  for _ in $(seq 200); do
    [ "$(rows)" -gt "$before" ] && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 150)))"
  kill -9 $SLUICE_PID
  wait $SLUICE_PID 2>/dev/null || true
  kills=$((kills + 1))
  [ "$(rows)" -ge $((2 * msgs)) ] && break
  start_sluice db q.sql
done
# (A broker out of memory drops its publishers: say so, not that sluice lost them.)
wait $pub1 && wait $pub2 || { tail -3 "$WORK/broker/log.txt"; fail "a publisher failed"; }
kill -0 $SLUICE_PID 2>/dev/null || start_sluice db q.sql

want="meter/1|$msgs|$((msgs * (msgs + 1) / 2))
meter/2|$msgs|$((msgs * (msgs + 1) / 2))"
wait_for db "SELECT mqtt_topic, count(DISTINCT id), sum(DISTINCT id) FROM readings GROUP BY 1 ORDER BY 1" \
  "$want" "$(soak_scale 50)" || { tail err.txt; fail "messages are missing after $kills kills"; }
total=$(rows)
kill -TERM $SLUICE_PID
wait $SLUICE_PID || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
echo "ok: all $((2 * msgs)) messages after $kills kills ($((total - 2 * msgs)) counted twice)"
soak_report mqtt_crash "$kills" "$((kills + 1))" "$((2 * msgs))"
echo "1 passed, 0 failed"

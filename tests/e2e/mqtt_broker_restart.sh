#!/usr/bin/env bash
# The broker stops (SIGTERM: it saves its sessions and queues) while Sluice
# is still reading a first half, comes back on the same persistence, and the
# second half is published: every message the broker acknowledged to
# mosquitto_pub is counted. Whatever Sluice had received but not yet
# acknowledged when the connection dropped comes again and is not counted
# twice; what the broker still queued for the session comes after the
# restart. A PUBACK that left Sluice but that the broker had not processed
# when it stopped brings its message again (QoS 1 is at least once there):
# the test counts distinct ids, and says how many came twice.
source "$(dirname "$0")/mqtt.bash"
cd "$WORK"

start_broker
# max_inflight = 20: a few thousand messages a second at the most,
# so that the first half is still on its way when the broker stops.
cat >q.sql <<SQL
CREATE STREAM s (id BIGINT)
  FROM MQTT '127.0.0.1:$MQTT_PORT' TOPIC 'plant/a, plant/b' FORMAT JSON
  WITH (max_inflight = 20, retry_initial = '50 milliseconds', retry_max = '500 milliseconds');
CREATE QUERY per_topic AS
  SELECT mqtt_topic, count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi
  FROM s GROUP BY mqtt_topic
  TRIGGER EVERY 200 MILLISECONDS;
SQL
start_sluice db q.sql

json() { seq "$1" "$2" | awk '{printf "{\"id\": %d}\n", $1}'; }
json 1 3000 >a1.jsonl
json 1 2000 >b1.jsonl
json 3001 5000 >a2.jsonl
json 2001 5000 >b2.jsonl

publish plant/a a1.jsonl
publish plant/b b1.jsonl
before=$(sqlite3 db "SELECT coalesce(sum(n), 0) FROM per_topic" 2>/dev/null || echo 0)
stop_broker
[ "$before" -lt 5000 ] || fail "Sluice had read all 5000 messages before the broker stopped: nothing was in flight"
for _ in $(seq 200); do
  grep -q "retrying: connection lost" err.txt && break
  sleep 0.05
done
grep -q "retrying: connection lost" err.txt || { cat err.txt; fail "the lost connection is not in the log"; }
start_broker
publish plant/a a2.jsonl
publish plant/b b2.jsonl

want="plant/a|5000|1|5000
plant/b|5000|1|5000"
wait_for db "SELECT mqtt_topic, ids, lo, hi FROM per_topic ORDER BY 1" "$want" 50 ||
  { tail err.txt; fail "messages were lost when the broker restarted"; }
sleep 1
[ "$(sqlite3 db "SELECT mqtt_topic, ids, lo, hi FROM per_topic ORDER BY 1")" = "$want" ] ||
  fail "the counts moved on: $(sqlite3 db 'SELECT * FROM per_topic')"
twice=$(sqlite3 db "SELECT sum(n - ids) FROM per_topic")
[ "$(grep -c ": connected" err.txt)" -ge 2 ] || { cat err.txt; fail "no reconnection logged"; }
kill -TERM $SLUICE_PID
wait $SLUICE_PID || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
echo "ok: none of 10,000 messages lost, $twice came twice; $before of the first 5,000 were counted when the broker stopped"
echo "1 passed, 0 failed"

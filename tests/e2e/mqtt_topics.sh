#!/usr/bin/env bash
# 10,000 QoS 1 JSON messages from mosquitto_pub on two topics, into a
# stream subscribed to 'sensors/#': a GROUP BY on mqtt_topic counts each
# topic exactly (nothing lost, nothing twice), a malformed message becomes
# a dead letter and the query goes on, SHOW STREAMS does not print the password.
source "$(dirname "$0")/mqtt.bash"
cd "$WORK"

start_broker
cat >q.sql <<SQL
CREATE STREAM s (id BIGINT, v DOUBLE)
  FROM MQTT '127.0.0.1:$MQTT_PORT' TOPIC 'sensors/#' FORMAT JSON
  WITH (qos = 1, client_id = 'sluice-e2e-topics', username = 'reader', password = 'hunter2');
CREATE QUERY per_topic AS
  SELECT mqtt_topic, count(*) AS n, sum(id) AS ids FROM s GROUP BY mqtt_topic
  TRIGGER EVERY 200 MILLISECONDS;
SHOW STREAMS;
SQL
start_sluice db q.sql

seq 1 6000 | awk '{printf "{\"id\": %d, \"v\": %d.5}\n", $1, $1}' >a.jsonl
seq 1 4000 | awk '{printf "{\"id\": %d, \"v\": %d.25}\n", $1, $1}' >b.jsonl
start=$(date +%s.%N)
publish sensors/a a.jsonl &
pub_a=$!
publish sensors/b b.jsonl
wait $pub_a
echo '{"id": 7, "v": oops}' >bad.jsonl
publish sensors/a bad.jsonl
echo '{"id": 10000, "v": 1.0}' >last.jsonl
publish sensors/b last.jsonl

want="sensors/a|6000|18003000
sensors/b|4001|8012000"
wait_for db "SELECT mqtt_topic, n, ids FROM per_topic ORDER BY 1" "$want" 50 ||
  { tail err.txt; fail "the counts per topic are not exact"; }
took=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_dead_letters WHERE record LIKE '%oops%'")" = 1 ] ||
  fail "the malformed message is not a dead letter: $(sqlite3 db 'SELECT * FROM _sluice_dead_letters')"
# Still exact a moment later: nothing counted twice after the fact.
sleep 1
[ "$(sqlite3 db "SELECT mqtt_topic, n, ids FROM per_topic ORDER BY 1")" = "$want" ] ||
  fail "the counts moved on: $(sqlite3 db 'SELECT * FROM per_topic')"
kill -TERM $SLUICE_PID
wait $SLUICE_PID || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }

if grep -q "hunter2" out.txt; then fail "SHOW STREAMS prints the password: $(cat out.txt)"; fi
grep -q "password = '\*\*\*'" out.txt || fail "SHOW STREAMS does not list the stream: $(cat out.txt)"
echo "ok: 10,002 messages on two topics counted exactly in ${took} s, one dead letter"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# The broker stops (SIGTERM: it saves its sessions and queues) while Sluice
# is still reading a first half, comes back on the same persistence, and the
# second half is published: every message the broker acknowledged to
# mosquitto_pub is counted. Whatever Sluice had received but not yet
# acknowledged when the connection dropped comes again and is not counted
# twice; what the broker still queued for the session comes after the
# restart. A PUBACK that left Sluice but that the broker had not processed
# when it stopped brings its message again (QoS 1 is at least once there):
# the test counts distinct ids, and says how many came twice. While the
# broker is away Sluice is killed (kill -9) and started again: it waits for
# the broker, retrying, and the session the broker kept brings what it had
# not acknowledged. In the soak (tests/soak/run) the broker stops
# 2 * SOAK_SCALE times, each while Sluice reads, over SOAK_SCALE times the
# messages.
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
# A round publishes the next part of each topic's ids, then stops the broker
# while Sluice reads them and starts it again; one round in make test, two a
# SOAK_SCALE in the soak. The last part is published after the last restart.
rounds=$(( ${SOAK_SCALE:-1} > 1 ? 2 * SOAK_SCALE : 1 ))
per_topic=$(soak_scale 5000)
part=$((per_topic / (rounds + 1)))
# make test's first part: 3000 of plant/a and 2000 of plant/b, as before.
a_end=$(( rounds == 1 ? 3000 : part )) b_end=$(( rounds == 1 ? 2000 : part ))
publish_upto() {
  json "$1" "$2" >a.jsonl && publish plant/a a.jsonl
  json "$3" "$4" >b.jsonl && publish plant/b b.jsonl
}
# restart_while_away: sluice run again with the broker down: it starts, and
# its source says it is retrying (a refused connection) rather than failing.
restart_while_away() {
  local retrying
  retrying=$(grep -c "retrying:" err.txt || true)
  "$SLUICE" run --db db q.sql >>out.txt 2>>err.txt &
  SLUICE_PID=$!
  BG_PIDS+=($SLUICE_PID)
  for _ in $(seq 200); do
    [ "$(grep -c "retrying:" err.txt)" -gt "$retrying" ] && return 0
    kill -0 "$SLUICE_PID" 2>/dev/null || { cat err.txt; fail "sluice run exited with the broker away"; }
    sleep 0.05
  done
  cat err.txt
  fail "sluice run started with the broker away did not say it was retrying"
}
a_from=1 b_from=1 first_before=
for round in $(seq "$rounds"); do
  publish_upto "$a_from" "$a_end" "$b_from" "$b_end"
  before=$(sqlite3 db "SELECT coalesce(sum(n), 0) FROM per_topic" 2>/dev/null || echo 0)
  first_before=${first_before:-$before}
  lost=$(grep -c "retrying: connection lost" err.txt || true)
  stop_broker
  [ "$round" -gt 1 ] || [ "$before" -lt $((a_end + b_end)) ] ||
    fail "Sluice had read all $((a_end + b_end)) messages before the broker stopped: nothing was in flight"
  for _ in $(seq 200); do
    [ "$(grep -c "retrying: connection lost" err.txt)" -gt "$lost" ] && break
    sleep 0.05
  done
  [ "$(grep -c "retrying: connection lost" err.txt)" -gt "$lost" ] ||
    { cat err.txt; fail "the lost connection of round $round is not in the log"; }
  kill -KILL "$SLUICE_PID"
  wait "$SLUICE_PID" 2>/dev/null || true
  restart_while_away
  start_broker
  a_from=$((a_end + 1)) b_from=$((b_end + 1))
  a_end=$((a_end + part)) b_end=$((b_end + part))
done
publish_upto "$a_from" "$per_topic" "$b_from" "$per_topic"

want="plant/a|$per_topic|1|$per_topic
plant/b|$per_topic|1|$per_topic"
wait_for db "SELECT mqtt_topic, ids, lo, hi FROM per_topic ORDER BY 1" "$want" $((50 * ${SOAK_SCALE:-1})) ||
  { tail err.txt; fail "messages were lost when the broker restarted"; }
sleep 1
[ "$(sqlite3 db "SELECT mqtt_topic, ids, lo, hi FROM per_topic ORDER BY 1")" = "$want" ] ||
  fail "the counts moved on: $(sqlite3 db 'SELECT * FROM per_topic')"
twice=$(sqlite3 db "SELECT sum(n - ids) FROM per_topic")
[ "$(grep -c ": connected" err.txt)" -gt "$rounds" ] || { cat err.txt; fail "not every reconnection logged"; }
kill -TERM $SLUICE_PID
wait $SLUICE_PID || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
echo "ok: none of $((2 * per_topic)) messages lost over $rounds broker restarts, each with sluice killed and started again while the broker was away; $twice came twice; $first_before of the first part were counted when the broker first stopped"
soak_report mqtt_broker_restarts "$((2 * rounds))" "$((rounds + 1))" "$((2 * per_topic))"
echo "1 passed, 0 failed"

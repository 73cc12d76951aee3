#!/usr/bin/env bash
# The only broker of the cluster (every partition's leader) goes down for
# several seconds while a GROUP BY reads the topic, then comes back: the
# source says on stderr that it waits and that it is reading again (once
# per change, not per retry), and the final table is exact.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka 1
# In the soak (tests/soak/run) the broker goes down 2 * SOAK_SCALE times, for
# 2 s each, over SOAK_SCALE times the messages (at most 300,000: the mock
# keeps 5 MiB a partition), read as much more slowly.
rounds=$(( ${SOAK_SCALE:-1} > 1 ? 2 * SOAK_SCALE : 1 ))
down_s=$(( rounds > 1 ? 2 : 5 ))
rows=$(soak_scale 100000)
rtt=50
[ "$rows" -le 300000 ] || { rtt=$((50 * rows / 300000)); rows=300000; }
payments "$rows" 19 >tx.csv
kafka topic payments 4
kafka produce payments tx.csv
# Slow reading (about 5 s uninterrupted), still going when the broker goes.
slow_brokers "$rtt"
payments_sql payments "end = 'latest', $SLOW_FETCH" "TRIGGER EVERY 50 MILLISECONDS" >q.sql

"$SLUICE" run --db db q.sql >out.txt 2>err.txt &
pid=$!
BG_PIDS+=($pid)
downs=0 down_at=
while [ "$downs" -lt "$rounds" ]; do
  # Three batches read since the broker came back (or since the start).
  next=$(($(committed db) + 3))
  for _ in $(seq 600); do
    [ "$(committed db)" -ge "$next" ] || ! kill -0 $pid 2>/dev/null && break
    sleep 0.05
  done
  kill -0 $pid 2>/dev/null || break
  kafka down 1
  downs=$((downs + 1))
  down_at=${down_at:-$(committed db)}
  sleep "$down_s"
  kafka up 1
done
wait $pid || { cat err.txt; fail "sluice run failed after the broker came back"; }
[ "$downs" -ge 1 ] || fail "the query read all before the broker went down"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE batch_id > $down_at")" -gt 0 ] ||
  fail "the query read nothing after the broker went down: the test did not test a reconnection"

expect_oracle db tx.csv "broker down $downs times for $down_s s"
grep -q "kafka:payments: waiting for the brokers" err.txt ||
  { cat err.txt; fail "the source did not say it lost the broker"; }
grep -q "kafka:payments: reading again" err.txt || { cat err.txt; fail "the source did not say it reads again"; }
# Once per change of state, not once per failed connection attempt or per
# error librdkafka reports: no two waits without reading in between; and the
# last word is that it reads. (W: waiting, R: reading.)
states=$(sed -n 's/.*kafka:payments: waiting.*/W/p; s/.*kafka:payments: reading.*/R/p' err.txt | tr -d '\n')
case $states in
  *WW*) cat err.txt; fail "the wait for the broker is logged more than once in a row ($states)" ;;
  *R) ;;
  *) cat err.txt; fail "the source's last word is not that it reads ($states)" ;;
esac
echo "ok: $(committed db) batches, $down_at of them before the broker first went down, $downs times; the table is exact"
soak_report kafka_broker_downs "$downs" 1 "$(sqlite3 db 'SELECT count(*) FROM per_user')"
echo "1 passed, 0 failed"

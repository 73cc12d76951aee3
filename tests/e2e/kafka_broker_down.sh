#!/usr/bin/env bash
# The only broker of the cluster (every partition's leader) goes down for
# several seconds while a GROUP BY reads the topic, then comes back: the
# source says on stderr that it waits and that it is reading again (once
# per change, not per retry), and the final table is exact. While the
# broker is down Sluice is killed (kill -9) and started again: it starts
# without the broker, waits for it, and goes on from its checkpoint.
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

# run_sluice: a run in the background, its stderr in err.N.txt (N: runs so far).
runs=0
run_sluice() {
  runs=$((runs + 1))
  "$SLUICE" run --db db q.sql >>out.txt 2>"err.$runs.txt" &
  pid=$!
  BG_PIDS+=($pid)
}
run_sluice
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
  sleep 1
  kill -KILL $pid
  wait $pid 2>/dev/null || true
  run_sluice
  sleep $((down_s - 1))
  kafka up 1
done
wait $pid || { cat err.*.txt; fail "sluice run failed after the broker came back"; }
cat $(seq -f 'err.%g.txt' 1 $runs) >err.txt
[ "$downs" -ge 1 ] || fail "the query read all before the broker went down"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE batch_id > $down_at")" -gt 0 ] ||
  fail "the query read nothing after the broker went down: the test did not test a reconnection"

expect_oracle db tx.csv "broker down $downs times for $down_s s"
grep -q "kafka:payments: waiting for the brokers" err.txt ||
  { cat err.txt; fail "the source did not say it lost the broker"; }
grep -q "kafka:payments: reading again" err.txt || { cat err.txt; fail "the source did not say it reads again"; }
# Once per change of state, not once per failed connection attempt or per
# error librdkafka reports: in each run, no two waits without reading in
# between; and the last run's last word is that it reads. A run started
# while the broker is down says it waits. (W: waiting, R: reading.)
for n in $(seq "$runs"); do
  states=$(sed -n 's/.*kafka:payments: waiting.*/W/p; s/.*kafka:payments: reading.*/R/p' "err.$n.txt" | tr -d '\n')
  case $states in
    *WW*) cat "err.$n.txt"; fail "run $n: the wait for the broker is logged more than once in a row ($states)" ;;
  esac
  [ "$n" -eq 1 ] || case $states in
    W*R) ;;
    *) cat "err.$n.txt"; fail "run $n, started with the broker down, did not wait for it and then read ($states)" ;;
  esac
done
echo "ok: $(committed db) batches, $down_at of them before the broker first went down, $downs times, sluice killed and started again each time; the table is exact"
soak_report kafka_broker_downs "$((2 * downs))" "$runs" "$(sqlite3 db 'SELECT count(*) FROM per_user')"
echo "1 passed, 0 failed"

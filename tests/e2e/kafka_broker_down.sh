#!/usr/bin/env bash
# The only broker of the cluster (every partition's leader) goes down for
# several seconds while a GROUP BY reads the topic, then comes back: the
# source says on stderr that it waits and that it is reading again (once
# per change, not per retry), and the final table is exact.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka 1
payments 100000 19 >tx.csv
kafka topic payments 4
kafka produce payments tx.csv
# Slow reading (about 5 s uninterrupted), still going when the broker goes.
slow_brokers
payments_sql payments "end = 'latest', $SLOW_FETCH" "TRIGGER EVERY 50 MILLISECONDS" >q.sql

"$SLUICE" run --db db q.sql >out.txt 2>err.txt &
pid=$!
BG_PIDS+=($pid)
wait_batches db 3 $pid
kafka down 1
down_at=$(committed db)
sleep 5
kafka up 1
wait $pid || { cat err.txt; fail "sluice run failed after the broker came back"; }
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE batch_id > $down_at")" -gt 0 ] ||
  fail "the query read nothing after the broker went down: the test did not test a reconnection"

expect_oracle db tx.csv "broker down for 5 s"
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
echo "ok: $(committed db) batches, $down_at of them before the broker went down; the table is exact"
echo "1 passed, 0 failed"

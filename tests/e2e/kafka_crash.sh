#!/usr/bin/env bash
# A GROUP BY over a topic of 4 partitions, killed with SIGKILL at 20 random
# moments while it consumes and started again each time on the same
# database, ends with exactly the table sqlite3 computes over the produced
# messages: the next offset of each partition commits with the batch's rows,
# and a restart seeks there (nothing lost, nothing counted twice).
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka
# A soak's topic: at most 300,000 messages (the mock keeps 5 MiB a partition
# and drops the oldest past that), read as much more slowly as it would
# have had more messages, so that the kills last as long.
rows=$(soak_scale 120000)
rtt=50
[ "$rows" -le 300000 ] || { rtt=$((50 * rows / 300000)); rows=300000; }
payments "$rows" 17 >tx.csv
kafka topic payments 4
kafka produce payments tx.csv
# Slow reading (about 6 s uninterrupted), so that it lasts for 20 kills.
slow_brokers "$rtt"
payments_sql payments "end = 'latest', $SLOW_FETCH" "TRIGGER EVERY 50 MILLISECONDS" >q.sql

kill_and_restart db q.sql
expect_oracle db tx.csv "after $KILLS kills"
[ "$KILLS" -ge 20 ] || fail "only $KILLS kills landed before the topic was read"
[ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = 'per_user'")" = "$rows" ] ||
  fail "the committed batches did not read each message once: $(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress")"
echo "ok: $KILLS kills, $(committed db) batches, the table equals sqlite3's"
soak_report kafka_crash "$KILLS" "$RESTARTS" "$(wc -l <want.txt)"
echo "1 passed, 0 failed"

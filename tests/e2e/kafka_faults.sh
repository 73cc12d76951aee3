#!/usr/bin/env bash
# Faults of the KAFKA source, each against the same 3-broker mock cluster:
#  - a message that does not decode goes to _sluice_dead_letters with its
#    partition (source 'kafka:<topic>/<partition>') and offset, and the query goes on;
#  - a topic that does not exist when the query starts is waited for (said
#    in the log and by SHOW STREAMS), and read once it is created;
#  - partition leaders that move to other brokers mid-run lose nothing and
#    read nothing twice.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"
start_kafka

# A malformed message at offset 10 of partition 2, between good ones.
kafka topic bad 4
payments 10 29 >good1.csv
printf 'user1,lots,2026-01-01 00:00:00.000000\n' >bad.csv
payments 10 31 >good2.csv
payments 1000 37 >good3.csv
kafka produce bad good1.csv 2
kafka produce bad bad.csv 2
kafka produce bad good2.csv 2
kafka produce bad good3.csv
cat good1.csv good2.csv good3.csv >good.csv
payments_sql bad >bad.sql
timeout 30 "$SLUICE" run --db bad.db bad.sql 2>bad.err || { cat bad.err; fail "a malformed message stopped the query"; }
expect_oracle bad.db good.csv "a malformed message"
[ "$(sqlite3 bad.db "SELECT stream, source, \"offset\", record FROM _sluice_dead_letters")" = \
  "tx|kafka:bad/2|10|$(cat bad.csv)" ] ||
  fail "the dead letter is not the message at kafka:bad/2 offset 10: $(sqlite3 bad.db 'SELECT * FROM _sluice_dead_letters')"
echo "ok: a malformed message is a dead letter with its partition and offset"

# A topic that does not exist when the query starts, in the REPL (statements
# through a FIFO): SHOW STREAMS says the query waits for it, and then that it
# reads it once created. (A mock broker creates any topic a client asks
# about: `hide` makes it answer "unknown topic" instead, as a real broker does
# to a consumer, until `topic` creates it.)
payments 1000 41 >late.csv
kafka hide late
mkfifo late.in
"$SLUICE" --mode table --db late.db <late.in >late.out 2>late.err &
pid=$!
BG_PIDS+=($pid)
exec 3>late.in
payments_sql late "start = 'earliest'" "TRIGGER EVERY 100 MILLISECONDS" >&3
# show_streams_until TEXT: SHOW STREAMS every 0.2 s until its answer holds TEXT (10 s at most).
show_streams_until() {
  for _ in $(seq 50); do
    echo "SHOW STREAMS;" >&3
    sleep 0.2
    grep -q "$1" late.out && return 0
    kill -0 $pid || break
  done
  cat late.out late.err
  fail "SHOW STREAMS never said: $1"
}
show_streams_until "| per_user: waiting for topic 'late' to exist"
sleep 1
kafka topic late 4
kafka produce late late.csv
show_streams_until "| per_user: reading 4 partitions of topic 'late'"
payments_oracle late.csv >want.txt
for _ in $(seq 200); do
  [ "$(per_user late.db 2>/dev/null)" = "$(cat want.txt)" ] && break
  sleep 0.05
done
exec 3>&-
expect_oracle late.db late.csv "a topic created after the query started"
[ "$(grep -c "kafka:late: waiting for topic 'late' to exist" late.err)" = 1 ] ||
  { cat late.err; fail "the wait for the topic was not logged once"; }
echo "ok: a topic created after the query started is waited for (SHOW STREAMS says so) and read"

# Every partition's leader moves to broker 2, then to broker 3, while the query reads.
payments 50000 43 >moved.csv
kafka topic moved 4
kafka produce moved moved.csv
slow_brokers
payments_sql moved "end = 'latest', $SLOW_FETCH" "TRIGGER EVERY 50 MILLISECONDS" >moved.sql
"$SLUICE" run --db moved.db moved.sql 2>moved.err &
pid=$!
BG_PIDS+=($pid)
for broker in 2 3; do
  wait_batches moved.db $(($(committed moved.db) + 3)) $pid
  for p in 0 1 2 3; do kafka leader moved $p $broker; done
done
moved_at=$(committed moved.db)
wait $pid || { cat moved.err; fail "sluice run failed after the leaders moved"; }
[ "$(committed moved.db)" -gt "$moved_at" ] || fail "the query read nothing after the leaders moved"
expect_oracle moved.db moved.csv "leaders moved mid-run"
echo "ok: leaders moved twice mid-run, the table is exact"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# 200,000 keyed CSV messages over 4 partitions, read with end = 'latest':
# `sluice run` exits 0 once it has read them, a GROUP BY on the key equals
# sqlite3 over the produced file, and the metadata columns say where each
# message was: all of a key's messages in the partition librdkafka's
# partitioner put them in, each partition's offsets 0..count-1, timestamps
# from when they were produced. The consumer group the query names has the
# partitions' end offsets committed once the run is over.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka
payments 200000 11 >tx.csv
kafka topic payments 4
produced_from=$(date -u '+%Y-%m-%d %H:%M:%S')
kafka produce payments tx.csv
[ "$KAFKA_ANSWER" = 200000 ] || fail "the mock acknowledged $KAFKA_ANSWER of 200000 messages"
produced_to=$(date -u -d '+1 second' '+%Y-%m-%d %H:%M:%S')

payments_sql payments "end = 'latest', group = 'lag-tools'" >q.sql
cat >>q.sql <<'SQL'
CREATE QUERY placement AS
  SELECT user, min(kafka_key) AS key_lo, max(kafka_key) AS key_hi,
         min(kafka_partition) AS p_lo, max(kafka_partition) AS p_hi
  FROM tx GROUP BY user;
CREATE QUERY per_partition AS
  SELECT kafka_partition AS p, count(*) AS n, min(kafka_offset) AS first, max(kafka_offset) AS last,
         min(kafka_timestamp) AS t_lo, max(kafka_timestamp) AS t_hi
  FROM tx GROUP BY kafka_partition;
SQL
start=$(date +%s.%N)
timeout 50 "$SLUICE" run --db db q.sql >out.txt 2>err.txt ||
  { cat err.txt; fail "sluice run over a bounded topic (end = 'latest') did not exit 0"; }
took=$(echo "$(date +%s.%N) - $start" | bc)

expect_oracle db tx.csv "GROUP BY user"

# Where each key's messages are: the partition of the key's CRC-32.
cut -d, -f1 tx.csv | sort -u >keys.txt
kafka_partition_of keys.txt 4 >parts.txt
awk -F'|' '{print $1 "|" $1 "|" $1 "|" $2 "|" $2}' parts.txt >want.txt
sqlite3 db "SELECT user, key_lo, key_hi, p_lo, p_hi FROM placement ORDER BY user" >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "kafka_key or kafka_partition is not where the key went"; }

# Each partition holds offsets 0..n-1, as many as the keys placed there have messages.
sqlite3 :memory: "CREATE TABLE part(user TEXT, p INTEGER)" "CREATE TABLE tx(user TEXT, amount INTEGER, ts TEXT)" \
  ".import --csv tx.csv tx" ".separator |" ".import parts.txt part" \
  "SELECT p, count(*), 0, count(*) - 1 FROM tx JOIN part USING (user)
   GROUP BY p ORDER BY p" >want_part.txt
sqlite3 db "SELECT p, n, first, last FROM per_partition ORDER BY p" >got_part.txt
diff want_part.txt got_part.txt >diff.txt || { cat diff.txt; fail "kafka_offset per partition"; }
# The group mirrors where the query is: each partition's end, once the run is over.
kafka committed lag-tools payments 4
[ "$KAFKA_ANSWER" = "$(cut -d'|' -f2 want_part.txt | paste -sd,)" ] ||
  fail "group lag-tools committed $KAFKA_ANSWER, not each partition's end ($(cut -d'|' -f2 want_part.txt | paste -sd,))"
[ "$(sqlite3 db "SELECT count(*) FROM per_partition
                 WHERE t_lo >= '$produced_from' AND t_hi <= '$produced_to'")" = 4 ] ||
  fail "kafka_timestamp is not when the messages were produced ($produced_from..$produced_to):
$(sqlite3 db 'SELECT p, t_lo, t_hi FROM per_partition')"
echo "ok: 200000 messages over 4 partitions in ${took} s (3 queries)"
echo "1 passed, 0 failed"

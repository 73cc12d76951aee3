#!/usr/bin/env bash
# Two sluice processes, one given partitions 0-1 and the other 2-3, each with
# its own database, run side by side: no key is in both tables (Kafka's
# partitioning by key does the sharding), and the union of their tables
# (ATTACH + UNION ALL) equals one process reading all partitions — and sqlite3.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka
payments 100000 23 >tx.csv
kafka topic payments 4
kafka produce payments tx.csv
payments_sql payments "end = 'latest', partitions = '0-1'" >low.sql
payments_sql payments "end = 'latest', partitions = '2-3'" >high.sql
payments_sql payments >all.sql

"$SLUICE" run --db low.db low.sql 2>low.err &
low=$!
"$SLUICE" run --db high.db high.sql 2>high.err &
high=$!
BG_PIDS+=($low $high)
wait $low || { cat low.err; fail "the instance of partitions 0-1 failed"; }
wait $high || { cat high.err; fail "the instance of partitions 2-3 failed"; }
"$SLUICE" run --db all.db all.sql 2>all.err || { cat all.err; fail "the instance of all partitions failed"; }

expect_oracle all.db tx.csv "one instance"
for db in low.db high.db; do
  [ "$(sqlite3 $db "SELECT count(*) > 100 FROM per_user")" = 1 ] || fail "$db holds only $(sqlite3 $db "SELECT count(*) FROM per_user") keys"
done
[ "$(sqlite3 low.db "ATTACH 'high.db' AS high" "SELECT count(*) FROM per_user JOIN high.per_user USING (user)")" = 0 ] ||
  fail "a key is in both instances' tables"
sqlite3 low.db "ATTACH 'high.db' AS high" \
  "SELECT user, n, total FROM (SELECT * FROM main.per_user UNION ALL SELECT * FROM high.per_user) ORDER BY user" >union.txt
per_user all.db >all.txt
diff all.txt union.txt >diff.txt || { head diff.txt; fail "the union of the two instances differs from one instance"; }
echo "ok: $(sqlite3 low.db 'SELECT count(*) FROM per_user') + $(sqlite3 high.db 'SELECT count(*) FROM per_user') keys = $(wc -l <all.txt)"
echo "1 passed, 0 failed"

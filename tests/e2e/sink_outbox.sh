#!/usr/bin/env bash
# A sink whose target fails: its rows wait in the outbox, delivery is tried
# again with backoff, the query's batches wait once max_outbox_rows rows
# wait (never dropping one) while another query goes on, and a stop waits
# sink_drain_timeout then says what stays. The next run delivers what the
# outbox kept and the rest: every row of the query's table exactly once.
# The failing target is standard output on /dev/full (every write: ENOSPC).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

python3 - <<'PY'
import random
random.seed(5)
with open("in.csv", "w") as f:
    for i in range(200000):
        f.write("u%d,%d\n" % (random.randrange(1000), i))
PY
cat >q.sql <<'SQL'
SET sink_drain_timeout = '1 second';
CREATE STREAM s (u TEXT, v INTEGER) FROM FILE 'in.csv' FORMAT CSV;
CREATE QUERY p AS SELECT u, v FROM s WHERE v % 3 <> 0 WITH (max_batch_bytes = 100000);
CREATE QUERY total AS SELECT count(*) AS n FROM s WITH (max_batch_bytes = 100000);
CREATE SINK o FROM p INTO STDOUT FORMAT CSV
  WITH (max_outbox_rows = 20000, retry_initial = '10 milliseconds', retry_max = '200 milliseconds');
SQL

"$SLUICE" run --db db q.sql >/dev/full 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 600); do grep -q "batches wait for it" err.txt && break; sleep 0.05; done
grep -q "sink o: cannot write to standard output" err.txt || fail "no failed delivery: $(cat err.txt)"
grep -q "query p: sink o has 20000 rows or more waiting in its outbox" err.txt || fail "the query did not wait: $(cat err.txt)"
sleep 1
waiting=$(sqlite3 db "SELECT sum(rows) FROM _sluice_outbox")
[ "$waiting" -ge 20000 ] && [ "$waiting" -lt 30000 ] || fail "the outbox holds $waiting rows"
table=$(sqlite3 db "SELECT count(*) FROM p")
[ "$table" = "$waiting" ] || fail "the table has $table rows, the outbox $waiting: the query went on"
# Another query is not held up by p's sink.
for _ in $(seq 600); do [ "$(sqlite3 db 'SELECT n FROM total' 2>/dev/null)" = 200000 ] && break; sleep 0.05; done
[ "$(sqlite3 db 'SELECT n FROM total')" = 200000 ] || fail "the other query waited too: $(sqlite3 db 'SELECT n FROM total')"
kill -TERM "$pid"
wait "$pid" || fail "the stopped run failed: $(cat err.txt)"
grep -q "sink o: $waiting rows were not delivered within sink_drain_timeout (1 SECOND); they stay in its outbox" err.txt ||
  fail "no drain message: $(tail -3 err.txt)"

"$SLUICE" run --db db q.sql >out.txt 2>err2.txt || { cat err2.txt; fail "the second run"; }
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"
[ "$(sort out.txt)" = "$(sqlite3 -csv db 'SELECT u, v FROM p' | sort)" ] || fail "the rows printed differ from the table"
[ "$(wc -l <out.txt)" = "$(awk -F, '$2 % 3 != 0' in.csv | wc -l)" ] || fail "rows printed: $(wc -l <out.txt)"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# CREATE SINK ... INTO STDOUT: what a query emits, batch by batch. The JSON
# changelog a GROUP BY prints, replayed (last row per key wins), equals its
# result table; a second run over more input prints only what changed, with
# the sink's batch ids going on; an EMIT FINAL window prints each window once
# without "op"; SHOW SINKS tells what was delivered; DROP SINK forgets the
# outbox, and a sink made again with the name goes on with later batch ids;
# a sink FROM a source stream is refused with a hint.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

python3 - <<'PY'
import random
random.seed(7)
with open("in.csv", "w") as f:
    for i in range(20000):
        f.write("u%d,%d,2026-01-01 00:%02d:%02d\n" % (random.randrange(50), random.randrange(1000), i // 600 % 60, i // 10 % 60))
PY
head -12000 in.csv >data.csv

cat >q.sql <<'SQL'
CREATE STREAM s (u TEXT, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data.csv' FORMAT CSV;
CREATE QUERY per_user AS SELECT u, count(*) AS n, sum(v) AS total FROM s GROUP BY u
  WITH (max_batch_bytes = 50000);
CREATE QUERY per_minute AS SELECT window_start, count(*) AS n FROM s
  WINDOW TUMBLING (SIZE 1 MINUTE) EMIT FINAL;
CREATE SINK changes FROM per_user INTO STDOUT FORMAT JSON;
CREATE SINK minutes FROM per_minute INTO STDOUT FORMAT CSV;
SQL

# replay FILE: the changelog's final rows per key, as sorted "u|n|total" lines.
replay() {
  python3 - "$1" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if r["op"] == "delete":
        rows.pop(r["u"], None)
    else:
        rows[r["u"]] = "%s|%d|%d" % (r["u"], r["n"], r["total"])
print("\n".join(rows.values()))
PY
}
replay_sorted() { replay "$1" | sort; }

"$SLUICE" run --db db q.sql >out1.txt 2>err.txt || { cat err.txt; fail "first run"; }
[ "$(replay_sorted out1.txt)" = "$(sqlite3 db 'SELECT u, n, total FROM per_user' | sort)" ] ||
  fail "the printed changelog differs from the table"
grep -q '"op":"update"' out1.txt || fail "no update in the changelog: $(head -3 out1.txt)"
batches=$(sqlite3 db "SELECT batch_id FROM _sluice_sink_progress WHERE sink = 'changes'")
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE query = 'per_user'")" -gt 1 ] ||
  fail "one batch only: max_batch_bytes should have cut several"
# EMIT FINAL: each minute once, in CSV, no op column.
[ "$(grep -c '^2026-01-01' out1.txt)" = "$(sqlite3 db 'SELECT count(*) FROM per_minute')" ] ||
  fail "minutes printed: $(grep -c '^2026' out1.txt), table: $(sqlite3 db 'SELECT count(*) FROM per_minute')"
[ "$(grep '^2026-01-01' out1.txt | sort)" = "$(sqlite3 -csv db 'SELECT * FROM per_minute ORDER BY 1' | tr -d '"')" ] ||
  fail "the minutes printed differ from the table"
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"

# More input: the second run prints only the changes, with later batch ids.
cp in.csv data.csv
"$SLUICE" run --db db q.sql >out2.txt 2>err.txt || { cat err.txt; fail "second run"; }
grep -q "resumed" err.txt || fail "no resume: $(cat err.txt)"
cat out1.txt out2.txt >all.txt
[ "$(replay_sorted all.txt)" = "$(sqlite3 db 'SELECT u, n, total FROM per_user' | sort)" ] ||
  fail "the changelog of both runs differs from the table"
later=$(sqlite3 db "SELECT batch_id FROM _sluice_sink_progress WHERE sink = 'changes'")
[ "$later" -gt "$batches" ] || fail "batch ids did not go on: $batches then $later"
[ "$(grep -c '^{' out2.txt)" -le $(((later - batches) * 50)) ] ||
  fail "the second run printed more than the 50 keys' changes per batch"

# SHOW SINKS; DROP QUERY refused while a sink reads it; DROP SINK and a sink made again: ids go on past the dropped one's.
printf 'SHOW SINKS;\nDROP QUERY per_user;\nDROP SINK changes;\n' | "$SLUICE" --db db >show.txt 2>&1 || true
grep -q "changes.*per_user.*STDOUT FORMAT JSON" show.txt || fail "SHOW SINKS: $(cat show.txt)"
grep -q "sink changes dropped" show.txt || fail "DROP SINK: $(cat show.txt)"
grep -q "sink changes sends query per_user's rows" show.txt || fail "DROP QUERY under a sink: $(cat show.txt)"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_sinks WHERE name = 'changes'")" = 0 ] || fail "the sink is still saved"
echo "u999,1,2026-01-01 01:00:00" >>data.csv
"$SLUICE" run --db db q.sql >out3.txt 2>err.txt || { cat err.txt; fail "third run"; }
[ "$(sqlite3 db "SELECT batch_id FROM _sluice_sink_progress WHERE sink = 'changes'")" -gt "$later" ] ||
  fail "the sink made again reused a batch id"
grep -q '"u":"u999"' out3.txt || fail "the sink made again did not print the new row: $(cat out3.txt)"

# A sink reads a query, not a source stream.
printf "CREATE SINK raw FROM s INTO STDOUT;\n" >bad.sql
"$SLUICE" run --db db bad.sql >/dev/null 2>bad.txt && fail "a sink FROM a stream was accepted"
grep -q 'is a stream read from its source, not a query' bad.txt || fail "message: $(cat bad.txt)"
grep -q 'CREATE STREAM s_out AS SELECT \* FROM s' bad.txt || fail "hint: $(cat bad.txt)"
echo "1 passed, 0 failed"

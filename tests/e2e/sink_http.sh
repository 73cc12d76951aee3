#!/usr/bin/env bash
# INTO HTTP against tests/tools/http_receiver.py, which records every POST
# and fails a share of them (503 with Retry-After, 429; half of the 503s
# after taking the body, so the same batch comes again). Two sinks over a
# FILE stream: an append-only filter (JSON arrays, batches cut in parts) and
# a GROUP BY with HAVING under EMIT CHANGES (NDJSON with "op"). Every row
# arrives; a body comes twice only under the same Idempotency-Key; deduped
# by key, the filter's rows equal its result table and the changes, applied
# in batch order, leave exactly the aggregate's result table; the same after
# `kill -9` during delivery and restarts, and (soak only: a third run costs
# make test too much) with the receiver stopped and started again while the
# sinks deliver.
# Soak (tests/soak/run): SOAK_SCALE times the rows, KILL_MAX kills, 2 *
# SOAK_SCALE receiver stops, reported as sink_http and
# sink_http_server_restarts (server_restarts.bash's convention).
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/fake_targets.bash"
source "$(dirname "$0")/server_restarts.bash"
cd "$WORK"

# rows N FILE: N rows of input (the same first rows for any N).
rows() {
  python3 - "$1" >"$2" <<'PY'
import random, sys
rng = random.Random(17)
for i in range(int(sys.argv[1])):
    print("%d,u%d,%d" % (i, rng.randrange(200), rng.randrange(1000)))
PY
}
ROWS=60000
rows $ROWS in.csv
# The kills and the server stops read more under the soak, (SOAK_SCALE + 4) / 5
# times as many rows (twice at 10: the target, not sluice, sets the pace; 4
# times took 7 minutes on a loaded 2-core machine).
rows $((ROWS * (${SOAK_SCALE:-1} + 4) / 5)) in_soak.csv

# write_sql NAME [FILE]: the stream (over FILE, default in.csv), the two
# queries and their sinks into NAME.sql.
write_sql() {
  cat >"$1.sql" <<SQL
CREATE STREAM ev (id BIGINT, "user" TEXT, v BIGINT) FROM FILE '${2:-in.csv}' FORMAT CSV;
CREATE QUERY big AS SELECT id, "user", v FROM ev WHERE v >= 500 WITH (max_batch_bytes = 4096);
CREATE QUERY per_user AS SELECT "user", COUNT(*) AS n, SUM(v) AS total
  FROM ev GROUP BY "user" HAVING SUM(v) % 3 != 0 EMIT CHANGES WITH (max_batch_bytes = 4096);
CREATE SINK hook FROM big INTO HTTP 'http://127.0.0.1:$PORT/big' FORMAT JSON
  WITH (max_request_bytes = 2048, headers = 'Authorization: Bearer s3cret',
        retry_initial = '10 milliseconds', retry_max = '100 milliseconds');
CREATE SINK changes FROM per_user INTO HTTP 'http://127.0.0.1:$PORT/changes'
  WITH (body = 'ndjson', retry_initial = '10 milliseconds', retry_max = '100 milliseconds');
SQL
}

# check NAME: what the receiver got, deduped by key, equals the result tables.
check() {
  sqlite3 "$1.db" "SELECT id || '|' || \"user\" || '|' || v FROM big ORDER BY id" >"$1.big"
  sqlite3 "$1.db" "SELECT \"user\" || '|' || n || '|' || total FROM per_user ORDER BY 1" >"$1.per_user"
  [ "$(wc -l <"$1.big")" -gt 5000 ] || fail "$1: the filter's table is nearly empty"
  python3 - "$1.jsonl" "$1.big" "$1.per_user" <<'PY' || fail "$1: what the receiver got differs"
import json, sys
received = [json.loads(l) for l in open(sys.argv[1])]
def deduped(path):
    by_key = {}
    for r in received:
        if r["path"] != path:
            continue
        if r["key"] in by_key and by_key[r["key"]] != r["body"]:
            sys.exit("%s: key %s came with two bodies" % (path, r["key"]))
        by_key[r["key"]] = r["body"]
    repeats = sum(1 for r in received if r["path"] == path and r["repeat"])
    return by_key, repeats
def batch_order(key):
    parts = key.split("-")  # sink-batch[-part]
    return (int(parts[1]), int(parts[2]) if len(parts) > 2 else 0)

big, big_repeats = deduped("/big")
rows = []
for key, body in big.items():
    for row in json.loads(body):
        rows.append("%d|%s|%d" % (row["id"], row["user"], row["v"]))
want = open(sys.argv[2]).read().split()
if sorted(rows, key=lambda r: int(r.split("|")[0])) != want:
    sys.exit("/big: %d rows received (deduped by key), the table has %d" % (len(rows), len(want)))
if not all(k.startswith("hook-") for k in big) or not any(k.count("-") == 2 for k in big):
    sys.exit("/big: no batch was cut in parts with -<part> keys")
if not all(r["headers"].get("authorization") == "Bearer s3cret" for r in received if r["path"] == "/big"):
    sys.exit("/big: a request without the Authorization header")

changes, change_repeats = deduped("/changes")
table = {}
for key in sorted(changes, key=batch_order):
    for line in changes[key].splitlines():
        row = json.loads(line)
        if row["op"] == "delete":
            table.pop(row["user"], None)
        else:
            table[row["user"]] = "%s|%d|%d" % (row["user"], row["n"], row["total"])
want = open(sys.argv[3]).read().split()
if sorted(table.values()) != want:
    sys.exit("/changes: applied in batch order they leave %d rows, the table has %d" % (len(table), len(want)))
if big_repeats + change_repeats == 0:
    sys.exit("no batch was sent twice: the receiver's faults did not bite")
with open(sys.argv[1] + ".compared", "w") as f:
    f.write("%d\n" % (len(rows) + len(table)))
print("ok: %d rows in %d POSTs and %d groups from %d POSTs; %d repeats under the same key" %
      (len(rows), len(big), len(table), len(changes), big_repeats + change_repeats))
PY
}

# 1. One run to the end of the file: the sinks deliver everything before it exits.
start_fake run http_receiver.py --seed 3 --fail 0.25 --log "$WORK/run.jsonl"
write_sql run
"$SLUICE" run --db run.db run.sql >/dev/null 2>run.err || { cat run.err; fail "sluice run failed"; }
check run

# 2. The same, killed with SIGKILL at random moments and restarted: a batch the
# receiver has but the outbox still holds comes again under its same keys.
start_fake crash http_receiver.py --seed 4 --fail 0.25 --log "$WORK/crash.jsonl"
write_sql crash in_soak.csv
kill_and_restart "$WORK/crash.db" crash.sql
[ "$KILLS" -ge 5 ] || fail "only $KILLS kills landed"
check crash
echo "ok: after $KILLS kills"
soak_report sink_http "$KILLS" "$RESTARTS" "$(cat crash.jsonl.compared)"

# 3. The receiver stopped (SIGTERM, between two requests) and started again on
# its port, remembering the keys it logged, while the sinks deliver.
passed=2
if [ "${SOAK_SCALE:-1}" -gt 1 ]; then
  passed=3
  fake_again http_receiver.py --seed 5 --fail 0.25 --log "$WORK/restart.jsonl"
  write_sql restart in_soak.csv
  restart_server_under_load "$WORK/restart.db" restart.sql "$(soak_scale 2)" stop_fake fake_again
  check restart
  echo "ok: after $STOPS_DONE stops of the receiver and $KILLS_DONE kills of sluice while it was down"
  soak_report sink_http_server_restarts "$FAULTS_DONE" "$RUNS_DONE" "$(cat restart.jsonl.compared)"
fi
echo "$passed passed, 0 failed"

#!/usr/bin/env bash
# INTO ELASTICSEARCH against tests/tools/fake_es.py, which checks every _bulk
# request line by line as Elasticsearch does and fails a share of requests
# (503 and 429, half of the 503s after applying them) and of items (429),
# and refuses the documents of one user for good (mapper_parsing_exception).
# A GROUP BY with HAVING under EMIT CHANGES (inserts, updates and deletes)
# over a FILE stream, in many batches, cut into small _bulk requests: what
# the index finally holds equals the SQLite result table (the refused user
# aside), one document per key; the refused rows are the sink's dead letters.
# Then the same with `kill -9` during delivery and restarts, and (soak only:
# a third run costs make test too much) with the fake stopped and started
# again while the sink delivers.
# Soak (tests/soak/run): SOAK_SCALE times the rows, KILL_MAX kills, 2 *
# SOAK_SCALE server stops, reported as sink_elasticsearch and
# sink_elasticsearch_server_restarts (server_restarts.bash's convention).
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/fake_targets.bash"
source "$(dirname "$0")/server_restarts.bash"
cd "$WORK"

# rows N FILE: N rows of input (the same first rows for any N).
rows() {
  python3 - "$1" >"$2" <<'PY'
import random, sys
rng = random.Random(13)
for i in range(int(sys.argv[1])):
    user = "poison" if i % 997 == 0 else "u%d" % rng.randrange(300)
    print("%s,%d" % (user, rng.randrange(1000)))
PY
}
ROWS=12000
rows $ROWS in.csv
# The kills and the server stops read more under the soak, (SOAK_SCALE + 4) / 5
# times as many rows (twice at 10: the target, not sluice, sets the pace; 4
# times took 7 minutes on a loaded 2-core machine).
rows $((ROWS * (${SOAK_SCALE:-1} + 4) / 5)) in_soak.csv

# write_sql NAME [FILE]: the stream (over FILE, default in.csv), the query and
# the sink into NAME.sql.
write_sql() {
  cat >"$1.sql" <<SQL
CREATE STREAM ev ("user" TEXT, v BIGINT) FROM FILE '${2:-in.csv}' FORMAT CSV;
CREATE QUERY per_user AS SELECT "user", COUNT(*) AS n, SUM(v) AS total
  FROM ev GROUP BY "user" HAVING SUM(v) % 3 != 0 EMIT CHANGES
  WITH (max_batch_bytes = 4096);
CREATE SINK es FROM per_user INTO ELASTICSEARCH 'http://127.0.0.1:$PORT' INDEX 'per_user'
  WITH (max_bulk_bytes = 2048, retry_initial = '10 milliseconds', retry_max = '100 milliseconds');
SQL
}

# The result table as "user|n|total" lines, the refused user aside.
table() { sqlite3 "$1" "SELECT \"user\" || '|' || n || '|' || total FROM per_user WHERE \"user\" != 'poison' ORDER BY 1"; }

# The index as "user|n|total" lines; fails on a document whose _id is not its user.
index() {
  curl -sf "http://127.0.0.1:$PORT/per_user/_search?size=100000" | python3 -c '
import json, sys
hits = json.load(sys.stdin)["hits"]["hits"]
for h in hits:
    s = h["_source"]
    if h["_id"] != s["user"]:
        sys.exit("document %s holds user %s" % (h["_id"], s["user"]))
    print("%s|%d|%d" % (s["user"], s["n"], s["total"]))' | sort
}

stat() { curl -sf "http://127.0.0.1:$PORT/_fake/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# check NAME: the index equals the table, the fake saw faults and no malformed request.
check() {
  local db=$WORK/$1.db
  [ "$(table "$db" | wc -l)" -gt 50 ] || fail "$1: the result table is nearly empty"
  diff <(table "$db") <(index) >"$1.diff" || { head "$1.diff"; fail "$1: the index differs from the result table"; }
  [ "$(stat bad_requests)" = 0 ] || fail "$1: the fake refused malformed requests"
  [ "$(stat failed_requests)" -gt 0 ] && [ "$(stat failed_items)" -gt 0 ] ||
    fail "$1: the fake failed no request or no item"
  [ "$(stat refused_items)" -gt 0 ] || fail "$1: no document was refused for good"
  # every row ES refused for good is a dead letter of the sink, once, and only those rows
  local dead
  dead=$(sqlite3 "$db" "SELECT count(*) FROM _sluice_dead_letters WHERE query = 'es'")
  [ "$dead" -gt 0 ] || fail "$1: no dead letter"
  [ "$(sqlite3 "$db" "SELECT count(*) FROM _sluice_dead_letters WHERE query = 'es' AND source = 'sink es'
        AND record LIKE '{\"user\":\"poison\",%' AND error LIKE 'mapper_parsing_exception: failed to parse field [user]%'")" = "$dead" ] ||
    { sqlite3 "$db" "SELECT record, error FROM _sluice_dead_letters WHERE query = 'es' LIMIT 3"; fail "$1: dead letters other than the refused user's"; }
  [ "$(sqlite3 "$db" "SELECT count(DISTINCT \"offset\") FROM _sluice_dead_letters WHERE query = 'es'")" = "$dead" ] ||
    fail "$1: a batch's refused row is a dead letter twice"
  [ "$(sqlite3 "$db" "SELECT rejected FROM _sluice_sink_progress WHERE sink = 'es'")" = "$dead" ] ||
    fail "$1: the sink counts other rejected rows than its dead letters"
}

# 1. One run to the end of the file: the sink delivers everything before it exits.
start_fake run fake_es.py --seed 5 --fail-requests 0.2 --fail-items 0.02 --poison user=poison
write_sql run
"$SLUICE" run --db run.db run.sql >/dev/null 2>run.err || { cat run.err; fail "sluice run failed"; }
check run
echo "ok: $(table run.db | wc -l) documents equal the result table after $(stat failed_requests) failed requests and $(stat failed_items) failed items; $(sqlite3 run.db "SELECT count(*) FROM _sluice_dead_letters WHERE query = 'es'") rows refused for good are dead letters"

# 2. The same, killed with SIGKILL at random moments (during delivery too) and
# restarted until the file is done: a batch the index has but the outbox still
# holds is sent again, overwriting the same _ids.
start_fake crash fake_es.py --seed 6 --fail-requests 0.2 --fail-items 0.02 --poison user=poison
write_sql crash in_soak.csv
kill_and_restart "$WORK/crash.db" crash.sql
[ "$KILLS" -ge 5 ] || fail "only $KILLS kills landed"
[ "$(sqlite3 crash.db 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox is not empty"
check crash
echo "ok: after $KILLS kills, $(table crash.db | wc -l) documents equal the result table"
soak_report sink_elasticsearch "$KILLS" "$RESTARTS" "$(table crash.db | wc -l)"

# 3. The fake stopped (SIGTERM: it keeps what it acknowledged, as a node does)
# and started again on its port while the sink delivers.
passed=2
if [ "${SOAK_SCALE:-1}" -gt 1 ]; then
  passed=3
  fake_again fake_es.py --seed 8 --fail-requests 0.2 --fail-items 0.02 --poison user=poison \
    --state "$WORK/restart.state"
  write_sql restart in_soak.csv
  restart_server_under_load "$WORK/restart.db" restart.sql "$(soak_scale 2)" stop_fake fake_again
  check restart
  echo "ok: after $STOPS_DONE stops of the fake and $KILLS_DONE kills of sluice while it was down, $(table restart.db | wc -l) documents equal the result table"
  soak_report sink_elasticsearch_server_restarts "$FAULTS_DONE" "$RUNS_DONE" "$(table restart.db | wc -l)"
fi
echo "$passed passed, 0 failed"

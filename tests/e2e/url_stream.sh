#!/usr/bin/env bash
# FROM URL: a local server (tests/tools/ndjson_server.py) streams 30,000 NDJSON
# events in one chunked response, the shape of Twitter's filtered stream. It
# answers the first request 503 (Retry-After: 1), cuts the connection twice in
# the middle of a line, and sends one malformed line. The source retries,
# reconnects sending Last-Event-ID (resume_field = 'id'), the server resumes
# after it, and the counts per user are exact; the malformed line is a dead
# letter and the two cut lines are discarded with a warning. Then a second
# run without resume_field: each reconnection starts the stream over, and the
# counts are what was sent after each reconnect.
source "$(dirname "$0")/lib.bash"

EVENTS=30000
# start_server NAME [server options]: the server on a free port; sets PORT.
start_server() {
  local name=$1; shift
  python3 "$SOURCE_DIR/tests/tools/ndjson_server.py" --port-file "$WORK/$name.port" \
    --log "$WORK/$name.requests" --events $EVENTS "$@" &
  BG_PIDS+=($!)
  for _ in $(seq 300); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
  [ -s "$WORK/$name.port" ] || fail "the test server did not start"
  PORT=$(cat "$WORK/$name.port")
}

# wait_rows DB N: polls until the query has counted N rows (60 s at most).
wait_rows() {
  for _ in $(seq 600); do
    [ "$(sqlite3 "$1" 'SELECT coalesce(sum(n), 0) FROM per_user' 2>/dev/null || echo 0)" -ge "$2" ] &&
      return 0
    sleep 0.1
  done
  return 1
}

# run_query NAME WITH: runs the query over the stream until stopped; sets PID.
run_query() {
  cat >"$WORK/$1.sql" <<SQL
CREATE STREAM events (id BIGINT, "user" TEXT, v BIGINT)
  FROM URL 'http://127.0.0.1:$PORT/stream' FORMAT JSON
  WITH (headers = 'Authorization: Bearer s3cret; Accept: application/x-ndjson',
        retry_initial = '50 milliseconds'$2);
CREATE QUERY per_user AS SELECT "user", COUNT(*) AS n, SUM(v) AS total
  FROM events GROUP BY "user" TRIGGER EVERY 100 MILLISECONDS;
SQL
  "$SLUICE" run --db "$WORK/$1.db" "$WORK/$1.sql" 2>"$WORK/$1.err" &
  PID=$!
  BG_PIDS+=($PID)
}

# stop DB: a graceful stop (SIGTERM), which must succeed.
stop() {
  kill -TERM "$PID"
  local rc=0; wait "$PID" || rc=$?
  [ $rc = 0 ] || { cat "$WORK/$1.err"; fail "sluice run did not stop cleanly (exit $rc)"; }
}

# The expected "user|n|total" rows, for the ids of each connection's stream.
expected() {
  python3 - "$@" <<'PY'
import sys
from collections import defaultdict
n, total = defaultdict(int), defaultdict(int)
for r in sys.argv[1:]:
    a, b = map(int, r.split("-"))
    for i in range(a, b):
        n["u%d" % (i % 7)] += 1
        total["u%d" % (i % 7)] += i
for u in sorted(n):
    print("%s|%d|%d" % (u, n[u], total[u]))
PY
}

actual() { sqlite3 "$1" "SELECT \"user\" || '|' || n || '|' || total FROM per_user ORDER BY 1"; }

# 1. Resuming: every event counted once, whatever the drops.
start_server resume --drops 9000,21000 --reject-first --bad-after 5000
run_query resume ", resume_field = 'id'"
wait_rows "$WORK/resume.db" $EVENTS || { cat "$WORK/resume.err"; actual "$WORK/resume.db"; fail "not all events counted"; }
sleep 0.3 # a batch more: nothing may be counted twice
stop resume
[ "$(actual "$WORK/resume.db")" = "$(expected 0-$EVENTS)" ] || {
  actual "$WORK/resume.db"; fail "counts per user after two drops, resumed"; }
[ "$(sqlite3 "$WORK/resume.db" "SELECT count(*) FROM _sluice_dead_letters WHERE record LIKE '{\"id\": \"broken\"%' AND error LIKE 'bad JSON%'")" = 1 ] ||
  fail "the malformed line is not a dead letter"
[ "$(cut -d' ' -f1 "$WORK/resume.requests" | tr '\n' ' ')" = "- - 8999 20999 " ] || {
  cat "$WORK/resume.requests"; fail "Last-Event-ID of each request"; }
grep -qv "Bearer s3cret" "$WORK/resume.requests" && fail "a request without the Authorization header"
grep -q "HTTP 503; retrying in 1.0 s" "$WORK/resume.err" || { cat "$WORK/resume.err"; fail "no 503 retry honouring Retry-After logged"; }
[ "$(grep -c "a line cut short" "$WORK/resume.err")" = 2 ] || { cat "$WORK/resume.err"; fail "cut lines not warned of"; }
[ "$(grep -c "reconnected, resuming after event id" "$WORK/resume.err")" = 2 ] || { cat "$WORK/resume.err"; fail "reconnections not logged"; }
echo "ok: resumed after two drops and a 503, $EVENTS events counted once"

# 2. Without resume_field: each reconnection is a new stream from event 0;
# the counts are the sum of what each connection sent (all but the cut line).
start_server plain --drops 9000,21000
run_query plain ""
total=$((9000 + 21000 + EVENTS))
wait_rows "$WORK/plain.db" $total || { cat "$WORK/plain.err"; fail "not all events counted"; }
sleep 0.3
stop plain
[ "$(actual "$WORK/plain.db")" = "$(expected 0-9000 0-21000 0-$EVENTS)" ] || {
  actual "$WORK/plain.db"; fail "counts per user after two drops, not resumed"; }
[ "$(cut -d' ' -f1 "$WORK/plain.requests" | tr '\n' ' ')" = "- - - " ] || {
  cat "$WORK/plain.requests"; fail "a Last-Event-ID was sent without resume_field"; }
echo "ok: without resume_field, $total events over three connections"
echo "2 passed, 0 failed"

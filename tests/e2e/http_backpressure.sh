#!/usr/bin/env bash
# HTTP LISTEN pushes back: while the bodies received and not yet committed
# pass max_queued_bytes (here a query that commits every 2 seconds), senders
# are answered 503 with Retry-After at once, without their bodies being
# kept, and sluice's memory stays flat; senders that retry get every body
# in, and the table equals what was acknowledged. Stopping sluice while
# bodies wait for their commit answers each 200 or 503, never neither, and
# every 200 is in the table.
source "$(dirname "$0")/http.bash"

CLIENTS=10
BODIES=6
ROWS=500
make_bodies "$WORK/bodies" "$CLIENTS" "$BODIES" "$ROWS"
cat >"$WORK/q.sql" <<'SQL'
CREATE STREAM events (client BIGINT, body BIGINT, seq BIGINT, name TEXT)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/ingest' FORMAT JSON
  WITH (max_queued_bytes = 262144, max_body_bytes = 65536);
CREATE QUERY received AS SELECT client, body, seq FROM events TRIGGER EVERY 2 SECONDS;
SQL
start_http_sluice "$WORK/db" "$WORK/q.sql"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SLUICE_PID/status"; }
rss_before=$(rss)
( while kill -0 "$SLUICE_PID" 2>/dev/null; do rss >>"$WORK/rss" 2>/dev/null || true; sleep 0.1; done ) &
BG_PIDS+=($!)

pids=()
for c in $(seq "$CLIENTS"); do
  sender "$c" "$BODIES" "$WORK/bodies" "$WORK/log" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

refused=$(wc -l <"$WORK/log.503" 2>/dev/null || echo 0)
[ "$refused" -ge 1 ] || fail "no sender was pushed back"
grep -v ' retry-after=1$' "$WORK/log.503" | head -3 | grep . && fail "a 503 without Retry-After: 1"
bad=$(awk '$3 != 200' "$WORK/log" | head -3)
[ -z "$bad" ] || fail "bodies not taken in the end: $bad"
acked=$(rows_acknowledged "$WORK/log")
got=$(sqlite3 "$WORK/db" "SELECT count(*) FROM received")
[ "$got" = "$acked" ] || fail "the table holds $got rows, the 200s acknowledged $acked"
rss_peak=$(sort -n "$WORK/rss" | tail -1)
[ $((rss_peak - rss_before)) -lt 65536 ] || fail "RSS grew from $rss_before kB to $rss_peak kB"
echo "ok: $refused answers 503 (Retry-After: 1), then all $((CLIENTS * BODIES)) bodies in ($acked rows); RSS $rss_before -> $rss_peak kB"

# Stopping with bodies waiting for the 2-second commit: each is answered.
rm -f "$WORK/log"
pids=()
for c in $(seq "$CLIENTS"); do
  ( echo "$c 1 $(post "$WORK/bodies/c${c}_b1.ndjson")" >>"$WORK/log" ) &
  pids+=($!)
done
for _ in $(seq 200); do
  curl -s "$HTTP_URL" | grep -q '"held_bytes":0' || break
  sleep 0.01
done
before=$(sqlite3 "$WORK/db" "SELECT count(*) FROM received WHERE body = 1")
stop_http_sluice
for p in "${pids[@]}"; do wait "$p"; done
[ "$(wc -l <"$WORK/log")" = "$CLIENTS" ] || fail "not every sender was answered"
odd=$(awk '$3 != 200 && $3 != 503' "$WORK/log" | head -3)
[ -z "$odd" ] || fail "answers on stopping other than 200 or 503: $odd"
acked=$(awk '$3 == 200' "$WORK/log" | wc -l)
after=$(sqlite3 "$WORK/db" "SELECT count(*) FROM received WHERE body = 1")
[ $((after - before)) -ge $((acked * ROWS)) ] || fail "$acked bodies answered 200 on stopping, $((after - before)) rows committed"
echo "ok: stopping answered $acked bodies 200 and $((CLIENTS - acked)) 503"

#!/usr/bin/env bash
# HTTP LISTEN pushes back: while the stream's log holds more than
# max_log_bytes that its query has not read (here a query that commits
# every 5 seconds: a reader's place in the log moves at its commits),
# senders are answered 503 with Retry-After at once, without their bodies
# being kept, and sluice's memory stays flat; senders that retry get every
# body in, and the table ends equal to what was acknowledged. Stopping
# sluice while bodies are in flight answers none 200 that is not in the
# log: every 200 is counted after a restart.
source "$(dirname "$0")/http.bash"

CLIENTS=10
BODIES=2
ROWS=2000
make_bodies "$WORK/bodies" "$CLIENTS" "$BODIES" "$ROWS"
cat >"$WORK/q.sql" <<'SQL'
CREATE STREAM events (client BIGINT, body BIGINT, seq BIGINT, name TEXT)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/ingest' FORMAT JSON
  WITH (max_log_bytes = 1048576, max_body_bytes = 262144);
CREATE QUERY received AS SELECT client, body, COUNT(*) AS n FROM events GROUP BY client, body
  TRIGGER EVERY 5 SECONDS;
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
wait_for "$WORK/db" "SELECT sum(n) FROM received" "$acked"
rss_peak=$(sort -n "$WORK/rss" | tail -1)
# Under ASan freed memory sits in its quarantine, so RSS says nothing there.
case $(ldd "$SLUICE") in
  *libasan*) ;;
  *) [ $((rss_peak - rss_before)) -lt 65536 ] || fail "RSS grew from $rss_before kB to $rss_peak kB" ;;
esac
echo "ok: $refused answers 503 (Retry-After: 1), then all $((CLIENTS * BODIES)) bodies in ($acked rows); RSS $rss_before -> $rss_peak kB"

# Stopping while bodies are in flight: each is answered; the 200s are in the log.
rm -f "$WORK/log"
pids=()
for c in $(seq "$CLIENTS"); do
  ( echo "$c 1 $(post "$WORK/bodies/c${c}_b1.ndjson")" >>"$WORK/log" ) &
  pids+=($!)
done
# Stop as the first answers come, the others on their way.
for _ in $(seq 600); do
  [ -s "$WORK/log" ] && break
  sleep 0.01
done
stop_http_sluice
for p in "${pids[@]}"; do wait "$p"; done
[ "$(wc -l <"$WORK/log")" = "$CLIENTS" ] || fail "a sender did not finish"
# 000: a sender that connected only after the listener closed.
odd=$(awk '$3 != 200 && $3 != 503 && $3 != "000"' "$WORK/log" | head -3)
[ -z "$odd" ] || fail "answers on stopping other than 200 or 503: $odd"
acked=$(awk '$3 == 200' "$WORK/log" | wc -l)
refused=$(awk '$3 == 503' "$WORK/log" | wc -l)
start_http_sluice "$WORK/db" "$WORK/q.sql"
wait_for "$WORK/db" "SELECT count(*) FROM _sluice_log" 0
while read -r c b status _; do
  [ "$status" = 200 ] || continue
  n=$(sqlite3 "$WORK/db" "SELECT n FROM received WHERE client = $c AND body = 1")
  [ "$n" = $((2 * ROWS)) ] || fail "body $c/1 answered 200 on stopping: $n rows (sent twice in all)"
done <"$WORK/log"
stop_http_sluice
echo "ok: stopping answered $acked bodies 200 and $refused 503; each 200 counted after the restart"

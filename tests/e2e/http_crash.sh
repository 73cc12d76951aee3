#!/usr/bin/env bash
# HTTP LISTEN and kill -9: sluice is killed right after some 200s while
# senders are still posting; started again on the same database, every body
# answered 200 is counted exactly once by each of two queries (a 200 is only
# sent once the body is committed to the stream's log), and a body that got
# no answer at most once (committed before the kill, or lost with it: its
# sender must send it again). Once here; in a soak, KILL_MAX rounds of
# start, post, kill -9 (each sender goes on after its last answered body).
source "$(dirname "$0")/http.bash"

CLIENTS=8
BODIES=$(soak_scale 20)
[ "$BODIES" -ge 40 ] || BODIES=40
# At most 25 rounds: each starts sluice, which reads its log back, and waits
# for bodies (80 took 12 minutes on a loaded 2-core machine).
ROUNDS=${KILL_MAX:-1}
[ "$ROUNDS" -le 25 ] || ROUNDS=25
# Bodies answered 200 in a round before its kill (fewer a round in a soak, for time).
NEED=$((ROUNDS > 1 ? 8 : 24))
ROWS=500
make_bodies "$WORK/bodies" "$CLIENTS" "$BODIES" "$ROWS"
cat >"$WORK/q.sql" <<'SQL'
CREATE STREAM events (client BIGINT, body BIGINT, seq BIGINT, name TEXT)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/ingest' FORMAT JSON;
CREATE QUERY received AS SELECT client, body, seq FROM events TRIGGER EVERY 100 MILLISECONDS;
CREATE QUERY per_body AS SELECT client, body, COUNT(*) AS n FROM events GROUP BY client, body
  TRIGGER EVERY 300 MILLISECONDS;
SQL
: >"$WORK/log"

# Each sender posts its bodies in order, from the one after the last it
# posted, and stops at the first that is not answered (the last body is kept
# for the end).
send_until_refused() {
  local c=$1 b answer from
  from=$(($(awk -v c="$c" '$1 == c { b = $2 } END { print b + 0 }' "$WORK/log") + 1))
  for b in $(seq "$from" $((BODIES - 1))); do
    answer=$(post "$WORK/bodies/c${c}_b$b.ndjson")
    echo "$c $b $answer" >>"$WORK/log"
    [ "${answer%% *}" = 200 ] || break
  done
}
kills=0
for _ in $(seq "$ROUNDS"); do
  # Bodies left for every sender to get 3 answered before the kill.
  [ "$(awk -v n=$((BODIES - 4)) '$2 > n' "$WORK/log" | wc -l)" = 0 ] || break
  start_http_sluice "$WORK/db" "$WORK/q.sql"
  before=$(awk '$3 == 200' "$WORK/log" | wc -l)
  pids=()
  for c in $(seq "$CLIENTS"); do
    send_until_refused "$c" &
    pids+=($!)
  done
  for _ in $(seq 1200); do
    [ "$(awk '$3 == 200' "$WORK/log" | wc -l)" -ge $((before + NEED)) ] && break
    sleep 0.05
  done
  kill -9 "$SLUICE_PID"
  wait "$SLUICE_PID" 2>/dev/null || true
  kills=$((kills + 1))
  for p in "${pids[@]}"; do wait "$p"; done
  acked=$(($(awk '$3 == 200' "$WORK/log" | wc -l) - before))
  [ "$acked" -ge "$NEED" ] || fail "only $acked bodies acknowledged before kill $kills"
done
acked=$(awk '$3 == 200' "$WORK/log" | wc -l)
unanswered=$(awk '$3 != 200' "$WORK/log" | wc -l)
[ "$unanswered" -ge 1 ] || fail "the kills came after every sender was done"

# Started again: the saved queries resume from their places in the log.
start_http_sluice "$WORK/db" "$WORK/q.sql"
last=$(awk '$3 == 200 { print $1 " " $2 }' "$WORK/log" | tail -1)
wait_for "$WORK/db" "SELECT count(*) FROM received WHERE client = ${last% *} AND body = ${last#* }" "$ROWS"
wait_for "$WORK/db" "SELECT n FROM per_body WHERE client = ${last% *} AND body = ${last#* }" "$ROWS"
# Both have read the whole log once their positions reach its end.
wait_for "$WORK/db" "SELECT count(*) FROM _sluice_log" 0
sqlite3 "$WORK/db" "SELECT client || ' ' || body || ' ' || count(*) || ' ' || count(DISTINCT seq)
                    FROM received GROUP BY client, body" | sort >"$WORK/have"
sqlite3 "$WORK/db" "SELECT client || ' ' || body || ' ' || n || ' ' || n FROM per_body" | sort >"$WORK/have2"
cmp -s "$WORK/have" "$WORK/have2" || fail "the two queries counted different bodies"
while read -r c b status _; do
  line=$(grep "^$c $b " "$WORK/have" || true)
  if [ "$status" = 200 ]; then
    [ "$line" = "$c $b $ROWS $ROWS" ] || fail "body $c/$b was acknowledged; the table has '$line'"
  else
    [ -z "$line" ] || [ "$line" = "$c $b $ROWS $ROWS" ] || fail "body $c/$b (unanswered) is there as '$line'"
  fi
done <"$WORK/log"
sent=$(wc -l <"$WORK/log")
[ "$(wc -l <"$WORK/have")" -le "$sent" ] || fail "the table has bodies nobody sent"

# The resumed query takes bodies again.
answer=$(post "$WORK/bodies/c1_b$BODIES.ndjson")
[ "$answer" = "200 {\"rows\":$ROWS,\"dead_letters\":0}" ] || fail "after the restart: $answer"
wait_for "$WORK/db" "SELECT n FROM per_body WHERE client = 1 AND body = $BODIES" "$ROWS"
stop_http_sluice
echo "ok: $kills kills, $acked acknowledged bodies ($unanswered unanswered); each acknowledged one is there once"
soak_report http_crash "$kills" "$((kills + 1))" "$(($(wc -l <"$WORK/have") * ROWS))"

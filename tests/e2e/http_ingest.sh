#!/usr/bin/env bash
# HTTP LISTEN: 20 senders POST 500-row NDJSON bodies at once; every 200 means
# its body is committed to the stream's log, so its rows reach the result
# table, and the table holds exactly the rows of the bodies answered 200. A body with 5% bad rows
# is answered 200 with both counts and each bad row is a dead letter; a byte
# order mark opening each body is skipped; a body where nothing decodes is
# 400; then 413, 401, 404 and 405.
source "$(dirname "$0")/http.bash"

CLIENTS=20
BODIES=5
ROWS=500
make_bodies "$WORK/bodies" "$CLIENTS" "$BODIES" "$ROWS"
cat >"$WORK/q.sql" <<'SQL'
CREATE STREAM events (client BIGINT, body BIGINT, seq BIGINT, name TEXT)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/ingest' FORMAT JSON
  WITH (token = 'let-me-in', max_body_bytes = 1048576);
CREATE QUERY received AS SELECT client, body, seq, name FROM events
  TRIGGER EVERY 200 MILLISECONDS;
SQL
start_http_sluice "$WORK/db" "$WORK/q.sql"
AUTH=(-H 'Authorization: Bearer let-me-in')

# Sender 1 follows each of its 200s: the body's rows reach the results, once.
check_each() {
  local b answer
  for b in $(seq "$BODIES"); do
    answer=$(post "$WORK/bodies/c1_b$b.ndjson" "${AUTH[@]}")
    echo "1 $b $answer" >>"$WORK/log"
    [ "${answer%% *}" = 200 ] || continue
    wait_for "$WORK/db" "SELECT count(*) FROM received WHERE client = 1 AND body = $b" "$ROWS"
  done
}
check_each &
pids=($!)
for c in $(seq 2 "$CLIENTS"); do
  sender "$c" "$BODIES" "$WORK/bodies" "$WORK/log" "${AUTH[@]}" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

answers=$(wc -l <"$WORK/log")
[ "$answers" = $((CLIENTS * BODIES)) ] || fail "$answers answers for $((CLIENTS * BODIES)) bodies"
bad=$(awk '$3 != 200' "$WORK/log" | head -3)
[ -z "$bad" ] || fail "bodies not taken: $bad"
grep -v "\"rows\":$ROWS,\"dead_letters\":0" "$WORK/log" && fail "an answer without the body's counts"
acked=$(rows_acknowledged "$WORK/log")
# Every acknowledged row arrives; none twice.
wait_for "$WORK/db" "SELECT count(*) FROM received" "$acked"
got=$(sqlite3 "$WORK/db" "SELECT count(DISTINCT client || '/' || body || '/' || seq) FROM received")
[ "$got" = "$acked" ] || fail "the table holds $got distinct rows of $acked"
echo "ok: $CLIENTS senders, $answers bodies, $acked rows acknowledged and committed"

# 5% malformed: every 20th row bad (bad JSON, a wrong type, not an object, a truncated line).
python3 - "$WORK/mixed.ndjson" "$WORK/mixed_bad.txt" <<'PY'
import sys
bad_kinds = ['{"client":99,"body":1,"seq":%d,', '{"client":"x%d","body":1}', '[%d]', '{"client":99 %d}']
with open(sys.argv[1], "w") as f, open(sys.argv[2], "w") as bad:
    for i in range(500):
        if i % 20 == 7:
            line = bad_kinds[(i // 20) % 4] % i
            bad.write(line + "\n")
        else:
            line = '{"client":99,"body":1,"seq":%d,"name":"ok"}' % i
        f.write(line + "\n")
PY
letters_before=$(sqlite3 "$WORK/db" "SELECT count(*) FROM _sluice_dead_letters")
answer=$(post "$WORK/mixed.ndjson" "${AUTH[@]}")
[ "$answer" = '200 {"rows":475,"dead_letters":25}' ] || fail "mixed body: $answer"
wait_for "$WORK/db" "SELECT count(*) FROM received WHERE client = 99" 475
wait_for "$WORK/db" "SELECT count(*) FROM _sluice_dead_letters" $((letters_before + 25))
sqlite3 "$WORK/db" "SELECT record FROM _sluice_dead_letters WHERE id > (SELECT coalesce(max(id), 0) FROM _sluice_dead_letters) - 25 ORDER BY id" >"$WORK/letters.txt"
diff "$WORK/mixed_bad.txt" "$WORK/letters.txt" || fail "the dead letters are not the bad rows"
[ "$(sqlite3 "$WORK/db" "SELECT count(*) FROM _sluice_dead_letters WHERE error IS NULL OR error = ''")" = 0 ] ||
  fail "a dead letter without its reason"
echo "ok: 5% malformed: 200 with 475 rows and 25 dead letters, each bad row kept"

# Bodies that open with a UTF-8 byte order mark (PowerShell's and .NET's UTF-8
# writers send one): each body's mark is skipped, not only the stream's first.
for b in 1 2; do
  printf '\xef\xbb\xbf{"client":98,"body":%d,"seq":0,"name":"bom"}\n' "$b" >"$WORK/bom$b.ndjson"
  answer=$(post "$WORK/bom$b.ndjson" "${AUTH[@]}")
  [ "$answer" = '200 {"rows":1,"dead_letters":0}' ] || fail "body $b with a byte order mark: $answer"
done
wait_for "$WORK/db" "SELECT count(*) FROM received WHERE client = 98 AND name = 'bom'" 2
echo "ok: a byte order mark opening each body is skipped"

# Nothing decodes: 400 with the reason, and nothing kept.
printf 'not json\n{"client":\n' >"$WORK/all_bad.ndjson"
answer=$(post "$WORK/all_bad.ndjson" "${AUTH[@]}")
case $answer in "400 {\"error\":\""?*) ;; *) fail "all-bad body: $answer" ;; esac
[ "$(sqlite3 "$WORK/db" "SELECT count(*) FROM _sluice_dead_letters")" = $((letters_before + 25)) ] ||
  fail "a refused body left dead letters"

# Too large: by its Content-Length, and streamed (chunked) with none.
head -c 2000000 /dev/zero | tr '\0' 'x' >"$WORK/huge"
answer=$(post "$WORK/huge" "${AUTH[@]}")
[ "${answer%% *}" = 413 ] || fail "2 MB body with Content-Length: $answer"
answer=$(post "$WORK/huge" "${AUTH[@]}" -H 'Transfer-Encoding: chunked')
[ "${answer%% *}" = 413 ] || fail "2 MB chunked body: $answer"

# The token: missing or wrong is 401, and the body is not kept.
[ "$(post "$WORK/mixed.ndjson" | cut -d' ' -f1)" = 401 ] || fail "no token"
[ "$(post "$WORK/mixed.ndjson" -H 'Authorization: Bearer let-me-inn' | cut -d' ' -f1)" = 401 ] || fail "wrong token"
[ "$(post "$WORK/mixed.ndjson" -H 'Authorization: Basic bGV0LW1lLWlu' | cut -d' ' -f1)" = 401 ] || fail "basic auth"

# Another path is 404; PUT is 405; GET on the path says how the source is.
[ "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$WORK/mixed.ndjson" "${AUTH[@]}" "${HTTP_URL%/ingest}/other")" = 404 ] || fail "other path"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary @"$WORK/mixed.ndjson" "${AUTH[@]}" "$HTTP_URL")" = 405 ] || fail "PUT"
[[ $(curl -s "${AUTH[@]}" "$HTTP_URL") == *'"status":"listening"'* ]] || fail "GET health"
[ "$(sqlite3 "$WORK/db" "SELECT count(*) FROM received")" = $((acked + 475 + 2)) ] || fail "a refused body was kept"
echo "ok: 400 (nothing decodes), 413 (by length and streamed), 401, 404, 405"

stop_http_sluice

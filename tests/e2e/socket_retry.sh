#!/usr/bin/env bash
# A socket source started before its server retries with backoff (and says
# so on stderr), connects once the server is up, and counts everything; with
# WITH (reconnect_retries = n) it gives up after n retries.
source "$(dirname "$0")/lib.bash"

# A port nobody listens on (yet).
for _ in $(seq 50); do
  port=$((20000 + RANDOM % 12000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
printf 'a b a\nc a\n' >"$WORK/in.txt"
cat >"$WORK/q.sql" <<SQL
CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word TRIGGER EVERY 100 MILLISECONDS;
SQL
"$SLUICE" run --db "$WORK/db" "$WORK/q.sql" 2>"$WORK/err" &
pid=$!
BG_PIDS+=($pid)
sleep 1.2
"$BUILD_DIR/sl_feeder" --port "$port" "$WORK/in.txt" >/dev/null &
BG_PIDS+=($!)
wait $pid || { cat "$WORK/err"; fail "sluice run failed"; }
grep -q "connection refused; retrying in" "$WORK/err" || { cat "$WORK/err"; fail "no retry logged"; }
retries=$(grep -c "retrying in" "$WORK/err")
[ "$retries" -ge 3 ] && [ "$retries" -le 12 ] || fail "$retries retries in 1.2 s is not exponential backoff"
[ "$(sqlite3 "$WORK/db" "select group_concat(word || '=' || n, ' ') from (select * from wc order by word)")" = "a=3 b=1 c=1" ] ||
  fail "counts after reconnecting"
echo "ok: $retries retries logged before the server came up"

# WITH (reconnect_...) bounds the retries: with no server the query fails,
# naming how many it made, instead of waiting forever.
cat >"$WORK/give_up.sql" <<SQL
CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT TEXT
  WITH (reconnect_delay = '10 milliseconds', reconnect_max_delay = '20 milliseconds',
        reconnect_retries = 3);
CREATE QUERY wc AS SELECT line FROM lines;
SQL
if "$SLUICE" run --db "$WORK/db2" "$WORK/give_up.sql" 2>"$WORK/err2"; then
  fail "a stream with reconnect_retries = 3 and no server ran to success"
fi
grep -q "gave up after 3 retries" "$WORK/err2" || { cat "$WORK/err2"; fail "no give-up message"; }
echo "1 passed, 0 failed"

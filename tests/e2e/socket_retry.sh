#!/usr/bin/env bash
# A socket source started before its server retries with backoff (and says
# so on stderr), connects once the server is up, and counts everything.
source "$(dirname "$0")/lib.bash"

# A port nobody listens on (yet).
for _ in $(seq 50); do
  port=$((20000 + RANDOM % 20000))
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
echo "1 passed, 0 failed"

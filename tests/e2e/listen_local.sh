#!/usr/bin/env bash
# Listening sources bind to 127.0.0.1 unless an address is given (issue 17,
# "secrets stay secret"): a SOCKET LISTEN or HTTP LISTEN written with a port
# alone ('0', ':0') listens on the loopback interface only, and is not
# reached on the machine's other addresses; rows sent to it arrive. An
# address that is not a port is refused at CREATE STREAM with the hint.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cat >q.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM SOCKET LISTEN '0' FORMAT TEXT;
CREATE STREAM posts (line TEXT) FROM HTTP LISTEN ':0' PATH '/in' FORMAT TEXT;
CREATE QUERY got_lines AS SELECT line FROM lines TRIGGER EVERY 50 MILLISECONDS;
CREATE QUERY got_posts AS SELECT line FROM posts TRIGGER EVERY 50 MILLISECONDS;
SQL
"$SLUICE" run --db db q.sql >out.txt 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 300); do [ "$(grep -c 'listening on' err.txt)" -ge 2 ] && break; sleep 0.05; done
grep -q "socket listen:0: listening on 127.0.0.1:" err.txt || { cat err.txt; fail "SOCKET LISTEN '0' not on 127.0.0.1"; }
grep -q "http: listening on 127.0.0.1:" err.txt || { cat err.txt; fail "HTTP LISTEN ':0' not on 127.0.0.1"; }
sport=$(sed -n 's/.*socket listen:0: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' err.txt)
hport=$(sed -n 's/.*http: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' err.txt)

printf 'one\ntwo\n' >/dev/tcp/127.0.0.1/"$sport"
curl -sf --data-binary $'three\n' "http://127.0.0.1:$hport/in" >/dev/null || fail "the POST was not taken"
# Another address of this machine, when it has one, does not reach them.
for ip in $(hostname -I 2>/dev/null); do
  case $ip in 127.*|*:*) continue ;; esac
  if (exec 3<>"/dev/tcp/$ip/$sport") 2>/dev/null; then fail "SOCKET LISTEN '0' answers on $ip"; fi
  if curl -s -m 2 "http://$ip:$hport/in" >/dev/null; then fail "HTTP LISTEN ':0' answers on $ip"; fi
  echo "ok: not reached on $ip"
done
for _ in $(seq 200); do
  [ "$(sqlite3 db 'SELECT (SELECT count(*) FROM got_lines) + (SELECT count(*) FROM got_posts)' 2>/dev/null)" = 3 ] && break
  sleep 0.05
done
[ "$(sqlite3 db 'SELECT group_concat(line) FROM (SELECT line FROM got_lines UNION ALL SELECT line FROM got_posts)')" = "one,two,three" ] ||
  fail "rows: $(sqlite3 db 'SELECT line FROM got_lines UNION ALL SELECT line FROM got_posts')"
kill -TERM "$pid"; wait "$pid" || fail "run did not stop cleanly"

cat >bad.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM SOCKET LISTEN 'localhost' FORMAT TEXT;
SQL
if "$SLUICE" check bad.sql >got.txt 2>&1; then fail "an address without a port was accepted"; fi
diff - got.txt <<'OUT' || fail "not the expected message"
bad.sql:1:48: error: a listening address needs a port
    1 | CREATE STREAM s (line TEXT) FROM SOCKET LISTEN 'localhost' FORMAT TEXT;
      |                                                ^~~~~~~~~~~
hint: write a port ('8080' listens on 127.0.0.1 only) or host:port ('0.0.0.0:8080' listens on every interface)
OUT
echo "1 passed, 0 failed"

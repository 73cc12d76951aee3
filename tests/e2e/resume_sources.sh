#!/usr/bin/env bash
# A saved query over a source that cannot replay, read directly (stdin, a
# socket WITH (log = false)), resumes with its state when it runs again: its counts go on from
# the last committed batch with what the source sends now (at most once: what
# was read but not committed is lost), and it says so. CREATE OR REPLACE starts over.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cat >stdin.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM STDIN FORMAT TEXT;
CREATE QUERY wc AS SELECT word, count(*) AS n FROM s, UNNEST(split(line, ' ')) AS word GROUP BY word;
SQL
printf 'a b\nb\n' | "$SLUICE" run --db db stdin.sql 2>/dev/null
printf 'a c\n' | "$SLUICE" run --db db stdin.sql 2>err.txt
[ "$(sqlite3 db "SELECT group_concat(word || n, ' ') FROM (SELECT * FROM wc ORDER BY word)")" = "a2 b2 c1" ] ||
  fail "stdin counts did not go on: $(sqlite3 db 'SELECT * FROM wc')"
grep -q "query wc resumed after batch 1, with 2 groups; stdin cannot replay" err.txt ||
  { cat err.txt; fail "no notice of an at-most-once resume"; }

printf 'x y\n' >one.txt
printf 'y\n' >two.txt
start_feeder one.txt
cat >sock.sql <<SQL
CREATE STREAM t (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT WITH (log = false);
CREATE QUERY tc AS SELECT word, count(*) AS n FROM t, UNNEST(split(line, ' ')) AS word GROUP BY word;
SQL
"$SLUICE" run --db db sock.sql 2>/dev/null
# The same statements again, the server serving new lines on the same port.
start_feeder two.txt --port "$FEEDER_PORT"
"$SLUICE" run --db db sock.sql 2>err.txt
[ "$(sqlite3 db "SELECT group_concat(word || n, ' ') FROM (SELECT * FROM tc ORDER BY word)")" = "x1 y2" ] ||
  fail "socket counts did not go on: $(sqlite3 db 'SELECT * FROM tc')"
grep -q "query tc resumed after batch 1, with 2 groups; socket:127.0.0.1:$FEEDER_PORT cannot replay" err.txt ||
  { cat err.txt; fail "no notice of an at-most-once resume"; }

sed 's/CREATE QUERY/CREATE OR REPLACE QUERY/' stdin.sql >replace.sql
printf 'z\n' | "$SLUICE" run --db db replace.sql 2>/dev/null
[ "$(sqlite3 db "SELECT group_concat(word || n, ' ') FROM wc")" = "z1" ] || fail "CREATE OR REPLACE did not start over"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# A saved query run again under a new definition: a change that leaves its
# state's layout and its table's columns as they were (a new WHERE, other
# expressions, TRIGGER) goes on from the checkpoint, saying so; any other is
# refused with a message naming what differs (golden text below), and
# CREATE OR REPLACE QUERY starts it over. An input file replaced under a
# checkpoint is refused the same way.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

add() { for l in "$@"; do printf '%s,2026-01-01 00:00:00\n' "$l"; done >>in.txt; }
add 'a b' b
stream="CREATE STREAM lines (line TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts) FROM FILE 'in.txt' FORMAT CSV;"
query() { printf '%s\nCREATE QUERY wc AS\n  %s;\n' "$stream" "$1" >q.sql; }
counts() { sqlite3 db "SELECT group_concat(word || n, ' ') FROM (SELECT * FROM wc ORDER BY word)"; }
words="FROM lines, UNNEST(split(line, ' ')) AS word"

query "SELECT word, count(*) AS n $words GROUP BY word"
"$SLUICE" run --db db q.sql 2>/dev/null || fail "the first run"
[ "$(counts)" = "a1 b2" ] || fail "first run: $(counts)"

# A stateless change: a WHERE and a TRIGGER. It goes on from byte 46 with its groups.
add 'zzz c'
query "SELECT word, count(*) AS n $words WHERE word <> 'zzz' GROUP BY word TRIGGER EVERY 2 SECONDS"
"$SLUICE" run --db db q.sql >out.txt 2>&1 || { cat out.txt; fail "a stateless change was refused"; }
diff - <(grep '^query' out.txt) <<'OUT' || fail "stateless change: not the expected notices"
query wc has a new definition that changes no state (the same stream, GROUP BY keys, aggregates, WINDOW and columns): it goes on from its checkpoint
query wc resumed at byte 46 of its input, with 2 groups
OUT
[ "$(counts)" = "a1 b2 c1" ] || fail "after a stateless change: $(counts)"
[ "$(sqlite3 db "SELECT sql LIKE '%zzz%' FROM _sluice_queries WHERE name = 'wc'")" = 1 ] ||
  fail "the new definition was not saved"

# refused: q.sql must fail with exactly the text on stdin, and change nothing.
refused() {
  if "$SLUICE" run --db db q.sql >/dev/null 2>got.txt; then fail "$1 was not refused"; fi
  diff - <(grep -v "^stream .* created$" got.txt) || fail "$1: not the expected message"
  [ "$(counts)" = "a1 b2 c1" ] || fail "$1: the table changed"
}

query "SELECT word, length(word) AS len, count(*) AS n $words GROUP BY word, len"
refused "other GROUP BY keys" <<'OUT'
q.sql:2:14: error: query "wc" already exists with a different definition: GROUP BY keys differ (saved: word; now: word, length(word)): state cannot be reused; columns differ (saved: word TEXT, n INTEGER; now: word TEXT, len INTEGER, n INTEGER): the table cannot hold both
    2 | CREATE QUERY wc AS
      |              ^~
hint: CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are dropped); or choose another name
OUT

query "SELECT word, sum(length(word)) AS n $words GROUP BY word"
refused "another aggregate" <<'OUT'
q.sql:2:14: error: query "wc" already exists with a different definition: aggregates differ (saved: count(*); now: sum(length(word))): state cannot be reused
    2 | CREATE QUERY wc AS
      |              ^~
hint: CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are dropped); or choose another name
OUT

query "SELECT word, count(*) AS n $words GROUP BY word WINDOW TUMBLING (SIZE 1 MINUTE)"
refused "a WINDOW" <<'OUT'
q.sql:2:14: error: query "wc" already exists with a different definition: WINDOW differs (saved: none; now: TUMBLING (SIZE 1 MINUTE) on event time, EMIT CHANGES): state cannot be reused; columns differ (saved: word TEXT, n INTEGER; now: window_start TIMESTAMP, window_end TIMESTAMP, word TEXT, n INTEGER): the table cannot hold both
    2 | CREATE QUERY wc AS
      |              ^~
hint: CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are dropped); or choose another name
OUT

query "SELECT word, count(*) AS total $words GROUP BY word"
refused "a renamed column" <<'OUT'
q.sql:2:14: error: query "wc" already exists with a different definition: columns differ (saved: word TEXT, n INTEGER; now: word TEXT, total INTEGER): the table cannot hold both
    2 | CREATE QUERY wc AS
      |              ^~
hint: CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are dropped); or choose another name
OUT

stream="$stream CREATE STREAM other (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;"
query "SELECT word, count(*) AS n FROM other, UNNEST(split(line, ' ')) AS word GROUP BY word"
refused "another stream" <<'OUT'
q.sql:2:14: error: query "wc" already exists with a different definition: it reads stream other where the saved query read lines: state cannot be reused
    2 | CREATE QUERY wc AS
      |              ^~
hint: CREATE OR REPLACE QUERY starts it over (its table, state and checkpoint are dropped); or choose another name
OUT

# The input file replaced by another under the checkpoint (same length, other bytes).
query "SELECT word, count(*) AS n $words WHERE word <> 'zzz' GROUP BY word TRIGGER EVERY 2 SECONDS"
cp in.txt saved.txt
rm in.txt
add 'x y' z 'qqq r'
refused "a replaced file" <<'OUT'
q.sql:3:35: error: file:in.txt was replaced: its first 72 bytes are not the ones read before
    3 |   SELECT word, count(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word WHERE word <> 'zzz' GROUP BY word TRIGGER EVERY 2 SECONDS;
      |                                   ^~~~~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
cp saved.txt in.txt

# CREATE OR REPLACE starts over with the new definition.
query "SELECT word, count(*) AS total $words GROUP BY word"
sed -i 's/CREATE QUERY/CREATE OR REPLACE QUERY/' q.sql
"$SLUICE" run --db db q.sql >/dev/null 2>&1 || fail "CREATE OR REPLACE"
[ "$(sqlite3 db "SELECT group_concat(word || total, ' ') FROM (SELECT * FROM wc ORDER BY word)")" = "a1 b2 c1 zzz1" ] ||
  fail "the replaced query did not start over: $(sqlite3 db 'SELECT * FROM wc')"
echo "1 passed, 0 failed"
